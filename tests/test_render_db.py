"""The database part's rendered files, each checked by the program that reads it:
shellcheck (every script), nft -c (firewall), systemd-analyze (units, calendar), php (the
credential include), my_print_defaults (option files), bash (the job's settings)."""

from __future__ import annotations

import ipaddress
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from pic.errors import PicError
from pic.render import db as rdb
from pic.settings import load_settings
from tests.conftest import ROOT, require_program, require_root

NASTY = "pa'ss\"w#rd\\ $x `y` ;z"  # every character the quoting has to survive


def _scripts(tmp: Path) -> dict[str, str]:
    return {
        "pic-db-dump": rdb.dump_script(),
        "pic-db-restore": rdb.restore_script(),
        "db-install": rdb.db_install_script(),
        "db-configure": rdb.db_configure_script(
            admin_sql=rdb.admin_account_sql(["10.0.0.10"], NASTY), config_digest="abc", tls_digest="def"
        ),
        "web-install": rdb.web_install_script(units_digest="0123", endpoint_digest="4567"),
        "lock": rdb.sql_shell_script(rdb.lock_sql("a_main", ["10.0.0.11"], locked=True)),
        "lock-dev": rdb.sql_shell_script(
            rdb.lock_sql("a_main", ["172.30.57.0/255.255.255.0"], locked=True), client=rdb.dev_sql_client("pic-db")
        ),
    }


@pytest.mark.daemon
@pytest.mark.parametrize(
    "name", ["pic-db-dump", "pic-db-restore", "db-install", "db-configure", "web-install", "lock", "lock-dev"]
)
def test_scripts_pass_shellcheck(tmp_path: Path, name: str) -> None:
    shellcheck = require_program("shellcheck")
    text = _scripts(tmp_path)[name]
    path = tmp_path / f"{name}.sh"
    # scripts run through `sh -eu -s` have no shebang of their own: check them as POSIX sh
    path.write_text(text if text.startswith("#!") else "#!/bin/sh\n" + text)
    done = subprocess.run([shellcheck, "-x", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{name}:\n{done.stdout}{done.stderr}"


def test_scripts_parse_in_their_shell(tmp_path: Path) -> None:
    for name, text in _scripts(tmp_path).items():
        shell = "bash" if text.startswith("#!/bin/bash") else "sh"
        done = subprocess.run([shell, "-n"], input=text, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{name}: {done.stderr}"


@pytest.mark.daemon
def test_firewall_is_valid_nftables(tmp_path: Path) -> None:
    nft = require_program("nft")
    text = rdb.firewall_nft(3306, ["10.0.0.11", "10.0.0.12", "fd00::11"])
    assert "ip saddr { 10.0.0.11, 10.0.0.12 } tcp dport 3306 accept" in text
    assert "ip6 saddr { fd00::11 } tcp dport 3306 accept" in text
    assert text.rstrip().endswith("}")
    path = tmp_path / "fw.nft"
    path.write_text(text)
    done = subprocess.run([nft, "-c", "-f", str(path)], capture_output=True, text=True, check=False)
    if done.returncode != 0 and "Operation not permitted" in done.stderr:
        require_root("nft -c needs CAP_NET_ADMIN")
    assert done.returncode == 0, done.stderr
    # and a broken address is caught by the same check (the check is not a no-op)
    path.write_text(text.replace("10.0.0.12", "10.0.0.312"))
    assert subprocess.run([nft, "-c", "-f", str(path)], capture_output=True, check=False).returncode != 0


def test_firewall_refuses_a_name() -> None:
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 address"):
        rdb.firewall_nft(3306, ["web1.example.org"])


@pytest.mark.daemon
def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = require_program("systemd-analyze")
    script = tmp_path / "pic-db-dump"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    nft_file = tmp_path / "fw.nft"
    nft_file.write_text("")
    units = {
        "pic-db-dump.service": rdb.dump_service(script=str(script), conf=str(tmp_path / "conf")),
        "pic-db-dump.timer": rdb.dump_timer("03:15"),
        "pic-db-firewall.service": rdb.firewall_unit(str(nft_file)),
        "pic-db-endpoint.service": rdb.endpoint_service(
            listen_address="172.30.0.1",
            server_address="10.0.0.10",
            server_port=3306,
            server_name="10.0.0.10",
            ca_file=str(nft_file),
            program=str(script),
        ),
        # the mariadb drop-in, checked as the [Unit] section of a unit of its own
        "pic-db-dropin-check.service": rdb.mariadb_dropin() + "\n[Service]\nExecStart=/bin/true\n",
    }
    for name, text in units.items():
        (tmp_path / name).write_text(text)
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in units)], capture_output=True, text=True, check=False
    )
    relevant = [line for line in done.stderr.splitlines() if "pic-db" in line]
    assert done.returncode == 0, done.stderr
    assert not relevant, "\n".join(relevant)
    cal = subprocess.run([analyze, "calendar", "*-*-* 03:15:00"], capture_output=True, text=True, check=False)
    assert cal.returncode == 0, cal.stderr
    assert "OnCalendar=*-*-* 03:15:00" in units["pic-db-dump.timer"]


def _php(code: str) -> str:
    php = require_program("php")
    done = subprocess.run([php, "-r", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.daemon
def test_php_credentials_include(tmp_path: Path) -> None:
    require_program("php")
    c = rdb.Credentials("amis_du_rhone_main", "amis_du_rhone_main", NASTY, "10.0.0.10", 3306)
    path = tmp_path / "amis_du_rhone_main.php"
    path.write_text(rdb.member_php(c))
    lint = subprocess.run(["php", "-l", str(path)], capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout
    out = json.loads(
        _php(
            f"$db = require {json.dumps(str(path))}; "
            "echo json_encode(['db' => $db, 'DB_PASSWORD' => DB_PASSWORD, 'DB_HOST' => DB_HOST, 'DB_NAME' => DB_NAME]);"
        )
    )
    db = out["db"]
    assert db["password"] == NASTY
    assert out["DB_PASSWORD"] == NASTY
    # the web host's database endpoint, by the name the containers know it, with no TLS option
    assert out["DB_HOST"] == f"{rdb.SITE_DB_HOST}:{rdb.ENDPOINT_PORT}"
    assert out["DB_NAME"] == "amis_du_rhone_main"
    assert db["dsn"] == f"mysql:host={rdb.SITE_DB_HOST};port=3306;dbname=amis_du_rhone_main;charset=utf8mb4"
    assert db["options"] == []
    assert "10.0.0.10" not in path.read_text()
    # including it where DB_* are already defined (WordPress' wp-config.php) leaves them alone
    again = _php(f"define('DB_NAME', 'mine'); $db = require {json.dumps(str(path))}; echo DB_NAME;")
    assert again == "mine"
    assert db["charset"] == "utf8mb4"


@pytest.mark.daemon
def test_php_credentials_include_carries_the_database_charset(tmp_path: Path) -> None:
    require_program("php")
    c = rdb.Credentials("jardins_partages_main", "jardins_partages_main", NASTY, "10.0.0.10", 3306, charset="latin1")
    path = tmp_path / "jardins_partages_main.php"
    path.write_text(rdb.member_php(c))
    out = json.loads(_php(f"$db = require {json.dumps(str(path))}; echo json_encode([$db, DB_CHARSET]);"))
    assert out[0]["charset"] == out[1] == "latin1"
    assert out[0]["dsn"].endswith(";dbname=jardins_partages_main;charset=latin1")


@pytest.mark.daemon
def test_option_files_parse(tmp_path: Path) -> None:
    tool = require_program("my_print_defaults")
    c = rdb.Credentials("velo_cite_forum", "velo_cite_forum", NASTY, "10.0.0.10", 3306, "/srv/members/x/priv/db-ca.pem")
    path = tmp_path / "member.cnf"
    path.write_text(rdb.member_my_cnf(c))
    out = subprocess.run(
        [tool, f"--defaults-file={path}", "client", "mysql"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert f"--password={NASTY}" in out
    assert "--user=velo_cite_forum" in out
    assert "--database=velo_cite_forum" in out
    assert "--ssl-verify-server-cert" in out
    assert "--ssl-ca=/srv/members/x/priv/db-ca.pem" in out
    assert "--default-character-set=utf8mb4" in out
    legacy = tmp_path / "legacy.cnf"
    legacy.write_text(rdb.member_my_cnf(replace(c, charset="latin1")))
    out = subprocess.run(
        [tool, f"--defaults-file={legacy}", "client"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert "--default-character-set=latin1" in out
    # mariadb-dump reads [client] but not [mysql]: the database option must not reach it
    dump_groups = subprocess.run(
        [tool, f"--defaults-file={path}", "client", "mysqldump", "mariadb-dump"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--database" not in dump_groups
    backup = tmp_path / "backup.cnf"
    backup.write_text(rdb.backup_cnf(user="pic_backup", password=NASTY, host="10.0.0.10", port=3306))
    out = subprocess.run(
        [tool, f"--defaults-file={backup}", "client"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert f"--password={NASTY}" in out
    assert f"--ssl-ca={rdb.CLIENT_CA}" in out


def test_dump_conf_is_read_back_by_bash(tmp_path: Path) -> None:
    conf = rdb.DumpConfig(
        members_root="/srv/members", keep_days=7, jobs=3, report_to="admin@example.org", host_label="web 1 $(x)"
    )
    path = tmp_path / "conf"
    path.write_text(rdb.dump_conf(conf))
    out = subprocess.run(
        [
            "bash",
            "-c",
            '. "$1"; printf "%s|" "$MEMBERS_ROOT" "$KEEP_DAYS" "$JOBS" "$REPORT_TO" "$HOST_LABEL"',
            "sh",
            path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == "/srv/members|7|3|admin@example.org|web 1 $(x)|"


def test_dump_list() -> None:
    text = rdb.dump_list(
        [rdb.DumpEntry("velo-cite", 10002, "velo_cite_forum"), rdb.DumpEntry("a-b", 10001, "a_b_main")]
    )
    assert text.splitlines()[1:] == ["a-b 10001 a_b_main", "velo-cite 10002 velo_cite_forum"]


def test_accounts_are_never_wildcards() -> None:
    with pytest.raises(ValueError, match="bound to an address"):
        rdb.sql_account("x", "%")
    with pytest.raises(ValueError, match="bound to an address"):
        rdb.MemberDbSql("x_main", "x_main", ["%"]).render("pw")
    for stack in ("prod", "dev"):
        settings = load_settings(ROOT, stack)
        hosts = rdb.client_hosts(settings)
        assert set(hosts) == set(settings.web_hosts)
        for h in hosts.values():
            assert "%" not in h
            assert "_" not in h
            ipaddress.ip_network(h, strict=True)  # one address or one network, never a pattern


def test_member_sql_scopes_and_tls() -> None:
    sql = rdb.MemberDbSql("amis_du_rhone_main", "amis_du_rhone_main", ["10.0.0.11"]).render(NASTY)
    assert "CREATE DATABASE IF NOT EXISTS `amis_du_rhone_main` CHARACTER SET utf8mb4" in sql
    assert "IDENTIFIED BY 'pa\\'ss\"w#rd\\\\ $x `y` ;z' REQUIRE SSL;" in sql
    # the grant names the database with "_" escaped (a wildcard there), then "%": the database and the
    # two a restore works in; the user keeps its name; the backup account's grant is exact
    assert "ON `amis\\_du\\_rhone\\_main%`.* TO 'amis_du_rhone_main'@'10.0.0.11';" in sql
    assert "ON `amis\\_du\\_rhone\\_main`.* TO 'pic_backup'@'10.0.0.11';" in sql
    assert "ON `amis_du_rhone_main`.*" not in sql
    assert "*.*" not in sql
    assert "GRANT OPTION" not in sql
    assert "ACCOUNT LOCK" not in sql
    locked = rdb.MemberDbSql("a_main", "a_main", ["10.0.0.11"]).render("pw", locked=True)
    assert "ALTER USER 'a_main'@'10.0.0.11' ACCOUNT LOCK;" in locked


def test_server_cnf() -> None:
    text = rdb.server_cnf("10.0.0.10", 3306)
    assert "bind-address = 10.0.0.10" in text
    assert "require-secure-transport = ON" in text
    assert f"ssl-key = {rdb.SERVER_TLS_DIR}/server-key.pem" in text


def test_digest_changes_with_content() -> None:
    assert rdb.digest("a", "b") != rdb.digest("ab")
    assert rdb.digest("a") == rdb.digest("a")


def test_db_settings_are_optional_and_checked(tmp_path: Path) -> None:
    prod = (ROOT / "Pulumi.prod.yaml").read_text()
    assert "pic:db:" not in prod
    defaults = load_settings(ROOT, "prod").db
    assert (defaults.port, defaults.proxy, defaults.dump_jobs) == (3306, "socks5://127.0.0.1:1080", 2)
    (tmp_path / "Pulumi.bad.yaml").write_text(
        prod + '  pic:db: {proxy: "http://proxy:3128", dump_jobs: 0, dev_subnet: "172.30.57.1/24"}\n'
    )
    with pytest.raises(PicError) as caught:
        load_settings(tmp_path, "bad")
    text = str(caught.value)
    for field in ("pic:db.proxy", "pic:db.dump_jobs", "pic:db.dev_subnet"):
        assert field in text, text
    assert "Pulumi.bad.yaml" in text


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["velo\\055cite", "main"], "velo\\055cite has no database main on this host"),
        (["velo-cite", "m\\141in"], "velo-cite has no database m\\141in on this host"),
        (["velo-cite", "main", "m\\141in-x.sql.zst"], "no dump "),
    ],
)
def test_a_restore_compares_the_names_given_not_what_awk_escapes_make_of_them(
    tmp_path: Path, argv: list[str], said: str
) -> None:
    """The slug and database were matched in db-dump.list through ``awk -v``, which reads backslash escapes:
    'velo\\055cite' passed as velo-cite and went on as the member, and a dump named m\\141in-... was said to be
    another database's. Compared as given (ENVIRON): refused before anything runs as the member."""
    members = tmp_path / "members"
    (members / "velo-cite" / "db").mkdir(parents=True)
    listing = tmp_path / "db-dump.list"
    listing.write_text("# slug uid database\nvelo-cite 10601 main\n")
    conf = tmp_path / "db-dump.conf"
    conf.write_text(f"DB_LIST={listing}\nMEMBERS_ROOT={members}\n")
    script = tmp_path / "pic-db-restore"
    script.write_text(rdb.restore_script())
    script.chmod(0o755)
    env = {"PIC_DB_DUMP_CONF": str(conf), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["bash", str(script), *argv], capture_output=True, text=True, check=False, env=env)
    if said == "no dump ":  # a name no database has: not refused as another database's (goes on as the member)
        assert "is a dump of" not in done.stderr, done.stderr
    else:
        assert done.returncode == 1, (argv, done.stderr)
        assert said in done.stderr and "setpriv" not in done.stderr, done.stderr
