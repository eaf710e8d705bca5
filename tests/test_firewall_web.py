"""The web hosts' firewall: the nftables ruleset of the base setup (``<h>-setup``), loaded into a
network namespace standing for a web host and probed from a second one standing for the Internet.

What the platform's daemons must receive from outside gets in, on the host that runs them only:
SMTP (the lists' mail) on the mail host, DNS over UDP and TCP to NSD's listen addresses on the DNS
server; ssh, http and https everywhere; anything else is dropped. What leaves: SMTP (port 25) from
the sites' network to the host's relay only (a third namespace stands for the containers' network),
and from the members' accounts on the host (uids of the registry's range) to no one.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from lab.apt_proxy import in_netns
from pic.registry import UID_MAX, UID_MIN
from pic.render import sitemail, web
from pic.settings import Settings, load_settings
from tests.conftest import ROOT, require_program, require_root

# Documentation ranges only (RFC 5737, RFC 3849): no packet is meant for a real host.
HOST_V4, NSD_V4, CLIENT_V4 = "192.0.2.10", "192.0.2.53", "192.0.2.100"
HOST_V6, NSD_V6, CLIENT_V6 = "2001:db8::10", "2001:db8::53", "2001:db8::100"
MAIL_SSH_PORT = 2222  # the mail host's sshd on a port of its own: the rule follows pic:hosts.<h>.ssh_port
TCP_PORTS = (22, MAIL_SSH_PORT, 25, 53, 80, 443, 3306, 8080)  # 3306: the containers' database endpoint
UDP_PORTS = (53, 443, 5353)
WAIT = 3.0  # seconds a probe has to get through; a dropped one never does


def stack(tmp_path: Path, *, dns_server: str | None) -> Settings:
    """The prod stack with three web hosts: web1 runs Postfix and Sympa, NSD serves a zone on
    ``dns_server`` (unset: the mail host), web3 runs neither."""
    project = tmp_path / "project"
    project.mkdir()
    data = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8"))
    config = data["config"]
    web1 = {**config["pic:hosts"]["web1"], "ssh_port": MAIL_SSH_PORT}
    config["pic:hosts"] = {
        **config["pic:hosts"],
        "web1": web1,
        "web2": {"role": "web", "address": "web2.example.org", "private_address": "10.0.0.12", "ssh_user": "deploy"},
        "web3": {"role": "web", "address": "web3.example.org", "private_address": "10.0.0.13", "ssh_user": "deploy"},
    }
    config["pic:mail"] = {**config["pic:mail"], "host": "web1"}
    dns = {"backend": "zonefile", "zones": ["example.org"], "listen": [NSD_V4, NSD_V6]}
    config["pic:dns"] = dns if dns_server is None else {**dns, "server": dns_server}
    (project / "Pulumi.prod.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return load_settings(project, "prod")


def ruleset(settings: Settings, host: str) -> str:
    """The nftables ruleset of ``host``'s setup, without the bridge isolation file it includes."""
    setup = web.render_web_host_setup(settings, host)
    text = setup.split("<<'PIC_NFT_EOF'\n", 1)[1].split("PIC_NFT_EOF\n", 1)[0]
    include = 'include "/etc/nftables.d/pic-isolation.nft"\n'
    assert include in text
    return text.replace(include, "")


def run(*args: str, stdin: str | None = None) -> None:
    done = subprocess.run(list(args), input=stdin, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(args)}: {done.stderr}"


@dataclass
class Namespaces:
    host: str  # the web host: the rendered ruleset and a listener on every probed port
    client: str  # the Internet

    @staticmethod
    def path(name: str) -> str:
        return f"/var/run/netns/{name}"

    def load(self, rules: str) -> None:
        run("ip", "netns", "exec", self.host, "nft", "-f", "-", stdin=rules)


@contextlib.contextmanager
def listeners(netns: str) -> Iterator[dict[tuple[str, int], list[socket.socket]]]:
    """A socket on every probed port, both families, every address of ``netns``."""
    opened: dict[tuple[str, int], list[socket.socket]] = {}
    try:
        with in_netns(netns):
            for proto, ports in (("tcp", TCP_PORTS), ("udp", UDP_PORTS)):
                kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
                for port in ports:
                    for family, anywhere in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
                        s = socket.socket(family, kind)
                        opened.setdefault((proto, port), []).append(s)
                        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                        if family == socket.AF_INET6:
                            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                        s.bind((anywhere, port))
                        if proto == "tcp":
                            s.listen(16)
                        s.setblocking(False)
        yield opened
    finally:
        for group in opened.values():
            for s in group:
                s.close()


@pytest.fixture
def namespaces() -> Iterator[tuple[Namespaces, dict[tuple[str, int], list[socket.socket]]]]:
    """Two namespaces joined by a veth pair: the host holds its own address and NSD's, both families.

    New ones for each test: no connection tracked under one ruleset is let in under the next.
    """
    require_program("ip")
    require_program("nft")
    require_root("network namespaces and nftables")
    spaces = Namespaces(host=f"picfw-{os.getpid()}-host", client=f"picfw-{os.getpid()}-net")
    made: list[str] = []
    try:
        for name in (spaces.host, spaces.client):
            run("ip", "netns", "add", name)
            made.append(name)
            run("ip", "-n", name, "link", "set", "lo", "up")
        veth = ("link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", spaces.client)
        run("ip", "-n", spaces.host, *veth)
        for name, addresses in (
            (spaces.host, (f"{HOST_V4}/24", f"{NSD_V4}/24", f"{HOST_V6}/64", f"{NSD_V6}/64")),
            (spaces.client, (f"{CLIENT_V4}/24", f"{CLIENT_V6}/64")),
        ):
            for address in addresses:
                extra = ["nodad"] if ":" in address else []  # usable at once, not "tentative"
                run("ip", "-n", name, "address", "add", address, "dev", "eth0", *extra)
            run("ip", "-n", name, "link", "set", "eth0", "up")
        with listeners(Namespaces.path(spaces.host)) as opened:
            yield spaces, opened
    finally:
        for name in made:
            subprocess.run(["ip", "netns", "delete", name], capture_output=True, check=False)


def probe(spaces: Namespaces, opened: dict[tuple[str, int], list[socket.socket]], probes: list[str]) -> dict[str, bool]:
    """Whether each probe (``tcp/25 192.0.2.10``) gets through from the client namespace.

    TCP: the handshake completes. UDP: the datagram reaches the host's socket and its answer
    comes back, as a DNS answer does. All probes run at once, for :data:`WAIT` seconds at most.
    """
    reached = dict.fromkeys(probes, False)
    pending_tcp: dict[socket.socket, str] = {}
    udp_clients: dict[socket.socket, str] = {}
    try:
        with in_netns(Namespaces.path(spaces.client)):
            for name in probes:
                proto, rest = name.split("/", 1)
                port_text, address = rest.split(" ", 1)
                family = socket.AF_INET6 if ":" in address else socket.AF_INET
                s = socket.socket(family, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
                s.setblocking(False)
                if proto == "tcp":
                    pending_tcp[s] = name
                    code = s.connect_ex((address, int(port_text)))
                    assert code in (0, errno.EINPROGRESS), f"{name}: {os.strerror(code)}"
                else:
                    udp_clients[s] = name
                    s.sendto(name.encode(), (address, int(port_text)))
        servers = [s for (proto, _), group in opened.items() if proto == "udp" for s in group]
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and not all(reached.values()):
            readable, writable, _ = select.select(
                [*servers, *udp_clients], list(pending_tcp), [], max(0.0, deadline - time.monotonic())
            )
            for s in writable:
                name = pending_tcp.pop(s)
                code = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                assert code == 0, f"{name}: {os.strerror(code)} (a listener should answer every probe let in)"
                reached[name] = True
            for s in readable:
                if s in udp_clients:
                    reached[udp_clients[s]] = s.recv(512).decode() == udp_clients[s]
                else:
                    data, peer = s.recvfrom(512)
                    s.sendto(data, peer)  # the answer, as NSD sends it
    finally:
        for s in [*pending_tcp, *udp_clients]:
            s.close()
        for (proto, _), group in opened.items():
            if proto == "tcp":
                for s in group:  # drop what the handshakes queued
                    with contextlib.suppress(BlockingIOError):
                        while True:
                            s.accept()[0].close()
    return reached


def probes_of(ssh_port: int) -> list[str]:
    """Every probe: each port on the host's own address and NSD's, both families."""
    names: list[str] = []
    for address in (HOST_V4, NSD_V4, HOST_V6, NSD_V6):
        names += [f"tcp/{port} {address}" for port in (ssh_port, 25, 53, 80, 443, 3306, 8080)]
        names += [f"udp/{port} {address}" for port in UDP_PORTS]
    return names


def let_in(ssh_port: int, *, smtp: bool, dns: bool) -> set[str]:
    """What a web host lets in: ssh, http and https; SMTP on the mail host; DNS on NSD's addresses."""
    allowed: set[str] = set()
    for address in (HOST_V4, NSD_V4, HOST_V6, NSD_V6):  # NSD's addresses are the host's too
        allowed |= {f"tcp/{ssh_port} {address}", f"tcp/80 {address}", f"tcp/443 {address}", f"udp/443 {address}"}
        if smtp:
            allowed.add(f"tcp/25 {address}")
    if dns:
        allowed |= {f"{proto}/53 {address}" for proto in ("tcp", "udp") for address in (NSD_V4, NSD_V6)}
    return allowed


@dataclass(frozen=True)
class Case:
    dns_server: str | None  # pic:dns.server (None: the mail host, web1)
    host: str  # the web host whose ruleset is loaded
    smtp: bool  # what it must let in besides ssh, http and https
    dns: bool


@pytest.mark.parametrize(
    "case",
    [
        Case("web2", "web1", smtp=True, dns=False),
        Case("web2", "web2", smtp=False, dns=True),
        Case("web2", "web3", smtp=False, dns=False),
        Case(None, "web1", smtp=True, dns=True),
    ],
    ids=["mail-host", "dns-server", "plain-web-host", "mail-and-dns-host"],
)
def test_the_firewall_lets_in_what_the_hosts_daemons_serve(
    namespaces: tuple[Namespaces, dict[tuple[str, int], list[socket.socket]]], tmp_path: Path, case: Case
) -> None:
    spaces, opened = namespaces
    host = case.host
    settings = stack(tmp_path, dns_server=case.dns_server)
    ssh_port = settings.hosts[host].ssh_port
    assert (ssh_port == MAIL_SSH_PORT) == (host == "web1")
    spaces.load(ruleset(settings, host))
    reached = probe(spaces, opened, probes_of(ssh_port))
    expected = let_in(ssh_port, smtp=case.smtp, dns=case.dns)
    wrong_in = sorted(name for name, ok in reached.items() if ok and name not in expected)
    wrong_out = sorted(name for name, ok in reached.items() if not ok and name in expected)
    assert not wrong_in, f"{host}: let in but should be dropped: {wrong_in}"
    assert not wrong_out, f"{host}: dropped but should be let in: {wrong_out}"


def test_nsd_is_reached_at_its_own_addresses_only(tmp_path: Path) -> None:
    """The rules name NSD's addresses by family; the mail host's local resolver (127.0.0.1) is no
    listen address."""
    settings = stack(tmp_path, dns_server=None)
    listen = [NSD_V4, "192.0.2.54", NSD_V6]
    settings = settings.model_copy(update={"dns": settings.dns.model_copy(update={"listen": listen})})
    rules = ruleset(settings, "web1")
    assert f"ip daddr {{ {NSD_V4}, 192.0.2.54 }} udp dport 53 accept" in rules
    assert f"ip daddr {{ {NSD_V4}, 192.0.2.54 }} tcp dport 53 accept" in rules
    assert f"ip6 daddr {{ {NSD_V6} }} udp dport 53 accept" in rules
    assert f"ip6 daddr {{ {NSD_V6} }} tcp dport 53 accept" in rules
    assert not [line for line in rules.splitlines() if "127.0.0.1" in line and not line.lstrip().startswith("#")]
    assert "dport 53" not in ruleset(settings, "web2")


@pytest.mark.parametrize(
    "dns", [{"backend": "export"}, {"backend": "zonefile", "zones": []}], ids=["export", "no-zone"]
)
def test_no_dns_port_without_zones_served(tmp_path: Path, dns: dict[str, object]) -> None:
    settings = stack(tmp_path, dns_server=None)
    settings = settings.model_copy(update={"dns": settings.dns.model_copy(update=dns)})
    for host in settings.web_hosts:
        assert "dport 53" not in ruleset(settings, host), host
    assert "tcp dport 25 accept" in ruleset(settings, "web1")


def connects(netns: str, uid: int, address: str, port: int) -> bool:
    """Whether a process of ``uid`` in ``netns`` completes a TCP handshake with ``address``:``port``."""
    setpriv = require_program("setpriv")
    code = f"import socket; socket.create_connection(({address!r}, {port}), timeout={WAIT}).close()"
    ids = [f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
    done = subprocess.run(
        ["ip", "netns", "exec", netns, setpriv, *ids, sys.executable, "-I", "-c", code],
        capture_output=True,
        text=True,
        check=False,
    )
    # refused: reset by a rule (or nothing listening); timed out: dropped
    assert done.returncode == 0 or "ConnectionRefusedError" in done.stderr or "TimeoutError" in done.stderr, done.stderr
    return done.returncode == 0


def test_the_members_accounts_on_the_host_speak_smtp_to_no_one(
    namespaces: tuple[Namespaces, dict[tuple[str, int], list[socket.socket]]], tmp_path: Path
) -> None:
    """A member's shell (``ssh: true``) runs as its uid on the host: its SMTP to the host's own Postfix (over
    loopback, trusted) or to another server would meet none of the relay's sender rules; it is reset. The
    platform's own accounts (root, Postfix's, Sympa's, below the members' range) still send, and the members'
    other traffic leaves."""
    spaces, _ = namespaces
    spaces.load(ruleset(stack(tmp_path, dns_server=None), "web1"))
    with listeners(Namespaces.path(spaces.client)):
        for uid in (0, 110, UID_MIN - 1, UID_MAX + 1):
            for address in ("127.0.0.1", HOST_V4, CLIENT_V4):
                assert connects(spaces.host, uid, address, 25), f"uid {uid} to {address}:25"
        for uid in (UID_MIN, 20042, UID_MAX):
            for address in ("127.0.0.1", HOST_V4, CLIENT_V4, CLIENT_V6):
                assert not connects(spaces.host, uid, address, 25), f"uid {uid} to {address}:25 was let out"
            assert connects(spaces.host, uid, CLIENT_V4, 443), f"uid {uid}: https must leave"


def test_the_sites_speak_smtp_to_their_relay_only(
    namespaces: tuple[Namespaces, dict[tuple[str, int], list[socket.socket]]], tmp_path: Path
) -> None:
    """A site's container, on the platform's network behind the host, reaches the host's relay (the gateway,
    port 25) and not another server's port 25: its mail meets the relay's sender rules and rate. Its other
    traffic (https) is routed as before."""
    spaces, _ = namespaces
    sites = f"picfw-{os.getpid()}-sites"
    site = str(ipaddress.ip_network(web.NETWORK_SUBNET)[10])
    prefix = ipaddress.ip_network(web.NETWORK_SUBNET).prefixlen
    run("ip", "netns", "add", sites)
    try:
        run("ip", "-n", sites, "link", "set", "lo", "up")
        run("ip", "-n", spaces.host, "link", "add", "br0", "type", "veth", "peer", "name", "eth0", "netns", sites)
        run("ip", "-n", spaces.host, "address", "add", f"{web.NETWORK_GATEWAY}/{prefix}", "dev", "br0")
        run("ip", "-n", spaces.host, "link", "set", "br0", "up")
        run("ip", "-n", sites, "address", "add", f"{site}/{prefix}", "dev", "eth0")
        run("ip", "-n", sites, "link", "set", "eth0", "up")
        run("ip", "-n", sites, "route", "add", "default", "via", web.NETWORK_GATEWAY)
        run("ip", "-n", spaces.client, "route", "add", web.NETWORK_SUBNET, "via", HOST_V4)
        run("ip", "netns", "exec", spaces.host, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
        spaces.load(ruleset(stack(tmp_path, dns_server="web2"), "web3"))  # a web host that receives no mail
        with listeners(Namespaces.path(spaces.client)):
            assert connects(sites, 0, sitemail.RELAY_ADDRESS, sitemail.RELAY_PORT), "the relay must be reached"
            assert connects(sites, 0, CLIENT_V4, 443), "https must be routed"
            assert connects(sites, 0, CLIENT_V4, 80), "http must be routed"
            assert not connects(sites, 0, CLIENT_V4, 25), "a site reached another server's SMTP"
            assert not connects(sites, 0, HOST_V4, 25), "a site reached SMTP at the host's public address"
    finally:
        subprocess.run(["ip", "netns", "delete", sites], capture_output=True, check=False)
