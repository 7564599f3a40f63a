"""Where each meta.yaml key lives in recipe.yaml (schema_version 1)."""

from __future__ import annotations

# build.<v0 key> -> path under the v1 output (first element names the section).
BUILD_KEYS: dict[str, tuple[str, ...]] = {
    "number": ("build", "number"),
    "string": ("build", "string"),
    "skip": ("build", "skip"),
    "noarch": ("build", "noarch"),
    "script": ("build", "script"),
    "merge_build_host": ("build", "merge_build_and_host_envs"),
    "always_include_files": ("build", "always_include_files"),
    "no_link": ("build", "always_copy_files"),
    "entry_points": ("build", "python", "entry_points"),
    "osx_is_app": ("build", "python", "use_python_app_entrypoint"),
    "skip_compile_pyc": ("build", "python", "skip_pyc_compilation"),
    "python_version_independent": ("build", "python", "version_independent"),
    "python_site_packages_path": ("build", "python", "site_packages_path"),
    "missing_dso_whitelist": ("build", "dynamic_linking", "missing_dso_allowlist"),
    "runpath_whitelist": ("build", "dynamic_linking", "rpath_allowlist"),
    "rpaths": ("build", "dynamic_linking", "rpaths"),
    "binary_relocation": ("build", "dynamic_linking", "binary_relocation"),
    "ignore_prefix_files": ("build", "prefix_detection", "ignore"),
    "has_prefix_files": ("build", "prefix_detection", "force_file_type", "text"),
    "binary_has_prefix_files": ("build", "prefix_detection", "force_file_type", "binary"),
    "force_use_keys": ("build", "variant", "use_keys"),
    "force_ignore_keys": ("build", "variant", "ignore_keys"),
    "run_exports": ("requirements", "run_exports"),
    "ignore_run_exports": ("requirements", "ignore_run_exports", "by_name"),
    "ignore_run_exports_from": ("requirements", "ignore_run_exports", "from_package"),
}
# The staging output a multi-output recipe's top-level build becomes.
STAGING_NAME = "top-level-build"
# Keys with no effect on the package that rattler-build has no place for.
# (`activate_in_script`: rattler-build always activates the build environment.)
DROPPED_BUILD_KEYS = frozenset(
    {"include_recipe", "preserve_egg_dir", "error_overlinking", "activate_in_script"}
)
REQUIREMENT_KEYS = {
    "build": "build",
    "host": "host",
    "run": "run",
    "run_constrained": "run_constraints",
}
SOURCE_KEYS = {
    "url": "url",
    "sha256": "sha256",
    "md5": "md5",
    "path": "path",
    "patches": "patches",
    "fn": "file_name",
    "folder": "target_directory",
    "git_url": "git",
    "git_rev": "rev",
    "git_tag": "tag",
    "git_depth": "depth",
}
ABOUT_KEYS = {
    "home": "homepage",
    "dev_url": "repository",
    "doc_url": "documentation",
    "license": "license",
    "license_file": "license_file",
    "license_family": "license_family",
    "summary": "summary",
    "description": "description",
}
DROPPED_ABOUT_KEYS = frozenset({"license_url", "doc_source_url", "recipe_origin"})

REQUIREMENTS_ORDER = (
    "build",
    "host",
    "run",
    "run_constraints",
    "run_exports",
    "ignore_run_exports",
)
