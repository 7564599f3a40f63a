"""meta.yaml text -> recipe.yaml text: the pure conversion of one recipe file."""

from __future__ import annotations

import ast
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from smithy.convert.context_inline import PYTHON_NAMES, inline_variant_context
from smithy.convert.expressions import convert_jinja_expression
from smithy.convert.jinja_names import reads_name, replace_name
from smithy.convert.layout import Layout
from smithy.convert.lines import ContextEntry, RecipeLine, split_recipe
from smithy.convert.model import ConvertIssue
from smithy.convert.round_trip import round_trip_yaml
from smithy.convert.templated_keys import expand_templated_keys
from smithy.convert.tree import ConditionWalker, ConvertYamlError, load_lines


@dataclass(frozen=True, slots=True)
class ConvertedRecipe:
    """The recipe.yaml text and what could not be converted mechanically (sorted by line)."""

    text: str
    issues: tuple[ConvertIssue, ...]


def _context_value(entry: ContextEntry) -> Any:
    """A literal stays a YAML value; anything else becomes a ``${{ }}`` expression."""
    try:
        value = ast.literal_eval(entry.expression)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return "${{ " + convert_jinja_expression(entry.expression) + " }}"
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return "${{ " + json.dumps(list(value)) + " }}"  # one spelling minijinja reads
    return "${{ " + convert_jinja_expression(entry.expression) + " }}"


def _context(entries: dict[str, ContextEntry]) -> CommentedMap:
    context = CommentedMap()
    for name, entry in entries.items():
        context[name] = _context_value(entry)
        if entry.comment:
            context.yaml_add_eol_comment("# " + entry.comment, name)
    return context


def _drop_blank_comments(node: Any) -> None:
    """Forget blank-line-only comments: moved keys would carry them to odd places."""
    if isinstance(node, CommentedMap | CommentedSeq):
        for key in list(node.ca.items):
            if not _has_text(node.ca.items[key]):
                del node.ca.items[key]
        for child in node.values() if isinstance(node, CommentedMap) else node:
            _drop_blank_comments(child)


def _has_text(comment: Any) -> bool:
    if isinstance(comment, list):
        return any(_has_text(part) for part in comment)
    value = getattr(comment, "value", None)
    return isinstance(value, str) and bool(value.strip())


def _dump(document: CommentedMap) -> str:
    _drop_blank_comments(document)
    stream = io.StringIO()
    round_trip_yaml().dump(document, stream)
    return _space_sections(stream.getvalue())


def _space_sections(text: str) -> str:
    """One blank line before each top-level section after the first, as recipes are written."""
    lines: list[str] = []
    for line in text.splitlines():
        top_level = line[:1].isalpha()
        if top_level and lines and lines[-1].strip() and not lines[-1].startswith("#"):
            lines.append("")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _source_line(lines: list[RecipeLine], position: int) -> int:
    """meta.yaml's line number for a line of the YAML text (loops repeat lines)."""
    if position <= 0 or not lines:
        return 0
    return lines[min(position, len(lines)) - 1].number


def convert_recipe_text(text: str, recipe_files: frozenset[str] = frozenset()) -> ConvertedRecipe:
    """Convert meta.yaml ``text`` to recipe.yaml text.

    Args:
        text: meta.yaml's text.
        recipe_files: names of the files in the recipe folder (``run_test.*`` become tests).
    """
    split = split_recipe(text)
    issues = list(split.issues)
    try:
        tree = load_lines(split.lines)
    except ConvertYamlError as error:
        line = _source_line(split.lines, error.line)
        issues.append(ConvertIssue(line, str(error), "fix the YAML (after selectors)"))
        return ConvertedRecipe("", tuple(sorted(issues, key=lambda i: i.line)))
    if not isinstance(tree, CommentedMap):
        issues.append(ConvertIssue(1, "meta.yaml is not a mapping", "fix the recipe"))
        return ConvertedRecipe("", tuple(issues))
    misshapen = [
        ConvertIssue(_source_line(split.lines, line), message, "fix the recipe")
        for line, message in _misshapen_sections(tree)
    ]
    if misshapen:
        return ConvertedRecipe("", tuple(sorted(issues + misshapen, key=lambda i: i.line)))
    # keyed by position: unrolled loops repeat meta.yaml lines
    walker = ConditionWalker({i: line.condition for i, line in enumerate(split.lines, start=1)})
    walked = walker.walk(tree)
    context = split.context
    walked = expand_templated_keys(
        walked, lambda name: context[name].expression if name in context else None
    )
    layout = Layout(recipe_files)
    document = layout.document(walked, _context(split.context))
    inline_variant_context(document, _set_in_outputs(text, split.context))
    issues += [
        ConvertIssue(_source_line(split.lines, i.line), i.message, i.suggestion)
        for i in walker.issues + layout.issues
    ]
    converted, used = _conda_build_names(_dump(document), document)
    if used & PYTHON_NAMES and not _PYTHON_VARIANT.search(text):
        issues.append(_python_issue(text))
    return ConvertedRecipe(converted, tuple(sorted(issues, key=lambda i: i.line)))


_TOP_LEVEL_KEY = re.compile(r"^(?P<key>[A-Za-z_]\w*)\s*:")


def _set_in_outputs(text: str, context: dict[str, ContextEntry]) -> frozenset[str]:
    """Context names last set inside meta.yaml's top-level ``outputs`` section."""
    first = last = 0
    for number, line in enumerate(text.splitlines(), start=1):
        found = _TOP_LEVEL_KEY.match(line)
        if found and first and not last:
            last = number
        if found and found.group("key") == "outputs":
            first, last = number, 0
    end = last or len(text.splitlines()) + 1
    return frozenset(name for name, entry in context.items() if first and first < entry.line < end)


def _python_issue(text: str) -> ConvertIssue:
    """``py`` printed in a recipe without a python variant: conda-build's own python."""
    number = next(
        (n for n, line in enumerate(text.splitlines(), 1) if _PYTHON_NAME.search(line)), 0
    )
    return ConvertIssue(
        number,
        "the python version is printed, but python is not a variant of this recipe"
        " (conda-build takes the python it runs with; recipe.yaml would add a python variant)",
        "write the version out, or list `python` in the requirements",
    )


_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
_PYTHON_NAME = re.compile(r"\{[{%].*(?<![.\w])(?:py|CONDA_PY|PY_VER)\b")
# a bare `python` requirement: what makes python a variant of a meta.yaml recipe
_PYTHON_VARIANT = re.compile(r"^\s*-\s*python\s*(?:#.*)?$", re.MULTILINE)
_CONDA_PY = '((python | split("."))[0] ~ (python | split("."))[1])'
_PY_VER = '((python | split("."))[0] ~ "." ~ (python | split("."))[1])'


def _as_jinja(value: Any) -> str | None:
    """A recipe value as a jinja expression (``${{ x }}`` -> ``x``; literals quoted)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    text = str(value).strip()
    if text.startswith("${{") and text.endswith("}}") and text.count("${{") == 1:
        return f"({text[3:-2].strip()})"
    return json.dumps(text) if "${{" not in text else None


_MAPPING_SECTIONS = ("package", "build", "requirements", "test", "about", "extra")


def _misshapen_sections(tree: CommentedMap) -> list[tuple[int, str]]:
    """(line, message) for each top-level section of the wrong YAML kind.

    conda-build refuses these too; converting them would crash further on or write nonsense.
    """
    found: list[tuple[int, str]] = []
    for key, value in tree.items():
        if value is None or key not in tree.lc.data:
            continue
        line = tree.lc.key(key)[0] + 1
        if key in _MAPPING_SECTIONS and not isinstance(value, CommentedMap):
            found.append((line, f"the {key} section must be a mapping"))
        elif key == "source" and not isinstance(value, CommentedMap | CommentedSeq):
            found.append((line, "the source section must be a mapping or a list"))
        elif key == "outputs" and not isinstance(value, CommentedSeq):
            found.append((line, "the outputs section must be a list"))
    return found


def _conda_build_names(text: str, document: CommentedMap) -> tuple[str, frozenset[str]]:
    """conda-build's own jinja names inside ``${{ }}``, spelled with the recipe's values.

    Returns the text and the names found.
    """
    package = document.get("package") or document.get("recipe") or {}
    values = {
        "PKG_BUILDNUM": _as_jinja((document.get("build") or {}).get("number", 0)),
        "PKG_VERSION": _as_jinja(package.get("version")),
        "PKG_NAME": _as_jinja(package.get("name")),
        "CONDA_PY": _CONDA_PY,
        "PY_VER": _PY_VER,
    }
    if "py" not in (document.get("context") or {}):
        values["py"] = _CONDA_PY  # conda-build's `py` (311) where it is printed, not compared

    used: set[str] = set()

    def expression(found: re.Match[str]) -> str:
        text = found.group(0)
        for name, value in values.items():
            if value is not None and reads_name(text, name):
                used.add(name)
                text = replace_name(text, name, value)
        return text

    return _EXPRESSION.sub(expression, text), frozenset(used)
