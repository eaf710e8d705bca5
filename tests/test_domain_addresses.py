"""An IP address where a domain name goes is told as an address, written bare or in brackets (as a URL or an
e-mail address-literal writes one), never as a name short of labels."""

from __future__ import annotations

import pytest

from pic.validators import check_domain


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("[::1]", "::1"),
        ("[2001:db8::10]", "2001:db8::10"),
        ("[192.168.1.1]", "192.168.1.1"),
        ("[fe80::1%eth0]", "fe80::1%eth0"),
        ("[::1]:443", "::1"),
        ("[192.168.1.1]:8080", "192.168.1.1"),
    ],
)
def test_an_address_in_brackets_is_told_as_an_address(value: str, address: str) -> None:
    with pytest.raises(ValueError, match="IP address") as caught:
        check_domain(value)
    message = str(caught.value)
    assert "brackets" in message, message
    assert "labels" not in message, message
    assert "domain name" in message, message


@pytest.mark.parametrize("value", ["192.168.1.1", "::1"])
def test_a_bare_address_is_told_as_an_address(value: str) -> None:
    with pytest.raises(ValueError, match="is an IP address, not a domain name"):
        check_domain(value)


@pytest.mark.parametrize("value", ["[velo-asso.fr]", "[not-an-address]"])
def test_a_name_in_brackets_is_not_told_as_an_address(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_domain(value)
    assert "IP address" not in str(caught.value)
