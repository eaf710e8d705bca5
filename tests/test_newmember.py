"""An address refused for a quote character says so, not that it lacks an @-sign: `pic new --email`, member
files, stack settings."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pic.cli import main
from tests.conftest import MEMBERS, ROOT


@pytest.mark.parametrize(
    "email",
    [
        'x"y@b.org',  # email_validator: "An email address must have an @-sign."
        '"x@b.org',
        'x"@b.org',
        '"a@b"',
        '""@b.org',  # "There must be something before the @-sign."
        '"x y"@b.org',  # "Quoting the part before the @-sign is not allowed here."
        'a"b"c@b.org',
        'Jean <x"y@b.org>',
        '"Jean" <x@b.org>',
    ],
)
def test_a_quote_in_the_address_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str], email: str) -> None:
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    rc = main(["new", "t-two", "--name", "X", "--email", email, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 1 and not (members / "t-two.yaml").exists()
    assert "<command line> --email: " in err and "is not a valid e-mail address: it holds a quote character" in err
    assert "@-sign" not in err, err
    assert err.endswith("invalid: 1 error\n")


@pytest.mark.parametrize("where", ["contact.email", "the stack's pic:admin_email"])
def test_a_quote_is_named_in_member_files_and_settings_too(tmp_path: Path, where: str) -> None:
    from pic.check import check
    from pic.errors import PicError

    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    project = tmp_path / "project"
    project.mkdir()
    stack = (ROOT / "Pulumi.prod.yaml").read_text()
    if where == "contact.email":
        path = members / "velo-cite.yaml"
        text = path.read_text()
        email = next(line.split("email:")[1].strip() for line in text.splitlines() if "email:" in line)
        path.write_text(text.replace(email, "'x\"y@velo-cite-lyon.fr'", 1))
    else:
        stack = stack.replace("pic:admin_email: admin@example.org", "pic:admin_email: 'x\"y@example.org'")
    (project / "Pulumi.prod.yaml").write_text(stack)
    with pytest.raises(PicError) as refused:
        check(project, "prod", members, dt.date(2026, 11, 28))
    messages = [p.message for p in refused.value.problems]
    assert any("holds a quote character" in m for m in messages), messages
    assert not any("@-sign" in m for m in messages), messages


def test_an_address_without_quotes_still_gets_the_library_s_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    rc = main(["new", "t-two", "--name", "X", "--email", "x@@b.org", "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 1 and "The part after the @-sign contains invalid characters: '@'" in err
