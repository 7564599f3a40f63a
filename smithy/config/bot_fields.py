"""The ``bot:`` section of conda-forge.yml, as the conda-forge bot documents it.

Only the bot reads this section (conda-smithy accepts any mapping there), so smithy checks its
keys and values for the user and reports problems as warnings, never as refusals.
"""

from __future__ import annotations

from smithy.config.field import Field

_VERSION_SOURCES = (
    "cran",
    "github",
    "githubreleases",
    "incrementalpharawurl",
    "librariesio",
    "npm",
    "nvidia",
    "pypi",
    "rawurl",
    "rosdistro",
)
_INSPECTIONS = (
    "hint",
    "hint-all",
    "hint-source",
    "hint-grayskull",
    "update-all",
    "update-source",
    "update-grayskull",
    "disabled",
)
_BOT_VERSION_UPDATES = Field(
    "map",
    "How the bot finds new versions.",
    children={
        "random_fraction_to_keep": Field(
            "str", "Fraction of versions to keep.", numeric=True, nullable=True
        ),
        "exclude": Field("list", "Versions never proposed (quote them as strings)."),
        "sources": Field(
            "list",
            "Where to look for new versions.",
            item=Field(
                "enum",
                choices=_VERSION_SOURCES,
            ),
        ),
        "skip": Field("bool", "No automatic version updates.", nullable=True),
        "even_odd_versions": Field("bool", "Only even minor versions.", nullable=True),
        "allowed_tag_globs": Field("list", "Tag globs that count as versions.", single=True),
        "nvidia": Field(
            "map",
            "The NVIDIA updater's settings.",
            children={
                "compute_subdir": Field("str", "JSON folder of the release data.", nullable=True),
                "json_name": Field("str", "Package name in the JSON data.", nullable=True),
            },
            extra=True,
        ),
        "use_curl": Field("bool", "Test URLs with curl instead of wget.", nullable=True),
    },
)
BOT = Field(
    "map",
    "Settings of the conda-forge auto-tick bot (checked, not read by smithy).",
    children={
        "automerge": Field(
            "enum",
            "Merge the bot's passing PRs: true, false, version or migration.",
            choices=("version", "migration"),
            boolean=True,
            nullable=True,
        ),
        "check_solvable": Field("bool", "Open PRs only when solvable.", nullable=True),
        "inspection": Field(
            "enum",
            "How the bot hints or updates requirements.",
            choices=_INSPECTIONS,
            nullable=True,
        ),
        "abi_migration_branches": Field("list", "Extra branches that get migration PRs."),
        "run_deps_from_wheel": Field("bool", "Update run deps from the wheel.", nullable=True),
        "version_updates": _BOT_VERSION_UPDATES,
        "update_static_libs": Field("bool", "Update static-link pins.", nullable=True),
        "remake_prs_with_conflicts": Field("bool", "Remake conflicted PRs.", nullable=True),
        "rebuild_on_update": Field("list", "Packages whose new versions trigger a rebuild."),
    },
)
