"""The view model of a feedstock's ``pixi.toml`` (written when ``conda_install_tool: pixi``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import tomli_w

from smithy.config.schema import FeedstockConfig
from smithy.matrix.model import CiJob
from smithy.records import record
from smithy.rerender.model import FeedstockFacts
from smithy.versions import BadMatchSpec, parse_match_spec

PIXI_VERSION = "0.59.0"
# conda-forge.yml's OS keys stand for these subdirs (conda-smithy's alias table).
_ALIASES = {
    "linux": ("linux-64", "linux-aarch64", "linux-ppc64le"),
    "osx": ("osx-64", "osx-arm64"),
    "win": ("win-64", "win-arm64"),
}
_ALIASES["unix"] = _ALIASES["linux"] + _ALIASES["osx"]


def toml_string(value: str) -> str:
    """Return ``value`` as a TOML basic string, quoted and escaped by tomli-w."""
    return tomli_w.dumps({"v": value}).removeprefix("v = ").removesuffix("\n")


def toml_inline_array(values: Iterable[str]) -> str:
    """Return strings as a one-line TOML array.

    Not ``tomli_w.dumps``: it spreads arrays over several lines, and the CI scripts rewrite the
    ``platforms`` line of pixi.toml in place.
    """
    return "[" + ", ".join(toml_string(value) for value in values) + "]"


@record
class PixiTask:
    """One ``[tasks]`` entry; ``name`` and the texts are already TOML-quoted."""

    name: str
    cmd: str
    description: str


@record
class PixiView:
    """Everything ``templates/pixi.toml.j2`` reads; strings are TOML-quoted where noted."""

    pixi_version: str
    smithy_version: str
    name: str  # TOML-quoted
    description: str  # TOML-quoted
    authors: str  # a TOML array
    platforms: str  # a TOML array
    dependencies: tuple[tuple[str, str], ...]  # (quoted name, quoted spec)
    tasks: tuple[PixiTask, ...]
    lint_cmd: str  # TOML-quoted


def match_spec_to_pixi(spec: str) -> tuple[str, str] | None:
    """Turn ``name=4`` / ``name>=1.2`` / ``name`` into ``(name, pixi version spec)``.

    rattler parses the conda match spec (``=4`` means ``4.*``); a build string follows the
    version after a space, as pixi's string form takes it. None when ``spec`` names no single
    package.
    """
    try:
        parsed = parse_match_spec(spec.strip().strip("\"'"), strict=False)
    except BadMatchSpec:
        return None
    name = parsed.name.as_package_name() if parsed.name is not None else None
    if name is None:
        return None
    version = str(parsed.version) if parsed.version is not None else "*"
    return name.source, f"{version} {parsed.build}" if parsed.build else version


def _dependencies(config: FeedstockConfig) -> tuple[tuple[str, str], ...]:
    deps: dict[str, str] = {}
    for spec in config.remote_ci_setup:
        parsed = match_spec_to_pixi(spec)
        if parsed is not None:
            deps[parsed[0]] = parsed[1]
    tool = config.conda_build_tool
    if tool == "rattler-build":
        deps.setdefault("rattler-build", "*")
    else:
        deps.setdefault("conda-build", "*")
        if tool == "mambabuild":
            deps.setdefault("boa", "*")
        elif tool == "conda-build+conda-libmamba-solver":
            deps.setdefault("conda-libmamba-solver", "*")
    return tuple((toml_string(name), toml_string(deps[name])) for name in sorted(deps))


def _build_command(config: FeedstockConfig, variant_file: str | None) -> str:
    recipe = config.recipe_dir
    if config.conda_build_tool == "rattler-build":
        base = f"rattler-build build --recipe {recipe}"
    else:
        base = f"conda-build {recipe}"
    return f"{base} -m {variant_file}" if variant_file else base


def _tasks(jobs: Sequence[CiJob], config: FeedstockConfig, feedstock: str) -> list[PixiTask]:
    tasks = [
        PixiTask(
            toml_string("build"),
            toml_string(_build_command(config, None)),
            toml_string(f"Build {feedstock} with the recipe's default variant, without CI setup"),
        )
    ]
    for name in sorted({job.config_name for job in jobs}):
        tasks.append(
            PixiTask(
                toml_string(f"build-{name}"),
                toml_string(_build_command(config, f".ci_support/{name}.yaml")),
                toml_string(f"Build {feedstock} for the CI job {name}, without CI setup"),
            )
        )
    return tasks


def pixi_platforms(config: FeedstockConfig) -> list[str]:
    """Every platform conda-forge.yml gives a CI provider, as conda-smithy lists them.

    Not only the platforms CI builds on: a noarch feedstock built on linux-64 alone is still
    configured for osx and win, and ``pixi run build`` must work on a maintainer's Mac.
    """
    platforms: set[str] = set()
    for key, providers in config.provider.items():
        if providers:
            platforms.update(_ALIASES.get(key, (key.replace("_", "-"),)))
    return sorted(platforms)


def pixi_view(
    jobs: Sequence[CiJob], config: FeedstockConfig, facts: FeedstockFacts, smithy_version: str
) -> PixiView:
    """Return the pixi.toml view model for a feedstock and its CI jobs."""
    feedstock = config.github.repo_name or facts.feedstock_name
    org = config.github.user_or_org
    team = feedstock.removesuffix("-feedstock")
    platforms = pixi_platforms(config)
    return PixiView(
        pixi_version=PIXI_VERSION,
        smithy_version=smithy_version,
        name=toml_string(feedstock),
        description=toml_string(f"Pixi workspace of {org}/{feedstock}"),
        authors=toml_inline_array([f"@{org}/{team}"]),
        platforms=toml_inline_array(platforms),
        dependencies=_dependencies(config),
        tasks=tuple(_tasks(jobs, config, feedstock)),
        lint_cmd=toml_string(f"smithy lint {config.recipe_dir}"),
    )
