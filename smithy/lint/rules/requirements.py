"""Rules about requirement specs: syntax, spacing, and legacy forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.fixers import sub_lines
from smithy.lint.rule import HINT, LINT, V0, Input, rule
from smithy.lint.rules.common import (
    all_requirements,
    item_text,
    requirement_items,
    requirement_lines,
)
from smithy.recipe.model import RecipeFormat
from smithy.versions import (
    BadMatchSpec,
    parse_match_spec,
)

_OPERATORS = ("!=", "=", "==", ">", "<", "<=", ">=")
# "- name >= 1.0" (space after the operator) and "- name>=1.0" (no space after the name).
_JOINED_FIX = re.compile(r"^(\s*-\s+[A-Za-z0-9_.\-]+)\s+(!=|==|>=|<=|=|>|<)\s+(?=[\w*])")
_SEPARATE_FIX = re.compile(r"^(\s*-\s+[A-Za-z0-9_.\-]+?)(!=|==|>=|<=|=|>|<)(?=[\w*])")
_PIN_FUNCTIONS = ("pin_subpackage", "pin_compatible", "compiler(", "stdlib(", "cdt(")


def _strip_comment(spec: str) -> str:
    return spec.split("#", 1)[0].strip()


def _parse(spec: str, strict: bool) -> str | None:
    """Return MatchSpec's complaint about ``spec``, or None when it parses."""
    try:
        parse_match_spec(spec, strict=strict)
    except BadMatchSpec as exc:
        return " ".join(str(exc).split())
    return None


def _rendered_specs(ctx: LintContext) -> dict[tuple[int, str], str]:
    """``(line, spec) -> section`` over every rendered variant, each pair once."""
    found: dict[tuple[int, str], str] = {}
    for recipe in ctx.rendered:
        for output in recipe.outputs:
            for section in output.requirements.SECTIONS:
                for dep in output.requirements.section(section):
                    if dep.span.path == ctx.path:
                        found.setdefault((dep.span.line, dep.spec), section)
    return found


@rule(
    "SMY401",
    "invalid-requirement",
    LINT,
    reads=[Input.RENDERED],
    fix="Write the requirement as 'name [version [build]]', e.g. 'numpy >=1.26,<3'.",
)
def invalid_requirement(ctx: LintContext) -> Iterator[Problem]:
    """A rendered requirement is not a valid match spec at all.

    Each requirement of every platform and variant is parsed with rattler's
    ``MatchSpec``; one it cannot read would make the build fail in the solver.
    """
    for (line, spec), section in sorted(_rendered_specs(ctx).items()):
        complaint = _parse(spec, strict=False)
        if complaint is not None:
            yield Problem(f"invalid {section} requirement {spec!r}: {complaint}", line, 1)


@rule(
    "SMY402",
    "ambiguous-requirement",
    HINT,
    reads=[Input.RENDERED, Input.TEXT],
    fix="Say what you mean: '==1.2' for exactly 1.2, '1.2.*' for any 1.2 release.",
)
def ambiguous_requirement(ctx: LintContext) -> Iterator[Problem]:
    """A requirement parses only under conda's lenient rules.

    rattler's strict ``MatchSpec`` rejects forms such as ``foo 1.2`` (is it ``==1.2`` or
    ``1.2.*``?) and ``foo >=1 <2``. Specs produced by jinja (pins, compilers,
    ``{{ python_min }}``) are not checked, since the recipe author did not write them.
    """
    for (line, spec), section in sorted(_rendered_specs(ctx).items()):
        source = ctx.line(line)
        if "{{" in source or any(fn in source for fn in _PIN_FUNCTIONS):
            continue
        if _parse(spec, strict=False) is not None:
            continue
        complaint = _parse(spec, strict=True)
        if complaint is not None:
            yield Problem(f"ambiguous {section} requirement {spec!r}: {complaint}", line, 1)


def _written_specs(ctx: LintContext) -> Iterator[tuple[str, int]]:
    marker = "${{" if ctx.format is RecipeFormat.V1 else "{{"
    for _, _, item in all_requirements(ctx):
        spec = _strip_comment(item_text(item))
        if spec and marker not in spec:
            yield spec, item.line


def _fix_joined(text: str, fmt: RecipeFormat) -> str:
    return sub_lines(text, _JOINED_FIX, r"\1 \2", requirement_lines(text, fmt))


def _fix_separate(text: str, fmt: RecipeFormat) -> str:
    return sub_lines(text, _SEPARATE_FIX, r"\1 \2", requirement_lines(text, fmt))


@rule(
    "SMY403",
    "requirement-operator-space",
    LINT,
    compat="R-021",
    reads=[Input.TREE],
    fix="Join the operator and the version: 'numpy >=1.26' (smithy lint --fix does it).",
    fixer=_fix_joined,
)
def requirement_operator_space(ctx: LintContext) -> Iterator[Problem]:
    """A requirement has a space between the operator and the version (``numpy >= 1.26``).

    conda reads the part after the second space as a build string, so the spec means
    something other than intended.
    """
    for spec, line in _written_specs(ctx):
        parts = spec.split()
        if len(parts) > 2 and parts[1] in _OPERATORS:
            fixed = f"{parts[0]} {''.join(parts[1:])}"
            yield Problem(f"write {spec!r} as {fixed!r}", line, 1)


@rule(
    "SMY404",
    "requirement-name-space",
    LINT,
    compat="R-022",
    reads=[Input.TREE],
    fix="Put a space between the name and the version: 'numpy >=1.26' (smithy lint --fix).",
    fixer=_fix_separate,
)
def requirement_name_space(ctx: LintContext) -> Iterator[Problem]:
    """A requirement has no space between the name and the version (``numpy>=1.26``)."""
    for spec, line in _written_specs(ctx):
        parts = spec.split()
        positions = [parts[0].find(op) for op in "><=" if op in parts[0]]
        if positions:
            cut = min(positions)
            fixed = f"{parts[0][:cut]} {parts[0][cut:]}{''.join(parts[1:])}"
            yield Problem(f"write {spec!r} as {fixed!r}", line, 1)


def _strictness(spec: str) -> int | None:
    try:
        parsed = parse_match_spec(spec, strict=False)
    except BadMatchSpec:  # reported by SMY401 instead
        return None
    return 1 + (parsed.version is not None) + (parsed.build is not None)


@rule(
    "SMY405",
    "space-separated-spec",
    HINT,
    compat="R-048",
    reads=[Input.TREE],
    formats=V0,
    fix="Separate name, version and build with single spaces: 'foo 1.0 build'.",
)
def space_separated_spec(ctx: LintContext) -> Iterator[Problem]:
    """A meta.yaml requirement is not in the space-separated ``name version build`` form.

    conda-build parses ``foo =1.0=build`` and ``foo>=1.0`` in ways that differ between
    tools; the space-separated form is read the same everywhere.
    """
    for spec, line in _written_specs(ctx):
        fields = spec.split()
        strictness = _strictness(spec)
        if strictness is not None and strictness != len(fields) and len(fields) <= 3:
            yield Problem(f"{spec!r} is not in 'name version build' form", line, 1)


@rule(
    "SMY406",
    "pinned-numpy",
    LINT,
    compat="R-017",
    reads=[Input.TREE],
    fix="Remove 'numpy x.x'; list numpy in host and let its run_exports pin it.",
)
def pinned_numpy(ctx: LintContext) -> Iterator[Problem]:
    """The legacy ``numpy x.x`` pin is used; numpy's run_exports replace it."""
    for unit in ctx.units():
        for section in ("build", "host", "run"):
            for item in requirement_items(unit, section):
                if " ".join(_strip_comment(item_text(item)).split()) == "numpy x.x":
                    yield Problem("the legacy 'numpy x.x' pin is not allowed", item.line, 1)


@rule(
    "SMY407",
    "legacy-toolchain",
    LINT,
    compat="R0-006",
    reads=[Input.TREE],
    fix="Replace 'toolchain' with the compiler('c') function (and cxx/fortran as needed).",
)
def legacy_toolchain(ctx: LintContext) -> Iterator[Problem]:
    """The retired ``toolchain`` package is used instead of the compiler functions.

    conda-smithy checks both recipe formats under its meta.yaml identifier R0-006.
    """
    for unit in ctx.units():
        for item in requirement_items(unit, "build"):
            if _strip_comment(item_text(item)).split()[:1] == ["toolchain"]:
                yield Problem("'toolchain' is replaced by the compiler() function", item.line, 1)


RULES = (
    invalid_requirement,
    ambiguous_requirement,
    requirement_operator_space,
    requirement_name_space,
    space_separated_spec,
    pinned_numpy,
    legacy_toolchain,
)
