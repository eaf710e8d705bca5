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

FIRST = 3

# The failure of a lookup (:func:`failure`): nothing listens at the resolver's address and port (the system's
# ECONNREFUSED); the resolver answered bytes that are not a DNS answer; else an RCODE's name, or "" (no answer).
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
    that one, else "" (no answer: a timeout, or failures of several kinds)."""
    errors = getattr(exc, "kwargs", {}).get("errors") or []
    causes: set[str] = set()
    for error in errors:
        what = error[3] if isinstance(error, tuple) and len(error) > 3 else None
        if isinstance(what, ConnectionRefusedError):
            causes.add(CONNECTION_REFUSED)
        elif isinstance(what, NotDns):
            causes.add(NOT_DNS)
        elif isinstance(what, str) and what:
            causes.add(what)
        else:
            return ""
    return causes.pop() if len(causes) == 1 else ""


class Unanswered:
    """The names looked up so far, and whether any was answered."""

    def __init__(self) -> None:
        self._answered: dict[str, bool] = {}
        self._causes: dict[str, str] = {}

    def note(self, name: str, answered: bool, *, refused: bool = False, cause: str = "") -> None:
        """One lookup of ``name``: answered (records, none, or no such domain), or not: ``cause`` (:func:`failure`)
        says why, "" for a timeout; ``refused`` is the cause :data:`CONNECTION_REFUSED` (nothing listens there)."""
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

    def why(self) -> str:
        """What the resolver did with the names looked up, to follow its name (``resolver 192.0.2.53 port 53``):
        ``no DNS answer at all (names): ...``, or, when it answered each with the same error, that error and what
        it tells (``answered every query REFUSED (names): the resolver does not resolve for this client``)."""
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
        if cause:
            meaning = _RCODE_MEANING.get(cause, "the resolver resolved none of them")
            return f"answered every query {cause} ({asked}): {meaning}"
        if len(causes) > 1:
            said = ", ".join(sorted(c or "no answer" for c in causes))
            return f"resolved none of the names ({asked}): {said}"
        return f"no DNS answer at all ({asked}): is the network reachable?"
