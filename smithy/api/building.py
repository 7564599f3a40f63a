"""Builds: feedstocks in graph order with py-rattler-build, each resolving from the channel."""

from __future__ import annotations

from smithy.build.plan import BuildPlan as BuildPlan
from smithy.build.plan import plan_builds as plan_builds
from smithy.build.runner import BuildEvent as BuildEvent
from smithy.build.runner import BuildOptions as BuildOptions
from smithy.build.runner import BuildRun as BuildRun
from smithy.build.runner import StepStatus as StepStatus
from smithy.build.runner import dry_run as dry_run
from smithy.build.runner import load_backend as load_backend
from smithy.build.runner import run_builds as run_builds


def current_platform() -> str:
    """The platform (subdir) smithy runs on, e.g. ``linux-64``."""
    from rattler import Subdir

    return str(Subdir.current())
