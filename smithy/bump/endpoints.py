"""Where each upstream service answers: public defaults, overridable for mirrors and tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from smithy.bump.errors import BumpError

# The environment variable that overrides each service address.
ENV_VARS = {
    "pypi": "SMITHY_PYPI_URL",
    "github": "SMITHY_GITHUB_URL",
    "crates": "SMITHY_CRATES_URL",
    "cran": "SMITHY_CRAN_URL",
    "npm": "SMITHY_NPM_URL",
}


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The service addresses version lookups use.

    Attributes:
        pypi: PyPI (``/pypi/<name>/json``).
        github: GitHub's REST API (GitHub Enterprise: ``https://host/api/v3``).
        crates: crates.io (``/api/v1/crates/<name>``).
        cran: a CRAN mirror (``/src/contrib/PACKAGES``).
        npm: the npm registry (``/<name>``).
    """

    pypi: str = "https://pypi.org"
    github: str = "https://api.github.com"
    crates: str = "https://crates.io"
    cran: str = "https://cran.r-project.org"
    npm: str = "https://registry.npmjs.org"

    def netlocs(self) -> dict[str, str]:
        """Return ``{kind: host[:port]}`` of every address (source URLs there are recognised)."""
        return {item.name: urlsplit(getattr(self, item.name)).netloc for item in fields(self)}


def _checked(kind: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BumpError(f"--{kind}-url: expected an http(s) address, got '{url}'")
    return url.rstrip("/")


def resolve_endpoints(options: Mapping[str, str | None], environ: Mapping[str, str]) -> Endpoints:
    """Return the addresses: a command-line value first, then its environment variable.

    Raises:
        BumpError: an address that is not an http(s) URL.
    """
    defaults = Endpoints()
    values: dict[str, str] = {}
    for kind, variable in ENV_VARS.items():
        given = options.get(kind) or environ.get(variable)
        values[kind] = _checked(kind, given) if given else getattr(defaults, kind)
    return Endpoints(**values)
