"""The member registry: one ``members/<slug>.yaml`` per member association.

:class:`MemberSpec` is the file's contract (REGISTRY.md); :class:`Member` is a
validated member with its slug, its file and its resolved web host, which the
components consume. :func:`load_registry` validates every file, then runs the
checks across files and against the stack settings, and raises one
:class:`~pic.errors.PicError` listing every offender.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pic.errors import PicError, Problem, show_value
from pic.modelerrors import PATTERN_WORDS, problems_from
from pic.settings import Settings, display_path
from pic.validators import SLUG_RE, Domain, Email, SshKey
from pic.yamlsrc import Document, format_loc, read_yaml

DB_SHORT_RE = r"^[a-z][a-z0-9_]{0,15}$"
PHP_RE = r"^([0-9]+\.[0-9]+|none)$"
HOST_RE = r"^[a-z][a-z0-9-]{0,30}$"
PATTERN_WORDS.update(
    {
        DB_SHORT_RE: "a short name of 1 to 16 characters: a lowercase letter, then lowercase letters, digits or _",
        PHP_RE: 'a runtime key such as "8.4" (quoted), or "none" for a static site',
        HOST_RE: "a host name of the stack settings, such as web1",
    }
)
MAX_DB_NAME = 64  # MariaDB: database names
MAX_DB_USER = 80  # MariaDB: user names
UID_MIN, UID_MAX = 10000, 59999
Status = Literal["active", "suspended", "archived"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"lists {v!r} twice")
        seen.add(v)
    return values


LANGUAGES = ("fr", "en")  # the languages of pic notify's messages (pic/commands/templates/notify-<lang>.j2)


class Contact(_Strict):
    name: str = Field(min_length=1, max_length=120)
    email: Email
    language: Literal["fr", "en"] = Field(
        default="fr", description="Language of the messages the admins send to this contact (fr: French, en: English)."
    )


class Site(_Strict):
    domains: list[Domain] = Field(min_length=1, max_length=20)
    php: Annotated[str, Field(pattern=PHP_RE)] = Field(
        description='A runtime key of the stack settings ("8.3"), or "none" for a static site. Quote it.'
    )
    https: bool = True

    _unique_domains = field_validator("domains")(classmethod(lambda cls, v: _unique(v)))

    @property
    def static(self) -> bool:
        return self.php == "none"


class Access(_Strict):
    sftp_keys: list[SshKey] = Field(default_factory=list, max_length=20)
    ssh: bool = False


class Lists(_Strict):
    domain: Domain
    dmarc: Literal["none", "quarantine", "reject"] = "none"


class PhpEolException(_Strict):
    until: dt.date = Field(description="Last day the exception holds (YYYY-MM-DD).")
    reason: str = Field(min_length=3, max_length=500)


class Exceptions(_Strict):
    php_eol: PhpEolException | None = None


class Limits(_Strict):
    """Per-member override of the stack's container limits."""

    memory_mb: int | None = Field(default=None, ge=32, le=65536)
    cpus: float | None = Field(default=None, gt=0, le=64)
    pids: int | None = Field(default=None, ge=16, le=32768)
    disk_soft_limit_mb: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description="Disk use (www/ + db/ + log/, MB) above which the admins are warned.",
    )

    @field_validator("cpus", mode="before")
    @classmethod
    def _int_cpus(cls, value: object) -> object:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


class MemberSpec(_Strict):
    """The content of one member file."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        title="pic member file",
        json_schema_extra={"description": "One member association of the host: members/<slug>.yaml"},
    )

    name: str = Field(min_length=1, max_length=120)
    contact: Contact
    uid: int = Field(ge=UID_MIN, le=UID_MAX)
    status: Status = "active"
    host: Annotated[str, Field(pattern=HOST_RE)] | None = None
    site: Site | None = None
    access: Access = Access()
    databases: list[Annotated[str, Field(pattern=DB_SHORT_RE)]] = Field(default_factory=list, max_length=5)
    lists: Lists | None = None
    exceptions: Exceptions = Exceptions()
    limits: Limits | None = None
    notes: str | None = None

    _unique_dbs = field_validator("databases")(classmethod(lambda cls, v: _unique(v)))


@dataclass(frozen=True)
class Database:
    """One member database: ``<slug with _>_<short>``, its user of the same name."""

    member: str
    short: str

    @property
    def name(self) -> str:
        return f"{self.member.replace('-', '_')}_{self.short}"

    @property
    def user(self) -> str:
        return self.name


@dataclass(frozen=True)
class Member:
    """A validated member: its slug, its file, its spec and its resolved web host."""

    slug: str
    file: str
    spec: MemberSpec
    host: str
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, *loc: str | int) -> int | None:
        """The line of a field in the member's file, when known."""
        return self.lines.get(loc)

    @property
    def uid(self) -> int:
        return self.spec.uid

    @property
    def status(self) -> Status:
        return self.spec.status

    @property
    def site(self) -> Site | None:
        return self.spec.site

    @property
    def access(self) -> Access:
        return self.spec.access

    @property
    def lists(self) -> Lists | None:
        return self.spec.lists

    @property
    def databases(self) -> list[Database]:
        return [Database(self.slug, short) for short in self.spec.databases]

    @property
    def runtime(self) -> str | None:
        """The PHP runtime key the site runs on, or None (no site, or a static one)."""
        site = self.spec.site
        return None if site is None or site.static else site.php


@dataclass(frozen=True)
class Registry:
    """Every member, in slug order."""

    members: tuple[Member, ...]

    def __iter__(self) -> Iterator[Member]:
        return iter(self.members)

    def __len__(self) -> int:
        return len(self.members)

    def get(self, slug: str) -> Member:
        for m in self.members:
            if m.slug == slug:
                return m
        raise KeyError(slug)


# Accounts of the Debian base system and of the packages on the hosts: a member's unix account
# must not take one of these names (the slug is the account name).
RESERVED_SLUGS = frozenset(
    [
        "root",
        "daemon",
        "bin",
        "sys",
        "sync",
        "games",
        "man",
        "lp",
        "mail",
        "news",
        "uucp",
        "proxy",
        "www-data",
        "backup",
        "list",
        "irc",
        "gnats",
        "nobody",
        "systemd-network",
        "systemd-resolve",
        "systemd-timesync",
        "messagebus",
        "sshd",
        "postfix",
        "sympa",
        "mysql",
        "caddy",
        "unbound",
        "nsd",
        "bind",
        "deploy",
        "admin",
        "admins",
        "www",
        "ftp",
        "pic",
        "staff",
        "users",
        "sudo",
        "adm",
        "docker",
    ]
)


def member_files(members_dir: Path) -> list[Path]:
    """The member files of a directory: ``*.yaml`` not starting with ``_`` or ``.``."""
    return [p for p in sorted(members_dir.glob("*.yaml")) if not p.name.startswith(("_", "."))]


def _parse_member(path: Path, shown_dir: str) -> tuple[Document | None, MemberSpec | None, list[Problem]]:
    file = f"{shown_dir}/{path.name}"
    slug = path.name[: -len(".yaml")]
    problems: list[Problem] = []
    if not SLUG_RE.match(slug):
        problems.append(
            Problem(
                file,
                None,
                "",
                f"file name {show_value(slug)} is not a valid slug: 3 to 32 "
                "characters, lowercase letters, digits and hyphens, starting with a letter "
                "and not ending with a hyphen",
            )
        )
    elif slug in RESERVED_SLUGS:
        message = (
            f"file name {show_value(slug)} is reserved: it is the name of a system account on the hosts; "
            "choose another slug (e.g. with the town's name)"
        )
        problems.append(Problem(file, None, "", message))
    doc, more = read_yaml(path, file)
    problems += more
    if doc is None:
        return None, None, problems
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(
                file,
                doc.line_of(()),
                "",
                f"{show_value(doc.data)} is not a mapping: "
                "a member file is a set of key: value lines (name, contact, uid, ...)",
            )
        )
        return doc, None, problems
    try:
        spec = MemberSpec.model_validate(doc.data)
    except ValidationError as exc:
        problems += problems_from(exc, doc, MemberSpec)
        return doc, None, problems
    return doc, spec, problems


def load_registry(members_dir: Path, settings: Settings) -> Registry:
    """Validate every member file and the checks across files; raise PicError listing all problems."""
    if not members_dir.is_dir():
        raise PicError([Problem(display_path(members_dir), None, "", "no such directory of member files")])
    problems: list[Problem] = []
    members: list[Member] = []
    docs: dict[str, Document] = {}
    default_host = settings.default_host
    shown_dir = display_path(members_dir)  # once, not per file: resolving paths is costly at scale
    for path in member_files(members_dir):
        doc, spec, more = _parse_member(path, shown_dir)
        problems += more
        if doc is None or spec is None or more:
            continue
        slug = path.name[: -len(".yaml")]
        docs[slug] = doc
        members.append(Member(slug, doc.file, spec, spec.host or default_host, doc.lines))
    problems += _cross_checks(members, docs, settings)
    if problems:
        raise PicError(problems)
    return Registry(tuple(members))


class _Cross:
    """The checks across member files and against the stack settings."""

    def __init__(self, docs: dict[str, Document], settings: Settings) -> None:
        self.docs = docs
        self.settings = settings
        self.problems: list[Problem] = []
        self.uids: dict[int, Member] = {}
        self.domains: dict[str, Member] = {}
        self.db_names: dict[str, Member] = {}
        self.list_domains: dict[str, Member] = {}
        stack = settings.stack
        self.reserved = {settings.mail.sympa_domain: f"the main list domain (pic:mail.sympa_domain of stack {stack})"}
        if settings.phpmyadmin is not None:
            self.reserved[settings.phpmyadmin.domain] = f"phpMyAdmin (pic:phpmyadmin.domain of stack {stack})"

    def at(self, m: Member, loc: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem(m.file, self.docs[m.slug].line_of(loc), format_loc(loc), message))

    def member(self, m: Member) -> None:
        spec, settings = m.spec, self.settings
        if spec.uid in self.uids:
            self.at(m, ("uid",), f"{spec.uid} is already used by {self.uids[spec.uid].file}")
        else:
            self.uids[spec.uid] = m
        if spec.host is not None:
            host = settings.hosts.get(spec.host)
            if host is None or host.role != "web":
                self.at(
                    m,
                    ("host",),
                    f"{show_value(spec.host)} is not a web host of stack {settings.stack} "
                    f"(known: {', '.join(settings.web_hosts)})",
                )
        if spec.site is not None:
            self.site(m, spec.site)
        self.databases(m)
        if spec.lists is not None:
            self.list_domain(m, spec.lists.domain)

    def site(self, m: Member, site: Site) -> None:
        for i, domain in enumerate(site.domains):
            loc = ("site", "domains", i)
            if domain in self.domains:
                self.at(m, loc, f"{show_value(domain)} is already used by {self.domains[domain].file}")
            elif domain in self.reserved:
                self.at(m, loc, f"{show_value(domain)} is reserved for {self.reserved[domain]}")
            else:
                self.domains[domain] = m
        if site.php != "none" and site.php not in self.settings.runtimes:
            self.at(
                m,
                ("site", "php"),
                f"{show_value(site.php)} is not a runtime of stack {self.settings.stack} "
                f'(known: {", ".join(self.settings.runtime_keys())}, or "none" for a static site)',
            )

    def databases(self, m: Member) -> None:
        for i, db in enumerate(m.databases):
            if len(db.name) > MAX_DB_NAME:
                self.at(
                    m,
                    ("databases", i),
                    f"makes the database name {show_value(db.name)} of {len(db.name)} "
                    f"characters (MariaDB allows {MAX_DB_NAME}): use a shorter name",
                )
            elif db.name in self.db_names:
                self.at(
                    m,
                    ("databases", i),
                    f"makes the database name {show_value(db.name)}, already made by "
                    f"{self.db_names[db.name].file}: use another short name",
                )
            else:
                self.db_names[db.name] = m

    def list_domain(self, m: Member, domain: str) -> None:
        if domain in self.list_domains:
            self.at(
                m,
                ("lists", "domain"),
                f"{show_value(domain)} is already the list domain of {self.list_domains[domain].file}",
            )
        elif domain == self.settings.mail.sympa_domain:
            self.at(m, ("lists", "domain"), f"{show_value(domain)} is reserved for {self.reserved[domain]}")
        else:
            self.list_domains[domain] = m


def _cross_checks(members: list[Member], docs: dict[str, Document], settings: Settings) -> list[Problem]:
    cross = _Cross(docs, settings)
    for m in members:
        cross.member(m)
    return cross.problems
