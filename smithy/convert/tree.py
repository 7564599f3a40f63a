"""Read the selected lines as YAML and turn line conditions into rattler-build ``if``/``then``.

A condition on a list item becomes an ``if``/``then`` item (adjacent items with the same
condition share one, and an item whose condition is the negation of the one before becomes its
``else``). A condition on a mapping key with a scalar value becomes a jinja conditional
expression; several copies of one key under different conditions (legal in meta.yaml because
conda-build drops lines before YAML sees them) become one chained expression.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from smithy.convert.expressions import V1_TEMPLATE, conjoin, convert_template_text
from smithy.convert.lines import RecipeLine
from smithy.convert.model import ConvertIssue
from smithy.convert.polarity import complementary
from smithy.convert.yaml_budget import long_number_line, oversized_key_line
from smithy.yaml import MAX_NODES

_DUPLICATE = "__smithy_duplicate_{}__"
_DUPLICATE_SUFFIX = re.compile(r"__smithy_duplicate_\d+__$")
_KEY = re.compile(r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<key>[A-Za-z_][\w.-]*)[ ]*:(?:[ ]|$)")
_BLOCK_SCALAR = re.compile(r":[ ]*[|>][-+0-9]*[ ]*(?:#.*)?$")


class ConvertYamlError(Exception):
    """meta.yaml's lines (selectors applied as comments) are not YAML."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(slots=True)
class _Scope:
    indent: int
    keys: dict[str, int] = field(default_factory=dict)


def _rename_duplicates(lines: list[str]) -> list[str]:
    """Give repeated keys of one mapping distinct names (the tree walk merges them again)."""
    scopes: list[_Scope] = []
    block_indent: int | None = None
    out: list[str] = []
    for text in lines:
        indent = len(text) - len(text.lstrip(" "))
        if block_indent is not None and (not text.strip() or indent > block_indent):
            out.append(text)
            continue
        block_indent = None
        found = _KEY.match(text)
        if found is None:
            out.append(text)
            continue
        key_indent = indent + len(found.group("dashes"))
        if found.group("dashes"):
            while scopes and scopes[-1].indent >= key_indent:
                scopes.pop()
            scopes.append(_Scope(key_indent))
        else:
            while scopes and scopes[-1].indent > key_indent:
                scopes.pop()
            if not scopes or scopes[-1].indent != key_indent:
                scopes.append(_Scope(key_indent))
        key = found.group("key")
        seen = scopes[-1].keys.get(key, 0)
        scopes[-1].keys[key] = seen + 1
        if seen:
            end = found.end("key")
            text = text[:end] + _DUPLICATE.format(seen) + text[end:]
        if _BLOCK_SCALAR.search(text):
            block_indent = key_indent
        out.append(text)
    return out


def load_lines(lines: list[RecipeLine]) -> Any:
    """Parse the YAML lines (jinja turned into ``${{ }}``) with comments kept.

    Raises:
        ConvertYamlError: the text is not YAML.
    """
    texts = _rename_duplicates([convert_template_text(line.text) for line in lines])
    yaml = YAML(typ="rt")
    try:
        tree = yaml.load("\n".join(texts) + "\n")
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(error, "problem", None) or str(error)
        raise ConvertYamlError(line, f"not YAML after conversion: {problem}") from None
    except ValueError:  # ruamel's int constructor: past Python's digit limit
        limit = sys.get_int_max_str_digits()
        message = f"not YAML after conversion: a number longer than {limit} digits"
        raise ConvertYamlError(long_number_line(texts, limit), message) from None
    except RecursionError:
        raise ConvertYamlError(0, "not YAML after conversion: nested too deeply") from None
    # The walk visits every copy of an aliased node: refuse what expands past smithy's budget.
    line = oversized_key_line(tree, MAX_NODES)
    if line is not None:
        raise ConvertYamlError(line, f"YAML expands to more than {MAX_NODES} values")
    return tree


def base_key(key: str) -> str:
    """The key as written in meta.yaml (without the duplicate marker)."""
    return _DUPLICATE_SUFFIX.sub("", key)


def _as_expression(value: Any) -> str:
    """A scalar as a jinja expression (templates become ``~`` concatenations)."""
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    parts = V1_TEMPLATE.split(text)
    pieces = [
        f"({part.strip()})" if index % 2 else json.dumps(part)
        for index, part in enumerate(parts)
        if index % 2 or part
    ]
    return " ~ ".join(pieces) or '""'


def _chain(choices: list[tuple[str | None, Any]]) -> str:
    """``${{ a if c1 else (b if c2 else d) }}`` from (condition, value) pairs."""
    expression: str | None = None
    for condition, value in reversed(choices):
        term = _as_expression(value)
        if condition is None:
            expression = term
        elif expression is None:
            expression = f"{term} if {condition}"
        else:
            expression = f"{term} if {condition} else ({expression})"
    return "${{ " + (expression or '""') + " }}"


# test keys whose condition, when on the key, makes whole v1 tests conditional (tests_section)
_WHOLE_TEST_KEYS = frozenset({"test", "imports", "commands"})


@dataclass(slots=True)
class ConditionWalker:
    """Walks the parsed tree, applying each line's condition where it belongs."""

    conditions: Mapping[int, tuple[str, ...]]
    issues: list[ConvertIssue] = field(default_factory=list)

    def extra(self, line: int, inherited: tuple[str, ...]) -> tuple[str, ...]:
        """The conditions of ``line`` (0-based) not already holding for its parent."""
        return tuple(c for c in self.conditions.get(line + 1, ()) if c not in inherited)

    def walk(self, node: Any, inherited: tuple[str, ...] = ()) -> Any:
        """Return ``node`` with every condition below it applied."""
        if isinstance(node, CommentedMap):
            return self.walk_map(node, inherited)
        if isinstance(node, CommentedSeq):
            return self.walk_seq(node, inherited)
        return node

    def walk_map(self, node: CommentedMap, inherited: tuple[str, ...]) -> CommentedMap:
        """Apply conditions to a mapping's keys (merging repeated keys)."""
        groups: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for key in list(node):
            if key not in node.lc.data:
                # Merged in by ``<<: *anchor``: walked where the anchor's mapping is written.
                continue
            line = node.lc.key(key)[0]
            extra = self.extra(line, inherited)
            node[key] = self.walk(node[key], inherited + extra)
            groups.setdefault(base_key(str(key)), []).append((key, extra))
        for name, entries in groups.items():
            if len(entries) == 1 and not entries[0][1]:
                continue
            self.merge_key(node, name, entries)
        return node

    def merge_key(
        self, node: CommentedMap, name: str, entries: list[tuple[str, tuple[str, ...]]]
    ) -> None:
        """Replace the copies of one key by a single conditional value."""
        first_key = entries[0][0]
        position = list(node).index(first_key)
        comment = node.ca.items.get(first_key)
        values = [(conjoin(list(extra)) if extra else None, node[key]) for key, extra in entries]
        for key, _ in entries:
            del node[key]
        merged = self.merged_value(node, name, values)
        if merged is None:
            return
        node.insert(position, name, merged)
        if comment is not None:
            node.ca.items[name] = comment

    def merged_value(
        self, node: CommentedMap, name: str, values: list[tuple[str | None, Any]]
    ) -> Any:
        """The single value for conditional copies of ``name``; None drops the key."""
        if name == "skip":
            terms = _skip_terms(values)
            return CommentedSeq(terms) if terms else None
        if all(not isinstance(v, CommentedMap | CommentedSeq) for _, v in values):
            return _chain(values)
        condition, value = values[0]
        if len(values) == 1 and condition is not None:
            if name in _WHOLE_TEST_KEYS:
                # kept as one if item: each v1 test it becomes is one conditional test
                # (an empty test is still a test, so the condition cannot go on the items)
                return _if_item(condition, value, None)
            if isinstance(value, CommentedSeq):
                return _conditional_list(condition, value)
            if _push_down(condition, value):
                return value
        line = node.lc.line + 1
        self.issues.append(
            ConvertIssue(
                line,
                f"'{name}' holds a mapping under a selector",
                "put the selector on the keys inside, or on list items",
            )
        )
        return values[-1][1]

    def item_condition(self, item: Any, line: int, inherited: tuple[str, ...]) -> tuple[str, ...]:
        """A list item's own condition (a mapping item's shared key condition)."""
        if isinstance(item, CommentedMap) and len(item):
            per_key = {self.extra(item.lc.key(key)[0], inherited) for key in item}
            return per_key.pop() if len(per_key) == 1 else ()
        return self.extra(line, inherited)

    def first_lines(
        self, node: CommentedSeq, inherited: tuple[str, ...]
    ) -> dict[int, tuple[str, str]]:
        """Items whose first line has a selected alternative in the item before.

        ``- name: a  # [c]`` then ``- name: b  # [not c]`` followed by more keys is one
        item for conda-build (whichever line survives starts it). Returns, by the index of the
        item holding the keys, its first key and that key's value as one expression.
        """
        found: dict[int, tuple[str, str]] = {}
        for index in range(1, len(node)):
            alone, item = node[index - 1], node[index]
            if not (isinstance(alone, CommentedMap) and isinstance(item, CommentedMap)):
                continue
            if len(alone) != 1 or len(item) < 2 or next(iter(item)) != next(iter(alone)):
                continue
            key = next(iter(alone))
            values = (alone[key], item[key])
            if any(isinstance(value, CommentedMap | CommentedSeq) for value in values):
                continue
            first = self.extra(alone.lc.key(key)[0], inherited)
            second = self.extra(item.lc.key(key)[0], inherited)
            if first and second and complementary(conjoin(list(first)), conjoin(list(second))):
                found[index] = (
                    key,
                    _chain([(conjoin(list(second)), values[1]), (None, values[0])]),
                )
        return found

    def walk_seq(self, node: CommentedSeq, inherited: tuple[str, ...]) -> CommentedSeq:
        """Apply conditions to list items: ``if``/``then`` (``else``) items.

        An item's end-of-line comment (and the comment lines after it) goes where the item goes.
        """
        groups: list[tuple[tuple[str, ...], list[tuple[Any, Any]]]] = []
        first_lines = self.first_lines(node, inherited)
        for index, item in enumerate(node):
            if index + 1 in first_lines:
                continue  # its one line is the other branch of the next item's first key
            extra = self.item_condition(item, node.lc.item(index)[0], inherited)
            walked = (self.walk(item, inherited + extra), _seq_comment(node, index))
            if index in first_lines:
                key, value = first_lines[index]
                walked[0][key] = value
            if groups and groups[-1][0] == extra and extra:
                groups[-1][1].append(walked)
            else:
                groups.append((extra, [walked]))
        result = CommentedSeq()
        if node.ca.comment is not None:
            result.ca.comment = node.ca.comment
        previous: CommentedMap | None = None
        for extra, items in groups:
            if not extra:
                for item, comment in items:
                    _append(result, item, comment)
                previous = None
                continue
            condition = conjoin(list(extra))
            if previous is not None and complementary(str(previous["if"]), condition):
                _set_branch(previous, "else", items)
                previous = None
                continue
            previous = _if_item(condition, None, None)
            _set_branch(previous, "then", items)
            result.append(previous)
        return result


def _seq_comment(seq: CommentedSeq, index: int) -> Any:
    """The comment token after a list item (None without one)."""
    entry = seq.ca.items.get(index)
    return entry[0] if entry else None


def _append(seq: CommentedSeq, item: Any, comment: Any) -> None:
    """Append with its comment (set after: ruamel shifts comments on insert)."""
    seq.append(item)
    if comment is not None:
        seq.ca.items[len(seq) - 1] = [comment, None, None, None]


def _set_branch(item: CommentedMap, key: str, items: list[tuple[Any, Any]]) -> None:
    """``then``/``else`` of an if item: one value, or a list; item comments kept with them."""
    if len(items) == 1:
        value, comment = items[0]
        item[key] = value
        if comment is not None and not isinstance(value, CommentedMap | CommentedSeq):
            item.ca.items[key] = [None, None, comment, None]
        return
    body = CommentedSeq()
    for value, comment in items:
        _append(body, value, comment)
    item[key] = body


def _push_down(condition: str, mapping: CommentedMap) -> bool:
    """Put a mapping key's condition on the values inside it, when they are lists or scalars."""
    for key, value in list(mapping.items()):
        if isinstance(value, CommentedSeq):
            mapping[key] = CommentedSeq([_if_item(condition, value, None)])
        elif isinstance(value, CommentedMap):
            if not _push_down(condition, value):
                return False
        else:
            mapping[key] = _chain([(condition, value)])
    return True


def _conditional_list(condition: str, value: CommentedSeq) -> CommentedSeq:
    """``value`` as the one ``if``/``then`` item of a list.

    Comment lines before the first item stay before the list: ruamel cannot write them
    between ``then:`` and the first item (it wrote ``then:   -`` and the item below).
    """
    wrapped = CommentedSeq([_if_item(condition, value, None)])
    if value.ca.comment is not None:
        wrapped.ca.comment, value.ca.comment = value.ca.comment, None
    return wrapped


def _if_item(condition: str, then: Any, otherwise: Any) -> CommentedMap:
    item = CommentedMap()
    item["if"] = condition
    if then is not None:
        item["then"] = then
    if otherwise is not None:
        item["else"] = otherwise
    return item


def _skip_terms(values: list[tuple[str | None, Any]]) -> list[str]:
    terms: list[str] = []
    for condition, value in values:
        truthy = value if isinstance(value, bool) else str(value).strip().lower() == "true"
        if isinstance(value, str) and value.startswith("${{"):
            inner = _as_expression(value)
            terms.append(f"({inner}) and {condition}" if condition else inner)
        elif truthy:
            terms.append(condition or "true")
    return terms
