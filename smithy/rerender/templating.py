"""Render smithy's feedstock templates, letting a feedstock's own ``templates/`` override them."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from contextlib import AbstractContextManager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from smithy.errors import Span
from smithy.errors import TemplateError as SmithyTemplateError
from smithy.rerender.template_cache import CompiledTemplateCache, cache_tag
from smithy.resources import templates_dir
from smithy.user_cache import folder_for_block

TEMPLATE_SUFFIX = ".j2"

_OPTIONS: dict[str, Any] = {
    "undefined": StrictUndefined,  # a view-model typo must fail, not render as ""
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": False,
}
# Where compiled templates are kept between processes while rendering (None: nowhere).
_CACHE_FOLDER: ContextVar[Path | None] = ContextVar("template_cache_folder", default=None)


def compiled_template_cache(folder: Path | None) -> AbstractContextManager[None]:
    """Keep and reuse compiled templates in ``folder`` while the block renders (None: don't)."""
    return folder_for_block(_CACHE_FOLDER, folder)


@functools.lru_cache(maxsize=8)
def _environment(override_dir: str | None, cache_folder: Path | None) -> SandboxedEnvironment:
    # A feedstock's templates/ folder is searched first; it may come from a stranger's pull
    # request, hence the sandbox even for smithy's own, trusted templates.
    folders = [override_dir] if override_dir else []
    folders.append(str(templates_dir()))
    environment = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]), **_OPTIONS
    )
    if cache_folder is not None:
        names = [f"filter:{name}" for name in environment.filters]
        names += [f"test:{name}" for name in environment.tests]
        tag = cache_tag({**_OPTIONS, "sandboxed": True}, names)
        environment.bytecode_cache = CompiledTemplateCache(cache_folder / tag)
    return environment


def render_template(
    output_path: str, view: Mapping[str, Any], *, feedstock_dir: Path | None = None
) -> str:
    """Render the template for ``output_path`` (e.g. ``.scripts/build_steps.sh``).

    Args:
        output_path: the generated file's path relative to the feedstock root; the template
            is that path plus ``.j2``.
        view: the view model: names the template reads.
        feedstock_dir: when given, ``<feedstock_dir>/templates/`` overrides built-in templates.

    Raises:
        TemplateError: the template is missing or fails to render.
    """
    override = feedstock_dir / "templates" if feedstock_dir is not None else None
    override_dir = str(override) if override is not None and override.is_dir() else None
    name = output_path + TEMPLATE_SUFFIX
    try:
        environment = _environment(override_dir, _CACHE_FOLDER.get())
        return environment.get_template(name).render(**view)
    except TemplateError as exc:
        where = f"{override_dir}/{name}" if override_dir else f"templates/{name}"
        line = getattr(exc, "lineno", None) or 0
        raise SmithyTemplateError(f"template {name}: {exc.message}", Span(where, line)) from None
