"""The pic command: exit statuses, report (table and JSON keys), new, schema."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from pic.cli import main
from pic.registry import member_files
from pic.schema import member_schema_text
from tests.conftest import MEMBERS, ROOT
from tests.helpers import member, write_members

ON = "2026-11-28"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(["--help"] if not argv else list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def _members_copy(tmp_path: Path) -> Path:
    target = tmp_path / "members"
    shutil.copytree(MEMBERS, target)
    return target


def test_check_examples(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = _run(capsys, "check", "--project", str(ROOT), "--members", str(MEMBERS), "--on", ON)
    assert rc == 0
    assert "ok: 7 members, stack prod, as of 2026-11-28" in out
    assert "cine-club-lumiere.yaml:11 site.php" in err and "warning:" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--on", "2026-13-01"],
        ["check", "--on", "tomorrow"],
        ["report", "--format", "xml"],
        ["frobnicate"],
        [],
        ["new", "x-y-z"],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "pic", *argv], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 2, proc
    assert "usage:" in proc.stderr and "Traceback" not in proc.stderr


def _usage_error(*argv: str) -> str:
    """The last line ``pic ARGV`` writes to stderr, run as an admin runs it (argparse's own exit), asserting exit 2."""
    proc = subprocess.run(
        [sys.executable, "-m", "pic", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2, proc
    return proc.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    "argv",
    [
        ["new", "-velo", "--name", "Vélo", "--email", "contact@velo.org"],
        ["new", "--velo=x", "--name", "Vélo", "--email", "contact@velo.org"],
        ["move-script", "-velo", "--to", "web2"],
    ],
)
def test_a_slug_starting_with_a_hyphen_is_named_in_the_usage_error(argv: list[str]) -> None:
    """argparse reads -velo as an option and said only "the following arguments are required: slug"."""
    last = _usage_error(*argv)
    assert f"argument slug: {argv[1]!r} is no slug nor an option of pic {argv[0]}" in last, last
    assert "starting with a letter" in last


def test_a_subscriber_export_named_with_a_leading_hyphen_is_named_in_the_usage_error() -> None:
    last = _usage_error("lists", "audit", "-x.txt")
    assert "argument FILE: '-x.txt' is no FILE nor an option of pic lists audit" in last, last
    assert "after --" in last


def test_a_missing_slug_without_a_stray_option_is_said_missing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["new", "--nam", "Vélo", "--email", "contact@velo.org"])
    assert exc.value.code == 2
    assert "the following arguments are required: slug" in capsys.readouterr().err, "--nam is --name, no stray"


def test_unknown_stack_is_invalid_not_a_crash(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = _run(capsys, "check", "--project", str(ROOT), "--stack", "staging")
    assert rc == 1 and "Pulumi.staging.yaml" in err


def test_report_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(
        capsys, "report", "--project", str(ROOT), "--members", str(MEMBERS), "--on", ON, "--format", "json"
    )
    assert rc == 0
    data: dict[str, Any] = json.loads(out)
    assert set(data) == {
        "stack",
        "on",
        "eol_warning_days",
        "runtimes",
        "members_to_contact",
        "counts",
        "disk_usage",
        "disk_usage_warnings",
    }
    assert (data["stack"], data["on"], data["eol_warning_days"]) == ("prod", ON, 365)
    runtimes = {r["runtime"]: r for r in data["runtimes"]}
    assert list(runtimes) == ["7.4", "8.2", "8.3", "8.4", "8.5"]
    for r in runtimes.values():
        assert set(r) == {"runtime", "image", "debian", "eol", "days_left", "state", "stopped", "sites"}
        assert r["image"].startswith(f"pic/php:{r['runtime']}-")
    assert runtimes["7.4"] | {"image": ""} == {
        "runtime": "7.4",
        "image": "",
        "debian": "bullseye",
        "eol": "2022-11-28",
        "days_left": -1461,
        "state": "eol",
        "stopped": False,
        "sites": 1,
    }  # the archived member on 7.4 is not counted, the excepted one is
    assert (runtimes["8.2"]["state"], runtimes["8.2"]["days_left"], runtimes["8.2"]["sites"]) == ("warning", 33, 1)
    assert runtimes["8.5"]["state"] == "supported" and runtimes["8.5"]["sites"] == 0
    contacts = data["members_to_contact"]
    assert [c["slug"] for c in contacts] == ["jardins-partages", "cine-club-lumiere"]
    for c in contacts:
        assert set(c) == {
            "slug",
            "name",
            "status",
            "runtime",
            "state",
            "eol",
            "days_left",
            "contact",
            "exception_until",
            "exception_ended",
            "told_on",
        }
        assert set(c["contact"]) == {"name", "email", "smtputf8"}
    assert contacts[0]["exception_until"] == "2027-03-31"
    assert [c["exception_ended"] for c in contacts] == [False, None]
    assert [c["told_on"] for c in contacts] == [None, None], "nobody told: no notices.yaml in the example"
    assert contacts[1]["contact"]["email"] == "jean.petit@free.fr"
    assert [c["contact"]["smtputf8"] for c in contacts] == [False, False]
    assert data["counts"] == {
        "members": 7,
        "by_status": {"active": 5, "suspended": 1, "archived": 1},
        "sites": 5,
        "https_sites": 4,
        "static_sites": 1,
        "databases": 8,
        "list_domains": 2,
        "ssh_shells": 1,
    }


def test_report_table(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(capsys, "report", "--project", str(ROOT), "--members", str(MEMBERS), "--on", ON)
    assert rc == 0
    lines = out.splitlines()
    assert any(line.split()[:5] == ["7.4", "1", "2022-11-28", "-1461", "eol"] for line in lines if line.strip())
    assert any("jardins-partages" in line and "lucie.moreau@jardins-partages.org" in line for line in lines)
    assert "Members: 7 (5 active, 1 suspended, 1 archived)" in lines


def test_report_table_aligns_a_contact_written_in_wide_letters_or_with_combining_accents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A contact's name in CJK letters (two columns each on a terminal) or with an accent written as a combining
    mark (e + U+0301) moved the next columns of its row: they are padded by the width the name takes on screen."""
    import unicodedata

    from pic.texttable import columns

    members = write_members(
        tmp_path / "members",
        {
            "asso-tokyo": member(
                10801,
                contact={"name": "山田 花子", "email": "hanako@tokyo-asso.fr"},
                site={"domains": ["tokyo-asso.fr"], "php": "8.2"},
            ),
            "asso-nfd": member(
                10802,
                contact={"name": unicodedata.normalize("NFD", "Hélène Bézier"), "email": "h@nfd-asso.fr"},
                site={"domains": ["nfd-asso.fr"], "php": "8.2"},
            ),
            "asso-plain": member(
                10803,
                contact={"name": "Ann Lee", "email": "ann@plain-asso.fr"},
                site={"domains": ["plain-asso.fr"], "php": "8.2"},
            ),
        },
    )
    rc, out, _ = _run(capsys, "report", "--project", str(ROOT), "--members", str(members), "--on", ON)
    assert rc == 0, out
    rows = [line for line in out.splitlines() if "not told" in line or line.strip().startswith("MEMBER ")]
    assert len(rows) == 4, out
    starts = {columns(line[: line.index("not told" if "not told" in line else "TOLD")]) for line in rows}
    assert len(starts) == 1, "\n".join(rows)


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("Ann Lee", 7),
        ("山田 花子", 9),  # CJK: two columns each
        ("e\u0301te\u0301", 3),  # été with combining accents: none for each accent
        ("Ｚｏé", 5),  # fullwidth letters: two columns each
        ("홍길동", 6),
        ("Zoë", 3),
        # what a server sent (pic status's PHP column): written escaped on the terminal, \x1b, and counted so
        ("8.4\x1b]0;x\x07", 15),
        ("a\u2028b", 8),
    ],
)
def test_a_table_cell_takes_the_columns_a_terminal_gives_it(text: str, width: int) -> None:
    from pic.texttable import columns, table

    assert columns(text) == width
    first, second = table([[text, "|"], ["x" * (width + 2), "|"]])
    assert first == f"{text}{' ' * 4}|" and second == f"{'x' * (width + 2)}  |"


def test_report_on_a_later_day_moves_states(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(
        capsys, "report", "--project", str(ROOT), "--members", str(MEMBERS), "--on", "2027-06-01", "--format", "json"
    )
    assert rc == 0
    states = {r["runtime"]: r["state"] for r in json.loads(out)["runtimes"]}
    assert states == {"7.4": "eol", "8.2": "eol", "8.3": "warning", "8.4": "supported", "8.5": "supported"}


def test_report_marks_an_exception_that_has_ended(capsys: pytest.CaptureFixture[str]) -> None:
    """jardins-partages' exception runs until 2027-03-31: on 2027-06-01 it no longer holds, and the
    report says so rather than showing its date as if it were running."""
    argv = ["report", "--project", str(ROOT), "--members", str(MEMBERS), "--on", "2027-06-01"]
    rc, out, _ = _run(capsys, *argv, "--format", "json")
    assert rc == 0
    by_slug = {c["slug"]: c for c in json.loads(out)["members_to_contact"]}
    assert (by_slug["jardins-partages"]["exception_until"], by_slug["jardins-partages"]["exception_ended"]) == (
        "2027-03-31",
        True,
    )
    rc, out, _ = _run(capsys, *argv)
    assert rc == 0
    row = next(line for line in out.splitlines() if "jardins-partages" in line)
    assert "2027-03-31 (ended)" in row
    rc, out, _ = _run(capsys, *argv[:-1], "2027-03-31")
    row = next(line for line in out.splitlines() if "jardins-partages" in line)
    assert "2027-03-31 (today, its last day)" in row and "(ended)" not in row, "its last day still holds, told so"
    rc, out, _ = _run(capsys, *argv[:-1], "2027-03-30")
    row = next(line for line in out.splitlines() if "jardins-partages" in line)
    assert "2027-03-31 " in row and "(today" not in row and "(ended)" not in row, row


def test_new_writes_a_member_that_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = _members_copy(tmp_path)
    rc, out, _ = _run(
        capsys,
        "new",
        "velo-lyon",
        "--name",
        "Vélo Lyon",
        "--email",
        "contact@velo-lyon.org",
        "--domain",
        "velo-lyon.org",
        "--domain",
        "www.velo-lyon.org",
        "--project",
        str(ROOT),
        "--members",
        str(members),
        "--on",
        ON,
    )
    assert rc == 0, out
    data = yaml.safe_load((members / "velo-lyon.yaml").read_text(encoding="utf-8"))
    assert data["uid"] == 10008 and data["site"]["php"] == "8.5" and data["name"] == "Vélo Lyon"
    assert data["site"]["domains"] == ["velo-lyon.org", "www.velo-lyon.org"]
    rc, out, err = _run(capsys, "check", "--project", str(ROOT), "--members", str(members), "--on", ON)
    assert rc == 0, err
    assert "ok: 8 members" in out


def test_new_without_domain_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = _members_copy(tmp_path)
    assert (
        _run(
            capsys,
            "new",
            "asso-test",
            "--name",
            'Asso "Test"',
            "--email",
            "a@b.org",
            "--project",
            str(ROOT),
            "--members",
            str(members),
            "--on",
            ON,
        )[0]
        == 0
    )
    text = (members / "asso-test.yaml").read_text(encoding="utf-8")
    assert '#   php: "8.5"' in text
    assert yaml.safe_load(text)["name"] == 'Asso "Test"'
    assert _run(capsys, "check", "--project", str(ROOT), "--members", str(members), "--on", ON)[0] == 0


def test_new_refuses_existing_slug_and_keeps_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = _members_copy(tmp_path)
    before = (members / "velo-cite.yaml").read_bytes()
    rc, _, err = _run(
        capsys,
        "new",
        "velo-cite",
        "--name",
        "X",
        "--email",
        "x@y.org",
        "--project",
        str(ROOT),
        "--members",
        str(members),
    )
    assert rc == 1 and "velo-cite" in err and "exists already" in err
    assert (members / "velo-cite.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        (["Bad_Slug", "--name", "X", "--email", "x@y.org"], "SLUG"),
        (["good-slug", "--name", "X", "--email", "not-an-email"], "--email"),
        (["good-slug", "--name", "X", "--email", "x@y.org", "--domain", "Bad.Org"], "--domain"),
    ],
)
def test_new_rejects_bad_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expect: str
) -> None:
    members = _members_copy(tmp_path)
    rc, _, err = _run(capsys, "new", *argv, "--project", str(ROOT), "--members", str(members))
    assert rc == 1 and expect in err
    assert sorted(p.name for p in members.iterdir()) == sorted(p.name for p in MEMBERS.iterdir())


@pytest.mark.parametrize(
    ("written", "told"),
    [
        ("0x7f.1", "it is 127.0.0.1 written with a number in hexadecimal (0x7f), as inet_aton reads it"),
        ("127.1", "it is the shorthand of 127.0.0.1 (a.b, read as a.0.0.b by inet_aton)"),
        ("0177.0.1", "it is 127.0.0.1 written with a number in octal (0177), as inet_aton reads it"),
        ("2130706433", "it is 127.0.0.1 written as one number (its 32 bits)"),
    ],
)
def test_new_domain_in_inet_aton_s_form_is_told_an_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, told: str
) -> None:
    """pic new --domain 0x7f.1 was told "ends with an all-numeric label" alone, 2130706433 to give two labels: each
    is an IPv4 address as inet_aton reads it (ping, curl), told so with the address, and that a name goes there."""
    members = _members_copy(tmp_path)
    argv = ["good-slug", "--name", "X", "--email", "x@y.org", "--domain", written]
    rc, _, err = _run(capsys, "new", *argv, "--project", str(ROOT), "--members", str(members))
    assert rc == 1 and "--domain" in err and told in err, err
    assert "an address is no domain name here: give the name" in err and "two labels" not in err, err


@pytest.mark.parametrize("written", ["x@0x7f.1", "x@127.1", "x@2130706433"])
def test_new_email_at_an_address_in_inet_aton_s_form_is_told_an_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    """pic new --email x@127.1 was told email_validator's "not within a valid top-level domain" alone: its domain is
    an IPv4 address as inet_aton reads it, told so with the address, and that a mail domain goes there."""
    members = _members_copy(tmp_path)
    argv = ["good-slug", "--name", "X", "--email", written]
    rc, _, err = _run(capsys, "new", *argv, "--project", str(ROOT), "--members", str(members))
    assert rc == 1 and "--email" in err, err
    assert "is 127.0.0.1 written" in err or "the shorthand of 127.0.0.1" in err, err
    assert "an address is no mail domain here" in err and "top-level domain" not in err, err


def test_new_uid_after_the_highest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = write_members(tmp_path / "m", {"aaa-one": member(uid=10000), "bbb-two": member(uid=10750)})
    assert (
        _run(
            capsys,
            "new",
            "ccc-three",
            "--name",
            "C",
            "--email",
            "c@c.org",
            "--project",
            str(ROOT),
            "--members",
            str(members),
            "--on",
            ON,
        )[0]
        == 0
    )
    assert yaml.safe_load((members / "ccc-three.yaml").read_text())["uid"] == 10751


def test_schema_is_shipped_and_current(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(capsys, "schema")
    assert rc == 0
    shipped = (ROOT / "schema" / "member.schema.json").read_text(encoding="utf-8")
    assert out == shipped == member_schema_text(), "schema/member.schema.json is stale: run pic schema > it"
    vscode = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert vscode["yaml.schemas"]["./schema/member.schema.json"] == ["members/*.yaml"]


@pytest.mark.parametrize("option", [["--stack", "dev"], ["--members", "members"], ["--project", "."], ["--stack=prod"]])
def test_schema_refuses_the_options_of_a_stack_it_would_ignore(
    capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    """`pic schema --stack dev` printed the one schema of every stack, as if it were dev's: a usage error now."""
    with pytest.raises(SystemExit) as stopped:
        main(["schema", *option])
    out = capsys.readouterr()
    assert stopped.value.code == 2 and out.out == "", out
    name, _, value = "=".join(option).partition("=")
    assert f"argument {name}: {value!r} is not taken: pic schema reads no stack, project nor member files" in out.err


def test_schema_accepts_every_example_and_rejects_typos() -> None:
    schema = json.loads((ROOT / "schema" / "member.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in member_files(MEMBERS):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        errors = list(validator.iter_errors(data))
        assert not errors, f"{path.name}: {errors[0].message}"
    assert list(
        validator.iter_errors({"name": "x", "contact": {"name": "a", "email": "a@b.org"}, "uid": 10001, "sit": {}})
    )
    assert list(
        validator.iter_errors(
            {
                "name": "x",
                "contact": {"name": "a", "email": "a@b.org"},
                "uid": 10001,
                "site": {"domains": ["Upper.org"], "php": "8.4"},
            }
        )
    )


@pytest.mark.parametrize("word", ["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"])
def test_schema_accepts_the_spellings_of_a_boolean_pic_check_takes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], word: str
) -> None:
    """`https: yes`, `ssh: off`: YAML 1.1's spellings, which pic check reads as true or false (docs/REGISTRY.md,
    YAML), are text to a YAML 1.2 reader, as the yaml-language-server of the files' first line reads them by
    default: the schema flagged as not a boolean a file pic check accepts."""
    members = tmp_path / "members"
    members.mkdir()
    text = (
        "name: Essai Booleens\ncontact: {name: Marie Dupont, email: marie@booleens.fr}\nuid: 10990\n"
        f'site:\n  domains: [booleens.fr]\n  php: "8.4"\n  https: {word}\n'
        f"  php_settings:\n    display_errors: {word}\naccess:\n  ssh: {word}\n"
    )
    (members / "essai-booleens.yaml").write_text(text, encoding="utf-8")
    assert main(["check", "--project", str(ROOT), "--members", str(members), "--on", "2026-11-28"]) == 0, (
        capsys.readouterr()
    )
    schema = json.loads((ROOT / "schema" / "member.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    as_yaml_1_2 = {
        "name": "Essai Booleens",
        "contact": {"name": "Marie Dupont", "email": "marie@booleens.fr"},
        "uid": 10990,
        "site": {"domains": ["booleens.fr"], "php": "8.4", "https": word, "php_settings": {"display_errors": word}},
        "access": {"ssh": word},
    }
    assert not [e.message for e in validator.iter_errors(as_yaml_1_2)]
    # another word is still no boolean, for the schema as for pic check
    assert list(validator.iter_errors({**as_yaml_1_2, "access": {"ssh": "maybe"}}))
    assert list(validator.iter_errors({**as_yaml_1_2, "access": {"ssh": "y"}}))


@pytest.mark.parametrize("blank", ["", "   ", "\n\n", " \u3000 "])
def test_schema_refuses_a_blank_free_text_as_pic_check_does(blank: str) -> None:
    """`notes: ""`, a name of spaces: pic check refuses them (is blank), the schema let an editor pass them."""
    from pic.registry import MemberSpec
    from pic.validators import check_free_text

    schema = json.loads((ROOT / "schema" / "member.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    base: dict[str, Any] = {"name": "Essai", "contact": {"name": "Marie Dupont", "email": "a@b.org"}, "uid": 10001}
    assert not list(validator.iter_errors({**base, "notes": "\n  texte\n"}))
    with pytest.raises(ValueError, match="is blank"):
        check_free_text(blank, newlines=True)
    for where in ("name", "notes", "contact.name"):
        key, _, sub = where.partition(".")
        member = {**base, key: {**base["contact"], sub: blank} if sub else blank}
        with pytest.raises(ValueError):
            MemberSpec.model_validate(member)
        assert list(validator.iter_errors(member)), (where, blank)


def test_version_is_the_installed_package_s() -> None:
    """`pic --version` did not exist (a usage error): it prints the version the package's metadata records."""
    from importlib import metadata

    proc = subprocess.run(
        [sys.executable, "-m", "pic", "--version"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"pic {metadata.version('pic')}\n", "")


def test_version_without_the_package_installed_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import metadata
    from unittest import mock

    with (
        mock.patch.object(metadata, "version", side_effect=metadata.PackageNotFoundError("pic")),
        pytest.raises(SystemExit) as stopped,
    ):
        main(["--version"])
    out = capsys.readouterr()
    assert stopped.value.code == 1 and out.out == "", out
    assert "pic: no version known: the package 'pic' is not installed" in out.err, out.err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--version"],
        ["dns", "check", "--version"],
        ["lists", "audit", str(ROOT / "tests/data/lists/clean.txt"), "--version"],
    ],
)
def test_version_after_a_command_is_named_as_pic_s_own_option(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "--version is an option of pic itself, before any command (pic --version)" in err


def test_schema_accepts_the_invisible_characters_a_script_or_an_emoji_needs() -> None:
    """The loader is the authority on free text; the schema's pattern, which editors check as a member file is
    typed, refuses none of what it accepts: joiners, a subdivision's flag, a zero width space in Khmer."""
    from tests.test_fields import EMOJI_SEQUENCES, FLAG_TAG_SEQUENCES, JOINED_NAMES, WORDS_PARTED_UNSEEN

    schema = json.loads((ROOT / "schema" / "member.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for name in [*JOINED_NAMES, *EMOJI_SEQUENCES, *FLAG_TAG_SEQUENCES, *WORDS_PARTED_UNSEEN]:
        member = {"name": name, "contact": {"name": name, "email": "a@b.org"}, "uid": 10001, "notes": name}
        assert not list(validator.iter_errors(member)), ascii(name)
    assert list(validator.iter_errors({"name": "a\u202eb", "contact": {"name": "a", "email": "a@b.org"}, "uid": 10001}))


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`pic notify --dry-run | head -1`: the output's reader closes the pipe after one line; pic stops
    quietly with the status of a command killed by SIGPIPE (141), as a shell pipeline expects."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pic", "notify", "--dry-run", "--on", "2027-01-01"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as head does after its line
    err = proc.stderr.read().decode()
    status = proc.wait(timeout=60)
    assert first.strip(), first
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert status in (0, 141), (status, err)  # 0 when everything fitted in the pipe before it closed


# --- every --on is YYYY-MM-DD, exactly -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "report", "new x-y-z --name X --email x@y.org", "plan", "notify"])
@pytest.mark.parametrize("day", ["2026-W48-1", "20261201", "2026-12-01T00:00", "2026-12-1", "２０２６-12-01", ""])
def test_on_is_a_day_written_yyyy_mm_dd_and_nothing_else(
    capsys: pytest.CaptureFixture[str], command: str, day: str
) -> None:
    """date.fromisoformat also reads week dates (2026-W48-1 is 2026-11-23), the basic format and more."""
    with pytest.raises(SystemExit) as info:
        main([*command.split(), "--on", day])
    assert info.value.code == 2
    assert f"argument --on: {day!r} is not a date written YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize(("day", "why"), [("2026-02-30", "day is out of range"), ("2026-13-01", "month must be")])
def test_on_written_so_but_no_such_day_says_so(capsys: pytest.CaptureFixture[str], day: str, why: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--on", day])
    assert info.value.code == 2
    assert f"argument --on: {day!r} is no day of the calendar ({why}" in capsys.readouterr().err


def test_on_takes_a_day_written_yyyy_mm_dd(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(capsys, "check", "--project", str(ROOT), "--on", "2026-12-01")
    assert rc == 0 and "as of 2026-12-01" in out


# --- --project is where everything is read, members/ included ---------------------------------------------


def test_members_are_read_from_the_project_not_the_current_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From another checkout (with its own members/), `--project` names the members checked, too."""
    elsewhere = write_members(tmp_path / "other" / "members", {"aaa-one": member(uid=10000)}).parent
    monkeypatch.chdir(elsewhere)
    rc, out, err = _run(capsys, "check", "--project", str(ROOT), "--on", ON)
    assert rc == 0, err
    assert "ok: 7 members" in out
    rc, out, err = _run(capsys, "report", "--project", str(ROOT), "--on", ON, "--format", "json")
    assert rc == 0 and len(json.loads(out)["members_to_contact"]) > 0, err


def test_new_writes_into_the_members_of_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "Pulumi.prod.yaml", project)
    _members_copy(project)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "members").mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    rc, _, err = _run(
        capsys, "new", "velo-lyon", "--name", "V", "--email", "v@velo-lyon.org", "--project", str(project), "--on", ON
    )
    assert rc == 0, err
    assert (project / "members" / "velo-lyon.yaml").is_file()
    assert list((elsewhere / "members").iterdir()) == []


def test_from_inside_the_project_the_error_names_the_project(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(MEMBERS)
    rc, _, err = _run(capsys, "check")
    assert rc == 1
    assert "Pulumi.prod.yaml no such stack file" in err
    assert (
        f"hint: the current directory is not the project's directory (it has no Pulumi.yaml); {ROOT} is: "
        f"run pic from {ROOT} or pass --project {ROOT}"
    ) in err
    rc, _, err = _run(capsys, "report", "--project", str(MEMBERS))
    assert rc == 1 and f"pass --project {ROOT}" in err


@pytest.mark.parametrize(
    ("stack", "meant"), [("Prod", "prod"), ("PROD", "prod"), ("prd", "prod"), ("Dev", "dev"), ("dev2", None)]
)
def test_a_stack_in_another_case_or_a_slip_of_one_says_which(
    stack: str, meant: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, _, err = _run(capsys, "check", "--stack", stack, "--project", str(ROOT))
    assert rc == 1 and f"Pulumi.{stack}.yaml no such stack file (stacks here: dev, lab, prod)" in err, err
    assert ("did you mean" not in err) if meant is None else (f"; did you mean --stack {meant}?" in err), err


def test_no_hint_outside_any_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = _run(capsys, "check", "--project", str(tmp_path))
    assert rc == 1 and "no such stack file" in err and "hint:" not in err


@pytest.mark.parametrize(
    ("project", "said"), [("nope", "no such project directory"), ("README.md", "is a regular file")]
)
def test_no_hint_for_a_project_that_is_no_directory(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, project: str, said: str
) -> None:
    """A --project mistyped from the project's own directory: the hint said to run pic from there, where it ran
    (`hint: nope is not the project's directory ...; /work/pic is: run pic from /work/pic`); the error names
    what the path is, and that is all."""
    monkeypatch.chdir(ROOT)
    rc, _, err = _run(capsys, "check", "--project", project)
    assert rc == 1 and said in err and "hint:" not in err, err


PROJECT_COMMANDS = [
    "check",
    "report",
    "new x-y-z --name X --email x@y.org",
    "plan",
    "plan --against HEAD",
    "dns check --resolver 127.0.0.1 --port 9 --timeout 0.1",
    "notify --dry-run",
    "status --resolver 127.0.0.1 --port 9 --timeout 0.1",
    "move-script amis-du-rhone --to web1",
]


@pytest.mark.parametrize("command", PROJECT_COMMANDS)
@pytest.mark.parametrize("option", ["--members", "--project"])
def test_a_members_or_project_that_is_a_file_is_said_to_be_no_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str, option: str
) -> None:
    """--members or --project naming a regular file (members.yaml given for members/): the file is named, and
    said to be no directory (was: "no such directory of member files", "no such stack file", of a file there)."""
    monkeypatch.chdir(ROOT)  # the project, for --members; git's, for --against
    given = tmp_path / "members.yaml"
    given.write_text("name: X\n", encoding="utf-8")
    argv = [*command.split(), option, str(given)]
    rc, out, err = _run(capsys, *argv)
    what = "a directory of member files" if option == "--members" else "a project directory (holding Pulumi.prod.yaml)"
    assert rc == 1, (out, err)
    assert err.splitlines()[0] == f"{given} is a regular file, not {what}", err
    # a path under that file names it
    rc, out, err = _run(capsys, *command.split(), option, str(given / "members"))
    assert rc == 1, (out, err)
    assert f": {given} is a regular file, not a directory" in err.splitlines()[0], err


@pytest.mark.parametrize("command", PROJECT_COMMANDS)
@pytest.mark.parametrize("option", ["--members", "--project"])
def test_a_members_or_project_that_is_a_loop_of_links_is_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str, option: str
) -> None:
    """--members or --project naming a link to itself: ``pic plan --project loop --against HEAD`` ended on
    Python's ``OSError: [Errno 40] Too many levels of symbolic links: 'loop'`` (a traceback), ``pic check --project
    loop`` said ``loop/Pulumi.prod.yaml cannot be read``; each says what the path is, exit 1."""
    monkeypatch.chdir(ROOT)  # the project, for --members; git's, for --against
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    rc, out, err = _run(capsys, *command.split(), option, str(loop))
    assert rc == 1, (out, err)
    assert "Traceback" not in err and "Errno" not in err, err
    what = "a directory of member files" if option == "--members" else "a project directory (holding Pulumi.prod.yaml)"
    assert err.splitlines()[0] == f"{loop} is a loop of symbolic links (or a chain of over 40), not {what}", err


def _linked_project(work: Path) -> None:
    """In ``work``: a project ``target-project`` (the stack file, a member file with one mistake) and a
    directory of member files ``target-members`` (the same mistake), each with a link to it: ``project``,
    ``members``."""
    project = work / "target-project"
    project.mkdir(parents=True)
    shutil.copy(ROOT / "Pulumi.prod.yaml", project)
    shutil.copy(ROOT / "Pulumi.yaml", project)
    for directory in (project / "members", work / "target-members"):
        write_members(directory, {"aaa-one": member(uid=10000), "bad-one": {"name": "X", "uid": 10001}})
    (work / "project").symlink_to("target-project", target_is_directory=True)
    (work / "members").symlink_to("target-members", target_is_directory=True)


@pytest.mark.parametrize("command", PROJECT_COMMANDS)
@pytest.mark.parametrize("given", ["--members", "--project", "--members absolute", "--project absolute"])
def test_a_members_or_project_given_as_a_link_is_named_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str, given: str
) -> None:
    """--members or --project naming a symbolic link (as a relative or an absolute path): the messages name the
    link as the admin typed it (from the working directory), never its target (was: target-members/bad-one.yaml,
    the name of the directory the link leads to, which the admin never wrote)."""
    option, absolute = given.split(maxsplit=1)[0], given.endswith("absolute")
    work = tmp_path / "work"
    _linked_project(work)
    monkeypatch.chdir(work)
    path = str(work / option[2:]) if absolute else option[2:]
    argv = [*command.split(), option, path]
    if option == "--members":
        argv += ["--project", "target-project"]
    rc, out, err = _run(capsys, *argv)
    assert rc == 1, (out, err)
    assert "target-members" not in err and ("target-project" not in err or option == "--members"), err
    if "--against" not in command:  # plan --against first refuses a project outside git: named as given too
        assert f"{option[2:]}/{'members/' if option == '--project' else ''}bad-one.yaml:1 contact:" in err, err


def test_a_stack_file_through_a_link_is_named_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    _linked_project(work)
    stack = work / "target-project" / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text(encoding="utf-8").replace("eol_warning_days: 365", "eol_warning_days: -3"))
    monkeypatch.chdir(work)
    rc, _, err = _run(capsys, "check", "--project", "project")
    assert rc == 1 and err.startswith("project/Pulumi.prod.yaml:15 pic:eol_warning_days: -3 is out of range"), err
    rc, _, err = _run(capsys, "plan", "--against", "HEAD", "--project", str(work / "project"))
    assert rc == 1 and "the project (project) is not in a git repository" in err, err


@pytest.mark.parametrize("option", ["--members", "--project"])
def test_a_link_to_nothing_or_to_a_file_is_said_to_be_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nowhere").symlink_to("gone")
    (tmp_path / "afile").write_text("name: X\n", encoding="utf-8")
    (tmp_path / "tofile").symlink_to("afile")
    what = "directory of member files" if option == "--members" else "project directory (holding Pulumi.prod.yaml)"
    rc, _, err = _run(capsys, "check", "--project", str(ROOT), option, "nowhere")
    assert rc == 1 and err.startswith(f"nowhere no such {what}: a link to gone, which does not exist\n"), err
    rc, _, err = _run(capsys, "check", "--project", str(ROOT), option, "tofile")
    assert rc == 1 and err.startswith(f"tofile is a regular file, not a {what}: a link to afile\n"), err


def test_a_file_name_with_a_newline_is_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = tmp_path / "my\nmembers"
    rc, _, err = _run(capsys, "check", "--project", str(ROOT), "--members", str(members))
    assert rc == 1
    assert err.splitlines()[0] == f"{tmp_path}/my\\x0amembers no such directory of member files", err


# --- the output: unwritable, closed, or unable to encode a character -------------------------------------


def _shell(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command, "sh", sys.executable],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    "argv",
    [
        "check --on 2027-01-01",
        "report --on 2027-01-01",
        "schema",
        "--help",
        "lists audit tests/data/lists/bureau.dump",
        "notify --dry-run --on 2027-01-01",
    ],
)
def test_an_output_that_cannot_be_written_is_one_line_and_exit_74(argv: str) -> None:
    proc = _shell(f'"$1" -m pic {argv} >/dev/full')
    assert proc.returncode == 74, proc
    assert proc.stderr.splitlines()[-1] == "pic: cannot write the standard output (No space left on device)", proc
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


@pytest.mark.parametrize("argv", ["check", "schema", "notify --dry-run"])
def test_a_closed_output_is_refused_before_anything_is_done(argv: str) -> None:
    proc = _shell(f'exec "$1" -m pic {argv} >&-')
    assert proc.returncode == 74, proc
    assert proc.stderr == "pic: the standard output is closed: nothing done (redirect it to a file or /dev/null)\n"


@pytest.mark.parametrize("stderr", ["2>&-", "2>/dev/full"])
@pytest.mark.parametrize("argv", ["check --project /nonexistent", "check --on 2027-01-01", "check --bogus"])
def test_a_closed_standard_error_is_one_that_cannot_be_written(stderr: str, argv: str) -> None:
    """A closed standard error (``2>&-``) exited with the command's status (1, 0, the usage error's 2), its messages
    lost, where one that cannot be written (``2>/dev/full``) exits 74: both exit 74 when there is something to tell
    there, never a traceback, nothing on the standard output."""
    proc = _shell(f'exec "$1" -m pic {argv} {stderr}')
    assert (proc.returncode, proc.stdout) == (74, ""), proc


@pytest.mark.parametrize("stderr", ["2>&-", "2>/dev/full"])
def test_a_closed_standard_error_with_nothing_to_tell_there_is_no_failure(stderr: str) -> None:
    proc = _shell(f'exec "$1" -m pic schema {stderr}')
    assert proc.returncode == 0 and proc.stdout.startswith("{"), proc


# A command Ctrl-C stops (its main raises KeyboardInterrupt, as Python's SIGINT handler makes it)
_INTERRUPTED_COMMAND = """
import pic.cli
def interrupted(argv=None):
    raise KeyboardInterrupt
pic.cli.main = interrupted
pic.cli.run_command()
"""


@pytest.mark.parametrize("stderr", ["", "2>&-", "2>/dev/full"])
def test_ctrl_c_ends_the_command_with_status_130_whatever_its_standard_error(stderr: str) -> None:
    """README: Ctrl-C ends pic with status 130 and ``pic: interrupted``, nothing on the standard output. With a
    standard error that cannot be written (``2>/dev/full``), the line's OSError ended it with status 1 instead."""
    proc = _shell(f"exec \"$1\" -c '{_INTERRUPTED_COMMAND}' {stderr}")
    assert (proc.returncode, proc.stdout) == (130, ""), proc
    assert proc.stderr == ("" if stderr else "pic: interrupted\n"), proc


def test_characters_the_output_cannot_encode_are_escaped(tmp_path: Path) -> None:
    """PYTHONIOENCODING=ascii (or the C locale): accented names are written as \\xe9, not a traceback."""
    proc = _shell('"$1" -m pic notify --dry-run --on 2027-01-01', env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Jardins Partag\\xe9s" in proc.stdout
    members = write_members(tmp_path / "m", {"aaa-one": member(uid=10000, name="Café")})
    proc = _shell(f'"$1" -m pic report --members {members}', env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr


def _unprivileged(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """``python -m pic argv`` without root's right to read and search any directory (as an admin's account)."""
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "setpriv (util-linux) is needed: root reads any directory otherwise"
    drop = [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*drop, sys.executable, "-m", "pic", *argv], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("mode", "locked", "command", "said"),
    [
        (0o300, "members", "check", "members cannot be read: Permission denied"),
        (0o300, "members", "report", "members cannot be read: Permission denied"),
        (0o300, "members", "new", "members cannot be read: Permission denied"),
        (0o600, "", "check", "members cannot be read: Permission denied"),  # the directory above cannot be searched
        (0o600, "", "new", "members cannot be read: Permission denied"),
        (0o555, "members", "new", "members/velo-lyon.yaml cannot be written: Permission denied"),
    ],
)
def test_a_directory_of_member_files_that_cannot_be_read_or_written_is_named_not_a_traceback(
    tmp_path: Path, mode: int, locked: str, command: str, said: str
) -> None:
    top = tmp_path / "top"
    top.mkdir()
    members = _members_copy(top)
    argv = [command, "--project", str(ROOT), "--members", str(members), "--on", ON]
    if command == "new":
        argv += ["velo-lyon", "--name", "Vélo Lyon", "--email", "contact@velo-lyon.org"]
    (top / locked).chmod(mode)
    try:
        done = _unprivileged(argv)
    finally:
        (top / locked).chmod(0o755)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done
    assert f"{top}/{said}" in done.stderr, done.stderr
    assert not (members / "velo-lyon.yaml").exists()


def test_a_project_directory_that_cannot_be_searched_is_not_said_to_have_no_stack_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "Pulumi.prod.yaml", project / "Pulumi.prod.yaml")
    project.chmod(0o600)
    try:
        done = _unprivileged(["check", "--project", str(project), "--members", str(MEMBERS), "--on", ON])
    finally:
        project.chmod(0o755)
    assert done.returncode == 1, done
    assert f"{project}/Pulumi.prod.yaml cannot be read: Permission denied" in done.stderr, done.stderr


@pytest.mark.parametrize("made", ["dangling link", "link to a member", "directory"])
def test_new_names_what_stands_at_the_file_when_it_is_no_member_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], made: str
) -> None:
    """A link or a directory at members/SLUG.yaml was said to be a member that "exists already; edit its file"
    (a link to nothing, which pic check does not read either, had no file to edit)."""
    members = _members_copy(tmp_path)
    path = members / "velo-lyon.yaml"
    if made == "directory":
        path.mkdir()
    else:
        path.symlink_to("nothing.yaml" if made == "dangling link" else "velo-cite.yaml")
    rc, out, err = _run(
        capsys, "new", "velo-lyon", "--name", "Vélo Lyon", "--email", "contact@velo-lyon.org",
        "--project", str(ROOT), "--members", str(members), "--on", ON,
    )  # fmt: skip
    kind = "a directory" if made == "directory" else "a symbolic link"
    assert rc == 1 and f"{path} is {kind}, not a regular file: no member file" in err, (out, err)
    assert "exists already" not in err and "move it away first" in err, err
    assert path.is_dir() if made == "directory" else path.is_symlink()


def test_new_stopped_while_writing_leaves_no_member_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C between the file's creation and its last byte left an empty or cut
    file: the next pic new said "member 'velo-lyon' exists already", pic check that it was empty."""
    members = _members_copy(tmp_path)

    def write(fd: int, data: bytes) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("pic.newmember.os.write", write)
    with pytest.raises(KeyboardInterrupt):  # the command's entry point says "pic: interrupted" (130)
        main(
            ["new", "velo-lyon", "--name", "Vélo Lyon", "--email", "contact@velo-lyon.org",
             "--project", str(ROOT), "--members", str(members), "--on", ON]
        )  # fmt: skip
    assert not (members / "velo-lyon.yaml").exists()
    assert sorted(p.name for p in members.iterdir()) == sorted(p.name for p in MEMBERS.iterdir())


def test_new_leaves_no_part_of_a_member_file_it_could_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk: the file is removed rather than left cut off, to be read as a member by the next command."""
    members = _members_copy(tmp_path)
    written: list[bytes] = []

    def write(fd: int, data: bytes) -> int:
        if written:
            raise OSError(28, "No space left on device")
        written.append(bytes(data[:40]))
        return os.write(fd, data[:40])

    monkeypatch.setattr("pic.newmember.os.write", write)
    rc, out, err = _run(
        capsys, "new", "velo-lyon", "--name", "Vélo Lyon", "--email", "contact@velo-lyon.org",
        "--project", str(ROOT), "--members", str(members), "--on", ON,
    )  # fmt: skip
    assert rc == 1 and written, (out, err)
    assert f"{members}/velo-lyon.yaml cannot be written: No space left on device; nothing is left of it" in err
    assert not (members / "velo-lyon.yaml").exists()


def _commands() -> list[str]:
    """Every command of ``pic`` as typed (``dns check``), from the parser itself."""
    import argparse

    from pic.cli import _parser

    def names(parser: argparse.ArgumentParser, prefix: str) -> list[str]:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            return [prefix]
        return [n for name, p in subs[0].choices.items() for n in names(p, f"{prefix} {name}".strip())]

    return names(_parser(), "")


def test_the_docs_name_every_command() -> None:
    """The README's table of commands and the architecture's layers list each command (the layers named four
    of ten: check, report, plan, new)."""
    commands = _commands()
    assert "move-script" in commands and "dns check" in commands, commands
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| command | what it does |") :].split("\n\n", 1)[0]
    assert not [c for c in commands if f"`pic {c}" not in table], table
    architecture = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    layer = architecture[architecture.index("pic CLI") :].split("policy pack", 1)[0]
    assert not [c for c in commands if c not in " ".join(layer.split())], layer


def _readme_rows() -> dict[str, list[str]]:
    """README's table of commands: each row's cells after the first, by the command its first cell names
    (``| `pic dns check [--resolver ADDR]...` |``: ``dns check``)."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| command | what it does |") :].split("\n\n", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        words = re.match(r"`pic ((?:[a-z-]+ ?)+)", cells[0])
        assert words is not None, line
        rows[words.group(1).strip()] = cells[1:]
    return rows


def test_the_readme_table_says_what_each_commands_help_says() -> None:
    """Every command's --help said neither what the command does nor its exit statuses, which README's table said
    alone: both now come from pic.commands.about, and README's row of each command holds the same words."""
    from pic.commands.about import COMMANDS, GROUPS

    commands = _commands()
    assert sorted(COMMANDS) == sorted(commands), commands
    assert sorted(GROUPS) == sorted({c.split()[0] for c in commands if " " in c})
    rows = _readme_rows()
    assert sorted(rows) == sorted(commands), rows
    for name, about in COMMANDS.items():
        expected = "| " + " | ".join(about.readme_cells()) + " |"
        assert rows[name] == list(about.readme_cells()), f"README's row of pic {name} should end with:\n{expected}"


def test_the_readme_sections_the_commands_point_to_exist() -> None:
    """A link of a command's text (``see [Mailing lists](#mailing-lists)``) leads to a heading of README.md, and
    --help names that heading."""
    import re

    from pic.commands.about import COMMANDS, plain

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # GitHub's anchor of a heading: lowercase, punctuation but '-' dropped, each space a '-'
    anchors = {
        re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-"): h
        for h in re.findall(r"^#+ (.+)$", readme, flags=re.MULTILINE)
    }
    links = [
        (name, text, anchor)
        for name, about in COMMANDS.items()
        for cell in about.readme_cells()
        for text, anchor in re.findall(r"\[([^\]]+)\]\(#([^)]+)\)", cell)
    ]
    assert len(links) >= 5, links
    for name, text, anchor in links:
        assert anchor in anchors, (name, anchor)
        assert anchors[anchor].replace("`", "").startswith(text), (name, text, anchors[anchor])
        shown = plain(" ".join(COMMANDS[name].readme_cells()))
        assert f'README.md "{text}"' in shown and "](#" not in shown and "`" not in shown, shown


HELP_COMMANDS = [
    [],
    ["check"],
    ["report"],
    ["new"],
    ["schema"],
    ["plan"],
    ["dns"],
    ["dns", "check"],
    ["lists"],
    ["lists", "audit"],
    ["notify"],
    ["status"],
    ["move-script"],
]


@pytest.mark.parametrize("command", HELP_COMMANDS, ids=lambda c: " ".join(c) or "pic")
def test_every_help_says_what_the_command_does_and_its_exit_statuses(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """``pic COMMAND --help`` gave the usage and the options alone: it says what the command does, in one paragraph,
    then each exit status on a line of its own (those of every command too: 74, 130, 141), in 80 columns; ``pic
    --help`` says the statuses in general terms, and which commands have statuses of their own."""
    from pic.commands.about import COMMANDS, EVERY_COMMAND, GROUPS, plain

    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80, out
    statuses = [line.split()[0] for line in out[out.index("\nexit status") + 1 :].splitlines()[1:] if line[2:3].strip()]
    every = [str(status) for status, _ in EVERY_COMMAND]
    name = " ".join(command)
    about = COMMANDS.get(name) or GROUPS.get(name)
    if about is None:  # pic --help
        assert statuses == ["0", "1", "2", "3", "4", *every], out
        assert "3    see the --help of pic notify, pic status, pic plan\n" in out, out
        assert "4    see the --help of pic status, pic plan\n" in out, out
        return
    assert statuses == [*(str(status) for status, _ in about.exits), *every], out
    paragraph = out.split("\n\n")[1]
    assert " ".join(paragraph.split()) == about.description(), paragraph
    assert about.description() == plain(about.readme_cells()[0])[:1].upper() + plain(about.readme_cells()[0])[1:] + "."
    joined = " ".join(out[out.index("\nexit status") :].split())
    for status, meaning in about.exits:
        assert f" {status} {plain(meaning)}" in joined, joined


def test_the_command_ends_with_all_its_output_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``pic`` run by the shell (run_command): what it writes to a pipe and to a file, the report larger than a
    pipe's buffer, arrives whole, its warnings too, and the status is the command's, as main() gives them in
    this process; an invalid registry too."""
    from pic.settings import load_settings
    from tests.generated_registry import generate

    members = tmp_path / "members"
    generate(members, 1000, load_settings(ROOT, "prod"), dt.date.fromisoformat(ON))
    # as an admin's shell runs it: the standard output buffered (a file's by blocks)
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}, "PYTHONPATH": str(ROOT)}

    def same_as_main(*argv: str, status: int) -> str:
        full = [*argv, "--project", str(ROOT), "--members", str(members), "--on", ON]
        rc, out, err = _run(capsys, *full)
        assert rc == status
        piped = subprocess.run(
            [sys.executable, "-m", "pic", *full], cwd=ROOT, capture_output=True, text=True, check=False, env=env
        )
        assert (piped.returncode, piped.stdout, piped.stderr) == (status, out, err)
        written = tmp_path / "out"
        with written.open("w") as stdout:
            proc = subprocess.run([sys.executable, "-m", "pic", *full], cwd=ROOT, stdout=stdout, check=False, env=env)
        assert proc.returncode == status and written.read_text() == out
        return out + err

    report = same_as_main("report", "--format", "json", status=0)
    assert len(report.encode()) > 65536 and json.loads(report)["stack"] == "prod"  # more than a pipe holds, whole
    assert same_as_main("check", status=0).startswith("ok: 1000 members")  # and warnings, as main() gives them
    invalid = members / "asso-00001.yaml"
    invalid.write_text(invalid.read_text(encoding="utf-8").replace("uid:", "uidd: 1\nuid:"), encoding="utf-8")
    assert same_as_main("check", status=1).endswith("invalid: 1 error\n")


# --- a file name that is not UTF-8: its bytes shown as ls shows them, \xff ---------------------------------------


def test_a_file_name_s_newline_is_escaped_in_every_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """pic report's warnings of its --record (one that does not exist, an entry dated after today), pic dns
    check's of its --expected and the refusal of a --record in the members directory wrote a newline of the file's
    name as is, the message on two lines, where every other message writes \\x0a."""
    record = tmp_path / "notices\nold.yaml"
    record.write_text(
        "sent:\n"
        "  - {date: 2099-01-01, member: velo-cite, runtime: '8.2', to: x@velo-cite.example.org, state: warning}\n",
        encoding="utf-8",
    )
    expected = tmp_path / "records\nold.json"
    expected.write_text('{"listes.gone.example.net": [{"name": "a", "type": "TXT", "value": "v=spf1 -all"}]}')
    common = ["--project", str(ROOT), "--members", str(MEMBERS)]
    runs: list[tuple[list[str], str]] = [
        (["report", *common, "--record", str(tmp_path / "told\nnone.yaml")], "told\\x0anone.yaml does not exist"),
        (["report", *common, "--record", str(record)], "notices\\x0aold.yaml:2 sent[0].date: 2099-01-01 is after"),
        (
            ["dns", "check", *common, "--expected", str(expected), "--resolver", "127.0.0.1", "--port", "9"],
            "records\\x0aold.json:1 listes.gone.example.net: is not a list domain",
        ),
    ]
    inside = MEMBERS / "x\ny.yaml"  # a record refused, in the members directory: named on its line too
    for command in ("report", "notify"):
        runs.append(([command, *common, "--record", str(inside)], "x\\x0ay.yaml is inside the members directory"))
    for argv, said in runs:
        main([*argv, *(["--timeout", "0.1"] if argv[0] == "dns" else [])])
        err = capsys.readouterr().err
        assert said in err, (argv, err)
        starts = ("warning: ", "resolver ", "invalid", "pic report: error: ", "pic notify: error: ")
        assert all(line.startswith(starts) for line in err.splitlines()), (argv, err)
    assert not inside.exists()


def test_a_file_name_that_is_not_utf8_is_shown_with_its_bytes_in_every_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A byte of a file name that is not UTF-8 (0xff) was shown as Python holds it, \\udcff: every message, an
    argparse error as a finding, and every command, now shows it as the byte, \\xff, as `os.fsencode` and
    `backslashreplace` write it; a JSON output keeps a JSON escape a reader gives back as the name."""
    odd = os.fsdecode(b"caf\xff")
    shown = "caf\\xff"
    export = tmp_path / f"{odd}.txt"
    export.write_text("not an address\n", encoding="utf-8")
    disk = tmp_path / f"{odd}-disk"
    disk.mkdir()
    (disk / "web1.tsv").write_text("x y\n", encoding="utf-8")
    members = write_members(tmp_path / f"{odd}-members", {"aaa-one": member(uid=10000)})
    (members / f"{odd}.yaml").write_text("name: x\n", encoding="utf-8")
    runs: list[tuple[list[str], str]] = [
        (["lists", "audit", str(export)], f"{tmp_path}/{shown}.txt:1 not an address: malformed address"),
        (["lists", "audit", str(tmp_path / f"{odd}.none")], f"argument FILE: '{tmp_path}/{shown}.none' cannot be read"),
        (["report", "--record", str(disk)], f"argument --record: '{tmp_path}/{shown}-disk' is a directory"),
        (["report", "--disk-usage", str(disk)], f"{tmp_path}/{shown}-disk/web1.tsv:1 "),
        (["check", "--members", str(members)], f'{tmp_path}/{shown}-members/{shown}.yaml file name "{shown}" is not'),
        (["check", "--members", str(export)], f"{tmp_path}/{shown}.txt is a regular file, not a directory"),
    ]
    for argv, said in runs:
        with contextlib.suppress(SystemExit):  # a usage error
            main(argv)
        out = capsys.readouterr()
        text = out.out + out.err
        assert said in text, (argv, text)
        assert "\\udc" not in text and "\udcff" not in text, (argv, text)
    (disk / "web1.tsv").unlink()
    header = f"# pic disk usage of web1 at {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n"
    (disk / f"{odd}.tsv").write_text(f"{header}ghost-member\t1\t2\t3\n", encoding="utf-8")
    assert main(["report", "--format", "json", "--disk-usage", str(disk)]) == 0
    printed = capsys.readouterr().out
    assert "\\xff" not in printed, printed  # no JSON escape
    warnings = json.loads(printed)["disk_usage_warnings"]
    assert [w.split(":")[1] for w in warnings] == [f" {tmp_path}/{odd}-disk/{odd}.tsv"], warnings


def test_pic_new_whose_output_cannot_be_written_keeps_no_file(tmp_path: Path) -> None:
    """`pic new ... >/dev/full` wrote the member file, then exited 74: the admin, told the run failed, ran it
    again and was refused (the slug taken by the file of the run said failed). The file it created is now
    removed when what it says cannot be written: pic new exits 0 with its file, or leaves none; a file that was
    there before the run is never touched."""
    members = write_members(tmp_path / "members", {"aaa-one": member(uid=10000)})
    before = (members / "aaa-one.yaml").read_bytes()
    new = f'"$1" -m pic new velo-lyon --name "Velo Lyon" --email contact@velo-lyon.org --members {members}'
    proc = _shell(f"{new} >/dev/full")
    assert proc.returncode == 74, proc
    assert not (members / "velo-lyon.yaml").exists(), proc
    assert f"{members}/velo-lyon.yaml: removed: pic new could not say it wrote it; run it again" in proc.stderr
    assert proc.stderr.splitlines()[-1] == "pic: cannot write the standard output (No space left on device)", proc
    proc = _shell(new.replace("velo-lyon", "aaa-one") + " >/dev/full")  # refused: the file there stays
    assert proc.returncode == 1 and (members / "aaa-one.yaml").read_bytes() == before, proc
    proc = _shell(new)
    assert proc.returncode == 0 and (members / "velo-lyon.yaml").is_file(), proc


def test_pic_new_takes_back_only_the_file_it_created(tmp_path: Path) -> None:
    from pic import newmember

    path = tmp_path / "velo-lyon.yaml"
    written = newmember._write_new(path, "name: x\n")
    path.rename(tmp_path / "moved.yaml")
    path.write_text("name: another\n", encoding="utf-8")  # put there since, under the same name
    assert newmember._remove_if_same(path, written) is False and path.read_text() == "name: another\n"
    path.unlink()
    written = newmember._write_new(path, "name: x\n")
    assert newmember._remove_if_same(path, written) is True and not path.exists()


@pytest.mark.parametrize(
    ("argv", "secret"),
    [
        (["new", "Velo75Paris", "--name", "X", "--email", "x@y.org"], "velo75paris"),
        (["new", "Lilas2024X", "--name", "X", "--email", "x@y.org"], "lilas2024x"),
    ],
)
def test_a_hidden_argument_is_not_offered_back_in_another_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], secret: str
) -> None:
    """pic new Velo75Paris was told "the value (not shown: it may be a secret) is not a valid slug ...; did you mean
    'velo75paris'?": the value hidden, then printed back in small letters. A hidden argument is hidden in any case."""
    members = _members_copy(tmp_path)
    rc, _, err = _run(capsys, *argv, "--project", str(ROOT), "--members", str(members))
    assert rc == 1 and "not shown" in err, err
    assert secret not in err.lower(), err
    # nor offered as a value not shown: "did you mean the value (not shown: it may be a secret)?" offers nothing
    assert "did you mean the value" not in err, err
    assert err.startswith(
        "<command line> SLUG: the value (not shown: it may be a secret) is not a valid slug: 3 to 32 characters, "
        "lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen\n"
    ), err


@pytest.mark.parametrize("secret", ["velo75paris", "soleil12azur"])
def test_a_database_charset_of_no_database_in_a_password_s_shape_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], secret: str
) -> None:
    """`database_charsets: {velo75paris: utf8mb4}` was told `database_charsets.velo75paris: "velo75paris" is not one
    of the member's databases`: a short name no database has, in a password's shape (words around a number), is
    neither the field's key nor the value shown."""
    members = _members_copy(tmp_path)
    path = members / "amis-du-rhone.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"database_charsets: {{{secret}: utf8mb4}}\n", encoding="utf-8")
    rc, _, err = _run(capsys, "check", "--project", str(ROOT), "--members", str(members), "--on", ON)
    said = "database_charsets.(a key not shown): the value (not shown: it may be a secret) is not one of the member's"
    assert rc == 1 and said in err, err
    assert secret not in err.lower(), err


@pytest.mark.parametrize("secret", ["Lilas2024x", "Soleil-Azur-75", "0xCafe1234", "velo75paris", "LILAS2024X"])
@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--members", "SECRET"], "<command line> --members: the value (not shown: it may be a secret) "),
        (["report", "--members", "DIR/SECRET/m"], "<command line> --members: the value (not shown: it may be a"),
        (["check", "--project", "DIR/SECRET"], "<command line> --project: the value (not shown: it may be a secret) "),
        (["plan", "--project", "DIR/SECRET"], "<command line> --project: the value (not shown: it may be a secret) "),
    ],
)
def test_a_path_option_naming_nothing_in_a_password_s_shape_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], secret: str, argv: list[str], said: str
) -> None:
    """`--members Lilas2024x` (no such directory) was told `Lilas2024x no such directory of member files`: a path of
    the command line that names nothing, a part of it in a password's shape, is told at its option, not shown."""
    members = ["--members", str(MEMBERS)] if "--members" not in argv else []
    project = ["--project", str(ROOT)] if "--project" not in argv else []
    args = [a.replace("DIR", str(tmp_path)).replace("SECRET", secret) for a in argv]
    rc, _, err = _run(capsys, *args, *members, *project)
    assert rc == 1 and said in err, err
    assert "names no " in err and secret not in err, err


def test_a_path_option_naming_nothing_is_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = _run(capsys, "check", "--project", str(ROOT), "--members", str(tmp_path / "Asso-Case2024.org"))
    assert rc == 1 and f"{tmp_path}/Asso-Case2024.org no such directory of member files" in err, err
