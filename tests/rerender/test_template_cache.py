"""Compiled CI templates kept between processes: same files, no compiling, never trusted blindly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from jinja2 import DictLoader, Environment

from smithy import api
from smithy.recipe import jinja_selected
from smithy.rerender import template_cache, templating
from smithy.rerender.template_cache import CompiledTemplateCache, cache_tag, decode, encode
from tests.conftest import DATA

FIXTURE = DATA / "rerender_matrix" / "feedstock"
PINNING = str(DATA / "rerender_matrix" / "pinning")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_environments() -> Iterator[None]:
    """Each rerender here loads its templates anew, as a new process would."""
    templating._environment.cache_clear()
    yield
    templating._environment.cache_clear()


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the CI templates jinja compiles from source (recipes are compiled too)."""
    names: list[str] = []
    original = Environment.compile

    def counting(self: Environment, source: object, *args: object, **kwargs: object) -> object:
        name = str(kwargs.get("name", args[0] if args else ""))
        if name.endswith(templating.TEMPLATE_SUFFIX):
            names.append(name)
        return original(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", counting)
    return names


def _rerender(tmp_path: Path, label: str, cache_home: Path | None) -> dict[str, bytes]:
    """Rerender a fresh copy of the fixture and return its files."""
    root = Path(shutil.copytree(FIXTURE, tmp_path / label / "tinyext-feedstock"))
    environ = None if cache_home is None else {"XDG_CACHE_HOME": str(cache_home)}
    templating._environment.cache_clear()
    api.rerender(root, pinning=PINNING, environ=environ)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _cache_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "smithy" / "templates").rglob("*.code"))


def test_a_warm_cache_compiles_nothing_and_writes_the_same_files(
    tmp_path: Path, compiles: list[str]
) -> None:
    plain = _rerender(tmp_path, "plain", None)
    compiled_without_cache = len(compiles)
    assert compiled_without_cache > 10
    assert not (tmp_path / "home").exists()

    cold = _rerender(tmp_path, "cold", tmp_path / "home")
    assert len(_cache_files(tmp_path / "home")) == compiled_without_cache
    compiles.clear()
    warm = _rerender(tmp_path, "warm", tmp_path / "home")
    assert compiles == []
    assert plain == cold == warm


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one flipped bit in the code
        lambda data: b"garbage\n" * 40,
        lambda data: data.replace(b"smithy-compiled-template 1", b"smithy-compiled-template 9"),
    ],
    ids=["empty", "truncated", "bit-flip", "garbage", "other-format"],
)
def test_damaged_files_are_compiled_again_and_replaced(
    tmp_path: Path, compiles: list[str], damage: object
) -> None:
    expected = _rerender(tmp_path, "fill", tmp_path / "home")
    files = _cache_files(tmp_path / "home")
    for path in files:
        path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    compiles.clear()
    assert _rerender(tmp_path, "damaged", tmp_path / "home") == expected
    assert len(compiles) == len(files)
    assert all(decode(path.read_bytes()) is not None for path in files)
    compiles.clear()
    assert _rerender(tmp_path, "repaired", tmp_path / "home") == expected
    assert compiles == []


def test_an_unusable_cache_folder_only_means_compiling(tmp_path: Path, compiles: list[str]) -> None:
    expected = _rerender(tmp_path, "plain", None)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("a file where the cache folder would go\n")
    compiles.clear()
    assert _rerender(tmp_path, "blocked", not_a_folder) == expected
    assert len(compiles) > 10
    assert not_a_folder.read_text() == "a file where the cache folder would go\n"


def test_code_of_an_edited_template_is_never_reused(tmp_path: Path) -> None:
    def render(text: str) -> str:
        environment = Environment(loader=DictLoader({"t.j2": text}))
        environment.bytecode_cache = CompiledTemplateCache(tmp_path)
        return environment.get_template("t.j2").render(x=1)

    assert render("old {{ x }}") == "old 1"
    assert render("new {{ x }}") == "new 1"
    assert render("old {{ x }}") == "old 1"
    assert len(list(tmp_path.glob("*.code"))) == 1


def test_files_record_the_template_text_and_refuse_stray_bytes() -> None:
    code = compile("x = 1", "<t>", "exec")
    data = encode(code, "ab" * 32)
    assert decode(data) == ("ab" * 32, code)
    assert decode(data + b"\0") is None
    assert decode(data[:40]) is None


def test_another_release_or_configuration_uses_another_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = {"trim_blocks": True}
    tag = cache_tag(options, ["filter:upper"])
    assert tag == cache_tag(dict(options), ["filter:upper"])
    assert tag != cache_tag({"trim_blocks": False}, ["filter:upper"])
    assert tag != cache_tag(options, ["filter:upper", "filter:lower"])
    monkeypatch.setattr(template_cache, "__version__", "0.0.0-other")
    assert tag != cache_tag(options, ["filter:upper"])
    monkeypatch.undo()
    monkeypatch.setattr(jinja2, "__version__", "0.0.0-other")
    assert tag != cache_tag(options, ["filter:upper"])


def test_library_callers_without_an_environment_write_no_cache() -> None:
    assert template_cache.template_cache_dir(None) is None
    assert template_cache.template_cache_dir({"XDG_CACHE_HOME": "/x"}) == Path(
        "/x/smithy/templates"
    )


def test_processes_filling_one_cache_at_once_all_write_the_same_files(tmp_path: Path) -> None:
    expected = _rerender(tmp_path, "plain", None)
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path / "home")}
    env.pop("SMITHY_PINNING", None)
    roots = [
        Path(shutil.copytree(FIXTURE, tmp_path / f"p{index}" / "tinyext-feedstock"))
        for index in range(3)
    ]
    command = [sys.executable, "-m", "smithy", "rerender", "-q", "--pinning", PINNING]
    running = [
        subprocess.Popen([*command, str(root)], env=env, stderr=subprocess.PIPE) for root in roots
    ]
    for process in running:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    for root in roots:
        files = {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }
        assert files == expected
    assert not list((tmp_path / "home").rglob("*.tmp"))
    assert all(decode(path.read_bytes()) for path in _cache_files(tmp_path / "home"))


def test_a_rerender_that_writes_the_caches_prunes_older_versions_folders(tmp_path: Path) -> None:
    """Both caches drop a tag folder of another version unused for weeks; a recent one stays."""
    cache_home = tmp_path / "cache"
    month_ago = time.time() - 30 * 24 * 3600
    folders = {}
    for kind, suffix in (("templates", ".code"), ("recipes", ".rec")):
        for label, age in (("old", month_ago), ("recent", time.time())):
            folder = cache_home / "smithy" / kind / (("0" if label == "old" else "1") * 20)
            folder.mkdir(parents=True)
            (folder / f"{'2' * 64}{suffix}").write_bytes(b"an older release's record")
            os.utime(folder / f"{'2' * 64}{suffix}", (age, age))
            os.utime(folder, (age, age))
            folders[kind, label] = folder
    jinja_selected._prepared.clear()  # the recipe is prepared (and stored) anew
    _rerender(tmp_path, "a", cache_home)
    for kind in ("templates", "recipes"):
        assert not folders[kind, "old"].exists()
        assert folders[kind, "recent"].exists()  # another installed smithy may use it
        assert len(list((cache_home / "smithy" / kind).iterdir())) == 2  # and this version's
