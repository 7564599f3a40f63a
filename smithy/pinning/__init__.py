"""Download, cache and reuse the conda-forge-pinning package from a conda channel."""
