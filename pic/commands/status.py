"""``pic status``: the platform as its visitors see it, domain by domain, and the members' disk usage.

For every domain of every member whose site is not archived, and the
platform's own (phpMyAdmin, the lists' web interface):

- **DNS**: the A/AAAA answer of the resolver (``--resolver``/``--port``,
  default ``pic:dns.resolver``) against the address of the member's web host;
- **TLS** (https sites): the certificate the web host presents for the name
  (SNI), its issuer and days left, and whether it verifies (chain, name, dates);
- **redirect**: http answers a redirect to the same name over https;
- **PHP**: the runtime the site answers with, from the ``X-Pic-Php`` header
  the site's own server sets (the member vhost of its runtime image, or
  ``none`` for a static site), against the registry's ``site.php``;
- **response time** of ``GET /`` over https (http for http-only sites), in ms.

The site is always asked at its web host's address, even when DNS points
elsewhere, so that the state of the host shows beside the wrong answer. Per
member, the disk usage measured nightly by the hosts (:mod:`pic.diskusage`)
against its soft limit.

Exit status: 0 nothing to do; 1 invalid registry, settings or disk usage
file; 2 an option that cannot work (:mod:`pic.commands.arguments`); 3 something
needs action (wrong DNS, certificate expired or not valid, no redirect, site
down, wrong PHP), or the resolver answered none of the first names looked up
(:mod:`pic.unanswered`: the run stops there); 4 only warnings (a certificate with fewer than
:data:`CERT_WARNING_DAYS` days left, a member over its disk soft limit, a line
of a disk usage file not counted, a disk usage file measured more than two days before).
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import re
import socket
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pic import diskusage
from pic.commands import about, arguments, date_argument
from pic.errors import HIDDEN_VALUE, json_text
from pic.names import PLATFORM_LABEL
from pic.registry import Member, load_registry
from pic.settings import Settings, display_path, load_settings
from pic.texttable import table
from pic.unanswered import Unanswered, seconds_words
from pic.unanswered import failure as lookup_failure
from pic.unanswered import said as lookup_said

if TYPE_CHECKING:  # loaded when the command runs, not by every `pic` command
    import dns.resolver
    from cryptography import x509

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_ACTION, EXIT_WARNING = 0, 1, 2, 3, 4
# Let's Encrypt renews 30 days before expiry; under 20 days left, renewals have been failing for 10 days.
CERT_WARNING_DAYS = 20
PHP_HEADER = "X-Pic-Php"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "status",
        parents=[common],
        help="DNS, certificate, redirect, PHP and disk of every site",
        **about.COMMANDS["status"].parser_text(),
    )
    p.add_argument("--on", type=date_argument, default=None, help=argparse.SUPPRESS)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--resolver", type=arguments.ip_address, help=arguments.RESOLVER_HELP)
    p.add_argument("--port", type=arguments.port, help=arguments.RESOLVER_PORT_HELP)
    p.add_argument(
        "--https-port",
        type=arguments.port,
        default=443,
        action=arguments.StoreGiven,
        help="port of the web hosts' https (default: 443)",
    )
    p.add_argument(
        "--http-port",
        type=arguments.port,
        default=80,
        action=arguments.StoreGiven,
        help="port of the web hosts' http (default: 80)",
    )
    p.add_argument(
        "--ca-file",
        type=arguments.ca_file,
        default=None,
        help="PEM file of the CA certificates to verify with (default: the system's)",
    )
    p.add_argument(
        "--timeout",
        type=arguments.timeout,
        default=10.0,
        help=f"seconds per lookup or connection, at most {arguments.MAX_TIMEOUT:g} (default: 10)",
    )
    p.add_argument(
        "--disk-usage",
        type=arguments.file_or_directory(
            "a disk usage file of a host, or a directory of them", diskusage.MAX_FILE_BYTES
        ),
        action="append",
        default=None,
        help="disk usage file of a host, or a directory of them (default: disk-usage/ in --project)",
    )


@dataclass
class Site:
    """What was found for one domain; ``actions`` and ``warnings`` say what needs doing."""

    domain: str
    member: str  # slug, or "platform" (PLATFORM_LABEL, no member's slug)
    host: str
    state: str  # running, suspended, refused, platform
    expected: list[str]
    dns: list[str] = field(default_factory=list)
    https: bool = True
    issuer: str | None = None
    not_after: str | None = None
    days_left: int | None = None
    tls_error: str | None = None
    redirect: str | None = None  # the Location http answers with
    redirect_ok: bool | None = None  # that answer redirects to https of the same name (None: not asked)
    status: int | None = None
    php_expected: str | None = None
    php: str | None = None
    response_ms: float | None = None
    actions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Probe:
    resolver: dns.resolver.Resolver
    https_port: int
    http_port: int
    ca_file: Path | None
    timeout: float
    now: dt.datetime
    # The names looked up so far: when the first ones all go unanswered, the resolver is down (stop).
    unanswered: Unanswered = field(default_factory=Unanswered)


def _addresses(resolver: dns.resolver.Resolver, name: str, unanswered: Unanswered) -> tuple[list[str], str | None]:
    """A and AAAA answers for ``name``, sorted; an error text when the lookup itself failed (noted in
    ``unanswered`` when the resolver answered neither query: an A answered shows it up, though a resolver
    or a middlebox dropping AAAA queries leaves the second unanswered)."""
    import dns.exception
    import dns.resolver

    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        return [name], None
    out: list[str] = []
    for rtype in ("A", "AAAA"):
        try:
            answer = resolver.resolve(name, rtype, raise_on_no_answer=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.YXDOMAIN) as exc:  # answers: the resolver is up
            unanswered.note(name, True)
            return [], lookup_said(exc, name, rtype, resolver.lifetime)
        except (dns.resolver.NoNameservers, dns.exception.Timeout) as exc:
            unanswered.note(name, False, cause=lookup_failure(exc))
            return [], lookup_said(exc, name, rtype, resolver.lifetime)
        except dns.exception.DNSException as exc:  # a name that cannot be asked (dns.name's): nothing was asked
            return [], lookup_said(exc, name, rtype, resolver.lifetime)
        unanswered.note(name, True)
        out += [r.to_text() for r in answer]
    return sorted(out), None


def _request(conn: socket.socket, domain: str, timeout: float) -> tuple[int, dict[str, str]]:
    """GET / on an open connection; the status and the headers (lowercase names).

    The head of the answer must come within ``timeout`` seconds of the request, whatever its pace: a
    server sending a byte now and then would otherwise hold the run for as long as it likes.
    """
    deadline = time.monotonic() + timeout
    conn.settimeout(timeout)
    conn.sendall(
        f"GET / HTTP/1.1\r\nHost: {domain}\r\nUser-Agent: pic-status\r\nConnection: close\r\n\r\n".encode("ascii")
    )
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no complete answer in time")  # said by failure(), as every timeout
        conn.settimeout(left)
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("iso-8859-1").split("\r\n")
    parts = head[0].split(" ", 2)
    # ASCII digits only: str.isdigit() also takes "²" (Latin-1 0xB2), which int() refuses.
    if len(parts) < 2 or not re.fullmatch(r"[0-9]{3}", parts[1]):
        first = received(head[0][:60])
        raise OSError(f"not an HTTP answer: {first if first == HIDDEN_VALUE else repr(first)}")
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


def received(value: str) -> str:
    """``value``, a text a server sent (a ``Location``, the ``X-Pic-Php`` header, the line of an answer that is not
    HTTP, a certificate's issuer), as pic status shows it: a URL's user and password written ``***``
    (:func:`pic.errors.value_without_credentials`), and :data:`pic.errors.HIDDEN_VALUE` for one that reads as a
    secret (:func:`pic.errors.reads_as_secret`: ``?password=...``) or holds a word shaped as a password
    (:func:`pic.errors.shaped_as_password`: ``Lilas2024x``, ``Soleil-Azur-75``, ``0xCafe1234``), as a member file's
    value is: a redirect to ``https://admin:Lilas2024x@...`` is told without the password, in the text and the JSON."""
    from pic.errors import reads_as_secret, shaped_as_password, value_without_credentials

    shown = value_without_credentials(value)
    if reads_as_secret(shown) or any(shaped_as_password(word) for word in shown.split()):
        return HIDDEN_VALUE
    return shown


# OpenSSL's source file and line in Python's ssl messages ("_ssl.c:989: The handshake operation timed out",
# "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1000)"): of the library, no help to an admin.
_SSL_PLACE = re.compile(r"\s*\(_ssl\.c:[0-9]+\)|_ssl\.c:[0-9]+:\s*")


def failure(exc: OSError, timeout: float, where: str = "") -> str:
    """How a probe of a site that failed with ``exc`` is said (after ``http:`` or ``https:``); ``where``: the address
    and port asked (``192.0.2.10 port 443``).

    Every timeout, of the connection, of the TLS handshake or of the answer (TimeoutError, which ssl raises for a
    handshake as socket does for a connection or a read), in one wording: ``no complete answer within 1 second``
    (``timeout`` seconds); a connection refused as ``connection refused: nothing listens at 192.0.2.10 port 443``;
    any other error as the system words it (its ``strerror``, not Python's ``[Errno 104]`` before it), without
    OpenSSL's source location, followed by ``where``.
    """
    if isinstance(exc, TimeoutError):
        return f"no complete answer within {seconds_words(timeout)}"
    if isinstance(exc, ConnectionRefusedError):
        return f"connection refused: nothing listens at {where}" if where else "connection refused"
    words = exc.strerror if isinstance(exc.strerror, str) and exc.strerror else str(exc)
    said = _SSL_PLACE.sub("", words).strip() or type(exc).__name__
    return f"{said} ({where})" if where else said


def _issuer(cert: x509.Certificate) -> str:
    """``Let's Encrypt (R11)``: the issuer's organisation and common name, as browsers show it."""
    from cryptography.x509.oid import NameOID

    org = [str(a.value) for a in cert.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    cn = [str(a.value) for a in cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if org and cn:
        return f"{org[0]} ({cn[0]})"
    return (org or cn or [cert.issuer.rfc4514_string()])[0]


def _check_tls(site: Site, address: str, probe: Probe) -> None:
    """Certificate presented for the name, its verification, and GET / over https."""
    import ssl

    from cryptography import x509

    loose = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    loose.check_hostname = False
    loose.verify_mode = ssl.CERT_NONE
    start = time.monotonic()
    with (
        socket.create_connection((address, probe.https_port), timeout=probe.timeout) as raw,
        loose.wrap_socket(raw, server_hostname=site.domain) as conn,
    ):
        der = conn.getpeercert(binary_form=True)
        site.status, headers = _request(conn, site.domain, probe.timeout)
    site.response_ms = round((time.monotonic() - start) * 1000, 1)
    site.php = _header(headers, PHP_HEADER)
    if der is None:
        site.tls_error = "no certificate presented"
        return
    cert = x509.load_der_x509_certificate(der)
    site.issuer = received(_issuer(cert))
    not_after = cert.not_valid_after_utc
    site.not_after = not_after.isoformat()
    site.days_left = (not_after - probe.now).days
    strict = ssl.create_default_context(cafile=str(probe.ca_file) if probe.ca_file else None)
    try:
        with (
            socket.create_connection((address, probe.https_port), timeout=probe.timeout) as raw,
            strict.wrap_socket(raw, server_hostname=site.domain),
        ):
            pass
    except ssl.SSLCertVerificationError as exc:
        site.tls_error = exc.verify_message or str(exc)


def _check_http(site: Site, address: str, probe: Probe) -> None:
    """GET / over http: https sites must redirect to themselves over https."""
    start = time.monotonic()
    with socket.create_connection((address, probe.http_port), timeout=probe.timeout) as conn:
        status, headers = _request(conn, site.domain, probe.timeout)
    if not site.https:
        site.status = status
        site.response_ms = round((time.monotonic() - start) * 1000, 1)
        site.php = _header(headers, PHP_HEADER)
        return
    location = _header(headers, "Location") or ""
    site.redirect = location or None
    site.redirect_ok = status in (301, 302, 307, 308) and _to_https_of(headers.get("location", ""), site.domain)
    if not site.redirect_ok:
        site.actions.append(f"http does not redirect to https (answers {status}{', ' + location if location else ''})")


def _header(headers: dict[str, str], name: str) -> str | None:
    """The value of the header ``name`` of an answer, as it is shown (:func:`received`); None when absent."""
    value = headers.get(name.lower())
    return None if value is None else received(value)


def _to_https_of(location: str, domain: str) -> bool:
    """True when ``location`` is an https URL of ``domain`` itself (any port): not merely one that starts with
    it, as ``https://example.org.elsewhere.net/`` or ``https://example.org@elsewhere.net/`` do."""
    from urllib.parse import urlsplit

    try:
        url = urlsplit(location)
    except ValueError:  # an unbalanced "[" in the name
        return False
    return url.scheme.lower() == "https" and url.username is None and url.hostname == domain.lower()


def check_site(site: Site, probe: Probe) -> Site:
    """Fill ``site`` from DNS and the web host; say what needs action."""
    site.dns, error = _addresses(probe.resolver, site.domain, probe.unanswered)
    if probe.unanswered.down:
        return site  # the resolver is not answering: the run stops (run)
    if error:
        site.actions.append(f"DNS: {error}")
    elif not set(site.dns) & set(site.expected):
        site.actions.append(
            f"DNS answers {', '.join(site.dns) or 'nothing'}, not the web host {site.host} ({', '.join(site.expected)})"
        )
    if not site.expected:
        site.actions.append(f"the address of web host {site.host} does not resolve")
        return site
    address = site.expected[0]
    try:
        _check_http(site, address, probe)
    except OSError as exc:
        site.actions.append(f"http: {failure(exc, probe.timeout, f'{address} port {probe.http_port}')}")
    if site.https:
        try:
            _check_tls(site, address, probe)
        except OSError as exc:
            site.actions.append(f"https: {failure(exc, probe.timeout, f'{address} port {probe.https_port}')}")
        if site.tls_error:
            site.actions.append(f"certificate not valid: {site.tls_error}")
        if site.days_left is not None:
            if site.days_left < 0:
                if not site.tls_error:
                    site.actions.append(f"certificate expired on {site.not_after}")
            elif site.days_left < CERT_WARNING_DAYS:
                site.warnings.append(f"certificate expires in {site.days_left} days ({site.not_after})")
    _judge_answer(site)
    return site


def _judge_answer(site: Site) -> None:
    if site.status is None:
        return
    if site.state in ("suspended", "refused"):
        if site.status != 503:
            site.actions.append(f"{site.state} site answers {site.status}, not 503")
        return
    if site.status >= 500:
        site.actions.append(f"the site answers {site.status}")
    if site.php_expected is not None and site.php != site.php_expected:
        site.actions.append(f"answers with PHP {site.php or '(no ' + PHP_HEADER + ' header)'}, not {site.php_expected}")


def sites_of(settings: Settings, members: Iterable[Member], on: dt.date) -> list[Site]:
    """Every domain to check, with what is expected of it (the host's addresses are filled by :func:`run`)."""
    from pic.eol import site_state
    from pic.render.web import phpmyadmin_host

    out: list[Site] = []
    for m in members:
        state = site_state(m, settings, on)
        if m.site is None or state in ("none", "archived"):
            continue
        for d in m.site.domains:
            out.append(
                Site(
                    d,
                    m.slug,
                    m.host,
                    state,
                    [],
                    https=m.site.https,
                    php_expected=(m.runtime or "none") if state == "running" else None,
                )
            )
    pma = phpmyadmin_host(settings)
    if settings.phpmyadmin is not None and pma is not None:
        out.append(Site(settings.phpmyadmin.domain, PLATFORM_LABEL, pma, "platform", []))
    out.append(Site(settings.mail.sympa_domain, PLATFORM_LABEL, settings.mail_host, "platform", []))
    return out


def disk_rows(settings: Settings, members: Iterable[Member], usage: dict[str, diskusage.Usage]) -> list[dict[str, Any]]:
    """Per member with a measurement: its total, its soft limit, a warning when over it."""
    rows = []
    for m in members:
        u = usage.get(m.slug)
        if u is None:
            continue
        limit = diskusage.soft_limit_mb(m, settings)
        rows.append(
            {
                "member": m.slug,
                "host": u.host,
                "measured_at": u.measured_at,  # None: the file has no header line
                "total_mb": round(u.total_mb, 1),
                "soft_limit_mb": limit,
                "warnings": [f"uses {u.total_mb:.0f} MB, over its soft limit of {limit} MB"]
                if u.total_mb > limit
                else [],
            }
        )
    return rows


def as_text(data: dict[str, Any]) -> str:
    rows = [["DOMAIN", "MEMBER", "DNS", "CERTIFICATE", "DAYS", "REDIRECT", "PHP", "MS", "STATUS"]]
    for s in data["sites"]:
        rows.append(
            [
                s["domain"],
                s["member"],
                ",".join(s["dns"]) or "-",
                s["issuer"] or "-",
                "-" if s["days_left"] is None else str(s["days_left"]),
                # None: http was not asked (the web host's address unknown, no connection): no answer to judge
                "-" if not s["https"] or s["redirect_ok"] is None else ("yes" if s["redirect_ok"] else "NO"),
                s["php"] or "-",
                "-" if s["response_ms"] is None else f"{s['response_ms']:.0f}",
                "ACTION" if s["actions"] else ("warning" if s["warnings"] else "ok"),
            ]
        )
    out = table(rows)
    for s in data["sites"]:
        out += [f"{s['domain']}: {a}" for a in s["actions"]]
        out += [f"{s['domain']}: warning: {w}" for w in s["warnings"]]
    if data["disk"]:
        out += ["", "Disk usage (MB):"]
        rows = [["MEMBER", "HOST", "TOTAL", "SOFT LIMIT", "MEASURED AT"]]
        rows += [
            [d["member"], d["host"], f"{d['total_mb']:.1f}", str(d["soft_limit_mb"]), d["measured_at"] or "-"]
            for d in data["disk"]
        ]
        out += ["  " + line for line in table(rows)]
        out += [f"{d['member']}: warning: {w}" for d in data["disk"] for w in d["warnings"]]
    if data.get("disk_warnings"):
        out += ["", "Disk usage files, warnings:"] + [f"  {w}" for w in data["disk_warnings"]]
    if data.get("ca_file_warnings"):
        out += ["", "CA file (--ca-file), warnings:"] + [f"  {w}" for w in data["ca_file_warnings"]]
    actions = sum(1 for s in data["sites"] if s["actions"])  # domains, as the line names them: not their actions
    warnings = (
        sum(len(s["warnings"]) for s in data["sites"])
        + sum(len(d["warnings"]) for d in data["disk"])
        + len(data.get("disk_warnings", []))
        + len(data.get("ca_file_warnings", []))
    )
    out += ["", f"{len(data['sites'])} domain(s): {actions} to act on, {warnings} warning(s)"]
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace, on: dt.date) -> int:
    from pic.dns_check import make_resolver, resolver_name

    for path in args.disk_usage or ():
        if (other := arguments.of_another_kind(path, "--disk-usage", "disk usage")) is not None:
            print(f"pic status: error: {other}", file=sys.stderr)
            return EXIT_USAGE
    settings = load_settings(args.project, args.stack)
    registry = load_registry(args.members, settings)
    # Read before any site is probed: a bad file is said at once, not after the network's timeouts.
    usage, disk_warnings = diskusage.for_members(
        args.disk_usage or diskusage.default_paths(args.project),
        registry,
        settings,
        as_of=diskusage.moment_of(args.on),  # as of --on when given, as the runtimes' end of life
    )
    # a CA's private key saved with its certificate: said before the probes, which the file serves all the same
    key_in_ca_file = None if args.ca_file is None else arguments.private_key_in(args.ca_file)
    if key_in_ca_file is not None:
        print(f"warning: {display_path(args.ca_file)} {key_in_ca_file}", file=sys.stderr)
    probe = Probe(
        make_resolver(args.resolver or settings.dns.resolver, args.port or settings.dns.resolver_port, args.timeout),
        args.https_port,
        args.http_port,
        args.ca_file,
        args.timeout,
        dt.datetime.now(dt.UTC),
    )
    host_addresses: dict[str, list[str]] = {}
    sites = sites_of(settings, registry, on)
    for name in settings.web_hosts:
        if not probe.unanswered.down:
            host_addresses[name], _ = _addresses(probe.resolver, settings.hosts[name].address, probe.unanswered)
    for s in sites:
        if probe.unanswered.down:
            break
        s.expected = host_addresses.get(s.host, [])
        check_site(s, probe)
    if probe.unanswered.none_answered:  # one timeout per domain would follow: nothing of the sites is known
        print(f"{resolver_name(probe.resolver)} {probe.unanswered.why(probe.resolver.lifetime)}", file=sys.stderr)
        return EXIT_ACTION
    disk = disk_rows(settings, registry, usage)
    data: dict[str, Any] = {
        "stack": settings.stack,
        "checked_at": probe.now.isoformat(timespec="seconds"),
        "sites": [asdict(s) for s in sites],
        "disk": disk,
        "disk_warnings": [str(w) for w in disk_warnings],
        # said before the probes too (on the standard error): in the output as every warning is, JSON's too
        "ca_file_warnings": []
        if key_in_ca_file is None
        else [f"warning: {display_path(args.ca_file)} {key_in_ca_file}"],
    }
    if args.format == "json":
        print(json_text(data))
    else:
        print(as_text(data), end="")
    if any(s.actions for s in sites):
        return EXIT_ACTION
    if any(s.warnings for s in sites) or any(d["warnings"] for d in disk) or disk_warnings or data["ca_file_warnings"]:
        return EXIT_WARNING
    return EXIT_OK
