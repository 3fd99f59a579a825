"""Command line of the benchmark: `python -m bench` from the repository root, or bench/run."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from bench.report import format_report
from bench.runner import ExistingRowsError, run_benchmark
from bench.sizes import SIZES
from bench.target import DatabaseTarget, target_from_settings, target_from_vm
from tsloop.adapters.settings import SettingsError
from tsloop.adapters.settings_loader import load_settings

logger = logging.getLogger("bench")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--size",
    type=click.Choice(sorted(SIZES)),
    default="full",
    show_default=True,
    help="Workload size: full for recorded figures, tiny for a quick check.",
)
@click.option(
    "--vm",
    "vm_name",
    metavar="NAME",
    default=None,
    help="Boot the test VM NAME with tests/vm/testvm if it is down, provision it with "
    "site.yml and benchmark its database. Needs root. Without it, the TSLOOP_* "
    "settings (.env file or environment) select the database.",
)
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".env"),
    help="Settings file in KEY=value format, used without --vm and skipped if absent. "
    "[default: .env]",
)
@click.option(
    "--truncate",
    is_flag=True,
    help="Run even if the readings table contains rows. Every step deletes all of them.",
)
def main(size: str, vm_name: str | None, env_file: Path, truncate: bool) -> None:
    """Measure tsloop's ingest speed, loop timing, footprint and scaling on one database.

    Every step empties the readings table with TRUNCATE, so point it at a
    database for benchmarks only. Needs the runtime and the owner role passwords.
    """
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    target = _resolve_target(vm_name, env_file)
    logger.info("benchmarking %s at size %s", target.describe(), size)
    target.migrate()
    try:
        result = run_benchmark(target, SIZES[size], allow_truncate=truncate, progress=logger.info)
    except ExistingRowsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(format_report(result))


def _resolve_target(vm_name: str | None, env_file: Path) -> DatabaseTarget:
    if vm_name is not None:
        try:
            return target_from_vm(vm_name)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from None
    try:
        return target_from_settings(load_settings(env_file))
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


if __name__ == "__main__":
    main(prog_name="bench/run")
