"""Migration files: scaffold one; ``api.migration_lint`` is :mod:`smithy.lint.migration_lint`."""

from __future__ import annotations

from smithy.graph.migration.new import new_migration as new_migration
from smithy.lint import migration_lint as migration_lint
