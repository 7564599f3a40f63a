"""Variant keys a recipe reads outside its YAML: build scripts and conda-smithy's text checks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from smithy.errors import RecipeParseError
from smithy.recipe.model import RawRecipe
from smithy.textfile import read_user_text

# conda-smithy adds python_min when a recipe line holds "{{ python_min }}" (CFEP-25 recipes).
_PYTHON_MIN = re.compile(r".*\{\{ python_min \}\}")
_WORD = re.compile(r"[0-9A-Za-z_]+")
# After a "$": a word the shell rule takes as a key (see _shell_words).
_AFTER_DOLLAR = re.compile(r"\{?\s*([0-9A-Za-z_]+)[\s|}]")


def _script_text(path: Path) -> str:
    """The script's text ("" when absent); re-read only when the file changed."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ""
    return _read(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int, size: int) -> str:
    # mtime and size are part of the cache key so an edited script is read again.
    return read_user_text(path, str(path), RecipeParseError)


def _shell_uses(text: str, key: str) -> bool:
    # conda-build's rule: "$key" or "${key" as the first "$" of a stretch of text that starts
    # a line, followed by a space, "|" or "}".
    if key not in text:
        return False
    pattern = rf"(^[^$]*?\$\{{?\s*{re.escape(key)}\s*[\s|\}}])"
    return re.search(pattern, text, flags=re.MULTILINE | re.DOTALL) is not None


@lru_cache(maxsize=256)
def _keys_in_script(text: str, keys: frozenset[str], batch: bool) -> frozenset[str]:
    # Both rules have the key as a whole word (`%key%`; `$key` or `${key` before a space, `|`
    # or `}`): the script's words (found once per script) are matched against the keys, and
    # the keys of other characters are tried one by one.
    odd = (key for key in _odd_keys(keys) if key in text)
    if batch:
        candidates = [*(keys & _words(text)), *odd]
        return frozenset(key for key in candidates if f"%{key}%" in text)
    return (keys & _shell_words(text)) | frozenset(key for key in odd if _shell_uses(text, key))


@lru_cache(maxsize=64)
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text))


@lru_cache(maxsize=64)
def _shell_words(text: str) -> frozenset[str]:
    """The word keys ``_shell_uses`` finds in ``text``, all found in one pass.

    From a line start, the rule's lazy run of characters other than "$" reaches only the first
    "$" after it: a "$" is one when it is the text's first or a line break lies between it and
    the "$" before.
    After it, a word key must be the whole word behind an optional "{" and whitespace, and
    be followed by whitespace, "|" or "}".
    """
    found: set[str] = set()
    previous = -1
    position = text.find("$")
    while position != -1:
        if previous == -1 or text.find("\n", previous, position) != -1:
            match = _AFTER_DOLLAR.match(text, position + 1)
            if match is not None:
                found.add(match.group(1))
        previous = position
        position = text.find("$", position + 1)
    return frozenset(found)


@lru_cache(maxsize=64)
def _odd_keys(keys: frozenset[str]) -> tuple[str, ...]:
    """The keys with characters other than ASCII letters, digits and ``_``."""
    return tuple(key for key in keys if not _WORD.fullmatch(key))


def script_file_variables(path: Path, keys: Iterable[str]) -> frozenset[str]:
    """Keys of ``keys`` one script file (``.sh`` or ``.bat``) reads; none when it is missing."""
    text = _script_text(path)
    if not text:
        return frozenset()
    return _keys_in_script(text, frozenset(keys), path.suffix == ".bat")


def script_variables(raw: RawRecipe, platform: str, keys: Iterable[str]) -> frozenset[str]:
    """Keys of ``keys`` the recipe's ``build.sh`` (or, on Windows, ``bld.bat``) reads."""
    wanted = frozenset(keys)
    used = script_file_variables(raw.recipe_dir / "build.sh", wanted)
    if platform.startswith("win"):
        used |= script_file_variables(raw.recipe_dir / "bld.bat", wanted)
    return used


def text_variables(raw: RawRecipe) -> frozenset[str]:
    """Keys conda-smithy adds from the recipe text itself (``python_min``)."""
    if any(_PYTHON_MIN.match(line) for line in raw.text.splitlines()):
        return frozenset({"python_min"})
    return frozenset()
