"""Benchmark: the whole program under mocks for 50, 500 and 2,000 generated members, against plain SDK calls.

For each size, in fresh processes (so that peak memory is the run's own):
- program: ``__main__.py`` evaluated by the plan engine under mocks (registry
  load and checks, components, rendering of every file), as ``pic plan`` does;
- baseline: the same resources, read back from the program's own record and
  registered directly with the SDK as plain ``CustomResource`` objects (no
  registry, no components, no rendering), through the same mocks;
- the ratio program / baseline: the project's own overhead.

Both run in the process set-up of the plan engine (pic.plan.engine.run_program:
the cyclic garbage collector paused, no stack trace per registration), so that
the ratio is the project's own cost; ``--baseline sdk`` runs the baseline with the
SDK as it is (the collector paused only).

Printed per size: wall and CPU time (user + system of the process, all threads)
of the evaluation (interpreter start and imports excluded, identical in both),
peak resident memory of the process, resources (custom ones, and components
besides), resources per member, the ratios (CPU time, peak memory), the growth
of the program's CPU time from one size to the next against the growth of the
size, and the load average. Each figure is the median of ``--runs`` runs.

    .venv/bin/python bench/bench_program.py [--sizes 50 500 2000] [--runs 3] [--project DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET_KEYS = ("pic:dbAdminPassword", "pic:sshPrivateKey")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def child_program(project: Path, members: Path, record: Path) -> dict[str, Any]:
    from pic.plan import engine

    start, cpu = time.perf_counter(), time.process_time()
    run = engine.run_program(project, "prod", members, secret_keys=SECRET_KEYS)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    record.write_text(json.dumps([r.to_json() for r in run.records]), encoding="utf-8")
    custom = sum(1 for r in run.records if r.custom)
    return {"wall": wall, "cpu": cpu, "peak_mb": _peak_mb(), "custom": custom, "components": len(run.records) - custom}


def _plain_inputs(value: Any) -> Any:
    """Wire values back to SDK inputs: secrets as secret Outputs, unknowns as None."""
    import pulumi

    from pic.plan.engine import UNKNOWN, is_secret

    if is_secret(value):
        return pulumi.Output.secret(_plain_inputs(value.get("value")))
    if isinstance(value, dict):
        return {k: _plain_inputs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_inputs(v) for v in value]
    return None if value == UNKNOWN else value


def child_baseline(project: Path, record: Path, setup: str) -> dict[str, Any]:
    import pulumi
    from pulumi.runtime import settings as pulumi_settings
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    from pic.plan import engine

    records = [r for r in json.loads(record.read_text(encoding="utf-8")) if r["custom"]]
    mocks = engine._make_mocks()
    monitor = engine._make_monitor(mocks)
    config, secrets = engine.stack_config(project, "prod", SECRET_KEYS)
    start, cpu = time.perf_counter(), time.process_time()
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
    pulumi.runtime.set_mocks(mocks, project="pic", stack="prod", preview=True, monitor=monitor)
    pulumi.runtime.set_all_config(config, secrets)

    def replay() -> None:
        for r in records:
            opts = pulumi.ResourceOptions(
                protect=r["protect"],
                retain_on_delete=r["retain_on_delete"],
                delete_before_replace=r["delete_before_replace"],
                additional_secret_outputs=r["additional_secret_outputs"] or None,
            )
            pulumi.CustomResource(r["type"], r["name"], _plain_inputs(r["inputs"]), opts)

    plan_process = getattr(engine, "_plan_process", None) if setup == "plan" else None
    if plan_process is None:  # the SDK as it is, the collector paused (an older engine's whole set-up)
        gc.disable()
        _sync_await(run_pulumi_func(replay))
    else:  # the same set-up as the program's, see the module docstring
        with plan_process():
            _sync_await(run_pulumi_func(replay))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"wall": wall, "cpu": cpu, "peak_mb": _peak_mb(), "custom": len(monitor.records), "components": 0}


def _child(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"child {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(r[key]) for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 2000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--project", type=Path, default=ROOT, help="the program to measure (default: this one)")
    parser.add_argument(
        "--baseline",
        choices=("plan", "sdk"),
        default="plan",
        help="the baseline process: the plan engine set-up (default), or the SDK as it is, collector paused",
    )
    parser.add_argument("--child", choices=("program", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--members", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    project = args.project.resolve()
    if args.child == "program":
        print(json.dumps(child_program(project, args.members, args.record)))
        return
    if args.child == "baseline":
        print(json.dumps(child_baseline(project, args.record, args.baseline)))
        return

    from pic.settings import load_settings
    from tests.generated_registry import generate

    settings = load_settings(project, "prod")
    print(f"program: {project / '__main__.py'}; python {platform.python_version()}; {platform.machine()}")
    print(
        f"date {dt.date.today().isoformat()}; median of {args.runs} runs; wall excludes interpreter start; "
        f"baseline set-up: {args.baseline}"
    )
    header = (
        f"{'members':>7} {'resources':>9} {'/member':>7} {'comps':>5} | {'prog s':>6} {'CPU s':>6} {'MB':>5} | "
        f"{'base s':>6} {'CPU s':>6} {'MB':>5} | {'CPU ratio':>9} {'MB ratio':>8} {'growth':>6} | load"
    )
    print(header)
    print("-" * len(header))
    previous: tuple[int, float] | None = None
    for size in args.sizes:
        load = os.getloadavg()[0]
        with tempfile.TemporaryDirectory() as tmp:
            members = Path(tmp) / "members"
            generate(members, size, settings)
            record = Path(tmp) / "record.json"
            common = ["--project", str(project), "--record", str(record)]
            prog: list[dict[str, Any]] = []
            base: list[dict[str, Any]] = []
            for _ in range(args.runs):  # alternating: a change of load weighs on both sides
                prog.append(_child(["--child", "program", "--members", str(members), *common]))
                base.append(_child(["--child", "baseline", "--baseline", args.baseline, *common]))
        custom = int(prog[0]["custom"])
        if int(base[0]["custom"]) != custom:
            sys.exit(f"baseline registered {base[0]['custom']} resources, the program {custom}")
        p_cpu, b_cpu = _median(prog, "cpu"), _median(base, "cpu")
        p_mb, b_mb = _median(prog, "peak_mb"), _median(base, "peak_mb")
        growth = f"{p_cpu / previous[1]:.2f}/{size / previous[0]:.0f}" if previous else "-"
        previous = (size, p_cpu)
        print(
            f"{size:>7} {custom:>9} {custom / size:>7.1f} {int(prog[0]['components']):>5} | "
            f"{_median(prog, 'wall'):>6.2f} {p_cpu:>6.2f} {p_mb:>5.0f} | "
            f"{_median(base, 'wall'):>6.2f} {b_cpu:>6.2f} {b_mb:>5.0f} | "
            f"{p_cpu / b_cpu:>9.2f} {p_mb / b_mb:>8.2f} {growth:>6} | {load:.1f}-{os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
