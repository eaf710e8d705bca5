"""``pic move-script SLUG --to HOST``: print the script that copies a member's space to another web host.

A move is two steps around one reviewed change (README "Moving a member to
another web host"): this script copies the member's files, certificate and
certbot lineage with rsync over ssh before the change is merged and once more
right after ``pulumi up``; then DNS is pointed at the new host. The script
deletes nothing, on either host.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from pic.check import check
from pic.errors import PicError, Problem


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "move-script",
        parents=[common],
        help="print the rsync-over-ssh script that copies a member's space to another web host",
    )
    p.add_argument("slug", help="the member to move")
    p.add_argument("--to", required=True, metavar="HOST", help="the web host it moves to")


def run(args: argparse.Namespace, on: dt.date) -> int:
    """Print the script; raise PicError (exit 1) for an unknown member or host, or a member already there.

    The member's current host is the one its file names at the working tree: run this before editing
    ``host:`` (or with ``--members`` pointing at the files before the change).
    """
    checked = check(args.project, args.stack, args.members, on)
    member = next((m for m in checked.registry if m.slug == args.slug), None)
    if member is None:
        raise PicError([Problem("<command line>", None, "slug", f"{args.slug!r} is not a member of {args.members}")])
    from pic.render import web  # Jinja and the renderers: only for this command

    try:
        script = web.render_move_script(checked.settings, member, args.to)
    except ValueError as exc:
        raise PicError([Problem("<command line>", None, "--to", str(exc))]) from None
    sys.stdout.write(script)
    return 0
