"""Plan the feedstock files that are not CI configuration: README, licence, git settings, tools."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from smithy import __version__
from smithy.config.schema import FeedstockConfig
from smithy.matrix.model import CiJob
from smithy.records import record
from smithy.rerender.manifest import MANIFEST_PATH
from smithy.rerender.model import EXECUTABLE, REGULAR, FeedstockFacts, PlannedFile
from smithy.rerender.readme import maintainer_list, readme_view
from smithy.rerender.removal import is_skipped
from smithy.rerender.templating import render_template

# Paths smithy generates that .gitattributes marks as generated (GitHub folds their diffs).
# `.ci_support/*.yaml` is left out on purpose: reviewers should see matrix changes.
GENERATED_ATTRIBUTE_PATHS: tuple[str, ...] = (
    "/.gitattributes",
    "/.gitignore",
    "/README.md",
    "/LICENSE.txt",
    "/build-locally.py",
    "/pixi.toml",
    "/azure-pipelines.yml",
    "/.azure-pipelines/*",
    "/.scripts/*",
    "/.ci_support/README",
    "/.github/CODEOWNERS",
    "/.github/workflows/conda-build.yml",
    f"/{MANIFEST_PATH}",
)

# Generated paths the root `*` of .gitignore must not hide (so that `git add` needs no -f).
UNIGNORED_PATHS: tuple[str, ...] = (
    "/.gitattributes",
    "/.gitignore",
    "/README.md",
    "/LICENSE.txt",
    "/build-locally.py",
    "/pixi.toml",
    "/azure-pipelines.yml",
    "/.azure-pipelines/**",
    "/.scripts/**",
    "/.ci_support/**",
    "/.smithy/**",
)

DEFAULT_COPYRIGHT_YEARS = "2015-2026"
_COPYRIGHT = re.compile(r"^Copyright \(c\) (\d{4}(?:-\d{4})?), (.+?)\s*$", re.MULTILINE)


@record
class LicenseView:
    """The copyright line of LICENSE.txt."""

    years: str
    holder: str


@record
class GitAttributesView:
    """What ``.gitattributes`` reads."""

    recipe_dir: str
    generated: tuple[str, ...]


@record
class GitIgnoreView:
    """What ``.gitignore`` reads."""

    recipe_dir: str
    generated: tuple[str, ...]


@record
class BuildLocallyView:
    """What ``build-locally.py`` reads; ``recipe_dir_literal`` is a Python string literal."""

    recipe_dir_literal: str


@record
class _Inputs:
    jobs: Sequence[CiJob]
    config: FeedstockConfig
    facts: FeedstockFacts
    feedstock_dir: Path


def license_view(config: FeedstockConfig, feedstock_dir: Path) -> LicenseView:
    """Keep the copyright years and holder of an existing LICENSE.txt, so rerenders are stable."""
    existing = feedstock_dir / "LICENSE.txt"
    if existing.is_file():
        found = _COPYRIGHT.search(existing.read_text(encoding="utf-8", errors="replace"))
        if found:
            return LicenseView(years=found.group(1), holder=found.group(2))
    org = config.github.user_or_org
    return LicenseView(years=DEFAULT_COPYRIGHT_YEARS, holder=f"{org} contributors")


def codeowners(maintainers: Sequence[str]) -> tuple[str, ...]:
    """Return CODEOWNERS handles: ``@user`` and ``@org/team`` (GitHub team slugs are lower-case)."""
    return tuple(
        f"@{m.handle.lower()}" if "/" in m.handle else f"@{m.handle}"
        for m in maintainer_list(maintainers)
    )


def _readme(inputs: _Inputs) -> Mapping[str, Any]:
    return {"readme": readme_view(inputs.jobs, inputs.config, inputs.facts)}


def _license(inputs: _Inputs) -> Mapping[str, Any]:
    return {"license": license_view(inputs.config, inputs.feedstock_dir)}


def _gitattributes(inputs: _Inputs) -> Mapping[str, Any]:
    view = GitAttributesView(inputs.config.recipe_dir, GENERATED_ATTRIBUTE_PATHS)
    return {"attributes": view}


def _gitignore(inputs: _Inputs) -> Mapping[str, Any]:
    return {"ignore": GitIgnoreView(inputs.config.recipe_dir, UNIGNORED_PATHS)}


def _codeowners(inputs: _Inputs) -> Mapping[str, Any]:
    return {"owners": codeowners(inputs.facts.maintainers)}


def _ci_support_readme(inputs: _Inputs) -> Mapping[str, Any]:
    return {"recipe_dir": inputs.config.recipe_dir}


def _build_locally(inputs: _Inputs) -> Mapping[str, Any]:
    return {"build": BuildLocallyView(recipe_dir_literal=repr(inputs.config.recipe_dir))}


def _pixi(inputs: _Inputs) -> Mapping[str, Any]:
    # Imported here: only pixi feedstocks write pixi.toml, and its module (tomli-w, its view
    # classes) would cost every other rerender's start-up.
    from smithy.rerender.pixi import pixi_view

    return {"pixi": pixi_view(inputs.jobs, inputs.config, inputs.facts, __version__)}


@record
class _Spec:
    path: str
    view: Callable[[_Inputs], Mapping[str, Any]]
    mode: int = REGULAR
    wanted: Callable[[_Inputs], bool] = lambda _inputs: True


FILE_SPECS: tuple[_Spec, ...] = (
    _Spec("README.md", _readme),
    _Spec("LICENSE.txt", _license),
    _Spec(".gitattributes", _gitattributes),
    _Spec(".gitignore", _gitignore),
    _Spec(".github/CODEOWNERS", _codeowners, wanted=lambda i: bool(i.facts.maintainers)),
    _Spec(".ci_support/README", _ci_support_readme),
    _Spec("build-locally.py", _build_locally, mode=EXECUTABLE),
    _Spec("pixi.toml", _pixi, wanted=lambda i: i.config.conda_install_tool == "pixi"),
)


def feedstock_file_paths() -> tuple[str, ...]:
    """Every path ``feedstock_files`` may plan (whether it does depends on the config)."""
    return tuple(spec.path for spec in FILE_SPECS)


def feedstock_files(
    jobs: Sequence[CiJob],
    config: FeedstockConfig,
    facts: FeedstockFacts,
    feedstock_dir: Path,
) -> dict[str, PlannedFile]:
    """Plan README.md, LICENSE.txt, git settings, CODEOWNERS, build-locally.py and pixi.toml.

    Paths under ``skip_render`` are left out; so are ``.github/CODEOWNERS`` without
    maintainers and ``pixi.toml`` unless ``conda_install_tool`` is ``pixi`` (a previous
    rerender's copy then becomes stale and the plan's caller removes it). A template in
    ``<feedstock_dir>/templates/`` overrides the built-in one.

    Args:
        jobs: the feedstock's CI jobs (one per ``.ci_support`` file).
        config: the feedstock's conda-forge.yml.
        facts: what the README and CODEOWNERS need to know about the recipe.
        feedstock_dir: the feedstock root (for template overrides and LICENSE.txt's years).

    Raises:
        TemplateError: a template (built-in or overridden) fails to render.
    """
    inputs = _Inputs(jobs=jobs, config=config, facts=facts, feedstock_dir=feedstock_dir)
    planned: dict[str, PlannedFile] = {}
    for spec in FILE_SPECS:
        if is_skipped(spec.path, config.skip_render) or not spec.wanted(inputs):
            continue
        text = render_template(spec.path, spec.view(inputs), feedstock_dir=feedstock_dir)
        planned[spec.path] = PlannedFile(text.encode("utf-8"), spec.mode)
    return planned
