"""Stack settings: Pulumi.<stack>.yaml's pic: keys, their valid and invalid forms, secrets kept opaque."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from pic import eol
from pic.errors import PicError, Problem
from pic.registry import load_registry
from pic.render import mail
from pic.settings import SecretRef, load_settings
from pic.yamlsrc import MAX_FILE_BYTES
from tests.conftest import IN_CI, ROOT
from tests.helpers import project_copy, sympa_valid_email


def _edit(project: Path, old: str, new: str, stack: str = "prod") -> None:
    path = project / f"Pulumi.{stack}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in the stack file"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(project: Path) -> str:
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    return str(info.value)


def test_prod_and_dev_load() -> None:
    prod = load_settings(ROOT, "prod")
    assert prod.web_hosts == ["web1"] and prod.db_host == "db"
    assert prod.runtime_keys() == ["7.4", "8.2", "8.3", "8.4", "8.5"]
    assert {k: r.debian for k, r in prod.runtimes.items() if r.apt_source is None} == {
        "7.4": "bullseye",
        "8.2": "bookworm",
        "8.4": "trixie",
    }
    dev = load_settings(ROOT, "dev")
    assert {h.connection for h in dev.hosts.values()} == {"local"}
    assert dev.tls.ca == "internal"


def test_secure_values_stay_opaque(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    with (project / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write("  pic:dbAdminPassword:\n    secure: v1:3ZK1fj8NGl7hmh3H:n4TlzGmF5tJ1u9sn1sHz3E0HQ24nEkTj\n")
    settings = load_settings(project, "prod")
    assert settings.secrets == {"dbAdminPassword": SecretRef("dbAdminPassword")}
    assert "n4Tlz" not in repr(settings) and "n4Tlz" not in settings.model_dump_json()


def test_plain_secret_is_refused(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    with (project / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write("  pic:dbAdminPassword: hunter2\n")
    text = _errors(project)
    assert "pic:dbAdminPassword" in text and "--secret" in text
    assert "hunter2" not in text, "the secret itself must never be echoed"


def test_other_namespaces_are_left_to_their_providers(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    with (project / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write("  docker:host: ssh://deploy@web1.example.org\n")
    load_settings(project, "prod")


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("pic:eol_warning_days: 365", "pic:eol_warnings_days: 365", "pic:eol_warnings_days"),
        ("ca: letsencrypt}", "ca: zerossl}", "pic:tls.ca"),
        ('time: "03:15"', 'time: "25:00"', "pic:backup.time"),
        ("keep_days: 7", "keep_days: 0", "pic:backup.keep_days"),
        ("role: db,", "role: web,", "pic:hosts"),
        ("private_address: 10.0.0.11", "private_address: 10.0.0.300", "pic:hosts.web1.private_address"),
        ('"8.2": {debian', '"8.x": {debian', "pic:runtimes.8.x"),
        ("eol: 2027-12-31", "eol: 2027-02-30", "pic:runtimes.8.3.eol"),
        ('"8.4": {debian: trixie', '"8.4": {debian: Trixie', "pic:runtimes.8.4.debian"),
        (
            "fingerprint: 15058500A0235D97F5D1",
            "fingerprint: 15058500a0235d97f5d1",
            "pic:runtimes.8.3.apt_source.fingerprint",
        ),
        ("sympa_domain: listes.example.org", "sympa_domain: Listes.example.org", "pic:mail.sympa_domain"),
        ("pic:admin_email: admin@example.org", "pic:admin_email: admin", "pic:admin_email"),
        ("ssh_user: deploy}", "ssh_user: deploy, port: 2222}", "pic:hosts.web1.port"),
    ],
)
def test_invalid_setting_names_file_line_and_field(tmp_path: Path, old: str, new: str, expect: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    line = next((ln for ln in text.splitlines() if expect in ln), None)
    assert line is not None, text
    assert line.startswith(str(project / "Pulumi.prod.yaml") + ":"), f"no file:line in {line!r}"


def test_a_value_meant_in_lowercase_is_named_unless_it_may_hold_a_password() -> None:
    """A value of a fixed form written in capitals is told the value meant ("Web1": 'web1'), but never one that may
    hold a user and password (a URL, user@host), which would show the password the message hides."""
    from pic.validators import Whole

    anything = Whole(r"[a-z0-9@:/._-]+", "lowercase")
    assert anything.meant("Web1") == "web1"
    assert anything.meant("HTTPS://bob:s3cretpw9@packages.sury.org/php/") is None
    assert anything.meant("Bob:s3cretpw9@relay.example.org") is None
    with pytest.raises(ValueError) as caught:
        anything.check("HTTPS://bob:s3cretpw9@packages.sury.org/php/")
    assert "s3cretpw9" not in str(caught.value), caught.value


_HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKgn4+KEIcVzFFiuOh4a57af6hgtHus94qvvVwh3ZeG+"
_BACKUP = '  pic:backup: {time: "03:15", keep_days: 7}'
_OFFSITE = (
    '  pic:backup: {time: "03:15", keep_days: 7, offsite: {repository: "sftp://restic@vault.example.net//srv/r", '
    "known_hosts: %s}}"
)


@pytest.mark.parametrize(
    ("old", "new", "value"),
    [
        ("  pic:members_root: /srv/members", "  pic:members_root: %s", "/srv/Members "),
        ("  pic:members_root: /srv/members", "  pic:members_root: %s", "/srv/Web Sites"),
        (_BACKUP, _OFFSITE, f" vault.example.net {_HOST_KEY}"),
    ],
)
def test_a_value_whose_capitals_count_is_offered_in_its_case(tmp_path: Path, old: str, new: str, value: str) -> None:
    """A value of a form that takes capitals, written with a blank too ("/srv/Members ", a host key line after a
    space), was offered in lowercase: another directory, a host key of other bytes, refused in turn (key data
    OpenSSH cannot read). What is offered keeps the value's case, and is taken when written back."""
    (tmp_path / "first").mkdir()
    (tmp_path / "again").mkdir()
    project = project_copy(tmp_path / "first")
    _edit(project, old, new % json.dumps(value))
    said = _errors(project)
    offers = re.findall(r"did you mean '([^']*)'\?", said)
    assert offers, said
    for offered in offers:
        assert any(c.isupper() for c in offered), f"{offered!r} offered for {value!r}: {said}"
        again = project_copy(tmp_path / "again")
        _edit(again, old, new % json.dumps(offered))
        load_settings(again, "prod")


@pytest.mark.parametrize(
    ("pattern", "written", "meant"),
    [
        ("IMAGE_RE", "Mariadb:11.4", "mariadb:11.4"),
        ("IMAGE_RE", "PHP:8.4-Apache", "php:8.4-Apache"),
        ("IMAGE_RE", "Docker.io/Library/Caddy:2.8", "docker.io/library/caddy:2.8"),
        ("KNOWN_HOSTS_RE", f"Vault.example.net {_HOST_KEY.replace('ssh-ed25519', 'SSH-ED25519')}", ""),
    ],
)
def test_a_value_whose_capitals_count_is_offered_with_only_the_capitals_refused_lowered(
    pattern: str, written: str, meant: str
) -> None:
    """Since the case of a form that takes both is kept, an image written with its name in capitals (Mariadb:11.4)
    was offered nothing, where mariadb:11.4 is meant; the letters lowered are only those up to where the form takes
    the value, its tag's (8.4-Apache) or a host key's kept as written."""
    from pic import settings
    from pic.validators import Whole

    whole = Whole(getattr(settings, pattern), "")
    expected = meant or f"vault.example.net {_HOST_KEY}"
    assert whole.meant(written) == expected
    whole.check(expected)


@pytest.mark.parametrize(
    "line",
    [
        f"vault.example.net  {_HOST_KEY}",
        f"vault.example.net {_HOST_KEY.replace(' ', '   ')}",
        f" vault.example.net  {_HOST_KEY}",
        f"vault.example.net\t{_HOST_KEY}",
        f"vault.example.net \t{_HOST_KEY.replace(' ', chr(9))}",
    ],
)
def test_a_known_hosts_line_with_blanks_in_a_row_is_offered_with_one(tmp_path: Path, line: str) -> None:
    """A host key line with two spaces or more, or tabs, between its fields (put together by hand; ssh reads any run
    of blanks as one, tabs and spaces alike) was refused as no known_hosts line, nothing offered; the line with one
    space between its fields is offered, and taken."""
    (tmp_path / "first").mkdir()
    (tmp_path / "again").mkdir()
    project = project_copy(tmp_path / "first")
    _edit(project, _BACKUP, _OFFSITE % json.dumps(line))
    said = _errors(project)
    single = " ".join(line.split())
    assert f"did you mean {single!r}?" in said, said
    again = project_copy(tmp_path / "again")
    _edit(again, _BACKUP, _OFFSITE % json.dumps(single))
    load_settings(again, "prod")


@pytest.mark.parametrize(
    ("written", "meant"),
    [("/srv/www/members/", "/srv/www/members"), ("/srv//www/members", "/srv/www/members"), ("/srv/./www", "/srv/www")],
)
def test_a_members_root_not_normalised_is_told_the_path_meant(tmp_path: Path, written: str, meant: str) -> None:
    """pic:members_root: /srv/www/members/ was told it is not a normalised path and given /srv/members as an example,
    another directory; the path meant is offered (a '..' left as it is: which directory it names depends on links),
    and taken."""
    project = project_copy(tmp_path)
    _edit(project, "  pic:members_root: /srv/members", f"  pic:members_root: {written}")
    said = _errors(project)
    assert f"write {meant!r}" in said and "e.g. /srv/members" not in said, said
    _edit(project, f"  pic:members_root: {written}", f"  pic:members_root: {meant}")
    assert load_settings(project, "prod").members_root == meant


def test_a_members_root_with_a_parent_directory_is_offered_none(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, "  pic:members_root: /srv/members", "  pic:members_root: /srv/a/../members")
    said = _errors(project)
    assert "is not a normalised path" in said and "write '" not in said, said


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("3:15", "03:15"),
        ("3h15", "03:15"),
        ("03h15", "03:15"),
        ("3.15", "03:15"),
        ("3H15", "03:15"),
        ("23h59", "23:59"),
        ("\uff10\uff13:\uff11\uff15", "03:15"),  # full-width digits (a Japanese or Chinese keyboard's)
        ("\uff13\uff1a\uff11\uff15", "03:15"),  # and colon
    ],
)
def test_a_time_written_another_common_way_is_told_the_time_meant(tmp_path: Path, written: str, meant: str) -> None:
    """A time of day written without its hour's leading zero or with 'h' between hour and minutes (the French
    way) is told the HH:MM it is, which the field then accepts."""
    project = project_copy(tmp_path)
    _edit(project, 'time: "03:15"', f'time: "{written}"')
    text = _errors(project)
    assert f"pic:backup.time: {written!r}".replace("'", '"') in text, text
    assert f"did you mean {meant!r}?" in text, text
    _edit(project, f'time: "{written}"', f'time: "{meant}"')
    assert load_settings(project, "prod").backup.time == meant


@pytest.mark.parametrize("written", ["24h00", "3:75", "315", "3:5", "24h", "3 15"])
def test_a_time_that_is_no_time_of_day_is_offered_none(tmp_path: Path, written: str) -> None:
    """No time is offered for a value that reads as none (an hour past 23, minutes past 59, digits alone)."""
    project = project_copy(tmp_path)
    _edit(project, 'time: "03:15"', f'time: "{written}"')
    text = _errors(project)
    assert "pic:backup.time" in text, text
    assert "did you mean" not in text, text


def test_a_setting_written_without_the_space_after_its_colon_is_named_at_its_line(tmp_path: Path) -> None:
    """pic:members_root:/srv/members reads as text going on to the next line, whose key YAML then refuses: the
    error was "a ':' where YAML cannot start a key" at that next line."""
    project = project_copy(tmp_path)
    _edit(project, "pic:members_root: /srv/members", "pic:members_root:/srv/members")
    text = _errors(project)
    line = next(n for n, ln in enumerate((project / "Pulumi.prod.yaml").read_text().splitlines(), 1) if "root:/" in ln)
    assert (
        f"Pulumi.prod.yaml:{line} invalid YAML: a key needs a space after its ':' (write 'pic:members_root: ...')"
        in (text)
    ), text


@pytest.mark.parametrize(
    ("old", "new", "value"),
    [
        ("private_address: 10.0.0.11,", "private_address: ::ffff:10.0.0.1,", "::ffff:10.0.0.1"),
        ("private_address: 10.0.0.11,", "private_address: ::1,", "::1"),
        ("web1: {role: web, ", "web1: {role: web, public_addresses: [::ffff:c000:20a], ", "::ffff:c000:20a"),
        ("web1: {role: web, ", "web1: {role: web, public_addresses: [192.0.2.10, ::2], ", "::2"),
    ],
)
def test_a_value_starting_with_a_colon_in_a_flow_mapping_is_told_to_be_quoted(
    tmp_path: Path, old: str, new: str, value: str
) -> None:
    """An IPv6 address starting with '::' unquoted inside '{...}' or '[...]' (private_address: ::ffff:10.0.0.1, in the
    hosts' one-line mappings) was told that a '[' or '{' is never closed: YAML reads its ':' there as a key's. It is
    told so, naming the value, with the quotes to put around it; quoted, the value is read."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    line = next(n for n, ln in enumerate((project / "Pulumi.prod.yaml").read_text().splitlines(), 1) if value in ln)
    assert (
        f"Pulumi.prod.yaml:{line} invalid YAML: a value starting with ':' inside '{{...}}' or '[...]' ({value}) is "
        "read by YAML as a key's ':': put the value in quotes" in text
    ), text
    assert "never closed" not in text, text
    _edit(project, value, json.dumps(value))
    with pytest.raises(PicError) as quoted:
        load_settings(project, "prod")
    assert "invalid YAML" not in str(quoted.value), quoted.value


def test_missing_stack_file_lists_known_stacks() -> None:
    with pytest.raises(PicError) as info:
        load_settings(ROOT, "staging")
    assert "Pulumi.staging.yaml" in str(info.value) and "dev, lab, prod" in str(info.value)


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, "ca: letsencrypt}", "ca: zerossl}")
    _edit(project, "keep_days: 7", "keep_days: 0")
    assert len(_errors(project).splitlines()) == 2


WEB0 = "    web0: {role: web, address: web0.example.org, private_address: 10.0.0.9, ssh_user: deploy}\n"
HOSTS = "  pic:hosts:\n"


def test_several_web_hosts_without_a_default_one_is_warned_of(tmp_path: Path) -> None:
    """Members without host: go to the web host whose name sorts first; one added later with a name sorting
    before it takes them all (was: said by pic plan only, once the change that adds it came)."""
    from pic.check import settings_warnings

    project = project_copy(tmp_path)
    _edit(project, HOSTS, HOSTS + WEB0.replace("web0", "web2").replace("10.0.0.9", "10.0.0.12"))

    def said() -> list[str]:
        settings = load_settings(project, "prod")
        return [p.message for p in settings_warnings(settings, project) if p.path == "pic:default_web_host"]

    assert said() == []  # pic:default_web_host: web1
    _edit(project, "  pic:default_web_host: web1\n", "")
    [warning] = said()
    assert "stack has 2 web hosts" in warning and "live on web1, the first by name" in warning, warning
    assert warning.endswith("write pic:default_web_host: web1"), warning
    (tmp_path / "single").mkdir()
    single = project_copy(tmp_path / "single")
    _edit(single, "  pic:default_web_host: web1\n", "")
    assert not [p for p in settings_warnings(load_settings(single, "prod"), single) if "default_web" in p.path]


def test_default_hosts_come_from_names_never_from_the_order_of_the_file(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, HOSTS, HOSTS + WEB0)  # a web host listed first, whose name also sorts first
    named = load_settings(project, "prod")
    assert named.web_hosts == ["web0", "web1"]
    assert (named.default_host, named.mail_host) == ("web1", "web1")  # pic:default_web_host, pic:mail.host
    _edit(project, "  pic:default_web_host: web1\n", "")
    _edit(project, "pic:mail: {host: web1, ", "pic:mail: {")
    derived = load_settings(project, "prod")
    assert (derived.default_host, derived.mail_host) == ("web0", "web0")  # the first name in sort order
    _edit(project, HOSTS + WEB0, HOSTS)
    _edit(project, "    db: {role: db", WEB0 + "    db: {role: db")  # web0 listed last: the same
    assert load_settings(project, "prod").default_host == "web0"


def test_a_default_web_host_that_is_no_web_host_is_named(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, "pic:default_web_host: web1", "pic:default_web_host: db")
    errors = _errors(project)
    assert 'pic:default_web_host: "db" is not a web host of the stack (known: web1)' in errors
    assert "Pulumi.prod.yaml:" in errors


BACKUP = '  pic:backup: {time: "03:15", keep_days: 7}'
MEMBERS_ROOT = "pic:members_root: /srv/members"
MR = f"  {MEMBERS_ROOT}"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"


def _offsite(repository: str, known: str = "vault.example.net") -> str:
    return BACKUP[:-1] + f", offsite: {{repository: '{repository}', known_hosts: '{known} {KEY}'}}}}"


def _dns(keys: str) -> str:
    return f"pic:dns: {{backend: zonefile, zones: [example.org], {keys}}}\n{MR}"


# What the hosts would do with a setting: each of these is accepted by its type, and breaks a host.
HARMFUL = [
    ("pic:members_root: /srv/members", "pic:members_root: /srv/../etc", "pic:members_root", "normalised"),
    ("pic:members_root: /srv/members", "pic:members_root: /srv/./members", "pic:members_root", "normalised"),
    ("pic:members_root: /srv/members", "pic:members_root: /srv//members", "pic:members_root", "normalised"),
    ("pic:members_root: /srv/members", "pic:members_root: /srv/members/", "pic:members_root", "normalised"),
    ("pic:members_root: /srv/members", "pic:members_root: /etc", "pic:members_root", "system directory"),
    ("pic:members_root: /srv/members", "pic:members_root: /usr/local/members", "pic:members_root", "system"),
    ("pic:members_root: /srv/members", "pic:members_root: /var/lib/docker", "pic:members_root", "system"),
    ("pic:members_root: /srv/members", "pic:members_root: /home", "pic:members_root", "system directory"),
    ("pic:members_root: /srv/members", "pic:members_root: /home/deploy", "pic:members_root", "a user's home"),
    ("pic:members_root: /srv/members", "pic:members_root: /home/deploy/sites", "pic:members_root", "a user's home"),
    # "/" is an absolute path of the characters allowed: refused as the root directory, not as no such path
    ("pic:members_root: /srv/members", "pic:members_root: /", "pic:members_root", '"/" is the root directory itself'),
    ("pic:members_root: /srv/members", 'pic:members_root: "/srv/members\\n"', "pic:members_root", "not allowed"),
    # a name of the characters and length the message states, refused for its first character: said so
    (
        "ssh_user: deploy}",
        "ssh_user: 1deploy}",
        "pic:hosts.web1.ssh_user",
        '"1deploy" is not allowed here: a unix user name (lowercase letters, digits, _ and -, starting with a letter '
        "or _, 32 at most)",
    ),
    (
        "dkim_selector: pic,",
        "dkim_selector: pic-,",
        "pic:mail.dkim_selector",
        '"pic-" is not allowed here: one DNS label: lowercase letters, digits and -, not starting or ending with -, '
        "63 characters at most",
    ),
    (
        "private_address: 10.0.0.10,",
        "private_address: 10.0.0.11,",
        "pic:hosts.db.private_address",
        '"10.0.0.11" is also the address of web1',
    ),
    (
        "address: db.example.org,",
        "address: web1.example.org,",
        "pic:hosts.db.address",
        '"web1.example.org" is also the address of web1',
    ),
    (
        "private_address: 10.0.0.11",
        "private_address: 0.0.0.0",
        "pic:hosts.web1.private_address",
        '"0.0.0.0" is the unspecified address, not the address of one host',
    ),
    (
        "private_address: 10.0.0.11",
        "private_address: '::'",
        "pic:hosts.web1.private_address",
        "not the address of one host",
    ),
    (
        "private_address: 10.0.0.11",
        "private_address: 224.0.0.1",
        "pic:hosts.web1.private_address",
        "not the address of one host",
    ),
    (
        "private_address: 10.0.0.11",
        "private_address: 127.0.0.1",
        "pic:hosts.web1.private_address",
        '"127.0.0.1" is a loopback',
    ),
    (
        "address: web1.example.org,",
        "address: 0.0.0.0,",
        "pic:hosts.web1.address",
        "address, not the address of one host",
    ),
    ("address: web1.example.org,", "address: '::',", "pic:hosts.web1.address", "address, not the address of one host"),
    (
        "address: web1.example.org,",
        "address: 224.0.0.1,",
        "pic:hosts.web1.address",
        "address, not the address of one host",
    ),
    (
        "private_address: 10.0.0.10",
        "private_address: '::ffff:10.0.0.11'",
        "pic:hosts.db.private_address",
        "IPv4-mapped",
    ),
    (
        "private_address: 10.0.0.11",
        "private_address: '::ffff:127.0.0.1'",
        "pic:hosts.web1.private_address",
        "IPv4-mapped",
    ),
    ("address: db.example.org,", "address: '::ffff:192.0.2.1',", "pic:hosts.db.address", "IPv4-mapped"),
    (
        "pic:members_root: /srv/members",
        f"pic:members_root: /srv/{'m' * 256}",
        "pic:members_root",
        "at most 255 (NAME_MAX)",
    ),
    (
        "pic:members_root: /srv/members",
        "pic:members_root: /srv" + "/m" * 600,
        "pic:members_root",
        "is 1204 characters long (at most 1024)",
    ),
    (
        MEMBERS_ROOT,
        f'{MEMBERS_ROOT}\n  pic:smtp: {{host: smtp.example.org, username: "a\\r\\nMAIL FROM:<x>"}}',
        "pic:smtp.username",
        "U+000D",
    ),
    (
        MEMBERS_ROOT,
        f'{MEMBERS_ROOT}\n  pic:smtp: {{host: smtp.example.org, username: "a\\0b"}}',
        "pic:smtp.username",
        "U+0000",
    ),
    (
        MEMBERS_ROOT,
        f"{MEMBERS_ROOT}\n  pic:stack: lab",
        "pic:stack",
        "is not a setting: the stack's name is the file's",
    ),
    (
        MEMBERS_ROOT,
        f"{MEMBERS_ROOT}\n  pic:secrets: {{dbAdminPassword: hunter2}}",
        "pic:secrets",
        "is not a setting: each secret is a key of its own",
    ),
    (
        MEMBERS_ROOT,
        f"{MEMBERS_ROOT}\n  pic:dbAdminPassword: {{secure: null}}",
        "pic:dbAdminPassword.secure",
        "is empty (null), no ciphertext: set the secret with `pulumi config set --secret pic:dbAdminPassword`",
    ),
    # One name, one role of the platform.
    (
        "dkim_selector: pic,",
        "dkim_selector: pic, mx: db.example.org,",
        "pic:mail.mx",
        '"db.example.org" is also pic:hosts.db.address',
    ),
    (
        "sympa_domain: listes.example.org",
        "sympa_domain: db.example.org",
        "pic:mail.sympa_domain",
        "is also pic:hosts.db",
    ),
    ("domain: pma.example.org", "domain: web1.example.org", "pic:phpmyadmin.domain", "is also pic:hosts.web1.address"),
    (
        "sympa_domain: listes.example.org",
        "sympa_domain: example.org",
        "pic:admin_email",
        'its domain "example.org" is also pic:mail.sympa_domain',
    ),
    ("ssh_user: deploy}", "ssh_user: deploy, ssh_port: 443}", "pic:hosts.web1.ssh_port", "front proxy"),
    ("ssh_user: deploy}", "ssh_user: deploy, ssh_port: 25}", "pic:hosts.web1.ssh_port", "Postfix"),
    ("ssh_user: deploy}", "ssh_user: deploy, ssh_port: 3306}", "pic:hosts.web1.ssh_port", "database endpoint"),
    ("ssh_user: deploy}", "ssh_user: deploy, ssh_port: 53}", "pic:hosts.web1.ssh_port", "53 is its local resolver's"),
    (
        "10.0.0.10, ssh_user: deploy}",
        "10.0.0.10, ssh_user: deploy, ssh_port: 3306}",
        "pic:hosts.db.ssh_port",
        "MariaDB",
    ),
    (
        "10.0.0.10, ssh_user: deploy}",
        "10.0.0.10, ssh_user: deploy, ssh_port: 2222}\n  pic:db: {port: 2222}",
        "pic:hosts.db",
        "MariaDB",
    ),
    ("private_address: 10.0.0.10", "private_address: 172.30.0.1", "pic:hosts.db.private_address", "sites' containers"),
    (
        "address: web1.example.org",
        "address: 172.30.200.9",
        "pic:hosts.web1.address",
        "network of the sites' containers",
    ),
    ("pic:members_root: /srv/members", "pic:members_root: /srv/pic", "pic:members_root", "platform's own directory"),
    ("pic:members_root: /srv/members", "pic:members_root: /srv/pic/caddy", "pic:members_root", "platform's own"),
    ("sympa_domain: listes.example.org", "sympa_domain: listes.pic.test", "pic:mail", "special-use"),
    ("dkim_selector: pic,", "dkim_selector: pic, mx: listes.example.org,", "pic:mail.mx", "is also sympa_domain"),
    (
        "sympa_domain: listes.example.org",
        "sympa_domain: web1.example.org",
        "pic:mail.sympa_domain",
        "is also the mail host address",
    ),
    ("dkim_selector: pic,", "dkim_selector: pic, mx: mx.corp.internal,", "pic:mail", "special-use"),
    (
        "domain: pma.example.org",
        "domain: pma.home.arpa",
        "pic:phpmyadmin.domain",
        "'pma.home.arpa' is under .arpa, a special-use",
    ),
    (
        "pic:members_root: /srv/members",
        "pic:dns: {backend: zonefile, zones: [example.org, corp.lan], listen: [192.0.2.53]}\n"
        "  pic:members_root: /srv/members",
        "pic:dns.zones[1]",
        "'corp.lan' is under .lan, which is no top-level domain",
    ),
    (
        "pic:members_root: /srv/members",
        "pic:dns: {backend: zonefile, zones: [example.org], nameservers: [ns1.example.org, ns2.pic.test],"
        " listen: [192.0.2.53]}\n  pic:members_root: /srv/members",
        "pic:dns.nameservers[1]",
        "'ns2.pic.test' is under .test, a special-use",
    ),
    (
        "pic:members_root: /srv/members",
        'pic:db: {dev_subnet: "172.30.57.0/24"}\n  pic:members_root: /srv/members',
        "pic:db.dev_subnet",
        "Pool overlaps",
    ),
    (
        '"8.4": {debian: trixie',
        '"8.4": {debian: bookworm',
        "pic:runtimes.8.4.debian",
        "has PHP 8.2 in its own packages, not PHP 8.4: use debian: trixie",
    ),
    (
        '"8.2": {debian: bookworm',
        '"8.2": {debian: bullseye',
        "pic:runtimes.8.2.debian",
        "has PHP 7.4 in its own packages, not PHP 8.2",
    ),
    (
        '"7.4": {debian: bullseye',
        '"7.4": {debian: buster',
        "pic:runtimes.7.4.debian",
        "is not a Debian release the platform builds its images on",
    ),
    ('"8.5": {debian', '"08.04": {debian', "pic:runtimes", "no leading zeros"),
    ("cpus: 1.0", "cpus: 0.001", "pic:limits.cpus", "at least 0.01"),
    ("domain: pma.example.org", "domain: listes.example.org", "pic:phpmyadmin.domain", "is also pic:mail.sympa_domain"),
    ('time: "03:15"', 'time: "03:15\\n"', "pic:backup.time", "not allowed"),
    ("dkim_selector: pic,", 'dkim_selector: "pic\\n",', "pic:mail.dkim_selector", "not allowed"),
    ("ssh_user: deploy}", 'ssh_user: "deploy\\n"}', "pic:hosts.web1.ssh_user", "not allowed"),
    ("web1: {role", '"web1\\n": {role', "pic:hosts.web1\\x0a", "not allowed"),
    ("acme_email: admin@example.org", 'acme_email: "admin@example.org\\n"', "pic:tls.acme_email", "control"),
    ("sympa_domain: listes.example.org", "sympa_domain: listes.xn--pypal-4ve.fr", "pic:mail.sympa_domain", "mixes"),
    ("sympa_domain: listes.example.org", "sympa_domain: ab--listes.example.org", "pic:mail.sympa_domain", "R-LDH"),
    ("private_address: 10.0.0.11", "private_address: fe80::1%eth0", "pic:hosts.web1.private_address", "zone"),
    ("address: web1.example.org", "address: 'fe80::b%2'", "pic:hosts.web1.address", "has a zone id after its"),
    ("pic:admin_email: admin@example.org", f"pic:admin_email: {'a' * 65}@example.org", "pic:admin_email", "too long"),
    # the off-site repository: parsed as the renderer parses it, its host key the one ssh looks up
    (BACKUP, _offsite("sftp:restic@vault.example.net"), "pic:backup.offsite.repository", "sftp:user@host:/path"),
    # 5.5% is a share from 1% to 100%: the message says a whole percentage without a leading zero is taken
    (
        BACKUP,
        _offsite("sftp:restic@vault.example.net:/srv/restic")[:-2] + ", check_subset: 5.5%}}",
        "pic:backup.offsite.check_subset",
        '"5.5%" is not allowed here: a whole percentage from 1% to 100%, no leading zero (e.g. 5%)',
    ),
    # restic's short form names a user alone: the value is shown as written, its "sftp:" no user's password
    (
        BACKUP,
        _offsite("sftp:restic@vault.example.net:/srv/pic x"),
        "pic:backup.offsite.repository",
        '"sftp:restic@vault.example.net:/srv/pic x" holds a space at character 39',
    ),
    # A user starting with '-' is an option to ssh (-J...): every backup would go elsewhere or fail.
    (
        BACKUP,
        _offsite("sftp://-Jevil.example.net@vault.example.net:2222//srv/restic", "[vault.example.net]:2222"),
        "pic:backup.offsite.repository",
        "has a user starting with '-', which ssh would read as an option",
    ),
    (
        BACKUP,
        _offsite("sftp:-oProxyCommand=x@vault.example.net:/srv"),
        "pic:backup.offsite.repository",
        "has a user starting with '-'",
    ),
    (
        BACKUP,
        _offsite("sftp://restic@[::ffff:192.0.2.7]:2222//srv/restic", "[::ffff:192.0.2.7]:2222"),
        "pic:backup.offsite.repository",
        "IPv4 host written as IPv6: write 'sftp://restic@192.0.2.7:2222//srv/restic'",
    ),
    (BACKUP, _offsite("sftp://restic@vault.example.net:99999//srv"), "pic:backup.offsite.repository", '"99999"'),
    (BACKUP, _offsite("s3:https://s3.example.net:0/bucket"), "pic:backup.offsite.repository", 'port "0"'),
    (
        BACKUP,
        _offsite("sftp://restic@vault.example.net:2222//srv/restic"),
        "pic:backup.offsite.known_hosts",
        'looks the repository\'s server up as "[vault.example.net]:2222"',
    ),
    (
        BACKUP,
        _offsite("sftp:restic@vault.example.net:/srv/restic", "[vault.example.net]:22"),
        "pic:backup.offsite.known_hosts",
        'server up as "vault.example.net"',
    ),
    (
        BACKUP,
        _offsite("sftp:restic@backup.example.org:/srv/restic"),
        "pic:backup.offsite.known_hosts",
        'is for "vault.example.net"',
    ),
    (BACKUP, BACKUP[:-1] + ", offsite: {repository: 'sftp:r@vault.example.net:/srv'}}", "pic:backup.offsite", "needs"),
    # every host:port of the settings: a port from 1 to 65535, an IPv6 address in brackets
    (
        MEMBERS_ROOT,
        "pic:smtp: {host: smtp.example.org, host_relay: 'localhost:99999'}\n" + MR,
        "pic:smtp.host_relay",
        '"99999"',
    ),
    (
        MEMBERS_ROOT,
        "pic:smtp: {host: smtp.example.org, host_relay: 'localhost:0'}\n" + MR,
        "pic:smtp.host_relay",
        '"0"',
    ),
    (
        MEMBERS_ROOT,
        "pic:smtp: {host: smtp.example.org, host_relay: '::1:25'}\n" + MR,
        "pic:smtp.host_relay",
        "brackets",
    ),
    (
        MEMBERS_ROOT,
        "pic:smtp: {host: smtp.example.org, host_relay: localhost}\n" + MR,
        "pic:smtp.host_relay",
        "no port",
    ),
    (MEMBERS_ROOT, "pic:smtp: {host: smtp.example.org, host_relay: ':25'}\n" + MR, "pic:smtp.host_relay", "no host"),
    # the ports whose servers speak one way only: the other waits for a greeting (465) or fails its handshake
    (
        MEMBERS_ROOT,
        "pic:smtp: {host: smtp.example.org, port: 465, security: starttls}\n" + MR,
        "pic:smtp.security",
        "TLS from the start",
    ),
    (MEMBERS_ROOT, "pic:smtp: {host: smtp.example.org, port: 465, security: none}\n" + MR, "pic:smtp.security", "465"),
    (MEMBERS_ROOT, "pic:smtp: {host: smtp.example.org, port: 587, security: tls}\n" + MR, "pic:smtp.security", "587"),
    (MEMBERS_ROOT, "pic:smtp: {host: smtp.example.org, port: 25, security: tls}\n" + MR, "pic:smtp.security", "25"),
    (MEMBERS_ROOT, "pic:db: {proxy: 'socks5://:'}\n" + MR, "pic:db.proxy", "no host"),
    (MEMBERS_ROOT, "pic:db: {proxy: 'socks5://127.0.0.1:70000'}\n" + MR, "pic:db.proxy", '"70000"'),
    (MEMBERS_ROOT, "pic:db: {proxy: 'socks5://127.0.0.1'}\n" + MR, "pic:db.proxy", "no port"),
    (MEMBERS_ROOT, "pic:db: {proxy: 'socks5://u:pw@127.0.0.1:1080'}\n" + MR, "pic:db.proxy", "no user, password"),
    (MEMBERS_ROOT, "pic:db: {proxy: 'http://127.0.0.1:3128'}\n" + MR, "pic:db.proxy", "not a SOCKS URL"),
    (MEMBERS_ROOT, "pic:db: {dev_image: 'registry.example.org:99999/mariadb:11.4'}\n" + MR, "pic:db.dev_image", "port"),
    ('packages.sury.org/php/"', 'packages.sury.org:99999/php/"', "pic:runtimes.8.3.apt_source.url", '"99999"'),
    # NSD: addresses the Internet reaches on the DNS server, each once; each name server once
    (MEMBERS_ROOT, _dns("listen: [127.0.0.1]"), "pic:dns.listen", "loopback"),
    (MEMBERS_ROOT, _dns("listen: ['::1']"), "pic:dns.listen", "loopback"),
    (
        MEMBERS_ROOT,
        _dns("listen: ['::ffff:127.0.0.1']"),
        "pic:dns.listen[0]",
        "IPv4-mapped IPv6 address, an IPv4 host written as IPv6, and '127.0.0.1' inside is a loopback address",
    ),
    (MEMBERS_ROOT, _dns("listen: [0.0.0.0]"), "pic:dns.listen", "unspecified"),
    (MEMBERS_ROOT, _dns("listen: ['::']"), "pic:dns.listen", "unspecified"),
    (MEMBERS_ROOT, _dns("listen: [169.254.0.53]"), "pic:dns.listen", "link-local"),
    (MEMBERS_ROOT, _dns("listen: [192.0.2.53, 192.0.2.53]"), "pic:dns.listen[1]", '"192.0.2.53" is also [0]'),
    (MEMBERS_ROOT, _dns("listen: ['2001:db8::53', '2001:db8:0::53']"), "pic:dns.listen[1]", "is also [0]"),
    (MEMBERS_ROOT, _dns("listen: [10.0.0.10]"), "pic:dns.listen[0]", "is pic:hosts.db.private_address"),
    (
        MEMBERS_ROOT,
        _dns("listen: ['::ffff:10.0.0.10']"),
        "pic:dns.listen[0]",
        "write the IPv4 address 10.0.0.10 itself",
    ),
    (
        MEMBERS_ROOT,
        _dns("listen: [192.0.2.53], nameservers: [ns1.example.org, ns1.example.org]"),
        "pic:dns.nameservers[1]",
        '"ns1.example.org" is also [0]: a name server is listed once',
    ),
    (
        MEMBERS_ROOT,
        f"pic:dns: {{backend: zonefile, zones: [example.org, example.org], listen: [192.0.2.53]}}\n{MR}",
        "pic:dns.zones[1]",
        '"example.org" is also [0]: a zone is listed once',
    ),
    # A web host reaches MariaDB from its private address, the only one the db host lets in: one family.
    (
        "private_address: 10.0.0.11",
        "private_address: 'fd00::11'",
        "pic:hosts.web1.private_address",
        "is an IPv6 address and the db host's (db: 10.0.0.10) an IPv4 one",
    ),
    (
        "private_address: 10.0.0.10",
        "private_address: 'fd00::10'",
        "pic:hosts.web1.private_address",
        "is an IPv4 address and the db host's (db: fd00::10) an IPv6 one",
    ),
    # A local db host is a container on the admin's engine: no host reached over ssh reaches it.
    (
        "10.0.0.10, ssh_user: deploy}",
        "127.0.0.1, connection: local}",
        "pic:hosts.db.connection",
        "is local while web1 is reached over ssh",
    ),
    # MariaDB runs as the mysql user: no privileged port.
    (MEMBERS_ROOT, f"pic:db: {{port: 443}}\n{MR}", "pic:db.port", "is below 1024: MariaDB runs as the mysql user"),
    # The platform's addresses reach certbot's command line and the Caddyfile as written.
    ("acme_email: admin@example.org", "acme_email: -admin@example.org", "pic:tls.acme_email", "has '-' before"),
    ("acme_email: admin@example.org", "acme_email: '#admin@example.org'", "pic:tls.acme_email", "has '#' before"),
    ("acme_email: admin@example.org", "acme_email: '{$HOME}@example.org'", "pic:tls.acme_email", "has '{' before"),
    ("pic:admin_email: admin@example.org", "pic:admin_email: a!b@example.org", "pic:admin_email", "has '!' before"),
    ("dmarc_reports: dmarc@example.org", "dmarc_reports: d%x@example.org", "pic:mail.dmarc_reports", "has '%'"),
    # The admins' account on a host is none of the accounts and groups the hosts have for other purposes.
    ("ssh_user: deploy}", "ssh_user: pic-locked}", "pic:hosts.web1.ssh_user", "is a unix group of the platform"),
    ("ssh_user: deploy}", "ssh_user: pic-sftp}", "pic:hosts.web1.ssh_user", "is a unix group of the platform"),
    ("ssh_user: deploy}", "ssh_user: nobody}", "pic:hosts.web1.ssh_user", "is a system user of Debian"),
    ("ssh_user: deploy}", "ssh_user: sympa}", "pic:hosts.web1.ssh_user", "is a system account of a package"),
    (
        "10.0.0.10, ssh_user: deploy}",
        "10.0.0.10, ssh_user: mysql}",
        "pic:hosts.db.ssh_user",
        "is a system account of a package",
    ),
    # The off-site server's host key is a key ssh can read, not only its alphabet.
    (
        BACKUP,
        BACKUP[:-1]
        + ", offsite: {repository: 'sftp:r@vault.example.net:/r', known_hosts: 'vault.example.net ssh-ed25519 AAAA'}}",
        "pic:backup.offsite.known_hosts",
        "has key data that OpenSSH cannot read",
    ),
    (
        BACKUP,
        BACKUP[:-1] + f", offsite: {{repository: 'sftp:r@vault.example.net:/r', known_hosts: 'vault.example.net "
        f"ssh-rsa {KEY.split()[1]}'}}}}",
        "pic:backup.offsite.known_hosts",
        "ssh-rsa",
    ),
    # A secret written by hand under secure: is no ciphertext: `pulumi up` could not decrypt it.
    (
        MEMBERS_ROOT,
        f"{MEMBERS_ROOT}\n  pic:dbAdminPassword: {{secure: hunter2}}",
        "pic:dbAdminPassword.secure",
        "is not a ciphertext Pulumi writes",
    ),
    (
        MEMBERS_ROOT,
        f"{MEMBERS_ROOT}\n  pic:dbAdminPassword: {{secure: 'v1:abc:hunter2!'}}",
        "pic:dbAdminPassword.secure",
        "the value is not shown",
    ),
    (
        MEMBERS_ROOT,
        f"{MEMBERS_ROOT}\n  pic:dbAdminPassword: {{secure: password}}",
        "pic:dbAdminPassword.secure",
        "at least 16 bytes",
    ),
]


@pytest.mark.parametrize(("old", "new", "field", "words"), HARMFUL, ids=[f"{h[2]}:{h[3]}" for h in HARMFUL])
def test_setting_harmful_to_a_host_is_refused(tmp_path: Path, old: str, new: str, field: str, words: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    line = next((ln for ln in text.splitlines() if f" {field}" in ln and words in ln), None)
    assert line is not None, text
    assert line.startswith(str(project / "Pulumi.prod.yaml") + ":"), f"no file:line in {line!r}"
    assert "Traceback" not in text


@pytest.mark.parametrize(
    ("setting", "field", "offered"),
    [
        ("pic:smtp: {host: '{h}'}", "pic:smtp.host", "write it in lowercase ('localhost')"),
        (
            "pic:smtp: {host: smtp.example.net, host_relay: '{h}:25'}",
            "pic:smtp.host_relay",
            "has uppercase letters: write 'localhost:25'",
        ),
        (
            "pic:db: {proxy: 'socks5h://{h}:1080'}",
            "pic:db.proxy",
            "has uppercase letters: write 'socks5h://localhost:1080'",
        ),
    ],
)
@pytest.mark.parametrize("written", ["LOCALHOST", "Localhost"])
def test_localhost_in_capitals_is_told_in_lowercase_where_localhost_is_taken(
    tmp_path: Path, setting: str, field: str, offered: str, written: str
) -> None:
    """localhost is taken where a host's name or address goes: in capitals it is told to be written in lowercase,
    never that it needs two labels as a name other than localhost does; in host:port or a URL, the value is offered
    whole (host_relay: Localhost:25 was told to write 'localhost', refused then: it has no port)."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, setting.replace("{h}", "localhost") + f"\n{MR}")
    load_settings(project, "prod")  # taken in lowercase
    _edit(project, "localhost", written)
    text = _errors(project)
    line = next((ln for ln in text.splitlines() if f" {field}: " in ln), None)
    assert line is not None, text
    assert offered in line and "two labels" not in line, line


@pytest.mark.parametrize(
    ("address", "this_machine"),
    [
        ("localhost.localdomain", True),
        ("app.localhost", True),  # RFC 6761 §6.3: names under .localhost resolve to loopback
        ("localhost.example.org", False),  # a name of example.org's, a host like any other
        ("localhost.pic-asso.fr", False),
        ("localhost-1.example.org", False),
    ],
)
def test_only_localhost_and_names_under_it_are_this_machine(tmp_path: Path, address: str, this_machine: bool) -> None:
    """A host reached over ssh at localhost.example.org was refused as this machine, as localhost is: a name whose
    first label is localhost is another domain's. Only localhost, localhost.localdomain, names under .localhost
    (RFC 6761 §6.3) and loopback addresses are."""
    project = project_copy(tmp_path)
    _edit(project, "address: web1.example.org", f"address: {address}")
    said = [ln for ln in _field_errors(project, "pic:hosts.web1.address") if "this machine" in ln]
    assert bool(said) == this_machine, said


@pytest.mark.parametrize("written", ["LOCALHOST", "Localhost", "LocalHost.localdomain"])
def test_localhost_in_capitals_as_an_ssh_host_s_address_is_told_this_machine(tmp_path: Path, written: str) -> None:
    """A host reached over ssh at localhost in capitals was told to write it in lowercase, which is refused there
    too (this machine); it is told as localhost is. A host with connection: local takes it in lowercase."""
    project = project_copy(tmp_path)
    _edit(project, "address: web1.example.org", f"address: {written}")
    text = _errors(project)
    line = next((ln for ln in text.splitlines() if " pic:hosts.web1.address: " in ln), None)
    assert line is not None, text
    assert "is this machine, not a host reached over ssh" in line and "lowercase" not in line, line
    assert f'"{written}"' in line, line
    # the host's other faults are told with it (they were hidden behind it), the address once they are mended
    _edit(project, "role: web, address:", "role: wbe, address:")
    text = _errors(project)
    assert " pic:hosts.web1.role: " in text, text


@pytest.mark.parametrize("written", ["10.0.0.256", "010.0.0.1", "10.1", "1.2.3.4.5", "300.1.1.1"])  # 10.1: below
@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("address: web1.example.org", "address: '{a}'", "pic:hosts.web1.address"),
        (MEMBERS_ROOT, "pic:smtp: {host: '{a}'}\n" + MR, "pic:smtp.host"),
        (MEMBERS_ROOT, "pic:smtp: {host: smtp.example.net, host_relay: '{a}:25'}\n" + MR, "pic:smtp.host_relay"),
    ],
)
def test_digits_and_dots_that_are_no_ipv4_address_are_told_so(
    tmp_path: Path, old: str, new: str, field: str, written: str
) -> None:
    """A value of digits and dots is an IPv4 address mistyped, never a name: told so, with the form of one, not
    that a name's last label is all digits."""
    project = project_copy(tmp_path)
    _edit(project, old, new.replace("{a}", written))
    text = _errors(project)
    line = next((ln for ln in text.splitlines() if f" {field}: " in ln), None)
    assert line is not None, text
    if written == "10.1":  # inet_aton's shorthand of 10.0.0.1, told so as pic:dns.resolver tells it
        assert "is the shorthand of 10.0.0.1" in line and "write '10.0.0.1" in line, line
        return
    number = {"10.0.0.256": "has 256 as its 4th number", "300.1.1.1": "has 300 as its 1st number"}.get(written)
    if number is not None:  # the number over 255 named (each was told "is no IPv4 address" alone)
        assert f"it reads as an IPv4 address, and {number}, where each of an IPv4 address's 4 numbers" in line, line
        return
    assert "is no IPv4 address: four numbers from 0 to 255" in line, line


# Addresses no resolver answers from (pic dns check --resolver refuses them), and some it takes.
RESOLVERS = [
    *["0.0.0.0", "::", "0.1.2.3", "224.0.0.1", "ff02::1", "255.255.255.255", "240.0.0.1", "127.0.0.1", "::1"],
    # a resolver on the local link, asked through the interface its zone id names (RFC 4007 §11)
    *["fe80::53%eth0", "fe80::53%enp0s31f6", "FE80::53%wlp2s0"],
    # systemd's names of a device by its MAC address (wlx, wwx as enx) and on a PCI domain other than 0 (P)
    *["fe80::53%wlx00c0ca123456", "fe80::53%enP4p65s0", "fe80::53%enP1p1s0f1"],
]


@pytest.mark.parametrize("address", RESOLVERS)
def test_the_resolver_of_the_settings_is_taken_as_the_option_takes_it(tmp_path: Path, address: str) -> None:
    """pic:dns.resolver is the address pic dns check asks when --resolver is not given: one the option refuses
    (a query sent to a multicast group or the broadcast address, or one Linux refuses to send) is refused in the
    settings too, with the same reason, at its line."""
    from argparse import ArgumentTypeError

    from pic.commands.arguments import ip_address

    try:
        ip_address(address)
        reason = None
    except ArgumentTypeError as e:
        reason = str(e).split(" is ", 1)[1]
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"pic:dns: {{resolver: '{address}'}}\n{MR}")
    text = _errors(project) if reason is not None else ""
    if reason is None:
        load_settings(project, "prod")
        return
    line = next((ln for ln in text.splitlines() if " pic:dns.resolver: " in ln), None)
    assert line is not None, text
    assert line.startswith(str(project / "Pulumi.prod.yaml") + ":"), f"no file:line in {line!r}"
    assert f'"{address}" is {reason}' in line, line


@pytest.mark.parametrize("address", ["fe80::53%Eth0", "fe80::53%ETH0", "fe80::53%Enp3s0", "fe80::53%Wlan0"])
def test_a_resolver_s_zone_id_in_capitals_is_an_interface_s_name(tmp_path: Path, address: str) -> None:
    """pic:dns.resolver: fe80::53%Eth0 (and --resolver) was refused as 'no interface's name as Linux names one (...
    small letters ...)': Linux's names are case-sensitive and take capitals (unshare -rn ip link add Eth0 type veth
    peer name eth0 makes two interfaces), and Python's ipaddress reads the zone as written: taken, as eth0 is."""
    from pic.commands.arguments import ip_address

    assert str(ip_address(address)) == address
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"pic:dns: {{resolver: '{address}'}}\n{MR}")
    load_settings(project, "prod")


@pytest.mark.parametrize("address", ["fe80::53%ENP3S0", "fe80::53%ENP3s0", "fe80::53%EnP4p65s0", "fe80::53%ENP0S31F6"])
def test_a_resolver_s_zone_id_of_systemd_s_shape_in_capitals_is_taken(tmp_path: Path, address: str) -> None:
    """pic:dns.resolver: fe80::53%ENP3S0 (and --resolver) was refused unseen as a zone that 'reads as no interface's
    name', where fe80::53%Eth0 was taken: a P third (as systemd's enP4p65s0 on a PCI domain) was read in systemd's
    shape alone, in small letters. Linux takes the name (as root in a network namespace: ip link add ENP3S0 type
    bridge; its index is then what getaddrinfo('fe80::53%ENP3S0') gives as the scope): taken, as Eth0 is."""
    from pic.commands.arguments import ip_address
    from pic.secrettext import interface_name

    assert interface_name(address.partition("%")[2])
    assert str(ip_address(address)) == address
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"pic:dns: {{resolver: '{address}'}}\n{MR}")
    load_settings(project, "prod")


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("127.1.", ("ends with a dot, which no address has", "is the shorthand of 127.0.0.1", "127.0.0.1")),
        ("9.9.9", ("has 3 numbers, where an IPv4 address has 4 (a.b.c.d, each from 0 to 255)",)),
        ("1.2.3.4.5", ("has 5 numbers, where an IPv4 address has 4",)),
        ("1..2.3", ("has no number between two dots, or a dot at an end",)),
        ("1.2.3.4..", ("ends with dots, which no address has", "1.2.3.4")),
        ("localhost:53", ("localhost", "is a name, this machine's (RFC 6761 §6.3), not an address", "127.0.0.1")),
        # a final dot or capitals: localhost all the same (localhost. was told "is not an IPv4 or IPv6 address")
        ("localhost.", ("is a name, this machine's (RFC 6761 §6.3), not an address", "127.0.0.1")),
        ("LOCALHOST.", ("is a name, this machine's (RFC 6761 §6.3), not an address", "127.0.0.1")),
        ("localhost.:53", ("localhost", "is a name, this machine's (RFC 6761 §6.3), not an address", "127.0.0.1")),
        # the part that is wrong, what an address is (each was told "is not an IPv4 or IPv6 address")
        ("127.0.0.256", ("has 256 as its 4th number, where each of an IPv4 address's 4 numbers is from 0 to 255",)),
        ("::g", ("has 'g', which is no hexadecimal digit: an IPv6 address has 8 groups of 1 to 4 hexadecimal",)),
        ("1::2::3", ("has '::' twice: an IPv6 address has 8 groups",)),
        # a full-width colon: its ASCII form told, as the option tells it
        ("dns.example.org\uff1a53", ("only look like ASCII (full-width forms), and", "a name")),
        (
            "0177.0.0.1",
            ("(as 127.0.0.1: inet_aton, ping and curl), others in decimal (as 177.0.0.1): it is ambiguous",),
        ),
    ],
)
def test_a_resolver_that_is_no_address_is_told_in_the_option_s_words(
    tmp_path: Path, address: str, said: tuple[str, ...]
) -> None:
    """pic:dns.resolver: "127.1." and "9.9.9" were told "is not an IPv4 or IPv6 address" where pic dns check
    --resolver tells what the value is, and 0177.0.0.1 offered 177.0.0.1 where inet_aton reads 127.0.0.1: the setting
    and the option say the same of each, one address offered only when one is meant."""
    from argparse import ArgumentTypeError

    from pic.commands.arguments import ip_address

    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"pic:dns: {{resolver: '{address}'}}\n{MR}")
    line = next(ln for ln in _errors(project).splitlines() if " pic:dns.resolver: " in ln)
    with pytest.raises(ArgumentTypeError) as option:
        ip_address(address)
    for told in ("not an IPv4 or IPv6 address", "177.0.0.1'", "write '177"):
        assert told not in line, line
    for words in said:
        assert words in line and words in str(option.value), (line, str(option.value))


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("[fe80::1%eth0]:53", "holds a port (:53): give the address alone ('fe80::1%eth0')"),
        ("fe80::1%eth0:53", "holds a port (:53): give the address alone ('fe80::1%eth0')"),
        ("[fe80::1%25eth0]:53", "holds a port (:53), and 'fe80::1%25eth0' inside has its zone id written %25 as a URL"),
        ("fe80::1%25eth0:53", "holds a port (:53), and 'fe80::1%25eth0' inside has its zone id written %25 as a URL"),
        ("[2001:db8::53%eth0]:53", "holds a port (:53), and '2001:db8::53%eth0' inside has a zone id after its '%'"),
    ],
)
def test_a_resolver_s_zone_id_then_a_port_is_told_the_address_with_its_zone(
    tmp_path: Path, address: str, said: str
) -> None:
    """pic:dns.resolver: "[fe80::1%eth0]:53" was told that no setting carries a zone id, and "fe80::1%eth0:53" (Python
    reads the zone as "eth0:53") hidden as a zone id shaped as a password, where the setting takes fe80::1%eth0: the
    port is told, and the address to write with its zone, as pic dns check --resolver tells them."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"pic:dns: {{resolver: '{address}'}}\n{MR}")
    line = next(ln for ln in _errors(project).splitlines() if " pic:dns.resolver: " in ln)
    assert said in line and "no setting carries" not in line and "not shown" not in line, line
    offered = "2001:db8::53" if address.startswith("[2001") else "fe80::1%eth0"
    assert f"('{offered}')" in line or f"write '{offered}'" in line, line


@pytest.mark.parametrize(
    "proxy",
    [
        "socks5://127.0.0.1:1080/Lilas2024x",
        "socks5://Lilas2024x@127.0.0.1:1080",
        "socks5h://proxy:Lilas2024x@127.0.0.1:1080",
        "socks://Velo2024.Paris.org:1080",
    ],
)
def test_a_socks_url_hidden_as_a_secret_is_told_the_example_whole(tmp_path: Path, proxy: str) -> None:
    """pic:db.proxy: socks5://127.0.0.1:1080/Lilas2024x, hidden as a possible secret, was told "e.g.
    ...://127.0.0.1:...", the example's scheme and port cut out as pieces of the value hidden: the example, no
    piece of the value, is told whole."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"pic:db: {{proxy: '{proxy}'}}\n{MR}")
    line = next(ln for ln in _errors(project).splitlines() if " pic:db.proxy: " in ln)
    assert "2024" not in line, line
    assert "e.g. socks5://127.0.0.1:1080" in line, line


@pytest.mark.parametrize(
    ("address", "zone"),
    [
        ("fe80::53%lilas2024", "lilas2024"),
        ("fe80::53%Soleil2024Azur", "Soleil2024Azur"),
        ("fe80::53%eth 0", "eth 0"),
        ("fe80::53%25lilas2024", "lilas2024"),  # a URL's %25: not offered without it, refused in turn
    ],
)
def test_a_resolver_s_zone_id_no_interface_is_named_is_refused_by_the_option_as_in_the_settings(
    tmp_path: Path, address: str, zone: str
) -> None:
    """pic:dns.resolver: fe80::53%lilas2024 (a password pasted as the zone id) was refused, told that no setting
    carries a zone id, though that setting takes fe80::53%eth0, while pic dns check --resolver took it and printed it
    back (resolver fe80::53%lilas2024 ... Name or service not known), fe80::53%eth 0 with its blank too: both
    refuse it, the value and its zone not shown, saying the zone id is no interface's name."""
    project = project_copy(tmp_path)
    for where in ("option", "setting"):
        if where == "option":
            proc = subprocess.run(
                [sys.executable, "-m", "pic", "dns", "check", "--project", str(project), "--resolver", address],
                capture_output=True,
                text=True,
                check=False,
                cwd=tmp_path,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            assert proc.returncode == 2, proc
            line = next(ln for ln in proc.stderr.splitlines() if "--resolver" in ln and "error" in ln)
        else:
            _edit(project, MEMBERS_ROOT, f"pic:dns: {{resolver: '{address}'}}\n{MR}")
            line = next(ln for ln in _errors(project).splitlines() if " pic:dns.resolver: " in ln)
        assert zone not in line and zone.lower() not in line, line
        assert "which no setting carries" not in line, line
        if " " not in zone:  # the blank is told as a blank in the setting, as in every host's field
            assert "no interface's name" in line, (where, line)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("private_address: 10.0.0.11", "private_address: 8.8.8.8", "pic:hosts.web1.private_address"),
        ("private_address: 10.0.0.10", "private_address: 203.0.114.10", "pic:hosts.db.private_address"),
        ("private_address: 10.0.0.10", "private_address: '2001:4860:4860::8888'", "pic:hosts.db.private_address"),
    ],
)
def test_a_private_address_the_internet_reaches_is_refused(tmp_path: Path, old: str, new: str, field: str) -> None:
    """pic:hosts.<name>.private_address: 8.8.8.8 was accepted: MariaDB listens on the db host's private address and
    lets the web hosts' in from theirs, so a public one there puts the database on the Internet."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    address = new.partition(": ")[2].strip("'")
    text = _errors(project)
    line = next(n for n, ln in enumerate((project / "Pulumi.prod.yaml").read_text().splitlines(), 1) if new in ln)
    said = f"{project / 'Pulumi.prod.yaml'}:{line} {field}: {json.dumps(address)} is not an address of a private "
    assert said + "network" in text, text
    for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"):
        assert block in text, text


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("192.0.2.10", "in 192.0.2.0/24, reserved for documentation (RFC 5737)"),  # TEST-NET-1
        ("198.51.100.7", "in 198.51.100.0/24, reserved for documentation (RFC 5737)"),
        ("203.0.113.250", "in 203.0.113.0/24, reserved for documentation (RFC 5737)"),
        ("2001:db8::10", "in 2001:db8::/32, reserved for documentation (RFC 3849)"),
        ("2001:DB8:ffff::1", "in 2001:db8::/32, reserved for documentation (RFC 3849)"),
        ("3fff::10", "in 3fff::/20, reserved for documentation (RFC 9637)"),
        ("198.18.0.10", "in 198.18.0.0/15, reserved for benchmarking (RFC 2544)"),
        ("198.19.255.1", "in 198.18.0.0/15, reserved for benchmarking (RFC 2544)"),
        ("2001:2::10", "in 2001:2::/48, reserved for benchmarking (RFC 5180)"),
        ("192.0.0.10", "in 192.0.0.0/24, reserved for IETF protocol assignments (RFC 6890)"),
        ("fec0::10", "in fec0::/10, IPv6's site-local addresses, deprecated (RFC 3879)"),
        ("100::10", "in 100::/64, reserved for discarding traffic (RFC 6666)"),
    ],
)
def test_a_private_address_in_a_reserved_block_is_told_what_the_block_is(
    tmp_path: Path, address: str, words: str
) -> None:
    """A private_address in a block reserved for documentation (RFC 5737, RFC 3849) or another use is no address
    the Internet reaches: the error says what the block is, and that the host's address in a private network is
    wanted, naming those networks and their RFCs."""
    project = project_copy(tmp_path)
    new = f"private_address: '{address}'"
    _edit(project, "private_address: 10.0.0.10", new)
    text = _errors(project)
    line = next(n for n, ln in enumerate((project / "Pulumi.prod.yaml").read_text().splitlines(), 1) if new in ln)
    [said] = [ln for ln in text.splitlines() if ln.startswith(f"{project / 'Pulumi.prod.yaml'}:{line} ")]
    assert f" pic:hosts.db.private_address: {json.dumps(address)} is not an address of a private network: " in said
    assert f": it is {words}; " in said, said
    assert "must be the host's address in a private network" in said, said
    for part in ("RFC 1918", "10.0.0.0/8", "RFC 6598", "100.64.0.0/10", "RFC 4193", "fc00::/7"):
        assert part in said, said
    assert "Internet reaches" not in said and "on the Internet" not in said, said


_OFFERED = re.compile(r"(?:write the IPv4 address (\S+) itself|\('([^']+)'\)|: write '([^']+)')")


def _field_errors(project: Path, field: str) -> list[str]:
    try:
        load_settings(project, "prod")
    except PicError as refused:
        return [ln for ln in str(refused).splitlines() if f" {field}: " in ln or f" {field}[" in ln]
    return []


@pytest.mark.parametrize(
    ("old", "value", "field", "inside"),
    [
        # the address inside is one the field refuses: told why, none offered
        (
            "private_address: 10.0.0.11",
            "'::ffff:8.8.8.8'",
            "pic:hosts.web1.private_address",
            "not an address of a private network",
        ),
        (
            "private_address: 10.0.0.11",
            "'::ffff:192.0.2.10'",
            "pic:hosts.web1.private_address",
            "reserved for documentation",
        ),
        ("private_address: 10.0.0.11", "'127.0.0.1:22'", "pic:hosts.web1.private_address", "connection: local"),
        ("private_address: 10.0.0.11", "'[::ffff:127.0.0.1]'", "pic:hosts.web1.private_address", "connection: local"),
        (
            "private_address: 10.0.0.11",
            "'192.0.2.10/24'",
            "pic:hosts.web1.private_address",
            "reserved for documentation",
        ),
        ("private_address: 10.0.0.11", "'0.0.0.0/32'", "pic:hosts.web1.private_address", "not the address of one host"),
        (
            "private_address: 10.0.0.11",
            "'224.0.0.1/4'",
            "pic:hosts.web1.private_address",
            "not the address of one host",
        ),
        (
            "private_address: 10.0.0.11",
            "'8.8.8.8:53'",
            "pic:hosts.web1.private_address",
            "not an address of a private network",
        ),
        ("private_address: 10.0.0.11", "'127.000.0.1'", "pic:hosts.web1.private_address", "connection: local"),
        ("private_address: 10.0.0.11", "'[fe80::1]'", "pic:hosts.web1.private_address", "link-local"),
        (
            "web1: {role: web, ",
            "public_addresses: ['::ffff:127.0.0.1'], ",
            "pic:hosts.web1.public_addresses",
            "loopback",
        ),
        ("web1: {role: web, ", "public_addresses: ['[fe80::1]'], ", "pic:hosts.web1.public_addresses", "link-local"),
        ("web1: {role: web, ", "public_addresses: ['0.1.2.3/8'], ", "pic:hosts.web1.public_addresses", "0.0.0.0/8"),
        ("address: web1.example.org", "address: '::ffff:127.0.0.1'", "pic:hosts.web1.address", "connection: local"),
        (
            "address: web1.example.org",
            "address: '::ffff:0.0.0.0'",
            "pic:hosts.web1.address",
            "not the address of one host",
        ),
        # a host's address (a name or an address) given an address with a prefix length, or in brackets with a port
        ("address: web1.example.org", "address: '0.0.0.0/0'", "pic:hosts.web1.address", "the network 0.0.0.0/0"),
        (
            "address: web1.example.org",
            "address: '224.0.0.1/4'",
            "pic:hosts.web1.address",
            "not the address of one host",
        ),
        ("address: web1.example.org", "address: '10.0.0.0/24'", "pic:hosts.web1.address", "the network 10.0.0.0/24"),
        ("address: web1.example.org", "address: '[::ffff:0.0.0.0]:22'", "pic:hosts.web1.address", "not the address"),
        # the address inside is one the field takes: offered
        ("address: web1.example.org", "address: '8.8.4.4/24'", "pic:hosts.web1.address", None),
        ("address: web1.example.org", "address: '[2001:4860::8844]:22'", "pic:hosts.web1.address", None),
        ("private_address: 10.0.0.11", "'::ffff:10.0.0.11'", "pic:hosts.web1.private_address", None),
        ("private_address: 10.0.0.11", "'10.0.0.11/24'", "pic:hosts.web1.private_address", None),
        ("private_address: 10.0.0.11", "'[10.0.0.11]:22'", "pic:hosts.web1.private_address", None),
        ("web1: {role: web, ", "public_addresses: ['8.8.4.4/32'], ", "pic:hosts.web1.public_addresses", None),
        ("address: web1.example.org", "address: '::ffff:8.8.4.4'", "pic:hosts.web1.address", None),
    ],
)
def test_the_address_a_host_s_field_is_offered_is_one_it_takes(
    tmp_path: Path, old: str, value: str, field: str, inside: str | None
) -> None:
    """The address offered for a host's address written with more around it (a prefix length, a port, brackets, a
    mapped IPv6 address, a leading zero) was the one check_ip takes, which the field may refuse
    (private_address: "::ffff:8.8.8.8" was told to write 8.8.8.8, then refused as no private address); the address
    offered is one the field takes, else the message says why the one inside is refused too."""
    project = project_copy(tmp_path)
    new = f"private_address: {value}" if old.startswith("private_address") else value
    _edit(project, old, new if old.startswith(("private_address", "address")) else old + new)
    [said] = _field_errors(project, field)
    offered = [next(a for a in m.groups() if a) for m in _OFFERED.finditer(said)]
    if inside is None:
        assert offered, said
    else:
        assert offered == [], said
        assert (" inside " in said or "read without it" in said or " network " in said) and inside in said, said
    for i, address in enumerate(offered):
        (tmp_path / f"again{i}").mkdir()
        again = project_copy(tmp_path / f"again{i}")
        if old.startswith("private_address"):
            _edit(again, old, f"private_address: '{address}'")
        elif old.startswith("address"):
            _edit(again, old, f"address: '{address}'")
        else:
            _edit(again, old, old + f"public_addresses: ['{address}'], ")
        assert _field_errors(again, field) == [], said


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "::1", "169.254.1.1", "fe80::1", "224.0.0.1", "ff02::1", "0.1.2.3", "240.0.0.1", "255.255.255.255"],
)
def test_a_private_address_no_host_holds_is_not_said_to_be_reached_from_the_internet(
    tmp_path: Path, address: str
) -> None:
    """Loopback, link-local, multicast, broadcast, 0.0.0.0/8 and 240.0.0.0/4 are told as what they are, not as an
    address the Internet reaches."""
    project = project_copy(tmp_path)
    _edit(project, "private_address: 10.0.0.10", f"private_address: '{address}'")
    text = _errors(project)
    [said] = [ln for ln in text.splitlines() if " pic:hosts.db.private_address: " in ln]
    assert json.dumps(address) in said and "Internet" not in said, said


@pytest.mark.parametrize(
    ("web", "db"),
    [
        ("192.168.1.11", "192.168.1.10"),  # RFC 1918
        ("172.16.5.11", "172.31.255.10"),
        ("100.64.0.11", "100.127.255.10"),  # RFC 6598's shared space: a WireGuard or Tailscale mesh
        ("'fd12:3456:789a::11'", "'fd12:3456:789a::10'"),  # RFC 4193's unique local addresses
        ("'fc00::11'", "'fc00::10'"),
    ],
)
def test_a_private_address_of_a_private_network_is_taken(tmp_path: Path, web: str, db: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, "private_address: 10.0.0.11", f"private_address: {web}")
    _edit(project, "private_address: 10.0.0.10", f"private_address: {db}")
    _edit(project, "  pic:phpmyadmin:\n    host: web1\n    domain: pma.example.org\n    debian: bookworm\n", "")
    hosts = load_settings(project, "prod").hosts
    assert (hosts["web1"].private_address, hosts["db"].private_address) == (web.strip("'"), db.strip("'"))


@pytest.mark.parametrize(
    ("smtp", "port", "security"),
    [
        ("{host: smtp.example.org}", 587, "starttls"),
        ("{host: smtp.example.org, security: tls}", 465, "tls"),
        ("{host: smtp.example.org, port: 465}", 465, "tls"),
        ("{host: smtp.example.org, security: none}", 587, "none"),
        ("{host: smtp.example.org, port: 2525, security: tls}", 2525, "tls"),
    ],
)
def test_smtp_over_tls_is_on_port_465_unless_told(tmp_path: Path, smtp: str, port: int, security: str) -> None:
    """``security: tls`` alone was sent to port 587 (a handshake refused at every pic notify); port 465 alone
    spoke in clear to a server waiting for TLS (30 s, then "timed out")."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  pic:smtp: {smtp}")
    spec = load_settings(project, "prod").smtp
    assert spec is not None and (spec.port, spec.security) == (port, security)


# A user name and its password pasted together, as curl -u, a URL's userinfo and msmtp's or ssmtp's files write them.
PASTED_LOGINS = [
    "marie:Lilas2024x!",
    "marie@asso.fr:Lilas2024x!",
    "postmaster@mg.asso.fr:8f2kq9Zx",
    "apikey:SG.Lilas2024xyz",
    "marie:hunter2",
    "marie:",  # the password left out, its colon kept: still not a user name
    "marie\uff1aLilas2024x!",  # a full-width colon (U+FF1A), a colon to a reader and to copy-paste
    "marie%3ALilas2024x!",  # the colon percent-encoded (RFC 3986 §2.1), as a URL's userinfo may be copied
    "marie%3aLilas2024x!",
    "marie%EF%BC%9ALilas2024x!",  # the full-width colon's UTF-8 octets, percent-encoded
    "marie%253ALilas2024x!",  # encoded twice
]


@pytest.mark.parametrize("username", PASTED_LOGINS)
def test_an_smtp_username_holding_its_password_is_refused_without_showing_it(tmp_path: Path, username: str) -> None:
    """pic:smtp.username: 'marie:Lilas2024x!' was accepted: the password sat in the stack file in clear, and pic
    notify sent the pair as the login, which the server refused. The refusal names the file, the line and the field,
    and the secret the password goes to, never the value."""
    project = project_copy(tmp_path)
    smtp = f"pic:smtp: {{host: smtp.example.org, username: {json.dumps(username)}}}"
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {smtp}")
    line = next(n for n, ln in enumerate((project / "Pulumi.prod.yaml").read_text().splitlines(), 1) if smtp in ln)
    text = _errors(project)
    [said] = [ln for ln in text.splitlines() if "pic:smtp.username" in ln]
    assert said.startswith(f"{project / 'Pulumi.prod.yaml'}:{line} pic:smtp.username: holds a user name and a "), said
    assert "`pulumi config set --secret pic:smtpPassword`" in said and "PIC_SMTP_PASSWORD" in said, said
    password = re.split("[:\uff1a]|%(?:25)*3A|%EF%BC%9A", username, maxsplit=1, flags=re.IGNORECASE)[1]
    assert username not in text and (not password or password not in text), text
    assert "marie" not in said and "apikey" not in said, said


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("pic@example.org Lilas2024x!", "Lilas2024x!"),
        ("marie Lilas2024", "Lilas2024"),
        ("apikey S3cretPw9", "S3cretPw9"),
        ("marie@asso.fr  azerty123", "azerty123"),
    ],
)
def test_an_smtp_username_with_a_password_beside_it_is_refused_without_showing_it(
    tmp_path: Path, username: str, password: str
) -> None:
    """pic:smtp.username: 'pic@example.org Lilas2024x!' (the password pasted after a blank, as pic:smtp.host's or a
    host's blank is read since cf3f843) was taken: the password sat in the stack file in clear, and pic notify sent
    the pair as the login. It is refused, the value not shown, the password told to go to its secret; a name of
    words (Marie Curie) is still taken."""
    project = project_copy(tmp_path)
    smtp = f"pic:smtp: {{host: smtp.example.org, username: {json.dumps(username)}}}"
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {smtp}")
    text = _errors(project)
    [said] = [ln for ln in text.splitlines() if "pic:smtp.username" in ln]
    assert "pic:smtpPassword" in said and "PIC_SMTP_PASSWORD" in said, said
    assert password not in text and username.split(maxsplit=1)[0] not in said, text


def test_a_provider_s_username_with_a_password_beside_it_is_refused_without_showing_it(tmp_path: Path) -> None:
    """mysql:username: 'root Lilas2024x!' was taken, where 'root:Lilas2024x!' is refused: the password after a
    blank is refused alike, unseen, told to go to mysql:password."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  mysql:username: 'root Lilas2024x!'")
    text = _errors(project)
    [said] = [ln for ln in text.splitlines() if "mysql:username" in ln]
    assert "holds a blank, then a word shaped as a password" in said and "mysql:password" in said, said
    message = said.split("Pulumi.prod.yaml", 1)[1]  # the file's path may hold root (/tmp/pytest-of-root/...)
    assert "Lilas2024x!" not in text and "root" not in message, text


@pytest.mark.parametrize("username", ["marie@asso.fr:587", "smtp.asso.fr:465", "marie%3A25"])
def test_an_smtp_username_ending_with_a_port_is_told_where_the_port_goes(tmp_path: Path, username: str) -> None:
    """A server's address and port pasted as the user name (``marie@asso.fr:587``) holds a ':' and is refused, unseen
    (the digits may as well be a password); the message said only that a password sat there, and named no place for
    the port: it now says that a port goes in pic:smtp.port and the server in pic:smtp.host."""
    project = project_copy(tmp_path)
    smtp = f"pic:smtp: {{host: smtp.example.org, username: {json.dumps(username)}}}"
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {smtp}")
    text = _errors(project)
    [said] = [ln for ln in text.splitlines() if "pic:smtp.username" in ln]
    assert "pic:smtp.port" in said and "pic:smtp.host" in said and "pic:smtpPassword" in said, said
    assert username not in text and "asso.fr" not in said, said


def test_an_smtp_username_holding_a_password_is_told_nothing_of_a_port(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    smtp = "pic:smtp: {host: smtp.example.org, username: 'marie:Lilas2024x!'}"
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {smtp}")
    [said] = [ln for ln in _errors(project).splitlines() if "pic:smtp.username" in ln]
    assert "pic:smtp.port" not in said, said


@pytest.mark.parametrize(
    "username",
    [
        "marie",
        "marie@asso.fr",
        "postmaster@mg.asso.fr",  # Mailgun's
        "apikey",  # SendGrid's, the API key its password
        "3f2c9a7d81e64b0c95a1d7e2c4b86f01",  # Mailjet's: the API key is the user, the secret key the password
        "AKIAIOSFODNN7EXAMPLE",  # Amazon SES's: an access key ID
        "8f6c3a52-7c1e-4d4b-9e0a-2f3b1c5d7e9a",  # Postmark's: the server token, the password too
        "DOMAIN\\marie",  # Exchange's domain\user
        "Marie Curie",
    ],
)
def test_an_smtp_username_alone_is_taken(tmp_path: Path, username: str) -> None:
    project = project_copy(tmp_path)
    smtp = f"pic:smtp: {{host: smtp.example.org, username: {json.dumps(username)}}}"
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {smtp}")
    spec = load_settings(project, "prod").smtp
    assert spec is not None and spec.username == username


def test_an_apt_source_at_an_ipv6_address_in_brackets_is_accepted(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, 'url: "https://packages.sury.org/php/"', 'url: "https://[2001:db8::80]:8443/php/"')
    _edit(project, 'key_url: "https://packages.sury.org/php/apt.gpg"', 'key_url: "https://[2001:db8::80]/php/apt.gpg"')
    source = load_settings(project, "prod").runtimes["8.3"].apt_source
    assert source is not None and source.url == "https://[2001:db8::80]:8443/php/"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            'key_url: "https://packages.sury.org/php/apt.gpg"',
            'key_url: "https://packages.sury.org/php/apt[1-3].gpg"',
            "pic:runtimes.8.3.apt_source.key_url",
        ),
        (
            'key_url: "https://packages.sury.org/php/apt.gpg"',
            'key_url: "https://[2001:db8::80]/php/keys[x]/apt.gpg"',
            "pic:runtimes.8.3.apt_source.key_url",
        ),
        (
            'url: "https://packages.sury.org/php/"',
            'url: "https://packages.sury.org/php]/"',
            "pic:runtimes.8.3.apt_source.url",
        ),
    ],
)
def test_an_apt_source_with_brackets_after_its_host_is_refused(tmp_path: Path, old: str, new: str, field: str) -> None:
    """Brackets enclose an IPv6 host alone; in the path, curl (the key's fetch at the image's build) reads
    ``apt[1-3].gpg`` as three URLs and refuses ``[x]`` as a bad range (was: accepted, the build failed)."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: " in text and "holds '[' or ']' after the host" in text, text


def test_local_hosts_may_share_the_admins_machine() -> None:
    dev = load_settings(ROOT, "dev")
    assert len({h.address for h in dev.hosts.values()}) == 1


# What the YAML of a stack file may not hold: each named with its file, line, field and value.
STACK_YAML = [
    ('"8.4": {debian: trixie', "8.4: {debian: trixie", "pic:runtimes.8.4", "is a number to YAML"),
    ("keep_days: 7}", "keep_days: 7, 2: x}", "pic:backup.2", "is a number to YAML"),
    ("ssh_user: deploy}", "ssh_user: deploy, true: x}", "pic:hosts.web1.true", "true or false to YAML"),
    ("pic:members_root: /srv/members", "? [pic:members_root]\n  : /srv/members", "?", "not a name"),
    ("pic:members_root: /srv/members", "pic:members_root: !!binary L3Nydg==", "pic:members_root", "!!binary"),
    ("keep_days: 7}", 'keep_days: !!int "7d"}', "pic:backup.keep_days", "tags are not allowed"),
    ("keep_days: 7}", f"keep_days: {'7' * 400}}}", "pic:backup.keep_days", "a number of 400 characters"),
    ("pic:members_root: /srv/members", "pic:members_root: /srv/\x85members", "pic:members_root", "NEXT LINE"),
    ("pic:members_root: /srv/members", "pic:members_root: /srv/\x9bmembers", "pic:members_root", "U+009B"),
    ("pic:members_root: /srv/members", "pic:members_root: /srv/\u2029m", "pic:members_root", "U+2029"),
    ("pic:members_root: /srv/members", "pic:members_root: \ufeff/srv/m", "pic:members_root", "byte-order mark"),
    ("keep_days: 7}", "keep_days: 7}  # \x1b]0;x\x07", "pic:backup.keep_days", "U+001B"),
    ("pic:limits:", "PIC:limits:", "PIC:limits", "namespace \"PIC\", not 'pic'"),
    ("pic:limits:", "Pic:limits:", "Pic:limits", "compared exactly"),
    ("pic:limits:", "p\u0456c:limits:", "p\u0456c:limits", "not 'pic'"),
    ("pic:limits:", "pci:limits:", "pci:limits", "not 'pic'"),
    ("pic:limits:", "limits:", "limits", "has no namespace"),
    ("pic:limits:", "pic_limits:", "pic_limits", "write pic:limits for pic"),
    ("pic:limits:", "pic.limits:", "pic.limits", "write pic:limits for pic"),
]


@pytest.mark.parametrize(("written", "quoted"), [("8.4", '"8.4"'), ("8.40", '"8.40"'), ("8", '"8"')])
def test_a_runtime_key_written_as_a_number_is_told_to_be_quoted_as_written(
    tmp_path: Path, written: str, quoted: str
) -> None:
    """The hint was 'a key is a name such as uid', a member file's field, under pic:runtimes; it names the key
    in quotes, as written, and no field of another file."""
    project = project_copy(tmp_path)
    _edit(project, '"8.4": {debian: trixie', f"{written}: {{debian: trixie")
    text = _errors(project)
    assert f"pic:runtimes.{written}: key {quoted} is a number to YAML, not a name: write it in quotes, {quoted}, " in (
        text
    ), text
    assert "uid" not in text, text


@pytest.mark.parametrize(("old", "new", "field", "words"), STACK_YAML, ids=[s[3] for s in STACK_YAML])
def test_stack_file_yaml_is_refused_with_line_and_field(
    tmp_path: Path, old: str, new: str, field: str, words: str
) -> None:
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    line = next((ln for ln in text.splitlines() if f" {field}:" in ln and words in ln), None)
    assert line is not None, text
    assert line.startswith(str(project / "Pulumi.prod.yaml") + ":"), f"no file:line in {line!r}"
    assert "\x1b" not in text and "\x85" not in text and "\x9b" not in text


def test_stack_file_that_is_not_utf8_names_line_and_field(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    path = project / "Pulumi.prod.yaml"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"keep_days: 7", b"keep_days: 7\xe9", 1))  # Latin-1 'é'
    line_no = data[: data.index(b"keep_days: 7")].count(b"\n") + 1
    text = _errors(project)
    assert f"Pulumi.prod.yaml:{line_no} pic:backup.keep_days: " in text, text
    assert "bytes that are not UTF-8 (\\xe9, column " in text


def test_ssh_on_the_dns_servers_port_is_named_at_the_hosts_ssh_port(tmp_path: Path) -> None:
    """NSD on the db host (pic:dns.server) and that host's sshd on port 53: the error is at the
    port written, pic:hosts.db.ssh_port, on its own line, not at pic:dns."""
    project = project_copy(tmp_path)
    _edit(project, "10.0.0.10, ssh_user: deploy}", "10.0.0.10, ssh_user: deploy,\n             ssh_port: 53}")
    _edit(project, MEMBERS_ROOT, _dns("listen: [192.0.2.53], server: db"))
    text = _errors(project)
    line = next(
        n for n, ln in enumerate((project / "Pulumi.prod.yaml").read_text().splitlines(), 1) if "ssh_port: 53" in ln
    )
    assert f"Pulumi.prod.yaml:{line} pic:hosts.db.ssh_port: 53 is NSD's, which serves pic:dns.zones" in text, text
    assert text.count("\n") == 0, text  # one error, the mail host's resolver is elsewhere


def test_one_ipv6_address_written_two_ways_is_one_hosts(tmp_path: Path) -> None:
    """``2001:db8::11`` and ``2001:DB8:0::11`` are one address: two hosts may not both have it."""
    project = project_copy(tmp_path)
    _edit(project, "address: web1.example.org,", "address: '2001:db8::11',")
    _edit(project, "address: db.example.org,", "address: '2001:DB8:0::11',")
    assert 'pic:hosts.db.address: "2001:DB8:0::11" is also the address of web1' in _errors(project)


def test_an_unknown_key_never_offers_the_programs_own_fields(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  pic:stak: x")
    text = _errors(project)
    allowed = text.split("allowed here: ", 1)[1].split(")", 1)[0].split(", ")
    assert "hosts" in allowed and "stack" not in allowed and "secrets" not in allowed, text


def test_the_mail_exchanger_may_be_the_mail_hosts_name(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, "dkim_selector: pic,", "dkim_selector: pic, mx: web1.example.org,")
    assert load_settings(project, "prod").mail_exchanger == "web1.example.org"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            MEMBERS_ROOT,
            f'{MEMBERS_ROOT}\n  pic:db: {{proxy: "socks5://admin:Hunter2x@127.0.0.1:1080"}}',
            "pic:db.proxy",
        ),
        (
            BACKUP,
            _offsite("sftp://restic:Hunter2x@vault.example.net:2222//srv/restic"),
            "pic:backup.offsite.repository",
        ),
        (
            BACKUP,
            _offsite("s3:https://AKIAEXAMPLE:Hunter2x@s3.example.net/bucket/pic"),
            "pic:backup.offsite.repository",
        ),
        # its colon percent-encoded (once, in lowercase, twice): urllib reads a user deploy:Hunter2x, no password
        (
            'url: "https://packages.sury.org/php/"',
            'url: "https://u%3AHunter2x@packages.sury.org/php/"',
            "pic:runtimes.8.3.apt_source.url",
        ),
        (
            BACKUP,
            _offsite("sftp://restic%3aHunter2x@vault.example.net:2222//srv/restic"),
            "pic:backup.offsite.repository",
        ),
        (
            BACKUP,
            _offsite("s3:https://AKIAEXAMPLE%253AHunter2x@s3.example.net/bucket/pic"),
            "pic:backup.offsite.repository",
        ),
        # A password with '/', '@', a space or a quote, or long enough to be cut where a value is shortened
        (
            BACKUP,
            _offsite("s3:https://AKIAEXAMPLE:wJalrXUtn/K7MDENG/Hunter2x@s3.example.net/bucket/pic"),
            "pic:backup.offsite.repository",
        ),
        (
            MEMBERS_ROOT,
            f"{MEMBERS_ROOT}\n  pic:db: {{proxy: 'socks5://alice:a+b/Hunter2x=@127.0.0.1:1080'}}",
            "pic:db.proxy",
        ),
        (
            MEMBERS_ROOT,
            f"{MEMBERS_ROOT}\n  pic:db: {{proxy: 'socks5://alice:hun@Hunter2x y\"z@127.0.0.1:1080'}}",
            "pic:db.proxy",
        ),
        (
            MEMBERS_ROOT,
            f"{MEMBERS_ROOT}\n  pic:db: {{proxy: 'socks5://alice:{'S' * 90}Hunter2x@127.0.0.1:1080'}}",
            "pic:db.proxy",
        ),
        (
            MEMBERS_ROOT,
            f"{MEMBERS_ROOT}\n  pic:smtp: {{host: smtp.example.org, host_relay: 'smtp://a:Hunter2x@relay.example.org:25'}}",
            "pic:smtp.host_relay",
        ),
    ],
)
def test_a_password_in_a_url_is_refused_and_never_shown(tmp_path: Path, old: str, new: str, field: str) -> None:
    """The setting is refused for holding a password, and the error does not print it back."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: " in text and "://***@" in text, text
    assert "Hunter2x" not in text and "AKIAEXAMPLE" not in text and "SSSS" not in text, text


def test_a_key_written_with_brackets_is_named_where_it_stands(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, "pic:limits: {", 'pic:limits: {"x[0]": 1, ')
    _edit(project, MEMBERS_ROOT, f'{MEMBERS_ROOT}\n  "pic:y[1]": 1')
    text = _errors(project)
    assert " pic:limits.x[0]: unknown key (allowed here: memory_mb, cpus, pids)" in text, text
    assert " pic:y[1]: unknown key (allowed here: hosts," in text, text


@pytest.mark.parametrize(
    ("host", "words"),
    [
        ("sympa", "host name 'sympa' is a component of the platform"),
        ("tls", "host name 'tls' is the start of 'tls-ca', a component of the platform"),
        ("pic-web", "host name 'pic-web' is a container or network of the platform"),
        ("dns-1", "host name 'dns-1' starts with 'dns-', and 'dns' is a component of the platform"),
    ],
)
def test_a_host_is_not_named_like_the_platforms_own_resources(tmp_path: Path, host: str, words: str) -> None:
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text().replace("web1", host))
    (project / "members").mkdir(exist_ok=True)
    text = _errors(project)
    assert f" pic:hosts.{host}: {words}" in text, text


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("pic:proxy: {debian: bookworm}", "pic:proxy: {debian: bullseye}", "pic:proxy.debian", "has no caddy package"),
        ("pic:proxy: {debian: bookworm}", "pic:proxy: {debian: zzz}", "pic:proxy.debian", "is not a Debian release"),
        ("    debian: bookworm", "    debian: buster", "pic:phpmyadmin.debian", "(bullseye, bookworm, trixie)"),
        ('"8.4": {debian: trixie', '"8.4": {debian: forky', "pic:runtimes.8.4.debian", "is not a Debian release"),
    ],
)
def test_images_are_built_on_the_releases_the_platform_knows(
    tmp_path: Path, old: str, new: str, field: str, words: str
) -> None:
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: " in text and words in text, text


@pytest.mark.parametrize(
    ("written", "meant"),
    [("Trixie", "trixie"), ("TRIXIE", "trixie"), (" trixie", "trixie"), ("forky", None)],
)
def test_a_debian_release_in_another_case_or_mistyped_says_which_was_meant(
    tmp_path: Path, written: str, meant: str | None
) -> None:
    project = project_copy(tmp_path)
    _edit(project, '"8.4": {debian: trixie', f'"8.4": {{debian: "{written}"')
    [line] = [line for line in _errors(project).splitlines() if "pic:runtimes.8.4.debian" in line]
    assert "is not a Debian release the platform builds its images on" in line, line
    assert line.endswith(f"; did you mean {meant!r}?") if meant else "did you mean" not in line, line


@pytest.mark.parametrize("key", ["pic:smtp", "pic:dns", "pic:notify"])
def test_an_empty_setting_is_refused_not_taken_as_absent(tmp_path: Path, key: str) -> None:
    """``pic:smtp:`` with nothing under it: the admin meant something; it is neither off nor the default."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {key}:")
    assert f" {key}: is empty (null): give its value, or remove the key" in _errors(project)


def test_an_empty_phpmyadmin_is_refused_not_turned_off(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(
        project,
        "  pic:phpmyadmin:\n    host: web1\n    domain: pma.example.org\n    debian: bookworm\n",
        "  pic:phpmyadmin:\n",
    )
    assert " pic:phpmyadmin: is empty (null)" in _errors(project)


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (
            MEMBERS_ROOT,
            f'{MEMBERS_ROOT}\n  pic:disk: {{time: "25:00"}}',
            "pic:disk.time",
            '"25:00" is not allowed here: a time HH:MM',
        ),
        (
            "fingerprint: 15058500A0235D97F5D10063B188E2B695BD4743",
            "fingerprint: 15058500a0235d97f5d10063b188e2b695bd4743",
            "pic:runtimes.8.3.apt_source.fingerprint",
            "40 hexadecimal digits in upper case, no spaces; did you mean '15058500A0235D97F5D10063B188E2B695BD4743'?",
        ),
        (  # as gpg --fingerprint prints it, in groups of four
            "fingerprint: 15058500A0235D97F5D10063B188E2B695BD4743",
            'fingerprint: "1505 8500 A023 5D97 F5D1  0063 B188 E2B6 95BD 4743"',
            "pic:runtimes.8.3.apt_source.fingerprint",
            "40 hexadecimal digits in upper case, no spaces; did you mean '15058500A0235D97F5D10063B188E2B695BD4743'?",
        ),
        (
            "pic:default_web_host: web1",
            "pic:default_web_host: Web1",
            "pic:default_web_host",
            '"Web1" is not allowed here: a host name: a lowercase letter, then lowercase letters, digits or -, 31 at '
            "most (the web hosts of pic:hosts: web1); did you mean 'web1'?",
        ),
        (
            MEMBERS_ROOT,
            f'{MEMBERS_ROOT}\n  pic:smtp: {{host: "smtp.example.org:587"}}',
            "pic:smtp.host",
            "holds a port",
        ),
        (
            MEMBERS_ROOT,
            f'{MEMBERS_ROOT}\n  pic:smtp: {{host: "[2001:db8::25]"}}',
            "pic:smtp.host",
            "is in square brackets: give the address alone",
        ),
        (
            BACKUP,
            BACKUP[:-1] + ", offsite: {repository: 'sftp://restic@vault.example.net:2222//srv/restic'}}",
            "pic:backup.offsite.known_hosts",
            "an sftp repository needs known_hosts",
        ),
        # a repository restic reads otherwise or not at all: what is wrong, and the form to write
        (
            BACKUP,
            _offsite("s3:https://s3.example.net/"),
            "pic:backup.offsite.repository",
            '"s3:https://s3.example.net/" has no bucket after the host s3.example.net: restic needs one '
            "(s3:https://host[:port]/bucket/path): write s3:https://s3.example.net/BUCKET",
        ),
        (
            BACKUP,
            _offsite("S3:https://s3.example.net/pic-backups"),
            "pic:backup.offsite.repository",
            "starts with 'S3:': restic knows its kinds of repository in lowercase only (it refuses S3: as an invalid "
            "backend): write s3:https://s3.example.net/pic-backups",
        ),
        (
            BACKUP,
            _offsite("s3:s3.example.net/pic-backups"),
            "pic:backup.offsite.repository",
            "names no scheme: restic reads s3:s3.example.net/pic-backups as https://s3.example.net/pic-backups; write "
            "s3:https://s3.example.net/pic-backups",
        ),
        (
            BACKUP,
            _offsite("sftp:restic@vault.example.net:/srv/restic", "@revoked vault.example.net"),
            "pic:backup.offsite.known_hosts",
            "is a @revoked line: @revoked marks a key ssh refuses: it trusts none",
        ),
    ],
)
def test_messages_say_what_is_allowed_in_words(tmp_path: Path, old: str, new: str, field: str, words: str) -> None:
    """No regular expression, no "null" before a sentence about a missing value."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    line = next((ln for ln in text.splitlines() if f" {field}: " in ln), "")
    assert words in line and "^" not in line and ": null " not in line, text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('x "socks5://a:pw@h:1" y', 'x "socks5://***@h:1" y'),
        ("s3:https://KEY:se/cr@et@host/b and sftp://u@h//p", "s3:https://***@host/b and sftp://u@h//p"),
        ('x "socks5://a%3Apw@h:1" y', 'x "socks5://***@h:1" y'),
        ("https://u%253Apw@h/ and https://u%40example.org@h/", "https://***@h/ and https://u%40example.org@h/"),
        ("sftp://restic@vault//srv (no password)", "sftp://restic@vault//srv (no password)"),
    ],
)
def test_a_message_never_shows_a_urls_password(text: str, shown: str) -> None:
    """The last line of defence: whatever a message quotes (a line of the file, a value), Problem hides it."""
    assert str(Problem("f", 1, "k", text)).endswith(f"k: {shown}")


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (
            "pic:admin_email: admin@example.org",
            "pic:admin_email: admin@café.fr",
            "pic:admin_email",
            "write 'admin@xn--caf-dma.fr'",
        ),
        (
            "acme_email: admin@example.org",
            "acme_email: admin@ｅｘａｍｐｌｅ.org",
            "pic:tls.acme_email",
            "write 'admin@example.org'",
        ),
        ("dmarc_reports: dmarc@example.org", "dmarc_reports: dmarc@exämple.org", "pic:mail.dmarc_reports", "punycode"),
    ],
)
def test_the_platforms_addresses_are_ascii(tmp_path: Path, old: str, new: str, field: str, words: str) -> None:
    """They reach certbot, Caddy, Postfix, Sympa and shell scripts as written: the domain in punycode."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: " in text and words in text, text


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("address: web1.example.org", "address: 127.0.0.1", "pic:hosts.web1.address", "is this machine"),
        ("address: db.example.org", "address: localhost.localdomain", "pic:hosts.db.address", "is this machine"),
        ("address: web1.example.org", "address: 0.1.2.3", "pic:hosts.web1.address", "in 0.0.0.0/8"),
        ("address: web1.example.org", "address: 240.0.0.1", "pic:hosts.web1.address", "reserved (RFC 1112)"),
        ("address: web1.example.org", "address: '::192.0.2.1'", "pic:hosts.web1.address", "IPv4-compatible"),
        ("private_address: 10.0.0.11", "private_address: 169.254.1.1", "pic:hosts.web1.private_address", "link-local"),
        ("private_address: 10.0.0.11", "private_address: 'fe80::1'", "pic:hosts.web1.private_address", "link-local"),
        # No mx: the mail host's address is the MX, which a public stack's lists need public.
        ("address: web1.example.org", "address: web1.local", "pic:mail", "mx is required: the mail host's address"),
    ],
)
def test_a_host_is_reached_at_an_address_of_its_own(tmp_path: Path, old: str, new: str, field: str, words: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: " in text and words in text, text


# Each address setting given a link-local address without a zone id, and what it offers to write instead
_LINK_LOCAL_FIELDS = [
    ("address: web1.example.org", "address: '{a}'", "pic:hosts.web1.address", "give the host's name or another"),
    ("private_address: 10.0.0.11", "private_address: '{a}'", "pic:hosts.web1.private_address", "private network"),
    (
        "private_address: 10.0.0.11,",
        "private_address: 10.0.0.11, public_addresses: ['{a}'],",
        "pic:hosts.web1.public_addresses[0]",
        "give a public address",
    ),
    (MEMBERS_ROOT, _dns("listen: ['{a}']"), "pic:dns.listen[0]", "give the public addresses"),
    (MEMBERS_ROOT, f"pic:smtp: {{host: '{{a}}'}}\n{MR}", "pic:smtp.host", "give the server's name or"),
    (
        MEMBERS_ROOT,
        f"pic:smtp: {{host: smtp.example.org, host_relay: '[{{a}}]:25'}}\n{MR}",
        "pic:smtp.host_relay",
        "give the server's name or",
    ),
    (MEMBERS_ROOT, f"pic:db: {{proxy: 'socks5://[{{a}}]:1080'}}\n{MR}", "pic:db.proxy", "give the server's name or"),
]


@pytest.mark.parametrize(("old", "new", "field", "offer"), _LINK_LOCAL_FIELDS)
def test_a_link_local_address_is_told_the_zone_id_it_lacks(
    tmp_path: Path, old: str, new: str, field: str, offer: str
) -> None:
    """pic:hosts.web1.private_address: fe80::1 was told 'a link-local address, which reaches no further than one
    link: no host is reached there' (pic:smtp.host 'no server answers there', pic:dns.listen 'no resolver reaches a
    server on' it): a host on the link is reached there, through the interface a zone id names (RFC 4007 §11), as
    Linux does it: connect(('fe80::1', 25)) without one fails with EINVAL, ip -6 route get fe80::1 names a device.
    What is wrong is said (no setting carries the zone id the address needs) and what to write, the field's own."""
    project = project_copy(tmp_path)
    _edit(project, old, new.replace("{a}", "fe80::1"))
    [line] = [ln for ln in _errors(project).splitlines() if f" {field}: " in ln]
    assert ipaddress.ip_address("fe80::1").is_link_local
    for wrong in ("no host is reached there", "no server answers there", "no resolver reaches", "no further than"):
        assert wrong not in line, line
    assert "link-local address" in line and "zone id" in line and "RFC 4007" in line, line
    assert "fe80::1%eth0" in line and offer in line, line


@pytest.mark.parametrize(("old", "new", "field", "offer"), _LINK_LOCAL_FIELDS[:4])
def test_an_ipv4_link_local_address_is_told_it_is_picked_by_the_host(
    tmp_path: Path, old: str, new: str, field: str, offer: str
) -> None:
    """pic:hosts.web1.private_address: 169.254.1.1 was told 'no host is reached there' too, where a host on the link
    is (ip route get 169.254.1.1 names a route): such an address is one a host picks for itself and gives up on a
    conflict (RFC 3927 §2), no address to name a host by in a setting, nor one the Internet reaches."""
    project = project_copy(tmp_path)
    _edit(project, old, new.replace("{a}", "169.254.1.1"))
    [line] = [ln for ln in _errors(project).splitlines() if f" {field}: " in ln]
    for wrong in ("no host is reached there", "no resolver reaches", "no further than"):
        assert wrong not in line, line
    assert "link-local address" in line and "169.254.0.0/16" in line and offer in line, line


def test_a_host_known_by_a_local_name_is_fine_when_the_mx_is_given(tmp_path: Path) -> None:
    """Admins may reach their hosts by names of their own network; only the MX must be public."""
    project = project_copy(tmp_path)
    _edit(project, "address: web1.example.org", "address: web1.lan")
    _edit(project, "dkim_selector: pic,", "dkim_selector: pic, mx: mail.example.org,")
    assert load_settings(project, "prod").mail_exchanger == "mail.example.org"


def test_a_name_server_is_named_after_the_dns_server(tmp_path: Path) -> None:
    """The zone gives each name server NSD's addresses as glue: db's name would point at web1's NSD."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, _dns("listen: [192.0.2.53], nameservers: [web1.example.org, db.example.org]"))
    text = _errors(project)
    assert ' pic:dns.nameservers[1]: "db.example.org" is pic:hosts.db.address, but NSD runs on web1' in text, text
    assert "nameservers[0]" not in text, text


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("dkim_selector: pic,", "dkim_selector: pic, mx: ~,", "pic:mail.mx"),
        ("sympa_domain: listes.example.org", "sympa_domain: ~", "pic:mail.sympa_domain"),
        ("keep_days: 7}", "keep_days: 7, offsite: ~}", "pic:backup.offsite"),
        ("    debian: bookworm", "    debian:", "pic:phpmyadmin.debian"),
    ],
)
def test_an_empty_value_inside_a_setting_is_refused_once(tmp_path: Path, old: str, new: str, field: str) -> None:
    """``offsite: ~`` would turn the off-site backup off without a word: refused, and said once."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: is empty (null): give its value" in text, text
    assert text.count(f" {field}:") == 1, text


RUNTIME_84 = '"8.4": {debian: trixie, eol: 2028-12-31}'
HOST_WEB1 = "web1: {role: web, address: web1.example.org, private_address: 10.0.0.11, ssh_user: deploy}"


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (
            RUNTIME_84,
            '"8.4": ~',
            "pic:runtimes.8.4",
            "give its settings, or remove the key: the stack then has no runtime 8.4 (no default takes its place), "
            "and a member whose site.php is 8.4 is refused",
        ),
        (
            HOST_WEB1,
            "web1:",
            "pic:hosts.web1",
            "give its settings, or remove the key: the stack then has no host web1 (no default takes its place)",
        ),
        (
            MEMBERS_ROOT,
            f"{MEMBERS_ROOT}\n  pic:base_images: {{bookworm: ~}}",
            "pic:base_images.bookworm",
            "give its value, or remove the key: the images on bookworm are then built FROM pic/debian:bookworm",
        ),
        ("pic:eol_warning_days: 365", "pic:eol_warning_days: ~", "pic:eol_warning_days", "to its default (365)"),
        ("ca: letsencrypt}", "ca: ~}", "pic:tls.ca", 'remove the key to leave it to its default ("letsencrypt")'),
        ('pic:backup: {time: "03:15", keep_days: 7}', "pic:backup:", "pic:backup", "to leave it to its defaults"),
        ("dkim_selector: pic,", "dkim_selector: pic, mx: ~,", "pic:mail.mx", "remove the key to leave it unset"),
    ],
    ids=["runtime", "host", "base-image", "number", "text", "mapping", "unset"],
)
def test_an_empty_key_says_what_removing_it_does(tmp_path: Path, old: str, new: str, field: str, words: str) -> None:
    """``pic:runtimes: {"8.4": ~}`` was told to "remove the key to leave it to its default": no runtime 8.4 is
    there by default, and removing it makes every member on 8.4 invalid."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: is empty (null): give its " in text and words in text, text


def test_what_an_empty_key_says_of_its_removal_is_true(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, f"    {RUNTIME_84}\n", "")
    _edit(project, "  pic:eol_warning_days: 365\n", "")
    _edit(project, "ca: letsencrypt}", "}")
    settings = load_settings(project, "prod")
    assert "8.4" not in settings.runtimes and settings.eol_warning_days == 365 and settings.tls.ca == "letsencrypt"
    with pytest.raises(PicError) as caught:
        load_registry(ROOT / "members", settings)
    assert 'site.php: "8.4" is not a runtime of stack prod' in str(caught.value), caught.value


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  pic:dns: {{zones: [~, a.org]}}", "pic:dns.zones[0]", "is an empty item"),
        (
            MEMBERS_ROOT,
            f"{MEMBERS_ROOT}\n  pic:dbAdminPassword: ~",
            "pic:dbAdminPassword",
            "is empty (null): set the secret with `pulumi config set --secret pic:dbAdminPassword`",
        ),
    ],
)
def test_an_item_or_a_secret_without_a_value_is_said_to_be_empty(
    tmp_path: Path, old: str, new: str, field: str, words: str
) -> None:
    """Was: "null is not a string"; a secret left empty was told to fall back to a default it does not have."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: {words}" in text and "null is not" not in text and "default" not in text, text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "Pulumi.prod.yaml is empty (or holds only comments): a stack file is a mapping with a config: key"),
        ("# nothing yet\n", "Pulumi.prod.yaml is empty (or holds only comments)"),
        ("config: ~\n", "Pulumi.prod.yaml:1 config: is empty (null): give the stack's settings under it"),
        ("encryptionsalt: v1:abc\nconfig:\n", "Pulumi.prod.yaml:2 config: is empty (null)"),
    ],
)
def test_an_empty_stack_file_or_config_is_said_to_be_empty(tmp_path: Path, text: str, said: str) -> None:
    """Was: "null is not a mapping with a config: key", and a traceback for ``config:`` without a value."""
    (tmp_path / "Pulumi.prod.yaml").write_text(text, encoding="utf-8")
    shown = _errors(tmp_path)
    assert said in shown and "null" not in shown.replace("(null)", ""), shown


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("pic:admin_email: admin@example.org", "pic:admin_email: ~", "pic:admin_email"),
        ("address: web1.example.org", "address: ~", "pic:hosts.web1.address"),
    ],
)
def test_a_required_key_without_a_value_is_not_told_to_go(tmp_path: Path, old: str, new: str, field: str) -> None:
    """Removing a required key would only trade this error for "is required but missing"."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: is empty (null): give its value (it is required, with no default)" in text, text


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (MEMBERS_ROOT, f'{MEMBERS_ROOT}\n  pic:smtp: {{host: "user:Hunter2x@smtp.example.net:587"}}', "pic:smtp.host"),
        (
            MEMBERS_ROOT,
            f'{MEMBERS_ROOT}\n  pic:smtp: {{host: smtp.example.net, host_relay: "[u:Hunter2x@relay.example.net]:25"}}',
            "pic:smtp.host_relay",
        ),
        ("address: web1.example.org", 'address: "deploy:Hunter2x@web1.example.org"', "pic:hosts.web1.address"),
        ("address: web1.example.org", 'address: "deploy%3AHunter2x@web1.example.org"', "pic:hosts.web1.address"),
        (
            MEMBERS_ROOT,
            f'{MEMBERS_ROOT}\n  pic:db: {{dev_image: "u:Hunter2x@registry.example.net:5000/m:1"}}',
            "pic:db.dev_image",
        ),
        (
            'url: "https://packages.sury.org/php/"',
            'url: "https://u:Hunter2x@packages.sury.org/php/"',
            "pic:runtimes.8.3.apt_source.url",
        ),
    ],
)
def test_a_password_without_a_scheme_is_never_shown(tmp_path: Path, old: str, new: str, field: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert f" {field}: " in text and "***@" in text, text
    assert "hunter2x" not in text.lower(), text  # nor lowercased in a suggestion


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("ａｄｍｉｎ@example.org", "write 'admin@example.org'"),
        ("admïn@example.org", "before the @ outside ASCII"),
    ],
)
def test_the_platforms_address_has_an_ascii_local_part(tmp_path: Path, address: str, words: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, "pic:admin_email: admin@example.org", f"pic:admin_email: {address}")
    text = _errors(project)
    assert " pic:admin_email: " in text and words in text, text


@pytest.mark.parametrize(
    ("relay", "words"),
    [
        ("relay.example.org:25:x", "has more than one ':': write host:port"),
        ("2001:db8::25:25", "is an IPv6 address without brackets read two ways"),
    ],
)
def test_a_relay_with_colons_is_told_what_it_is(tmp_path: Path, relay: str, words: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f'{MEMBERS_ROOT}\n  pic:smtp: {{host: smtp.example.org, host_relay: "{relay}"}}')
    assert words in _errors(project)


# What 2001:db8::5:25 is told where an address and a port are asked
_TWO_WAYS = (
    "is an IPv6 address without brackets read two ways: 2001:db8::5:25 alone, with no port, or the address "
    "2001:db8::5 and port 25: write the address in brackets, [2001:db8::5]:25, or [2001:db8::5:25]:PORT with the "
    "port meant"
)


@pytest.mark.parametrize(
    ("relay", "said"),
    [
        # an address alone as much as an address and a port: both read, both offered
        (
            "2001:db8::5:25",
            _TWO_WAYS,
        ),
        (
            "2001:DB8::5:25",
            _TWO_WAYS,
        ),
        # its last group no port (ab, 99999 has five digits): an address alone
        (
            "2001:db8::5:ab",
            "is an IPv6 address without brackets, alone with no port: write it in brackets, [2001:db8::5:ab]:PORT "
            "with the port meant",
        ),
        # nine groups: no address alone, the last one a port
        (
            "2001:db8:0:0:0:0:0:5:25",
            "holds an IPv6 address without brackets: write '[2001:db8::5]:25'",
        ),
    ],
)
def test_an_ipv6_address_and_a_port_without_brackets_is_told_how_it_reads(
    tmp_path: Path, relay: str, said: str
) -> None:
    """pic:smtp.host_relay: 2001:db8::5:25 was told 'holds an IPv6 address without brackets: write
    [2001:db8::1]:port', a template, where the value is also an address alone (Python's ipaddress reads
    ip_address('2001:db8::5:25') as one, as it reads 2001:db8::5): each reading is told and written in brackets."""
    assert ipaddress.ip_address(relay.rpartition(":")[0]) if relay.count(":") > 7 else ipaddress.ip_address(relay)
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f'{MEMBERS_ROOT}\n  pic:smtp: {{host: smtp.example.org, host_relay: "{relay}"}}')
    [line] = [ln for ln in _errors(project).splitlines() if " pic:smtp.host_relay: " in ln]
    assert line.endswith(f'"{relay}" {said}'), line


@pytest.mark.parametrize(
    ("old", "new", "field", "words", "shown"),
    [
        (
            MEMBERS_ROOT,
            f'{MEMBERS_ROOT}\n  pic:smtp: {{host: "bob:pa Hunter2x@smtp.example.org"}}',
            "pic:smtp.host",
            "holds '@'",
            '"***@smtp.example.org"',
        ),
        (
            MEMBERS_ROOT,
            f'{MEMBERS_ROOT}\n  pic:smtp: {{host: smtp.example.org, host_relay: "b:pa Hunter2x@relay.example.org:25"}}',
            "pic:smtp.host_relay",
            "holds '@'",
            '"***@relay.example.org:25"',
        ),
        (
            'key_url: "https://packages.sury.org/php/apt.gpg"',
            'key_url: "https://bob@packages.sury.org/php/apt.gpg"',
            "pic:runtimes.8.3.apt_source.key_url",
            "holds a user before the host",
            '"https://bob@packages.sury.org/php/apt.gpg"',  # a user alone is no secret: shown whole
        ),
        (
            MEMBERS_ROOT,
            f'{MEMBERS_ROOT}\n  pic:smtp: {{host: "smtp://smtp.example.org"}}',
            "pic:smtp.host",
            "is a URL: give the host alone",
            '"smtp://smtp.example.org"',
        ),
    ],
)
def test_a_user_a_spaced_password_or_a_scheme_where_a_host_stands(
    tmp_path: Path, old: str, new: str, field: str, *, words: str, shown: str
) -> None:
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    line = next((ln for ln in text.splitlines() if f" {field}: " in ln), "")
    assert f" {field}: {shown} " in line and words in line, text
    assert "hunter2x" not in text.lower(), text


def test_zones_of_a_dns_server_addressed_by_ip_need_the_name_servers_names(tmp_path: Path) -> None:
    """An NS record names a host: the server's address as its default (``@ IN NS 192.0.2.11.``) is no name."""
    project = project_copy(tmp_path)
    _edit(project, "address: web1.example.org", "address: 192.0.2.11")
    _edit(project, "dkim_selector: pic,", "dkim_selector: pic, mx: mx.example.org,")
    _edit(project, MEMBERS_ROOT, "pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.11]}\n" + MR)
    text = _errors(project)
    assert (
        " pic:dns.nameservers: is needed: the zones' NS records name the DNS server, whose address (192.0.2.11, "
        "pic:hosts.web1.address) is an IP address" in text
    ), text
    _edit(project, "listen: [192.0.2.11]", "listen: [192.0.2.11], nameservers: [ns1.example.org]")
    assert load_settings(project, "prod").dns.nameservers == ["ns1.example.org"]


def test_the_stacks_cpu_limit_is_one_docker_keeps_as_written(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, "cpus: 1.0", "cpus: 0.05")
    assert " pic:limits.cpus: 0.05 is read back by the Docker provider as 0.1" in _errors(project)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("pic:admin_email: admin@example.org", 'pic:admin_email: "admin@velo-asso.fr / Lilas2024x"'),
        ("pic:admin_email: admin@example.org", 'pic:admin_email: "admin@velo-asso.fr:Lilas2024x"'),
        ("pic:admin_email: admin@example.org", 'pic:admin_email: "admin@velo-asso.fr, Lilas2024x"'),
        ("pic:admin_email: admin@example.org", 'pic:admin_email: "admin@velo-asso.fr Lilas2024x!"'),
        ("private_address: 10.0.0.11", 'private_address: "10.0.0.11:Lilas2024x"'),
        ("private_address: 10.0.0.11", 'private_address: "10.0.0.11/Lilas2024x"'),
        ("private_address: 10.0.0.11", 'private_address: "fe80::1%Lilas2024x"'),
        ("address: web1.example.org", 'address: "web1.example.org:Lilas2024x"'),
        ("address: web1.example.org", 'address: "web1.example.org Lilas2024x"'),
        ("pic:admin_email: admin@example.org", "pic:admin_email: 'admin@example.org (Lilas2024x)'"),
        ("pic:admin_email: admin@example.org", "pic:admin_email: 'admin@velo-asso.fr <Lilas2024x>'"),
        ("pic:admin_email: admin@example.org", "pic:admin_email: 'admin@velo-asso.fr {Lilas2024x}'"),
        ("private_address: 10.0.0.11", "private_address: '10.0.0.11 (Lilas2024x)'"),
        ("private_address: 10.0.0.11", "private_address: '10.0.0.11#Lilas2024x'"),
        ("private_address: 10.0.0.11", "private_address: '10.0.0.11 [Lilas2024x]'"),
        ("private_address: 10.0.0.11", "private_address: '10.0.0.11=Lilas2024x!'"),
        ("pic:admin_email: admin@example.org", "pic:admin_email: 'admin@example.org=Lilas2024x!'"),
        ("address: web1.example.org", "address: 'web1.example.org=Lilas2024x'"),
    ],
)
def test_a_password_pasted_beside_an_address_is_not_shown(tmp_path: Path, old: str, new: str) -> None:
    """A password pasted on the address's line, after a blank, a '/', a ',', a ':' or a zone's '%', was shown whole in
    the message refusing the address (and in what it offered to write); the value is not shown, the field named."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert "Lilas2024x" not in text, text
    assert "not shown" in text, text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('time: "03:15"', 'time: "03:15 Lilas2024x!"'),
        ("keep_days: 7", "keep_days: 7 Lilas2024x!"),
        ("ssh_user: deploy}", "ssh_user: deploy Lilas2024x!}"),
        ("pic:members_root: /srv/members", "pic:members_root: /srv/members Lilas2024x!"),
        ("pic:members_root: /srv/members", "pic:members_root: [/srv/members, Lilas2024x!]"),
        ("dkim_selector: pic", "dkim_selector: pic Lilas2024x!"),
        ("debian: bullseye", "debian: bullseye Lilas2024x!"),
        ("ca: letsencrypt", "ca: {letsencrypt: Lilas2024x!}"),
        ("pic:eol_warning_days: 365", "pic:eol_warning_days: [365, Lilas2024x!]"),
        ("pic:default_web_host: web1", "pic:default_web_host: {web1: S3cretPw9}"),
        ("acme_email: admin@example.org", "acme_email: 'admin=Lilas2024x!@example.org'"),
        ("acme_email: admin@example.org", "acme_email: 'admin!Lilas2024x@example.org'"),
        ("acme_email: admin@example.org", "acme_email: 'Lilas2024x!@example.org'"),
        ("acme_email: admin@example.org", "acme_email: 'admin&Lilas2024x!@example.org'"),
        ("pic:admin_email: admin@example.org", "pic:admin_email: 'admin+Lilas2024x!@example.org'"),
    ],
)
def test_a_password_pasted_into_any_setting_is_not_shown(tmp_path: Path, old: str, new: str) -> None:
    """A bare password pasted beside a setting's value (a time, a unix user, a path, a DKIM selector), among the
    texts of a list or a mapping given where one text goes, or before an address's @, was shown whole where the
    setting's own check refused the value; every refused value is read word by word, the value not shown."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert "Lilas2024x" not in text and "S3cretPw9" not in text, text
    assert "not shown" in text, text


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        ('time: "03:15"', 'time: "3h15"', '"3h15"'),
        ("ssh_user: deploy}", "ssh_user: Deploy Admin}", '"Deploy Admin"'),
        ("pic:members_root: /srv/members", "pic:members_root: srv/members", '"srv/members"'),
        ("acme_email: admin@example.org", "acme_email: 'admin!x@example.org'", '"admin!x@example.org"'),
        ("acme_email: admin@example.org", "acme_email: 'jean.dupont75@example.org x'", "jean.dupont75@example.org"),
    ],
)
def test_a_refused_setting_that_holds_no_password_is_still_shown(
    tmp_path: Path, old: str, new: str, shown: str
) -> None:
    """Reading every refused setting for a password beside it hides none of a value that holds no word shaped as
    one: its message still shows it."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert shown in text and "not shown" not in text, text


def test_an_address_followed_by_a_header_is_shown_whole_not_masked_as_a_password(tmp_path: Path) -> None:
    """``a@x.org\\nBcc: b@y.org`` has a ':' before its last '@' but is no ``user:password@host``: it was shown
    ``"***@evil.org"``, with a position that matched nothing shown. A real one stays masked."""
    project = project_copy(tmp_path)
    _edit(project, "pic:admin_email: admin@example.org", 'pic:admin_email: "admin@example.org\\nBcc: x@evil.org"')
    assert ' pic:admin_email: "admin@example.org\\nBcc: x@evil.org" is not a valid e-mail address' in _errors(project)
    for i, secret in enumerate(
        [
            '"admin:hunter2@example.org"',
            '" deploy:hunter2@example.org"',
            '"a x:hunter2@x.org"',
            # the address a message offers, once what is around it is dropped, holds the password too
            '"Admin <deploy:hunter2@example.org>"',
            '"mailto:deploy:hunter2@example.org"',
            '"deploy:hunter2@example.org,"',
        ]
    ):
        (tmp_path / str(i)).mkdir()
        project = project_copy(tmp_path / str(i))
        _edit(project, "pic:admin_email: admin@example.org", f"pic:admin_email: {secret}")
        text = _errors(project)
        assert " pic:admin_email: " in text and "hunter2" not in text, text


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "pic:eol_warning_days: 365",
            "pic:eol_warning_days: 1_000",
            "pic:eol_warning_days: 1_000 is not a whole number: write 1000, without separators between the digits",
        ),
        (
            "keep_days: 7",
            "keep_days: '1e3'",
            'pic:backup.keep_days: "1e3" is not a whole number: it reads as 1000, which is out of range too (must be '
            "at most 366)",
        ),
        (
            "keep_days: 7",
            "keep_days: 0b1_1_1_1_1_1_1_1_1",
            "pic:backup.keep_days: 0b1_1_1_1_1_1_1_1_1 is not a whole number: it reads as 511, which is out of range",
        ),
        # a reading is told as written, not rounded to six digits, nor a decimal of more digits than a float keeps
        # told to read as a whole number
        (
            "keep_days: 7",
            "keep_days: '2.1234567'",
            'pic:backup.keep_days: "2.1234567" is not a whole number: it reads as 2.1234567, which is no whole',
        ),
        (
            "keep_days: 7",
            "keep_days: '2.000000000000000001'",
            'pic:backup.keep_days: "2.000000000000000001" is not a whole number: it has more digits than a number '
            "keeps: write 2, or fewer digits",
        ),
    ],
)
def test_a_stack_s_number_is_told_as_written_and_offered_only_in_range(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    """The stack's numbers are told as a member file's are: a plain ``1_000`` (text to YAML 1.2) as written, not in
    quotes nor told to drop any, and a number offered only when the setting takes it."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert said in text, text


@pytest.mark.parametrize(
    ("value", "said"),
    [
        # an IPv4 address as one integer, as some tools and databases store it
        ("167772171", "167772171 is 10.0.0.11 written as one number (its 32 bits): write '10.0.0.11'"),
        ("3232235796", "3232235796 is 192.168.1.20 written as one number (its 32 bits): write '192.168.1.20'"),
        ("134744072", "134744072 is 8.8.8.8 written as one number (its 32 bits), and '8.8.8.8' is not an address of"),
        # the same in quotes: text to YAML, the same number to the eye
        ("'167772171'", "\"167772171\" is 10.0.0.11 written as one number (its 32 bits): write '10.0.0.11'"),
        ('"3232235796"', "\"3232235796\" is 192.168.1.20 written as one number (its 32 bits): write '192.168.1.20'"),
        ("'134744072'", "\"134744072\" is 8.8.8.8 written as one number (its 32 bits), and '8.8.8.8' is not an"),
        # a DNS name's final dot
        ("'10.0.0.11.'", "\"10.0.0.11.\" ends with a dot, which no address has: give the address alone ('10.0.0.11')"),
        ("'8.8.8.8.'", "\"8.8.8.8.\" ends with a dot, which no address has, and '8.8.8.8' inside is not an address"),
        # a zone, which only IPv6 has, and more than a port after the address
        (
            "'10.0.0.11%eth0'",
            "\"10.0.0.11%eth0\" has a zone id after its '%' (an interface's name), which only an IPv6 link-local "
            "address takes: give the address alone ('10.0.0.11')",
        ),
        (
            "'10.0.0.11:22:22'",
            "\"10.0.0.11:22:22\" holds more than one ':' after the address, which no address nor port has: give the "
            "address alone ('10.0.0.11')",
        ),
        ("10.0.0.11:22:22", "\"10.0.0.11:22:22\" holds more than one ':' after the address, which no address nor port"),
    ],
)
def test_a_private_address_written_otherwise_is_told_what_it_is(tmp_path: Path, value: str, said: str) -> None:
    """``private_address: 167772171`` (10.0.0.11 as one integer) was told to put it in quotes, then refused as no
    address; ``'10.0.0.11.'`` (a trailing dot), ``'10.0.0.11%eth0'`` (a zone on IPv4) and ``'10.0.0.11:22:22'`` got
    the generic "is not an IPv4 or IPv6 address": each is told what it is, with the address inside to write when
    the field takes it, else why not."""
    project = project_copy(tmp_path)
    _edit(project, "private_address: 10.0.0.11", f"private_address: {value}")
    text = _errors(project)
    assert f"pic:hosts.web1.private_address: {said}" in text, text
    assert "put it in quotes" not in text and "is not an IPv4 or IPv6 address" not in text, text


@pytest.mark.parametrize(
    "value", ["'10.0.0.11%Lilas2024x'", "'10.0.0.11:deploy:Lilas2024x'", "'10.0.0.11:22:Lilas2024x'"]
)
def test_a_password_after_a_private_address_is_still_not_shown(tmp_path: Path, value: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, "private_address: 10.0.0.11", f"private_address: {value}")
    text = _errors(project)
    assert "Lilas2024x" not in text and "pic:hosts.web1.private_address: the value (not shown" in text, text


@pytest.mark.parametrize("written", ["mailto:admin@velo-asso.fr", "MailTo:admin@velo-asso.fr", "mailto:marie@asso.org"])
def test_an_address_after_mailto_is_shown_not_masked_as_a_password(tmp_path: Path, written: str) -> None:
    """``mailto:admin@velo-asso.fr`` was shown ``"***@velo-asso.fr"``, its scheme read as a user and the address as
    a password, while the hint then wrote the address out: ``mailto:`` is a URL's scheme, and the address after it
    is shown, masked only when it holds a password itself (the test above)."""
    project = project_copy(tmp_path)
    _edit(project, "pic:admin_email: admin@example.org", f"pic:admin_email: {written}")
    text = _errors(project)
    alone = written.partition(":")[2]
    assert f' pic:admin_email: "{written}" is not a valid e-mail address: give the address alone, without ' in text
    assert f"'mailto:' ({alone!r})" in text and "***" not in text, text


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("dev_subnet: 172.29.57.0/32", "holds 1 address(es): the gateway takes 172.29.57.1 and the db container"),
        ("dev_subnet: 172.29.57.0/29", "holds 8 address(es)"),
        ("dev_subnet: 127.0.0.0/24", "is not in a private network of RFC 1918"),
        ("dev_subnet: 224.0.0.0/24", "is not in a private network of RFC 1918"),
        ("dev_port: 443", "is below 1024, where the admin's machine runs its own services"),
        ("dev_port: 22", "is below 1024"),
        ("dev_subnet: 0.0.0.0/24", "is not in a private network of RFC 1918"),
        ("dev_subnet: 192.0.2.0/24", "is not in a private network of RFC 1918"),
        ("dev_subnet: 198.18.0.0/24", "is not in a private network of RFC 1918"),
        ("dev_subnet: 'fd00::/64'", "is an IPv6 network: the dev db container's Docker network is an IPv4 one"),
        ("dev_subnet: '::ffff:172.29.57.0/120'", "is an IPv6 network"),
        ("dev_subnet: 172.29.57.1/24", "is an address of a network, not the network: write its first address, "),
        ("dev_subnet: 10.1.2.3/16", "write its first address, 10.1.0.0/16"),
        ("dev_subnet: 172.29.57.0/33", "is not an IPv4 network ADDRESS/PREFIX, e.g. 172.29.57.0/24 ('33' is not"),
        ("dev_subnet: 172.29.57/24", "is not an IPv4 network ADDRESS/PREFIX"),
        ("dev_subnet: 'fd00::1/64'", "is an IPv6 network"),
        ("dev_image: 'mariadb:'", "is not allowed here: an image reference"),
        ("dev_image: 'mariadb::11'", "is not allowed here"),
        ("dev_image: 'mariadb/:1'", "is not allowed here"),
        ("dev_image: 'x.-y'", "is not allowed here"),
        ("dev_image: 'x___y'", "is not allowed here"),
        (f"dev_image: 'mariadb:{'1' * 129}'", "is not allowed here"),
    ],
)
def test_dev_db_values_the_docker_engine_refuses_are_refused(tmp_path: Path, setting: str, words: str) -> None:
    """The dev stack's db container: a network without room for its gateway and the container, a port the
    front proxy publishes, an image reference outside Docker's grammar."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"pic:db: {{{setting}}}\n{MR}")
    key = setting.partition(":")[0]
    text = _errors(project)
    assert f" pic:db.{key}: " in text and words in text, text


@pytest.mark.parametrize("image", ["mariadb:11.4", "registry.example.org:5000/lib/mariadb:11", "a__b/c-d.e:1_2"])
def test_dev_images_of_dockers_grammar_are_taken(tmp_path: Path, image: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"pic:db: {{dev_image: '{image}'}}\n{MR}")
    assert load_settings(project, "prod").db.dev_image == image


@pytest.mark.parametrize("secure", ["84736251907", "[Hunter2Secret]", "2026-01-01", "{a: Hunter2Secret}", "true"])
def test_a_secure_value_that_is_no_text_is_refused_without_being_shown(tmp_path: Path, secure: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  pic:dbAdminPassword: {{secure: {secure}}}")
    text = _errors(project)
    assert " pic:dbAdminPassword.secure: is not a ciphertext Pulumi writes" in text, text
    assert all(word not in text for word in ("84736251907", "Hunter2", "2026-01-01", "True", "true")), text


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ('pic:dbAdminPassword: {secure: "v1:abc:Hunter2\x01Secret"}', "a control character (U+0001)"),
        (b'pic:dbAdminPassword: {secure: "v1:abc:Hunter2Secr\xe9t"}', "bytes that are not UTF-8 (\\xe9, column"),
        ('pic:dbAdminPassword: "Hunter2\x01Secret"', "a control character (U+0001)"),
        ('mysql:password: "Hunter2\x01Secret"', "a control character (U+0001)"),
        ("\x01pic:dbAdminPassword: {secure: v1:abc:Hunter2Secret}", "a control character (U+0001)"),
        ("pic:dbAdminPassword: {secure: !!binary SHVudGVyMlNlY3JldA==}", 'has the tag "!!binary"'),
        ("pic:dbAdminPassword: {secure: 084736251907}", "an integer with a leading zero"),
        (f"pic:dbAdminPassword: {{secure: 8473625190{'7' * 60}}}", "is a number of 70 characters"),
    ],
)
def test_a_refused_character_or_form_in_a_secret_is_named_without_showing_it(
    tmp_path: Path, written: str | bytes, words: str
) -> None:
    """The YAML layer's refusals quote a line or a value; under `secure:` or a secret's key, that is the secret."""
    project = project_copy(tmp_path)
    path = project / "Pulumi.prod.yaml"
    raw = written if isinstance(written, bytes) else written.encode("utf-8")
    path.write_bytes(path.read_bytes().replace(MEMBERS_ROOT.encode(), MEMBERS_ROOT.encode() + b"\n  " + raw, 1))
    text = _errors(project)
    assert words in text, text
    assert "Hunter2" not in text and "SHVudGVy" not in text and "84736251907" not in text, text
    assert "7777777" not in text and "not shown" in text, text


def test_in_a_passphrase_stack_a_secure_value_is_the_passphrase_providers_form(tmp_path: Path) -> None:
    """A stack file with an encryptionsalt holds v1:NONCE:CIPHERTEXT only: a hand-written password of 28
    characters is base64 by its letters, and `pulumi up` could not decrypt it."""
    project = project_copy(tmp_path)
    _edit(
        project,
        "config:\n",
        "encryptionsalt: v1:Ou4nYg3WJYM=:v1:aUhX7bw+XjmrrNj5:UmXE2vKfXpBEoWe8X8VBQnPUGmYOtQ==\nconfig:\n",
    )
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  pic:dbAdminPassword: {{secure: CorrectHorseBatteryStaple123}}")
    text = _errors(project)
    assert "as the stack's secrets provider (encryptionsalt, encryptedkey) writes it" in text, text
    assert "CorrectHorse" not in text
    _edit(project, "CorrectHorseBatteryStaple123", "v1:3ZK1fj8NGl7hmh3H:n4TlzGmF5tJ1u9sn1sHz3E0HQ24nEkTj")
    assert load_settings(project, "prod").secrets["dbAdminPassword"] == SecretRef("dbAdminPassword")


@pytest.mark.parametrize(
    "local", ["sympa", "listmaster", "bounce", "abuse-feedback-report", "Sympa-Owner", "bureau-request"]
)
def test_dmarc_reports_at_sympas_domain_is_none_of_sympas_own_addresses(tmp_path: Path, local: str) -> None:
    """The reports mailbox at Sympa's domain is an alias to the admins in Postfix's virtual map, applied before
    the transport map: at sympa@ it would take Sympa's commands, at bounce@ its bounces."""
    project = project_copy(tmp_path)
    _edit(project, "dmarc_reports: dmarc@example.org", f"dmarc_reports: {local}@listes.example.org")
    assert " pic:mail.dmarc_reports: " in (text := _errors(project)) and "is an address of Sympa at" in text, text
    aliases = mail.virtual_map(
        ["listes.example.org"], postmaster="a@example.org", dmarc_reports=f"{local}@listes.example.org"
    )
    assert f"{local}@listes.example.org\t" not in aliases  # nor does the map take it, whatever the settings say


@pytest.mark.parametrize("local", ["sympa", "listmaster", "bounce", "Sympa-Owner", "bureau-request", "news-owner"])
def test_dmarc_reports_at_a_members_list_domain_is_none_of_sympas_own_addresses(tmp_path: Path, local: str) -> None:
    """At a member's list domain too, Postfix's virtual map leaves Sympa's addresses to Sympa: the reports of
    every list domain would reach that member's robot, or the owners of one of its lists."""
    project = project_copy(tmp_path)
    reports = f"{local}@LISTES.amis-du-rhone.org"
    _edit(project, "dmarc_reports: dmarc@example.org", f"dmarc_reports: {reports}")
    settings = load_settings(project, "prod")  # the settings alone cannot know the members' list domains
    with pytest.raises(PicError) as info:
        load_registry(ROOT / "members", settings)
    text = str(info.value)
    assert "amis-du-rhone.yaml:21 lists.domain: " in text and "pic:mail.dmarc_reports" in text, text
    assert f"{reports}\t" not in mail.virtual_map(
        ["listes.amis-du-rhone.org"], postmaster="a@example.org", dmarc_reports=reports
    )


def test_dmarc_reports_at_a_members_list_domain_is_the_admins_alias(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, "dmarc_reports: dmarc@example.org", "dmarc_reports: dmarc@listes.amis-du-rhone.org")
    settings = load_settings(project, "prod")
    assert len(load_registry(ROOT / "members", settings)) > 0
    aliases = mail.virtual_map(
        ["listes.amis-du-rhone.org"], postmaster="a@example.org", dmarc_reports=settings.dmarc_reports
    )
    assert "dmarc@listes.amis-du-rhone.org\ta@example.org" in aliases


@pytest.mark.parametrize("reports", ["dmarc@listes.chorale-saint-jean.fr", "dmarc@LISTES.Chorale-Saint-Jean.fr"])
def test_dmarc_reports_at_an_archived_members_list_domain_is_refused(tmp_path: Path, reports: str) -> None:
    """An archived member's list domain leaves Postfix's maps (its lists' mail refused): the admins' alias for the
    reports is not there either, and the reports of every list domain would bounce (pic check took it)."""
    project = project_copy(tmp_path)
    _edit(project, "dmarc_reports: dmarc@example.org", f"dmarc_reports: {reports}")
    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    chorale = members / "chorale-saint-jean.yaml"
    chorale.write_text(chorale.read_text(encoding="utf-8").replace("uid: 10003\n", "uid: 10003\nstatus: archived\n"))
    settings = load_settings(project, "prod")
    with pytest.raises(PicError) as info:
        load_registry(members, settings)
    text = str(info.value)
    assert "chorale-saint-jean.yaml:" in text and " lists.domain: " in text and "archived" in text, text
    assert "pic:mail.dmarc_reports" in text, text
    chorale.write_text(chorale.read_text(encoding="utf-8").replace("status: archived\n", "status: suspended\n"))
    assert len(load_registry(members, settings)) > 0  # a suspended member's lists stay up: the alias with them


def test_the_admins_mailboxes_are_not_at_the_lists_domain(tmp_path: Path) -> None:
    """Postfix takes only Sympa's addresses at the lists' domain: the ACME account's mail and the dump
    failures' reports would bounce there."""
    project = project_copy(tmp_path)
    _edit(project, "acme_email: admin@example.org", "acme_email: tls@listes.example.org")
    assert ' pic:tls.acme_email: its domain "listes.example.org" is also pic:mail.sympa_domain' in _errors(project)
    (tmp_path / "db").mkdir()
    project = project_copy(tmp_path / "db")
    _edit(project, MEMBERS_ROOT, f"pic:db: {{report_to: dumps@listes.example.org}}\n{MR}")
    assert ' pic:db.report_to: its domain "listes.example.org" is also pic:mail.sympa_domain' in _errors(project)


def test_sympas_domain_on_the_admins_mail_domain_is_one_error(tmp_path: Path) -> None:
    """pic:admin_email and pic:tls.acme_email share example.org: Sympa's domain moved there is one mistake, told
    once, at the first of the admins' addresses (was: one error per address)."""
    project = project_copy(tmp_path)
    _edit(project, "sympa_domain: listes.example.org", "sympa_domain: example.org")
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    [problem] = info.value.problems
    assert problem.path == "pic:admin_email", problem
    assert 'its domain "example.org" is also pic:mail.sympa_domain' in problem.message, problem


# --- a web host's CPUs (pic:hosts.<name>.cpus) -------------------------------------------------


def test_a_container_limit_above_a_hosts_cpus_is_refused(tmp_path: Path) -> None:
    """Docker refuses to create a container given more CPUs than its host has ("Range of CPUs is from 0.01
    to N.00"), and a new limit replaces the site's container, the old one removed first: a host that says
    its CPUs gets no limit above them, the stack's default (pic:limits.cpus) nor a member's own."""
    from tests.helpers import member, write_members

    project = project_copy(tmp_path)
    _edit(project, "ssh_user: deploy}", "ssh_user: deploy, cpus: 2}")
    settings = load_settings(project, "prod")
    assert settings.hosts["web1"].cpus == 2 and settings.hosts["db"].cpus is None
    site = {"domains": ["asso-cpus.org"], "php": "8.4"}
    directory = write_members(
        tmp_path / "members",
        {"asso-cpus": member(10600, site=site, limits={"cpus": 2.5}), "asso-two": member(10601, limits={"cpus": 2})},
    )
    [problem] = _check_errors(project, directory)
    assert problem.file.endswith("asso-cpus.yaml") and problem.path == "limits.cpus" and problem.line == 5, problem
    assert "2.5 is more than the 2 CPUs of web host web1 (pic:hosts.web1.cpus)" in problem.message, problem
    # the stack's default, for every member with a site and no limit of its own
    _edit(project, "pic:limits: {memory_mb: 256, cpus: 1.0", "pic:limits: {memory_mb: 256, cpus: 3")
    web2 = "    web2: {role: web, address: web2.example.org, private_address: 10.0.0.12, cpus: 1}"
    _edit(project, "  pic:runtimes:", f"{web2}\n  pic:runtimes:")
    settings = load_settings(project, "prod")  # the stack alone is valid: the members decide who gets the default
    own = {"domains": ["asso-own.org"], "php": "8.4"}
    uses = {"domains": ["asso-default.org"], "php": "8.4"}
    directory = write_members(
        tmp_path / "default",
        {
            # web2 has one CPU, and its only site sets its own: the default of 3 reaches no container there
            "asso-own": member(10600, site=own, host="web2", limits={"cpus": 1}),
            "asso-nosite": member(10601, host="web2"),  # no site, no container
            "asso-default": member(10602, site=uses, limits={"memory_mb": 192}),  # on web1, without its own cpus
        },
    )
    [problem] = _check_errors(project, directory)
    assert problem.file.endswith("Pulumi.prod.yaml") and problem.path == "pic:limits.cpus", problem
    assert problem.line == 20, problem
    assert problem.message.startswith("3 is more than the 2 CPUs of web host web1 (pic:hosts.web1.cpus)"), problem
    assert "asso-default.yaml" in problem.message and "asso-own" not in problem.message, problem
    # the same members with a site of web1 giving its own: nothing refused
    (directory / "asso-default.yaml").unlink()
    assert _check_errors(project, directory) == []


@pytest.mark.parametrize(
    ("fields", "on", "why"),
    [
        ({"site": {"domains": ["asso-cpus.org"], "php": "7.4"}}, None, "its runtime is stopped or past its end of"),
        (
            {"site": {"domains": ["asso-cpus.org"], "php": "8.2"}},
            dt.date(2027, 1, 5),  # the days after 8.2's end of life
            "as of 2027-01-05 (its runtime is stopped or past its end of life",
        ),
        ({"site": {"domains": ["asso-cpus.org"], "php": "8.4"}, "status": "suspended"}, None, "is suspended"),
        ({"site": {"domains": ["asso-cpus.org"], "php": "8.4"}, "status": "archived"}, None, "is archived"),
        ({}, None, "the member has no site"),
    ],
    ids=["refused-eol", "refused-on-the-day", "suspended", "archived", "no-site"],
)
def test_a_members_own_cpus_above_its_hosts_is_a_warning_while_no_container_runs(
    tmp_path: Path, fields: dict[str, Any], on: dt.date | None, why: str
) -> None:
    """As for pic:limits.cpus (pic.check.default_cpus): a site that does not run on the day has no container to
    refuse, so its own limit above the host's CPUs is a warning, still said (was: an error even while its site was
    refused for PHP's end of life, beside the refusal itself)."""
    from pic.check import check
    from tests.helpers import member, write_members

    project = project_copy(tmp_path)
    _edit(project, "ssh_user: deploy}", "ssh_user: deploy, cpus: 2}")
    directory = write_members(tmp_path / "members", {"asso-cpus": member(10600, limits={"cpus": 4}, **fields)})
    try:
        findings = check(project, "prod", directory, on or dt.date(2026, 11, 28)).warnings
    except PicError as exc:  # the site refused for its runtime: that refusal is the error
        findings = exc.problems
        assert [p.path for p in findings if p.severity == "error"] == ["site.php"], findings
    [cpus] = [p for p in findings if p.path == "limits.cpus"]
    assert cpus.severity == "warning" and cpus.file.endswith("asso-cpus.yaml") and cpus.line == 5, cpus
    assert cpus.message.startswith("4 is more than the 2 CPUs of web host web1 (pic:hosts.web1.cpus)"), cpus
    assert why in cpus.message and "give at most 2" in cpus.message, cpus


def _check_errors(project: Path, members: Path, on: dt.date | None = None) -> list[Problem]:
    """The errors of pic check (none: it passes)."""
    from pic.check import check

    try:
        check(project, "prod", members, on or dt.date.today())
    except PicError as exc:
        return [p for p in exc.problems if p.severity == "error"]
    return []


def test_the_stacks_cpus_above_a_host_are_refused_only_for_running_sites(tmp_path: Path) -> None:
    """pic:limits.cpus above a web host's CPUs: a suspended or archived member with a site and no limits.cpus of
    its own runs no container there (nothing for Docker to refuse), so it refuses nothing (was: named as a site
    that "gets it", the stack refused); the active ones are named, the sentence agreeing with their number."""
    from tests.helpers import member, write_members

    project = project_copy(tmp_path)
    _edit(project, "ssh_user: deploy}", "ssh_user: deploy, cpus: 2}")
    _edit(project, "pic:limits: {memory_mb: 256, cpus: 1.0", "pic:limits: {memory_mb: 256, cpus: 3")
    settings = load_settings(project, "prod")

    def site(slug: str) -> dict[str, Any]:
        return {"domains": [f"{slug}.org"], "php": "8.4"}

    directory = write_members(
        tmp_path / "members",
        {
            "asso-own": member(10600, site=site("asso-own"), limits={"cpus": 1}),
            "asso-paused": member(10601, site=site("asso-paused"), status="suspended"),
            "asso-closed": member(10602, site=site("asso-closed"), status="archived"),
        },
    )
    members = load_registry(directory, settings).members
    assert {m.slug: eol.site_state(m, settings, dt.date.today()) for m in members} == {
        "asso-own": "running",
        "asso-paused": "suspended",
        "asso-closed": "archived",
    }
    assert _check_errors(project, directory) == []  # valid: no running site gets the default
    for slug, uid in (("asso-one", 10603), ("asso-two", 10604)):
        write_members(directory, {slug: member(uid, site=site(slug))})
        [problem] = _check_errors(project, directory)
        assert problem.path == "pic:limits.cpus" and "asso-paused" not in problem.message, problem
        assert "asso-closed" not in problem.message and "asso-one.yaml" in problem.message, problem
    assert "asso-two.yaml gets it" not in problem.message and "asso-two.yaml get it" in problem.message, problem
    (directory / "asso-two.yaml").unlink()
    [problem] = _check_errors(project, directory)
    assert "asso-one.yaml gets it (no limits.cpus of its own)" in problem.message, problem
    assert problem.message.endswith("or that member a limits.cpus of its own"), problem


def test_the_setup_of_a_host_stops_when_it_has_fewer_cpus_than_said(tmp_path: Path) -> None:
    """The setup checks the declaration with nproc (the CPUs Docker counts): the real script fragment, run."""
    import os
    import subprocess

    from pic.render import web
    from tests.test_render_web import shellcheck

    here = len(os.sched_getaffinity(0))
    for cpus, ok in ((here, True), (here + 1, False)):
        script = web.render_host_cpus_check("web1", cpus)
        shellcheck(script, tmp_path, "cpus-check")
        done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=False)
        assert (done.returncode == 0) is ok, done.stderr
        if not ok:
            assert f"web host web1 has {here} CPUs, and pic:hosts.web1.cpus says {here + 1}" in done.stderr
    project = project_copy(tmp_path)
    _edit(project, "ssh_user: deploy}", "ssh_user: deploy, cpus: 2}")
    setup = web.render_web_host_setup(load_settings(project, "prod"), "web1")
    assert web.render_host_cpus_check("web1", 2).split("set -eu\n", 1)[1] in setup
    assert "nproc" not in web.render_web_host_setup(load_settings(ROOT, "prod"), "web1")


@pytest.mark.parametrize(
    "written",
    [
        "mysql:password: Hunter2Secret",
        "mysql:password: 'Hunter2 Secret'",
        "aws:secretKey: Hunter2Secret",
        "aws:accessKey: AKIAHunter2Secret",
        "cloudflare:apiToken: Hunter2Secret",
    ],
)
def test_a_providers_secret_written_in_clear_is_refused_without_being_shown(tmp_path: Path, written: str) -> None:
    """Another namespace's settings are its provider's, but the stack file is in the repository: a text under a
    secret's name there is the secret in clear (was: accepted without a word)."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    key = written.partition(":")[0] + ":" + written.split(":")[1]
    assert f"Pulumi.prod.yaml:21 {key}: holds a plain value (not shown) under a secret's name" in text, text
    assert f"pulumi config set --secret {key}" in text and "Hunter2" not in text, text


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ('mysql:pasword: "S3cr3tPw"', "mysql:pasword"),
        ("mysql:passw0rd: S3cr3tPw", "mysql:passw0rd"),
        ("mysql:passwort: S3cr3tPw", "mysql:passwort"),
        ("mysql:paswd: S3cr3tPw", "mysql:paswd"),
        ("mysql:db_pass: S3cr3tPw", "mysql:db_pass"),
        ("aws:adminPwd: S3cr3tPw", "aws:adminPwd"),
        ("command:pwd: S3cr3tPw", "command:pwd"),
        ("random:motDePasse: S3cr3tPw", "random:motDePasse"),
        ("docker:registryAuth: [{address: registry.example.org, pasword: S3cr3tPw}]", "docker:registryAuth[0].pasword"),
        ("tls:proxy: {url: 'http://proxy.example.org:3128', Pasword: S3cr3tPw}", "tls:proxy.Pasword"),
    ],
)
def test_a_providers_secret_under_a_slip_of_its_name_is_refused_without_being_shown(
    tmp_path: Path, written: str, path: str
) -> None:
    """mysql:pasword (for mysql:password) holding the password in clear was accepted: only keys spelt exactly as a
    secret's (password, secret, token...) were read as one. A slip of password, passwd or passphrase, and pwd or
    pass as a name's last word, name a secret all the same (pic.yamlsrc.secret_name)."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    assert f" {path}: holds a plain value (not shown) under a secret's name" in text, text
    assert "S3cr3t" not in text, text


@pytest.mark.parametrize(
    "written",
    [
        "aws:passportFile: /srv/passport",
        "aws:sharedCredentialsFiles: [/home/deploy/.aws/credentials]",
        "aws:testsPassed: all-of-them",
    ],
)
def test_a_providers_setting_named_like_no_secret_is_its_own(tmp_path: Path, written: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    load_settings(project, "prod")


@pytest.mark.parametrize(
    ("written", "said"),
    [
        # a slip of one of pic's secrets, written in clear: the secret meant, never the value
        ('pic:dbAdminPasword: "S3cr3tPw"', "unknown key; did you mean 'dbAdminPassword'? It is a secret"),
        ("pic:db_admin_password: S3cr3tPw", "unknown key; did you mean 'dbAdminPassword'? It is a secret"),
        ("pic:DBADMINPASSWORD: 12345678", "unknown key; did you mean 'dbAdminPassword'? It is a secret"),
        ("pic:smtpPasword: [S3cr3tPw]", "unknown key; did you mean 'smtpPassword'? It is a secret"),
        ("pic:backupS3SecretAccesKey: S3cr3tPw", "unknown key; did you mean 'backupS3SecretAccessKey'?"),
        ("pic:sshPrivatekey: S3cr3tPw", "unknown key; did you mean 'sshPrivateKey'?"),
        # another name that reads as a secret's
        ("pic:webhookToken: S3cr3tPw", "unknown key, under a secret's name, holding a plain value (not shown)"),
        # set as a secret (a ciphertext): the secret meant
        (
            "pic:smtpPasword: {secure: v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA}",
            "is a secret, but pic knows no secret of that name (known: dbAdminPassword, sshPrivateKey, "
            "backupRepositoryPassword, backupSshKey, backupS3AccessKeyId, backupS3SecretAccessKey, smtpPassword); "
            "did you mean 'smtpPassword'?",
        ),
    ],
)
def test_a_pic_key_close_to_a_secret_says_which_without_showing_it(tmp_path: Path, written: str, said: str) -> None:
    """pic:dbAdminPasword was an unknown key with no hint (pic's secrets are no fields of the settings' model, whose
    unknown keys are compared with its fields only): the secret meant is named, and the value never shown."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    key = written.split(": ", 1)[0]
    [line] = [ln for ln in text.splitlines() if f" {key}: " in ln]
    assert line.startswith(f"{project / 'Pulumi.prod.yaml'}:21 {key}: {said}"), text
    assert "S3cr3t" not in text and "12345678" not in text, text


@pytest.mark.parametrize(
    ("written", "path", "meant"),
    [
        ('pic:smtp: {host: "smtp.example.org", password: S3cr3tPw}', "pic:smtp.password", "pic:smtpPassword"),
        ('pic:smtp: {host: "smtp.example.org", pasword: 12345678}', "pic:smtp.pasword", "pic:smtpPassword"),
        ("pic:db: {admin_pwd: S3cr3tPw}", "pic:db.admin_pwd", None),
        ("pic:limits: {memory_mb: 256, cpus: 1.0, pids: 128, token: [S3cr3tPw]}", "pic:limits.token", None),
    ],
)
def test_a_secret_written_inside_a_pic_setting_is_refused_as_one_without_being_shown(
    tmp_path: Path, written: str, path: str, meant: str | None
) -> None:
    """pic:smtp: {password: ...} was an unknown key, no word of the password in clear in the file (pic's secrets are
    keys of their own, never inside a setting)."""
    project = project_copy(tmp_path)
    old = next(ln for ln in (ROOT / "Pulumi.prod.yaml").read_text().splitlines() if ln.startswith("  pic:limits:"))
    if written.startswith("pic:limits:"):
        _edit(project, old, f"  {written}")
    else:
        _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    lines = [ln for ln in text.splitlines() if f" {path}: " in ln]
    assert len(lines) == 1, text
    assert "unknown key, under a secret's name, holding a plain value (not shown)" in lines[0], text
    assert (f"`pulumi config set --secret {meant}`" in lines[0]) if meant else ("pic:<name>" in lines[0]), text
    assert "S3cr3t" not in text and "12345678" not in text, text


def test_a_pic_key_close_to_a_setting_is_told_the_setting_still(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  pic:admin_emial: admin@example.org")
    assert " pic:admin_emial: unknown key (allowed here: " in _errors(project)
    assert "did you mean 'admin_email'?" in _errors(project)


@pytest.mark.parametrize("key", ["mysql:pasword", "pic:dbAdminPasword", "aws:adminPwd"])
def test_a_value_the_loader_refuses_under_a_slip_of_a_secrets_name_is_not_shown(tmp_path: Path, key: str) -> None:
    """mysql:pasword: 0123456 was quoted in the loader's message (its leading zero): the key read as no secret's."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {key}: 0123456")
    text = _errors(project)
    assert f" {key}: the value (not shown: it may be a secret) is an integer with a leading zero" in text, text
    assert "123456" not in text, text


@pytest.mark.parametrize(
    ("written", "path", "line"),
    [
        (
            "docker:registryAuth: [{address: registry.example.org, username: deploy, password: Hunter2Secret}]",
            "docker:registryAuth[0].password",
            21,
        ),
        (
            "docker:registryAuth:\n    - address: registry.example.org\n      password: Hunter2Secret",
            "docker:registryAuth[0].password",
            23,
        ),
        ("aws:assumeRole: {roleArn: arn, sessionToken: Hunter2Secret}", "aws:assumeRole.sessionToken", 21),
    ],
)
def test_a_providers_secret_written_in_clear_inside_a_setting_is_refused_at_its_line(
    tmp_path: Path, written: str, path: str, line: int
) -> None:
    """A provider's setting that holds a mapping or a list (the docker provider's ``registryAuth``): a text under
    a secret's name in it is the secret in clear too (was: accepted, only a secret's name at the top was seen);
    Pulumi writes it as ``{secure: ...}`` with ``pulumi config set --path --secret``."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    assert f"Pulumi.prod.yaml:{line} {path}: holds a plain value (not shown) under a secret's name" in text, text
    assert f"pulumi config set --path --secret '{path}'" in text and "Hunter2" not in text, text


@pytest.mark.parametrize(
    ("written", "path", "kind"),
    [
        (
            'docker:keyMaterial: "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n'
            '-----END PRIVATE KEY-----\\n"',
            "docker:keyMaterial",
            "a private key",
        ),
        ("docker:host: ssh://deploy:Hunter2Secret@web1.example.org", "docker:host", "credentials in a URL"),
        (
            "docker:registryAuth: [{address: 'https://deploy:Hunter2Secret@registry.example.org'}]",
            "docker:registryAuth[0].address",
            "credentials in a URL",
        ),
        ("github:owner: ghp_Hunter2SecretHunter2SecretHunter2Secr", "github:owner", "an access key"),
    ],
)
def test_a_providers_secret_written_in_clear_under_another_name_is_refused_without_being_shown(
    tmp_path: Path, written: str, path: str, kind: str
) -> None:
    """A provider's setting whose text is a secret by its form, whatever its key is named (the docker provider's
    ``keyMaterial``, the client's private key; a password in a URL): the secret in clear in the repository (was:
    accepted, only the keys named for a secret were looked at)."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    assert f"Pulumi.prod.yaml:21 {path}: holds {kind} (not shown)" in text, text
    assert "pulumi config set" in text and "Hunter2" not in text and "MIIE" not in text, text


@pytest.mark.parametrize(
    ("written", "path", "line"),
    [
        # passwords too short for the forms of secret text in prose (6 characters or more)
        ("docker:host: ssh://deploy:PW@web1.example.org", "docker:host", 21),
        ("docker:host: tcp://deploy:x@web1.example.org:2376", "docker:host", 21),
        ("docker:host: ssh://deploy:%50W@web1.example.org", "docker:host", 21),  # percent-encoded
        ("docker:host: SSH://:pw@web1.example.org", "docker:host", 21),  # no user, the scheme in capitals
        ("docker:host: ssh://deploy:a@b@web1.example.org", "docker:host", 21),  # an @ in the password
        ("docker:host: 'ssh://deploy:PW@[2001:db8::1]:22'", "docker:host", 21),
        (
            "docker:registryAuth: [{address: 'https://deploy:PW@registry.example.org'}]",
            "docker:registryAuth[0].address",
            21,
        ),
        ("docker:sshOpts: [-o, 'ProxyJump=ssh://jump:PW@bastion.example.org']", "docker:sshOpts[1]", 21),
        ("aws:endpoints:\n    - s3: https://key:PW@s3.example.org", "aws:endpoints[0].s3", 22),
        ("vault:address: https://root:PW@vault.example.org:8200", "vault:address", 21),  # a provider pic ignores
    ],
)
def test_a_password_in_a_providers_url_is_refused_whatever_its_length(
    tmp_path: Path, written: str, path: str, line: int
) -> None:
    """A provider's setting holding a URL whose userinfo gives a password (``user:password@``, RFC 3986 §3.2.1) is
    the password in clear in the repository, however short (was: ``docker:host: ssh://deploy:PW@web1.example.org``
    passed, the forms of secret text read in prose asking for 6 characters or more)."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    assert f"Pulumi.prod.yaml:{line} {path}: holds credentials in a URL (not shown)" in text, text
    assert "`pulumi config set " in text and "--secret" in text, text
    assert ":PW@" not in text and "%50W" not in text and ":x@" not in text and ":pw@" not in text, text


@pytest.mark.parametrize(
    "written",
    [
        "docker:host: ssh://deploy%3AS3cretQQ@web1.example.org",  # the colon percent-encoded: no password to urllib
        "docker:host: ssh://deploy%3aS3cretQQ@web1.example.org",  # the same in lowercase hexadecimal
        "docker:host: ssh://deploy%253AS3cretQQ@web1.example.org",  # encoded twice
        "docker:host: ssh://%3AS3cretQQ@web1.example.org",  # no user
        "docker:registryAuth: [{address: 'https://registry.example.org/v2/?password=Qz9'}]",
        "docker:host: 'tcp://web1.example.org:2376/?foo=1&token=Qz9'",
        "docker:host: 'tcp://web1.example.org:2376/?role_id=web&secret_id=Qz9'",  # AppRole's secret_id
        "aws:endpoints:\n    - s3: https://s3.example.org/?access_token=Qz9",
        "vault:address: https://vault.example.org:8200/?Client_Secret=Qz9#x",
        "docker:host: ssh://deploy%EF%BC%9AS3cretQQ@web1.example.org",  # a full-width colon (U+FF1A), encoded
        "docker:host: ssh://deploy%25EF%25BC%259AS3cretQQ@web1.example.org",  # the same, encoded twice
        'mysql:endpoint: "admin%3AS3cretQQ@db.example.org:3306"',  # no scheme: MySQL's user:password@host:port
        'mysql:endpoint: "admin%253AS3cretQQ@db.example.org:3306"',
        'mysql:endpoint: "admin%EF%BC%9AS3cretQQ@db.example.org:3306"',
        "docker:registryAuth: [{address: 'u%3AS3cretQQ@r.example.org'}]",
    ],
)
def test_a_password_hidden_in_a_providers_url_is_refused(tmp_path: Path, written: str) -> None:
    """Was: ``ssh://deploy%3AS3cretQQ@web1`` passed: urllib reads a user and no password, the colon being
    percent-encoded (RFC 3986 §2.1), yet ``deploy:S3cretQQ`` is no login name (a colon separates /etc/passwd's
    fields): its part after the colon is a password in clear. So is a userinfo that holds a colon once decoded,
    however often it was encoded, and a query's parameter named for a secret (``?password=``, ``?token=``) of any
    length (was: one shorter than 6 characters passed, the length prose's forms ask for)."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    # (a password its text shows once percent-decoded, admin%3AS3cretQQ@db, is prose's: before a host name)
    said = re.search(r"holds credentials (in a URL|before a host name) \(not shown\)", text)
    assert said is not None and "--secret" in text, text
    assert "S3cretQQ" not in text and "Qz9" not in text, text


@pytest.mark.parametrize(
    "written",
    [
        "docker:host: ssh://deploy@web1.example.org",
        "docker:host: ssh://deploy:@web1.example.org",  # an empty password: none given
        "docker:host: ssh://deploy%40example.org@web1.example.org",  # an address as the user: no colon
        "docker:host: ssh://deploy%3A@web1.example.org",  # an empty password, its colon encoded
        "docker:registryAuth: [{address: 'https://registry.example.org/v2/?timeout=30&password='}]",
        "docker:host: 'tcp://web1.example.org:2376/?secure=true&token_type=bearer&tokenDuration=3600'",
        # where the secret is kept, not the secret: a file, a path, a name, a reference, an endpoint, a policy
        "docker:host: 'tcp://web1.example.org:2376/?password_file=/run/secrets/db&tokenPath=/var/run/token'",
        "docker:host: 'tcp://web1.example.org:2376/?passwordFile=/x&token_file=/x&secret_name=db-pass'",
        "docker:host: 'tcp://web1.example.org:2376/?secretRef=vault:db&password_policy=strict'",
        "docker:host: 'tcp://web1.example.org:2376/?token_endpoint=https://auth.example.org/token&token_env=TK'",
        "docker:host: unix:///var/run/docker.sock",
        "docker:host: tcp://web1.example.org:2376",
        "mysql:endpoint: db.example.org:3306",
        'mysql:endpoint: "admin@db.example.org:3306"',  # a user alone, without a scheme
        'mysql:endpoint: "admin%40example.org@db.example.org:3306"',  # an address as the user: no colon
        'mysql:endpoint: "admin%3A@db.example.org:3306"',  # an empty password, its colon encoded
        # a path and a query before an address, no userinfo (RFC 3986 §3.2.1 holds no / ? # & =)
        "aws:endpoint: '/contact?next=https%3A%2F%2Fexample.org&to=anne@example.org'",
        "docker:registryAuth: [{address: 'registry.example.org', username: deploy}]",
        "docker:registryAuth: [{address: 'https://registry.example.org:5000/v2/'}]",
        "docker:host: {secure: v1:3ZK1fj8NGl7hmh3H:n4TlzGmF5tJ1u9sn1sHz3E0HQ24nEkTj}",
    ],
)
def test_a_providers_url_without_a_password_is_taken(tmp_path: Path, written: str) -> None:
    """A URL that names a user alone, no user, or a password set as a secret (``secure:``) is no secret in clear."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    load_settings(project, "prod")


@pytest.mark.parametrize(
    ("added", "line", "path"),
    [
        ("config:\n  docker:host: ssh://deploy:PW@web1.example.org\n", 9, "config.docker:host"),
        ("config:\n  docker:host: {value: 'ssh://deploy:PW@web1.example.org'}\n", 9, "config.docker:host.value"),
        (
            "config:\n  docker:host:\n    description: the docker host\n    value: ssh://deploy:PW@web1.example.org\n",
            11,
            "config.docker:host.value",
        ),
        (
            "config:\n  docker:registryAuth:\n    value:\n      - address: https://deploy:PW@r.example.org\n",
            11,
            "config.docker:registryAuth.value[0].address",
        ),
        (  # no scheme, the colon percent-encoded
            "config:\n  docker:registryAuth:\n    value:\n      - address: 'u%3APW12345@r.example.org'\n",
            11,
            "config.docker:registryAuth.value[0].address",
        ),
        ("config:\n  mysql:endpoint: 'admin%3APW12345@db.example.org:3306'\n", 9, "config.mysql:endpoint"),
    ],
)
def test_a_password_in_a_providers_url_in_the_project_file_is_refused(
    tmp_path: Path, added: str, line: int, path: str
) -> None:
    """Pulumi.yaml's config: gives a provider's setting to every stack: a password in a URL there is refused as in
    a stack file, at its line, without being shown."""
    project = project_copy(tmp_path)
    (project / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text(encoding="utf-8") + added, encoding="utf-8")
    text = _errors(project)
    said = rf"Pulumi\.yaml:{line} {re.escape(path)}: holds credentials (in a URL|before a host name) \(not shown\)"
    assert re.search(said, text) is not None, text
    assert "--secret" in text and ":PW@" not in text and "PW12345" not in text, text


@pytest.mark.parametrize(
    ("added", "shown"),
    [
        ("config:\n  pic:members_root: /etc/members\n", "Pulumi.yaml:9 config.pic:members_root: is a setting of pic"),
        (
            "config:\n  members_root:\n    value: /etc/members\n",
            "Pulumi.yaml:9 config.members_root: is a setting of pic",
        ),
        (
            "config:\n  mysql:password: Hunter2Secret\n",
            "Pulumi.yaml:9 config.mysql:password: holds a plain value (not shown)",
        ),
        ("stackConfigDir: stacks\n", "Pulumi.yaml:8 stackConfigDir: moves the stack files to another directory"),
    ],
)
def test_settings_of_the_project_file_that_pulumi_applies_unchecked_are_refused(
    tmp_path: Path, added: str, shown: str
) -> None:
    """Pulumi.yaml's ``config:`` (Pulumi 3.44's project-level settings) applies to every stack that does not set the
    key, and ``stackConfigDir`` has Pulumi read the stack files elsewhere: either way ``pulumi up`` used settings
    pic check never saw (was: Pulumi.yaml not read, ``pic check`` said ok)."""
    project = project_copy(tmp_path)
    (project / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text(encoding="utf-8") + added, encoding="utf-8")
    text = _errors(project)
    assert shown in text and "Hunter2" not in text, text
    (project / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    load_settings(project, "prod")
    # The rest of the file is Pulumi's: what pic's own files refuse (an alias) is not looked at.
    (project / "Pulumi.yaml").write_text(
        "name: pic\ndescription: &d Hosting\nruntime: python\ntemplate:\n  description: *d\n"
    )
    load_settings(project, "prod")


def test_a_project_file_longer_than_pic_reads_is_refused_not_passed(tmp_path: Path) -> None:
    """Pulumi.yaml longer than pic reads a file (a long generated comment, a pasted log) was passed without a word,
    a ``config:`` of pic's settings after it never looked at (pic check said ok) while ``pulumi up`` applies it to
    every stack. A project file pic cannot read is an error naming it and why, since what Pulumi takes from it
    (``config:``, ``stackConfigDir``) cannot be checked."""
    project = project_copy(tmp_path)
    added = "config:\n  pic:members_root: /etc/members\n"
    text = "#" + "x" * MAX_FILE_BYTES + "\n" + (ROOT / "Pulumi.yaml").read_text(encoding="utf-8") + added
    (project / "Pulumi.yaml").write_text(text, encoding="utf-8")
    told = _errors(project)
    assert re.search(rf"Pulumi\.yaml is {len(text.encode())} bytes long \(at most {MAX_FILE_BYTES}\)", told), told
    assert "config:" in told and "stackConfigDir" in told, told


def test_a_project_file_pulumi_reads_before_pulumi_yaml_is_refused(tmp_path: Path) -> None:
    """Pulumi looks for the project file as Pulumi.json before Pulumi.yaml (its encoding.Exts: .json, .yaml, .yml),
    and then reads the stack's settings from Pulumi.<stack>.json: a Pulumi.json beside Pulumi.yaml (a tool's
    export, a copy) made ``pulumi up`` run on settings pic check never saw, pic check saying ok. It is an error
    naming the file, what Pulumi does with it and the stack file it would read."""
    project = project_copy(tmp_path)
    name = "Pulumi.json"
    (project / name).write_text('{"name": "pic", "runtime": "python"}\n', encoding="utf-8")
    told = _errors(project)
    said = [line for line in told.splitlines() if line.startswith(f"{project}/{name} ") or line.startswith(name)]
    assert len(said) == 1 and "Pulumi.yaml" in said[0] and "Pulumi.prod.json" in said[0], told
    (project / name).unlink()
    (project / name).mkdir()  # a directory is no project file to Pulumi
    load_settings(project, "prod")


@pytest.mark.parametrize("key", ["pic:admin_email", "pic:members_root"])
@pytest.mark.parametrize(
    "secure",
    [
        "{secure: Hunter2Secret}",
        "{secure: ''}",
        "{secure: ~}",
        "{secure: 'v1:abcdefghijklmnop:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo='}",
    ],
)
def test_a_setting_written_secure_is_told_once_not_missing_as_well(tmp_path: Path, key: str, secure: str) -> None:
    """A setting pic reads in clear written ``{secure: ...}`` that is no ciphertext (or empty) was told so, with
    the command setting it as a secret (which pic then refuses: no secret of that name), and, for a required one,
    'is required but missing' at the same line, though its key is there. It is told once, as a setting written as a
    secret, to be written in clear in the stack file (`pulumi config set` would write a mapping or a number as text,
    refused then); a ciphertext Pulumi writes is told the same."""
    project = project_copy(tmp_path)
    text = (project / "Pulumi.prod.yaml").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith(f"{key}:"))
    _edit(project, line, f"  {key}: {secure}")
    told = _errors(project)
    lines = [ln for ln in told.splitlines() if "Pulumi.prod.yaml:" in ln]
    assert len(lines) == 1 and f" {key}: is a setting pic reads in clear" in lines[0], told
    assert "write its value itself in the stack file, in clear" in lines[0] and f"--secret {key}" not in lines[0], told
    assert "Hunter2" not in told, told


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("mysql:password: {secure: Hunter2Secret}", "mysql:password"),
        ("mysql:password: {secure: 123456789}", "mysql:password"),
        (
            "docker:registryAuth: [{address: registry.example.org, password: {secure: Hunter2Secret}}]",
            "docker:registryAuth[0].password",
        ),
    ],
)
def test_a_providers_secure_value_that_is_no_ciphertext_is_refused_without_being_shown(
    tmp_path: Path, written: str, path: str
) -> None:
    """``{secure: ...}`` written by hand under a provider's key is the secret in clear, which ``pulumi up``
    could not decrypt either (was: accepted; only ``pic:`` secrets were looked at)."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    assert f"Pulumi.prod.yaml:21 {path}.secure: is not a ciphertext Pulumi writes" in text, text
    assert "Hunter2" not in text and "123456789" not in text, text


@pytest.mark.parametrize(
    "written",
    [
        "docker:registryAuth: [{address: registry.example.org, username: deploy, password: {secure: "
        "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA}}]",
        "aws:assumeRole: {roleArn: arn, durationSeconds: 900}",
        "mysql:password: {secure: v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA}",
        "aws:skipTokenValidation: true",
        "mysql:endpoint: 127.0.0.1:3306",
        "aws:region: eu-west-3",
    ],
)
def test_a_providers_other_settings_and_its_secrets_written_by_pulumi_are_its_own(tmp_path: Path, written: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    load_settings(project, "prod")


@pytest.mark.parametrize(
    ("written", "path", "meant"),
    [
        ("mysql:endpont: db.example.org:3306", "mysql:endpont", "endpoint"),
        ("mysql:usrname: root", "mysql:usrname", "username"),
        ("mysql:Endpoint: db.example.org:3306", "mysql:Endpoint", "endpoint"),
        ("mysql:max_open_conns: 5", "mysql:max_open_conns", "maxOpenConns"),
        ("docker:registryAuthh: [{address: registry.example.org}]", "docker:registryAuthh", "registryAuth"),
        ("docker:sshopts: ['-o', 'Port=2222']", "docker:sshopts", "sshOpts"),
        (
            "docker:registryAuth: [{address: registry.example.org, usrname: u}]",
            "docker:registryAuth[0].usrname",
            "username",
        ),
        ("tls:proxy: {urll: 'http://proxy.example.org:3128'}", "tls:proxy.urll", "url"),
        ("tls:proxyy: {url: 'http://proxy.example.org:3128'}", "tls:proxyy", "proxy"),
        # set as a secret: the key is still misspelt
        (
            "mysql:pasword: {secure: v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA}",
            "mysql:pasword",
            "password",
        ),
    ],
)
def test_a_providers_misspelt_setting_says_which_was_meant(tmp_path: Path, written: str, path: str, meant: str) -> None:
    """mysql:endpont was accepted without a word (the provider the program builds takes its own arguments, so
    the key is ignored; a default provider would refuse it at pulumi up): a key the provider does not take and
    that is a slip of one it does is refused, naming it."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    [line] = [ln for ln in text.splitlines() if f" {path}: " in ln]
    key = path.rpartition(".")[2] if "." in path else path.partition(":")[2]
    assert f"provider takes no key {key!r}" in line and f"did you mean {meant!r}?" in line, text
    said = line.partition(f"did you mean {meant!r}?")[2]
    secret = "secure" in written
    assert said == (" (set the secret there with `pulumi config set --secret mysql:password`)" if secret else ""), text
    assert "AAAA" not in text, text


@pytest.mark.parametrize(
    ("written", "path", "command", "kind"),
    [
        ("mysql:passwords: [S3cr3tPw]", "mysql:passwords", "--secret mysql:password", "a list holding"),
        ("mysql:pasword: [S3cr3tPw, S3cr3tPx]", "mysql:pasword", "--secret mysql:password", "a list holding"),
        ("mysql:password: [S3cr3tPw]", "mysql:password", "--secret mysql:password", "a list holding"),
        ("mysql:pass: {user: root, pw: S3cr3tPw}", "mysql:pass", "--secret mysql:password", "a mapping holding"),
        (
            "docker:registryAuth: [{address: r.example.org, pasword: [S3cr3tPw]}]",
            "docker:registryAuth[0].pasword",
            "--path --secret 'docker:registryAuth[0].password'",
            "a list holding",
        ),
    ],
)
def test_a_secret_written_as_a_list_or_a_mapping_is_one_error_naming_the_key_meant(
    tmp_path: Path, written: str, path: str, command: str, kind: str
) -> None:
    """mysql:pasword: [a, b] was one error per item, each telling to run `pulumi config set --path --secret
    'mysql:pasword[0]'`, which kept the slip and the list: the provider reads one text under password. One error,
    at the key, with the command that sets the key meant."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    lines = [ln for ln in text.splitlines() if f" {path}" in ln]
    assert len(lines) == 1 and f"Pulumi.prod.yaml:21 {path}: is {kind} values in clear (not shown)" in lines[0], text
    assert f"`pulumi config set {command}`" in lines[0], text
    assert "S3cr3t" not in text, text


def test_a_providers_misspelt_setting_in_the_project_file_says_which_was_meant(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    added = "config:\n  mysql:endpont: db.example.org:3306\n"
    (project / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text(encoding="utf-8") + added, encoding="utf-8")
    text = _errors(project)
    assert "Pulumi.yaml:9 config.mysql:endpont: the mysql provider takes no key 'endpont'" in text, text
    assert text.endswith("did you mean 'endpoint'?"), text


@pytest.mark.parametrize(
    ("written", "path", "command"),
    [
        # a slip of a provider's secret setting, in clear: the secret meant, and the command that sets it
        ('mysql:pasword: "S3cr3tPw"', "mysql:pasword", "--secret mysql:password"),
        ("docker:keyMaterail: S3cr3tPwS3cr3tPw", "docker:keyMaterail", "--secret docker:keyMaterial"),
        (
            "docker:registryAuth: [{address: registry.example.org, pasword: S3cr3tPw}]",
            "docker:registryAuth[0].pasword",
            "--path --secret 'docker:registryAuth[0].password'",
        ),
        (
            "tls:proxy: {url: 'http://p.example.org:3128', pasword: S3cr3tPw}",
            "tls:proxy.pasword",
            "--path --secret 'tls:proxy.password'",
        ),
    ],
)
def test_a_slip_of_a_providers_secret_setting_names_it_in_the_command_to_set_it(
    tmp_path: Path, written: str, path: str, command: str
) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    [line] = [ln for ln in text.splitlines() if f" {path}: " in ln]
    assert "holds a plain value (not shown) under a secret's name" in line, text
    assert f"`pulumi config set {command}`" in line and "did you mean" in line, text
    assert "S3cr3t" not in text, text


@pytest.mark.parametrize(
    ("written", "path"),
    [
        # the docker client's private key by its setting's name, whatever the text (not PEM: base64 of it, a typo)
        ("docker:keyMaterial: S3cr3tPwS3cr3tPw", "docker:keyMaterial"),
        # a password of digits, as YAML reads a number
        ("mysql:password: 12345678", "mysql:password"),
        ("mysql:password: 1234.5678", "mysql:password"),
        (
            "docker:registryAuth: [{address: registry.example.org, password: 12345678}]",
            "docker:registryAuth[0].password",
        ),
        ("aws:dbPwd: 12345678", "aws:dbPwd"),
    ],
)
def test_a_providers_secret_that_is_no_text_or_no_key_is_refused_without_being_shown(
    tmp_path: Path, written: str, path: str
) -> None:
    """docker:keyMaterial holding anything but a PEM key, and a password of digits (a number to YAML, not text),
    were accepted in clear: only texts were looked at, and keyMaterial by its form."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    assert f" {path}: holds a plain value (not shown) under a secret's name" in text, text
    assert "S3cr3t" not in text and "1234" not in text, text


@pytest.mark.parametrize(
    "written",
    [
        "mysql:tls: skip-verify",
        "mysql:maxOpenConns: 5",
        "docker:registryAuth: [{address: registry.example.org, authDisabled: true}]",
        "tls:proxy: {fromEnv: true}",
        # another provider's keys are its own business
        "aws:tokenDuration: 3600",
        "aws:skipTokenValidation: true",
        "pulumi:disable-default-providers: ['*']",
    ],
)
def test_a_providers_known_or_unrelated_settings_pass(tmp_path: Path, written: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    load_settings(project, "prod")


@pytest.mark.parametrize(
    ("written", "path", "where"),
    [
        ("mysql:username: 'admin@db.asso.fr:3306'", "mysql:username", "mysql:endpoint"),
        (
            "docker:registryAuth: [{address: registry.example.org, username: 'registry.asso.fr:5000'}]",
            "docker:registryAuth[0].username",
            "docker:registryAuth[0].address",
        ),
    ],
)
def test_a_providers_username_ending_with_a_port_is_told_where_the_port_goes(
    tmp_path: Path, written: str, path: str, where: str
) -> None:
    """A server's address and port pasted as a provider's user name is refused unseen, the message naming the
    setting the address and port go in."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    [said] = [ln for ln in text.splitlines() if f" {path}:" in ln]
    assert f"the server's port (user@host:587), write it in {where}" in said and "asso.fr" not in text, said


@pytest.mark.parametrize(
    ("written", "path", "command"),
    [
        ("mysql:username: 'admin:Lilas2024x!'", "mysql:username", "--secret mysql:password"),
        (
            "docker:registryAuth: [{address: registry.example.org, username: 'bob:Lilas2024x!'}]",
            "docker:registryAuth[0].username",
            "--path --secret 'docker:registryAuth[0].password'",
        ),
        ("mysql:username: 'admin%3ALilas2024x!'", "mysql:username", "--secret mysql:password"),
        (
            "docker:registryAuth: [{address: registry.example.org, username: 'bob:'}]",
            "docker:registryAuth[0].username",
            "--path --secret 'docker:registryAuth[0].password'",
        ),
    ],
)
def test_a_providers_username_holding_its_password_is_refused_without_showing_it(
    tmp_path: Path, written: str, path: str, command: str
) -> None:
    """mysql:username and docker:registryAuth[].username holding user:password were accepted: the password sat in
    the stack file in clear, where the provider reads a user name (a registry's, like HTTP Basic's, holds no colon,
    RFC 7617 §2; docker's config.json writes base64 of user:password)."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    [said] = [ln for ln in text.splitlines() if f" {path}:" in ln]
    assert said.startswith(f"{project / 'Pulumi.prod.yaml'}:21 {path}: holds a user name and a "), said
    assert f"`pulumi config set {command}`" in said, said
    assert "Lilas" not in text and "admin" not in said and "bob" not in said, text


@pytest.mark.parametrize(
    "written",
    [
        "mysql:username: admin",
        "docker:registryAuth: [{address: registry.example.org, username: bob}]",
        "docker:registryAuth: [{address: registry.example.org, username: 'bob@example.org'}]",
    ],
)
def test_a_providers_username_alone_is_taken(tmp_path: Path, written: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    load_settings(project, "prod")


def test_the_providers_settings_are_those_their_sdks_read() -> None:
    """pic.settings.PROVIDER_SETTINGS and PROVIDER_OBJECTS, against the installed SDKs (pyproject.toml pins them):
    the keys each one's config module reads from the stack, and the fields of the objects two of them hold."""
    import importlib.util
    import inspect

    from pic.settings import PROVIDER_OBJECTS, PROVIDER_SETTINGS

    for namespace, keys in PROVIDER_SETTINGS.items():
        spec = importlib.util.find_spec(f"pulumi_{namespace}")
        assert spec is not None and spec.origin is not None, namespace
        source = Path(spec.origin).parent / "config" / "vars.py"
        # the module replaces itself by an object on import: its text is read
        read = re.findall(r"__config__\.get\w*\('(\w+)'\)", source.read_text()) if source.exists() else []
        assert sorted(read) == sorted(keys), namespace
    for (namespace, key), fields in PROVIDER_OBJECTS.items():
        outputs = importlib.import_module(f"pulumi_{namespace}.config.outputs")
        cls = getattr(outputs, key[0].upper() + key[1:])
        names = [n for n in inspect.signature(cls.__init__).parameters if n not in ("__self__", "self")]
        camel = [re.sub(r"_([a-z])", lambda m: m.group(1).upper(), n) for n in names]
        assert sorted(camel) == sorted(fields), (namespace, key)


def test_cpus_of_a_db_host_is_refused(tmp_path: Path) -> None:
    """``cpus`` bounds the sites' containers of a web host; the db host runs none, so the key would say
    something the platform never does with it."""
    project = project_copy(tmp_path)
    _edit(
        project,
        "private_address: 10.0.0.10, ssh_user: deploy}",
        "private_address: 10.0.0.10, ssh_user: deploy, cpus: 4}",
    )
    text = _errors(project)
    assert re.search(r"Pulumi\.prod\.yaml:6 pic:hosts\.db\.cpus: 4 is read for web hosts only", text), text


def test_an_extension_left_out_twice_is_refused_at_its_second_place(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(
        project,
        '"8.4": {debian: trixie, eol: 2028-12-31}',
        '"8.4": {debian: trixie, eol: 2028-12-31, without_extensions: [gd, imagick, gd]}',
    )
    text = _errors(project)
    assert re.search(
        r'Pulumi\.prod\.yaml:13 pic:runtimes\.8\.4\.without_extensions\[2\]: "gd" is also \[0\]: give each once', text
    ), text


@pytest.mark.parametrize(
    "content", ["- a\n- b\n", "config:\n  - pic:admin_email\n", "config: admins\n", "encryptionsalt: x\n"]
)
def test_a_stack_file_of_another_shape_is_one_error(tmp_path: Path, content: str) -> None:
    """A stack file that is no mapping, or whose config: is none, holds no settings to check: that one fault is
    said, not each required setting as missing besides."""
    project = project_copy(tmp_path)
    (project / "Pulumi.prod.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    [problem] = info.value.problems
    assert "mapping" in problem.message and "missing" not in problem.message, problem


def test_the_stacks_cpus_above_a_host_count_no_site_refused_for_its_runtime(tmp_path: Path) -> None:
    """A site refused on the day of the check (its runtime past its end of life without a valid exception, or
    stopped by the admins) runs no container: pic:limits.cpus above its host's CPUs refuses nothing for it, and
    pic check says the refusal itself (was: the stack's cpus named it, and hid the end-of-life error: the
    registry's checks stopped first). Given an exception, the site runs and is counted again."""
    from tests.helpers import member, write_members

    project = project_copy(tmp_path)
    _edit(project, "ssh_user: deploy}", "ssh_user: deploy, cpus: 2}")
    _edit(project, "pic:limits: {memory_mb: 256, cpus: 1.0", "pic:limits: {memory_mb: 256, cpus: 3")
    settings = load_settings(project, "prod")
    on = dt.date(2026, 6, 1)
    ended = next(k for k, r in settings.runtimes.items() if r.eol < on)
    old = {"domains": ["asso-old.org"], "php": ended}
    own = {"domains": ["asso-own.org"], "php": "8.4"}
    directory = write_members(
        tmp_path / "members",
        {"asso-old": member(10600, site=old), "asso-own": member(10601, site=own, limits={"cpus": 1})},
    )
    [m] = [m for m in load_registry(directory, settings) if m.slug == "asso-old"]
    assert eol.site_state(m, settings, on) == "refused"
    [problem] = _check_errors(project, directory, on)
    assert problem.path == "site.php" and "reached its end of life" in problem.message, problem
    # allowed by an exception, it runs: its container would get the stack's cpus
    exception = {"php_eol": {"until": on + dt.timedelta(days=30), "reason": "moving to 8.4 this month"}}
    write_members(directory, {"asso-old": member(10600, site=old, exceptions=exception)})
    [problem] = _check_errors(project, directory, on)
    assert problem.path == "pic:limits.cpus" and "asso-old.yaml gets it" in problem.message, problem
    assert "asso-own" not in problem.message, problem


@pytest.mark.parametrize("environment", ["environment:\n  - prod-secrets\n", "environment: [shared, prod]\n"])
def test_a_stack_file_importing_esc_environments_is_refused_at_its_line(tmp_path: Path, environment: str) -> None:
    """Pulumi ESC environments give the stack settings pic check and the reviewers never see (pic:hosts,
    pic:tls.ca, ...): the key is refused at its line, the rest of the file still checked."""
    project = project_copy(tmp_path)
    _edit(project, "config:\n", f"{environment}config:\n")
    text = _errors(project)
    assert re.search(r"Pulumi\.prod\.yaml:3 environment: imports Pulumi ESC environments", text), text
    assert "write the settings in this file's config:" in text, text


@pytest.mark.parametrize(
    "environment",
    [
        "environment:\n  imports:\n    - shared/prod\n",  # an inline environment definition
        "environment: {imports: [shared/prod], values: {pulumiConfig: {pic:admin_email: x@y.org}}}\n",
        'environment: {"imports": ["shared/prod"]}\n',
        "environment: shared/prod\n",
        "environment:\n",
    ],
)
def test_every_form_of_the_environment_key_is_refused(tmp_path: Path, environment: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, "config:\n", f"{environment}config:\n")
    text = _errors(project)
    assert re.search(r"Pulumi\.prod\.yaml:3 environment: imports Pulumi ESC environments", text), text


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("mainEnvironment: payments/prod@8\n", "mainEnvironment: names a Pulumi ESC environment as the stack's"),
        ("imports:\n  - shared/prod\n", "imports: is a key of a Pulumi ESC environment definition"),
        ("values:\n  pulumiConfig: {pic:admin_email: x@y.org}\n", "values: is a key of a Pulumi ESC environment"),
        ("Config:\n  pic:admin_email: x@y.org\n", "Config: is not a key of a stack file that pic reads"),
        ("environments: [shared/prod]\n", "environments: is not a key of a stack file that pic reads"),
        ("backend: {url: 'file:///tmp/x'}\n", "backend: is not a key of a stack file that pic reads"),
    ],
)
def test_a_stack_file_key_that_brings_settings_from_elsewhere_is_refused_at_its_line(
    tmp_path: Path, key: str, said: str
) -> None:
    """Pulumi ESC's mainEnvironment: (one environment as the stack's configuration), an environment definition's
    imports: and values: written at the top of the file, and any key pic does not read: each refused at its line,
    naming it, the rest of the file still checked (was: "unknown top-level key of a stack file", with no word of
    what it brings, or of the key meant)."""
    project = project_copy(tmp_path)
    _edit(project, "config:\n", f"{key}config:\n")
    text = _errors(project)
    assert f"Pulumi.prod.yaml:3 {said}" in text, text
    assert "pic check, pic plan and the reviewers never see" in text and len(text.splitlines()) == 1, text


@pytest.mark.parametrize("key", ["secretsprovider", "encryptedkey", "encryptionsalt"])
def test_a_stack_files_encryption_keys_stay_accepted_and_need_a_value(tmp_path: Path, key: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, "config:\n", f"{key}: v1:abcdefgh\nconfig:\n")
    load_settings(project, "prod")
    (tmp_path / "empty").mkdir()
    project = project_copy(tmp_path / "empty")
    _edit(project, "config:\n", f"{key}:\nconfig:\n")
    assert f"Pulumi.prod.yaml:3 {key}: is empty (null): give the value Pulumi wrote there" in _errors(project)


def test_a_host_renamed_under_members_naming_it_is_one_error_naming_them(tmp_path: Path) -> None:
    """web1 renamed web-1 in the stack file gave one error per member on web1 (hundreds, all alike): one error at
    the first member's line names the host, how many members name it and the first few, and the name meant."""
    from tests.helpers import member, write_members

    project = project_copy(tmp_path)
    for old, new in (("    web1: {", "    web-1: {"), ("host: web1", "host: web-1"), ("host: web1", "host: web-1")):
        _edit(project, old, new)
    _edit(project, "pic:default_web_host: web1", "pic:default_web_host: web-1")
    settings = load_settings(project, "prod")
    on_web1 = {f"asso-{i:02}": member(10600 + i, host="web1") for i in range(8)}
    directory = write_members(tmp_path / "members", {**on_web1, "asso-db": member(10700, host="db")})
    with pytest.raises(PicError) as caught:
        load_registry(directory, settings)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 2, problems
    assert problems[0].endswith(
        'asso-00.yaml:4 host: "web1" is not a web host of stack prod (not a host of the stack; known: web-1); did '
        'you mean "web-1"? (8 members name it: asso-00.yaml, asso-01.yaml, asso-02.yaml, asso-03.yaml, '
        "asso-04.yaml and 3 more)"
    ), problems
    assert problems[1].endswith(
        'asso-db.yaml:4 host: "db" is not a web host of stack prod (the stack\'s db host, not a web host; known: web-1)'
    ), problems


def test_a_host_renamed_under_the_settings_naming_it_says_the_name_meant(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, "    web1: {", "    web-1: {")
    text = _errors(project)
    for field in ("pic:mail.host", "pic:phpmyadmin.host", "pic:default_web_host"):
        assert f' {field}: "web1" is not a web host' in text, text
    assert text.count('(known: web-1); did you mean "web-1"?') == 3, text


@pytest.mark.parametrize(
    ("old", "new", "field", "hint"),
    [
        # a host of pic:hosts in another case or form: named
        ("pic:default_web_host: web1", "pic:default_web_host: WEB1", "pic:default_web_host", "web1"),
        ("mail: {host: web1", "mail: {host: Web_1", "pic:mail.host", "web1"),
        ("    host: web1\n    domain: pma", "    host: 'WEB 1'\n    domain: pma", "pic:phpmyadmin.host", "web1"),
        (MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  pic:dns: {{server: DB}}", "pic:dns.server", "db"),
        # mended into a name pic:hosts lacks, or a host that is no web host where a web host is named: none
        ("pic:default_web_host: web1", "pic:default_web_host: Web9", "pic:default_web_host", None),
        ("mail: {host: web1", "mail: {host: DB", "pic:mail.host", None),
        ("    host: web1\n    domain: pma", "    host: Web_2\n    domain: pma", "pic:phpmyadmin.host", None),
        (MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  pic:dns: {{server: Web9}}", "pic:dns.server", None),
    ],
)
def test_a_setting_naming_a_host_is_hinted_only_a_host_there_is(
    tmp_path: Path, old: str, new: str, field: str, hint: str | None
) -> None:
    """pic:default_web_host: Web9 was told "did you mean 'web9'?" when pic:hosts has no web9: the hint names a
    host of pic:hosts (a web host where one is named), else the message lists them."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    [line] = [ln for ln in text.splitlines() if f" {field}: " in ln]
    assert "is not allowed here" in line, text
    listed = "(the hosts of pic:hosts: db, web1)" if field == "pic:dns.server" else "(the web hosts of pic:hosts: web1)"
    assert listed in line, line
    assert (line.endswith(f"; did you mean {hint!r}?")) if hint else ("did you mean" not in line), line


@pytest.mark.parametrize(("written", "meant"), [("web2", None), ("web9", None), ("web-1", "web1"), ("wbe1", "web1")])
def test_a_host_that_is_none_of_the_stacks_is_hinted_one_only_when_it_is_a_slip_of_it(
    tmp_path: Path, written: str, meant: str | None
) -> None:
    """host: web2 with only web1 in the stack was told "did you mean "web1"?": web2 is another host (not added yet,
    removed), not a slip of web1; a hint keeps the digits, in a member file and in the settings."""
    from tests.helpers import member, write_members

    project = project_copy(tmp_path)
    directory = write_members(tmp_path / "members", {"asso-web": member(10600, host=written)})
    with pytest.raises(PicError) as caught:
        load_registry(directory, load_settings(project, "prod"))
    _edit(project, "pic:default_web_host: web1", f"pic:default_web_host: {written}")
    for text in (str(caught.value), _errors(project)):
        assert f'"{written}" is not a web host' in text and "known: web1" in text, text
        assert text.endswith(f'; did you mean "{meant}"?') if meant else "did you mean" not in text, text


def test_a_dns_server_that_is_no_host_is_hinted_the_one_meant(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  pic:dns: {{server: dbb}}")
    assert ' pic:dns.server: "dbb" is not a host of the stack (known: db, web1); did you mean "db"?' in _errors(project)


@pytest.mark.parametrize(
    ("addresses", "said"),
    [
        # no host is reached at these: published, every name of the host would lead nowhere
        ("[0.1.2.3]", 'public_addresses[0]: "0.1.2.3" is in 0.0.0.0/8'),
        ("[192.0.2.10, 240.0.0.1]", 'public_addresses[1]: "240.0.0.1" is in 240.0.0.0/4'),
        ("[255.255.255.255]", 'public_addresses[0]: "255.255.255.255" is the broadcast address'),
        ("['::192.0.2.1']", 'public_addresses[0]: "::192.0.2.1" is an IPv4-compatible IPv6 address'),
        # another host's own address: its names would lead to that host
        ("[10.0.0.10]", 'public_addresses[0]: "10.0.0.10" is the private_address of db'),
        ("[192.0.2.9]", 'public_addresses[0]: "192.0.2.9" is also the address of web0'),
        ("['2001:DB8:0::9']", 'public_addresses[0]: "2001:DB8:0::9" is also public_addresses[0] of web0'),
    ],
)
def test_a_public_address_no_host_is_reached_at_or_another_hosts_is_refused(
    tmp_path: Path, addresses: str, said: str
) -> None:
    """public_addresses took 0.0.0.0/8, 240.0.0.0/4 and IPv4-compatible addresses (refused as a host's address),
    another host's private address, and another web host's address: the zones NSD serves published them as the
    addresses of web1's names (its sites), which then led nowhere, or to another host."""
    project = project_copy(tmp_path)
    web0 = "    web0: {role: web, address: 192.0.2.9, public_addresses: ['2001:db8::9'], private_address: 10.0.0.9}\n"
    _edit(project, HOSTS, HOSTS + web0)
    _edit(project, "web1: {role: web, ", f"web1: {{role: web, public_addresses: {addresses}, ")
    errors = _errors(project)
    line = next(n for n, ln in enumerate((project / "Pulumi.prod.yaml").read_text().splitlines(), 1) if "web1:" in ln)
    assert f"Pulumi.prod.yaml:{line} pic:hosts.web1.{said}" in errors, errors


def test_a_host_behind_the_address_of_another_that_is_no_web_host_may_publish_it(tmp_path: Path) -> None:
    """One public address before several hosts (a NAT forwarding 80 and 443 to the web host, ssh on another port
    to the db host) is one web host's and the db host's: allowed."""
    project = project_copy(tmp_path)
    _edit(project, "web1: {role: web, ", "web1: {role: web, public_addresses: [192.0.2.10], ")
    _edit(project, "db: {role: db, ", "db: {role: db, public_addresses: [192.0.2.10], ")
    assert load_settings(project, "prod").hosts["db"].published_addresses == ["192.0.2.10"]


# Each setting that holds an address, written the short way and the long way (capitals, zeros spelt out): the edits
# of the stack file, then the two spellings of each {placeholder} in them.
Spellings = tuple[tuple[tuple[str, str], ...], dict[str, tuple[str, str]]]
ADDRESS_SPELLINGS: dict[str, Spellings] = {
    "a host's address and private address": (
        (
            ("address: web1.example.org, private_address: 10.0.0.11", "address: '{a}', private_address: '{p}'"),
            ("address: db.example.org, private_address: 10.0.0.10", "address: db.example.org, private_address: '{q}'"),
            ("dkim_selector: pic,", "dkim_selector: pic, mx: mx.example.org,"),  # the mail host's address is an IP
            ("  pic:phpmyadmin:\n    host: web1\n    domain: pma.example.org\n    debian: bookworm\n", ""),  # IPv4 only
        ),
        {"a": ("2001:db8::11", "2001:DB8:0:0::11"), "p": ("fd00::11", "FD00:0::11"), "q": ("fd00::10", "fd00::0:10")},
    ),
    "pic:dns.listen and pic:dns.resolver": (
        (
            (
                "pic:members_root:",
                "pic:dns: {backend: zonefile, zones: [example.org], listen: ['{l}'], resolver: '{r}'}\n"
                "  pic:members_root:",
            ),
        ),
        {"l": ("2001:db8::53", "2001:0DB8::0:53"), "r": ("::1", "0:0:0:0:0:0:0:1")},
    ),
    "pic:smtp.host and pic:smtp.host_relay": (
        (
            (
                "pic:members_root:",
                "pic:smtp: {host: '{h}', sender: pic@example.org, host_relay: '[{r}]:25'}\n  pic:members_root:",
            ),
        ),
        {"h": ("2001:db8::25", "2001:DB8::0:25"), "r": ("2001:db8::26", "2001:db8:0:0:0:0:0:26")},
    ),
    "pic:db.proxy": (
        (("pic:members_root:", "pic:db: {proxy: 'socks5://[{s}]:1080'}\n  pic:members_root:"),),
        {"s": ("::1", "0::1")},
    ),
    "the off-site repository and its known_hosts line": (
        (
            (
                'pic:backup: {time: "03:15", keep_days: 7}',
                'pic:backup: {time: "03:15", keep_days: 7, offsite: {repository: "sftp://b@[{o}]:2222//r", '
                "known_hosts: '[{k}]:2222 " + KEY + "'}}",
            ),
        ),
        {"o": ("2001:db8::5", "2001:DB8::0:5"), "k": ("2001:db8::5", "2001:DB8::5")},
    ),
    "an apt source's URL and key URL": (
        (
            (
                '"https://packages.sury.org/php/", key_url: "https://packages.sury.org/php/apt.gpg"',
                '"http://[{u}]/php/", key_url: "https://[{k}]:8443/php/apt.gpg"',
            ),
        ),
        {"u": ("2001:db8::80", "2001:DB8:0::80"), "k": ("2001:db8::80", "2001:Db8::0:80")},
    ),
    "an image's registry": (
        (("pic:members_root:", "pic:db: {dev_image: '[{i}]:5000/mariadb:11.4'}\n  pic:members_root:"),),
        {"i": ("2001:db8::50", "2001:DB8::050")},
    ),
}


@pytest.mark.parametrize("setting", list(ADDRESS_SPELLINGS))
def test_an_address_written_another_way_reads_as_the_same_setting(tmp_path: Path, setting: str) -> None:
    """Every setting that holds an address (alone, as host:port, in a URL, an image reference or a known_hosts
    line) reads it in its canonical form: the two spellings are one setting, so nothing that reaches a host changes
    (were, for an apt source's URL: the runtime's image built anew, its site containers replaced)."""
    edits, values = ADDRESS_SPELLINGS[setting]
    read: list[dict[str, Any]] = []
    for form in (0, 1):
        (tmp_path / str(form)).mkdir()
        project = project_copy(tmp_path / str(form))
        for old, written in edits:
            for key, spellings in values.items():
                written = written.replace(f"{{{key}}}", spellings[form])  # noqa: PLW2901
            _edit(project, old, written)
        read.append(load_settings(project, "prod").model_dump())
    assert read[0] == read[1], [(k, read[0][k], read[1][k]) for k in read[0] if read[0][k] != read[1][k]]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("pic:limits:", '"password=S3cr3tPw":'),  # a setting without a namespace: its name was the hint's too
        ("pic:limits:", '"pic_password=S3cr3tPw":'),
        ("config:", '"mdp : Azerty123": x\nconfig:'),  # a top-level key
        ("config:", 'encryptionsalt: ["mdp : Azerty123"]\nconfig:'),  # a top-level value
    ],
)
def test_a_stack_file_s_key_or_value_that_reads_as_a_secret_is_not_shown(tmp_path: Path, old: str, new: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert "Pulumi.prod.yaml:" in text and "zerty" not in text and "S3cr3t" not in text, text
    assert "not shown" in text or "pic:<name>" in text, text


def test_the_stacks_hinted_are_the_stack_files_that_can_be_read(tmp_path: Path) -> None:
    """The stacks a missing one's error lists are regular files named Pulumi.<stack>.yaml, or links to one, whose
    <stack> --stack takes: a directory, a dead link, a FIFO or a name --stack refuses (`Pulumi.a b.yaml`) named
    no stack, yet were listed and hinted (`did you mean --stack prd?` for a directory Pulumi.prd.yaml)."""
    import os

    project = project_copy(tmp_path)
    (project / "Pulumi.prd.yaml").mkdir()
    (project / "Pulumi.prod2.yaml").symlink_to(project / "gone.yaml")
    (project / "Pulumi.a b.yaml").write_text("config: {}\n", encoding="utf-8")
    (project / "Pulumi..yaml").write_text("config: {}\n", encoding="utf-8")
    os.mkfifo(project / "Pulumi.pipe.yaml")
    (project / "Pulumi.linked.yaml").symlink_to(project / "Pulumi.prod.yaml")
    with pytest.raises(PicError) as info:
        load_settings(project, "pod")
    [problem] = info.value.problems
    assert problem.message == "no such stack file (stacks here: linked, prod); did you mean --stack prod?", problem


@pytest.mark.parametrize("stack", ["Lilas2024x", "velo75paris", "Soleil-Azur-75"])
def test_a_stack_named_as_a_password_has_its_file_not_named(tmp_path: Path, stack: str) -> None:
    """pic check --stack Lilas2024x (a password pasted after --stack) was told 'Pulumi.Lilas2024x.yaml no such stack
    file': a stack name shaped as a password is told from the command line, the value not shown."""
    project = project_copy(tmp_path)
    with pytest.raises(PicError) as info:
        load_settings(project, stack)
    text = str(info.value)
    assert stack.casefold() not in text.casefold(), text
    assert "--stack: the value (not shown: it may be a secret) names no stack file (stacks here: prod)" in text, text


CIPHERTEXT = "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"


@pytest.mark.parametrize(
    ("written", "path", "command"),
    [
        ("mysql:pass: S3cr3tPw", "mysql:pass", "--secret mysql:password"),
        ("mysql:pwd: S3cr3tPw", "mysql:pwd", "--secret mysql:password"),
        ("mysql:dbPassword: S3cr3tPw", "mysql:dbPassword", "--secret mysql:password"),
        (f"mysql:pass: {{secure: {CIPHERTEXT}}}", "mysql:pass", "--secret mysql:password"),
        (f"mysql:pwd: {{secure: {CIPHERTEXT}}}", "mysql:pwd", "--secret mysql:password"),
        # a password written as a setting of its own, where the provider takes it inside one
        ("docker:password: S3cr3tPw", "docker:password", "--path --secret 'docker:registryAuth[0].password'"),
        (f"tls:pasword: {{secure: {CIPHERTEXT}}}", "tls:pasword", "--path --secret 'tls:proxy.password'"),
        (
            "docker:registryAuth: [{address: r.example.org, pwd: S3cr3tPw}]",
            "docker:registryAuth[0].pwd",
            "--path --secret 'docker:registryAuth[0].password'",
        ),
        (
            "tls:proxy: {url: 'http://p.example.org:3128', pass: S3cr3tPw}",
            "tls:proxy.pass",
            "--path --secret 'tls:proxy.password'",
        ),
    ],
)
def test_a_secret_under_a_name_its_provider_does_not_take_is_told_the_key_it_reads(
    tmp_path: Path, written: str, path: str, command: str
) -> None:
    """mysql:pass and mysql:pwd in clear were told to be set under that same name (`pulumi config set --secret
    mysql:pass`), and passed once set so: the provider reads mysql:password and ignores them. Refused, with the
    key the provider reads and the command that sets it, in clear or set as a secret."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    [line] = [ln for ln in text.splitlines() if f" {path}: " in ln]
    name = path.rpartition(".")[2] if "." in path else path.partition(":")[2]
    assert f"provider takes no key {name!r}" in line and f"`pulumi config set {command}`" in line, text
    assert ("under a secret's name" in line) is ("secure" not in written), text
    assert "S3cr3t" not in text and "AAAA" not in text, text


@pytest.mark.parametrize(
    ("written", "path", "said"),
    [
        ('mysql:password: ""', "mysql:password", "is empty text"),
        ("mysql:password: '  '", "mysql:password", "is blank text (spaces only)"),
        ("mysql:password: ~", "mysql:password", "is empty (null)"),
        ("mysql:password:", "mysql:password", "is empty (null)"),
        ("mysql:password: true", "mysql:password", "is true, a flag, not a secret"),
        ("mysql:password: []", "mysql:password", "is a list (empty), not one text"),
        ("mysql:password: {}", "mysql:password", "is a mapping (empty), not one text"),
        ("docker:keyMaterial: false", "docker:keyMaterial", "is false, a flag, not a secret"),
        (
            "docker:registryAuth: [{address: r.example.org, password: ''}]",
            "docker:registryAuth[0].password",
            "is empty text",
        ),
        ("tls:proxy: {url: 'http://p.example.org:3128', password: ~}", "tls:proxy.password", "is empty (null)"),
        ('pic:dbAdminPassword: ""', "pic:dbAdminPassword", "is empty text"),
        ("pic:dbAdminPassword: true", "pic:dbAdminPassword", "is true, a flag, not a secret"),
        ("pic:smtpPassword: []", "pic:smtpPassword", "is a list (empty), not one text"),
        ("pic:backupSshKey: no", "pic:backupSshKey", "is false, a flag, not a secret"),
    ],
)
def test_a_secrets_key_holding_nothing_or_a_flag_is_refused_saying_what_it_holds(
    tmp_path: Path, written: str, path: str, said: str
) -> None:
    """mysql:password: "" (or ~, true, []) passed: no text in clear, so no secret was seen, and the provider would
    log in with an empty password or none; pic:dbAdminPassword: true was told it "holds a plain value". A secret's
    key holds a ciphertext Pulumi wrote: what it holds instead is said (no secret: shown), with the command."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    [line] = [ln for ln in text.splitlines() if f" {path}: " in ln]
    assert f"Pulumi.prod.yaml:21 {path}: {said}: a secret's key" in line, text
    command = f"--secret {path}" if path.count(".") == 0 and "[" not in path else f"--path --secret '{path}'"
    assert f"`pulumi config set {command}` writes there" in line, text


@pytest.mark.parametrize(
    ("written", "path"),
    [
        (
            'docker:registryAuth: [{address: r.example.org, configFileContent: \'{"auths": {"r.example.org": '
            '{"auth": "ZGVwbG95Okh1bnRlcjI="}}}\'}]',
            "docker:registryAuth[0].configFileContent",
        ),
        ("tls:proxy: {url: 'http://p.example.org:3128', username: deploy}", "tls:proxy.username"),
    ],
)
def test_a_providers_setting_its_sdk_describes_as_a_secret_is_one(tmp_path: Path, written: str, path: str) -> None:
    """docker:registryAuth[].configFileContent (a docker config.json: its auths are base64 of user:password) passed in
    clear: only names that read as a secret's were. Each setting the provider's SDK describes as a secret
    (pic.settings.PROVIDER_SECRETS) is one."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    [line] = [ln for ln in text.splitlines() if f" {path}: " in ln]
    assert "holds a plain value (not shown)" in line and f"`pulumi config set --path --secret '{path}'`" in line, text
    assert "ZGVw" not in text and "deploy" not in text, text


# What an SDK's description of a setting says of a secret: a password, a private key, a token, the content of a file
# of credentials (docker's config.json for registry auth; not its path, configFile).
_SECRET_DOC = re.compile(r"\bpassword\b|private key|\btoken\b|\bcontent of .*\bauth\b", re.IGNORECASE)


def test_the_providers_secrets_are_those_their_sdks_describe() -> None:
    """pic.settings.PROVIDER_SECRETS against the installed SDKs: a setting (or a key of the objects one holds) is a
    secret when its name reads as a secret's (mysql's password, which the SDK leaves undescribed) or its
    description says it holds one (docker's keyMaterial: a private key; registryAuth's configFileContent: the
    content of the docker json file for registry auth; tls's proxy username: Username (or Token))."""
    import importlib.util
    import inspect

    from pic.settings import PROVIDER_OBJECTS, PROVIDER_SECRETS, PROVIDER_SETTINGS
    from pic.yamlsrc import secret_name

    def secret(name: str, doc: str) -> bool:
        return secret_name(name) or _SECRET_DOC.search(doc) is not None

    for namespace, keys in PROVIDER_SETTINGS.items():
        spec = importlib.util.find_spec(f"pulumi_{namespace}")
        assert spec is not None and spec.origin is not None, namespace
        source = Path(spec.origin).parent / "config" / "vars.py"
        text = source.read_text() if source.exists() else ""
        docs = {
            m.group(3): m.group(2) or ""
            for m in re.finditer(
                r"def (\w+)\(self\)[^:]*:\s*(?:\"\"\"(.*?)\"\"\")?\s*return __config__\.get\w*\('(\w+)'\)", text, re.S
            )
        }
        assert sorted(docs) == sorted(keys), namespace
        found = {key for key, doc in docs.items() if secret(key, doc)}
        for (ns, key), fields in PROVIDER_OBJECTS.items():
            if ns != namespace:
                continue
            outputs = importlib.import_module(f"pulumi_{namespace}.config.outputs")
            cls = getattr(outputs, key[0].upper() + key[1:])
            for snake in inspect.signature(cls.__init__).parameters:
                if snake in ("self", "__self__"):
                    continue
                camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), snake)
                assert camel in fields, (namespace, key, camel)
                if secret(camel, inspect.getdoc(getattr(cls, snake)) or ""):
                    found.add(f"{key}.{camel}")
        assert found == set(PROVIDER_SECRETS.get(namespace, {})), namespace
    assert set(PROVIDER_SECRETS) <= set(PROVIDER_SETTINGS)


@pytest.mark.parametrize(
    ("written", "path", "said"),
    [
        (
            "mysql:somethingElse: x",
            "mysql:somethingElse",
            "the mysql provider takes no key 'somethingElse' (its keys: authenticationPlugin, endpoint, "
            "maxConnLifetimeSec, maxOpenConns, password, proxy, tls, username), which it would ignore or refuse: "
            "remove it",
        ),
        ("docker:tlsVerify: true", "docker:tlsVerify", "the docker provider takes no key 'tlsVerify' (its keys: "),
        (
            "docker:registryAuth: [{address: registry.example.org, passThrough: yes-please}]",
            "docker:registryAuth[0].passThrough",
            "the docker provider takes no key 'passThrough' in docker:registryAuth[0] (its keys: address, "
            "authDisabled, configFile, configFileContent, password, username), which it would ignore or refuse: "
            "remove it",
        ),
        ("tls:proxy: {url: 'http://p.example.org:3128', noProxy: x}", "tls:proxy.noProxy", "takes no key 'noProxy' in"),
        (
            "random:seed: 42",
            "random:seed",
            "the random provider takes no settings (no key 'seed'), which it would ignore or refuse: remove it",
        ),
        ("command:shell: /bin/bash", "command:shell", "the command provider takes no settings (no key 'shell')"),
        # a secret's name the provider takes nowhere: its secrets
        ("mysql:apiToken: x1", "mysql:apiToken", "its secrets: password"),
        (
            "docker:token: x1",
            "docker:token",
            "its secrets: keyMaterial, registryAuth[].password, registryAuth[].configFileContent",
        ),
    ],
)
def test_a_key_its_provider_does_not_take_is_refused_naming_its_keys(
    tmp_path: Path, written: str, path: str, said: str
) -> None:
    """mysql:somethingElse, far from every key the provider takes, was accepted without a word: the program builds
    its providers from its own settings, and a default provider ignores or refuses a key it does not know. Refused
    at its line, naming the provider's keys."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    [line] = [ln for ln in text.splitlines() if f" {path}: " in ln]
    assert line.startswith(f"{project / 'Pulumi.prod.yaml'}:21 {path}: "), text
    assert said in line, text
    assert "x1" not in text, text


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            "password: S3cr3tPw",
            "password: holds a plain value (not shown) under a secret's name: secrets are set with `pulumi config set "
            "--secret mysql:password` and never written in clear; has no namespace: Pulumi reads keys as "
            "<namespace>:<name>; write mysql:password for the mysql provider",
        ),
        (
            "endpoint: db.example.org:3306",
            "endpoint: has no namespace: Pulumi reads keys as <namespace>:<name>; write mysql:endpoint for the mysql "
            "provider",
        ),
        (
            "members_root: /srv/members",
            "members_root: has no namespace: Pulumi reads keys as <namespace>:<name>; write pic:members_root for pic",
        ),
        (
            "MySQL:password: S3cr3tPw",
            "MySQL:password: is in namespace \"MySQL\", not 'mysql': Pulumi compares namespaces exactly, and the "
            "mysql provider never reads it; write mysql:password; holds a plain value (not shown) under a secret's "
            "name: secrets are set with `pulumi config set --secret mysql:password` and never written in clear",
        ),
        (
            f"MYSQL:pasword: {{secure: {CIPHERTEXT}}}",
            "MYSQL:pasword: is in namespace \"MYSQL\", not 'mysql': Pulumi compares namespaces exactly, and the "
            "mysql provider never reads it; write mysql:password; the mysql provider takes no key 'pasword'",
        ),
        ("Docker:host: ssh://deploy@web1.example.org", "Docker:host: is in namespace \"Docker\", not 'docker'"),
        ("dokcer:host: ssh://deploy@web1.example.org", "dokcer:host: is in namespace \"dokcer\", not 'docker'"),
        ("m\u0443sql:endpoint: db.example.org:3306", "is in namespace \"m\u0443sql\", not 'mysql'"),
    ],
)
def test_a_key_without_its_providers_namespace_is_told_the_key_meant(tmp_path: Path, written: str, said: str) -> None:
    """`password: ...` without a namespace was told to be written pic:password, which pic does not know (the
    password was the mysql provider's), and its value in clear was not said; MySQL:password was told to be set
    with `pulumi config set --secret MySQL:password`, a namespace no provider reads. The namespace and key meant
    are named, in the command too."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    assert f"{project / 'Pulumi.prod.yaml'}:21 " in text, text
    [line] = [ln for ln in text.splitlines() if ":21 " in ln]
    assert said in line, text
    assert "S3cr3t" not in text and "AAAA" not in text, text


@pytest.mark.parametrize(
    ("first", "second", "path"),
    [
        (f"mysql:password: {{secure: {CIPHERTEXT}}}", f"mysql:Password: {{secure: {CIPHERTEXT}}}", "mysql:Password"),
        ("mysql:endpoint: db.example.org:3306", "'mysql:endpoint ': db.example.org:3306", '"mysql:endpoint "'),
        (f"mysql:password: {{secure: {CIPHERTEXT}}}", f"MySQL:password: {{secure: {CIPHERTEXT}}}", "MySQL:password"),
    ],
)
def test_a_providers_key_given_twice_in_another_form_says_so(
    tmp_path: Path, first: str, second: str, path: str
) -> None:
    """mysql:password and mysql:Password (or `mysql:endpoint ` with a space, MySQL:password): two keys to Pulumi,
    one read by the provider; the other is refused, saying the key meant is given too (not to set it again). A key
    with a blank at an end is named in quotes, its blank not read as the message's own."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {first}\n  {second}")
    text = _errors(project)
    [line] = text.splitlines()
    meant = path.strip('" ').replace("MySQL", "mysql").replace("Password", "password")
    assert line.startswith(f"{project / 'Pulumi.prod.yaml'}:22 {path}: "), text
    assert f"{meant} is given too: keep one" in line and "pulumi config set" not in line, text


@pytest.mark.parametrize(
    ("written", "path", "said"),
    [
        (
            f"mysql:keyMaterial: {{secure: {CIPHERTEXT}}}",
            "mysql:keyMaterial",
            "did you mean 'docker:keyMaterial'? (set the secret there with `pulumi config set --secret "
            "docker:keyMaterial`)",
        ),
        (
            "mysql:keyMaterial: S3cr3tPw",
            "mysql:keyMaterial",
            "secrets are set with `pulumi config set --secret docker:keyMaterial`",
        ),
        ("docker:endpoint: db.example.org:3306", "docker:endpoint", "did you mean 'mysql:endpoint'?"),
        ("tls:registryAuth: [{address: r.example.org}]", "tls:registryAuth", "did you mean 'docker:registryAuth'?"),
        ("pic:password: S3cr3tPw", "pic:password", "(or mysql:password, a provider's, if it is meant)"),
        (
            f"pic:keyMaterial: {{secure: {CIPHERTEXT}}}",
            "pic:keyMaterial",
            "(or docker:keyMaterial, a provider's, if it is meant)",
        ),
    ],
)
def test_a_key_written_under_another_namespace_than_its_providers_is_told_where_it_belongs(
    tmp_path: Path, written: str, path: str, said: str
) -> None:
    """mysql:keyMaterial (docker's private key under mysql:) was told to be set as `pulumi config set --secret
    mysql:keyMaterial`, or once set so only that the mysql provider takes no such key: the provider whose key it is
    is named, in the command too; pic:password says the mysql provider's password besides pic's secrets."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    [line] = [ln for ln in text.splitlines() if f" {path}: " in ln]
    assert said in line, text
    assert "S3cr3t" not in text and "AAAA" not in text, text


def test_a_pic_secret_given_twice_in_another_case_says_so(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    twice = f"pic:dbAdminPassword: {{secure: {CIPHERTEXT}}}\n  pic:DbAdminPassword: {{secure: {CIPHERTEXT}}}"
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {twice}")
    [line] = _errors(project).splitlines()
    assert ":22 pic:DbAdminPassword: is a secret, but pic knows no secret of that name" in line, line
    assert line.endswith("did you mean 'dbAdminPassword'? (pic:dbAdminPassword is given too: keep one)"), line


@pytest.mark.parametrize(
    ("value", "path", "said"),
    [
        ("S3cr3tPw", "config.mysql:password.value", "holds a plain value (not shown) under a secret's name"),
        ("S3cr3tPw", "config.mysql:pasword.value", "holds a plain value (not shown) under a secret's name"),
        ("'   '", "config.mysql:password.value", "is blank text (spaces only)"),
        ("[S3cr3tPw]", "config.mysql:password.value", "is a list holding values in clear (not shown)"),
        ("AKIAIOSFODNN7EXAMPLE", "config.mysql:endpoint.value", "holds an access key (not shown)"),
        ("db.example.org:3306", "config.mysql:endpont", "the mysql provider takes no key 'endpont'"),
    ],
)
def test_a_providers_value_in_the_project_file_is_said_at_the_line_of_value(
    tmp_path: Path, value: str, path: str, said: str
) -> None:
    """Was: a secret in clear under a key's long form (``mysql:password: {value: ...}``) was said at the key's
    line, not at its value's: what is said of the value names the line of ``value:``; what is said of the key
    (a key the provider does not take) the key's."""
    project = project_copy(tmp_path)
    base = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    key = path.removeprefix("config.").removesuffix(".value")
    added = f"config:\n  {key}:\n    description: set per stack\n    value: {value}\n"
    (project / "Pulumi.yaml").write_text(base + added, encoding="utf-8")
    line = base.count("\n") + (4 if path.endswith(".value") else 2)
    text = _errors(project)
    assert f"Pulumi.yaml:{line} {path}: {said}" in text, text
    assert "S3cr3t" not in text and "AKIA" not in text, text


def test_a_providers_setting_in_the_project_file_may_take_its_long_form(tmp_path: Path) -> None:
    """Pulumi.yaml's config: writes a value `key: {value: ...}` too: a provider's setting so written is read as its
    value (was: `value` taken for a key the provider does not take), at the lines of the value."""
    project = project_copy(tmp_path)
    base = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    lines = base.count("\n")
    good = (
        "config:\n  mysql:endpoint:\n    value: db.example.org:3306\n    description: the db host\n"
        "  docker:registryAuth:\n    value:\n      - address: r.example.org\n        username: deploy\n"
    )
    (project / "Pulumi.yaml").write_text(base + good, encoding="utf-8")
    load_settings(project, "prod")
    bad = good.replace("username: deploy", "username: deploy\n        password: S3cr3tPw")
    (project / "Pulumi.yaml").write_text(base + bad + "  mysql:somethingElse: {value: x}\n", encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    problems = info.value.problems
    said = sorted((p.line, p.path) for p in problems)
    assert said == [
        (lines + 9, "config.docker:registryAuth.value[0].password"),
        (lines + 10, "config.mysql:somethingElse"),
    ], problems
    assert "S3cr3t" not in str(problems)


@pytest.mark.parametrize(
    ("written", "line", "path", "said"),
    [
        # a type: Pulumi's types are for the project's own keys
        (
            "  mysql:password:\n    type: string\n    secret: true\n    description: set it per stack\n",
            2,
            "config.mysql:password.type",
            "declares a type, which Pulumi takes for the project's own keys only: it refuses the project file",
        ),
        (
            "  docker:registryAuth:\n    type: array\n    items: {type: object}\n",
            2,
            "config.docker:registryAuth.type",
            "",
        ),
        ("  aws:region: {type: string}\n", 1, "config.aws:region.type", ""),
        # a default: a key of another namespace has a value, the same for every stack
        (
            "  mysql:endpoint:\n    default: db.example.org:3306\n",
            2,
            "config.mysql:endpoint.default",
            "gives a default, which Pulumi takes for the project's own keys only: it refuses the project file "
            "(write value: in its place)",
        ),
        # both: Pulumi takes one
        (
            "  mysql:endpoint:\n    value: db.example.org:3306\n    default: db2.example.org:3306\n",
            3,
            "config.mysql:endpoint.default",
            "gives both a value and a default: Pulumi refuses the project file",
        ),
        # nothing to set: Pulumi asks for a value
        ("  mysql:endpoint: {}\n", 1, "config.mysql:endpoint", "declares no value: Pulumi refuses the project file"),
        ("  mysql:endpoint: {description: the db host}\n", 1, "config.mysql:endpoint", "declares no value"),
        # an object not under value:, a null
        (
            "  tls:proxy: {url: http://p.example.org:3128}\n",
            1,
            "config.tls:proxy",
            "write an object value under value:",
        ),
        ("  mysql:endpoint:\n", 1, "config.mysql:endpoint", "is empty (null): Pulumi refuses the project file"),
        ("  mysql:endpoint: {value: null}\n", 1, "config.mysql:endpoint.value", "is empty (null)"),
    ],
)
def test_a_key_of_another_namespace_declared_by_type_or_default_in_the_project_file_is_refused(
    tmp_path: Path, written: str, line: int, path: str, said: str
) -> None:
    """Pulumi.yaml's config: may declare the project's own keys by their type, secret flag and default (Pulumi's
    ProjectConfigType); a key of another namespace (a provider's) takes a value alone, and Pulumi refuses the
    project file otherwise (Project.Validate in pulumi's sdk/go/common/workspace/project.go: a type, a default, no
    value, both a value and a default). Was: a declaration without a value passed as setting nothing, a default
    was read as the value, and pulumi then refused every command."""
    project = project_copy(tmp_path)
    base = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    (project / "Pulumi.yaml").write_text(base + "config:\n" + written, encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    [problem] = info.value.problems
    assert (problem.line, problem.path) == (base.count("\n") + 1 + line, path), problem
    assert said in problem.message, problem.message


def _pulumi_cli() -> Path:
    """The Pulumi CLI the lab's toolchain built (``make toolchain``); skip without it (fail in CI)."""
    cli = Path(os.environ.get("PIC_TOOLCHAIN", "/var/cache/pic-toolchain")) / "bin" / "pulumi"
    if not cli.exists():
        message = f"{cli} is not built: run `make toolchain`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return cli


@pytest.mark.parametrize(
    "written",
    [
        "  mysql:password: {type: string, secret: true}\n",
        "  mysql:endpoint: {type: string}\n",
        "  mysql:endpoint: {default: db.example.org:3306}\n",
        "  mysql:endpoint: {value: db.example.org:3306, default: db2.example.org:3306}\n",
        "  mysql:endpoint: {}\n",
        "  mysql:endpoint: {description: the db host}\n",
        "  mysql:endpoint: {value: db.example.org:3306}\n",
        "  mysql:endpoint: {value: db.example.org:3306, description: the db host}\n",
        "  mysql:endpoint: db.example.org:3306\n",
        # an object is a declaration, or a value under value:; a null is no value
        "  tls:proxy: {url: http://proxy.example.org:3128}\n",
        "  tls:proxy: {value: {url: http://proxy.example.org:3128}}\n",
        "  mysql:endpoint:\n",
        "  mysql:endpoint: {value: null}\n",
        "  docker:registryAuth: [{address: r.example.org, username: deploy}]\n",
        "  mysql:endpoint: {value: db.example.org:3306, secret: false}\n",
        # config: itself (a line of its own): a mapping, or nothing; a text is a directory (a test of its own below)
        "config: []\n",
        "config: [mysql:endpoint]\n",
        "config:\n  - mysql:endpoint: db.example.org:3306\n",
        "config: 3\n",
        "config: true\n",
        "config: 2026-12-04\n",
        "config: {}\n",
        "config:\n",
        # an empty namespace: Pulumi takes the key, and gives it to the program as written
        '  ":endpoint": db.example.org:3306\n',
        '  ":endpoint": {value: db.example.org:3306}\n',
    ],
)
def test_pic_refuses_the_project_files_config_pulumi_refuses(tmp_path: Path, written: str) -> None:
    """The real Pulumi CLI reads the project file's config: and refuses it or not (``could not unmarshal``, ``could
    not validate``); pic check refuses the same forms of a provider's key and of config: itself, and takes the
    others (``written``: config:'s line itself, or keys under it)."""
    project = project_copy(tmp_path)
    base = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    added = written if written.startswith("config:") else "config:\n" + written
    (project / "Pulumi.yaml").write_text(base + added, encoding="utf-8")
    env = _pulumi_env(tmp_path)
    proc = subprocess.run(
        [str(_pulumi_cli()), "config", "--stack", "organization/pic/nothing", "--non-interactive"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    said = proc.stdout + proc.stderr
    refusals = ("could not unmarshal", "could not validate")
    assert proc.returncode != 0 and (any(r in said for r in refusals) or "no stack named" in said), said
    pulumi_refuses = any(r in said for r in refusals)
    problems = _settings_problems(project)
    assert bool(problems) == pulumi_refuses, (said, problems)


def _pulumi_env(home: Path) -> dict[str, str]:
    """The environment the Pulumi CLI runs in for a test: its home and a file backend under ``home``."""
    (home / "state").mkdir(exist_ok=True)
    return {
        "PATH": f"{_pulumi_cli().parent}:{os.environ['PATH']}",
        "HOME": str(home),
        "PULUMI_HOME": str(home / "pulumi-home"),
        "PULUMI_BACKEND_URL": f"file://{home / 'state'}",
        "PULUMI_SKIP_UPDATE_CHECK": "1",
        "PULUMI_CONFIG_PASSPHRASE": "not used",
    }


def _pulumi_config(project: Path, env: dict[str, str]) -> str:
    """What ``pulumi config --json`` says of the stack nothing in ``project`` (created when missing), its output
    and errors together; the command must succeed."""
    stack = "organization/pic/nothing"
    init = [str(_pulumi_cli()), "stack", "init", stack, "--non-interactive"]
    subprocess.run(init, cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False)
    proc = subprocess.run(
        [str(_pulumi_cli()), "config", "--stack", stack, "--json", "--non-interactive"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def test_a_text_as_the_project_files_config_moves_the_stack_files_and_is_refused(tmp_path: Path) -> None:
    """``config: stacks`` in Pulumi.yaml is the older spelling of ``stackConfigDir: stacks``: the real Pulumi CLI
    takes it and reads Pulumi.<stack>.yaml in that directory, never the one pic checks; pic refuses it as it
    refuses stackConfigDir (was: config: not a mapping, so not looked at)."""
    project = project_copy(tmp_path)
    base = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    env = _pulumi_env(tmp_path)
    (project / "stacks").mkdir()
    (project / "Pulumi.yaml").write_text(base + "config: stacks\n", encoding="utf-8")
    _pulumi_config(project, env)  # creates stacks/Pulumi.nothing.yaml
    stack_file = project / "stacks" / "Pulumi.nothing.yaml"
    stack_file.write_text(stack_file.read_text(encoding="utf-8") + "config:\n  docker:host: from-stacks\n")
    (project / "Pulumi.nothing.yaml").write_text("config:\n  docker:host: next-to-pulumi-yaml\n")
    said = _pulumi_config(project, env)
    assert "from-stacks" in said and "next-to-pulumi-yaml" not in said, said
    [problem] = _settings_problems(project)
    assert (Path(problem.file).name, problem.line, problem.path) == ("Pulumi.yaml", base.count("\n") + 1, "config")
    assert problem.message.startswith("is a directory's name, the older spelling of stackConfigDir:"), problem


@pytest.mark.parametrize(
    ("written", "taken"),
    [
        ("config: .", True),
        ("config: ./", True),
        ("config: stacks/..", True),
        ("stackConfigDir: .", True),
        ("stackConfigDir: ./.", True),
        ("config: ''", False),
        ("stackConfigDir: ''", False),
    ],
)
def test_a_project_files_config_naming_its_own_directory_reads_the_stack_files_pic_reads(
    tmp_path: Path, written: str, taken: bool
) -> None:
    """``config: .`` (or ``stackConfigDir: .``) names the directory of Pulumi.yaml: the real Pulumi CLI reads the
    stack files there, next to Pulumi.yaml, where pic reads them, so pic takes it (was: refused as a directory
    elsewhere). Empty text is read so too, but says nothing where a reader sees no directory: it is refused,
    saying what Pulumi does with it (was: told it was "a directory's name")."""
    project = project_copy(tmp_path)
    base = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    env = _pulumi_env(tmp_path)
    (project / "stacks").mkdir()
    (project / "Pulumi.yaml").write_text(base + written + "\n", encoding="utf-8")
    _pulumi_config(project, env)  # creates the stack file where Pulumi reads it
    assert (project / "Pulumi.nothing.yaml").is_file() and not list((project / "stacks").iterdir())
    stack_file = project / "Pulumi.nothing.yaml"
    stack_file.write_text(stack_file.read_text(encoding="utf-8") + "config:\n  docker:host: next-to-pulumi-yaml\n")
    assert "next-to-pulumi-yaml" in _pulumi_config(project, env)
    problems = _settings_problems(project)
    if taken:
        assert problems == [], problems
    else:
        [problem] = problems
        assert problem.line == base.count("\n") + 1, problem
        assert problem.message.startswith("is empty text, which Pulumi takes as the directory of Pulumi.yaml"), problem


@pytest.mark.parametrize("key", ["stackConfigDir", "config"])
@pytest.mark.parametrize("tail", ["", "/", "/stacks/.."])
def test_an_absolute_path_to_the_project_directory_is_refused_as_pulumi_joins_it_to_that_directory(
    tmp_path: Path, key: str, tail: str
) -> None:
    """``stackConfigDir: /path/of/the/project`` reads to a person as the directory of Pulumi.yaml, but the real
    Pulumi CLI joins it to that directory (``<project>/path/of/the/project``) and reads and writes the stack files
    there, unseen by pic: refused, saying where Pulumi reads them (was: refused as another directory, without
    saying that the absolute path was read as relative)."""
    project = project_copy(tmp_path)
    base = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    env = _pulumi_env(tmp_path)
    (project / "stacks").mkdir()
    (project / "Pulumi.yaml").write_text(base + f"{key}: '{project}{tail}'\n", encoding="utf-8")
    _pulumi_config(project, env)  # creates the stack file where Pulumi reads it
    assert not (project / "Pulumi.nothing.yaml").exists()
    assert (project / str(project).lstrip("/") / "Pulumi.nothing.yaml").is_file()
    [problem] = _settings_problems(project)
    assert (problem.line, problem.path) == (base.count("\n") + 1, key), problem
    assert problem.message.startswith(
        "is an absolute path, which Pulumi joins to the directory of Pulumi.yaml: it reads the stack files in "
        f"{project}/{str(project).lstrip('/')}, not next to Pulumi.yaml, where pic check and pic plan read them"
    ), problem


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("config: []", "is a list, not a mapping of settings: Pulumi refuses the project file"),
        ("config: [mysql:endpoint]", "is a list, not a mapping of settings"),
        ("config: 3", "is a number, not a mapping of settings"),
        ("config: true", "is true, not a mapping of settings"),
        ("config: 2026-12-04", "is a date, not a mapping of settings"),
        ("config: stacks", "is a directory's name, the older spelling of stackConfigDir: Pulumi reads the stack "),
        ("config: ''", "is empty text, which Pulumi takes as the directory of Pulumi.yaml"),
        ("config: '  '", "is a directory's name, the older spelling of stackConfigDir"),  # a directory named so
    ],
)
def test_the_project_files_config_that_is_no_mapping_is_refused(tmp_path: Path, written: str, said: str) -> None:
    """Pulumi's schema of the project file takes a mapping, a text (a directory: stackConfigDir's older spelling)
    or nothing as config:; pic refuses anything else at config:'s line, as Pulumi refuses the project file, and a
    text as it refuses stackConfigDir (was: all passed, config: was looked at only when a mapping)."""
    project = project_copy(tmp_path)
    base = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    (project / "Pulumi.yaml").write_text(base + written + "\n", encoding="utf-8")
    text = _errors(project)
    assert f"Pulumi.yaml:{base.count(chr(10)) + 1} config: {said}" in text, text


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("docker:host:", "docker:host"),
        ("docker:host: ~", "docker:host"),
        ("docker:context: null", "docker:context"),
        ("aws:region:", "aws:region"),  # a provider pic knows nothing of
        ('":endpoint":', ":endpoint"),
    ],
)
def test_a_providers_setting_without_a_value_in_a_stack_file_is_refused(
    tmp_path: Path, written: str, path: str
) -> None:
    """A provider's key written without a value is no setting of the provider: Pulumi warns and passes it empty
    text (was: taken without a word)."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    [line] = _errors(project).splitlines()
    assert line.endswith(
        f"Pulumi.prod.yaml:21 {path}: has no value; give one or remove the key (Pulumi reads it as empty text, "
        '"", and warns that a later version will read it as null)'
    ), line
    key = written.removesuffix(" ~").removesuffix(" null")
    _edit(project, written, f'{key} ""')  # empty text, written so: the provider's to judge
    load_settings(project, "prod")


@pytest.mark.parametrize(
    ("written", "line", "path"),
    [
        ("docker:registryAuth: [{address: ~}]", 21, "docker:registryAuth[0].address"),
        ("docker:registryAuth: [{address: null, username: deploy}]", 21, "docker:registryAuth[0].address"),
        (
            "docker:registryAuth:\n    - address: r.example.org\n    - address:\n      username: u",
            23,
            "docker:registryAuth[1].address",
        ),
        ("docker:registryAuth: [~]", 21, "docker:registryAuth[0]"),
        ("tls:proxy: {url: ~}", 21, "tls:proxy.url"),
        ("docker:sshOpts: [-o, ~]", 21, "docker:sshOpts[1]"),
    ],
)
def test_a_null_inside_a_providers_setting_is_refused_at_its_line(
    tmp_path: Path, written: str, line: int, path: str
) -> None:
    """Was: ``docker:registryAuth: [{address: ~}]`` passed, where a provider's key without a value at the top is
    refused: a key or an item left empty inside a provider's setting is said at its own line, with its path."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    [said] = _errors(project).splitlines()
    assert f"Pulumi.prod.yaml:{line} {path}: is empty (null): give its value or remove it" in said, said


def test_a_null_inside_a_providers_setting_in_the_project_file_is_refused(tmp_path: Path) -> None:
    """The same in Pulumi.yaml's config:, under value: (its long form)."""
    project = project_copy(tmp_path)
    added = "config:\n  docker:registryAuth:\n    value:\n      - address: r.example.org\n        username: ~\n"
    (project / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text(encoding="utf-8") + added, encoding="utf-8")
    lines = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8").count("\n") + 5
    text = _errors(project)
    assert f"Pulumi.yaml:{lines} config.docker:registryAuth.value[0].username: is empty (null)" in text, text


def test_pulumi_reads_a_providers_setting_without_a_value_as_empty_text(tmp_path: Path) -> None:
    """What the refusal above says of Pulumi: it warns of a key without a value and reads it as ""."""
    project = project_copy(tmp_path)
    (project / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    env = _pulumi_env(tmp_path)
    _pulumi_config(project, env)
    stack_file = project / "Pulumi.nothing.yaml"
    stack_file.write_text(stack_file.read_text(encoding="utf-8") + "config:\n  docker:host:\n")
    said = _pulumi_config(project, env)
    assert 'No value for configuration key "docker:host"' in said and "treated as an empty string" in said, said
    assert "treated as `null` in a future version" in said, said
    read, _ = json.JSONDecoder().raw_decode(said[said.index("{") :])
    assert read == {"docker:host": {"value": "", "secret": False}}, said


def _settings_problems(project: Path) -> list[Problem]:
    """What pic refuses in the settings of ``project``'s stack prod (none: an empty list)."""
    try:
        load_settings(project, "prod")
    except PicError as exc:
        return list(exc.problems)
    return []


def test_a_providers_secret_given_as_a_default_in_the_project_file_is_refused_unshown(tmp_path: Path) -> None:
    """A default under a provider's secret is refused as Pulumi refuses it, and as a secret in clear, never shown."""
    project = project_copy(tmp_path)
    base = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    text = "config:\n  mysql:password: {type: string, secret: true, default: S3cr3tPw}\n"
    (project / "Pulumi.yaml").write_text(base + text, encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    problems = info.value.problems
    said = {p.path: p.message for p in problems}
    assert sorted(said) == ["config.mysql:password.default", "config.mysql:password.type"], problems
    assert "never written in clear" in said["config.mysql:password.default"]
    assert "S3cr3t" not in str(problems)


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            "dbAdminPassword: S3cr3tPw",
            "`pulumi config set --secret pic:dbAdminPassword` and never written in clear; has no namespace: Pulumi "
            "reads keys as <namespace>:<name>; write pic:dbAdminPassword for pic",
        ),
        ("Password: S3cr3tPw", "`pulumi config set --secret mysql:password`"),
        (
            "token: S3cr3tPw",
            "no setting of pic nor of the providers it knows is named so (pic's secrets: dbAdminPassword, ",
        ),
    ],
)
def test_a_secret_without_a_namespace_names_the_key_it_is(tmp_path: Path, written: str, said: str) -> None:
    """dbAdminPassword without pic: was also told mysql:password (a password's name), and token: told to be written
    pic:token, no key of pic: a name that is a key as written is that key alone, and a secret's name that is no one's
    says so, with the secrets there are."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    [line] = _errors(project).splitlines()
    assert said in line and "S3cr3t" not in line, line
    assert "mysql:password" not in line or not written.startswith("dbAdminPassword"), line


def test_a_list_of_a_provider_written_as_one_mapping_is_refused(tmp_path: Path) -> None:
    """docker:registryAuth: {address: ..., password: ...} (one registry, no list) was read as if it were one: the
    provider reads a list; the command said for its password was `--path --secret 'docker:registryAuth.password'`,
    which writes a mapping."""
    project = project_copy(tmp_path)
    written = "docker:registryAuth: {address: r.example.org, password: S3cr3tPw}"
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  {written}")
    text = _errors(project)
    assert ":21 docker:registryAuth: is a mapping: the docker provider reads a list of them here" in text, text
    assert "`pulumi config set --path --secret 'docker:registryAuth[0].password'`" in text, text
    assert "S3cr3t" not in text, text


def test_a_secrets_name_near_a_key_that_holds_no_secret_is_still_a_secret(tmp_path: Path) -> None:
    """mysql:username_pwd is a slip of username to the spelling, and a password by its name: its value in clear is
    said as a secret's (was: only the slip, the value in clear not said), and no command sets it as username."""
    project = project_copy(tmp_path)
    _edit(project, MEMBERS_ROOT, f"{MEMBERS_ROOT}\n  mysql:username_pwd: S3cr3tPw")
    [line] = _errors(project).splitlines()
    assert ":21 mysql:username_pwd: holds a plain value (not shown) under a secret's name" in line, line
    assert "--secret mysql:username" not in line and line.endswith("did you mean 'username'?"), line


def _certbot_safe_email(address: str) -> bool:
    """certbot's check of its --email (certbot.util.safe_email), with the certbot the hosts run (Debian's)."""
    import subprocess

    script = "import sys; from certbot.util import safe_email; sys.exit(0 if safe_email(sys.argv[1]) else 1)"
    proc = subprocess.run(["/usr/bin/python3", "-c", script, address], capture_output=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode == 0


@pytest.mark.parametrize(
    ("address", "meant"),
    [
        ("élodie@example.org", None),
        ("admin@café.example.org", "admin@xn--caf-dma.example.org"),
        ("élodie@café.example.org", None),
    ],
)
def test_the_platforms_address_is_one_that_sympa_and_certbot_take(address: str, meant: str | None) -> None:
    """The platform's addresses go into sympa.conf (listmaster) and certbot's --email, whose own checks refuse any
    letter outside ASCII (no SMTPUTF8 there): the settings refuse them, and the address they suggest is taken."""
    from pic.validators import check_ascii_email

    assert not sympa_valid_email(address) and not _certbot_safe_email(address)
    with pytest.raises(ValueError, match=r"ASCII|punycode") as refused:
        check_ascii_email(address)
    if meant is not None:
        assert f"write '{meant}'" in str(refused.value), refused.value
        assert check_ascii_email(meant) == meant
        assert sympa_valid_email(meant) and _certbot_safe_email(meant)


def _many_unknown_keys(project: Path, count: int) -> None:
    keys = ", ".join(f"k{i}: 1" for i in range(count))
    _edit(project, "keep_days: 7}", f"keep_days: 7, {keys}}}")


def test_a_line_counting_the_problems_not_shown_has_no_field_label(tmp_path: Path) -> None:
    """The stack file's line counting the problems of a kind not shown ("and 40 more ...") was labelled ``pic::``
    (its empty field named as the namespace alone, then the ':' after a field): it names no field."""
    project = project_copy(tmp_path)
    _many_unknown_keys(project, 60)
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    counting = [p for p in info.value.problems if " more " in p.message and "not shown" in p.message]
    assert len(counting) == 1, info.value
    assert counting[0].path == "" and "::" not in str(counting[0]), str(counting[0])
    assert all(not p.path.endswith(":") for p in info.value.problems), info.value


def test_the_summary_counts_the_faults_not_the_lines_shown(tmp_path: Path) -> None:
    """60 unknown keys were told as 20 lines and one counting 40 more, summed up as ``invalid: 21 errors``: the
    summary counts the faults, those counted on a line too."""
    project = project_copy(tmp_path)
    _many_unknown_keys(project, 60)
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "check", "--stack", "prod", "--project", str(project)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.rstrip().splitlines()
    assert sum(": unknown key (allowed" in line for line in lines) == 20, proc.stderr
    assert lines[-1] == "invalid: 60 errors", proc.stderr


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("keep_days: 7", "keep_days: 2.000000000000000001", "it would be read as 2.0; write 2, or fewer digits"),
        ("keep_days: 7", "keep_days: 30.0000000000000000001", "it would be read as 30.0; write 30, or fewer digits"),
        ("keep_days: 7", "keep_days: 1e-400", "it would be read as 0.0, which is out of range too (must be at least"),
        ("keep_days: 7", "keep_days: 2.5000000000000000001", "it would be read as 2.5, which is not a whole number"),
        ("cpus: 1.0", "cpus: 1.0000000000000000001", "it would be read as 1.0; write 1, or fewer digits"),
        ("cpus: 1.0", "cpus: 0.30000000000000000001", "it would be read as 0.3; write 0.3, or fewer digits"),
    ],
)
def test_a_number_of_more_digits_than_kept_is_offered_only_as_the_field_takes_it(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    """``keep_days: 2.000000000000000001`` (read as 2.0) was told to write 2.0, which a field of whole numbers
    refuses: the number offered is one the field takes (2), else the reading is told refused, with nothing offered."""
    stack = (ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8")
    assert old in stack, f"{old!r} not in the example stack file: the test edits it"
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    assert said in text, text
    offered = re.search(r"; write ([^,]+), or fewer digits", text)
    if offered is not None:
        _edit(project, new, new.split(": ", maxsplit=1)[0] + ": " + offered[1])
        load_settings(project, "prod")  # what is offered is taken


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("address: web1.example.org", "address: 'web1.example.org -p 2222'", "pic:hosts.web1.address"),
        (
            "sympa_domain: listes.example.org",
            "sympa_domain: 'listes.example.org, lists.example.org'",
            "pic:mail.sympa_domain",
        ),
        ("domain: pma.example.org", "domain: 'pma.example.org pma2.example.org'", "pic:phpmyadmin.domain"),
    ],
)
def test_a_setting_of_one_name_given_more_is_not_told_to_make_a_list(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    """A host's address written with more than its name ("web1.example.org -p 2222") was told "holds several names:
    give each on its own (one item of the list each)", for a setting that holds one name and no list: it is told
    to give the one name alone."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    [line] = [ln for ln in text.splitlines() if f" {field}: " in ln]
    assert "of the list" not in line and " meant alone" in line, line
    assert "more than one name" in line or "then a blank" in line, line


@pytest.mark.parametrize(
    ("written", "meant"), [("srv/members", "/srv/members"), ("srv/www/members", "/srv/www/members")]
)
def test_a_members_root_without_its_first_slash_is_offered_with_it(tmp_path: Path, written: str, meant: str) -> None:
    """pic:members_root: srv/members was told it is no absolute path, nothing offered: the path with its first '/'
    is offered, then taken; a relative path of one folder, or starting with . or ~, is offered nothing."""
    from tests.test_settings_offers import MEMBERS_ROOT, _told

    for name in ("told", "again", "one0", "one1", "one2"):
        (tmp_path / name).mkdir()
    said = _told(tmp_path / "told", MEMBERS_ROOT, "pic:members_root: '{w}'", "pic:members_root", written)
    assert said and f"did you mean {meant!r}?" in said[0], said
    assert _told(tmp_path / "again", MEMBERS_ROOT, "pic:members_root: '{w}'", "pic:members_root", meant) == []
    for i, alone in enumerate(("members", "./srv/members", "~/members")):
        said = _told(tmp_path / f"one{i}", MEMBERS_ROOT, "pic:members_root: '{w}'", "pic:members_root", alone)
        assert said and "did you mean" not in said[0], said


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("srv/members/", "/srv/members"),  # offered '/srv/members/', then told it is not a normalised path
        ("srv//www/./members", "/srv/www/members"),
        ("srv/../members", None),  # which directory it names depends on links: nothing offered, as /srv/../members
        ("etc/members", None),  # offered '/etc/members', then refused as under a system directory
        ("srv/pic/members", None),  # under the platform's own directory (/srv/pic)
    ],
)
def test_a_members_root_without_its_first_slash_is_offered_only_a_root_then_taken(
    tmp_path: Path, written: str, meant: str | None
) -> None:
    """pic:members_root: srv/members/ was offered '/srv/members/', etc/members '/etc/members', each refused then (not
    a normalised path, a system directory): the path offered is the normalised one, and only when the setting takes
    it."""
    from tests.test_settings_offers import MEMBERS_ROOT, _told

    for name in ("told", "again"):
        (tmp_path / name).mkdir()
    said = _told(tmp_path / "told", MEMBERS_ROOT, "pic:members_root: '{w}'", "pic:members_root", written)
    if meant is None:
        assert said and "did you mean" not in said[0], said
        return
    assert said and f"did you mean {meant!r}?" in said[0], said
    assert _told(tmp_path / "again", MEMBERS_ROOT, "pic:members_root: '{w}'", "pic:members_root", meant) == []


@pytest.mark.parametrize(
    ("old", "new", "field", "secret"),
    [
        (MEMBERS_ROOT, f"pic:dns: {{resolver: '0xCafe1234.1'}}\n{MR}", "pic:dns.resolver", "Cafe1234"),
        (MEMBERS_ROOT, f"pic:dns: {{resolver: '1.0xCafe1234'}}\n{MR}", "pic:dns.resolver", "Cafe1234"),
        (MEMBERS_ROOT, f"pic:dns: {{resolver: velo75paris}}\n{MR}", "pic:dns.resolver", "velo75paris"),
        (
            'pic:backup: {time: "03:15", keep_days: 7}',
            'pic:backup: {time: "03:15", keep_days: 7, offsite: {'
            'repository: "sftp:restic@vault.example.net:/srv/restic", drill_day: "\uff10xCafe1234"}}',
            "pic:backup.offsite.drill_day",
            "Cafe1234",
        ),
    ],
)
def test_a_setting_holding_a_password_with_more_around_it_is_told_without_it(
    tmp_path: Path, old: str, new: str, field: str, secret: str
) -> None:
    """pic:dns.resolver: 0xCafe1234.1 (1.0xCafe1234, velo75paris) and pic:backup.offsite.drill_day: "０xCafe1234"
    (typed in full-width forms) were shown whole, where 0xCafe1234 alone is hidden: a value is read in its parts and
    in its compatibility form (NFKC), each part as the value alone is; nor is it told in decimal (3405648436,
    202.254.18.52)."""
    project = project_copy(tmp_path)
    _edit(project, old, new)
    line = next(ln for ln in _errors(project).splitlines() if f" {field}: " in ln)
    shown = unicodedata.normalize("NFKC", line).lower()
    assert "not shown" in line and secret.lower() not in shown, line
    assert "3405648436" not in line and "202.254.18" not in line, line
