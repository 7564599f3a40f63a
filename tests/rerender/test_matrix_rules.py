"""Build-matrix rules of ``smithy rerender`` on tiny feedstocks (conda-smithy reference 3.2-3.7)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from smithy.api import rerender, variants
from smithy.cli import main
from smithy.errors import SmithyError
from smithy.matrix.model import CiJob
from smithy.rerender.ci_yaml import ci_support_files
from smithy.variants.naming import name_hash
from tests.conftest import DATA, write_tree

PINNING = DATA / "rerender_matrix" / "pinning"
PY_MIGRATION = (PINNING / "migrations" / "python313.yaml").read_text(encoding="utf-8")

PY_EXT = """\
package:
  name: pyext
  version: 1.0.0
requirements:
  build:
    - {{ compiler('c') }}
  host:
    - python
    - numpy
  run:
    - python
"""

PY_ONLY = """\
package:
  name: pyonly
  version: 1.0.0
requirements:
  host:
    - python
  run:
    - python
"""


def feedstock(root: Path, recipe: str, files: Mapping[str, str] | None = None) -> Path:
    """Write a feedstock with ``recipe`` as recipe/meta.yaml (conda-forge.yml empty by default)."""
    tree = {"recipe/meta.yaml": recipe, "conda-forge.yml": "{}\n"}
    tree.update({path: textwrap.dedent(text) for path, text in (files or {}).items()})
    return write_tree(root / "fs", tree)


def jobs_of(root: Path) -> list[CiJob]:
    _, matrix = variants(root, pinning=str(PINNING))
    return list(matrix.jobs)


def names(root: Path, prefix: str = "") -> list[str]:
    return sorted({job.config_name for job in jobs_of(root) if job.config_name.startswith(prefix)})


def files_of(root: Path) -> dict[str, dict[str, object]]:
    """Every planned .ci_support file, parsed."""
    loader = YAML(typ="safe")
    return {
        path: loader.load(planned.content.decode())
        for path, planned in ci_support_files(jobs_of(root)).items()
    }


def config_of(root: Path, name: str) -> dict[str, object]:
    return files_of(root)[f".ci_support/{name}.yaml"]


# 1. zip_keys ---------------------------------------------------------------------------


def test_python_zipped_with_numpy_gives_one_job_per_python(tmp_path: Path) -> None:
    root = feedstock(tmp_path, PY_EXT)
    assert names(root, "linux") == [
        "linux_64_python3.10.____cpython",
        "linux_64_python3.11.____cpython",
        "linux_64_python3.12.____cpython",
    ]
    config = config_of(root, "linux_64_python3.11.____cpython")
    assert config["python"] == ["3.11.* *_cpython"]
    assert config["numpy"] == ["2.0"]
    # python_impl is zipped too but unused: only the used keys stay in the group.
    assert "python_impl" not in config
    assert config["zip_keys"] == [["c_compiler_version", "docker_image"], ["python", "numpy"]]


def test_zip_group_with_one_used_key_is_dropped(tmp_path: Path) -> None:
    root = feedstock(tmp_path, PY_ONLY)
    config = config_of(root, "linux_64_python3.12.____cpython")
    assert "zip_keys" not in config
    assert "numpy" not in config
    assert config["python"] == ["3.12.* *_cpython"]


def test_osx_and_win_jobs_keep_only_their_zip_groups(tmp_path: Path) -> None:
    root = feedstock(tmp_path, PY_EXT)
    assert config_of(root, "osx_64_python3.10.____cpython")["zip_keys"] == [["python", "numpy"]]
    assert config_of(root, "win_64_python3.10.____cpython")["zip_keys"] == [["python", "numpy"]]


ZIP_MISMATCH = """\
foo:
  - '1'
  - '2'
bar:
  - x
zip_keys:
  - - foo
    - bar
"""


def test_zip_length_mismatch_is_an_input_error_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipe = PY_ONLY.replace(
        "    - python\n  run:", "    - foo {{ foo }}\n    - bar {{ bar }}\n  run:"
    )
    root = feedstock(tmp_path, recipe, {"recipe/conda_build_config.yaml": ZIP_MISMATCH})
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    assert main(["rerender", str(root), "--pinning", str(PINNING)]) == 3
    err = capsys.readouterr().err
    assert "conda_build_config.yaml:7:5:" in err
    assert "zip_keys group [foo, bar] has different lengths: foo=2, bar=1" in err
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


# 2. multi-output -------------------------------------------------------------------------

MULTI = """\
package:
  name: multi
  version: 1.0.0
outputs:
  - name: libmulti
    requirements:
      host:
        - zlib{extra}
  - name: py-multi
    requirements:
      host:
        - python
        - libpng
      run:
        - python
"""


def test_key_used_by_one_output_stays_a_list_in_one_job(tmp_path: Path) -> None:
    root = feedstock(tmp_path, MULTI.format(extra=""))
    assert names(root, "linux") == ["linux_64_"]
    config = config_of(root, "linux_64_")
    assert config["python"] == ["3.10.* *_cpython", "3.11.* *_cpython", "3.12.* *_cpython"]
    assert config["zlib"] == ["1.3"]
    assert config["libpng"] == ["1.6"]


def test_key_used_by_every_output_splits_jobs(tmp_path: Path) -> None:
    root = feedstock(tmp_path, MULTI.format(extra="\n        - python"))
    assert names(root, "linux") == [
        "linux_64_python3.10.____cpython",
        "linux_64_python3.11.____cpython",
        "linux_64_python3.12.____cpython",
    ]
    assert config_of(root, "linux_64_python3.12.____cpython")["python"] == ["3.12.* *_cpython"]


# 3. skip -----------------------------------------------------------------------------------


def test_skipped_variants_and_fully_skipped_platforms_write_no_job(tmp_path: Path) -> None:
    recipe = PY_ONLY.replace(
        "requirements:", "build:\n  skip: true  # [py<311]\n  skip: true  # [win]\nrequirements:"
    )
    root = feedstock(tmp_path, recipe)
    assert names(root) == [
        "linux_64_python3.11.____cpython",
        "linux_64_python3.12.____cpython",
        "osx_64_python3.11.____cpython",
        "osx_64_python3.12.____cpython",
    ]
    report = rerender(root, pinning=str(PINNING))
    written = sorted(p.name for p in (root / ".ci_support").glob("*.yaml"))
    assert written == [f"{name}.yaml" for name in names(root)]
    # win-64 has no job, so the GitHub Actions workflow only lists linux jobs.
    assert not any(job.platform == "win-64" for job in report.matrix.jobs)
    workflow = (root / ".github" / "workflows" / "conda-build.yml").read_text()
    assert "linux_64_python3.11.____cpython" in workflow
    assert "win_64" not in workflow


# 4. noarch ---------------------------------------------------------------------------------

NOARCH = """\
package:
  name: purepy
  version: 1.0.0
build:
  noarch: python
requirements:
  host:
    - python {{ python_min }}
  run:
    - python >={{ python_min }}
"""


def test_noarch_python_gives_one_linux_job_without_target_platform(tmp_path: Path) -> None:
    root = feedstock(tmp_path, NOARCH)
    jobs = jobs_of(root)
    assert [(job.config_name, job.platform, job.provider) for job in jobs] == [
        ("linux_64_", "linux-64", "github_actions")
    ]
    assert ci_support_files(jobs)[".ci_support/linux_64_.yaml"].content.decode() == textwrap.dedent(
        """\
            channel_sources:
            - conda-forge
            channel_targets:
            - conda-forge main
            docker_image:
            - quay.io/condaforge/linux-anvil-x86_64:alma9
            python_min:
            - '3.10'
            """
    )


def test_noarch_platforms_with_two_entries_give_two_files(tmp_path: Path) -> None:
    root = feedstock(
        tmp_path, NOARCH, {"conda-forge.yml": "noarch_platforms:\n  - linux_64\n  - win_64\n"}
    )
    files = files_of(root)
    assert sorted(files) == [".ci_support/linux_64_.yaml", ".ci_support/win_64_.yaml"]
    assert "target_platform" not in files[".ci_support/win_64_.yaml"]
    assert "docker_image" not in files[".ci_support/win_64_.yaml"]


def test_noarch_recipe_with_bare_python_uses_newest_python_only(tmp_path: Path) -> None:
    root = feedstock(
        tmp_path, PY_ONLY.replace("requirements:", "build:\n  noarch: python\nrequirements:")
    )
    assert names(root) == ["linux_64_"]
    assert config_of(root, "linux_64_")["python"] == ["3.12.* *_cpython"]


# 5. cross-compilation ----------------------------------------------------------------------

CROSS = """\
package:
  name: crossy
  version: 1.0.0
requirements:
  build:
    - {{ compiler('c') }}
    - {{ stdlib('c') }}
  host:
    - zlib
"""


def test_cross_compiled_osx_arm64_runs_on_osx_64(tmp_path: Path) -> None:
    root = feedstock(tmp_path, CROSS, {"conda-forge.yml": "build_platform:\n  osx_arm64: osx_64\n"})
    arm = [job for job in jobs_of(root) if job.platform == "osx-arm64"]
    assert [(job.config_name, job.build_platform, job.provider) for job in arm] == [
        ("osx_arm64_", "osx-64", "azure")
    ]
    config = config_of(root, "osx_arm64_")
    assert config["target_platform"] == ["osx-arm64"]
    assert config["c_stdlib_version"] == ["11.0"]
    assert config["MACOSX_DEPLOYMENT_TARGET"] == ["11.0"]


@pytest.mark.parametrize(
    ("recipe_cbc", "expected_arm", "expected_x86"),
    [
        ("", "11.0", "10.13"),  # pinning's two keys agree
        ("MACOSX_DEPLOYMENT_TARGET:\n  - '12.0'  # [arm64]\n", "12.0", "10.13"),  # target wins
        ("c_stdlib_version:\n  - '10.15'  # [osx]\n", "11.0", "10.15"),  # stdlib wins on x86
    ],
)
def test_deployment_target_is_max_of_stdlib_and_target(
    tmp_path: Path, recipe_cbc: str, expected_arm: str, expected_x86: str
) -> None:
    files = {"conda-forge.yml": "build_platform:\n  osx_arm64: osx_64\n"}
    if recipe_cbc:
        files["recipe/conda_build_config.yaml"] = recipe_cbc
    root = feedstock(tmp_path, CROSS, files)
    for name, expected in (("osx_arm64_", expected_arm), ("osx_64_", expected_x86)):
        config = config_of(root, name)
        assert config["MACOSX_DEPLOYMENT_TARGET"] == [expected], name
        assert config["c_stdlib_version"] == [expected], name


# 6. CUDA -----------------------------------------------------------------------------------

CUDA = """\
package:
  name: cudapkg
  version: 1.0.0
requirements:
  build:
    - {{ compiler('c') }}
    - {{ compiler('cuda') }}
"""


def test_cuda_recipe_enables_cuda_zip_with_matching_docker_image(tmp_path: Path) -> None:
    root = feedstock(tmp_path, CUDA)
    assert names(root, "linux") == [
        "linux_64_cuda_compiler_version12.6",
        "linux_64_cuda_compiler_versionNone",
    ]
    cuda = config_of(root, "linux_64_cuda_compiler_version12.6")
    cpu = config_of(root, "linux_64_cuda_compiler_versionNone")
    assert cuda["docker_image"] == ["quay.io/condaforge/linux-anvil-cuda:12.6"]
    assert cpu["docker_image"] == ["quay.io/condaforge/linux-anvil-x86_64:alma9"]
    assert cuda["cuda_compiler_version"] == ["12.6"]
    assert cpu["cuda_compiler_version"] == ["None"]
    zips = [["c_compiler_version", "cuda_compiler_version", "docker_image"]]
    assert cuda["zip_keys"] == cpu["zip_keys"] == zips
    # The pinning enables CUDA on linux-64 only.
    assert names(root, "win") == ["win_64_"]


def test_commented_cuda_compiler_does_not_enable_cuda(tmp_path: Path) -> None:
    recipe = CUDA.replace("    - {{ compiler('cuda') }}", "    # - {{ compiler('cuda') }}")
    root = feedstock(tmp_path, recipe)
    assert names(root, "linux") == ["linux_64_"]
    assert config_of(root, "linux_64_")["docker_image"] == [
        "quay.io/condaforge/linux-anvil-x86_64:alma9"
    ]


CUDA_ONE_OUTPUT = """\
package:
  name: cudasplit
  version: 1.0.0
outputs:
  - name: libcpu
    requirements:
      host:
        - zlib
  - name: libgpu
    requirements:
      build:
        - {{ compiler('c') }}
        - {{ compiler('cuda') }}
"""


def test_linux_job_keeps_first_docker_image_and_zip_partners(tmp_path: Path) -> None:
    # cuda is used by one output only, so it loops inside one job; a linux job still runs
    # in one image: the first of the sorted zip rows ('12.6' < 'None'), and the image's zip
    # partners are cut to that row with it, as conda-smithy's finalize_config does.
    root = feedstock(tmp_path, CUDA_ONE_OUTPUT)
    assert names(root, "linux") == ["linux_64_"]
    config = config_of(root, "linux_64_")
    assert config["docker_image"] == ["quay.io/condaforge/linux-anvil-cuda:12.6"]
    assert config["cuda_compiler_version"] == ["12.6"]
    assert config["c_compiler_version"] == ["14"]
    assert config["zip_keys"] == [["c_compiler_version", "cuda_compiler_version", "docker_image"]]


# 7. migrations -----------------------------------------------------------------------------

MIGRATIONS = ".ci_support/migrations"
DROP_310 = """\
__migrator:
  operation: key_remove
  primary_key: python
  use_local: true
python:
  - 3.10.* *_cpython
migrator_ts: 1600000000
"""
FINISHED = """\
__migrator:
  operation: key_add
  primary_key: python
python:
  - 3.9.* *_cpython
migrator_ts: 1500000000
"""


def test_key_add_migration_adds_a_job(tmp_path: Path) -> None:
    root = feedstock(tmp_path, PY_EXT, {f"{MIGRATIONS}/python313.yaml": PY_MIGRATION})
    # numpy now takes two values (2.0, 2.1), so it names the jobs too.
    assert names(root, "linux") == [
        "linux_64_numpy2.0python3.10.____cpython",
        "linux_64_numpy2.0python3.11.____cpython",
        "linux_64_numpy2.0python3.12.____cpython",
        "linux_64_numpy2.1python3.13.____cp313",
    ]
    config = config_of(root, "linux_64_numpy2.1python3.13.____cp313")
    assert config["python"] == ["3.13.* *_cp313"]
    assert config["numpy"] == ["2.1"]


def test_key_remove_migration_drops_a_job(tmp_path: Path) -> None:
    root = feedstock(tmp_path, PY_ONLY, {f"{MIGRATIONS}/drop310.yaml": DROP_310})
    assert names(root, "linux") == [
        "linux_64_python3.11.____cpython",
        "linux_64_python3.12.____cpython",
    ]


def test_migrations_apply_in_timestamp_order(tmp_path: Path) -> None:
    # Named so that file order and timestamp order disagree: the remove (older) runs first,
    # then a newer local migration adds 3.10 back.
    re_add = (
        DROP_310.replace("key_remove", "key_add")
        .replace("1600000000", "1700000000")
        .replace("python:\n", "numpy:\n  - '2.0'\npython_impl:\n  - cpython\npython:\n")
    )
    files = {f"{MIGRATIONS}/a_readd.yaml": re_add, f"{MIGRATIONS}/b_drop.yaml": DROP_310}
    root = feedstock(tmp_path, PY_ONLY, files)
    assert "linux_64_python3.10.____cpython" in names(root, "linux")
    swapped = {
        f"{MIGRATIONS}/a_readd.yaml": re_add.replace("1700000000", "1500000000"),
        f"{MIGRATIONS}/b_drop.yaml": DROP_310,
    }
    other = feedstock(tmp_path / "other", PY_ONLY, swapped)
    assert "linux_64_python3.10.____cpython" not in names(other, "linux")


def test_finished_migration_is_removed_and_use_local_is_kept(tmp_path: Path) -> None:
    files = {
        f"{MIGRATIONS}/python313.yaml": PY_MIGRATION,
        f"{MIGRATIONS}/old.yaml": FINISHED,
        f"{MIGRATIONS}/drop310.yaml": DROP_310,
    }
    root = feedstock(tmp_path, PY_ONLY, files)
    report = rerender(root, pinning=str(PINNING))
    assert [path.name for path in report.matrix.finished_migrations] == ["old.yaml"]
    assert sorted(p.name for p in (root / MIGRATIONS).iterdir()) == [
        "drop310.yaml",
        "python313.yaml",
    ]
    removed = [change.path for change in report.changes if change.status == "remove"]
    assert removed == [f"{MIGRATIONS}/old.yaml"]
    # The finished migration's python 3.9 never made it into the matrix.
    assert names(root, "linux") == [
        "linux_64_python3.11.____cpython",
        "linux_64_python3.12.____cpython",
        "linux_64_python3.13.____cp313",
    ]


# 8. long names -----------------------------------------------------------------------------

LONG_KEY = "a_rather_long_variant_key_name"
LONG_VALUE = "1.0.0.with.a.long.tail"


def _long_recipe(name: str = "longpkg") -> str:
    return f"package:\n  name: {name}\n  version: 1.0.0\nrequirements:\n  host:\n    - {LONG_KEY}\n"


def test_long_config_name_gets_a_hashed_short_name(tmp_path: Path) -> None:
    cbc = f"{LONG_KEY}:\n  - '{LONG_VALUE}'\n  - '2'\n"
    root = feedstock(tmp_path, _long_recipe(), {"recipe/conda_build_config.yaml": cbc})
    by_name = {job.config_name: job for job in jobs_of(root) if job.platform == "linux-64"}
    long_name = f"linux_64_{LONG_KEY}{LONG_VALUE}"
    short_name = f"linux_64_{LONG_KEY}2"
    assert sorted(by_name) == sorted([long_name, short_name])
    assert len(long_name) >= 49
    assert by_name[long_name].config_name_short == f"{long_name[:40]}_h{name_hash(long_name)}"
    assert len(by_name[long_name].config_name_short) == 50
    assert len(short_name) < 49
    assert by_name[short_name].config_name_short == short_name


def test_windows_path_guard_truncates_names_for_long_repo_names(tmp_path: Path) -> None:
    repo = "p" * 80
    value = "v" * 30
    cbc = f"{LONG_KEY}:\n  - '{value}'\n  - '2'\n"
    root = feedstock(tmp_path, _long_recipe(repo), {"recipe/conda_build_config.yaml": cbc})
    full = f"linux_64_{LONG_KEY}{value}"
    outer = len(f"C:/Users/runnerx/_work/{repo}-feedstock/{repo}-feedstock/.ci_support/")
    assert outer + len(full) + len(".yaml") > 259
    other = f"linux_64_{LONG_KEY}2"  # long enough too with this repo name
    jobs = [job for job in jobs_of(root) if job.platform == "linux-64"]
    truncated = full[: 259 - outer - 15] + f"_h{name_hash(full)}"
    other_truncated = other[: 259 - outer - 15] + f"_h{name_hash(other)}"
    assert sorted(job.config_name for job in jobs) == sorted([truncated, other_truncated])
    assert outer + len(truncated) + len(".yaml") == 259
    jobs = [job for job in jobs if job.config_name == truncated]
    # The short (artifact) name is still made from the full name.
    assert jobs[0].config_name_short == f"{full[:40]}_h{name_hash(full)}"
    assert f".ci_support/{truncated}.yaml" in ci_support_files(jobs)


def test_windows_path_guard_leaves_short_repo_names_alone(tmp_path: Path) -> None:
    value = "v" * 30
    cbc = f"{LONG_KEY}:\n  - '{value}'\n  - '2'\n"
    root = feedstock(tmp_path, _long_recipe(), {"recipe/conda_build_config.yaml": cbc})
    assert names(root, "linux") == [f"linux_64_{LONG_KEY}2", f"linux_64_{LONG_KEY}{value}"]


def test_bad_migration_file_is_an_input_error(tmp_path: Path) -> None:
    root = feedstock(tmp_path, PY_ONLY, {f"{MIGRATIONS}/bad.yaml": "python: [unclosed\n"})
    with pytest.raises(SmithyError):
        variants(root, pinning=str(PINNING))
