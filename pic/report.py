"""``pic report``: runtimes in use, whom to contact before an end of life, and counts.

The JSON form is a stable interface (keys documented in the README): add
keys freely, never rename or remove one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from pic import diskusage, eol, notices
from pic.errors import Problem
from pic.registry import Member, Registry
from pic.render import web
from pic.settings import Settings
from pic.texttable import table


def build(
    registry: Registry,
    settings: Settings,
    on: dt.date,
    *,
    told: notices.Told | None = None,
    disk: dict[str, diskusage.Usage] | None = None,
    disk_warnings: list[Problem] | None = None,
) -> dict[str, Any]:
    """The report as of ``on``; ``told`` is the last day ``pic notify`` told each member about a runtime
    (:func:`pic.notices.last_told`; counted at the contact's address and in the runtime's state of ``on``,
    :func:`pic.notices.told_key`), ``disk`` the disk usage each member's web host measured and
    ``disk_warnings`` the warnings about those files: lines not counted, measurements of another day
    (:func:`pic.diskusage.for_members`).
    """
    statuses = [
        eol.runtime_status(k, settings.runtimes[k], on, settings.eol_warning_days) for k in settings.runtime_keys()
    ]
    running = [m for m in registry if m.site is not None and m.status != "archived"]
    sites = Counter(m.runtime for m in running if m.runtime is not None)
    runtimes = [
        {
            "runtime": st.key,
            "image": web.php_image(settings, st.key).tag,
            "debian": st.spec.debian,
            "eol": st.spec.eol.isoformat(),
            "days_left": st.days_left,
            "state": st.state,
            "stopped": st.spec.stopped,
            "sites": sites.get(st.key, 0),
        }
        for st in statuses
    ]
    by_key = {st.key: st for st in statuses}
    contact = []
    for m in running:
        key = m.runtime
        if key is None or key not in by_key:
            continue
        st = by_key[key]
        if st.state == "supported" and not st.spec.stopped:
            continue
        exc = eol.exception_for(m)
        contact.append(
            {
                "slug": m.slug,
                "name": m.spec.name,
                "status": m.status,
                "runtime": key,
                "state": st.state,
                "eol": st.spec.eol.isoformat(),
                "days_left": st.days_left,
                "contact": {
                    "name": m.spec.contact.name,
                    "email": m.spec.contact.email,
                    # as pic notify decides to send it with SMTPUTF8 only (RFC 6531), or not at all
                    "smtputf8": notices.sendable_address(m.spec.contact.email)[2],
                },
                "exception_until": exc.until.isoformat() if exc is not None else None,
                "exception_ended": exc.until < on if exc is not None else None,
                "told_on": _told_on(told, m, key, notices.notice_state(st.state, st.spec.stopped)),
            }
        )
    contact.sort(key=lambda c: (c["days_left"], c["slug"]))
    by_status = Counter(m.status for m in registry)
    usage = []
    for m in registry:
        u = (disk or {}).get(m.slug)
        if u is None:
            continue
        limit = diskusage.soft_limit_mb(m, settings)
        usage.append(
            {
                "slug": m.slug,
                "host": u.host,
                "measured_at": u.measured_at,
                "www_mb": round(u.www_kib / 1024, 1),
                "db_mb": round(u.db_kib / 1024, 1),
                "log_mb": round(u.log_kib / 1024, 1),
                "total_mb": round(u.total_mb, 1),
                "soft_limit_mb": limit,
                "over_soft_limit": u.total_mb > limit,
            }
        )
    return {
        "stack": settings.stack,
        "on": on.isoformat(),
        "eol_warning_days": settings.eol_warning_days,
        "runtimes": runtimes,
        "members_to_contact": contact,
        "counts": {
            "members": len(registry),
            "by_status": {s: by_status.get(s, 0) for s in ("active", "suspended", "archived")},
            "sites": len(running),
            "https_sites": sum(1 for m in running if m.site is not None and m.site.https),
            "static_sites": sum(1 for m in running if m.site is not None and m.site.static),
            "databases": sum(len(m.databases) for m in registry),
            "list_domains": sum(1 for m in registry if m.lists is not None),
            "ssh_shells": sum(1 for m in registry if m.access.ssh and m.status == "active"),
        },
        "disk_usage": usage,
        "disk_usage_warnings": [str(w) for w in disk_warnings or []],
    }


def _told_on(told: notices.Told | None, m: Member, runtime: str, state: str) -> str | None:
    day = (told or {}).get(notices.told_key(m.slug, runtime, m.spec.contact.email, state))
    return day.isoformat() if day is not None else None


def _exception_until(c: dict[str, Any], on: str) -> str:
    """The exception's last day, marked when it is past (an ended exception no longer holds) or is the report's day
    ``on`` (YYYY-MM-DD): the site stops the day after."""
    if not c["exception_until"]:
        return "-"
    until = str(c["exception_until"])
    if c.get("exception_ended"):
        return f"{until} (ended)"
    return until + (" (today, its last day)" if until == on else "")


def as_text(data: dict[str, Any]) -> str:
    out = [
        f"Stack {data['stack']}, as of {data['on']} (warning {data['eol_warning_days']} days before end of life)",
        "",
    ]
    rows = [["RUNTIME", "SITES", "EOL", "DAYS LEFT", "STATE"]]
    for r in data["runtimes"]:
        state = r["state"] + (", stopped" if r["stopped"] else "")
        rows.append([r["runtime"], str(r["sites"]), r["eol"], str(r["days_left"]), state])
    out += table(rows)
    out.append("")
    if data["members_to_contact"]:
        out.append("Members to contact:")
        rows = [["MEMBER", "RUNTIME", "STATE", "EOL", "CONTACT", "EXCEPTION UNTIL", "TOLD"]]
        for c in data["members_to_contact"]:
            rows.append(
                [
                    c["slug"],
                    c["runtime"],
                    c["state"],
                    c["eol"],
                    f"{c['contact']['name']} <{c['contact']['email']}>",
                    _exception_until(c, str(data["on"])),
                    f"told on {c['told_on']}" if c.get("told_on") else "not told",
                ]
            )
        out += ["  " + line for line in table(rows)]
    else:
        out.append("Members to contact: none")
    counts = data["counts"]
    st = counts["by_status"]
    out += [
        "",
        f"Members: {counts['members']} ({st['active']} active, {st['suspended']} suspended, {st['archived']} archived)",
        f"Sites: {counts['sites']} ({counts['https_sites']} https, {counts['static_sites']} static)",
        f"Databases: {counts['databases']}",
        f"List domains: {counts['list_domains']}",
        f"Ssh shells: {counts['ssh_shells']}",
    ]
    if data.get("disk_usage"):
        out += ["", "Disk usage (MB):"]
        rows = [["MEMBER", "HOST", "WWW", "DB", "LOG", "TOTAL", "SOFT LIMIT", "MEASURED AT", ""]]
        for u in data["disk_usage"]:
            rows.append(
                [
                    u["slug"],
                    u["host"],
                    f"{u['www_mb']:.1f}",
                    f"{u['db_mb']:.1f}",
                    f"{u['log_mb']:.1f}",
                    f"{u['total_mb']:.1f}",
                    str(u["soft_limit_mb"]),
                    u["measured_at"] or "-",
                    "OVER SOFT LIMIT" if u["over_soft_limit"] else "",
                ]
            )
        out += ["  " + line for line in table(rows)]
    if data.get("disk_usage_warnings"):
        out += ["", "Disk usage files, warnings:"]
        out += ["  " + w for w in data["disk_usage_warnings"]]
    return "\n".join(out) + "\n"
