"""In-memory state of the fake GitHub: accounts, repositories (bare git repos), teams, failures."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nacl.public import PrivateKey

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Fake GitHub",
    "GIT_AUTHOR_EMAIL": "fake@github.invalid",
    "GIT_COMMITTER_NAME": "Fake GitHub",
    "GIT_COMMITTER_EMAIL": "fake@github.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(args: list[str], cwd: Path | None = None, stdin: bytes | None = None, **env: str) -> str:
    """Run git with a fixed identity and no user configuration; return stdout."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env={**os.environ, **GIT_ENV, **env},
        check=True,
    )
    return done.stdout.decode("utf-8").strip()


@dataclass
class Account:
    """A user or an organisation."""

    login: str
    id: int
    type: str = "User"  # or "Organization"
    members: dict[str, str] = field(default_factory=dict)  # org only: login -> admin|member


@dataclass
class FakeRepo:
    """A repository; its git data lives in a bare repository on disk."""

    id: int
    owner: Account
    name: str
    git_dir: Path
    private: bool = False
    description: str = ""
    default_branch: str = "main"
    collaborators: dict[str, str] = field(default_factory=dict)  # login -> permission
    invitations: dict[str, str] = field(default_factory=dict)  # login -> permission
    rulesets: dict[int, dict[str, Any]] = field(default_factory=dict)
    actions_enabled: bool = False
    # Actions secrets as GitHub keeps them: name -> {encrypted_value, key_id, ...}; the private
    # key stays here so tests can decrypt what a client stored.
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    secret_key: PrivateKey = field(default_factory=PrivateKey.generate)

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    def head(self) -> str | None:
        try:
            return git(
                ["rev-parse", "--verify", "-q", f"refs/heads/{self.default_branch}"], self.git_dir
            )
        except subprocess.CalledProcessError:
            return None

    def has_commit(self, sha: str) -> bool:
        if not re.fullmatch(r"[0-9a-f]{4,40}", sha):
            return False
        try:
            git(["cat-file", "-e", f"{sha}^{{commit}}"], self.git_dir)
        except subprocess.CalledProcessError:
            return False
        return True

    def tree(self, path: str = "") -> list[tuple[str, str, str, int]]:
        """Return (type, name, sha, size) below ``path`` on the default branch."""
        spec = f"{self.default_branch}:{path}" if path else self.default_branch
        out = git(["ls-tree", "-l", spec], self.git_dir)
        entries = []
        for line in out.splitlines():
            meta, name = line.split("\t", 1)
            _, kind, sha, size = meta.split()
            entries.append(
                ("dir" if kind == "tree" else "file", name, sha, int(size) if size != "-" else 0)
            )
        return entries

    def read(self, path: str) -> bytes:
        done = subprocess.run(
            ["git", "cat-file", "blob", f"{self.default_branch}:{path}"],
            cwd=self.git_dir,
            capture_output=True,
            check=True,
        )
        return done.stdout

    def write(self, path: str, content: bytes, message: str) -> tuple[str, str]:
        """Commit ``content`` at ``path`` on the default branch; return (blob sha, commit sha)."""
        index = self.git_dir / "fake-index"
        env = {"GIT_INDEX_FILE": str(index)}
        parent = self.head()
        try:
            if parent:
                git(["read-tree", parent], self.git_dir, **env)
            blob = git(["hash-object", "-w", "--stdin"], self.git_dir, stdin=content)
            git(
                ["update-index", "--add", "--cacheinfo", f"100644,{blob},{path}"],
                self.git_dir,
                **env,
            )
            tree = git(["write-tree"], self.git_dir, **env)
        finally:
            index.unlink(missing_ok=True)
        parents = ["-p", parent] if parent else []
        commit = git(["commit-tree", tree, *parents, "-m", message], self.git_dir)
        git(["update-ref", f"refs/heads/{self.default_branch}", commit], self.git_dir)
        return blob, commit


@dataclass
class FakeTeam:
    """An organisation team."""

    id: int
    org: Account
    name: str
    slug: str
    description: str = ""
    privacy: str = "secret"
    members: dict[str, str] = field(default_factory=dict)  # login -> active|pending
    repos: dict[str, str] = field(default_factory=dict)  # lower full name -> permission


@dataclass
class Failure:
    """A canned error answer for matching requests, served ``times`` times."""

    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]
    times: int


class FakeState:
    """Everything the fake server knows; tests read and seed it directly."""

    def __init__(self, git_root: Path) -> None:
        self.lock = threading.RLock()
        self.git_root = git_root
        self.accounts: dict[str, Account] = {}
        self.tokens: dict[str, str] = {}  # token -> login
        self.repos: dict[str, FakeRepo] = {}  # lower full name -> repo
        self.teams: dict[tuple[str, str], FakeTeam] = {}  # (lower org, slug) -> team
        self.requests: list[tuple[str, str]] = []
        self.failures: list[Failure] = []
        self._ids = itertools.count(1001)

    def next_id(self) -> int:
        return next(self._ids)

    def add_user(self, login: str, token: str | None = None) -> Account:
        user = Account(login, self.next_id())
        self.accounts[login.lower()] = user
        if token:
            self.tokens[token] = login
        return user

    def add_org(
        self, login: str, admins: tuple[str, ...] = (), members: tuple[str, ...] = ()
    ) -> Account:
        roles = {m.lower(): "member" for m in members} | {a.lower(): "admin" for a in admins}
        org = Account(login, self.next_id(), type="Organization", members=roles)
        self.accounts[login.lower()] = org
        return org

    def add_repo(
        self, owner: str, name: str, files: dict[str, str] | None = None, **kw: Any
    ) -> FakeRepo:
        account = self.accounts[owner.lower()]
        git_dir = self.git_root / account.login / f"{name}.git"
        git_dir.parent.mkdir(parents=True, exist_ok=True)
        git(["init", "--bare", "-q", "-b", "main", str(git_dir)])
        repo = FakeRepo(self.next_id(), account, name, git_dir, **kw)
        self.repos[repo.full_name.lower()] = repo
        for path, text in sorted((files or {}).items()):
            repo.write(path, text.encode("utf-8"), f"add {path}")
        return repo

    def add_team(self, org: str, name: str, members: tuple[str, ...] = ()) -> FakeTeam:
        account = self.accounts[org.lower()]
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        team = FakeTeam(
            self.next_id(), account, name, slug, members={m.lower(): "active" for m in members}
        )
        self.teams[(org.lower(), slug)] = team
        return team

    def repo(self, full_name: str) -> FakeRepo:
        return self.repos[full_name.lower()]

    def team(self, org: str, slug: str) -> FakeTeam:
        return self.teams[(org.lower(), slug)]

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` and a GitHub error body."""
        body = {
            "message": message,
            "documentation_url": "https://docs.github.com/rest",
            "status": str(status),
        }
        self.failures.append(
            Failure(method.upper(), re.compile(path_regex), status, body, headers or {}, times)
        )

    def answer(
        self,
        method: str,
        path_regex: str,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` matching requests with any ``status``, body and headers."""
        self.failures.append(
            Failure(method.upper(), re.compile(path_regex), status, body, headers or {}, times)
        )

    def take_failure(self, method: str, path: str) -> Failure | None:
        with self.lock:
            for failure in self.failures:
                if (
                    failure.times > 0
                    and failure.method in (method, "*")
                    and failure.pattern.search(path)
                ):
                    failure.times -= 1
                    return failure
        return None

    def writes(self) -> list[tuple[str, str]]:
        """The requests that could change something (anything but GET)."""
        return [(m, p) for m, p in self.requests if m != "GET"]
