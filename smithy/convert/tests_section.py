"""meta.yaml's ``test`` section (and ``run_test.*`` files) -> recipe.yaml's list of tests."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

_PIP_CHECK = re.compile(r"^\s*(?:python -m )?pip check\s*$")
# run_test.* files conda-build runs; rattler-build needs them named as script tests.
RUN_TEST_FILES = ("run_test.py", "run_test.sh", "run_test.bat", "run_test.pl", "run_test.R")


def _plain_commands(commands: Any) -> tuple[list[Any], bool]:
    """The commands without ``pip check`` (a python test does it) and whether it was there."""
    if not isinstance(commands, list):
        return ([commands] if commands else []), False
    kept = [c for c in commands if not (isinstance(c, str) and _PIP_CHECK.match(c))]
    return kept, len(kept) != len(commands)


def _requires_pip(requires: Any) -> bool:
    return isinstance(requires, list) and any(
        isinstance(r, str) and r.split()[0] == "pip" for r in requires if r
    )


def _python_test(imports: Any, pip_check: bool) -> CommentedMap:
    python = CommentedMap()
    if imports:
        python["imports"] = imports
    python["pip_check"] = pip_check
    return CommentedMap([("python", python)])


def _script_test(test: CommentedMap, commands: list[Any]) -> CommentedMap:
    script = CommentedMap([("script", CommentedSeq(commands))])
    requires = test.get("requires")
    if requires:
        script["requirements"] = CommentedMap([("run", requires)])
    files = CommentedMap()
    if test.get("source_files"):
        files["source"] = test["source_files"]
    if test.get("files"):
        files["recipe"] = test["files"]
    if files:
        script["files"] = files
    return script


def _run_test_files(present: frozenset[str], test: CommentedMap) -> list[CommentedMap]:
    tests: list[CommentedMap] = []
    shell = [name for name in ("run_test.sh", "run_test.bat") if name in present]
    if shell:
        tests.append(_run_file_test("run_test" if len(shell) == 2 else shell[0], test))
    for name in ("run_test.py", "run_test.pl", "run_test.R"):
        if name in present:
            tests.append(_run_file_test(name, test))
    return tests


def _run_file_test(name: str, test: CommentedMap) -> CommentedMap:
    script = CommentedMap([("script", CommentedMap([("file", name)]))])
    requires = test.get("requires")
    if requires:
        script["requirements"] = CommentedMap([("run", requires)])
    return script


def _whole_list_condition(items: Any) -> tuple[Any, Any]:
    """(condition, the list) for a key under a condition, else (None, ``items``).

    ConditionWalker leaves one bare ``if``/``then`` mapping on such a key. A whole kind of
    test under a condition becomes one conditional test, not a test whose list is empty when
    the condition is false.
    """
    if isinstance(items, CommentedMap) and set(items) == {"if", "then"}:
        then = items["then"]
        return items["if"], then if isinstance(then, list) else CommentedSeq([then])
    return None, items


def _conditional(condition: Any, entry: CommentedMap) -> CommentedMap:
    if condition is None:
        return entry
    return CommentedMap([("if", condition), ("then", entry)])


def convert_tests(test: Any, recipe_files: frozenset[str]) -> CommentedSeq:
    """Return the v1 ``tests`` list for a v0 ``test`` mapping (empty when nothing is tested).

    ``recipe_files`` are the names in the recipe folder: conda-build also runs ``run_test.*``.
    """
    if isinstance(test, CommentedMap) and "if" in test and "else" not in test:
        # a test section under a jinja/selector condition (see ConditionWalker.merged_value)
        return CommentedSeq(
            _conditional(test["if"], entry)
            for entry in convert_tests(test.get("then"), recipe_files)
        )
    test = test if isinstance(test, CommentedMap) else CommentedMap()
    tests = CommentedSeq()
    commands_condition, raw_commands = _whole_list_condition(test.get("commands"))
    commands, pip_check = _plain_commands(raw_commands)
    imports_condition, imports = _whole_list_condition(test.get("imports"))
    pip_check = pip_check and _requires_pip(test.get("requires"))
    if pip_check and commands_condition is not None:
        pip_check = False  # a conditional pip check stays a conditional script command
        commands = list(raw_commands)
    if imports or pip_check:
        if pip_check and imports_condition is not None:
            imports = CommentedSeq([_conditional(imports_condition, imports)])
            imports_condition = None
        tests.append(_conditional(imports_condition, _python_test(imports, pip_check)))
    if commands:
        tests.append(_conditional(commands_condition, _script_test(test, commands)))
    elif pip_check is False and _plain_commands(test.get("commands"))[1]:
        tests.append(_script_test(test, ["pip check"]))
    tests.extend(_run_test_files(recipe_files, test))
    downstreams = test.get("downstreams")
    if isinstance(downstreams, list):
        tests.extend(CommentedMap([("downstream", name)]) for name in downstreams)
    return tests
