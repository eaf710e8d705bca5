"""Argparse types for the commands' numbers, addresses and files: a bad value is a usage error (exit 2).

Each type checks the value as the command later uses it, so that nothing is
probed, read or sent with a port, a timeout, a resolver or a CA file that
cannot work: ``--port 99999`` or ``--timeout nan`` never reach a socket.
"""

from __future__ import annotations

import argparse
import decimal
import errno
import ipaddress
import math
import os
import re
import shlex
import stat
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pic.errors import HIDDEN_VALUE, refused_may_be_secret, shown_name
from pic.networks import no_resolver_there
from pic.secrettext import interface_name, mixed_case_hex
from pic.settings import STACK_NAME, DnsSpec, is_ip
from pic.validators import (
    LOCALHOST_WORDS,
    UNNAMED_ZONE_WORDS,
    address_form_problem,
    dotted_numbers_problem,
    embedded_ipv4,
    full_width_words,
    inet_aton_form,
    leading_zero_reading,
    names_localhost,
    resolver_zone_refusal,
)
from pic.yamlsrc import file_kind

# The help of --resolver and --port, for every command that asks a resolver: the stack's setting, and its default
# when the stack does not set it (DnsSpec's).
RESOLVER_HELP = (
    f"resolver IP address (default: pic:dns.resolver of the stack, {DnsSpec.model_fields['resolver'].default} "
    "when it sets none)"
)
RESOLVER_PORT_HELP = (
    f"resolver port (default: pic:dns.resolver_port, {DnsSpec.model_fields['resolver_port'].default} when the stack "
    "sets none)"
)
# Seconds per lookup or connection: beyond five minutes a host is down, and `pic status` asks
# several times per domain.
MAX_TIMEOUT = 300.0
# A system's bundle of CA certificates is a few hundred KiB.
MAX_CA_FILE_BYTES = 16 * 1024 * 1024
# The files the commands read whole (a record, the expected records): far more than any of them holds.
_MAX_FILE_BYTES = 64 * 1024 * 1024
_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: int() also reads " 53", "+53", "5_3" and "٥٣"
# Decimal digits with or without a point, of any length (0000001 is 1): float() also reads an exponent (1e-6),
# "inf", "nan", "1_0" and other scripts' digits, none of which is taken.
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


# A value in a Japanese or Chinese keyboard's letters, digits or signs (ｐｒｏｄ, ５３), which NFKC makes ASCII
FULL_WIDTH_WORDS = "has letters, digits or signs that only look like ASCII (full-width forms)"


def _in_ascii(text: str, check: Callable[[str], object], secret: Callable[[str], bool] = refused_may_be_secret) -> str:
    """What is said after the refusal of ``text`` when it is empty or blanks alone (``: it is empty``), or when it
    has blanks around it or is written in full-width forms and ``check`` takes it without them, in ASCII (NFKC):
    ``' prod'``: ``: it has blanks around it: write prod``, ``ｐｒｏｄ``: ``: it has ... (full-width forms): write
    prod``, as an option's word so written is offered it (pic.cli); the value is not told when it may be a secret (a
    password typed at the wrong prompt, hidden as written: ``secret``, by default pic.errors.refused_may_be_secret).
    Empty for another text."""
    if not text.strip():
        return ": it is empty" if not text else ": it holds blanks alone"
    stripped = text.strip()
    folded = unicodedata.normalize("NFKC", stripped)
    said = []
    if stripped and stripped != text:
        said.append("has blanks around it")
    if folded != stripped and folded.isascii():
        said.append(FULL_WIDTH_WORDS)
    if not said:
        return ""
    try:
        check(folded)
    except argparse.ArgumentTypeError:
        return ""
    what = ", and it ".join(said)
    if secret(folded):
        return f": it {what}: write it without them" if folded == stripped else f": it {what}: write it in ASCII"
    return f": it {what}: write {folded}"


def stack_name(text: str) -> str:
    """A stack's name, whose file is ``Pulumi.<name>.yaml``: letters, digits, ``_``, ``.`` and ``-``; one written in
    full-width forms is told in ASCII (:func:`_in_ascii`)."""
    if STACK_NAME.fullmatch(text) is None:
        from pic.errors import public_name_may_be_secret

        hidden = public_name_may_be_secret(text)  # a password typed at the wrong prompt (xK9#mQ2$)
        raise argparse.ArgumentTypeError(
            f"{HIDDEN_VALUE if hidden else repr(text)} is not a stack name (letters, digits, '_', '.' and '-': its "
            f"file is Pulumi.<stack>.yaml){_in_ascii(text, stack_name, public_name_may_be_secret)}"
        )
    return text


def port(text: str) -> int:
    """A TCP or UDP port, 1 to 65535, in ASCII digits; leading zeros are taken (``0053`` is 53), as the message's
    rule, a number from 1 to 65535, says nothing of them; one in full-width digits told in ASCII (:func:`_in_ascii`)."""
    digits = text.lstrip("0") if _DIGITS.fullmatch(text) else ""
    value = int(digits) if 0 < len(digits) <= 5 else 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (a number from 1 to 65535){_in_ascii(text, port)}")
    return value


def timeout(text: str) -> float:
    """Seconds, a number above 0 and at most :data:`MAX_TIMEOUT` written in decimal digits with or without a
    point (``5``, ``2.5``, ``.5``, ``0.000001``); no exponent (``1e-6``), which the message says."""
    # compared as written: as a float, 300.0000000000000001 is 300.0, and 0.000...01 is 0.0
    exact = decimal.Decimal(text) if _DECIMAL.fullmatch(text) else None
    if exact is None or not 0 < exact <= decimal.Decimal(MAX_TIMEOUT):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds above 0 and at most {MAX_TIMEOUT:g} written in decimal digits, "
            f"with or without a point (e.g. 5 or 2.5; no exponent: 1e-6 is written 0.000001){_in_ascii(text, timeout)}"
        )
    return float(exact) or math.nextafter(0.0, 1.0)  # above 0 though no float is that small: never 0, no wait


class StoreGiven(argparse.Action):
    """An option's value stored as ``store`` does, its ``dest`` added to the namespace's ``given_options`` set:
    what was given on the command line is told apart from a default of the same value."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        namespace.given_options = {*getattr(namespace, "given_options", ()), self.dest}


# An address followed by its port, as a URL writes it: 192.0.2.53:5353, [2001:db8::53]:53
# (an IPv4 address in a form inet_aton reads too: 0x7f.1:53)
_ADDRESS_AND_PORT = re.compile(r"\[(?P<v6>[^\]]*)\]:(?P<v6port>[0-9]+)|(?P<v4>[0-9A-Fa-fxX.]+):(?P<v4port>[0-9]+)")


# An IPv4 address then a zone id (10.0.0.1%eth0) or a name's final dot (127.0.0.1.): no name, an address with more
_IPV4_AND_MORE = re.compile(r"(?P<a>[0-9]{1,3}(?:\.[0-9]{1,3}){3})(?:(?P<zone>%.*)|\.)", re.DOTALL)


def _why_not_an_address(text: str) -> str:
    """What is wrong with ``text``, no IP address: a name is told to be given as its address, but a value that is
    no name (a port after the address, brackets, a number out of range, an empty value) is told what it is."""
    if not text.strip():
        what = "it is empty" if not text else "it holds blanks alone"
        return f"{what}: give the resolver's address (e.g. 127.0.0.1 or ::1)"
    given = _ADDRESS_AND_PORT.fullmatch(text)
    if given is not None and (address := given["v6"] or given["v4"]):  # []:53: nothing in the brackets
        port = given["v6port"] or given["v4port"]
        if (meant := _meant(address)) is not None:
            return _address_and_port(meant[1], port, meant[0] and f"{address} is {meant[0]}")
    for said in (
        _pasted(text),
        _address_with_more(text),
        _shorthand_or_localhost(text),
        _leading_zero(text),
        _form_with_more(text),
        _ipv4_part(text),
        _numbers(text),
        _with_port(text),
    ):
        if said is not None:
            return said
    if ":" in text:  # no name holds a colon: a mistyped IPv6 address, or a port left out
        return _with_colon(text)
    if all(c.isascii() and (c.isdigit() or c == ".") for c in text):  # no top-level domain is digits alone
        return _reason(text)
    return "give the resolver's address (e.g. 127.0.0.1 or ::1), not its name"


def _pasted(text: str) -> str | None:
    """What is said of an address with blanks pasted around it or in a Japanese or Chinese keyboard's full-width
    digits (``' 9.9.9.9'``, ``９.９.９.９``), as pic:dns.resolver tells them (:func:`_told_inside`); None for
    another text."""
    folded = unicodedata.normalize("NFKC", text)
    if text.strip() and text.strip() != text:
        return _told_inside(text.strip(), "it has blanks around it")
    if folded != text and folded.isascii():
        return _told_inside(folded, f"it {full_width_words(folded)}")
    return None


def _told_inside(inner: str, what: str) -> str:
    """What is said of a value that is ``inner`` with ``what`` more (blanks around it, full-width forms): the
    address to give when ``inner`` is one taken, else why it is not, or that a name is no address."""
    if is_ip(inner):
        refused = _refused(inner)
        return f"{what}, and {refused}" if refused else f"{what}: give {inner}"
    why = _why_not_an_address(inner)
    if why.endswith("not its name") and not why.startswith("it "):  # a name alone: what around it is no matter
        return why
    return f"{what}, and {why}"


def _address_with_more(text: str) -> str | None:
    """What is said of an address in brackets (``[::1]``), an address with a prefix length (``8.8.8.8/32``), or an
    IPv4 address with a zone id or a final dot (``10.0.0.1%eth0``, ``127.0.0.1.``): the address to give when it is
    taken, else why not; None for another text."""
    if text.startswith("[") and text.endswith("]") and is_ip(text[1:-1]):
        refused = _refused(text[1:-1])
        return f"it is in brackets, and {refused}" if refused else f"give it without brackets ({text[1:-1]})"
    address, slash, length = text.partition("/")
    if slash and length.isdigit() and is_ip(address):  # 8.8.8.8/32: a network's prefix length, as ip addr shows it
        what, refused = f"it holds a prefix length (/{length}), a network's", _refused(address)
        return f"{what}, and {refused}" if refused else f"{what}: give {address}"
    more = _IPV4_AND_MORE.fullmatch(text)
    if more is None or not is_ip(more["a"]):
        return None
    what = (
        "it has a zone id after its '%', which only an IPv6 link-local address takes"
        if more["zone"] is not None
        else "it ends with a dot, which no address has"
    )
    refused = _refused(more["a"])
    return f"{what}, and {refused}" if refused else f"{what}: give {more['a']}"


def _meant(address: str) -> tuple[str | None, str] | None:
    """The IP address ``address`` means, and the words of the form it is written in when it is not that address
    itself: an IPv4 address in a form inet_aton reads (``0x7f.1``: :func:`pic.validators.inet_aton_form`), or an
    IPv6 address whose IPv4 part is (``::ffff:0x7f.1``: ``::ffff:127.0.0.1``); None when it means no address."""
    if is_ip(address):
        return None, address
    if (form := inet_aton_form(address)) is not None:
        return form[0], str(form[1])
    head, colon, tail = address.rpartition(":")
    form = inet_aton_form(tail) if colon else None
    if form is None or not is_ip(f"{head}:{form[1]}"):
        return None
    return f"an IPv6 address whose IPv4 part {tail} is {form[0]}", f"{head}:{form[1]}"


def _form_with_more(text: str) -> str | None:
    """What is said of an address in a form inet_aton reads (:func:`_meant`) with a prefix length, a final dot or
    brackets around it (``0x7f.1/32``, ``127.1.``, ``[0x7f.1]``), as :func:`_address_with_more` tells an address
    written plain; None for another text."""
    address, slash, length = text.partition("/")
    around = [
        (address, f"it holds a prefix length (/{length}), a network's", slash and length.isdigit()),
        (text[:-1], "it ends with a dot, which no address has", text.endswith(".")),
        (text[1:-1], "it is in brackets", text.startswith("[") and text.endswith("]")),
    ]
    for inner, what, holds in around:
        if holds and (meant := _meant(inner)) is not None and meant[0] is not None:
            return _form_inside(inner, meant, what)
    return None


def _numbers(text: str) -> str | None:
    """What is said of numbers parted by dots that are fewer or more than an IPv4 address's four (``9.9.9``,
    ``1.2.3.4.5``; Python's words: "expected 4 octets") or with a number left out (``1..2.3``), in
    pic:dns.resolver's words (:func:`pic.validators.dotted_numbers_problem`), numbers ending with dots told as what
    is before them (``1.2.3.4..``: 1.2.3.4 to give); None for another text."""
    inner = text.rstrip(".")
    if len(text) - len(inner) > 1 and inner[:1].isdigit():  # one dot: _address_with_more, _form_with_more
        return _told_inside(inner, "it ends with dots, which no address has")
    problem = dotted_numbers_problem(text)
    return None if problem is None else f"it {problem}: give the whole address of the resolver"


def _with_port(text: str) -> str | None:
    """What is said of a name or an address no resolver answers at with ``:`` and a port after it
    (``localhost:53``, ``0177.0.0.1:53``): the port to give with --port and what is wrong with the rest, the name
    not repeated (a password may be pasted there); None for another text."""
    host, colon, port = text.rpartition(":")
    if not colon or not host or ":" in host or _DIGITS.fullmatch(port) is None or host.startswith("["):
        return None
    valid = 1 <= int(port) <= 65535
    if names_localhost(host):
        what = f"it is a name and a port, and localhost is {LOCALHOST_WORDS}"
        if not valid:
            return f"{what}, and {int(port)} is no port (1 to 65535)"
        return f"{what}: give its address, and the port with --port (--resolver 127.0.0.1 --port {int(port)})"
    why = _why_not_an_address(host)
    then = f"give the port with --port (--port {int(port)})" if valid else f"{int(port)} is no port (1 to 65535)"
    if why.endswith("not its name"):
        return f"it is a name and a port: {then}, and the resolver's address, not its name"
    then = then if not valid else f"the port is given with --port (--port {int(port)})"
    return f"it is an address and a port, and {host} {why.removeprefix('it ')}; {then}"


def _with_colon(text: str) -> str:
    """What is said of ``text``, holding ``:`` and no IP address nor one with a port (:func:`_with_port`): a ``:``
    with no port after it (``1.2.3.4:``, ``localhost:``), a port after brackets holding no address (``[x]:53``), an
    IPv6 address whose IPv4 part is no address (``::ffff:0177.0.0.1``, told as that part alone is), in the option's
    words (Python's were "at least 3 parts expected", "at most 3 characters permitted in '0177'"); else what Python
    says of a mistyped IPv6 address (``::g``: only hex digits permitted in 'g'). A name is never repeated."""
    head = text[:-1]
    if text.endswith(":") and head and (":" not in head or (head.startswith("[") and head.endswith("]"))):
        return _colon_without_port(head[1:-1] if head.startswith("[") and head.endswith("]") else head)
    bracketed, close, port = text.partition("]:")
    if text.startswith("[") and close and _DIGITS.fullmatch(port) is not None and not is_ip(bracketed[1:]):
        valid = 1 <= int(port) <= 65535
        then = f"the port with --port (--port {int(port)})" if valid else f"{int(port)} is no port (1 to 65535)"
        return (
            f"it is in brackets with a port after them, and what is inside the brackets is no IP address: give the "
            f"resolver's address alone, and {then}"
        )
    tail = text.rpartition(":")[2]
    if "." in tail and all(c.isascii() and (c.isdigit() or c == ".") for c in tail) and not is_ip(tail):
        why = _why_not_an_address(tail)
        if not why.endswith("not its name"):
            return f"its IPv4 part {tail} {why.removeprefix('it ')}"
    return _reason(text)


def _colon_without_port(inner: str) -> str:
    """What is said of ``inner`` written with a ``:`` after it and no port (``1.2.3.4:``): the address to give
    when it is taken, else why not; a name is not repeated."""
    what = "it ends with a ':' and no port after it"
    if is_ip(inner):
        refused = _refused(inner)
        return f"{what}, and {refused}" if refused else f"{what}: give {inner}"
    if names_localhost(inner):
        return f"{what}, and localhost is {LOCALHOST_WORDS}: give its address (127.0.0.1)"
    if not inner:
        return f"{what}, and nothing before it: give the resolver's address (e.g. 127.0.0.1 or ::1)"
    why = _why_not_an_address(inner)
    if why.endswith("not its name"):
        return f"{what}, and a name before it: give the resolver's address, not its name"
    return f"{what}, and {inner} {why.removeprefix('it ')}"


def _form_inside(inner: str, meant: tuple[str | None, str], what: str) -> str:
    """What is said of ``inner`` written in a form inet_aton reads (``meant``: :func:`_meant`) with ``what`` more
    around it (a final dot, a prefix length, brackets): the address meant to give when it is taken, else why not."""
    told, address = f"{what}, and {inner} is {meant[0]}", meant[1]
    refused = _refused(address)
    return f"{told}, and {refused}" if refused else f"{told}: give {address}"


def _ipv4_part(text: str) -> str | None:
    """What is said of an IPv6 address whose IPv4 part is written in a form inet_aton reads (``::ffff:0x7f.1``,
    ``64:ff9b::127.1``): the address meant to give when it is taken, else why not (``::ffff:127.0.0.1``: the IPv4
    address itself to give); None for another text."""
    meant = _meant(text) if ":" in text and not is_ip(text) else None
    form = None if meant is None else inet_aton_form(text.rpartition(":")[2])
    if meant is None or form is None:
        return None
    what = f"its IPv4 part {text.rpartition(':')[2]} is {form[0]}"
    refused = _refused(meant[1])
    return f"{what}, and {refused}" if refused else f"{what}: give {meant[1]}"


def reads_as_address(text: str) -> bool:
    """Whether ``text`` writes an IP address, in a form inet_aton reads or not (:func:`_meant`), alone or with a
    port, brackets, a prefix length or a final dot around it (``0x7f.1:53``, ``::ffff:0x7f.1``): what the messages
    of :func:`ip_address` tell and name, which is no secret to hide. A zone id (after ``%``) is none of these, nor
    hexadecimal mixing capitals and small letters (0xDeadBeef: :func:`pic.secrettext.mixed_case_hex`), a password's
    shape."""
    if mixed_case_hex(text):
        return False
    given = _ADDRESS_AND_PORT.fullmatch(text)
    core = (given["v6"] or given["v4"] or "") if given is not None else text  # []:53: nothing in the brackets
    if core.startswith("[") and core.endswith("]"):
        core = core[1:-1]
    address, slash, length = core.partition("/")
    if slash and length.isdigit():
        core = address
    if core.endswith(".") and ":" not in core:
        core = core[:-1]
    return "%" not in core and _meant(core) is not None


def _leading_zero(text: str) -> str | None:
    """What is said of an IPv4 address with a leading zero in a number (``127.0.0.01``), as pic:dns.resolver tells
    it (:func:`pic.validators.leading_zero_reading`): the address read without it to give when it is taken, else
    why not; None for another text."""
    zero = leading_zero_reading(text)
    if zero is None:
        return None
    if zero[1] is None:  # read as two addresses (0177.0.0.1): none is offered
        return f"it {zero[0]}"
    what, plain = f"it {zero[0]}", str(zero[1])
    refused = _refused(plain)
    return f"{what}, and {refused}" if refused else f"{what}: give {plain}"


def _shorthand_or_localhost(text: str) -> str | None:
    """What is said of an address in another form inet_aton reads (``127.1``, ``0x7f.1``) or ``localhost``, as
    pic:dns.resolver tells them (:func:`pic.validators.inet_aton_form`): the address meant to give when it is taken,
    else why not; None for another text."""
    form = inet_aton_form(text)
    if form is None and not names_localhost(text):
        return None
    address = str(form[1]) if form is not None else "127.0.0.1"
    what = form[0] if form is not None else LOCALHOST_WORDS
    refused = _refused(address)
    return f"it is {what}, and {refused}" if refused else f"it is {what}: give {address}"


def _address_and_port(address: str, port: str, form: str | None = None) -> str:
    """What is said of an address given with its port (``1.1.1.1:53``): the options to give, when both are taken;
    ``form``, the words of the form the address was written in when it is not ``address`` (``0x7f.1:53``). An
    address the option is offered another for (``[fe80::1%25eth0]:53``, ``[::ffff:1.2.3.4]:53``) is told why, with
    the options to give: the address offered and the port."""
    what = "it is an address and a port" if form is None else f"it is an address and a port, and {form}"
    valid = 1 <= int(port) <= 65535
    try:
        address = ip_address(address)
    except _Offered as offer:
        if valid:
            return f"{what}, and {offer.without}: give the port with --port (--resolver {offer.offered} --port {port})"
        return f"{what}, and {offer}"
    except argparse.ArgumentTypeError as refused:
        return f"{what}, and {refused}"
    if not valid:
        return f"{what}, and {int(port)} is no port (1 to 65535)"
    return f"{what}: give the port with --port (--resolver {address} --port {port})"


class _Offered(argparse.ArgumentTypeError):
    """:func:`ip_address`'s refusal of a value for which it offers another address: ``without``, the words of the
    refusal before what to give (``'fe80::53%25eth0' has its zone id written %25 ...``), ``offered`` the address."""

    def __init__(self, without: str, offered: str, give: str) -> None:
        super().__init__(f"{without}: {give}")
        self.without, self.offered = without, offered


def _refused(address: str) -> str | None:
    """Why :func:`ip_address` refuses ``address``, an IP address (one no resolver answers at), or None: a value
    holding it is offered it only when it is taken."""
    try:
        ip_address(address)
    except argparse.ArgumentTypeError as error:
        return str(error)
    return None


def _reason(text: str) -> str:
    """What is wrong with ``text`` written as an IP address, in pic's words (the part that is wrong, what an address
    is: :func:`pic.validators.address_form_problem`), else what to give."""
    problem = address_form_problem(text)
    return f"it {problem}" if problem is not None else "give the resolver's address (e.g. 127.0.0.1 or ::1)"


def ip_address(text: str) -> str:
    """An IPv4 or IPv6 address (a resolver is asked at its address, never at a name)."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an IP address: {_why_not_an_address(text)}") from None
    if isinstance(address, ipaddress.IPv6Address) and (embedded := embedded_ipv4(address)) is not None:
        ipv4, kind = embedded
        inside = no_resolver_there(ipv4)  # the address offered is one the option takes
        if inside is not None:
            raise argparse.ArgumentTypeError(
                f"{text!r} is {kind}, and {str(ipv4)!r} inside is {inside}: no resolver answers there"
            )
        raise _Offered(f"{text!r} is {kind}", str(ipv4), f"give the IPv4 address itself ({ipv4})")
    # A link-local address with its zone (fe80::1%eth0) is a resolver on the local link, and is taken: its zone
    # written as a URL writes it, or a zone on an address reached without one, told as pic:dns.resolver tells them
    if isinstance(address, ipaddress.IPv6Address) and (refusal := resolver_zone_refusal(address)) is not None:
        refused = _refused(refusal[1])
        if refused is not None:  # the address offered refused in turn (ff02::1%eth0, ff02::1%25eth0: multicast)
            raise argparse.ArgumentTypeError(f"{text!r} {refusal[0]}, and {refused}")
        raise _Offered(f"{text!r} {refusal[0]}", refusal[1], f"give {refusal[1]}")
    # a port after the zone id (fe80::53%eth0:53: Python reads "eth0:53" as the zone), told as [fe80::53%eth0]:53
    zone, colon, after = (
        (address.scope_id or "").rpartition(":") if isinstance(address, ipaddress.IPv6Address) else 3 * ("",)
    )
    if colon and zone and _DIGITS.fullmatch(after) is not None:
        bare = text.partition("%")[0]
        raise argparse.ArgumentTypeError(f"{text!r} is not an IP address: {_address_and_port(f'{bare}%{zone}', after)}")
    # a zone id no interface is named by (fe80::53%lilas2024, fe80::53%eth 0) as pic:dns.resolver tells it: a
    # password pasted there is no interface to send the query through
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id and not interface_name(address.scope_id):
        raise argparse.ArgumentTypeError(f"the value (not shown: it may be a secret) {UNNAMED_ZONE_WORDS}")
    what = no_resolver_there(address)
    if what is not None:
        raise argparse.ArgumentTypeError(f"{text!r} is {what}: no resolver answers there")
    return str(address)


def non_empty_path(what: str) -> Callable[[str], Path]:
    """An argparse type: a path that is not empty (``Path("")`` is the current directory, silently)."""

    def check(text: str) -> Path:
        return _not_empty(text, what)

    return check


def _not_empty(text: str, what: str, new: bool = False) -> Path:
    """``text`` as a path, refused when empty (:func:`non_empty_path`) or when it names nothing with blanks around it,
    as an option's word with blanks is told (:func:`_in_ascii`): offered the path without them where that names a
    file or a directory (``' members'``: ``write members``), or where a file not there yet is started (``new``: a
    record, ``' notices.yaml'``), else told that the path without them names nothing either; one in a Japanese or
    Chinese keyboard's full-width forms (``ｍｅｍｂｅｒｓ``) is offered the path in ASCII where that names
    something, or where a file not there yet is started (``new``: ``ｎｏｔｉｃｅｓ.yaml``); a path that may hold a
    password (:func:`_named`) is told to be written without them, not shown. A path offered is written as the shell
    reads it (``'my dir/export list.txt'``, in quotes)."""
    if not text:
        raise argparse.ArgumentTypeError(f"'' is an empty path, which names nothing: give {what}")
    stripped = text.strip()
    folded = unicodedata.normalize("NFKC", stripped)
    if folded != stripped and folded.isascii() and not os.path.lexists(text) and (new or os.path.lexists(folded)):
        named = _named(text)
        more = "has blanks around it, and it " if stripped != text else ""
        write = "write it in ASCII" if named == HIDDEN_VALUE else f"write {shlex.quote(shown_name(folded))}"
        started = "" if os.path.lexists(folded) else " (a new file is started in ASCII)"  # a record not there yet
        raise argparse.ArgumentTypeError(f"{named} names nothing here: it {more}{FULL_WIDTH_WORDS}: {write}{started}")
    if not stripped or stripped == text or os.path.lexists(text):
        return Path(text)
    named = _named(text)
    write = "write it without them" if named == HIDDEN_VALUE else f"write {shlex.quote(shown_name(stripped))}"
    if os.path.lexists(stripped):
        raise argparse.ArgumentTypeError(f"{named} names nothing here: it has blanks around it: {write}")
    if new:
        raise argparse.ArgumentTypeError(
            f"{named} names nothing here, and it has blanks around it: {write} (a new file is started without them)"
        )
    either = "the path without them" if named == HIDDEN_VALUE else shown_name(stripped)
    raise argparse.ArgumentTypeError(
        f"{named} names nothing here, and it has blanks around it ({either} names nothing either): give {what}"
    )


def _named(text: str) -> str:
    """A path in a message, quoted: as every message names one (pic.errors.shown_name: a newline ``\\x0a``), not as
    Python's repr writes it (``\\n``); the value not shown (:data:`pic.errors.HIDDEN_VALUE`) when a part of it may be
    a password pasted there (pic.errors.refused_may_be_secret, part by part: ``--expected /tmp/Lilas2024x/e.json``;
    ``/srv/Asso-Case2024.org/e.json`` is shown)."""
    if any(refused_may_be_secret(part) for part in Path(text).parts):
        return HIDDEN_VALUE
    return f"'{shown_name(text)}'"


def _unread(path: Path, exc: OSError) -> str:
    """Why ``path`` cannot be read, in words: ``cannot be read (No such file or directory)``, or, a symbolic link to
    nothing (a file moved away), where it leads: ``is a link to '/srv/x.tsv', which does not exist``; a loop of links
    (ELOOP, "Too many levels of symbolic links") said to be one, as ``--members``' is."""
    if exc.errno == errno.ELOOP:
        return "is a loop of symbolic links (or a chain of over 40)"
    if isinstance(exc, FileNotFoundError):
        try:
            return f"is a link to {_named(os.readlink(path))}, which does not exist"
        except OSError:  # no link: nothing there
            pass
    return f"cannot be read ({exc.strerror})"


def _regular_file(text: str, what: str, limit: int) -> Path:
    """``text`` names a readable regular file (or a link to one) of at most ``limit`` bytes: one byte of it read (a
    file of /proc may be regular and fail when read: /proc/self/mem, Input/output error)."""
    path = _not_empty(text, what)
    try:
        st = path.stat()
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"{_named(text)} {_unread(path, exc)}: give {what}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else f"{file_kind(st.st_mode)}, not a regular file"
        raise argparse.ArgumentTypeError(f"{_named(text)} is {kind}: give {what}")
    if st.st_size > limit:
        raise argparse.ArgumentTypeError(f"{_named(text)} is {st.st_size} bytes long (at most {limit}): give {what}")
    if not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"{_named(text)} cannot be read (permission denied): give {what}")
    try:
        with path.open("rb", buffering=0) as file:  # a regular file: opening it never blocks
            file.read(1)
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"{_named(text)} cannot be read ({exc.strerror}): give {what}") from None
    return path


# A certificate's PEM block (RFC 7468 §5; OpenSSL's TRUSTED and X509 labels too), to its END line or the file's end
_PEM_CERTIFICATE = re.compile(
    r"^-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----$(?P<body>.*?)"
    r"(?:^-----END (?:TRUSTED |X509 )?CERTIFICATE-----$|\Z)",
    re.MULTILINE | re.DOTALL,
)


def _unreadable_certificate(path: Path) -> int | None:
    """The line (1-based) where the first certificate of the PEM file ``path`` that cannot be read starts: its
    base64 damaged, or the block cut before its END line (RFC 7468 §2); None when each one reads, or the file
    cannot be read."""
    import base64
    import binascii

    from cryptography import x509

    try:
        text = path.read_bytes().decode("ascii", "replace")
    except OSError:
        return None
    for block in _PEM_CERTIFICATE.finditer(text):
        try:
            if not block.group().rstrip().endswith("-----"):  # no END line
                raise ValueError(block.group())
            x509.load_der_x509_certificate(base64.b64decode("".join(block["body"].split()), validate=True))
        except (binascii.Error, ValueError):
            return text.count("\n", 0, block.start()) + 1
    return None


def _not_pem(path: Path, text: str) -> str | None:
    """What ``path`` (given as ``text``), a CA file OpenSSL loaded no certificate from, holds instead of PEM, when
    that is known: text saved in UTF-16 or UTF-32 (:func:`pic.yamlsrc.other_encoding`: an editor's "Unicode"), a
    private key (:data:`pic.filekinds.PRIVATE_KEY`), or a certificate in DER (binary, as browsers and Windows export
    one), with the command that writes it in PEM."""
    from cryptography import x509

    from pic.yamlsrc import other_encoding

    try:
        data = path.read_bytes()
    except OSError:
        return None
    if (encoding := other_encoding(data)) is not None:
        return f"is encoded in {encoding}: save it as UTF-8 (PEM is ASCII text)"
    from pic.filekinds import PRIVATE_KEY, other_kind

    if (key := PRIVATE_KEY.search(data)) is not None:  # the CA's key given for its certificate: named by its line
        return f"holds a private key ({key[0].decode()}), no certificate (the CA's key is never given)"

    if (other := other_kind(data, path.name, "ca")) is not None:  # one of the project's files
        return other
    try:
        x509.load_der_x509_certificate(data)
    except ValueError:
        return None
    pem = path.with_suffix(".pem") if path.suffix != ".pem" else path.with_name(f"{path.name}.pem")
    return (
        "holds a certificate in DER (binary), not in PEM: convert it with "
        f"`openssl x509 -inform DER -in {shlex.quote(shown_name(text))} -out {shlex.quote(shown_name(str(pem)))}` and "
        "give that file"
    )


def private_key_in(path: Path) -> str | None:
    """What is said of ``path``, a CA file OpenSSL loaded certificates from, that holds a private key beside them
    (the CA's certificate and key saved in one file): the key's BEGIN line and its line number, never the key; None
    when it holds none (or cannot be read again)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    from pic.filekinds import PRIVATE_KEY

    key = PRIVATE_KEY.search(data)
    if key is None:
        return None
    line = data.count(b"\n", 0, key.start()) + 1
    return (
        f"holds a private key ({key[0].decode()}, line {line}) beside its "
        "certificates: OpenSSL passes over it, but whoever checks with the file is given the key that signs what it "
        "vouches for; keep the certificates alone in it, and the key where the CA's key is kept"
    )


def ca_file(text: str) -> Path:
    """A readable regular file of PEM certificates, loaded as ``pic status`` verifies with it."""
    import ssl

    what = "a file of CA certificates in PEM (-----BEGIN CERTIFICATE-----)"
    path = _regular_file(text, what, MAX_CA_FILE_BYTES)
    try:
        context = ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as exc:
        line = _unreadable_certificate(path)
        if line is not None:  # OpenSSL's words: "[X509] PEM lib (_ssl.c:4154)", of the library, not the file
            raise argparse.ArgumentTypeError(
                f"{_named(text)} holds a certificate OpenSSL cannot read, at line {line} (its base64 is damaged, or "
                f"cut before its -----END CERTIFICATE----- line): copy it again; give {what}"
            ) from None
        if (other := _not_pem(path, text)) is not None:
            raise argparse.ArgumentTypeError(f"{_named(text)} {other}; give {what}") from None
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
        reason = re.sub(r"\s*\(_ssl\.c:[0-9]+\)", "", reason)  # OpenSSL's source place: no help to an admin
        raise argparse.ArgumentTypeError(
            f"{_named(text)} holds no certificate OpenSSL can load ({reason}): give {what}"
        ) from None
    if context.cert_store_stats()["x509"] == 0:
        raise argparse.ArgumentTypeError(f"{_named(text)} holds no certificate: give {what}")
    return path


def of_another_kind(path: Path | None, option: str, kind: str) -> str | None:
    """What is said, a usage error (exit 2), of ``path``, given to ``option`` (``--disk-usage``) that asks a file of
    ``kind`` (a key of :data:`pic.filekinds.KINDS`), when it is one of the project's files of another kind or holds a
    private key (:func:`pic.filekinds.other_kind`): ``--disk-usage Pulumi.prod.yaml is a stack file (...), not a
    host's disk usage file (...)``, as a ``--ca-file`` or a ``--record`` of the project's own is; None when it is
    none of them, or no regular file (a directory's files are its content, told by its reader, exit 1)."""
    from pic.filekinds import other_kind
    from pic.settings import display_path

    if path is None:
        return None
    try:
        if not path.is_file():
            return None
        data = path.read_bytes()
    except OSError:  # told by its reader
        return None
    other = other_kind(data, path.name, kind)
    return None if other is None else shown_name(f"{option} {display_path(path)} {other}")


def readable_file(what: str, limit: int = _MAX_FILE_BYTES) -> Callable[[str], Path]:
    """An argparse type: a readable regular file (a FIFO or a device would block or never end)."""

    def check(text: str) -> Path:
        return _regular_file(text, what, limit)

    return check


def file_or_directory(what: str, limit: int = _MAX_FILE_BYTES) -> Callable[[str], Path]:
    """An argparse type: a readable regular file (:func:`readable_file`) or a directory that can be listed and
    searched (``--disk-usage``: a host's file, or a directory of them). The files found in the directory are
    its content, read and judged by the command (exit 1), as the member files of ``--members`` are."""

    def check(text: str) -> Path:
        path = _not_empty(text, what)
        try:
            st = path.stat()
        except OSError:
            return _regular_file(text, what, limit)  # says why it cannot be read
        if not stat.S_ISDIR(st.st_mode):
            return _regular_file(text, what, limit)
        if not os.access(path, os.R_OK | os.X_OK):
            raise argparse.ArgumentTypeError(
                f"{_named(text)} is a directory that cannot be read (permission denied): give {what}"
            )
        return path

    return check


def _absent(path: Path) -> bool:
    """True when nothing is at ``path`` (not even a dangling link); False when something is, or when that
    cannot be known (a directory on the way that cannot be searched: the file's check then says why)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def file_if_present(what: str, limit: int = _MAX_FILE_BYTES) -> Callable[[str], Path]:
    """An argparse type: a path that is a regular file when it exists (a record not written yet is allowed)."""

    def check(text: str) -> Path:
        path = _not_empty(text, what, new=True)
        return path if _absent(path) else _regular_file(text, what, limit)

    return check


# What parts the pieces of a revision (HEAD, 1 of HEAD~1), each told or hidden alone, as pic.cli hides them
_REVISION_PIECES = re.compile(r"[\s~^:@{}!/]+|\.\.")


def git_revision(text: str) -> str:
    """An argparse type: a git revision as ``pic plan --against`` takes one (git resolves it later): not empty, and
    not starting with '-' (:func:`dash_revision`), each a usage error however written (``--against=-x``)."""
    if not text:
        raise argparse.ArgumentTypeError(
            "'' is empty: give a commit, a branch or a tag, e.g. --against HEAD~1 (the commit before the last)"
        )
    if text.startswith("-"):
        raise argparse.ArgumentTypeError(dash_revision(text))
    # ＨＥＡＤ~1: git reads other characters; told in ASCII unless a piece between git's signs may be a secret. A
    # blank around a revision otherwise written as git writes it is told once git has read it (pic.plan.command:
    # the revision offered only where git resolves it; ':/fix ' searches for a message with its blank)
    if text.strip() and unicodedata.normalize("NFKC", text) == text:
        return text
    told = _in_ascii(text, git_revision, lambda rev: any(map(refused_may_be_secret, _REVISION_PIECES.split(rev))))
    if told:
        raise argparse.ArgumentTypeError(f"{text!r} is no revision git reads as written{told}")
    return text


def dash_revision(rev: str) -> str:
    """What is said of ``pic plan --against`` given ``rev``, a word starting with ``-`` (``-h``, ``--stat``), which
    no revision of git is: git reads such a word as an option (git-rev-parse(1)), and a branch or a tag may not be
    named so (git-check-ref-format(1)). argparse reads it as an option too, when written apart
    (``--against -h``)."""
    return (
        f"{rev!r} starts with '-', as no git revision does (git reads it as an option, and no branch or tag is named "
        "so): give a commit, a branch or a tag, e.g. --against HEAD~1 (the commit before the last)"
    )
