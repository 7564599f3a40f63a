"""The errors a version bump reports; every one means nothing was written."""

from __future__ import annotations

from smithy.errors import SmithyError


class BumpError(SmithyError):
    """A bump was refused: the recipe cannot be bumped, or a source cannot be fetched."""


class NetworkError(BumpError):
    """A request failed: offline, 404, rate-limited, too large, or a bad answer.

    Attributes:
        status: the HTTP status when the server answered with an error, else None.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
