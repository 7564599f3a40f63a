"""The recipe as written, parsed once for linting: every selector branch kept, jinja as text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smithy.recipe.model import RecipeFormat
from smithy.recipe.yaml_tree import YMap, YNode, YScalar, YSeq, parse_tree
from smithy.records import frozen_record

__all__ = ["Unit", "YMap", "YNode", "YScalar", "YSeq", "mask_jinja", "parse_lint_tree"]

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_TOKEN = re.compile(r"__j(\d+)_")


@frozen_record
class Masked:
    """meta.yaml text with jinja replaced by same-length tokens, and the originals."""

    text: str
    expressions: tuple[str, ...]

    def restore(self, value: str) -> str:
        """Put the original ``{{ ... }}`` text back into a scalar read from the masked text."""
        if "__j" not in value:
            return value
        out: list[str] = []
        pos = 0
        for match in _TOKEN.finditer(value):
            if match.start() < pos:
                continue
            index = int(match.group(1))
            if index >= len(self.expressions):
                continue
            original = self.expressions[index]
            out.append(value[pos : match.start()])
            out.append(original)
            pos = match.start() + max(len(original), len(match.group(0)))
        out.append(value[pos:])
        return "".join(out)


def _token(index: int, length: int) -> str:
    base = f"__j{index}_"
    return base + "_" * max(0, length - len(base))


_LINE_REST = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\n|$)")


def _alone_on_line(match: re.Match[str]) -> bool:
    text = match.string
    before = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
    return not before.strip() and _LINE_REST.match(text, match.end()) is not None


def mask_jinja(text: str) -> Masked:
    """Replace jinja in meta.yaml ``text`` so that it parses as YAML on the same lines.

    ``{{ expr }}`` becomes a token of the same length that is restored later; statements
    and comments become spaces (their line breaks stay), so every line keeps its number.
    An expression alone on its line becomes spaces too: it expands to YAML structure
    (``{{ openmp_mutex }}`` holding ``- _openmp_mutex``), which a scalar token would break.
    """
    expressions: list[str] = []

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if found.startswith("{{") and not _alone_on_line(match):
            expressions.append(found)
            return _token(len(expressions) - 1, len(found))
        return "".join(char if char == "\n" else " " for char in found)

    return Masked(_JINJA.sub(replace, text), tuple(expressions))


def _restored(node: YNode, masked: Masked) -> YNode:
    if isinstance(node, YScalar):
        if isinstance(node.value, str) and "__j" in node.value:
            return YScalar(masked.restore(node.value), node.line, column=node.column)
        return node
    if isinstance(node, YSeq):
        return YSeq(tuple(_restored(i, masked) for i in node.items), node.line, node.size)
    entries = {masked.restore(k): _restored(v, masked) for k, v in node.entries.items()}
    lines = {masked.restore(k): v for k, v in node.key_lines.items()}
    columns = {masked.restore(k): v for k, v in node.key_columns.items()}
    return YMap(entries, node.line, node.size, lines, columns)


def parse_lint_tree(text: str, fmt: RecipeFormat, path: str) -> YNode | None:
    """Parse a recipe as written; meta.yaml jinja is masked first and restored in values.

    Raises:
        RecipeParseError: the text is not YAML (with the line of the problem).
    """
    if fmt is RecipeFormat.V1:
        return parse_tree(text, path)
    masked = mask_jinja(text)
    tree = parse_tree(masked.text, path)
    return None if tree is None else _restored(tree, masked)


def get(node: YNode | None, *keys: str) -> YNode | None:
    """Follow mapping keys from ``node``; None when any step is missing or not a mapping."""
    for key in keys:
        if not isinstance(node, YMap):
            return None
        node = node.get(key)
    return node


def key_column(node: YMap, key: str) -> int:
    """The 1-based column where ``key`` is written in ``node`` (1 when unknown)."""
    return node.key_columns.get(key) or 1


def column_of(node: YNode | None) -> int:
    """The 1-based column where a scalar starts (1 when unknown or not a scalar)."""
    return node.column or 1 if isinstance(node, YScalar) else 1


def as_map(node: YNode | None) -> YMap | None:
    """Return ``node`` if it is a mapping."""
    return node if isinstance(node, YMap) else None


def text(node: YNode | None) -> str | None:
    """Return a scalar's value as text (booleans as ``true``/``false``), else None."""
    if not isinstance(node, YScalar) or node.value is None:
        return None
    if isinstance(node.value, bool):
        return "true" if node.value else "false"
    return node.value


def is_empty(node: YNode | None) -> bool:
    """True for a missing node, a null, an empty string, list or mapping."""
    if node is None:
        return True
    if isinstance(node, YScalar):
        return node.value is None or node.value == ""
    if isinstance(node, YSeq):
        return not node.items
    return not node.entries


def items(node: YNode | None) -> Iterator[YNode]:
    """Iterate over list items, descending into v1 ``if/then/else`` items (both branches).

    A single value stands for a one-item list, as conda-build reads it.
    """
    if node is None:
        return
    seq = node.items if isinstance(node, YSeq) else (node,)
    for item in seq:
        if isinstance(item, YMap) and "if" in item.entries:
            yield from items(item.get("then"))
            yield from items(item.get("else"))
        elif not (isinstance(item, YScalar) and item.value is None):
            yield item


def scalars(node: YNode | None) -> Iterator[YScalar]:
    """Iterate over the text items of a list (see ``items``)."""
    for item in items(node):
        if isinstance(item, YScalar) and isinstance(item.value, str):
            yield item


def walk(node: YNode | None) -> Iterator[YNode]:
    """Iterate over ``node`` and everything below it, depth first."""
    if node is None:
        return
    yield node
    if isinstance(node, YSeq):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, YMap):
        for value in node.entries.values():
            yield from walk(value)


@frozen_record
class Unit:
    """The top level of a recipe or one of its outputs: what a package is built from.

    Attributes:
        node: the mapping (the document for the top level, the item for an output).
        name: the package name as written (may contain jinja), or None.
        line: where it is declared.
        top: True for the document's top level.
        staging: True for a v1 staging (cache) output, which builds no package.
    """

    node: YMap
    name: str | None
    line: int
    top: bool
    staging: bool = False

    def section(self, *keys: str) -> YNode | None:
        """Return the node at ``keys`` below this unit."""
        return get(self.node, *keys)


def _output_unit(item: YMap, fmt: RecipeFormat) -> Unit:
    if fmt is RecipeFormat.V0:
        return Unit(item, text(item.get("name")), item.line, top=False)
    staging_node = item.get("staging") or item.get("cache")
    if staging_node is not None:
        return Unit(item, text(get(staging_node, "name")), item.line, top=False, staging=True)
    return Unit(item, text(get(item, "package", "name")), item.line, top=False)


def top_unit(tree: YMap, fmt: RecipeFormat) -> Unit:
    """Return the document's top level as a unit."""
    head = "package" if fmt is RecipeFormat.V0 or "package" in tree.entries else "recipe"
    return Unit(tree, text(get(tree, head, "name")), tree.line, top=True)


def output_units(tree: YMap, fmt: RecipeFormat) -> list[Unit]:
    """Return the outputs (items of ``outputs``) as units, in recipe order."""
    return [
        _output_unit(item, fmt) for item in items(tree.get("outputs")) if isinstance(item, YMap)
    ]


def package_units(tree: YMap, fmt: RecipeFormat) -> list[Unit]:
    """Return what builds packages: the outputs, or the top level when there are none."""
    outputs = [unit for unit in output_units(tree, fmt) if not unit.staging]
    return outputs or [top_unit(tree, fmt)]
