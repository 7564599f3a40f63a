"""recipe.yaml as a tree with source lines: parsing, ``if/then/else`` and ``${{ }}`` rendering."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from smithy import yaml
from smithy.errors import RecipeParseError, Span
from smithy.recipe.v1_expressions import Scope, has_template, parse_rendered, render_template
from smithy.records import record

_INT = re.compile(r"[-+]?[0-9]+")
_NULLS = ("", "~", "null", "Null", "NULL")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_BOOLS["FALSE"] = False
_CONDITIONAL_KEYS = frozenset({"if", "then", "else"})
# Keys whose subtree names build-time variables (`${{ PYTHON }}`): undefined names stay as written.
LENIENT_KEYS = frozenset({"script", "tests", "content"})


@record
class Scalar:
    """A YAML scalar: ``value`` typed for plain scalars (floats stay text), ``plain`` unquoted.

    ``template`` (derived): the value is text holding ``${{ }}``; ``static``: it is not.
    """

    value: str | bool | int | None
    plain: bool
    line: int
    template: bool = field(init=False)
    static: bool = field(init=False)

    def __post_init__(self) -> None:
        template = isinstance(self.value, str) and has_template(self.value)
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "static", not template)


@record
class Mapping:
    """A YAML mapping with string keys, in source order; ``key_lines`` parallel to ``items``."""

    items: tuple[tuple[str, Tree], ...]
    key_lines: tuple[int, ...]
    line: int
    conditional: bool = field(init=False)  # derived: an ``if/then/else`` mapping
    # derived: no template and no condition anywhere inside (renders alike in every scope)
    static: bool = field(init=False)

    def __post_init__(self) -> None:
        conditional = any(name == "if" for name, _ in self.items)
        object.__setattr__(self, "conditional", conditional)
        static = not conditional and all(value.static for _, value in self.items)
        object.__setattr__(self, "static", static)

    def get(self, key: str) -> Tree | None:
        """Return the value of ``key`` or None."""
        for name, value in self.items:
            if name == key:
                return value
        return None

    def without(self, keys: tuple[str, ...]) -> Mapping:
        """Return this mapping without ``keys``."""
        return self.select(lambda key: key not in keys)

    def only(self, keys: tuple[str, ...]) -> Mapping:
        """Return this mapping with just ``keys``."""
        return self.select(lambda key: key in keys)

    def select(self, keep: Callable[[str], bool]) -> Mapping:
        """Return this mapping with the keys ``keep`` accepts."""
        kept = [
            (item, line)
            for item, line in zip(self.items, self.key_lines, strict=True)
            if keep(item[0])
        ]
        return Mapping(tuple(i for i, _ in kept), tuple(line for _, line in kept), self.line)

    def key_line(self, key: str) -> int:
        """Return the line of ``key`` (the mapping's line when absent)."""
        for (name, _), line in zip(self.items, self.key_lines, strict=True):
            if name == key:
                return line
        return self.line


@record
class Sequence:
    """A YAML sequence."""

    items: tuple[Tree, ...]
    line: int
    static: bool = field(init=False)  # derived: as Mapping.static

    def __post_init__(self) -> None:
        object.__setattr__(self, "static", all(item.static for item in self.items))


Tree: TypeAlias = Scalar | Mapping | Sequence


@dataclass(slots=True)
class _Converter:
    path: str
    done: dict[int, Tree] = field(default_factory=dict)

    def convert(self, node: yaml.Node) -> Tree:
        key = id(node)
        if key not in self.done:
            self.done[key] = self._convert(node)
        return self.done[key]

    def _convert(self, node: yaml.Node) -> Tree:
        if isinstance(node, yaml.Scalar):
            return _scalar(node)
        if isinstance(node, yaml.Sequence):
            return Sequence(tuple(self.convert(item) for item in node.items), node.line)
        items: list[tuple[str, Tree]] = []
        lines: list[int] = []
        for key_node, value_node in node.pairs:
            if not isinstance(key_node, yaml.Scalar):
                raise RecipeParseError("mapping keys must be plain strings", self.span(node.line))
            key = key_node.value
            if key in (name for name, _ in items):
                raise RecipeParseError(f"duplicate key '{key}'", self.span(key_node.line))
            items.append((key, self.convert(value_node)))
            lines.append(key_node.line)
        return Mapping(tuple(items), tuple(lines), node.line)

    def span(self, line: int) -> Span:
        return Span(self.path, line)


def _scalar(node: yaml.Scalar) -> Scalar:
    # rattler-build reads YAML 1.2: only true/false are booleans; floats stay text.
    text, line = node.value, node.line
    if node.style:
        return Scalar(text, False, line)
    if text in _NULLS:
        return Scalar(None, True, line)
    if text in _BOOLS:
        return Scalar(_BOOLS[text], True, line)
    if _INT.fullmatch(text) and len(text) < 19:
        return Scalar(int(text), True, line)
    return Scalar(text, True, line)


@functools.lru_cache(maxsize=256)
def parse_tree(text: str, path: str) -> Mapping:
    """Parse recipe.yaml ``text`` once (cached by text and path) into a tree with lines.

    Raises:
        RecipeParseError: bad YAML (with its line), a top level that is not a mapping,
            duplicate keys, or aliases that expand too far.
    """
    try:
        node = yaml.compose(text, path)
    except yaml.YamlError as exc:
        raise RecipeParseError(exc.message, exc.span) from None
    if not isinstance(node, yaml.Mapping):
        line = node.line if node is not None else 0
        raise RecipeParseError("a recipe must be a YAML mapping", Span(path, line))
    tree = _Converter(path).convert(node)
    if not isinstance(tree, Mapping):  # a yaml.Mapping always converts to a Mapping
        raise RecipeParseError("a recipe must be a YAML mapping", Span(path))
    return tree


Condition = Callable[[Any, Span], bool]


@dataclass(slots=True)
class TreeRenderer:
    """Renders subtrees to plain data for one scope: ``${{ }}``, ``if/then/else``, nulls.

    Attributes:
        scope: the expression scope.
        condition: evaluates an ``if:`` value (a condition string or a bool).
        path: the recipe's display path, for spans.
    """

    scope: Scope
    condition: Condition
    path: str
    _spans: dict[int, Span] = field(default_factory=dict)  # one per line: every scalar has one

    def span(self, line: int) -> Span:
        """Return a span at ``line`` of the recipe."""
        found = self._spans.get(line)
        if found is None:
            found = self._spans[line] = Span(self.path, line)
        return found

    def value(self, tree: Tree | None, *, lenient: bool = False) -> Any:
        """Render ``tree`` to plain data; None when it renders to nothing."""
        if tree is None:
            return None
        if isinstance(tree, Scalar):
            return self.scalar(tree, lenient=lenient) if tree.template else tree.value
        if isinstance(tree, Sequence):
            return [item for item, _ in self.items(tree, lenient=lenient)]
        if tree.conditional:
            chosen = self.branch(tree)
            return None if chosen is None else self.value(chosen, lenient=lenient)
        result: dict[str, Any] = {}
        for key, child in tree.items:
            # a script's `env` is rendered strictly, as rattler-build does
            strict = key == "env"
            rendered = self.value(child, lenient=(lenient or key in LENIENT_KEYS) and not strict)
            if rendered is not None:
                result[key] = rendered
        return result

    def scalar(self, tree: Scalar, *, lenient: bool = False) -> Any:
        """Render a scalar; a template rendering to blank gives None."""
        value = tree.value
        if not isinstance(value, str) or not tree.template:
            return value
        rendered = render_template(value, self.scope, self.span(tree.line), lenient=lenient)
        if not rendered.strip():
            return None
        return parse_rendered(rendered) if tree.plain else rendered

    def items(self, tree: Tree | None, *, lenient: bool = False) -> list[tuple[Any, int]]:
        """Render a list (or a single item) with each resulting item's source line.

        ``if/then/else`` items are resolved and their branches spliced in, at any depth;
        items rendering to nothing are dropped. Each item is rendered as it is reached.
        """
        found: list[tuple[Any, int]] = []
        self._items_into(tree, lenient, found)
        return found

    def _items_into(self, tree: Tree | None, lenient: bool, found: list[tuple[Any, int]]) -> None:
        if tree is None:
            return
        if isinstance(tree, Sequence):
            for item in tree.items:
                if isinstance(item, Scalar) and not item.template:
                    if item.value is not None:  # the common plain item, without a call
                        found.append((item.value, item.line))
                else:
                    self._items_into(item, lenient, found)
        elif isinstance(tree, Mapping) and tree.conditional:
            self._items_into(self.branch(tree), lenient, found)
        else:
            value = self.value(tree, lenient=lenient)
            if value is not None:
                found.append((value, tree.line))

    def flatten(self, tree: Tree | None) -> Iterator[tuple[Tree, int]]:
        """Yield the items of a list (or a lone item) with ``if/then/else`` resolved."""
        if tree is None:
            return
        if isinstance(tree, Sequence):
            for item in tree.items:
                yield from self.flatten(item)
        elif isinstance(tree, Mapping) and tree.conditional:
            yield from self.flatten(self.branch(tree))
        else:
            yield tree, tree.line

    def branch(self, tree: Mapping) -> Tree | None:
        """Return the ``then`` or ``else`` subtree an ``if:`` mapping selects (None: neither)."""
        extra = sorted({key for key, _ in tree.items} - _CONDITIONAL_KEYS)
        if extra:
            raise RecipeParseError(
                f"unexpected key '{extra[0]}' beside 'if' (only 'then' and 'else')",
                self.span(tree.key_line(extra[0])),
            )
        condition = tree.get("if")
        if not isinstance(condition, Scalar) or tree.get("then") is None:
            raise RecipeParseError("'if' needs a condition and a 'then'", self.span(tree.line))
        chosen = self.condition(condition.value, self.span(condition.line))
        return tree.get("then") if chosen else tree.get("else")


def merge_output(
    top: dict[str, Any], output: dict[str, Any], *, from_staging: bool
) -> dict[str, Any]:
    """Merge a multi-output recipe's top-level sections into one rendered output.

    rattler-build's rules: ``build`` and ``about`` merge field by field (the output wins;
    ``build.skip`` is or-ed); ``extra`` merges; top-level ``source`` and ``tests`` are
    prepended. An output inheriting from a staging output takes neither the top-level build
    script nor the top-level sources and tests.
    """
    merged = dict(output)
    top_build = dict(top.get("build") or {})
    if from_staging:
        top_build.pop("script", None)
    build = {**top_build, **(output.get("build") or {})}
    if top_build.get("skip") or (output.get("build") or {}).get("skip"):
        build["skip"] = True
    for key, value in (("build", build), ("about", _merged(top, output, "about"))):
        if value:
            merged[key] = value
    extra = _merged(top, output, "extra")
    if extra:
        merged["extra"] = extra
    if not from_staging:
        for key in ("source", "tests"):
            combined = [*(top.get(key) or []), *(output.get(key) or [])]
            if combined:
                merged[key] = combined
    return merged


def _merged(top: dict[str, Any], output: dict[str, Any], key: str) -> dict[str, Any]:
    first, second = top.get(key), output.get(key)
    result = dict(first) if isinstance(first, dict) else {}
    if isinstance(second, dict):
        result.update(second)
    return result
