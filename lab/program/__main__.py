"""The lab program: the platform's Docker part, applied by the Pulumi engine on the lab's hosts.

Reads the registry and the settings of the stack ``lab`` (Pulumi.lab.yaml at the project root)
with the same check as the main program, then declares, with the program's own components:
- per web host, ``<h>-docker``, ``<h>-network`` and ``<h>-caddy-image`` (components.web_host.host_engine),
  the engine reached over ``ssh://root@<address>`` as in production;
- per member with a static site that may run, its MemberSite (the ``<slug>-container``).

The main program (__main__.py at the root) needs the command, tls, random and mysql plugins,
whose Go sources the module proxy does not serve (see lab/README.md); what they would create
on the hosts (the members' spaces) the lab's hosts script prepares instead.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import cast

import pulumi
import pulumi_docker as docker

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from components.hostcmd import host_access  # noqa: E402
from components.member_site import MemberSite, MemberSiteArgs  # noqa: E402
from components.member_space import MemberSpace  # noqa: E402
from components.web_host import WebHost, host_engine  # noqa: E402
from pic import eol  # noqa: E402
from pic.check import check  # noqa: E402
from pic.render import web  # noqa: E402

TODAY = dt.date.today()
checked = check(ROOT, "lab", ROOT / "members", TODAY)
settings, registry = checked.settings, checked.registry


class LabWebHost(pulumi.ComponentResource):
    """A web host of the lab: its engine, network and Caddy image (WebHost less its commands)."""

    def __init__(self, name: str) -> None:
        super().__init__("pic:index:WebHost", name, None, None)
        self.access = host_access(name, settings.hosts[name])
        engine = host_engine(name, settings, self.access, parent=self, after=[])
        self.provider, self.network = engine.provider, engine.network
        # WebHost builds this image with a command (no command plugin here): lab/hosts builds it
        # under the same tag on the lab's engine, where the provider finds it without pulling.
        self.caddy_image = docker.RemoteImage(
            f"{name}-caddy-image",
            name=web.caddy_image(settings).tag,
            keep_locally=True,
            opts=pulumi.ResourceOptions(parent=self, provider=self.provider),
        ).name
        self.register_outputs({"provider_url": engine.url, "network_name": self.network.name})


class PreparedSpace:
    """A member space the lab's hosts script made (MemberSpace needs the command plugin)."""

    def __init__(self, ready: pulumi.Resource) -> None:
        self.ready = ready


hosts = {h: LabWebHost(h) for h in settings.web_hosts}
sites = {
    m.slug: MemberSite(
        m.slug,
        MemberSiteArgs(
            settings,
            m,
            cast(WebHost, hosts[m.host]),
            cast(MemberSpace, PreparedSpace(hosts[m.host].network)),
            None,
            TODAY,
        ),
    )
    for m in registry
    if m.site is not None and m.runtime is None and eol.site_state(m, settings, TODAY) == "running"
}
pulumi.export("sites", {slug: site.container_name for slug, site in sites.items()})
pulumi.export("network", {h: host.network.name for h, host in hosts.items()})
