"""Errors of the GitHub layer: each one a one-line SmithyError the CLI maps to exit code 3."""

from __future__ import annotations

from smithy.errors import SmithyError, Span


class GitHubError(SmithyError):
    """A GitHub or git operation failed for a reason the user can act on."""


class TokenError(GitHubError):
    """No usable token: none given, an empty file, or a file others can read."""


class AuthError(GitHubError):
    """GitHub rejected the token (401)."""


class PermissionDenied(GitHubError):
    """The token lacks a permission the operation needs (403)."""


class NotFound(GitHubError):
    """The user, organisation, repository or team does not exist (404)."""


class RateLimited(GitHubError):
    """The rate limit did not reset within the retries and waits allowed."""


class NetworkError(GitHubError):
    """GitHub could not be reached: refused connection, timeout, DNS failure."""


class ApiError(GitHubError):
    """GitHub refused a request for another reason (422 validation, 409, 5xx after retries)."""

    def __init__(self, message: str, status: int = 0, span: Span | None = None) -> None:
        super().__init__(message, span)
        self.status = status


class GitError(GitHubError):
    """A git command in the feedstock failed (not a repository, no commit, push rejected)."""


class RegistrationError(GitHubError):
    """A registration step failed; the message also says which steps were already done."""

    def __init__(self, message: str, done: tuple[str, ...], span: Span | None = None) -> None:
        super().__init__(message, span)
        self.done = done
