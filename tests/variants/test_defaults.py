from __future__ import annotations

from smithy import api
from smithy.variants.defaults import conda_build_defaults


def test_defaults_carry_conda_build_keys() -> None:
    config = conda_build_defaults("osx-arm64")
    assert config.values["target_platform"] == ("osx-arm64",)
    assert config.values["cran_mirror"] == ("https://cran.r-project.org",)
    assert config.pin_run_as_build["r-base"]["max_pin"] == "x.x"


def test_pinning_values_override_defaults_and_defaults_fill_gaps(build_tree) -> None:
    root = build_tree(
        {
            "recipe/meta.yaml": (
                "package:\n  name: r-thing\n  version: 1\n"
                "source:\n  url: {{ cran_mirror }}/src/contrib/thing_1.tar.gz\n"
                "requirements:\n  host:\n    - r-base\n"
            ),
            "pin/conda_build_config.yaml": "r_base:\n  - 4.4\n  - 4.5\n",
        }
    )
    report = api.render(root / "recipe", platforms=["linux-64"], pinning=str(root / "pin"))
    (platform,) = report.platforms
    assert [r.variant["r_base"] for r in platform.renders] == ["4.4", "4.5"]
    assert platform.renders[0].sources[0].url == (
        "https://cran.r-project.org/src/contrib/thing_1.tar.gz",
    )
