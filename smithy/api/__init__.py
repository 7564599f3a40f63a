"""The supported Python surface of smithy: the use cases the CLI calls, and their values.

Each name below lives in a small module of this package, by use case. Importing
``smithy.api`` imports none of them: a name's module is imported the first time the name is
used, so ``smithy --version`` and each command pay only for what they use. The names are
written out twice, for the type checker and for the loader; a test keeps the lists equal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smithy.api.bumping import BumpReport as BumpReport
    from smithy.api.bumping import LookupOptions as LookupOptions
    from smithy.api.bumping import bump as bump
    from smithy.api.bumping import bump_options as bump_options
    from smithy.api.bumping import check_version as check_version
    from smithy.api.bumping import check_versions as check_versions
    from smithy.api.bumping import commit_bump as commit_bump
    from smithy.api.bumping import recipe_diff as recipe_diff
    from smithy.api.ci import check_git_feedstock as check_git_feedstock
    from smithy.api.ci import ci_skeleton as ci_skeleton
    from smithy.api.ci import commit_rerender as commit_rerender
    from smithy.api.ci import feedstock_repo_name as feedstock_repo_name
    from smithy.api.ci import generate_feedstock_token as generate_feedstock_token
    from smithy.api.ci import register_azure as register_azure
    from smithy.api.ci import register_ci as register_ci
    from smithy.api.ci import register_feedstock_token as register_feedstock_token
    from smithy.api.ci import update_upload_token as update_upload_token
    from smithy.api.conversions import conversion as conversion
    from smithy.api.feedstocks import feedstock_folders as feedstock_folders
    from smithy.api.fleets import fleet as fleet
    from smithy.api.graphs import load_graph as load_graph
    from smithy.api.linting import fix as fix
    from smithy.api.linting import lint as lint
    from smithy.api.migration_files import migration_lint as migration_lint
    from smithy.api.migrations import ApplyResult as ApplyResult
    from smithy.api.migrations import Channels as Channels
    from smithy.api.migrations import JobResult as JobResult
    from smithy.api.migrations import MigrationContext as MigrationContext
    from smithy.api.migrations import Outcome as Outcome
    from smithy.api.migrations import migration_apply as migration_apply
    from smithy.api.migrations import migration_close as migration_close
    from smithy.api.migrations import migration_context as migration_context
    from smithy.api.migrations import migration_next as migration_next
    from smithy.api.migrations import migration_why as migration_why
    from smithy.api.migrations import solvable as solvable
    from smithy.api.recipes import RenderReport as RenderReport
    from smithy.api.recipes import recipe_warnings as recipe_warnings
    from smithy.api.recipes import render as render
    from smithy.api.recipes import variants as variants
    from smithy.api.rerendering import RerenderMode as RerenderMode
    from smithy.api.rerendering import RerenderReport as RerenderReport
    from smithy.api.rerendering import rerender as rerender

# The module of this package that defines each name.
_HOMES: dict[str, tuple[str, ...]] = {
    "bumping": (
        "BumpReport",
        "LookupOptions",
        "bump",
        "bump_options",
        "check_version",
        "check_versions",
        "commit_bump",
        "recipe_diff",
    ),
    "ci": (
        "check_git_feedstock",
        "ci_skeleton",
        "commit_rerender",
        "feedstock_repo_name",
        "generate_feedstock_token",
        "register_azure",
        "register_ci",
        "register_feedstock_token",
        "update_upload_token",
    ),
    "conversions": ("conversion",),
    "feedstocks": ("feedstock_folders",),
    "fleets": ("fleet",),
    "graphs": ("load_graph",),
    "linting": ("fix", "lint"),
    "migration_files": ("migration_lint",),
    "migrations": (
        "ApplyResult",
        "Channels",
        "JobResult",
        "MigrationContext",
        "Outcome",
        "migration_apply",
        "migration_close",
        "migration_context",
        "migration_next",
        "migration_why",
        "solvable",
    ),
    "recipes": ("RenderReport", "recipe_warnings", "render", "variants"),
    "rerendering": ("RerenderMode", "RerenderReport", "rerender"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> object:
    """Import the module that defines ``name`` on first use (PEP 562), then keep the value."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'smithy.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"smithy.api.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
