"""What a change does: compare two renderings of the program, resource by resource.

A resource present only in the new rendering is *added*, only in the old one
*removed* (unless the new one lists the old URN in its ``aliases``: then it is
the same resource, renamed). A resource in both whose inputs differ is
*replaced* when one of the changed inputs forces a new resource, else
*updated*. What forces a replacement is, per resource type, the provider's
own rule (:data:`REPLACE_RULES`, from the provider schemas' replace-on-change
properties, ForceNew in the bridged Terraform providers), plus the resource's
own ``replace_on_changes`` option.

A change is *stateful* when it deletes or replaces something that holds data
or identity (:data:`STATEFUL_TYPES`: a database, a certificate or a key), or
anything the program protects (``protect``) or keeps on deletion
(``retain_on_delete``, a member's directories), or when it lifts such a
protection. ``pic plan`` exits non-zero when one is present.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from pic.plan.model import Rendering, Resource

Kind = Literal["add", "remove", "update", "replace"]


@dataclass(frozen=True)
class ReplaceRule:
    """Which inputs of a type force a new resource: ``keys``, or every input but ``updatable``."""

    keys: frozenset[str] = frozenset()
    updatable: frozenset[str] | None = None  # set: every other input forces a replacement
    source: str = ""

    def forces(self, key: str) -> bool:
        if self.updatable is not None:
            return key not in self.updatable
        return key in self.keys


def _all_but(*updatable: str, source: str) -> ReplaceRule:
    return ReplaceRule(updatable=frozenset(updatable), source=source)


def _keys(*keys: str, source: str) -> ReplaceRule:
    return ReplaceRule(keys=frozenset(keys), source=source)


_TF = "ForceNew in the Terraform provider bridged by pulumi-{}"
# Input names are the wire (camelCase) names.
REPLACE_RULES: dict[str, ReplaceRule] = {
    # terraform-provider-docker resource_docker_container: every attribute is ForceNew except those
    # resourceDockerContainerUpdate applies in place (restart policy, cpu and memory limits) and the
    # provider-side flags that only steer create/delete.
    "docker:index/container:Container": _all_but(
        "restart",
        "maxRetryCount",
        "cpuShares",
        "cpuSet",
        "memory",
        "memorySwap",
        "destroyGraceSeconds",
        "mustRun",
        "start",
        "rm",
        "attach",
        "logs",
        "wait",
        "waitTimeout",
        "containerReadRefreshTimeoutMilliseconds",
        source=_TF.format("docker") + " (docker_container)",
    ),
    "docker:index/remoteImage:RemoteImage": _keys(
        "name", "pullTriggers", "triggers", "platform", "build", source=_TF.format("docker") + " (docker_image)"
    ),
    "docker:index/network:Network": _all_but(source=_TF.format("docker") + " (docker_network)"),
    "docker:index/volume:Volume": _all_but(source=_TF.format("docker") + " (docker_volume)"),
    "mysql:index/database:Database": _keys("name", source=_TF.format("mysql") + " (mysql_database)"),
    "mysql:index/user:User": _keys("user", "host", source=_TF.format("mysql") + " (mysql_user)"),
    "mysql:index/grant:Grant": _keys(
        "user", "host", "role", "database", "table", "grant", "tlsOption", source=_TF.format("mysql") + " (mysql_grant)"
    ),
    "random:index/randomPassword:RandomPassword": _all_but(source=_TF.format("random") + " (random_password)"),
    "random:index/randomString:RandomString": _all_but(source=_TF.format("random") + " (random_string)"),
    "random:index/randomId:RandomId": _all_but(source=_TF.format("random") + " (random_id)"),
    "tls:index/privateKey:PrivateKey": _all_but(source=_TF.format("tls") + " (tls_private_key)"),
    "tls:index/selfSignedCert:SelfSignedCert": _all_but(
        "earlyRenewalHours", source=_TF.format("tls") + " (tls_self_signed_cert)"
    ),
    "tls:index/locallySignedCert:LocallySignedCert": _all_but(
        "earlyRenewalHours", source=_TF.format("tls") + " (tls_locally_signed_cert)"
    ),
    "tls:index/certRequest:CertRequest": _all_but(source=_TF.format("tls") + " (tls_cert_request)"),
    # pulumi-command schema: only `triggers` is replaceOnChanges; a changed script or stdin re-runs `update`.
    "command:remote:Command": _keys("triggers", source="pulumi-command schema (replaceOnChanges)"),
    "command:local:Command": _keys("triggers", source="pulumi-command schema (replaceOnChanges)"),
    "command:remote:CopyToRemote": _keys("triggers", source="pulumi-command schema (replaceOnChanges)"),
}

# Types whose deletion or replacement loses data or an identity others rely on.
STATEFUL_TYPES: dict[str, str] = {
    "mysql:index/database:Database": "a database",
    "docker:index/volume:Volume": "a volume",
    "tls:index/privateKey:PrivateKey": "a private key",
    "tls:index/selfSignedCert:SelfSignedCert": "a certificate",
    "tls:index/locallySignedCert:LocallySignedCert": "a certificate",
    "tls:index/certRequest:CertRequest": "a certificate request",
}


@dataclass
class InputChange:
    key: str
    old: Any
    new: Any
    forces_replace: bool


@dataclass
class Change:
    kind: Kind
    urn: str
    old: Resource | None
    new: Resource | None
    inputs: list[InputChange] = field(default_factory=list)
    options: list[str] = field(default_factory=list)  # e.g. "protect: true -> false"
    reasons: list[str] = field(default_factory=list)  # why a replacement
    stateful: str = ""  # non-empty: why this change puts state at stake
    note: str = ""  # e.g. no replace rule is known for the type

    @property
    def resource(self) -> Resource:
        res = self.new or self.old
        assert res is not None
        return res


def stateful_reason(res: Resource) -> str:
    """Why deleting or replacing ``res`` puts something at stake, or ``""``."""
    why = []
    if res.type in STATEFUL_TYPES:
        why.append(STATEFUL_TYPES[res.type])
    if res.protect:
        why.append("protected")
    if res.retain_on_delete:
        why.append("retained on delete (member data)")
    return ", ".join(why)


def _top(path: str) -> str:
    """The top-level input of a replace_on_changes path: ``triggers[*]`` -> ``triggers``, ``a.b`` -> ``a``."""
    for i, ch in enumerate(path):
        if ch in ".[":
            return path[:i]
    return path


def _replace_source(res: Resource, key: str) -> str | None:
    """Why a change of input ``key`` forces a new resource, or None when it is updated in place."""
    for path in res.replace_on_changes:
        if path == "*" or _top(path) == key:
            return "the resource's replace_on_changes option"
    rule = REPLACE_RULES.get(res.type)
    if rule is not None and rule.forces(key):
        return rule.source
    return None


def _reasons(res: Resource, keys: list[str]) -> list[str]:
    by_source: dict[str, list[str]] = {}
    for key in keys:
        source = _replace_source(res, key)
        if source is not None:
            by_source.setdefault(source, []).append(key)
    return [f"{', '.join(ks)} ({source})" for source, ks in by_source.items()]


def _diff_inputs(old: Resource, new: Resource) -> list[InputChange]:
    out = []
    ignored = {_top(p) for p in new.ignore_changes}
    for key in sorted(set(old.inputs) | set(new.inputs)):
        if key in ignored or key.startswith("__"):
            continue
        a, b = old.inputs.get(key), new.inputs.get(key)
        if a != b:
            out.append(InputChange(key, a, b, _replace_source(new, key) is not None))
    return out


def _options(old: Resource, new: Resource) -> list[str]:
    out = []
    for name in ("protect", "retain_on_delete", "delete_before_replace"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(f"{name}: {str(a).lower()} -> {str(b).lower()}")
    return out


def diff(old: Rendering, new: Rendering) -> list[Change]:
    """The changes that take ``old`` to ``new``, in the new rendering's order, removals last."""
    renamed = {alias: res.urn for res in new for alias in res.aliases if alias in old.resources}
    changes: list[Change] = []
    for res in new:
        before = old.resources.get(res.urn)
        if before is None:
            before = next((old.resources[a] for a in res.aliases if a in old.resources), None)
        if before is None:
            changes.append(Change("add", res.urn, None, res))
            continue
        if not res.custom:
            continue  # a component has no state of its own: its children say what changes
        inputs = _diff_inputs(before, res)
        options = _options(before, res)
        if not inputs and not options:
            continue
        reasons = _reasons(res, [c.key for c in inputs])
        kind: Kind = "replace" if reasons else "update"
        change = Change(kind, res.urn, before, res, inputs, options, reasons)
        if kind == "update" and inputs and res.is_provider:
            change.note = "a provider's new settings may make the engine replace what it manages: run pulumi preview"
        elif kind == "update" and inputs and res.type not in REPLACE_RULES:
            change.note = f"no replace rule is known for {res.type}: shown as an update, check the provider's docs"
        if kind == "replace":
            change.stateful = stateful_reason(before)
        elif any(o.startswith(("protect: true", "retain_on_delete: true")) for o in options):
            change.stateful = "protection lifted from " + (stateful_reason(before) or "a resource")
        changes.append(change)
    for res in old:
        if res.urn not in new.resources and res.urn not in renamed:
            changes.append(Change("remove", res.urn, res, None, stateful=stateful_reason(res)))
    return changes


def stateful_changes(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.stateful and c.kind in ("remove", "replace", "update")]


def show_value(value: Any, limit: int = 70) -> str:
    """A short rendering of an input value; secrets never shown."""
    if isinstance(value, dict) and "[secret]" in value:
        return "[secret]"
    if isinstance(value, dict) and "[unknown]" in value:
        return "(known after apply)"
    if value is None:
        return "(none)"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        if "[secret]" in value:
            return "[secret]"
        if "[unknown]" in value:
            return "(known after apply)"
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def describe(change: InputChange, max_lines: int = 40) -> list[str]:
    """Lines that say how one input changes: a line diff for texts (files, scripts), else old -> new."""
    a, b = change.old, change.new
    if (isinstance(a, dict) and "[secret]" in a) or (isinstance(b, dict) and "[secret]" in b):
        return [f"{change.key}: [secret] changed"]
    if isinstance(a, str) and isinstance(b, str) and ("\n" in a or "\n" in b):
        lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "before", "after", n=1, lineterm=""))[2:]
        if len(lines) > max_lines:
            lines = [*lines[:max_lines], f"... ({len(lines) - max_lines} more lines)"]
        return [f"{change.key}: text changed", *(f"    {line}" for line in lines)]
    if change.key == "labels" and isinstance(a, list) and isinstance(b, list):
        la = {i.get("label"): i.get("value") for i in a if isinstance(i, dict)}
        lb = {i.get("label"): i.get("value") for i in b if isinstance(i, dict)}
        out = []
        for label in sorted(set(la) | set(lb), key=str):
            if la.get(label) != lb.get(label):
                out.append(f"labels[{label}]: {show_value(la.get(label))} -> {show_value(lb.get(label))}")
        return out or [f"labels: {show_value(a)} -> {show_value(b)}"]
    return [f"{change.key}: {show_value(a)} -> {show_value(b)}"]
