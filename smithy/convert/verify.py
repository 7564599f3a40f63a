"""Compare what meta.yaml and the converted recipe.yaml render to, platform by platform.

Each side is summarised per (platform, output) as the set of values a field takes over the
platform's variants, so the two engines may enumerate variants differently (a key one engine
reads and the other does not) without that alone counting as a difference; the ``.ci_support``
matrix (file names, keys) catches a change in the variants themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from smithy.convert.ci_matrix import ci_differences
from smithy.convert.model import Difference
from smithy.recipe.model import RenderedOutput, RenderedRecipe

if TYPE_CHECKING:
    from smithy.matrix.render import FeedstockMatrix

ABSENT = "-"
_LIST_FIELDS = ("requirements.", "run_exports.")


@dataclass(frozen=True, slots=True)
class RenderedFeedstock:
    """One side of the comparison.

    Attributes:
        renders: per target platform, the recipe rendered for each variant.
        ci_files: ``.ci_support`` file name -> the job's variant config.
        matrix: the build matrix both came from, when the render made one; the rerender after
            a write reuses the converted recipe's instead of rendering it again.
    """

    renders: Mapping[str, tuple[RenderedRecipe, ...]]
    ci_files: Mapping[str, Mapping[str, Any]]
    matrix: FeedstockMatrix | None = None


Summary = dict[tuple[str, str], dict[str, set[str]]]


_EXACT_BUILD = re.compile(r"^\*_\d+$")
_PIN_COMPATIBLE = re.compile(r"""pin_compatible\(\s*["']([^"']+)["']""")
_PIN_COMPATIBLE_COMPUTED = re.compile(r"""pin_compatible\(\s*[^"'\s)]""")
_EXACT_SUBPACKAGE = re.compile(
    r"""pin_subpackage\(\s*["']([^"']+)["'][^)]*\bexact\s*=\s*(?:True|true)"""
)
_PKG_HASH = re.compile(r"\bPKG_HASH\b")
_PKG_BUILDNUM = re.compile(r"\bPKG_BUILDNUM\b")
_HASH = re.compile(r"\$\{\{\s*hash\s*\}\}")
_PIN_BOUNDS = re.compile(r"^>=[^,\s]+,<[^,\s]+$")
_EXACT_VERSION = re.compile(r"^(==)?[\w.+!]+$")


@dataclass(frozen=True, slots=True)
class Spelling:
    """What the two engines spell differently by design, read from the two recipe texts.

    Attributes:
        deferred: names under ``pin_compatible``: conda-build's renderer bounds them from the
            variant, rattler-build only once the host environment is solved.
        exact: names under ``pin_subpackage(..., exact=True)``: both engines pin the build
            string, but rattler-build only at build time (its render has name and version).
        runtime_hash: meta.yaml reads ``PKG_HASH``, which its render leaves empty
            (conda-build fills it at build time); the converted recipe spells it
            ``${{ hash }}``, blanked on the recipe.yaml side.
        runtime_number: the same for ``PKG_BUILDNUM``, which the converted recipe spells
            as the build number.
        computed_pins: a ``pin_compatible`` whose name is an expression: names are matched
            from the renders (see ``computed_pin_names``).
    """

    deferred: frozenset[str] = frozenset()
    exact: frozenset[str] = frozenset()
    runtime_hash: bool = False
    runtime_number: bool = False
    computed_pins: bool = False


def spelling(meta_text: str, recipe_text: str) -> Spelling:
    """The spelling differences to allow for between ``meta_text`` and ``recipe_text``."""
    both = meta_text + "\n" + recipe_text
    return Spelling(
        deferred=frozenset(_PIN_COMPATIBLE.findall(both)),
        exact=frozenset(_EXACT_SUBPACKAGE.findall(both)),
        runtime_hash=bool(_PKG_HASH.search(meta_text)),
        runtime_number=bool(_PKG_BUILDNUM.search(meta_text)),
        computed_pins=bool(_PIN_COMPATIBLE_COMPUTED.search(both)),
    )


def _blank_runtime(text: str, number: int, spelled: Spelling) -> str:
    """A recipe.yaml build string as meta.yaml's render shows it: no hash, no build number.

    The hash each engine computes differs by design; the template around it (prefix, the
    ``h``, separators, variant parts) is still compared.
    """
    if spelled.runtime_hash:
        text = _HASH.sub("", text)
    if spelled.runtime_number:
        text = re.sub(rf"(?<=_){number}(?!\d)", "", text)
    return text


def _spec(text: str, spelled: Spelling, after: int | None = None) -> str:
    """One spelling per meaning: the engines write an exact pin as ``x 1.2 *_0`` and ``x ==1.2``.

    A ``pin_compatible`` name is compared by name only: conda-build's renderer bounds it from
    the variant, rattler-build leaves the bounds to build time. ``after`` is the build number
    when ``text`` comes from recipe.yaml (see ``_blank_runtime``).
    """
    tokens = text.split()
    if not tokens:
        return ""
    if tokens[0] in spelled.deferred:
        return f"{tokens[0]} (pin_compatible)"
    if len(tokens) >= 2 and tokens[1].startswith("=="):
        tokens[1] = tokens[1][2:]
    if len(tokens) == 3 and _EXACT_BUILD.match(tokens[2]):
        tokens.pop()
    elif len(tokens) == 3 and tokens[0] in spelled.exact and _EXACT_VERSION.match(tokens[1]):
        tokens.pop()  # pin_subpackage(exact=True): rattler-build adds the build string later
    elif len(tokens) == 3 and after is not None:
        tokens[2] = _blank_runtime(tokens[2], after, spelled)
    return " ".join(tokens)


def _fields(output: RenderedOutput, spelled: Spelling, after: bool) -> dict[str, str]:
    number = output.build_number if after else None
    build_string = output.build_string or ABSENT
    if number is not None and output.build_string:
        build_string = _blank_runtime(output.build_string, number, spelled)
    fields = {
        "version": output.version,
        "build_number": str(output.build_number),
        "build_string": build_string,
        "noarch": output.noarch or ABSENT,
        "tests": "yes" if output.tests else "no",
    }
    for section in output.requirements.SECTIONS:
        deps = output.requirements.section(section)
        specs = sorted(_spec(d.spec, spelled, number) for d in deps)
        fields[f"requirements.{section}"] = ", ".join(specs) or ABSENT
    for kind, exported in sorted(output.run_exports.items()):
        shown = sorted(_spec(spec, spelled, number) for spec in exported)
        if shown:  # an empty kind is no kind (`weak: []` after an if/then that did not hold)
            fields[f"run_exports.{kind}"] = ", ".join(shown)
    return fields


def computed_pin_names(
    before: Mapping[str, Iterable[RenderedRecipe]], after: Mapping[str, Iterable[RenderedRecipe]]
) -> frozenset[str]:
    """Names a ``pin_compatible(<expression>)`` gave: bare in recipe.yaml, bounded in meta.yaml.

    The name is only known once rendered, so it is read from the two renders: a dependency
    that recipe.yaml's render leaves bare and meta.yaml's render bounds as ``pin_compatible``
    does (``>=A,<B``) in the same output.
    """

    def specs(renders: Mapping[str, Iterable[RenderedRecipe]]) -> dict[tuple[str, str], set[str]]:
        found: dict[tuple[str, str], set[str]] = {}
        for platform, recipes in renders.items():
            for recipe in recipes:
                for output in recipe.outputs:
                    entry = found.setdefault((platform, output.name), set())
                    for section in output.requirements.SECTIONS:
                        entry.update(d.spec for d in output.requirements.section(section))
        return found

    old, new = specs(before), specs(after)
    names: set[str] = set()
    for key, bare_specs in new.items():
        bare = {spec for spec in bare_specs if len(spec.split()) == 1}
        for spec in old.get(key, ()):
            tokens = spec.split()
            if len(tokens) == 2 and tokens[0] in bare and _PIN_BOUNDS.match(tokens[1]):
                names.add(tokens[0])
    return frozenset(names)


def summarise(
    renders: Mapping[str, Iterable[RenderedRecipe]],
    spelled: Spelling = Spelling(),
    *,
    after: bool = False,
) -> Summary:
    """Per (platform, output): every field's values over the platform's variants."""
    summary: Summary = {}
    for platform, recipes in renders.items():
        for recipe in recipes:
            for output in recipe.outputs:
                if output.is_staging:
                    continue
                entry = summary.setdefault((platform, output.name), {})
                entry.setdefault("skip", set()).add(str(output.skip).lower())
                if output.skip:
                    continue
                for name, value in _fields(output, spelled, after).items():
                    entry.setdefault(name, set()).add(value)
    return summary


def _shown(values: set[str] | None) -> str:
    if not values:
        return ABSENT
    return " | ".join(sorted(values))


def _items(values: set[str]) -> set[str]:
    return {item for value in values if value != ABSENT for item in value.split(", ")}


def _change(name: str, old: set[str] | None, new: set[str] | None) -> tuple[str, str]:
    """(before, after) as shown: for a list field, only the entries one side lacks.

    A requirement list differing in one entry would otherwise show two long, nearly equal
    lists (per variant); when both sides hold the same entries in other combinations, the
    whole values are shown.
    """
    if old and new and name.startswith(_LIST_FIELDS):
        gone, added = _items(old) - _items(new), _items(new) - _items(old)
        if gone or added:
            return ", ".join(sorted(gone)) or ABSENT, ", ".join(sorted(added)) or ABSENT
    return _shown(old), _shown(new)


def _output_differences(before: Summary, after: Summary) -> list[Difference]:
    found: list[Difference] = []
    for platform, output in sorted(before.keys() | after.keys()):
        old, new = before.get((platform, output)), after.get((platform, output))
        if old is None or new is None:
            state = ("present" if old else ABSENT, "present" if new else ABSENT)
            found.append(Difference(platform, output, "output", *state))
            continue
        for name in sorted(old.keys() | new.keys()):
            if old.get(name) != new.get(name):
                found.append(
                    Difference(platform, output, name, *_change(name, old.get(name), new.get(name)))
                )
    return found


def compare(
    before: RenderedFeedstock, after: RenderedFeedstock, spelled: Spelling = Spelling()
) -> tuple[Difference, ...]:
    """Every difference between the two sides, sorted (empty: the conversion is proven).

    ``spelled`` says what the engines spell differently by design (see ``Spelling``).
    """
    if spelled.computed_pins:
        computed = computed_pin_names(before.renders, after.renders)
        spelled = replace(spelled, deferred=spelled.deferred | computed)
    before_summary = summarise(before.renders, spelled)
    found = _output_differences(before_summary, summarise(after.renders, spelled, after=True))
    found += ci_differences(before.ci_files, after.ci_files)
    return tuple(sorted(found))
