"""Every file pic reads, saved in Latin-1 or CP1252 (an older editor's, a spreadsheet's), is offered the line of
iconv that converts it, as an export given to ``pic lists audit`` is: a file pic reads where it stands (a member
file, the stack file, notices.yaml, a host's disk usage file) converted in place, a file given to a command (an
export, a --domains file, --expected's JSON) written beside it. The line is run here with glibc's iconv (the
program the message names, from the libc-bin package), and the file it writes is read again."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from pic import diskusage, dns_check, notices
from pic.cli import main
from pic.errors import PicError
from tests.conftest import require_program
from tests.helpers import member, project_copy, write_members

ON = "2026-11-28"


def _in_place(path: Path, charset: str = "LATIN1") -> str:
    source, converted = shlex.quote(str(path)), shlex.quote(f"{path}.utf8")
    return f"iconv -f {charset} -t UTF-8 {source} > {converted} && cat {converted} > {source} && rm {converted}"


def _run(line: str) -> None:
    require_program("iconv")
    subprocess.run(["sh", "-c", line], check=True)


def _check(project: Path, members: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = main(["check", "--stack", "prod", "--project", str(project), "--members", str(members), "--on", ON])
    out = capsys.readouterr()
    return rc, out.out + out.err


@pytest.mark.parametrize(
    ("data", "charset", "said"),
    [
        (b'name: "V\xe9lo Cit\xe9"\n', "LATIN1", "Latin-1 text (ISO-8859-1)"),
        (b'name: "V\xe9lo Cit\xe9 \x96 l\x92asso"\n', "CP1252", "CP1252 text (Windows' Western European)"),
    ],
    ids=["latin-1", "cp1252"],
)
def test_a_member_file_in_latin1_is_offered_iconv_in_place_then_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, charset: str, said: str
) -> None:
    """A member file saved in Latin-1 was told its bytes line by line ('save the file as UTF-8'), how left unsaid,
    where an export so saved is offered the line of iconv: offered alike, converting the file in place (pic reads
    it where it stands), and the file glibc's iconv writes is checked."""
    project = project_copy(tmp_path)
    members = write_members(tmp_path / "members", {"velo-cite": member(10601)})
    path = members / "velo-cite.yaml"
    path.write_bytes(path.read_bytes().replace(b"name: Case Member\n", data, 1))
    rc, text = _check(project, members, capsys)
    assert rc == 1, text
    line = _in_place(path, charset)
    assert f"{path} reads as {said}, not UTF-8: convert it in place with `{line}`" in text, text
    assert "bytes that are not UTF-8" in text, text  # each line still named
    _run(line)
    assert "Vélo Cité" in path.read_text(encoding="utf-8")
    assert not Path(f"{path}.utf8").exists()
    rc, text = _check(project, members, capsys)
    assert rc == 0, text


def test_the_stack_file_in_latin1_is_offered_iconv_in_place_then_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_copy(tmp_path)
    members = write_members(tmp_path / "members", {"velo-cite": member(10601)})
    path = project / "Pulumi.prod.yaml"
    text = path.read_text(encoding="utf-8").replace("Ondřej Surý", "Ondrej Sury")  # all ASCII: then Latin-1
    path.write_bytes(b"# r\xe9glages de la production\n" + text.encode("ascii"))
    rc, text = _check(project, members, capsys)
    assert rc == 1, text
    line = _in_place(path)
    assert f"reads as Latin-1 text (ISO-8859-1), not UTF-8: convert it in place with `{line}`" in text, text
    _run(line)
    rc, text = _check(project, members, capsys)
    assert rc == 0, text


def test_the_line_in_place_keeps_a_link_and_the_file_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The stack file kept elsewhere and linked into the project (Pulumi.prod.yaml -> ../config/prod.yaml), and a
    member file of mode 0640: the offered line, run by sh, left a regular file of the umask's mode in the link's
    place (``mv FILE.utf8 FILE``), the file linked to still in Latin-1. It now writes the converted text into the
    file itself (``cat FILE.utf8 > FILE``): the link stays a link, its file converted, the member file's mode kept."""
    project = project_copy(tmp_path)
    members = write_members(tmp_path / "members", {"velo-cite": member(10601)})
    stack = project / "Pulumi.prod.yaml"
    kept = tmp_path / "config" / "prod.yaml"
    kept.parent.mkdir()
    text = stack.read_text(encoding="utf-8").replace("Ondřej Surý", "Ondrej Sury")
    kept.write_bytes(b"# r\xe9glages de la production\n" + text.encode("ascii"))
    stack.unlink()
    stack.symlink_to(kept)
    path = members / "velo-cite.yaml"
    path.write_bytes(path.read_bytes().replace(b"name: Case Member\n", b'name: "V\xe9lo Cit\xe9"\n', 1))
    path.chmod(0o640)
    for line in (_in_place(stack), _in_place(path)):  # the stack file read first, then the members
        rc, said = _check(project, members, capsys)
        assert rc == 1, said
        assert f"convert it in place with `{line}`" in said, said
        _run(line)
    assert stack.is_symlink() and stack.resolve() == kept.resolve()
    assert kept.read_text(encoding="utf-8").startswith("# réglages de la production\n")
    assert path.stat().st_mode & 0o777 == 0o640
    assert not Path(f"{stack}.utf8").exists() and not Path(f"{path}.utf8").exists()
    rc, said = _check(project, members, capsys)
    assert rc == 0, said


def test_notices_in_latin1_is_offered_iconv_in_place_then_read(tmp_path: Path) -> None:
    path = tmp_path / notices.DEFAULT_FILE
    path.write_bytes(b"# envoy\xe9s\nsent: []\n")
    with pytest.raises(PicError) as caught:
        notices._read(path, str(path))
    told = [str(p) for p in caught.value.problems]
    line = _in_place(path)
    assert f"{path} reads as Latin-1 text (ISO-8859-1), not UTF-8: convert it in place with `{line}`" in told, told
    _run(line)
    assert notices._read(path, str(path)) == "# envoyés\nsent: []\n"


def test_a_disk_usage_file_in_latin1_is_offered_iconv_in_place_then_read(tmp_path: Path) -> None:
    path = tmp_path / "web1.tsv"
    head = b"# pic disk usage of web1 at 2026-11-28T02:30:04+00:00 (KiB, du -sk)\n"
    path.write_bytes(head + b"# r\xe9sum\xe9\nvelo\t1\t2\t3\n")
    with pytest.raises(PicError) as caught:
        diskusage.read([path])
    told = [str(p) for p in caught.value.problems]
    line = _in_place(path)
    assert f"{path} reads as Latin-1 text (ISO-8859-1), not UTF-8: convert it in place with `{line}`" in told, told
    _run(line)
    assert diskusage.read([path])


def test_a_disk_usage_file_with_a_measurement_s_byte_not_utf8_is_offered_no_conversion(tmp_path: Path) -> None:
    """A byte not UTF-8 in a measurement's line (d\\t1\\xff: a copy damaged, the hosts write slugs and numbers in
    ASCII) was offered the conversion from Latin-1, beside its line's own 'copy the host's file again': that alone."""
    path = tmp_path / "web2.tsv"
    path.write_bytes(b"d\t1\xff\t2\t3\n")
    with pytest.raises(PicError) as caught:
        diskusage.read([path])
    told = [str(p) for p in caught.value.problems]
    assert len(told) == 1 and "copy the host's file again" in told[0] and "iconv" not in told[0], told


def test_expected_json_in_latin1_is_offered_iconv_beside_it_then_read(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_bytes(b'{"l.example.org": [{"name": "l.example.org", "type": "TXT", "value": "caf\xe9"}]}\n')
    with pytest.raises(PicError) as caught:
        dns_check.load_expected_file(path)
    told = [str(p) for p in caught.value.problems]
    converted = f"{path}.utf8"
    line = f"iconv -f LATIN1 -t UTF-8 {shlex.quote(str(path))} > {shlex.quote(converted)}"
    why = f"{path} reads as Latin-1 text (ISO-8859-1), not UTF-8: convert it with `{line}`, then give it as --expected"
    assert f"{why} ({shlex.quote(converted)})" in told, told
    _run(line)
    assert dns_check.load_expected_file(Path(converted))[0]


@pytest.mark.parametrize(
    "data",
    [b"name: \x81\x8d\x8f\x90\x9d\n", b"name: \xe9\x01\x02\x03\n"],
    ids=["c1-controls", "binary"],
)
def test_a_member_file_whose_bytes_are_no_latin1_text_is_offered_no_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    """The line is offered only where the bytes read as text: otherwise iconv would write control characters."""
    project = project_copy(tmp_path)
    members = write_members(tmp_path / "members", {"velo-cite": member(10601)})
    path = members / "velo-cite.yaml"
    path.write_bytes(path.read_bytes().replace(b"name: Case Member\n", data, 1))
    rc, text = _check(project, members, capsys)
    assert rc == 1 and "iconv" not in text, text


def test_a_utf8_file_with_a_line_in_latin1_is_offered_no_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stack file in UTF-8 (Ondřej Surý's apt source named in a comment) with one line typed in Latin-1: iconv
    run on the whole file would write its UTF-8 characters as two each (Ondřej as OndÅ\x99ej), the file then read
    as UTF-8 and said fixed: no line of iconv is offered, the byte is named as before."""
    project = project_copy(tmp_path)
    members = write_members(tmp_path / "members", {"velo-cite": member(10601)})
    path = project / "Pulumi.prod.yaml"
    assert "Ondřej" in path.read_text(encoding="utf-8")
    path.write_bytes(b"# r\xe9glages de la production\n" + path.read_bytes())
    rc, text = _check(project, members, capsys)
    assert rc == 1 and "iconv" not in text, text
    assert 'Pulumi.prod.yaml:1 the line "# r\\xe9glages de la production" holds bytes that are not UTF-8' in text


def test_an_export_in_utf8_with_a_line_in_latin1_is_offered_no_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export in UTF-8 (Zoé) with a line pasted from a Latin-1 file (Andr\\xe9): converted whole, Zoé would be
    written ZoÃ© and the file audited as if fixed; the line is named, no iconv offered."""
    export = tmp_path / "export.txt"
    export.write_bytes("zoe@velo-cite.org Zoé\n".encode() + b"andre@velo-cite.org Andr\xe9\n")
    assert main(["lists", "audit", str(export)]) == 1
    err = capsys.readouterr().err
    assert f"{export}:2 holds bytes that are not UTF-8 (\\xe9, column 25)" in err and "iconv" not in err, err


def test_a_file_named_with_a_leading_dash_is_offered_a_line_iconv_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pic lists audit ./-liste.txt (a name starting with a dash) was offered `iconv -f LATIN1 -t UTF-8 -liste.txt >
    -liste.txt.utf8`, which iconv reads as its options ('invalid option'): the name is written ./-liste.txt."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-liste.txt").write_bytes(b"zoe@velo-cite.org Zo\xe9\n")
    assert main(["lists", "audit", "./-liste.txt"]) == 1
    err = capsys.readouterr().err
    line = "iconv -f LATIN1 -t UTF-8 ./-liste.txt > ./-liste.txt.utf8"
    assert f"convert it with `{line}`, then audit it (./-liste.txt.utf8)" in err, err
    require_program("iconv")
    subprocess.run(["sh", "-c", line], check=True, cwd=tmp_path)
    assert (tmp_path / "-liste.txt.utf8").read_text(encoding="utf-8") == "zoe@velo-cite.org Zoé\n"


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        # Latin-1 French: à, nbsp and « make one UTF-8 character by chance (U+082B), not the whole line
        (b"Voil\xe0\xa0\xab\xa0Jardins\xa0\xbb, d\xe9j\xe0\n", "LATIN1"),
        (b'# r\xe9glages\nname: "Caf\xe9 \xe0\xa0\xab"\n', "LATIN1"),
        # a UTF-8 line in another script beside a Latin-1 one: converted whole, the Cyrillic would become mojibake
        ("name: Ассоциация\n".encode() + b"note: Andr\xe9\n", None),
        # a UTF-8 line of Western letters beside a CP1252 one
        ("name: Zoé\n".encode() + b"note: Andr\xe9 \x80\n", None),
    ],
    ids=["latin1-chance-utf8-character", "latin1-two-lines", "utf8-cyrillic-and-latin1", "utf8-and-cp1252"],
)
def test_a_line_utf8_already_withholds_the_offer_a_chance_character_does_not(data: bytes, charset: str | None) -> None:
    """A Latin-1 line whose bytes make one UTF-8 character by chance (à, nbsp, «: U+082B) is still offered the
    conversion; a UTF-8 line in any script (Cyrillic too, not only Western letters) withholds it."""
    from pic.yamlsrc import single_byte_text

    assert single_byte_text(data) == charset


@pytest.mark.parametrize(
    "line",
    [
        b"# cl\xe9 wifi : Lilas2024x!\n",
        b'notes: "cl\xe9 wifi : Lilas2024x!"\n',
        b'notes: "code d\'entr\xe9e : 4821B"\n',
    ],
    ids=["comment", "note", "door-code"],
)
def test_a_line_in_latin1_holding_a_secret_after_an_accented_label_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: bytes
) -> None:
    """A line with a byte not UTF-8 is quoted in its message; its secret was read only as UTF-8 reads the line, the
    label's é a U+FFFD (cl\\xe9 wifi, code d'entr\\xe9e), and printed whole (the same line in UTF-8 is hidden): the
    line is read too as Latin-1 gives it, and hidden."""
    project = project_copy(tmp_path)
    members = write_members(tmp_path / "members", {"velo-cite": member(10601)})
    path = members / "velo-cite.yaml"
    path.write_bytes(path.read_bytes() + line)
    rc, text = _check(project, members, capsys)
    assert rc == 1, text
    assert "Lilas2024x" not in text and "4821B" not in text, text
    assert "(not shown: it may hold a secret) holds bytes that are not UTF-8" in text, text
