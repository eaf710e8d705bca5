"""Run the Pulumi program (``__main__.py``) in-process under Pulumi's mocks and record what it declares.

This module is the only part of ``pic`` that touches the Pulumi SDK, and it
imports it lazily, inside the functions that run the program: ``pic check``,
``pic report`` and friends never load it.

It is also a standalone script: ``pic plan --against REV`` runs it with the
interpreter on a checkout of REV, so that the program, the components and the
``pic`` package of REV are the ones imported (the checkout comes first on
``sys.path``). So it imports nothing from ``pic`` and depends only on the
standard library, PyYAML and the Pulumi SDK.

What it records for every resource: type, name, URN, parent, inputs and
outputs as sent on the wire (secrets still marked; a component's outputs are
the ones it registers), and the options that
decide what an update does (protect, retain_on_delete, delete_before_replace,
replace_on_changes, ignore_changes, additional_secret_outputs, aliases).
The mocks behave like the engine in a preview: outputs the mocks do not know
stay unknown, outputs a provider declares secret (``additional_secret_outputs``)
come back secret, and every mocked value is a pure function of the resource's
type, name and inputs, so two runs of the same program give the same record.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import hmac
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Markers of the Pulumi wire format (pulumi.runtime.rpc), not credentials.
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"  # noqa: S105
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
# Secrets the program may require that a stack file may not hold yet (see pic.settings.SECRET_KEYS).
DEFAULT_SECRET_KEYS = ("pic:dbAdminPassword", "pic:sshPrivateKey")
PLACEHOLDER = "plan-placeholder-secret"


class ProgramError(Exception):
    """The program stopped with an error (for example a bad registry); the message is the program's."""


@dataclass
class Record:
    """One resource as the program declared it (inputs and outputs with secrets still marked)."""

    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    protect: bool = False
    retain_on_delete: bool = False
    delete_before_replace: bool = False
    replace_on_changes: list[str] = field(default_factory=list)
    ignore_changes: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)
    provider: str = ""
    aliases: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Run:
    """What one evaluation of the program declared."""

    records: list[Record]
    exports: dict[str, Any]
    warnings: list[str]
    duplicates: list[str] = field(default_factory=list)


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG_KEY) == SECRET_SIG


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _inputs_key(inputs: dict[str, Any]) -> str:
    return json.dumps(inputs, sort_keys=True, default=str)


def mocked_outputs(typ: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Outputs shaped like the providers' own, derived only from type, name and inputs (wire names)."""
    key = _digest(typ, name, _inputs_key(inputs))
    out: dict[str, Any] = {}
    if typ == "random:index/randomPassword:RandomPassword":
        length = int(inputs.get("length", 32) or 32)
        out["result"] = ("Pw" + key + key)[:length]
        out["bcryptHash"] = "$2a$10$" + key[:53]
    elif typ == "tls:index/privateKey:PrivateKey":
        out["privateKeyPem"] = f"-----BEGIN PRIVATE KEY-----\nPLAN{key}\n-----END PRIVATE KEY-----\n"
        out["privateKeyPemPkcs8"] = out["privateKeyPem"]
        out["privateKeyOpenssh"] = (
            f"-----BEGIN OPENSSH PRIVATE KEY-----\nPLAN{key}\n-----END OPENSSH PRIVATE KEY-----\n"
        )
        pub = _digest("pub", key)
        out["publicKeyPem"] = f"-----BEGIN PUBLIC KEY-----\nPLAN{pub}\n-----END PUBLIC KEY-----\n"
        out["publicKeyOpenssh"] = f"ssh-ed25519 AAAAPLAN{pub}\n"
        out["publicKeyFingerprintSha256"] = f"SHA256:{pub[:43]}"
        out["publicKeyFingerprintMd5"] = ":".join(pub[i : i + 2] for i in range(0, 32, 2))
    elif typ in ("tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"):
        out["certPem"] = f"-----BEGIN CERTIFICATE-----\nPLAN{key}\n-----END CERTIFICATE-----\n"
        out["validityStartTime"] = "2026-01-01T00:00:00Z"
        out["validityEndTime"] = "2027-01-01T00:00:00Z"
        out["readyForRenewal"] = False
    elif typ == "tls:index/certRequest:CertRequest":
        out["certRequestPem"] = f"-----BEGIN CERTIFICATE REQUEST-----\nPLAN{key}\n-----END CERTIFICATE REQUEST-----\n"
    elif typ == "docker:index/remoteImage:RemoteImage":
        image = str(inputs.get("name", name))
        out["repoDigest"] = f"{image.split('@', 1)[0]}@sha256:{_digest('image', image)}"
        out["imageId"] = "sha256:" + _digest("id", image)
    elif typ == "docker:index/image:Image":
        image = str(inputs.get("imageName", name))
        out["repoDigest"] = f"{image}@sha256:{_digest('image', key)}"
        out["imageName"] = image
    elif typ == "docker:index/network:Network":
        out["driver"] = inputs.get("driver", "bridge")
    elif typ.startswith("command:"):
        out["stdout"] = ""
        out["stderr"] = ""
    return out


def struct_to_dict(struct: Any) -> dict[str, Any]:
    """A ``google.protobuf.Struct`` as plain data: what ``json_format.MessageToDict`` gives for it.

    Numbers are floats, as on the wire; an infinite or NaN number raises ValueError as
    ``MessageToDict`` does. Several times faster than ``MessageToDict``, which looks up
    descriptors for every value (tests/test_plan_engine_setup.py compares the two).
    """
    return {key: _value(value) for key, value in struct.fields.items()}


def _value(value: Any) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "struct_value":
        return {key: _value(v) for key, v in value.struct_value.fields.items()}
    if kind == "list_value":
        return [_value(v) for v in value.list_value.values]
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        number = value.number_value
        if number - number != 0:  # inf or nan
            raise ValueError(f"Fail to serialize {number} for Value.number_value")
        return number
    return None  # null_value, or not set (MessageToDict's null)


def _qualified_type(urn: str) -> str:
    """The type part of a URN, with its parents' types (``a:b:C$d:e:F``)."""
    return urn.split("::")[2] if urn.count("::") >= 3 else ""


def alias_urns(request: Any, stack_urn: str) -> list[str]:
    """The URNs a registration's aliases stand for, as the engine computes them
    (pkg/resource/deploy/step_generator.go, ``collapseAliasToUrn``): an alias given as a URN as is,
    an alias spec from its name, type, parent, stack and project, each defaulting to the resource's own.
    """
    out: list[str] = []
    for alias in getattr(request, "aliases", ()):
        if alias.urn:
            out.append(alias.urn)
            continue
        spec = alias.spec
        name, typ = spec.name or request.name, spec.type or request.type
        parent = "" if spec.noParent else (spec.parentUrn or request.parent)
        root = stack_urn.split("::")
        stack = spec.stack or (root[0].removeprefix("urn:pulumi:") if root else "")
        project = spec.project or (root[1] if len(root) > 1 else "")
        parent_type = _qualified_type(parent)
        qualified = f"{parent_type}${typ}" if parent and parent != stack_urn and parent_type else typ
        out.append(f"urn:pulumi:{stack}::{project}::{qualified}::{name}")
    return out


def _make_mocks() -> Any:
    import pulumi

    class PlanMocks(pulumi.runtime.Mocks):
        """Provider-shaped outputs: inputs echoed, plus the computed outputs the program reads."""

        def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
            state = dict(args.inputs)
            state.update(mocked_outputs(args.typ, args.name, args.inputs))
            return f"{args.name}-{_digest(args.typ, args.name)[:12]}", state

        def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
            return {}, None

    return PlanMocks()


def _make_monitor(mocks: Any) -> Any:
    from google.protobuf import json_format, struct_pb2
    from pulumi.runtime import mocks as pmocks

    class PlanMonitor(pmocks.MockMonitor):
        """A MockMonitor that records each registration with its options, and returns the outputs a
        provider declares secret as secrets, as the engine does."""

        def __init__(self, mocks: Any) -> None:
            super().__init__(mocks)
            self.records: dict[str, Record] = {}
            self.order: list[str] = []
            self.stack_outputs: dict[str, Any] = {}
            self.stack_urn = ""
            self.duplicates: list[str] = []  # the engine refuses a second resource with the same URN

        def RegisterResource(self, request: Any) -> Any:
            response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
            if request.type == "pulumi:pulumi:Stack":
                self.stack_urn = response.urn
                return response
            secret_outputs = list(request.additionalSecretOutputs)
            for key in secret_outputs:
                if key in response.object.fields:
                    value = _value(response.object.fields[key])
                    if not is_secret(value):
                        wrapped = struct_pb2.Value()
                        json_format.ParseDict({SECRET_SIG_KEY: SECRET_SIG, "value": value}, wrapped)
                        response.object.fields[key].CopyFrom(wrapped)
            record = Record(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent=request.parent,
                custom=bool(request.custom),
                inputs=struct_to_dict(request.object),
                outputs=struct_to_dict(response.object) if request.custom else {},
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                delete_before_replace=bool(request.deleteBeforeReplace),
                replace_on_changes=list(request.replaceOnChanges),
                ignore_changes=list(request.ignoreChanges),
                additional_secret_outputs=secret_outputs,
                dependencies=list(request.dependencies),
                provider=request.provider,
                aliases=alias_urns(request, self.stack_urn),
            )
            if response.urn in self.records:
                self.duplicates.append(response.urn)
            else:
                self.order.append(response.urn)
            self.records[response.urn] = record
            return response

        def RegisterResourceOutputs(self, request: Any) -> Any:
            if request.urn == self.stack_urn:
                self.stack_outputs = struct_to_dict(request.outputs)
            elif request.urn in self.records and not self.records[request.urn].custom:
                # a component's register_outputs: its outputs as the engine would keep them in the state
                self.records[request.urn].outputs = struct_to_dict(request.outputs)
            return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]

    return PlanMonitor(mocks)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


def _display(path: Path) -> str:
    """``path`` as pic's messages name a file (:func:`pic.settings.display_path`). Imported here, when called: run
    as a script in a revision's checkout (``pic plan --against``), the engine is given the name instead
    (``--shown-stack-file``) and imports nothing of pic."""
    from pic.settings import display_path

    return display_path(path)


def stack_config(
    project_dir: Path, stack: str, secret_keys: tuple[str, ...], shown: str | None = None
) -> tuple[dict[str, str], list[str]]:
    """The stack file's config as the engine hands it to a program; every secret is a placeholder.

    ``shown``: the stack file as messages name it, in ``--project``'s directory (``project/Pulumi.prod.yaml``;
    by default ``project_dir``'s, :func:`pic.settings.display_path`): the file read may be in a staged copy or a
    revision's checkout. Raises ProgramError naming it and the line for a file that is no UTF-8, no YAML, nested
    too deeply or holds an alias."""
    import yaml

    class NoAliases(yaml.SafeLoader):
        """A safe loader that refuses an alias (``*name``): a few nested ones are billions of values once the
        config is written out for the program (a revision's stack file is read before its program checks it)."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
                raise ProgramError(
                    f"{name}:{line}: an alias (*name), which pic does not follow: write the value out instead"
                )
            return super().compose_node(parent, index)

    path = project_dir / f"Pulumi.{stack}.yaml"
    name = shown if shown is not None else _display(path)
    # Any other fault of the file is the program's to say (its settings are checked first): its text, or no config
    # mapping, is handed on as none here.
    try:
        data = yaml.load(path.read_bytes().decode("utf-8"), Loader=NoAliases) if path.is_file() else None  # noqa: S506
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ProgramError(f"{name}:{line}: holds bytes that are not UTF-8: save it as UTF-8") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise ProgramError(f"{where}: cannot be read as YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ProgramError(f"{name}: cannot be read as YAML: {exc}") from None
    except RecursionError:
        raise ProgramError(f"{name}: cannot be read as YAML: nested too deeply") from None
    raw = data.get("config") if isinstance(data, dict) else None
    config: dict[str, str] = {}
    secrets: list[str] = []
    for raw_key, value in (raw if isinstance(raw, dict) else {}).items():
        key = str(raw_key)
        if isinstance(value, dict) and set(value) == {"secure"}:
            config[key] = PLACEHOLDER
            secrets.append(key)
        elif isinstance(value, str):
            config[key] = value
        else:
            config[key] = json.dumps(value, default=str)
    for key in secret_keys:
        if key not in config:
            config[key] = PLACEHOLDER
            secrets.append(key)
    return config, secrets


@contextmanager
def staged_project(project_dir: Path, members_dir: Path) -> Iterator[Path]:
    """The project directory, or a copy of it whose ``members`` is ``members_dir``.

    The program finds its member files next to itself; to run it on another
    directory without changing it, the project is mirrored in a temporary
    directory (symbolic links) whose ``members`` points at ``members_dir``.
    """
    project_dir = project_dir.resolve()
    members_dir = members_dir.resolve()
    if members_dir == (project_dir / "members").resolve():
        yield project_dir
        return
    tmp = Path(tempfile.mkdtemp(prefix="pic-plan-"))
    try:
        for entry in project_dir.iterdir():
            if entry.name in ("members", "__main__.py"):
                continue
            (tmp / entry.name).symlink_to(entry)
        shutil.copy2(project_dir / "__main__.py", tmp / "__main__.py")
        (tmp / "members").symlink_to(members_dir, target_is_directory=True)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _no_stack_trace() -> Any:
    """The SDK's ``_get_stack_trace`` under the plan: an empty trace, as the SDK sends when it finds no frame."""
    from pulumi.runtime.proto import source_pb2

    return source_pb2.StackTrace()


@contextmanager
def _plan_process() -> Iterator[None]:
    """The process set-up of :func:`run_program` (its docstring says what and why), undone after."""
    from pulumi.runtime import resource as pulumi_resource

    collecting = gc.isenabled()
    if gc.get_freeze_count():  # an earlier run's objects
        gc.unfreeze()
        gc.collect()
    gc.disable()
    stack_trace = pulumi_resource._get_stack_trace
    pulumi_resource._get_stack_trace = _no_stack_trace
    try:
        yield
    finally:
        pulumi_resource._get_stack_trace = stack_trace
        if collecting:
            gc.freeze()
            gc.enable()


def run_program(
    project_dir: Path,
    stack: str,
    members_dir: Path | None = None,
    *,
    project: str = "pic",
    secret_keys: tuple[str, ...] = DEFAULT_SECRET_KEYS,
    mocks: Any = None,
    monitor: Any = None,
    shown_stack_file: str | None = None,
) -> Run:
    """Evaluate ``project_dir/__main__.py`` for ``stack`` under mocks; raise ProgramError if it fails.

    ``shown_stack_file``: the stack file as messages name it (by default in ``project_dir`` as given,
    :func:`pic.settings.display_path`; a revision's checkout is named as the working tree's project).

    How this process differs from the language host of ``pulumi up``, each where the
    engine's behaviour cannot differ (what the engine receives is the same; figures in
    docs/BENCHMARKS.md):

    - The cyclic garbage collector is paused meanwhile: the SDK keeps many long-lived
      objects per resource, and the collector's repeated full passes over them made the
      evaluation time grow faster than the resource count (2.3 times slower at 500
      members). Reference counting still frees memory as it goes.
    - When the program is done, the objects it made are frozen (``gc.freeze``) before the
      collector resumes: otherwise the collector's first pass scans every one of them
      (seconds at 500 members) to free almost nothing. A later run in the same process
      unfreezes and collects them first, so a long-lived process (the tests) holds one
      run's cycles at most.
    - The SDK's stack trace of each registration (``traceback.extract_stack`` with the
      source line of every frame, then one protobuf per frame) is not taken: the mock
      monitor never reads it, and for ``pulumi up`` it only serves the engine to point at
      the source line in its messages. It costs in proportion to the depth of the call
      stack, so the components' helpers paid more than the bare SDK.

    ``mocks`` and ``monitor`` default to the plan's own; a monitor passed in
    must record like the plan's (``records``, ``order``, ``stack_outputs``).
    """
    import pulumi
    from pulumi.runtime import settings as pulumi_settings
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    shown = shown_stack_file or _display(project_dir / f"Pulumi.{stack}.yaml")
    project_dir = project_dir.resolve()
    members_dir = members_dir if members_dir is not None else project_dir / "members"
    with staged_project(project_dir, members_dir) as where:
        program = where / "__main__.py"
        source = program.read_text(encoding="utf-8")
        mocks = mocks if mocks is not None else _make_mocks()
        monitor = monitor if monitor is not None else _make_monitor(mocks)
        logger = logging.getLogger(f"pic.plan.{id(monitor)}")
        logger.propagate = False
        collect = _Collect()
        logger.addHandler(collect)
        config, secrets = stack_config(where, stack, secret_keys, shown)
        pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=True, logger=logger, monitor=monitor)
        pulumi.runtime.set_all_config(config, secrets)
        added_path = str(where) not in sys.path
        if added_path:
            sys.path.insert(0, str(where))
        try:
            with _plan_process():
                code = compile(source, str(program), "exec")
                namespace = {"__name__": "__main__", "__file__": str(program)}
                pulumi_settings.SETTINGS.rpc_manager.clear()
                pulumi_settings.SETTINGS.outputs.clear()
                _sync_await(run_pulumi_func(lambda: exec(code, namespace)))  # noqa: S102 - the program itself
                root = pulumi_settings.get_root_resource()
                if root is not None:
                    # The program's exports: register them on the stack, as the engine's entry point does.
                    outputs = getattr(root, "outputs", {})
                    if outputs:
                        root.register_outputs(outputs)  # type: ignore[attr-defined]
                        _sync_await(run_pulumi_func(lambda: None))
        except pulumi.RunError as exc:
            raise ProgramError(str(exc)) from None
        finally:
            if added_path:
                sys.path.remove(str(where))
            pulumi.runtime.set_all_config({}, [])
            pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
            logger.removeHandler(collect)
    records = [monitor.records[urn] for urn in monitor.order]
    return Run(records, dict(monitor.stack_outputs), collect.messages, list(getattr(monitor, "duplicates", [])))


def redact(value: Any, salt: bytes) -> Any:
    """A value fit to print or to compare: secrets become ``{"[secret]": <keyed digest>}``.

    The digest is keyed with a random salt that lives only for one plan, so two
    renderings of the same secret compare equal while the output reveals
    nothing about it; unknowns become ``{"[unknown]": true}``.
    """
    if isinstance(value, list):
        return [redact(v, salt) for v in value]
    if not isinstance(value, dict):
        return {"[unknown]": True} if value == UNKNOWN else value
    sig = value.get(SECRET_SIG_KEY)
    text = json.dumps(value.get("value") if sig == SECRET_SIG else value, sort_keys=True, default=str)
    special: dict[str, Callable[[], dict[str, Any]]] = {
        SECRET_SIG: lambda: {"[secret]": hmac.new(salt, text.encode(), hashlib.sha256).hexdigest()[:16]},
        RESOURCE_SIG: lambda: {"[resource]": value.get("urn", "")},
        ASSET_SIG: lambda: {"[asset]": _digest(text)[:16]},
        ARCHIVE_SIG: lambda: {"[asset]": _digest(text)[:16]},
    }
    if sig in special:
        return special[sig]()
    return {k: redact(v, salt) for k, v in value.items()}


def connection_address(inputs: dict[str, Any]) -> str:
    """The host a command reaches: its connection is a secret (it may hold the key), its address is not."""
    connection: Any = inputs.get("connection")
    if is_secret(connection):
        connection = connection["value"]
    host = connection.get("host") if isinstance(connection, dict) else None
    return host if isinstance(host, str) else ""


def connection_summary(inputs: dict[str, Any]) -> str:
    """``user@host:port`` of a command's connection: what a reviewer needs, never its key material."""
    connection: Any = inputs.get("connection")
    if is_secret(connection):
        connection = connection["value"]
    if not isinstance(connection, dict) or not isinstance(connection.get("host"), str):
        return ""
    user, port = connection.get("user"), connection.get("port")
    port_text = f":{int(port)}" if isinstance(port, (int, float)) else ""
    return f"{user}@{connection['host']}{port_text}" if isinstance(user, str) else f"{connection['host']}{port_text}"


def redacted_json(run: Run, salt: bytes) -> dict[str, Any]:
    records = []
    for r in sorted(run.records, key=lambda r: r.urn):  # registrations arrive in no fixed order
        data = r.to_json()
        data["address"] = connection_address(r.inputs)
        data["connection"] = connection_summary(r.inputs)
        data["inputs"] = redact(r.inputs, salt)
        data["outputs"] = redact(r.outputs, salt)
        records.append(data)
    warnings = run.warnings + [f"error: two resources have the URN {urn}" for urn in run.duplicates]
    return {"records": records, "exports": redact(run.exports, salt), "warnings": warnings}


def as_of(day: str) -> None:
    """Make ``datetime.date.today()`` answer ``day`` (``YYYY-MM-DD``) in this process, for a program that reads
    its day there (``TODAY = dt.date.today()``): a revision's program is run as of the last day its checks
    passed. The class is replaced by a subclass whose ``today`` is that day; every other use of it is the same.
    Only for this script's own process, before the program and its modules are imported."""
    import datetime

    fixed = datetime.date.fromisoformat(day)

    class _Day(datetime.date):
        @classmethod
        def today(cls) -> _Day:
            return cls(fixed.year, fixed.month, fixed.day)

    _Day.__name__ = _Day.__qualname__ = "date"
    _Day.__module__ = "datetime"
    datetime.date = _Day  # type: ignore[misc]


def main(argv: list[str] | None = None) -> int:
    """Script entry: evaluate a checkout's program and print its redacted record as JSON on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--members", type=Path, default=None)
    parser.add_argument("--secret-key", action="append", default=[])
    parser.add_argument("--today", default=None, help="the day the program reads as today (YYYY-MM-DD)")
    parser.add_argument("--shown-stack-file", default=None, help="the stack file as messages name it")
    args = parser.parse_args(argv)
    if args.today:
        as_of(args.today)
    salt = bytes.fromhex(os.environ.get("PIC_PLAN_SALT", "")) or os.urandom(16)
    project = args.project.resolve()
    # The checkout's own code, not this script's directory, comes first on the path.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    sys.path.insert(0, str(project))
    try:
        run = run_program(
            project,
            args.stack,
            args.members,
            secret_keys=tuple(args.secret_key) or DEFAULT_SECRET_KEYS,
            shown_stack_file=args.shown_stack_file,
        )
    except ProgramError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    json.dump(redacted_json(run, salt), sys.stdout)
    return 0


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The SDK leaves its event loop and gRPC threads behind; their teardown at exit only adds noise.
    os._exit(status)
