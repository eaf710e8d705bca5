"""A public name refused (a domain, a host's user, a database's, a list's domain, a stack's) is shown with the name
to write, though it mixes capitals, small letters and digits as password rules ask (Prod2024, Deploy2024,
Lyon2024.fr): a word then its number is how such names are made. A value there shaped as a password (Lilas2024x,
LILAS2024X, Soleil-Azur-75, PassWord1, a capital then velo75paris) stays hidden (pic.secrettext.public_name_hidden)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pic.cli import main
from pic.errors import PicError
from pic.settings import STACK_NAME, load_settings
from pic.yamlsrc import is_public_name_field
from tests.conftest import ROOT
from tests.helpers import project_copy
from tests.test_fields import MINIMAL, SITE, _messages

HIDDEN = "the value (not shown: it may be a secret)"
# Public names as they are written, a word and its number (shown), and passwords pasted there (hidden)
NAMES = ["Prod2024", "Deploy2024", "Lyon2024", "Asso2024", "Web01", "Backup2025"]
# names as a name's word is read in a free-text field (pic.registry): capitals inside then their number (iPhone12,
# EcoLogis2024), two words joined by 2 or 4 read as to and for (Tech4Good), a product's release (PrestaShop8,
# phpMyAdmin5, ProxmoxVE8): shown, as a name's word is accepted there
NAMES += ["iPhone12", "EcoLogis2024", "Tech4Good", "PrestaShop8", "phpMyAdmin5", "ProxmoxVE8"]
PASSWORDS = ["Lilas2024x", "LILAS2024X", "PassWord1", "Soleil-Azur-75", "Velo75paris", "Pass1Word", "0xCafe1234"]
# a word then a number as passwords end: a digit alone, a run of the keyboard's (as a name's word is read)
PASSWORDS += ["Password1", "Azerty123", "Soleil1234", "MotDePasse2024"]
# a common password's word (the lists of leaked passwords: welcome, hunter, azerty, admin) then a number, capitals
# inside or not, as a name's word is read: hidden though shaped as a word and its number (Lyon2024)
PASSWORDS += ["Welcome2024", "Hunter2024", "PassWord2024", "Admin2024"]
# passwords with a sign in them, no word then its number there (hidden before public names were shown): said in
# the fields of names but the domains' (a domain's .fr after them makes them a name's form, shown as before)
SIGNED = ["P@ssw0rd", "m0tdep@sse", "xK9#mQ2$", "Passw0rd!"]


@pytest.mark.parametrize("name", NAMES)
def test_a_domain_in_capitals_a_word_and_its_number_is_shown_and_offered_in_lowercase(name: str) -> None:
    """site.domains: Lyon2024.fr was told 'the value (not shown: it may be a secret) has uppercase letters: write it
    in lowercase', the name to write withheld (lyon2024.fr): a domain is public, said and offered."""
    for field, text in (
        ("site.domains[0]", SITE.replace("probe-asso.org]", f"{name}.fr]")),
        ("lists.domain", MINIMAL + f"lists: {{domain: listes.{name}.fr}}\n"),
    ):
        [line] = _messages(text)
        assert f"{field}: " in line and HIDDEN not in line, line
        assert name in line and f"{name.lower()}.fr'" in line, line


@pytest.mark.parametrize("password", PASSWORDS)
def test_a_domain_holding_a_password_s_shape_stays_hidden(password: str) -> None:
    [line] = _messages(SITE.replace("probe-asso.org]", f"{password}.fr]"))
    assert HIDDEN in line and password not in line and password.lower() not in line, line


@pytest.mark.parametrize("password", SIGNED)
def test_a_password_with_signs_given_for_a_domain_stays_hidden(password: str) -> None:
    """site.domains: ['P@ssw0rd'] (and xK9#mQ2$, Passw0rd!) was told whole ('"P@ssw0rd" holds '@' ...') once public
    names were shown: hidden, as before."""
    [line] = _messages(SITE.replace("probe-asso.org]", f"'{password}']"))
    assert HIDDEN in line and password not in line and password.lower() not in line, line


# a password's letters written as digits and signs before a domain's ending: no domain's label holds them
SIGNED_DOMAINS = ["P@ssw0rd.fr", "Pa$$w0rd.fr", "m0tdep@sse.fr", "Passw0rd!.fr", "W3lc0me2024.org"]


@pytest.mark.parametrize("domain", SIGNED_DOMAINS)
def test_a_common_password_before_a_domain_s_ending_stays_hidden(domain: str) -> None:
    """site.domains: P@ssw0rd.fr was told whole ('"P@ssw0rd.fr" holds '@': a name has none'), the password cut in two
    at its '@' and each half read alone, the name's ending making the rest a name: a common password's word, its
    letters written as digits and signs, is read whole in a domain's label, and hidden."""
    for field, text in (
        ("site.domains[0]", SITE.replace("probe-asso.org]", f"'{domain}']")),
        ("lists.domain", MINIMAL + f"lists: {{domain: 'listes.{domain}'}}\n"),
    ):
        [line] = _messages(text)
        assert f"{field}: {HIDDEN}" in line and domain.split(".", maxsplit=1)[0] not in line, line


@pytest.mark.parametrize("domain", ["welcome2024.fr/", "marie@asso-lyon.fr", "admin2@asso-lyon.fr"])
def test_a_domain_in_small_letters_or_an_address_given_for_one_is_shown(domain: str) -> None:
    """A name written as names are, in small letters (welcome2024.fr, an event's), and an address given where a
    domain goes are shown, as before."""
    [line] = _messages(SITE.replace("probe-asso.org]", f"'{domain}']"))
    assert HIDDEN not in line and domain in line, line


@pytest.mark.parametrize("name", NAMES)
def test_a_database_s_name_a_word_and_its_number_is_shown_and_offered(name: str) -> None:
    """databases: [Prod2024] was told 'the value (not shown: it may be a secret) is not allowed here', the name in
    small letters not offered."""
    [line] = _messages(MINIMAL + f"databases: [{name}]\n")
    assert HIDDEN not in line and f'"{name}"' in line and f"did you mean '{name.lower()}'?" in line, line


@pytest.mark.parametrize("password", PASSWORDS + SIGNED)
def test_a_database_s_name_shaped_as_a_password_stays_hidden(password: str) -> None:
    [line] = _messages(MINIMAL + f"databases: [{password}]\n")
    assert HIDDEN in line and password not in line and password.lower() not in line, line


def _ssh_user(tmp_path: Path, user: str) -> list[str]:
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text(encoding="utf-8").replace("ssh_user: deploy", f"ssh_user: {user}"), "utf-8")
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    return [p.message for p in info.value.problems if "ssh_user" in p.path]


@pytest.mark.parametrize("user", NAMES)
def test_an_ssh_user_a_word_and_its_number_is_shown(tmp_path: Path, user: str) -> None:
    """pic:hosts.web1.ssh_user: Deploy2024 was told 'the value (not shown: it may be a secret) is not allowed here: a
    unix user name (lowercase letters...)': a user's name is no secret, said as written."""
    messages = _ssh_user(tmp_path, user)
    assert messages and all(HIDDEN not in m and user in m for m in messages), messages


@pytest.mark.parametrize("password", PASSWORDS + SIGNED)
def test_an_ssh_user_shaped_as_a_password_stays_hidden(tmp_path: Path, password: str) -> None:
    messages = _ssh_user(tmp_path, password)
    assert messages and all(HIDDEN in m and password not in m for m in messages), messages


@pytest.mark.parametrize("user", ["deploy@web1", "root@Web01", "Deploy2024@web1", "pic_deploy@203.0.113.10"])
def test_an_ssh_user_written_with_its_host_is_shown(tmp_path: Path, user: str) -> None:
    """ssh_user: deploy@web1 (the user and the host, as ssh takes them) is shown, a user's name and a host's being
    no secret, as the @ of a password beside the rest (P@ssw0rd, m0tdep@sse) is not."""
    messages = _ssh_user(tmp_path, user)
    assert messages and all(HIDDEN not in m and user in m for m in messages), messages


@pytest.mark.parametrize("stack", ["Prod2024", "Staging2025", "Lab2026"])
def test_a_stack_named_a_word_and_its_number_is_named(stack: str, capsys: pytest.CaptureFixture[str]) -> None:
    """pic check --stack Prod2024 was told '--stack: the value (not shown: it may be a secret) names no stack file':
    a stack's name is public (its file's, Pulumi.Prod2024.yaml), said with the stacks there."""
    rc = main(["check", "--stack", stack, "--project", str(ROOT)])
    err = capsys.readouterr().err
    assert rc == 1 and f"Pulumi.{stack}.yaml no such stack file (stacks here: dev, lab, prod)" in err, err
    assert HIDDEN not in err, err


# a word shorter than passwords are typed (web2day, as a note of one word passes), a program's, a disk's or an
# interface's name (sha256sum, base64url, nvme0n1p1, enp0s31f6): shown, as a note of that word is accepted
TECHNICAL = ["web2day", "sha256sum", "base64url", "nvme0n1p1", "enp0s31f6", "debian12u1"]


@pytest.mark.parametrize("stack", TECHNICAL)
def test_a_stack_named_a_short_or_a_technical_word_is_named(stack: str, capsys: pytest.CaptureFixture[str]) -> None:
    """pic check --stack web2day was told '--stack: the value (not shown: it may be a secret) names no stack file',
    where notes: web2day is accepted as no password: the name is said, as the notes rule reads it."""
    rc = main(["check", "--stack", stack, "--project", str(ROOT)])
    err = capsys.readouterr().err
    assert rc == 1 and f"Pulumi.{stack}.yaml no such stack file (stacks here: dev, lab, prod)" in err, err
    assert HIDDEN not in err, err


@pytest.mark.parametrize("name", TECHNICAL)
def test_a_short_or_a_technical_word_is_a_public_name_shown(name: str) -> None:
    """The rule every public name's field reads (a database's, a host's user, a domain's label): shown."""
    from pic.secrettext import public_name_hidden

    assert not public_name_hidden(name) and not public_name_hidden(f"{name}.fr")


@pytest.mark.parametrize("stack", PASSWORDS + SIGNED)
def test_a_stack_named_as_a_password_stays_hidden(stack: str, capsys: pytest.CaptureFixture[str]) -> None:
    """pic check --stack 'xK9#mQ2$' (a sign no stack's name holds) was told ''xK9#mQ2$' is not a stack name', the
    password typed at the wrong prompt shown whole."""
    argv = ["check", "--stack", stack, "--project", str(ROOT)]
    if STACK_NAME.fullmatch(stack) is None:  # a usage error: no stack's name
        with pytest.raises(SystemExit) as caught:
            main(argv)
        err = capsys.readouterr().err
        assert caught.value.code == 2 and f"--stack: {HIDDEN} is not a stack name" in err and stack not in err, err
        return
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 1 and f"--stack: {HIDDEN} names no stack file" in err and stack not in err, err


@pytest.mark.parametrize(
    "loc",
    [
        ("site", "domains", 0),
        ("lists", "domain"),
        ("databases", 1),
        ("hosts", "web1", "ssh_user"),
        ("hosts", "web1", "address"),
        ("hosts", "db", "private_address"),
        ("host",),
    ],
)
def test_the_public_names_fields(loc: tuple[str | int, ...]) -> None:
    assert is_public_name_field(loc)


@pytest.mark.parametrize("loc", [("notes",), ("contact", "name"), ("php_settings", "password"), ("name",)])
def test_fields_of_free_text_or_secrets_are_no_public_names(loc: tuple[str | int, ...]) -> None:
    assert not is_public_name_field(loc)


@pytest.mark.parametrize("written", ["--domain", "--domain="])
def test_a_domain_given_to_pic_new_a_word_and_its_number_is_shown_and_offered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    """pic new --domain Lyon2024.fr was told 'the value (not shown: it may be a secret) has uppercase letters: write
    it in lowercase (the value (not shown: it may be a secret))', an offer of nothing; --domain Lilas2024x.fr is
    still hidden, no offer made."""
    members = tmp_path / "members"
    members.mkdir()
    for domain, shown in (("Lyon2024.fr", True), ("Lilas2024x.fr", False)):
        given = [written + domain] if written.endswith("=") else [written, domain]
        argv = ["new", "velo-test", "--name", "Velo", "--email", "a@velo-test.org", *given]
        rc = main([*argv, "--members", str(members), "--project", str(ROOT)])
        err = capsys.readouterr().err
        assert rc == 1 and "--domain: " in err, err
        if shown:
            assert f'"{domain}" has uppercase letters' in err and f"('{domain.lower()}')" in err, err
        else:
            assert f"{HIDDEN} has uppercase letters: write it in lowercase (would be" in err, err
            assert domain not in err and domain.lower() not in err, err


def test_a_database_s_charset_under_a_short_name_a_word_and_its_number_is_shown() -> None:
    """database_charsets: {Prod2024: utf8mb4} was told at 'database_charsets.(a key not shown)', 'a key, the value
    (not shown: it may be a secret)': the key is a database's short name, said and offered in small letters."""
    [line] = _messages(MINIMAL + "databases: [main]\ndatabase_charsets: {Prod2024: utf8mb4}\n")
    assert "database_charsets.Prod2024: " in line and "did you mean 'prod2024'?" in line and HIDDEN not in line, line
    [line] = _messages(MINIMAL + "databases: [main]\ndatabase_charsets: {Lilas2024x: utf8mb4}\n")
    assert "(a key not shown)" in line and "Lilas2024x" not in line and "lilas2024x" not in line, line


@pytest.mark.parametrize(
    ("value", "hidden"),
    [
        ("10.0.0.11%eth0", False),
        ("fe80::1%enp3s0", False),
        ("fe80::1%Eth0", False),
        ("fe80::1%", False),
        ("fe80::1%eth0/64", False),
        ("fe80::1%Lilas2024x/64", True),
        ("10.0.0.11%Lilas2024x", True),
        ("10.0.0.11%LILAS2024X", True),
    ],
)
def test_an_address_with_its_zone_is_shown_unless_the_zone_is_shaped_as_a_password(value: str, hidden: bool) -> None:
    """pic:hosts.web1.private_address: 10.0.0.11%eth0 was hidden once names with a password's sign were ('%'), its
    message then saying 'give the address alone (10.0.0.11)' of a value not shown: an address and its zone (an
    interface's name) is shown, the zone read as a name's word is."""
    from pic.secrettext import public_name_hidden

    assert public_name_hidden(value) is hidden
