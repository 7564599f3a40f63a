"""Fixtures for graph tests: generated feedstock trees and a tiny pinning."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from tests.conftest import DATA, write_tree

PINNING = DATA / "graph" / "pinning"


def _deps(items: Sequence[str], indent: str) -> str:
    return "".join(f"{indent}- {item}\n" for item in items)


def v1_recipe(
    name: str,
    *,
    version: str = "1.0",
    build: Sequence[str] = (),
    host: Sequence[str] = (),
    run: Sequence[str] = (),
    test: Sequence[str] = (),
    noarch: str | None = None,
    outputs: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
) -> str:
    """A recipe.yaml; ``outputs`` maps output name -> {section: deps} for multi-output."""
    text = f'context:\n  version: "{version}"\n'
    if outputs:
        text += f"recipe:\n  name: {name}\n  version: ${{{{ version }}}}\n"
    else:
        text += f"package:\n  name: {name}\n  version: ${{{{ version }}}}\n"
    text += "build:\n  number: 0\n"
    if noarch:
        text += f"  noarch: {noarch}\n"
    sections = {"build": build, "host": host, "run": run}
    if any(sections.values()):
        text += "requirements:\n"
        for section, deps in sections.items():
            if deps:
                text += f"  {section}:\n" + _deps(deps, "    ")
    if test:
        text += "tests:\n  - script:\n      - echo ok\n    requirements:\n      run:\n"
        text += _deps(test, "        ")
    if outputs:
        text += "outputs:\n"
        for out, reqs in outputs.items():
            text += f"  - package:\n      name: {out}\n"
            if any(reqs.values()):
                text += "    requirements:\n"
                for section, deps in reqs.items():
                    if deps:
                        text += f"      {section}:\n" + _deps(deps, "        ")
    return text


def v0_recipe(
    name: str,
    *,
    host: Sequence[str] = (),
    run: Sequence[str] = (),
    test: Sequence[str] = (),
    build: Sequence[str] = (),
) -> str:
    """A meta.yaml with selectors allowed in the dependency strings (``foo  # [win]``)."""
    text = f"package:\n  name: {name}\n  version: 1.0\n"
    sections = {"build": build, "host": host, "run": run}
    if any(sections.values()):
        text += "requirements:\n"
        for section, deps in sections.items():
            if deps:
                text += f"  {section}:\n" + _deps(deps, "    ")
    if test:
        text += "test:\n  requires:\n" + _deps(test, "    ")
    return text


Tree = Callable[[Mapping[str, str]], Path]


@pytest.fixture
def pinning() -> str:
    return str(PINNING)


@pytest.fixture
def feedstocks(tmp_path: Path) -> Callable[[Mapping[str, str]], Path]:
    """Write {feedstock name: recipe text} as <name>-feedstock/recipe/<file> folders."""

    def build(recipes: Mapping[str, str]) -> Path:
        root = tmp_path / "feedstocks"
        files = {}
        for name, text in recipes.items():
            file = "recipe.yaml" if text.startswith("context:") else "meta.yaml"
            files[f"{name}-feedstock/recipe/{file}"] = text
        return write_tree(root, files)

    return build


ALL = ("linux-64", "osx-64", "win-64")


def record(
    name: str,
    *,
    outputs: Sequence[str] | None = None,
    platforms: Sequence[str] = ALL,
    noarch: bool = False,
    jobs: int = 1,
    used_keys: Sequence[str] = (),
    error: str | None = None,
    **sections: Sequence[str],
):
    """A FeedstockRecord without rendering: every requirement holds on ``platforms``.

    A requirement written ``pkg@win-64`` holds only on that platform.
    """
    from smithy.graph.model import NOARCH, FeedstockRecord, OutputInfo, make_requires

    labels = (NOARCH,) if noarch else tuple(platforms)
    requires: dict[str, dict[str, set[str]]] = {}
    for section, deps in sections.items():
        for dep in deps:
            package, _, only = dep.partition("@")
            requires.setdefault(section, {})[package] = {only} if only else set(labels)
    return FeedstockRecord(
        name=name,
        path=f"/nowhere/{name}-feedstock",
        recipe="recipe/recipe.yaml",
        format="recipe.yaml",
        version="1.0",
        outputs=tuple(
            OutputInfo(out, "generic" if noarch else None, labels) for out in (outputs or [name])
        ),
        requires=make_requires(requires),
        used_keys=dict.fromkeys(used_keys, labels),
        jobs=dict.fromkeys(labels, jobs),
        error=error,
    )
