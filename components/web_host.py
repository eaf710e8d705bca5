"""WebHost: one web host of the stack, as the other web components reach it.

Creates, for web host ``<h>``:
- ``<h>-setup`` (command): the base setup script (Docker engine, nftables
  firewall, the ssh groups, the members' root directory, the proxy's
  directories, the members' certificates directory and the ACME webroot;
  with ``pic:tls.ca`` letsencrypt or staging, certbot from Debian, its deploy
  hook and pic-cert-renew.timer; the nightly disk usage job). It first makes
  every directory on the path of the members' root safe for sshd's chroot, or
  stops. Idempotent: a changed script runs again, safely.
- ``<h>-sshd`` (command, ssh hosts only): installs the rendered sshd_config
  once ``sshd -t`` accepts it, then reloads sshd, so a bad file never locks
  the admins out.
- ``<h>-docker`` (docker provider): the host's own Docker engine, over
  ``ssh://user@address`` in prod, the local engine in dev.
- ``<h>-network`` (docker network ``pic-web``, 172.30.0.0/16): the front
  proxy and the site containers talk over it; sites publish no port of their
  own and trust ``X-Forwarded-For`` from this subnet only. The host's own
  address on it is 172.30.0.1 (set: Docker would otherwise take the first
  address of the range below), where the database endpoint listens. Docker hands out
  addresses from 172.30.128.0/17; the proxy (172.30.0.2) and phpMyAdmin
  (172.30.0.3) have fixed ones, which the setup's nftables rules (bridge
  family) rely on: between two containers of the network, only traffic to
  or from the proxy passes, so a member's site cannot reach another's.
- ``<h>-caddy-build`` (command): builds the Caddy image from Debian's caddy
  package (``pic:proxy.debian``) on the pinned base image, for the front
  proxy and for static sites (see PhpRuntime for how images are built).

Does not: touch the admin's own sshd in dev (``connection: local``); hold
the ssh key for the docker provider (the docker CLI's ssh uses the admin's
ssh agent); delete anything on the host when removed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_docker as docker

from components.hostcmd import HostAccess, host_access, run_script
from pic.render import web
from pic.settings import Settings


@dataclass(frozen=True)
class WebHostArgs:
    settings: Settings
    host: str


def docker_host_url(access: HostAccess) -> str:
    """Where the docker provider finds the host's engine."""
    if access.local:
        return "unix:///var/run/docker.sock"
    spec = access.spec
    return f"ssh://{spec.ssh_user}@{spec.url_host}:{spec.ssh_port}"


@dataclass(frozen=True)
class HostEngine:
    """A web host's Docker engine as the program reaches it, and what every site shares on it."""

    url: str
    provider: docker.Provider
    network: docker.Network


def host_engine(
    name: str, settings: Settings, access: HostAccess, *, parent: pulumi.Resource, after: list[pulumi.Resource]
) -> HostEngine:
    """The ``<name>-docker`` provider and ``<name>-network`` of a web host.

    ``after``: what must be applied before the engine is used (the host's setup, which installs
    Docker). Used by WebHost, and alone by the lab program (lab/program), which has no command plugin.
    """
    url = docker_host_url(access)
    provider = docker.Provider(
        f"{name}-docker",
        host=url,
        ssh_opts=None if access.local else ["-o", "BatchMode=yes"],
        opts=pulumi.ResourceOptions(parent=parent, depends_on=after),
    )
    on_host = pulumi.ResourceOptions(parent=parent, provider=provider)
    network = docker.Network(
        f"{name}-network",
        name=web.NETWORK,
        driver="bridge",
        ipam_configs=[
            docker.NetworkIpamConfigArgs(
                subnet=web.NETWORK_SUBNET, ip_range=web.NETWORK_DYNAMIC, gateway=web.NETWORK_GATEWAY
            )
        ],
        opts=on_host,
    )
    return HostEngine(url, provider, network)


class WebHost(pulumi.ComponentResource):
    """A web host: base setup, sshd, docker provider, network, Caddy image."""

    provider_url: pulumi.Output[str]
    network_name: pulumi.Output[str]

    def __init__(self, name: str, args: WebHostArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:WebHost", name, None, opts)
        settings = args.settings
        self.host_name = args.host
        self.access = host_access(args.host, settings.hosts[args.host])
        child = pulumi.ResourceOptions(parent=self)
        self.setup = run_script(
            f"{name}-setup", self.access, web.render_web_host_setup(settings, args.host), opts=child
        )
        self.sshd: pulumi.CustomResource | None = None
        if not self.access.local:
            self.sshd = run_script(
                f"{name}-sshd",
                self.access,
                web.render_sshd_install_script(web.render_sshd_config(settings, args.host)),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.setup]),
            )
        engine = host_engine(name, settings, self.access, parent=self, after=[self.setup])
        self.provider, self.network = engine.provider, engine.network
        image = web.caddy_image(settings)
        self.caddy_build = run_script(
            f"{name}-caddy-build",
            self.access,
            web.render_image_build_script(image),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.setup]),
        )
        # The tag is known before the build; tying it to the build makes the containers wait for it.
        self.caddy_image: pulumi.Output[str] = self.caddy_build.stdout.apply(  # type: ignore[attr-defined]
            lambda _: image.tag
        )
        self.provider_url = pulumi.Output.from_input(engine.url)
        self.network_name = self.network.name
        self.register_outputs({"provider_url": self.provider_url, "network_name": self.network_name})

    def on_host(
        self, parent: pulumi.Resource, *, depends_on: list[pulumi.Resource] | None = None
    ) -> pulumi.ResourceOptions:
        """Options for a docker resource of this host, parented to ``parent``."""
        return pulumi.ResourceOptions(parent=parent, provider=self.provider, depends_on=depends_on or [])
