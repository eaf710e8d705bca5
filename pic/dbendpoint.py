#!/usr/bin/python3
"""pic-db-endpoint: the database endpoint of a web host. It speaks the MariaDB protocol in plain
to the site containers, on the platform's private bridge only, and carries each connection to
MariaDB over TLS, the server's certificate verified against the platform's CA and its name
checked. An application configured with host, user, password and database only (WordPress and
most PHP applications, which have no TLS setting) reaches its database encrypted and verified,
while the member's account stays ``REQUIRE SSL`` and bound to the web host's address.

Standard library only (python3 of Debian 12 or later, which has ``StreamWriter.start_tls``):
the file is installed as is on the web host (``/usr/local/sbin/pic-db-endpoint``) and run by
``pic-db-endpoint.service``.

Protocol steps, per connection (MariaDB's client/server protocol, "Connecting":
https://mariadb.com/kb/en/connection/ ; packets: https://mariadb.com/kb/en/0-packet/):

1. Connect to the server in TCP and read its Initial Handshake packet (sequence id 0). An ERR
   packet (``0xFF``, e.g. "Host ... is not allowed") is passed to the client as is. A server
   that does not offer ``CLIENT_SSL`` is refused: the endpoint never falls back to plain text.
2. Forward that greeting to the client with ``CLIENT_SSL`` cleared: the client then sends its
   Handshake Response in plain (sequence id 1), and never an SSLRequest.
3. A client that asks for TLS anyway (an SSLRequest: the 32 fixed bytes of a Handshake
   Response with ``CLIENT_SSL`` set) is answered with an ERR packet saying that TLS is carried
   by the endpoint, and closed (it cannot be served: the TLS it asks for would end here).
4. Send the server an SSLRequest (sequence id 1): the first 32 bytes of the client's Handshake
   Response (capabilities, max packet size, collation, reserved, MariaDB's extended
   capabilities) with ``CLIENT_SSL`` added, then do the TLS handshake: the platform's CA, the
   server's name (or address) checked, TLS 1.2 at least. A failure is logged and answered with
   an ERR packet.
5. Forward the client's Handshake Response over TLS with ``CLIENT_SSL`` set and the sequence id
   shifted by one (2): the server counts the SSLRequest, the client does not.
6. Authentication exchange (OK, ERR, authentication switch ``0xFE``, more data ``0x01``): the
   server's packets go to the client with their sequence id minus one, the client's answers to
   the server plus one, one for one, until the server sends OK (``0x00``) or ERR (``0xFF``).
7. From then on every command restarts the sequence ids at 0 on both sides: bytes are copied
   both ways unchanged until either side closes.

Limits: at most ``--max-connections`` at once (more are answered ERR 1040, "Too many
connections"); steps 1 to 6 within ``--handshake-timeout`` seconds; the connection to the
server within ``--connect-timeout``. Failures are logged (client address, step, reason) to
standard error, the journal under systemd; never a packet's content, so never a password or
a query.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import signal
import socket
import ssl
import sys
from collections.abc import Sequence
from dataclasses import dataclass

log = logging.getLogger("pic-db-endpoint")

# Capability flags (https://mariadb.com/kb/en/connection/#capabilities).
CLIENT_PROTOCOL_41 = 0x0200
CLIENT_SSL = 0x0800
# The fixed part of a Handshake Response, which is also the whole SSLRequest.
SSL_REQUEST_LENGTH = 32
# The largest packet read during the connection phase; real ones are well under 1 KiB.
HANDSHAKE_PACKET_LIMIT = 1 << 16
# Error numbers of MariaDB (https://mariadb.com/kb/en/mariadb-error-code-reference/).
ER_CON_COUNT_ERROR = 1040
ER_HANDSHAKE_ERROR = 1043
RELAY_CHUNK = 1 << 16
IP_FREEBIND = getattr(socket, "IP_FREEBIND", 15)


class EndpointError(Exception):
    """A connection the endpoint refuses or cannot carry; ``str()`` is safe to log and to show."""


@dataclass(frozen=True)
class Config:
    """Where to listen and where MariaDB is; times in seconds."""

    listen_host: str
    listen_port: int
    server_host: str
    server_port: int
    ca_file: str
    server_name: str
    max_connections: int = 200
    handshake_timeout: float = 10.0
    connect_timeout: float = 5.0


# --- packets ---------------------------------------------------------------------------------


async def read_packet(reader: asyncio.StreamReader, limit: int = HANDSHAKE_PACKET_LIMIT) -> tuple[int, bytes]:
    """One packet of the connection phase: (sequence id, payload).

    Raises EndpointError for a packet longer than ``limit`` bytes,
    asyncio.IncompleteReadError when the peer closes mid-packet.
    """
    header = await reader.readexactly(4)
    length = int.from_bytes(header[:3], "little")
    if length > limit:
        raise EndpointError(f"packet of {length} bytes during the connection phase (limit {limit})")
    return header[3], await reader.readexactly(length)


def packet(sequence: int, payload: bytes) -> bytes:
    """A packet: 3-byte little-endian length, sequence id (modulo 256), payload (< 16 MiB)."""
    return len(payload).to_bytes(3, "little") + bytes([sequence % 256]) + payload


def err_payload(code: int, message: str, *, sql_state: str | None = "08S01") -> bytes:
    """An ERR packet's payload; ``sql_state=None`` for the form without SQL state (before the
    client has said it speaks protocol 4.1, as the server itself does for a greeting-time error)."""
    state = b"" if sql_state is None else b"#" + sql_state.encode()
    return b"\xff" + code.to_bytes(2, "little") + state + message.encode()


def greeting_capabilities(greeting: bytes) -> tuple[int, int]:
    """(offset of the lower 2 capability bytes, capabilities) of an Initial Handshake packet.

    Layout: protocol version 10, server version NUL-terminated, connection id (4), scramble
    first part (8), reserved (1), capabilities lower 2 bytes, collation (1), status (2),
    capabilities upper 2 bytes. Raises EndpointError on any other shape.
    """
    if not greeting or greeting[0] != 10:
        raise EndpointError("the server's greeting is not protocol 10")
    end = greeting.find(b"\0", 1)
    offset = end + 1 + 4 + 8 + 1
    if end < 0 or len(greeting) < offset + 7:
        raise EndpointError("the server's greeting is truncated")
    low = int.from_bytes(greeting[offset : offset + 2], "little")
    high = int.from_bytes(greeting[offset + 5 : offset + 7], "little")
    return offset, low | high << 16


def without_ssl(greeting: bytes) -> bytes:
    """The greeting with ``CLIENT_SSL`` cleared, the rest byte for byte."""
    offset, caps = greeting_capabilities(greeting)
    low = (caps & 0xFFFF & ~CLIENT_SSL).to_bytes(2, "little")
    return greeting[:offset] + low + greeting[offset + 2 :]


def with_ssl(response: bytes) -> bytes:
    """A Handshake Response (or its 32 first bytes) with ``CLIENT_SSL`` set."""
    caps = int.from_bytes(response[:4], "little") | CLIENT_SSL
    return caps.to_bytes(4, "little") + response[4:]


def is_final(payload: bytes) -> bool:
    """Whether a server packet of the authentication exchange ends it: OK (0x00) or ERR (0xFF)."""
    return bool(payload) and payload[0] in (0x00, 0xFF)


# --- one connection --------------------------------------------------------------------------


class Connection:
    """One client connection carried to the server (steps 1 to 7 of the module's docstring)."""

    def __init__(
        self, config: Config, tls: ssl.SSLContext, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.config, self.tls = config, tls
        self.client_reader, self.client_writer = reader, writer
        peer = writer.get_extra_info("peername")
        self.peer = join_host_port(peer[0], peer[1]) if isinstance(peer, tuple) else str(peer)
        self.server_writer: asyncio.StreamWriter | None = None
        # The client's next sequence id when the endpoint answers it with an ERR packet.
        self.client_sequence = 0
        self.client_speaks_41 = False

    async def refuse(self, code: int, message: str) -> None:
        """Answer the client with an ERR packet (best effort) and log why."""
        log.warning("%s: refused: %s", self.peer, message)
        state = "08S01" if self.client_speaks_41 else None
        self.client_writer.write(packet(self.client_sequence, err_payload(code, message, sql_state=state)))
        with contextlib.suppress(OSError, ConnectionError):
            await self.client_writer.drain()

    async def run(self) -> None:
        try:
            try:
                server_reader = await asyncio.wait_for(self.handshake(), self.config.handshake_timeout)
            except EndpointError as e:
                await self.refuse(ER_HANDSHAKE_ERROR, f"pic-db-endpoint: {e}")
                return
            except TimeoutError:
                await self.refuse(ER_HANDSHAKE_ERROR, "pic-db-endpoint: connection phase timed out")
                return
            except asyncio.IncompleteReadError:
                log.info("%s: closed during the connection phase", self.peer)
                return
            if server_reader is not None and self.server_writer is not None:
                await self.relay(server_reader, self.server_writer)
        finally:
            await self.close()

    async def handshake(self) -> asyncio.StreamReader | None:
        """Steps 1 to 6; the server's reader when authenticated, None when the server said no."""
        c = self.config
        try:
            server_reader, server_writer = await asyncio.wait_for(
                asyncio.open_connection(c.server_host, c.server_port), c.connect_timeout
            )
        except (TimeoutError, OSError) as e:
            where = join_host_port(c.server_host, c.server_port)
            raise EndpointError(f"cannot reach the database server {where}: {e}") from e
        self.server_writer = server_writer
        # 1. the server's greeting
        _, greeting = await read_packet(server_reader)
        if greeting[:1] == b"\xff":
            self.client_writer.write(packet(0, greeting))
            await self.client_writer.drain()
            log.warning("%s: the server refused the connection before the handshake", self.peer)
            return None
        _, caps = greeting_capabilities(greeting)
        if not caps & CLIENT_SSL:
            raise EndpointError("the database server offers no TLS; refused (never sent in plain)")
        # 2. the greeting without TLS to the client
        self.client_writer.write(packet(0, without_ssl(greeting)))
        await self.client_writer.drain()
        sequence, response = await read_packet(self.client_reader)
        self.client_sequence = sequence + 1
        client_caps = int.from_bytes(response[:4], "little")
        self.client_speaks_41 = bool(client_caps & CLIENT_PROTOCOL_41)
        # 3. a client that asks for TLS itself
        if client_caps & CLIENT_SSL:
            raise EndpointError("TLS is carried by the database endpoint of the web host: connect without TLS options")
        if not self.client_speaks_41 or len(response) < SSL_REQUEST_LENGTH:
            raise EndpointError("the client does not speak protocol 4.1")
        # 4. SSLRequest, then the verified TLS handshake
        server_writer.write(packet(sequence, with_ssl(response[:SSL_REQUEST_LENGTH])))
        await server_writer.drain()
        try:
            await server_writer.start_tls(self.tls, server_hostname=c.server_name)
        except (ssl.SSLError, ssl.CertificateError, OSError) as e:
            raise EndpointError(f"TLS to the database server failed: {e}") from e
        # 5. the client's Handshake Response, one further in the server's count
        server_writer.write(packet(sequence + 1, with_ssl(response)))
        await server_writer.drain()
        # 6. the authentication exchange, sequence ids shifted, until OK or ERR
        while True:
            sequence, payload = await read_packet(server_reader)
            self.client_writer.write(packet(sequence - 1, payload))
            await self.client_writer.drain()
            if is_final(payload):
                if payload[:1] == b"\xff":
                    log.info("%s: the server refused the authentication", self.peer)
                    return None
                return server_reader
            sequence, payload = await read_packet(self.client_reader)
            server_writer.write(packet(sequence + 1, payload))
            await server_writer.drain()

    async def relay(self, server_reader: asyncio.StreamReader, server_writer: asyncio.StreamWriter) -> None:
        """Step 7: copy bytes both ways until either side closes."""
        to_server = asyncio.ensure_future(copy(self.client_reader, server_writer))
        to_client = asyncio.ensure_future(copy(server_reader, self.client_writer))
        _, pending = await asyncio.wait({to_server, to_client}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def close(self) -> None:
        for writer in (self.server_writer, self.client_writer):
            if writer is None:
                continue
            writer.close()
            with contextlib.suppress(OSError, ConnectionError, ssl.SSLError, asyncio.TimeoutError):
                await asyncio.wait_for(writer.wait_closed(), 5)


async def copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy until end of stream; a reset or TLS error ends the copy like an end of stream."""
    with contextlib.suppress(OSError, ConnectionError, ssl.SSLError):
        while chunk := await reader.read(RELAY_CHUNK):
            writer.write(chunk)
            await writer.drain()


# --- the service -----------------------------------------------------------------------------


def client_tls(config: Config) -> ssl.SSLContext:
    """The TLS settings towards MariaDB: the platform's CA only, the name checked, TLS 1.2+.

    Raises OSError / ssl.SSLError when the CA file cannot be read.
    """
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=config.ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``, with IP_FREEBIND so that the service can start before
    the container network's bridge (and its address) exists."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET:
        sock.setsockopt(socket.IPPROTO_IP, IP_FREEBIND, 1)
    sock.bind((host, port))
    sock.setblocking(False)
    return sock


class Endpoint:
    """The listening service: counts connections and hands each one to a Connection."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.tls = client_tls(config)
        self.active = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = Connection(self.config, self.tls, reader, writer)
        if self.active >= self.config.max_connections:
            await connection.refuse(ER_CON_COUNT_ERROR, "Too many connections (pic-db-endpoint)")
            await connection.close()
            return
        self.active += 1
        try:
            await connection.run()
        except Exception:  # a bug must not take the other connections down
            log.exception("%s: unexpected failure", connection.peer)
        finally:
            self.active -= 1

    async def serve(self, ready: asyncio.Event | None = None, stop: asyncio.Event | None = None) -> None:
        """Serve until ``stop`` is set (or SIGTERM / SIGINT when run as the service)."""
        sock = listening_socket(self.config.listen_host, self.config.listen_port)
        server = await asyncio.start_server(self.handle, sock=sock, backlog=128)
        stop = stop or asyncio.Event()
        log.info(
            "listening on %s, carrying to %s over TLS (name %s)",
            join_host_port(self.config.listen_host, self.config.listen_port),
            join_host_port(self.config.server_host, self.config.server_port),
            self.config.server_name,
        )
        if ready is not None:
            ready.set()
        async with server:
            await stop.wait()


def host_port(value: str) -> tuple[str, int]:
    """``ADDRESS:PORT`` (``[v6]:PORT`` for IPv6) as (address, port); raises argparse.ArgumentTypeError.

    An IPv6 address without brackets is refused: its last group and the port would read alike.
    """
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise argparse.ArgumentTypeError(f"{value!r}: expected ADDRESS:PORT")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host and "[" not in host and "]" not in host and (said := _unbracketed(host, port)) is not None:
        raise argparse.ArgumentTypeError(f"{value!r}: {said}")
    elif ":" in host or "[" in host or "]" in host:
        raise argparse.ArgumentTypeError(f"{value!r}: expected ADDRESS:PORT, an IPv6 address in brackets ([v6]:PORT)")
    if not host:
        raise argparse.ArgumentTypeError(f"{value!r}: expected ADDRESS:PORT")
    return host, int(port)


def _unbracketed(host: str, port: str) -> str | None:
    """What ``host:port``, an IPv6 address and a port without brackets, is read as: the address ``host`` and the
    port, and the whole an address alone when it is one (``2001:db8::5:25``); None when ``host`` is no address."""
    try:
        address = ipaddress.IPv6Address(host)
    except ValueError:
        return None
    what = "an IPv6 address without brackets"
    try:
        alone = ipaddress.IPv6Address(f"{host}:{port}")
    except ValueError:
        return f"{what}: write [{address}]:{port}"
    return (
        f"{what}, read two ways: {alone} alone, with no port, or {address} and port {port}: write "
        f"[{address}]:{port}, or [{alone}]:PORT with the port meant"
    )


def join_host_port(host: str, port: int) -> str:
    """``host:port`` for the log, an IPv6 address in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def parse_args(argv: Sequence[str]) -> Config:
    parser = argparse.ArgumentParser(prog="pic-db-endpoint", description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=host_port, required=True, help="ADDRESS:PORT to listen on (plain)")
    parser.add_argument("--server", type=host_port, required=True, help="ADDRESS:PORT of MariaDB (TLS)")
    parser.add_argument("--ca", required=True, help="the CA file the server's certificate is checked against")
    parser.add_argument("--server-name", help="the name or address checked in the certificate (default: the server's)")
    parser.add_argument("--max-connections", type=int, default=Config.max_connections)
    parser.add_argument("--handshake-timeout", type=float, default=Config.handshake_timeout)
    parser.add_argument("--connect-timeout", type=float, default=Config.connect_timeout)
    a = parser.parse_args(argv)
    if a.max_connections < 1 or a.handshake_timeout <= 0 or a.connect_timeout <= 0:
        parser.error("--max-connections and the timeouts must be positive")
    return Config(
        listen_host=a.listen[0],
        listen_port=a.listen[1],
        server_host=a.server[0],
        server_port=a.server[1],
        ca_file=a.ca,
        server_name=a.server_name or a.server[0],
        max_connections=a.max_connections,
        handshake_timeout=a.handshake_timeout,
        connect_timeout=a.connect_timeout,
    )


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    config = parse_args(sys.argv[1:] if argv is None else argv)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await Endpoint(config).serve(stop=stop)

    try:
        asyncio.run(run())
    except (OSError, ssl.SSLError) as e:
        log.error("cannot start: %s", e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
