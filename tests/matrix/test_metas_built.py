"""Only built outputs count for the matrix; a skipped output's script is still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from smithy.api import variants
from smithy.errors import SmithyError
from tests.conftest import DATA, write_tree

PINNING = DATA / "rerender_matrix" / "pinning"

TWO_OUTPUTS = """\
package:
  name: pair
  version: 1.0.0
outputs:
  - name: pair-a
    requirements:
      host:
        - libpng
  - name: pair-b
    script: build_b.sh
    build:
      skip: true  # [{skip}]
    requirements:
      host:
        - zlib
"""


def _jobs(tmp_path: Path, skip: str, script: bytes = b"echo ok\n") -> dict[str, list[str]]:
    """Job name -> the zlib values of each linux-64 job (empty when zlib is not used)."""
    root = write_tree(
        tmp_path / "fs",
        {"recipe/meta.yaml": TWO_OUTPUTS.format(skip=skip), "conda-forge.yml": "{}\n"},
    )
    (root / "recipe" / "build_b.sh").write_bytes(script)
    _, matrix = variants(root, pinning=str(PINNING))
    return {
        job.config_name: list(job.config.get("zlib", []))
        for job in matrix.jobs
        if job.config_name.startswith(("linux_64", "osx_64"))
    }


def test_a_skipped_outputs_keys_do_not_count(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path, "linux")
    assert {name: values for name, values in jobs.items() if name.startswith("linux")} == {
        "linux_64_": []
    }
    assert [values for name, values in jobs.items() if name.startswith("osx")] == [["1.3"]]


def test_a_script_of_an_output_skipped_everywhere_is_still_read(tmp_path: Path) -> None:
    with pytest.raises(SmithyError, match="UTF-8"):
        _jobs(tmp_path, "true", script=b"echo \xff\n")
