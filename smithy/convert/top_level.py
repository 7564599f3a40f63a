"""conda-build's top-level package in a multi-output recipe: the output named like it."""

from __future__ import annotations

import copy

from ruamel.yaml.comments import CommentedMap, CommentedSeq

# Top-level build keys that describe the package itself, not the build every output shares.
_PACKAGE_BUILD_KEYS = ("string", "run_exports", "ignore_run_exports", "ignore_run_exports_from")


def fold_into_same_named(v0: CommentedMap, outputs: CommentedSeq) -> CommentedMap | None:
    """Give the output named like the top-level package what conda-build gives it.

    conda-build builds that output as the top-level package itself: the top-level
    requirements (its own sections win), test (unless it has one) and the package's own
    build keys (build string, run_exports) are its. In a v1 recipe the top level is shared
    by all outputs, so they are written into that output, which is returned.
    """
    package = v0.get("package")
    name = package.get("name") if isinstance(package, CommentedMap) else None
    same = [o for o in outputs if isinstance(o, CommentedMap) and o.get("name") == name]
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
