"""The Pulumi program: load and validate the registry and the stack settings, then build the platform.

No logic lives here: a bad registry stops the run before any resource is
declared, with the same messages as `pic check`. The order below is the
order of dependencies: hosts, members' spaces, databases, credential files,
sites, lists, then the front proxies that route to all of them.
"""

import datetime as dt
from pathlib import Path

import pulumi

from components.backup import DumpJob, OffsiteBackup, dump_job_args, offsite_backup_args
from components.db_host import DbHost, db_host_args
from components.dmarc_policy import DmarcPolicy, DmarcPolicyArgs
from components.dns_zones import DnsZones, DnsZonesArgs
from components.front_proxy import FrontProxy, FrontProxyArgs
from components.hostcmd import host_access
from components.internal_ca import InternalCa, InternalCaArgs
from components.member_credentials import MemberCredentials, MemberCredentialsArgs, needs_credentials
from components.member_database import MemberDatabase, component_name, member_database_args
from components.member_site import MemberSite, MemberSiteArgs
from components.member_space import MemberSpace, MemberSpaceArgs
from components.php_runtime import PhpRuntime, PhpRuntimeArgs
from components.phpmyadmin import PhpMyAdmin, PhpMyAdminArgs
from components.site_mail import SiteMailRelay, SiteMailRelayArgs
from components.sympa_server import SympaServer, SympaServerArgs
from components.web_host import WebHost, WebHostArgs
from pic import eol
from pic.check import check
from pic.errors import PicError
from pic.render import web
from pic.render.dns import address_records, host_zone, nameservers
from pic.render.mail import caddy_site, kept_list_domains, list_domains, proxy_host_paths

HERE = Path(__file__).resolve().parent
TODAY = dt.date.today()

try:
    checked = check(HERE, pulumi.get_stack(), HERE / "members", TODAY)
except PicError as exc:
    raise pulumi.RunError(f"the registry or the stack settings are invalid:\n{exc}") from None

settings, registry = checked.settings, checked.registry

# --- Web hosts: member spaces and sites, PHP runtimes (README "Web host") ---
web_hosts = {h: WebHost(h, WebHostArgs(settings, h)) for h in settings.web_hosts}
php_runtimes = {
    (h, key): PhpRuntime(f"{h}-php-{key}", PhpRuntimeArgs(settings, key, web_hosts[h]))
    for h in settings.web_hosts
    for key in web.runtimes_in_use(registry, settings, h, TODAY)
}
member_spaces = {m.slug: MemberSpace(m.slug, MemberSpaceArgs(settings, m, web_hosts[m.host], TODAY)) for m in registry}
mail_relays = {
    h: SiteMailRelay(
        f"{h}-mail-relay", SiteMailRelayArgs(settings, h, web_hosts[h], web.members_on(registry, h), TODAY)
    )
    for h in settings.web_hosts
}

# --- Database host: MariaDB and its CA, one MemberDatabase per database, nightly dumps (README "Database host") ---
db_host = DbHost(settings.db_host, db_host_args(settings))
member_databases = {
    member.slug: [
        MemberDatabase(
            component_name(database),
            member_database_args(settings, member, database, db_host),
        )
        for database in member.databases
    ]
    for member in registry
}
# One secret command per member: its credential files and its site's mail configuration.
site_runs = {m.slug: eol.site_state(m, settings, TODAY) == "running" for m in registry}
member_credentials = {
    m.slug: MemberCredentials(
        MemberCredentialsArgs(
            member=m,
            web_host=web_hosts[m.host].access,
            members_root=settings.members_root,
            site_runs=site_runs[m.slug],
            db_host=db_host,
            databases=member_databases[m.slug],
            after=[
                member_spaces[m.slug].ready,
                web_hosts[m.host].setup,
                *(user for d in member_databases[m.slug] for user in d.users),
            ],
        )
    )
    for m in registry
    if needs_credentials(m, site_runs[m.slug])
}
member_sites = {
    m.slug: MemberSite(
        m.slug,
        MemberSiteArgs(
            settings,
            m,
            web_hosts[m.host],
            member_spaces[m.slug],
            php_runtimes.get((m.host, m.runtime or "")),
            TODAY,
            credentials=member_credentials[m.slug].command if m.slug in member_credentials else None,
        ),
    )
    for m in registry
    if m.site is not None
}
dump_jobs = [
    DumpJob(
        f"{host}-dumps",
        dump_job_args(
            settings,
            registry,
            host,
            db_host,
            after=[member_spaces[m.slug].ready for m in web.members_on(registry, host)],
        ),
    )
    for host in settings.web_hosts
]
# Off-site, encrypted backups of every host (pic:backup.offsite), after its dumps (README "Backups")
offsite_backups = (
    [OffsiteBackup(f"{host}-offsite", offsite_backup_args(settings, host, after=dump_jobs)) for host in settings.hosts]
    if settings.backup.offsite is not None
    else []
)

# --- Mailing lists: Sympa on the mail host; SPF, DKIM and DMARC of every list domain (README "Mailing lists") ---
mail_domains = list_domains(settings, registry)
sympa = SympaServer(
    "sympa",
    SympaServerArgs(
        host=host_access(settings.mail_host, settings.hosts[settings.mail_host]),
        sympa_domain=settings.mail.sympa_domain,
        listmaster=settings.admin_email,
        selector=settings.mail.dkim_selector,
        mail_exchanger=settings.mail_exchanger,
        robots=[d for d in mail_domains if d.member is not None],
        kept_keys=kept_list_domains(registry),
        dmarc_reports=settings.dmarc_reports,
    ),
)
dmarc_policies = {
    d.domain: DmarcPolicy(
        f"dmarc-{d.domain}",
        DmarcPolicyArgs(
            domain=d.domain,
            policy=d.policy,
            selector=settings.mail.dkim_selector,
            dkim_public_key_pem=sympa.dkim_public_keys[d.domain],
            mail_exchanger=settings.mail_exchanger,
            reports=settings.dmarc_reports,
            zone=host_zone(settings, d.domain),
        ),
    )
    for d in mail_domains
}
if settings.dns.backend == "zonefile" and settings.dns.zones:
    DnsZones(
        "dns",
        DnsZonesArgs(
            host=host_access(settings.dns_server, settings.hosts[settings.dns_server]),
            zones=settings.dns.zones,
            records=[p.record_list for p in dmarc_policies.values()],
            addresses=address_records(settings, registry),
            nameservers=nameservers(settings),
            hostmaster=settings.admin_email,
            listen=settings.dns.listen,
        ),
    )

# --- Front proxies: every site, phpMyAdmin and Sympa's web interface behind TLS ---
pma_host = web.phpmyadmin_host(settings)
phpmyadmin = (
    PhpMyAdmin("phpmyadmin", PhpMyAdminArgs(settings, web_hosts[pma_host], db_ca_pem=db_host.ca_cert_pem))
    if pma_host
    else None
)
tls_ca = InternalCa("tls-ca", InternalCaArgs(settings)) if settings.tls.ca == "internal" else None
proxy_blocks = web.proxy_extra_blocks(settings)
proxy_blocks[settings.mail_host].append(caddy_site(settings.mail.sympa_domain))
front_proxies = {
    h: FrontProxy(
        f"{h}-proxy",
        FrontProxyArgs(
            settings,
            web_hosts[h],
            web.members_on(registry, h),
            TODAY,
            proxy_blocks[h],
            tls_ca,
            host_paths=proxy_host_paths() if h == settings.mail_host else (),
        ),
    )
    for h in settings.web_hosts
}

pulumi.export("members", len(registry))
pulumi.export("web_sites_running", sorted(slug for slug, site in member_sites.items() if site.container is not None))
pulumi.export("databases", sum(len(dbs) for dbs in member_databases.values()))
pulumi.export("mail_dns_records", {domain: p.records for domain, p in dmarc_policies.items()})
