from __future__ import annotations

import sys
from pathlib import Path

import pytest

from smithy.graph.cache import default_cache_dir as graph_cache_dir
from smithy.user_cache import smithy_cache_dir

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="platformdirs' Linux folders")


@pytest.fixture(autouse=True)
def _home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "/home/me")


def test_an_absolute_xdg_cache_home_from_the_mapping_wins() -> None:
    assert smithy_cache_dir({"XDG_CACHE_HOME": "/x/cache"}) == Path("/x/cache/smithy")
    assert graph_cache_dir({"XDG_CACHE_HOME": "/x/cache"}) == Path("/x/cache/smithy/graph")


def test_a_relative_xdg_cache_home_is_ignored_as_the_xdg_rules_say() -> None:
    assert smithy_cache_dir({"XDG_CACHE_HOME": "cache"}) == Path("/home/me/.cache/smithy")


def test_the_process_xdg_cache_home_is_honoured_through_platformdirs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/env/cache")
    assert smithy_cache_dir({}) == Path("/env/cache/smithy")


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "relative")
    monkeypatch.setattr("pwd.getpwuid", _no_user)
    assert smithy_cache_dir({}) is None
    assert graph_cache_dir({}) is None


def _no_user(uid: int) -> None:
    raise KeyError(uid)
