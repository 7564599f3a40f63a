"""One body of a recipe.yaml render (the top level or an output): sections, skip, requirements."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from smithy.errors import RecipeParseError, Span
from smithy.recipe.model import Dependency, RawRecipe, RenderedOutput, Requirements
from smithy.recipe.undefined import STRICT_UNDEFINED, UndefinedUsed
from smithy.recipe.v1_expressions import Scope
from smithy.recipe.v1_fields import build_number, by_kind, free_spec_keys, run_exports, script
from smithy.recipe.v1_functions import evaluate_condition
from smithy.recipe.v1_memo import MemoRun
from smithy.recipe.v1_tree import LENIENT_KEYS, Mapping, Tree, TreeRenderer

# recipe.yaml requirement keys and the Requirements fields they fill.
_SECTIONS = {"build": "build", "host": "host", "run": "run", "run_constraints": "run_constrained"}
_MAPPINGS = frozenset({"package", "recipe", "staging", "build", "requirements", "about", "extra"})
# What a skipped output still renders: no requirements, scripts or tests.
_SKIPPED_KEYS = ("package", "recipe", "about", "extra")


@dataclass(slots=True)
class BodyRenderer:
    """Renders the bodies of one recipe render (``memo``: the session's, None without one)."""

    raw: RawRecipe
    scope: Scope
    tree: TreeRenderer
    memo: MemoRun | None
    # The memo's serial of the section each node last rendered to ("static": the same in
    # every render): what the node's requirements are derived from.
    _serials: dict[int, object] = field(default_factory=dict)

    def span(self, line: int = 0) -> Span:
        """Return a span at ``line`` of the recipe."""
        return self.tree.span(line)

    def skip(self, node: Mapping) -> bool:
        """Evaluate ``node``'s ``build.skip`` entries: whether any holds."""
        build = node.get("build")
        entries_node = build.get("skip") if isinstance(build, Mapping) else None
        if entries_node is None:
            return False
        if self.memo is None:
            return self._skip(entries_node)
        # What the entries read decides the answer (the memo compares it): most outputs skip
        # alike for every value of a key only their other sections read.
        key = ("skip", self.memo.node_id(entries_node))
        return self.memo.part(key, functools.partial(self._skip, entries_node))[0]

    def _skip(self, entries_node: Tree) -> bool:
        entries = self.tree.items(entries_node)
        # Every entry is evaluated to record the keys it reads, even ones `context` redefines
        # (conda-smithy keeps `python_min` for `match(python, "<" ~ python_min)`).
        shadowed, self.scope.shadowed = self.scope.shadowed, set()
        results = [self._skips(value, self.span(line)) for value, line in entries]
        self.scope.shadowed = shadowed
        return any(results)

    def _skips(self, value: Any, span: Span) -> bool:
        # rattler-build ignores a skip entry that fails to evaluate, as one testing or
        # comparing an unset variant key does (`"default" != github_actions_labels` where
        # the key is set for linux only): it does not skip.
        try:
            return evaluate_condition(value, self.scope, span, missing=STRICT_UNDEFINED)
        except UndefinedUsed:
            return False

    def render(self, node: Mapping, leave_out: tuple[str, ...], skip: bool) -> dict[str, Any]:
        """Render ``node`` without ``leave_out`` (when ``skip``: what a skipped output keeps)."""
        # A skipped output is not rendered further, as in rattler-build: its requirements may
        # call functions that fail on this platform (stdlib('c') without c_stdlib).
        if skip:
            body = self._sections(node, lambda key: key in _SKIPPED_KEYS)
            body["build"] = {"skip": True}
            return body
        body = self._sections(node, lambda key: key not in leave_out)
        for key in ("source", "tests"):
            if key in body and not isinstance(body[key], list):
                body[key] = [body[key]]
        for key, value in body.items():
            if key in _MAPPINGS and not isinstance(value, dict):
                message = f"'{key}' must be a mapping"
                raise RecipeParseError(message, self.span(node.key_line(key)))
        build = node.get("build")
        if isinstance(build, Mapping) and build.get("skip") is not None:
            body["build"] = {**body.get("build", {}), "skip": False}  # a section may be shared
        return body

    def _sections(self, node: Mapping, keep: Callable[[str], bool]) -> dict[str, Any]:
        """Render the ``keep`` keys of ``node``, each section through the memo (when there is one).

        A section (``requirements``, ``tests``, ...) reads fewer values than its output: one
        whose output reads ``clang_version`` only in ``package.version`` renders its tests
        once for all values of it. The sections' values are shared between renders: never
        changed after.
        """
        if self.memo is None or node.conditional:
            return self.tree.value(node.select(keep)) or {}
        body: dict[str, Any] = {}
        for key, child in node.items:
            if keep(key):
                value = self.section(key, child)
                if value is not None:
                    body[key] = value
        return body

    def section(self, key: str, child: Tree, *, pins_render: bool = False) -> Any:
        """The rendered section ``key: child`` of a body, through the memo (which there is).

        ``pins_render``: rendered while the outputs are pinned (see ``MemoRun.part``).
        """
        memo = self._memo()
        lenient = key in LENIENT_KEYS  # as TreeRenderer.value renders a mapping's keys
        render = functools.partial(self.tree.value, child, lenient=lenient)
        serial: object = "static"
        if child.static:  # reads nothing: rendered once
            value = memo.derived(("static", memo.node_id(child)), render)
        else:
            part = ("section", memo.node_id(child), lenient)
            value, serial = memo.part(part, render, pins_render=pins_render)
        self._serials[id(child)] = serial
        return value

    def _memo(self) -> MemoRun:
        if self.memo is None:
            raise RuntimeError("a section is memoised only in a render session")  # a bug
        return self.memo

    def name_version(self, package: Any, line: int, default: Any) -> tuple[str, str]:
        """The rendered ``package``'s name and version (``default`` when it has none)."""
        if not isinstance(package, dict) or not package.get("name"):
            raise RecipeParseError("the package needs a 'name'", self.span(line))
        version = package.get("version", default)
        if version is None or version == "":
            raise RecipeParseError(
                f"package '{package['name']}' needs a 'version'", self.span(line)
            )
        return str(package["name"]), str(version)

    def output(
        self, body: dict[str, Any], node: Mapping, name: str, version: str, line: int
    ) -> RenderedOutput:
        """The output ``node`` renders to, from its rendered (and merged) ``body``."""
        build = body.get("build") or {}
        requirements_node = node.get("requirements")
        req = requirements_node if isinstance(requirements_node, Mapping) else None
        if build.get("skip"):
            req = None
        requirements = body.get("requirements") or {}
        return RenderedOutput(
            name=name,
            version=version,
            build_number=build_number(build.get("number", 0), self.span(line)),
            span=self.span(line),
            build_string=None if build.get("string") is None else str(build["string"]),
            noarch=str(build["noarch"]) if build.get("noarch") else None,
            skip=bool(build.get("skip", False)),
            script=script(build.get("script")),
            requirements=self._requirements(req),
            run_exports=run_exports(requirements.get("run_exports")),
            ignore_run_exports=by_kind(requirements.get("ignore_run_exports")),
            tests=tuple(body.get("tests") or ()),
        )

    def _requirements(self, node: Mapping | None) -> Requirements:
        if node is None:
            return Requirements()
        section = self._serials.get(id(node))
        if self.memo is None or section is None:
            return self._render_requirements(node)
        # What they read, the section read too (recorded when it rendered or was reused): the
        # section's serial stands for all of it. The keys they use are kept beside them.
        key = ("requirements", self.memo.node_id(node), section)
        requirements, used = self.memo.derived(key, functools.partial(self._using, node))
        self.scope.used.update(used)
        return requirements

    def _using(self, node: Mapping) -> tuple[Requirements, frozenset[str]]:
        outer, self.scope.used = self.scope.used, set()
        try:
            requirements = self._render_requirements(node)
            return requirements, frozenset(self.scope.used)
        finally:
            outer.update(self.scope.used)
            self.scope.used = outer

    def _render_requirements(self, node: Mapping) -> Requirements:
        sections: dict[str, tuple[Dependency, ...]] = {}
        for key, field_name in _SECTIONS.items():
            deps = tuple(
                self._dependency(value, line) for value, line in self.tree.items(node.get(key))
            )
            sections[field_name] = deps
            if key in ("build", "host"):
                self.scope.used.update(free_spec_keys(deps, self.scope.variant_keys))
        return Requirements(**sections)

    def _dependency(self, value: Any, line: int) -> Dependency:
        if isinstance(value, (dict, list)):
            raise RecipeParseError("a requirement must be a string", self.span(line))
        return Dependency(str(value), self.span(line))
