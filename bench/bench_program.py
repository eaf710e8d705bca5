"""Benchmark: the whole program under mocks for 50, 500 and 2,000 generated members, against plain SDK calls.

For each size, in fresh processes:
- program: ``__main__.py`` evaluated by the plan engine under mocks (its imports,
  registry load and checks, components, rendering of every file), as ``pic plan`` does;
- three baselines, each replaying the program's own record of registrations
  (type, name, inputs with their secret marks, options) through the same mocks,
  without registry, builders or rendering:
  - bare: the custom resources alone, as plain ``CustomResource`` objects, children
    of the stack, no dependency (the bare SDK registering the same resources);
  - layout: the same, plus the program's components (``ComponentResource``, with
    their registered outputs), and every resource with the program's parent,
    aliases, provider and dependencies (a dependency the program has through an
    input, here an input that is an Output of those resources; the others
    explicit): the SDK's cost of the program's layout;
  - typed: the layout, each resource made by its provider SDK's class
    (``pulumi_command.remote.Command``, ``pulumi_docker.Container``, ...) instead
    of a plain ``CustomResource``, with the same inputs (nested ones as plain dicts
    where the program gives the classes' ``*Args`` objects);
  each replay is checked, after its timing, to have registered what the program did
  (inputs, protect, retain, delete-before-replace, replace-on-changes, ignore-changes
  and secret outputs as sets, since a typed class names its own secret outputs again;
  in layout and typed also parents, aliases, providers, dependencies and the
  components' outputs), and the script stops otherwise;
- the ratios: program / bare (the whole overhead over the bare SDK), layout /
  bare (what the SDK costs for components, parents, aliases, providers and
  dependencies), typed / layout (what the provider SDKs' classes cost), program /
  typed (what remains: the project's own code, its imports, its Outputs between
  resources).

All run in the process set-up of the plan engine (pic.plan.engine.run_program:
the cyclic garbage collector paused, no stack trace per registration);
``--baseline sdk`` runs the baselines with the SDK as it is (the collector paused only).
Whatever a replay needs that is not registration work (reading the record, turning
wire values into plain data, the typed classes' imports) is done before its timer;
making secret Outputs of the secret values is timed, as the program makes its own.

Printed per size: CPU time (user + system of the process, all threads) of the
evaluation (the interpreter start and the imports before it excluded: the program's
own imports are part of its evaluation); memory: what the evaluation adds at its
peak (the process's peak resident size, reset just before the evaluation, less its
resident size then: /proc/self/clear_refs and VmHWM, Linux); resources (custom ones,
and components besides); the ratios (CPU time, memory); the growth of the program's
CPU time from one size to the next against the growth of the size; and the load
average. Each figure is the median of ``--runs`` runs. A last line says whether each target is met (:func:`targets`).

    .venv/bin/python bench/bench_program.py [--sizes 50 500 2000] [--runs 3] [--project DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET_KEYS = ("pic:dbAdminPassword", "pic:sshPrivateKey")
BASELINES = ("bare", "layout", "typed")


def _status_mb(field: str) -> float:
    """A size of /proc/self/status (``VmRSS``, ``VmHWM``: resident now, resident at its peak), in MB."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # kB
    raise SystemExit(f"no {field} in /proc/self/status: this benchmark measures memory on Linux only")


def _start_peak() -> float:
    """Reset the process's peak resident size (``5`` to /proc/self/clear_refs, Linux 4.0 and later) and
    return its resident size now, in MB: the evaluation's peak is then measured from here on."""
    Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    return _status_mb("VmRSS")


def child_program(project: Path, members: Path, record: Path) -> dict[str, Any]:
    from pic.plan import engine

    mocks = engine._make_mocks()
    monitor = engine._make_monitor(mocks)
    register = monitor.RegisterResource
    # for the layout baseline; recorded during the timed evaluation (a cost counted against the program)
    property_dependencies: dict[str, dict[str, list[str]]] = {}

    def recording(request: Any) -> Any:
        response = register(request)
        deps = {key: list(value.urns) for key, value in request.propertyDependencies.items() if value.urns}
        property_dependencies[response.urn] = deps
        return response

    monitor.RegisterResource = recording
    resident = _start_peak()
    start, cpu = time.perf_counter(), time.process_time()
    run = engine.run_program(project, "prod", members, secret_keys=SECRET_KEYS, mocks=mocks, monitor=monitor)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    added_mb = _status_mb("VmHWM") - resident
    records = [{**r.to_json(), "property_dependencies": property_dependencies.get(r.urn, {})} for r in run.records]
    record.write_text(json.dumps(records), encoding="utf-8")
    custom = sum(1 for r in run.records if r.custom)
    return {"wall": wall, "cpu": cpu, "peak_mb": added_mb, "custom": custom, "components": len(run.records) - custom}


ValuePath = tuple[str | int, ...]  # keys and indexes from a record's inputs down to one value


def _plain_inputs(value: Any, at: ValuePath = (), secrets: list[ValuePath] | None = None) -> Any:
    """Wire values back to plain data (secrets unwrapped, unknowns as None); the paths of the secrets
    are added to ``secrets``, for :func:`_with_secrets` to make them secret Outputs again."""
    from pic.plan.engine import UNKNOWN, is_secret

    if is_secret(value):
        if secrets is not None:
            secrets.append(at)
        return _plain_inputs(value.get("value"), at, None)  # inside a secret, all of it is the secret
    if isinstance(value, dict):
        return {k: _plain_inputs(v, (*at, k), secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_inputs(v, (*at, i), secrets) for i, v in enumerate(value)]
    return None if value == UNKNOWN else value


def _with_secrets(value: Any, secrets: list[ValuePath]) -> Any:
    """``value`` with the values at ``secrets`` (paths) made secret Outputs, in place (the replay's part
    of the work: the program makes secret Outputs too)."""
    import pulumi

    if () in secrets:
        return pulumi.Output.secret(value)
    for path in secrets:
        container = value
        for key in path[:-1]:
            container = container[key]
        container[path[-1]] = pulumi.Output.secret(container[path[-1]])
    return value


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
    """A provider input as its class takes it: a list or a map that travels as JSON text, decoded."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value  # a string that only starts like JSON ("[fd00::1]:3306")
        return decoded if isinstance(decoded, (list, dict)) else value
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


@dataclasses.dataclass
class _Prepared:
    """What the replay of one record needs, made before the timer: its class (typed replay), its inputs and
    dependencies by input as that class names them, its component outputs, and where their secrets are."""

    cls: Any
    inputs: dict[str, Any]
    input_secrets: list[ValuePath]
    by_input: dict[str, list[str]]
    outputs: dict[str, Any]
    output_secrets: list[ValuePath]


def _prepared(r: dict[str, Any], typed: dict[str, Any]) -> _Prepared:
    cls = typed.get(r["type"])
    wire, by_input = r["inputs"], r["property_dependencies"]
    if cls is not None:
        wire, by_input = _snake(wire), _snake(by_input)
        if r["type"].startswith("pulumi:providers:"):  # a provider's lists and maps travel as JSON text
            wire = {k: _json_value(v) for k, v in wire.items()}
    input_secrets: list[ValuePath] = []
    output_secrets: list[ValuePath] = []
    inputs = _plain_inputs(wire, (), input_secrets)
    outputs = _plain_inputs(r["outputs"], (), output_secrets) if not r["custom"] else {}
    return _Prepared(cls, inputs, input_secrets, by_input, outputs, output_secrets)


def _replay(records: list[dict[str, Any]], prepared: list[_Prepared], layout: bool) -> None:
    import pulumi

    made: dict[str, pulumi.Resource] = {}  # by the program's URN: parents, dependencies, providers
    for r, ready in zip(records, prepared, strict=True):
        cls, by_input = ready.cls, ready.by_input
        inputs = _with_secrets(ready.inputs, ready.input_secrets)
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
            replace_on_changes=r["replace_on_changes"] or None,
            ignore_changes=r["ignore_changes"] or None,
            # a typed class adds its own names again: the same set, a name twice (see the check)
            additional_secret_outputs=r["additional_secret_outputs"] or None,
            **layout_opts,
        )
        resource: pulumi.Resource
        if cls is not None:
            resource = cls(r["name"], opts=opts, **inputs)
        elif not r["custom"]:
            resource = pulumi.ComponentResource(r["type"], r["name"], None, opts)
            resource.register_outputs(_with_secrets(ready.outputs, ready.output_secrets))
        elif layout and r["type"].startswith("pulumi:providers:"):
            package = r["type"].removeprefix("pulumi:providers:")
            resource = pulumi.ProviderResource(package, r["name"], inputs, opts)
        else:
            resource = pulumi.CustomResource(r["type"], r["name"], inputs, opts)
        made[r["urn"]] = resource


def _options(r: Any, layout: bool) -> tuple[Any, ...]:
    """What a registration declares besides its inputs (lists as sets), as both sides record it."""
    get: Callable[[str], Any] = r.get if isinstance(r, dict) else functools.partial(getattr, r)
    common = (
        bool(get("protect")),
        bool(get("retain_on_delete")),
        bool(get("delete_before_replace")),
        frozenset(get("replace_on_changes")),
        frozenset(get("ignore_changes")),
        frozenset(get("additional_secret_outputs")),
    )
    if not layout:
        return common
    provider = get("provider").rsplit("::", 1)[0]
    return (*common, get("parent"), frozenset(get("dependencies")), tuple(get("aliases")), provider)


def _check_replay(kind: str, records: list[dict[str, Any]], got_records: Any) -> None:
    """Exit unless the replay registered what the program did: the same inputs and options, in layout and
    typed the same parents, aliases, providers, dependencies and component outputs."""
    layout = kind in ("layout", "typed")
    by_name = {(got.type, got.name): got for got in got_records}
    for r in records:
        got = by_name.get((r["type"], r["name"]))
        if got is None or json.loads(json.dumps(got.inputs)) != r["inputs"]:
            sys.exit(f"the {kind} baseline registered {r['urn']} with other inputs than the program")
        if _options(got, layout) != _options(r, layout):
            sys.exit(f"the {kind} baseline registered {r['urn']} with other options than the program")
        if not r["custom"] and json.loads(json.dumps(got.outputs)) != r["outputs"]:
            sys.exit(f"the {kind} baseline registered {r['urn']} with other outputs than the program")


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
    resident = _start_peak()
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
    added_mb = _status_mb("VmHWM") - resident
    _check_replay(kind, records, monitor.records.values())
    custom = sum(1 for r in monitor.records.values() if r.custom)
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": added_mb,
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


def targets(results: dict[int, tuple[float, float, float]]) -> str:
    """The targets set in 2026-11, each ``met`` or ``NOT met`` with its figure, or ``not run`` when its size was not:
    program / bare CPU at most 1.25 at 500 and 2,000 members, memory at most 1.2 at 2,000, the program's CPU growth
    from 500 to 2,000 members at most 4.2. ``results``: by size, program / bare CPU, program / bare memory, program
    CPU s."""

    def judged(figure: float | None, most: float) -> str:
        if figure is None:
            return "not run"
        return f"{'met' if figure <= most else 'NOT met'}: {figure:.2f}"

    def ratio(size: int, index: int) -> float | None:
        return results[size][index] if size in results else None

    growth = results[2000][2] / results[500][2] if 500 in results and 2000 in results else None
    return (
        f"targets: program / bare <= 1.25 at 500 ({judged(ratio(500, 0), 1.25)}), "
        f"at 2,000 ({judged(ratio(2000, 0), 1.25)}); memory <= 1.2 at 2,000 ({judged(ratio(2000, 1), 1.2)}); "
        f"growth 500 to 2,000 <= 4.2 ({judged(growth, 4.2)})"
    )


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
        f"start and imports before it excluded); MB: what the evaluation adds at its peak (the program's imports "
        f"in it); baseline set-up: {args.baseline}"
    )
    header = (
        f"{'members':>7} {'resources':>9} {'comps':>5} | {'program':>7} {'MB':>5} | {'bare':>6} {'MB':>5} | "
        f"{'layout':>6} {'MB':>5} | {'typed':>6} {'MB':>5} | {'prog/bare':>9} {'MB':>5} | "
        f"{'layout/bare':>11} {'MB':>5} | "
        f"{'typed/layout':>12} {'MB':>5} | {'prog/typed':>10} {'MB':>5} | {'growth':>6} | load"
    )
    print(header)
    print("-" * len(header))
    previous: tuple[int, float] | None = None
    results: dict[int, tuple[float, float, float]] = {}
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
            f"{cpu['bare']:>6.2f} {mb['bare']:>5.0f} | {cpu['layout']:>6.2f} {mb['layout']:>5.0f} | "
            f"{cpu['typed']:>6.2f} {mb['typed']:>5.0f} | "
            f"{p_cpu / cpu['bare']:>9.2f} {mb['program'] / mb['bare']:>5.2f} | "
            f"{cpu['layout'] / cpu['bare']:>11.2f} {mb['layout'] / mb['bare']:>5.2f} | "
            f"{cpu['typed'] / cpu['layout']:>12.2f} {mb['typed'] / mb['layout']:>5.2f} | "
            f"{p_cpu / cpu['typed']:>10.2f} {mb['program'] / mb['typed']:>5.2f} | "
            f"{growth:>6} | {load:.1f}-{os.getloadavg()[0]:.1f}"
        )
        results[size] = (p_cpu / cpu["bare"], mb["program"] / mb["bare"], p_cpu)
    print(targets(results))


if __name__ == "__main__":
    main()
