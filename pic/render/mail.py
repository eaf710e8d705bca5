"""Configuration of the mailing lists: Sympa, Postfix, the local resolver, the web interface's site block.

Pure functions filling ``templates/mail/``. Each output is checked by the
program that reads it: Sympa's own configuration check (sympa.conf and every
robot.conf), postconf and postmap (Postfix), unbound-checkconf, caddy validate,
shellcheck (the set-up script).

Mail routing follows Sympa's documented Postfix set-up for virtual domains:
every list domain is a virtual mailbox domain whose addresses go through
transport maps to Sympa's ``queue`` and ``bouncequeue`` programs; Sympa itself
writes the per-list entries (``sympa_transport``) from ``list_aliases.tt2``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from pic.errors import terminal_safe
from pic.registry import Registry
from pic.render import render
from pic.settings import Settings, sympa_address

# The list domains of members are Sympa "robots"; the main domain is the default robot.
# dbconfig-sqlite3 satisfies Sympa's dbconfig dependency without a database server (and,
# unlike dbconfig-no-thanks, removes no other dbconfig backend); dbconfig itself is told
# to do nothing: sympa.conf names the SQLite database.
SYMPA_PACKAGES = ("sympa", "postfix", "unbound", "libdbd-sqlite3-perl", "dbconfig-sqlite3")
WWSYMPA_SOCKET = "/run/sympa/wwsympa.socket"
STATIC_CONTENT = "/usr/share/sympa/static_content"
CSS_PATH = "/var/lib/sympa/css"
PICTURES_PATH = "/var/lib/sympa/pictures"
DMARC_PROTECTION_MODES = "dmarc_reject,dmarc_quarantine"
SYMPA_UNITS = ("sympa", "sympa-bulk", "sympa-archived", "sympa-bounced", "sympa-task_manager", "wwsympa")


@dataclass(frozen=True)
class SympaLayout:
    """Where Sympa's files are: Debian's paths on the host, temporary ones in tests."""

    etc: str = "/etc/sympa"
    config: str = "/etc/sympa/sympa/sympa.conf"
    home: str = "/var/lib/sympa/list_data"
    db_name: str = "/var/lib/sympa/sympa.sqlite"
    dkim_dir: str = "/etc/sympa/dkim"
    maps_dir: str = "/etc/sympa"
    sendmail: str = "/usr/sbin/sendmail"
    css_path: str = CSS_PATH
    pictures_path: str = PICTURES_PATH
    queue_program: str = "/usr/lib/sympa/bin/queue"
    bouncequeue_program: str = "/usr/lib/sympa/bin/bouncequeue"

    def robot_conf(self, domain: str) -> str:
        return f"{self.etc}/{domain}/robot.conf"

    def dkim_key(self, domain: str) -> str:
        return f"{self.dkim_dir}/{domain}.pem"

    @property
    def transport_map(self) -> str:
        return f"{self.maps_dir}/transport.sympa"

    @property
    def virtual_map(self) -> str:
        return f"{self.maps_dir}/virtual.sympa"

    @property
    def lists_transport(self) -> str:
        """Written by Sympa (sympa_newaliases.pl) from list_aliases.tt2 when a list is created."""
        return f"{self.maps_dir}/sympa_transport"


DEBIAN = SympaLayout()


def main_web_url(sympa_domain: str) -> str:
    return f"https://{sympa_domain}/sympa"


def robot_web_url(sympa_domain: str, domain: str) -> str:
    """A member robot's web interface: a path of the main domain's site (Sympa picks the longest match).

    One site, one certificate: a member's list domain needs no web record.
    """
    return f"https://{sympa_domain}/{domain}"


def _dkim(domain: str, selector: str, layout: SympaLayout) -> dict[str, str]:
    return {"key": layout.dkim_key(domain), "selector": selector, "signer_domain": domain}


def sympa_conf(
    sympa_domain: str,
    *,
    listmaster: str,
    selector: str,
    lang: str = "fr",
    layout: SympaLayout = DEBIAN,
) -> str:
    """sympa.conf: the main robot, SQLite database, DKIM signing, DMARC protection, Postfix maps."""
    return render(
        "mail/sympa.conf.j2",
        domain=sympa_domain,
        listmaster=listmaster,
        lang=lang,
        wwsympa_url=main_web_url(sympa_domain),
        layout=layout,
        dkim=_dkim(sympa_domain, selector, layout),
        dmarc_modes=DMARC_PROTECTION_MODES,
        static_content=STATIC_CONTENT,
        css_path=layout.css_path,
        pictures_path=layout.pictures_path,
    )


def robot_conf(
    domain: str, *, sympa_domain: str, listmaster: str, selector: str, title: str, layout: SympaLayout = DEBIAN
) -> str:
    """robot.conf of one member list domain: its web address, its own DKIM key and signer domain."""
    return render(
        "mail/robot.conf.j2",
        domain=domain,
        listmaster=listmaster,
        title=robot_title(title, domain),
        wwsympa_url=robot_web_url(sympa_domain, domain),
        dkim=_dkim(domain, selector, layout),
        dmarc_modes=DMARC_PROTECTION_MODES,
    )


def robot_title(title: str, domain: str) -> str:
    """A member's name as a robot.conf ``title``: one line, no backtick.

    Sympa reads a config value by lines, and refuses a value in backticks
    (`` `...` ``, a command in its old versions), which stops Sympa for every
    robot: whitespace runs become one space, backticks become apostrophes.
    """
    text = terminal_safe(" ".join(title.split()), keep="").replace("`", "'")
    return text or domain


def transport_map(domains: Sequence[str]) -> str:
    """Postfix transport map: each robot's own addresses to Sympa; anything else at the domain is refused."""
    return render("mail/transport.sympa.j2", domains=list(domains))


def virtual_map(domains: Sequence[str], *, postmaster: str, dmarc_reports: str | None = None) -> str:
    """Postfix virtual alias map: the robots' request/owner addresses go to the admins, and so does
    ``dmarc_reports`` (the DMARC aggregate reports' mailbox, ``dmarc-reports@<sympa_domain>`` unless set)
    when it is at one of ``domains``, where the transport map refuses every other address, and is none of
    Sympa's own addresses there (:func:`pic.settings.sympa_address`), whose mail the alias would take."""
    local, _, domain = (dmarc_reports or "").rpartition("@")
    at_a_list_domain = (
        dmarc_reports if local and domain.lower() in {d.lower() for d in domains} and not sympa_address(local) else None
    )
    return render("mail/virtual.sympa.j2", domains=list(domains), postmaster=postmaster, dmarc_reports=at_a_list_domain)


def list_aliases_tt2() -> str:
    """Sympa's template for the per-list entries of ``sympa_transport`` (transport map syntax)."""
    return render("mail/list_aliases.tt2.j2")


def postfix_settings(*, mail_exchanger: str, layout: SympaLayout = DEBIAN) -> dict[str, str]:
    """main.cf parameters for Sympa's virtual domains (applied with ``postconf -e``)."""
    maps = f"hash:{layout.transport_map}, hash:{layout.lists_transport}"
    return {
        "myhostname": mail_exchanger,
        "mydestination": "$myhostname, localhost",
        "recipient_delimiter": "+",
        "virtual_mailbox_domains": f"hash:{layout.transport_map}",
        "virtual_mailbox_maps": f"{maps}, hash:{layout.virtual_map}",
        "virtual_alias_maps": f"hash:{layout.virtual_map}",
        "transport_maps": maps,
        "sympa_destination_recipient_limit": "1",
        "sympabounce_destination_recipient_limit": "1",
        "smtpd_tls_security_level": "may",
        "smtp_tls_security_level": "may",
    }


def postfix_services(layout: SympaLayout = DEBIAN) -> dict[str, str]:
    """master.cf services that hand mail to Sympa (applied with ``postconf -M``)."""
    return {
        "sympa/unix": "sympa unix - n n - - pipe flags=hqRu null_sender= user=sympa "
        f"argv={layout.queue_program} ${{nexthop}}",
        "sympabounce/unix": "sympabounce unix - n n - - pipe flags=hqRu null_sender= user=sympa "
        f"argv={layout.bouncequeue_program} ${{nexthop}}",
    }


def unbound_conf(*, interface: str = "127.0.0.1", port: int = 53) -> str:
    """The local caching resolver: DMARC protection and DKIM checks do DNS lookups for each message."""
    return render("mail/unbound.conf.j2", interface=interface, port=port)


def sympa_resolver_dropin(resolver: str = "127.0.0.1") -> str:
    """systemd drop-in that points Sympa's DNS lookups (Net::DNS) at the local resolver only."""
    return render("mail/sympa-resolver.conf.j2", resolver=resolver)


def proxy_host_paths() -> list[str]:
    """What a containerised front proxy must see of the mail host to serve :func:`caddy_site`."""
    return [WWSYMPA_SOCKET.rsplit("/", 1)[0], STATIC_CONTENT, CSS_PATH, PICTURES_PATH]


def caddy_site(
    sympa_domain: str,
    *,
    fastcgi: str = f"unix/{WWSYMPA_SOCKET}",
    static_content: str = STATIC_CONTENT,
    css_path: str = CSS_PATH,
    pictures_path: str = PICTURES_PATH,
) -> str:
    """The front proxy's site block for Sympa's web interface (every robot, one https site).

    ``fastcgi`` is the wwsympa FastCGI endpoint: ``unix//run/sympa/wwsympa.socket``
    (Debian's socket unit) or ``host:port``.
    """
    return render(
        "mail/caddy-site.j2",
        domain=sympa_domain,
        fastcgi=fastcgi,
        static_content=static_content,
        css_path=css_path,
        pictures_path=pictures_path,
    )


def debconf_answers(sympa_domain: str, *, listmaster: str, mail_exchanger: str) -> str:
    """Answers for the Debian packages, so their installation asks nothing and keeps our sympa.conf."""
    return render(
        "mail/debconf.j2",
        domain=sympa_domain,
        listmaster=listmaster,
        wwsympa_url=main_web_url(sympa_domain),
        mail_exchanger=mail_exchanger,
    )


def setup_script(
    sympa_domain: str,
    *,
    listmaster: str,
    mail_exchanger: str,
    selector: str,
    layout: SympaLayout = DEBIAN,
) -> str:
    """Idempotent set-up of the mail host: packages, Sympa's first configuration, Postfix services and maps."""
    return render(
        "mail/setup.sh.j2",
        packages=list(SYMPA_PACKAGES),
        debconf=debconf_answers(sympa_domain, listmaster=listmaster, mail_exchanger=mail_exchanger),
        sympa_conf=sympa_conf(sympa_domain, listmaster=listmaster, selector=selector, layout=layout),
        layout=layout,
        postfix=postfix_settings(mail_exchanger=mail_exchanger, layout=layout),
        services=postfix_services(layout),
        list_aliases=list_aliases_tt2(),
    )


def apply_script(robots: Sequence[str], *, layout: SympaLayout = DEBIAN, fingerprint: str) -> str:
    """After a configuration change: rebuild the Postfix maps, check Sympa's configuration, restart.

    ``fingerprint`` (a digest of the configuration) is written in the script,
    so that the script changes, and runs again, whenever the configuration does.
    """
    return render(
        "mail/apply.sh.j2", robots=list(robots), layout=layout, fingerprint=fingerprint, check=sympa_check_program()
    )


def sympa_check_program() -> str:
    """Perl program running Sympa's own check on a given sympa.conf; any error Sympa logs fails it."""
    return render("mail/sympa-check.pl.j2")


def fingerprint(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(hashlib.sha256(text.encode()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class ListDomain:
    """A mail domain of Sympa: the main one, or a member's (a virtual robot)."""

    domain: str
    title: str
    policy: str  # the DMARC policy published for it
    member: str | None  # the member's slug; None for the main domain


def list_domains(settings: Settings, registry: Registry) -> list[ListDomain]:
    """The main list domain first, then every member list domain (archived members' lists do not run)."""
    out = [ListDomain(settings.mail.sympa_domain, "Listes", settings.mail.dmarc, None)]
    for member in registry:
        if member.lists is not None and member.status != "archived":
            out.append(ListDomain(member.lists.domain, member.spec.name, member.lists.dmarc, member.slug))
    return out


def kept_list_domains(registry: Registry) -> list[str]:
    """List domains of archived members: their lists do not run, their DKIM keys are kept."""
    return sorted(m.lists.domain for m in registry if m.lists is not None and m.status == "archived")


def resolver_script(*, interface: str = "127.0.0.1", port: int = 53) -> str:
    """Install the local resolver's configuration and point every Sympa service at it."""
    return render(
        "mail/resolver.sh.j2",
        unbound=unbound_conf(interface=interface, port=port),
        dropin=sympa_resolver_dropin(interface),
        units=list(SYMPA_UNITS),
    )
