"""Text of everything the database part puts on a host: SQL, MariaDB server config, firewall,
member credential files, the nightly dump job (script, config, systemd units) and the restore script.

Pure functions of plain data (no Pulumi): the components feed them Output values through
``.apply``, the tests feed them loopback addresses and temporary paths and run the result with
the real programs (mariadbd, mariadb, shellcheck, nft, systemd-analyze).
"""

from __future__ import annotations

import hashlib
import ipaddress
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pic import charsets, names
from pic.names import DB_ADMIN_USER, DB_BACKUP_USER
from pic.registry import Member
from pic.render import render
from pic.settings import SITE_DB_ENDPOINT_PORT, Settings

CHARSET = "utf8mb4"
COLLATION = "utf8mb4_unicode_ci"

# What a member's user may do, on its own database only (never global, never GRANT OPTION).
MEMBER_PRIVILEGES: tuple[str, ...] = (
    "ALTER",
    "ALTER ROUTINE",
    "CREATE",
    "CREATE ROUTINE",
    "CREATE TEMPORARY TABLES",
    "CREATE VIEW",
    "DELETE",
    "DROP",
    "EVENT",
    "EXECUTE",
    "INDEX",
    "INSERT",
    "LOCK TABLES",
    "REFERENCES",
    "SELECT",
    "SHOW VIEW",
    "TRIGGER",
    "UPDATE",
)
# The backup account reads; it never writes and never locks a site's tables.
BACKUP_PRIVILEGES: tuple[str, ...] = ("EVENT", "SELECT", "SHOW VIEW", "TRIGGER")
ADMIN_USER = DB_ADMIN_USER
BACKUP_USER = DB_BACKUP_USER

# The server's max_allowed_packet (MariaDB's maximum, 1 GiB): the longest statement a restore
# sends is one dump line, a whole row, twice its size in --hex-blob. The dump job refuses a dump
# with a longer line (it could not be restored); the clients use the same limit.
MAX_ALLOWED_PACKET = 1 << 30
# Dump formats: the compressor and the file name ending (``<db>-<stamp>.sql.<ext>``).
DUMP_FORMATS = {"zstd": "zst", "gzip": "gz"}

# Paths on the db host.
SERVER_CNF = "/etc/mysql/mariadb.conf.d/90-pic.cnf"
SERVER_TLS_DIR = "/etc/mysql/pic-tls"
FIREWALL_FILE = "/etc/pic/db-firewall.nft"
FIREWALL_UNIT = "/etc/systemd/system/pic-db-firewall.service"
MARIADB_DROPIN = "/etc/systemd/system/mariadb.service.d/pic.conf"
# Paths on each web host.
CLIENT_CA = "/etc/pic/db-ca.pem"
BACKUP_CNF = "/etc/pic/db-backup.cnf"
DUMP_CONF = "/etc/pic/db-dump.conf"
DUMP_LIST = "/etc/pic/db-dump.list"
DUMP_SCRIPT = "/usr/local/sbin/pic-db-dump"
RESTORE_SCRIPT = "/usr/local/sbin/pic-db-restore"
DUMP_STATE_DIR = "/var/lib/pic/db-dump"
DUMP_UNIT = "pic-db-dump"
# The database endpoint of each web host (pic/dbendpoint.py): the site containers reach it as
# SITE_DB_HOST (a line of their /etc/hosts: the address of the containers' bridge on the host)
# on ENDPOINT_PORT, in plain; it carries the connection to MariaDB over verified TLS.
ENDPOINT_PROGRAM = "/usr/local/sbin/pic-db-endpoint"
ENDPOINT_UNIT = "pic-db-endpoint"
ENDPOINT_PORT = SITE_DB_ENDPOINT_PORT
ENDPOINT_MAX_CONNECTIONS = 500
SITE_DB_HOST = "pic-db"
SYSTEMD_DIR = "/etc/systemd/system"
MAILER = "/usr/sbin/sendmail"
# In each member's priv/: the CA the credential files point at.
MEMBER_CA_NAME = "db-ca.pem"


# --- addresses -------------------------------------------------------------------------------


def client_hosts(settings: Settings) -> dict[str, str]:
    """Web host name -> the MariaDB host part its connections come from; never a wildcard.

    A remote web host connects from its private address. A local one (dev stack) reaches the
    db container through the dev docker network, so its connections come from that subnet,
    written as MariaDB's ``address/netmask``.
    """
    out: dict[str, str] = {}
    for name in settings.web_hosts:
        spec = settings.hosts[name]
        if spec.connection == "local":
            net = settings.db.dev_subnet
            out[name] = f"{net.network_address}/{net.netmask}"
        else:
            out[name] = canonical_ip(spec.private_address)
    return out


def db_endpoint(settings: Settings) -> tuple[str, int]:
    """Where web hosts and member sites reach MariaDB: (address, port)."""
    spec = settings.hosts[settings.db_host]
    if spec.connection == "local":
        return dev_container_address(settings), 3306
    return canonical_ip(spec.private_address), settings.db.port


def canonical_ip(address: str) -> str:
    """An IP address as MariaDB and the kernel print it (IPv6 compressed, lower case): an account's
    host part is compared with the client's address as text, so ``fd00:0::11`` would match no client."""
    return str(ipaddress.ip_address(address))


def host_port(address: str, port: int) -> str:
    """``address:port`` as a host:port string (Go's ``net.JoinHostPort``, RFC 3986 §3.2.2): an IPv6
    address in brackets, or the port would read as one more group of the address.

    Not for a MariaDB option file (``host =``), whose client resolves the value as it is: there an
    IPv6 address goes without brackets (``Unknown server host '[::1]'`` otherwise).
    """
    return f"{bracketed(address)}:{port}"


def bracketed(address: str) -> str:
    """An IPv6 address in brackets, anything else as it is: PHP's mysqlnd (mysqli, PDO) reads its
    host as part of ``tcp://host:port`` and finds no host in a bare ``::1``; WordPress's ``DB_HOST``
    is ``host:port`` too."""
    return f"[{address}]" if ":" in address else address


def cert_names(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """A certificate's subject alternative names as (DNS names, IP addresses), each sorted, no duplicate.

    An IP address belongs in the IP addresses (RFC 5280 §4.2.1.6, iPAddress): no client matches an
    address against a dNSName (RFC 6125 §6.2.1), so a host known by its address alone would fail
    verification.
    """
    dns: set[str] = set()
    ips: set[str] = set()
    for name in names:
        try:
            ips.add(str(ipaddress.ip_address(name)))
        except ValueError:
            dns.add(name)
    return sorted(dns), sorted(ips)


def dev_container_address(settings: Settings) -> str:
    """The fixed address of the dev db container on its docker network."""
    return str(settings.db.dev_subnet.network_address + 10)


# --- quoting ---------------------------------------------------------------------------------


def sql_string(value: str) -> str:
    """A MariaDB string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def sql_ident(value: str) -> str:
    """A MariaDB identifier."""
    return "`" + value.replace("`", "``") + "`"


def grant_pattern(database: str) -> str:
    """A database name as the database part of a GRANT, ``_`` and ``%`` escaped (:func:`pic.names.escape_grant`).

    For the restore's databases, whose names are shortened so that this fits in 64 characters;
    a member database's grant uses :func:`pic.names.grant_database`.
    """
    return names.escape_grant(database)


def restore_databases(database: str) -> tuple[str, str]:
    """(scratch, previous) of a member database: where a restore loads and checks a dump, and
    where the tables it replaces go for the moment of the swap.

    Their names hold a ``-``, which no member database name has (``[a-z0-9_]+``), so they never
    meet one; a name too long for ``<db>-restore`` within MariaDB's 64 characters is shortened
    and made unique with a hash (the same rule as ``pic-db-restore``).
    """
    short = f"{database[: names.SCRATCH_PREFIX]}-{hashlib.sha256(database.encode()).hexdigest()[:8]}"
    base = database if len(database) <= names.SCRATCH_BASE_MAX else short
    return f"{base}-restore", f"{base}-old"


def sql_account(user: str, host: str) -> str:
    if host == "%" or not host:
        raise ValueError(f"refusing account {user!r}@{host!r}: an account is always bound to an address")
    return f"{sql_string(user)}@{sql_string(host)}"


def php_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def cnf_value(value: str) -> str:
    """A value of a MariaDB option file, quoted so '#', spaces and quotes survive."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def digest(*parts: str) -> str:
    """A short fingerprint of some texts, embedded in scripts so that they run again when those change."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


# --- SQL -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberDbSql:
    """One member database as SQL: what the mysql provider resources of a MemberDatabase amount to."""

    database: str
    user: str
    hosts: Sequence[str]
    backup_user: str = BACKUP_USER

    def render(self, password: str, *, locked: bool = False) -> str:
        return render(
            "db/member.sql.j2",
            database=sql_ident(self.database),
            grant_database=sql_ident(names.grant_database(self.database)),
            member_grant=sql_ident(names.member_grant_pattern(self.database)),
            charset=CHARSET,
            collation=COLLATION,
            accounts=[sql_account(self.user, h) for h in self.hosts],
            backup_accounts=[sql_account(self.backup_user, h) for h in self.hosts],
            password=sql_string(password),
            privileges=", ".join(MEMBER_PRIVILEGES),
            backup_privileges=", ".join(BACKUP_PRIVILEGES),
            locked=locked,
        )


def account_locked(member: Member) -> bool:
    """Whether a member's database users are locked: it is suspended or archived (docs/REGISTRY.md: its logins
    are refused, its databases kept untouched). The backup account is never locked: a suspended member's
    databases are still dumped every night."""
    return member.status != "active"


def lock_sql(user: str, hosts: Iterable[str], *, locked: bool) -> str:
    """Lock (suspended or archived member) or unlock an account on every host it is bound to; keeps password
    and grants."""
    word = "LOCK" if locked else "UNLOCK"
    return "".join(f"ALTER USER IF EXISTS {sql_account(user, h)} ACCOUNT {word};\n" for h in hosts)


def backup_account_sql(hosts: Iterable[str], password: str, user: str = BACKUP_USER) -> str:
    """The backup account as SQL (in the program: mysql User resources of the db host)."""
    return "".join(
        f"CREATE USER IF NOT EXISTS {sql_account(user, h)} IDENTIFIED BY {sql_string(password)} REQUIRE SSL;\n"
        for h in hosts
    )


def admin_account_sql(hosts: Iterable[str], password: str, user: str = ADMIN_USER) -> str:
    """The account the mysql provider uses, bound to the db host's own addresses; idempotent."""
    return render(
        "db/admin.sql.j2",
        accounts=[sql_account(user, h) for h in hosts],
        password=sql_string(password),
    )


# --- db host ---------------------------------------------------------------------------------


def server_cnf(bind_address: str, port: int, tls_dir: str = SERVER_TLS_DIR) -> str:
    """MariaDB server settings: private address only, TLS required, utf8mb4, no name lookups."""
    return render(
        "db/server.cnf.j2",
        bind_address=bind_address,
        port=port,
        tls_dir=tls_dir,
        charset=CHARSET,
        collation=COLLATION,
        max_allowed_packet=MAX_ALLOWED_PACKET,
    )


def firewall_nft(port: int, sources: Iterable[str]) -> str:
    """nftables table of its own: the MariaDB port from the given addresses and the host itself only."""
    v4: list[str] = []
    v6: list[str] = []
    for s in sources:
        addr = ipaddress.ip_address(s)
        (v4 if addr.version == 4 else v6).append(str(addr))
    return render("db/firewall.nft.j2", port=port, v4=sorted(set(v4)), v6=sorted(set(v6)))


def firewall_unit(nft_file: str = FIREWALL_FILE) -> str:
    return render("db/pic-db-firewall.service.j2", nft_file=nft_file)


def mariadb_dropin() -> str:
    """Orders MariaDB after the network (it binds the private address) and the firewall."""
    return render("db/mariadb-dropin.conf.j2")


def db_install_script() -> str:
    """Installs the MariaDB server and nftables from Debian; does nothing when they are there."""
    return render("db/db-install.sh.j2")


def db_configure_script(*, admin_sql: str, config_digest: str, tls_digest: str) -> str:
    """Applies placed config and certificates (restart or FLUSH SSL only when they changed),
    loads the firewall and sets the provider's admin account. Carries a secret: run with logging off."""
    return render(
        "db/db-configure.sh.j2",
        admin_sql=admin_sql,
        config_digest=config_digest,
        tls_digest=tls_digest,
        tls_dir=SERVER_TLS_DIR,
        firewall_unit=FIREWALL_UNIT.rsplit("/", 1)[1],
    )


def dev_sql_client(container: str) -> str:
    """The MariaDB client as root inside the dev db container (its password is in the container's env)."""
    return (
        f"docker exec -i {shlex.quote(container)} sh -c "
        """'MYSQL_PWD="$MARIADB_ROOT_PASSWORD" exec mariadb -uroot "$@"' sh"""
    )


def sql_shell_script(sql: str, client: str = "mariadb") -> str:
    """A shell script that feeds ``sql`` to a MariaDB client (root over the db host's socket)."""
    return render("db/run-sql.sh.j2", sql=sql, client=client)


# --- member credential files -----------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """A member database's credentials. ``host``/``port``/``ca_file``: MariaDB itself, over TLS (the
    mariadb clients on the web host, the option file); ``site_host``/``site_port``: the web host's
    database endpoint as the site containers reach it (the PHP include, no TLS option needed)."""

    database: str
    user: str
    password: str
    host: str
    port: int
    ca_file: str = CLIENT_CA
    site_host: str = SITE_DB_HOST
    site_port: int = ENDPOINT_PORT
    # The connection charset (database_charsets in the member file): utf8mb4, or the one a legacy base is stored in.
    charset: str = charsets.DB_DEFAULT


def member_php(c: Credentials) -> str:
    """A PHP file an application includes: returns an array, and defines DB_* constants if unset.

    Host and port are the web host's database endpoint (``site_host``, ``site_port``): the
    application connects in plain to it with no TLS option, and the endpoint carries the
    connection to MariaDB over TLS, the server's certificate verified.
    """
    return render(
        "db/credentials.php.j2",
        database=php_string(c.database),
        user=php_string(c.user),
        password=php_string(c.password),
        host=php_string(bracketed(c.site_host)),
        port=c.site_port,
        charset=php_string(c.charset),
    )


def member_my_cnf(c: Credentials) -> str:
    """An option file for the mariadb / mariadb-dump clients (--defaults-file=...)."""
    return render(
        "db/client.cnf.j2",
        user=cnf_value(c.user),
        password=cnf_value(c.password),
        host=cnf_value(c.host),
        port=c.port,
        ca=cnf_value(c.ca_file),
        database=cnf_value(c.database),
        charset=cnf_value(c.charset),
    )


def backup_cnf(*, user: str, password: str, host: str, port: int, ca_file: str = CLIENT_CA) -> str:
    """The backup account's option file on a web host (root only)."""
    return render(
        "db/client.cnf.j2",
        user=cnf_value(user),
        password=cnf_value(password),
        host=cnf_value(host),
        port=port,
        ca=cnf_value(ca_file),
        database=None,
        charset=charsets.DB_DEFAULT,
    )


# --- nightly dumps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DumpEntry:
    """One database the job of a web host dumps: the member's slug, its numeric uid, the database."""

    slug: str
    uid: int
    database: str


def dump_list(entries: Iterable[DumpEntry]) -> str:
    lines = ["# slug uid database: the member databases this host dumps (written by pic)"]
    lines += [f"{e.slug} {e.uid} {e.database}" for e in sorted(entries, key=lambda e: (e.slug, e.database))]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class DumpConfig:
    members_root: str
    keep_days: int
    jobs: int
    report_to: str
    host_label: str
    compression: str = "zstd"
    backup_cnf: str = BACKUP_CNF
    db_list: str = DUMP_LIST
    state_dir: str = DUMP_STATE_DIR
    mailer: str = MAILER


def dump_conf(c: DumpConfig) -> str:
    """The job's settings, a shell fragment the dump and restore scripts read.

    Raises ValueError for a compression other than those of ``DUMP_FORMATS``.
    """
    if c.compression not in DUMP_FORMATS:
        raise ValueError(f"compression {c.compression!r}: allowed {', '.join(DUMP_FORMATS)}")
    values = {
        "MEMBERS_ROOT": c.members_root,
        "KEEP_DAYS": str(c.keep_days),
        "JOBS": str(c.jobs),
        "REPORT_TO": c.report_to,
        "HOST_LABEL": c.host_label,
        "COMPRESSION": c.compression,
        "BACKUP_CNF": c.backup_cnf,
        "DB_LIST": c.db_list,
        "STATE_DIR": c.state_dir,
        "MAILER": c.mailer,
    }
    body = "".join(f"{k}={shlex.quote(v)}\n" for k, v in values.items())
    return "# Settings of pic-db-dump and pic-db-restore (written by pic)\n" + body


def dump_script() -> str:
    return render("db/pic-db-dump.sh.j2", default_conf=DUMP_CONF)


def restore_script() -> str:
    return render("db/pic-db-restore.sh.j2", default_conf=DUMP_CONF)


def dump_service(script: str = DUMP_SCRIPT, conf: str = DUMP_CONF) -> str:
    return render("db/pic-db-dump.service.j2", script=script, conf=conf)


def dump_timer(time: str) -> str:
    """Every day at ``time`` (HH:MM, the host's local time); a missed run (host down) runs at boot."""
    return render("db/pic-db-dump.timer.j2", time=time)


def web_install_script(*, units_digest: str, endpoint_digest: str) -> str:
    """Installs the MariaDB client and python3 on a web host, (re)enables the dump timer when its
    units change, and (re)starts the database endpoint when its program or unit change."""
    return render(
        "db/web-install.sh.j2",
        units_digest=units_digest,
        endpoint_digest=endpoint_digest,
        unit=DUMP_UNIT,
        endpoint_unit=ENDPOINT_UNIT,
        state_dir=DUMP_STATE_DIR,
    )


# --- database endpoint of the web hosts ------------------------------------------------------


def endpoint_program() -> str:
    """The text of the endpoint (``pic/dbendpoint.py``, standard library only), installed as is."""
    return (Path(__file__).resolve().parent.parent / "dbendpoint.py").read_text()


def endpoint_service(
    *,
    listen_address: str,
    server_address: str,
    server_port: int,
    server_name: str,
    ca_file: str = CLIENT_CA,
    program: str = ENDPOINT_PROGRAM,
    port: int = ENDPOINT_PORT,
    max_connections: int = ENDPOINT_MAX_CONNECTIONS,
) -> str:
    """``pic-db-endpoint.service``: listens on ``listen_address:port`` (the containers' bridge
    address, bound before the bridge exists), carries to MariaDB at ``server_address:server_port``,
    checking its certificate against ``ca_file`` for ``server_name``. Runs as a dynamic user."""
    return render(
        "db/pic-db-endpoint.service.j2",
        site_host=SITE_DB_HOST,
        listen=host_port(listen_address, port),
        server=host_port(server_address, server_port),
        server_name=server_name,
        ca=ca_file,
        program=program,
        max_connections=max_connections,
    )
