"""Tests of the non-CI feedstock files: README, CODEOWNERS, licence, git settings, pixi.toml."""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from smithy.config.load import parse_config
from smithy.config.schema import AzureConfig, FeedstockConfig, GithubConfig
from smithy.errors import TemplateError
from smithy.matrix.model import CiJob
from smithy.rerender.feedstock_files import (
    GENERATED_ATTRIBUTE_PATHS,
    codeowners,
    feedstock_file_paths,
    feedstock_files,
)
from smithy.rerender.model import EXECUTABLE, REGULAR, FeedstockFacts
from smithy.rerender.pixi import match_spec_to_pixi, pixi_platforms, toml_inline_array, toml_string

DATA = Path(__file__).resolve().parents[1] / "data" / "rerender_files"


def job(
    name: str,
    provider: str = "github_actions",
    platform: str | None = None,
    build_platform: str | None = None,
    config: Mapping[str, Any] | None = None,
) -> CiJob:
    platform = platform or "-".join(name.split("_")[:2])
    return CiJob(
        config_name=name,
        config_name_short=name,
        platform=platform,
        build_platform=build_platform or platform,
        provider=provider,
        upload=True,
        config=config or {},
    )


ZLIB_JOBS = (
    job("linux_64_", config={"channel_targets": ["conda-forge main"]}),
    job("linux_aarch64_", platform="linux-aarch64", build_platform="linux-64"),
    job("osx_64_", provider="azure"),
    job("osx_arm64_", provider="azure", platform="osx-arm64"),
    job("win_64_", provider="azure"),
)

SINGLE = FeedstockFacts(
    name="libzed",
    version="1.3.1",
    outputs=("libzed",),
    feedstock_name="libzed-feedstock",
    recipe_file="meta.yaml",
    about={"home": "https://example.org", "license": "Zlib", "summary": "A small library"},
    maintainers=("zoe", "adam", "conda-forge/Core", "adam"),
)

MULTI = replace(
    SINGLE,
    name="zlib-split",
    outputs=("libzlib", "zlib", "zlib-static"),
    feedstock_name="zlib-split-feedstock",
)

NOARCH = FeedstockFacts(
    name="pyhello",
    version="2.0.1",
    outputs=("pyhello",),
    feedstock_name="pyhello-feedstock",
    recipe_file="recipe.yaml",
    about={"homepage": "https://example.org/pyhello", "license": "Apache-2.0", "summary": "Hi"},
    maintainers=("carol",),
    noarch_python=True,
)


def readme(files: Mapping[str, Any]) -> str:
    return str(files["README.md"].content.decode())


def status_rows(text: str) -> list[str]:
    return re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE)


def test_readme_single_output_lists_every_job_once(tmp_path: Path) -> None:
    files = feedstock_files(ZLIB_JOBS, FeedstockConfig(), SINGLE, tmp_path)
    text = readme(files)
    assert sorted(status_rows(text)) == sorted(j.config_name for j in ZLIB_JOBS)
    assert "# libzed-feedstock" in text
    assert "| Package license | Zlib |" in text
    assert "A small library" in text
    assert "https://github.com/conda-forge/libzed-feedstock/blob/main/LICENSE.txt" in text
    assert "linux-aarch64 (built on linux-64)" in text
    assert "conda install --channel conda-forge libzed" in text
    assert "pixi add libzed" in text
    assert "mamba install --channel conda-forge libzed" in text


def test_readme_badges_per_provider_and_azure_job(tmp_path: Path) -> None:
    config = FeedstockConfig(azure=AzureConfig(build_id=704))
    text = readme(feedstock_files(ZLIB_JOBS, config, SINGLE, tmp_path))
    gha = "https://github.com/conda-forge/libzed-feedstock/actions/workflows/conda-build.yml"
    assert f"[![GitHub Actions]({gha}/badge.svg?branch=main)]({gha})" in text
    assert "definitionId=704&branchName=main" in text
    assert "jobName=osx&configuration=osx%20osx_arm64_" in text
    assert "jobName=win&configuration=win%20win_64_" in text
    # GitHub has no per-job badge: linux rows link to the workflow runs instead.
    assert f"| `linux_64_` | linux-64 | GitHub Actions | [runs]({gha}) |" in text


def test_readme_multi_output_installs_and_lists_every_package(tmp_path: Path) -> None:
    text = readme(feedstock_files(ZLIB_JOBS, FeedstockConfig(), MULTI, tmp_path))
    assert "conda install --channel conda-forge libzlib zlib zlib-static" in text
    for output in MULTI.outputs:
        assert f"| [{output}](https://anaconda.org/conda-forge/{output}) |" in text


def test_readme_noarch_with_one_job(tmp_path: Path) -> None:
    jobs = (job("linux_64_", config={"channel_targets": ["conda-forge rc"]}),)
    text = readme(feedstock_files(jobs, FeedstockConfig(), NOARCH, tmp_path))
    assert status_rows(text) == ["linux_64_"]
    assert "`noarch`" in text
    assert "https://example.org/pyhello" in text  # v1 `homepage`
    assert "conda install --channel conda-forge/label/rc pyhello" in text
    assert "`recipe/recipe.yaml`" in text


def test_readme_without_jobs_says_so(tmp_path: Path) -> None:
    text = readme(feedstock_files((), FeedstockConfig(), SINGLE, tmp_path))
    assert status_rows(text) == []
    assert "No CI job builds this feedstock" in text


def test_readme_maintainers_sorted_unique_and_teams_linked(tmp_path: Path) -> None:
    text = readme(feedstock_files(ZLIB_JOBS, FeedstockConfig(), SINGLE, tmp_path))
    section = text.split("## Maintainers", 1)[1]
    handles = re.findall(r"^- \[@([^\]]+)\]", section, flags=re.MULTILINE)
    assert handles == ["adam", "conda-forge/Core", "zoe"]
    assert "https://github.com/orgs/conda-forge/teams/core/" in section


def test_readme_uses_github_org_and_repo_name(tmp_path: Path) -> None:
    config = FeedstockConfig(github=GithubConfig(user_or_org="my-org", repo_name="zed-fs"))
    text = readme(feedstock_files(ZLIB_JOBS, config, SINGLE, tmp_path))
    assert "https://github.com/my-org/zed-fs/actions/workflows/conda-build.yml" in text
    assert "libzed-feedstock" not in text


def test_readme_escapes_pipes_in_table_cells(tmp_path: Path) -> None:
    facts = replace(SINGLE, about={"license": "MIT | Apache-2.0"})
    text = readme(feedstock_files((), FeedstockConfig(), facts, tmp_path))
    assert "| Package license | MIT \\| Apache-2.0 |" in text


def test_codeowners_from_maintainers(tmp_path: Path) -> None:
    files = feedstock_files(ZLIB_JOBS, FeedstockConfig(), SINGLE, tmp_path)
    # No final newline, as conda-smithy writes it: an existing feedstock sees no change.
    assert files[".github/CODEOWNERS"].content == b"* @adam @conda-forge/core @zoe"
    assert codeowners(["b", "A", "a"]) == ("@A", "@a", "@b")  # conda-smithy's order


def test_no_codeowners_without_maintainers(tmp_path: Path) -> None:
    facts = replace(SINGLE, maintainers=())
    assert ".github/CODEOWNERS" not in feedstock_files((), FeedstockConfig(), facts, tmp_path)


def test_modes_and_default_file_set(tmp_path: Path) -> None:
    files = feedstock_files(ZLIB_JOBS, FeedstockConfig(), SINGLE, tmp_path)
    assert set(files) == set(feedstock_file_paths()) - {"pixi.toml"}
    assert files["build-locally.py"].mode == EXECUTABLE
    assert files["README.md"].mode == REGULAR
    assert all(f.content.endswith(b"\n") for p, f in files.items() if p != ".github/CODEOWNERS")


@pytest.mark.parametrize(
    ("skip", "absent"),
    [
        (("README.md",), {"README.md"}),
        ((".github",), {".github/CODEOWNERS"}),
        (("./.ci_support/",), {".ci_support/README"}),
        (("LICENSE.txt", "build-locally.py"), {"LICENSE.txt", "build-locally.py"}),
    ],
)
def test_skip_render_is_honoured(tmp_path: Path, skip: tuple[str, ...], absent: set[str]) -> None:
    config = FeedstockConfig(skip_render=skip)
    files = feedstock_files(ZLIB_JOBS, config, SINGLE, tmp_path)
    everything = feedstock_files(ZLIB_JOBS, FeedstockConfig(), SINGLE, tmp_path)
    assert set(everything) - set(files) == absent


def test_feedstock_template_overrides_builtin(tmp_path: Path) -> None:
    shutil.copytree(DATA / "templates_override", tmp_path / "templates")
    files = feedstock_files(ZLIB_JOBS, FeedstockConfig(), SINGLE, tmp_path)
    assert files["README.md"].content == b"Custom README for libzed-feedstock with 5 jobs.\n"
    assert files["LICENSE.txt"].content.startswith(b"BSD-3-Clause license\n")


def test_broken_override_is_a_template_error(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "README.md.j2").write_text("{{ readme.no_such_field }}\n")
    with pytest.raises(TemplateError, match=r"README\.md\.j2"):
        feedstock_files(ZLIB_JOBS, FeedstockConfig(), SINGLE, tmp_path)


def test_license_keeps_existing_years_and_holder(tmp_path: Path) -> None:
    fresh = feedstock_files((), FeedstockConfig(), SINGLE, tmp_path)["LICENSE.txt"].content
    assert b"Copyright (c) 2015-2026, conda-forge contributors\n" in fresh
    old = fresh.replace(b"2015-2026, conda-forge", b"2017-2024, Example")
    (tmp_path / "LICENSE.txt").write_bytes(old)
    again = feedstock_files((), FeedstockConfig(), SINGLE, tmp_path)["LICENSE.txt"].content
    assert again == old


def test_gitattributes_marks_generated_paths(tmp_path: Path) -> None:
    text = feedstock_files((), FeedstockConfig(), SINGLE, tmp_path)[".gitattributes"].content
    lines = text.decode().splitlines()
    assert "* text=auto" in lines
    assert "recipe/**/*.bat text eol=crlf" in lines
    for path in GENERATED_ATTRIBUTE_PATHS:
        assert f"{path} linguist-generated=true" in lines
    assert not any(line.startswith("/.ci_support/*.yaml") for line in lines)


def test_gitignore_keeps_recipe_and_generated_files(tmp_path: Path) -> None:
    config = FeedstockConfig(recipe_dir="src-recipe")
    lines = feedstock_files((), config, SINGLE, tmp_path)[".gitignore"].content.decode()
    for wanted in ("*", "!/conda-forge.yml", "!/src-recipe/**", "!/.smithy/**", "/build_artifacts"):
        assert wanted in lines.splitlines()


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    config = FeedstockConfig(conda_install_tool="pixi")
    first = feedstock_files(ZLIB_JOBS, config, MULTI, tmp_path)
    second = feedstock_files(tuple(reversed(ZLIB_JOBS)), config, MULTI, tmp_path)
    assert first == second


def test_pixi_toml_only_for_pixi(tmp_path: Path) -> None:
    assert "pixi.toml" not in feedstock_files(ZLIB_JOBS, FeedstockConfig(), SINGLE, tmp_path)
    config = FeedstockConfig(conda_install_tool="pixi", skip_render=("pixi.toml",))
    assert "pixi.toml" not in feedstock_files(ZLIB_JOBS, config, SINGLE, tmp_path)


@pytest.mark.parametrize("tool", ["conda-build", "rattler-build"])
def test_pixi_toml_parses_and_has_a_task_per_job(tmp_path: Path, tool: str) -> None:
    config = FeedstockConfig(conda_install_tool="pixi", conda_build_tool=tool)  # type: ignore[arg-type]
    content = feedstock_files(ZLIB_JOBS, config, SINGLE, tmp_path)["pixi.toml"].content.decode()
    data = tomllib.loads(content)
    workspace = data["workspace"]
    assert workspace["name"] == "libzed-feedstock"
    # conda-smithy lists the platforms conda-forge.yml gives a provider, not the job platforms
    assert workspace["platforms"] == ["linux-64", "osx-64", "win-64"]
    assert data["dependencies"]["conda-forge-ci-setup"] == "4.*"
    assert data["dependencies"]["conda-build"] == ">=26.3"
    assert (tool == "rattler-build") == ("rattler-build" in data["dependencies"])
    tasks = data["tasks"]
    assert set(tasks) == {"build"} | {f"build-{j.config_name}" for j in ZLIB_JOBS}
    assert tasks["build-win_64_"]["cmd"].endswith("-m .ci_support/win_64_.yaml")
    assert data["environments"]["smithy"] == ["smithy"]
    # The CI scripts rewrite exactly one `platforms = ` line and the environment marker.
    assert sum("platforms = " in line for line in content.splitlines()) == 1
    assert content.rstrip().endswith("# __PLATFORM_SPECIFIC_ENV__ = []")


def test_pixi_platforms_are_every_configured_platform_as_conda_smithy_lists_them(
    tmp_path: Path,
) -> None:
    # a noarch feedstock builds on linux-64 only, yet `pixi run build` must work on osx and win
    noarch_jobs = [job for job in ZLIB_JOBS if job.platform == "linux-64"]
    config = FeedstockConfig(conda_install_tool="pixi")
    content = feedstock_files(noarch_jobs, config, SINGLE, tmp_path)["pixi.toml"].content
    assert tomllib.loads(content.decode())["workspace"]["platforms"] == [
        "linux-64",
        "osx-64",
        "win-64",
    ]
    text = "provider:\n  linux_aarch64: default\n  osx: azure\n  win_64: false\n"
    aliased = parse_config(text)
    assert pixi_platforms(aliased) == ["linux-64", "linux-aarch64", "osx-64", "osx-arm64"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("conda-forge-ci-setup=4", ("conda-forge-ci-setup", "4.*")),
        ("conda-build>=26.3", ("conda-build", ">=26.3")),
        ("'boa'", ("boa", "*")),
        ("pkg ==1.2", ("pkg", "==1.2")),
        ("pkg=1.*", ("pkg", "1.*")),
        ("pkg 1.2", ("pkg", "==1.2")),
        ("pkg >=1, <2", ("pkg", ">=1,<2")),
        ("pkg=1.2=py_0", ("pkg", "==1.2 py_0")),
        ("conda-forge::pkg>=1", ("pkg", ">=1")),
        ("pkg*", None),
        ("", None),
    ],
)
def test_match_spec_to_pixi(spec: str, expected: tuple[str, str] | None) -> None:
    assert match_spec_to_pixi(spec) == expected


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("conda-forge", '"conda-forge"'),
        ('say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'),
        ("caf\u00e9", '"caf\u00e9"'),
        ("tab\there", '"tab\there"'),  # TOML allows a literal tab
        ("del\x7f", '"del\\u007f"'),
    ],
)
def test_toml_string_reads_back(text: str, quoted: str) -> None:
    assert toml_string(text) == quoted
    assert tomllib.loads(f"v = {quoted}")["v"] == text


def test_toml_inline_array_stays_on_one_line() -> None:
    line = toml_inline_array(["linux-64", "osx-arm64"])
    assert line == '["linux-64", "osx-arm64"]'
    assert tomllib.loads(f"platforms = {line}")["platforms"] == ["linux-64", "osx-arm64"]
