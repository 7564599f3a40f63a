"""Keep the CI matrix: name the variant keys the two engines count differently.

conda-build counts a key as used from its text scan of meta.yaml (a selector, a requirement
line, a rendered ``pin_subpackage`` name, a jinja variable), rattler-build from the
expressions it evaluates. Where they disagree, the converted recipe names the key in
``build.variant.use_keys`` (rattler-build then keeps it) or ``build.variant.ignore_keys``
(rattler-build then drops it), so the ``.ci_support`` files stay what they were.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from smithy.convert.ci_matrix import CiFiles, by_platform, ci_platform, named_keys, variant_keys
from smithy.convert.round_trip import round_trip_yaml


@dataclass(frozen=True, slots=True)
class KeyChanges:
    """Keys to force into (``use``) or out of (``ignore``) the converted recipe's variants.

    ``split`` keys name meta.yaml's jobs and not recipe.yaml's: conda-build
    counts what a multi-output recipe's top-level requirements use (``stdlib('c')`` reads
    ``c_stdlib_version``) for every output; recipe.yaml has no such requirements.
    """

    use: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    split: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.use or self.ignore or self.split)


def _keys_by_platform(ci_files: CiFiles) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for name, config in ci_files.items():
        keys.setdefault(ci_platform(name, config), set()).update(variant_keys(config))
    return keys


def key_changes(before: CiFiles, after: CiFiles) -> KeyChanges:
    """Keys meta.yaml's CI files of a platform have and recipe.yaml's lack, and the reverse.

    Files are grouped by platform, not by name: a key one engine loops over is part of the
    file names, so the two sides' files may not pair up by name at all. A key is only ignored
    when meta.yaml uses it on no platform.
    """
    old, new = _keys_by_platform(before), _keys_by_platform(after)
    used_anywhere = set().union(*old.values()) if old else set()
    lost: set[str] = set()
    extra: set[str] = set()
    for platform in old.keys() & new.keys():
        lost |= old[platform] - new[platform]
        extra |= new[platform] - old[platform]
    split: set[str] = set()
    old_files, new_files = by_platform(before), by_platform(after)
    for platform in old_files.keys() & new_files.keys():
        only_before = named_keys(old_files[platform]) - named_keys(new_files[platform])
        split |= only_before & new[platform]
    return KeyChanges(frozenset(lost), frozenset(extra - used_anywhere), frozenset(split))


def gained_on_some_platforms(
    before: CiFiles, after: CiFiles, kept: frozenset[str]
) -> dict[str, tuple[str, ...]]:
    """Kept keys the widened recipe uses on platforms where meta.yaml does not: key -> platforms.

    conda-build counts a key from a selected line on the selected platforms only;
    ``build.variant.use_keys`` holds on every platform (rattler-build ignores an ``if``/``then``
    item there, checked with py-rattler-build 0.73), so such a key cannot be kept exactly.
    """
    old, new = _keys_by_platform(before), _keys_by_platform(after)
    shared = sorted(old.keys() & new.keys())
    found: dict[str, tuple[str, ...]] = {}
    for key in sorted(kept):
        platforms = tuple(p for p in shared if key in new[p] and key not in old[p])
        if platforms:
            found[key] = platforms
    return found


def selected_line(meta_text: str, key: str) -> int:
    """The first meta.yaml line naming ``key`` under a selector (else naming it; else 0)."""
    word = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")  # conda-build's scan: `tar.xz` reads xz
    named = [
        (number, line)
        for number, line in enumerate(meta_text.splitlines(), start=1)
        if word.search(line.split("#", 1)[0])
    ]
    selected = [number for number, line in named if re.search(r"#\s*\[", line)]
    return (selected or [number for number, _ in named] or [0])[0]


def _build_of(node: CommentedMap, after: str) -> CommentedMap:
    build = node.get("build")
    if not isinstance(build, CommentedMap):
        build = CommentedMap()
        keys = list(node)
        position = keys.index(after) + 1 if after in keys else min(2, len(keys))
        node.insert(position, "build", build)
    return build


def _add(build: CommentedMap, kind: str, keys: frozenset[str]) -> None:
    variant = build.setdefault("variant", CommentedMap())
    names = variant.setdefault(kind, CommentedSeq())
    names.extend(sorted(keys - set(names)))


def _strings(node: Any) -> list[str]:
    """Every string in ``node`` (values of if/then/else entries and lists included)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in _strings(value)]
    if isinstance(node, list):
        return [text for item in node for text in _strings(item)]
    return []


def _packages(document: CommentedMap) -> list[CommentedMap]:
    outputs = document.get("outputs")
    if not isinstance(outputs, list):
        return []
    return [item for item in outputs if isinstance(item, CommentedMap) and "package" in item]


def _pinning(output: CommentedMap, key: str) -> bool:
    """Whether the output's build/host requirements pin the recipe's own output ``key``.

    conda-build reads the rendered ``pin_subpackage('key')`` as a dependency named ``key``,
    a variant key when the pinning has one; rattler-build keeps the call symbolic.
    """
    requirements = output.get("requirements")
    if not isinstance(requirements, CommentedMap):
        return False
    pattern = re.compile(rf"""pin_(?:subpackage|compatible)\(\s*["']{re.escape(key)}["']""")
    sections = [requirements.get(name) for name in ("build", "host")]
    return any(pattern.search(text) for text in _strings(sections))


def _skipped_somewhere(output: CommentedMap) -> bool:
    build = output.get("build")
    return isinstance(build, CommentedMap) and bool(build.get("skip"))


def with_key_changes(recipe_text: str, changes: KeyChanges, *, skipped_to_top: bool = False) -> str:
    """recipe.yaml text with ``changes`` written under ``build.variant``.

    A kept key goes to the outputs that pin a subpackage of that name (the only place
    conda-build's scan finds it in one output and not the others), else to the top level;
    with ``skipped_to_top`` also when each such output is skipped on some platform (where
    conda-build may still count the key, and a skipped output's keys count nowhere);
    a ``split`` key to the top level (every output uses it, as in meta.yaml); an ignored key
    goes to the top level and to every output.
    """
    document = round_trip_yaml().load(recipe_text)
    packages = _packages(document)
    top: set[str] = set()
    for key in sorted(changes.use):
        pinning = [output for output in packages if _pinning(output, key)]
        if not pinning or (skipped_to_top and all(_skipped_somewhere(o) for o in pinning)):
            top.add(key)
            continue
        for output in pinning:
            _add(_build_of(output, "package"), "use_keys", frozenset({key}))
    top |= changes.split
    if top:
        _add(_build_of(document, "source"), "use_keys", frozenset(top))
    if changes.ignore:
        _add(_build_of(document, "source"), "ignore_keys", changes.ignore)
        for output in packages:
            _add(_build_of(output, "package"), "ignore_keys", changes.ignore)
    stream = io.StringIO()
    round_trip_yaml().dump(document, stream)
    return stream.getvalue()
