"""A certificate authority and members' certificates for the tests, made with ``cryptography``.

The same shape as the internal mode of the stack (components/internal_ca.py and
member_certificate.py): one ECDSA P-256 CA, and per member one key and one
certificate whose subjectAltName lists exactly the member's domains.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Ca:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "pic")]
    )


def make_ca(cn: str = "pic test CA") -> Ca:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Ca(key, cert)


def member_cert(ca: Ca, domains: list[str], *, days: int = 7, start_days_ago: int = 0) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM) of one member: one certificate for all its domains.

    Valid from ``start_days_ago`` days ago for ``days`` days (in the past entirely: an expired one).
    """
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=start_days_ago)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(domains[0]))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in domains]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def write_member_cert(
    ca: Ca, certs_dir: Path, slug: str, domains: list[str], *, days: int = 7, start_days_ago: int = 0
) -> x509.Certificate:
    """Put a member's certificate where the proxy loads it (key 0600), as the internal mode does."""
    cert_pem, key_pem = member_cert(ca, domains, days=days, start_days_ago=start_days_ago)
    directory = certs_dir / slug
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_path = directory / "privkey.pem"
    key_path.write_bytes(key_pem)
    os.chmod(key_path, 0o600)
    (directory / "fullchain.pem").write_bytes(cert_pem)
    return x509.load_pem_x509_certificate(cert_pem)


def dns_names(cert: x509.Certificate) -> list[str]:
    return list(
        cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    )


def load_cert(path: Path) -> x509.Certificate:
    """The first certificate of a PEM file (the leaf of a chain)."""
    return x509.load_pem_x509_certificate(path.read_bytes())
