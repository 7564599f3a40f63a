"""smithy's one YAML reader: line and column spans, one node budget, one error type.

Every file smithy reads as YAML (meta.yaml, recipe.yaml, variant files, conda-forge.yml,
migrations) is composed here into :mod:`smithy.yaml.nodes`; each reader then resolves scalars
with the YAML version its tool uses (conda-build: 1.1 booleans, numbers kept as text;
rattler-build: 1.2; the pinning: everything text). Imports nothing from smithy but errors.
"""

from smithy.yaml.compose import MAX_DEPTH, MAX_NODES, YamlError, compose
from smithy.yaml.nodes import MERGE_TAG, Mapping, Node, Scalar, Sequence, node_size

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "MERGE_TAG",
    "Mapping",
    "Node",
    "Scalar",
    "Sequence",
    "YamlError",
    "compose",
    "node_size",
]
