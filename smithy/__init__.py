"""smithy: parse, lint and rerender conda feedstocks, fast and offline."""

__version__ = "0.1.0"
