"""Benchmark: the whole program under mocks for 50, 500 and 2,000 generated members, against plain SDK calls.

For each size, in fresh processes (so that peak memory is the run's own):
- program: ``__main__.py`` evaluated by the plan engine under mocks (registry
  load and checks, components, rendering of every file), as ``pic plan`` does;
- baseline: the same resources, read back from the program's own record and
  registered directly with the SDK as plain ``CustomResource`` objects (no
  registry, no components, no rendering), through the same mocks;
- the ratio program / baseline: the project's own overhead.

Both run with Python's cyclic garbage collector paused, as the plan engine
runs the program (see pic.plan.engine.run_program).

Printed per size: wall time of the evaluation (interpreter start and imports
excluded, identical in both), peak resident memory of the process, resources
(custom ones, and components besides), resources per member, and the ratio.
Each measurement is the median of ``--runs`` runs.

    .venv/bin/python bench/bench_program.py [--sizes 50 500 2000] [--runs 3] [--project DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
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

    start = time.perf_counter()
    run = engine.run_program(project, "prod", members, secret_keys=SECRET_KEYS)
    wall = time.perf_counter() - start
    record.write_text(json.dumps([r.to_json() for r in run.records]), encoding="utf-8")
    custom = sum(1 for r in run.records if r.custom)
    return {"wall": wall, "peak_mb": _peak_mb(), "custom": custom, "components": len(run.records) - custom}


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


def child_baseline(project: Path, record: Path) -> dict[str, Any]:
    import pulumi
    from pulumi.runtime import settings as pulumi_settings
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    from pic.plan import engine

    records = [r for r in json.loads(record.read_text(encoding="utf-8")) if r["custom"]]
    gc.disable()  # as the plan engine does while the program runs: the same conditions on both sides
    mocks = engine._make_mocks()
    monitor = engine._make_monitor(mocks)
    config, secrets = engine.stack_config(project, "prod", SECRET_KEYS)
    start = time.perf_counter()
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

    _sync_await(run_pulumi_func(replay))
    wall = time.perf_counter() - start
    return {"wall": wall, "peak_mb": _peak_mb(), "custom": len(monitor.records), "components": 0}


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
    parser.add_argument("--child", choices=("program", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--members", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    project = args.project.resolve()
    if args.child == "program":
        print(json.dumps(child_program(project, args.members, args.record)))
        return
    if args.child == "baseline":
        print(json.dumps(child_baseline(project, args.record)))
        return

    from pic.settings import load_settings
    from tests.generated_registry import generate

    settings = load_settings(project, "prod")
    print(f"program: {project / '__main__.py'}; python {platform.python_version()}; {platform.machine()}")
    print(f"date {dt.date.today().isoformat()}; median of {args.runs} runs; wall excludes interpreter start")
    header = (
        f"{'members':>7} {'resources':>9} {'per member':>10} {'components':>10} | {'program s':>9} "
        f"{'peak MB':>7} | {'baseline s':>10} {'peak MB':>7} | {'ratio':>5}"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            members = Path(tmp) / "members"
            generate(members, size, settings)
            record = Path(tmp) / "record.json"
            common = ["--project", str(project), "--record", str(record)]
            prog = [_child(["--child", "program", "--members", str(members), *common]) for _ in range(args.runs)]
            base = [_child(["--child", "baseline", *common]) for _ in range(args.runs)]
        custom = int(prog[0]["custom"])
        if int(base[0]["custom"]) != custom:
            sys.exit(f"baseline registered {base[0]['custom']} resources, the program {custom}")
        p_wall, b_wall = _median(prog, "wall"), _median(base, "wall")
        print(
            f"{size:>7} {custom:>9} {custom / size:>10.1f} {int(prog[0]['components']):>10} | {p_wall:>9.2f} "
            f"{_median(prog, 'peak_mb'):>7.0f} | {b_wall:>10.2f} {_median(base, 'peak_mb'):>7.0f} | "
            f"{(p_wall / b_wall if b_wall else float('nan')):>5.2f}"
        )


if __name__ == "__main__":
    main()
