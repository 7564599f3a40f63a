"""A rule test case: a recipe, the rule's code and the lines it must report (none = passes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.lint.helpers import check


@dataclass(frozen=True)
class Case:
    code: str
    recipe: str
    lines: tuple[int, ...]
    fmt: str = "meta.yaml"
    files: Mapping[str, str] = field(default_factory=dict)
    conda_forge: bool = False
    label: str = ""

    @property
    def id(self) -> str:
        kind = "bad" if self.lines else "good"
        fmt = "v1" if self.fmt == "recipe.yaml" else "v0"
        return f"{self.code}-{fmt}-{kind}" + (f"-{self.label}" if self.label else "")


def run_case(tmp_path: Path, case: Case) -> None:
    check(
        tmp_path,
        case.code,
        case.recipe,
        case.lines,
        case.fmt,
        dict(case.files),
        conda_forge=case.conda_forge,
    )


def case_id(case: Case) -> str:
    return case.id
