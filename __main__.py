"""The Pulumi program: load and validate the registry and the stack settings, then build the platform.

No logic lives here: a bad registry stops the run before any resource is
declared, with the same messages as `pic check`.
"""

import datetime as dt
from pathlib import Path

import pulumi

from pic.check import check
from pic.errors import PicError

HERE = Path(__file__).resolve().parent

try:
    checked = check(HERE, pulumi.get_stack(), HERE / "members", dt.date.today())
except PicError as exc:
    raise pulumi.RunError(f"the registry or the stack settings are invalid:\n{exc}") from None

settings, registry = checked.settings, checked.registry

pulumi.export("members", len(registry))

# --- Mailing lists: Sympa on the mail host; SPF, DKIM and DMARC records of every list domain ---
from components.dmarc_policy import DmarcPolicy, DmarcPolicyArgs  # noqa: E402
from components.dns_zones import DnsZones, DnsZonesArgs  # noqa: E402
from components.hostcmd import host_access  # noqa: E402
from components.sympa_server import SympaServer, SympaServerArgs  # noqa: E402
from pic.render.dns import host_zone, nameservers  # noqa: E402
from pic.render.mail import list_domains  # noqa: E402

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
            nameservers=nameservers(settings),
            hostmaster=settings.admin_email,
            listen=settings.dns.listen,
        ),
    )
pulumi.export("mail_dns_records", {domain: p.records for domain, p in dmarc_policies.items()})
pulumi.export("sympa_site_block", sympa.site_block)
