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
    from smithy.api.building import BuildEvent as BuildEvent
    from smithy.api.building import BuildOptions as BuildOptions
    from smithy.api.building import BuildPlan as BuildPlan
    from smithy.api.building import BuildRun as BuildRun
    from smithy.api.building import StepStatus as StepStatus
    from smithy.api.building import current_platform as current_platform
    from smithy.api.building import dry_run as dry_run
    from smithy.api.building import load_backend as load_backend
    from smithy.api.building import plan_builds as plan_builds
    from smithy.api.building import run_builds as run_builds
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
    from smithy.api.creation import init_feedstock as init_feedstock
    from smithy.api.errors import MAX_BYTES_VARIABLE as MAX_BYTES_VARIABLE
    from smithy.api.errors import ExitCode as ExitCode
    from smithy.api.errors import SmithyError as SmithyError
    from smithy.api.errors import Span as Span
    from smithy.api.errors import set_max_bytes as set_max_bytes
    from smithy.api.feedstocks import feedstock_folders as feedstock_folders
    from smithy.api.findings import LintResult as LintResult
    from smithy.api.fleets import fleet as fleet
    from smithy.api.graphs import GraphInput as GraphInput
    from smithy.api.graphs import View as View
    from smithy.api.graphs import dumps_graph as dumps_graph
    from smithy.api.graphs import find_cycles as find_cycles
    from smithy.api.graphs import graph_cache_dir as graph_cache_dir
    from smithy.api.graphs import graph_order as graph_order
    from smithy.api.graphs import graph_why as graph_why
    from smithy.api.graphs import is_known_platform as is_known_platform
    from smithy.api.graphs import load_graph as load_graph
    from smithy.api.graphs import neighbourhood as neighbourhood
    from smithy.api.graphs import pinning_impact as pinning_impact
    from smithy.api.linting import GITHUB_API_URL as GITHUB_API_URL
    from smithy.api.linting import PINNING_RAW_URL as PINNING_RAW_URL
    from smithy.api.linting import fix as fix
    from smithy.api.linting import lint as lint
    from smithy.api.migration_files import migration_lint as migration_lint
    from smithy.api.migration_files import new_migration as new_migration
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
    from smithy.api.pinnings import DEFAULT_PINNING_CHANNEL as DEFAULT_PINNING_CHANNEL
    from smithy.api.pinnings import PINNING_PACKAGE as PINNING_PACKAGE
    from smithy.api.pinnings import FetchStatus as FetchStatus
    from smithy.api.pinnings import cached_pinnings as cached_pinnings
    from smithy.api.pinnings import fetch_pinning as fetch_pinning
    from smithy.api.recipes import RenderReport as RenderReport
    from smithy.api.recipes import recipe_warnings as recipe_warnings
    from smithy.api.recipes import render as render
    from smithy.api.recipes import variants as variants
    from smithy.api.registration import DEFAULT_API_URL as DEFAULT_API_URL
    from smithy.api.registration import DEFAULT_AZURE_URL as DEFAULT_AZURE_URL
    from smithy.api.registration import CiCall as CiCall
    from smithy.api.registration import CiRegistration as CiRegistration
    from smithy.api.registration import GitHubClient as GitHubClient
    from smithy.api.registration import RetryPolicy as RetryPolicy
    from smithy.api.registration import StepResult as StepResult
    from smithy.api.registration import Wait as Wait
    from smithy.api.registration import check_maintainers as check_maintainers
    from smithy.api.registration import normalize_api_url as normalize_api_url
    from smithy.api.registration import register_github as register_github
    from smithy.api.rerendering import RerenderMode as RerenderMode
    from smithy.api.rerendering import RerenderReport as RerenderReport
    from smithy.api.rerendering import rerender as rerender
    from smithy.api.rules import all_rules as all_rules
    from smithy.api.rules import check_patterns as check_patterns
    from smithy.api.rules import explain_rule as explain_rule
    from smithy.api.rules import rule as rule
    from smithy.api.rules import rule_data as rule_data
    from smithy.api.rules import rules_markdown as rules_markdown
    from smithy.api.rules import rules_table as rules_table
    from smithy.api.schemas import conda_forge_yml_schema as conda_forge_yml_schema
    from smithy.api.secrets import Secret as Secret
    from smithy.api.secrets import mask_token_like as mask_token_like
    from smithy.api.secrets import resolve_token as resolve_token

# The module of this package that defines each name.
_HOMES: dict[str, tuple[str, ...]] = {
    "building": (
        "BuildEvent",
        "BuildOptions",
        "BuildPlan",
        "BuildRun",
        "StepStatus",
        "current_platform",
        "dry_run",
        "load_backend",
        "plan_builds",
        "run_builds",
    ),
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
    "creation": ("init_feedstock",),
    "errors": (
        "ExitCode",
        "MAX_BYTES_VARIABLE",
        "SmithyError",
        "Span",
        "set_max_bytes",
    ),
    "feedstocks": ("feedstock_folders",),
    "findings": ("LintResult",),
    "fleets": ("fleet",),
    "graphs": (
        "GraphInput",
        "View",
        "dumps_graph",
        "find_cycles",
        "graph_cache_dir",
        "graph_order",
        "graph_why",
        "is_known_platform",
        "load_graph",
        "neighbourhood",
        "pinning_impact",
    ),
    "linting": (
        "GITHUB_API_URL",
        "PINNING_RAW_URL",
        "fix",
        "lint",
    ),
    "migration_files": (
        "migration_lint",
        "new_migration",
    ),
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
    "pinnings": (
        "DEFAULT_PINNING_CHANNEL",
        "FetchStatus",
        "PINNING_PACKAGE",
        "cached_pinnings",
        "fetch_pinning",
    ),
    "recipes": (
        "RenderReport",
        "recipe_warnings",
        "render",
        "variants",
    ),
    "registration": (
        "CiCall",
        "CiRegistration",
        "DEFAULT_API_URL",
        "DEFAULT_AZURE_URL",
        "GitHubClient",
        "RetryPolicy",
        "StepResult",
        "Wait",
        "check_maintainers",
        "normalize_api_url",
        "register_github",
    ),
    "rerendering": (
        "RerenderMode",
        "RerenderReport",
        "rerender",
    ),
    "rules": (
        "all_rules",
        "check_patterns",
        "explain_rule",
        "rule",
        "rule_data",
        "rules_markdown",
        "rules_table",
    ),
    "schemas": ("conda_forge_yml_schema",),
    "secrets": (
        "Secret",
        "mask_token_like",
        "resolve_token",
    ),
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
