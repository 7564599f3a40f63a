"""The sandboxed jinja environment for meta.yaml: compile (cached), analyse and render safely."""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Generator, Mapping, Sequence
from types import CodeType, TracebackType
from typing import Any, cast

from jinja2 import Template, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.runtime import StrictUndefined, Undefined

from smithy.errors import JinjaError, SmithyError, Span
from smithy.recipe.jinja_limits import LimitExceeded
from smithy.recipe.jinja_lines import strip_marks
from smithy.recipe.jinja_sandbox import (
    CURRENT_BUDGET,
    LINE_MARK,
    MAX_TAGS,
    Budget,
    RecipeSandbox,
    tag_limit_line,
)
from smithy.records import record

# The name compiled templates carry; traceback frames with it point into the recipe.
_TEMPLATE_FILE = "<smithy-recipe>"
_CACHE_SIZE = 256
# Functions whose first argument names variant keys, as conda-build's used-variable scan sees.
_LANGUAGE_FUNCTIONS = frozenset({"compiler", "stdlib"})
_PIN_FUNCTIONS = frozenset({"pin_compatible", "pin_subpackage"})
# Pieces of top-level output counted together (counting each would cost as much as making
# it); a piece is a value already size-checked, so a chunk stays within tens of MAX_TEXT.
_PIECES_COUNTED_AT_ONCE = 32


class UndefinedJinjaError(JinjaError):
    """A name or item the render read is undefined (conda-build's first pass reads it empty)."""


class LenientUndefined(Undefined):
    """A name some variant defines but this one lacks: renders empty and never fails.

    This is what conda-build's first render pass does with such names; every operation on
    the value gives another lenient undefined, so ``{{ cuda_version.split('.')[0] }}`` is ``""``.
    """

    __slots__ = ()

    def _again(self, *args: Any, **kwargs: Any) -> LenientUndefined:
        return LenientUndefined(name=self._undefined_name)

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        return LenientUndefined(name=f"{self._undefined_name}.{name}")

    # jinja's stubs type these as never returning; a lenient undefined returns itself.
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _again  # type: ignore[assignment]
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _again  # type: ignore[assignment]
    __mod__ = __rmod__ = __pos__ = __neg__ = __pow__ = __rpow__ = _again  # type: ignore[assignment]
    __call__ = __getitem__ = __lt__ = __le__ = __gt__ = __ge__ = _again  # type: ignore[assignment]

    def __int__(self) -> int:  # type: ignore[override]
        return 0

    def __float__(self) -> float:  # type: ignore[override]
        return 0.0


ENVIRONMENT = RecipeSandbox(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)


@record
class CompiledRecipe:
    """A recipe text compiled once and reused for every variant.

    Attributes:
        template: the compiled template.
        names: names the template reads without defining them (``{% set %}`` excluded).
        implied_keys: variant keys read by calls: ``compiler('c')`` reads ``c_compiler`` and
            ``c_compiler_version``, ``cdt()`` reads ``cdt_name``/``cdt_arch``,
            ``pin_compatible('numpy')`` reads ``numpy``.
        comment_names: the ``names`` read only on YAML comment lines (``# ... {{ x }}``),
            whose rendering cannot change the recipe.
    """

    template: Template
    names: frozenset[str]
    implied_keys: frozenset[str]
    comment_names: frozenset[str] = frozenset()


def _implied_lines(tree: nodes.Template) -> dict[str, frozenset[int]]:
    """Each variant key read by a call (see ``CompiledRecipe``) and the lines of those calls."""
    keys: dict[str, set[int]] = {}
    for call in tree.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name):
            continue
        function = call.node.name
        first = call.args[0] if call.args else None
        literal = first.value if isinstance(first, nodes.Const) else None
        found: tuple[str, ...] = ()
        if function == "cdt":
            found = ("cdt_name", "cdt_arch")
        elif function in _LANGUAGE_FUNCTIONS and isinstance(literal, str):
            found = (f"{literal}_{function}", f"{literal}_{function}_version")
        elif function in _PIN_FUNCTIONS and isinstance(literal, str):
            found = (literal,)
        for key in found:
            keys.setdefault(key, set()).add(call.lineno)
    return {key: frozenset(lines) for key, lines in keys.items()}


@record
class TemplateAnalysis:
    """What a template text reads: undeclared names and call-implied keys (with lines)."""

    names: frozenset[str]
    implied_lines: dict[str, frozenset[int]]

    @property
    def implied_keys(self) -> frozenset[str]:
        """The call-implied variant keys."""
        return frozenset(self.implied_lines)


def analyse(text: str) -> TemplateAnalysis:
    """Parse ``text`` and list what it reads (no code generated).

    Raises:
        TemplateSyntaxError: the text is not valid jinja.
    """
    return analyse_tree(ENVIRONMENT.parse(text, name="meta.yaml", filename=_TEMPLATE_FILE))


def analyse_tree(tree: nodes.Template) -> TemplateAnalysis:
    """What a parsed template reads (see :func:`analyse`)."""
    return TemplateAnalysis(frozenset(meta.find_undeclared_variables(tree)), _implied_lines(tree))


def parse_template(text: str) -> nodes.Template:
    """Parse ``text`` as a recipe template (no code generated).

    Raises:
        TemplateSyntaxError: the text is not valid jinja.
    """
    return ENVIRONMENT.parse(text, name="meta.yaml", filename=_TEMPLATE_FILE)


@functools.lru_cache(maxsize=64)
def names_set_anywhere(text: str) -> frozenset[str]:
    """The names some ``{% set %}`` of ``text`` assigns, whatever its line selector.

    A name the recipe sets only on lines another platform keeps (``{% set p = "x" %}  #
    [linux]``) is no typo: conda-build renders it empty where it stays unset. Empty when
    ``text`` is not valid jinja (the compile of the selected text reports that).
    """
    try:
        tree = parse_template(text)
    except (TemplateSyntaxError, RecursionError):
        return frozenset()
    return names_assigned(tree)


def names_assigned(tree: nodes.Template) -> frozenset[str]:
    """The names some ``{% set %}`` of ``tree`` assigns, wherever it is."""
    targets = [s.target for s in tree.find_all(nodes.Assign)]
    targets += [s.target for s in tree.find_all(nodes.AssignBlock)]
    found: set[str] = set()
    for target in targets:
        for name in (target, *target.find_all(nodes.Name)):
            if isinstance(name, nodes.Name) and name.ctx == "store":
                found.add(name.name)
    return frozenset(found)


def analysed_like(compiled: CompiledRecipe, text: str) -> CompiledRecipe:
    """``compiled``'s template with the names, keys and comment names ``text`` reads.

    Raises:
        TemplateSyntaxError: ``text`` is not valid jinja.
    """
    tree = ENVIRONMENT.parse(text, name="meta.yaml", filename=_TEMPLATE_FILE)
    names = frozenset(meta.find_undeclared_variables(tree))
    return CompiledRecipe(
        template=compiled.template,
        names=names,
        implied_keys=frozenset(_implied_lines(tree)),
        comment_names=_comment_names(tree, text, names),
    )


def compile_template(text: str, path: str) -> CompiledRecipe:
    """Compile ``text`` (uncached) with the names it reads.

    Raises:
        JinjaError: the text is not valid jinja or has more than ``MAX_TAGS`` tags; the span
            names the line.
    """
    code, tree = compile_code(text, path)
    names = frozenset(meta.find_undeclared_variables(tree))
    return CompiledRecipe(
        template=template_from_code(code),
        names=names,
        implied_keys=frozenset(_implied_lines(tree)),
        comment_names=_comment_names(tree, text, names),
    )


def compile_code(text: str, path: str) -> tuple[CodeType, nodes.Template]:
    """Compile ``text`` (uncached) to its template's Python code, with its parse tree.

    Raises:
        JinjaError: as :func:`compile_template`.
    """
    if over := tag_limit_line(text):
        tags = f"more than {MAX_TAGS} jinja tags ({{{{ }}}} or {{% %}})"
        raise JinjaError(f"{tags}; smithy refuses to compile", Span(path, over))
    try:
        tree = ENVIRONMENT.parse(text, name="meta.yaml", filename=_TEMPLATE_FILE)
        code = ENVIRONMENT.compile(tree, name="meta.yaml", filename=_TEMPLATE_FILE)
    except TemplateSyntaxError as exc:
        raise JinjaError(f"jinja syntax error: {exc.message}", Span(path, exc.lineno)) from None
    except (RecursionError, MemoryError, SyntaxError, ValueError) as exc:
        raise JinjaError(f"jinja template too complex to compile ({exc})", Span(path)) from None
    return code, tree


def template_from_code(code: CodeType) -> Template:
    """The sandbox's template made from code :func:`compile_code` gave (kept or just made)."""
    env = ENVIRONMENT
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _comment_names(tree: nodes.Template, text: str, names: frozenset[str]) -> frozenset[str]:
    """The ``names`` that every read of sits on a whole-line YAML comment of ``text``."""
    lines = text.split("\n")
    on_code: set[str] = set()
    seen: set[str] = set()
    for node in tree.find_all(nodes.Name):
        if node.ctx != "load" or node.name not in names:
            continue
        seen.add(node.name)
        line = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
        if not line.lstrip().startswith("#"):
            on_code.add(node.name)
    return frozenset(seen - on_code)


_compiled: dict[str, CompiledRecipe] = {}
_compiled_lock = threading.Lock()


def compile_recipe(text: str, path: str) -> CompiledRecipe:
    """Compile ``text`` in the sandbox, or return the cached result for the same text.

    Args:
        text: the recipe text (after line selectors).
        path: how to name the recipe in errors.

    Raises:
        JinjaError: the text is not valid jinja; the span names the line.
    """
    cached = _compiled.get(text)
    if cached is not None:
        return cached
    result = compile_template(text, path)
    with _compiled_lock:
        if len(_compiled) >= _CACHE_SIZE:
            _compiled.clear()
        _compiled[text] = result
    return result


def _template_line(traceback: TracebackType | None) -> int:
    line = 0
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _message(exc: BaseException) -> str:
    if isinstance(exc, SecurityError):
        kind = "exceeds a limit" if isinstance(exc, LimitExceeded) else "is unsafe, refused"
        return f"jinja template {kind}: {exc}"
    if isinstance(exc, UndefinedError):
        text = str(exc)
        if text.endswith(" is undefined"):
            name = text[: -len(" is undefined")]
            return (
                f"undefined jinja variable {name}: set it with {{% set %}} or in a variant "
                "file (conda_build_config.yaml)"
            )
        return f"undefined jinja value: {text}"
    if isinstance(exc, TemplateError):
        return f"jinja error: {exc}"
    if isinstance(exc, RecursionError):
        return "jinja recursion too deep"
    return f"jinja expression failed: {type(exc).__name__}: {exc}"


@record
class RenderedText:
    """Rendered recipe text and, per rendered line, the source line it came from.

    Attributes:
        text: the rendered text.
        source_lines: ``source_lines[i]`` is the template line of rendered line ``i + 1``;
            empty when every rendered line kept its number.
    """

    text: str
    source_lines: Sequence[int] = ()

    def source_line(self, line: int) -> int:
        """Return the template line of rendered ``line`` (1-based)."""
        if 0 < line <= len(self.source_lines):
            return self.source_lines[line - 1]
        return line


def _strip_line_marks(text: str) -> RenderedText:
    if LINE_MARK not in text:
        return RenderedText(text)
    stripped, source_lines = strip_marks(text)
    return RenderedText(stripped, source_lines)


def _render(template: Template, variables: Mapping[str, Any]) -> str:
    """``template.render(variables)`` with one copy of the names instead of three.

    jinja copies the names into a dict, then builds the context's dict from the globals and
    ``**`` that copy; this builds the same dict (globals first, the names over them) once.
    The text the template yields is counted as it comes against the render's text budget,
    which also counts what blocks and macros collect (``RecipeSandbox.emitted``).
    """
    env = template.environment
    parent = {**template.globals, **variables}
    context = env.context_class(env, parent, template.name, template.blocks, template.globals)
    joined: list[str] = []
    budget = CURRENT_BUDGET.get()
    output = cast("Generator[str, None, None]", template.root_render_func(context))
    try:
        while chunk := list(itertools.islice(output, _PIECES_COUNTED_AT_ONCE)):
            text = env.concat(chunk)  # one join measures them: cheaper than len() of each
            try:
                budget.emit(len(text))
            except LimitExceeded as limit:
                output.throw(limit)  # raised where the template stands: its line is named
                raise
            joined.append(text)
        return env.concat(joined)
    except Exception:
        env.handle_exception()  # raises it again with template lines, as render() does


def render_compiled(
    compiled: CompiledRecipe, variables: Mapping[str, Any], path: str
) -> RenderedText:
    """Render ``compiled`` with ``variables`` inside fresh loop and call budgets.

    Args:
        compiled: from :func:`compile_recipe`.
        variables: the names the template may read (values and context functions).
        path: how to name the recipe in errors.

    Returns:
        The rendered text with the source line of every rendered line.

    Raises:
        JinjaError: an undefined name, an unsafe access, a budget exceeded or a failing
            expression; the span names the template line.
    """
    token = CURRENT_BUDGET.set(Budget())
    try:
        return _strip_line_marks(_render(compiled.template, variables))
    except SmithyError as exc:
        if exc.span is None or not exc.span.line:
            line = _template_line(exc.__traceback__)
            raise type(exc)(exc.message, Span(path, line)) from None
        raise
    except Exception as exc:  # anything a template expression raises is bad input
        kind = UndefinedJinjaError if isinstance(exc, UndefinedError) else JinjaError
        raise kind(_message(exc), Span(path, _template_line(exc.__traceback__))) from None
    finally:
        CURRENT_BUDGET.reset(token)
