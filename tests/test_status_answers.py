"""pic status against web servers on loopback that answer badly: each is a finding, never a hang or a traceback."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pic.cli import main
from pic.commands import status
from pic.registry import load_registry
from pic.settings import load_settings
from pic.unanswered import Unanswered
from tests.conftest import ROOT, require_program
from tests.generated_registry import generate
from tests.helpers import (
    RESOLVER_ERRORS,
    answering_resolver,
    closed_tcp_port,
    closed_udp_port,
    rcode_reply,
    silent_resolver,
    truncated_reply,
)


@contextmanager
def serving(answer: Callable[[socket.socket], None]) -> Iterator[int]:
    """A server on 127.0.0.1 that reads each request's head, then calls ``answer`` with the connection."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                answer(conn)
            except OSError:
                pass

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


def http_site(port: int, timeout: float = 1.0) -> status.Site:
    """``example.org`` (https) checked over http on ``port``: the redirect only."""
    site = status.Site("example.org", "member", "web1", "running", ["127.0.0.1"])
    probe = status.Probe(None, 0, port, None, timeout, dt.datetime.now(dt.UTC))  # type: ignore[arg-type]
    try:
        status._check_http(site, "127.0.0.1", probe)
    except OSError as exc:
        site.actions.append(f"http: {status.failure(exc, timeout)}")  # as status.check_site says it
    return site


def test_the_redirect_of_a_site_http_never_answered_is_not_said_missing() -> None:
    """No answer over http (nothing listens there; or the web host's address does not resolve, so nothing is
    asked): the REDIRECT column said NO, a redirect missing, where the actions name the real cause."""
    site = http_site(closed_tcp_port())
    assert site.redirect_ok is None and len(site.actions) == 1 and site.actions[0].startswith("http: "), site.actions
    unresolved = status.Site("example.org", "member", "web1", "running", [])
    for checked in (site, unresolved):
        [row] = status.as_text({"sites": [dataclasses.asdict(checked)], "disk": []}).splitlines()[1:2]
        assert row.split()[5] == "-", row


def test_a_server_sending_its_answer_a_byte_at_a_time_is_given_up_after_the_timeout() -> None:
    def drip(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for _ in range(100):  # 0.2 s apart: each read is well within the timeout, the whole is not
            conn.sendall(b"X")
            time.sleep(0.2)

    with serving(drip) as port:
        start = time.monotonic()
        site = http_site(port, timeout=1.0)
        elapsed = time.monotonic() - start
    assert elapsed < 3, f"waited {elapsed:.1f} s with a timeout of 1 s"
    assert site.actions == ["http: no complete answer within 1 second"], site.actions


@pytest.mark.parametrize(
    "code",
    [b"\xb200", b"\xb301", "٣٠١".encode(), b"30", b"3011"],  # Latin-1 superscripts: digits to str.isdigit()
    ids=["superscript-2", "superscript-3", "arabic-indic", "two-digits", "four-digits"],
)
def test_a_status_code_that_is_not_three_ascii_digits_is_no_http_answer(code: bytes) -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 " + code + b" Moved\r\nLocation: https://example.org/\r\n\r\n")

    with serving(answer) as port:
        site = http_site(port)
    assert len(site.actions) == 1 and site.actions[0].startswith("http: not an HTTP answer"), site.actions


@pytest.mark.parametrize(
    ("location", "good"),
    [
        ("https://example.org/", True),
        ("https://example.org", True),
        ("https://EXAMPLE.org:8443/path?x=1", True),
        ("https://example.org.elsewhere.net/", False),
        ("https://example.orgy.net/", False),
        ("https://example.org@elsewhere.net/", False),
        ("https://example.org:x@elsewhere.net/", False),
        ("http://example.org/", False),
        ("https://[example.org/", False),
    ],
)
def test_the_redirect_must_lead_to_the_same_name_over_https(location: str, good: bool) -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(f"HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\n\r\n".encode())

    with serving(answer) as port:
        site = http_site(port)
    shown = location.replace("example.org:x@", "***@")  # a user and password in a URL: never shown
    assert site.redirect == shown
    expected = [] if good else [f"http does not redirect to https (answers 301, {shown})"]
    assert site.actions == expected
    assert site.redirect_ok is good  # the table's REDIRECT column: yes only for a redirect that is right
    [row] = status.as_text({"sites": [dataclasses.asdict(site)], "disk": []}).splitlines()[1:2]
    assert row.split()[5] == ("yes" if good else "NO"), row


def test_a_resolver_that_never_answers_stops_the_run_after_the_first_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the resolver down, each domain would wait out the timeout in turn: the first three go unanswered,
    the run stops there, says why, and exits 3 (something needs action)."""
    members = tmp_path / "members"
    generate(members, 30, load_settings(ROOT, "prod"))
    (tmp_path / "disk-usage").mkdir()
    argv = ["status", "--project", str(ROOT), "--members", str(members), "--disk-usage", str(tmp_path / "disk-usage")]
    with silent_resolver() as (port, asked):
        code = main([*argv, "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "0.2"])
        names = asked()
    out, err = capsys.readouterr()
    assert code == 3, (out, err)
    assert len(names) == 3, f"{len(names)} names looked up, one timeout each: {names}"
    said = f"resolver 127.0.0.1 port {port} no DNS answer at all ({', '.join(sorted(names))}), 0.2 seconds waited"
    assert said in err, err
    assert out == "", out


def test_a_resolver_address_where_nothing_listens_is_said_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No resolver at the address and port (the default 127.0.0.1 of a machine running none): each query is
    refused at once (ICMP port unreachable), which the run waited out as a timeout, 10 s per name: 30 s before
    saying that no DNS answered, and asking whether the network was reachable."""
    (tmp_path / "disk-usage").mkdir()
    argv = ["status", "--project", str(ROOT), "--disk-usage", str(tmp_path / "disk-usage")]
    port = closed_udp_port()
    start = time.monotonic()
    code = main([*argv, "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "10"])
    elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    assert code == 3, (out, err)
    assert elapsed < 2.5, f"{elapsed:.1f} s: a refused query waited out the timeout"
    assert f"resolver 127.0.0.1 port {port} no DNS answer at all (" in err, err
    assert "every query was refused, no DNS server listens at that address and port" in err, err
    assert out == "", out


@pytest.mark.parametrize(("reply", "said", "meaning"), RESOLVER_ERRORS)
def test_a_resolver_answering_every_query_with_an_error_is_said_to_have_answered_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reply: Callable[[bytes], bytes], said: str, meaning: str
) -> None:
    """A resolver that answers each query REFUSED, SERVFAIL, or with bytes that are not DNS did answer: what it
    answered is said, at once, not "no DNS answer at all (...): is the network reachable?"."""
    (tmp_path / "disk-usage").mkdir()
    argv = ["status", "--project", str(ROOT), "--disk-usage", str(tmp_path / "disk-usage")]
    with answering_resolver(reply) as port:
        start = time.monotonic()
        code = main([*argv, "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "5"])
        elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    assert code == 3, (out, err)
    assert elapsed < 2.5, f"{elapsed:.1f} s: an answer waited out the timeout"
    assert f"resolver 127.0.0.1 port {port} " in err and said in err and meaning in err, err
    assert "no DNS answer" not in err and "is the network reachable" not in err, err
    assert out == "", out


@contextmanager
def _resolver_dropping_aaaa() -> Iterator[tuple[int, Callable[[], list[str]]]]:
    """A resolver on 127.0.0.1 that answers every A query (no records) and never an AAAA one, as some broken
    resolvers and middleboxes do. Yields its port and ``asked()``, the names asked for A so far."""
    import dns.message
    import dns.rdatatype

    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()
    names: list[str] = []

    def answer() -> None:
        while not stop.is_set():
            try:
                data, client = server.recvfrom(65535)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            if query.question[0].rdtype == dns.rdatatype.A:
                names.append(query.question[0].name.to_text(omit_final_dot=True))
                server.sendto(dns.message.make_response(query).to_wire(), client)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], lambda: list(names)
    finally:
        stop.set()
        thread.join()
        server.close()


def test_a_resolver_answering_a_but_not_aaaa_is_answering(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name whose A query is answered shows the resolver up, though its AAAA query goes unanswered: the run
    goes on over every site (each said to need action for its lookup), not stopped as if no DNS answered."""
    members = tmp_path / "members"
    generate(members, 6, load_settings(ROOT, "prod"))
    (tmp_path / "disk-usage").mkdir()
    argv = ["status", "--project", str(ROOT), "--members", str(members), "--disk-usage", str(tmp_path / "disk-usage")]
    with _resolver_dropping_aaaa() as (port, asked):
        code = main([*argv, "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "0.2"])
        names = asked()
    out, err = capsys.readouterr()
    assert "no DNS answer at all" not in err, err
    assert code == 3, (out, err)
    settings = load_settings(ROOT, "prod")
    sites = [s.domain for s in status.sites_of(settings, load_registry(members, settings), dt.date.today())]
    assert sites and all(site in names for site in sites), (sites, names)
    assert out.count("DNS: no answer for ") == len(sites), out
    assert "AAAA within 0.2 seconds" in out and "resolution lifetime" not in out, out


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("https://admin:Lilas2024x@elsewhere.example/", "https://***@elsewhere.example/"),
        ("https://deploy:Soleil-Azur-75@example.org/", "https://***@example.org/"),
        ("http://example.org/?password=0xCafe1234", "the value (not shown: it may be a secret)"),
    ],
)
def test_a_password_in_what_a_server_answers_is_never_shown(location: str, shown: str) -> None:
    """A redirect to a URL holding a user and password (a site's own rewrite, a proxy's misconfiguration) was shown
    whole in the action and the JSON's ``redirect``: ``http does not redirect to https (answers 301,
    https://admin:Lilas2024x@elsewhere.example/)``. The user and password are written ``***``, as in every message
    naming a URL, and a value that reads as a secret otherwise is not shown; so are the X-Pic-Php header and the
    line of an answer that is not HTTP, which come from the server too."""
    password = location.partition("@")[0].rpartition(":")[2] if "@" in location else "0xCafe1234"

    def answer(conn: socket.socket) -> None:
        conn.sendall(f"HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\n\r\n".encode())

    with serving(answer) as port:
        site = http_site(port)
    assert site.redirect == shown
    assert site.actions == [f"http does not redirect to https (answers 301, {shown})"]
    text = status.as_text({"sites": [dataclasses.asdict(site)], "disk": []})
    assert password not in text and password not in str(dataclasses.asdict(site)), text

    def php(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Pic-Php: Lilas2024x\r\n\r\n")

    with serving(php) as port:
        static = status.Site("example.org", "member", "web1", "running", ["127.0.0.1"], https=False, php_expected="8.4")
        probe = status.Probe(None, 0, port, None, 1.0, dt.datetime.now(dt.UTC))  # type: ignore[arg-type]
        status._check_http(static, "127.0.0.1", probe)
        status._judge_answer(static)
    assert static.php == "the value (not shown: it may be a secret)"
    assert static.actions == ["answers with PHP the value (not shown: it may be a secret), not 8.4"]

    def not_http(conn: socket.socket) -> None:
        conn.sendall(b"SSH-2.0-OpenSSH Lilas2024x\r\n\r\n")

    with serving(not_http) as port:
        site = http_site(port)
    assert site.actions == ["http: not an HTTP answer: the value (not shown: it may be a secret)"], site.actions


def test_a_connection_refused_is_said_in_words_with_the_address_and_port() -> None:
    """Nothing listening at the web host's ports was said as Python writes the error, its number first: ``http:
    [Errno 111] Connection refused``, without saying where. It is said in words, with the address and port asked."""
    http, https = closed_tcp_port(), closed_tcp_port()
    site = status.Site("127.0.0.1", "member", "web1", "running", ["127.0.0.1"])
    probe = status.Probe(None, https, http, None, 1.0, dt.datetime.now(dt.UTC))  # type: ignore[arg-type]
    status.check_site(site, probe)
    assert site.actions == [
        f"http: connection refused: nothing listens at 127.0.0.1 port {http}",
        f"https: connection refused: nothing listens at 127.0.0.1 port {https}",
    ], site.actions
    reset = ConnectionResetError(104, "Connection reset by peer")
    assert status.failure(reset, 1.0, "127.0.0.1 port 443") == "Connection reset by peer (127.0.0.1 port 443)"


def _silent(conn: socket.socket) -> None:
    time.sleep(3)  # reads the request, never answers


@contextmanager
def mute_server() -> Iterator[int]:
    """A server on 127.0.0.1 that accepts each connection and says nothing (no TLS handshake, no answer)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener.getsockname()[1]


@pytest.mark.parametrize(("timeout", "words"), [(1.0, "1 second"), (0.5, "0.5 seconds"), (2, "2 seconds")])
def test_a_timeout_is_said_in_one_wording_whatever_timed_out(timeout: float, words: str) -> None:
    """A TLS handshake left unanswered was said as the library says it (``https: _ssl.c:989: The handshake
    operation timed out``); an answer not read in time ``no complete answer within 1 seconds``, a connection or a
    read ``timed out``. Each is now said in the same words, one second singular."""
    expected = f"no complete answer within {words}"
    probe = status.Probe(None, 0, 0, None, timeout, dt.datetime.now(dt.UTC))  # type: ignore[arg-type]
    with mute_server() as port:  # the TLS handshake: never answered
        site = status.Site("example.org", "member", "web1", "running", ["127.0.0.1"])
        with pytest.raises(OSError) as raised:
            status._check_tls(site, "127.0.0.1", dataclasses.replace(probe, https_port=port))
    assert status.failure(raised.value, timeout) == expected
    with serving(_silent) as port:  # the http request: read, never answered
        site = status.Site("example.org", "member", "web1", "running", ["127.0.0.1"])
        with pytest.raises(OSError) as raised:
            status._check_http(site, "127.0.0.1", dataclasses.replace(probe, http_port=port))
    assert status.failure(raised.value, timeout) == expected
    assert status.failure(TimeoutError("timed out"), timeout) == expected  # a connection not made in time


def test_a_tls_failure_is_said_without_the_library_s_source_location() -> None:
    """A server answering plain http on the https port: OpenSSL's reason, not its file and line (_ssl.c:1000)."""

    def plain(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(4096)
            plain(conn)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    probe = status.Probe(None, port, 0, None, 2.0, dt.datetime.now(dt.UTC))  # type: ignore[arg-type]
    site = status.Site("example.org", "member", "web1", "running", ["127.0.0.1"])
    with pytest.raises(OSError) as raised:
        status._check_tls(site, "127.0.0.1", probe)
    thread.join(5)
    listener.close()
    said = status.failure(raised.value, 2.0)
    assert "_ssl.c" not in said and said, said


# What dnspython itself says of a failed lookup: never shown to the admin.
_DNSPYTHON_WORDS = (
    "All nameservers failed",
    "resolution lifetime",
    "The DNS",
    "Do53",
    "answered The",
    "Traceback",
    "Error(",
)


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        (rcode_reply("NXDOMAIN"), ["no such domain (NXDOMAIN)", "example.org", "registrar"]),
        (rcode_reply("YXDOMAIN"), ["YXDOMAIN", "example.org A", "DNAME"]),
        (rcode_reply("REFUSED"), ["REFUSED", "example.org A", "does not resolve for this client", "--resolver"]),
        (rcode_reply("SERVFAIL"), ["SERVFAIL", "example.org A", "cannot reach the domain's name servers"]),
        (rcode_reply("NOTIMP"), ["NOTIMP", "example.org A", "does not implement"]),
        (lambda query: b"\x00", ["example.org A", "not a DNS answer", "--port"]),
        (lambda query: None, ["no answer for example.org A within 0.3 seconds", "--timeout"]),
        (truncated_reply, ["example.org A", "truncated", "TCP"]),
    ],
)
def test_a_failed_lookup_is_said_in_the_project_s_words(
    reply: Callable[[bytes], bytes | None], said: list[str]
) -> None:
    """A lookup that failed was said as dnspython words it (``lookup failed: All nameservers failed to answer the
    query example.org. IN A: Server Do53:127.0.0.1@53000 answered NOTIMP``, ``The resolution lifetime expired after
    0.301 seconds: ...``), and a YXDOMAIN answer ended the run with a traceback: each is now said as what happened,
    for which name and record type, and what to do."""
    from pic.dns_check import make_resolver

    with answering_resolver(reply) as port:
        found, error = status._addresses(make_resolver("127.0.0.1", port, 0.3), "example.org", Unanswered())
    assert found == [] and error is not None
    for words in said:
        assert words in error, error
    for words in _DNSPYTHON_WORDS:
        assert words not in error, error


def test_a_lookup_refused_by_the_system_is_said_in_the_project_s_words() -> None:
    """Nothing listens at the resolver's address and port: said as such, not dnspython's list of servers."""
    from pic.dns_check import make_resolver

    resolver = make_resolver("127.0.0.1", closed_udp_port(), 5)
    found, error = status._addresses(resolver, "example.org", Unanswered())
    assert found == [] and error is not None
    assert "example.org A" in error and "no DNS server listens" in error, error
    for words in _DNSPYTHON_WORDS:
        assert words not in error, error


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("a" * 64 + ".example.org", "a label of 64 octets, over the 63 of RFC 1035 section 2.3.4"),
        (".".join(["a" * 60] * 5), "over the 255 octets of RFC 1035 section 2.3.4"),
        ("a..example.org", "an empty label"),
    ],
)
def test_a_name_dns_cannot_ask_is_said_not_raised(name: str, said: str) -> None:
    """A name that is not a DNS name (a label over 63 octets, the whole over 255, an empty label) raised dnspython's
    exception out of pic status: it is said, with the name, and nothing is asked."""
    from pic.dns_check import make_resolver

    resolver = make_resolver("127.0.0.1", closed_udp_port(), 5)
    found, error = status._addresses(resolver, name, Unanswered())
    assert found == [] and error is not None
    assert name in error and said in error, error
    for words in _DNSPYTHON_WORDS:
        assert words not in error, error


@pytest.mark.parametrize("key_first", [False, True])
def test_a_ca_file_holding_a_private_key_beside_its_certificate_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key_first: bool
) -> None:
    """--ca-file ca.pem holding the CA's certificate and its private key (the pair saved in one file, as some
    tools write it) was taken without a word: OpenSSL loads the certificates and passes over the key (`openssl
    verify -CAfile` does too), and the key, which signs every certificate the file vouches for, sits where
    whoever checks a site is given it. The run warns of it by its BEGIN line, the key never shown."""
    from cryptography.hazmat.primitives import serialization

    from tests.tlsutil import make_ca

    ca = make_ca()
    cert = ca.cert.public_bytes(serialization.Encoding.PEM)
    key = ca.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(key + cert if key_first else cert + key)
    line = 1 if key_first else cert.count(b"\n") + 1
    (tmp_path / "disk-usage").mkdir()
    argv = ["status", "--project", str(ROOT), "--disk-usage", str(tmp_path / "disk-usage"), "--ca-file", str(ca_file)]
    code = main([*argv, "--resolver", "127.0.0.1", "--port", str(closed_udp_port()), "--timeout", "1"])
    out, err = capsys.readouterr()
    assert code == 3, (out, err)
    said = f"warning: {ca_file} holds a private key (-----BEGIN PRIVATE KEY-----, line {line}) beside its certificate"
    assert said in err, err
    body = b"".join(key.splitlines()[1:-1]).decode()
    assert not any(part in err + out for part in (body[:16], body[-16:])), err
    # the file is one OpenSSL verifies with, the key passed over: taken, warned of only
    verified = subprocess.run(
        [require_program("openssl"), "verify", "-CAfile", str(ca_file), str(ca_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0 and ": OK" in verified.stdout, verified


def test_the_warning_of_a_private_key_in_the_ca_file_is_in_the_json_as_in_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pic status --format json left out the warning of a private key found in --ca-file, which the run with the
    table told (on the standard error alone, the summary counting no warning of it): every warning is in the JSON
    (ca_file_warnings) and in the table (its own lines, counted in the summary), the key never shown."""
    import json

    import dns.message
    from cryptography.hazmat.primitives import serialization

    from tests.tlsutil import make_ca

    ca = make_ca()
    cert = ca.cert.public_bytes(serialization.Encoding.PEM)
    key = ca.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(cert + key)
    (tmp_path / "disk-usage").mkdir()
    argv = ["status", "--project", str(ROOT), "--disk-usage", str(tmp_path / "disk-usage"), "--ca-file", str(ca_file)]
    line = cert.count(b"\n") + 1
    said = f"{ca_file} holds a private key (-----BEGIN PRIVATE KEY-----, line {line}) beside its"
    outputs = {}
    with answering_resolver(lambda query: dns.message.make_response(dns.message.from_wire(query)).to_wire()) as port:
        for form in ("table", "json"):
            code = main([*argv, "--format", form, "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "1"])
            outputs[form] = capsys.readouterr().out
            assert code == 3, outputs[form]  # no address for any domain: to act on
    data = json.loads(outputs["json"])
    assert len(data["ca_file_warnings"]) == 1 and data["ca_file_warnings"][0].startswith(f"warning: {said}"), data
    assert f"  warning: {said}" in outputs["table"], outputs["table"]
    sites, warned = len(data["sites"]), len(data["disk_warnings"]) + 1  # the empty directory's, the key's
    assert outputs["table"].endswith(f"{sites} domain(s): {sites} to act on, {warned} warning(s)\n"), outputs["table"]
    body = b"".join(key.splitlines()[1:-1]).decode()
    assert not any(part in outputs["table"] + outputs["json"] for part in (body[:16], body[-16:]))


def test_the_summary_counts_the_domains_to_act_on() -> None:
    """One domain with three actions (no DNS answer, no certificate, no redirect) and one in order was summed up
    '2 domain(s): 3 to act on': the actions were counted where the line names domains; it counts the domains that
    have any, and the warnings one by one, as it says."""
    broken = dataclasses.asdict(
        status.Site(
            "a.example.org",
            "velo-cite",
            "web1",
            "running",
            [],
            actions=["dns: no answer", "https: no certificate", "http: no redirect"],
            warnings=["certificate: 10 days left"],
        )
    )
    fine = dataclasses.asdict(
        status.Site("b.example.org", "velo-cite", "web1", "running", [], warnings=["certificate: 12 days left"])
    )
    text = status.as_text({"sites": [broken, fine], "disk": [], "disk_warnings": []})
    assert text.endswith("\n2 domain(s): 1 to act on, 2 warning(s)\n"), text
