"""Migration files themselves: ``api.migration_lint`` is :mod:`smithy.lint.migration_lint`."""

from __future__ import annotations

from smithy.lint import migration_lint as migration_lint
