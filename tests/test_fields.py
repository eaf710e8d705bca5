"""Every field of a member file in its valid forms (the invalid ones are the corpus in tests/corpus/)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from pathlib import Path
from typing import Any

import idna
import pytest
from hypothesis import example, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from pic.errors import PicError, meant_among
from pic.registry import MEMBER_KEYS, Database, MemberSpec, load_registry, stack_names, validate_member
from pic.settings import Settings, load_settings
from pic.validators import (
    OfferRefusal,
    check_ascii_email,
    check_domain,
    check_email,
    check_free_text,
    check_ip,
    check_ssh_key,
    docker_cpus,
)
from pic.yamlsrc import parse_yaml
from tests.conftest import ROOT
from tests.helpers import ED25519, member, write_members


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(ROOT, "prod")


VALID: list[tuple[str, dict[str, Any]]] = [
    ("minimal", {}),
    ("status-active", {"status": "active"}),
    ("status-suspended", {"status": "suspended"}),
    ("status-archived", {"status": "archived"}),
    ("host-explicit", {"host": "web1"}),
    ("site-php", {"site": {"domains": ["case-asso.fr"], "php": "8.4"}}),
    ("site-static-http", {"site": {"domains": ["case-asso.fr"], "php": "none", "https": False}}),
    ("site-20-domains", {"site": {"domains": [f"d{i}.case-asso.fr" for i in range(20)], "php": "8.5"}}),
    ("site-punycode", {"site": {"domains": ["xn--amis-du-rhne-nib.org"], "php": "8.3"}}),
    ("site-long-labels", {"site": {"domains": ["a" * 63 + ".asso-exemple.fr"], "php": "8.3"}}),
    ("site-digits-hyphens", {"site": {"domains": ["1-2-3.asso-exemple.fr"], "php": "8.3"}}),
    (
        "site-php-settings",
        {
            "site": {
                "domains": ["case-asso.fr"],
                "php": "8.4",
                "php_settings": {
                    "memory_limit": "64m",  # PHP reads the suffix in either case
                    "upload_max_filesize": 33554432,
                    "post_max_size": "512M",
                    "max_execution_time": 600,
                    "max_input_vars": 100,
                    "display_errors": True,
                    "date.timezone": "Europe/Paris",
                },
            }
        },
    ),
    ("access-empty", {"access": {}}),
    ("access-ssh", {"access": {"sftp_keys": [ED25519], "ssh": True}}),
    ("databases-five", {"databases": ["main", "wp", "forum", "stats_2024", "a"]}),
    ("databases-none", {"databases": []}),
    ("lists-default-dmarc", {"lists": {"domain": "listes.case-asso.fr"}}),
    ("lists-quarantine", {"lists": {"domain": "listes.case-asso.fr", "dmarc": "quarantine"}}),
    ("lists-reject", {"lists": {"domain": "case-asso.fr", "dmarc": "reject"}}),
    ("exception", {"exceptions": {"php_eol": {"until": dt.date(2027, 1, 1), "reason": "moving"}}}),
    ("exceptions-empty", {"exceptions": {}}),
    ("limits-int-cpus", {"limits": {"memory_mb": 512, "cpus": 2, "pids": 256}}),
    ("limits-partial", {"limits": {"cpus": 0.5}}),
    ("notes", {"notes": "Rencontre le 12/01 avec le bureau.\nÀ suivre."}),
    ("unicode-name", {"name": "Les Amis du Rhône — Lyon 7ᵉ"}),
    ("name-decomposed-accents", {"name": "Les Amis du Rho\u0302ne de Zoe\u0301"}),
    ("name-emoji-variation-selector", {"name": "V\u00e9lo \u2764\ufe0f Lyon"}),
    ("name-hangul", {"name": "\ud55c\uae00 \ubaa8\uc784"}),
    ("name-mark-after-space", {"name": "Accent \u0301 seul"}),
    ("notes-marks-inside-lines", {"notes": "Vi\u1ec7t Nam\nca\u0300 phe\u0302"}),
    ("uid-bounds-low", {"uid": 10000}),
    ("uid-bounds-high", {"uid": 59999}),
]


@pytest.mark.parametrize(("label", "fields"), VALID, ids=[v[0] for v in VALID])
def test_valid_forms_load(tmp_path: Path, settings: Settings, label: str, fields: dict[str, Any]) -> None:
    data = member(**fields)
    registry = load_registry(write_members(tmp_path / "m", {"case-member": data}), settings)
    (m,) = registry.members
    assert m.slug == "case-member" and m.host == "web1"
    for key, value in fields.items():
        if key in ("site", "access", "lists", "exceptions", "limits"):
            assert getattr(m.spec, key).model_dump(exclude_unset=True) == value, label
        else:
            assert getattr(m.spec, key) == value, label


def test_a_site_address_in_dockers_range_is_warned_of_and_never_given_by_pic_new(
    tmp_path: Path, settings: Settings
) -> None:
    """A site's fixed address (172.30.1.0 + uid - 10000) is below the network's ip_range, where Docker gives
    containers started without an address theirs, for every uid up to UID_BELOW_DYNAMIC, the highest pic new
    gives. A higher uid (valid since the first release: its member cannot change it, the hosts keep it) keeps
    its address, past Docker's first 256, and pic check warns of it at its line, naming the address and range."""
    import datetime as dt
    import ipaddress

    from pic.check import member_warnings
    from pic.newmember import next_uid
    from pic.registry import UID_BELOW_DYNAMIC, UID_MAX, UID_MIN
    from pic.render import sitemail, web

    subnet, dynamic = ipaddress.ip_network(web.NETWORK_SUBNET), ipaddress.ip_network(web.NETWORK_DYNAMIC)
    fixed = {web.NETWORK_GATEWAY, web.PROXY_ADDRESS, web.PHPMYADMIN_ADDRESS}
    addresses = {}
    for uid in (UID_MIN, UID_BELOW_DYNAMIC, UID_BELOW_DYNAMIC + 1, UID_MAX):
        data = member(uid, site={"domains": ["asso-x.org"], "php": "8.4"})
        registry = load_registry(write_members(tmp_path / str(uid), {"asso": data}), settings)
        (m,) = registry.members
        addresses[uid] = address = ipaddress.ip_address(sitemail.site_address(m))
        assert address in subnet and str(address) not in fixed, (uid, address)
        assert (address in dynamic) == (uid > UID_BELOW_DYNAMIC), (uid, address)
        warned = [p for p in member_warnings(registry, settings, dt.date(2026, 11, 28)) if p.path == "uid"]
        if uid <= UID_BELOW_DYNAMIC:
            assert not warned, warned
            continue
        [problem] = warned
        assert problem.line == m.line_of("uid") and problem.line is not None, problem
        assert problem.message.startswith(f"{uid} gives the site the fixed address {address}, inside {dynamic}"), (
            problem
        )
    assert addresses[UID_BELOW_DYNAMIC] + 1 == dynamic.network_address  # none below left unused
    # the addresses of the first release, which running sites have: 256 further from 172.30.128.0 on
    assert str(addresses[UID_BELOW_DYNAMIC + 1]) == "172.30.129.0" and str(addresses[UID_MAX]) == "172.30.197.79"
    # pic new never gives one of them, though a member above holds one
    assert next_uid(registry) == UID_MIN  # the registry's only member has uid UID_MAX
    with pytest.raises(PicError, match=f"no uid left in {UID_MIN}..{UID_BELOW_DYNAMIC}"):
        next_uid(registry, history=range(UID_MIN, UID_BELOW_DYNAMIC + 1))


def test_database_names_follow_the_slug() -> None:
    db = Database("amis-du-rhone", "main")
    assert (db.name, db.user) == ("amis_du_rhone_main", "amis_du_rhone_main")


def test_longest_names_fit_mariadb(tmp_path: Path, settings: Settings) -> None:
    slug = "a" + "b" * 30 + "c"  # 32 characters, the longest slug
    registry = load_registry(write_members(tmp_path / "m", {slug: member(databases=["x" * 16])}), settings)
    (db,) = registry.members[0].databases
    assert len(db.name) == 49


@pytest.mark.parametrize(
    "key",
    [
        ED25519,
        "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5"
        "YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg= e@x",
    ],
)
def test_ssh_key_forms(key: str) -> None:
    assert check_ssh_key(key) == key


def test_real_rsa_key_from_ssh_keygen(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import require_program

    keygen = require_program("ssh-keygen")
    subprocess.run([keygen, "-q", "-t", "rsa", "-b", "3072", "-N", "", "-f", str(tmp_path / "k")], check=True)
    key = (tmp_path / "k.pub").read_text().strip()
    assert check_ssh_key(key) == key
    subprocess.run([keygen, "-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", str(tmp_path / "w")], check=True)
    with pytest.raises(ValueError, match="1024-bit"):
        check_ssh_key((tmp_path / "w.pub").read_text().strip())


def _ssh_rsa_key(bits: int) -> str:
    """An ssh-rsa public key line (RFC 4253 §6.6) whose modulus has ``bits`` bits (2**bits - 1)."""
    import base64

    def string(data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + data

    def mpint(n: int) -> bytes:
        return string(n.to_bytes(n.bit_length() // 8 + 1, "big"))  # a leading zero byte: positive

    blob = string(b"ssh-rsa") + mpint(65537) + mpint(2**bits - 1)
    return f"ssh-rsa {base64.b64encode(blob).decode()} big@pc"


@pytest.mark.parametrize("bits", [16384, 16392, 20000])
def test_rsa_key_sizes_as_ssh_keygen_reads_them(bits: int, tmp_path: Path) -> None:
    """The largest RSA key OpenSSH reads is accepted; a larger one is refused, as ssh-keygen -l refuses it."""
    import subprocess

    from tests.conftest import require_program

    key = _ssh_rsa_key(bits)
    (tmp_path / "k.pub").write_text(key + "\n")
    proc = subprocess.run(
        [require_program("ssh-keygen"), "-l", "-f", str(tmp_path / "k.pub")], check=False, capture_output=True
    )
    assert (proc.returncode == 0) is (bits <= 16384), proc.stderr
    if bits <= 16384:
        assert check_ssh_key(key) == key
    else:
        with pytest.raises(ValueError, match=f"{bits}-bit RSA key, which OpenSSH does not read"):
            check_ssh_key(key)


@pytest.mark.parametrize(
    "domain", ["example.org", "a.b.c.example.org", "xn--bcher-kva.example", "x1.fr", "a-b--c.example.org", "ab-c.org"]
)
def test_domain_forms(domain: str) -> None:
    assert check_domain(domain) == domain


# One script per label, with UTS #39's allowances: digits and hyphens go with any script, Japanese mixes
# Han, Hiragana and Katakana, Korean Han and Hangul, and Latin may join either; labels differ freely.
SINGLE_SCRIPT = ["москва.org", "café.fr", "日本語.jp", "ひらがなカタカナ漢字.jp", "abc日本.jp", "한국어.kr"]
SINGLE_SCRIPT += ["abc한국.kr", "ελληνικά.gr", "straße.de", "عربي.com", "москва-2026.example.org"]
SINGLE_SCRIPT += ["пример.café.fr", "中文注音ㄅㄆ.tw"]


@pytest.mark.parametrize("name", SINGLE_SCRIPT)
def test_single_script_labels_are_accepted(name: str) -> None:
    domain = idna.encode(name).decode("ascii")
    assert check_domain(domain) == domain


@pytest.mark.parametrize("domain", ["example.123", "a" * 250 + ".org", "ex_ample.org", "-x.org", "x-.org", " x.org"])
def test_domain_rejects(domain: str) -> None:
    with pytest.raises(ValueError):
        check_domain(domain)


@pytest.mark.parametrize(
    ("domain", "name"),
    [(" velo-asso.fr", "velo-asso.fr"), ("velo-asso.fr ", "velo-asso.fr"), (" Velo-Asso.fr ", "velo-asso.fr")],
)
def test_a_domain_with_surrounding_spaces_is_told_the_name(domain: str, name: str) -> None:
    """A name between spaces (pasted, then quoted in the file) was told it has surrounding spaces, and nothing of
    the name to write, though the name without them is one; it is offered, as a name with a trailing dot is."""
    with pytest.raises(ValueError) as refused:
        check_domain(domain)
    said = str(refused.value)
    assert said.endswith(f"write {name!r}"), said
    assert check_domain(name) == name


@pytest.mark.parametrize("domain", [" [Test].fr", "web_2.fr "])
def test_a_domain_with_surrounding_spaces_offers_no_name_refused(domain: str) -> None:
    """Without its spaces still no name: told of the spaces, nothing offered."""
    with pytest.raises(ValueError) as refused:
        check_domain(domain)
    assert "write" not in str(refused.value), refused.value


@pytest.mark.parametrize("label", ["web_2", "-oproxycommand=id", "a=b", "x" * 64, "ab--c", "-x", "Web_2"])
def test_a_single_label_is_told_what_is_wrong_with_it_too(label: str) -> None:
    """A name of one label that no name may hold (web_2, -oproxycommand=id: an ssh option, 64 letters) was told
    only that it needs two labels; written so (web_2.example.org) it was refused again, for the label. It is told
    both, the label's fault in the words a name of two labels is told it."""
    with pytest.raises(ValueError) as two_labels:
        check_domain(f"{label.lower()}.example.org")
    with pytest.raises(ValueError) as refused:
        check_domain(label)
    said = str(refused.value)
    assert "needs at least two labels" in said, said
    assert str(two_labels.value).removesuffix("...") in said, said


@pytest.mark.parametrize(
    "email",
    ["a@b.org", "marie.dupont+lists@amis-du-rhone.org", "marie@café.fr", "marie@xn--caf-dma.fr", "a" * 64 + "@b.org"],
)
def test_email_forms(email: str) -> None:
    assert check_email(email) == email


def test_files_starting_with_underscore_or_dot_are_not_members(tmp_path: Path, settings: Settings) -> None:
    members = write_members(tmp_path / "m", {"case-member": member()})
    (members / "_template.yaml").write_text("not: [valid", encoding="utf-8")
    (members / ".draft.yaml").write_text("uid: nope", encoding="utf-8")
    (members / "README.md").write_text("# not yaml", encoding="utf-8")
    assert [m.slug for m in load_registry(members, settings)] == ["case-member"]


def test_all_problems_of_all_files_at_once(tmp_path: Path, settings: Settings) -> None:
    members = write_members(
        tmp_path / "m",
        {
            "first-member": member(uid=1, status="gone"),
            "second-member": member(uid=10601, site={"domains": ["X.org"], "php": "9.9"}),
        },
    )
    with pytest.raises(PicError) as info:
        load_registry(members, settings)
    paths = sorted((p.file.rsplit("/", 1)[-1], p.path) for p in info.value.problems)
    assert paths == [
        ("first-member.yaml", "status"),
        ("first-member.yaml", "uid"),
        ("second-member.yaml", "site.domains[0]"),
    ]


@pytest.mark.parametrize(
    ("domain", "words"),
    [
        ("ＴＥＳＴ.org", "has letters that only look like ASCII (full-width forms): write 'test.org'"),
        ("Tést.org", "write an internationalised name in punycode (xn--...): xn--tst-bma.org"),
        ("Test.org", "has uppercase letters: write it in lowercase ('test.org')"),
        # an absolute name's trailing dot and capitals: the name meant given whole, not fixed one fault at a time
        ("Test.org.", "ends with a dot: write 'test.org'"),
        ("ATELIER.velo-asso.fr.", "ends with a dot: write 'atelier.velo-asso.fr'"),
        ("test.org.", "ends with a dot: write the name without the trailing dot"),
        # "rhône" encoded from o + U+0302 (NFD): valid punycode, refused by IDNA, which wants the composed ô
        ("xn--amis-du-rhone-emh.org", "encoded from decomposed letters (Unicode NFD)"),
        ("xn--zz.org", "it is not valid punycode (IDNA)"),
        # valid punycode of text IDNA 2008 refuses: said with the text and the character (was: "not valid punycode")
        ("xn--exa.org", "it decodes to 'Ω', which IDNA 2008 refuses in a name (Codepoint U+03A9 at position 1"),
        ("xn--ls8h.org", "it decodes to '\U0001f4a9', which IDNA 2008 refuses in a name (Codepoint U+1F4A9"),
        ("xn---a-xld6a5bxbp.org", "which IDNA 2008 refuses in a name (Invalid direction for codepoint at position 7"),
    ],
)
def test_a_refused_domain_says_what_to_write(domain: str, words: str) -> None:
    with pytest.raises(ValueError) as refused:
        check_domain(domain)
    assert words in str(refused.value)
    if ": xn--" in words:
        written = str(refused.value).rsplit(" ", 1)[-1]
        check_domain(written)  # what it says to write is accepted


# A value a domain's refusal offers: "write it in lowercase ('x')", "give the name alone ('x')", "write 'x'"
_DOMAIN_OFFER = re.compile(r"(?:write it in lowercase|give the name alone|: write) \(?'([^']*)'")


@pytest.mark.parametrize(
    "domain",
    [
        "[Test-Asso.fr]",
        "Test_Asso.fr",
        "WWW.Test-.fr",
        "-Test.fr",
        "Test.fr/",
        "Te st.fr",
        "HTTPS://Test.fr/",
        "https://Test_Asso.fr/",
        "Test.fr:8080",
        "Test.fr/blog",
        "Www..Test.fr",
        "..Www.Test.FR",
        "Www..Test_.fr",
        "Test.org.",
    ],
)
def test_a_domain_s_refusal_offers_only_a_name_it_accepts(domain: str) -> None:
    """``[Test-Asso.fr]`` was told to be written in lowercase as ``'[test-asso.fr]'``, and ``https://Test.fr/``
    to be given as ``'Test.fr'``, both refused again: a refusal offers a name only when it is one the field takes,
    else says what is wrong without one."""
    with pytest.raises(ValueError) as refused:
        check_domain(domain)
    said = str(refused.value)
    for offered in _DOMAIN_OFFER.findall(said):
        assert check_domain(offered) == offered, said


@pytest.mark.parametrize(
    ("domain", "words", "mended"),
    [
        ("asso-exemple.fr..", "ends with two dots, an empty label between them", "asso-exemple.fr"),
        ("asso-exemple.fr...", "ends with 3 dots, empty labels between them", "asso-exemple.fr"),
        ("www..asso-exemple.fr", "has two dots in a row, an empty label between them", "www.asso-exemple.fr"),
        ("listes.asso...exemple.fr", "has 3 dots in a row, empty labels between them", "listes.asso.exemple.fr"),
        (".asso-exemple.fr", "starts with a dot, an empty label before it", "asso-exemple.fr"),
        ("..asso-exemple.fr", "starts with a dot, an empty label before it", "asso-exemple.fr"),
    ],
)
def test_a_domain_with_an_empty_label_says_so_and_what_to_write(domain: str, words: str, mended: str) -> None:
    """Two dots in a row, or a dot first, leave a label empty: ``example.org..`` was told that it "ends with a
    dot" (write it without "the trailing dot"), ``www..example.org`` that it "has an invalid label ''"; each is
    told where its empty label is, with the name to write, which is accepted."""
    with pytest.raises(ValueError) as refused:
        check_domain(domain)
    said = str(refused.value)
    assert said.startswith(words), said
    assert f"write {mended!r}" in said, said
    assert "invalid label" not in said and "the trailing dot:" not in said, said
    check_domain(mended)


@pytest.mark.parametrize(
    "domain",
    [
        "velo\uff0e\uff0efr",  # full-width dots: read as ASCII, two dots in a row
        "\uff0evelo.fr",
        "xn--..asso-exemple.fr",  # without its empty label, xn-- is no A-label
        "v\u00e9lo..asso-exemple.fr",  # without it, letters outside ASCII
        "-www..asso-exemple.fr",
        "asso..123",
    ],
)
def test_a_refused_domain_never_says_to_write_a_name_that_is_refused(domain: str) -> None:
    """The name a refusal says to write is one check_domain accepts: an empty label mended into a name refused for
    another reason (xn--.asso-exemple.fr), full-width letters read as ASCII into a name with an empty label
    (velo..fr), are not offered as the name to write."""
    with pytest.raises(ValueError) as refused:
        check_domain(domain)
    said = str(refused.value)
    for offered in re.findall(r"write '([^']*)'", said):
        check_domain(offered)


@pytest.mark.parametrize(
    ("domain", "name"),
    [
        ("asso-exemple\u3002fr", "asso-exemple.fr"),  # the ideographic full stop, which IDNA reads as a dot
        ("www\uff61asso-exemple\u3002fr", "www.asso-exemple.fr"),  # its halfwidth form
        ("asso-exemple.fr\u3002", "asso-exemple.fr"),  # ending the name: 'asso-exemple.fr.' was offered
        # an ASCII dot ending it too: told only of the trailing dot, the name to write then refused again
        ("asso-exemple\uff61fr.", "asso-exemple.fr"),
        ("asso-exemple\u3002fr.", "asso-exemple.fr"),
    ],
)
def test_a_domain_with_ideographic_dots_is_told_the_name_in_ascii(domain: str, name: str) -> None:
    """A name whose dots are ideographic full stops (。, ｡: a Japanese or Chinese keyboard) was told that it has
    non-ASCII letters, to be written in punycode, and offered that punycode even when refused (asso-exemple.fr。:
    asso-exemple.fr.); it is told of its dots and the ASCII name to write, which is accepted."""
    with pytest.raises(ValueError) as refused:
        check_domain(domain)
    said = str(refused.value)
    assert "non-ASCII letters" not in said, said
    assert said.endswith(f"write {name!r}"), said
    check_domain(name)


@pytest.mark.parametrize(
    "domain", ["v\u00e9lo.fr\u3002", "v\u00e9lo.fr\uff0e", "xn--vlo-bma..fr", "\u00e9\u3002\u3002fr"]
)
def test_the_punycode_offered_for_a_domain_is_accepted(domain: str) -> None:
    """The punycode a name outside ASCII is told to write is one check_domain accepts, else none is offered."""
    with pytest.raises(ValueError) as refused:
        check_domain(domain)
    for offered in re.findall(r"\(xn--\.\.\.\): (\S+)$", str(refused.value)):
        check_domain(offered)


@pytest.mark.parametrize(
    ("where", "field"),
    [("site", "site.domains[0]"), ("lists", "lists.domain"), ("stack", "pic:mail.sympa_domain")],
)
def test_a_members_or_the_stacks_domain_with_two_dots_is_told_with_its_value(
    tmp_path: Path, where: str, field: str
) -> None:
    """The member's site and list domains and the stack's names are told of an empty label at their line, with
    their value."""
    from tests.helpers import project_copy

    project = project_copy(tmp_path)
    value = "listes.asso-exemple.fr.."
    data = member(10600, site={"domains": ["asso-exemple.fr"], "php": "8.4"})
    if where == "site":
        data["site"]["domains"] = [value]
    elif where == "lists":
        data["lists"] = {"domain": value}
    else:
        stack = project / "Pulumi.prod.yaml"
        text = stack.read_text(encoding="utf-8").replace("sympa_domain: listes.example.org", f"sympa_domain: '{value}'")
        stack.write_text(text, encoding="utf-8")
    members = write_members(tmp_path / "members", {"asso": data})
    with pytest.raises(PicError) as refused:
        load_registry(members, load_settings(project, "prod"))
    [problem] = [p for p in refused.value.problems if p.path == field]
    assert problem.line is not None, problem
    told = str(refused.value)
    assert f'{field}: "{value}" ends with two dots, an empty label between them' in told, told
    assert "write 'listes.asso-exemple.fr'" in told, told


def test_an_address_of_full_width_letters_is_refused_with_the_one_to_write() -> None:
    """The library maps ｅｘａｍｐｌｅ.org to example.org; the file would keep the look-alike."""
    with pytest.raises(ValueError) as refused:
        check_email("admin@ｅｘａｍｐｌｅ.org")
    assert "write 'admin@example.org'" in str(refused.value)


# What the prod stack has that a member file names (its web host, its runtimes): what a hint may name.
PROD_NAMES = {"web_hosts": ["web1"], "runtimes": ["7.4", "8.2", "8.3", "8.4", "8.5"]}


def _accepted_spec(text: str) -> MemberSpec:
    """The spec of member file ``text``, which parses and validates without a problem."""
    doc, problems = parse_yaml(text, "members/probe-asso.yaml", MEMBER_KEYS)
    assert doc is not None and not problems, problems
    spec, problems = validate_member(doc)
    assert spec is not None, problems
    return spec


def _messages(text: str, stack: dict[str, list[str]] | None = PROD_NAMES) -> list[str]:
    """The problems of a member file's text by itself (no checks across files), as printed, with the names of
    ``stack`` for the hints."""
    doc, problems = parse_yaml(text, "members/probe-asso.yaml", MEMBER_KEYS)
    if doc is not None:
        problems = validate_member(doc, stack)[1]
    return [str(p) for p in problems]


def test_the_names_a_hint_may_give_are_the_prod_stacks() -> None:
    assert stack_names(load_settings(ROOT, "prod")) == PROD_NAMES


MINIMAL = "name: Probe\ncontact: {name: P, email: a@probe-asso.org}\nuid: 10600\n"


SITE = MINIMAL + "site:\n  domains: [probe-asso.org]\n  php: '8.4'\n"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (".nan", "is not a number (YAML's not-a-number value)"),
        (".NaN", "is not a number (YAML's not-a-number value)"),
        (".inf", "is infinite (YAML's infinity)"),
        ("-.Inf", "is infinite (YAML's infinity)"),
    ],
)
@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("uid", MINIMAL.replace("uid: 10600", "uid: VALUE")),
        ("limits.memory_mb", MINIMAL + "limits: {memory_mb: VALUE}\n"),
        ("limits.cpus", MINIMAL + "limits: {cpus: VALUE}\n"),
        ("site.php_settings.max_execution_time", SITE + "  php_settings: {max_execution_time: VALUE}\n"),
        ("site.php_settings.memory_limit", SITE + "  php_settings: {memory_limit: VALUE}\n"),
        ("site.php_settings.display_errors", SITE + "  php_settings: {display_errors: VALUE}\n"),
    ],
)
def test_nan_and_infinity_are_named_as_such(tmp_path: Path, field: str, text: str, value: str, words: str) -> None:
    """YAML reads .nan and .inf as floats: they are named as what they are, never "a number with a fraction or an
    exponent", "not a whole number" or "out of range"."""
    members = tmp_path / "members"
    members.mkdir()
    (members / "probe-asso.yaml").write_text(text.replace("VALUE", value), encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_registry(members, load_settings(ROOT, "prod"))
    [line] = [str(p) for p in info.value.problems]
    assert f" {field}: {value} {words}" in line, line
    assert not any(w in line for w in ("fraction", "not a whole number", "out of range")), line


@pytest.mark.parametrize(
    ("field", "written", "shown"),
    [
        ("contact.email", '"a@probe-asso.org\\nBcc: x@y.org"', '"a@probe-asso.org\\nBcc: x@y.org"'),
        ("contact.email", '"user:pw@probe-asso.org\\n"', '"user:pw@probe-asso.org\\n"'),
        ("name", '"a:b@c\\u0007"', '"a:b@c\\u0007"'),
    ],
)
def test_a_refused_member_value_is_shown_whole(field: str, written: str, shown: str) -> None:
    """Only the stack settings hold URLs and hosts with a password (shown ``***@``); a member file holds none."""
    text = MINIMAL.replace("email: a@probe-asso.org", f"email: {written}") if field == "contact.email" else ""
    text = text or MINIMAL.replace("name: Probe", f"name: {written}")
    [line] = _messages(text)
    assert f" {field}: {shown} " in line, line
    assert "***" not in line, line


def test_an_empty_member_file_says_so() -> None:
    for text in ("", "# only a comment\n"):
        assert _messages(text) == [
            "members/probe-asso.yaml is empty (or holds only comments): a member file is a set of key: value "
            "lines (name, contact, uid, ...)"
        ]
    [line] = _messages("- name: x\n")
    assert line.startswith("members/probe-asso.yaml:1 is not a mapping but a list ("), line


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("utf8mb4_general_ci", "utf8mb4"),  # a collation: its charset
        ("utf8mb4_unicode_520_ci", "utf8mb4"),
        ("latin1_swedish_ci", "latin1"),
        ("UTF8MB4_BIN", "utf8mb4"),
        ("utf8mb3_general_ci", "utf8"),  # utf8 is MariaDB's utf8mb3
        ("UTF-8", "utf8mb4"),  # UTF-8 as written elsewhere is MariaDB's utf8mb4, not its three-byte utf8
        ("utf-8", "utf8mb4"),
        ("Latin1", "latin1"),
        ("latin9_general_ci", None),  # no charset of the list
    ],
)
def test_a_database_charset_written_as_a_collation_or_as_utf_8_says_which_was_meant(
    written: str, meant: str | None
) -> None:
    [line] = _messages(MINIMAL + f"databases: [main]\ndatabase_charsets: {{main: {written}}}\n")
    assert "database_charsets.main: " in line and "is not allowed" in line, line
    assert line.endswith(f"; did you mean {meant!r}?") if meant else "did you mean" not in line, line


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("database_charsets.main", 'databases: [main]\ndatabase_charsets: {main: "utf8\\0"}\n'),
        ("database_charsets.main", 'databases: [main]\ndatabase_charsets: {main: "\\u0000"}\n'),
        ("site.charset", 'site:\n  domains: [probe.example.org]\n  php: none\n  charset: "latin1\\0"\n'),
    ],
)
def test_a_charset_with_a_nul_character_is_refused_not_looked_up(where: str, text: str) -> None:
    """Python's codecs refuse a name holding NUL with ValueError, not LookupError: the charset is refused with its
    field like any unknown name (no traceback)."""
    [line] = _messages(MINIMAL + text)
    assert line.startswith("members/probe-asso.yaml:") and f" {where}: " in line, line


def test_a_refused_key_of_free_keys_is_named_by_its_path() -> None:
    [line] = _messages(MINIMAL + "databases: [main]\ndatabase_charsets: {Main: utf8mb4}\n")
    assert line.startswith('members/probe-asso.yaml:5 database_charsets.Main: key "Main" is not allowed here: '), line
    assert "[key]" not in line, line


@pytest.mark.parametrize("nan", [".nan", ".NaN", ".NAN"])
def test_nan_is_not_a_number(nan: str) -> None:
    [line] = _messages(MINIMAL + f"limits: {{cpus: {nan}}}\n")
    assert f"limits.cpus: {nan} is not a number" in line and "out of range" not in line, line


@pytest.mark.parametrize(
    ("value", "shown", "hint"),
    [
        ("[a]", '["a"]', False),
        ("{a: b}", '{"a": "b"}', False),
        ("12", "12", True),
        ("1.5", "1.5", True),
        ("yes", "yes (YAML reads true)", True),
        ("2026-01-01", "2026-01-01", True),
    ],
)
def test_the_quoting_hint_is_for_what_quotes_make_text(value: str, shown: str, hint: bool) -> None:
    [line] = _messages(MINIMAL.replace("contact: {name: P,", f"contact: {{name: {value},"))
    assert f"contact.name: {shown} is not a string" in line, line
    assert ("(put it in quotes)" in line) is hint, line


# terraform-provider-docker's own cases of nanoInt64ToDecimalString (internal/provider/helpers_test.go),
# then values whose text it reads back otherwise than Python writes them.
CPUS_READ_BACK = [(1.0, "1.0"), (1.5, "1.5"), (2.0, "2.0"), (2.25, "2.25"), (10, "10."), (64, "64.0"), (0.011, "0.011")]


@pytest.mark.parametrize(("value", "text"), CPUS_READ_BACK)
def test_a_cpu_limit_is_sent_as_the_docker_provider_reads_it_back(value: float, text: str) -> None:
    """The container's ``cpus`` is the provider's own text of its NanoCPUs: ``10.``, not ``10.0``, which it would
    read back as ``10.`` and replace the container (``cpus`` forces a new one) at every ``pulumi up``."""
    assert docker_cpus(value) == text
    assert decimal.Decimal(text) * 10**9 == round(value * 10**9)  # the same NanoCPUs for Docker
    assert _messages(MINIMAL + f"limits: {{cpus: {value}}}\n") == []


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("0.05", "is read back by the Docker provider as 0.1: the site's container would be replaced at every"),
        ("0.01", "is read back by the Docker provider as 0.0"),
        ("20.05", "is read back by the Docker provider as 20.1"),
        ("0.0100000001", "has more than 9 decimals: Docker counts CPUs in billionths (write e.g. 0.1)"),
        ("0.3333333333", "has more than 9 decimals"),
    ],
)
def test_a_cpu_limit_docker_cannot_keep_as_written_is_refused(written: str, words: str) -> None:
    [line] = _messages(MINIMAL + f"limits: {{cpus: {written}}}\n")
    assert line.startswith(f"members/probe-asso.yaml:4 limits.cpus: {written} ") and words in line, line


def test_word_colon_word_in_a_cron_command_is_the_commands_own_not_a_second_key() -> None:
    """Laravel's ``php artisan schedule:run`` and drush's ``php:script`` were refused as "'schedule' followed by
    ':'"; a second key written without a space after a name is still told elsewhere."""
    site = 'site: {domains: [probe-asso.org], php: "8.4"}\n'
    jobs = "cron:\n  - schedule: hourly\n    command: php artisan schedule:run\n"
    jobs += "  - schedule: daily\n    command: drush php:script cleanup.php --uri=https://probe-asso.org\n"
    assert _messages(MINIMAL + site + jobs) == []
    [line] = _messages(MINIMAL.replace("name: Probe", "name: Probe uid:10600"))
    assert "name: holds 'uid' followed by ':' after the value: a second key on the same line" in line, line
    # in a command, a job's own key with a value it takes is still a slip: the job would keep the default
    for slip, key in (("php wp-cron.php timeout:600", "timeout"), ("php wp-cron.php schedule:daily", "schedule")):
        [line] = _messages(MINIMAL + site + f"cron:\n  - schedule: hourly\n    command: {slip}\n")
        assert f"cron[0].command: holds '{key}' followed by ':' after the value" in line, line


@pytest.mark.parametrize("domain", ["probe-asso.dev", "probe-asso.app", "www.probe-asso.page"])
def test_a_site_without_https_under_a_top_level_domain_browsers_reach_over_https_only_is_refused(domain: str) -> None:
    site = f'site: {{domains: [probe-asso.org, {domain}], php: "8.4", https: false}}\n'
    [line] = _messages(MINIMAL + site)
    assert f"site.https: false leaves the site unreachable: browsers reach {domain} over https only" in line, line
    assert _messages(MINIMAL + site.replace("https: false", "https: true")) == []
    assert _messages(MINIMAL + 'site: {domains: [probe-asso.org], php: "8.4", https: false}\n') == []


@pytest.mark.parametrize("domain", ["asso-credit.bank", "mutuelle.insurance", "asso.google"])
def test_more_top_level_domains_of_the_hsts_preload_list(domain: str) -> None:
    site = f'site: {{domains: [{domain}], php: "8.4", https: false}}\n'
    [line] = _messages(MINIMAL + site)
    assert "browsers reach" in line and "HSTS preload list" in line, line


@pytest.mark.parametrize(
    ("domain", "refused"), [("co.uk", True), ("asso.fr", True), ("mairie.co.uk", False), ("nic.in", False)]
)
def test_a_contact_at_a_public_suffix_where_anyone_registers_names_is_refused(domain: str, refused: bool) -> None:
    """``contact@co.uk`` reads as an address, but no one receives mail there: the member's warnings would
    never arrive. nic.in, India's government mail, is a public suffix too, and is no such registry."""
    text = MINIMAL.replace("a@probe-asso.org", f"a@{domain}")
    problems = _messages(text)
    if refused:
        [line] = problems
        assert f'contact.email: "a@{domain}" is not a valid e-mail address: its domain {domain} is a public' in line
    else:
        assert problems == []


# Names whose spelling needs a joiner: Persian (a non-joiner between two joining letters), Hindi's half
# form and Malayalam (a joiner after a virama), Kannada (a non-joiner after a virama); a joiner between a
# letter and the virama after it (The Unicode Standard, chapters 12 and 13): Bengali's ya-phala after ra
# (the "RAB" of র‍্যাব), Sinhala's touching letters, Devanagari's eyelash ra as Marathi writes it.
JOINED_NAMES = [
    "انجمن فرهنگی ایران\u200cزمین",
    "می\u200cخواهم",
    "क्\u200dष संस्था",
    "കാര്\u200dത്തിക",
    "ಕ್\u200cಷ",
    "\u09b0\u200d\u09cd\u09af\u09be\u09ac",
    "\u0d9a\u200d\u0dca\u0dc0",
    "\u0930\u200d\u094d\u092f",
]


# Emoji ZWJ sequences (Unicode Technical Standard #51, ED-16): a family, a rainbow flag (with its variation
# selector), a technologist with a skin tone (an emoji modifier before the joiner).
EMOJI_SEQUENCES = [
    "Les Familles \U0001f468\u200d\U0001f469\u200d\U0001f467 de Lyon",
    "Fierté \U0001f3f3\ufe0f\u200d\U0001f308",
    "Code Club \U0001f469\U0001f3fd\u200d\U0001f4bb",
]


@pytest.mark.parametrize("name", JOINED_NAMES + EMOJI_SEQUENCES)
def test_a_name_whose_script_needs_a_joiner_is_accepted(name: str) -> None:
    text = MINIMAL.replace("name: Probe", f'name: "{name}"')
    text = text.replace("contact: {name: P,", f'contact: {{name: "{name}",')
    spec = _accepted_spec(text)
    assert spec.name == name and spec.contact.name == name


@pytest.mark.parametrize(
    ("name", "at"),
    [
        ("a\u200cb", 2),  # between Latin letters, which do not join
        ("\u200cانجمن", 1),  # leading
        ("انجمن\u200c", 6),  # trailing
        ("ن\u200c\u200cز", 2),  # doubled
        ("ز\u200cن", 2),  # after a letter that does not join on its left side (ZAIN joins right only)
        ("\U0001f468\u200d", 2),  # after an emoji, but no emoji after it
        ("Club \U0001f468\u200d Lyon", 7),
        ("\u200d\U0001f469", 1),
        ("\U0001f468\u200d\u200d\U0001f469", 2),  # doubled
        ("a\u200d\U0001f469", 2),  # a letter, then an emoji
        ("ab\u200dc", 3),
        ("a\u200d\u09cd\u09af", 2),  # before a virama, after a letter of another script
        ("\u200d\u09cd\u09af", 1),  # before a virama, at the start
        ("\u09b0\u200d\u200d\u09cd", 2),  # doubled, before a virama
        ("\u09b0\u200c\u09cd\u09af", 2),  # a non-joiner before a virama: no spelling's
        ("\u0930\u200d\u09cd\u09af", 2),  # a Devanagari letter, a Bengali virama
    ],
)
def test_a_joiner_where_no_spelling_needs_it_is_refused(name: str, at: int) -> None:
    [line] = _messages(MINIMAL.replace("name: Probe", f'name: "{name}"'))
    assert f"at character {at} where no script's spelling needs one" in line, line
    assert "RFC 5892" in line and "\u200c" not in line and "\u200d" not in line, line


# The marks of direction that reorder nothing but the neutral characters next to them (UAX #9, the Unicode
# Bidirectional Algorithm, §2.6: LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK, ARABIC LETTER MARK; no embedding,
# override or isolate, no scope to close), in names that hold right-to-left letters: a hyphen kept after the
# Hebrew words, a Latin abbreviation kept in its order among Hebrew words, a number after Arabic.
MARKED_NAMES = [
    "עמותת שלום\u200f - Lyon",
    "מועדון \u200eFC Lyon\u200e ירושלים",
    "جمعية الصداقة\u061c 2024",
    "\u200fانجمن فرهنگی",
]


@pytest.mark.parametrize("name", MARKED_NAMES)
def test_a_mark_of_direction_in_a_name_holding_right_to_left_letters_is_accepted(name: str) -> None:
    text = MINIMAL.replace("name: Probe", f'name: "{name}"')
    text = text.replace("contact: {name: P,", f'contact: {{name: "{name}",')
    spec = _accepted_spec(text)
    assert spec.name == name and spec.contact.name == name


@pytest.mark.parametrize("name", MARKED_NAMES)
def test_a_name_with_a_mark_of_direction_written_by_pic_new_is_read_back_as_written(name: str) -> None:
    """pic new writes the name into the member file (a YAML double-quoted scalar, the mark as it is): read back, it
    is the same name, the mark in place; the schema's pattern leaves the marks to the loader."""
    from pic.newmember import render
    from pic.schema import member_schema

    text = render(name, "a@probe-asso.org", 10500, "8.2", ["probe-asso.org"])
    spec = _accepted_spec(text)
    assert spec.name == name and spec.contact.name == name
    pattern = member_schema()["properties"]["name"]["pattern"]
    assert re.search(pattern, name) is not None, pattern


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (check_domain, "\u05e9\u05dc\u05d5\u05dd\u200f.com"),
        (check_email, "a@\u05e9\u05dc\u05d5\u05dd\u200f.com"),
        (check_ssh_key, f"{ED25519} \u05e9\u05dc\u05d5\u05dd\u200f"),
    ],
)
def test_a_mark_of_direction_is_free_text_s_alone(check: Any, value: str) -> None:
    """A domain, an address or a key holds no mark of direction, right-to-left letters beside it or not: it is
    named as the invisible character it is (it was named so before free text allowed it)."""
    with pytest.raises(ValueError, match=r"U\+200F RIGHT-TO-LEFT MARK\) at character"):
        check(value)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Lyon\u200e", "holds a left-to-right mark (U+200E"),
        ("Club \u200fFC", "holds a right-to-left mark (U+200F"),
        ("Club\u061c 2024", "holds an Arabic letter mark (U+061C"),
    ],
)
def test_a_mark_of_direction_is_named_in_words(name: str, said: str) -> None:
    """U+061C was said "holds a arabic letter mark": its name lowercased, after "a"."""
    [line] = _messages(MINIMAL.replace("{name: P,", f"{{name: {_yaml_quoted(name)},"))
    assert said in line, line


@pytest.mark.parametrize(
    ("name", "at", "said"),
    [
        # without a right-to-left letter, a mark only moves punctuation and digits: nothing to keep in order
        ("Lyon\u200e", 5, "U+200E LEFT-TO-RIGHT MARK) at character 5 in a text without right-to-left letters"),
        ("Club \u200fFC - 2024", 6, "U+200F RIGHT-TO-LEFT MARK) at character 6 in a text without right-to-left"),
        ("Club\u061c 2024", 5, "U+061C ARABIC LETTER MARK) at character 5 in a text without right-to-left"),
        # overrides, embeddings and isolates reorder what they enclose (Trojan Source, CVE-2021-42574): refused
        # whatever the letters around them
        ("עמותת \u202eLyon\u202c", 7, "U+202E RIGHT-TO-LEFT OVERRIDE) at character 7"),
        ("עמותת \u2067Lyon\u2069", 7, "U+2067 RIGHT-TO-LEFT ISOLATE) at character 7"),
        ("עמותת \u202bLyon\u202c", 7, "U+202B RIGHT-TO-LEFT EMBEDDING) at character 7"),
        ("עמותת\u200bשלום", 6, "U+200B ZERO WIDTH SPACE) at character 6"),
        ("עמותת\u2060שלום", 6, "U+2060 WORD JOINER) at character 6"),
    ],
)
def test_a_bidi_control_other_than_a_mark_or_a_mark_without_right_to_left_letters_is_refused(
    name: str, at: int, said: str
) -> None:
    [line] = _messages(MINIMAL.replace("name: Probe", f'name: "{name}"'))
    assert said in line, line
    assert "name: " in line and not any(ch in line for ch in "\u200e\u200f\u061c\u202e\u2067\u202b\u200b\u2060"), line


# Khmer, Thai, Lao and Myanmar write no space between words; a zero width space marks where one ends (The
# Unicode Standard, sections 16.3 to 16.4: Khmer's text is written so, and web pages copy them so).
WORDS_PARTED_UNSEEN = [
    "\u1780\u17d2\u179b\u17b9\u1794\u200b\u1794\u17b6\u179b\u17cb\u1791\u17b6\u178f\u17cb",
    "\u0e0a\u0e21\u0e23\u0e21\u200b\u0e1f\u0e38\u0e15\u0e1a\u0e2d\u0e25 Lyon",
    "\u0eaa\u0eb0\u0ec2\u0ea1\u0eaa\u0ead\u0e99\u200b\u0e9a\u0eb2\u0e99",
    "\u1018\u1031\u102c\u101c\u102f\u1036\u1038\u200b\u1021\u101e\u1004\u103a\u1038",
]


@pytest.mark.parametrize("name", WORDS_PARTED_UNSEEN)
def test_a_zero_width_space_between_words_of_a_script_written_without_spaces_is_accepted(name: str) -> None:
    doc, problems = parse_yaml(MINIMAL.replace("name: Probe", f'name: "{name}"'), "m/probe-asso.yaml", MEMBER_KEYS)
    assert doc is not None and not problems, problems
    spec, problems = validate_member(doc)
    assert spec is not None and spec.name == name, problems


@pytest.mark.parametrize(
    ("name", "at"),
    [
        ("Club\u200bLyon", 5),  # between Latin letters: a word parted unseen
        ("\u0e0a\u0e21\u200bFC", 3),  # a Thai letter, then a Latin one
        ("\u200b\u0e0a\u0e21", 1),  # leading
        ("\u0e0a\u0e21\u200b", 3),  # trailing
        ("\u0e0a\u200b\u200b\u0e21", 2),  # doubled
        ("\u0e0a\u0e21\u200b \u0e1f", 3),  # beside a space
        ("\u0e0a\u200b\u1780", 2),  # between Thai and Khmer
    ],
)
def test_a_zero_width_space_elsewhere_is_refused(name: str, at: int) -> None:
    [line] = _messages(MINIMAL.replace("name: Probe", f'name: "{name}"'))
    assert f"(U+200B ZERO WIDTH SPACE) at character {at}" in line, line


def _tags(text: str) -> str:
    """``text`` written in Unicode's tag characters (U+E0020 to U+E007E), which print as nothing."""
    return "".join(chr(0xE0000 + ord(ch)) for ch in text)


# Emoji flag sequences of a region's subdivision (Unicode Technical Standard #51, ED-14a and annex C): a waving
# black flag, the subdivision's code in tag characters, a cancel tag (Scotland, England, Wales).
FLAG_TAG_SEQUENCES = [
    f"Club \U0001f3f4{_tags('gbsct')}\U000e007f de Lyon",
    f"\U0001f3f4{_tags('gbeng')}\U000e007f\U0001f3f4{_tags('gbwls')}\U000e007f Rugby",
]


@pytest.mark.parametrize("name", FLAG_TAG_SEQUENCES)
def test_a_name_with_a_subdivision_flag_is_accepted(name: str) -> None:
    text = MINIMAL.replace("name: Probe", f'name: "{name}"')
    text += f'notes: "{name}"\n'
    spec = _accepted_spec(text)
    assert spec.name == name and spec.notes == name


@pytest.mark.parametrize(
    ("name", "at"),
    [
        (f"Club{_tags('gbsct')}\U000e007f", 5),  # after a letter
        (f"Club \U0001f600{_tags('gbsct')}\U000e007f", 7),  # after an emoji that is no flag
        (f"\U0001f3f4{_tags('gbsct')} Lyon", 2),  # never cancelled
        ("Club \U000e007f", 6),  # a cancel tag alone
        (f"\U0001f3f4{_tags('GBSCT')}\U000e007f", 2),  # capitals: no subdivision's code
        (f"\U0001f3f4{_tags('gb')}\U000e007f", 2),  # a region alone
        (f"\U0001f3f4{_tags('gbsct2026')}\U000e007f", 2),  # longer than any code: text hidden after a flag
        (f"\U0001f3f4{_tags('mdp hunter2')}\U000e007f", 2),
        (f"\U0001f3f4{_tags('gbsct')}\U000e007f{_tags('x')}", 8),  # after the sequence
    ],
)
def test_a_tag_character_outside_a_flag_is_refused(name: str, at: int) -> None:
    """Tag characters print as nothing: outside a subdivision's flag they would hide text in a name."""
    [line] = _messages(MINIMAL.replace("name: Probe", f'name: "{name}"'))
    assert f"at character {at}" in line and "tag character" in line and "flag" in line, line
    assert not any(0xE0000 <= ord(ch) <= 0xE007F for ch in line), line


# Letters that a joiner may follow, viramas, emoji and what goes with them, tags, spaces, bidi controls.
_SEQUENCE_PARTS = [
    *"a \u09b0\u09cd\u09af\u0995\u0d28\u0d4d\u0645\u06cc\u0632\u0430\u0e0a\u0e38\u1780",
    *"\u200b\u200c\u200d\U0001f3f4\U0001f468\U0001f3fd\ufe0f\u20e3\U000e007f\u202e\u2066\u2069",
    *_tags("gbsct9 "),
]


@examples(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SEQUENCE_PARTS), max_size=16))
def test_free_text_accepts_joiners_and_tags_only_inside_what_they_form(text: str) -> None:
    """Whatever free text accepts holds no bidi control, no joiner or zero width space that starts it, follows a
    space or stands beside another, no zero width space before a space or at its end, and no tag character
    outside a whole subdivision's flag."""
    try:
        check_free_text(text)
    except ValueError:
        return
    import re

    assert not re.search("[\u202a-\u202e\u2066-\u2069]", text), ascii(text)
    assert not re.search("(?:^|\\s)[\u200b-\u200d]|[\u200b-\u200d]{2}|\u200b(?:$|\\s)", text), ascii(text)
    flags = re.sub(f"\U0001f3f4[{_tags('a')}-{_tags('z')}{_tags('0')}-{_tags('9')}]{{3,7}}\U000e007f", "", text)
    assert not re.search("[\U000e0000-\U000e007f]", flags), ascii(text)


@pytest.mark.parametrize(
    ("name", "at"),
    [
        ("<script>alert(document.cookie)</script>", 1),
        ("Les Amis <img src=x onerror=alert(1)>", 10),
        ("Nous <3 Lyon", 6),
    ],
)
def test_a_name_holding_a_less_than_sign_is_refused(name: str, at: int) -> None:
    """``name`` is the ``title`` of the member's Sympa robot (robot.conf), which Sympa's web pages (main.tt2's
    ``<title>``, header.tt2's and home.tt2's ``<h1>``, Sympa 6.2.70 and later) write without escaping, on the
    address every robot shares (``https://<pic:mail.sympa_domain>/<list domain>``, where the listmasters log
    in): a ``<`` there opens markup, a script included."""
    [line] = _messages(MINIMAL.replace("name: Probe", f'name: "{name}"'))
    assert line.startswith(f'members/probe-asso.yaml:1 name: "{name}" holds "<" at character {at}'), line
    assert "Sympa" in line, line
    # the robot.conf it would have made holds the markup as written
    from pic.render.mail import robot_title

    assert "<" in robot_title(name, "listes.probe-asso.org")


@pytest.mark.parametrize("name", ["Arts & Métiers", "Seniors > 60 ans", 'L\'Écho "du" Rhône', "A&lt;B"])
def test_a_name_with_other_html_punctuation_is_accepted(name: str) -> None:
    """``&``, ``>`` and quotes open no markup in an element's text (an ``&`` only names a character, shown)."""
    assert _messages(MINIMAL.replace("name: Probe", f"name: {json.dumps(name)}")) == []


def test_member_files_are_parsed_by_libyaml_when_pyyaml_has_it() -> None:
    """The loader is libyaml's (PyYAML's pure-Python parser reads the same, ten times slower), set up as its own
    parser only: parsing a file gives the same tree as PyYAML's safe loader of it."""
    import yaml

    from pic import yamlloader

    assert yaml.__with_libyaml__, "PyYAML without libyaml: member files are parsed ten times slower"
    assert issubclass(yamlloader.Loader, yaml.CSafeLoader)
    text = 'name: "Vélo"\nuid: 10800\nsite:\n  domains: [velo.org]\n  https: true\n'
    doc, problems = parse_yaml(text, "velo.yaml")
    assert problems == [] and doc is not None and doc.data == yaml.safe_load(text)


@pytest.mark.parametrize(
    ("key", "value", "meant"),
    [
        ("Memory_Limit", "256M", "memory_limit"),
        ("memory-limit", "256M", "memory_limit"),
        ("upload_max_size", "20M", "upload_max_filesize"),
        ("date_timezone", "Europe/Paris", "date.timezone"),
        ("gc_maxlifetime", 3600, "session.gc_maxlifetime"),
        ("date.timezone", "europe/paris", "Europe/Paris"),
        ("date.timezone", "Europe/Pari", "Europe/Paris"),
        ("date.timezone", "Paris", "Europe/Paris"),
        ("date.timezone", "New York", "America/New_York"),
        # other settings of PHP, another zone: named as refused, never as a slip of an allowed one
        ("display_startup_errors", True, None),
        ("session.cookie_lifetime", 3600, None),
        ("allow_url_include", True, None),
        ("date.timezone", "UTC+1", None),
        ("date.timezone", "Lyon", None),
        # a zone of another place or offset: Etc/GMT+1 is UTC-1 (POSIX's sign), Europe/London no Lyon's
        ("date.timezone", "GMT+1", None),
        ("date.timezone", "GMT-5", None),
        ("date.timezone", "Europe/Lyon", None),
        ("date.timezone", "Europe/Geneva", None),
        ("date.timezone", "Europe/Bern", None),
        ("date.timezone", "Europa/Paris", "Europe/Paris"),
        ("date.timezone", "Amerca/New_York", "America/New_York"),
        ("date.timezone", "etc/gmt+1", "Etc/GMT+1"),
        # a backslash for the slash (a Windows path's), or blanks around it
        ("date.timezone", "Europe\\Paris", "Europe/Paris"),
        ("date.timezone", "America\\New_York", "America/New_York"),
        ("date.timezone", "Europe / Paris", "Europe/Paris"),
        # a separator left over around or between the parts (a path's), or the name in full-width letters
        ("date.timezone", "Europe\\Paris\\", "Europe/Paris"),
        ("date.timezone", "Europe/Paris/", "Europe/Paris"),
        ("date.timezone", "\\America\\\\New_York", "America/New_York"),
        ("date.timezone", "Paris/", "Europe/Paris"),
        ("date.timezone", "UTC/", "UTC"),
        ("date.timezone", "\uff45\uff55\uff52\uff4f\uff50\uff45/\uff50\uff41\uff52\uff49\uff53", "Europe/Paris"),
        ("date.timezone", "\uff25\uff54\uff43\uff0f\uff27\uff2d\uff34\uff0b\uff11", "Etc/GMT+1"),
        ("date.timezone", "\uff35\uff34\uff23", "UTC"),
        # another offset, a sign or a digit away: Etc/GMT-13 is UTC+13, Etc/GMT+13 no zone (they stop at +12)
        ("date.timezone", "Etc/GMT+13", None),
        ("date.timezone", "Etc/GMT+14", None),
        ("date.timezone", "etc/GMT-15", None),
        ("date.timezone", "Etc/GMT+21", None),
        ("date.timezone", "Etc/GMT+O", None),
    ],
)
def test_a_php_setting_close_to_an_allowed_one_says_which_was_meant(key: str, value: object, meant: str | None) -> None:
    from pic import phpini

    why = phpini.problem(key, value, repr(value))
    assert why is not None
    if meant is None:
        assert "did you mean" not in why, why
    else:
        assert why.endswith(f"; did you mean {meant!r}?"), why


@pytest.mark.parametrize(
    "value",
    ["Europe\\Paris\\", "/Europe//Paris/", "\uff25\uff55\uff52\uff4f\uff50\uff45\uff0f\uff30\uff41\uff52\uff49\uff53"],
)
def test_a_time_zone_offered_is_taken(value: str) -> None:
    from pic import phpini

    why = phpini.problem("date.timezone", value, repr(value))
    meant = re.search(r"did you mean '([^']+)'\?$", why or "")
    assert meant is not None, why
    assert phpini.problem("date.timezone", meant[1], repr(meant[1])) is None


@pytest.mark.parametrize("value", ["Factory/", "\\Factory\\", "\uff26\uff41\uff43\uff54\uff4f\uff52\uff59", "/factory"])
def test_the_zone_of_no_place_is_never_offered_however_written(value: str) -> None:
    from pic import phpini

    why = phpini.problem("date.timezone", value, repr(value))
    assert why is not None and "did you mean" not in why and "Factory, the tz database's zone" in why, why


def test_the_tz_database_s_zone_of_no_place_is_refused() -> None:
    """date.timezone: Factory was taken: the tz database's zone of a machine whose zone is not set, which PHP takes
    and shows as '-00' in every date; refused, the members' zone to give."""
    from pic import phpini

    why = phpini.problem("date.timezone", "Factory", "'Factory'")
    assert why is not None and "a machine whose time zone is not set" in why and "Europe/Paris" in why, why


@pytest.mark.parametrize("value", ["factory", "FACTORY", " Factory", "Factor", "Factroy"])
def test_the_tz_database_s_zone_of_no_place_is_never_offered(value: str) -> None:
    """date.timezone: factory (or FACTORY, Factor) was told "did you mean 'Factory'?", the zone then refused: the
    zone of no place is told as Factory is, never offered, the members' zone to give."""
    from pic import phpini

    why = phpini.problem("date.timezone", value, repr(value))
    assert why is not None and "'Factory'?" not in why, why
    assert "a machine whose time zone is not set" in why and "Europe/Paris" in why, why


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("UTF-8", "utf-8"),
        ("ISO-8859-15", "iso-8859-15"),
        ("iso8859-1", "iso-8859-1"),
        ("windows-1259", None),
        # another name of the same encoding, as MariaDB, PHP or Windows write it
        ("latin1", "iso-8859-1"),
        ("Latin-1", "iso-8859-1"),
        ("latin9", "iso-8859-15"),
        ("cp1252", "windows-1252"),
        ("cp1251", "windows-1251"),
        ("ascii", "us-ascii"),
        ("sjis", "shift_jis"),
        ("mac-roman", "macintosh"),
        ("cp1259", None),  # no encoding
        ("rot13", None),  # an encoding of none of them
    ],
)
def test_a_static_sites_charset_close_to_an_allowed_one_says_which_was_meant(value: str, meant: str | None) -> None:
    text = MINIMAL + f"site:\n  domains: [probe.example.org]\n  php: none\n  charset: {value}\n"
    [line] = _messages(text)
    assert "is not a charset name served to browsers" in line, line
    assert (f"did you mean {meant!r}?" in line) if meant else ("did you mean" not in line), line


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        # a runtime key with a word before it, or a comma
        (SITE.replace("php: '8.4'", "php: php8.4"), "8.4"),
        (SITE.replace("php: '8.4'", "php: 'PHP 8.3'"), "8.3"),
        (SITE.replace("php: '8.4'", "php: php-8.2"), "8.2"),
        (SITE.replace("php: '8.4'", "php: '8,4'"), "8.4"),
        (SITE.replace("php: '8.4'", "php: '\uff18.\uff14'"), "8.4"),  # full-width digits
        (SITE.replace("php: '8.4'", "php: '\uff18\uff0e\uff13'"), "8.3"),  # and full stop
        (SITE.replace("php: '8.4'", "php: nnoe"), "none"),
        (SITE.replace("php: '8.4'", "php: latest"), None),
        # a cron schedule's keyword in another case or one slip off
        (SITE + "cron:\n  - {schedule: dayly, command: php www/cron.php}\n", "daily"),
        (SITE + "cron:\n  - {schedule: Weekly, command: php www/cron.php}\n", "weekly"),
        (SITE + "cron:\n  - {schedule: nightly, command: php www/cron.php}\n", None),
        # a language as a tag with its region, or by its name
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: fr-FR}"), "fr"),
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: English}"), "en"),
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: français}"), "fr"),
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: de}"), None),
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: fr2}"), None),
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: Anglais}"), "en"),
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: en US}"), "en"),
        # a word that merely starts as an allowed value names none of them
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: Frisian}"), None),
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: entreprise}"), None),
        (MINIMAL.replace("email: a@probe-asso.org}", "email: a@probe-asso.org, language: France}"), None),
        (SITE + "cron:\n  - {schedule: dailymail, command: php www/cron.php}\n", None),
        (SITE + "cron:\n  - {schedule: weeklyreport, command: php www/cron.php}\n", None),
        (SITE.replace("php: '8.4'", "php: nonexistent"), None),
    ],
)
def test_a_value_close_to_an_allowed_form_says_which_was_meant(text: str, meant: str | None) -> None:
    [line] = _messages(text)
    assert (f"did you mean {meant!r}?" in line) if meant else ("did you mean" not in line), line


WEB_1 = {"web_hosts": ["web-1", "web2"], "runtimes": ["8.2", "8.4"]}


@pytest.mark.parametrize(
    ("field", "value", "stack", "meant", "listed"),
    [
        # a name in another case or form, or a slip of one, of a web host or a runtime the stack has
        ("host", "WEB1", PROD_NAMES, "web1", "the stack's web hosts: web1"),
        ("host", "'web_1'", PROD_NAMES, "web1", "the stack's web hosts: web1"),
        ("host", "'WEB 1'", PROD_NAMES, "web1", "the stack's web hosts: web1"),
        ("host", "Web_1", WEB_1, "web-1", "the stack's web hosts: web-1, web2"),
        ("host", "WEB2", WEB_1, "web2", "the stack's web hosts: web-1, web2"),
        # mended into a name the stack lacks: the names it has, none hinted
        ("host", "Web9", PROD_NAMES, None, "the stack's web hosts: web1"),
        ("host", "Web_9", PROD_NAMES, None, "the stack's web hosts: web1"),
        ("host", "WEB1", WEB_1, "web-1", "the stack's web hosts: web-1, web2"),
        ("host", "WEB3", WEB_1, None, "the stack's web hosts: web-1, web2"),
        ("host", "'web 3'", WEB_1, None, "the stack's web hosts: web-1, web2"),
        # the db host is no web host: never hinted for a member's host
        ("host", "Db", PROD_NAMES, None, "the stack's web hosts: web1"),
        ("host", "DB", {"web_hosts": ["web1"], "runtimes": []}, None, "the stack's web hosts: web1"),
        ("php", "php8.9", PROD_NAMES, None, "the stack's runtimes: 7.4, 8.2, 8.3, 8.4, 8.5, or none"),
        ("php", "'8,3'", WEB_1, None, "the stack's runtimes: 8.2, 8.4, or none"),
        ("php", "'PHP 8.4'", WEB_1, "8.4", "the stack's runtimes: 8.2, 8.4, or none"),
        ("php", "NONE", WEB_1, "none", "the stack's runtimes: 8.2, 8.4, or none"),
        # a runtime's key held in a package's or an image's name, or with a patch release
        ("php", "'php-fpm8.4'", WEB_1, "8.4", "the stack's runtimes: 8.2, 8.4, or none"),
        ("php", "'php8.4-fpm'", WEB_1, "8.4", "the stack's runtimes: 8.2, 8.4, or none"),
        ("php", "'8.4.33'", WEB_1, "8.4", "the stack's runtimes: 8.2, 8.4, or none"),
        ("php", "'php:8.2-apache'", WEB_1, "8.2", "the stack's runtimes: 8.2, 8.4, or none"),
        ("php", "'8.2 or 8.4'", WEB_1, None, "the stack's runtimes: 8.2, 8.4, or none"),
        ("php", "'php 18.4'", WEB_1, None, "the stack's runtimes: 8.2, 8.4, or none"),
        ("php", "'php8.45'", WEB_1, None, "the stack's runtimes: 8.2, 8.4, or none"),
        ("host", "'web1 old'", PROD_NAMES, "web1", "the stack's web hosts: web1"),
        ("host", "'web10 old'", PROD_NAMES, None, "the stack's web hosts: web1"),
        # without the stack's names, no name is hinted
        ("host", "WEB1", None, None, None),
        ("php", "php8.4", None, None, None),
    ],
)
def test_a_hint_names_only_a_web_host_or_runtime_the_stack_has(
    field: str, value: str, stack: dict[str, list[str]] | None, meant: str | None, listed: str | None
) -> None:
    """host: Web9 was told "did you mean 'web9'?" when the stack has no web9: a form mended is hinted only when it
    names a host or a runtime of the stack; else the message lists those there are."""
    text = SITE.replace("php: '8.4'", f"php: {value}") if field == "php" else MINIMAL + f"host: {value}\n"
    [line] = _messages(text, stack)
    assert "is not allowed here" in line, line
    assert (f"; did you mean {meant!r}?" in line) if meant else ("did you mean" not in line), line
    assert (f"({listed})" in line) if listed else ("(the stack's" not in line), line


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("Monday", "Mon"),
        ("lundi", "Mon"),
        ("Dimanche", "Sun"),
        ("Thursday", "Thu"),
        # the abbreviations of a French calendar (was: nothing offered for Dim)
        ("Dim", "Sun"),
        ("dim.", "Sun"),
        ("Mer", "Wed"),
        ("sam.", "Sat"),
        ("Monsoon", None),
        ("Saturnin", None),
    ],
)
def test_a_day_s_name_says_which_day_was_meant(value: str, meant: str | None) -> None:
    assert meant_among(value, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")) == meant


@pytest.mark.parametrize(
    ("address", "words", "meant"),
    [
        (
            "jea\u0301n@probe-asso.org",
            "letters before the @ with an accent written apart from its letter (U+0301 at character 4",
            "je\u00e1n@probe-asso.org",
        ),
        (
            "jean@pro\u0301be-asso.org",
            "a domain of letters with an accent written apart from its letter (U+0301 at character 9",
            "jean@pr\u00f3be-asso.org",
        ),
        (
            "\uff4aean@probe-asso.org",
            "letters before the @ that only stand for others (full-width",
            "jean@probe-asso.org",
        ),
    ],
)
def test_an_address_written_in_other_forms_of_its_letters_says_which(address: str, words: str, meant: str) -> None:
    """An accent typed apart from its letter (e then U+0301, as some systems store text) looks like the one
    accented letter: it is named as such, not as a full-width form, which it is not."""
    with pytest.raises(ValueError, match="write") as refused:
        check_email(address)
    assert words in str(refused.value) and str(refused.value).endswith(f"write {meant!r}"), refused.value


@pytest.mark.parametrize(
    ("address", "meant"),
    [
        ("jean@probe-asso\u3002org", "jean@probe-asso.org"),  # the ideographic full stop, a dot to IDNA
        ("jean@www\uff61probe-asso.org", "jean@www.probe-asso.org"),  # its halfwidth form
        ("jean@v\u00e9lo\u3002probe-asso.org", "jean@v\u00e9lo.probe-asso.org"),
    ],
)
def test_an_address_whose_domain_has_ideographic_dots_is_refused(address: str, meant: str) -> None:
    """An address whose domain's dots are ideographic full stops (。 ｡) was accepted as written, the library
    reading them as dots, and went on as written into the files that take the address; it is refused with the
    address to write, which is accepted."""
    with pytest.raises(ValueError) as refused:
        check_email(address)
    assert str(refused.value).endswith(f"write {meant!r}"), refused.value
    assert check_email(meant) == meant


def test_an_address_whose_domain_has_ideographic_dots_says_dots() -> None:
    """Such an address was told its domain has letters that only stand for others: its dots are what is written
    otherwise, and it is told so; full-width letters are still told as letters."""
    with pytest.raises(ValueError) as refused:
        check_email("jean@probe-asso\u3002org")
    said = str(refused.value)
    assert "dots" in said and "letters" not in said, said
    with pytest.raises(ValueError) as refused:
        check_email("jean@\uff50robe-asso\u3002org")
    assert "letters and dots" in str(refused.value), refused.value
    with pytest.raises(ValueError) as refused:
        check_email("jean@\uff50robe-asso.org")
    assert "letters" in str(refused.value) and "dots" not in str(refused.value), refused.value


@pytest.mark.parametrize(
    ("address", "words", "meant"),
    [
        ("admin@velo-asso..fr", "its domain has two dots in a row, an empty label between them", "admin@velo-asso.fr"),
        (
            "admin@www...velo-asso.fr",
            "its domain has 3 dots in a row, empty labels between them",
            "admin@www.velo-asso.fr",
        ),
        ("admin@.velo-asso.fr", "its domain starts with a dot, an empty label before it", "admin@velo-asso.fr"),
        ("admin@velo-asso.fr.", "its domain ends with a dot", "admin@velo-asso.fr"),
        ("admin@velo-asso.fr..", "its domain ends with two dots", "admin@velo-asso.fr"),
        ("admin@velo-asso\u3002\u3002fr", "its domain has two dots in a row", "admin@velo-asso.fr"),
        ("marie@v\u00e9lo..fr", "its domain has two dots in a row", "marie@v\u00e9lo.fr"),
        ("admin@xn--..velo-asso.fr", "its domain has two dots in a row", None),  # xn--.asso.fr is refused too
        ("ad..min@velo-asso.fr", "has two dots in a row before the @", None),  # another mailbox without one
        (".admin@velo-asso.fr", "starts with a dot", None),
        ("admin.@velo-asso.fr", "has a dot right before the @", None),
    ],
)
def test_an_address_with_an_empty_label_says_where(address: str, words: str, meant: str | None) -> None:
    """An address with two dots in a row (admin@asso..fr) was told email_validator's English sentence ("An email
    address cannot have two periods in a row."); it is told where, in the project's words, with the address to write
    when that one is accepted (a dot dropped before the @ would name another mailbox: none is offered there)."""
    with pytest.raises(ValueError) as refused:
        check_email(address)
    said = str(refused.value)
    assert said.startswith("is not a valid e-mail address: "), said
    assert words in said and "period" not in said and "An email" not in said, said
    if meant is None:
        assert "write '" not in said, said
    else:
        assert said.endswith(f"write {meant!r}"), said
        assert check_email(meant) == meant


@pytest.mark.parametrize(
    ("address", "ascii_only", "said"),
    [
        ("admin@velo-asso.fr ", False, "has blanks around it: give the address alone ('admin@velo-asso.fr')"),
        (" admin@velo-asso.fr", False, "has blanks around it: give the address alone ('admin@velo-asso.fr')"),
        ("admin@velo-asso.fr,", False, "ends with ',': give the address alone ('admin@velo-asso.fr')"),
        ("admin@velo-asso.fr;", True, "ends with ';': give the address alone ('admin@velo-asso.fr')"),
        ("admin@velo-asso..fr,", False, "ends with ','; without it, its domain has two dots in a row"),
        ("admin@asso.fr,", False, "ends with ','; without it the address is refused too: its domain asso.fr is a"),
        (" deploy:hunter2@x.org", False, "has blanks around it; without them the address is refused too: The email"),
        ("marie@v\u00e9lo-asso.fr,", False, "ends with ',': give the address alone ('marie@v\u00e9lo-asso.fr')"),
        ("marie@v\u00e9lo-asso.fr,", True, "ends with ','; without it, the address has a domain in Unicode"),
    ],
)
def test_an_address_with_blanks_or_a_list_s_separator_says_what_to_write(
    address: str, ascii_only: bool, said: str
) -> None:
    """An address copied from a list (``admin@velo-asso.fr,``) or with a blank inside its quotes was told
    email_validator's sentence about the character after the @-sign ("contains invalid characters: ','"); it is told
    what is around it, and the address to write only when the field takes it, else why that one is refused too."""
    with pytest.raises(ValueError) as refused:
        (check_ascii_email if ascii_only else check_email)(address)
    assert str(refused.value).startswith(f"is not a valid e-mail address: {said}"), refused.value
    assert "invalid characters" not in str(refused.value) or "hunter2" in address
    assert "hunter2" not in str(refused.value)  # the address refused is not quoted: it may hold a password


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("admin@.velo-asso.fr,", "ends with ','; without it, its domain starts with a dot"),
        ("admin@velo-asso.fr.;", "ends with ';'; without it, its domain ends with a dot"),
        (" admin@velo-asso..fr ", "has blanks around it; without them, its domain has two dots in a row"),
        ("Admin <admin@.velo-asso.fr>", "a name and angle brackets around the address are not taken; without them,"),
        ("mailto:admin@velo-asso..fr", "without 'mailto:', its domain has two dots in a row"),
    ],
)
def test_an_address_with_two_faults_is_offered_mended_without_being_told_refused(address: str, said: str) -> None:
    """``admin@.velo-asso.fr,`` was told that without its ',' the address "is refused too", then offered the address
    mended: both faults are told, and the address to write, one the field takes."""
    with pytest.raises(ValueError) as refused:
        check_email(address)
    message = str(refused.value)
    assert message.startswith(f"is not a valid e-mail address: {said}"), message
    assert "refused too" not in message, message
    offered = message.rpartition("write ")[2].strip("'")
    assert check_email(offered) == offered == "admin@velo-asso.fr", message


def test_the_address_a_platform_s_field_is_offered_is_ascii() -> None:
    """A platform's address (check_ascii_email) is offered an address it takes: its domain in punycode."""
    with pytest.raises(ValueError) as refused:
        check_ascii_email("admin@v\u00e9lo..fr")
    said = str(refused.value)
    assert said.endswith("write 'admin@xn--vlo-bma.fr'"), said
    assert check_ascii_email("admin@xn--vlo-bma.fr")


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('notes: "mdp : Azerty123 \u2028"\n', "Azerty123"),  # a line break YAML counts, after a password
        ('notes: "mdp : Azerty123\x85"\n', "Azerty123"),
        ('notes: "mot de passe : Azer\x07ty123"\n', "Azer"),  # a control character splitting it
        ("notes: |\n  Mot de passe FTP :\n    Velo2024x\u2028\n", "Velo2024x"),  # the label on the line above
        ('notes: "Carte : 4970 1234 5678 9013\x1b"\n', "4970"),
        ('cron:\n  - {schedule: daily, command: "mysql -pS3cr3tPw\x07 db"}\n', "S3cr3tPw"),
    ],
)
def test_a_refused_character_beside_a_secret_does_not_show_its_line(text: str, secret: str) -> None:
    """The line of a refused character is shown to find it, unless the line (with the one above) reads as a secret
    as pic check reads one in prose or in a command: then it is named, not shown."""
    [line] = _messages(MINIMAL + text)
    assert "the line (not shown: it may hold a secret) holds" in line, line
    assert secret not in line, line


def test_a_refused_character_in_ordinary_text_shows_its_line() -> None:
    [line] = _messages(MINIMAL + 'notes: "Arrivée le 12/03 \u2028"\n')
    assert 'notes: the line "notes: \\"Arrivée le 12/03 \\u2028\\"" holds a line break' in line, line


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # refused for another reason first: the value, and any hint quoting it, still unseen
        ('notes: ["mdp : Azerty123"]\n', "Azerty123"),  # a list where text is expected
        ('notes: {a: "Carte : 4970 1234 5678 9013"}\n', "4970"),  # a mapping
        ('site: {domains: ["mdp:Azerty123.org"], php: "8.4"}\n', "zerty123"),  # the lowercase hint
        ('notes: !!binary "mdp : Azerty123"\n', "Azerty123"),  # a tag: the loader's message
        ('notes: !foo "Carte : 4970 1234 5678 9013"\n', "4970"),
        ("notes: &Co mdp Azerty123\n", "Azerty123"),  # an anchor
    ],
)
def test_a_secret_refused_for_another_reason_is_not_shown(text: str, secret: str) -> None:
    [line] = _messages(MINIMAL + text)
    assert "the value (not shown: it may be a secret)" in line, line
    assert secret.lower() not in line.lower(), line


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('site: {domains: ["Asso-Lyon.org"], php: "8.4"}\n', "'asso-lyon.org'"),
        ('notes: !foo "Bonjour"\n', "Bonjour"),
        ('notes: ["Arrivée le 12/03"]\n', "Arrivée le 12/03"),
    ],
)
def test_a_value_refused_for_another_reason_is_shown_when_it_is_no_secret(text: str, shown: str) -> None:
    [line] = _messages(MINIMAL + text)
    assert shown in line, line


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("access:\n  sftp_keys:\n    - password: Azerty123\n", "Azerty123"),  # an item YAML read as a mapping
        ('"mdp : Azerty123": 1\n', "Azerty123"),  # a key: the field named, not shown
        ('database_charsets: {"mdp : Azerty123": utf8mb4}\n', "Azerty123"),  # a free key, refused
    ],
)
def test_a_secret_in_a_key_or_a_mapping_is_not_shown(text: str, secret: str) -> None:
    [line] = _messages(MINIMAL + text)
    assert "not shown" in line and secret not in line, line


@pytest.mark.parametrize("text", ["mysql -u asso -pS3cr3tPw asso_main", "sshpass -p S3cr3tPw ssh asso@web1"])
@pytest.mark.parametrize("field", ["notes", "contact.name"])
def test_a_password_option_pasted_into_notes_or_a_contact_name_is_refused(text: str, field: str) -> None:
    if field == "notes":
        member = MINIMAL + f'notes: "{text}"\n'
    else:
        member = MINIMAL.replace("{name: P,", f'{{name: "Jean {text}",')
    [line] = _messages(member)
    assert f"{field}: the text (not shown) holds a password option" in line and "S3cr3tPw" not in line, line


@pytest.mark.parametrize(
    "note", ["Lilas2024x!", "Lilas2024x", "Soleil-Azur-75", "LILAS2024X", "PassWord1", " Lilas2024x! ", "velo75paris"]
)
def test_a_note_that_is_a_password_alone_is_refused_without_being_shown(note: str) -> None:
    """notes: "Lilas2024x!" (a password pasted alone, without a label) was accepted, then committed in clear with the
    member's file: a note of one word shaped as a password, as a person's name reads it, is refused, not shown."""
    [line] = _messages(MINIMAL + f'notes: "{note}"\n')
    said = "members/probe-asso.yaml:4 notes: the text (not shown) is one word shaped as a password"
    assert line.startswith(said), line
    assert note.strip() not in line, line


@pytest.mark.parametrize(
    "note",
    [
        "PHP8.2",
        "RT#1187",
        "3f2a9c1e",
        "deadbeef12cafe",
        "Nextcloud28",
        "ticket#4521",
        "WP-6.4.2",
        "Asso2024",
        "WordPress6.4",
        "MariaDB10.11",
        "PrestaShop1.7.8",
    ],
)
def test_a_note_of_one_word_a_note_holds_is_accepted(note: str) -> None:
    """Versions, tickets and hashes written alone in a note (PHP8.2, RT#1187, 3f2a9c1e) are no password's shape; nor
    is a product's name in capitals inside then its version in dots (WordPress6.4, MariaDB10.11), which was refused as
    PassWord1 is."""
    assert _accepted_spec(MINIMAL + f'notes: "{note}"\n').notes == note


# A password pasted as a word of the contact's name, without a label: letters, digits and a password's sign, a
# lowercase letter on each side of its digits, or capitals inside a word with digits; (name, the word's place)
BARE_PASSWORDS_IN_A_NAME = [
    ("Lilas2024x!", 1),
    ("Marie Lilas2024x!", 2),
    ("Paul Lilas2024x", 2),
    ("Marie lilas2024x", 2),
    ("Marie S3cretPw9 Durand", 2),
    ("Paul (Soleil-2025#)", 2),
    ("Paul Dupont@2024", 2),
    ("Marie Azerty123!", 2),
    ("Jean PassWord1", 2),
    ("Marie Dupont Lilas2024X", 3),
    ("Marie Dupont, «Soleil2025$»", 3),
    # beside two words joined by 2 or 4 (Tech4Good): a small letter after the digit, more digits, a sign
    ("Marie Tech4good", 2),
    ("Marie Velo24Lyon", 2),
    ("Marie Lilas2Velo!", 2),
    # letters after the digit that are an ordinal's after another digit (3rd, 1st, 2nd, 1er): 0rd, 4st, 5nd, 0er
    ("Marie Passw0rd", 2),
    ("Jean Dupont Lilas4st", 3),
    ("Paul Soleil5nd", 2),
    ("Marie Soleil0er", 2),
    # a passphrase's shape (capitalised words joined to a number) and a password typed with Caps Lock on
    ("Soleil-Azur-75", 1),
    ("Marie Lilas.Azur.75", 2),
    ("Jean LILAS2024X", 2),
    # with more joined to them: a URL's scheme, a letter and a dash
    ("https://Soleil-Azur-75", 1),
    ("Marie a-LILAS2024X", 2),
    ("AB12CD34", 1),
]


@pytest.mark.parametrize(("name", "word"), BARE_PASSWORDS_IN_A_NAME)
def test_a_bare_password_in_a_contact_s_name_is_refused_without_being_shown(name: str, word: int) -> None:
    """A password pasted as the contact's name or beside it, without a label (contact: {name: "Lilas2024x!"}), was
    accepted, then printed with the name in reports, warnings and the To header of the messages to the contact."""
    [line] = _messages(MINIMAL.replace("{name: P,", f"{{name: {_yaml_quoted(name)},"))
    assert line.startswith("members/probe-asso.yaml:2 contact.name: the name (not shown) holds a word"), line
    assert f"(word {word})" in line, line
    secret = name.split()[word - 1].strip("()«»")
    assert secret not in line and secret.rstrip("!#$") not in line, line


# Names of people and associations, digits and signs included, as contacts are written.
CONTACT_NAMES = [
    "Jean-Paul II",
    "Asso 2024",
    "Marie-Hélène O'Brien",
    "Marie-Hélène d'Arc",
    "Seán O’Brien",
    "Ève N'Diaye",
    "Louis XIV",
    "J.-P. Dupont",
    "Jean de La Fontaine",
    "Club 93",
    "Amis75",
    "Asso2024",
    "AS Lyon-3",
    "A2DM Lyon",
    "R2D2",
    "Asso 4x4",
    "Jean Dupont (3e âge)",
    "Jean Dupont (trésorier)",
    "Paul Durand, 2e vice-président",
    "MJC Lyon8e",
    "Comité Paris13ème",
    "Scouts Lyon21st",
    "Lycée Ampère2nde",
    "Classe Terminale1re",
    "Promo Paris1er",
    "Marie (marie2@asso-lyon.fr)",
    "Radio 102.2 FM",
    "McDonald & DeLaRue",
    "Dr. Ngozi Okonjo-Iweala",
    "Bureau 2024-2025",
    "Team b2b",
    "Club p2p",
    "Asso e2e",
    "Les 4L Trophy",
    # two words joined by 2 or 4 (to, for), as associations name themselves
    "Tech4Good Lyon",
    "Kids4Lyon",
    "Up2You",
    "Agir2Gether",
    "Resto2Cœur",
]


@pytest.mark.parametrize("name", CONTACT_NAMES)
def test_a_contact_s_name_holding_digits_or_signs_as_names_do_is_accepted(name: str) -> None:
    text = MINIMAL.replace("{name: P,", f"{{name: {_yaml_quoted(name)},")
    spec = _accepted_spec(text)
    assert spec.contact.name == name


# Names associations give themselves, a number, an ordinal, an acronym, a brand or a year in them, which a member's
# name and a contact's (pic new --name gives both) both take.
ASSOCIATION_NAMES = [
    "Asso2024",
    "Club 93",
    "MJC Lyon8e",
    "R2D2",
    "Tech4Good Lyon",
    "ÉcoLogis2024",
    "MaxiCycle2000",
    "iPhone12 Club",
    "Radio 102.2 FM",
    "Association numéro 12",
    "Les Amis du 7e",
    "Vélo-Cité Lyon 2024",
    "Club C++ Lyon",
    "Yahoo! Club 2024",
    "Bureau 2024-2025",
    "McDonald & DeLaRue 1998",
    "Ünïcödé ½",
]
# Of an association alone, which a person's name is not: lowercase letters on both sides of a digit (a brand, a
# slug), a word not typed as a password (not ASCII, shorter than 8 characters, digits within capitals inside).
ONLY_ASSOCIATION_NAMES = [
    "Web2day Nantes",
    "Test pict-a1b2c3-a",
    "Festival b2b4you",
    "Club backupS3Box",
    "Été2024!",
    "Team GO2025!",  # 7 characters, fewer than a password rule asks; a person's name holds no such sign
]


@pytest.mark.parametrize("name", ASSOCIATION_NAMES)
def test_an_association_s_name_holding_digits_as_associations_write_them_is_accepted_for_member_and_contact(
    name: str,
) -> None:
    """ÉcoLogis2024 and iPhone12 Club were refused as a contact's name, shaped as PassWord1 (a capital after a
    lowercase letter with digits): a number of two digits or more at the word's end is a name's."""
    text = MINIMAL.replace("name: Probe\n", f"name: {_yaml_quoted(name)}\n")
    assert _accepted_spec(text).name == name
    text = MINIMAL.replace("{name: P,", f"{{name: {_yaml_quoted(name)},")
    assert _accepted_spec(text).contact.name == name


@pytest.mark.parametrize("name", ONLY_ASSOCIATION_NAMES)
def test_a_name_only_an_association_writes_is_accepted_as_a_member_s(name: str) -> None:
    text = MINIMAL.replace("name: Probe\n", f"name: {_yaml_quoted(name)}\n")
    assert _accepted_spec(text).name == name


# A password pasted as an association's name or beside it; (name, the word's place)
BARE_PASSWORDS_IN_AN_ASSOCIATION_S_NAME = [
    ("Vélo-Cité Lilas2024x!", 2),
    ("Lilas2024x!", 1),
    ("Azerty123!", 1),
    ("PassWord1", 1),
    ("Club PassWord123", 2),
    ("Marie Lilas2024x!", 2),
    ("Vélo Cité (Soleil-2025#)", 3),
    ("Amis du Rhône «Dupont@2024»", 4),
    ("Club MotDePasse2", 2),
    ("Club Dupont@2024", 2),
]


@pytest.mark.parametrize(("name", "word"), BARE_PASSWORDS_IN_AN_ASSOCIATION_S_NAME)
def test_a_bare_password_in_a_member_s_name_is_refused_without_being_shown(name: str, word: int) -> None:
    """A password pasted beside the association's name (name: "Vélo-Cité Lilas2024x!") was accepted, then printed
    in reports, in the messages to its contact and as its lists' robot title."""
    [line] = _messages(MINIMAL.replace("name: Probe\n", f"name: {_yaml_quoted(name)}\n"))
    assert line.startswith("members/probe-asso.yaml:1 name: the name (not shown) holds a word"), line
    assert f"(word {word})" in line and "an association's name" in line, line
    secret = name.split()[word - 1].strip("()«»")
    assert secret not in line and secret.rstrip("!#$") not in line, line


@pytest.mark.parametrize(
    "name", ["PassWord1", "Pass1Word", "PassWord123", "Marie MotDePasse0123", "Jean Azerty123!", "Team GO2025!"]
)
def test_a_password_of_capitals_inside_is_still_refused_in_a_contact_s_name(name: str) -> None:
    [line] = _messages(MINIMAL.replace("{name: P,", f"{{name: {_yaml_quoted(name)},"))
    assert line.startswith("members/probe-asso.yaml:2 contact.name: the name (not shown) holds a word"), line
    assert "a person's name" in line, line


def test_the_names_of_the_daemon_tests_member_files_are_accepted() -> None:
    """tests/test_daemons_web.py and tests/test_daemons_acme.py (which need root and daemons) build their members
    from MemberSpec, named Test pict-<3 random bytes in hex>-a..c and Test acme-a: the rule refused some of those
    (lowercase letters on both sides of a digit, pict-a1b2c3-a). Their own builders, over every shape of token."""
    from tests import test_daemons_acme, test_daemons_web

    tokens = ["a1b2c3", "000000", "ffffff", "1e5a2b", "9f9f9f", "abc123", "123abc", "0a0a0a", "e1e1e1"]
    tokens += [f"{n:06x}" for n in range(0, 0xFFFFFF, 0x10101)]  # each digit and letter in every place
    for token in tokens:
        for x in "abc":
            slug = f"pict-{token}-{x}"
            member = test_daemons_web.make_member(slug, 41001, "active", "8.2", ssh=False, key=ED25519)
            assert member.spec.name == f"Test {slug}"
    for slug in ("acme-a", "acme-b"):
        assert test_daemons_acme.acme_member(slug, 41001, [f"{slug}.test"]).spec.name == f"Test {slug}"


def _generated_name() -> st.SearchStrategy[str]:
    from tests.test_property import _shows_as_text, printable

    return printable.map(str.strip).filter(_shows_as_text)


@examples(max_examples=1000, deadline=None)
@given(name=st.deferred(_generated_name))
@example(name="A000000=")
@example(name="z>j+P3")
@example(name="Club Info 2000")
def test_every_name_the_property_test_generates_passes_as_a_member_s(name: str) -> None:
    """tests/test_property.py's valid members are named with any text shown as text (any script, any sign): a word
    shaped as a password there is typed as one (ASCII, three letters first, 8 characters or more), which the
    generator leaves out (AAA0000= was drawn, and refused); A000000=, z>j+P3, with a letter first, pass."""
    from pic.registry import no_password_in_a_name

    assert no_password_in_a_name(name, person=False) == name


@pytest.mark.parametrize("name", ["AAA0000=", "Vélo Lilas2024x!", "Asso Velo2024!"])
def test_the_property_test_draws_no_name_the_password_rule_refuses(name: str) -> None:
    """A name refused as holding a word typed as a password (AAA0000=, drawn once by tests/test_property.py's
    generator, which then failed a valid registry) is one that generator leaves out."""
    from pic.registry import no_password_in_a_name
    from tests.test_property import _shows_as_text

    with pytest.raises(ValueError):
        no_password_in_a_name(name, person=False)
    assert not _shows_as_text(name)


@pytest.mark.parametrize("written", ["Etc/GMT+13", "Etc/GMT-15", "etc/gmt+14"])
def test_a_time_zone_of_an_offset_the_tz_database_lacks_is_shown(tmp_path: Path, written: str) -> None:
    """date.timezone: Etc/GMT+13 (the Etc/ zones stop at +12 and -14) was written 'the value (not shown: it may be a
    secret)', its GMT+13 read as a password beside Etc; an offset from GMT or UTC names a zone, and is shown."""
    members = tmp_path / "members"
    members.mkdir()
    (members / "probe-asso.yaml").write_text(
        MINIMAL + "site:\n  domains: [probe-asso.org]\n  php: '8.4'\n  php_settings:\n"
        f"    date.timezone: '{written}'\n",
        encoding="utf-8",
    )
    with pytest.raises(PicError) as info:
        load_registry(members, load_settings(ROOT, "prod"))
    assert f'date.timezone: "{written}" is not a time zone of the tz database' in str(info.value), str(info.value)


def test_a_php_setting_holding_a_secret_is_not_shown(tmp_path: Path) -> None:
    """The PHP settings are checked across the file (Registry): a value or a key that reads as a secret is named,
    not shown, and the rest of the message stays (the setting's name, what it takes)."""
    site = "site:\n  domains: [probe-asso.org]\n  php: '8.4'\n  php_settings:\n"
    members = tmp_path / "members"
    members.mkdir()
    (members / "probe-asso.yaml").write_text(
        MINIMAL + site + '    memory_limit: "mdp : Azerty123"\n    "mysql -pS3cr3tPw": 1\n', encoding="utf-8"
    )
    with pytest.raises(PicError) as info:
        load_registry(members, load_settings(ROOT, "prod"))
    shown = str(info.value)
    assert "Azerty123" not in shown and "S3cr3tPw" not in shown, shown
    assert "site.php_settings.memory_limit: the value (not shown: it may be a secret) is not a size" in shown, shown
    assert "site.php_settings: the value (not shown: it may be a secret):" in shown, shown


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        (
            'site: {domains: [probe-asso.org], php: none, charset: "utf-8 mdp:Azerty123 iso-8859-1"}\n',
            "such as utf-8, iso-8859-1, iso-8859-15 or windows-1252 (docs/REGISTRY.md lists them)",
        ),
        ('site: {domains: [probe-asso.org], php: "8.4 mdp:Azerty123"}\n', 'a runtime key such as "8.4" (quoted)'),
        ('databases: [main]\ndatabase_charsets: {main: "utf8mb4 mdp:Azerty123"}\n', "'utf8mb4'"),
        ('access:\n  sftp_keys: ["mdp:Azerty123 ssh-rsa AAAA"]\n', "ssh-ed25519, ssh-rsa (key options"),
    ],
)
def test_a_hidden_value_leaves_the_allowed_values_its_message_lists(text: str, allowed: str) -> None:
    """The value is hidden, and so are its words in a hint; the allowed values the message lists are not, though
    the value holds one of them (utf-8 was written '...', iso-8859-15 '...5')."""
    [line] = _messages(MINIMAL + text)
    assert "the value (not shown: it may be a secret)" in line and "zerty" not in line, line
    assert allowed in line, line


@pytest.mark.parametrize(
    ("field", "value", "meant"),
    [
        ("php", "'8.4 Lilas2024x!'", "8.4"),
        ("php", "'Lilas2024x! 8.4'", "8.4"),
        ("php", "'php 8.4 pass Azerty123'", "8.4"),
        ("host", "'WEB1 Lilas2024x!'", "web1"),
        ("host", "'web1 mdp Azerty123'", "web1"),
    ],
)
def test_a_hint_naming_a_name_of_the_stack_is_kept_whole_beside_a_hidden_value(
    field: str, value: str, meant: str
) -> None:
    """php: "8.4 Lilas2024x!" was told "did you mean '...'?": the runtime offered, one of the stack's names the
    message lists anyway, was hidden as a piece of the value, and '...' is no runtime."""
    text = SITE.replace("php: '8.4'", f"php: {value}") if field == "php" else MINIMAL + f"host: {value}\n"
    [line] = _messages(text)
    assert "the value (not shown: it may be a secret)" in line, line
    assert "Lilas" not in line and "zerty" not in line, line
    assert f"; did you mean {meant!r}?" in line, line


def test_a_php_setting_s_key_hidden_leaves_the_keys_allowed(tmp_path: Path) -> None:
    site = "site:\n  domains: [probe-asso.org]\n  php: '8.4'\n  php_settings:\n"
    members = tmp_path / "members"
    members.mkdir()
    (members / "probe-asso.yaml").write_text(MINIMAL + site + '    "memory_limit mdp:Azerty123": 1\n', encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_registry(members, load_settings(ROOT, "prod"))
    shown = str(info.value)
    assert "zerty" not in shown and "allowed: date.timezone, display_errors, " in shown, shown
    assert "memory_limit, post_max_size" in shown, shown


@pytest.mark.parametrize("domain", ["mdp:Velosolex.org", "MDP:Az.er.ty.12.org", "Mot-de-passe:Soleil.org"])
def test_a_hint_quoting_a_hidden_value_shows_none_of_it(domain: str) -> None:
    """A password of letters alone, or of pieces shorter than a word, is not shown by the lowercase hint either."""
    [line] = _messages(MINIMAL + f'site: {{domains: ["{domain}"], php: "8.4"}}\n')
    assert "the value (not shown: it may be a secret) has uppercase letters" in line, line
    secret = domain.split(":")[1].removesuffix(".org").lower()
    assert secret not in line.lower(), line


@pytest.mark.parametrize(
    "text",
    [
        'notes: !!binary "bWRwIDogQXplcnR5MTIz"\n',  # base64 of "mdp : Azerty123"
        "notes: !!binary |\n  bWRwIDogQXplcnR5MTIz\n",
        'notes: !!binary "Ym9uam91cg=="\n',  # "bonjour": bytes all the same, never shown
        "? !!binary bWRwIDogQXplcnR5MTIz\n: 1\n",  # a key
        'notes: !foo "bWRwIDogQXplcnR5MTIz"\n',  # another tag, on base64 of a secret
    ],
)
def test_a_tagged_value_in_base64_is_not_shown(text: str) -> None:
    """A !!binary value is bytes written in base64, which may decode to a secret: its message says the tag and the
    value's length, never the value; another tag's value is not shown either when it decodes to a secret."""
    [line] = _messages(MINIMAL + text)
    assert "bWRw" not in line and "Ym9uam91cg" not in line, line
    assert "(not shown" in line and "tags are not allowed here" in line, line


def test_a_tagged_value_that_decodes_to_no_secret_is_shown() -> None:
    # base64 of "hello" (of "bonjour", Ym9uam91cg==, mixes capitals, small letters and digits over 8 characters: a
    # password's shape, not shown)
    [line] = _messages(MINIMAL + 'notes: !foo "aGVsbG8="\n')
    assert "aGVsbG8=" in line, line


@pytest.mark.parametrize(
    "text",
    [
        '"mdp : Azerty123": 1\n"mdp : Azerty123": 2\n',  # a key given twice
        '? !foo "mdp : Azerty123"\n: 1\n',  # a tagged key
        '"mdp : Azerty123":\n  <<: {a: 1}\n',  # a merge under it
        '"mdp : Azerty123": 0123\n',  # a leading zero in its value
        'site:\n  "mdp : Azerty123": [1, \u2028]\n',  # a refused character under it
    ],
)
def test_the_loader_names_a_key_that_reads_as_a_secret_without_showing_it(text: str) -> None:
    """The loader's problems name the field as pydantic's do: a key that reads as a secret is (a key not shown)."""
    [line] = _messages(MINIMAL + text)
    assert "(a key not shown)" in line and "Azerty123" not in line, line


@pytest.mark.parametrize("key", ["MDP:Velosolex.org", "Mot de passe : Soleil"])
def test_a_php_setting_s_key_of_a_password_of_letters_is_not_shown(tmp_path: Path, key: str) -> None:
    """The message naming a key no member may set names it in words: a password of letters alone, which a hint's
    words are not taken out for, is not shown either."""
    site = "site:\n  domains: [probe-asso.org]\n  php: '8.4'\n  php_settings:\n"
    members = tmp_path / "members"
    members.mkdir()
    (members / "probe-asso.yaml").write_text(MINIMAL + site + f'    "{key}": 1\n', encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_registry(members, load_settings(ROOT, "prod"))
    shown = str(info.value)
    assert "(a key not shown) is not a PHP setting a member may set" in shown, shown
    assert "elosolex" not in shown and "Soleil" not in shown, shown


@pytest.mark.parametrize("key", ["memory_limit\\nx", "date.time\\tzone", "upload\\rmax"])
def test_a_php_setting_s_key_with_a_control_character_is_named_escaped(tmp_path: Path, key: str) -> None:
    """The message naming a key no member may set writes a line break or a tab of it escaped, as the field's path
    does (memory_limit\\x0ax): written as it is, it broke the message over two lines."""
    site = "site:\n  domains: [probe-asso.org]\n  php: '8.4'\n  php_settings:\n"
    members = tmp_path / "members"
    members.mkdir()
    (members / "probe-asso.yaml").write_text(MINIMAL + site + f'    "{key}": 1\n', encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_registry(members, load_settings(ROOT, "prod"))
    [line] = [line for line in str(info.value).splitlines() if "php_settings" in line]
    escaped = key.replace("\\n", "\\x0a").replace("\\t", "\\x09").replace("\\r", "\\x0d")
    assert f": {escaped} is not a PHP setting a member may set" in line, line


@pytest.mark.parametrize(
    ("value", "words", "address"),
    [
        ("10.0.0.11/24", "holds a prefix length (/24), a network's: give the host's address alone", "10.0.0.11"),
        ("fd00::11/64", "holds a prefix length (/64), a network's: give the host's address alone", "fd00::11"),
        ("10.0.0.11:22", "holds a port (:22): give the address alone", "10.0.0.11"),
        ("[fd00::11]:2222", "holds a port (:2222): give the address alone", "fd00::11"),
        ("[fd00::11]", "is in square brackets: give the address alone", "fd00::11"),
        ("10.0.0.09", "has a leading zero in a number (09), which some programs read as octal: write", "10.0.0.9"),
    ],
)
def test_an_address_written_with_more_than_the_address_says_what_to_write(value: str, words: str, address: str) -> None:
    """A host's address written with a network's prefix length, a port, brackets or leading zeros was told only that
    it "is not an IPv4 or IPv6 address"; it is told what is around the address, and the address to write, which is
    accepted."""
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    said = str(refused.value)
    assert said.startswith(words), said
    assert said.endswith(f"({address!r})") or said.endswith(f" {address!r}"), said
    check_ip(address)


@pytest.mark.parametrize(
    ("value", "words", "inner"),
    [
        ("[::ffff:10.0.0.11]", "is in square brackets", "is an IPv4-mapped IPv6 address"),
        ("::ffff:10.0.0.11/96", "holds a prefix length (/96), a network's", "is an IPv4-mapped IPv6 address"),
        ("[::FFFF:a00:b]:22", "holds a port (:22)", "is an IPv4-mapped IPv6 address"),
        ("10.000.0.11/24", "holds a prefix length (/24), a network's", "has a leading zero in a number (000)"),
        ("[fe80::1%eth0]", "is in square brackets", "has a zone id"),
        ("10.0.0.011:22", "holds a port (:22)", "has a leading zero in a number (011)"),
    ],
)
def test_an_address_inside_more_is_offered_only_when_it_is_accepted(value: str, words: str, inner: str) -> None:
    """What is around an address is told with the address to write only when that address is one check_ip accepts
    ([::ffff:10.0.0.11] was told to write '::ffff:a00:b', itself refused); else why the one inside is refused too,
    and what it says to write is accepted."""
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    said = str(refused.value)
    assert said.startswith(words + ", and "), said
    assert inner in said, said
    offered = re.findall(r"(?:write|alone) (?:the IPv4 address )?\(?'?([0-9A-Fa-f:.]+)", said)
    for address in offered:
        check_ip(address.rstrip("."))


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("10.0.0.0/24", "is the network 10.0.0.0/24, not a host's address: give the host's own address in it"),
        ("10.0.0.0/8", "is the network 10.0.0.0/8, not a host's address: give the host's own address in it"),
        ("fd00::/64", "is the network fd00::/64, not a host's address: give the host's own address in it"),
        ("0.0.0.0/0", "is the network 0.0.0.0/0, not a host's address: give the host's own address in it"),
        ("10.0.0.255/24", "is the broadcast address of the network 10.0.0.0/24, not a host's: give the host's own"),
        ("192.168.1.127/25", "is the broadcast address of the network 192.168.1.0/25, not a host's: give the host's"),
    ],
)
def test_a_network_or_its_broadcast_written_for_a_host_is_told_so(value: str, said: str) -> None:
    """``10.0.0.0/24`` (a network, as ``ip route`` shows it) was told to give the host's address alone, '10.0.0.0',
    the network's own address, which no host has; it is told it names a network, or its broadcast address (IPv4,
    a prefix of 30 bits or less), with no address offered."""
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    assert str(refused.value).startswith(said), str(refused.value)
    assert "alone" not in str(refused.value)


@pytest.mark.parametrize("value", ["10.0.0.1/31", "10.0.0.0/31", "10.0.0.0/32", "fd00::/128", "10.0.0.11/24"])
def test_an_address_of_a_point_to_point_or_host_prefix_is_still_offered(value: str) -> None:
    """RFC 3021: both addresses of a /31 are hosts', and a /32 or /128 names one host: the address is offered."""
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    assert "give the host's address alone" in str(refused.value), str(refused.value)


@pytest.mark.parametrize(("value", "address"), [(" 10.0.0.11", "10.0.0.11"), ("fd00::11 ", "fd00::11")])
def test_an_address_with_blanks_around_it_is_told_so(value: str, address: str) -> None:
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    assert str(refused.value) == f"has blanks around it: give the address alone ({address!r})"


@pytest.mark.parametrize(
    ("value", "words", "address"),
    [
        ("10.0.0.11/33", "holds a prefix length (/33), longer than an IPv4 address's 32 bits", "10.0.0.11"),
        ("10.0.0.11/099", "holds a prefix length (/099), longer than an IPv4 address's 32 bits", "10.0.0.11"),
        ("fd00::11/129", "holds a prefix length (/129), longer than an IPv6 address's 128 bits", "fd00::11"),
        ("10.0.0.11:99999", "holds a port (:99999), and ports go from 1 to 65535", "10.0.0.11"),
        ("10.0.0.11:0", "holds a port (:0), and ports go from 1 to 65535", "10.0.0.11"),
        ("[fd00::11]:65536", "holds a port (:65536), and ports go from 1 to 65535", "fd00::11"),
        ("10.0.0.11:", "ends with a ':' and no port after it", "10.0.0.11"),
        ("[fd00::11]:", "ends with a ':' and no port after it", "fd00::11"),
    ],
)
def test_a_prefix_length_or_a_port_out_of_range_is_told_so(value: str, words: str, address: str) -> None:
    """A prefix length longer than the address (10.0.0.11/33), a port past 65535 or 0, a ':' without a port after it
    were told only that the text is no address; each is told what is wrong, with the address to write."""
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    assert str(refused.value) == f"{words}: give the address alone ({address!r})"
    check_ip(address)


@pytest.mark.parametrize("value", ["web1.lan", "10.0.0.11:http", "10.0.0.300/33", "x:"])
def test_a_text_that_holds_no_address_is_told_so(value: str) -> None:
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    assert str(refused.value) == "is not an IPv4 or IPv6 address"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (
            "10.0.0.300",
            "has 300 as its 4th number, where each of an IPv4 address's 4 numbers is from 0 to 255 (a.b.c.d)",
        ),
        (
            "fd00::g",
            "has 'g', which is no hexadecimal digit: an IPv6 address has 8 groups of 1 to 4 hexadecimal digits",
        ),
        ("::ffff:10.0.0.300", "has an IPv4 part (10.0.0.300) that has 300 as its 4th number, where each of an IPv4"),
    ],
)
def test_an_address_mistyped_is_told_the_part_that_is_wrong(value: str, words: str) -> None:
    """10.0.0.300 was told "is not an IPv4 or IPv6 address", as a name is: the number over 255, the sign that is no
    hexadecimal digit, is told with what an address is."""
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    assert str(refused.value).startswith(words), str(refused.value)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("10.0.0.011", "has a leading zero in a number (011), which some programs read as octal (as 10.0.0.9: "),
        ("192.168.001.010", "others in decimal (as 192.168.1.10): it is ambiguous, write the address meant without"),
    ],
)
def test_an_address_read_in_octal_as_another_is_offered_neither(value: str, words: str) -> None:
    """10.0.0.011 was offered 10.0.0.11, where inet_aton (ping, curl, the resolvers' libraries) reads 10.0.0.9: two
    addresses, both named, neither offered."""
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    assert words in str(refused.value) and "write '" not in str(refused.value), str(refused.value)
    assert not isinstance(refused.value, OfferRefusal), refused.value


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1.2.3", "has 3 numbers, where an IPv4 address has 4 (a.b.c.d, each from 0 to 255)"),
        ("1..2.3.4", "has no number between two dots, or a dot at an end"),
        ("10.0.0.11..", "ends with dots, which no address has: give the address alone ('10.0.0.11')"),
        ("localhost:53", "holds a port (:53), and localhost before it is a name, this machine's"),
    ],
)
def test_a_text_of_numbers_and_dots_or_a_name_and_a_port_is_told_what_it_is(value: str, words: str) -> None:
    """pic:dns.resolver: 9.9.9, 127.1. and localhost:53 were told "is not an IPv4 or IPv6 address" where pic dns
    check --resolver tells what each is: an address alone is told so in the same words."""
    with pytest.raises(ValueError) as refused:
        check_ip(value)
    assert words in str(refused.value), str(refused.value)


def _yaml_quoted(text: str) -> str:
    """``text`` in YAML's double quotes, each character outside ASCII escaped (\\u034f, \\U000e0100)."""
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


# Marks that print as nothing (Unicode's Default_Ignorable_Code_Point of category M): the combining grapheme
# joiner, the variation selectors, Mongolian's free variation selectors, Khmer's two inherent vowels. Each is
# meaningful only in one sequence (an emoji's presentation, an ideograph's variant, a Mongolian letter's form, a
# mark kept in its order); elsewhere it changes nothing a reader sees, so two names would look alike.
# (text, where it stands, the character as named)
IGNORABLE_MARKS_OUT_OF_PLACE = [
    ("Velo\u034fCite", 5, "U+034F COMBINING GRAPHEME JOINER"),
    ("Velo Cite\u034f", 10, "U+034F COMBINING GRAPHEME JOINER"),
    ("Velo\ufe0f Cite", 5, "U+FE0F VARIATION SELECTOR-16"),
    ("Club 1\ufe0f Lyon", 7, "U+FE0F VARIATION SELECTOR-16"),  # a digit, without the keycap after it
    ("Velo\ufe00 Cite", 5, "U+FE00 VARIATION SELECTOR-1"),
    ("Velo \u2764\ufe01 Cite", 7, "U+FE01 VARIATION SELECTOR-2"),  # no standardized variant of an emoji
    ("Velo\U000e0100 Cite", 5, "U+E0100 VARIATION SELECTOR-17"),
    ("Velo\u180b Cite", 5, "U+180B MONGOLIAN FREE VARIATION SELECTOR ONE"),
    ("\u1780\u17b4\u1781", 2, "U+17B4 KHMER VOWEL INHERENT AQ"),
    ("\u2764\ufe0f\ufe0f Lyon", 3, "U+FE0F VARIATION SELECTOR-16"),  # doubled
]


@pytest.mark.parametrize(("field", "line"), [("name", 1), ("contact.name", 3), ("notes", 4)])
@pytest.mark.parametrize(("text", "at", "named"), IGNORABLE_MARKS_OUT_OF_PLACE)
def test_an_invisible_mark_outside_its_sequence_is_refused_and_named(
    field: str, line: int, text: str, at: int, named: str
) -> None:
    """A combining grapheme joiner or a variation selector after a Latin letter (Velo\\u034fCite) was accepted in
    every free text, names included, and shown raw: two members' names differing by one looked alike, in the
    duplicate name's warning too. It is refused at its file, line and field, by its code point, name and place."""
    quoted = _yaml_quoted(text)
    if field == "name":
        body = MINIMAL.replace("name: Probe", f"name: {quoted}")
    elif field == "contact.name":
        body = MINIMAL.replace("contact: {name: P,", "contact:\n  name: " + quoted + "\n  email: a@probe-asso.org\n#")
    else:
        body = MINIMAL + f"notes: {quoted}\n"
    [said] = _messages(body)
    assert said.startswith(f"members/probe-asso.yaml:{line} {field}: "), said
    assert f"({named}) at character {at}" in said, said
    assert "prints as nothing" in said, said
    assert text[at - 1] not in said, said  # the mark itself, escaped in the value shown


# The sequences the marks belong to: an emoji's presentation (UTS #51: ❤️, a keycap #️⃣, ☺︎ as text), an ideograph's
# variant (Unicode's Ideographic Variation Database: 葛󠄀 of 葛飾区; a compatibility ideograph's standardized variant),
# a math symbol's (≩︀), a Mongolian letter's form (ᠠ᠋), a joiner of graphemes before a mark it keeps in its order.
IGNORABLE_MARKS_IN_PLACE = [
    "V\u00e9lo \u2764\ufe0f Lyon",
    "Club \u0023\ufe0f\u20e3 Lyon",
    "Club \u263a\ufe0e",
    "\u845b\U000e0100\u98fe\u533a\u306e\u4f1a",
    "\u6f22\ufe00\u5b57",
    "Club \u2269\ufe00 Lyon",
    "\u182e\u180b\u1823\u1829\u182d\u1823\u182f",
    "\u05d0\u05b8\u034f\u05b7",
]


@pytest.mark.parametrize("text", IGNORABLE_MARKS_IN_PLACE)
def test_an_invisible_mark_in_its_sequence_is_accepted(text: str) -> None:
    body = MINIMAL.replace("name: Probe", f"name: {_yaml_quoted(text)}") + f"notes: {_yaml_quoted(text)}\n"
    body = body.replace("contact: {name: P,", f"contact: {{name: {_yaml_quoted(text)},")
    doc, problems = parse_yaml(body, "members/probe-asso.yaml", MEMBER_KEYS)
    assert doc is not None and not problems, problems
    spec, problems = validate_member(doc)
    assert spec is not None, problems
    assert spec.name == spec.contact.name == spec.notes == text


def test_two_names_apart_by_what_prints_as_nothing_are_one_and_shown_escaped(
    tmp_path: Path, settings: Settings
) -> None:
    """The duplicate name's warning compares names without the characters that print as nothing (every
    Default_Ignorable_Code_Point), and shows them escaped, never raw: the two names would look alike."""
    import regex

    from pic.check import same_names
    from pic.crosschecks import name_key

    ignorable = [chr(c) for c in range(0x110000) if regex.match(r"\p{Default_Ignorable_Code_Point}", chr(c))]
    assert len(ignorable) > 4000
    differing = [f"U+{ord(ch):04X}" for ch in ignorable if name_key(f"Velo{ch}Cite") != name_key("VeloCite")]
    assert not differing, differing
    first, second = "Fiert\u00e9 \U0001f3f3\ufe0f\u200d\U0001f308", "Fiert\u00e9"
    data = {"first-asso": member(10600, name=first), "second-asso": member(10601, name=second)}
    registry = load_registry(write_members(tmp_path / "m", data), settings)
    [problem] = same_names(sorted(registry.members, key=lambda m: m.slug))
    said = str(problem)
    assert "is also the name of" in said and "\\ufe0f\\u200d" in said, said
    assert "\ufe0f" not in said and "\u200d" not in said, said


@pytest.mark.parametrize(
    ("key", "written"),
    [
        ("upload_max_filesize", "0M"),
        ("upload_max_filesize", "99999999999999999999G"),
        ("post_max_size", "99999999999999999999G"),
    ],
)
def test_a_size_of_php_s_shorthand_out_of_bounds_is_told_out_of_range(tmp_path: Path, key: str, written: str) -> None:
    """upload_max_filesize: 0M, a size PHP reads, was told "is not a size in PHP's shorthand", as was one of twenty
    digits: each is told out of range, with the bounds of the setting."""
    site = "site:\n  domains: [probe-asso.org]\n  php: '8.4'\n  php_settings:\n"
    members = tmp_path / "members"
    members.mkdir()
    (members / "probe-asso.yaml").write_text(MINIMAL + site + f'    {key}: "{written}"\n', encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_registry(members, load_settings(ROOT, "prod"))
    [line] = [line for line in str(info.value).splitlines() if f"php_settings.{key}" in line]
    assert "is out of range" in line and "not a size in PHP's shorthand" not in line, line


@pytest.mark.parametrize(
    ("key", "written"),
    [
        ("post_max_size", '"0"'),
        ("post_max_size", '"00K"'),
        ("post_max_size", "0M"),
        ("post_max_size", "0"),
        ("memory_limit", "-1"),
        ("memory_limit", '"-1"'),
        ("max_execution_time", "0"),
    ],
)
def test_phps_value_for_no_limit_is_told_in_every_form_php_reads_it(tmp_path: Path, key: str, written: str) -> None:
    """post_max_size 0 ("its value may be 0 to disable the limit", php.ini-production), in any unit or with leading
    zeros, was told out of range (0, 00K) as a size too small: it is PHP's no limit, as memory_limit -1 and
    max_execution_time 0 are, and told so."""
    site = "site:\n  domains: [probe-asso.org]\n  php: '8.4'\n  php_settings:\n"
    members = tmp_path / "members"
    members.mkdir()
    (members / "probe-asso.yaml").write_text(MINIMAL + site + f"    {key}: {written}\n", encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_registry(members, load_settings(ROOT, "prod"))
    [line] = [line for line in str(info.value).splitlines() if f"php_settings.{key}" in line]
    assert "is PHP's value for no limit, which a site may not have" in line, line


@pytest.mark.parametrize("secret", ["Lilas2024x", "Soleil-Azur-75", "0xCafe1234", "velo75paris", "LILAS2024X"])
@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("x: !SECRET 1\n", "x: the value (not shown: it may be a secret) has the tag (not shown either): tags are"),
        ("notes: !x SECRET\n", "notes: the value (not shown: it may be a secret) has the tag (not shown either)"),
        ("SECRET: 1\n", "(a key not shown): "),
        ("database_charsets: {SECRET: utf8mb4}\n", "database_charsets.(a key not shown): "),  # velo75paris: test_cli
        ("site: {domains: [a.org], php: '8.4', SECRET: 1}\n", "site.(a key not shown): "),
    ],
)
def test_a_tag_or_a_key_in_a_password_s_shape_is_not_shown(secret: str, text: str, said: str) -> None:
    """`x: !Lilas2024x 1` was told with its tag, `Lilas2024x: 1` as an unknown key named, and
    `database_charsets: {Lilas2024x: utf8mb4}` offered 'lilas2024x': a key no schema names and a tag are read
    for a password's shape as a value is (pic.secrettext.password_part), and not shown, nor offered mended."""
    messages = _messages(MINIMAL + text.replace("SECRET", secret))
    if secret == "velo75paris" and "database_charsets" in text:  # a short name: refused across files alone
        assert messages == [], messages
        return
    [line] = messages
    assert said in line, line
    assert secret.lower() not in line.lower() and "did you mean" not in line, line


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("databaseCharsets: 1\n", "databaseCharsets: unknown key"),
        ("database_charsets: {Main: utf8mb4}\n", 'database_charsets.Main: key "Main" is not allowed here'),
        ("Asso-Case2024.org: 1\n", "Asso-Case2024.org: unknown key"),
        ("php84: 1\n", "php84: unknown key"),
    ],
)
def test_a_key_mistyped_in_no_password_s_shape_is_shown(text: str, said: str) -> None:
    [line] = _messages(MINIMAL + text)
    assert said in line, line


@pytest.mark.parametrize(
    ("command", "hidden", "said"),
    [
        (
            "timeout 2h30m php wp-cron.php --site=Infra2024",
            "Infra2024",
            "timeout refuses 2h30m there (timeout: invalid time interval '2h30m') and runs nothing (exit 125), and the "
            "job goes on without it; write timeout DURATION php wp-cron.php --site=...",
        ),
        (  # a passphrase of parts a message's words are split at (dots), each part letters alone or short
            "timeout 2h30m php wp-cron.php Soleil.Azur.75",
            "Soleil.Azur.75",
            "timeout refuses 2h30m there (timeout: invalid time interval '2h30m') and runs nothing (exit 125), and the "
            "job goes on without it; write timeout DURATION php wp-cron.php ... (e.g. timeout 5m php wp-cron.php ...)",
        ),
        (
            "timeout 2h30m php wp-cron.php Lilas2024x",
            "Lilas2024x",
            "timeout refuses 2h30m there (timeout: invalid time interval '2h30m') and runs nothing (exit 125), and the "
            "job goes on without it; write timeout DURATION php wp-cron.php ... (e.g. timeout 5m php wp-cron.php ...)",
        ),
    ],
)
def test_a_value_refused_hides_only_its_words_shaped_as_a_password(command: str, hidden: str, said: str) -> None:
    """cron[0].command: "timeout 2h30m php wp-cron.php --site=Infra2024" was told 'timeout refuses ... there
    (timeout: invalid time interval '...')': every word of the command holding a digit or a sign was hidden, the
    duration refused too, because one word (Infra2024) is shaped as a password. Only that word is left out."""
    [line] = _messages(SITE + f'cron:\n  - schedule: hourly\n    command: "{command}"\n')
    assert "cron[0].command: the value (not shown: it may be a secret) holds at character 9 2h30m after" in line, line
    assert said in line and hidden not in line, line


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("Soleil-Azur-75", "capitalised words joined to a number as a passphrase is made (Bleu-Ciel-12)"),
        ("Jean LILAS2024X", "capitals around a number as a password typed with Caps Lock on (ROSE1999Q)"),
    ],
)
def test_a_contact_s_name_refused_as_a_passphrase_or_in_capitals_is_told_that_shape(name: str, shape: str) -> None:
    """contact.name: Soleil-Azur-75 was told it holds 'letters and digits with a password's sign among them, letters
    in lowercase on both sides of its digits, or a capital after a lowercase letter with digits...': none of the
    shapes it has. The shapes a contact's name is refused for are all told."""
    [line] = _messages(MINIMAL.replace("{name: P,", f"{{name: {_yaml_quoted(name)},"))
    assert line.startswith("members/probe-asso.yaml:2 contact.name: the name (not shown) holds a word"), line
    assert shape in line and name.rsplit(maxsplit=1)[-1] not in line, line
