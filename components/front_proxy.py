"""FrontProxy: the one Caddy container of a web host, in front of every site.

Creates, for web host ``<h>`` (component ``<h>-proxy``):
- ``<h>-proxy-caddyfile`` (command): the rendered Caddyfile placed at
  ``/etc/pic/caddy/Caddyfile`` on the host (``hostcmd.place_file``: the text
  is the command's stdin).
- ``<h>-proxy-container`` (docker container ``pic-proxy``): the pinned Caddy
  image, ports 80 and 443 (tcp, and udp for HTTP/3), the Caddyfile's
  directory mounted read only (the directory, not the file: place_file
  replaces the file by a rename, which a file mount would not see),
  certificates and ACME account in ``/srv/pic/caddy/data`` on the host so
  that they survive a new container.
- ``<h>-proxy-reload`` (command): ``caddy reload`` inside the container when
  the Caddyfile changes: sites come and go without restarting the proxy.

One site block per member lists all its domains; Caddy obtains and renews
the certificates itself (Let's Encrypt, its staging, or its internal CA),
with no ``pulumi up`` needed. http redirects to https for https sites;
suspended and refused sites answer 503; archived members get no block.

Does not: hold any member file, or decide which sites run (the renderer
reads ``pic.render.web.site_state``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_docker as docker

from components.hostcmd import place_file, run_script
from components.web_host import WebHost
from pic.registry import Member
from pic.render import web
from pic.settings import Settings


@dataclass(frozen=True)
class FrontProxyArgs:
    settings: Settings
    host: WebHost
    members: Sequence[Member]
    on: dt.date
    extra_blocks: Sequence[str] = field(default_factory=tuple)


class FrontProxy(pulumi.ComponentResource):
    """The front proxy (Caddy) of a web host."""

    caddyfile: pulumi.Output[str]

    def __init__(self, name: str, args: FrontProxyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:FrontProxy", name, None, opts)
        host = args.host
        text = web.render_caddyfile(args.settings, args.members, args.extra_blocks, on=args.on)
        self.file = place_file(
            f"{name}-caddyfile",
            host.access,
            f"{web.CADDY_DIR}/Caddyfile",
            text,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[host.setup]),
        )
        self.container = docker.Container(
            f"{name}-container",
            name=web.PROXY_CONTAINER,
            image=host.caddy_image.image_id,
            ports=[
                docker.ContainerPortArgs(internal=80, external=80),
                docker.ContainerPortArgs(internal=443, external=443),
                docker.ContainerPortArgs(internal=443, external=443, protocol="udp"),
            ],
            mounts=[
                docker.ContainerMountArgs(type="bind", source=web.CADDY_DIR, target="/etc/caddy", read_only=True),
                docker.ContainerMountArgs(type="bind", source=web.CADDY_DATA, target="/data"),
                docker.ContainerMountArgs(type="bind", source=web.CADDY_CONFIG, target="/config"),
            ],
            networks_advanced=[docker.ContainerNetworksAdvancedArgs(name=host.network.name)],
            restart="unless-stopped",
            security_opts=["no-new-privileges:true"],
            labels=[
                docker.ContainerLabelArgs(label="pic.role", value="proxy"),
                docker.ContainerLabelArgs(label="pic.host", value=host.host_name),
            ],
            opts=pulumi.ResourceOptions(
                parent=self, provider=host.provider, depends_on=[self.file], delete_before_replace=True
            ),
        )
        self.reload = run_script(
            f"{name}-reload",
            host.access,
            web.render_proxy_reload_script(text),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.file, self.container]),
        )
        self.caddyfile = pulumi.Output.from_input(text)
        self.register_outputs({"caddyfile": self.caddyfile})
