"""How the ``smithy`` process ends: without freeing its caches object by object.

A big rerender leaves hundreds of thousands of objects in module-level memos (parsed YAML,
jinja trees, renders shared across variants). A normal interpreter exit frees them one by one
and runs a last full cycle collection: ~0.3 s CPU of a 1.3 s rerender of a big feedstock, spent
after every file is written. The operating system takes the memory back at once, so the console
script ends with ``os._exit`` after doing what an exit must still do: run the ``atexit``
handlers (logging, weakref finalizers, temporary folders) and flush the standard streams.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

from smithy.api import ExitCode


def exit_process(code: int) -> NoReturn:
    """End the process with ``code``, skipping the interpreter's teardown when that is safe."""
    if threading.active_count() > 1:
        # Another thread still runs (a library's worker, a pool not shut down): the normal
        # exit joins it, and its writes must not be cut off.
        sys.exit(code)
    code = _written(code, atexit._run_exitfuncs)
    code = _written(code, sys.stdout.flush)
    with contextlib.suppress(OSError):  # nowhere left to say it
        sys.stderr.flush()
    os._exit(code)


def _written(code: int, step: Callable[[], object]) -> int:
    """Run ``step``, which may write to stdout; the exit code once it has (or could not)."""
    try:
        step()
    except BrokenPipeError:
        # The reader went away (`smithy graph order | head -1`): nothing to tell it. Exit 1,
        # the code click gives a broken pipe it meets while writing.
        return int(code or ExitCode.FINDINGS)
    except OSError as exc:  # a full disk under `smithy lint > report.txt`
        with contextlib.suppress(OSError):
            print(f"smithy: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return int(code or ExitCode.INPUT)
    return code
