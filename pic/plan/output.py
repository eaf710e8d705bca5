"""How ``pic plan`` prints a rendering and its changes: text for reviewers, JSON for tools."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from pic.plan.diff import Change, describe, show_value, stateful_changes
from pic.plan.model import NO_HOST, PLATFORM, Attribution, Rendering, Resource

_MARK = {"add": "+", "remove": "-", "update": "~", "replace": "+-"}


def _flags(res: Resource) -> str:
    flags = [f for f, on in (("protected", res.protect), ("retained", res.retain_on_delete)) if on]
    secret = secret_inputs(res)
    if secret:
        flags.append(f"secret {', '.join(secret)}")
    return f"  [{'; '.join(flags)}]" if flags else ""


def secret_inputs(res: Resource) -> list[str]:
    """Inputs that hold a secret, but for a command's connection (always secret: it may carry the ssh key)."""
    return [
        k
        for k, v in sorted(res.inputs.items())
        if isinstance(v, dict) and "[secret]" in v and not (k == "connection" and res.type.startswith("command:"))
    ]


def grouped(rendering: Rendering, attr: Attribution) -> dict[str, dict[str, list[Resource]]]:
    """Custom resources (providers included) by host, then by member (``platform`` for shared ones)."""
    out: dict[str, dict[str, list[Resource]]] = defaultdict(lambda: defaultdict(list))
    for res in rendering:
        if res.custom:
            out[attr.host(res)][attr.member(res)].append(res)
    return out


def _host_order(hosts: list[str], known: list[str]) -> list[str]:
    return sorted(hosts, key=lambda h: (known.index(h) if h in known else len(known), h == NO_HOST, h))


def _member_order(members: list[str]) -> list[str]:
    return sorted(members, key=lambda m: (m != PLATFORM, m))


def listing(rendering: Rendering, attr: Attribution, *, full: bool = True) -> list[str]:
    groups = grouped(rendering, attr)
    lines = []
    for host in _host_order(list(groups), attr.hosts):
        members = groups[host]
        total = sum(len(v) for v in members.values())
        lines.append(f"{host}: {total} resource{'s' if total != 1 else ''}")
        for member in _member_order(list(members)):
            resources = members[member]
            lines.append(f"  {member}: {len(resources)}")
            if full:
                for res in sorted(resources, key=lambda r: (r.name, r.type)):
                    lines.append(f"    {res.short_type:<28} {res.name}{_flags(res)}")
    return lines


def counts(rendering: Rendering, attr: Attribution) -> dict[str, Any]:
    custom = [r for r in rendering if r.custom]
    per_member = Counter(attr.member(r) for r in custom)
    return {
        "resources": len(rendering),
        "custom": len(custom),
        "components": len(rendering) - len(custom),
        "by_type": dict(sorted(Counter(r.type for r in custom).items())),
        "by_member": dict(sorted(per_member.items())),
        "by_host": dict(sorted(Counter(attr.host(r) for r in custom).items())),
    }


def change_lines(changes: list[Change], attr_new: Attribution, attr_old: Attribution) -> list[str]:
    lines = []
    for c in changes:
        res = c.resource
        attr = attr_new if c.new is not None else attr_old
        where = f"{attr.member(res)} @ {attr.host(res)}"
        loud = "  !!! STATEFUL: " + c.stateful if c.stateful else ""
        lines.append(f"{_MARK[c.kind]:>2} {c.kind:<7} {res.short_type:<28} {res.name}  ({where}){loud}")
        if c.kind == "replace":
            order = "deleted first, then created" if c.resource.delete_before_replace else "created first"
            lines.append(f"       forces a new resource ({order}): {'; '.join(c.reasons)}")
        for ic in c.inputs:
            lines.extend(f"       {line}" for line in describe(ic))
        lines.extend(f"       option {o}" for o in c.options)
        if c.note:
            lines.append(f"       note: {c.note}")
    return lines


def summary_line(changes: list[Change]) -> str:
    kinds = Counter(c.kind for c in changes if c.kind != "add" or c.resource.custom)
    return (
        f"{kinds['add']} to add, {kinds['update']} to update, {kinds['replace']} to replace, "
        f"{kinds['remove']} to remove"
    )


def as_text(
    rendering: Rendering,
    attr: Attribution,
    *,
    header: str,
    changes: list[Change] | None = None,
    attr_old: Attribution | None = None,
    against: str = "",
) -> str:
    c = counts(rendering, attr)
    lines = [
        header,
        f"{c['custom']} resources ({c['components']} components besides), "
        f"{len([m for m in c['by_member'] if m != PLATFORM])} members with resources",
        "",
    ]
    lines += listing(rendering, attr, full=changes is None)
    if rendering.warnings:
        lines += ["", "program warnings:", *(f"  {w}" for w in rendering.warnings)]
    if changes is not None:
        lines += ["", f"changes against {against}:"]
        shown = [ch for ch in changes if ch.resource.custom]
        lines += change_lines(shown, attr, attr_old or attr) or ["  none"]
        lines += ["", summary_line(changes)]
        at_stake = stateful_changes(changes)
        if at_stake:
            lines += [
                "",
                f"!!! {len(at_stake)} change{'s' if len(at_stake) != 1 else ''} "
                "would delete, replace or unprotect something stateful:",
            ]
            for ch in at_stake:
                res = ch.resource
                lines.append(f"!!!   {ch.kind} {res.type} {res.name} ({ch.stateful})")
        else:
            lines.append("nothing stateful is deleted or replaced")
    return "\n".join(lines) + "\n"


def _resource_json(res: Resource, attr: Attribution) -> dict[str, Any]:
    return {
        "urn": res.urn,
        "type": res.type,
        "name": res.name,
        "member": attr.member(res),
        "host": attr.host(res),
        "protect": res.protect,
        "retain_on_delete": res.retain_on_delete,
        "inputs": {k: _json_value(v) for k, v in sorted(res.inputs.items()) if not k.startswith("__")},
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "[secret]" in value:
            return "[secret]"
        if "[unknown]" in value:
            return None
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def as_json(
    rendering: Rendering,
    attr: Attribution,
    *,
    meta: dict[str, Any],
    changes: list[Change] | None = None,
    attr_old: Attribution | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        **meta,
        "counts": counts(rendering, attr),
        "resources": [_resource_json(r, attr) for r in rendering if r.custom],
        "warnings": rendering.warnings,
    }
    if changes is not None:
        out = []
        for ch in changes:
            if not ch.resource.custom:
                continue
            attr_c = attr if ch.new is not None else (attr_old or attr)
            out.append(
                {
                    "kind": ch.kind,
                    "urn": ch.urn,
                    "type": ch.resource.type,
                    "name": ch.resource.name,
                    "member": attr_c.member(ch.resource),
                    "host": attr_c.host(ch.resource),
                    "inputs": [
                        {
                            "key": ic.key,
                            "old": show_value(ic.old, 10_000),
                            "new": show_value(ic.new, 10_000),
                            "forces_replace": ic.forces_replace,
                        }
                        for ic in ch.inputs
                    ],
                    "options": ch.options,
                    "replace_reasons": ch.reasons,
                    "stateful": ch.stateful or None,
                    "note": ch.note or None,
                }
            )
        data["changes"] = out
        data["stateful_changes"] = [c["urn"] for c in out if c["stateful"]]
    return data
