"""Context entries that read variant keys move into the outputs that use them.

rattler-build evaluates ``context`` once for the whole recipe, so a variant key read there is
used by every output, and conda-smithy splits CI jobs by it. conda-build counts the keys a
``{% set %}`` reads where the set is written: one inside an output counts for that output
only, one above the outputs reading only ``py`` (not a variant key to its scan) for none. So
such an entry, when only outputs use it, is written in place (parenthesised) where it is
used and left out of ``context`` (also when nothing uses it any more, as after an unrolled
loop); a key then stays a list inside one job, as with meta.yaml.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from smithy.convert.expressions import V1_TEMPLATE
from smithy.convert.jinja_names import reads_name, replace_name
from smithy.recipe.jinja import parse_template

# Names that are not variant keys: platform selectors rattler-build always defines.
_PLATFORM_NAMES = frozenset(
    {
        "linux", "osx", "win", "unix", "emscripten", "wasi", "x86", "x86_64", "aarch64",
        "arm64", "ppc64le", "s390x", "armv6l", "armv7l", "riscv64", "target_platform",
        "build_platform", "host_platform", "true", "false", "none",
    }
)  # fmt: skip
# Names conda-build's text scan does not take for variant keys (derived from python).
PYTHON_NAMES = frozenset({"py", "CONDA_PY", "PY_VER"})
Rewrite = Callable[[str], str]
_BARE_KEYS = frozenset({"if", "skip"})  # whole expressions, not templates


def _expression(value: Any) -> str | None:
    if isinstance(value, str):
        found = V1_TEMPLATE.fullmatch(value.strip())
        return found.group(1).strip() if found else None
    return None


def _free_names(expression: str) -> frozenset[str] | None:
    try:
        parsed = parse_template("{{ " + expression + " }}")
    except jinja2.TemplateSyntaxError:
        return None
    return frozenset(node.name for node in parsed.find_all(nodes.Name) if node.ctx == "load")


def _walk(node: Any, rewrite: Rewrite, bare: bool = False) -> None:
    """Apply ``rewrite`` to every expression below ``node``: templates, ``if`` and ``skip``."""
    if isinstance(node, CommentedMap):
        entries: list[tuple[Any, Any]] = list(node.items())
    elif isinstance(node, CommentedSeq):
        entries = list(enumerate(node))
    else:
        return
    for key, child in entries:
        whole = bare or key in _BARE_KEYS
        if isinstance(child, str):
            node[key] = _rewritten(child, rewrite, bare=whole)
        else:
            _walk(child, rewrite, bare=whole and isinstance(child, CommentedSeq))


def _rewritten(text: str, rewrite: Rewrite, *, bare: bool) -> str:
    if bare:
        new = rewrite(text)
    else:
        new = V1_TEMPLATE.sub(lambda m: "${{" + rewrite(m.group(1)) + "}}", text)
    if new == text:
        return text
    return type(text)(new) if isinstance(text, ScalarString) else new


def _uses(node: Any, name: str) -> bool:
    found = False

    def probe(expression: str) -> str:
        nonlocal found
        found = found or reads_name(expression, name)
        return expression

    _walk(node, probe)
    return found


def _movable(context: Mapping[str, Any], in_outputs: frozenset[str]) -> dict[str, str]:
    """Entries whose variant keys conda-build counts only where the entry is printed.

    A set inside ``outputs`` counts for that output only, whatever it reads; a set above
    them counts for every output unless all it reads are names conda-build's scan does not
    take for variant keys (``py``) and entries moved already.
    """
    own = set(context)
    found: dict[str, str] = {}
    for name, value in context.items():
        expression = _expression(value)
        names = _free_names(expression) if expression is not None else None
        if expression is None or not names or name in names:  # `x: ${{ x or 1 }}` shadows
            continue
        foreign = names - own - _PLATFORM_NAMES
        reads = bool(foreign or names & found.keys())
        unseen = foreign <= PYTHON_NAMES and not names & (own - found.keys())
        if reads and (name in in_outputs or unseen):
            found[name] = expression
    return found


def _kept_anyway(document: CommentedMap, movable: dict[str, str]) -> None:
    """Drop from ``movable`` what the top level or a staying context entry reads."""
    context = document["context"]
    top = CommentedMap((k, v) for k, v in document.items() if k not in ("context", "outputs"))
    changed = True
    while changed:
        staying = CommentedMap((k, v) for k, v in context.items() if k not in movable)
        held = [name for name in movable if _uses(top, name) or _uses(staying, name)]
        for name in held:
            del movable[name]
        changed = bool(held)


def inline_variant_context(document: CommentedMap, in_outputs: frozenset[str]) -> None:
    """Write context entries that read variant keys where outputs use them (see above).

    Args:
        document: the converted recipe.
        in_outputs: context names last set inside meta.yaml's ``outputs``.
    """
    context, outputs = document.get("context"), document.get("outputs")
    if not isinstance(context, CommentedMap) or not isinstance(outputs, CommentedSeq):
        return
    movable = _movable(context, in_outputs)
    _kept_anyway(document, movable)
    for name in reversed(list(movable)):  # a later entry may read an earlier one
        replacement = "(" + movable[name] + ")"
        _walk(outputs, functools.partial(replace_name, name=name, replacement=replacement))
        del context[name]
    if not context:
        del document["context"]
