"""Small builders for registry tests: write member files and stack files into a temporary project."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.conftest import ROOT

ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkKKvAqbyVZ8e/bkxxIyZTS0bDUe+4wzaNMw+HxnWcK marie@portable"


def ed25519_key(n: int, comment: str = "gen@pc") -> str:
    """The ``n``-th of a series of distinct ed25519 public keys, always the same (a key opens one account)."""
    seed = hashlib.sha256(f"pic test key {n}".encode()).digest()
    public = ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key()
    return (
        f"{public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()} {comment}"
    )


def member(uid: int = 10600, **fields: Any) -> dict[str, Any]:
    """A valid member's data, with ``fields`` replacing or adding top-level keys."""
    data: dict[str, Any] = {
        "name": "Case Member",
        "contact": {"name": "Case Contact", "email": "case@case-asso.fr"},
        "uid": uid,
    }
    data.update(fields)
    return data


def write_members(directory: Path, members: dict[str, dict[str, Any]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for slug, data in members.items():
        (directory / f"{slug}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


def project_copy(tmp_path: Path, stack: str = "prod") -> Path:
    """A temporary project directory holding a copy of the stack file, to edit freely."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / f"Pulumi.{stack}.yaml", project / f"Pulumi.{stack}.yaml")
    return project


@contextmanager
def silent_resolver() -> Iterator[tuple[int, Callable[[], list[str]]]]:
    """A resolver on 127.0.0.1 that never answers: a UDP socket bound, never read while the command runs.

    Yields its port, and ``asked()``, which reads the queries it received and gives the names asked, in order.
    """
    import dns.message

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))

        def asked() -> list[str]:
            names: list[str] = []
            silent.setblocking(False)
            while True:
                try:
                    data = silent.recv(65535)
                except BlockingIOError:
                    return names
                name = dns.message.from_wire(data).question[0].name.to_text(omit_final_dot=True)
                if name not in names:
                    names.append(name)

        yield silent.getsockname()[1], asked


@contextmanager
def answering_resolver(reply: Callable[[bytes], bytes | None]) -> Iterator[int]:
    """A resolver on 127.0.0.1 that answers each query (its bytes) with ``reply(query)``, or not when it is None.
    Yields its port."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()

    def answer() -> None:
        while not stop.is_set():
            try:
                data, client = server.recvfrom(65535)
            except TimeoutError:
                continue
            answered = reply(data)
            if answered is not None:
                server.sendto(answered, client)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        server.close()


def rcode_reply(rcode: str) -> Callable[[bytes], bytes]:
    """For :func:`answering_resolver`: the answer to each query, no records and ``rcode`` (REFUSED, SERVFAIL...)."""
    import dns.message
    import dns.rcode

    def reply(query: bytes) -> bytes:
        response = dns.message.make_response(dns.message.from_wire(query))
        response.set_rcode(dns.rcode.from_text(rcode))
        return response.to_wire()

    return reply


def truncated_reply(query: bytes) -> bytes:
    """For :func:`answering_resolver`: an answer with the TC flag (RFC 1035 section 4.1.1), which has the client ask
    again over TCP, where nothing listens (the resolver of :func:`answering_resolver` answers UDP alone)."""
    import dns.flags
    import dns.message

    response = dns.message.make_response(dns.message.from_wire(query))
    response.flags |= dns.flags.TC
    return response.to_wire()


def failing_under(zone: str, fail: Callable[[bytes], bytes | None]) -> Callable[[bytes], bytes | None]:
    """A resolver's answers (:func:`tests.helpers.answering_resolver`): no records to every query, ``fail``'s to
    those of names under ``zone``."""
    import dns.message
    import dns.name

    def reply(data: bytes) -> bytes | None:
        query = dns.message.from_wire(data)
        if query.question[0].name.is_subdomain(dns.name.from_text(zone)):
            return fail(data)
        return dns.message.make_response(query).to_wire()

    return reply


@contextmanager
def truncating_then_closing(zone: str) -> Iterator[int]:
    """A resolver on 127.0.0.1 that answers each query of a name under ``zone`` over UDP truncated, and closes each
    TCP connection before answering; no records to the others. Yields its port."""
    reply = failing_under(zone, truncated_reply)
    with contextlib.ExitStack() as stack:
        # The UDP port the system gave, taken for TCP too: another process may hold that TCP port (an outgoing
        # connection's), which a test run beside others met; another port is taken then.
        for _attempt in range(20):
            port = stack.enter_context(answering_resolver(reply))
            try:
                tcp = stack.enter_context(socket.create_server(("127.0.0.1", port)))
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                stack.close()
                continue
            break
        else:
            raise OSError(errno.EADDRINUSE, "no port free for both UDP and TCP in 20 attempts")
        tcp.settimeout(0.1)
        stop = threading.Event()

        def close_each() -> None:
            while not stop.is_set():
                try:
                    conn, _ = tcp.accept()
                except TimeoutError:
                    continue
                with conn:
                    conn.settimeout(1)
                    conn.recv(65535)  # the query read: closed with a FIN, not reset

        thread = threading.Thread(target=close_each, daemon=True)
        thread.start()
        try:
            yield port
        finally:
            stop.set()
            thread.join()


# What a resolver answering with an error, or with bytes that are not DNS, is said to have done: the replies
# (:func:`answering_resolver`) and what pic status, pic dns check, pic lists audit --mx say of them.
RESOLVER_ERRORS = [
    (rcode_reply("REFUSED"), "answered every query REFUSED (", "the resolver does not resolve for this client"),
    (rcode_reply("SERVFAIL"), "answered every query SERVFAIL (", "the resolver failed to resolve them"),
    (lambda query: b"HTTP/1.1 400 Bad Request\r\n\r\n", "with bytes that are not a DNS answer (", "does not speak DNS"),
    (lambda query: b"\x00", "with bytes that are not a DNS answer (", "does not speak DNS"),
    (
        truncated_reply,
        "gave no usable answer to any query (",
        "a truncated answer over UDP, then refused over TCP, nothing listening there",
    ),
]


def closed_udp_port() -> int:
    """A UDP port of 127.0.0.1 where nothing listens (bound, then closed): a query sent there is refused at once
    (ICMP port unreachable), as at the default resolver 127.0.0.1 of a machine that runs none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def closed_tcp_port() -> int:
    """A TCP port of 127.0.0.1 where nothing listens (bound, then closed): a connection there is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The ports free_port gave in this process
_PORTS_GIVEN: set[int] = set()


def free_port(*, udp: bool = False) -> int:
    """A TCP port of 127.0.0.1 where nothing listens (and, with ``udp``, free for UDP too), never one this process was
    given before: the kernel may hand a port just bound and closed out again at the next bind, so that two calls in a
    row gave one port twice (a test's Caddy then had its admin endpoint on its http port, and answered the ACME
    server's challenge with the admin API's 403)."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            if port in _PORTS_GIVEN:
                continue
            if udp:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagram:
                    try:
                        datagram.bind(("127.0.0.1", port))
                    except OSError:
                        continue
        _PORTS_GIVEN.add(port)
        return port
    raise RuntimeError("no free port on 127.0.0.1")


def sympa_valid_email(address: str) -> bool:
    """Sympa's own check of an address (Sympa::Tools::Text::valid_email, from the installed Debian package), given
    as the UTF-8 bytes Sympa handles: it decodes neither its files (Conf.pm reads sympa.conf's listmaster with no
    decoding layer) nor a command's address."""
    script = (
        "use lib '/usr/share/sympa/lib'; use Sympa::Tools::Text; "
        "exit(Sympa::Tools::Text::valid_email($ARGV[0]) ? 0 : 1)"
    )
    proc = subprocess.run(["perl", "-e", script, address], capture_output=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode == 0
