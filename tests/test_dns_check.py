"""pic dns check --expected: the JSON of the expected records, refused as a whole before any lookup."""

from __future__ import annotations

from pathlib import Path

import pytest

from pic import cli
from tests.conftest import MEMBERS, ROOT

TXT = '{"name": "listes.example.org", "type": "TXT", "value": "v=spf1 mx -all"}'


BAD_UTF8 = b'{"l.example.org": [\n{"name": "a", "type": "TXT", "value": "p=\xe9"}]}'
CONTROL = '{"l.example.org": [\n{"name": "a", "type": "TXT", "value": "p=\x01"}]}'


@pytest.mark.parametrize(
    ("content", "said"),
    [
        # the decoder keeps the last of two keys: the first one's records would be checked by no one
        (f'{{"l.example.org": [{TXT}],\n "l.example.org": []}}', 'the key "l.example.org" is given twice'),
        ('{"l.example.org": [{"name": "a", "type": "TXT", "value": "x", "type": "MX"}]}', 'the key "type"'),
        ('{"l.example.org": []}', "l.example.org: has no records: nothing to check"),
        ("[" * 100_000 + "]" * 100_000, "cannot be read as JSON: nested too deeply"),
        (BAD_UTF8, ":2 holds bytes that are not UTF-8 (\\xe9, column 42)"),
        (CONTROL, ":2 cannot be read as JSON: Invalid control character at column 42"),
        (
            '{"l.example.org": [{"name": "a", "type": "TXT", "value": NaN}]}',
            'l.example.org[0]: {"name": "a", "type": "TXT", "value": NaN} is not a record',
        ),
        ('{"l.example.org": [{"name": null, "type": "TXT", "value": "x"}]}', "l.example.org[0]: "),
        ('{"\\u001b[2J.org": 1}', "\\x1b[2J.org: is not a list of records"),
    ],
)
def test_expected_records_that_cannot_all_be_checked_are_refused_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, said: str
) -> None:
    expected = tmp_path / "expected.json"
    if isinstance(content, bytes):
        expected.write_bytes(content)
    else:
        expected.write_text(content, encoding="utf-8")
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    # a resolver that is never asked: the file is refused first
    code = cli.main([*argv, "--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"{expected}" in err and said in err, err
    assert "resolver 127.0.0.1" not in err, err


def test_expected_records_with_a_byte_order_mark_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pic import dns_check

    expected = tmp_path / "expected.json"
    expected.write_bytes(f'\ufeff{{"listes.example.org": [{TXT}]}}'.encode())
    loaded = dns_check.load_expected(expected)
    assert [(e.name, e.type, e.value) for e in loaded["listes.example.org"]] == [
        ("listes.example.org", "TXT", "v=spf1 mx -all")
    ]


def test_expected_records_add_the_dkim_keys_and_never_narrow_the_domains_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--expected compares the DKIM keys too; a list domain the file lacks (an output taken before the
    member's pulumi up, or another stack's) is still looked up, with a warning, never passed unseen."""
    from pic import dns_check

    asked: list[str] = []

    def nothing_published(resolver: object, name: str, rtype: str) -> tuple[str, ...]:
        asked.append(name)
        return ()

    monkeypatch.setattr(dns_check, "lookup", nothing_published)
    expected = tmp_path / "expected.json"
    argv = ["dns", "check", "--project", str(ROOT), "--members", str(MEMBERS), "--expected", str(expected)]
    argv += ["--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.1"]
    for content in ("{}", f'{{"listes.example.org": [{TXT}]}}'):
        expected.write_text(content, encoding="utf-8")
        asked.clear()
        code = cli.main(argv)
        captured = capsys.readouterr()
        assert code == 1, captured
        assert "listes.amis-du-rhone.org" in captured.out and "0 present" in captured.out, captured.out
        assert "_dmarc.listes.amis-du-rhone.org" in asked, asked
        assert f"warning: {expected} listes.amis-du-rhone.org: is not in it" in captured.err, captured.err
        # a domain the file gives is checked with the file's records, without a warning
        assert ("listes.example.org: is not in it" in captured.err) == (content == "{}"), captured.err
        assert "listes.example.org" in captured.out and "listes.example.org" in asked, captured.out
