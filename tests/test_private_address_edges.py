"""A host's private_address that is the network's own address or its broadcast address on every network from its
private block's prefix to /30 it may be on (10.0.0.0, 192.168.255.255), or the subnet-router anycast address of its
IPv6 /64 (fd00:1::), is warned of: no one host holds it but on a /31 (RFC 3021) or a /32."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pic.cli import main
from tests.conftest import ROOT

BASE = ROOT / "tests" / "corpus" / "_base.yaml"


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: str, web: str) -> list[str]:
    project = tmp_path / "project"
    project.mkdir()
    text = (ROOT / "Pulumi.prod.yaml").read_text()
    assert "private_address: 10.0.0.11," in text and "private_address: 10.0.0.10," in text
    text = text.replace("private_address: 10.0.0.11,", f"private_address: {web},", 1)
    text = text.replace("private_address: 10.0.0.10,", f"private_address: {db},", 1)
    if ":" in db:  # phpMyAdmin reaches a db host at an IPv4 address only
        text = re.sub(r"  pic:phpmyadmin:\n(?:    .*\n)*", "", text, count=1)
    (project / "Pulumi.prod.yaml").write_text(text)
    members = tmp_path / "members"
    members.mkdir()
    shutil.copy(BASE, members / "base-member.yaml")
    status = main(["check", "--project", str(project), "--members", str(members), "--on", "2026-11-28"])
    err = capsys.readouterr().err
    assert status == 0, err
    return [line for line in err.splitlines() if "private_address" in line]


@pytest.mark.parametrize(
    ("address", "what"),
    [
        ("10.0.0.0", "network's own address"),
        ("10.255.255.255", "broadcast address"),
        ("172.16.0.0", "network's own address"),
        ("172.31.255.255", "broadcast address"),
        ("192.168.0.0", "network's own address"),
        ("192.168.255.255", "broadcast address"),
        ("100.64.0.0", "network's own address"),
    ],
)
def test_a_network_or_broadcast_address_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str, what: str
) -> None:
    db = {"10": "10.0.0.10", "172": "172.16.0.10", "192": "192.168.0.10", "100": "100.64.0.10"}
    [line] = _check(tmp_path, capsys, db[address.split(".", maxsplit=1)[0]], address)
    assert line.startswith("warning: "), line
    assert "pic:hosts.web1.private_address" in line, line
    assert address in line and what in line, line
    assert "/31" in line, line


def test_the_subnet_router_anycast_address_is_warned_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _check(tmp_path, capsys, '"fd00:1::10"', '"fd00:1::"')
    [line] = [x for x in lines if "web1" in x]
    assert line.startswith("warning: "), line
    assert "subnet-router anycast" in line and "RFC 4291" in line, line


@pytest.mark.parametrize(
    ("db", "web"),
    [
        ("10.0.0.10", "10.0.0.11"),
        ("10.0.1.10", "10.0.1.0"),
        ("10.0.0.10", "10.0.0.255"),
        ('"fd00:1::10"', '"fd00:1::1"'),
    ],
)
def test_an_address_a_host_may_hold_is_not_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], db: str, web: str
) -> None:
    assert _check(tmp_path, capsys, db, web) == []
