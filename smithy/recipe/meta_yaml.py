"""Render a conda-build meta.yaml (v0) recipe for one platform and variant."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from smithy.errors import RecipeParseError, SmithyError, Span
from smithy.platforms import selector_namespace
from smithy.recipe.jinja import (
    CompiledRecipe,
    LenientUndefined,
    RenderedText,
    UndefinedJinjaError,
    compile_recipe,
    render_compiled,
)
from smithy.recipe.jinja_functions import recipe_variables
from smithy.recipe.jinja_memo import (
    JinjaResult,
    Reads,
    RecordingMapping,
    current_memo,
    recording_environ,
)
from smithy.recipe.jinja_pins import PinRecorder, PinRequest
from smithy.recipe.jinja_sandbox import LENIENT_UNDEFINED
from smithy.recipe.jinja_selected import (
    KEPT_LINES,
    compiled_for,
    kept_lines_variable,
    set_anywhere,
)
from smithy.recipe.meta_yaml_build import build, top_skip
from smithy.recipe.meta_yaml_memo import (
    MARKER,
    Built,
    filled_output,
    filled_source,
    filler,
    session_builds,
    unpack_plain,
)
from smithy.recipe.meta_yaml_outputs import (
    Section,
)
from smithy.recipe.meta_yaml_pins import PinResolver
from smithy.recipe.model import (
    RawRecipe,
    RenderContext,
    RenderedOutput,
    RenderedRecipe,
    Source,
)
from smithy.recipe.selectors import apply_line_selectors, selector_names_in_text
from smithy.recipe.yaml_chunks import parse_document
from smithy.recipe.yaml_tree import YNode

# Selector names that stand for a variant key (``# [py>=312]`` depends on ``python``).
_SELECTOR_KEYS = {"py": "python", "py3k": "python", "py2k": "python", "np": "numpy"}
_CACHE_SIZE = 512
_FILLED_SIZE = 16  # pin values kept per shared build (numpy x python: a handful)
# conda-build's used-variable scan also reads "# [name]" comment lines; recipes rely on it to
# declare a key used (numpy's "# [is_freethreading]").
_COMMENT_SELECTOR = re.compile(r"^\s*#\s+\[([^\[\]]+)\]", re.MULTILINE)
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")

_trees: dict[str, YNode | None] = {}
_trees_lock = threading.Lock()


def _parse_cached(text: str, path: str) -> YNode | None:
    # Keyed by the final text: many variants render to the same text and share one parse.
    if text in _trees:
        return _trees[text]
    tree = parse_document(text, path)
    with _trees_lock:
        if len(_trees) >= _CACHE_SIZE:
            _trees.clear()
        _trees[text] = tree
    return tree


@functools.lru_cache(maxsize=256)
def _selector_names(text: str) -> frozenset[str]:
    names = set(selector_names_in_text(text))
    for match in _COMMENT_SELECTOR.finditer(text):
        names.update(_IDENTIFIER.findall(match.group(1)))
    for name in list(names):
        names.add(_SELECTOR_KEYS.get(name, name))
        if name.startswith("py") and name[2:].isdigit():
            names.add("python")
    return frozenset(names)


def _used_variables(
    raw: RawRecipe, context: RenderContext, names: frozenset[str], outputs: Sequence[RenderedOutput]
) -> frozenset[str]:
    used = set(names) | _selector_names(raw.text)
    for output in outputs:
        for section in output.requirements.SECTIONS:
            for dep in output.requirements.section(section):
                spec = dep.spec  # whitespace-normalised: a bare name has no space and no "::"
                if " " in spec or "::" in spec or not spec:
                    continue  # only a bare name picks up the variant's pin
                if output.noarch == "python" and spec == "python":
                    continue  # a noarch: python package is built once, not per python
                used.update((spec, spec.replace("-", "_")))
    known, variant = context.known_variables, context.variant
    return frozenset(key for key in used if key in known or key in variant)


_Read = tuple[str, CompiledRecipe, list[PinRequest], Section, str, YNode | None]


def _read(raw: RawRecipe, context: RenderContext) -> _Read:
    """Selectors, jinja, selectors again, YAML: the text-to-tree half of rendering.

    Returns the selected text, its template, the pin requests, the rendered line map, the
    final text and its tree.
    """
    path = raw.display_path
    namespace = selector_namespace(context.platform, context.variant, context.build_platform)
    env = context.env
    selected = apply_line_selectors(raw.text, namespace, env=env, path=path)
    once = compiled_for(raw.text, selected, path)
    compiled = once if once is not None else compile_recipe(selected, path)
    rendered, requests = _render_jinja(raw, context, selected, compiled, namespace, once)
    try:
        text = rendered.text
        final = apply_line_selectors(text, namespace, env=env, path=path)
        tree = _parse_cached(final, path)
    except RecipeParseError as exc:  # selector and YAML errors name rendered lines
        line = exc.span.line if exc.span is not None else 0
        column = exc.span.column if exc.span is not None and line else 0
        mapped = Span(path, rendered.source_line(line), column)
        raise type(exc)(exc.message, mapped) from None
    return selected, compiled, requests, Section(path, rendered.source_lines), final, tree


def _render_jinja(
    raw: RawRecipe,
    context: RenderContext,
    selected: str,
    compiled: CompiledRecipe,
    namespace: Mapping[str, object],
    once: CompiledRecipe | None,
) -> tuple[RenderedText, list[PinRequest]]:
    """Render the selected text's template, reusing the session's result for equal reads."""
    recorder = PinRecorder()
    # The memo holds strict renders: a lenient one (see _skipped_leniently) neither reads nor
    # adds to it.
    memo = None if LENIENT_UNDEFINED.get() is not None else current_memo()
    reads = Reads()
    variant = RecordingMapping(context.variant, "variant", reads)
    functions_context = replace(context, variant=variant) if memo is not None else context
    variables = recipe_variables(
        context,
        raw.recipe_dir,
        namespace,
        recorder,
        compiled.names,
        compiled.comment_names,
        functools.partial(set_anywhere, raw.text),  # parsed only when asked
        functions_context=functions_context,
    )
    if once is not None:
        variables[KEPT_LINES] = kept_lines_variable(raw.text, selected)
    key = None
    if memo is not None:
        sources = {
            "variant": context.variant,
            "environ": variables["environ"],
            "os.environ": variables["os"].environ,
        }
        variables.update(recording_environ(variables, reads))
        key = memo.key(raw.text, selected, (context.platform, context.build_platform), variables)
        found = memo.find(key, sources) if key is not None else None
        if found is not None:
            return found.rendered, list(found.requests)
    rendered = render_compiled(compiled, variables, raw.display_path)
    if memo is not None and key is not None:
        memo.store(key, reads, JinjaResult(rendered, tuple(recorder.requests)))
    return rendered, recorder.requests


def _shared_build(
    final: str,
    tree: YNode | None,
    reader: Section,
    requests: Sequence[PinRequest],
    variant: Mapping[str, str],
) -> Built | None:
    """The build every variant of ``final`` shares; None when it cannot be shared."""
    # Text or pin arguments holding the marker character (a variant value can reach a pin's
    # name) would be taken for markers: such renders are built per variant.
    pin_texts = (f"{r.name}{r.min_pin}{r.max_pin}{r.lower_bound}{r.upper_bound}" for r in requests)
    if MARKER in final or any(MARKER in text for text in pin_texts):
        return None
    builds = session_builds()
    if builds is None:
        return None
    key = (final, reader.path, reader.source_lines, tuple(requests))
    built = builds.find(key)
    if built is None:
        try:
            built = build(tree, reader, requests, variant, defer_variant=True, memo=builds.outputs)
        except SmithyError:
            # A full build raises the error in conda-build's order (a pin may fail first).
            build(tree, reader, requests, variant, defer_variant=False)
            raise
        builds.store(key, built)
    return built


def _for_variant(
    built: Built, reader: Section, requests: Sequence[PinRequest], variant: Mapping[str, str]
) -> tuple[tuple[RenderedOutput, ...], tuple[Source, ...], Any]:
    """The shared build's outputs, sources and fresh plain data, with this variant's pins."""
    if not built.deferred:
        return built.outputs, built.sources, unpack_plain(built, None)
    resolver = PinResolver(requests, built.identities, variant, reader.path)
    specs = tuple(resolver.variant_pins(built.deferred))
    fill = filler(specs)
    found = built.filled.get(specs)
    if found is None:
        outputs = tuple(
            filled_output(output, fill, tests) if marked or tests else output
            for output, (marked, tests) in zip(built.outputs, built.marked, strict=True)
        )
        found = (outputs, tuple(filled_source(source, fill) for source in built.sources))
        if len(built.filled) < _FILLED_SIZE:
            built.filled[specs] = found
    return found[0], found[1], unpack_plain(built, fill)


def render_meta_yaml(raw: RawRecipe, context: RenderContext) -> RenderedRecipe:
    """Render a meta.yaml for one platform and variant, in conda-build's order.

    Line selectors are applied to the raw text (so ``{% set %}`` lines can be selected),
    jinja renders the result in the sandbox, selectors jinja produced are applied, and the
    YAML is read with conda-build's rules (numbers stay text). Pins are resolved last,
    when every output's version and host requirements are known.

    Raises:
        SelectorError: a bad ``# [selector]``.
        JinjaError: bad jinja, an undefined name, an unsafe or too expensive template.
        RecipeParseError: bad YAML or a section of the wrong shape.
    """
    try:
        read = _read(raw, context)
    except UndefinedJinjaError:
        skipped = _skipped_leniently(raw, context)
        if skipped is None:
            raise
        return skipped
    return _rendered(raw, context, read)


def _skipped_leniently(raw: RawRecipe, context: RenderContext) -> RenderedRecipe | None:
    """The variant rendered as conda-build's first pass does, when that render skips it.

    conda-build renders each variant with undefined names and items empty, reads the
    top-level ``build.skip`` of that text and renders strictly only the variants it keeps:
    an item a skipped variant lacks (``checksums["aarch64"]  # [aarch64]`` for a version
    built elsewhere) is no error. None when the lenient render fails or is not skipped.
    """
    token = LENIENT_UNDEFINED.set(LenientUndefined)
    try:
        read = _read(raw, context)
    except SmithyError:
        return None
    finally:
        LENIENT_UNDEFINED.reset(token)
    try:
        return _rendered(raw, context, read) if top_skip(read[5], read[3]) else None
    except SmithyError:
        return None


def _rendered(raw: RawRecipe, context: RenderContext, read: _Read) -> RenderedRecipe:
    selected, compiled, requests, reader, final, tree = read
    built = _shared_build(final, tree, reader, requests, context.variant)
    if built is None:
        built = build(tree, reader, requests, context.variant, defer_variant=False)
    outputs, found, (about, extra, data) = _for_variant(built, reader, requests, context.variant)
    return RenderedRecipe(
        raw=raw,
        name=built.name,
        version=built.version,
        platform=context.platform,
        build_platform=context.build_platform,
        variant=dict(context.variant),
        outputs=outputs,
        sources=found,
        about=about,
        extra=extra,
        used_variables=_used_variables(
            raw, context, compiled.names | compiled.implied_keys, outputs
        ),
        data=data,
        selected_text=selected,
    )
