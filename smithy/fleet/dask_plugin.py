"""Dask-side helpers: warm workers up, and tell the coordinator when each task starts.

Without the warm-up the first feedstock on every (re)started worker pays for the imports.
The start events let ``--timeout`` count from when a feedstock starts running (again, after
Dask moved it off a lost worker), not from when it was submitted.
"""

from __future__ import annotations

import importlib
from typing import Any

from distributed import WorkerPlugin, get_worker

from smithy.fleet.model import FleetTask, Record

STARTED = "smithy-fleet-started"  # event topic: the message is the task's key


class WarmUp(WorkerPlugin):
    """Import the task module (and everything a render needs) in each worker."""

    name = "smithy-fleet-warm-up"

    def setup(self, worker: Any) -> None:
        """Called by dask on each worker, also on workers that join or restart later."""
        importlib.import_module("smithy.fleet.tasks")


def run_announced(fn: Any, task: FleetTask, key: str) -> Record:
    """Publish that ``key`` starts on this worker, then run ``fn(task)``."""
    get_worker().log_event(STARTED, key)
    result: Record = fn(task)
    return result
