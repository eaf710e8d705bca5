"""Hosts on IPv6: every address the program joins with a port, or writes for a client, in the form
that client reads.

The plan of the project's prod stack with its hosts moved to IPv6 addresses (the real program
under mocks, as ``pic plan`` runs it): ``host:port`` strings bracket the address, the db server's
certificate lists addresses as addresses. Then the files the web hosts receive, read by the real
programs on ``::1``: the MariaDB client (option files), PHP (the credentials include) and the
database endpoint (its rendered unit), against a real MariaDB over TLS.
"""

from __future__ import annotations

import ipaddress
import json
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pic import dbendpoint as de
from pic.errors import PicError
from pic.registry import load_registry
from pic.render import db as rdb
from pic.render.web import render_move_script
from pic.settings import load_settings
from tests.conftest import ROOT, require_program, require_root
from tests.mariadb_server import MariaDB, cleanup, start_mariadb
from tests.test_dbendpoint import rendered_unit_running

# The throw-away server's accounts: new passwords at each run.
MAIN_PASSWORD, PLAIN_PASSWORD, BACKUP_PASSWORD = (secrets.token_hex(16) for _ in range(3))

# The addresses the hosts get: public and private, each web host and the db host. The private
# ones are written as an admin might (zeros, capitals): the program writes them compressed.
PUBLIC = {"db": "2001:db8::10", "web": "2001:db8::{n}"}
PRIVATE = {"db": "FD00:0:0::10", "web": "fd00:0::{n}"}


def split_host_port(value: str) -> tuple[str, int]:
    """Go's ``net.SplitHostPort`` (what the mysql provider's driver does with its endpoint): an
    address holding ':' must be in brackets, else "too many colons in address"."""
    if value.startswith("["):
        end = value.find("]")
        if end < 0 or value[end + 1 : end + 2] != ":":
            raise ValueError(f"{value!r}: missing ']' or port")
        host, port = value[1:end], value[end + 2 :]
    else:
        host, sep, port = value.rpartition(":")
        if not sep:
            raise ValueError(f"{value!r}: missing port in address")
        if ":" in host:
            raise ValueError(f"{value!r}: too many colons in address")
    return host, int(port)


def _ipv6_stack(stack_file: Path) -> dict[str, tuple[str, str]]:
    """Rewrite the hosts of a stack file to IPv6 addresses; host name -> (address, private_address)."""
    text = stack_file.read_text()
    hosts: dict[str, tuple[str, str]] = {}
    pattern = re.compile(r"^(\s+)([a-z0-9-]+): \{role: (web|db), address: [^,]+, private_address: [^,}]+", re.MULTILINE)

    def ipv6(match: re.Match[str]) -> str:
        indent, name, role = match.groups()
        n = 11 + sum(1 for h in hosts if h != "db") if role == "web" else 10
        public, private = PUBLIC[role].format(n=n), PRIVATE[role].format(n=n)
        hosts[name] = (public, private)
        return f'{indent}{name}: {{role: {role}, address: "{public}", private_address: "{private}"'

    text = pattern.sub(ipv6, text)
    # phpMyAdmin cannot log in to a db host on IPv6 (test_phpmyadmin_is_refused_a_db_host_on_ipv6): the
    # stack goes without it.
    text, removed = re.subn(r"^  pic:phpmyadmin:\n(?:    .*\n)+", "", text, flags=re.MULTILINE)
    assert removed <= 1, text
    # An MX record needs a name: a mail host known by its address alone names one.
    text = re.sub(r"(pic:mail: \{)(?![^\n]*\bmx:)", r"\1mx: mail.example.org, ", text)
    stack_file.write_text(text)
    assert "db" in hosts and len(hosts) >= 2, text
    return hosts


@pytest.fixture(scope="module")
def ipv6_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """``pic plan --format json`` of the prod stack with every host on IPv6; and the hosts' addresses."""
    work = tmp_path_factory.mktemp("ipv6")
    for name in ("__main__.py", "Pulumi.yaml", "Pulumi.prod.yaml", "pyproject.toml"):
        shutil.copy(ROOT / name, work / name)
    for name in ("members", "components", "pic", "schema"):
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    hosts = _ipv6_stack(work / "Pulumi.prod.yaml")
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--stack", "prod", "--format", "json"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout), hosts


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def _resources(data: dict[str, Any], typ: str) -> list[dict[str, Any]]:
    return [r for r in data["resources"] if r["type"] == typ]


def test_no_ipv6_address_is_joined_with_a_port_without_brackets(
    ipv6_plan: tuple[dict[str, Any], dict[str, tuple[str, str]]],
) -> None:
    data, hosts = ipv6_plan
    forms = {form for pair in hosts.values() for a in pair for form in (a, str(ipaddress.ip_address(a)))}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    bare = re.compile(r"(?<![\[\w:.])(" + alternatives + r"):\d")
    found = []
    for r in data["resources"]:
        for path, text in _strings(r["inputs"]):
            for m in bare.finditer(text):
                found.append(f"{r['urn']} {path}: {m.group(0)!r} in {text[max(0, m.start() - 60) : m.end() + 20]!r}")
    assert not found, "\n".join(found)


def test_the_mysql_provider_endpoint_is_a_host_port_go_can_split(
    ipv6_plan: tuple[dict[str, Any], dict[str, tuple[str, str]]],
) -> None:
    data, hosts = ipv6_plan
    db_private = str(ipaddress.ip_address(hosts["db"][1]))
    (provider,) = _resources(data, "pulumi:providers:mysql")
    assert split_host_port(provider["inputs"]["endpoint"]) == (db_private, 3306), provider
    assert provider["host"] == "db"
    # Accounts are bound to the web hosts' addresses as the server prints a client's: compressed.
    webs = {str(ipaddress.ip_address(private)) for name, (_, private) in hosts.items() if name != "db"}
    bound = {r["inputs"]["host"] for r in _resources(data, "mysql:index/user:User")}
    assert bound and bound <= webs, (bound, webs)


def test_certificates_list_ip_addresses_as_addresses(
    ipv6_plan: tuple[dict[str, Any], dict[str, tuple[str, str]]],
) -> None:
    data, hosts = ipv6_plan
    requests = _resources(data, "tls:index/certRequest:CertRequest")
    assert requests
    for r in requests:
        for name in r["inputs"].get("dnsNames") or []:
            with pytest.raises(ValueError):
                ipaddress.ip_address(name)  # an IP among the DNS names: matched by no client
    (server,) = [r for r in requests if r["name"] == "db-server-csr"]
    wanted = {str(ipaddress.ip_address(a)) for a in hosts["db"]}
    assert wanted <= set(server["inputs"]["ipAddresses"]), server["inputs"]


# --- pure helpers ------------------------------------------------------------------------------


def test_host_port_brackets_ipv6_only_and_the_endpoint_refuses_a_bare_one() -> None:
    assert rdb.host_port("fd00::10", 3306) == "[fd00::10]:3306"
    assert rdb.host_port("10.0.0.10", 3306) == "10.0.0.10:3306"
    assert rdb.host_port("db.example.org", 3306) == "db.example.org:3306"
    assert split_host_port(rdb.host_port("fd00::10", 3306)) == ("fd00::10", 3306)
    assert de.host_port("[fd00::10]:3306") == ("fd00::10", 3306)
    assert de.host_port("172.30.0.1:3306") == ("172.30.0.1", 3306)
    for ambiguous in ("fd00::3306", "[fd00::10:3306", "fd00::10]:3306", "[]:3306"):
        with pytest.raises(Exception, match="ADDRESS:PORT"):
            de.host_port(ambiguous)
    # an address and a port without brackets: told how it reads, and the bracketed forms to write
    for bare, written in (("fd00::10:3306", "[fd00::10]:3306"), ("2001:db8::5:25", "[2001:db8::5]:25")):
        with pytest.raises(Exception, match=rf"an IPv6 address without brackets.*: write {re.escape(written)}"):
            de.host_port(bare)
    assert de.join_host_port("::1", 5) == "[::1]:5"
    assert rdb.cert_names(["db.example.org", "2001:DB8:0::10", "10.0.0.10", "localhost"]) == (
        ["db.example.org", "localhost"],
        ["10.0.0.10", "2001:db8::10"],
    )
    assert rdb.canonical_ip("FD00:0:0::11") == "fd00::11"


def test_the_move_script_names_an_ipv6_host_to_ssh_as_ssh_reads_it(tmp_path: Path) -> None:
    """ssh takes ``user@2001:db8::12`` and reads ``user@[2001:db8::12]`` as a host name ``[2001:db8::12]``
    (rsync's ``user@[addr]:path`` is rsync's own form): every ssh destination of the script, the hint's
    too, resolves (``ssh -G``) to the host's address, and rsync's target is the bracketed form."""
    ssh = require_program("ssh")
    shutil.copy(ROOT / "Pulumi.prod.yaml", tmp_path / "Pulumi.prod.yaml")
    text = (tmp_path / "Pulumi.prod.yaml").read_text()
    text = re.sub(
        r"^(\s+)(web1: \{role: web, .*)$",
        r"\1\2\n\1web2: {role: web, address: web2.example.org, private_address: 10.0.0.12, ssh_user: deploy}",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    (tmp_path / "Pulumi.prod.yaml").write_text(text)
    hosts = _ipv6_stack(tmp_path / "Pulumi.prod.yaml")
    settings = load_settings(tmp_path, "prod")
    member = next(m for m in load_registry(ROOT / "members", settings) if m.host == "web1")
    script = render_move_script(settings, member, "web2")
    addresses = {name: str(ipaddress.ip_address(public)) for name, (public, _) in hosts.items()}
    # ssh's own destinations (rsync's -e 'ssh -p N ...' is followed by rsync's paths, not one)
    destinations = re.findall(r"\bssh (?:-[tA] )*-p \d+ (?:-o \S+ )*(\S*@\S+|\"?\$src\"?)", script)
    assert len(destinations) >= 2, script
    (src,) = shlex.split(re.search(r"^src=(.*)$", script, re.MULTILINE).group(1))  # type: ignore[union-attr]
    for written in destinations:
        destination = src if written in {'"$src"', "$src"} else written
        config = subprocess.run([ssh, "-G", destination], capture_output=True, text=True, check=True).stdout
        hostname = next(line.split(" ", 1)[1] for line in config.splitlines() if line.startswith("hostname "))
        assert hostname in addresses.values(), (destination, hostname, script)
    assert f"deploy@[{addresses['web2']}]:/" in script  # rsync's target


# --- the real clients on ::1 ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def server6() -> Iterator[MariaDB]:
    """MariaDB on ::1, its certificate naming ::1; plain TCP allowed server-wide (for the PHP
    include, which the endpoint normally carries over TLS), member accounts REQUIRE SSL."""
    for program in ("mariadbd", "mariadb-install-db", "mariadb", "openssl", "php", "/usr/bin/python3"):
        require_program(program)
    require_root("mariadbd runs as root with --user=root, as the db daemon tests do")
    s = start_mariadb(address="::1", secure_transport=False)
    s.root_sql(rdb.backup_account_sql(["::1"], BACKUP_PASSWORD))
    s.root_sql(rdb.MemberDbSql("v6_main", "v6_main", ["::1"]).render(MAIN_PASSWORD))
    s.root_sql(
        f"CREATE USER 'v6_plain'@'::1' IDENTIFIED BY '{PLAIN_PASSWORD}'; GRANT ALL ON `v6_main`.* TO 'v6_plain'@'::1';"
    )
    yield s
    cleanup(s)


def test_the_mariadb_client_reads_an_ipv6_host_from_the_option_files(server6: MariaDB, tmp_path: Path) -> None:
    """``host = ::1`` in the member's and the backup account's option files: the client connects
    over TLS with the server's certificate checked for that address."""
    member = rdb.Credentials("v6_main", "v6_main", MAIN_PASSWORD, "::1", server6.port, ca_file=server6.ca)
    files = {
        "v6_main": rdb.member_my_cnf(member),
        rdb.BACKUP_USER: rdb.backup_cnf(
            user=rdb.BACKUP_USER, password=BACKUP_PASSWORD, host="::1", port=server6.port, ca_file=server6.ca
        ),
    }
    for user, text in files.items():
        cnf = tmp_path / f"{user}.cnf"
        cnf.write_text(text)
        done = subprocess.run(
            ["mariadb", f"--defaults-file={cnf}", "-N", "-B", "-e",
             "SELECT CURRENT_USER(); SHOW SESSION STATUS LIKE 'Ssl_cipher'"],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, (user, text, done.stderr)
        lines = done.stdout.splitlines()
        assert lines[0] == f"{user}@::1" and lines[1].startswith("Ssl_cipher\tTLS"), lines


PHP_INCLUDE_CLIENT = r"""<?php
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$db = require $argv[1];
$out = ['DB_HOST' => DB_HOST];
try {
    $m = new mysqli($db['host'], $db['user'], $db['password'], $db['database'], $db['port']);
    $out['mysqli'] = $m->query('SELECT CURRENT_USER()')->fetch_row()[0];
} catch (mysqli_sql_exception $x) {
    $out['mysqli_error'] = $x->getMessage();
}
try {
    $p = new PDO($db['dsn'], $db['user'], $db['password'], [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
    $out['pdo'] = $p->query('SELECT CURRENT_USER()')->fetchColumn();
} catch (PDOException $x) {
    $out['pdo_error'] = $x->getMessage();
}
echo json_encode($out);
"""


def test_php_reads_an_ipv6_host_from_the_credentials_include(server6: MariaDB, tmp_path: Path) -> None:
    """The include as a site requires it, its host an IPv6 address: mysqli with host and port, PDO
    with the DSN, and DB_HOST as WordPress splits it (``[v6]:port``)."""
    cred = rdb.Credentials(
        "v6_main", "v6_plain", PLAIN_PASSWORD, "::1", server6.port, site_host="::1", site_port=server6.port
    )
    include, script = tmp_path / "v6_main.php", tmp_path / "client.php"
    include.write_text(rdb.member_php(cred))
    script.write_text(PHP_INCLUDE_CLIENT)
    done = subprocess.run(["php", str(script), str(include)], capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out.get("mysqli") == "v6_plain@::1" and out.get("pdo") == "v6_plain@::1", out
    assert out["DB_HOST"] == f"[::1]:{server6.port}"


def test_the_endpoint_unit_carries_to_an_ipv6_server_checked_by_its_address(server6: MariaDB, tmp_path: Path) -> None:
    """pic-db-endpoint.service rendered for a db host on ::1, run as is: a plain client of the
    endpoint reaches the member's REQUIRE SSL account, the certificate checked for ::1."""
    with rendered_unit_running(tmp_path, server_address="::1", server_port=server6.port, ca_file=server6.ca) as (
        endpoint,
        exec_start,
    ):
        assert f"--server=[::1]:{server6.port}" in exec_start
        done = subprocess.run(
            ["mariadb", "--no-defaults", "--skip-ssl", "-N", "-B", "-h127.0.0.1", f"-P{endpoint.port}", "-uv6_main",
             f"-p{MAIN_PASSWORD}", "-e", "SELECT CURRENT_USER(); SHOW SESSION STATUS LIKE 'Ssl_cipher'"],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
    log = endpoint.log
    assert done.returncode == 0, (done.stderr, log.read_text())
    lines = done.stdout.splitlines()
    assert lines[0] == "v6_main@::1" and lines[1].startswith("Ssl_cipher\tTLS"), lines
    assert f"[::1]:{server6.port}" in log.read_text()


# phpMyAdmin's connection (its DbiMysqli): mysqli with TLS, the server's certificate checked against
# the CA, or not when ssl_verify is false.
PHPMYADMIN_CLIENT = r"""<?php
mysqli_report(MYSQLI_REPORT_OFF);
[$_, $host, $port, $ca, $password] = $argv;
$out = [];
foreach ([$host, "[$host]"] as $h) {
    foreach (["verify" => 0, "unverified" => MYSQLI_CLIENT_SSL_DONT_VERIFY_SERVER_CERT] as $how => $flag) {
        $m = mysqli_init();
        $m->ssl_set(null, null, $ca, null, null);
        $ok = @$m->real_connect($h, "v6_main", $password, "", (int) $port, null, MYSQLI_CLIENT_SSL | $flag);
        $out["$h $how"] = $ok ? "connected" : mysqli_connect_error();
    }
}
echo json_encode($out);
"""


def test_phpmyadmin_is_refused_a_db_host_on_ipv6(server6: MariaDB, tmp_path: Path) -> None:
    """PHP's MariaDB driver, as phpMyAdmin uses it, reaches an IPv6 server only with the address in
    brackets, and then cannot check its certificate (it looks for the name "[::1]"); only an
    unchecked connection gets in, which the platform never writes. So the settings refuse
    phpMyAdmin beside a db host whose private address is IPv6."""
    script = tmp_path / "pma.php"
    script.write_text(PHPMYADMIN_CLIENT)
    args = ["php", str(script), "::1", str(server6.port), str(server6.ca), MAIN_PASSWORD]
    done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["::1 verify"] != "connected" and out["::1 unverified"] != "connected", out  # no brackets: no address
    assert out["[::1] verify"] != "connected", out  # the certificate is not checked for an IPv6 address
    assert out["[::1] unverified"] == "connected", out  # so the server itself is reachable
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.prod.yaml"):
        shutil.copy(ROOT / name, project / name)
    stack = project / "Pulumi.prod.yaml"
    # the web host on IPv6 too: a web host reaches the db host from its private address of that family
    text = re.sub(r"private_address: 10\.0\.0\.10\b", 'private_address: "fd00::10"', stack.read_text())
    stack.write_text(re.sub(r"private_address: 10\.0\.0\.11\b", 'private_address: "fd00::11"', text))
    with pytest.raises(PicError) as refused:
        load_settings(project, "prod")
    assert (
        "Pulumi.prod.yaml:22 pic:phpmyadmin: phpMyAdmin cannot reach the db host at its IPv6 address fd00::10"
        in str(refused.value)
    )
