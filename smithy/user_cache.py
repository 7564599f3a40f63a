"""smithy's cache folder in the user's home: the pinning and graph records live below it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import platformdirs

_APP = "smithy"


def smithy_cache_dir(environ: Mapping[str, str]) -> Path | None:
    r"""Return smithy's cache folder, or None when no absolute one can be found.

    ``XDG_CACHE_HOME`` is read from ``environ`` (so callers and tests can pass their own) and, as
    the XDG rules say, only when absolute: ``$XDG_CACHE_HOME/smithy``. Otherwise platformdirs
    gives the platform's user cache folder: ``~/.cache/smithy`` on Linux,
    ``~/Library/Caches/smithy`` on macOS, ``%LOCALAPPDATA%\smithy\Cache`` on Windows.
    """
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg, _APP)
    try:
        found = Path(platformdirs.user_cache_dir(_APP, appauthor=False))
    except RuntimeError:  # platformdirs: no absolute home folder
        return None
    return found if found.is_absolute() else None
