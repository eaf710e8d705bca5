"""WordPress end to end, as a member installs it: Debian's ``wordpress`` package copied into the
member's ``www/``, a ``wp-config.php`` that only requires the member's ``priv/`` credentials
include (its DB_* constants), sets the salts and blocks WordPress's calls to the Internet, which
the lab does not reach (``WP_HTTP_BLOCK_EXTERNAL``), served by the member's real container behind
the real front proxy (the world of tests/test_containers.py, on the lab's runtimes), with the
real MariaDB (member account REQUIRE SSL) reached through the web host's database endpoint
(pic/dbendpoint.py, run in the engine's namespace on the containers' bridge address, as
``pic-db-endpoint.service`` runs it on a web host).

Checked: the installer (``wp-admin/install.php?step=2``) completes over https through the
proxy on two runtimes (7.4 on bullseye, 8.2 on bookworm); the site's sessions are TLS on the
server's side; with a wrong CA at the endpoint the site cannot reach its database; pretty
permalinks work through ``.htaccess`` and mod_rewrite; a 20 MB file goes through the media
uploader (the runtime images' upload limits); after the nightly dump (pic-db-dump)
and the restore script (pic-db-restore), both run as on the web host, WordPress still works and
shows the restored content.

Mail: the sites' containers are those of a web host (their fixed addresses, the msmtp
configuration the program renders for their member mounted read only); the web host's relay is
the rendered Postfix relay at the network's gateway in the engine's namespace, relaying to an
SMTP sink (tests/site_relay.py). WordPress's "lost password" form, submitted over https
through the proxy, delivers its message with the member's envelope sender, to the admin's
address, carrying a reset link on the member's own https domain that WordPress then accepts;
msmtp's line is in the member's ``log/mail.log``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pic.registry import Member
from pic.render import db as rdb
from pic.render import sitemail, web
from tests.conftest import require_program
from tests.dockerd import docker_engine
from tests.mariadb_server import BACKUP_PASSWORD, Platform, make_tls
from tests.mariadb_server import Member as DbMember
from tests.site_relay import Relay, running_relay
from tests.test_containers import DB_ADDRESS, World, site_endpoint, world

__all__ = ["docker_engine", "world"]  # the fixtures, used through `wordpress`

pytestmark = pytest.mark.daemon

# Debian's wordpress and the packages its symlinks point into (javascript, getid3, its theme).
WORDPRESS_PACKAGES = (
    "wordpress",
    "libjs-cropper",
    "libjs-underscore",
    "php-getid3",
    "wordpress-theme-twentytwentythree",
)
WP_RUNTIMES = ("7.4", "8.2")
ADMIN_PASSWORD = secrets.token_urlsafe(18)  # a throw-away WordPress admin, new at each run
# WordPress's own rules for pretty permalinks (what it writes on "Save permalinks").
HTACCESS = """# BEGIN WordPress
<IfModule mod_rewrite.c>
RewriteEngine On
RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]
RewriteBase /
RewriteRule ^index\\.php$ - [L]
RewriteCond %{REQUEST_FILENAME} !-f
RewriteCond %{REQUEST_FILENAME} !-d
RewriteRule . /index.php [L]
</IfModule>
# END WordPress
"""


def wordpress_tree(directory: Path) -> Path:
    """WordPress from Debian's packages, extracted (never installed), its symlinks resolved into
    copies: into the other extracted packages first, then the host (the CA bundle)."""
    require_program("apt-get")
    require_program("dpkg-deb")
    debs = directory / "debs"
    debs.mkdir()
    done = subprocess.run(
        ["apt-get", "download", *WORDPRESS_PACKAGES], cwd=debs, capture_output=True, text=True, check=False, timeout=600
    )
    assert done.returncode == 0, done.stderr
    root = directory / "root"
    for deb in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=300)
    source = root / "usr/share/wordpress"
    tree = directory / "wordpress"

    def resolve(link: Path, depth: int = 0) -> Path | None:
        target = Path(os.readlink(link))
        inside = root / target.relative_to("/") if target.is_absolute() else link.parent / target
        for candidate in (inside, target if target.is_absolute() else None):
            if candidate is None:
                continue
            if candidate.is_symlink() and depth < 8:
                return resolve(candidate, depth + 1)
            if candidate.exists():
                return candidate
        return None

    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        out = tree / rel
        real = resolve(path) if path.is_symlink() else path
        if real is None:
            continue  # a link to a file no package extracted here carries
        if real.is_dir():
            out.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                shutil.copytree(real, out, dirs_exist_ok=True, symlinks=False)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(real, out)
    return tree


def wp_config(database: str) -> str:
    salts = "".join(
        f"define('{k}', '{secrets.token_hex(32)}');\n"
        for k in (
            "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
            "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
        )
    )  # fmt: skip
    return (
        "<?php\n// The member's credentials: DB_HOST, DB_NAME, DB_USER, DB_PASSWORD. Nothing about TLS.\n"
        f"require __DIR__ . '/../priv/{database}.php';\n{salts}"
        "$table_prefix = 'wp_';\n"
        # The lab has no Internet: WordPress's own calls out (version and plugin checks on admin pages,
        # the installer's) would each wait for a DNS timeout, a minute per admin page. Blocked, they
        # fail at once, as WordPress documents for sites without access (wp-includes/class-wp-http.php).
        "define('WP_HTTP_BLOCK_EXTERNAL', true);\n"
        "if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }\n"
        "require_once ABSPATH . 'wp-settings.php';\n"
    )


# A page of the member's own: the credentials include and mysqli with no TLS code.
SESSION_PAGE = """<?php
$db = require __DIR__ . '/../priv/{database}.php';
$m = new mysqli($db['host'], $db['user'], $db['password'], $db['database'], $db['port']);
$r = $m->query("SELECT CURRENT_USER(), (SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS
    WHERE VARIABLE_NAME = 'Ssl_cipher')")->fetch_row();
echo json_encode(['user' => $r[0], 'cipher' => $r[1]]);
"""


@dataclass
class Site:
    member: Member
    domain: str
    database: str
    password: str


@dataclass
class WordPress:
    world: World
    sites: list[Site]
    endpoint_log: Path
    tmp: Path
    endpoint: contextlib.ExitStack | None = None

    def start_endpoint(self, ca: str) -> None:
        """pic-db-endpoint in the engine's namespace, on the bridge address, as the unit runs it."""
        self.stop_endpoint()
        self.endpoint = contextlib.ExitStack()
        self.endpoint.enter_context(site_endpoint(self.world, self.endpoint_log, ca))

    def stop_endpoint(self) -> None:
        if self.endpoint is not None:
            self.endpoint.close()
            self.endpoint = None

    def request(
        self, site: Site, path: str, *, data: dict[str, str] | None = None, jar: Path | None = None
    ) -> tuple[int, str]:
        extra: list[str] = []
        for k, v in (data or {}).items():
            extra += ["--data-urlencode", f"{k}={v}"]
        if jar is not None:
            extra += ["-b", str(jar), "-c", str(jar)]
        return self.world.get(f"https://{site.domain}{path}", extra=("--max-time", "120", *extra))


def _sites(world: World) -> list[Member]:
    chosen = []
    for key in WP_RUNTIMES:
        found = [m for m in world.running(php=True) if m.runtime == key and m.site is not None and m.site.https]
        assert found, f"the lab registry has no running https site on PHP {key}"
        chosen.append(found[0])
    return chosen


@pytest.fixture(scope="module")
def wordpress(world: World) -> Iterator[WordPress]:
    tmp = Path(tempfile.mkdtemp(prefix="pic-wp-", dir=world.tmp))
    tmp.chmod(0o755)  # the restore runs as the member: its script must be reachable
    tree = wordpress_tree(tmp)
    sites = []
    world.db.root_sql(rdb.backup_account_sql([DB_ADDRESS], BACKUP_PASSWORD))
    for m in _sites(world):
        assert m.site is not None
        database = f"{m.slug.replace('-', '_')}_wp"
        password = secrets.token_hex(16)
        # the endpoint connects from the address the server sees for this "web host"
        world.db.root_sql(rdb.MemberDbSql(database, database, [DB_ADDRESS]).render(password))
        home = Path(world.settings.members_root) / m.slug
        www, priv = home / "www", home / "priv"
        shutil.copytree(tree, www, dirs_exist_ok=True)
        (www / "wp-config.php").write_text(wp_config(database))
        (www / "session.php").write_text(SESSION_PAGE.replace("{database}", database))
        include = priv / f"{database}.php"
        include.write_text(
            rdb.member_php(rdb.Credentials(database, database, password, DB_ADDRESS, world.settings.db.port))
        )
        include.chmod(0o600)
        subprocess.run(["chown", "-R", f"{m.uid}:{m.uid}", str(www), str(include)], check=True)
        sites.append(Site(m, m.site.domains[0], database, password))
    log = tmp / "endpoint.log"
    wp = WordPress(world, sites, log, tmp)
    try:
        wp.start_endpoint(world.db.ca)
        yield wp
    finally:
        wp.stop_endpoint()
        for site in sites:
            world.db.root_sql(f"DROP DATABASE IF EXISTS `{site.database}`;")


DIAGNOSE = """$db = require '/srv/site/priv/{database}.php';
echo gethostbyname($db['host']), "\\n";
try { new mysqli($db['host'], $db['user'], $db['password'], $db['database'], $db['port']); echo "connected\\n"; }
catch (Throwable $e) { echo get_class($e), ': ', $e->getMessage(), "\\n"; }
"""


def diagnose(wp: WordPress, site: Site) -> str:
    """What a failed request needs explained: the site's own view of its database, the endpoint's log."""
    probe = wp.world.exec(site.member.slug, "php", "-r", DIAGNOSE.replace("{database}", site.database))
    return f"container: {probe.stdout} {probe.stderr}\nendpoint log:\n{wp.endpoint_log.read_text()}"


def install(wp: WordPress, site: Site) -> tuple[int, str]:
    return wp.request(
        site,
        "/wp-admin/install.php?step=2",
        data={
            "weblog_title": f"Blog of {site.member.slug}",
            "user_name": "admin",
            "admin_password": ADMIN_PASSWORD,
            "admin_password2": ADMIN_PASSWORD,
            "pw_weak": "1",
            "admin_email": f"admin@{site.domain}",
            "blog_public": "0",
        },
    )


@pytest.fixture(scope="module")
def installed(wordpress: WordPress) -> WordPress:
    for site in wordpress.sites:
        status, body = install(wordpress, site)
        assert status == 200, f"{site.member.slug}: {status} {diagnose(wordpress, site)}"
        assert "Success!" in body or "WordPress has been installed" in body, body[-3000:]
    return wordpress


def test_installer_completes_over_https_on_two_runtimes(installed: WordPress) -> None:
    world = installed.world
    # the endpoint's address is the network's gateway, as the program sets it
    network = world.lab.client.networks.get(web.NETWORK).attrs
    assert network["IPAM"]["Config"][0]["Gateway"] == web.NETWORK_GATEWAY
    for site in installed.sites:
        url = world.db.root_sql(
            "SELECT option_value FROM wp_options WHERE option_name = 'siteurl';", database=site.database
        ).strip()
        assert url == f"https://{site.domain}", url
        status, body = installed.request(site, "/")
        assert status == 200, body[-2000:]
        assert f"Blog of {site.member.slug}" in body
        version = world.exec(site.member.slug, "php", "-r", "echo PHP_MAJOR_VERSION, '.', PHP_MINOR_VERSION;")
        assert version.stdout == site.member.runtime


def test_the_sites_sessions_are_tls_on_the_servers_side(installed: WordPress) -> None:
    for site in installed.sites:
        status, body = installed.request(site, "/session.php")
        assert status == 200, body
        out = json.loads(body)
        assert out["user"] == f"{site.database}@{DB_ADDRESS}"
        assert out["cipher"].startswith("TLS_"), out
    log = installed.endpoint_log.read_text()
    assert all(site.password not in log for site in installed.sites)


def test_with_a_wrong_ca_the_site_cannot_reach_its_database(installed: WordPress) -> None:
    other = installed.tmp / "other-ca"
    make_tls(other)
    site = installed.sites[0]
    try:
        installed.start_endpoint(str(other / "ca.pem"))
        status, body = installed.request(site, "/")
        assert status == 500, body[-2000:]
        assert "Error establishing a database connection" in body
        assert "certificate verify failed" in installed.endpoint_log.read_text()
    finally:
        installed.start_endpoint(installed.world.db.ca)
    status, body = installed.request(site, "/")
    assert status == 200, body[-2000:]


def test_pretty_permalinks_through_htaccess(installed: WordPress) -> None:
    world = installed.world
    for site in installed.sites:
        htaccess = Path(world.settings.members_root) / site.member.slug / "www" / ".htaccess"
        htaccess.write_text(HTACCESS)
        os.chown(htaccess, site.member.uid, site.member.uid)
        world.db.root_sql(
            "UPDATE wp_options SET option_value = '/%postname%/' WHERE option_name = 'permalink_structure';"
            "UPDATE wp_options SET option_value = '' WHERE option_name = 'rewrite_rules';",
            database=site.database,
        )
        status, body = installed.request(site, "/hello-world/")
        assert status == 200, body[-2000:]
        assert re.search(r"Hello world!", body), body[-2000:]
        status, _ = installed.request(site, "/no-such-post-here/")
        assert status == 404


def test_after_the_nightly_dump_and_a_restore_wordpress_still_works(installed: WordPress) -> None:
    world = installed.world
    root = Path(world.settings.members_root)
    members = []
    for site in installed.sites:
        m = DbMember(site.member.slug, site.member.uid, site.database, root)
        # the member's option file, as MemberDatabase writes it: straight to the db host over TLS
        m.cnf.write_text(
            rdb.member_my_cnf(
                rdb.Credentials(site.database, site.database, site.password, DB_ADDRESS, world.settings.db.port,
                                ca_file=world.db.ca)
            )
        )  # fmt: skip
        os.chown(m.cnf, m.uid, m.uid)
        m.cnf.chmod(0o600)
        members.append(m)
    base = installed.tmp / "job"
    base.mkdir()
    platform = Platform(world.db, base, members, db_host=DB_ADDRESS, netns=world.engine.netns_path)
    platform.write_job()
    dumped = platform.dump()
    assert dumped.returncode == 0, dumped.stdout + dumped.stderr
    for site, m in zip(installed.sites, members, strict=True):
        assert f"{site.database}-latest.sql.zst" in m.dump_files()
        # the site changes after the dump...
        world.db.root_sql(
            "UPDATE wp_options SET option_value = 'Changed after the dump' WHERE option_name = 'blogname';",
            database=site.database,
        )
        status, body = installed.request(site, "/")
        assert status == 200 and "Changed after the dump" in body
        # ...and the restore brings back the night's content, WordPress serving it
        restored = platform.run("pic-db-restore", m.slug, m.database)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        status, body = installed.request(site, "/")
        assert status == 200, body[-2000:]
        assert f"Blog of {site.member.slug}" in body and "Changed after the dump" not in body
        status, body = installed.request(site, "/hello-world/")
        assert status == 200 and "Hello world!" in body


def login(wp: WordPress, site: Site) -> Path:
    """Log in as the admin; the cookie jar of the session."""
    jar = wp.tmp / f"{site.member.slug}.cookies"
    wp.request(site, "/wp-login.php", jar=jar)  # sets WordPress's test cookie
    status, body = wp.request(
        site,
        "/wp-login.php",
        data={"log": "admin", "pwd": ADMIN_PASSWORD, "wp-submit": "Log In", "testcookie": "1"},
        jar=jar,
    )
    assert status == 302, f"login: {status} {body[-1000:]}"
    return jar


def test_a_20_mb_upload_succeeds(installed: WordPress) -> None:
    """A 20 MB file through the media uploader (wp-admin/async-upload.php), as the browser sends it."""
    for site in installed.sites:
        jar = login(installed, site)
        status, page = installed.request(site, "/wp-admin/media-new.php", jar=jar)
        assert status == 200, page[-1000:]
        nonce = re.search(r'"_wpnonce":"([0-9a-f]+)"', page)
        assert nonce is not None, "no upload nonce on media-new.php"
        upload = installed.tmp / "photos-2026.zip"  # an archive of photos, stored: 20 MB as they come
        with zipfile.ZipFile(upload, "w", compression=zipfile.ZIP_STORED) as archive:
            for i in range(4):
                archive.writestr(f"photo-{i}.jpg", os.urandom(5_000_000))
        assert upload.stat().st_size >= 20_000_000
        status, body = installed.world.get(
            f"https://{site.domain}/wp-admin/async-upload.php",
            extra=(
                "--max-time", "300", "-b", str(jar), "-c", str(jar),
                "-F", "action=upload-attachment", "-F", f"_wpnonce={nonce.group(1)}", "-F", "name=photos-2026.zip",
                "-F", f"async-upload=@{upload};type=application/zip",
            ),
        )  # fmt: skip
        assert status == 200, body[-2000:]
        answer = json.loads(body)
        assert answer["success"] is True, answer
        stored = Path(installed.world.settings.members_root) / site.member.slug / "www" / "wp-content" / "uploads"
        found = list(stored.rglob("photos-2026*.zip"))
        assert found and found[0].stat().st_size == upload.stat().st_size, found


@pytest.fixture
def relay(installed: WordPress) -> Iterator[Relay]:
    """The web host's relay for its running PHP sites, at the network's gateway, to a sink."""
    world = installed.world
    with running_relay(world.running(php=True), netns=world.engine.netns_path) as relay:
        yield relay


def test_lost_password_mail_reaches_the_sink_with_the_members_envelope(installed: WordPress, relay: Relay) -> None:
    world = installed.world
    for site in installed.sites:
        m = site.member
        # the site's container as on a web host: its fixed address, its member's msmtp configuration
        container = world.inspect(web.site_container_name(m.slug))
        assert container["NetworkSettings"]["Networks"][web.NETWORK]["IPAddress"] == sitemail.site_address(m)
        mount = next(mt for mt in container["Mounts"] if mt["Destination"] == sitemail.CONTAINER_CONFIG_DIR)
        assert mount["RW"] is False, "the member's mail configuration is read only in its container"
        assert world.exec(m.slug, "cat", sitemail.CONTAINER_CONFIG).stdout == sitemail.render_msmtprc(m)
        log = Path(world.settings.members_root) / m.slug / "log" / "mail.log"
        logged = log.read_text().splitlines() if log.exists() else []
        before = len(relay.sink.received)
        status, body = installed.request(
            site,
            "/wp-login.php?action=lostpassword",
            data={"user_login": "admin", "redirect_to": "", "wp-submit": "Get New Password"},
        )
        # WordPress redirects to "check your email" once wp_mail() succeeded, shows an error otherwise
        assert status == 302, f"{m.slug}: {status} {body[-2000:]}\nmail.log: {log.read_text() if log.exists() else ''}"
        got = relay.delivered(before + 1)[before]
        assert got.mail_from == sitemail.envelope_sender(m), m.slug
        assert got.rcpt_tos == [f"admin@{site.domain}"], m.slug
        assert "Password Reset" in got.message["Subject"], got.message["Subject"]
        sender = got.message["From"].addresses[0]
        assert sender.domain in m.sender_domains, got.message["From"]  # WordPress's own From
        text = got.message.get_body(("plain",))
        assert text is not None
        links = re.findall(r"https?://\S+action=rp\S+", str(text.get_content()))
        assert len(links) == 1, text.get_content()
        link = urlsplit(links[0])
        assert (link.scheme, link.hostname) == ("https", site.domain), links[0]
        # msmtp's line in the member's log, written by the member's site
        new = log.read_text().splitlines()[len(logged) :]
        line = [x for x in new if f"recipients=admin@{site.domain}" in x]
        assert len(line) == 1, new
        assert f"from={sitemail.envelope_sender(m)}" in line[0] and "exitcode=EX_OK" in line[0], line[0]
        assert log.stat().st_uid == m.uid
        # the link works: WordPress asks for the new password
        jar = installed.tmp / f"{m.slug}.reset-cookies"
        status, page = world.get(links[0], extra=("-L", "-b", str(jar), "-c", str(jar)))
        assert status == 200 and 'name="pass1"' in page, f"{status} {page[-2000:]}"
