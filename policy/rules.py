"""The logic of the platform's policies, on plain data: resource type, inputs (wire names) and options.

Standard library only (and pic.secrettext, the forms of secret text that pic check
shares, and pic.days.parse_day, the one reader of a day, both standard library only, read
from the project's directory), so that it
runs in the policy pack's own virtualenv and in the test suite alike. Each check returns the violations it finds as
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
import ipaddress
import itertools
import json
import re
import shlex
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pic.days import parse_day
from pic.networks import PRIVATE_NETWORKS
from pic.secrettext import secret_kind

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

# The forms of secret text (pic.secrettext, which pic check shares for the members' cron commands).


class SecretText(str):
    """A string the engine sent as a secret (policy.pack keeps the engine's mark): encrypted in the state."""

    __slots__ = ()


def _walk(value: Any, path: str) -> Iterator[tuple[str, str, str]]:
    """(path, key name, string) of every string in a value."""
    if isinstance(value, str):
        yield path, path.rsplit(".", 1)[-1].split("[", 1)[0], value
    elif isinstance(value, Mapping):
        # {"name": "DB_PASSWORD", "value": ...}: the value is named by its sibling (a label, an env entry)
        named = next((value[k] for k in ("name", "key", "label") if isinstance(value.get(k), str)), None)
        for k, v in value.items():
            if k == "value" and named is not None and isinstance(v, str):
                yield f"{path}.{k}", named, v
            else:
                yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        # pulumi-policy hands lists as a Sequence proxy, not a list
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")


def plaintext_secrets(
    resource_type: str, props: Mapping[str, Any], additional_secret_outputs: Iterable[str] = ()
) -> list[str]:
    """Secret-looking values in inputs not declared secret.

    A value is declared secret when the engine sent it as one (a secret Output:
    a :class:`SecretText`, as policy.pack keeps the engine's mark, which
    pulumi-policy drops: pulumi/pulumi-policy#241), when the provider schema says
    so (:data:`SCHEMA_SECRET_INPUTS`), when the resource lists its input in
    ``additional_secret_outputs``, or, for a command, when it runs with logging
    off (the platform's mark of a command that carries a secret on stdin). A
    command given a secret on its stdin or in its environment runs with logging
    off, or the output of its script (which may print it) is logged.
    """
    declared = set(SCHEMA_SECRET_INPUTS.get(resource_type, ())) | set(additional_secret_outputs)
    logged = resource_type.startswith("command:") and str(props.get("logging", "")).lower() != "none"
    if resource_type.startswith("command:") and not logged:
        declared |= {"stdin", "environment"}
    out = []
    for key in sorted(props):
        if key.startswith("__"):
            continue
        for path, name, text in _walk(props[key], key):
            if isinstance(text, SecretText):
                if logged and key in ("stdin", "environment"):
                    out.append(
                        f"input {path} carries a secret to a command that logs its output: "
                        "run it with logging none (components.hostcmd, secret=True)"
                    )
                    break
                continue
            kind = None if key in declared else secret_kind(text, name)
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


# An exception to end of life lasts at most 12 months (pic.eol.MAX_EXCEPTION_DAYS, PCI DSS v4.0 12.3.4):
# pic check refuses a longer one; the policy refuses a site that runs on one (a registry check bypassed).
MAX_EXCEPTION_DAYS = 366


def _date(text: str) -> dt.date | None:
    """The day of a label written ``YYYY-MM-DD`` (spaces around it allowed), else None: the basic form
    (``20270331``), week dates (``2027-W13-3``) and other digits, which ``date.fromisoformat`` reads,
    are no date of the facts pic writes."""
    try:
        return parse_day(text.strip())
    except ValueError:
        return None


def runtime_end_of_life(resource_type: str, props: Mapping[str, Any], on: dt.date) -> list[str]:
    """A site container on a PHP runtime past its end of life needs an exception valid on ``on``."""
    labels = site_facts(resource_type, props)
    if labels.get("pic.role") != "site":
        return []
    member = labels.get("pic.member", "?")
    if "pic.php" not in labels:
        return [f"site of {member}: its facts have no pic.php (its PHP runtime, or none for a static site)"]
    php = labels["pic.php"]
    if php in ("", "none") or (resource_type == CONTAINER and "pic.php.eol" not in labels):
        return []  # static, or a container labelled with what it is only: its facts are checked where placed
    eol_text = labels.get("pic.php.eol", "")
    eol = _date(eol_text)
    if eol is None:
        return [f"site of {member} on PHP {php}: its pic.php.eol {eol_text!r} is missing or not a date (YYYY-MM-DD)"]
    why = None if eol >= on else _no_exception(labels.get("pic.php.exception_until", ""), on)
    if why is None:
        return []
    return [
        f"site of {member} runs PHP {php}, past its end of life ({eol.isoformat()}) as of {on.isoformat()}, "
        f"and {why}: move it to a supported runtime or add a dated exceptions.php_eol"
    ]


def _no_exception(until_text: str, on: dt.date) -> str | None:
    """Why ``pic.php.exception_until`` (its text) lets no site past its end of life run on ``on``; None if it does."""
    until = _date(until_text)
    if until is None:
        return (
            f"its pic.php.exception_until {until_text!r} is not a date (YYYY-MM-DD)"
            if until_text.strip()
            else ("it holds no exception")
        )
    if until < on:
        return f"its exception ended on {until.isoformat()}"
    if (until - on).days > MAX_EXCEPTION_DAYS:
        return (
            f"its exception until {until.isoformat()} is {(until - on).days} days ahead: an exception lasts at most "
            f"12 months ({MAX_EXCEPTION_DAYS} days), then is decided again"
        )
    return None


_DROPS_DATABASE = re.compile(
    r"(?i)\bDROP\s+(?:DATABASE|SCHEMA)\b|\b(?:mysqladmin|mariadb-admin)\b[^\n|;&]{0,200}?\sdrop\s"
)


def database_protected(resource_type: str, props: Mapping[str, Any], protect: bool) -> list[str]:
    """A database is protected against deletion; no command drops one when it goes away (its ``delete``)."""
    if resource_type == DATABASE and not protect:
        return [f"database {props.get('name', '?')} is not protected: declare it with protect=True"]
    delete = props.get("delete") if resource_type.startswith("command:") else None
    if isinstance(delete, str) and _DROPS_DATABASE.search(delete):
        return [
            "input delete drops a database when the command goes away: a member's database is never "
            "deleted by the program (archive the member; drop it by hand once its dumps are kept)"
        ]
    return []


# The networks a MariaDB account's host part may name (with a wildcard or a netmask): those a host's private address
# is taken in (pic.networks.PRIVATE_NETWORKS, the settings' own list) and loopback (the db host itself): a host
# pattern that matches only addresses of these cannot let in a client from the Internet.
ACCOUNT_NETWORKS = (
    *PRIVATE_NETWORKS,
    ipaddress.IPv4Network("127.0.0.0/8"),
    ipaddress.IPv6Network("::1/128"),
)
_OCTETS_THEN_ANY = re.compile(r"^((?:\d{1,3}\.){1,3})%$")  # 10.0.0.% : every address of 10.0.0.0/24


def _wildcards(host: str) -> bool:
    """Whether a MariaDB host part holds a wildcard: '%' (any characters) or '_' (one), unless escaped by '\\'."""
    escaped = False
    for c in host:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c in "%_":
            return True
    return False


def _private(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return any(network.version == p.version and network.subnet_of(p) for p in ACCOUNT_NETWORKS)  # type: ignore[arg-type]


def host_from_anywhere(host: str) -> str | None:
    """Why a MariaDB account's host part lets in clients beyond the hosts it names, or None.

    MariaDB reads an empty host part as '%'; '%' and '_' are wildcards (``\\%`` a plain '%')
    matched against the client's address (and its name, without skip-name-resolve), so
    ``1%`` lets in every address that begins with 1 and ``%:%`` every IPv6 client; an
    ``address/netmask`` lets in every address of that network. Accepted: a plain address or
    name, an IPv4 prefix ``10.0.0.%`` and an ``address/netmask`` of a private network
    (:data:`ACCOUNT_NETWORKS`), what the dev stack's ``pic:db.dev_subnet`` gives.
    """
    if host.strip() == "":
        return "an empty host, which MariaDB reads as '%' (any host)"
    if _wildcards(host):
        m = _OCTETS_THEN_ANY.match(host)
        if m is not None:
            octets = m.group(1).rstrip(".").split(".")
            try:
                network = ipaddress.ip_network(".".join(octets + ["0"] * (4 - len(octets))) + f"/{8 * len(octets)}")
            except ValueError:
                network = None
            if network is not None and _private(network):
                return None
        return (
            "a pattern whose wildcards ('%': any characters, '_': any one) let in hosts it does not name; "
            "only a private network's prefix such as 10.0.0.% may hold one (a plain '_' or '%' is written \\_ or \\%)"
        )
    if "/" in host:
        network = _netmask_network(host.strip())
        if network is None:
            return "not an address/netmask that MariaDB reads as one network"
        if not _private(network):
            return f"every address of {network}, outside the private networks"
    return None


def _netmask_network(host: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The addresses an ``address/netmask`` host part lets in (MariaDB: those whose bits under the
    mask are the address's), also as ``address/length`` (MySQL's form); None when they are no one
    network (a mask with a gap)."""
    address, _, mask = host.partition("/")
    try:
        if mask.isdigit():
            return ipaddress.ip_network(f"{address}/{mask}", strict=False)
        bits = int(ipaddress.IPv4Address(mask))
        inverse = ~bits & 0xFFFFFFFF
        if inverse & (inverse + 1):  # not ones then zeros
            return None
        return ipaddress.IPv4Network((int(ipaddress.IPv4Address(address)) & bits, bin(bits).count("1")))
    except ValueError:
        return None


# Statements that create an account or give one privileges, up to their first account.
_SQL_TO_ACCOUNTS = re.compile(
    r"(?is)\b(?:CREATE\s+(?:OR\s+REPLACE\s+)?USER(?:\s+IF\s+NOT\s+EXISTS)?|GRANT\s[^;]{0,500}?\sTO|RENAME\s+USER\s[^;]{0,500}?\sTO)\s+"
)
# After an account named without quotes nor host: what makes it SQL rather than prose ("grant access to members").
_SQL_ACCOUNT_END = re.compile(r"(?i)\s*(?:$|[;,]|\s(?:IDENTIFIED|WITH|REQUIRE|PASSWORD|ACCOUNT)\b)")
_SQL_NAME = r"(?:'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|[\w$.-]+)"
_SQL_ACCOUNT = re.compile(rf"({_SQL_NAME})(?:\s*@\s*({_SQL_NAME}))?(\s*,\s*)?")
_SQL_NOT_ACCOUNTS = {"CURRENT_USER", "CURRENT_ROLE", "PUBLIC"}


def _sql_unquote(name: str) -> str:
    if name[:1] in ("'", '"', "`"):
        inner = name[1:-1]
        return re.sub(r"\\(.)", r"\1", inner.replace(name[0] * 2, name[0])) if name[0] != "`" else inner
    return name


def sql_accounts(text: str) -> Iterator[tuple[str, str]]:
    """(user, host) of each account an SQL text creates or grants to; a host left out is MariaDB's '%'."""
    for statement in _SQL_TO_ACCOUNTS.finditer(text):
        pos = statement.end()
        while (m := _SQL_ACCOUNT.match(text, pos)) is not None:
            user, host = m.group(1), m.group(2)
            if "$" in user or "{" in user or (host is None and user.upper() in _SQL_NOT_ACCOUNTS):
                break  # a shell or template variable, or no account
            if host is None and user[:1].isalnum() and not _SQL_ACCOUNT_END.match(text, m.end(1)):
                break  # prose
            yield _sql_unquote(user), "%" if host is None else _sql_unquote(host)
            if not m.group(3):
                break
            pos = m.end()


def mysql_host(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    """No MySQL account (user or grant) from any host ('%'): access is granted to the web hosts by address.

    The accounts are the ``host`` of a mysql provider's user or grant, and those an SQL text in any
    other input creates or grants to (a command's script, a file placed in a container).
    """
    if resource_type in (MYSQL_USER, MYSQL_GRANT):
        host = props.get("host")
        why = host_from_anywhere(host) if isinstance(host, str) else None
        if why is None:
            return []
        what = "user" if resource_type == MYSQL_USER else "grant for"
        return [f"MySQL {what} {props.get('user', '?')!s}: input host {host!r} is {why}: name the web hosts by address"]
    out = []
    for key in sorted(props):
        for path, _name, text in _walk(props[key], key):
            for user, host in sql_accounts(text):
                why = host_from_anywhere(host)
                if why is not None:
                    account = f"{user!r}@{host!r}"
                    out.append(f"input {path}: SQL account {account}: its host is {why}: name the web hosts by address")
    return out


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
    port = re.search(r"(?m)^\s*http_port\s+(\d+)\s*$", text)
    http_port = port.group(1) if port else "80"
    dns_everywhere = re.search(r"(?m)^\s*acme_dns\b", text) is not None
    blocks: list[set[str]] = []
    names: set[str] | None = None
    wildcards_served = dns_everywhere
    for line in text.splitlines():
        if names is not None:
            if line.rstrip() == "}":
                # a wildcard name: only by the DNS challenge, or one certificate per name asked on demand
                names = {n for n in names if wildcards_served or not n.startswith("*.")}
                if names:
                    blocks.append(names)
                names = None
            elif _TLS_FILES.match(line):
                names = set()  # certificate from files: not Caddy's
            elif re.match(r"\s*(?:dns|on_demand)\b", line):
                wildcards_served = True
            continue
        m = _SITE_LINE.match(line)
        if m is not None:
            names = _https_hosts(m.group("addresses"), http_port)
            wildcards_served = dns_everywhere
    return blocks


def _https_hosts(addresses: str, http_port: str = "80") -> set[str]:
    """The host names a site block serves over https: not those of an ``http://`` address, nor of an
    address on Caddy's HTTP port (``amis.org:80``), which Caddy serves over plain HTTP."""
    names = set()
    for address in re.split(r"[,\s]+", addresses.strip()):
        if not address or address.startswith("http://") or address.startswith(":"):
            continue
        host, _, port = address.removeprefix("https://").split("/", 1)[0].partition(":")
        if port == http_port and not address.startswith("https://"):
            continue
        if host and "." in host:
            names.add(dns_name(host))
    return names


def dns_name(name: str) -> str:
    """A host name as a certificate holds it: lower case, no trailing dot, an IDN in punycode."""
    name = name.strip().rstrip(".").lower()
    if name.isascii():
        return name
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:  # not a valid IDN: compared as written
        return name


def certbot_names(text: str) -> list[set[str]]:
    """The domains of each certificate a script asks certbot for (``--domain``/``-d``, comma lists too)."""
    out = []
    for line in text.replace("\\\n", " ").splitlines():
        if not re.search(r"\bcertbot\s+(certonly|run)\b", line):
            continue
        if re.search(r"\s--dry-run\b", line):
            continue  # no certificate at all (one from a staging CA, pic:tls.ca staging, is the stack's choice)
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        names: set[str] = set()
        for flag, value in itertools.pairwise(words):
            if flag in ("-d", "--domain", "--domains"):
                names |= {dns_name(d) for d in value.split(",") if d.strip()}
        for word in words:
            if word.startswith(("--domain=", "--domains=")):
                names |= {dns_name(d) for d in word.split("=", 1)[1].split(",") if d.strip()}
        dns_challenge = re.search(r"\s--dns-|--preferred-challenges[=\s]+[\w,-]*\bdns", line) is not None
        if any(n.startswith("*.") for n in names) and not dns_challenge:
            continue  # ACME gives a wildcard by the DNS challenge only: certbot obtains no certificate at all
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
        # its subject's commonName covers nothing: browsers read the subject alternative names only
        names = {dns_name(str(n)) for n in r.props.get("dnsNames") or ()}
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
        domains = [dns_name(d) for d in labels.get("pic.domains", "").split(",") if d.strip()]
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


def sites_without_facts(resources: list[StackResource]) -> list[tuple[str, str]]:
    """Every PHP site container has its facts placed: (urn, message) of each that has none.

    A site container is labelled with what it is only (``pic.member``, ``pic.role``,
    ``pic.php``); :func:`runtime_end_of_life` reads its end of life in its facts, placed
    by a command (README, web host). A container whose facts no resource places would
    run whatever its runtime, unchecked.
    """
    placed = set()
    for r in resources:
        facts = site_facts(r.type, r.props)
        if facts.get("pic.role") == "site" and (r.type != CONTAINER or "pic.php.eol" in facts):
            placed.add(facts.get("pic.member"))
    out = []
    for r in resources:
        if r.type != CONTAINER:
            continue
        labels = _labels(r.props)
        if labels.get("pic.role") != "site" or labels.get("pic.php", "") in ("", "none"):
            continue
        member = labels.get("pic.member", "?")
        if member not in placed:
            out.append(
                (
                    r.urn,
                    f"site of {member} runs PHP {labels['pic.php']} but no resource places its facts "
                    f"({FACTS_DIR}{member}.json): its end of life cannot be checked",
                )
            )
    return out
