"""PhpRuntime: one PHP version built on one web host, for the sites that run on it.

Creates ``<host>-php-<key>-build`` (command): a script that builds, with the
host's own Docker engine, Apache and mod_php from the packages of the Debian
release of the runtime (``pic:runtimes.<key>.debian``), on the base image of
that release pinned by ``pic:base_images``, plus an extra apt repository when
the runtime names one (``apt_source``, for versions Debian does not carry).
The extensions sites commonly need come with it (mysqli and pdo_mysql, gd,
intl, zip, mbstring, xml, curl, exif, bcmath, imagick, opcache; the build
fails when one does not load), and the platform's production php.ini
settings (``pic.render.web.render_php_ini``). The image tag carries a hash of the
Dockerfile, so a new base, source or Dockerfile gives a new tag, and only the
containers built from it are replaced; the same settings give the same tag.

Built by a script rather than a docker build resource: the Dockerfile needs
no build context, and nothing has to be written on the admin's machine. The
base image is built on the host by ``scripts/build-base-image`` (debootstrap
and docker import); the build stops, naming that script, when it is missing.

Does not: decide whether a runtime may run (``pic.eol.site_state``
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
        image = web.php_image(args.settings, args.key)
        tag = image.tag
        self.build = run_script(
            f"{name}-build",
            args.host.access,
            web.render_image_build_script(image),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[args.host.setup]),
        )
        # The tag is known before the build runs; tying it to the build's output
        # makes every container that uses it wait for the build.
        self.image = self.build.stdout.apply(lambda _: tag)  # type: ignore[attr-defined]
        self.eol = pulumi.Output.from_input(spec.eol.isoformat())
        self.register_outputs({"image": self.image, "eol": self.eol})
