"""What each command does and its exit statuses: the one text of its ``--help`` and of README's table of commands.

Each :class:`About` is written in Markdown, as README's table holds it (code spans, links to README's sections):
README's row of a command is :meth:`About.readme_cells` (tests/test_cli.py compares them), and ``--help`` shows
:meth:`About.description` and :meth:`About.epilog`, the same words as plain text. A row of the table changed
in one place and not the other is a failing test, not two texts that drift apart.
"""

from __future__ import annotations

import argparse
import re
import textwrap
from dataclasses import dataclass
from typing import Any

# The statuses of every command (pic.cli.run_command), after its own.
EVERY_COMMAND = (
    (74, "the output cannot be written (a full disk, a closed standard output or error)"),
    (129, "stopped by SIGHUP (its terminal closed), what it made taken away"),
    (130, "interrupted (Ctrl-C)"),
    (141, "the output's reader stopped early (`pic report | head`)"),
    (143, "stopped by SIGTERM (kill, a timer's stop), what it made taken away"),
)
_USAGE = "usage error"
# A file of another kind given to an option: told which it is, a usage error whatever the option (pic.filekinds)
_KIND = "another of the project's files (`--disk-usage Pulumi.prod.yaml`), certificates in PEM or a private key"
_LINK = re.compile(r"\[([^\]]+)\]\(#[^)]+\)")  # a link to a section of README.md: [Mailing lists](#mailing-lists)


def plain(markdown: str) -> str:
    """The Markdown of a cell as text for a terminal: code spans without their backticks, a link to a section of
    README.md as ``README.md "<section>"``, ``\\|`` (a pipe inside a table's cell) as ``|``."""
    return _LINK.sub(r'README.md "\1"', markdown).replace("`", "").replace("\\|", "|")


@dataclass(frozen=True, eq=False, repr=False)
class About:
    """A command: what it does (one paragraph) and its exit statuses, each ``(status, meaning)``, in Markdown."""

    does: str
    exits: tuple[tuple[int, str], ...]

    def readme_cells(self) -> tuple[str, str]:
        """README's cells "what it does" and "exit status" of the command's row."""
        return self.does, ", ".join(f"{status} {meaning}" for status, meaning in self.exits)

    def description(self) -> str:
        """The paragraph of ``--help`` (argparse's ``description``): what the command does, as a sentence."""
        text = plain(self.does)
        return f"{text[:1].upper()}{text[1:]}."

    def epilog(self) -> str:
        """The exit statuses of ``--help`` (argparse's ``epilog``): one per line, the command's then every
        command's; :class:`HelpFormatter` wraps each under its meaning."""
        rows = [*self.exits, *EVERY_COMMAND]
        return "exit status:\n" + "\n".join(f"  {status:<4} {plain(meaning)}" for status, meaning in rows)

    def parser_text(self) -> dict[str, Any]:
        """The keyword arguments of ``add_parser`` that give the command's ``--help`` this text."""
        return {"description": self.description(), "epilog": self.epilog(), "formatter_class": HelpFormatter}


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, but a description or epilog keeps its lines: each is wrapped to the terminal's width
    alone, a line indented (``  0    valid``) under the text after its status, so that a list of exit statuses
    stays a list."""

    _HANGING = re.compile(r"( *(?:[0-9]+ +)?)")

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            lead = self._HANGING.match(line)
            prefix = lead.group(1) if lead is not None and line.strip() else ""
            lines.append(
                textwrap.fill(
                    line[len(prefix) :],
                    width,
                    initial_indent=indent + prefix,
                    subsequent_indent=indent + " " * len(prefix),
                    break_on_hyphens=False,
                )
                if line.strip()
                else ""
            )
        return "\n".join(lines)


COMMANDS: dict[str, About] = {
    "check": About(
        "validates every member file, the checks across files, the stack settings and the PHP end-of-life policy "
        "as of a day; prints warnings and errors",
        ((0, "valid (warnings allowed)"), (1, "invalid"), (2, _USAGE)),
    ),
    "report": About(
        "per runtime: sites, end of life, days left, state; members to contact and when `pic notify` told them "
        "(counted as of `--on`: a notice dated after it told nobody yet; one dated after today is a warning; a "
        "`--record` that does not exist is a warning: every member shown not told); counts; the members' disk usage "
        "against their soft limits",
        (
            (0, "reported (lines of the disk usage files not counted are warnings)"),
            (
                1,
                "the registry, the stack settings, the record of `pic notify` or a disk usage file is refused (see "
                "[Disk usage of the members]"
                "(#disk-usage-of-the-members))",
            ),
            (
                2,
                f"{_USAGE} (a `--record` or `--disk-usage` that cannot be read, or a file that holds {_KIND}; a "
                "`--record` in the members directory "
                "or the disk usage directory, a `Pulumi*.yaml` of the project or a disk usage file, or another name of "
                "one of their files)",
            ),
        ),
    ),
    "new": About(
        "writes `SLUG.yaml` in `--members` (default `members/` of `--project`) with a uid never used in the "
        "repository's history and the newest supported runtime (with a warning when it is within "
        "`eol_warning_days` of its end of life, all newer ones past theirs); refuses an existing slug and any name "
        "(slug, domain) already taken by a member or the platform",
        (
            (0, "written"),
            (1, "the registry or the stack settings invalid, or the slug or a name already taken (nothing written)"),
            (2, _USAGE),
        ),
    ),
    "schema": About(
        "prints the JSON Schema of a member file (`schema/member.schema.json`): the model's alone, one for every "
        "stack, so `--stack`, `--project` and `--members` are refused, not ignored (a runtime or a host is checked "
        "there by its form; whether the stack has it, and what the other members hold, by `pic check`)",
        ((0, "printed"), (2, _USAGE)),
    ),
    "dns check": About(
        "looks up the SPF, DKIM and DMARC records of every list domain, the delegation of every zone NSD serves "
        "(backend `zonefile`) and the SPF record of every domain a PHP site sends mail from, and says, per domain, "
        "which are present, missing, different, duplicated or unanswered (see [Mailing lists](#mailing-lists))",
        (
            (0, "all present"),
            (
                1,
                "a record missing, different, duplicated or unanswered (the resolver answering none of the first "
                "three domains included), or invalid input",
            ),
            (2, f"{_USAGE} (an `--expected` that cannot be read, or holds {_KIND})"),
        ),
    ),
    "lists audit": About(
        "reads subscriber exports and lists addresses at dead or misspelt domains (gmail.fr, voila.fr, gmial.com, "
        "hotmail.fe, ...), unknown top-level domains, public suffixes (x@co.uk), malformed addresses and those "
        "Sympa does not take (letters outside ASCII: a domain in Unicode is suggested in punycode, but a look-alike "
        "of another domain), and lines holding a password (never shown), each with a suggested fix",
        (
            (0, "clean (an export holding no address is warned of, naming it: likelier a failed export)"),
            (
                1,
                "addresses to fix (or, with `--mx`, whose domain could not be looked up) or an export or "
                "`--domains` file refused (not UTF-8, not of its format, an export that is another of the project's "
                "files: file and line named; the other exports are audited all the same, their findings printed "
                "first)",
            ),
            (
                2,
                f"{_USAGE} (an export or a `--domains` file that cannot be read, a `--domains` file that holds "
                f"{_KIND})",
            ),
        ),
    ),
    "notify": About(
        "writes to each member to contact (runtime near or past its end of life) through the stack's SMTP server, "
        "once per period, one message per contact address naming every member due that gives it; records per member "
        "what was accepted (see [Operations (for admins)](#operations-for-admins)); "
        "`--on` another day than today with `--dry-run` only; a `--record` that does not exist is refused unless "
        "`--new-record` says to start it (a warning with `--dry-run`)",
        (
            (0, "sent (or nothing due)"),
            (
                1,
                "invalid input, a record that cannot be written, a `--record` that does not exist without "
                "`--new-record`, or a password that cannot be read (nothing sent), or a message sent that the "
                "record failed to keep",
            ),
            (
                2,
                f"{_USAGE} (`--on` another day without `--dry-run`; a `--record` that holds {_KIND}; a `--record` in "
                "the members directory or the "
                "disk usage directory, a `Pulumi*.yaml` of the project or a disk usage file, or another name of one of "
                "their files)",
            ),
            (
                3,
                "a message refused (none of the members it named recorded), or not sent for an address with "
                "letters outside ASCII before the @ on a server without SMTPUTF8 (the others sent), or the server "
                "not reached",
            ),
        ),
    ),
    "status": About(
        "every member domain and the platform's own: DNS answer against its web host, certificate issuer and days "
        "left, http→https redirect, the PHP runtime that answers, response time; disk usage against the soft limits",
        (
            (0, "all good"),
            (1, "invalid input"),
            (2, f"{_USAGE} (a `--ca-file` or `--disk-usage` that cannot be read, or a file that holds {_KIND})"),
            (3, "something needs action (the resolver answering none of the first three names included)"),
            (4, "warnings only"),
        ),
    ),
    "plan": About(
        "runs the program under mocks: every resource by host and member; with `--against`, what the change adds, "
        "changes, replaces and removes, by member, with hosts before and after, moves and downtime (see "
        "[Reviewing a change](#reviewing-a-change-pic-plan)); `markdown` is the pull-request comment",
        (
            (0, "nothing at stake"),
            (1, "invalid"),
            (2, _USAGE),
            (
                3,
                "a stateful resource deleted, replaced or unprotected, a uid changed, or members' data left behind",
            ),
            (4, "a member moves to another web host"),
        ),
    ),
    "move-script": About(
        "prints the rsync-over-ssh script that copies a member's space, certificate and certbot lineage to another "
        "web host; after the move, the script that ends its access and jobs on the host it left, keeping its files "
        "(see [Moving a member to another web host](#moving-a-member-to-another-web-host))",
        (
            (0, "printed"),
            (
                1,
                "unknown member or host, a value that is no slug (`../velo-cite`), a host of `connection: local` "
                "(the dev stack: every host is the admin's own machine, nothing to copy or retire), or a member "
                "already on the `--to` host or still on the `--retire-from` one",
            ),
            (2, _USAGE),
        ),
    ),
}

# The commands that only hold others (pic dns, pic lists): not in README's table, which lists what they hold.
GROUPS: dict[str, About] = {
    "dns": About(
        "the DNS records of the platform's domains: `pic dns check` (its `--help` says what it looks up)",
        ((2, f"{_USAGE} (no SUBCOMMAND, or one unknown); else the status of the SUBCOMMAND"),),
    ),
    "lists": About(
        "the subscribers of the mailing lists: `pic lists audit` (its `--help` says what it flags)",
        ((2, f"{_USAGE} (no SUBCOMMAND, or one unknown); else the status of the SUBCOMMAND"),),
    ),
}


def pic_epilog() -> str:
    """The exit statuses of ``pic --help``, in general terms: those of every command, and which commands have a
    status of their own (3, 4: each command's ``--help`` says what it means there)."""
    own = sorted({status for about in COMMANDS.values() for status, _ in about.exits} - {0, 1, 2})
    rows = [
        (0, "done: valid, or nothing to act on"),
        (1, "invalid input (the file, line, field and value named), or findings to act on"),
        (2, _USAGE),
        *(
            (
                status,
                "see the --help of "
                + ", ".join(f"pic {name}" for name, about in COMMANDS.items() if status in dict(about.exits)),
            )
            for status in own
        ),
        *EVERY_COMMAND,
    ]
    return "exit status (each command's --help says what it means there):\n" + "\n".join(
        f"  {status:<4} {plain(meaning)}" for status, meaning in rows
    )
