"""MemberCertificate: ONE TLS certificate per member, for all the domains of its https site.

The front proxy loads it from ``/etc/pic/certs/<slug>/fullchain.pem`` and
``privkey.pem`` on the member's web host (the key 0600, root's). Created for
every member whose site has ``https: true`` (suspended members and refused
sites keep theirs: the proxy answers 503 over https; archived members keep
theirs unused, so that re-activating one reuses its key and certificate).

Creates, for member ``<slug>`` (component ``<slug>``, parent the stack, so
moving a member to another web host keeps its URNs):

- ``pic:tls.ca: internal`` (dev stack, tests), from the stack's InternalCa:
  ``<slug>-tls-key`` (tls private key, secret), ``<slug>-tls-csr`` (tls
  certificate request whose ``dns_names`` are all the site's domains),
  ``<slug>-tls-cert`` (tls locally signed certificate, one year, re-signed by
  a ``pulumi up`` in its last 30 days), and the two files placed on the host:
  ``<slug>-tls-key-file`` (secret stdin, logging off, mode 0600) and
  ``<slug>-tls-cert-file``.
- ``pic:tls.ca: letsencrypt`` or ``staging``: ``<slug>-tls-cert`` (command):
  the rendered certbot script that issues the member's one lineage with
  every domain (``--cert-name <slug> --domain d1 --domain d2 ...``) over
  HTTP-01. It runs again when the domains change, and certbot re-issues the
  lineage with the new names. Renewal needs no ``pulumi up``:
  pic-cert-renew.timer renews on the host (dropping a name the CA cannot
  validate, and telling the admins) and the deploy hook (WebHost's setup)
  installs the new files and reloads the proxy.

The certificate is the member's: no delete command, so removing the member
or its https leaves the files on the host (an unused file does no harm).

Does not: write the proxy's configuration (FrontProxy), put the placeholder
that lets the proxy start before the first issuance (FrontProxy's
``<h>-proxy-certs``), or create the CA (InternalCa).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_tls as tls

from components.hostcmd import command_type, place_file, run_script
from components.internal_ca import KEY_SECRETS, InternalCa, common_name
from components.member import FORMER_CERTIFICATE, child_options
from components.web_host import WebHost
from pic.registry import Member
from pic.render import tls as render_tls
from pic.render import web
from pic.settings import Settings

VALIDITY_HOURS = 365 * 24
EARLY_RENEWAL_HOURS = 30 * 24


@dataclass(frozen=True)
class MemberCertificateArgs:
    settings: Settings
    member: Member
    host: WebHost
    ca: InternalCa | None  # required when pic:tls.ca is internal
    after: Sequence[pulumi.Resource] = field(default_factory=tuple)  # ACME: the proxy serving the challenges


class MemberCertificate:
    """A member's one certificate, with all its domains, where the front proxy loads it."""

    domains: pulumi.Output[list[str]]
    cert_pem: pulumi.Output[str]

    def __init__(self, name: str, args: MemberCertificateArgs) -> None:
        member, settings = args.member, args.settings
        if not web.keeps_certificate(member):
            raise ValueError(f"{member.file}: member {member.slug} has no https site to certify")
        domains = render_tls.domains_of(member)
        # The resources that put the files in place: the proxy waits for them.
        self.files: list[pulumi.Resource] = []
        if settings.tls.ca == "internal":
            self.cert_pem = self._create_internal(name, args, domains)
        else:
            issue = run_script(
                f"{name}-tls-cert",
                args.host.access,
                render_tls.render_cert_issue_script(member, settings),
                opts=child_options(
                    member.slug,
                    FORMER_CERTIFICATE,
                    command_type(args.host.access),
                    f"{name}-tls-cert",
                    depends_on=[args.host.setup, *args.after],
                ),
            )
            self.files.append(issue)
            self.cert_pem = pulumi.Output.from_input("")
        self.domains = pulumi.Output.from_input(domains)

    def _create_internal(self, name: str, args: MemberCertificateArgs, domains: list[str]) -> pulumi.Output[str]:
        ca, host, slug = args.ca, args.host, args.member.slug
        if ca is None:
            raise ValueError(f"Pulumi.{args.settings.stack}.yaml: pic:tls.ca is internal but no InternalCa was given")

        def child(typ: str, child_name: str, **options: object) -> pulumi.ResourceOptions:
            return child_options(slug, FORMER_CERTIFICATE, typ, child_name, **options)

        self.key = tls.PrivateKey(
            f"{name}-tls-key",
            algorithm="ECDSA",
            ecdsa_curve="P256",
            opts=child("tls:index/privateKey:PrivateKey", f"{name}-tls-key", additional_secret_outputs=KEY_SECRETS),
        )
        self.csr = tls.CertRequest(
            f"{name}-tls-csr",
            private_key_pem=self.key.private_key_pem,
            dns_names=domains,
            subject=tls.CertRequestSubjectArgs(common_name=common_name(domains), organization=slug),
            opts=child("tls:index/certRequest:CertRequest", f"{name}-tls-csr"),
        )
        self.cert = tls.LocallySignedCert(
            f"{name}-tls-cert",
            cert_request_pem=self.csr.cert_request_pem,
            ca_private_key_pem=ca.private_key_pem,
            ca_cert_pem=ca.cert_pem,
            validity_period_hours=VALIDITY_HOURS,
            early_renewal_hours=EARLY_RENEWAL_HOURS,
            allowed_uses=["digital_signature", "key_encipherment", "server_auth"],
            opts=child("tls:index/locallySignedCert:LocallySignedCert", f"{name}-tls-cert"),
        )
        cert_path, key_path = web.cert_paths(slug)
        typ = command_type(host.access)
        self.files.append(
            place_file(
                f"{name}-tls-key-file",
                host.access,
                key_path,
                pulumi.Output.secret(self.key.private_key_pem),
                opts=child(typ, f"{name}-tls-key-file", depends_on=[host.setup]),
                mode="0600",
                secret=True,
            )
        )
        self.files.append(
            place_file(
                f"{name}-tls-cert-file",
                host.access,
                cert_path,
                self.cert.cert_pem,
                opts=child(typ, f"{name}-tls-cert-file", depends_on=[host.setup]),
            )
        )
        return self.cert.cert_pem
