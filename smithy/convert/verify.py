"""Compare what meta.yaml and the converted recipe.yaml render to, platform by platform.

Each side is summarised per (platform, output) as the set of values a field takes over the
platform's variants, so the two engines may enumerate variants differently (a key one engine
reads and the other does not) without that alone counting as a difference; the ``.ci_support``
matrix (file names, keys) catches a change in the variants themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from smithy.convert.model import Difference
from smithy.recipe.model import RenderedOutput, RenderedRecipe

ABSENT = "-"


@dataclass(frozen=True, slots=True)
class RenderedFeedstock:
    """One side of the comparison.

    Attributes:
        renders: per target platform, the recipe rendered for each variant.
        ci_files: ``.ci_support`` file name -> the job's variant config.
    """

    renders: Mapping[str, tuple[RenderedRecipe, ...]]
    ci_files: Mapping[str, Mapping[str, Any]]


Summary = dict[tuple[str, str], dict[str, set[str]]]


_EXACT_BUILD = re.compile(r"^\*_\d+$")
_PIN_COMPATIBLE = re.compile(r"""pin_compatible\(\s*["']([^"']+)["']""")


def deferred_pins(recipe_text: str) -> frozenset[str]:
    """Names under ``pin_compatible``: rattler-build pins them only once the host env is solved."""
    return frozenset(_PIN_COMPATIBLE.findall(recipe_text))


def _spec(text: str, deferred: frozenset[str]) -> str:
    """One spelling per meaning: the engines write an exact pin as ``x 1.2 *_0`` and ``x ==1.2``.

    A ``pin_compatible`` name is compared by name only: conda-build's renderer bounds it from
    the variant, rattler-build leaves the bounds to build time.
    """
    tokens = text.split()
    if not tokens:
        return ""
    if tokens[0] in deferred:
        return f"{tokens[0]} (pin_compatible)"
    if len(tokens) >= 2 and tokens[1].startswith("=="):
        tokens[1] = tokens[1][2:]
    if len(tokens) == 3 and _EXACT_BUILD.match(tokens[2]):
        tokens.pop()
    return " ".join(tokens)


def _fields(output: RenderedOutput, deferred: frozenset[str]) -> dict[str, str]:
    fields = {
        "version": output.version,
        "build_number": str(output.build_number),
        "build_string": output.build_string or ABSENT,
        "noarch": output.noarch or ABSENT,
        "tests": "yes" if output.tests else "no",
    }
    for section in output.requirements.SECTIONS:
        specs = sorted(_spec(d.spec, deferred) for d in output.requirements.section(section))
        fields[f"requirements.{section}"] = ", ".join(specs) or ABSENT
    for kind, exported in sorted(output.run_exports.items()):
        shown = sorted(_spec(spec, deferred) for spec in exported)
        if shown:  # an empty kind is no kind (`weak: []` after an if/then that did not hold)
            fields[f"run_exports.{kind}"] = ", ".join(shown)
    return fields


def summarise(
    renders: Mapping[str, Iterable[RenderedRecipe]], deferred: frozenset[str] = frozenset()
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
                for name, value in _fields(output, deferred).items():
                    entry.setdefault(name, set()).add(value)
    return summary


def _shown(values: set[str] | None) -> str:
    if not values:
        return ABSENT
    return " | ".join(sorted(values))


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
                shown = (_shown(old.get(name)), _shown(new.get(name)))
                found.append(Difference(platform, output, name, *shown))
    return found


def _ci_differences(
    before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]
) -> list[Difference]:
    found: list[Difference] = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after or name not in before:
            state = ("present", ABSENT) if name in before else (ABSENT, "present")
            found.append(Difference(".ci_support", name, "file", *state))
            continue
        old_keys, new_keys = set(before[name]), set(after[name])
        if old_keys != new_keys:
            found.append(
                Difference(
                    ".ci_support",
                    name,
                    "keys",
                    ", ".join(sorted(old_keys - new_keys)) or ABSENT,
                    ", ".join(sorted(new_keys - old_keys)) or ABSENT,
                )
            )
    return found


def compare(
    before: RenderedFeedstock, after: RenderedFeedstock, deferred: frozenset[str] = frozenset()
) -> tuple[Difference, ...]:
    """Every difference between the two sides, sorted (empty: the conversion is proven).

    ``deferred`` names are compared without their bounds (see ``deferred_pins``).
    """
    before_summary = summarise(before.renders, deferred)
    found = _output_differences(before_summary, summarise(after.renders, deferred))
    found += _ci_differences(before.ci_files, after.ci_files)
    return tuple(sorted(found))


def dropped_keys(before: RenderedFeedstock, after: RenderedFeedstock) -> set[str]:
    """Variant keys some ``.ci_support`` file had from meta.yaml and lacks from recipe.yaml."""
    keys: set[str] = set()
    for name, config in before.ci_files.items():
        if name in after.ci_files:
            keys |= set(config) - set(after.ci_files[name])
    return keys
