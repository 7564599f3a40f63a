"""Azure Pipelines registration: project, GitHub service connection, pipeline, build id.

Every step looks before it changes, so a second run changes nothing. The pipeline runs the
feedstock's ``azure-pipelines.yml`` from its GitHub repository through an existing GitHub
service connection of the Azure project (made once per organisation in Azure's web UI).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smithy.bot.cfyml import patch_conda_forge_yml, patched_values
from smithy.ci.azure_client import AzureClient, AzureError
from smithy.github.model import Change, StepResult
from smithy.rerender.writer import FileChange, apply
from smithy.textfile import read_user_text

CONFIG = "conda-forge.yml"


@dataclass(frozen=True, slots=True)
class AzureRequest:
    """What to register on Azure Pipelines.

    Attributes:
        project: the Azure DevOps project (``feedstock-builds`` for conda-forge).
        full_name: the GitHub repository ``owner/name-feedstock``.
        service_connection: the name of the project's GitHub service connection.
        branch: the branch the pipeline builds by default.
        create: create the pipeline when missing (``azure-buildid`` only looks it up).
        dry_run: change nothing; results say what would change.
    """

    project: str
    full_name: str
    service_connection: str
    branch: str = "main"
    create: bool = True
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class AzureRegistration:
    """What Azure registration found or made.

    Attributes:
        project_id: the project's id.
        build_id: the pipeline (build definition) id; None only in a dry run that would create.
        results: one outcome per step.
    """

    project_id: str
    build_id: int | None
    results: tuple[StepResult, ...]


def _project_id(client: AzureClient, project: str) -> str:
    found = client.request(
        f"read Azure project {project}", "GET", client.url(None, f"projects/{project}")
    )
    if not isinstance(found, dict) or not found.get("id"):
        raise AzureError(f"Azure DevOps project '{project}' not found in organisation {client.org}")
    return str(found["id"])


def _service_connection(client: AzureClient, request: AzureRequest) -> str:
    url = client.url(request.project, "serviceendpoint/endpoints", type="github")
    found = client.request("list the GitHub service connections", "GET", url) or {}
    for endpoint in found.get("value") or ():
        if endpoint.get("name") == request.service_connection:
            return str(endpoint["id"])
    raise AzureError(
        f"no GitHub service connection named '{request.service_connection}' in Azure project "
        f"{request.project}; create it in Project settings > Service connections, or name "
        "another with --azure-service-connection"
    )


def _pipeline_id(client: AzureClient, request: AzureRequest, name: str) -> int | None:
    url = client.url(request.project, "build/definitions", name=name)
    found = client.request(f"look up pipeline {name}", "GET", url) or {}
    for definition in found.get("value") or ():
        if definition.get("name") == name:
            return int(definition["id"])
    return None


def _definition(request: AzureRequest, name: str, connection: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "build",
        "queueStatus": "enabled",
        "repository": {
            "type": "GitHub",
            "name": request.full_name,
            "url": f"https://github.com/{request.full_name}.git",
            "defaultBranch": f"refs/heads/{request.branch}",
            "properties": {"connectedServiceId": connection, "reportBuildStatus": "true"},
        },
        "process": {"type": 2, "yamlFilename": "azure-pipelines.yml"},
        "queue": {"name": "Azure Pipelines"},
    }


def register_azure(client: AzureClient, request: AzureRequest) -> AzureRegistration:
    """Find the project and service connection; find or create the feedstock's pipeline.

    Raises:
        AzureError: a missing project, service connection or (without ``create``) pipeline,
            or a refused request.
    """
    project_id = _project_id(client, request.project)
    name = request.full_name.partition("/")[2]
    build_id = _pipeline_id(client, request, name)
    if build_id is not None:
        result = StepResult("azure-pipeline", Change.UNCHANGED, name, f"build id {build_id}")
        return AzureRegistration(project_id, build_id, (result,))
    if not request.create:
        raise AzureError(
            f"no Azure pipeline named {name} in {client.org}/{request.project}; "
            "run 'smithy register-ci --with-azure' first"
        )
    connection = _service_connection(client, request)
    if request.dry_run:
        result = StepResult("azure-pipeline", Change.CREATED, name, "from azure-pipelines.yml")
        return AzureRegistration(project_id, None, (result,))
    created = client.request(
        f"create pipeline {name}",
        "POST",
        client.url(request.project, "build/definitions"),
        _definition(request, name, connection),
    )
    build_id = int(created["id"])
    result = StepResult("azure-pipeline", Change.CREATED, name, f"build id {build_id}")
    return AzureRegistration(project_id, build_id, (result,))


def write_build_id(
    feedstock_dir: Path,
    org: str,
    project: str,
    found: AzureRegistration,
    *,
    dry_run: bool = False,
) -> StepResult:
    """Record the pipeline in conda-forge.yml (``azure.build_id`` and where it lives).

    Only the ``azure`` keys that differ are written; comments and layout are kept.

    Raises:
        ConfigError: conda-forge.yml is not a YAML mapping.
    """
    path = feedstock_dir / CONFIG
    shown = str(path)
    text = read_user_text(path, shown) if path.exists() else ""
    wanted: dict[str, Any] = {
        "azure.build_id": found.build_id,
        "azure.project_id": found.project_id,
        "azure.project_name": project,
        "azure.user_or_org": org,
    }
    if found.build_id is None:
        wanted.pop("azure.build_id")
    current = patched_values(text, wanted, shown)
    patches = {key: value for key, value in wanted.items() if current.get(key) != value}
    if not patches:
        return StepResult("azure-build-id", Change.UNCHANGED, CONFIG, "already recorded")
    if not dry_run:
        new = patch_conda_forge_yml(text, patches, shown).encode("utf-8")
        old = text.encode("utf-8") if path.exists() else None
        change = FileChange(CONFIG, "update" if old is not None else "create", old, new)
        apply(feedstock_dir, [change])  # atomic, as rerender
    keys = ", ".join(key.partition(".")[2] for key in sorted(patches))
    return StepResult("azure-build-id", Change.UPDATED, CONFIG, keys)
