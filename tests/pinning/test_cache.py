"""The pinning cache: where it lives, which folders count, ordering, installing a download."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smithy.errors import PinningError
from smithy.pinning.cache import (
    RECORD_NAME,
    PinningPackage,
    cached_copy,
    cached_pinnings,
    default_cache_dir,
    install,
    is_safe_version,
    make_staging,
    newest_cached,
    remove_staging,
    version_key,
)
from smithy.pinning.fetch import DEFAULT_CHANNEL, pinning_settings

CBC = Path("share", "conda-forge", "conda_build_config.yaml")


def _package(version: str, sha: str = "ab" * 32) -> PinningPackage:
    return PinningPackage(
        version=version,
        build="hd8ed1ab_0",
        build_number=0,
        file_name=f"conda-forge-pinning-{version}-hd8ed1ab_0.conda",
        url=f"https://example.invalid/noarch/conda-forge-pinning-{version}-hd8ed1ab_0.conda",
        sha256=sha,
        channel="https://example.invalid",
    )


def _entry(cache: Path, version: str, record: object = None, cbc: bool = True) -> Path:
    root = cache / version
    root.mkdir(parents=True)
    if cbc:
        (root / CBC).parent.mkdir(parents=True)
        (root / CBC).write_text("python:\n  - 3.12\n", encoding="utf-8")
    data = asdict(_package(version)) if record is None else record
    (root / RECORD_NAME).write_text(json.dumps(data), encoding="utf-8")
    return root


def _extracted(cache: Path, text: str = "python:\n  - 3.13\n") -> Path:
    extracted = make_staging(cache) / "pkg"
    (extracted / CBC).parent.mkdir(parents=True)
    (extracted / CBC).write_text(text, encoding="utf-8")
    return extracted


@pytest.mark.parametrize(
    ("environ", "home", "expected"),
    [
        ({"XDG_CACHE_HOME": "/x/cache"}, "/home/me", "/x/cache/smithy/pinning"),
        ({"XDG_CACHE_HOME": "relative"}, "/home/me", "/home/me/.cache/smithy/pinning"),
        ({}, "/home/me", "/home/me/.cache/smithy/pinning"),
    ],
)
def test_default_cache_dir(
    environ: dict[str, str], home: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", home)
    assert default_cache_dir(environ) == Path(expected)


def test_no_cache_dir_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "relative")
    monkeypatch.setattr("pwd.getpwuid", _no_user)
    with pytest.raises(PinningError, match="set XDG_CACHE_HOME or HOME "):
        default_cache_dir({"XDG_CACHE_HOME": "rel"})


def _no_user(uid: int) -> None:
    raise KeyError(uid)


def test_settings_from_the_mapping_and_explicit_values(tmp_path: Path) -> None:
    environ = {
        "XDG_CACHE_HOME": "/x/cache",
        "SMITHY_PINNING_CHANNEL": "http://mirror/cf/",
        "SMITHY_OFFLINE": "Yes",
    }
    settings = pinning_settings(environ)
    assert settings.channel == "http://mirror/cf"
    assert settings.offline is True
    assert settings.cache_dir == Path("/x/cache/smithy/pinning")
    explicit = pinning_settings(environ, channel="http://other", cache_dir=tmp_path, offline=False)
    assert (explicit.channel, explicit.cache_dir, explicit.offline) == (
        "http://other",
        tmp_path,
        False,
    )
    plain = pinning_settings({"HOME": "/h", "SMITHY_OFFLINE": "0"})
    assert (plain.channel, plain.offline) == (DEFAULT_CHANNEL, False)


def test_versions_sort_numerically() -> None:
    versions = ["2026.10.01", "2026.9.30", "2026.10.01.1", "2025.12.31.23.59.59", "2026.10.01a"]
    assert sorted(versions, key=version_key) == [
        "2025.12.31.23.59.59",
        "2026.9.30",
        "2026.10.01a",
        "2026.10.01",
        "2026.10.01.1",
    ]


@pytest.mark.parametrize("version", ["2026.01.02.03.04.05", "1.0+local", "1!2.0", "1.0_rc1"])
def test_safe_versions(version: str) -> None:
    assert is_safe_version(version)


@pytest.mark.parametrize(
    "version", ["", ".hidden", "../x", "a/b", "a\\b", "1..2", "a b", "x" * 200]
)
def test_unsafe_versions(version: str) -> None:
    assert not is_safe_version(version)


@given(st.text(max_size=40))
def test_version_helpers_accept_any_text(text: str) -> None:
    assert isinstance(version_key(text), tuple)
    assert isinstance(is_safe_version(text), bool)


def test_listing_counts_only_complete_entries(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _entry(cache, "2026.10.01")
    _entry(cache, "2026.9.30")
    _entry(cache, "2026.11.01", cbc=False)  # cbc missing
    _entry(cache, "2026.12.01", record=asdict(_package("2027.01.01")))  # record of another version
    _entry(cache, "2026.12.02", record=["not", "a", "record"])
    _entry(cache, "2026.12.03", record={**asdict(_package("2026.12.03")), "build_number": True})
    (cache / "2026.12.04").mkdir()  # an interrupted install: no record
    (cache / "2026.12.05").write_text("a file", encoding="utf-8")
    make_staging(cache)
    assert [e.package.version for e in cached_pinnings(cache)] == ["2026.9.30", "2026.10.01"]
    newest = newest_cached(cache)
    assert newest is not None and newest.folder == cache / "2026.10.01" / "share" / "conda-forge"


def test_empty_or_missing_cache(tmp_path: Path) -> None:
    assert cached_pinnings(tmp_path / "absent") == ()
    assert newest_cached(tmp_path / "absent") is None


def test_install_then_find_the_exact_copy(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    package = _package("2026.10.01")
    entry = install(_extracted(cache), package, cache)
    assert entry.root == cache / "2026.10.01"
    assert (entry.folder / "VERSION").read_text() == "2026.10.01\n"
    assert cached_copy(cache, package) == entry
    assert cached_copy(cache, replace(package, sha256="cd" * 32)) is None


def test_install_replaces_the_same_version(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    install(_extracted(cache, "old: 1\n"), _package("1.0", sha="01" * 32), cache)
    extracted = _extracted(cache, "new: 2\n")
    entry = install(extracted, _package("1.0", sha="02" * 32), cache)
    assert (entry.root / CBC).read_text() == "new: 2\n"
    assert entry.package.sha256 == "02" * 32
    remove_staging(extracted.parent)
    assert [p.name for p in cache.iterdir() if not p.name.startswith(".staging-")] == ["1.0"]
    assert [e.package.sha256 for e in cached_pinnings(cache)] == ["02" * 32]


def test_install_rejects_an_unsafe_version(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with pytest.raises(PinningError, match=r"unusable version '\.\./evil'"):
        install(_extracted(cache), _package("../evil"), cache)
    assert not (tmp_path / "evil").exists()


def test_unwritable_cache_is_a_pinning_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(PinningError, match="cannot write the pinning cache"):
        make_staging(blocker / "cache")
