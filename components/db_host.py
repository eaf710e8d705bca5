"""DbHost: the MariaDB server of the platform, its internal CA and the mysql provider that reaches it.

Creates, for the db host of the stack (name ``<name>``, the host's name in ``pic:hosts``):

- an internal CA and a server certificate, with pulumi-tls (``<name>-ca-key``, ``<name>-ca``,
  ``<name>-server-key``, ``<name>-server-csr``, ``<name>-server-cert``): the web hosts and
  phpMyAdmin trust that CA and check the server's name on every connection;
- prod (``connection: ssh``): MariaDB from the Debian package, installed and configured by
  idempotent remote scripts (``<name>-install``, ``<name>-configure``) and placed files
  (``<name>-tls-ca``, ``<name>-tls-cert``, ``<name>-tls-key``, ``<name>-config``,
  ``<name>-firewall``, ``<name>-firewall-unit``, ``<name>-mariadb-dropin``): it listens on the
  private address only (started once the network is up),
  requires TLS for every TCP connection, and an nftables table of its own lets port 3306 in
  from the web hosts' private addresses and the host itself only;
- dev (``connection: local``): a MariaDB container on the local docker engine
  (``<name>-image``, ``<name>-network``, ``<name>-data``, ``<name>-container``), with the same
  server settings and certificates, on a docker network of its own (``pic:db.dev_subnet``);
- the mysql provider (``<name>-provider``). Port 3306 is closed to the outside, so in prod the
  provider goes through the provider's ``proxy`` option: a SOCKS proxy that the admin opens with
  ``ssh -N -D 127.0.0.1:1080 <ssh_user>@<db address>`` (``pic:db.proxy``); through it the
  provider connects to the private address from the db host itself, as ``pic_admin``, an
  account bound to that address only whose password is the stack secret ``pic:dbAdminPassword``;
- the read-only backup account (``<name>-backup-password``, ``<name>-backup-user-<web>`` and
  ``<name>-backup-proc-grant-<web>``, one per web host address): the nightly dumps use it, never
  root. Its grants on each member database belong to that database's MemberDatabase.

Deliberately not done here: member databases (MemberDatabase), the dump job (DumpJob on each
web host), and removing MariaDB or its data when this component goes away (nothing deletes the
datadir; the dev data volume is kept on delete).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_docker as docker
import pulumi_mysql as mysql
import pulumi_random as random
import pulumi_tls as tls

from components.hostcmd import HostAccess, host_access, place_file, run_script
from pic.names import DB_DEV_CONTAINER
from pic.render import db as rdb
from pic.settings import DbSpec, Settings

CA_VALIDITY_HOURS = 10 * 365 * 24
SERVER_CERT_VALIDITY_HOURS = 2 * 365 * 24
SERVER_CERT_RENEWAL_HOURS = 30 * 24  # a `pulumi up` in the last 30 days renews it (FLUSH SSL, no restart)
DEV_CONTAINER = DB_DEV_CONTAINER
DEV_MYSQL_UID = "999"  # the mysql user of the official MariaDB image


@dataclass(frozen=True)
class DbHostArgs:
    host: HostAccess
    db: DbSpec
    # web host name -> MariaDB host part of its connections (never '%')
    client_hosts: Mapping[str, str]
    # private addresses the firewall lets in (prod)
    web_addresses: Sequence[str]
    # where web hosts and sites connect: (address, port)
    endpoint: tuple[str, int]
    admin_password: pulumi.Input[str]


def db_host_args(settings: Settings) -> DbHostArgs:
    """The arguments of the stack's db host, from validated settings."""
    name = settings.db_host
    return DbHostArgs(
        host=host_access(name, settings.hosts[name]),
        db=settings.db,
        client_hosts=rdb.client_hosts(settings),
        web_addresses=[rdb.canonical_ip(settings.hosts[w].private_address) for w in settings.web_hosts],
        endpoint=rdb.db_endpoint(settings),
        admin_password=pulumi.Config("pic").require_secret("dbAdminPassword"),
    )


class DbHost(pulumi.ComponentResource):
    """The MariaDB server, its CA, the mysql provider and the backup account."""

    ca_cert_pem: pulumi.Output[str]
    provider: mysql.Provider
    endpoint_host: str
    endpoint_port: int
    client_hosts: dict[str, str]
    backup_password: pulumi.Output[str]
    backup_users: dict[str, mysql.User]
    sql_access: HostAccess
    sql_client: str
    ready: list[pulumi.Resource]

    def __init__(self, name: str, args: DbHostArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:DbHost", name, None, opts)
        self.endpoint_host, self.endpoint_port = args.endpoint
        self.client_hosts = dict(args.client_hosts)
        self.sql_access = args.host
        admin_password = pulumi.Output.secret(args.admin_password)

        ca_key, self.ca_cert_pem = self._create_ca(name)
        server_key, server_cert = self._create_server_cert(name, args, ca_key)
        if args.host.local:
            self.ready = self._create_dev_server(name, args, admin_password, server_key, server_cert)
            self.provider = mysql.Provider(
                f"{name}-provider",
                endpoint=rdb.host_port("127.0.0.1", args.db.dev_port),
                username="root",
                password=admin_password,
                tls="skip-verify",
                opts=pulumi.ResourceOptions(parent=self, depends_on=self.ready),
            )
            # root's password is already in the container's environment: nothing secret on this side
            self.sql_client = rdb.dev_sql_client(DEV_CONTAINER)
        else:
            self.ready = self._create_server(name, args, admin_password, server_key, server_cert)
            self.provider = mysql.Provider(
                f"{name}-provider",
                # host:port for Go's MySQL driver: an IPv6 address in brackets
                endpoint=rdb.host_port(rdb.canonical_ip(args.host.spec.private_address), args.db.port),
                username=rdb.ADMIN_USER,
                password=admin_password,
                proxy=args.db.proxy,
                # The SOCKS hop is the ssh connection, which authenticated the host by its key;
                # the last hop is the db host talking to itself, encrypted all the same.
                tls="skip-verify",
                opts=pulumi.ResourceOptions(parent=self, depends_on=self.ready),
            )
            self.sql_client = "mariadb"
        self._create_backup_account(name)

        self.register_outputs(
            {
                "ca_cert_pem": self.ca_cert_pem,
                "endpoint": rdb.host_port(self.endpoint_host, self.endpoint_port),
                "client_hosts": self.client_hosts,
                "backup_password": self.backup_password,
            }
        )

    # --- TLS ---------------------------------------------------------------------------------

    def _create_ca(self, name: str) -> tuple[tls.PrivateKey, pulumi.Output[str]]:
        child = pulumi.ResourceOptions(parent=self)
        ca_key = tls.PrivateKey(f"{name}-ca-key", algorithm="ECDSA", ecdsa_curve="P256", opts=child)
        ca = tls.SelfSignedCert(
            f"{name}-ca",
            private_key_pem=ca_key.private_key_pem,
            is_ca_certificate=True,
            validity_period_hours=CA_VALIDITY_HOURS,
            allowed_uses=["cert_signing", "crl_signing"],
            subject=tls.SelfSignedCertSubjectArgs(common_name="pic database CA", organization="pic"),
            opts=child,
        )
        return ca_key, ca.cert_pem

    def _create_server_cert(
        self, name: str, args: DbHostArgs, ca_key: tls.PrivateKey
    ) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        child = pulumi.ResourceOptions(parent=self)
        spec = args.host.spec
        # The public address may be an IP too: it then goes with the IP addresses (rdb.cert_names).
        dns, ips = rdb.cert_names(
            [spec.address, self.endpoint_host, spec.private_address]
            + ([DEV_CONTAINER, "localhost", "127.0.0.1"] if args.host.local else [])
        )
        key = tls.PrivateKey(f"{name}-server-key", algorithm="ECDSA", ecdsa_curve="P256", opts=child)
        csr = tls.CertRequest(
            f"{name}-server-csr",
            private_key_pem=key.private_key_pem,
            subject=tls.CertRequestSubjectArgs(common_name=spec.address, organization="pic"),
            dns_names=dns,
            ip_addresses=ips,
            opts=child,
        )
        cert = tls.LocallySignedCert(
            f"{name}-server-cert",
            cert_request_pem=csr.cert_request_pem,
            ca_private_key_pem=ca_key.private_key_pem,
            ca_cert_pem=self.ca_cert_pem,
            validity_period_hours=SERVER_CERT_VALIDITY_HOURS,
            early_renewal_hours=SERVER_CERT_RENEWAL_HOURS,
            allowed_uses=["digital_signature", "key_encipherment", "server_auth"],
            opts=child,
        )
        return pulumi.Output.secret(key.private_key_pem), cert.cert_pem

    # --- prod: Debian package on a remote host -----------------------------------------------

    def _create_server(
        self,
        name: str,
        args: DbHostArgs,
        admin_password: pulumi.Output[str],
        server_key: pulumi.Output[str],
        server_cert: pulumi.Output[str],
    ) -> list[pulumi.Resource]:
        host = args.host
        install = run_script(f"{name}-install", host, rdb.db_install_script(), opts=pulumi.ResourceOptions(parent=self))
        after_install = pulumi.ResourceOptions(parent=self, depends_on=[install])
        tls_dir = rdb.SERVER_TLS_DIR
        config_text = rdb.server_cnf(rdb.canonical_ip(host.spec.private_address), args.db.port)
        firewall_text = rdb.firewall_nft(args.db.port, args.web_addresses)
        firewall_unit_text = rdb.firewall_unit()
        dropin_text = rdb.mariadb_dropin()
        placed = [
            place_file(f"{name}-tls-ca", host, f"{tls_dir}/ca.pem", self.ca_cert_pem, opts=after_install),
            place_file(f"{name}-tls-cert", host, f"{tls_dir}/server.pem", server_cert, opts=after_install),
            place_file(
                f"{name}-tls-key",
                host,
                f"{tls_dir}/server-key.pem",
                server_key,
                mode="0640",
                owner="root",
                group="mysql",
                secret=True,
                opts=after_install,
            ),
            place_file(f"{name}-config", host, rdb.SERVER_CNF, config_text, opts=after_install),
            place_file(f"{name}-firewall", host, rdb.FIREWALL_FILE, firewall_text, opts=after_install),
            place_file(f"{name}-firewall-unit", host, rdb.FIREWALL_UNIT, firewall_unit_text, opts=after_install),
            place_file(f"{name}-mariadb-dropin", host, rdb.MARIADB_DROPIN, dropin_text, opts=after_install),
        ]
        admin_hosts = [rdb.canonical_ip(host.spec.private_address)]
        script = pulumi.Output.all(admin_password, server_key, server_cert, self.ca_cert_pem).apply(
            lambda v: rdb.db_configure_script(
                admin_sql=rdb.admin_account_sql(admin_hosts, v[0]),
                config_digest=rdb.digest(config_text, firewall_text, firewall_unit_text, dropin_text),
                tls_digest=rdb.digest(v[1], v[2], v[3]),
            )
        )
        configure = run_script(
            f"{name}-configure",
            host,
            pulumi.Output.secret(script),
            secret=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=placed, additional_secret_outputs=["stdin"]),
        )
        return [configure]

    # --- dev: a container on the local engine ------------------------------------------------

    def _create_dev_server(
        self,
        name: str,
        args: DbHostArgs,
        admin_password: pulumi.Output[str],
        server_key: pulumi.Output[str],
        server_cert: pulumi.Output[str],
    ) -> list[pulumi.Resource]:
        child = pulumi.ResourceOptions(parent=self)
        subnet = args.db.dev_subnet
        image = docker.RemoteImage(f"{name}-image", name=args.db.dev_image, keep_locally=True, opts=child)
        network = docker.Network(
            f"{name}-network",
            name=f"{DEV_CONTAINER}-net",
            ipam_configs=[docker.NetworkIpamConfigArgs(subnet=str(subnet), gateway=str(subnet.network_address + 1))],
            opts=child,
        )
        data = docker.Volume(
            f"{name}-data",
            name=f"{DEV_CONTAINER}-data",
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
        )
        tls_dir = "/etc/mysql/pic-tls"

        def upload(path: str, content: pulumi.Input[str], mode: str = "0644") -> docker.ContainerUploadArgs:
            return docker.ContainerUploadArgs(
                file=path, content=content, permissions=mode, owner=DEV_MYSQL_UID, group=DEV_MYSQL_UID
            )

        container = docker.Container(
            f"{name}-container",
            name=DEV_CONTAINER,
            image=image.image_id,
            restart="unless-stopped",
            # the image's own check: the provider starts once InnoDB is up and accepting connections
            healthcheck=docker.ContainerHealthcheckArgs(
                tests=["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"],
                interval="2s",
                retries=30,
                start_period="5s",
            ),
            wait=True,
            wait_timeout=120,
            envs=[admin_password.apply(lambda pw: f"MARIADB_ROOT_PASSWORD={pw}")],
            networks_advanced=[
                docker.ContainerNetworksAdvancedArgs(name=network.name, ipv4_address=self.endpoint_host)
            ],
            ports=[docker.ContainerPortArgs(internal=3306, external=args.db.dev_port, ip="127.0.0.1")],
            volumes=[docker.ContainerVolumeArgs(volume_name=data.name, container_path="/var/lib/mysql")],
            uploads=[
                upload("/etc/mysql/conf.d/90-pic.cnf", rdb.server_cnf("0.0.0.0", 3306, tls_dir)),  # noqa: S104 - inside the container
                upload(f"{tls_dir}/ca.pem", self.ca_cert_pem),
                upload(f"{tls_dir}/server.pem", server_cert),
                upload(f"{tls_dir}/server-key.pem", server_key, "0600"),
            ],
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["envs", "uploads"]),
        )
        return [container]

    # --- backup account ----------------------------------------------------------------------

    def _create_backup_account(self, name: str) -> None:
        password = random.RandomPassword(
            f"{name}-backup-password", length=32, special=False, opts=pulumi.ResourceOptions(parent=self)
        )
        self.backup_password = pulumi.Output.secret(password.result)
        self.backup_users = {}
        for web, client in unique_hosts(self.client_hosts).items():
            user = mysql.User(
                f"{name}-backup-user-{web}",
                user=rdb.BACKUP_USER,
                host=client,
                plaintext_password=self.backup_password,
                tls_option="SSL",
                opts=pulumi.ResourceOptions(parent=self, provider=self.provider),
            )
            # mariadb-dump --routines reads routine bodies from mysql.proc (MariaDB < 11.3).
            mysql.Grant(
                f"{name}-backup-proc-grant-{web}",
                user=rdb.BACKUP_USER,
                host=client,
                database="mysql",
                table="proc",
                privileges=["SELECT"],
                opts=pulumi.ResourceOptions(parent=self, provider=self.provider, depends_on=[user]),
            )
            self.backup_users[client] = user


def unique_hosts(client_hosts: Mapping[str, str]) -> dict[str, str]:
    """One entry per distinct MariaDB host part, named after its first web host."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for web, client in client_hosts.items():
        if client not in seen:
            seen.add(client)
            out[web] = client
    return out
