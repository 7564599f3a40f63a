"""Fleet use cases, offered as ``smithy.api.fleet``: plain values in, reports out.

``smithy.api`` imports this module when ``api.fleet`` is first used; the fleet machinery
(executors, rerender, graph, PyGithub) is imported inside the functions, when a command runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from smithy.errors import SmithyError
from smithy.fleet.model import BumpSettings as BumpSettings  # api.fleet.BumpSettings(...)
from smithy.fleet.model import MigrateSettings as MigrateSettings
from smithy.lint.online import GITHUB_API_URL

if TYPE_CHECKING:
    from smithy.fleet.clone import CloneResult
    from smithy.fleet.model import Operation, Record
    from smithy.fleet.service import FleetReport
    from smithy.fleet.summary import Summary
    from smithy.github.client import Wait


def run(  # noqa: PLR0913 - one keyword per fleet option
    operation: Operation,
    inputs: Sequence[Path],
    *,
    output: Path,
    pinning: str | None = None,
    environ: Mapping[str, str] | None = None,
    jobs: int | None = None,
    dask: str | None = None,
    shard: str = "1/1",
    timeout: float | None = None,
    resume: Path | None = None,
    with_graph: bool = False,
    conda_forge: bool = False,
    bump: BumpSettings | None = None,
    migrate: MigrateSettings | None = None,
    on_record: Callable[[Record], None] | None = None,
    on_planned: Callable[[int], None] | None = None,
) -> FleetReport:
    """Run ``operation`` (check, rerender, lint, graph, bump, migrate) over many feedstocks.

    Records stream to ``output`` (JSON Lines) as feedstocks finish; at the end the file is
    sorted by feedstock name. See :class:`smithy.fleet.service.FleetRequest` for the options.

    ``bump`` needs ``bump`` settings (lookup options from ``api.bump_options``; ``write``
    False is ``--check``), ``migrate`` needs ``migrate`` (a migration file the pinning has).

    Raises:
        SmithyError: bad inputs, pinning, shard, timeout, results file, migration or executor.
    """
    from smithy.fleet.inputs import parse_shard
    from smithy.fleet.service import FleetRequest, run_fleet

    if timeout is not None and not timeout > 0:  # also refuses nan, which never times out
        raise SmithyError("--timeout must be a positive number of seconds")
    if (operation == "bump" and bump is None) or (operation == "migrate" and migrate is None):
        raise SmithyError(f"fleet {operation} needs its settings")
    request = FleetRequest(
        operation=operation,
        inputs=tuple(inputs),
        output=output,
        pinning=pinning,
        environ=environ or {},
        jobs=jobs or os.cpu_count() or 1,
        dask=dask,
        shard=parse_shard(shard),
        timeout=timeout,
        resume=resume,
        with_graph=with_graph,
        conda_forge=conda_forge,
        bump=bump,
        migrate=migrate,
    )
    return run_fleet(request, on_record=on_record, on_planned=on_planned)


def status(results: Sequence[Path]) -> Summary:
    """The summary of finished runs' results files (``smithy fleet status``).

    Raises:
        SmithyError: a file cannot be read or holds something else (``path:line``).
    """
    from smithy.fleet.service import summary_of

    return summary_of(results)


def records(results: Sequence[Path]) -> Iterator[Record]:
    """Every record of the results files, streamed (for reports)."""
    from smithy.fleet.results import iter_records

    return iter_records(results)


def merge(shards: Sequence[Path], output: Path) -> Summary:
    """Join shard results into ``output`` sorted by name; return its summary.

    Raises:
        SmithyError: unreadable input, or a feedstock in two shards.
    """
    from smithy.fleet.results import merge_results
    from smithy.fleet.service import summary_of

    merge_results(shards, output)
    return summary_of([output])


def graph(results: Sequence[Path], target: Path) -> tuple[int, int]:
    """Write the cross-feedstock graph of fleet results as graph.json; return (nodes, edges)."""
    from smithy.fleet.service import write_graph

    written = write_graph(results, target)
    return len(written), written.edge_count


def clone(  # noqa: PLR0913 - one keyword per clone option
    owner: str,
    *,
    into: Path,
    match: str = "*",
    update: bool = False,
    github_url: str = GITHUB_API_URL,
    environ: Mapping[str, str] | None = None,
    token_file: Path | None = None,
    home: Path | None = None,
    on_wait: Callable[[Wait], None] | None = None,
) -> list[CloneResult]:
    """List ``owner``'s ``*-feedstock`` repositories on GitHub and clone or update them.

    A token (``GITHUB_TOKEN``, ``GH_TOKEN``, ``--token-file``) is used when present, for the
    higher rate limit; anonymous access works for public repositories.

    Raises:
        SmithyError: GitHub cannot be reached or refuses (one line, never the token).
    """
    from smithy.fleet.clone import clone_all, list_feedstocks
    from smithy.github.client import GitHubClient
    from smithy.github.token import resolve_token

    env = dict(environ or {})
    secret = resolve_token(env, token_file, required=False, home=home)
    client = GitHubClient(secret, base_url=github_url, on_wait=on_wait)
    remotes = list_feedstocks(client, owner, match)
    return clone_all(remotes, into, update=update, environ=env)
