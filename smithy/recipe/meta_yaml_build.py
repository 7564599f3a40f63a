"""Build a meta.yaml render's outputs, sources and plain data from its parsed tree.

conda-build's output rules: the top-level package and its inheritance into outputs, the
identities ``pin_subpackage`` reads, and the whole document as plain data for linters.
"""

from __future__ import annotations

import marshal
from collections.abc import Mapping, Sequence
from typing import Any

from smithy.recipe.jinja_pins import PLACEHOLDER, PinRequest
from smithy.recipe.meta_yaml_memo import Built, marked_strings, output_marks
from smithy.recipe.meta_yaml_output_memo import OutputMemo, SharedBuild
from smithy.recipe.meta_yaml_outputs import (
    Parts,
    Section,
    host_specs,
    identity,
    make_output,
    plain_mapping,
    requirement_sections,
    skip_value,
    sources,
)
from smithy.recipe.meta_yaml_pins import PinResolver
from smithy.recipe.yaml_plain import plain_resolved
from smithy.recipe.yaml_tree import YMap, YNode, YScalar, YSeq, to_plain

# conda-build's top-level sections: each must be a mapping (source and outputs may be lists).
_SECTIONS = ("package", "source", "build", "requirements", "test", "about", "extra", "app")
_LIST_SECTIONS = frozenset({"source", "outputs"})
_TOP_PARTS = ("package", "build", "requirements", "test")  # what the top-level Parts read


def _document(tree: YNode | None, reader: Section) -> YMap:
    if tree is None or (isinstance(tree, YScalar) and tree.value is None):
        raise reader.error("the recipe is empty", 1)
    if not isinstance(tree, YMap):
        raise reader.error("a meta.yaml must be a mapping of sections", tree.line)
    for key in _SECTIONS:
        node = tree.get(key)
        if node is None or (key in _LIST_SECTIONS and isinstance(node, YSeq)):
            continue
        reader.mapping(node, f"the {key} section")
    return tree


def top_skip(tree: YNode | None, reader: Section) -> bool:
    """Whether the recipe's top-level ``build.skip`` is true (conda-build's ``skip()``)."""
    document = _document(tree, reader)
    return skip_value(reader.mapping(document.get("build"), "the build section"))


def _top_parts(document: YMap, reader: Section) -> Parts:
    package = reader.mapping(document.get("package"), "the package section")
    name_node = package.get("name") if package is not None else None
    name = reader.text(name_node, "package.name")
    if not name:
        line = package.line if package is not None else 1
        raise reader.error("package.name is missing", line)
    assert name_node is not None
    build = reader.mapping(document.get("build"), "the build section")
    return Parts(
        name=name,
        version=reader.text(package.get("version") if package else None, "version") or "",
        line=name_node.line,
        build=build,
        requirements=requirement_sections(document.get("requirements"), reader, "requirements"),
        test=document.get("test"),
        script=build.get("script") if build is not None else None,
        nodes=tuple(document.get(key) for key in _TOP_PARTS),
    )


def _merged(first: YMap | None, second: YMap | None) -> YMap | None:
    """``second``'s keys over ``first``'s, as conda-build merges a same-named output."""
    if first is None or second is None:
        return second or first
    entries = {**first.entries, **second.entries}
    key_lines = {**first.key_lines, **second.key_lines}
    return YMap(entries, second.line, first.size + second.size, key_lines)


def _output_parts(node: YNode, top: Parts, reader: Section) -> Parts:
    output = reader.mapping(node, "an output")
    if output is None:
        raise reader.error("an output must be a mapping with a name", node.line)
    name = reader.text(output.get("name"), "output name")
    if not name:
        raise reader.error("an output has no name", output.line)
    version = reader.text(output.get("version"), "output version") or top.version
    requirements = requirement_sections(output.get("requirements"), reader, "requirements")
    build_node = output.get("build")
    if name == top.name:  # the top-level package, with the output's keys on top
        return Parts(
            name, version, output.line,
            _merged(top.build, reader.mapping(build_node, "build")),
            {**top.requirements, **requirements},
            output.get("test") or top.test,
            output.get("script") or top.script,
            nodes=(node, *top.nodes),
        )  # fmt: skip
    build: YMap | None
    nodes: tuple[YNode | None, ...] = (node,)
    inherited: object = None
    if build_node is not None:
        build = reader.mapping(build_node, "build") or YMap({}, output.line, 1, {})
        if build.get("number") is None:  # only the build number is inherited
            number = output.get("number") or (top.build.get("number") if top.build else None)
            if number is not None:
                build = _merged(YMap({"number": number}, build.line, 1, {}), build)
                # A scalar by value: its line could only name it in an error (never kept).
                if isinstance(number, YScalar):
                    inherited = ("number", number.value)
                else:
                    nodes = (node, number)
        legacy = None
    else:  # conda-build < 3.0.26 style: the top-level build, old keys on the output
        overrides = {k: v for k, v in output.items() if k in ("number", "string", "run_exports")}
        build = _merged(top.build, YMap(overrides, output.line, 1, {}) if overrides else None)
        old_keys = {k: v for k, v in output.items() if k in ("noarch", "noarch_python")}
        legacy = YMap(old_keys, output.line, 1, {})
        nodes = (node, top.build)
    parts = Parts(name, version, output.line, build, requirements, output.get("test"))
    parts.script, parts.legacy = output.get("script"), legacy
    parts.nodes, parts.values = nodes, (top.name, inherited)  # the version: see make_output
    return parts


def _uses_subpackage(top: Parts, names: set[str], resolver: PinResolver) -> bool:
    """conda-build adds the top-level package when its run needs an output or pins one."""
    run = top.requirements.get("run")
    items = run.items if isinstance(run, YSeq) else (run,) if run is not None else ()
    specs = [str(item.value) for item in items if isinstance(item, YScalar) and item.value]
    if any(spec.split()[0] in names for spec in specs if spec.split()):
        return True
    for section in top.requirements.values():
        for text in to_plain(section, None) if isinstance(section, YSeq) else ():
            for match in PLACEHOLDER.finditer(str(text)):
                index = int(match.group(1))
                requests = resolver.requests
                if index < len(requests) and requests[index].function == "pin_subpackage":
                    return True
    return False


def _all_parts(document: YMap, top: Parts, reader: Section, resolver: PinResolver) -> list[Parts]:
    node = document.get("outputs")
    if node is None or (isinstance(node, YScalar) and node.value in (None, "")):
        return [top]
    if not isinstance(node, YSeq):
        raise reader.error("outputs must be a list of mappings (- name: ...)", node.line)
    parts = [_output_parts(item, top, reader) for item in node.items]
    if not parts:
        return [top]
    names = {part.name for part in parts}
    if top.name not in names and _uses_subpackage(top, names, resolver):
        parts.append(top)
    return parts


def _data(
    document: YMap,
    resolver: PinResolver,
    top: Parts,
    parts: list[Parts],
    shared: SharedBuild | None,
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    hosts = {part.line: host_specs(part) for part in parts}
    top_specs = host_specs(top)
    for key, node in document.items():
        if key == "outputs" and isinstance(node, YSeq):
            items = node.items
            data[key] = [_plain(item, hosts.get(item.line, ()), resolver, shared) for item in items]
        else:
            data[key] = _plain(node, top_specs, resolver, shared)
    return data


def _plain(
    node: YNode, host: tuple[str, ...], resolver: PinResolver, shared: SharedBuild | None
) -> Any:
    """``node`` as plain data, pins resolved against ``host`` (shared: see SharedBuild.plain)."""
    if shared is None or isinstance(node, YScalar):
        return plain_resolved(node, resolver.for_host(host))
    return shared.plain(node, host)


def build(
    tree: YNode | None,
    reader: Section,
    requests: Sequence[PinRequest],
    variant: Mapping[str, str],
    *,
    defer_variant: bool,
    memo: OutputMemo | None = None,
) -> Built:
    """Outputs, sources and plain data from the tree (markers for deferred pins).

    ``memo``: outputs and item data kept from other builds, reused where everything they
    read is equal (None: everything is built here).
    """
    document = _document(tree, reader)
    top = _top_parts(document, reader)
    # Identities first (pin_subpackage needs every output's version), then everything else.
    early = PinResolver(requests, {}, variant, reader.path)
    parts = _all_parts(document, top, reader, early)
    identities = {top.name: identity(top, reader)}
    identities.update((part.name, identity(part, reader)) for part in parts)
    resolver = PinResolver(requests, identities, variant, reader.path, defer_variant=defer_variant)
    skip_all = skip_value(top.build)
    shared = memo.for_build(reader, resolver) if memo is not None else None
    outputs = tuple(
        shared.output(part, skip_all)
        if shared is not None
        else make_output(part, reader, resolver, skip_all)
        for part in parts
    )
    found = sources(document.get("source"), reader, resolver)
    about = plain_mapping(reader.mapping(document.get("about"), "about"), resolver)
    extra = plain_mapping(reader.mapping(document.get("extra"), "extra"), resolver)
    data = _data(document, resolver, top, parts, shared)
    deferred = tuple(resolver.deferred or ())  # complete only now: data resolves pins too
    plain: Any = (about, extra, data)
    marks = tuple(marked_strings(plain)) if deferred else ()
    marked = tuple(output_marks(output) if deferred else (False, False) for output in outputs)
    return Built(
        top.name,
        top.version,
        outputs,
        found,
        marked,
        marshal.dumps(plain),
        marks,
        identities,
        deferred,
    )
