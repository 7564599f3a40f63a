"""Render a rattler-build recipe.yaml (v1, CEP-13/14) for one platform and variant."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from smithy.errors import RecipeParseError, Span
from smithy.recipe import v1_fields
from smithy.recipe.forced_keys import force_recipe_yaml_keys, recipe_yaml_use_keys
from smithy.recipe.jinja_memo import current_memo
from smithy.recipe.model import (
    RawRecipe,
    RenderContext,
    RenderedOutput,
    RenderedRecipe,
)
from smithy.recipe.v1_body import BodyRenderer
from smithy.recipe.v1_context import evaluate_context
from smithy.recipe.v1_expressions import Scope
from smithy.recipe.v1_functions import (
    condition_names,
    condition_names_like,
    evaluate_condition,
    initial_values,
    platform_names,
    recipe_functions,
)
from smithy.recipe.v1_lookups import fingerprint
from smithy.recipe.v1_memo import KeySets, MemoRun
from smithy.recipe.v1_tree import (
    Mapping,
    Scalar,
    Tree,
    TreeRenderer,
    merge_output,
    parse_tree,
)
from smithy.records import record

_ALWAYS_USED = frozenset({"channel_targets", "channel_sources"})
# The shapes of a ``package`` section whose render gives an output's pin (see _pin_from_section).
_PLAIN_PACKAGE = frozenset({("name",), ("name", "version")})
_T = TypeVar("_T")


@record
class _Top:
    """What every output of a multi-output render takes from the top level."""

    body: dict[str, Any]
    serial: int | None  # of the top level's memoised render (None: not memoised)
    version: Any
    skip: bool
    used: frozenset[str]


def render_recipe_yaml(raw: RawRecipe, context: RenderContext) -> RenderedRecipe:
    """Render a recipe.yaml for ``context``'s platform and variant.

    ``${{ }}`` is filled in through a sandboxed jinja, ``if/then/else`` items are resolved,
    ``context`` is evaluated in order and ``build.skip`` is evaluated. ``pin_subpackage`` of
    an output of the recipe renders to ``name >=lower,<upper`` (``==version`` when exact);
    ``pin_compatible`` renders to the bare name, since its version needs a solved host env.

    Raises:
        RecipeParseError: bad YAML, missing fields, a bad ``schema_version``.
        JinjaError: bad or undefined ``${{ }}``; SelectorError: a bad ``if:``/``skip``.
    """
    try:
        session = current_memo()
        if session is None:
            return _Render(raw, context, None, _key_sets(context)).run()
        sets = session.v1_outputs.key_sets(context, functools.partial(_key_sets, context))
        initial = initial_values(context.platform, context.build_platform, context.variant)
        memo = MemoRun(session.v1_outputs, raw, context, initial, sets.variant)
        return memo.recipe(lambda: _Render(raw, context, memo, sets).run())
    except RecursionError:  # deep nesting the YAML parser still accepted
        raise RecipeParseError("the recipe is nested too deeply", raw.span()) from None


def _key_sets(context: RenderContext) -> KeySets:
    variant = frozenset(context.variant)
    names = platform_names(context.platform, context.build_platform)
    first = dict(context.variant)  # a copy: nothing may change it under the memo
    return KeySets(
        variant=variant,
        variant_keys=context.known_variables | variant,
        unset=frozenset(context.known_variables - variant - names.keys()),  # condition_names'
        first=first,
        first_names=condition_names(context.platform, context.build_platform, first),
    )


class _Render:
    """One render of one recipe: the scope, the tree renderer and the outputs."""

    def __init__(
        self, raw: RawRecipe, context: RenderContext, memo: MemoRun | None, sets: KeySets
    ) -> None:
        self.raw, self.context = raw, context
        self.top = parse_tree(raw.text, raw.display_path)
        names = condition_names_like(sets.first, sets.first_names, context.variant)
        self.scope = Scope(
            target_platform=context.platform,
            variant=context.variant,
            env=context.env,
            recipe_dir=raw.recipe_dir,
            variables=names,
            variant_keys=sets.variant_keys,
            unset_names=sets.unset,
        )
        self.scope.functions = recipe_functions(self.scope)
        self.tree = TreeRenderer(self.scope, self.condition, raw.display_path)
        self.memo = memo
        if memo is not None:
            memo.bind(self.scope)
        self.body = BodyRenderer(raw, self.scope, self.tree, memo)

    def span(self, line: int = 0) -> Span:
        return self.tree.span(line)

    def run(self) -> RenderedRecipe:
        self._check_schema_version()
        data: dict[str, Any] = {}
        context_data = self._context()
        if context_data:
            data["context"] = context_data
        outputs_tree = self.top.get("outputs")
        if outputs_tree is None:
            outputs, name, version = self._single_output(data)
        else:
            outputs, name, version = self._multi_output(data, outputs_tree)
        used = set(self.scope.used)
        # rattler-build keeps these in every variant when the variant config sets them
        used.update(_ALWAYS_USED & self.scope.variant_keys)
        if outputs and all(o.noarch == "python" for o in outputs if not o.is_staging):
            used.discard("python")  # rattler-build drops python from noarch: python variants
        used = set(self._forced(frozenset(used), data, outputs_tree is None))
        return RenderedRecipe(
            raw=self.raw,
            name=name,
            version=version,
            platform=self.context.platform,
            build_platform=self.context.build_platform,
            variant=self.context.variant,
            outputs=tuple(outputs),
            sources=v1_fields.sources(self.tree.items(self.top.get("source")), self.span),
            about=data.get("about") or {},
            extra=data.get("extra") or {},
            used_variables=frozenset(used),
            data=data,
        )

    def _context(self) -> dict[str, Any]:
        evaluate = functools.partial(
            evaluate_context, self.top.get("context"), self.scope, self.raw.display_path
        )
        return evaluate() if self.memo is None else self.memo.context(evaluate, self.scope.define)

    def _check_schema_version(self) -> None:
        node = self.top.get("schema_version")
        if node is not None and not (isinstance(node, Scalar) and str(node.value) == "1"):
            value = node.value if isinstance(node, Scalar) else "a collection"
            message = f"unsupported schema_version {value!r} (only 1 is supported)"
            raise RecipeParseError(message, self.span(self.top.key_line("schema_version")))

    def condition(self, value: Any, span: Span) -> bool:
        """Evaluate an ``if:`` or ``skip`` entry for this render."""
        return evaluate_condition(value, self.scope, span)

    def _pins(self, outputs: list[Tree], default_version: Any) -> None:
        # Names read here for pin_subpackage are no output's use (`std-${{ extra }}` uses
        # `extra` only when that output renders itself).
        used = set(self.scope.used)
        version_key = fingerprint(default_version)
        for item in outputs:  # in order: an output sees the pins before it; a later name wins
            package = item.get("package") if isinstance(item, Mapping) else None
            if not isinstance(package, Mapping):
                continue
            render = functools.partial(self._pin, package, default_version)
            if self.memo is None or version_key is None:
                pin = render()
            elif tuple(key for key, _ in package.items) in _PLAIN_PACKAGE:
                pin = self._pin_from_section(package, default_version)
            else:
                key = ("pin", version_key, self.memo.node_id(package))
                pin = self.memo.part(key, render, pins_render=True)[0]
            if pin is not None:
                self.scope.pins[pin[0]] = pin[1]
        self.scope.used = used
        self.scope.pins_changed()

    def _pin_from_section(self, package: Mapping, default_version: Any) -> tuple[str, str] | None:
        """:meth:`_pin` from the ``package`` section, rendered as the output renders it later.

        Only for a section of ``name`` (then ``version``): it renders just what ``_pin``
        renders, in the same order, and the output's render then reuses it.
        """
        section = self.body.section("package", package, pins_render=True)
        name_value = section.get("name") if isinstance(section, dict) else None
        if package.get("version") is None:
            version_value = default_version
        else:
            version_value = section.get("version") if isinstance(section, dict) else None
        if name_value is None or version_value is None:
            return None
        return str(name_value), str(version_value)

    def _pin(self, package: Mapping, default_version: Any) -> tuple[str, str] | None:
        """An output's name and version (None: it has none)."""
        name, version = package.get("name"), package.get("version")
        name_value = self.tree.value(name)
        version_value = self.tree.value(version) if version else default_version
        if name_value is None or version_value is None:
            return None
        return str(name_value), str(version_value)

    def _single_output(self, data: dict[str, Any]) -> tuple[list[RenderedOutput], str, str]:
        package = self.top.get("package")
        if not isinstance(package, Mapping):
            raise RecipeParseError("missing 'package' (or 'recipe' and 'outputs')", self.span(1))
        self._pins([self.top], None)
        body = self.body.render(self.top, ("context", "outputs"), skip=self.body.skip(self.top))
        data.update(body)
        line = self.top.key_line("package")
        name, version = self.body.name_version(body.get("package"), line, None)
        return [self.body.output(body, self.top, name, version, line)], name, version

    def _multi_output(
        self, data: dict[str, Any], outputs_tree: Tree
    ) -> tuple[list[RenderedOutput], str, str]:
        top_skip = self.body.skip(self.top)
        body, body_id = self._part(
            ("top",), lambda: self.body.render(self.top, ("context", "outputs"), skip=False)
        )
        data.update(body)
        recipe = body.get("recipe") or {}
        version = recipe.get("version", body.get("version"))
        items = [tree for tree, _ in self.tree.flatten(outputs_tree)]
        self._pins(items, version)
        outputs: list[RenderedOutput] = []
        rendered: list[dict[str, Any]] = []
        cache = self.top.get("cache")
        if isinstance(cache, Mapping):  # the older top-level `cache:` staging
            output, staged_data = self._staging(body, cache, "cache", version)
            outputs.append(output)
            rendered.append(staged_data)
        top = _Top(body, body_id, version, top_skip, frozenset(self.scope.used))
        staged: dict[str, frozenset[str]] = {}
        for item in items:
            output, out_data = self._one_output(item, top, staged)
            outputs.append(output)
            rendered.append(out_data)
        if not outputs:
            raise RecipeParseError("'outputs' lists no output", self.span(outputs_tree.line))
        data["outputs"] = rendered
        name = recipe.get("name") or outputs[0].name
        return outputs, str(name), str(version if version is not None else outputs[0].version)

    def _one_output(
        self, item: Tree, top: _Top, staged: dict[str, frozenset[str]]
    ) -> tuple[RenderedOutput, dict[str, Any]]:
        """Render one item of ``outputs``; a staging output's uses go to ``staged``."""
        keys = {key for key, _ in item.items} if isinstance(item, Mapping) else set()
        if not isinstance(item, Mapping) or len(keys & {"package", "staging"}) != 1:
            message = "each output needs exactly one of 'package' or 'staging'"
            raise RecipeParseError(message, self.span(item.line))
        outer = self._start_output_uses()
        if "staging" in keys:
            staging = item.get("staging")
            name = self.tree.value(staging.get("name") if isinstance(staging, Mapping) else None)
            render = functools.partial(self._staging, top.body, item, name, top.version)
            (output, out_data), _ = self._output_part(
                ("staging", fingerprint(name)), item, top, render
            )
            staged[output.name] = self._end_output_uses(outer)
            return output, out_data
        render = functools.partial(self._package, top.body, item, top.version, top.skip)
        (output, out_data), serial = self._output_part(("package", top.skip), item, top, render)
        own = self._end_output_uses(outer) | staged.get(self._inherited(item), frozenset())
        return self._with_uses(output, top.used | own, out_data.get("build"), serial), out_data

    def _part(self, key: tuple[object, ...], render: Callable[[], _T]) -> tuple[_T, int | None]:
        """``render()`` through the session's memo when there is one; see :mod:`v1_memo`."""
        return (render(), None) if self.memo is None else self.memo.part(key, render)

    def _output_part(
        self, kind: tuple[object, ...], item: Mapping, top: _Top, render: Callable[[], _T]
    ) -> tuple[_T, int | None]:
        """One output's render through the memo, keyed by its tree and the top level's render."""
        if self.memo is None or None in kind or top.serial is None:  # None in kind: a staging
            return render(), None  # name without a fingerprint; top.serial: top not memoised
        return self.memo.part((*kind, self.memo.node_id(item), top.serial), render)

    def _start_output_uses(self) -> set[str]:
        """Collect the next output's uses apart; returns the set to restore afterwards."""
        outer, self.scope.used = self.scope.used, set()
        return outer

    def _end_output_uses(self, outer: set[str]) -> frozenset[str]:
        own = frozenset(self.scope.used)
        outer.update(own)
        self.scope.used = outer
        return own

    def _inherited(self, item: Mapping) -> str:
        node = item.get("inherit")
        if isinstance(node, Mapping):
            node = node.get("from")
        value = self.tree.value(node) if node is not None else None
        return str(value) if value else ""

    def _with_uses(
        self, output: RenderedOutput, used: frozenset[str], build: Any, serial: int | None
    ) -> RenderedOutput:
        """``output`` with the keys it uses; an equal memoised output's copy when there is one."""
        compute = functools.partial(self._forced_output, output, used, build)
        if self.memo is None or serial is None:
            return compute()
        return self.memo.derived(("used", serial, used), compute)  # serial: output and build

    def _forced_output(
        self, output: RenderedOutput, used: frozenset[str], build: Any
    ) -> RenderedOutput:
        keys = set(used) | (_ALWAYS_USED & self.scope.variant_keys)
        if output.noarch == "python":
            keys.discard("python")
        forced = force_recipe_yaml_keys(frozenset(keys), build, self.context.variant)
        return replace(output, used_variables=forced)

    def _forced(self, used: frozenset[str], data: dict[str, Any], single: bool) -> frozenset[str]:
        """The recipe's keys with ``use_keys``/``ignore_keys`` applied, as rattler-build does."""
        variant = self.context.variant
        if single:
            return force_recipe_yaml_keys(used, data.get("build"), variant)
        builds = [data.get("build")] + [item.get("build") for item in data.get("outputs") or ()]
        return used | recipe_yaml_use_keys(builds, variant)

    def _package(
        self, body: dict[str, Any], item: Mapping, version: Any, skip: bool
    ) -> tuple[RenderedOutput, dict[str, Any]]:
        out = self.body.render(item, ("inherit",), skip=skip or self.body.skip(item))
        inherit = item.get("inherit")
        from_staging = inherit is not None and not (
            isinstance(inherit, Scalar) and inherit.value is None
        )
        skipped = bool((out.get("build") or {}).get("skip"))
        merged = out if skipped else merge_output(body, out, from_staging=from_staging)
        name, out_version = self.body.name_version(merged.get("package"), item.line, version)
        merged["package"] = {**merged.get("package", {}), "version": out_version}  # shared
        return self.body.output(merged, item, name, out_version, item.line), merged

    def _staging(
        self, body: dict[str, Any], item: Mapping, name: Any, version: Any
    ) -> tuple[RenderedOutput, dict[str, Any]]:
        if not name:
            message = "a staging output needs 'staging: {name: ...}'"
            raise RecipeParseError(message, self.span(item.line))
        out = self.body.render(item, ("staging",), skip=False)
        sources = [*(body.get("source") or []), *(out.get("source") or [])]
        data = {**out, "staging": {"name": name}, **({"source": sources} if sources else {})}
        output = self.body.output(data, item, str(name), str(version or ""), item.line)
        return replace(output, is_staging=True), data
