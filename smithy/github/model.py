"""Values of a GitHub registration: the request, each step's result, and the run's context."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from github.AuthenticatedUser import AuthenticatedUser
from github.Organization import Organization
from github.Repository import Repository
from github.Team import Team

from smithy.github.client import GitHubClient
from smithy.github.feedstock import FeedstockInfo
from smithy.github.git import FeedstockGit

MAINTAINERS_FILE = ".recipe_maintainers.json"


class Change(StrEnum):
    """What a step did to one thing."""

    CREATED = "created"
    UPDATED = "updated"
    REMOVED = "removed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class StepResult:
    """One outcome of one step, e.g. ``team-member alice: created``.

    Attributes:
        step: the step's name (``repository``, ``branch-protection``, ``remote``, ``push``,
            ``collaborator``, ``team``, ``team-member``, ``maintainer-ids``).
        change: what happened.
        subject: what it happened to (a repository, a user, a remote name, a file).
        note: a short explanation, mostly for unchanged and skipped outcomes.
    """

    step: str
    change: Change
    subject: str
    note: str = ""

    @property
    def changed(self) -> bool:
        """True when GitHub or the local repository was modified."""
        return self.change in (Change.CREATED, Change.UPDATED, Change.REMOVED)

    def __str__(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"{self.step} {self.subject}: {self.change.value}{note}"


@dataclass(frozen=True, slots=True)
class RegistrationRequest:
    """What ``smithy register-github`` was asked to do.

    Attributes:
        feedstock_dir: the feedstock's git work tree.
        feedstock: name and maintainers read from its recipe.
        organization: the owning organisation; None for the token's own user account.
        private: create the repository as private.
        add_teams: create or sync the maintainers team (organisations only).
        remote_name: the git remote to add; empty for none.
        extra_admin_users: users made admin collaborators.
        push: push ``HEAD`` to the repository's default branch.
    """

    feedstock_dir: Path
    feedstock: FeedstockInfo
    organization: str | None = None
    private: bool = False
    add_teams: bool = False
    remote_name: str = "upstream"
    extra_admin_users: tuple[str, ...] = ()
    push: bool = False


@dataclass(frozen=True, slots=True)
class RegistrationResult:
    """Every outcome of a registration, in order.

    Attributes:
        full_name: ``owner/name-feedstock``.
        results: one entry per thing checked or changed.
    """

    full_name: str
    results: tuple[StepResult, ...]

    @property
    def changed(self) -> bool:
        """True when anything was modified; False on a repeated run."""
        return any(result.changed for result in self.results)


@dataclass(slots=True)
class Context:
    """Mutable state shared by the steps of one run (not a value: steps fill it in)."""

    request: RegistrationRequest
    client: GitHubClient
    git: FeedstockGit
    owner: Organization | AuthenticatedUser | None = None
    owner_login: str = ""
    repo: Repository | None = None
    repo_empty: bool = True
    team: Team | None = None
    maintainer_ids: dict[str, int] | None = None
    ids_file_sha: str | None = None
    done: list[StepResult] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        """``owner/name-feedstock`` (owner empty until the owner step ran)."""
        return f"{self.owner_login}/{self.request.feedstock.repo_name}"

    def require_repo(self) -> Repository:
        """Return the repository; steps after ``repository`` may rely on it."""
        if self.repo is None:
            raise AssertionError("the repository step must run first")
        return self.repo


@dataclass(frozen=True, slots=True)
class Step:
    """One named step of a plan; ``run`` checks first and changes only what differs."""

    name: str
    run: Callable[[Context], Iterable[StepResult]]
