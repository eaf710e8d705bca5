"""FrontProxy: the one Caddy container of a web host, in front of every site.

Creates, for web host ``<h>`` (component ``<h>-proxy``):
- ``<h>-proxy-caddyfile`` (command): the rendered Caddyfile placed at
  ``/etc/pic/caddy/Caddyfile`` on the host (``hostcmd.place_file``: the text
  is the command's stdin).
- ``<h>-proxy-certs`` (command, ``pic:tls.ca`` letsencrypt or staging): puts
  a self-signed placeholder for each https member of the host that has no
  certificate yet, so that the Caddyfile always loads; never touches an
  existing certificate.
- ``<h>-proxy-container`` (docker container ``pic-proxy``): the host's Caddy
  image (Debian's caddy), address 172.30.0.2 on the host's network, ports 80
  and 443 (tcp, and udp for HTTP/3), the Caddyfile's directory mounted read
  only (the directory, not the file: place_file replaces the file by a
  rename, which a file mount would not see), the
  members' certificates (``/etc/pic/certs``) and the ACME webroot
  (``/srv/pic/acme``) read only at the same paths, Caddy's own data in
  ``/srv/pic/caddy/data`` (certificates of the extra blocks) so that it
  survives a new container.
- ``<h>-proxy-reload`` (command): ``caddy reload --force`` inside the
  container when the Caddyfile or a certificate placed by Pulumi changes:
  sites come and go without restarting the proxy.
- One MemberCertificate per https member of the host, named after the
  member and parented to the stack (README "Certificates"); an archived
  member's is kept (not loaded) so that re-activating it reuses it; with
  the internal CA, the proxy waits for their files; with ACME, they wait for
  the proxy, which must answer the HTTP-01 challenges of their domains.

One site block per member lists all its domains and loads the member's ONE
certificate (all its domains) from ``/etc/pic/certs/<slug>/``; Caddy manages
no member certificate. The http block of an https member serves
``/.well-known/acme-challenge/`` from the webroot and redirects the rest to
https; suspended and refused sites answer 503 (over https, with their
certificate); archived members get no block and keep their files.

Does not: hold any member file, or decide which sites run (the renderer
reads ``pic.eol.site_state``), or renew certificates (certbot on the
host does, see MemberCertificate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_docker as docker

from components.hostcmd import place_file, run_script
from components.internal_ca import InternalCa
from components.member_certificate import MemberCertificate, MemberCertificateArgs
from components.web_host import WebHost
from pic.registry import Member
from pic.render import tls, web
from pic.settings import Settings


@dataclass(frozen=True)
class FrontProxyArgs:
    settings: Settings
    host: WebHost
    members: Sequence[Member]
    on: dt.date
    extra_blocks: Sequence[str] = field(default_factory=tuple)
    ca: InternalCa | None = None  # the stack's CA when pic:tls.ca is internal
    # Host directories the extra blocks serve from, shown read-only at the same path (Sympa's
    # FastCGI socket and static files on the mail host); created by docker if missing at boot.
    host_paths: Sequence[str] = field(default_factory=tuple)


class FrontProxy(pulumi.ComponentResource):
    """The front proxy (Caddy) of a web host, and the certificates of its members."""

    caddyfile: pulumi.Output[str]
    certificate_domains: pulumi.Output[dict[str, list[str]]]

    def __init__(self, name: str, args: FrontProxyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:FrontProxy", name, None, opts)
        host, settings = args.host, args.settings
        internal = settings.tls.ca == "internal"
        certified = [m for m in args.members if web.needs_certificate(m)]
        kept = [m for m in args.members if web.keeps_certificate(m)]  # certified, and archived ones
        text = web.render_caddyfile(settings, args.members, args.extra_blocks, on=args.on)
        self.file = place_file(
            f"{name}-caddyfile",
            host.access,
            f"{web.CADDY_DIR}/Caddyfile",
            text,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[host.setup]),
        )
        # What must be on disk before the proxy (re)loads: the Caddyfile and every certificate it names.
        self.certificates: dict[str, MemberCertificate] = {}
        ready: list[pulumi.Resource] = [self.file]
        self.bootstrap: pulumi.CustomResource | None = None
        if internal:
            self.certificates = {m.slug: self._certificate(m, args, after=[]) for m in kept}
            ready += [f for c in self.certificates.values() for f in c.files]
        else:
            self.bootstrap = run_script(
                f"{name}-certs",
                host.access,
                tls.render_cert_bootstrap_script(certified),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[host.setup]),
            )
            ready.append(self.bootstrap)
        self.container = self._create_container(name, host, ready, args.host_paths)
        pems = [self.certificates[m.slug].cert_pem for m in certified if m.slug in self.certificates]
        script = pulumi.Output.all(*pems).apply(lambda p: web.render_proxy_reload_script(text, certificates=p))
        self.reload = run_script(
            f"{name}-reload",
            host.access,
            script,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*ready, self.container]),
        )
        if not internal:
            # HTTP-01: the proxy must already answer the challenges of the member's domains.
            self.certificates = {m.slug: self._certificate(m, args, after=[self.reload]) for m in kept}
        self.caddyfile = pulumi.Output.from_input(text)
        self.certificate_domains = pulumi.Output.from_input({m.slug: list(tls.domains_of(m)) for m in certified})
        self.register_outputs({"caddyfile": self.caddyfile, "certificate_domains": self.certificate_domains})

    def _create_container(
        self, name: str, host: WebHost, ready: list[pulumi.Resource], host_paths: Sequence[str]
    ) -> docker.Container:
        return docker.Container(
            f"{name}-container",
            name=web.PROXY_CONTAINER,
            image=host.caddy_image,
            ports=[
                docker.ContainerPortArgs(internal=80, external=80),
                docker.ContainerPortArgs(internal=443, external=443),
                docker.ContainerPortArgs(internal=443, external=443, protocol="udp"),
            ],
            mounts=[
                docker.ContainerMountArgs(type="bind", source=web.CADDY_DIR, target="/etc/caddy", read_only=True),
                docker.ContainerMountArgs(type="bind", source=web.CADDY_DATA, target="/data"),
                docker.ContainerMountArgs(type="bind", source=web.CADDY_CONFIG, target="/config"),
                docker.ContainerMountArgs(type="bind", source=web.CERTS_DIR, target=web.CERTS_DIR, read_only=True),
                docker.ContainerMountArgs(
                    type="bind", source=web.ACME_WEBROOT, target=web.ACME_WEBROOT, read_only=True
                ),
            ],
            volumes=[
                docker.ContainerVolumeArgs(host_path=path, container_path=path, read_only=True) for path in host_paths
            ],
            # The fixed address the isolation rules of the host let through (WebHost).
            networks_advanced=[
                docker.ContainerNetworksAdvancedArgs(name=host.network.name, ipv4_address=web.PROXY_ADDRESS)
            ],
            restart="unless-stopped",
            security_opts=["no-new-privileges:true"],
            labels=[
                docker.ContainerLabelArgs(label="pic.role", value="proxy"),
                docker.ContainerLabelArgs(label="pic.host", value=host.host_name),
            ],
            opts=pulumi.ResourceOptions(
                parent=self, provider=host.provider, depends_on=ready, delete_before_replace=True
            ),
        )

    @staticmethod
    def _certificate(member: Member, args: FrontProxyArgs, *, after: list[pulumi.Resource]) -> MemberCertificate:
        # Parented to the stack, not to the proxy: moving a member to another host keeps its URNs.
        return MemberCertificate(
            member.slug, MemberCertificateArgs(args.settings, member, args.host, args.ca, after=after)
        )
