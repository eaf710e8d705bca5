"""When the names a command looks up one after another all go unanswered: the resolver or the network is down.

``pic lists audit --mx``, ``pic dns check`` and ``pic status`` ask a resolver about one name after
another, each lookup allowed ``--timeout`` seconds. With the resolver or the network down, every name
would wait that long in turn (hours for a large list): each command stops once the first
:data:`FIRST` names it looked up all went unanswered, and says so with :meth:`Unanswered.why`.
A name answered, even "no such domain", shows the resolver is up: then none stops early.
"""

from __future__ import annotations

FIRST = 3


class Unanswered:
    """The names looked up so far, and whether any was answered."""

    def __init__(self) -> None:
        self._answered: dict[str, bool] = {}

    def note(self, name: str, answered: bool) -> None:
        """One lookup of ``name``: answered (records, none, or no such domain), or not (a timeout, no server)."""
        self._answered[name] = self._answered.get(name, False) or answered

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
        return f"no DNS answer at all ({asked}): is the network reachable?"
