"""The hints of refused values: a value offered is one the checks then take, a form people write is told the one
meant, and a value shown is one that cannot be a secret while one shaped as a password is neither shown nor
offered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pic.cli import _parser
from pic.registry import MEMBER_KEYS, validate_member
from pic.yamlsrc import parse_yaml
from tests.conftest import ROOT

MINIMAL = "name: Probe\ncontact: {name: P, email: a@probe-asso.org}\nuid: 10600\n"
SITE = MINIMAL + "site:\n  domains: [probe-asso.org]\n  php: '8.4'\n"
PROD_NAMES = {"web_hosts": ["web1"], "runtimes": ["7.4", "8.2", "8.3", "8.4", "8.5"]}


def _messages(text: str) -> list[str]:
    """The problems of a member file's text by itself, as printed."""
    doc, problems = parse_yaml(text, "members/probe-asso.yaml", MEMBER_KEYS)
    if doc is not None:
        problems = validate_member(doc, PROD_NAMES)[1]
    return [str(p) for p in problems]


@pytest.mark.parametrize(
    ("locale", "meant"),
    [
        ("fr_FR.UTF-8", "fr"),
        ("fr_FR.utf8", "fr"),
        ("en_US.UTF-8", "en"),
        ("en_GB.ISO-8859-1", "en"),
        ("fr_FR@euro", "fr"),
        ("fr_CA.UTF-8", "fr"),
        ("de_DE.UTF-8", None),
    ],
)
def test_a_locale_as_the_contact_s_language_is_shown_and_told_its_language(locale: str, meant: str | None) -> None:
    """A locale (language_REGION.charset) is no secret: it is shown, with the language it names when it is one of
    pic's."""
    [line] = _messages(MINIMAL.replace("email: a@probe-asso.org}", f'email: a@probe-asso.org, language: "{locale}"}}'))
    assert f'contact.language: "{locale}" is not allowed' in line, line
    assert "not shown" not in line, line
    assert line.endswith(f"; did you mean {meant!r}?") if meant else "did you mean" not in line, line


@pytest.mark.parametrize("password", ["Azerty123", "Password1", "Soleil2024", "MotDePasse2024", "Lilas2024x"])
@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("databases[1]", MINIMAL + "databases: [main, VALUE]\n"),
        ("host", MINIMAL + "host: VALUE\n"),
        ("site.php", SITE.replace("php: '8.4'", "php: VALUE")),
        ("status", MINIMAL + "status: VALUE\n"),
    ],
)
def test_a_refused_value_shaped_as_a_password_without_a_sign_is_neither_shown_nor_offered(
    field: str, text: str, password: str
) -> None:
    [line] = _messages(text.replace("VALUE", password))
    assert f" {field}: the value (not shown: it may be a secret) " in line, line
    assert password.lower() not in line.lower(), line


@pytest.mark.parametrize(
    ("written", "meant"),
    [("Wordpress", "wordpress"), ("Forum_Ateliers", "forum_ateliers"), ("WP2", "wp2"), ("main-db", "main_db")],
)
def test_a_database_name_not_shaped_as_a_password_is_shown_and_offered(written: str, meant: str) -> None:
    [line] = _messages(MINIMAL + f"databases: [main, {written}]\n")
    assert f'databases[1]: "{written}" is not allowed' in line and line.endswith(f"did you mean {meant!r}?"), line


@pytest.mark.parametrize(
    ("argv", "secret"),
    [
        (["check", "--on", "Lilas2024x!"], "Lilas2024x!"),
        (["check", "--on=Lilas2024x!"], "Lilas2024x!"),
        (["check", "--on", "Azerty123"], "Azerty123"),
        (["check", "--stack", "Lilas2024x!"], "Lilas2024x!"),
        (["plan", "--to", "DB Lilas2024x!"], "Lilas2024x!"),
        (["plan", "--to", "Lilas2024x!"], "Lilas2024x!"),
        (["check", "--on", "password=Velo2024"], "Velo2024"),
        (["chek", "Lilas2024x!"], "Lilas2024x!"),
    ],
)
def test_a_command_line_value_shaped_as_a_secret_is_not_printed_back(
    capsys: pytest.CaptureFixture[str], argv: list[str], secret: str
) -> None:
    with pytest.raises(SystemExit) as info:
        _parser().parse_args(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2, err
    assert "error: " in err and "Traceback" not in err, err
    assert secret.lower() not in err.lower(), err


@pytest.mark.parametrize(
    ("argv", "shown"), [(["check", "--on", "2026-13-01"], "'2026-13-01'"), (["check", "--stack", "pr od"], "'pr od'")]
)
def test_a_command_line_value_that_is_no_secret_is_still_named(
    capsys: pytest.CaptureFixture[str], argv: list[str], shown: str
) -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(argv)
    assert shown in capsys.readouterr().err


def test_a_revision_shaped_as_a_secret_is_not_printed_back(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--project", str(ROOT), "--against", "Lilas2024x!"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode != 0 and "--against" in proc.stderr, proc
    assert "Lilas2024x" not in proc.stdout + proc.stderr, proc
