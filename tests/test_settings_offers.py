"""The value a stack setting's message offers to write instead ("write it in lowercase ('...')", "give the address
alone ('...')", "write the IPv4 address ... itself") is one the setting then takes, written whole: every setting
holding an address or a host (alone, as host:port, in a URL, an image reference), given the odd forms an address
or a host is written in (mapped and compatible IPv6, brackets, ports, zones, trailing dots, capitals)."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest

from pic.errors import PicError
from pic.settings import load_settings
from tests.helpers import project_copy

MEMBERS_ROOT = "pic:members_root: /srv/members"
_DNS = "pic:dns: {{backend: zonefile, zones: [example.org], listen: ['{w}']}}\n  " + MEMBERS_ROOT
_BACKUP = 'pic:backup: {time: "03:15", keep_days: 7}'
_SURY = '"https://packages.sury.org/php/", key_url'

# setting -> (text of the prod stack file replaced, its replacement with {w} for the setting's whole value, the
# field told, the whole value with {v} for the address or host:port tried)
SETTINGS: dict[str, tuple[str, str, str, str]] = {
    "resolver": (MEMBERS_ROOT, "pic:dns: {{resolver: '{w}'}}\n  " + MEMBERS_ROOT, "pic:dns.resolver", "{v}"),
    "listen": (MEMBERS_ROOT, _DNS, "pic:dns.listen[0]", "{v}"),
    "smtp host": (MEMBERS_ROOT, "pic:smtp: {{host: '{w}'}}\n  " + MEMBERS_ROOT, "pic:smtp.host", "{v}"),
    "address": ("address: web1.example.org", "address: '{w}'", "pic:hosts.web1.address", "{v}"),
    "private address": (
        "private_address: 10.0.0.11",
        "private_address: '{w}'",
        "pic:hosts.web1.private_address",
        "{v}",
    ),
    "public address": ("web1: {role: web, ", "web1: {{role: web, public_addresses: ['{w}'], ", "pic:hosts.web1", "{v}"),
}
# settings holding host:port (the port optional in a URL and an image reference)
HOST_PORT_SETTINGS: dict[str, tuple[str, str, str, str]] = {
    "host relay": (
        MEMBERS_ROOT,
        "pic:smtp: {{host: smtp.example.org, host_relay: '{w}'}}\n  " + MEMBERS_ROOT,
        "pic:smtp.host_relay",
        "{v}",
    ),
    "db proxy": (MEMBERS_ROOT, "pic:db: {{proxy: '{w}'}}\n  " + MEMBERS_ROOT, "pic:db.proxy", "socks5://{v}"),
    "apt source": (_SURY, '"{w}", key_url', "pic:runtimes.8.3.apt_source.url", "http://{v}/debian/"),
    "sftp repository": (
        _BACKUP,
        "pic:backup: {{time: \"03:15\", keep_days: 7, offsite: {{repository: '{w}'}}}}",
        "pic:backup.offsite.repository",
        "sftp://restic@{v}//srv/restic",
    ),
    "image registry": (
        MEMBERS_ROOT,
        "pic:db: {{dev_image: '{w}'}}\n  " + MEMBERS_ROOT,
        "pic:db.dev_image",
        "{v}/mariadb:11.4",
    ),
}

ADDRESSES = [
    "::ffff:224.0.0.1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:8.8.8.8",
    "::224.0.0.1",
    "::10.0.0.1",
    "::8.8.8.8",
    "[::ffff:224.0.0.1]",
    "[::ffff:10.0.0.1]",
    "224.0.0.1:53",
    "[ff02::1]:53",
    "[::1]",
    "127.0.0.1.",
    "0224.0.0.1",
    "10.0.0.1%eth0",
    "224.0.0.1%eth0",
    "fe80::1%eth0",
    "2001:db8::1%eth0",
    "2001:4860::8844%eth0",
    "ff02::1%eth0",
    "::ffff:10.0.0.1%eth0",
    "Localhost",
    "LOCALHOST.",
    "localhost.",
    "10.0.0.1/32",
    "[2001:DB8::5]",
    "Web1.Example.org",
    "web1.example.org.",
    "[2001:db8::1%25eth0]:53",
]
HOST_PORTS = [
    "Localhost",
    "Localhost:25",
    "LOCALHOST:99999",
    "Localhost:025",
    "[::ffff:10.0.0.1]:25",
    "[::ffff:127.0.0.1]:25",
    "[::10.0.0.1]:25",
    "Relay.Example.org:25",
    "relay.example.org.:25",
    "Relay.Example.org.:25",
    "[10.0.0.1]:25",
    "[localhost]:25",
    "::ffff:10.0.0.1:25",
    "2001:db8::1:25",
    "2001:db8:0:0:0:0:0:1:25",  # nine groups: an address and a port alone, [2001:db8::1]:25 offered
    "2001:db8::1:ab",  # its last group no port: the address alone
    "10.0.0.1%eth0:25",
    "[fe80::1%eth0]:25",
    "[2001:db8::1%eth0]:25",
    "localhost.:25",
    "Smtp1.Example.org:25",
    "smtp1.example.org.:25",
    "[::ffff:10.0.0.1%eth0]:25",
    "[2001:db8::1%25eth0]:25",
    "[::ffff:10.0.0.1%25eth0]:25",
    "Smtp1.Example.Org:25",
    "smtp1.example.org..:25",
    "Relay.Example.Org:25",
]

# What a message offers to write: the value whole, in quotes, or an IPv4 address for a mapped one
_OFFERED = re.compile(r"(?:write the IPv4 address (\S+) itself|\('([^']+)'\)|: write '([^']+)')")


def _told(tmp_path: Path, old: str, new: str, field: str, whole: str) -> list[str]:
    project = project_copy(tmp_path)
    path = project / "Pulumi.prod.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new.format(w=whole), 1), encoding="utf-8")
    try:
        load_settings(project, "prod")
    except PicError as refused:
        return [ln for ln in str(refused).splitlines() if f" {field}" in ln]
    return []


def _offers_are_taken(tmp_path: Path, setting: tuple[str, str, str, str], value: str, *, port: bool = False) -> None:
    """Each value offered for the setting's whole value (``value`` in it), put there instead, is taken; with
    ``port``, a port written right in ``value`` is kept."""
    old, new, field, whole = setting
    said = _told(tmp_path / "first", old, new, field, whole.format(v=value))
    written = re.search(r":([1-9][0-9]{0,3})$", value) if port else None
    for i, m in enumerate(_OFFERED.finditer("\n".join(said))):
        offered = next(a for a in m.groups() if a)
        again = _told(tmp_path / f"again{i}", old, new, field, offered)
        assert again == [], f"{value!r} was offered {offered!r}: {said}\nthen: {again}"
        assert written is None or written.group() in offered, f"{value!r} was offered {offered!r}: {said}"


@pytest.mark.parametrize("value", ADDRESSES)
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_an_address_offered_is_taken(tmp_path: Path, setting: str, value: str) -> None:
    (tmp_path / "first").mkdir()
    for i in range(4):
        (tmp_path / f"again{i}").mkdir()
    _offers_are_taken(tmp_path, SETTINGS[setting], value)


@pytest.mark.parametrize("value", HOST_PORTS)
@pytest.mark.parametrize("setting", list(HOST_PORT_SETTINGS))
def test_a_host_and_port_offered_is_taken_whole(tmp_path: Path, setting: str, value: str) -> None:
    (tmp_path / "first").mkdir()
    for i in range(4):
        (tmp_path / f"again{i}").mkdir()
    _offers_are_taken(tmp_path, HOST_PORT_SETTINGS[setting], value, port=True)


@pytest.mark.parametrize("value", ["::10.0.0.1", "::224.0.0.1", "::8.8.8.8", "::203.0.113.5"])
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_an_ipv4_compatible_address_is_refused_as_a_mapped_one_is(tmp_path: Path, setting: str, value: str) -> None:
    """An IPv4-compatible IPv6 address (::a.b.c.d, deprecated by RFC 4291 §2.5.5.1, which no router carries) was
    taken where the host fields refuse it (pic:dns.resolver: "::224.0.0.1", pic:smtp.host: "::10.0.0.1"): refused
    in every setting holding an address, with the IPv4 address to write when the setting takes it."""
    old, new, field, whole = SETTINGS[setting]
    (tmp_path / "first").mkdir()
    said = _told(tmp_path / "first", old, new, field, whole.format(v=value))
    assert said and "IPv4-compatible" in said[0], said


@pytest.mark.parametrize(
    ("setting", "value", "offered"),
    [
        ("address", "10.0.0.1%eth0", "'10.0.0.1'"),
        ("smtp host", "10.0.0.1%eth0", "'10.0.0.1'"),
        ("smtp host", "2001:db8::25%eth0", "'2001:db8::25'"),
        ("smtp host", "fe80::25%eth0", None),
        ("address", "fe80::11%eth0", None),
        ("private address", "fe80::11%eth0", None),
        ("listen", "2001:db8::53%eth0", "'2001:db8::53'"),
    ],
)
def test_an_address_with_a_zone_id_is_told_so(tmp_path: Path, setting: str, value: str, offered: str | None) -> None:
    """10.0.0.1%eth0 as a host's address was told it has an invalid label '1%eth0', as a name; fe80::1%eth0 that it
    has a zone, with no word that the address without it is link-local, reached through no interface. Each is told
    it has a zone id, which the setting cannot carry (a firewall rule, ssh's target, a URL), with the address to
    write when the setting takes it, else why not."""
    old, new, field, whole = SETTINGS[setting]
    (tmp_path / "first").mkdir()
    [said] = _told(tmp_path / "first", old, new, field, whole.format(v=value))
    assert "zone id" in said and "label" not in said, said
    if offered is None:
        assert "link-local" in said and _OFFERED.search(said) is None, said
    else:
        assert f"give the address alone ({offered})" in said, said


@pytest.mark.parametrize(
    ("url", "offered"),
    [
        ("http://[fe80::1%25eth0]/debian/", None),
        ("http://[fe80::1%eth0]/debian/", None),
        ("http://[2001:db8::80%25eth0]/debian/", "http://[2001:db8::80]/debian/"),
        ("http://10.0.0.80%25eth0/debian/", "http://10.0.0.80/debian/"),
    ],
)
def test_a_zone_id_in_an_apt_source_s_url_is_told_what_it_is(tmp_path: Path, url: str, offered: str | None) -> None:
    """http://[fe80::1%25eth0]/debian/ (a zone id as RFC 6874 writes it in a URL) was hidden as a possible secret
    and told only that it is no URL; it is shown and told it holds a zone id, which the image's build (apt and curl
    in a container, whose interfaces are not the host's) cannot use; the URL without it offered when its address
    is reached without one."""
    old, new, field, _ = HOST_PORT_SETTINGS["apt source"]
    (tmp_path / "first").mkdir()
    [said] = _told(tmp_path / "first", old, new, field, url)
    assert f'"{url}"' in said and "not shown" not in said and "zone id" in said, said
    if offered is None:
        assert "link-local" in said and _OFFERED.search(said) is None, said
    else:
        assert f"write '{offered}'" in said, said
        (tmp_path / "again").mkdir()
        assert _told(tmp_path / "again", old, new, field, offered) == [], said


@pytest.mark.parametrize("setting", list(HOST_PORT_SETTINGS))
@pytest.mark.parametrize(
    ("address", "hidden"),
    [("fe80::1%velo75paris", True), ("2001:db8::1%soleil12azur", True), ("fe80::1%enp3s0", False)],
)
def test_a_zone_id_of_host_and_port_is_read_as_the_address_alone_s(
    tmp_path: Path, setting: str, address: str, hidden: bool
) -> None:
    """pic:smtp.host: fe80::1%velo75paris (a password's shape as the zone id) was hidden, and host_relay:
    [fe80::1%velo75paris]:25 shown whole: the address of host:port is read as the address alone is, its zone id
    hidden or shown alike."""
    old, new, field, whole = HOST_PORT_SETTINGS[setting]
    alone_old, alone_new, alone_field, alone_whole = SETTINGS["smtp host"]
    for name in ("alone", "first"):
        (tmp_path / name).mkdir()
    [alone] = _told(tmp_path / "alone", alone_old, alone_new, alone_field, alone_whole.format(v=address))
    [said] = _told(tmp_path / "first", old, new, field, whole.format(v=f"[{address}]:25"))
    assert ("not shown" in alone) == hidden, alone
    assert ("not shown" in said) == hidden and (address.partition("%")[2] in said) != hidden, said


NO_SERVER_THERE = ["0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255", "0.1.2.3", "240.0.0.1", "fe80::1"]


@pytest.mark.parametrize("address", NO_SERVER_THERE)
@pytest.mark.parametrize("setting", ["smtp host", *HOST_PORT_SETTINGS])
def test_a_service_at_an_address_no_server_holds_is_refused(tmp_path: Path, setting: str, address: str) -> None:
    """pic:smtp.host: 224.0.0.1, host_relay: 0.0.0.0:25, socks5://[::]:1080, http://255.255.255.255/debian/ were
    taken: pic notify, the hosts' mail, the provider and the images' builds then sent to a multicast group, the
    broadcast address or no one. An address no server holds (unspecified, this network's, multicast, broadcast,
    reserved; an IPv6 link-local one, reached only with a zone id) is refused where a service's host goes."""
    if setting == "smtp host":
        old, new, field, whole = SETTINGS[setting]
        value = address
    else:
        old, new, field, whole = HOST_PORT_SETTINGS[setting]
        value = f"[{address}]:25" if ":" in address else f"{address}:25"
    (tmp_path / "first").mkdir()
    said = _told(tmp_path / "first", old, new, field, whole.format(v=value))
    assert said, f"{whole.format(v=value)} taken"
    assert "no server" in said[0] or "link-local" in said[0], said


def test_the_address_inside_a_zone_id_is_shown_as_written(tmp_path: Path) -> None:
    """::ffff:10.0.0.1%eth0 was told of '::ffff:a00:1' inside, a form the admin never wrote."""
    old, new, field, _ = SETTINGS["smtp host"]
    (tmp_path / "first").mkdir()
    [said] = _told(tmp_path / "first", old, new, field, "::ffff:10.0.0.1%eth0")
    assert "'::ffff:10.0.0.1' inside" in said and "a00" not in said, said


@pytest.mark.parametrize(
    ("setting", "value", "told"),
    [
        ("address", "127.0.0.1.", "is this machine"),
        ("private address", "127.0.0.1.", "and '127.0.0.1' inside is a loopback address"),
        ("address", "203.0.113.5.", "ends with a dot, which no address has: give the address alone ('203.0.113.5')"),
        ("smtp host", "10.0.0.25.", "ends with a dot, which no address has: give the address alone ('10.0.0.25')"),
        ("address", "[203.0.113.5]", "is in square brackets: give the address alone ('203.0.113.5')"),
        ("address", "[::1]", "and '::1' inside is this machine"),
        ("smtp host", "[2001:db8::25]", "is in square brackets: give the address alone ('2001:db8::25')"),
        ("address", "localhost.", "is this machine, not a host reached over ssh"),
        ("address", "LOCALHOST.", "is this machine, not a host reached over ssh"),
    ],
)
def test_an_address_with_a_dot_or_brackets_where_a_host_goes_is_told_as_an_address(
    tmp_path: Path, setting: str, value: str, told: str
) -> None:
    """A host's address of 127.0.0.1. was told to drop the trailing dot as a name's (127.0.0.1 then refused: this
    machine), [203.0.113.5] that an IPv6 address is written bare, localhost. to drop the dot (localhost then
    refused over ssh): each is told as the address (or this machine) it is, the address offered only when taken."""
    old, new, field, whole = SETTINGS[setting]
    (tmp_path / "first").mkdir()
    said = _told(tmp_path / "first", old, new, field, whole.format(v=value))
    assert said and told in said[0], said


@pytest.mark.parametrize(
    ("setting", "items"),
    [
        ("listen", ["203.0.113.5", "::ffff:203.0.113.5"]),
        ("listen", ["[203.0.113.5]", "203.0.113.5"]),
        ("listen", ["203.0.113.5", "203.0.113.05"]),
        ("listen", ["2001:db8::53", "[2001:DB8::53]:53"]),
        ("public address", ["203.0.113.5", "::ffff:203.0.113.5"]),
        ("public address", ["203.0.113.5/32", "203.0.113.5"]),
    ],
)
def test_an_address_offered_in_a_list_is_no_other_item(tmp_path: Path, setting: str, items: list[str]) -> None:
    """pic:dns.listen: ['203.0.113.5', '::ffff:203.0.113.5'] was told to write 203.0.113.5 at [1], then refused as
    given twice: the item is told that the address it holds is another item already."""
    old, new, field, _ = SETTINGS[setting]
    written = "', '".join(items)
    (tmp_path / "first").mkdir()
    said = _told(tmp_path / "first", old, new, field.removesuffix("[0]"), written)
    assert said, items
    assert all(_OFFERED.search(line) is None for line in said), said
    assert any(" is also [" in line for line in said), said


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("address: web1.example.org", "address: DB.Example.org", "pic:hosts.web1.address"),
        ("address: web1.example.org", "address: 'db.example.org.'", "pic:hosts.web1.address"),
        ("private_address: 10.0.0.11", "private_address: '::ffff:10.0.0.10'", "pic:hosts.web1.private_address"),
        # 10.00.0.10: 10.0.0.10 read in octal too (10.0.0.010 is 10.0.0.8 in octal: ambiguous, nothing offered)
        ("private_address: 10.0.0.11", "private_address: '10.00.0.10'", "pic:hosts.web1.private_address"),
        ("private_address: 10.0.0.11", "private_address: '10.0.0.10/24'", "pic:hosts.web1.private_address"),
    ],
)
def test_an_address_offered_to_a_host_is_no_other_host_s(tmp_path: Path, old: str, new: str, field: str) -> None:
    """web1's address: DB.Example.org was told to write db.example.org, db's address, then refused as another
    host's; the host is told the address it holds is the other host's, nothing offered."""
    (tmp_path / "first").mkdir()
    said = _told(tmp_path / "first", old, new.replace("{", "{{").replace("}", "}}"), field, "")
    assert said and all(_OFFERED.search(line) is None for line in said), said
    assert "is also the address of db" in said[0], said


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("host relay", "smtp.example.org Velo2024.Paris"),
        ("host relay", "smtp.example.org:25 Lilas2024.fr"),
        ("db proxy", "[::1%Lilas2024]:1080 x"),
        ("host relay", "[fe80::1%25Soleil2024Azur]:25 x"),
        ("host relay", "[::1%lilas2024]:25"),
        ("host relay", "[fe80::1%25soleil2024azur]:25"),
        ("db proxy", "[2001:db8::1%lilas2024]:1080"),
        ("sftp repository", "[2001:db8::1%25soleil2024azur]:22"),
        # a word in capitals and a year as a name's label, as a password is made and no host named
        ("host relay", "Lilas2024.Velo.org:25"),
        ("db proxy", "Velo2024.Paris.org:1080"),
        ("apt source", "mirror.Lilas2024.org:8080"),
        ("image registry", "Soleil2024Azur.Example.org:5000"),
        ("sftp repository", "Lilas2024.Velo.org:22"),
        # such a label in a name of two labels too
        ("host relay", "Lilas2024.fr:25"),
        ("db proxy", "Velo2024.Paris:1080"),
        ("sftp repository", "Soleil2024Azur.org:22"),
    ],
)
def test_a_password_shaped_as_a_name_or_a_zone_id_is_not_shown(tmp_path: Path, setting: str, value: str) -> None:
    """A password pasted beside a host, shaped as a host's name in capitals (Velo2024.Paris) or written as an
    address's zone id with a capital ([::1%Lilas2024]), was shown by the message refusing the value, once names in
    any case and zone ids were no words read; it is hidden, as before."""
    old, new, field, whole = HOST_PORT_SETTINGS[setting]
    said = _told(tmp_path, old, new, field, whole.format(v=value))
    assert said, value
    for line in said:
        assert not any(word in line.casefold() for word in ("velo2024", "lilas2024", "soleil2024")), line
        assert "not shown" in line, line


@pytest.mark.parametrize("value", ["smtp1.example.org..:25", "smtp1..example.org:25", ".smtp1.example.org:25"])
def test_a_host_with_an_empty_label_is_offered_whole(tmp_path: Path, value: str) -> None:
    """A host with an empty label in a URL (sftp://restic@smtp1.example.org..:25//srv/restic) was offered its name
    alone (write 'smtp1.example.org'), which the repository then refuses as no URL; the whole value is offered, the
    name without its empty labels in it, as for a name in capitals."""
    (tmp_path / "first").mkdir()
    for name in ("again0", "again1", "again2", "again3", "told"):
        (tmp_path / name).mkdir()
    _offers_are_taken(tmp_path, HOST_PORT_SETTINGS["sftp repository"], value, port=True)
    told = _told(tmp_path / "told", *HOST_PORT_SETTINGS["sftp repository"][:3], f"sftp://restic@{value}//srv/restic")
    assert told and "sftp://restic@smtp1.example.org:25//srv/restic" in told[0], told


@pytest.mark.parametrize("zone", ["Lilas2024", "LILAS2024", "25Soleil2024Azur", "lilas2024", "25soleil2024azur"])
def test_a_password_as_the_zone_id_of_an_apt_source_is_not_shown(tmp_path: Path, zone: str) -> None:
    """An apt source's URL whose address in brackets has a zone id with a capital (http://[::1%Lilas2024]:25/debian/)
    was shown whole by the message telling of its zone id, though such a zone is read as a password pasted there in
    every other setting (no interface is named so); the value is hidden, the URL without it still offered."""
    (tmp_path / "told").mkdir()
    old, new, field, whole = HOST_PORT_SETTINGS["apt source"]
    said = _told(tmp_path / "told", old, new, field, whole.format(v=f"[2001:db8::1%{zone}]:8080"))
    assert said, said
    for line in said:
        assert "lilas2024" not in line.casefold() and "soleil2024" not in line.casefold(), line
        assert "not shown" in line and "'http://[2001:db8::1]:8080/debian/'" in line, line


@pytest.mark.parametrize(
    ("setting", "value", "first"),
    [
        ("host relay", "smtp.example.org Velo2024.Paris.org", "smtp.example.org"),
        ("host relay", "smtp.example.org:25 Lilas2024.Velo.org", "smtp.example.org:25"),
        ("host relay", "smtp.example.org:25\tlilas2024.velo.org", "smtp.example.org:25"),
        ("smtp host", "smtp.example.org Velo2024.Paris.org", "smtp.example.org"),
        ("address", "web1.example.org Lilas2024.Velo.org", "web1.example.org"),
        ("private address", "10.0.0.11 Lilas2024.Velo.org", "10.0.0.11"),
        ("resolver", "9.9.9.9 Velo2024.Paris.org", "9.9.9.9"),
        ("listen", "203.0.113.5 Velo2024.Paris.org", "203.0.113.5"),
        ("db proxy", "socks5://127.0.0.1:1080 Lilas2024.Velo.org", "socks5://127.0.0.1:1080"),
        ("apt source", "http://deb.example.org/debian/ Velo2024.Paris.org", "http://deb.example.org/debian/"),
        ("image registry", "registry.example.org/mariadb:11.4 Lilas2024.Velo.org", "registry.example.org/mariadb:11.4"),
        ("host relay", "[::1%Lilas2024]:1080 x.example.org", None),
    ],
)
def test_a_host_holding_a_blank_shows_its_first_word_alone(
    tmp_path: Path, setting: str, value: str, first: str | None
) -> None:
    """host_relay: 'smtp.example.org Velo2024.Paris.org' (a password shaped as a host's name, pasted beside it) was
    shown whole, told as several names. A host, an address, a URL or an image's reference holds no blank: the value
    is told to hold one after its first word, shown unless it may be a secret itself, what follows not shown."""
    old, new, field, _ = {**SETTINGS, **HOST_PORT_SETTINGS}[setting]
    said = _told(tmp_path, old, new, field, value)
    assert said, value
    for line in said:
        assert not any(word in line.casefold() for word in ("velo2024", "lilas2024")), line
        assert "blank" in line and "not shown" in line, line
        assert first is None or f'"{first}"' in line, line
        assert _OFFERED.search(line) is None, line


# An IPv4 address written inside an IPv6 one by NAT64's well-known prefix (RFC 6052), 6to4 (RFC 3056) or SIIT's
# IPv4-translated form (RFC 2765 §2.1), and that address written plain
EMBEDDED = [
    ("64:ff9b::127.0.0.1", "127.0.0.1"),
    ("64:ff9b::10.0.0.1", "10.0.0.1"),
    ("64:ff9b::7f00:1", "127.0.0.1"),
    ("2002:7f00:1::", "127.0.0.1"),
    ("2002:a00:1::1", "10.0.0.1"),
    ("::ffff:0:10.0.0.1", "10.0.0.1"),
    ("::ffff:0:127.0.0.1", "127.0.0.1"),
    ("::ffff:0:8.8.8.8", "8.8.8.8"),
]


@pytest.mark.parametrize(("embedded", "plain"), EMBEDDED)
@pytest.mark.parametrize("setting", [s for s in SETTINGS if s != "public address"])
def test_an_ipv4_address_inside_a_nat64_6to4_or_translated_one_is_held_as_written_plain(
    tmp_path: Path, setting: str, embedded: str, plain: str
) -> None:
    """pic:dns.resolver: 64:ff9b::127.0.0.1 (NAT64's prefix, which RFC 6052 §3.1 forbids before a non-global
    address), 2002:7f00:1:: (6to4 of 127.0.0.1, RFC 3056) and host_relay: [::ffff:0:10.0.0.1]:25 (SIIT's
    IPv4-translated form) were taken where the address written plain is refused: such an address is told as the
    IPv4 address inside, refused where it is, the IPv4 address offered where it is taken, never taken as is."""
    old, new, field, whole = SETTINGS[setting]
    (tmp_path / "plain").mkdir()
    (tmp_path / "embedded").mkdir()
    said = _told(tmp_path / "embedded", old, new, field, whole.format(v=embedded))
    assert said, f"{embedded} taken"
    if _told(tmp_path / "plain", old, new, field, whole.format(v=plain)):
        assert f"'{plain}' inside" in said[0] and _OFFERED.search(said[0]) is None, said
    else:
        assert f"write the IPv4 address {plain} itself" in said[0], said


@pytest.mark.parametrize("value", ["[::ffff:0:10.0.0.1]:25", "[64:ff9b::127.0.0.1]:25", "[2002:7f00:1::]:25"])
@pytest.mark.parametrize("setting", list(HOST_PORT_SETTINGS))
def test_a_host_at_an_ipv4_address_inside_an_ipv6_one_is_offered_whole(
    tmp_path: Path, setting: str, value: str
) -> None:
    """A host:port at such an address is told as the IPv4 address inside: offered whole, or refused."""
    (tmp_path / "first").mkdir()
    for i in range(4):
        (tmp_path / f"again{i}").mkdir()
    old, new, field, whole = HOST_PORT_SETTINGS[setting]
    assert _told(tmp_path / "again3", old, new, field, whole.format(v=value)), value
    _offers_are_taken(tmp_path, HOST_PORT_SETTINGS[setting], value, port=True)


@pytest.mark.parametrize("address", ["64:ff9b::8.8.8.8", "2002:808:808::1"])
def test_a_nat64_or_6to4_address_of_a_global_one_is_taken(tmp_path: Path, address: str) -> None:
    """NAT64 and 6to4 reach a global IPv4 address from IPv6 as their RFCs mean them: taken, as before."""
    old, new, field, whole = SETTINGS["resolver"]
    assert _told(tmp_path, old, new, field, whole.format(v=address)) == [], address


@pytest.mark.parametrize(
    ("setting", "value", "told"),
    [
        ("resolver", "127.1", "is the shorthand of 127.0.0.1"),
        ("resolver", "10.53", "is the shorthand of 10.0.0.53"),
        ("listen", "203.5", "is the shorthand of 203.0.0.5"),
        ("private address", "10.11", "is the shorthand of 10.0.0.11"),
        ("private address", "127.1", "is the shorthand of 127.0.0.1"),
        ("resolver", "localhost", "is a name, this machine's"),
        ("resolver", "LOCALHOST", "is a name, this machine's"),
        ("private address", "localhost", "is a name, this machine's"),
    ],
)
def test_an_address_s_shorthand_or_localhost_is_told_what_it_is(
    tmp_path: Path, setting: str, value: str, told: str
) -> None:
    """pic:dns.resolver: 127.1 and localhost were told they are no IPv4 or IPv6 address, no more: 127.1 is the
    shorthand of 127.0.0.1 (inet_aton's a.b, which ping reads), localhost a name, this machine's; each is told
    so, the address offered where the setting takes it (and taken then), else why not."""
    for name in ("told", "first", "again0", "again1", "again2", "again3"):
        (tmp_path / name).mkdir()
    old, new, field, whole = SETTINGS[setting]
    said = _told(tmp_path / "told", old, new, field, whole.format(v=value))
    assert said and told in said[0], said
    _offers_are_taken(tmp_path, SETTINGS[setting], value)


@pytest.mark.parametrize(("value", "told"), [("127.1:25", "127.0.0.1"), ("10.11:8080", "10.0.0.11")])
@pytest.mark.parametrize("setting", list(HOST_PORT_SETTINGS))
def test_an_address_s_shorthand_as_a_host_is_told_what_it_is(
    tmp_path: Path, setting: str, value: str, told: str
) -> None:
    """pic:smtp.host_relay: 127.1:25 (and the host of pic:db.proxy, the off-site repository, an apt source, an
    image's registry) was told "ends with an all-numeric label: it reads as an IPv4 address, and is no IPv4
    address", where pic:dns.resolver: 127.1 is told the shorthand of 127.0.0.1 since e2146b2, which curl and ssh
    read as that address: told so in a host too, the value with the address whole offered where it is taken."""
    for name in ("told", "first", "again0", "again1", "again2", "again3"):
        (tmp_path / name).mkdir()
    old, new, field, whole = HOST_PORT_SETTINGS[setting]
    said = _told(tmp_path / "told", old, new, field, whole.format(v=value))
    assert said and f"is the shorthand of {told}" in said[0] and "is no IPv4 address" not in said[0], said
    _offers_are_taken(tmp_path, HOST_PORT_SETTINGS[setting], value, port=True)


@pytest.mark.parametrize(
    "written",
    [
        "\uff4d\uff41\uff49\uff4c.example.org:\uff15\uff18\uff17",  # host and port in full-width forms
        "mail.example.org\uff1a587",  # a full-width colon
        "\uff4d\uff41\uff49\uff4c.example.org\uff1a\uff15\uff18\uff17",
    ],
)
@pytest.mark.parametrize("setting", list(HOST_PORT_SETTINGS))
def test_a_host_and_port_in_full_width_forms_is_offered_in_ascii_with_its_port(
    tmp_path: Path, setting: str, written: str
) -> None:
    """pic:smtp.host_relay: \uff4d\uff41\uff49\uff4c.example.org:\uff15\uff18\uff17 was offered
    'mail.example.org', its port left out, and mail.example.org\uff1a587 (a full-width colon) nothing: host:port
    written in full-width forms is offered whole in ASCII (NFKC), its port kept, then taken."""
    for name in ("told", "again"):
        (tmp_path / name).mkdir()
    old, new, field, whole = HOST_PORT_SETTINGS[setting]
    said = _told(tmp_path / "told", old, new, field, whole.format(v=written))
    meant = whole.format(v="mail.example.org:587")
    assert len(said) == 1 and said[0].endswith((f"write {meant!r}", f"did you mean {meant!r}?")), said
    assert _told(tmp_path / "again", old, new, field, meant) == []


# An address in the other forms the C library's inet_aton reads (man inet_aton(3): hexadecimal, octal, one number)
INET_ATON_FORMS = [
    ("0x7f.1", "is 127.0.0.1 written with a number in hexadecimal (0x7f), as inet_aton reads it"),
    ("0xa.11", "is 10.0.0.11 written with a number in hexadecimal (0xa), as inet_aton reads it"),
    ("0177.0.1", "is 127.0.0.1 written with a number in octal (0177), as inet_aton reads it"),
    ("0377.0.0.1", "is 255.0.0.1 written with a number in octal (0377), as inet_aton reads it"),
    ("012.11", "is 10.0.0.11 written with a number in octal (012), as inet_aton reads it"),
]


@pytest.mark.parametrize(("value", "told"), INET_ATON_FORMS)
@pytest.mark.parametrize("setting", ["resolver", "listen", "private address", "public address", "smtp host"])
def test_an_address_in_another_form_inet_aton_reads_is_told_what_it_is(
    tmp_path: Path, setting: str, value: str, told: str
) -> None:
    """pic:dns.resolver: 0x7f.1 (hexadecimal) and 0377.0.0.1 (octal, no address read in decimal) were told they are
    no IPv4 or IPv6 address, a host "ends with an all-numeric label", where 127.1 is told the shorthand it is: ping,
    curl and wget read them with the C library's inet_aton as an address, which each is told, the address offered
    where the setting takes it (and taken then), else why not."""
    for name in ("told", "first", "again0", "again1", "again2", "again3"):
        (tmp_path / name).mkdir()
    old, new, field, whole = SETTINGS[setting]
    said = _told(tmp_path / "told", old, new, field, whole.format(v=value))
    assert said and told in said[0] and "is not an IPv4 or IPv6 address" not in said[0], said
    _offers_are_taken(tmp_path, SETTINGS[setting], value)


@pytest.mark.parametrize(
    ("value", "told"),
    [
        ("\uff11\uff10.\uff10.\uff10.\uff11\uff11", "'10.0.0.11'"),  # full-width digits, ASCII dots
        ("\uff11\uff10\uff0e\uff10\uff0e\uff10\uff0e\uff11\uff11", "'10.0.0.11'"),  # full-width dots too
        ("\uff11\uff10.\uff11\uff11", "is the shorthand of 10.0.0.11"),  # and inet_aton's shorthand inside
    ],
)
@pytest.mark.parametrize("setting", ["resolver", "listen", "private address", "public address", "smtp host"])
def test_an_address_in_full_width_digits_is_told_in_ascii(tmp_path: Path, setting: str, value: str, told: str) -> None:
    """pic:dns.resolver: '\uff11\uff10.\uff10.\uff10.\uff11\uff11' (a Japanese or Chinese keyboard's digits) was told
    it is no IPv4 or IPv6 address, nothing of the address meant, where pic:backup.time: '\uff10\uff13:\uff11\uff15'
    is offered '03:15' and a domain in full-width letters its ASCII: the address read in ASCII (NFKC) is told,
    offered where the setting takes it, and taken then."""
    for name in ("told", "first", "again0", "again1", "again2", "again3"):
        (tmp_path / name).mkdir()
    old, new, field, whole = SETTINGS[setting]
    said = _told(tmp_path / "told", old, new, field, whole.format(v=value))
    assert said and "full-width" in said[0] and told in said[0], said
    assert "is not an IPv4 or IPv6 address" not in said[0], said
    _offers_are_taken(tmp_path, SETTINGS[setting], value)


@pytest.mark.parametrize(("value", "told"), INET_ATON_FORMS[1:3])
@pytest.mark.parametrize("setting", ["host relay", "db proxy", "sftp repository"])
def test_an_address_in_another_form_inet_aton_reads_as_a_host_is_told_what_it_is(
    tmp_path: Path, setting: str, value: str, told: str
) -> None:
    """pic:smtp.host_relay: 0x7f.1:25 was told its host "ends with an all-numeric label" (and not shown, as a secret
    might be): told the address it is, as 127.1:25 is, the value with the address offered where it is taken."""
    for name in ("told", "first", "again0", "again1", "again2", "again3"):
        (tmp_path / name).mkdir()
    old, new, field, whole = HOST_PORT_SETTINGS[setting]
    said = _told(tmp_path / "told", old, new, field, whole.format(v=f"{value}:25"))
    assert said and told in said[0] and "all-numeric label" not in said[0], said
    _offers_are_taken(tmp_path, HOST_PORT_SETTINGS[setting], f"{value}:25", port=True)


@pytest.mark.parametrize(
    ("value", "told"),
    [
        # read as octal, the address is another: both readings said, neither offered (0177.0.0.1 was offered
        # 177.0.0.1, where inet_aton, ping, curl and the resolvers' libraries read 127.0.0.1)
        ("0177.0.0.1", "(0177), which some programs read as octal (as 127.0.0.1: inet_aton, ping and curl), others"),
        ("010.0.0.53", "(010), which some programs read as octal (as 8.0.0.53: inet_aton, ping and curl), others in"),
        # the same address either way, or no octal number (09): nothing more to say
        ("10.0.0.01", "(01), which some programs read as octal: write '10.0.0.1'"),
        ("10.0.0.09", "(09), which some programs read as octal: write '10.0.0.9'"),
    ],
)
def test_a_leading_zero_says_what_octal_makes_of_the_address(tmp_path: Path, value: str, told: str) -> None:
    """pic:dns.resolver: 0177.0.0.1 was offered 177.0.0.1, a public address, with no word of 127.0.0.1, the loopback
    address ping and curl reach with it (octal 0177 is 127): the address the octal reading makes is said when it is
    another than the decimal one."""
    for name in ("told", "first", "again0", "again1", "again2", "again3"):
        (tmp_path / name).mkdir()
    old, new, field, whole = SETTINGS["resolver"]
    said = _told(tmp_path / "told", old, new, field, whole.format(v=value))
    assert said and f"has a leading zero in a number {told}" in said[0], said
    if "others in" in told:
        assert "it is ambiguous" in said[0] and _OFFERED.search(said[0]) is None, said
    _offers_are_taken(tmp_path, SETTINGS["resolver"], value)


def test_a_resolver_s_zone_id_written_as_a_url_writes_it_is_told_so(tmp_path: Path) -> None:
    """pic:dns.resolver: fe80::53%25eth0 (RFC 6874's %25, a URL's) was taken, its zone read as the interface 25eth0,
    which no machine has: the zone id is offered as written outside a URL, as --resolver tells it."""
    for name in ("told", "first", "again0", "again1", "again2", "again3"):
        (tmp_path / name).mkdir()
    old, new, field, _ = SETTINGS["resolver"]
    said = _told(tmp_path / "told", old, new, field, "fe80::53%25eth0")
    assert said and "as a URL writes it (RFC 6874)" in said[0], said
    _offers_are_taken(tmp_path, SETTINGS["resolver"], "fe80::53%25eth0")


@pytest.mark.parametrize(("number", "day"), [(0, "Sun"), (7, "Sun"), (1, "Mon"), (6, "Sat")])
def test_a_drill_day_as_cron_numbers_it_is_offered_its_name(tmp_path: Path, number: int, day: str) -> None:
    """pic:backup.offsite.drill_day: 7 (cron's Sunday, as crontab(5) numbers the days) was told the names alone: the
    day it is in cron's numbering is offered (0 and 7 are Sunday), then taken."""
    (tmp_path / "told").mkdir()
    (tmp_path / "again").mkdir()
    old = 'pic:backup: {time: "03:15", keep_days: 7}'
    new = (
        'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "sftp:restic@vault.example.net:/srv/restic",'
        " drill_day: {w}}}}}"
    )
    said = _told(tmp_path / "told", old, new, "pic:backup.offsite.drill_day", str(number))
    assert said and f"{number} is {day!r} as cron numbers the days (0 or 7 Sunday): write {day}" in said[0], said
    assert _told(tmp_path / "again", old, new, "pic:backup.offsite.drill_day", day) == []


@pytest.mark.parametrize(
    ("written", "shown", "day"),
    [
        ('"7"', "7", "Sun"),
        ("'0'", "0", "Sun"),
        ("\uff13", "\uff13", "Wed"),
        ('"07"', "07", "Sun"),
        ("07", "7", "Sun"),
        ("00", "0", "Sun"),
        ("03", "3", "Wed"),
        ("'005'", "005", "Fri"),
        ("+07", "7", "Sun"),
        ('"+7"', "+7", "Sun"),
        ("\uff10\uff17", "\uff10\uff17", "Sun"),
    ],
)
def test_a_drill_day_as_cron_numbers_it_with_leading_zeros_is_told_in_one_message(
    tmp_path: Path, written: str, shown: str, day: str
) -> None:
    """pic:backup.offsite.drill_day: 7 was offered Sun, but "7" (quoted, as a day's name is), \uff13 (a Japanese or
    Chinese keyboard's digit) and "07" the names alone, and 07 (plain) was told to drop its leading zero, then 7 that
    it is Sunday: two steps for one day. A number 0 to 7, quoted or not, full-width or not, with leading zeros or a sign
    (cron reads 07 as 7, octal and decimal alike) is told the day cron numbers so in one message, then taken."""
    (tmp_path / "told").mkdir()
    (tmp_path / "again").mkdir()
    old = 'pic:backup: {time: "03:15", keep_days: 7}'
    new = (
        'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "sftp:restic@vault.example.net:/srv/restic",'
        " drill_day: {w}}}}}"
    )
    said = _told(tmp_path / "told", old, new, "pic:backup.offsite.drill_day", written)
    assert len(said) == 1, said
    assert said[0].endswith(f"{shown} is {day!r} as cron numbers the days (0 or 7 Sunday): write {day}"), said
    assert _told(tmp_path / "again", old, new, "pic:backup.offsite.drill_day", day) == []


@pytest.mark.parametrize("written", ["010", '"08"', "'-07'", '"7th"'])
def test_a_drill_day_number_no_day_with_leading_zeros_is_offered_no_day(tmp_path: Path, written: str) -> None:
    """010 (8 to YAML 1.1, 10 to 1.2), 08 and -07 are no day cron numbers: nothing is offered for them."""
    (tmp_path / "told").mkdir()
    old = 'pic:backup: {time: "03:15", keep_days: 7}'
    new = (
        'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "sftp:restic@vault.example.net:/srv/restic",'
        " drill_day: {w}}}}}"
    )
    said = _told(tmp_path / "told", old, new, "pic:backup.offsite.drill_day", written)
    assert said and not any("as cron numbers the days" in line for line in said), said


_DRILL_OLD_BACKUP = 'pic:backup: {time: "03:15", keep_days: 7}'
_DRILL_NEW_BACKUP = (
    'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "sftp:restic@vault.example.net:/srv/restic",'
    " drill_day: {w}}}}}"
)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("010", "8 to YAML 1.1 (octal) and 10 to YAML 1.2 (decimal)"),
        ("011", "9 to YAML 1.1 (octal) and 11 to YAML 1.2 (decimal)"),
        ("-010", "-8 to YAML 1.1 (octal) and -10 to YAML 1.2 (decimal)"),
    ],
)
def test_a_drill_day_of_two_readings_neither_a_day_is_told_the_names(tmp_path: Path, written: str, read: str) -> None:
    """pic:backup.offsite.drill_day: 010 was told to 'write the number meant without leading zeros', where neither 8
    nor 10 is a day cron numbers, and the field takes a day's name: it is told neither reading is a day, and what
    to write."""
    (tmp_path / "told").mkdir()
    said = _told(tmp_path / "told", _DRILL_OLD_BACKUP, _DRILL_NEW_BACKUP, "pic:backup.offsite.drill_day", written)
    assert len(said) == 1, said
    assert said[0].endswith(
        f"drill_day: {written} is {'a negative' if written.startswith('-') else 'an'} integer with a leading zero,"
        f" {read}, and neither is a day: cron numbers the days"
        " 0 to 7 (0 or 7 Sunday): write a day's name, Mon to Sun"
    ), said


@pytest.mark.parametrize(
    ("written", "shown", "number", "day"),
    [
        ("1.0", "1.0 (1)", 1, "Mon"),
        ("1e0", "1e0 (1)", 1, "Mon"),
        ("7.", "7. (7)", 7, "Sun"),
        ("0b1", "0b1 (1)", 1, "Mon"),
        ("0b110", "0b110 (6)", 6, "Sat"),
        ("0X3", "0X3 (3)", 3, "Wed"),
        ("0O5", "0O5 (5)", 5, "Fri"),
        ("0x_2", "0x_2 (2)", 2, "Tue"),
        ("0x1", "0x1 (1)", 1, "Mon"),
        ("0o7", "0o7 (7)", 7, "Sun"),
    ],
)
def test_a_drill_day_number_in_another_spelling_is_read_and_offered_its_name(
    tmp_path: Path, written: str, shown: str, number: int, day: str
) -> None:
    """pic:backup.offsite.drill_day: 1.0, 1e0 (numbers YAML reads as 1) and 0b1 (1 in binary, YAML 1.1's integer)
    were given the names alone, where drill_day: 1 and 0x1 (1) are told 'Mon': every spelling of a number is shown
    with its reading and told the day cron numbers so, then the day is taken."""
    (tmp_path / "told").mkdir()
    (tmp_path / "again").mkdir()
    said = _told(tmp_path / "told", _DRILL_OLD_BACKUP, _DRILL_NEW_BACKUP, "pic:backup.offsite.drill_day", written)
    assert len(said) == 1, said
    assert f"drill_day: {shown} is not allowed (expected " in said[0], said
    assert said[0].endswith(f": {number} is {day!r} as cron numbers the days (0 or 7 Sunday): write {day}"), said
    assert _told(tmp_path / "again", _DRILL_OLD_BACKUP, _DRILL_NEW_BACKUP, "pic:backup.offsite.drill_day", day) == []


@pytest.mark.parametrize(
    ("written", "shown"),
    [("8.0", "8.0 (8)"), ("0X8", "0X8 (8)"), ("0b1000", "0b1000 (8)"), ("1_0", "1_0 (10)"), ("1.5", "1.5")],
)
def test_a_drill_day_number_in_another_spelling_that_is_no_day_is_told_so(
    tmp_path: Path, written: str, shown: str
) -> None:
    """pic:backup.offsite.drill_day: 8.0, 0X8 and 1_0 were given the names alone, where 8 is told it is no day, and
    0b1000 was hidden as a password: each is shown with its reading and told it is no day."""
    (tmp_path / "told").mkdir()
    said = _told(tmp_path / "told", _DRILL_OLD_BACKUP, _DRILL_NEW_BACKUP, "pic:backup.offsite.drill_day", written)
    assert len(said) == 1, said
    assert f"drill_day: {shown} is not allowed (expected " in said[0], said
    number = shown.rsplit(" ", maxsplit=1)[-1].strip("()")
    assert said[0].endswith(
        f": {number} is no day: cron numbers the days 0 to 7 (0 or 7 Sunday): write a day's name, Mon to Sun"
    ), said


@pytest.mark.parametrize(
    "written",
    [
        "sftp:restic@0x0a.0.0.11:/srv/restic",
        "sftp:restic@0xa00000b:/srv/restic",
        "sftp://restic@0x0A.0x0.0.0xB/srv/restic",
        "s3:https://0x0a.0.0.11/bucket",
    ],
)
def test_a_repository_at_an_address_inet_aton_reads_is_shown_and_offered(tmp_path: Path, written: str) -> None:
    """sftp:restic@0x0a.0.0.11:/srv/restic was hidden as a possible secret, its host read as a password beside the
    user, and the repository mended withheld ('write the value so mended (not shown either)'): an address inet_aton
    reads is no password; the value is shown, the mended one offered, then taken (known_hosts then asked for)."""
    for name in ("told", "again"):
        (tmp_path / name).mkdir()
    old = 'pic:backup: {time: "03:15", keep_days: 7}'
    new = 'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "{w}"}}}}'
    said = _told(tmp_path / "told", old, new, "pic:backup.offsite.repository", written)
    assert len(said) == 1 and written in said[0] and "not shown" not in said[0], said
    offered = re.search(r": write '([^']+)'$", said[0])
    assert offered is not None and "10.0.0.11" in offered[1], said
    assert _told(tmp_path / "again", old, new, "pic:backup.offsite.repository", offered[1]) == []


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        (
            "sftp:restic@\uff56\uff41\uff55\uff4c\uff54.\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.\uff4f\uff52\uff47:/srv/restic",
            "sftp:restic@vault.example.org:/srv/restic",
        ),
        (
            "sftp://restic@\uff56\uff41\uff55\uff4c\uff54\uff0e\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff4f\uff52\uff47//srv/restic",
            "sftp://restic@vault.example.org//srv/restic",
        ),
        ("sftp:restic@\uff11\uff10.\uff10.\uff10.\uff11\uff11:/srv/restic", "sftp:restic@10.0.0.11:/srv/restic"),
        ("s3:https://\uff53\uff13.example.org/bucket", "s3:https://s3.example.org/bucket"),
    ],
)
def test_a_repository_s_host_in_full_width_forms_is_offered_in_ascii(tmp_path: Path, written: str, meant: str) -> None:
    """sftp:restic@vault.example.org:/srv/restic with its host in full-width letters (a Japanese or Chinese
    keyboard's) was told it holds a character outside ASCII, where the address settings tell the ASCII form
    (NFKC): the repository with its host in ASCII is offered, then taken."""
    for name in ("told", "again"):
        (tmp_path / name).mkdir()
    old = 'pic:backup: {time: "03:15", keep_days: 7}'
    new = 'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "{w}"}}}}'
    said = _told(tmp_path / "told", old, new, "pic:backup.offsite.repository", written)
    assert len(said) == 1 and said[0].endswith(f"(full-width forms): write {meant!r}"), said
    assert _told(tmp_path / "again", old, new, "pic:backup.offsite.repository", meant) == []


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        (
            "sftp:restic@\uff10\uff58\uff10\uff41\uff0e\uff10\uff0e\uff10\uff0e\uff11\uff11:/srv/restic",
            "sftp:restic@10.0.0.11:/srv/restic",
        ),
        (
            "sftp:restic@\uff36\uff41\uff55\uff4c\uff54.example.org:/srv/restic",
            "sftp:restic@vault.example.org:/srv/restic",
        ),
    ],
)
def test_a_full_width_host_refused_in_ascii_with_an_offer_is_offered_in_one_step(
    tmp_path: Path, written: str, meant: str
) -> None:
    """A full-width host whose ASCII form is refused with a value offered (0x0a.0.0.11 in full-width forms, a capital
    in it) was told the ASCII form and why it is refused, the value to write left out: a second step to learn it.
    The value the ASCII form is offered is offered at once, then taken."""
    for name in ("told", "again"):
        (tmp_path / name).mkdir()
    old = 'pic:backup: {time: "03:15", keep_days: 7}'
    new = 'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "{w}"}}}}'
    said = _told(tmp_path / "told", old, new, "pic:backup.offsite.repository", written)
    assert len(said) == 1 and "(full-width forms)" in said[0] and said[0].endswith(f": write {meant!r}"), said
    assert _told(tmp_path / "again", old, new, "pic:backup.offsite.repository", meant) == []


def test_a_repository_s_path_in_full_width_forms_is_not_changed(tmp_path: Path) -> None:
    """A folder named in full-width letters is a name of its own: nothing is offered for it."""
    (tmp_path / "told").mkdir()
    old = 'pic:backup: {time: "03:15", keep_days: 7}'
    new = 'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "{w}"}}}}'
    written = "sftp:restic@vault.example.org:/srv/\uff52\uff45\uff53\uff54\uff49\uff43"
    said = _told(tmp_path / "told", old, new, "pic:backup.offsite.repository", written)
    assert len(said) == 1 and "write '" not in said[0] and "U+FF52" in said[0], said


def test_a_hidden_repository_is_offered_only_hidden(tmp_path: Path) -> None:
    """sftp:restic@vault.example.net:/srv/Lilas2024x!/./r (a password shape in its path) was offered
    'write sftp:restic@vault.example.net:/srv/.../r', the hidden word written as three dots: a path then taken,
    the backups going to a folder named '...'. The offer is hidden with the value."""
    (tmp_path / "told").mkdir()
    old = 'pic:backup: {time: "03:15", keep_days: 7}'
    new = 'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "{w}"}}}}'
    said = _told(
        tmp_path / "told",
        old,
        new,
        "pic:backup.offsite.repository",
        "sftp:restic@vault.example.net:/srv/Lilas2024x!/./r",
    )
    assert said and "Lilas2024x!" not in said[0] and "/srv/.../r" not in said[0], said
    assert "write the value so mended (not shown either)" in said[0], said


@pytest.mark.parametrize("written", ['"mon-fri"', '"Sat-Sun"', '"Monday, Friday"', '"sun/sat"'])
def test_a_drill_day_naming_several_days_is_offered_none_of_them(tmp_path: Path, written: str) -> None:
    """pic:backup.offsite.drill_day: "mon-fri" (a range of days, as cron writes one) was asked 'did you mean
    'Mon'?', its first day read as a code before a region (fr-FR): taken, the drill runs on Mondays alone, which
    is not what was written. A value naming several of the choices is offered none of them."""
    (tmp_path / "told").mkdir()
    old = 'pic:backup: {time: "03:15", keep_days: 7}'
    new = (
        'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "sftp:restic@vault.example.net:/srv/restic",'
        " drill_day: {w}}}}}"
    )
    said = _told(tmp_path / "told", old, new, "pic:backup.offsite.drill_day", written)
    assert len(said) == 1 and "did you mean" not in said[0] and "write " not in said[0], said
    assert "names several of them" in said[0] and "one is taken" in said[0], said


@pytest.mark.parametrize("written", ["1", "1.5", "true", "2027-01-01", "0x1f"])
def test_a_number_where_a_host_of_the_stack_goes_is_told_the_hosts_there_are(tmp_path: Path, written: str) -> None:
    """pic:default_web_host: 1 (a number, a boolean or a date where a host's name goes) was told refused without the
    hosts of pic:hosts, which "Web9" in quotes was told: they are listed."""
    said = _told(tmp_path, "pic:default_web_host: web1", "pic:default_web_host: {w}", "pic:default_web_host", written)
    listed = ("(the web hosts of pic:hosts: web1)", "it is none of the web hosts of pic:hosts (web1)")
    assert len(said) == 1 and said[0].endswith(listed), said


_DRILL_OLD = 'pic:backup: {time: "03:15", keep_days: 7}'
_DRILL_NEW = (
    'pic:backup: {{time: "03:15", keep_days: 7, offsite: {{repository: "sftp:restic@vault.example.net:/srv/restic",'
    " drill_day: {w}}}}}"
)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ('"\uff2d\uff4f\uff4e"', "Mon"),
        ("\uff2d\uff4f\uff4e", "Mon"),
        ('"\uff53\uff55\uff4e\uff44\uff41\uff59"', "Sun"),
        ('"\uff26\uff32\uff29"', "Fri"),
    ],
)
def test_a_drill_day_in_full_width_letters_is_offered_its_ascii_name(tmp_path: Path, written: str, day: str) -> None:
    """pic:backup.offsite.drill_day: "Ｍｏｎ" (a Japanese or Chinese keyboard's full-width letters) was offered nothing,
    where "MON" and "monday" were offered Mon: the day its letters stand for (NFKC) is offered in ASCII, then taken."""
    (tmp_path / "told").mkdir()
    (tmp_path / "again").mkdir()
    said = _told(tmp_path / "told", _DRILL_OLD, _DRILL_NEW, "pic:backup.offsite.drill_day", written)
    assert len(said) == 1 and "full-width" in said[0] and said[0].endswith(f": write {day}"), said
    assert _told(tmp_path / "again", _DRILL_OLD, _DRILL_NEW, "pic:backup.offsite.drill_day", day) == []


def test_a_drill_day_range_in_full_width_letters_names_several_days(tmp_path: Path) -> None:
    """ "Ｍｏｎ－Ｆｒｉ" names two days, as "mon-fri" does: neither is offered alone."""
    said = _told(
        tmp_path, _DRILL_OLD, _DRILL_NEW, "pic:backup.offsite.drill_day", '"\uff2d\uff4f\uff4e\uff0d\uff26\uff52\uff49"'
    )
    assert len(said) == 1 and "names several of them (Mon, Fri)" in said[0] and "write" not in said[0], said


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("-07", "-07 is a negative integer with a leading zero, -7 to YAML 1.1 and 1.2 alike; -7 is a negative number"),
        ("-7", "-7 is a negative number"),
        ("'-07'", "-07 is a negative number"),
        ("-1", "-1 is a negative number"),
        ("08", "08 is an integer with a leading zero, text to YAML 1.1 (8 and 9 are no octal digits) and the number 8"),
        ("09", "the number 9 to YAML 1.2; 9 is no day"),
        ('"08"', "08 is no day"),
        ("8", "8 is no day"),
        ("010", "8 to YAML 1.1 (octal) and 10 to YAML 1.2 (decimal)"),
    ],
)
def test_a_drill_day_number_no_day_is_told_what_it_is(tmp_path: Path, written: str, words: str) -> None:
    """pic:backup.offsite.drill_day: -07 and 08 were told they are integers 'which YAML 1.1 reads as octal' (08 is
    text to YAML 1.1, -07 a negative number), to write them without the zeros, a number no day still: what YAML
    reads and that cron numbers the days 0 to 7 is told, no day offered."""
    said = _told(tmp_path, _DRILL_OLD, _DRILL_NEW, "pic:backup.offsite.drill_day", written)
    assert len(said) == 1 and words in said[0], said
    assert "as cron numbers the days" not in said[0] and "reads as octal" not in said[0], said
    if "010" not in written:
        assert said[0].endswith("cron numbers the days 0 to 7 (0 or 7 Sunday): write a day's name, Mon to Sun"), said


@pytest.mark.parametrize("value", ["0xCafe1234", "0xCafe1234.", "0xdeadBEEF"])
@pytest.mark.parametrize("setting", [*SETTINGS, *HOST_PORT_SETTINGS])
def test_a_password_shaped_as_hexadecimal_is_no_address_read_nor_offered(
    tmp_path: Path, setting: str, value: str
) -> None:
    """pic:dns.resolver: 0xCafe1234 (a password of hexadecimal mixing capitals and small letters) was told to be
    202.254.18.52 in inet_aton's reading, and offered hidden (write '...'), an offer no one can follow; 0xCafe1234.
    was offered its reading in decimal ('202.254.18.52'). Such a word is a password's shape, no address, in every
    field that takes one (as pic.secrettext reads it)."""
    old, new, field, whole = {**SETTINGS, **HOST_PORT_SETTINGS}[setting]
    said = "\n".join(_told(tmp_path, old, new, field, whole.format(v=value)))
    word = value.rstrip(".")
    assert word.lower() not in said.lower() and str(int(word, 16)) not in said, said
    assert str(ipaddress.IPv4Address(int(word, 16))) not in said, said
    assert "write '...'" not in said and "written with a number in hexadecimal" not in said, said


@pytest.mark.parametrize(
    ("value", "told"),
    [
        ("\uff2c\uff2f\uff23\uff21\uff2c\uff28\uff2f\uff33\uff34:25", "write 'localhost:25/mariadb:11.4'"),
        ("registry.example.org:\uff15\uff10\uff10\uff10", "write 'registry.example.org:5000/mariadb:11.4'"),
        ("registry.example.org:\uff10", 'port "0" is not a port'),
    ],
)
def test_an_image_s_registry_in_full_width_forms_is_offered_what_the_field_takes(
    tmp_path: Path, value: str, told: str
) -> None:
    """pic:db.dev_image: ＬＯＣＡＬＨＯＳＴ:25/mariadb:11.4 was offered 'LOCALHOST:25/mariadb:11.4', refused in turn
    (its capitals), and registry.example.org:０/... 'registry.example.org:0/...', a port 0: an image's reference in
    full-width forms is offered in ASCII as the field takes it, its registry's host:port as pic:smtp.host_relay's is,
    or told what is wrong in ASCII; the value offered is then taken."""
    for name in ("told", "first", "again0", "again1", "again2", "again3"):
        (tmp_path / name).mkdir()
    old, new, field, whole = HOST_PORT_SETTINGS["image registry"]
    said = _told(tmp_path / "told", old, new, field, whole.format(v=value))
    assert said and told in said[0] and "did you mean" not in said[0], said
    _offers_are_taken(tmp_path, HOST_PORT_SETTINGS["image registry"], value)


@pytest.mark.parametrize("setting", ["resolver", "listen", "private address"])
def test_an_address_field_in_full_width_letters_is_told_it_has_letters(tmp_path: Path, setting: str) -> None:
    """pic:dns.resolver: ＬＯＣＡＬＨＯＳＴ (full-width letters) was told it "has digits or signs that only look like
    ASCII", where it has letters: what is told names what the value holds."""
    old, new, field, whole = SETTINGS[setting]
    said = _told(tmp_path, old, new, field, whole.format(v="\uff2c\uff2f\uff23\uff21\uff2c\uff28\uff2f\uff33\uff34"))
    assert said and "has letters, digits or signs that only look like ASCII" in said[0], said


@pytest.mark.parametrize("written", ["true", "no", "on"])
def test_a_boolean_where_a_host_of_the_stack_goes_says_which_hosts_it_is_none_of(tmp_path: Path, written: str) -> None:
    """pic:default_web_host: true was told 'written in quotes it is not one (the web hosts of pic:hosts: web1)',
    'one' of nothing said before: what the text in quotes is none of is named, then listed."""
    said = _told(tmp_path, "pic:default_web_host: web1", "pic:default_web_host: {w}", "pic:default_web_host", written)
    assert len(said) == 1 and f"pic:default_web_host: {written} " in said[0], said
    assert said[0].endswith("is not a string, and written in quotes it is none of the web hosts of pic:hosts (web1)")


@pytest.mark.parametrize(
    ("value", "told"),
    [
        ("10.0.0.256", "has 256 as its 4th number, where each of an IPv4 address's 4 numbers is from 0 to 255"),
        ("::g", "has 'g', which is no hexadecimal digit: an IPv6 address has 8 groups of 1 to 4 hexadecimal digits"),
        ("1::2::3", "has '::' twice: an IPv6 address has 8 groups"),
        ("2001:db8::12345", "has a group of 5 digits, where each has 1 to 4"),
    ],
)
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_an_address_mistyped_is_told_the_part_that_is_wrong_in_every_address_setting(
    tmp_path: Path, setting: str, value: str, told: str
) -> None:
    """pic:dns.resolver, the hosts' private_address and public_addresses: "127.0.0.256" and "::g" were told "is not
    an IPv4 or IPv6 address", pic:smtp.host and a host's address "::g" an invalid label of a name, where pic dns
    check --resolver told Python's words: every setting taking an address tells the part that is wrong and what an
    address is, in the option's words."""
    (tmp_path / "first").mkdir()
    said = _told(tmp_path / "first", *SETTINGS[setting][:3], value)
    assert said and told in said[0] and "not an IPv4 or IPv6 address" not in said[0], said


@pytest.mark.parametrize(("value", "told"), [("LOCALHOST.", "has uppercase letters and ends with a dot: write it")])
def test_localhost_in_capitals_with_its_dot_is_offered_what_is_then_taken(
    tmp_path: Path, value: str, told: str
) -> None:
    """pic:smtp.host: LOCALHOST. was told to write the name without the trailing dot: LOCALHOST, refused in turn for
    its capitals; localhost is offered."""
    (tmp_path / "told").mkdir()
    said = _told(tmp_path / "told", *SETTINGS["smtp host"][:3], value)
    assert said and told in said[0], said
    for folder in ("first", "again0"):
        (tmp_path / folder).mkdir()
    _offers_are_taken(tmp_path, SETTINGS["smtp host"], value)


_MISTYPED_IN_BRACKETS = [
    ("[::g]:25", "'::g' has 'g', which is no hexadecimal digit: an IPv6 address has 8 groups of 1 to 4"),
    ("[1::2::3]:25", "'1::2::3' has '::' twice: an IPv6 address has 8 groups"),
]


@pytest.mark.parametrize(
    ("setting", "value", "told"),
    [(setting, value, told) for setting in HOST_PORT_SETTINGS for value, told in _MISTYPED_IN_BRACKETS],
)
def test_an_ipv6_address_mistyped_in_brackets_is_told_the_part_that_is_wrong(
    tmp_path: Path, setting: str, value: str, told: str
) -> None:
    """pic:smtp.host_relay: "[::g]:25" was told "has [::g] where an IPv6 address in brackets belongs", nothing of what
    is wrong with it: the part that is wrong is told, and what an address is, as for an address alone; pic:db.dev_image:
    "[::g]:25/mariadb:11.4" (told 'is not allowed here: an image reference such as ...') alike."""
    old, new, field, whole = HOST_PORT_SETTINGS[setting]
    (tmp_path / "first").mkdir()
    said = _told(tmp_path / "first", old, new, field, whole.format(v=value))
    assert said and told in said[0], said


@pytest.mark.parametrize("setting", ["host relay", "db proxy", "image registry"])
@pytest.mark.parametrize("value", ["fe80::1%eth0:25", "fe80::1%Eth0:25"])
def test_an_ipv6_address_with_a_zone_id_without_brackets_is_told_the_zone_id(
    tmp_path: Path, setting: str, value: str
) -> None:
    """pic:smtp.host_relay: 'fe80::1%eth0:25' was told 'holds an IPv6 address without brackets: write
    [2001:db8::1]:port', which written so ([fe80::1%eth0]:25) is refused in turn for its zone id: the zone id is told
    with the brackets, in the words [fe80::1%eth0]:25 is told in."""
    old, new, field, whole = HOST_PORT_SETTINGS[setting]
    (tmp_path / "first").mkdir()
    [said] = _told(tmp_path / "first", old, new, field, whole.format(v=value))
    assert "without brackets" in said and "has a zone id after its '%'" in said, said
    assert "give an address reachable without a zone id" in said and "[2001:db8::1]:port" not in said, said
