"""Dask-side helpers: warm workers up, run a chunk of feedstocks, announce each start.

Without the warm-up the first chunk on every (re)started worker pays for the imports.
The start events let ``--timeout`` count from when a feedstock starts running (again, after
Dask moved its chunk off a lost worker), not from when it was submitted.
"""

from __future__ import annotations

import importlib
import signal
from collections.abc import Sequence
from typing import Any

from distributed import WorkerPlugin, get_worker

from smithy.fleet.model import FleetTask, Record

STARTED = "smithy-fleet-started"  # event topic: (chunk key, index in the chunk, worker address)


class WarmUp(WorkerPlugin):
    """Import the task module (and everything a render needs) in each worker."""

    name = "smithy-fleet-warm-up"

    def setup(self, worker: Any) -> None:
        """Called by dask on each worker, also on workers that join or restart later."""
        importlib.import_module("smithy.fleet.tasks")


class IgnoreInterrupts(WorkerPlugin):
    """Workers of a LocalCluster smithy started leave Ctrl-C to the coordinator.

    A terminal sends SIGINT to the whole process group, the cluster's worker processes
    included: they finish their feedstock, the coordinator records it and then closes the
    cluster. (Workers of a cluster someone else runs are left as they are.)
    """

    name = "smithy-fleet-ignore-interrupts"

    def setup(self, worker: Any) -> None:
        """Called in each worker process's main thread, where its event loop runs."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_chunk(fn: Any, tasks: Sequence[FleetTask], key: str, announce: bool) -> list[Record]:
    """Run ``fn`` on each task in turn; with ``announce``, publish each one's start first.

    The chunk's records come back together, one per task, in order: one Dask task for
    several feedstocks spreads Dask's cost per task (messages, scheduler transitions) over
    all of them.
    """
    worker = get_worker() if announce else None
    records: list[Record] = []
    for index, task in enumerate(tasks):
        if worker is not None:
            worker.log_event(STARTED, (key, index, worker.address))
        records.append(fn(task))
    return records
