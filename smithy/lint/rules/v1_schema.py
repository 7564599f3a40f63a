"""The keys rattler-build's recipe schema (recipe.yaml, schema_version 1) allows, per mapping.

Written from the schema published in prefix-dev/recipe-format (every object there is closed:
``additionalProperties: false``), plus the keys rattler-build's own parser accepts that the
schema lags behind on: ``about.license_family``/``license_url`` and ``build.post_process``
(both used by real conda-forge feedstocks). Each shape names its keys and, for keys whose value is
itself checked, the shape of that value (a mapping, or the items of a list). Keys without a
child shape hold scalars, free text or free-form mappings and are not looked into.
"""

from __future__ import annotations

from dataclasses import field

from smithy.records import frozen_record


@frozen_record
class Shape:
    """The keys a mapping may hold, and the shapes of the values that are checked below it."""

    title: str
    keys: frozenset[str]
    children: dict[str, str] = field(default_factory=dict)


def _shape(title: str, keys: str, **children: str) -> Shape:
    return Shape(title, frozenset(keys.split()), dict(children))


# `filter` (all three kinds), `attestation` (url) and `expected_commit` (git) are accepted by
# rattler-build 0.73 (clangdev-feedstock filters its url source).
_GIT = "git rev tag branch depth lfs patches target_directory filter expected_commit"
_SCRIPT = "content file env secrets interpreter"
_BUILD = (
    "number string skip noarch script merge_build_and_host_envs always_copy_files"
    " always_include_files files dynamic_linking link_options prefix_detection python variant"
    " post_process"
)
_BUILD_CHILDREN = {
    "script": "script",
    "files": "glob",
    "always_copy_files": "glob",
    "always_include_files": "glob",
    "dynamic_linking": "dynamic_linking",
    "link_options": "link_options",
    "prefix_detection": "prefix_detection",
    "python": "python",
    "variant": "variant",
}

SHAPES: dict[str, Shape] = {
    "package": _shape("package", "name version"),
    "source.url": _shape(
        "source", "url sha256 md5 file_name patches target_directory filter attestation"
    ),
    "source.git": _shape("source", _GIT),
    "source.path": _shape(
        "source", "path sha256 md5 patches target_directory file_name use_gitignore filter"
    ),
    "source": _shape(
        "source",
        "url sha256 md5 file_name patches target_directory path use_gitignore attestation " + _GIT,
    ),
    "glob": _shape("file list", "include exclude"),
    "script": _shape("script", _SCRIPT),
    "build": Shape("build", frozenset(_BUILD.split()), _BUILD_CHILDREN),
    "output.build": Shape(
        "build", frozenset(_BUILD.split()) | {"cache_from", "cache_only"}, _BUILD_CHILDREN
    ),
    "staging.build": _shape("build", "script", script="script"),
    "dynamic_linking": _shape(
        "build.dynamic_linking",
        "rpaths binary_relocation missing_dso_allowlist rpath_allowlist"
        " overdepending_behavior overlinking_behavior",
    ),
    "link_options": _shape(
        "build.link_options", "post_link_script pre_link_message pre_unlink_script"
    ),
    "prefix_detection": _shape(
        "build.prefix_detection",
        "force_file_type ignore ignore_binary_files",
        force_file_type="force_file_type",
    ),
    "force_file_type": _shape("build.prefix_detection.force_file_type", "text binary"),
    "python": _shape(
        "build.python",
        "entry_points skip_pyc_compilation use_python_app_entrypoint preserve_egg_dir"
        " disable_pip site_packages_path version_independent",
    ),
    "variant": _shape("build.variant", "use_keys ignore_keys down_prioritize_variant"),
    "requirements": _shape(
        "requirements",
        "build host run run_constraints run_exports ignore_run_exports",
        run_exports="run_exports",
        ignore_run_exports="ignore_run_exports",
    ),
    "staging.requirements": _shape(
        "requirements", "build host ignore_run_exports", ignore_run_exports="ignore_run_exports"
    ),
    "run_exports": _shape(
        "requirements.run_exports", "noarch strong strong_constraints weak weak_constraints"
    ),
    "ignore_run_exports": _shape("requirements.ignore_run_exports", "by_name from_package"),
    "test.script": _shape(
        "script test",
        "script requirements files",
        script="script",
        requirements="test.requirements",
        files="test.files",
    ),
    "test": _shape(
        "tests item", "script requirements files python package_contents downstream perl r ruby"
    ),
    "test.requirements": _shape("script test requirements", "build run"),
    "test.files": _shape("script test files", "source recipe"),
    "test.python": _shape("python test", "python", python="test.python.inner"),
    "test.python.inner": _shape("python test", "imports pip_check python_version"),
    "test.package_contents": _shape(
        "package_contents test", "package_contents", package_contents="test.contents.inner"
    ),
    "test.contents.inner": _shape(
        "package_contents test",
        "files site_packages bin lib include strict",
        files="test.contents.files",
    ),
    "test.contents.files": _shape("package_contents files", "exists not_exists"),
    "test.downstream": _shape("downstream test", "downstream"),
    "test.perl": _shape("perl test", "perl", perl="test.perl.inner"),
    "test.perl.inner": _shape("perl test", "uses"),
    "test.r": _shape("r test", "r", r="test.r.inner"),
    "test.r.inner": _shape("r test", "libraries"),
    "about": _shape(
        "about",
        "homepage repository documentation license license_file license_family license_url"
        " summary description prelink_message",
    ),
    "cache": _shape(
        "cache",
        "source build requirements",
        source="source",
        build="output.build",
        requirements="requirements",
    ),
    "staging": _shape("staging", "name"),
    "inherit": _shape("inherit", "from run_exports"),
    "output": _shape(
        "output",
        "package source build requirements tests about extra inherit",
        package="package",
        source="source",
        build="output.build",
        requirements="requirements",
        tests="test",
        about="about",
        inherit="inherit",
    ),
    "output.staging": _shape(
        "staging output",
        "staging source build requirements",
        staging="staging",
        source="source",
        build="staging.build",
        requirements="staging.requirements",
    ),
}

# Below the top level, the sections whose content is checked (context and extra are free-form).
TOP_CHILDREN: dict[str, str] = {
    "package": "package",
    "recipe": "package",
    "source": "source",
    "build": "build",
    "requirements": "requirements",
    "tests": "test",
    "about": "about",
    "cache": "cache",
    "outputs": "output",
}
# Test items are told apart by their kind key; a list item picks the first one it holds.
TEST_KINDS = ("script", "python", "package_contents", "downstream", "perl", "r")
SOURCE_KINDS = ("url", "git", "path")
