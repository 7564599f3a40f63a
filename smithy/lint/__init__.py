"""Lint recipes and feedstocks: rules, the engine that runs them, suppressions and fixes."""
