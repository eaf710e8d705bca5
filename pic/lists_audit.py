"""``pic lists audit FILE...``: dead, misspelled and malformed addresses in subscriber exports.

Reads Sympa's exports (the ``subscribers`` dump: ``email ADDRESS`` paragraphs;
the web interface's dump: ``ADDRESS [name]`` per line; CSV with an ``email``
column) and plain one-address-per-line files. Flags, each with a suggested fix:
- addresses at domains that never existed, closed, or are misspelled
  (``pic/data/mail_domains.yaml``, which admins extend, and ``--domains FILE``);
- misspellings of the large mailbox providers (``pic/data/mail_providers.yaml``):
  a domain one or two slips (Damerau-Levenshtein distance, optimal string
  alignment) from a provider's, or a provider's name under a top-level domain
  that does not exist (``gmail.con``), with the provider suggested;
- top-level domains that do not exist (Public Suffix List, ``publicsuffixlist``);
- malformed addresses;
- optionally (``--mx``) domains that have no mail exchanger, when the network allows.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from email_validator import EmailNotValidError, validate_email

from pic.errors import PicError, Problem
from pic.settings import display_path

DATA = "mail_domains.yaml"
PROVIDERS = "mail_providers.yaml"
# Top-level domains most addresses use: the suggestion for an unknown one within one slip (".con" -> ".com").
COMMON_TLDS = ("com", "fr", "org", "net", "eu", "be", "ch", "ca", "de", "uk", "info", "io", "me")
Status = Literal["typo", "closed", "never"]
_STATUSES = ("typo", "closed", "never")


@dataclass(frozen=True)
class DeadDomain:
    status: Status
    suggest: str | None
    note: str


@dataclass(frozen=True)
class Entry:
    file: str
    line: int
    address: str


@dataclass(frozen=True)
class Flag:
    entry: Entry
    problem: str
    suggestion: str | None

    def __str__(self) -> str:
        fix = f"; suggested: {self.suggestion}" if self.suggestion else ""
        return f"{self.entry.file}:{self.entry.line} {self.entry.address}: {self.problem}{fix}"


def _parse_domains(text: str, file: str) -> dict[str, DeadDomain]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PicError([Problem(file, None, "", f"is not valid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise PicError([Problem(file, None, "", "is not a mapping of domain to {status, suggest, note}")])
    problems: list[Problem] = []
    out: dict[str, DeadDomain] = {}
    for domain, spec in data.items():
        key = str(domain).lower()
        if not isinstance(spec, dict) or spec.get("status") not in _STATUSES:
            problems.append(Problem(file, None, f"{domain}.status", f"must be one of {', '.join(_STATUSES)}"))
            continue
        unknown = set(spec) - {"status", "suggest", "note"}
        if unknown:
            problems.append(
                Problem(file, None, str(domain), f"unknown keys {sorted(unknown)} (allowed: status, suggest, note)")
            )
            continue
        suggest = spec.get("suggest")
        out[key] = DeadDomain(spec["status"], str(suggest).lower() if suggest else None, str(spec.get("note") or ""))
    if problems:
        raise PicError(problems)
    return out


def load_domains(extra: Sequence[Path] = ()) -> dict[str, DeadDomain]:
    """The shipped data file, then each admin file (later entries override earlier ones)."""
    text = resources.files("pic.data").joinpath(DATA).read_text(encoding="utf-8")
    domains = _parse_domains(text, f"pic/data/{DATA}")
    for path in extra:
        try:
            more = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PicError([Problem(display_path(path), None, "", f"cannot be read: {exc.strerror}")]) from None
        domains.update(_parse_domains(more, display_path(path)))
    return domains


_DUMP_EMAIL = re.compile(r"^email\s+(\S+)\s*$")


def read_export(path: Path) -> list[Entry]:
    """The addresses of one export file, with their line numbers."""
    file = display_path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise PicError([Problem(file, None, "", f"cannot be read: {exc.strerror}")]) from None
    lines = text.splitlines()
    if any(_DUMP_EMAIL.match(line) for line in lines):
        return [Entry(file, n, m.group(1)) for n, line in enumerate(lines, 1) if (m := _DUMP_EMAIL.match(line))]
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    if ("," in first or ";" in first) and "email" in first.lower():
        return list(_read_csv(file, text))
    out = []
    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        # Sympa's web dump: "address gecos..."; a plain list: the address alone.
        out.append(Entry(file, n, stripped.split()[0] if "@" in stripped.split()[0] else stripped))
    return out


def _read_csv(file: str, text: str) -> Iterator[Entry]:
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().lower() for h in next(reader)]
    column = next(i for i, h in enumerate(header) if "email" in h)
    for row in reader:
        if len(row) > column and row[column].strip():
            yield Entry(file, reader.line_num, row[column].strip())


def _repaired(address: str) -> str:
    """The usual slips fixed: spaces, commas for dots, doubled or trailing dots, case of the domain."""
    fixed = re.sub(r"\s+", "", address).strip("<>\"'").rstrip(".;,")
    if fixed.count("@") != 1:
        return fixed
    local, domain = fixed.split("@")
    domain = re.sub(r"\.{2,}", ".", domain.replace(",", ".")).strip(".").lower()
    return f"{local}@{domain}"


def _valid(address: str) -> str | None:
    """None if valid, else why not."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def osa_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from ``a`` to ``b``: optimal string alignment."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


@dataclass(frozen=True)
class Providers:
    """The known mailbox providers' domains, and the Public Suffix List to tell real top-level domains."""

    domains: tuple[str, ...]  # in the data file's order: the first of two equally close wins (French first)

    @staticmethod
    @functools.cache
    def _suffixes() -> object:
        from publicsuffixlist import PublicSuffixList

        return PublicSuffixList(accept_unknown=False)

    def suffix(self, domain: str) -> str | None:
        """The public suffix of ``domain`` (``co.uk``, ``fr``), None when its top-level domain does not exist."""
        psl = self._suffixes()
        found = psl.publicsuffix(domain)  # type: ignore[attr-defined]
        return str(found) if found else None

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (one instance per run)
    def misspelling(self, domain: str) -> tuple[str, str | None] | None:
        """(what is wrong, the likely domain) for a domain that looks mistyped, or None."""
        if domain in self.domains:
            return None
        suffix = self.suffix(domain)
        if suffix is None:
            return self._unknown_tld(domain)
        name = domain[: -len(suffix) - 1] if domain != suffix else ""
        best = None
        for provider in self.domains:
            p_suffix = self.suffix(provider) or provider.rsplit(".", 1)[-1]
            p_name = provider[: -len(p_suffix) - 1]
            if len(p_name) < 4:
                continue  # sfr, gmx, aol: one slip away sit many real domains
            limit = 1 if len(p_name) < 8 else 2
            if suffix == p_suffix:
                distance = osa_distance(name, p_name)
            elif name == p_name and osa_distance(suffix, p_suffix) == 1 and len(suffix) <= 3:
                distance = 1  # gmail.cm, hotmail.co: a slip in the top-level domain
            else:
                continue
            if len(p_name) < 5 and distance == 1 and len(name) == len(p_name) and sorted(name) != sorted(p_name):
                continue  # a short name with one letter changed is as often another real domain (live.fr, love.fr)
            if 0 < distance <= limit and (best is None or distance < best[0]):
                best = (distance, provider)
        if best is None:
            return None
        return f"misspelled domain: probably {best[1]}", best[1]

    def _unknown_tld(self, domain: str) -> tuple[str, str | None]:
        name, _, tld = domain.rpartition(".")
        what = f"unknown top-level domain .{tld}"
        for provider in self.domains:
            p_name, _, p_tld = provider.partition(".")
            if name == p_name and osa_distance(tld, p_tld) <= 2:
                return f"{what}: probably {provider}", provider
        close = [t for t in COMMON_TLDS if osa_distance(tld, t) == 1]
        return what, (f"{name}.{close[0]}" if len(close) == 1 and name else None)


def load_providers() -> Providers:
    """The shipped list of providers (pic/data/mail_providers.yaml)."""
    text = resources.files("pic.data").joinpath(PROVIDERS).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Providers(tuple(dict.fromkeys(str(d).lower() for d in data["providers"])))


def audit_entry(entry: Entry, domains: Mapping[str, DeadDomain], providers: Providers | None = None) -> Flag | None:
    address = entry.address
    why = _valid(address)
    if why is not None:
        repaired = _repaired(address)
        if repaired != address and _valid(repaired) is None:
            flag = audit_entry(Entry(entry.file, entry.line, repaired), domains, providers)
            return Flag(entry, f"malformed address ({why})", flag.suggestion if flag else repaired)
        return Flag(entry, f"malformed address ({why})", None)
    local, domain = address.rsplit("@", 1)
    dead = domains.get(domain.lower())
    if dead is None:
        slip = providers.misspelling(domain.lower()) if providers is not None else None
        if slip is None:
            return None
        problem, meant = slip
        return Flag(entry, problem, f"{local}@{meant}" if meant else None)
    problem = {
        "typo": "misspelled domain",
        "closed": "domain closed",
        "never": "domain never had mailboxes",
    }[dead.status]
    detail = f"{problem}: {dead.note}" if dead.note else problem
    suggestion = f"{local}@{dead.suggest}" if dead.suggest else "remove it, or ask the subscriber for a new address"
    return Flag(entry, detail, suggestion)


def audit(
    entries: Sequence[Entry], domains: Mapping[str, DeadDomain], providers: Providers | None = None
) -> list[Flag]:
    """Every entry to fix; ``providers``: also misspellings of the known providers and unknown top-level domains."""
    return [flag for entry in entries if (flag := audit_entry(entry, domains, providers)) is not None]


def mx_flags(
    entries: Sequence[Entry], already: Sequence[Flag], resolver_address: str | None, timeout: float, *, port: int = 53
) -> list[Flag]:
    """Addresses whose domain has neither MX nor address record (RFC 5321 §5.1); needs the network."""
    import dns.exception
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=resolver_address is None)
    if resolver_address is not None:
        resolver.nameservers = [resolver_address]
        resolver.port = port
    resolver.lifetime = timeout
    flagged = {f.entry for f in already}
    verdicts: dict[str, bool | None] = {}
    out = []
    for entry in entries:
        if entry in flagged or "@" not in entry.address:
            continue
        domain = entry.address.rsplit("@", 1)[1].lower()
        if domain not in verdicts:
            verdicts[domain] = _receives_mail(resolver, domain)
        if verdicts[domain] is False:
            out.append(Flag(entry, f"{domain} has no mail exchanger (no MX, no address record)", None))
    if verdicts and all(v is None for v in verdicts.values()):
        raise PicError([Problem("--mx", None, "", "no DNS answer at all: is the network reachable?")])
    return out


def _receives_mail(resolver: object, domain: str) -> bool | None:
    import dns.exception
    import dns.resolver

    assert isinstance(resolver, dns.resolver.Resolver)
    for rtype in ("MX", "A", "AAAA"):
        try:
            answer = resolver.resolve(domain, rtype, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            return False
        except (dns.resolver.NoNameservers, dns.exception.Timeout):
            return None
        if answer.rrset is not None and len(answer.rrset) > 0:
            # A null MX (RFC 7505) says the domain accepts no mail.
            return not (rtype == "MX" and all(str(r.exchange) == "." for r in answer.rrset))
    return False
