"""``pic check``'s warning of a contact's address that ``pic lists audit`` would flag (pic.check._contact_unreachable),
read in process on members written to a temporary directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pic.check import member_warnings
from pic.errors import Problem
from pic.registry import load_registry
from pic.settings import Settings, load_settings
from tests.conftest import ROOT
from tests.helpers import member, write_members

ON = dt.date(2026, 12, 3)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(ROOT, "prod")


def _contact_warnings(tmp_path: Path, settings: Settings, email: str, **fields: Any) -> list[Problem]:
    data = member(contact={"name": "Case Contact", "email": email}, **fields)
    registry = load_registry(write_members(tmp_path / "m", {"case-member": data}), settings)
    return [p for p in member_warnings(registry, settings, ON) if p.path == "contact.email"]


@pytest.mark.parametrize(
    ("email", "fields"),
    [
        ("bureau@orage.fr", {"site": {"domains": ["www.orage.fr"], "php": "8.4"}}),
        ("bureau@orage.fr", {"lists": {"domain": "listes.orage.fr"}}),
        ("bureau@mail.orage.fr", {"site": {"domains": ["orage.fr"], "php": "8.4"}}),
        ("bureau@orage.fr", {"site": {"domains": ["orage.fr"], "php": "8.4"}}),
    ],
)
def test_a_contact_at_the_member_s_own_domain_is_not_looked_at(
    tmp_path: Path, settings: Settings, email: str, fields: dict[str, Any]
) -> None:
    """orage.fr is one letter from orange.fr: at the domain of the member's www. site or of its listes. domain (or
    under its site's), it is the association's own, not a slip."""
    assert _contact_warnings(tmp_path, settings, "bureau@orage.fr") != []  # a slip when it is no one's own
    assert _contact_warnings(tmp_path / "own", settings, email, **fields) == []


@pytest.mark.parametrize(
    ("fields", "runtime"),
    [
        ({"site": {"domains": ["case-asso.fr"], "php": "8.4"}}, True),
        ({"lists": {"domain": "listes.case-asso.fr"}}, False),
        ({}, False),
    ],
)
def test_a_member_without_a_site_is_told_of_no_runtime(
    tmp_path: Path, settings: Settings, fields: dict[str, Any], runtime: bool
) -> None:
    """pic notify writes of a site's runtime: to a member with lists alone, or nothing, it writes nothing."""
    (warning,) = _contact_warnings(tmp_path, settings, "bureau@gmial.com", **fields)
    assert warning.message.startswith('"bureau@gmial.com": misspelled domain'), warning.message
    assert "would not reach the contact" in warning.message, warning.message
    assert ("end of life" in warning.message) is runtime, warning.message


@pytest.mark.parametrize(
    ("email", "said"),
    [
        ("bureau@exemple.例子", ": unknown top-level domain .例子:"),
        ("bureau@orangé.fr", ": misspelled domain: probably orange.fr (suggested: bureau@orange.fr):"),
        ("bureau@ORANGÉ.FR", ": misspelled domain: probably orange.fr (suggested: bureau@orange.fr):"),
    ],
)
def test_an_internationalised_contact_domain_is_read_as_pic_lists_audit_reads_it(
    tmp_path: Path, settings: Settings, email: str, said: str
) -> None:
    """The domain as written (in Unicode), as pic lists audit reads a subscriber's: not its punycode, which
    named a top-level domain the admin never wrote (.xn--fsqu00a) and hid a slip of orange.fr (xn--orang-fsa.fr)."""
    (warning,) = _contact_warnings(tmp_path, settings, email)
    assert said in warning.message and "xn--" not in warning.message, warning.message


@pytest.mark.parametrize(
    ("email", "hint"),
    [
        ("élodie@velo-cite.asso-exemple.fr", "elodie@velo-cite.asso-exemple.fr"),
        ("élodie@café.asso-exemple.fr", "elodie@café.asso-exemple.fr"),
        ("Renée.Dupont@asso-exemple.fr", "Renee.Dupont@asso-exemple.fr"),
        ("Łukasz@asso-exemple.fr", None),  # a letter of its own, not e with an accent: no guess
        ("玛丽@asso-exemple.fr", None),
    ],
)
def test_a_contact_with_letters_beyond_ascii_before_the_at_is_warned_of(
    tmp_path: Path, settings: Settings, email: str, hint: str | None
) -> None:
    """An internationalised local part (RFC 6531) reaches the contact only through servers that all offer
    SMTPUTF8: pic check warns, naming the line and the value, with an ASCII address of the same person to ask
    for; a domain alone in Unicode is sent in punycode (IDNA) and is not warned of."""
    (warning,) = _contact_warnings(tmp_path, settings, email)
    assert warning.severity == "warning" and warning.line is not None, warning
    assert email in warning.message and "SMTPUTF8" in warning.message and "RFC 6531" in warning.message, warning
    if hint is None:
        assert "e.g." not in warning.message, warning.message
    else:
        assert f"e.g. {hint}" in warning.message, warning.message
    assert _contact_warnings(tmp_path / "idn", settings, "marie@café.asso-exemple.fr") == []
