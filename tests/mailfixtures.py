"""Shared data of the mail tests: the example registry's list domains, real RSA keys, a test layout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from pic.check import check
from pic.registry import Registry
from pic.render import dns, mail
from pic.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class KeyPair:
    private_pem: str  # PKCS#1, as pulumi-tls writes RSA keys
    public_pem: str  # SubjectPublicKeyInfo, as pulumi-tls's public_key_pem


@cache
def key_pair(domain: str) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return KeyPair(private, public)


@cache
def example() -> tuple[Settings, Registry]:
    """The prod stack and the example members, as the program sees them."""
    checked = check(ROOT, "prod", ROOT / "members", dt.date(2026, 11, 28))
    return checked.settings, checked.registry


def example_domains() -> list[mail.ListDomain]:
    settings, registry = example()
    return mail.list_domains(settings, registry)


def records_of(domain: mail.ListDomain) -> list[dns.Record]:
    settings, _ = example()
    return dns.mail_records(
        domain.domain,
        policy=domain.policy,
        selector=settings.mail.dkim_selector,
        public_key_pem=key_pair(domain.domain).public_pem,
        mail_exchanger=settings.mail_exchanger,
        reports=settings.dmarc_reports,
    )


def layout_in(root: Path) -> mail.SympaLayout:
    """Sympa's files under ``root`` instead of /etc and /var; mail goes to a file, not to Postfix."""
    sendmail = root / "sendmail"
    sendmail.write_text(f'#!/bin/sh\necho "$@" >> {root}/sent\ncat >> {root}/sent\n')
    sendmail.chmod(0o755)
    return mail.SympaLayout(
        etc=str(root / "etc"),
        config=str(root / "etc" / "sympa" / "sympa.conf"),
        home=str(root / "list_data"),
        db_name=str(root / "sympa.sqlite"),
        dkim_dir=str(root / "dkim"),
        maps_dir=str(root / "maps"),
        sendmail=str(sendmail),
        css_path=str(root / "css"),
        pictures_path=str(root / "pictures"),
    )
