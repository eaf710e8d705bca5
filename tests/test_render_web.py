"""Rendered web host files, each checked by the program that reads it.

caddy validate (Caddyfiles), apache2 -t (member vhost), sshd -t (sshd_config),
shellcheck (every script), php -l (phpMyAdmin config). The daemons run for
real in tests/test_daemons_web.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from pic import phpini
from pic.check import check
from pic.registry import Registry
from pic.render import web
from pic.settings import Settings
from tests.conftest import MEMBERS, ROOT, require_program, require_root
from tests.tlsutil import make_ca, write_member_cert

ON = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def example() -> tuple[Settings, Registry]:
    checked = check(ROOT, "prod", MEMBERS, ON)
    return checked.settings, checked.registry


def with_tls(settings: Settings, ca: str) -> Settings:
    return settings.model_copy(update={"tls": settings.tls.model_copy(update={"ca": ca})})


def run_ok(cmd: list[str], what: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{what}: {' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def shellcheck(script: str, tmp_path: Path, name: str, *, exclude: tuple[str, ...] = ()) -> None:
    exe = require_program("shellcheck")
    path = tmp_path / name
    path.write_text(script)
    excluded = [f"--exclude={','.join(exclude)}"] if exclude else []
    run_ok([exe, "--shell=sh", "--severity=style", *excluded, str(path)], name)


# A RUN that writes a script with printf holds that script's "$VAR" in single quotes on purpose.
RUN_EXCLUDES = ("SC2016",)


def caddy_validate(text: str, tmp_path: Path, name: str = "Caddyfile") -> None:
    exe = require_program("caddy")
    path = tmp_path / name
    path.write_text(text)
    # caddy validate provisions the config (TLS storage included): keep it in the test's directory.
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    proc = subprocess.run(
        [exe, "validate", "--config", str(path), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Valid configuration" in proc.stdout + proc.stderr, proc.stderr


# --- front proxy --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certs_dir(example: tuple[Settings, Registry], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each https member's certificate where the Caddyfile loads it (here: a test directory)."""
    certs = tmp_path_factory.mktemp("certs")
    ca = make_ca()
    for m in example[1]:
        if web.needs_certificate(m) and m.site is not None:
            write_member_cert(ca, certs, m.slug, list(m.site.domains))
    return certs


@pytest.mark.parametrize("ca", ["letsencrypt", "staging", "internal"])
def test_caddyfile_is_valid(example: tuple[Settings, Registry], ca: str, certs_dir: Path, tmp_path: Path) -> None:
    settings, registry = example
    settings = with_tls(settings, ca)
    extra = [web.render_phpmyadmin_block(settings)]
    text = web.render_caddyfile(settings, registry, extra, on=ON, certs_dir=str(certs_dir))
    caddy_validate(text, tmp_path)
    assert ("acme_ca https://acme-staging" in text) == (ca == "staging")
    assert ("local_certs" in text) == (ca == "internal")


def site_blocks(text: str) -> dict[str, tuple[str, str]]:
    """member slug -> (address line, body) of each member block."""
    found = re.findall(r"^# member ([a-z0-9-]+): \w+\n([^\n]*) \{\n(.*?)^\}", text, flags=re.M | re.S)
    return {slug: (addresses, body) for slug, addresses, body in found}


def test_one_block_per_member_with_all_its_domains(example: tuple[Settings, Registry]) -> None:
    settings, registry = example
    blocks = site_blocks(web.render_caddyfile(settings, registry, on=ON))
    assert set(blocks) == {"amis-du-rhone", "bibliotheque-libre", "cine-club-lumiere", "jardins-partages", "velo-cite"}
    for slug, (addresses, body) in blocks.items():
        site = registry.get(slug).site
        assert site is not None
        scheme = "" if site.https else "http://"
        assert addresses == ", ".join(scheme + d for d in site.domains), slug
        assert ("import hsts" in body) == site.https, slug
        assert "import security_headers" in body, slug
    assert "reverse_proxy pic-site-amis-du-rhone:8080" in blocks["amis-du-rhone"][1]
    assert "503" in blocks["cine-club-lumiere"][1]
    assert "reverse_proxy" not in blocks["cine-club-lumiere"][1]


def test_a_refused_site_tells_its_visitors_why(
    example: tuple[Settings, Registry], certs_dir: Path, tmp_path: Path
) -> None:
    """A site refused for its runtime answers 503 saying why: runtime 8.3 stopped by the admins (amis-du-rhone) is
    no end of life; 7.4 past its end of life after the exception's last day (jardins-partages, until 2027-03-31) is.
    Was: every refused site said its PHP version had reached its end of life."""
    settings, registry = example
    runtimes = dict(settings.runtimes)
    runtimes["8.3"] = runtimes["8.3"].model_copy(update={"stopped": True})
    settings = settings.model_copy(update={"runtimes": runtimes})
    text = web.render_caddyfile(settings, registry, on=dt.date(2027, 4, 1), certs_dir=str(certs_dir))
    caddy_validate(text, tmp_path)
    blocks = site_blocks(text)
    stopped, ended = blocks["amis-du-rhone"][1], blocks["jardins-partages"][1]
    assert 'respond "This site is unavailable: its PHP version has been withdrawn from this host." 503' in stopped
    assert "end of life" not in stopped and "reverse_proxy" not in stopped
    assert 'respond "This site is unavailable: its PHP version has reached its end of life." 503' in ended
    assert "reverse_proxy pic-site-velo-cite:8080" in blocks["velo-cite"][1]


def test_extra_blocks_are_appended_and_must_be_valid(
    example: tuple[Settings, Registry], certs_dir: Path, tmp_path: Path
) -> None:
    settings, registry = example
    sympa = "listes.example.org {\n\timport security_headers\n\treverse_proxy unix//run/sympa/wwsympa.socket\n}\n"
    text = web.render_caddyfile(settings, registry, [sympa], on=ON, certs_dir=str(certs_dir))
    assert text.rstrip().endswith(sympa.rstrip())
    caddy_validate(text, tmp_path)
    broken = web.render_caddyfile(settings, registry, ["listes.example.org {\n\tno_such_directive\n}"], on=ON)
    exe = require_program("caddy")
    (tmp_path / "broken").write_text(broken)
    proc = subprocess.run(
        [exe, "validate", "--config", str(tmp_path / "broken"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
        env={"HOME": str(tmp_path)},
    )
    assert proc.returncode != 0
    assert "no_such_directive" in proc.stderr


def test_static_site_caddyfile_is_valid(tmp_path: Path) -> None:
    text = web.render_static_caddyfile()
    caddy_validate(text, tmp_path)
    assert "root * /srv/site/www" in text
    assert "/srv/site/log/access.log" in text
    assert "priv" not in text
    assert "/db" not in text


@pytest.mark.parametrize("charset", ["iso-8859-1", "windows-1252", "none"])
def test_static_site_charset_is_valid_caddy(tmp_path: Path, charset: str) -> None:
    text = web.render_static_caddyfile(charset=charset)
    caddy_validate(text, tmp_path)
    assert "defer" in text
    assert ("charset=" + charset in text) == (charset != "none")


def test_static_site_charset_utf8_is_caddys_own_and_renders_as_none_given() -> None:
    # charset: utf-8 (Caddy's own) rendered a header that rewrote charset=utf-8 to charset=utf-8 ("declared in
    # utf-8, not in utf-8"): writing it, or removing it, replaced the site's container for nothing.
    assert web.render_static_caddyfile(charset="utf-8") == web.render_static_caddyfile()


def test_static_site_charset_outside_the_list_is_not_rendered() -> None:
    with pytest.raises(ValueError, match="latin-1"):
        web.render_static_caddyfile(charset="latin-1")
    assert "Content-Type" not in web.render_static_caddyfile()


# --- PHP sites ----------------------------------------------------------------------------------


def apache_main_config(tmp: Path, port: int, vhost: Path) -> Path:
    """A minimal Apache main configuration from Debian's modules, including the rendered vhost."""
    mods = "/usr/lib/apache2/modules"
    modules = ["mpm_prefork", "authz_core", "dir", "mime", "php", "remoteip", "setenvif", "rewrite"]
    lines = [f"LoadModule {m}_module {mods}/mod_{m}.so" for m in modules if m != "php"]
    php_so = sorted(Path(mods).glob("libphp*.so"))
    assert php_so, "libapache2-mod-php is not installed"
    lines.append(f"LoadModule php_module {php_so[-1]}")
    lines += [
        f"ServerRoot {tmp}",
        "ServerName localhost",
        f"PidFile {tmp}/apache.pid",
        f"ErrorLog {tmp}/main-error.log",
        f"Listen 127.0.0.1:{port}",
        "TypesConfig /etc/mime.types",
        "DirectoryIndex index.php index.html",
        "AddHandler application/x-httpd-php .php",
        "User nobody",
        "Group nogroup",
        f"Include {vhost}",
    ]
    conf = tmp / "apache2.conf"
    conf.write_text("\n".join(lines) + "\n")
    return conf


def test_member_vhost_passes_apache_configtest(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    exe = require_program("apache2")
    member = example[1].get("amis-du-rhone")
    root = tmp_path / "site"
    for sub in web.MEMBER_DIRS:
        (root / sub).mkdir(parents=True)
    vhost = tmp_path / "vhost.conf"
    vhost.write_text(web.render_member_vhost(member, root=str(root), port=18080))
    conf = apache_main_config(tmp_path, 18080, vhost)
    run_ok([exe, "-t", "-f", str(conf)], "apache2 -t")
    text = web.render_member_vhost(member)
    assert "DocumentRoot /srv/site/www\n" in text
    # No domain in the container's file: the front proxy routes the domains, a new one changes only it.
    assert "ServerAlias" not in text and "amis-du-rhone.org" not in text
    assert "ServerName pic-site-amis-du-rhone\n" in text
    assert "<IfModule php_module>" in text


def test_member_php_settings_are_admin_values_apache_accepts(
    example: tuple[Settings, Registry], tmp_path: Path
) -> None:
    """Every key of the allow-list, at its upper bound, in the vhost; apache2 -t with mod_php loaded."""
    exe = require_program("apache2")
    member = example[1].get("velo-cite")
    assert member.site is not None
    chosen: dict[str, int | str | bool] = {
        "memory_limit": "512M",
        "upload_max_filesize": "64M",
        "post_max_size": "64M",
        "max_execution_time": 600,
        "max_input_time": 600,
        "max_input_vars": 100000,
        "session.gc_maxlifetime": 86400,
        "display_errors": True,
        "date.timezone": "Europe/Paris",
    }
    assert set(chosen) == set(phpini.RULES)
    assert all(phpini.problem(k, v, repr(v)) is None for k, v in chosen.items())
    site = member.site.model_copy(update={"php_settings": chosen})
    member = replace(member, spec=member.spec.model_copy(update={"site": site}))
    root = tmp_path / "site"
    for sub in web.MEMBER_DIRS:
        (root / sub).mkdir(parents=True)
    vhost = tmp_path / "vhost.conf"
    vhost.write_text(web.render_member_vhost(member, root=str(root), port=18081))
    run_ok([exe, "-t", "-f", str(apache_main_config(tmp_path, 18081, vhost))], "apache2 -t")
    text = web.render_member_vhost(member)
    assert "\t\tphp_admin_value memory_limit 512M\n" in text
    assert "\t\tphp_admin_value date.timezone Europe/Paris\n" in text
    assert "\t\tphp_admin_flag display_errors on\n" in text
    assert "php_value" not in text, "a member's value is an admin value: .htaccess cannot raise it"


def test_php_ini_is_read_by_php_as_written(tmp_path: Path) -> None:
    """The runtime images' conf.d file, read by the real PHP (-n: no other ini file)."""
    php = require_program("php")
    ini = tmp_path / "pic.ini"
    ini.write_text(web.render_php_ini("8.2"))
    keys = [*phpini.DEFAULTS, "display_errors", "log_errors", "error_log", "expose_php", "session.save_path"]
    code = "$k = array_slice($argv, 1); echo json_encode(array_combine($k, array_map('ini_get', $k)));"
    done = run_ok([php, "-n", "-c", str(ini), "-r", code, "--", *keys], "php -c")
    values = json.loads(done.stdout)
    for key, default in phpini.DEFAULTS.items():
        # The CLI always runs without time limits (PHP manual, "Command line usage": overridden settings).
        if key not in ("max_execution_time", "max_input_time"):
            assert values[key] == default, key
    assert values["display_errors"] == "" and values["log_errors"] == "1" and values["expose_php"] == ""
    assert values["error_log"] == web.PHP_ERROR_LOG == "/srv/site/log/php-error.log"
    assert values["session.save_path"] == web.PHP_SESSION_DIR
    # The defaults obey the rules a member's own settings obey, and a 20 MB upload fits.
    for key, default in phpini.DEFAULTS.items():
        value: int | str = int(default) if default.isdigit() else default
        assert phpini.problem(key, value, repr(value)) is None, (key, default)
    assert phpini.effective_bytes({}, "upload_max_filesize") >= 20 * 1000 * 1000
    assert phpini.effective_bytes({}, "post_max_size") > phpini.effective_bytes({}, "upload_max_filesize")


def test_member_cli_ini_is_read_by_php_as_the_vhost_sets_it(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    """The member's php_settings for cron jobs: the real PHP (-n -c) reads each value the vhost gives Apache."""
    import dataclasses

    php = require_program("php")
    velo = example[1].get("velo-cite")
    assert velo.site is not None
    every = {
        **velo.site.php_settings,
        "display_errors": True,
        "date.timezone": "Etc/GMT+5",
        "max_input_vars": 5000,
        "upload_max_filesize": "1G",
        "post_max_size": "1G",
    }
    members = [
        velo,
        dataclasses.replace(
            velo, spec=velo.spec.model_copy(update={"site": velo.site.model_copy(update={"php_settings": every})})
        ),
    ]
    for m in members:
        assert m.site is not None and m.runtime is not None
        assert web.member_cli_ini_path(m.runtime) == f"/etc/php/{m.runtime}/cli/conf.d/95-pic-member.ini"
        ini = tmp_path / "member.ini"
        ini.write_text(web.render_member_cli_ini(m) or "")
        keys = sorted(set(m.site.php_settings) - web.CLI_OVERRIDDEN)
        assert keys, m.slug
        code = "$k = array_slice($argv, 1); echo json_encode(array_combine($k, array_map('ini_get', $k)));"
        done = run_ok([php, "-n", "-c", str(ini), "-r", code, "--", *keys], "php -c")
        seen = json.loads(done.stdout)
        for key in keys:
            value = m.site.php_settings[key]
            want = ("1" if value else "") if isinstance(value, bool) else str(value)
            assert seen[key] == want, (key, seen[key], want)
    assert web.render_member_cli_ini(example[1].get("bibliotheque-libre")) is None  # a static site


def test_vhost_names_the_mod_php_of_old_versions(example: tuple[Settings, Registry]) -> None:
    jardins = example[1].get("jardins-partages")  # PHP 7.4
    assert "<IfModule php7_module>" in web.render_member_vhost(jardins)
    assert web.php_module("5.6") == "php5_module"
    assert web.php_module("8.4") == "php_module"


def dockerfile_run_bodies(dockerfile: str) -> list[str]:
    """The shell of each RUN instruction, continuation lines joined as Docker does.

    Docker drops comment lines inside a continued instruction (they never reach the shell).
    """
    kept, continued = [], False
    for line in dockerfile.splitlines():
        if continued and line.lstrip().startswith("#"):
            continue
        kept.append(line)
        continued = line.endswith("\\")
    joined = re.sub(r"\\\n", " ", "\n".join(kept) + "\n")
    return [line[len("RUN ") :] for line in joined.splitlines() if line.startswith("RUN ")]


@pytest.mark.parametrize("key", ["7.4", "8.2", "8.3", "8.4", "8.5"])
def test_runtime_dockerfile(example: tuple[Settings, Registry], key: str, tmp_path: Path) -> None:
    """One template: Debian's packages of the runtime's release, plus the apt source when one is given."""
    settings = example[0]
    spec = settings.runtimes[key]
    image = web.php_image(settings, key)
    lines = image.dockerfile.splitlines()
    assert f"FROM {web.base_image(settings, spec.debian)}" in lines
    assert image.base == f"pic/debian:{spec.debian}"  # the example stack pins no base
    runs = dockerfile_run_bodies(image.dockerfile)
    assert len(runs) == 1, "one layer: every instruction copies the image on the vfs driver"
    shellcheck(f"#!/bin/sh\n{runs[0]}\n", tmp_path, "run.sh", exclude=RUN_EXCLUDES)
    for ext in ("mysql", "gd", "intl", "zip", "mbstring", "xml", "curl", "bcmath", "imagick"):
        assert f" php{key}-{ext}" in runs[0], ext
    assert "> /etc/php/" + key + "/mods-available/pic.ini;" in runs[0]
    for sapi in ("apache2", "cli"):
        assert f"/etc/php/{key}/{sapi}/conf.d/90-pic.ini;" in runs[0]
    assert "extension_loaded" in runs[0] and "'Zend OPcache'" in runs[0] and " exif " in runs[0]
    assert (f"php{key}-opcache" in runs[0]) == (key != "8.5")
    assert f"libapache2-mod-php{key}" in runs[0]
    assert f"= {key};" in runs[0], "the build checks the PHP version it installed"
    assert "Listen 8080" in runs[0]
    if spec.apt_source is None:
        assert "sources.list.d" not in runs[0]
    else:
        assert f"grep -q '^fpr:::::::::{spec.apt_source.fingerprint}:$'" in runs[0]
        assert f"{spec.apt_source.url} {spec.debian} main" in runs[0]


def test_a_runtime_without_an_extension_neither_installs_nor_expects_it(example: tuple[Settings, Registry]) -> None:
    settings = example[0]
    runtimes = dict(settings.runtimes)
    runtimes["7.4"] = runtimes["7.4"].model_copy(update={"without_extensions": ["bcmath"]})
    packages, modules = web.php_extensions(settings.model_copy(update={"runtimes": runtimes}), "7.4")
    assert "bcmath" not in packages and "bcmath" not in modules
    assert "imagick" in packages and "imagick" in modules
    full, _ = web.php_extensions(settings, "7.4")
    assert full == [*packages[:-2], "bcmath", *packages[-2:]]


def test_runtime_tag_follows_the_settings(example: tuple[Settings, Registry]) -> None:
    settings = example[0]
    tag = web.php_image(settings, "8.3").tag
    assert tag == web.php_image(settings, "8.3").tag
    assert tag.startswith("pic/php:8.3-")
    pinned = settings.model_copy(update={"base_images": {"bookworm": "sha256:" + "1" * 64}})
    assert web.php_image(pinned, "8.3").tag != tag
    assert web.php_image(pinned, "8.3").dockerfile.splitlines()[2] == "FROM sha256:" + "1" * 64
    assert web.php_image(pinned, "8.4").tag == web.php_image(settings, "8.4").tag, "trixie's runtimes unchanged"
    runtimes = dict(settings.runtimes)
    runtimes["8.3"] = runtimes["8.3"].model_copy(update={"apt_source": None})
    assert web.php_image(settings.model_copy(update={"runtimes": runtimes}), "8.3").tag != tag


@pytest.mark.parametrize("which", ["php", "caddy", "phpmyadmin"])
def test_build_script_passes_shellcheck(example: tuple[Settings, Registry], tmp_path: Path, which: str) -> None:
    settings = example[0]
    image = {
        "php": lambda: web.php_image(settings, "8.3"),
        "caddy": lambda: web.caddy_image(settings),
        "phpmyadmin": lambda: web.phpmyadmin_image(settings),
    }[which]()
    script = web.render_image_build_script(image)
    shellcheck(script, tmp_path, "build.sh")
    # The Dockerfile travels verbatim inside a quoted heredoc.
    body = script.split("<<'PIC_DOCKERFILE_EOF'\n", 1)[1].split("PIC_DOCKERFILE_EOF\n", 1)[0]
    assert body == image.dockerfile
    for run in dockerfile_run_bodies(image.dockerfile):
        shellcheck(f"#!/bin/sh\n{run}\n", tmp_path, "run.sh", exclude=RUN_EXCLUDES)


# --- accounts, sshd, host ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["amis-du-rhone", "velo-cite", "cine-club-lumiere", "amicale-laique-ainay"])
def test_member_space_script_passes_shellcheck(example: tuple[Settings, Registry], slug: str, tmp_path: Path) -> None:
    """The space script and its end (components.member_space runs the two in one shell, the keys written between)."""
    settings, registry = example
    member = registry.get(slug)
    script = web.render_member_space_script(member, settings) + web.render_member_sessions_end(member)
    shellcheck(script, tmp_path, f"{slug}.sh")


def test_sshd_config_passes_sshd_t(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    exe = require_program("sshd")
    Path("/run/sshd").mkdir(exist_ok=True)
    key = tmp_path / "host_key"
    run_ok(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], "ssh-keygen")
    settings = with_ssh_port(example[0], "web1", 2222)
    text = web.render_sshd_config(settings, "web1", host_keys=[str(key)])
    assert "Port 2222\n" in text
    conf = tmp_path / "sshd_config"
    conf.write_text(text)
    run_ok([exe, "-t", "-f", str(conf)], "sshd -t")
    # The prod file: everything but the host keys, which exist only on a host.
    prod = web.render_sshd_config(example[0], "web1")
    assert "PasswordAuthentication no" in prod
    assert "AuthenticationMethods publickey" in prod
    assert "ChrootDirectory /srv/members/%u" in prod
    assert "ForceCommand internal-sftp" in prod
    assert "DenyGroups pic-locked" in prod


def with_ssh_port(settings: Settings, host: str, port: int) -> Settings:
    hosts = {**settings.hosts, host: settings.hosts[host].model_copy(update={"ssh_port": port})}
    return settings.model_copy(update={"hosts": hosts})


def test_firewall_and_sshd_share_the_ssh_port(example: tuple[Settings, Registry]) -> None:
    settings = with_ssh_port(example[0], "web1", 2201)
    assert "\nPort 2201\n" in "\n" + web.render_sshd_config(settings, "web1")
    assert "tcp dport { 2201, 80, 443 } accept" in web.render_web_host_setup(settings, "web1")
    assert "Port 22\n" in web.render_sshd_config(example[0], "web1")


def test_sshd_install_script(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    config = web.render_sshd_config(example[0], "web1")
    script = web.render_sshd_install_script(config)
    shellcheck(script, tmp_path, "sshd-install.sh")
    assert config in script
    assert script.index('sshd -t -f "$new"') < script.index('mv -f "$new" "$target"')


@pytest.mark.parametrize("stack", ["prod", "dev"])
def test_web_host_setup_passes_shellcheck(stack: str, tmp_path: Path) -> None:
    settings = check(ROOT, stack, MEMBERS, ON).settings
    script = web.render_web_host_setup(settings, "web1")
    shellcheck(script, tmp_path, "setup.sh")
    assert ("docker.io" in script) == (stack == "prod")
    assert "flush ruleset" not in script, "would wipe Docker's own rules"


@pytest.mark.daemon
def test_mail_leaves_a_web_host_through_its_relay_only(tmp_path: Path) -> None:
    """The firewall refuses SMTP (port 25) from the sites' network to anywhere but the relay (an input of the
    host, not forwarded) and from the members' uids on the host (a shell of ssh: true, to an MX or to Postfix
    over loopback, which trusts the host's own jobs): their mail would pass none of the relay's rules. The
    ruleset is read by the real nft (-c: checked, never applied)."""
    from pic.registry import UID_MAX, UID_MIN
    from pic.render import sitemail

    nft = require_program("nft")
    settings = check(ROOT, "prod", MEMBERS, ON).settings
    for host in settings.web_hosts:
        setup = web.render_web_host_setup(settings, host)
        rules = setup.split("<<'PIC_NFT_EOF'\n", 1)[1].split("PIC_NFT_EOF\n", 1)[0]
        rules = rules.replace('include "/etc/nftables.d/pic-isolation.nft"\n', "")
        lines = [line.strip() for line in rules.splitlines()]
        forward = lines[lines.index("type filter hook forward priority filter; policy accept;") :]
        assert forward[1] == f"ip saddr {web.NETWORK_SUBNET} tcp dport {sitemail.RELAY_PORT} reject with tcp reset"
        output = lines[lines.index("type filter hook output priority filter; policy accept;") :]
        assert output[1] == f"meta skuid {UID_MIN}-{UID_MAX} tcp dport {sitemail.RELAY_PORT} reject with tcp reset"
        # the relay itself stays open to the sites: an input of the host
        relay = f"ip saddr {web.NETWORK_SUBNET} ip daddr {sitemail.RELAY_ADDRESS} tcp dport {sitemail.RELAY_PORT}"
        assert f"{relay} accept" in lines
        path = tmp_path / f"{host}.nft"
        path.write_text(rules)
        done = subprocess.run([nft, "-c", "-f", str(path)], capture_output=True, text=True, check=False)
        if done.returncode != 0 and "Operation not permitted" in done.stderr:
            require_root("nft -c needs CAP_NET_ADMIN")
        assert done.returncode == 0, done.stderr


def test_proxy_reload_script(tmp_path: Path) -> None:
    one, two = web.render_proxy_reload_script("a {\n}\n"), web.render_proxy_reload_script("b {\n}\n")
    shellcheck(one, tmp_path, "reload.sh")
    assert one != two, "a new Caddyfile must change the reload script so that it runs again"
    # Run it with a stand-in docker CLI: reload when the proxy runs, nothing otherwise.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "docker"
    stub.write_text('#!/bin/sh\necho "docker $*" >> "$CALLS"\n[ "$1" = inspect ] && echo "$RUNNING"\nexit 0\n')
    stub.chmod(0o755)
    calls = tmp_path / "calls"
    for running, expected in (("true", 2), ("false", 1)):
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CALLS": str(calls), "RUNNING": running}
        proc = subprocess.run(["sh", "-eu", "-s"], input=one, text=True, capture_output=True, env=env, check=False)
        assert proc.returncode == 0, proc.stderr
        log = calls.read_text().splitlines()
        calls.unlink()
        assert len(log) == expected, log
        if running == "true":
            # --force: a renewed certificate must be read although the Caddyfile did not change.
            assert log[1] == (
                "docker exec pic-proxy caddy reload --force --config /etc/caddy/Caddyfile --adapter caddyfile"
            )


def test_phpmyadmin_config_is_valid_php(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    exe = require_program("php")
    for ca in (None, "/etc/phpmyadmin/db-ca.pem"):
        path = tmp_path / "config.user.inc.php"
        text = web.render_phpmyadmin_config(example[0], ca_file=ca)
        path.write_text(text)
        run_ok([exe, "-l", str(path)], "php -l")
        assert "'host'] = '10.0.0.10'" in text
        assert "['ssl'] = true" in text
        assert ("ssl_verify'] = true" in text) == (ca is not None)


def test_authorized_keys_only_for_active_members(example: tuple[Settings, Registry]) -> None:
    registry = example[1]
    assert web.render_authorized_keys(registry.get("velo-cite")).count("\n") == 2
    assert "ssh-" not in web.render_authorized_keys(registry.get("cine-club-lumiere"))


STRETCH_SOURCES = """deb http://deb.debian.org/debian stretch main
deb http://security.debian.org/debian-security stretch/updates main
deb http://deb.debian.org/debian stretch-updates main
"""

# Stand-ins for the image's tools: apt-get fails like an archived release does until apt
# points at archive.debian.org with Check-Valid-Until off; every call is logged.
APT_STUB = """#!/bin/sh
echo "apt-get $*" >> "$CALLS"
if [ "$1" = update ] || [ "$3" = update ]; then
    grep -q 'deb.debian.org\\|security.debian.org' "$SOURCES" && exit 100
    [ "$1" = -o ] && [ "$2" = Acquire::Check-Valid-Until=false ] || exit 100
fi
exit 0
"""
TOOL_STUB = """#!/bin/sh
echo "$(basename "$0") $*" >> "$CALLS"
"""


def test_sshd_install_script_never_installs_a_bad_config(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    """Run the install script for real against a file of the test, with systemctl stood in for."""
    sshd = require_program("sshd")
    Path("/run/sshd").mkdir(exist_ok=True)
    key = tmp_path / "host_key"
    run_ok(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], "ssh-keygen")
    target = tmp_path / "sshd_config"
    target.write_text("# the config in place\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "systemctl"
    stub.write_text('#!/bin/sh\necho "systemctl $*" >> "$CALLS"\n')
    stub.chmod(0o755)
    calls = tmp_path / "calls"
    env = {"PATH": f"{bin_dir}:{Path(sshd).parent}:/usr/bin:/bin", "CALLS": str(calls)}

    def install(config: str) -> subprocess.CompletedProcess[str]:
        script = web.render_sshd_install_script(config, target=str(target))
        return subprocess.run(["sh", "-eu", "-s"], input=script, text=True, capture_output=True, env=env, check=False)

    bad = web.render_sshd_config(example[0], "web1", host_keys=[str(key)]) + "NoSuchOption yes\n"
    proc = install(bad)
    assert proc.returncode != 0
    assert target.read_text() == "# the config in place\n"
    assert not calls.exists(), "sshd was reloaded after a refused config"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("sshd_config.pic.")) == []

    good = web.render_sshd_config(example[0], "web1", host_keys=[str(key)])
    proc = install(good)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text() == good
    assert calls.read_text() == "systemctl reload ssh\n"
    proc = install(good)  # unchanged: nothing to reload
    assert proc.returncode == 0, proc.stderr
    assert calls.read_text() == "systemctl reload ssh\n"


DOCKER_STUB = """#!/bin/sh
echo "docker $*" >> "$CALLS"
if [ "$1" = image ]; then
    case "$3" in
    pic/debian:*) [ -n "${HAVE_BASE:-}" ] ;;
    *) [ -n "${HAVE_IMAGE:-}" ] ;;
    esac
    exit
fi
if [ "$1" = build ]; then
    for last; do :; done
    cp "$last/Dockerfile" "$SEEN"
fi
"""


def test_build_script_builds_once(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    """Run the runtime build script for real with a stand-in for the docker CLI."""
    image = web.php_image(example[0], "8.4")
    tag = image.tag
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(DOCKER_STUB)
    (bin_dir / "docker").chmod(0o755)
    calls, seen = tmp_path / "calls", tmp_path / "Dockerfile.seen"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CALLS": str(calls), "SEEN": str(seen)}
    script = web.render_image_build_script(image)

    def build(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["sh", "-eu", "-s"], input=script, text=True, capture_output=True, env={**env, **extra}, check=False
        )

    proc = build()
    assert proc.returncode == 1
    assert "build it with scripts/build-base-image trixie" in proc.stderr
    assert not seen.exists()
    calls.unlink()
    proc = build(HAVE_BASE="1", http_proxy="http://127.0.0.1:3142")
    assert proc.returncode == 0, proc.stderr
    log = calls.read_text().splitlines()
    assert log[:2] == [f"docker image inspect {tag}", "docker image inspect pic/debian:trixie"]
    assert log[2].startswith(f"docker build --network host --build-arg http_proxy=http://127.0.0.1:3142 --tag {tag} /")
    assert seen.read_text() == image.dockerfile
    calls.unlink()
    proc = build(HAVE_BASE="1", HAVE_IMAGE="1")
    assert proc.returncode == 0, proc.stderr
    assert calls.read_text().splitlines() == [f"docker image inspect {tag}"]
