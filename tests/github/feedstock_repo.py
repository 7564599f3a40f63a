"""Build a small feedstock git repository for tests (independent of ``smithy init``)."""

from __future__ import annotations

from pathlib import Path

from tests.github.fake_state import git

META_YAML = """\
{% set version = "1.0.0" %}
package:
  name: tinypkg
  version: {{ version }}
source:
  url: https://example.invalid/tinypkg-{{ version }}.tar.gz
  sha256: 0000000000000000000000000000000000000000000000000000000000000000
build:
  number: 0
  noarch: generic
about:
  license: MIT
extra:
  recipe-maintainers:
{maintainers}
"""


def make_feedstock(root: Path, maintainers: tuple[str, ...] = ("alice", "bob")) -> Path:
    """Write recipe/meta.yaml and conda-forge.yml under ``root``, git init and commit."""
    (root / "recipe").mkdir(parents=True)
    lines = "\n".join(f"    - {m}" for m in maintainers) or "    []"
    (root / "recipe" / "meta.yaml").write_text(
        META_YAML.replace("{maintainers}", lines), encoding="utf-8"
    )
    (root / "conda-forge.yml").write_text("{}\n", encoding="utf-8")
    git(["init", "-q", "-b", "main"], root)
    git(["add", "-A"], root)
    git(["commit", "-q", "-m", "Initial feedstock commit"], root)
    return root


def commit_change(root: Path, rel: str, text: str) -> str:
    """Write ``rel`` and commit it; return the new commit id."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(["add", "-A"], root)
    git(["commit", "-q", "-m", f"change {rel}"], root)
    return git(["rev-parse", "HEAD"], root)
