"""``pic new``: the text of a new member file, with the next free uid and the newest supported runtime."""

from __future__ import annotations

import json

from pic.registry import UID_MAX, UID_MIN, Registry

SCHEMA_MODELINE = "# yaml-language-server: $schema=../schema/member.schema.json"


def next_uid(registry: Registry) -> int:
    used = {m.uid for m in registry}
    uid = max(used, default=UID_MIN - 1) + 1
    if uid > UID_MAX:  # the top is taken: fall back to the first hole
        uid = next((u for u in range(UID_MIN, UID_MAX + 1) if u not in used), UID_MAX + 1)
    if uid > UID_MAX:
        raise ValueError(f"no free uid left in {UID_MIN}..{UID_MAX}")
    return uid


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def render(name: str, email: str, uid: int, php: str, domains: list[str]) -> str:
    lines = [
        SCHEMA_MODELINE,
        f"name: {_q(name)}",
        "contact:",
        f"  name: {_q(name)}",
        f"  email: {_q(email)}",
        f"uid: {uid}",
        "status: active",
    ]
    if domains:
        lines += ["site:", "  domains:"] + [f"    - {d}" for d in domains]
        lines += [f'  php: "{php}"', "  https: true"]
    else:
        lines += [
            "# No domain given: uncomment and fill in to give the member a site.",
            "# site:",
            "#   domains:",
            "#     - example.org",
            f'#   php: "{php}"',
            "#   https: true",
        ]
    lines += [
        "access:",
        "  sftp_keys: []  # OpenSSH public keys, one per item",
        "  ssh: false",
        "databases: []",
    ]
    return "\n".join(lines) + "\n"
