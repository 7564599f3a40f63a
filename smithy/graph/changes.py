"""Which feedstocks changed since a git revision (``--changed-since``), read with git itself."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from smithy.errors import SmithyError, Span
from smithy.graph.discover import FeedstockDir


def _git(repo: Path, *args: str) -> str:
    git = shutil.which("git")
    if git is None:
        raise SmithyError("--changed-since needs git, which is not on PATH")
    try:
        result = subprocess.run(
            [git, "-C", str(repo), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SmithyError(f"cannot run git: {exc}", Span(str(repo))) from None
    if result.returncode != 0:
        detail = " ".join(result.stderr.split()) or f"exit code {result.returncode}"
        raise SmithyError(f"git {' '.join(args)} failed: {detail}", Span(str(repo)))
    return result.stdout


def _toplevel(folder: Path) -> Path:
    return Path(_git(folder, "rev-parse", "--show-toplevel").strip()).resolve()


def _changed_files(repo: Path, ref: str) -> set[Path]:
    # Committed, staged and unstaged changes since `ref`, plus new untracked files.
    _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    changed = _git(repo, "diff", "--name-only", "--no-renames", ref, "--")
    untracked = _git(repo, "ls-files", "--others", "--exclude-standard")
    names = {line for line in (changed + untracked).splitlines() if line}
    return {(repo / name).resolve() for name in names}


def changed_feedstocks(feedstocks: Sequence[FeedstockDir], ref: str) -> tuple[str, ...]:
    """Names of the feedstocks with a file changed since ``ref``, sorted.

    Each feedstock may be its own git repository or live with others in one repository;
    ``ref`` is resolved in each repository involved. A change anywhere inside a feedstock
    folder counts, committed or not.

    Raises:
        SmithyError: git is missing, a feedstock is not in a git repository, or ``ref`` is
            unknown in one of them.
    """
    if not ref or ref.startswith("-"):
        raise SmithyError(f"--changed-since needs a git revision, not '{ref}'")
    by_repo: dict[Path, list[FeedstockDir]] = {}
    for feedstock in feedstocks:
        by_repo.setdefault(_toplevel(feedstock.path), []).append(feedstock)
    found: set[str] = set()
    for repo in sorted(by_repo):
        roots = {feedstock.path.resolve(): feedstock.name for feedstock in by_repo[repo]}
        for path in _changed_files(repo, ref):
            for folder in (path, *path.parents):
                if folder in roots:
                    found.add(roots[folder])
                    break
    return tuple(sorted(found))
