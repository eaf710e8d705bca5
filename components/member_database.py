"""MemberDatabase: one database of a member (``databases:`` of its file), its user and credentials.

Creates, for database ``<slug with _>_<short>`` (component name ``<slug>-db-<short>``):

- ``<name>-database``: the database, utf8mb4. ``protect=True`` and ``retain_on_delete=True``:
  this is the member's data; a typo or a removed member file must never drop it. Dropping a
  database is an explicit, separate step (``pulumi state unprotect``, then a manual DROP).
- ``<name>-password``: its user's password, pulumi-random, a secret from end to end (input of
  the user as a secret, credential files placed with logging off).
- ``<name>-user-<web>``: the user, of the same name, bound to a web host's address (one per
  web host address: the sites and phpMyAdmin connect from there; never ``%``), REQUIRE SSL.
- ``<name>-grant-<web>``: the member's privileges (``MEMBER_PRIVILEGES``; no global privilege,
  no GRANT OPTION) on ``<database>%`` (``pic.names.member_grant_pattern``), its name escaped
  (``_`` is a wildcard in a grant: unescaped, ``wx_y_main`` would also match member ``wxzy``'s
  ``wxzy_main``): the database and the two ``pic-db-restore`` works in (``<database>-restore``,
  where a dump is loaded and checked, and ``<database>-old``, where the replaced tables go for
  the swap; ``pic.render.db.restore_databases``), which the restore creates as the member, so
  it can touch nothing else. One grant where there were three (the database, ``-restore``,
  ``-old``): ``%`` matches any characters, so the registry check refuses any other database
  name that starts with this one (``pic.names.member_grant_covers``; MariaDB database names of
  members are ``[a-z0-9_]``, the restore's hold a ``-``). What it adds: the member may create
  other databases named ``<database>...`` (a quota matter, as the tables it may already create).
  A stack from the former layout replaces the grant (a new database part): the engine creates
  the new grant first, then revokes the former one's exact row (``REVOKE ... ON `db`.*``, the
  mysql provider's DeleteGrant), and the former ``-restore-grant-`` and ``-old-grant-`` rows:
  no privilege is missing at any moment.
- ``<name>-backup-grant-<web>``: read-only privileges of the backup account on this database
  (exact: the backup account reaches every member's databases, and ``%`` would let it read a
  restore's half-loaded data for nothing).
- the credential files (``db-ca.pem``, ``<database>.php``, ``<database>.my.cnf`` in the
  member's ``priv/``) are placed by the member's one secret command, MemberCredentials, from
  :attr:`password`, :attr:`php_path` and :attr:`cnf_path`.
- ``<name>-lock`` (suspended and archived members, ``pic.render.db.account_locked``): ``ALTER USER
  ... ACCOUNT LOCK`` on the db host, so that neither phpMyAdmin nor any client logs in as the user;
  its deletion (the member set active again) unlocks. One name for both states: suspended ->
  archived changes nothing. The database, the grants and the files are kept, and the nightly dumps
  go on for a suspended member (the backup account is not locked).

Deliberately not done: creating the member's directories and unix account (the web part
does; MemberCredentials waits for them and for the users), deleting anything of the member,
dumps (DumpJob).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

import pulumi
import pulumi_mysql as mysql
import pulumi_random as random

from components.db_host import DbHost, unique_hosts
from components.hostcmd import command_type, run_script
from components.member import FORMER_DATABASE, child_options
from pic import names
from pic.registry import Database, Member
from pic.render import db as rdb
from pic.settings import Settings

PASSWORD_LENGTH = 32
GRANT = "mysql:index/grant:Grant"


@dataclass(frozen=True)
class MemberDatabaseArgs:
    database: Database
    locked: bool
    members_root: str
    db_host: DbHost


def member_database_args(
    settings: Settings,
    member: Member,
    database: Database,
    db_host: DbHost,
) -> MemberDatabaseArgs:
    return MemberDatabaseArgs(
        database=database,
        locked=rdb.account_locked(member),
        members_root=settings.members_root,
        db_host=db_host,
    )


def component_name(database: Database) -> str:
    return names.database_component(database.member, database.short)


class MemberDatabase:
    """A member database, its user bound to the web hosts over TLS, and its credential files."""

    database_name: str
    user: str
    password: pulumi.Output[str]
    php_path: str
    cnf_path: str
    users: list[mysql.User]
    grants: list[mysql.Grant]

    def __init__(self, name: str, args: MemberDatabaseArgs) -> None:
        db, dbh = args.database, args.db_host
        self._slug = db.member
        self.database_name, self.user = db.name, db.user
        priv = f"{args.members_root}/{db.member}/priv"
        self.php_path, self.cnf_path = f"{priv}/{db.name}.php", f"{priv}/{db.name}.my.cnf"
        on_db = pulumi.ResourceOptions(provider=dbh.provider)

        database = mysql.Database(
            f"{name}-database",
            name=db.name,
            default_character_set=rdb.CHARSET,
            default_collation=rdb.COLLATION,
            opts=self._child(
                "mysql:index/database:Database", f"{name}-database", on_db, protect=True, retain_on_delete=True
            ),
        )
        self.password = pulumi.Output.secret(
            random.RandomPassword(
                f"{name}-password",
                length=PASSWORD_LENGTH,
                special=False,
                opts=self._child("random:index/randomPassword:RandomPassword", f"{name}-password"),
            ).result
        )
        self.users, self.grants = [], []
        for web, client in unique_hosts(dbh.client_hosts).items():
            self._create_account(
                name, web, client, database=database, backup_user=dbh.backup_users[client], on_db=on_db
            )
        if args.locked:
            self._create_lock(name, dbh)

    def _child(
        self, typ: str, name: str, base: pulumi.ResourceOptions | None = None, **options: object
    ) -> pulumi.ResourceOptions:
        """Options of a resource of this database: the member's component, aliased to its former URN."""
        opts = child_options(self._slug, FORMER_DATABASE, typ, name, **options)
        return pulumi.ResourceOptions.merge(base, opts) if base is not None else opts

    def _create_account(
        self,
        name: str,
        web: str,
        client: str,
        *,
        database: mysql.Database,
        backup_user: mysql.User,
        on_db: pulumi.ResourceOptions,
    ) -> None:
        user = mysql.User(
            f"{name}-user-{web}",
            user=self.user,
            host=client,
            plaintext_password=self.password,
            tls_option="SSL",
            opts=self._child("mysql:index/user:User", f"{name}-user-{web}", on_db),
        )
        self.users.append(user)
        self.grants.append(
            mysql.Grant(
                f"{name}-grant-{web}",
                user=self.user,
                host=client,
                database=names.member_grant_pattern(self.database_name),
                privileges=list(rdb.MEMBER_PRIVILEGES),
                opts=self._child(GRANT, f"{name}-grant-{web}", on_db, depends_on=[user, database]),
            )
        )
        self.grants.append(
            mysql.Grant(
                f"{name}-backup-grant-{web}",
                user=rdb.BACKUP_USER,
                host=client,
                database=names.grant_database(self.database_name),
                privileges=list(rdb.BACKUP_PRIVILEGES),
                opts=self._child(GRANT, f"{name}-backup-grant-{web}", on_db, depends_on=[backup_user, database]),
            )
        )

    def _create_lock(self, name: str, dbh: DbHost) -> None:
        hosts = sorted(set(dbh.client_hosts.values()))
        lock = rdb.sql_shell_script(rdb.lock_sql(self.user, hosts, locked=True), client=dbh.sql_client)
        unlock = f"{dbh.sql_client} -e {shlex.quote(rdb.lock_sql(self.user, hosts, locked=False))}"
        run_script(
            names.database_lock(name),
            dbh.sql_access,
            lock,
            delete=unlock,
            opts=self._child(
                command_type(dbh.sql_access),
                names.database_lock(name),
                depends_on=[*self.users, *self.grants, *dbh.ready],
            ),
        )
