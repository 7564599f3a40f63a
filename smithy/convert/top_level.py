"""conda-build's top-level package in a multi-output recipe: the output named like it."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

# Top-level build keys that describe the package itself, not the build every output shares.
_PACKAGE_BUILD_KEYS = ("string", "run_exports", "ignore_run_exports", "ignore_run_exports_from")
# Those recipe.yaml writes under an output's requirements, which outputs do not inherit.
_EXPORT_KEYS = ("run_exports", "ignore_run_exports", "ignore_run_exports_from")


_REFERENCE = re.compile(r"\$\{\{\s*([A-Za-z_]\w*)\s*\}\}")


def literal_name(value: Any, context: Mapping[str, Any]) -> str | None:
    """A package name with its ``${{ x }}`` parts spelled from literal context entries.

    conda-build compares rendered names; a part that is not a plain name of a literal stays
    as written (the same template text is the same name). None for a value that is no text.
    """
    if not isinstance(value, str):
        return None

    def spelled(found: re.Match[str]) -> str:
        literal = context.get(found.group(1))
        return literal if isinstance(literal, str) and "${{" not in literal else found.group(0)

    return _REFERENCE.sub(spelled, value)


def fold_into_same_named(
    v0: CommentedMap, outputs: CommentedSeq, context: Mapping[str, Any]
) -> CommentedMap | None:
    """Give the output named like the top-level package what conda-build gives it.

    conda-build builds that output as the top-level package itself: the top-level
    requirements (its own sections win), test (unless it has one) and the package's own
    build keys (build string, run_exports) are its. In a v1 recipe the top level is shared
    by all outputs, so they are written into that output, which is returned. Names are
    compared as rendered where they can be: ``${{ pkg_name }}`` is the literal ``pkg_name`` of
    ``context``.
    """
    package = v0.get("package")
    name = package.get("name") if isinstance(package, CommentedMap) else None
    name = literal_name(name, context)
    same = [
        o
        for o in outputs
        if isinstance(o, CommentedMap) and literal_name(o.get("name"), context) == name
    ]
    if name is None or len(same) != 1:
        return None
    output = same[0]
    requirements = v0.get("requirements")
    if isinstance(requirements, CommentedMap):
        own = output.get("requirements")
        merged = copy.deepcopy(requirements)  # the staging output keeps the originals
        if isinstance(own, CommentedMap):
            merged.update(own)
        output["requirements"] = merged
    if "test" in v0 and "test" not in output:
        output["test"] = v0.pop("test")
    build = v0.get("build")
    if isinstance(build, CommentedMap):
        moved = [key for key in _PACKAGE_BUILD_KEYS if key in build]
        if moved:
            own_build = output.setdefault("build", CommentedMap())
            for key in moved:
                value = build.pop(key)
                if key not in own_build:
                    own_build[key] = value
    return output


def share_exports_with_buildless(
    v0: CommentedMap, outputs: CommentedSeq, context: Mapping[str, Any]
) -> None:
    """Copy the top-level run_exports (and ignores) into each output without a build section.

    conda-build builds such an output with the top-level build section, run_exports
    included; recipe.yaml writes them under requirements, which a multi-output recipe's
    top level does not have and outputs do not inherit. The output named like the package
    gets them from ``fold_into_same_named``; ``drop_top_level_exports`` then removes them.
    """
    build = v0.get("build")
    keys = [key for key in _EXPORT_KEYS if isinstance(build, CommentedMap) and key in build]
    if not keys or not isinstance(build, CommentedMap):
        return
    package = v0.get("package")
    top = literal_name(package.get("name"), context) if isinstance(package, CommentedMap) else None
    for output in outputs:
        if not isinstance(output, CommentedMap) or "build" in output:
            continue
        if top is not None and literal_name(output.get("name"), context) == top:
            continue
        own = [key for key in keys if key not in output]  # an old-style output key wins
        if own:
            output["build"] = CommentedMap((key, copy.deepcopy(build[key])) for key in own)


def drop_top_level_exports(v0: CommentedMap) -> None:
    """Remove run_exports and ignores from a multi-output recipe's top-level build."""
    build = v0.get("build")
    if isinstance(build, CommentedMap):
        for key in _EXPORT_KEYS:
            build.pop(key, None)
