"""Run a build plan with py-rattler-build into a local channel indexed with py-rattler."""

from __future__ import annotations

import asyncio
import importlib
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any

from smithy.build.plan import BuildPlan, BuildStep, StepKind
from smithy.errors import SmithyError

INSTALL_HINT = "smithy build needs py-rattler-build: pip install 'smithy-forge[build]'"
# How many log lines of a failed build the report keeps.
LOG_TAIL = 30


class StepStatus(StrEnum):
    """The outcome of one step."""

    built = "built"
    failed = "failed"
    skipped = "skipped"
    not_run = "not-run"  # after a failure, or planned only (--dry-run)


@dataclass(frozen=True, slots=True)
class StepResult:
    """What happened to one feedstock.

    Attributes:
        step: the planned step.
        status: its outcome.
        seconds: wall time of its build (0 when not built).
        packages: package files written to the channel.
        message: the error or skip reason (one line).
        log_tail: the last lines of a failed build's log.
    """

    step: BuildStep
    status: StepStatus
    seconds: float = 0.0
    packages: tuple[str, ...] = ()
    message: str = ""
    log_tail: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BuildEvent:
    """Progress of a run: a step starts (``done`` False) or ends (``result`` set)."""

    index: int
    total: int
    step: BuildStep
    result: StepResult | None = None


@dataclass(frozen=True, slots=True)
class BuildRun:
    """The results of every step, in plan order."""

    results: tuple[StepResult, ...]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return all(result.status is not StepStatus.failed for result in self.results)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to run rattler-build.

    Attributes:
        extra_channels: channels searched after the local one (none: fully offline).
        variant_config: variant files passed to every build.
        run_tests: run the recipes' tests after each build.
    """

    extra_channels: tuple[str, ...] = ()
    variant_config: tuple[Path, ...] = ()
    run_tests: bool = False


def load_backend() -> ModuleType:
    """Import py-rattler-build, or explain how to install it.

    Raises:
        SmithyError: py-rattler-build is not installed.
    """
    try:
        backend: ModuleType = importlib.import_module("rattler_build")
    except ImportError:
        raise SmithyError(INSTALL_HINT) from None
    return backend


class _LogTail:
    """A rattler-build progress callback keeping the last log lines (for failure reports)."""

    def __init__(self) -> None:
        self.lines: deque[str] = deque(maxlen=LOG_TAIL)

    def on_log(self, event: Any) -> None:
        self.lines.append(str(getattr(event, "message", event)))

    def on_build_step(self, event: Any) -> None:
        self.lines.append(f"[{getattr(event, 'step_name', '')}] {getattr(event, 'message', '')}")


def index_channel(channel: Path) -> None:
    """Write repodata for every subdir of ``channel`` with py-rattler."""
    from rattler.index import index_fs

    (channel / "noarch").mkdir(parents=True, exist_ok=True)
    asyncio.run(index_fs(channel_directory=channel, write_zst=False, write_shards=False))


def _build_one(backend: Any, plan: BuildPlan, step: BuildStep, options: BuildOptions) -> StepResult:
    tail = _LogTail()
    started = time.perf_counter()
    try:
        recipe = backend.Stage0Recipe.from_file(step.recipe)
        variants = None
        if options.variant_config:
            variants = backend.VariantConfig.from_files([str(p) for p in options.variant_config])
        results = recipe.run_build(
            variant_config=variants,
            tool_config=backend.ToolConfiguration(
                test_strategy="native" if options.run_tests else "skip"
            ),
            output_dir=str(plan.channel),
            channels=[plan.channel.resolve().as_uri(), *options.extra_channels],
            progress_callback=tail,
            no_build_id=True,
            render_config=backend.RenderConfig(
                platform=backend.PlatformConfig(target_platform=plan.platform)
            ),
        )
    except Exception as exc:  # rattler-build raises its own exception tree for every failure
        message = " ".join(str(exc).split()) or type(exc).__name__
        seconds = time.perf_counter() - started
        return StepResult(
            step, StepStatus.failed, seconds, message=message, log_tail=tuple(tail.lines)
        )
    index_channel(plan.channel)
    packages = tuple(sorted(str(p) for result in results for p in result.packages))
    return StepResult(step, StepStatus.built, time.perf_counter() - started, packages)


def run_builds(
    plan: BuildPlan,
    *,
    options: BuildOptions | None = None,
    on_event: Callable[[BuildEvent], None] | None = None,
    backend: ModuleType | None = None,
) -> BuildRun:
    """Build the plan's steps in order; stop at the first failure.

    The channel is indexed before the first build (so an empty channel resolves) and after
    each one, so every build resolves what earlier waves made. Blocked steps count as
    failures; steps after a failure are reported as not run.

    Raises:
        SmithyError: py-rattler-build is not installed.
    """
    chosen = options or BuildOptions()
    module = backend or load_backend()
    plan.channel.mkdir(parents=True, exist_ok=True)
    index_channel(plan.channel)
    results: list[StepResult] = []
    failed = False
    total = len(plan.steps)
    for index, step in enumerate(plan.steps):
        if failed:
            results.append(StepResult(step, StepStatus.not_run))
            continue
        if on_event:
            on_event(BuildEvent(index, total, step))
        if step.kind is StepKind.skip:
            result = StepResult(step, StepStatus.skipped, message=step.reason)
        elif step.kind is StepKind.blocked:
            result = StepResult(step, StepStatus.failed, message=step.reason)
        else:
            result = _build_one(module, plan, step, chosen)
        failed = result.status is StepStatus.failed
        results.append(result)
        if on_event:
            on_event(BuildEvent(index, total, step, result))
    return BuildRun(tuple(results))


def dry_run(plan: BuildPlan) -> BuildRun:
    """The plan as a run where nothing ran (what ``--dry-run`` shows).

    Only buildable steps are planned; skipped and blocked ones (meta.yaml recipes, which
    rattler-build does not build) show as skipped, with the reason.
    """
    results: Sequence[StepResult] = [
        StepResult(
            step,
            StepStatus.not_run if step.kind is StepKind.build else StepStatus.skipped,
            message=step.reason,
        )
        for step in plan.steps
    ]
    return BuildRun(tuple(results))
