"""MemberSite: the container that serves a member's site, when the site may run.

Creates, for member ``<slug>`` with a site:
- ``<slug>-container`` (docker container ``pic-site-<slug>``), only when the
  site runs (``pic.eol.site_state``: active, and its runtime neither
  stopped nor past end of life without a valid exception). Built from the
  member's PhpRuntime image (Apache + mod_php on port 8080, the rendered
  vhost uploaded, with the member's ``php_settings``) or, for ``php: none``,
  from the Caddy image serving files (with the member's ``charset``).
  Both images come from Debian's packages (see PhpRuntime and WebHost).
  It runs as the member's uid, mounts only the member's own ``www/`` (read
  and write), ``priv/`` (read only, outside the document root) and ``log/``,
  joins the host's network with no published port (``pic-db`` in its
  ``/etc/hosts``: the host's database endpoint), drops every capability,
  and has the memory, cpu and process limits of the stack, overridden by the
  member's ``limits:``. Its labels say what it is (member, role, runtime):
  nothing a routine edit changes, since a label change replaces a container.
- (with the container) the site's facts that the plan and the policy pack
  read, and for PHP sites the rotation of its logs: written by ``<slug>-space``
  (MemberSpace).
- (PHP sites that run) the member's msmtp configuration
  (``/etc/pic/mail/sites/<slug>/msmtprc``, placed by MemberCredentials, passed
  as ``credentials``), mounted read only into the container, where PHP's
  ``mail()`` reads it: relay to the web host's Postfix, the member's envelope
  sender (``pic.render.sitemail``). The container has a fixed address derived
  from the uid, by which the relay knows the member.
- ``<slug>-cron`` (command, sites that run and have ``cron:`` jobs): one
  systemd timer and service per job on the web host, running the job as the
  member inside the container, time-limited there, output in ``log/cron.log``
  (``pic.render.cron``); deleting it (site stopped, jobs removed) stops and
  removes the member's timers.

The container holds no data: it is replaced (deleted first: pulumi-docker
always deletes a container before creating its replacement) only when its
image, user or mounts change, e.g. a new PHP version, a move to another host
(another docker provider), a new cpu or process limit, new ``php_settings``
or ``charset`` (the uploaded vhost or Caddyfile; ForceNew in the docker
provider); a new memory limit is applied in place. Domains, https
and exceptions live in the front proxy and the site's facts. The member's
files live in MemberSpace, whose inputs do not depend on the runtime.

Does not: answer for suspended or refused sites (the front proxy answers
503), run anything for archived members, or create directories (MemberSpace).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.hostcmd import command_type, run_script
from components.member import FORMER_SITE, child_options
from components.member_space import MemberSpace
from components.php_runtime import PhpRuntime
from components.web_host import WebHost
from pic import eol, phpini
from pic.registry import Member
from pic.render import cron as membercron
from pic.render import db as rdb
from pic.render import sitemail, web
from pic.settings import Settings
from pic.validators import docker_cpus


@dataclass(frozen=True)
class MemberSiteArgs:
    settings: Settings
    member: Member
    host: WebHost
    space: MemberSpace
    runtime: PhpRuntime | None  # None for a static site, or when the site does not run
    on: dt.date
    # The member's MemberCredentials command (its msmtprc, mounted into a PHP site's container).
    credentials: pulumi.Resource | None = None


class MemberSite:
    """A member's site container on its web host (resources of the member's component, components.member)."""

    state: pulumi.Output[str]
    container_name: pulumi.Output[str]

    def __init__(self, name: str, args: MemberSiteArgs) -> None:
        member, settings = args.member, args.settings
        typ = command_type(args.host.access)
        if member.site is None:
            raise ValueError(f"{member.file}: member {member.slug} has no site")
        state = eol.site_state(member, settings, args.on)
        self.container: docker.Container | None = None
        self.cron: pulumi.CustomResource | None = None
        if state == "running":
            self.container = self._create_container(name, args)
        if state == "running" and member.spec.cron and self.container is not None:
            self.cron = run_script(
                f"{name}-cron",
                args.host.access,
                membercron.render_install_script(member),
                delete=membercron.render_remove_script(member),
                opts=child_options(member.slug, FORMER_SITE, typ, f"{name}-cron", depends_on=[self.container]),
            )
        self.state = pulumi.Output.from_input(state)
        self.container_name = pulumi.Output.from_input(
            web.site_container_name(member.slug) if self.container is not None else ""
        )

    def _create_container(self, name: str, args: MemberSiteArgs) -> docker.Container:
        member, settings, host = args.member, args.settings, args.host
        limits = web.member_limits(member, settings)
        image, command, uploads = self._image_and_config(args)

        def bind(sub: str, read_only: bool) -> docker.ContainerMountArgs:
            return docker.ContainerMountArgs(
                type="bind",
                source=web.member_path(settings, member.slug, sub),
                target=f"{web.SITE_ROOT}/{sub}",
                read_only=read_only,
            )

        mounts = [bind("www", False), bind("priv", True), bind("log", False)]
        depends: list[pulumi.Resource] = [args.space.ready]
        if member.runtime is not None:
            mounts.append(
                docker.ContainerMountArgs(
                    type="bind",
                    source=sitemail.host_config_dir(member.slug),
                    target=sitemail.CONTAINER_CONFIG_DIR,
                    read_only=True,
                )
            )
            if args.credentials is not None:
                depends.append(args.credentials)

        return docker.Container(
            f"{name}-container",
            name=web.site_container_name(member.slug),
            image=image,
            command=command,
            user=f"{member.uid}:{member.uid}",
            mounts=mounts,
            uploads=uploads,
            # the container's own, in memory; PHP's uploads in flight are written there (pic.phpini.SITE_TMP_MB)
            tmpfs={"/tmp": f"rw,noexec,nosuid,size={phpini.SITE_TMP_MB}m"},  # noqa: S108
            envs=["HOME=/tmp", "XDG_DATA_HOME=/tmp", "XDG_CONFIG_HOME=/tmp"],
            # A fixed address: the web host's mail relay knows the member by it (pic.render.sitemail).
            networks_advanced=[
                docker.ContainerNetworksAdvancedArgs(name=host.network.name, ipv4_address=sitemail.site_address(member))
            ],
            # the database endpoint of the web host, by the name the credentials include gives
            hosts=[docker.ContainerHostArgs(host=rdb.SITE_DB_HOST, ip=web.NETWORK_GATEWAY)],
            memory=limits.memory_mb,
            memory_swap=limits.memory_mb,
            cpus=docker_cpus(limits.cpus),
            # RLIMIT_NPROC counts the member's uid on the whole host: its shell, sftp and cron processes
            # take from the site's share (docs/REGISTRY.md; the provider has no --pids-limit).
            ulimits=[docker.ContainerUlimitArgs(name="nproc", soft=limits.pids, hard=limits.pids)],
            capabilities=docker.ContainerCapabilitiesArgs(drops=["ALL"]),
            security_opts=["no-new-privileges:true"],
            restart="unless-stopped",
            labels=[docker.ContainerLabelArgs(label=k, value=v) for k, v in web.site_labels(member, settings).items()],
            opts=child_options(
                member.slug,
                FORMER_SITE,
                "docker:index/container:Container",
                f"{name}-container",
                provider=host.provider,
                depends_on=depends,
                delete_before_replace=True,
                replace_on_changes=["image", "user", "mounts"],
            ),
        )

    @staticmethod
    def _image_and_config(
        args: MemberSiteArgs,
    ) -> tuple[pulumi.Input[str], list[str] | None, list[docker.ContainerUploadArgs]]:
        member = args.member
        if member.runtime is None:
            caddyfile = web.render_static_caddyfile(charset=member.site.charset if member.site else None)
            upload = docker.ContainerUploadArgs(file="/etc/caddy/Caddyfile", content=caddyfile)
            command = ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
            return args.host.caddy_image, command, [upload]
        if args.runtime is None:
            raise ValueError(f"{member.file}: the site of {member.slug} runs on PHP {member.runtime}, not built")
        vhost = web.render_member_vhost(member)
        uploads = [docker.ContainerUploadArgs(file="/etc/apache2/sites-enabled/pic-site.conf", content=vhost)]
        cli_ini = web.render_member_cli_ini(member)
        if cli_ini is not None:  # the same settings for its cron jobs (PHP's command line)
            uploads.append(docker.ContainerUploadArgs(file=web.member_cli_ini_path(member.runtime), content=cli_ini))
        return args.runtime.image, None, uploads
