"""Allow ``python -m smithy``."""

from smithy.cli import run

run()
