"""Generated registries for the whole-program tests and the program benchmark.

Member ``i`` of a generated registry varies on purpose, so that every kind of
member the contract allows shows up in a registry of a few dozen: sites on
every runtime of the stack that is not past its end of life, a few on one
past it with a valid exception, static sites, plain-http sites, members
without a site, suspended and archived members, zero to three databases,
lists with each DMARC policy, ssh shells and sftp keys.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pic.eol import runtime_status
from pic.settings import Settings
from tests.helpers import ed25519_key

DMARC = ("none", "quarantine", "reject")


def generate(directory: Path, count: int, settings: Settings, on: dt.date | None = None) -> list[str]:
    """Write ``count`` member files into ``directory``; return their slugs."""
    on = on or dt.date.today()
    alive = [
        k
        for k in settings.runtime_keys()
        if runtime_status(k, settings.runtimes[k], on, 0).state != "eol" and not settings.runtimes[k].stopped
    ]
    dead = [k for k in settings.runtime_keys() if k not in alive and not settings.runtimes[k].stopped]
    directory.mkdir(parents=True, exist_ok=True)
    slugs = []
    for i in range(count):
        slug = f"asso-{i:05d}"
        slugs.append(slug)
        status = "archived" if i % 17 == 16 else "suspended" if i % 11 == 10 else "active"
        lines = [
            f'name: "Association {i}"',
            "contact:",
            f"  name: Contact {i}",
            f"  email: contact{i}@asso-{i}.org",
            f"uid: {10000 + i}",
            f"status: {status}",
        ]
        if i % 13 != 12:  # one member in thirteen has only lists, no site
            if i % 9 == 8:
                php = "none"
            elif dead and i % 23 == 22:
                php = dead[i % len(dead)]
            else:
                php = alive[i % len(alive)]
            lines += ["site:", "  domains:", f"    - asso-{i}.org", f"    - www.asso-{i}.org"]
            lines += [f'  php: "{php}"', f"  https: {'false' if i % 19 == 18 else 'true'}"]
            if php in dead:
                until = on + dt.timedelta(days=90)
                lines += [
                    "exceptions:",
                    "  php_eol:",
                    f"    until: {until.isoformat()}",
                    '    reason: "migration planned"',
                ]
        lines += ["access:", "  sftp_keys:", f"    - {ed25519_key(i)}", f"  ssh: {'true' if i % 7 == 0 else 'false'}"]
        lines.append(f"databases: [{', '.join(['main', 'wiki', 'shop'][: i % 4])}]")
        if i % 5 == 0:
            lines += ["lists:", f"  domain: listes.asso-{i}.org", f"  dmarc: {DMARC[i % 3]}"]
        (directory / f"{slug}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return slugs
