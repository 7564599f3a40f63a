"""meta.yaml text rendered the way conda-smithy's linter renders it before reading the YAML.

conda-smithy renders the whole meta.yaml once, without applying selectors, every name it
does not define standing in for itself, and then loads the result as YAML 1.2. Checks that
follow its verdicts on values (R-040: a value that YAML reads as a float) need that text:
``{% set version = "1.10" %}`` then ``version: {{ version }}`` is the number 1.1 there.

smithy renders in its own sandbox with every free name a lenient undefined (which renders
as empty text and never fails), so nothing of the recipe runs and no name is required.
"""

from __future__ import annotations

from smithy.errors import SmithyError
from smithy.recipe.jinja import LenientUndefined, RenderedText, compile_recipe, render_compiled


def stub_rendered(text: str, path: str) -> RenderedText | None:
    """Render ``text`` with every free name lenient; None when jinja cannot render it.

    Args:
        text: the meta.yaml text as written (selectors are not applied).
        path: how to name the recipe in errors (none escape: a failure gives None).
    """
    try:
        compiled = compile_recipe(text, path)
        variables = {name: LenientUndefined(name=name) for name in compiled.names}
        return render_compiled(compiled, variables, path)
    except SmithyError:
        return None  # SMY002 reports what the real render makes of it
