"""crates.io, CRAN, npm and the plain-URL fallback, against a local server."""

from __future__ import annotations

import pytest

from smithy import api
from smithy.bump.errors import BumpError

from .conftest import OLD_SHA, Upstream, make_tarball
from .recipes import ABOUT


def _recipe(url: str, version: str = "1.0.0") -> str:
    return (
        f'{{% set version = "{version}" %}}\n\npackage:\n  name: thing\n'
        '  version: {{ version|replace("-", "_") }}\n\n'
        f"source:\n  url: {url}\n  sha256: {OLD_SHA}\n\nbuild:\n  number: 1\n" + ABOUT
    )


def test_crates_io(upstream: Upstream, feedstock) -> None:
    url = f"{upstream.base}/api/v1/crates/thing/{{{{ version }}}}/download"
    root = feedstock({"recipe/meta.yaml": _recipe(url)})
    upstream.json(
        "/api/v1/crates/thing",
        {"versions": [{"num": "1.4.0", "yanked": True}, {"num": "1.3.1", "yanked": False}]},
    )
    assert api.check_version(root, upstream.options()).newest == "1.3.1"


def test_cran(upstream: Upstream, feedstock) -> None:
    url = f"{upstream.base}/src/contrib/thing_{{{{ version }}}}.tar.gz"
    root = feedstock({"recipe/meta.yaml": _recipe(url, "1.2-9")})
    packages = "Package: other\nVersion: 9.9\n\nPackage: thing\nDepends: R\nVersion: 1.2-10\n\n"
    upstream.server.expect_request("/src/contrib/PACKAGES").respond_with_data(packages)
    new_sha = upstream.file("/src/contrib/thing_1.2-10.tar.gz", make_tarball("thing", "1.2-10"))

    report = api.bump(root, upstream.options())

    assert report.target == "1.2-10"
    assert new_sha in (root / "recipe/meta.yaml").read_text()


def test_npm_scoped(upstream: Upstream, feedstock) -> None:
    url = f"{upstream.base}/@scope/thing/-/thing-{{{{ version }}}}.tgz"
    root = feedstock({"recipe/meta.yaml": _recipe(url)})
    upstream.json("/@scope/thing", {"versions": {"1.0.0": {}, "1.1.0": {}, "2.0.0-next.1": {}}})
    assert api.check_version(root, upstream.options()).newest == "1.1.0"


def test_plain_url_lists_the_folder(upstream: Upstream, feedstock) -> None:
    url = f"{upstream.base}/pub/thing/thing-{{{{ version }}}}.tar.gz"
    root = feedstock({"recipe/meta.yaml": _recipe(url)})
    page = "".join(f'<a href="thing-{v}.tar.gz">x</a> ' for v in ("1.0.0", "1.10.0", "1.9.2"))
    upstream.server.expect_request("/pub/thing/").respond_with_data(page, content_type="text/html")
    check = api.check_version(root, upstream.options())
    assert (check.source.kind, check.newest) == ("url", "1.10.0")


def test_plain_url_probes_the_next_versions(upstream: Upstream, feedstock) -> None:
    url = f"{upstream.base}/pub/thing/thing-{{{{ version }}}}.tar.gz"
    root = feedstock({"recipe/meta.yaml": _recipe(url)})
    upstream.file("/pub/thing/thing-1.1.0.tar.gz", make_tarball("thing", "1.1.0"))
    upstream.file("/pub/thing/thing-1.0.1.tar.gz", make_tarball("thing", "1.0.1"))
    assert api.check_version(root, upstream.options()).newest == "1.1.0"


def test_bad_service_address_is_refused() -> None:
    with pytest.raises(BumpError, match="--pypi-url: expected an http"):
        api.bump_options(urls={"pypi": "ftp://mirror"}, environ={})


def test_service_address_from_the_environment() -> None:
    options = api.bump_options(
        environ={"SMITHY_CRAN_URL": "https://cran.example/", "GH_TOKEN": "t"}
    )
    assert options.endpoints.cran == "https://cran.example"
    assert options.http.github_token == "t"
