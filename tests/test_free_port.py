"""The daemon tests' ports: each call gives another one."""

from __future__ import annotations

import socket

from tests.helpers import free_port


def test_free_port_never_gives_a_port_twice_in_a_process() -> None:
    # a daemon given one port for two of its listeners (its admin endpoint and its http port) answered
    # the other one's requests
    tcp = [free_port() for _ in range(300)]
    both = [free_port(udp=True) for _ in range(50)]
    ports = tcp + both
    assert len(set(ports)) == len(ports)
    for port in both[:10]:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagram:
            datagram.bind(("127.0.0.1", port))
