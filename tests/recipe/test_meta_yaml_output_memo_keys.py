"""The output memo's keys, seen without a line map: spans then compare by number alone.

With jinja's line map, a changed line an output makes a span for also changes the marked
lines a reuse compares; without one, only the key tells the builds apart.
"""

from __future__ import annotations

import marshal

from smithy.recipe.meta_yaml_build import build
from smithy.recipe.meta_yaml_memo import Built
from smithy.recipe.meta_yaml_output_memo import OutputMemo
from smithy.recipe.meta_yaml_outputs import Section
from smithy.recipe.yaml_chunks import parse_document


def builds(*texts: str) -> list[Built]:
    """Builds of ``texts`` sharing one memo; each equals a build without it."""
    memo, reader = OutputMemo(), Section("recipe/meta.yaml")
    found = []
    for text in texts:
        tree = parse_document(text, reader.path)
        shared = build(tree, reader, [], {}, defer_variant=True, memo=memo)
        alone = build(tree, reader, [], {}, defer_variant=True)
        assert shared.outputs == alone.outputs
        assert marshal.loads(shared.plain) == marshal.loads(alone.plain)
        found.append(shared)
    return found


# "other" has a build number of its own: it inherits nothing from the top level.
OUTPUTS = (
    "package:\n  name: keys{n}\n  version: 1\noutputs:\n  - name: keys{n}\n"
    "  - name: other\n    build:\n      number: 0\n"
)


def test_an_output_named_like_the_package_reads_the_top_level_requirements_after_it() -> None:
    text = OUTPUTS.format(n=1) + "requirements:\n  run:\n    - zlib {v}\n"
    first, second = builds(text.format(v=1), text.format(v=2))
    assert [d.spec for d in second.outputs[0].requirements.run] == ["zlib 2"]
    assert second.outputs[1] is first.outputs[1]  # "other" reads none of it: shared


def test_an_output_named_like_the_package_reads_the_top_level_build_after_it() -> None:
    text = OUTPUTS.format(n=2) + "build:\n  number: {v}\n  string: s{v}\n"
    first, second = builds(text.format(v=1), text.format(v=2))
    assert (second.outputs[0].build_number, second.outputs[0].build_string) == (2, "s2")
    assert second.outputs[1] is first.outputs[1]


def test_the_top_level_package_added_as_an_output_reads_the_package_section() -> None:
    # The top-level package is added (its run needs an output), named by "package".
    text = (
        "package:\n  name: {name}\n  version: 1\noutputs:\n  - name: keys3-lib\n"
        "requirements:\n  run:\n    - keys3-lib\n"
    )
    first, second = builds(text.format(name="keys3a"), text.format(name="keys3b"))
    assert [o.name for o in first.outputs] == ["keys3-lib", "keys3a"]
    assert [o.name for o in second.outputs] == ["keys3-lib", "keys3b"]
