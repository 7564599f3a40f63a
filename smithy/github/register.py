"""Plan and apply a feedstock's GitHub registration; every step checks before it changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from smithy.errors import SmithyError
from smithy.github.client import GitHubClient
from smithy.github.errors import RegistrationError
from smithy.github.git import FeedstockGit
from smithy.github.model import (
    Context,
    RegistrationRequest,
    RegistrationResult,
    Step,
    StepResult,
)
from smithy.github.steps import (
    ensure_admins,
    ensure_branch_protection,
    ensure_remote,
    ensure_repository,
    push_head,
    resolve_owner,
)
from smithy.github.teams import ensure_team, sync_members, write_maintainer_ids


def plan_registration(request: RegistrationRequest) -> tuple[Step, ...]:
    """Return the steps ``request`` needs, in the order they run.

    The order matters: the push comes before the team so ``.recipe_maintainers.json`` (written
    through the contents API, which needs a branch) can be recorded in the same run.
    """
    steps = [
        Step("owner", resolve_owner),
        Step("repository", ensure_repository),
        Step("branch-protection", ensure_branch_protection),
        Step("remote", ensure_remote),
    ]
    if request.push:
        steps.append(Step("push", push_head))
    if request.extra_admin_users:
        steps.append(Step("collaborators", ensure_admins))
    if request.add_teams:
        steps += [
            Step("team", ensure_team),
            Step("team-members", sync_members),
            Step("maintainer-ids", write_maintainer_ids),
        ]
    return tuple(steps)


def _done_text(done: list[StepResult]) -> str:
    changed = [str(result) for result in done if result.changed]
    if not changed:
        return "nothing was changed"
    return "already done: " + ", ".join(changed)


def apply_plan(
    request: RegistrationRequest,
    steps: tuple[Step, ...],
    client: GitHubClient,
    git: FeedstockGit,
    on_result: Callable[[StepResult], None] | None = None,
) -> RegistrationResult:
    """Run ``steps``; report each outcome to ``on_result`` as it happens.

    Raises:
        RegistrationError: a step failed; its message ends with what was already changed,
            so nothing half-done goes unreported.
    """
    ctx = Context(request=request, client=client, git=git)
    git.check_repository()
    for step in steps:
        try:
            for result in step.run(ctx):
                ctx.done.append(result)
                if on_result is not None:
                    on_result(result)
        except SmithyError as exc:
            raise RegistrationError(
                f"{exc.message}; {_done_text(ctx.done)}", tuple(map(str, ctx.done)), exc.span
            ) from None
    return RegistrationResult(full_name=ctx.full_name, results=tuple(ctx.done))


def register_feedstock(
    request: RegistrationRequest,
    client: GitHubClient,
    environ: Mapping[str, str],
    on_result: Callable[[StepResult], None] | None = None,
) -> RegistrationResult:
    """Register ``request.feedstock_dir`` on GitHub: plan, then apply.

    Args:
        request: what to do.
        client: the GitHub client (token, URL, retry policy and wait callback set).
        environ: the environment git runs with.
        on_result: called with each step outcome as it happens (the CLI prints them).

    Raises:
        RegistrationError: a step failed (the message lists what was already changed).
        GitError: the feedstock is not a git repository with a commit.
    """
    git = FeedstockGit(Path(request.feedstock_dir), environ)
    return apply_plan(request, plan_registration(request), client, git, on_result)
