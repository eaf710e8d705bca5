"""The private networks a host's ``private_address`` is taken in, one list that the settings' check
(pic.settings, ``pic:hosts.*.private_address`` and the dev stack's ``pic:db.dev_subnet``) and the policy pack
(policy.rules, the MariaDB accounts' host parts) both read. Plain ``ipaddress``: the policy pack imports it."""

from __future__ import annotations

import ipaddress

# RFC 1918 §3: the three blocks of private IPv4 addresses.
RFC1918_NETWORKS = (
    ipaddress.IPv4Network("10.0.0.0/8"),
    ipaddress.IPv4Network("172.16.0.0/12"),
    ipaddress.IPv4Network("192.168.0.0/16"),
)

PRIVATE_NETWORKS: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (
    *RFC1918_NETWORKS,
    ipaddress.IPv4Network("100.64.0.0/10"),
    ipaddress.IPv6Network("fc00::/7"),
)
"""The networks no router of the Internet carries, where hosts talk between themselves:

- RFC 1918 §3: ``10.0.0.0/8``, ``172.16.0.0/12``, ``192.168.0.0/16``;
- RFC 6598 §7: ``100.64.0.0/10``, the shared address space (carrier-grade NAT), which a WireGuard or Tailscale mesh
  between the hosts uses;
- RFC 4193 §3.1: ``fc00::/7``, IPv6's unique local addresses.

Python's ``is_private`` is not the test: it holds the documentation blocks (``192.0.2.0/24``, ``2001:db8::/32``)
and the benchmarking one (``198.18.0.0/15``), which no private network uses, and not ``100.64.0.0/10`` (neither
private nor global to it); nor is "not ``is_global``", which holds those too."""

PRIVATE_NETWORKS_WORDS = (
    "RFC 1918's 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, RFC 6598's shared space 100.64.0.0/10 (a WireGuard or "
    "Tailscale mesh) or RFC 4193's unique local fc00::/7"
)


def in_private_network(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is in one of :data:`PRIVATE_NETWORKS`."""
    return any(address.version == n.version and address in n for n in PRIVATE_NETWORKS)


# What each of PRIVATE_NETWORKS is, for a message
_PRIVATE_WORDS = ("RFC 1918", "RFC 1918", "RFC 1918", "RFC 6598's shared address space", "RFC 4193's unique local")


def private_network(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """The private network holding ``address`` (:data:`PRIVATE_NETWORKS`), as ``in 10.0.0.0/8, a private network
    (RFC 1918)``, or None."""
    for network, words in zip(PRIVATE_NETWORKS, _PRIVATE_WORDS, strict=True):
        if address.version == network.version and address in network:
            return f"in {network}, a private network ({words})"
    return None


# Blocks that are neither a private network nor the Internet's, and what each is, for a message (IANA's
# special-purpose address registries, RFC 6890). Those no host holds at all (loopback, link-local, multicast,
# 0.0.0.0/8, 240.0.0.0/4) are told by the settings' own checks first.
# The documentation blocks come first: an example's addresses, which a stack facing the Internet is warned of where
# it publishes a host's (pic.check, pic:hosts.*.public_addresses).
DOCUMENTATION_BLOCKS: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = (
    (ipaddress.IPv4Network("192.0.2.0/24"), "reserved for documentation (RFC 5737)"),
    (ipaddress.IPv4Network("198.51.100.0/24"), "reserved for documentation (RFC 5737)"),
    (ipaddress.IPv4Network("203.0.113.0/24"), "reserved for documentation (RFC 5737)"),
    (ipaddress.IPv6Network("2001:db8::/32"), "reserved for documentation (RFC 3849)"),
    (ipaddress.IPv6Network("3fff::/20"), "reserved for documentation (RFC 9637)"),
)
RESERVED_BLOCKS: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = (
    *DOCUMENTATION_BLOCKS,
    (ipaddress.IPv4Network("198.18.0.0/15"), "reserved for benchmarking (RFC 2544)"),
    (ipaddress.IPv6Network("2001:2::/48"), "reserved for benchmarking (RFC 5180)"),
    (ipaddress.IPv4Network("192.0.0.0/24"), "reserved for IETF protocol assignments (RFC 6890)"),
    (ipaddress.IPv6Network("fec0::/10"), "IPv6's site-local addresses, deprecated (RFC 3879)"),
    (ipaddress.IPv6Network("100::/64"), "reserved for discarding traffic (RFC 6666)"),
)


def reserved_block(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
    blocks: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = RESERVED_BLOCKS,
) -> str | None:
    """What the reserved block holding ``address`` is (:data:`RESERVED_BLOCKS`, or ``blocks``:
    :data:`DOCUMENTATION_BLOCKS`), as ``in 192.0.2.0/24, reserved for documentation (RFC 5737)``, or None."""
    for network, words in blocks:
        if address.version == network.version and address in network:
            return f"in {network}, {words}"
    return None


_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")


def no_resolver_there(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What ``address`` is when no resolver can answer from it, else None: ``pic dns check --resolver`` and
    ``pic:dns.resolver`` refuse the same addresses.

    0.0.0.0 and :: (unspecified), 0.0.0.0/8 (RFC 6890: a source only, "this host on this network"; Linux refuses
    to send there), a multicast group (224.0.0.1, ff02::1: the query would go to every host of the group), the
    broadcast 255.255.255.255 and the reserved 240.0.0.0/4."""
    for refused, what in (
        (address.is_unspecified, "the unspecified address"),
        (
            isinstance(address, ipaddress.IPv4Address) and address in _THIS_NETWORK,
            "an address of 0.0.0.0/8, this host on this network, never a destination (RFC 6890)",
        ),
        (address.is_multicast, "a multicast address"),
        (isinstance(address, ipaddress.IPv4Address) and address.is_reserved, "a broadcast or reserved address"),
    ):
        if refused:
            return what
    return None


def no_server_there(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What ``address`` is when no server is reached at it as a setting writes it (without a zone id), else None:
    the addresses of :func:`no_resolver_there`, and an IPv6 link-local address (``fe80::/10``), which a
    connection reaches only through the interface its zone id names (RFC 4007 §11)."""
    what = no_resolver_there(address)
    if what is None and isinstance(address, ipaddress.IPv6Address) and address.is_link_local:
        return link_local_words(address)
    return what


def link_local_words(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """What a link-local ``address`` is as a setting writes it (no zone id), where a host on the link is reached
    all the same: an IPv6 one through the interface its zone id names (RFC 4007 §11: Linux's connect() refuses one
    without, EINVAL), an IPv4 one picked by the host itself (RFC 3927 §2)."""
    if isinstance(address, ipaddress.IPv6Address):
        return (
            f"a link-local address (fe80::/10), reached only through the interface a zone id names (as "
            f"{address}%eth0, RFC 4007 §11), which no setting carries: the hosts and containers that read it have "
            "interfaces of their own"
        )
    return (
        "a link-local address (169.254.0.0/16), one a host picks for itself on its link and gives up on a conflict "
        "(RFC 3927 §2): no address to name a host by in a setting"
    )
