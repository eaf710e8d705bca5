"""pic dns check --expected: the JSON of the expected records, refused as a whole before any lookup."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pic import cli, dns_check
from pic.registry import Registry, load_registry
from pic.settings import load_settings
from tests.conftest import MEMBERS, ROOT
from tests.generated_registry import generate
from tests.helpers import (
    RESOLVER_ERRORS,
    answering_resolver,
    closed_udp_port,
    failing_under,
    rcode_reply,
    silent_resolver,
    truncated_reply,
    truncating_then_closing,
)

TXT = '{"name": "listes.example.org", "type": "TXT", "value": "v=spf1 mx -all"}'


BAD_UTF8 = b'{"l.example.org": [\n{"name": "a", "type": "TXT", "value": "p=\xe9"}]}'
CONTROL = '{"l.example.org": [\n{"name": "a", "type": "TXT", "value": "p=\x01"}]}'


@pytest.mark.parametrize(
    ("content", "said"),
    [
        # the decoder keeps the last of two keys: the first one's records would be checked by no one
        (f'{{"l.example.org": [{TXT}],\n "l.example.org": []}}', 'the key "l.example.org" is given twice'),
        # so is one domain written in another case or with a final dot: the same domain, checked once
        (
            f'{{"l.example.org": [{TXT}],\n "L.Example.ORG.": [{TXT}]}}',
            ':2 L.Example.ORG.: names the domain of "l.example.org" (line 1) again: give its records once',
        ),
        ('{"l.example.org": [{"name": "a", "type": "TXT", "value": "x", "type": "MX"}]}', 'the key "type"'),
        ('{"l.example.org": []}', "l.example.org: has no records: nothing to check"),
        ("[" * 100_000 + "]" * 100_000, "cannot be read as JSON: nested too deeply"),
        (BAD_UTF8, ":2 holds bytes that are not UTF-8 (\\xe9, column 42)"),
        # each byte and its column, each line, as a member file's line tells them (was: the first byte alone)
        (
            b'{"l.example.org": [\n{"name": "\xe9\xe9a", "type": "TXT", "value": "p=\xe9"}]}\n\xff\n',
            ":2 holds bytes that are not UTF-8 (\\xe9\\xe9, column 11; \\xe9, column 44): save it as UTF-8",
        ),
        (b'{"l.example.org": []}\n\xff\n', ":2 holds bytes that are not UTF-8 (\\xff, column 1): save it as UTF-8"),
        # saved as "Unicode" by an editor: the encoding told (was: a byte not UTF-8 at column 1, or, without a
        # byte-order mark, a JSON error at column 2)
        (f'{{"l.example.org": [{TXT}]}}'.encode("utf-16"), ":1 is encoded in UTF-16 (little-endian): save it as UTF-8"),
        (f'{{"l.example.org": [{TXT}]}}'.encode("utf-16-be"), ":1 is encoded in UTF-16 (big-endian): save it as UTF-8"),
        (CONTROL, ":2 cannot be read as JSON: Invalid control character at column 42"),
        (
            '{"l.example.org": [{"name": "a", "type": "TXT", "value": NaN}]}',
            ":1 l.example.org[0].value: NaN is not text: give text",
        ),
        (
            '{"l.example.org": [{"name": null, "type": "TXT", "value": "x"}]}',
            ":1 l.example.org[0].name: is empty (null): give text (the key is required)",
        ),
        ('{"l.example.org": [{"name": "a", "value": "x"}]}', "l.example.org[0].type: is required but missing: give"),
        # the record's own line, the key's for a value of it: not the domain's line
        ('{"l.example.org":\n [{"name": "a", "type": null}]}', ":2 l.example.org[0].type: is empty (null): give TXT"),
        (
            f'{{"l.example.org": [\n  {TXT},\n  {{"name": "b",\n   "type": "TXT",\n   "value": 7}}]}}',
            ":5 l.example.org[1].value: 7 is not text: give text",
        ),
        # a bad value is named at its key, with the field and the value (was: the whole record, at its line)
        (
            '{"l.example.org": [\n  {"name": "a",\n   "type": "txt",\n   "value": "x"}]}',
            ':3 l.example.org[0].type: "txt" is not TXT or MX',
        ),
        (
            '{"l.example.org": [\n  {"name": "a",\n   "type": "A",\n   "value": "x"}]}',
            ':3 l.example.org[0].type: "A" is not TXT or MX',
        ),
        (
            '{"l.example.org": [\n  {"name": ["a"],\n   "type": "TXT",\n   "value": "x"}]}',
            ':2 l.example.org[0].name: ["a"] is not text: give text',
        ),
        ('{"l.example.org": [["a", "TXT", "x"]]}', 'l.example.org[0]: ["a", "TXT", "x"] is not a record'),
        (
            f'{{\n "l.example.org": [\n  {TXT},\n\n  {{"name": "a", "type": "TXT", "value": "x"}},\n  null]}}',
            ":6 l.example.org[2]: is an empty item (null)",
        ),
        (
            f'{{"l.example.org": [\n  {TXT},\n  {{"name": "b",\n   "type": "TXT",\n   "name": "c", "value": "x"}}]}}',
            ':5 cannot be read as JSON: the key "name" is given twice in one object (first on line 3); give it once',
        ),
        (
            f'{{"l.example.org": [{TXT}],\n "m.example.org": [{TXT}],\n\n "l.example.org": []}}',
            ':4 cannot be read as JSON: the key "l.example.org" is given twice in one object (first on line 1)',
        ),
        ('{"l.example.org": [null]}', "l.example.org[0]: is an empty item (null): give a record {name, type, value}"),
        ('{"l.example.org": null}', "l.example.org: is empty (null): give its list of records"),
        ('{"\\u001b[2J.org": 1}', "\\x1b[2J.org: is not a list of records"),
    ],
)
def test_expected_records_that_cannot_all_be_checked_are_refused_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, said: str
) -> None:
    expected = tmp_path / "expected.json"
    if isinstance(content, bytes):
        expected.write_bytes(content)
    else:
        expected.write_text(content, encoding="utf-8")
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    # a resolver that is never asked: the file is refused first
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"{expected}" in err and said in err, err
    assert "resolver 127.0.0.1" not in err, err


@pytest.mark.parametrize("content", [b"", b"\n", b"\xef\xbb\xbf\n  \n"])
def test_an_empty_expected_file_is_warned_of_and_the_settings_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    """An empty --expected file (pulumi stack output ... --json > records.json that wrote nothing) was refused as
    'cannot be read as JSON: Expecting value at column 1', where an empty export and an empty disk usage file are
    warnings naming them: it is warned of, naming it, and the records are checked as the settings declare them (as
    an --expected of {} is)."""
    expected = tmp_path / "expected.json"
    expected.write_bytes(content)
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    assert f"warning: {expected} is empty: " in err and "JSON" not in err.split("\n")[0], err
    assert "resolver 127.0.0.1" in err, err  # checked all the same


def test_expected_records_with_a_byte_order_mark_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pic import dns_check

    expected = tmp_path / "expected.json"
    expected.write_bytes(f'\ufeff{{"listes.example.org": [{TXT}]}}'.encode())
    loaded = dns_check.load_expected(expected)
    assert [(e.name, e.type, e.value) for e in loaded["listes.example.org"]] == [
        ("listes.example.org", "TXT", "v=spf1 mx -all")
    ]


def test_expected_records_add_the_dkim_keys_and_never_narrow_the_domains_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--expected compares the DKIM keys too; a list domain the file lacks (an output taken before the
    member's pulumi up, or another stack's) is still looked up, with a warning, never passed unseen."""
    from pic import dns_check

    asked: list[str] = []

    def nothing_published(resolver: object, name: str, rtype: str, answers: object = None) -> tuple[str, ...]:
        asked.append(name)
        return ()

    monkeypatch.setattr(dns_check, "lookup", nothing_published)
    expected = tmp_path / "expected.json"
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    argv += ["--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"]
    for content in ("{}", f'{{"listes.example.org": [{TXT}]}}'):
        expected.write_text(content, encoding="utf-8")
        asked.clear()
        code = cli.main(argv)
        captured = capsys.readouterr()
        assert code == 1, captured
        assert "listes.amis-du-rhone.org" in captured.out and "0 present" in captured.out, captured.out
        assert "_dmarc.listes.amis-du-rhone.org" in asked, asked
        assert f"warning: {expected} listes.amis-du-rhone.org: is not in it" in captured.err, captured.err
        # a domain the file gives is checked with the file's records, without a warning
        assert ("listes.example.org: is not in it" in captured.err) == (content == "{}"), captured.err
        assert "listes.example.org" in captured.out and "listes.example.org" in asked, captured.out


def test_a_resolver_that_never_answers_stops_the_check_after_the_first_domains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each list domain's first lookup goes unanswered: three of them, then the check stops, naming the resolver
    and the three domains (the resolver or the network is down: one timeout per domain would follow)."""
    members = tmp_path / "members"
    generate(members, 30, load_settings(ROOT, "prod"))
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(members)]
    with silent_resolver() as (port, asked):
        code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "0.2"])
        names = asked()
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert len(names) == 3, f"{len(names)} names looked up, one timeout each: {names}"
    domains = sorted(dns_check.expected_from_settings(load_settings(ROOT, "prod"), _registry(members)))[:3]
    said = (
        f"resolver 127.0.0.1 port {port} no DNS answer at all ({', '.join(domains)}), 0.2 seconds waited for each: "
        "is the network reachable?"
    )
    assert said in err, err
    assert out == "", out


def test_a_resolver_address_where_nothing_listens_is_said_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No resolver at the address and port (the default 127.0.0.1 of a machine running none): the system refuses
    each query at once (ICMP port unreachable), which the check waited out as a timeout, 5 s per domain, and
    then asked whether the network was reachable."""
    port = closed_udp_port()
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--resolver", "127.0.0.1"]
    start = time.monotonic()
    code = cli.main([*argv, "--port", str(port), "--timeout", "5"])
    elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert elapsed < 2.5, f"{elapsed:.1f} s: a refused query waited out the timeout"
    assert f"resolver 127.0.0.1 port {port} no DNS answer at all (" in err, err
    assert "every query was refused, no DNS server listens at that address and port" in err, err
    assert "invalid" not in err, err  # no input is: the resolver is not there (was: "invalid: 1 error")
    assert out == "", out


@pytest.mark.parametrize(("reply", "said", "meaning"), RESOLVER_ERRORS)
def test_a_resolver_answering_every_query_with_an_error_is_said_to_have_answered_it(
    capsys: pytest.CaptureFixture[str], reply: Callable[[bytes], bytes], said: str, meaning: str
) -> None:
    """A resolver that answers each query REFUSED, SERVFAIL, or with bytes that are not DNS did answer: what it
    answered is said, at once, not "no DNS answer at all (...): is the network reachable?"."""
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--resolver", "127.0.0.1"]
    with answering_resolver(reply) as port:
        start = time.monotonic()
        code = cli.main([*argv, "--port", str(port), "--timeout", "5"])
        elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert elapsed < 2.5, f"{elapsed:.1f} s: an answer waited out the timeout"
    assert f"resolver 127.0.0.1 port {port} " in err and said in err and meaning in err, err
    assert "no DNS answer" not in err and "is the network reachable" not in err, err
    assert out == "", out


def test_a_list_domain_left_unanswered_is_said_and_the_others_are_checked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One member's zone the resolver cannot answer for (its name servers down) leaves the other domains checked."""
    silent = "listes.chorale-saint-jean.fr"
    with answering_resolver(_publishing_nothing(silent)) as port:
        argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS)]
        code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "0.2"])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    lines = out.splitlines()
    unanswered = [line for line in lines if line.lstrip().startswith("unanswered")]
    assert unanswered and all(silent in line and "not checked, no answer for" in line for line in unanswered), out
    assert any(line.lstrip().startswith("missing") and "listes.amis-du-rhone.org" in line for line in lines), out
    assert any(line.lstrip().startswith("missing") and "listes.example.org" in line for line in lines), out
    assert f"{len(unanswered)} unanswered" in lines[-1], out


def _registry(members: Path) -> Registry:
    return load_registry(members, load_settings(ROOT, "prod"))


def _publishing_nothing(silent: str) -> Callable[[bytes], bytes | None]:
    """A resolver's answers (:func:`tests.helpers.answering_resolver`): no records to every query, but none at all to
    those under ``silent``."""
    import dns.message
    import dns.name

    def reply(data: bytes) -> bytes | None:
        query = dns.message.from_wire(data)
        if query.question[0].name.is_subdomain(dns.name.from_text(silent)):
            return None
        return dns.message.make_response(query).to_wire()

    return reply


def test_a_domain_of_the_expected_records_that_is_no_list_domain_of_the_stack_is_named_and_not_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--expected of another stack, or taken before a member's lists were removed: a domain the stack has no list
    domain of is named with the file's line, and not looked up (its records are not to publish); the stack's list
    domains the file lacks are named too, and checked. Domains compare in lower case, without a final dot."""
    asked: list[str] = []

    def nothing_published(resolver: object, name: str, rtype: str, answers: object = None) -> tuple[str, ...]:
        asked.append(name)
        return ()

    monkeypatch.setattr(dns_check, "lookup", nothing_published)
    gone = '{"name": "listes.gone.example.net", "type": "TXT", "value": "v=spf1 mx -all"}'
    expected = tmp_path / "expected.json"
    expected.write_text(
        f'{{\n  "listes.example.org": [{TXT}],\n\n  "listes.gone.example.net":\n    [{gone}],\n'
        f'  "LISTES.AMIS-DU-RHONE.ORG.": [{TXT}]\n}}\n',
        encoding="utf-8",
    )
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert (
        f"warning: {expected}:4 listes.gone.example.net: is not a list domain of stack prod "
        "(pic:mail.sympa_domain, the members' lists.domain): not checked"
    ) in err, err
    assert not any("gone" in name for name in asked) and "listes.gone" not in out, (asked, out)
    # a list domain of the stack the file lacks: named, and checked as the settings declare it
    assert f"warning: {expected} listes.chorale-saint-jean.fr: is not in it" in err, err
    assert "_dmarc.listes.chorale-saint-jean.fr" in asked, asked
    # the file's own, whatever its case: checked with the file's records, no warning
    assert "amis-du-rhone" not in err and "listes.amis-du-rhone.org" in out, (err, out)


def _site_spf(mechanism: str) -> dns_check.Expected:
    return dns_check.Expected("asso.org", "TXT", dns_check.SITE_SPF, mechanism, "its web host")


@pytest.mark.parametrize(
    ("record", "mechanism", "status"),
    [
        # a receiver stops at the first term that matches the host: what follows -all is never read
        ("v=spf1 -all a:web1.example.org", "a:web1.example.org", "different"),
        ("v=spf1 ~all ip4:192.0.2.10", "ip4:192.0.2.10", "different"),
        # the host refused (or left neutral) by an earlier term is not let through by a later one
        ("v=spf1 -a:web1.example.org a:web1.example.org -all", "a:web1.example.org", "different"),
        ("v=spf1 ?ip4:192.0.2.0/24 ip4:192.0.2.10 -all", "ip4:192.0.2.10", "different"),
        ("v=spf1 -ip6:2001:db8::/32 ip6:2001:db8::10 -all", "ip6:2001:db8::10", "different"),
        # a network of the other family, however wide, holds none of the web host's addresses (RFC 7208 §5.6)
        ("v=spf1 -ip6:::/0 ip4:192.0.2.10 -all", "ip4:192.0.2.10", "present"),
        ("v=spf1 -ip4:0.0.0.0/0 ip6:2001:db8::10 -all", "ip6:2001:db8::10", "present"),
        ("v=spf1 ip6:::ffff:0:0/96 -all", "ip4:192.0.2.10", "different"),  # IPv4-mapped: no IPv4 sender
        ("v=spf1 ip6:::/0 -all", "ip4:192.0.2.10", "different"),
        # an earlier term refusing another host stops nothing, nor one of the other family
        ("v=spf1 -ip4:198.51.100.7 -ip6:2001:db8::10 ip4:192.0.2.10 -all", "ip4:192.0.2.10", "present"),
        ("v=spf1 -a:web2.example.org A:WEB1.Example.ORG. -all", "a:web1.example.org", "present"),
        # +all lets the web host send, and every other host with it: too permissive
        ("v=spf1 +all", "ip4:192.0.2.10", "different"),
        ("v=spf1 all", "a:web1.example.org", "different"),
    ],
)
def test_a_site_spf_record_is_read_term_by_term_as_a_receiver_does(record: str, mechanism: str, status: str) -> None:
    """RFC 7208 §4.6.2: the first mechanism that matches the sender gives the result. The terms were searched for
    a passing one anywhere: a record ending its evaluation with -all before it, or refusing the host first,
    was said to let the web host send."""
    assert dns_check.judge(_site_spf(mechanism), [record]) == status


def test_a_site_spf_record_that_stops_the_web_host_says_where() -> None:
    e = _site_spf("a:web1.example.org")
    said = {
        record: dns_check.Finding("asso.org", e, dns_check.judge(e, [record]), (record,)).line()
        for record in (
            "v=spf1 -all a:web1.example.org",
            "v=spf1 ~a:web1.example.org/24 -all",
            "v=spf1 mx -all",
            "v=spf1 mx redirect=_spf.example.org",
        )
    }
    assert (
        "which ends at -all (fail) before naming a:web1.example.org: put it before its all"
        in said["v=spf1 -all a:web1.example.org"]
    )
    assert (
        "answers softfail for the web host at ~a:web1.example.org/24, before any term lets it pass: write it "
        in (said["v=spf1 ~a:web1.example.org/24 -all"])
    )
    assert "which ends at -all (fail) before naming a:web1.example.org: put it before" in said["v=spf1 mx -all"]
    assert (
        "which does not name a:web1.example.org: add it (its web host)" in said["v=spf1 mx redirect=_spf.example.org"]
    )


def test_the_delegation_of_a_zone_under_a_name_that_is_no_public_suffix_is_not_the_registrars(
    tmp_path: Path,
) -> None:
    """A served zone below a name someone runs (asso.example.net under example.net) is delegated in that name's
    zone, by whoever runs it: it was said to go through the registrar of asso.example.net, which has none."""
    from tests.helpers import project_copy

    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    dns = (
        "  pic:dns: {backend: zonefile, zones: [example.org, asso.example.net, club.co.uk], "
        "nameservers: [ns1.example.org], listen: [192.0.2.53]}\n"
    )
    stack.write_text(stack.read_text().replace("  pic:mail:", dns + "  pic:mail:", 1))
    settings = load_settings(project, "prod")
    expected = dns_check.expected_of_platform(settings, load_registry(MEMBERS, settings))
    where = {zone: expected[zone][0].where for zone in settings.dns.zones}
    assert where["example.org"] == "at the parent zone org, through the registrar of example.org", where
    assert where["club.co.uk"] == "at the parent zone co.uk, through the registrar of club.co.uk", where
    assert where["asso.example.net"] == (
        "in the zone example.net, by whoever runs it (a name under example.net is not registered: its owner "
        "publishes the delegation)"
    ), where


def test_a_site_on_a_host_known_by_address_behind_public_addresses_is_let_send_from_those(tmp_path: Path) -> None:
    """A web host known by an address of the admins' network (10.0.0.21) and reached from the Internet at its
    pic:hosts.<h>.public_addresses sends its sites' mail from those: the SPF asked for named ip4:10.0.0.21, which
    no receiver sees, and called a record naming the public addresses different. A host known by name keeps
    a:<name>, which the name's records resolve."""
    from tests.helpers import project_copy

    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    text = stack.read_text().replace(
        "web1: {role: web, address: web1.example.org,",
        'web1: {role: web, address: 10.0.0.21, public_addresses: [192.0.2.10, "2001:db8::10"],',
    )
    stack.write_text(text.replace("pic:mail: {host: web1,", "pic:mail: {host: web1, mx: mx.example.org,"))
    settings = load_settings(project, "prod")
    expected = dns_check.expected_of_platform(settings, load_registry(MEMBERS, settings))
    spf = expected["velo-cite-lyon.fr"][0]
    assert spf.kind == dns_check.SITE_SPF and spf.value == "ip4:192.0.2.10 ip6:2001:db8::10", spf
    missing = dns_check.Finding("velo-cite-lyon.fr", spf, "missing", ()).line()
    assert "publish 'v=spf1 ip4:192.0.2.10 ip6:2001:db8::10 -all'" in missing, missing
    assert dns_check.judge(spf, ["v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"]) == "present"
    # each address is needed: mail leaves from either
    record = "v=spf1 ip4:192.0.2.10 -all"
    line = dns_check.Finding("velo-cite-lyon.fr", spf, dns_check.judge(spf, [record]), (record,)).line()
    assert line.split()[0] == "different" and "before naming ip6:2001:db8::10" in line, line
    assert dns_check.judge(spf, ["v=spf1 ip4:10.0.0.21 -all"]) == "different"

    stack.write_text(text.replace("address: 10.0.0.21,", "address: web1.example.org,"))
    settings = load_settings(project, "prod")
    expected = dns_check.expected_of_platform(settings, load_registry(MEMBERS, settings))
    assert expected["velo-cite-lyon.fr"][0].value == "a:web1.example.org", expected["velo-cite-lyon.fr"]


@pytest.mark.parametrize(
    "content",
    [
        '{"l.example.org": [{"name": "a", "type": "mdp : Azerty123", "value": "x"}]}',  # a type that is none
        '{"l.example.org": [["a", "TXT", "mdp : Azerty123"]]}',  # not a record
        '{"l.example.org": [{"name": "mdp:Azerty123.' + "a" * 64 + '", "type": "TXT", "value": "x"}]}',  # no DNS name
        '{"mdp : Azerty123": [{"name": "a", "type": "TXT", "value": "x"}], "mdp : Azerty123": []}',  # a key twice
        '{"mdp:Azerty123.org": [' + TXT + '],\n "MDP:Azerty123.org.": [' + TXT + "]}",  # a domain twice
        '{"mdp : Azerty123": null}',  # a domain without records
        '{"mdp : Azerty123": [null]}',
    ],
)
def test_an_expected_file_s_key_or_value_that_reads_as_a_secret_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    expected = tmp_path / "expected.json"
    expected.write_text(content, encoding="utf-8")
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    assert code == 1 and f"{expected}" in err and "not shown" in err, err
    assert "zerty" not in err, err


# a DKIM public key whose base64 reads as a secret token by itself: a key is published for anyone to read
DKIM_KEY = (
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCxqW02Ae8xf0NvM/gPI5TAof80DwADaR1ENWXRdaXXmopgpt8zCPI6H4i6"
    "fBmRC+dtOARsHhJ7RmE+c5JXGcK5H1an98ciWAwv1u28iRAarOjhpCYpTTr3dQ+kyQ7yavp2kgNUKtORkWdGmiJ5cxseVPNONjFOCT63CjokW4Kh1Q"
    "IDAQAB"
)


@pytest.mark.parametrize(
    "case",
    [
        # the record's name, value, and the key refused
        ("listes.example.org", "v=spf1 mx -all password=Lilas2024x!", "value"),
        ("listes.example.org", "mdp : Azerty123", "value"),
        ("_dmarc.listes.example.org", "v=DMARC1; p=none; mdp=Lilas2024x!", "value"),
        ("pic._domainkey.listes.example.org", DKIM_KEY + "; n=mdp Lilas2024x!", "value"),
        ("mdp:Lilas2024x.listes.example.org", "v=spf1 mx -all", "name"),
    ],
)
def test_an_expected_record_that_reads_as_a_secret_is_refused_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: tuple[str, str, str]
) -> None:
    """A record of the expected file whose value (or name) reads as a secret, of a file otherwise valid, was shown
    in clear in the findings (`found 'v=spf1 -all', expected 'mdp : Azerty123'`), where a refused one is not shown:
    it is refused at its line and key, never shown, nothing looked up; a DKIM key, public, is no secret."""
    name, value, field = case
    asked: list[str] = []

    def nothing_published(resolver: object, name: str, rtype: str, answers: object = None) -> tuple[str, ...]:
        asked.append(name)
        return ()

    monkeypatch.setattr(dns_check, "lookup", nothing_published)
    record = f'{{"name": "{name}",\n "type": "TXT",\n "value": "{value}"}}'
    expected = tmp_path / "expected.json"
    expected.write_text(f'{{"listes.example.org": [\n{TXT},\n{record}]}}\n', encoding="utf-8")
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    out, err = capsys.readouterr()
    line = 3 if field == "name" else 5
    assert code == 1 and f"{expected}:{line} listes.example.org[1].{field}: the value (not shown" in err, err
    assert "Lilas" not in out + err and "zerty" not in out + err, (out, err)
    assert asked == [], asked


def test_an_expected_dkim_key_is_no_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dns_check, "lookup", lambda *args, **kwargs: ())
    dkim = f'{{"name": "pic._domainkey.listes.example.org", "type": "TXT", "value": "{DKIM_KEY}"}}'
    expected = tmp_path / "expected.json"
    expected.write_text(f'{{"listes.example.org": [{TXT}, {dkim}]}}\n', encoding="utf-8")
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    out, err = capsys.readouterr()
    assert code == 1 and "not shown" not in err, err  # 1: nothing is published
    assert f"pic._domainkey.listes.example.org TXT: publish '{DKIM_KEY}'" in out, out


@pytest.mark.parametrize(
    ("record", "said"),
    [
        # anyone may send as the domain: +all, ?all, no all (nor redirect=) leave any host passing or neutral
        ("v=spf1 +all", "lets any host send as asso.org (+all): end it with -all"),
        ("v=spf1 a:web1.example.org +all", "lets any host send as asso.org (+all): end it with -all"),
        ("v=spf1 a:web1.example.org ?all", "lets any host send as asso.org (?all, neutral): end it with -all"),
        ("v=spf1 a:web1.example.org", "lets any host send as asso.org (no all nor redirect=): end it with -all"),
        ("v=spf1 ip4:0.0.0.0/0 -all", "lets any host send as asso.org (ip4:0.0.0.0/0): name only"),
        ("v=spf1 a:web1.example.org ip6:::/0 -all", "lets any host send as asso.org (ip6:::/0): name only"),
        # ?all alone: the web host neutral, and any other host with it
        (
            "v=spf1 ?all",
            "which ends at ?all (neutral) before naming a:web1.example.org: put it before its all, and end the "
            "record with -all (?all leaves any host neutral)",
        ),
        # the web host's own address with a prefix length of 0: every address
        (
            "v=spf1 ip4:192.0.2.10/0",
            "lets any host send as asso.org (ip4:192.0.2.10/0: a prefix length of 0 holds every address): name only",
        ),
        # all but the web host: the share is not rounded up to all of them
        (
            "v=spf1 -ip4:192.0.2.10 ip4:0.0.0.0/0 -all",
            "lets any host send as asso.org (ip4:0.0.0.0/0: all the IPv4 addresses but 1 pass or stay neutral)",
        ),
        (
            "v=spf1 -ip6:2001:db8::/32 ip6:::/0 -all",
            "(ip6:::/0: more than 99.9% of the IPv6 addresses pass or stay neutral)",
        ),
        # what the networks let pass together, not one term alone: halves, quarters, a prefix of ::/0 holding all
        # of 2000::/3 (every Internet host's IPv6 address)
        (
            "v=spf1 a:web1.example.org ip4:0.0.0.0/1 ip4:128.0.0.0/1 -all",
            "lets any host send as asso.org (ip4:0.0.0.0/1 ip4:128.0.0.0/1): name only the hosts that send its mail",
        ),
        (
            "v=spf1 a:web1.example.org ip6:::/1 ip6:8000::/1 -all",
            "lets any host send as asso.org (ip6:::/1 ip6:8000::/1): name only",
        ),
        (
            "v=spf1 a:web1.example.org ip4:0.0.0.0/2 ?ip4:64.0.0.0/2 ip4:128.0.0.0/2 +ip4:192.0.0.0/2 ~all",
            "(ip4:0.0.0.0/2 ?ip4:64.0.0.0/2 ip4:128.0.0.0/2 +ip4:192.0.0.0/2)",
        ),
        ("v=spf1 a:web1.example.org ip6:2000::/3 -all", "lets any host send as asso.org (ip6:2000::/3)"),
        (
            "v=spf1 a:web1.example.org ip4:0.0.0.0/1 ip4:192.0.0.0/8 -all",
            "(ip4:0.0.0.0/1 ip4:192.0.0.0/8: 50.4% of the IPv4 addresses pass or stay neutral)",
        ),
        # a redirect= to the domain itself, written with a macro: a loop
        (
            "v=spf1 a:web1.example.org redirect=%{d}",
            "redirects to itself (redirect=%{d}, which reads asso.org): a loop, a permerror for receivers "
            "(RFC 7208 §4.6.4: pyspf says Too many DNS lookups)",
        ),
        ("v=spf1 a:web1.example.org redirect=%{o}", "redirects to itself (redirect=%{o}, which reads asso.org)"),
        # more parts than the name has: all of them (RFC 7208 §7.3); a macro in capitals is shown as written
        ("v=spf1 a:web1.example.org redirect=%{d99999}", "redirects to itself (redirect=%{d99999}, which reads"),
        ("v=spf1 a:web1.example.org redirect=%{D}", "redirects to itself (redirect=%{D}, which reads asso.org)"),
        # a reversal in capitals (ABNF is case-insensitive): org.asso, which pyspf read asso.org, itself
        ("v=spf1 a:web1.example.org redirect=%{dR}", "hands the other hosts to org.asso's record (redirect=)"),
        ("v=spf1 -IP4:192.0.2.10 IP4:0.0.0.0/0 -all", "lets any host send as asso.org (IP4:0.0.0.0/0: all the IPv4"),
        # the verdict on every other host handed to another domain's record, not checked here
        (
            "v=spf1 a:web1.example.org redirect=evil.example",
            "hands the other hosts to evil.example's record (redirect=), which is not checked: end it with -all",
        ),
        # syntax errors: receivers answer permerror (RFC 7208 §4.6, §12), the mail fails DMARC
        ("v=spf1 a:web1.example.org -allextra", "is not a valid SPF record (permerror, RFC 7208 §4.6): -allextra"),
        ("v=spf1 a:web1.example.org foo -all", "is not a valid SPF record (permerror, RFC 7208 §4.6): foo"),
        ("v=spf1 ip4:192.0.2.300 a:web1.example.org -all", "(permerror, RFC 7208 §4.6): ip4:192.0.2.300"),
        ("v=spf1 ip4:192.0.2.0/33 a:web1.example.org -all", "(permerror, RFC 7208 §4.6): ip4:192.0.2.0/33"),
        ("v=spf1 include: a:web1.example.org -all", "(permerror, RFC 7208 §4.6): include:"),
        (
            "v=spf1 a:web1.example.org redirect=a.asso.org redirect=b.asso.org",
            "(permerror, RFC 7208 §6): redirect= twice",
        ),
        # a macro or a domain RFC 7208 §7.1 and §4.8 refuse: also permerror, wherever it stands
        ("v=spf1 a:web1.example.org -all exp=%{z}.asso.org", "(permerror, RFC 7208 §7.1): exp=%{z}.asso.org"),
        ("v=spf1 a:web1.example.org exists:%{i.asso.org -all", "(permerror, RFC 7208 §7.1): exists:%{i.asso.org"),
        ("v=spf1 a:web1.example.org include:50%.asso.org -all", "(permerror, RFC 7208 §7.1): include:50%.asso.org"),
        ("v=spf1 a:web1.example.org include:%{c}.asso.org -all", "(permerror, RFC 7208 §7.1): include:%{c}.asso.org"),
        ("v=spf1 a:web1.example.org include:localhost -all", "(permerror, RFC 7208 §7.1): include:localhost"),
        ("v=spf1 a:web1.example.org a:192.0.2.10 -all", "(permerror, RFC 7208 §7.1): a:192.0.2.10"),
        ("v=spf1 a:web1.example.org\t-all", "(permerror, RFC 7208 §7.1): a:web1.example.org"),
        # a digit transformer of 0 (RFC 7208 §7.3: nonzero), which pyspf read as every label but the first
        ("v=spf1 a:web1.example.org redirect=%{d0}", "(permerror, RFC 7208 §7.3: a digit transformer of 0): redirect"),
        (
            "v=spf1 a:web1.example.org include:_spf.%{D00}.asso.org -all",
            "(permerror, RFC 7208 §7.3: a digit transformer of 0): include:_spf.%{D00}.asso.org",
        ),
        ("v=spf1 a:web1.example.org exists:%{i}.%{d2}.%{l0r-}.a.org -all", "transformer of 0): exists:%{i}.%{d2}"),
    ],
)
def test_a_site_spf_record_letting_anyone_send_or_malformed_is_different(record: str, said: str) -> None:
    """A record that let the web host pass was present, though it let any host pass too (+all, ?all, no all,
    ip4:0.0.0.0/0) or was a permerror for receivers (``-allextra``, an unknown mechanism)."""
    e = _site_spf("a:web1.example.org")
    status = dns_check.judge(e, [record])
    line = dns_check.Finding("asso.org", e, status, (record,)).line()
    assert status == "different", line
    assert said in line and "asso.org" in line and repr(record) in line, line


def test_a_site_spf_record_refusing_the_web_host_and_letting_anyone_send_says_both() -> None:
    """A record that refuses the web host's address and lets any other host send: only the refusal was said."""
    e = _site_spf("ip4:192.0.2.10")
    record = "v=spf1 -ip4:192.0.2.10 ip4:0.0.0.0/0 -all"
    status = dns_check.judge(e, [record])
    line = dns_check.Finding("asso.org", e, status, (record,)).line()
    assert status == "different", line
    assert (
        "which answers fail for the web host at -ip4:192.0.2.10, before any term lets it pass: write it "
        "ip4:192.0.2.10 (qualifier + or none); it also lets any host send as asso.org (ip4:0.0.0.0/0: all the IPv4 "
        "addresses but 1 pass or stay neutral)"
    ) in line, line


@pytest.mark.parametrize(
    ("record", "mechanism", "note"),
    [
        ("v=spf1 a:web1.example.org -all", "a:web1.example.org", ""),
        ("v=spf1 a:web1.example.org ~all", "a:web1.example.org", "ends at ~all (softfail): the platform publishes"),
        # a term's name in any case (RFC 7208 §4.6.1): the note said for ~ALL too
        ("v=spf1 a:web1.example.org ~ALL", "a:web1.example.org", "ends at ~all (softfail): the platform publishes"),
        ("v=spf1 A:web1.example.org ~All", "a:web1.example.org", "ends at ~all (softfail): the platform publishes"),
        ("v=spf1 ip4:192.0.2.0/24 -all", "ip4:192.0.2.10", ""),
        ("v=spf1 a:web1.example.org redirect=_spf.asso.org", "a:web1.example.org", ""),
        ("v=spf1 a:web1.example.org exp=explain.asso.org -all", "a:web1.example.org", ""),
        ("V=SPF1  A:web1.example.org   INCLUDE:_spf.example.net  -ALL", "a:web1.example.org", ""),
        ("v=spf1 a:web1.example.org exists:%{ir}.%{l1r-}.%{d2}._spf.asso.org -all", "a:web1.example.org", ""),
        ("v=spf1 a:web1.example.org include:_spf.%{d} -all exp=%{l}%%%_%-.asso.org", "a:web1.example.org", ""),
        ("v=spf1 a:web1.example.org a:%{d} mx:asso.org/24 -all x-note=%{i}", "a:web1.example.org", ""),
        ("v=spf1 a:web1.example.org -all ~all", "a:web1.example.org", ""),  # the ~all is never reached
        # networks that leave most hosts failing: those failed first are not let pass by a wider one after them
        ("v=spf1 -ip4:0.0.0.0/1 -ip4:128.0.0.0/2 ip4:0.0.0.0/0 -all", "ip4:192.0.2.10", ""),
        ("v=spf1 ip4:0.0.0.0/2 ip4:192.0.2.0/24 -all", "ip4:192.0.2.10", ""),  # a quarter: under half
        ("v=spf1 ip6:4000::/2 a:web1.example.org -all", "a:web1.example.org", ""),  # none of 2000::/3
        ("v=spf1 a:web1.example.org redirect=_spf.%{d}", "a:web1.example.org", ""),
        ("v=spf1 a:web1.example.org redirect=%{i}.%{d01}.asso.org", "a:web1.example.org", ""),  # i, 1 allowed
        ("v=spf1 a:web1.example.org exists:%%{d0}.asso.org -all", "a:web1.example.org", ""),  # %% then text
    ],
)
def test_a_site_spf_record_that_refuses_other_hosts_is_present(record: str, mechanism: str, note: str) -> None:
    e = _site_spf(mechanism)
    status = dns_check.judge(e, [record])
    line = dns_check.Finding("asso.org", e, status, (record,)).line()
    assert status == "present", line
    assert (note in line) if note else line.rstrip().endswith("asso.org TXT"), line


@pytest.mark.parametrize("record", [" v=spf1 a:web1.example.org -all", "v=spf1\ta:web1.example.org -all"])
def test_a_site_spf_record_not_starting_with_its_version_and_a_space_is_different(record: str) -> None:
    """RFC 7208 §4.5: a record that does not begin with exactly "v=spf1" then a space (or its end) is discarded
    by receivers: a leading space or a tab after the version was present."""
    e = _site_spf("a:web1.example.org")
    status = dns_check.judge(e, [record])
    line = dns_check.Finding("asso.org", e, status, (record,)).line()
    assert status == "different", line
    assert "does not start with v=spf1 and a space (RFC 7208 §4.5): receivers discard it" in line, line


def test_a_list_domain_spf_record_not_starting_with_its_version_and_a_space_is_different() -> None:
    e = dns_check.Expected("listes.example.org", "TXT", "SPF", "v=spf1 mx -all")
    assert dns_check.judge(e, ["v=spf1 mx -all"]) == "present"
    assert dns_check.judge(e, ["V=SPF1  MX -all "]) == "present"
    assert dns_check.judge(e, [" v=spf1 mx -all"]) == "different"
    assert dns_check.judge(e, ["v=spf1\tmx -all"]) == "different"


def test_a_record_receivers_discard_beside_the_spf_record_is_no_second_one() -> None:
    """Two SPF records are a permerror (RFC 7208 §4.5), but a TXT record that does not start with v=spf1 and a
    space is no SPF record to receivers: beside a right one it was counted, and the name said duplicated."""
    e = _site_spf("a:web1.example.org")
    assert dns_check.judge(e, ["v=spf1 a:web1.example.org -all", " v=spf1 -all"]) == "present"
    assert dns_check.judge(e, ["v=spf1\t-all", "v=spf1 a:web1.example.org -all"]) == "present"
    assert dns_check.judge(e, ["v=spf1 a:web1.example.org -all", "V=SPF1 -all"]) == "duplicated"
    listed = dns_check.Expected("listes.example.org", "TXT", "SPF", "v=spf1 mx -all")
    assert dns_check.judge(listed, [" v=spf1 -all", "v=spf1 mx -all"]) == "present"


def _members_listing_at_their_site(tmp_path: Path, host: str) -> Path:
    """The example members, amis-du-rhone's lists at its site's own domain (www.amis-du-rhone.org sends as it too),
    its site on ``host``."""
    members = tmp_path / "members"
    members.mkdir(parents=True)
    for path in MEMBERS.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "amis-du-rhone.yaml":
            text = text.replace("domain: listes.amis-du-rhone.org", "domain: amis-du-rhone.org")
            text = text.replace("uid: 10001\n", f"uid: 10001\nhost: {host}\n")
        (members / path.name).write_text(text, encoding="utf-8")
    return members


def test_a_list_domain_its_site_sends_from_is_told_one_spf_record(tmp_path: Path) -> None:
    """A member's list domain that is also a domain its PHP site sends mail from: that name was expected to hold
    the list domain's record (v=spf1 mx a:<mx> -all) and, apart, a record letting the web host send: two SPF
    records, a permerror for receivers (RFC 7208 §3.2), and, the web host not the mail host, no one record could
    be both. The list domain's record is the one expected; on a web host other than the mail host, which that
    record does not let send, pic check refuses the member at its list domain."""
    from pic.errors import PicError
    from tests.helpers import project_copy

    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    web2 = "    web2: {role: web, address: web2.example.org, private_address: 10.0.0.12, ssh_user: deploy}\n"
    stack.write_text(stack.read_text().replace("    db: {role: db,", web2 + "    db: {role: db,", 1))
    settings = load_settings(project, "prod")

    registry = load_registry(_members_listing_at_their_site(tmp_path / "on-mail-host", "web1"), settings)
    expected = dns_check.merged(
        dns_check.expected_from_settings(settings, registry), dns_check.expected_of_platform(settings, registry)
    )
    spf = [e for e in expected["amis-du-rhone.org"] if e.type == "TXT" and e.name == "amis-du-rhone.org"]
    assert [(e.kind, e.value) for e in spf] == [("SPF", "v=spf1 mx a:web1.example.org -all")], spf
    # the other domains of the site keep their own site SPF record
    assert [e.kind for e in expected["xn--amis-du-rhne-nib.org"]] == [dns_check.SITE_SPF]

    with pytest.raises(PicError) as info:
        load_registry(_members_listing_at_their_site(tmp_path / "elsewhere", "web2"), settings)
    text = str(info.value)
    assert "amis-du-rhone.yaml:22 lists.domain: " in text, text
    assert (
        '"amis-du-rhone.org" is also a domain its PHP site sends mail from, on web host web2: one name has one SPF '
        "record (RFC 7208 §3.2: two are a permerror), here the list domain's, 'v=spf1 mx a:web1.example.org -all', "
        "which lets the mail host web1 send, not web2"
    ) in text, text


@pytest.mark.parametrize("where", ["value", "domain"])
def test_expected_records_holding_a_number_too_long_for_python_are_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """A number of more digits than Python reads as an integer (4,300) made the JSON decoder raise ValueError, not
    JSONDecodeError, and `pic dns check --expected` stopped with a traceback."""
    number = "1" * 4301
    if where == "value":
        content = f'{{"l.example.org": [\n{{"name": "a", "type": "TXT", "value": {number}}}]}}'
    else:
        content = f'{{"l.example.org": {number}}}'
    expected = tmp_path / "expected.json"
    expected.write_text(content, encoding="utf-8")
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    assert code == 1, err
    line = 2 if where == "value" else 1
    assert f"{expected}:{line} holds a number of 4,301 digits, which is no record's" in err, err
    assert "Traceback" not in err and number not in err, err


# What dnspython itself says of a failed lookup: never shown to the admin.
_DNSPYTHON_WORDS = (
    "All nameservers failed",
    "The DNS operation timed out",
    "The resolution lifetime",
    "The DNS query name",
    "A DNS label",
    "A DNS name",
    "IDNA processing",
    "Do53",
    "Errno",
    "Traceback",
    "Error(",
)


# How a resolver fails to answer for one zone (the others answered), and the words pic dns check says it in, with
# "{query}" the name and record type asked
_ZONE_FAILURES = [
    (rcode_reply("REFUSED"), ["the resolver answered {query} REFUSED", "does not resolve for this client"]),
    (rcode_reply("SERVFAIL"), ["the resolver answered {query} SERVFAIL", "cannot reach the domain's name servers"]),
    (rcode_reply("NOTIMP"), ["the resolver answered {query} NOTIMP", "does not implement such queries"]),
    (rcode_reply("YXDOMAIN"), ["the resolver answered {query} YXDOMAIN", "DNAME record"]),
    (lambda query: b"\x00", ["the resolver answered {query} with bytes that are not a DNS answer", "--port"]),
    (lambda query: None, ["no answer for {query} within 0.3 seconds", "--timeout"]),
    (
        truncated_reply,
        ["{query} (a truncated answer over UDP", "refused over TCP, nothing listening there", "--resolver"],
    ),
]
_SHAPES = ["refused", "servfail", "notimp", "yxdomain", "not-dns", "timeout", "truncated"]


@pytest.mark.parametrize(("fail", "said"), _ZONE_FAILURES, ids=_SHAPES)
def test_a_record_left_unanswered_is_said_in_the_project_s_words(
    capsys: pytest.CaptureFixture[str], fail: Callable[[bytes], bytes | None], said: list[str]
) -> None:
    """A list domain's lookup that failed was said as dnspython words it (``no answer for listes.example.org TXT: All
    nameservers failed to answer the query listes.example.org. IN TXT: Server Do53:127.0.0.1@53000 answered
    REFUSED``, ``The DNS operation timed out.``), and a YXDOMAIN answer ended the check with a traceback: each is said
    as what happened, for which name and record type, and what to do."""
    zone = "listes.chorale-saint-jean.fr"
    with answering_resolver(failing_under(zone, fail)) as port:
        argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS)]
        code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "0.3"])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    unanswered = [line for line in out.splitlines() if line.lstrip().startswith("unanswered")]
    assert unanswered and all(zone in line for line in unanswered), out
    first = unanswered[0]
    query = " ".join(first.split(":", 1)[0].split()[-2:])  # the name and type of the line's record
    for words in said:
        assert words.format(query=query) in first, first
    for words in _DNSPYTHON_WORDS:
        assert words not in out + err, out + err
    assert any(line.lstrip().startswith("missing") and "listes.example.org" in line for line in out.splitlines()), out


@pytest.mark.parametrize(("fail", "said"), _ZONE_FAILURES, ids=_SHAPES)
def test_a_delegation_left_unanswered_is_said_in_the_project_s_words(
    fail: Callable[[bytes], bytes | None], said: list[str]
) -> None:
    """The NS query of a zone's delegation (sent to the resolver itself, its referral read) that failed was said
    with the exception's own text (``no answer for asso.example.org NS: The DNS operation timed out.``,
    ``[Errno 111] Connection refused``): said as any other lookup is."""
    zone = "asso.example.org"
    expected = {
        "listes.example.org": [dns_check.Expected("listes.example.org", "TXT", "SPF", "v=spf1 mx -all")],
        zone: [dns_check.Expected(zone, "NS", dns_check.DELEGATION, "ns1.example.org.")],
    }
    with answering_resolver(failing_under(zone, fail)) as port:
        findings = dns_check.check(expected, dns_check.make_resolver("127.0.0.1", port, 0.3))
    [line] = [f.line() for f in findings if f.domain == zone]
    assert line.split()[0] == "unanswered", line
    for words in said:
        assert words.format(query=f"{zone} NS") in line, line
    for words in _DNSPYTHON_WORDS:
        assert words not in line, line


def _publishing(
    records: dict[tuple[str, str], list[str | list[str]]], zone: str, fail: Callable[[bytes], bytes | None]
) -> Callable[[bytes], bytes | None]:
    """A resolver's answers (:func:`tests.helpers.answering_resolver`): the ``records`` of each (name, type) (a TXT
    record given as its strings), none to other queries, ``fail``'s to those of names under ``zone``."""
    import dns.message
    import dns.name
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype
    from dns.rdtypes.ANY.TXT import TXT

    def reply(data: bytes) -> bytes | None:
        query = dns.message.from_wire(data)
        question = query.question[0]
        if question.name.is_subdomain(dns.name.from_text(zone)):
            return fail(data)
        response = dns.message.make_response(query)
        rtype = dns.rdatatype.to_text(question.rdtype)
        values = records.get((question.name.to_text(omit_final_dot=True).lower(), rtype), [])
        if values:
            rrset = response.find_rrset(response.answer, question.name, dns.rdataclass.IN, question.rdtype, create=True)
            for value in values:
                if isinstance(value, list):
                    rrset.add(TXT(dns.rdataclass.IN, dns.rdatatype.TXT, [s.encode() for s in value]), 300)
                else:
                    rrset.add(dns.rdata.from_text("IN", rtype, value), 300)
        return response.to_wire()

    return reply


def _site_spf_checked(
    records: dict[tuple[str, str], list[str | list[str]]],
    mechanism: str = "a:web1.example.org",
    fail: Callable[[bytes], bytes | None] | None = None,
) -> str:
    """The line pic dns check prints for the site SPF record of asso.example, its web host at ``mechanism``, the
    resolver answering ``records`` and ``fail``'s answers under broken.example (:func:`_publishing`)."""
    expected = {
        "asso.example": [dns_check.Expected("asso.example", "TXT", dns_check.SITE_SPF, mechanism, "its web host")]
    }
    with answering_resolver(_publishing(records, "broken.example", fail or rcode_reply("REFUSED"))) as port:
        [finding] = dns_check.check(expected, dns_check.make_resolver("127.0.0.1", port, 0.3))
    return finding.line()


@pytest.mark.parametrize(("fail", "said"), _ZONE_FAILURES, ids=_SHAPES)
def test_an_spf_lookup_left_unanswered_is_said_in_the_project_s_words(
    fail: Callable[[bytes], bytes | None], said: list[str]
) -> None:
    """A lookup of a site SPF record's evaluation (an include:) that failed was said as pyspf and dnspython word it
    (``SPF Temporary Error: DNS All nameservers failed to answer the query ...``): said as any other lookup is."""
    records: dict[tuple[str, str], list[str | list[str]]] = {
        ("asso.example", "TXT"): [["v=spf1 include:_spf.broken.example a:web1.example.org -all"]],
        ("web1.example.org", "A"): ["192.0.2.10"],
    }
    line = _site_spf_checked(records, fail=fail)
    assert line.split()[0] == "unanswered", line
    assert "not checked, its lookups went unanswered (evaluated for the web host's 192.0.2.10): " in line, line
    for words in said:
        assert words.format(query="_spf.broken.example TXT") in line, line
    for words in (*_DNSPYTHON_WORDS, "SPF Temporary Error"):
        assert words not in line, line


@pytest.mark.parametrize(("fail", "said"), _ZONE_FAILURES, ids=_SHAPES)
def test_a_web_host_address_left_unanswered_is_said_in_the_project_s_words(
    fail: Callable[[bytes], bytes | None], said: list[str]
) -> None:
    """The web host's address, needed to evaluate a site SPF record through its lookups: a failed lookup was said
    with dnspython's text, and a YXDOMAIN answer ended pic dns check with a traceback."""
    records: dict[tuple[str, str], list[str | list[str]]] = {("asso.example", "TXT"): [["v=spf1 mx -all"]]}
    line = _site_spf_checked(records, "a:web1.broken.example", fail)
    assert line.split()[0] == "unanswered", line
    assert line.endswith(": the web host's address is needed to evaluate mx"), line
    for words in said:
        assert words.format(query="web1.broken.example A") in line, line
    for words in _DNSPYTHON_WORDS:
        assert words not in line, line


# A name of 254 octets (256 in DNS's wire form, over the 255 of RFC 1035 section 2.3.4), each label of 62 or fewer
_LONG_NAME = ".".join(["a" * 62] * 4)[:250] + ".org"


def test_an_spf_term_naming_what_dns_cannot_look_up_matches_nothing() -> None:
    """A name over 255 octets in an included record (``exists:`` of one, its macro expanded) is no DNS name (RFC 7208
    section 4.3: a malformed domain has no records, as pyspf has a label over 63 octets or an empty one): it matches
    nothing, the evaluation goes on. It was a temperror said in dnspython's words (``DNS A DNS name is > 255 octets
    long.``), the record left unchecked."""
    term = f"exists:%{{i}}.{_LONG_NAME[:240]}"
    records: dict[tuple[str, str], list[str | list[str]]] = {
        ("asso.example", "TXT"): [["v=spf1 include:_spf.asso.example a:web1.example.org -all"]],
        ("_spf.asso.example", "TXT"): [["v=spf1 ", term[:200], term[200:], " -all"]],
        ("web1.example.org", "A"): ["192.0.2.10"],
    }
    line = _site_spf_checked(records)
    assert line.split()[0] == "present", line


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("a" * 64 + ".example.org", "a label of 64 octets, over the 63 of RFC 1035 section 2.3.4"),
        ("a..example.org", "an empty label"),
        (_LONG_NAME, "over the 255 octets of RFC 1035 section 2.3.4"),
        ("\u2100.example.org", "a label that is no internationalized domain name (RFC 5891)"),
    ],
)
def test_an_expected_record_name_dns_cannot_look_up_is_said_in_the_project_s_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, said: str
) -> None:
    """The name of a record of --expected that is no DNS name was refused with dnspython's message (``is not a DNS
    name (A DNS label is > 63 octets long.)``)."""
    expected = tmp_path / "expected.json"
    expected.write_text(f'{{"listes.example.org": [{{"name": "{name}", "type": "TXT", "value": "x"}}]}}')
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"{expected}:1 listes.example.org[0].name: " in err, err
    assert f"is not a DNS name ({said}" in err, err
    for words in _DNSPYTHON_WORDS:
        assert words not in err, err


@pytest.mark.parametrize(
    "name",
    [
        "a" * 64 + ".example.org",
        "\\097" * 64 + ".example.org",  # escaped octets (RFC 1035 section 5.1), one each
        "\uff41" * 64 + ".example.org",  # fullwidth a, which IDNA maps to a: 64 octets in DNS, 192 in UTF-8
        "b." + "a" * 60 + "\\.bcd.example.org",  # an escaped dot inside a label
    ],
)
def test_a_label_too_long_is_said_in_the_octets_dns_holds(name: str) -> None:
    """The octets of the label over 63 were counted in the text as written (UTF-8, '\\097' four): \\097 written 64
    times was said a label of 256 octets."""
    import dns.name

    from pic.unanswered import bad_name

    with pytest.raises(dns.name.LabelTooLong) as raised:
        dns.name.from_text(name)
    assert bad_name(raised.value, name) == "a label of 64 octets, over the 63 of RFC 1035 section 2.3.4"


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("a..example.org", "a..example.org is not a name DNS can look up: an empty label"),
        ("a" * 64 + ".example.org", "is not a name DNS can look up: a label of 64 octets"),
        ("_dmarc." + _LONG_NAME[7:], "is not a name DNS can look up: over the 255 octets"),
    ],
)
def test_a_record_name_dns_cannot_look_up_is_said_and_the_domain_s_others_checked(name: str, said: str) -> None:
    """A record of a name dnspython refuses raised its exception out of pic dns check: it is that record's finding,
    nothing asked, and the domain's other records are looked up; the resolver is not taken to be down for it."""
    expected = {
        "listes.example.org": [
            dns_check.Expected(name, "TXT", "DMARC", "v=DMARC1; p=none"),
            dns_check.Expected("listes.example.org", "TXT", "SPF", "v=spf1 mx -all"),
        ]
    }
    with answering_resolver(failing_under("broken.example", rcode_reply("REFUSED"))) as port:
        bad, spf = dns_check.check(expected, dns_check.make_resolver("127.0.0.1", port, 0.3))
    assert bad.status == "unanswered" and said in bad.line(), bad.line()
    assert "correct it where it is written" in bad.line(), bad.line()
    assert spf.status == "missing", spf.line()


def test_a_yxdomain_answer_leaves_that_record_alone_unchecked() -> None:
    """A YXDOMAIN answer (RFC 6672 section 2.2) ended pic dns check with a traceback: it is that record's finding,
    the resolver having answered, and the domain's other records are looked up."""
    import dns.message
    import dns.rcode

    def reply(data: bytes) -> bytes:
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        if query.question[0].name.to_text().startswith("_dmarc."):
            response.set_rcode(dns.rcode.YXDOMAIN)
        return response.to_wire()

    expected = {
        domain: [
            dns_check.Expected(f"_dmarc.{domain}", "TXT", "DMARC", "v=DMARC1; p=none"),
            dns_check.Expected(domain, "TXT", "SPF", "v=spf1 mx -all"),
        ]
        for domain in ("a.example.org", "b.example.org", "c.example.org")
    }
    with answering_resolver(reply) as port:
        findings = dns_check.check(expected, dns_check.make_resolver("127.0.0.1", port, 0.3))
    assert [f.status for f in findings] == ["unanswered", "missing"] * 3, [f.line() for f in findings]
    assert "the resolver answered _dmarc.a.example.org TXT YXDOMAIN: a DNAME record" in findings[0].line()


def test_an_answer_cut_over_tcp_is_said_in_the_project_s_words() -> None:
    """A truncated answer over UDP, then a TCP connection closed before the answer: the delegation's NS query (sent
    to the resolver itself) ended pic dns check with EOFError's traceback."""
    expected = {
        "listes.example.net": [dns_check.Expected("listes.example.net", "TXT", "SPF", "v=spf1 mx -all")],
        "listes.example.org": [dns_check.Expected("listes.example.org", "TXT", "SPF", "v=spf1 mx -all")],
        "asso.example.org": [dns_check.Expected("asso.example.org", "NS", dns_check.DELEGATION, "ns1.example.org.")],
    }
    with truncating_then_closing("example.org") as port:
        missing, *findings = dns_check.check(expected, dns_check.make_resolver("127.0.0.1", port, 0.5))
    assert missing.status == "missing", missing.line()
    for finding, query in zip(findings, ("listes.example.org TXT", "asso.example.org NS"), strict=True):
        line = finding.line()
        assert finding.status == "unanswered", line
        assert (
            f"no usable answer for {query} (a truncated answer over UDP, then the connection closed before an answer "
            "over TCP): ask again, or another resolver with --resolver"
        ) in line, line


# The password shapes pic.secrettext.password_part reads, with no label beside them: a value refused in their shape
# may be a password pasted at the wrong line
PASSWORD_SHAPES = ["Lilas2024x", "Soleil-Azur-75", "0xCafe1234", "velo75paris", "LILAS2024X", "AB12CD34"]


@pytest.mark.parametrize("secret", PASSWORD_SHAPES)
@pytest.mark.parametrize(
    ("record", "field"),
    [
        ('{"name": "x", "type": "SECRET", "value": "v"}', "type"),
        ('{"name": "x", "type": "TXT", "value": ["SECRET"]}', "value"),
        ('{"name": {"SECRET": 1}, "type": "TXT", "value": "v"}', "name"),
        ('["SECRET"]', ""),
    ],
)
def test_an_expected_file_s_value_refused_in_a_password_s_shape_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], secret: str, record: str, field: str
) -> None:
    """`"type": "Lilas2024x"` was told `listes.example.org[0].type: "Lilas2024x" is not TXT or MX`: a value the
    reader refuses is hidden when it is shaped as a password (pic.errors.refused_may_be_secret), in a list or a
    mapping too, as the secrets a label names are."""
    expected = tmp_path / "expected.json"
    expected.write_text('{"listes.example.org": [' + record.replace("SECRET", secret) + "]}", encoding="utf-8")
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    where = f"listes.example.org[0].{field}:" if field else "listes.example.org[0]:"
    assert code == 1 and f"{where} the value (not shown: it may be a secret)" in err, err
    assert secret not in err and secret.lower() not in err.lower(), err


@pytest.mark.parametrize("secret", PASSWORD_SHAPES)
def test_an_expected_file_s_domain_in_a_password_s_shape_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], secret: str
) -> None:
    """A domain key refused (no records; named again in another case) was shown as the key of the problem and in
    its words: a key in a password's shape is written as one not shown."""
    expected = tmp_path / "expected.json"
    expected.write_text(f'{{"{secret}": [], "{secret}.": [1], "{secret}": []}}', encoding="utf-8")
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    assert code == 1 and "the key (not shown: it may be a secret) is given twice in one object" in err, err
    expected.write_text(f'{{"{secret}": [], "{secret}.": [1]}}', encoding="utf-8")
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    assert code == 1 and "(a key not shown): has no records" in err, err
    assert "(a key not shown): names the domain of the value (not shown: it may be a secret) (line 1)" in err, err
    assert "(a key not shown)[0]: 1 is not a record" in err, err
    assert secret.lower() not in err.lower(), err


def test_an_expected_file_s_names_refused_are_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A value refused that is a name, no password's shape, is shown for the fix: a domain holding a year
    (Asso-Case2024.org), a type in small letters."""
    expected = tmp_path / "expected.json"
    expected.write_text('{"Asso-Case2024.org": [{"name": "x", "type": "txt", "value": "v"}]}', encoding="utf-8")
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    assert code == 1 and 'Asso-Case2024.org[0].type: "txt" is not TXT or MX' in err, err
