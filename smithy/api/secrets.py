"""GitHub tokens: find the token, and mask it (or anything token-shaped) in text to be shown."""

from __future__ import annotations

from smithy.github.token import Secret as Secret
from smithy.github.token import mask_token_like as mask_token_like
from smithy.github.token import resolve_token as resolve_token
