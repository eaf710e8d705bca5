"""The web host's relay of the sites' mail, as the program renders it, for the tests: Postfix of
Debian's package (tests/postfix_server.py) configured by the rendered relay script
(``pic.render.sitemail.render_relay_script``, without its install and systemd steps), relaying
to an SMTP sink (tests/smtp_sink.py) that keeps each message with its envelope.

On loopback (the sites stand as loopback addresses) or, given a network namespace, where a web
host runs it: at the containers' network gateway (``sitemail.RELAY_ADDRESS``, port 25) of the
engine's namespace, the sink on that namespace's loopback. Needs root, like any Postfix.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lab.apt_proxy import in_netns
from pic.registry import Member
from pic.render import sitemail
from tests import postfix_server
from tests.conftest import require_program, require_root
from tests.smtp_sink import Received, Sink, running_sink


@dataclass
class Relay:
    postfix: postfix_server.Postfix
    sink: Sink
    root: Path  # a directory of the relay's own, removed on exit

    def delivered(self, count: int, timeout: float = 60) -> list[Received]:
        """The sink's messages once it holds at least ``count`` and the relay's queue is empty."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.sink.received) >= count:
                self.postfix.wait_for_queue_empty(max(deadline - time.monotonic(), 1))
                return list(self.sink.received)
            time.sleep(0.2)
        raise AssertionError(
            f"{count} message(s) expected in the sink, {len(self.sink.received)} there:\n"
            + self.postfix.log_text()[-3000:]
        )


@contextlib.contextmanager
def running_relay(
    senders: list[Member],
    *,
    address: str = sitemail.RELAY_ADDRESS,
    port: int = sitemail.RELAY_PORT,
    netns: str | None = None,
    addresses: dict[str, str] | None = None,
    local_networks: str = "127.0.0.0/8",
    mail_host: dict[str, str] | None = None,
    shells: tuple[str, ...] = (),
) -> Iterator[Relay]:
    """The relay of ``senders`` listening on ``address:port`` (in ``netns``, the path of a network
    namespace, when given), started by its rendered script; stopped and removed on exit, failed
    or not. ``addresses``: the sites' addresses by slug when they are not the containers' fixed
    ones (``sitemail.site_address``). ``mail_host``: main.cf settings already there, those of the
    mail host's Postfix for Sympa (``pic.render.mail.postfix_settings``): the relay script is
    then rendered for the mail host and applied over them, as on that host. ``shells``: the accounts
    of members with a shell on the host (refused Postfix's sendmail)."""
    require_root("Postfix runs as root and drops to its own user")
    require_program("postfix")
    # Postfix's own processes run as user postfix: its directories in a place that user can reach.
    root = Path(tempfile.mkdtemp(prefix="pic-relay-"))
    root.chmod(0o755)
    namespace = (lambda: in_netns(netns)) if netns else contextlib.nullcontext
    try:
        with running_sink(netns=netns) as sink:
            postfix = postfix_server.prepare(
                root / "postfix",
                address=address,
                port=port,
                main={**(mail_host or {}), "relayhost": f"[127.0.0.1]:{sink.port}", "smtp_tls_security_level": "none"},
            )
            script = sitemail.render_relay_script(
                "web1",
                senders,
                mailname="web1.example.org",
                config_dir=str(postfix.config),
                cidr_map=str(postfix.config / "pic-sites.cidr"),
                install=False,
                systemd=False,
                addresses=addresses,
                local_networks=local_networks,
                mail_host=mail_host is not None,
                shells=shells,
            )
            (root / "relay.sh").write_text(script)
            enter = ["nsenter", f"--net={netns}"] if netns else []
            with postfix_server.stopped_on_exit(postfix):
                done = subprocess.run(
                    [*enter, "sh", str(root / "relay.sh")], capture_output=True, text=True, check=False, timeout=120
                )
                assert done.returncode == 0, done.stdout + done.stderr + postfix.log_text()[-2000:]
                with namespace():
                    postfix_server.wait_for_banner(postfix)
                yield Relay(postfix, sink, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
