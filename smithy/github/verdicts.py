"""The verdict on one maintainer entry: plain values, readable without importing PyGithub."""

from __future__ import annotations

from enum import StrEnum

from smithy.records import frozen_record


class MaintainerStatus(StrEnum):
    """The verdict on one ``extra.recipe-maintainers`` entry."""

    OK = "ok"
    MISSING = "missing"  # no such GitHub user
    ORGANIZATION = "organization"  # the login is an organisation, which cannot maintain
    TEAM_MISSING = "team-missing"  # ``org/team`` names no team visible to the token
    INCONCLUSIVE = "inconclusive"  # rate limit, network or permission: could not tell


@frozen_record
class MaintainerCheck:
    """The result for one maintainer entry.

    Attributes:
        name: the entry as written in the recipe.
        status: the verdict.
        message: a one-line explanation (empty when OK).
    """

    name: str
    status: MaintainerStatus
    message: str = ""

    @property
    def ok(self) -> bool:
        """True when the entry names an existing user or team."""
        return self.status is MaintainerStatus.OK
