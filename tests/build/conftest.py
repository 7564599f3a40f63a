"""Three small offline feedstocks: A <- B <- C (C compiled with the system C compiler)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_tree

A = """\
package:
  name: pkg-a
  version: "1.0"
source:
  path: .
build:
  number: 0
  noarch: generic
  script:
    - mkdir -p $PREFIX/share/pkg-a
    - cp data.txt $PREFIX/share/pkg-a/a.txt
"""

B = """\
package:
  name: pkg-b
  version: "1.0"
source:
  path: .
build:
  number: 0
  noarch: generic
  script:
    - test -f $PREFIX/share/pkg-a/a.txt
    - mkdir -p $PREFIX/share/pkg-b
    - cp data.txt $PREFIX/share/pkg-b/b.txt
requirements:
  host:
    - pkg-a
  run:
    - pkg-a
"""

C = """\
package:
  name: pkg-c
  version: "1.0"
source:
  path: .
build:
  number: 0
  script:
    - test -f $BUILD_PREFIX/share/pkg-b/b.txt
    - test -f $BUILD_PREFIX/share/pkg-a/a.txt
    - mkdir -p $PREFIX/bin
    - cc -o $PREFIX/bin/hello-c hello.c
requirements:
  build:
    - pkg-b
"""

HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'


@pytest.fixture
def abc(tmp_path: Path) -> Path:
    root = tmp_path / "feedstocks"
    return write_tree(
        root,
        {
            "c-feedstock/recipe/recipe.yaml": C,
            "c-feedstock/recipe/hello.c": HELLO,
            "b-feedstock/recipe/recipe.yaml": B,
            "b-feedstock/recipe/data.txt": "b\n",
            "a-feedstock/recipe/recipe.yaml": A,
            "a-feedstock/recipe/data.txt": "a\n",
        },
    )
