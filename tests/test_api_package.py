"""``smithy.api``: its names load on first use, and the two lists of them agree."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from smithy import api

INIT = Path(api.__file__)


def _type_checking_imports() -> dict[str, str]:
    """Name -> module, from the ``if TYPE_CHECKING:`` block the type checker reads."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If))
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        assert node.module is not None
        for alias in node.names:
            assert alias.asname == alias.name  # an explicit re-export
            found[alias.name] = node.module.removeprefix("smithy.api.")
    return found


def test_the_type_checker_sees_the_names_the_loader_serves() -> None:
    loader = {name: module for module, names in api._HOMES.items() for name in names}
    assert _type_checking_imports() == loader
    assert api.__all__ == sorted(loader)


@pytest.mark.parametrize("name", api.__all__)
def test_each_name_is_its_modules_object(name: str) -> None:
    home = importlib.import_module(f"smithy.api.{api._MODULE_OF[name]}")
    assert getattr(api, name) is getattr(home, name)
    assert name in dir(api)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'rendr'"):
        _ = api.rendr


def test_importing_the_front_door_imports_no_use_case() -> None:
    code = "import smithy.api, sys; print(sorted(m for m in sys.modules if 'smithy' in m))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['smithy', 'smithy.api']"
