"""A task function that misbehaves on purpose for feedstocks named crash-* and hang-*."""

from __future__ import annotations

import os
import time

from smithy.fleet.model import FleetTask, Record
from smithy.fleet.tasks import run_task


def faulty_task(task: FleetTask) -> Record:
    """``crash-*`` kills its worker process, ``hang-*`` never returns, others run for real."""
    if task.name.startswith("crash-"):
        os._exit(13)
    if task.name.startswith("hang-"):
        time.sleep(600)
    return run_task(task)
