"""What reaches the registry besides a member file's text: links, special files, stray names, other
revisions, the new-member command, and the terminal that shows the errors.

Each case is run as an admin runs it (`python -m pic ...` in a subprocess, with a timeout that only
guards against a hang): exit 1, the file named, no traceback, nothing read through a link echoed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from pic import cli, newmember
from pic.errors import PicError, show_value
from pic.registry import stray_files
from tests.conftest import MEMBERS, ROOT, require_program, require_root
from tests.helpers import member, project_copy, write_members
from tests.test_plan import git, pic

BASE = ROOT / "tests" / "corpus" / "_base.yaml"
ON = "2026-11-28"
SECRET = "correct-horse-battery-staple-7f3a"


def check(members: Path, project: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pic", "check", "--project", str(project), "--members", str(members), "--on", ON],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture
def members(tmp_path: Path) -> Path:
    directory = tmp_path / "members"
    directory.mkdir()
    shutil.copy(BASE, directory / "base-member.yaml")
    return directory


def _secret_file(tmp_path: Path) -> Path:
    """A file an attacker would like printed: YAML whose values would be quoted in errors if it were read."""
    path = tmp_path / "admin-passphrase.yaml"
    path.write_text(f"name: {SECRET}\ncontact: {SECRET}\nuid: {SECRET}\n")
    return path


@pytest.mark.parametrize("target", ["absolute", "relative", "to-a-valid-member", "dangling", "to-dev-zero"])
def test_a_link_is_never_followed(tmp_path: Path, members: Path, target: str) -> None:
    link = members / "linked-member.yaml"
    if target == "absolute":
        link.symlink_to(_secret_file(tmp_path))
    elif target == "relative":
        _secret_file(tmp_path)
        link.symlink_to(Path("..") / "admin-passphrase.yaml")
    elif target == "to-a-valid-member":
        link.symlink_to("base-member.yaml")
    elif target == "dangling":
        link.symlink_to(tmp_path / "nowhere.yaml")
    else:
        link.symlink_to("/dev/zero")
    proc = check(members)
    assert proc.returncode == 1, proc
    assert "linked-member.yaml is a symbolic link (to " in proc.stderr, proc.stderr
    assert "), not a regular file: it is not read" in proc.stderr, proc.stderr
    if target == "dangling":  # where it leads, and that nothing is there (ls -l shows the target; test -e fails)
        assert f"(to {tmp_path / 'nowhere.yaml'}, which does not exist)" in proc.stderr, proc.stderr
    assert SECRET not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_special_files_never_block_nor_get_read(tmp_path: Path, members: Path) -> None:
    os.mkfifo(members / "fifo-member.yaml")
    (members / "dir-member.yaml").mkdir()
    (members / "huge-member.yaml").write_text("# padding\n" * 40_000)
    proc = check(members)
    assert proc.returncode == 1, proc
    assert "fifo-member.yaml is a FIFO, not a regular file" in proc.stderr
    assert "dir-member.yaml is a directory, not a regular file" in proc.stderr
    assert "huge-member.yaml is 400000 bytes long (at most 262144)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_file_that_is_not_regular_is_one_error_not_also_its_slug(members: Path) -> None:
    """A directory d.yaml was told its name is not a valid slug, then that it is a directory: the first is noise
    (it is no member file at all). A directory, a FIFO, a socket and a dangling link get one error each, a link
    saying where it leads."""
    import socket

    (members / "d.yaml").mkdir()
    os.mkfifo(members / "p.yaml")
    os.symlink("nowhere.yaml", members / "l.yaml")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(members / "s.yaml"))
        proc = check(members)
    assert proc.returncode == 1, proc
    link = "a symbolic link (to nowhere.yaml, which does not exist)"
    for name, kind in [("d", "a directory"), ("p", "a FIFO"), ("l", link), ("s", "a socket")]:
        named = [line for line in proc.stderr.splitlines() if f"{name}.yaml" in line]
        assert named == [f"{members / name}.yaml is {kind}, not a regular file: it is not read"], proc.stderr
    assert "invalid: 4 errors" in proc.stderr, proc.stderr


def test_a_device_node_is_not_opened(members: Path) -> None:
    require_root("mknod")
    os.mknod(members / "zero-member.yaml", 0o600 | 0o020000, os.makedev(1, 5))  # /dev/zero's numbers
    proc = check(members)
    assert proc.returncode == 1
    assert "zero-member.yaml is a character device, not a regular file" in proc.stderr


@pytest.mark.parametrize(
    "name",
    [
        "velo.yml",
        "Velo.YAML",
        "velo.Yaml",
        "velo.yaml ",
        " velo.yaml",
        "velo.yml\t",
        "velo.yaml~",
        "velo.yaml.orig",
        "velo.yaml.bak",
        "velo.yaml.disabled",
        "velo.YML.old",
    ],
)
def test_a_file_that_looks_like_a_member_file_is_named(members: Path, name: str) -> None:
    (members / name).write_text((ROOT / "members" / "velo-cite.yaml").read_text())
    proc = check(members)
    assert proc.returncode == 1, proc
    shown = name.replace("\t", "\\x09")  # as every command shows a control character of a file name
    assert f"{members}/{shown} looks like a member file but is not read" in proc.stderr, proc.stderr


def test_files_kept_aside_are_not_reported(members: Path) -> None:
    (members / "_template.yaml").write_text("name: x\n")
    (members / ".hidden.yml").write_text("name: x\n")
    (members / "_old").mkdir()
    shutil.copy(BASE, members / "_old" / "gone-member.yaml")
    proc = check(members)
    assert proc.returncode == 0, proc
    assert "_template" not in proc.stderr + proc.stdout and "_old" not in proc.stderr + proc.stdout


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (
            "sub/velo-cite.yaml",
            "sub is a directory holding sub/velo-cite.yaml, which is not read: member files are read",
        ),
        ("a/b/velo-cite.yml", "a is a directory holding a/b/velo-cite.yml, which is not read"),
        ("velo-cite", "velo-cite holds a member file (name, contact, uid) but is not read"),
        ("velo-cite.json", "velo-cite.json holds a member file (name, contact, uid) but is not read"),
        ("velo-cite.txt", "velo-cite.txt holds a member file (name, contact, uid) but is not read"),
    ],
)
def test_a_member_file_out_of_place_is_an_error(members: Path, entry: str, words: str) -> None:
    path = members / entry
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "members" / "velo-cite.yaml").read_text()
    if entry.endswith(".json"):
        text = json.dumps(yaml.safe_load(text))
    path.write_text(text)
    proc = check(members)
    assert proc.returncode == 1, proc
    [line] = [x for x in proc.stderr.splitlines() if x.startswith(f"{members}/")]
    assert line.startswith(f"{members}/{words}"), line
    assert "start its name with _ to keep it aside" in line, line


@pytest.mark.parametrize(
    ("name", "spoil"),
    [
        ("velo-cite.bak", lambda text: text.encode("latin-1")),  # saved in Latin-1: not UTF-8
        ("velo-cite.old", lambda text: text.replace("  ", "\t", 1).encode()),  # a tab indents
        ("velo-cite.prev", lambda text: (text + "uid: 10099\n").encode()),  # a duplicate key
        ("velo-cite.u16", lambda text: text.encode("utf-16")),  # Notepad's "Unicode"
        # longer than a member file may be (read_yaml refuses it): its first bytes are read
        ("velo-cite.long", lambda text: (text + "# notes\n" * 40_000).encode("latin-1")),
    ],
)
def test_a_member_copy_yaml_cannot_read_is_an_error_too(
    members: Path, name: str, spoil: Callable[[str], bytes]
) -> None:
    """A copy of a member file saved under another name that YAML cannot read still holds a member."""
    text = (ROOT / "members" / "velo-cite.yaml").read_text()  # "Vélo-Cité": not ASCII
    (members / name).write_bytes(spoil(text))
    proc = check(members)
    assert proc.returncode == 1, proc
    assert f"{members}/{name} holds a member file (name, contact, uid) but is not read" in proc.stderr, proc.stderr


def test_a_regular_file_whose_read_would_block_is_not_waited_on() -> None:
    """/proc/kmsg is a regular file whose read waits for the kernel's next message (pic check --members /proc,
    as root): the look for a member in a file YAML cannot read opened it blocking, and waited for ever."""
    require_root("reads /proc/kmsg")
    code = (
        "from pathlib import Path; from pic.registry import _holds_a_member; "
        "print(_holds_a_member(Path('/proc/kmsg'), 'kmsg'))"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the look for a member in /proc/kmsg waited for the kernel's messages")
    assert proc.returncode == 0 and proc.stdout == "False\n", proc


def test_a_text_explaining_one_key_of_a_member_file_is_a_warning(members: Path) -> None:
    """A README or notes that YAML cannot read, with a line starting with one key, are no member."""
    (members / "README.md").write_text("# Members\n\nOne file each. Keys:\n\nname: as on the statutes\n\n- a\n")
    (members / "notes.txt").write_text("uid: 10050 for the choir? [check]\n\tmore\n")
    proc = check(members)
    assert proc.returncode == 0, proc.stderr
    assert f"warning: {members}/README.md is not a member file" in proc.stderr, proc.stderr
    assert f"warning: {members}/notes.txt is not a member file" in proc.stderr, proc.stderr


@pytest.mark.parametrize("entry", ["README.md", "notes", "empty-directory/", "link-to-base", "fifo"])
def test_an_entry_that_is_no_member_file_is_a_warning(members: Path, entry: str) -> None:
    path = members / entry.rstrip("/")
    if entry.endswith("/"):
        path.mkdir()
    elif entry == "link-to-base":
        path.symlink_to("base-member.yaml")  # never followed
    elif entry == "fifo":
        os.mkfifo(path)  # never opened: nothing blocks
    else:
        path.write_text("# Members\n\nOne file per association: <slug>.yaml.\n")
    proc = check(members)
    assert proc.returncode == 0, proc
    assert f"warning: {path} is not a member file (<slug>.yaml): not read; start its name with _" in proc.stderr


def test_a_file_name_with_a_line_break_is_shown_escaped(members: Path) -> None:
    (members / "bad\nname.yaml").write_text(BASE.read_text().replace("10500", "10501"))
    proc = check(members)
    assert proc.returncode == 1
    assert "bad\\x0aname.yaml" in proc.stderr  # as lists audit and the other commands show it
    assert not any(line.startswith("name.yaml") for line in proc.stderr.splitlines())


def test_terminal_sequences_from_member_files_are_escaped(members: Path) -> None:
    data = yaml.safe_load(BASE.read_text())
    data["contact"]["name"] = "Marie \x1b]0;owned\x07\x1b[2J Dupont \u202e"
    data["uid"] = 10501
    data["site"]["domains"] = ["other-asso.fr"]
    data["lists"]["domain"] = "listes.other-asso.fr"
    (members / "other-member.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    proc = check(members)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr and "\u202e" not in proc.stderr
    assert "contact.name" in proc.stderr and "\\u001b" in proc.stderr


def test_every_output_of_the_command_is_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`pic lists audit` prints addresses read from exports: they reach the terminal escaped too."""
    export = tmp_path / "list.txt"
    export.write_text("anne@gmial.com\x1b[31m\n")
    assert cli.main(["lists", "audit", str(export)]) == 1
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err and "\\x1b" in out.out


# --- pic new -------------------------------------------------------------------------------------


def _new(members: Path, slug: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pic", "new", slug, "--project", str(ROOT), "--members", str(members), *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("domain", "holder"),
    [
        ("base-asso.fr", "base-member.yaml"),
        ("listes.base-asso.fr", "base-member.yaml"),
        ("blog.base-asso.fr", "base-member.yaml"),
    ],
)
def test_new_refuses_a_domain_already_used(members: Path, domain: str, holder: str) -> None:
    proc = _new(members, "nouvelle-asso", "--name", "Nouvelle", "--email", "n@example.org", "--domain", domain)
    assert proc.returncode == 1, proc
    assert "--domain" in proc.stderr and holder in proc.stderr
    assert not (members / "nouvelle-asso.yaml").exists()


def _probe(uid: int = 10600, domain: str = "probe-asso.fr", db: str = "main", lists: str = "l.probe-asso.fr") -> str:
    return (
        f"name: Probe\ncontact: {{name: P, email: a@probe-asso.fr}}\nuid: {uid}\nsite:\n"
        f'  domains: [{domain}]\n  php: "8.4"\ndatabases: [{db}]\nlists: {{domain: {lists}}}\n'
    )


@pytest.mark.parametrize("first", [True, False], ids=["new-file-first", "new-file-last"])
@pytest.mark.parametrize(
    "case",
    [
        ("probe", _probe(uid=10500), "uid", 3, ("uid", 4), "10500 is already used by"),
        (
            "probe",
            _probe(domain="base-asso.fr"),
            "site.domains[0]",
            5,
            ("site.domains[0]", 6),
            '"base-asso.fr" is already used by',
        ),
        (
            "probe",
            _probe(lists="listes.base-asso.fr"),
            "lists.domain",
            8,
            ("lists.domain", 12),
            '"listes.base-asso.fr" is already the list domain of',
        ),
        ("base", _probe(db="member_main"), "databases[0]", 7, ("databases[0]", 11), "already made by"),
    ],
    ids=["uid", "domain", "list-domain", "database"],
)
def test_a_name_met_twice_names_both_places_with_their_lines(
    members: Path, first: bool, case: tuple[str, str, str, int, tuple[str, int], str]
) -> None:
    """The file read later (by name) carries the error and names the other's field with its line, whichever
    of the two is new: a reviewer finds both places. ``case``: the new file's slug, text, field and its
    line, the base member's field and line, the words between them."""
    slug, text, field, line, other, words = case
    # base.yaml (its database base_member_main is base-member's main) sorts after base-member.yaml
    name = f"{'aa' if first else 'zz'}-{slug}.yaml" if slug == "probe" else f"{slug}.yaml"
    (members / name).write_text(text)
    proc = check(members)
    assert proc.returncode == 1, proc
    base = f"{members}/base-member.yaml"
    if name < "base-member.yaml":  # the new file is read first: the other one carries the error
        expected = f"{base}:{other[1]} {other[0]}: "
        assert expected in proc.stderr and f"{words} {members}/{name}:{line}" in proc.stderr, proc.stderr
    else:
        expected = f"{members}/{name}:{line} {field}: "
        assert expected in proc.stderr and f"{words} {base}:{other[1]}" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("slug", "domain", "words"),
    [
        ("nogroup", "nouvelle-asso.fr", "is reserved"),
        ("web1", "nouvelle-asso.fr", "is reserved"),
        ("nouvelle", "pma.example.org", "is reserved"),
        ("nouvelle", "web1.example.org", "is reserved"),
        # pic plan lists and counts the shared resources as "platform", pic status the platform's own domains
        ("platform", "nouvelle-asso.fr", "is what pic plan and pic status call the resources and domains of no member"),
    ],
)
def test_new_refuses_a_name_of_the_platform(members: Path, slug: str, domain: str, words: str) -> None:
    proc = _new(members, slug, "--name", "Nouvelle", "--email", "n@example.org", "--domain", domain)
    assert proc.returncode == 1, proc
    assert words in proc.stderr
    assert not (members / f"{slug}.yaml").exists()


@pytest.mark.parametrize("name", ["VÉLO-CITÉ LYON", "Velo Cite  Lyon", "vélo cité, lyon"])
def test_a_member_named_as_another_is_warned_of_however_written(tmp_path: Path, name: str) -> None:
    """One association given a second file (a second account, uid and space: added again by pic new under
    another slug) passed without a word when its name was written otherwise; an association of another name
    ("Vélo-Cité Grenoble") is no such member."""
    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    contact = "contact: {name: Karim Benali, email: karim@asso-exemple.fr}"
    (members / "velocite.yaml").write_text(f'name: "{name}"\n{contact}\nuid: 10500\n', encoding="utf-8")
    (members / "velo-cite-grenoble.yaml").write_text(
        f'name: "Vélo-Cité Grenoble"\n{contact}\nuid: 10501\n', encoding="utf-8"
    )
    proc = check(members)
    assert proc.returncode == 0, proc.stderr
    said = f'warning: {members}/velocite.yaml:1 name: "{name}" is also the name of {members}/velo-cite.yaml:2 ("Vélo'
    assert said in proc.stderr, proc.stderr
    assert "the same association twice?" in proc.stderr
    assert proc.stderr.count("is also the name of") == 1, proc.stderr


# name, the word that mixes scripts, the character named, the script of the word's other letters
MIXED_SCRIPTS = {
    "mixed-cyrillic": ("V\u00e9l\u043e-Cit\u00e9 Lyon", "V\u00e9l\u043e", "U+043E CYRILLIC SMALL LETTER O", "Latin"),
    "mixed-capital": ("\u0421lub Photo de Lyon", "\u0421lub", "U+0421 CYRILLIC CAPITAL LETTER ES", "Latin"),
    "mixed-greek": ("Les Amis de la Sa\u03bfne", "Sa\u03bfne", "U+03BF GREEK SMALL LETTER OMICRON", "Latin"),
    # a Latin o among Greek letters, a Latin A among Cyrillic ones
    "mixed-in-greek": ("Σύλλoγος Φίλων", "Σύλλoγος", "U+006F LATIN SMALL LETTER O", "Greek"),
    "mixed-in-cyrillic": ("Aссоциация", "Aссоциация", "U+0041 LATIN CAPITAL LETTER A", "Cyrillic"),
    # a word of two letters, one of each: the stray one is that of the script the rest of the name is in
    "mixed-tie": (
        "Jardins Partagés \u0501e la Croix-Rousse",
        "\u0501e",
        "U+0501 CYRILLIC SMALL LETTER KOMI DE",
        "Latin",
    ),
    "mixed-tie-capital": ("Festival \u0399I de Lyon", "\u0399I", "U+0399 GREEK CAPITAL LETTER IOTA", "Latin"),
}
# whole names in one script, words of two scripts side by side, Latin with Japanese (one writing, UTS #39)
ONE_SCRIPT_A_WORD = {
    "russian": "Ассоциация велосипедистов 2024",
    "greek": "Σύλλογος Ποδηλατών",
    "japanese": "日本語の会",
    "side-by-side": "Vélo Лион",
    "hyphenated": "Vélo-Москва",
    "latin-japanese": "Club日本 Lyon",
    "french": "Amicale Laïque d'Ainay œuvres à Côte-Rôtie",
    # a script written without spaces, then Latin letters or an acronym in the same word, or the other way round
    "thai-fc": "ชมรมฟุตบอลFC",
    "khmer-fc": "ក្លឹបបាល់ទាត់FC Phnom Penh",
    "lao-fc": "ສະໂມສອນບານເຕະFC",
    "myanmar-fc": "ဘောလုံးအသင်းFC",
    "chinese-fc": "足球俱乐部FC",
    "latin-then-thai": "KFCไทย 2024",
    # a lone letter between words of a script without case is none of Latin's look-alikes
    "thai-team-a": "ทีม A ของเรา",
    # a lone letter of another cased script that looks like none of the letters of the words around it (a
    # Greek letter as a symbol, a team's letter), a numero sign, a Roman numeral in Latin letters
    "greek-omega": "Club \u03a9 Lyon",
    "greek-pi": "Atelier \u03c0 de Lyon",
    "latin-q-in-cyrillic": "Клуб Q Москва",
    "numero": "Клуб №1 Москва",
    "roman-numeral": "Festival II Lyon",
    # a letter that looks only like a rarer letter of the words' script: Σ like Latin's esh Ʃ, G and W like
    # Cyrillic's Komi Ԍ and Kurdish Ԝ, which the words around them do not use
    "greek-sigma": "Club \u03a3 Lyon",
    "latin-g-in-cyrillic": "Клуб G Москва",
    "latin-w-in-cyrillic": "Клуб W Москва",
    # a word of another script that does not look Latin, beside Latin words; one that does, among none
    "word-of-no-look-alike": "Vélo Лион Club",
    "look-alike-among-cyrillic": "Сосо Клуб",
    # a Russian legal form's abbreviation before a Latin name (ООО: a limited company; АНО: a non-profit), which
    # written in Latin letters would be another
    "russian-legal-form": "ООО Web Studio",
    "russian-non-profit": "АНО Open Data",
    # a Greek club's capitals beside a Latin abbreviation in capitals, AEK FC: a name of abbreviations alone,
    # read letter by letter
    "greek-club-fc": "\u0391\u0395\u039a FC",
    "greek-club-bc-year": "\u0391\u0395\u039a BC 1924",
}
# name, the letter alone among words of another script, its code point and name, the script of those words:
# a one-letter word of another cased script between two words (Latin "à", "a", "y", "o" have Cyrillic and
# Greek twins)
LONE_LETTERS = {
    "lone-cyrillic-a": ("Club \u0430 Lyon", "\u0430", "U+0430 CYRILLIC SMALL LETTER A", "Latin"),
    "lone-greek-o": ("Amis de Lyon \u03bf Villeurbanne", "\u03bf", "U+03BF GREEK SMALL LETTER OMICRON", "Latin"),
    "lone-cyrillic-y": ("Vida \u0443 Salud", "\u0443", "U+0443 CYRILLIC SMALL LETTER U", "Latin"),
    "lone-latin-in-cyrillic": ("Клуб a Москва", "a", "U+0061 LATIN SMALL LETTER A", "Cyrillic"),
    "lone-latin-i-in-cyrillic": ("Клуб I Москва", "I", "U+0049 LATIN CAPITAL LETTER I", "Cyrillic"),
    "lone-latin-in-greek": ("Σύλλογος A Φίλων", "A", "U+0041 LATIN CAPITAL LETTER A", "Greek"),
}
# name, a word of it written wholly in letters of another script that each look like a Latin letter, among Latin
# words (a whole-script confusable, UTS #39 section 4), the script of that word, the Latin word it looks like
LATIN_LOOK_ALIKE_WORDS = {
    "look-alike-cyrillic": ("Club \u0420\u043e\u0440\u0455 Lyon", "\u0420\u043e\u0440\u0455", "Cyrillic", "Pops"),
    "look-alike-greek-capitals": ("Club \u03a4\u039f\u03a1 de Lyon", "\u03a4\u039f\u03a1", "Greek", "TOP"),
    # capitals beside abbreviations, but a word too: the name reads as words
    "look-alike-capitals-and-a-word": ("\u03a4\u039f\u03a1 FC Lyon", "\u03a4\u039f\u03a1", "Greek", "TOP"),
    "look-alike-capitals-long-word": ("\u0391\u0395\u039a ATHENS", "\u0391\u0395\u039a", "Greek", "AEK"),
    "look-alike-last": ("Amis de \u0421\u043e\u0441\u043e", "\u0421\u043e\u0441\u043e", "Cyrillic", "Coco"),
    # with a stress mark on its o (U+0301): its letters still look Latin
    "look-alike-marked": (
        "Amis du \u0420\u043e\u0301\u0440\u0455",
        "\u0420\u043e\u0301\u0440\u0455",
        "Cyrillic",
        "Pops",
    ),
}
# a script written without spaces beside a look-alike of Latin letters: one letter of it (Myanmar's wa looks
# like "o"), or Latin on both sides of it
SPACELESS_LOOK_ALIKES = {
    "myanmar-one-letter": ("Lyo\u101d Club", "Lyo\u101d", "U+101D MYANMAR LETTER WA", "Latin"),
    "myanmar-in-latin": ("G\u101d\u101dgle Club", "G\u101d\u101dgle", "U+101D MYANMAR LETTER WA", "Latin"),
}


def test_a_word_of_a_name_mixing_scripts_is_warned_of(tmp_path: Path) -> None:
    """A name whose word mixes scripts (a Cyrillic o in "Vélo") passed without a word: almost always a slip of
    the keyboard or a name made to pass for another, shown in reports, mail and Sympa's pages. The warning names
    the file, line, field, word and character; a name in another script, or words of two scripts side by side,
    is not warned of."""
    members = tmp_path / "members"
    contact = "contact: {name: Karim Benali, email: karim@asso-exemple.fr}"
    cases = {**MIXED_SCRIPTS, **SPACELESS_LOOK_ALIKES}
    for uid, (slug, name) in enumerate(
        [*((slug, case[0]) for slug, case in cases.items()), *ONE_SCRIPT_A_WORD.items()], start=10600
    ):
        members.mkdir(exist_ok=True)
        (members / f"{slug}.yaml").write_text(f'name: "{name}"\n{contact}\nuid: {uid}\n', encoding="utf-8")
    proc = check(members)
    assert proc.returncode == 0, proc.stderr
    warned = [line for line in proc.stderr.splitlines() if "mixes scripts" in line]
    for slug, (name, word, character, script) in cases.items():
        said = [line for line in warned if line.startswith(f'warning: {members}/{slug}.yaml:1 name: "{name}"')]
        assert len(said) == 1, (slug, proc.stderr)
        assert f'the word "{word}" mixes scripts' in said[0] and character in said[0], said[0]
        assert f"among {script} letters" in said[0], said[0]
    assert len(warned) == len(cases), proc.stderr
    for slug in ONE_SCRIPT_A_WORD:
        assert f"{members}/{slug}.yaml" not in proc.stderr, (slug, proc.stderr)


def test_a_word_of_a_name_in_letters_that_each_look_latin_among_latin_words_is_warned_of(tmp_path: Path) -> None:
    """ "Club Рорѕ Lyon" in Cyrillic Р, о, р, ѕ passed: each word is of one script. A word written wholly in
    letters of another script that each look like a Latin letter, among Latin words, is a whole-script confusable
    (UTS #39 section 4): a keyboard left on another layout, or a name made to pass for another. The warning names
    the file, line, field, the word, its script and its letters."""
    members = tmp_path / "members"
    members.mkdir()
    contact = "contact: {name: Karim Benali, email: karim@asso-exemple.fr}"
    for uid, (slug, (name, *_)) in enumerate(LATIN_LOOK_ALIKE_WORDS.items(), start=10600):
        (members / f"{slug}.yaml").write_text(f'name: "{name}"\n{contact}\nuid: {uid}\n', encoding="utf-8")
    proc = check(members)
    assert proc.returncode == 0, proc.stderr
    warned = [line for line in proc.stderr.splitlines() if line.startswith(f"warning: {members}/")]
    for slug, (name, word, script, latin) in LATIN_LOOK_ALIKE_WORDS.items():
        said = [line for line in warned if line.startswith(f'warning: {members}/{slug}.yaml:1 name: "{name}"')]
        assert len(said) == 1, (slug, proc.stderr)
        assert f'the word "{word}" is written in {script} letters that each look like a Latin one' in said[0]
        assert f'it looks like "{latin}"' in said[0], said[0]  # the word it passes for
        assert f"{unicodedata.name(word[0])}" in said[0] and "among Latin words" in said[0], said[0]
    assert len(warned) == len(LATIN_LOOK_ALIKE_WORDS), proc.stderr


def test_a_letter_alone_among_words_of_another_script_is_warned_of(tmp_path: Path) -> None:
    """ "Club а Lyon" with a Cyrillic а passed: each word is of one script. A one-letter word of another cased
    script between two words of one script is a look-alike slipped in (Latin's "a", "o", "y" have Cyrillic and
    Greek twins); the warning names the file, line, field, the letter and the script of the words around it."""
    members = tmp_path / "members"
    members.mkdir()
    contact = "contact: {name: Karim Benali, email: karim@asso-exemple.fr}"
    for uid, (slug, (name, *_)) in enumerate(LONE_LETTERS.items(), start=10600):
        (members / f"{slug}.yaml").write_text(f'name: "{name}"\n{contact}\nuid: {uid}\n', encoding="utf-8")
    proc = check(members)
    assert proc.returncode == 0, proc.stderr
    warned = [line for line in proc.stderr.splitlines() if "mixes scripts" in line]
    for slug, (name, letter, character, script) in LONE_LETTERS.items():
        said = [line for line in warned if line.startswith(f'warning: {members}/{slug}.yaml:1 name: "{name}"')]
        assert len(said) == 1, (slug, proc.stderr)
        assert f'the letter "{letter}" mixes scripts with the words around it: {character}' in said[0], said[0]
        assert f"alone among {script} words" in said[0], said[0]
    assert len(warned) == len(LONE_LETTERS), proc.stderr


def test_a_name_under_another_members_is_refused_whatever_the_order_of_the_files(tmp_path: Path) -> None:
    site = {"domains": ["shop.zz-asso.org"], "php": "8.4"}
    directory = write_members(
        tmp_path / "members",
        {
            "aa-first": member(10600, site=site),  # read first: the owner of the parent name comes later
            "zz-last": member(10601, site={"domains": ["zz-asso.org"], "php": "8.4"}),
        },
    )
    proc = check(directory)
    assert proc.returncode == 1, proc
    # The later file is blamed, as for any name met twice; both are named.
    assert 'zz-last.yaml:7 site.domains[0]: "zz-asso.org" has "shop.zz-asso.org" of ' in proc.stderr, proc.stderr
    assert "aa-first.yaml:7 under it" in proc.stderr, proc.stderr  # the other place, with its line


def test_a_name_under_what_another_site_sends_mail_as_is_refused(tmp_path: Path) -> None:
    directory = write_members(
        tmp_path / "members",
        {
            "aa-www": member(10600, site={"domains": ["www.foo-asso.org"], "php": "8.4"}),  # sends as foo-asso.org
            "zz-other": member(10601, site={"domains": ["bar.foo-asso.org"], "php": "8.4"}),
        },
    )
    proc = check(directory)
    assert proc.returncode == 1, proc
    assert '"bar.foo-asso.org" is under "foo-asso.org"' in proc.stderr and "www.foo-asso.org sends" in proc.stderr
    assert "aa-www.yaml:7 (the name its site www.foo-asso.org sends mail as)" in proc.stderr, proc.stderr


def test_new_refuses_the_parent_of_another_members_name(tmp_path: Path) -> None:
    members = write_members(
        tmp_path / "members", {"aa-shop": member(10600, site={"domains": ["shop.zz-asso.org"], "php": "8.4"})}
    )
    proc = _new(members, "zz-asso", "--name", "ZZ", "--email", "zz@example.org", "--domain", "zz-asso.org")
    assert proc.returncode == 1, proc
    assert "--domain" in proc.stderr and "aa-shop.yaml:7 under it" in proc.stderr, proc.stderr
    assert not (members / "zz-asso.yaml").exists()


@pytest.mark.parametrize(
    ("setting", "domain"),
    [
        (
            "pic:admin_email: admin@xn--exmple-cua.org",
            "www.xn--exmple-cua.org",
        ),  # an IDN: punycode (the settings refuse Unicode)
        ("pic:admin_email: admin@EXAMPLE.net", "www.example.net"),
    ],
)
def test_the_domain_of_the_admins_address_is_reserved_however_written(
    tmp_path: Path, setting: str, domain: str
) -> None:
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text().replace("pic:admin_email: admin@example.org", setting))
    assert setting in stack.read_text()
    directory = write_members(tmp_path / "members", {"asso": member(site={"domains": [domain], "php": "8.4"})})
    proc = check(directory, project)
    assert proc.returncode == 1 and "the domain of pic:admin_email" in proc.stderr, proc.stderr


def test_a_name_under_the_platforms_zone_is_a_members_own(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(
        stack.read_text().replace(
            "pic:members_root:",
            "pic:dns: {backend: zonefile, zones: [asso-host.org], listen: [192.0.2.53]}\n  pic:members_root:",
        )
    )
    assert "zones: [asso-host.org]" in stack.read_text()
    directory = write_members(
        tmp_path / "members", {"asso": member(site={"domains": ["asso.asso-host.org"], "php": "8.4"})}
    )
    proc = check(directory, project)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    ("old", "new", "member_domain", "platform_name"),
    [
        ("domain: pma.example.org", "domain: pma.asso-x.org", "asso-x.org", "pma.asso-x.org"),
        (
            "domain: pma.example.org",
            "domain: pma.asso-x.org",
            "www.asso-x.org",
            "pma.asso-x.org",
        ),  # sends as asso-x.org
        ("sympa_domain: listes.example.org", "sympa_domain: listes.asso-x.org", "asso-x.org", "listes.asso-x.org"),
        ("pic:mail: {host: web1,", "pic:mail: {host: web1, mx: mx.lists.asso-x.org,", "lists.asso-x.org", None),
        (
            "pic:members_root:",
            "pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53], nameservers: [ns1.asso-x.org]}\n"
            "  pic:members_root:",
            "asso-x.org",
            "ns1.asso-x.org",
        ),
        # the admins' addresses: the relay lets a site send as any name under its domains
        ("pic:admin_email: admin@example.org", "pic:admin_email: admin@ops.asso-x.org", "asso-x.org", "ops.asso-x.org"),
        (
            "pic:members_root:",
            "pic:smtp: {host: smtp.example.org, sender: noreply@mail.asso-x.org}\n  pic:members_root:",
            "www.asso-x.org",
            "mail.asso-x.org",
        ),  # sends as asso-x.org
        # a host's name, which the admins' tools (ssh, the providers) reach
        ("address: db.example.org", "address: db.asso-x.org", "asso-x.org", "db.asso-x.org"),
        # the admins' other mailboxes: the ACME account's notices, the dumps' failures
        ("acme_email: admin@example.org", "acme_email: tls@ops.asso-x.org", "asso-x.org", "ops.asso-x.org"),
        (
            "pic:members_root:",
            "pic:db: {report_to: dumps@ops.asso-x.org}\n  pic:members_root:",
            "www.asso-x.org",
            "ops.asso-x.org",
        ),
        # the DMARC reports of every list domain
        (
            "dmarc_reports: dmarc@example.org",
            "dmarc_reports: dmarc@rua.asso-x.org",
            "asso-x.org",
            "rua.asso-x.org",
        ),
        ("dmarc_reports: dmarc@example.org", "dmarc_reports: dmarc@rua.lists.asso-x.org", "lists.asso-x.org", None),
    ],
)
def test_no_name_of_the_platform_is_under_a_members_domain(
    tmp_path: Path, old: str, new: str, member_domain: str, platform_name: str | None
) -> None:
    """The member holds its domain's DNS and its site's cookies reach every name under it: phpMyAdmin's,
    Sympa's, the MX's, a host's or the domain of the admins' address under it is refused, at the member's
    domain, naming the setting."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    assert old in stack.read_text()
    stack.write_text(stack.read_text().replace(old, new, 1))
    site = {"domains": [member_domain], "php": "8.4"}
    spec = member(10600, site=site) if platform_name else member(10600, lists={"domain": member_domain})
    directory = write_members(tmp_path / "members", {"asso": spec})
    proc = check(directory, project)
    assert proc.returncode == 1, proc.stderr
    # a list member's: the MX's, or the reports' domain
    name = platform_name or ("rua.lists.asso-x.org" if "dmarc_reports" in new else "mx.lists.asso-x.org")
    line = next((ln for ln in proc.stderr.splitlines() if "asso.yaml" in ln and f'has "{name}" under it' in ln), None)
    assert line is not None and "which is the platform's" in line, proc.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("address: db.example.org", "address: www.asso-x.org"),
        ("domain: pma.example.org", "domain: www.asso-x.org"),
        ("sympa_domain: listes.example.org", "sympa_domain: www.asso-x.org"),
    ],
)
def test_a_platform_name_written_as_a_members_www_domain_is_one_error(tmp_path: Path, old: str, new: str) -> None:
    """A site domain www.X that is the platform's name is told once, as the name met twice; not a second time as
    the platform's name under X, which the site sends mail as."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    assert old in stack.read_text()
    stack.write_text(stack.read_text().replace(old, new, 1))
    directory = write_members(
        tmp_path / "members", {"asso": member(site={"domains": ["www.asso-x.org"], "php": "8.4"})}
    )
    proc = check(directory, project)
    assert proc.returncode == 1, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if not ln.startswith(("warning:", "invalid:"))]
    assert len(errors) == 1, proc.stderr
    assert "asso.yaml:7 site.domains[0]" in errors[0] and '"www.asso-x.org" is reserved for' in errors[0], errors


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("acme_email: admin@example.org", "acme_email: tls@asso-x.org"),
        ("pic:members_root:", "pic:db: {report_to: dumps@asso-x.org}\n  pic:members_root:"),
    ],
)
def test_the_admins_mailboxes_are_at_no_members_domain(tmp_path: Path, old: str, new: str) -> None:
    """The ACME account's notices and the dumps' failures at a member's site or list domain would reach that
    member's mail (or bounce at Sympa's): the domain is the platform's, the member's file is refused."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    assert old in stack.read_text()
    stack.write_text(stack.read_text().replace(old, new, 1))
    for kind, spec in (
        ("site", member(10600, site={"domains": ["asso-x.org"], "php": "8.4"})),
        ("lists", member(10600, lists={"domain": "asso-x.org"})),
    ):
        proc = check(write_members(tmp_path / kind, {"asso": spec}), project)
        assert proc.returncode == 1, proc.stderr
        assert "a mailbox of the admins" in proc.stderr and "asso.yaml" in proc.stderr, proc.stderr


def _sympa_etc_names() -> list[str]:
    """The names of the files beside the robots' directories in Sympa's etc that a domain could be: Debian's
    /etc/sympa and the files Sympa reads there when present (its default/ directory), as installed on this
    machine, and the platform's own (pic.render.mail.SympaLayout)."""
    from pic.render.mail import DEBIAN
    from pic.validators import check_domain

    found = {Path(DEBIAN.transport_map).name, Path(DEBIAN.virtual_map).name, Path(DEBIAN.lists_transport).name}
    found |= {f"{name}.db" for name in set(found)}  # postmap's hash: files
    found |= {"data_structure.version", "sympa.conf", "wwsympa.conf", "robot.conf"}  # Sympa's own
    for directory in (Path("/etc/sympa"), Path("/usr/share/sympa/default")):
        if directory.is_dir():
            found |= {entry.name for entry in directory.iterdir()}
    out = []
    for name in sorted(found):
        try:
            check_domain(name)
        except ValueError:
            continue  # no domain (no dot, an underscore): no list domain can be it
        out.append(name)
    return out


def test_a_list_domain_is_no_file_of_sympas_etc(tmp_path: Path) -> None:
    """Each list domain is a directory of Sympa's etc (/etc/sympa/<domain>/robot.conf), beside Sympa's and the
    platform's files: a lab stack (ca: internal, which takes names of any top-level label) refuses a list domain
    that could be one of them, once, naming the field; a public stack refuses it once too, as no public name."""
    from pic.validators import public_name_problem

    clashing = _sympa_etc_names()
    assert {"topics.conf", "auth.conf", "transport.sympa", "virtual.sympa.db"} <= set(clashing), clashing
    if Path("/usr/share/sympa/default").is_dir():
        assert {"mime.types", "sympa.wsdl", "ca-bundle.crt", "charset.conf"} <= set(clashing), clashing
    for name in clashing:  # no top-level domain: the rule never refuses a name of the Internet
        assert public_name_problem(name, "Let's Encrypt") is not None, name
    project = project_copy(tmp_path, "lab")
    spec = {f"asso-{i}": member(10600 + i, lists={"domain": name}) for i, name in enumerate(clashing)}
    spec["asso-ok"] = member(10599, lists={"domain": "listes.asso-ok.lab"})
    directory = write_members(tmp_path / "members", spec)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pic",
            "check",
            "--stack",
            "lab",
            "--project",
            str(project),
            "--members",
            str(directory),
            "--on",
            ON,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if not ln.startswith(("warning:", "invalid:"))]
    assert len(errors) == len(clashing), proc.stderr
    for i, name in enumerate(clashing):
        line = next(ln for ln in errors if f"asso-{i}.yaml:" in ln)
        assert f'lists.domain: "{name}" ends in .{name.rpartition(".")[2]}, ' in line, line
        assert "/etc/sympa" in line, line
    # a public stack: one error each, the public name's
    proc = check(write_members(tmp_path / "public", {"asso-0": member(10600, lists={"domain": clashing[0]})}))
    errors = [ln for ln in proc.stderr.splitlines() if not ln.startswith(("warning:", "invalid:"))]
    assert len(errors) == 1 and "no top-level domain" in errors[0], proc.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("acme_email: admin@example.org", "acme_email: tls@ops.asso-x.org"),
        ("pic:members_root:", "pic:db: {report_to: dumps@ops.asso-x.org}\n  pic:members_root:"),
    ],
)
def test_a_members_name_under_an_admins_mailbox_is_its_own(tmp_path: Path, old: str, new: str) -> None:
    """The ACME account's contact and the dumps' failures are mailboxes the platform sends nothing from: a
    member's site or list domain under their domain receives none of their mail (the domain's MX is its own),
    as under a host's name; at their domain or over it, the member's mail would, and it is refused."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    assert old in stack.read_text()
    stack.write_text(stack.read_text().replace(old, new, 1))
    under = {
        "asso": member(10600, site={"domains": ["asso.ops.asso-x.org"], "php": "8.4"}),
        "asso-lists": member(10601, lists={"domain": "listes.ops.asso-x.org"}),
    }
    proc = check(write_members(tmp_path / "under", under), project)
    assert proc.returncode == 0, proc.stderr
    at = {"asso": member(10600, site={"domains": ["ops.asso-x.org"], "php": "8.4"})}
    proc = check(write_members(tmp_path / "at", at), project)
    assert proc.returncode == 1 and "a mailbox of the admins" in proc.stderr, proc.stderr


def test_the_dmarc_reports_domain_is_no_members_site_domain(tmp_path: Path) -> None:
    """pic:mail.dmarc_reports at a member's site domain sends every list domain's DMARC reports to that member's
    mail: refused at the member's domain; at a member's list domain it is the platform's alias to the admins."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text().replace("dmarc_reports: dmarc@example.org", "dmarc_reports: dmarc@asso-x.org"))
    at_site = write_members(
        tmp_path / "site", {"asso": member(10600, site={"domains": ["www.asso-x.org", "asso-x.org"], "php": "8.4"})}
    )
    proc = check(at_site, project)
    assert proc.returncode == 1, proc.stderr
    line = next(ln for ln in proc.stderr.splitlines() if "asso.yaml" in ln and "pic:mail.dmarc_reports" in ln)
    assert "site.domains[1]" in line and "this member's mail" in line, proc.stderr
    assert sum("pic:mail.dmarc_reports" in ln for ln in proc.stderr.splitlines()) == 1, proc.stderr
    # www.X alone: the site sends mail as X, whose DNS (and MX) the member holds
    at_www = write_members(
        tmp_path / "www", {"asso": member(10600, site={"domains": ["www.asso-x.org"], "php": "8.4"})}
    )
    proc = check(at_www, project)
    assert proc.returncode == 1, proc.stderr
    line = next(ln for ln in proc.stderr.splitlines() if "asso.yaml" in ln and "pic:mail.dmarc_reports" in ln)
    assert "site.domains[0]" in line and "sends mail as asso-x.org" in line, proc.stderr
    www_and_lists = write_members(
        tmp_path / "www-lists",
        {"asso": member(10600, site={"domains": ["www.asso-x.org"], "php": "8.4"}, lists={"domain": "asso-x.org"})},
    )
    proc = check(www_and_lists, project)
    assert proc.returncode == 0, proc.stderr
    at_lists = write_members(tmp_path / "lists", {"asso": member(10600, lists={"domain": "asso-x.org"})})
    proc = check(at_lists, project)
    assert proc.returncode == 0, proc.stderr
    # its list domain and one of its site domains at once: Sympa's host takes the domain's mail (a warning)
    both = write_members(
        tmp_path / "both",
        {"asso": member(10600, site={"domains": ["asso-x.org"], "php": "8.4"}, lists={"domain": "asso-x.org"})},
    )
    proc = check(both, project)
    assert proc.returncode == 0, proc.stderr
    # under a member's site domain, at its list domain: the alias, as under the list domain of the examples
    stack.write_text(stack.read_text().replace("dmarc@asso-x.org", "dmarc@listes.asso-x.org"))
    under = write_members(
        tmp_path / "under",
        {"asso": member(10600, site={"domains": ["asso-x.org"], "php": "8.4"}, lists={"domain": "listes.asso-x.org"})},
    )
    proc = check(under, project)
    assert proc.returncode == 0, proc.stderr


def test_new_refuses_control_characters_in_the_name(members: Path) -> None:
    proc = _new(members, "nouvelle", "--name", "Nou\nvelle", "--email", "n@example.org")
    assert proc.returncode == 1 and "--name" in proc.stderr and "control character" in proc.stderr


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--name", "\u0301\u0301", "shows nothing"),
        ("--name", "\u3164", "invisible character"),
        ("--domain", "xn--pris-53d.fr", "mixes scripts"),
        ("--domain", "ab--cd.nouvelle-asso.fr", "R-LDH"),
        ("--domain", "www.example.com", "is under example.com, a name IANA holds for documentation (RFC 2606 §3)"),
        ("--email", "n@xn--pypal-4ve.fr", "mixes scripts"),
        ("--email", "n" * 65 + "@example.org", "too long"),
        # an address given with more than itself: the address alone is named (was: "The display name contains
        # invalid characters when not quoted: 'é'", as if quotes would do; "invalid characters before the @-sign")
        ("--email", "Nouvelle Lyonnaise <n@example.org>", "a name and angle brackets around the address are not"),
        ("--email", "Élodie <n@example.org>", "give the address alone ('n@example.org')"),
        ("--email", "mailto:n@example.org", "without 'mailto:' ('n@example.org')"),
        ("--email", "n@example.org; m@example.org", "holds more than one address: give one address"),
    ],
)
def test_new_refuses_what_check_refuses(members: Path, option: str, value: str, words: str) -> None:
    args = {"--name": "Nouvelle", "--email": "n@example.org", "--domain": "nouvelle-asso.fr", option: value}
    proc = _new(members, "nouvelle", *(x for pair in args.items() for x in pair))
    assert proc.returncode == 1, proc
    assert option in proc.stderr and words in proc.stderr, proc.stderr
    assert not (members / "nouvelle.yaml").exists()


def test_new_never_hands_out_a_uid_of_the_history(tmp_path: Path) -> None:
    """A removed member's uid may still own an account and files on the hosts: it is never given again."""
    require_program("git")
    repo = tmp_path / "repo"
    members = write_members(repo / "members", {"ancienne": member(uid=10900), "restante": member(uid=10100)})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two members")
    (members / "ancienne.yaml").unlink()
    git(repo, "commit", "-qam", "ancienne leaves")
    proc = _new(members, "nouvelle", "--name", "Nouvelle", "--email", "n@example.org")
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load((members / "nouvelle.yaml").read_text())["uid"] == 10901


def _history(repo: Path, members: Path, removed: bytes) -> None:
    """A repository where a member file of ``removed`` content was committed, then removed."""
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "restante")
    (members / "ancienne.yaml").write_bytes(removed)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ancienne")
    (members / "ancienne.yaml").unlink()
    git(repo, "commit", "-qam", "ancienne leaves")


_ANCIENNE = yaml.safe_dump(member(uid=10800)).encode()  # contact, name, then "uid: 10800\n"


@pytest.mark.parametrize(
    ("uid", "passes_check"),
    [
        (b"uid: 0x2a30\n", True),
        (b"uid:\n  10800\n", True),
        (b"uid: # the account's\n  10800\n", True),
        (b"uid: +10800\n", True),
        (b"uid: 0o25060\n", True),
        (b"uid: !!int 10800\n", True),
        (b"uid: &u 10800\n", True),
        (b'"uid": 10800\n', True),
        (b"? uid\n: 10800\n", True),
        (b"uid: 10_800\n", False),
        (b"uid: 1.08e4\n", False),
        (b"uid: 0x2a30\nnotes: caf\xe9\n", False),
    ],
    ids=[
        "hex",
        "next-line",
        "after-a-comment",
        "plus-sign",
        "octal",
        "int-tag",
        "anchor",
        "quoted-key",
        "explicit-key",
        "underscores-refused",
        "exponent-refused",
        "not-utf8-refused",
    ],
)
def test_new_never_hands_out_a_uid_of_the_history_however_written(
    tmp_path: Path, uid: bytes, passes_check: bool
) -> None:
    """A uid is read from each past version as pic check reads it; a version it refuses gives every uid it spells."""
    require_program("git")
    repo = tmp_path / "repo"
    members = write_members(repo / "members", {"restante": member(uid=10100)})
    removed = _ANCIENNE.replace(b"uid: 10800\n", uid)
    (members / "ancienne.yaml").write_bytes(removed)
    assert (check(members).returncode == 0) == passes_check
    (members / "ancienne.yaml").unlink()
    _history(repo, members, removed)
    proc = _new(members, "nouvelle", "--name", "Nouvelle", "--email", "n@example.org")
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load((members / "nouvelle.yaml").read_text())["uid"] == 10801


def test_new_reads_a_flow_mapping_of_the_history(tmp_path: Path) -> None:
    require_program("git")
    repo = tmp_path / "repo"
    members = write_members(repo / "members", {"restante": member(uid=10100)})
    removed = b"{uid: 10800, name: Ancienne,\n contact: {name: Anne, email: anne@example.org}}\n"
    (members / "ancienne.yaml").write_bytes(removed)
    assert check(members).returncode == 0
    (members / "ancienne.yaml").unlink()
    _history(repo, members, removed)
    proc = _new(members, "nouvelle", "--name", "Nouvelle", "--email", "n@example.org")
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load((members / "nouvelle.yaml").read_text())["uid"] == 10801


def _merge(repo: Path, branch: str, on_branch: Callable[[], None], in_merge: Callable[[], None]) -> None:
    """A branch from main with ``on_branch`` done, merged into main (which moved on) with ``in_merge``
    done in the merge commit itself; the branch is then deleted and the reflogs emptied: the commits
    are known from the merge only."""
    git(repo, "checkout", "-qb", branch)
    (repo / f"{branch}.txt").write_text("branch\n")
    on_branch()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", branch)
    git(repo, "checkout", "-q", "main")
    (repo / f"main-{branch}.txt").write_text("main\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"main, before {branch}")
    git(repo, "merge", "-q", "--no-ff", "--no-commit", branch)
    in_merge()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"merge {branch}")
    git(repo, "branch", "-qD", branch)
    git(repo, "reflog", "expire", "--expire=now", "--all")


@pytest.mark.parametrize("where", ["in-merge-commits", "on-a-merged-branch"])
def test_new_reads_the_merges_of_the_history(tmp_path: Path, where: str) -> None:
    """A member added and removed in merge commits themselves, or on a branch merged then deleted, counts too."""
    require_program("git")
    repo = tmp_path / "repo"
    members = write_members(repo / "members", {"restante": member(uid=10100)})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "restante")

    def arrives() -> None:
        write_members(members, {"ancienne": member(uid=10800)})

    def leaves() -> None:
        (members / "ancienne.yaml").unlink()

    def nothing() -> None:
        pass

    if where == "in-merge-commits":
        _merge(repo, "one", nothing, arrives)
        _merge(repo, "two", nothing, leaves)
    else:

        def comes_and_goes() -> None:
            arrives()
            git(repo, "add", "-A")
            git(repo, "commit", "-qm", "ancienne")
            leaves()

        _merge(repo, "one", comes_and_goes, nothing)
    proc = _new(members, "nouvelle", "--name", "Nouvelle", "--email", "n@example.org")
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load((members / "nouvelle.yaml").read_text())["uid"] == 10801


def test_new_follows_a_member_file_moved_into_the_directory(tmp_path: Path) -> None:
    require_program("git")
    repo = tmp_path / "repo"
    members = write_members(repo / "members", {"restante": member(uid=10100)})
    write_members(repo / "registre", {"ancienne": member(uid=10800, notes="Association de quartier. " * 8)})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two directories")
    (repo / "registre" / "ancienne.yaml").unlink()
    write_members(members, {"ancienne": member(uid=10200, notes="Association de quartier. " * 8)})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ancienne moves, with a new uid")
    (members / "ancienne.yaml").unlink()
    git(repo, "commit", "-qam", "ancienne leaves")
    proc = _new(members, "nouvelle", "--name", "Nouvelle", "--email", "n@example.org")
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load((members / "nouvelle.yaml").read_text())["uid"] == 10801


def test_new_refuses_a_shallow_clone(tmp_path: Path) -> None:
    """Members removed before a shallow clone's oldest commit are unknown: pic new says so, writes nothing."""
    require_program("git")
    repo = tmp_path / "repo"
    members = write_members(repo / "members", {"restante": member(uid=10100)})
    _history(repo, members, _ANCIENNE)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True, capture_output=True)
    proc = _new(clone / "members", "nouvelle", "--name", "Nouvelle", "--email", "n@example.org")
    assert proc.returncode == 1, proc
    assert "shallow clone" in proc.stderr and "git fetch --unshallow" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (clone / "members" / "nouvelle.yaml").exists()


def test_new_refuses_a_history_git_cannot_read(tmp_path: Path) -> None:
    """A past version that is missing could have held any uid: pic new refuses rather than guess."""
    require_program("git")
    repo = tmp_path / "repo"
    members = write_members(repo / "members", {"restante": member(uid=10100)})
    _history(repo, members, _ANCIENNE)
    blob = git(repo, "rev-parse", "HEAD~1:members/ancienne.yaml").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    proc = _new(members, "nouvelle", "--name", "Nouvelle", "--email", "n@example.org")
    assert proc.returncode == 1, proc
    assert "has a history that cannot be read" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not (members / "nouvelle.yaml").exists()


@pytest.mark.parametrize(
    ("text", "uids"),
    [
        (b"uid: 0x2718", {10008}),
        (b"uid: 0o23430 and 0b10011100011000", {10008}),
        (b"uid: 10_008, x10009y", {10008, 10009}),
        (b"uid: 2:46:48", {10008}),
        (b"uid: 023430", {10008, 23430}),  # octal in YAML 1.1, decimal in 1.2
        (b"uid: 9999 60000 " + b"9" * 5000, set()),
    ],
    ids=["hex", "octal-binary", "underscores-within-words", "base-60", "leading-zero", "out-of-range"],
)
def test_the_uids_a_refused_version_could_spell(text: bytes, uids: set[int]) -> None:
    assert newmember.spelled_uids(text) == uids


# --- pic plan --against: a revision's links --------------------------------------------------------


@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside", "velo-cite.yaml"])
def test_plan_against_a_revision_holding_a_link(tmp_path: Path, target: str) -> None:
    require_program("git")
    work = tmp_path / "repo"
    work.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.prod.yaml"):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "members", work / "members")
    shutil.copy(ROOT / "tests" / "fixtures" / "contract_program.py", work / "__main__.py")
    (work / "members" / "linked.yaml").symlink_to(target)
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "a link")
    (work / "members" / "linked.yaml").unlink()
    git(work, "commit", "-qam", "no link")
    proc = pic(work, "plan", "--against", "HEAD~1")
    assert proc.returncode == 1, proc
    assert f"holds links or special files, which are not extracted: members/linked.yaml -> {target}" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_plan_against_a_commit_of_no_file(tmp_path: Path) -> None:
    # A repository started with `git commit --allow-empty -m init`: git archive writes a header and no entry
    # (was: a traceback, tarfile.ReadError); the revision has no members/, said as for any such revision.
    require_program("git")
    work = tmp_path / "repo"
    work.mkdir()
    git(work, "init", "-q")
    git(work, "commit", "-q", "--allow-empty", "-m", "init")
    for name in ("Pulumi.yaml", "Pulumi.prod.yaml"):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "members", work / "members")
    shutil.copy(ROOT / "tests" / "fixtures" / "contract_program.py", work / "__main__.py")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "the registry")
    proc = pic(work, "plan", "--against", "HEAD~1")
    assert proc.returncode == 1, proc
    assert "HEAD~1 (" in proc.stderr and "has no directory members/ of member files" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_plan_against_a_revision_whose_stack_file_is_a_directory(tmp_path: Path) -> None:
    """Pulumi.prod.yaml a directory at REV is no new stack (the plan said every resource added, exit 0): the
    revision's settings cannot be read, and that is said."""
    require_program("git")
    work = tmp_path / "repo"
    work.mkdir()
    git(work, "init", "-q")
    shutil.copy(ROOT / "Pulumi.yaml", work / "Pulumi.yaml")
    (work / "Pulumi.prod.yaml").mkdir()
    (work / "Pulumi.prod.yaml" / "README").write_text("not a stack file\n")
    shutil.copytree(ROOT / "members", work / "members")
    shutil.copy(ROOT / "tests" / "fixtures" / "contract_program.py", work / "__main__.py")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "a directory")
    git(work, "rm", "-rq", "Pulumi.prod.yaml")
    shutil.copy(ROOT / "Pulumi.prod.yaml", work / "Pulumi.prod.yaml")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "the stack file")
    proc = pic(work, "plan", "--against", "HEAD~1")
    assert proc.returncode == 1, proc
    assert "Pulumi.prod.yaml is a directory, not the stack file" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_deep_nesting_is_refused_not_crashed(members: Path) -> None:
    (members / "deep-member.yaml").write_text("name: " + "[" * 100_000 + "]" * 100_000 + "\n")
    proc = check(members)
    assert proc.returncode == 1, proc
    assert "deep-member.yaml:1 invalid YAML" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("raw", "shown"),
    [(b"Caf\xe9", "\\xe9"), (b"\xff\xfeC", "\\xff"), (b"Case \xed\xa0\x80", "\\xed"), (b"Case \xc0\xaf", "\\xc0")],
    ids=["latin-1", "utf-16-bom", "surrogate", "overlong"],
)
def test_bytes_that_are_not_utf8_are_named_with_line_and_field(members: Path, raw: bytes, shown: str) -> None:
    text = BASE.read_bytes().replace(b"10500", b"10501").replace(b"base-asso.fr", b"other-asso.fr")
    (members / "other-member.yaml").write_bytes(text.replace(b"name: Base Contact", b"name: " + raw, 1))
    line = text.split(b"\n").index(next(ln for ln in text.split(b"\n") if b"name: Base Contact" in ln)) + 1
    proc = check(members)
    assert proc.returncode == 1, proc
    assert f"other-member.yaml:{line} contact.name: " in proc.stderr, proc.stderr
    assert f"bytes that are not UTF-8 ({shown}" in proc.stderr
    # the line is shown with its bytes as ls shows a file name's (\\xe9), as the message names them: it showed
    # U+FFFD in their place (the line "contact: {name: Caf\ufffd, ...")
    written = "".join(chr(b) if b < 0x80 else f"\\x{b:02x}" for b in raw)
    assert f'the line "contact: {{name: {written}, email: ' in proc.stderr, proc.stderr
    assert "\ufffd" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_key_with_a_byte_not_utf8_is_not_named_with_a_replacement_character(members: Path) -> None:
    """A key holding a byte that is not UTF-8 (not\\xe9s: x) was named as the field "not\\ufffds", a character the
    file does not hold: the line names the byte, no field is named from the key read wrong."""
    text = BASE.read_bytes().replace(b"10500", b"10501").replace(b"base-asso.fr", b"other-asso.fr")
    (members / "other-member.yaml").write_bytes(text + b"not\xe9s: x\n")
    proc = check(members)
    assert proc.returncode == 1, proc
    line = text.count(b"\n") + 1
    named = [x for x in proc.stderr.splitlines() if "other-member.yaml:" in x]
    assert named == [
        f'{members / "other-member.yaml"}:{line} the line "not\\xe9s: x" holds bytes that are not UTF-8 '
        "(\\xe9, column 4): save the file as UTF-8"
    ], proc.stderr


def test_bytes_not_utf8_on_one_line_are_one_error_naming_each_in_order(members: Path) -> None:
    """A Latin-1 line with two bytes (name: "\\xe9 d\\xe9bat") gave two errors repeating the line, in the order of
    their text ('(column 11)' before '(column 8)'): one error for the line names each byte with its column, in
    order."""
    text = BASE.read_bytes().replace(b"10500", b"10501").replace(b"base-asso.fr", b"other-asso.fr")
    first = text.split(b"\n")[1]
    assert first.startswith(b"name: "), first
    (members / "other-member.yaml").write_bytes(text.replace(first, b'name: "\xe9 d\xe9bat"', 1))
    proc = check(members)
    assert proc.returncode == 1, proc
    named = [line for line in proc.stderr.splitlines() if "other-member.yaml:" in line]
    assert named == [
        f"{members / 'other-member.yaml'}:2 name: the line "
        '"name: \\"\\xe9 d\\xe9bat\\"" holds bytes that are not UTF-8 (\\xe9, column 8; \\xe9, column 11): '
        "save the file as UTF-8"
    ], proc.stderr
    assert "invalid: 1 error" in proc.stderr, proc.stderr


@pytest.mark.parametrize("start", [b"\x00", b"x\x00", b"\x00\x00\x00", b"#\x00"])
def test_a_utf8_file_starting_with_a_nul_is_told_of_the_nul(members: Path, start: bytes) -> None:
    """A member file in UTF-8 whose first bytes hold a NUL (a file damaged in a crash, a stray byte before the text)
    was told it is encoded in UTF-16 or UTF-32, as YAML guesses from its first bytes, and to save it as UTF-8, which
    it is: read in that encoding it is no text of a YAML file. It is told of the NUL, its line and column."""
    text = BASE.read_bytes().replace(b"10500", b"10501").replace(b"base-asso.fr", b"other-asso.fr")
    (members / "other-member.yaml").write_bytes(start + text)
    proc = check(members)
    assert proc.returncode == 1, proc
    named = [line for line in proc.stderr.splitlines() if "other-member.yaml" in line]
    assert named, proc.stderr
    assert all("UTF-16" not in line and "UTF-32" not in line for line in named), proc.stderr
    assert f"{members / 'other-member.yaml'}:1 " in named[0] and "U+0000" in named[0], proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("utf-16", "UTF-16 (little-endian), as YAML tells from its first bytes (a byte-order mark)"),
        ("utf-16-be", "UTF-16 (big-endian), as YAML tells from its first bytes"),
        ("utf-16-le", "UTF-16 (little-endian), as YAML tells from its first bytes"),
        ("utf-32", "UTF-32 (little-endian), as YAML tells from its first bytes (a byte-order mark)"),
        ("utf-32-be", "UTF-32 (big-endian), as YAML tells from its first bytes"),
    ],
)
def test_a_file_in_utf16_or_utf32_is_named_so_once(tmp_path: Path, members: Path, encoding: str, said: str) -> None:
    """Notepad's "Unicode": one message saying so, for a member file and the stack file (was: five messages about
    NUL characters, "remove it", quoting the line's bytes)."""
    text = BASE.read_text(encoding="utf-8").replace("10500", "10501").replace("base-asso.fr", "other-asso.fr")
    (members / "other-member.yaml").write_bytes(text.encode(encoding))
    proc = check(members)
    assert proc.returncode == 1, proc
    named = [line for line in proc.stderr.splitlines() if "other-member.yaml" in line]
    assert named == [f"{members / 'other-member.yaml'}:1 is encoded in {said}: save the file as UTF-8"], proc.stderr
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_bytes(stack.read_text(encoding="utf-8").encode(encoding))
    proc = check(members, project)
    assert f"{stack}:1 is encoded in {said}: save the file as UTF-8" in proc.stderr, proc.stderr
    assert "U+0000" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("content", "told"),
    [
        (b"\x00" * 40, ":1 the line "),  # a file left as NULs by a crash
        (b"name: Nul\n\x00\x00\x00\x00\x00\x00\n", ":2 the line "),
    ],
)
def test_a_run_of_one_refused_character_is_told_once(members: Path, content: bytes, told: str) -> None:
    """A file of NULs (left so by a crash) was told five times that its line holds U+0000, columns 1 to 5: a run of
    one refused character on a line is told once, with its columns and length."""
    (members / "nul-member.yaml").write_bytes(content)
    proc = check(members)
    assert proc.returncode == 1, proc
    named = [line for line in proc.stderr.splitlines() if "nul-member.yaml:" in line]
    runs = content.rstrip(b"\n").split(b"\n")[-1].count(b"\x00")
    assert len(named) == 1 and told in named[0], proc.stderr
    said = f"(U+0000, {runs} in a row), which YAML files may not hold: remove them (columns 1 to {runs})"
    assert said in named[0], named


FILLERS = [b"\x01", b"\xc2\x85", b"\xff", b"\xff a\n"]


@pytest.mark.parametrize("filler", FILLERS, ids=["control", "nel", "byte", "lines"])
def test_a_file_full_of_refused_characters_gives_a_few_lines(members: Path, filler: bytes) -> None:
    """Near the size cap: the first five places are named, the file is refused, nothing else is said of it."""
    (members / "noisy-member.yaml").write_bytes(b"name: Noisy\n" + filler * (200_000 // len(filler)))
    proc = check(members)
    assert proc.returncode == 1, proc
    named = [line for line in proc.stderr.splitlines() if "noisy-member.yaml:" in line]
    assert 1 <= len(named) <= 5, proc.stderr[:2000]
    assert all("holds" in line and ("(column" in line or ", column" in line) for line in named), named


def test_a_database_name_too_long_to_escape_may_not_cover_another(tmp_path: Path) -> None:
    """A grant names its database escaped (``_`` is a wildcard); a name whose escaped form passes
    MariaDB's 64 characters keeps its wildcards, so no other member database may match it."""
    from pic.names import grant_covers, grant_database, member_grant_covers, member_grant_pattern
    from pic.registry import load_registry
    from pic.settings import load_settings

    assert grant_database("wx_y_main") == "wx\\_y\\_main"
    assert member_grant_pattern("wx_y_main") == "wx\\_y\\_main%"
    assert grant_covers("wx_y_main", "wxzy_main") and not grant_covers("wx_y_main", "wx_y_mainx")
    assert member_grant_covers("wx_y_main", "wx_y_main-restore") and not member_grant_covers("wx_y_main", "wxzy_main")
    short = "q_r_s_t_u_v_w_x"
    long_slug, other_slug = "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p", "azb-c-d-e-f-g-h-i-j-k-l-m-n-o-p"
    name = f"{long_slug.replace('-', '_')}_{short}"
    assert grant_database(name) == name, "the case needs a name too long to escape"
    assert member_grant_covers(name, f"{other_slug.replace('-', '_')}_{short}")
    directory = write_members(
        tmp_path / "members",
        {long_slug: member(uid=10700, databases=[short]), other_slug: member(uid=10701, databases=[short])},
    )
    with pytest.raises(PicError) as caught:
        load_registry(directory, load_settings(ROOT, "prod"))
    message = str(caught.value)
    assert f"{long_slug}.yaml" in message and "would also cover" in message, message
    assert f"{other_slug.replace('-', '_')}_{short}" in message
    # apart, each is accepted
    alone = write_members(tmp_path / "alone", {long_slug: member(uid=10700, databases=[short])})
    assert len(load_registry(alone, load_settings(ROOT, "prod"))) == 1


def test_a_grant_covering_another_members_database_offers_to_change_either(tmp_path: Path) -> None:
    """velo-cite's forum (grant velo\\_cite\\_forum%) beside a member velo-cite-forum, whose main is
    velo_cite_forum_main: the error, on velo-cite's line, told it alone to 'use a name that does not start another
    member's', renaming a database that holds the association's data, when the slug of the other member, likelier
    the one just added, makes the clash. It offers both, and says that a database given another name is made
    anew, empty."""
    from pic.registry import load_registry
    from pic.settings import load_settings

    directory = write_members(
        tmp_path / "members",
        {"velo-cite": member(uid=10700, databases=["forum"]), "velo-cite-forum": member(uid=10701, databases=["main"])},
    )
    with pytest.raises(PicError) as caught:
        load_registry(directory, load_settings(ROOT, "prod"))
    message = str(caught.value)
    assert 'would also cover "velo_cite_forum_main" of ' in message, message
    assert (
        "use a name that does not start another member's, or give velo-cite-forum a slug (or that database a short "
        'name) whose database name does not start with "velo_cite_forum": a database given another name is made '
        "anew, empty, its data left in the one of the name it had"
    ) in message, message
    # names too long to escape keep _ as a wildcard: abc_e_...'s grant covers abcde_..., which does start with it
    a, b = "abcde" + "-x" * 12, "abc-e" + "-x" * 12
    directory = write_members(
        tmp_path / "long",
        {a: member(uid=10702, databases=["x_x_x_x_x_x_x_x"]), b: member(uid=10703, databases=["x_x_x_x_x_x_x_x"])},
    )
    with pytest.raises(PicError) as caught:
        load_registry(directory, load_settings(ROOT, "prod"))
    message = str(caught.value)
    assert f"or give {a} a slug (or that database a short name) whose database name it does not cover: a " in message
    # and the grants sharing names: the database of the file told is the one renamed
    assert (
        "use a shorter name, or one with fewer _ and - (a database given another name is made anew, empty, its data "
        "left in the one of the name it had)"
    ) in message, message


def test_a_grant_that_keeps_its_wildcards_shares_no_name_with_another_members(tmp_path: Path) -> None:
    """A grant whose escaped name would pass 64 characters keeps ``_`` as a wildcard: it may cover no
    name that another member's grant covers, though it covers none of that member's databases: here
    the restore's ``<database>-restore`` of the shorter name, which that member loads its dump into."""
    import re

    from pic.names import member_grant_covers, member_grant_pattern, shared_grant_name
    from pic.registry import load_registry
    from pic.render.db import restore_databases
    from pic.settings import load_settings

    def like(pattern: str, name: str) -> bool:  # MariaDB's LIKE matching of a grant's database part
        parts = re.findall(r"\\.|.", pattern)
        wild = {"_": ".", "%": ".*"}
        regex = "".join(re.escape(p[1]) if p.startswith("\\") else wild.get(p, re.escape(p)) for p in parts)
        return re.fullmatch(regex, name, re.DOTALL) is not None

    one, other = "abcdefghijklmnopqrstuvwxyzabcdef", "a-c-e-g-i-k-m-o-qrstuvwxyzabcdef"
    mine, theirs = f"{one}_abcdefg", f"{other.replace('-', '_')}_abcdefg________"
    restore = restore_databases(mine)[0]
    assert member_grant_pattern(theirs) == theirs + "%", "the case needs a name too long to escape"
    assert not member_grant_covers(theirs, mine) and not member_grant_covers(mine, theirs)
    assert like(member_grant_pattern(theirs), restore) and like(member_grant_pattern(mine), restore)
    shared = shared_grant_name(theirs, mine)
    assert shared is not None
    assert like(member_grant_pattern(theirs), shared) and like(member_grant_pattern(mine), shared)
    assert shared_grant_name("wx_y_main", "wxzy_main") is None and shared_grant_name("abc_main", "abc_wiki") is None
    directory = write_members(
        tmp_path / "members",
        {one: member(uid=10730, databases=["abcdefg"]), other: member(uid=10731, databases=["abcdefg________"])},
    )
    with pytest.raises(PicError) as caught:
        load_registry(directory, load_settings(ROOT, "prod"))
    problems = caught.value.problems
    assert len(problems) == 1 and problems[0].file.endswith(f"{other}.yaml"), problems
    assert problems[0].path == "databases[0]" and problems[0].line == 5, problems
    message = str(problems[0])
    assert f'"{theirs}"' in message and f'"{restore}"' in message and f"{one}.yaml:" in message, message
    # one short name less: the grant is escaped, the two apart
    fewer = write_members(
        tmp_path / "fewer",
        {one: member(uid=10730, databases=["abcdefg"]), other: member(uid=10731, databases=["abcdefgh"])},
    )
    assert len(load_registry(fewer, load_settings(ROOT, "prod"))) == 2


def test_a_database_name_may_not_start_another(tmp_path: Path) -> None:
    """A member's one grant is ``<database>%`` (its database and the two a restore works in): a database
    whose name starts with another member's would be covered by it (the same member's are not refused)."""
    from pic.registry import load_registry
    from pic.settings import load_settings

    directory = write_members(
        tmp_path / "members",
        {"abc": member(uid=10720, databases=["main"]), "abc-main": member(uid=10721, databases=["x"])},
    )
    with pytest.raises(PicError) as caught:
        load_registry(directory, load_settings(ROOT, "prod"))
    message = str(caught.value)
    assert "abc.yaml" in message and '"abc_main_x" of' in message and "abc-main.yaml" in message, message
    # the same member's main and main2: its uid reads both credential files anyway
    same = write_members(tmp_path / "same", {"cde": member(uid=10722, databases=["main", "main2"])})
    assert len(load_registry(same, load_settings(ROOT, "prod"))) == 1
    apart = write_members(tmp_path / "apart", {"cde": member(uid=10722, databases=["main", "wiki"])})
    assert len(load_registry(apart, load_settings(ROOT, "prod"))) == 1


def test_cron_jobs_need_a_php_site(tmp_path: Path) -> None:
    """Jobs run in the member's PHP container: a static site's container (Caddy) has no PHP to run them."""
    from pic.registry import load_registry
    from pic.settings import load_settings

    job = {"schedule": "hourly", "command": "php x.php", "timeout": 60}
    static = member(uid=10710, site={"domains": ["static-cron.example.org"], "php": "none"}, cron=[job])
    directory = write_members(tmp_path / "members", {"static-cron": static})
    with pytest.raises(PicError) as caught:
        load_registry(directory, load_settings(ROOT, "prod"))
    assert "static-cron.yaml" in str(caught.value) and 'a static site (php: "none")' in str(caught.value)


@pytest.mark.parametrize(
    ("command", "said"),
    [
        ("php /srv/members/cron-paths/www/wp-cron.php", "names /srv/members/..., where the member's space is on the"),
        ("cd /srv/members/cron-paths/www && php x.php", "that space is /srv/site (the job starts in /srv/site/www)"),
        ("cd www && php wp-cron.php", "starts with cd www, but the job runs in www/ already"),
        ("cd ./www/; php x.php", "starts with cd www"),
        # quoted, escaped, with options, in a subshell or a group, a directory of www/: as dash reads the words
        ('cd "www" && php x.php', "starts with cd www"),
        ("cd './www/'; php x.php", "starts with cd www"),
        ("cd w\\ww && php x.php", "starts with cd www"),
        ("cd -P -- www/wordpress && wp cron event run --due-now", "starts with cd www"),
        ("cd -LP www/wordpress && wp cron event run --due-now", "starts with cd www"),
        ("cd -PL -- www && php x.php", "starts with cd www"),
        ("(cd www && php x.php) >> ../log/x.log", "starts with cd www"),
        ("{ cd www || exit 1; php x.php; }", "starts with cd www"),
        ("cd www 2>/dev/null && php x.php", "starts with cd www"),
        ("php wp-cron.php", None),
        ("cd ../priv && sh backup.sh", None),
        ("php /srv/site/www/wp-cron.php", None),
        ("cd wordpress && wp cron event run --due-now", None),
        ('cd "$APP_DIR" && php x.php', None),
        ("cd www2 && php x.php", None),
        ("echo cd www", None),
    ],
)
def test_a_cron_command_with_a_path_of_the_web_host_is_warned_of(
    tmp_path: Path, command: str, said: str | None
) -> None:
    """The job runs in the site's container, in /srv/site/www: the space's path on the web host (pic:members_root),
    or a cd www, fails at every run (was: taken without a word). dash, run where the job runs (a www/ with no
    www/ in it), stops at each cd www."""
    if "cd www" in (said or ""):
        www = tmp_path / "site" / "www"
        (www / "wordpress").mkdir(parents=True)
        (www.parent / "log").mkdir()
        done = subprocess.run(
            [require_program("dash"), "-c", command], capture_output=True, text=True, cwd=www, check=False
        )
        assert done.returncode != 0 and ("can't cd to" in done.stderr or "2>/dev/null" in command), done
    job = {"schedule": "hourly", "command": command}
    data = member(uid=10711, site={"domains": ["cron-paths.fr"], "php": "8.4"}, cron=[job])
    proc = check(write_members(tmp_path / "members", {"cron-paths": data}))
    assert proc.returncode == 0, proc.stderr
    warnings = [ln for ln in proc.stderr.splitlines() if "cron-paths.yaml:" in ln and "cron[0].command" in ln]
    if said is None:
        assert not warnings, proc.stderr
    else:
        [warning] = warnings
        assert warning.startswith("warning: ") and said in warning and command not in warning, warning


@pytest.mark.parametrize("value", ["1_" + "2" * 4400, "-" + "9_999" * 1000, "0x" + "f" * 4000, "0b" + "1" * 15000])
def test_a_number_written_as_text_past_what_int_prints_is_told_by_its_size(tmp_path: Path, value: str) -> None:
    """A number in quotes of more digits than Python prints from an int (4,300: 1_2222..., 0xffff...) raised
    ValueError out of pic check where its message wrote it out; it is told by its size, as 1e4000 is."""
    data = member()
    data["uid"] = "VALUE"
    members = write_members(tmp_path / "members", {"case-member": data})
    file = members / "case-member.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("VALUE", json.dumps(value)), encoding="utf-8")
    proc = check(members)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    [error] = _errors_of(proc)
    assert "uid: " in error and "it reads as a number of more than 30 digits" in error, error


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("[1, 2]", "[1, 2] is a list"),
        ("{size: 64M}", '{"size": "64M"} is a mapping'),
        ("2026-01-01", "2026-01-01 is a date"),
        ("yes", "yes (YAML reads true) is true or false"),
        ("1.5", "1.5 is a number with a fraction or an exponent"),
        ("0x10", "0x10 (16) is out of range"),
        ("0o20", "0o20 (16) is out of range"),
        ("1e3", "1e3 is a number with a fraction or an exponent"),
    ],
)
def test_a_php_setting_of_the_wrong_type_is_one_error_echoing_the_value_as_written(
    members: Path, written: str, shown: str
) -> None:
    """One message per setting, naming file, line, field and the value as the member wrote it."""
    lines = [
        "name: Case Member",
        "contact: {name: Case Contact, email: case@case-asso.fr}",
        "uid: 10600",
        "site:",
        "  domains: [case-asso.fr]",
        '  php: "8.4"',
        "  php_settings:",
        f"    memory_limit: {written}",
    ]
    (members / "case-member.yaml").write_text("\n".join(lines) + "\n")
    done = check(members)
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if "case-member.yaml" in line]
    # 1.5: what PHP reads of the same text told after (test_hints), 1 byte
    read = "; PHP reads no fraction of a size: 1.5 is 1 byte to PHP" if written == "1.5" else ""
    assert [e.split(read, 1)[0] if read else e for e in errors] == [
        f"{members / 'case-member.yaml'}:8 site.php_settings.memory_limit: {shown}: memory_limit must be "
        "a size from 16M to 1G, such as 64M"
    ], done.stderr
    assert not read or read in errors[0], errors


@pytest.mark.parametrize(
    ("written", "value"),
    [("true", True), ("false", False), ("yes", True), ("On", True), ("OFF", False), ("no", False), ("True", True)],
)
def test_display_errors_takes_every_spelling_of_a_yaml_boolean(tmp_path: Path, written: str, value: bool) -> None:
    """As every yes/no field of the file (docs/REGISTRY.md): the quoted forms are the corpus's refusals."""
    from pic.registry import load_registry
    from pic.settings import load_settings

    directory = tmp_path / "members"
    directory.mkdir()
    (directory / "test-site.yaml").write_text(
        "name: Test site\ncontact: {name: A, email: a@test-site.fr}\nuid: 10720\n"
        f'site:\n  domains: [test-site.fr]\n  php: "8.4"\n  php_settings:\n    display_errors: {written}\n'
    )
    (m,) = load_registry(directory, load_settings(ROOT, "prod")).members
    assert m.site is not None and m.site.php_settings == {"display_errors": value}


def _other_case(word: str) -> list[str]:
    """The spellings of ``word`` YAML reads as text: a case other than small letters, capitals or a capital first."""
    cases = {"".join(c.upper() if i & (1 << n) else c for n, c in enumerate(word)) for i in range(1 << len(word))}
    return sorted(cases - {word, word.capitalize(), word.upper()})


@pytest.mark.parametrize(
    "written", [case for word in ("true", "false", "yes", "no", "on", "off") for case in _other_case(word)[:3]]
)
def test_a_boolean_word_in_a_case_yaml_reads_as_text_is_told_alike_in_every_yes_no_field(
    tmp_path: Path, written: str
) -> None:
    """``display_errors: oN`` was told as written without quotes, which it was; every yes/no field of the file
    (``https``, ``access.ssh``, ``php_settings.display_errors``) tells it as one message: YAML reads the word as a
    boolean in the cases named, and this one as text; the value it means is offered."""
    from pic.registry import load_registry
    from pic.settings import load_settings

    word = written.lower()
    fields = {
        "site.https": f"  https: {written}\n",
        "site.php_settings.display_errors": f"  php_settings:\n    display_errors: {written}\n",
        "access.ssh": f'  php: "8.4"\naccess:\n  ssh: {written}\n',
    }
    for field, lines in fields.items():
        directory = tmp_path / field
        directory.mkdir()
        php = "" if field == "access.ssh" else '  php: "8.4"\n'
        (directory / "test-site.yaml").write_text(
            "name: Test site\ncontact: {name: A, email: a@test-site.fr}\nuid: 10720\n"
            f"site:\n  domains: [test-site.fr]\n{php}{lines}"
        )
        with pytest.raises(PicError) as caught:
            load_registry(directory, load_settings(ROOT, "prod"))
        (problem,) = [str(p) for p in caught.value.problems]
        assert problem.endswith(
            f" {field}: {written} is not true or false: YAML reads a word in all small letters, all capitals or "
            f"with a capital first alone as a boolean ({word}, {word.capitalize()}, {word.upper()}): "
            f"write {'true' if word in ('true', 'yes', 'on') else 'false'}"
        ), problem


@pytest.mark.parametrize(
    ("contact", "domains", "what"),
    [
        ("case@case-asso.fr", ["asso-case.org", "www.asso-case.org"], "the site's domain"),
        ("contact@asso-case.org", ["asso-case.org", "www.asso-case.org"], "the site's domain"),
        ("case@case-asso.fr", ["www.asso-case.org"], "the domain of the site's www.asso-case.org"),
        ("contact@asso-case.org", ["other-case.org"], "the domain of the contact's address"),
    ],
)
def test_a_list_domain_that_is_a_name_the_association_uses_is_warned(
    tmp_path: Path, contact: str, domains: list[str], what: str
) -> None:
    """Sympa would take every address of the domain: accepted, with a warning naming what is lost."""
    data = member(
        contact={"name": "Case Contact", "email": contact},
        site={"domains": domains, "php": "8.4"},
        lists={"domain": "asso-case.org"},
    )
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 0, proc.stderr
    warning = next(line for line in proc.stderr.splitlines() if "lists.domain" in line)
    assert warning.startswith(f"warning: {tmp_path}/members/case-member.yaml:"), warning
    assert f"asso-case.org is also {what}: its MX then points to the platform's Sympa" in warning
    assert ("contact@asso-case.org (the contact's address) among them" in warning) is contact.endswith("asso-case.org")
    assert "(e.g. listes.asso-case.org)" in warning


@pytest.mark.parametrize("contact", ["Bureau@ASSO-ÉTÉ.org", "bureau@asso-été.org", "Bureau@XN--ASSO-T-FVAB.ORG"])
def test_a_list_domain_at_the_contacts_domain_is_warned_however_written(tmp_path: Path, contact: str) -> None:
    """The contact's address may write its domain in Unicode or in capitals; the list domain is punycode."""
    data = member(
        contact={"name": "Case Contact", "email": contact},
        site={"domains": ["other-case.org"], "php": "8.4"},
        lists={"domain": "xn--asso-t-fvab.org"},
    )
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 0, proc.stderr
    warning = next((line for line in proc.stderr.splitlines() if "lists.domain" in line), "")
    assert "xn--asso-t-fvab.org is also the domain of the contact's address" in warning, proc.stderr
    assert f"{contact} (the contact's address) among them" in warning, warning


@pytest.mark.parametrize(
    "name",
    [
        "Sport, Pass: Loisirs",
        "Ciné-club (pass: étudiants)",
        "Club (token: Lyon-Est)",
        "Atelier openssl passwd Soleil42",
        "Club pass: S3cretPw9",
        "Amis du vélo, mot de passe : Zt8kq2LmW9",
        # the French label and the abbreviations as the English ones
        "Chorale, MDP: Azerty123",
        "Club (pw = Azerty123)",
        "Atelier, mot_de_passe=Azerty123",
    ],
)
def test_a_name_the_policy_pack_would_read_as_a_secret_is_refused(tmp_path: Path, name: str) -> None:
    """The name is the title of the member's Sympa robot: the pack would refuse robot.conf and stop every preview."""
    assert _pack_refuses_robot_conf(name)
    data = member(
        name=name, site={"domains": ["asso-case.org"], "php": "8.4"}, lists={"domain": "listes.asso-case.org"}
    )
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 1, proc.stderr
    line = next((ln for ln in proc.stderr.splitlines() if " name: " in ln), "")
    written = yaml.safe_dump(data, allow_unicode=True).splitlines()
    shown = next(i for i, text in enumerate(written, 1) if text.startswith("name: "))
    assert line.startswith(f"{tmp_path}/members/case-member.yaml:{shown} name: the name (not shown) reads as "), line
    assert "no-plaintext-secret" in line and name not in line, line
    assert "a secret written in clear" in line, line  # the words fit a program given its password too


def _pack_refuses_robot_conf(name: str) -> bool:
    """Whether the policy pack refuses the robot.conf whose title is ``name`` (a member's Sympa robot)."""
    from pic.render.mail import robot_conf
    from policy import pack
    from tests.policy_support import resource_args, validate

    conf = robot_conf(
        "listes.asso-case.org",
        sympa_domain="listes.example.org",
        listmaster="a@example.org",
        selector="pic",
        title=name,
    )
    return validate(pack.no_plaintext_secret, resource_args("command:remote:Command", {"stdin": conf})) != []


@pytest.mark.parametrize(
    "name",
    [
        "Les Amis du Pass Culture",
        "Club Pass'Sport",
        "Token & Co: jeux de société",
        "Club de passe-temps",
        "Passerelle: Lyon2024",
        "Les Pass'sport: 2024",
        "Le Jardin Secret : Saison2",
        "Compagnie Mot de passe : théâtre",
    ],
)
def test_a_name_with_secret_words_is_taken(tmp_path: Path, name: str) -> None:
    """pic check takes it, and the policy pack takes the robot.conf it is the title of."""
    assert not _pack_refuses_robot_conf(name)
    data = member(
        name=name, site={"domains": ["asso-case.org"], "php": "8.4"}, lists={"domain": "listes.asso-case.org"}
    )
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 0, proc.stderr


def test_a_list_domain_of_its_own_is_not_warned(tmp_path: Path) -> None:
    data = member(site={"domains": ["asso-case.org"], "php": "8.4"}, lists={"domain": "listes.asso-case.org"})
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 0 and "lists.domain" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("contact", "whose"),
    [
        ("bureau@listes.asso-other.org", "the list domain of"),  # another member's
        ("Bureau@LISTES.ASSO-OTHER.ORG", "the list domain of"),  # mail domains have no case
        ("bureau@listes.example.org", "pic:mail.sympa_domain"),
    ],
)
def test_a_contact_at_a_domain_sympa_receives_is_warned(tmp_path: Path, contact: str, whose: str) -> None:
    """What the admins and pic notify write to the contact would reach Sympa: another member's lists, or a bounce."""
    other = member(
        uid=10601, site={"domains": ["asso-other.org"], "php": "8.4"}, lists={"domain": "listes.asso-other.org"}
    )
    data = member(contact={"name": "Case Contact", "email": contact}, site={"domains": ["asso-case.org"], "php": "8.4"})
    proc = check(write_members(tmp_path / "members", {"asso-other": other, "case-member": data}))
    assert proc.returncode == 0, proc.stderr
    warning = next(line for line in proc.stderr.splitlines() if "contact.email" in line)
    assert warning.startswith(f"warning: {tmp_path}/members/case-member.yaml:2 contact.email: {contact} is at "), (
        warning
    )
    assert whose in warning and "Sympa receives its mail" in warning, warning
    # the member's own list domain is told as such (test above); another member's site domain is no one's lists
    own = member(contact={"name": "C", "email": "c@asso-other.org"}, site={"domains": ["asso-case.org"], "php": "8.4"})
    proc = check(write_members(tmp_path / "apart", {"asso-other": other, "case-member": own}))
    assert proc.returncode == 0 and "contact.email" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("contact", "why", "suggested"),
    [
        ("bureau@gmial.com", "misspelled domain", "bureau@gmail.com"),
        ("bureau@gmail.fr", "never had mailboxes", "bureau@gmail.com"),
        ("bureau@voila.fr", "domain closed", None),  # Orange closed it: no address to suggest
        # closed too, each with its source in pic/data/mail_domains.yaml
        ("bureau@tiscali.fr", "domain closed", None),
        ("bureau@cybercable.fr", "domain closed", None),
        ("bureau@wanadoo.es", "domain closed", None),
        ("bureau@orange.es", "domain closed", None),
        ("bureau@hotmail.fe", "unknown top-level domain .fe", "bureau@hotmail.fr"),
        ("bureau@orange.frr", "unknown top-level domain .frr", "bureau@orange.fr"),
        ("Bureau@Asso-Case.LAN", "unknown top-level domain .lan", None),
    ],
)
def test_a_contact_where_mail_never_arrives_is_warned(
    tmp_path: Path, contact: str, why: str, suggested: str | None
) -> None:
    """The contact is whom pic notify warns of a runtime's end of life: an address pic lists audit would flag
    (a closed or misspelt provider, an unknown top-level domain) is told, with the likely address, as a warning
    (the data ages; the file stays valid)."""
    data = member(contact={"name": "Case Contact", "email": contact}, site={"domains": ["asso-case.org"], "php": "8.4"})
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 0, proc.stderr
    warning = next(line for line in proc.stderr.splitlines() if "contact.email" in line)
    assert warning.startswith(f'warning: {tmp_path}/members/case-member.yaml:2 contact.email: "{contact}": '), warning
    assert why in warning and "would not reach the contact" in warning, warning
    assert (f"(suggested: {suggested})" in warning) if suggested else "suggested" not in warning, warning


@pytest.mark.parametrize(
    "contact", ["bureau@orange.fr", "bureau@wanadoo.fr", "bureau@gmail.com", "bureau@asso-case.org", "b@zoé.fr"]
)
def test_a_contact_at_a_living_domain_is_not_warned(tmp_path: Path, contact: str) -> None:
    """Providers' domains that still take mail, the member's own domain, a name under a real top-level domain."""
    data = member(contact={"name": "Case Contact", "email": contact}, site={"domains": ["asso-case.org"], "php": "8.4"})
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 0 and "contact.email" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("status", ["suspended", "archived"])
def test_php_memory_is_checked_for_a_member_whose_site_runs_only(tmp_path: Path, status: str) -> None:
    """A suspended or archived member has no container: its memory settings are not held against it."""
    site = {"domains": ["asso-case.org"], "php": "8.4"}
    members = {
        "case-member": member(site=site, limits={"memory_mb": 64}, status=status),
        "run-member": member(10601, site={"domains": ["run-case.org"], "php": "8.4"}, limits={"memory_mb": 64}),
    }
    proc = check(write_members(tmp_path / "members", members))
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "less than PHP's memory_limit" in line]
    assert len(errors) == 1 and "run-member.yaml" in errors[0], proc.stderr


@pytest.mark.parametrize(
    ("memory_mb", "written", "refused"),
    [
        (512, "512M", True),  # equal: the request's PHP would take all of it
        (512, "524288K", True),  # the same size in K, as PHP reads it
        (512, "536870912", True),  # in bytes
        (1024, "1G", True),
        (1024, "1g", True),  # PHP reads the suffix in either case
        (512, "511M", True),  # leaves 1 MB: less than OPcache's 64 MB
        (512, "449M", True),
        (512, "448M", False),  # leaves OPcache's 64 MB
        (1024, "960M", False),
        (None, "256M", True),  # the stack's pic:limits.memory_mb, 256
        (None, "255M", True),
        (None, "193M", True),
        (None, "192M", False),  # docs/REGISTRY.md's example
    ],
)
def test_php_memory_limit_is_less_than_the_containers_memory(
    tmp_path: Path, memory_mb: int | None, written: str, refused: bool
) -> None:
    """The container runs Apache and its mod_php workers, OPcache's shared memory and the /tmp tmpfs beside a
    request's PHP: a memory_limit of all its memory (512M in 512 MB) is refused as a larger one is, with both
    figures; the size read as PHP reads it (K, M, G in either case, or bytes). 511M in 512 MB was taken, leaving
    1 MB of the 64 MB OPcache's shared memory takes (opcache.memory_consumption, php-pic.ini.j2): a limit that
    leaves less than OPcache's memory is refused, with the size to write."""
    settings: dict[str, object] = {"memory_limit": int(written) if written.isdigit() else written}
    site = {"domains": ["asso-case.org"], "php": "8.4", "php_settings": settings}
    data = member(site=site) if memory_mb is None else member(site=site, limits={"memory_mb": memory_mb})
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    errors = [line for line in proc.stderr.splitlines() if "memory_limit" in line and "warning" not in line]
    if not refused:
        assert proc.returncode == 0 and not errors, proc.stderr
        return
    assert proc.returncode == 1 and len(errors) == 1, proc.stderr
    container = memory_mb or 256
    size = phpini_bytes(written) // 2**20
    assert f"site.php_settings.memory_limit: {written}" in errors[0].replace('"', ""), errors[0]
    assert f"({size} MB)" in errors[0] and f"{container} MB" in errors[0], errors[0]
    assert "OPcache's 64 MB" in errors[0] and f"write {container - 64}M or less" in errors[0], errors[0]


@pytest.mark.parametrize(
    ("memory_mb", "written", "raised"),
    [
        (512, "470000000", 513),  # 448.2 MB in bytes: 512.2 MB, which no limits.memory_mb is
        (512, "458753K", 513),
        (None, "200000K", 260),  # the stack's 256 MB
    ],
)
def test_php_memory_limit_offers_a_container_limit_the_file_takes(
    tmp_path: Path, memory_mb: int | None, written: str, raised: int
) -> None:
    """A memory_limit in bytes or K that is no whole number of MB (470000000, 448.2 MB) was offered a container of
    'raise the container's limit to 512.2269287 MB', which limits.memory_mb, a whole number of MB, refuses: the
    limit offered is the whole MB at or above, and written back it is taken."""
    settings: dict[str, object] = {"memory_limit": int(written) if written.isdigit() else written}
    site = {"domains": ["asso-case.org"], "php": "8.4", "php_settings": settings}
    data = member(site=site) if memory_mb is None else member(site=site, limits={"memory_mb": memory_mb})
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "memory_limit" in line and "warning" not in line]
    assert len(errors) == 1 and f"raise the container's limit to {raised} MB first" in errors[0], errors[0]
    proc = check(write_members(tmp_path / "again", {"case-member": {**data, "limits": {"memory_mb": raised}}}))
    assert proc.returncode == 0, proc.stderr


def phpini_bytes(written: str) -> int:
    from pic import phpini

    n = phpini.size_bytes(written)
    assert n is not None
    return n


@pytest.mark.parametrize(
    ("key", "written", "meaning"),
    [
        ("memory_limit", "-1", "no limit"),
        ("memory_limit", '"-1"', "no limit"),
        ("post_max_size", "0", "no limit"),
        ("max_execution_time", "0", "no limit"),
    ],
)
def test_phps_value_for_no_limit_is_told_as_such(tmp_path: Path, key: str, written: str, meaning: str) -> None:
    """PHP reads memory_limit -1, post_max_size 0 and max_execution_time 0 as no limit (PHP manual, ini.core and
    info.configuration): told so, not as a size out of range or not in PHP's shorthand."""
    lines = [
        "name: Case Member",
        "contact: {name: Case Contact, email: case@case-asso.fr}",
        "uid: 10600",
        "site:",
        "  domains: [case-asso.fr]",
        '  php: "8.4"',
        "  php_settings:",
        f"    {key}: {written}",
    ]
    (tmp_path / "members").mkdir()
    (tmp_path / "members" / "case-member.yaml").write_text("\n".join(lines) + "\n")
    proc = check(tmp_path / "members")
    errors = [line for line in proc.stderr.splitlines() if "case-member.yaml" in line]
    assert proc.returncode == 1 and len(errors) == 1, proc.stderr
    assert f"site.php_settings.{key}: {written} is PHP's value for {meaning}" in errors[0], errors[0]


@pytest.mark.parametrize(("written", "warned"), [("200M", True), ("67108865", True), ("65M", True), ("64M", False)])
def test_an_upload_size_beyond_the_containers_tmp_is_warned_of(tmp_path: Path, written: str, warned: bool) -> None:
    """PHP writes an upload to the container's /tmp, a tmpfs of SITE_TMP_MB: a larger file is never received."""
    from pic import phpini

    settings = {"upload_max_filesize": int(written) if written.isdigit() else written, "post_max_size": "512M"}
    site = {"domains": ["asso-case.org"], "php": "8.4", "php_settings": settings}
    proc = check(write_members(tmp_path / "members", {"case-member": member(site=site)}))
    assert proc.returncode == 0, proc.stderr
    told = [line for line in proc.stderr.splitlines() if "PHP cannot receive" in line]
    if not warned:
        assert not told, proc.stderr
        return
    assert len(told) == 1, proc.stderr
    assert told[0].startswith(f"warning: {tmp_path / 'members' / 'case-member.yaml'}:"), told
    shown = written if written.isdigit() else f'"{written}"'  # as the file has it
    assert f"site.php_settings.upload_max_filesize: {shown} lets through" in told[0], told
    assert f"a {phpini.SITE_TMP_MB} MB tmpfs" in told[0] and f"set {phpini.SITE_TMP_MB}M at most" in told[0], told


def test_a_static_site_with_databases_is_warned_of(members: Path) -> None:
    """php: none with databases: no PHP reads them, and a PHP site switched to static stops running."""
    (members / "case-member.yaml").write_text(
        "name: Case Member\ncontact: {name: Case Contact, email: case@case-asso.fr}\nuid: 10600\n"
        "site:\n  domains: [case-asso.fr]\n  php: none\ndatabases: [main]\n"
    )
    done = check(members)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        f"warning: {members / 'case-member.yaml'}:6 site.php: is none (a static site) while the member has "
        "databases (main): no PHP reads them" in done.stderr
    ), done.stderr


@pytest.mark.parametrize(("status", "warned"), [("active", True), ("suspended", False)])
def test_a_shell_asked_for_without_a_key_is_warned_of(members: Path, status: str, warned: bool) -> None:
    """access.ssh: true with no key in access.sftp_keys was taken without a word: the shell, as sftp, is opened with
    a key alone (PasswordAuthentication no), so no one can log in until a key is added. (A suspended member's
    logins are refused anyway: not warned.)"""
    (members / "case-member.yaml").write_text(
        f"name: Case Member\ncontact: {{name: Case Contact, email: case@case-asso.fr}}\nuid: 10600\nstatus: {status}\n"
        "site:\n  domains: [case-asso.fr]\n  php: none\naccess:\n  ssh: true\n"
    )
    done = check(members)
    assert done.returncode == 0, done.stdout + done.stderr
    told = f"warning: {members / 'case-member.yaml'}:9 access.ssh: is true while access.sftp_keys holds no key"
    assert (told in done.stderr) is warned, done.stderr
    if warned:
        assert "no one can log in until a key is added" in done.stderr, done.stderr


def test_a_site_on_a_runtime_without_mysql_is_warned_of_its_databases(tmp_path: Path, members: Path) -> None:
    """A runtime built without_extensions: [mysql] has no mysqli nor pdo_mysql: the sites on it with databases
    cannot reach them (was: accepted without a word)."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    text = stack.read_text(encoding="utf-8")
    assert '"8.4": {debian: trixie, eol: 2028-12-31}' in text
    stack.write_text(
        text.replace(
            '"8.4": {debian: trixie, eol: 2028-12-31}',
            '"8.4": {debian: trixie, eol: 2028-12-31, without_extensions: [gd, mysql]}',
        ),
        encoding="utf-8",
    )
    site = 'site:\n  domains: [case-asso.fr]\n  php: "8.4"\n'
    head = "name: Case Member\ncontact: {name: Case Contact, email: case@case-asso.fr}\nuid: 10600\n"
    (members / "case-member.yaml").write_text(head + site + "databases: [main, forum]\n")
    (members / "case-other.yaml").write_text(
        head.replace("10600", "10601") + site.replace("case-asso", "other-asso") + "\n"
    )
    done = check(members, project)
    assert done.returncode == 0, done.stdout + done.stderr
    warned = [line for line in done.stderr.splitlines() if "built without mysql" in line and "case-" in line]
    assert warned == [
        f'warning: {members / "case-member.yaml"}:6 site.php: "8.4": runtime 8.4 is built without mysql '
        "(pic:runtimes.8.4.without_extensions): its PHP has neither mysqli nor pdo_mysql, so the site cannot reach "
        "the member's databases (main, forum); move the site to a runtime built with them"
    ], done.stderr


@pytest.mark.parametrize(
    "command",
    [
        # wget's -P is the directory to save in, after a .zip URL: no zip -P password
        "wget -q https://www.data.gouv.fr/fr/datasets/r/horaires.zip -P imports/",
        "curl -fsSO https://asso.example.org/export.zip && wget -q https://asso.example.org/b.zip -P archives/",
        # 7 days, not 7z: find's -printf is no 7z -p password
        "find ../log -mtime +7 -printf deleted%p -delete",
    ],
)
def test_a_cron_command_naming_zip_or_7_but_not_running_them_is_taken(tmp_path: Path, command: str) -> None:
    site = {"domains": ["asso-cron.org"], "php": "8.4"}
    directory = write_members(
        tmp_path / "members", {"asso": member(site=site, cron=[{"schedule": "daily", "command": command}])}
    )
    proc = check(directory)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    "command",
    [
        "zip -qr -P Zt8kq2LmW9 ../db/www.zip .",
        "/usr/bin/zip -qr -P Zt8kq2LmW9 ../db/www.zip .",
        "7z a -pZt8kq2LmW9 ../db/www.7z .",
        "cd .. && 7za a -pZt8kq2LmW9 db/www.7z www",
    ],
)
def test_a_cron_command_running_zip_or_7z_with_a_password_is_refused(tmp_path: Path, command: str) -> None:
    site = {"domains": ["asso-cron.org"], "php": "8.4"}
    directory = write_members(
        tmp_path / "members", {"asso": member(site=site, cron=[{"schedule": "daily", "command": command}])}
    )
    proc = check(directory)
    assert proc.returncode == 1 and "asso.yaml:" in proc.stderr and "cron[0].command" in proc.stderr, proc.stderr
    assert "Zt8kq2LmW9" not in proc.stderr


@pytest.mark.parametrize(
    "command",
    [
        "wp user reset-password alice --show-password --porcelain",
        "php bin/console app:report --hide-password --format=csv",
    ],
)
def test_a_cron_option_naming_a_password_followed_by_another_option_is_taken(tmp_path: Path, command: str) -> None:
    site = {"domains": ["asso-cron.org"], "php": "8.4"}
    directory = write_members(
        tmp_path / "members", {"asso": member(site=site, cron=[{"schedule": "daily", "command": command}])}
    )
    proc = check(directory)
    assert proc.returncode == 0, proc.stderr
    # the value written after the option is still read as one
    data = member(
        site=site, cron=[{"schedule": "daily", "command": command.replace("-password", "-password Zt8kq2LmW9")}]
    )
    proc = check(write_members(tmp_path / "refused", {"asso": data}))
    assert proc.returncode == 1 and "cron[0].command" in proc.stderr and "Zt8kq2LmW9" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    "platform",
    [
        "listes.example.org",  # pic:mail.sympa_domain: under it too (cookies)
        "pma.example.org",  # pic:phpmyadmin.domain: under it too
        "web1.example.org",  # a host's name, the mail exchanger: under it too
        "db.example.org",  # a host's name
        "example.org",  # the domain of pic:admin_email and pic:mail.dmarc_reports, over Sympa's domain
    ],
)
def test_a_www_domain_of_a_platform_name_is_one_error(tmp_path: Path, platform: str) -> None:
    """A site domain www.X where X is the platform's name is one mistake, told once: the site would send mail as
    X (mail drops the www.); not again as a name under X, as X over the platform's other names, or as X the DMARC
    reports' domain."""
    domain = f"www.{platform}"
    directory = write_members(tmp_path / "members", {"asso": member(site={"domains": [domain], "php": "8.4"})})
    proc = check(directory)
    assert proc.returncode == 1, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if not ln.startswith(("warning:", "invalid:"))]
    assert len(errors) == 1, proc.stderr
    said = f'asso.yaml:7 site.domains[0]: "{domain}" lets the site send mail as "{platform}" (mail drops the www.)'
    assert said in errors[0] and "use another name" in errors[0], errors


def _errors_of(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [ln for ln in proc.stderr.splitlines() if not ln.startswith(("warning:", "invalid:", "hint:"))]


@pytest.mark.parametrize(
    ("edit", "domain", "said"),
    [
        (None, "example.org", "the domain of pic:admin_email"),  # also the DMARC reports' domain, over Sympa's
        (("dkim_selector: pic, dmarc_reports: dmarc@example.org}",
          "dkim_selector: pic}"),
         "listes.example.org", "pic:mail.sympa_domain"),  # also the default DMARC reports' domain
        (("dmarc_reports: dmarc@example.org", "dmarc_reports: dmarc@listes.example.org"),
         "listes.example.org", "pic:mail.sympa_domain"),
        (("acme_email: admin@example.org", "acme_email: tls@example.org"), "example.org", "pic:admin_email"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("field", ["site", "lists"])
def test_the_platforms_own_domain_as_a_members_domain_is_one_error(
    tmp_path: Path, edit: tuple[str, str] | None, domain: str, said: str, field: str
) -> None:
    """One mistake, one error: the name met twice, which says whose it is (was: also that it is the DMARC reports'
    domain, and that Sympa's domain is under it, three errors for one name)."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    if edit is not None:
        assert edit[0] in stack.read_text()
        stack.write_text(stack.read_text().replace(*edit))
    spec = member(site={"domains": [domain], "php": "8.4"}) if field == "site" else member(lists={"domain": domain})
    proc = check(write_members(tmp_path / "members", {"asso": spec}), project)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    where = "7 site.domains[0]" if field == "site" else "5 lists.domain"
    assert f"asso.yaml:{where}: {show(domain)} is reserved for {stack}" in error and said in error, error


def show(domain: str) -> str:
    return f'"{domain}"'


@pytest.mark.parametrize(
    ("field", "domain", "said"),
    [
        ("site", "www.amis-du-rhone.org", "is already used by"),  # also under X, and sending mail as X
        ("site", "listes.amis-du-rhone.org", "is already used by"),  # also under amis-du-rhone.org
        ("lists", "listes.amis-du-rhone.org", "is already the list domain of"),  # also under amis-du-rhone.org
    ],
)
def test_another_members_name_is_one_error(tmp_path: Path, field: str, domain: str, said: str) -> None:
    """Another member's name taken again is told as the name met twice, once (was: two or three errors for it)."""
    directory = tmp_path / "members"
    shutil.copytree(ROOT / "members", directory)
    spec = member(site={"domains": [domain], "php": "8.4"}) if field == "site" else member(lists={"domain": domain})
    write_members(directory, {"zz-asso": spec})
    proc = check(directory)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert f"zz-asso.yaml:{'7 site.domains[0]' if field == 'site' else '5 lists.domain'}: " in error, error
    assert f"{show(domain)} {said} {directory}/amis-du-rhone.yaml:" in error, error


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"site": {"domain": ["asso-x.org"], "php": "8.4"}}, "site.domain: unknown key"),
        ({"lists": {"domains": "listes.asso-x.org"}}, "lists.domains: unknown key"),
        # another letter case, however far difflib finds it (UID was said to be unknown, uid missing: two errors)
        ({"UID": 10600, "uid": None}, "UID: unknown key (allowed here: name, contact, uid, "),
        ({"contact": {"Name": "Case Contact", "EMAIL": "case@case-asso.fr"}}, "contact.EMAIL: unknown key"),
        # a required key missing beside it, which it holds (was: php_settings meant, and site.php missing)
        ({"site": {"domains": ["asso-x.org"], "php_version": "8.4"}}, "site.php_version: unknown key"),
    ],
)
def test_a_required_key_misspelt_is_one_error(tmp_path: Path, fields: dict[str, Any], said: str) -> None:
    """The misspelt key says which was meant; not also that the key meant is missing (was: two errors)."""
    data = {key: value for key, value in member(**fields).items() if value is not None}
    proc = check(write_members(tmp_path / "members", {"asso": data}))
    assert proc.returncode == 1, proc.stderr
    errors = _errors_of(proc)
    meant = {"UID": "uid", "contact.EMAIL": "email", "site.php_version": "php"}.get(said.partition(":")[0])
    assert len(errors) == (2 if "EMAIL" in said else 1), errors  # Name and EMAIL: one error each
    [error] = [e for e in errors if said in e]
    assert "did you mean" in error, error
    if meant is not None:
        assert f"did you mean {meant!r}?" in error, error


def test_a_required_setting_misspelt_is_one_error(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text().replace("sympa_domain:", "sympa_domian:"))
    proc = check(write_members(tmp_path / "members", {}), project)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert "pic:mail.sympa_domian: unknown key" in error and "did you mean 'sympa_domain'?" in error, error


def test_a_secret_refused_for_a_control_character_is_not_shown(tmp_path: Path) -> None:
    """A command or name refused for another reason (a tab, a carriage return) is not shown when it reads as a
    secret: the check of one line runs first and printed the whole value, password included."""
    data = member(
        site={"domains": ["asso-case.org"], "php": "8.4"},
        cron=[
            {"schedule": "hourly", "command": "mysql -pS3cretPw9 main\t-e 'SELECT 1'"},
            {"schedule": "hourly", "command": "curl -u bob:S3cretPw9 https://x/cron\r"},
        ],
    )
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 1, proc.stderr
    assert "S3cretPw9" not in proc.stderr + proc.stdout, proc.stderr
    assert "cron[0].command: the value (not shown: it may be a secret)" in proc.stderr, proc.stderr


def test_a_secret_written_by_printf_refused_for_bash_s_forms_is_not_shown(tmp_path: Path) -> None:
    """A command refused for a form of bash's (a process substitution, |&) that writes a password on a line of its
    own through printf's escapes is not shown: the message quoted the whole command, password included."""
    data = member(
        site={"domains": ["asso-case.org"], "php": "8.4"},
        cron=[
            {"schedule": "hourly", "command": "mysql --defaults-extra-file=<(printf '[client]\\npassword=S3cretPw9')"},
            {"schedule": "hourly", "command": "printf 'user=asso\\012password=S3cretPw9' |& tee ../priv/my.cnf"},
        ],
    )
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 1, proc.stderr
    assert "S3cretPw9" not in proc.stderr + proc.stdout, proc.stderr
    for i in (0, 1):
        assert f"cron[{i}].command: the command (not shown) holds a password assignment" in proc.stderr, proc.stderr


def test_a_domain_written_wholly_in_look_alikes_of_latin_letters_is_warned_of(tmp_path: Path) -> None:
    """A site domain, a list domain or a contact's domain whose label is written wholly in letters of another
    script that each look Latin (аррӏе.com in Cyrillic, xn--80ak6aa92e.com; a whole-script confusable, UTS #39
    §4) passed: each label is of one script. The warning names the file, line, field and the domain as written
    and in Unicode; a label in another script that looks like no Latin word (москва) is not warned of, nor one
    under a top-level domain of its script."""
    members = tmp_path / "members"
    members.mkdir()
    look_alike = "xn--80ak6aa92e.com"  # аррӏе.com
    (members / "pommes.yaml").write_text(
        "name: Pommes\n"
        "contact: {name: Karim Benali, email: karim@asso-exemple.fr}\n"
        "uid: 10600\n"
        f"site: {{php: '8.4', domains: [pommes-asso.fr, {look_alike}]}}\n",
        encoding="utf-8",
    )
    (members / "listes.yaml").write_text(
        "name: Listes\n"
        f"contact: {{name: Karim Benali, email: karim@{look_alike}}}\n"
        "uid: 10601\n"
        "lists: {domain: listes.xn--80ak6aa92e.net}\n",  # listes.аррӏе.net
        encoding="utf-8",
    )
    (members / "moscou.yaml").write_text(
        "name: Moscou\n"
        "contact: {name: Karim Benali, email: karim@xn--80adxhks.xn--p1ai}\n"  # москва.рф
        "uid: 10602\n"
        "site: {php: '8.4', domains: [xn--80adxhks.com, xn--80adxhks.xn--p1ai]}\n",  # москва.com, москва.рф
        encoding="utf-8",
    )
    proc = check(members)
    assert proc.returncode == 0, proc.stderr
    warned = [line for line in proc.stderr.splitlines() if "looks like a Latin one" in line]
    expected = [
        (f"warning: {members}/pommes.yaml:4 site.domains[1]: {look_alike} (аррӏе.com)", "apple.com"),
        (f"warning: {members}/listes.yaml:2 contact.email: karim@{look_alike} (аррӏе.com)", "apple.com"),
        (
            f"warning: {members}/listes.yaml:4 lists.domain: listes.xn--80ak6aa92e.net (listes.аррӏе.net)",
            "listes.apple.net",
        ),
    ]
    for start, meant in expected:
        said = [line for line in warned if line.startswith(start)]
        assert len(said) == 1, (start, proc.stderr)
        assert f"UTS #39 §4): it looks like {meant};" in said[0], said  # the domain it passes for
    assert len(warned) == len(expected), proc.stderr


def test_a_look_alike_contact_domain_is_named_as_written(tmp_path: Path) -> None:
    """The warning names the look-alike label as the member file writes it (АРРӀЕ, ꮪꭺꮃ), not as IDNA maps it
    (аррӏе, Cherokee's capitals ᏚᎪᎳ), which no one wrote."""
    members = tmp_path / "members"
    members.mkdir()
    for uid, (slug, domain) in enumerate((("pommes", "АРРӀЕ.net"), ("saw", "ꮪꭺꮃ.net")), start=10600):
        (members / f"{slug}.yaml").write_text(
            f"name: {slug.title()}\ncontact: {{name: Karim Benali, email: karim@{domain}}}\nuid: {uid}\n",
            encoding="utf-8",
        )
    proc = check(members)
    warned = [line for line in proc.stderr.splitlines() if "looks like a Latin one" in line]
    assert len(warned) == 2, proc.stderr
    assert "domain label АРРӀЕ is" in warned[0] and "it looks like apple.net" in warned[0], warned
    assert "domain label ꮪꭺꮃ is" in warned[1] and "it looks like saw.net" in warned[1], warned


def test_new_warns_of_a_domain_written_wholly_in_look_alikes_as_check_does(tmp_path: Path) -> None:
    """pic new writes the member and warns, by option, of a --domain or an --email at a domain whose label is
    written wholly in look-alikes of Latin letters, as pic check warns of the file it writes."""
    members = tmp_path / "members"
    members.mkdir()
    proc = _new(
        members, "pommes", "--name", "Pommes", "--email", "k@xn--80ak6aa92e.net", "--domain", "xn--80ak6aa92e.com"
    )
    assert proc.returncode == 0, proc.stderr
    warned = [line for line in proc.stderr.splitlines() if "looks like a Latin one" in line]
    assert len(warned) == 2, proc.stderr
    assert "--domain" in warned[0] and "(аррӏе.com)" in warned[0], warned
    assert "--email" in warned[1] and "(аррӏе.net)" in warned[1], warned
    assert proc.stderr.count("looks like a Latin one") == len(check(members).stderr.split("looks like a Latin one")) - 1


@pytest.mark.parametrize(
    ("section", "key", "secret"),
    [
        ("php_settings", "password", "Velo2024!"),
        ("php_settings", "smtp_pass", "Abc123xyz"),
        ("php_settings", "mysqli.default_pw", "Zzq9991x"),
        ("php_settings", "mysql.default_password", "S3cr3tPw99"),
        ("php_settings", "mdp", "soleil"),
        ("php_settings", "api_token", "1234"),
        ("database_charsets", "password", "Azerty123x"),
        ("database_charsets", "db_pass", "hunter"),
    ],
)
def test_a_value_under_a_key_named_for_a_secret_is_not_shown(
    tmp_path: Path, section: str, key: str, secret: str
) -> None:
    """A mapping of free keys (PHP settings, database charsets) refusing a key named for a secret (``password``,
    ``smtp_pass``: :func:`pic.yamlsrc.secret_name`) does not show its value, whatever its shape: the message quoted
    it whole (``site.php_settings.password: "Velo2024!": password is not a PHP setting...``)."""
    mapping = {key: secret}
    if section == "php_settings":
        data = member(site={"domains": ["asso-case.org"], "php": "8.4", "php_settings": mapping})
    else:
        data = member(site={"domains": ["asso-case.org"], "php": "8.4"}, databases=["main"], database_charsets=mapping)
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 1, proc.stderr
    assert secret not in proc.stderr + proc.stdout, proc.stderr
    [error] = _errors_of(proc)
    assert f"{section}.{key}: the value (not shown: it may be a secret)" in error, error


@pytest.mark.parametrize(
    ("where", "value", "shown"),
    [
        (("uid",), "Soleil-2025#", False),
        (("limits", "memory_mb"), "Lilas2024x!", False),
        (("limits", "cpus"), "Azerty123", False),
        (("access", "ssh"), "Velo2024x", False),
        (("uid",), "douze", True),
        (("limits", "memory_mb"), "512Mo", True),
        (("access", "ssh"), "oui", True),
        (("status",), "Lilas2024x!", False),
        (("lists", "dmarc"), "Soleil-2025#", False),
        (("status",), "actif", True),
        (("lists", "dmarc"), "strict", True),
        # a base's prefix then a password's letters is no number
        (("uid",), "0xLilas2024", False),
        (("uid",), "0x2712_Lilas!", False),
        # a key in hexadecimal as it is written (0x and 64 digits) is no number any field takes
        (("uid",), "0x7c1d9e0a5b4f3e2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a2918070f1e2d3c", False),
        (("limits", "memory_mb"), "0x" + "ab12" * 10, False),
        (("limits", "pids"), "0x" + "f" * 4000, False),
    ],
)
def test_a_text_shaped_like_a_password_where_a_number_goes_is_not_shown(
    tmp_path: Path, where: tuple[str, ...], value: str, shown: bool
) -> None:
    """A text given where a number, true or false, or one of a closed list of words (``status``, ``lists.dmarc``)
    goes is refused; shaped like a password (letters and digits, ``Lilas2024x!``), it is one pasted at the wrong line
    and is not shown: ``uid: "Soleil-2025#" is not a whole number`` and ``status: "Lilas2024x!" is not allowed``
    printed it. A mistyped value (``512Mo``, ``douze``, ``oui``, ``actif``) is still quoted, and the words allowed
    are said either way."""
    data = member(site={"domains": ["asso-case.org"], "php": "8.4"})
    if where[0] == "lists":
        data["lists"] = {"domain": "listes.asso-case.org"}
    if len(where) == 2:
        data.setdefault(where[0], {})[where[1]] = value
    else:
        data[where[0]] = value
    proc = check(write_members(tmp_path / "members", {"case-member": data}))
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert (value in proc.stderr + proc.stdout) is shown, error
    assert f"{'.'.join(where)}: {'' if shown else 'the value (not shown: it may be a secret)'}" in error, error
    if where[0] in ("status", "lists"):
        assert "(expected 'active'" in error or "(expected 'none'" in error, error


@pytest.mark.parametrize(
    ("where", "value", "wanted"),
    [
        (("uid",), "0x2968", "write 10600 (hexadecimal 0x2968) in decimal digits, without quotes"),
        (("uid",), "0X2968", "write 10600 (hexadecimal 0X2968) in decimal digits, without quotes"),
        (("uid",), "0o24550", "write 10600 (octal 0o24550) in decimal digits, without quotes"),
        (("uid",), "0b10100101101000", "write 10600 (binary 0b10100101101000) in decimal digits, without quotes"),
        (("uid",), "10_600", "write 10600, without quotes or separators between the digits"),
        (("uid",), "10 600", "write 10600, without quotes or separators between the digits"),
        (("uid",), "10\u202f600", "write 10600, without quotes or separators between the digits"),
        (("limits", "memory_mb"), "1_000", "write 1000, without quotes or separators between the digits"),
        (("limits", "memory_mb"), "1e3", "write 1000 in decimal digits, without quotes or exponent"),
        (("limits", "pids"), "+24", "write 24, without quotes or sign"),
        (("uid",), "+10600", "write 10600, without quotes or sign"),
        (("limits", "cpus"), "1.5e0", "write 1.5 in decimal digits, without quotes or exponent"),
        (("limits", "cpus"), "0x2", "write 2 (hexadecimal 0x2) in decimal digits, without quotes"),
        # a decimal point where a whole number goes: the number it reads as, not "write it without quotes"
        (("uid",), "10.6", "it reads as 10.6, which is no whole number: give a whole number, without quotes"),
        (("uid",), "10600.0", "write 10600, without quotes or decimal point"),
        (("limits", "pids"), " 24.00 ", "write 24, without quotes or decimal point"),
        (("limits", "cpus"), "1.5", "write the number without quotes"),
        # written plain, the text itself would be refused: a leading zero (YAML 1.1's octal), more digits than a
        # number keeps
        (("limits", "memory_mb"), "0512", "write 512, without quotes or leading zeros"),
        (("limits", "pids"), "024", "write 24, without quotes or leading zeros"),
        (
            ("limits", "cpus"),
            "1.50000000000000000001",
            "it has more digits than a number keeps: write 1.5, or fewer digits, without quotes",
        ),
        # another script's digits, as a phone's keyboard or a word processor writes them
        (("uid",), "\u0661\u0660\u0666\u0660\u0660", "write 10600 in ASCII digits (0 to 9), without quotes"),
        (("uid",), "\uff11\uff10\uff16\uff10\uff10", "write 10600 in ASCII digits (0 to 9), without quotes"),
        (("limits", "cpus"), "\u0967.\u096b", "write 1.5 in ASCII digits (0 to 9), without quotes"),
        # the number read is the one written, exactly: float(1e23) is 99999999999999991611392 (out of range, it is
        # not offered)
        (("uid",), "1e23", "it reads as 100000000000000000000000, which is out of range too (must be at most 59999)"),
        (("uid",), "+100000000000000000000001", "it reads as 100000000000000000000001, which is out of range too"),
        (("uid",), "100000000000000000000001.0", "it reads as 100000000000000000000001, which is out of range too"),
        (("uid",), "\u0661" + "\u0660" * 22 + "\u0661", "it reads as 100000000000000000000001, which is out of"),
        # one of more digits than any field takes is told so, not written out, nor read as inf
        (("uid",), "1e400", "it reads as a number of more than 30 digits"),
        (("uid",), "1" * 60 + ".5", "it reads as a number of more than 30 digits"),
        (("limits", "cpus"), "1e999", "it reads as a number of more than 30 digits"),
        (("limits", "cpus"), "1e-999", "it reads as a fraction too close to 0"),
        (("uid",), "1e-400", "it reads as a fraction too close to 0"),
        # an exponent of any length is one (hidden as password-shaped past three digits)
        (("uid",), "1e4000", "it reads as a number of more than 30 digits"),
        (("uid",), "1E" + "9" * 40, "it reads as a number of more than 30 digits"),
        (("limits", "cpus"), "1e-" + "9" * 40, "it reads as a fraction too close to 0"),
        (("limits", "cpus"), "1e-99999", "it reads as a fraction too close to 0"),
        (("uid",), "0e99999", "it reads as 0, which is out of range too (must be at least 10000)"),
        # a thousands comma, where a whole number goes; where a fraction may, a decimal comma too
        (("uid",), "10,600", "write 10600, without quotes or separators between the digits"),
        (("uid",), "10,002", "write 10002, without quotes or separators between the digits"),
        (("limits", "memory_mb"), "1,02,400", "it reads as 102400, which is out of range too (must be at most"),
        (("limits", "memory_mb"), "1,024", "write 1024, without quotes or separators between the digits"),
        (
            ("limits", "cpus"),
            "1,500",
            "write 1.5, with a '.' as its decimal point, without quotes (1500, if its ',' groups thousands, is out of "
            "range: must be at most 64",
        ),
        (("limits", "cpus"), "1,5", "write 1.5, with a '.' as its decimal point, without quotes"),
        (("uid",), "10,6", "it reads as 10.6, which is no whole number: give a whole number, without quotes"),
        # infinity and not-a-number in words, YAML's own forms in quotes too
        (("uid",), "inf", "it is infinity, which no field takes: give a whole number, without quotes"),
        (("uid",), "-Infinity", "it is infinity, which no field takes: give a whole number, without quotes"),
        (("limits", "cpus"), ".inf", "it is infinity, which no field takes: give a number, without quotes"),
        (("uid",), "nan", "it is NaN (not a number): give a whole number, without quotes"),
        (("limits", "memory_mb"), ".NaN", "it is NaN (not a number): give a whole number, without quotes"),
        # a base's digits with '_' where Python takes none (after the last digit, two in a row)
        (("uid",), "0x2712_", "write 10002 (hexadecimal 0x2712_) in decimal digits, without quotes"),
        (("uid",), "0x27__12", "write 10002 (hexadecimal 0x27__12) in decimal digits, without quotes"),
        (("uid",), "10_002_", "write 10002, without quotes or separators between the digits"),
        # a base's prefix without digits: no unit
        (("uid",), "0x", "it is a hexadecimal number's prefix without digits: give a whole number in decimal"),
        (("limits", "pids"), "0b_", "it is a binary number's prefix without digits: give a whole number in decimal"),
        # a hexadecimal floating point number (C's %a)
        (("uid",), "0x1p4", "it reads as 16, which is out of range too (must be at least 10000)"),
        (("limits", "pids"), "0x1p5", "write 32 (hexadecimal floating point 0x1p5) in decimal digits, without quotes"),
        (("uid",), "0x1.3a2p13", "write 10052 (hexadecimal floating point 0x1.3a2p13) in decimal digits"),
        (("uid",), "0x1p-1", "it reads as 0.5, which is no whole number: give a whole number, without quotes"),
        (("limits", "cpus"), "0x1.8p0", "write 1.5 (hexadecimal floating point 0x1.8p0) in decimal digits"),
        (("uid",), "0x1p99999", "it reads as a number of more than 30 digits"),
    ],
)
def test_a_number_written_as_text_is_shown_with_the_number_wanted(
    tmp_path: Path, where: tuple[str, ...], value: str, wanted: str
) -> None:
    """A number field given a number written as text (in quotes: hexadecimal 0x2968, octal 0o..., 1_000, 10 000,
    1e3, +12) is no password pasted at the wrong line: it was hidden (``uid: the value (not shown: it may be a
    secret)``), its writer left guessing; it is shown, with the number to write. A password's shape stays hidden
    (test above)."""
    data = member(site={"domains": ["asso-case.org"], "php": "8.4"})
    if len(where) == 2:
        data.setdefault(where[0], {})[where[1]] = "VALUE"
    else:
        data[where[0]] = "VALUE"
    members = write_members(tmp_path / "members", {"case-member": data})
    file = members / "case-member.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("VALUE", json.dumps(value)), encoding="utf-8")  # text
    proc = check(members)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert "not shown" not in error, error
    assert f"{'.'.join(where)}: {json.dumps(value, ensure_ascii=False)} is not " in error, error
    assert wanted in error, error


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("uid: 12345", "uid: 10002=Lilas2024x"),
        ("name: Case Member", "name: Case Member\nstatus: suspended Lilas2024x!"),
        ("- asso-case.org", "- asso-case.org=Lilas2024x"),
        ("email: contact@asso-case.org", "email: contact@asso-case.org=Lilas2024x"),
    ],
)
def test_a_password_pasted_beside_a_field_s_value_is_not_shown(tmp_path: Path, old: str, new: str) -> None:
    """A password pasted after '=' (contact@asso-case.org=Lilas2024x), or after a blank in a field of a closed list
    of words (status: suspended Lilas2024x!), was shown whole, as other separators and fields were not."""
    data = member(site={"domains": ["asso-case.org"], "php": "8.4"}, uid=12345)
    data["contact"] = {"name": "Case Contact", "email": "contact@asso-case.org"}
    members = write_members(tmp_path / "members", {"case-member": data})
    file = members / "case-member.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text, text
    file.write_text(text.replace(old, new), encoding="utf-8")
    proc = check(members)
    assert proc.returncode == 1, proc.stderr
    assert "Lilas2024x" not in proc.stdout + proc.stderr and "not shown" in proc.stderr, proc.stderr


# A bare password pasted into a field's value, at any field and whatever refuses it: a field's own check (php,
# a database's name, a PHP setting), a list or a mapping given where a text goes (each of its texts, keys too)
_PASTED_INTO_MEMBER = [
    (("site", "php"), "8.2 Lilas2024x!"),
    (("site", "php"), "8.4, Lilas2024x!"),
    (("databases",), ["main Lilas2024x!"]),
    (("database_charsets",), {"main Lilas2024x!": "latin1"}),
    (("site", "php_settings"), {"memory_limit": "128M Lilas2024x!"}),
    (("site", "php_settings"), {"date.timezone": "Europe/Paris Lilas2024x!"}),
    (("site", "php_settings"), {"memory_limit Lilas2024x!": "128M"}),
    (("site", "charset"), "utf-8 Lilas2024x!"),
    (("host",), "web1 Lilas2024x!"),
    (("cron",), [{"schedule": "daily Lilas2024x!", "command": "php wp-cron.php"}]),
    (("contact", "email"), ["a", "Lilas2024x!"]),
    (("contact", "email"), {"case@case-asso.fr": "Lilas2024x!"}),
    (("contact", "name"), ["Case", "Contact Lilas2024x!"]),
    (("site", "domains"), [{"domain.fr": "S3cretPw9"}]),
    (("site", "domains"), [{"S3cretPw9": "domain.fr"}]),
    (("site", "php"), ["8.4", "S3cretPw9"]),
    # a password alone where the value goes, pasted at the wrong line
    (("site", "php"), "Lilas2024x!"),
    (("databases",), ["main", "Lilas2024x!"]),
    (("site", "domains"), ["S3cretPw9!"]),
    (("site", "php_settings"), {"Lilas2024x!": "1"}),
]


def _member_with(path: tuple[str, ...], value: object) -> dict[str, Any]:
    """A valid member's data (a PHP site, a database) with ``value`` at ``path``."""
    data = member(site={"domains": ["asso-case.org"], "php": "8.4"}, uid=12345, databases=["main"])
    data["contact"] = {"name": "Case Contact", "email": "contact@asso-case.org"}
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return data


@pytest.mark.parametrize(("path", "value"), _PASTED_INTO_MEMBER, ids=lambda v: json.dumps(v, ensure_ascii=False))
def test_a_password_pasted_into_any_refused_value_is_not_shown(
    tmp_path: Path, path: tuple[str, ...], value: Any
) -> None:
    """A bare password pasted beside a value, or among the texts of a list or a mapping given where a text goes, was
    shown whole in the message refusing the value where the field's own check refused it (site.php, a database's
    name, a PHP setting's value or name) or where the value was no text; every refused value is read word by word."""
    proc = check(write_members(tmp_path / "members", {"case-member": _member_with(path, value)}))
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout + proc.stderr
    assert "Lilas2024x" not in out and "S3cretPw9" not in out and "not shown" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("site", "php"), "8.9"),
        (("site", "php"), "8.4 final"),
        (("site", "php"), "php8.4"),
        (("site", "php"), "PHP8.4"),
        (("databases",), ["Main2"]),
        (("site", "domains"), ["Asso-Case2024.org"]),
        (("site", "php_settings"), {"memory_limit": "512MB"}),
        (("databases",), ["main wiki!"]),
        (("site", "php_settings"), {"memory_limit": "128 Mo"}),
        (("contact", "email"), ["contact@asso-case.org", "autre@asso-case.org"]),
        (("site", "domains"), [{"asso-case.org": "www.asso-case.org"}]),
    ],
    ids=lambda v: json.dumps(v, ensure_ascii=False),
)
def test_a_refused_value_that_holds_no_password_is_still_shown(
    tmp_path: Path, path: tuple[str, ...], value: Any
) -> None:
    """Reading every refused value for a password beside it hides none of a value that holds no word shaped as one:
    the message still shows what was written."""
    proc = check(write_members(tmp_path / "members", {"case-member": _member_with(path, value)}))
    assert proc.returncode == 1, proc.stderr
    assert "not shown" not in proc.stderr, proc.stderr
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False).strip("[]{}")
    words = [w.strip('"') for w in shown.replace(":", " ").replace(",", " ").split()]
    assert all(w in proc.stderr for w in words), proc.stderr


_SSH_ED25519_DATA = "AAAAC3NzaC1lZDI1NTE5AAAAIKgn4+KEIcVzFFiuOh4a57af6hgtHus94qvvVwh3ZeG+"


@pytest.mark.parametrize(
    ("path", "written", "secret"),
    [
        (("site", "domains"), "[0xCafe1234.1]", "Cafe1234"),
        (("site", "domains"), "[1.0xCafe1234]", "Cafe1234"),
        (("site", "php_settings"), "{date.timezone: Lilas2024x}", "Lilas2024x"),
        (("site", "php_settings"), "{date.timezone: Velo75Paris}", "Velo75Paris"),
        (("site", "php_settings"), "{memory_limit: Lilas2024x}", "Lilas2024x"),
        (("site", "php_settings"), "{memory_limit: 0xCafe1234}", "Cafe1234"),
        (("site", "php_settings"), "{memory_limit: '0xCafe1234'}", "Cafe1234"),
        (("uid",), "0xCafe1234", "Cafe1234"),
        (("uid",), "'0xCafe1234'", "Cafe1234"),
        (("limits",), "{cpus: 0xCafe1234}", "Cafe1234"),
        (("host",), "velo75paris", "velo75paris"),
        (("access", "sftp_keys"), f"['{_SSH_ED25519_DATA} Lilas2024x']", "Lilas2024x"),
    ],
)
def test_a_password_with_more_around_it_or_of_small_words_is_not_shown(
    tmp_path: Path, path: tuple[str, ...], written: str, secret: str
) -> None:
    """A member file's site.domains: [0xCafe1234.1] (1.0xCafe1234), php_settings' date.timezone: Lilas2024x (and
    Velo75Paris; memory_limit: Lilas2024x, and 0xCafe1234, told again in decimal: 3405648436, as uid: '0xCafe1234'
    was: it reads as 3405648436; limits.cpus: 0xCafe1234 shown as written), host: velo75paris and
    a key's line without its type whose comment is a password (shown cut as Lilas20...) were shown: a value refused
    is read in its parts as the value alone is, words in small letters around a number are a password's shape, and
    a number written in hexadecimal shaped as a password is not told in decimal either."""
    if path == ("access", "sftp_keys"):
        data = _member_with(("uid",), 12345)
        data["access"] = {"sftp_keys": "HOLE"}
    else:
        data = _member_with(path, "HOLE")
    members = write_members(tmp_path / "members", {"case-member": data})
    file = members / "case-member.yaml"
    text = file.read_text(encoding="utf-8")
    assert "HOLE" in text, text
    file.write_text(text.replace("HOLE", written), encoding="utf-8")
    proc = check(members)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout + proc.stderr
    for form in (secret, secret[:7], secret.lower(), "3405648436", "202.254.18.52"):
        assert form not in out, (form, out)
    assert "not shown" in proc.stderr, proc.stderr


def _check_uid_written(tmp_path: Path, written: str) -> subprocess.CompletedProcess[str]:
    """``pic check`` of one member whose file says ``uid: WRITTEN``, as written (no YAML quoting added)."""
    data = member(site={"domains": ["asso-case.org"], "php": "8.4"}, uid=12345)
    members = write_members(tmp_path / "members", {"case-member": data})
    file = members / "case-member.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("uid: 12345", f"uid: {written}"), encoding="utf-8")
    return check(members)


@pytest.mark.parametrize(
    "written", ["10002 Lilas2024x", "'10002 (Lilas2024x)'", "10002/Lilas2024x", "'10002 # Lilas2024x'"]
)
def test_a_password_pasted_beside_a_number_is_not_shown(tmp_path: Path, written: str) -> None:
    """``uid: 10002 Lilas2024x`` (a password pasted on the number's line) was shown whole, where ``10002:Lilas2024x``
    was hidden; the value is not shown, the field named."""
    proc = _check_uid_written(tmp_path, written)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert "Lilas2024x" not in error and "uid: the value (not shown" in error, error


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("0x10", "uid: 0x10 (16) is out of range (must be at least 10000)"),
        ("0o20550", "uid: 0o20550 (8552) is out of range (must be at least 10000)"),
        ("9999", "uid: 9999 is out of range (must be at least 10000)"),
        ("+9999", "uid: +9999 is out of range (must be at least 10000)"),
        # a key as it is written (0x and 40 or 64 hexadecimal digits), pasted at a number's line, is not shown
        (
            "0x7c1d9e0a5b4f3e2d1c0b9a8f7e6d5c4b3a29180f",
            "uid: the value (not shown: it may be a secret) is out of range",
        ),
        (
            "0x7c1d9e0a5b4f3e2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a2918070f1e2d3c",
            "uid: the value (not shown: it may be a secret) is a number of 66 characters",
        ),
        ("0o" + "7" * 34, "uid: the value (not shown: it may be a secret) is out of range"),
        (
            "0x7c1d9e0a5b4f3e2d1c0b9a8f",
            "uid: 0x7c1d9e0a5b4f3e2d1c0b9a8f (38411946391566892853055167119) is out of range",
        ),
    ],
)
def test_a_number_out_of_range_written_in_another_base_is_told_as_read(
    tmp_path: Path, written: str, shown: str
) -> None:
    """``uid: 0o20550`` is a YAML 1.2 octal integer, 8552: out of range, the number shown beside what was written,
    as its writer may have meant 20550; a number in decimal digits is shown alone."""
    proc = _check_uid_written(tmp_path, written)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert shown in error, error
    assert ("the value (not shown" in shown) is (written[2:] not in proc.stdout + proc.stderr)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("10_600", "uid: 10_600 is not a whole number: write 10600, without separators between the digits"),
        ("10 600", "uid: 10 600 is not a whole number: write 10600, without separators between the digits"),
        ("10,600", "uid: 10,600 is not a whole number: write 10600, without separators between the digits"),
        ("0b10100101101000", "uid: 0b10100101101000 is not a whole number: write 10600 (binary 0b10100101101000) in"),
        ("0x2712_", "uid: 0x2712_ is not a whole number: write 10002 (hexadecimal 0x2712_) in decimal digits"),
        ("inf", "uid: inf is not a whole number: it is infinity, which no field takes: give a whole number"),
        ("0x", "uid: 0x is not a whole number: it is a hexadecimal number's prefix without digits: give a whole"),
        ("\u0661\u0660\u0666\u0660\u0660", "write 10600 in ASCII digits (0 to 9)"),
        ("10600\nlimits:\n  cpus: 1,5", "limits.cpus: 1,5 is not a number: write 1.5, with a '.' as its decimal point"),
    ],
)
def test_a_number_yaml_reads_as_text_written_without_quotes_is_told_as_written(
    tmp_path: Path, written: str, shown: str
) -> None:
    """``uid: 10_600`` (no quotes: YAML 1.2 reads it as text, as ``0b1``, ``10,600`` and ``inf``) was shown in
    quotes, ``"10_600"``, and told to write the number "without quotes", which the file has none of; it is shown as
    written and told what to change, and nothing of quotes."""
    proc = _check_uid_written(tmp_path, written)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert shown in error, error
    assert "quotes" not in error and '"' not in error, error


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1e4000", "uid: 1e4000 is a number of more than 30 digits, far more than the field takes"),
        ("-1E+999", "uid: -1E+999 is a number of more than 30 digits, far more than the field takes"),
        ("10600\nlimits:\n  cpus: 1e4000", "limits.cpus: 1e4000 is a number of more than 30 digits, far more than"),
        # YAML's own infinity is told as before
        (".inf", "uid: .inf is infinite (YAML's infinity): give a whole number"),
        ("10600\nlimits:\n  cpus: -.Inf", "limits.cpus: -.Inf is infinite (YAML's infinity)"),
    ],
)
def test_a_number_too_large_for_yaml_is_not_told_infinite(tmp_path: Path, written: str, shown: str) -> None:
    """``uid: 1e4000`` is a float YAML reads as infinity (past what a float holds), and was told "is infinite
    (YAML's infinity)", which the file does not say: it is told as a number too large, as ``"1e4000"`` in quotes is;
    YAML's own ``.inf`` is still told infinite."""
    proc = _check_uid_written(tmp_path, written)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert shown in error, error


@pytest.mark.parametrize(
    ("written", "wanted", "refused"),
    [
        ('"1e3"', "it reads as 1000, which is out of range too (must be at least 10000)", "1000"),
        ('"0x10"', "it reads as 16, which is out of range too (must be at least 10000)", "16"),
        ('"1_000_000"', "it reads as 1000000, which is out of range too (must be at most 59999)", "1000000"),
        ('"10.0"', "it reads as 10, which is out of range too (must be at least 10000)", "10"),
        ("100.0", "it reads as 100, which is out of range too (must be at least 10000)", "100"),
        (
            "10600\nlimits:\n  memory_mb: 100G",
            "100G is 102400 MB, which is out of range too (must be at most 65536)",
            "102400",
        ),
        ("10600\nlimits:\n  pids: '+12'", "it reads as 12, which is out of range too (must be at least 16)", "12"),
        # of two readings, the one the field takes is offered, the other told refused
        (
            "10600\nlimits:\n  cpus: '1,500'",
            "write 1.5, with a '.' as its decimal point, without quotes (1500, if its ',' groups thousands, is out of "
            "range: must be at most 64",
            "1500",
        ),
    ],
)
def test_a_number_offered_is_one_the_field_takes(tmp_path: Path, written: str, wanted: str, refused: str) -> None:
    """``uid: "1e3"`` was told to write 1000, which was then refused as out of range (must be at least 10000): a
    number a message offers is checked against the field first; one the field refuses is said to be refused too, with
    its range, and never offered."""
    proc = _check_uid_written(tmp_path, written)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert wanted in error, error
    assert f"write {refused}," not in error and f"without a unit: {refused}" not in error, error


@pytest.mark.parametrize(
    ("written", "wanted"),
    [
        (
            '"10.600"',
            "it reads as 10.6, which is no whole number; if its '.' groups thousands (10.600 for 10600), write 10600, "
            "without quotes or separators between the digits",
        ),
        (
            "10.600",
            "it reads as 10.6, which is no whole number; if its '.' groups thousands (10.600 for 10600), write 10600, "
            "without separators between the digits",
        ),
        ('"12.345"', "write 12345, without quotes or separators between the digits"),
        ('"1.000.000"', "it reads as 1000000, which is out of range too (must be at most 59999)"),
        ('"20.000.5"', 'uid: "20.000.5" is not a whole number'),
        # not three digits after the '.': no grouping
        ('"10.6"', "it reads as 10.6, which is no whole number: give a whole number, without quotes"),
        # a grouping read where the decimal point reads a whole number too: both said
        (
            '"10.000"',
            "write 10000, without quotes or separators between the digits, if its '.' groups thousands (10, if it "
            "is a decimal point, is out of range: must be at least 10000)",
        ),
        # where a fraction may go (cpus), a '.' is a decimal point: "1.500" is 1.5
        ("10600\nlimits:\n  cpus: '1.500'", "write the number without quotes"),
    ],
)
def test_a_dot_grouping_thousands_in_a_whole_number_is_read_both_ways(
    tmp_path: Path, written: str, wanted: str
) -> None:
    """``uid: "10.600"`` (thousands grouped with a dot, as French and German write them) read only as 10.6, where
    ``"10,600"`` read as 10600: in a field of whole numbers a '.' before exactly three digits may group thousands,
    and both readings are said, the grouped one offered when the field takes it."""
    proc = _check_uid_written(tmp_path, written)
    assert proc.returncode == 1, proc.stderr
    [error] = _errors_of(proc)
    assert wanted in error, error


_EXAMPLE = (ROOT / "members" / "velo-cite.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "secret", "line", "where"),
    [
        (lambda t: t.replace("uid: 10002", "uid: 10002   # mdp: Azerty123"), "Azerty123", 6, "after uid"),
        (lambda t: t + "# sftp: karim / S3cr3t!2024\n", "S3cr3t!2024", 28, "at the end of the file"),
        (lambda t: t + "# ftp://velo:S3cretPw99@ftp.velo-cite-lyon.fr\n", "S3cretPw99", 28, "at the end of the file"),
        (lambda t: t + "# mot de passe du FTP :\n# Velo2024x\n", "Velo2024x", 28, "at the end of the file"),
        (
            lambda t: t.replace("host: web1", "host: web1\n# mysql -u velo -pS3cretPw9 velo_wordpress"),
            "S3cretPw9",
            8,
            "above site",
        ),
        (lambda t: t.replace("host: web1", "host: web1\n#  wpAdminPassword: S3cretPw9"), "S3cretPw9", 8, "above site"),
        (lambda t: t.replace("uid: 10002", "uid: 10002   # db_pass = S3cretPw9"), "S3cretPw9", 6, "after uid"),
        # a shell's assignment, a passphrase in quotes after a label, a service's login and password after a dash
        (
            lambda t: t.replace("host: web1", 'host: web1\n# export DB_PASSWORD="Lilas 2024!"'),
            "Lilas 2024!",
            8,
            "above site",
        ),
        (lambda t: t + '# mot de passe du FTP "Lilas 2024!"\n', "Lilas 2024!", 28, "at the end of the file"),
        (lambda t: t + "# FTP amicale - marie : Lilas2024\n", "Lilas2024", 28, "at the end of the file"),
        (
            lambda t: t.replace("- www.velo-cite-lyon.fr", "- www.velo-cite-lyon.fr  # mdp: Lilas2024!"),
            "Lilas2024!",
            11,
            "after site.domains[1]",
        ),
        (lambda t: t.replace('  php: "8.4"', '  php: "8.4"  # mdp: Lilas2024!'), "Lilas2024!", 13, "after site.php"),
        (
            lambda t: t.replace('  php: "8.4"', '  # mdp: Lilas2024!\n  php: "8.4"'),
            "Lilas2024!",
            13,
            "above site.php",
        ),
        (
            lambda t: "# mdp: Lilas2024!\n" + t,
            "Lilas2024!",
            1,
            "at the top of the file, above name,",
        ),
        (
            lambda t: (
                t + "# -----BEGIN OPENSSH PRIVATE KEY-----\n"
                "# b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n"
                "# -----END OPENSSH PRIVATE KEY-----\n"
            ),
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz",
            28,
            "at the end of the file",
        ),
    ],
)
def test_a_comment_holding_a_secret_in_a_member_file_is_refused_unseen(
    tmp_path: Path, edit: Callable[[str], str], secret: str, line: int, where: str
) -> None:
    """A comment is committed with the member's file as its notes are: one holding a password, a URL's credentials or
    a private key is refused at its line, the secret not shown; was: pic check passed (exit 0), libyaml dropping
    comments. The problem says where the comment is: after the field whose line it ends, above the field under it,
    at the top or the end of the file (was: only the line, no field named)."""
    members = tmp_path / "members"
    members.mkdir()
    (members / "velo-cite.yaml").write_text(edit(_EXAMPLE), encoding="utf-8")
    proc = check(members)
    assert proc.returncode == 1, proc.stderr
    assert secret not in proc.stderr + proc.stdout, proc.stderr
    [error] = _errors_of(proc)
    assert error.startswith(f"{members / 'velo-cite.yaml'}:{line} a comment (not shown) {where} holds "), error
    assert "committed in clear" in error, error


def test_the_comments_of_the_example_members_and_stacks_hold_no_secret(tmp_path: Path) -> None:
    """The examples' comments (a schema's line, notes on a setting, a stack's `pulumi config set --secret
    pic:dbAdminPassword`, which names the key a secret goes to: --secret is a flag of Pulumi's config set, the word
    after it the key) are read and pass."""
    for stack in ("prod", "lab", "dev"):
        proc = check(ROOT / "members", ROOT) if stack == "prod" else _check_stack(stack)
        assert proc.returncode == 0, proc.stderr
        assert "a comment" not in proc.stderr, proc.stderr


def _check_stack(stack: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pic", "check", "--members", str(ROOT / "members"), "--stack", stack],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("comment", "secret"),
    [
        ("# root: mysql -u root -pS3cretPw9", "S3cretPw9"),
        ("# mdp admin : Velo2024x", "Velo2024x"),
        ("#  pic:dbAdminPassword: S3cretPw9", "S3cretPw9"),  # a line of the file commented out
        ("#   smtp_pass: Hunter2xx", "Hunter2xx"),
        ("# DB_PASSWORD=S3cretPw9", "S3cretPw9"),
        ("# pulumi config set --secret pic:dbAdminPassword S3cretPw9", "S3cretPw9"),
        ("# pulumi config set pic:dbAdminPassword S3cretPw9", "S3cretPw9"),
        ("# mysql:adminPwd: S3cretPw9", "S3cretPw9"),  # named for a secret as the file's own keys are
        ("# dbPass=S3cretPw9", "S3cretPw9"),
        ("# pic:db: {adminPassword: S3cretPw9, host: db1}", "S3cretPw9"),  # YAML's flow style
        ("#  pic:dbAdminPassword:\n#    - S3cretPw9", "S3cretPw9"),  # a list under the key
        # the value on pulumi config set's standard input, after '--', given by set-all, after other words
        ("# echo S3cretPw9 | pulumi config set --secret pic:dbAdminPassword", "S3cretPw9"),
        ("# pulumi config set pic:dbAdminPassword <<< S3cretPw9", "S3cretPw9"),
        ("# pulumi config set --secret -- pic:dbAdminPassword S3cretPw9", "S3cretPw9"),
        ("# pulumi config set-all --plaintext pic:dbAdminPassword=S3cretPw9", "S3cretPw9"),
        ("# old: pulumi config set --secret pic:dbAdminPassword S3cretPw9", "S3cretPw9"),
    ],
)
def test_a_comment_holding_a_secret_in_a_stack_file_is_refused_unseen(
    tmp_path: Path, comment: str, secret: str
) -> None:
    """The stack file is committed too: its comments are read as a member file's are (they passed: exit 0)."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(comment + "\n" + stack.read_text(encoding="utf-8"), encoding="utf-8")
    proc = check(ROOT / "members", project)
    assert proc.returncode == 1, proc.stderr
    assert secret not in proc.stderr + proc.stdout, proc.stderr
    assert f"{stack}:1 a comment (not shown) at the top of the file, above config, holds " in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("pic:eol_warning_days: 365", "pic:eol_warning_days: 365  # mdp: Lilas2024!", "after pic:eol_warning_days"),
        ("  pic:tls:", "  # mdp: Lilas2024!\n  pic:tls:", "above pic:tls"),
        ("    domain: pma.", "    # mdp: Lilas2024!\n    domain: pma.", "above pic:phpmyadmin.domain"),
    ],
)
def test_a_comment_holding_a_secret_in_a_stack_file_names_the_key_it_is_by(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    """A comment of the stack file names the pic: key it follows or is above, as the model's own problems name
    it (pic:tls, not config.pic:tls); was: only its line."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    text = stack.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    stack.write_text(text, encoding="utf-8")
    line = next(n for n, written in enumerate(text.splitlines(), 1) if "Lilas2024!" in written)
    proc = check(ROOT / "members", project)
    assert proc.returncode == 1, proc.stderr
    assert "Lilas2024!" not in proc.stderr + proc.stdout, proc.stderr
    assert f"{stack}:{line} a comment (not shown) {where} holds a password" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    "comment",
    [
        "# pulumi config set --secret pic:dbAdminPassword",  # the value typed at the prompt
        "# pulumi config set --secret pic:sshPrivateKey < ~/.ssh/deploy",
        "#  pic:dbAdminPassword:\n#    secure: AAABADJxyzTkOrQmZb1Y9Q==",  # Pulumi's ciphertext, commented out
        "# mysql.password: see the admins' vault",
        "# db_password = ${DB_PASSWORD}",
        "# Token: renouvelé en mars",
        "# pic:default_web_host: web2",
        # words after a key named for a secret: where it is kept, when it changed
        "# pic:dbAdminPassword: stored in Bitwarden",
        "# pic:dbAdminPassword: rotated on 2025-03-01",
        "# pic:sshPrivateKey: generated by ssh-keygen -t ed25519",
        "# smtp_pass: voir-coffre",
        "# Rotate via *pulumi config set --secret pic:smtpPassword* monthly.",
        "# pulumi config set --secret pic:dbAdminPassword, then run pulumi up",
        '# echo "$DB_PASSWORD" | pulumi config set --secret pic:dbAdminPassword',
        "# pulumi config set-all --plaintext pic:default_web_host=web1-prod",
    ],
)
def test_a_comment_naming_where_a_secret_goes_in_a_stack_file_passes(tmp_path: Path, comment: str) -> None:
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(comment + "\n" + stack.read_text(encoding="utf-8"), encoding="utf-8")
    proc = check(ROOT / "members", project)
    assert proc.returncode == 0, proc.stderr
    assert "a comment" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("\ufeff# mdp: Azerty123\nuid: 1\n", 1),  # after a byte-order mark (Notepad's UTF-8)
        ("notes: |\n  texte\n  # rien\n# mdp: Azerty123\nuid: 1\n", 4),  # after a block scalar's "#" line
        ("uid: 1\n" + "# une note\n" * 3 + "# mot de passe :\n# Velo2024x\n", 5),  # a label, its value under it
        ("uid: 1  # mdp: Azerty123 # encore\n", 1),  # a "#" inside a comment: one comment, told once
        ("".join(f"k{i}: v{i}  # note {i}\n" for i in range(2000)) + "# mdp: Azerty123\n", 2001),
        # a comment after a quoted value holding " #": the comment is after the value's closing quote
        ('notes: "ticket #4521"   # ancien mdp: Lilas2024!\n', 1),
        ("uid: 1\nname: 'L''amicale #2'  # mdp: Lilas2024\n", 2),
        ('domains: ["#a.fr", "#b.fr"]  # mdp: Lilas2024\n', 1),
        ('notes: "ligne 1 #1\n  ligne 2 #2"  # mdp: Lilas2024\n', 2),
        # a comment after a block scalar's header, where its text starts on the next line
        ("notes: |  # mdp: Lilas2024\n  texte\n", 1),
        ("uid: 1\nnotes: >-   # ancien mdp: Lilas2024!\n  texte\n  suite\n", 2),
        # PyYAML takes a "#" right after a closing quote or bracket for a comment's, as after white space
        ('notes: "ticket #4521"# ancien mdp: Lilas2024!\n', 1),
        ("uid: 1\nname: 'Amicale'# mdp: Lilas2024\n", 2),
        ('domains: ["a.fr", "b.fr"]# mdp: Lilas2024\n', 1),
        ("limits: {disk_gb: 2}# mdp: Lilas2024\n", 1),
    ],
)
def test_a_comment_holding_a_secret_is_found_where_it_starts(text: str, line: int) -> None:
    from pic.yamlsrc import comment_secrets

    [problem] = comment_secrets(text, "x.yaml")
    assert problem.line == line and "a comment (not shown) holds a password" in problem.message, problem


@pytest.mark.parametrize(
    ("text", "line", "where"),
    [
        ("site:\n  domains: [a.org]  # mdp: Lilas2024!\n  php: '8.4'\n", 2, "after site.domains"),
        ("site:\n  domains: [a.org]\n  # mdp: Lilas2024!\n  php: '8.4'\n", 3, "above site.php"),
        ("site:\n  domains:\n    - a.org  # mdp: Lilas2024!\n", 3, "after site.domains[0]"),
        ("site:  # mdp: Lilas2024!\n  php: '8.4'\n", 1, "after site"),
        ("limits: {disk_gb: 2}# mdp: Lilas2024\n", 1, "after limits"),
        ('notes: "ligne 1 #1\n  ligne 2 #2"  # mdp: Lilas2024\nuid: 1\n', 2, "after notes"),  # the value's last line
        ("uid: 1\nnotes: >-   # ancien mdp: Lilas2024!\n  texte\n", 2, "after notes"),
        ("# mdp: Lilas2024!\nuid: 1\n", 1, "at the top of the file, above uid,"),
        ("uid: 1\n# une note\n# mot de passe :\n# Velo2024x\nhost: web1\n", 3, "above host"),  # a group's next key
        ("uid: 1\n# mdp: Lilas2024!\n", 2, "at the end of the file"),
        ("# mdp: Lilas2024!\n", 1, "in a file holding no field"),
        ("- a.org  # mdp: Lilas2024!\n", 1, "after [0]"),
        ('"mdp : Azerty123": 1  # mdp: Lilas2024!\n', 1, "after (a key not shown)"),  # a key read as a secret
    ],
)
def test_a_comment_holding_a_secret_names_the_field_it_is_by(text: str, line: int, where: str) -> None:
    """The problem of a comment says where it is as fields are named: after the field on its line (the outermost
    one), above the field under it, at the top or the end of the file; the secret never shown."""
    from pic.yamlsrc import parse_yaml

    doc, problems = parse_yaml(text, "x.yaml", comments=True)
    assert doc is not None, problems
    [problem] = problems
    assert problem.line == line, problem
    assert problem.message.startswith(f"a comment (not shown) {where} holds a password"), problem
    assert "Lilas2024" not in str(problem) and "Velo2024x" not in str(problem), problem


def _place_by_scan(fields: dict[Any, int], first: int, more: int, own_line: bool) -> str:
    """Where a comment is, read by a scan of every field in the file's order (what pic.yamlsrc._comment_place says
    by bisection)."""
    from pic.yamlsrc import _field_name

    above: Any = None
    on: Any = None
    below: Any = None
    for loc, line in fields.items():
        if not loc:
            continue
        if line < first:
            if above is None or line > above[0]:
                above = (line, loc)
        elif line == first and not own_line:
            if on is None or (isinstance(on[-1], int) and loc[:-1] == on):
                on = loc
        elif line > first + more and below is None:
            below = loc
    if not own_line:
        after = on if on is not None else above[1] if above is not None else None
        return "at the top of the file" if after is None else f"after {_field_name(after, None)}"
    if below is None:
        return "at the end of the file" if above is not None else "in a file holding no field"
    if above is None:
        return f"at the top of the file, above {_field_name(below, None)},"
    return f"above {_field_name(below, None)}"


def test_a_comments_place_is_found_by_bisection_as_by_a_scan_of_every_field() -> None:
    """For a file of many fields (nested mappings, lists of mappings, flow collections, a value over several lines),
    the place of a comment on any line, after a value or on lines of its own, is the one a scan of every field
    finds; the fields are looked up by bisection (a file of thousands of commented secrets took time growing with
    their number times its fields)."""
    from pic.yamlsrc import _comment_place, _FieldLines, parse_yaml

    text = (MEMBERS / "velo-cite.yaml").read_text(encoding="utf-8") + (
        "extra: {cpus: 1, memory: 512M}\n"
        "cron:\n  - command: php a.php\n    schedule: hourly\n  - {command: php b.php, schedule: daily}\n"
        'exceptions: [{runtime: "7.4", until: 2027-01-01, reason: "migration\n   en cours"}]\n'
    )
    doc, problems = parse_yaml(text, "x.yaml")
    assert doc is not None, problems
    fields = dict(doc.lines)
    by_line = _FieldLines(fields)
    count = text.count("\n") + 2
    for first in range(1, count):
        for more in range(3):
            for own_line in (True, False):
                expected = _place_by_scan(fields, first, more, own_line)
                assert _comment_place(by_line, first, more, own_line, None) == expected, (first, more, own_line)


@pytest.mark.parametrize(
    "text",
    [
        "notes: |\n  # mdp: Azerty123\n",  # a block scalar's line: its text (read as notes), no comment
        'cron: [{command: "php x.php # mdp: Azerty123", schedule: hourly}]\n',  # inside quotes
        "url: https://example.org/#mdp:Azerty123\n",  # a "#" after no white space: text
        'notes: "ticket #4521 mdp: Azerty123"  # fermé le 3 mars\n',  # the quoted text's, then a comment without one
        "name: L'amicale'#2 mdp: Azerty123\n",  # a plain scalar's text: the "#" after its quote no comment
        'notes: ab"#mdp: Azerty123\n',
    ],
)
def test_a_hash_inside_a_value_is_no_comment(text: str) -> None:
    from pic.yamlsrc import comment_secrets

    assert comment_secrets(text, "x.yaml") == []


def test_a_comment_of_yaml_aliases_repeating_a_node_is_read_once() -> None:
    """A comment read as YAML whose aliases repeat a node (a "billion laughs": 4^13 paths here, 67 million) is
    walked once a node: its secret-named key's password is found, nothing else, at once."""
    from pic.yamlsrc import comment_secrets

    lines = ["k:", "  a0: &a0 [Lyon, Paris]"]
    lines += [f"  a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 13)]
    text = "".join(f"# {line}\n" for line in lines)  # 14 lines: one block (at most 16) with the key's 2, 4^12 paths
    assert comment_secrets(text, "x.yaml") == []
    # (a list under the key, which only the walk reads: a value in brackets on the key's line is read there as after a
    # password's label, at its own line)
    problems = comment_secrets(text + "#   smtpPassword:\n#     - S3cretPw9\n", "x.yaml")
    assert [p.line for p in problems] == [1], problems  # the block's first line: k, under which the key is
    problems = comment_secrets(text + "#   smtpPassword: [S3cretPw9]\n", "x.yaml")
    assert [p.line for p in problems] == [15], problems


@pytest.mark.parametrize(
    "text",
    [
        "# pic:dbAdminPassword:\n# - S3cretPw9",  # a list at the key's own indentation
        "## pic:dbAdminPassword: S3cretPw9",  # more than one '#'
        "# pic:db: {adminPassword: 84620193}",  # a number
        "#  pic:dbAdminPassword:\n#    - 84620193",
        "# db-admin-password: S3cretPw9",  # a key in kebab case
        "# smtp-password: S3cretPw9",
        # the secret's word first, whose after it
        "# password_admin: Lilas2024",
        "# mdp_ftp: Lilas2024",
        "# token_github: Zt8kq2LmW9xR4",
        "# pic:db: {apiKey: Zt8kq2LmW9xR4}",
        "# ftp: {mdp_ftp: Lilas2024}",
        "# pulumi config set pic:password_admin Lilas2024",
        # secret_id, Vault AppRole's SecretID: a credential, not a secret's ID
        "# secret_id: 4f1c2b3a-9d8e-4c7b-a6f5-1e2d3c4b5a69",
        "# vault: {roleId: web, secretId: 4f1c2b3a-9d8e-4c7b-a6f5-1e2d3c4b5a69}",
        "# pulumi config set pic:vaultSecretId 4f1c2b3a-9d8e-4c7b-a6f5-1e2d3c4b5a69",
    ],
)
def test_a_commented_out_secret_in_another_form_of_yaml_is_refused(text: str) -> None:
    """Forms a newcomer found passing: each is a key named for a secret and its password, commented out."""
    from pic.yamlsrc import comment_secrets

    assert [p.line for p in comment_secrets(text + "\n", "x.yaml")] == [1], text


@pytest.mark.parametrize(
    "text",
    [
        "# pic:dbAdminPassword: v1:BSXxVHG6LDNLP5K2:8cqc4GOtrc3kHXsR7x+Qy5Ilm4nb4mqbtdY=",  # Pulumi's ciphertext alone
        "# pic:db: {adminPassword: v1:BSXxVHG6LDNLP5K2:8cqc4GOtrc3kHXsR7x+Qy5Ilm4nb4mqbtdY=}",
        "# php_settings: {memory_limit: 256M, upload_max_filesize: 64M}",
        "# password_min_length: 12",
        "# passwordless: true",
        # a key saying something about a secret, not the secret: when it expires, its name, rotation, policy
        "# tokenExpiry: 86400s",
        "# sshKeyName: deploy-2024",
        "# apiKeyRotation: every-90-days",
        "# passwordPolicy: Min12Chars",
        "# pic:db: {tokenExpiry: 86400s, host: db1}",
        "#  pic:apiKeyId:\n#    - AKEY2024x",
        "# pulumi config set pic:tokenExpiry 86400s",
    ],
)
def test_a_commented_out_line_holding_no_password_in_clear_passes(text: str) -> None:
    from pic.yamlsrc import comment_secrets

    assert comment_secrets(text + "\n", "x.yaml") == [], text


def test_the_entries_of_the_root_directory_are_named_with_one_slash() -> None:
    """A directory and a name were joined with '/' by string: --members / named its entries //bin, //boot."""
    proc = check(Path("/"))
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings, proc.stderr[:500]
    assert all(line.startswith("warning: /") and not line.startswith("warning: //") for line in warnings), warnings


def test_a_directory_shown_ending_with_a_slash_is_joined_with_none_more(tmp_path: Path) -> None:
    """Every name joined to a directory shown as given, ``/`` (the root) or a name: one '/' between them."""
    (tmp_path / "README.md").write_text("# Members\n")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x.yaml").write_text("name: X\n")
    for shown in ("/", "members"):
        told = [str(p) for p in stray_files(tmp_path, shown)]
        assert any(line.startswith(f"warning: {shown.rstrip('/')}/README.md ") for line in told), told
        assert any(f"directly in {shown.rstrip('/')}/ only" in line for line in told) and not any(
            "//" in t for t in told
        ), told


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"Case\x00Member", "a control character"),
        (b"Case \xe9Member", "not UTF-8"),
        (b"Case\xef\xbb\xbfMember", "mark"),
    ],
    ids=["nul", "latin-1", "bom"],
)
def test_a_refused_character_is_told_in_its_line_said_to_be_the_line(members: Path, raw: bytes, words: str) -> None:
    """The text shown is the line the column counts in: named "the line", never as the field's value (name: "name:
    Case..." read as a value holding its own key)."""
    text = BASE.read_bytes().replace(b"10500", b"10501").replace(b"base-asso.fr", b"other-asso.fr")
    (members / "other-member.yaml").write_bytes(text.replace(b"name: Base Member", b"name: " + raw, 1))
    proc = check(members)
    [line] = [ln for ln in proc.stderr.splitlines() if "other-member.yaml:" in ln]
    assert f"other-member.yaml:2 name: the line {show_value('name: Case')[:-1]}" in line, line
    assert words in line.split(" holds ", 1)[1], line


MANY = 2000
HEAD = "name: Case Member\ncontact: {name: Case Contact, email: case@case-asso.fr}\nuid: 10600\n"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("".join(f"k{i}: 1\n" for i in range(MANY)), "unknown key"),
        ('site:\n  php: "8.4"\n  domains: [case-asso.fr]\n' + "".join(f"  k{i}: 1\n" for i in range(MANY)), "unknown"),
        ("".join(f"k{i}:\n" for i in range(MANY)), "is empty"),
        ("".join("notes: x\n" for _ in range(MANY + 1)), "duplicate key"),
        ("".join("<<: {}\n" for _ in range(MANY)), "merge key"),
    ],
    ids=["unknown-keys", "unknown-keys-nested", "empty-keys", "duplicate-keys", "merge-keys"],
)
def test_a_file_of_thousands_of_faults_of_one_kind_tells_the_first_and_counts_the_others(
    members: Path, body: str, words: str
) -> None:
    """A pasted or generated file of thousands of wrong lines told each (20,000 unknown keys: 20,001 lines, 10 s):
    the first of each kind are told, then one line says how many more, and a fault of another kind after them
    is still told."""
    (members / "case-member.yaml").write_text(HEAD + body)
    proc = check(members)
    assert proc.returncode == 1, proc.stderr[-500:]
    lines = [ln for ln in proc.stderr.splitlines() if "case-member.yaml" in ln]
    told = [ln for ln in lines if words in ln and " more " not in ln]
    assert 3 <= len(told) <= 50, len(told)
    [more] = [ln for ln in lines if " more " in ln]
    assert more.endswith("not shown"), more
    count = int(more.split(" more ", 1)[0].rsplit(" ", 1)[1])
    assert count + len(told) == MANY, (more, len(told))


def test_faults_of_another_kind_after_thousands_of_one_kind_are_told(members: Path) -> None:
    body = "".join(f"k{i}: 1\n" for i in range(MANY)) + "status: frozen\n"
    (members / "case-member.yaml").write_text(HEAD + body)
    proc = check(members)
    assert any("status:" in ln and "frozen" in ln for ln in proc.stderr.splitlines()), proc.stderr[-500:]


def test_the_faults_told_of_a_kind_are_the_first_in_the_file(members: Path) -> None:
    """The faults of one kind told before the count were the first pydantic met, in its model's order, not the
    file's: 25 unknown keys at the top level, then 25 under limits:, told limits' 20 and said "30 more from this line
    on" at a line of limits', the top level's never named. The first 20 lines of the file are told, the count at the
    21st, and each key is told or counted."""
    top = "".join(f"top{i}: 1\n" for i in range(25))
    nested = "limits:\n" + "".join(f"  nested{i}: 1\n" for i in range(25))
    (members / "case-member.yaml").write_text(HEAD + top + nested)
    proc = check(members)
    assert proc.returncode == 1, proc.stderr[-500:]
    lines = [ln for ln in proc.stderr.splitlines() if "case-member.yaml:" in ln]
    told = [ln for ln in lines if " more " not in ln]
    [more] = [ln for ln in lines if " more " in ln]
    line_of = {ln: int(ln.split("case-member.yaml:", 1)[1].split(" ", 1)[0]) for ln in lines}
    first = len(HEAD.splitlines()) + 1  # top0's line
    assert sorted(line_of[ln] for ln in told) == list(range(first, first + 20)), told
    assert line_of[more] == first + 20 and " 30 more " in more, more


def test_a_list_domain_given_with_another_is_not_told_to_make_a_list(tmp_path: Path) -> None:
    """lists.domain holds one name: two in it were told "one item of the list each", a list it cannot be; the
    domains of a site, a list, are still told so."""
    project = project_copy(tmp_path)
    shutil.copytree(MEMBERS, project / "members")
    path = project / "members" / "amis-du-rhone.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "  domain: listes.amis-du-rhone.org", "  domain: listes.amis-du-rhone.org listes2.amis-du-rhone.org"
    )
    text = text.replace("    - www.amis-du-rhone.org", "    - www.amis-du-rhone.org, amis-du-rhone.fr")
    path.write_text(text, encoding="utf-8")
    from pic.registry import load_registry
    from pic.settings import load_settings

    with pytest.raises(PicError) as info:
        load_registry(project / "members", load_settings(project, "prod"))
    lines = str(info.value).splitlines()
    [one] = [ln for ln in lines if " lists.domain: " in ln]
    assert "of the list" not in one and "give the name meant alone" in one, one
    [listed] = [ln for ln in lines if " site.domains[1]: " in ln]
    assert "one item of the list each" in listed, listed


@pytest.mark.parametrize("written", ["10600.0", "1_0600", "1.06e4", "10_600"])
def test_a_uid_offered_for_one_written_otherwise_is_never_one_another_member_holds(
    tmp_path: Path, written: str
) -> None:
    """uid: 10600.0 was told "write 10600, without a decimal point", and 10600 then refused as another member's:
    a number offered that another member holds is told as such, and no longer offered; one that is free still
    is."""
    from pic.registry import load_registry
    from pic.settings import load_settings

    directory = write_members(tmp_path / "members", {"first-asso": member(10600), "other-asso": member(10700)})
    (directory / "other-asso.yaml").write_text(
        (directory / "other-asso.yaml").read_text(encoding="utf-8").replace("uid: 10700", f"uid: {written}"),
        encoding="utf-8",
    )
    with pytest.raises(PicError) as info:
        load_registry(directory, load_settings(ROOT, "prod"))
    [line] = [ln for ln in str(info.value).splitlines() if "other-asso.yaml" in ln and " uid: " in ln]
    assert "write 10600" not in line, line
    assert "10600, which is already used by " in line and "first-asso.yaml:" in line, line
    (directory / "first-asso.yaml").unlink()
    with pytest.raises(PicError) as info:
        load_registry(directory, load_settings(ROOT, "prod"))
    [line] = [ln for ln in str(info.value).splitlines() if "other-asso.yaml" in ln and " uid: " in ln]
    assert "write 10600" in line and "already used" not in line, line


_YES_NO_FIELDS = {
    "site.https": '  php: "8.4"\n  https: VALUE\n',
    "site.php_settings.display_errors": '  php: "8.4"\n  php_settings:\n    display_errors: VALUE\n',
    "access.ssh": '  php: "8.4"\naccess:\n  ssh: VALUE\n',
}
_FRENCH = "is French, and YAML reads yes or no in English"
_CASES = "YAML reads a word in all small letters, all capitals or with a capital first alone as a boolean"


@pytest.mark.parametrize(
    ("written", "told"),
    [
        (
            "oui",
            f'"oui" is not true or false: oui {_FRENCH}: write true, without quotes',
        ),
        (
            "Non",
            f'"Non" is not true or false: non {_FRENCH}: write false, without quotes',
        ),
        (
            "vrai",
            f'"vrai" is not true or false: vrai {_FRENCH}: write true, without quotes',
        ),
        (
            '"FAUX"',
            '"FAUX" is not true or false: faux is French, and YAML reads yes or no in English: write false, '
            "without quotes",
        ),
        (
            "'oui'",
            '"oui" is not true or false: oui is French, and YAML reads yes or no in English: write true, '
            "without quotes",
        ),
        ("y", '"y" is not true or false: YAML reads y and n as text: write true, without quotes'),
        ('"n"', '"n" is not true or false: YAML reads y and n as text: write false, without quotes'),
        ('"yes"', '"yes" is not true or false: in quotes it is text: write true, without quotes'),
        ("'off'", '"off" is not true or false: in quotes it is text: write false, without quotes'),
        (
            '"oN"',
            f'"oN" is not true or false: in quotes it is text, and {_CASES} (on, On, ON): write true, without quotes',
        ),
        ("oFF", f"oFF is not true or false: {_CASES} (off, Off, OFF): write false"),
        ("1", "1 is not true or false: 1 is a number to YAML: write true"),
        ("0", "0 is not true or false: 0 is a number to YAML: write false"),
        ('"1"', '"1" is not true or false: in quotes it is text: write true, without quotes'),
        ("2", "2 is not true or false: write true or false"),
        # as YAML 1.1 and 1.2 read it (test_hints)
        ("1.0", "1.0 is not true or false: 1.0 is 1 to YAML 1.1 and 1.2 alike: write true"),
        ("[true]", "[true] is not true or false: write true or false"),
        (".nan", ".nan is not a number (YAML's not-a-number value): write true or false"),
        ("-.inf", "-.inf is infinite (YAML's infinity): write true or false"),
        ("maybe", '"maybe" is not true or false: write true or false, without quotes'),
    ],
)
def test_a_yes_no_field_tells_a_value_meaning_yes_or_no_alike_and_offers_it(
    tmp_path: Path, written: str, told: str
) -> None:
    """``display_errors: oui`` had no hint where ``https: "yes"`` had one, ``display_errors: "oN"`` was told of its
    quotes, then of its case, and ``display_errors: 1`` was worded otherwise than ``ssh: 1``: every yes/no field
    (the model's booleans and the PHP settings that are flags) tells a value one way, offering true or false when
    the value means one (French words, y/n, 1/0, YAML's words in quotes or in a case it reads as text)."""
    from pic import phpini
    from pic.registry import Access, Site, load_registry
    from pic.settings import load_settings

    booleans = {f"site.{n}" for n, f in Site.model_fields.items() if f.annotation is bool}
    booleans |= {f"access.{n}" for n, f in Access.model_fields.items() if f.annotation is bool}
    booleans |= {f"site.php_settings.{k}" for k, rule in phpini.RULES.items() if rule.kind == "flag"}
    assert booleans == set(_YES_NO_FIELDS), "a yes/no field this test does not write"
    for field, lines in _YES_NO_FIELDS.items():
        directory = tmp_path / field
        directory.mkdir()
        (directory / "test-site.yaml").write_text(
            "name: Test site\ncontact: {name: A, email: a@test-site.fr}\nuid: 10720\n"
            f"site:\n  domains: [test-site.fr]\n{lines.replace('VALUE', written)}"
        )
        with pytest.raises(PicError) as caught:
            load_registry(directory, load_settings(ROOT, "prod"))
        (problem,) = [str(p) for p in caught.value.problems]
        assert problem.endswith(f" {field}: {told}"), problem


@pytest.mark.parametrize(("stem", "meant"), [("Rhône-Vélo", "rhone-velo"), ("cœur-de-lyon", "coeur-de-lyon")])
def test_a_member_file_named_with_accents_is_told_its_slug(tmp_path: Path, stem: str, meant: str) -> None:
    """The file of an association named with accents (Rhône-Vélo.yaml) is offered its name in ASCII letters, as
    pic new and pic move-script offer the slug (the slug rule is one)."""
    members = tmp_path / "members"
    members.mkdir()
    (members / f"{stem}.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    done = check(members)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"file name {show_value(stem)} is not a valid slug: " in done.stderr, done.stderr
    assert f"; did you mean {meant}.yaml?" in done.stderr, done.stderr


def test_a_member_file_named_too_long_in_ascii_letters_is_told_its_length(tmp_path: Path) -> None:
    """Straße-des-Vélos-de-Rhône-Lyon-ß.yaml, 32 characters before .yaml, was told only the slug's rule (3 to 32
    characters): the name in ASCII letters, 34 characters, is told with its length."""
    members = tmp_path / "members"
    members.mkdir()
    (members / "Straße-des-Vélos-de-Rhône-Lyon-ß.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    done = check(members)
    assert done.returncode == 1, done.stdout + done.stderr
    told = "'strasse-des-velos-de-rhone-lyon-ss', its form in ASCII letters, is 34 characters long (at most 32)"
    assert told in done.stderr and "did you mean" not in done.stderr, done.stderr


@pytest.mark.parametrize(("stem", "meant"), [("Vélo-Cité", "velo-cite"), ("VELO_CITE", "velo-cite")])
def test_a_member_file_whose_slug_is_another_members_is_told_so(tmp_path: Path, stem: str, meant: str) -> None:
    """Vélo-Cité.yaml beside velo-cite.yaml was offered 'did you mean velo-cite.yaml?', a rename onto another
    member's file: the name in its form is told to be that member's, as pic new tells a slug taken, and not offered."""
    members = tmp_path / "members"
    members.mkdir()
    for name in (stem, meant):
        (members / f"{name}.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    done = check(members)
    assert done.returncode == 1, done.stdout + done.stderr
    (line,) = [ln for ln in done.stderr.splitlines() if f"file name {show_value(stem)} is not a valid slug: " in ln]
    assert "did you mean" not in line, line
    assert f"{meant}.yaml, the name in its form, is another member's file already" in line, line
