"""A compiled meta.yaml recipe, converted, then built by ``smithy build`` into a local channel."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from smithy.cli import main
from tests.convert.recipes import COMPILED, HELLO_C


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a system C compiler")
def test_converted_recipe_builds_with_smithy_build(
    make_feedstock: Callable[..., Path], tmp_path: Path
) -> None:
    pytest.importorskip("rattler_build")
    root = make_feedstock(COMPILED, {"recipe/hello.c": HELLO_C}, name="hello-c")
    pinning = str(root / "pinning.yaml")
    assert main(["convert", str(root), "--pinning", pinning]) == 0
    assert not (root / "recipe" / "meta.yaml").exists()
    channel = tmp_path / "chan"
    argv = ["build", str(root), "--channel", str(channel), "-p", "linux-64"]
    assert main([*argv, "--pinning", pinning, "--no-cache"]) == 0
    repodata = json.loads((channel / "linux-64" / "repodata.json").read_text())
    (package,) = repodata["packages.conda"].values()
    assert (package["name"], package["version"]) == ("hello-c", "1.0")
