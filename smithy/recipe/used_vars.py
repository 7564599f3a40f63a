"""Which variant keys a meta.yaml output uses, by conda-build's text rules.

conda-build decides what splits the build matrix by scanning the recipe *text*, not the
rendered recipe: a key counts when a line mentions it in ``{{ key }}``, in a ``pin_*('key')``
call, as a bare requirement ``- key``, in ``{% if/for/set %}`` or in a ``# [selector]``;
``compiler('c')``/``stdlib('c')`` count for ``c_compiler``/``c_stdlib`` and their ``_version``.
Outputs are scanned one block at a time, so a skipped output's keys do not count. conda-smithy's
matrix depends on exactly these rules, so smithy follows them (its renderer knows more, but
the job files must match).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_OUTPUTS = re.compile(r"(^outputs:.*?)(?=^test:|^extra:|^about:|\Z)", re.MULTILINE | re.DOTALL)
_OUTPUT_BLOCK = re.compile(
    r"^\ +-\ +(?:name|type):.+?(?=^\w|\Z|^\ +-\ +(?:name|type))", re.MULTILINE | re.DOTALL
)
_REQUIREMENTS = re.compile(r"requirements:.+?(?=^\w|\Z|^\s+-\s(?=name|type))", re.M | re.S)
_LANGUAGE_KEY = re.compile(r"(.*?)_(compiler|stdlib)(_version)?$")
# Some keys are also used when their sysroot companion exists (conda-build's special case).
_SYSROOT_USERS = frozenset({"c_stdlib", "c_compiler", "cxx_compiler"})


@lru_cache(maxsize=4096)
def _key_pattern(key: str, selectors_only: bool) -> re.Pattern[str]:
    escaped = re.escape(key)
    if selectors_only:
        return re.compile(rf"^[^#\[]*?\#?\s\[[^\]]*?(?<![_\w\d]){escaped}[=\s<>!\]]")
    parts: list[str] = []
    language = _LANGUAGE_KEY.match(key)
    if language:
        kind, lang = language.group(2), re.escape(language.group(1))
        parts.append(rf"\{{\s*{kind}\(['\"]{lang}[\"'][^\{{]*?\}}")
    elif key.startswith("cdt_"):
        parts.append(r"\{\s*cdt\(")
    as_requirement = "[-_]".join(map(re.escape, key.split("_")))
    parts += [
        rf"\{{\s*(?:pin_[a-z]+\(\s*?['\"])?{escaped}(?:[^_0-9a-zA-Z].*?)?\}}\}}",
        rf"^\s+\-\s+{as_requirement}\s*(?:\s[\[#]|$)",
        r"(?:^|[^\{])\{%\s*(?:el)?if\s*.*" + escaped + r"\s*(?:[^%]*?)?%\}",
        r"(?:^|[^\{])\{%\s*for\s*.*\s*in\s*" + escaped + r"(?![a-zA-Z_0-9])(?:[^%]*?)?%\}",
        r"(?:^|[^\{])\{%\s*set\s*.*\s*=\s*.*(?<![a-zA-Z_0-9])"
        + escaped
        + r"(?![a-zA-Z_0-9])(?:[^%]*?)?%\}",
    ]
    return re.compile("|".join(parts))


def _line_test(key: str, selectors_only: bool) -> tuple[str | None, str | None]:
    """(call that also makes a line relevant, conda-build's extra per-line word) for ``key``.

    Every rule needs the key on the line (``-`` read as ``_``), except ``compiler('c')`` /
    ``stdlib('c')`` and ``cdt(...)`` calls, which name the key only through their arguments.
    conda-build also requires the language (or ``cdt(``) on such a line; both tests are kept
    so the result is exactly conda-build's.
    """
    if selectors_only:
        return None, None
    language = _LANGUAGE_KEY.match(key)
    if language:
        return f"{language.group(2)}(", language.group(1)
    if key.startswith("cdt_"):
        return "cdt(", "cdt("
    return None, None


@lru_cache(maxsize=64)
def _key_tests(
    keys: frozenset[str], selectors_only: bool
) -> tuple[tuple[str, str | None, str | None], ...]:
    return tuple((key, *_line_test(key, selectors_only)) for key in sorted(keys))


@lru_cache(maxsize=2048)
def keys_in_text(text: str, keys: frozenset[str], selectors_only: bool = False) -> frozenset[str]:
    """Return the keys of ``keys`` that ``text`` uses by conda-build's line rules.

    Every rule looks at one line at a time, so the answer is the union of each line's, and
    each distinct line is scanned once per key set (variants share nearly all their lines).
    """
    used: set[str] = set()
    for line in set(text.split("\n")):
        used |= _keys_on_line(line, keys, selectors_only)
    if used & _SYSROOT_USERS and "CONDA_BUILD_SYSROOT" in keys:
        used.add("CONDA_BUILD_SYSROOT")
    return frozenset(used)


_line_keys: dict[tuple[str, frozenset[str], bool], frozenset[str]] = {}
_LINE_CACHE_SIZE = 200_000


def _keys_on_line(line: str, keys: frozenset[str], selectors_only: bool) -> frozenset[str]:
    cache_key = (line, keys, selectors_only)
    found = _line_keys.get(cache_key)
    if found is not None:
        return found
    flat = line.replace("-", "_")
    used = set()
    for key, call, word in _key_tests(keys, selectors_only):
        named = key in flat
        if call is not None and word is not None:  # compiler('c'), cdt(...) name the key
            hit = (named and (key in line or word in line)) or (call in line and word in line)
        else:
            hit = named
        if hit and _key_pattern(key, selectors_only).search(line):
            used.add(key)
    found = frozenset(used)
    if len(_line_keys) >= _LINE_CACHE_SIZE:
        _line_keys.clear()
    _line_keys[cache_key] = found
    return found


@dataclass(frozen=True, slots=True)
class RecipeText:
    """A recipe text cut the way conda-build cuts it for the used-variable scan.

    Attributes:
        top: the text without its ``outputs:`` section.
        outputs: one text block per ``- name:`` (or ``- type:``) item of ``outputs:``.
    """

    top: str
    outputs: tuple[str, ...]

    @classmethod
    def split(cls, text: str) -> RecipeText:
        """Cut ``text`` into its top level and output blocks."""
        match = _OUTPUTS.search(text)
        section = match.group(1) if match else ""
        blocks = tuple(_OUTPUT_BLOCK.findall(section)) if section else ()
        top = text.replace(section.strip(), "") if section.strip() else text
        return cls(top=top, outputs=blocks)

    def output(self, index: int) -> str:
        """The block of output ``index``, empty when there is no such block."""
        return self.outputs[index] if 0 <= index < len(self.outputs) else ""


@lru_cache(maxsize=256)
def split_recipe_text(text: str) -> RecipeText:
    """:meth:`RecipeText.split`, remembered: every variant of a recipe shares a few texts."""
    return RecipeText.split(text)


@lru_cache(maxsize=1024)
def _requirement_text(text: str) -> str:
    match = _REQUIREMENTS.search(text)
    return match.group() if match else ""


def _bare_names(specs: Iterable[str]) -> set[str]:
    return {spec.split()[0].replace("-", "_") for spec in specs if spec.strip()}


@dataclass(frozen=True, slots=True)
class OutputRequirements:
    """An output's rendered requirement specs, as the build-only trimming reads them."""

    build: tuple[str, ...]
    host: tuple[str, ...]
    run: tuple[str, ...]


def used_in_block(
    selected: str,
    unselected: str,
    keys: frozenset[str],
    requirements: OutputRequirements,
    ignore_build_only: Iterable[str],
) -> frozenset[str]:
    """Keys a recipe block uses: conda-build's scan of one text, requirements trimmed.

    A key used only inside the requirements does not count when it is only a run
    requirement, nor when it is a build-only requirement named in ``ignore_build_only_deps``
    (python, numpy): neither changes the package built.

    Args:
        selected: the block with line selectors applied.
        unselected: the same block before selectors (for keys named in selectors).
        keys: the variant's keys.
        requirements: the rendered output's requirements.
        ignore_build_only: conda-build's ``ignore_build_only_deps``.
    """
    keys = _shared(keys)
    return _used_in_block(selected, unselected, keys, requirements, tuple(ignore_build_only))


_key_sets: dict[frozenset[str], frozenset[str]] = {}


def _shared(keys: frozenset[str]) -> frozenset[str]:
    """One object per distinct key set.

    Each variant brings an equal but new set, and the per-line cache compares its keys
    element by element unless they are the same object.
    """
    if len(_key_sets) >= 256:
        _key_sets.clear()
    return _key_sets.setdefault(keys, keys)


# Every variant of a platform asks about the same few blocks with the same requirements.
@lru_cache(maxsize=4096)
def _used_in_block(
    selected: str,
    unselected: str,
    keys: frozenset[str],
    requirements: OutputRequirements,
    ignore_build_only: tuple[str, ...],
) -> frozenset[str]:
    in_selectors = keys_in_text(unselected, keys, True)
    in_text = keys_in_text(selected, keys)
    in_requirements = keys_in_text(_requirement_text(selected), keys)
    build, host = _bare_names(requirements.build), _bare_names(requirements.host)
    run = _bare_names(requirements.run)  # `mkl >=2025` is a run requirement on mkl too
    ignored = set(ignore_build_only)
    dropped = {
        key
        for key in in_requirements
        if (key in run and key not in build and key not in host)
        or (key in build and key not in host and key in ignored)
    }
    return (in_text | in_selectors) - (in_requirements & dropped)
