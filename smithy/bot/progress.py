"""A feedstock's own record of a migration: done (as the bot decides it) or a branch open."""

from __future__ import annotations

from pathlib import Path

from smithy.bot.cfyml import patched_values, wanted_values
from smithy.bot.migration import ARCH_PATCH_ROOTS, BotMigration
from smithy.errors import SmithyError
from smithy.graph.migration.status import is_done_copy


def _git_dir(feedstock: Path) -> Path | None:
    dot = feedstock / ".git"
    if dot.is_dir():
        return dot
    if dot.is_file():  # a worktree or submodule: "gitdir: <path>"
        text = dot.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            target = Path(text.split(":", 1)[1].strip())
            return target if target.is_absolute() else (feedstock / target).resolve()
    return None


def has_branch(feedstock: Path, branch: str) -> bool:
    """Whether the feedstock's repository has local branch ``branch``.

    The refs are read directly: one ``git`` process per feedstock would cost seconds over a
    thousand of them.
    """
    git = _git_dir(feedstock)
    if git is None:
        return False
    common = git
    pointer = git / "commondir"
    if pointer.is_file():
        common = (git / pointer.read_text(encoding="utf-8").strip()).resolve()
    if (common / "refs" / "heads" / branch).is_file():
        return True
    packed = common / "packed-refs"
    if not packed.is_file():
        return False
    wanted = f" refs/heads/{branch}"
    with packed.open(encoding="utf-8", errors="replace") as lines:
        return any(line.rstrip("\n").endswith(wanted) for line in lines)


def _arch_done(feedstock: Path, migration: BotMigration) -> bool:
    path = feedstock / "conda-forge.yml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    arch = {k: v for k, v in migration.patches.items() if k.split(".")[0] in ARCH_PATCH_ROOTS}
    try:
        current = patched_values(text, arch, str(path))
    except SmithyError:
        return False
    return current == wanted_values(arch)


def is_done(feedstock: Path, migration: BotMigration) -> bool:
    """Done as the bot decides it now.

    A pinning migration is done when the feedstock's ``.ci_support/migrations`` copy has the
    same ``migrator_ts`` and ``migration_number``. An architecture migration (one whose
    patches set ``provider``/``build_platform`` keys) is done when conda-forge.yml has them.
    """
    if migration.is_architecture:
        return _arch_done(feedstock, migration)
    return is_done_copy(feedstock, migration.raw)


def is_in_progress(feedstock: Path, migration: BotMigration) -> bool:
    """Whether the migration's branch exists (applied, not merged yet)."""
    return has_branch(feedstock, migration.branch)
