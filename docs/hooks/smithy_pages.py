"""mkdocs hook: add the pages generated from smithy itself (commands, conda-forge.yml keys).

Generated at build time, never committed, so they cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files

from smithy.cli.reference import commands_markdown
from smithy.config.reference import configuration_markdown

_PAGES = {
    "commands.md": commands_markdown,
    "configuration.md": configuration_markdown,
}


def on_files(files: Files, config: Any) -> Files:
    """Add each generated page to the site's files."""
    for name, build in _PAGES.items():
        files.append(File.generated(config, name, content=build()))
    return files
