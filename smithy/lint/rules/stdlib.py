"""Rules about compilers and the C standard library: stdlib(), sysroot, __osx, licenses."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import LINT, Input, rule
from smithy.lint.rules.common import first_arg, item_text, requirement_items, spec_name
from smithy.lint.tree import Unit, YScalar

# Compilers that link against the C standard library.
_STDLIB_COMPILERS = frozenset({"c", "cxx", "fortran", "rust", "go-cgo", "m2w64_c", "m2w64_cxx"})
_OSX = re.compile(r"^__osx\s*[<>]")


def _compilers(items: list[YScalar]) -> set[str]:
    found = set()
    for item in items:
        language = first_arg(item_text(item), "compiler")
        if language is not None:
            found.add(language)
    return found


def _has_c_stdlib(items: list[YScalar]) -> bool:
    return any(first_arg(item_text(i), "stdlib") in ("c", "m2w64_c") for i in items)


def _build(unit: Unit) -> list[YScalar]:
    return requirement_items(unit, "build")


@rule(
    "SMY431",
    "missing-stdlib",
    LINT,
    compat="R-033",
    reads=[Input.TREE],
    skip_names=("lint_stdlib",),
    fix="Add {{ stdlib('c') }} (recipe.yaml: ${{ stdlib('c') }}) next to the compilers.",
)
def missing_stdlib(ctx: LintContext) -> Iterator[Problem]:
    """Build requirements use a C, C++, Fortran, Rust or cgo compiler but not ``stdlib('c')``.

    The stdlib function pins the C library (glibc, macOS SDK target) the binaries need
    at run time; without it packages may not run on the oldest supported systems.
    Checked per output, as each output has its own build environment.
    """
    for unit in ctx.units():
        build = _build(unit)
        if _compilers(build) & _STDLIB_COMPILERS and not _has_c_stdlib(build):
            line = build[0].line
            yield Problem("a compiler is used without {{ stdlib('c') }}", line, 1)


@rule(
    "SMY432",
    "direct-sysroot",
    LINT,
    compat="R-034",
    reads=[Input.TREE],
    fix="Use {{ stdlib('c') }} and set c_stdlib_version in the recipe's variant file.",
)
def direct_sysroot(ctx: LintContext) -> Iterator[Problem]:
    """A ``sysroot_linux-*`` package is required directly instead of through stdlib('c')."""
    for unit in ctx.units():
        for item in _build(unit):
            if spec_name(item_text(item)).startswith("sysroot_linux"):
                yield Problem("require the sysroot through {{ stdlib('c') }}", item.line, 1)


@rule(
    "SMY433",
    "direct-osx-constraint",
    LINT,
    compat="R-035",
    reads=[Input.TREE],
    fix="Remove the __osx constraint; set c_stdlib_version for osx in the variant file.",
)
def direct_osx_constraint(ctx: LintContext) -> Iterator[Problem]:
    """``__osx >=...`` is written in run requirements; stdlib('c') adds it itself."""
    sections = ("run", "run_constrained", "run_constraints")
    for unit in ctx.units():
        for section in sections:
            for item in requirement_items(unit, section):
                if _OSX.match(item_text(item).strip()):
                    yield Problem("do not constrain __osx directly", item.line, 1)


def _all_build_specs(ctx: LintContext) -> list[YScalar]:
    return [item for unit in ctx.units() for item in _build(unit)]


@rule(
    "SMY434",
    "rust-licenses-not-bundled",
    LINT,
    compat="R-031",
    reads=[Input.TREE],
    fix="Add cargo-bundle-licenses to build requirements and ship its THIRDPARTY file.",
)
def rust_licenses(ctx: LintContext) -> Iterator[Problem]:
    """A Rust build does not bundle the licenses of its crates with cargo-bundle-licenses.

    Rust binaries statically link their dependencies, whose licenses must ship too.
    """
    build = _all_build_specs(ctx)
    names = {spec_name(item_text(item)) for item in build}
    top = ctx.top
    if top is not None and top.name == "cargo-bundle-licenses":
        return
    rust = [item for item in build if first_arg(item_text(item), "compiler") == "rust"]
    if rust and "cargo-bundle-licenses" not in names:
        yield Problem("the rust compiler is used without cargo-bundle-licenses", rust[0].line, 1)


@rule(
    "SMY435",
    "go-licenses-not-bundled",
    LINT,
    compat="R-032",
    reads=[Input.TREE],
    fix="Add go-licenses to build requirements and save the licenses it collects.",
)
def go_licenses(ctx: LintContext) -> Iterator[Problem]:
    """A Go build does not bundle the licenses of its modules with go-licenses."""
    build = _all_build_specs(ctx)
    names = {spec_name(item_text(item)) for item in build}
    top = ctx.top
    if top is not None and top.name == "go-licenses":
        return
    go = [item for item in build if first_arg(item_text(item), "compiler") == "go"]
    if go and "go-licenses" not in names:
        yield Problem("the go compiler is used without go-licenses", go[0].line, 1)


RULES = (missing_stdlib, direct_sysroot, direct_osx_constraint, rust_licenses, go_licenses)
