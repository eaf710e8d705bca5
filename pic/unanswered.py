"""When the names a command looks up one after another all go unanswered: the resolver or the network is down.

``pic lists audit --mx``, ``pic dns check`` and ``pic status`` ask a resolver about one name after
another, each lookup allowed ``--timeout`` seconds. With the resolver or the network down, every name
would wait that long in turn (hours for a large list): each command stops once the first
:data:`FIRST` names it looked up all went unanswered, and says so with :meth:`Unanswered.why`.
A name answered, even "no such domain", shows the resolver is up: then none stops early.
A query refused (nothing listens at the resolver's address and port: the system says so at once, see
:class:`pic.dns_check.ConnectedNameserver`) is unanswered too, and said as such; so is a resolver that answered
each query with an error (an RCODE of RFC 1035 section 4.1.1 or RFC 6895: REFUSED, SERVFAIL...) or with bytes
that are not a DNS message (:class:`NotDns`): it did answer, and what it answered is named (:func:`failure`).
"""

from __future__ import annotations

from collections.abc import Sequence

FIRST = 3

# The failure of a lookup (:func:`failure`): nothing listens at the resolver's address and port (the system's
# ECONNREFUSED); the resolver answered bytes that are not a DNS answer; else an RCODE's name, each query's failure
# in words, or "" (no answer).
CONNECTION_REFUSED = "connection refused"
NOT_DNS = "not DNS"

# What a resolver answering every query with an RCODE (RFC 1035 section 4.1.1) tells of it.
_RCODE_MEANING = {
    "REFUSED": "the resolver does not resolve for this client (its access control leaves this address out, or it "
    "serves its own zones only)",
    "SERVFAIL": "the resolver failed to resolve them (it cannot reach the domains' name servers, or their answers "
    "failed its DNSSEC validation)",
    "NOTIMP": "the resolver does not implement such queries",
    "FORMERR": "the resolver could not read the queries",
}


# What a resolver answering one query with an RCODE tells of it, and what the admin can do.
_RCODE_ONE = {
    "REFUSED": "the resolver does not resolve for this client (its access control leaves this address out, or it "
    "serves its own zones only): give --resolver the address of one that resolves for this machine",
    "SERVFAIL": "the resolver failed to resolve it (it cannot reach the domain's name servers, or their answers "
    "failed its DNSSEC validation): check the domain's delegation and DNSSEC at its registrar, or ask again later",
    "NOTIMP": "the resolver does not implement such queries: give --resolver the address of a recursive resolver",
    "FORMERR": "the resolver could not read the query: give --resolver the address of another resolver",
}


class NotDns(Exception):
    """A lookup's answer that is not a DNS answer to its query: bytes that are not a DNS message (RFC 1035
    section 4.1), or a message that answers another query. Raised by :class:`pic.dns_check.ConnectedNameserver`."""


def refused_lookup(exc: BaseException) -> bool:
    """True when every server a failed lookup asked refused it (dnspython's NoNameservers, each of its
    ``errors`` a ConnectionRefusedError): no DNS server listens at that address and port."""
    return failure(exc) == CONNECTION_REFUSED


def failure(exc: BaseException) -> str:
    """Why a failed lookup (dnspython's NoNameservers or Timeout, their ``errors`` one per query sent, each
    ``(server, tcp, port, exception or RCODE name, response)``) failed: :data:`CONNECTION_REFUSED` when each query
    was refused (ECONNREFUSED), :data:`NOT_DNS` when the resolver answered bytes that are not a DNS answer
    (:class:`NotDns`), the RCODE's name (``REFUSED``, ``SERVFAIL``: RFC 1035 section 4.1.1) when every answer had
    that one, "" when a query got no answer (a timeout), else each query's failure in words (``a truncated answer
    over UDP, then refused over TCP, nothing listening there``: the resolver did answer)."""
    return errors_failure(getattr(exc, "kwargs", {}).get("errors") or [])


def errors_failure(errors: Sequence[object]) -> str:
    """:func:`failure` of the queries' ``errors`` (dnspython's, one per query sent: ``(server, tcp, port, exception or
    RCODE name, response)``)."""
    import dns.exception

    causes: set[str] = set()
    for error in errors:
        what = error[3] if isinstance(error, tuple) and len(error) > 3 else None
        if isinstance(what, ConnectionRefusedError):
            causes.add(CONNECTION_REFUSED)
        elif isinstance(what, NotDns):
            causes.add(NOT_DNS)
        elif isinstance(what, str) and what:
            causes.add(what)
        elif what is None or isinstance(what, dns.exception.Timeout):
            return ""
        else:
            causes.add(_query_failure(error))
    if len(causes) > 1:
        return ", then ".join(dict.fromkeys(_query_failure(e) for e in errors))
    return causes.pop() if causes else ""


def _is_rcode(cause: str) -> bool:
    """True when the cause ``cause`` (:func:`failure`) is an RCODE's name (``REFUSED``; ``3841``, dnspython's text of
    one it does not name): RFC 1035 section 4.1.1, RFC 6895 section 2.3."""
    return bool(cause) and cause.replace("_", "").isalnum() and cause.upper() == cause


class Unanswered:
    """The names looked up so far, and whether any was answered."""

    def __init__(self) -> None:
        self._answered: dict[str, bool] = {}
        self._causes: dict[str, str] = {}

    def note(self, name: str, answered: bool, *, refused: bool = False, cause: str = "") -> None:
        """One lookup of ``name``: answered (records, none, or no such domain), or not: ``cause`` (:func:`failure`)
        says why: "" for a timeout, an RCODE's name, or each query's failure in words; ``refused`` is the cause
        :data:`CONNECTION_REFUSED` (nothing listens there)."""
        self._answered[name] = self._answered.get(name, False) or answered
        if not answered:
            self._causes[name] = CONNECTION_REFUSED if refused else cause

    @property
    def down(self) -> bool:
        """True when the first :data:`FIRST` names looked up all went unanswered: ask no more."""
        return len(self._answered) >= FIRST and self.none_answered

    @property
    def none_answered(self) -> bool:
        """True when names were looked up and not one was answered."""
        return bool(self._answered) and not any(self._answered.values())

    def why(self, timeout: float | None = None) -> str:
        """What the resolver did with the names looked up, to follow its name (``resolver 192.0.2.53 port 53``):
        ``no DNS answer at all (names), 5 seconds waited for each: ...`` (``timeout``: the seconds each lookup was
        allowed, named when given), or, when it answered each with the same error, that error and what
        it tells (``answered every query REFUSED (names): the resolver does not resolve for this client``), or, each
        failing otherwise, how (``gave no usable answer to any query (names): a truncated answer over UDP, then
        refused over TCP, nothing listening there; ...``)."""
        asked = ", ".join(sorted(self._answered))
        causes = {self._causes.get(name, "") for name, answered in self._answered.items() if not answered}
        cause = causes.pop() if len(causes) == 1 else ""
        if cause == CONNECTION_REFUSED:
            return (
                f"no DNS answer at all ({asked}): every query was refused, no DNS server listens at that address "
                "and port"
            )
        if cause == NOT_DNS:
            return (
                f"answered every query with bytes that are not a DNS answer ({asked}): what listens at that address "
                "and port does not speak DNS (is it the resolver's port?)"
            )
        if _is_rcode(cause):
            meaning = _RCODE_MEANING.get(cause, "the resolver resolved none of them")
            return f"answered every query {cause} ({asked}): {meaning}"
        if cause:
            return (
                f"gave no usable answer to any query ({asked}): {cause}; check what listens at that address and "
                "port, or give another resolver"
            )
        waited = "" if timeout is None else f" in {seconds_words(timeout)}"
        if len(causes) > 1:
            said = ", ".join(sorted(c or f"no answer{waited}" for c in causes))
            return f"resolved none of the names ({asked}): {said}"
        each = "" if timeout is None else f", {seconds_words(timeout)} waited for each"
        return f"no DNS answer at all ({asked}){each}: is the network reachable?"


def seconds_words(seconds: float) -> str:
    """``1 second``, ``0.5 seconds``, ``2 seconds``: a duration as a message says it (singular for one)."""
    return "1 second" if seconds == 1 else f"{seconds:g} seconds"


def _query_failure(error: object) -> str:
    """One query's failure in a dnspython resolution's ``errors`` (``(server, tcp, port, exception or RCODE name,
    response)``), in words: ``answered REFUSED``, ``a truncated answer over UDP``..."""
    import dns.exception
    import dns.message

    what = error[3] if isinstance(error, tuple) and len(error) > 3 else None
    over = "TCP" if isinstance(error, tuple) and len(error) > 1 and error[1] else "UDP"
    if isinstance(what, str) and what:
        return f"answered {what}"
    kinds: list[tuple[type[BaseException], str]] = [  # the first that matches: NotDns is a FormError too
        (ConnectionRefusedError, "refused over {over}, nothing listening there"),
        (NotDns, "bytes that are not a DNS answer over {over}"),
        (dns.message.Truncated, "a truncated answer over {over}"),
        (dns.exception.Timeout, "no answer in time over {over}"),
        (EOFError, "the connection closed before an answer over {over}"),
        (dns.exception.FormError, "a malformed answer over {over}"),
        (OSError, "a network error over {over} ({errno})"),
    ]
    for kind, words in kinds:
        if isinstance(what, kind):
            errno = getattr(what, "strerror", None) or type(what).__name__
            return words.format(over=over, errno=errno)
    return f"an answer that could not be used over {over}"


def bad_name(exc: BaseException, name: str) -> str:
    """What makes a name no DNS name (dnspython's exceptions of ``dns.name.from_text``), after RFC 1035 section
    2.3.4 (labels of 63 octets at most, names of 255) and RFC 5891 (IDNA), or of its record type (NoMetaqueries: RFC
    6895 section 3.1); "" for any other exception."""
    import dns.name
    import dns.resolver

    if isinstance(exc, dns.name.LabelTooLong):
        longest = max(_label_octets(label) for label in _labels(name))
        return f"a label of {longest} octets, over the 63 of RFC 1035 section 2.3.4"
    kinds: list[tuple[type[BaseException], str]] = [
        (dns.name.NameTooLong, "over the 255 octets of RFC 1035 section 2.3.4"),
        (dns.name.EmptyLabel, "an empty label (two dots in a row, or a leading dot)"),
        (dns.name.BadEscape, "a backslash that escapes nothing"),
        (dns.name.IDNAException, "a label that is no internationalized domain name (RFC 5891)"),
        (dns.resolver.NoMetaqueries, "its record type is a meta-type (RFC 6895 section 3.1), which is not looked up"),
    ]
    return next((words for kind, words in kinds if isinstance(exc, kind)), "")


# The dots that end a label: '.', and those IDNA reads as one (RFC 3490 section 3.1), as dnspython does
_DOTS = ".\u3002\uff0e\uff61"


def _labels(name: str) -> list[str]:
    """The labels of ``name`` as written, each escape (``\\.``, ``\\097``: RFC 1035 section 5.1) read as one
    character (``\\DDD`` as an ASCII one, an octet): ``a\\.b.org`` is ``a.b`` and ``org``."""
    labels, label, i = [], "", 0
    while i < len(name):
        char = name[i]
        if char == "\\" and name[i + 1 : i + 4].isdigit() and len(name[i + 1 : i + 4]) == 3:
            label, i = label + "x", i + 4  # an octet, whatever its value
            continue
        if char == "\\" and i + 1 < len(name):
            label, i = label + name[i + 1], i + 2
            continue
        if char in _DOTS:
            labels.append(label)
            label = ""
        else:
            label += char
        i += 1
    return [*labels, label]


def _label_octets(label: str) -> int:
    """The octets of ``label`` in DNS: its characters when ASCII, else its IDNA form (``xn--`` and the Punycode of its
    nameprep form, RFC 3490 section 4.1 and RFC 3492; the fullwidth ``ａ`` is ``a``), else its UTF-8 octets."""
    if label.isascii():
        return len(label)
    from encodings import idna

    try:
        prepared = idna.nameprep(label)
    except UnicodeError:
        return len(label.encode())
    return len(prepared) if prepared.isascii() else len("xn--") + len(prepared.encode("punycode"))


def said(exc: BaseException, name: str, rtype: str, timeout: float) -> str:
    """A failed lookup of ``name``'s ``rtype`` records (``A``, ``AAAA``, ``MX``...), any exception dnspython's
    ``Resolver.resolve`` raises, in the project's words: what happened, for which name and record type, what the
    admin can do; never dnspython's own text. ``timeout``: the seconds each lookup was allowed.

    NXDOMAIN and YXDOMAIN (RFC 1035 section 4.1.1, RFC 6672 section 2.2) are answers; NoNameservers is said by
    :func:`failure` (nothing listens, not DNS, the RCODE every answer had) or each query's failure; a Timeout
    (LifetimeTimeout) as no answer within ``timeout`` seconds; a name dnspython cannot ask (dns.name's LabelTooLong,
    NameTooLong, EmptyLabel..., NoMetaqueries) as what is wrong with it; any other DNSException by its kind."""
    import dns.exception
    import dns.resolver

    query = f"{name} {rtype}"
    bad = bad_name(exc, name)
    if bad:
        return f"{name} is not a name DNS can look up: {bad}; correct it where it is written"
    if isinstance(exc, dns.resolver.NXDOMAIN):
        return (
            f"no such domain (NXDOMAIN): the resolver says {name} does not exist; check that the domain is registered "
            "and delegated to its name servers (its registrar), and its spelling in the member's file"
        )
    if isinstance(exc, dns.resolver.YXDOMAIN):
        return _yxdomain(query)
    if isinstance(exc, dns.exception.Timeout):
        return (
            f"no answer for {query} within {seconds_words(timeout)}: the resolver or the network is slow or "
            "drops such queries; ask again, with a longer --timeout"
        )
    if isinstance(exc, dns.resolver.NoNameservers):
        return queries_said(getattr(exc, "kwargs", {}).get("errors") or [], name, rtype, timeout)
    return f"the lookup of {query} failed ({type(exc).__name__}): ask again, or another resolver with --resolver"


def queries_said(errors: Sequence[object], name: str, rtype: str, timeout: float) -> str:
    """The queries for ``name``'s ``rtype`` records that all failed, ``errors`` one per query sent as dnspython's
    NoNameservers holds them (``(server, tcp, port, exception or RCODE name, response)``), in the words of
    :func:`said`: by :func:`failure` (nothing listens, not DNS, the RCODE every answer had), a timeout of the last
    query as no answer within ``timeout`` seconds, else each query's failure. Of dnspython's resolver (through
    :func:`said`), or of queries sent to the resolver itself (:func:`pic.dns_check.lookup` reads the referral an NS
    query gets)."""
    import dns.exception

    query = f"{name} {rtype}"
    cause = errors_failure(errors)
    last = errors[-1] if errors else None
    if not cause and isinstance(last, tuple) and len(last) > 3 and isinstance(last[3], dns.exception.Timeout):
        return said(last[3], name, rtype, timeout)
    if cause == CONNECTION_REFUSED:
        return (
            f"the query for {query} was refused: no DNS server listens at the resolver's address and port "
            "(check --resolver and --port, or pic:dns.resolver)"
        )
    if cause == NOT_DNS:
        return (
            f"the resolver answered {query} with bytes that are not a DNS answer: what listens at that address "
            "and port does not speak DNS (is --port the resolver's port?)"
        )
    if cause == "YXDOMAIN":
        return _yxdomain(query)
    if _is_rcode(cause):
        meaning = _RCODE_ONE.get(cause, "the resolver did not resolve it: ask another with --resolver")
        return f"the resolver answered {query} {cause}: {meaning}"
    failures = ", then ".join(dict.fromkeys(_query_failure(e) for e in errors)) or "no query could be sent"
    return f"no usable answer for {query} ({failures}): ask again, or another resolver with --resolver"


def _yxdomain(query: str) -> str:
    """A YXDOMAIN answer to ``query`` (``example.org A``) in words: RFC 6672 section 2.2."""
    return (
        f"the resolver answered {query} YXDOMAIN: a DNAME record of its zone rewrites the name into one longer "
        "than DNS allows (RFC 6672 section 2.2); the zone's DNAME record needs fixing"
    )
