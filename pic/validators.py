"""Checks of single values shared by the member and settings models.

Each check returns the value or raises ValueError with a message that says
what is allowed; pydantic turns that into a field error.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import struct
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, WithJsonSchema

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$")
_LABEL_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def check_domain(value: str) -> str:
    """A lowercase DNS host name, IDN as punycode, no trailing dot, not an IP address."""
    if value != value.strip():
        raise ValueError("has surrounding spaces")
    if not value:
        raise ValueError("is empty")
    _check_domain_form(value)
    if len(value) > 253:
        raise ValueError(f"is {len(value)} characters long (at most 253)")
    labels = value.split(".")
    if len(labels) < 2:
        raise ValueError("needs at least two labels (like example.org)")
    for label in labels:
        if len(label) > 63:
            raise ValueError(f"has a label of {len(label)} characters (at most 63): {label[:20]}...")
        if not _LABEL_RE.match(label):
            raise ValueError(f"has an invalid label {label!r}: letters a-z, digits and inner hyphens only")
    if labels[-1].isdigit():
        raise ValueError("ends with an all-numeric label")
    return value


def _check_domain_form(value: str) -> None:
    if value.endswith("."):
        raise ValueError("ends with a dot: write the name without the trailing dot")
    if any(c.isupper() for c in value):
        raise ValueError(f"has uppercase letters: write it in lowercase ({value.lower()!r})")
    if not value.isascii():
        raise ValueError("has non-ASCII letters: write an internationalised name in punycode (xn--...)")
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return
    raise ValueError("is an IP address, not a domain name")


def check_email(value: str) -> str:
    """An e-mail address of valid syntax (no DNS lookup)."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"is not a valid e-mail address: {exc}") from None
    return value


SSH_KEY_TYPES = {
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
}
_MIN_RSA_BITS = 2048


def _rsa_bits(blob: bytes) -> int:
    """The modulus size of an ssh-rsa public key blob (type, e, n as SSH strings)."""
    pos = 0
    parts = []
    for _ in range(3):
        (length,) = struct.unpack(">I", blob[pos : pos + 4])
        parts.append(blob[pos + 4 : pos + 4 + length])
        pos += 4 + length
    return int.from_bytes(parts[2], "big").bit_length()


def check_ssh_key(value: str) -> str:
    """One OpenSSH public key line: TYPE BASE64 [comment], no options."""
    fields = value.split()
    if len(fields) < 2:
        raise ValueError("is not an OpenSSH public key (expected: TYPE BASE64 [comment])")
    kind, data = fields[0], fields[1]
    if kind == "ssh-dss":
        raise ValueError("is a DSA key, which OpenSSH no longer accepts: use ssh-ed25519")
    if kind not in SSH_KEY_TYPES:
        raise ValueError(
            f"has key type {kind!r}: expected one of {', '.join(sorted(SSH_KEY_TYPES))} "
            "(key options such as command=... are not allowed)"
        )
    try:
        blob = base64.b64decode(data, validate=True)
        (length,) = struct.unpack(">I", blob[:4])
        inner = blob[4 : 4 + length].decode("ascii")
    except (binascii.Error, struct.error, UnicodeDecodeError, ValueError):
        raise ValueError("has a key body that is not valid base64 key data") from None
    if inner != kind:
        raise ValueError(f"says {kind!r} but its key data is of type {inner!r}")
    if kind == "ssh-rsa":
        try:
            bits = _rsa_bits(blob)
        except struct.error:
            raise ValueError("has truncated RSA key data") from None
        if bits < _MIN_RSA_BITS:
            raise ValueError(f"is a {bits}-bit RSA key (at least {_MIN_RSA_BITS}): use ssh-ed25519")
    return value


def check_ip(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError("is not an IPv4 or IPv6 address") from None
    return value


def check_host_address(value: str) -> str:
    """A DNS name or an IP address (or localhost, for the dev stack)."""
    if value == "localhost":
        return value
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return check_domain(value)
    return value


DOMAIN_PATTERN = r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"

SSH_KEY_PATTERN = r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-\S+) [A-Za-z0-9+/=]+( .*)?$"

Domain = Annotated[
    str,
    AfterValidator(check_domain),
    WithJsonSchema({"type": "string", "pattern": DOMAIN_PATTERN, "description": "lowercase, punycode for IDN"}),
]
Email = Annotated[str, AfterValidator(check_email), WithJsonSchema({"type": "string", "format": "email"})]
SshKey = Annotated[
    str,
    AfterValidator(check_ssh_key),
    WithJsonSchema({"type": "string", "pattern": SSH_KEY_PATTERN}),
]
IpAddress = Annotated[str, AfterValidator(check_ip)]
HostAddress = Annotated[str, AfterValidator(check_host_address)]
