"""PHP end-of-life policy, evaluated as of a given day.

- A runtime is ``supported`` until ``eol_warning_days`` before its ``eol``,
  then ``warning`` up to and including its ``eol`` day, then ``eol``.
- An active member whose site runs on a runtime in ``warning`` gets a warning
  naming its contact; on a runtime past ``eol`` it is an error, unless the
  member holds a ``php_eol`` exception whose ``until`` is not past (then a
  warning saying until when).
- A suspended member (its site answers 503, PHP does not run) is only warned.
  Archived members run nothing and are not concerned.
- A ``php_eol`` exception that keeps the site running on no day has no effect: a warning that it
  can be removed, whether or not its ``until`` is past (it never blocks a deploy). That is a member
  with no PHP site, or whose runtime is not past end of life on the day checked when the exception
  ends on or before that end of life or was granted for another runtime. One granted ahead, ending
  after the end of life of a runtime in its warning period, keeps the site running to its ``until``
  (:func:`runs_until`): the warning on ``site.php`` says so.
- A ``php_eol`` exception naming the ``runtime`` it was granted for does not cover a site on
  another runtime: an error naming both (ask for a new exception). A ``runtime`` the stack lacks
  is said to be none, with the stack's keys (an error when the site is past end of life, else a
  warning).
- Otherwise, a ``php_eol`` exception whose ``until`` is past is an error on its own: it
  must be renewed with a new date or removed, never left to rot (a warning for an
  archived member, which runs nothing: its file may wait for its next decision).
- A ``php_eol`` exception whose ``until`` is more than :data:`MAX_EXCEPTION_DAYS`
  (12 months) after the day of the check is an error too: an exception is a
  decision to keep unsupported software running, and it is taken again at
  least once a year, the period PCI DSS v4.0 (requirement 12.3.4) sets for
  reviewing the technologies in use, those at end of life included. A date
  years ahead (2099) would be an exception for good (a warning too for an archived member).
- A member on a runtime the admins have ``stopped`` is a warning: ``stopped`` is the admins' decision to stop
  every site on that runtime (a runtime found unsafe), so it is applied, not refused: the site answers 503, no
  container runs, until the member moves to another runtime (an error would stop every ``pulumi up`` and leave
  the containers running).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal

from pic.errors import Problem
from pic.registry import Member, PhpEolException, Registry, meant_runtime
from pic.settings import RuntimeSpec, Settings

RuntimeState = Literal["supported", "warning", "eol"]
MAX_EXCEPTION_DAYS = 366  # 12 months, whatever the leap years


@dataclass(frozen=True, eq=False, repr=False)
class RuntimeStatus:
    key: str
    spec: RuntimeSpec
    state: RuntimeState
    days_left: int  # negative once past end of life


def runtime_status(key: str, spec: RuntimeSpec, on: dt.date, warning_days: int) -> RuntimeStatus:
    days_left = (spec.eol - on).days
    state: RuntimeState
    if days_left < 0:
        state = "eol"
    elif days_left <= warning_days:
        state = "warning"
    else:
        state = "supported"
    return RuntimeStatus(key, spec, state, days_left)


def exception_for(member: Member) -> PhpEolException | None:
    """The member's ``php_eol`` exception when it covers the runtime its site is on (granted for no runtime in
    particular, or for that one), else None: one granted for 7.4 says nothing of a site moved to 8.2."""
    exc = member.spec.exceptions.php_eol
    return exc if exc is not None and exc.runtime in (None, member.runtime) else None


def exception_valid(member: Member, on: dt.date) -> bool:
    exc = exception_for(member)
    return exc is not None and exc.until >= on


# A day a message offers for an exception's end written otherwise ("2028-3-1": "write 2028-03-01")
_DAY_OFFERED = re.compile(r"\b([0-9]{4}-[0-9]{2}-[0-9]{2})\b")
_UNTIL = "exceptions.php_eol.until"


def days_offered(problems: list[Problem], on: dt.date) -> list[Problem]:
    """``problems`` where a day a file's own check offers for ``exceptions.php_eol.until`` (``write 2028-03-01``) is
    past as of ``on`` or more than :data:`MAX_EXCEPTION_DAYS` after it, told so after the offer (the check of one
    file knows no day of the check)."""
    out = []
    for problem in problems:
        said = []
        offered = (
            _DAY_OFFERED.findall(problem.message) if problem.path == _UNTIL and "write " in problem.message else []
        )
        for text in dict.fromkeys(offered):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                continue
            if day < on:
                said.append(f"but {text} is past (as of {on.isoformat()})")
            elif (day - on).days > MAX_EXCEPTION_DAYS:
                latest = on + dt.timedelta(days=MAX_EXCEPTION_DAYS)
                said.append(
                    f"but {text} is {(day - on).days} days after {on.isoformat()}: an exception to end of life lasts "
                    f"at most 12 months ({MAX_EXCEPTION_DAYS} days); give {latest.isoformat()} at the latest"
                )
        out.append(replace(problem, message=f"{problem.message}; {'; '.join(said)}") if said else problem)
    return out


def exception_too_long(m: Member, on: dt.date, severity: Literal["error", "warning"] = "error") -> Problem | None:
    """The problem of an exception of ``m`` lasting more than :data:`MAX_EXCEPTION_DAYS` after ``on``, if it does."""
    exc = m.spec.exceptions.php_eol
    if exc is None or (exc.until - on).days <= MAX_EXCEPTION_DAYS:
        return None
    latest = on + dt.timedelta(days=MAX_EXCEPTION_DAYS)
    return Problem(
        m.file,
        m.line_of("exceptions", "php_eol", "until"),
        "exceptions.php_eol.until",
        f"{exc.until.isoformat()} is {(exc.until - on).days} days after {on.isoformat()}: an exception "
        f"to end of life lasts at most 12 months ({MAX_EXCEPTION_DAYS} days), then is decided again; "
        f"give {latest.isoformat()} at the latest",
        severity,
    )


def _no_effect(m: Member, statuses: dict[str, RuntimeStatus]) -> str | None:
    """Why the ``php_eol`` exception of ``m`` keeps its site running on no day, or None when it may: the member has
    no PHP site; or its runtime is not past its end of life and the exception either was granted for another
    runtime or ends no later than that end of life (eol.runs_until: a site runs to the later of the two, so an
    exception ending after it, granted ahead, does keep the site running past it)."""
    exc = m.spec.exceptions.php_eol
    key = m.runtime
    if exc is None:
        return None
    if key is None or key not in statuses:
        return "the member has no PHP site" if key is None else None  # an unknown runtime: site.php's own error
    st = statuses[key]
    if st.state == "eol":
        return None
    if exc.runtime is not None and exc.runtime != key:
        return f"granted for runtime {exc.runtime}, the site is on {key}, which is not past its end of life"
    if exc.until <= st.spec.eol:
        return (
            f"runtime {key} is not past its end of life, and reaches it on {st.spec.eol.isoformat()}, "
            "not before the exception ends"
        )
    return None


def _exception_problems(
    m: Member, statuses: dict[str, RuntimeStatus], on: dt.date, dated: Literal["error", "warning"], stack: str
) -> list[Problem]:
    """The problems of the ``php_eol`` exception of ``m`` on day ``on``, if it holds one; ``statuses`` by runtime
    key, oldest first; ``stack`` the stack's name, for a message."""
    exc = m.spec.exceptions.php_eol
    key = m.runtime
    out: list[Problem] = []
    if exc is None:
        return out
    if exc.runtime is not None and exc.runtime not in statuses:
        # A key the stack lacks: a typo ("7.40") or a runtime removed since; it covers no site. An error where
        # the site needs an exception (on a runtime past its end of life), else a warning.
        needed = key is not None and key in statuses and statuses[key].state == "eol"
        meant = meant_runtime(exc.runtime, list(statuses))
        out.append(
            Problem(
                m.file,
                m.line_of("exceptions", "php_eol", "runtime"),
                "exceptions.php_eol.runtime",
                f'"{exc.runtime}" is not a runtime of stack {stack} (known: {", ".join(statuses)})'
                + (f"; did you mean {meant!r}?" if meant is not None else ""),
                dated if needed else "warning",
            )
        )
        return out  # its dates are beside the point
    no_effect = _no_effect(m, statuses)
    if no_effect is not None:
        # Not needed, on this day or after it: told, never blocking, whether or not its date is past.
        out.append(
            Problem(
                m.file,
                m.line_of("exceptions", "php_eol", "until"),
                "exceptions.php_eol.until",
                f"{exc.until.isoformat()}: the exception has no effect as of {on.isoformat()} ({no_effect}): "
                "it can be removed",
                "warning",
            )
        )
    elif exc.runtime is not None and exc.runtime != key:
        out.append(
            Problem(
                m.file,
                m.line_of("exceptions", "php_eol", "runtime"),
                "exceptions.php_eol.runtime",
                f'"{exc.runtime}": the exception was granted for runtime {exc.runtime}, the site is on '
                f'site.php "{key}": it does not cover it; ask for a new exception for {key} '
                "or move the site to a supported runtime",
                dated,
            )
        )
        return out  # its dates are beside the point
    elif exc.until < on:
        out.append(
            Problem(
                m.file,
                m.line_of("exceptions", "php_eol", "until"),
                "exceptions.php_eol.until",
                f"{exc.until.isoformat()} is past (as of {on.isoformat()}): renew the exception "
                "with a new date or remove it"
                + (
                    " (the member is archived: nothing runs; it is decided again before it is active)"
                    if dated == "warning"
                    else ""
                ),
                dated,
            )
        )
    too_long = exception_too_long(m, on, dated) if exc is not None else None
    if too_long is not None:
        out.append(too_long)
    return out


def _last_day_said(status: str) -> str:
    """What the warning on an exception's last day says of the site, by the member's ``status``: an active one's
    stops tomorrow; a suspended one's answers 503 already (no PHP runs), and may run on the runtime tonight at most."""
    if status == "active":
        return "its last day: the site stops tomorrow"
    return f"its last day: the site, {status}, may run on it until tonight if put back today, not after"


def evaluate(registry: Registry, settings: Settings, on: dt.date) -> list[Problem]:
    """Warnings and errors of the end-of-life policy on day ``on``."""
    statuses = {
        k: runtime_status(k, settings.runtimes[k], on, settings.eol_warning_days) for k in settings.runtime_keys()
    }
    out: list[Problem] = []
    for m in registry:
        exc = m.spec.exceptions.php_eol
        # An archived member runs nothing: its exception's dates are told, and block nothing.
        dated: Literal["error", "warning"] = "warning" if m.status == "archived" else "error"
        key = m.runtime
        out.extend(_exception_problems(m, statuses, on, dated, settings.stack))
        too_long = exception_too_long(m, on, dated) is not None
        if key is None or m.status == "archived" or key not in statuses:
            continue
        st = statuses[key]
        if st.state == "supported" and not st.spec.stopped:  # most members: nothing to tell
            continue
        line = m.line_of("site", "php")
        who = f"contact {m.spec.contact.name} <{m.spec.contact.email}>"
        severity: Literal["error", "warning"] = "error" if m.status == "active" else "warning"
        if st.spec.stopped:  # the admins' decision: applied, each member told (a warning, not a refusal)
            runs = "its site answers 503 (no container) from the next pulumi up" if m.status == "active" else ""
            out.append(
                Problem(
                    m.file,
                    line,
                    "site.php",
                    f'"{key}": runtime {key} is stopped by the admins{"; " + runs if runs else ""}; move the site to '
                    f"a supported runtime ({who})",
                    "warning",
                )
            )
        elif st.state == "eol":
            ended = f"runtime {key} reached its end of life on {st.spec.eol.isoformat()}"
            if exception_valid(m, on) and exc is not None:
                if not too_long:  # else the exception's own error above says it all
                    out.append(
                        Problem(
                            m.file,
                            line,
                            "site.php",
                            f'"{key}": {ended}; allowed by exception until {exc.until.isoformat()}'
                            + (f", today, {_last_day_said(m.status)}" if exc.until == on else "")
                            + f" ({who})",
                            "warning",
                        )
                    )
            else:
                out.append(
                    Problem(
                        m.file,
                        line,
                        "site.php",
                        f'"{key}": {ended} and the member holds no valid '
                        f"exceptions.php_eol: move the site to a supported runtime ({who})",
                        severity,
                    )
                )
        elif st.state == "warning":
            granted = exception_for(m) if exception_valid(m, on) else None
            ahead = (
                f"; allowed by exception until {granted.until.isoformat()}"
                if granted is not None and granted.until > st.spec.eol
                else ""
            )
            out.append(
                Problem(
                    m.file,
                    line,
                    "site.php",
                    f'"{key}": runtime {key} reaches its end of life on '
                    f"{st.spec.eol.isoformat()}, {_in_days(st.days_left)}{ahead}; plan the move with {who}",
                    "warning",
                )
            )
    return out


def _in_days(days: int) -> str:
    """When an end of life comes, after its date: ``in 33 days``, ``tomorrow``, ``today`` (its last day)."""
    return {0: "today (its last day)", 1: "tomorrow"}.get(days, f"in {days} days")


def runs_until(member: Member, spec: RuntimeSpec, on: dt.date) -> dt.date | None:
    """The last day the site of ``member`` may run on its runtime ``spec``, as the rules stand on ``on``.

    None when it may not run now: the runtime is stopped, or past its end of life
    without a valid exception. Otherwise the end-of-life day, or the ``until`` of
    a valid exception when that is later: the site is stopped the day after. This
    holds whatever the member's status (a suspended site would run until then if
    it were reactivated).
    """
    if spec.stopped:
        return None
    exc = member.spec.exceptions.php_eol
    covered = exc.until if exc is not None and exception_valid(member, on) else None
    if spec.eol < on:
        return covered
    return max(spec.eol, covered) if covered is not None else spec.eol


def newest_supported(settings: Settings, on: dt.date) -> str | None:
    """The newest runtime that is not stopped and not past end of life on ``on``."""
    for key in reversed(settings.runtime_keys()):
        spec = settings.runtimes[key]
        if not spec.stopped and runtime_status(key, spec, on, settings.eol_warning_days).state != "eol":
            return key
    return None


SiteState = Literal["running", "suspended", "refused", "archived", "none"]


def site_state(member: Member, settings: Settings, on: dt.date) -> SiteState:
    """What becomes of a member's site on day ``on``.

    - ``none``: no site; ``archived``: nothing runs, data kept;
    - ``suspended``: the proxy answers 503, no container;
    - ``refused``: its runtime is stopped, or past end of life without a
      valid exception: no container, the proxy answers 503;
    - ``running``: a container serves it.
    """
    if member.site is None:
        return "none"
    if member.status == "archived":
        return "archived"
    if member.status == "suspended":
        return "suspended"
    key = member.runtime
    if key is not None:
        spec = settings.runtimes[key]
        if spec.stopped:
            return "refused"
        state = runtime_status(key, spec, on, settings.eol_warning_days).state
        if state == "eol" and not exception_valid(member, on):
            return "refused"
    return "running"
