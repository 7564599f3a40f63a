"""``record`` value classes: equal and hashed by value, read-only for mypy, fast to make."""

from __future__ import annotations

import builtins
import copy
import dataclasses
import functools
import inspect
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mypy import api as mypy_api

from smithy.config.schema import ConfigIssue
from smithy.errors import Span
from smithy.recipe.model import Dependency, RenderedOutput, Requirements
from smithy.records import frozen_record, record


def test_spans_and_dependencies_compare_and_hash_by_value() -> None:
    # Memo keys and sets hold these: equal values must be one key, different ones two.
    assert {Span("meta.yaml", 3, 1), Span("meta.yaml", 3, 1)} == {Span("meta.yaml", 3, 1)}
    assert len({Span("meta.yaml", 3), Span("meta.yaml", 4)}) == 2
    first = Dependency("numpy >=1.26", Span("meta.yaml", 9))
    same = Dependency("numpy >=1.26", Span("meta.yaml", 9))
    assert first == same and hash(first) == hash(same)
    assert {Requirements(host=(first,)): 1}[Requirements(host=(same,))] == 1
    assert first != Dependency("numpy >=1.26", Span("meta.yaml", 10))


def test_records_are_slotted_dataclasses_that_survive_pickle() -> None:
    span = Span("recipe/meta.yaml", 4, 2)
    output = RenderedOutput(
        "x", "1.0", 0, span, requirements=Requirements(run=(Dependency("y", span),))
    )
    assert not hasattr(span, "__dict__")
    assert dataclasses.replace(span, line=5) == Span("recipe/meta.yaml", 5, 2)
    assert pickle.loads(pickle.dumps(output)) == output  # fleet workers send results back


def test_mypy_rejects_assigning_to_a_record_field(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from smithy.errors import Span\n"
        "span = Span('meta.yaml', 1)\n"
        "span.line = 2\n"
        "print(Span('meta.yaml', line=3, column=4))\n"
    )
    out, _, status = mypy_api.run(
        [str(snippet), "--no-incremental", "--follow-imports=silent", "--cache-dir=/dev/null"]
    )
    assert status == 1
    assert 'snippet.py:3: error: Property "line" defined in "Span" is read-only' in out
    assert "snippet.py:4" not in out


# --- a record is the dataclass ``dataclass(slots=True, unsafe_hash=True)`` would make --------

_FIELD_KINDS = ("plain", "value", "factory")
_record_reference = dataclasses.dataclass(slots=True, unsafe_hash=True)


def _both(
    spec: list[tuple[str, str, bool, bool | None, bool]], doc: bool, frozen: bool = False
) -> list[type]:
    """The class ``spec`` describes, made by ``record`` and by ``dataclass`` (same source).

    ``frozen``: by ``frozen_record`` and ``dataclass(frozen=True, slots=True)``.
    """
    lines = ["class C:", '    """A record."""' if doc else "    pass"]
    for index, (kind, _, compare, hashed, shown) in enumerate(spec):
        options = f"compare={compare}, hash={hashed}, repr={shown}"
        default = {"plain": "", "value": ", default=(1, 'x')", "factory": ", default_factory=list"}
        lines.append(f"    f{index}: object = field({options}{default[kind]})")
    made: list[type] = []
    reference = dataclasses.dataclass(frozen=True, slots=True) if frozen else _record_reference
    for decorate in (frozen_record if frozen else record, reference):
        namespace: dict[str, object] = {"field": dataclasses.field, "__name__": __name__}
        exec("\n".join(lines), namespace)  # the test's own class text
        made.append(decorate(namespace["C"]))  # type: ignore[arg-type]
    return made


_specs = st.lists(
    st.tuples(
        st.sampled_from(_FIELD_KINDS),
        st.just(""),
        st.booleans(),
        st.sampled_from([None, True, False]),
        st.booleans(),
    ),
    max_size=6,
).map(lambda spec: sorted(spec, key=lambda item: item[0] != "plain"))  # defaults last


@given(
    spec=_specs,
    doc=st.booleans(),
    frozen=st.booleans(),
    values=st.lists(st.integers(0, 2), min_size=12, max_size=12),
)
def test_a_record_behaves_as_the_dataclass_it_replaces(
    spec: list[tuple[str, str, bool, bool | None, bool]],
    doc: bool,
    frozen: bool,
    values: list[int],
) -> None:
    fast, reference = _both(spec, doc, frozen)
    assert str(inspect.signature(fast)) == str(inspect.signature(reference))
    assert fast.__doc__ == reference.__doc__
    assert fast.__match_args__ == reference.__match_args__  # type: ignore[attr-defined]
    assert fast.__slots__ == reference.__slots__  # type: ignore[attr-defined]
    assert fast.__init__.__annotations__ == reference.__init__.__annotations__  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(fast)] == [
        f.name for f in dataclasses.fields(reference)
    ]
    count = len(spec)
    pairs = []
    for side in (fast, reference):
        first, second = side(*values[:count]), side(*values[6 : 6 + count])
        shown = (
            repr(first),
            repr(second),
            repr(side()) if all(k != "plain" for k, *_ in spec) else "",
        )
        compared = (first == second, first != second, first == first, first == values[0])
        changed = _assigned(side(*values[:count])) if count else ""
        pairs.append((shown, compared, hash(first), hash(second), changed))
        assert copy.copy(first) == first and copy.deepcopy(second) == second  # as pickle does
        assert dataclasses.replace(first) == first
    assert pairs[0] == pairs[1]


def _assigned(value: object) -> str:
    """What assigning to and deleting a field, and a name that is not one, does.

    For the name that is not a field a frozen dataclass raises TypeError on 3.11 (its check
    names the class from before the slots were added); a frozen record must do the same.
    """
    outcomes = []
    for name in ("f0", "other"):
        for change in (
            functools.partial(setattr, value, name, 5),
            functools.partial(delattr, value, name),
        ):
            try:
                change()
                outcomes.append("done")
            except (AttributeError, TypeError) as error:
                outcomes.append(f"{type(error).__name__}: {error}")
    return "; ".join(outcomes)


def test_a_record_repr_shows_a_loop_as_dataclass_does() -> None:
    fast, reference = _both([("plain", "", True, None, True)], doc=True)
    shown = []
    for side in (fast, reference):
        items: list[object] = []
        value = side(items)
        items.append(value)
        shown.append(repr(value))
    assert shown[0] == shown[1] == "C(f0=[...])"


def test_a_record_default_factory_gives_each_object_its_own_value() -> None:
    fast, _ = _both([("factory", "", True, None, True)], doc=False)
    first, second = fast(), fast()
    assert first.f0 == [] and first.f0 is not second.f0
    assert fast.__doc__ == "C(f0: 'object' = <factory>)"


def test_records_keep_dataclass_features() -> None:
    """__post_init__, dataclass bases, keyword-only fields and the order check work as before."""
    calls: list[int] = []

    @record
    class Checked:
        value: int

        def __post_init__(self) -> None:
            calls.append(self.value)

    @record
    class Base:
        first: int

    @record
    class Derived(Base):
        second: int = 2

    @record
    class Keyword:
        first: int
        second: int = dataclasses.field(default=2, kw_only=True)

    Checked(3)
    assert calls == [3]
    assert Derived(1) == Derived(1, 2) and repr(Derived(1)).endswith("Derived(first=1, second=2)")
    assert str(inspect.signature(Keyword)) == "(first: 'int', *, second: 'int' = 2) -> None"
    with pytest.raises(TypeError, match="non-default argument 'late' follows default argument"):

        @record
        class Disordered:
            early: int = 1
            late: int  # type: ignore[misc]


def test_a_record_compiles_only_its_init(monkeypatch: pytest.MonkeyPatch) -> None:
    """Making a class is paid at import by every process: one compile per record, not four.

    ``__eq__`` and ``__hash__`` come from a template per number of fields, compiled once.
    """
    texts: list[str] = []
    real_compile, real_exec = builtins.compile, builtins.exec

    def counting_compile(source: Any, *args: Any, **kwargs: Any) -> Any:
        texts.append(source)
        return real_compile(source, *args, **kwargs)

    def counting_exec(source: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(source, str):
            texts.append(source)
        return real_exec(source, *args, **kwargs)

    class Point:
        """A point."""

        x: int
        y: int = 0
        tags: list[str] = dataclasses.field(default_factory=list)

    class Label:
        """Same number of fields, other names."""

        text: str
        size: int
        kind: str = "plain"

    monkeypatch.setattr(builtins, "compile", counting_compile)
    monkeypatch.setattr(builtins, "exec", counting_exec)
    point = record(Point)
    compiled_before = len(texts)
    label = record(Label)
    monkeypatch.undo()
    assert compiled_before <= 3 and len(texts) == compiled_before + 1
    assert point(1) == point(1, 0, []) and point(1) != point(2)  # type: ignore[call-arg]
    assert label("a", 1) != label("a", 2) and hash(label("a", 1)) == hash(("a", 1, "plain"))  # type: ignore[call-arg]


def test_fields_named_like_the_templates_globals_are_read_as_fields() -> None:
    @record
    class Odd:
        hash: int
        NotImplemented: int  # the collision under test

    assert Odd(1, 2) == Odd(1, 2) and Odd(1, 2) != Odd(1, 3)
    assert hash(Odd(1, 2)) == hash((1, 2))


def test_a_frozen_record_refuses_assignment_and_survives_pickle() -> None:
    issue = ConfigIssue("unknown key", "bot.x", Span("conda-forge.yml", 3), "unknown-key")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'kind'"):
        issue.kind = "deprecated"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'kind'"):
        del issue.kind
    assert pickle.loads(pickle.dumps(issue)) == issue and copy.copy(issue) == issue
    assert hash(pickle.loads(pickle.dumps(issue))) == hash(issue)


def test_without_usable_templates_dataclass_makes_every_method(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ``dataclass`` writing methods that need a closure: the classes are made the plain way."""
    from smithy import records

    def outer() -> Any:
        captured = 1

        def method(self: object) -> int:
            return captured

        return method.__code__

    monkeypatch.setattr(records, "_templates", lambda count: (outer(), outer()))
    assert not records._templates_usable()
    monkeypatch.setattr(records, "_TEMPLATES_USABLE", False)

    class Pair:
        left: int
        right: str

    made = record(Pair)
    assert made(1, "a") == made(1, "a") and made(1, "a") != made(2, "a")  # type: ignore[call-arg]
    assert hash(made(1, "a")) == hash((1, "a"))  # type: ignore[call-arg]
    assert repr(made(1, "a")).endswith("Pair(left=1, right='a')")  # type: ignore[call-arg]
    assert made.__dataclass_params__.eq  # type: ignore[attr-defined]  # written by dataclass itself
