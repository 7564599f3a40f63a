"""Fixtures of the conversion tests."""

from __future__ import annotations

from tests.convert.recipes import make_feedstock

__all__ = ["make_feedstock"]
