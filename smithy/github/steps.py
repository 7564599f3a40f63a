"""Registration steps for the repository itself: owner, repository, protection, remote, push."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from github.AuthenticatedUser import AuthenticatedUser
from github.Repository import Repository

from smithy.github.errors import ApiError, GitError, GitHubError, NotFound
from smithy.github.model import Change, Context, StepResult

RULESET_NAME = "feedstock-branch-protection"
# Rules GitHub names for "no deletion" and "no force push" of the targeted branches.
REQUIRED_RULES = frozenset({"deletion", "non_fast_forward"})
_DEFAULT_BRANCH_REFS = ("~DEFAULT_BRANCH", "~ALL")


def resolve_owner(ctx: Context) -> Iterator[StepResult]:
    """Find the organisation (or the token's user); this also checks the token works."""
    gh = ctx.client.github
    org_name = ctx.request.organization
    if org_name is None:

        def own_user() -> AuthenticatedUser:
            user = gh.get_user()
            _ = user.login  # the lazy object makes its request here, inside call()
            return user

        user = ctx.client.call("read the token's user account", own_user)
        ctx.owner, ctx.owner_login = user, user.login
        return iter(())
    try:
        org = ctx.client.call(
            f"read organisation {org_name}", lambda: gh.get_organization(org_name)
        )
    except NotFound:
        raise NotFound(
            f"organisation '{org_name}' not found, or not visible to this token"
        ) from None
    ctx.owner, ctx.owner_login = org, org.login
    return iter(())


def _has_commit(ctx: Context, repo: Repository, sha: str) -> bool:
    try:
        ctx.client.call(
            f"look up commit {sha[:12]} in {repo.full_name}", lambda: repo.get_commit(sha)
        )
    except NotFound:
        return False
    except ApiError as exc:
        # GitHub answers 422 for an unknown commit and 409 for an empty repository.
        if exc.status in (409, 422):
            return False
        raise
    return True


def repo_is_empty(ctx: Context, repo: Repository) -> bool:
    """Return True when ``repo`` has no commit (GitHub lists no contents for it)."""
    try:
        ctx.client.call(f"list the contents of {repo.full_name}", lambda: repo.get_contents(""))
    except NotFound:
        return True
    except ApiError as exc:
        if exc.status == 409:
            return True
        raise
    return False


def _create_repo(ctx: Context) -> Repository:
    owner = ctx.owner
    if owner is None:
        raise AssertionError("the owner step must run first")
    name = ctx.request.feedstock.repo_name
    description = f"A conda-forge style feedstock for {ctx.request.feedstock.name}."
    private = ctx.request.private
    return ctx.client.call(
        f"create repository {ctx.full_name}",
        lambda: owner.create_repo(
            name, description=description, private=private, has_wiki=False, auto_init=False
        ),
    )


def ensure_repository(ctx: Context) -> Iterator[StepResult]:
    """Create ``<name>-feedstock``; reuse it when empty or when it already holds this feedstock.

    A non-empty repository counts as this feedstock's when it contains the first commit of the
    local history (a previous push); anything else is someone else's and an error.
    """
    gh = ctx.client.github
    full = ctx.full_name
    try:
        repo: Repository | None = ctx.client.call(
            f"read repository {full}", lambda: gh.get_repo(full)
        )
    except NotFound:
        repo = None
    if repo is None:
        ctx.repo, ctx.repo_empty = _create_repo(ctx), True
        yield StepResult("repository", Change.CREATED, full)
        return
    ctx.repo, ctx.repo_empty = repo, repo_is_empty(ctx, repo)
    if ctx.repo_empty:
        yield StepResult("repository", Change.UNCHANGED, full, "exists and is empty")
        return
    if not any(_has_commit(ctx, repo, sha) for sha in ctx.git.root_commits()):
        raise GitHubError(
            f"repository {full} already exists and holds other content; delete or rename it, "
            "or register under another owner"
        )
    yield StepResult("repository", Change.UNCHANGED, full, "exists with this feedstock's history")


def _protects_default_branch(detail: Mapping[str, Any]) -> bool:
    if detail.get("enforcement") != "active" or detail.get("target", "branch") != "branch":
        return False
    ref_name = (detail.get("conditions") or {}).get("ref_name") or {}
    if not any(ref in _DEFAULT_BRANCH_REFS for ref in ref_name.get("include") or ()):
        return False
    types = {rule.get("type") for rule in detail.get("rules") or () if isinstance(rule, Mapping)}
    return types >= REQUIRED_RULES


def _ruleset_body() -> dict[str, Any]:
    return {
        "name": RULESET_NAME,
        "target": "branch",
        "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
        "rules": [{"type": rule} for rule in sorted(REQUIRED_RULES)],
    }


def ensure_branch_protection(ctx: Context) -> Iterator[StepResult]:
    """Protect the default branch with a ruleset: no deletion, no force push.

    A ruleset works before the branch exists (unlike classic branch protection), so it can be
    set on the new, empty repository. Any active ruleset with both rules on the default branch
    satisfies the step, whatever its name.
    """
    repo = ctx.require_repo()
    base = f"{repo.url}/rulesets"
    what = f"rulesets of {repo.full_name}"
    # One page of 100 holds every ruleset a feedstock has; GitHub pages by 30 otherwise.
    listed = (
        ctx.client.request_json(f"list {what}", "GET", f"{base}?per_page=100", expect=list) or []
    )
    ours: int | None = None
    for summary in listed:
        if not isinstance(summary, dict) or not isinstance(summary.get("id"), int):
            raise ctx.client.unusable(f"list {what}", "a ruleset without a numeric id")
        # The list gives summaries; rules and conditions come only with each ruleset.
        detail = ctx.client.request_json(
            f"read {what}", "GET", f"{base}/{summary['id']}", expect=dict
        )
        if _protects_default_branch(detail):
            yield StepResult("branch-protection", Change.UNCHANGED, repo.full_name)
            return
        if summary.get("name") == RULESET_NAME:
            ours = int(summary["id"])
    if ours is None:
        ctx.client.request_json(
            f"create a ruleset on {repo.full_name}", "POST", base, _ruleset_body()
        )
        yield StepResult("branch-protection", Change.CREATED, repo.full_name)
    else:
        ctx.client.request_json(
            f"update ruleset {RULESET_NAME} on {repo.full_name}",
            "PUT",
            f"{base}/{ours}",
            _ruleset_body(),
        )
        yield StepResult("branch-protection", Change.UPDATED, repo.full_name)


def ensure_remote(ctx: Context) -> Iterator[StepResult]:
    """Add the git remote (the repository's ssh URL) unless it is already there."""
    name = ctx.request.remote_name
    if not name:
        yield StepResult("remote", Change.SKIPPED, "(none)", "--remote-name is empty")
        return
    url = ctx.require_repo().ssh_url
    existing = ctx.git.remote_url(name)
    if existing is None:
        ctx.git.add_remote(name, url)
        yield StepResult("remote", Change.CREATED, name, url)
    elif existing == url:
        yield StepResult("remote", Change.UNCHANGED, name, url)
    else:
        raise GitError(
            f"remote '{name}' already points to {existing}, not {url}; remove it or choose "
            "another --remote-name"
        )


def push_head(ctx: Context) -> Iterator[StepResult]:
    """Push ``HEAD`` to the default branch unless GitHub already has that commit."""
    repo = ctx.require_repo()
    head = ctx.git.head()
    branch = repo.default_branch or "main"
    if not ctx.repo_empty and _has_commit(ctx, repo, head):
        yield StepResult("push", Change.UNCHANGED, branch, f"already has {head[:12]}")
        return
    ctx.git.push(ctx.request.remote_name or repo.ssh_url, branch)
    ctx.repo_empty = False
    yield StepResult("push", Change.UPDATED, branch, f"pushed {head[:12]}")


def ensure_admins(ctx: Context) -> Iterator[StepResult]:
    """Make each ``--extra-admin-users`` user an admin collaborator (or leave the invitation)."""
    repo = ctx.require_repo()
    users = sorted({user.strip() for user in ctx.request.extra_admin_users if user.strip()})
    if not users:
        return
    invited = {
        invitation.invitee.login.lower()
        for invitation in ctx.client.call(
            f"list invitations of {repo.full_name}", lambda: list(repo.get_pending_invitations())
        )
        if invitation.invitee is not None
    }
    for user in users:
        permission = ctx.client.call(
            f"read the permission of {user} on {repo.full_name}",
            partial(repo.get_collaborator_permission, user),
        )
        if permission == "admin":
            yield StepResult("collaborator", Change.UNCHANGED, user, "admin")
        elif user.lower() in invited:
            yield StepResult("collaborator", Change.UNCHANGED, user, "invitation pending")
        else:
            ctx.client.call(
                f"add {user} as admin of {repo.full_name}",
                partial(repo.add_to_collaborators, user, "admin"),
            )
            yield StepResult("collaborator", Change.CREATED, user, "admin")
