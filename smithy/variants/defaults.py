"""conda-build's built-in variant defaults: the layer beneath every pinning."""

from __future__ import annotations

import functools
from types import MappingProxyType

from smithy.errors import Span
from smithy.platforms import DEFAULT_NUMPY, DEFAULT_PYTHON
from smithy.variants.model import VariantConfig

ORIGIN = "<conda-build defaults>"

# conda-build fills these in before reading any variant file, so recipes may rely on them
# (R recipes read `cran_mirror` without any pinning defining it).
_VALUES = {
    "python": DEFAULT_PYTHON,
    "numpy": DEFAULT_NUMPY,
    "perl": "5.26.2",
    "lua": "5",
    "r_base": "3.5",
    "cpu_optimization_target": "nocona",
    "cran_mirror": "https://cran.r-project.org",
}
# conda-build's default compilers per OS (Windows as chosen for any python >= 3.5). They fill
# a compiler key the pinning leaves empty on a platform (gfortran on a cross-compiled osx-arm64).
_COMPILERS = {
    "linux": {"c_compiler": "gcc", "cxx_compiler": "gxx", "fortran_compiler": "gfortran"},
    "osx": {"c_compiler": "clang", "cxx_compiler": "clangxx", "fortran_compiler": "gfortran"},
    "win": {
        "c_compiler": "vs2017",
        "cxx_compiler": "vs2017",
        "fortran_compiler": "gfortran",
        "vc": "14",
    },
}
_PIN_RUN_AS_BUILD = {
    "python": {"min_pin": "x.x", "max_pin": "x.x"},
    "r-base": {"min_pin": "x.x", "max_pin": "x.x"},
}


@functools.lru_cache(maxsize=32)
def conda_build_defaults(platform: str) -> VariantConfig:
    """Return conda-build's default variant for ``platform`` (lowest precedence)."""
    values = {key: (value,) for key, value in _VALUES.items()}
    values["target_platform"] = (platform,)
    compilers = _COMPILERS.get(platform.split("-", 1)[0], {})
    values.update((key, (value,)) for key, value in compilers.items())
    span = Span(ORIGIN)
    return VariantConfig(
        values=MappingProxyType(values),
        pin_run_as_build=MappingProxyType(
            {name: MappingProxyType(pins) for name, pins in _PIN_RUN_AS_BUILD.items()}
        ),
        origins=MappingProxyType(dict.fromkeys(values, (span,))),
        extend_keys=frozenset(
            {"pin_run_as_build", "ignore_version", "ignore_build_only_deps", "extend_keys"}
        ),
        ignore_build_only_deps=("python", "numpy"),
    )
