"""Compose YAML text into smithy's node tree: libyaml's C parser, budgets checked as it goes.

The fast path is PyYAML's libyaml binding (the parser conda-build itself reads meta.yaml with):
it parses and composes in C and calls back into Python once per node, which is where the node
and depth budgets are enforced, so a hostile file is refused as soon as it crosses them.
Text libyaml refuses is composed again by ruamel's pure-Python parser, the reader smithy used
before: it accepts a few YAML 1.2 forms libyaml does not and words its errors as before.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from yaml import YAMLError as LibYamlError
from yaml._yaml import CParser

from smithy.errors import SmithyError, Span
from smithy.yaml.nodes import MERGE_TAG, Mapping, Node, Scalar, Sequence, node_size

# One budget for every YAML file smithy reads. Far above any real recipe, pinning or
# conda-forge.yml (the whole conda-forge pinning is ~1,000 nodes); low enough to stop
# "billion laughs" alias bombs and multi-megabyte lists quickly.
MAX_NODES = 200_000
MAX_DEPTH = 200
# ruamel's pure parser runs ~50x slower: above this size its better wording is not worth it.
_RUAMEL_RETRY_LIMIT = 1_000_000
_SURROGATE = re.compile("[\\ud800-\\udfff]")
_CORE = "tag:yaml.org,2002:"
# Tags ruamel's resolver puts on untagged nodes; the C path leaves those empty.
_IMPLICIT = frozenset(_CORE + name for name in ("str", "int", "float", "bool", "null", "seq"))
_IMPLICIT_TAGS = _IMPLICIT | {_CORE + "map", _CORE + "timestamp"}


class YamlError(SmithyError):
    """YAML that cannot be read: malformed, hostile (too large, too deep) or unencodable.

    ``over_budget`` tells a size or depth refusal from malformed text: reading a piece of the
    same text again cannot help then.
    """

    def __init__(self, message: str, span: Span | None = None, over_budget: bool = False) -> None:
        super().__init__(message, span)
        self.over_budget = over_budget


class _Refused(Exception):
    """A budget was crossed while composing (carries the message and 0-based mark)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _CComposer(CParser):  # type: ignore[misc]
    """libyaml composition with the resolver hooks turned into budget checks."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.count = 0

    def descend_resolver(self, parent: Any, index: Any) -> None:
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH or self.count > MAX_NODES:
            mark = self.peek_event().start_mark
            raise _Refused(_too_deep() if self.depth > MAX_DEPTH else _too_many(), *_at(mark))

    def ascend_resolver(self) -> None:
        self.depth -= 1

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        # Scalars keep their text; each reader resolves them with its own YAML version.
        if value == "<<" and isinstance(implicit, tuple) and implicit[0]:
            return MERGE_TAG
        return ""


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line, mark.column) if mark is not None else (-1, -1)


def _too_deep() -> str:
    return f"YAML nested deeper than {MAX_DEPTH} levels"


def _too_many() -> str:
    return f"YAML expands to more than {MAX_NODES} values"


class _Converter:
    """Raw (libyaml or ruamel) nodes to smithy nodes; aliased nodes converted once and shared."""

    def __init__(
        self, path: str, line_offset: int, implicit_tags: frozenset[str], check_surrogates: bool
    ) -> None:
        self.path = path
        self.check_surrogates = check_surrogates
        self.offset = line_offset + 1
        self.implicit = implicit_tags
        self.done: dict[int, Node] = {}
        self.active: set[int] = set()

    def error(self, message: str, raw: Any, over_budget: bool = False) -> YamlError:
        mark = raw.start_mark
        span = Span(self.path, mark.line + self.offset, mark.column + 1)
        return YamlError(message, span, over_budget)

    def convert(self, raw: Any) -> Node:
        key = id(raw)
        found = self.done.get(key)
        if found is not None:
            return found
        if raw.id == "scalar":  # most nodes: no children, no alias cycles, no budget to check
            node: Node = self._scalar(raw)
            self.done[key] = node
            return node
        if key in self.active:
            raise self.error("recursive YAML alias", raw)
        if len(self.active) >= MAX_DEPTH:  # aliases can nest deeper than the text does
            raise self.error(_too_deep(), raw, over_budget=True)
        self.active.add(key)
        node = self._collection(raw)
        self.active.discard(key)
        if node.size > MAX_NODES:
            raise self.error(_too_many(), raw, over_budget=True)
        self.done[key] = node
        return node

    def _tag(self, raw: Any) -> str:
        tag = str(raw.tag or "")
        return "" if tag in self.implicit else tag

    def _scalar(self, raw: Any) -> Scalar:
        mark = raw.start_mark
        if self.check_surrogates and _SURROGATE.search(raw.value):
            # "\ud800" escapes make text no file can hold; writing it would crash.
            raise self.error("a \\ud800-\\udfff escape is half a UTF-16 pair, not a character", raw)
        tag = raw.tag
        if tag and tag in self.implicit:
            tag = ""
        return Scalar(
            raw.value, raw.style or "", tag or "", mark.line + self.offset, mark.column + 1
        )

    def _collection(self, raw: Any) -> Sequence | Mapping:
        line, column = raw.start_mark.line + self.offset, raw.start_mark.column + 1
        if raw.id == "sequence":
            items = tuple(self.convert(item) for item in raw.value)
            size = 1 + sum(node_size(item) for item in items)
            return Sequence(items, self._tag(raw), line, column, size)
        pairs = tuple((self.convert(k), self.convert(v)) for k, v in raw.value)
        size = 1 + sum(node_size(value) for _, value in pairs)
        return Mapping(pairs, self._tag(raw), line, column, size)


def _ruamel_compose(text: str, first: bool) -> Any:
    from ruamel.yaml import YAML  # only for text libyaml refuses: keeps start-up light

    yaml = YAML(typ="safe", pure=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reused anchors and the like: never print from core
        if not first:
            return yaml.compose(text)
        documents = yaml.compose_all(text)
        root = next(documents, None)
        if root is not None:
            yaml.parser.check_event()  # what follows must start a document (see _compose_raw)
        return root


def _error_from(exc: BaseException, path: str, line_offset: int, text: str) -> YamlError:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem_mark is None and context_mark is None:
        position = getattr(exc, "position", None)
        if isinstance(position, int):  # a reader error: an unacceptable character
            line = text.count("\n", 0, max(position, 0)) + 1 + line_offset
            return YamlError(f"invalid YAML: {getattr(exc, 'reason', exc)}", Span(path, line))
        message = " ".join(str(exc).split()) or type(exc).__name__
        return YamlError(f"invalid YAML: {message}", Span(path))
    mark: Any = problem_mark or context_mark
    problem = problem or context or "invalid YAML"
    if "stream end" in problem or "end of stream" in problem:
        # Past the last line the reader knows nothing useful; point where the open
        # construct (flow list, quoted text) began instead.
        mark = context_mark or mark
    where = f" ({context})" if context and problem != context else ""
    span = Span(path, mark.line + 1 + line_offset, mark.column + 1)
    return YamlError(f"invalid YAML: {problem}{where}", span)


def _compose_raw(text: str, path: str, line_offset: int, first: bool) -> tuple[Any, frozenset[str]]:
    """The raw root node and which tags count as implicit for it."""
    try:
        composer = _CComposer(text)
        if not first:
            return composer.get_single_node(), frozenset()
        root = composer.get_node() if composer.check_node() else None
        # The parser also ends a document at a line it cannot continue it with: ``a: 1``
        # indented by a space, then ``b: 2``, ended it at ``a`` and ``b`` was dropped in
        # silence. What follows must start a document: parsing its first event raises there
        # (the later documents themselves are still not read).
        composer.check_event()
        return root, frozenset()
    except _Refused as exc:
        line = exc.line + 1 + line_offset if exc.line >= 0 else 0
        span = Span(path, line, exc.column + 1 if line else 0)
        raise YamlError(exc.message, span, over_budget=True) from None
    except (LibYamlError, UnicodeError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None and "nesting depth" in str(getattr(exc, "problem", "")):
            # libyaml's scanner stops past 1000 flow levels, before the composer's budget;
            # ruamel would only run out of stack on the same text.
            span = Span(path, mark.line + 1 + line_offset, mark.column + 1)
            raise YamlError(_too_deep(), span, over_budget=True) from None
        if len(text) > _RUAMEL_RETRY_LIMIT:
            raise _error_from(exc, path, line_offset, text) from None
    try:
        return _ruamel_compose(text, first), _IMPLICIT_TAGS
    except RecursionError:
        raise YamlError("YAML nested too deeply", Span(path)) from None
    except Exception as exc:  # ruamel's own failures on malformed input are bad input too
        raise _error_from(exc, path, line_offset, text) from None


def compose(
    text: str, path: str, line_offset: int = 0, *, first_document: bool = False
) -> Node | None:
    """Compose the single YAML document in ``text``; None when it holds nothing.

    Args:
        text: YAML text.
        path: how to name the file in errors.
        line_offset: lines of the file before ``text`` (when reading a piece of it).
        first_document: read only the first of several ``---`` documents (as PyYAML's
            ``load`` of a stream's first document); otherwise more than one is an error.

    Raises:
        YamlError: malformed YAML, more than one document, recursive aliases, more than
            :data:`MAX_NODES` values (aliases expanded) or deeper than :data:`MAX_DEPTH`;
            the span names the line and column.
    """
    raw, implicit = _compose_raw(text, path, line_offset, first_document)
    if raw is None:
        return None
    try:
        # libyaml refuses surrogate escapes itself; only ruamel's text needs the check.
        return _Converter(path, line_offset, implicit, bool(implicit)).convert(raw)
    except RecursionError:
        raise YamlError("YAML nested too deeply", Span(path)) from None
