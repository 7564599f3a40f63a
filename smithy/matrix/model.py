"""The values the matrix hands to its consumers: one CI job per variant config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smithy.records import record


@record
class CiJob:
    """One CI job: one ``.ci_support/<config_name>.yaml`` file and the job that builds it.

    Attributes:
        config_name: file stem, e.g. ``linux_64_python3.12.____cpython``.
        config_name_short: ``config_name`` or its ``<40 chars>_h<sha8>`` form (artifact names).
        platform: target subdir, e.g. ``linux-aarch64``.
        build_platform: subdir of the machine that runs the job (differs when cross-compiling).
        provider: CI provider running the job (``github_actions``, ``azure``, ...).
        upload: whether the job uploads packages (the provider's ``upload_packages``).
        config: the variant mapping written to the ``.ci_support`` file (keys sorted on dump).
    """

    config_name: str
    config_name_short: str
    platform: str
    build_platform: str
    provider: str
    upload: bool
    config: Mapping[str, Any]

    @property
    def ci_support_path(self) -> str:
        """Path of the job's variant file relative to the feedstock root."""
        return f".ci_support/{self.config_name}.yaml"

    @property
    def docker_image(self) -> str | None:
        """The job's docker image (linux build platforms), None when the config has none."""
        images = self.config.get("docker_image")
        return str(images[0]) if images else None

    @property
    def runs_on(self) -> tuple[str, ...]:
        """Runner labels from the variant's ``github_actions_labels``; empty for the default."""
        return tuple(str(label) for label in self.config.get("github_actions_labels", ()))
