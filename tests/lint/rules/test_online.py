"""SMY910-SMY912: the --online rules, against a fake GitHub and a loopback hints server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from smithy.lint import online
from smithy.lint.context import LintOptions
from smithy.lint.engine import LintResult, lint_paths
from tests.github.fake_github import unused_url
from tests.github.fixtures import TOKEN, fake_github  # noqa: F401  (fixture)
from tests.lint.helpers import PINNING, write_feedstock
from tests.lint.hints_server import HINTS_PATH, hints_server  # noqa: F401  (fixture)
from tests.lint.recipes import V0, V1, edit, line_of
from tests.lint.rules.cases import Case, case_id

OWNERS = "    - someone\n"
V0_MISSING = edit(V0, OWNERS, "    - alice\n    - ghost\n")
V1_ORG = edit(V1, OWNERS, "    - bob\n    - conda-forge\n")
V0_PEOPLE = edit(V0, OWNERS, "    - alice\n    - bob\n")
V1_TEAM = edit(V1, OWNERS, "    - alice\n    - conda-forge/core-devs\n")
V0_MPL = edit(V0, "    - zlib >=1.3\n", "    - zlib >=1.3\n    - matplotlib >=3.8  # [linux]\n")
V1_JPEG = edit(V1, "    - zlib\n  run:", "    - if: unix\n      then: jpeg\n  run:")
V0_MPL_BASE = edit(V0, "    - zlib >=1.3\n", "    - zlib >=1.3\n    - matplotlib-base\n")

# A case labelled "offline" is linted against a port nobody listens on.
CASES = [
    Case("SMY910", V0_MISSING, (line_of(V0_MISSING, "- ghost"),), conda_forge=True),
    Case("SMY910", V1_ORG, (line_of(V1_ORG, "- conda-forge"),), "recipe.yaml", conda_forge=True),
    Case("SMY910", V0_PEOPLE, (), conda_forge=True),
    Case("SMY910", V1_TEAM, (), "recipe.yaml", conda_forge=True),
    Case("SMY911", V0_MPL, (line_of(V0_MPL, "matplotlib"),), conda_forge=True),
    Case("SMY911", V1_JPEG, (line_of(V1_JPEG, "then: jpeg"),), "recipe.yaml", conda_forge=True),
    Case("SMY911", V0_MPL_BASE, (), conda_forge=True),
    Case(
        "SMY912",
        V0_PEOPLE,
        (line_of(V0_PEOPLE, "- alice"), line_of(V0_PEOPLE, "- bob")),
        conda_forge=True,
        label="offline",
    ),
    Case(
        "SMY912",
        V1_TEAM,
        (line_of(V1_TEAM, "- alice"), line_of(V1_TEAM, "- conda-forge/")),
        "recipe.yaml",
        conda_forge=True,
        label="offline",
    ),
    Case("SMY912", V1_TEAM, (), "recipe.yaml", conda_forge=True),
]


@pytest.fixture(autouse=True)
def instant_retries(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(online, "SLEEP", waited.append)
    return waited


@pytest.fixture
def github(fake_github):  # noqa: F811
    fake_github.state.add_team("conda-forge", "Core Devs")
    return fake_github


def _options(github_url: str, pinning_url: str, **kw) -> LintOptions:
    kw.setdefault("environ", {"GITHUB_TOKEN": TOKEN})
    kw.setdefault("online", True)
    kw.setdefault("conda_forge", True)
    return LintOptions(pinning=PINNING, github_url=github_url, pinning_url=pinning_url, **kw)


def _lint(roots: list[Path], options: LintOptions, select: str = "SMY91") -> LintResult:
    return lint_paths(roots, select=[select], options=options)


def _found(result: LintResult) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.line, f.column, f.message) for f in result.findings]


def _user_requests(fake) -> list[str]:
    return [path for _, path in fake.state.requests if "/users/" in path]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule(tmp_path, github, hints_server, case: Case) -> None:  # noqa: F811
    root = write_feedstock(tmp_path / "feed", case.recipe, case.fmt, dict(case.files))
    url = unused_url() if case.label == "offline" else github.url
    result = _lint([root], _options(url, hints_server.pinning_url), case.code)
    found = sorted((f.code, f.line) for f in result.findings)
    assert found == sorted((case.code, line) for line in case.lines)


def test_each_bad_entry_is_reported_on_its_line(tmp_path, github, hints_server) -> None:  # noqa: F811
    people = "    - alice\n    - ghost\n    - conda-forge\n    - conda-forge/nope\n"
    recipe = edit(V0, OWNERS, people + "    - conda-forge/core-devs\n")
    root = write_feedstock(tmp_path / "feed", recipe)
    result = _lint([root], _options(github.url, hints_server.pinning_url))
    assert _found(result) == [
        ("SMY910", line_of(recipe, "ghost"), 7, "maintainer 'ghost' is not a GitHub user"),
        (
            "SMY910",
            line_of(recipe, "- conda-forge"),
            7,
            "maintainer 'conda-forge' is an organisation, not a person",
        ),
        (
            "SMY910",
            line_of(recipe, "nope"),
            7,
            "maintainer team 'conda-forge/nope' does not exist",
        ),
    ]
    assert result.failed()  # CF-001 is a lint: the check fails


def test_anonymous_checks_users_and_trusts_teams(tmp_path, github, hints_server) -> None:  # noqa: F811
    recipe = edit(V1, OWNERS, "    - ghost\n    - conda-forge/nope\n")
    root = write_feedstock(tmp_path / "feed", recipe, "recipe.yaml")
    result = _lint([root], _options(github.url, hints_server.pinning_url, environ={}))
    assert [(f.code, f.line) for f in result.findings] == [("SMY910", line_of(recipe, "ghost"))]
    assert not any("/teams" in path for _, path in github.state.requests)


def test_one_lookup_per_name_for_the_whole_run(tmp_path, github, hints_server) -> None:  # noqa: F811
    roots = [
        write_feedstock(tmp_path / name, edit(V0, OWNERS, "    - alice\n    - Bob\n"))
        for name in ("a", "b", "c")
    ]
    result = _lint(roots, _options(github.url, hints_server.pinning_url))
    assert result.findings == ()
    assert sorted(_user_requests(github)) == ["/api/v3/users/Bob", "/api/v3/users/alice"]


def test_exhausted_rate_limit_is_inconclusive_and_stops_asking(
    tmp_path,
    github,
    hints_server,  # noqa: F811
    instant_retries,
) -> None:
    reset = str(int(time.time()) + 3600)
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    github.state.fail("GET", "^/users/", 403, "API rate limit exceeded", headers, times=99)
    roots = [write_feedstock(tmp_path / n, V0_MISSING) for n in ("a", "b")]
    result = _lint(roots, _options(github.url, hints_server.pinning_url))
    assert {f.code for f in result.findings} == {"SMY912"}
    assert len(result.findings) == 4  # alice and ghost, in both recipes
    assert result.findings[1].message == (
        "could not check maintainer 'ghost': github rate limit exceeded and resets in about "
        "60 min; try again later"
    )
    assert result.failed()
    assert len(_user_requests(github)) == 1  # waiting an hour is not an option
    assert instant_retries == []


def test_server_errors_are_retried_then_inconclusive(
    tmp_path,
    github,
    hints_server,  # noqa: F811
    instant_retries,
) -> None:
    github.state.fail("GET", "^/users/", 502, "Bad Gateway", times=99)
    root = write_feedstock(tmp_path / "feed", V0_MISSING)
    result = _lint([root], _options(github.url, hints_server.pinning_url))
    assert [f.code for f in result.findings] == ["SMY912", "SMY912"]
    assert instant_retries == [1.0, 2.0, 4.0]


def test_transient_error_recovers_within_retries(tmp_path, github, hints_server) -> None:  # noqa: F811
    github.state.fail("GET", "^/users/", 503, "Unavailable", times=1)
    root = write_feedstock(tmp_path / "feed", V0_MISSING)
    result = _lint([root], _options(github.url, hints_server.pinning_url))
    assert [(f.code, f.line) for f in result.findings] == [("SMY910", line_of(V0_MISSING, "ghost"))]


def test_network_down_is_inconclusive(tmp_path, github, hints_server) -> None:  # noqa: F811
    github.stop()
    root = write_feedstock(tmp_path / "feed", V0_MISSING)
    result = _lint([root], _options(github.url, hints_server.pinning_url))
    assert [f.code for f in result.findings] == ["SMY912", "SMY912"]
    assert "cannot reach 127.0.0.1" in result.findings[0].message


def test_rejected_token_is_inconclusive_and_never_shown(tmp_path, github, hints_server) -> None:  # noqa: F811
    root = write_feedstock(tmp_path / "feed", V0_MISSING)
    secret = "ghp_wrongTokenNobodyKnows0123456789"
    options = _options(github.url, hints_server.pinning_url, environ={"GH_TOKEN": secret})
    result = _lint([root], options)
    assert [f.code for f in result.findings] == ["SMY912", "SMY912"]
    assert "rejected the token" in result.findings[0].message
    assert secret not in repr(result) + repr(options)


def test_nothing_is_fetched_without_online(tmp_path, github, hints_server) -> None:  # noqa: F811
    root = write_feedstock(tmp_path / "feed", V0_MPL.replace("- someone", "- ghost"))
    for conda_forge, online_flag in ((True, False), (False, True)):
        options = _options(
            github.url, hints_server.pinning_url, conda_forge=conda_forge, online=online_flag
        )
        assert _lint([root], options, "SMY").findings == ()
    assert github.state.requests == []
    assert hints_server.requests == []


def test_hints_are_fetched_once_per_run(tmp_path, github, hints_server) -> None:  # noqa: F811
    roots = [write_feedstock(tmp_path / n, V0_MPL) for n in ("a", "b")]
    result = _lint(roots, _options(github.url, hints_server.pinning_url), "SMY911")
    assert [f.path.split("/")[-3] for f in result.findings] == ["a", "b"]
    message = result.findings[0].message
    assert message.startswith("matplotlib: Recipes should usually depend on `matplotlib-base`")
    assert "\n" not in message and "  " not in message
    assert result.findings[0].column == 7
    assert not result.failed() and result.failed(strict=True)  # a hint
    assert len(hints_server.requests) == 1


@pytest.mark.parametrize(
    "served",
    [None, (404, b"Not Found"), (500, b"oops"), (200, b"[hints\nbroken"), (200, b"\xff\xfe")],
    ids=["unreachable", "404", "500", "bad-toml", "not-utf8"],
)
def test_unusable_hints_give_no_finding(tmp_path, github, hints_server, served) -> None:  # noqa: F811
    root = write_feedstock(tmp_path / "feed", V0_MPL)
    url = unused_url() if served is None else hints_server.pinning_url
    if served is not None:
        hints_server.files = {HINTS_PATH: served}
    result = _lint([root], _options(github.url, url), "SMY911")
    assert result.findings == ()


def test_parse_hints_folds_advice_and_skips_non_text() -> None:
    text = '[hints]\nFoo = """\\\n    a \\\n    b"""\nbar = 1\n[other]\nx = "y"\n'
    assert online.parse_hints(text) == {"foo": "a b"}
    assert online.parse_hints("[other]\n") == {}


def test_proxies_come_from_the_given_environment() -> None:
    env = {"HTTPS_PROXY": "http://proxy:3128", "no_proxy": ".internal,example.org"}
    assert online.proxies_for("https://raw.example.com/x", env) == {"https": "http://proxy:3128"}
    assert online.proxies_for("https://a.internal/x", env) == {}
    assert online.proxies_for("https://example.org/x", env) == {}
    assert online.proxies_for("http://127.0.0.1:9/x", env) == {}


def test_anonymous_teams_stay_trusted_after_a_failure(tmp_path, github, hints_server) -> None:  # noqa: F811
    github.state.fail("GET", "^/users/", 502, "Bad Gateway", times=99)
    recipe = edit(V0, OWNERS, "    - ghost\n    - conda-forge/core-devs\n    - alice\n")
    root = write_feedstock(tmp_path / "feed", recipe)
    result = _lint([root], _options(github.url, hints_server.pinning_url, environ={}))
    assert [(f.code, f.line) for f in result.findings] == [
        ("SMY912", line_of(recipe, "ghost")),
        ("SMY912", line_of(recipe, "alice")),
    ]


def test_malformed_names_are_never_sent(tmp_path, github, hints_server) -> None:  # noqa: F811
    recipe = edit(V0, OWNERS, '    - "../orgs/conda-forge"\n    - "bad name?"\n    - alice\n')
    root = write_feedstock(tmp_path / "feed", recipe)
    result = _lint([root], _options(github.url, hints_server.pinning_url))
    assert [(f.line, f.message) for f in result.findings] == [
        (line_of(recipe, "../orgs"), "maintainer team '../orgs/conda-forge' does not exist"),
        (line_of(recipe, "bad name"), "maintainer 'bad name?' is not a GitHub user"),
    ]
    assert _user_requests(github) == ["/api/v3/users/alice"]
    assert not any("orgs" in path for _, path in github.state.requests)
