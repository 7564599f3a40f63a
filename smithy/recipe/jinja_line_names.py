"""Which names a choice of selector lines reads, from one parse with every selector line kept.

A dropped selector line is an empty line, so the template of a choice is the every-line-kept
template without the nodes of the dropped lines. jinja (``meta.find_undeclared_variables``)
decides for each name on its own whether the template reads it from the variant: the first
thing the top level does with the name (read it, or ``{% set %}`` it) decides for the top
level, and a loop body reads it from the variant when the top level never mentions it. So a
choice's names follow from where each name is read and set, without parsing the choice's text:

* A name no selector line sets: read when the every-line-dropped template reads it, or when a
  kept line reads it before its first unconditional top-level ``{% set %}``.
* A name a selector line sets again after an earlier set (``{% set x = x ~ "a" %}  # [win]``):
  the same, since setting a set name changes nothing.
* A name first set on a selector line (``{% set suffix = "" %}  # [win]``): counted only when
  its line is kept. Accepted only when every set of the name is a top-level ``{% set name =
  ... %}`` and the template has no frames other than loops (macros, blocks, imports...); then
  it is read when a kept top-level statement at or before the first kept set reads it, or,
  with no set kept, when any kept line reads it.

Anything else returns None from :func:`line_names`: the caller parses each choice's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from jinja2 import nodes

from smithy.recipe.jinja import ENVIRONMENT
from smithy.records import record

# (top-level statement index, 1-based line) of a name's top-level sets or top-level reads.
_Places = tuple[tuple[int, int], ...]
# Nodes whose frames (or imported names) this module does not model: a name first set on a
# selector line in a template holding one of them is analysed per choice.
_UNMODELLED = (
    nodes.Macro,
    nodes.CallBlock,
    nodes.FilterBlock,
    nodes.With,
    nodes.AssignBlock,
    nodes.Scope,
    nodes.OverlayScope,
    nodes.Block,
    nodes.ScopedEvalContextModifier,
    nodes.Extends,
    nodes.Include,
    nodes.Import,
    nodes.FromImport,
)
# Nodes whose names are bound in a frame of their own (conservatively: every node with a body
# but an if).
_OWN_FRAMES = (nodes.For, *_UNMODELLED)
# Names jinja's code generator declares itself in some frames.
_SPECIAL_NAMES = frozenset({"loop", "caller", "kwargs", "varargs", "self", "super"})


@record
class LineNames:
    """Where each name is read and set in the template with every selector line kept.

    Attributes:
        loads: name -> 1-based lines it is read on.
        first_store: name -> first line an unconditional top-level ``{% set %}`` off the
            selector lines assigns it.
        selector_sets: for each name first set on a selector line: its top-level sets and its
            top-level reads (the reads in loop bodies are the rest of ``loads``).
    """

    loads: dict[str, frozenset[int]]
    first_store: dict[str, int]
    selector_sets: dict[str, tuple[_Places, _Places]]


def line_names(
    tree: nodes.Template,
    selector_lines: frozenset[int],
    tagged: Sequence[tuple[int, str]],
    variant_names: frozenset[str],
) -> LineNames | None:
    """Where names are read and set in ``tree`` (every selector line kept).

    Args:
        tree: the parsed template with every selector line kept.
        selector_lines: 1-based numbers of the selector lines.
        tagged: (1-based number, text without its selector) of the selector lines holding
            jinja tags.
        variant_names: the names some choice reads from the variant (every line kept or none).

    Returns:
        None when a choice's names do not follow from the lines (see the module).
    """
    loads: dict[str, set[int]] = {}
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load":
            loads.setdefault(node.name, set()).add(node.lineno)
    if any(
        loads.get(name, set()) & selector_lines for name in _bound_in_frames(tree) & variant_names
    ):
        return None
    first_store: dict[str, int] = {}
    # Only unconditional top-level {% set %} off selector lines: a name set inside an if (or a
    # loop) may still come from the variant afterwards, as jinja's own analysis says.
    for statement in tree.body:
        if isinstance(statement, nodes.Assign) and statement.lineno not in selector_lines:
            for target in statement.find_all(nodes.Name):
                if target.ctx == "store" and target.name not in first_store:
                    first_store[target.name] = statement.lineno
    set_before = _names_set_before(tree, selector_lines)
    first_sets: set[str] = set()
    for number, line in tagged:
        found = _first_sets(line, number, first_store, set_before.get(number, set()))
        if found is None:
            return None
        first_sets |= found
    selector_sets = _selector_sets(tree, first_sets) if first_sets else {}
    if selector_sets is None:
        return None
    return LineNames({k: frozenset(v) for k, v in loads.items()}, first_store, selector_sets)


def names_read(
    where: LineNames,
    none_kept: frozenset[str],
    all_kept: frozenset[str],
    kept_lines: set[int],
    selector_set: frozenset[int],
) -> set[str]:
    """The names a choice reads: ``kept_lines`` are the selector lines it keeps (1-based)."""
    first_sets = where.selector_sets
    names = {name for name in none_kept if name not in first_sets}
    for name in all_kept - none_kept:
        if name in first_sets:
            continue
        store = where.first_store.get(name)
        lines = where.loads.get(name, frozenset()) & kept_lines
        if any(store is None or line <= store for line in lines):
            names.add(name)
    for name, (stores, top_loads) in first_sets.items():
        kept_stores = [s for s, line in stores if line not in selector_set or line in kept_lines]
        if kept_stores:
            first = min(kept_stores)
            reads: Iterable[int] = [line for s, line in top_loads if s <= first]
        else:
            reads = where.loads.get(name, frozenset())
        if any(line not in selector_set or line in kept_lines for line in reads):
            names.add(name)
    return names


def _bound_in_frames(tree: nodes.Template) -> set[str]:
    """The names bound in a frame of their own: loop targets, macro arguments, sets in loops...

    Whether such a frame's read of the name comes from the variant depends on which top-level
    mentions of it a choice keeps (``{{ item }}  # [win]`` above ``{% for item in l %}{{ item
    }}{% endfor %}``): not modelled when a selector line reads it. An if's branches share the
    top level's frame (the model covers them).
    """
    return {
        node.name
        for frame in tree.find_all(_OWN_FRAMES)
        for node in frame.find_all(nodes.Name)
        if node.ctx in ("store", "param")
    }


def _first_sets(
    line: str, number: int, first_store: dict[str, int], set_before: set[str]
) -> set[str] | None:
    """The names ``line`` sets first (no set above it); None when it holds other tags.

    Above: unconditionally at the top level, or earlier in its own block (``set_before``).
    Setting such a name again changes no name from read-from-the-variant to set-by-the-recipe.
    """
    found: set[str] = set()
    for statement in ENVIRONMENT.parse(line).body:
        if isinstance(statement, nodes.Output):
            if any(not isinstance(part, nodes.TemplateData) for part in statement.nodes):
                return None
            continue
        if not isinstance(statement, nodes.Assign) or not isinstance(statement.target, nodes.Name):
            return None
        name = statement.target.name
        first = first_store.get(name)
        if name not in set_before and (first is None or first >= number):
            found.add(name)
    return found


def _selector_sets(
    tree: nodes.Template, names: set[str]
) -> dict[str, tuple[_Places, _Places]] | None:
    """Per name of ``names``: its top-level sets and reads; None when one is not modelled."""
    if names & _SPECIAL_NAMES or any(name in ENVIRONMENT.globals for name in names):
        return None
    if any(True for _ in tree.find_all(_UNMODELLED)):
        return None
    if any(ref.name in names for ref in tree.find_all(nodes.NSRef)):
        return None
    stores: dict[str, list[tuple[int, int]]] = {name: [] for name in names}
    top_loads: dict[str, list[tuple[int, int]]] = {name: [] for name in names}
    for index, statement in enumerate(tree.body):
        target = statement.target if isinstance(statement, nodes.Assign) else None
        for node, in_loop in _names_in(statement):
            if node.name not in names:
                continue
            if node.ctx == "load":
                if not in_loop:
                    top_loads[node.name].append((index, node.lineno))
            elif node is not target:
                return None  # set in a block, a loop or a tuple: not modelled
            else:
                stores[node.name].append((index, statement.lineno))
    return {name: (tuple(stores[name]), tuple(top_loads[name])) for name in sorted(names)}


def _names_in(statement: nodes.Node) -> Iterator[tuple[nodes.Name, bool]]:
    """Each name node under ``statement`` and whether it is inside a loop's own frame.

    A loop's iterable belongs to the frame around it; its target, body, else and filter to
    the loop's frame (``idtracking.FrameSymbolVisitor.visit_For``).
    """
    pending: list[tuple[nodes.Node, bool]] = [(statement, False)]
    while pending:
        node, in_loop = pending.pop()
        if isinstance(node, nodes.Name):
            yield node, in_loop
        elif isinstance(node, nodes.For):
            pending.append((node.iter, in_loop))
            inner = [node.target, *node.body, *node.else_]
            pending.extend((child, True) for child in inner)
            if node.test is not None:
                pending.append((node.test, True))
        else:
            pending.extend((child, in_loop) for child in node.iter_child_nodes())


def _names_set_before(tree: nodes.Template, selector_lines: frozenset[int]) -> dict[int, set[str]]:
    """Per line of a ``{% set %}``: the names earlier ``{% set %}``s of its own block assign.

    jinja tracks the names of one statement list (a template's, an if branch's, a loop's...)
    in one table, so a name set earlier in the list on a line no selector drops is set there
    already: setting it again (``{% set skips = skips ~ "a" %}  # [win]`` in an if) changes
    no choice's names.
    """
    found: dict[int, set[str]] = {}
    pending: list[nodes.Node] = [tree]
    while pending:
        node = pending.pop()
        for statements in (getattr(node, name, None) for name in node.fields):
            if isinstance(statements, list):
                _scan_statements(statements, selector_lines, found)
        pending.extend(node.iter_child_nodes())
    return found


def _scan_statements(
    statements: list[nodes.Node], selector_lines: frozenset[int], found: dict[int, set[str]]
) -> None:
    assigned: set[str] = set()
    for statement in statements:
        if not isinstance(statement, nodes.Assign):
            continue
        # Two statements on one line (in different lists) keep only what both had set.
        earlier = found.get(statement.lineno)
        found[statement.lineno] = set(assigned) if earlier is None else earlier & assigned
        if statement.lineno not in selector_lines:
            assigned.update(
                target.name for target in statement.find_all(nodes.Name) if target.ctx == "store"
            )
