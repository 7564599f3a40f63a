"""Variant files: loading pinnings and recipe configs, merging them, expanding combinations."""
