"""Prepared recipe templates kept on disk: reused only when whole and made from the same text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smithy.platforms import MAIN_PLATFORMS, selector_namespace
from smithy.recipe import jinja_selected, jinja_store
from smithy.recipe.jinja import render_compiled
from smithy.recipe.jinja_selected import KEPT_LINES, compiled_for, kept_lines_variable
from smithy.recipe.selectors import apply_line_selectors
from smithy.user_cache import record_header_size

RECIPE = """\
{% set name = "pkg" %}
{% set flavour = "cuda" %}  # [linux]
package:
  name: {{ name }}
  version: {{ version }}  # [not win]
  version: {{ version ~ ".w" }}  # [win]
requirements:
  build:
    - {{ compiler('c') }}
    - {{ flavour }}  # [linux]
    - tool {{ extra }}  # [osx]
"""
OTHER = RECIPE.replace("tool", "other-tool")


def _variables(text: str, selected: str) -> dict[str, object]:
    return {
        "version": "1.0",
        "extra": "e",
        "flavour": "cpu",
        "compiler": lambda language: f"{language}_compiler",
        KEPT_LINES: kept_lines_variable(text, selected),
    }


def _renders(text: str) -> list[tuple[frozenset[str], frozenset[str], str]]:
    """Names, implied keys and rendered text of ``text`` on every platform."""
    found = []
    for platform in MAIN_PLATFORMS:
        selected = apply_line_selectors(text, selector_namespace(platform), env={}, path="m")
        compiled = compiled_for(text, selected, "m")
        assert compiled is not None
        rendered = render_compiled(compiled, _variables(text, selected), "m").text
        found.append((compiled.names, compiled.implied_keys, rendered))
    return found


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    jinja_selected._prepared.clear()
    with jinja_store.recipe_template_cache(tmp_path / "recipes"):
        yield tmp_path / "recipes"
    jinja_selected._prepared.clear()


def _records(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.rec"))


def test_a_kept_template_renders_as_a_freshly_prepared_one(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _renders(RECIPE)
    [record] = _records(folder)
    jinja_selected._prepared.clear()

    def refuse(text: str, path: str) -> None:
        raise AssertionError("prepared again")

    monkeypatch.setattr(jinja_selected, "_prepare", refuse)
    assert _renders(RECIPE) == fresh
    assert _records(folder) == [record]
    kept = jinja_selected.selected_template(RECIPE, "m")
    assert kept is not None
    assert kept.set_anywhere == frozenset({"name", "flavour"})


def test_another_text_is_prepared_and_kept_apart(folder: Path) -> None:
    _renders(RECIPE)
    jinja_selected._prepared.clear()
    other = _renders(OTHER)
    assert [rendered for *_, rendered in other] != [rendered for *_, rendered in _renders(RECIPE)]
    assert len(_records(folder)) == 2
    assert any("other-tool" in rendered for *_, rendered in other)


def test_a_record_copied_under_another_texts_name_is_not_used(folder: Path) -> None:
    _renders(RECIPE)
    [record] = _records(folder)
    jinja_selected._prepared.clear()
    _renders(OTHER)
    other = next(path for path in _records(folder) if path != record)
    other.write_bytes(record.read_bytes())  # RECIPE's record, named as OTHER's
    jinja_selected._prepared.clear()
    assert any("other-tool" in rendered for *_, rendered in _renders(OTHER))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-10] + bytes(10),  # payload changed
        lambda data: b"junk",
        lambda data: b"",
    ],
)
def test_a_damaged_record_is_replaced_and_never_used(
    folder: Path, damage: Callable[[bytes], bytes]
) -> None:
    fresh = _renders(RECIPE)
    [record] = _records(folder)
    record.write_bytes(damage(record.read_bytes()))
    jinja_selected._prepared.clear()
    assert _renders(RECIPE) == fresh
    jinja_selected._prepared.clear()
    found, _ = jinja_store.load(RECIPE)
    assert found  # the damaged file was deleted and a whole one written again


def test_an_unusable_folder_only_means_preparing(tmp_path: Path) -> None:
    blocker = tmp_path / "recipes"
    blocker.write_text("a file where the folder should be")
    jinja_selected._prepared.clear()
    with jinja_store.recipe_template_cache(blocker):
        assert len(_renders(RECIPE)) == len(MAIN_PLATFORMS)
    jinja_selected._prepared.clear()


def test_nothing_is_kept_outside_a_cache_block(tmp_path: Path) -> None:
    jinja_selected._prepared.clear()
    _renders(RECIPE)
    assert jinja_store.load(RECIPE) == (False, None)
    jinja_store.store(RECIPE, ("anything",))
    assert not list(tmp_path.iterdir())


def test_a_recipe_prepared_per_text_is_remembered_as_such(folder: Path) -> None:
    text = "a: {{ x }}\n{%- set y = 1 %}  # [linux]\n"  # whitespace control: no shared template
    assert jinja_selected.selected_template(text, "m") is None
    jinja_selected._prepared.clear()
    assert jinja_store.load(text) == (True, None)
    assert jinja_selected.selected_template(text, "m") is None


def test_the_oldest_records_go_beyond_the_limit(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jinja_store, "_MAX_FILES", 2)
    texts = [RECIPE.replace("pkg", f"pkg{number}") for number in range(4)]
    for text in texts:
        jinja_selected.selected_template(text, "m")
    assert len(_records(folder)) == 2
    assert [jinja_store.load(text)[0] for text in texts] == [False, False, True, True]


def test_no_cache_when_a_module_source_is_unknown(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jinja_store, "_SOURCES", (*jinja_store._SOURCES, "no.such.module"))
    jinja_store._tag.cache_clear()
    try:
        _renders(RECIPE)
        assert not _records(folder)
    finally:
        jinja_store._tag.cache_clear()


def test_a_payload_that_does_not_match_its_digest_is_not_used(folder: Path) -> None:
    fresh = _renders(RECIPE)
    [record] = _records(folder)
    jinja_selected._prepared.clear()
    _renders(OTHER)
    other = next(path for path in _records(folder) if path != record)
    head = record_header_size(jinja_store._MAGIC)
    # RECIPE's header (its text's checksum) over OTHER's whole, loadable payload.
    record.write_bytes(record.read_bytes()[:head] + other.read_bytes()[head:])
    jinja_selected._prepared.clear()
    assert _renders(RECIPE) == fresh
