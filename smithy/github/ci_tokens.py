"""Where CI registration finds the tokens it stores, in the places conda-smithy users keep them.

conda-smithy keeps its tokens under ``~/.conda-smithy/``: ``anaconda.token`` for the upload
token and ``<owner>_<repo>.token`` for a feedstock token. smithy reads (and, for feedstock
tokens, writes) the same files, so a maintainer switching tools finds them where they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from smithy.github.actions_ci import FEEDSTOCK_TOKEN, STAGING_TOKEN, UPLOAD_TOKEN
from smithy.github.token import Secret, read_token_file


def token_folder(home: Path) -> Path:
    """conda-smithy's token folder, ``~/.conda-smithy``."""
    return home / ".conda-smithy"


def feedstock_token_path(home: Path, full_name: str) -> Path:
    """The feedstock token file of ``owner/repo``: ``~/.conda-smithy/<owner>_<repo>.token``."""
    owner, _, repo = full_name.partition("/")
    return token_folder(home) / f"{owner}_{repo}.token"


def _from_env_or_file(environ: Mapping[str, str], name: str, path: Path | None) -> Secret | None:
    value = environ.get(name, "").strip()
    if value:
        return Secret(value)
    if path is not None and path.exists():
        return read_token_file(path)
    return None


def ci_secrets(environ: Mapping[str, str], home: Path, full_name: str) -> dict[str, Secret]:
    """Return the secrets found for ``full_name``'s CI, by secret name.

    ``BINSTAR_TOKEN``: ``$BINSTAR_TOKEN``, else ``~/.conda-smithy/anaconda.token``.
    ``FEEDSTOCK_TOKEN``: ``$FEEDSTOCK_TOKEN``, else the feedstock's token file.
    ``STAGING_BINSTAR_TOKEN``: ``$STAGING_BINSTAR_TOKEN``. Token files must be mode 600.

    Raises:
        TokenError: a token file exists but is unusable (readable by others, empty...).
    """
    found = {
        UPLOAD_TOKEN: _from_env_or_file(
            environ, UPLOAD_TOKEN, token_folder(home) / "anaconda.token"
        ),
        FEEDSTOCK_TOKEN: _from_env_or_file(
            environ, FEEDSTOCK_TOKEN, feedstock_token_path(home, full_name)
        ),
        STAGING_TOKEN: _from_env_or_file(environ, STAGING_TOKEN, None),
    }
    return {name: value for name, value in found.items() if value is not None}
