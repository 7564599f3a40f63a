"""The feedstock graph: the only networkx user (build, order, waves, cycles, impact)."""
