"""What a change does: compare two renderings of the program, resource by resource.

A resource present only in the new rendering is *added*, only in the old one
*removed* (unless the new one lists the old URN in its ``aliases``: then it is
the same resource, *renamed* when nothing else changes: the engine moves it in the
state and calls no provider, as ``pulumi up`` shows a ``same`` step with its new URN).
A resource in both whose inputs differ is *replaced* when one of the changed inputs forces a new resource, else
*updated*. What forces a replacement is, per resource type, the provider's
own rule (:data:`REPLACE_RULES`, from the provider schemas' replace-on-change
properties, ForceNew in the bridged Terraform providers), plus the resource's
own ``replace_on_changes`` option.

A change is *stateful* when it deletes or replaces something that holds data
or identity (:data:`STATEFUL_TYPES`: a database, a certificate or a key), or
anything the program protects (``protect``) or keeps on deletion
(``retain_on_delete``, a member's directories), or when it lifts such a
protection. ``pic plan`` exits non-zero when one is present.

A protected resource is never deleted by ``pulumi up``: the engine refuses to delete one
(pkg/resource/deploy/step.go, ``deleteProtectedError``: "cannot be deleted because it is
protected") or to replace one that stays protected (step_generator.go: "unable to replace resource
... as it is currently marked for protection"), and the update stops there. Such a change is
*refused* (:func:`refusal`): stateful, and it cannot be applied as it is.

A removed command is stateful too when its ``delete`` script removes a path that a command of the
new rendering writes (:func:`delete_traps`): the engine runs the deletions of removed resources
after every creation and update (pkg/resource/deploy/step_generator.go, ``GenerateDeletes``), with
the ``delete`` script kept in the old state, so such a deletion would remove the file the new
command has just written, and the next ``pulumi up`` would see nothing to do.
"""

from __future__ import annotations

import bisect
import difflib
import fnmatch
import json
import re
import shlex
import sys
import textwrap
from dataclasses import dataclass, field
from typing import Any, Literal

from pic.plan.model import Rendering, Resource

Kind = Literal["add", "remove", "update", "replace", "rename"]


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


_DOCKER = "terraform-provider-docker {} ForceNew (kreuzwerker, bridged by pulumi-docker 5)"
_MYSQL = "terraform-provider-mysql mysql/{} ForceNew (petoju, bridged by pulumi-mysql 3)"
_TLS = "terraform-provider-tls internal/provider/{} RequiresReplace (hashicorp, bridged by pulumi-tls 5)"
_RANDOM = "terraform-provider-random {} RequiresReplace on every input (hashicorp, bridged by pulumi-random 4)"
_COMMAND = "pulumi-command provider/cmd/pulumi-resource-command/schema.json replaceOnChanges"
# Input names are the wire (camelCase) names. Reviewed against the sources named in each rule, for every
# type the program declares (pic plan --format json | counts.by_type).
REPLACE_RULES: dict[str, ReplaceRule] = {
    # resource_docker_container.go: every attribute is ForceNew except these (resourceDockerContainerUpdate
    # applies restart, maxRetryCount, cpuShares, memory, memoryReservation, cpuSet, memorySwap and the
    # block-io throttles in place; the others only steer create and delete, or are read back). `cpus`
    # and `ulimit` are ForceNew.
    "docker:index/container:Container": _all_but(
        "restart",
        "maxRetryCount",
        "cpuShares",
        "cpuSet",
        "cpuPeriod",
        "cpuQuota",
        "memory",
        "memoryReservation",
        "memorySwap",
        "deviceReadBps",
        "deviceReadIops",
        "deviceWriteBps",
        "deviceWriteIops",
        "destroyGraceSeconds",
        "removeVolumes",
        "healthcheck",
        "init",
        "tmpfs",
        "mustRun",
        "start",
        "rm",
        "attach",
        "logs",
        "wait",
        "waitTimeout",
        "containerReadRefreshTimeoutMilliseconds",
        source=_DOCKER.format("internal/provider/resource_docker_container.go"),
    ),
    "docker:index/remoteImage:RemoteImage": _keys(
        "name", "pullTriggers", "triggers", "platform", "build", source=_DOCKER.format("resource_docker_image.go")
    ),
    "docker:index/network:Network": _all_but(source=_DOCKER.format("resource_docker_network.go")),
    "docker:index/volume:Volume": _all_but(source=_DOCKER.format("resource_docker_volume.go")),
    "mysql:index/database:Database": _keys("name", source=_MYSQL.format("resource_database.go")),
    "mysql:index/user:User": _keys(
        "user", "host", "authPlugin", "aadIdentity", source=_MYSQL.format("resource_user.go")
    ),
    "mysql:index/grant:Grant": _keys(
        "user",
        "host",
        "role",
        "roles",
        "database",
        "table",
        "grant",
        "tlsOption",
        source=_MYSQL.format("resource_grant.go"),
    ),
    "random:index/randomPassword:RandomPassword": _all_but(source=_RANDOM.format("resource_password.go")),
    "random:index/randomString:RandomString": _all_but(source=_RANDOM.format("resource_string.go")),
    "random:index/randomId:RandomId": _all_but(source=_RANDOM.format("resource_id.go")),
    "tls:index/privateKey:PrivateKey": _all_but(source=_TLS.format("resource_private_key.go")),
    "tls:index/selfSignedCert:SelfSignedCert": _all_but(
        "earlyRenewalHours", source=_TLS.format("resource_self_signed_cert.go")
    ),
    "tls:index/locallySignedCert:LocallySignedCert": _all_but(
        "earlyRenewalHours", source=_TLS.format("resource_locally_signed_cert.go")
    ),
    "tls:index/certRequest:CertRequest": _all_but(source=_TLS.format("resource_cert_request.go")),
    # Only `triggers` is replaceOnChanges; a changed script or stdin runs the command's `update` (or `create`).
    "command:remote:Command": _keys("triggers", source=_COMMAND),
    "command:local:Command": _keys("triggers", source=_COMMAND),
    "command:remote:CopyToRemote": _keys("triggers", source=_COMMAND),
}

# Types whose provider always deletes the old resource before creating its replacement, whatever the
# resource's own delete_before_replace option says.
PROVIDER_DELETES_FIRST: dict[str, str] = {
    # provider/resources.go of pulumi-docker: docker_container has DeleteBeforeReplace: true (its name is
    # unique on the engine).
    "docker:index/container:Container": "pulumi-docker deletes a container before creating its replacement",
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
    shown: tuple[str, str] | None = None  # what to print instead of secret values (a connection's address)
    created: bool = False  # an input of a resource the change adds: shown as it is, not as a change


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
    provider_change: tuple[str, str] | None = None  # (old, new) provider URNs when the provider changes
    renamed_from: str = ""  # the old URN, when the resource is found through one of its aliases
    refused: str = ""  # non-empty: why pulumi up refuses this change (a protected resource deleted or replaced)

    @property
    def delete_first(self) -> str:
        """Why the old resource goes before its replacement is created, or ``""`` (created first)."""
        if self.kind != "replace":
            return ""
        res = self.resource
        if res.type in PROVIDER_DELETES_FIRST:
            return PROVIDER_DELETES_FIRST[res.type]
        if res.delete_before_replace:
            return "its delete_before_replace option"
        return ""

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


PROTECTED_DELETE = 'pulumi up refuses to delete it ("cannot be deleted because it is protected") and stops'
PROTECTED_REPLACE = (
    'pulumi up refuses to replace it ("unable to replace resource ... as it is currently marked for protection") '
    "and stops"
)


def refusal(change: Change) -> str:
    """Why ``pulumi up`` refuses a change, or ``""``: the deletion of a resource protected in the state
    (step.go, ``DeleteStep.Apply``: ``old.Protect``), or the replacement of one protected before and after
    (step_generator.go: ``new.Protect && old.Protect``; lifting ``protect`` in the same change allows it)."""
    old = change.old
    if old is None or not old.protect:
        return ""
    if change.kind == "remove":
        return PROTECTED_DELETE
    if change.kind == "replace" and change.new is not None and change.new.protect:
        return PROTECTED_REPLACE
    return ""


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
            change = InputChange(key, a, b, _replace_source(new, key) is not None)
            if key == "connection" and (old.connection or new.connection):
                change.shown = (old.connection or "(none)", new.connection or "(none)")
            out.append(change)
    return out


def _added_inputs(res: Resource) -> list[InputChange]:
    """Every input of a resource the change adds, as a change from nothing (``pulumi preview --diff`` shows them
    too): what a reviewer reads of a new member's container, scripts and grants."""
    out = []
    for key in sorted(res.inputs):
        if key.startswith("__"):
            continue
        change = InputChange(key, None, res.inputs[key], False, created=True)
        if key == "connection" and res.connection:
            change.shown = ("(none)", res.connection)
        elif key == "update" and res.type.startswith("command:") and res.inputs[key] == res.inputs.get("create"):
            change.shown = ("(none)", "the same as create")  # a command's usual update: not shown twice
        out.append(change)
    return out


_OPTIONS = ("protect", "retain_on_delete", "delete_before_replace")


def _options(old: Resource, new: Resource) -> list[str]:
    out = []
    for name in _OPTIONS:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(f"{name}: {str(a).lower()} -> {str(b).lower()}")
    return out


def _added(res: Resource) -> Change:
    """A resource the change adds, with its inputs and options; a component has none of its own."""
    if not res.custom:
        return Change("add", res.urn, None, res)
    return Change("add", res.urn, None, res, _added_inputs(res), _added_options(res))


def _added_options(res: Resource) -> list[str]:
    """The options a resource the change adds is created with (``protect: true``): a new member's databases are
    protected, which is why ``pulumi up`` refuses to delete them later."""
    return [f"{name}: true" for name in _OPTIONS if getattr(res, name)]


def provider_urn(res: Resource) -> str:
    """The URN of the provider a resource is managed by (a reference is ``<urn>::<id>``), or ``""``."""
    return res.provider.rsplit("::", 1)[0] if res.provider else ""


def diff(old: Rendering, new: Rendering, data_roots: tuple[str, ...] = ()) -> list[Change]:
    """The changes that take ``old`` to ``new``, in the new rendering's order, removals last.

    ``data_roots``: where members' data lives on the hosts (``pic:members_root``). A command that
    loses ``retain_on_delete`` is not stateful when its new delete script removes nothing there:
    on a command, the option only keeps its delete script from running.

    As the engine does (pkg/resource/deploy/step_generator.go, ``providerChanged``): a resource whose
    provider is another provider resource than before is replaced, whatever its inputs.
    """
    renamed = {alias: res.urn for res in new for alias in res.aliases if alias in old.resources}
    changes: list[Change] = []
    for res in new:
        before = old.resources.get(res.urn)
        if before is None:
            before = next((old.resources[a] for a in res.aliases if a in old.resources), None)
        if before is None:
            changes.append(_added(res))
            continue
        if not res.custom:
            continue  # a component has no state of its own: its children say what changes
        change = _compare(before, res, renamed, data_roots)
        if change is None and before.urn != res.urn:
            change = Change("rename", res.urn, before, res)
        if change is not None:
            change.renamed_from = before.urn if before.urn != res.urn else ""
            changes.append(change)
    writers = WrittenPaths(new)
    for res in old:
        if res.urn not in new.resources and res.urn not in renamed:
            change = Change("remove", res.urn, res, None, stateful=stateful_reason(res))
            if res.type.startswith("command:") and "delete" not in res.inputs:
                change.note = "it has no delete command: it leaves the state, nothing is removed from the host"
            elif res.type.startswith("command:") and (removed := removed_paths(res)):
                change.note = "its delete command removes " + ", ".join(removed)
            traps = delete_traps(res, writers)
            if traps:
                change.stateful = ", ".join(filter(None, [change.stateful, *traps]))
            change.refused = refusal(change)
            changes.append(change)
    return changes


# A path's characters, and the bracket expressions of a glob ([1-9]): pic.render.cron names a member's
# units by their job numbers so, pic-cron-<slug>-* would also match a member whose slug extends <slug>.
_PATH_CHARS = r"(?:[A-Za-z0-9_.@+:%{}$*-]|\[!?[A-Za-z0-9-]+\])"
_PATH = re.compile(rf"/{_PATH_CHARS}+(?:/{_PATH_CHARS}*)*")
_VARIABLE = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


def _text(value: Any) -> str:
    """The text of an input, or "" for a secret or unknown (never read)."""
    return value if isinstance(value, str) else ""


def _pattern(path: str) -> str:
    """A path of a script as a glob: shell variables (``$n``, ``${n}``) match anything."""
    return _VARIABLE.sub("*", path).rstrip("/") or "/"


def written_paths(res: Resource) -> list[str]:
    """Every absolute path a command's ``create`` and ``update`` scripts and its ``stdin`` name, as globs.

    A superset of what it writes (a script also names what it reads; not what it gives cat or grep, which only
    read): good enough to prove that
    a deletion touches none of them. A secret ``stdin`` is not read: the paths of a secret command
    must show in its ``create``, as they do for ``components.hostcmd.place_file``.
    """
    # The command lines opened up (nested sh -c); a script on stdin as it is: its paths stand after a
    # blank or a quote there too, and opening a long script up would cost for nothing.
    text = _unquoted("\n".join(_text(res.inputs.get(k)) for k in ("create", "update")))
    text += "\n" + _text(res.inputs.get("stdin"))
    text = _READ_ONLY.sub(" ", text)  # what cat and grep are given to read, up to a redirection, they never write
    found = set()
    for match in _PATH.finditer(text):
        start = match.start()
        before = text[start - 1] if start else " "
        if before == '"':  # an opening quote, not the end of "$dir"/...
            before = text[start - 2] if start > 1 else " "
        if not (before.isspace() or before in "='(<>|;:"):
            continue  # the tail of a relative path or of a variable's value: "$dir"/x, ${tmp}/x
        pattern = _pattern(match.group())
        if len([part for part in pattern.split("*", 1)[0].split("/") if part]) >= 2:
            found.add(pattern)  # /*, /db or /dev/null alone say nothing of what is written where
    return sorted(found)


# A command that only reads its operands, with them up to the end of its command or a redirection (``grep -s x
# /etc/f``, ``cat -- /a /b``: neither writes /etc/f, /a, /b; ``cat > /x`` still names /x as written).
_READ_ONLY = re.compile(r"(?<![\w./-])(?:cat|grep)(?=[ \t])[^;&|<>\n]*")


def _unquoted(script: str) -> str:
    """A script with the nested ``sh -c '...'`` levels of ``components.hostcmd`` opened up."""
    out = [script]
    for _ in range(3):
        try:
            words = shlex.split(out[-1], comments=False, posix=True)
        except ValueError:
            break
        inner = [words[i + 1] for i, w in enumerate(words[:-1]) if w == "-c"]
        if not inner:
            break
        out.append("\n".join(inner))
    return "\n".join(out)


def removed_paths(res: Resource) -> list[str]:
    """The paths a command's ``delete`` script removes (``rm`` operands), as globs (``$n`` matches anything)."""
    script = _text(res.inputs.get("delete"))
    found: set[str] = set()
    for statement in re.split(r"[;&|\n]+", _unquoted(script)):
        try:
            words = shlex.split(statement, comments=True, posix=True)
        except ValueError:
            continue
        while words and words[0] in ("sudo", "-n", "exec"):
            words = words[1:]
        if not words or words[0] != "rm":
            continue
        found |= {_pattern(w) for w in words[1:] if w.startswith("/")}
    return sorted(found)


def _overlaps(removed: str, written: str) -> bool:
    """Whether removing ``removed`` (a file, or a tree with ``rm -r``) can remove ``written``."""
    return (
        fnmatch.fnmatchcase(written, removed)
        or fnmatch.fnmatchcase(removed, written)
        or fnmatch.fnmatchcase(written, removed + "/*")
    )


class WrittenPaths:
    """Every path the commands of a rendering write (:func:`written_paths`), indexed to find those a
    removal may touch without comparing each removal with each command."""

    def __init__(self, rendering: Rendering) -> None:
        self.literal: dict[str, set[str]] = {}
        self.globs: list[tuple[str, str]] = []
        for res in rendering:
            if res.type.startswith("command:"):
                for path in written_paths(res):
                    if "*" in path or "?" in path or "[" in path:
                        self.globs.append((path, res.name))
                    else:
                        self.literal.setdefault(path, set()).add(res.name)
        self.sorted = sorted(self.literal)

    def writers_of(self, removed: str) -> set[str]:
        """The commands that write a path removing ``removed`` (a file, a tree, a glob) may remove."""
        prefix = re.split(r"[*?\[]", removed, maxsplit=1)[0]
        hits: set[str] = set()
        i = bisect.bisect_left(self.sorted, prefix)
        while i < len(self.sorted) and self.sorted[i].startswith(prefix):
            if _overlaps(removed, self.sorted[i]):
                hits |= self.literal[self.sorted[i]]
            i += 1
        hits |= {name for pattern, name in self.globs if _overlaps(removed, pattern)}
        return hits


def delete_traps(removed: Resource, writers: WrittenPaths) -> list[str]:
    """Why deleting ``removed`` (a command leaving the program) would undo what a command of the new
    rendering writes: one line per path its ``delete`` script removes that such a command names."""
    out = []
    for path in removed_paths(removed):
        hits = sorted(writers.writers_of(path))
        if hits:
            out.append(f"its delete script removes {path}, which {', '.join(hits)} writes")
    return out


def _compare(
    before: Resource, res: Resource, renamed: dict[str, str], data_roots: tuple[str, ...] = ()
) -> Change | None:
    """The change of a resource present on both sides, or None when nothing changes."""
    inputs = _diff_inputs(before, res)
    options = _options(before, res)
    providers = (provider_urn(before), provider_urn(res))
    moved = providers[0] != providers[1] and renamed.get(providers[0]) != providers[1]
    if not inputs and not options and not moved:
        return None
    reasons = _reasons(res, [c.key for c in inputs])
    if moved:
        reasons.insert(0, "provider (the engine replaces a resource whose provider changes)")
    kind: Kind = "replace" if reasons else "update"
    change = Change(kind, res.urn, before, res, inputs, options, reasons)
    change.provider_change = providers if moved else None
    if kind == "update" and inputs and res.is_provider:
        change.note = "a provider's new settings may make the engine replace what it manages: run pulumi preview"
    elif kind == "update" and inputs and res.type not in REPLACE_RULES:
        change.note = f"no replace rule is known for {res.type}: shown as an update, check the provider's docs"
    if kind == "replace":
        change.stateful = stateful_reason(before)
        change.refused = refusal(change)
    elif any(o.startswith(("protect: true", "retain_on_delete: true")) for o in options):
        spared = _delete_spares(res, data_roots)
        if spared and not any(o.startswith("protect: true") for o in options) and before.type not in STATEFUL_TYPES:
            change.note = spared
        else:
            change.stateful = "protection lifted from " + (stateful_reason(before) or "a resource")
    return change


def _delete_spares(res: Resource, data_roots: tuple[str, ...]) -> str:
    """Why a command's delete script, now allowed to run, removes no member data; ``""`` if it may."""
    if not data_roots or not res.type.startswith("command:"):
        return ""
    script = _text(res.inputs.get("delete"))
    paths = removed_paths(res)
    if not script:
        return "retain_on_delete lifted from a command with no delete script: its deletion runs nothing"
    if not paths or re.search(r"\b(find|rmdir|mv|shred|truncate|unlink|dd)\b", _unquoted(script)):
        return ""  # removes something by other means than rm: not proven
    if any(_overlaps(path, root) or _overlaps(root, path) for path in paths for root in data_roots):
        return ""
    return (
        "retain_on_delete lifted: its delete script removes only "
        + ", ".join(paths)
        + f", nothing under {', '.join(data_roots)} (member data)"
    )


def stateful_changes(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.stateful and c.kind in ("remove", "replace", "update", "rename")]


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
    text = shown_string(value) if isinstance(value, str) else _inline(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def json_text(value: Any) -> str:
    """An input's value as JSON text, for ``--format json`` (``inputs[].old`` and ``new``): what a tool parses, secrets
    as ``"[secret]"``, unknowns as ``"(known after apply)"``, ``(none)`` for none."""
    if value is None:
        return "(none)"
    plain = _plain(value)
    if plain in ("[secret]", "(known after apply)") and isinstance(value, dict):
        return str(plain)
    return json.dumps(plain, ensure_ascii=False, sort_keys=True)


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


_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_PLACEHOLDERS = frozenset({"(none)", "[secret]", "(known after apply)", "..."})


def shown_string(value: str, *, item: bool = False) -> str:
    """A string as it is (a SQL pattern ``theatre\\_croix\\_wiki%`` with one backslash each, not JSON's two): bare,
    or in double quotes when that is needed to see where it starts and ends (empty, with spaces; an ``item`` of a
    list or object with a comma, colon or bracket) or that it is a string (``"8.3"``, ``"true"``, ``"(none)"``),
    its characters inside as they are. Only a string with control characters (a tab, a line break) is written as
    JSON writes it, whose escapes are the way to see them."""
    if _CONTROL.search(value):
        return json.dumps(value, ensure_ascii=False)
    if (
        not value
        or any(ch.isspace() for ch in value)
        or value in _PLACEHOLDERS
        or value[0] in '"[{'
        or _reads_as_json(value)
        or (item and any(ch in value for ch in ",:[]{}"))
    ):
        return f'"{value}"'
    return value


def _reads_as_json(value: str) -> bool:
    """Whether ``value`` written bare would read as another value: a number, ``true``, ``false``, ``null``."""
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def _inline(value: Any) -> str:
    """An object or list on one line, its strings as :func:`shown_string` writes items, its keys sorted; a secret
    as ``[secret]``, an unknown as ``(known after apply)``."""
    if isinstance(value, str):
        return shown_string(value, item=True)
    if isinstance(value, dict) and "[secret]" in value:
        return "[secret]"
    if isinstance(value, dict) and "[unknown]" in value:
        return "(known after apply)"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dict):
        pairs = sorted(value.items(), key=lambda kv: str(kv[0]))
        return "{" + ", ".join(f"{shown_string(str(k), item=True)}: {_inline(v)}" for k, v in pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


_KEYED_BY = ("label", "file", "name", "target", "containerPath", "internal")
_TOKEN = re.compile(r"[\w.@:/-]+|[^\w.@:/-]")


def word_diff(a: str, b: str, context: int = 3) -> str:
    """``a`` and ``b`` as one text, changed words marked ``[-old-]{+new+}``, long unchanged runs elided."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if op == "equal":
            run = ta[i1:i2]
            if len(run) > 2 * context + 1:
                head = run[:context] if out else []
                tail = run[-context:] if i2 < len(ta) else []
                run = [*head, "...", *tail]
            out.extend(run)
            continue
        if i2 > i1:
            out.append("[-" + "".join(ta[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + "".join(tb[j1:j2]) + "+}")
    return "".join(out)


def _text_lines(path: str, a: str, b: str, max_lines: int) -> list[str]:
    lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "before", "after", n=2, lineterm=""))[2:]
    if len(lines) > max_lines:
        lines = [*lines[:max_lines], f"... ({len(lines) - max_lines} more lines)"]
    return [f"{path}: text changed (unified diff)", *(f"    {line}" for line in lines)]


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """A list of objects as a mapping by their identifying field (labels by label, uploads by file)."""
    for field_name in _KEYED_BY:
        if items and all(isinstance(i, dict) and field_name in i for i in items):
            keys = [str(i[field_name]) for i in items]
            if len(set(keys)) == len(keys):
                return dict(zip(keys, items, strict=True))
    return None


def _value_lines(path: str, a: Any, b: Any, limit: int, max_lines: int) -> list[str]:
    if a == b:
        return []
    if any(isinstance(v, dict) and "[secret]" in v for v in (a, b)):
        return [f"{path}: [secret] changed"]
    if isinstance(a, str) and isinstance(b, str) and ("\n" in a or "\n" in b):
        return _text_lines(path, a, b, max_lines)
    if (a is None) != (b is None):  # added or removed whole: no words in common with "(none)" to mark
        return _whole_lines(path, a, b, limit, max_lines)
    nested = _nested_lines(path, a, b, limit, max_lines)
    if nested is not None:
        return nested
    old, new = show_value(a, 10_000), show_value(b, 10_000)
    return [f"{path}: {word_diff(old, new)}" if len(old) + len(new) > limit else f"{path}: {old} -> {new}"]


def _whole_lines(path: str, a: Any, b: Any, limit: int, max_lines: int) -> list[str]:
    """A value added (``a`` None) or removed (``b`` None) whole: on one line when it fits, else an object key by
    key and a text as its added or removed lines."""
    there = a if b is None else b
    one_line = [f"{path}: {show_value(a, limit)} -> {show_value(b, limit)}"]
    if len(show_value(there, 10_000)) <= limit:
        return one_line
    if isinstance(there, dict) and not {"[unknown]", "[asset]", "[resource]", "[secret]"} & set(there):
        return (
            _nested_lines(path, there if a is not None else {}, there if b is not None else {}, limit, max_lines)
            or one_line
        )
    if isinstance(there, str) and "\n" in there:
        return _text_lines(path, a or "", b or "", max_lines)
    return one_line


def _label_value(item: Any) -> Any:
    """A ``{label, value}`` item of a keyed list (a container's labels) as its value alone; any other as it is."""
    if isinstance(item, dict) and len(item) == 2 and "label" in item and "value" in item:
        return item["value"]
    return item


def _nested_lines(path: str, a: Any, b: Any, limit: int, max_lines: int) -> list[str] | None:
    """Objects key by key, lists of objects by their identifying field, lists of the same length item
    by item; None for anything else."""
    if isinstance(a, dict) and isinstance(b, dict) and not {"[unknown]", "[asset]", "[resource]"} & (set(a) | set(b)):
        return [
            line
            for k in sorted(set(a) | set(b), key=str)
            for line in _value_lines(f"{path}.{k}", a.get(k), b.get(k), limit, max_lines)
        ]
    if not (isinstance(a, list) and isinstance(b, list)):
        return None
    ka, kb = _keyed(a), _keyed(b)
    if ka is not None and kb is not None:
        out = []
        for k in sorted(set(ka) | set(kb)):
            va, vb = ka.get(k), kb.get(k)
            if isinstance(va, dict) and isinstance(vb, dict) and len(va) == len(vb) == 2 and "value" in va:
                va, vb = va.get("value"), vb.get("value")  # {label, value}: the value alone
            out += _value_lines(f"{path}[{k}]", va, vb, limit, max_lines)
        return out
    if len(a) == len(b):
        return [
            line
            for i, (va, vb) in enumerate(zip(a, b, strict=True))
            for line in _value_lines(f"{path}[{i}]", va, vb, limit, max_lines)
        ]
    return None


def _created_lines(path: str, value: Any, limit: int, max_lines: int) -> list[str]:
    """An input of a new resource: on one line when it fits, else an object key by key, a list item by item
    (objects by their identifying field), a text as its lines, each after ``+``, and a long string or list of
    plain values over lines of at most ``limit`` characters; at most ``max_lines`` lines of each."""
    if isinstance(value, dict) and "[secret]" in value:
        return [f"{path}: [secret]"]
    if isinstance(value, str) and "\n" in value:
        lines = value.splitlines()
        shown = [f"    +{line}" for line in lines[:max_lines]]
        more = [f"    ... ({len(lines) - max_lines} more lines)"] if len(lines) > max_lines else []
        return [f"{path}: text of {len(lines)} line{'s' if len(lines) != 1 else ''}", *shown, *more]
    one_line = f"{path}: {show_value(value, 10_000)}"
    if len(one_line) <= limit:
        return [one_line]
    if isinstance(value, dict) and value and not {"[unknown]", "[asset]", "[resource]"} & set(value):
        return [
            line for k in sorted(value, key=str) for line in _created_lines(f"{path}.{k}", value[k], limit, max_lines)
        ]
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        keyed = _keyed(value)
        items = keyed.items() if keyed is not None else ((str(i), v) for i, v in enumerate(value))
        return [
            line
            for k, v in items
            # {label, value}: the value alone, as a change shows it
            for line in _created_lines(f"{path}[{k}]", _label_value(v) if keyed else v, limit, max_lines)
        ]
    # A long list of plain values: whole, over lines of at most ``limit`` characters, broken between its items
    # only (an item longer than a line on a line of its own); a long string broken after its spaces, kept.
    if isinstance(value, list):
        chunks: list[str] = []
        for item in (shown_string(v, item=True) if isinstance(v, str) else show_value(v, 10_000) for v in value):
            if chunks and len(chunks[-1]) + 2 + len(item) <= limit - 4:
                chunks[-1] += ", " + item
            else:
                chunks.append(item)
        chunks = [chunk + ("," if i < len(chunks) - 1 else "") for i, chunk in enumerate(chunks)]
    else:
        chunks = textwrap.wrap(show_value(value, 10_000), limit - 4, break_on_hyphens=False, drop_whitespace=False)
    shown = [f"    {chunk}" for chunk in chunks[:max_lines]]
    more = [f"    ... ({len(chunks) - max_lines} more lines)"] if len(chunks) > max_lines else []
    return [f"{path}:", *shown, *more]


def describe(change: InputChange, max_lines: int = 40, limit: int = 140) -> list[str]:
    """Lines that say how one input changes: texts (files, scripts) as unified diffs, long values as word
    diffs (``[-old-]{+new+}``), objects and lists key by key; secrets never shown, a connection by its
    ``user@host:port``."""
    if change.created:
        if change.shown is not None:
            said = "" if change.key != "connection" else " (key material not shown)"
            return [f"{change.key}: {change.shown[1]}{said}"]
        return _created_lines(change.key, change.new, limit, sys.maxsize)  # whole, as pulumi preview --diff
    if change.shown is not None:
        before, after = change.shown
        if before == after:
            return [f"{change.key}: {after}: settings other than host, port and user changed (not shown)"]
        return [f"{change.key}: {before} -> {after} (key material not shown)"]
    return _value_lines(change.key, change.old, change.new, limit, max_lines) or [f"{change.key}: changed"]
