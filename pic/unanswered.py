"""When the names a command looks up one after another all go unanswered: the resolver or the network is down.

``pic lists audit --mx``, ``pic dns check`` and ``pic status`` ask a resolver about one name after
another, each lookup allowed ``--timeout`` seconds. With the resolver or the network down, every name
would wait that long in turn (hours for a large list): each command stops once the first
:data:`FIRST` names it looked up all went unanswered, and says so with :meth:`Unanswered.why`.
A name answered, even "no such domain", shows the resolver is up: then none stops early.
A query refused (nothing listens at the resolver's address and port: the system says so at once, see
:class:`pic.dns_check.ConnectedNameserver`) is unanswered too, and said as such.
"""

from __future__ import annotations

FIRST = 3


def refused_lookup(exc: BaseException) -> bool:
    """True when every server a failed lookup asked refused it (dnspython's NoNameservers, each of its
    ``errors`` a ConnectionRefusedError): no DNS server listens at that address and port."""
    errors = getattr(exc, "kwargs", {}).get("errors") or []
    return bool(errors) and all(
        isinstance(error, tuple) and len(error) > 3 and isinstance(error[3], ConnectionRefusedError) for error in errors
    )


class Unanswered:
    """The names looked up so far, and whether any was answered."""

    def __init__(self) -> None:
        self._answered: dict[str, bool] = {}
        self._refused: set[str] = set()

    def note(self, name: str, answered: bool, *, refused: bool = False) -> None:
        """One lookup of ``name``: answered (records, none, or no such domain), or not (a timeout, no server;
        ``refused``: the query was refused, nothing listens there)."""
        self._answered[name] = self._answered.get(name, False) or answered
        if refused and not answered:
            self._refused.add(name)

    @property
    def down(self) -> bool:
        """True when the first :data:`FIRST` names looked up all went unanswered: ask no more."""
        return len(self._answered) >= FIRST and self.none_answered

    @property
    def none_answered(self) -> bool:
        """True when names were looked up and not one was answered."""
        return bool(self._answered) and not any(self._answered.values())

    def why(self) -> str:
        asked = ", ".join(sorted(self._answered))
        if self._refused and self._refused >= {name for name, answered in self._answered.items() if not answered}:
            return (
                f"no DNS answer at all ({asked}): every query was refused, no DNS server listens at that address "
                "and port"
            )
        return f"no DNS answer at all ({asked}): is the network reachable?"
