"""PhpRuntime: one PHP version built on one web host, for the sites that run on it.

Creates ``<host>-php-<key>-build`` (command): a script that builds, with the
host's own Docker engine, the official image pinned by digest plus the
extensions sites commonly need (mysqli, pdo_mysql, gd, intl, zip, opcache).
The image tag carries a hash of the Dockerfile, so a new digest or a changed
Dockerfile gives a new tag, and only the containers built from it are
replaced. Old Debian releases build from archive.debian.org.

Built by a script rather than a docker build resource: the Dockerfile needs
no build context, and nothing has to be written on the admin's machine.

Does not: decide whether a runtime may run (``pic.render.web.site_state``
does: the program only builds runtimes that run at least one site, so a
stopped or expired runtime builds nothing); remove old images (``docker
image prune`` is the admins' call).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.hostcmd import run_script
from components.web_host import WebHost
from pic.render import web
from pic.settings import Settings


@dataclass(frozen=True)
class PhpRuntimeArgs:
    settings: Settings
    key: str
    host: WebHost


class PhpRuntime(pulumi.ComponentResource):
    """A PHP runtime image built on a web host."""

    image: pulumi.Output[str]
    eol: pulumi.Output[str]

    def __init__(self, name: str, args: PhpRuntimeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:PhpRuntime", name, None, opts)
        spec = args.settings.runtimes[args.key]
        self.key = args.key
        tag = web.php_image_tag(args.key, spec)
        self.build = run_script(
            f"{name}-build",
            args.host.access,
            web.render_php_build_script(args.key, spec),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[args.host.setup]),
        )
        # The tag is known before the build runs; tying it to the build's output
        # makes every container that uses it wait for the build.
        self.image = self.build.stdout.apply(lambda _: tag)  # type: ignore[attr-defined]
        self.eol = pulumi.Output.from_input(spec.eol.isoformat())
        self.register_outputs({"image": self.image, "eol": self.eol})
