"""Rerender: compute a feedstock plan (CI matrix, workflows, scripts, README) and write it."""
