"""A generated feedstock ecosystem for migration tests and benchmarks.

Pinning ``pin/`` (libffi 3.4, with comments) knows migration ``libffi35`` (libffi 3.5).
Feedstocks under ``fs/``:

- ``libffi``: makes the migrated package (left out, as the bot leaves producers out);
- ``a1 -> a2 -> a3``: a three-level chain (a1 meta.yaml with ``{% set build_number %}``,
  a2 recipe.yaml with a context build number, a3 meta.yaml with a ``number:`` line);
- ``c1 <-> c2``: a run-time cycle, both members;
- ``pinned``: uses libffi with its own version range, so no CI job changes;
- ``tool``: does not use libffi at all;
- ``leafNN``: members with no parents, alternating recipe formats.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

PINNING_CBC = """\
# Pinning for the migration tests.
zlib:
  - '1.3'

# libffi moves in migration libffi35.
libffi:
  - '3.4'   # current ABI
python:
  - 3.12.* *_cpython
"""
MIGRATION = """\
__migrator:
  kind: version
  migration_number: 1
  bump_number: 1
  commit_message: |-
    Rebuild for libffi 3.5

    libffi 3.5 changed its ABI.
libffi:
  - '3.5'
migrator_ts: 1724712607
"""


def meta_yaml(
    name: str, *, host: tuple[str, ...] = (), run: tuple[str, ...] = (), set_number: bool = False
) -> str:
    """A meta.yaml with comments and jinja; the build number set or written literally."""
    text = f'{{% set name = "{name}" %}}\n{{% set version = "1.0" %}}\n'
    if set_number:
        text += "{% set build_number = 2 %}  {# bumped by migrations #}\n"
    text += "\npackage:\n  name: {{ name }}\n  version: {{ version }}\n\nbuild:\n"
    text += "  number: {{ build_number }}\n" if set_number else "  number: 5  # keep this comment\n"
    text += "\nrequirements:\n"
    for section, deps in (("host", host), ("run", run)):
        if deps:
            text += f"  {section}:\n" + "".join(f"    - {dep}\n" for dep in deps)
    return text + "\nabout:\n  summary: test  # [linux]\n"


def recipe_yaml(
    name: str,
    *,
    host: tuple[str, ...] = (),
    run: tuple[str, ...] = (),
    context_number: bool = False,
) -> str:
    """A recipe.yaml with comments and ``${{ }}`` expressions."""
    text = 'context:\n  version: "1.0"\n'
    if context_number:
        text += "  build_number: 7  # the one to bump\n"
    text += f"\npackage:\n  name: {name}\n  version: ${{{{ version }}}}\n\nbuild:\n"
    text += "  number: ${{ build_number }}\n" if context_number else "  number: 0  # first build\n"
    reqs = [(section, deps) for section, deps in (("host", host), ("run", run)) if deps]
    if reqs:
        text += "\nrequirements:\n"
        for section, deps in reqs:
            text += f"  {section}:\n" + "".join(f"    - {dep}\n" for dep in deps)
    return text


def recipes(leaves: int = 20) -> dict[str, str]:
    """Feedstock name -> recipe text (the file name follows from the text)."""
    found = {
        "libffi": recipe_yaml("libffi"),
        "a1": meta_yaml("a1", host=("libffi",), set_number=True),
        "a2": recipe_yaml("a2", host=("libffi", "a1"), context_number=True),
        "a3": meta_yaml("a3", host=("libffi", "a2")),
        "c1": meta_yaml("c1", host=("libffi",), run=("c2",)),
        "c2": recipe_yaml("c2", host=("libffi",), run=("c1",)),
        "pinned": recipe_yaml("pinned", host=("libffi >=3.4",)),
        "tool": recipe_yaml("tool", host=("zlib",)),
    }
    for index in range(leaves):
        name = f"leaf{index:02d}"
        make = meta_yaml if index % 2 else recipe_yaml
        found[name] = make(name, host=("libffi", "zlib"))
    return found


def write_ecosystem(root: Path, recipe_texts: Mapping[str, str] | None = None) -> tuple[Path, Path]:
    """Write ``root/pin`` and ``root/fs/<name>-feedstock``; return (pinning, feedstocks)."""
    pinning = root / "pin"
    (pinning / "migrations").mkdir(parents=True)
    (pinning / "conda_build_config.yaml").write_text(PINNING_CBC, encoding="utf-8")
    (pinning / "migrations" / "libffi35.yaml").write_text(MIGRATION, encoding="utf-8")
    folder = root / "fs"
    for name, text in (recipe_texts or recipes()).items():
        file = "recipe.yaml" if text.startswith("context:") else "meta.yaml"
        target = folder / f"{name}-feedstock" / "recipe" / file
        target.parent.mkdir(parents=True)
        target.write_text(text, encoding="utf-8")
    return pinning, folder


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` (identity from the environment) and return its output."""
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_all(repo: Path, message: str) -> None:
    """Make ``repo`` a repository on ``main`` if needed, and commit everything."""
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
