"""``pic dns check``: are the mail records of every list domain published, and right?

Looks each expected record up through a resolver (the settings' ``pic:dns``
resolver, or the one given) and says, per domain, which records are present,
missing, different, duplicated or unanswered (:func:`check`). The expected
records come from the settings and the registry; the DKIM key itself lives in
the Pulumi state, so without ``--expected`` (the JSON of ``pulumi stack output
mail_dns_records``) a DKIM record counts as present when it holds a well-formed
RSA key.

Beside the list domains' records (:func:`expected_of_platform`): the delegation of
each zone NSD serves (backend ``zonefile``: its NS records name the platform's
name servers), and the SPF record of each domain a site sends mail from (it must
let the site's web host send, whose Postfix relays the site's mail). A site SPF record whose terms need
lookups (``include:``, ``redirect=``, ``mx``, ``a`` of another name, ``exists``, ``ptr``) is evaluated as a
receiver does, RFC 7208's check_host (pyspf), through the same resolver (:func:`judgement`).
"""

from __future__ import annotations

import bisect
import contextlib
import ipaddress
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import dns.exception
import dns.flags
import dns.inet
import dns.message
import dns.name
import dns.nameserver
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver

from pic import names
from pic.errors import HIDDEN_VALUE, PicError, Problem, Unreachable, reads_as_secret, shown_unless_secret
from pic.filekinds import other_kind
from pic.registry import Registry
from pic.render import dns as records
from pic.render.mail import list_domains
from pic.settings import Settings, display_path
from pic.unanswered import NotDns, Unanswered, bad_name, errors_failure, failure, queries_said, said
from pic.validators import is_public_suffix
from pic.yamlsrc import other_encoding, shown_loc

Status = Literal["present", "missing", "different", "duplicated", "unanswered"]
# Kinds of which a name may publish only one record: two SPF records are a permanent error
# (RFC 7208 §4.5), two DMARC records make receivers apply no policy at all (RFC 7489 §6.6.3).
_ONE_ONLY = {
    "SPF": "RFC 7208 §4.5: receivers answer permerror",
    "site SPF": "RFC 7208 §4.5: receivers answer permerror",
    "DMARC": "RFC 7489 §6.6.3: receivers apply none",
}
_PREFIX = {
    "SPF": "v=spf1",
    "site SPF": "v=spf1",
    "DKIM": "v=DKIM1",
    "DMARC": "v=DMARC1",
    "DMARC report authorization": "v=DMARC1",
}
DELEGATION = "delegation"  # the NS records of a zone NSD serves, as its parent publishes them
SITE_SPF = "site SPF"  # the SPF record of a domain a site sends mail from: its value is the web host's mechanism


@dataclass(frozen=True)
class Expected:
    """A record to find; ``value`` None: any well-formed record of that kind (DKIM key not known here).

    A delegation's value is its name servers (``ns1.example.org. ns2.example.org.``); a site SPF's, the mechanism
    its record must hold (``a:web1.example.org``). ``where``: who publishes it, said when it is not right.
    """

    name: str
    type: records.RecordType
    kind: str
    value: str | None
    where: str = ""


@dataclass(frozen=True)
class Finding:
    domain: str
    expected: Expected
    status: Status
    found: tuple[str, ...]
    unanswered: str = ""  # why the record was not checked (status "unanswered")
    problem: str = ""  # why a site SPF record evaluated through its lookups is different, to follow "which"
    # what a present site SPF record evaluated through its lookups is told (None: read from the record itself)
    note: str | None = None

    def line(self) -> str:
        e = self.expected
        text = f"  {self.status:<10} {e.kind:<27} {e.name} {e.type}"
        if self.status == "unanswered":
            return f"{text}: not checked, {self.unanswered}"
        where = f" ({e.where})" if e.where else ""
        if self.status == "missing":
            return f"{text}: publish {_show(e)}{where}"
        if self.status == "duplicated":
            found = " | ".join(self.found)
            return (
                f"{text}: {len(self.found)} records published ({found!r}); one only is allowed "
                f"({_ONE_ONLY[e.kind]}): keep only {_kept(e)}"
            )
        if self.status == "different":
            found = " | ".join(self.found)
            if e.kind == SITE_SPF:
                problem = self.problem or _spf_problem(e, self.found[0])
                return f"{text}: found {found!r}, which {problem}{where}"
            return f"{text}: found {found!r}, expected {_show(e)}{where}"
        return text + self._note()

    def _note(self) -> str:
        """What a present record is told: the note of its evaluation, else what its text says (:func:`_spf_note`)."""
        if self.note is None:
            return _spf_note(self.expected, self.found)
        return f": {self.note}" if self.note else ""


def _kept(e: Expected) -> str:
    return f"one, naming {e.value}" if e.kind == SITE_SPF else _show(e)


def _show(e: Expected) -> str:
    if e.kind == DELEGATION and e.value is not None:
        return " and ".join(f"{e.name}. NS {ns}" for ns in e.value.split())
    if e.kind == SITE_SPF:
        return repr(f"v=spf1 {e.value} -all")
    return repr(e.value) if e.value is not None else "a DKIM key record (v=DKIM1; k=rsa; p=...)"


def expected_from_settings(settings: Settings, registry: Registry) -> dict[str, list[Expected]]:
    """Every list domain's records as the program declares them, DKIM key left open."""
    out: dict[str, list[Expected]] = {}
    for d in list_domains(settings, registry):
        recs = records.mail_records(
            d.domain,
            policy=d.policy,
            selector=settings.mail.dkim_selector,
            public_key_pem=_PLACEHOLDER_PEM,
            mail_exchanger=settings.mail_exchanger,
            reports=settings.dmarc_reports,
        )
        out[d.domain] = [
            Expected(r.name, r.type, records.kind(r), None if records.kind(r) == "DKIM" else r.value) for r in recs
        ]
    return out


def expected_of_platform(settings: Settings, registry: Registry) -> dict[str, list[Expected]]:
    """What the platform needs published besides the list domains' records, by domain.

    - each zone NSD serves (backend ``zonefile``): its delegation, NS records naming the platform's name
      servers (:func:`pic.render.dns.nameservers`), published in its parent zone: the registry's, through the
      registrar, or the platform's own zone file for a zone below another it serves (pulumi up writes it);
    - each domain an active PHP site sends mail from (its ``sender_domains``): an SPF record that lets its web
      host send (``a:<address>``, ``ip4:``/``ip6:`` of its public addresses), since the host's Postfix relays the
      site's mail (README "Mail from sites"); a site on a ``connection: local`` host (the dev stack) sends nothing
      out. A domain that is also a list domain of the stack is told none: one name has one SPF record (RFC 7208
      §3.2: two are a permerror), there the list domain's (:func:`expected_from_settings`), which lets the mail
      host send, as ``pic check`` has the site's web host be (pic.registry: a list domain its site sends from).
    """
    out: dict[str, list[Expected]] = {}
    if settings.dns.backend == "zonefile":
        names = " ".join(sorted(f"{ns.lower().rstrip('.')}." for ns in records.nameservers(settings)))
        for zone in settings.dns.zones:
            parent = records.zone_of(zone, [z for z in settings.dns.zones if z != zone])
            above = zone.split(".", 1)[1]
            if parent:
                where = f"in the zone {parent}, which the platform serves: pulumi up writes it"
            elif "." not in above or is_public_suffix(above):
                where = f"at the parent zone {above}, through the registrar of {zone}"
            else:  # a name below someone's domain is registered nowhere
                where = (
                    f"in the zone {above}, by whoever runs it (a name under {above} is not registered: its owner "
                    "publishes the delegation)"
                )
            out.setdefault(zone, []).append(Expected(zone, "NS", DELEGATION, names, where))
    listed = {d.domain.lower() for d in list_domains(settings, registry)}
    for m in registry:
        host = settings.hosts.get(m.host)
        if m.site is None or m.site.php == "none" or m.status != "active" or host is None:
            continue
        if host.connection == "local":
            continue
        mechanism = " ".join(records.spf_mechanism(a) for a in host.sends_mail_from)
        where = f"the mail of {m.slug}'s site leaves from its web host {m.host}"
        for domain in (d for d in m.sender_domains if d.lower() not in listed):
            out.setdefault(domain, []).append(Expected(domain, "TXT", SITE_SPF, mechanism, where))
    return out


def merged(*parts: Mapping[str, Sequence[Expected]]) -> dict[str, list[Expected]]:
    """The records of each part, by domain, in order."""
    out: dict[str, list[Expected]] = {}
    for part in parts:
        for domain, recs in part.items():
            out.setdefault(domain, []).extend(recs)
    return out


# Any valid base64 does: the DKIM value is not compared without --expected.
_PLACEHOLDER_PEM = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"


class _DuplicateKey(ValueError):
    """A key given twice in one object of the expected records' JSON (the decoder would keep the last)."""


def _unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


# What an --expected file holding nothing (blanks alone) is told, a warning, as an export holding no address is: the
# records are checked as the settings declare them (pulumi stack output ... --json > records.json wrote nothing)
EMPTY_EXPECTED = (
    "is empty: it holds no record (did `pulumi stack output mail_dns_records --json` write nothing?): the records "
    "are checked as the settings declare them, the DKIM keys for form only; take the output again"
)


def load_expected(path: Path) -> dict[str, list[Expected]]:
    """The JSON of ``pulumi stack output mail_dns_records --json``: {domain: [{name, type, value}]}
    (:func:`load_expected_file`, without the lines)."""
    return load_expected_file(path)[0]


class _LongNumber(ValueError):
    """A number in a JSON file longer than Python reads as an integer (``sys.get_int_max_str_digits``)."""

    def __init__(self, digits: str) -> None:
        super().__init__(f"a number of {len(digits)} digits")
        self.digits = digits


def _json_int(digits: str) -> int:
    """``digits`` of a JSON number read as an integer; raises _LongNumber beyond Python's limit of digits (4,300
    by default, ``sys.get_int_max_str_digits``: past it ``int`` raises ValueError, which the JSON decoder lets
    through, not a JSONDecodeError)."""
    try:
        return int(digits)
    except ValueError:
        raise _LongNumber(digits) from None


_LINES_NOT_UTF8_SHOWN = 5  # as an export's (pic.lists_audit)


def _decoded(raw: bytes, file: str) -> object:
    """The JSON value of ``raw``, the bytes of ``file``; raises PicError naming the line (and column) where it cannot
    be read (:func:`load_expected_file`)."""
    encoding = other_encoding(raw)
    if encoding is not None:  # JSON is UTF-8 (RFC 8259 §8.1): an editor's "Unicode" text, told as such
        raise PicError([Problem(file, 1, "", f"is encoded in {encoding}: save it as UTF-8")])
    try:
        return json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_unique, parse_int=_json_int)
    except UnicodeDecodeError:
        from pic.yamlsrc import iconv_offer, not_utf8_places, not_utf8_words

        lines = raw.decode("utf-8-sig", errors="surrogateescape").split("\n")
        told = [
            Problem(file, n, "", f"holds {not_utf8_words(places)}: save it as UTF-8")
            for n, line in enumerate(lines, 1)
            if (places := not_utf8_places(line))
        ]
        if len(told) > _LINES_NOT_UTF8_SHOWN:  # the first lines, the others counted
            more = len(told) - _LINES_NOT_UTF8_SHOWN
            why = f"and {more} more line(s) not UTF-8 from this line on, not shown"
            told = [
                *told[:_LINES_NOT_UTF8_SHOWN],
                Problem(file, told[_LINES_NOT_UTF8_SHOWN].line, "", why, faults=more),
            ]
        raise PicError(iconv_offer(raw, file, "give it as --expected") + told) from None
    except json.JSONDecodeError as exc:
        why = f"cannot be read as JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}"
        raise PicError([Problem(file, exc.lineno, "", why)]) from None
    except _DuplicateKey as exc:
        key = shown_unless_secret(str(exc), hidden="(not shown: it may be a secret)")
        twice = _json_lines(raw.decode("utf-8-sig")).twice
        first = f" (first on line {twice[1]})" if twice is not None else ""
        why = f"cannot be read as JSON: the key {key} is given twice in one object{first}; give it once"
        raise PicError([Problem(file, twice[2] if twice is not None else None, "", why)]) from None
    except RecursionError:
        raise PicError([Problem(file, None, "", "cannot be read as JSON: nested too deeply")]) from None
    except _LongNumber as exc:
        line = raw.count(b"\n", 0, max(raw.find(exc.digits.encode()), 0)) + 1
        why = f"holds a number of {len(exc.digits):,} digits, which is no record's (name, type and value are text)"
        raise PicError([Problem(file, line, "", why)]) from None


def load_expected_file(
    path: Path, notes: list[Problem] | None = None
) -> tuple[dict[str, list[Expected]], dict[str, int]]:
    """The JSON of ``pulumi stack output mail_dns_records --json``: {domain: [{name, type, value}]}, and the line
    of each domain in it.

    A file holding nothing (blanks alone) is no domain, warned of in ``notes`` (:data:`EMPTY_EXPECTED`).

    Raises PicError naming the file, and the line and column or the domain and record, for a file that is not
    UTF-8 JSON, a key given twice (the decoder would keep the last one, and the records of the first would be
    checked by no one), a domain given twice in another case or with a final dot (the same), a domain without
    records, and a record whose name, type or value is not text.
    """
    file = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PicError([Problem(file, None, "", f"cannot be read: {exc.strerror or exc}")]) from None
    if (other := other_kind(raw, path.name, "expected")) is not None:  # one of the project's files, or a key
        raise PicError([Problem(file, None, "", other)])
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():  # an output that wrote nothing: warned of, in ``notes``
        if notes is not None:
            notes.append(Problem(file, None, "", EMPTY_EXPECTED, "warning"))
        return {}, {}
    data = _decoded(raw, file)
    problems: list[Problem] = []
    out: dict[str, list[Expected]] = {}
    if not isinstance(data, dict):
        raise PicError([Problem(file, None, "", "is not a mapping of domain to records")])
    where = _json_lines(raw.decode("utf-8-sig")).lines
    lines = {str(path[0]): line for path, line in where.items() if len(path) == 1}
    problems += _domains_twice(data, lines, file)
    for domain, recs in data.items():
        at = lines.get(domain)
        if not isinstance(recs, list) or not recs:
            problems.append(Problem(file, at, shown_loc([domain]), _no_records(recs)))
            continue
        for i, r in enumerate(recs):
            found = _record(r, file, where, (domain, i))
            if isinstance(found, Expected):
                out.setdefault(domain, []).append(found)
            else:
                problems += found
    if problems:
        raise PicError(problems)
    return out, lines


def _record(
    r: object, file: str, where: Mapping[tuple[str | int, ...], int], loc: tuple[str, int]
) -> Expected | list[Problem]:
    """The record ``r`` at ``loc`` (domain, index) of the expected file, or its problems, each at the line of the
    record, or of its key (``where``: :func:`_json_lines`)."""
    at = where.get(loc)
    empty = _empty_parts(r)
    if empty:
        return [Problem(file, where.get((*loc, *part), at), shown_loc([*loc, *part]), why) for part, why in empty]
    if not (isinstance(r, dict) and {"name", "type", "value"} <= set(r)):
        why = f"{shown_unless_secret(r)} is not a record {{name, type, value}} (text each; type TXT or MX)"
        return [Problem(file, at, shown_loc(list(loc)), why)]
    wrong = _wrong_parts(r)
    if wrong:
        return [Problem(file, where.get((*loc, key), at), shown_loc([*loc, key]), why) for key, why in wrong]
    try:  # looked up as written: a name DNS cannot hold (a label over 63, over 253 in all) is no record
        dns.name.from_text(r["name"])
    except dns.exception.DNSException as exc:
        bad = bad_name(exc, r["name"]) or type(exc).__name__
        why = f"is not a DNS name ({bad}): give what `pulumi stack output mail_dns_records --json` prints"
        name_at = where.get((*loc, "name"), at)
        return [Problem(file, name_at, shown_loc([*loc, "name"]), f"{shown_unless_secret(r['name'])} {why}")]
    rec = records.Record(r["name"], r["type"], r["value"])
    secret = _secret_part(rec)
    if secret is not None:  # shown in the findings otherwise (expected '...'): named, never shown
        return [Problem(file, where.get((*loc, secret), at), shown_loc([*loc, secret]), _SECRET_IN_RECORD)]
    return Expected(rec.name, rec.type, records.kind(rec), rec.value)


_SECRET_IN_RECORD = (
    f"{HIDDEN_VALUE} reads as a password or another secret, which no record of `pulumi stack output "
    "mail_dns_records --json` holds (a record is published for anyone to read): take the output again"
)


def _secret_part(rec: records.Record) -> str | None:
    """``"name"`` or ``"value"`` when that part of an expected record reads as a secret as ``pic check`` reads one
    (:func:`pic.errors.reads_as_secret`), else None. A DKIM key (the ``p=`` tag of a DKIM record, RFC 6376 §3.6.1)
    is public, whatever its base64 looks like: it is read without it."""
    if reads_as_secret(rec.name):
        return "name"
    value = rec.value
    if records.kind(rec) == "DKIM":
        value = ";".join("p=" if t.split("=", 1)[0].strip() == "p" else t for t in value.split(";"))
    return "value" if reads_as_secret(value) else None


def _wrong_parts(record: Mapping[str, object]) -> list[tuple[str, str]]:
    """The keys of a record of the expected file whose value is not of its kind (text; a type TXT or MX), and why,
    the value shown: each is named at its key's line, not the whole record at its own."""
    out = []
    for key, wanted in _RECORD_KEYS.items():
        value = record[key]
        if not isinstance(value, str):
            out.append((key, f"{shown_unless_secret(value)} is not text: give {wanted}"))
        elif key == "type" and value not in ("TXT", "MX"):
            out.append(
                (
                    key,
                    f"{shown_unless_secret(value)} is not TXT or MX: give the type as `pulumi stack output "
                    "mail_dns_records --json` prints it (TXT or MX, in capitals)",
                )
            )
    return out


def _no_records(recs: object) -> str:
    """Why a domain's value in the expected file (not a list with records) is refused."""
    if recs is None:
        return "is empty (null): give its list of records, as `pulumi stack output mail_dns_records --json` prints it"
    return "is not a list of records" if not isinstance(recs, list) else "has no records: nothing to check"


_RECORD_KEYS = {"name": "text", "type": "TXT or MX", "value": "text"}


def _empty_parts(record: object) -> list[tuple[tuple[str, ...], str]]:
    """Where a record of the expected file is null or lacks a key (its path below the record, and why), in
    words: never "null is not a record"."""
    if record is None:
        return [((), "is an empty item (null): give a record {name, type, value}, or remove the item")]
    if not isinstance(record, dict):
        return []
    out: list[tuple[tuple[str, ...], str]] = []
    for key, wanted in _RECORD_KEYS.items():
        if key not in record:
            out.append(((key,), f"is required but missing: give {wanted}"))
        elif record[key] is None:
            out.append(((key,), f"is empty (null): give {wanted} (the key is required)"))
    return out


def _domains_twice(data: Mapping[str, object], lines: Mapping[str, int], file: str) -> list[Problem]:
    """A key naming the domain of an earlier one (compared in lower case, without a final dot): the records of
    one of the two would be checked by no one."""
    named: dict[str, str] = {}
    problems = []
    for domain in data:
        first = named.setdefault(_domain_key(domain), domain)
        if first != domain:
            shown = shown_unless_secret(first)
            why = f"names the domain of {shown} (line {lines.get(first)}) again: give its records once"
            problems.append(Problem(file, lines.get(domain), shown_loc([domain]), why))
    return problems


@dataclass
class _Lines:
    """Where the parts of a JSON text are (:func:`_json_lines`)."""

    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)  # path (keys, indexes) -> line
    twice: tuple[str, int, int] | None = None  # the first key given twice in one object, its first and second line


def _json_lines(text: str) -> _Lines:
    """The line of each key and each array item of the JSON ``text`` (read whole before, JSON's syntax: RFC 8259),
    by its path from the top (``("l.example.org", 1, "name")``), and the first key given twice in one object; what
    a text nested too deeply for this reading leaves out is not there."""
    out = _Lines()
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    decoder = json.JSONDecoder()

    def line_at(i: int) -> int:
        return bisect.bisect_left(newlines, i) + 1

    def value(i: int, path: tuple[str | int, ...]) -> int:
        """Read the value at ``i`` (past blanks), noting its parts' lines; the index past it."""
        i = _past_blanks(text, i)
        if text.startswith("{", i):
            seen: dict[str, int] = {}
            i = _past_blanks(text, i + 1)
            while text.startswith('"', i):
                key, end = decoder.raw_decode(text, i)
                key = str(key)
                if key in seen and out.twice is None:
                    out.twice = (key, seen[key], line_at(i))
                seen.setdefault(key, line_at(i))
                out.lines.setdefault((*path, key), line_at(i))
                i = _past_blanks(text, value(_past_blanks(text, end) + 1, (*path, key)))  # the value, past ":"
                if text.startswith(",", i):
                    i = _past_blanks(text, i + 1)
            return i + 1  # past "}"
        if text.startswith("[", i):
            i, n = _past_blanks(text, i + 1), 0
            while not text.startswith("]", i) and i < len(text):
                out.lines.setdefault((*path, n), line_at(i))
                i = _past_blanks(text, value(i, (*path, n)))
                n += 1
                if text.startswith(",", i):
                    i = _past_blanks(text, i + 1)
            return i + 1  # past "]"
        _, end = decoder.raw_decode(text, i)
        return int(end)

    with contextlib.suppress(ValueError, RecursionError):  # of what json.loads read, a text nested too deeply
        value(0, ())
    return out


def _past_blanks(text: str, i: int) -> int:
    """The index of the first character from ``i`` that is not JSON's white space."""
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    return i


def with_expected(
    declared: Mapping[str, Sequence[Expected]],
    given: Mapping[str, Sequence[Expected]],
    file: str,
    stack: str,
    lines: Mapping[str, int] | None = None,
) -> tuple[dict[str, list[Expected]], list[Problem]]:
    """Every list domain of the registry, with the records of ``--expected`` where it has them.

    The file adds the DKIM keys to compare; it never narrows what is checked: a list domain the file lacks
    (a stack output taken before the member's ``pulumi up``, or another stack's) is still looked up, its
    DKIM key checked for form only, with a warning naming the file and the domain. Nor does it widen it: a
    domain of the file that is no list domain of the stack (another stack's output, or one taken before a
    member's lists were archived or removed, whose records are then to unpublish, not to publish) is not
    looked up, with a warning naming the file, the domain and its line (``lines``). Domains compare in lower
    case, without a final dot.
    """
    merged = {domain: list(recs) for domain, recs in declared.items()}
    ours = {_domain_key(domain): domain for domain in declared}
    found: set[str] = set()
    warnings = []
    for domain, recs in given.items():
        mine = ours.get(_domain_key(domain))
        if mine is None:
            warnings.append(
                Problem(
                    file,
                    (lines or {}).get(domain),
                    shown_loc([domain]),
                    f"is not a list domain of stack {stack} (pic:mail.sympa_domain, the members' lists.domain): "
                    "not checked; give the output of this stack, taken again after pulumi up",
                    severity="warning",
                )
            )
            continue
        merged[mine] = list(recs)
        found.add(mine)
    warnings += [
        Problem(
            file,
            None,
            shown_loc([domain]),
            "is not in it: its records are checked as the settings declare them, its DKIM key for form only "
            "(take the output again after pulumi up)",
            severity="warning",
        )
        for domain in declared
        if domain not in found
    ]
    return merged, sorted(warnings)


def _domain_key(domain: str) -> str:
    return domain.lower().removesuffix(".")


class ConnectedNameserver(dns.nameserver.Do53Nameserver):
    """A resolver asked over a connected UDP socket, on which the system reports a refusal at once.

    Nothing listening at the address and port (no resolver on the admin's 127.0.0.1) is answered with an ICMP
    "port unreachable", which a connected socket receives as an error (ECONNREFUSED) and dnspython's own
    unconnected socket never sees: each lookup waited out the whole timeout, and pic status and pic dns check
    took 30 and 15 seconds to say that no DNS answered. A refused query is a failed one (NoNameservers) at once.

    A connected socket receives the datagrams of that address and port alone: bytes that are not a DNS answer to
    the query come from what listens there, and raise :class:`NotDnsAnswer` at once (dnspython's ``ignore_errors``
    waited for a real answer, and the whole timeout went by as if nothing had answered).
    """

    def query(  # noqa: PLR0917 - dnspython's own signature, overridden
        self,
        request: dns.message.QueryMessage,
        timeout: float,
        source: str | None,
        source_port: int,
        max_size: bool,
        one_rr_per_rrset: bool = False,
        ignore_trailing: bool = False,
    ) -> dns.message.Message:
        if max_size:  # over TCP: a refused connection is said at once already
            return super().query(request, timeout, source, source_port, max_size, one_rr_per_rrset, ignore_trailing)
        with socket.socket(dns.inet.af_for_address(self.address), socket.SOCK_DGRAM) as sock:
            sock.setblocking(False)  # as dns.query.udp wants the socket it is given
            sock.connect((self.address, self.port))
            try:
                return dns.query.udp(
                    request,
                    self.address,
                    timeout=timeout,
                    port=self.port,
                    raise_on_truncation=True,
                    one_rr_per_rrset=one_rr_per_rrset,
                    ignore_trailing=ignore_trailing,
                    ignore_unexpected=True,
                    sock=sock,
                )
            except (OSError, dns.exception.Timeout, dns.message.Truncated):
                raise
            except Exception as exc:  # what dns.message.from_wire raises of bytes it cannot read, or BadResponse
                said = exc or type(exc).__name__
                raise NotDnsAnswer(f"the answer is not a DNS answer to the query ({said})") from exc  # type: ignore[no-untyped-call]


class NotDnsAnswer(NotDns, dns.exception.FormError):
    """Bytes a resolver answered that are not a DNS answer to the query (:class:`pic.unanswered.NotDns`); a
    FormError, so that dnspython's resolver asks that server no more."""


def make_resolver(address: str, port: int, timeout: float) -> dns.resolver.Resolver:
    """A resolver that asks ``address`` on ``port``, each lookup allowed ``timeout`` seconds
    (:class:`ConnectedNameserver`: a refusal ends it at once)."""
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [ConnectedNameserver(address, port)]
    resolver.port = port
    resolver.lifetime = timeout
    resolver.timeout = timeout
    return resolver


class NoAnswer(Exception):
    """The resolver gave no answer for a name (a timeout, no server answering, an error); the message says which,
    in the words of :func:`pic.unanswered.said`. ``cause``: why, as :func:`pic.unanswered.failure` names it ("" for
    a timeout). ``answered``: the resolver did answer, with what leaves the record unknown (YXDOMAIN: RFC 6672
    section 2.2); ``asked``: False for a name DNS cannot look up (:func:`pic.unanswered.bad_name`), never sent.
    Either way the resolver is not silent on the domain's other names."""

    def __init__(self, message: str, *, cause: str = "", answered: bool = False, asked: bool = True) -> None:
        super().__init__(message)
        self.cause = cause
        self.answered = answered
        self.asked = asked

    @property
    def silent(self) -> bool:
        """True when a query was sent and not answered: the domain's other names would wait as long."""
        return self.asked and not self.answered


def _no_answer(exc: dns.exception.DNSException, name: str, rtype: str, timeout: float) -> NoAnswer:
    """The :class:`NoAnswer` of a lookup of ``name``'s ``rtype`` records that raised ``exc`` (any DNSException of
    dnspython's ``Resolver.resolve`` but NXDOMAIN), each lookup allowed ``timeout`` seconds."""
    return NoAnswer(
        said(exc, name, rtype, timeout),
        cause=failure(exc),
        answered=isinstance(exc, dns.resolver.YXDOMAIN),
        asked=not bad_name(exc, name),
    )


def resolver_name(resolver: dns.resolver.Resolver) -> str:
    """``resolver 192.0.2.53 port 53``: where the lookups went, as the messages name it."""
    first = resolver.nameservers[0]
    if isinstance(first, dns.nameserver.AddressAndPortNameserver):
        return f"resolver {first.address} port {first.port}"
    return f"resolver {first} port {resolver.port}"


def lookup(
    resolver: dns.resolver.Resolver, name: str, rtype: str, answers: SpfLookups | None = None
) -> tuple[str, ...]:
    """The values published at ``name``: TXT strings joined, MX as ``pref host.``; () when none.

    Asked through ``answers`` when given (:class:`SpfLookups`: the answers of a run, shared with its SPF
    evaluations, each name and type asked once), else of ``resolver``; NS records always of ``resolver``
    (:func:`_name_servers` reads referrals). Raises :class:`NoAnswer`, in the words of
    :func:`pic.unanswered.said`, when the resolver does not answer (a timeout, nothing listening, an RCODE such
    as REFUSED or SERVFAIL, bytes that are not DNS), answers YXDOMAIN, or ``name`` is no name DNS can look up.
    """
    if rtype == "NS":
        return _name_servers(resolver, name)
    try:
        if answers is not None:
            answer = answers.answer(name, rtype)
        else:
            answer = resolver.resolve(name, rtype, raise_on_no_answer=False)
    except dns.resolver.NXDOMAIN:
        return ()
    except dns.exception.DNSException as exc:
        raise _no_answer(exc, name, rtype, resolver.lifetime) from None
    values = []
    for rdata in answer.rrset or () if answer is not None else ():
        if rdata.rdtype == dns.rdatatype.TXT:
            values.append(b"".join(rdata.strings).decode("ascii", "replace"))
        else:
            values.append(rdata.to_text())
    return tuple(sorted(values))


def _name_servers(resolver: dns.resolver.Resolver, zone: str) -> tuple[str, ...]:
    """The NS names of ``zone`` the resolver gives: its answer, or the referral of a server that holds the parent
    zone only (the delegation, in the authority section, which dnspython's resolver reads as no answer). Raises
    :class:`NoAnswer` as :func:`lookup` does, its queries' failures said by :func:`pic.unanswered.queries_said`."""
    try:
        request = dns.message.make_query(zone, "NS")
    except dns.exception.DNSException as exc:  # a name DNS cannot look up: nothing is sent
        raise _no_answer(exc, zone, "NS", resolver.timeout) from None
    nameserver = resolver.nameservers[0]
    assert isinstance(nameserver, dns.nameserver.Nameserver)
    # each query's failure, as dnspython's resolver notes them (server, tcp, port, exception or RCODE, response)
    errors: list[tuple[str, bool, int, BaseException | str, dns.message.Message | None]] = []
    tcp = False
    try:
        try:
            response = nameserver.query(request, resolver.timeout, None, 0, False)
        except dns.message.Truncated as exc:
            errors.append((str(nameserver), tcp, resolver.port, exc, None))
            tcp = True
            response = nameserver.query(request, resolver.timeout, None, 0, True)
    except (dns.exception.DNSException, OSError, EOFError) as exc:  # EOFError: a TCP connection closed early
        errors.append((str(nameserver), tcp, resolver.port, exc, None))
        raise NoAnswer(queries_said(errors, zone, "NS", resolver.timeout), cause=errors_failure(errors)) from None
    rcode = response.rcode()
    if rcode == dns.rcode.NXDOMAIN:
        return ()
    if rcode != dns.rcode.NOERROR:  # the last answer's RCODE, said as dnspython's resolver's would be
        answered = dns.rcode.to_text(rcode)
        said = queries_said([(str(nameserver), tcp, resolver.port, answered, response)], zone, "NS", resolver.timeout)
        raise NoAnswer(said, cause=answered, answered=rcode == dns.rcode.YXDOMAIN)
    owner = dns.name.from_text(zone)
    for section in (response.answer, response.authority):
        for rrset in section:
            if rrset.rdtype == dns.rdatatype.NS and rrset.name == owner:
                return tuple(sorted(r.to_text().lower() for r in rrset))
    above = [r.name for r in response.authority if r.rdtype == dns.rdatatype.NS and not response.answer]
    if above and not response.flags & dns.flags.AA:
        # a server that answers for no zone holding the name sends the query on to an ancestor's servers:
        # what the parent publishes is not known from this answer
        raise NoAnswer(f"no answer for {zone} NS: the server sends the query on to {above[0]}'s name servers")
    return ()


def _normal(kind: str, value: str) -> object:
    if kind.startswith("DMARC") or kind == "DKIM":
        tags = [t.strip() for t in value.split(";") if t.strip()]
        return {t.split("=", 1)[0].strip().lower(): t.split("=", 1)[-1].strip() for t in tags}
    if kind == "MX":
        return value.lower()
    return " ".join(value.split()).lower()


def _well_formed_dkim(value: str) -> bool:
    tags = _normal("DKIM", value)
    assert isinstance(tags, dict)
    return tags.get("v") == "DKIM1" and tags.get("k", "rsa") == "rsa" and len(tags.get("p", "")) > 100


def _of_kind(kind: str, value: str) -> bool:
    """True when ``value`` is a record of ``kind``: its version tag comes first (RFC 7208 §4.5, RFC 7489 §6.3)."""
    prefix = _PREFIX.get(kind)
    if prefix is None:
        return True
    first = value.strip().split(";", 1)[0].split(None, 1)[0] if value.strip() else ""
    return first.lower() == prefix.lower() if kind in ("SPF", SITE_SPF) else first.replace(" ", "") == prefix


# RFC 7208 §4.5: a record begins with exactly "v=spf1" (ABNF: in any case), then a space or its end; receivers
# discard any other TXT record, a leading space or a tab after the version included.
_SPF_VERSION = re.compile(r"v=spf1(?: |$)", re.IGNORECASE)
_QUALIFIERS = {"-": "fail", "~": "softfail", "?": "neutral"}  # RFC 7208 §4.6.2; "+" (or none) is pass


_MECHANISMS = {"all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"}  # RFC 7208 §5
_MODIFIER = re.compile(r"[a-z][a-z0-9_.-]*=", re.IGNORECASE)  # RFC 7208 §12: name "=" macro-string
_CIDR = re.compile(r"(?:/(\d+))?(?://(\d+))?")  # ip4-cidr-length, then ip6-cidr-length (RFC 7208 §5.6)
# RFC 7208 §7.1: macro-expand, macro-literal, macro-string, toplabel, domain-spec. The letters c, r and t are
# allowed in exp= (whose text they expand) only.
_MACRO_EXPAND = r"%\{[slodiphcrtv][0-9]*r?[.+,/_=-]*\}|%%|%_|%-"
_MACRO_STRING = rf"(?:{_MACRO_EXPAND}|[\x21-\x24\x26-\x7e])*"
_TOPLABEL = r"(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])"
_DOMAIN_SPEC = re.compile(rf"{_MACRO_STRING}(?:\.{_TOPLABEL}\.?|{_MACRO_EXPAND})", re.IGNORECASE)
_MACRO_STRING_RE = re.compile(_MACRO_STRING, re.IGNORECASE)
_EXP_ONLY = re.compile(r"%\{[crt]", re.IGNORECASE)
# A macro-string read left to right: a macro-literal "%%" holds no macro ("%%{d0}" is the text "%{d0}")
_MACROS = re.compile(r"%[%_-]|%\{[a-z]([0-9]*)", re.IGNORECASE)
# The same, to the transformer "r" of a macro: its letter and digits, then the "r", lowered alone (the letter's case
# is kept: a capital URL-escapes, RFC 7208 §7.3)
_REVERSAL = re.compile(r"%[%_-]|(%\{[a-z][0-9]*)(r?)", re.IGNORECASE)


def _macro_error(term: str, value: str, *, domain: bool, exp: bool = False) -> str | None:
    """The permerror of ``term`` when its ``value`` is no domain-spec (``domain``) or no macro-string, per RFC 7208
    §7.1 (a '%' not starting a macro, an unknown macro letter, a last label that is all digits, no dot before
    it, a character that is not visible ASCII), or uses c, r or t outside ``exp``, or a macro's digit transformer
    is 0 (§7.3: "the value MUST be nonzero"; pyspf read ``%{d0}`` as every label but the first, ``.org``); else
    None. More parts than the name has (``%{d99999}``) is no error: all are used (§7.3)."""
    pattern = _DOMAIN_SPEC if domain else _MACRO_STRING_RE
    if pattern.fullmatch(value) is None or (not exp and _EXP_ONLY.search(value)):
        return f"(permerror, RFC 7208 §7.1): {term}"
    if any(m.group(1) and int(m.group(1)) == 0 for m in _MACROS.finditer(value)):
        return f"(permerror, RFC 7208 §7.3: a digit transformer of 0): {term}"
    return None


def _spf_syntax_error(spf: str) -> str | None:
    """None when ``spf`` (``v=spf1`` and its terms) is well formed per RFC 7208 §4.6, §7.1 and §12, else the term
    receivers answer permerror for (an unknown mechanism, ``-allextra``, a bad address or prefix length, a
    mechanism without its domain, ``redirect=`` or ``exp=`` twice, a domain or macro §7.1 refuses:
    ``include:localhost``, ``a:192.0.2.10``, ``%{z}``, a lone ``%``)."""
    seen: set[str] = set()
    for term in spf.split(" ")[1:]:
        if not term:
            continue
        if _MODIFIER.match(term) and (term[0] not in "+-~?"):
            name, value = term.split("=", 1)
            name = name.lower()
            if name in ("redirect", "exp"):
                if name in seen:
                    return f"(permerror, RFC 7208 §6): {name}= twice"
                seen.add(name)
                if not value:
                    return f"(permerror, RFC 7208 §4.6): {term}"
            known = name in ("redirect", "exp")
            error = _macro_error(term, value, domain=known, exp=name == "exp")
            if error is not None:
                return error
            continue
        body = term[1:] if term[0] in "+-~?" else term
        m = re.fullmatch(r"([a-z0-9]+)(?::([^/]*))?(/.*)?", body, re.IGNORECASE)
        if m is None or not _spf_argument_ok(m.group(1).lower(), m.group(2), m.group(3) or ""):
            return f"(permerror, RFC 7208 §4.6): {term}"
        if m.group(2) and m.group(1).lower() not in ("ip4", "ip6"):
            error = _macro_error(term, m.group(2), domain=True)
            if error is not None:
                return error
    return None


def _spf_argument_ok(name: str, domain: str | None, cidr: str) -> bool:
    """True when what follows mechanism ``name`` (``:<domain>``, then ``/<length>``) is what RFC 7208 §5 allows."""
    if name not in _MECHANISMS or domain == "":
        return False
    if name == "all":
        return domain is None and not cidr
    if name in ("include", "exists", "ptr"):
        return (domain is not None or name == "ptr") and not cidr
    if name in ("ip4", "ip6"):
        top, version = (32, 4) if name == "ip4" else (128, 6)
        try:
            ip = ipaddress.ip_address(domain or "")
        except ValueError:
            return False
        length = cidr[1:]
        return ip.version == version and (not cidr or (length.isdigit() and int(length) <= top))
    m = _CIDR.fullmatch(cidr)  # a, mx
    return m is not None and int(m.group(1) or 0) <= 32 and int(m.group(2) or 0) <= 128


def _spf_terms(spf: str) -> list[str]:
    """The terms of ``spf`` as written (RFC 7208 §4.6.1: separated by spaces); compared in lower case (their names
    are case-insensitive, §4.6.1, §12), shown as written (``%{D}`` is not ``%{d}``: URL-escaped, §7.3)."""
    return [t for t in spf.split(" ")[1:] if t]


def _bare(term: str) -> str:
    """``term`` in lower case without its qualifier (RFC 7208 §4.6.2)."""
    return term.lower().lstrip("+-~?")


def _spf_note(e: Expected, found: Sequence[str]) -> str:
    """What a present site SPF record read without lookups that ends at ``~all`` (accepted: receivers mark, not
    refuse) is told: its first ``all``, the one receivers reach."""
    if e.kind == SITE_SPF and found:
        ends = next((t for t in _spf_terms(found[0]) if _bare(t) == "all"), None)
        if ends is not None and ends.lower() == "~all":
            return f": {found[0]!r} ends at ~all (softfail): the platform publishes -all"
    return ""


def _spf_problem(e: Expected, spf: str) -> str | None:
    """None when the SPF record ``spf`` of ``e.name`` is well formed, lets the web host send and no host it does
    not name (RFC 7208); else why not, to follow "which"."""
    if _SPF_VERSION.match(spf) is None:
        return "does not start with v=spf1 and a space (RFC 7208 §4.5): receivers discard it"
    error = _spf_syntax_error(spf)
    if error is not None:
        return f"is not a valid SPF record {error}"
    refusal = _spf_refusal(spf, e.value or "")
    return _both(refusal, _spf_permissive(e.name, _spf_terms(spf), unchecked=refusal is None))


def _both(refusal: str | None, permissive: str | None) -> str | None:
    """Why a record is wrong for the web host (``refusal``) and for every other host (``permissive``): each that
    is not None, the refusal first (the site's own mail fails), joined by "; it also"."""
    if refusal is not None and permissive is not None:
        return f"{refusal}; it also {permissive}"
    return refusal or permissive


def _spf_permissive(name: str, terms: Sequence[str], *, unchecked: bool = True) -> str | None:
    """Why the record of ``name`` (its ``terms``) lets hosts it does not name send, read as a receiver does; None
    when it ends at ``-all`` or ``~all``, or redirects to a record of a name under ``name`` (read without lookups:
    :func:`judgement` follows the ``redirect=`` through the resolver). Its own ``ip4:``/``ip6:`` networks letting
    half the addresses or more send: :func:`_spf_wide`; a ``redirect=`` is read with its macros expanded
    (:func:`_spf_expanded`): one to ``name`` itself is a loop (:func:`_self_redirect`), one to another domain
    not checked, said only when ``unchecked``."""
    wide = _spf_wide(name, terms)
    if wide is not None:
        return wide
    ends = next((t for t in terms if _bare(t) == "all"), None)
    if ends is None:
        return _spf_redirected(name, terms, unchecked=unchecked)
    if ends[0] in "+?" or ends.lower() == "all":
        why = "?all, neutral" if ends[0] == "?" else "+all"
        return f"lets any host send as {name} ({why}): end it with -all"
    return None


def _spf_redirected(name: str, terms: Sequence[str], *, unchecked: bool = True) -> str | None:
    """Why the record of ``name`` without ``all`` (its ``terms``) lets hosts it does not name send: no
    ``redirect=`` (RFC 7208 §4.7: neutral), one to ``name`` itself (a loop) or to a name not under ``name`` (not
    checked without lookups: said only when ``unchecked``); None for one to a name under ``name``."""
    loop = _self_redirect(name, terms)
    if loop is not None:
        return f"{loop}: a loop, a permerror for receivers (RFC 7208 §4.6.4: pyspf says Too many DNS lookups)"
    spec = next((t.split("=", 1)[1] for t in terms if t.lower().startswith("redirect=")), None)
    if spec is None:
        return f"lets any host send as {name} (no all nor redirect=): end it with -all"
    redirect = _spf_expanded(name, spec)
    if unchecked and not redirect.endswith("." + name.lower()):
        return f"hands the other hosts to {redirect}'s record (redirect=), which is not checked: end it with -all"
    return None


def _spf_expanded(domain: str, spec: str) -> str:
    """The domain-spec ``spec`` of the record of ``domain`` with its macros expanded by pyspf (RFC 7208 §7), in
    lower case, without a final dot, for the site's sender (:func:`site_senders`) and the first IPv4
    documentation address; as written when it holds ``%{p}`` (a lookup) or pyspf refuses it."""
    if "%{p" in spec.lower():
        return spec.lower().rstrip(".")
    import spf as pyspf

    query = _spf_query()(i=_STRANGERS["IPv4"][0], s=site_senders(domain)[0], h=domain)
    try:
        return str(query.expand_domain(spec)).lower().rstrip(".")
    except pyspf.PermError:
        return spec.lower().rstrip(".")


def _self_redirect(name: str, terms: Sequence[str]) -> str | None:
    """``redirects to itself (redirect=...)`` when the record of ``name`` (its ``terms``) has no ``all`` and a
    ``redirect=`` to ``name`` itself, its macros expanded (``redirect=%{d}``): RFC 7208 §6.1 evaluates that same
    record again, a loop that ends at §4.6.4's limit of 10 lookups, a permerror; None otherwise."""
    if any(_bare(t) == "all" for t in terms):  # RFC 7208 §6.1: redirect= is then never used
        return None
    spec = next((t.split("=", 1)[1] for t in terms if t.lower().startswith("redirect=")), None)
    if spec is None or _spf_expanded(name, spec) != name.lower().rstrip("."):
        return None
    reads = "" if spec.lower().rstrip(".") == name.lower().rstrip(".") else f", which reads {name}"
    return f"redirects to itself (redirect={spec}{reads})"


# A record whose own ip4:/ip6: terms let this share of a family's addresses pass (or stay neutral) lets any host
# send: RFC 7208 sets no bound, and no sender's networks come near it (the largest IPv4 blocks IANA allotted one
# holder are /8s, 1/256 of the space; the RIRs' IPv6 blocks are /12s of 2000::/3): half or more names no senders
# of its own but whole regions of the Internet.
_WIDE_SHARE = 0.5
# The addresses of each family hosts send from: all of IPv4; IPv6's global unicast space, 2000::/3 (RFC 4291 §2.4,
# IANA's IPv6 address space registry: every address handed out to the Internet's hosts is in it).
_SPACES = {4: ipaddress.ip_network("0.0.0.0/0"), 6: ipaddress.ip_network("2000::/3")}


def _spf_wide(name: str, terms: Sequence[str]) -> str | None:
    """Why the record of ``name`` lets any host send by its own networks, None when it does not: the share of each
    family's addresses (:data:`_SPACES`) its ``ip4:``/``ip6:`` terms qualified ``+`` or ``?`` let pass or stay
    neutral, read in order up to its first ``all`` (an address a term before matched is decided already:
    ``-ip4:0.0.0.0/1 ip4:0.0.0.0/0`` lets half pass), reaching :data:`_WIDE_SHARE`. The other terms are taken as
    not matching (:func:`spf_evaluated` evaluates what they let through). Counted exactly, as integer ranges."""
    decided: dict[int, list[tuple[int, int]]] = {4: [], 6: []}
    passing: dict[int, list[tuple[int, int]]] = {4: [], 6: []}
    named: dict[int, list[str]] = {4: [], 6: []}
    for term in terms:
        qualifier, body = (term[0], _bare(term)) if term[0] in "+-~?" else ("+", _bare(term))
        if body == "all":
            break
        kind, _, value = body.partition(":")
        if kind not in ("ip4", "ip6"):
            continue
        try:
            net = ipaddress.ip_network(value, strict=False)
        except ValueError:  # refused before (_spf_syntax_error)
            continue
        span = (int(net.network_address), int(net.broadcast_address))
        new = _outside(span, decided[net.version])
        decided[net.version].append(span)
        if qualifier in "+?" and new:
            passing[net.version] += new
            named[net.version].append(term)
    for family, space in _SPACES.items():
        first, last = int(space.network_address), int(space.broadcast_address)
        covered = sum(max(0, min(b, last) - max(a, first) + 1) for a, b in passing[family])
        share = covered / space.num_addresses
        if share >= _WIDE_SHARE:
            left = space.num_addresses - covered
            if not left:
                # a host's address with a prefix length of 0 (ip4:192.0.2.10/0), written as if it named one host
                whole = any(t.endswith("/0") and _written_address(t) for t in named[family])
                part = ": a prefix length of 0 holds every address" if whole else ""
            elif f"{share:.1%}" == "100.0%":  # not rounded up to all of them
                addresses = f"the IPv{family} addresses"
                but = f"all {addresses} but {left}" if left <= 65536 else f"more than 99.9% of {addresses}"
                part = f": {but} pass or stay neutral"
            else:
                part = f": {share:.1%} of the IPv{family} addresses pass or stay neutral"
            return (
                f"lets any host send as {name} ({' '.join(named[family])}{part}): name only the hosts that send "
                "its mail"
            )
    return None


def _written_address(term: str) -> bool:
    """True when the ``ip4:``/``ip6:`` term ``term`` (a qualifier allowed) writes an address other than the
    family's first, 0.0.0.0 or ::, before its prefix length."""
    value = term.lstrip("+-~?").split(":", 1)[1].rsplit("/", 1)[0]
    return int(ipaddress.ip_address(value)) != 0


def _outside(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of the range ``span`` (first, last, inclusive) outside each range of ``taken``."""
    parts = [span]
    for low, high in taken:
        kept = []
        for a, b in parts:
            if high < a or low > b:
                kept.append((a, b))
                continue
            if a < low:
                kept.append((a, low - 1))
            if high < b:
                kept.append((high + 1, b))
        parts = kept
    return parts


def _spf_refusal(spf: str, mechanisms: str) -> str | None:
    """None when the SPF record ``spf`` passes the host at each of ``mechanisms`` (``a:<name>``, or ``ip4:``/``ip6:``
    of each of its public addresses, space-separated), else why not, for the first it does not pass."""
    for mechanism in mechanisms.split():
        refusal = _spf_refusal_of(spf, mechanism)
        if refusal is not None:
            return refusal
    return None


def _spf_refusal_of(spf: str, mechanism: str) -> str | None:
    """None when the SPF record ``spf`` passes the host ``mechanism`` names (``a:<name>``, ``ip4:<address>``,
    ``ip6:<address>``), else why not. Read as a receiver does (RFC 7208 §4.6.2): term by term, the first that
    matches the host gives the result, by its qualifier; a term matches when it is that mechanism (a prefix
    length allowed), a network of the same family holding the address, or ``all``. What follows is never read.
    ``include:``, ``redirect=`` and the terms that need a lookup (``mx``, ``a`` of another name or of none) are not
    followed: taken as not matching (:func:`judgement` evaluates a record holding them through the resolver)."""
    kind, _, target = mechanism.lower().partition(":")
    for term in _spf_terms(spf):
        qualifier, body = (term[0], _bare(term)) if term[0] in "+-~?" else ("+", _bare(term))
        name, _, value = body.partition(":")
        # every address of the family: the host's too, unless it is known by an address of the other family
        # (RFC 7208 §5.6: an ip6 network holds no IPv4 sender, an IPv4-mapped one neither; nor ip4 an IPv6 one)
        anywhere = name in ("ip4", "ip6") and value.endswith("/0") and kind in ("a", name)
        if body != "all" and not anywhere and not (name == kind and _names_host(kind, target, value)):
            continue
        if qualifier == "+":
            return None
        if body == "all":
            neutral = ", and end the record with -all (?all leaves any host neutral)" if qualifier == "?" else ""
            return (
                f"ends at {term} ({_QUALIFIERS[qualifier]}) before naming {mechanism}: put it before its all{neutral}"
            )
        return (
            f"answers {_QUALIFIERS[qualifier]} for the web host at {term}, before any term lets it pass: "
            f"write it {mechanism} (qualifier + or none)"
        )
    return f"does not name {mechanism}: add it"  # and holds no all, which would have matched


def _names_host(kind: str, target: str, value: str) -> bool:
    """True when the value of an ``a``, ``ip4`` or ``ip6`` term names the host ``target`` (its name, for ``a``)."""
    if kind == "a":
        return value.split("/", 1)[0].rstrip(".") == target
    try:
        return ipaddress.ip_address(target) in ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False


def _candidates(kind: str, found: Sequence[str]) -> list[str]:
    """The records of ``found`` that are of ``kind`` (:func:`_of_kind`). For SPF, those receivers read (RFC 7208
    §4.5: ``v=spf1`` then a space or the end) when there is one: a record they discard beside it is no second
    one; else the discarded ones, to be told so."""
    candidates = [v for v in found if _of_kind(kind, v)]
    if kind in ("SPF", SITE_SPF):
        read = [v for v in candidates if _SPF_VERSION.match(v) is not None]
        return read or candidates
    return candidates


def judge(expected: Expected, found: Sequence[str]) -> Status:
    if expected.kind == DELEGATION:
        servers = set((expected.value or "").split())
        return "missing" if not found else "present" if set(found) == servers else "different"
    candidates = _candidates(expected.kind, found)
    if not candidates:
        return "missing"
    if expected.kind in _ONE_ONLY and len(candidates) > 1:
        return "duplicated"
    if expected.kind in ("SPF", SITE_SPF):  # one record only, above
        discarded = _SPF_VERSION.match(candidates[0]) is None  # by receivers (RFC 7208 §4.5)
        if discarded or expected.kind == SITE_SPF:
            return "different" if discarded or _spf_problem(expected, candidates[0]) else "present"
    if expected.value is None:
        return "present" if any(_well_formed_dkim(v) for v in candidates) else "different"
    want = _normal(expected.kind, expected.value)
    return "present" if any(_normal(expected.kind, v) == want for v in candidates) else "different"


def judgement(
    expected: Expected,
    found: Sequence[str],
    resolver: dns.resolver.Resolver | None,
    answers: SpfLookups | None = None,
) -> tuple[Status, str]:
    """The status of ``expected`` given the values ``found`` at its name, and why, when a site SPF record was
    evaluated through its lookups ("" otherwise: :meth:`Finding.line` says why from the record); for a present
    one so evaluated, its note ("" for none).

    A site SPF record without terms needing lookups (:func:`spf_lookup_terms`), or malformed, is read as it
    stands (:func:`judge`: no query), unless its ``ip4:``/``ip6:`` networks decide for a web host known by name
    (:func:`_networks_deciding`). One with such terms, or such networks, is evaluated as receivers do, RFC 7208
    §4 check_host (:func:`spf_evaluated`), through ``resolver`` (None: read as it stands, those terms taken as
    not matching), its answers kept in ``answers`` (:class:`SpfLookups`; a new one when None) for the next
    records.
    """
    status = judge(expected, found)
    spf = _to_evaluate(expected, found, resolver) if status in ("present", "different") else None
    if spf is None or resolver is None:
        return status, ""
    return spf_evaluated(expected, spf, resolver, answers)


def _to_evaluate(expected: Expected, found: Sequence[str], resolver: dns.resolver.Resolver | None) -> str | None:
    """The site SPF record of ``found`` that :func:`judgement` evaluates through ``resolver``: one receivers read,
    well formed, holding terms that need lookups or networks only the web host's address places it in or out of
    (:func:`_networks_deciding`); else None."""
    if expected.kind != SITE_SPF or resolver is None:
        return None
    candidates = _candidates(expected.kind, found)
    if len(candidates) != 1:
        return None
    spf = candidates[0]
    discarded = _SPF_VERSION.match(spf) is None  # by receivers (RFC 7208 §4.5): never evaluated
    if discarded or _spf_syntax_error(spf) is not None:
        return None
    mechanisms = expected.value or ""
    return spf if spf_lookup_terms(spf, mechanisms) or _networks_deciding(spf, mechanisms) else None


def _networks_deciding(spf: str, mechanisms: str) -> list[str]:
    """The ``ip4:``/``ip6:`` terms of the SPF record ``spf`` (as written) that only the address of the web host
    known by name (an ``a:<name>`` of ``mechanisms``) can say it is in or out of, where that changes the result:
    those before the term that decides for it read without its address (its ``a:<name>``, ``all``, a network of
    prefix length 0: :func:`_spf_refusal_of`), qualified to give a pass when that term does not, or the reverse
    (``ip4:198.51.100.0/24 -all``, ``-ip4:198.51.100.10 ip4:0.0.0.0/0``); none for a host known by address."""
    out: list[str] = []
    for mechanism in mechanisms.lower().split():
        kind, _, target = mechanism.partition(":")
        if kind != "a":
            continue
        before: list[tuple[bool, str]] = []
        decided = False  # the record without all nor the host: neutral (RFC 7208 §4.7), no pass
        for term in _spf_terms(spf):
            body = _bare(term)
            name, _, value = body.partition(":")
            passes = term[0] not in "-~?"
            if (
                body == "all"
                or (name in ("ip4", "ip6") and value.endswith("/0"))
                or (name == "a" and _names_host("a", target, value))
            ):
                decided = passes
                break
            if name in ("ip4", "ip6"):
                before.append((passes, term))
        out += [term for passes, term in before if passes != decided and term not in out]
    return out


def spf_lookup_terms(spf: str, mechanisms: str) -> list[str]:
    """The terms of the SPF record ``spf`` (as written) that only lookups can evaluate (RFC 7208 §5, §6.1):
    ``include:``, ``redirect=``, ``mx``, ``ptr``, ``exists:``, and ``a`` of no name or of a name other than the
    web host's own ``a:<name>`` in ``mechanisms`` (space-separated, as :attr:`Expected.value`)."""
    named = {m.lower().rstrip(".") for m in mechanisms.split() if m.lower().startswith("a:")}
    out = []
    for term in _spf_terms(spf):
        body = _bare(term)
        name, _, value = body.partition(":")
        name = name.split("/", 1)[0]
        named_host = name == "a" and f"a:{value.split('/', 1)[0].rstrip('.')}" in named
        if (
            body.startswith("redirect=")
            or name in ("include", "mx", "ptr", "exists")
            or (name == "a" and not named_host)
        ):
            out.append(term)
    return out


# Addresses no host sends from (RFC 5737, RFC 3849, RFC 9637), in networks apart: a record that gives each of one
# family pass or neutral lets any host send
_STRANGERS = {
    "IPv4": ("192.0.2.1", "198.51.100.1", "203.0.113.1"),
    "IPv6": ("2001:db8::1", "3fff::1"),
}
_SPF_LOCK = threading.Lock()  # pyspf looks names up through its module's DNSLookup: one evaluation at a time
# A macro that expands to the sender or its local part (RFC 7208 §7.2: s, l; upper case, URL-escaped)
_READS_SENDER = re.compile(r"%\{[ls]", re.IGNORECASE)


class SpfLookups:
    """The DNS answers of one ``pic dns check`` run, by name and type, each asked of the resolver once: those of
    the records checked (:func:`check`) and of the site SPF evaluations, which read them too (a domain checked
    and included by another), evaluate a record for each address of its web host and each documentation address
    (:data:`_STRANGERS`), and include the same records from several domains (pyspf's own cache lasts one
    evaluation).

    A lookup left unanswered (a timeout, a refusal) is kept as such: asked again, it would wait out its timeout
    again. TTLs are not followed: a run lasts seconds.
    """

    def __init__(self, resolver: dns.resolver.Resolver) -> None:
        self.resolver = resolver
        self._answers: dict[tuple[str, str], dns.resolver.Answer | dns.exception.DNSException | None] = {}

    def answer(self, name: str, rtype: str) -> dns.resolver.Answer | None:
        """The resolver's answer for ``name`` ``rtype`` (its ``rrset`` None when the name has no record of the
        type), None when there is no such name (NXDOMAIN); raises the resolver's DNSException when it gave none.
        Names compare in lower case, without a final dot."""
        key = (name.lower().rstrip("."), rtype.upper())
        if key not in self._answers:
            try:
                found: dns.resolver.Answer | dns.exception.DNSException | None = self.resolver.resolve(
                    name, rtype, raise_on_no_answer=False, lifetime=self.resolver.lifetime
                )
            except dns.resolver.NXDOMAIN:
                found = None
            except dns.exception.DNSException as exc:
                found = exc
            self._answers[key] = found
        found = self._answers[key]
        if isinstance(found, dns.exception.DNSException):
            raise found
        return found

    def addresses(self, name: str) -> tuple[str, ...]:
        """The A, then the AAAA addresses of ``name`` (() for none); raises :class:`NoAnswer` when the resolver
        does not answer."""
        out: list[str] = []
        for rtype in ("A", "AAAA"):
            try:
                answer = self.answer(name, rtype)
            except dns.exception.DNSException as exc:
                raise _no_answer(exc, name, rtype, self.resolver.lifetime) from None
            out += sorted(r.address for r in (answer.rrset or ())) if answer is not None else []
        return tuple(out)


def site_senders(domain: str) -> tuple[str, ...]:
    """The envelope senders the platform's mail from ``domain``, a domain sites send from, carries: the site's,
    ``no-reply@<domain>`` (:func:`pic.render.sitemail.envelope_sender`: msmtp's ``from`` for its first domain; for
    the others, the platform's local part; a site may give another with ``sendmail -f``). Sympa's senders at a
    list domain are not evaluated here: a list domain's record is compared as published (``v=spf1 mx a:<mx>
    -all``, which reads no sender), and a site domain that is also a list domain is told that record alone
    (:func:`expected_of_platform`)."""
    return (f"{names.SITE_SENDER_LOCAL_PART}@{domain}",)


def spf_evaluated(
    expected: Expected, spf: str, resolver: dns.resolver.Resolver, answers: SpfLookups | None = None
) -> tuple[Status, str]:
    """The status of the site SPF record ``spf`` published at ``expected.name``, and why when it is not
    present (its note when it is, "" for none), evaluated as receivers do: RFC 7208 §4 check_host, by pyspf,
    every lookup through ``resolver`` (never the machine's), each allowed its timeout, RFC 7208 §4.6.4's limits
    applied (10 terms causing lookups, 2 void lookups), each name and type asked once (``answers``, shared by
    the records of a run; a new one when None).

    The mail is from the sender the platform gives the site (:func:`site_senders`); a record whose terms read the
    sender (``%{l}``, ``%{s}``, RFC 7208 §7.2) is evaluated for each sender, once otherwise.

    - ``present``: each address of the web host (``expected.value``: ``ip4:``/``ip6:`` given, ``a:<name>``: its
      A and AAAA records) passes, the record's own ``ip4:``/``ip6:`` terms let no more than half of the
      addresses send (:func:`_spf_wide`), and no family of documentation addresses (:data:`_STRANGERS`: what its
      includes and redirect= give) all pass or stay neutral (which lets any host send). Noted: the softfail other
      hosts get (the platform publishes ``-all``), and the sender evaluated when the record reads it;
    - ``different``: the web host does not pass (the result and the term that gave it), any host passes, or the
      evaluation is a permerror (pyspf's explanation: too many lookups, a loop of includes or a redirect= to
      the domain itself, an include or redirect= to a name without a record, void lookups);
    - ``unanswered``: a temperror (the resolver did not answer a lookup; not a PTR lookup, :func:`_spf_query`),
      or the web host's name has no address to evaluate the record for.
    """
    answers = answers if answers is not None else SpfLookups(resolver)
    hosts = _web_host_addresses(expected, spf, answers)
    if isinstance(hosts, tuple):
        return hosts
    run = _SpfRun(expected.name, spf, resolver.lifetime, site_senders(expected.name))
    with _SPF_LOCK, _spf_lookups_through(answers):
        verdict = run.web_host(hosts)
        wide = run.wide()
        if verdict is not None and wide is not None and run.refused:  # not an error: both, the refusal first
            verdict = "different", f"{verdict[1]}; it also {wide[1]}"
        verdict = verdict or wide or run.strangers()
    if verdict is not None:
        return verdict
    notes = []
    if run.soft:
        notes.append(f"other hosts get softfail ({', '.join(run.soft)}): the platform publishes -all")
    if run.read_sender:
        notes.append(
            f"its terms read the sender (%{{l}}, %{{s}}): evaluated for {', '.join(run.senders)}, the sender of the "
            "site's mail (one a site gives with sendmail -f may get another result)"
        )
    return "present", "; ".join(notes)


@dataclass
class _SpfRun:
    """The evaluations of the site SPF record ``spf`` of ``name`` (:func:`spf_evaluated`), for ``senders``, each
    lookup allowed ``timeout`` seconds. ``read_sender``: an evaluation read the sender; ``soft``: the softfails
    of the documentation addresses of the first family that got any; ``refused``: an address of the web host got
    a result other than pass, not an error."""

    name: str
    spf: str
    timeout: float
    senders: tuple[str, ...]
    read_sender: bool = False
    soft: list[str] = field(default_factory=list)
    refused: bool = False

    def results(self, address: str) -> list[tuple[str, str, str, str | None]]:
        """:func:`_check_host_for` of ``address``: ``[(sender, result, explanation, matched)]``."""
        results, reads = _check_host_for(self.name, address, self.spf, self.timeout, self.senders)
        self.read_sender |= reads
        return results

    def error(self, result: str, explanation: str, address: str) -> tuple[Status, str] | None:
        return _spf_error(result, explanation, address, _self_redirect(self.name, _spf_terms(self.spf)))

    def web_host(self, hosts: Sequence[tuple[str, str]]) -> tuple[Status, str] | None:
        """``different`` when an address of the web host (``hosts``: its mechanism, its address) does not pass,
        or the evaluation's error; None when each passes."""
        for mechanism, address in hosts:
            for sender, result, explanation, matched in self.results(address):
                error = self.error(result, explanation, f"the web host's {address}")
                if error is not None:
                    return error
                if result != "pass":
                    self.refused = True
                    by = f" from {sender}" if self.read_sender else ""
                    return "different", (
                        f"answers {result} for the web host {mechanism} ({address}){by} {_at(matched)}, evaluated "
                        f"as receivers do (RFC 7208 §4): let it pass before that ({mechanism})"
                    )
        return None

    def wide(self) -> tuple[Status, str] | None:
        """``different`` when the record's own networks let any host send (:func:`_spf_wide`), else None."""
        wide = _spf_wide(self.name, _spf_terms(self.spf))
        return None if wide is None else ("different", wide)

    def strangers(self) -> tuple[Status, str] | None:
        """``different`` when each documentation address of a family (:data:`_STRANGERS`) passes or stays
        neutral, or the evaluation's error; else None, the softfails kept in ``soft``."""
        for family, strangers in _STRANGERS.items():
            results = [(a, r, e, m) for a in strangers for _, r, e, m in self.results(a)]
            for address, result, explanation, _ in results:
                error = self.error(result, explanation, address)
                if error is not None:
                    return error
            if all(result in ("pass", "neutral", "none") for _, result, _, _ in results):
                shown = ", ".join(f"{a} {r} {_at(m)}" for a, r, _, m in results)
                return "different", (
                    f"lets any host send as {self.name} (the {family} documentation addresses: {shown}): "
                    "end it, and the records it includes or redirects to, with -all"
                )
            if not self.soft:
                self.soft = [f"{a} {r} {_at(m)}" for a, r, _, m in results if r == "softfail"]
        return None


def _web_host_addresses(
    expected: Expected, spf: str, answers: SpfLookups
) -> list[tuple[str, str]] | tuple[Status, str]:
    """The addresses the web host sends from, each with its mechanism in ``expected.value``: those of its
    ``ip4:``/``ip6:``, the A and AAAA records of its ``a:<name>`` (through ``answers``); or ``unanswered`` and
    why, when the resolver does not answer or the name has no address."""
    terms = ", ".join(spf_lookup_terms(spf, expected.value or "") or _networks_deciding(spf, expected.value or ""))
    hosts: list[tuple[str, str]] = []
    for mechanism in (expected.value or "").split():
        kind, _, target = mechanism.partition(":")
        if kind.lower() in ("ip4", "ip6"):
            hosts.append((mechanism, target))
            continue
        try:
            addresses = answers.addresses(target)
        except NoAnswer as exc:
            return "unanswered", f"{exc}: the web host's address is needed to evaluate {terms}"
        if not addresses:
            return "unanswered", f"{target} has no address (A, AAAA): the web host's is needed to evaluate {terms}"
        hosts += [(mechanism, address) for address in addresses]
    return hosts


def _at(matched: str | None) -> str:
    """Where check_host's result came from: the term of the record that matched (an include: of it, for a pass
    inside the included record), or none (RFC 7208 §4.7: the default, neutral)."""
    return f"at {matched}" if matched else "with no term matching (RFC 7208 §4.7: neutral)"


def _spf_error(result: str, explanation: str, address: str, loop: str | None = None) -> tuple[Status, str] | None:
    """The status and why of a check_host ``result`` that is an error (permerror, temperror), else None.
    ``loop``: the record's redirect= to its own domain (:func:`_self_redirect`), which a permerror is said of."""
    if result == "permerror" and loop is not None:
        return "different", (
            f"{loop}: a loop, a permerror for receivers (evaluated for {address}: {explanation}, RFC 7208 §4.6.4)"
        )
    if result == "permerror":
        return "different", f"is a permerror for receivers (evaluated for {address}: {explanation}, RFC 7208 §2.6.7)"
    if result == "temperror":  # pyspf's explanation: its prefix, then the lookup's failure (_spf_lookup)
        why = explanation.removeprefix("SPF Temporary Error: ")
        return "unanswered", f"its lookups went unanswered (evaluated for {address}): {why}"
    return None


def _check_host_for(
    domain: str, address: str, spf: str, timeout: float, senders: Sequence[str]
) -> tuple[list[tuple[str, str, str, str | None]], bool]:
    """:func:`_check_host` of ``address`` for the first of ``senders``, and for the others when the evaluation
    read the sender (``%{l}``, ``%{s}``): ``[(sender, result, explanation, matched)]``, and whether it read it."""
    first, *others = senders
    result, explanation, matched, reads = _check_host(domain, address, spf, timeout, first)
    out = [(first, result, explanation, matched)]
    for sender in others if reads else ():
        result, explanation, matched, _ = _check_host(domain, address, spf, timeout, sender)
        out.append((sender, result, explanation, matched))
    return out, reads


def _check_host(domain: str, address: str, spf: str, timeout: float, sender: str) -> tuple[str, str, str | None, bool]:
    """RFC 7208 check_host for a mail from ``sender`` sent by ``address``, ``spf`` being the record of ``domain``:
    pyspf's result (pass, fail, softfail, neutral, none, permerror, temperror), its explanation, the term of
    ``spf`` that matched (None when none did), and whether a domain-spec it expanded read the sender (``%{l}``,
    ``%{s}``). Lookups go where :func:`_spf_lookups_through` sends them; each is allowed ``timeout`` seconds."""
    query = _spf_query()(i=address, s=sender, h=domain, timeout=timeout)
    result, _, explanation = query.check(spf=spf)
    matched = query.mechanism if isinstance(query.mechanism, str) else None
    return str(result), str(explanation), matched, bool(query.reads_sender)


@cache
def _spf_query() -> type:
    """pyspf's query, its PTR lookups read as RFC 7208 says: a DNS error in the PTR lookup of the sender's address
    makes ``ptr`` match nothing (§5.5) and ``%{p}`` expand to ``unknown`` (§7.3), a DNS error in the address lookup
    of one of its names skips that name (§5.5); pyspf made either a temperror of the whole evaluation. Its
    ``reads_sender``: a domain-spec it expanded holds ``%{l}`` or ``%{s}`` (RFC 7208 §7.2), that of an ``exp=``
    left out: it only words the explanation of a fail (RFC 7208 §6.2), which pyspf expands whatever the result.
    Its macros as RFC 7208 reads them, in the records it includes too: a digit transformer of 0 is a permerror
    (§7.3: nonzero; pyspf kept every label but the first, ``%{d0}`` of asso.org ``.org``), a transformer ``R`` in
    capitals reverses (§7.1's ABNF is case-insensitive, RFC 5234 §2.3; pyspf ignored it)."""
    import spf as pyspf

    class Query(pyspf.query):  # type: ignore[misc]
        reads_sender = False
        exp_specs: list[str] = []  # noqa: RUF012 - each record's own, set by check0

        def check0(self, spf: str, recursion: int) -> object:
            # the domain-specs of the record's exp= (pyspf's modifier "exp", as it reads it), expanded once each
            # as it parses the record, before any term is evaluated
            before = self.exp_specs
            self.exp_specs = [
                parts[1]
                for term in (spf or "").split(" ")[1:]
                if (parts := pyspf.RE_MODIFIER.split(term)[1:])[:1] == ["exp"]
            ]
            try:
                return super().check0(spf, recursion)
            finally:
                self.exp_specs = before

        def expand(self, s: str, stripdot: bool = True) -> str:
            if any(m.group(1) and int(m.group(1)) == 0 for m in _MACROS.finditer(s)):
                raise pyspf.PermError("a digit transformer of 0 (RFC 7208 §7.3: nonzero)", s)
            lowered = _REVERSAL.sub(lambda m: m.group(1) + m.group(2).lower() if m.group(1) else m.group(0), s)
            return str(super().expand(lowered, stripdot))

        def expand_domain(self, arg: str) -> str:
            if arg in self.exp_specs:
                self.exp_specs.remove(arg)
            elif _READS_SENDER.search(arg):
                self.reads_sender = True
            return str(super().expand_domain(arg))

        def dns_ptr(self, i: str) -> list[str]:
            try:
                return list(super().dns_ptr(i))
            except pyspf.TempError:
                return []

        def validated_ptrs(self) -> list[str]:
            out = []
            for name in self.dns_ptr(self.i)[: pyspf.MAX_PTR]:
                try:
                    addresses = self.dns_a(name, self.A)
                except pyspf.TempError:
                    continue
                if self.cidrmatch(addresses, self.cidrmax):
                    out.append(name)
            return out

    return Query


@contextmanager
def _spf_lookups_through(answers: SpfLookups) -> Iterator[None]:
    """pyspf's lookups go to ``answers`` until the block ends (its module's ``DNSLookup``, which otherwise
    asks the machine's resolver), then back."""
    import spf as pyspf

    before = pyspf.DNSLookup
    pyspf.DNSLookup = _spf_lookup(answers)
    try:
        yield
    finally:
        pyspf.DNSLookup = before


def _spf_lookup(answers: SpfLookups) -> Callable[..., list[tuple[tuple[str, str], object]]]:
    """pyspf's DNSLookup(name, qtype, strict, timeout) through ``answers``: ``[((name, qtype), value)]``, the
    values as pyspf's dnspython lookup gives them (A/AAAA address, MX (preference, exchange), PTR target, TXT
    strings); [] for no such name or no record of the type; pyspf's TempError when the resolver does not answer."""
    import spf as pyspf

    def dns_lookup(
        name: str, qtype: str, strict: object = True, timeout: float = 0
    ) -> list[tuple[tuple[str, str], object]]:
        try:
            answer = answers.answer(name, qtype)
        except dns.exception.DNSException as exc:
            if bad_name(exc, name):  # as pyspf's own check of the labels (RFC 7208 section 4.3: a malformed name)
                return []
            raise pyspf.TempError(said(exc, name, qtype, answers.resolver.lifetime)) from None
        out: list[tuple[tuple[str, str], object]] = []
        for rdata in (answer.rrset or ()) if answer is not None else ():
            if qtype in ("A", "AAAA"):
                out.append(((name, qtype), rdata.address))
            elif qtype == "MX":
                out.append(((name, qtype), (rdata.preference, rdata.exchange)))
            elif qtype == "PTR":
                out.append(((name, qtype), rdata.target.to_text(True)))
            elif qtype in ("TXT", "SPF"):
                out.append(((name, qtype), rdata.strings))
        return out

    return dns_lookup


def check(expected: Mapping[str, Sequence[Expected]], resolver: dns.resolver.Resolver) -> list[Finding]:
    """Each expected record judged against what the resolver answers, domain by domain in the order given.

    A domain whose lookup goes unanswered has that record and those after it ``unanswered`` (not asked:
    each would wait out the timeout again); the other domains are checked. A record answered YXDOMAIN, or of a
    name DNS cannot look up, is ``unanswered`` alone: the domain's other records are asked. When the first
    domains looked up all go unanswered (:mod:`pic.unanswered`: the resolver or the network is down), no other
    is asked: raises PicError naming the resolver and those domains.
    """
    findings: list[Finding] = []
    unanswered = Unanswered()
    answers = SpfLookups(resolver)  # the lookups of the run and its SPF evaluations share their answers
    for domain in expected:
        found, asked, answered, cause = _checked_domain(domain, expected[domain], resolver, answers)
        findings += found
        if asked:  # a domain whose names DNS cannot look up tells nothing of the resolver
            unanswered.note(domain, answered, cause=cause)
        if unanswered.down:
            break
    if unanswered.none_answered:
        raise Unreachable([Problem(resolver_name(resolver), None, "", unanswered.why(resolver.lifetime))])
    return findings


def _checked_domain(
    domain: str, expected: Sequence[Expected], resolver: dns.resolver.Resolver, answers: SpfLookups
) -> tuple[list[Finding], bool, bool, str]:
    """The findings of the records ``expected`` of ``domain`` (:func:`check`), whether a query was sent, whether
    the resolver answered one, and why it did not (:attr:`NoAnswer.cause`). The first lookup left unanswered leaves
    the records after it unanswered, not asked; one answered YXDOMAIN, or of a name DNS cannot look up, that record
    alone."""
    findings = []
    answered, asked, silence, cause = False, False, "", ""
    for e in expected:
        if silence:
            findings.append(Finding(domain, e, "unanswered", (), silence))
            continue
        try:
            found = lookup(resolver, e.name, e.type, answers)
        except NoAnswer as exc:
            asked |= exc.asked
            answered |= exc.answered
            if exc.silent:
                silence, cause = str(exc), exc.cause
            findings.append(Finding(domain, e, "unanswered", (), str(exc)))
            continue
        answered = asked = True
        shown = tuple(_candidates(e.kind, found))
        status, why = judgement(e, found, resolver, answers)
        if status == "unanswered":
            findings.append(Finding(domain, e, status, shown, why))
        elif status == "present" and _to_evaluate(e, found, resolver) is not None:
            findings.append(Finding(domain, e, status, shown, note=why))
        else:
            findings.append(Finding(domain, e, status, shown, problem=why))
    return findings, asked, answered, cause


def as_text(findings: Sequence[Finding]) -> str:
    lines: list[str] = []
    domain = None
    for f in findings:
        if f.domain != domain:
            domain = f.domain
            lines.append(domain)
        lines.append(f.line())
    statuses = ("present", "missing", "different", "duplicated", "unanswered")
    counts = {s: sum(1 for f in findings if f.status == s) for s in statuses}
    summary = f"{counts['present']} present, {counts['missing']} missing, {counts['different']} different"
    summary += "".join(f", {counts[s]} {s}" for s in ("duplicated", "unanswered") if counts[s])
    lines.append(summary)
    return "\n".join(lines) + "\n"
