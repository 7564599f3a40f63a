"""The git and CI half of the front door, re-exported by ``smithy.api``.

Rerender commits, CI registration and tokens. Each function imports what it needs when
called, so importing the API stays cheap for commands that use none of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smithy.github.ci_register import CiRegistration
    from smithy.github.client import GitHubClient
    from smithy.github.rerender_commit import RerenderCommit
    from smithy.rerender.outcome import RerenderReport


def check_git_feedstock(feedstock_dir: Path, environ: Mapping[str, str]) -> None:
    """Refuse, before anything is written, a feedstock that cannot take a commit.

    Raises:
        SmithyError: not the top of a git work tree, or no commit yet.
    """
    from smithy.github.git import FeedstockGit

    FeedstockGit(feedstock_dir, environ).check_repository()


def commit_rerender(
    report: RerenderReport, environ: Mapping[str, str], *, edit: bool = False
) -> RerenderCommit:
    """Stage and commit the files a ``write`` rerender produced or removed (conda-smithy's -c).

    Args:
        report: a rerender applied in ``write`` mode.
        environ: the environment git runs with (identity, editor).
        edit: open the editor on the message first, as ``git commit -e`` does.

    Raises:
        SmithyError: git fails, or the editor left an empty message.
    """
    from smithy import __version__
    from smithy.github.rerender_commit import commit_generated, commit_message

    message = commit_message(__version__, report.pinning.origin, report.pinning.version)
    # Identical files are staged too: a rerender never committed leaves them untracked.
    paths = [change.path for change in report.changes]
    return commit_generated(report.feedstock, paths, message, environ, edit=edit)


def register_ci(
    feedstock_dir: Path,
    client: GitHubClient,
    *,
    organization: str | None,
    environ: Mapping[str, str],
    home: Path,
    with_upload_token: bool = True,
    dry_run: bool = False,
) -> CiRegistration:
    """Enable GitHub Actions on the feedstock's repository; store its tokens as encrypted secrets.

    ``BINSTAR_TOKEN`` (``$BINSTAR_TOKEN`` or ``~/.conda-smithy/anaconda.token``),
    ``FEEDSTOCK_TOKEN`` (``~/.conda-smithy/<owner>_<repo>.token``) and
    ``STAGING_BINSTAR_TOKEN`` (``$STAGING_BINSTAR_TOKEN``); existing secrets are kept, so a
    second run changes nothing.

    Raises:
        SmithyError: no upload token, an unusable token file, a missing repository, a refusal.
    """
    from smithy.github.ci_register import register_ci as register

    return register(
        feedstock_dir,
        client,
        organization=organization,
        environ=environ,
        home=home,
        with_upload_token=with_upload_token,
        dry_run=dry_run,
    )
