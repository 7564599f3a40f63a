"""SMY108: unknown keys at every level of recipe.yaml, with the closest known key suggested."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint.helpers import run_lint, write_feedstock
from tests.lint.recipes import V1, edit, line_of
from tests.lint.rules.cases import Case, case_id, run_case

# A recipe using most of the schema: every key here is valid, so SMY108 must stay silent.
LARGE = """\
schema_version: 1

context:
  version: "2.0.0"
  anything_goes: yes

recipe:
  name: bigpkg
  version: ${{ version }}

source:
  - url: https://example.org/bigpkg-${{ version }}.tar.gz
    sha256: 1111111111111111111111111111111111111111111111111111111111111111
    file_name: bigpkg.tar.gz
    patches:
      - fix.patch
    target_directory: src
    filter:
      - src/*
  - git: https://example.org/bigpkg.git
    tag: v${{ version }}
    depth: 1
    lfs: false
    expected_commit: 0123456789abcdef0123456789abcdef01234567
    filter:
      include:
        - lib/*
  - if: win
    then:
      path: ../win
      use_gitignore: false
      filter:
        include:
          - "*.c"
        exclude:
          - "*.o"

build:
  number: 0
  string: h${{ hash }}_0
  skip:
    - win and py < 39
  script:
    file: build.sh
    env:
      FOO: bar
    secrets:
      - TOKEN
    interpreter: bash
  merge_build_and_host_envs: false
  always_include_files:
    - lib/a.so
  files:
    include:
      - lib/**
    exclude:
      - lib/*.a
  dynamic_linking:
    rpaths:
      - lib/
    binary_relocation: true
    missing_dso_allowlist:
      - /usr/lib/libc.so
    rpath_allowlist: []
    overdepending_behavior: ignore
    overlinking_behavior: error
  link_options:
    post_link_script: post
    pre_unlink_script: pre
    pre_link_message: hello
  prefix_detection:
    force_file_type:
      text:
        - a.txt
      binary:
        - b.bin
    ignore: false
    ignore_binary_files: true
  python:
    entry_points:
      - big = big:main
    skip_pyc_compilation:
      - "*.py"
    use_python_app_entrypoint: false
    version_independent: true
  variant:
    use_keys:
      - cuda
    ignore_keys:
      - numpy
    down_prioritize_variant: 1
  post_process:
    - files:
        - "*.cmake"
      regex: /old
      replacement: /new

outputs:
  - staging:
      name: big-build
    source:
      - path: ../extra
    requirements:
      build:
        - ${{ compiler('c') }}
      host:
        - zlib
      ignore_run_exports:
        from_package:
          - zlib
    build:
      script: build_staging.sh
  - package:
      name: libbig
    inherit:
      from: big-build
      run_exports: false
    build:
      noarch: generic
      cache_from:
        - big-build
    requirements:
      host:
        - zlib
      run:
        - zlib
      run_constraints:
        - bigpkg-data >=2
      run_exports:
        weak:
          - ${{ pin_subpackage('libbig', upper_bound='x.x') }}
        strong_constraints:
          - zlib
      ignore_run_exports:
        by_name:
          - zlib
    tests:
      - script:
          - test -f lib/libbig.so
        requirements:
          run:
            - pytest
          build:
            - cmake
        files:
          source:
            - tests/
          recipe:
            - run_test.py
      - python:
          imports:
            - big
          pip_check: true
          python_version:
            - "3.10"
      - package_contents:
          files:
            exists:
              - lib/libbig.so
            not_exists:
              - lib/libbig.a
          lib:
            - big
          bin:
            - big
          include:
            - big.h
          site_packages:
            - big
          strict: false
      - downstream: big-plugin
      - perl:
          uses:
            - Big
      - r:
          libraries:
            - big
      - if: linux
        then:
          - script:
              content: ./check
              interpreter: bash
        else:
          - script: check.bat
    about:
      summary: the library
    extra:
      free: form
  - package:
      name: bigpkg
    build:
      python:
        site_packages_path: lib/site-packages

about:
  homepage: https://example.org/bigpkg
  repository: https://example.org/bigpkg.git
  documentation: https://example.org/docs
  license: MIT
  license_file: LICENSE
  license_family: MIT
  license_url: https://example.org/LICENSE
  summary: A big package
  description: |
    Long text.
  prelink_message: hi

extra:
  recipe-maintainers:
    - someone
  whatever:
    nested: free
"""


NUMBR = edit(V1, "  number: 0", "  numbr: 0")
CASES = [
    Case("SMY108", NUMBR, (line_of(NUMBR, "numbr"),), "recipe.yaml"),
    Case("SMY108", LARGE, (), "recipe.yaml", label="large"),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_cases(tmp_path: Path, case: Case) -> None:
    run_case(tmp_path, case)


def _findings(tmp_path: Path, recipe: str) -> list[tuple[int, str]]:
    root = write_feedstock(tmp_path, recipe, "recipe.yaml")
    result = run_lint(root, ["SMY108"])
    return [(f.line, f.message) for f in result.findings if f.code == "SMY108"]


def test_large_valid_recipe_has_no_findings(tmp_path: Path) -> None:
    assert _findings(tmp_path, LARGE) == []


def test_the_small_valid_recipe_has_no_findings(tmp_path: Path) -> None:
    assert _findings(tmp_path, V1) == []


# (level, text replaced in LARGE, replacement, the bad key, expected suggestion or None)
TYPOS = [
    ("recipe", "  name: bigpkg\n", "  name: bigpkg\n  verison: 1\n", "verison", "version"),
    ("url-source", "    file_name: bigpkg", "    filename: bigpkg", "filename", "file_name"),
    ("git-source", "    lfs: false", "    lfs: false\n    brnch: main", "brnch", "branch"),
    ("path-in-branch", "      use_gitignore:", "      use_git_ignore:", "use_git_ignore", None),
    ("build", "  number: 0\n", "  numbr: 0\n", "numbr", "number"),
    (
        "script",
        "    interpreter: bash\n  merge",
        "    interpeter: bash\n  merge",
        "interpeter",
        None,
    ),
    ("files", "    exclude:\n      - lib/*.a", "    exclud:\n      - lib/*.a", "exclud", "exclude"),
    ("dynamic_linking", "    rpaths:\n      - lib/", "    rpath:\n      - lib/", "rpath", "rpaths"),
    ("prefix_detection", "    ignore: false", "    ignroe: false", "ignroe", "ignore"),
    ("force_file_type", "      binary:\n", "      binnary:\n", "binnary", "binary"),
    ("python", "    version_independent:", "    version_indep:", "version_indep", None),
    ("variant", "    ignore_keys:", "    ignore_key:", "ignore_key", "ignore_keys"),
    ("link_options", "    pre_link_message:", "    pre_link_msg:", "pre_link_msg", None),
    ("staging", "      name: big-build", "      nme: big-build", "nme", "name"),
    ("staging-build", "      script: build_staging", "      scrpt: build_staging", "scrpt", None),
    ("requirements", "      run_constraints:", "      run_constraint:", "run_constraint", None),
    (
        "run_exports",
        "        strong_constraints:",
        "        strong_constraint:",
        "strong_constraint",
        None,
    ),
    ("ignore_run_exports", "        by_name:", "        byname:", "byname", "by_name"),
    ("inherit", "      run_exports: false", "      run_export: false", "run_export", None),
    ("output-build", "      cache_from:", "      cachefrom:", "cachefrom", "cache_from"),
    ("output-package", "      name: libbig", "      nam: libbig", "nam", "name"),
    ("script-test", "          build:\n            - cmake", "          bild: []", "bild", "build"),
    (
        "test-files",
        "            - tests/",
        "            - tests/\n          recipes: []",
        "recipes",
        "recipe",
    ),
    ("python-test", "          pip_check:", "          pipcheck:", "pipcheck", "pip_check"),
    ("contents", "          strict: false", "          stric: false", "stric", "strict"),
    ("contents-files", "            not_exists:", "            not_exist:", "not_exist", None),
    ("perl-test", "          uses:", "          use:", "use", "uses"),
    ("r-test", "          libraries:", "          library:", "library", "libraries"),
    (
        "test-kind",
        "      - downstream: big-plugin",
        "      - downsteam: big-plugin",
        "downsteam",
        "downstream",
    ),
    ("if-branch", "          - script: check.bat", "          - scirpt: check.bat", "scirpt", None),
    ("output-about", "      summary: the library", "      sumary: the library", "sumary", None),
    ("output", "    extra:\n      free", "    extras:\n      free", "extras", "extra"),
    ("about", "  prelink_message: hi", "  prelink_msg: hi", "prelink_msg", None),
]


@pytest.mark.parametrize(("where", "old", "new", "key", "hint"), TYPOS, ids=[t[0] for t in TYPOS])
def test_a_typo_at_each_level_is_reported(
    tmp_path: Path, where: str, old: str, new: str, key: str, hint: str | None
) -> None:
    recipe = edit(LARGE, old, new)
    found = _findings(tmp_path, recipe)
    assert [line for line, _ in found] == [line_of(recipe, f"{key}:")], (where, found)
    assert f"unknown key '{key}'" in found[0][1]
    if hint:
        assert found[0][1].endswith(f"did you mean '{hint}'?")


def test_the_issue_examples_suggest_the_right_key(tmp_path: Path) -> None:
    recipe = edit(V1, "  number: 0", "  numbr: 0")
    recipe = edit(recipe, "  run:\n    - zlib >=1.3\n", "  run_constraint:\n    - zlib >=1.3\n")
    assert _findings(tmp_path, recipe) == [
        (line_of(recipe, "numbr"), "unknown key 'numbr' in build; did you mean 'number'?"),
        (
            line_of(recipe, "run_constraint"),
            "unknown key 'run_constraint' in requirements; did you mean 'run_constraints'?",
        ),
    ]


def test_a_misspelt_conditional_keyword_is_reported(tmp_path: Path) -> None:
    recipe = edit(LARGE, "  - if: win\n    then:", "  - if: win\n    thn:")
    found = _findings(tmp_path, recipe)
    assert found == [
        (line_of(recipe, "thn:"), "unknown key 'thn' in if/then/else; did you mean 'then'?")
    ]


def test_context_extra_and_templated_keys_are_free_form(tmp_path: Path) -> None:
    recipe = edit(V1, "  number: 0", "  number: 0\n  ${{ 'string' }}: abc")
    recipe = recipe + "  anything:\n    at_all: 1\n"
    assert _findings(tmp_path, recipe) == []


def test_meta_yaml_is_not_checked_by_this_rule(tmp_path: Path) -> None:
    root = write_feedstock(tmp_path, "package:\n  name: a\n  version: 1\nbuild:\n  numbr: 0\n")
    assert [f for f in run_lint(root, ["SMY108"]).findings if f.code == "SMY108"] == []


def test_top_level_and_meta_yaml_keys_get_a_suggestion_too(tmp_path: Path) -> None:
    v1 = V1 + "abuot:\n  summary: x\n"
    root = write_feedstock(tmp_path / "v1", v1, "recipe.yaml")
    [v1_finding] = run_lint(root, ["SMY101"]).findings
    assert v1_finding.message == "unexpected top-level section 'abuot'; did you mean 'about'?"
    v0 = "package:\n  name: a\n  version: 1\nbuild:\n  numbr: 0\n"
    root = write_feedstock(tmp_path / "v0", v0)
    [v0_finding] = [f for f in run_lint(root, ["SMY103"]).findings if f.code == "SMY103"]
    assert v0_finding.message.endswith("in the build section; did you mean 'number'?")
