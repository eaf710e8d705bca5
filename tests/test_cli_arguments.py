"""Ports, timeouts, resolvers and files on the command line: a value that cannot work is a usage
error (exit 2, argparse's message naming the option and the value) before anything is read,
probed or sent; never a table of ACTION rows, a hang or a traceback."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import ipaddress
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pic import cli
from pic.cli import _parse, _parser
from tests.conftest import ROOT, require_program


def _pem_files(directory: Path) -> dict[str, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pic test CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    files = {
        "ca.pem": cert.public_bytes(serialization.Encoding.PEM),
        "ca.der": cert.public_bytes(serialization.Encoding.DER),
        "key.pem": key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        "empty.pem": b"",
        "text.pem": b"not a certificate\n",
    }
    pem = files["ca.pem"].decode()
    body = pem.splitlines()
    files["damaged.pem"] = pem.replace(body[1], "!" + body[1][1:], 1).encode()  # a byte of its base64 mistyped
    files["cut.pem"] = "\n".join(body[:3]).encode() + b"\n"  # the copy cut before its END line
    files["good-then-damaged.pem"] = files["ca.pem"] + files["damaged.pem"]
    files["not-der.pem"] = pem.replace(body[1], "A" * len(body[1]), 1).encode()  # base64, of no certificate
    files["utf16.pem"] = pem.encode("utf-16")  # saved again as "Unicode" by a Windows editor: a byte-order mark
    files["utf16be.pem"] = pem.encode("utf-16-be")  # without one: told by the NULs around its first character
    for file, data in files.items():
        (directory / file).write_bytes(data)
    return {file: directory / file for file in files}


@pytest.fixture(scope="module")
def pems(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _pem_files(tmp_path_factory.mktemp("pems"))


# A subscriber export there is: an export is checked as it is parsed (a file that cannot be read is a usage error).
EXPORT = str(ROOT / "tests" / "data" / "lists" / "clean.txt")
BAD_PORTS = ["0", "-1", "65536", "99999", " 53", "+53", "5_3", "٥٣", "0x35", "53.0", ""]
# 300.0000000000000001 was taken: read as a float, it is 300.0, at most 300; so was 0.000...0 (a float of 0)
BAD_TIMEOUTS = [
    *("0", "-5", "nan", "NaN", "inf", "-inf", "1e400", "1e3", "301", "9999999", "", "five", "٥"),
    *("300.0000000000000001", "300." + "0" * 50 + "1", "0." + "0" * 60),
]
BAD_RESOLVERS = ["dns.google", "localhost", "127.0.0.256", "1.1.1.1:53", "", "::g"]

# Each command and option that takes a port, a timeout or a resolver address.
PORT_OPTIONS = [
    ("status", "--port"),
    ("status", "--https-port"),
    ("status", "--http-port"),
    ("dns check", "--port"),
    (f"lists audit --mx {EXPORT}", "--port"),
]
TIMEOUT_OPTIONS = [("status", "--timeout"), ("dns check", "--timeout"), (f"lists audit --mx {EXPORT}", "--timeout")]
RESOLVER_OPTIONS = [("status", "--resolver"), ("dns check", "--resolver"), (f"lists audit --mx {EXPORT}", "--resolver")]


def usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Exit 2 with argparse's usage and message, from the parsing alone (nothing run, nothing probed)."""
    with pytest.raises(SystemExit) as info:
        _parser().parse_args(argv)
    out = capsys.readouterr()
    assert info.value.code == 2, out
    assert out.out == "" and "usage: pic" in out.err and "Traceback" not in out.err, out
    return out.err


@pytest.mark.parametrize(("command", "option"), PORT_OPTIONS)
@pytest.mark.parametrize("value", BAD_PORTS)
def test_a_port_is_1_to_65535(capsys: pytest.CaptureFixture[str], command: str, option: str, value: str) -> None:
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert f"argument {option}: {value!r} is not a port (a number from 1 to 65535)" in err


@pytest.mark.parametrize(("command", "option"), TIMEOUT_OPTIONS)
@pytest.mark.parametrize("value", BAD_TIMEOUTS)
def test_a_timeout_is_a_finite_number_of_seconds_above_0_and_at_most_300(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str
) -> None:
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert f"argument {option}: {value!r} is not a number of seconds above 0 and at most 300" in err


@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
@pytest.mark.parametrize("value", BAD_RESOLVERS)
def test_a_resolver_is_an_ip_address(capsys: pytest.CaptureFixture[str], command: str, option: str, value: str) -> None:
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert f"argument {option}: {value!r} is not an IP address" in err


@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
@pytest.mark.parametrize(
    ("value", "told"),
    [
        ("1.1.1.1:53", "an address and a port: give the port with --port (--resolver 1.1.1.1 --port 53)"),
        (
            "[2001:db8::53]:5353",
            "an address and a port: give the port with --port (--resolver 2001:db8::53 --port 5353)",
        ),
        ("[::1]", "give it without brackets (::1)"),
        ("127.0.0.256", "is not an IP address: it has 256 as its 4th number, where each of an IPv4 address's 4"),
        ("192.0.2", "it has 3 numbers, where an IPv4 address has 4 (a.b.c.d, each from 0 to 255): give the whole"),
        ("::g", "is not an IP address: it has 'g', which is no hexadecimal digit: an IPv6 address has 8 groups of"),
        ("1::2::3", "is not an IP address: it has '::' twice: an IPv6 address has 8 groups of 1 to 4 hexadecimal"),
        ("fe80::1%", "is not an IP address: give the resolver's address (e.g. 127.0.0.1 or ::1)"),
        # an IPv4 address with more after it: no name's label (10.0.0.1%eth0 was told to give an address, not a name)
        ("10.0.0.1%eth0", "a zone id after its '%', which only an IPv6 link-local address takes: give 10.0.0.1"),
        ("127.0.0.1.", "ends with a dot, which no address has: give 127.0.0.1"),
        ("224.0.0.1.", "ends with a dot, which no address has, and '224.0.0.1' is a multicast address"),
        ("", "it is empty: give the resolver's address (e.g. 127.0.0.1 or ::1)"),
        # a network's prefix length after it, as pic:dns.resolver tells it (8.8.8.8/32 was told: not its name)
        ("8.8.8.8/32", "it holds a prefix length (/32), a network's: give 8.8.8.8"),
        ("2001:db8::53/128", "it holds a prefix length (/128), a network's: give 2001:db8::53"),
        ("224.0.0.1/4", "it holds a prefix length (/4), a network's, and '224.0.0.1' is a multicast address"),
        # a leading zero, as pic:dns.resolver tells it (127.0.0.01 was told: leading zeros are not permitted)
        ("127.0.0.01", "it has a leading zero in a number (01), which some programs read as octal: give 127.0.0.1"),
        # read as two addresses (inet_aton's octal, others' decimal): both named, neither given
        ("010.0.0.53", "it has a leading zero in a number (010), which some programs read as octal (as 8.0.0.53"),
        ("0177.0.0.1", "others in decimal (as 177.0.0.1): it is ambiguous, write the address meant without the"),
        ("10.0.0.09", "it has a leading zero in a number (09), which some programs read as octal: give 10.0.0.9"),
        # dots or a port after what is no address: the project's words, not Python's ("expected 4 octets")
        ("1.2.3.4..", "it ends with dots, which no address has: give 1.2.3.4"),
        ("1..2.3", "it has no number between two dots, or a dot at an end, where an IPv4 address has 4 numbers"),
        ("localhost:53", "localhost is a name, this machine's (RFC 6761 §6.3), not an address: give its address, and"),
        ("dns.example.org:53", "it is a name and a port: give the port with --port (--port 53), and the resolver's"),
        ("0177.0.0.1:53", "it is an address and a port, and 0177.0.0.1 has a leading zero in a number (0177), which"),
    ],
)
def test_a_resolver_that_is_no_name_is_told_what_is_wrong_with_it_not_to_give_an_address_for_a_name(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, told: str
) -> None:
    # a mistyped address, or one given with its port as a URL writes it, is not the resolver's name
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert f"argument {option}: {value!r} is not an IP address" in err
    assert told in err, err
    assert "not its name" not in err or "a name and a port" in told, err
    for python_s in ("octets", "parts expected", "permitted", "give 177.0.0.1", "give 8.0.0.53", "give 10.0.0.53"):
        assert python_s not in err or python_s in told, err


@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("1.1.1.1:99999", ("99999 is no port (1 to 65535)", "--port 99999")),
        ("1.1.1.1:0", ("0 is no port (1 to 65535)", "--port 0")),
        ("224.0.0.1:53", ("'224.0.0.1' is a multicast address: no resolver answers there", "--resolver 224.0.0.1")),
        ("[ff02::1]", ("'ff02::1' is a multicast address: no resolver answers there", "(ff02::1)")),
        (
            "[::ffff:1.2.3.4]:53",
            ("written as IPv6: give the port with --port (--resolver 1.2.3.4 --port 53)", "--resolver ::ffff:1.2.3.4"),
        ),
        (
            "::ffff:224.0.0.1",
            ("and '224.0.0.1' inside is a multicast address: no resolver answers there", "(224.0.0.1)"),
        ),
        ("::ffff:0.0.0.0", ("and '0.0.0.0' inside is the unspecified address", "(0.0.0.0)")),
        ("::224.0.0.1", ("IPv4-compatible IPv6 address", "(224.0.0.1)")),
    ],
)
def test_a_resolver_with_a_port_or_brackets_is_offered_only_what_is_then_taken(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, said: tuple[str, str]
) -> None:
    """1.1.1.1:99999 was offered --port 99999, [ff02::1] ff02::1, 224.0.0.1:53 --resolver 224.0.0.1: each refused
    then. What is wrong with the address or the port is told instead."""
    told, offered = said
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert told in err and offered not in err, err


@pytest.mark.parametrize(
    ("value", "told"),
    [
        ("127.1", "is the shorthand of 127.0.0.1 (a.b, read as a.0.0.b by inet_aton), which not every program reads"),
        ("localhost", "is a name, this machine's (RFC 6761 §6.3), not an address"),
        # inet_aton's other forms (0x7f.1 was told "not its name", 2130706433 "expected 4 octets")
        ("0x7f.1", "is 127.0.0.1 written with a number in hexadecimal (0x7f), as inet_aton reads it"),
        ("0177.0.1", "is 127.0.0.1 written with a number in octal (0177), as inet_aton reads it"),
        ("2130706433", "is 127.0.0.1 written as one number (its 32 bits)"),
    ],
)
@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_s_shorthand_or_localhost_is_told_as_the_settings_tell_it(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, told: str
) -> None:
    """--resolver 127.1 was told "expected 4 octets", localhost to give an address, not its name: each is told what
    it is, in pic:dns.resolver's words, 127.0.0.1 to give."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert told in err and "give 127.0.0.1" in err, err


@pytest.mark.parametrize(
    ("value", "told"),
    [
        # a number too few or too many (Python's "expected 4 octets" was told)
        ("9.9.9", "it has 3 numbers, where an IPv4 address has 4 (a.b.c.d, each from 0 to 255)"),
        ("1.2.3.4.5", "it has 5 numbers, where an IPv4 address has 4"),
        # inet_aton's forms with more around them, as the address alone is told
        ("127.1.", "it ends with a dot, which no address has, and 127.1 is the shorthand of 127.0.0.1"),
        ("0x7f.1.", "it ends with a dot, which no address has, and 0x7f.1 is 127.0.0.1 written with a number in hex"),
        ("0x7f.1:53", "it is an address and a port, and 0x7f.1 is 127.0.0.1 written with a number in hexadecimal"),
        ("[0x7f.1]:53", "give the port with --port (--resolver 127.0.0.1 --port 53)"),
        ("0x7f.1/32", "it holds a prefix length (/32), a network's, and 0x7f.1 is 127.0.0.1 written with"),
        ("::ffff:0x7f.1", "its IPv4 part 0x7f.1 is 127.0.0.1 written with a number in hexadecimal (0x7f)"),
        ("::ffff:127.1", "give the IPv4 address itself (127.0.0.1)"),
        ("64:ff9b::0x7f.1", "its IPv4 part 0x7f.1 is 127.0.0.1 written with"),
    ],
)
@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_in_inet_aton_s_forms_or_a_number_short_is_told_what_is_wrong(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, told: str
) -> None:
    """--resolver 127.1. and 9.9.9 were told Python's "expected 4 octets", ::ffff:0x7f.1 and 0x7f.1:53 hidden as a
    possible secret with Python's words: each is told what is wrong, named, the address meant (a port to give with
    --port) when it is knowable, as the address alone (0x7f.1) is told."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert f"argument {option}: {value!r} is not an IP address: " in err, err
    assert told in err and "octets" not in err and "not shown" not in err and "parts expected" not in err, err
    if "127.0.0.1" in told or "127.1" in value:
        assert "127.0.0.1" in err.rpartition(":")[2] or "--resolver 127.0.0.1" in err, err


@pytest.mark.parametrize(
    ("value", "told"),
    [
        # blanks pasted around it: pic:dns.resolver tells them, --resolver told "not its name"
        (" 9.9.9.9", "it has blanks around it: give 9.9.9.9"),
        ("0x7f.1 ", "it has blanks around it, and it is 127.0.0.1 written with a number in hexadecimal"),
        (" 224.0.0.1 ", "it has blanks around it, and '224.0.0.1' is a multicast address: no resolver answers"),
        # full-width digits (a Japanese or Chinese keyboard's): read in ASCII, as pic:dns.resolver reads them
        (
            "\uff19.\uff19.\uff19.\uff19",
            "it has digits or signs that only look like ASCII (full-width forms): give 9.9.9.9",
        ),
        ("\uff11\uff12\uff17.\uff11", "(full-width forms), and it is the shorthand of 127.0.0.1"),
    ],
)
@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_with_blanks_or_in_full_width_digits_is_told_the_address_meant(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, told: str
) -> None:
    """--resolver ' 9.9.9.9' (quoted after a paste) and '\uff19.\uff19.\uff19.\uff19' were told to give the resolver's
    address, not its name, where pic:dns.resolver tells the blanks and the full-width digits with the address to
    write: each is told what it is, the address meant given when the option takes it, else why not."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert told in err and "not its name" not in err, err


@pytest.mark.parametrize(
    ("value", "told"),
    [
        ("2001:db8::53%eth0", "which only a link-local address needs: give 2001:db8::53"),
        ("fe80::53%25eth0", "as a URL writes it (RFC 6874), which an address alone does not: give fe80::53%eth0"),
    ],
)
@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_s_zone_id_is_told_as_the_settings_tell_it(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, told: str
) -> None:
    """--resolver 2001:db8::53%eth0 (a zone id on an address reached without one) and fe80::53%25eth0 (RFC 6874's
    %25 of a URL, read as the interface 25eth0) were taken, where pic:dns.resolver refuses the one and took the
    other: each is refused, in both, with the address to give."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert told in err, err


@pytest.mark.parametrize(
    ("value", "offered"),
    [
        ("fe80::1%25eth0", "give fe80::1%eth0"),
        ("fe80::53%25enp3s0", "give fe80::53%enp3s0"),
        ("[fe80::1%25eth0]:53", "give the port with --port (--resolver fe80::1%eth0 --port 53)"),
        ("2001:db8::53%25eth0", "give 2001:db8::53"),
        ("ff02::1%25eth0", "'ff02::1' is a multicast address: no resolver answers there"),
    ],
)
@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_s_zone_id_written_as_a_url_writes_it_is_named_whole_once(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, offered: str
) -> None:
    """--resolver fe80::1%25eth0 was named 'fe80::the value (not shown: it may be a secret)', its last group and
    zone (1%25eth0) hidden as a possible secret, then offered whole as fe80::1%eth0: an interface's name after a
    URL's %25 is no secret, and the value is named whole; ff02::1%25eth0 was offered ff02::1, refused in turn."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert f"argument {option}: {value!r}" in err and "not shown" not in err and offered in err, err
    assert "give ff02::1" not in err, err


@pytest.mark.parametrize("value", ["fe80::1%25Lilas2024x", "[fe80::1%25Lilas2024x]:53", "2001:db8::1%25Lilas2024x"])
def test_a_password_pasted_as_a_zone_id_after_a_url_s_percent_is_still_hidden(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    err = usage_error(capsys, ["dns", "check", f"--resolver={value}"])
    assert "Lilas2024x" not in err and "lilas2024x" not in err and "not shown" in err, err


@pytest.mark.parametrize(
    "value",
    ["0xCafe1234", "0xCafe1234.", "[0xCafe1234]", "0xCafe1234/32", "0xCafe1234:53", "0xdeadBEEF"],
)
def test_a_password_shaped_as_hexadecimal_is_no_address_to_offer(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """--resolver 0xCafe1234 (a password of hexadecimal mixing capitals and small letters) was read as the address
    inet_aton reads, 202.254.18.52, and offered hidden (give the value (not shown: it may be a secret)), an offer no
    one can follow; 0xCafe1234. was shown, and its reading in decimal. Such a word is a password's shape, no
    address (as pic.secrettext reads it): told as a name is, never shown nor read."""
    err = usage_error(capsys, ["dns", "check", f"--resolver={value}"])
    hex_word = value.strip("[].:/325")
    assert hex_word.lower() not in err.lower() and str(int(hex_word, 16)) not in err, err
    assert str(ipaddress.IPv4Address(int(hex_word, 16))) not in err, err
    assert "give the value (not shown" not in err and "--resolver the value" not in err, err


@pytest.mark.parametrize(
    ("value", "told"),
    [
        ("1.2.3.4:", "ends with a ':' and no port after it: give 1.2.3.4"),
        ("localhost:", "ends with a ':' and no port after it, and localhost is a name"),
        ("Lilas2024x:", "ends with a ':' and no port after it, and a name before it"),
        ("[Lilas2024x]:53", "what is inside the brackets is no IP address"),
        ("[velo75paris]:53", "what is inside the brackets is no IP address"),
        ("::ffff:0177.0.0.1", "its IPv4 part 0177.0.0.1 has a leading zero in a number (0177)"),
        ("::ffff:010.0.0.1", "its IPv4 part 010.0.0.1 has a leading zero in a number (010)"),
        ("[]:53", "what is inside the brackets is no IP address"),
        ("[]:", "it ends with a ':' and no port after it"),
    ],
)
@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_holding_a_colon_is_told_in_pic_s_words(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, told: str
) -> None:
    """--resolver 1.2.3.4: and [Lilas2024x]:53 were told Python's "at least 3 parts expected", ::ffff:0177.0.0.1
    "at most 3 characters permitted in '0177' in '0177.0.0.1'", and []:53 ended with a traceback: a value holding
    ':' that is no address is told what it is in the option's own words, a password never shown, the address
    offered taken."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"]).strip().splitlines()[-1]
    assert told in err, err
    for python_s in ("expected", "permitted"):
        assert python_s not in err, err
    for word in ("lilas2024x", "velo75paris", "cafe1234"):
        assert word not in err.lower(), err
    if ": give 1.2.3.4" in told:
        assert _parser().parse_args([*command.split(), f"{option}=1.2.3.4"]).resolver == "1.2.3.4"


@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_is_not_an_ipv4_mapped_address(
    capsys: pytest.CaptureFixture[str], command: str, option: str
) -> None:
    err = usage_error(capsys, [*command.split(), f"{option}=::ffff:127.0.0.1"])
    assert "is an IPv4-mapped IPv6 address" in err and "give the IPv4 address itself (127.0.0.1)" in err, err


@pytest.mark.parametrize(
    ("value", "plain"),
    [("64:ff9b::127.0.0.1", "127.0.0.1"), ("2002:7f00:1::", "127.0.0.1"), ("::ffff:0:10.0.0.1", "10.0.0.1")],
)
@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_inside_nat64_6to4_or_translated_is_told_plain(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, plain: str
) -> None:
    """64:ff9b::127.0.0.1 (NAT64's prefix before a loopback address, which RFC 6052 §3.1 forbids), 2002:7f00:1::
    (6to4 of 127.0.0.1, RFC 3056) and ::ffff:0:10.0.0.1 (SIIT's IPv4-translated form, RFC 2765) were taken, as
    pic:dns.resolver took them: the IPv4 address inside is given instead."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert f"give the IPv4 address itself ({plain})" in err, err


@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_is_not_an_ipv4_compatible_address(
    capsys: pytest.CaptureFixture[str], command: str, option: str
) -> None:
    """::1.1.1.1 (IPv4-compatible, deprecated by RFC 4291 §2.5.5.1) was taken: the queries went to an IPv6 address
    no router carries, unanswered."""
    err = usage_error(capsys, [*command.split(), f"{option}=::1.1.1.1"])
    assert "is an IPv4-compatible IPv6 address" in err and "give the IPv4 address itself (1.1.1.1)" in err, err


@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("0.0.0.0", "the unspecified address"),
        ("::", "the unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("255.255.255.255", "a broadcast or reserved address"),
        ("240.0.0.1", "a broadcast or reserved address"),
        ("0.1.2.3", "an address of 0.0.0.0/8, this host on this network, never a destination (RFC 6890)"),
        ("0.255.255.255", "an address of 0.0.0.0/8, this host on this network, never a destination (RFC 6890)"),
    ],
)
def test_a_resolver_is_an_address_that_can_answer(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, what: str
) -> None:
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert f"argument {option}: {value!r} is {what}: no resolver answers there" in err


@pytest.mark.parametrize("value", ["fe80::1%lo", "192.0.2.53", "2001:db8::53"])
def test_a_resolver_on_the_local_link_or_a_unicast_address_is_taken(value: str) -> None:
    assert _parser().parse_args(["status", f"--resolver={value}"]).resolver == value


def test_https_and_http_are_not_the_same_port(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, ["status", "--https-port=8443", "--http-port=8443"])
    assert "argument --https-port: 8443 is also the --http-port: give each its own port" in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--http-port=443"], "argument --http-port: 443 is the port of --https-port, which is 443 by default"),
        (["--http-port", "443"], "argument --http-port: 443 is the port of --https-port, which is 443 by default"),
        (["--https-port=80"], "argument --https-port: 80 is the port of --http-port, which is 80 by default"),
    ],
)
def test_a_port_given_alone_that_is_the_others_default_names_the_option_given(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    """``--http-port 443`` alone was told 'argument --https-port: 443 is also the --http-port', an option not
    given: the message names the one given and the default it meets."""
    err = usage_error(capsys, ["status", *argv])
    other = "--https-port" if "http-port" in argv[0] else "--http-port"
    assert said in err and f"give {other} another port too" in err, err


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("/dev/zero", "is a character device, not a regular file"),
        ("/dev/null", "is a character device, not a regular file"),
        ("/etc/hostname", "holds no certificate OpenSSL can load"),
        ("/", "is a directory"),
        ("/nonexistent/ca.pem", "cannot be read (No such file or directory)"),
        ("empty.pem", "holds no certificate"),
        ("text.pem", "holds no certificate"),
        # the CA's key given for its certificate: said to be a key (was: "holds no certificate OpenSSL can load")
        ("key.pem", "holds a private key (-----BEGIN PRIVATE KEY-----), no certificate (the CA's key is never given)"),
        # a certificate in DER, as a browser or Windows exports one: said so, with the command that writes it in PEM
        ("ca.der", "holds a certificate in DER (binary), not in PEM: convert it with `openssl x509 -inform DER -in"),
        ("utf16.pem", "is encoded in UTF-16 (little-endian): save it as UTF-8 (PEM is ASCII text)"),
        ("utf16be.pem", "is encoded in UTF-16 (big-endian): save it as UTF-8 (PEM is ASCII text)"),
        # a PEM block OpenSSL cannot read: which one is said, not OpenSSL's "[X509] PEM lib (_ssl.c:4154)"
        ("damaged.pem", "holds a certificate OpenSSL cannot read, at line 1 (its base64 is damaged, or cut"),
        ("cut.pem", "holds a certificate OpenSSL cannot read, at line 1 (its base64 is damaged, or cut"),
        ("good-then-damaged.pem", "holds a certificate OpenSSL cannot read, at line "),
        ("not-der.pem", "holds a certificate OpenSSL cannot read, at line 1 (its base64 is damaged, or cut"),
    ],
)
def test_a_ca_file_holds_a_pem_certificate(
    capsys: pytest.CaptureFixture[str], pems: dict[str, Path], file: str, expected: str
) -> None:
    path = str(pems[file]) if file in pems else file
    err = usage_error(capsys, ["status", "--ca-file", path])
    assert f"argument --ca-file: {path!r} {expected}" in err, err
    assert "_ssl.c" not in err and "[X509]" not in err, err


def test_the_pem_a_der_ca_file_is_told_to_be_written_as_is_taken(
    capsys: pytest.CaptureFixture[str], pems: dict[str, Path], tmp_path: Path
) -> None:
    """A CA certificate in DER was told 'holds no certificate OpenSSL can load (NO_CERTIFICATE_OR_CRL_FOUND)', which
    said nothing of what the file holds. The command offered writes a file --ca-file then takes."""
    import subprocess

    openssl = require_program("openssl")
    der = tmp_path / "ca.der"
    der.write_bytes(pems["ca.der"].read_bytes())
    err = usage_error(capsys, ["status", "--ca-file", str(der)])
    command = err.split("`")[1]
    assert command == f"openssl x509 -inform DER -in {der} -out {tmp_path / 'ca.pem'}", err
    subprocess.run([openssl, *command.split()[1:]], check=True, capture_output=True)
    args = _parser().parse_args(["status", "--ca-file", str(tmp_path / "ca.pem")])
    assert args.ca_file == tmp_path / "ca.pem"


def test_a_ca_file_that_cannot_be_read_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], pems: dict[str, Path], tmp_path: Path
) -> None:
    locked = tmp_path / "locked.pem"
    locked.write_bytes(pems["ca.pem"].read_bytes())
    locked.chmod(0)
    if os.geteuid() != 0:
        assert "cannot be read" in usage_error(capsys, ["status", "--ca-file", str(locked)])
        return
    # Root reads any file through its capabilities: the command runs without them (setpriv drops them
    # from the bounding set, so the new program never holds them), as an admin's account would.
    setpriv = require_program("setpriv")
    done = subprocess.run(
        [setpriv, "--bounding-set=-dac_override,-dac_read_search", sys.executable, "-m", "pic", "status",
         "--ca-file", str(locked)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done
    assert f"argument --ca-file: {str(locked)!r} cannot be read" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["report", "--record", "/dev/zero"], "argument --record: '/dev/zero' is a character device, not a regular"),
        (["report", "--record", "/"], "argument --record: '/' is a directory"),
        (["dns", "check", "--expected", "/dev/zero"], "argument --expected: '/dev/zero' is a character device, not"),
        (["dns", "check", "--expected", "/nonexistent.json"], "argument --expected: '/nonexistent.json' cannot be"),
    ],
)
def test_files_that_would_block_or_cannot_be_read_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    assert expected in usage_error(capsys, argv)


def test_good_values_are_taken(pems: dict[str, Path], tmp_path: Path) -> None:
    args = _parser().parse_args(
        [
            *("status", "--port", "53", "--https-port", "65535", "--http-port", "1"),
            *("--timeout", "0.5", "--resolver", "::1", "--ca-file", str(pems["ca.pem"])),
        ]
    )
    assert (args.port, args.https_port, args.http_port, args.timeout) == (53, 65535, 1, 0.5)
    assert (args.resolver, args.ca_file) == ("::1", pems["ca.pem"])
    args = _parser().parse_args(["status"])
    assert (args.port, args.https_port, args.http_port, args.timeout, args.ca_file) == (None, 443, 80, 10.0, None)
    assert _parser().parse_args(["status", "--timeout", "300"]).timeout == 300.0
    assert _parser().parse_args(["status", "--timeout", "300.000"]).timeout == 300.0
    # above 0, as the rule says, though no float is that small: the least one above 0, never 0 (no wait at all)
    assert _parser().parse_args(["status", "--timeout", "0." + "0" * 400 + "1"]).timeout > 0
    link = tmp_path / "link.pem"
    link.symlink_to(pems["ca.pem"])
    assert _parser().parse_args(["status", "--ca-file", str(link)]).ca_file == link
    # A record not written yet is no error: pic notify has told nobody.
    assert _parser().parse_args(["report", "--record", str(tmp_path / "none.yaml")]).record == tmp_path / "none.yaml"
    args = _parser().parse_args(["dns", "check", "--resolver", "192.0.2.1", "--port", "5353", "--timeout", "2"])
    assert (args.resolver, args.port, args.timeout) == ("192.0.2.1", 5353, 2.0)


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--timeout", "nan", "--resolver", "127.0.0.1", "--port", "9"],
        ["status", "--resolver", "dns.google"],
        ["status", "--port", "99999"],
        ["status", "--ca-file", "/dev/zero"],
        ["dns", "check", "--timeout", "nan", "--resolver", "127.0.0.1", "--port", "9"],
        ["dns", "check", "--resolver", "dns.google"],
        ["report", "--record", "/dev/zero"],
    ],
)
def test_the_shell_command_exits_2_at_once(argv: list[str]) -> None:
    """As the admins run it: exit 2 with the usage, never a hang (a NaN timeout) or a traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "pic", *argv], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60
    )
    assert proc.returncode == 2, proc
    assert proc.stdout == "" and "usage: pic" in proc.stderr and "Traceback" not in proc.stderr, proc


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--members", ""],
        ["check", "--project", ""],
        ["report", "--disk-usage", ""],
        ["report", "--record", ""],
        ["status", "--disk-usage", ""],
        ["status", "--ca-file", ""],
        ["notify", "--record", ""],
        ["new", "x-y-z", "--name", "X", "--email", "x@y.org", "--members", ""],
        ["plan", "--project", ""],
        ["dns", "check", "--expected", ""],
        ["lists", "audit", ""],
        ["lists", "audit", EXPORT, "--domains", ""],
    ],
)
def test_an_empty_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """Path("") is the current directory: `--disk-usage ''` would read it, silently."""
    option = next((a for a in argv if a.startswith("--") and argv[argv.index(a) + 1] == ""), "FILE")
    err = usage_error(capsys, argv)
    assert f"argument {option}: '' is an empty path, which names nothing: give " in err, err


def test_members_default_to_members_of_the_project() -> None:
    assert _parse(["check"]).members == Path("members")
    assert _parse(["check", "--project", "/srv/pic"]).members == Path("/srv/pic/members")
    assert _parse(["new", "x-y-z", "--name", "X", "--email", "x@y.org", "--project", "p"]).members == Path("p/members")
    assert _parse(["check", "--project", "/srv/pic", "--members", "m"]).members == Path("m")


@pytest.mark.parametrize(
    "command", ["check", "report", "new x-y-z --name X --email x@y.org", "plan", "notify", "status"]
)
@pytest.mark.parametrize("value", ["", "a/b", "../prod", "prod ", "pröd", "prod\n"])
def test_a_stack_name_that_names_no_stack_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], command: str, value: str
) -> None:
    """Like every other argument that cannot work (was: exit 1 with an input problem, only once the command ran)."""
    err = usage_error(capsys, [*command.split(), f"--stack={value}"])
    assert f"argument --stack: {value!r} is not a stack name (letters, digits, '_', '.' and '-'" in err, err
    assert _parse([*command.split(), "--stack=dev.eu-1_b"]).stack == "dev.eu-1_b"


@pytest.mark.parametrize(
    ("argv", "told"),
    [
        (["check", "--stack="], "it is empty"),
        (["status", "--port="], "it is empty"),
        (["status", "--timeout="], "it is empty"),
        (["check", "--stack", " prod"], "it has blanks around it: write prod"),
        (["check", "--stack", "dev  "], "it has blanks around it: write dev"),
        (["status", "--port", " 53 "], "it has blanks around it: write 53"),
        (["status", "--timeout", "2.5 "], "it has blanks around it: write 2.5"),
        (["check", "--stack", " \uff50\uff52\uff4f\uff44"], "blanks around it, and it has letters, digits or signs"),
    ],
)
def test_an_option_s_value_empty_or_with_blanks_around_it_is_told_so(
    capsys: pytest.CaptureFixture[str], argv: list[str], told: str
) -> None:
    """pic check --stack= was told "'' is not a stack name", --stack ' prod' (pasted with its blank) was offered
    nothing: an empty value is said empty, one with blanks around it told the value without them when it is taken."""
    err = usage_error(capsys, argv)
    assert told in err, err


# The arguments each command needs besides the option tried (none of them reads anything at parse time).
_REQUIRED = {
    "new": ["x-y-z", "--name", "X", "--email", "x@y.org"],
    "lists audit": [EXPORT],
    "move-script": ["x-y-z", "--to", "web1"],
}


def _single_value_options() -> list[tuple[str, str]]:
    """Every (command, option) of the ``pic`` parser that takes one value, found by walking it."""
    found: list[tuple[str, str]] = []

    def walk(parser: argparse.ArgumentParser, command: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, f"{command} {name}".strip())
            elif action.option_strings and action.nargs is None:
                found.append((command, action.option_strings[-1]))

    walk(_parser(), "")
    return found


@pytest.mark.parametrize(("command", "option"), _single_value_options())
def test_every_option_s_value_empty_or_of_blanks_alone_is_said_so(
    capsys: pytest.CaptureFixture[str], command: str, option: str
) -> None:
    """pic check --on= was told "'' is not a date written YYYY-MM-DD" and --resolver ' ' to give an address "not its
    name", where --stack= and --port= say the value is empty: a value refused for being empty, or blanks alone, is
    told so by every option (a path of blanks may name a file, and is read as one)."""
    argv = [*command.split(), *next((v for k, v in _REQUIRED.items() if command.startswith(k)), [])]
    if option in ("--to", "--retire-from"):  # move-script takes one of the two
        argv = [command, "x-y-z"]
    for value, said in (("", "empty"), (" ", "blanks alone"), ("\t", "blanks alone")):
        try:
            _parser().parse_args([*argv, f"{option}={value}"])
        except SystemExit:
            err = capsys.readouterr().err.strip().splitlines()[-1]
            if "is not taken" in err or (value and "cannot be read" in err):  # schema takes none; a file named ' '
                continue
            assert said in err and "not its name" not in err, (value, err)


@pytest.mark.parametrize(("command", "option"), _single_value_options())
def test_an_option_written_with_equals_dashes_has_the_value_dashes(
    capsys: pytest.CaptureFixture[str], command: str, option: str
) -> None:
    """``--members=--`` gave the option an empty list, past its type, in Python 3.11: a traceback for
    --members, --project, --stack, --timeout, --disk-usage, --domains, notify's --on; check's --on and the
    --format options taken as absent. The value is "--", checked by the option's type and choices."""
    argv = [*command.split(), *next((v for k, v in _REQUIRED.items() if command.startswith(k)), [])]
    if option in ("--to", "--retire-from"):  # move-script takes one of the two
        argv = [command, "x-y-z"]
    try:
        args = _parser().parse_args([*argv, f"{option}=--"])
    except SystemExit as exc:
        code, err = exc.code, capsys.readouterr().err
        assert (code, f"argument {option}: " in err and "'--'" in err) == (2, True), err
        return
    value = getattr(args, option.lstrip("-").replace("-", "_"))
    assert value in ("--", Path("--"), ["--"], [Path("--")]), (option, value)


@pytest.mark.parametrize(
    ("command", "option"),
    [(c, o) for c, o in _single_value_options() if o != "--against"],  # --against: its own words
)
def test_an_option_without_its_value_is_told_so(capsys: pytest.CaptureFixture[str], command: str, option: str) -> None:
    """pic check --stack (last), --stack --members m (the value left out) and --stack -x were each told "expected one
    argument", nothing of what was read nor where the value goes: the value is said missing, an option of the command
    read in its place named, and a value starting with '-' told to be written after '='."""
    argv = [*command.split(), *next((v for k, v in _REQUIRED.items() if command.startswith(k)), [])]
    other = "--help" if option != "--help" else "--version"
    for tail, said in (
        ([option], f"its value is missing: give it right after {option} ({option} "),
        ([option, other], f"its value is missing: {other!r}, read in its place, is an option of pic {command}"),
        ([option, "--zzz"], f"'--zzz' starts with '-', which is read as an option, not a value: write {option}=--zzz"),
    ):
        err = usage_error(capsys, [*argv, *tail])
        assert f"argument {option}: {said}" in err and "expected one argument" not in err, (tail, err)


def _choice_options() -> list[tuple[str, str, str]]:
    """Every (command, option, first choice) of the ``pic`` parser whose option takes one of a few words."""
    found: list[tuple[str, str, str]] = []

    def walk(parser: argparse.ArgumentParser, command: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, f"{command} {name}".strip())
            elif action.option_strings and action.choices:
                found.append((command, action.option_strings[-1], str(next(iter(action.choices)))))

    walk(_parser(), "")
    return found


@pytest.mark.parametrize(("command", "option", "choice"), _choice_options())
def test_an_option_s_word_in_capitals_or_misspelt_is_offered_the_one_meant(
    capsys: pytest.CaptureFixture[str], command: str, option: str, choice: str
) -> None:
    """pic report --format JSON was told the choices alone (argparse's words), as --format jsn: the word in small
    letters is offered, as a slip's closest word is, for every option that takes one of a few words; a command in
    capitals (pic CHECK) too."""
    argv = [*command.split(), *next((v for k, v in _REQUIRED.items() if command.startswith(k)), [])]
    err = usage_error(capsys, [*argv, f"{option}={choice.upper()}"])
    assert f"(write it in small letters: {choice!r})" in err, err
    if len(choice) > 3:
        err = usage_error(capsys, [*argv, f"{option}={choice[:-1]}"])
        assert f"(did you mean {choice!r}?)" in err, err


@pytest.mark.parametrize("written", ["CHECK", "Check"])
def test_a_command_in_capitals_is_offered_in_small_letters(capsys: pytest.CaptureFixture[str], written: str) -> None:
    """pic Check was told "did you mean check?", where --format Json is told to write it in small letters: one
    wording for a wrong case, a command's or an option's value."""
    err = usage_error(capsys, [written])
    assert "(write it in small letters: 'check')" in err and "did you mean" not in err, err


@pytest.mark.parametrize(("command", "option", "choice"), _choice_options())
def test_an_option_s_word_in_full_width_letters_is_offered_in_ascii(
    capsys: pytest.CaptureFixture[str], command: str, option: str, choice: str
) -> None:
    """pic report --format \uff2a\uff33\uff2f\uff2e (a Japanese or Chinese keyboard's letters) was told the choices
    alone, where JSON is offered json and pic:backup.time '\uff10\uff13:\uff11\uff15' 03:15: the word in ASCII
    (NFKC) is offered, in small letters; a command so written (pic \uff23\uff28\uff25\uff23\uff2b) too."""
    argv = [*command.split(), *next((v for k, v in _REQUIRED.items() if command.startswith(k)), [])]
    wide = unicodedata.normalize("NFKC", choice).translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    for written in (wide, wide.upper()):
        err = usage_error(capsys, [*argv, f"{option}={written}"])
        assert f"(write it in ASCII small letters: {choice!r})" in err, err
    err = usage_error(capsys, ["\uff23\uff28\uff25\uff23\uff2b"])
    assert "(write it in ASCII small letters: 'check')" in err, err


@pytest.mark.parametrize(("command", "option", "choice"), _choice_options())
def test_an_option_s_empty_word_is_said_empty_with_the_choices(
    capsys: pytest.CaptureFixture[str], command: str, option: str, choice: str
) -> None:
    """pic report --format= was told argparse's choices alone: the value is said empty, the choices listed."""
    argv = [*command.split(), *next((v for k, v in _REQUIRED.items() if command.startswith(k)), [])]
    err = usage_error(capsys, [*argv, f"{option}="])
    assert f"argument {option}: its value is empty: give one of " in err and repr(choice) in err, err


@pytest.mark.parametrize("argv", [[""], [" "], ["dns", ""]])
def test_an_empty_command_is_said_empty_with_the_commands(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """pic '' (a variable unset in a script) was told argparse's choices alone: the name is said empty."""
    err = usage_error(capsys, argv)
    assert "the command's name is empty: give one of 'check'" in err or "name holds blanks alone" in err, err
    assert "'check'" in err if len(argv) == 1 else "'check'" in err and "'report'" not in err, err


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["'", '"']))
@example("\\N", "'")
@example("a'b\"c\\d\ne", "'")
@example("\\", '"')
def test_an_option_s_word_read_back_never_raises(text: str, quote: str) -> None:
    """The value argparse names in its "invalid choice" words, read back by pic to offer the word meant: whatever
    text stands between the quotes (quotes, backslashes, newlines, an escape Python does not read), it is a usage
    error with argparse's words or with the word meant, never another exception."""
    parser = _parser("report")
    report = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["report"]
    assert isinstance(report, cli._Parser)
    for value in (f"{quote}{text}{quote}", repr(text)):
        message = f"argument --format: invalid choice: {value} (choose from 'table', 'json')"
        with contextlib.redirect_stderr(io.StringIO()), contextlib.suppress(SystemExit):
            report._bad_choice(message)


@pytest.mark.parametrize("value", ["-Lilas2024x!", "--mdp=Azerty123"])
def test_a_value_starting_with_a_dash_that_may_be_a_secret_is_told_after_equals_unshown(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """pic check --stack -Lilas2024x! was told to "write --stack=the value (not shown: it may be a secret) if it is
    the value": the value hidden inside the command line to write. The form is told with a placeholder then."""
    err = usage_error(capsys, ["check", "--stack", value])
    assert "=the value (not shown" not in err and "write --stack=STACK" in err, err
    assert "Lilas2024x" not in err and "Azerty123" not in err, err


def test_dashes_after_an_option_still_end_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    usage_error(capsys, ["check", "--members", "--", "m"])
    assert _parser().parse_args(["new", "--name", "X", "--email", "x@y.org", "--", "x-y-z"]).slug == "x-y-z"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--stak", "prod"], "pic check: error: unrecognized arguments: --stak prod (did you mean --stack?)"),
        (
            ["plan", "--agianst", "HEAD"],
            "pic plan: error: unrecognized arguments: --agianst HEAD (did you mean --against?)",
        ),
        (["dns", "check", "--resolvr", "192.0.2.53"], "pic dns check: error: unrecognized arguments: --resolvr"),
        (["new", "velo-lyon", "--name", "V", "--email", "v@x.org", "--php", "8.4"], "(see pic new --help)"),
        (["check", "extra"], "pic check: error: unrecognized arguments: extra (see pic check --help)"),
    ],
)
def test_an_unknown_argument_is_said_by_its_command(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the command's usage and the option meant (was: "usage: pic [-h] COMMAND ...", pic's own, naming no
    option of the command, and "pic: error: unrecognized arguments")."""
    with pytest.raises(SystemExit) as caught:
        _parse(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2, err
    assert said in err, err
    command = said.split(":", 1)[0] if said.startswith("pic ") else "pic new"
    assert f"usage: {command} [-h]" in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--stack", "dev", "check"], "pic: error: '--stack dev' comes before the command: write the command first"),
        (["--stack=dev", "check"], "pic check: error: '--stack=dev' comes before the command: write the command first"),
        (["--dry-run", "notify"], "pic notify: error: '--dry-run' comes before the command: write the command first"),
        (["--on", "2026-01-01", "report"], "pic: error: '--on 2026-01-01' comes before the command"),
        (["--members", "m", "new", "velo-lyon", "--name", "V"], "pic: error: '--members m' comes before the command"),
        (["dns", "--stack", "prod", "check"], "pic dns: error: '--stack prod' comes before the command"),
        (["lists", "--mx", "audit", EXPORT], "pic lists audit: error: '--mx' comes before the command"),
        (["--stack", "dev"], "pic: error: '--stack dev' comes before the command: write the command first"),
    ],
)
def test_an_option_before_its_command_is_said_so(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An option of a command written before the command's name (`pic --stack dev check`) is said to be so, with
    the command line to write (was: "invalid choice: 'dev'", its value taken for a command, or, for an option
    without a value, "unrecognized arguments: --dry-run (did you mean --dry-run?)")."""
    with pytest.raises(SystemExit) as caught:
        _parse(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2, err
    assert said in err, err
    assert "invalid choice" not in err and "did you mean" not in err, err


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (["--stack", "dev", "check"], "pic check --stack dev"),
        (["--stack", "dev", "check", "--on", "2026-01-01"], "pic check --stack dev --on 2026-01-01"),
        (["--dry-run", "notify", "--on", "2026-01-01"], "pic notify --dry-run --on 2026-01-01"),
        (["dns", "--stack", "prod", "check"], "pic dns check --stack prod"),
        (["lists", "--mx", "audit", EXPORT], f"pic lists audit --mx {EXPORT}"),
        (["--stack", "dev"], "pic COMMAND --stack dev"),
    ],
)
def test_the_command_line_meant_is_given_and_parses(
    argv: list[str], meant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        _parse(argv)
    err = capsys.readouterr().err
    assert f"({meant})" in err, err
    if "COMMAND" not in meant:
        assert _parse(meant.split()[1:]).command == argv[argv.index(meant.split()[1])]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["chek"], "(did you mean check?)"),
        (["repot"], "(did you mean report?)"),
        (["dns", "chekc"], "(did you mean check?)"),
        (["--dry-run", "notfy"], "(did you mean notify?)"),  # no command after it: the name misspelt
    ],
)
def test_a_command_misspelt_is_said_with_the_one_meant(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        _parse(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2 and said in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["new", "velo-lyon", "--name", "Vélo", "Lyon", "--email", "v@x.org"],
            "unrecognized arguments: Lyon (a value holding spaces is quoted: --name 'Vélo Lyon')",
        ),
        (
            ["new", "velo-lyon", "--name=Vélo", "Lyon", "Métropole", "--email", "v@x.org"],
            "unrecognized arguments: Lyon Métropole (a value holding spaces is quoted: --name='Vélo Lyon Métropole')",
        ),
        (
            ["new", "velo-lyon", "--name", "V", "--email", "v@x.org", "--domain", "velo.org", "www.velo.org"],
            "unrecognized arguments: www.velo.org (one value to each --domain: "
            "--domain velo.org --domain www.velo.org)",
        ),
        # a day, a port, a path: no value of two words
        (["check", "--on", "2026-12-01", "2026-12-02"], "unrecognized arguments: 2026-12-02 (see pic check --help)"),
        (
            ["move-script", "velo-cite", "--to", "web2", "web3"],
            "unrecognized arguments: web3 (see pic move-script --help)",
        ),
    ],
)
def test_a_value_written_as_two_words_is_said_so(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value with a space given unquoted, or two values after one option taken once (was: "unrecognized
    arguments: Lyon (see pic new --help)", which names no option)."""
    with pytest.raises(SystemExit) as caught:
        _parse(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2 and said in err, err


# -- the parser of the command run alone against pic's whole parser ------------------------------------------


def _argv_cases() -> list[list[str]]:
    """Command lines of every command, valid and not: each alone, with its help, an unknown or abbreviated
    option, a name starting with a hyphen, and each option of one value given a value, ``--``, ``=--`` or
    none; and pic's own (none, -h, a command misspelled, ``--`` before the command)."""
    cases: list[list[str]] = [[], ["-h"], ["--help"], ["chek"], ["--", "check"], ["check", "--", "x"], ["-x"]]
    options: dict[str, list[str]] = {}

    def walk(parser: argparse.ArgumentParser, command: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, f"{command} {name}".strip())
            elif action.option_strings and action.option_strings[-1] != "--help":
                options.setdefault(command, []).append(action.option_strings[-1])
        options.setdefault(command, [])

    walk(_parser(), "")
    for command, names in options.items():
        if not command:
            continue
        words = command.split()
        required = next((v for k, v in _REQUIRED.items() if command.startswith(k)), [])
        cases += [words, [*words, "--help"], [*words, "-h"], [*words[:1], "--help"], [*words, *required]]
        cases += [[*words, *required, "--bogus"], [*words, *required, "--stak", "x"], [*words, "-velo"]]
        cases += [[*words, *required, "extra"], [*words, "--sta", "prod", *required]]
        for option in names:
            for value in (["192.0.2.1"], ["5"], ["2026-11-28"], ["--"], []):
                cases.append([*words, *required, option, *value])
            cases.append([*words, *required, f"{option}=--"])
    return cases


def _outcome(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[object, str, str]:
    """What parsing ``argv`` gives: the arguments read, or the exit status; and what was printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: object = vars(parser.parse_args(argv))
        except SystemExit as exc:
            result = ("exit", exc.code)
    return result, out.getvalue(), err.getvalue()


def test_the_parser_of_the_command_run_reads_its_arguments_as_pics_whole_parser() -> None:
    """pic builds the parser of the command its first argument names, not the others (whose wiring loads the
    modules of pic notify and pic status): the same arguments, usage errors, help and exit statuses as the
    parser of every command, on every command line above."""
    cases = _argv_cases()
    assert len(cases) > 300
    for argv in cases:
        assert _outcome(cli._parser_for(argv), argv) == _outcome(_parser(), argv), argv
    built = [_commands_built(cli._parser_for(argv)) for argv in cases]
    assert sum(len(names) == 1 for names in built) > 300
    assert all(names == [argv[0]] for names, argv in zip(built, cases, strict=True) if len(names) == 1)


def _commands_built(parser: argparse.ArgumentParser) -> list[str]:
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(subs._name_parser_map)


# --- every file an option names: the same input, the same exit status -----------------------------------------

# Each option naming a file (and the command around it: {} is the file), whether it takes a directory of files
# (--disk-usage) and a file that is absent (a record not written yet).
FILE_OPTIONS = {
    "report --record": (["report", "--record", "{}"], False, True),
    "notify --record": (["notify", "--dry-run", "--record", "{}"], False, True),
    "report --disk-usage": (["report", "--disk-usage", "{}"], True, False),
    "status --disk-usage": (["status", "--disk-usage", "{}", "--resolver", "127.0.0.1", "--port", "9"], True, False),
    "status --ca-file": (["status", "--ca-file", "{}", "--resolver", "127.0.0.1", "--port", "9"], False, False),
    "dns check --expected": (
        ["dns", "check", "--expected", "{}", "--resolver", "127.0.0.1", "--port", "9"],
        False,
        False,
    ),
    "lists audit FILE": (["lists", "audit", "{}"], False, False),
    "lists audit --domains": (["lists", "audit", "--domains", "{}", EXPORT], False, False),
}


FILE_KINDS = ["fifo", "directory", "missing", "unreadable", "unreadable-directory", "not-utf8", "read-error"]
# A directory where --disk-usage takes one, and a --record not written yet, are no fault: not cases here.
UNREADABLE_FILES = [
    (option, kind)
    for option, (_, directory_taken, absent_taken) in FILE_OPTIONS.items()
    for kind in FILE_KINDS
    if not ((kind == "directory" and directory_taken) or (kind == "missing" and absent_taken))
]


@pytest.mark.parametrize(("option", "kind"), UNREADABLE_FILES)
def test_a_file_an_option_names_that_cannot_be_read_is_a_usage_error_for_every_command(
    tmp_path: Path, option: str, kind: str
) -> None:
    """`--disk-usage FILE` on a FIFO exited 1 where `--record` on a FIFO exited 2, and so did a missing or unreadable
    export or --domains file of pic lists audit: a file named on the command line that is no readable regular file
    (a FIFO, a directory where a file goes, a file that does not exist or cannot be read, one whose read fails:
    /proc/self/mem, Input/output error, exited 1) is a usage error (2) of
    every command, said before anything is read; a file that is read and is not UTF-8 is invalid input (1), named
    with its line, in every command that reads it (a CA file is loaded as it is parsed: a usage error)."""
    argv = FILE_OPTIONS[option][0]
    path = tmp_path / "named"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "unreadable":
        path.write_text("sent: []\n", encoding="utf-8")
        path.chmod(0)
    elif kind == "unreadable-directory":  # its files cannot be listed
        path.mkdir(mode=0o300)
    elif kind == "not-utf8":
        path.write_bytes(b"caf\xe9\n")
    elif kind == "read-error":  # a regular file to stat whose read fails (Input/output error)
        path = Path("/proc/self/mem")
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "setpriv (util-linux) is needed: root reads any file otherwise"
    drop = [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    done = subprocess.run(
        [*drop, sys.executable, "-m", "pic", *(str(path) if a == "{}" else a for a in argv)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    expected = 1 if kind == "not-utf8" and option != "status --ca-file" else 2
    assert done.returncode == expected, done
    assert str(path) in done.stderr and "Traceback" not in done.stderr, done.stderr
    if expected == 2:
        assert "usage: pic" in done.stderr and done.stdout == "", done


@pytest.mark.parametrize("command", [["dns", "check"], ["status"]])
def test_the_resolver_options_say_the_default_when_the_stack_sets_none(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """--resolver and --port said "default: pic:dns.resolver of the stack", which a stack without pic:dns (the
    example's) leaves unsaid: their help names the settings' own defaults, as the settings read them."""
    from pic.settings import DnsSpec

    with pytest.raises(SystemExit):
        _parse([*command, "--help"])
    said = " ".join(capsys.readouterr().out.split())
    resolver, port = DnsSpec.model_fields["resolver"].default, DnsSpec.model_fields["resolver_port"].default
    assert f"default: pic:dns.resolver of the stack, {resolver} when it sets none" in said, said
    assert f"default: pic:dns.resolver_port, {port} when the stack sets none" in said, said


LONG = "x" * 100_000


def _short_enough(err: str) -> None:
    """An error echoing a command-line value shows its first characters, as a member file's value is shown
    (pic.errors.show_value: 80 characters at most), never the whole value."""
    assert len(err) < 4000, len(err)
    assert "x" * 70 + "..." in err and "x" * 81 not in err, err


@pytest.mark.parametrize(("command", "option"), _single_value_options())
def test_a_long_value_of_an_option_is_shortened_in_its_usage_error(
    capsys: pytest.CaptureFixture[str], command: str, option: str
) -> None:
    """A 100,000-character --resolver, --on, --timeout or --format was written whole in the error (a line of
    ~100 KB): shortened in argparse's error path, once for every option."""
    argv = [*command.split(), *next((v for k, v in _REQUIRED.items() if command.startswith(k)), [])]
    if option in ("--to", "--retire-from"):
        argv = [command, "x-y-z"]
    code = 0
    try:
        _parser().parse_args([*argv, f"{option}={LONG}"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else -1
    if code:
        assert code == 2
        _short_enough(capsys.readouterr().err)


@pytest.mark.parametrize(
    "argv",
    [[LONG], ["check", LONG], ["check", "--on", LONG], ["check", f"--{LONG}"], ["status", "--resolver", LONG]],
    ids=["command", "stray", "on", "option", "resolver"],
)
def test_a_long_argument_is_shortened_in_every_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(argv)
    _short_enough(capsys.readouterr().err)


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "--against", LONG],
        ["move-script", "velo-cite", "--to", LONG],
        ["move-script", "velo-cite", "--retire-from", LONG],
        ["move-script", LONG, "--to", "web1"],
    ],
    ids=["against", "to", "retire-from", "slug"],
)
def test_a_long_argument_is_shortened_in_the_command_s_errors(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """The values the command itself refuses (exit 1: no revision, no web host, no member) are shortened too."""
    monkeypatch.chdir(ROOT)
    assert cli.main(argv) == 1
    _short_enough(capsys.readouterr().err)


@pytest.mark.parametrize(("command", "option"), TIMEOUT_OPTIONS)
@pytest.mark.parametrize("value", ["1e-6", "1E1", "2.5e0"])
def test_a_timeout_in_exponent_notation_is_said_to_be_refused_as_such(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str
) -> None:
    """``--timeout 1e-6`` was "not a number of seconds above 0 and at most 300", which it is, while 0.000001 was
    taken: the message says the form taken, decimal digits without an exponent, for every option of seconds."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert (
        f"argument {option}: {value!r} is not a number of seconds above 0 and at most 300 written in decimal "
        "digits, with or without a point (e.g. 5 or 2.5; no exponent: 1e-6 is written 0.000001)"
    ) in err, err


@pytest.mark.parametrize(("command", "option"), TIMEOUT_OPTIONS)
@pytest.mark.parametrize(("value", "seconds"), [("0.000001", 1e-6), ("0000001", 1.0), ("300.000", 300.0), (".5", 0.5)])
def test_a_timeout_of_that_form_is_taken_whatever_its_length(
    command: str, option: str, value: str, seconds: float
) -> None:
    """``0000001`` (seven digits, 1 second) was refused with the same message: a length no message said."""
    assert _parse([*command.split(), f"{option}={value}"]).timeout == seconds


@pytest.mark.parametrize(("command", "option"), PORT_OPTIONS)
@pytest.mark.parametrize(("value", "number"), [("053", 53), ("000000053", 53), ("0" * 40 + "8080", 8080)])
def test_a_port_with_leading_zeros_is_the_number_it_writes(command: str, option: str, value: str, number: int) -> None:
    """``000000053`` was "not a port (a number from 1 to 65535)", which it is: a length of 5 digits no message said."""
    assert getattr(_parse([*command.split(), f"{option}={value}"]), option.lstrip("-").replace("-", "_")) == number


def test_a_file_under_a_long_members_path_is_named_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the command line's own problems are shortened: a warning of a member file under a --members path of
    more than 80 characters names the file whole, as every message names a path."""
    monkeypatch.chdir(ROOT)
    members = tmp_path / ("d" * 90) / "members"
    shutil.copytree(ROOT / "members", members)
    assert cli.main(["check", "--members", str(members), "--on", "2026-11-28"]) == 0
    err = capsys.readouterr().err
    assert f"{members / 'cine-club-lumiere.yaml'}:11 site.php" in err, err


@pytest.mark.parametrize(
    "slug",
    [
        "VELO-CITE",
        "Velo_Cite",
        "VELO_CITE",
        "velo-cite.yaml",
        "members/velo-cite.yaml",
        # a file name in another case or with another suffix: the slug its name is in another form
        "VELO-CITE.yaml",
        "members/Velo_Cite.yaml",
        "velo-cite.YAML",
        "VELO-CITE.yml",
        "./members/VELO-CITE.YAML",
        " velo-cite ",
        # with the accents of the association's name (Vélo-Cité Lyon)
        "Vélo-Cité",
        "vélo_cité",
        "members/VÉLO-CITÉ.yaml",
    ],
)
def test_a_slug_of_move_script_in_another_form_is_told_the_member_meant(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, slug: str
) -> None:
    """A member's slug in another case or with _ for - is told the member meant, as pic new tells it, however far
    the letters' case takes it from the slug (difflib's ratio sees 'VELO-CITE' and 'velo-cite' as unlike)."""
    monkeypatch.chdir(ROOT)
    assert cli.main(["move-script", slug, "--to", "web2"]) == 1
    err = capsys.readouterr().err
    assert "is not a valid slug" in err and "did you mean 'velo-cite'?" in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["move-script", "velo-cite", "--to", "WEB1"], 'did you mean "web1"?'),
        (["move-script", "velo-cite", "--to", "web-1"], 'did you mean "web1"?'),
        (["move-script", "velo-cite", "--retire-from", "Web_1"], 'did you mean "web1"?'),
        (["move-script", "velo-cite", "--to", "db"], "the stack's db host, not a web host"),
        # the db host's name in another form: told it is the db host, not that no host has it
        (["move-script", "velo-cite", "--to", "DB"], 'the stack\'s db host ("db" in another form), not a web host'),
        (["move-script", "velo-cite", "--to", " Db "], 'the stack\'s db host ("db" in another form), not a web host'),
        (["move-script", "velo-cite", "--retire-from", "dB"], 'the stack\'s db host ("db" in another form)'),
        (["move-script", "velo-cite", "--to", "web9"], "not a host of the stack; known: web1"),
    ],
)
def test_a_host_on_the_command_line_is_hinted_as_in_a_member_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], said: str
) -> None:
    """--to and --retire-from are told what a member file's host: is told (registry's stray_host)."""
    monkeypatch.chdir(ROOT)
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert said in err, err
    assert ("db host" not in said) or "not a host of the stack" not in err, err
    assert "web9" not in said or "did you mean" not in err, err  # web9 is no slip of web1: its digits differ


def _wide(text: str) -> str:
    """``text`` as a Japanese or Chinese keyboard writes it: each ASCII letter, digit and sign in full width."""
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F) if chr(c) not in "~"})


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (["check", "--stack"], "prod"),
        (["check", "--stack"], "dev"),
        (["plan", "--against"], "HEAD~1"),
        (["plan", "--against"], "main"),
        (["status", "--port"], "53"),
        (["dns", "check", "--port"], "5353"),
        (["status", "--timeout"], "2.5"),
        (["status", "--https-port"], "8443"),
    ],
)
def test_an_option_s_value_in_full_width_forms_is_told_in_ascii(
    capsys: pytest.CaptureFixture[str], argv: list[str], meant: str
) -> None:
    """pic check --stack \uff50\uff52\uff4f\uff44 was told it is no stack name, --against \uff28\uff25\uff21\uff24~1
    no revision of the repository (after git was asked, exit 1), --port \uff15\uff13 no port: a value in a Japanese or
    Chinese keyboard's full-width forms is told so with the value in ASCII (NFKC) to write, as --format
    \uff2a\uff33\uff2f\uff2e is."""
    written = _wide(meant)
    assert written != meant
    err = usage_error(capsys, [*argv, written])
    assert f"argument {argv[-1]}: {written!r}" in err, err
    assert "only look like ASCII (full-width forms)" in err and err.rstrip().endswith(f"write {meant}"), err


def test_a_full_width_value_that_may_be_a_secret_is_not_told_in_ascii(capsys: pytest.CaptureFixture[str]) -> None:
    """A password typed at the wrong prompt in full-width forms is hidden as written: its ASCII form is not told."""
    err = usage_error(capsys, ["check", "--stack", _wide("Lilas2024x")])
    assert "Lilas2024x" not in err and _wide("Lilas2024x") not in err and "full-width forms" in err, err


def test_an_against_given_twice_names_the_word_read_in_place_of_its_revision(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """pic plan --against HEAD --against -x was told the revision is left out (the command line scanned for the
    word after the first --against, where argparse refused the second): the word read in place of the revision is
    named, as for an --against given once, by the scanner of every option's missing value."""
    err = usage_error(capsys, ["plan", "--against", "HEAD", "--against", "-x"])
    assert "argument --against: '-x' starts with '-', as no git revision does" in err, err
    err = usage_error(capsys, ["check", "--stack", "dev", "--stack", "-x"])
    assert "argument --stack: '-x' starts with '-'" in err and "write --stack=-x" in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--STACK", "prod"], "(write it in small letters: '--stack')"),
        (["check", "--Stack=prod"], "(write it in small letters: '--stack')"),
        (["report", "--FORMAT", "json"], "(write it in small letters: '--format')"),
        (["check", "--\uff53\uff54\uff41\uff43\uff4b", "prod"], "(write it in ASCII small letters: '--stack')"),
    ],
)
def test_an_option_s_name_in_capitals_or_full_width_is_offered_in_small_letters(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    """pic check --STACK prod was told the argument unknown with no word meant, --Stack "did you mean --stack?", where
    --format JSON is told to write it in small letters: an option's name in capitals or full-width letters is told
    in the same words as its value and a command."""
    err = usage_error(capsys, argv)
    assert said in err and "did you mean" not in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["CHECK", "--STACK", "prod"], "(write them in small letters: 'check' for 'CHECK', '--stack' for '--STACK')"),
        (["check", "--STACK", "prod", "--On", "2026-01-01"], "'--stack' for '--STACK', '--on' for '--On')"),
        (["DNS", "CHECK", "--RESOLVER=::1"], "'dns' for 'DNS', 'check' for 'CHECK', '--resolver' for '--RESOLVER')"),
        (["report", "--format", "JSON", "--Stack", "prod"], "'json' for 'JSON', '--stack' for '--Stack')"),
        (["REPORT", "--FORMAT", "JSON"], "'report' for 'REPORT', '--format' for '--FORMAT', 'json' for 'JSON')"),
        (["\uff23\uff28\uff25\uff23\uff2b", "--STACK", "prod"], "(write them in ASCII small letters: 'check' for"),
    ],
)
def test_every_word_in_capitals_is_told_in_one_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    """pic CHECK --STACK prod was told to write check in small letters, then, run again, --stack: one word a run.
    Every command's name, option's name and option's word written in capitals or full-width letters is told at
    once, with the word to write for each."""
    err = usage_error(capsys, argv)
    assert said in err and "did you mean" not in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["new", "velo-test", "--NAME", "Velo Test", "--EMAIL", "a@b.fr"], "'--name' for '--NAME', '--email' for"),
        (["new", "velo-test", "--name", "Velo Test", "--Email", "a@b.fr"], "(write it in small letters: '--email')"),
        (["move-script", "velo-cite", "--TO", "web1"], "(write it in small letters: '--to')"),
        (["move-script", "velo-cite", "--Retire-From=web1"], "(write it in small letters: '--retire-from')"),
    ],
)
def test_a_required_option_written_in_capitals_is_told_so_not_missing_alone(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    """pic new velo-test --NAME 'Velo Test' --EMAIL a@b.fr was told "the following arguments are required: --name,
    --email" (and move-script's --TO "one of the arguments --to --retire-from is required"), the words given in
    capitals never named: a required option said missing is told the word written in capitals with it."""
    err = usage_error(capsys, argv)
    assert said in err, err


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        *(
            (command, option, value)
            for command, option in RESOLVER_OPTIONS
            for value in ("0xDeadBeef", "0xCafe1234:53")
        ),
        ("check", "--stack", "0xCafe1234:53"),
    ],
)
def test_a_password_in_hexadecimal_mixing_cases_is_not_read_as_an_address_shown(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str
) -> None:
    """--resolver 0xDeadBeef (--stack=0xCafe1234:53 alike) was shown whole, read as an address inet_aton reads
    (222.173.190.239), where it was hidden: hexadecimal mixing capitals and small letters is a password's shape, no
    address's as anyone writes one (0x7f.1, 0xDEADBEEF), and stays hidden."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert "not shown" in err and value.partition(":")[0] not in err, err
    # nor the address it reads as, which writes the password again (0xCafe1234: 202.254.18.52)
    assert "222.173.190.239" not in err and "202.254.18.52" not in err, err


@pytest.mark.parametrize(
    "value",
    [
        "\uff10\uff58\uff23\uff41\uff46\uff45\uff11\uff12\uff13\uff14",
        "\uff10\uff58\uff23\uff41\uff46\uff45\uff11\uff12\uff13\uff14:53",
    ],
)
@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_password_typed_in_full_width_forms_is_hidden_in_its_ascii_form_too(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str
) -> None:
    """--resolver ０ｘＣａｆｅ１２３４ (a password in hexadecimal typed with a Japanese or Chinese keyboard) was hidden
    as written, then named in the message's own words in ASCII ('... in hexadecimal (0xCafe1234)'): a value hidden
    is hidden in its ASCII form (NFKC) too, and in the address it reads as (202.254.18.52)."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    ascii_form = unicodedata.normalize("NFKC", value).partition(":")[0]
    assert "not shown" in err and ascii_form not in err and value not in err, err
    assert "202.254.18.52" not in err, err  # the address it reads as: the password written again


@pytest.mark.parametrize("value", ["[Lilas2024x]", "[0xCafe1234]", "0xC0ffee42/32", "[Lilas2024x]:53"])
@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_password_in_brackets_or_with_a_prefix_length_is_hidden(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str
) -> None:
    """--resolver [Lilas2024x] (0xC0ffee42/32) was shown whole, and the password inside told alone: a password with
    brackets, a port or a prefix length around it is hidden as the password alone is."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    inner = value.strip("[").partition("]")[0].partition("/")[0]
    assert "not shown" in err and inner not in err, err


@pytest.mark.parametrize("value", ["Lilas2024x.", ".Lilas2024x", "Lilas2024x..", ".Lilas2024x."])
def test_a_password_with_dots_around_it_is_not_shown(capsys: pytest.CaptureFixture[str], value: str) -> None:
    """--resolver Lilas2024x. (a dot typed after it, or before) was shown whole, where Lilas2024x alone is hidden:
    a word shaped as a password is one with the dots a name puts around it."""
    err = usage_error(capsys, ["dns", "check", f"--resolver={value}"])
    assert "ilas2024" not in err.lower() and "not shown" in err, err


_AROUND = [
    ("0xCafe1234.1", "Cafe1234"),
    ("1.0xCafe1234", "Cafe1234"),
    ("velo75paris", "velo75paris"),
    ("udp://Lilas2024x", "ilas2024"),
    ("Lilas2024x\u200b", "ilas2024"),
    ("-Lilas2024x", "ilas2024"),
    ("\uff10xCafe1234.1", "Cafe1234"),
]


@pytest.mark.parametrize(
    ("command", "option", "value", "secret"),
    [(command, option, value, secret) for command, option in RESOLVER_OPTIONS for value, secret in _AROUND],
)
def test_a_password_with_more_around_it_is_hidden(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, secret: str
) -> None:
    """--resolver 0xCafe1234.1 (1.0xCafe1234, -Lilas2024x, udp://Lilas2024x, Lilas2024x then a zero width space,
    velo75paris) was shown whole, where Lilas2024x and 0xCafe1234 alone are hidden: a value is read in its parts,
    each as the value alone is, and a URL is no path named whole; after '=' or a blank alike."""
    for written in ([f"{option}={value}"], [option, value]):
        err = usage_error(capsys, [*command.split(), *written])
        assert "not shown" in err and secret.lower() not in err.lower(), err
        assert "202.254.18" not in err and "3405648436" not in err, err  # nor its decimal forms


def test_a_stack_name_shaped_as_a_password_after_a_blank_is_hidden(capsys: pytest.CaptureFixture[str]) -> None:
    """pic check --stack -Lilas2024x was told "'-Lilas2024x' starts with '-' ... write --stack=-Lilas2024x": the
    password with a dash before it is hidden as the password alone is, in the offer too."""
    err = usage_error(capsys, ["check", "--stack", "-Lilas2024x"])
    assert "not shown" in err and "ilas2024" not in err.lower(), err


@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
def test_a_resolver_in_full_width_letters_is_told_it_has_letters(
    capsys: pytest.CaptureFixture[str], command: str, option: str
) -> None:
    """--resolver ＬＯＣＡＬＨＯＳＴ was told it "has digits or signs that only look like ASCII": it has letters."""
    value = "\uff2c\uff2f\uff23\uff21\uff2c\uff28\uff2f\uff33\uff34"
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert "has letters, digits or signs that only look like ASCII" in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["CHECK", "--STACK", "PROD"],
            "(write them in small letters: 'check' for 'CHECK', '--stack' for '--STACK', 'prod' for 'PROD')",
        ),
        (
            ["check", "--Stack", " prod"],
            "(write '--stack' for '--Stack' (in small letters), 'prod' for ' prod' (without the blanks around it))",
        ),
        (
            ["DNS", "check", "--Port", " 53", "--timeout", "5 "],
            "'dns' for 'DNS' (in small letters), '--port' for '--Port' (in small letters), '53' for ' 53' (without",
        ),
        (
            ["check", "--stack", " prod", "--On", "2026-01-01"],
            "it has blanks around it: write prod (also write '--on' for '--On', in small letters)",
        ),
        (["report", "--FORMAT", " JSON"], "'json' for ' JSON' (in small letters and without the blanks around it)"),
    ],
)
def test_every_word_in_capitals_or_with_blanks_is_told_with_the_values_in_one_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], said: str
) -> None:
    """pic CHECK --STACK PROD was told 'check' and '--stack' in small letters, and PROD, the stack prod in capitals,
    only by a second run (Pulumi.PROD.yaml no such stack file); --Stack ' prod' was told --stack alone, then ' prod'
    its blanks: every word of the command line written in capitals, in full-width forms or with blanks around it,
    an option's value too, is told at once with the word to write (a stack's name as the project's files name it)."""
    monkeypatch.chdir(ROOT)  # Pulumi.prod.yaml
    err = usage_error(capsys, argv)
    assert said in err and "did you mean" not in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["report", "--format", " json"], "(it has blanks around it: write json)"),
        (["plan", "--format", "markdown "], "(it has blanks around it: write markdown)"),
        (["report", "--format", " JSON"], "(it has blanks around it, and capitals: write json)"),
        ([" check"], "(it has blanks around it: write check)"),
    ],
)
def test_a_word_of_pic_with_blanks_around_it_is_told_so(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    """pic report --format ' json' was told "did you mean 'json'?", as for a misspelt word, where --port ' 53' is told
    "it has blanks around it: write 53": an option's word or a command's name with blanks around it is told so, in
    the same words, with the word to write."""
    err = usage_error(capsys, argv)
    assert said in err and "did you mean" not in err, err


@pytest.mark.parametrize(("command", "option"), RESOLVER_OPTIONS)
@pytest.mark.parametrize(
    ("value", "told"),
    [
        # a final dot or capitals: localhost all the same (localhost. was told to give an address, not its name)
        ("localhost.", "it is a name, this machine's (RFC 6761 §6.3), not an address: give 127.0.0.1"),
        ("LOCALHOST.", "it is a name, this machine's (RFC 6761 §6.3), not an address: give 127.0.0.1"),
        ("localhost.:53", "localhost is a name, this machine's (RFC 6761 §6.3), not an address: give its address, and"),
        # Python's words were told: "Octet 256 (> 255) not permitted", "Only hex digits permitted in 'g'"
        ("10.0.300.1", "it has 300 as its 3rd number, where each of an IPv4 address's 4 numbers is from 0 to 255"),
        ("2001:db8::12345", "it has a group of 5 digits, where each has 1 to 4: an IPv6 address has 8"),
        ("1:2:3:4:5:6:7:8:9", "it has 9 groups: an IPv6 address has 8 groups of 1 to 4 hexadecimal digits"),
        ("1:2:3:4:5:6:7", "it has 7 groups: an IPv6 address has 8 groups"),
        ("1:::2", "it has ':::': an IPv6 address has 8 groups"),
        (":1:2:3:4:5:6:7", "it has a single ':' at its start: an IPv6 address has 8 groups"),
        # the port after an address and its zone, in brackets or not: the port to give with --port, the zone told
        (
            "[fe80::1%25eth0]:53",
            "written %25 as a URL writes it (RFC 6874), which an address alone does not: give the "
            "port with --port (--resolver fe80::1%eth0 --port 53)",
        ),
        (
            "[fe80::1%eth0]:53",
            "it is an address and a port: give the port with --port (--resolver fe80::1%eth0 --port 53)",
        ),
        (
            "fe80::1%eth0:53",
            "it is an address and a port: give the port with --port (--resolver fe80::1%eth0 --port 53)",
        ),
        (
            "fe80::1%25eth0:53",
            "which an address alone does not: give the port with --port (--resolver fe80::1%eth0 --port",
        ),
        (
            "[::ffff:1.2.3.4]:53",
            "an IPv4 host written as IPv6: give the port with --port (--resolver 1.2.3.4 --port 53)",
        ),
        # a full-width colon: its ASCII form told as in the settings
        (
            "dns.example.org\uff1a53",
            "(full-width forms), and it is a name and a port: give the port with --port (--port 53)",
        ),
    ],
)
def test_a_resolver_s_name_address_or_zone_with_more_is_told_in_pic_s_words(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, told: str
) -> None:
    """--resolver localhost. was told "give the resolver's address, not its name" where localhost is told what it is;
    127.0.0.256, ::g and 1::2::3 were told Python's words ("Octet 256 (> 255) not permitted"); [fe80::1%25eth0]:53
    was not told --port 53 as [::1]:53 is, and fe80::1%eth0:53 was hidden as a zone id shaped as a password: each is
    told what part is wrong, what an address is, and the options to give."""
    err = usage_error(capsys, [*command.split(), f"{option}={value}"])
    assert told in err and "not shown" not in err and "permitted" not in err, err
    assert "not its name" not in err or "a name and a port" in told, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["dns", "check", "--resolver", "localhost.", "--Port", "53"], "give 127.0.0.1 (also write '--port' for"),
        (
            ["status", "--port", "0", "--Timeout", " 5"],
            "(write '--timeout' for '--Timeout' (in small letters), '5' for",
        ),
        (["check", "--on", "2026-13-01", "--Stack", "prod"], "(also write '--stack' for '--Stack', in small letters)"),
    ],
)
def test_a_word_in_capitals_beside_a_value_refused_is_told_in_the_same_run(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    """pic dns check --resolver localhost. --Port 53 was told the resolver alone, --Port only by a second run: a word
    in capitals or with blanks around it is told beside the error of another option's value."""
    err = usage_error(capsys, argv)
    assert said in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--members", " members"], "argument --members: ' members' names nothing here: it has blanks around"),
        (["check", "--project", "proj "], "argument --project: 'proj ' names nothing here: it has blanks around it"),
        (["dns", "check", "--expected", " out.json"], "' out.json' names nothing here: it has blanks around it: write"),
    ],
)
def test_a_path_with_blanks_around_it_is_told_the_path_without_them(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: list[str], said: str
) -> None:
    """pic check --members ' members' was told " members no such directory of member files", the blank unseen at the
    line's start: a path that names nothing, with blanks around it, where the path without them names a file or a
    directory, is told so, with the path to write, as --port ' 53' is told its blanks."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "members").mkdir()
    (tmp_path / "proj").mkdir()
    (tmp_path / "out.json").write_text("{}", encoding="utf-8")
    err = usage_error(capsys, argv)
    assert said in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["notify", "--record", " notices.yaml"],
            "and it has blanks around it: write notices.yaml (a new file is started",
        ),
        (
            ["notify", "--record", "n.yaml ", "--new-record"],
            "'n.yaml ' names nothing here, and it has blanks around it: write n.yaml (a new",
        ),
        (
            ["report", "--record", " notices.yaml"],
            "and it has blanks around it: write notices.yaml (a new file is started",
        ),
        (["report", "--disk-usage", " du"], "' du' names nothing here, and it has blanks around it (du names nothing"),
        (["status", "--disk-usage", "du "], "'du ' names nothing here, and it has blanks around it (du names nothing"),
        (["status", "--ca-file", " ca.pem"], "' ca.pem' names nothing here, and it has blanks around it (ca.pem names"),
        (["dns", "check", "--expected", " e.json"], "' e.json' names nothing here, and it has blanks around it"),
        (["lists", "audit", "--domains", " d.yaml", "x"], "' d.yaml' names nothing here, and it has blanks around"),
        (["lists", "audit", " export.txt"], "' export.txt' names nothing here, and it has blanks around it"),
        (["check", "--members", " membres"], "' membres' names nothing here, and it has blanks around it"),
        (["check", "--project", "proj "], "'proj ' names nothing here, and it has blanks around it (proj names"),
    ],
)
def test_a_path_with_blanks_around_it_naming_nothing_either_way_is_told_its_blanks(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: list[str], said: str
) -> None:
    """pic notify --record ' notices.yaml' with no record yet was told " notices.yaml does not exist" (the blank
    unseen at the line's start), and started a record named ' notices.yaml' with --new-record; --disk-usage ' du'
    was told "cannot be read (No such file or directory)", nothing of its blanks: a path with blanks around it that
    names nothing is told its blanks when the path without them names nothing either, and a record to start is
    offered its name without them, as --port ' 53' is told its blanks."""
    monkeypatch.chdir(tmp_path)
    err = usage_error(capsys, argv)
    assert said in err, err
    assert not any(p.name.strip() != p.name for p in tmp_path.iterdir()), list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--members", "\uff4d\uff45\uff4d\uff42\uff45\uff52\uff53"], "(full-width forms): write members"),
        (
            ["report", "--record", " \uff4e.yaml"],
            "blanks around it, and it has letters, digits or signs that only look",
        ),
        (["dns", "check", "--expected", "\uff4f\uff55\uff54.json"], "(full-width forms): write out.json"),
    ],
)
def test_a_path_in_full_width_forms_is_told_the_path_in_ascii(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: list[str], said: str
) -> None:
    """pic check --members ｍｅｍｂｅｒｓ (typed with a Japanese keyboard's letters) was told "no such directory of
    member files", where --stack ｐｒｏｄ is told its full-width forms: a path naming nothing whose ASCII form names a
    file or a directory is told so, with the path to write."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "members").mkdir()
    (tmp_path / "n.yaml").write_text("sent: []\n", encoding="utf-8")
    (tmp_path / "out.json").write_text("{}", encoding="utf-8")
    err = usage_error(capsys, argv)
    assert "names nothing here: it " in err and said in err, err


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("my dir/export list.txt ", "has blanks around it: write 'my dir/export list.txt'"),
        ("\uff4d\uff59 dir/export list.txt", "(full-width forms): write 'my dir/export list.txt'"),
        (" l'export.txt", "has blanks around it: write 'l'\"'\"'export.txt'"),
    ],
)
def test_a_path_offered_is_written_as_the_shell_reads_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, given: str, said: str
) -> None:
    """pic lists audit 'my dir/export list.txt ' was offered 'write my dir/export list.txt', which the shell splits
    into two exports: a path offered that holds a blank or a sign the shell reads is written in quotes, as the
    commands pic offers are (shlex.quote)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my dir").mkdir()
    (tmp_path / "my dir" / "export list.txt").write_text("a@example.org\n", encoding="utf-8")
    (tmp_path / "l'export.txt").write_text("a@example.org\n", encoding="utf-8")
    err = usage_error(capsys, ["lists", "audit", given])
    assert said in err, err


@pytest.mark.parametrize(
    "argv",
    [
        ["notify", "--record", "\uff4e\uff4f\uff54\uff49\uff43\uff45\uff53.yaml"],
        ["notify", "--record", "\uff4e\uff4f\uff54\uff49\uff43\uff45\uff53.yaml", "--new-record", "--dry-run"],
        ["report", "--record", "\uff4e\uff4f\uff54\uff49\uff43\uff45\uff53.yaml"],
    ],
)
def test_a_record_to_start_in_full_width_forms_is_told_its_name_in_ascii(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: list[str]
) -> None:
    """pic report --record ｎｏｔｉｃｅｓ.yaml with no record yet was warned 'ｎｏｔｉｃｅｓ.yaml does not exist',
    and pic notify --new-record would start a record so named, where --record ' notices.yaml' is told its blanks:
    the record to start is offered its name in ASCII, as one with blanks around it is offered its name without
    them."""
    monkeypatch.chdir(tmp_path)
    err = usage_error(capsys, argv)
    assert "names nothing here: it has letters, digits or signs that only look like ASCII" in err, err
    assert "write notices.yaml (a new file is started in ASCII)" in err, err
    assert list(tmp_path.iterdir()) == [], list(tmp_path.iterdir())


@pytest.mark.parametrize("secret", ["Lilas2024x", "Soleil-Azur-75"])
@pytest.mark.parametrize("option", [["check", "--members"], ["notify", "--record"], ["report", "--disk-usage"]])
def test_a_path_with_blanks_around_it_shaped_as_a_password_is_not_shown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, option: list[str], secret: str
) -> None:
    """A password pasted with a blank before it where a path is asked is told its blanks without being shown, whether
    the path without them names something or not."""
    monkeypatch.chdir(tmp_path)
    for exists in (False, True):
        if exists:
            (tmp_path / secret).mkdir()
        err = usage_error(capsys, [*option, f" {secret}"])
        assert "blanks around it" in err and secret.lower() not in err.lower(), err


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (" 2026-01-01", "' 2026-01-01' is not a date written YYYY-MM-DD (blanks around it): write 2026-01-01"),
        ("2027-W13-3 ", "(blanks around it, and an ISO week date: day 3 of week 13 of 2027): write 2027-03-31"),
    ],
)
def test_a_day_with_blanks_around_it_is_told_so(capsys: pytest.CaptureFixture[str], value: str, said: str) -> None:
    """pic check --on ' 2026-01-01' was told "is not a date written YYYY-MM-DD: write 2026-01-01", the blank it holds
    unseen: what is around the day is told, as --port ' 53' is told its blanks."""
    err = usage_error(capsys, ["check", "--on", value])
    assert said in err, err


@pytest.mark.parametrize("secret", ["Lilas2024x", "Soleil-Azur-75", "0xCafe1234", "velo75paris", "LILAS2024X"])
@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--SECRET"], "pic check: error: unrecognized arguments: the value (not shown: it may be a secret)"),
        (["check", "--SECRET."], "pic check: error: unrecognized arguments: the value (not shown: it may be a secret)"),
        (["report", "-SECRET"], "pic report: error: unrecognized arguments: the value (not shown: it may be a secret)"),
        (["plan", "--SECRET=1"], "pic plan: error: unrecognized arguments: the value (not shown: it may be a secret)"),
        (["check", "--stak", "SECRET"], "pic check: error: unrecognized arguments: --stak the value (not shown"),
        (["SECRET"], "pic: error: argument COMMAND: invalid choice: the value (not shown: it may be a secret)"),
        (["dns", "SECRET"], "pic dns: error: argument SUBCOMMAND: invalid choice: the value (not shown"),
    ],
)
def test_an_unknown_argument_in_a_password_s_shape_is_not_shown(
    argv: list[str], said: str, secret: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pic check --Soleil-Azur-75` was told `unrecognized arguments: --Soleil-Azur-75`: a passphrase's dashes
    before it, as an option's are, made no part of its words (pic.secrettext.password_part read '' as its first)."""
    with pytest.raises(SystemExit) as caught:
        _parse([arg.replace("SECRET", secret) for arg in argv])
    err = capsys.readouterr().err
    assert caught.value.code == 2, err
    assert said in err, err
    assert secret.lower() not in err.lower(), err


@pytest.mark.parametrize("secret", ["Lilas2024x", "Soleil-Azur-75", "velo75paris", "LILAS2024X"])
@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["dns", "check", "--expected", "DIR/SECRET/e.json"], "pic dns check: error: argument --expected: the value"),
        (["lists", "audit", "--domains", "DIR/SECRET/d.yaml", "x"], "pic lists audit: error: argument --domains: the "),
        (["lists", "audit", "DIR/SECRET/x.txt"], "pic lists audit: error: argument FILE: the value (not shown"),
        (["report", "--disk-usage", "DIR/SECRET/"], "pic report: error: argument --disk-usage: the value (not shown"),
    ],
)
def test_a_path_argument_naming_nothing_in_a_password_s_shape_is_not_shown(
    argv: list[str], said: str, secret: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--expected /tmp/Lilas2024x/e.json` (nothing there) was told `'/tmp/Lilas2024x/e.json' cannot be read`: a
    path of the command line refused is not shown when a part of it may be a password (read part by part)."""
    with pytest.raises(SystemExit) as caught:
        _parse([arg.replace("DIR", str(tmp_path)).replace("SECRET", secret) for arg in argv])
    err = capsys.readouterr().err
    assert caught.value.code == 2, err
    assert said in err and "(not shown: it may be a secret) cannot be read" in err, err
    assert secret not in err, err


def test_a_path_argument_naming_nothing_is_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _parse(["dns", "check", "--expected", f"{tmp_path}/Asso-Case2024.org/e.json"])
    assert f"'{tmp_path}/Asso-Case2024.org/e.json' cannot be read" in capsys.readouterr().err


# Each option naming a file, its command line with FILE for it
_FILE_OPTIONS = {
    "--disk-usage": ["report", "--disk-usage", "FILE"],
    "--record": ["report", "--record", "FILE"],
    "notify --record": ["notify", "--record", "FILE", "--dry-run"],
    "--ca-file": ["status", "--ca-file", "FILE"],
    "status --disk-usage": ["status", "--disk-usage", "FILE"],
    "--expected": ["dns", "check", "--expected", "FILE"],
    "--domains": ["lists", "audit", "--domains", "FILE", "EXPORT"],
    "FILE": ["lists", "audit", "FILE"],
}


@pytest.mark.parametrize("option", list(_FILE_OPTIONS))
def test_a_file_option_that_is_a_loop_of_links_is_said_to_be_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    """--disk-usage loop.tsv, a link to a link back to it, was told "'loop.tsv' cannot be read (Too many levels of
    symbolic links)", the OS's words (ELOOP, as `cat loop.tsv` says it): said as --members' loop is, a loop of
    symbolic links (or a chain of over 40), the option and the file named, a usage error."""
    loop = tmp_path / "loop.tsv"
    loop.symlink_to(tmp_path / "back.tsv")
    (tmp_path / "back.tsv").symlink_to(loop)
    cat = subprocess.run(["cat", str(loop)], capture_output=True, text=True, check=False)
    assert "Too many levels of symbolic links" in cat.stderr, cat  # coreutils' words of ELOOP
    export = tmp_path / "export.txt"
    export.write_text("a@example.org\n")
    argv = [{"FILE": str(loop), "EXPORT": str(export)}.get(a, a) for a in _FILE_OPTIONS[option]]
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2, err
    flag = option.rsplit(maxsplit=1)[-1]
    assert f"argument {flag}: '{loop}' is a loop of symbolic links (or a chain of over 40): give " in err, err
    assert "Too many levels" not in err, err
