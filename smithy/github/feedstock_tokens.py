"""Feedstock tokens: make one, and register its salted hash in a token repository.

A feedstock token lets a feedstock's CI prove who it is (to an upload service, say) without
the service holding the token: the service keeps only ``scrypt(token, salt)`` in a token
repository (conda-forge's is ``conda-forge/feedstock-tokens``), one JSON file per feedstock.
The token itself lives in a mode-600 file in conda-smithy's folder and in the feedstock's
``FEEDSTOCK_TOKEN`` secret, nowhere else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from functools import partial
from pathlib import Path
from typing import Any

from github.Repository import Repository

from smithy.errors import Span
from smithy.github.client import GitHubClient
from smithy.github.errors import GitHubError, NotFound, TokenError
from smithy.github.model import Change, StepResult
from smithy.github.token import Secret

# scrypt's interactive-login cost (RFC 7914): about 16 MiB and tens of milliseconds.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 64}
_MESSAGE = "[ci skip] add token for {name}"


def generate_token_file(path: Path) -> None:
    """Write a new random token (64 hex digits) to ``path``, readable by its owner only.

    The folder is made owner-only too when it has to be created.

    Raises:
        TokenError: the file exists already (a token is never overwritten) or cannot be made.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise TokenError(
            "a feedstock token exists already; register it, or delete the file to make a new one",
            Span(str(path)),
        ) from None
    except OSError as exc:
        raise TokenError(f"cannot create the token file: {exc.strerror}", Span(str(path))) from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(secrets.token_hex(32))


def hash_token(token: Secret, salt: bytes) -> str:
    """The scrypt hash of ``token`` with ``salt``, as hex."""
    return hashlib.scrypt(token.reveal().encode(), salt=salt, **_SCRYPT).hex()


def _matches(token: Secret, entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    try:
        salt = bytes.fromhex(str(entry.get("salt")))
    except ValueError:
        return False
    return hmac.compare_digest(hash_token(token, salt), str(entry.get("hashed_token")))


def _read_entries(
    client: GitHubClient, repo: Repository, path: str
) -> tuple[list[Any], str | None]:
    try:
        content = client.call(f"read {path} of {repo.full_name}", partial(repo.get_contents, path))
    except NotFound:
        return [], None
    if isinstance(content, list):
        raise GitHubError(f"{path} in {repo.full_name} is a folder, not a file")
    try:
        data = json.loads(content.decoded_content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("tokens"), list):
        raise GitHubError(f'{path} in {repo.full_name} is not a {{"tokens": [...]}} JSON object')
    return list(data["tokens"]), content.sha


def register_token_hash(
    client: GitHubClient, token_repo: str, feedstock: str, token: Secret, *, dry_run: bool = False
) -> StepResult:
    """Add the token's salted hash to ``tokens/<feedstock>.json`` of ``token_repo``.

    Hashes already there stay (older tokens remain valid until someone removes them); a token
    whose hash is there already is not added twice.

    Raises:
        GitHubError: the token repository is missing or refuses the write.
    """
    try:
        repo = client.call(
            f"read repository {token_repo}", partial(client.github.get_repo, token_repo)
        )
    except NotFound:
        raise NotFound(
            f"token repository '{token_repo}' not found, or not visible to this token"
        ) from None
    path = f"tokens/{feedstock}.json"
    entries, sha = _read_entries(client, repo, path)
    if any(_matches(token, entry) for entry in entries):
        return StepResult("token-hash", Change.UNCHANGED, f"{token_repo}:{path}", "registered")
    salt = secrets.token_bytes(32)
    entries.append({"salt": salt.hex(), "hashed_token": hash_token(token, salt)})
    text = json.dumps({"tokens": entries}, indent=2, sort_keys=True) + "\n"
    message = _MESSAGE.format(name=feedstock)
    if not dry_run:
        write = (
            partial(repo.create_file, path, message, text)
            if sha is None
            else partial(repo.update_file, path, message, text, sha)
        )
        client.call(f"write {path} in {token_repo}", write)
    change = Change.CREATED if sha is None else Change.UPDATED
    return StepResult("token-hash", change, f"{token_repo}:{path}", "salted scrypt hash")
