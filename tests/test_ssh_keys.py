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
from pic.validators import check_ssh_key
from tests.conftest import require_program

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
