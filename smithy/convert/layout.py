"""Move meta.yaml's sections and keys to where recipe.yaml (schema_version 1) expects them."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from smithy.convert.expressions import negate
from smithy.convert.model import ConvertIssue
from smithy.convert.targets import built_only_for
from smithy.convert.tests_section import convert_tests
from smithy.convert.top_level import (
    drop_top_level_exports,
    fold_into_same_named,
    share_exports_with_buildless,
)
from smithy.convert.v1_names import (
    ABOUT_KEYS,
    BUILD_KEYS,
    DROPPED_ABOUT_KEYS,
    DROPPED_BUILD_KEYS,
    REQUIREMENT_KEYS,
    REQUIREMENTS_ORDER,
    SOURCE_KEYS,
    STAGING_NAME,
)


@dataclass(slots=True)
class Layout:
    """Builds the v1 document from the condition-resolved v0 tree, collecting issues."""

    recipe_dir_files: frozenset[str]
    issues: list[ConvertIssue] = field(default_factory=list)
    # the output named like the package: conda-build's top-level package (see _fold...)
    package_output: CommentedMap | None = None

    def issue(self, node: Any, message: str, suggestion: str) -> None:
        """Record an issue at ``node``'s line."""
        found = node.lc.line if isinstance(node, CommentedMap | CommentedSeq) else None
        line = found + 1 if found is not None else 0
        self.issues.append(ConvertIssue(line, message, suggestion))

    def document(self, v0: CommentedMap, context: CommentedMap) -> CommentedMap:
        """The v1 document: schema_version, context, package/recipe, sections, outputs."""
        doc = CommentedMap()
        doc["schema_version"] = 1
        if context:
            doc["context"] = context
        outputs = v0.get("outputs")
        package = v0.get("package") or CommentedMap()
        _copy(doc, "recipe" if outputs else "package", package, v0, "package")
        if "source" in v0:
            _copy(doc, "source", self.sources(v0["source"]), v0, "source")
        if isinstance(outputs, CommentedSeq):
            share_exports_with_buildless(v0, outputs, context)
            self.package_output = fold_into_same_named(v0, outputs, context)
            drop_top_level_exports(v0)
        staging = self.staging(v0) if outputs else None
        top = self.output_body(v0, top_level=True, has_outputs=bool(outputs))
        for key, value in top.items():
            doc[key] = value
            _move_comment(top, key, doc, key)
        if outputs:
            doc["outputs"] = self.outputs(outputs, v0)
            if staging is not None:
                for output in doc["outputs"]:
                    output.insert(1, "inherit", STAGING_NAME)
                doc["outputs"].insert(0, staging)
            _move_comment(v0, "outputs", doc, "outputs")
        for section, rename in (("about", self.about), ("extra", _identity)):
            if section in v0:
                _copy(doc, section, rename(v0[section]), v0, section)
        self.unknown(
            v0,
            {"package", "source", "build", "requirements", "test", "outputs"}
            | {"about", "extra", "app"},
        )
        return doc

    def unknown(self, node: CommentedMap, known: Iterable[str]) -> None:
        """Report top-level keys the layout does not know."""
        for key in node:
            if key not in known:
                self.issue(node, f"key '{key}' has no recipe.yaml equivalent", "move it by hand")

    def sources(self, node: Any) -> Any:
        """Rename source keys (a list, a mapping or if/then items)."""
        if isinstance(node, CommentedSeq):
            for index, item in enumerate(node):
                node[index] = self.sources(item)
            return node
        if not isinstance(node, CommentedMap):
            return node
        if "if" in node:
            for branch in ("then", "else"):
                if branch in node:
                    node[branch] = self.sources(node[branch])
            return node
        renamed = CommentedMap()
        for key, value in node.items():
            new = SOURCE_KEYS.get(str(key))
            if new is None:
                self.issue(node, f"source key '{key}' has no recipe.yaml equivalent", "remove it")
                continue
            renamed[new] = value
            _move_comment(node, key, renamed, new)
        return renamed

    def about(self, node: Any) -> Any:
        """Rename ``about`` keys; drop those v1 has no place for."""
        if not isinstance(node, CommentedMap):
            return node
        renamed = CommentedMap()
        for key, value in node.items():
            if key in DROPPED_ABOUT_KEYS:
                continue
            new = ABOUT_KEYS.get(str(key))
            if new is None:
                self.issue(node, f"about key '{key}' has no recipe.yaml equivalent", "remove it")
                continue
            renamed[new] = value
            _move_comment(node, key, renamed, new)
        return renamed

    def output_body(self, v0: CommentedMap, *, top_level: bool, has_outputs: bool) -> CommentedMap:
        """The build, requirements and tests of the top level or of one output."""
        body = CommentedMap()
        build = v0.get("build")
        if isinstance(build, CommentedMap):
            self.build_keys(build, body)
        requirements = v0.get("requirements")
        if isinstance(requirements, CommentedSeq):  # conda-build: a plain list is host and run
            requirements = CommentedMap(
                [("host", requirements), ("run", copy.deepcopy(requirements))]
            )
        if isinstance(requirements, CommentedMap) and not (top_level and has_outputs):
            self.requirements(requirements, body)
        # A multi-output recipe's top-level requirements go to the staging output (see
        # ``staging``) when there is a top-level build; without one they only make
        # conda-build use their variant keys, which the verification compares (keeping such
        # keys with variant.use_keys), so they are dropped.
        if "files" in v0 and not top_level:
            _set(body, ("build", "files"), v0["files"])
        # run_test.* files belong to the top-level package: the recipe itself, or in a
        # multi-output recipe the output named like it (and no other)
        package = v0 is self.package_output or (top_level and not has_outputs)
        tests = convert_tests(v0.get("test"), self.recipe_dir_files if package else frozenset())
        if tests and not (top_level and has_outputs):
            body["tests"] = tests
            _move_comment(v0, "test", body, "tests")
        if isinstance(body.get("requirements"), CommentedMap):
            _reorder(body["requirements"], REQUIREMENTS_ORDER)
        return _reorder(body, ("package", "build", "requirements", "tests"))

    def staging(self, v0: CommentedMap) -> CommentedMap | None:
        """The top-level build of a multi-output recipe as a staging output, if it has one.

        conda-build runs the top-level script in its own environment before the outputs,
        which then start from its work; rattler-build spells that as a staging output the
        outputs inherit from. The top-level ``script``/``script_env`` move into it.
        """
        build = v0.get("build")
        if not self.has_top_level_script(build):
            return None
        item = CommentedMap([("staging", CommentedMap([("name", STAGING_NAME)]))])
        if isinstance(build, CommentedMap):
            moved = CommentedMap((k, build.pop(k)) for k in ("script", "script_env") if k in build)
            self.build_keys(moved, item)
        requirements = v0.get("requirements")
        if isinstance(requirements, CommentedMap):
            # run requirements of the top level belong to no package here (the verification
            # shows any output whose requirements change)
            kept = CommentedMap(
                (k, v) for k, v in requirements.items() if k not in ("run", "run_constrained")
            )
            self.requirements(kept, item)
        return item

    def has_top_level_script(self, build: Any) -> bool:
        """Whether conda-build runs a top-level build (explicit script or build.sh/bld.bat)."""
        explicit = isinstance(build, CommentedMap) and "script" in build
        return explicit or bool({"build.sh", "bld.bat"} & self.recipe_dir_files)

    def build_keys(self, build: CommentedMap, body: CommentedMap) -> None:
        """Move ``build`` keys to their v1 places (some leave ``build``)."""
        if "script_env" in build:
            script = CommentedMap()
            if "script" in build:
                script["content"] = build["script"]
                _leading_comments_to_key(build, "script", script, "content")
            script["env"] = _script_env(build["script_env"])
            _set(body, ("build", "script"), script)
        for key, value in build.items():
            if key in DROPPED_BUILD_KEYS:
                continue
            if key == "script_env" or (key == "script" and "script_env" in build):
                continue
            if key == "rpaths_patcher" and value == "patchelf":
                continue  # conda-build's default, and rattler-build's only patcher
            if key == "track_features":
                self.track_features(build, value, body)
                continue
            if key == "detect_binary_files_with_prefix":
                _set(body, ("build", "prefix_detection", "ignore_binary_files"), _negated(value))
                continue
            path = BUILD_KEYS.get(str(key))
            if path is None:
                self.issue(build, f"build key '{key}' has no recipe.yaml equivalent", "rewrite it")
                continue
            _set(body, path, value)
        build_v1 = body.get("build")
        if isinstance(build_v1, CommentedMap):
            for key in build_v1:
                _move_comment(build, key, build_v1, key)

    def track_features(self, build: CommentedMap, value: Any, body: CommentedMap) -> None:
        """Each v0 track feature lowers the package's priority; v1 counts them."""
        features = value if isinstance(value, list) else [value]
        terms: list[str] = []
        for feature in features:
            if isinstance(feature, str):
                terms.append("1")
            elif isinstance(feature, CommentedMap) and "if" in feature:  # if/then item
                then, otherwise = feature.get("then"), feature.get("else")
                kept = len(then) if isinstance(then, list) else 1
                other = len(otherwise) if isinstance(otherwise, list) else int("else" in feature)
                terms.append(f"({kept} if {feature['if']} else {other})")
            else:
                self.issue(build, "track_features I cannot count", "set down_prioritize_variant")
                return
        if terms:
            plain = all(term == "1" for term in terms)
            total = len(terms) if plain else "${{ " + " + ".join(terms) + " }}"
            _set(body, ("build", "variant", "down_prioritize_variant"), total)

    def requirements(self, node: CommentedMap, body: CommentedMap) -> None:
        """Copy requirement sections under their v1 names."""
        for key, value in node.items():
            new = REQUIREMENT_KEYS.get(str(key))
            if new is None:
                self.issue(node, f"requirements key '{key}' is unknown", "move it by hand")
                continue
            _set(body, ("requirements", new), value)
            _move_comment(node, key, body["requirements"], new)

    def outputs(self, outputs: Any, v0: CommentedMap) -> CommentedSeq:
        """Convert every output (those under a selector skip instead)."""
        result = CommentedSeq()
        for output in outputs if isinstance(outputs, CommentedSeq) else ():
            if not isinstance(output, CommentedMap):
                self.issue(outputs, "an output that is not a mapping", "rewrite it")
                continue
            if "if" in output:
                result.extend(self.selected_outputs(output))
                continue
            result.append(self.output(output))
        return result

    def selected_outputs(self, item: CommentedMap) -> list[CommentedMap]:
        """Outputs under ``if``: v1 outputs cannot be conditional, so each one skips instead."""
        condition = str(item["if"])
        converted: list[CommentedMap] = []
        for branch, skip_when in (("then", negate(condition)), ("else", condition)):
            outputs = item.get(branch)
            for output in outputs if isinstance(outputs, list) else [outputs]:
                if isinstance(output, CommentedMap):
                    body = self.output(output)
                    _add_skip(body, skip_when)
                    converted.append(body)
        return converted

    def output(self, output: CommentedMap) -> CommentedMap:
        """Convert one output: ``name``/``version`` become ``package``."""
        converted = CommentedMap()
        package = CommentedMap()
        package["name"] = output.get("name")
        if "version" in output:
            package["version"] = output["version"]
        converted["package"] = package
        body = self.output_body(output, top_level=False, has_outputs=False)
        if "run_exports" in output:  # conda-build also reads it at the output's top level
            _set(body, ("requirements", "run_exports"), output["run_exports"])
        if "script" in output:
            _set(body, ("build", "script"), output["script"])
            _reorder(body, ("build", "requirements", "tests"))
        for key, value in body.items():
            converted[key] = value
        if "about" in output:
            converted["about"] = self.about(output["about"])
        known = {"name", "version", "script", "build", "requirements", "test", "files", "about"}
        known.add("run_exports")
        if "target" in output and built_only_for(converted, output["target"]):
            known.add("target")  # skipped unless target_platform is the target: a no-op
        for key in output:
            if (key == "type" and output[key] != "conda") or key not in known | {"type"}:
                self.issue(output, f"output key '{key}' has no recipe.yaml equivalent", "remove it")
        return converted


def _leading_comments_to_key(
    parent: CommentedMap, parent_key: str, holder: CommentedMap, key: str
) -> None:
    """Comment lines before a moved list's first item go before its new key.

    (Left on the list, ruamel writes them between the new key and the list's first dash.)
    """
    value = holder[key]
    lead = value.ca.comment if isinstance(value, CommentedSeq) else None
    if not lead or len(lead) < 2 or not lead[1]:
        return
    holder.ca.items[key] = [None, list(lead[1]), None, None]
    value.ca.comment = None
    entry = parent.ca.items.get(parent_key)
    if entry and len(entry) > 3:
        entry[3] = None


def _reorder(node: CommentedMap, order: tuple[str, ...]) -> CommentedMap:
    """Put the keys named in ``order`` first, in that order (comments go with them)."""
    for position, key in enumerate(k for k in order if k in node):
        comment = node.ca.items.pop(key, None)
        value = node.pop(key)
        node.insert(position, key, value)
        if comment is not None:
            node.ca.items[key] = comment
    return node


def _add_skip(output: CommentedMap, condition: str) -> None:
    build = output.get("build")
    if not isinstance(build, CommentedMap):
        build = CommentedMap()
        output.insert(1, "build", build)
    skip = build.get("skip")
    terms = list(skip) if isinstance(skip, list) else ([] if skip is None else [skip])
    build["skip"] = CommentedSeq([*terms, condition])


def _identity(node: Any) -> Any:
    return node


def _script_env(names: Any) -> CommentedMap:
    """v0 ``script_env`` (names passed through, or NAME=value) -> v1 ``script.env`` mapping."""
    env = CommentedMap()
    for entry in names if isinstance(names, list) else [names]:
        if isinstance(entry, CommentedMap):  # an if/then item: keep the names, unconditionally
            entry = entry.get("then")
        for item in entry if isinstance(entry, list) else [entry]:
            name, sep, value = str(item).partition("=")
            name = name.strip()
            env[name] = value if sep else '${{ env.get("' + name + '", default="") }}'
    return env


def _negated(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    return f"${{{{ not ({value}) }}}}" if isinstance(value, str) else value


def _set(body: CommentedMap, path: tuple[str, ...], value: Any) -> None:
    node = body
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, CommentedMap):
            child = CommentedMap()
            node[key] = child
        node = child
    node[path[-1]] = value


def _copy(doc: CommentedMap, key: str, value: Any, source: CommentedMap, old_key: str) -> None:
    doc[key] = value
    _move_comment(source, old_key, doc, key)


def _move_comment(old: CommentedMap, old_key: Any, new: CommentedMap, new_key: Any) -> None:
    """Carry a key's comments to its new place."""
    comment = old.ca.items.get(old_key)
    if comment is not None:
        new.ca.items[new_key] = comment
