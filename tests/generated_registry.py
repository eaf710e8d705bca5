"""Generated registries for the whole-program tests and the program benchmark.

Member ``i`` of a generated registry varies on purpose, so that every kind of
member the contract allows shows up in a registry of a few dozen: sites on
every runtime of the stack that is not past its end of life, a few on one
past it with a valid exception, static sites, plain-http sites, members
without a site, suspended and archived members, zero to three databases,
lists with each DMARC policy, ssh shells and sftp keys.

:func:`clashing` writes the other kind: members drawn from small pools of
names, so that they take each other's names and the platform's, for the
checks across files to find every problem they tell.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

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


# Names of the platform in Pulumi.prod.yaml and Pulumi.lab.yaml (Sympa's, phpMyAdmin's, the hosts', the admins'
# domain) and near them, the members' own, and odd ones (public suffixes, special-use and unknown top-level
# domains, a name outside ASCII, names near 253 characters).
_PLATFORM_DOMAINS = [
    "example.org", "www.example.org", "listes.example.org", "www.listes.example.org", "a.listes.example.org",
    "pma.example.org", "www.pma.example.org", "web1.example.org", "db.example.org", "x.db.example.org",
    "mail.pic.test", "www.mail.pic.test", "pic.test", "listes.pic.test", "ns1.zone.org", "zone.org",
]  # fmt: skip
_OWN_DOMAINS = [
    "asso{k}.org", "www.asso{k}.org", "sub.asso{k}.org", "www.sub.asso{k}.org", "listes.asso{k}.org",
    "a.b.c.asso{k}.org", "www.listes.asso{k}.org",
]  # fmt: skip
_ODD_DOMAINS = [
    "asso.co.uk", "www.asso.co.uk", "www.co.uk", "asso.test", "www.asso.local", "asso.lan", "www.asso.frr",
    "vélo.org", "www.vélo.org", "xn--vlo-bma.org", "www.ck", "www.x.ck",
    ".".join(["a" * 62, "b" * 62, "c" * 62, "d" * 56, "org"]), ".".join(["e" * 60, "f" * 60, "g" * 60, "org"]),
    "www." + ".".join(["h" * 60, "i" * 60, "j" * 60, "org"]),
]  # fmt: skip
_NAMES = ["Vélo Cité", "VELO CITE", "velo-cite", "Association", "ASSOCIATION", "Ünïcödé ½", "Ünïcödé 1/2", "ﬁlm"]
# slugs reserved for the platform, whose databases' grants cover a system schema's name, or long enough for
# their grants to keep their _ as wildcards
_SLUGS = [
    "asso", "asso-a", "asso-a-b", "asso-b", "performance", "information", "mysql", "sys", "sympa", "phpmyadmin",
    "web1", "proxy", "root", "www-data", "asso-db", "a" * 32, "b-" * 15 + "bb", "perf-schema",
    "information-schema-x", "cron", "asso-a-main", "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-pq",
    "a0b-c-d-e-f-g-h-i-j-k-l-m-n-o-pq", "a-b-c-d-e-f-g-h-i-j-k-l-m-n-opq", "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p",
    "axb-c-d-e-f-g-h-i-j-k-l-m-n-o",
]  # fmt: skip
_SHORTS = ["main", "wiki", "s", "schema", "a", "a_b", "shop_x", "x" * 16, "main_old", "b_b_b_b_b", "p_q"]
_LONG_SHORTS = ["x_y_z_w_v_u_t_s", "p_q", "main", "x0y_z_w_v_u_t_s"]
_PHP_SETTINGS: list[dict[str, Any]] = [
    {}, {"display_errors": True}, {"upload_max_filesize": "200M"}, {"memory_limit": "512M"},
    {"post_max_size": "1M", "upload_max_filesize": "2M"}, {"memory_limit": "lots"}, {"upload_max_filesize": "8M"},
    {"upload_max_filesize": 1048576}, {"memory_limit": "64M", "display_errors": False},
]  # fmt: skip
_CRON: list[list[dict[str, Any]]] = [
    [], [], [],
    [{"schedule": "daily", "command": "php wp-cron.php"}],
    [{"schedule": "hourly", "command": "cd www && php x.php"}, {"schedule": "daily", "command": "(cd -P www/w; ls)"}],
    [{"schedule": "*/5 * * * *", "command": "php /srv/members/asso/www/a.php"}],
]  # fmt: skip


def clashing(directory: Path, count: int, seed: int, runtimes: list[str]) -> Path:
    """Write up to ``count`` member files into ``directory`` (a slug drawn twice is written once), drawn with
    ``seed`` from small pools of names, the platform's among them, on ``runtimes`` (give a key the stack lacks
    for its error); return ``directory``."""
    rng = random.Random(seed)

    def domain() -> str:
        pick = rng.random()
        if pick < 0.25:
            return rng.choice(_PLATFORM_DOMAINS)
        if pick < 0.4:
            return rng.choice(_ODD_DOMAINS)
        return rng.choice(_OWN_DOMAINS).format(k=rng.randrange(5))

    members: dict[str, dict[str, Any]] = {}
    for i in range(count):
        slug = rng.choice(_SLUGS) if rng.random() < 0.4 else f"asso-{i:03d}"
        data: dict[str, Any] = {
            "name": rng.choice(_NAMES) if rng.random() < 0.5 else f"Association {i}",
            "contact": {"name": f"Contact {i}", "email": f"c{i}@{domain().removeprefix('www.')}"},
            "uid": rng.choice([10000 + i, 10000 + i, 10001, 42512 + i, 59999]),
            "status": rng.choice(["active", "active", "active", "suspended", "archived"]),
        }
        if rng.random() < 0.3:
            data["host"] = rng.choice(["web1", "web2", "db", "webl"])
        if rng.random() < 0.85:
            domains = [domain() for _ in range(rng.randrange(1, 5))]
            if rng.random() < 0.3:
                bare = domain().removeprefix("www.")
                domains = [bare, f"www.{bare}", *domains]
            site: dict[str, Any] = {"domains": list(dict.fromkeys(domains)), "php": rng.choice(runtimes)}
            if rng.random() < 0.1:
                site["charset"] = "iso-8859-1"
            if rng.random() < 0.5:
                site["php_settings"] = rng.choice(_PHP_SETTINGS)
            data["site"] = site
        if rng.random() < 0.8:
            data["access"] = {"sftp_keys": [ed25519_key(rng.randrange(40)) for _ in range(rng.randrange(3))]}
        shorts = list(dict.fromkeys(rng.choice(_SHORTS) for _ in range(rng.randrange(4))))
        if slug.startswith(("a-b", "a0b", "axb")):
            shorts = rng.sample(_LONG_SHORTS, 2)
        if shorts:
            data["databases"] = shorts
        if rng.random() < 0.15:
            data["database_charsets"] = {rng.choice([*shorts, "nope"]): "latin1"}
        if rng.random() < 0.4:
            data["lists"] = {"domain": domain(), "dmarc": rng.choice(["none", "reject"])}
        if rng.random() < 0.3:
            until = rng.choice(["2020-01-01", "2026-12-31", "2027-06-30", "2099-01-01"])
            data["exceptions"] = {"php_eol": {"until": until, "reason": "migration planned"}}
        if rng.random() < 0.25:
            data["limits"] = rng.choice([{"cpus": 4}, {"cpus": 0.5}, {"memory_mb": 192}, {"cpus": 3, "memory_mb": 64}])
        cron = rng.choice(_CRON)
        if cron:
            data["cron"] = cron
        members.setdefault(slug, data)
    directory.mkdir(parents=True, exist_ok=True)
    for slug, data in members.items():
        (directory / f"{slug}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory
