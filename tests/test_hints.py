"""The hints of refused values: a value offered is one the checks then take, a form people write is told the one
meant, and a value shown is one that cannot be a secret while one shaped as a password is neither shown nor
offered."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pic.cli import _parser
from pic.errors import PicError
from pic.registry import MEMBER_KEYS, load_registry, validate_member
from pic.settings import load_settings
from pic.wording import a_or_an
from pic.yamlsrc import parse_yaml
from tests.conftest import ROOT
from tests.helpers import project_copy

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
    if password == "Soleil2024" and field in ("databases[1]", "host"):
        # a word then its year is how a public name is made (Prod2024, Lyon2024): a database's or a host's is shown,
        # as tests/test_public_names.py tells
        assert f'"{password}"' in line, line
        return
    assert f" {field}: the value (not shown: it may be a secret) " in line, line
    assert password.lower() not in line.lower(), line


@pytest.mark.parametrize(
    ("written", "meant"),
    [("Wordpress", "wordpress"), ("Forum_Ateliers", "forum_ateliers"), ("WP2", "wp2"), ("main-db", "main_db")],
)
def test_a_database_name_not_shaped_as_a_password_is_shown_and_offered(written: str, meant: str) -> None:
    [line] = _messages(MINIMAL + f"databases: [main, {written}]\n")
    assert f'databases[1]: "{written}" is not allowed' in line and line.endswith(f"did you mean {meant!r}?"), line


@pytest.mark.parametrize("written", ["PHP 8.3-FPM (Debian 12)", "php8.3-fpm (bookworm)", "PHP 8.3.14-1~deb12u1"])
def test_a_runtime_written_as_its_package_is_shown_and_offered(written: str) -> None:
    """site.php: "PHP 8.3-FPM (Debian 12)" was written 'the value (not shown: it may be a secret)', its 8.3-FPM read
    as a password beside a word; a version and its build's name is shown, the runtime offered."""
    [line] = _messages(MINIMAL + f"site: {{domains: [probe-asso.org], php: '{written}'}}\n")
    assert f'site.php: "{written}" is not allowed' in line and line.endswith("did you mean '8.3'?"), line


@pytest.mark.parametrize(
    ("text", "field", "meant", "other"),
    [
        (MINIMAL + "databases: [Main, main]\n", "databases[0]", "main", 1),
        (MINIMAL + "databases: [wordpress, forum, Forum]\n", "databases[2]", "forum", 1),
        (MINIMAL + "databases: [main_db, main-db]\n", "databases[1]", "main_db", 0),
        (MINIMAL + "site: {domains: [PROBE.ORG, probe.org], php: 'none'}\n", "site.domains[0]", "probe.org", 1),
        (MINIMAL + "site: {domains: [x.org, 'https://x.org/'], php: none}\n", "site.domains[1]", "x.org", 0),
    ],
)
def test_an_item_offered_as_another_item_of_its_list_is_told_so_not_offered(
    text: str, field: str, meant: str, other: int
) -> None:
    """databases: [Main, main] was told 'did you mean 'main'?' at [0], then refused as given twice once written so;
    the value meant is said to be the list's other item, to give once."""
    [line] = _messages(text)
    assert f"{field}: " in line and "did you mean" not in line, line
    assert f"{meant!r}, already given as [{other}]" in line and "give each once" in line, line


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


@pytest.mark.parametrize(
    "revision",
    [
        *("HEAD~1", "HEAD~12", "main~2", "HEAD^2", "abc1234~1", "v1.2~3", "ORIG_HEAD~1"),
        *("HEAD~1..HEAD~1", "main~2...HEAD^2", "HEAD~3^!", "HEAD~2^-1", "..HEAD~1", "HEAD@{1}~2", "v2.1^{commit}~1"),
        *("HEAD^{/fix 2024}~1", "@{u}~1", "main@{push}~2", "^HEAD~1", "^main~2"),
    ],
)
def test_a_revision_written_as_git_writes_one_is_named(revision: str) -> None:
    """A revision of git's syntax (gitrevisions(7): a name, then ~N or ^N) is named in the messages that refuse the
    command line: HEAD~1 was written 'the value (not shown: it may be a secret)' for its '~' beside a digit."""
    from pic.cli import hidden_arguments

    text = f"'{revision}' is not a revision of this clone"
    assert hidden_arguments(text, ["plan", "--against", revision]) == text


@pytest.mark.parametrize("secret", ["Lilas2024x!", "Soleil~2024", "Lilas2024x~1", "Soleil~2024^!"])
def test_a_password_shaped_as_a_revision_is_still_hidden(secret: str) -> None:
    from pic.cli import hidden_arguments

    assert secret not in hidden_arguments(f"'{secret}' is not a revision", ["plan", "--against", secret])


@pytest.mark.parametrize(
    ("given", "secret"), [("Lilas2024x~1..HEAD~1", "Lilas2024x~1"), ("HEAD...Lilas2024x!", "Lilas2024x!")]
)
def test_a_password_shaped_side_of_a_range_is_hidden(given: str, secret: str) -> None:
    """The plan tells each side of a range (the one offered, one that names nothing): a side shaped as a password is
    hidden there as the whole value is."""
    from pic.cli import hidden_arguments

    text = f"{given!r} is a range of commits: --against <commit>; {secret!r} is not a revision of this repository"
    shown = hidden_arguments(text, ["plan", "--against", given])
    assert secret not in shown and "is a range of commits" in shown, shown


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


@pytest.mark.parametrize(
    "given",
    ["Lilas2024x ", " Lilas2024x", "Lilas2024x^!", "Lilas2024x^-1", "^Lilas2024x", "HEAD^{Lilas2024x}", ":Lilas2024x"],
)
def test_a_password_in_a_piece_of_a_revision_is_not_printed_back(given: str) -> None:
    """The plan names a piece of the value given to --against (the revision without the blank pasted with it, the
    commit before ^!, ^-1 or after ^, the type of ^{type}, the path of :PATH): a piece shaped as a password was
    printed there ('Lilas2024x ' is not a revision; 'Lilas2024x' is not a revision, of Lilas2024x^!), though the
    whole value was hidden; it is hidden too."""
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--project", str(ROOT), "--against", given],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode != 0 and "--against" in proc.stderr, proc
    assert "Lilas2024x" not in proc.stdout + proc.stderr, proc


def _checked(directory: Path, text: str) -> list[str]:
    """The problems of a registry of one member file's text, checked across files against the prod stack."""
    members = directory / "members"
    members.mkdir(parents=True)
    (members / "probe-asso.yaml").write_text(text, encoding="utf-8")
    try:
        load_registry(members, load_settings(ROOT, "prod"))
    except PicError as refused:
        return [str(p) for p in refused.problems]
    return []


def _stack_error(tmp_path: Path, old: str, new: str, field: str) -> str:
    """The one problem of the prod stack file with ``old`` written ``new``, at ``field``."""
    project = project_copy(tmp_path)
    path = project / "Pulumi.prod.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    [line] = [str(p) for p in info.value.problems if f" {field}: " in str(p)]
    return line


def _stack_takes(tmp_path: Path, old: str, new: str) -> None:
    """The prod stack file with ``old`` written ``new`` loads."""
    (tmp_path / "again").mkdir()
    project = project_copy(tmp_path / "again")
    path = project / "Pulumi.prod.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    load_settings(project, "prod")


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("15h", "15:00"),
        ("3h", "03:00"),
        ("3H", "03:00"),
        ("23h", "23:00"),
        ("03:15:00", "03:15"),
        ("3:15:00", "03:15"),
        ("23:59:00", "23:59"),
    ],
)
def test_a_time_of_day_written_with_the_hour_alone_or_with_seconds_is_told_the_time_meant(
    tmp_path: Path, written: str, meant: str
) -> None:
    line = _stack_error(tmp_path, 'time: "03:15"', f'time: "{written}"', "pic:backup.time")
    assert line.endswith(f"; did you mean {meant!r}?"), line
    _stack_takes(tmp_path, 'time: "03:15"', f'time: "{meant}"')


@pytest.mark.parametrize("written", ["24h", "03:15:30", "3:15:60", "25:00:00", "h15", "115h"])
def test_a_time_of_day_that_is_none_with_the_hour_alone_or_seconds_is_offered_none(
    tmp_path: Path, written: str
) -> None:
    line = _stack_error(tmp_path, 'time: "03:15"', f'time: "{written}"', "pic:backup.time")
    assert "did you mean" not in line, line


FINGERPRINT = "15058500A0235D97F5D10063B188E2B695BD4743"


@pytest.mark.parametrize(
    "written",
    [
        f'"0x{FINGERPRINT}"',
        f'"0x{FINGERPRINT.lower()}"',
        f'"0X{FINGERPRINT}"',
        f"0x{FINGERPRINT}",  # YAML reads a number
        f"0x{FINGERPRINT.lower()}",
    ],
)
def test_a_fingerprint_written_with_0x_is_told_the_one_meant(tmp_path: Path, written: str) -> None:
    old = f"fingerprint: {FINGERPRINT}}}"
    line = _stack_error(tmp_path, old, f"fingerprint: {written}}}", "pic:runtimes.8.3.apt_source.fingerprint")
    assert f"did you mean {FINGERPRINT!r}?" in line, line
    assert "put it in quotes" not in line, line


@pytest.mark.parametrize(
    ("key", "written", "meant"),
    [
        ("8.4", "Debian Trixie", "trixie"),
        ("8.4", "debian trixie", "trixie"),
        ("8.4", "Debian 13 (trixie)", "trixie"),
        ("8.2", "Debian Bookworm", "bookworm"),
        ("8.2", "debian-bookworm", "bookworm"),
        ("7.4", "Debian 11 Bullseye", "bullseye"),
    ],
)
def test_a_debian_release_written_with_debian_before_it_is_told_the_release(
    tmp_path: Path, key: str, written: str, meant: str
) -> None:
    release = {"8.4": "trixie", "8.2": "bookworm", "7.4": "bullseye"}[key]
    old = f'"{key}": {{debian: {release}'
    line = _stack_error(tmp_path, old, f'"{key}": {{debian: "{written}"', f"pic:runtimes.{key}.debian")
    assert line.endswith(f"; did you mean {meant!r}?"), line


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("letsencrypt-staging", "staging"),
        ("LetsEncrypt-Staging", "staging"),
        ("letsencrypt_staging", "staging"),
        ("le-staging", "staging"),
        ("staging-letsencrypt", "staging"),
        ("LE-staging", "staging"),
        ("Lets_Encrypt", "letsencrypt"),
        ("lets-encrypt", "letsencrypt"),
    ],
)
def test_a_ca_written_as_people_name_it_is_told_the_one_meant(tmp_path: Path, written: str, meant: str) -> None:
    line = _stack_error(tmp_path, "ca: letsencrypt}", f'ca: "{written}"}}', "pic:tls.ca")
    assert line.endswith(f"; did you mean {meant!r}?"), line


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("pic._domainkey", "pic"),
        ("PIC._domainkey", "pic"),
        ("mail2026._domainkey", "mail2026"),
        ("pic._domainkey.listes.example.org", "pic"),
        ("pic._domainkey.", "pic"),
    ],
)
def test_a_dkim_selector_written_with_domainkey_is_told_the_selector(tmp_path: Path, written: str, meant: str) -> None:
    line = _stack_error(tmp_path, "dkim_selector: pic,", f'dkim_selector: "{written}",', "pic:mail.dkim_selector")
    assert line.endswith(f"; did you mean {meant!r}?"), line
    _stack_takes(tmp_path, "dkim_selector: pic,", f"dkim_selector: {meant},")


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("ISO-8859-1", "latin1"),
        ("iso8859-1", "latin1"),
        ("latin-1", "latin1"),
        ("Latin_1", "latin1"),
        ("windows-1252", "latin1"),  # MariaDB's latin1 is cp1252
        ("ISO-8859-2", "latin2"),
        ("latin-2", "latin2"),
        ("windows-1251", "cp1251"),
        ("ISO-8859-7", "greek"),
        ("KOI8-R", "koi8r"),
        ("US-ASCII", "ascii"),
    ],
)
def test_a_database_charset_named_as_other_programs_name_it_is_told_mariadb_s(written: str, meant: str) -> None:
    base = MINIMAL + "databases: [main]\ndatabase_charsets: {main: VALUE}\n"
    [line] = _messages(base.replace("VALUE", written))
    assert "database_charsets.main: " in line and line.endswith(f"; did you mean {meant!r}?"), line
    assert _messages(base.replace("VALUE", meant)) == []


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        # under the stack's container of 256 MB, which PHP's memory_limit may not fill (the size offered is taken)
        ("192Mo", "192M"),
        ("192 Mo", "192M"),
        ("192MB", "192M"),
        ("192 MB", "192M"),
        ("192mb", "192M"),
        ("192 M", "192M"),
        ("192MiB", "192M"),
        ("192 Mio", "192M"),
        ("128Mo", "128M"),
        ("65536Ko", "65536K"),
        ("65536 kB", "65536K"),
    ],
)
def test_a_php_size_written_with_a_unit_php_does_not_read_is_told_php_s(
    tmp_path: Path, written: str, meant: str
) -> None:
    base = SITE + "  php_settings: {memory_limit: VALUE}\n"
    [line] = _checked(tmp_path / "a", base.replace("VALUE", f'"{written}"'))
    assert "memory_limit: " in line and f"write {meant}" in line, line
    assert _checked(tmp_path / "b", base.replace("VALUE", meant)) == []


@pytest.mark.parametrize(
    ("written", "meant", "php"),
    [
        # a sign PHP's reading skips (ini_parse_quantity)
        ("+128M", "128M", None),
        # a leading zero: PHP reads the digits in octal (064M is 52M, 0128M is 012M, with a warning)
        ("064M", "64M", "52M"),
        ("0128M", "128M", "10M"),
        ("00128M", "128M", "10M"),
        # digits or unit of the full-width forms an input method types, which PHP does not read
        ("\uff11\uff12\uff18M", "128M", None),
        ("128\uff2d", "128M", None),
    ],
)
def test_a_php_size_written_with_a_sign_a_leading_zero_or_full_width_is_told_the_size(
    tmp_path: Path, written: str, meant: str, php: str | None
) -> None:
    """Such a size was refused as not in PHP's shorthand, with no word of what to write, where 256MB is told
    256M; a leading zero is told as PHP reads it, in octal."""
    base = SITE + "  php_settings: {memory_limit: VALUE}\n"
    [line] = _checked(tmp_path / "a", base.replace("VALUE", f'"{written}"'))
    assert "memory_limit: " in line and line.endswith(f"write {meant}"), line
    assert php is None or f"PHP reads a leading 0 as an octal number's: {written} is {php} to PHP" in line, line
    assert _checked(tmp_path / "b", base.replace("VALUE", meant)) == []


# 255 MB and 193 MB: in the size's range, but leaving less than OPcache's 64 MB of the container's 256 MB
@pytest.mark.parametrize("written", ["2GB", "2 Go", "8MB", "256 MB MB", "1.5GB", "256MB", "256 Mo", "255 MB", "193Mo"])
def test_a_php_size_out_of_range_in_php_s_unit_is_offered_none(tmp_path: Path, written: str) -> None:
    [line] = _checked(tmp_path, SITE + f'  php_settings: {{memory_limit: "{written}"}}\n')
    assert "memory_limit: " in line and "write " not in line, line


@pytest.mark.parametrize(
    ("key", "written"),
    [("7.4", "Trixie"), ("7.4", "Debian Trixie"), ("8.2", "TRIXIE"), ("8.4", "Bookworm"), ("8.4", "bulseye")],
)
def test_a_debian_release_is_offered_only_where_it_carries_the_runtime_s_php(
    tmp_path: Path, key: str, written: str
) -> None:
    release = {"8.4": "trixie", "8.2": "bookworm", "7.4": "bullseye"}[key]
    old = f'"{key}": {{debian: {release}'
    line = _stack_error(tmp_path, old, f'"{key}": {{debian: "{written}"', f"pic:runtimes.{key}.debian")
    assert "did you mean" not in line, line
    assert line.endswith(f"not PHP {key}: use debian: {release} or give an apt_source"), line
    _stack_takes(tmp_path, old, f'"{key}": {{debian: {release}')


def test_a_debian_release_is_offered_to_a_runtime_with_an_apt_source(tmp_path: Path) -> None:
    old = '"8.3": {debian: bookworm'
    line = _stack_error(tmp_path, old, '"8.3": {debian: Trixie', "pic:runtimes.8.3.debian")
    assert line.endswith("; did you mean 'trixie'?"), line
    _stack_takes(tmp_path, old, '"8.3": {debian: trixie')


@pytest.mark.parametrize(
    ("settings", "written"),
    [
        ("memory_limit: VALUE", '"1Go"'),  # more than the container's 256 MB
        ("memory_limit: VALUE", '"512 MB"'),
        ("{upload_max_filesize: 64M, post_max_size: VALUE}", '"32Mo"'),  # smaller than the uploads
        ("{post_max_size: 16M, upload_max_filesize: VALUE}", '"32 MB"'),
    ],
)
def test_a_php_size_the_site_would_refuse_is_offered_none(tmp_path: Path, settings: str, written: str) -> None:
    php = settings if settings.startswith("{") else "{" + settings + "}"
    [line] = _checked(tmp_path, SITE + f"  php_settings: {php.replace('VALUE', written)}\n")
    assert "write " not in line, line


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("private_address: 10.0.0.11", 'private_address: "167772170"', "pic:hosts.web1.private_address"),
        ("private_address: 10.0.0.11", "private_address: 167772170", "pic:hosts.web1.private_address"),
        ("private_address: 10.0.0.10", "private_address: 167772171", "pic:hosts.db.private_address"),
        ("db: {role: db, address: db.example.org", "db: {role: db, address: 167772171", "pic:hosts.db.address"),
    ],
)
def test_an_address_written_as_a_number_is_not_offered_when_another_host_holds_it(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    line = _stack_error(tmp_path, old, new, field)
    assert "written as one number" in line and "write '" not in line, line
    assert "is also the address of" in line, line
    assert "with it, hosts." not in line, line  # another field named as the messages name it: pic:hosts...


def _registry_problems(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> list[str]:
    """The problems of the project's member files with each file's ``old`` written ``new``, against prod."""
    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    for file, (old, new) in edits.items():
        path = members / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    try:
        load_registry(members, load_settings(ROOT, "prod"))
    except PicError as refused:
        return [str(p) for p in refused.problems]
    return []


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "holder"),
    [
        # the platform's names
        (
            "amis-du-rhone.yaml",
            "domain: listes.amis-du-rhone.org",
            "domain: LISTES.EXAMPLE.ORG",
            "lists.domain",
            "is reserved for",
        ),
        (
            "amis-du-rhone.yaml",
            "domain: listes.amis-du-rhone.org",
            "domain: PMA.example.org",
            "lists.domain",
            "is reserved for",
        ),
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - https://listes.example.org/",
            "site.domains[2]",
            "is reserved for",
        ),
        # another member's
        (
            "amis-du-rhone.yaml",
            "domain: listes.amis-du-rhone.org",
            "domain: LISTES.CHORALE-SAINT-JEAN.FR",
            "lists.domain",
            "is already used by",
        ),
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - https://amicale-ainay.fr/",
            "site.domains[2]",
            "is already used by",
        ),
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - Amicale-Ainay.fr",
            "site.domains[2]",
            "is already used by",
        ),
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - amicale-ainay.fr:443",
            "site.domains[2]",
            "is already used by",
        ),
        # an absolute name's trailing dot: the name without it, another's or the member's own
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - amicale-ainay.fr.",
            "site.domains[2]",
            "is already used by",
        ),
        (
            "amis-du-rhone.yaml",
            "domain: listes.amis-du-rhone.org",
            "domain: listes.chorale-saint-jean.fr.",
            "lists.domain",
            "is already used by",
        ),
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - velo-cite-lyon.fr.",
            "site.domains[2]",
            "another of the member's site domains",
        ),
        # the member's own site domains, each given once
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - https://velo-cite-lyon.fr/blog",
            "site.domains[2]",
            "another of the member's site domains",
        ),
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - WWW.velo-cite-lyon.fr",
            "site.domains[2]",
            "another of the member's site domains",
        ),
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - velo-cite-lyon.fr/blog",
            "site.domains[2]",
            "another of the member's site domains",
        ),
        # written in Unicode or in full-width forms: its punycode or ASCII form another member's or the platform's
        # (offered as 'write ... in punycode: xn--amis-du-rhne-nib.org', which pic check then refused)
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - amis-du-rhône.org",
            "site.domains[2]",
            "and in punycode 'xn--amis-du-rhne-nib.org' is already used by ",
        ),
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - ｐｍａ.example.org",
            "site.domains[2]",
            "and in ASCII 'pma.example.org' is reserved for",
        ),
        (
            "velo-cite.yaml",
            "    - atelier.velo-cite-lyon.fr",
            "    - ｗｗｗ.velo-cite-lyon.fr",
            "site.domains[2]",
            "another of the member's site domains",
        ),
    ],
)
def test_a_domain_taken_elsewhere_is_not_offered(
    tmp_path: Path, file: str, old: str, new: str, *, field: str, holder: str
) -> None:
    problems = _registry_problems(tmp_path, {file: (old, new)})
    [line] = [p for p in problems if f"{file}:" in p and f" {field}: " in p]
    assert "write it in lowercase" not in line and "give the name alone (" not in line, line
    assert "write the name without the trailing dot" not in line, line
    assert "(xn--...): xn--" not in line and ": write 'pma" not in line and ": write 'www" not in line, line
    assert holder in line, line


@pytest.mark.parametrize(
    ("old", "new", "offered"),
    [
        ("domain: listes.amis-du-rhone.org", "domain: LISTES.AMIS-DU-RHONE.ORG", "listes.amis-du-rhone.org"),
        ("domain: listes.amis-du-rhone.org", "domain: https://listes.amis-du-rhone.org/", "listes.amis-du-rhone.org"),
        ("domain: listes.amis-du-rhone.org", "domain: LISTES.Nouvelle-Asso.org", "listes.nouvelle-asso.org"),
    ],
)
def test_a_domain_no_one_holds_is_offered_and_then_taken(tmp_path: Path, old: str, new: str, offered: str) -> None:
    [line] = _registry_problems(tmp_path / "a", {"amis-du-rhone.yaml": (old, new)})
    assert f"('{offered}')" in line, line
    assert _registry_problems(tmp_path / "b", {"amis-du-rhone.yaml": (old, f"domain: {offered}")}) == []


@pytest.mark.parametrize(
    ("old", "new", "field", "why"),
    [
        (
            "    - atelier.velo-cite-lyon.fr",
            "    - WWW.LISTES.EXAMPLE.ORG",
            "site.domains[2]",
            "is under listes.example.org",
        ),
        (
            "    - atelier.velo-cite-lyon.fr",
            "    - https://a.pma.example.org/",
            "site.domains[2]",
            "is under pma.example.org",
        ),
        ("    - atelier.velo-cite-lyon.fr", "    - EXAMPLE.ORG", "site.domains[2]", "is reserved for"),
    ],
)
def test_a_domain_under_or_over_the_platform_s_is_not_offered(
    tmp_path: Path, old: str, new: str, field: str, why: str
) -> None:
    problems = _registry_problems(tmp_path, {"velo-cite.yaml": (old, new)})
    [line] = [p for p in problems if f" {field}: " in p]
    assert "write it in lowercase" not in line and "give the name alone (" not in line, line
    assert why in line, line


PHRASES = [
    "Let's Encrypt",
    "Let’s Encrypt",
    "Debian Trixie",
    "Hello World",
    "Lets Encrypt Staging",
    "Jean's Site",
    "Let's Encrypt (staging)",
    "Debian Trixie.",
    "ZeroSSL Inc.",
]


@pytest.mark.parametrize("phrase", PHRASES)
@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("contact.language", MINIMAL.replace("a@probe-asso.org}", 'a@probe-asso.org, language: "VALUE"}')),
        ("status", MINIMAL + 'status: "VALUE"\n'),
        ("limits.memory_mb", MINIMAL + 'limits: {memory_mb: "VALUE"}\n'),
    ],
)
def test_a_phrase_of_words_refused_in_a_member_file_is_shown(field: str, text: str, phrase: str) -> None:
    """A phrase of words of letters alone is no password pasted at the wrong line: the admin sees what is wrong."""
    [line] = _messages(text.replace("VALUE", phrase))
    assert f"{field}: {phrase!r}" in line or f'{field}: "{phrase}"' in line, line
    assert "not shown" not in line and "..." not in line, line


@pytest.mark.parametrize("phrase", PHRASES)
@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("ca: letsencrypt}", 'ca: "VALUE"}', "pic:tls.ca"),
        ("role: web,", 'role: "VALUE",', "pic:hosts.web1.role"),
        ("keep_days: 7}", 'keep_days: "VALUE"}', "pic:backup.keep_days"),
    ],
)
def test_a_phrase_of_words_refused_in_the_stack_file_is_shown(
    tmp_path: Path, old: str, new: str, field: str, phrase: str
) -> None:
    line = _stack_error(tmp_path, old, new.replace("VALUE", phrase), field)
    assert phrase in line and "not shown" not in line and "'...'" not in line, line


def test_let_s_encrypt_as_the_ca_is_told_letsencrypt(tmp_path: Path) -> None:
    line = _stack_error(tmp_path, "ca: letsencrypt}", 'ca: "Let\'s Encrypt"}', "pic:tls.ca")
    assert line.endswith("; did you mean 'letsencrypt'?"), line


@pytest.mark.parametrize("secret", ["Lilas2024x!", "Azerty123", "Lilas 2024!", "token: ab12cd34ef56ab12cd34"])
@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("ca: letsencrypt}", 'ca: "VALUE"}', "pic:tls.ca"),
        ("role: web,", 'role: "VALUE",', "pic:hosts.web1.role"),
        ("keep_days: 7}", 'keep_days: "VALUE"}', "pic:backup.keep_days"),
    ],
)
def test_a_secret_refused_in_the_stack_file_is_still_hidden(
    tmp_path: Path, old: str, new: str, field: str, secret: str
) -> None:
    line = _stack_error(tmp_path, old, new.replace("VALUE", secret), field)
    assert "not shown" in line, line
    assert secret.rsplit(maxsplit=1)[-1].lower() not in line.lower(), line


GROUPED = " ".join(FINGERPRINT[i : i + 4] for i in range(0, 40, 4))


@pytest.mark.parametrize(
    "written",
    [
        f"0x{GROUPED}",
        GROUPED,
        f"0x{GROUPED.lower()}",
        GROUPED.replace(" ", "  ", 5).replace("  ", " ", 4),  # gpg's two blanks in the middle
        f"0X{GROUPED[:19]}",  # a long key id
    ],
)
def test_a_fingerprint_written_in_groups_is_shown(tmp_path: Path, written: str) -> None:
    """A fingerprint is public: written as gpg prints it, in groups of four, it is shown, where it goes and where
    it does not."""
    old = f"fingerprint: {FINGERPRINT}}}"
    line = _stack_error(tmp_path, old, f'fingerprint: "{written}"}}', "pic:runtimes.8.3.apt_source.fingerprint")
    assert written in line and "not shown" not in line and "'...'" not in line, line
    (tmp_path / "ca").mkdir()
    line = _stack_error(tmp_path / "ca", "ca: letsencrypt}", f'ca: "{written}"}}', "pic:tls.ca")
    assert written in line and "not shown" not in line, line
    [line] = _messages(MINIMAL + f'databases: [main, "{written}"]\n')
    assert written in line and "not shown" not in line, line


def test_a_fingerprint_in_groups_is_told_the_one_meant(tmp_path: Path) -> None:
    old = f"fingerprint: {FINGERPRINT}}}"
    line = _stack_error(tmp_path, old, f'fingerprint: "0x{GROUPED}"}}', "pic:runtimes.8.3.apt_source.fingerprint")
    assert line.endswith(f"did you mean {FINGERPRINT!r}?"), line


@pytest.mark.parametrize(
    "written", ["0x1505 Lilas2024x!", "1505 8500 Lilas2024x! A023 5D97", "0x1505 8500 Azerty2024x!"]
)
def test_a_password_beside_hex_groups_is_still_hidden(written: str) -> None:
    [line] = _messages(MINIMAL + f'databases: [main, "{written}"]\n')
    assert "not shown" in line and "Lilas2024x" not in line and "Azerty2024x" not in line, line


@pytest.mark.parametrize(
    ("new", "field", "why"),
    [
        # under another member's name, or the name another's www.X sends mail as
        (
            "    - BLOG.AMICALE-AINAY.FR",
            "site.domains[2]",
            "is under amicale-ainay.fr",
        ),
        (
            "    - https://blog.amicale-ainay.fr/",
            "site.domains[2]",
            "is under amicale-ainay.fr",
        ),
        (
            "domain: LISTES.BIBLIO-LIBRE.FR",
            "lists.domain",
            "is under biblio-libre.fr",
        ),
        (
            "    - https://AMIS-DU-RHONE.ORG/",
            "site.domains[2]",
            "is already used by",
        ),
        # www.X, X another member's: the site would send mail as X
        (
            "    - WWW.BIBLIO-LIBRE.FR",
            "site.domains[2]",
            "send mail as biblio-libre.fr",
        ),
        (
            "    - https://www.biblio-libre.fr/",
            "site.domains[2]",
            "send mail as biblio-libre.fr",
        ),
        # names IANA holds for documentation, special-use and unknown top-level domains
        (
            "    - WWW.EXAMPLE.COM",
            "site.domains[2]",
            "for documentation",
        ),
        (
            "    - https://shop.example.net/",
            "site.domains[2]",
            "for documentation",
        ),
        (
            "domain: LISTES.EXAMPLE.COM",
            "lists.domain",
            "for documentation",
        ),
        ("    - ASSO.LOCAL", "site.domains[2]", "is under .local"),
        (
            "    - https://site.test/",
            "site.domains[2]",
            "is under .test",
        ),
        (
            "domain: Listes.Asso.Internal",
            "lists.domain",
            "is under .internal",
        ),
        ("    - Velo.Lan", "site.domains[2]", "is under .lan"),
    ],
)
def test_a_domain_the_checks_across_files_refuse_is_not_offered(tmp_path: Path, new: str, field: str, why: str) -> None:
    """A name offered for a domain is one the checks across files then take: not under another member's name,
    not www.X of another's X, not a documentation, special-use or unknown top-level domain's name."""
    edit = {
        "lists.domain": ("amis-du-rhone.yaml", "domain: listes.amis-du-rhone.org"),
        "site.domains[2]": ("velo-cite.yaml", "    - atelier.velo-cite-lyon.fr"),
    }
    file, old = edit[field]
    problems = _registry_problems(tmp_path, {file: (old, new)})
    [line] = [p for p in problems if f" {field}: " in p]
    assert "write it in lowercase (" not in line and "give the name alone (" not in line, line
    assert why in line, line


@pytest.mark.parametrize(
    ("old", "new", "offered"),
    [
        ("    - atelier.velo-cite-lyon.fr", "    - ATELIER.VELO-CITE-LYON.FR", "atelier.velo-cite-lyon.fr"),
        ("    - atelier.velo-cite-lyon.fr", "    - https://www.co.uk/", "www.co.uk"),
        ("    - atelier.velo-cite-lyon.fr", "    - https://Velo-Cite-Lyon.eu/", "velo-cite-lyon.eu"),
    ],
)
def test_a_domain_of_the_member_s_own_or_no_one_s_is_still_offered(
    tmp_path: Path, old: str, new: str, offered: str
) -> None:
    [line] = [p for p in _registry_problems(tmp_path, {"velo-cite.yaml": (old, new)}) if " site.domains[2]: " in p]
    assert f"('{offered}')" in line, line


_KEY_LINE = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkKKvAqbyVZ8e/bkxxIyZTS0bDUe+4wzaNMw+HxnWcK marie@pc"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        # a .pub file's line pasted under | (its line break kept) or > (the last one kept)
        (MINIMAL + f"access:\n  sftp_keys:\n    - |\n      {_KEY_LINE}\n", "access.sftp_keys[0]"),
        (MINIMAL + f"access:\n  sftp_keys:\n    - >\n      {_KEY_LINE}\n", "access.sftp_keys[0]"),
        (MINIMAL + "site:\n  php: '8.4'\n  domains:\n    - |\n      probe-asso.org\n", "site.domains[0]"),
        (
            "name: |\n  Probe Asso\ncontact: {name: P, email: a@probe-asso.org}\nuid: 10600\n",
            "name",
        ),
        ('name: Probe\ncontact: {name: P, email: "a@probe-asso.org\\n"}\nuid: 10600\n', "contact.email"),
    ],
)
def test_a_value_ending_with_a_line_break_is_told_to_be_written_without_it(text: str, field: str) -> None:
    """A one-line value given as YAML's block (| keeps its line break, > the last one) was told it holds a control
    character (U+000A) at its last character, nothing of how to write it without: it is told as the line break at
    its end, and how to write the value without it."""
    lines = [line for line in _messages(text) if f" {field}: " in line]
    assert len(lines) == 1, _messages(text)
    assert "a line break at its end" in lines[0] and "write the value without it" in lines[0], lines[0]
    assert "control character" in lines[0], lines[0]


@pytest.mark.parametrize(("slug", "short"), [("information", "schema"), ("performance", "schema")])
def test_a_database_named_as_a_system_schema_is_told_to_take_another_short_name(
    tmp_path: Path, slug: str, short: str
) -> None:
    """Member information's database schema makes information_schema, MariaDB's own: it was told the name is
    reserved, nothing of what to write; it is told to give the database another short name, which is then taken."""
    members = tmp_path / "members"
    members.mkdir()
    text = "name: Probe\ncontact: {name: P, email: a@probe-asso.org}\nuid: 10600\ndatabases: [SHORT]\n"
    (members / f"{slug}.yaml").write_text(text.replace("SHORT", short), encoding="utf-8")
    with pytest.raises(PicError) as refused:
        load_registry(members, load_settings(ROOT, "prod"))
    [line] = [str(p) for p in refused.value.problems if p.severity == "error"]
    assert f"{slug}.yaml:4 databases[0]: " in line and "a system schema of MariaDB" in line, line
    assert line.endswith(f"give the database another short name than {short!r} in databases"), line
    (members / f"{slug}.yaml").write_text(text.replace("SHORT", "main"), encoding="utf-8")
    load_registry(members, load_settings(ROOT, "prod"))


@pytest.mark.parametrize("written", ["127.1", "10.0.0.256", "192.0.2.010", "1.2.3.4.5"])
def test_a_site_domain_read_as_an_address_is_not_told_to_write_an_address(tmp_path: Path, written: str) -> None:
    """site.domains: 127.1 was told it 'is no IPv4 address: four numbers from 0 to 255, without leading zeros (e.g.
    10.0.0.1)', an address to write where an address is refused in turn (192.0.2.1 'is an IP address, not a domain
    name'): a field of names tells that it takes a name."""
    [line] = _checked(tmp_path, SITE.replace("[probe-asso.org]", f'["{written}"]'))
    assert "site.domains[0]: " in line and "ends with an all-numeric label" in line, line
    assert "e.g. 10.0.0.1" not in line and line.endswith("an address is no domain name here: give the name"), line


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        *(("8.40", "8.4"), ("8.30", "8.3"), ("7.40", "7.4"), ("8.400", "8.4"), ("8.4", "8.4")),
        # a sign or an exponent YAML reads in a number too: +8.4 is 8.4
        *(("+8.4", "8.4"), ("8.4e0", "8.4"), ("0.84e1", "8.4"), ("+7.40", "7.4")),
    ],
)
def test_a_runtime_written_unquoted_is_told_in_one_message_the_key_to_write(
    tmp_path: Path, written: str, meant: str
) -> None:
    """php: 8.40 (YAML reads the number 8.4) was told to put it in quotes, then "8.40" that it is no runtime, to
    write '8.4': one message gives the key to write, and the file so written is taken."""
    [line] = _messages(MINIMAL + f"site: {{domains: [probe-asso.org], php: {written}}}\n")
    assert f"site.php: {written} is not a string" in line, line
    assert f"write '{meant}', in quotes" in line if written != meant else line.endswith("(put it in quotes)"), line
    assert _checked(tmp_path, MINIMAL + f"site: {{domains: [probe-asso.org], php: '{meant}'}}\n") == []


def test_a_runtime_the_stack_lacks_written_unquoted_is_told_the_runtimes_there_are() -> None:
    [line] = _messages(MINIMAL + "site: {domains: [probe-asso.org], php: 9.0}\n")
    assert "site.php: 9.0 is not a string" in line and "7.4, 8.2, 8.3, 8.4, 8.5" in line, line
    assert "put it in quotes" not in line, line


@pytest.mark.parametrize(
    ("text", "field", "names"),
    [
        (
            "site: {domains: [probe-asso.org], php: 8}",
            "site.php",
            "the stack's runtimes: 7.4, 8.2, 8.3, 8.4, 8.5, or none",
        ),
        ("site: {domains: [probe-asso.org], php: 8.9e1}", "site.php", "the stack's runtimes: 7.4, 8.2, 8.3, 8.4, 8.5"),
        ("site: {domains: [probe-asso.org], php: true}", "site.php", "the stack's runtimes: 7.4, 8.2, 8.3, 8.4, 8.5"),
        ("host: 1", "host", "the stack's web hosts: web1"),
        ("host: 1.5", "host", "the stack's web hosts: web1"),
        ("host: 2027-01-01", "host", "the stack's web hosts: web1"),
        ("host: yes", "host", "the stack's web hosts: web1"),
    ],
)
def test_a_number_where_a_name_of_the_stack_goes_is_told_the_names_there_are(text: str, field: str, names: str) -> None:
    """php: 8 and host: 1 (a number, a boolean or a date where a name of the stack goes, refused in quotes too) were
    told refused without the names the stack has, which the same text in quotes was told: they are listed; host, a
    field that may be left out, alike."""
    [line] = _messages(MINIMAL + text + "\n")
    # listed after the field's words, or after what the text in quotes is none of
    listed = (f"({names}", f"it is none of {names.replace(': ', ' (', 1)}")
    assert f" {field}: " in line and any(words in line for words in listed), line
    assert "put it in quotes" not in line, line


@pytest.mark.parametrize(
    ("key", "written", "php", "meant"),
    [
        # another base's prefix, which PHP's reading takes (ini_parse_quantity): hexadecimal, octal, binary
        ("memory_limit", "0x40M", "64M", "64M"),
        ("memory_limit", "0X60M", "96M", "96M"),
        ("memory_limit", "0o100M", "64M", "64M"),
        ("memory_limit", "0b1000000M", "64M", "64M"),
        ("upload_max_filesize", "0x10M", "16M", "16M"),
        ("memory_limit", "0x40", "64 bytes", None),  # bytes: out of range
        # a fraction, which PHP drops with a warning (1.5G is 1G to PHP)
        ("memory_limit", "1.5G", "1G", None),  # 1536M: out of range
        ("memory_limit", "0.125G", "0", "128M"),
        ("memory_limit", "64.0M", "64M", "64M"),
        ("upload_max_filesize", "1.5M", "1M", "1536K"),
        ("post_max_size", "40.5M", "40M", "41472K"),
        # a '.' with no digits after it, or none before it: PHP reads the digits before it, or none (0)
        ("memory_limit", "128.M", "128M", "128M"),
        ("memory_limit", ".125G", "0", "128M"),
        ("memory_limit", ".5G", "0", None),  # 512M: more than the site's container leaves PHP
        ("memory_limit", "0x80.M", "128M", "128M"),
        ("post_max_size", "0x200.M", "512M", "512M"),
        ("post_max_size", "512.M", "512M", "512M"),
        ("memory_limit", "1.G", "1G", None),  # more than the site's container leaves PHP
        # a leading zero without a unit: octal digits too
        ("memory_limit", "064", "52 bytes", None),
        ("memory_limit", "0128", "10 bytes", None),
    ],
)
def test_a_php_size_written_in_another_base_or_with_a_fraction_is_told_as_php_reads_it(
    tmp_path: Path, key: str, written: str, php: str, meant: str | None
) -> None:
    """0x40M and 1.5G were refused as not in PHP's shorthand with no size offered, and "064" (no unit) told nothing
    of PHP's octal reading where "064M" was; 1.G, 0x1.G and .5G (a '.' with no digits on one side) nothing of PHP's
    reading where 1.5G and 0x1.8G were: each is told as PHP reads it, and the size meant offered where the site takes
    it."""
    base = SITE + f"  php_settings: {{{key}: VALUE}}\n"
    [line] = _checked(tmp_path / "a", base.replace("VALUE", f'"{written}"'))
    assert f"{key}: " in line and f"{written} is {php} to PHP" in line, line
    assert line.endswith(f"; write {meant}") if meant else "write " not in line, line
    if meant:
        assert _checked(tmp_path / "b", base.replace("VALUE", meant)) == []


@pytest.mark.parametrize(
    ("key", "written", "php", "meant"),
    [
        # PHP reads the digits before a '.' and a unit only as the size's last letter, else bytes (ini_parse_quantity,
        # PHP 8.2: php -d memory_limit=1.GB warns 'unknown multiplier "B", interpreting as "1"', then 'Failed to set
        # memory limit to 1 bytes' and keeps 128M; php -d upload_max_filesize=1.5 keeps 1.5, read as 1 byte)
        ("memory_limit", "1.5", "1 byte", None),  # no whole number of bytes
        ("memory_limit", "64.", "64 bytes", None),  # too small
        ("memory_limit", ".5", "0", None),
        ("memory_limit", "1.GB", "1 byte", None),  # 1G: more than the site's container leaves PHP
        ("memory_limit", "128.MB", "128 bytes", "128M"),
        ("memory_limit", "0.125GB", "0", "128M"),
        ("upload_max_filesize", "1.5MB", "1 byte", "1536K"),
        ("post_max_size", "64.0 Mo", "64 bytes", "64M"),
        ("memory_limit", "64MB", "64 bytes", "64M"),
        ("upload_max_filesize", "32MiB", "32 bytes", "32M"),
        ("post_max_size", "64 MB", "64 bytes", "64M"),
    ],
)
def test_a_php_size_with_a_fraction_or_a_unit_php_does_not_read_is_told_as_php_reads_it(
    tmp_path: Path, key: str, written: str, php: str, meant: str | None
) -> None:
    """memory_limit: "1.5", "64." and "1.GB" were told 'is not a size in PHP's shorthand' and nothing more, and "64MB"
    offered 64M without a word of what PHP makes of it (64 bytes, a memory limit PHP refuses, keeping its 128M): what
    PHP reads is told, as it is of 1.5G and 064M, and the size meant offered where the site takes it."""
    base = SITE + f"  php_settings: {{{key}: VALUE}}\n"
    [line] = _checked(tmp_path / "a", base.replace("VALUE", f'"{written}"'))
    assert f"{key}: " in line and f"{written} is {php} to PHP" in line, line
    assert line.endswith(f"; write {meant}") if meant else "write " not in line, line
    if key == "memory_limit" and php in ("0", "1 byte", "64 bytes"):  # php: 'Failed to set memory limit', 128M kept
        assert "PHP refuses it and keeps 128M" in line, line
    if meant:
        assert _checked(tmp_path / "b", base.replace("VALUE", meant)) == []


@pytest.mark.parametrize(
    ("written", "told"),
    [
        ("1.5", "1.5 is 1 byte to PHP"),  # a number to YAML, the same text to PHP
        ("64.", "64. is 64 bytes to PHP"),
        ('"064MB"', "064MB is 52 bytes to PHP"),  # php -d memory_limit=064MB: octal, then no unit
    ],
)
def test_a_php_size_written_plain_as_a_number_or_with_leading_zeros_is_told_as_php_reads_it(
    tmp_path: Path, written: str, told: str
) -> None:
    """memory_limit: 1.5 (a number to YAML) was told 'is a number with a fraction or an exponent' alone, and "064MB"
    'is 64 bytes to PHP': PHP reads the text as a quoted one is read, 064 in octal."""
    [line] = _checked(tmp_path, SITE + f"  php_settings: {{memory_limit: {written}}}\n")
    assert told in line and "PHP refuses it and keeps 128M" in line, line


# What memory_limit past 1G is told in the stack's default container (256 MB), where 1G is not taken either
_NO_ROOM = "; 1G is more than the site's container (256 MB) leaves PHP beside OPcache's 64 MB (192M at most)"


@pytest.mark.parametrize(
    ("key", "written", "told"),
    [
        # a size in another base with a fraction: PHP reads the digits before the '.' (ini_parse_quantity)
        (
            "memory_limit",
            "0x1.8G",
            "0x1.8G is 1G to PHP; it stands for 1536M, which is too large (1G at most)" + _NO_ROOM,
        ),
        (
            "memory_limit",
            "0o1.4G",
            "0o1.4G is 1G to PHP; it stands for 1536M, which is too large (1G at most)" + _NO_ROOM,
        ),
        ("upload_max_filesize", "0x1.8M", "0x1.8M is 1M to PHP; write 1536K"),
        ("post_max_size", "0b101000.1M", "0b101000.1M is 40M to PHP; write 41472K"),
        ("memory_limit", "1.5G", "1.5G is 1G to PHP; it stands for 1536M, which is too large (1G at most)" + _NO_ROOM),
        # a '.' with no digits after it: the size PHP reads is the one written, told so
        ("post_max_size", "0x1.G", "0x1.G is 1G to PHP, which is too large (512M at most): write 512M"),
        ("post_max_size", "1.G", "1.G is 1G to PHP, which is too large (512M at most): write 512M"),
        ("memory_limit", "2.0G", "2.0G is 2G to PHP, which is too large (1G at most)" + _NO_ROOM),
        # past PHP's integers (2^63 - 1 bytes): PHP warns and reads another number, none is told
        (
            "memory_limit",
            "0x400000000000M",
            "0x400000000000M is too large, past the largest size PHP reads at all (2^63 - 1 bytes)",
        ),
        (
            "upload_max_filesize",
            "0xFFFFFFFFFFFFFFFFG",
            "0xFFFFFFFFFFFFFFFFG is too large, past the largest size PHP reads at all (2^63 - 1 bytes)",
        ),
        (
            "post_max_size",
            "0x40000000000000000",
            "0x40000000000000000 is too large, past the largest size PHP reads at all (2^63 - 1 bytes)",
        ),
        # in PHP's range, too large for the setting: said in its words
        (
            "memory_limit",
            "0x400000000M",
            "0x400000000M is 17179869184M to PHP, which is too large (1G at most)" + _NO_ROOM,
        ),
        ("upload_max_filesize", "0x8", "0x8 is 8 bytes to PHP, which is too small (1M at least)"),
    ],
)
def test_a_php_size_in_another_base_is_told_what_php_reads_or_that_it_is_too_large(
    tmp_path: Path, key: str, written: str, told: str
) -> None:
    """0x1.8G was told nothing of PHP's reading (1G, the fraction dropped), and 0xFFFFFFFFFFFFFFFFG 'is
    18446744073709551615G to PHP', a number PHP never reads (its sizes stop at 2^63 - 1 bytes; past them it warns
    and reads another): each is told as PHP reads it, or too large, with the setting's bounds."""
    [line] = _checked(tmp_path, SITE + f'  php_settings: {{{key}: "{written}"}}\n')
    assert f"php_settings.{key}: " in line and line.endswith(told), line
    assert "Traceback" not in line and "18446744073709551615" not in line, line


@pytest.mark.parametrize(
    ("key", "written", "told"),
    [
        ("memory_limit", "1.5G", "1.5G is 1G to PHP; it stands for 1536M, which is too large (1G at most): write 1G"),
        ("memory_limit", "1.25g", "it stands for 1280M, which is too large (1G at most): write 1G"),
        ("post_max_size", "0.75G", "it stands for 768M, which is too large (512M at most): write 512M"),
        ("post_max_size", "1.G", "1.G is 1G to PHP, which is too large (512M at most): write 512M"),
        ("memory_limit", "0x1.8G", "it stands for 1536M, which is too large (1G at most): write 1G"),
    ],
)
def test_a_php_size_with_a_fraction_out_of_range_is_offered_the_bound(
    tmp_path: Path, key: str, written: str, told: str
) -> None:
    """php_settings: {memory_limit: 1.5G} ended 'too large (1G at most)' with nothing to write, where 1.0G is offered
    1G: the size meant (1536M) is past the setting's bound, and the bound is offered. PHP 8.2 on this machine: php -d
    memory_limit=1.5G warns 'Invalid quantity "1.5G", interpreting as "1G"', its scripts stopped at 1073741824
    bytes; so 1G is both what PHP would run with and the most the setting takes."""
    limits = "limits: {memory_mb: 2048}\n"  # room for 1G beside OPcache's 64 MB
    [line] = _checked(tmp_path, limits + SITE + f'  php_settings: {{{key}: "{written}"}}\n')
    assert f"php_settings.{key}: " in line and line.endswith(told), line


def test_a_php_size_past_its_bound_in_a_small_container_is_told_the_room_it_has(tmp_path: Path) -> None:
    """memory_limit: 1.5G in a container of 256 MB (the stack's default): 1G, the setting's bound, is not offered
    where the site's container leaves PHP 192M: that is told instead, as 1.0G (1G) is."""
    [line] = _checked(tmp_path, SITE + '  php_settings: {memory_limit: "1.5G"}\n')
    assert line.endswith(
        "which is too large (1G at most); 1G is more than the site's container (256 MB) leaves PHP beside "
        "OPcache's 64 MB (192M at most)"
    ), line


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (SITE + '  php_settings: {memory_limit: "0o777M"}\n', "PHP reads 0o as an octal number's prefix"),
        (SITE + '  php_settings: {memory_limit: "0o1.4G"}\n', "PHP reads 0o as an octal number's prefix"),
        (SITE + '  php_settings: {memory_limit: "0x40M"}\n', "PHP reads 0x as a hexadecimal number's prefix"),
        (MINIMAL.replace("uid: 10600", "uid: 0o"), "it is an octal number's prefix without digits"),
        (MINIMAL.replace("uid: 10600", "uid: 0b"), "it is a binary number's prefix without digits"),
    ],
)
def test_the_article_before_a_base_s_name_is_the_one_english_says(tmp_path: Path, text: str, words: str) -> None:
    """0o777M was told 'PHP reads 0o as a octal number's prefix': an before octal, a before hexadecimal."""
    [line] = _checked(tmp_path, text)
    assert words in line and " a octal" not in line, line


@pytest.mark.parametrize(
    ("word", "article"),
    [
        ("octal", "an"),
        ("hexadecimal", "a"),
        ("binary", "a"),
        ("8192-bit", "an"),
        ("800-bit", "an"),
        ("18432-bit", "an"),
        ("11-bit", "an"),
        ("11000-bit", "an"),
        ("1100-bit", "a"),
        ("1024-bit", "a"),
        ("118-bit", "a"),
        ("unit", "a"),
        ("unknown", "an"),
    ],
)
def test_the_article_before_a_number_or_a_word_is_said_by_its_sound(word: str, article: str) -> None:
    """An 8192-bit key, an 18432-bit one (eighteen thousand...), a 1100-bit one (one thousand...): by how the word
    or the number's first digits are said."""
    assert a_or_an(word) == article


@pytest.mark.parametrize("setting", ["memory_limit", "max_execution_time", "upload_max_filesize"])
@pytest.mark.parametrize("written", ["\u2077", "\u2466", "1\u00b2"])
def test_a_php_setting_in_superscript_or_circled_digits_is_told_not_a_traceback(
    tmp_path: Path, setting: str, written: str
) -> None:
    """memory_limit: "⁷" (a superscript, or a circled ⑦) ended pic check with int()'s ValueError: str.isdigit() is
    true for them, int() reads decimal digits alone. Told as the setting's value refused, at its field."""
    [line] = _checked(tmp_path, SITE + f'  php_settings: {{{setting}: "{written}"}}\n')
    assert f"site.php_settings.{setting}: " in line and "invalid literal" not in line, line


@pytest.mark.parametrize("domain", ["Lilas2024x.", ".Lilas2024x"])
def test_a_domain_shaped_as_a_password_with_a_dot_around_it_is_not_shown(tmp_path: Path, domain: str) -> None:
    """site.domains: ["Lilas2024x."] was told it ends with a dot, the value shown, where Lilas2024x alone is hidden."""
    told = _checked(tmp_path, SITE.replace("probe-asso.org", domain, 1))
    assert told and not any("ilas2024" in line.lower() for line in told), told


@pytest.mark.parametrize("written", ["8.0", "8.10", "9.0"])
def test_a_number_naming_no_runtime_of_the_stack_in_quotes_either_says_of_what(tmp_path: Path, written: str) -> None:
    """php: 8.0 was told 'written in quotes it is not one (the stack's runtimes: ...)', 'one' of nothing said before:
    what the text in quotes is none of is named, then listed."""
    [line] = _checked(tmp_path, MINIMAL + f"site:\n  domains: [probe-asso.org]\n  php: {written}\n")
    assert line.endswith(
        f"site.php: {written} is not a string, and written in quotes it is none of the stack's runtimes "
        "(7.4, 8.2, 8.3, 8.4, 8.5, or none)"
    ), line


@pytest.mark.parametrize(
    ("written", "told"),
    [
        ("0b1111101000", "0b1111101000 is text to YAML 1.2, not a number: write 1000 (binary 0b1111101000) in decimal"),
        ("0X3E8", "0X3E8 is text to YAML 1.2, not a number: write 1000 (hexadecimal 0X3E8) in decimal digits"),
        ("0x_3E8", "0x_3E8 is text to YAML 1.2, not a number: write 1000 (hexadecimal 0x_3E8) in decimal digits"),
        ("1_000", "1_000 is text to YAML 1.2, not a number: write 1000, without separators between the digits"),
        ('"0x3E8"', '"0x3E8" is text: write 1000 (hexadecimal 0x3E8) in decimal digits, without quotes'),
        ("1e3", "1e3 is a number with a fraction or an exponent: write 1000"),
        ("0b1", "0b1 is text to YAML 1.2, not a number: it reads as 1, which is out of range: max_input_vars must be"),
        ("0X1", "0X1 is text to YAML 1.2, not a number: it reads as 1, which is out of range: max_input_vars must be"),
    ],
)
def test_a_php_count_written_as_another_number_is_told_its_reading(tmp_path: Path, written: str, told: str) -> None:
    """max_input_vars: 0b1111101000 (1000 in binary, an integer of YAML 1.1) was told 'write the number with digits
    only (1000, not 1_000)', 0X3E8 'is text: ... written without quotes' (it has none), 1e3 nothing of 1000, where
    0x3E8 is read as 1000: each is told the number it reads as, offered when the setting takes it, then taken."""
    [line] = _checked(tmp_path / "a", SITE + f"  php_settings:\n    max_input_vars: {written}\n")
    assert f"php_settings.max_input_vars: {told}" in line, line
    if "write 1000" in told:
        assert _checked(tmp_path / "b", SITE + "  php_settings:\n    max_input_vars: 1000\n") == []


@pytest.mark.parametrize(
    ("written", "told"),
    [
        (
            "2m",
            '"2m" is seconds with a unit, which PHP does not read: it takes the digits before it, 2 seconds; write 120',
        ),
        (
            '"120s"',
            '"120s" is seconds with a unit, which PHP does not read: it takes the digits before it, 120 seconds;',
        ),
        ("1h", '"1h" is seconds with a unit, which PHP does not read: it takes the digits before it, 1 second; 1h is'),
        ("5 min", '"5 min" is seconds with a unit, which PHP does not read: it takes the digits before it, 5 seconds;'),
        ("2M", '"2M" is seconds with a unit, which PHP does not read: it takes the digits before it, 2 seconds;'),
        ("120S", '"120S" is seconds with a unit, which PHP does not read: it takes the digits before it, 120 seconds;'),
        ("2m30s", '"2m30s" is seconds with a unit, which PHP does not read: it takes the digits before it, 2 seconds;'),
        ("1.5m", '"1.5m" is seconds with a unit, which PHP does not read: it takes the digits before it, 1 second;'),
    ],
)
def test_php_seconds_written_with_a_unit_are_told_as_php_reads_them(tmp_path: Path, written: str, told: str) -> None:
    """max_execution_time: 2m was told 'is text: ... written without quotes', nothing of what it would do: PHP reads
    the digits before a unit alone (php -d max_execution_time=2m stops a script after 2 seconds, 1h after 1): the
    reading is told, and the seconds meant offered when the setting takes them."""
    [line] = _checked(tmp_path / "a", SITE + f"  php_settings:\n    max_execution_time: {written}\n")
    assert f"php_settings.max_execution_time: {told}" in line, line
    if written in ('"120s"', "120S", "2M"):
        assert line.endswith("write 120"), line
    if written == "2m30s":
        assert line.endswith("write 150"), line
    if written == "1.5m":
        assert line.endswith("write 90"), line
    if written == "1h":
        assert line.endswith(
            "1h is 3600 seconds, out of range: max_execution_time must be a whole number from 1 to 600 seconds"
        ), line
    if written == "2m":
        assert _checked(tmp_path / "b", SITE + "  php_settings:\n    max_execution_time: 120\n") == []


@pytest.mark.parametrize(
    ("memory_mb", "written", "read", "needed"),
    [
        (72, "0o777M", "511M", 575),
        (64, "0o777M", "511M", 575),
        (32, "0x20M", "32M", 96),
        (72, "0o20M", "16M", 80),
    ],
)
def test_a_php_size_no_memory_limit_of_a_small_container_takes_is_told_none_fits(
    tmp_path: Path, memory_mb: int, written: str, read: str, needed: int
) -> None:
    """memory_limit: "0o777M" on a site whose container (limits.memory_mb: 72, 64, 32) leaves PHP less than the
    setting's least (16M) beside OPcache's 64 MB was told '(8M at most)', '(0M at most)', '(-32M at most)': sizes
    the setting refuses or none at all, so no size offered and no reason: it is told that no memory_limit fits, and
    what to raise the container's limit to for the size PHP reads, as memory_limit: 1G is."""
    text = SITE + f'  php_settings: {{memory_limit: "{written}"}}\nlimits: {{memory_mb: {memory_mb}}}\n'
    [line] = _checked(tmp_path, text)
    assert line.endswith(
        f"{written} is {read} to PHP; {read} is more than the site's container ({memory_mb} MB) leaves PHP beside "
        f"OPcache's 64 MB: no memory_limit of PHP (16M at least) fits: raise the container's limit to {needed} MB "
        "first"
    ), line
    assert " at most)" not in line, line


@pytest.mark.parametrize(
    ("settings", "key", "told", "meant"),
    [
        # the site's container (256 MB, the stack's default) leaves PHP 192M beside OPcache's 64 MB
        ("{memory_limit: '0x100M'}", "memory_limit", ("0x100M is 256M to PHP", "256M is more than"), "192M"),
        ("{memory_limit: '0400M'}", "memory_limit", ("0400M is 256M to PHP", "400M is more than"), "192M"),
        ("{memory_limit: '0.25G'}", "memory_limit", ("0.25G is 0 to PHP", "256M is more than"), "192M"),
        # post_max_size stays at least upload_max_filesize
        (
            "{upload_max_filesize: 64M, post_max_size: '0x20M'}",
            "post_max_size",
            ("0x20M is 32M to PHP", "32M is less than"),
            "64M",
        ),
    ],
)
def test_a_php_size_the_site_does_not_take_is_told_why_not_offered(
    tmp_path: Path, settings: str, key: str, told: tuple[str, str], meant: str
) -> None:
    """memory_limit: "0x100M" was told '0x100M is 256M to PHP' and nothing more, 256M offered nowhere and refused when
    written (more than the site's container leaves PHP): the size PHP reads is told refused by the site, and why,
    with the size the site takes, which is then taken."""
    read, why = told  # what PHP reads, and the size offered that the site refuses
    [line] = _checked(tmp_path / "a", SITE + f"  php_settings: {settings}\n")
    assert f"php_settings.{key}: " in line and read in line and f"; {why} " in line, line
    assert line.endswith(f"({meant} at most)" if key == "memory_limit" else f"({meant})"), line
    written = settings.rsplit(": ", maxsplit=1)[0] + f": {meant}}}"
    assert _checked(tmp_path / "b", SITE + f"  php_settings: {written}\n") == []


@pytest.mark.parametrize(
    ("written", "told"),
    [
        # as PyYAML (YAML 1.1) and this loader (YAML 1.2's core schema) read each: yaml.safe_load("0b1") is 1
        ("0b1", "0b1 is 1 to YAML 1.1 (binary) and text to YAML 1.2: write true"),
        ("0b0", "0b0 is 0 to YAML 1.1 (binary) and text to YAML 1.2: write false"),
        ("1_0", "1_0 is 10 to YAML 1.1 and text to YAML 1.2, and neither is true or false: write true or false"),
        ("0o1", "0o1 is text to YAML 1.1 and 1 to YAML 1.2: write true"),
        ("1e0", "1e0 is text to YAML 1.1 and 1 to YAML 1.2: write true"),
        ("0x1", "0x1 is 1 to YAML 1.1 and 1.2 alike: write true"),
        ("1.0", "1.0 is 1 to YAML 1.1 and 1.2 alike: write true"),
        ("0x2", "0x2 is 2 to YAML 1.1 and 1.2 alike, which is not true or false: write true or false"),
        ("010", "8 to YAML 1.1 (octal) and 10 to YAML 1.2 (decimal), and neither is true or false: write true or"),
        ("01", "1 to YAML 1.1 and 1.2 alike, a number, not true or false: write true"),
        ("00", "0 to YAML 1.1 and 1.2 alike, a number, not true or false: write false"),
    ],
)
@pytest.mark.parametrize(
    "where",
    [
        MINIMAL + "access: {ssh: VALUE}\n",
        MINIMAL + "site: {domains: [probe-asso.org], php: '8.4', https: VALUE}\n",
        SITE + "  php_settings: {display_errors: VALUE}\n",
    ],
)
def test_a_number_where_true_or_false_goes_is_told_how_yaml_1_1_and_1_2_read_it(
    tmp_path: Path, where: str, written: str, told: str
) -> None:
    """access.ssh: 0b1 was told 'is not true or false: write true or false, without quotes', 010 to 'write the number
    meant without leading zeros', 0o1 and 1.0 nothing of how YAML reads them: a number's spelling where true or false
    goes is told as YAML 1.1 (PyYAML, yamllint's default) and YAML 1.2 (this loader, editors) read it, and true or
    false written for what it means, in every yes/no field."""
    [line] = _checked(tmp_path, where.replace("VALUE", written))
    assert told in line, line
    assert "without leading zeros" not in line and "quotes" not in line, line


@pytest.mark.parametrize(
    ("where", "written", "older", "newer"),
    [
        ("limits: {cpus: VALUE}\n", "010", 8, 10),
        ("limits: {memory_mb: VALUE}\n", "0100", 64, 100),
        ("limits: {cpus: VALUE}\n", "02", None, 2),
    ],
)
def test_a_number_with_a_leading_zero_in_a_field_of_numbers_is_offered_its_readings(
    tmp_path: Path, where: str, written: str, older: int | None, newer: int
) -> None:
    """limits.cpus: 010 was told 'write the number meant without leading zeros (or quote it if it is text)': a field
    of numbers refuses it in quotes, and the two numbers meant (8 to YAML 1.1, 10 to YAML 1.2 and to docker run --cpus,
    which reads decimal digits) went unsaid: both are offered, and no quotes."""
    [line] = _checked(tmp_path, MINIMAL + where.replace("VALUE", written))
    assert "quote" not in line, line
    offered = f"write {older} or {newer}, the one meant" if older is not None else f"write {newer}"
    assert offered in line, line


@pytest.mark.parametrize(
    ("written", "told"),
    [
        ("1e0", "1e0 is text to YAML 1.1 and 1 to YAML 1.2: write 1.0, which both read as 1"),
        ("1E0", "1E0 is text to YAML 1.1 and 1 to YAML 1.2: write 1.0, which both read as 1"),
        ("1.5e0", "1.5e0 is text to YAML 1.1 and 1.5 to YAML 1.2: write 1.5, which both read as 1.5"),
        ("2.5e1", "2.5e1 is text to YAML 1.1 and 25 to YAML 1.2: write 25.0, which both read as 25"),
    ],
)
def test_a_number_with_an_exponent_yaml_1_1_reads_as_text_is_refused_in_a_field_of_numbers(
    tmp_path: Path, written: str, told: str
) -> None:
    """limits.cpus: 1e0 was taken as 1 CPU, where cpus: 010 is refused for its two readings: PyYAML (YAML 1.1, whose
    floats have a '.' and a signed exponent) reads yaml.safe_load('1e0') as the text '1e0', YAML 1.2 (this loader) as
    1.0; it is refused the same way, both readings told and a number both read alike offered. 1.5e+0 and 0x1 (read
    alike by both) stay taken, as 1.0 does."""
    import yaml

    assert yaml.safe_load(written) == written  # text to YAML 1.1
    [line] = _checked(tmp_path, MINIMAL + f"limits: {{cpus: {written}}}\n")
    assert f"limits.cpus: {told}" in line, line
    [stack] = [p for p in _settings_problems(f"cpus: {written}") if "pic:limits.cpus" in p]
    assert stack.endswith(f"pic:limits.cpus: {told}"), stack


@pytest.mark.parametrize("written", ["1.5e+0", "0x1", "1.0", "1"])
def test_a_number_both_yaml_versions_read_alike_is_taken_as_cpus(tmp_path: Path, written: str) -> None:
    import yaml

    assert yaml.safe_load(written) in (1, 1.5)
    assert _checked(tmp_path, MINIMAL + f"limits: {{cpus: {written}}}\n") == []
    assert _settings_problems(f"cpus: {written}") == []


def _settings_problems(cpus: str) -> list[str]:
    """The problems of the prod stack with ``cpus: 1.0`` of pic:limits written ``cpus``."""
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        text = (ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8")
        assert "cpus: 1.0" in text
        (Path(directory) / "Pulumi.prod.yaml").write_text(text.replace("cpus: 1.0", cpus), encoding="utf-8")
        try:
            load_settings(Path(directory), "prod")
        except PicError as refused:
            return [str(p) for p in refused.problems]
    return []
