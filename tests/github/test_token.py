"""Token lookup: environment order, private token files, and a secret that never shows."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smithy.github.errors import TokenError
from smithy.github.token import Secret, resolve_token


def test_environment_order() -> None:
    both = {"GITHUB_TOKEN": "first", "GH_TOKEN": "second"}
    assert resolve_token(both).reveal() == "first"
    assert resolve_token({"GITHUB_TOKEN": " ", "GH_TOKEN": "second"}).reveal() == "second"


def test_missing_token() -> None:
    with pytest.raises(TokenError, match="no GitHub token"):
        resolve_token({})
    assert resolve_token({}, required=False) is None


def test_file_wins_over_environment(tmp_path) -> None:
    path = tmp_path / "t"
    path.write_text("from-file\n")
    path.chmod(0o600)
    assert resolve_token({"GITHUB_TOKEN": "env"}, path).reveal() == "from-file"


@pytest.mark.parametrize(
    ("mode", "text", "message"),
    [
        (0o640, "tok", "readable by others (mode 640)"),
        (0o604, "tok", "readable by others (mode 604)"),
        (0o600, "  \n", "token file is empty"),
        (0o600, "two words", "one token on one line"),
    ],
)
def test_bad_files(tmp_path, mode: int, text: str, message: str) -> None:
    path = tmp_path / "t"
    path.write_text(text)
    path.chmod(mode)
    with pytest.raises(TokenError, match=re.escape(message)) as info:
        resolve_token({}, path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_conda_smithy_token_file_is_the_last_resort(tmp_path) -> None:
    stored = tmp_path / ".conda-smithy" / "github.token"
    assert resolve_token({}, home=tmp_path, required=False) is None
    stored.parent.mkdir()
    stored.write_text("from-home\n")
    stored.chmod(0o600)
    assert resolve_token({}, home=tmp_path).reveal() == "from-home"
    assert resolve_token({"GH_TOKEN": "env"}, home=tmp_path).reveal() == "env"
    stored.chmod(0o644)
    with pytest.raises(TokenError, match=r"readable by others \(mode 644\)"):
        resolve_token({}, home=tmp_path)


def test_missing_file(tmp_path) -> None:
    with pytest.raises(TokenError, match="token file not found"):
        resolve_token({}, tmp_path / "absent")


def test_secret_never_shows() -> None:
    secret = Secret("ghp_abc")
    shown = [str(secret), repr(secret), f"{secret}", f"{secret!r}", f"{secret}"]
    assert all("ghp_abc" not in text for text in shown)
    assert secret.scrub("x ghp_abc y ghp_abc") == "x *** y ***"
    with pytest.raises(TypeError):
        __import__("pickle").dumps(secret)


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=80))
def test_any_token_file_gives_a_token_or_a_token_error(tmp_path, content: bytes) -> None:
    path = tmp_path / "t"
    path.write_bytes(content)
    path.chmod(0o600)
    try:
        secret = resolve_token({}, path)
    except TokenError as exc:
        assert "\n" not in str(exc)
        return
    assert secret is not None and secret.reveal() and secret.reveal().strip() == secret.reveal()
