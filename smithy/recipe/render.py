"""Render a raw recipe of either format for one platform and variant."""

from __future__ import annotations

from smithy.recipe.model import RawRecipe, RecipeFormat, RenderContext, RenderedRecipe


def render_recipe(raw: RawRecipe, context: RenderContext) -> RenderedRecipe:
    """Render ``raw`` for ``context``: selectors, jinja/``${{ }}``, ``if:`` items, skip."""
    if raw.format is RecipeFormat.V1:
        from smithy.recipe.recipe_yaml import render_recipe_yaml

        return render_recipe_yaml(raw, context)
    from smithy.recipe.meta_yaml import render_meta_yaml

    return render_meta_yaml(raw, context)
