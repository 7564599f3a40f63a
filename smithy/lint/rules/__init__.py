"""Rule modules, one per family of related checks; the registry lists them explicitly."""
