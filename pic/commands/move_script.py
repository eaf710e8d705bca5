"""``pic move-script SLUG --to HOST``: print the script that copies a member's space to another web host;
``pic move-script SLUG --retire-from HOST``: the one that retires the member from the host it left.

A move is two steps around one reviewed change (README "Moving a member to
another web host"): this script copies the member's files, certificate and
certbot lineage with rsync over ssh before the change is merged and once more
right after ``pulumi up``; then DNS is pointed at the new host. The script
deletes nothing, on either host. Last, ``--retire-from`` gives the script that
ends the member's access and jobs on the former host (pic.render.retire).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys

from pic.check import check
from pic.commands import about
from pic.errors import HIDDEN_VALUE, PicError, Problem, refused_may_be_secret, show_value
from pic.settings import display_path
from pic.validators import SLUG_WORDS, is_slug, slug_form_length, slug_of_name_meant


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "move-script",
        parents=[common],
        help="print the rsync-over-ssh script that copies a member's space to another web host",
        **about.COMMANDS["move-script"].parser_text(),
    )
    p.add_argument("slug", help="the member to move")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="HOST", help="the web host it moves to (before the change: copy its space)")
    where.add_argument(
        "--retire-from",
        metavar="HOST",
        help="the web host it left (after the change and pulumi up: remove its keys, lock its account, stop its "
        "jobs there; its files stay)",
    )


def run(args: argparse.Namespace, on: dt.date) -> int:
    """Print the script; raise PicError (exit 1) for an unknown member or host, a member already there
    (``--to``) or still there (``--retire-from``).

    The member's current host is the one its file names at the working tree: run this before editing
    ``host:`` (or with ``--members`` pointing at the files before the change).
    """
    checked = check(args.project, args.stack, args.members, on)
    member = next((m for m in checked.registry if m.slug == args.slug), None)
    if member is None and not is_slug(args.slug):
        # A path (../velo-cite, members/velo-cite.yaml) is no slug: never said to be no member as there is no
        # members/../velo-cite.yaml, a file that may exist. Said as pic new says it, with the member meant.
        slugs = [m.slug for m in checked.registry]
        # the slug of the file's name (members/VELO-CITE.yaml) or in another case or with _ for - (VELO-CITE,
        # Velo_Cite), which difflib sees as unlike
        meant = slug_of_name_meant(args.slug)
        close = [meant] if meant in slugs else difflib.get_close_matches(args.slug, slugs, n=1)
        length = slug_form_length(args.slug)
        why = f"{show_value(args.slug)} is not a valid slug: {SLUG_WORDS}" + (
            f"; did you mean {close[0]!r}?" if close else f"; {length}" if length else ""
        )
        raise PicError([Problem("<command line>", None, "slug", why)])
    if member is None:
        where = display_path(args.members / f"{args.slug}.yaml")
        close = difflib.get_close_matches(args.slug, [m.slug for m in checked.registry], n=1)
        # a slug that may be a password pasted there (velo75paris) is not shown, nor in the file's name
        hidden = refused_may_be_secret(args.slug)
        there = "no member file has that name" if hidden else f"there is no {where}"
        why = f"{HIDDEN_VALUE if hidden else show_value(args.slug)} is no member: {there}" + (
            f"; did you mean {close[0]!r}?" if close else ""
        )
        raise PicError([Problem("<command line>", None, "slug", why)])
    from pic.render import retire, web  # Jinja and the renderers: only for this command

    try:
        if args.to is not None:
            script = web.render_move_script(checked.settings, member, args.to)
        else:
            script = retire.render_retire_script(checked.settings, member, args.retire_from)
    except ValueError as exc:
        option = "--to" if args.to is not None else "--retire-from"
        raise PicError([Problem("<command line>", None, option, str(exc))]) from None
    sys.stdout.write(script)
    return 0
