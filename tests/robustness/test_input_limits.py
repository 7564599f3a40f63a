"""Hostile sizes are refused while reading, fast and small: one line with file:line, exit 3."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from smithy import api
from smithy.cli import main
from smithy.errors import ExitCode
from smithy.recipe.jinja_sandbox import MAX_TAGS

pytestmark = pytest.mark.usefixtures("embedded_pinning")
NEEDS_PROC = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="peak RSS is read from /proc"
)

SET_LINES = 175_000  # 4.7 MB of `{% set %}` lines
REQUIREMENT_LINES = 250_000  # 5 MB of requirements


def _set_lines(folder: Path) -> Path:
    recipe = folder / "recipe"
    recipe.mkdir(parents=True)
    lines = [f"{{% set v{i:06d} = {i:06d} %}}" for i in range(SET_LINES)]
    text = "\n".join(lines) + "\npackage:\n  name: big\n  version: 1\n"
    (recipe / "meta.yaml").write_text(text)
    assert 4_600_000 < len(text) < 4_800_000
    return recipe


def _requirements(folder: Path) -> Path:
    recipe = folder / "recipe"
    recipe.mkdir(parents=True)
    deps = "".join(f"    - dep{i:06d} >=1\n" for i in range(REQUIREMENT_LINES))
    text = f"package:\n  name: big\n  version: 1\nrequirements:\n  host:\n{deps}"
    (recipe / "meta.yaml").write_text(text)
    assert len(text) > 5_000_000
    return recipe


# The child reports its own high-water mark: ru_maxrss from wait4 would include the RSS of the
# (large, long-lived) pytest worker it was forked from, which Linux carries across exec.
_PROBE = """
import os, sys
from smithy.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
with open(os.environ["SMITHY_TEST_PEAK_FILE"], "w") as out:
    out.write(peak)
sys.exit(code)
"""


def _run_measured(args: list[str], tmp_path: Path) -> tuple[int, str, float, float]:
    """Exit code, stderr, CPU seconds (user + sys) and peak RSS in MB of one smithy process."""
    peak_file = tmp_path / "peak-kb"
    process = subprocess.Popen(
        [sys.executable, "-c", _PROBE, *args],
        env={**os.environ, "SMITHY_TEST_PEAK_FILE": str(peak_file)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = int(peak_file.read_text()) / 1024  # VmHWM is in kB
    return process.returncode, stderr, usage.ru_utime + usage.ru_stime, peak_mb


@NEEDS_PROC
@pytest.mark.parametrize("make", [_set_lines, _requirements], ids=["set-lines", "requirements"])
def test_large_recipe_is_refused_fast_and_small(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    recipe = make(tmp_path)
    code, stderr, cpu, peak_mb = _run_measured(["render", str(recipe)], tmp_path)
    lines = stderr.splitlines()
    assert code == ExitCode.INPUT
    assert len(lines) == 1
    assert re.match(r"\S*recipe/meta\.yaml:\d+: error: ", lines[0]), lines[0]
    assert "larger than smithy's 4 MB limit" in lines[0]
    assert "SMITHY_MAX_FILE_MB" in lines[0]
    assert cpu < 2.0, f"{cpu:.2f} s of CPU"
    assert peak_mb < 300, f"{peak_mb:.0f} MB"


def test_raised_file_cap_still_refuses_too_many_jinja_tags(tmp_path: Path, monkeypatch) -> None:
    recipe = _set_lines(tmp_path)
    monkeypatch.setenv("SMITHY_MAX_FILE_MB", "20")
    assert main(["render", str(recipe)]) == ExitCode.INPUT


def test_jinja_tag_budget_names_the_line(tmp_path: Path, capsys) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    lines = [f"{{% set a{i} = {i} %}}" for i in range(MAX_TAGS + 5)]
    (recipe / "meta.yaml").write_text("\n".join(lines) + "\npackage: {name: a, version: 1}\n")
    assert main(["render", str(recipe)]) == ExitCode.INPUT
    error = capsys.readouterr().err.strip()
    assert re.match(rf"\S*recipe/meta\.yaml:{MAX_TAGS + 1}: error: more than", error), error


def test_file_cap_is_configurable(tmp_path: Path, monkeypatch, capsys) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    padding = "# padding\n" * 120_000  # 1.2 MB: under the default cap, over a 1 MB one
    (recipe / "meta.yaml").write_text("package: {name: a, version: 1}\n" + padding)
    monkeypatch.setenv("SMITHY_MAX_FILE_MB", "1")
    assert main(["render", str(recipe)]) == ExitCode.INPUT
    assert "larger than smithy's 1 MB limit" in capsys.readouterr().err
    monkeypatch.setenv("SMITHY_MAX_FILE_MB", "one")
    assert main(["render", str(recipe)]) == ExitCode.USAGE
    assert capsys.readouterr().err.startswith("SMITHY_MAX_FILE_MB: error: expected a number")


def test_variant_count_cap_names_the_key(tmp_path: Path, capsys) -> None:
    recipe = tmp_path / "recipe"
    recipe.mkdir()
    (recipe / "meta.yaml").write_text(
        "package: {name: a, version: 1}\nrequirements:\n  host:\n"
        "    - a {{ ka }}\n    - b {{ kb }}\n    - c {{ kc }}\n"
    )
    values = "".join(f"  - '{i}'\n" for i in range(30))
    (recipe / "conda_build_config.yaml").write_text(f"ka:\n{values}kb:\n{values}kc:\n{values}")
    assert main(["render", "--platform", "linux-64", str(recipe)]) == ExitCode.INPUT
    error = capsys.readouterr().err.strip()
    assert re.match(r"\S*recipe/conda_build_config\.yaml:\d+:\d+: error: ", error), error
    assert "27000 combinations" in error and "limit of 20000" in error


def test_memory_ceiling_is_set_from_the_environment() -> None:
    script = (
        "import resource; from smithy.cli.limits import apply_memory_ceiling; "
        "apply_memory_ceiling({'SMITHY_MAX_MEMORY_MB': '3000'}, ['render']); "
        "print(resource.getrlimit(resource.RLIMIT_AS)[0] // 2**20)"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert found.stdout.strip() == "3000"


def test_main_in_process_leaves_the_callers_memory_limit_alone(tmp_path: Path) -> None:
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    main(["render", str(tmp_path)])
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_console_script_refuses_a_bad_memory_setting(tmp_path: Path) -> None:
    found = subprocess.run(
        [sys.executable, "-c", "from smithy.cli import run; run()", "render", str(tmp_path)],
        env={**os.environ, "SMITHY_MAX_MEMORY_MB": "lots"},
        capture_output=True,
        text=True,
    )
    assert found.returncode == ExitCode.USAGE
    assert found.stderr.startswith("SMITHY_MAX_MEMORY_MB: error: expected a number")


def test_running_out_of_memory_is_one_line_and_exit_3(monkeypatch, capsys) -> None:
    def exhausted(*_args: object, **_kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(api, "render", exhausted)
    assert main(["render", "."]) == ExitCode.INPUT
    error = capsys.readouterr().err.splitlines()
    assert len(error) == 1
    assert error[0].startswith("error: out of memory")
