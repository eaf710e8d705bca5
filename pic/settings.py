"""The stack settings: the ``pic:`` keys of ``Pulumi.<stack>.yaml``.

Read straight from the stack file so that ``pic`` works without the Pulumi
CLI. Values set with ``pulumi config set --secret`` appear as
``{secure: ...}``: they are kept as opaque :class:`SecretRef` and never
decrypted here; the Pulumi program reads them with ``Config.require_secret``.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import difflib
import errno
import hashlib
import hmac
import ipaddress
import os
import posixpath
import re
import types
import typing
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Network
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails

from pic.errors import (
    HIDDEN_VALUE,
    PicError,
    Problem,
    Refusal,
    meant_among,
    percent_decodings,
    public_name_may_be_secret,
    reads_as_secret,
    refused_may_be_secret,
    show_value,
    shown_unless_secret,
    url_credentials,
    userinfo_holds_colon,
)
from pic.lazyre import LazyPattern
from pic.modelerrors import SubfieldError, _unwrap, number_refusal, problems_from, unique_items
from pic.networks import (
    PRIVATE_NETWORKS_WORDS,
    RFC1918_NETWORKS,
    in_private_network,
    link_local_words,
    no_resolver_there,
    no_server_there,
    reserved_block,
)
from pic.phpini import ExtensionPackage
from pic.secrettext import interface_name, password_beside, prose_secret
from pic.validators import (
    NEEDLESS_ZONE_WORDS,
    UNNAMED_ZONE_WORDS,
    ZONE_ID_WORDS,
    AsciiEmail,
    Domain,
    FreeText,
    NameOf,
    OfferRefusal,
    Whole,
    address_form_problem,
    check_host_address,
    check_ip,
    check_ssh_key,
    docker_cpus,
    ipv4_inside,
    is_this_machine,
    path_folders,
    public_name_problem,
    resolver_zone_refusal,
    short_repr,
)
from pic.yamlsrc import (
    Document,
    format_loc,
    is_secret_field,
    not_a_directory,
    path_problem,
    read_regular_file,
    read_yaml,
    secret_name,
    shown_loc,
)

# ---- host:port, as URLs write it (RFC 3986 §3.2.2 and §3.2.3) ----
# Every setting that names a host and a port in one value goes through split_host_port: the port a
# number from 1 to 65535, the host a name, an IPv4 address or an IPv6 address in brackets.
_PORT_RE = r"[1-9][0-9]{0,4}"
MAX_PORT = 65535
SSH_DEFAULT_PORT = 22


def empty_list() -> list[Any]:
    """A model field's default, a new list: a factory of Python, whose signature pydantic reads from its code when
    the model is built by ``model_construct`` (the builtin ``list``'s from its text, through ``tokenize``: its
    pattern's compilation and the parsing, 13 M instructions of every ``pic check``)."""
    return []


def empty_dict() -> dict[Any, Any]:
    """A model field's default, a new dict: as :func:`empty_list`."""
    return {}


def check_port(text: str) -> int:
    """A TCP port written in decimal, 1 to 65535, without leading zeros."""
    if re.fullmatch(_PORT_RE, text) is None or int(text) > MAX_PORT:
        raise ValueError(f"port {show_value(text)} is not a port: a number from 1 to {MAX_PORT}")
    return int(text)


def _alone(value: str) -> None:
    """A host and a port written alone: not a URL, no user or password."""
    if "://" in value:
        raise ValueError("is a URL: here a host and a port are written alone, host:port (e.g. relay.example.org:25)")
    if "@" in value:
        raise ValueError("holds '@': a host and a port are written alone here (a user or a password does not go here)")


def split_host_port(value: str, *, port_required: bool = True) -> tuple[str, int | None]:
    """``host:port`` (or ``host`` alone when the port is optional): the host, without brackets, and the port.

    The host is a DNS name (a public suffix too: :func:`check_host_address`), ``localhost``, an IPv4 address, or an
    IPv6 address in brackets (``[2001:db8::1]:25``), an address given back in its canonical form (:func:`check_ip`);
    raises ValueError saying what is wrong, an :class:`OfferRefusal` when it offers a value: ``host:port`` whole, as
    it is then taken (``Localhost:25``: ``localhost:25``, not the host alone), or, the value offered refused for
    another reason (its port), both faults told and nothing offered.
    """
    folded = unicodedata.normalize("NFKC", value)
    if folded != value and folded.isascii():
        _host_port_in_full_width(folded, port_required=port_required)
    try:
        return _split_host_port(value, port_required=port_required)
    except _HostRefusal as refusal:
        refused = refusal
    whole = (f"[{refused.offered}]" if ":" in refused.offered else refused.offered) + refused.rest
    try:
        _split_host_port(whole, port_required=port_required)
    except ValueError as again:
        raise ValueError(f"{refused.without}, and {again}") from None
    raise OfferRefusal(f"{refused.without}: write {short_repr(whole, 300)}", whole, refused.without)


# host:port written with a Japanese or Chinese keyboard's letters, digits or signs (ｓｍｔｐ.example.org:５８７, a
# full-width colon ：), which NFKC makes ASCII: told of the whole value, as the host alone is
_FULL_WIDTH_HOST_PORT_WORDS = "has letters, digits or signs that only look like ASCII (full-width forms)"


def _host_port_in_full_width(folded: str, *, port_required: bool) -> NoReturn:
    """:func:`split_host_port` of a value written in full-width forms whose ASCII form is ``folded``: refused with
    ``host:port`` whole to write, its port kept, when the ASCII form is taken or offers a value taken in turn
    (:class:`OfferRefusal`), else a ValueError saying what is wrong in ASCII."""
    _offer_in_ascii(folded, lambda ascii: join_host_port(*split_host_port(ascii, port_required=port_required)))


def _offer_in_ascii(folded: str, read: Callable[[str], str]) -> NoReturn:
    """The refusal of a value written in full-width forms whose ASCII form (NFKC) is ``folded``: an
    :class:`OfferRefusal` of what ``read`` takes of ``folded`` (the form the field writes), of what ``read`` offers
    for it in turn, or a ValueError saying in ASCII what ``read`` refuses of it."""
    what = _FULL_WIDTH_HOST_PORT_WORDS
    try:
        taken = read(folded)
    except OfferRefusal as refused:
        said = f"{what}, and in ASCII {short_repr(folded, 300)} {refused.without}"
        raise OfferRefusal(f"{said}: write {short_repr(refused.offered, 300)}", refused.offered, said) from None
    except ValueError as refused:
        raise ValueError(f"{what}, and in ASCII {short_repr(folded, 300)} {refused}") from None
    raise OfferRefusal(f"{what}: write {short_repr(taken, 300)}", taken, what)


class _HostRefusal(OfferRefusal):
    """The host of ``host:port`` refused with a host offered, and what follows it in the value (``rest``: the port
    and its colon), for :func:`split_host_port` to offer the value whole."""

    def __init__(self, refusal: OfferRefusal, rest: str, shown: str = "") -> None:
        super().__init__(str(refusal), refusal.offered, f"{shown}{refusal.without}")
        self.rest = rest


def _split_host_port(value: str, *, port_required: bool) -> tuple[str, int | None]:
    """:func:`split_host_port`, an :class:`OfferRefusal` of the host alone carrying the text after it (``rest``)."""
    _alone(value)
    if value.startswith("["):
        host, rest = _bracketed_host(value)
    else:
        if value.count(":") > 1:
            _unbracketed(value, port_required=port_required)
        host, colon, port = value.partition(":")
        rest = colon + port
        if not host:
            raise ValueError("has no host: write host:port, e.g. localhost:25 or [2001:db8::1]:25")
        try:
            # a service's host, reached: no one's site
            host = check_host_address(host, public_suffix=True, refuses=_refused_service)
        except OfferRefusal as refusal:
            raise _HostRefusal(refusal, rest, f"host {show_value(host)} ") from None
        except ValueError as exc:
            raise ValueError(f"host {show_value(host)} {exc}") from None
    try:
        _a_server_there(host)
    except ValueError as exc:
        raise ValueError(f"host {show_value(host)} {exc}") from None
    if not rest:
        if port_required:
            raise ValueError("has no port: write host:port (an IPv6 address in brackets: [2001:db8::1]:port)")
        return host, None
    if not rest.startswith(":"):
        raise ValueError(f"has {show_value(rest)} after the host: write host:port")
    return host, check_port(rest[1:])


def _unbracketed(value: str, *, port_required: bool) -> NoReturn:
    """Refuse ``value``, of more than one ':' and no brackets: an IPv6 address then a port told so, and what its
    address in brackets is refused for too (``fe80::1%eth0:25``: its zone id; ``::ffff:10.0.0.1:25``: an IPv4 host,
    10.0.0.1:25 offered)."""
    address, _, port = value.rpartition(":")
    whole = _an_address_alone(value, port_required=port_required)
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        if whole is not None:  # 2001:db8::5 and no port
            raise whole from None
        raise ValueError("has more than one ':': write host:port (an IPv6 address in brackets)") from None
    told = f"holds an IPv6 address without brackets, and in them {show_value(address)} "
    try:
        _split_host_port(f"[{address}]:{port}", port_required=port_required)
    except _HostRefusal as refusal:
        raise _HostRefusal(refusal, refusal.rest, told) from None
    except ValueError as exc:
        if whole is not None and "port" in str(exc):  # 2001:db8::5:ab: its last group no port
            raise whole from None
        raise ValueError(f"{told}{exc}") from None
    with_port = f"[{ipaddress.IPv6Address(address)}]:{port}"
    if whole is None:
        what = "holds an IPv6 address without brackets"
        raise OfferRefusal(f"{what}: write {with_port!r}", with_port, what)
    alone = ipaddress.IPv6Address(value)
    written = f"[{alone}]:PORT with the port meant" if port_required else f"[{alone}] for the address alone"
    raise ValueError(
        f"is an IPv6 address without brackets read two ways: {alone} alone, with no port, or the address "
        f"{ipaddress.IPv6Address(address)} and port {port}: write the address in brackets, {with_port}, or {written}"
    )


def _an_address_alone(value: str, *, port_required: bool) -> ValueError | None:
    """The refusal of ``value`` read as an IPv6 address alone without brackets (``2001:db8::5:ab``) when the field
    takes that address in brackets (``[2001:db8::5:ab]:PORT``, or alone where the port is optional), else None."""
    if "%" in value:
        return None
    try:
        alone = ipaddress.IPv6Address(value)
        _split_host_port(f"[{alone}]:25", port_required=port_required)
    except ValueError:
        return None
    what = "is an IPv6 address without brackets, alone with no port"
    if port_required:
        return ValueError(f"{what}: write it in brackets, [{alone}]:PORT with the port meant")
    return OfferRefusal(f"{what}: write '[{alone}]'", f"[{alone}]", what)


def _refused_service(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why a service's host (pic:smtp.host, the host of a host:port setting) refuses ``ip``: no server is there
    (:func:`pic.networks.no_server_there`)."""
    what = no_server_there(ip)
    if what is not None and ip.is_link_local:  # a server on the link is reached there, with a zone id
        return f"is {what}; give the server's name or an address reached without a zone id"
    return None if what is None else f"is {what}: no server answers there; give the server's name or address"


def _a_server_there(host: str) -> str:
    """``host``, a service's host, unless it is an address no server holds (:func:`_refused_service`)."""
    if is_ip(host) and (why := _refused_service(ipaddress.ip_address(host))) is not None:
        raise ValueError(why)
    return host


def _service_host(value: str) -> str:
    """A service's host alone (pic:smtp.host): :func:`check_host_address`, an address where a server is."""
    return _a_server_there(check_host_address(value, refuses=_refused_service))


def _bracketed_host(value: str) -> tuple[str, str]:
    """The IPv6 address in brackets that starts ``value`` (canonical), and the text after the ']'."""
    end = value.find("]")
    if end < 0:
        raise ValueError("opens a bracket it does not close: an IPv6 address is written [2001:db8::1]:port")
    host, rest = value[1:end], value[end + 1 :]
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        _not_ipv6_in_brackets(host, rest)
    try:
        return check_ip(host, refuses=_refused_service), rest
    except OfferRefusal as refusal:
        raise _HostRefusal(refusal, rest) from None


def _not_ipv6_in_brackets(host: str, rest: str) -> NoReturn:
    """Refuse ``[host]`` that holds no IPv6 address: an IPv4 address or a name there is offered without the
    brackets, which only an IPv6 address is written in (RFC 3986 §3.2.2)."""
    what = f"has [{host}] where an IPv6 address in brackets belongs"
    try:
        taken = check_host_address(host, public_suffix=True)
    except ValueError:
        problem = address_form_problem(host)  # [::g]: what is wrong with the address told
        raise ValueError(what if problem is None else f"{what}, and {host!r} {problem}") from None
    inside = "an IPv4 address" if is_ip(taken) else "a name"
    refusal = OfferRefusal(what, taken, f"has {inside} in brackets, where only an IPv6 address is written")
    raise _HostRefusal(refusal, rest) from None


def _offered_within(refusal: OfferRefusal, before: str, after: str) -> OfferRefusal:
    """``refusal`` of the ``host:port`` of a larger value, offering that value whole (``before`` and ``after`` it)."""
    whole = f"{before}{refusal.offered}{after}"
    return OfferRefusal(f"{refusal.without}: write {short_repr(whole, 300)}", whole, refusal.without)


def join_host_port(host: str, port: int | None) -> str:
    """``host:port`` (``host`` alone without a port), an IPv6 address in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


def _host_port(value: str) -> str:
    """``host:port``, an address in its canonical form: one address written two ways is one setting."""
    return join_host_port(*split_host_port(value))


def _socks_url(value: str) -> str:
    """What the mysql provider's ``proxy`` takes and dials: ``socks5://host:port`` or ``socks5h://host:port``.

    The provider (terraform-provider-mysql) checks ``^socks5h?://.*:\\d+$`` and dials through
    golang.org/x/net/proxy; user and password would sit in the stack file in clear, so none here.
    """
    scheme, sep, authority = value.partition("://")
    if not sep or scheme not in ("socks5", "socks5h"):
        said = "is not a SOCKS URL: socks5://host:port or socks5h://host:port, e.g. socks5://127.0.0.1:1080"
        raise Refusal(said, own=(said,))  # told whole where the value is hidden, the example no piece of it
    if "@" in authority or "/" in authority:
        said = "holds more than host:port after the scheme (no user, password or path), e.g. socks5://127.0.0.1:1080"
        raise Refusal(said, own=(said,))
    try:
        return f"{scheme}://{join_host_port(*split_host_port(authority))}"
    except OfferRefusal as refusal:
        raise _offered_within(refusal, f"{scheme}://", "") from None


def _url_authority(value: str) -> str:
    """An http(s) URL's ``host[:port]`` (the text between ``://`` and the next ``/``), its address in canonical
    form: ``http://[2001:DB8:0::1]/php/`` is ``http://[2001:db8::1]/php/``, one apt source however it is written.

    Raises ValueError for a bracket after the host: brackets enclose an IPv6 address only (RFC 3986 §3.2.2, a
    path writes them %5B and %5D), and curl, which fetches the key at the image's build, reads ``[1-3]`` in a URL
    as three URLs and refuses ``[x]`` ("bad range"), every build."""
    scheme, _, rest = value.partition("://")
    authority, slash, path = rest.partition("/")
    if "[" in path or "]" in path:
        raise ValueError(
            "holds '[' or ']' after the host, where a URL has none (brackets enclose an IPv6 address alone, "
            "https://[2001:db8::1]/php/), and curl would read them as a range of URLs: write the path without them"
        )
    try:
        return f"{scheme}://{join_host_port(*split_host_port(authority, port_required=False))}{slash}{path}"
    except OfferRefusal as refusal:
        raise _offered_within(refusal, f"{scheme}://", f"{slash}{path}") from None


def _no_credentials(value: str) -> str:
    """A URL without a user and a password (they would sit in the stack file in clear)."""
    if url_credentials(value) is not None:
        raise ValueError("holds a user and a password before the host: they would sit in the stack file in clear")
    if "@" in value.partition("://")[2].partition("/")[0]:
        raise ValueError("holds a user before the host (user@): the apt sources are read without one")
    return value


# An http(s) URL whose address has a zone id: [fe80::1%25eth0] (RFC 6874's '%25'), [fe80::1%eth0], 10.0.0.1%25eth0
_URL_ZONE = LazyPattern(
    r"(?P<before>https?://)(?:\[(?P<a6>[0-9A-Fa-f:.]+)%(?:25)?(?P<zone6>[^\]/]*)\]|(?P<a4>[0-9.]+)%(?:25)?"
    r"(?P<zone4>[^/:]*))(?P<after>.*)",
    re.DOTALL,
)


def _no_zone_id(value: str) -> str:
    """A URL whose address holds no zone id (``http://[fe80::1%25eth0]/debian/``, RFC 6874): the image's build
    fetches it with apt and curl in a container, whose interfaces are not this machine's. Told with the value
    shown (a '%' there is a zone's, not a password's), the URL without it offered when its address is reached
    without one."""
    m = _URL_ZONE.fullmatch(value) if "%" in value else None  # the usual URL: its pattern not even compiled
    if m is None:
        return value
    try:
        address = ipaddress.ip_address(m["a6"] or m["a4"])
    except ValueError:
        return value  # no address: the URL's other checks tell what it is
    # a zone id as Linux names interfaces (eth0, enp3s0) is shown; another (Lilas2024, lilas2024) reads as a
    # password pasted there, as pic.secrettext reads it in the other settings: hidden
    zone = m["zone6"] if m["a6"] else m["zone4"]
    shown = show_value(value) if interface_name(zone) else HIDDEN_VALUE
    what = f"{shown} holds {ZONE_ID_WORDS}"
    if address.version == 4:
        what += ", and an IPv4 address takes none"
    if address.is_link_local:
        raise SubfieldError(
            (),
            f"{what}; {str(address)!r} without it is a link-local address, reached through one interface only: "
            "give the mirror's name or an address reachable without a zone id",
            names_value=True,
        )
    # an IPv4-mapped address without its zone id is refused in turn: its IPv4 address is what the URL then takes
    inside = ipv4_inside(address) if isinstance(address, ipaddress.IPv6Address) else None
    whole = f"{m['before']}{join_host_port(str(inside or address), None)}{m['after']}"
    try:
        _url_authority(whole)
    except ValueError as again:
        raise SubfieldError((), f"{what}, and {short_repr(whole, 300)} {again}", names_value=True) from None
    raise SubfieldError((), f"{what}: write {short_repr(whole, 300)}", names_value=True)


def _one_word(what: str, meant: str) -> AfterValidator:
    """The check that a value naming a host (``what``: a host, an address, a URL, an image's reference) holds no
    blank inside it, which none of them does: what follows the blank is no part of it and is not shown (a password
    pasted beside a host, ``smtp.example.org Velo2024.Paris.org``, shaped as a name as it may be), the first word
    shown unless it may be a secret itself (:func:`pic.errors.refused_may_be_secret`); ``meant`` the thing to give
    alone. A value holding an '@' is left to the checks of a user and a password, which hide them."""

    def check(value: str) -> str:
        words = value.split()
        if len(words) < 2 or "@" in value:
            return value
        first = words[0]
        if refused_may_be_secret(first) or password_beside([first]) or reads_as_secret(value):
            shown = "the value (not shown: it may be a secret) holds a blank"
        else:
            shown = f"{show_value(first)} then a blank, what follows it not shown (it may be a secret)"
        raise SubfieldError(
            (), f"{shown}: {what} is one word, which a blank ends; give {meant} meant alone", names_value=True
        )

    return AfterValidator(check)


def _http_url(end: str, words: str) -> tuple[object, ...]:
    """The checks of an apt source's URL, ending with ``end``: at most 255 characters, no user or
    password, no zone id, the characters of ``words``, a host:port that :func:`split_host_port` reads."""
    return (
        Field(max_length=255),
        _one_word("a URL", "the URL"),
        AfterValidator(_no_credentials),
        AfterValidator(_no_zone_id),
        AfterValidator(_url_host_in_full_width),
        Whole(rf"https?://[A-Za-z0-9.:/_~+\[\]-]+{end}", words),
        AfterValidator(_url_authority),
    )


def _url_host_in_full_width(value: str) -> str:
    """An http(s) URL whose ``host[:port]`` alone is written in full-width forms (``http://ｍｉｒｒｏｒ.org：８０/x/``),
    refused as :func:`split_host_port` refuses it, the URL whole offered with its host and port in ASCII (NFKC);
    another value is left to the URL's pattern."""
    scheme, sep, rest = value.partition("://")
    authority, slash, path = rest.partition("/")
    if not sep or scheme not in ("http", "https") or authority.isascii() or not path.isascii():
        return value
    if not unicodedata.normalize("NFKC", authority).isascii():
        return value
    try:
        split_host_port(authority, port_required=False)
    except OfferRefusal as refusal:
        raise _offered_within(refusal, f"{scheme}://", f"{slash}{path}") from None
    return value  # never: a full-width form is refused


def _image_in_full_width(value: str) -> str:
    """An image reference written in full-width forms whose ASCII form (NFKC) is one
    (``ＬＯＣＡＬＨＯＳＴ:25/mariadb:11.4``, ``registry.example.org:５０００/php:8.4``):
    refused with the reference whole to write as the field then takes it, its registry's host and port as
    :func:`split_host_port` offers them (``localhost:25/mariadb:11.4``), or what is wrong with it in ASCII (a port
    0); another value is left to the reference's pattern."""
    folded = unicodedata.normalize("NFKC", value)
    if value.isascii() or not folded.isascii() or re.fullmatch(IMAGE_RE, folded) is None:
        return value
    _offer_in_ascii(folded, _image_registry)


def _image_registry(value: str) -> str:
    """The registry ``host[:port]`` that leads an image reference, when it has one (Docker's rule:
    a first path component with a dot or a colon, or ``localhost``), its address in canonical form."""
    first, slash, rest = value.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        try:
            return f"{join_host_port(*split_host_port(first, port_required=False))}/{rest}"
        except OfferRefusal as refusal:
            raise _offered_within(refusal, "", f"/{rest}") from None
    return value


def _registry_in_brackets(value: str) -> str:
    """A reference whose registry is in brackets holding no IPv6 address (``[::g]:25/mariadb:11.4``) or is an IPv6
    address without them (``fe80::1%eth0:25/mariadb:11.4``), which Docker's grammar, and the reference's pattern,
    refuse whole: what is wrong with the address told, as pic:smtp.host_relay tells it (:func:`_image_registry`);
    another value is left to the pattern."""
    first, slash, _ = value.partition("/")
    if not slash or not (first.startswith("[") or first.count(":") > 1) or re.fullmatch(IMAGE_RE, value) is not None:
        return value
    return _image_registry(value)


HostPort = Annotated[str, _one_word("a host and its port", "host:port"), AfterValidator(_host_port)]


NAMESPACE = "pic"
# A PHP branch, written as php.net does: no leading zeros ("8.4", never "08.04").
RUNTIME_KEY_RE = r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
HOST_NAME_RE = r"[a-z][a-z0-9-]{0,30}"
# "php:8.3-apache" or "php:8.3-apache@sha256:<64 hex>", optionally with a registry and path: Docker's
# reference grammar (github.com/distribution/reference, regexp.go), the digest sha256 only.
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_REGISTRY = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?"
IMAGE_RE = (
    rf"(?:{_REGISTRY}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?"
)
RuntimeKey = Annotated[
    str, Whole(RUNTIME_KEY_RE, 'a PHP branch such as "8.4" (quoted, no leading zeros)', decimal=True)
]
_HOST_NAME_WORDS = "a host name: a lowercase letter, then lowercase letters, digits or -, 31 at most"
HostName = Annotated[str, Whole(HOST_NAME_RE, _HOST_NAME_WORDS)]
# A setting that names a host of pic:hosts (a web host, or any): a hint names one of them only (load_settings
# gives them in the validation context).
WebHostRef = Annotated[
    str, NameOf(HOST_NAME_RE, _HOST_NAME_WORDS, among="web_hosts", what="the web hosts of pic:hosts")
]
HostRef = Annotated[str, NameOf(HOST_NAME_RE, _HOST_NAME_WORDS, among="hosts", what="the hosts of pic:hosts")]
Image = Annotated[
    str,
    _one_word("an image's reference", "the reference"),
    AfterValidator(_image_in_full_width),
    AfterValidator(_registry_in_brackets),
    Whole(IMAGE_RE, "an image reference such as php:8.4-apache@sha256:<64 hex digits>"),
    Field(max_length=255),
    AfterValidator(_image_registry),
]
# Docker refuses a CPU limit under 0.01 ("Range of CPUs is from 0.01 to ..."): NanoCPUs of 10^7.
MIN_CPUS = 0.01


def _cpus_as_float(value: object) -> object:
    """``cpus: 2`` is 2.0 (the models are strict: a float field takes no int otherwise)."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _kept_by_docker(value: float) -> float:
    docker_cpus(value)  # raises ValueError unless Docker and its provider keep the value as written
    return value


# A container's CPU limit (pic:limits.cpus, a member's limits.cpus): from 0.01 to 64 CPUs.
Cpus = Annotated[float, Field(ge=MIN_CPUS, le=64), BeforeValidator(_cpus_as_float), AfterValidator(_kept_by_docker)]
# Directories a member space may never be (or be under): the set-up script creates and re-modes members_root.
SYSTEM_TREES = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/tmp",  # noqa: S108 (a path refused, not a file used)
    "/usr",
    "/var/lib",
    "/var/log",
    "/var/spool",
    "/var/cache",
    "/var/mail",
    "/var/backups",
    "/var/tmp",  # noqa: S108
    "/var/run",
    "/var/lock",
)
SYSTEM_DIRS = ("/", "/home", "/srv", "/var", "/opt", "/mnt", "/media", "/var/www", "/var/opt", "/var/local")
# The platform's own tree on a web host (Caddy's data and the ACME webroot, pic.render.web): a member
# space there would be the proxy's storage (/srv/pic/caddy/data) or its webroot (/srv/pic/acme).
PLATFORM_DIR = "/srv/pic"
# The platform's docker network on every web host (pic.render.web builds on it): the containers' routes
# go into it, so no host of the stack may have an address there.
PLATFORM_SUBNET = "172.30.0.0/16"
# The port of the sites' database endpoint, on the network's gateway (pic.render.db).
SITE_DB_ENDPOINT_PORT = 3306
# What listens on every web host besides sshd, which listens on all of its addresses: sshd on one of these
# ports and the other daemon would fight for it, and the one that loses does not start.
WEB_HOST_PORTS = {
    25: "Postfix's (the relay of the sites' mail, on every address)",
    80: "the front proxy's (80 and 443 serve the sites)",
    443: "the front proxy's (80 and 443 serve the sites)",
    SITE_DB_ENDPOINT_PORT: "the sites' database endpoint's (pic-db-endpoint, on the containers' network)",
}
# The local resolver of the mail host (unbound, 127.0.0.1) and NSD of the DNS server (backend zonefile).
DNS_PORT = 53
# Settings that must be secrets; they may be absent from the file (set later).
SECRET_KEYS = (
    "dbAdminPassword",
    "sshPrivateKey",
    # the off-site backup (pic:backup.offsite): the repository's password, the sftp key or the S3 keys
    "backupRepositoryPassword",
    "backupSshKey",
    "backupS3AccessKeyId",
    "backupS3SecretAccessKey",
)
# Secrets that only some commands need (pic notify: the SMTP password); never required by pic check.
OPTIONAL_SECRET_KEYS = ("smtpPassword",)


class _Strict(BaseModel):
    # defer_build: a model nested in another is validated by its parent's validator; its own is
    # built when first used alone, not at import (pic check starts sooner).
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


def _offered_once(items: object, check: Callable[[str], str], once: str) -> object:
    """``items``, a list of addresses before each is read by ``check``, unless an item refused with an address to
    write (an :class:`OfferRefusal`: ``::ffff:203.0.113.5``, ``[203.0.113.5]``) would then be another item's
    (``203.0.113.5`` is there already), which the list refuses (``once``: why each is given once): that item is
    told so, with nothing offered. Raises :class:`SubfieldError` at the item."""
    if not isinstance(items, list):
        return items
    held: list[tuple[ipaddress.IPv4Address | ipaddress.IPv6Address | None, OfferRefusal | None]] = []
    for item in items:
        try:
            held.append((ipaddress.ip_address(check(item)), None) if isinstance(item, str) else (None, None))
        except OfferRefusal as refusal:
            held.append((ipaddress.ip_address(refusal.offered) if is_ip(refusal.offered) else None, refusal))
        except ValueError:
            held.append((None, None))
    for i, (address, refused) in enumerate(held):
        other = next((j for j, (a, _) in enumerate(held) if j != i and a is not None and a == address), None)
        if refused is not None and other is not None:
            raise SubfieldError((i,), f"{refused.without}, and {refused.offered!r} is also [{other}]: {once}")
    return items


# A host's addresses, each held to its field's own rules where a message offers an address to write instead
# (private_address: "::ffff:8.8.8.8" is not told to write 8.8.8.8, which is no private network's): check_ip's refuses
_HostsAddress = Annotated[
    str,
    _one_word("a host", "the host"),
    AfterValidator(lambda value: check_host_address(value, refuses=_refused_host_address)),
]
_PrivateAddress = Annotated[
    str,
    _one_word("an address", "the address"),
    AfterValidator(lambda value: check_ip(value, refuses=_refused_private_address)),
]
_PublicAddress = Annotated[
    str,
    _one_word("an address", "the address"),
    AfterValidator(lambda value: check_ip(value, refuses=_refused_public_address)),
]


class HostSpec(_Strict):
    role: Literal["web", "db"]
    address: _HostsAddress = Field(description="Public name or address, reached over ssh by the providers.")
    private_address: _PrivateAddress = Field(
        description="Address on the private network between hosts, where MariaDB listens on the db host and the web "
        "hosts reach it: one of RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), RFC 6598's shared space "
        "(100.64.0.0/10: a WireGuard or Tailscale mesh) or RFC 4193 (fc00::/7); loopback with connection: local only."
    )
    public_addresses: list[_PublicAddress] = Field(
        default_factory=empty_list,
        max_length=10,
        description="The addresses the Internet reaches the host at, published as the A/AAAA records of the "
        "platform's names inside the zones NSD serves (pic:dns.zones); default: address, when it is an IP address.",
    )
    ssh_user: Annotated[
        str,
        Whole(
            r"[a-z_][a-z0-9_-]{0,31}",
            "a unix user name (lowercase letters, digits, _ and -, starting with a letter or _, 32 at most)",
        ),
    ] = "deploy"
    ssh_port: int = Field(default=22, ge=1, le=65535)
    connection: Literal["ssh", "local"] = Field(
        default="ssh", description="ssh: a remote host; local: the admin's own machine (dev stack)."
    )
    cpus: int | None = Field(
        default=None,
        ge=1,
        le=4096,
        description="A web host's number of CPUs (nproc): no site's container may be given more (limits.cpus), "
        "since Docker refuses to create it; the host's setup stops if the host has fewer.",
    )

    @model_validator(mode="before")
    @classmethod
    def _this_machine_in_capitals(cls, data: object) -> object:
        """A host reached over ssh at this machine's name or address in capitals or with the root's dot (LOCALHOST,
        localhost., 127.0.0.1.): read in lowercase without it, so that it is told as localhost is
        (:func:`_check_host_addresses`, the value shown as written), not to be written otherwise, which is refused
        there too; the host's other fields are told as they are."""
        if isinstance(data, dict) and data.get("connection", "ssh") == "ssh":
            address = data.get("address")
            if isinstance(address, str):
                taken = address.lower().removesuffix(".")
                if address != taken and is_this_machine(taken):
                    return {**data, "address": taken}  # refused as this machine once the host is read
        return data

    @field_validator("cpus")
    @classmethod
    def _web_hosts_only(cls, cpus: int | None, info: ValidationInfo) -> int | None:
        if cpus is not None and info.data.get("role") == "db":
            raise ValueError(
                "is read for web hosts only (no site's container may be given more CPUs than that); "
                "a db host runs no container: remove it"
            )
        return cpus

    _public_once = field_validator("public_addresses", mode="before")(
        classmethod(
            lambda cls, items: _offered_once(
                items, lambda v: check_ip(v, refuses=_refused_public_address), "give each address once"
            )
        )
    )

    @field_validator("public_addresses")
    @classmethod
    def _reachable_addresses(cls, addresses: list[str]) -> list[str]:
        """Each once, and one the Internet can reach (published in the zones as the host's address)."""
        seen: dict[ipaddress.IPv4Address | ipaddress.IPv6Address, int] = {}
        for i, text in enumerate(addresses):
            address = ipaddress.ip_address(text)
            if address in seen:
                raise SubfieldError((i,), f"is also [{seen[address]}]: give each address once")
            seen[address] = i
            why = _refused_public_address(address)
            if why is not None:
                raise SubfieldError((i,), why)
        return addresses

    @property
    def published_addresses(self) -> list[str]:
        """The host's addresses as the zones NSD serves publish them: ``public_addresses``, else ``address`` when
        it is an IP address; none when neither says (a host known by a name only)."""
        if self.public_addresses:
            return list(self.public_addresses)
        return [self.address] if is_ip(self.address) else []

    @property
    def sends_mail_from(self) -> list[str]:
        """What an SPF record names to let the host's mail through: its name (``a:<name>``), or for a host known by
        address its ``published_addresses`` (behind a NAT, the Internet sees its mail come from those)."""
        return self.published_addresses if is_ip(self.address) else [self.address]

    @field_validator("address", "private_address")
    @classmethod
    def _outside_the_sites_network(cls, value: str) -> str:
        if is_ip(value) and ipaddress.ip_address(value) in ipaddress.ip_network(PLATFORM_SUBNET):
            raise ValueError(
                f"is in {PLATFORM_SUBNET}, the network of the sites' containers on every web host, "
                "where it would be routed: give the host an address outside it"
            )
        return value

    @field_validator("ssh_port")
    @classmethod
    def _port_of_its_own(cls, port: int, info: ValidationInfo) -> int:
        if info.data.get("role") == "web" and port in WEB_HOST_PORTS:
            raise ValueError(f"is {WEB_HOST_PORTS[port]} on a web host: choose another")
        return port

    @property
    def url_host(self) -> str:
        """``address`` as the host part of a URL or of rsync's ``user@host:path``: an IPv6 address in brackets.

        RFC 3986 §3.2.2; rsync and ssh:// URLs split at the first ':' otherwise.
        """
        return f"[{self.address}]" if ":" in self.address else self.address


# Debian releases the images are built on (debootstrap names); the runtime image source.
# The Debian releases the platform builds its images on (scripts/build-base-image: debootstrap, then
# docker import), with the PHP each packages itself.
DEBIAN_PHP = {"bullseye": "7.4", "bookworm": "8.2", "trixie": "8.4"}
# Debian packages Caddy (the front proxy's image) from bookworm on.
DEBIAN_WITH_CADDY = ("bookworm", "trixie")


class ReleaseRefusal(ValueError):
    """A Debian release refused, and the one it may name (``meant``), which the runtime it is given to may refuse in
    turn (``Settings._release_meant``: trixie carries no PHP 7.4)."""

    def __init__(self, message: str, meant: str | None) -> None:
        super().__init__(message)
        self.meant = meant


RELEASE_WORDS = f"is not a Debian release the platform builds its images on ({', '.join(DEBIAN_PHP)})"


def release_meant(value: str) -> str | None:
    """The release ``value`` is in another case or a slip of (Trixie, trixy), or names after ``Debian`` and its
    number (``Debian Trixie``, ``debian-bookworm``, ``Debian 13 (trixie)``); never another release (forky)."""
    meant = meant_among(value, DEBIAN_PHP)
    if meant is None and len(value) <= 100:
        words = re.findall(r"[^\W\d_]+", value.lower())
        named = [w for w in words if w != "debian"]
        if words and words[0] == "debian" and len(named) == 1 and named[0] in DEBIAN_PHP:
            meant = named[0]
    return meant


def _debian_release(value: str) -> str:
    if value not in DEBIAN_PHP:
        meant = release_meant(value)
        hint = f"; did you mean {meant!r}?" if meant is not None else ""
        raise ReleaseRefusal(f"{RELEASE_WORDS}{hint}", meant)
    return value


def _caddy_release(value: str) -> str:
    if value not in DEBIAN_WITH_CADDY:
        raise ValueError(
            f"has no caddy package: Debian packages Caddy from bookworm on ({', '.join(DEBIAN_WITH_CADDY)})"
        )
    return value


DebianRelease = Annotated[str, AfterValidator(_debian_release)]
Time = Annotated[str, Whole(r"([01][0-9]|2[0-3]):[0-5][0-9]", "a time HH:MM, 00:00 to 23:59")]
# The PHP branch each Debian release carries in its own archive (packages php7.4, php8.2, php8.4:
# packages.debian.org); a runtime on another branch needs an apt_source.
DEBIAN_RELEASE_OF = {php: release for release, php in DEBIAN_PHP.items()}
# The ID of a locally built image ("sha256:<64 hex>", what `docker image inspect` prints).
IMAGE_ID_RE = r"sha256:[0-9a-f]{64}"
IMAGE_ID_WORDS = "an image ID, sha256: and 64 hexadecimal digits in lower case, as scripts/build-base-image prints it"


class AptSourceSpec(_Strict):
    """An apt repository added to a runtime's Debian release, for PHP versions Debian lacks.

    The usual one is Ondřej Surý's (https://packages.sury.org/php/, key
    https://packages.sury.org/php/apt.gpg, fingerprint 15058500A0235D97F5D10063B188E2B695BD4743).
    """

    url: Annotated[str, *_http_url("/", "an http:// or https:// URL ending with /")]
    key_url: Annotated[str, *_http_url("", "an http:// or https:// URL")]
    fingerprint: Annotated[
        str, Whole(r"[0-9A-F]{40}", "the key's full fingerprint: 40 hexadecimal digits in upper case, no spaces")
    ] = Field(description="The signing key's full fingerprint (40 hex digits, upper case); the build checks it.")


class RuntimeSpec(_Strict):
    debian: DebianRelease = Field(
        description="The Debian release the runtime is built on; its own php<version> packages unless "
        "apt_source is given (7.4: bullseye, 8.2: bookworm, 8.4: trixie)."
    )
    apt_source: AptSourceSpec | None = Field(
        default=None, description="An extra apt repository that carries this PHP version for that release."
    )
    eol: dt.date = Field(description="End of life of this PHP branch (php.net/supported-versions).")
    stopped: bool = Field(default=False, description="True: the runtime runs no site at all.")
    without_extensions: list[ExtensionPackage] = Field(
        default_factory=empty_list,
        description="Extensions of the platform's list (pic.phpini.EXTENSIONS) this runtime is built without, "
        "when its package source lacks the package; the sites on it are told in the README.",
    )

    _each_once = field_validator("without_extensions")(classmethod(lambda cls, v: unique_items(v)))


TLS_CA_NAMES = {"letsencrypt": "Let's Encrypt", "staging": "Let's Encrypt (staging)", "internal": "the internal CA"}


class TlsSpec(_Strict):
    acme_email: AsciiEmail
    ca: Literal["letsencrypt", "staging", "internal"] = "letsencrypt"


# restic repositories (https://restic.readthedocs.io/en/stable/030_preparing_a_new_repo.html); what
# restic reads after the host: printable ASCII, no space; in a URL no '?' or '#' (a query, a fragment).
REPOSITORY_FORMS = "sftp:user@host:/path, sftp://user@host[:port]//path or s3:https://host[:port]/bucket/path"
_SFTP_USER = r"[A-Za-z0-9._][A-Za-z0-9._-]*"  # never a leading '-': ssh would read user@host as an option
_SFTP_USER_WORDS = "a user is ASCII letters, digits, '.', '_' and '-', never first a '-'"
_SFTP_SHORT_RE = LazyPattern(rf"sftp:(?P<user>{_SFTP_USER})@(?P<host>[^:/@\[\]]*):(?P<path>/[!-~]*)")
_SFTP_URL_RE = LazyPattern(rf"sftp://(?P<user>{_SFTP_USER})@(?P<authority>[^/@]*)/(?P<path>[!-~]*)")
_S3_RE = LazyPattern(r"s3:https?://(?P<authority>[^/@]*)/(?P<bucket>[A-Za-z0-9._-]+)(/[!-~]*)?")


@dataclass(frozen=True)
class SftpTarget:
    """Where an sftp repository is: what ssh connects to, and the path restic reads there."""

    user: str
    host: str
    port: int
    path: str

    @property
    def known_hosts_name(self) -> str:
        """The name ssh looks the server's key up by: the host, or ``[host]:port`` on a port other than 22
        (OpenSSH, sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"); lowercase, as ssh lowers the host it is given."""
        host = self.host.lower()
        if ":" in host:  # an IPv6 address: ssh looks it up compressed ("canonicalised address" in ssh -vvv)
            host = ipaddress.IPv6Address(host).compressed
        return host if self.port == SSH_DEFAULT_PORT else f"[{host}]:{self.port}"


def _no_url_escape(path: str) -> None:
    """A URL's path holds no '%': restic reads the URL forms with Go's url.Parse, which decodes ``%XX``
    (``%41`` is the path ``A``, ``%2F`` a '/') and refuses the repository outright on any other '%'
    (``100%``: "invalid URL escape"), every night."""
    if "%" in path:
        raise ValueError(
            "holds '%', which restic reads in a URL as an escape (%41 is 'A', and a '%' not followed by two "
            "hexadecimal digits makes restic refuse the repository): write the path without '%'"
        )


def _printable_ascii(repository: str) -> None:
    """Raise ValueError naming the first character of ``repository`` outside printable ASCII or a space: the
    forms above take none (restic's sftp and s3 URLs would need them escaped, and the backup's shell
    settings carry the repository as one word)."""
    for index, char in enumerate(repository, start=1):
        if not "!" <= char <= "~":
            shown = "a space" if char == " " else f"the character {char!r} (U+{ord(char):04X})"
            raise ValueError(
                f"holds {shown} at character {index}: a repository is written in printable ASCII without spaces "
                "(a host name in its xn-- form; a directory or bucket named without spaces or accents)"
            )


# A host written with a Japanese or Chinese keyboard's letters, digits and signs (ｖａｕｌｔ.ｅｘａｍｐｌｅ.ｏｒｇ)
_FULL_WIDTH_HOST_WORDS = "has a host in letters, digits or signs that only look like ASCII (full-width forms)"


def _host_in_full_width(repository: str) -> None:
    """Raise for a repository whose host alone is written in full-width forms (``sftp:r@ｖａｕｌｔ.ｏｒｇ:/srv/r``,
    :data:`_FULL_WIDTH_HOST_WORDS`), as the address settings tell one (NFKC): an
    :class:`OfferRefusal` with the repository whose host is in ASCII when it is taken, or with what is offered for
    that when it is refused so and the offer taken (a capital, an address in hexadecimal), else a ValueError saying
    why not; nothing for another repository (its user or path in such forms: a folder may be named so, told by
    :func:`_printable_ascii`)."""
    if repository.isascii():
        return
    folded = unicodedata.normalize("NFKC", repository)
    match = (
        _SFTP_URL_RE.fullmatch(folded) or _SFTP_SHORT_RE.fullmatch(folded) or _S3_RE.fullmatch(folded)
        if folded.isascii()
        else None
    )
    if match is None:
        return
    group = "host" if "host" in match.groupdict() else "authority"
    start, end = match.span(group)
    tail = len(folded) - end
    if repository[:start] != folded[:start] or repository[len(repository) - tail :] != folded[end:]:
        return  # another part than the host is written so
    try:
        taken = check_offsite_repository(folded)
    except OfferRefusal as refused:
        said = f"{_FULL_WIDTH_HOST_WORDS}, and in ASCII {folded!r} {refused.without}"
        try:  # the value offered for the ASCII form, offered at once when taken (10.0.0.11 for ０ｘ０ａ.０.０.１１)
            check_offsite_repository(refused.offered)
        except ValueError:
            raise ValueError(said) from None
        raise OfferRefusal(f"{said}: write {refused.offered!r}", refused.offered, said) from None
    except ValueError as refused:
        raise ValueError(f"{_FULL_WIDTH_HOST_WORDS}, and in ASCII {folded!r} {refused}") from None
    raise OfferRefusal(f"{_FULL_WIDTH_HOST_WORDS}: write {taken!r}", taken, _FULL_WIDTH_HOST_WORDS)


def sftp_target(repository: str) -> SftpTarget | None:
    """The user, host, port and path of an sftp repository; None for another kind.

    The one parser of sftp repositories: the settings validate with it, the renderer builds
    ssh's command from it. Raises ValueError for an sftp repository restic would not read or
    ssh could not reach (the forms are restic's: ``sftp:user@host:/path``, host a name or an
    IPv4 address, and ``sftp://user@host[:port]//path``, IPv6 addresses in brackets).
    """
    if not repository.startswith("sftp:"):
        return None
    _printable_ascii(repository)
    user = repository.removeprefix("sftp://").removeprefix("sftp:").partition("@")[0]
    if user.startswith("-"):
        raise ValueError(f"has a user starting with '-', which ssh would read as an option: {_SFTP_USER_WORDS}")
    url = _SFTP_URL_RE.fullmatch(repository)
    if url is not None:
        host, port = _authority_in(repository, url)
        path = url["path"]
        if not path:
            raise ValueError("has no path after the host: sftp://user@host[:port]//absolute/path")
        if "?" in path or "#" in path:
            raise ValueError("holds '?' or '#', which a URL reads as a query or a fragment, not as the path")
        _no_url_escape(path)
        if posixpath.normpath(path).startswith("~"):
            # restic cleans the path (Go's path.Clean: "./~x" is "~x") before it refuses a leading '~'
            raise ValueError("has a path starting with '~', which restic refuses: write it from / (or relative)")
        return SftpTarget(url["user"], host, port or SSH_DEFAULT_PORT, path)
    if repository.startswith("sftp://"):
        raise ValueError("is not sftp://user@host[:port]//path (a user, a host, then the path after a '/')")
    short = _SFTP_SHORT_RE.fullmatch(repository)
    if short is None:
        raise ValueError(
            "is not sftp:user@host:/path (a user, '@', a host, ':' and an absolute path); "
            "for a port or an IPv6 address write sftp://user@host:port//path"
        )
    host, _ = _authority_in(repository, short, "host")
    return SftpTarget(short["user"], host, SSH_DEFAULT_PORT, short["path"])


def _no_dot_segment(repository: str, match: re.Match[str] | None) -> None:
    """Raise ValueError when the path of ``repository``, an sftp one (``match``: its form's, with a ``path``), holds
    a '.' or '..' part: restic cleans the path (Go's path.Clean) and reaches another folder than the one written
    (``/srv/../restic`` is ``/restic``), offered (an :class:`OfferRefusal`, hidden with a value that may be a
    secret) when the repository so written is taken: not a path still climbing out (``../x``)."""
    if match is None or not {".", ".."} & set(match["path"].split("/")):
        return
    cleaned = posixpath.normpath(match["path"])
    cleaned = cleaned[1:] if cleaned.startswith("//") else cleaned  # Go's path.Clean keeps one '/', normpath two
    what = f"holds '.' or '..' as a part of its path, which restic cleans (Go's path.Clean), reaching {cleaned!r}"
    meant = repository[: match.start("path")] + cleaned
    if cleaned != "." and ".." not in cleaned.split("/"):
        try:
            check_offsite_repository(meant)
        except ValueError:
            pass
        else:
            raise OfferRefusal(f"{what}: write {meant!r}", meant, what)
    raise ValueError(f"{what}: write the path without them")


def repository_host(repository: str) -> str | None:
    """The host of a restic repository the settings took (:func:`check_offsite_repository`), without brackets or
    port; None for another form."""
    target = sftp_target(repository)
    if target is not None:
        return target.host
    s3 = _S3_RE.fullmatch(repository)
    return split_host_port(s3["authority"], port_required=False)[0] if s3 is not None else None


def check_offsite_repository(repository: str) -> str:
    """A restic repository the platform can reach: sftp (:func:`sftp_target`) or an S3-compatible store."""
    _host_in_full_width(repository)
    _printable_ascii(repository)
    if url_credentials(repository) is not None:
        raise ValueError(
            "holds a password before the host (user:password@): it would sit in the stack file in clear; an S3 "
            "store's keys are the secrets pic:backupS3AccessKeyId and pic:backupS3SecretAccessKey, an sftp "
            "server takes the ssh key pic:backupSshKey"
        )
    if repository.startswith("sftp:"):
        sftp_target(repository)
        url = _SFTP_URL_RE.fullmatch(repository)
        _no_dot_segment(repository, url or _SFTP_SHORT_RE.fullmatch(repository))
        return _canonical_authority(repository, url) if url is not None else repository
    s3 = _S3_RE.fullmatch(repository)
    if s3 is not None:
        if not s3["authority"]:
            raise ValueError(_not_an_s3_repository(repository.removeprefix("s3:")))
        _authority_in(repository, s3)
        _check_bucket(s3["bucket"])
        if {".", ".."} & set(repository[s3.end("bucket") :].split("/")):
            raise ValueError(
                "holds '.' or '..' as a part of its path after the bucket: an S3 store has no folders, and restic "
                "keeps its objects under that prefix as written, '.' and '..' included, not in the folder they "
                "would name: write the path without them"
            )
        if "?" in repository or "#" in repository:
            raise ValueError("holds '?' or '#', which a URL reads as a query or a fragment")
        _no_url_escape(repository)
        return _canonical_authority(repository, s3)
    raise ValueError(_not_a_repository(repository))


_S3_FORM = "s3:https://host[:port]/bucket/path"
# restic's kinds of repository (https://restic.readthedocs.io/en/stable/030_preparing_a_new_repo.html)
_RESTIC_KINDS = ("local", "sftp", "rest", "s3", "swift", "b2", "azure", "gs", "rclone")


def _not_a_repository(repository: str) -> str:
    """What is wrong with a repository of none of the forms (REPOSITORY_FORMS), and the form to write: with the
    repository's own host, bucket and path where it has them."""
    kind, colon, rest = repository.partition(":")
    if colon and kind.lower() in ("s3", "sftp") and kind != kind.lower():
        return (
            f"starts with {kind + ':'!r}: restic knows its kinds of repository in lowercase only (it refuses "
            f"{kind}: as an invalid backend): write {kind.lower()}:{rest}"
        )
    if kind == "s3" and colon:
        return _not_an_s3_repository(rest)
    if kind == "local" or (not colon and repository.startswith(("/", "./", "../"))):
        return (
            "is a directory of this machine: the off-site copy is kept on another one, reached over sftp or as an "
            f"S3 store: {REPOSITORY_FORMS}"
        )
    if colon and kind in _RESTIC_KINDS:
        return f"is restic's {kind} repository, which the platform does not use: {REPOSITORY_FORMS}"
    return f"is not a repository the platform can use: {REPOSITORY_FORMS}"


def _not_an_s3_repository(rest: str) -> str:
    """:func:`_not_a_repository` for ``s3:REST``, read as restic reads it (its s3 backend's ParseConfig: after
    ``s3:http`` a URL, else ``host/bucket/path`` over https, ``s3://host/bucket/path`` too)."""
    scheme, sep, after = rest.partition("://")
    if not rest.strip("/"):
        return f"names no store after 's3:': {_S3_FORM}"
    if rest.startswith("//") or (not sep and not rest.lower().startswith("http")):
        written, store = ("s3://", rest[2:]) if rest.startswith("//") else ("s3:", rest)
        return (
            f"names no scheme: restic reads {written}{store} as https://{store}; write s3:https://{store} (s3:http:// "
            "for a store on a trusted network)"
        )
    if not sep:  # https:/host, https:host
        written, _, store = rest.partition(":")
        return f"has one '/' or none after {written + ':'!r}, where a URL has two: write s3:{written.lower()}://{store.lstrip('/')}"
    if scheme not in ("http", "https"):
        if scheme.lower() in ("http", "https"):
            return (
                f"has the scheme {scheme!r}, which restic reads in lowercase only: write s3:{scheme.lower()}://{after}"
            )
        return f"has the scheme {scheme!r}: restic reaches an S3 store over https (or http): {_S3_FORM}"
    return _not_an_s3_url(scheme, after)


def _not_an_s3_url(scheme: str, after: str) -> str:
    """:func:`_not_an_s3_repository` for ``s3:SCHEME://AFTER``: its host, bucket and path."""
    authority, _, path = after.partition("/")
    bucket = path.partition("/")[0]
    if not authority:
        return f"names no host after '{scheme}://': {_S3_FORM}"
    if not path.strip("/"):
        return (
            f"has no bucket after the host {authority}: restic needs one ({_S3_FORM}): write "
            f"s3:{scheme}://{authority}/BUCKET, BUCKET being the bucket's name"
        )
    if not bucket:
        return (
            f"has an empty bucket name (a second '/' right after the host): write s3:{scheme}://{authority}/"
            f"{path.lstrip('/')}"
        )
    if "?" in path or "#" in path:
        return f"holds '?' or '#', which a URL reads as a query or a fragment, not as the bucket or path: {_S3_FORM}"
    try:
        _check_bucket(bucket)
    except ValueError as refused:
        return str(refused)
    return f"is not a repository the platform can use: {REPOSITORY_FORMS}"


_BUCKET_RE = LazyPattern(r"[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]")
_IPV4_LIKE_RE = LazyPattern(r"(\d+\.){3}\d+")


def _check_bucket(bucket: str) -> None:
    """Raise ValueError for a bucket name restic's S3 client refuses before any request, so every night.

    The rule of minio-go (``s3utils.CheckValidBucketName``, which ``BucketExists`` runs when restic opens
    the repository): 3 to 63 characters, first and last a letter or a digit, no ``..``, ``.-`` nor
    ``-.``, not shaped like an IPv4 address. Amazon S3 itself also wants lowercase and no ``_``
    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html); other stores
    accept them, so they are left to the store.
    """
    if not 3 <= len(bucket) <= 63:
        raise ValueError(f"has the bucket {bucket!r} of {len(bucket)} characters: an S3 bucket name has 3 to 63")
    if _IPV4_LIKE_RE.fullmatch(bucket):
        raise ValueError(f"has the bucket {bucket!r}, shaped like an IPv4 address, which S3 clients refuse")
    if _BUCKET_RE.fullmatch(bucket) is None or any(pair in bucket for pair in ("..", ".-", "-.")):
        raise ValueError(
            f"has the bucket {bucket!r}, which S3 clients refuse: a bucket name starts and ends with a letter or "
            "a digit and holds no '..', '.-' nor '-.'"
        )


def _authority_in(repository: str, match: re.Match[str], group: str = "authority") -> tuple[str, int | None]:
    """:func:`split_host_port` of the ``host[:port]`` of ``repository`` that ``match``'s ``group`` spans, a value
    offered for it offered as the whole repository."""
    start, end = match.span(group)
    try:
        return split_host_port(repository[start:end], port_required=False)
    except OfferRefusal as refusal:
        raise _offered_within(refusal, repository[:start], repository[end:]) from None


def _canonical_authority(repository: str, match: re.Match[str]) -> str:
    """The repository with the address of its ``host[:port]`` in canonical form (one repository, however its
    address is written: the backups' resources and the plan read the same text)."""
    start, end = match.span("authority")
    return (
        repository[:start]
        + join_host_port(*split_host_port(match["authority"], port_required=False))
        + repository[end:]
    )


# A known_hosts line (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): a marker, host patterns, key type, key. The marker
# @cert-authority makes the key a CA's, trusted for the host certificates it signed; @revoked (refused below: the
# setting is the one line ssh trusts) a key ssh refuses. The host key types of OpenSSH's servers (ssh-keyscan prints
# them), then an optional comment.
KNOWN_HOSTS_RE = (
    r"(@cert-authority |@revoked )?[^@\s]\S* (ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/=]+"
    r"( [ -~]*)?"
)
KNOWN_HOSTS_WORDS = (
    "one known_hosts line: the host, a key type (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa) and the key, "
    "as ssh-keyscan prints it, or the same line of a CA's key after @cert-authority"
)
CA_MARKER = "@cert-authority"


def known_hosts_matches(patterns: str, name: str) -> bool:
    """Whether ssh finds ``name`` in a known_hosts line's host field, as OpenSSH matches it.

    A hashed field ``|1|salt|hash`` (``ssh-keygen -H``) is HMAC-SHA1 of the name keyed by the salt;
    otherwise a comma-separated list of patterns, ``*`` and ``?`` wildcards, compared without case,
    where a matching ``!pattern`` rules the line out.
    """
    if patterns.startswith("|1|"):
        salt, _, digest = patterns[3:].partition("|")
        try:
            key, expected = base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)
        except (binascii.Error, ValueError):
            return False
        return hmac.compare_digest(hmac.new(key, name.encode(), hashlib.sha1).digest(), expected)
    found = False
    for pattern in patterns.lower().split(","):
        negated = pattern.startswith("!")
        glob = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lstrip("!"))
        if re.fullmatch(glob, name.lower(), re.DOTALL):
            if negated:
                return False
            found = True
    return found


class OffsiteSpec(_Strict):
    """The encrypted off-site backup of every host (``pic:backup.offsite``), with restic.

    The repository's password is the secret ``pic:backupRepositoryPassword``; an sftp repository
    is reached with the key ``pic:backupSshKey`` and the host key given in ``known_hosts``; an
    S3-compatible one with ``pic:backupS3AccessKeyId`` and ``pic:backupS3SecretAccessKey``.
    """

    repository: Annotated[str, Field(max_length=500), AfterValidator(check_offsite_repository)] = Field(
        description=f"restic repository: {REPOSITORY_FORMS}."
    )
    known_hosts: Annotated[str, Whole(KNOWN_HOSTS_RE, KNOWN_HOSTS_WORDS)] | None = Field(
        default=None,
        validate_default=True,
        description="The sftp server's host key, a known_hosts line for the repository's host "
        "([host]:port on a port other than 22); required for sftp.",
    )
    time: Time = "04:30"
    keep_daily: int = Field(default=7, ge=1, le=366)
    keep_weekly: int = Field(default=5, ge=0, le=520)
    keep_monthly: int = Field(default=12, ge=0, le=240)
    keep_last: int = Field(default=3, ge=1, le=100, description="The last runs kept whatever their day.")
    drill_day: Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] = "Sun"
    drill_time: Time = "06:00"
    check_subset: Annotated[
        str, Whole(r"[1-9][0-9]?%|100%", "a whole percentage from 1% to 100%, no leading zero (e.g. 5%)")
    ] = Field(default="5%", description="Share of the repository's data read back by each weekly drill.")

    @field_validator("known_hosts")
    @classmethod
    def _sftp_host_key(cls, value: str | None, info: ValidationInfo) -> str | None:
        """An sftp repository's host key is pinned, for the name ssh will look up (StrictHostKeyChecking)."""
        marker = value.split(" ", 1)[0] if value is not None and value.startswith("@") else ""
        line = value.removeprefix(marker).lstrip(" ") if value is not None else None
        if marker == "@revoked":
            raise ValueError(
                "is a @revoked line: @revoked marks a key ssh refuses: it trusts none, and the backup would refuse "
                "the server every night; give the server's key line, or @cert-authority and its CA's key where the "
                "server presents a host certificate"
            )
        if line is not None:
            kind, data = line.split(" ")[1:3]
            check_ssh_key(f"{kind} {data}")  # the key itself, as ssh reads it: not only its alphabet
        repository = info.data.get("repository")  # absent: refused already
        target = sftp_target(repository) if repository is not None else None
        if target is None:
            return _known_hosts_lowercase(value)
        if line is None:
            raise ValueError(
                f"an sftp repository needs known_hosts: the server's host key line, for {target.known_hosts_name}"
            )
        patterns, rest = line.split(" ", 1)
        # for a certificate, ssh looks a CA up by the host without its port too ("checking without port identifier")
        names = [target.known_hosts_name]
        if marker == CA_MARKER and target.port != SSH_DEFAULT_PORT:
            names.append(dataclasses.replace(target, port=SSH_DEFAULT_PORT).known_hosts_name)
        if not any(known_hosts_matches(patterns, name) for name in names):
            looked_up = show_value(names[0]) + (
                f" (its host and its port), or for a certificate, as {show_value(names[1])}" if len(names) > 1 else ""
            )
            raise ValueError(
                f"is for {show_value(patterns)}, but ssh looks the repository's server up as {looked_up}"
                f"{'' if len(names) > 1 else ' (its host, and its port when not 22)'}: the backup would refuse the "
                f"server every night; write {(marker + ' ') if marker else ''}{names[0]} {rest}"
            )
        return _known_hosts_lowercase(value)


def _known_hosts_lowercase(line: str | None) -> str | None:
    """A known_hosts line with its names in lowercase (not a hashed one), after its marker if any
    (``@cert-authority``): ssh compares them without case, so ``[2001:DB8::1]:2222`` and ``[2001:db8::1]:2222``
    are one host, and the file on the hosts one text."""
    if line is None:
        return line
    marker, _, rest = line.partition(" ") if line.startswith("@") else ("", "", line)
    patterns, _, key = rest.lstrip(" ").partition(" ")
    if patterns.startswith("|"):
        return line
    return f"{marker} {patterns.lower()} {key}" if marker else f"{patterns.lower()} {key}"


class BackupSpec(_Strict):
    time: Annotated[str, Whole(r"([01][0-9]|2[0-3]):[0-5][0-9]", "a time HH:MM, 00:00 to 23:59")] = "03:15"
    keep_days: int = Field(default=7, ge=1, le=366)
    compression: Literal["zstd", "gzip"] = Field(
        default="zstd", description="Of the nightly dumps in db/: zstd -1 (faster, smaller) or gzip -1."
    )
    offsite: OffsiteSpec | None = None


# The addresses Sympa answers at each of its domains (the transport map, pic.render.mail), and the
# endings of each list's own (list_aliases.tt2: LIST-request, LIST-owner, ...).
SYMPA_ROBOT_LOCAL_PARTS = ("sympa", "listmaster", "bounce", "abuse-feedback-report", "sympa-request", "sympa-owner")
SYMPA_LIST_SUFFIXES = ("-request", "-editor", "-subscribe", "-unsubscribe", "-owner")


def sympa_address(local_part: str) -> bool:
    """Whether ``local_part`` at a list domain is one of Sympa's own addresses, or has a list address's form."""
    local = local_part.lower()
    return local in SYMPA_ROBOT_LOCAL_PARTS or local.endswith(SYMPA_LIST_SUFFIXES)


class MailSpec(_Strict):
    sympa_domain: Domain
    dkim_selector: Annotated[
        str,
        Whole(
            r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?",
            "one DNS label: lowercase letters, digits and -, not starting or ending with -, 63 characters at most",
        ),
    ] = "pic"
    dmarc_reports: AsciiEmail | None = Field(
        default=None, description="Mailbox for DMARC aggregate reports (default: dmarc-reports@<sympa_domain>)."
    )
    host: WebHostRef | None = Field(
        default=None, description="The web host running Sympa and Postfix (default: pic:default_web_host)."
    )
    mx: Domain | None = Field(
        default=None, description="Name of the mail exchanger of the list domains (default: the mail host's address)."
    )
    dmarc: Literal["none", "quarantine", "reject"] = Field(
        default="none", description="DMARC policy published for the main list domain (sympa_domain)."
    )

    @field_validator("dmarc_reports")
    @classmethod
    def _not_sympas(cls, reports: str | None, info: ValidationInfo) -> str | None:
        """A reports mailbox at Sympa's domain is an alias to the admins (pic.render.mail.virtual_map): never
        an address Sympa answers there, whose mail the alias would take from it."""
        local, _, domain = (reports or "").rpartition("@")
        if reports and domain.lower() == str(info.data.get("sympa_domain", "")).lower() and sympa_address(local):
            raise ValueError(
                f"is an address of Sympa at {domain} ({', '.join(SYMPA_ROBOT_LOCAL_PARTS)}, or a list's LIST-request, "
                "-owner, ...): the reports would take its mail; use another name (default dmarc-reports@)"
            )
        return reports

    @property
    def reports_mailbox(self) -> str:
        """The DMARC aggregate reports' mailbox: ``dmarc_reports``, else ``dmarc-reports@<sympa_domain>``."""
        return self.dmarc_reports or f"dmarc-reports@{self.sympa_domain}"


class LimitsSpec(_Strict):
    memory_mb: int = Field(default=256, ge=32, le=65536)
    cpus: Cpus = 1.0
    pids: int = Field(default=128, ge=16, le=32768)


# An IPv6 address with a zone id, then a port: [fe80::53%eth0]:53 as a URL writes it, or fe80::53%eth0:53 (read by
# Python as the zone "eth0:53")
_ZONE_THEN_PORT = LazyPattern(r"\[(?P<b>[^\]]*%[^\]]*)\]:(?P<bp>[0-9]{1,7})|(?P<a>[^\[\]]*%[^:]*):(?P<ap>[0-9]{1,7})")


def _resolver_address(value: str) -> str:
    """``pic:dns.resolver``: the address ``pic dns check`` asks from this machine when --resolver is not given, taken
    as the option takes it: an address (:func:`check_ip`, its canonical form) or a link-local one with the zone id
    it is reached through (``fe80::53%eth0``, RFC 4007 §11), an interface's name
    (:func:`pic.secrettext.interface_name`: another reads as a password pasted there, refused unseen). One with a
    zone id then a port (``[fe80::53%eth0]:53``, ``fe80::53%eth0:53``) is told the port and the address to write."""
    if "%" in value and (m := _ZONE_THEN_PORT.fullmatch(value)) is not None:
        _zone_then_port(m["b"] or m["a"], m["bp"] or m["ap"])
    if "%" in value:
        try:
            address = ipaddress.IPv6Address(value)
        except ValueError:
            address = None
        if address is not None and (refusal := resolver_zone_refusal(address)) is not None:
            what, offered = refusal
            if what == NEEDLESS_ZONE_WORDS:  # the address alone offered, held to the resolver's rules
                bare = value.partition("%")[0]  # as written: ::ffff:10.0.0.1, not ::ffff:a00:1
                try:
                    offered = check_ip(bare, refuses=_refused_resolver)
                except ValueError as again:
                    raise ValueError(f"{what}, and {bare!r} {again}") from None
                if (why := _refused_resolver(ipaddress.ip_address(offered))) is not None:
                    raise ValueError(f"{what}, and {bare!r} {why}")
            raise OfferRefusal(f"{what}: write {offered!r}", offered, what)
        if address is not None and address.is_link_local:
            if interface_name(address.scope_id or ""):
                return str(address)
            raise Refusal(UNNAMED_ZONE_WORDS, own=(UNNAMED_ZONE_WORDS,))  # as pic dns check --resolver tells it
    return check_ip(value, refuses=_refused_resolver)


def _zone_then_port(inner: str, port: str) -> NoReturn:
    """Refuse ``pic:dns.resolver``'s ``inner`` (an address with a zone id) with ``port`` after it: the address to
    write, ``inner`` as the setting takes it (:func:`_resolver_address`), or why that is refused too; a zone id
    shaped as no interface's name is refused unseen, as ``inner`` alone is."""
    what = f"holds a port (:{port})" + ("" if 1 <= int(port) <= 65535 else ", and ports go from 1 to 65535")
    try:
        address = _resolver_address(inner)
    except Refusal:
        raise
    except OfferRefusal as refused:
        raise OfferRefusal(
            f"{what}, and {inner!r} inside {refused.without}: give the address alone ({refused.offered!r})",
            refused.offered,
            f"{what}, and {inner!r} inside {refused.without}",
        ) from None
    except ValueError as refused:
        raise ValueError(f"{what}, and {inner!r} inside {refused}") from None
    raise OfferRefusal(f"{what}: give the address alone ({address!r})", address, what)


def _refused_resolver(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``pic:dns.resolver`` refuses ``ip``: no resolver answers there (:func:`pic.networks.no_resolver_there`)."""
    what = no_resolver_there(ip)
    return None if what is None else f"is {what}: no resolver answers there; give the address of the resolver to ask"


# The DNS settings' addresses, each held to its field's rules where a message offers one (pic:dns.resolver:
# "::ffff:224.0.0.1" is not told to write 224.0.0.1, a multicast group no resolver answers from): check_ip's refuses
_ResolverAddress = Annotated[
    str,
    _one_word("an address", "the address"),
    AfterValidator(_resolver_address),
]
_ListenAddress = Annotated[
    str,
    _one_word("an address", "the address"),
    AfterValidator(lambda value: check_ip(value, refuses=_not_a_dns_server_address)),
]


class DnsSpec(_Strict):
    """Where the mail records (SPF, DKIM, DMARC, MX) of the list domains are published."""

    backend: Literal["zonefile", "export"] = Field(
        default="export",
        description="zonefile: zones listed in `zones` are served by NSD on `server`; "
        "export: every record is listed for the domain's owner to publish.",
    )
    zones: list[Domain] = Field(default_factory=empty_list, max_length=50, description="Zones the host serves itself.")
    server: HostRef | None = Field(
        default=None, description="Host running the authoritative server (default: the mail host)."
    )
    nameservers: list[Domain] = Field(
        default_factory=empty_list,
        max_length=10,
        description="NS names of those zones (default: the server's address).",
    )
    listen: list[_ListenAddress] = Field(
        default_factory=empty_list,
        max_length=10,
        description="Addresses NSD answers on (required with zonefile: the local resolver holds 127.0.0.1:53).",
    )
    resolver: _ResolverAddress = Field(default="127.0.0.1", description="Resolver `pic dns check` asks.")
    resolver_port: int = Field(default=53, ge=1, le=65535)

    @field_validator("zones", "nameservers")
    @classmethod
    def _each_name_once(cls, names: list[str], info: ValidationInfo) -> list[str]:
        """A zone given twice is served twice; a name server twice is two identical NS records."""
        what = "a zone" if info.field_name == "zones" else "a name server"
        for i, name in enumerate(names):
            if name in names[:i]:
                raise SubfieldError((i,), f"is also [{names.index(name)}]: {what} is listed once")
        return names

    @field_validator("resolver")
    @classmethod
    def _a_resolver_answers_there(cls, resolver: str) -> str:
        """The address ``pic dns check`` asks without --resolver, refused as the option refuses it: a query to a
        multicast group or the broadcast address goes to every host there."""
        why = _refused_resolver(ipaddress.ip_address(resolver))
        if why is not None:
            raise ValueError(why)
        return resolver

    _listen_once = field_validator("listen", mode="before")(
        classmethod(
            lambda cls, items: _offered_once(
                items, lambda v: check_ip(v, refuses=_not_a_dns_server_address), "NSD binds each address once"
            )
        )
    )

    @field_validator("listen")
    @classmethod
    def _answerable_addresses(cls, listen: list[str]) -> list[str]:
        """Addresses the Internet's resolvers can reach on the DNS server, each once.

        NSD binds each (a second bind of one address fails, and NSD does not start), and they are
        the glue A/AAAA records of the name servers inside the zones. A loopback address answers
        no one else, and 127.0.0.1:53 of the mail host is its local resolver's (unbound); the
        unspecified address (0.0.0.0, ::) holds every address, loopback included; multicast,
        link-local and broadcast addresses are no server's.
        """
        seen: dict[ipaddress.IPv4Address | ipaddress.IPv6Address, int] = {}
        for i, text in enumerate(listen):
            address = ipaddress.ip_address(text)
            if address in seen:
                raise SubfieldError((i,), f"is also [{seen[address]}]: NSD binds each address once")
            seen[address] = i
            why = _not_a_dns_server_address(address)
            if why is not None:
                raise SubfieldError((i,), why)
        return listen


class PhpMyAdminSpec(_Strict):
    domain: Domain
    debian: DebianRelease = Field(
        default="bookworm", description="The Debian release whose phpmyadmin package the image is built from."
    )
    host: WebHostRef | None = Field(
        default=None, description="The web host that runs phpMyAdmin (default: pic:default_web_host)."
    )


class ProxySpec(_Strict):
    """The front proxy of every web host (Caddy), also the server of static sites."""

    debian: Annotated[DebianRelease, AfterValidator(_caddy_release)] = Field(
        default="bookworm",
        description="The Debian release whose caddy package the image is built from (Debian packages Caddy "
        "from bookworm on: bullseye has none).",
    )


FIRST_UNPRIVILEGED_PORT = 1024  # below it, only a process with CAP_NET_BIND_SERVICE listens (capabilities(7))


class DbSpec(_Strict):
    """The db host and its nightly dumps (``pic:db``); every key is optional."""

    port: int = Field(default=3306, ge=1, le=65535, description="Port MariaDB listens on (private address).")
    proxy: Annotated[str, Field(max_length=300), _one_word("a URL", "the URL"), AfterValidator(_socks_url)] = Field(
        default="socks5://127.0.0.1:1080",
        description="SOCKS proxy the mysql provider goes through to reach a db host over ssh "
        "(`ssh -N -D 127.0.0.1:1080 deploy@<db host>`): socks5://host:port or socks5h://host:port, "
        "an IPv6 address in brackets; unused when the db host is local.",
    )
    dump_jobs: int = Field(default=2, ge=1, le=16, description="Databases dumped at the same time by a web host.")
    report_to: AsciiEmail | None = Field(default=None, description="Who gets dump failures (default: pic:admin_email).")
    dev_image: Image = Field(default="mariadb:11.4", description="MariaDB image of the dev stack's db container.")
    dev_port: int = Field(default=13306, ge=1, le=65535, description="Loopback port of the dev db container.")
    dev_subnet: IPv4Network = Field(
        default=IPv4Network("172.29.57.0/24"),
        description="Docker network of the dev db container; clients come from it (never from anywhere). "
        "Outside 172.30.0.0/16, the sites' network on the same engine: Docker refuses two networks that overlap.",
    )

    @field_validator("port")
    @classmethod
    def _unprivileged(cls, port: int) -> int:
        if port < FIRST_UNPRIVILEGED_PORT:
            raise ValueError(
                f"is below {FIRST_UNPRIVILEGED_PORT}: MariaDB runs as the mysql user (Debian's mariadb.service), "
                "which cannot listen on a privileged port; choose one from 1024 (3306 unless set)"
            )
        return port

    @field_validator("dev_subnet", mode="before")
    @classmethod
    def _subnet(cls, value: object) -> object:
        """The network written ``ADDRESS/PREFIX``; the ipaddress module's words for the slips an admin makes (an
        IPv6 network, an address of the network instead of its first one) told in the setting's."""
        if not isinstance(value, str):
            return value
        try:
            return IPv4Network(value)
        except ValueError as exc:
            if "host bits set" in str(exc):
                network = IPv4Network(value, strict=False)
                raise ValueError(
                    f"is an address of a network, not the network: write its first address, {network}"
                ) from None
            try:
                ipv6 = ipaddress.ip_network(value, strict=False).version == 6
            except ValueError:
                ipv6 = False
            if ipv6:
                raise ValueError(
                    "is an IPv6 network: the dev db container's Docker network is an IPv4 one (e.g. 172.29.57.0/24)"
                ) from None
            raise ValueError(f"is not an IPv4 network ADDRESS/PREFIX, e.g. 172.29.57.0/24 ({exc})") from None

    @field_validator("dev_port")
    @classmethod
    def _free_on_the_admins_machine(cls, port: int) -> int:
        if port < FIRST_UNPRIVILEGED_PORT:
            raise ValueError(
                f"is below {FIRST_UNPRIVILEGED_PORT}, where the admin's machine runs its own services (sshd on 22, "
                "a resolver on 53, ...): choose one from 1024 (13306 unless set)"
            )
        return port

    @field_validator("dev_subnet")
    @classmethod
    def _room_for_the_gateway_and_the_db(cls, subnet: IPv4Network) -> IPv4Network:
        """Docker gives the network's first address to its gateway; the db container takes the tenth
        (pic.render.db), so the subnet holds 16 addresses at least; and it is a private network."""
        if subnet.prefixlen > 28:
            raise ValueError(
                f"holds {subnet.num_addresses} address(es): the gateway takes {subnet.network_address + 1} and "
                f"the db container {subnet.network_address + 10}, so it needs at least 16 (a /28); e.g. "
                "172.29.57.0/24"
            )
        if not any(subnet.subnet_of(block) for block in RFC1918_NETWORKS):
            raise ValueError(
                "is not in a private network of RFC 1918 (10/8, 172.16/12, 192.168/16; e.g. 172.29.57.0/24)"
            )
        return subnet

    @field_validator("dev_subnet")
    @classmethod
    def _outside_the_sites_network(cls, subnet: IPv4Network) -> IPv4Network:
        if subnet.overlaps(IPv4Network(PLATFORM_SUBNET)):
            raise ValueError(
                f"overlaps {PLATFORM_SUBNET}, the network of the sites' containers, on the same docker "
                'engine in the dev stack: Docker refuses the second network ("Pool overlaps"); choose another, '
                "e.g. 172.29.57.0/24"
            )
        return subnet


def pasted_password(username: str) -> bool:
    """Whether ``username``, a user name setting's value, is a user name and its password pasted together,
    ``user:password``: the form of ``curl -u``, of a URL's userinfo (RFC 3986 §3.2.1) and of the ``user:password``
    lines of msmtp's and ssmtp's files; the password may be empty (``marie:``). A ':' is read in the text's NFKC
    form too (a full-width ``：``, U+FF1A, is a colon to a reader and to a copy-paste: Unicode's compatibility form,
    UAX #15), and percent-decoded up to 4 times, as a URL's userinfo is read (``marie%3ALilas2024x!``,
    ``marie%253A...``, ``marie%EF%BC%9A...``: RFC 3986 §2.1; the server would get those characters as they are, and
    no login holds them). No login holds a colon: HTTP Basic's user-id may not (RFC 7617 §2), docker's config.json
    writes base64 of ``user:password``, /etc/passwd separates its fields with it, and no mail provider's SMTP login
    has one (an address, ``apikey``, an API key, ``DOMAIN\\user``, all of which are taken)."""
    return userinfo_holds_colon(username, compatibility=True)


def ends_with_port(username: str) -> bool:
    """Whether ``username``, refused by :func:`pasted_password`, ends with a ':' (or one percent-encoded, up to 4
    times) and 1 to 5 digits: a server's address and port pasted as the user name (``marie@asso.fr:587``,
    ``smtp.asso.fr:465``) as likely as a password of digits, which the message names a place for without showing."""
    return any(
        re.search(r"[:：][0-9]{1,5}\Z", unicodedata.normalize("NFKC", text)) for text in percent_decodings(username)
    )


def password_after_blank(username: str) -> bool:
    """Whether ``username``, a user name setting's value, is a user name and its password pasted after a blank
    (``marie Lilas2024x!``, ``root S3cretPw9``: :func:`pic.secrettext.password_beside`, as a host's blank is read);
    a name of words (``Marie Curie``) is none."""
    return len(username.split()) > 1 and password_beside(username)


def _pasted_password_words(secret: str, how: str, port: str | None = None, *, blank: bool = False) -> str:
    """Why a user name holding its password (:func:`pasted_password`, or :func:`password_after_blank` with
    ``blank``) is refused, without the value: ``secret``, where the password goes; ``how``, how it is set there;
    ``port``, when the value ends with what reads as a port (:func:`ends_with_port`), the settings the server's
    address and port go in."""
    form = (
        "holds a blank, then a word shaped as a password (the value is not shown)"
        if blank
        else "holds a user name and a ':', the form user:password (curl -u, a URL's userinfo; the value is not shown)"
    )
    words = (
        f"{form}: the password would sit in the stack file in clear; write the user name alone here, and the "
        f"password as the secret {secret}, set with {how}, never written in clear"
        + ("" if blank else " (no user name holds a ':')")
    )
    if port is not None:
        words += f"; if the digits after the ':' are the server's port (user@host:587), write it in {port}"
    return words


class SmtpSpec(_Strict):
    """The mail server that ``pic notify`` sends through (``pic:smtp``).

    The password is never in a file: ``pulumi config set --secret pic:smtpPassword``
    or the environment variable ``PIC_SMTP_PASSWORD``.
    """

    host: Annotated[str, _one_word("a host", "the host"), AfterValidator(_service_host)]
    port: int = Field(default=587, ge=1, le=65535, description="Default 587, 465 with security tls.")
    security: Literal["starttls", "tls", "none"] = Field(
        default="starttls",
        description="starttls (port 587), tls (implicit, port 465), none (a local relay only); default starttls, "
        "tls on port 465.",
    )

    @model_validator(mode="before")
    @classmethod
    def _tls_port(cls, data: object) -> object:
        """SMTP over TLS has its own port, 465 (RFC 8314): ``security: tls`` without a port is on 465, not 587,
        and port 465 without a ``security`` is ``tls``."""
        if isinstance(data, dict):
            if data.get("security") == "tls" and "port" not in data:
                return {**data, "port": 465}
            if data.get("port") == 465 and "security" not in data:
                return {**data, "security": "tls"}
        return data

    @field_validator("security")
    @classmethod
    def _security_fits_port(cls, value: str, info: ValidationInfo) -> str:
        """The ports whose servers speak one way only (RFC 8314, RFC 6409): a client speaking the other waits
        for a greeting that never comes (465) or fails its handshake (25, 587), at every ``pic notify``."""
        port = info.data.get("port")  # absent: refused already
        if port == 465 and value != "tls":
            raise ValueError(
                "on port 465, where the server speaks TLS from the start (RFC 8314) and never greets a client in "
                "clear: write security: tls, or give the port of the server's STARTTLS (587)"
            )
        if port in (25, 587) and value == "tls":
            raise ValueError(
                f"on port {port}, where the server greets in clear and offers STARTTLS: write security: starttls, "
                "or port: 465 for TLS from the start"
            )
        return value

    username: Annotated[str, Field(min_length=1, max_length=255), FreeText()] | None = Field(
        default=None,
        description="The login alone, as the provider names it (an address, Mailgun's postmaster@<domain>, SendGrid's "
        "apikey, Mailjet's API key); its password is the secret pic:smtpPassword. None: the server takes mail "
        "without authentication.",
    )

    @field_validator("username")
    @classmethod
    def _login_alone(cls, username: str | None) -> str | None:
        """The user name without its password: ``marie:Lilas2024x!`` (:func:`pasted_password`) is refused, never
        shown, and the password told to go to its secret."""
        if username is not None and pasted_password(username):
            raise SubfieldError(
                (),
                _pasted_password_words(
                    "pic:smtpPassword",
                    "`pulumi config set --secret pic:smtpPassword` or the environment variable PIC_SMTP_PASSWORD",
                    "pic:smtp.port and the server in pic:smtp.host" if ends_with_port(username) else None,
                ),
                names_value=True,
            )
        if username is not None and password_after_blank(username):
            raise SubfieldError(
                (),
                _pasted_password_words(
                    "pic:smtpPassword",
                    "`pulumi config set --secret pic:smtpPassword` or the environment variable PIC_SMTP_PASSWORD",
                    blank=True,
                ),
                names_value=True,
            )
        return username

    sender: AsciiEmail | None = Field(default=None, description="From: address (default: pic:admin_email).")
    host_relay: Annotated[HostPort, Field(max_length=300)] = Field(
        default="localhost:25",
        description="host:port the web hosts send the admins' reports to (certificate renewals): their own MTA; "
        "an IPv6 address in brackets ([2001:db8::25]:25).",
    )


class NotifySpec(_Strict):
    """``pic notify``: how often a member is told again about the same runtime."""

    period_days: int = Field(default=30, ge=1, le=3650, description="No second message within this many days.")


class DiskSpec(_Strict):
    """Disk usage of the members' spaces, collected nightly on the web hosts."""

    soft_limit_mb: int = Field(
        default=5000, ge=1, le=10_000_000, description="Warn the admins above this (www/ + db/ + log/), in MB."
    )
    time: Time = Field(default="02:30", description="When the hosts measure it, every night.")


@dataclass(frozen=True)
class SecretRef:
    """A ``secure:`` value of the stack file: ciphertext, never decrypted by pic."""

    key: str

    def __repr__(self) -> str:
        return f"SecretRef({self.key!r})"


def not_a_web_host(settings: Settings, name: str) -> str:
    """Why ``name`` is no web host of ``settings``' stack, after it: what it is, the web hosts, and the one meant
    when it is one of them in another form or a slip of it (:func:`_meant_host`). Said so of a member file's
    ``host:`` and of the command line's ``--to`` and ``--retire-from``."""
    web = settings.web_hosts
    written = _host_form(name)
    other = next((host for host in settings.hosts if host not in web and _host_form(host) == written), None)
    if name in settings.hosts:
        what = "the stack's db host, not a web host"
    elif other is not None and meant_among(name, web) is None:  # DB, " db ": the db host's name in another form
        what = f"the stack's db host ({show_value(other)} in another form), not a web host"
    else:
        what = "not a host of the stack"
    return f"is not a web host of stack {settings.stack} ({what}; known: {', '.join(web)}){_meant_host(name, web)}"


def _host_form(name: str) -> str:
    """A host's name as its other forms write it too: in any letter case, blanks around it, ``-``, ``_`` or ``.``
    for one another or left out (DB, web-1 and Web_1 for db and web1)."""
    return re.sub(r"[-_.]", "", name.strip().casefold())


def _meant_host(name: str, web: list[str]) -> str:
    """``; did you mean "web-1"?`` when ``name`` is a host's in another form or a slip of it (a host renamed), its
    digits kept (web2 is another host than web1: :func:`pic.errors.meant_among`), else nothing."""
    close = meant_among(name, web)
    return f"; did you mean {show_value(close)}?" if close is not None else ""


class Settings(_Strict):
    """Everything under ``pic:`` in ``Pulumi.<stack>.yaml``."""

    # how a message names its fields (pic:hosts.db.private_address), where the field's problem names another
    SHOWN_PREFIX: ClassVar[str] = f"{NAMESPACE}:"

    stack: str = Field(default="prod", exclude=True)
    hosts: dict[HostName, HostSpec] = Field(min_length=1)
    default_web_host: WebHostRef | None = Field(
        default=None,
        description="The web host of members without `host:`, and of Sympa and phpMyAdmin unless they name "
        "theirs (default: the web host whose name sorts first; never the order of pic:hosts).",
    )
    runtimes: dict[RuntimeKey, RuntimeSpec] = Field(min_length=1)
    base_images: dict[DebianRelease, Annotated[str, Whole(IMAGE_ID_RE, IMAGE_ID_WORDS)]] = Field(
        default_factory=empty_dict,
        description="The base image of each Debian release, pinned by the ID of pic/debian:<release> "
        "as scripts/build-base-image printed it; a release not listed builds FROM pic/debian:<release>.",
    )
    eol_warning_days: int = Field(default=365, ge=0, le=3650)
    tls: TlsSpec
    # A section left out is its model's defaults, made by model_construct: calling the model would build the
    # section's own validator at import, which nothing else uses (its parent validates the section), about
    # 100 million instructions of every command's start (bench/bench_check.py). No section has a model validator or
    # a default validated (tests/test_fields_fast.py compares each with the section validated from {}).
    backup: BackupSpec = BackupSpec.model_construct()
    mail: MailSpec
    limits: LimitsSpec = LimitsSpec.model_construct()
    members_root: Annotated[
        str,
        Whole(
            r"/[A-Za-z0-9._/-]*",
            "an absolute path of ASCII letters, digits, . _ - and /",
            then=lambda root: check_members_root(root),  # noqa: PLW0108 (defined below the model)
        ),
    ] = "/srv/members"
    admin_email: AsciiEmail
    phpmyadmin: PhpMyAdminSpec | None = None
    proxy: ProxySpec = ProxySpec.model_construct()
    db: DbSpec = DbSpec.model_construct()
    dns: DnsSpec = DnsSpec.model_construct()
    smtp: SmtpSpec | None = None
    notify: NotifySpec = NotifySpec.model_construct()
    disk: DiskSpec = DiskSpec.model_construct()
    secrets: dict[str, SecretRef] = Field(default_factory=empty_dict, exclude=True)
    # The stack file as read (its name as shown, the lines of its keys), for the checks that need the members.
    _source: Document | None = PrivateAttr(default=None)

    def where(self, *loc: str | int) -> tuple[str, int | None]:
        """The stack file and the line of setting ``loc`` (``("limits", "cpus")``), or of the nearest key above
        it written; the file's bare name and no line for settings not read from a file."""
        if self._source is None:
            return f"Pulumi.{self.stack}.yaml", None
        for end in range(len(loc), 0, -1):
            line = self._source.line_of(loc[:end])
            if line is not None:
                return self._source.file, line
        return self._source.file, None

    @field_validator("hosts")
    @classmethod
    def _roles(cls, hosts: dict[str, HostSpec]) -> dict[str, HostSpec]:
        roles = [h.role for h in hosts.values()]
        if "web" not in roles:
            raise ValueError("needs at least one host with role: web")
        if roles.count("db") != 1:
            raise ValueError(f"needs exactly one host with role: db (found {roles.count('db')})")
        _one_connection(hosts)
        _check_host_addresses(hosts)
        _check_public_addresses(hosts)
        _one_private_family(hosts)
        _host_names_of_their_own(hosts)
        return hosts

    @field_validator("hosts", mode="before")
    @classmethod
    def _offered_addresses_apart(cls, hosts: object) -> object:
        """A host's address or private address refused with another to write (``DB.Example.org``,
        ``::ffff:10.0.0.10``) that another host reached over ssh has already: told so, nothing offered (two hosts
        never share an address, :func:`_check_host_addresses`). Raises :class:`SubfieldError` at the field."""
        if not isinstance(hosts, dict):
            return hosts
        checks: dict[str, Callable[[str], str]] = {
            "address": lambda value: check_host_address(value, refuses=_refused_host_address),
            "private_address": lambda value: check_ip(value, refuses=_refused_private_address),
        }
        held: list[tuple[object, str, str, OfferRefusal | None]] = []  # host, field, the address compared, refusal
        for name, spec in hosts.items():
            if not isinstance(spec, dict) or spec.get("connection", "ssh") != "ssh":
                continue  # a local host is the admin's own machine, as every other
            for what, check in checks.items():
                value = spec.get(what)
                if not isinstance(value, str):
                    continue
                try:
                    held.append((name, what, _same_host_key(check(value)), None))
                except OfferRefusal as refusal:
                    held.append((name, what, _same_host_key(refusal.offered), refusal))
                except ValueError:
                    continue
        for name, what, key, refused in held:
            other = next((n for n, _, k, _r in held if n != name and k == key), None)
            if refused is not None and other is not None:
                raise SubfieldError(
                    (str(name), what),
                    f"{refused.without}, and {refused.offered!r} is also the address of {other}: each host has its own",
                )
        return hosts

    @field_validator("default_web_host")
    @classmethod
    def _default_web_host(cls, name: str | None, info: ValidationInfo) -> str | None:
        hosts: dict[str, HostSpec] = info.data.get("hosts") or {}
        web = sorted(n for n, h in hosts.items() if h.role == "web")
        if name is not None and hosts and name not in web:
            raise ValueError(f"is not a web host of the stack (known: {', '.join(web)}){_meant_host(name, web)}")
        return name

    @field_validator("runtimes", mode="wrap")
    @classmethod
    def _release_meant(cls, runtimes: Any, handler: Callable[[Any], dict[str, RuntimeSpec]]) -> dict[str, RuntimeSpec]:
        """A runtime's ``debian`` refused is offered the release it may name only when that release carries the
        runtime's PHP or the runtime has an apt_source (``"7.4": {debian: Trixie}`` was offered trixie, then refused
        for PHP 7.4): else told what the release carries, and the one to use."""
        try:
            return handler(runtimes)
        except ValidationError as exc:
            errors: list[InitErrorDetails] = []
            for err in exc.errors():
                error = (err.get("ctx") or {}).get("error")
                key = err["loc"][0] if len(err["loc"]) == 2 and err["loc"][1] == "debian" else None
                raw = runtimes.get(key) if isinstance(runtimes, dict) and isinstance(key, str) else None
                meant = error.meant if isinstance(error, ReleaseRefusal) else None
                if meant is not None and isinstance(raw, dict) and raw.get("apt_source") is None:
                    carried = DEBIAN_PHP[meant]
                    if carried != key:
                        use = DEBIAN_RELEASE_OF.get(str(key), "<the release that carries it>")
                        error = ValueError(
                            f"{RELEASE_WORDS}; {meant}, which it may name, has PHP {carried} in its own packages, not "
                            f"PHP {key}: use debian: {use} or give an apt_source"
                        )
                ctx = {**(err.get("ctx") or {}), "error": error} if err["type"] == "value_error" else err.get("ctx")
                errors.append(InitErrorDetails(type=err["type"], loc=err["loc"], input=err["input"], ctx=ctx or {}))
            raise ValidationError.from_exception_data(exc.title, errors) from None

    @field_validator("runtimes")
    @classmethod
    def _runtime_images(cls, runtimes: dict[str, RuntimeSpec]) -> dict[str, RuntimeSpec]:
        seen: dict[tuple[int, ...], str] = {}
        for key, spec in runtimes.items():
            if version_key(key) in seen:
                raise SubfieldError(
                    (key,), f"{key!r} and {seen[version_key(key)]!r} are one runtime: give it once", names_value=True
                )
            seen[version_key(key)] = key
            carried = DEBIAN_PHP.get(spec.debian)
            if spec.apt_source is None and carried != key:
                raise SubfieldError(
                    (key, "debian"),
                    f"has {f'PHP {carried}' if carried else 'no PHP the platform knows'} in its own packages, "
                    f"not PHP {key}: use debian: {DEBIAN_RELEASE_OF.get(key, '<the release that carries it>')} "
                    "or give an apt_source",
                )
        return runtimes

    @field_validator("members_root")
    @classmethod
    def _members_root(cls, root: str) -> str:
        return check_members_root(root)

    @field_validator("phpmyadmin")
    @classmethod
    def _phpmyadmin_host(cls, pma: PhpMyAdminSpec | None, info: ValidationInfo) -> PhpMyAdminSpec | None:
        mail = info.data.get("mail")
        if pma is not None and mail is not None and pma.domain == mail.sympa_domain:
            raise SubfieldError(("domain",), "is also pic:mail.sympa_domain: give phpMyAdmin a domain of its own")
        hosts: dict[str, HostSpec] = info.data.get("hosts") or {}
        web = [name for name, h in hosts.items() if h.role == "web"]
        if pma is not None and pma.host is not None and web and pma.host not in web:
            raise SubfieldError(
                ("host",), f"is not a web host of the stack (known: {', '.join(web)}){_meant_host(pma.host, web)}"
            )
        db_name, db = next(((n, h) for n, h in hosts.items() if h.role == "db"), ("", None))
        if pma is not None and db is not None and ":" in db.private_address:
            # PHP's mysqlnd (Debian's phpmyadmin package) takes an IPv6 host only in brackets, then
            # checks the certificate for the name "[addr]", which no certificate holds: every login
            # fails, unless verification is off (tests/test_ipv6_hosts.py shows both with real PHP).
            raise ValueError(
                f"phpMyAdmin cannot reach the db host at its IPv6 address {db.private_address} "
                f"(pic:hosts.{db_name}.private_address): PHP's "
                "MariaDB driver cannot check the server's certificate for an IPv6 address, so every login fails; "
                "give the db host an IPv4 private_address, or remove pic:phpmyadmin"
            )
        return pma

    @field_validator("mail", "phpmyadmin", "dns")
    @classmethod
    def _public_names(cls, spec: BaseModel | None, info: ValidationInfo) -> BaseModel | None:
        """A stack whose certificates come from a public authority has public names only: the
        names of its sites and lists, and the zones it serves and their name servers, which the
        Internet's resolvers must reach through a delegation from a real top-level domain."""
        tls: TlsSpec | None = info.data.get("tls")
        if spec is None or tls is None or tls.ca == "internal":
            return spec
        for key in ("sympa_domain", "mx", "domain", "zones", "nameservers"):
            value: str | list[str] | None = getattr(spec, key, None)
            for i, domain in enumerate([value] if isinstance(value, str) else value or []):
                why = public_name_problem(domain, TLS_CA_NAMES[tls.ca])
                if why is not None:
                    raise SubfieldError((key,) if isinstance(value, str) else (key, i), why, names_value=True)
        return spec

    @field_validator("mail")
    @classmethod
    def _mail_record_names(cls, mail: MailSpec) -> MailSpec:
        """Every record of Sympa's domain (MX, SPF, DKIM, DMARC and the reports' authorization) has a name DNS
        can hold (a member's list domain: pic.registry)."""
        from pic import names  # pic.names reads the settings: imported once they are defined

        problem = names.record_name_problem(
            mail.sympa_domain, selector=mail.dkim_selector, reports=mail.reports_mailbox, what="a sympa_domain"
        )
        if problem is not None:
            setting, why = problem
            raise SubfieldError((setting or "sympa_domain",), f"makes {why}")
        return mail

    @field_validator("mail")
    @classmethod
    def _mail_host(cls, mail: MailSpec, info: ValidationInfo) -> MailSpec:
        hosts: dict[str, HostSpec] = info.data.get("hosts") or {}
        web = [name for name, h in hosts.items() if h.role == "web"]
        if mail.host is not None and hosts and mail.host not in web:
            raise SubfieldError(("host",), f"is not a web host (known: {', '.join(web)}){_meant_host(mail.host, web)}")
        default = info.data.get("default_web_host") or (min(web) if web else "")
        host = hosts.get(mail.host or default)
        if mail.mx is None and host is not None and is_ip(host.address):
            raise ValueError(
                f"mx is required: the mail host's address {host.address!r} is an IP address, "
                "and an MX record needs a name"
            )
        tls: TlsSpec | None = info.data.get("tls")
        if mail.mx is None and host is not None and tls is not None and tls.ca != "internal":
            why = public_name_problem(host.address, TLS_CA_NAMES[tls.ca])
            if why is not None:
                raise ValueError(
                    f"mx is required: the mail host's address would be the lists' mail exchanger, and {why}; "
                    "set mx to a public name of the mail host"
                )
        exchanger = mail.mx or (host.address if host is not None else None)
        if exchanger == mail.sympa_domain:
            # Postfix's myhostname is the mail exchanger, and mydestination holds it: a domain both there
            # and in virtual_mailbox_domains is a local one, whose list addresses are "User unknown"
            # (Postfix's VIRTUAL_README: "never list a virtual mailbox domain name as a mydestination domain").
            raise SubfieldError(
                ("mx",) if mail.mx else ("sympa_domain",),
                f"is also {'sympa_domain' if mail.mx else 'the mail host address (the mail exchanger)'}: the mail "
                "exchanger's name is the host's own, the lists' domain is Sympa's; give the mail exchanger "
                "another name (e.g. mail.example.org, set as mx)",
            )
        return mail

    @field_validator("dns")
    @classmethod
    def _dns_server(cls, dns: DnsSpec, info: ValidationInfo) -> DnsSpec:
        hosts: dict[str, HostSpec] = info.data.get("hosts") or {}
        if dns.server is not None and hosts and dns.server not in hosts:
            known = sorted(hosts)  # by name: the order of pic:hosts means nothing
            raise SubfieldError(
                ("server",), f"is not a host of the stack (known: {', '.join(known)}){_meant_host(dns.server, known)}"
            )
        if dns.backend == "zonefile" and dns.zones and not dns.listen:
            raise ValueError(
                "listen is required with backend zonefile: the public addresses NSD answers on "
                "(the local resolver of the mail host holds 127.0.0.1:53)"
            )
        if dns.backend == "zonefile" and dns.zones:
            mail: MailSpec | None = info.data.get("mail")
            web = sorted(name for name, h in hosts.items() if h.role == "web")
            name = dns.server or (mail.host if mail is not None else None) or info.data.get("default_web_host")
            _listen_on_the_server(dns.listen, name or (web[0] if web else ""), hosts)
            server = hosts.get(name or (web[0] if web else ""))
            if not dns.nameservers and server is not None and is_ip(server.address):
                raise SubfieldError(
                    ("nameservers",),
                    f"is needed: the zones' NS records name the DNS server, whose address ({server.address}, "
                    f"pic:hosts.{name or web[0]}.address) is an IP address, and an NS record names a host "
                    "(RFC 1035 §3.3.11); give the name servers' names",
                )
        return dns

    @property
    def mail_host(self) -> str:
        """The web host running Sympa and Postfix."""
        return self.mail.host or self.default_host

    @property
    def mail_exchanger(self) -> str:
        """The MX target of every list domain."""
        return self.mail.mx or self.hosts[self.mail_host].address

    @property
    def dns_server(self) -> str:
        """The host serving the zones of ``dns.zones`` (backend zonefile)."""
        return self.dns.server or self.mail_host

    @property
    def web_hosts(self) -> list[str]:
        """Web host names, sorted: the order of ``pic:hosts`` in the file means nothing."""
        return sorted(name for name, h in self.hosts.items() if h.role == "web")

    @property
    def default_host(self) -> str:
        """The web host of members without ``host:`` (``default_web_host``, else the first name in sort order)."""
        return self.default_web_host or self.web_hosts[0]

    @property
    def db_host(self) -> str:
        return next(name for name, h in self.hosts.items() if h.role == "db")

    @property
    def dmarc_reports(self) -> str:
        return self.mail.reports_mailbox

    def runtime_keys(self) -> list[str]:
        """Runtime keys sorted by version, oldest first."""
        return sorted(self.runtimes, key=version_key)

    def needed_secrets(self) -> list[str]:
        """The secrets of :data:`SECRET_KEYS` the program reads with these settings, in that order.

        The db admin's password always; the ssh key when a host is reached over ssh; with
        ``backup.offsite`` the repository's password and, for an sftp repository, the ssh key
        the server authorizes, else the S3-compatible store's two keys (components/backup.py).
        """
        needed = {"dbAdminPassword"}
        if any(h.connection == "ssh" for h in self.hosts.values()):
            needed.add("sshPrivateKey")
        offsite = self.backup.offsite
        if offsite is not None:
            needed.add("backupRepositoryPassword")
            if sftp_target(offsite.repository) is not None:
                needed.add("backupSshKey")
            else:
                needed |= {"backupS3AccessKeyId", "backupS3SecretAccessKey"}
        return [key for key in SECRET_KEYS if key in needed]

    def debian_releases(self) -> list[str]:
        """The Debian releases the stack's images are built on, sorted."""
        releases = {spec.debian for spec in self.runtimes.values()} | {self.proxy.debian}
        if self.phpmyadmin is not None:
            releases.add(self.phpmyadmin.debian)
        return sorted(releases)


def _not_a_dns_server_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why NSD may not answer the Internet on ``address``, or None."""
    if address.is_loopback:
        return (
            "is a loopback address: NSD would answer no one but the host itself (and 127.0.0.1:53 of the mail "
            "host is its local resolver's, unbound); give the public addresses the zones are served on"
        )
    if address.is_unspecified:
        return (
            "is the unspecified address: NSD would take port 53 on every address of the host, loopback included "
            "(the mail host's local resolver holds 127.0.0.1:53), and it is no name server's address; "
            "give each public address"
        )
    if address.is_link_local:  # a resolver on the link would reach NSD there; the Internet's never do
        return f"is {link_local_words(address)}; give the public addresses the zones are served on"
    if address.is_multicast or str(address) == "255.255.255.255":
        return "is a multicast or broadcast address, which no resolver reaches a server on"
    return None


def _listen_on_the_server(listen: list[str], server: str, hosts: dict[str, HostSpec]) -> None:
    """NSD's addresses are not another host's: each address of the settings belongs to one host.

    Only addresses of other hosts are refused: the DNS server may hold addresses the settings
    do not name (a second public address, an IPv6 address when ``address`` is a name).
    """
    own = hosts.get(server)
    for i, text in enumerate(listen):
        address = ipaddress.ip_address(text)
        for name, host in hosts.items():
            if name == server or (own is not None and own.connection == "local" and host.connection == "local"):
                continue  # local hosts are all the admin's own machine
            for what in ("address", "private_address"):
                value = getattr(host, what)
                if is_ip(value) and ipaddress.ip_address(value) == address:
                    raise SubfieldError(
                        ("listen", i),
                        f"is pic:hosts.{name}.{what}, an address of {name}: "
                        f"NSD runs on {server} (pic:dns.server, default the mail host) and cannot answer there",
                    )


def _same_host_key(value: str) -> str:
    """``value`` as two hosts' addresses are compared: an IP address in its one written form
    (``2001:DB8:0::11`` is ``2001:db8::11``), a name without case."""
    return str(ipaddress.ip_address(value)) if is_ip(value) else value.lower()


def _host_names_of_their_own(hosts: dict[str, HostSpec]) -> None:
    """A host's name is no name of the platform's own resources, nor the start of one before a '-'.

    The host's resources are named ``<host>-setup``, ``<host>-sshd``, ...: a host ``sympa`` would
    make a second ``sympa-setup`` beside Sympa's, a host ``tls`` one under the internal CA's
    ``tls-ca`` (the rule of :class:`pic.names.ResourcePrefixes` for members' slugs).
    """
    from pic import names  # it reads the settings' types: imported once both are loaded

    own = names.ResourcePrefixes(
        {("resource", name): names.Owner("", "a component of the platform") for name in names.FIXED_COMPONENTS}
        | {("resource", name): names.Owner("", "a container or network of the platform") for name in names.CONTAINERS}
    )
    for host in hosts:
        clash = (host, own.owners[host]) if host in own.owners else own.owner_of_prefix(host)
        if clash is not None:
            name, owner = clash
            how = (
                "is"
                if name == host
                else f"is the start of {name!r},"
                if name.startswith(host)
                else f"starts with {name + '-'!r}, and {name!r} is"
            )
            raise SubfieldError(
                (host,),
                f"host name {host!r} {how} {owner}: the host's "
                f"resources ({host}-setup, {host}-sshd, ...) would be taken for its own; name the host otherwise",
                names_value=True,
            )


def _unusable(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why no host is reached at ``ip`` over a network, or None: "this network" (0.0.0.0/8, RFC 1122
    §3.2.1.3), the reserved 240.0.0.0/4 (RFC 1112), an IPv4-compatible IPv6 address (::a.b.c.d,
    deprecated by RFC 4291 §2.5.5.1). A link-local one is told by its field (:func:`link_local_words`)."""
    if isinstance(ip, ipaddress.IPv4Address):
        if ip in ipaddress.ip_network("0.0.0.0/8"):
            return "in 0.0.0.0/8, this network's addresses (RFC 1122)"
        if ip.is_reserved:
            return "in 240.0.0.0/4, reserved (RFC 1112)"
    elif ip.packed[:12] == bytes(12) and int(ip) > 1:
        return "an IPv4-compatible IPv6 address (::a.b.c.d, deprecated by RFC 4291)"
    return None


def _refused_public_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why a host's ``public_addresses`` refuses ``ip``: an address the Internet reaches no host at."""
    if ip.is_link_local:
        return f"is {link_local_words(ip)}; give a public address"
    if ip.is_loopback:
        return "is a loopback address, each machine's own: give a public address"
    if ip.is_unspecified or ip.is_multicast:
        return (
            f"is {'the unspecified' if ip.is_unspecified else 'a multicast'} address, no host's: give a public address"
        )
    if str(ip) == "255.255.255.255":
        return "is the broadcast address, no host's: give a public address"
    why = _unusable(ip)
    return None if why is None else f"is {why}: no host is reached there, give a public address"


# What a host's address and private_address given a link-local address are told to write instead
_GIVE_HOST_ADDRESS = "give the host's name or another of its addresses"
_GIVE_PRIVATE_ADDRESS = "give the host's address in a private network, where the web hosts reach MariaDB"


def _not_one_host(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, give: str) -> str | None:
    """Why no one host holds ``ip`` (a host's ``address`` and ``private_address``), or None; ``give``: what to write
    instead of a link-local address, which a host on the link holds (:func:`link_local_words`)."""
    if ip.is_unspecified or ip.is_multicast or str(ip) == "255.255.255.255":
        kind = "the unspecified" if ip.is_unspecified else "a multicast" if ip.is_multicast else "the broadcast"
        return f"is {kind} address, not the address of one host"
    if ip.is_link_local:
        return f"is {link_local_words(ip)}; {give}"
    why = _unusable(ip)
    return None if why is None else f"is {why}: no host is reached there"


def _not_private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why a ``private_address`` of ``ip`` (loopback aside) is no private network's (:data:`PRIVATE_NETWORKS`)."""
    if ip.is_loopback or in_private_network(ip):
        return None
    reserved = reserved_block(ip)
    if reserved is not None:  # no address the Internet reaches: a block of its own (documentation, ...)
        return (
            f"is not an address of a private network: it is {reserved}; it must be the host's address in a "
            "private network, where MariaDB listens on the db host and the web hosts and phpMyAdmin reach it: "
            f"{PRIVATE_NETWORKS_WORDS}"
        )
    return (
        "is not an address of a private network: MariaDB listens on the db host's private address and "
        "the web hosts and phpMyAdmin reach it from theirs, so an address the Internet reaches puts the "
        f"database on the Internet; give an address of {PRIVATE_NETWORKS_WORDS}"
    )


_LOOPBACK_PRIVATE = "is a loopback address (only with connection: local)"


def _refused_private_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why a host's ``private_address`` refuses ``ip`` (:func:`_check_host_addresses`), a loopback one told to be
    taken with connection: local only: the address a message offers is judged without the host's connection."""
    why = _not_one_host(ip, _GIVE_PRIVATE_ADDRESS) or _not_private(ip)
    return _LOOPBACK_PRIVATE if why is None and ip.is_loopback else why


def _refused_host_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why a host's ``address`` refuses ``ip``, as :func:`_refused_private_address` judges it."""
    why = _not_one_host(ip, _GIVE_HOST_ADDRESS)
    return "is this machine (loopback), taken only with connection: local" if why is None and ip.is_loopback else why


_THIS_MACHINE_OVER_SSH = (
    "is this machine, not a host reached over ssh: write the host's own address (connection: local is for the "
    "admin's own machine, as the dev stack does)"
)


def _check_host_addresses(hosts: dict[str, HostSpec]) -> None:
    """Two ssh hosts never share an address; an address is one a host can hold; ssh keeps its own port; a
    ``private_address`` is in a private network (:data:`PRIVATE_NETWORKS`), or loopback with ``connection: local``:
    MariaDB listens on the db host's and lets the web hosts' in, so a public one opens the database to the
    Internet. Raises :class:`SubfieldError` at the host's field."""
    seen: dict[str, str] = {}
    for name, host in hosts.items():
        for what in ("address", "private_address"):
            value = getattr(host, what)
            give = _GIVE_HOST_ADDRESS if what == "address" else _GIVE_PRIVATE_ADDRESS
            why = _not_one_host(ipaddress.ip_address(value), give) if is_ip(value) else None
            if why is not None:
                raise SubfieldError((name, what), why)
        if host.connection == "ssh" and is_this_machine(host.address):
            raise SubfieldError((name, "address"), _THIS_MACHINE_OVER_SSH)
        private = ipaddress.ip_address(host.private_address)
        if private.is_loopback and host.connection != "local":
            raise SubfieldError((name, "private_address"), _LOOPBACK_PRIVATE)
        if (why := _not_private(private)) is not None:
            raise SubfieldError((name, "private_address"), why)
        if host.connection == "local":
            continue  # every local host is the admin's own machine
        for what, value in (("address", host.address), ("private_address", host.private_address)):
            key = _same_host_key(value)
            if seen.get(key, name) != name:  # a host may use one address for both
                raise SubfieldError((name, what), f"is also the address of {seen[key]}: each host has its own")
            seen[key] = name


def _check_public_addresses(hosts: dict[str, HostSpec]) -> None:
    """A host's ``public_addresses`` (its names' A/AAAA in the zones NSD serves) are none of another host's own:
    not its private address, nor, between web hosts (each front proxy answers 80 and 443 at its addresses),
    its address or public addresses. One public address before a web host and the db host (a NAT forwarding
    ssh on another port) is allowed."""
    order = list(hosts)
    for name, host in hosts.items():
        for i, text in enumerate(host.public_addresses):
            address = ipaddress.ip_address(text)
            for other_name, other in hosts.items():
                if other_name == name or other.connection == "local":
                    continue
                published = [ipaddress.ip_address(a) for a in other.public_addresses]
                web = host.role == other.role == "web"
                if ipaddress.ip_address(other.private_address) == address:
                    what = "the private_address"
                elif web and is_ip(other.address) and ipaddress.ip_address(other.address) == address:
                    what = "also the address"
                elif web and address in published and order.index(other_name) < order.index(name):
                    what = f"also public_addresses[{published.index(address)}]"  # said once, at the second host
                else:
                    continue
                raise SubfieldError(
                    (name, "public_addresses", i),
                    f"is {what} of {other_name}: {name}'s names and sites would lead to {other_name}; "
                    f"give the addresses the Internet reaches {name} at",
                )


def _one_connection(hosts: dict[str, HostSpec]) -> None:
    """Every host ``connection: local`` (the admin's own machine: the dev stack) or none: a local db
    host is a container on the admin's engine, which no host reached over ssh can reach (and a local web
    host would be given a remote db host's private address to forward to)."""
    local = sorted(name for name, host in hosts.items() if host.connection == "local")
    remote = sorted(name for name, host in hosts.items() if host.connection == "ssh")
    if local and remote:
        raise SubfieldError(
            (local[0], "connection"),
            f"is local while {', '.join(remote)} {'is' if len(remote) == 1 else 'are'} reached over ssh: the hosts "
            "of a stack are all on the admin's own machine (connection: local, the dev stack) or all reached "
            "over ssh",
        )


def _one_private_family(hosts: dict[str, HostSpec]) -> None:
    """The web hosts' private addresses are of the db host's family (IPv4 or IPv6): a web host reaches
    MariaDB at the db host's private address, from its own of that family, and the db host lets in and
    grants only the web hosts' private addresses (a web host with an IPv6 one and a db host with an IPv4
    one could never connect)."""
    db_name, db = next((name, host) for name, host in hosts.items() if host.role == "db")
    if db.connection == "local":  # the dev stack: the db container is reached on the loopback (pic:db.dev_port)
        return
    family = ipaddress.ip_address(db.private_address).version
    for name, host in hosts.items():
        if host.role == "web" and ipaddress.ip_address(host.private_address).version != family:
            raise SubfieldError(
                (name, "private_address"),
                f"is an IPv{6 if family == 4 else 4} address and the db host's ({db_name}: {db.private_address}) "
                f"an IPv{family} one: the web host reaches MariaDB on the private network from its private "
                "address, the only one the db host lets in; give the web and db hosts private addresses of "
                "one family",
            )


NAME_MAX = 255  # bytes of one file name on Linux (limits.h); members_root is ASCII, so characters
MEMBERS_ROOT_MAX = 1024  # leaves PATH_MAX (4,096) room for <root>/<slug>/www/... below it


def _normalised_offer(root: str) -> str:
    """``: write 'PATH'``, ``root`` without its '.', '//' and final '/' when that is a members root taken; nothing
    for a path holding '..' (which directory it names depends on the links before it), else an example."""
    if ".." in root.split("/"):
        return " (e.g. /srv/members)"
    meant = "/" + path_folders(root)
    try:
        check_members_root(meant)
    except ValueError:
        return " (e.g. /srv/members)"
    return f": write {meant!r}"


def check_members_root(root: str) -> str:
    """An absolute, normalised path that is not, nor lies under, a system directory or the platform's own.

    Raises ValueError saying which: ``/`` is an absolute path of the characters allowed, and is said to be the
    root directory itself (it was refused as no such path, which it is)."""
    if root == "/":
        raise ValueError(
            "is the root directory itself, which the set-up script would re-mode and every directory of the "
            "machine lies under: use a directory of its own, e.g. /srv/members"
        )
    if root.endswith("/") or "//" in root or any(p in (".", "..") for p in root.split("/")[1:]):
        raise ValueError(f"is not a normalised path: no '.', '..', '//' or final '/'{_normalised_offer(root)}")
    longest = max(root.split("/"), key=len)
    if len(longest) > NAME_MAX:
        raise ValueError(
            f"has a directory name of {len(longest)} characters: Linux allows at most {NAME_MAX} (NAME_MAX)"
        )
    if len(root) > MEMBERS_ROOT_MAX:
        raise ValueError(
            f"is {len(root)} characters long (at most {MEMBERS_ROOT_MAX}): the members' files lie below it, "
            "and Linux refuses paths of more than 4,095 (PATH_MAX)"
        )
    for tree in SYSTEM_TREES:
        if root == tree or root.startswith(f"{tree}/"):
            raise ValueError(f"is under the system directory {tree}: use a directory of its own, e.g. /srv/members")
    if root == PLATFORM_DIR or root.startswith(f"{PLATFORM_DIR}/"):
        raise ValueError(
            f"is under {PLATFORM_DIR}, the platform's own directory (the front proxy's data, the ACME "
            "webroot), where a member's space could be one of them: use a directory of its own, e.g. /srv/members"
        )
    if root in SYSTEM_DIRS:
        raise ValueError("is a system directory that the set-up script would re-mode: use e.g. /srv/members")
    if root.startswith("/home/"):
        raise ValueError(
            "is in a user's home directory, which that user owns: sshd chroots the members into their spaces only "
            "when every directory above them is root's (the set-up script refuses it); use e.g. /srv/members"
        )
    return root


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def version_key(key: str) -> tuple[int, ...]:
    return tuple(int(p) for p in key.split("."))


# The keys of a stack file pic reads (Pulumi's ProjectStack): the settings, and how its secrets are encrypted.
_TOP_LEVEL_KEYS = ("config", "secretsprovider", "encryptedkey", "encryptionsalt")
_WRITE_HERE = "write the settings in this file's config:, secrets with `pulumi config set --secret`, and remove the key"
# Pulumi ESC environments (a stack file's environment: key) give a stack settings from Pulumi Cloud, where
# pic check, pic plan and the reviewers never see them; the platform's state is in a self-managed backend.
_ENVIRONMENT_WORDS = (
    "imports Pulumi ESC environments, whose values pulumi up would take as settings that pic check, pic plan "
    "and the reviewers never see (and that a self-managed backend cannot open): write the settings in this "
    "file's config:, secrets with `pulumi config set --secret`"
)
# What a top-level key other than those brings in from outside the file, and why it is refused.
_FOREIGN_KEYS = {
    "environment": _ENVIRONMENT_WORDS,
    # Pulumi 3.2xx: one ESC environment that is the stack's configuration and takes `pulumi config set`'s writes.
    "mainEnvironment": (
        "names a Pulumi ESC environment as the stack's configuration (pulumi config set writes there, pulumi up "
        "reads it), whose values are settings that pic check, pic plan and the reviewers never see (and that a "
        f"self-managed backend cannot open): {_WRITE_HERE}"
    ),
    # An ESC environment definition's own keys, written at the top of the stack file (copied from an environment).
    "imports": (
        "is a key of a Pulumi ESC environment definition (imports:, values:), not of a stack file: environments "
        f"imported would give settings that pic check, pic plan and the reviewers never see; {_WRITE_HERE}"
    ),
    "values": (
        "is a key of a Pulumi ESC environment definition (imports:, values:), not of a stack file: its "
        f"pulumiConfig would be settings that pic check, pic plan and the reviewers never see; {_WRITE_HERE}"
    ),
}


# Fields of Settings that pic fills itself, never read from the file.
_PROGRAM_FIELDS = {
    "stack": "the stack's name is the file's (Pulumi.<stack>.yaml), never written in it",
    "secrets": "each secret is a key of its own, set with `pulumi config set --secret pic:<name>` (never in clear)",
}


def _top_level_problems(doc: Document, data: dict[Any, Any]) -> list[Problem]:
    """The top-level keys of a stack file pic does not read, each at its line: those that bring settings from
    outside the file (Pulumi ESC's environment:, mainEnvironment:, an environment definition's imports: and
    values:), and any other, which a Pulumi that reads it could take as settings no one reviewed; and a key of
    the secrets' encryption written without text (``encryptionsalt: ~``)."""
    problems = []
    for key, value in data.items():
        where = doc.line_of((key,))
        field = shown_loc((str(key),))  # a key that reads as a secret is not shown
        if key in _FOREIGN_KEYS:
            problems.append(Problem(doc.file, where, field, _FOREIGN_KEYS[key]))
        elif key not in _TOP_LEVEL_KEYS:
            close = difflib.get_close_matches(str(key).lower(), _TOP_LEVEL_KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            why = (
                f"is not a key of a stack file that pic reads (known: {', '.join(_TOP_LEVEL_KEYS)}): whatever a "
                f"Pulumi that knows it takes from it, pic check, pic plan and the reviewers never see; remove it{hint}"
            )
            problems.append(Problem(doc.file, where, field, why))
        elif key != "config" and not (isinstance(value, str) and value.strip()):
            what = "is empty (null)" if value is None else f"{shown_unless_secret(value)} is not the text Pulumi writes"
            why = (
                f"{what}: give the value Pulumi wrote there (pulumi stack init, pulumi stack change-secrets-provider), "
                "or remove the key"
            )
            problems.append(Problem(doc.file, where, field, why))
    return problems


def _strip_namespace(doc: Document) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    data = doc.data
    if data is None:  # an empty file, or one of comments only
        why = "is empty (or holds only comments): a stack file is a mapping with a config: key holding the settings"
        return {}, [Problem(doc.file, doc.line_of(()), "", why)]
    if not isinstance(data, dict):
        return {}, [Problem(doc.file, doc.line_of(()), "", f"{show_value(data)} is not a mapping with a config: key")]
    problems += _top_level_problems(doc, data)
    config = data.get("config")
    if not isinstance(config, dict):
        why = (
            "is empty (null): give the stack's settings under it (pic:hosts, pic:runtimes, ...)"
            if "config" in data and config is None
            else "is required and must be a mapping"
        )
        problems.append(Problem(doc.file, doc.line_of(("config",)), "config", why))
        return {}, problems
    ours: dict[str, Any] = {}
    secrets: dict[str, SecretRef] = {}
    symmetric = "encryptionsalt" in data or "encryptedkey" in data  # a passphrase or a cloud KMS key
    keys = frozenset(str(key) for key in config)
    for full_key, value in config.items():
        namespace, colon, key = str(full_key).partition(":")
        if namespace != NAMESPACE or not colon:
            problems += _foreign_setting_problems(doc, str(full_key), value, passphrase=symmetric, others=keys)
            continue  # provider settings (docker:host, mysql:endpoint, ...) belong to them
        refusal = _refused_value(str(full_key), key, value, passphrase=symmetric, others=keys)
        if refusal is not None:
            loc, why = refusal
            problems.append(Problem(doc.file, doc.line_of(("config", *loc)), f"config.{shown_loc(loc)}", why))
        elif isinstance(value, dict | list):
            for inside in _secrets_inside(value, (str(full_key),)):
                where = doc.line_of(("config", *inside))
                problems.append(Problem(doc.file, where, f"config.{format_loc(inside)}", _secret_inside(inside)))
        if isinstance(value, dict) and set(value) == {"secure"}:
            if refusal is None or key not in (*SECRET_KEYS, *OPTIONAL_SECRET_KEYS):
                secrets[key] = SecretRef(key)
        elif refusal is None:
            ours[key] = value
            for empty in _nulls(value, (str(full_key),)):
                where = doc.line_of(("config", *empty))
                problems.append(Problem(doc.file, where, f"config.{shown_loc(empty)}", _empty((key, *empty[1:]))))
    ours["secrets"] = secrets
    return ours, problems


# What becomes of a key of a mapping of the settings (``pic:runtimes: {"8.4": ~}``) once removed: no default takes
# its place.
_WITHOUT_KEY = {
    "hosts": "the stack then has no host {key} (no default takes its place), and whatever names it (a member's "
    "host:, pic:mail.host, pic:default_web_host...) is refused",
    "runtimes": "the stack then has no runtime {key} (no default takes its place), and a member whose site.php is "
    "{key} is refused",
    "base_images": "the images on {key} are then built FROM pic/debian:{key} as it is at the time, not pinned",
}


def _empty(loc: tuple[str | int, ...]) -> str:
    """What to do with a key written without a value at ``loc`` (field names of :class:`Settings`, keys
    of its mappings), and what removing it does: a required key has no default, a key of a mapping (a host,
    a runtime) none either, an optional one is left to its default (said) or unset."""
    current: Any = Settings
    mapping: str | None = None  # the field whose keys are free (pic:runtimes), when the next part is one
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if mapping is not None:  # a key of a mapping (a host's name, a runtime): its items' model
            if last:
                what = "its settings" if isinstance(current, type) and issubclass(current, BaseModel) else "its value"
                without = _WITHOUT_KEY.get(mapping, "nothing takes its place").format(key=part)
                return f"is empty (null): give {what}, or remove the key: {without}"
            mapping = None
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            break
        field = current.model_fields[part]
        if last:
            return _empty_field(field)
        if _is_mapping(field.annotation):
            mapping = str(part)
        current = _unwrap(field.annotation)
    return "is empty (null): give its value, or remove the key"


def _is_mapping(annotation: Any) -> bool:
    """True for ``dict[...]``, also behind ``Annotated`` and ``| None``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_mapping(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_mapping(arg) for arg in typing.get_args(annotation))
    return origin is dict


def _empty_field(field: FieldInfo) -> str:
    if field.is_required():
        return "is empty (null): give its value (it is required, with no default)"
    default = field.get_default(call_default_factory=True)
    if default is None:
        return "is empty (null): give its value, or remove the key to leave it unset"
    if isinstance(default, BaseModel):
        return "is empty (null): give its value, or remove the key to leave it to its defaults"
    return f"is empty (null): give its value, or remove the key to leave it to its default ({show_value(default)})"


def _nulls(value: object, loc: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """Where a mapping below ``value`` has a key with no value (``mx: ~``, ``offsite:``), which the
    models would take as absent: the admin wrote the key for something."""
    if isinstance(value, dict):
        return [
            found
            for key, item in value.items()
            for found in ([(*loc, key)] if item is None else _nulls(item, (*loc, key)))
        ]
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in _nulls(item, (*loc, i))]
    return []


# The ciphertexts of Pulumi's secrets providers (pkg/secrets): the passphrase provider and the cloud KMS
# ones (with the data key of the stack file's encryptedkey) write "v1:" + base64(nonce) + ":" +
# base64(AES-256-GCM ciphertext and tag) (config.NewSymmetricCrypter); the service (Pulumi Cloud) writes
# base64 of its ciphertext. An AES-GCM tag alone is 16 bytes: no ciphertext is shorter.
_MIN_CIPHERTEXT_BYTES = 16
_BASE64 = LazyPattern(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def _is_ciphertext(text: str, *, passphrase: bool = False) -> bool:
    """Whether ``text`` has the form of a ciphertext Pulumi writes (its content cannot be checked without the key);
    ``passphrase``: the passphrase provider's form only."""
    parts = text.split(":")
    if len(parts) == 3 and parts[0] == "v1":
        parts = parts[1:]
        body = parts[1]
    elif len(parts) == 1 and not passphrase:
        body = parts[0]
    else:
        return False
    if not all(part and _BASE64.fullmatch(part) for part in parts):
        return False
    return len(base64.b64decode(body)) >= _MIN_CIPHERTEXT_BYTES


def _refused_value(
    full_key: str, key: str, value: object, *, passphrase: bool = False, others: frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], str] | None:
    """Why the value of ``pic:<key>`` is refused before the model reads it, and where; or None.

    ``passphrase``: the stack file has an ``encryptionsalt`` or an ``encryptedkey`` (Pulumi's passphrase
    or cloud KMS secrets provider), whose ciphertexts all start with ``v1:``. ``others``: the keys of the file's
    config:, to say the secret meant is given too (``pic:DbAdminPassword`` beside ``pic:dbAdminPassword``)."""
    known = (*SECRET_KEYS, *OPTIONAL_SECRET_KEYS)
    loc: tuple[str, ...] = (full_key,)
    why = None
    if key in _PROGRAM_FIELDS:
        why = f"is not a setting: {_PROGRAM_FIELDS[key]}"
    elif isinstance(value, dict) and set(value) == {"secure"} and key not in known and key in Settings.model_fields:
        # a setting pic reads in clear (it decrypts none but its secrets): told so, whatever the ciphertext
        why = (
            "is a setting pic reads in clear, written as a secret ({secure: ...}, not shown): write its value itself "
            "in the stack file, in clear as the other settings are (a mapping, a list or a number as YAML writes it, "
            "which `pulumi config set` without --path would write as text)"
        )
    elif isinstance(value, dict) and set(value) == {"secure"}:
        secure = value["secure"]
        if secure is None or (isinstance(secure, str) and not secure.strip()):
            loc = (full_key, "secure")
            empty = "is empty (null)" if secure is None else f"{show_value(secure)} is empty"
            command = f"pulumi config set --secret {full_key}"
            why = f"{empty}, no ciphertext: set the secret with `{command}`, which writes it"
        elif not isinstance(secure, str) or not _is_ciphertext(secure, passphrase=passphrase):
            loc = (full_key, "secure")
            why = _not_a_ciphertext(f"--secret {full_key}", passphrase=passphrase)
        elif key not in known:
            meant = meant_among(key, known)
            hint = f"; did you mean {meant!r}?" if meant is not None else ""
            if meant is not None and f"{NAMESPACE}:{meant}" in others:
                hint += f" ({NAMESPACE}:{meant} is given too: keep one)"
            why = f"is a secret, but pic knows no secret of that name (known: {', '.join(known)}){hint}"
            why += _a_providers(key)
    elif value is None and key in known:  # a secret has no default to fall back to
        why = f"is empty (null): set the secret with `pulumi config set --secret {full_key}`, which writes it"
    elif value is None:
        why = _empty((key,))
    elif key in known and (fault := _secret_fault(value, passphrase=passphrase)) not in (None, "plain", "secure"):
        why = _secret_fault_words(fault, f"--secret {full_key}")  # "", true, a list: no secret, said what it is
    elif key in known:
        why = (
            f"holds a plain value: secrets are set with `pulumi config set --secret {full_key}` "
            "and never written in clear"
        )
    elif key not in Settings.model_fields and _holds_text(value):
        why = _unknown_secret(key)
        why = None if why is None else why + _a_providers(key)
    return None if why is None else (loc, why)


def _a_providers(key: str) -> str:
    """What to add of a key of pic that is the secret of a provider pic knows (``pic:password``: ``mysql:password``,
    ``pic:keyMaterial``), said in another case too; "" for any other."""
    meant = [
        f"{namespace}:{secret}"
        for namespace, secrets in PROVIDER_SECRETS.items()
        for secret in secrets
        if "." not in secret and secret.casefold() == key.strip().casefold()
    ]
    return f" (or {' or '.join(meant)}, a provider's, if it is meant)" if meant else ""


def _unknown_secret(key: str) -> str | None:
    """Why ``pic:<key>``, a key pic does not know, written in clear, is refused here rather than as an unknown
    key of the settings: a slip of one of pic's secrets (``dbAdminPasword``: did you mean it), or a name that
    reads as a secret's (``mailPassword``): its value is a secret in clear, never shown. None for any other key."""
    known = (*SECRET_KEYS, *OPTIONAL_SECRET_KEYS)
    meant = meant_among(key, known)
    if meant is not None:
        return (
            f"unknown key; did you mean {meant!r}? It is a secret: it holds a plain value (not shown), and secrets "
            f"are set with `pulumi config set --secret {NAMESPACE}:{meant}` and never written in clear"
        )
    if secret_name(key):
        return (
            f"unknown key, under a secret's name, holding a plain value (not shown): pic's secrets are "
            f"{', '.join(known)}, set with `pulumi config set --secret {NAMESPACE}:<name>` and never written in clear"
        )
    return None


def _secrets_inside(value: object, loc: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """The paths of the keys inside a setting of pic whose name reads as a secret's and that hold something in
    clear (``pic:smtp: {password: ...}``): no field of pic's settings is named so (pic's secrets are keys of their
    own), so each is a secret written in clear where pic reads none."""
    found: list[tuple[str | int, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for name, item in items:
        if name == "secure":  # Pulumi's ciphertext (a nested secret), or one written by hand: the model says which
            continue
        if isinstance(name, str) and secret_name(name) and _holds_text(item):
            found.append((*loc, name))
        elif isinstance(item, dict | list):
            found += _secrets_inside(item, (*loc, name))
    return found


def _secret_inside(loc: tuple[str | int, ...]) -> str:
    """Why a key named for a secret inside a setting of pic is refused (:func:`_secrets_inside`), with the secret
    of pic it may be meant as (``pic:smtp.password``: smtpPassword)."""
    known = (*SECRET_KEYS, *OPTIONAL_SECRET_KEYS)
    words = [str(loc[0]).partition(":")[2], *(part for part in loc[1:] if isinstance(part, str))]
    meant = meant_among("_".join(words), known)
    target = f"{NAMESPACE}:{meant}" if meant is not None else f"{NAMESPACE}:<name>"
    hint = f"; did you mean {target}?" if meant is not None else f" (pic's secrets: {', '.join(known)})"
    return (
        f"unknown key, under a secret's name, holding a plain value (not shown): pic's secrets are keys of their "
        f"own, set with `pulumi config set --secret {target}` and never written in clear{hint}"
    )


def _holds_text(value: object) -> bool:
    """Whether a setting's value holds something written in clear: a text or a number (not true or false, which
    holds no secret), also in a list or a mapping; a ``secure:`` value is no clear text."""
    if isinstance(value, dict):
        return set(value) != {"secure"} and any(_holds_text(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_text(item) for item in value)
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, int | float | dt.date) and not isinstance(value, bool)


def _not_a_ciphertext(command: str, *, passphrase: bool) -> str:
    """Why a ``secure:`` value is refused, never showing it (it may be the secret itself, written by hand);
    ``command``: the arguments of ``pulumi config set`` that write it."""
    form = (
        "v1:NONCE:CIPHERTEXT, as the stack's secrets provider (encryptionsalt, encryptedkey) writes it"
        if passphrase
        else "v1:NONCE:CIPHERTEXT with a passphrase or a cloud KMS key, base64 with Pulumi Cloud"
    )
    return (
        f"is not a ciphertext Pulumi writes ({form}, at least {_MIN_CIPHERTEXT_BYTES} bytes): `pulumi up` "
        f"could not decrypt it; set the secret with `pulumi config set {command}` (the value is not shown)"
    )


# The settings of the providers the program uses, as their SDKs read them from the stack file (the keys of
# pulumi_mysql.config, pulumi_docker.config and pulumi_tls.config; pulumi-command and pulumi-random read none), and
# the keys of the objects two of them hold (pulumi_docker.config.outputs.RegistryAuth, pulumi_tls's Proxy).
PROVIDER_SETTINGS: dict[str, tuple[str, ...]] = {
    "mysql": (
        "authenticationPlugin",
        "endpoint",
        "maxConnLifetimeSec",
        "maxOpenConns",
        "password",
        "proxy",
        "tls",
        "username",
    ),
    "docker": (
        "caMaterial",
        "certMaterial",
        "certPath",
        "context",
        "disableDockerDaemonCheck",
        "host",
        "keyMaterial",
        "registryAuth",
        "sshOpts",
    ),
    "tls": ("proxy",),
    "command": (),
    "random": (),
}
PROVIDER_OBJECTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("docker", "registryAuth"): ("address", "authDisabled", "configFile", "configFileContent", "password", "username"),
    ("tls", "proxy"): ("fromEnv", "password", "url", "username"),
}
# Those of them that hold a secret, by path (a setting, or setting.key in the objects it holds), with what each
# holds: what the providers' schemas mark secret (docker's registryAuth password) and what their SDKs describe as a
# password, a private key, a token or the content of a file of credentials (a docker config.json's auths:
# base64 of user:password). tests/test_settings.py derives them from the installed SDKs. Each is written
# `{secure: CIPHERTEXT}` (pulumi config set --secret, --path inside a setting), never in clear, never empty.
PROVIDER_SECRETS: dict[str, dict[str, str]] = {
    "mysql": {"password": "the password the provider logs in with"},
    "docker": {
        "keyMaterial": "the docker client's private key (PEM)",
        "registryAuth.password": "a registry's password",
        "registryAuth.configFileContent": "a docker config.json, whose auths hold a registry's credentials",
    },
    "tls": {
        "proxy.password": "the proxy's password",
        "proxy.username": "the proxy's user name, which its SDK says may be a token",
    },
}
# The settings that hold a list of objects (docker's registryAuth), written registryAuth[0].password by --path.
_PROVIDER_LISTS = frozenset({("docker", "registryAuth")})
# A secret's name that names no password (a key, a token, a file's content): never taken as a slip of `password`.
_NOT_A_PASSWORD = LazyPattern(r"key|token|secret|ssh|api|access|private|material|secure|content", re.IGNORECASE)


def _provider_secret_paths(namespace: str) -> list[str]:
    """The secret settings of ``namespace``'s provider as its --path writes them (``registryAuth[].password``)."""
    shown = []
    for path in PROVIDER_SECRETS.get(namespace, {}):
        key, dot, field = path.partition(".")
        shown.append(f"{key}[].{field}" if dot and (namespace, key) in _PROVIDER_LISTS else path)
    return shown


def _provider_namespace(namespace: str) -> str | None:
    """The provider pic knows (:data:`PROVIDER_SETTINGS`) that ``namespace`` is, or is in another case, with spaces,
    or a slip of (``MySQL``, ``mysql ``, ``dokcer``, ``mуsql`` with a Cyrillic у); None for any other."""
    if namespace in PROVIDER_SETTINGS:
        return namespace
    folded = unicodedata.normalize("NFKC", namespace).casefold().strip()
    if folded in PROVIDER_SETTINGS:
        return folded
    if folded == NAMESPACE:
        return None
    return meant_among(folded, PROVIDER_SETTINGS)


def _meant_key(name: str, keys: tuple[str, ...]) -> str | None:
    """The key of ``keys`` that ``name`` is a slip or another case of (``pasword``, ``Endpoint``, ``password ``), or
    ``password`` for a name that reads as a password's (``pass``, ``pwd``, ``dbPassword``) where ``password`` is one
    of them; None for any other name."""
    meant = meant_among(name, keys) if keys else None
    if meant is None and "password" in keys and secret_name(name) and _NOT_A_PASSWORD.search(name) is None:
        return "password"
    return meant


def _deeper_secret(namespace: str, name: str) -> tuple[str | int, ...] | None:
    """The path of the one secret of ``namespace``'s provider inside a setting that ``name``, written as a setting of
    its own, is meant as (``docker:password``: ``docker:registryAuth[0].password``; ``tls:pasword``:
    ``tls:proxy.password``), or None."""
    deeper = [path.partition(".") for path in PROVIDER_SECRETS.get(namespace, {}) if "." in path]
    meant = _meant_key(name, tuple(field for _, _, field in deeper))
    found = [(key, field) for key, _, field in deeper if field == meant]
    if len(found) != 1:
        return None
    key, field = found[0]
    return (f"{namespace}:{key}", 0, field) if (namespace, key) in _PROVIDER_LISTS else (f"{namespace}:{key}", field)


def _set_command(target: tuple[str | int, ...]) -> str:
    """The arguments of ``pulumi config set`` that write the secret at ``target`` (``--secret mysql:password``,
    ``--path --secret 'docker:registryAuth[0].password'``)."""
    path = format_loc(target)
    return f"--secret {path}" if len(target) == 1 else f"--path --secret '{path}'"


def _secret_fault(value: object, *, passphrase: bool) -> str | None:
    """What the value under a secret's key is when it is no ciphertext Pulumi wrote: ``"secure"`` for a
    ``secure:`` value that is none (written by hand), ``"plain"`` for a text or a number in clear (never shown),
    else what it is, which holds no secret and can be said (``is empty (null)``, ``is true``, ``is a list``); None
    for ``{secure: CIPHERTEXT}``."""
    if isinstance(value, dict) and set(value) == {"secure"}:
        secure = value["secure"]
        return None if isinstance(secure, str) and _is_ciphertext(secure, passphrase=passphrase) else "secure"
    if value is None:
        return "is empty (null)"
    if isinstance(value, bool):
        return f"is {str(value).lower()}, a flag, not a secret"
    if isinstance(value, str) and not value.strip():
        return "is empty text" if not value else "is blank text (spaces only)"
    if isinstance(value, list | dict):
        kind = "a list" if isinstance(value, list) else "a mapping"
        held = " holding values in clear (not shown)" if _holds_text(value) else (" (empty)" if not value else "")
        return f"is {kind}{held}, not one text"
    return "plain"


def _in_clear(held: str, command: str) -> str:
    """Why a secret written in clear is refused: ``held``, what it is (never the value); ``command``: the arguments
    of ``pulumi config set`` that write it."""
    return f"holds {held}: secrets are set with `pulumi config set {command}` and never written in clear"


def _secret_fault_words(fault: str, command: str, holds: str = "") -> str:
    """Why a secret's key holding ``fault`` (:func:`_secret_fault`, not ``"secure"``) is refused; ``command``: the
    arguments of ``pulumi config set`` that write the secret; ``holds``: what the secret is (said when given)."""
    if fault == "plain":
        return _in_clear("a plain value (not shown) under a secret's name", command)
    what = f" ({holds})" if holds else ""
    return (
        f"{fault}: a secret's key{what} holds what `pulumi config set {command}` writes there (secure: and a "
        f"ciphertext), never a value in clear nor an empty one; set the secret so, or remove the key"
    )


def _quoted_key(name: str) -> str:
    return f"'{shown_loc((name,))}'"


def _no_such_key(
    namespace: str,
    name: str,
    parent: tuple[str | int, ...],
    keys: tuple[str, ...],
    *,
    meant: str | None,
    other: tuple[str | int, ...] | None = None,
) -> str:
    """What to say of a key its provider does not take (``parent``: the setting it is in, when it is a key of its
    object): which provider, what it takes there, and the key meant (``other``: where its provider reads it, not
    beside it); or its secrets for a key named for one."""
    if not keys:
        return (
            f"the {namespace} provider takes no settings (no key {_quoted_key(name)}), which it would ignore or "
            "refuse: remove it"
        )
    where = f" in {shown_loc(parent)}" if parent else ""
    said = (
        f"the {namespace} provider takes no key {_quoted_key(name)}{where} (its keys: {', '.join(keys)}), which it "
        "would ignore or refuse"
    )
    if meant is not None:
        return f"{said}; did you mean {meant!r}?"
    if other is not None:  # inside another setting (docker:registryAuth[0].password), another provider's
        return f"{said}; did you mean {format_loc(other)!r}?"
    if secret_name(name) and PROVIDER_SECRETS.get(namespace):
        return f"{said}; its secrets: {', '.join(_provider_secret_paths(namespace))}"
    return f"{said}: remove it"


@dataclass(frozen=True, eq=False, repr=False)
class _ProviderKey:
    """A key of a provider's setting as written: the setting itself (``mysql:pass``) or a key of an object it holds
    (``docker:registryAuth[0].pwd``), with what the provider takes there and the key it is meant as."""

    namespace: str  # the provider's, whatever namespace the file writes
    loc: tuple[str | int, ...]  # the path as written
    keys: tuple[str, ...]  # what the provider takes there
    prefix: str  # "" for a setting, "registryAuth." for a key of its objects
    target_parent: tuple[str | int, ...]  # the path of its object as the provider reads it; () for a setting

    @property
    def name(self) -> str:
        return str(self.loc[-1]) if self.prefix else str(self.loc[0]).partition(":")[2]

    @property
    def meant(self) -> str | None:
        return self.name if self.name in self.keys else _meant_key(self.name, self.keys)

    @property
    def target(self) -> tuple[str | int, ...] | None:
        """The path the provider reads for it (``mysql:password`` for ``mysql:pass``), or None."""
        meant = self.meant
        if meant is None:
            return None
        return (*self.target_parent, meant) if self.prefix else (f"{self.namespace}:{meant}",)

    @property
    def deeper(self) -> tuple[str | int, ...] | None:
        """A setting's name that is a secret of the provider inside another setting (``docker:password``)."""
        return _deeper_secret(self.namespace, self.name) if self.meant is None and not self.prefix else None

    @property
    def elsewhere(self) -> tuple[str | int, ...] | None:
        """A setting's name that no key of its provider is, but another provider's setting (``mysql:keyMaterial``:
        ``docker:keyMaterial``; ``docker:endpoint``: ``mysql:endpoint``), as written or a slip of it."""
        if self.prefix or self.meant is not None or self.deeper is not None:
            return None
        for namespace, keys in PROVIDER_SETTINGS.items():
            meant = self.name if self.name in keys else meant_among(self.name, keys) if keys else None
            if namespace != self.namespace and meant is not None:
                return (f"{namespace}:{meant}",)
        return None

    @property
    def other(self) -> tuple[str | int, ...] | None:
        """The path meant, where its provider reads it, when it is not beside the key (:attr:`deeper`,
        :attr:`elsewhere`)."""
        return self.deeper if self.deeper is not None else self.elsewhere

    @property
    def secret(self) -> str | None:
        """What the secret meant holds (:data:`PROVIDER_SECRETS`), "" for a name of a secret the provider does not
        take (``mysql:apiToken``); None for no secret."""
        meant = self.meant
        if meant is None and (elsewhere := self.elsewhere) is not None:
            namespace, _, name = str(elsewhere[0]).partition(":")
            holds = PROVIDER_SECRETS.get(namespace, {}).get(name)
            return holds if holds is not None or not secret_name(self.name) else ""
        holds = None if meant is None else PROVIDER_SECRETS.get(self.namespace, {}).get(f"{self.prefix}{meant}")
        if holds is None and meant != self.name and secret_name(self.name):  # mysql:username_pwd, near username
            return ""
        return holds


def _provider_secret_problem(
    key: _ProviderKey, item: object, unknown: str | None, *, passphrase: bool, twice: bool
) -> tuple[tuple[str | int, ...], str] | None:
    """Why a provider's secret setting (or a slip of one, ``unknown`` saying so) holding ``item`` is refused: no
    ciphertext (a value in clear, none, a flag, a list), said with the command that sets the key meant; or the key
    itself, not the provider's; None for a ciphertext under the key the provider reads."""
    fault = _secret_fault(item, passphrase=passphrase)
    set_at = key.target if key.target is not None and key.secret else key.other
    command = _set_command(set_at) if set_at is not None else "--secret <the key meant>"
    also = "" if unknown is None else f"; {unknown}"
    holds = key.secret or ""
    if fault is None:
        there = "" if twice or set_at is None else f" (set the secret there with `pulumi config set {command}`)"
        return None if unknown is None else (key.loc, f"{unknown}{there}")
    if fault == "secure":
        return (*key.loc, "secure"), _not_a_ciphertext(command, passphrase=passphrase) + also
    if fault == "plain" and isinstance(item, str) and (shaped := prose_secret(item)) is not None:
        return key.loc, f"{_in_clear(f'{shaped[0]} (not shown)', command)}{also}"  # a private key
    if fault == "plain" and holds and not secret_name(key.name) and not secret_name(key.meant or ""):
        # tls:proxy.username, a user name or a token
        what = f"a plain value (not shown) where the {key.namespace} provider takes a secret"
        return key.loc, f"{_in_clear(what, command)} ({holds}){also}"
    return key.loc, _secret_fault_words(fault, command, holds) + also


def _provider_problems(
    full_key: str, namespace: str, value: object, *, passphrase: bool, others: frozenset[str] = frozenset()
) -> list[tuple[tuple[str | int, ...], str]]:
    """The refusals of the setting ``full_key`` of a provider pic knows (``namespace``: the provider's, whatever
    namespace ``full_key`` is written in), as (path as written, why): a key the provider does not take (a slip of
    one, said; a name of a secret, with the provider's secrets; any other: its provider would ignore it or refuse
    it), a secret setting (:data:`PROVIDER_SECRETS`, or a slip of one) that holds no ciphertext (a value in clear,
    none, a flag, a list), each with the command that sets the one meant, and a text shaped like a secret under
    any other key. ``others``: the other keys of the file's config:, to say a key written twice in another case."""
    found: list[tuple[tuple[str | int, ...], str]] = []

    def check(key: _ProviderKey, item: object) -> None:
        meant, target = key.meant, key.target
        unknown = None
        if meant != key.name:
            unknown = _no_such_key(key.namespace, key.name, key.loc[:-1], key.keys, meant=meant, other=key.other)
        twice = unknown is not None and not key.prefix and f"{namespace}:{meant}" in others
        if twice:
            unknown = f"{unknown} ({namespace}:{meant} is given too: keep one)"
        if key.secret is not None:
            problem = _provider_secret_problem(key, item, unknown, passphrase=passphrase, twice=twice)
            found.extend([] if problem is None else [problem])
        elif unknown is not None:  # said once, with a secret in clear below it (mysql:endpont: ssh://u:PW@db)
            shaped = _shaped_secrets(key.loc, item, passphrase=passphrase, target=target)
            found.extend([(at, f"{why}; {unknown}" if i == 0 else why) for i, (at, why) in enumerate(shaped)])
            found.extend([] if shaped else [(key.loc, unknown)])
        elif (
            meant == "username"
            and "password" in key.keys
            and isinstance(item, str)
            and (pasted_password(item) or password_after_blank(item))
        ):
            # mysql:username, docker:registryAuth[0].username: 'bob:PW', the password beside the user name
            password = (*key.target_parent, "password") if key.prefix else (f"{key.namespace}:password",)
            command = f"`pulumi config set {_set_command(password)}`"
            # where the server's address and port go: mysql:endpoint, a registry's address, a proxy's url
            server = "address" if key.namespace == "docker" else "url"
            address = "mysql:endpoint" if not key.prefix else format_loc((*key.target_parent, server))
            blank = not pasted_password(item)  # bob PW, the password after a blank
            port = address if not blank and ends_with_port(item) else None
            found.append((key.loc, _pasted_password_words(format_loc(password), command, port, blank=blank)))
        elif key.prefix or target is None or (namespace, key.name) not in PROVIDER_OBJECTS:
            found.extend(_shaped_secrets(key.loc, item, passphrase=passphrase))
        else:
            fields = PROVIDER_OBJECTS[(namespace, key.name)]
            listed = (namespace, key.name) in _PROVIDER_LISTS
            if listed and isinstance(item, dict) and set(item) != {"secure"}:  # one registry, not in a list
                why = f"is a mapping: the {namespace} provider reads a list of them here (write `- address: ...`)"
                found.append((key.loc, why))
            for index, obj in enumerate(item) if isinstance(item, list) else [(None, item)]:
                base = key.loc if index is None else (*key.loc, index)
                parent = (*target, 0) if index is None and listed else target if index is None else (*target, index)
                if not isinstance(obj, dict) or set(obj) == {"secure"}:
                    found.extend(_shaped_secrets(base, obj, passphrase=passphrase))
                    continue
                for field, inner in obj.items():
                    if isinstance(field, str):
                        check(_ProviderKey(namespace, (*base, field), fields, f"{key.name}.", parent), inner)

    check(_ProviderKey(namespace, (full_key,), PROVIDER_SETTINGS[namespace], "", ()), value)
    said = [loc for loc, _ in found]
    for loc in _inner_nulls((full_key,), value):  # not said already, nor below a key said to be no provider's
        if not any(loc[: len(other)] == other for other in said):
            found.append((loc, _NULL_INSIDE))
    return found


# A key or an item left empty inside a provider's setting (docker:registryAuth: [{address: ~}]): no value Pulumi
# warns of (it does only for a setting's own key, _NO_VALUE), a null the provider gets in the object.
_NULL_INSIDE = "is empty (null): give its value or remove it"


def _inner_nulls(loc: tuple[str | int, ...], value: object) -> list[tuple[str | int, ...]]:
    """The paths of the nulls inside ``value`` (at ``loc``), in its mappings and lists at any depth; not ``value``
    itself."""
    found: list[tuple[str | int, ...]] = []

    def walk(at: tuple[str | int, ...], item: object) -> None:
        inner = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else ()
        for name, sub in inner:
            if sub is None:
                found.append((*at, name))
            else:
                walk((*at, name), sub)

    walk(loc, value)
    return found


# A URL's scheme (RFC 3986 §3.1: a letter, then letters, digits, +, - or .) and the "//" of its authority (§3.2).
_URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def _url_gives_password(text: str) -> bool:
    """Whether a URL in ``text`` gives a password in its userinfo (``user:password@``, RFC 3986 §3.2.1): one
    character or more, percent-encoded or not (``ssh://deploy:PW@web1``, ``redis://:pw@db``), as the standard
    library reads it (``urllib.parse.urlsplit``'s ``password``), or after a colon that is percent-encoded, once
    or more (``deploy%3APW@``, ``deploy%253APW@``: urllib reads a user ``deploy:PW`` and no password, but no login
    name holds a colon, /etc/passwd's separator); or a secret in its query or fragment of any length, a
    parameter named for one (``?password=PW``, ``&token=x``: :func:`pic.yamlsrc.secret_name`). A URL is read from
    its scheme and ``//``, wherever it starts in a word of ``text`` (``ProxyJump=ssh://jump:PW@bastion``), to the
    word's end; a text without ``//`` (``db.example.org:3306``) holds none. A user alone (``ssh://deploy@web1``,
    ``deploy%40example.org@``), an empty password (``deploy:@``, ``deploy%3A@``) or an empty parameter
    (``?password=``) gives none. A URL urlsplit refuses is read again without its brackets (an IPv6 address's,
    ``[2001:db8::1`` left open; RFC 3986 allows none in a userinfo); one it still refuses (a host whose NFKC form
    holds a ``/``, ``?``, ``#``, ``@`` or ``:``) is taken to give a password when it holds an ``@``. A colon is also
    one read in the NFKC form of the decoded userinfo (a full-width ``：``, U+FF1A, ``deploy%EF%BC%9APW@``: Unicode's
    compatibility form, UAX #15, which a reader and a copy-paste take as ``:``). A word without a scheme
    (``admin%3APW@db.example.org:3306``, the ``user:password@host:port`` of MySQL's clients and Docker's registries)
    gives a password when its part before its last ``@`` holds a colon only once percent-decoded; one written as is
    there (``admin:PW12345@db``) is prose's to read (:func:`pic.secrettext.prose_secret`), as a label before an
    address (``Contact:anne@example.org``) holds none."""
    for word in text.split():
        if _URL_START.search(word) is None and _encoded_userinfo_hides_password(word):
            return True
        for match in _URL_START.finditer(word):
            url = word[match.start() :]
            try:
                parts = urllib.parse.urlsplit(url)
            except ValueError:
                try:
                    parts = urllib.parse.urlsplit(url.replace("[", "").replace("]", ""))
                except ValueError:
                    if "@" in url:
                        return True
                    continue
            if parts.password or _userinfo_hides_password(parts.netloc) or _query_gives_secret(parts):
                return True
    return False


def _userinfo_hides_password(netloc: str) -> bool:
    """Whether the userinfo of ``netloc`` (before its last ``@``) holds a colon with something after it once
    percent-decoded, up to 4 times (``deploy%3APW``, ``deploy%253APW``), the decoded text read in its NFKC form
    (``deploy%EF%BC%9APW``, a full-width colon): a password whose colon was encoded."""
    userinfo, at, _ = netloc.rpartition("@")
    if not at:
        return False
    for _ in range(4):
        decoded = urllib.parse.unquote(userinfo)
        if decoded == userinfo:
            break
        userinfo = decoded
        if unicodedata.normalize("NFKC", userinfo).partition(":")[2]:
            return True
    return False


def _encoded_userinfo_hides_password(word: str) -> bool:
    """Whether ``word``, a text without a URL's scheme, is ``userinfo@host`` whose userinfo hides a password
    behind a colon percent-encoded (``admin%3APW@db.example.org:3306``, ``u%253APW@``, ``u%EF%BC%9APW@``:
    :func:`_userinfo_hides_password`). Only the part after the userinfo's last colon written as is is read, so
    that a label before it (``endpoint:admin%3APW@db``) is no password of its own."""
    userinfo, at, _ = word.rpartition("@")
    userinfo = userinfo.rpartition(":")[2]
    # a userinfo holds no path, query or fragment (RFC 3986 §3.2.1): /contact?next=https%3A%2F%2F...&to=anne@x is none
    if not at or "%" not in userinfo or any(ch in userinfo for ch in "/?#&="):
        return False
    return _userinfo_hides_password(userinfo + "@")


# A query's parameter named for a secret that holds none: a flag (?secure=true), or, as its last word, a word about
# the secret (token_type, tokenDuration, password_reset) or saying where it is kept (a file, a path, a name, a
# reference, an environment variable, an endpoint: password_file, secretRef, token_endpoint).
_QUERY_NOT_SECRET_WORD = frozenset(
    {"type", "duration", "ttl", "expiry", "expires", "reset", "length", "url", "uri", "file", "path", "dir", "name"}
    | {"ref", "env", "var", "endpoint", "policy", "source", "kind", "format", "mode", "method"}
)
_FLAG_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "0", "1"})


def _query_gives_secret(parts: urllib.parse.SplitResult) -> bool:
    """Whether the query or the fragment of ``parts`` gives a parameter named for a secret (``password``,
    ``token``, ``access_token``, ``client_secret``: :func:`pic.yamlsrc.secret_name`, in any case) a value; not a
    flag (``secure=true``) nor a parameter whose last word is about the secret or where it is kept (``token_type``,
    ``tokenDuration``, ``password_file``: :data:`_QUERY_NOT_SECRET_WORD`)."""
    for part in (parts.query, parts.fragment):
        for name, value in urllib.parse.parse_qsl(part, keep_blank_values=True):
            words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", name)
            last = words[-1].lower() if words else ""
            if value and value.lower() not in _FLAG_WORDS and last not in _QUERY_NOT_SECRET_WORD and secret_name(name):
                return True
    return False


def _shaped_secrets(
    loc: tuple[str | int, ...],
    value: object,
    *,
    passphrase: bool,
    by_name: bool = False,
    target: tuple[str | int, ...] | None = None,
) -> list[tuple[tuple[str | int, ...], str]]:
    """The refusals of the texts below ``loc`` that are secrets by their form (a private key, as the docker
    provider's ``keyMaterial`` holds; credentials in a URL; an access key: :func:`pic.secrettext.prose_secret`; and a
    URL's password of any length, ``docker:host: ssh://deploy:PW@web1``: :func:`_url_gives_password`) and of each
    ``secure:`` value that is no ciphertext (``{secure: hunter2}``, written by hand); ``by_name``: also each text
    or number under a key named for a secret (``aws:secretKey``, ``x:db.password``: :func:`pic.yamlsrc.secret_name`;
    a number whose last word names one, ``aws:dbPwd: 1234``). ``target``: ``loc`` as the key meant writes it
    (``mysql:endpoint`` for ``mysql:endpont``), in the commands said. The value is never shown."""
    found: list[tuple[tuple[str | int, ...], str]] = []

    def command(at: tuple[str | int, ...]) -> str:
        return _set_command(at if target is None else (*target, *at[len(loc) :]))

    def walk(at: tuple[str | int, ...], item: object) -> None:
        if isinstance(item, dict):
            for name, inner in item.items():
                if name != "secure":
                    walk((*at, name), inner)
                elif not isinstance(inner, str) or not _is_ciphertext(inner, passphrase=passphrase):
                    found.append(((*at, "secure"), _not_a_ciphertext(command(at), passphrase=passphrase)))
        elif isinstance(item, list):
            for index, inner in enumerate(item):
                walk((*at, index), inner)
        elif isinstance(item, str) and item.strip():
            if (shaped := prose_secret(item)) is not None:
                found.append((at, _in_clear(f"{shaped[0]} (not shown)", command(at))))
            elif _url_gives_password(item):  # a password shorter than prose's forms ask for (ssh://deploy:PW@web1)
                found.append((at, _in_clear("credentials in a URL (not shown)", command(at))))
            elif by_name and _named_secret(at):
                found.append((at, _secret_fault_words("plain", command(at))))
        elif by_name and _holds_text(item) and _named_secret(at, number=True):  # a password of digits
            found.append((at, _secret_fault_words("plain", command(at))))

    walk(loc, value)
    return found


def _named_secret(loc: tuple[str | int, ...], *, number: bool = False) -> bool:
    """Whether the value at ``loc`` (``aws:secretKey``, ``x:db.password``) is a secret by its key's name; for a
    ``number``, by the last word of the last key (``dbPwd``; not ``tokenDuration``, a number about a secret)."""
    names = [str(loc[0]).partition(":")[2], *(part for part in loc[1:] if isinstance(part, str))]
    if not number:
        return is_secret_field(names)
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", names[-1])
    return secret_name(words[-1] if words else names[-1])


# The fields of a key's long form in a project file's config: (Pulumi's ProjectConfigType: Pulumi 3.44's
# project-level configuration, https://www.pulumi.com/docs/iac/concepts/projects/project-file/).
_PROJECT_CONFIG_FIELDS = frozenset({"type", "description", "items", "default", "value", "secret"})


# A provider's key written without a value in a stack file: Pulumi (3.274) warns "No value for configuration key
# ... This is currently treated as an empty string `""`, but will be treated as `null` in a future version".
_NO_VALUE = (
    'has no value; give one or remove the key (Pulumi reads it as empty text, "", and warns that a later version '
    "will read it as null)"
)


# What is said of a setting's value, not of its key (a secret in clear, "holds ..."; a secret's key holding none,
# :func:`_secret_fault`; a list written as one mapping): said at the line of value: in a key's long form.
_VALUE_FAULT = re.compile(r"holds |is (?:empty|blank|true|false|a list|a mapping)\b")


def _foreign_setting_problems(
    doc: Document,
    full_key: str,
    value: object,
    *,
    passphrase: bool,
    others: frozenset[str] = frozenset(),
    project_file: bool = False,
) -> list[Problem]:
    """The refusals of a setting outside ``pic:``, each at its line (the value never shown): a key without a
    namespace or in one that looks meant for pic; for a provider pic knows (:data:`PROVIDER_SETTINGS`), in its
    namespace or another case or a slip of it (``MySQL:password``), :func:`_provider_problems`; for another, a
    secret in clear under a secret's name or shaped like one, and a ``secure:`` value that is no ciphertext; in a
    stack file, a key without a value (``docker:host:``, :data:`_NO_VALUE`) when nothing else is said of the key.
    ``project_file``: the setting is in ``Pulumi.yaml``'s config:, where a key may be declared in its long form
    (:data:`_PROJECT_CONFIG_FIELDS`): its ``value`` (else its ``default``) is read as the value, and what Pulumi
    refuses the project file for is said (:func:`_declaration_problems`: a type, a default, no value)."""
    field = None
    declared: list[Problem] = []
    if project_file and isinstance(value, dict) and set(value) <= _PROJECT_CONFIG_FIELDS:
        declared = _declaration_problems(doc, full_key, value)
        field = "value" if "value" in value else "default" if "default" in value else None
        if field is None:
            return declared
        value = value[field]
    if project_file and not declared and (value is None or (field is None and isinstance(value, dict))):
        return [_project_value_problem(doc, full_key, field, value)]
    found = _foreign_setting_locs(full_key, value, passphrase=passphrase, others=others)
    if not project_file and value is None and all(loc != (full_key,) for loc, _ in found):
        found.insert(0, ((full_key,), _NO_VALUE))
    if field is not None:  # the paths below the key are under its value, and so is what is said of the value
        found = [
            ((loc[0], field, *loc[1:]) if len(loc) > 1 or _VALUE_FAULT.match(why) else loc, why) for loc, why in found
        ]
    return declared + [
        Problem(doc.file, doc.line_of(("config", *loc)), f"config.{shown_loc(loc)}", why) for loc, why in found
    ]


def _project_value_problem(doc: Document, full_key: str, field: str | None, value: object) -> Problem:
    """Why Pulumi refuses the project file for the value of ``full_key`` (a key of another namespace), a null or an
    object (``field``: ``value`` when it was written under it): Pulumi's schema of the project file takes a
    mapping there as a declaration (:data:`_PROJECT_CONFIG_FIELDS`) only, an object value under ``value:``, and a
    null nowhere (``could not validate``, ``must provide an attribute 'value'``)."""
    loc = ("config", full_key) if field is None else ("config", full_key, field)
    if value is None:
        why = "is empty (null): Pulumi refuses the project file for it; give the key a value or remove it"
    else:
        why = (
            "is a mapping of keys Pulumi does not declare a setting with (type, description, items, default, "
            "value, secret): it refuses the project file; write an object value under value: "
            f"({shown_loc((full_key,))}: {{value: {{...}}}})"
        )
    return Problem(doc.file, doc.line_of(loc), f"config.{shown_loc(loc[1:])}", why)


def _declaration_problems(doc: Document, full_key: str, declaration: dict[Any, Any]) -> list[Problem]:
    """Why Pulumi refuses the project file for the long form ``declaration`` (:data:`_PROJECT_CONFIG_FIELDS`) of
    ``full_key``, a key of another namespace than the project's, at the line of the field at fault; [] when it
    gives a ``value`` alone. Pulumi's rule (``Project.Validate``, sdk/go/common/workspace/project.go): a type and
    a default are the project's own keys' (a provider's key has one value, the same for every stack), a value is
    required, and a value and a default are never given together; its first refusal is said."""
    key = shown_loc((full_key,))
    per_stack = f"set it per stack instead (`pulumi config set {key}`, with --secret for a secret) and remove it here"
    if "value" in declaration and "default" in declaration:
        field, why = "default", "gives both a value and a default: Pulumi refuses the project file (keep value:)"
    elif "type" in declaration:
        field = "type"
        why = (
            "declares a type, which Pulumi takes for the project's own keys only: it refuses the project file for "
            f"a key of another namespace; give its value alone (value:), or {per_stack}"
        )
    elif "default" in declaration:
        field = "default"
        why = (
            "gives a default, which Pulumi takes for the project's own keys only: it refuses the project file "
            "(write value: in its place)"
        )
    elif "value" not in declaration:
        field = None
        why = "declares no value: Pulumi refuses the project file, where a key of another namespace is a value; "
        why += per_stack
    else:
        return []
    loc = ("config", full_key) if field is None else ("config", full_key, field)
    return [Problem(doc.file, doc.line_of(loc), f"config.{shown_loc(loc[1:])}", why)]


def _foreign_setting_locs(
    full_key: str, value: object, *, passphrase: bool, others: frozenset[str]
) -> list[tuple[tuple[str | int, ...], str]]:
    """:func:`_foreign_setting_problems`' refusals, as (path, why)."""
    namespace, colon, key = full_key.partition(":")
    provider = _provider_namespace(namespace) if colon else None
    if provider is None:
        why = _near_namespace(full_key, value)
        if why is not None:
            return [((full_key,), why)]
        return _shaped_secrets((full_key,), value, passphrase=passphrase, by_name=True)
    found = _provider_problems(full_key, provider, value, passphrase=passphrase, others=others)
    if provider != namespace:
        meant = key if key in PROVIDER_SETTINGS[provider] else _meant_key(key, PROVIDER_SETTINGS[provider])
        written = f"{provider}:{meant if meant is not None else key}"
        twice = f" ({shown_loc((written,))} is given too: keep one)" if written in others else ""
        why = (
            f"is in namespace {shown_unless_secret(namespace, full_key)}, not {provider!r}: Pulumi compares "
            f"namespaces exactly, and the {provider} provider never reads it; write {shown_loc((written,))}{twice}"
        )
        said = [why for loc, why in found if loc == (full_key,)]
        found = [(loc, w) for loc, w in found if loc != (full_key,)]
        found.insert(0, ((full_key,), "; ".join([why, *said])))
    return found


def _meant_namespaced(name: str) -> list[str]:
    """The keys, with their namespace, that a key written without one (``password``, ``members_root``) may be
    meant as: a setting or a secret of pic, a key of a provider pic knows (``mysql:password``), as written or a
    slip or another case of one."""
    ours = [*(f for f in Settings.model_fields if f not in _PROGRAM_FIELDS), *SECRET_KEYS, *OPTIONAL_SECRET_KEYS]
    folded = name.strip().casefold()
    exact = [f"{NAMESPACE}:{key}" for key in ours if key.casefold() == folded] + [
        f"{namespace}:{key}"
        for namespace, keys in PROVIDER_SETTINGS.items()
        for key in keys
        if key.casefold() == folded
    ]
    if exact:  # dbAdminPassword is pic's, whatever else a password could be
        return exact
    meant = []
    if (mine := meant_among(name, ours)) is not None:
        meant.append(f"{NAMESPACE}:{mine}")
    for namespace, keys in PROVIDER_SETTINGS.items():
        if (theirs := _meant_key(name, keys)) is not None:
            meant.append(f"{namespace}:{theirs}")
    return meant


def _near_namespace(full_key: str, value: object = None) -> str | None:
    """Why a key outside ``pic:`` and the namespaces of the providers pic knows looks meant for pic or a provider
    (it would be ignored without a word), or None.

    Pulumi's config keys are ``<namespace>:<name>`` (a key without a colon is
    refused by Pulumi itself); namespaces are package names in ASCII, compared
    exactly, so ``PIC:limits`` or ``pіc:limits`` (Cyrillic і) is another one.
    A key without one is told the keys it may be meant as (``password``: ``mysql:password``), and, holding a
    value in clear under a secret's name, the command that sets the secret meant.
    """
    namespace, colon, _ = full_key.partition(":")
    if full_key == NAMESPACE:
        return f"is the namespace alone: each setting is a key of its own, {NAMESPACE}:<name> (e.g. {NAMESPACE}:mail)"
    if not colon:
        rest = full_key[len(NAMESPACE) + 1 :] if full_key[: len(NAMESPACE)].lower() == NAMESPACE else ""
        name = rest if rest and full_key[len(NAMESPACE)] in "_.-" else full_key
        hidden = reads_as_secret(name)  # the hint would quote it: password=... written as a key
        meant = [] if hidden else _meant_namespaced(name)
        if not meant and not hidden and secret_name(name):  # token: no secret of pic nor of a provider pic knows
            secrets = [f"{ns}:{path}" for ns in PROVIDER_SECRETS for path in _provider_secret_paths(ns)]
            written = (
                f"no setting of pic nor of the providers it knows is named so (pic's secrets: "
                f"{', '.join((*SECRET_KEYS, *OPTIONAL_SECRET_KEYS))}; the providers': {', '.join(secrets)})"
            )
        elif not meant:
            written = f"write {NAMESPACE}:{'<name>' if hidden else name} for pic"
        else:
            written = "write " + " or ".join(
                f"{m} for {'pic' if m.startswith(NAMESPACE + ':') else 'the ' + m.partition(':')[0] + ' provider'}"
                for m in meant
            )
        why = f"has no namespace: Pulumi reads keys as <namespace>:<name>; {written}"
        if not hidden and secret_name(name) and _holds_text(value):
            command = f"--secret {meant[0]}" if len(meant) == 1 else "--secret <namespace>:<name>"
            why = f"{_secret_fault_words('plain', command)}; {why}"
        return why
    folded = unicodedata.normalize("NFKC", namespace).casefold().strip()
    if folded == NAMESPACE or not namespace.isascii() or difflib.get_close_matches(folded, [NAMESPACE], cutoff=0.6):
        return (
            f"is in namespace {shown_unless_secret(namespace, full_key)}, not {NAMESPACE!r}: pic would ignore it "
            f"(namespaces are compared exactly); write {NAMESPACE}:"
        )
    return None


def _config_view(doc: Document) -> Document:
    """The lines of the ``pic:`` keys, re-keyed as Settings field paths (pic:tls -> tls)."""
    view = Document(doc.file, None, {(): doc.line_of(("config",)) or 1})
    prefix = f"{NAMESPACE}:"
    for loc, line in doc.lines.items():
        if len(loc) >= 2 and loc[0] == "config" and isinstance(loc[1], str) and loc[1].startswith(prefix):
            view.lines[(loc[1][len(prefix) :], *loc[2:])] = line
    for loc, text in doc.written.items():  # plain values as written (0x10, 10_600), shown so
        if len(loc) >= 2 and loc[0] == "config" and isinstance(loc[1], str) and loc[1].startswith(prefix):
            view.written[(loc[1][len(prefix) :], *loc[2:])] = text
    return view


# A stack name as this project's files are named after it (Pulumi.<stack>.yaml): no path, no space.
STACK_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def project_directory(stack: str) -> str:
    """What ``--project`` names, as the errors say it."""
    return f"project directory (holding Pulumi.{stack}.yaml)"


def _stack_file_words(stack: str, file: str) -> tuple[str, str, str]:
    """Where a stack file that cannot be read is told (``file``, the file as shown), under what field, and the words
    of one missing: a stack named as a password (pasted after ``--stack``,
    :func:`pic.errors.public_name_may_be_secret`: ``Lilas2024x``; not ``Prod2024``, a stack's name) is told from the
    command line, the value not shown, never in the file's name."""
    if public_name_may_be_secret(stack):
        return "<command line>", "--stack", f"{HIDDEN_VALUE} names no stack file"
    return file, "", "no such stack file"


def _lstat_in_directory(path: Path) -> None:
    """``os.lstat(path)``, a loop of links on the way to it (``--project loop``, a link to itself) raised as
    NotADirectoryError: its directory is then said to be what it is (:func:`pic.yamlsrc.not_a_directory`)."""
    try:
        os.lstat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotADirectoryError(exc.errno, exc.strerror) from None
        raise


def load_settings(project_dir: Path, stack: str) -> Settings:
    """Load and validate ``Pulumi.<stack>.yaml`` from ``project_dir``; raise PicError listing every problem."""
    if STACK_NAME.fullmatch(stack) is None:
        raise PicError([Problem("<command line>", None, "--stack", f"{show_value(stack)} is not a stack name")])
    path = project_dir / f"Pulumi.{stack}.yaml"
    file = display_path(path)
    try:  # anything else there (a directory, a FIFO, a broken link) is named by read_yaml
        _lstat_in_directory(path)
    except (FileNotFoundError, NotADirectoryError):
        try:
            why = not_a_directory(project_dir, project_directory(stack))
        except OSError:  # a directory above that cannot be searched: the stack file is what cannot be found
            why = None
        if why is not None:  # --project missing, a file, or under one: said so, not as a stack file missing
            raise PicError([path_problem(project_dir, "--project", why)]) from None
        # a stack is a file --stack can name: not a directory, a dead link or a FIFO (is_file follows a link)
        named = ((p.name[len("Pulumi.") : -len(".yaml")], p) for p in project_dir.glob("Pulumi.*.yaml"))
        known = sorted(name for name, p in named if STACK_NAME.fullmatch(name) and p.is_file())
        meant = meant_among(stack, known)
        hint = f"; did you mean --stack {meant}?" if meant is not None else ""
        file, field, missing = _stack_file_words(stack, file)
        raise PicError(
            [Problem(file, None, field, f"{missing} (stacks here: {', '.join(known) or 'none'}){hint}")]
        ) from None
    except OSError as exc:  # a project directory that cannot be searched, a name too long
        file, field, _missing = _stack_file_words(stack, file)
        raise PicError([Problem(file, None, field, f"cannot be read: {exc.strerror or exc}")]) from None
    # the admins' file (`pic plan` links it); its comments name a key of config: as pic:tls
    doc, problems = read_yaml(
        path, file, follow_links=True, comments=True, key_root="config", numbers=_setting_number_refusal
    )
    # One way to name a key of the file: pic:limits.cpus, as the model's own errors do (not config.pic:...).
    problems = [dataclasses.replace(p, path=p.path.removeprefix("config.")) for p in problems]
    if doc is None:
        raise PicError(problems)
    data, more = _strip_namespace(doc)
    problems += [dataclasses.replace(p, path=p.path.removeprefix("config.")) for p in more]
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("config"), dict):
        raise PicError(problems)  # no settings were read: the file's shape is the one fault, not each key missing
    validated = {**data, "stack": stack}
    try:
        context = _hosts_context(data.get("hosts"))
        settings = Settings.model_validate(validated, context=context)
    except ValidationError as exc:
        said = {p.path for p in problems}  # a null already named is not named again by the model
        for p in problems_from(exc, _config_view(doc), Settings, data=validated, context=context):
            field = f"{NAMESPACE}:{p.path}" if p.path else ""  # no field: a line counting others, the whole file's
            if not field or field not in said:
                problems.append(dataclasses.replace(p, path=field))
    else:
        view = _config_view(doc)
        problems += (
            _db_port_clash(settings, view)
            + _dns_port_clash(settings, view)
            + _one_name_one_role(settings, view)
            + _ssh_users_of_their_own(settings, view)
        )
        settings._source = view  # the model's own attribute, set once where the file is read
    problems += _project_file_taken_first(project_dir, stack) or _project_file_problems(project_dir)
    if problems:
        raise PicError(problems)
    return settings


def _setting_number_refusal(loc: tuple[str | int, ...], number: int | float | str) -> str | None:
    """Why the setting at ``loc`` of the stack file (config, pic:backup, keep_days) refuses ``number``, None when it
    takes it or is none of pic's (:func:`pic.modelerrors.number_refusal`)."""
    if len(loc) < 2 or loc[0] != "config" or not isinstance(loc[1], str) or not loc[1].startswith(f"{NAMESPACE}:"):
        return None
    return number_refusal(Settings, (loc[1].removeprefix(f"{NAMESPACE}:"), *loc[2:]), number)


def _hosts_context(hosts: object) -> dict[str, list[str]]:
    """The hosts of ``pic:hosts`` as written, for the hints of the settings that name one (:class:`NameOf`):
    the names of a host name's form, and those of the web hosts among them."""
    if not isinstance(hosts, dict):
        return {}
    named = {name: spec for name, spec in hosts.items() if isinstance(name, str) and re.fullmatch(HOST_NAME_RE, name)}
    web = [name for name, spec in named.items() if isinstance(spec, dict) and spec.get("role") == "web"]
    return {"hosts": sorted(named), "web_hosts": sorted(web)}


# What a project file (Pulumi.yaml) may say that moves the settings away from Pulumi.<stack>.yaml, where pic reads
# them: Pulumi would apply settings pic check never saw.
_PROJECT_FILE_KEYS = {
    "stackConfigDir": (
        "moves the stack files to another directory, where Pulumi reads them: pic check and pic plan read "
        "Pulumi.<stack>.yaml next to Pulumi.yaml; keep the stack files there and remove the key"
    ),
}


_PROJECT_FILE_SETTINGS = re.compile(rb"^(?:config|stackConfigDir)[ \t]*:", re.MULTILINE)


# config: "" or stackConfigDir: "" in Pulumi.yaml: the Pulumi CLI (3.274) joins it to the project's directory, and
# reads the stack files there, as pic does; but it reads as no directory, and as no settings.
_EMPTY_DIRECTORY = (
    "is empty text, which Pulumi takes as the directory of Pulumi.yaml (the stack files stay next to it, where pic "
    "reads them): it says nothing; remove the key (config: holds the project's settings, a mapping, or nothing)"
)


def _names_the_project_directory(value: object) -> bool:
    """Whether ``value``, a project file's ``stackConfigDir`` or text ``config:``, names the project's own
    directory (``.``, ``./``, ``stacks/..``): the Pulumi CLI joins it to the directory of Pulumi.yaml and cleans
    the path lexically (Go's ``filepath.Join``), reading the stack files where pic reads them. Empty text is
    read so too, but is not taken (:data:`_EMPTY_DIRECTORY`)."""
    return isinstance(value, str) and value != "" and posixpath.normpath(value) == "."


def _absolute_directory_words(value: str, project_dir: Path) -> str:
    """Why a project file's ``stackConfigDir`` or text ``config:`` that is an absolute path is refused, even one
    naming the project's own directory: the Pulumi CLI (3.274) joins it to the directory of Pulumi.yaml as a
    relative path (``/srv/pic`` in ``/srv/pic`` reads ``/srv/pic/srv/pic/Pulumi.<stack>.yaml``), where pic does not
    read the stack files."""
    where = posixpath.normpath(f"{project_dir.absolute()}/{value.lstrip('/')}")
    return (
        f"is an absolute path, which Pulumi joins to the directory of Pulumi.yaml: it reads the stack files in "
        f"{where}, not next to Pulumi.yaml, where pic check and pic plan read them; keep the stack files there and "
        "remove the key"
    )


def _project_config_words(config: object) -> str:
    """Why a project file's ``config:`` that is no mapping (nor nothing) is refused. Pulumi's schema of the project
    file (pulumi's sdk/go/common/workspace/project.json) takes there a mapping of settings, nothing, or a text: the
    directory of the stack files, the older spelling of ``stackConfigDir`` (Pulumi reads Pulumi.<stack>.yaml there,
    as the Pulumi CLI does); anything else (``expected object or string or null``) refuses the project file."""
    if config == "":
        return _EMPTY_DIRECTORY
    if isinstance(config, str):
        return (
            "is a directory's name, the older spelling of stackConfigDir: Pulumi reads the stack files there, and "
            "pic check and pic plan read Pulumi.<stack>.yaml next to Pulumi.yaml; keep the stack files there and "
            "remove the key (config: holds the project's settings, a mapping, or nothing)"
        )
    if isinstance(config, bool):
        what = f"is {str(config).lower()}"
    elif isinstance(config, int | float):
        what = "is a number"
    elif isinstance(config, dt.date):
        what = "is a date"
    elif isinstance(config, list):
        what = "is a list"
    else:
        what = f"is {show_value(config)}"
    return (
        f"{what}, not a mapping of settings: Pulumi refuses the project file (config: holds the project's settings, "
        "a mapping, or nothing); write the settings in each Pulumi.<stack>.yaml and remove the key"
    )


def _project_file_taken_first(project_dir: Path, stack: str) -> list[Problem]:
    """``Pulumi.json`` in the project's directory, which Pulumi takes as the project file before ``Pulumi.yaml``
    (it looks for .json, then .yaml, then .yml), then reading the stack's settings from ``Pulumi.<stack>.json``,
    which pic never reads."""
    before = project_dir / "Pulumi.json"
    if not before.exists() or before.is_dir():  # followed through a link, as Pulumi's os.Stat does
        return []
    said = (
        "is a project file Pulumi takes before Pulumi.yaml (it looks for Pulumi.json first): pulumi up would run "
        f"with it and read the stack's settings from Pulumi.{stack}.json, which pic check and pic plan never "
        "read; remove it, or move it out of the project's directory"
    )
    return [Problem(display_path(before), None, "", said)]


def _project_file_problems(project_dir: Path) -> list[Problem]:
    """What the project file (``Pulumi.yaml``) holds that Pulumi would apply to every stack unseen by pic: a
    ``config:`` block's settings of pic (Pulumi 3.44's project-level configuration, its keys unnamespaced or
    ``pic:``), a provider's secret in clear there, or a ``stackConfigDir``; each at its line."""
    path = project_dir / "Pulumi.yaml"
    if not path.is_file():
        return []
    data, unread = read_regular_file(path, display_path(path), follow_links=True)
    if data is None:  # too long, unreadable: what Pulumi would take from it cannot be checked
        why = "pic cannot tell whether it holds what Pulumi applies to every stack (config:, stackConfigDir)"
        return [Problem(p.file, p.line, p.path, f"{p.message}; {why}") for p in unread]
    if _PROJECT_FILE_SETTINGS.search(data) is None:
        return []  # nothing of the settings there; the rest of the file (an alias, ...) is Pulumi's to read
    doc, problems = read_yaml(path, display_path(path), follow_links=True)
    if doc is None or not isinstance(doc.data, dict):
        return problems
    for key, why in _PROJECT_FILE_KEYS.items():
        value = doc.data.get(key)
        if key in doc.data and not _names_the_project_directory(value):
            said = _EMPTY_DIRECTORY if value == "" else why
            if isinstance(value, str) and value.startswith("/"):
                said = _absolute_directory_words(value, project_dir)
            problems.append(Problem(doc.file, doc.line_of((key,)), key, said))
    config = doc.data.get("config")
    if config is not None and not isinstance(config, dict) and not _names_the_project_directory(config):
        said = _project_config_words(config)
        if isinstance(config, str) and config.startswith("/"):
            said = _absolute_directory_words(config, project_dir)
        problems.append(Problem(doc.file, doc.line_of(("config",)), "config", said))
    for full_key, value in config.items() if isinstance(config, dict) else ():
        namespace, colon, _ = str(full_key).partition(":")
        if namespace == NAMESPACE or not colon:
            why = (
                "is a setting of pic in the project file, which Pulumi applies to every stack where "
                "Pulumi.<stack>.yaml does not set it, unchecked: pic check and pic plan read the stack files only; "
                "write it in each Pulumi.<stack>.yaml"
            )
            problems.append(Problem(doc.file, doc.line_of(("config", full_key)), f"config.{full_key}", why))
        else:
            problems += _foreign_setting_problems(doc, str(full_key), value, passphrase=False, project_file=True)
    return problems


def _ssh_users_of_their_own(settings: Settings, view: Document) -> list[Problem]:
    """A host's ``ssh_user`` is no account or group the hosts already have for another purpose: the
    platform's groups (``pic-locked`` members are denied ssh, ``pic-sftp`` ones chrooted to sftp), Debian's
    system users and groups (``nobody`` has no shell) and the packages' accounts (``sympa``, ``mysql``:
    their packages create them). ``root`` is allowed (the lab's hosts)."""
    from pic import names  # pic.names reads this module's Settings

    taken = {
        **dict.fromkeys(names.PACKAGE_ACCOUNTS, "a system account of a package on the hosts"),
        **dict.fromkeys(names.DEBIAN_BASE_GROUPS, "a system group of Debian (base-passwd)"),
        **dict.fromkeys(names.DEBIAN_BASE_USERS, "a system user of Debian (base-passwd)"),
        **dict.fromkeys((names.GROUP_SFTP, names.GROUP_SSH, names.GROUP_LOCKED), "a unix group of the platform"),
    }
    taken.pop("root")
    problems = []
    for name, host in settings.hosts.items():
        what = taken.get(host.ssh_user)
        if host.connection == "ssh" and what is not None:
            loc = ("hosts", name, "ssh_user")
            message = (
                f"{show_value(host.ssh_user)} is {what}: the admins' account on the host needs a name of its own "
                "(e.g. deploy)"
            )
            problems.append(Problem(view.file, view.line_of(loc), f"{NAMESPACE}:{format_loc(loc)}", message))
    return problems


def _db_port_clash(settings: Settings, view: Document) -> list[Problem]:
    """MariaDB's port (``pic:db.port``, 3306 unless set) and the db host's sshd's are two ports.

    Checked on the whole settings: either may be left to its default. Reported at the host's
    ``ssh_port``, the one written.
    """
    name = settings.db_host
    host = settings.hosts[name]
    if host.connection == "local" or host.ssh_port != settings.db.port:
        return []
    loc = ("hosts", name, "ssh_port")
    port = "pic:db.port" if ("db", "port") in view.lines else f"pic:db.port is not set: {settings.db.port}"
    message = (
        f"{host.ssh_port} is also MariaDB's port on the db host ({port}): "
        "sshd and MariaDB cannot both listen on it; give one of them another port"
    )
    return [Problem(view.file, view.line_of(loc), f"{NAMESPACE}:{format_loc(loc)}", message)]


def _one_name_one_role(settings: Settings, view: Document) -> list[Problem]:
    """Each name the settings give the platform serves one role: a host's name, Sympa's lists, the
    mail exchanger, phpMyAdmin, the admins' mail domain (pic:admin_email, pic:smtp.sender,
    pic:tls.acme_email and pic:db.report_to may share theirs).

    Two roles on one name break one of them: the MX on the db host, which runs no Postfix; the
    lists' domain on the admins' own, whose mail Sympa would then receive; phpMyAdmin on a host's
    name. The mail exchanger may be the mail host's name (its default). Reported at the later
    setting of the two, naming the first; once per role (the admins' addresses sharing a domain that is also
    Sympa's: one error, not one per address).
    """
    roles: list[tuple[tuple[str | int, ...], str, str]] = []  # (field path, name, role)
    for name, host in settings.hosts.items():
        if not is_ip(host.address) and host.address != "localhost":
            roles.append((("hosts", name, "address"), host.address, f"host {name}"))
    roles.append((("mail", "sympa_domain"), settings.mail.sympa_domain, "lists"))
    if settings.mail.mx is not None and settings.mail.mx != settings.hosts[settings.mail_host].address:
        roles.append((("mail", "mx"), settings.mail.mx, "mx"))
    if settings.phpmyadmin is not None:
        roles.append((("phpmyadmin", "domain"), settings.phpmyadmin.domain, "phpmyadmin"))
    roles.append((("admin_email",), settings.admin_email.rpartition("@")[2].lower(), "admins"))
    if settings.smtp is not None and settings.smtp.sender is not None:
        roles.append((("smtp", "sender"), settings.smtp.sender.rpartition("@")[2].lower(), "admins"))
    # The admins' other mailboxes (dump failures, the ACME account): at the lists' domain, Postfix takes
    # only Sympa's addresses, and their mail would bounce.
    roles.append((("tls", "acme_email"), settings.tls.acme_email.rpartition("@")[2].lower(), "admins"))
    if settings.db.report_to is not None:
        roles.append((("db", "report_to"), settings.db.report_to.rpartition("@")[2].lower(), "admins"))
    problems: list[Problem] = []
    if settings.dns.backend == "zonefile" and settings.dns.zones:
        # A name server named like a host gets NSD's addresses as its glue (A/AAAA in the zone): the DNS
        # server's own name only.
        for i, ns in enumerate(settings.dns.nameservers):
            other = next(
                (h for h, spec in settings.hosts.items() if spec.address == ns and h != settings.dns_server), None
            )
            if other is not None:
                loc: tuple[str | int, ...] = ("dns", "nameservers", i)
                problems.append(
                    Problem(
                        view.file,
                        view.line_of(loc),
                        f"{NAMESPACE}:{format_loc(loc)}",
                        f"{show_value(ns)} is pic:hosts.{other}.address, but NSD runs on {settings.dns_server}: the "
                        f"zone would point {ns} at NSD's addresses (its glue records); name the name servers after "
                        "the DNS server",
                    )
                )
    seen: dict[str, tuple[tuple[str | int, ...], str]] = {}
    told: set[tuple[str, str]] = set()  # (name, role) said: the admins' mailboxes sharing a domain clash once
    for loc, name, role in roles:
        first = seen.setdefault(name, (loc, role))
        if first[1] == role or (name, role) in told:
            continue
        told.add((name, role))
        subject = f"its domain {show_value(name)}" if role == "admins" else show_value(name)
        message = (
            f"{subject} is also {NAMESPACE}:{format_loc(first[0])}: one name, one role of the platform "
            "(the MX on another host than the mail host, the lists on the admins' mail domain, phpMyAdmin on a "
            "host's name break one of them); give each its own name"
        )
        problems.append(Problem(view.file, view.line_of(loc), f"{NAMESPACE}:{format_loc(loc)}", message))
    return problems


def _dns_port_clash(settings: Settings, view: Document) -> list[Problem]:
    """sshd keeps off port 53 where a DNS server listens: the mail host's local resolver (unbound,
    for Sympa's DNS checks) and the DNS server's NSD (backend zonefile with zones).

    Checked on the whole settings (the mail host and the DNS server may be defaults); reported at
    the host's ``ssh_port``, the one written.
    """
    servers = {settings.mail_host: "its local resolver's (unbound, for Sympa's DNS checks)"}
    if settings.dns.backend == "zonefile" and settings.dns.zones:
        servers.setdefault(settings.dns_server, "NSD's, which serves pic:dns.zones (backend zonefile)")
    problems = []
    for name, whose in servers.items():
        if settings.hosts[name].ssh_port != DNS_PORT:
            continue
        loc = ("hosts", name, "ssh_port")
        message = f"{DNS_PORT} is {whose} port on {name}: give sshd another port"
        problems.append(Problem(view.file, view.line_of(loc), f"{NAMESPACE}:{format_loc(loc)}", message))
    return problems


def display_path(path: Path) -> str:
    """The path as the user gave it: relative to the working directory when it is an absolute path inside it.

    Nothing is resolved: a symbolic link (``--members`` naming a link to another directory) is named by its
    own name, as the admin typed it, never by its target's.
    """
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):  # outside the working directory, or no working directory any more
        return str(path)


def resolved(path: Path) -> Path:
    """``path`` absolute, its symbolic links followed and ``..`` taken away, as ``Path.resolve`` gives it, but never
    raising: a loop of links (a ``notices.yaml`` or a ``disk-usage`` linked to itself) is left where the loop is,
    which reading it then names (``is a loop of symbolic links``), where Python 3.11's ``Path.resolve`` raises
    ``RuntimeError: Symlink loop from ...``; ``os.path.realpath`` without ``strict``."""
    return Path(os.path.realpath(path))


def display_in(shown_dir: str, name: str = "") -> str:
    """``name`` inside the directory shown ``shown_dir`` (:func:`display_path`), one '/' between them: the root
    ``/`` already ends with it (``/bin``, not ``//bin``); without ``name``, the directory with its last '/'."""
    return f"{shown_dir}{name}" if shown_dir.endswith("/") else f"{shown_dir}/{name}"
