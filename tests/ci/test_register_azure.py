"""Azure Pipelines registration against a fake Azure DevOps: ``register-ci --with-azure`` and
``azure-buildid``, with conda-forge.yml edited in place (comments kept)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smithy.cli import main
from tests.ci.fake_azure import PAT, FakeAzure, running
from tests.github.fake_github import FakeGitHub
from tests.github.fixtures import TOKEN

pytestmark = pytest.mark.usefixtures("github_env", "sleeps")

CONFIG = "# settings for CI\nprovider:\n  linux_64: azure  # keep this comment\n"


@pytest.fixture
def azure(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    """A fake Azure DevOps with project feedstock-builds in organisation conda-forge."""
    with running() as fake:
        fake.state.add_project("conda-forge", "feedstock-builds", connection="conda-forge")
        monkeypatch.setenv("AZURE_TOKEN", PAT)
        monkeypatch.setenv("BINSTAR_TOKEN", "upload-token-abcdef")
        yield fake


@pytest.fixture
def stock(feedstock: Path, fake_github: FakeGitHub) -> Path:
    fake_github.state.add_repo("conda-forge", "tinypkg-feedstock")
    (feedstock / "conda-forge.yml").write_text(CONFIG)
    return feedstock


def _register(github: FakeGitHub, azure: FakeAzure, stock: Path, *extra: str) -> int:
    args = ["register-ci", str(stock), "--github-url", github.url, "--with-azure"]
    return main([*args, "--azure-url", azure.url, *extra])


def test_register_creates_the_pipeline_then_rerun_changes_nothing(
    fake_github: FakeGitHub, azure: FakeAzure, stock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _register(fake_github, azure, stock) == 0
    out = capsys.readouterr()
    assert PAT not in out.out + out.err and TOKEN not in out.out + out.err
    (definition,) = azure.state.definitions[("conda-forge", "feedstock-builds")]
    assert definition["name"] == "tinypkg-feedstock"
    assert definition["process"] == {"type": 2, "yamlFilename": "azure-pipelines.yml"}
    assert definition["repository"]["name"] == "conda-forge/tinypkg-feedstock"
    assert definition["repository"]["properties"]["connectedServiceId"] == "conn-conda-forge"
    build_id = definition["id"]
    project_id = azure.state.projects[("conda-forge", "feedstock-builds")]
    text = (stock / "conda-forge.yml").read_text()
    assert text.startswith(CONFIG.rstrip("\n"))  # the comments and layout are kept
    assert f"  build_id: {build_id}\n" in text
    assert f"  project_id: {project_id}\n" in text
    assert "  project_name: feedstock-builds\n" in text
    assert "  user_or_org: conda-forge\n" in text
    assert f"created   azure-pipeline tinypkg-feedstock (build id {build_id})" in out.out

    writes = azure.state.writes()
    assert _register(fake_github, azure, stock) == 0
    assert azure.state.writes() == writes
    assert (stock / "conda-forge.yml").read_text() == text
    assert "unchanged azure-build-id conda-forge.yml (already recorded)" in capsys.readouterr().out


def test_azure_buildid_records_an_existing_pipeline(
    azure: FakeAzure, stock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_id = azure.state.add_definition("conda-forge", "feedstock-builds", "tinypkg-feedstock")
    args = ["azure-buildid", "--feedstock_directory", str(stock), "--azure-url", azure.url]
    assert main([*args, "--dry-run"]) == 0
    assert (stock / "conda-forge.yml").read_text() == CONFIG
    assert main(args) == 0
    assert f"  build_id: {build_id}\n" in (stock / "conda-forge.yml").read_text()
    assert azure.state.writes() == []  # looking up never creates


def test_azure_buildid_without_a_pipeline_is_refused(
    azure: FakeAzure, stock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["azure-buildid", str(stock), "--azure-url", azure.url]) == 3
    assert "no Azure pipeline named tinypkg-feedstock" in capsys.readouterr().err
    assert (stock / "conda-forge.yml").read_text() == CONFIG


def test_missing_service_connection_or_project(
    fake_github: FakeGitHub, azure: FakeAzure, stock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _register(fake_github, azure, stock, "--azure-service-connection", "other") == 3
    assert "no GitHub service connection named 'other'" in capsys.readouterr().err
    assert _register(fake_github, azure, stock, "--azure-project", "nope") == 3
    assert "project 'nope' not found" in capsys.readouterr().err
    assert azure.state.writes() == []


def test_bad_or_missing_token_never_shows_it(
    fake_github: FakeGitHub,
    azure: FakeAzure,
    stock: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AZURE_TOKEN", "wrong-token-value-xyz")
    assert main(["--debug", "azure-buildid", str(stock), "--azure-url", azure.url]) == 3
    err = capsys.readouterr().err
    assert "rejected the token" in err and "wrong-token-value-xyz" not in err
    monkeypatch.delenv("AZURE_TOKEN")
    assert main(["azure-buildid", str(stock), "--azure-url", azure.url]) == 3
    assert "no Azure DevOps token" in capsys.readouterr().err


def test_plain_http_to_another_host_is_refused(
    azure: FakeAzure, stock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["azure-buildid", str(stock), "--azure-url", "http://example.invalid"]) == 3
    assert "refusing to send a token over plain http" in capsys.readouterr().err
