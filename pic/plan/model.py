"""A rendering of the program: the resources it declares, read from the engine's redacted record.

Pure data, no Pulumi import. Values are the wire values with every secret
replaced by ``{"[secret]": <keyed digest>}`` and every unknown by
``{"[unknown]": true}`` (see :func:`pic.plan.engine.redact`).

Each resource is attributed to a member (its ``pic.member`` label, the member component it is under, else
by its name or an ancestor's name, ``<slug>`` or ``<slug>-...``, or ``...-<list domain>``) and to a host (by
the address it is reached at: a command's ``connection.host``, its provider's
``host`` or ``endpoint``; else a host name in its own or an ancestor's name;
else the member's web host).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pic.names import PLATFORM_LABEL
from pic.registry import Registry
from pic.settings import Settings

PLATFORM = PLATFORM_LABEL  # resources that belong to no member (no member has that slug)
NO_HOST = "no host known"  # written as is, and in parentheses after a change: never parenthesized itself
# Resources named after a service live on the host the settings give it (its commands may reach no address:
# connection: local)
SERVICES = ("sympa", "phpmyadmin")
# The component of one member (components/member.py), named after its slug: every resource under it is the member's.
MEMBER_COMPONENT = "pic:index:Member"


@dataclass(frozen=True)
class Resource:
    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    protect: bool = False
    retain_on_delete: bool = False
    delete_before_replace: bool = False
    replace_on_changes: tuple[str, ...] = ()
    ignore_changes: tuple[str, ...] = ()
    additional_secret_outputs: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()
    provider: str = ""
    aliases: tuple[str, ...] = ()
    address: str = ""  # the host a command reaches (connection.host)
    connection: str = ""  # user@host:port of a command's connection (the rest of it is secret)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Resource:
        return cls(
            urn=data["urn"],
            type=data["type"],
            name=data["name"],
            parent=data.get("parent", ""),
            custom=bool(data.get("custom", True)),
            inputs=dict(data.get("inputs") or {}),
            outputs=dict(data.get("outputs") or {}),
            protect=bool(data.get("protect")),
            retain_on_delete=bool(data.get("retain_on_delete")),
            delete_before_replace=bool(data.get("delete_before_replace")),
            replace_on_changes=tuple(data.get("replace_on_changes") or ()),
            ignore_changes=tuple(data.get("ignore_changes") or ()),
            additional_secret_outputs=tuple(data.get("additional_secret_outputs") or ()),
            dependencies=tuple(data.get("dependencies") or ()),
            provider=data.get("provider", ""),
            aliases=tuple(data.get("aliases") or ()),
            address=data.get("address", ""),
            connection=data.get("connection", ""),
        )

    @property
    def is_provider(self) -> bool:
        return self.type.startswith("pulumi:providers:")

    @property
    def short_type(self) -> str:
        """``docker:index/container:Container`` -> ``docker:Container``."""
        pkg, _, rest = self.type.partition(":")
        return f"{pkg}:{rest.rsplit(':', 1)[-1]}" if rest else self.type

    def labels(self) -> dict[str, str]:
        """Docker labels as a mapping (``labels`` is a list of ``{label, value}``)."""
        raw = self.inputs.get("labels")
        out: dict[str, str] = {}
        if isinstance(raw, list):
            for item in raw:
                if isinstance(item, dict) and isinstance(item.get("label"), str):
                    value = item.get("value")
                    out[item["label"]] = value if isinstance(value, str) else str(value)
        elif isinstance(raw, dict):
            out = {str(k): str(v) for k, v in raw.items()}
        return out


@dataclass
class Rendering:
    """Everything one evaluation of the program declared."""

    resources: dict[str, Resource]
    exports: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Rendering:
        resources = [Resource.from_json(r) for r in data.get("records", [])]
        return cls({r.urn: r for r in resources}, dict(data.get("exports") or {}), list(data.get("warnings") or []))

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources.values())

    def __len__(self) -> int:
        return len(self.resources)

    def ancestors(self, res: Resource) -> Iterator[Resource]:
        seen: set[str] = set()
        parent = self.resources.get(res.parent)
        while parent is not None and parent.urn not in seen:
            seen.add(parent.urn)
            yield parent
            parent = self.resources.get(parent.parent)

    def provider_of(self, res: Resource) -> Resource | None:
        # A provider reference is "<urn>::<id>".
        urn = res.provider.rsplit("::", 1)[0] if res.provider else ""
        return self.resources.get(urn)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict) and "[secret]" not in value:
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


class Attribution:
    """Which member and which host each resource of a rendering belongs to."""

    def __init__(
        self,
        rendering: Rendering,
        registry: Registry | None,
        settings: Settings | None,
        extra_slugs: Iterable[str] = (),
        *,
        members_root: str | None = None,
        unread: tuple[str, ...] = (),
    ) -> None:
        self.rendering = rendering
        self.settings = settings
        # What of a revision's files could not be read (pic.plan.command.AtRevision.unread): not compared.
        self.unread = unread
        # Where the members' spaces are on the web hosts (pic:members_root); "" when unknown.
        self.members_root = members_root if members_root is not None else settings.members_root if settings else ""
        self.slugs = sorted({m.slug for m in registry or ()} | set(extra_slugs), key=len, reverse=True)
        self._slug_set = frozenset(self.slugs)
        # Resources of a member's mailing lists are named after its list domain (sympa-dkim-<domain>).
        self.domains = {m.lists.domain: m.slug for m in registry or () if m.lists is not None}
        self.member_host = {m.slug: m.host for m in registry or ()}
        self.member_uid = {m.slug: m.uid for m in registry or ()}
        self.members = {m.slug: m for m in registry or ()}
        self.site_domains = {d: m.slug for m in registry or () if m.site is not None for d in m.site.domains}
        # Web hosts by name, then the db host: never the file's order.
        self.hosts = [*settings.web_hosts, settings.db_host] if settings else []
        self.db_host = settings.db_host if settings else None
        self.addresses: dict[str, set[str]] = {}
        if settings is not None:
            for name, spec in settings.hosts.items():
                for address in (spec.address, spec.private_address):
                    self.addresses.setdefault(str(address), set()).add(name)
        self._member: dict[str, str] = {}
        self._host: dict[str, str] = {}
        self._dependents: dict[str, list[Resource]] | None = None

    def _slug_in(self, name: str) -> str | None:
        for slug in self.slugs:
            if name == slug or name.startswith((f"{slug}-", f"{slug}_", f"{slug.replace('-', '_')}_")):
                return slug
        for domain, slug in self.domains.items():
            if name == domain or name.endswith(f"-{domain}") or f"-{domain}-" in name:
                return slug
        return None

    def member(self, res: Resource) -> str:
        if res.urn in self._member:
            return self._member[res.urn]
        found = res.labels().get("pic.member")
        if found not in self._slug_set:
            # The member component above it says whose it is; its name alone could start with another member's
            # slug (velo-cite's database forum is velo-cite-db-forum-database: a member velo-cite-db-forum).
            above = self.rendering.ancestors(res)
            found = next((a.name for a in above if a.type == MEMBER_COMPONENT and a.name in self._slug_set), None)
        if found is None:
            for node in (res, *self.rendering.ancestors(res)):
                found = self._slug_in(node.name)
                if found:
                    break
        self._member[res.urn] = found or PLATFORM
        return self._member[res.urn]

    def _by_address(self, values: Iterable[str]) -> str | None:
        names = self._hosts_at(values)
        return next(iter(names)) if len(names) == 1 else None

    def _hosts_at(self, values: Iterable[str]) -> set[str]:
        """The hosts reached at the addresses in ``values``: several when hosts share an address (one machine)."""
        names: set[str] = set()
        for text in values:
            for address, hosts in self.addresses.items():
                bracketed = f"[{address}]"  # an IPv6 address in a URL (HostSpec.url_host)
                if (
                    text == address
                    or f"@{address}" in text
                    or f"@{bracketed}" in text
                    or text.startswith((f"{address}:", f"{bracketed}:", f"ssh://{address}", f"ssh://{bracketed}"))
                ):
                    names |= hosts
        return names

    def _by_name(self, res: Resource) -> str | None:
        provider = self.rendering.provider_of(res)  # a provider is named after the host it reaches (web1-docker)
        for node in (res, *self.rendering.ancestors(res), *((provider,) if provider is not None else ())):
            for host in self.hosts:
                if node.name == host or node.name.startswith(f"{host}-") or node.name.endswith(f"-{host}"):
                    return host
        return None

    def _by_service(self, res: Resource) -> str | None:
        """The host the settings give the service a resource is named after (``sympa-...``: the mail host)."""
        if self.settings is None:
            return None
        hosts = {
            "sympa": self.settings.mail_host,
            # unset: the default web host runs it (pic.render.web.phpmyadmin_host)
            "phpmyadmin": (self.settings.phpmyadmin.host or self.settings.default_host)
            if self.settings.phpmyadmin is not None
            else None,
        }
        for node in (res, *self.rendering.ancestors(res)):
            for service in SERVICES:
                if node.name == service or node.name.startswith(f"{service}-"):
                    return hosts[service]
        return None

    def _reached(self, res: Resource) -> set[str]:
        """Every host at the address a resource reaches (its own, its provider's)."""
        found = self._hosts_at([res.address]) if res.address else set()
        provider = self.rendering.provider_of(res)
        target = provider if provider is not None else (res if res.is_provider else None)
        if not found and target is not None:
            found = self._hosts_at(
                s for key in ("host", "endpoint", "address") for s in _strings(target.inputs.get(key))
            )
        return found

    def _unplaced(self, res: Resource) -> str:
        """The words for a resource on no one host: the hosts that share its address (one machine), the hosts of
        what uses it (a key in the state, its certificates on several hosts), else that no host is known."""
        ordered = [h for h in self.hosts if h in self._reached(res)]
        if len(ordered) > 1:
            spec = self.settings.hosts[ordered[0]] if self.settings is not None else None
            written = [str(spec.address), str(spec.private_address)] if spec is not None else []
            shared = next((a for a in written if set(ordered) <= self.addresses.get(a, set())), None)
            return " or ".join(ordered) + (f", one address: {shared}" if shared else "")
        users = {self.host(d) for d in self._users(res) if d.custom}
        ordered = [h for h in self.hosts if h in users]
        if len(ordered) == 1:  # what uses it is on one host: it is held there, as a key by its file
            return ordered[0]
        if ordered:
            return f"shared by {' and '.join(ordered)}"
        return NO_HOST

    def _users(self, res: Resource) -> list[Resource]:
        """The resources that depend on ``res``."""
        if self._dependents is None:
            self._dependents = {}
            for other in self.rendering:
                for dep in other.dependencies:
                    self._dependents.setdefault(dep, []).append(other)
        return self._dependents.get(res.urn, [])

    def _by_dependents(self, res: Resource) -> str | None:
        """The host of what uses a resource that lives nowhere itself (a key, the file that holds it)."""
        hosts: set[str | None] = {
            self._host.get(d.urn) or self._located(d)
            for d in self._users(res)
            if d.custom and (d.address or d.provider)
        }
        hosts.discard(None)
        return next(iter(hosts)) if len(hosts) == 1 else None

    def _located(self, res: Resource) -> str | None:
        found = self._by_address([res.address]) if res.address else None
        if found is None:
            provider = self.rendering.provider_of(res)
            if provider is not None:
                found = self._by_address(
                    s for key in ("host", "endpoint", "address") for s in _strings(provider.inputs.get(key))
                )
        return found

    def host(self, res: Resource) -> str:
        if res.urn in self._host:
            return self._host[res.urn]
        found = self._by_address([res.address]) if res.address else None
        if found is None:
            provider = self.rendering.provider_of(res)
            target = provider if provider is not None else (res if res.is_provider else None)
            if target is not None:
                found = self._by_address(
                    s for key in ("host", "endpoint", "address") for s in _strings(target.inputs.get(key))
                )
        if found is None and (res.type.startswith("mysql:") or res.type == "pulumi:providers:mysql"):
            found = self.db_host  # MariaDB runs on the db host only (names may end with the web host granted)
        found = found or self._by_name(res) or self._by_service(res)
        if found is None and res.custom and not res.address and not res.provider:
            found = self._by_dependents(res)
        if found is None:
            member = self.member(res)
            found = self.member_host.get(member)
        if found is None:
            self._host[res.urn] = NO_HOST  # what uses it is looked at with this resource's place unknown
            found = self._unplaced(res)
        self._host[res.urn] = found
        return self._host[res.urn]
