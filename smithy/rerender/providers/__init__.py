"""CI providers (one module each) and ``provider_files``, the CI part of a rerender plan."""

from __future__ import annotations

from smithy.rerender.providers.registry import PROVIDERS, known_ci_paths, provider_files

__all__ = ["PROVIDERS", "known_ci_paths", "provider_files"]
