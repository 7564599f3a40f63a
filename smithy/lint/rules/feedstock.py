"""conda-forge's own rules: feedstock layout, workflows, macOS targets, pins and names."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from smithy import yaml
from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, LINT, Input, rule
from smithy.lint.rules.common import item_text, requirement_items, spec_name
from smithy.lint.rules.osx_pins import (
    OSX_BASELINE,
    osx_pins,
    sdk_below_stdlib,
    stdlib_below_baseline,
)
from smithy.lint.tree import YMap, get, text

_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)
_REMOTE = re.compile(r"github\.com[:/]([\w.-]+)/([\w.-]+?)-feedstock(?:\.git)?/?\s*$")


def _variant_files(ctx: LintContext) -> list[Path]:
    names = ("conda_build_config.yaml", "variants.yaml")
    return [ctx.recipe_dir / n for n in names if (ctx.recipe_dir / n).is_file()]


@rule(
    "SMY901",
    "no-variant-configs",
    LINT,
    compat="CF-003",
    reads=[Input.FILES],
    conda_forge=True,
    fix="Rerender the feedstock (smithy rerender) to create .ci_support/*.yaml.",
)
def no_variant_configs(ctx: LintContext) -> Iterator[Problem]:
    """The feedstock has no ``.ci_support/*.yaml`` files, so CI builds nothing."""
    root = ctx.feedstock_dir
    if root is not None and not any((root / ".ci_support").glob("*.yaml")):
        yield Problem("the feedstock has no .ci_support/*.yaml; rerender it", 0, 0, ctx.show(root))


@rule(
    "SMY902",
    "empty-variant-file",
    LINT,
    compat="CF-004",
    reads=[Input.FILES],
    conda_forge=True,
    fix="Delete the empty conda_build_config.yaml.",
)
def empty_variant_file(ctx: LintContext) -> Iterator[Problem]:
    """The recipe's conda_build_config.yaml holds nothing."""
    path = ctx.recipe_dir / "conda_build_config.yaml"
    content = ctx.read(path) if path.is_file() else None
    if content is not None and not any(
        line.strip() and not line.strip().startswith("#") for line in content.split("\n")
    ):
        yield Problem("conda_build_config.yaml is empty", 0, 0, ctx.show(path))


@rule(
    "SMY903",
    "custom-workflow",
    LINT,
    compat="CF-005",
    reads=[Input.FILES],
    conda_forge=True,
    fix="Remove the workflow; conda-forge feedstocks only run the generated ones.",
)
def custom_workflow(ctx: LintContext) -> Iterator[Problem]:
    """The feedstock has a GitHub workflow other than the generated conda-build.yml."""
    root = ctx.feedstock_dir
    if root is None:
        return
    folder = root / ".github" / "workflows"
    found = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
    for path in found:
        if path.name != "conda-build.yml":
            yield Problem(f"custom workflow {path.name} is not allowed", 0, 0, ctx.show(path))


def _key_line(ctx: LintContext, path: Path, key: str) -> int:
    """The line of the top-level ``key`` in a variant file (0 when not written there)."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    for number, line in enumerate((ctx.read(path) or "").split("\n"), start=1):
        if pattern.match(line):
            return number
    return 0


@rule(
    "SMY904",
    "macos-deployment-target",
    LINT,
    compat="RC-000",
    reads=[Input.FILES],
    conda_forge=True,
    fix="Rename MACOSX_DEPLOYMENT_TARGET to c_stdlib_version (osx) in the variant file.",
)
def macos_deployment_target(ctx: LintContext) -> Iterator[Problem]:
    """A variant file sets ``MACOSX_DEPLOYMENT_TARGET``; ``c_stdlib_version`` replaced it."""
    for path in _variant_files(ctx):
        content = ctx.read(path) or ""
        for number, line in enumerate(content.split("\n"), start=1):
            if line.startswith("MACOSX_DEPLOYMENT_TARGET"):
                yield Problem("use c_stdlib_version instead", number, 1, ctx.show(path))


@rule(
    "SMY905",
    "macos-stdlib-below-baseline",
    LINT,
    compat="RC-001",
    reads=[Input.FILES],
    conda_forge=True,
    fix=f"Remove the osx c_stdlib_version override or raise it to {OSX_BASELINE}.",
)
def macos_stdlib_below_baseline(ctx: LintContext) -> Iterator[Problem]:
    """An osx ``c_stdlib_version`` is below conda-forge's macOS baseline (11.0)."""
    for path in _variant_files(ctx):
        value = stdlib_below_baseline(osx_pins(ctx.read(path), path))
        if value is not None:
            line = _key_line(ctx, path, "c_stdlib_version")
            message = f"osx c_stdlib_version {value} is below {OSX_BASELINE}"
            yield Problem(message, line, 1 if line else 0, ctx.show(path))
            return


@rule(
    "SMY906",
    "macos-sdk-below-stdlib",
    LINT,
    compat="CBC-001",
    reads=[Input.FILES],
    conda_forge=True,
    fix="Raise MACOSX_SDK_VERSION to at least c_stdlib_version.",
)
def macos_sdk_below_stdlib(ctx: LintContext) -> Iterator[Problem]:
    """``MACOSX_SDK_VERSION`` is lower than the osx ``c_stdlib_version`` it builds for.

    As conda-smithy compares them: two values per key are taken as x86_64's and arm64's
    (the higher one being arm64's) and compared pairwise; a key the variant file does not
    set counts as the 11.0 baseline, so ``c_stdlib_version`` 12.0 for arm64 alone, without
    a matching SDK, is reported too.
    """
    for path in _variant_files(ctx):
        value = sdk_below_stdlib(osx_pins(ctx.read(path), path))
        if value is not None:
            line = _key_line(ctx, path, "MACOSX_SDK_VERSION") or _key_line(
                ctx, path, "c_stdlib_version"
            )
            message = f"MACOSX_SDK_VERSION {value} is below c_stdlib_version"
            yield Problem(message, line, 1 if line else 0, ctx.show(path))
            return


def _pinned_keys(ctx: LintContext) -> frozenset[str]:
    root = ctx.feedstock_dir
    keys: set[str] = set()
    if root is not None:
        for path in sorted((root / ".ci_support").glob("*.yaml")):
            keys.update(_KEY.findall(ctx.read(path) or ""))
    return frozenset(keys)


@rule(
    "SMY907",
    "pinned-dependency-overridden",
    HINT,
    compat="CF-006",
    reads=[Input.TREE, Input.FILES],
    conda_forge=True,
    fix="Write the bare name in host so the global pinning applies.",
)
def pinned_dependency_overridden(ctx: LintContext) -> Iterator[Problem]:
    """A host requirement constrains a package the global pinning already pins.

    A package listed more than once in one host section (``- blah`` and ``- blah >=3.7``)
    is left alone, as conda-smithy leaves it.
    """
    keys = _pinned_keys(ctx)
    if not keys:
        return
    for unit in ctx.units():
        items = [(item, item_text(item)) for item in requirement_items(unit, "host")]
        counts = Counter(spec_name(spec) for _, spec in items)
        for item, spec in items:
            name = spec_name(spec)
            if counts[name] > 1 or "{" in spec or len(spec.split()) <= 1:
                continue
            if name.replace("-", "_") in keys:
                yield Problem(f"{name} is pinned globally; '{spec}' overrides it", item.line, 1)


def _duplicates(node: yaml.Node | None) -> Iterator[tuple[str, int, int]]:
    if isinstance(node, yaml.Mapping):
        seen: set[str] = set()
        for key, value in node.pairs:
            name = str(key.value) if isinstance(key, yaml.Scalar) else ""
            if name in seen:
                yield name, key.line, key.column
            seen.add(name)
            yield from _duplicates(value)
    elif isinstance(node, yaml.Sequence):
        for item in node.items:
            yield from _duplicates(item)


@rule(
    "SMY908",
    "duplicate-config-keys",
    LINT,
    compat="FC-001",
    reads=[Input.CONFIG],
    conda_forge=True,
    fix="Merge the duplicated keys into one.",
)
def duplicate_config_keys(ctx: LintContext) -> Iterator[Problem]:
    """conda-forge.yml repeats a key in one mapping; all but the last are ignored."""
    path = ctx.config_path
    content = ctx.read(path) if path is not None else None
    if path is None or content is None:
        return
    try:
        node = yaml.compose(content, str(path))
    except yaml.YamlError:  # unparsable YAML is reported by SMY003
        return
    for name, line, column in _duplicates(node):
        yield Problem(f"duplicate key '{name}'", line, column, ctx.show(path))


def _remote_feedstock(ctx: LintContext) -> str | None:
    root = ctx.feedstock_dir
    content = ctx.read(root / ".git" / "config") if root is not None else None
    if not content:
        return None
    remotes = dict(re.findall(r'\[remote "([^"]+)"\][^\[]*?url\s*=\s*(\S+)', content))
    for name in ("upstream", "origin"):
        match = _REMOTE.search(remotes.get(name, ""))
        if match:
            return match.group(2)
    return None


@rule(
    "SMY909",
    "mismatched-feedstock-name",
    LINT,
    compat="CF-013",
    reads=[Input.TREE, Input.FILES],
    conda_forge=True,
    fix="Set extra.feedstock-name to the repository name without '-feedstock'.",
)
def mismatched_feedstock_name(ctx: LintContext) -> Iterator[Problem]:
    """The git remote's ``<name>-feedstock`` differs from the recipe's feedstock name.

    Read from the ``upstream`` (else ``origin``) remote in .git/config; smithy does not
    run git.
    """
    remote = _remote_feedstock(ctx)
    top = ctx.top
    if remote is None or top is None:
        return
    extra = get(ctx.tree, "extra")
    if isinstance(extra, YMap) and text(extra.get("feedstock-name")):
        declared, line = text(extra.get("feedstock-name")), extra.key_lines["feedstock-name"]
    else:
        head = get(ctx.tree, "package") or get(ctx.tree, "recipe")
        declared = top.name
        line = head.key_lines.get("name", top.line) if isinstance(head, YMap) else top.line
    if declared and "{" not in declared and declared != remote:
        message = f"the repository is {remote}-feedstock but the recipe says {declared!r}"
        yield Problem(message, line, 1)


RULES = (
    no_variant_configs,
    empty_variant_file,
    custom_workflow,
    macos_deployment_target,
    macos_stdlib_below_baseline,
    macos_sdk_below_stdlib,
    pinned_dependency_overridden,
    duplicate_config_keys,
    mismatched_feedstock_name,
)
