"""Version updates: find a feedstock's newest upstream release and bump its recipe to it."""
