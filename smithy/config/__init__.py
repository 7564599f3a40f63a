"""The typed feedstock configuration (``conda-forge.yml``): model, loader and JSON Schema."""
