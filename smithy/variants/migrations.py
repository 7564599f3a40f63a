"""CFEP-9 migration files: read them, choose which apply to a feedstock, fold them onto a spec."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from smithy.errors import PinningError, Span, VariantError
from smithy.recipe.selectors import apply_line_selectors
from smithy.records import record
from smithy.textfile import read_user_text
from smithy.variants.algebra import MIGRATOR, Spec, variant_add
from smithy.variants.yaml_tree import Map, Node, Scalar, Seq, parse_yaml

TIMESTAMP = "migrator_ts"
# conda-build's trim_empty_keys also drops these when they are false-like, not only when empty.
_FALSE_MEANS_EMPTY = frozenset({"final", "noarch_python", "zip_keys"})


@record
class Migration:
    """One migration file, parsed for one platform.

    Attributes:
        path: the file read.
        name: the file name without ``.yaml``.
        migrator_ts: ``migrator_ts`` as a float (-1 when absent): identity and order of migrations.
        migration_number: ``__migrator.migration_number`` (None when absent, which means 1).
        use_local: ``__migrator.use_local``: keep the feedstock's copy even if upstream differs.
        operation: ``__migrator.operation`` (``key_add``, ``key_remove``) or None.
        spec: the selected variant content, ``__migrator`` and ``migrator_ts`` included
            (read-only).
    """

    path: Path
    name: str
    migrator_ts: float
    migration_number: int | None
    use_local: bool
    operation: str | None
    spec: Mapping[str, Any]


def _to_python(node: Node) -> Any:
    """Turn nodes into str / list / dict as YAML's base loader does (a repeated key: last wins)."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [_to_python(item) for item in node.items]
    return {key.value: _to_python(value) for key, value in node.entries}


def _is_empty(key: str, value: object) -> bool:
    if value in ([], "", {}) or value is None:
        return True
    return key in _FALSE_MEANS_EMPTY and not value


def _trim_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values (nested mappings first), as conda-build's ``trim_empty_keys`` does."""
    trimmed = {k: _trim_empty(v) if isinstance(v, dict) else v for k, v in mapping.items()}
    zip_keys = trimmed.get("zip_keys")
    drop_zip_keys = zip_keys is not None and not any(zip_keys)
    return {
        key: value
        for key, value in trimmed.items()
        if not _is_empty(key, value) and not (key == "zip_keys" and drop_zip_keys)
    }


def _key_line(root: Map, key: str) -> int:
    lines = [entry.line for entry, _ in root.entries if entry.value == key]
    return lines[-1] if lines else root.line


def _load_mapping(text: str, path: str) -> tuple[dict[str, Any], Map | None]:
    root = parse_yaml(text, path)
    if root is None:
        return {}, None
    if not isinstance(root, Map):
        message = "a migration file must be a mapping of variant keys"
        raise PinningError(message, Span(path, root.line, root.column))
    return _to_python(root), root


def parse_migration_text(
    text: str, *, namespace: Mapping[str, object], env: Mapping[str, str], path: str
) -> dict[str, Any]:
    """Parse a migration file's text for one platform, as conda-smithy's ``parse_variant`` does.

    ``# [selector]`` lines are applied first, names missing from ``namespace`` reading as
    False as in conda-build; the YAML is read with every scalar kept as a string; empty values
    are trimmed; ``migrator_ts`` becomes a float (-1 when absent).

    Args:
        text: the file's content.
        namespace: the selector names of the platform (see ``smithy.platforms``).
        env: the variables ``os.environ.get`` reads in selectors (the pinning's contract).
        path: how to name the file in errors.

    Raises:
        SelectorError: a selector is malformed.
        PinningError: the YAML is broken, not a mapping, or ``migrator_ts`` is not a number.
    """
    # conda-build reads a name the namespace lacks as False (commit messages in the pinning's
    # migrations quote recipe selectors such as `cuda_compiler_version != "None"`).
    # conda-build's namespace also holds the environment's variables as plain names.
    return _parse_migration(text, namespace, env, path)[0]


def _parse_migration(
    text: str, namespace: Mapping[str, object], env: Mapping[str, str], path: str
) -> tuple[dict[str, Any], Map | None]:
    """:func:`parse_migration_text`, with the document's root for the lines of errors."""
    names = {**namespace, **env}
    selected = apply_line_selectors(text, names, env=env, path=path)
    content, root = _load_mapping(selected, path)
    content = _trim_empty(content)
    raw_ts = content.get(TIMESTAMP, -1.0)
    try:
        content[TIMESTAMP] = float(raw_ts)
    except (TypeError, ValueError):
        line = _key_line(root, TIMESTAMP) if root is not None else 0
        raise PinningError(
            f"migrator_ts must be a number, not {raw_ts!r}", Span(path, line)
        ) from None
    return content, root


def _migrator_span(root: Map | None, path: str, key: str = "") -> Span:
    """Where ``__migrator`` (its ``key`` when written) is in the file; the file when unknown."""
    blocks = [] if root is None else [(k, v) for k, v in root.entries if k.value == MIGRATOR]
    if not blocks:
        return Span(path)
    name, block = blocks[-1]  # the last copy wins, as in the data
    inner = [k for k, _ in block.entries if k.value == key] if isinstance(block, Map) else []
    found = inner[-1] if key and inner else name
    return Span(path, found.line, found.column)


def _migrator_block(spec: Mapping[str, Any], root: Map | None, path: str) -> Mapping[str, Any]:
    block = spec.get(MIGRATOR, {})
    if not isinstance(block, Mapping):
        raise PinningError("__migrator must be a mapping", _migrator_span(root, path))
    return block


def _use_local(block: Mapping[str, Any], root: Map | None, path: str) -> bool:
    """``__migrator.use_local``; a value that is no boolean is refused, not read as false."""
    flag = block.get("use_local")
    if flag is None:
        return False
    if isinstance(flag, str) and flag.lower() in ("true", "false"):
        return flag.lower() == "true"
    message = f"__migrator.use_local must be true or false, not {flag!r}"
    raise PinningError(message, _migrator_span(root, path, "use_local"))


def migration_from_text(
    text: str, *, file: Path, namespace: Mapping[str, object], env: Mapping[str, str], path: str
) -> Migration:
    """Parse the text of the migration file ``file`` into a :class:`Migration`.

    Raises:
        PinningError: see :func:`parse_migration_text`; also a non-integer migration_number.
    """
    spec, root = _parse_migration(text, namespace, env, path)
    block = _migrator_block(spec, root, path)
    raw_number = block.get("migration_number")
    try:
        number = None if raw_number is None else int(raw_number)
    except (TypeError, ValueError):
        message = f"__migrator.migration_number must be an integer, not {raw_number!r}"
        where = _migrator_span(root, path, "migration_number")
        raise PinningError(message, where) from None
    operation = block.get("operation")
    if operation is not None and not isinstance(operation, str):
        message = f"__migrator.operation must be a name such as key_add, not {operation!r}"
        raise PinningError(message, _migrator_span(root, path, "operation"))
    return Migration(
        path=file,
        name=file.stem,
        migrator_ts=spec[TIMESTAMP],
        migration_number=number,
        use_local=_use_local(block, root, path),
        operation=operation,
        spec=MappingProxyType(spec),
    )


def _read(path: Path, shown: str) -> str:
    return read_user_text(path, shown, PinningError)


def load_migration(
    path: Path,
    *,
    namespace: Mapping[str, object],
    env: Mapping[str, str],
    display_path: str | None = None,
) -> Migration:
    """Read and parse one migration file for one platform.

    Args:
        path: the ``.yaml`` migration file.
        namespace: the platform's selector names.
        env: the variables the pinning's selectors read.
        display_path: how to name the file in errors (defaults to ``path``).

    Raises:
        PinningError: the file cannot be read or is not a valid migration.
        SelectorError: a selector is malformed.
    """
    shown = display_path or str(path)
    text = _read(path, shown)
    return migration_from_text(text, file=path, namespace=namespace, env=env, path=shown)


@record
class _Header:
    """What conda-smithy reads of a migration file to match it with the pinning's copy."""

    timestamp: str | None  # the raw text; None when absent or not a plain value
    number: object  # raw __migrator.migration_number; None when absent (meaning 1)
    use_local: bool


def _header(path: Path) -> _Header:
    # Read without selectors, as conda-smithy does: a selector comment is just a YAML comment.
    content, root = _load_mapping(_read(path, str(path)), str(path))
    block = _migrator_block(content, root, str(path))
    timestamp = content.get(TIMESTAMP)
    return _Header(
        timestamp=timestamp if isinstance(timestamp, str) else None,
        number=block.get("migration_number"),
        use_local=_use_local(block, root, str(path)),
    )


def select_migrations(
    feedstock_migrations: Sequence[Path], pinning_migrations_dir: Path | None
) -> tuple[list[Path], list[Path]]:
    """Choose the migration files to apply, as conda-smithy's ``set_migration_fns`` does.

    A feedstock file (``.ci_support/migrations/*.yaml``) is used as it is when it has
    ``__migrator.use_local: true`` or no ``migrator_ts``. Otherwise the pinning's file of the
    same name and the same ``migrator_ts`` text replaces it when their ``migration_number`` is
    the same, and the feedstock copy is kept when the number differs. A file whose name and
    timestamp the pinning no longer has is a finished migration, to delete. Without a pinning
    migrations folder every feedstock file is used.

    Args:
        feedstock_migrations: the feedstock's migration files.
        pinning_migrations_dir: the pinning's ``migrations`` folder, or None.

    Returns:
        (files to apply, feedstock files to delete), each sorted by path.

    Raises:
        PinningError: a file cannot be read or parsed.
    """
    if pinning_migrations_dir is None or not pinning_migrations_dir.is_dir():
        return sorted(feedstock_migrations, key=str), []
    use: list[Path] = []
    finished: list[Path] = []
    for path in feedstock_migrations:
        header = _header(path)
        upstream = pinning_migrations_dir / path.name
        if header.use_local or header.timestamp is None:
            use.append(path)
            continue
        upstream_header = _header(upstream) if upstream.is_file() else None
        if upstream_header is None or upstream_header.timestamp != header.timestamp:
            finished.append(path)
        elif upstream_header.number == header.number:
            use.append(upstream)
        else:
            use.append(path)
    return sorted(use, key=str), sorted(finished, key=str)


def find_feedstock_migrations(feedstock_dir: Path) -> list[Path]:
    """Return the feedstock's ``.ci_support/migrations/*.yaml`` files, sorted by name."""
    return sorted((feedstock_dir / ".ci_support" / "migrations").glob("*.yaml"))


def _timestamp_of(spec: Spec) -> float:
    raw = spec.get(TIMESTAMP, -1.0)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise VariantError(f"migrator_ts must be a number, not {raw!r}") from None
    return -math.inf if math.isnan(value) else value


def apply_migrations(base: Spec, migrations: Sequence[Spec | Migration]) -> dict[str, Any]:
    """Fold ``migrations`` onto ``base`` with :func:`variant_add`, oldest ``migrator_ts`` first.

    Equal timestamps are ordered by file path for :class:`Migration` values (as conda-smithy
    does) and keep their given order for plain specs. ``migrator_ts`` itself is not applied.

    Raises:
        VariantError: a migration cannot be combined with the spec; for a :class:`Migration`
            the error names its file.
    """
    entries: list[tuple[float, str, Spec, str | None]] = []
    for item in migrations:
        if isinstance(item, Migration):
            entries.append((_timestamp_of(item.spec), str(item.path), item.spec, str(item.path)))
        else:
            entries.append((_timestamp_of(item), "", item, None))
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    result: dict[str, Any] = dict(base)
    for _, _, spec, source in entries:
        migration = {key: value for key, value in spec.items() if key != TIMESTAMP}
        if not migration:
            continue
        try:
            result = variant_add(result, migration)
        except VariantError as exc:
            if source is None or exc.span is not None:
                raise
            raise VariantError(
                f"cannot apply this migration: {exc.message}", Span(source)
            ) from None
    return result
