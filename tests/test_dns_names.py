"""Names derived from a member's domains fit their limits: DNS names (253 characters), a sender (254).

A list domain's DKIM key is published at ``<selector>._domainkey.<domain>``, its DMARC policy at
``_dmarc.<domain>`` and, when the reports go to another domain, their authorization at
``<domain>._report._dmarc.<reports' domain>``: a domain legal on its own (253 characters) can make
names longer than DNS holds. The longest domain accepted makes a zone that ``nsd-checkzone`` reads;
one character more is refused by ``pic check``, naming the file, line and field. A name DNS cannot
hold in a file given to ``pic dns check --expected`` is an error naming it, not a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pic.errors import PicError
from pic.registry import load_registry
from pic.render import dns
from pic.settings import Settings, load_settings
from tests.conftest import ROOT, require_program
from tests.helpers import member, project_copy, write_members

PEM = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(ROOT, "prod")


def _domain(length: int) -> str:
    """A list domain of ``length`` characters: labels of 63 and shorter ones, under example.fr."""
    tail = "example.fr"
    labels: list[str] = []
    left = length - len(tail)
    while left > 0:
        size = min(63, left - 1)  # its dot too
        if left - (size + 1) == 1:  # no room for the next label and its dot: one letter less here
            size -= 1
        labels.append("l" * size)
        left -= size + 1
    domain = ".".join([*labels, tail])
    assert len(domain) == length
    return domain


def _longest(settings: Settings) -> int:
    """The longest list domain whose records all fit, for these settings (here the reports'
    authorization, in dmarc@example.org's zone, is the longest name)."""
    reports_domain = settings.dmarc_reports.rsplit("@", 1)[1]
    return 253 - max(len(settings.mail.dkim_selector) + len("._domainkey."), len("._report._dmarc." + reports_domain))


def _load(tmp_path: Path, settings: Settings, domain: str) -> PicError | None:
    members = write_members(tmp_path / "m", {"case-member": member(lists={"domain": domain})})
    try:
        load_registry(members, settings)
    except PicError as exc:
        return exc
    return None


def test_the_longest_accepted_list_domain_makes_a_zone_nsd_reads(tmp_path: Path, settings: Settings) -> None:
    checkzone = require_program("nsd-checkzone")
    domain = _domain(_longest(settings))
    assert _load(tmp_path, settings, domain) is None
    records = dns.mail_records(
        domain,
        policy="reject",
        selector=settings.mail.dkim_selector,
        public_key_pem=PEM,
        mail_exchanger=settings.mail_exchanger,
        reports=settings.dmarc_reports,
    )
    assert max(len(r.name) for r in records) == 253
    inside = [r for r in records if dns.zone_of(r.name, [domain])]
    zone = tmp_path / "zone"
    zone.write_text(
        dns.zone_file(domain, inside, nameservers=["ns1.example.net"], hostmaster="a@example.org", serial="1")
    )
    out = subprocess.run([checkzone, domain, str(zone)], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    # The authorization goes into the zone of the reports' mailbox: NSD reads that one too.
    (outside,) = [r for r in records if not dns.zone_of(r.name, [domain])]
    report_zone = settings.dmarc_reports.rsplit("@", 1)[1]
    zone.write_text(
        dns.zone_file(report_zone, [outside], nameservers=["ns1.example.net"], hostmaster="a@example.org", serial="1")
    )
    out = subprocess.run([checkzone, report_zone, str(zone)], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("extra", [1, 20])
def test_a_list_domain_whose_records_dns_cannot_name_is_refused(tmp_path: Path, settings: Settings, extra: int) -> None:
    longest = _longest(settings)
    domain = _domain(longest + extra)
    exc = _load(tmp_path, settings, domain)
    assert exc is not None
    (problem,) = exc.problems
    assert problem.file.endswith("case-member.yaml") and problem.line == 5 and problem.path == "lists.domain"
    assert f"is {longest + extra} characters long" in problem.message
    assert "a DNS name holds at most 253" in problem.message
    assert f"use a list domain of at most {longest} characters" in problem.message


def test_the_dkim_name_counts_the_stacks_selector(tmp_path: Path, settings: Settings) -> None:
    long_selector = settings.model_copy(
        update={"mail": settings.mail.model_copy(update={"dkim_selector": "s" * 63, "dmarc_reports": None})}
    )
    domain = _domain(253 - len("s" * 63 + "._domainkey.") + 1)
    assert _load(tmp_path, settings, domain) is None  # with the selector "pic", it fits
    exc = _load(tmp_path / "2", long_selector, domain)
    assert exc is not None
    (problem,) = exc.problems
    assert "the record of its DKIM key would be named" in problem.message and problem.path == "lists.domain"


def test_sympas_domain_whose_records_dns_cannot_name_is_refused(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    domain = _domain(240)
    stack.write_text(stack.read_text().replace("sympa_domain: listes.example.org", f"sympa_domain: {domain}"))
    with pytest.raises(PicError) as caught:
        load_settings(project, "prod")
    (problem,) = caught.value.problems
    assert problem.path == "pic:mail.sympa_domain" and problem.line is not None
    assert "a DNS name holds at most 253" in problem.message


def test_dns_check_names_an_expected_record_dns_cannot_name(tmp_path: Path) -> None:
    expected = tmp_path / "expected.json"
    too_long = "a" * 64 + ".example.org"
    expected.write_text(json.dumps({"listes.example.org": [{"name": too_long, "type": "TXT", "value": "v=spf1 -all"}]}))
    resolver = ["--resolver", "127.0.0.1", "--port", "9", "--timeout", "1"]
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "dns", "check", "--expected", str(expected), *resolver],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f'listes.example.org[0].name: "{too_long}" is not a DNS name' in proc.stderr


@pytest.mark.parametrize(("php", "first"), [("8.2", ""), ("8.2", "www."), ("none", "")])
def test_a_site_whose_sender_address_would_pass_254_characters_is_refused(
    tmp_path: Path, settings: Settings, php: str, first: str
) -> None:
    """A PHP site sends as no-reply@<its first domain, www. dropped>: a path is 256 octets with its
    brackets (RFC 5321 §4.5.3.1.3). The longest first domain fits; one more character does not; a static
    site sends nothing and keeps its name."""
    longest = 254 - len("no-reply@")
    for length, refused in ((longest, False), (longest + 1, True)):
        domain = first + _domain(length)  # a www. is dropped from the sender: the name after it counts
        data = member(site={"domains": [domain], "php": php})
        members = write_members(tmp_path / f"m{length}", {"case-member": data})
        try:
            load_registry(members, settings)
            messages = ""
        except PicError as exc:
            messages = "\n".join(str(p) for p in exc.problems)
        told = "an address holds at most 254 (RFC 5321 §4.5.3.1.3)" in messages
        assert told == (refused and php != "none"), messages
        if told:
            assert "/case-member.yaml:" in messages and " site.domains[0]: " in messages, messages


def test_a_reports_mailbox_at_a_long_domain_is_what_is_blamed(tmp_path: Path) -> None:
    """pic:mail.dmarc_reports at a domain of 240 characters: the authorization record of Sympa's domain cannot be
    named whatever Sympa's domain is, so the reports' address is blamed, never "at most -3 characters"."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(
        stack.read_text().replace("dmarc_reports: dmarc@example.org", f"dmarc_reports: dmarc@{_domain(240)}")
    )
    with pytest.raises(PicError) as caught:
        load_settings(project, "prod")
    (problem,) = caught.value.problems
    assert problem.path == "pic:mail.dmarc_reports", problem
    assert "give pic:mail.dmarc_reports an address at a shorter domain" in problem.message, problem.message
    assert "at most -" not in problem.message and "dkim_selector" not in problem.message, problem.message
