"""The converted recipe keeps meta.yaml's CI jobs: no variant key moves to every output."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from smithy.cli import main
from smithy.convert.recipe_text import convert_recipe_text
from smithy.convert.variant_keys import KeyChanges, key_changes, selected_line, with_key_changes

# `pytag` reads python in a {% set %} inside the bindings output, the only one printing it;
# conda-build keeps python a list inside one job per platform (the C library does not use it).
PYTHON_IN_ONE_OUTPUT = """\
{% set version = "2.0" %}

package:
  name: split-demo
  version: {{ version }}

build:
  number: 0

outputs:
  - name: libsplit
    requirements:
      build:
        - {{ compiler('c') }}
    test:
      commands:
        - test -f $PREFIX/lib/libsplit.so  # [unix]
  - name: py-split
    requirements:
      host:
        - python
      run:
        - python
        - {{ pin_subpackage('libsplit', exact=True) }}
    {% set pytag = "py" ~ python %}
    test:
      commands:
        - echo {{ pytag }}
"""


def _jobs(root: Path) -> list[str]:
    return sorted(path.name for path in (root / ".ci_support").glob("*.yaml"))


def _rerender(root: Path) -> None:
    assert main(["rerender", str(root), "--pinning", str(root / "pinning.yaml")]) == 0


def test_a_key_read_in_a_set_used_by_one_output_keeps_the_jobs(
    make_feedstock: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_feedstock(PYTHON_IN_ONE_OUTPUT)
    original = shutil.copytree(root, tmp_path / "original")
    _rerender(original)
    before = _jobs(original)
    assert before == ["linux_64_.yaml", "osx_64_.yaml", "win_64_.yaml"]  # python: a list
    assert main(["convert", str(root), "--pinning", str(root / "pinning.yaml")]) == 0
    assert _jobs(root) == before
    recipe = YAML(typ="safe").load((root / "recipe" / "recipe.yaml").read_text())
    assert "pytag" not in recipe["context"]
    test = recipe["outputs"][1]["tests"][0]["script"]
    assert test == ['echo ${{ ("py" ~ python) }}']


def _converted(meta: str) -> dict[str, Any]:
    converted = convert_recipe_text(meta)
    assert converted.issues == ()
    return YAML(typ="safe").load(converted.text)


def _moved_to_top(line: str) -> str:
    meta = PYTHON_IN_ONE_OUTPUT.replace('    {% set pytag = "py" ~ python %}\n', "")
    return meta.replace('{% set version = "2.0" %}\n', '{% set version = "2.0" %}\n' + line)


def test_a_set_above_the_outputs_reading_a_key_stays_in_the_context() -> None:
    # conda-build counts python for every output then: the jobs split by it on both sides
    doc = _converted(_moved_to_top('{% set pytag = "py" ~ python %}\n'))
    assert doc["context"]["pytag"] == '${{ "py" ~ python }}'
    assert doc["outputs"][1]["tests"][0]["script"] == ["echo ${{ pytag }}"]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ('{% set pytag = "py" ~ version %}', True),  # reads only the context
        ("{% set pytag = pytag or python %}", True),  # may redefine a key: left alone
        ('{% set pytag = "py" ~ py %}', False),  # `py` is no variant key to conda-build
    ],
)
def test_sets_above_the_outputs(line: str, kept: bool) -> None:
    doc = _converted(_moved_to_top(line + "\n"))
    assert ("pytag" in doc.get("context", {})) is kept


def test_chained_sets_are_inlined_together() -> None:
    meta = PYTHON_IN_ONE_OUTPUT.replace(
        '{% set pytag = "py" ~ python %}',
        '{% set short = python ~ "" %}\n    {% set pytag = "py" ~ short %}',
    )
    doc = _converted(meta)
    assert set(doc["context"]) == {"version"}
    assert doc["outputs"][1]["tests"][0]["script"] == ['echo ${{ ("py" ~ (python ~ "")) }}']


def _job(name: str, **keys: list[str]) -> tuple[str, dict[str, Any]]:
    config: dict[str, Any] = {"target_platform": ["linux-64"], **keys}
    config["zip_keys"] = [["cuda", "c_stdlib_version"]]
    return f".ci_support/linux_64_{name}.yaml", config


def test_a_key_only_meta_yaml_names_its_jobs_by_goes_to_the_top_level() -> None:
    # meta.yaml's top-level requirements (stdlib('c')) count c_stdlib_version for every
    # output: it is in the file names; the converted recipe uses it in some outputs only.
    before = dict(
        [
            _job("c_stdlib_version2.17cuda12", cuda=["12"], c_stdlib_version=["2.17"]),
            _job("c_stdlib_version2.28cuda13", cuda=["13"], c_stdlib_version=["2.28"]),
        ]
    )
    after = dict(
        [
            _job("cuda12", cuda=["12"], c_stdlib_version=["2.17"]),
            _job("cuda13", cuda=["13"], c_stdlib_version=["2.28"]),
        ]
    )
    changes = key_changes(before, after)
    assert changes == KeyChanges(split=frozenset({"c_stdlib_version"}))
    assert key_changes(before, before) == KeyChanges()
    recipe = "schema_version: 1\nrecipe:\n  name: x\noutputs:\n  - package:\n      name: x\n"
    doc = YAML(typ="safe").load(with_key_changes(recipe, changes))
    assert doc["build"]["variant"] == {"use_keys": ["c_stdlib_version"]}
    assert "build" not in doc["outputs"][0]


# conda-build counts zlib from the selected line on unix only; rattler-build does not count a
# pinned `zlib >=1.2`, and `build.variant.use_keys` takes no condition.
ZLIB_ON_UNIX = """\
package:
  name: partial
  version: "1.0"

build:
  number: 0
  ignore_run_exports_from:
    - zlib  # [unix]

requirements:
  build:
    - {{ compiler('c') }}
  host:
    - zlib >=1.2
"""


def test_a_key_counted_on_some_platforms_only_is_an_issue_at_its_line(
    make_feedstock: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_feedstock(ZLIB_ON_UNIX)
    assert main(["convert", str(root), "--pinning", str(root / "pinning.yaml")]) == 1
    out, err = capsys.readouterr()
    (issue,) = [line for line in err.splitlines() if ": error: " in line]
    assert f"{root.name}/recipe/meta.yaml:8: error: variant key 'zlib'" in issue
    assert "use_keys cannot be conditional" in issue
    assert issue.endswith(
        "also uses it on win-64 (accept the extra CI key there with --force, or keep meta.yaml)"
    )
    assert ".ci_support/win_64_.yaml" in out  # the difference itself is still shown
    assert not (root / "recipe" / "recipe.yaml").exists()


def test_rattler_build_ignores_a_conditional_use_key() -> None:
    """Why a key counted on some platforms only is reported, not converted (see above).

    Should a rattler-build release honour ``if``/``then`` under ``use_keys``, this fails and
    the converter can write the condition instead.
    """
    rattler_build = pytest.importorskip("rattler_build")
    text = (
        "schema_version: 1\n"
        "package: {name: partial, version: '1.0'}\n"
        "build:\n  variant:\n    use_keys:\n      - if: win\n        then: [zlib]\n"
    )
    config = rattler_build.VariantConfig({"zlib": ["1.2", "1.3"]})
    platform = rattler_build.PlatformConfig(target_platform="win-64")
    recipe = rattler_build.Stage0Recipe.from_yaml(text)
    (variant,) = recipe.render(config, rattler_build.RenderConfig(platform=platform))
    assert "zlib" not in variant.variant


def test_a_kept_key_of_an_output_skipped_somewhere_can_go_to_the_top() -> None:
    """fftw, libiconv: the output pinning the key is skipped on win, where conda-build still
    counts the key (a skipped output's use_keys count nowhere); zlib: the key must stay on
    the output. The proof tries the per-output text first, then this one."""
    recipe = (
        "schema_version: 1\nrecipe:\n  name: s\n  version: '1'\noutputs:\n"
        "  - package:\n      name: lib\n"
        "  - package:\n      name: tools\n    build:\n      skip:\n        - win\n"
        "    requirements:\n      host:\n        - ${{ pin_subpackage('lib') }}\n"
    )
    changes = KeyChanges(frozenset({"lib"}))
    per_output = YAML(typ="safe").load(with_key_changes(recipe, changes))
    assert per_output["outputs"][1]["build"]["variant"]["use_keys"] == ["lib"]
    assert "build" not in per_output
    top = YAML(typ="safe").load(with_key_changes(recipe, changes, skipped_to_top=True))
    assert top["build"]["variant"]["use_keys"] == ["lib"]
    assert "variant" not in top["outputs"][1]["build"]
    never_skipped = recipe.replace("    build:\n      skip:\n        - win\n", "")
    assert with_key_changes(never_skipped, changes, skipped_to_top=True) == with_key_changes(
        never_skipped, changes
    )


def test_the_line_of_a_key_counted_from_a_longer_word() -> None:
    """conda-build's scan reads `xz` in `tar.xz` (cudnn's `{% set extension = "tar.xz" %}`)."""
    meta = 'package:\n  name: a\n{% set extension = "tar.xz" %}  # [not win]\n'
    assert selected_line(meta, "xz") == 3
    assert selected_line(meta, "zlib") == 0
