"""Apply a migration to one feedstock as the bot's PR would: a pure, per-feedstock step.

:func:`apply_migration` is what ``smithy migration apply`` runs for each feedstock, and what
a fleet task calls: it takes values, prints nothing, and touches only the one feedstock (a
commit on a new branch in write mode; nothing at all in dry-run mode or when it refuses).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from smithy.bot.edits import edit_sources, scratch_copy
from smithy.bot.migration import BotMigration
from smithy.bot.model import ApplyMode, ApplyResult, Channels, Outcome
from smithy.bot.pr_text import commit_message, pr_body
from smithy.bot.progress import is_done
from smithy.bot.repo import LINK_PREFIX, Repository
from smithy.bot.solvable import check_matrix
from smithy.errors import SmithyError, Span
from smithy.matrix.render import FeedstockMatrix, render_feedstock
from smithy.pinning.model import PinningSource
from smithy.rerender.model import FileStatus
from smithy.rerender.plan import build_plan
from smithy.rerender.writer import FileChange, apply, compare


def _job_configs(matrix: FeedstockMatrix) -> dict[str, Mapping[str, Any]]:
    return {job.config_name: job.config for job in matrix.jobs}


def _changed_jobs(before: FeedstockMatrix, after: FeedstockMatrix) -> tuple[str, ...]:
    old, new = _job_configs(before), _job_configs(after)
    return tuple(sorted(n for n in old.keys() | new.keys() if old.get(n) != new.get(n)))


def _files(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not (folder == str(root) and d == ".git"))
        for name in names:
            path = Path(folder) / name
            found[path.relative_to(root).as_posix()] = path
    return found


def _content(path: Path) -> bytes:
    """A file's bytes; for a symlink, its own target (the scratch copy keeps links as links).

    Reading through a link could meet a loop, a device such as /dev/zero or a file outside.
    """
    if path.is_symlink():
        return LINK_PREFIX + os.fsencode(os.readlink(path))
    return path.read_bytes()


def _tree_changes(original: Path, migrated: Path) -> tuple[FileChange, ...]:
    """Every file that differs between the feedstock and its migrated scratch copy."""
    old, new = _files(original), _files(migrated)
    changes: list[FileChange] = []
    for rel in sorted(old.keys() | new.keys()):
        before = _content(old[rel]) if rel in old else None
        after = _content(new[rel]) if rel in new else None
        if before == after:
            continue
        status: FileStatus = "remove" if after is None else "create" if before is None else "update"
        mode = new[rel].lstat().st_mode & 0o777 if rel in new else 0o644
        changes.append(FileChange(rel, status, before, after, mode))
    return tuple(changes)


def _in_feedstock(exc: SmithyError, scratch: Path, feedstock: Path) -> SmithyError:
    """Name the feedstock's file in an error raised on the scratch copy."""
    if exc.span is not None and exc.span.path.startswith(str(scratch)):
        shown = str(feedstock) + exc.span.path[len(str(scratch)) :]
        exc.span = replace(exc.span, path=shown)
    return exc


@dataclass(frozen=True, slots=True)
class _Migrated:
    before: FeedstockMatrix
    after: FeedstockMatrix
    changes: tuple[FileChange, ...]
    build_number: tuple[int, int] | None


def _migrate_copy(feedstock: Path, migration: BotMigration, pinning: PinningSource) -> _Migrated:
    before = render_feedstock(feedstock, pinning)
    with tempfile.TemporaryDirectory(prefix="smithy-migrate-") as folder:
        scratch = scratch_copy(feedstock, Path(folder))
        try:
            bumped = edit_sources(scratch, migration)
            after = render_feedstock(scratch, pinning)
            apply(scratch, compare(scratch, build_plan(scratch, after, pinning)))
        except SmithyError as exc:
            raise _in_feedstock(exc, scratch, feedstock) from None
        changes = _tree_changes(feedstock, scratch)
    number = (bumped.old, bumped.new) if bumped is not None else None
    return _Migrated(before, after, changes, number)


def apply_migration(  # noqa: PLR0913 - the keywords are the command's options
    feedstock: Path,
    migration: BotMigration,
    pinning: PinningSource,
    *,
    mode: ApplyMode = "write",
    pending_parents: Sequence[str] = (),
    children: Sequence[str] = (),
    force: bool = False,
    channels: Channels | None = None,
    environ: Mapping[str, str] | None = None,
) -> ApplyResult:
    """Apply ``migration`` to one feedstock: what the bot's migration PR does, locally.

    Steps: refuse a dirty tree, a detached HEAD or an existing branch (write mode); skip when
    done or, without ``force``, when ``pending_parents`` is not empty; copy the migration file
    to ``.ci_support/migrations/``, apply ``conda_forge_yml_patches``, bump the build number
    by ``migration.bump`` and rerender, all on a scratch copy; leave the feedstock alone when
    no CI job changes; with ``channels``, refuse when a changed job does not solve; finally
    (write mode) commit the changes on ``migration.branch`` and return to the branch it was
    on, keeping the PR body in the repository's git folder.

    Args:
        feedstock: the feedstock root.
        migration: the migration (from :func:`smithy.bot.migration.load_migration`).
        pinning: the global pinning that knows the migration.
        mode: ``write`` commits; ``dry-run`` computes the changes only.
        pending_parents: the feedstock's parents in the migration graph that are not done.
        children: feedstocks in the migration waiting on this one (named in the PR body).
        force: apply even when parents are pending.
        channels: solve the changed jobs there first (``--require-solvable``).
        environ: the environment git runs with.

    Raises:
        SmithyError: bad input (recipe, conda-forge.yml, git state); nothing is changed then.
    """
    repo = Repository(feedstock, environ if environ is not None else dict(os.environ))
    branch = migration.branch
    if mode == "write":
        repo.check_ready(branch)
    base = ApplyResult(feedstock, Outcome.done, branch, pending_parents=tuple(pending_parents))
    if is_done(feedstock, migration):
        return base
    if pending_parents and not force:
        return replace(base, outcome=Outcome.waiting)
    migrated = _migrate_copy(feedstock, migration, pinning)
    changed = _changed_jobs(migrated.before, migrated.after)
    result = replace(
        base,
        outcome=Outcome.untouched,
        changes=migrated.changes,
        jobs_before=tuple(sorted(_job_configs(migrated.before))),
        jobs_after=tuple(sorted(_job_configs(migrated.after))),
        changed_jobs=changed,
        build_number=migrated.build_number,
    )
    if not changed:
        return replace(result, changes=())
    if channels is not None:
        verdicts = check_matrix(migrated.after, channels, jobs=changed)
        result = replace(result, solvability=verdicts)
        if not all(v.solvable for v in verdicts):
            return replace(result, outcome=Outcome.not_solvable)
    result = replace(result, pr_body=pr_body(migration, result, children))
    if mode == "dry-run":
        return replace(result, outcome=Outcome.planned)
    return _commit(repo, migration, result)


def _commit(repo: Repository, migration: BotMigration, result: ApplyResult) -> ApplyResult:
    # built beside the work tree, which stays on the branch it was on: a killed run leaves
    # no branch or the whole commit
    message = commit_message(migration, result)
    commit = repo.commit_on_new_branch(migration.branch, message, result.changes)
    body = repo.git_dir() / "smithy" / "pr" / f"{migration.branch}.md"
    try:
        body.parent.mkdir(parents=True, exist_ok=True)
        body.write_text(result.pr_body, encoding="utf-8")
    except OSError as exc:
        raise SmithyError(f"cannot write the PR body: {exc.strerror}", Span(str(body))) from None
    return replace(result, outcome=Outcome.applied, commit=commit, pr_body_path=body)
