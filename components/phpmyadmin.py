"""PhpMyAdmin: the phpMyAdmin container behind the front proxy, on ``pic:phpmyadmin.domain``.

Creates (component ``phpmyadmin``):
- ``phpmyadmin-image`` (docker remote image): ``pic:phpmyadmin.image``, pinned
  by digest in production.
- ``phpmyadmin-container`` (docker container ``pic-phpmyadmin``) on the
  host's network, no published port: the front proxy reaches it. Its
  ``config.user.inc.php`` (rendered) talks to the db host's private address
  over TLS, verified against the db host's CA when one is given.

:attr:`PhpMyAdmin.caddy_block` is the site block to pass to the FrontProxy of
the same host as an extra block.

Does not: create any database account (members log in with their own
database users), or expose anything but the proxy's https.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.web_host import WebHost
from pic.render import web
from pic.settings import Settings

CA_FILE = "/etc/phpmyadmin/db-ca.pem"


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
        uploads = [docker.ContainerUploadArgs(file="/etc/phpmyadmin/config.user.inc.php", content=config)]
        if args.db_ca_pem is not None:
            uploads.append(docker.ContainerUploadArgs(file=CA_FILE, content=args.db_ca_pem))
        self.image = docker.RemoteImage(f"{name}-image", name=pma.image, keep_locally=True, opts=host.on_host(self))
        self.container = docker.Container(
            f"{name}-container",
            name=web.PHPMYADMIN_CONTAINER,
            image=self.image.image_id,
            envs=[f"PMA_ABSOLUTE_URI=https://{pma.domain}/"],
            uploads=uploads,
            networks_advanced=[docker.ContainerNetworksAdvancedArgs(name=host.network.name)],
            restart="unless-stopped",
            security_opts=["no-new-privileges:true"],
            labels=[docker.ContainerLabelArgs(label="pic.role", value="phpmyadmin")],
            opts=pulumi.ResourceOptions(parent=self, provider=host.provider, delete_before_replace=True),
        )
        self.url = pulumi.Output.from_input(f"https://{pma.domain}/")
        self.register_outputs({"url": self.url})
