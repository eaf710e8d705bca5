"""Names that lose https although the front proxy sent them ``Strict-Transport-Security``.

A browser that received the header for a name keeps to https for it until ``max-age`` seconds
after its last visit (RFC 6797 §8.1.1, §8.3): it turns ``http://`` links into ``https://`` and
gives no way around a failed connection (§12.1). A name that the new program still serves, but
over plain http only (no https block, no certificate), is then unreachable for those visitors.

Read from the proxies' Caddyfiles (the ``stdin`` of the commands that place a ``Caddyfile``) of
both renderings: a name is *pinned* when a site block of the old rendering sets the header (itself
or through an imported snippet) with a ``max-age`` above 0; it *loses https* when a site block of
the new rendering still serves it, and none serves it over https. A name no block serves any more
(a domain dropped, a member archived or removed) is not served at all, whatever the scheme; a name
that moves to another member is followed to the block that serves it now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pic.plan.model import PLATFORM, Rendering
from pic.render.web import HSTS_MAX_AGE

_MAX_AGE = re.compile(r'Strict-Transport-Security\s+"?\s*max-age\s*=\s*"?(\d+)', re.IGNORECASE)
_IMPORT = re.compile(r"^\s*import\s+(\S+)", re.MULTILINE)
_MEMBER = re.compile(r"^#\s*member\s+([a-z0-9][a-z0-9-]*)\s*:")


@dataclass(frozen=True)
class Site:
    """One site block of a Caddyfile: its names by scheme, its HSTS max-age, the member its comment names."""

    https: frozenset[str]
    http: frozenset[str]
    max_age: int | None  # seconds, when the block sends Strict-Transport-Security
    member: str = ""


def _blocks(text: str) -> Iterator[tuple[str, list[str], str]]:
    """Top-level blocks of a Caddyfile: (header, body lines, the comment line just above it)."""
    depth, header, above, comment = 0, "", "", ""
    body: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if depth == 0:
            if line.startswith("#"):
                above = line
            elif line.endswith("{"):
                depth, header, body, comment, above = 1, line[:-1].strip(), [], above, ""
            elif line:
                above = ""
            continue
        if not line.startswith("#"):
            depth += line.count("{") - line.count("}")
        if depth <= 0:
            yield header, body, comment
            depth = 0
        else:
            body.append(line)


def _max_age(body: Iterable[str], snippets: dict[str, list[str]], seen: frozenset[str] = frozenset()) -> int | None:
    """The max-age a block sends in Strict-Transport-Security (itself or through its imports), or None;
    the proxy's own value when the header is there but its max-age cannot be read."""
    text = "\n".join(body)
    found = [int(m.group(1)) for m in _MAX_AGE.finditer(text)]
    if not found and "strict-transport-security" in text.lower():
        found.append(HSTS_MAX_AGE)
    for name in _IMPORT.findall(text):
        if name in snippets and name not in seen:
            age = _max_age(snippets[name], snippets, seen | {name})
            if age is not None:
                found.append(age)
    return max(found) if found else None


def _name(address: str) -> tuple[str, str] | None:
    """(scheme, host name) of a site address; None for an address without a name (``:80``, an IP address)."""
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "", address
    hostport = rest.split("/", 1)[0]
    if hostport.startswith("["):
        return None  # an IPv6 address: no HSTS for IP addresses (RFC 6797 §8.1.1)
    host, _, port = hostport.partition(":")
    host = host.rstrip(".").lower()
    if not host or "{" in host or re.fullmatch(r"[\d.]+", host):
        return None
    return ("http" if scheme == "http" or (not scheme and port == "80") else "https"), host


def sites(text: str) -> list[Site]:
    """The site blocks of a Caddyfile (the global options block and snippets are not sites)."""
    snippets: dict[str, list[str]] = {}
    blocks = list(_blocks(text))
    for header, body, _ in blocks:
        if header.startswith("(") and header.endswith(")"):
            snippets[header[1:-1].strip()] = body
    out = []
    for header, body, comment in blocks:
        if not header or header.startswith("("):
            continue
        names = [n for a in re.split(r"[,\s]+", header) if a and (n := _name(a)) is not None]
        if not names:
            continue
        member = _MEMBER.match(comment)
        out.append(
            Site(
                frozenset(h for s, h in names if s == "https"),
                frozenset(h for s, h in names if s == "http"),
                _max_age(body, snippets),
                member.group(1) if member else "",
            )
        )
    return out


def caddyfiles(rendering: Rendering) -> list[str]:
    """The Caddyfiles a rendering places: the ``stdin`` of commands whose scripts write a ``Caddyfile``
    (a secret or unknown ``stdin`` is not read)."""
    out = []
    for res in rendering:
        stdin = res.inputs.get("stdin")
        if not res.type.startswith("command:") or not isinstance(stdin, str):
            continue
        script = res.inputs.get("create")
        if (isinstance(script, str) and "/Caddyfile" in script) or res.name.endswith("-caddyfile"):
            out.append(stdin)
    return out


@dataclass(frozen=True)
class HttpsLoss:
    """Names of one member that lose https, and the longest max-age the proxy announced for them."""

    member: str
    domains: tuple[str, ...]
    max_age: int

    @property
    def days(self) -> int:
        return -(-self.max_age // 86_400)


def https_losses(old: Rendering, new: Rendering, member_of: dict[str, str] | None = None) -> list[HttpsLoss]:
    """Names pinned by HSTS in ``old`` that ``new`` still serves, but over http only, by member.

    ``member_of`` maps a domain to the member that declares it (the new registry); else the
    ``# member <slug>:`` comment above the block that serves it now.
    """
    pinned: dict[str, int] = {}
    for text in caddyfiles(old):
        for site in sites(text):
            if site.max_age:
                for name in site.https:
                    pinned[name] = max(pinned.get(name, 0), site.max_age)
    if not pinned:
        return []
    served: dict[str, str] = {}
    secure: set[str] = set()
    for text in caddyfiles(new):
        for site in sites(text):
            secure |= site.https
            for name in site.https | site.http:
                served.setdefault(name, site.member)
    lost: dict[str, dict[str, int]] = {}
    for name, age in pinned.items():
        if name in served and name not in secure:
            member = (member_of or {}).get(name) or served[name] or PLATFORM
            lost.setdefault(member, {})[name] = age
    return [HttpsLoss(member, tuple(sorted(names)), max(names.values())) for member, names in sorted(lost.items())]


@dataclass(frozen=True)
class HttpsPin(HttpsLoss):
    """Names of one member served over http only before that get https and the header, with its max-age."""


def https_pins(old: Rendering, new: Rendering, member_of: dict[str, str] | None = None) -> list[HttpsPin]:
    """Names ``old`` served over http only that ``new`` serves over https with the header, by member: from the
    ``pulumi up`` on, browsers that visit keep to https for them for ``max-age`` (a later switch back to http
    loses them, :func:`https_losses`). A name not served before (a new site, a domain added) is not one.

    ``member_of`` as for :func:`https_losses`.
    """
    plain: set[str] = set()
    secure: set[str] = set()
    for text in caddyfiles(old):
        for site in sites(text):
            secure |= site.https
            plain |= site.http
    was_http = plain - secure
    if not was_http:
        return []
    gained: dict[str, dict[str, int]] = {}
    for text in caddyfiles(new):
        for site in sites(text):
            if not site.max_age:
                continue
            for name in site.https & was_http:
                member = (member_of or {}).get(name) or site.member or PLATFORM
                names = gained.setdefault(member, {})
                names[name] = max(names.get(name, 0), site.max_age)
    return [HttpsPin(member, tuple(sorted(names)), max(names.values())) for member, names in sorted(gained.items())]
