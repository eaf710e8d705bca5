"""A file of one of the project's kinds given where another kind is asked is told which it is, in one line."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pic.cli import main
from tests.conftest import MEMBERS, ROOT

_DISK_USAGE = "# pic disk usage of web1 at 2026-11-30T02:30:04+00:00 (KiB, du -sk)\nvelo-cite\t10240\t2048\t512\n"
_RECORD = 'sent:\n  - {date: 2026-11-28, member: velo-cite, runtime: "8.4", to: a@velo-cite-lyon.fr, state: eol}\n'
_EXPECTED = '{"listes.example.org": [{"name": "listes.example.org", "type": "MX", "value": "10 web1.example.org."}]}\n'
_DOMAINS = "gmial.com:\n  status: typo\n  suggest: gmail.com\n"


def _copy(source: Path, name: str) -> Callable[[Path], None]:
    def write(directory: Path) -> None:
        shutil.copy(source, directory / name)

    return write


def _text(text: str, name: str) -> Callable[[Path], None]:
    def write(directory: Path) -> None:
        (directory / name).write_text(text, encoding="utf-8")

    return write


# Each kind: what writes a file of it in a directory, and the words that name it
_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "stack": (_copy(ROOT / "Pulumi.prod.yaml", "prod-copy.yaml"), "is a stack file (Pulumi."),
    "project": (_copy(ROOT / "Pulumi.yaml", "project.yaml"), "is the Pulumi project's file"),
    "member": (_copy(MEMBERS / "velo-cite.yaml", "m.yaml"), "is a member file (members/"),
    "record": (_text(_RECORD, "rec.yaml"), "is pic notify's record (notices.yaml"),
    "disk usage": (_text(_DISK_USAGE, "web1.tsv"), "is a host's disk usage file"),
    "expected": (_text(_EXPECTED, "e.json"), "is the expected mail DNS records (the JSON"),
    "domains": (_text(_DOMAINS, "d.yaml"), "is a file of mail domains"),
}

_NO_DNS = ["--resolver", "127.0.0.1", "--port", "9", "--timeout", "0.01"]
# Each option: its command line with FILE for the file given, and the words of the kind it asks
_OPTIONS = {
    "disk usage": (["report", "--disk-usage", "FILE", "--on", "2026-11-28"], "not a host's disk usage file"),
    "status disk usage": (["status", "--disk-usage", "FILE", *_NO_DNS], "not a host's disk usage file"),
    "record": (["report", "--record", "FILE", "--on", "2026-11-28"], "not pic notify's record"),
    "notify record": (["notify", "--record", "FILE", "--dry-run", "--on", "2026-11-28"], "not pic notify's record"),
    "expected": (["dns", "check", "--expected", "FILE", *_NO_DNS], "not the expected mail DNS records"),
    "domains": (["lists", "audit", "--domains", "FILE", "EXPORT"], "not a file of mail domains"),
    "export": (["lists", "audit", "FILE"], "not a subscriber export"),
}


def _status(option: str) -> int:
    """The exit status of a file of the wrong kind given to ``option``: a usage error (2), as a --record of the
    project's or a --ca-file that is no certificate; an export of pic lists audit is refused (1), the others audited."""
    return 1 if option == "export" else 2


def _told(option: str) -> str:
    """The words that name ``option`` in what is said of its file: ``--disk-usage FILE``; nothing for an export."""
    argv = _OPTIONS[option][0]
    return "" if option == "export" else argv[argv.index("FILE") - 1] + " "


def _run(option: str, path: Path, tmp_path: Path) -> int:
    """``pic`` run with ``option``'s command line, ``path`` as its FILE (an export of one address beside it)."""
    argv = _OPTIONS[option][0]
    (tmp_path / "export.txt").write_text("a@example.org\n")
    files = {"FILE": str(path), "EXPORT": str(tmp_path / "export.txt")}
    return main([files.get(a, a) for a in argv] + ([] if argv[0] == "lists" else ["--project", str(ROOT)]))


# Each pair of a file's kind and an option asking another kind
_MISMATCHED = [
    (given, option)
    for option, (_, asked) in _OPTIONS.items()
    for given, (_, told) in _FILES.items()
    if asked.removeprefix("not ") not in told
]


@pytest.mark.parametrize(("given", "option"), _MISMATCHED)
def test_a_file_of_another_kind_is_told_which_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, given: str, option: str
) -> None:
    """pic report --disk-usage Pulumi.prod.yaml was told each line of the stack file ('"  pic:admin_email: ..." has 1
    tab-separated column(s), not 4', and 26 errors), --expected a member file 'cannot be read as JSON', --domains a
    member file 'limits: is not a domain name': a file of one of the project's kinds given for another is told, in
    one line, which kind it is and which the option asks, none of its lines shown. It named no option and exited 1
    (--disk-usage Pulumi.prod.yaml), where --record Pulumi.prod.yaml is a usage error (2): the option and its file
    are named, a usage error for every option (an export of pic lists audit is refused, the others audited)."""
    asked = _OPTIONS[option][1]
    data = tmp_path / "data"
    data.mkdir()
    _FILES[given][0](data)
    path = next(data.iterdir())
    rc = _run(option, path, tmp_path)
    err = capsys.readouterr().err
    assert rc == _status(option), err
    told = [line for line in err.splitlines() if not line.startswith(("warning:", "invalid:"))]
    assert len(told) == 1 and _FILES[given][1] in told[0] and asked in told[0], err
    assert f"{_told(option)}{path} {_FILES[given][1]}" in told[0], err


@pytest.mark.parametrize("given", list(_FILES))
def test_a_file_of_the_project_given_as_a_ca_file_is_told_which_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, given: str
) -> None:
    """pic status --ca-file Pulumi.prod.yaml was told 'holds no certificate OpenSSL can load
    (NO_CERTIFICATE_OR_CRL_FOUND)' (as `openssl x509 -in Pulumi.prod.yaml` says 'Could not find certificate'): a
    file of the project is told which it is."""
    _FILES[given][0](tmp_path)
    path = next(tmp_path.iterdir())
    with pytest.raises(SystemExit) as caught:
        main(["status", "--ca-file", str(path)])
    err = capsys.readouterr().err
    assert caught.value.code == 2, err
    assert _FILES[given][1] in err and "not a file of CA certificates in PEM" in err, err


@pytest.mark.parametrize("option", list(_OPTIONS))
def test_a_private_key_given_for_a_file_is_told_so_and_never_shown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str
) -> None:
    """pic lists audit key.pem printed the private key's base64 line as a malformed address, whole; --disk-usage
    key.pem told its BEGIN and END lines as rows of one column: a private key in PEM given where any of the
    project's files is asked is told so by its BEGIN line and line number, none of its lines shown."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path = tmp_path / "key.pem"
    path.write_bytes(b"# the site's key\n" + key)
    asked = _OPTIONS[option][1]
    rc = _run(option, path, tmp_path)
    out, err = capsys.readouterr()
    assert rc == _status(option), err
    assert f"{_told(option)}{path} holds a private key (-----BEGIN PRIVATE KEY-----, line 2), {asked}" in err, err
    assert key.splitlines()[1].decode()[:20] not in out + err and "-----END" not in err, err


def _pem_key() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


# Each form a private key is saved in, other than PEM at a line's start: the file's bytes from the key's PEM, the
# marker told, and a line of the key never to be shown
_KEY_FORMS: dict[str, Callable[[bytes], tuple[bytes, str, bytes]]] = {
    # a stack file's or a YAML file's block scalar: each line indented
    "indented": lambda key: (
        b"pic:tls_key: |\n" + b"".join(b"  " + line + b"\n" for line in key.splitlines()),
        "-----BEGIN PRIVATE KEY-----, line 2",
        key.splitlines()[1],
    ),
    # a JSON string (terraform output -json, a secret manager's export): the key on one line
    "json": lambda key: (
        b'{"private_key_pem": "' + key.replace(b"\n", b"\\n") + b'"}\n',
        "-----BEGIN PRIVATE KEY-----, line 1",
        key.splitlines()[1],
    ),
    # gpg --export-secret-keys --armor
    "pgp": lambda key: (
        b"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + key.splitlines()[1] + b"\n-----END PGP PRIVATE KEY BLOCK-----\n",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----, line 1",
        key.splitlines()[1],
    ),
    # PuTTYgen's .ppk
    "putty": lambda key: (
        b"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: site\nPublic-Lines: 1\n"
        b"AAAAC3NzaC1lZDI1NTE5AAAAIHHA7Ct7hLxv7\nPrivate-Lines: 1\n" + key.splitlines()[1] + b"\n",
        "PuTTY-User-Key-File-3:, line 1",
        key.splitlines()[1],
    ),
}


@pytest.mark.parametrize("form", list(_KEY_FORMS))
@pytest.mark.parametrize("option", list(_OPTIONS))
def test_a_private_key_in_any_form_is_told_so_and_never_shown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str, form: str
) -> None:
    """A private key indented (a YAML block scalar: pic:tls_key: |), on one line of JSON, a PGP key block or a PuTTY
    .ppk given to pic lists audit was read line by line, its base64 lines printed whole as malformed addresses
    (--disk-usage: told line by line): only a PEM key at a line's start was told. Each is told by its marker and
    line number, none of its lines shown."""
    data, marker, secret = _KEY_FORMS[form](_pem_key())
    path = tmp_path / "key.txt"
    path.write_bytes(data)
    asked = _OPTIONS[option][1]
    rc = _run(option, path, tmp_path)
    out, err = capsys.readouterr()
    assert rc == _status(option), err
    assert f"{_told(option)}{path} holds a private key ({marker}), {asked}" in err, err
    assert secret.decode()[:20] not in out + err, err


@pytest.mark.parametrize("option", list(_OPTIONS))
def test_a_file_of_certificates_is_told_which_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str
) -> None:
    """pic lists audit ca.pem told each base64 line of the certificate a malformed address that may be a password
    (and --disk-usage ca.pem each a row of one column): a file of certificates in PEM, as --ca-file takes, is told
    in one line which it is."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ca")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder(name, name, key.public_key(), x509.random_serial_number(), now, now + dt.timedelta(1))
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
    )
    path = tmp_path / "ca.pem"
    path.write_bytes(b"# the platform's CA\n" + cert)
    asked = _OPTIONS[option][1]
    rc = _run(option, path, tmp_path)
    err = capsys.readouterr().err
    assert rc == _status(option), err
    told = [line for line in err.splitlines() if not line.startswith(("warning:", "invalid:"))]
    assert len(told) == 1 and f"{_told(option)}{path} is a file of CA certificates in PEM, {asked}" in told[0], err


# Files of none of the project's kinds, each with a loose marker of one (the kind it was told): what writes it,
# and the kind it must not be told
_LOOSE: dict[str, tuple[str, str, str]] = {
    # a member-like file with name: and runtime: (a PHP runtime): Pulumi.yaml's runtime is a language of Pulumi's
    "member-like name and runtime": ("m.yaml", "name: Vélo-Cité Lyon\nruntime: '8.4'\n", "project"),
    "a runtime no language of Pulumi": ("p.yaml", "name: pic\nruntime: php\n", "project"),
    # a record holds sent: alone (pic.notices refuses any other key)
    "sent: beside other keys": ("s.yaml", "name: x\nsent:\n  - a\nlimits: {}\n", "record"),
    # a stack file's config keys are each namespaced (pic:hosts, aws:region), as Pulumi requires
    "config of keys without namespace": ("Pulumi.x.yaml", "config:\n  hosts: web1\n", "stack"),
}


@pytest.mark.parametrize("case", list(_LOOSE))
@pytest.mark.parametrize("option", [o for o in _OPTIONS if o not in ("disk usage", "status disk usage")])
def test_a_file_with_a_loose_marker_of_a_kind_is_not_told_of_that_kind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str, case: str
) -> None:
    """A YAML file of name: and runtime: alone (a member-like file, runtime: '8.4') was told 'is the Pulumi project's
    file': a kind is told by its real markers (Pulumi.yaml's runtime a language of Pulumi's; a record's sent: its
    only key; a stack file's config keys each namespaced), the file otherwise read by the option's own reader."""
    name, text, never = _LOOSE[case]
    data = tmp_path / "data"
    data.mkdir()
    path = data / name
    path.write_text(text, encoding="utf-8")
    _run(option, path, tmp_path)
    err = capsys.readouterr().err
    assert _FILES[never][1] not in err, err


@pytest.mark.parametrize("option", list(_OPTIONS))
def test_a_stack_file_with_a_key_without_namespace_is_told_a_stack_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str
) -> None:
    """A copy of Pulumi.prod.yaml holding one key without its namespace (foo: 1 under config:, the slip pic check
    names 'has no namespace') given to --disk-usage was told each of its lines ('"  pic:hosts:" has 1 tab-separated
    column(s), not 4'), to --record 'config: unknown key' (exit 1): a config: holding pic: keys is the stack's
    file whatever its other keys, told so in one line, none of its lines shown."""
    from pic.filekinds import kind_of

    text = (ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8").replace("\nconfig:\n", "\nconfig:\n  foo: 1\n", 1)
    assert "\n  foo: 1\n" in text
    assert kind_of(text.encode(), "prod-copy.yaml") == "stack"
    assert kind_of(b"config:\n  foo: 1\n  pic:hosts: {}\n", "x.yaml") == "stack"
    data = tmp_path / "data"
    data.mkdir()
    path = data / "prod-copy.yaml"
    path.write_text(text, encoding="utf-8")
    rc = _run(option, path, tmp_path)
    err = capsys.readouterr().err
    told = [line for line in err.splitlines() if not line.startswith(("warning:", "invalid:"))]
    assert rc == _status(option) and len(told) == 1, err
    assert f"{_told(option)}{path} {_FILES['stack'][1]}" in told[0], err


@pytest.mark.parametrize("given", ["project", "record", "stack"])
def test_the_real_files_are_told_of_their_kind(tmp_path: Path, given: str) -> None:
    """The markers asked are those of the project's own files: its Pulumi.yaml (runtime: {name: python, ...}), a
    minimal one (name: pic, runtime: python), a record of sent: alone, its stack files."""
    from pic.filekinds import kind_of

    _FILES[given][0](tmp_path)
    path = next(tmp_path.iterdir())
    assert kind_of(path.read_bytes(), path.name) == given
    assert kind_of(b"name: pic\nruntime: python\n", "Pulumi.yaml") == "project"
    assert kind_of(b"# notices\nsent:\n", "notices.yaml") == "record"
    assert kind_of(b"config:\n  pic:hosts: {}\n", "prod.yaml") == "stack"


def test_an_export_under_a_comment_of_a_disk_usage_header_is_read_as_an_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """pic lists audit of an export whose first line is '# pic disk usage of ...' (a comment, as the export reader
    skips any line starting with #) then addresses was refused as a host's disk usage file, none of its addresses
    audited: a disk usage file is one whose other lines are each a measurement (slug, then KiB), as its reader
    takes; a host's file of its header alone, or of rows alone, is still told."""
    from pic.filekinds import kind_of

    export = tmp_path / "export.txt"
    export.write_text("# pic disk usage of web1 at 2026-11-30T02:30:04+00:00 (KiB, du -sk)\na@gmial.com\n")
    assert main(["lists", "audit", str(export)]) == 1
    out, err = capsys.readouterr()
    assert "disk usage" not in err and "gmial.com" in out + err, out + err
    header = b"# pic disk usage of web1 at 2026-11-30T02:30:04+00:00 (KiB, du -sk)\n"
    assert kind_of(header, "web1.tsv") == "disk usage"
    assert kind_of(header + b"velo-cite\t10240\t2048\t512\n", "web1.tsv") == "disk usage"
    assert kind_of(b"velo-cite\t10240\t2048\t512\n", "web1.tsv") == "disk usage"
