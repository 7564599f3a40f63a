"""Structural checks of smithy's embedded default pinning in ci_support/."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from smithy.platforms import MAIN_PLATFORMS, platform_names
from smithy.resources import default_pinning_dir

PINNING_DIR = default_pinning_dir()
CBC_PATH = PINNING_DIR / "conda_build_config.yaml"
LINUX_BUILD_PLATFORMS = {
    "linux-64": "x86_64",
    "linux-aarch64": "aarch64",
    "linux-ppc64le": "ppc64le",
}
IMAGE_FAMILIES = ("cos7", "alma8", "alma9", "alma10")
# Platforms checked beyond the main six because the file has selectors written for them.
EXTRA_PLATFORMS = ("win-arm64", "linux-riscv64", "linux-armv7l")


@dataclass(frozen=True, slots=True)
class Job:
    """One platform and environment a selector is evaluated for."""

    platform: str
    cuda: bool = False
    linux_version: str | None = None

    def name(self, key: str) -> bool:
        return platform_names(self.platform)[key]

    def env(self, key: str, default: str = "") -> str:
        values = {"BUILD_PLATFORM": self.platform, "CF_CUDA_ENABLED": str(self.cuda)}
        if self.linux_version is not None:
            values["DEFAULT_LINUX_VERSION"] = self.linux_version
        return values.get(key, default)


Selector = Callable[[Job], bool]
_CUDA = 'os.environ.get("CF_CUDA_ENABLED", "False") == "True"'


def _cuda_on(job: Job) -> bool:
    return job.env("CF_CUDA_ENABLED", "False") == "True"


def _linux_cuda_arch(job: Job) -> bool:
    return job.name("linux") and (job.name("x86_64") or job.name("aarch64"))


def _image_selectors() -> dict[str, Selector]:
    """The docker_image lines: one selector per linux build platform and image family."""
    selectors: dict[str, Selector] = {}
    for build_platform in LINUX_BUILD_PLATFORMS:
        for family in IMAGE_FAMILIES:
            wanted = '("alma8", "ubi8")' if family == "alma8" else f'"{family}"'
            operator = "in" if family == "alma8" else "=="
            text = (
                f'os.environ.get("BUILD_PLATFORM") == "{build_platform}" and '
                f'os.environ.get("DEFAULT_LINUX_VERSION", "alma10") {operator} {wanted}'
            )
            families = ("alma8", "ubi8") if family == "alma8" else (family,)

            def select(
                job: Job, bp: str = build_platform, fams: tuple[str, ...] = families
            ) -> bool:
                return (
                    job.env("BUILD_PLATFORM") == bp
                    and job.env("DEFAULT_LINUX_VERSION", "alma10") in fams
                )

            selectors[text] = select
    return selectors


# Every selector form the file may use, each with its meaning; anything else fails the tests.
SELECTORS: dict[str, Selector] = {
    "linux": lambda j: j.name("linux"),
    "osx": lambda j: j.name("osx"),
    "win": lambda j: j.name("win"),
    "unix": lambda j: j.name("unix"),
    "win64": lambda j: j.name("win64"),
    "x86_64": lambda j: j.name("x86_64"),
    "ppc64le": lambda j: j.name("ppc64le"),
    "armv7l": lambda j: j.name("armv7l"),
    "not osx": lambda j: not j.name("osx"),
    "not ppc64le": lambda j: not j.name("ppc64le"),
    "unix or win64": lambda j: j.name("unix") or j.name("win64"),
    "arm64 or aarch64": lambda j: j.name("arm64") or j.name("aarch64"),
    "x86 or x86_64": lambda j: j.name("x86") or j.name("x86_64"),
    "osx and x86_64": lambda j: j.name("osx") and j.name("x86_64"),
    "osx and arm64": lambda j: j.name("osx") and j.name("arm64"),
    "linux and riscv64": lambda j: j.name("linux") and j.name("riscv64"),
    "linux and not riscv64": lambda j: j.name("linux") and not j.name("riscv64"),
    "win and arm64": lambda j: j.name("win") and j.name("arm64"),
    "not (win and arm64)": lambda j: not (j.name("win") and j.name("arm64")),
    "((linux and (x86_64 or aarch64)) or win64)": lambda j: _linux_cuda_arch(j) or j.name("win64"),
    "not ((linux and (x86_64 or aarch64)) or win64)": (
        lambda j: not (_linux_cuda_arch(j) or j.name("win64"))
    ),
    f"linux and {_CUDA}": lambda j: j.name("linux") and _cuda_on(j),
    f"aarch64 and {_CUDA}": lambda j: j.name("aarch64") and _cuda_on(j),
    f"linux and (x86_64 or aarch64) and {_CUDA}": lambda j: _linux_cuda_arch(j) and _cuda_on(j),
    f"((linux and (x86_64 or aarch64)) or win64) and {_CUDA}": (
        lambda j: (_linux_cuda_arch(j) or j.name("win64")) and _cuda_on(j)
    ),
    'os.environ.get("BUILD_PLATFORM", "").startswith("linux-")': (
        lambda j: j.env("BUILD_PLATFORM").startswith("linux-")
    ),
    **_image_selectors(),
}
_SELECTOR_LINE = re.compile(r"^(?P<body>.*?)\s*#\s*\[(?P<selector>[^\[\]]+)\]\s*$")


def select_lines(text: str, job: Job) -> str:
    """Keep or drop each selector line for ``job``; fail on unknown selectors and orphans.

    An orphan is a kept line nested under a dropped line: YAML would silently attach it to
    the key above, so the file must drop a key's values together with the key.
    """
    kept: list[str] = []
    dropped_indent: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if dropped_indent is not None and indent <= dropped_indent:
            dropped_indent = None
        match = _SELECTOR_LINE.match(line)
        if match is None:
            body = line
        else:
            selector = match.group("selector").strip()
            assert selector in SELECTORS, f"line {number}: unknown selector {selector!r}"
            if not SELECTORS[selector](job):
                if dropped_indent is None:
                    dropped_indent = indent
                continue
            body = match.group("body")
        assert dropped_indent is None, f"line {number} survives its dropped parent for {job}"
        kept.append(body)
    return "\n".join(kept) + "\n"


@cache
def load(path: Path, job: Job) -> Any:
    """Parse ``path`` for one job, after selection."""
    return YAML(typ="safe").load(select_lines(path.read_text(encoding="utf-8"), job))


def load_key(path: Path, job: Job, key: str) -> Any:
    """Parse only ``key``'s block of ``path`` for one job: a full parse costs ~60 ms here."""
    lines = select_lines(path.read_text(encoding="utf-8"), job).splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if not lines[i][:1].isspace()), len(lines))
    return YAML(typ="safe").load("\n".join(lines[start:end]))[key]


def jobs() -> list[Job]:
    """Every platform the file is written for, with CUDA on and off."""
    return [Job(p, cuda) for p in (*MAIN_PLATFORMS, *EXTRA_PLATFORMS) for cuda in (False, True)]


def job_id(job: Job) -> str:
    return f"{job.platform}-{'cuda' if job.cuda else 'cpu'}"


def test_version_file_is_one_dated_line() -> None:
    version = (PINNING_DIR / "VERSION").read_text(encoding="utf-8")
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2}-smithy\d+\n", version)
    assert version.strip() in CBC_PATH.read_text(encoding="utf-8").splitlines()[1]


@pytest.mark.parametrize("job", jobs(), ids=job_id)
def test_zip_groups_exist_and_have_equal_lengths(job: Job) -> None:
    config = load(CBC_PATH, job)
    assert config["zip_keys"], "no zip_keys left"
    for group in config["zip_keys"]:
        assert len(group) >= 2, f"zip group {group} has fewer than two keys"
        missing = [key for key in group if key not in config]
        assert not missing, f"zip group {group} names undefined keys {missing}"
        lengths = {key: len(config[key]) for key in group}
        assert len(set(lengths.values())) == 1, f"zip group lengths differ: {lengths}"


@pytest.mark.parametrize("job", jobs(), ids=job_id)
def test_every_kept_key_keeps_a_value(job: Job) -> None:
    config = load(CBC_PATH, job)
    for key, values in config.items():
        if key in ("zip_keys", "pin_run_as_build") or not isinstance(values, list):
            continue
        assert values, f"{key} has no value left on {job.platform}"
        assert all(value is not None for value in values), f"{key} has an empty value"


def test_zip_group_membership_is_the_same_on_every_unix_platform() -> None:
    groups = {tuple(g[0] for g in load(CBC_PATH, Job(p))["zip_keys"]) for p in MAIN_PLATFORMS}
    assert groups == {
        ("c_compiler_version", "python", "libarrow", "root_base"),
        ("python", "libarrow", "root_base"),
    }


@pytest.mark.parametrize("platform", list(LINUX_BUILD_PLATFORMS))
@pytest.mark.parametrize("family", [*IMAGE_FAMILIES, "ubi8", None])
def test_docker_image_per_platform_and_family(platform: str, family: str | None) -> None:
    images = load_key(CBC_PATH, Job(platform, linux_version=family), "docker_image")
    tag = {None: "alma10", "ubi8": "alma8"}.get(family, family)
    arch = LINUX_BUILD_PLATFORMS[platform]
    assert images == [f"quay.io/condaforge/linux-anvil-{arch}:{tag}"]


def test_linux_64_alma9_image() -> None:
    images = load_key(CBC_PATH, Job("linux-64", cuda=True, linux_version="alma9"), "docker_image")
    assert images == ["quay.io/condaforge/linux-anvil-x86_64:alma9"]


@pytest.mark.parametrize("platform", ["osx-64", "osx-arm64", "win-64"])
def test_no_docker_image_off_linux(platform: str) -> None:
    assert "docker_image" not in load(CBC_PATH, Job(platform))


def test_cuda_adds_an_older_gcc_column_on_linux_64() -> None:
    cpu, gpu = load(CBC_PATH, Job("linux-64")), load(CBC_PATH, Job("linux-64", cuda=True))
    assert cpu["cuda_compiler_version"] == ["None"]
    assert gpu["cuda_compiler_version"] == ["None", "12.9"]
    assert cpu["c_compiler_version"] == [15]
    assert gpu["c_compiler_version"] == [15, 14]
    assert "cuda_compiler_version" in gpu["zip_keys"][0]
    assert "cuda_compiler_version" not in cpu["zip_keys"][0]


@pytest.mark.parametrize(
    ("platform", "compiler", "stdlib", "stdlib_version"),
    [
        ("linux-64", "gcc", "sysroot", "2.17"),
        ("linux-aarch64", "gcc", "sysroot", "2.17"),
        ("osx-64", "clang", "macosx_deployment_target", "11.0"),
        ("osx-arm64", "clang", "macosx_deployment_target", "11.0"),
        ("win-64", "vs2022", "vs", None),
    ],
)
def test_toolchain_per_platform(
    platform: str, compiler: str, stdlib: str, stdlib_version: str | None
) -> None:
    config = load(CBC_PATH, Job(platform))
    assert config["c_compiler"] == [compiler]
    assert config["c_stdlib"] == [stdlib]
    assert config.get("c_stdlib_version") == ([stdlib_version] if stdlib_version else None)


@pytest.mark.parametrize("platform", MAIN_PLATFORMS)
def test_python_matrix_starts_at_python_min(platform: str) -> None:
    config = load(CBC_PATH, Job(platform))
    pythons = config["python"]
    assert len(pythons) == 4
    assert all(re.fullmatch(r"3\.\d+\.\* \*_cp(ython|3\d+)", p) for p in pythons)
    assert pythons[0].startswith(config["python_min"][0] + ".")
    assert config["is_python_min"] == [True, False, False, False]


def _migrations() -> list[Path]:
    return sorted((PINNING_DIR / "migrations").glob("*.yaml"))


def test_there_are_a_few_migrations_with_unique_timestamps() -> None:
    stamps = [load(path, Job("linux-64"))["migrator_ts"] for path in _migrations()]
    assert 2 <= len(stamps) <= 5
    assert all(isinstance(ts, int | float) for ts in stamps)
    assert len(set(stamps)) == len(stamps)


@pytest.mark.parametrize("path", _migrations(), ids=lambda p: p.name)
def test_migration_fits_the_pinning(path: Path) -> None:
    base = load(CBC_PATH, Job("linux-64"))
    migration = load(path, Job("linux-64"))
    control: Mapping[str, Any] = migration["__migrator"]
    assert control["migration_number"] >= 1
    assert control["commit_message"].startswith("Rebuild for ")
    keys = [k for k in migration if k not in ("__migrator", "migrator_ts")]
    assert keys and all(k in base for k in keys), f"unknown keys in {keys}"
    if control.get("operation") == "key_add":
        primary = control["primary_key"]
        ordering = control["ordering"][primary]
        assert set(base[primary]) | set(migration[primary]) <= set(ordering)
        group = next(g for g in base["zip_keys"] if primary in g)
        assert sorted(keys) == sorted(group), "a key_add must give every zipped key a value"
    else:
        assert all(migration[k] != base[k] for k in keys), "a version migration must change pins"
