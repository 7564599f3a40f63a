"""CI registration tests share the fake GitHub's fixtures."""

from tests.github.fixtures import (  # noqa: F401  (fixtures are found by name)
    fake_github,
    feedstock,
    github_env,
    sleeps,
)
