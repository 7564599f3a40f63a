"""Format a ``RenderReport`` (``smithy render``) as a readable table or as JSON data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smithy.recipe.model import RenderedOutput, Requirements
from smithy.safe_text import visible

if TYPE_CHECKING:
    from smithy.api import RenderReport
    from smithy.matrix.variant_render import PlatformVariants


def _requirements_data(requirements: Requirements) -> dict[str, list[str]]:
    return {
        section: [dep.spec for dep in requirements.section(section)]
        for section in Requirements.SECTIONS
    }


def _output_data(output: RenderedOutput) -> dict[str, Any]:
    return {
        "name": output.name,
        "version": output.version,
        "build_number": output.build_number,
        "noarch": output.noarch,
        "skip": output.skip,
        "staging": output.is_staging,
        "requirements": _requirements_data(output.requirements),
    }


def _platform_data(entry: PlatformVariants) -> dict[str, Any]:
    return {
        "platform": entry.platform,
        "build_platform": entry.build_platform,
        "used_keys": list(entry.used_keys),
        "variants": [
            {
                "variant": {key: render.variant[key] for key in entry.used_keys},
                "outputs": [_output_data(output) for output in render.outputs],
            }
            for render in entry.renders
        ],
    }


def report_data(report: RenderReport) -> dict[str, Any]:
    """Return the report as JSON-ready data (stable keys; tools may rely on them)."""
    return {
        "recipe": report.recipe.display_path,
        "format": report.recipe.format.value,
        "pinning": {
            "source": report.pinning.origin,
            "path": str(report.pinning.path),
            "version": report.pinning.version,
        },
        "platforms": [_platform_data(entry) for entry in report.platforms],
    }


def _output_lines(output: RenderedOutput) -> list[str]:
    flags = [f"build {output.build_number}"]
    if output.noarch:
        flags.append(f"noarch: {output.noarch}")
    if output.is_staging:
        flags.append("staging")
    if output.skip:
        flags.append("SKIPPED")
    lines = [f"    {output.name} {output.version}  ({', '.join(flags)})"]
    if output.skip:
        return lines
    for section in Requirements.SECTIONS:
        specs = [dep.spec for dep in output.requirements.section(section)]
        if specs:
            lines.append(f"      {section + ':':<16} {', '.join(specs)}")
    return lines


def _varying_keys(entry: PlatformVariants) -> tuple[str, ...]:
    return tuple(
        key
        for key in entry.used_keys
        if len({render.variant.get(key) for render in entry.renders}) > 1
    )


def _platform_lines(entry: PlatformVariants) -> list[str]:
    header = entry.platform
    if entry.build_platform != entry.platform:
        header += f" (built on {entry.build_platform})"
    count = len(entry.renders)
    lines = [f"{header}: {count} variant{'s' if count != 1 else ''}"]
    varying = _varying_keys(entry)
    common = [key for key in entry.used_keys if key not in varying]
    if common and entry.renders:
        first = entry.renders[0].variant
        lines.append("  common: " + ", ".join(f"{key}={first[key]}" for key in common))
    for render in entry.renders:
        values = ", ".join(f"{key}={render.variant[key]}" for key in varying)
        lines.append(f"  variant: {values or '(the only one)'}")
        for output in render.outputs:
            lines.extend(_output_lines(output))
    return lines


def report_text(report: RenderReport) -> str:
    """Return the report as a plain-text table, one block per platform."""
    pinning = report.pinning
    lines = [
        f"recipe:  {report.recipe.display_path} ({report.recipe.format.value})",
        f"pinning: {pinning.path} (from {pinning.origin}, version {pinning.version})",
        "",
    ]
    for entry in report.platforms:
        lines.extend(_platform_lines(entry))
        lines.append("")
    return "\n".join(visible(line) for line in lines).rstrip() + "\n"
