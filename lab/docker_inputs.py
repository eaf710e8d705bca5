"""The inputs of pulumi-docker resources, as the program registers them, turned into Docker SDK calls.

The plan engine (``pic.plan.engine``) records every resource's inputs on the
wire (camelCase names). Until the real provider runs in the lab, this module
creates the same network and containers with the Docker SDK for Python, field
by field, and says in :data:`CONTAINER_FIELDS` which fields it knows: an input
it does not know is an error, never silently dropped. Each field's meaning is
pulumi-docker's (``docker.Container``): memory and memory_swap in MiB, cpus as
a decimal string, ulimits, capabilities drops/adds, ports published on
``ip`` (default 0.0.0.0), uploads written into the container before it starts.

``host_path`` maps a path of the web host to where the lab keeps it (the lab
runs several "hosts" on one machine); the identity in production.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import docker
from docker.types import IPAMConfig, IPAMPool, Mount, Ulimit

# Inputs of docker.Container this translation handles (wire names); anything else raises.
CONTAINER_FIELDS = frozenset(
    {
        "name",
        "image",
        "command",
        "hosts",
        "user",
        "envs",
        "mounts",
        "volumes",
        "uploads",
        "tmpfs",
        "networksAdvanced",
        "ports",
        "memory",
        "memorySwap",
        "cpus",
        "ulimits",
        "capabilities",
        "securityOpts",
        "restart",
        "labels",
    }
)
NETWORK_FIELDS = frozenset({"name", "driver", "ipamConfigs", "internal", "options"})
# Label holding a digest of the inputs a container was made from: same inputs, same container.
INPUTS_LABEL = "pic.lab.inputs"


class UnknownInput(ValueError):
    """A recorded input the translation does not know: add it here before relying on it."""


def _identity(path: str) -> str:
    return path


def _mib(value: Any) -> int:
    return int(float(value)) * 1024 * 1024


@dataclass
class ContainerSpec:
    """One container to create: keyword arguments of ``containers.create`` and what follows creation."""

    name: str
    kwargs: dict[str, Any]
    uploads: list[tuple[str, bytes]] = field(default_factory=list)
    extra_networks: list[tuple[str, str | None]] = field(default_factory=list)
    digest: str = ""


def container_spec(
    inputs: dict[str, Any],
    *,
    host_path: Callable[[str], str] = _identity,
    uploads_override: dict[str, str] | None = None,
) -> ContainerSpec:
    """Translate a ``docker:index/container:Container`` record's inputs; raise UnknownInput on a new field.

    ``uploads_override`` replaces the content of uploads by container path (a
    file whose real content the mocks cannot know, such as the db host's CA).
    """
    unknown = set(inputs) - CONTAINER_FIELDS
    if unknown:
        raise UnknownInput(f"container {inputs.get('name')!r}: inputs not translated: {', '.join(sorted(unknown))}")
    kwargs: dict[str, Any] = {"name": inputs["name"], "image": inputs["image"], "detach": True}
    for wire, sdk in (("command", "command"), ("envs", "environment"), ("securityOpts", "security_opt")):
        if wire in inputs:
            kwargs[sdk] = list(inputs[wire])
    if "user" in inputs:
        kwargs["user"] = inputs["user"]
    mounts = _mounts(inputs, host_path)
    if mounts:
        kwargs["mounts"] = mounts
    if "tmpfs" in inputs:
        kwargs["tmpfs"] = dict(inputs["tmpfs"])
    if "hosts" in inputs:
        kwargs["extra_hosts"] = {h["host"]: h["ip"] for h in inputs["hosts"]}
    kwargs.update(_limits(inputs))
    if "restart" in inputs:
        kwargs["restart_policy"] = {"Name": inputs["restart"]}
    if "labels" in inputs:
        kwargs["labels"] = {item["label"]: item["value"] for item in inputs["labels"]}
    ports = {
        f"{int(p['internal'])}/{p.get('protocol', 'tcp')}": (
            p.get("ip", "0.0.0.0"),  # noqa: S104 - pulumi-docker's default
            int(p.get("external", p["internal"])),
        )
        for p in inputs.get("ports", [])
    }
    if ports:
        kwargs["ports"] = ports
    networks = [(n["name"], n.get("ipv4Address")) for n in inputs.get("networksAdvanced", [])]
    if networks:
        kwargs["network"] = networks[0][0]
    overrides = uploads_override or {}
    uploads = [(u["file"], overrides.get(u["file"], u.get("content", "")).encode()) for u in inputs.get("uploads", [])]
    digest = hashlib.sha256(
        json.dumps(
            {
                "inputs": inputs,
                "uploads": [(p, c.decode()) for p, c in uploads],
                "paths": [m["Source"] for m in mounts],
            },
            sort_keys=True,
            default=str,
        ).encode()
    ).hexdigest()
    kwargs.setdefault("labels", {})[INPUTS_LABEL] = digest
    return ContainerSpec(inputs["name"], kwargs, uploads, networks, digest)


def _mounts(inputs: dict[str, Any], host_path: Callable[[str], str]) -> list[Mount]:
    mounts = [
        Mount(
            target=m["target"],
            source=host_path(m["source"]) if m.get("type", "bind") == "bind" else m.get("source"),
            type=m.get("type", "bind"),
            read_only=bool(m.get("readOnly", False)),
        )
        for m in inputs.get("mounts", [])
    ]
    return mounts + [
        Mount(
            target=v["containerPath"], source=host_path(v["hostPath"]), type="bind", read_only=bool(v.get("readOnly"))
        )
        for v in inputs.get("volumes", [])
    ]


def _limits(inputs: dict[str, Any]) -> dict[str, Any]:
    """Memory (MiB), cpus, ulimits and capabilities, as the SDK names them."""
    out: dict[str, Any] = {}
    if "memory" in inputs:
        out["mem_limit"] = _mib(inputs["memory"])
    if "memorySwap" in inputs:
        out["memswap_limit"] = _mib(inputs["memorySwap"])
    if "cpus" in inputs:
        out["nano_cpus"] = round(float(inputs["cpus"]) * 1e9)
    if "ulimits" in inputs:
        out["ulimits"] = [Ulimit(name=u["name"], soft=int(u["soft"]), hard=int(u["hard"])) for u in inputs["ulimits"]]
    caps = inputs.get("capabilities", {})
    if caps.get("drops"):
        out["cap_drop"] = list(caps["drops"])
    if caps.get("adds"):
        out["cap_add"] = list(caps["adds"])
    return out


def create_container(client: docker.DockerClient, spec: ContainerSpec) -> Any:
    """Create (not start) the container: first network with its fixed address, uploads, other networks."""
    kwargs = dict(spec.kwargs)
    if spec.extra_networks:
        first, address = spec.extra_networks[0]
        kwargs["networking_config"] = {first: client.api.create_endpoint_config(ipv4_address=address)}
    container = client.containers.create(**kwargs)
    for path, content in spec.uploads:
        container.put_archive("/", _tar_of(path, content))
    for name, address in spec.extra_networks[1:]:
        client.networks.get(name).connect(container, ipv4_address=address)
    return container


def _tar_of(path: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(path.lstrip("/"))
        info.size = len(content)
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def create_network(client: docker.DockerClient, inputs: dict[str, Any]) -> Any:
    """Create a ``docker:index/network:Network`` from its recorded inputs; raise UnknownInput on a new field."""
    unknown = set(inputs) - NETWORK_FIELDS
    if unknown:
        raise UnknownInput(f"network {inputs.get('name')!r}: inputs not translated: {', '.join(sorted(unknown))}")
    pools = [
        IPAMPool(subnet=c.get("subnet"), iprange=c.get("ipRange"), gateway=c.get("gateway"))
        for c in inputs.get("ipamConfigs", [])
    ]
    return client.networks.create(
        inputs["name"],
        driver=inputs.get("driver", "bridge"),
        ipam=IPAMConfig(pool_configs=pools) if pools else None,
        internal=bool(inputs.get("internal", False)),
        options=inputs.get("options"),
    )
