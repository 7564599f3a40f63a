"""The join of recipe, pinning, conda-forge.yml and migrations: a feedstock's build matrix."""
