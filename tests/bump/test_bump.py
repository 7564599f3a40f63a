"""End-to-end bumps against a local server imitating PyPI, GitHub and a plain file server."""

from __future__ import annotations

from dataclasses import replace

import pytest
from werkzeug import Response

from smithy import api
from smithy.bump.errors import BumpError

from .conftest import OLD_SHA, Upstream, make_tarball, sha
from .recipes import (
    META_PER_PLATFORM,
    META_PYPI,
    META_TWO_SOURCES,
    RECIPE_GITHUB,
    RECIPE_PER_PLATFORM,
)


def _meta(text: str, upstream: Upstream, **shas: str) -> str:
    text = text.replace("BASE", upstream.base).replace("OLD_SHA", OLD_SHA)
    for key, value in shas.items():
        text = text.replace(key, value)
    return text


def _pypi_release(upstream: Upstream, versions: dict[str, bool], new: str) -> str:
    upstream.pypi("tinypkg", versions)
    return upstream.file(
        f"/packages/source/t/tinypkg/tinypkg-{new}.tar.gz", make_tarball("tinypkg", new)
    )


def test_meta_yaml_bump_from_pypi(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)})
    new_sha = _pypi_release(upstream, {"1.0.0": False, "1.2.0": False, "1.1.0": False}, "1.2.0")
    before = (root / "recipe/meta.yaml").read_text()

    report = api.bump(root, upstream.options())

    after = (root / "recipe/meta.yaml").read_text()
    assert report.written and report.target == "1.2.0"
    assert [d.sha256 for d in report.downloads] == [new_sha]
    expected = (
        before.replace('"1.0.0"', '"1.2.0"')
        .replace(OLD_SHA, new_sha)
        .replace("number: 3  #", "number: 0  #")
    )
    assert after == expected  # comments, jinja and layout untouched
    rendered = api.render(root, platforms=["linux-64"])
    assert rendered.platforms[0].renders[0].version == "1.2.0"


def test_recipe_yaml_bump_from_github_releases(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/recipe.yaml": _meta(RECIPE_GITHUB, upstream)})
    releases = [
        {"tag_name": "v1.1.0", "draft": False, "prerelease": False},
        {"tag_name": "v1.3.0", "draft": False, "prerelease": True},
        {"tag_name": "v1.2.0", "draft": True, "prerelease": False},
    ]
    upstream.json("/repos/owner/tinypkg/releases", releases)
    new_sha = upstream.file(
        "/owner/tinypkg/archive/refs/tags/v1.1.0.tar.gz", make_tarball("tinypkg", "1.1.0")
    )

    report = api.bump(root, upstream.options())

    text = (root / "recipe/recipe.yaml").read_text()
    assert report.target == "1.1.0"  # the draft and the flagged pre-release are skipped
    assert 'version: "1.1.0"  # upstream tags as v<version>' in text
    assert f"sha256: {new_sha}" in text and "number: 0" in text
    assert api.render(root, platforms=["linux-64"]).platforms[0].renders[0].version == "1.1.0"


def test_github_tags_when_there_are_no_releases(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/recipe.yaml": _meta(RECIPE_GITHUB, upstream)})
    upstream.json("/repos/owner/tinypkg/releases", [])
    upstream.json(
        "/repos/owner/tinypkg/tags", [{"name": "v0.9"}, {"name": "v1.0.1"}, {"name": "nightly"}]
    )

    check = api.check_version(root, upstream.options())

    assert (check.newest, check.outdated, check.source.tag_prefix) == ("1.0.1", True, "v")


def test_two_sources_and_a_fixed_one(upstream: Upstream, feedstock) -> None:
    fixed = make_tarball("extra", "0")
    text = _meta(META_TWO_SOURCES, upstream, DATA_SHA="b" * 64, FIXED_SHA=sha(fixed))
    root = feedstock({"recipe/meta.yaml": text})
    pkg_sha = _pypi_release(upstream, {"1.0.0": False, "2.0.0": False}, "2.0.0")
    data_sha = upstream.file("/owner/tinydata/archive/v2.0.0.tar.gz", make_tarball("data", "2.0.0"))

    report = api.bump(root, upstream.options())

    after = (root / "recipe/meta.yaml").read_text()
    assert sorted(d.sha256 for d in report.downloads) == sorted([pkg_sha, data_sha])
    assert pkg_sha in after and data_sha in after and sha(fixed) in after
    assert OLD_SHA not in after and "b" * 64 not in after


@pytest.mark.parametrize(
    ("name", "recipe"),
    [("meta.yaml", META_PER_PLATFORM), ("recipe.yaml", RECIPE_PER_PLATFORM)],
)
def test_per_platform_sources(upstream: Upstream, feedstock, name, recipe) -> None:
    old = {"LINUX_SHA": "1" * 64, "OSX_SHA": "2" * 64, "WIN_SHA": "3" * 64}
    root = feedstock({f"recipe/{name}": _meta(recipe, upstream, **old)})
    upstream.pypi("tinypkg", {"1.0.0": False, "1.5.0": False})
    new = {
        os_: upstream.file(f"/dist/1.5.0/tinypkg-1.5.0-{os_}.tar.gz", make_tarball(os_, "1.5.0"))
        for os_ in ("linux", "osx", "win")
    }

    report = api.bump(root, upstream.options(), version="1.5.0")

    after = (root / f"recipe/{name}").read_text()
    assert len(report.downloads) == 3
    for os_ in ("linux", "osx", "win"):
        selector = f"  # [{os_}]" if name == "meta.yaml" else ""
        assert f"sha256: {new[os_]}{selector}\n" in after
    assert not any(value in after for value in old.values())
    for platform, os_ in (("win-64", "win"), ("osx-arm64", "osx"), ("linux-aarch64", "linux")):
        render = api.render(root, platforms=[platform]).platforms[0].renders[0]
        assert (render.version, render.sources[0].sha256) == ("1.5.0", new[os_])


def test_new_url_404_writes_nothing(upstream: Upstream, feedstock) -> None:
    root = feedstock(
        {
            "recipe/meta.yaml": _meta(
                META_TWO_SOURCES, upstream, DATA_SHA="b" * 64, FIXED_SHA="c" * 64
            )
        }
    )
    _pypi_release(upstream, {"1.0.0": False, "2.0.0": False}, "2.0.0")  # data tarball missing
    before = (root / "recipe/meta.yaml").read_bytes()

    with pytest.raises(
        BumpError,
        match=r"download failed, nothing written: .*v2\.0\.0\.tar\.gz: not found \(HTTP 404\)",
    ):
        api.bump(root, upstream.options())

    assert (root / "recipe/meta.yaml").read_bytes() == before


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_tarball_over_the_size_cap_is_refused(upstream: Upstream, feedstock, declared) -> None:
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)})
    upstream.pypi("tinypkg", {"1.0.0": False, "1.1.0": False})
    big = make_tarball("tinypkg", "1.1.0", size=200_000)
    path = "/packages/source/t/tinypkg/tinypkg-1.1.0.tar.gz"
    if declared:
        upstream.file(path, big)
    else:  # no Content-Length: the cap must hold while streaming
        chunks = [big[i : i + 1024] for i in range(0, len(big), 1024)]
        upstream.server.expect_request(path).respond_with_response(Response(iter(chunks)))
    before = (root / "recipe/meta.yaml").read_bytes()

    with pytest.raises(BumpError, match=r"(over the|larger than the) limit of 4096"):
        api.bump(root, upstream.options(max_bytes=4096))

    assert (root / "recipe/meta.yaml").read_bytes() == before


def test_pre_releases_and_yanked_ignored_unless_asked(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)})
    upstream.pypi("tinypkg", {"1.0.0": False, "1.1.0": False, "2.0.0rc1": False, "1.2.0": True})

    assert api.check_version(root, upstream.options()).newest == "1.1.0"
    with_pre = api.bump_options(urls={"pypi": upstream.base}, include_pre=True, environ={})
    assert api.check_version(root, with_pre).newest == "2.0.0rc1"


def test_bot_exclude_and_skip_honoured(upstream: Upstream, feedstock) -> None:
    cfyml = "bot:\n  version_updates:\n    exclude:\n      - 1.2.0\n"
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)}, cfyml)
    upstream.pypi("tinypkg", {"1.0.0": False, "1.1.0": False, "1.2.0": False})

    assert api.check_version(root, upstream.options()).newest == "1.1.0"

    (root / "conda-forge.yml").write_text("bot:\n  version_updates:\n    skip: true\n")
    skipped = api.check_version(root, upstream.options())
    assert (skipped.skipped, skipped.outdated) == ("bot.version_updates.skip", False)


def test_bot_sources_restricts_the_lookup(upstream: Upstream, feedstock) -> None:
    cfyml = "bot:\n  version_updates:\n    sources: [github]\n"
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)}, cfyml)

    with pytest.raises(BumpError, match=r"sources \(github\) allows none"):
        api.check_version(root, upstream.options())


def test_nothing_newer_writes_nothing(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)})
    upstream.pypi("tinypkg", {"0.9.0": False, "1.0.0": False})
    before = (root / "recipe/meta.yaml").read_bytes()

    report = api.bump(root, upstream.options())

    assert (report.target, report.written) == (None, False)
    assert (root / "recipe/meta.yaml").read_bytes() == before


def test_same_version_verifies_the_checksum(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)})
    upstream.file(
        "/packages/source/t/tinypkg/tinypkg-1.0.0.tar.gz", make_tarball("tinypkg", "1.0.0")
    )

    with pytest.raises(
        BumpError, match=r"checksum mismatch for .*tinypkg-1.0.0.tar.gz: recipe says a+"
    ):
        api.bump(root, upstream.options(), version="1.0.0")


def test_dry_run_downloads_but_writes_nothing(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)})
    new_sha = _pypi_release(upstream, {"1.0.0": False, "1.1.0": False}, "1.1.0")
    before = (root / "recipe/meta.yaml").read_bytes()

    report = api.bump(root, upstream.options(), dry_run=True)

    assert not report.written and (root / "recipe/meta.yaml").read_bytes() == before
    diff = api.recipe_diff(report)
    assert f"+  sha256: {new_sha}" in diff and '+{% set version = "1.1.0" %}' in diff


def test_offline_is_one_clear_error(feedstock) -> None:
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens there
    root = feedstock(
        {"recipe/meta.yaml": META_PYPI.replace("BASE", dead).replace("OLD_SHA", OLD_SHA)}
    )
    options = api.bump_options(urls={"pypi": "http://127.0.0.1:9"}, environ={}, timeout=2)
    from dataclasses import replace

    options = replace(options, http=replace(options.http, retries=0))
    with pytest.raises(
        BumpError, match=r"^error: http://127.0.0.1:9/pypi/tinypkg/json: cannot connect"
    ):
        api.check_version(root, options)


def test_bumped_feedstock_rerenders_and_lints_clean(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)})
    _pypi_release(upstream, {"1.0.0": False, "1.1.0": False}, "1.1.0")

    api.bump(root, upstream.options())
    rerendered = api.rerender(root, environ={})

    assert rerendered.out_of_date  # first rerender creates the CI files
    assert api.rerender(root, environ={}, mode="check").out_of_date is False
    result = api.lint([root], conda_forge=True)
    assert [f for f in result.findings if f.severity == "lint"] == []


def test_bumped_recipe_yaml_rerenders_and_lints_clean(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/recipe.yaml": _meta(RECIPE_GITHUB, upstream)})
    upstream.json("/repos/owner/tinypkg/releases", [{"tag_name": "v1.1.0"}])
    upstream.file(
        "/owner/tinypkg/archive/refs/tags/v1.1.0.tar.gz", make_tarball("tinypkg", "1.1.0")
    )

    api.bump(root, upstream.options())
    api.rerender(root, environ={})

    result = api.lint([root], conda_forge=True)
    assert [f for f in result.findings if f.severity == "lint"] == []
    assert api.render(root, platforms=["linux-64"]).platforms[0].renders[0].version == "1.1.0"


def test_a_failing_server_is_retried(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)})
    upstream.server.expect_ordered_request("/pypi/tinypkg/json").respond_with_data(
        "busy", status=503
    )
    upstream.server.expect_ordered_request("/pypi/tinypkg/json").respond_with_json(
        {"releases": {"1.3.0": [{"yanked": False}]}}
    )

    assert api.check_version(root, upstream.options(retries=2)).newest == "1.3.0"


def test_github_rate_limit_names_the_reset_time(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/recipe.yaml": _meta(RECIPE_GITHUB, upstream)})
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1900000000"}
    upstream.server.expect_request("/repos/owner/tinypkg/releases").respond_with_json(
        {"message": "API rate limit exceeded"}, status=403, headers=headers
    )

    with pytest.raises(
        BumpError, match=r"releases\?per_page=100: rate-limited until 2030-03-17 17:46:40 UTC"
    ):
        api.check_version(root, upstream.options())


def test_github_token_is_sent_to_the_api_only(upstream: Upstream, feedstock) -> None:
    root = feedstock({"recipe/recipe.yaml": _meta(RECIPE_GITHUB, upstream)})
    upstream.server.expect_request(
        "/repos/owner/tinypkg/releases", headers={"Authorization": "Bearer s3cret"}
    ).respond_with_json([{"tag_name": "v1.4.0"}])
    options = upstream.options()
    options = replace(options, http=replace(options.http, github_token="s3cret"))

    assert api.check_version(root, options).newest == "1.4.0"


def test_bot_rawurl_source_reads_a_service_url_generically(upstream: Upstream, feedstock) -> None:
    cfyml = "bot:\n  version_updates:\n    sources: [rawurl]\n"
    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)}, cfyml)
    upstream.file(
        "/packages/source/t/tinypkg/tinypkg-2.0.0.tar.gz", make_tarball("tinypkg", "2.0.0")
    )

    check = api.check_version(root, upstream.options())  # no PyPI answer is published

    assert (check.source.kind, check.newest) == ("url", "2.0.0")


def test_proxy_from_the_environment_is_used(upstream: Upstream, feedstock, monkeypatch) -> None:
    # The service's host does not exist: only a proxy that answers for it makes the lookup work.
    text = META_PYPI.replace("BASE", "http://pypi.invalid").replace("OLD_SHA", OLD_SHA)
    root = feedstock({"recipe/meta.yaml": text})
    upstream.pypi("tinypkg", {"1.0.0": False, "1.7.0": False})
    monkeypatch.setenv("HTTP_PROXY", upstream.base)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    options = api.bump_options(urls={"pypi": "http://pypi.invalid"}, environ={}, timeout=5)

    assert api.check_version(root, options).newest == "1.7.0"


def test_check_is_a_picklable_task_with_a_json_result(upstream: Upstream, feedstock) -> None:
    import json
    import pickle

    from smithy.bump.check import check_version
    from smithy.pinning.source import resolve_pinning

    root = feedstock({"recipe/meta.yaml": _meta(META_PYPI, upstream)})
    upstream.pypi("tinypkg", {"1.0.0": False, "1.1.0": False})
    options = replace(upstream.options(), resolved_pinning=resolve_pinning(None, {}))

    result = check_version(root, pickle.loads(pickle.dumps(options)))

    data = json.loads(json.dumps(result.to_json()))
    assert data == {
        "feedstock": str(root),
        "current": "1.0.0",
        "newest": "1.1.0",
        "outdated": True,
        "source": {
            "kind": "pypi",
            "name": "tinypkg",
            "url": f"{upstream.base}/packages/source/t/tinypkg/tinypkg-1.0.0.tar.gz",
        },
        "skipped": None,
    }
