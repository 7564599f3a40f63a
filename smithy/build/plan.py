"""Plan local builds: which feedstocks to build, in graph order, and which cannot be built."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from smithy.graph.feedstock_graph import FeedstockGraph
from smithy.graph.model import NOARCH, FeedstockRecord, View
from smithy.graph.order import build_order


class StepKind(StrEnum):
    """What happens to a feedstock in a build plan."""

    build = "build"  # built with rattler-build
    skip = "skip"  # nothing to build on this platform (every output skipped)
    blocked = "blocked"  # cannot be built: a stop in the plan, as a failure would be


@dataclass(frozen=True, slots=True)
class BuildStep:
    """One feedstock in the plan.

    Attributes:
        name: the feedstock.
        wave: its wave (0-based); every earlier wave is built before it.
        kind: build, skip or blocked.
        recipe: the recipe file to build.
        outputs: the packages it makes.
        reason: why it is skipped or blocked.
    """

    name: str
    wave: int
    kind: StepKind
    recipe: Path
    outputs: tuple[str, ...]
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BuildPlan:
    """Builds in dependency order into one local channel.

    Attributes:
        steps: in build order.
        channel: the local channel folder packages go to and are resolved from.
        platform: the target platform.
    """

    steps: tuple[BuildStep, ...]
    channel: Path
    platform: str

    @property
    def buildable(self) -> tuple[BuildStep, ...]:
        """The steps that run rattler-build."""
        return tuple(step for step in self.steps if step.kind is StepKind.build)


def _step(record: FeedstockRecord, wave: int, platform: str) -> BuildStep:
    recipe = Path(record.path) / record.recipe
    outputs = record.output_names
    if record.error:
        return BuildStep(record.name, wave, StepKind.blocked, recipe, outputs, record.error)
    if record.format != "recipe.yaml":
        reason = "meta.yaml recipes are built by conda-build, not rattler-build"
        return BuildStep(record.name, wave, StepKind.blocked, recipe, outputs, reason)
    if platform not in record.jobs and NOARCH not in record.jobs:
        reason = f"every output is skipped on {platform}"
        return BuildStep(record.name, wave, StepKind.skip, recipe, outputs, reason)
    return BuildStep(record.name, wave, StepKind.build, recipe, outputs)


def plan_builds(
    graph: FeedstockGraph,
    *,
    channel: Path,
    platform: str,
    targets: Iterable[str] = (),
) -> BuildPlan:
    """Order ``graph``'s feedstocks for building on ``platform``.

    Every requirement section orders builds (tests run right after a build, so their
    requirements must exist too); only edges that hold on ``platform`` count.

    Raises:
        GraphCycleError: feedstocks depend on each other in a cycle (no build order exists).
        SmithyError: a target is unknown.
    """
    order = build_order(graph, view=View.all, platform=platform, targets=targets)
    order.require_acyclic()
    steps = [
        _step(graph.records[name], wave, platform)
        for wave, names in enumerate(order.waves)
        for name in names
    ]
    return BuildPlan(steps=tuple(steps), channel=channel, platform=platform)
