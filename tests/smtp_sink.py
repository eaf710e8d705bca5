"""A local SMTP server on loopback (aiosmtpd) that keeps every message it accepts.

Recipients listed in ``reject`` are refused at RCPT with 550, as a real server
refuses an unknown mailbox. Runs in a thread of the test process, on a free
port (of a network namespace when one is given: the thread is started inside
it); stopped by the fixture.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from lab.apt_proxy import in_netns
from tests.helpers import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    mail_options: list[str] = field(default_factory=list)  # MAIL FROM's parameters: SMTPUTF8, BODY=8BITMIME...


@dataclass
class Sink:
    port: int
    received: list[Received] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)
    login: tuple[str, str] | None = None  # (user, password) the server requires, when set
    logins: list[str] = field(default_factory=list)  # users who logged in

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
        self.sink.received.append(
            Received(str(envelope.mail_from), list(envelope.rcpt_tos), message, list(envelope.mail_options))
        )
        return "250 Message accepted for delivery"


def _authenticator(sink: Sink) -> Any:
    def check(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword) or sink.login is None:
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        if (user, password) != sink.login:
            return AuthResult(success=False, handled=False)
        sink.logins.append(user)
        return AuthResult(success=True)

    return check


@contextmanager
def running_sink(
    login: tuple[str, str] | None = None, *, smtputf8: bool = True, netns: str | None = None
) -> Iterator[Sink]:
    """A started sink, stopped on exit; with ``login``, only that user may send (AUTH PLAIN/LOGIN,
    offered without TLS: loopback only); ``smtputf8``: whether it offers SMTPUTF8 (RFC 6531);
    ``netns``: the path of a network namespace whose loopback it listens on (setns(2) before the
    server's thread starts: a thread keeps the namespace it was created in)."""
    sink = Sink(free_port(), login=login)
    auth: dict[str, Any] = (
        {"authenticator": _authenticator(sink), "auth_required": True, "auth_require_tls": False} if login else {}
    )
    controller: Any = Controller(_Handler(sink), hostname="127.0.0.1", port=sink.port, enable_SMTPUTF8=smtputf8, **auth)
    with in_netns(netns) if netns else contextlib.nullcontext():
        controller.start()
    try:
        yield sink
    finally:
        controller.stop()
