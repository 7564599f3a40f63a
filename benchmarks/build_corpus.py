#!/usr/bin/env python3
"""Build a parity corpus (for benchmarks/parity.py) from fetched bare feedstock mirrors.

The corpus itself is fetched material and stays outside the repository; this script and
`parity-corpus.txt` (names, commits, pinning versions) are what is kept.

usage: build_corpus.py MIRROR_GIT_DIR...   (e.g. /work/.mirror/conda-forge+numpy-feedstock/repo)
       build_corpus.py --list benchmarks/parity-corpus-4.txt   (mirrors under $SMITHY_MIRRORS)

For each feedstock mirror: find the newest commit on the default branch (HEAD) whose subject
says "Re-rendered with ... conda-smithy X ... conda-forge-pinning Z", extract the tree at that
commit into feedstocks/<name>/, extract the pinning at Z into pinnings/<Z>/ and update index.json.
With --list, the commits and pinning versions are the list's (name, commit, pinning per line),
so a corpus whose rerenders were squash-merged (named in the commit body only) rebuilds as listed;
the conda-smithy version is read from the commit's message. A listed name `name@branch` is a
commit of the feedstock `name` (any branch: the commit is what counts), kept as its own entry.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

CORPUS = Path(os.environ.get("SMITHY_CORPUS", "/work/corpus"))
PINNING_REPO = Path(
    os.environ.get(
        "SMITHY_PINNING_MIRROR", "/work/.mirror/conda-forge+conda-forge-pinning-feedstock/repo"
    )
)
MIRRORS = Path(os.environ.get("SMITHY_MIRRORS", "/work/.mirror"))
SMITHY_RE = re.compile(r"conda-smithy (v?[0-9][^\s,]*)")
PINNING_RE = re.compile(r"conda-forge-pinning (v?[0-9][0-9.]*[0-9])")


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True
    ).stdout


def extract(repo: Path, commit: str, dest: Path, paths: list[str] | None = None) -> None:
    data = git(repo, "archive", "--format=tar", commit, *(paths or []))
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="tar")


def find_rerender(repo: Path) -> tuple[str, str, str] | None:
    # The subject must say it: a squash merge lists the PR's rerender in its body, but its
    # tree may hold recipe edits made after that rerender (stale .ci_support).
    out = git(repo, "log", "HEAD", "--format=%H%x00%s%x01", "--grep=Re-rendered with").decode()
    for record in out.split("\x01"):
        if "\x00" not in record:
            continue
        sha, subject = record.strip().split("\x00", 1)
        smithy, pinning = SMITHY_RE.search(subject), PINNING_RE.search(subject)
        if smithy and pinning:
            return sha, smithy.group(1), pinning.group(1)
    return None


def listed_rerender(repo: Path, commit: str, pinning: str) -> tuple[str, str, str]:
    """The listed commit, with the conda-smithy version of its message's rerender line.

    A squash merge names each rerender of its PR in the body; the line with the listed pinning
    is the one that made the tree's .ci_support.
    """
    sha = git(repo, "rev-parse", f"{commit}^{{commit}}").decode().strip()
    message = git(repo, "log", "-1", "--format=%B", sha).decode()
    for line in message.splitlines():
        smithy, found = SMITHY_RE.search(line), PINNING_RE.search(line)
        if smithy and found and found.group(1) == pinning:
            return sha, smithy.group(1), pinning
    return sha, "unknown", pinning


def read_list(path: Path) -> dict[str, tuple[str, str]]:
    """name -> (commit, pinning version) from a parity-corpus list file."""
    listed: dict[str, tuple[str, str]] = {}
    for line in path.read_text().splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            listed[fields[0]] = (fields[1], fields[2])
    return listed


def pinning_commit(version: str) -> str:
    parts = [int(p) for p in version.lstrip("v").split(".")]
    parts += [0] * (6 - len(parts))
    stamp = dt.datetime(*parts[:6], tzinfo=dt.UTC)
    out = (
        git(
            PINNING_REPO,
            "log",
            "HEAD",
            "--first-parent",
            "-1",
            "--format=%H",
            f"--before={stamp.isoformat()}",
        )
        .decode()
        .strip()
    )
    if not out:
        raise SystemExit(f"no pinning commit before {version}")
    return out


def ensure_pinning(version: str) -> None:
    dest = CORPUS / "pinnings" / version
    if (dest / "conda_build_config.yaml").is_file():
        return
    commit = pinning_commit(version)
    tmp = CORPUS / "pinnings" / f".tmp-{version}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    extract(PINNING_REPO, commit, tmp, ["recipe/conda_build_config.yaml", "recipe/migrations"])
    dest.mkdir(parents=True, exist_ok=True)
    shutil.move(tmp / "recipe" / "conda_build_config.yaml", dest / "conda_build_config.yaml")
    shutil.rmtree(dest / "migrations", ignore_errors=True)
    shutil.move(tmp / "recipe" / "migrations", dest / "migrations")
    (dest / "COMMIT").write_text(commit + "\n")
    shutil.rmtree(tmp)


def recipe_format(tree: Path) -> str:
    recipe_dir = "recipe"
    cfg = tree / "conda-forge.yml"
    if cfg.is_file():
        m = re.search(r"^recipe_dir:\s*(\S+)", cfg.read_text(errors="replace"), re.M)
        if m:
            recipe_dir = m.group(1).strip("'\"")
    return "recipe.yaml" if (tree / recipe_dir / "recipe.yaml").is_file() else "meta.yaml"


def add(
    repo: Path,
    index: dict[str, dict[str, str]],
    listed: tuple[str, str] | None = None,
    entry_name: str | None = None,
) -> None:
    owner_name = next(p for p in reversed(repo.parts) if "+" in p)  # conda-forge+x-feedstock
    full = owner_name.replace("+", "/", 1)
    name = entry_name or full.split("/", 1)[1].removesuffix("-feedstock")
    found = find_rerender(repo) if listed is None else listed_rerender(repo, *listed)
    if found is None:
        print(f"{name}: no rerender commit", file=sys.stderr)
        return
    sha, smithy, pinning = found
    dest = CORPUS / "feedstocks" / name
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    extract(repo, sha, dest)
    ensure_pinning(pinning)
    index[name] = {
        "name": name,
        "repo": full,
        "commit": sha,
        "pinning_version": pinning,
        "recipe_format": recipe_format(dest),
        "conda_smithy_version": smithy,
    }
    print(f"{name}: {sha[:10]} smithy {smithy} pinning {pinning} {index[name]['recipe_format']}")


def main() -> None:
    index_path = CORPUS / "index.json"
    entries = json.loads(index_path.read_text()) if index_path.is_file() else []
    index = {e["name"]: e for e in entries}
    if sys.argv[1:2] == ["--list"]:
        listed = read_list(Path(sys.argv[2]))
        # "name@branch" names a maintenance branch's rerender of the feedstock `name`; the
        # entry keeps the whole name, so it can sit beside the default branch's.
        jobs = [
            (MIRRORS / f"conda-forge+{n.split('@')[0]}-feedstock" / "repo", listed[n], n)
            for n in listed
        ]
    else:
        jobs = [(Path(arg), None, None) for arg in sys.argv[1:]]
    for repo, entry, entry_name in jobs:
        try:
            add(repo, index, entry, entry_name)
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"{repo}: failed: {exc}", file=sys.stderr)
    ordered = [index[k] for k in sorted(index)]
    index_path.write_text(json.dumps(ordered, indent=1) + "\n")
    print(f"index: {len(ordered)} feedstocks")


if __name__ == "__main__":
    main()
