"""The logic of the platform's policies, on plain data: resource type, inputs (wire names) and options.

Standard library only, so that it runs in the policy pack's own virtualenv
and in the test suite alike. Each check returns the violations it finds as
messages that name the resource's property but never print a secret value.

Contracts relied upon (README, sections of the web, database and mail parts):
- a member's site container is ``docker:index/container:Container`` with the
  labels ``pic.role=site``, ``pic.member`` and ``pic.php``; its facts
  (those three plus ``pic.php.eol``, ``pic.php.exception_until``,
  ``pic.https`` and ``pic.domains``) are a JSON object that a command places
  in ``/etc/pic/site-facts/<slug>.json``: its whole ``stdin``, or in the
  script of ``<slug>-space`` the quoted argument of the ``printf '%s' ... |``
  that installs that file (components.hostcmd.render_files_script),
  so that a routine edit never replaces the container; labels that carry
  the facts themselves are read as well;
- databases are ``mysql:index/database:Database``, users ``mysql:index/user:User``;
- a certificate is a pulumi-tls certificate or request (``dnsNames``), a
  certbot lineage a command's script asks for (``certbot certonly --domain
  ...``, the ACME certificates of the web hosts), or a site block of the Caddy
  front proxy (its Caddyfile is the ``stdin`` of a command) that loads no
  certificate from files, for whose bare domains Caddy obtains its own;
- a command that carries a secret on ``stdin`` runs with ``logging: none``
  (components/hostcmd.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shlex
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CONTAINER = "docker:index/container:Container"
DATABASE = "mysql:index/database:Database"
MYSQL_USER = "mysql:index/user:User"
MYSQL_GRANT = "mysql:index/grant:Grant"
CERT_TYPES = (
    "tls:index/selfSignedCert:SelfSignedCert",
    "tls:index/certRequest:CertRequest",
    "tls:index/locallySignedCert:LocallySignedCert",
)

# Inputs that the provider schemas declare secret: the engine always keeps them encrypted.
SCHEMA_SECRET_INPUTS: dict[str, frozenset[str]] = {
    "pulumi:providers:mysql": frozenset({"password"}),
    "pulumi:providers:docker": frozenset({"registryAuth", "sshOpts"}),
    MYSQL_USER: frozenset({"password", "plaintextPassword"}),
    "command:remote:Command": frozenset({"connection"}),
    "command:remote:CopyToRemote": frozenset({"connection"}),
    "tls:index/selfSignedCert:SelfSignedCert": frozenset({"privateKeyPem"}),
    "tls:index/certRequest:CertRequest": frozenset({"privateKeyPem"}),
    "tls:index/locallySignedCert:LocallySignedCert": frozenset({"caPrivateKeyPem"}),
}

# Text that is a secret wherever it appears.
_SECRET_TEXT = [
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")),
    (
        "a password assignment",
        re.compile(
            r"(?im)^\s*(?:export\s+)?[\w.-]*?(?:password|passwd|secret(?:_?key)?|token|api_?key)\s*[=:]\s*"
            r"[\"']?(?![\s$%{<*/])[^\s\"']{6,}"
        ),
    ),
    ("a PHP password constant", re.compile(r"(?i)['\"]\w*PASSWORD['\"]\s*,\s*['\"][^'\"$]{6,}['\"]")),
    ("an SQL password", re.compile(r"(?i)\bIDENTIFIED\s+(?:WITH\s+\S+\s+)?BY\s+'[^']{6,}'")),
    ("credentials in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^@\s/$]{6,}@")),
    ("an access key", re.compile(r"\b(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,})\b")),
]
# Input names whose value is a secret when it is a non-empty literal.
_SECRET_NAME = re.compile(r"(?i)(^|[_.-]|(?<=[a-z]))(password|passwd|passphrase|secret|token|private_?key|api_?key)$")


def secret_kind(value: str, name: str = "") -> str | None:
    """What secret ``value`` looks like (``name``: the input or key it is held in), or None."""
    for kind, pattern in _SECRET_TEXT:
        if pattern.search(value):
            return kind
    if name and _SECRET_NAME.search(name) and len(value.strip()) >= 6 and not value.startswith(("$", "/", "%")):
        return f"a value named {name}"
    return None


def _walk(value: Any, path: str) -> Iterator[tuple[str, str, str]]:
    """(path, key name, string) of every string in a value."""
    if isinstance(value, str):
        yield path, path.rsplit(".", 1)[-1].split("[", 1)[0], value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        # pulumi-policy hands lists as a Sequence proxy, not a list
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")


def plaintext_secrets(
    resource_type: str, props: Mapping[str, Any], additional_secret_outputs: Iterable[str] = ()
) -> list[str]:
    """Secret-looking values in inputs not declared secret.

    An input is declared secret when the provider schema says so
    (:data:`SCHEMA_SECRET_INPUTS`), when the resource lists it in
    ``additional_secret_outputs``, or, for a command, when it runs with
    logging off (the platform's mark of a command that carries a secret on
    stdin). Pulumi policies see secrets decrypted and cannot tell a secret
    Output from a plain string (pulumi/pulumi-policy#241); the whole-program
    tests check the secret marks themselves.
    """
    declared = set(SCHEMA_SECRET_INPUTS.get(resource_type, ())) | set(additional_secret_outputs)
    if resource_type.startswith("command:") and str(props.get("logging", "")).lower() == "none":
        declared |= {"stdin", "environment"}
    out = []
    for key in sorted(props):
        if key in declared or key.startswith("__"):
            continue
        for path, name, text in _walk(props[key], key):
            kind = secret_kind(text, name)
            if kind:
                out.append(f"input {path} holds {kind} in plain text: pass it as a secret (pulumi.Output.secret)")
    return out


def _labels(props: Mapping[str, Any]) -> dict[str, str]:
    raw = props.get("labels")
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items()}
    out: dict[str, str] = {}
    for item in raw or ():
        if isinstance(item, Mapping) and "label" in item:
            out[str(item["label"])] = str(item.get("value", ""))
    return out


FACTS_DIR = "/etc/pic/site-facts/"


def _placed_facts(script: str) -> str | None:
    """The content a files script (``printf '%s' CONTENT | sh -eu -c INSTALL``) installs in FACTS_DIR."""
    try:
        words = shlex.split(script)
    except ValueError:
        return None
    for i in range(len(words) - 7):
        installs = words[i : i + 2] == ["printf", "%s"] and words[i + 3 : i + 7] == ["|", "sh", "-eu", "-c"]
        if installs and FACTS_DIR in words[i + 7]:
            return words[i + 2]
    return None


def site_facts(resource_type: str, props: Mapping[str, Any]) -> dict[str, str]:
    """The facts of a site: a container's labels, or the JSON object a command places (its stdin)."""
    if resource_type == CONTAINER:
        return _labels(props)
    stdin = props.get("stdin") if resource_type.startswith("command:") else None
    if isinstance(stdin, str) and FACTS_DIR in stdin and not stdin.lstrip().startswith("{"):
        stdin = _placed_facts(stdin)
    if not isinstance(stdin, str) or not stdin.lstrip().startswith("{"):
        return {}
    try:
        data = json.loads(stdin)
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("pic.role") != "site":
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def runtime_end_of_life(resource_type: str, props: Mapping[str, Any], on: dt.date) -> list[str]:
    """A site container on a PHP runtime past its end of life needs an exception valid on ``on``."""
    labels = site_facts(resource_type, props)
    php = labels.get("pic.php", "")
    if labels.get("pic.role") != "site" or php in ("", "none"):
        return []
    if resource_type == CONTAINER and "pic.php.eol" not in labels:
        return []  # a container labelled with what it is only: its facts are checked where they are placed
    member = labels.get("pic.member", "?")
    eol = _date(labels.get("pic.php.eol", ""))
    if eol is None:
        return [f"site of {member} on PHP {php}: label pic.php.eol is missing or not a date"]
    until = _date(labels.get("pic.php.exception_until", ""))
    if eol >= on or (until is not None and until >= on):
        return []
    why = f"its exception ended on {until.isoformat()}" if until else "it holds no exception"
    return [
        f"site of {member} runs PHP {php}, past its end of life ({eol.isoformat()}) as of {on.isoformat()}, "
        f"and {why}: move it to a supported runtime or add a dated exceptions.php_eol"
    ]


def database_protected(resource_type: str, props: Mapping[str, Any], protect: bool) -> list[str]:
    if resource_type != DATABASE or protect:
        return []
    return [f"database {props.get('name', '?')} is not protected: declare it with protect=True"]


def _wildcard_only(host: str) -> bool:
    return host.strip() != "" and host.replace("%", "").replace(".", "").replace("_", "").strip() == ""


def mysql_host(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    """No MySQL user (or grant) from any host ('%'): access is granted to the web hosts by address."""
    if resource_type not in (MYSQL_USER, MYSQL_GRANT):
        return []
    host = props.get("host")
    if isinstance(host, str) and _wildcard_only(host):
        what = "user" if resource_type == MYSQL_USER else "grant for"
        return [f"MySQL {what} {props.get('user', '?')!s} is allowed from {host!r}: name the web hosts instead"]
    return []


# --- https coverage (a stack policy) --------------------------------------------------------


@dataclass(frozen=True)
class StackResource:
    urn: str
    type: str
    props: Mapping[str, Any]

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


_SITE_LINE = re.compile(r"^(?![\s#({])(?P<addresses>[^{}]+?)\s*\{\s*$")
_TLS_FILES = re.compile(r"^\s*tls\s+(?!internal\b)\S+\s+\S+")  # tls <cert file> <key file>


def caddy_certified_names(text: str) -> list[set[str]]:
    """For each site block of a Caddyfile whose certificate Caddy obtains itself, its host names.

    A block with ``tls <cert> <key>`` loads a certificate from files: Caddy
    obtains none for it, and the files' certificate must be declared
    elsewhere (a certbot lineage, a pulumi-tls certificate).
    """
    if "auto_https off" in text or "auto_https disable_certs" in text:
        return []
    blocks: list[set[str]] = []
    names: set[str] | None = None
    for line in text.splitlines():
        if names is not None:
            if line.rstrip() == "}":
                if names:
                    blocks.append(names)
                names = None
            elif _TLS_FILES.match(line):
                names = set()  # certificate from files: not Caddy's
            continue
        m = _SITE_LINE.match(line)
        if m is not None:
            names = _https_hosts(m.group("addresses"))
    return blocks


def _https_hosts(addresses: str) -> set[str]:
    names = set()
    for address in re.split(r"[,\s]+", addresses.strip()):
        if not address or address.startswith("http://") or address.startswith(":"):
            continue
        host = address.removeprefix("https://").split("/", 1)[0].rsplit(":", 1)[0].lower()
        if host and "." in host:
            names.add(host)
    return names


def certbot_names(text: str) -> list[set[str]]:
    """The domains of each certificate a script asks certbot for (``--domain``/``-d``, comma lists too)."""
    out = []
    for line in text.replace("\\\n", " ").splitlines():
        if not re.search(r"\bcertbot\s+(certonly|run)\b", line):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        names: set[str] = set()
        for flag, value in itertools.pairwise(words):
            if flag in ("-d", "--domain", "--domains"):
                names |= {d.strip().lower() for d in value.split(",") if d.strip()}
        for word in words:
            if word.startswith(("--domain=", "--domains=")):
                names |= {d.strip().lower() for d in word.split("=", 1)[1].split(",") if d.strip()}
        if names:
            out.append(names)
    return out


def _covers(name: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        head, _, rest = name.partition(".")
        return bool(head) and rest == pattern[2:]
    return name == pattern


def _names_of(r: StackResource, by_name: Mapping[str, StackResource]) -> list[set[str]]:
    """The name sets of the certificates one resource declares."""
    out: list[set[str]] = []
    if r.type in CERT_TYPES:
        names = {str(n).lower() for n in r.props.get("dnsNames") or ()}
        subject = r.props.get("subject")
        if isinstance(subject, Mapping) and subject.get("commonName"):
            names.add(str(subject["commonName"]).lower())
        if not names and r.type == "tls:index/locallySignedCert:LocallySignedCert" and r.name.endswith("-cert"):
            request = by_name.get(r.name[: -len("-cert")] + "-csr")  # its request holds the names
            if request is not None:
                return _names_of(request, by_name)
        if names:
            out.append(names)
    elif r.type.startswith("command:"):
        stdin = r.props.get("stdin")
        if isinstance(stdin, str) and ("reverse_proxy" in stdin or "respond" in stdin):
            out.extend(caddy_certified_names(stdin))
        if isinstance(stdin, str) and "certbot" in stdin:
            out.extend(certbot_names(stdin))
    return out


def certificates(resources: Iterable[StackResource]) -> list[set[str]]:
    """The name sets of every certificate the stack declares: pulumi-tls certificates and requests,
    certbot lineages asked for by a script, and the site blocks Caddy obtains certificates for."""
    resources = list(resources)
    by_name = {r.name: r for r in resources}
    return [names for r in resources for names in _names_of(r, by_name)]


def _uncovered(domains: list[str], cert: set[str]) -> list[str]:
    return [d for d in domains if not any(_covers(d, p) for p in cert)]


def https_coverage(resources: list[StackResource]) -> list[tuple[str, str]]:
    """Every https site's domains are all covered by its certificate: (urn, message) of each that is not.

    The certificate of member ``<slug>`` is the resource named
    ``<slug>-tls-cert`` (README, web host: a certbot script or a pulumi-tls
    certificate); without one, any one certificate of the stack must cover
    all the site's domains (Caddy obtaining its own, say).
    """
    by_name = {r.name: r for r in resources}
    every = certificates(resources)
    out = []
    for r in resources:
        labels = site_facts(r.type, r.props)
        if labels.get("pic.role") != "site" or labels.get("pic.https") != "true":
            continue
        member = labels.get("pic.member", "?")
        domains = [d.strip().lower() for d in labels.get("pic.domains", "").split(",") if d.strip()]
        if not domains:
            out.append((r.urn, f"https site of {member} has no pic.domains label"))
            continue
        own = by_name.get(f"{member}-tls-cert")
        candidates = _names_of(own, by_name) if own is not None else every
        if any(not _uncovered(domains, cert) for cert in candidates):
            continue
        best = min(candidates, key=lambda c: len(_uncovered(domains, c)), default=set())
        missing = ", ".join(_uncovered(domains, best))
        if own is not None:
            message = f"https site of {member}: its certificate {own.name} does not cover {missing}"
        else:
            message = f"https site of {member}: no certificate covers all its domains (not covered: {missing})"
        out.append((r.urn, message))
    return out
