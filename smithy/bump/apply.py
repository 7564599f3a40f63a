"""Bump a recipe to a new version: edit the text, fetch every new source, write all or nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from smithy.bump.check import LookupOptions, RecipeState, VersionCheck, check_state, read_state
from smithy.bump.edit import replace_checksums, reset_build_number, set_version
from smithy.bump.errors import BumpError, NetworkError
from smithy.bump.http import Download, HttpClient
from smithy.bump.recipe_sources import pair_uses, source_uses
from smithy.rerender.writer import FileChange, apply


@dataclass(frozen=True, slots=True)
class BumpReport:
    """What a bump found and did.

    Attributes:
        check: the upstream lookup (or the version asked for, with ``source`` None).
        target: the version bumped to; None when there was nothing to do.
        change: the recipe edit (status ``identical`` when nothing changed).
        downloads: each new source fetched, with its checksum.
        written: whether the recipe on disk was changed.
    """

    check: VersionCheck
    target: str | None
    change: FileChange
    downloads: tuple[Download, ...]
    written: bool

    @property
    def branch(self) -> str:
        """The branch name conda-forge's bot would use: ``<version>_h<6 hex>``.

        The bot's six hex digits are random; smithy takes them from the new recipe's
        checksum so the same bump gives the same name.
        """
        digest = hashlib.sha256(self.change.new or b"").hexdigest()[:6]
        return f"{self.target}_h{digest}"


def _download(client: HttpClient, urls: tuple[str, ...]) -> Download:
    # Mirrors are alternatives: the first that answers wins; all failing reports the first.
    errors: list[NetworkError] = []
    for url in urls:
        try:
            return client.download_sha256(url)
        except NetworkError as exc:
            errors.append(exc)
    raise BumpError(f"download failed, nothing written: {errors[0].message}")


def _new_checksums(
    state: RecipeState, new_text: str, client: HttpClient, verify: bool
) -> tuple[dict[str, str], list[Download]]:
    new_raw = replace(state.raw, text=new_text)
    new_uses = source_uses(new_raw, state.pinning)
    old_urls = {use.sha256.lower(): use.urls for use in state.uses if use.sha256}
    checksums: dict[str, str] = {}
    downloads: list[Download] = []
    for old_sha, urls in sorted(pair_uses(state.uses, new_uses, state.raw).items()):
        if urls == old_urls.get(old_sha) and not verify:
            continue  # a source that does not follow the version (a fixed patch, say)
        fetched = _download(client, urls)
        downloads.append(fetched)
        if verify and fetched.sha256 != old_sha:
            raise BumpError(
                f"checksum mismatch for {fetched.url}: recipe says {old_sha}, "
                f"download is {fetched.sha256}",
                state.raw.span(),
            )
        checksums[old_sha] = fetched.sha256
    if not downloads:
        raise BumpError("no source URL depends on the version; bump it by hand", state.raw.span())
    return checksums, downloads


def _edited(state: RecipeState, target: str, client: HttpClient) -> tuple[str, list[Download]]:
    # Asking for the current version re-downloads every source to verify its checksum.
    verify = target == state.current
    text = state.raw.text
    if not verify:
        text = reset_build_number(set_version(state.raw, target), state.raw.format)
    checksums, downloads = _new_checksums(state, text, client, verify)
    text = replace_checksums(text, checksums, state.raw)
    # The edited recipe must still render everywhere before it may be written.
    source_uses(replace(state.raw, text=text), state.pinning)
    return text, downloads


def _change(root: Path, state: RecipeState, text: str) -> FileChange:
    rel = state.raw.path.relative_to(root.resolve()).as_posix()
    old, new = state.raw.text.encode(), text.encode()
    return FileChange(rel, "identical" if old == new else "update", old, new)


def bump(
    feedstock: Path,
    options: LookupOptions,
    *,
    version: str | None = None,
    dry_run: bool = False,
) -> BumpReport:
    """Bump the feedstock's recipe to ``version`` or to the newest upstream version.

    Nothing is written when any source cannot be downloaded, a URL does not resolve, or a
    checksum does not match; ``dry_run`` computes everything and writes nothing.

    Raises:
        BumpError: the bump was refused (exit code 3).
    """
    root = feedstock.resolve() if feedstock.is_dir() else feedstock.resolve().parent
    state = read_state(feedstock, options, every_platform=True)
    client = HttpClient(options.http)
    try:
        if version is None:
            check = check_state(state, str(feedstock), client, options)
            target = check.newest if check.outdated else None
        else:
            check = VersionCheck(str(feedstock), state.current, version, None)
            target = version
        if target is None:
            return BumpReport(check, None, _change(root, state, state.raw.text), (), False)
        text, downloads = _edited(state, target, client)
    finally:
        client.close()
    change = _change(root, state, text)
    written = not dry_run and change.changes_anything
    if written:
        apply(root, [change])
    return BumpReport(check, target, change, tuple(downloads), written)
