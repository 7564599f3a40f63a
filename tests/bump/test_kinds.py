"""Source URLs are recognised offline, per service."""

from __future__ import annotations

import pytest

from smithy.bump.kinds import classify

V = "1.2.3"


@pytest.mark.parametrize(
    ("url", "kind", "name", "prefix"),
    [
        ("https://pypi.io/packages/source/f/foo-bar/foo_bar-1.2.3.tar.gz", "pypi", "foo-bar", ""),
        (
            "https://files.pythonhosted.org/packages/source/f/foo/foo-1.2.3.tar.gz",
            "pypi",
            "foo",
            "",
        ),
        ("https://files.pythonhosted.org/packages/ab/cd/ef01/foo-1.2.3.tar.gz", "pypi", "foo", ""),
        ("https://github.com/o/r/archive/refs/tags/v1.2.3.tar.gz", "github", "o/r", "v"),
        ("https://github.com/o/r/archive/1.2.3.zip", "github", "o/r", ""),
        ("https://github.com/o/r/releases/download/rel-1.2.3/r-1.2.3.tgz", "github", "o/r", "rel-"),
        ("https://crates.io/api/v1/crates/ripgrep/1.2.3/download", "crates", "ripgrep", ""),
        ("https://static.crates.io/crates/rg/rg-1.2.3.crate", "crates", "rg", ""),
        (
            "https://cran.r-project.org/src/contrib/data.table_1.2.3.tar.gz",
            "cran",
            "data.table",
            "",
        ),
        ("https://cloud.r-project.org/src/contrib/Archive/sf/sf_1.2.3.tar.gz", "cran", "sf", ""),
        ("https://registry.npmjs.org/left-pad/-/left-pad-1.2.3.tgz", "npm", "left-pad", ""),
        ("https://registry.npmjs.org/@scope/pkg/-/pkg-1.2.3.tgz", "npm", "@scope/pkg", ""),
        ("https://ftp.gnu.org/gnu/make/make-1.2.3.tar.gz", "url", "ftp.gnu.org", ""),
        ("https://github.com/o/r/releases/download/v1.2.3/r-1.2.3.tar.gz", "github", "o/r", "v"),
    ],
)
def test_classify(url: str, kind: str, name: str, prefix: str) -> None:
    ref = classify(url, V)
    assert (ref.kind, ref.name, ref.tag_prefix) == (kind, name, prefix)


def test_a_mirror_host_counts_as_its_service() -> None:
    url = "http://127.0.0.1:8080/packages/source/f/foo/foo-1.2.3.tar.gz"
    assert classify(url, V).kind == "url"
    assert classify(url, V, {"pypi": "127.0.0.1:8080"}).kind == "pypi"
