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

# --- Web hosts: member spaces and sites, PHP runtimes, front proxy, phpMyAdmin (README "Web host") ---
from components.front_proxy import FrontProxy, FrontProxyArgs  # noqa: E402
from components.internal_ca import InternalCa, InternalCaArgs  # noqa: E402
from components.member_site import MemberSite, MemberSiteArgs  # noqa: E402
from components.member_space import MemberSpace, MemberSpaceArgs  # noqa: E402
from components.php_runtime import PhpRuntime, PhpRuntimeArgs  # noqa: E402
from components.phpmyadmin import PhpMyAdmin, PhpMyAdminArgs  # noqa: E402
from components.web_host import WebHost, WebHostArgs  # noqa: E402
from pic.render import web  # noqa: E402

web_day = dt.date.today()
web_hosts = {h: WebHost(h, WebHostArgs(settings, h)) for h in settings.web_hosts}
php_runtimes = {
    (h, key): PhpRuntime(f"{h}-php-{key}", PhpRuntimeArgs(settings, key, web_hosts[h]))
    for h in settings.web_hosts
    for key in web.runtimes_in_use(registry, settings, h, web_day)
}
member_spaces = {m.slug: MemberSpace(m.slug, MemberSpaceArgs(settings, m, web_hosts[m.host])) for m in registry}
member_sites = {
    m.slug: MemberSite(
        m.slug,
        MemberSiteArgs(
            settings,
            m,
            web_hosts[m.host],
            member_spaces[m.slug],
            php_runtimes.get((m.host, m.runtime or "")),
            web_day,
        ),
    )
    for m in registry
    if m.site is not None
}
pma_host = web.phpmyadmin_host(settings)
phpmyadmin = PhpMyAdmin("phpmyadmin", PhpMyAdminArgs(settings, web_hosts[pma_host])) if pma_host else None
# Extra site blocks of each host's front proxy, as text: the lists' web interface appends its own.
proxy_blocks = web.proxy_extra_blocks(settings)
# One certificate per https member (MemberCertificate, built by its host's proxy): signed by the
# stack's own CA when pic:tls.ca is internal, else issued and renewed by certbot on the host.
tls_ca = InternalCa("tls-ca", InternalCaArgs(settings)) if settings.tls.ca == "internal" else None
front_proxies = {
    h: FrontProxy(
        f"{h}-proxy",
        FrontProxyArgs(settings, web_hosts[h], web.members_on(registry, h), web_day, proxy_blocks[h], tls_ca),
    )
    for h in settings.web_hosts
}
pulumi.export("web_sites_running", sorted(slug for slug, site in member_sites.items() if site.container is not None))
