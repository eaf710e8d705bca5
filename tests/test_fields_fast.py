"""The shortcuts of the loader and the validators give the verdicts of the full checks and libraries.

- ``check_domain`` (one regular expression for the usual form) against ``check_domain_fully``
  (every check in turn), public suffixes included;
- ``check_email`` (usual form first) against ``check_email_fully`` (email_validator, strict, and
  one script per label), special-use domains included;
- ``check_ssh_key``'s ed25519 shortcut against cryptography, and its shortcut for the usual Ed25519 line against
  every check in turn (``check_ssh_key_fully``); the Ed25519 points refused by their bytes against the arithmetic;
- the Public Suffix List read with its rules outside ASCII encoded beforehand against the
  ``publicsuffixlist`` package's own reading of it;
- ``refused_character``'s test of a whole string (not searched for a blank-looking character below the first
  one) against the test of each character;
- ``check_free_text``'s shortcut for text below the first combining mark (U+0300) against every check in turn;
- the YAML loader's single walk (data, lines and refusals at once, a plain scalar's tag resolved
  by the walk) against PyYAML's resolver and constructors;
- ``secret_kind``'s shortcut for plain words (an association's usual name) against every pattern of
  secret text, and its patterns tried only on a text holding one of the words each needs against
  every pattern tried on every text;
- ``prose_secret``'s forms tried only on a text holding one of the words each needs (none on a text holding
  none of them: an association's or a contact's usual name) against every form tried on every text.
"""

from __future__ import annotations

import ast
import base64
import datetime as dt
import functools
import re
import sys
import types
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import email_validator
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pic import lists_audit, registry, secrettext, validators, yamlloader, yamlsrc
from pic.errors import BLANK_LOOKING, IGNORABLE_MARK
from pic.validators import (
    SPECIAL_USE_DOMAINS,
    check_domain,
    check_domain_fully,
    check_email,
    check_email_fully,
    check_ssh_key,
    is_common_email,
    is_open_suffix,
    refused_character,
)

LABEL_CHARS = "abcdefghijklmnopqrstuvwxyzABZ0129-_"
labels = st.one_of(
    st.text(LABEL_CHARS, min_size=0, max_size=8),
    st.sampled_from(
        [
            "xn--",
            "xn--bcher-kva",
            "xn--pars-63d",  # "pаris" with a Cyrillic а: two scripts
            "XN--BCHER-KVA",
            "ab--c",
            "a--b",
            "-a",
            "a-",
            "a" * 63,
            "b" * 64,
            "0",
            "123",
            "é",
            "a b",
            "a\u200bb",
        ]
    ),
)
tlds = st.one_of(
    st.sampled_from(
        [*SPECIAL_USE_DOMAINS, "org", "fr", "COM", "Test", "LOCAL", "x1", "1x", "a-b", "uk", "co.uk", "github.io"]
    ),
    labels,
)
domains = st.builds(lambda parts, tld: ".".join([*parts, tld]), st.lists(labels, min_size=0, max_size=4), tlds)
local_parts = st.one_of(
    st.text("abcXYZ019_+-.!#'~\"@ é", min_size=0, max_size=10),
    st.sampled_from(["a" * 64, "a" * 65, "first.last", ".a", "a.", "a..b", "x+tag", "info", "Postmaster"]),
)
emails = st.builds(lambda local, domain: f"{local}@{domain}", local_parts, domains)


def verdict(check: Callable[[str], object], value: str) -> str:
    try:
        check(value)
    except ValueError as exc:
        return f"refused: {exc}"
    return "accepted"


def test_special_use_domains_are_the_librarys() -> None:
    assert tuple(email_validator.SPECIAL_USE_DOMAIN_NAMES) == SPECIAL_USE_DOMAINS
    assert all("." not in name for name in SPECIAL_USE_DOMAINS)  # is_common_email looks at the last label


@pytest.mark.parametrize("domain", [*SPECIAL_USE_DOMAINS, *(f"mail.{d}" for d in SPECIAL_USE_DOMAINS), "X.Onion"])
def test_special_use_domains_stay_refused(domain: str) -> None:
    address = f"contact@{domain}"
    assert not is_common_email(address)
    assert verdict(check_email, address).startswith("refused: is not a valid e-mail address")


@settings(max_examples=3000, deadline=None)
@given(domains)
@example("a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 61)  # 253 characters
@example("a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 62)  # 254
@example("example.org")
@example("co.uk")
@example("github.io")
@example("asso.github.io")
@example("1.2.3.4")
@example("xn--bcher-kva.example")
@example("ab--cd.org")
@example("a" * 59 + ".org")  # 63 characters
@example("a" * 60 + ".org")  # 64
@example("b" * 64 + ".o")  # a label of 64 characters
@example("a-b.c-d-e.f-g")
@example("a-.org")
@example("1a.2b")
@example("x.ck")  # under the wildcard *.ck
@example("www.ck")  # its exception !www.ck
@example("a.www.ck")
@example("s3.amazonaws.com")
@example("x.s3.amazonaws.com")
@example("blogspot.com")
def test_domain_shortcut_keeps_the_full_verdict(domain: str) -> None:
    assert verdict(check_domain, domain) == verdict(check_domain_fully, domain), domain
    if (
        len(domain) <= validators._COMMON_DOMAIN_MAX
        and "--" not in domain
        and validators._COMMON_DOMAIN.fullmatch(domain)
    ):
        # what check_domain then asks of the list is what is_public_suffix asks of a plain name of two labels
        assert validators._plain_name(domain) and "." in domain, domain


def test_usual_domains_take_the_shortcut() -> None:
    """The generator reaches the shortcut (the test above would prove nothing otherwise)."""
    for domain in ("asso.org", "www.asso-1.fr", "listes.asso.example.org", "a-b-c.org", "x1.y-2.z3"):
        assert validators._COMMON_DOMAIN.fullmatch(domain) is not None, domain


@settings(max_examples=3000, deadline=None)
@given(emails)
@example("contact@asso.org")
@example("Contact.Name+list@Asso-1.Example.ORG")
@example("a@b.test")
@example("a@b.invalid")
@example("a@xn--bcher-kva.org")
@example("a@xn--pars-63d.fr")
@example("a@ab--cd.org")
@example("a@co.uk")
@example("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 57)
@example("a" * 65 + "@asso.org")
@example("a@" + "b" * 64 + ".org")  # a label of 64 characters
@example("a@" + "b" * 63 + ".org")
@example("a@" + "b" * 63 + "." + "c" * 64)
@example("a@b.c-d")  # the last label ends with a letter
@example("a@b.cd-")
@example("a@b.c1")
@example("a@b-.org")
@example("a.@b.org")
@example(".a@b.org")
def test_email_shortcut_keeps_the_full_verdict(address: str) -> None:
    full = verdict(check_email_fully, address)
    if is_common_email(address) and not is_open_suffix(address.rpartition("@")[2]):  # co.uk: refused after both
        assert full == "accepted", f"{address!r}: taken by the shortcut, refused by email_validator: {full}"
    assert verdict(check_email, address) == full, address


@settings(max_examples=2000, deadline=None)
@given(emails)
@example("a@b.test")
@example("a" * 65 + "@asso.org")
@example('"jean dupont"@asso.org')
def test_lists_audit_s_shortcut_for_the_usual_address_keeps_email_validators_verdict(address: str) -> None:
    """pic lists audit takes the usual form of an address as valid without email_validator, which accepts it."""
    full = verdict(
        lambda a: email_validator.validate_email(a, check_deliverability=False, allow_quoted_local=True), address
    )
    if validators.is_common_email(address):
        assert full == "accepted", address
    assert (lists_audit._valid(address) is None) == (full == "accepted"), address


def test_lists_audit_checks_the_usual_address_without_email_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual address is answered without email_validator (whose verdict the test above compares)."""

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise email_validator.EmailNotValidError("called")

    monkeypatch.setattr(email_validator, "validate_email", refuse)
    for address in ("a@asso.org", "user1.123456@gmail.com", "x+y@ASSO.COM", "A_b-c@asso-1.org"):
        assert lists_audit._valid(address) is None, address
    assert lists_audit._valid("a@b@asso.org") == "called"


def test_email_library_is_not_imported_for_usual_addresses() -> None:
    """The usual address is answered without email_validator (whose verdict the test above compares)."""
    for address in ("a@asso.org", "first.last@mail.asso.fr", "x+y@ASSO.COM", "A_b-c@asso-1.org"):
        assert is_common_email(address), address


ED25519_PREFIX = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20"
blobs = st.one_of(
    st.builds(lambda key: ED25519_PREFIX + key, st.binary(min_size=32, max_size=32)),
    st.builds(
        lambda key, extra: ED25519_PREFIX + key + extra, st.binary(min_size=0, max_size=33), st.binary(max_size=2)
    ),
    st.builds(
        lambda prefix, key: prefix + key,
        st.sampled_from(
            [
                b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x1f",
                b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x21",
                b"\x00\x00\x00\x0bssh-ed25518\x00\x00\x00\x20",
                b"\x00\x00\x00\x0assh-ed2551\x00\x00\x00\x20",
                b"\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x20",
                b"\x00\x00\x00\x0cssh-ed25519\x00\x00\x00\x00\x20",
            ]
        ),
        st.binary(min_size=30, max_size=34),
    ),
)


@settings(max_examples=1000, deadline=None)
@given(blobs, st.sampled_from(["", " user@pc"]))
@example(ED25519_PREFIX + bytes(32), "")
@example(ED25519_PREFIX + b"\xff" * 32, " user@pc")
def test_ed25519_shortcut_keeps_cryptographys_verdict(blob: bytes, comment: str) -> None:
    data = base64.b64encode(blob).decode()
    library = verdict(lambda _: validators._check_key_blob("ssh-ed25519", data), data)
    assert verdict(check_ssh_key, f"ssh-ed25519 {data}{comment}") == library, blob.hex()


def _ed25519_point_verdict(key: bytes) -> str | None:
    """The arithmetic of _check_ed25519_point without its set of the keys it refuses: which check refuses ``key``."""
    y = int.from_bytes(key, "little") & ((1 << 255) - 1)
    if y >= validators._ED25519_P:
        return "prime"
    return "small order" if y in validators._ED25519_SMALL_ORDER_Y else None


def _point_refusal(key: bytes) -> str | None:
    try:
        validators._check_ed25519_point(key)
    except ValueError as exc:
        return "prime" if "field prime" in str(exc) else "small order" if "small order" in str(exc) else str(exc)
    return None


_EDGE_YS = [
    *range(validators._ED25519_P - 3, 1 << 255),
    *validators._ED25519_SMALL_ORDER_Y,
    *(y + d for y in validators._ED25519_SMALL_ORDER_Y for d in (-1, 1) if 0 <= y + d < 1 << 255),
    2**254,
    2**255 - 2**254,
]


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.binary(min_size=32, max_size=32),
        st.builds(lambda y, sign: (y | sign << 255).to_bytes(32, "little"), st.sampled_from(_EDGE_YS), st.booleans()),
    )
)
def test_ed25519_points_refused_by_their_bytes_are_those_the_arithmetic_refuses(key: bytes) -> None:
    assert _point_refusal(key) == _ed25519_point_verdict(key), key.hex()


def test_every_refused_ed25519_point_is_refused_with_either_sign_bit() -> None:
    for y in _EDGE_YS:
        for sign in (0, 1):
            key = (y | sign << 255).to_bytes(32, "little")
            assert _point_refusal(key) == _ed25519_point_verdict(key), hex(y)


def _with_character(text: str, at: int, ch: str) -> str:
    return text[:at] + ch + text[at + 1 :]


# Key lines around the usual one: types in their cases, bodies of Ed25519 blobs and of others (base64 as written,
# padded, cut, with a character outside base64), separators, and comments of plain words, of several, of spaces,
# of a second key's type or data, outside ASCII or printable.
_KEY_TYPES = st.sampled_from(["ssh-ed25519", "SSH-ED25519", "ssh-ed25519 ", "ssh-rsa", "ssh-dss", "sk-ssh-ed25519", ""])
_KEY_BODIES = st.one_of(
    blobs.map(lambda blob: base64.b64encode(blob).decode()),
    blobs.map(lambda blob: base64.b64encode(blob).decode().rstrip("=")),
    st.builds(
        lambda blob, at, ch: _with_character(base64.b64encode(blob).decode(), at, ch),
        blobs,
        st.integers(0, 70),
        st.sampled_from(["=", "-", "_", "é", " ", "\t", "A", "Q", "/"]),
    ),
    st.sampled_from(["", "AAAA", "AAAAC3NzaC1lZDI1NTE5AAAAI", "AAAAC3NzaC1lZDI1NTE5AAAAIQ" + "A" * 42]),
)
_KEY_COMMENTS = st.one_of(
    st.sampled_from(
        [
            "",
            " bench@pc",
            " marie@laptop",
            " Marie Dupont (portable)",
            " a  b",
            " ",
            "  bench@pc",
            " bench@pc ",
            " ssh-rsa",
            " ssh-ed25519@openssh.com",
            " AAAAC3NzaC1lZDI1NTE5AAAAIAj2",
            " x AAAAB3NzaC1yc2EAAAADAQAB",
            " clé@pc",
            " a\u00a0b",
            " a\nb",
            "\tbench@pc",
            " ~",
            " !",
        ]
    ),
    st.text(st.sampled_from(list(" !~\"'(),;[]{}<>@.+-_azAZ09é\t")), max_size=12).map(lambda text: " " + text),
)


@settings(max_examples=3000, deadline=None)
@given(_KEY_TYPES, st.sampled_from([" ", "  ", "\t", ""]), _KEY_BODIES, _KEY_COMMENTS)
@example("ssh-ed25519", " ", base64.b64encode(ED25519_PREFIX + bytes(32)).decode(), " bench@pc")
@example("ssh-ed25519", " ", base64.b64encode(ED25519_PREFIX + b"\xff" * 32).decode(), "")
@example("ssh-ed25519", " ", base64.b64encode(ED25519_PREFIX + b"\x01" + bytes(31)).decode(), " ssh-rsa")
def test_the_usual_ed25519_line_s_shortcut_keeps_every_checks_verdict(
    kind: str, space: str, body: str, comment: str
) -> None:
    """``check_ssh_key``'s shortcut for an Ed25519 key as ssh-keygen writes it gives the verdict, and the message,
    of every check in turn (``check_ssh_key_fully``)."""
    line = f"{kind}{space}{body}{comment}"
    assert verdict(check_ssh_key, line) == verdict(validators.check_ssh_key_fully, line), line


def test_the_usual_ed25519_line_takes_the_shortcut() -> None:
    """The pattern of the usual line reads the keys ssh-keygen writes, with or without a comment."""
    for key in (bytes(32), b"\xff" * 32, bytes(range(32))):
        data = base64.b64encode(ED25519_PREFIX + key).decode()
        for comment in ("", " bench@pc", " Marie Dupont (portable)"):
            assert validators._USUAL_ED25519_LINE.fullmatch(f"ssh-ed25519 {data}{comment}"), (data, comment)


def test_the_public_suffix_list_read_faster_gives_the_packages_verdicts() -> None:
    import publicsuffixlist

    ours, theirs = validators.public_suffix_list(), publicsuffixlist.PublicSuffixList()
    with open(publicsuffixlist.PSLFILE, encoding="utf-8") as source:
        rules = [r for r in (line.split(" ")[0].strip().lower() for line in source) if r and not r.startswith("//")]
    names = set()
    for rule in rules:
        bare = rule.lstrip("!")
        for written in {bare, bare.encode("idna").decode("ascii")}:
            name = written.replace("*", "w")
            names |= {name, f"example.{name}", name.split(".", 1)[-1], f"a.b.{name}"}
    names |= {"example.org", "org", "unknown-tld", "example.unknown-tld", "xn--p1ai", "xn--80a.xn--p1ai"}
    outside_ascii = [n for n in names if n.startswith("xn--") or ".xn--" in n]
    assert len(rules) > 9000 and len(outside_ascii) > 400
    for name in sorted(names):
        for unknown in (True, False):
            assert ours.is_public(name, accept_unknown=unknown) == theirs.is_public(name, accept_unknown=unknown), name
            assert ours.publicsuffix(name, accept_unknown=unknown) == theirs.publicsuffix(
                name, accept_unknown=unknown
            ), name


def test_public_suffix_shortcuts_give_the_packages_verdicts() -> None:
    """is_public_suffix and is_internet_tld answer plain names from the list's ASCII rules: the package's
    verdict on every rule, its labels, its parents, names under it, wildcards made names, other cases
    and trailing dots, and on names no rule holds."""
    import publicsuffixlist

    theirs = publicsuffixlist.PublicSuffixList()
    with open(publicsuffixlist.PSLFILE, encoding="utf-8") as source:
        rules = [r for r in (line.split(" ")[0].strip().lower() for line in source) if r and not r.startswith("//")]
    names = {"org", "example.org", "zz", "a.zz", "co.uk", "a.co.uk", "ck", "www.ck", "a.www.ck", "b.a.ck", ".org"}
    names |= {"a..org", "org.", "example.org.", "x" * 70 + ".org", "a.b.c.d.e.f.g.h.example.org", "*.ck", "!www.ck"}
    for rule in rules:
        for written in {rule, rule.lstrip("!"), rule.lstrip("!").replace("*", "w")}:
            labels = written.split(".")
            names |= {written, f"a.{written}", f"a.b.{written}", written.upper(), f"{written}.", labels[0], labels[-1]}
            names |= {".".join(labels[i:]) for i in range(len(labels))}
    assert len(names) > 40_000
    for name in sorted(names):
        assert validators.is_public_suffix(name) == theirs.is_public(name), name
        if name and "." not in name:
            assert validators.is_internet_tld.__wrapped__(name) == theirs.is_public(name, accept_unknown=False), name


def test_whitespace_pattern_is_str_isspace() -> None:
    every = (chr(c) for c in range(sys.maxunicode + 1))
    assert [ch for ch in every if ch.isspace()] == validators._WHITESPACE.findall(
        "".join(chr(c) for c in range(sys.maxunicode + 1))
    )


def test_no_character_before_the_first_mark_is_a_mark() -> None:
    """check_free_text skips its count of combining marks for text below U+0300."""
    first = validators._FIRST_MARK
    assert unicodedata.category(first) == "Mn"
    assert not [c for c in range(ord(first)) if unicodedata.category(chr(c)).startswith("M")]


@pytest.mark.parametrize("first", ["_FIRST_MARK", "_FIRST_BLANK_LOOKING"])
def test_the_search_from_a_first_character_finds_it_and_every_one_after(first: str) -> None:
    """_FROM_FIRST_MARK and _FROM_FIRST_BLANK_LOOKING are written as the complement of the characters below the
    first (cheaper to compile than the range up to U+10FFFF): on every code point, the same characters."""
    pattern = getattr(validators, f"_FROM{first}")
    every = "".join(chr(c) for c in range(sys.maxunicode + 1))
    found = pattern.findall(every)
    assert found == list(every[ord(getattr(validators, first)) :])


texts = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(codec="utf-8"), max_size=12),
    st.builds(
        lambda a, ch, b: a + ch + b,
        st.text("aé ", max_size=4),
        st.sampled_from([*"\u3164\u115f\u1160\uffa0\u2800\u115e\u00ad\u200b\u00a0\u2028\n\x85\ue000\u200f\u061c"]),
        st.text("aé ", max_size=4),
    ),
)


@settings(max_examples=3000, deadline=None)
@given(texts, st.booleans(), st.booleans())
@example("Association numéro 12", False, False)
@example("ligne\nautre", True, False)
@example("\u3164", False, False)
@example("\u05e9\u200f", False, True)
def test_refused_character_of_the_whole_string_is_the_first_refused_one(text: str, newlines: bool, marks: bool) -> None:
    assert refused_character(text, newlines=newlines, marks=marks) == validators._first_refused(
        text, newlines=newlines, marks=marks
    )


def test_below_the_first_mark_a_character_neither_refused_nor_a_space_shows() -> None:
    """check_free_text skips its look for a visible character in text below U+0300: there, every character that
    refused_character lets through and that is not a space is a letter, digit, punctuation or symbol."""
    for newlines in (False, True):
        passed = [
            chr(c) for c in range(ord(validators._FIRST_MARK)) if refused_character(chr(c), newlines=newlines) is None
        ]
        assert [c for c in passed if c.strip() and unicodedata.category(c)[0] not in "LNPS"] == []


def _check_free_text_fully(value: str, newlines: bool) -> str:
    """check_free_text without its shortcut for text below U+0300: a visible character looked for, the marks
    counted, and each mark that prints as nothing looked at in its place, in every text."""
    why = refused_character(value, newlines=newlines, marks=True)
    if why is not None:
        allowed = "printable characters and line breaks" if newlines else "printable characters on one line"
        raise ValueError(f"{why}: only {allowed} are allowed")
    if not value.strip():
        raise ValueError("is blank")
    validators._check_shows_without_piled_marks(value)
    validators._check_ignorable_marks(value)
    if not newlines and value != value.strip():
        raise ValueError("has spaces at its start or end")
    return value


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        texts,
        st.text(st.sampled_from(list(" \n\t\u00a0\u00ad\u0301\u0300\u02ff\u0100aé.€1_\x7f\x9f\u3000")), max_size=8),
    ),
    st.booleans(),
)
@example("Association numéro 12", False)
@example(" \u00a0", False)
@example("\u0301a", False)
@example("a\n\u0301", True)
@example("a\u02ff", False)
@example(" x", False)
@example("0\U000e0100", False)
@example("0\ufe0f\u20e3 club", False)
def test_free_text_shortcut_below_the_first_mark_keeps_every_checks_verdict(text: str, newlines: bool) -> None:
    assert verdict(lambda v: validators.check_free_text(v, newlines=newlines), text) == verdict(
        lambda v: _check_free_text_fully(v, newlines), text
    ), text


def test_no_character_below_the_first_blank_looking_one_is_blank_looking() -> None:
    """refused_character does not search text below U+115F for a blank-looking character: none is there."""
    first = validators._FIRST_BLANK_LOOKING
    assert BLANK_LOOKING.match(first)
    assert [hex(c) for c in range(ord(first)) if BLANK_LOOKING.match(chr(c))] == []


def test_invisible_characters_are_those_the_unicode_property_names() -> None:
    """secrettext._INVISIBLE, the characters prose is read without, is written out (no command loads ``regex``): on
    every code point it matches Default_Ignorable_Code_Point in the ``regex`` package's Unicode, and U+2800."""
    import regex

    by_property = regex.compile(r"\p{Default_Ignorable_Code_Point}|\u2800", regex.V1)
    every = "".join(chr(c) for c in range(sys.maxunicode + 1))
    expected = [ch for ch in every if by_property.match(ch)]
    assert [ch for ch in every if secrettext._INVISIBLE.match(ch)] == expected
    assert [ch for ch in every if secrettext._BLANK.match(ch)] == [ch for ch in every if BLANK_LOOKING.match(ch)]


def test_blank_looking_characters_are_printable_for_python() -> None:
    """Why refused_character searches them besides str.isprintable: Python prints them."""
    blank = [chr(c) for c in range(sys.maxunicode + 1) if BLANK_LOOKING.match(chr(c))]
    assert blank, "no blank-looking character found"
    assert any(ch.isprintable() for ch in blank)


def test_blank_looking_characters_are_those_the_unicode_property_names() -> None:
    """BLANK_LOOKING is written out so that no command loads ``regex``: on every code point it matches
    what the property reads in the ``regex`` package's Unicode (a new version of it that adds a letter to
    Default_Ignorable_Code_Point fails here: add that letter)."""
    import regex

    by_property = regex.compile(r"[\p{Default_Ignorable_Code_Point}&&[^\p{M}\p{C}]]|\u2800", regex.V1)
    every = "".join(chr(c) for c in range(sys.maxunicode + 1))
    expected = [ch for ch in every if by_property.match(ch)]
    assert [ch for ch in every if BLANK_LOOKING.match(ch)] == expected
    assert len(expected) >= 5  # the Hangul fillers and the braille blank


def test_ignorable_marks_are_those_the_unicode_property_names() -> None:
    """IGNORABLE_MARK is written out as BLANK_LOOKING is: on every code point it matches the marks of
    Default_Ignorable_Code_Point in the ``regex`` package's Unicode; every other character of the property is refused
    by free text as a format character, an unassigned one or BLANK_LOOKING."""
    import regex

    by_property = regex.compile(r"[\p{Default_Ignorable_Code_Point}&&\p{M}]", regex.V1)
    every = "".join(chr(c) for c in range(sys.maxunicode + 1))
    expected = [ch for ch in every if by_property.match(ch)]
    assert [ch for ch in every if IGNORABLE_MARK.match(ch)] == expected
    others = regex.compile(r"[\p{Default_Ignorable_Code_Point}--\p{M}]", regex.V1)
    unrefused = [f"U+{ord(ch):04X}" for ch in every if others.match(ch) and refused_character(f"a{ch}b") is None]
    assert unrefused == [], unrefused


# -- YAML: the single walk against PyYAML's resolver and constructors ---------------------------------


class _Reference(yaml.SafeLoader):
    """PyYAML's own resolver and constructors with the loader's YAML 1.2 scalars: what main built before."""

    yaml_implicit_resolvers = yamlloader.Loader.yaml_implicit_resolvers


_Reference.add_constructor("tag:yaml.org,2002:int", yamlsrc._int12)
_Reference.add_constructor("tag:yaml.org,2002:float", yamlsrc._float12)
_Reference.add_constructor("tag:yaml.org,2002:timestamp", yamlsrc._timestamp)


scalars = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(
        ["0o17", "0x1F", "yes", "off", "~", "1_000", "2:46:40", "2026-13-01", ".inf", "-.INF", "1e3", "", "Null"]
    ),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=1000, deadline=None)
@given(documents, st.booleans(), st.sampled_from([None, '"', "'"]))
def test_single_walk_builds_what_the_constructors_build(data: object, flow: bool, style: str | None) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, default_style=style, allow_unicode=True)
    doc, problems = yamlsrc.parse_yaml(text, "f.yaml")
    if problems:  # refused (a key that is not text, a leading zero): no data is returned
        return
    assert doc is not None
    expected = yaml.load(text, Loader=_Reference)
    assert repr(doc.data) == repr(expected), text
    # the registry looks for keys left empty only where the walk met a null (registry.validate_member)
    assert doc.nulls == _holds_none(expected), text


def _holds_none(value: object) -> bool:
    if isinstance(value, dict):
        return any(_holds_none(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_none(v) for v in value)
    return value is None


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [x, 2, 2.5, true, ~, 2026-01-01, 2026-13-01, '012', 0o17]\nc: {d: NO}\n",
        "a: !!str x\nb: !!int 12\nc: ! [1]\n",
        "- !!map {a: 1}\n- !!seq [b]\n",
        "x: '<<'\n",
        "",
        "just text",
    ],
)
def test_single_walk_accepts_and_builds_what_it_did(text: str) -> None:
    doc, problems = yamlsrc.parse_yaml(text, "f.yaml")
    assert not problems and doc is not None
    assert repr(doc.data) == repr(yaml.load(text, Loader=_Reference))


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ('a: ! "12"\n', "!!int"),  # "!" makes a quoted scalar resolve as plain text
        ("a: !!str 12\n", "!!str"),
        ("a: !<tag:pic,2026:implicit> 12\n", "tag:pic,2026:implicit"),  # the walk's own mark, written
        ("a: !<tag:yaml.org,2002:str> [1]\n", "!!str"),
        ("? !!int x\n: 1\n", "!!int"),
    ],
)
def test_a_written_tag_is_refused_as_before(text: str, tag: str) -> None:
    doc, problems = yamlsrc.parse_yaml(text, "f.yaml")
    assert doc is None
    assert len(problems) == 1 and f'has the tag "{tag}"' in problems[0].message, problems


values = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["", "~", "null", "0o17", "012", "-1", ".5", "2026-01-01", "ON", "+.inf", "0x", "1e", "-"]),
)


@settings(max_examples=2000, deadline=None)
@given(values, st.booleans())
def test_the_tags_the_walk_resolves_are_pyyamls(value: str, plain: bool) -> None:
    loader = yamlloader.Loader("")
    try:
        for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
            ours = loader.resolve(kind, value, (plain, not plain))
            if ours is yamlloader.PLAIN:
                ours = yamlsrc._plain_tag(value)
            pyyaml = yaml.resolver.BaseResolver.resolve(loader, kind, value, (plain, not plain))  # type: ignore[no-untyped-call]
            assert ours == pyyaml, (kind, value)
    finally:
        loader.dispose()


def test_dates_and_numbers_keep_their_types() -> None:
    doc, problems = yamlsrc.parse_yaml("a: 2026-01-31\nb: 0x1F\nc: -.INF\nd: 2026-02-30\ne: Yes\n", "f.yaml")
    assert not problems and doc is not None
    assert doc.data == {"a": dt.date(2026, 1, 31), "b": 31, "c": float("-inf"), "d": "2026-02-30", "e": True}


def test_a_refused_character_still_names_its_field() -> None:
    """The walk notes where each value starts only for such files: the field is still named."""
    doc, problems = yamlsrc.parse_yaml("name: ok\ncontact:\n  email: a\x07b@c.org\n", "f.yaml")
    assert doc is None
    assert [(p.line, p.path) for p in problems] == [(3, "contact.email")], problems
    assert re.search(r"control character \(U\+0007", problems[0].message), problems


def test_the_loader_has_no_path_resolvers() -> None:
    """Its descend_resolver and ascend_resolver do nothing, which is exact only without path resolvers (the
    loader does not even set up the resolver's state for them: libyaml's parser alone, yamlloader.init_loader)."""
    assert not yamlloader.Loader.yaml_path_resolvers
    loader = yamlloader.Loader("a: [1, {b: c}]\n")
    try:
        node = loader.get_single_node()
        assert node is not None
        assert not getattr(loader, "resolver_exact_paths", []) and not getattr(loader, "resolver_prefix_paths", [])
    finally:
        loader.dispose()


_WORD_CHARS = st.sampled_from(list("abcXYZ019éçßΩжあ中AKIAghpxoøÜ٣"))
_PLAIN_TEXT = st.lists(st.text(_WORD_CHARS, min_size=1, max_size=19), min_size=1, max_size=6).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_PLAIN_TEXT)
@example("AKIA" + "B" * 15)
@example("Association numéro 12")
def test_secret_texts_shortcut_for_plain_words_gives_the_patterns_verdict(value: str) -> None:
    """Words of letters and digits under 20 characters match no pattern of secret text, so the shortcut that
    skips them (``secret_kind`` without an input name) gives the full verdict: none."""
    assert secrettext._PLAIN_WORDS.fullmatch(value)
    assert secrettext._text_kind(value) is None
    assert all(secrettext._text_kind(text) is None for text in secrettext._decoded(value))
    assert secrettext.secret_kind(value) is None


# The words the patterns of secret text are written with (programs, options, keywords), a password, and the
# words of the forms that need no punctuation
_PATTERN_WORDS = sorted(
    {w for _kind, p, _needs in secrettext._SECRET_TEXT for w in re.findall(r"\b[A-Za-z][A-Za-z0-9]{2,18}\b", p.pattern)}
    | {"Zt8kq2LmW9", "alice", "host", "password", "login", "register", "update", "add", "set", "upwd"}
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PATTERN_WORDS), min_size=2, max_size=6).map(" ".join))
@example("openssl passwd Zt8kq2LmW9")
@example("machine nas login alice password Zt8kq2LmW9")
@example("x \u017fset smtppassword Zt8kq2LmW9")
@example("MACHINE nas LOGIN alice PASSWORD Zt8kq2LmW9")
def test_plain_words_naming_a_program_give_the_patterns_verdict(value: str) -> None:
    """Plain words built from the patterns' own words: the shortcut for an association's name leaves to the
    patterns those that name a program whose form needs no punctuation, and gives the patterns' verdict."""
    assert secrettext.secret_kind(value) == secrettext._text_kind(value)


@pytest.mark.parametrize(
    "value",
    [
        "openssl passwd Zt8kq2LmW9",
        "mysqladmin password Zt8kq2LmW9",
        "drush upwd alice Zt8kq2LmW9",
        "prosodyctl register alice localhost Zt8kq2LmW9",
        "ejabberdctl register alice localhost Zt8kq2LmW9",
        "php createAndPromote alice Zt8kq2LmW9",
        "wp config set dbpassword Zt8kq2LmW9",
        "wp option update smtppassword Zt8kq2LmW9",
        "drush sset mailpassword Zt8kq2LmW9",
        "machine nas login alice password Zt8kq2LmW9",
        "Default login alice Password Zt8kq2LmW9",
    ],
)
def test_a_secret_written_in_plain_words_is_found(value: str) -> None:
    """Each was taken for an association's usual name, no pattern tried (the policy pack, reading a name with
    the input's name, tried them and refused it)."""
    assert secrettext.secret_kind(value) is not None


_PROGRAMS = (
    "mysql mariadb MySQL sshpass redis-cli smbclient net smbtar http HTTP https xh zip unzip 7z lftp curl wget "
    "ldapsearch ldappasswd mongodump mongosh ncftpput chpasswd echo printf cron_run_jobs.php openssl htpasswd drush "
    "fos:user:change-password security:hash-password cset config:set option yes passwd sudo chgpasswd kinit occ "
    "mysqladmin rabbitmqctl ejabberdctl mosquitto_passwd doveadm kadmin sqlcmd machine default ALTER SET "
    "sh su ssh env timeout xargs chroot docker ftp lftp expect send user rclone isql iusql tsql influx keytool "
    "sqlplus mega-login script login"
)
_OPTIONS = (
    "-p|-P|-a|-A bearer|--auth|-U|-u|-w|-s|-qrP|--password|--password-stdin|-H|--header|-pass|pass:|'%s'|"
    "--oauth2-bearer|--reset-password|--no-password|docker login|-p Zt8kq2LmW9|-pZt8kq2LmW9|-a amis:Zt8kq2LmW9|"
    "--auth amis:Zt8kq2LmW9|-U amis%Zt8kq2LmW9|-w Zt8kq2LmW9|-s Zt8kq2LmW9|-a Zt8kq2LmW9|-P Zt8kq2LmW9|"
    "-b f amis Zt8kq2LmW9|-nbB amis Zt8kq2LmW9|upwd amis Zt8kq2LmW9|"
    "-qrP Zt8kq2LmW9|-u amis:Zt8kq2LmW9|-u amis,Zt8kq2LmW9|-U amis:Zt8kq2LmW9|-vp Zt8kq2LmW9|"
    "-A bearer -a Zt8kq2LmW9|X-Api-Key:Zt8kq2LmW9|<<< Zt8kq2LmW9|<<<|Zt8kq2LmW9 | |amis:Zt8kq2LmW9 | |"
    "-H 'X-Auth-Token: Zt8kq2LmW9'|-e 'a; b'|<<EOF\nZt8kq2LmW9\n|-S|user:add|"
    "(echo Zt8kq2LmW9;|{ echo|; } |$'Zt8kq2LmW9'|"
    "password Zt8kq2LmW9|ROLE amis PASSWORD 'Zt8kq2LmW9'|add_user|pw -p|"
    "https://amis:Zt8kq2LmW9@x.org|-c|-c '|-u passwd|exec -i c|-a f|LANG=C|{|(|'kinit'|bin/kinit|kinit |passwd|&|\n|"
    '<<EOF\nuser amis Zt8kq2LmW9|\'user amis Zt8kq2LmW9\'|"assword:"|send "Zt8kq2LmW9\\r"'
)
_WORDS = (
    "Zt8kq2LmW9 amis x.org X-Api-Key X-Cache-Key Authorization Bearer PASSWORD password token APP_KEY DB_PASS "
    "IDENTIFIED BY -----BEGIN PRIVATE KEY----- AKIAABCDEFGHIJKLMNOP $(cat ../priv/x) "
    "PAſſWORD pasſ ıdentıfıed AuthorızatIon \u212aey ſshpass Ü é"
)
_SIGNS = [
    " ",
    " ",
    "|",
    " | ",
    ":",
    ": ",
    "=",
    "==",
    "%",
    "@",
    "://",
    "/cron/",
    "?",
    "#",
    "&",
    "'",
    '"',
    ";",
    "\n",
    "(",
    ",",
]
# Pieces of commands and files that the patterns of secret text read: programs alone and followed by a
# space, options with and without a value, signs, values, in several cases, and letters that re matches
# with ASCII ones when it ignores case (long s, dotless i, Kelvin sign); two or three pieces in a row make
# most of the forms.
_SECRET_PIECES = st.sampled_from(
    [
        *_PROGRAMS.split(),
        *[f"{program} " for program in _PROGRAMS.split()],
        *[f" {option}" for option in _OPTIONS.split("|")],
        *_OPTIONS.split("|"),
        *_WORDS.split(),
        *_SIGNS,
        "ghp_" + "a" * 30,
        "a1" * 25,
    ]
)
# One text of each form the patterns read, each program of a pattern naming several.
_SECRET_FORMS = [
    *[f"{p} -u amis -pZt8kq2LmW9" for p in ("mysql", "mariadb-dump", "mysqladmin")],
    "sshpass -v -p Zt8kq2LmW9 ssh x",
    "sshpass\t-p Zt8kq2LmW9 ssh x",
    "echo Zt8kq2LmW9|mysql -p",
    "mysql -p db <<< Zt8kq2LmW9",
    "sshpass ssh x <<<'Zt8kq2LmW9'",
    *[f"{p} -h h -a Zt8kq2LmW9 ping" for p in ("redis-cli", "valkey-cli", "keydb-cli")],
    "smbtar -s nas -p Zt8kq2LmW9",
    *[
        f"{p} //nas/b -U amis%Zt8kq2LmW9"
        for p in ["smbclient", "smbget", "smbcacls", "smbcquotas", "smbtree", "rpcclient", "mdsearch", "net"]
    ],
    *[f"{p} -a amis:Zt8kq2LmW9 x.org" for p in ("http", "https", "xh", "xhs")],
    *[f"{p} --auth amis:Zt8kq2LmW9 x.org" for p in ("http", "xh")],
    *[f"{p} -A bearer -a Zt8kq2LmW9 x.org" for p in ("http", "HTTPS", "xh")],
    *[f"{p} -a Zt8kq2LmW9 --auth-type=Bearer x.org" for p in ("http", "xh")],
    "php cron_run_jobs.php Zt8kq2LmW9 cron",
    "openssl enc -pass pass:Zt8kq2LmW9",
    *[f"{p} -qrP Zt8kq2LmW9 x.zip" for p in ("zip", "unzip")],
    *[f"{p} a -pZt8kq2LmW9 x.7z" for p in ("7z", "7za")],
    "lftp -u amis,Zt8kq2LmW9 ftp.x.org",
    *[f"{p} -u amis:Zt8kq2LmW9 x.org" for p in ("curl", "wget")],
    "curl -U amis:Zt8kq2LmW9 x.org",
    *[f"{p} -x -w Zt8kq2LmW9 -b dc=x" for p in ("ldapsearch", "ldapmodify", "ldapwhoami")],
    "ldappasswd -x -s Zt8kq2LmW9 uid=a",
    *[f"{p} -u amis -p Zt8kq2LmW9" for p in ("mongodump", "mongosh", "ncftpput", "ncftpget")],
    "echo amis:Zt8kq2LmW9 | chpasswd",
    *[f"echo Zt8kq2LmW9 | {p}" for p in ("mysql -p", "docker login --password-stdin", "gpg --passphrase-fd 0")],
    *[f"printf '%s' Zt8kq2LmW9 | {p}" for p in ("openssl enc -pass stdin", "passwd --stdin a", "sshpass ssh x")],
    *[f"echo Zt8kq2LmW9 | {p}" for p in ("smbpasswd -s a", "htpasswd -i f a")],
    "define('DB_PASSWORD', 'Zt8kq2LmW9');",
    "CREATE USER a IDENTIFIED BY 'Zt8kq2LmW9';",
    "SET PASSWORD = PASSWORD('Zt8kq2LmW9');",
    "https://x.org/cron.php?cron_key=Zt8kq2LmW9",
    "https://x.org/cb#access_token=Zt8kq2LmW9",
    "https://x.org/cb#state=x&key=Zt8kq2LmW9",
    "curl -H 'X-Api-Key: Zt8kq2LmW9' x.org",
    "curl --header 'X-Auth-Token: Zt8kq2LmW9' x.org",
    *[f"{p} x.org X-Api-Key:Zt8kq2LmW9" for p in ("http", "xh", "HTTP")],
    "https://amis:Zt8kq2LmW9@x.org/",
    "mysqlsh amis:Zt8kq2LmW9@db.x.org",
    "https://x.org/cron/" + "Zt8kq2LmW9" * 5,
    "Authorization: Bearer Zt8kq2LmW9",
    *["AKIAABCDEFGHIJKLMNOP", "ghp_" + "a" * 30, "xoxb-0123456789abc"],
    "-----BEGIN RSA PRIVATE KEY-----",
    "PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1",
    "password=Zt8kq2LmW9",
    "DB_PASSWORD = Zt8kq2LmW9",
    "env DB_PASSWORD=Zt8kq2LmW9 x",
    "LICENSE_KEY=Zt8kq2LmW9 x",
    "KEY=ABCD-1234-EFGH x",
    "mydumper --password Zt8kq2LmW9",
    "htpasswd -B -b -C 10 f amis Zt8kq2LmW9",
    "drush upwd amis Zt8kq2LmW9",
    "bin/console fos:user:change-password amis Zt8kq2LmW9",
    "bin/console security:hash-password Zt8kq2LmW9",
    "openssl enc -k Zt8kq2LmW9",
    "bin/plugin login new-user -p Zt8kq2LmW9",
    "wp config create --dbpass=Zt8kq2LmW9",
    "wp config set DB_PASSWORD Zt8kq2LmW9",
    "wp option add x_pass Zt8kq2LmW9",
    "occ config:app:set x smtppassword --value=Zt8kq2LmW9",
    "drush cset smtp.settings smtp_password Zt8kq2LmW9",
    "drush sset x.token Zt8kq2LmW9",
    "https://x.org/?plugin=RunSchedulerWebcron&hash=Zt8kq2LmW9",
    "https://x.org/?hash=Zt8kq2LmW9&plugin=RunSchedulerWebcron",
    "curl -b 'a=b; PHPSESSID=Zt8kq2LmW9' x.org",
    "wget --header='Cookie: laravel_session=Zt8kq2LmW9' x.org",
    "lftp -e 'mirror; quit' -u amis,Zt8kq2LmW9 ftp.x.org",
    "mysql -e 'SELECT 1; SELECT 2' -pZt8kq2LmW9 db",
    'echo Zt8kq2LmW9 | mariadb -e "A; B" -p db',
    "curl -d 'a;b' -u amis:Zt8kq2LmW9 x.org",
    "smbclient //nas/b -c 'ls; ls' -U amis%Zt8kq2LmW9",
    "smbclient //nas/b Zt8kq2LmW9 -U amis",
    "smbclient -U amis '\\\\nas\\b' Zt8kq2LmW9",
    "php bin/cli.php -u a -p Zt8kq2LmW9 -e Job -a execute",
    "maintenance/createAndPromote.php amis Zt8kq2LmW9",
    "https://hooks.slack.com/services/T0/B0/Zt8kq2LmW9Zt8kq2LmW9",
    "https://discord.com/api/webhooks/1/" + "Zt8kq2LmW9" * 3,
    "https://chat.x.org/hooks/zt8kq2lmw9zt8kq2lmw9abcdef",
    *[f"{p} a -pZt8kq2LmW9 x" for p in ("7zr", "rar", "unrar")],
    "ssh-keygen -N Zt8kq2LmW9 -f k",
    "yes Zt8kq2LmW9 | passwd",
    "printf 'Zt8kq2LmW9\\nZt8kq2LmW9\\n' | passwd",
    "printf '%s\\n%s\\n' Zt8kq2LmW9 Zt8kq2LmW9 | sudo passwd amis",
    *[
        f"echo Zt8kq2LmW9 | {p}"
        for p in (
            "sudo -S true",
            "pdbedit -a -u a -t",
            "saslpasswd2 -p -c a",
            "vncpasswd -f",
            "openssl passwd -6 -stdin",
            "mkpasswd -s",
            "kinit a",
            "cryptsetup open x y",
            "pure-pw useradd a",
            "vault login -",
            "php occ user:add a",
            "wp config create --prompt=dbpass",
            "gpg --passphrase-file /dev/stdin -c x",
            "restic --password-file - backup",
            "openssl enc -pass fd:0",
        )
    ],
    "occ user:add --password-from-env amis <<< Zt8kq2LmW9",
    "passwd <<EOF\nZt8kq2LmW9\nZt8kq2LmW9\nEOF",
    "smbpasswd -s a <<-EOF\n\tZt8kq2LmW9\nEOF",
    "chpasswd <<EOF\namis:Zt8kq2LmW9\nEOF",
    "chpasswd <<< amis:Zt8kq2LmW9",
    "echo amis:Zt8kq2LmW9 | chgpasswd",
    "(echo Zt8kq2LmW9; echo Zt8kq2LmW9) | smbpasswd -s a",
    "{ echo old-Zt8kq2LmW9; echo Zt8kq2LmW9; echo Zt8kq2LmW9; } | passwd",
    "smbpasswd -s a <<< $'Zt8kq2LmW9\\nZt8kq2LmW9'",
    *[f"{p} -u a password Zt8kq2LmW9" for p in ("mysqladmin", "mariadb-admin")],
    "openssl passwd -6 -salt abcdefgh Zt8kq2LmW9",
    "mosquitto_passwd -b f amis Zt8kq2LmW9",
    *[f"rabbitmqctl {c} amis Zt8kq2LmW9" for c in ("add_user", "change_password", "authenticate_user")],
    *[f"ejabberdctl {c} amis x.org Zt8kq2LmW9" for c in ("register", "change_password", "check_password")],
    "prosodyctl register amis x.org Zt8kq2LmW9",
    "doveadm pw -s SHA512-CRYPT -p Zt8kq2LmW9",
    *[f"{p} -w Zt8kq2LmW9 -q x" for p in ("kadmin", "kadmin.local")],
    *[f"{p} -S x -U sa -P Zt8kq2LmW9" for p in ("sqlcmd", "bcp", "osql")],
    "ALTER ROLE amis WITH LOGIN PASSWORD 'Zt8kq2LmW9'",
    "CREATE USER amis PASSWORD 'Zt8kq2LmW9'",
    "SET PASSWORD FOR amis = 'Zt8kq2LmW9'",
    "machine x.org login amis password Zt8kq2LmW9",
    "default login amis password Zt8kq2LmW9",
    *[
        f"echo Zt8kq2LmW9 | {p}"
        for p in (
            "sh -c 'kinit a'",
            "su a -c passwd",
            "docker exec -i c passwd",
            "ssh h kinit",
            "{ kinit; }",
            "(kinit a)",
            "'passwd'",
            "bin/passwd",
            "tee x | passwd",
            "sudo -u root -S true",
        )
    ],
    "echo Zt8kq2LmW9 |& kinit",
    "LANG=C kinit a <<< Zt8kq2LmW9",
    "ftp -n x <<EOF\nuser amis Zt8kq2LmW9\nEOF",
    "echo 'user amis Zt8kq2LmW9' | ftp -n x",
    "lftp -e 'user amis Zt8kq2LmW9; quit' x",
    'expect "assword:"; send "Zt8kq2LmW9\\r"',
    "rclone obscure Zt8kq2LmW9",
    "rclone config create x sftp pass Zt8kq2LmW9",
    "echo Zt8kq2LmW9 | rclone obscure -",
    *[f"{p} dsn amis Zt8kq2LmW9" for p in ("isql", "iusql")],
    *[f"{p} -U sa -P Zt8kq2LmW9" for p in ("isql", "fisql", "tsql")],
    "influx -password Zt8kq2LmW9",
    "influx -t Zt8kq2LmW9",
    *[
        f"{p} login -u amis -p Zt8kq2LmW9 x"
        for p in ("docker", "podman", "buildah", "skopeo", "nerdctl", "helm registry")
    ],
    *[f"{p} -storepass Zt8kq2LmW9" for p in ("keytool", "jarsigner")],
    "sqlplus amis/Zt8kq2LmW9@db",
    "mega-login amis@x.org Zt8kq2LmW9",
    *[f"echo Zt8kq2LmW9 | {p}" for p in ("sshfs -o password_stdin a@h:/ m", "openconnect --passwd-on-stdin h")],
    "echo Zt8kq2LmW9 | script -qc kinit",
    "kinit 2>&1 <<< Zt8kq2LmW9",
]


@pytest.mark.parametrize("value", _SECRET_FORMS)
def test_each_form_of_secret_text_is_found_with_the_words_its_pattern_needs(value: str) -> None:
    """Each form is secret text, found by a pattern whose words the text holds, in capitals too."""
    assert secrettext._text_kind(value) is not None
    for text in (value, value.upper()):
        assert secrettext._text_kind(text) == _every_patterns_kind(text)
        for kind, pattern, needs in secrettext._SECRET_TEXT:
            if pattern.search(text):
                assert any(word in text.lower() for word in needs), (kind, pattern.pattern)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_SECRET_PIECES, min_size=1, max_size=14).map("".join))
@example("mysql -u amis -pZt8kq2LmW9")
@example("curl -H 'Authorızation: Bearer Zt8kq2LmW9' x")
@example("PAſſWORD=Zt8kq2LmW9")
def test_secret_patterns_skipped_for_the_words_they_need_give_every_patterns_verdict(value: str) -> None:
    """A pattern is tried only on a text holding one of the words it needs (in lower case, with the letters
    re reads as ASCII ones folded): the verdict is that of every pattern tried on every text."""
    assert secrettext._text_kind(value) == _every_patterns_kind(value)
    folded = value.translate(secrettext._ASCII_FOLD).lower()
    for kind, pattern, needs in secrettext._SECRET_TEXT:
        if pattern.search(value):
            assert any(word in folded for word in needs), (kind, pattern.pattern)


def _found(pattern: str, value: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.groupdict().get("v")) for m in re.finditer(pattern, value)]


@settings(max_examples=1500, deadline=None)
@given(st.lists(_SECRET_PIECES, min_size=1, max_size=14).map("".join))
@example("echo Zt8kq2LmW9 | LANG=C kinit")
@example("(kinit a) <<< Zt8kq2LmW9")
def test_a_pattern_s_form_for_a_text_naming_no_runner_finds_what_the_whole_finds(value: str) -> None:
    """A pattern read with the programs that run another (sudo, env, sh -c...) is tried in its shorter form on a
    text naming none of them: it finds the same there."""
    if secrettext._RUNNERS.search(value):
        return
    for _kind, pattern, _needs in secrettext._SECRET_TEXT:
        if pattern.alone is not None:
            assert _found(pattern.alone, value) == _found(pattern.pattern, value)


@pytest.mark.parametrize("value", [f for f in _SECRET_FORMS if not secrettext._RUNNERS.search(f)])
def test_each_form_naming_no_runner_is_found_by_the_shorter_forms_too(value: str) -> None:
    for text in (value, value.upper()):
        for _kind, pattern, _needs in secrettext._SECRET_TEXT:
            if pattern.alone is not None:
                assert _found(pattern.alone, text) == _found(pattern.pattern, text)


@pytest.mark.parametrize(
    "runner",
    [
        "sudo -u root",
        "doas",
        "env -u LANG",
        "timeout 5",
        "nice -n 5",
        "nohup",
        "command -p",
        "exec",
        "time",
        "stdbuf -o L",
        "ionice -c 3",
        "setsid",
        "chroot ../root",
        "flock ../lock",
        "eval",
        "runuser -u alice",
        "xargs -a ../users",
        "docker exec -i c",
        "docker-compose exec web",
        "podman exec -i c",
        "nerdctl exec -i c",
        "docker run -i img",
        "podman run -i img",
        "chrt -b 0",
        "taskset -c 0",
        "unshare -n",
        "nsenter -t 1 -n",
        "systemd-run --pipe",
        "sg staff -c",
        "kubectl exec -i web --",
        "sh -c",
        "bash -c",
        "dash -c",
        "zsh -c",
        "ksh -c",
        "mksh -c",
        "ash -c",
        "su -c",
        "ssh nas",
        "script -qc",
        "/bin/sh -c",
    ],
)
def test_each_program_that_runs_another_is_named_among_the_runners(runner: str) -> None:
    """The whole pattern finds a reader run through it, and _RUNNERS names it: the shorter form is not used."""
    value = f"echo Zt8kq2LmW9 | {runner} kinit"
    assert secrettext._RUNNERS.search(value) is not None
    assert secrettext.secret_kind(value) == "a password piped to a program"
    assert not any(p.alone is not None and re.search(p.alone, value) for _k, p, _n in secrettext._SECRET_TEXT)


def test_every_letter_re_matches_with_an_ascii_letter_is_folded() -> None:
    """The characters outside ASCII that re, ignoring case, matches with one of a-z are folded to it."""
    letter = re.compile("(?i)[a-z]")
    found = [c for c in map(chr, range(128, sys.maxunicode + 1)) if letter.fullmatch(c)]
    folded = {c: c.translate(secrettext._ASCII_FOLD) for c in found}
    assert folded == {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
    assert all(re.fullmatch(f"(?i){ascii_letter}", c) for c, ascii_letter in folded.items())


def _every_patterns_kind(value: str) -> str | None:
    for kind, pattern, _needs in secrettext._SECRET_TEXT:
        for m in pattern.finditer(value):
            found = m.groupdict().get("v")
            if found is None or not secrettext._PLACEHOLDER.match(found):
                return kind
    return None


def test_an_ascii_rule_followed_by_text_outside_ascii_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut's rules are the package's: an ASCII rule whose line goes on outside ASCII (a comment
    after a space, which the package ignores) is one, so a name under its wildcard is a public suffix."""
    import publicsuffixlist

    psl = tmp_path / "public_suffix_list.dat"
    psl.write_text("// ===BEGIN ICANN DOMAINS===\norg\n*.exemple.org r\u00e9gion\n", encoding="utf-8")
    monkeypatch.setattr(publicsuffixlist, "PSLFILE", str(psl))
    validators._ascii_suffix_rules.cache_clear()
    try:
        theirs = publicsuffixlist.PublicSuffixList(psl.read_text(encoding="utf-8"))
        assert theirs.is_public("a.exemple.org")
        assert validators._plain_name("a.exemple.org") and "*.exemple.org" in validators._ascii_suffix_rules()
    finally:
        validators._ascii_suffix_rules.cache_clear()


def _every_prose_kind(text: str) -> tuple[str, int] | None:
    """``prose_secret`` without its shortcuts: every form of prose tried on every text."""
    found: list[tuple[int, str]] = []
    for kind, pattern, _needs in secrettext._PROSE_TEXT:
        for m in pattern.finditer(text):
            value = m.groupdict().get("v")
            if value is None or not secrettext._PLACEHOLDER.match(value):
                found.append((m.start(), kind))
                break
    for kind, pattern, _needs in secrettext._PROSE_LABELLED:
        for m in pattern.finditer(text):
            value = m.group("v") or m.groupdict().get("w") or ""
            if not secrettext._PLACEHOLDER.match(value) and not secrettext.PULUMI_CIPHERTEXT.match(value):
                found.append((m.start(), kind))
                break
    if "|" in text:
        found.extend(secrettext._table_secrets(text, _every_prose_kind))
    for start, pair in secrettext._label_lines(text):
        label_found = _every_prose_kind(pair)
        if label_found is not None:
            found.append((start, label_found[0]))
    if not found:
        return None
    start, kind = min(found)
    return kind, start


def _prose_needs_hold(text: str) -> None:
    """Each form of prose that matches ``text`` finds one of the words it needs in its folded text, and
    ``prose_secret`` gives the verdict of every form tried."""
    folded = text.translate(secrettext._ASCII_FOLD).lower()
    assert secrettext._folded(text) == folded
    forms = [*secrettext._PROSE_TEXT, *secrettext._PROSE_LABELLED]
    for kind, pattern, needs in forms:
        if pattern.search(text):
            assert any(word in folded for word in needs), (kind, text)
            assert _prose_needs_found(text), (kind, text)
        if getattr(pattern, "gate", None) is not None:
            # a form searched only in the lines its gate is found in finds what it finds in the whole text
            whole = re.compile(pattern.pattern)
            assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in whole.finditer(text)], (kind, text)
    # (the text as written: prose_secret also reads its NFKC form, test_prose_secrets.py)
    assert secrettext._prose_secret_as_written(text) == _every_prose_kind(text)
    every_need = [word for _kind, _pattern, needs in forms for word in needs]
    further = secrettext._PROSE_PASSWORD_FURTHER_NEEDS
    passphrase = secrettext._PROSE_PASSPHRASE_NEEDS
    needed = [
        word for _kind, _pattern, needs in forms if needs is not further and needs is not passphrase for word in needs
    ]
    assert (secrettext._PROSE_NEEDS.search(folded) is not None) == any(word in folded for word in needed), text
    assert (secrettext._PROSE_NEEDS_FURTHER.search(folded) is not None) == any(word in folded for word in further)
    assert _prose_needs_found(text) == (
        any(word in folded for word in needed)
        or (
            (any(c in "0123456789\n" for c in text) or secrettext._PASSPHRASE_GATE.search(text) is not None)
            and any(w in folded for w in every_need)
        )
    ), text


def _prose_needs_found(text: str) -> bool:
    """Whether prose_secret searches ``text`` further than its words: it holds a word of a form other than
    _PROSE_PASSWORD_FURTHER's and _PROSE_PASSPHRASE's, or one of theirs and a digit, a line break or a separator or a
    copula before a capital (_PASSPHRASE_GATE)."""
    folded = secrettext._folded(text)
    return secrettext._PROSE_NEEDS.search(folded) is not None or (
        (
            secrettext._DIGIT.search(text) is not None
            or "\n" in text
            or secrettext._PASSPHRASE_GATE.search(text) is not None
        )
        and secrettext._PROSE_NEEDS_FURTHER.search(folded) is not None
    )


def test_every_form_of_prose_names_the_words_it_needs() -> None:
    """prose_secret searches no further a text holding none of the words its forms name: a form naming none (tried
    on every text, as _text_kind tries it) would be skipped there."""
    forms = [*secrettext._PROSE_TEXT, *secrettext._PROSE_LABELLED]
    assert [kind for kind, _pattern, needs in forms if not needs or not all(needs)] == []


# re's parser and its node names (private modules of the standard library, read here only, by the test below: the
# parse tree is the one thing that can prove what every match of an expression holds)
_RE_PARSER = getattr(re, "_parser")  # noqa: B009 - the private module, named once
_RE_CONSTANTS = getattr(re, "_constants")  # noqa: B009
_ASCII_DIGITS = frozenset(range(ord("0"), ord("9") + 1))


def _one_of(items: list[tuple[object, Any]], chars: frozenset[int]) -> bool:
    """Whether a character class of re's parse tree matches characters of ``chars`` only (``[0-9]``, ``[2-7]`` of the
    ASCII digits; not ``\\d``, which matches every script's digits, nor a negated class)."""
    found: set[int] = set()
    for op, value in items:
        if op is _RE_CONSTANTS.LITERAL:
            found.add(value)
        elif op is _RE_CONSTANTS.RANGE:
            found.update(range(value[0], value[1] + 1))
        else:  # NEGATE, a category
            return False
    return bool(found) and found <= chars


def _every_match_holds(nodes: list[tuple[object, object]], chars: frozenset[int] = _ASCII_DIGITS) -> bool:
    """Whether every match of the parsed sequence ``nodes`` holds a character of ``chars`` (an ASCII digit) in the
    text it is found in: one of its items matches one (the character, a class of such characters, a repetition of at
    least once of such a sequence, a group or an alternation each of whose branches does, a lookahead or lookbehind
    asserting one: the character is then in the text though not in the match), or cannot match at all (``(?!)``).
    Conservative: any other node counts as none."""
    c = _RE_CONSTANTS
    for op, value in nodes:
        v: Any = value
        if (
            (op is c.LITERAL and v in chars)
            or (op is c.IN and _one_of(v, chars))
            or (op is c.BRANCH and all(_every_match_holds(branch, chars) for branch in v[1]))
            or (op is c.SUBPATTERN and _every_match_holds(v[3], chars))
            or (
                op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
                and v[0] >= 1
                and _every_match_holds(v[2], chars)
            )
            or (op is c.ASSERT and _every_match_holds(v[1], chars))
            or (op is c.ASSERT_NOT and not v[1])
            or (op is c.ATOMIC_GROUP and _every_match_holds(v, chars))
            or (
                op is c.GROUPREF_EXISTS
                and _every_match_holds(v[1], chars)
                and v[2] is not None
                and _every_match_holds(v[2], chars)
            )
        ):
            return True
    return False


def _all_secret_forms() -> dict[int, tuple[str, secrettext._Pattern]]:
    """Every form secret_kind and prose_secret search for, by its pattern's id (forms both read counted once)."""
    forms = [*secrettext._SECRET_TEXT, *secrettext._PROSE_TEXT, *secrettext._PROSE_LABELLED]
    return {id(pattern): (kind, pattern) for kind, pattern, _needs in forms}


def test_a_form_said_to_hold_a_digit_holds_one_in_every_match_and_every_form_that_does_says_so() -> None:
    """A form whose ``digit`` is set is not searched in a text holding no digit (a comment naming a password's label,
    a note saying where it is kept): proved here from re's parse tree of its expression and of its form without the
    runners (``alone``), so that no secret is missed; and every form of which it is proved says so, so that none is
    compiled and searched for nothing."""
    wrong = []
    for kind, pattern in _all_secret_forms().values():
        proved = all(
            _every_match_holds(list(_RE_PARSER.parse(source)))
            for source in (pattern.pattern, pattern.alone)
            if source is not None
        )
        if proved != pattern.digit:
            wrong.append((kind, pattern.pattern[:60], pattern.digit))
    assert wrong == []


def test_a_form_said_to_hold_one_of_its_marks_holds_one_in_every_match() -> None:
    """A form whose ``marks`` are set (the quotes around a passphrase) is not searched in a text holding none of them:
    proved here from re's parse tree, as the digit above, so that no secret is missed."""
    marked = [(kind, pattern) for kind, pattern in _all_secret_forms().values() if pattern.marks]
    assert marked
    wrong = []
    for kind, pattern in marked:
        assert all(len(mark) == 1 for mark in pattern.marks), pattern.marks
        chars = frozenset(map(ord, pattern.marks))
        sources = [source for source in (pattern.pattern, pattern.alone) if source is not None]
        if not all(_every_match_holds(list(_RE_PARSER.parse(source)), chars) for source in sources):
            wrong.append((kind, pattern.pattern[:60], pattern.marks))
    assert wrong == []


def _texts_of_the_tests() -> list[str]:
    """Every string written in the prose reader's tests (the notes, comments and cells they read): thousands of
    secrets and of texts that hold none, in every form those tests know."""
    texts: set[str] = set()
    for name in ("test_prose_secrets.py", "test_secrettext.py", "test_lists_audit.py", "test_inputs.py"):
        tree = ast.parse((Path(__file__).parent / name).read_text(encoding="utf-8"))
        texts.update(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return sorted(texts)


_GATED_PASSWORDS = {
    "_PROSE_PASSWORD": secrettext._PROSE_PASSWORD,
    "_PROSE_PASSWORD_FURTHER": secrettext._PROSE_PASSWORD_FURTHER,
    "_PROSE_PASSWORD_SAID": secrettext._PROSE_PASSWORD_SAID,
}
_LINE_PARTS = st.sampled_from(
    ["mot de passe", "mdp", "Password", "Passwort", "code PIN", "code PUK", "heslo", "clave", " du compte", " FTP",
     " wifi", ":", " : ", "=", " -> ", "→", " est ", " is ", "\n", "\n", " \n", "\n- ", '"', "« ", " »", "`", "**",
     "Lilas2024x", "Azerty123", "4821", "12345678", "Soleil 2024", "voir le coffre", "DB_HOST=db1.lan", " ", "  ",
     "Office 365", "Windows10", "2024", "x1",
     # a service's name, a verb saying the password was changed, a password typed with a blank
     " wp ", " de l'admin ", " a été changé en ", " changed to ", "Velo 2024!", "Lilas2024x!",
     # a file written with CRLF, a tab before the line break, a carriage return or U+2028 alone (a blank to re, no
     # line break), a full-width colon, a table's '|', other arrows, a separator starting the value's line
     "\r\n", " \t\r\n", "\r", "\u2028", "：", " | ", "|", "=>", "-->", " ⇨", "➤", "\n: ", "\n→ ", "\n= ",
     # the other signs pointing right, the two-sign ones, blank lines before the separator, a table's row
     " ▶", "»", " >> ", "::", ":=", "~>", "🡒", "\n\n: ", "\n#\n→ ", "|\n| ", " |"]
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(_LINE_PARTS, max_size=12).map("".join), st.sampled_from(sorted(_GATED_PASSWORDS)))
@example("Mot de passe FTP :\t\r\nVelo2024x\r\n", "_PROSE_PASSWORD")  # a CRLF file, a tab ending the label's line
@example("heslo =  \r\n  Velo2024x", "_PROSE_PASSWORD_FURTHER")
@example("mdp →\r\n- Velo2024x\r\nDB_HOST=db1.lan", "_PROSE_PASSWORD")
@example("mot de passe |\nLilas2024x!", "_PROSE_PASSWORD")
@example("mot de passe\r\n: Lilas2024x!", "_PROSE_PASSWORD")
@example("heslo\n  ⇨ Velo2024x", "_PROSE_PASSWORD_FURTHER")
def test_a_password_searched_in_its_value_s_lines_is_found_where_the_whole_text_finds_it(text: str, name: str) -> None:
    """_PROSE_PASSWORD searched only in the lines _VALUE_LINES finds (a digit, or a line ending with a separator and
    the digit on the next) finds each match a search of the whole text finds, at the same place."""
    pattern = _GATED_PASSWORDS[name]
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern._regex(text).finditer(text)]


def test_a_password_searched_in_its_value_s_lines_is_found_in_every_text_of_the_tests() -> None:
    """As above, on every text the prose reader's tests hold, and on each with its lines joined or cut after a
    separator (a label ending its line, its value on the next) or before it (the separator starting the value's
    line)."""
    texts = _texts_of_the_tests()
    assert len(texts) > 3000
    cut = re.compile(r"([:=→|])[^\S\n]*")
    differ = []
    for text in texts:
        joined, after, before = (
            text.replace("\n", " "),
            cut.sub("\\1\n", text, count=1),
            cut.sub("\n\\1 ", text, count=1),
        )
        for variant in (text, joined, after, before):
            for name, pattern in _GATED_PASSWORDS.items():
                gated = [m.span() for m in pattern.finditer(variant)]
                if gated != [m.span() for m in pattern._regex(variant).finditer(variant)]:
                    differ.append((name, variant))
    assert differ == []


_FAR_PASSWORDS = [
    # the most runs of blanks before a value (_PASSWORD_REACH's count), or in a passphrase in quotes
    "clés de sécurité du réseau Office 365 Office 365 Office 365 Office 365 Office 365 Office 365 c'est maintenant "
    "« Velo2024x",
    "clés de sécurité du réseau Office 365 Office 365 Office 365 Office 365 Office 365 Office 365 -- « Velo2024x »",
    "clés de sécurité du réseau Office 365 Office 365 Office 365 Office 365 Office 365 Windows 10 :\n  Velo2024x",
    "mot de passe du compte de la box de la maison « Windows 10 Velo2024x »",
    'mot de passe du wifi de la maison bleue "a b c d e f g h i j k l m n o p q r s t u v w x y z 1 a b"',
    'mdp "Lilas 2024 Velo!"',
    "heslo z účtu na serveru v kanceláři : Velo2024x",
    "code PIN de la carte : 4821",
    "mot de passe du compte de la box de la maison a été changé en Velo2024x",
    "mot de passe du compte de la box de la maison : Velo 2024!",
    "mot de passe de l'admin Velo$2024",
    "Karim a changé le mot de passe du wifi en Velo2024x",
]


@pytest.mark.parametrize("text", _FAR_PASSWORDS)
@pytest.mark.parametrize(
    "before", ["", "mdp " * 60, "x " * 80, "mot de passe " * 40, "heslo " * 60, "2024 " + "mdp " * 60]
)
def test_a_password_after_many_words_on_its_line_is_found_where_the_whole_text_finds_it(text: str, before: str) -> None:
    """The forms searched from a few words before their gate's match on its line (_Pattern.reach) find each match a
    search of the whole line finds, after a line of labels or words too."""
    forms = [pattern for _kind, pattern, _needs in secrettext._PROSE_LABELLED if pattern.reach]
    assert len(forms) == 5
    for pattern in forms:
        variant = before + text
        assert [m.span() for m in pattern.finditer(variant)] == [
            m.span() for m in pattern._regex(variant).finditer(variant)
        ], variant


# The patterns that read the end of a label's line, searched in each line before a line of one word
_LINE_END_PATTERNS = [secrettext._LINE_SEPARATOR, secrettext._LINE_COPULA]
_BLANK_RUN = re.compile(r"\[\^\\S\\n\][*+]\+?")


@pytest.mark.parametrize("pattern", _LINE_END_PATTERNS, ids=["separator", "copula"])
def test_a_line_end_pattern_tries_each_run_of_blanks_once(pattern: Any) -> None:
    """A search of a line for what ends it (a separator, a copula) starts at each place of the line: a run of blanks
    read greedily, then given back one blank at a time, from each place inside a long run (mdp and 4,000 blanks
    before the next line's word: 3 s, a note's most) is quadratic. Each such pattern starts only where a run starts
    (a lookbehind: no blank before it) and reads each run whole (possessive: never given back)."""
    source = pattern.pattern
    runs = _BLANK_RUN.findall(source)
    assert runs, source
    assert all(run.endswith(("*+", "++")) for run in runs), runs
    assert "(?<![^\\S\\n])" in source.split(runs[0])[0], source


@pytest.mark.parametrize(
    "line",
    [
        "mdp :",
        "mdp :  ",
        "mdp\t=\t",
        "Mot de passe du wifi ->",
        "mdp |",
        "mdp ||  ",
        "mdp ⇨",
        "mdp : x",
        "mdp",
        ":",
        "Password is",
        "Le mot de passe est maintenant  ",
        "mot de passe c'est",
        "Passwort ist jetzt",
        "mdp estimé",
        "is",
        "Password  \t is \t",
        "mdp" + " " * 300 + ":",
        "mdp" + " " * 300 + "x",
    ],
)
def test_a_line_end_pattern_finds_what_its_unanchored_reading_finds(line: str) -> None:
    """Anchored at a run's start and read whole, each line-end pattern finds the match (its start and end) its
    reading without the anchor and with runs given back finds."""
    for pattern in _LINE_END_PATTERNS:
        source = pattern.pattern.replace("(?<![^\\S\\n])", "").replace("*+", "*").replace("++", "+")
        plain = re.compile(source).search(line)
        found = pattern.search(line)
        assert (found and found.span()) == (plain and plain.span()), (line, pattern.pattern)


def test_the_proof_of_a_digit_in_every_match_reads_re_s_tree_as_re_matches() -> None:
    """The parse tree's reading above, on expressions whose matches are known: each says holds-a-digit exactly when
    re finds no match of it in a text without a digit that is made to match all the rest."""
    holds = [r"[0-9]", r"a1", r"(?:x|y)*[2-7]", r"(?=\w*[0-9])\w+", r"(?<=[0-9])a", r"a(?:1|2)", r"(?!)",
             r"(?P<p>a)?(?(p)1|2)", r"(?>[0-9]+)", r"(?:[0-9]{1,3})++"]  # fmt: skip
    not_holds = [r"\d", r"[^a]", r"[0-9a]", r"a[0-9]?", r"(?:x|1)", r"(?![0-9])a", r"[0-9]{0,3}", r"(?P<p>a)?(?(p)1)",
                 r"(?:1|)", r"x*?"]  # fmt: skip
    assert [p for p in holds if not _every_match_holds(list(_RE_PARSER.parse(p)))] == []
    assert [p for p in not_holds if _every_match_holds(list(_RE_PARSER.parse(p)))] == []
    for p in not_holds:  # each has a match in a text without a digit: the reading above is not merely strict
        assert any(re.search(p, text) for text in ("a", "x", "b", "٣", "aa", "")), p


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text("abc-.é", min_size=1, max_size=4), min_size=1, max_size=8), st.text("abc-.é", max_size=12))
@example(["a", "ab"], "b")
@example(["ab", "a"], "xa")
@example(["a.c"], "abc")
def test_a_grouped_alternation_of_words_finds_what_each_word_finds(words: list[str], text: str) -> None:
    """secrettext._any_of groups words under their common starts: a text holds a match if and only if it holds one
    of the words."""
    found = re.search(secrettext._any_of(words), text) is not None
    assert found == any(word in text for word in words), (words, text)


# Pieces of prose the forms read: labels of a password, a token or a key in their spellings and cases (with the
# letters re matches with ASCII ones when it ignores case), separators, values and non-values, pieces of URLs and
# keys, and the words of associations' and contacts' names.
_PROSE_LABELS = (
    "mdp|MDP|Mot de passe|mots de passe|MOT_DE_PASSE|password|PASSWORD|Passwords|passwd|pwd|PW|pswd|passphrase"
    "|paſſword|PAſS|mot de paſſe|token|Token|TOKENS|jeton|Jetons|secret|Secrets|ſecret|API key|api_key|access key"
    "|Access-Keys|secret key|api \u212aey|clé API|Clé secrète|CLÉ API|clef privée|cle d'accès|clés d'accès"
    "|ToKen|jeton d'accès|Authorization|Bearer"
    # in other languages, with the letters re matches with theirs ignoring case that lower() keeps (ϰ for κ, ᲂ for
    # о, ϱ for ρ, ς for σ) and the copulas of their own
    "|Passwort|KENNWÖRTER|contraseña|Contrasenas|senha|wachtwoord|Hasło|HASLA|lösenord|Losenordet|salasana"
    "|Salasana on|пароль|ПАРОЛЯ|парᲂль|κωδικός πρόσβασης|ϰωδιϰός πϱόσβασης|ΚΩΔΙΚΟΣ ΠΡΟΣΒΑΣΗΣ|parola d'ordine"
    "|parola|PAROLE D’ORDINE|密码|我的密码|密碼|パスワード|비밀번호|패스워드|是|は|는| ist | es | é | är | jest "
    "| er | je | este | és | yra |：|「"
    "|şifre|ŞİFRE|Wi-Fi şifresi|sifre|pasahitza|heslo|HESLA|geslo|lozinka|лозинка|лᲂзинка|adgangskode|kodeord|passord"
    "|lykilorð|parool|salasõna|slaptažodis|jelszó|JELSZÓ|parolă|парола|паролі|fjalëkalim|cyfrinair|pasfhocal|clave"
    "|palabra clave|contrasenya|contrasinal|palavra-passe|كلمة المرور|كلمة السر|رمز عبور|گذرواژه|סיסמה|הסיסמה"
    "|पासवर्ड|mật khẩu|kata sandi|kata laluan|parola chiave|Pass|pass|PASS"
    # a login's and a password's, paired
    "|login/pass|identifiants|IDENTİFİANTS|credentials|creds|user/mdp|identifiant/mot de passe|login et mdp"
    "|compte & Passwort|/| / |admin|priv/|Bitwarden/"
    # a service's name before a pair, any word before one, a PIN's label, a table's cell, a label ending its line
    "|Nextcloud|BDD|base de données|Wi-Fi|ADMIN|accès|Pipedrive|Horaires|code PIN|PIN|code confidentiel|phrase de passe"
    "|m.d.p.|M.D.P| | | :\n  |:\n|\n- |\n|\n\n| -\n|**\n|Mot de passe du wifi\n"
    # a card's, its security code's, a two-factor seed's and recovery codes', a security question's, a door's
    "|Carte|carte bancaire|CB|Visa|credit card|Carte adhérent|CVV|cryptogramme visuel|code de sécurité de la carte"
    "|TOTP|2FA|clé A2F|seed|codes de secours|recovery codes|Réponse secrète|question secrète|réponse|secret answer"
    "|Digicode|code porte|code d'entrée|code alarme|code postal"
)
_PROSE_VALUES = (
    "Azerty123|Zt8kq2LmW9xR|4h8GkZqv2LmN|Soleil2024!|PHP8.2|v2.0.1|2026-03-12|xxxxxx|ticket#4521|1Password"
    "|KeePass2|argon2id|WPA2-PSK|your_password_here|$DB_PASSWORD|../priv/x|a@b.org|getenv('X')"
    "|Velo2024x|Xk29pLm3|4821|asso_main|asso_test2|500Go|14h-18h30|iPhone12|Livebox5|fd00:ab12::1|3f2a9c1e"
    "|4970 1234 5678 9013|4970123456789013|73282932000074|738|JBSWY3DPEHPK3PXP|jbsw y3dp ehpk 3pxp|48213 92817"
    "|a1b2-c3d4|Médor|voir le coffre|à définir|4821B|1234A|69001|Velosolex Jean|Voir Coffre|Cheval Bleu Marteau"
    '|« Velosolex Jean »|"Velo 2024"|Azerty123@gmail.com|JDupont75@asso.org'
)
_PROSE_URLS_AND_KEYS = (
    "https://|ftp://asso:S3cret99@ftp.example.org|mysql://velo:Zt8kq2LmW9@db.example.org/velo|://|?token="
    "|&key=|/cron/|/api/push/|hooks.slack.com/services/T024BE7LD/B08ABCDEF12/4h8GkZqv2LmN9pQr7sTu1VwX"
    "|discord.com/api/webhooks/123456789012345678/Zt8kq2LmW9xRcV4bN7mQ1pL0sD3fG6hJ8kL"
    "|hc-ping.com/3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7b|heartbeat|cronitor|nosnch|checklyhq"
    "|runSchedulerWebcron|AKIA2OGYBAH6RTX5QW3M|ghp_4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5Fh|xoxb-2401234567-4h8GkZqv2LmN"
    "|sk-proj-|SG.|AIza|-us1|-----BEGIN OPENSSH PRIVATE KEY-----|-----END OPENSSH PRIVATE KEY-----"
    "|PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1"
)
_NAME_WORDS = (
    "Association|numéro|123|Contact|Vélo|Montreuil-sous-Bois|Pass Culture|du|compte|FTP|WordPress|le|la"
    "|é|É|ı|İ|\u212a|ſ|ß|Ü|0"
)
# Characters that print as nothing (Default_Ignorable_Code_Point: soft hyphen, zero width space, non-joiner and
# joiner, the directional marks, the Arabic letter mark, word joiner, byte order mark, a variation selector, a Hangul
# filler) and percent-encoded octets, which a reader reads a label through
_INVISIBLE_PIECES = [
    *"\u00ad\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff\ufe0f\u3164",
    *["%3D", "%3A", "%20", "%70wd", "%0A", "%"],
]
_PROSE_PIECES = st.sampled_from(
    [
        *_PROSE_LABELS.split("|"),
        *[" ", " : ", ":", "=", " -> ", " => ", " → ", " est ", " c'est ", " is now ", " was ", "\u00a0: ", "\n"],
        # a line broken after a pair's '/', around an '@', before a separator, after a '|'
        *[" /\n", "/\n  ", "@\n", "\n@", "\n: ", " |\n", " ⇨\n"],
        *["**", "`", "« ", " »", '"', "'", "(", ")", ",", ";", "."],
        *_INVISIBLE_PIECES,
        *_PROSE_VALUES.split("|"),
        *_PROSE_URLS_AND_KEYS.split("|"),
        *_NAME_WORDS.split("|"),
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PROSE_PIECES, min_size=1, max_size=10).map("".join))
@example("Association numéro 123")
@example("sk-proj-Mot de passe JBSWY3DPEHPK3PXP")  # a label of words glued after '-': found by its gate too
@example("Contact 123")
@example("mot de paſſe : Azerty123")
@example("api \u212aey : Zt8kq2LmW9xR")
@example("CLÉ API : Zt8kq2LmW9xR")
@example("clef privée : Zt8kq2LmW9xR")
@example("cle d'accès = 4h8GkZqv2LmN")
@example("PSWD -> Azerty123")
@example("парᲂль: Azerty123")
@example("ϰωδιϰός πϱόσβασης: Azerty123")
@example("IDENTİFİANTS : admin / Azerty123")
@example("我的密码：Azerty123")
@example("marie:Lilas2024x\n@sftp.asso.org")
@example("marie:Lilas2024x@\nsftp.asso.org")
@example("FTP : asso /\nVelo2024x")
@example("Pipedrive : asso /\n  Xk29pLm3")
@example("Identifiants Nextcloud :\n  asso /\n  Velo2024x")
def test_prose_forms_skipped_for_the_words_they_need_give_every_forms_verdict(text: str) -> None:
    """``prose_secret`` searches no further a text holding none of the words its forms need, and tries each form
    only on a text holding one of its own: the verdict (kind and place) is that of every form tried."""
    _prose_needs_hold(text)


def _prose_texts() -> list[str]:
    from tests.test_prose_secrets import ACCEPTED, REFUSED

    texts = [*ACCEPTED, *(text for text, _kind, _secret in REFUSED), *_SECRET_FORMS]
    return [*texts, *(t.upper() for t in texts), *(t.lower() for t in texts)]


@pytest.mark.parametrize("text", _prose_texts())
def test_each_note_and_secret_of_the_corpora_gets_every_prose_forms_verdict(text: str) -> None:
    _prose_needs_hold(text)


def test_the_letters_re_matches_with_e_acute_ignoring_case_are_e_acute_in_lower_case() -> None:
    """A word needed by a form holds é (clé): every character re matches with it, ignoring case, is é in lower
    case."""
    found = [c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch("(?i)é", c)]
    assert found == ["É", "é"]
    assert {c.lower() for c in found} == {"é"}


# A key's comment read as plain before pic.registry._plain_comment: one pattern, the access key searched for in every
# comment by a lookahead.
_PLAIN_COMMENT_IN_ONE = re.compile(rf"(?!.*(?:{secrettext.ACCESS_KEY}))[A-Za-z0-9_.@+-]{{1,39}}")
_COMMENT_PIECES = st.sampled_from(
    ["a", "Z", "0", "9", "f", "@", ".", "_", "-", "+", " ", "é", "=", ":", "marie", "laptop", "AKIA", "ASIA", "gh",
     "p_", "github_pat_", "glpat-", "xoxb-", "xapp-1-", "sk_live_", "rk_live_", "-us1", "xkeysib-", "SG.", "sk-",
     "sk-proj-", "sk-ant-api03-", "AIza", "/bot", "12345678:AA", "ABCDEFGHIJKLMNOP", "abcdef0123456789" * 2]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(_COMMENT_PIECES, min_size=1, max_size=8).map("".join))
@example("marie@laptop")
@example("AKIA2OGYBAH6RTX5QW3M")
@example("x@AKIA2OGYBAH6RTX5QW3M")
@example("ASIA2OGYBAH6RTX5QW3M")
@example("ghp_" + "a" * 30)
@example("glpat-" + "a" * 20)
@example("xoxb-0123456789abc")
@example("sk_live_" + "a" * 24)
@example("0123456789abcdef0123456789abcdef-us12")
@example("AIza" + "b" * 35)
@example("akia2ogybah6rtx5qw3m")
def test_a_key_comment_read_as_plain_gives_the_one_pattern_verdict(comment: str) -> None:
    """A key's comment is plain (no form of secret text tried on it) exactly when the one pattern of a word with no
    access key in it says so: the access key is looked for only in a comment holding a word it needs."""
    assert registry._plain_comment(comment) == (_PLAIN_COMMENT_IN_ONE.fullmatch(comment) is not None)


# Pieces of a subscriber export's lines (pic lists audit): addresses, a dump's fields, names, cells apart, and the
# labels, values, URLs and commands a secret pasted among them is written with.
_EXPORT_WORDS = (
    "jean.dupont@orange.fr|user1.123456@gmail.com|a-b+c@free.fr|x@xn--caf-dma.fr|Zoé@laposte.net|@|.|-|+"
    "|email |gecos |reception mail|Jean|Dupont|Hélène|O'Brien|Pinto|Leclerc|Walter|Ricardo|Hugh|0612345678"
)
_EXPORT_PIECES = st.sampled_from(
    [
        *_EXPORT_WORDS.split("|"),
        *[",", ";", "\t", '"', " ", "  ", "ı", "ſ", "\u212a", "ＭＤＰ", "m.", "d.", "p.", "‑", "Ä"],
        *_INVISIBLE_PIECES,
        "a" * 20,
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w",
        *_PROSE_LABELS.split("|")[:40],
        *_PROSE_VALUES.split("|"),
        *_PROSE_URLS_AND_KEYS.split("|")[:8],
        *_PROGRAMS.split()[:20],
        *_SIGNS,
    ]
)


def test_the_usual_lines_of_an_export_hold_no_secret_word() -> None:
    """An address alone, a dump's field, an address and a name hold none of the words a form of a secret needs: the
    full check is not run on them (an '@' is no such word)."""
    for line in (
        "email user1.123456@gmail.com",
        "gecos Hélène Dupont",
        "reception mail",
        "jean.dupont@orange.fr,Jean,Dupont",
        '"ann@free.fr";"Ann Smith"',
        "zoé@laposte.net\tZoé",
    ):
        assert secrettext.no_secret_word(line), line
        assert secrettext.no_secret_word(lists_audit.as_words(line)), line
    for line in (
        "mdp Azerty123",
        "bob:Soleil2024x@sftp.example.org",
        "ＭＤＰ Ａｚｅｒｔｙ１２３",
        "a" * 40,
        "$X",
        "٢fa ٤٨٢١",
    ):
        assert not secrettext.no_secret_word(line), line


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(_EXPORT_PIECES, _PROSE_PIECES, _SECRET_PIECES), min_size=1, max_size=12).map("".join))
@example("m.;d.;p.;Azerty123")
@example("bob:Soleil2024x@sftp.example.org")
@example("Azerty123;mdp")
@example("ＭＤＰ Ａｚｅｒｔｙ１２３")
@example("m\u00addp: Azerty123")
@example("pass\u2060word Azerty123")
@example("סיסמה\u200f: Velo2024x")
@example("max@example.org;Max;Pass\u200cwort;Sonne2024x")
@example("mailto:luc@gmial.com?subject=%70wd%3DAzerty123")
@example("mdp : Azerty١٢٣٤")
@example("٢fa : JBSWY3DPEHPK3PXP")
def test_a_text_holding_no_secret_word_gets_every_checks_verdict(text: str) -> None:
    """A text ``no_secret_word`` passes is no secret to secret_kind nor prose_secret; a line of an export it passes
    as written and as words is none to pic lists audit's full check."""
    if secrettext.no_secret_word(text):
        assert secrettext.secret_kind(text) is None, text
        assert secrettext.prose_secret(text) is None, text
    assert lists_audit._may_hold_secret(text) == lists_audit._holds_secret(text), text


_FILE_NAMES = st.lists(
    st.builds(
        lambda head, tail: head + tail,
        st.text("ab_.~ \n\u00e9", max_size=4),
        st.sampled_from([".yaml", ".YAML", ".yml", ".yaml ", ".yaml~", ".yaml.orig", "", ".json", "yaml"]),
    ).filter(lambda name: name not in ("", ".", "..")),
    unique=True,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_FILE_NAMES, st.lists(st.sampled_from(["x.yaml", "_y.yaml", ".z.yaml", "d"]), unique=True))
def test_member_names_are_the_names_of_the_member_files(files: list[str], directories: list[str]) -> None:
    """``registry.member_names`` (one listing, no path per file) gives the names of ``member_files`` (``Path.glob``),
    in the same order: hidden and ``_`` names left out, a directory named like a member file kept (refused when
    read), ``.YAML``, ``.yml`` and names after ``.yaml`` left out."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for name in directories:
            (directory / name).mkdir()
        for name in files:
            if name not in directories:
                (directory / name).write_text("uid: 1\n", encoding="utf-8")
        assert registry.member_names(directory) == [p.name for p in registry.member_files(directory)]


def _section_defaults() -> list[tuple[str, object]]:
    """Every field of the models of pic.settings and pic.registry whose default is a model (``access``, ``db``...)."""
    import pydantic

    from pic import settings as settings_module

    out: list[tuple[str, object]] = []
    for module in (settings_module, registry):
        for owner in vars(module).values():
            if not (isinstance(owner, type) and issubclass(owner, pydantic.BaseModel)):
                continue
            if owner.__module__ == module.__name__:
                for name, info in owner.model_fields.items():
                    if isinstance(info.default, pydantic.BaseModel):
                        out.append((f"{owner.__name__}.{name}", info.default))
    return out


@pytest.mark.parametrize(("field", "default"), _section_defaults(), ids=[f for f, _ in _section_defaults()])
def test_a_section_left_out_is_the_section_validated_empty(field: str, default: object) -> None:
    """A section's default is made by ``model_construct`` (no validator built for it at import: the parent's checks
    its content): it is the section validated from an empty mapping, field by field, with no field given."""
    import pydantic

    assert isinstance(default, pydantic.BaseModel)
    validated = type(default).model_validate({})
    assert default == validated
    assert default.__dict__ == validated.__dict__
    assert {k: type(v) for k, v in default.__dict__.items()} == {k: type(v) for k, v in validated.__dict__.items()}
    assert default.model_fields_set == validated.model_fields_set == set()


def test_the_command_line_builds_no_sections_validator_at_import() -> None:
    """Importing ``pic.cli`` (every command's start) builds none of the sections' own validators: a section is
    validated inside its parent's, and a default made by calling the model would build one for each (about 100
    million instructions of ``pic check``'s start, bench/bench_check.py)."""
    import subprocess

    program = (
        "import pic.cli, pydantic\n"
        "from pic import registry, settings\n"
        "models = [m for module in (registry, settings) for m in vars(module).values()\n"
        "          if isinstance(m, type) and issubclass(m, pydantic.BaseModel)]\n"
        "print(sorted({type(f.default).__name__ for m in models for f in m.model_fields.values()\n"
        "              if isinstance(f.default, pydantic.BaseModel) and type(f.default).__pydantic_complete__}))\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=root)
    assert done.stdout.strip() == "[]"
    assert len(_section_defaults()) == 9  # backup, limits, proxy, db, dns, notify, disk; access, exceptions


def test_the_first_bytes_tell_the_other_encodings_as_the_patterns_do() -> None:
    """A file told at once by its first two bytes is one no pattern of the other encodings matches: every start of
    four bytes among those the patterns name (NUL, the byte-order marks' FE and FF), a line break, ASCII and the
    first bytes of UTF-8 sequences, then more text."""
    alphabet = [b"\x00", b"\xfe", b"\xff", b"\n", b"a", b"\xc3", b"\xa9", b"\xef", b"\xbb", b"\xbf"]
    for a in alphabet:
        for b in alphabet:
            for c in alphabet:
                for d in alphabet:
                    for data in (a + b + c + d, a + b + c + d + b"name: x\n", a + b, a):
                        full = next((name for pattern, name in yamlsrc._OTHER_ENCODINGS if pattern.match(data)), None)
                        told = yamlsrc._other_encoding(data)
                        assert (told is None) == (full is None), data
                        assert told is None or told.startswith(full or ""), data


# A separator made of a run of one sign (-->, ==>, ~~>, >>>, ||) in the forms of secrets in prose, as its source writes
# it
_SIGN_RUNS = re.compile(r"(?P<before>\(\?<!(?:-|=|~|>|\\\|)\))?(?P<run>-\+>|=\+>|~\+>|>>\+\+?|\\\|\+\+?)")


def test_a_separator_s_run_of_signs_is_read_once() -> None:
    """A search tries a separator at each place of a note: a run of its sign read greedily, then given back one sign at
    a time, from each place inside a long run (mdp and 16,000 '-', '=' or '|', a comment's line: 12 to 24 s, and
    quadratic) reads the run as often as it is long. In the source of pic.secrettext, every run starts only where its
    run starts (a lookbehind refusing its sign before it), and a run of '|' or '>' that ends the separator is read
    whole (possessive: never given back)."""
    source = Path(secrettext.__file__).read_text(encoding="utf-8")
    runs = list(_SIGN_RUNS.finditer(source))
    assert len(runs) >= 5, [m.group() for m in runs]
    assert {m.group("run") for m in runs} >= {"-+>", "=+>", "~+>", ">>++", "\\|++"}, [m.group() for m in runs]
    for m in runs:
        run = m.group("run")
        if run.startswith(("\\|", ">")):
            assert run.endswith("++"), m.group()
        sign = "\\|" if run.startswith("\\|") else run[0]
        assert m.group("before") == f"(?<!{sign})", m.group()


@pytest.mark.parametrize(
    "text",
    [
        "mdp --> Lilas2024x!",
        "mdp ==> Lilas2024x!",
        "mdp wifi--> Lilas2024x!",
        "mdp wifi-->Lilas2024x!",
        "mdp ---->\nLilas2024x!",
        "mdp ||| Lilas2024x!",
        "mdp |||Lilas2024x!",
        "mdp ||\nLilas2024x!",
        "mdp\n--> Lilas2024x!",
        "phrase de passe de-la-box --> Kék Ház Sárga",
        "phrase de passe --> Le Chat Noir Dort",
        "mdp - -> Lilas2024x!",
        "mdp = => Lilas2024x!",
        "mdp " + "-" * 300 + ">" + " Lilas2024x!",
        "mdp " + "-" * 300 + "\nLilas2024x",
        "mdp " + "=" * 300 + "\nLilas2024x",
        "mdp " + "|" * 300 + "\nLilas2024x",
        "mdp ~> Lilas2024x!",
        "mdp ~~~> Lilas2024x!",
        "mdp >> Lilas2024x!",
        "mdp >>>Lilas2024x!",
        "mdp\n>> Lilas2024x!",
        "mdp " + ">" * 300 + "\nLilas2024x",
        "mdp " + "~" * 300 + ">\nLilas2024x",
        "mdp " + "~" * 300 + "\nLilas2024x",
    ],
)
def test_a_separator_read_once_finds_what_it_found_given_back(text: str) -> None:
    """The forms read with their runs of signs anchored and whole find what their reading without the anchors and with
    the runs given back finds: prose_secret's verdict, and where the secret starts."""
    assert secrettext.prose_secret(text) == _module_without_anchors().prose_secret(text)


@functools.cache
def _module_without_anchors() -> Any:
    """pic.secrettext compiled from its source without the anchors of its runs of signs, as a module of its own."""
    source = Path(secrettext.__file__).read_text(encoding="utf-8")
    plain = (
        source.replace("(?<!-)-+>", "-+>")
        .replace("(?<!=)=+>", "=+>")
        .replace("(?<!~)~+>", "~+>")
        .replace("(?<!>)>>++", ">>+")
        .replace("(?<!\\|)\\|++", "\\|+")
    )
    return _secrettext_from(plain, "pic_secrettext_without_anchors")


def _secrettext_from(source: str, name: str) -> Any:
    """pic.secrettext compiled from ``source`` (its own, changed), as a module ``name`` of its own."""
    assert source != Path(secrettext.__file__).read_text(encoding="utf-8")
    module = types.ModuleType(name)
    module.__file__ = secrettext.__file__
    exec(compile(source, secrettext.__file__, "exec"), module.__dict__)
    return module


# The parts of the prose forms between a label and its value, and the table's rows: each a sequence of runs of blanks
# that stand side by side or around optional signs (a separator's, quotes, a list's mark)
_BETWEEN_LABEL_AND_VALUE = {
    "_PROSE_OPENING": secrettext._PROSE_OPENING,
    "_PROSE_SEPARATOR": secrettext._PROSE_SEPARATOR,
    "_PROSE_NEXT_LINE": secrettext._PROSE_NEXT_LINE,
    "_TABLE_ROW": secrettext._TABLE_ROW.pattern,
    "_TABLE_RULE": secrettext._TABLE_RULE.pattern,
}


@pytest.mark.parametrize("name", sorted(_BETWEEN_LABEL_AND_VALUE))
def test_the_blanks_between_a_label_and_its_value_are_read_once(name: str) -> None:
    """Two runs of blanks side by side (a separator's, then the opening of the value: mdp : and 4,000 blanks before
    the line's end, a note's most) share a run in as many ways as it is long when what follows fails, and a third
    (a quote opening a passphrase, then blanks) makes it cubic: 3.6 s, and 126 s for 'mdp : "' and 4,000 blanks.
    Each run there is read whole (possessive: never given back)."""
    source = _BETWEEN_LABEL_AND_VALUE[name]
    runs = _BLANK_RUN.findall(source)
    assert runs, source
    assert all(run.endswith(("*+", "++")) for run in runs), (name, runs)


_BLANK = " "
_BLANK_RUN_TEXTS = [
    "mdp :" + _BLANK * 40 + "\nx1",
    "mdp :" + _BLANK * 40 + "Lilas2024x!",
    "mdp :" + _BLANK * 40 + "\nLilas2024x!",
    "mdp :\n" + _BLANK * 40 + "Lilas2024x!",
    "mdp\n" + _BLANK * 40 + ":" + _BLANK * 40 + "Lilas2024x!",
    'mdp : "' + _BLANK * 30 + "\n1",
    'mdp : "' + _BLANK * 5 + 'Lilas 2024 Vélo"',
    'mot de passe :\n"' + _BLANK * 5 + 'Lilas 2024!"',
    "| mdp | Lilas2024x! |\n" + _BLANK * 40 + "\n",
    "| mdp |" + _BLANK * 40 + "| 1",
    "| identifiant | mot de passe |\n|---|---|\n| marie | Lilas2024x! |",
    "| identifiant | mot de passe |\n"
    + _BLANK * 3
    + "|"
    + _BLANK * 3
    + ":--"
    + _BLANK * 2
    + "|---|\n| marie | Lilas2024x! |",
    "mot de passe |\n|" + _BLANK * 4 + "Lilas2024x!" + _BLANK * 4 + "|",
    "mdp -" + _BLANK * 40 + "\nx1",
    "mdp" + _BLANK * 3 + "-" + _BLANK * 3 + "Lilas2024x!",
    "mdp" + _BLANK * 3 + "--" + _BLANK * 3 + "Lilas2024x!",
    "mdp ▶" + _BLANK * 40 + "\nLilas2024x!",
    "mdp :" + "\u00a0" * 40 + "\nx1",
    "mdp :\t\t\t\n\t- Lilas2024x!",
    "mdp :" + _BLANK * 3 + "\n" + _BLANK * 3 + "•" + _BLANK * 3 + "Lilas2024x!",
    "Le mot de passe est" + _BLANK * 5 + "Lilas2024x!",
    "Le mot de passe est maintenant" + _BLANK * 5 + "Lilas2024x!",
    "mot de passe" + _BLANK * 4 + ":" + _BLANK * 4 + "*" + _BLANK * 4 + "Lilas2024x!",
    "mot de passe :  `  Lilas2024x!  `",
    "Passwort ist   Geheim2024x",
    "mdp :   « Lilas 2024 Vélo »",
    "mdp\n\n:   Lilas2024x!",
    "Mot de passe :\n   \n   Velo2024x",
]


@pytest.mark.parametrize("text", _BLANK_RUN_TEXTS)
def test_blanks_read_once_find_what_they_found_given_back(text: str) -> None:
    """The forms reading their runs of blanks whole find what their reading with the runs given back finds:
    prose_secret's verdict, and where the secret starts."""
    assert secrettext.prose_secret(text) == _module_with_blanks_given_back().prose_secret(text)


@functools.cache
def _module_with_blanks_given_back() -> Any:
    """pic.secrettext compiled from its source with every run of blanks read as re reads a greedy one, given back
    one blank at a time, as a module of its own."""
    source = Path(secrettext.__file__).read_text(encoding="utf-8")
    plain = source.replace("[^\\S\\n]*+", "[^\\S\\n]*").replace("[^\\S\\n]++", "[^\\S\\n]+")
    return _secrettext_from(plain, "pic_secrettext_with_blanks_given_back")
