"""pic new: an address refused for a quote character says so, not that it lacks an @-sign (`pic new --email`,
member files, stack settings); the slug of a member of the history is refused, with the commit that removed
it and how to bring the same association back; the arguments are checked before any file is looked at."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

from pic import newmember
from pic.cli import main
from pic.errors import PicError
from pic.validators import SLUG_WORDS
from tests.conftest import MEMBERS, ROOT, require_program
from tests.helpers import member, write_members
from tests.test_plan import git


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


# --- the slug of a member of the history ---------------------------------------------------------------


def new(members: Path, slug: str, email: str = "n@example.org") -> int:
    """``pic new SLUG --name Nouvelle --email EMAIL`` on ``members`` with the example stack (newmember.run)."""
    return newmember.run(
        project=ROOT,
        stack="prod",
        members=members,
        slug=slug,
        name="Nouvelle",
        email=email,
        domains=[],
        on=dt.date(2026, 11, 28),
    )


def refusal(members: Path, slug: str) -> str:
    with pytest.raises(PicError) as refused:
        new(members, slug)
    assert not (members / f"{slug}.yaml").exists()
    (problem,) = refused.value.problems
    assert (problem.file, problem.path) == ("<command line>", "SLUG"), problem
    return problem.message


def restore(message: str, where: Path) -> None:
    """Run the command the message ends with, as the admin would, with a shell in ``where`` (anywhere)."""
    command = message.rsplit("keeps its uid: ", 1)[1]
    assert command.startswith("git -C "), message
    where.mkdir(exist_ok=True)
    subprocess.run(["sh", "-c", command], cwd=where, check=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose member restante (10100) stays and ancienne (10800) was removed."""
    require_program("git")
    repo = tmp_path / "repo"
    write_members(repo / "members", {"restante": member(uid=10100), "ancienne": member(uid=10800, name="Ancienne")})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two members")
    (repo / "members" / "ancienne.yaml").unlink()
    git(repo, "commit", "-qam", "ancienne leaves")
    return repo


def test_new_refuses_the_slug_of_a_removed_member(repo: Path) -> None:
    """Its account and space stay on the hosts with its uid: the slug with a new uid stops there, and a new
    association given it would get the removed member's files."""
    members = repo / "members"
    before = git(repo, "show", "HEAD~1:members/ancienne.yaml")
    message = refusal(members, "ancienne")
    commit = git(repo, "rev-parse", "HEAD").strip()
    assert message.startswith(f"'ancienne' is the slug of a member removed by commit {commit[:10]} ("), message
    assert '"ancienne leaves") with uid 10800: ' in message and "choose another slug" in message, message
    command = (
        f"git -C {repo} --git-dir=.git --work-tree=. restore --source='{commit}^' --worktree -- members/ancienne.yaml"
    )
    assert message.endswith(f"keeps its uid: {command}"), message
    restore(message, repo.parent / "elsewhere")  # the same association coming back: its file, with its uid
    assert (members / "ancienne.yaml").read_text() == before
    assert new(members, "nouvelle") == 0
    assert yaml.safe_load((members / "nouvelle.yaml").read_text())["uid"] == 10801


def test_new_refuses_the_slug_of_a_member_removed_in_a_merge(repo: Path) -> None:
    """Removed by the resolution of a merge: the version restored is the one of the parent that held it."""
    members = repo / "members"
    git(repo, "checkout", "-qb", "branch", "HEAD~1")
    write_members(members, {"ancienne": member(uid=10800, name="Ancienne", notes="the newest version")})
    git(repo, "commit", "-qam", "ancienne, newer")
    git(repo, "checkout", "-q", "main")
    subprocess.run(["git", "merge", "-q", "branch"], cwd=repo, capture_output=True, check=False)  # a conflict
    git(repo, "rm", "-q", "members/ancienne.yaml")
    git(repo, "commit", "-qm", "merge: ancienne leaves for good")
    message = refusal(members, "ancienne")
    commit = git(repo, "rev-parse", "HEAD").strip()
    assert f"removed by commit {commit[:10]} (" in message, message
    assert f"restore --source='{commit}^2' --worktree -- members/ancienne.yaml" in message, message
    restore(message, repo)
    assert yaml.safe_load((members / "ancienne.yaml").read_text())["notes"] == "the newest version"


def test_new_refuses_a_slug_of_another_branch(repo: Path) -> None:
    """A member added on another branch (or in a commit the working tree is not at) has its slug already."""
    members = repo / "members"
    git(repo, "checkout", "-qb", "autre-branche")
    write_members(members, {"autre": member(uid=10700)})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "autre arrives")
    commit = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "main")
    message = refusal(members, "autre")
    assert message.startswith(f"'autre' is the slug of a member file of commit {commit[:10]} ("), message
    assert "with uid 10700, not in the working tree" in message, message
    command = f"git -C {repo} --git-dir=.git --work-tree=. restore --source={commit} --worktree -- members/autre.yaml"
    assert message.endswith(command), message


def test_the_restore_command_works_from_any_directory(repo: Path, tmp_path: Path) -> None:
    """--project and --members elsewhere than the current directory: the command printed, run as given from
    another directory, puts the file back (it said "not a git repository", and the shell had written an
    empty members/ancienne.yaml there), and pic check passes."""
    from pic.check import check

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "members").mkdir()
    message = refusal(repo / "members", "ancienne")
    restore(message, elsewhere)
    assert list((elsewhere / "members").iterdir()) == []
    assert yaml.safe_load((repo / "members" / "ancienne.yaml").read_text())["uid"] == 10800
    assert {m.slug for m in check(ROOT, "prod", repo / "members", dt.date(2026, 11, 28)).registry} == {
        "ancienne",
        "restante",
    }


def test_a_restore_command_that_fails_writes_nothing(repo: Path, tmp_path: Path) -> None:
    message = refusal(repo / "members", "ancienne")
    shutil.rmtree(repo / ".git")  # git cannot read the revision any more
    command = message.rsplit("keeps its uid: ", 1)[1]
    proc = subprocess.run(["sh", "-c", command], cwd=tmp_path, capture_output=True, check=False)
    assert proc.returncode != 0
    assert not (repo / "members" / "ancienne.yaml").exists() and not (tmp_path / "members").exists()


def test_new_names_a_slug_whose_file_was_renamed(repo: Path) -> None:
    """git mv amis-du-rhone.yaml amis-rhone.yaml: the slug is refused as the old name of a member that still
    holds its uid, with no command that would make a second member of it."""
    git(repo, "mv", "members/restante.yaml", "members/toujours.yaml")
    git(repo, "commit", "-qm", "restante is called toujours")
    commit = git(repo, "rev-parse", "HEAD").strip()
    message = refusal(repo / "members", "restante")
    assert message.startswith(
        f"'restante' is the slug of a member file renamed to toujours by commit {commit[:10]} ("
    ), message
    assert '"restante is called toujours"); that member holds uid 10100: ' in message, message
    assert "git " not in message and "removed by" not in message, message
    assert message.endswith(
        "choose another slug (the association is still a member, as toujours: its old file is not to be restored)"
    )


# --- the arguments first ---------------------------------------------------------------------------------


def test_new_warns_of_a_member_of_the_same_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The association is there already, archived (its files, databases and uid kept): pic new wrote a second
    file for it without a word. It still writes it (two associations may share a name), and says so."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    argv = ["new", "amicale-ainay", "--name", "AMICALE LAIQUE D AINAY", "--email", "a@example.net"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 0 and (members / "amicale-ainay.yaml").exists(), err
    assert err.startswith(
        f'warning: <command line> --name: "AMICALE LAIQUE D AINAY" is also the name of '
        f'{members}/amicale-laique-ainay.yaml:2 ("Amicale Laïque d\'Ainay") (archived: make it active again '
        "rather than add it anew): the same association twice?"
    ), err


def test_new_warns_of_an_email_with_letters_beyond_ascii_before_the_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--email élodie@café.fr: written, with pic check's warning (SMTPUTF8, RFC 6531) said as of the option; a
    domain alone in Unicode is sent in punycode and is said nothing of."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    argv = ["new", "velocite", "--name", "Vélo-Cité", "--email", "élodie@café.fr"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 0 and (members / "velocite.yaml").exists(), err
    assert err.startswith(
        'warning: <command line> --email: "élodie@café.fr" has letters outside ASCII before the @ (an '
        "internationalised address, RFC 6531)"
    ), err
    assert "(e.g. elodie@café.fr, if it is theirs)" in err, err
    argv = ["new", "cafe", "--name", "Café", "--email", "marie@café.fr"]
    assert main([*argv, "--project", str(ROOT), "--members", str(members)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_new_warns_of_an_email_at_a_documentation_domain_on_a_public_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--email jean@example.org on the prod stack (a public CA): written without a word, though pic check then warns
    of it (its mail reaches IANA); said as of the option, as pic check says it."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    argv = ["new", "velocite", "--name", "Vélo-Cité", "--email", "jean@mail.example.org"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 0 and (members / "velocite.yaml").exists(), err
    said = [line for line in err.splitlines() if "IANA" in line]
    assert len(said) == 1 and said[0].startswith(
        "warning: <command line> --email: 'jean@mail.example.org' is at mail.example.org, under example.org, a name "
        "IANA holds for documentation"
    ), err
    argv = ["new", "cafe", "--name", "Café", "--email", "marie@example-asso.fr"]
    assert main([*argv, "--project", str(ROOT), "--members", str(members)]) == 0
    assert "IANA" not in capsys.readouterr().err


def test_new_warns_of_a_word_of_the_name_mixing_scripts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--name "Vélо-Cité Lyon" with a Cyrillic o (U+043E): a word mixing scripts, written without a word."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    name = "V\u00e9l\u043e-Cit\u00e9 Lyon"
    argv = ["new", "velocite", "--name", name, "--email", "v@example.net"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 0 and (members / "velocite.yaml").exists(), err
    mixed = [line for line in err.splitlines() if "mixes scripts" in line]
    assert len(mixed) == 1 and mixed[0].startswith(
        f'warning: <command line> --name: "{name}": the word "V\u00e9l\u043e" mixes scripts: "\u043e" '
        "(U+043E CYRILLIC SMALL LETTER O) among Latin letters, almost always a slip of the keyboard or a name made "
        "to look like another; write the word in one script"
    ), err


@pytest.mark.parametrize(
    ("name", "said"),
    [
        # a word wholly in Cyrillic letters that each look Latin, among Latin words
        (
            "Club \u0420\u043e\u0440\u0455 Lyon",
            'the word "\u0420\u043e\u0440\u0455" is written in Cyrillic letters that each look like a Latin one',
        ),
        # a Latin capital I alone among Cyrillic words
        ("\u041a\u043b\u0443\u0431 I \u041c\u043e\u0441\u043a\u0432\u0430", 'the letter "I" mixes scripts'),
    ],
)
def test_new_warns_of_a_look_alike_in_the_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, said: str
) -> None:
    """--name warns as pic check does of a word of another script that looks Latin among Latin words, and of a
    letter alone among words of another script that it looks like a letter of."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    argv = ["new", "clubpops", "--name", name, "--email", "v@example.net"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 0 and (members / "clubpops.yaml").exists(), err
    warned = [line for line in err.splitlines() if line.startswith("warning: <command line> --name: ")]
    assert len(warned) == 1 and said in warned[0], err


def test_new_checks_the_slug_before_the_file_system(tmp_path: Path) -> None:
    """A slug too long for a file name is refused as a slug, with the other arguments, before any file is
    looked at (a members directory that does not exist is not even noticed)."""
    members = tmp_path / "nowhere" / ("b" * 300)
    with pytest.raises(PicError) as refused:
        new(members, "a" * 300, email='x"y@b.org')
    shown = [str(p) for p in refused.value.problems]
    assert (
        shown[0].startswith("<command line> --email: ")
        and "(would be contact.email in the new member file)" in shown[0]
    )
    assert shown[1] == f"<command line> SLUG: {'a' * 37!r}... (300 characters) is not a valid slug: {SLUG_WORDS}"
    assert len(shown) == 2, shown


def test_new_names_a_members_directory_it_cannot_read(tmp_path: Path) -> None:
    members = tmp_path / ("b" * 300)
    with pytest.raises(PicError) as refused:
        new(members, "nouvelle")
    assert str(refused.value) == f"{members} cannot be read: File name too long"


@pytest.mark.parametrize(
    ("option", "value"),
    [("--name", b"V\xe9lo Lyon"), ("--email", b"v\xe9lo@velo-lyon.org"), ("--domain", b"v\xe9lo-lyon.org")],
)
def test_an_argument_that_is_not_utf8_is_refused_naming_its_option(tmp_path: Path, option: str, value: bytes) -> None:
    """A value in another encoding than UTF-8 (a Latin-1 terminal or script: `\\xe9` for é) was a traceback
    (UnicodeEncodeError from the YAML parser); it is refused, naming the option and the byte, and nothing is
    written."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    args = {"--name": b"Velo Lyon", "--email": b"contact@velo-lyon.org", "--domain": b"velo-lyon.org", option: value}
    argv = [b"new", b"velo-lyon", *(a for k, v in args.items() for a in (k.encode(), v))]
    proc = subprocess.run(
        [sys.executable, "-m", "pic", *argv, b"--project", bytes(ROOT), b"--members", bytes(members)],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8"},
        check=False,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err, err
    shown = value.decode("utf-8", "backslashreplace")
    assert err.splitlines()[0] == (
        f'<command line> {option}: "{shown}" holds a byte that is not UTF-8 (\\xe9, at character '
        f"{value.index(0xE9) + 1}): write it in UTF-8 (the terminal's or the script's encoding)"
    ), err
    assert err.endswith("invalid: 1 error\n"), err
    assert not (members / "velo-lyon.yaml").exists()


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("", "is too short"),
        ("X\nY", "holds a control character"),
        ("V" * 200, "is too long"),
        ("mdp : Azerty123", "(not shown)"),
    ],
)
def test_a_name_refused_is_one_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, said: str) -> None:
    """--name gives the file its name and its contact's name: a value refused was said twice, once for each
    field (`<command line> --name: "" is too short ... (would be contact.name ...)`, then the same for name)."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    argv = ["new", "velo-lyon", "--name", name, "--email", "contact@velo-lyon.org"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 1, err
    lines = [line for line in err.splitlines() if line.startswith("<command line> --name: ")]
    assert len(lines) == 1 and said in lines[0], err
    assert err.endswith("invalid: 1 error\n"), err


def test_an_argument_that_is_not_utf8_and_reads_as_a_secret_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    name = b"V\xe9lo, mot de passe : Azerty123".decode("utf-8", "surrogateescape")
    argv = ["new", "velo-lyon", "--name", name, "--email", "contact@velo-lyon.org"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 1 and "Azerty" not in err, err
    assert err.startswith("<command line> --name: the value (not shown) holds a byte that is not UTF-8 (\\xe9"), err


@pytest.mark.parametrize(
    ("slug", "said"),
    [
        ("web1", '"web1" is reserved: the slug is the member\'s unix account'),
        ("sympa", '"sympa" is reserved: the slug is the member\'s unix account'),
        ("web1-proxy", '"web1-proxy" is reserved: the slug is the member\'s unix account'),
    ],
)
def test_a_slug_the_platform_holds_is_named_as_the_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], slug: str, said: str
) -> None:
    """Was `members/web1.yaml file name "web1" is reserved: ...`: a file that does not exist, named as if it
    were there; the slug is the argument given, named as the other arguments are."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    rc = main(
        ["new", slug, "--name", "X", "--email", "x@example.net", "--project", str(ROOT), "--members", str(members)]
    )
    err = capsys.readouterr().err
    assert rc == 1 and not (members / f"{slug}.yaml").exists(), err
    assert err.startswith(f"<command line> SLUG: {said}"), err
    assert f"(would be {members}/{slug}.yaml)" in err and "file name" not in err, err


def test_a_domain_given_twice_is_said_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Was `"velo-lyon.org" is also [0]: give each once`: [0] is an index of the file's list, which the command
    line does not show."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    argv = ["new", "velo-lyon", "--name", "X", "--email", "x@example.net"]
    argv += ["--domain", "velo-lyon.org", "--domain", "www.velo-lyon.org", "--domain", "velo-lyon.org"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 1 and not (members / "velo-lyon.yaml").exists(), err
    assert err.startswith('<command line> --domain: "velo-lyon.org" is given twice: give each --domain once'), err


@pytest.mark.parametrize("written", ["VELO-LYON.ORG", "https://velo-lyon.org/", "velo-lyon.org:443"])
def test_a_domain_written_otherwise_as_another_given_is_not_offered(
    written: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--domain VELO-LYON.ORG --domain velo-lyon.org was told to write it in lowercase ('velo-lyon.org'), the other
    --domain, then refused as given twice once written so."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    argv = ["new", "velo-lyon", "--name", "X", "--email", "x@example.net", "--domain", written]
    argv += ["--domain", "velo-lyon.org"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 1 and not (members / "velo-lyon.yaml").exists(), err
    assert "it means 'velo-lyon.org', already given by another --domain: give each --domain once" in err, err
    assert "(drop this one)" in err and "[1]" not in err and "write it" not in err, err


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("VELO-CITE-LYON.FR", "velo-cite-lyon.fr"),
        (" velo-cite-lyon.fr", "velo-cite-lyon.fr"),
        ("https://www.velo-cite-lyon.fr/", "www.velo-cite-lyon.fr"),
        ("PMA.example.org", "pma.example.org"),
    ],
)
def test_a_domain_offered_that_is_taken_is_said_taken(
    written: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pic new --domain VELO-CITE-LYON.FR was told to write it in lowercase ('velo-cite-lyon.fr'), member
    velo-cite's name (or the platform's: PMA.example.org), then refused as taken once written so, where pic check
    tells a member file that the name meant is taken; pic new tells it too, and offers nothing."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    argv = ["new", "velo-lyon", "--name", "X", "--email", "x@example.net", "--domain", written]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 1 and not (members / "velo-lyon.yaml").exists(), err
    assert f"'{name}'" in err and "write" not in err and "give the name alone (" not in err, err
    if "velo-cite" in name:
        assert "members/velo-cite.yaml" in err, err


def test_a_stack_with_no_runtime_to_give_says_as_of_which_day_and_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was `Pulumi.prod.yaml pic:runtimes: has no supported runtime`, whatever the day and with nothing to do."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    monkeypatch.chdir(tmp_path)  # the stack file named in --project's directory (was: its bare name)
    argv = ["new", "velo-lyon", "--name", "X", "--email", "x@example.net", "--on", "2030-01-01"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 1 and not (members / "velo-lyon.yaml").exists(), err
    assert err.startswith(
        f"{ROOT}/Pulumi.prod.yaml pic:runtimes: has no runtime that is neither stopped nor past its end of life as of "
        "2030-01-01 (newest: 8.5, end of life 2029-12-31): add a newer PHP version to pic:runtimes first"
    ), err


def test_a_runtime_near_its_end_of_life_is_given_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was given silently 27 days before its end of life, when all newer runtimes were past theirs."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    monkeypatch.chdir(tmp_path)
    argv = ["new", "velo-lyon", "--name", "X", "--email", "x@example.net", "--on", "2029-12-04"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 0 and (members / "velo-lyon.yaml").exists(), err
    assert (
        f"{ROOT}/Pulumi.prod.yaml pic:runtimes: warning: php 8.5, the newest runtime left, reaches its end of life on "
        "2029-12-31, 27 days after 2029-12-04: add a newer PHP version to pic:runtimes"
    ) in err, err


@pytest.mark.parametrize(
    ("slug", "meant"),
    [
        ("Velo-Cite", "velo-cite"),
        ("velo_cite", "velo-cite"),
        ("VELO_CITE", "velo-cite"),
        # the member file's name, as pic move-script reads it: its slug, in its form
        ("velo-cite.yaml", "velo-cite"),
        ("VELO-CITE.yaml", "velo-cite"),
        ("members/Velo_Cite.YML", "velo-cite"),
        # with accents and letters Unicode does not decompose (œ, æ, ß, ø, ł): the slug in ASCII letters
        ("Rhône-Vélo", "rhone-velo"),
        ("RHÔNE_VÉLO", "rhone-velo"),
        ("Cœur-Vaillant", "coeur-vaillant"),
        ("Straße-Æsop", "strasse-aesop"),
        ("Ørsted-Łódź", "orsted-lodz"),
        ("ﬁlms-ﬂeuris", "films-fleuris"),  # ligatures NFKD decomposes
        ("rhône-vélo.yaml", "rhone-velo"),
        # Turkish dotless ı and Maltese ħ, which NFKD leaves whole too
        ("Kılıç-Spor", "kilic-spor"),
        ("Ħamrun-Club", "hamrun-club"),
    ],
)
def test_new_hints_the_slug_in_its_form(tmp_path: Path, slug: str, meant: str) -> None:
    """pic new's slug in another case or with '_', or the name of its file (velo-cite.yaml), is told the slug meant,
    as pic move-script's is."""
    with pytest.raises(PicError) as refused:
        new(tmp_path / "members", slug)
    [shown] = [str(p) for p in refused.value.problems]
    assert shown.startswith("<command line> SLUG: ") and f"did you mean {meant!r}?" in shown, shown


def test_every_latin_letter_of_latin_1_and_extended_a_is_written_in_ascii() -> None:
    """The letters of Latin-1 and Latin Extended-A (U+00C0 to U+017F) are each given in ASCII letters when a slug is
    offered: Turkish ı, Maltese ħ, Sami ŋ and ŧ, which Unicode's decomposition leaves whole, were kept, and a slug
    holding them offered nothing (pic new Kılıç-Spor)."""
    from pic.validators import in_ascii_letters

    letters = [chr(c) for c in range(0xC0, 0x180) if unicodedata.category(chr(c)).startswith("L")]
    kept = {letter: in_ascii_letters(letter) for letter in letters if not in_ascii_letters(letter).isascii()}
    assert not kept, kept
    assert all(in_ascii_letters(letter).isalpha() for letter in letters)
    # in their case: a small letter with no capital of its own (ĸ) stays small
    assert all(in_ascii_letters(letter).islower() for letter in letters if letter.islower())


@pytest.mark.parametrize(
    ("slug", "said"),
    [
        # 32 characters as written, 34 in ASCII letters (ß is ss): the rule's 32 seemed kept
        ("Straße-des-Vélos-de-Rhône-Lyon-ß", "'strasse-des-velos-de-rhone-lyon-ss', its form in ASCII letters, is 34"),
        ("Ça", "'ca', its form in ASCII letters, is 2 characters long (at least 3)"),
        ("Amis_Du_Rhône_Et_De_La_Saône_1901", "its form in ASCII letters, is 33 characters long (at most 32)"),
    ],
)
def test_new_tells_the_length_of_the_slug_in_its_form(tmp_path: Path, slug: str, said: str) -> None:
    """pic new Straße-des-Vélos-de-Rhône-Lyon-ß was told only the rule (3 to 32 characters), which the slug as written
    keeps: its form in ASCII letters, the one a slug would be, is too long; told so with its length, nothing offered."""
    with pytest.raises(PicError) as refused:
        new(tmp_path / "members", slug)
    [shown] = [str(p) for p in refused.value.problems]
    assert said in shown and "did you mean" not in shown, shown


@pytest.mark.parametrize("slug", ["1-velo", "1-vélo", "vélo-", "вело-сити", "vélo\u202e-cité"])
def test_new_offers_no_slug_that_is_none(tmp_path: Path, slug: str) -> None:
    """Nothing is offered where no slug is meant: a digit first, a hyphen last, letters of another script (no
    transliteration beyond Latin letters' accents), a control character."""
    with pytest.raises(PicError) as refused:
        new(tmp_path / "members", slug)
    assert "did you mean" not in str(refused.value), refused.value


@pytest.mark.parametrize(
    ("slug", "meant", "said"),
    [
        ("Amis-Du-Rhone", "amis-du-rhone", "member 'amis-du-rhone' exists already"),
        ("AMIS_DU_RHONE", "amis-du-rhone", "member 'amis-du-rhone' exists already"),
        ("Sympa", "sympa", '"sympa" is reserved'),
        ("Web1", "web1", '"web1" is reserved'),
    ],
)
def test_new_offers_no_slug_that_would_be_refused(tmp_path: Path, slug: str, meant: str, said: str) -> None:
    """A slug in another form is told the slug meant only when pic new would take it: one of a member (its file
    there), or one the platform holds, is said to be refused too, and why (was: 'did you mean 'amis-du-rhone'?',
    then 'member exists already' once given)."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    message = refusal(members, slug)
    assert f"did you mean {meant!r}?" not in message, message
    assert f"{meant!r}, the slug in its form, is refused too: " in message and said in message, message


def test_new_offers_no_slug_of_a_removed_member(repo: Path) -> None:
    message = refusal(repo / "members", "Ancienne")
    assert "did you mean" not in message, message
    assert "'ancienne', the slug in its form, is refused too: 'ancienne' is the slug of a member removed" in message


@pytest.mark.parametrize("slug", ["pr\udcffobe", "\udce9t\udce9", "asso-" + "\udcff" * 40])
def test_a_slug_holding_a_byte_that_is_not_utf8_shows_the_byte(tmp_path: Path, slug: str) -> None:
    """A slug typed in a Latin-1 terminal reaches Python as lone surrogates (``\\udcff`` for the byte 0xff): it was
    shown so (``'pr\\udcffobe'``), where every other argument says the byte (``\\xff``) and that it is not UTF-8."""
    members = tmp_path / "members"
    members.mkdir()
    message = refusal(members, slug)
    assert "\\udc" not in message and "not UTF-8" in message, message
    assert f"\\x{ord(next(ch for ch in slug if ch >= chr(0xDC80))) - 0xDC00:02x}" in message, message


@pytest.mark.parametrize("domain", ["0xCafe1234.1", "1.0xCafe1234", "\uff10xCafe1234.1"])
def test_a_domain_holding_a_password_with_more_around_it_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], domain: str
) -> None:
    """pic new --domain 0xCafe1234.1 (1.0xCafe1234) was told '... has uppercase letters: write it in lowercase
    ('1.0xcafe1234')', where --domain 0xCafe1234 is hidden: a value is read in its parts, each as the value alone is,
    and hidden in the offer in small letters too."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    argv = ["new", "velo-lyon", "--name", "Velo", "--email", "contact@velo-lyon.org", "--domain", domain]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    err = capsys.readouterr().err
    assert rc == 1 and "not shown" in err, err
    assert "cafe1234" not in err.lower() and "3405648436" not in err and "202.254.18" not in err, err
    assert not (members / "velo-lyon.yaml").exists()


@pytest.mark.parametrize("slug", ["Soleil-Azur-75", "Lilas2024x", "0xCafe1234", "Velo75Paris", "LILAS2024X"])
@pytest.mark.parametrize("taken", [False, True])
def test_new_offers_no_slug_it_would_hide(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], slug: str, taken: bool
) -> None:
    """`pic new Soleil-Azur-75` ended with "did you mean the value (not shown: it may be a secret)?", an offer that
    cannot be followed: a slug offered that would be hidden is not offered, nor said refused; the slug's form is
    told all the same."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    if taken:  # the slug meant is a member's: said refused too, the slug hidden in it
        shutil.copy(members / "amis-du-rhone.yaml", members / f"{slug.lower()}.yaml")
    argv = ["new", slug, "--name", "Asso", "--email", "a@asso.org", "--project", str(ROOT), "--members", str(members)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    said = f"<command line> SLUG: the value (not shown: it may be a secret) is not a valid slug: {SLUG_WORDS}\n"
    assert err.startswith(said), err
    assert "did you mean" not in err and "refused too" not in err and slug.lower() not in err.lower(), err
