"""GitHub test fixtures for this folder; they live in fixtures.py so tests/cli can import them."""

from __future__ import annotations

from tests.github.fixtures import (  # noqa: F401  (fixtures are found by name)
    fake_github,
    feedstock,
    github_env,
    sleeps,
)
