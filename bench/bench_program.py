"""Benchmark: the whole program under mocks for 50, 500 and 2,000 generated members, against plain SDK calls.

For each size, in fresh processes (so that peak memory is the run's own):
- program: ``__main__.py`` evaluated by the plan engine under mocks (registry
  load and checks, components, rendering of every file), as ``pic plan`` does;
- three baselines, each replaying the program's own record of registrations
  (type, name, inputs with their secret marks, options) through the same mocks,
  without registry, builders or rendering, each checked to register the same
  inputs as the program:
  - bare: the custom resources alone, as plain ``CustomResource`` objects, children
    of the stack, no dependency (the bare SDK registering the same resources);
  - layout: the same, plus the program's components (``ComponentResource``, with
    their registered outputs), and every resource with the program's parent,
    aliases, provider and dependencies (a dependency the program has through an
    input, here an input that is an Output of those resources; the others
    explicit): the SDK's cost of the program's layout, checked to give the same
    parents, aliases, providers and dependencies;
  - typed: the layout, with each resource made by its provider SDK's class
    (``pulumi_command.remote.Command``, ``pulumi_docker.Container``, ...) as the
    program makes them, instead of a plain ``CustomResource``;
- the ratios: program / bare (the whole overhead over the bare SDK), layout /
  bare (what the SDK costs for components, parents, aliases, providers and
  dependencies), typed / layout (what the provider SDKs' classes cost), program /
  typed (what remains: the project's own code, its imports, its Outputs between
  resources).

All run in the process set-up of the plan engine (pic.plan.engine.run_program:
the cyclic garbage collector paused, no stack trace per registration);
``--baseline sdk`` runs the baselines with the SDK as it is (the collector paused only).

Printed per size: CPU time (user + system of the process, all threads) of the
evaluation (interpreter start and the imports before it excluded: the program's own
imports are part of its evaluation, the baselines import the provider SDKs
beforehand), peak resident memory of the process, resources (custom ones, and
components besides), the ratios (CPU time, peak memory), the growth of the
program's CPU time from one size to the next against the growth of the size, and
the load average. Each figure is the median of ``--runs`` runs.

    .venv/bin/python bench/bench_program.py [--sizes 50 500 2000] [--runs 3] [--project DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import json
import os
import platform
import re
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
BASELINES = ("bare", "layout", "typed")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def child_program(project: Path, members: Path, record: Path) -> dict[str, Any]:
    from pic.plan import engine

    mocks = engine._make_mocks()
    monitor = engine._make_monitor(mocks)
    register = monitor.RegisterResource
    property_dependencies: dict[str, dict[str, list[str]]] = {}  # for the layout baseline

    def recording(request: Any) -> Any:
        response = register(request)
        deps = {key: list(value.urns) for key, value in request.propertyDependencies.items() if value.urns}
        property_dependencies[response.urn] = deps
        return response

    monitor.RegisterResource = recording
    start, cpu = time.perf_counter(), time.process_time()
    run = engine.run_program(project, "prod", members, secret_keys=SECRET_KEYS, mocks=mocks, monitor=monitor)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    records = [{**r.to_json(), "property_dependencies": property_dependencies.get(r.urn, {})} for r in run.records]
    record.write_text(json.dumps(records), encoding="utf-8")
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


def _constant(value: Any, _: object) -> Any:
    return value


def _snake(value: Any) -> Any:
    """Wire names (``dialErrorLimit``) back to the typed classes' Python names (``dial_error_limit``)."""
    if isinstance(value, dict):
        return {re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", k).lower(): _snake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snake(v) for v in value]
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("[", "{"):
        return json.loads(value)
    return value


def _typed_classes() -> dict[str, Any]:
    """The provider SDKs' classes of the resource types the program declares, by type token."""
    import pulumi_command as command
    import pulumi_docker as docker
    import pulumi_mysql as mysql
    import pulumi_random as random
    import pulumi_tls as tls

    return {
        "command:remote:Command": command.remote.Command,
        "command:local:Command": command.local.Command,
        "docker:index/container:Container": docker.Container,
        "docker:index/network:Network": docker.Network,
        "docker:index/remoteImage:RemoteImage": docker.RemoteImage,
        "mysql:index/database:Database": mysql.Database,
        "mysql:index/user:User": mysql.User,
        "mysql:index/grant:Grant": mysql.Grant,
        "random:index/randomPassword:RandomPassword": random.RandomPassword,
        "tls:index/privateKey:PrivateKey": tls.PrivateKey,
        "tls:index/selfSignedCert:SelfSignedCert": tls.SelfSignedCert,
        "tls:index/certRequest:CertRequest": tls.CertRequest,
        "tls:index/locallySignedCert:LocallySignedCert": tls.LocallySignedCert,
        "pulumi:providers:docker": docker.Provider,
        "pulumi:providers:mysql": mysql.Provider,
    }


def _prepared(r: dict[str, Any], typed: dict[str, Any]) -> tuple[Any, dict[str, Any], dict[str, list[str]]]:
    """A record's class (typed replay), inputs and dependencies by input, named as its class takes them."""
    cls = typed.get(r["type"])
    inputs, by_input = r["inputs"], r["property_dependencies"]
    if cls is not None:
        inputs, by_input = _snake(inputs), _snake(by_input)
        if r["type"].startswith("pulumi:providers:"):  # a provider's lists and maps travel as JSON text
            inputs = {k: _json_value(v) for k, v in inputs.items()}
    return cls, inputs, by_input


def _replay(
    records: list[dict[str, Any]], prepared: list[tuple[Any, dict[str, Any], dict[str, list[str]]]], layout: bool
) -> None:
    import pulumi

    made: dict[str, pulumi.Resource] = {}  # by the program's URN: parents, dependencies, providers
    for r, (cls, wire_inputs, by_input) in zip(records, prepared, strict=True):
        inputs = _plain_inputs(wire_inputs)
        layout_opts: dict[str, Any] = {}
        if layout:
            # a dependency through an input stays one (its value an Output of those resources' URNs);
            # the others are explicit
            for key, urns in by_input.items():
                if key in inputs:
                    inputs[key] = pulumi.Output.all(*(made[u].urn for u in urns if u in made)).apply(
                        functools.partial(_constant, inputs[key])
                    )
            through_inputs = {u for urns in by_input.values() for u in urns}
            explicit = [made[u] for u in r["dependencies"] if u in made and u not in through_inputs]
            layout_opts = {
                "parent": made.get(r["parent"]),
                "aliases": r["aliases"] or None,
                "depends_on": explicit or None,
                "provider": made.get(r["provider"].rsplit("::", 1)[0]) if r["provider"] else None,
            }
        opts = pulumi.ResourceOptions(
            protect=r["protect"],
            retain_on_delete=r["retain_on_delete"],
            delete_before_replace=r["delete_before_replace"],
            additional_secret_outputs=r["additional_secret_outputs"] or None,
            **layout_opts,
        )
        resource: pulumi.Resource
        if cls is not None:
            resource = cls(r["name"], opts=opts, **inputs)
        elif not r["custom"]:
            resource = pulumi.ComponentResource(r["type"], r["name"], None, opts)
            resource.register_outputs(_plain_inputs(r["outputs"]))
        elif layout and r["type"].startswith("pulumi:providers:"):
            package = r["type"].removeprefix("pulumi:providers:")
            resource = pulumi.ProviderResource(package, r["name"], inputs, opts)
        else:
            resource = pulumi.CustomResource(r["type"], r["name"], inputs, opts)
        made[r["urn"]] = resource


def child_baseline(project: Path, record: Path, setup: str, kind: str) -> dict[str, Any]:
    """Replay the program's record (see the module docstring): ``bare``, ``layout`` or ``typed``."""
    import pulumi
    from pulumi.runtime import settings as pulumi_settings
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    from pic.plan import engine

    layout = kind in ("layout", "typed")
    records = [r for r in json.loads(record.read_text(encoding="utf-8")) if r["custom"] or layout]
    typed = _typed_classes() if kind == "typed" else {}  # imported untimed; the program's imports are timed
    prepared = [_prepared(r, typed) for r in records]
    mocks = engine._make_mocks()
    monitor = engine._make_monitor(mocks)
    config, secrets = engine.stack_config(project, "prod", SECRET_KEYS)
    start, cpu = time.perf_counter(), time.process_time()
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
    pulumi.runtime.set_mocks(mocks, project="pic", stack="prod", preview=True, monitor=monitor)
    pulumi.runtime.set_all_config(config, secrets)

    def replay() -> None:
        _replay(records, prepared, layout)

    plan_process = getattr(engine, "_plan_process", None) if setup == "plan" else None
    if plan_process is None:  # the SDK as it is, the collector paused (an older engine's whole set-up)
        gc.disable()
        _sync_await(run_pulumi_func(replay))
    else:  # the same set-up as the program's, see the module docstring
        with plan_process():
            _sync_await(run_pulumi_func(replay))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    by_name = {(got.type, got.name): got for got in monitor.records.values()}
    for r in records:  # the same registrations as the program's: inputs, and in layout parents and the rest
        got = by_name.get((r["type"], r["name"]))
        if got is None or json.loads(json.dumps(got.inputs)) != r["inputs"]:
            sys.exit(f"the {kind} baseline registered {r['urn']} with other inputs than the program")
        mine = (r["parent"], sorted(r["dependencies"]), r["aliases"], r["provider"].rsplit("::", 1)[0])
        if layout and (got.parent, sorted(got.dependencies), got.aliases, got.provider.rsplit("::", 1)[0]) != mine:
            sys.exit(f"the {kind} baseline registered {r['urn']} otherwise than the program")
    custom = sum(1 for r in monitor.records.values() if r.custom)
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": _peak_mb(),
        "custom": custom,
        "components": len(monitor.records) - custom,
    }


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
    parser.add_argument("--child", choices=("program", *BASELINES), help=argparse.SUPPRESS)
    parser.add_argument("--members", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    project = args.project.resolve()
    if args.child == "program":
        print(json.dumps(child_program(project, args.members, args.record)))
        return
    if args.child in BASELINES:
        print(json.dumps(child_baseline(project, args.record, args.baseline, args.child)))
        return

    from pic.settings import load_settings
    from tests.generated_registry import generate

    settings = load_settings(project, "prod")
    print(f"program: {project / '__main__.py'}; python {platform.python_version()}; {platform.machine()}")
    print(
        f"date {dt.date.today().isoformat()}; median of {args.runs} runs; CPU s of the evaluation (interpreter "
        f"start and imports before it excluded); MB: peak resident; baseline set-up: {args.baseline}"
    )
    header = (
        f"{'members':>7} {'resources':>9} {'comps':>5} | {'program':>7} {'MB':>5} | {'bare':>6} {'MB':>5} | "
        f"{'layout':>6} {'typed':>6} {'MB':>5} | {'prog/bare':>9} {'MB':>5} | {'layout/bare':>11} "
        f"{'typed/layout':>12} {'prog/typed':>10} {'MB':>5} | {'growth':>6} | load"
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
            common = ["--project", str(project), "--record", str(record), "--baseline", args.baseline]
            runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ("program", *BASELINES)}
            for _ in range(args.runs):  # alternating: a change of load weighs on every side
                runs["program"].append(_child(["--child", "program", "--members", str(members), *common]))
                for kind in BASELINES:
                    runs[kind].append(_child(["--child", kind, *common]))
        custom, components = int(runs["program"][0]["custom"]), int(runs["program"][0]["components"])
        for kind in BASELINES:
            got = (int(runs[kind][0]["custom"]), int(runs[kind][0]["components"]))
            if got != (custom, components if kind != "bare" else 0):
                sys.exit(f"the program registered {custom} resources and {components} components, {kind}: {got}")
        cpu = {kind: _median(r, "cpu") for kind, r in runs.items()}
        mb = {kind: _median(r, "peak_mb") for kind, r in runs.items()}
        p_cpu = cpu["program"]
        growth = f"{p_cpu / previous[1]:.2f}/{size / previous[0]:.0f}" if previous else "-"
        previous = (size, p_cpu)
        print(
            f"{size:>7} {custom:>9} {components:>5} | {p_cpu:>7.2f} {mb['program']:>5.0f} | "
            f"{cpu['bare']:>6.2f} {mb['bare']:>5.0f} | {cpu['layout']:>6.2f} {cpu['typed']:>6.2f} "
            f"{mb['typed']:>5.0f} | {p_cpu / cpu['bare']:>9.2f} {mb['program'] / mb['bare']:>5.2f} | "
            f"{cpu['layout'] / cpu['bare']:>11.2f} {cpu['typed'] / cpu['layout']:>12.2f} {p_cpu / cpu['typed']:>10.2f} "
            f"{mb['program'] / mb['typed']:>5.2f} | "
            f"{growth:>6} | {load:.1f}-{os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
