"""Write a job config as ``.ci_support/*.yaml`` text, byte for byte as conda-smithy lays it out.

conda-smithy dumps with PyYAML's block style and sorted keys, writes the strings ``true`` and
``false`` as booleans, and quotes any other string a YAML 1.1 reader would not read back as the
same string (``'14'``, ``'2.17'``, ``'True'``). Long plain and single-quoted values are folded
at 80 columns as PyYAML's emitter folds them. This small emitter covers the shapes job configs
have (a mapping of lists of scalars, ``zip_keys`` lists of lists, ``pin_run_as_build``
mappings) and is far faster than a general YAML library.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from smithy.matrix.model import CiJob
from smithy.rerender.model import PlannedFile
from smithy.variants.model import UnquotedValue

# YAML 1.1 implicit types (PyYAML's resolver): a plain scalar matching one is not a string.
_IMPLICIT = re.compile(
    r"""^(?:
        yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
      | [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
      | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
      | [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
      | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
      | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | ~ | null | Null | NULL
      | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
      | [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
      | << | =
    )$""",
    re.VERBOSE,
)
_LEADING_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")
_SPACE = frozenset(" \t\r\n\x85\u2028\u2029")
_BOOLEANS = {"true": "true", "false": "false"}
# PyYAML's default ``best_width``: past it, a plain or single-quoted scalar is folded.
_BEST_WIDTH = 80
# PyYAML's default ``best_indent``: how far a value's continuation lines sit past its block.
_STEP = 2


# PyYAML (allow_unicode off) writes anything outside printable ASCII double-quoted, escaped.
_ESCAPES = {
    "\0": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f",
    "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_",
    "\u2028": "L", "\u2029": "P",
}  # fmt: skip


def _printable(text: str) -> bool:
    return all(" " <= ch <= "~" for ch in text)


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return "\\" + _ESCAPES[char]
    if " " <= char <= "~":
        return char
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _plain_allowed(text: str) -> bool:
    """Whether PyYAML would write ``text`` unquoted in block context."""
    if not text or _IMPLICIT.match(text) or not _printable(text):
        return False
    if text[0] in " \t" or text[-1] in " \t" or text.startswith(("---", "...")):
        return False
    for index, char in enumerate(text):
        followed_by_space = index + 1 >= len(text) or text[index + 1] in _SPACE
        if index == 0:
            if char in _LEADING_INDICATORS:
                return False
            if char in "?:-" and followed_by_space:
                return False
        elif (char == ":" and followed_by_space) or (char == "#" and text[index - 1] in _SPACE):
            return False
    return True


def scalar(value: object) -> str:
    """Return ``value`` as PyYAML would write it (strings ``true``/``false`` as booleans)."""
    try:
        return _known_scalar(value)
    except TypeError:  # an unhashable value: not remembered
        return _scalar(value)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if isinstance(value, UnquotedValue):  # a typed int or bool of a v1 variants.yaml
        return text.lower() if text.lower() in _BOOLEANS else text
    if _plain_allowed(text):
        return text
    if _printable(text):
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(_escaped(char) for char in text) + '"'


def fold(written: str, column: int, indent: int) -> str:
    """Fold a scalar as written by :func:`scalar` the way PyYAML's emitter does.

    ``column`` is where the scalar starts on its line; ``indent`` is the continuation lines'
    indent. PyYAML breaks only at a lone space (never inside a run of spaces, nor at a quoted
    scalar's leading or trailing space) once the line already runs past ``best_width``; the
    space becomes the line break. Double-quoted scalars are left whole (not folded here).
    """
    if column + len(written) <= _BEST_WIDTH + 1 or written.startswith('"'):
        return written  # no space can sit past the width: the common case, kept fast
    quoted = written.startswith("'")
    last = len(written) - 1
    parts: list[str] = []
    start = 0
    for index, char in enumerate(written):
        if char != " " or column + index - start <= _BEST_WIDTH:
            continue
        lone = written[index - 1] != " " and index < last and written[index + 1] != " "
        if lone and not (quoted and index in (1, last - 1)):
            parts.append(written[start:index] + "\n" + " " * indent)
            start, column = index + 1, indent
    return "".join(parts) + written[start:]


def _line(prefix: str, value: object, indent: int) -> str:
    """``prefix`` then ``value`` as a scalar, folded with ``indent`` for continuation lines."""
    try:
        return _known_line(prefix, value, indent)
    except TypeError:  # an unhashable value: not remembered
        return prefix + fold(scalar(value), len(prefix), indent)


# The jobs of one feedstock repeat the same keys and lines (channels, pins, zip_keys) hundreds
# of times; ``typed``: ``1``, ``True`` and the string ``"1"`` are written differently.
_known_scalar = functools.lru_cache(maxsize=4096, typed=True)(_scalar)


@functools.lru_cache(maxsize=4096, typed=True)
def _known_line(prefix: str, value: object, indent: int) -> str:
    return prefix + fold(scalar(value), len(prefix), indent)


def _mapping(lines: list[str], mapping: Mapping[str, Any], indent: str, sort: bool) -> None:
    keys = sorted(mapping) if sort else list(mapping)
    for key in keys:
        value = mapping[key]
        if isinstance(value, Mapping):
            lines.append(f"{indent}{scalar(key)}:")
            _mapping(lines, value, indent + "  ", sort=False)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            lines.append(f"{indent}{scalar(key)}:" if value else f"{indent}{scalar(key)}: []")
            _sequence(lines, value, indent)
        else:
            lines.append(_line(f"{indent}{scalar(key)}: ", value, len(indent) + _STEP))


def _sequence(lines: list[str], items: Sequence[Any], indent: str) -> None:
    for item in items:
        if isinstance(item, Sequence) and not isinstance(item, str):
            if not item:
                lines.append(f"{indent}- []")
                continue
            inner = len(indent) + 2 * _STEP  # the inner list is indented, not indentless
            lines.append(_line(f"{indent}- - ", item[0], inner))
            lines.extend(_line(f"{indent}  - ", part, inner) for part in item[1:])
        else:
            # A list under a key is indentless: its items sit at the key's own indent.
            lines.append(_line(f"{indent}- ", item, len(indent) + _STEP))


def dump_job_config(config: Mapping[str, Any]) -> str:
    """Return the ``.ci_support`` text of one job config.

    Top-level keys are sorted; nested mappings (``pin_run_as_build``) keep their order,
    which the caller has already made deterministic.
    """
    lines: list[str] = []
    _mapping(lines, config, "", sort=True)
    return "\n".join(lines) + "\n"


def ci_support_files(jobs: Sequence[CiJob]) -> dict[str, PlannedFile]:
    """The ``.ci_support/*.yaml`` file of every job (shared by providers of one platform)."""
    files: dict[str, PlannedFile] = {}
    for job in jobs:
        files.setdefault(job.ci_support_path, PlannedFile(dump_job_config(job.config).encode()))
    return files
