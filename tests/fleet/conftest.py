"""Fleet fixtures: generated feedstocks (good, broken, crashing, hanging) and result helpers."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bump.conftest import upstream  # noqa: F401  (fixtures by name)
from tests.fleet.generate import make_feedstocks
from tests.github.fixtures import fake_github, github_env  # noqa: F401  (fixtures by name)

BROKEN_RECIPE = "package:\n  name: broken\n  version: [1.0\n"


def normalised(path: Path) -> bytes:
    """The results file with every ``seconds`` set to 0: the only field that is a measurement."""
    lines = []
    for line in path.read_bytes().splitlines():
        record = json.loads(line)
        record["seconds"] = 0
        lines.append(json.dumps(record, sort_keys=True, separators=(",", ":")))
    return "\n".join(lines).encode()


@pytest.fixture(scope="session", autouse=True)
def private_dask_scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Dask workers of this test session keep their scratch files in its own temporary folder.

    Dask's default is one ``dask-scratch-space`` in the system temp folder, shared by every
    process on the machine: a lock left there by a killed run of another checkout stalled a
    worker here. Workers are new processes, so they learn the folder from the environment.
    """
    folder = str(tmp_path_factory.mktemp("dask-scratch"))
    before = os.environ.get("DASK_TEMPORARY_DIRECTORY")
    os.environ["DASK_TEMPORARY_DIRECTORY"] = folder
    try:
        import dask
    except ImportError:
        yield
    else:
        with dask.config.set({"temporary-directory": folder}):
            yield
    if before is None:
        os.environ.pop("DASK_TEMPORARY_DIRECTORY", None)
    else:
        os.environ["DASK_TEMPORARY_DIRECTORY"] = before


@pytest.fixture(scope="session")
def fleet_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight generated feedstocks of four shapes plus one with a broken recipe."""
    root = tmp_path_factory.mktemp("fleet-template")
    make_feedstocks(root, 8)
    broken = root / "broken-feedstock" / "recipe"
    broken.mkdir(parents=True)
    (broken / "meta.yaml").write_text(BROKEN_RECIPE)
    return root


@pytest.fixture
def fleet(fleet_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the generated feedstocks (rerender may write to it)."""
    target = tmp_path / "feedstocks"
    shutil.copytree(fleet_template, target)
    return target


@pytest.fixture
def faulty_fleet(fleet: Path) -> Path:
    """The fleet plus a feedstock whose task kills its worker and one whose task hangs."""
    for name in ("crash-feedstock", "hang-feedstock"):
        shutil.copytree(fleet / "pkg00000-feedstock", fleet / name)
    return fleet
