"""Find the global pinning to use: --pinning, SMITHY_PINNING, the conda prefix, or the default."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from smithy.errors import PinningError, Span
from smithy.pinning.model import PinningSource
from smithy.resources import default_pinning_dir

CBC_NAME = "conda_build_config.yaml"
VERSION_FILE = "VERSION"
# Where migrations sit next to conda_build_config.yaml: a pinning checkout or smithy's
# ci_support/ use migrations/, the conda-forge-pinning package share/conda-forge/migrations/.
_MIGRATION_DIRS = ("migrations", "share/conda-forge/migrations")
_PREFIX_PINNING = Path("share", "conda-forge")
# `--pinning conda-forge`: the channel's newest conda-forge-pinning, or the newest cached one.
_DOWNLOAD = "conda-forge"


def _migrations_in(folder: Path) -> Path | None:
    for name in _MIGRATION_DIRS:
        candidate = folder / name
        if candidate.is_dir():
            return candidate
    return None


def _version_file(folder: Path) -> str:
    try:
        text = (folder / VERSION_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return "unknown"
    return text.splitlines()[0].strip() if text else "unknown"


def _from_path(value: str, origin: str, environ: Mapping[str, str]) -> PinningSource:
    """A pinning named by the user: a ``conda_build_config.yaml`` or a folder holding one."""
    if value.strip() == _DOWNLOAD:
        # Imported here: only this value needs the channel and cache code (and py-rattler).
        from smithy.pinning.fetch import resolve_conda_forge_pinning

        return resolve_conda_forge_pinning(environ, origin)
    given = Path(value).expanduser()
    if given.is_file():
        folder, cbc = given.parent, given
    elif given.is_dir():
        folder, cbc = given, given / CBC_NAME
        if not cbc.is_file():
            raise PinningError(f"pinning folder has no {CBC_NAME}", Span(str(given)))
    else:
        raise PinningError(f"pinning not found (from {origin})", Span(str(given)))
    return PinningSource(
        path=folder,
        cbc=cbc,
        migrations_dir=_migrations_in(folder),
        origin=origin,
        version=_version_file(folder),
    )


def _prefix_version(prefix: Path) -> str:
    """The version in conda-meta/conda-forge-pinning-*.json, the package's install record."""
    records = sorted((prefix / "conda-meta").glob("conda-forge-pinning-*.json"))
    for record in reversed(records):
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if isinstance(data, dict) and data.get("name") in (None, "conda-forge-pinning"):
            version = data.get("version")
            if isinstance(version, str) and version:
                return version
    return "unknown"


def _from_prefix(prefix: str) -> PinningSource | None:
    folder = Path(prefix) / _PREFIX_PINNING
    cbc = folder / CBC_NAME
    if not cbc.is_file():
        return None
    migrations = folder / "migrations"
    return PinningSource(
        path=folder,
        cbc=cbc,
        migrations_dir=migrations if migrations.is_dir() else None,
        origin="conda prefix",
        version=_prefix_version(Path(prefix)),
    )


def _embedded() -> PinningSource:
    try:
        folder = default_pinning_dir()
    except FileNotFoundError:
        raise PinningError("smithy's embedded default pinning is missing") from None
    cbc = folder / CBC_NAME
    if not cbc.is_file():
        raise PinningError(
            f"smithy's embedded default pinning has no {CBC_NAME}", Span(str(folder))
        )
    return PinningSource(
        path=folder,
        cbc=cbc,
        migrations_dir=_migrations_in(folder),
        origin="embedded default",
        version=_version_file(folder),
    )


def resolve_pinning(option: str | None, environ: Mapping[str, str]) -> PinningSource:
    """Choose the global pinning; the first of these that is set wins.

    1. ``option`` (``--pinning``): a ``conda_build_config.yaml`` or a folder holding one;
       ``conda-forge`` for the channel's newest conda-forge-pinning, downloaded into the cache
       or, offline, the newest cached one (see ``smithy.pinning.fetch.pinning_settings``).
    2. ``environ["SMITHY_PINNING"]``, the same.
    3. conda-forge-pinning installed in ``environ["CONDA_PREFIX"]`` (its
       ``share/conda-forge/conda_build_config.yaml``), when present.
    4. smithy's embedded default (``ci_support/``).

    Migrations are the ``migrations/`` folder next to the file (or the package's
    ``share/conda-forge/migrations``). The version comes from a ``VERSION`` file next to it,
    or the conda prefix's install record; ``unknown`` otherwise.

    Args:
        option: the ``--pinning`` value, None when not given.
        environ: the process environment (the two variables above, and for ``conda-forge``
            the channel, offline and cache-folder variables).

    Every path checks that ``conda_build_config.yaml`` exists, so callers need not.

    Raises:
        PinningError: a named pinning does not exist, or ``conda-forge`` can be neither
            downloaded nor found in the cache.
    """
    if option:
        return _from_path(option, "--pinning", environ)
    named = environ.get("SMITHY_PINNING", "")
    if named:
        return _from_path(named, "SMITHY_PINNING", environ)
    prefix = environ.get("CONDA_PREFIX", "")
    if prefix:
        found = _from_prefix(prefix)
        if found is not None:
            return found
    return _embedded()
