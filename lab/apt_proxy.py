"""An HTTP proxy for apt inside a network namespace that has no route out: listens on the
namespace's loopback, fetches from the Debian mirrors through the caller's own network.

A private engine lives in a network namespace of its own (its bridges, addresses and firewall
rules touch nothing else on the machine); its builds (``docker build --network host``) then
share that namespace, where nothing but this proxy answers. Only GET and HEAD of plain http
URLs on the allowed hosts are forwarded; anything else gets 403.
"""

from __future__ import annotations

import ctypes
import http.client
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

CLONE_NEWNET = 0x40000000
DEBIAN_HOSTS = ("deb.debian.org", "security.debian.org")
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "upgrade"}


@contextmanager
def in_netns(path: str) -> Iterator[None]:
    """Run the body with the calling thread in the network namespace at ``path`` (setns(2))."""
    libc = ctypes.CDLL(None, use_errno=True)
    own = os.open(f"/proc/self/task/{threading.get_native_id()}/ns/net", os.O_RDONLY)
    target = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {path}")
        try:
            yield
        finally:
            if libc.setns(own, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(own)
        os.close(target)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    allowed: tuple[str, ...] = DEBIAN_HOSTS

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._forward()

    def do_GET(self) -> None:
        self._forward()

    def _forward(self) -> None:
        url = urlsplit(self.path)
        if url.scheme != "http" or url.hostname not in self.allowed:
            self.send_error(403, "not an allowed mirror")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        target = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        try:
            target.request(self.command, url.path + (f"?{url.query}" if url.query else ""), headers=headers)
            response = target.getresponse()
            body = response.read()
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in _HOP_BY_HOP | {"content-length", "transfer-encoding"}:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError as exc:
            self.send_error(502, f"mirror unreachable: {exc}")
        finally:
            target.close()


class AptProxy:
    """A running proxy; ``url`` is what ``http_proxy`` is set to inside the namespace."""

    def __init__(self, netns_path: str, port: int = 3142) -> None:
        with in_netns(netns_path):
            # The socket belongs to the namespace it was made in; the threads that serve it stay here.
            self.server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="apt-proxy", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
