"""Commands of ``pic`` that have a home of their own: one module per subcommand.

Each module has ``add_parser(sub, common)`` (its argument wiring) and
``run(args, on) -> int`` (exit status); ``pic/cli.py`` only dispatches. The
core (registry, settings, report, render) never imports from here.
"""

from __future__ import annotations

import argparse
import datetime as dt

from pic.days import parse_day


def date_argument(text: str) -> dt.date:
    """An argparse type: a day written YYYY-MM-DD (the one parser of every ``--on``)."""
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
