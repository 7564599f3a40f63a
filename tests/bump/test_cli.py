"""The bump commands: exit codes, JSON, rerender and the bot's branch name."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from smithy.cli import main

from .conftest import OLD_SHA, Upstream, make_tarball, sha
from .recipes import META_PYPI


@pytest.fixture
def pypi_feedstock(upstream: Upstream, feedstock):
    text = META_PYPI.replace("BASE", upstream.base).replace("OLD_SHA", OLD_SHA)
    root = feedstock({"recipe/meta.yaml": text})
    upstream.pypi("tinypkg", {"1.0.0": False, "1.1.0": False})
    return root


def _urls(upstream: Upstream) -> list[str]:
    return ["--pypi-url", upstream.base, "--timeout", "5"]


def test_check_only_exits_1_when_outdated(upstream, pypi_feedstock, capsys) -> None:
    code = main(["bump", str(pypi_feedstock), "--check-only", "--json", *_urls(upstream)])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (data["current"], data["newest"], data["outdated"]) == ("1.0.0", "1.1.0", True)
    assert data["source"]["kind"] == "pypi"


def test_refused_bump_exits_3_with_one_line(upstream, pypi_feedstock, capsys) -> None:
    code = main(["bump", str(pypi_feedstock), *_urls(upstream)])  # 1.1.0's tarball is missing
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("\n") == 1 and "download failed, nothing written" in err and "HTTP 404" in err


def test_bump_rerenders_and_commits_on_the_bots_branch(
    upstream, pypi_feedstock, capsys, git_identity
) -> None:
    upstream.file(
        "/packages/source/t/tinypkg/tinypkg-1.1.0.tar.gz", make_tarball("tinypkg", "1.1.0")
    )
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run(["git", *args], cwd=pypi_feedstock, check=True)

    code = main(["bump", str(pypi_feedstock), "--commit", "--format", "json", *_urls(upstream)])

    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["written"] and data["rerendered"]
    assert re.fullmatch(r"1\.1\.0_h[0-9a-f]{6}", data["branch"])
    head = subprocess.run(
        ["git", "log", "-1", "--format=%s", "--name-only"],
        cwd=pypi_feedstock,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert head.startswith("updated v1.1.0\n")
    assert "recipe/meta.yaml" in head and ".ci_support/" in head
    assert main(["lint", "--conda-forge", str(pypi_feedstock)]) == 0


def test_bump_all_reports_each_feedstock(upstream, pypi_feedstock, capsys) -> None:
    broken = pypi_feedstock.parent / "broken"
    (broken / "recipe").mkdir(parents=True)
    (broken / "recipe/meta.yaml").write_text("package:\n  name: x\n  version: 1\n")

    code = main(["bump-all", str(pypi_feedstock.parent), *_urls(upstream)[:2]])

    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0].endswith("fs: 1.0.0 -> 1.1.0")
    assert "broken" in out[1] and "set version" in out[1]
    assert out[-1] == "2 checked, 1 outdated, 1 failed"


def test_dry_run_prints_the_diff_and_writes_nothing(upstream, pypi_feedstock, capsys) -> None:
    new = make_tarball("tinypkg", "1.1.0")
    new_sha = upstream.file("/packages/source/t/tinypkg/tinypkg-1.1.0.tar.gz", new)
    before = (pypi_feedstock / "recipe/meta.yaml").read_bytes()

    code = main(["bump", str(pypi_feedstock), "--dry-run", *_urls(upstream)])

    out = capsys.readouterr().out
    assert code == 0 and (pypi_feedstock / "recipe/meta.yaml").read_bytes() == before
    assert '+{% set version = "1.1.0" %}  # the bot edits this line' in out
    assert "+  number: 0  # rebuilt three times" in out
    assert "would bump recipe/meta.yaml: 1.0.0 -> 1.1.0 (pypi tinypkg)" in out
    assert (
        f"  sha256 {new_sha}  {upstream.base}/packages/source/t/tinypkg/tinypkg-1.1.0.tar.gz" in out
    )
    assert not (pypi_feedstock / ".ci_support").exists()  # no rerender on a dry run


def test_version_independent_url_is_refused(upstream, feedstock, capsys) -> None:
    text = META_PYPI.replace("BASE", upstream.base).replace("OLD_SHA", OLD_SHA)
    text = text.replace("{{ name }}-{{ version }}.tar.gz", "{{ name }}-latest.tar.gz")
    root = feedstock({"recipe/meta.yaml": text})

    code = main(["bump", str(root), "--version", "2.0", *_urls(upstream)])

    assert code == 3
    assert "no source URL depends on the version" in capsys.readouterr().err


def test_same_version_verifies_every_checksum(upstream, feedstock, capsys) -> None:
    data = make_tarball("tinypkg", "1.0.0")
    text = META_PYPI.replace("BASE", upstream.base).replace("OLD_SHA", sha(data))
    root = feedstock({"recipe/meta.yaml": text})
    upstream.file("/packages/source/t/tinypkg/tinypkg-1.0.0.tar.gz", data)

    code = main(["bump", str(root), "--version", "1.0.0", *_urls(upstream)])

    assert code == 0
    assert "recipe/meta.yaml: 1.0.0, every checksum matches its download" in capsys.readouterr().out
    assert (root / "recipe/meta.yaml").read_text() == text
