"""smithy.yaml: one reader with spans, budgets checked while composing, one error type."""

from __future__ import annotations

import resource

import pytest

from smithy import yaml
from smithy.errors import Span
from smithy.yaml.scalars import CORE, yaml11_tag, yaml11_value


def test_nodes_carry_line_column_style_and_merge_tags() -> None:
    root = yaml.compose("a: 'x'\nb:\n  - 1.10\n  - yes\n<<: {c: d}\n", "f.yaml", 10)
    assert isinstance(root, yaml.Mapping)
    (a, x), (_, items), (merge, _) = root.pairs
    assert (a.value, a.line, a.column) == ("a", 11, 1)
    assert isinstance(x, yaml.Scalar) and (x.value, x.style, x.plain) == ("x", "'", False)
    assert isinstance(items, yaml.Sequence) and items.size == 3
    assert [(item.value, item.line, item.column) for item in items.items] == [  # type: ignore[union-attr]
        ("1.10", 13, 5),
        ("yes", 14, 5),
    ]
    assert merge.tag == yaml.MERGE_TAG


def test_aliases_are_shared_not_copied() -> None:
    root = yaml.compose("a: &x [1, 2]\nb: *x\n", "f.yaml")
    assert isinstance(root, yaml.Mapping)
    assert root.pairs[0][1] is root.pairs[1][1]
    assert root.size == 1 + 3 + 3


def _requirements(count: int) -> str:
    return "deps:\n" + "".join(f"  - pkg{i} >=1.{i}\n" for i in range(count))


def test_a_huge_list_is_refused_while_composing() -> None:
    text = _requirements(300_000)
    assert len(text) > 5_000_000
    with pytest.raises(yaml.YamlError, match="more than 200000 values") as info:
        yaml.compose(text, "big.yaml")
    assert info.value.over_budget
    # Refused at the value over the budget (item 200,000 is on line 200,001), while reading:
    # not after the whole document (line 300,001) was composed. A line, not a CPU-time bound:
    # an absolute bound failed under pytest -n 2 on a slow machine.
    assert info.value.span is not None
    assert 199_000 < info.value.span.line < 201_000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1_000_000  # KB: < 1 GB


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_nesting_past_libyamls_own_limit_names_its_line(opening: str) -> None:
    # libyaml's scanner stops at 1000 flow levels before smithy's composer counts them
    closing = "]" if opening == "[" else "}"
    text = "a: 1\nb: " + opening * 5000 + closing * 5000 + "\n"
    with pytest.raises(yaml.YamlError, match="nested deeper than 200") as info:
        yaml.compose(text, "f.yaml")
    assert info.value.over_budget
    assert info.value.span is not None and info.value.span.line == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 500 + "]" * 500, "nested deeper than 200"),
        ("- " * 300 + "x\n", "nested deeper than 200"),
        ("a: &a [*a]\n", "recursive YAML alias"),
        (
            "\n".join(
                ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
                + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 7)]
            ),
            "more than 200000 values",
        ),
    ],
)
def test_hostile_yaml_is_refused(text: str, message: str) -> None:
    with pytest.raises(yaml.YamlError, match=message):
        yaml.compose(text, "f.yaml")


@pytest.mark.parametrize(
    ("text", "span", "message"),
    [
        ("a: b: c\n", Span("f.yaml", 1, 5), "mapping values are not allowed"),
        ("a: [1\nb: 2\n", Span("f.yaml", 2, 2), "flow sequence"),
        ("a: [1\n", Span("f.yaml", 1, 4), "flow sequence"),  # at stream end: where it opens
        ("a: 'open\n", Span("f.yaml", 1, 4), "quoted scalar"),
        ('a: "\\ud800"\n', Span("f.yaml", 1, 4), "half a UTF-16 pair"),
        ("a: 1\n---\nb: 2\n", Span("f.yaml", 2, 1), "single document"),
    ],
)
def test_errors_name_file_line_and_column(text: str, span: Span, message: str) -> None:
    with pytest.raises(yaml.YamlError, match=message) as info:
        yaml.compose(text, "f.yaml")
    assert info.value.span == span
    assert "\n" not in str(info.value)


def test_first_document_only_when_asked() -> None:
    root = yaml.compose("a: 1\n---\nb: [\n", "f.yaml", first_document=True)
    assert isinstance(root, yaml.Mapping) and root.pairs[0][0].value == "a"
    assert yaml.compose("", "f.yaml") is None
    assert yaml.compose("# only a comment\n", "f.yaml", first_document=True) is None


@pytest.mark.parametrize(
    ("text", "tag", "value"),
    [
        ("yes", "bool", True),
        ("Off", "bool", False),
        ("0x1f", "int", 31),
        ("1_000", "int", 1000),
        ("1.10", "float", 1.1),
        ("~", "null", None),
        ("2.10.*", "str", "2.10.*"),
    ],
)
def test_yaml11_values_as_pyyaml_reads_them(text: str, tag: str, value: object) -> None:
    scalar = yaml.Scalar(text, "", "", 1, 1)
    assert yaml11_tag(scalar) == CORE + tag
    assert yaml11_value(scalar, CORE + tag) == value
    quoted = yaml.Scalar(text, "'", "", 1, 1)
    assert yaml11_tag(quoted) == CORE + "str"
