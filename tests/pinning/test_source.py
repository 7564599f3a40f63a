"""Choosing the global pinning: --pinning, SMITHY_PINNING, the conda prefix, the default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smithy.errors import PinningError
from smithy.pinning import source
from smithy.pinning.source import resolve_pinning

CBC = "conda_build_config.yaml"


def _pinning(folder: Path, version: str | None = None, migrations: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CBC).write_text("python:\n  - 3.12\n", encoding="utf-8")
    if migrations:
        (folder / "migrations").mkdir(exist_ok=True)
    if version is not None:
        (folder / "VERSION").write_text(f"{version}\n", encoding="utf-8")
    return folder


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = _pinning(tmp_path / "ci_support", version="2026.01.02")
    monkeypatch.setattr(source, "default_pinning_dir", lambda: folder)
    return folder


def test_option_folder(tmp_path: Path, embedded: Path) -> None:
    folder = _pinning(tmp_path / "mine", version="2026.08.20")
    found = resolve_pinning(str(folder), {"SMITHY_PINNING": str(embedded)})
    assert found.origin == "--pinning"
    assert (found.path, found.cbc) == (folder, folder / CBC)
    assert found.migrations_dir == folder / "migrations"
    assert found.version == "2026.08.20"


def test_option_file_without_migrations_or_version(tmp_path: Path, embedded: Path) -> None:
    folder = _pinning(tmp_path / "mine", migrations=False)
    found = resolve_pinning(str(folder / CBC), {})
    assert (found.path, found.cbc, found.migrations_dir) == (folder, folder / CBC, None)
    assert found.version == "unknown"


def test_pinning_package_layout_migrations(tmp_path: Path, embedded: Path) -> None:
    folder = _pinning(tmp_path / "pkg", migrations=False)
    (folder / "share" / "conda-forge" / "migrations").mkdir(parents=True)
    found = resolve_pinning(str(folder), {})
    assert found.migrations_dir == folder / "share" / "conda-forge" / "migrations"


def test_missing_option_path_is_named(tmp_path: Path, embedded: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(PinningError, match="pinning not found") as caught:
        resolve_pinning(str(missing), {})
    assert str(caught.value).startswith(str(missing))


def test_folder_without_cbc(tmp_path: Path, embedded: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(PinningError, match=r"has no conda_build_config\.yaml"):
        resolve_pinning(str(tmp_path / "empty"), {})


def test_smithy_pinning_beats_the_conda_prefix(tmp_path: Path, embedded: Path) -> None:
    named = _pinning(tmp_path / "named")
    prefix = tmp_path / "env"
    _pinning(prefix / "share" / "conda-forge")
    found = resolve_pinning(None, {"SMITHY_PINNING": str(named), "CONDA_PREFIX": str(prefix)})
    assert (found.origin, found.path) == ("SMITHY_PINNING", named)


def test_conda_prefix_with_pinning_package(tmp_path: Path, embedded: Path) -> None:
    prefix = tmp_path / "env"
    folder = _pinning(prefix / "share" / "conda-forge")
    (prefix / "conda-meta").mkdir()
    record = {"name": "conda-forge-pinning", "version": "2026.08.20.12.34.56"}
    (prefix / "conda-meta" / "conda-forge-pinning-2026.08.20.12.34.56-hd8ed1ab_0.json").write_text(
        json.dumps(record), encoding="utf-8"
    )
    found = resolve_pinning(None, {"CONDA_PREFIX": str(prefix)})
    assert found.origin == "conda prefix"
    assert (found.cbc, found.migrations_dir) == (folder / CBC, folder / "migrations")
    assert found.version == "2026.08.20.12.34.56"


def test_conda_prefix_without_pinning_falls_back_to_the_default(
    tmp_path: Path, embedded: Path
) -> None:
    (tmp_path / "env").mkdir()
    found = resolve_pinning(None, {"CONDA_PREFIX": str(tmp_path / "env")})
    assert found.origin == "embedded default"
    assert (found.path, found.version) == (embedded, "2026.01.02")


def test_conda_prefix_with_a_broken_record_has_unknown_version(
    tmp_path: Path, embedded: Path
) -> None:
    prefix = tmp_path / "env"
    _pinning(prefix / "share" / "conda-forge")
    (prefix / "conda-meta").mkdir()
    (prefix / "conda-meta" / "conda-forge-pinning-1-0.json").write_text("{", encoding="utf-8")
    assert resolve_pinning(None, {"CONDA_PREFIX": str(prefix)}).version == "unknown"


def test_missing_embedded_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Path:
        raise FileNotFoundError("no ci_support")

    monkeypatch.setattr(source, "default_pinning_dir", missing)
    with pytest.raises(PinningError, match="embedded default pinning is missing"):
        resolve_pinning(None, {})
    monkeypatch.setattr(source, "default_pinning_dir", lambda: tmp_path)
    with pytest.raises(PinningError, match=r"has no conda_build_config\.yaml"):
        resolve_pinning(None, {})


def test_fixture_pinning_folder(data_dir: Path, embedded: Path) -> None:
    folder = data_dir / "pinning" / "basic"
    found = resolve_pinning(str(folder), {"CONDA_PREFIX": str(embedded)})
    assert (found.origin, found.version) == ("--pinning", "2026.08.20")
    assert found.migrations_dir is not None
    assert [p.name for p in found.migrations_dir.iterdir()] == ["python313.yaml"]
