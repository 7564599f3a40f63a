"""Compile a meta.yaml template once for every choice of its line selectors.

conda-build applies ``# [selector]`` lines before jinja, so every platform and variant with a
different set of kept lines is a different template: compiling each took most of a big
multi-platform rerender (one feedstock: 151 compiles). Here each selector line becomes
``{% if smithy_kept_lines[k] %}line{% endif %}`` in one template compiled per recipe text; a
kept line renders as itself and a dropped one as the empty line selection leaves, so the
output is the same text. The names the template reads are worked out per choice of lines from
two analyses (every selector line kept, none kept) and where each name is read and set
(``jinja_line_names``) instead of a parse per choice.

Recipes where this could differ fall back to one compile per selected text: whitespace
control (``{%-``), selector lines holding ``{%`` or ``#}``-style tags, or starting inside a
multi-line tag. Selector lines whose ``{% set %}``s ``jinja_line_names`` does not model keep
the one compile but parse each choice's text for its names.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

from jinja2 import TemplateSyntaxError

from smithy.errors import JinjaError
from smithy.recipe import jinja_store
from smithy.recipe.jinja import (
    ENVIRONMENT,
    CompiledRecipe,
    TemplateAnalysis,
    analyse,
    analyse_tree,
    analysed_like,
    compile_code,
    names_assigned,
    names_set_anywhere,
    parse_template,
    template_from_code,
)
from smithy.recipe.jinja_line_names import LineNames, line_names, names_read
from smithy.recipe.selectors import split_selector_lines

KEPT_LINES = "smithy_kept_lines"
_CACHE_SIZE = 64
_KEPT_CACHE_SIZE = 256
# Where names are read and set, unused when each choice is parsed (tags_on_selector_lines).
_NO_NAMES = LineNames({}, {}, {})
_WHITESPACE_CONTROL = re.compile(r"\{[%{#][-+]|[-+][%}#]\}")
_TAG_MARKS = ("{%", "%}", "{#", "#}")
_BEGIN_TOKENS = frozenset(
    {"variable_begin", "block_begin", "comment_begin", "raw_begin", "linestatement_begin"}
)
_END_TOKENS = frozenset(
    {"variable_end", "block_end", "comment_end", "raw_end", "linestatement_end"}
)


@dataclass(slots=True)
class SelectedTemplate:
    """One compiled template for all selections of a recipe's selector lines.

    Attributes:
        compiled: the template with each selector line behind ``smithy_kept_lines[k]`` (its
            names are those of every line kept; a choice's come from ``for_choice``).
        code: the template's Python code.
        selector_lines: 0-based index of each selector line, in order.
        kept_text: each selector line's text without its selector.
    """

    compiled: CompiledRecipe
    code: CodeType  # compiled's code, kept on disk with the rest (see jinja_store)
    selector_lines: tuple[int, ...]
    kept_text: tuple[str, ...]
    none_kept: TemplateAnalysis
    all_kept: TemplateAnalysis
    where: LineNames
    comment_lines: frozenset[int]
    choices: dict[tuple[bool, ...], CompiledRecipe]
    selector_set: frozenset[int]  # 1-based numbers of the selector lines
    # Selector lines hold tags jinja_line_names does not model (a {% set %} in a loop of a
    # name first set on a selector line, a block...): the names read are analysed on each
    # choice's text (still no code generated per choice).
    tags_on_selector_lines: bool
    # The names some {% set %} of the raw text assigns (jinja.names_set_anywhere), read off
    # the every-line-kept parse; None when the selectors' own text could change that parse.
    set_anywhere: frozenset[str] | None
    # Each variant asks twice (compile, render) and most share a selected text; keyed by it.
    kept_by_text: dict[str, tuple[bool, ...] | None] = field(default_factory=dict)

    def kept(self, selected_text: str) -> tuple[bool, ...] | None:
        """Which selector lines ``selected_text`` (from ``apply_line_selectors``) kept."""
        if selected_text in self.kept_by_text:
            return self.kept_by_text[selected_text]
        if len(self.kept_by_text) >= _KEPT_CACHE_SIZE:
            self.kept_by_text.clear()
        found = self.kept_by_text[selected_text] = self._kept(selected_text)
        return found

    def _kept(self, selected_text: str) -> tuple[bool, ...] | None:
        lines = selected_text.split("\n")
        choice = []
        for index, text in zip(self.selector_lines, self.kept_text, strict=True):
            if index >= len(lines):
                return None
            choice.append(lines[index] == text)
        return tuple(choice)

    def for_choice(self, choice: tuple[bool, ...], selected_text: str) -> CompiledRecipe:
        """The compiled template with the names, keys and comment names of ``choice``."""
        found = self.choices.get(choice)
        if found is None:
            if self.tags_on_selector_lines:
                found = analysed_like(self.compiled, selected_text)
            else:
                found = self._analysed(choice)
            self.choices[choice] = found
        return found

    def _analysed(self, choice: tuple[bool, ...]) -> CompiledRecipe:
        kept_lines = {i + 1 for i, keep in zip(self.selector_lines, choice, strict=True) if keep}
        names = names_read(
            self.where, self.none_kept.names, self.all_kept.names, kept_lines, self.selector_set
        )
        implied = set(self.none_kept.implied_keys)
        for key, lines in self.all_kept.implied_lines.items():
            if lines & kept_lines:
                implied.add(key)
        frozen = frozenset(names)
        comment = set()
        for name in frozen:
            lines = self.where.loads.get(name, frozenset())
            live = {line for line in lines if line not in self.selector_set or line in kept_lines}
            if live and live <= self.comment_lines:
                comment.add(name)
        return CompiledRecipe(
            template=self.compiled.template,
            names=frozen,
            implied_keys=frozenset(implied),
            comment_names=frozenset(comment),
        )


def _tags_stay_on_their_line(text: str, selector_lines: Sequence[int]) -> bool:
    """Whether no jinja tag, expression or comment spans into a selector line."""
    try:
        tokens = list(ENVIRONMENT.lex(text))
    except TemplateSyntaxError:
        return False
    spans: list[tuple[int, int]] = []
    start = 0
    for line, kind, value in tokens:
        if kind in _BEGIN_TOKENS:
            start = line
        elif kind in _END_TOKENS:
            spans.append((start, line + value.count("\n")))
    wanted = {index + 1 for index in selector_lines}
    return not any(begin < line <= end for begin, end in spans for line in wanted)


def _whole_tags(line: str) -> bool:
    """Whether ``line`` alone is a template (its tags open and close on it): wrappable."""
    try:
        ENVIRONMENT.parse(line)
    except (TemplateSyntaxError, RecursionError):
        return False
    return True


def _prepare(text: str, path: str) -> SelectedTemplate | None:
    if "\r" in text or _WHITESPACE_CONTROL.search(text):
        return None
    lines, selected = split_selector_lines(text)
    indices = tuple(index for index, _ in selected)
    kept = tuple(kept for _, kept in selected)
    tagged = [line for line in kept if any(mark in line for mark in _TAG_MARKS)]
    wrappable = (
        selected
        and all(line.strip() for line in kept)
        and all(_whole_tags(line) for line in tagged)
        and _tags_stay_on_their_line(text, indices)
    )
    if not wrappable:
        return None
    wrapped, all_kept, none_kept = list(lines), list(lines), list(lines)
    for number, (index, line) in enumerate(selected):
        wrapped[index] = f"{{% if {KEPT_LINES}[{number}] %}}{line}{{% endif %}}"
        all_kept[index] = line
        none_kept[index] = ""
    try:
        all_tree = parse_template("\n".join(all_kept))
        analysis_all = analyse_tree(all_tree)
        analysis_none = analyse("\n".join(none_kept))
        # Only the wrapped template's code is used: each choice's names come from the analyses.
        code, _ = compile_code("\n".join(wrapped), path)
        template = template_from_code(code)
        compiled = CompiledRecipe(template, analysis_all.names, analysis_all.implied_keys)
        selector_set = frozenset(i + 1 for i in indices)
        on_lines = [(i + 1, line) for i, line in selected if any(m in line for m in _TAG_MARKS)]
        variant_names = analysis_all.names | analysis_none.names
        where = line_names(all_tree, selector_set, on_lines, variant_names)
    except (TemplateSyntaxError, JinjaError, RecursionError, MemoryError, ValueError):
        return None
    comment_lines = frozenset(
        number for number, line in enumerate(lines, 1) if line.lstrip().startswith("#")
    )
    plain = all(_selector_is_plain(lines[index], line) for index, line in selected)
    return SelectedTemplate(
        compiled,
        code,
        indices,
        kept,
        analysis_none,
        analysis_all,
        where or _NO_NAMES,
        comment_lines,
        {},
        selector_set,
        where is None,
        names_assigned(all_tree) if plain else None,
    )


def _selector_is_plain(raw_line: str, kept: str) -> bool:
    """Whether dropping the selector from ``raw_line`` leaves jinja's tags as they were.

    The selector is the line's tail after ``kept``; without braces in it (and no ``{`` just
    before it, which ``# [...]`` would make a ``{#`` comment) both texts have the same tags.
    """
    tail = raw_line[len(kept) :]
    return (
        raw_line.startswith(kept) and not kept.endswith("{") and "{" not in tail and "}" not in tail
    )


_prepared: dict[str, SelectedTemplate | None] = {}
_lock = threading.Lock()


def selected_template(raw_text: str, path: str) -> SelectedTemplate | None:
    """The once-compiled template of ``raw_text``; None when it needs a compile per selection.

    Errors in the recipe's jinja are not raised here: the per-text compile reports them.
    """
    if raw_text in _prepared:
        return _prepared[raw_text]
    found, record = jinja_store.load(raw_text)
    prepared = _from_record(record) if found else None
    if prepared is None and not (found and record is None):
        try:
            prepared = _prepare(raw_text, path)
        except JinjaError:
            prepared = None
        jinja_store.store(raw_text, None if prepared is None else _record(prepared))
    with _lock:
        if len(_prepared) >= _CACHE_SIZE:
            _prepared.clear()
        _prepared[raw_text] = prepared
    return prepared


# What jinja_store keeps: every field but the template object (rebuilt from its code) and the
# per-choice results (filled as choices come), as marshal-able data.
_Record = tuple[object, ...]
_RECORD_FIELDS = (
    "code",
    "lines",
    "kept",
    "none",
    "all",
    "where",
    "comments",
    "set",
    "tags",
    "set_anywhere",
)


def _record(template: SelectedTemplate) -> _Record:
    return (
        template.code,
        template.selector_lines,
        template.kept_text,
        (template.none_kept.names, template.none_kept.implied_lines),
        (template.all_kept.names, template.all_kept.implied_lines),
        (template.where.loads, template.where.first_store, template.where.selector_sets),
        template.comment_lines,
        template.selector_set,
        template.tags_on_selector_lines,
        template.set_anywhere,
    )


def _from_record(record: object) -> SelectedTemplate | None:
    """The template a record describes; None when it is not one (then prepare it again)."""
    if not isinstance(record, tuple) or len(record) != len(_RECORD_FIELDS):
        return None
    fields: tuple[Any, ...] = record
    code, lines, kept, none_kept, all_kept, where, comments, selector_set, tags, set_anywhere = (
        fields
    )
    if not isinstance(code, CodeType):
        return None
    try:
        analysis_all = TemplateAnalysis(*all_kept)
        compiled = CompiledRecipe(
            template_from_code(code), analysis_all.names, analysis_all.implied_keys
        )
        return SelectedTemplate(
            compiled,
            code,
            lines,
            kept,
            TemplateAnalysis(*none_kept),
            analysis_all,
            LineNames(*where),
            comments,
            {},
            selector_set,
            tags,
            set_anywhere,
        )
    except (TypeError, ValueError):
        return None


def compiled_for(raw_text: str, selected_text: str, path: str) -> CompiledRecipe | None:
    """The compiled template and its names for the lines ``selected_text`` kept, or None."""
    template = selected_template(raw_text, path)
    if template is None:
        return None
    choice = template.kept(selected_text)
    if choice is None:
        return None
    try:
        return template.for_choice(choice, selected_text)
    except (TemplateSyntaxError, RecursionError):
        return None  # the per-text compile reports the error with its line


def set_anywhere(raw_text: str) -> frozenset[str]:
    """:func:`jinja.names_set_anywhere` of ``raw_text``, from its prepared template if kept."""
    template = _prepared.get(raw_text)
    if template is not None and template.set_anywhere is not None:
        return template.set_anywhere
    return names_set_anywhere(raw_text)


def kept_lines_variable(raw_text: str, selected_text: str) -> tuple[bool, ...]:
    """The ``smithy_kept_lines`` value for rendering ``compiled_for``'s template."""
    template = _prepared.get(raw_text)
    if template is None:
        return ()
    return template.kept(selected_text) or ()
