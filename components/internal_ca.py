"""InternalCa: the certificate authority of a stack whose ``pic:tls.ca`` is ``internal`` (dev, tests).

Creates (component ``tls-ca``):
- ``tls-ca-key`` (tls private key, ECDSA P-256): the CA's key, a secret
  output end to end.
- ``tls-ca-cert`` (tls self-signed certificate, ``is_ca_certificate``): valid
  ten years; its PEM is :attr:`InternalCa.cert_pem`, what a browser or curl
  trusts to reach the dev sites.

Each member's certificate is signed by it (MemberCertificate). Nothing here
reaches a host.

Does not: exist in stacks that use Let's Encrypt (or its staging), renew
itself (ten years), or install itself in any trust store.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_tls as tls

from pic.settings import Settings

CA_VALIDITY_HOURS = 10 * 365 * 24
KEY_SECRETS = ["private_key_pem", "private_key_openssh", "private_key_pem_pkcs8"]

# X.509's upper bound of a common name: ub-common-name, 64 characters (RFC 5280, appendix A.1).
COMMON_NAME_MAX = 64


def common_name(domains: list[str]) -> str | None:
    """The subject's common name of a certificate for ``domains``: the first of them that fits in 64
    characters, as Let's Encrypt chooses it; None (no common name, the names in the certificate's
    subjectAltName only, which clients read) when none does."""
    return next((domain for domain in domains if len(domain) <= COMMON_NAME_MAX), None)


def ca_common_name(stack: str) -> str:
    """``pic STACK CA``, the stack's name cut to fit X.509's 64 characters of a common name (RFC 5280,
    appendix A.1, ub-common-name; Pulumi takes stack names of up to 100)."""
    return f"pic {stack[: COMMON_NAME_MAX - len('pic  CA')]} CA"


@dataclass(frozen=True)
class InternalCaArgs:
    settings: Settings


class InternalCa(pulumi.ComponentResource):
    """The stack's own certificate authority for the members' certificates."""

    cert_pem: pulumi.Output[str]

    def __init__(self, name: str, args: InternalCaArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:InternalCa", name, None, opts)
        settings = args.settings
        if settings.tls.ca != "internal":
            raise ValueError(f"Pulumi.{settings.stack}.yaml: pic:tls.ca is {settings.tls.ca}, not internal")
        self.key = tls.PrivateKey(
            f"{name}-key",
            algorithm="ECDSA",
            ecdsa_curve="P256",
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=KEY_SECRETS),
        )
        self.cert = tls.SelfSignedCert(
            f"{name}-cert",
            private_key_pem=self.key.private_key_pem,
            is_ca_certificate=True,
            subject=tls.SelfSignedCertSubjectArgs(common_name=ca_common_name(settings.stack), organization="pic"),
            validity_period_hours=CA_VALIDITY_HOURS,
            allowed_uses=["cert_signing", "crl_signing", "digital_signature"],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.private_key_pem: pulumi.Output[str] = pulumi.Output.secret(self.key.private_key_pem)
        self.cert_pem = self.cert.cert_pem
        self.register_outputs({"cert_pem": self.cert_pem})
