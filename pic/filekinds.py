"""What file of this project a file given for another is: a stack file, a member file, pic notify's record...

An option that reads one kind of file (``--disk-usage``, ``--record``, ``--expected``, ``--domains``) read any
other of the project's files as its own, and told each of its lines wrong in its own terms (``"pic:hosts:" has 1
tab-separated column(s), not 4``): when a file does not read as the kind asked, :func:`other_kind` tells which
other kind it is, from what it holds (its name too for a stack file), so that one line says the file is the wrong
one. Only the top of a YAML file is looked at (its node tree, never built: no alias is expanded).
"""

from __future__ import annotations

import json
import re

# The kinds, each as a message names it: what it is, and where the project keeps it
KINDS = {
    "stack": "a stack file (Pulumi.<stack>.yaml: its config: holds the pic: settings)",
    "project": "the Pulumi project's file (Pulumi.yaml: the project's name and runtime)",
    "member": "a member file (members/<slug>.yaml: a member's contact and site)",
    "record": "pic notify's record (notices.yaml: its sent: list)",
    "disk usage": "a host's disk usage file (disk-usage/<host>.tsv: # pic disk usage of <host>, then slug and KiB)",
    "expected": "the expected mail DNS records (the JSON of `pulumi stack output mail_dns_records --json`)",
    "domains": "a file of mail domains (as pic/data/mail_domains.yaml, for pic lists audit --domains)",
    "ca": "a file of CA certificates in PEM",
    # asked for, never found: told by its own reader
    "export": "a subscriber export (Sympa's dump, or one address per line)",
}

# The marker of a private key: the BEGIN line of one in PEM (RFC 7468 §10 and §11; OpenSSL's RSA, EC and encrypted
# forms, OpenSSH's, GnuPG's armored block), wherever it stands (indented in a YAML block scalar, inside a JSON
# string), ssh.com's (RFC 4716's frame), or PuTTYgen's .ppk's first line (as pic.secrettext reads one)
PRIVATE_KEY = re.compile(
    rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----"
    rb"|PuTTY-User-Key-File-[0-9]+:"
)
# A certificate's BEGIN line in PEM, at a line's start (RFC 7468 §5; OpenSSL's trusted form too)
_PEM_CERTIFICATE = re.compile(r"^-----BEGIN (?:TRUSTED )?CERTIFICATE-----", re.MULTILINE)
_DISK_USAGE_LINE = re.compile(r"[a-z0-9-]{1,32}\t[0-9]+\t[0-9]+\t[0-9]+\r?")
# What a YAML file of the project starts with, after its comments: a key, or a mapping in braces (no export, no
# certificate does); any other file is not parsed as YAML
_YAML_START = re.compile(r"[A-Za-z_\"'][^:\n]*:(?:[ \t]|$)|\{")
_STACK_NAME = re.compile(r"pulumi\.[^.]+\.ya?ml", re.IGNORECASE)
_DOMAIN_STATUS = frozenset({"typo", "closed", "never"})
# The languages of Pulumi (Pulumi.yaml's runtime:, or its runtime: {name: ...}), and what a project's name is made of
_PULUMI_RUNTIMES = frozenset({"nodejs", "python", "go", "dotnet", "java", "yaml"})
_PROJECT_NAME = re.compile(r"[A-Za-z0-9_.-]+")
# A stack file's config key: namespaced, as Pulumi requires (pic:hosts, aws:region)
_CONFIG_KEY = re.compile(r"[^:\s]+:[^\s]+")


def other_kind(data: bytes, name: str, wanted: str) -> str | None:
    """``is <a kind>, not <the kind wanted>`` when ``data``, a file named ``name``, is one of the project's files of
    another kind than ``wanted`` (a key of :data:`KINDS`), or that it holds a private key (by its BEGIN line
    and line number: a key is never given to a command, and no line of it is to be shown); None when it is of that
    kind or of none known."""
    key = PRIVATE_KEY.search(data)
    if key is not None:  # whatever else it holds: none of its lines is to be shown
        line = data.count(b"\n", 0, key.start()) + 1
        return f"holds a private key ({key[0].decode()}, line {line}), not {KINDS[wanted]}: none of its lines is shown"
    found = kind_of(data, name)
    if found is None or found == wanted:
        return None
    return f"is {KINDS[found]}, not {KINDS[wanted]}"


def kind_of(data: bytes, name: str) -> str | None:
    """The kind (a key of :data:`KINDS`) of ``data``, a file named ``name``, or None."""
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    lines = [line for line in text.split("\n") if line.strip()]
    data_lines = [line for line in lines if not line.startswith("#")]
    # what its reader takes: the host's header, or rows of measurements, and no other line but a comment (an
    # export under a comment so written is an export: its reader passes over any line starting with #)
    if (data_lines or any(line.startswith("# pic disk usage of ") for line in lines)) and all(
        _DISK_USAGE_LINE.fullmatch(line) for line in data_lines
    ):
        return "disk usage"
    if _PEM_CERTIFICATE.search(text):
        return "ca"
    if text.lstrip().startswith("{") and (kind := _json_kind(text)) is not None:
        return kind
    first = next((line for line in lines if not line.lstrip().startswith("#")), "")
    return _yaml_kind(text, name) if _YAML_START.match(first) else None


def _json_kind(text: str) -> str | None:
    """``expected`` for a JSON object of domains each with a list of records (a name, a type, a value)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not data:
        return None
    records = [r for recs in data.values() if isinstance(recs, list) for r in recs]
    if records and all(isinstance(r, dict) and {"type", "value"} <= r.keys() for r in records):
        return "expected"
    return None


def _yaml_kind(text: str, name: str) -> str | None:
    """The kind of a YAML file from the keys at its top (and one level below), or None."""
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    top = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    config = top.get("config")
    keys = [str(k.value) for k, _ in config.value] if isinstance(config, yaml.MappingNode) else None
    kinds = {
        # its real markers, never a key alone that any file may hold (name:, runtime:, sent:, config:); a config:
        # holding pic: keys is pic's stack file whatever its other keys (foo: 1, the slip pic check names 'has no
        # namespace'), one named as a stack file needs its keys namespaced as Pulumi requires
        "stack": keys is not None
        and (
            any(k.startswith("pic:") for k in keys)
            or (_STACK_NAME.fullmatch(name) is not None and all(_CONFIG_KEY.fullmatch(k) for k in keys))
        ),
        "project": _project_name(top.get("name")) and _pulumi_runtime(top.get("runtime")),
        "record": top.keys() == {"sent"} and not isinstance(top["sent"], yaml.MappingNode),
        "member": isinstance(top.get("contact"), yaml.MappingNode) and bool(top.keys() & {"site", "uid", "host"}),
        "domains": bool(top) and all(_domain_entry(v) for v in top.values()),
    }
    return next((kind for kind, holds in kinds.items() if holds), None)


def _project_name(node: object) -> bool:
    """True for Pulumi.yaml's name: a word of letters, digits, -, _ and . (as Pulumi takes one)."""
    import yaml

    return isinstance(node, yaml.ScalarNode) and _PROJECT_NAME.fullmatch(node.value) is not None


def _pulumi_runtime(node: object) -> bool:
    """True for Pulumi.yaml's runtime: a language of Pulumi's (python), or a mapping naming one (name: python)."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "name"), None)
    return isinstance(node, yaml.ScalarNode) and node.value in _PULUMI_RUNTIMES


def _domain_entry(node: object) -> bool:
    """True for an entry of a file of mail domains: ``{status: typo|closed|never, suggest, note}``."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return False
    keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    status = keys.get("status")
    return (
        keys.keys() <= {"status", "suggest", "note"}
        and isinstance(status, yaml.ScalarNode)
        and status.value in _DOMAIN_STATUS
    )
