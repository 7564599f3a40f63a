"""meta.yaml -> recipe.yaml conversion, proven by rendering both recipes and comparing."""
