"""A local SMTP server on loopback (aiosmtpd) that keeps every message it accepts.

Recipients listed in ``reject`` are refused at RCPT with 550, as a real server
refuses an unknown mailbox. Runs in a thread of the test process, on a free
port; stopped by the fixture.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.test_daemons_web import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Sink:
    port: int
    received: list[Received] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)

    def clear(self) -> None:
        self.received.clear()


class _Handler:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.sink.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.sink.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@contextmanager
def running_sink() -> Iterator[Sink]:
    """A started sink, stopped on exit."""
    sink = Sink(free_port())
    controller: Any = Controller(_Handler(sink), hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
