"""Turn a parsed meta.yaml tree into typed outputs, following conda-build's output rules."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from smithy.errors import RecipeParseError, Span
from smithy.recipe.meta_yaml_pins import OutputIdentity, PinResolver
from smithy.recipe.model import Dependency, RenderedOutput, Requirements, Source
from smithy.recipe.yaml_plain import plain_resolved
from smithy.recipe.yaml_tree import YMap, YNode, YScalar, YSeq
from smithy.records import record

_DROPPED_SPECS = frozenset({"None", "NoneType"})  # what a "{{ None }}" requirement renders to


def kept_spec(text: str) -> str | None:
    """A rendered requirement spec, whitespace folded; None when empty or a ``{{ None }}``."""
    spec = " ".join(text.split())
    return spec if spec and spec not in _DROPPED_SPECS else None


@record
class Section:
    """Reads typed values out of nodes, naming ``path:line`` on bad shapes.

    Attributes:
        path: how to name the recipe.
        source_lines: the meta.yaml line of each rendered line (empty: the same numbers).
    """

    path: str
    source_lines: Sequence[int] = ()

    def span(self, line: int) -> Span:
        """Return the meta.yaml span of rendered ``line``."""
        return Span(self.path, self.source_line(line))

    def source_line(self, line: int) -> int:
        """Return the meta.yaml line of rendered ``line``."""
        if 0 < line <= len(self.source_lines):
            return self.source_lines[line - 1]
        return line

    def error(self, message: str, line: int) -> RecipeParseError:
        """Return a parse error at rendered ``line``."""
        return RecipeParseError(message, self.span(line))

    def mapping(self, node: YNode | None, what: str) -> YMap | None:
        """Return ``node`` as a mapping; None or an empty value give None."""
        if node is None or (isinstance(node, YScalar) and node.value in (None, "")):
            return None
        if not isinstance(node, YMap):
            raise self.error(f"{what} must be a mapping", node.line)
        return node

    def text(self, node: YNode | None, what: str) -> str | None:
        """Return a scalar as text (booleans as ``True``/``False``); None when absent."""
        if node is None or (isinstance(node, YScalar) and node.value is None):
            return None
        if not isinstance(node, YScalar):
            raise self.error(f"{what} must be text", node.line)
        return str(node.value)


@dataclass(slots=True)
class Parts:
    """The sections one output is built from, after conda-build's inheritance rules."""

    name: str
    version: str
    line: int
    build: YMap | None
    requirements: dict[str, YNode] = field(default_factory=dict)
    test: YNode | None = None
    script: YNode | None = None
    legacy: YMap | None = None  # an output without its own build section reads old keys here
    # What the above was made of: parsed nodes (compared by identity) and values (by
    # equality); an output memo keys on them (meta_yaml_output_memo).
    nodes: tuple[YNode | None, ...] = ()
    values: tuple[Hashable, ...] = ()


def requirement_sections(node: YNode | None, reader: Section, what: str) -> dict[str, YNode]:
    """Return the requirement sections; a plain list means host and run (conda-build)."""
    if node is None or (isinstance(node, YScalar) and node.value in (None, "")):
        return {}
    if isinstance(node, YMap):
        return dict(node.entries)
    if isinstance(node, YSeq):
        return {"host": node, "run": node}
    raise reader.error(f"{what} must be a mapping or a list", node.line)


def dependencies(
    node: YNode | None, reader: Section, resolver: PinResolver, host: tuple[str, ...]
) -> tuple[Dependency, ...]:
    """Return the specs of one requirement list; empty items (false selectors) are dropped."""
    if node is None:
        return ()
    items = node.items if isinstance(node, YSeq) else (node,)
    found: list[Dependency] = []
    for item in items:
        if not isinstance(item, YScalar):
            raise reader.error("a requirement must be a text spec", item.line)
        if item.value is None:
            continue
        spec = kept_spec(resolver.resolve(str(item.value), host, item.line))
        if spec is not None:
            found.append(Dependency(spec, reader.span(item.line)))
    return tuple(found)


def host_specs(parts: Parts) -> tuple[str, ...]:
    """The raw host specs of an output (what ``pin_compatible`` reads)."""
    node = parts.requirements.get("host")
    items = node.items if isinstance(node, YSeq) else (node,) if node is not None else ()
    return tuple(str(item.value) for item in items if isinstance(item, YScalar) and item.value)


def build_number(build: YMap | None, reader: Section, default: int = 0) -> int:
    """Return ``build.number`` (``default`` when absent or empty), refusing non-integers."""
    node = build.get("number") if build is not None else None
    text = reader.text(node, "build.number")
    if node is None or not text:
        return default
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number < 0:
        raise reader.error(f"build number must be a non-negative integer, got {text!r}", node.line)
    return number


def noarch_of(build: YMap | None, reader: Section) -> str | None:
    """Return ``noarch`` (``python``/``generic``), honouring legacy ``noarch_python: true``."""
    if build is None:
        return None
    node = build.get("noarch")
    value = node.value if isinstance(node, YScalar) else None
    if isinstance(value, str) and value:
        return value
    if value is True:
        return "generic"
    python = build.get("noarch_python")
    if isinstance(python, YScalar) and python.value not in (None, False, "", "False", "false"):
        return "python"
    return None


def _spec_list(
    node: YNode | None, reader: Section, resolver: PinResolver, host: tuple[str, ...]
) -> tuple[str, ...]:
    return tuple(dep.spec for dep in dependencies(node, reader, resolver, host))


def run_exports(
    build: YMap | None, reader: Section, resolver: PinResolver, host: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    """Return run_exports by kind; a plain list is ``weak``, as conda-build reads it."""
    node = build.get("run_exports") if build is not None else None
    if node is None or (isinstance(node, YScalar) and node.value is None):
        return {}
    if isinstance(node, YMap):
        return {kind: _spec_list(v, reader, resolver, host) for kind, v in node.items()}
    return {"weak": _spec_list(node, reader, resolver, host)}


def ignore_run_exports(
    build: YMap | None, reader: Section, resolver: PinResolver
) -> dict[str, tuple[str, ...]]:
    """Return ``by_name`` (ignore_run_exports) and ``from_package`` (ignore_run_exports_from)."""
    result: dict[str, tuple[str, ...]] = {}
    pairs = (("ignore_run_exports", "by_name"), ("ignore_run_exports_from", "from_package"))
    for key, kind in pairs:
        node = build.get(key) if build is not None else None
        names = _spec_list(node, reader, resolver, ())
        if names:
            result[kind] = names
    return result


def script_text(node: YNode | None, reader: Section, resolver: PinResolver) -> str | None:
    """Return a script as text; a list of commands is joined by newlines."""
    if node is None:
        return None
    if isinstance(node, YSeq):
        lines = [reader.text(item, "a script line") for item in node.items]
        return "\n".join(resolver.resolve(line) for line in lines if line is not None)
    text = reader.text(node, "script")
    return resolver.resolve(text) if text is not None else None


def skip_value(build: YMap | None) -> bool:
    """``build.skip`` as conda-build reads it: the truth of its value, so ``[true]`` skips."""
    node = build.get("skip") if build is not None else None
    if isinstance(node, YScalar):
        return bool(node.value)
    if isinstance(node, YSeq):
        return bool(node.items)
    return isinstance(node, YMap) and bool(node.entries)


def make_output(
    parts: Parts, reader: Section, resolver: PinResolver, skip_all: bool
) -> RenderedOutput:
    """Build one RenderedOutput from its (inherited) sections.

    ``parts.version`` and ``skip_all`` reach only the output's ``version`` and ``skip``
    (outputs shared by ``meta_yaml_output_memo`` are made with one and get those set after).
    """
    host = host_specs(parts)
    sections = {
        name: dependencies(parts.requirements.get(name), reader, resolver, host)
        for name in Requirements.SECTIONS
    }
    build = parts.build
    skip = skip_value(build)
    string_node = build.get("string") if build is not None else None
    tests = () if parts.test is None else (plain_resolved(parts.test, resolver.for_host(host)),)
    return RenderedOutput(
        name=parts.name,
        version=parts.version,
        build_number=build_number(build, reader),
        span=reader.span(parts.line),
        build_string=reader.text(string_node, "build.string"),
        noarch=noarch_of(parts.legacy if parts.legacy is not None else build, reader),
        skip=skip_all or skip,
        script=script_text(parts.script, reader, resolver),
        requirements=Requirements(**sections),
        run_exports=run_exports(build, reader, resolver, host),
        ignore_run_exports=ignore_run_exports(build, reader, resolver),
        tests=tuple(test for test in tests if test is not None),
    )


def identity(parts: Parts, reader: Section) -> OutputIdentity:
    """What ``pin_subpackage`` needs from an output."""
    string_node = parts.build.get("string") if parts.build is not None else None
    return OutputIdentity(
        parts.version, build_number(parts.build, reader), reader.text(string_node, "build.string")
    )


def sources(node: YNode | None, reader: Section, resolver: PinResolver) -> tuple[Source, ...]:
    """Return the top-level sources (one mapping or a list of them)."""
    if node is None or (isinstance(node, YScalar) and node.value in (None, "")):
        return ()
    entries = node.items if isinstance(node, YSeq) else (node,)
    found: list[Source] = []
    for entry in entries:
        source = reader.mapping(entry, "a source entry")
        if source is None:
            continue
        url = source.get("url")
        urls = url.items if isinstance(url, YSeq) else (url,) if url is not None else ()
        texts = [reader.text(item, "source.url") for item in urls]

        def field_text(key: str, source: YMap = source) -> str | None:
            text = reader.text(source.get(key), f"source.{key}")
            return resolver.resolve(text) if text is not None else None

        found.append(
            Source(
                url=tuple(resolver.resolve(text) for text in texts if text),
                git=field_text("git_url"),
                path=field_text("path"),
                sha256=field_text("sha256"),
                md5=field_text("md5"),
                span=reader.span(source.line),
            )
        )
    return tuple(found)


def plain_mapping(node: YMap | None, resolver: PinResolver) -> Mapping[str, Any]:
    """Return a section as a plain dict with placeholders resolved."""
    value = plain_resolved(node, resolver.for_host(())) if node is not None else {}
    return value if isinstance(value, dict) else {}
