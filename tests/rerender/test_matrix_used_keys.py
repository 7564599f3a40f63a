"""Which variant keys reach a job config: forced keys, top-level-named outputs, cross builds."""

from __future__ import annotations

import textwrap
from pathlib import Path

from smithy.rerender.ci_yaml import ci_support_files
from tests.conftest import write_tree
from tests.rerender.test_matrix_rules import (
    PY_EXT,
    config_of,
    feedstock,
    files_of,
    jobs_of,
    names,
)

V1_CFY = "conda_build_tool: rattler-build\n"


def v1_feedstock(root: Path, recipe: str, cfy: str = V1_CFY) -> Path:
    """Write a feedstock with ``recipe`` as recipe/recipe.yaml, built with rattler-build."""
    tree = {"recipe/recipe.yaml": textwrap.dedent(recipe), "conda-forge.yml": cfy}
    return write_tree(root / "fs", tree)


# meta.yaml force_ignore_keys / force_use_keys --------------------------------------------------


def test_force_ignore_keys_drops_a_used_key_from_the_jobs(tmp_path: Path) -> None:
    recipe = PY_EXT.replace(
        "requirements:", "build:\n  force_ignore_keys:\n    - python\n" + "requirements:"
    )
    root = feedstock(tmp_path, recipe)
    assert names(root, "linux") == ["linux_64_"]
    assert "python" not in config_of(root, "linux_64_")


def test_output_force_ignore_keys_replace_the_top_level_build(tmp_path: Path) -> None:
    recipe = """\
package:
  name: parent
  version: 1.0
build:
  force_ignore_keys:
    - zlib
requirements:
  host:
    - zlib
outputs:
  - name: keeps-top-build
  - name: own-build
    build:
      number: 0
    requirements:
      host:
        - zlib
"""
    root = feedstock(tmp_path, recipe)
    # the second output has its own build section, so the top-level ignore does not apply
    assert config_of(root, "linux_64_")["zlib"] == ["1.3"]
    only_first = recipe.replace("    requirements:\n      host:\n        - zlib\n", "")
    root = feedstock(tmp_path / "second", only_first)
    assert "zlib" not in config_of(root, "linux_64_")


# meta.yaml output named like the package -----------------------------------------------------

NAMED_LIKE_TOP = """\
package:
  name: libfoo
  version: 1.0
requirements:
  host:
    - python
    - libpng  # [py>=312]
outputs:
  - name: libfoo
  - name: py-foo
    requirements:
      host:
        - python
"""


def test_output_named_like_the_package_uses_the_top_level_text(tmp_path: Path) -> None:
    root = feedstock(tmp_path, NAMED_LIKE_TOP)
    linux = {name: config for name, config in files_of(root).items() if "linux_64" in name}
    assert len(linux) == 3  # one job per python
    # libfoo reads the top-level requirements, so libpng (used on 3.12) is a used key
    assert all(config.get("libpng") == ["1.6"] for config in linux.values())


def test_output_with_another_name_uses_only_its_own_block(tmp_path: Path) -> None:
    root = feedstock(
        tmp_path, NAMED_LIKE_TOP.replace("  - name: libfoo\n", "  - name: libfoo-core\n")
    )
    linux = {name: config for name, config in files_of(root).items() if "linux_64" in name}
    assert len(linux) == 3
    assert not any("libpng" in config for config in linux.values())


# recipe.yaml build.variant.use_keys / ignore_keys ---------------------------------------------

V1_MULTI = """\
schema_version: 1
recipe:
  name: multi
  version: 1.0.0
outputs:
  - package:
      name: libmulti
    requirements:
      host:
        - python
        - zlib
  - package:
      name: multi-data
    build:
      noarch: generic
      variant:
        use_keys:
          - python
        ignore_keys:
          - zlib
"""


def test_v1_use_keys_let_a_noarch_output_split_jobs(tmp_path: Path) -> None:
    root = v1_feedstock(tmp_path, V1_MULTI)
    assert names(root, "linux") == [
        "linux_64_python3.10.____cpython",
        "linux_64_python3.11.____cpython",
        "linux_64_python3.12.____cpython",
    ]


def test_v1_without_use_keys_a_noarch_output_keeps_one_job(tmp_path: Path) -> None:
    recipe = V1_MULTI.replace("        use_keys:\n          - python\n", "")
    assert names(v1_feedstock(tmp_path, recipe), "linux") == ["linux_64_"]


def test_v1_ignore_keys_drop_a_used_key(tmp_path: Path) -> None:
    recipe = """\
    schema_version: 1
    package:
      name: single
      version: 1.0.0
    build:
      variant:
        ignore_keys: [zlib]
        use_keys: [libpng]
    requirements:
      host:
        - zlib
    """
    config = config_of(v1_feedstock(tmp_path, recipe), "linux_64_")
    assert "zlib" not in config
    assert config["libpng"] == ["1.6"]


def test_v1_ignore_keys_drop_a_key_the_build_script_reads(tmp_path: Path) -> None:
    recipe = """\
    schema_version: 1
    package:
      name: single
      version: 1.0.0
    build:
      variant:
        ignore_keys: [zlib]
    """
    root = v1_feedstock(tmp_path, recipe)
    (root / "recipe" / "build.sh").write_text("make ${zlib} install\n")
    assert "zlib" not in config_of(root, "linux_64_")
    recipe = recipe.replace("    build:\n      variant:\n        ignore_keys: [zlib]\n", "")
    (root / "recipe" / "recipe.yaml").write_text(textwrap.dedent(recipe))
    assert config_of(root, "linux_64_")["zlib"] == ["1.3"]


def test_v1_the_recipes_own_output_names_are_not_variant_keys(tmp_path: Path) -> None:
    # conda-smithy reads used keys through rattler-build-conda-compat, which leaves out the
    # recipe's outputs: a package that bootstraps itself (`- zlib` in zlib) is not split by it
    recipe = """\
    schema_version: 1
    package:
      name: zlib
      version: 1.0.0
    requirements:
      build:
        - zlib
      host:
        - libpng
    """
    config = config_of(v1_feedstock(tmp_path, recipe), "linux_64_")
    assert "zlib" not in config
    assert config["libpng"] == ["1.6"]
    other = config_of(
        v1_feedstock(tmp_path / "b", recipe.replace("name: zlib", "name: z")), "linux_64_"
    )
    assert other["zlib"] == ["1.3"]


def test_v1_an_own_output_name_named_in_use_keys_stays_a_variant_key(tmp_path: Path) -> None:
    # rattler-build keeps a key `build.variant.use_keys` names even when an output carries that
    # name (it gives the key the pinned output's version); `smithy convert` relies on it to keep
    # the jobs conda-build made for a key like curl's `libcurl`
    recipe = """\
    schema_version: 1
    recipe:
      name: zlib-split
      version: 1.0.0
    outputs:
      - package:
          name: zlib
        requirements:
          host:
            - libpng
      - package:
          name: zlib-tools
        build:
          variant:
            use_keys: [zlib]
        requirements:
          host:
            - ${{ pin_subpackage("zlib", exact=True) }}
    """
    config = config_of(v1_feedstock(tmp_path, recipe), "linux_64_")
    assert config["zlib"] == ["1.3"]
    implicit = recipe.replace(
        "        build:\n          variant:\n            use_keys: [zlib]\n", ""
    )
    assert "zlib" not in config_of(v1_feedstock(tmp_path / "b", implicit), "linux_64_")


def test_v1_noarch_output_reading_target_platform_does_not_keep_it(tmp_path: Path) -> None:
    recipe = """\
    schema_version: 1
    package:
      name: purepy
      version: 1.0.0
    build:
      noarch: python
    requirements:
      build:
        - if: build_platform != target_platform
          then: cross-python_${{ target_platform }}
      host:
        - python
      run:
        - python
    """
    root = v1_feedstock(tmp_path, recipe)
    assert names(root, "linux") == ["linux_64_"]
    assert "target_platform" not in config_of(root, "linux_64_")
    arch = recipe.replace("      noarch: python\n", "      number: 0\n")
    assert config_of(v1_feedstock(tmp_path / "b", arch), "linux_64_python3.12.____cpython")[
        "target_platform"
    ] == ["linux-64"]


# cross-compiled platforms render with the target as the build platform -----------------------

CROSS_CFY = "build_platform:\n  osx_arm64: osx_64\n"


def test_cross_only_requirement_is_not_used_on_a_cross_compiled_platform(tmp_path: Path) -> None:
    recipe = """\
package:
  name: crossy
  version: 1.0.0
requirements:
  build:
    - {{ compiler('c') }}
    - zlib  # [build_platform != target_platform]
"""
    root = feedstock(tmp_path, recipe, {"conda-forge.yml": CROSS_CFY})
    assert "zlib" not in config_of(root, "osx_arm64_")


def test_v1_cross_only_requirement_is_not_used_on_a_cross_compiled_platform(
    tmp_path: Path,
) -> None:
    recipe = """\
    schema_version: 1
    package:
      name: crossy
      version: 1.0.0
    requirements:
      build:
        - if: build_platform != target_platform
          then:
            - zlib
      host:
        - if: target_platform == "osx-arm64"
          then:
            - libpng
    """
    root = v1_feedstock(tmp_path, recipe, V1_CFY + CROSS_CFY)
    config = config_of(root, "osx_arm64_")
    assert "zlib" not in config
    assert config["libpng"] == ["1.6"]


# run-only requirements with a version do not count ------------------------------------------


def test_key_only_in_a_versioned_run_requirement_is_not_used(tmp_path: Path) -> None:
    recipe = (
        "package:\n  name: runonly\n  version: 1.0\nrequirements:\n  run:\n    - zlib {{ zlib }}\n"
    )
    assert "zlib" not in config_of(feedstock(tmp_path, recipe), "linux_64_")
    hosted = recipe.replace("  run:", "  host:\n    - zlib\n  run:")
    assert config_of(feedstock(tmp_path / "hosted", hosted), "linux_64_")["zlib"] == ["1.3"]


# os_version is sticky across the targets conda-smithy renders after it ----------------------

IMAGE_CBC = """\
zlib:
  - '1.2'  # [os.environ.get("DEFAULT_LINUX_VERSION", "alma9") == "alma10"]
  - '1.3'  # [os.environ.get("DEFAULT_LINUX_VERSION", "alma9") != "alma10"]
"""
ZLIB_RECIPE = "package:\n  name: img\n  version: 1.0\nrequirements:\n  host:\n    - zlib\n"


def _zlib_by_platform(root: Path) -> dict[str, object]:
    return {name.split("/")[-1]: config["zlib"] for name, config in files_of(root).items()}


def test_os_version_of_linux_64_reaches_targets_cross_compiled_on_it(tmp_path: Path) -> None:
    cfy = "os_version:\n  linux_64: alma10\nbuild_platform:\n  linux_aarch64: linux_64\n"
    files = {"conda-forge.yml": cfy, "recipe/conda_build_config.yaml": IMAGE_CBC}
    zlib = _zlib_by_platform(feedstock(tmp_path, ZLIB_RECIPE, files))
    assert zlib["linux_64_.yaml"] == ["1.2"]
    assert zlib["linux_aarch64_.yaml"] == ["1.2"]


def test_os_version_applies_from_its_target_on_in_render_order(tmp_path: Path) -> None:
    cfy = (
        "os_version:\n  linux_aarch64: alma10\n"
        "provider:\n  linux_aarch64: default\n  linux_ppc64le: default\n"
    )
    files = {"conda-forge.yml": cfy, "recipe/conda_build_config.yaml": IMAGE_CBC}
    zlib = _zlib_by_platform(feedstock(tmp_path, ZLIB_RECIPE, files))
    # linux_64 renders before linux_aarch64 sets the version; linux_ppc64le renders after
    assert zlib["linux_64_.yaml"] == ["1.3"]
    assert zlib["linux_aarch64_.yaml"] == ["1.2"]
    assert zlib["linux_ppc64le_.yaml"] == ["1.2"]


# variants.yaml ints and booleans stay typed ---------------------------------------------------


def test_v1_variants_yaml_ints_and_bools_are_written_unquoted(tmp_path: Path) -> None:
    recipe = """\
    schema_version: 1
    package:
      name: typed
      version: 1.0.0
    requirements:
      host:
        - pybind11
        - zlib
        - flag
    """
    root = v1_feedstock(tmp_path, recipe)
    (root / "recipe" / "variants.yaml").write_text(
        "pybind11:\n  - 2\n  - '3'\nzlib:\n  - 1.3\nflag:\n  - True\n", encoding="utf-8"
    )
    text = ci_support_text(root, "linux_64_pybind112")
    assert "pybind11:\n- 2\n" in text
    assert "zlib:\n- '1.3'\n" in text  # floats stay text, as conda-smithy reads them
    assert "flag:\n- true\n" in text
    assert "pybind11:\n- '3'\n" in ci_support_text(root, "linux_64_pybind113")
    # the same values in a conda_build_config.yaml are strings
    (root / "recipe" / "variants.yaml").unlink()
    (root / "recipe" / "conda_build_config.yaml").write_text(
        "pybind11:\n  - 2\n  - '3'\n", encoding="utf-8"
    )
    assert "pybind11:\n- '2'\n" in ci_support_text(root, "linux_64_pybind112")


def ci_support_text(root: Path, name: str) -> str:
    return ci_support_files(jobs_of(root))[f".ci_support/{name}.yaml"].content.decode()


# macOS: one deployment target raises each of several (zipped) SDK values -------------------


def test_zipped_sdk_values_keep_their_count(tmp_path: Path) -> None:
    cbc = """\
    blas_impl:
      - openblas
      - accelerate
    MACOSX_SDK_VERSION:
      - 10.9     # [osx]
      - 15.5     # [osx]
    zip_keys:
      -
        - blas_impl
        - MACOSX_SDK_VERSION  # [osx]
    """
    recipe = CROSS_RECIPE + "    - blas_impl\n"
    root = feedstock(tmp_path, recipe, {"recipe/conda_build_config.yaml": cbc})
    assert config_of(root, "osx_64_blas_implopenblas")["MACOSX_SDK_VERSION"] == ["10.13"]
    assert config_of(root, "osx_64_blas_implaccelerate")["MACOSX_SDK_VERSION"] == ["15.5"]
    assert config_of(root, "linux_64_blas_implaccelerate")["blas_impl"] == ["accelerate"]


CROSS_RECIPE = """\
package:
  name: sdk
  version: 1.0.0
requirements:
  build:
    - {{ compiler('c') }}
    - {{ stdlib('c') }}
  host:
"""


# noarch decided from conda-build's first parse (no variant keys) ------------------------------


def test_noarch_chosen_by_a_variant_key_keeps_every_python(tmp_path: Path) -> None:
    recipe = """\
package:
  name: maybe-noarch
  version: 1.0
build:
  skip: true  # [use_noarch and not linux64]
  noarch: python  # [use_noarch]
requirements:
  host:
    - python
  run:
    - python
"""
    cbc = "use_noarch:\n  - True\n  - False\n"
    root = feedstock(tmp_path, recipe, {"recipe/conda_build_config.yaml": cbc})
    linux = names(root, "linux")
    # the compiled variant still splits per python; the noarch one is a job of its own
    assert "linux_64_python3.10.____cpythonuse_noarchFalse" in linux
    assert "linux_64_python3.12.____cpythonuse_noarchFalse" in linux


# recipe.yaml conditions count only the names they read (short-circuit) ----------------------


def test_v1_name_behind_a_short_circuit_is_not_used(tmp_path: Path) -> None:
    recipe = """\
    schema_version: 1
    package:
      name: shorty
      version: 1.0.0
    build:
      skip: win or (linux and zlib == libpng)
    """
    root = v1_feedstock(tmp_path, recipe)
    assert "zlib" in config_of(root, "linux_64_")
    assert "libpng" in config_of(root, "linux_64_")
    assert "zlib" not in config_of(root, "osx_64_")  # `linux and ...` stops before reading it
    assert "libpng" not in config_of(root, "osx_64_")


# meta.yaml build.skip given as a list --------------------------------------------------------


def test_skip_as_a_list_skips_every_output(tmp_path: Path) -> None:
    recipe = """\
package:
  name: listskip
  version: 1.0
build:
  skip:
    - true  # [osx]
outputs:
  - name: listskip-a
  - name: listskip-b
    build:
      number: 0
"""
    root = feedstock(tmp_path, recipe)
    # a skipped top level skips even an output with a build section of its own
    assert names(root, "osx") == []
    assert names(root, "linux") == ["linux_64_"]


# recipe.yaml keys used only inside some outputs, and keys read only behind a short-circuit ----

V1_OUTPUT_ONLY = """\
schema_version: 1
recipe:
  name: multi
  version: 1.0.0
outputs:
  - package:
      name: libmulti
    requirements:
      host:
        - zlib{extra}
  - package:
      name: py-multi
    requirements:
      host:
        - python
        - libpng
      run:
        - python
"""


def test_v1_key_used_by_one_output_stays_a_list_in_one_job(tmp_path: Path) -> None:
    root = v1_feedstock(tmp_path, V1_OUTPUT_ONLY.format(extra=""))
    assert names(root, "linux") == ["linux_64_"]
    config = config_of(root, "linux_64_")
    assert config["python"] == ["3.10.* *_cpython", "3.11.* *_cpython", "3.12.* *_cpython"]
    split = v1_feedstock(tmp_path / "every", V1_OUTPUT_ONLY.format(extra="\n        - python"))
    assert len(names(split, "linux")) == 3


def test_v1_context_key_read_for_some_variants_only_does_not_split_jobs(tmp_path: Path) -> None:
    # `use_x` is read only where python matches 3.12 (`and` stops before it elsewhere): as in
    # conda-smithy, a key not every rendered variant reads is no job-splitting key.
    recipe = """\
    schema_version: 1
    context:
      flag: ${{ match(python, "3.12.*") and use_x }}
    package:
      name: shorty
      version: 1.0.0
    requirements:
      host:
        - python
        - if: flag
          then: zlib
    """
    cbc = "use_x:\n  - true\n  - false\n"
    root = write_tree(
        tmp_path / "fs",
        {
            "recipe/recipe.yaml": textwrap.dedent(recipe),
            "recipe/variants.yaml": cbc,
            "conda-forge.yml": V1_CFY,
        },
    )
    linux = names(root, "linux")
    assert all("use_x" not in name for name in linux)
    assert len(linux) == 3


# keys conda-build's text scan finds but no render reads ---------------------------------------


def test_key_named_only_in_a_set_string_splits_jobs_over_all_its_values(tmp_path: Path) -> None:
    # intel_repack: conda-build counts `{% set ch = ".../python/conda" %}` as a use of python
    # (its `{% set %}` regex), so conda-smithy makes one job per python although no render
    # reads python; smithy rendered one python only and used to keep that job alone.
    recipe = """\
{% set channel = "https://example.invalid/python/conda" %}
package:
  name: repack
  version: 1.0
source:
  url: {{ channel }}/a.tar.bz2
outputs:
  - name: liba
    requirements:
      build:
        - {{ compiler('c') }}
  - name: libb
"""
    root = feedstock(tmp_path, recipe)
    linux = names(root, "linux_64")
    assert len(linux) > 1 and all("python" in name for name in linux)
    pythons = [config_of(root, name)["python"] for name in linux]
    assert len({str(value) for value in pythons}) == len(linux)
    other = feedstock(tmp_path / "other", recipe.replace("/python/", "/other/"))
    assert names(other, "linux_64") == ["linux_64_"]
