"""Reporters: turn smithy's results into text, JSON and CI annotations."""
