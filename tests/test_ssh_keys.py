"""Ed25519 public keys that are no real key, and security keys cryptography cannot read.

The points of small order are checked here with RFC 8032's own arithmetic (§5.1.3 decoding, §5.1.4
point addition): each refused y coordinate, with either sign bit, is a point P with 8·P the
identity; the keys ssh-keygen makes are accepted.
"""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest

from pic import validators
from pic.errors import PicError
from pic.registry import load_registry
from pic.settings import load_settings
from pic.validators import check_ssh_key
from policy.rules import plaintext_secrets
from tests.conftest import ROOT, require_program
from tests.helpers import member, write_members

P = 2**255 - 19
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _decode(key: bytes) -> tuple[int, int] | None:
    """RFC 8032 §5.1.3: the point a 32-byte encoding stands for, or None."""
    y = int.from_bytes(key, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if x2 == 0:
        return None if sign else (0, y)
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P:
        return None
    return (P - x if (x & 1) != sign else x), y


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    (x1, y1), (x2, y2) = a, b
    t = D * x1 * x2 * y1 * y2
    return (x1 * y2 + x2 * y1) * pow(1 + t, P - 2, P) % P, (y1 * y2 + x1 * x2) * pow(1 - t, P - 2, P) % P


def _small_order(key: bytes) -> bool:
    point = _decode(key)
    assert point is not None
    for _ in range(3):
        point = _add(point, point)
    return point == (0, 1)


def _string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _line(kind: str, *fields: bytes) -> str:
    return f"{kind} {base64.b64encode(b''.join(_string(f) for f in (kind.encode(), *fields))).decode()} m@pc"


SMALL_ORDER = sorted(validators._ED25519_SMALL_ORDER_Y)


@pytest.mark.parametrize("y", SMALL_ORDER)
@pytest.mark.parametrize("sign", [0, 1])
def test_a_point_of_small_order_is_refused(y: int, sign: int) -> None:
    key = (y | sign << 255).to_bytes(32, "little")
    if _decode(key) is not None:
        assert _small_order(key), key.hex()
    for kind, extra in (("ssh-ed25519", ()), ("sk-ssh-ed25519@openssh.com", (b"ssh:",))):
        with pytest.raises(ValueError, match=r"small order|not a valid encoding"):
            check_ssh_key(_line(kind, key, *extra))


def test_the_set_holds_every_point_of_small_order() -> None:
    """Edwards25519's cofactor is 8 (RFC 8032 §5.1): its points of small order are the 8 of its 8-torsion.
    The set's y coordinates, with both sign bits, decode to exactly 8 distinct points, each of small order."""
    points = set()
    for y in SMALL_ORDER:
        for sign in (0, 1):
            key = (y | sign << 255).to_bytes(32, "little")
            if (point := _decode(key)) is not None:
                assert _small_order(key), key.hex()
                points.add(point)
    assert len(points) == 8


@pytest.mark.parametrize("y", [P, P + 1, 2**255 - 1])
def test_a_y_coordinate_at_or_above_the_prime_is_refused(y: int) -> None:
    with pytest.raises(ValueError, match="not a valid encoding"):
        check_ssh_key(_line("ssh-ed25519", y.to_bytes(32, "little")))


def test_keys_ssh_keygen_makes_are_accepted(tmp_path: Path) -> None:
    keygen = require_program("ssh-keygen")
    for n in range(20):
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / f"k{n}")], check=True)
        line = (tmp_path / f"k{n}.pub").read_text().strip()
        assert check_ssh_key(line) == line
        assert not _small_order(base64.b64decode(line.split()[1])[-32:])


def test_a_security_key_of_another_application_is_named_plainly() -> None:
    key = bytes(range(1, 33))
    with pytest.raises(ValueError) as refused:
        check_ssh_key(_line("sk-ssh-ed25519@openssh.com", key, b"x"))
    assert "application does not start with ssh:" in str(refused.value)
    assert "<memory" not in str(refused.value)
    line = _line("sk-ssh-ed25519@openssh.com", key, b"ssh:")
    assert check_ssh_key(line) == line


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("sk-ssh-ed25519@openssh.com", (bytes(range(1, 33)),)),
        ("sk-ecdsa-sha2-nistp256@openssh.com", (b"nistp256", None)),
    ],
)
@pytest.mark.parametrize("application", [b"ssh:x\x00y", b"ssh:\x00\x00", b"ssh:\x00"])
def test_a_security_key_whose_application_holds_a_nul_is_refused_as_openssh_refuses_it(
    tmp_path: Path, kind: str, fields: tuple[bytes | None, ...], application: bytes
) -> None:
    """OpenSSH reads a security key's application as a C string (sshbuf_get_cstring): a NUL byte inside it makes
    the key unreadable (ssh-keygen -l: not a public key file; sshd skips the line), so the member could never log
    in with it; a NUL at its end is dropped, the key then another writing of the key without it (one fingerprint),
    which the registry's check of a key given once would not see. cryptography reads both; they were accepted."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.test_inputs import check

    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    parts = tuple(point if f is None else f for f in fields)
    line = _line(kind, *parts, application)
    plain = _line(kind, *parts, application.split(b"\x00", 1)[0])
    assert check_ssh_key(plain) == plain
    assert _fingerprint(line, tmp_path) in (None, _fingerprint(plain, tmp_path))  # unread, or the plain key again
    with pytest.raises(ValueError, match=r"application holds a NUL byte"):
        check_ssh_key(line)
    directory = write_members(tmp_path / "members", {"asso": member(access={"sftp_keys": [line]})})
    proc = check(directory)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "asso.yaml:3 access.sftp_keys[0]: " in proc.stderr and "NUL byte" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("kind", "curve", "extra"),
    [
        ("ecdsa-sha2-nistp256", "nistp256", ()),
        ("ecdsa-sha2-nistp384", "nistp384", ()),
        ("sk-ecdsa-sha2-nistp256@openssh.com", "nistp256", (b"ssh:",)),
    ],
)
def test_an_ecdsa_key_with_a_compressed_point_is_refused_as_openssh_refuses_it(
    tmp_path: Path, kind: str, curve: str, extra: tuple[bytes, ...]
) -> None:
    """cryptography raises NotImplementedError for a point written compressed (was: a traceback in pic check,
    pic new and every command reading the registry); OpenSSH reads uncompressed points only."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.test_inputs import check

    keygen = require_program("ssh-keygen")
    curves = {"nistp256": ec.SECP256R1(), "nistp384": ec.SECP384R1()}
    public = ec.generate_private_key(curves[curve]).public_key()
    point = public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    line = _line(kind, curve.encode(), point, *extra)
    (tmp_path / "k.pub").write_text(line + "\n")
    read = subprocess.run([keygen, "-l", "-f", str(tmp_path / "k.pub")], capture_output=True, text=True, check=False)
    assert read.returncode != 0, read.stdout  # OpenSSH does not read it either
    with pytest.raises(ValueError, match="point is written compressed, which OpenSSH does not read"):
        check_ssh_key(line)
    directory = write_members(tmp_path / "members", {"asso": member(access={"sftp_keys": [line]})})
    proc = check(directory)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "asso.yaml:3 access.sftp_keys[0]: " in proc.stderr and "compressed" in proc.stderr, proc.stderr


# --- RSA keys whose numbers OpenSSH reads but no real key has --------------------------------------------


def _mpint(x: int) -> bytes:
    """RFC 4251 §5: a non-negative integer, big-endian, with a leading zero byte when its top bit is set."""
    data = x.to_bytes(x.bit_length() // 8 + 1, "big") if x else b""
    return len(data).to_bytes(4, "big") + data


def _rsa_line(e: int, n: int) -> str:
    blob = len(b"ssh-rsa").to_bytes(4, "big") + b"ssh-rsa" + _mpint(e) + _mpint(n)
    return f"ssh-rsa {base64.b64encode(blob).decode()} probe@pc"


@pytest.fixture(scope="module")
def moduli(tmp_path_factory: pytest.TempPathFactory) -> dict[int, int]:
    """Moduli of real RSA keys ssh-keygen makes, by size."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    keygen = require_program("ssh-keygen")
    out = {}
    for bits in (2048, 4096):
        path = tmp_path_factory.mktemp("rsa") / "k"
        subprocess.run([keygen, "-q", "-t", "rsa", "-b", str(bits), "-N", "", "-f", str(path)], check=True)
        key = serialization.load_ssh_public_key(path.with_suffix(".pub").read_bytes())
        assert isinstance(key, rsa.RSAPublicKey) and key.public_numbers().e == 65537
        out[bits] = key.public_numbers().n
    return out


def _keygen_reads(line: str, tmp_path: Path) -> bool:
    (tmp_path / "probe.pub").write_text(line + "\n")
    done = subprocess.run(
        [require_program("ssh-keygen"), "-l", "-f", str(tmp_path / "probe.pub")], capture_output=True, check=False
    )
    return done.returncode == 0


def _fingerprint(line: str, tmp_path: Path) -> str | None:
    """The key's fingerprint as ssh-keygen -l gives it, or None when OpenSSH does not read the line."""
    (tmp_path / "probe.pub").write_text(line + "\n")
    done = subprocess.run(
        [require_program("ssh-keygen"), "-l", "-f", str(tmp_path / "probe.pub")], capture_output=True, check=False
    )
    return done.stdout.split()[1].decode() if done.returncode == 0 else None


@pytest.mark.parametrize(
    ("bits", "e", "words"),
    [
        (2048, 1, "public exponent is 1: with it any data is its own signature"),
        (2048, 0, "public exponent is even (0)"),
        (2048, 2, "public exponent is even (2)"),
        (2048, 65538, "public exponent is even (65538)"),
        (2048, 2**100 + 1, "public exponent has 101 bits (at most 64"),
        (4096, 2**64 + 1, "public exponent has 65 bits (at most 64"),
        (4096, 2**2000 + 1, "public exponent has 2001 bits (at most 64"),
        (2048, -1, "public exponent is not below its modulus"),  # -1: n + 2
        (2048, -2, "public exponent has 2048 bits"),  # -2: n - 2, below n but far above 64 bits
    ],
)
def test_a_degenerate_rsa_key_is_refused_for_what_it_is(
    moduli: dict[int, int], tmp_path: Path, bits: int, e: int, words: str
) -> None:
    """ssh-keygen -l reads each of these keys (OpenSSH checks only the modulus' size): the message says what is
    wrong with its numbers, never that OpenSSH cannot read it."""
    n = moduli[bits]
    e = {-1: n + 2, -2: n - 2}.get(e, e)
    line = _rsa_line(e, n)
    assert _keygen_reads(line, tmp_path)
    with pytest.raises(ValueError) as refused:
        check_ssh_key(line)
    assert words in str(refused.value) and "cannot read" not in str(refused.value), refused.value


def test_an_even_rsa_modulus_is_refused(moduli: dict[int, int], tmp_path: Path) -> None:
    line = _rsa_line(65537, moduli[2048] + 1)
    assert _keygen_reads(line, tmp_path)
    with pytest.raises(ValueError, match="modulus is even"):
        check_ssh_key(line)


@pytest.mark.parametrize(("bits", "e"), [(2048, 3), (2048, 65537), (4096, 2**64 - 1), (4096, 2**63 + 1)])
def test_rsa_exponents_openssh_and_openssl_accept_are_accepted(
    moduli: dict[int, int], tmp_path: Path, bits: int, e: int
) -> None:
    line = _rsa_line(e, moduli[bits])
    assert _keygen_reads(line, tmp_path)
    assert check_ssh_key(line) == line


def test_the_exponent_bound_is_the_one_openssl_applies_to_sshds_signatures(
    moduli: dict[int, int], tmp_path: Path
) -> None:
    """OpenSSL, which checks sshd's RSA signatures, computes with a 64-bit exponent and refuses a 65-bit one with a
    modulus above 3072 bits (OPENSSL_RSA_MAX_PUBEXP_BITS): the real openssl program, a raw public-key operation."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    openssl = require_program("openssl")
    n = moduli[4096]
    (tmp_path / "sig").write_bytes(b"\x01" * 512)
    for e, works in ((2**64 - 1, True), (2**64 + 1, False)):
        public = rsa.RSAPublicNumbers(e, n).public_key()
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        (tmp_path / "pub.pem").write_bytes(pem)
        raw = ["-in", str(tmp_path / "sig"), "-pkeyopt", "rsa_padding_mode:none"]
        done = subprocess.run(
            [openssl, "pkeyutl", "-verifyrecover", "-pubin", "-inkey", str(tmp_path / "pub.pem"), *raw],
            capture_output=True,
            check=False,
        )
        assert (done.returncode == 0) is works, done.stderr
        assert validators._rsa_blob_numbers(base64.b64decode(_rsa_line(e, n).split()[1])) == (e, n)
        if works:
            assert check_ssh_key(_rsa_line(e, n))
        else:
            with pytest.raises(ValueError, match="65 bits"):
                check_ssh_key(_rsa_line(e, n))


def test_pic_check_names_the_file_line_and_field_of_a_degenerate_rsa_key(
    moduli: dict[int, int], tmp_path: Path
) -> None:
    from tests.helpers import member, write_members
    from tests.test_inputs import check

    key = _rsa_line(2**100 + 1, moduli[2048])
    directory = write_members(tmp_path / "members", {"asso": member(access={"sftp_keys": [key]})})
    proc = check(directory)
    assert proc.returncode == 1, proc.stderr
    line = next(ln for ln in proc.stderr.splitlines() if "asso.yaml" in ln)
    assert "asso.yaml:3 access.sftp_keys[0]: " in line, line
    assert "public exponent has 101 bits (at most 64" in line, line


def test_an_rsa_key_written_with_leading_zeros_is_the_same_key(moduli: dict[int, int], tmp_path: Path) -> None:
    """An mpint may carry zero bytes before its number: OpenSSH drops them (one fingerprint, one key), so the key
    written so for a second member is the same key (was: taken for another, the key opening both accounts)."""
    from tests.test_inputs import check

    keygen = require_program("ssh-keygen")
    n = moduli[2048]
    plain = _rsa_line(65537, n)
    e = b"\x00\x00" + (65537).to_bytes(3, "big")
    blob = _string(b"ssh-rsa") + _string(e) + _mpint(n)
    padded = f"ssh-rsa {base64.b64encode(blob).decode()} other@pc"
    prints = []
    for name, line in (("plain", plain), ("padded", padded)):
        (tmp_path / f"{name}.pub").write_text(line + "\n")
        done = subprocess.run(
            [keygen, "-l", "-f", str(tmp_path / f"{name}.pub")], capture_output=True, text=True, check=True
        )
        prints.append(done.stdout.split()[1])
    assert prints[0] == prints[1]  # OpenSSH: one key
    assert check_ssh_key(padded) == padded
    members = {
        "asso": member(access={"sftp_keys": [plain]}),
        "other-asso": member(uid=10601, access={"sftp_keys": [padded]}),
    }
    proc = check(write_members(tmp_path / "members", members))
    assert proc.returncode == 1, proc.stderr
    assert "other-asso.yaml:3 access.sftp_keys[0]: is the same key as in " in proc.stderr, proc.stderr
    assert validators.ssh_key_identity(plain) == validators.ssh_key_identity(padded)
    assert validators.ssh_key_identity(_KEY) == _KEY


def _key_problems(tmp_path: Path, key: str) -> list[str]:
    """The problems pic check finds in a member file holding ``key``, as text."""
    directory = write_members(tmp_path / "members", {"case-member": member(access={"sftp_keys": [key]})})
    try:
        load_registry(directory, load_settings(ROOT, "prod"))
    except PicError as exc:
        return [str(p) for p in exc.problems if p.severity == "error"]
    return []


_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkKKvAqbyVZ8e/bkxxIyZTS0bDUe+4wzaNMw+HxnWcK"


@pytest.mark.parametrize(
    "comment",
    [
        "password=Hunter2Secret99",
        "marie@laptop db_password=Hunter2Secret99",
        "AKIAIOSFODNN7EXAMPLE",
        "https://marie:Hunter2Secret99@example.org",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        # a password's label among words, in French or abbreviated
        "marie passwd: Azerty123",
        "marie@laptop mdp: Azerty123",
        "marie, mot de passe : Hunter2Secret99",
        # access keys of one word, whose shape alone says what they are (GitLab's, Google's, Stripe's, AWS's
        # temporary one)
        "glpat-Hunter2Secret99abcdef",
        "AIzaSyHunter2Secret99abcdefghijklmnopqr",
        "sk_live_Hunter2Secret99abcdefghij",
        "ASIAHUNTER2SECRET999",
    ],
)
def test_a_comment_that_reads_as_a_secret_is_refused_as_the_policy_pack_would(tmp_path: Path, comment: str) -> None:
    """The key's line goes whole into the member's authorized_keys, an input of its space's resource: the policy
    pack's no-plaintext-secret refused it there, stopping every preview, while pic check accepted it."""
    line = f"{_KEY} {comment}"
    # the member's keys file, one line per key (pic.render.web.render_authorized_keys), in its space's script
    assert plaintext_secrets("command:remote:Command", {"stdin": f"{line}\n"}), "the pack refuses the file"
    problems = _key_problems(tmp_path, line)
    assert len(problems) == 1 and "access.sftp_keys[0]: the key (not shown) has a comment that reads as" in problems[0]
    assert "no-plaintext-secret" in problems[0] and "Hunter2" not in problems[0] and "AKIAIOSF" not in problems[0]


@pytest.mark.parametrize(
    "comment",
    [
        "marie mot de passe Azerty123",
        "marie@laptop mdp Azerty123",
        "Le mot de passe est Soleil2024!",
        "ＭＤＰ Ａｚｅｒｔｙ１２３",
        "marie jeton d'accès : Zt8kq2LmW9xR",
    ],
)
def test_a_comment_holding_a_secret_as_prose_does_is_refused(tmp_path: Path, comment: str) -> None:
    """A password after its label without ':' or '=' (mdp Azerty123), which the policy pack lets through, is a
    secret all the same: the comment is committed with the member's file, as its notes are."""
    line = f"{_KEY} {comment}"
    problems = _key_problems(tmp_path, line)
    assert len(problems) == 1 and "access.sftp_keys[0]: the key (not shown) has a comment that " in problems[0]
    assert "committed in clear" in problems[0] or "no-plaintext-secret" in problems[0], problems[0]
    assert "Azerty" not in problems[0] and "Soleil" not in problems[0] and "Zt8kq2" not in problems[0], problems[0]


@pytest.mark.parametrize("comment", ["marie@laptop", "paul@bureau-2", "pass", "token de Marie", "clé de Léa"])
def test_a_comment_of_plain_words_is_taken(tmp_path: Path, comment: str) -> None:
    assert _key_problems(tmp_path, f"{_KEY} {comment}") == []


def _security_key_line() -> str:
    """An sk-ecdsa key as a security key gives it: its data, ending with its application ``ssh:``, ends with ``==``."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    point = (
        ec.derive_private_key(12345, ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _line("sk-ecdsa-sha2-nistp256@openssh.com", b"nistp256", point, b"ssh:").removesuffix(" m@pc")


def _certificate_line(tmp_path: Path, kind: str) -> str:
    """A user certificate ssh-keygen -s makes of a new key of ``kind`` (ecdsa, ed25519), signed by a new CA."""
    keygen = require_program("ssh-keygen")
    for name, of in (("ca", "ed25519"), ("id", kind)):
        subprocess.run([keygen, "-q", "-t", of, "-N", "", "-C", "marie@pc", "-f", str(tmp_path / name)], check=True)
    subprocess.run(
        [keygen, "-q", "-s", str(tmp_path / "ca"), "-I", "marie", "-n", "asso", str(tmp_path / "id.pub")], check=True
    )
    return (tmp_path / "id-cert.pub").read_text().strip()


def test_a_security_key_refused_is_shown_not_hidden_as_a_secret(tmp_path: Path) -> None:
    """A security key's type ends with @openssh.com and its data, ending with its application, with base64's '=':
    read as prose, an address and a password after it, so every message about such a public key said 'the value
    (not shown: it may be a secret)', a second key's type in its comment hidden as '...'."""
    line = _security_key_line()
    assert check_ssh_key(line) == line
    problems = _key_problems(tmp_path, f"{line} ssh-rsa")
    assert len(problems) == 1, problems
    assert "not shown" not in problems[0] and "holding 'ssh-rsa', which reads as a second key" in problems[0]
    assert "sk-ecdsa-sha2-nistp256@openssh.com AAAA" in problems[0], problems[0]


@pytest.mark.parametrize(("kind", "base"), [("ecdsa", "ecdsa-sha2-nistp256"), ("ed25519", "ssh-ed25519")])
def test_a_certificate_is_told_as_one_with_the_key_to_give(tmp_path: Path, kind: str, base: str) -> None:
    """A user certificate (id_ecdsa-cert.pub) was told it has a key type not in the list, its type hidden as a
    secret's ('...'): it is told as a certificate, shown, with the key to give, the .pub file it was made from."""
    problems = _key_problems(tmp_path, _certificate_line(tmp_path, kind))
    assert len(problems) == 1, problems
    assert "not shown" not in problems[0] and f"{base}-cert-v01@openssh.com" in problems[0], problems[0]
    assert "is an OpenSSH certificate" in problems[0], problems[0]
    assert f"give the public key it certifies, the {base} line of the .pub file" in problems[0], problems[0]


@pytest.mark.parametrize(("written", "meant"), [("rsa-sha2-512", "ssh-rsa"), ("SSH-ED25519", "ssh-ed25519")])
def test_a_type_not_a_key_type_whose_data_names_one_is_told_the_type_to_write(written: str, meant: str) -> None:
    """rsa-sha2-512 (the signature's algorithm an RSA key signs with) or a type in capitals before a key's data
    was told only the list of types: the data names its type, which is told to write."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    if meant == "ssh-rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
        data = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode().split()[1]
    else:
        data = _KEY.split()[1]
    with pytest.raises(ValueError, match=rf"has key type '{written}', and its data is an {meant} key: write {meant}"):
        check_ssh_key(f"{written} {data} marie@pc")


@pytest.mark.parametrize(
    "options",
    [
        'from="10.0.0.1"',
        'command="echo hi",no-pty',
        "restrict",
        'restrict,from="192.0.2.0/24,!192.0.2.7"',
        "no-port-forwarding,no-agent-forwarding",
        "cert-authority",
    ],
)
def test_a_key_after_authorized_keys_options_is_told_to_be_written_without_them(tmp_path: Path, options: str) -> None:
    """A line copied from an authorized_keys file with its options before the key was told it has the key type
    'from="10.0.0.1"' (or 'command="echo', cut at a blank in its quotes): the options are named, and the line to
    write, from the key's type on, is offered and taken."""
    line = f"{options} {_KEY} marie@pc"
    problems = _key_problems(tmp_path, line)
    assert len(problems) == 1, problems
    assert "access.sftp_keys[0]: " in problems[0] and "starts with authorized_keys options" in problems[0], problems
    assert f"write the line from its type on: '{_KEY[:60]}" in problems[0], problems[0]
    assert "has key type" not in problems[0], problems[0]
    assert _key_problems(tmp_path / "b", f"{_KEY} marie@pc") == []


@pytest.mark.parametrize(
    ("options", "comment"),
    [
        ("no-X11-forwarding", "me@pc"),
        ("X11-forwarding,no-pty", "marie@pc"),
        ("NO-X11-FORWARDING", "marie@pc"),  # sshd reads an option's name in any case
        ("restrict", "me@X11pc"),
        ("no-port-forwarding", "marie@DESKTOP-4F7G2K1"),  # Windows' name of a new machine
        ("restrict", "Marie-X11-laptop"),
    ],
)
def test_a_key_whose_options_or_comment_mix_case_and_digits_is_shown(
    tmp_path: Path, options: str, comment: str
) -> None:
    """no-X11-forwarding before a key, or a comment naming a machine with capitals and digits (me@X11pc), read as a
    password beside the key: the whole line was hidden ('the value (not shown: it may be a secret)'), the line to
    write '...'. An sshd option's name and a comment of machine's names are no secret: the line is shown."""
    [problem] = _key_problems(tmp_path, f"{options} {_KEY} {comment}")
    assert "not shown" not in problem and "starts with authorized_keys options" in problem, problem
    assert f"write the line from its type on: '{_KEY[:60]}" in problem and f'"{options} ssh-ed25519 ' in problem


@pytest.mark.parametrize(
    ("options", "comment", "secret"),
    [
        ('command="mysql -pS3cr3tPw99"', "marie@pc", "S3cr3tPw"),
        ("no-X11-forwarding", "marie Lilas2024x!", "Lilas2024"),
        ("no-X11-forwarding", "Velo-2024-Lyon", "Velo-2024"),
        ("no-X11-forwarding", "marie@Lilas2024x", "Lilas2024"),
    ],
)
def test_a_secret_beside_a_key_s_options_or_in_its_comment_is_still_hidden(
    tmp_path: Path, options: str, comment: str, secret: str
) -> None:
    problems = _key_problems(tmp_path, f"{options} {_KEY} {comment}")
    assert problems and all(secret not in p for p in problems), problems
