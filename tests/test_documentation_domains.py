"""Names IANA holds for documentation (RFC 2606 §3: ``example.com``, ``example.net``, ``example.org``).

They resolve (IANA serves a page at each) but no certificate authority issues a certificate for them: in a
member's file, a stack whose certificates come from a public authority refuses them and their subdomains as
site and list domains; a stack with ``ca: internal`` accepts them. The stack file's own names under them (the
placeholders of Pulumi.prod.yaml) are a warning, so that the example stack still passes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pic.cli import main
from pic.validators import documentation_domain, documentation_words
from tests.conftest import ROOT
from tests.helpers import member, project_copy, write_members

ON = "2026-11-28"


def _check(project: Path, members: Path, capsys: pytest.CaptureFixture[str], stack: str = "prod") -> tuple[int, str]:
    rc = main(["check", "--stack", stack, "--project", str(project), "--members", str(members), "--on", ON])
    out = capsys.readouterr()
    return rc, out.out + out.err


@pytest.mark.parametrize(
    ("domain", "parent"),
    [
        ("example.com", "example.com"),
        ("www.example.org", "example.org"),
        ("a.b.example.com", "example.com"),
        ("listes.example.net", "example.net"),
        ("WWW.Example.ORG", "example.org"),
        ("www.example.org.", "example.org"),
        ("EXAMPLE.NET.", "example.net"),
    ],
)
def test_a_name_under_a_documentation_domain_is_told_in_any_case_with_a_trailing_dot(domain: str, parent: str) -> None:
    assert documentation_domain(domain) == parent


@pytest.mark.parametrize(
    "domain",
    [
        "example.fr",
        "myexample.org",
        "example.org.fr",
        "www.example.org.fr",
        "example-org.fr",
        "exampleorg",
        "example",
        "www.example",
        "example.co",
        "example.edu",
        "xexample.com",
        "example.com.au",
        "asso-exemple.fr",
        "",
        ".",
    ],
)
def test_a_near_miss_is_under_no_documentation_domain(domain: str) -> None:
    assert documentation_domain(domain) is None


def test_the_words_name_the_rfc_the_authority_and_the_internal_stack() -> None:
    words = documentation_words("www.example.org", "example.org", "Let's Encrypt")
    assert words.startswith("'www.example.org' is under example.org, ")
    assert documentation_words("example.org", "example.org", "Let's Encrypt").startswith(
        "'example.org' is example.org itself, "
    )
    for part in ("RFC 2606 §3", "Let's Encrypt issue no certificate", "only a stack with pic:tls.ca: internal"):
        assert part in words, words


def _site(*domains: str) -> dict[str, object]:
    return {"domains": list(domains), "php": "8.4"}


@pytest.mark.parametrize("ca", ["letsencrypt", "staging"])
def test_a_public_stack_refuses_a_members_names_under_a_documentation_domain(
    ca: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text(encoding="utf-8").replace("ca: letsencrypt", f"ca: {ca}"), encoding="utf-8")
    members = write_members(
        tmp_path / "members",
        {
            "asso-site": member(10600, site=_site("asso-site.fr", "www.example.com")),
            "asso-deep": member(10601, site=_site("a.b.example.net")),
            "asso-lists": member(10602, lists={"domain": "listes.example.net"}),
        },
    )
    rc, text = _check(project, members, capsys)
    assert rc == 1, text
    authority = {"letsencrypt": "Let's Encrypt", "staging": "Let's Encrypt (staging)"}[ca]
    expected = {
        "asso-site.yaml": ("site.domains[1]", "www.example.com", "example.com"),
        "asso-deep.yaml": ("site.domains[0]", "a.b.example.net", "example.net"),
        "asso-lists.yaml": ("lists.domain", "listes.example.net", "example.net"),
    }
    for file, (field, domain, parent) in expected.items():
        lines = [ln for ln in text.splitlines() if f"{file}:" in ln and not ln.startswith("warning:")]
        assert len(lines) == 1, text  # one error, the documentation name's
        assert f"{field}: '{domain}' is under {parent}, a name IANA holds for documentation (RFC 2606 §3)" in lines[0]
        assert f"certificate authorities such as {authority} issue no certificate" in lines[0], lines[0]
        assert "only a stack with pic:tls.ca: internal" in lines[0], lines[0]


@pytest.mark.parametrize("domain", ["example.com", "example.net"])
def test_a_public_stack_refuses_a_documentation_domain_itself(
    domain: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = write_members(tmp_path / "members", {"asso": member(10600, site=_site(domain))})
    rc, text = _check(ROOT, members, capsys)
    assert rc == 1, text
    lines = [ln for ln in text.splitlines() if "asso.yaml:" in ln]
    # the name itself is not "under" itself
    assert len(lines) == 1 and f"site.domains[0]: '{domain}' is {domain} itself, a name IANA holds" in lines[0], text


def _members_told(text: str) -> list[str]:
    """The lines of the output about a member's file (not the stack file's warnings)."""
    return [ln for ln in text.splitlines() if "/members/" in ln]


def test_an_internal_stack_accepts_a_members_names_under_a_documentation_domain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = write_members(
        tmp_path / "members",
        {
            "asso-site": member(10600, site=_site("www.example.com", "a.b.example.org")),
            "asso-lists": member(10601, lists={"domain": "listes.example.net"}),
        },
    )
    rc, text = _check(ROOT, members, capsys, stack="lab")
    assert rc == 0, text
    assert not [ln for ln in _members_told(text) if "RFC 2606" in ln], text


def test_a_public_stack_accepts_the_near_misses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = write_members(
        tmp_path / "members",
        {
            "asso-fr": member(10600, site=_site("example.fr", "www.example.fr")),
            "asso-my": member(10601, site=_site("myexample.org")),
            "asso-deep": member(10602, site=_site("example.org.fr"), lists={"domain": "listes.example.com.fr"}),
        },
    )
    rc, text = _check(ROOT, members, capsys)
    assert rc == 0, text
    assert not [ln for ln in _members_told(text) if "RFC 2606" in ln], text


def test_a_members_name_in_uppercase_or_with_a_trailing_dot_is_refused_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A member file writes names in lowercase without the trailing dot: such a name is told as written, once."""
    members = write_members(
        tmp_path / "members",
        {
            "asso-case": member(10600, site=_site("WWW.Example.ORG")),
            "asso-dot": member(10601, lists={"domain": "listes.example.net."}),
        },
    )
    rc, text = _check(ROOT, members, capsys)
    assert rc == 1, text
    case = [ln for ln in text.splitlines() if "asso-case.yaml:" in ln]
    dot = [ln for ln in text.splitlines() if "asso-dot.yaml:" in ln]
    assert len(case) == 1 and "site.domains[0]" in case[0] and "uppercase" in case[0], text
    assert len(dot) == 1 and "lists.domain" in dot[0] and "trailing dot" in dot[0], text


def test_the_example_stack_passes_and_warns_of_its_placeholders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pulumi.prod.yaml names its Sympa and phpMyAdmin under example.org: `pic check` passes on it (make demo), with
    a warning for each, naming the setting and its line, and telling the admins to give their own names before
    `pulumi up`."""
    members = write_members(tmp_path / "members", {"asso": member(10600, site=_site("asso-exemple.fr"))})
    rc, text = _check(ROOT, members, capsys)
    assert rc == 0, text
    warnings = [ln for ln in text.splitlines() if "RFC 2606" in ln]
    assert len(warnings) == 6, text  # and the MX's and the admins' addresses' (tests below)
    sympa = next(ln for ln in warnings if "pic:mail.sympa_domain" in ln)
    pma = next(ln for ln in warnings if "pic:phpmyadmin.domain" in ln)
    lines = (ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8").splitlines()
    pma_line = next(i for i, ln in enumerate(lines, 1) if "domain: pma.example.org" in ln)
    mail_line = next(i for i, ln in enumerate(lines, 1) if "sympa_domain: listes.example.org" in ln)
    assert sympa.startswith(f"warning: Pulumi.prod.yaml:{mail_line} pic:mail.sympa_domain: 'listes.example.org' is ")
    assert pma.startswith(f"warning: Pulumi.prod.yaml:{pma_line} pic:phpmyadmin.domain: 'pma.example.org' is ")
    for line in (sympa, pma):
        assert "under example.org, a name IANA holds for documentation (RFC 2606 §3)" in line, line
        assert "Let's Encrypt" in line and "before `pulumi up`" in line, line


def test_every_name_of_a_public_stack_under_a_documentation_domain_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sympa's domain, the MX, phpMyAdmin's domain, the zones NSD serves, their name servers, the ACME account's
    address and the admins' addresses: a warning each,
    naming the setting, when the certificates come from a public authority; none with ``ca: internal``."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    text = stack.read_text(encoding="utf-8").replace("dkim_selector: pic,", "dkim_selector: pic, mx: mx.example.com,")
    dns = "pic:dns: {backend: zonefile, zones: [zone-asso.fr, example.org], listen: [192.0.2.53], "
    dns += "nameservers: [ns1.zone-asso.fr, ns2.example.net]}"
    text = text.replace("  pic:members_root: /srv/members", f"  {dns}\n  pic:members_root: /srv/members")
    stack.write_text(text, encoding="utf-8")
    members = write_members(tmp_path / "members", {"asso": member(10600, site=_site("asso-exemple.fr"))})
    rc, out = _check(project, members, capsys)
    assert rc == 0, out
    warnings = [ln for ln in out.splitlines() if "RFC 2606" in ln]
    told = {
        "pic:mail.sympa_domain": "'listes.example.org' is under example.org",
        "pic:mail.mx": "'mx.example.com' is under example.com",
        "pic:phpmyadmin.domain": "'pma.example.org' is under example.org",
        "pic:dns.zones[1]": "'example.org' is example.org itself",
        "pic:dns.nameservers[1]": "'ns2.example.net' is under example.net",
        "pic:tls.acme_email": "'admin@example.org' is at example.org",
        "pic:admin_email": "'admin@example.org' is at example.org",
        "pic:mail.dmarc_reports": "'dmarc@example.org' is at example.org",
    }
    assert len(warnings) == len(told), out
    for setting, words in told.items():
        assert [ln for ln in warnings if ln.startswith("warning: ") and f" {setting}: {words}, " in ln], (setting, out)
    stack.write_text(text.replace("ca: letsencrypt", "ca: internal"), encoding="utf-8")
    rc, out = _check(project, members, capsys)
    assert rc == 0 and "RFC 2606" not in out, out


def test_the_acme_account_address_under_a_documentation_domain_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Let's Encrypt registers no account whose contact address is at example.com, example.net or example.org (its
    ACME server's policy, "contact email has forbidden domain"), and mail at their subdomains reaches IANA, not the
    admins: Pulumi.prod.yaml's placeholder ``admin@example.org`` as ``pic:tls.acme_email`` is a warning at its line,
    as Sympa's and phpMyAdmin's names are; the address is the admins' own, not a secret, and is shown. A lab stack
    registers with no authority and is told nothing."""
    members = write_members(tmp_path / "members", {"asso": member(10600, site=_site("asso-exemple.fr"))})
    rc, text = _check(ROOT, members, capsys)
    assert rc == 0, text
    lines = (ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8").splitlines()
    tls_line = next(i for i, ln in enumerate(lines, 1) if "acme_email: admin@example.org" in ln)
    [acme] = [ln for ln in text.splitlines() if "pic:tls.acme_email" in ln]
    assert acme.startswith(f"warning: Pulumi.prod.yaml:{tls_line} pic:tls.acme_email: 'admin@example.org' is at "), acme
    for part in ("example.org, a name IANA holds for documentation (RFC 2606 §3)", "Let's Encrypt", "`pulumi up`"):
        assert part in acme, acme
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    text = stack.read_text(encoding="utf-8").replace("acme_email: admin@example.org", "acme_email: tls@ops.example.net")
    stack.write_text(text, encoding="utf-8")
    rc, out = _check(project, members, capsys)
    assert rc == 0 and "pic:tls.acme_email: 'tls@ops.example.net' is at ops.example.net, under example.net" in out, out
    stack.write_text(text.replace("acme_email: tls@ops.example.net", "acme_email: tls@pic-admins.fr"), encoding="utf-8")
    rc, out = _check(project, members, capsys)
    assert rc == 0 and "pic:tls.acme_email" not in out, out
    rc, out = _check(ROOT, members, capsys, stack="lab")
    assert rc == 0 and "pic:tls.acme_email" not in out, out


def test_the_mail_hosts_address_as_the_mx_under_a_documentation_domain_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without pic:mail.mx, the mail host's address is the MX of every list domain: Pulumi.prod.yaml's
    ``web1.example.org`` there sends the lists' mail to IANA's zone, as a special-use name there is refused (``mx is
    required``). A warning at pic:mail, naming the address and its setting; none once mx is a name of the
    association's, nor in a lab."""
    members = write_members(tmp_path / "members", {"asso": member(10600, site=_site("asso-exemple.fr"))})
    rc, text = _check(ROOT, members, capsys)
    assert rc == 0, text
    lines = (ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8").splitlines()
    mail_line = next(i for i, ln in enumerate(lines, 1) if "sympa_domain: listes.example.org" in ln)
    [mx] = [ln for ln in text.splitlines() if " pic:mail: " in ln]
    assert mx.startswith(f"warning: Pulumi.prod.yaml:{mail_line} pic:mail: has no mx: the mail host's address "), mx
    for part in ("'web1.example.org' (pic:hosts.web1.address)", "under example.org", "RFC 2606 §3", "set mx"):
        assert part in mx, mx
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    text = stack.read_text(encoding="utf-8").replace("dkim_selector: pic,", "dkim_selector: pic, mx: mx.pic-admins.fr,")
    stack.write_text(text, encoding="utf-8")
    rc, out = _check(project, members, capsys)
    assert rc == 0 and " pic:mail: " not in out, out
    rc, out = _check(ROOT, members, capsys, stack="lab")
    assert rc == 0 and " pic:mail: " not in out, out


def test_the_admins_addresses_under_a_documentation_domain_are_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The platform's addresses (pic:admin_email, the one members are told to write to; pic:mail.dmarc_reports;
    pic:smtp.sender, pic:db.report_to when set) at example.org reach IANA, not the admins: Pulumi.prod.yaml's
    ``admin@example.org`` and ``dmarc@example.org`` are a warning each at their line, the address shown (the admins'
    own, no secret); none at the admins' own domain, nor in a lab."""
    members = write_members(tmp_path / "members", {"asso": member(10600, site=_site("asso-exemple.fr"))})
    rc, text = _check(ROOT, members, capsys)
    assert rc == 0, text
    for setting, address in (("pic:admin_email", "admin@example.org"), ("pic:mail.dmarc_reports", "dmarc@example.org")):
        [said] = [ln for ln in text.splitlines() if f" {setting}: " in ln]
        assert said.startswith("warning: Pulumi.prod.yaml:"), said
        assert f"{setting}: '{address}' is at example.org, a name IANA holds for documentation" in said, said
        assert "reaches IANA, not the admins" in said and "`pulumi up`" in said, said
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    own = stack.read_text(encoding="utf-8").replace("@example.org", "@pic-admins.fr")
    own = own.replace("  pic:members_root:", "  pic:db: {report_to: dumps@ops.example.net}\n  pic:members_root:")
    stack.write_text(own, encoding="utf-8")
    rc, out = _check(project, members, capsys)
    assert rc == 0, out
    [said] = [ln for ln in out.splitlines() if "RFC 2606" in ln and "@" in ln]
    assert " pic:db.report_to: 'dumps@ops.example.net' is at ops.example.net, under example.net, " in said, said
    rc, out = _check(ROOT, members, capsys, stack="lab")
    assert rc == 0 and "pic:admin_email" not in out and "pic:mail.dmarc_reports" not in out, out


@pytest.mark.parametrize("ca", ["letsencrypt", "staging"])
def test_a_members_addresses_under_a_documentation_domain_are_warned_of(
    ca: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A member's address (``contact.email``, where the admins and pic notify's end-of-life warnings write) at
    example.com, .net or .org, or under one, reaches IANA, not the association: on a public stack, a warning at
    the member file's line naming the field and the address (the stack's own addresses are told alike); none at a
    near miss, nor in a lab."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text(encoding="utf-8").replace("ca: letsencrypt", f"ca: {ca}"), encoding="utf-8")
    addresses = {
        "asso-com": ("jean@example.com", "is at example.com, a name"),
        "asso-sub": ("marie@mail.Example.NET", "is at mail.Example.NET, under example.net, a name"),
        "asso-org": ("Lucie.Moreau@example.org", "is at example.org, a name"),
        "asso-near": ("paul@example.fr", None),
        "asso-my": ("paul@myexample.org", None),
    }
    members = write_members(
        tmp_path / "members",
        {
            slug: member(10600 + i, contact={"name": "Case Contact", "email": email}, site=_site(f"{slug}.fr"))
            for i, (slug, (email, _)) in enumerate(addresses.items())
        },
    )
    rc, text = _check(project, members, capsys)
    assert rc == 0, text
    for slug, (email, words) in addresses.items():
        told = [ln for ln in _members_told(text) if f"/{slug}.yaml:" in ln and "RFC 2606" in ln]
        if words is None:
            assert not told, text
            continue
        assert len(told) == 1, text
        line = (members / f"{slug}.yaml").read_text(encoding="utf-8").splitlines()
        email_line = next(i for i, ln in enumerate(line, 1) if f"email: {email}" in ln)
        assert told[0].startswith(f"warning: {members}/{slug}.yaml:{email_line} contact.email: '{email}' "), told[0]
        assert f"'{email}' {words} IANA holds for documentation (RFC 2606 §3)" in told[0], told[0]
        assert "reaches IANA, not the association" in told[0], told[0]
        assert "end of life" in told[0], told[0]
    rc, out = _check(ROOT, members, capsys, stack="lab")
    assert rc == 0 and not [ln for ln in _members_told(out) if "RFC 2606" in ln], out


def test_every_address_field_of_a_member_is_found() -> None:
    """The addresses told of are every field of type Email, wherever the model has one (a sub-model, optional or in
    a list, a list of addresses): a field added later is looked at without a list of them to keep."""
    from pydantic import BaseModel

    from pic.registry import MemberSpec, address_paths, addresses
    from pic.validators import Email

    class Inner(BaseModel):
        email: Email
        cc: list[Email] = []
        name: str = "x"

    class Outer(BaseModel):
        owner: Inner
        backup: Inner | None = None
        others: list[Inner] = []
        reply_to: Email | None = None

    outer = Outer(
        owner=Inner(email="a@case-asso.fr", cc=["b@case-asso.fr"]),
        others=[Inner(email="c@case-asso.fr"), Inner(email="d@case-asso.fr")],
        reply_to="e@case-asso.fr",
    )
    assert sorted(addresses(outer)) == sorted(
        [
            (("owner", "email"), "a@case-asso.fr"),
            (("owner", "cc", 0), "b@case-asso.fr"),
            (("others", 0, "email"), "c@case-asso.fr"),
            (("others", 1, "email"), "d@case-asso.fr"),
            (("reply_to",), "e@case-asso.fr"),
        ]
    )
    spec = MemberSpec.model_validate(member(10600, contact={"name": "C", "email": "c@example.org"}))
    assert addresses(spec) == [(("contact", "email"), "c@example.org")]
    # Where they may be, from the types alone: a model holding none is not walked (pic check asks it of each member)
    assert address_paths(Outer) == {
        *((part, field) for part in ("owner", "backup", "others") for field in ("email", "cc")),
        ("reply_to",),
    }
    assert address_paths(MemberSpec) == {("contact", "email")}

    class Plain(BaseModel):
        name: str = "x"
        inner: Inner | None = None

    assert address_paths(Plain) == {("inner", "email"), ("inner", "cc")}
    assert addresses(Plain()) == []
    assert address_paths(MemberSpec.model_fields["site"].annotation.__args__[0]) == frozenset()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("address", "block"),
    [
        ("192.0.2.10", "192.0.2.0/24, reserved for documentation (RFC 5737)"),
        ("198.51.100.7", "198.51.100.0/24, reserved for documentation (RFC 5737)"),
        ("203.0.113.250", "203.0.113.0/24, reserved for documentation (RFC 5737)"),
        ("2001:db8::10", "2001:db8::/32, reserved for documentation (RFC 3849)"),
        ("3fff::10", "3fff::/20, reserved for documentation (RFC 9637)"),
    ],
)
def test_a_public_address_in_a_documentation_block_is_warned_of_on_a_public_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str, block: str
) -> None:
    """pic:hosts.<h>.public_addresses took an address reserved for documentation (RFC 5737, RFC 3849, RFC 9637) on a
    stack facing the Internet without a word, though the zones NSD serves publish it as the host's A or AAAA record
    and no host is reached there: a warning at its line, naming the field, the address and its block, as a
    documentation name of the stack is; an address the Internet reaches beside it is not, and a lab stack (ca:
    internal, README's example) is told nothing."""
    _public_address_warned(tmp_path, capsys, address, "letsencrypt", f"'{address}' is in {block}")


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("10.0.0.11", "10.0.0.0/8"),
        ("172.16.4.2", "172.16.0.0/12"),
        ("192.168.1.20", "192.168.0.0/16"),
        ("100.64.0.7", "100.64.0.0/10"),
        ("fd12:3456::11", "fc00::/7"),
    ],
)
@pytest.mark.parametrize("ca", ["letsencrypt", "staging"])
def test_a_public_address_in_a_private_network_is_warned_of_on_a_public_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str, network: str, ca: str
) -> None:
    """pic:hosts.<h>.public_addresses took a private network's address (10.0.0.11, the host's private_address
    pasted there) on a stack facing the Internet without a word, though the zones NSD serves publish it as the
    host's A or AAAA record, which no one outside the network reaches: a warning at its line naming the network, as
    a documentation block's address gets; a lab stack (ca: internal) is told nothing."""
    _public_address_warned(tmp_path, capsys, address, ca, f"'{address}' is in {network}, a private network")


def _public_address_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str, ca: str, words: str
) -> None:
    """``address`` given to web1's public_addresses beside 8.8.4.4 on a stack of ``ca``: one warning, at its line,
    starting with ``words`` after the field, saying what `pulumi up` would do, not naming 8.8.4.4; the same stack
    with ``ca: internal`` (a lab's) tells nothing of it."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    text = stack.read_text(encoding="utf-8").replace("ca: letsencrypt", f"ca: {ca}")
    text = text.replace("web1: {role: web, ", f"web1: {{role: web, public_addresses: [8.8.4.4, '{address}'], ")
    stack.write_text(text, encoding="utf-8")
    members = write_members(tmp_path / "members", {"asso": member(10600, site=_site("asso-exemple.fr"))})
    rc, out = _check(project, members, capsys)
    assert rc == 0, out
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "public_addresses" in ln)
    [warning] = [ln for ln in out.splitlines() if "public_addresses" in ln]
    assert warning.startswith(f"warning: {stack}:{line} pic:hosts.web1.public_addresses[1]: {words}"), warning
    assert "`pulumi up`" in warning and "8.8.4.4" not in warning, warning
    stack.write_text(text.replace(f"ca: {ca}", "ca: internal"), encoding="utf-8")
    rc, out = _check(project, members, capsys)
    assert rc == 0 and "public_addresses" not in out, out
