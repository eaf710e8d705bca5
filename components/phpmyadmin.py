"""PhpMyAdmin: the phpMyAdmin container behind the front proxy, on ``pic:phpmyadmin.domain``.

Creates (component ``phpmyadmin``):
- ``phpmyadmin-build`` (command): builds the image from Debian's phpmyadmin
  package (``pic:phpmyadmin.debian``) on the pinned base image (see
  PhpRuntime for how images are built).
- ``phpmyadmin-container`` (docker container ``pic-phpmyadmin``) on the
  host's network at 172.30.0.3, no published port: the front proxy reaches
  it. Its ``conf.d/pic.php`` (rendered) talks to the db host's private
  address over TLS, verified against the db host's CA when one is given; a
  new cookie secret is made at every start.

:attr:`PhpMyAdmin.caddy_block` is the site block to pass to the FrontProxy of
the same host as an extra block.

Does not: create any database account (members log in with their own
database users, which are locked while the member is suspended or archived:
MemberDatabase's ``<name>-lock``), or expose anything but the proxy's https.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.hostcmd import run_script
from components.web_host import WebHost
from pic.render import web
from pic.settings import Settings

CA_FILE = "/etc/phpmyadmin/db-ca.pem"
# Debian's config.inc.php reads every file of conf.d last.
CONFIG_FILE = "/etc/phpmyadmin/conf.d/pic.php"


@dataclass(frozen=True)
class PhpMyAdminArgs:
    settings: Settings
    host: WebHost
    db_ca_pem: pulumi.Input[str] | None = None  # the db host's CA; without it TLS is not verified


class PhpMyAdmin(pulumi.ComponentResource):
    """phpMyAdmin on one web host."""

    url: pulumi.Output[str]

    def __init__(self, name: str, args: PhpMyAdminArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:PhpMyAdmin", name, None, opts)
        settings, host = args.settings, args.host
        pma = settings.phpmyadmin
        if pma is None:
            raise ValueError(f"Pulumi.{settings.stack}.yaml: pic:phpmyadmin is not set")
        self.caddy_block = web.render_phpmyadmin_block(settings)
        config = web.render_phpmyadmin_config(settings, ca_file=CA_FILE if args.db_ca_pem is not None else None)
        uploads = [docker.ContainerUploadArgs(file=CONFIG_FILE, content=config)]
        if args.db_ca_pem is not None:
            uploads.append(docker.ContainerUploadArgs(file=CA_FILE, content=args.db_ca_pem))
        image = web.phpmyadmin_image(settings)
        self.build = run_script(
            f"{name}-build",
            host.access,
            web.render_image_build_script(image),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[host.setup]),
        )
        self.container = docker.Container(
            f"{name}-container",
            name=web.PHPMYADMIN_CONTAINER,
            image=self.build.stdout.apply(lambda _: image.tag),  # type: ignore[attr-defined]
            uploads=uploads,
            networks_advanced=[
                docker.ContainerNetworksAdvancedArgs(name=host.network.name, ipv4_address=web.PHPMYADMIN_ADDRESS)
            ],
            restart="unless-stopped",
            security_opts=["no-new-privileges:true"],
            labels=[docker.ContainerLabelArgs(label="pic.role", value="phpmyadmin")],
            opts=pulumi.ResourceOptions(parent=self, provider=host.provider, delete_before_replace=True),
        )
        self.url = pulumi.Output.from_input(f"https://{pma.domain}/")
        self.register_outputs({"url": self.url})
