"""Render one feedstock for its platforms and reduce it to a ``FeedstockRecord``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from smithy.errors import SmithyError
from smithy.graph.model import NOARCH, FeedstockRecord, OutputInfo, make_requires, package_name
from smithy.matrix.collapse import ALWAYS_KEPT
from smithy.matrix.jobs import PlatformJobs
from smithy.matrix.render import render_matrix
from smithy.matrix.space import feedstock_config
from smithy.matrix.variant_render import PlatformVariants
from smithy.pinning.source import resolve_pinning
from smithy.recipe.load import load_recipe
from smithy.recipe.model import RecipeFormat, RenderedOutput, RenderedRecipe

_REQ_SECTIONS = ("build", "host", "run")
# Entries of a job config that are not variant keys.
_JOB_META_KEYS = frozenset({"zip_keys", "pin_run_as_build"})


class _Collector:
    """Accumulates what the renders of one feedstock say, platform by platform."""

    def __init__(self) -> None:
        self.requires: dict[str, dict[str, set[str]]] = {}
        self.used: dict[str, set[str]] = {}
        self.jobs: dict[str, int] = {}
        self.outputs: dict[str, tuple[str | None, set[str]]] = {}
        self.version = ""

    def add(self, section: str, specs: Iterable[str], platform: str) -> None:
        packages = self.requires.setdefault(section, {})
        for spec in specs:
            name = package_name(spec)
            if name:
                packages.setdefault(name, set()).add(platform)

    def add_output(self, output: RenderedOutput, platform: str) -> None:
        label = NOARCH if output.noarch else platform
        _noarch, platforms = self.outputs.setdefault(output.name, (output.noarch, set()))
        platforms.add(label)
        for section in _REQ_SECTIONS:
            self.add(section, (dep.spec for dep in output.requirements.section(section)), label)
        self.add("test", _test_specs(output.tests), label)

    def record(self, name: str, path: Path, recipe: str, fmt: str) -> FeedstockRecord:
        return FeedstockRecord(
            name=name,
            path=str(path),
            recipe=recipe,
            format=fmt,
            version=self.version,
            outputs=tuple(
                OutputInfo(out, self.outputs[out][0], tuple(sorted(self.outputs[out][1])))
                for out in sorted(self.outputs)
            ),
            requires=make_requires(self.requires),
            used_keys={key: tuple(sorted(self.used[key])) for key in sorted(self.used)},
            jobs={platform: self.jobs[platform] for platform in sorted(self.jobs)},
        )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def _test_specs(tests: Iterable[Any]) -> list[str]:
    """Requirement specs of tests: v0 ``requires``, v1 ``requirements`` and ``pip_check``."""
    specs: list[str] = []
    for test in tests:
        if not isinstance(test, Mapping):
            continue
        specs += _strings(test.get("requires"))
        requirements = test.get("requirements")
        if isinstance(requirements, Mapping):
            specs += _strings(requirements.get("run")) + _strings(requirements.get("build"))
        python = test.get("python")
        if isinstance(python, Mapping) and python.get("pip_check", True) is not False:
            specs.append("pip")
    return specs


def _top_level(render: RenderedRecipe, collector: _Collector, label: str) -> None:
    """A meta.yaml with outputs also builds its top level: its requirements count too."""
    if render.raw.format is not RecipeFormat.V0 or not isinstance(render.data.get("outputs"), list):
        return
    requirements = render.data.get("requirements")
    if isinstance(requirements, Mapping):
        for section in _REQ_SECTIONS:
            collector.add(section, _strings(requirements.get(section)), label)
    test = render.data.get("test")
    collector.add("test", _test_specs([test] if test else []), label)


def _recipe_in(recipe: Path, feedstock: Path) -> str:
    """The recipe file's path inside ``feedstock``; as it resolves when a link leads outside.

    A recipe linked to a file outside the feedstock made relative_to raise ValueError: an
    internal error recorded for the feedstock instead of its reading error.
    """
    try:
        return recipe.relative_to(feedstock.resolve()).as_posix()
    except ValueError:
        return recipe.as_posix()


def _all_noarch(entry: PlatformVariants) -> bool:
    outputs = [o for r in entry.renders for o in r.outputs if not o.is_staging and not o.skip]
    return bool(outputs) and all(output.noarch for output in outputs)


def _job_keys(entry: PlatformJobs) -> set[str]:
    """The variant keys a rerender writes into this platform's job configs.

    The keys conda-smithy keeps in every config count only where the recipe reads them.
    """
    written = {key for config in entry.collapsed.configs for key in config} - _JOB_META_KEYS
    return written - (ALWAYS_KEPT - set(entry.rendered.used_keys))


def _collect(entry: PlatformJobs, collector: _Collector) -> None:
    rendered = entry.rendered
    noarch = _all_noarch(rendered)
    label = NOARCH if noarch else rendered.platform
    built = 0
    for render in rendered.renders:
        collector.version = collector.version or render.version
        outputs = [o for o in render.outputs if not o.is_staging and not o.skip]
        if not outputs and all(o.skip for o in render.outputs):
            continue
        built += 1
        for output in render.outputs:
            if output.is_staging:
                # A v1 staging output makes no package, but what it builds with counts.
                for section in _REQ_SECTIONS:
                    specs = (dep.spec for dep in output.requirements.section(section))
                    collector.add(section, specs, label)
            elif not output.skip:
                collector.add_output(output, rendered.platform)
        _top_level(render, collector, label)
    if built:
        # As many jobs as the rerender writes job configs: keys that do not split a job (a
        # python needed only at run time, say) do not multiply them here either.
        jobs = len(entry.collapsed.configs) or (built if noarch else 0)
        if jobs:
            collector.jobs[label] = max(collector.jobs.get(label, 0), jobs)
        for key in _job_keys(entry) if entry.collapsed.configs else rendered.used_keys:
            collector.used.setdefault(key, set()).add(label)


def record_from_renders(
    name: str, path: Path, entries: Iterable[PlatformJobs], *, recipe: str, fmt: str
) -> FeedstockRecord:
    """Reduce renders of a feedstock (from any consumer, e.g. a rerender) to its graph record.

    Args:
        name: the feedstock name.
        path: the feedstock folder.
        entries: the feedstock's matrix per platform (renders and job configs).
        recipe: the recipe file relative to ``path``.
        fmt: the recipe format (``meta.yaml`` or ``recipe.yaml``).
    """
    collector = _Collector()
    for entry in entries:
        _collect(entry, collector)
    return collector.record(name, path, recipe, fmt)


def parse_feedstock(
    name: str,
    path: Path,
    *,
    platforms: tuple[str, ...],
    pinning: str | None,
    environ: Mapping[str, str],
) -> FeedstockRecord:
    """Render the feedstock at ``path`` and record its outputs and requirements.

    The first platform is rendered alone: when every output is noarch the other platforms
    would say the same, so they are skipped. A recipe that cannot be read gives a record
    with ``error`` set, not an exception: one broken feedstock must not stop a graph.

    Args:
        name: the feedstock name.
        path: the feedstock folder.
        platforms: platforms to render, first one first.
        pinning: the ``--pinning`` value (None for the default search).
        environ: the process environment (for the pinning search only).
    """
    recipe, fmt = "", ""
    try:
        source = resolve_pinning(pinning, environ)
        raw = load_recipe(path)
        recipe = _recipe_in(raw.path, path)
        fmt = raw.format.value
        config = feedstock_config(raw)
        first = render_matrix(raw, config, source, feedstock=path, platforms=platforms[:1])
        entries = list(first.platforms)
        if len(platforms) > 1 and not _all_noarch(entries[0].rendered):
            rest = render_matrix(raw, config, source, feedstock=path, platforms=platforms[1:])
            entries += rest.platforms
        record = record_from_renders(name, path, entries, recipe=recipe, fmt=fmt)
    except SmithyError as exc:
        return FeedstockRecord(name=name, path=str(path), recipe=recipe, format=fmt, error=str(exc))
    except Exception as exc:  # one feedstock's failure must not abort a 30,000-node graph
        message = f"internal error: {type(exc).__name__}: {exc}"
        return FeedstockRecord(name=name, path=str(path), recipe=recipe, format=fmt, error=message)
    return record
