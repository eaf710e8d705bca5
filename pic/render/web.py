"""Rendering for the web hosts: front proxy, member vhost, sshd, runtime images, scripts.

Pure functions from settings and members to text. The prod paths and ports
are defaults; tests pass their own (free ports, temporary directories) and
otherwise read the very same text the hosts receive.

Also here, because the renderers and the components must agree on it: which
members run a site (:func:`pic.eol.site_state`), the names of containers and paths,
and the container limits of a member.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pic import charsets, eol, names, phpini
from pic.registry import UID_MAX, UID_MIN, Member, Registry
from pic.render import render
from pic.render.db import ENDPOINT_PORT
from pic.settings import DNS_PORT, PLATFORM_DIR, PLATFORM_SUBNET, Settings, not_a_web_host, version_key

# Inside a site container: the member's directories are mounted under this root.
SITE_ROOT = "/srv/site"
SITE_PORT = 8080
# The platform's names live in pic.names (one table, checked against every member's names).
NETWORK = names.NETWORK
PROXY_CONTAINER = names.PROXY_CONTAINER
PHPMYADMIN_CONTAINER = names.PHPMYADMIN_CONTAINER
GROUP_SFTP = names.GROUP_SFTP
GROUP_SSH = names.GROUP_SSH
GROUP_LOCKED = names.GROUP_LOCKED
# The subnet of the platform's network: the sites trust X-Forwarded-For from it only.
NETWORK_SUBNET = PLATFORM_SUBNET
# Docker hands out addresses from the upper half; the lower half holds the fixed ones (the proxy's, phpMyAdmin's).
NETWORK_DYNAMIC = "172.30.128.0/17"
# The host's own address on that network, set as the network's gateway (without it Docker takes
# the first address of NETWORK_DYNAMIC): the database endpoint of the sites listens there
# (pic.render.db.SITE_DB_HOST in the containers).
NETWORK_GATEWAY = "172.30.0.1"
PROXY_ADDRESS = "172.30.0.2"
PHPMYADMIN_ADDRESS = "172.30.0.3"
BASE_IMAGE = "pic/debian"
# Where the mail host's Postfix receives the lists' mail from the Internet (RFC 5321).
SMTP_PORT = 25
# On the web host.
CADDY_DIR = "/etc/pic/caddy"
CADDY_DATA = f"{PLATFORM_DIR}/caddy/data"
CADDY_CONFIG = f"{PLATFORM_DIR}/caddy/config"
# Members' certificates (<dir>/<slug>/fullchain.pem, privkey.pem) and the ACME HTTP-01
# webroot: both on the host, mounted read only into the proxy at the same paths.
CERTS_DIR = "/etc/pic/certs"
ACME_WEBROOT = f"{PLATFORM_DIR}/acme"
CERT_FILE = "fullchain.pem"
KEY_FILE = "privkey.pem"
# Members' public keys, root's (the member cannot add one): <dir>/<slug>, written by <slug>-space.
KEYS_DIR = "/etc/pic/ssh/keys"
# Where <slug>-keys wrote them before: sshd reads it too, so that a stack from that layout keeps its
# members' access while its one `pulumi up` rewrites the keys here and then deletes the former files
# (components.member_space). Empty once every stack has run that `pulumi up`.
FORMER_KEYS_DIR = "/etc/pic/ssh/authorized_keys"
SSHD_CONFIG = "/etc/ssh/sshd_config"
MEMBER_DIRS = ("www", "priv", "db", "log")
STAGING_CA = "https://acme-staging-v02.api.letsencrypt.org/directory"
# Strict-Transport-Security max-age (seconds) the proxy sends for https sites: a browser that saw it
# keeps to https for the site's names that long after its last visit (RFC 6797).
HSTS_MAX_AGE = 31_536_000


def members_on(registry: Registry | Iterable[Member], host: str) -> list[Member]:
    """The members placed on web host ``host``, in slug order."""
    return [m for m in registry if m.host == host]


def runtimes_in_use(registry: Registry | Iterable[Member], settings: Settings, host: str, on: dt.date) -> list[str]:
    """Runtime keys that run at least one site on ``host`` on day ``on``, oldest first."""
    keys = {
        m.runtime
        for m in members_on(registry, host)
        if m.runtime is not None and eol.site_state(m, settings, on) == "running"
    }
    return sorted((k for k in keys if k is not None), key=version_key)


def needs_certificate(member: Member) -> bool:
    """Whether a member gets a certificate: an https site that is not archived.

    Suspended members and refused sites keep theirs: the proxy answers 503 over https.
    """
    return member.site is not None and member.site.https and member.status != "archived"


def keeps_certificate(member: Member) -> bool:
    """Whether a member's certificate stays declared: any https site, archived ones too.

    An archived member's certificate is kept (not loaded by the proxy), so that making the member
    active again reuses its key and certificate instead of issuing new ones.
    """
    return member.site is not None and member.site.https


def cert_dir(slug: str, certs_dir: str = CERTS_DIR) -> str:
    return f"{certs_dir}/{slug}"


def cert_paths(slug: str, certs_dir: str = CERTS_DIR) -> tuple[str, str]:
    """(certificate chain, private key) of a member, where the proxy loads them."""
    base = cert_dir(slug, certs_dir)
    return f"{base}/{CERT_FILE}", f"{base}/{KEY_FILE}"


def site_container_name(slug: str) -> str:
    return f"pic-site-{slug}"


def member_path(settings: Settings, slug: str, sub: str = "") -> str:
    base = f"{settings.members_root}/{slug}"
    return f"{base}/{sub}" if sub else base


@dataclass(frozen=True)
class Limits:
    memory_mb: int
    cpus: float
    pids: int


def member_limits(member: Member, settings: Settings) -> Limits:
    """The stack's container limits, with the member's own ``limits:`` taking precedence."""
    base, own = settings.limits, member.spec.limits
    if own is None:
        return Limits(base.memory_mb, base.cpus, base.pids)
    return Limits(
        own.memory_mb if own.memory_mb is not None else base.memory_mb,
        own.cpus if own.cpus is not None else base.cpus,
        own.pids if own.pids is not None else base.pids,
    )


SITES_DIR = "/etc/pic/site-facts"  # formerly /etc/pic/sites, where <slug>-site-facts wrote them


def site_labels(member: Member, settings: Settings) -> dict[str, str]:
    """The labels of a member's site container: what it is, nothing that may change while it runs.

    A container's labels cannot change without replacing it (terraform-provider-docker marks them
    ForceNew), so the facts that routine edits change (domains, https, end of life, exception) are in
    :func:`site_facts` instead, placed next to the container.
    """
    if member.site is None:
        raise ValueError(f"{member.file}: member {member.slug} has no site")
    return {"pic.member": member.slug, "pic.role": "site", "pic.php": member.runtime or "none"}


def site_facts(member: Member, settings: Settings) -> dict[str, str]:
    """What the plan and the policy pack read of a running site: its labels plus domains, https,
    end of life of its runtime and exception (README "Resources")."""
    site = member.site
    if site is None:
        raise ValueError(f"{member.file}: member {member.slug} has no site")
    key = member.runtime
    exc = member.spec.exceptions.php_eol
    return {
        **site_labels(member, settings),
        "pic.php.eol": settings.runtimes[key].eol.isoformat() if key else "",
        "pic.php.exception_until": exc.until.isoformat() if exc is not None else "",
        "pic.https": "true" if site.https else "false",
        "pic.domains": ",".join(site.domains),
    }


def render_site_facts(member: Member, settings: Settings) -> str:
    """The site's facts as the JSON file ``/etc/pic/site-facts/<slug>.json`` on its web host."""
    return json.dumps(site_facts(member, settings), indent=2, sort_keys=True) + "\n"


def site_facts_path(slug: str) -> str:
    return f"{SITES_DIR}/{slug}.json"


def move_copies(settings: Settings, member: Member, letsencrypt_dir: str = "/etc/letsencrypt") -> list[tuple[str, str]]:
    """What a move copies between web hosts, as (source, destination directory) in rsync's terms: the
    member's space, its certificate files and, with ACME, its certbot lineage and renewal settings
    (certbot keeps a lineage it finds: ``--keep-until-expiring``, so the new host issues nothing)."""
    dirs = [member_path(settings, member.slug)]
    files: list[str] = []
    if keeps_certificate(member):
        dirs.append(cert_dir(member.slug))
        if settings.tls.ca != "internal":
            dirs += [f"{letsencrypt_dir}/{sub}/{member.slug}" for sub in ("live", "archive")]
            files.append(f"{letsencrypt_dir}/renewal/{member.slug}.conf")
    return [(f"{d}/", f"{d}/") for d in dirs] + [(f, f.rsplit("/", 1)[0] + "/") for f in files]


def render_move_script(settings: Settings, member: Member, target: str) -> str:
    """The shell script that copies a member's space from its host to web host ``target`` (rsync over ssh).

    Raises ValueError when ``target`` is not a web host of the stack, is a host of ``connection: local``
    (the admin's own machine, where every host of such a stack is, README "Settings": the space is there
    already), or is the member's host already (the script is rendered from the files before the change
    that moves the member: on the branch that sets ``host: <target>``, the source host is no longer known).
    With ACME, the certbot lineage and its renewal settings are copied (README "Moving a member to another web host").
    """
    if target not in settings.web_hosts:
        raise ValueError(f"{target!r} {not_a_web_host(settings, target)}")
    source = member.host
    if source == target:
        raise ValueError(
            f"{member.file}: member {member.slug} is on {target} already; the copy is made before the change "
            f"that moves it: run pic move-script where the member is still on the host it leaves (its file's host:, "
            f"or pic:default_web_host for a file that names none), in a checkout of the target branch, or with "
            f"--members and --project of those files"
        )
    src, dst = settings.hosts[source], settings.hosts[target]
    if dst.connection == "local":
        raise ValueError(
            f"{target!r} is a host of connection: local, the admin's own machine, as every host of stack "
            f"{settings.stack} is: the member's space is there already and stays; nothing to copy"
        )
    return render(
        "move-member.sh.j2",
        slug=member.slug,
        source=source,
        target=target,
        src_login=f"{src.ssh_user}@{src.address}",
        dst_login=f"{dst.ssh_user}@{dst.url_host}",  # rsync's target: user@host:path
        dst_ssh=f"{dst.ssh_user}@{dst.address}",  # ssh's: it reads user@[2001:db8::12] as a host named [2001:db8::12]
        src_port=src.ssh_port,
        dst_port=dst.ssh_port,
        target_address=dst.address,
        copies=move_copies(settings, member),
        # an archived member's site is no longer served: no DNS to point at the target (README "A member's space")
        domains=member.site.domains if member.site is not None and member.status != "archived" else [],
        archived=member.site is not None and member.status == "archived",
    )


# --- front proxy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    slug: str
    addresses: list[str]
    https: bool
    state: eol.SiteState
    upstream: str
    tls: tuple[str, str] | None  # the member's certificate and key files (https sites)
    http_addresses: list[str]  # https sites: http, for ACME challenges and the redirect
    stopped: bool = False  # a refused site's runtime is stopped (pic:runtimes.<key>.stopped), not past its end of life


def render_caddyfile(
    settings: Settings,
    members: Iterable[Member],
    extra_blocks: Sequence[str] = (),
    *,
    on: dt.date,
    http_port: int = 80,
    https_port: int = 443,
    admin: str = "localhost:2019",
    storage: str | None = None,
    bind: str | None = None,
    upstreams: Mapping[str, str] | None = None,
    certs_dir: str = CERTS_DIR,
    acme_webroot: str = ACME_WEBROOT,
) -> str:
    """The front proxy's Caddyfile: one site block per member listing all its domains.

    An https member's block loads its one certificate from
    ``<certs_dir>/<slug>/`` (Caddy manages no member certificate); its http
    block serves ``/.well-known/acme-challenge/`` from ``acme_webroot`` and
    redirects the rest to https. Archived members and members without a site
    get no block; suspended members and refused sites (runtime stopped or
    past end of life) answer 503. ``extra_blocks`` (phpMyAdmin, the lists' web
    interface) are appended as given. ``upstreams`` maps a slug to
    ``host:port`` (tests); the default is the member's container on the
    host's network.
    """
    blocks = []
    for m in members:
        state = eol.site_state(m, settings, on)
        if m.site is None or state in ("none", "archived"):
            continue
        https = m.site.https
        upstream = (upstreams or {}).get(m.slug, f"{site_container_name(m.slug)}:{SITE_PORT}")
        blocks.append(
            _Block(
                m.slug,
                [("" if https else "http://") + d for d in m.site.domains],
                https,
                state,
                upstream,
                cert_paths(m.slug, certs_dir) if https else None,
                [f"http://{d}" for d in m.site.domains] if https else [],
                state == "refused" and m.runtime in settings.runtimes and settings.runtimes[m.runtime].stopped,
            )
        )
    return render(
        "Caddyfile.j2",
        tls=settings.tls,
        staging_ca=STAGING_CA,
        hsts_max_age=HSTS_MAX_AGE,
        http_port=http_port,
        https_port=https_port,
        admin=admin,
        storage=storage,
        bind=bind,
        blocks=blocks,
        acme_webroot=acme_webroot,
        redirect_port="" if https_port == 443 else f":{https_port}",
        extra_blocks=[b.strip() for b in extra_blocks],
    )


def render_phpmyadmin_block(settings: Settings, *, upstream: str | None = None, bind: str | None = None) -> str:
    """The front proxy's site block for phpMyAdmin (an extra block of :func:`render_caddyfile`)."""
    if settings.phpmyadmin is None:
        raise ValueError(f"stack {settings.stack}: pic:phpmyadmin is not set")
    return render(
        "caddy-phpmyadmin.j2",
        domain=settings.phpmyadmin.domain,
        upstream=upstream or f"{PHPMYADMIN_CONTAINER}:80",
        bind=bind,
    )


def render_static_caddyfile(
    *, root: str = SITE_ROOT, port: int = SITE_PORT, bind: str | None = None, charset: str | None = None
) -> str:
    """The Caddyfile of a static site's own container (``php: none``): files of www/, logs in log/.

    ``charset`` (``site.charset``): what the ``charset`` parameter of text files' Content-Type says
    in place of Caddy's ``utf-8``; ``"none"`` drops the parameter (the page's own ``<meta charset>``
    then decides); None, or ``utf-8`` itself, keeps ``utf-8`` (the same file: writing the default in the
    member file, or removing it, changes nothing, where a changed file replaces the site's container).
    """
    if charset is not None and charset != "none" and charset not in charsets.CHARSETS:
        raise ValueError(f"charset {charset!r} is not one of pic.charsets.CHARSETS")
    if charset == charsets.STATIC_DEFAULT:
        charset = None
    return render("Caddyfile-static.j2", root=root, port=port, bind=bind, charset=charset)


# --- PHP sites --------------------------------------------------------------------------------


def php_module(key: str) -> str:
    """The Apache module name of mod_php for a PHP version (php5_module, php7_module, php_module)."""
    major = version_key(key)[0]
    return f"php{major}_module" if major < 8 else "php_module"


def render_member_vhost(
    member: Member, *, root: str = SITE_ROOT, port: int = SITE_PORT, trusted_proxy: str = NETWORK_SUBNET
) -> str:
    """The Apache virtual host of a member's PHP container: www/ served, priv/ readable, logs in log/."""
    site, key = member.site, member.runtime
    if site is None or key is None:
        raise ValueError(f"{member.file}: member {member.slug} has no PHP site")
    return render(
        "member-vhost.conf.j2",
        slug=member.slug,
        root=root,
        port=port,
        php_module=php_module(key),
        trusted_proxy=trusted_proxy,
        runtime=key,
        php_settings=[
            ("php_admin_flag" if isinstance(v, bool) else "php_admin_value", k, phpini.ini_value(v))
            for k, v in sorted(site.php_settings.items())
        ],
    )


# PHP's command line runs without time limits whatever an ini file says (PHP manual, "Command line
# usage": overridden settings); a cron job's limit is its timeout (pic.render.cron).
CLI_OVERRIDDEN = frozenset({"max_execution_time", "max_input_time"})


def member_cli_ini_path(key: str) -> str:
    """Where, in a site container of runtime ``key``, PHP's command line reads the member's settings."""
    return f"/etc/php/{key}/cli/conf.d/95-pic-member.ini"


def render_member_cli_ini(member: Member) -> str | None:
    """The member's ``php_settings`` for PHP's command line in its container (cron jobs, ``docker exec``).

    The vhost's ``php_admin_*`` lines reach Apache's PHP only; without this file a member's jobs
    would run with the image's defaults (``memory_limit`` 128M, ``date.timezone`` UTC). php.ini syntax:
    flags On/Off, every other value double-quoted (PHP manual, "The configuration file"). None
    for a member without settings (the image's defaults hold); the time limits are left out
    (:data:`CLI_OVERRIDDEN`).
    """
    site = member.site
    if site is None or member.runtime is None or not site.php_settings:
        return None
    lines = [f"; The php_settings of {member.slug}'s member file, for PHP's command line: rendered by pic."]
    for key, value in sorted(site.php_settings.items()):
        if key in CLI_OVERRIDDEN:
            continue
        text = ("On" if value else "Off") if isinstance(value, bool) else f'"{value}"'
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


def php_extensions(settings: Settings, key: str) -> tuple[list[str], list[str]]:
    """The Debian packages of runtime ``key``'s extensions, and the PHP modules its build checks are loaded.

    The list of :data:`pic.phpini.EXTENSIONS` less ``without_extensions``, plus OPcache (a package
    from 5.5 on, part of PHP itself from 8.5 on) and exif (in php<version>-common).
    """
    spec = settings.runtimes[key]
    major, minor = version_key(key)[:2]
    packages = [p for p in phpini.EXTENSIONS if p not in spec.without_extensions]
    modules = [m for p in packages for m in phpini.EXTENSIONS[p]] + list(phpini.BUILTIN_MODULES)
    if (5, 5) <= (major, minor) < (8, 5):
        packages.append("opcache")
    if (major, minor) >= (5, 5):
        modules.append("Zend OPcache")
    return packages, modules


# Inside a site container: PHP's own error log and sessions (the container's /tmp is its own).
PHP_ERROR_LOG = f"{SITE_ROOT}/log/php-error.log"
PHP_SESSION_DIR = "/tmp/sessions"  # noqa: S108 - the container's own tmpfs, a directory of mode 0700


def render_php_ini(key: str) -> str:
    """The runtime images' ``conf.d/90-pic.ini`` (apache2 and CLI): production defaults of :mod:`pic.phpini`."""
    return render(
        "php-pic.ini.j2",
        key=key,
        root=SITE_ROOT,
        error_log=PHP_ERROR_LOG,
        session_dir=PHP_SESSION_DIR,
        defaults=phpini.DEFAULTS,
        opcache_mb=phpini.OPCACHE_MB,
    )


@dataclass(frozen=True)
class ImageBuild:
    """An image of the platform, built on a web host from a Dockerfile that needs no context."""

    tag: str
    base: str
    debian: str
    dockerfile: str


def base_image(settings: Settings, release: str) -> str:
    """What a Dockerfile builds FROM for a Debian release: the pinned image ID, or ``pic/debian:<release>``."""
    return settings.base_images.get(release, f"{BASE_IMAGE}:{release}")


def _image(name: str, debian: str, base: str, dockerfile: str) -> ImageBuild:
    # The tag is a hash of the whole Dockerfile, base image ID included: same settings, same tag.
    digest = hashlib.sha256(dockerfile.encode()).hexdigest()[:12]
    return ImageBuild(f"pic/{name}-{digest}", base, debian, dockerfile)


def php_image(settings: Settings, key: str) -> ImageBuild:
    """The runtime image of PHP ``key``: Apache and mod_php from Debian's packages (or ``apt_source``).

    Tag ``pic/php:<key>-<12 hex>``. The build fails when the installed PHP is
    not version ``key``.
    """
    spec = settings.runtimes[key]
    packages, modules = php_extensions(settings, key)
    base = base_image(settings, spec.debian)
    text = render(
        "Dockerfile.php.j2",
        key=key,
        debian=spec.debian,
        base=base,
        apt_source=spec.apt_source,
        extensions=packages,
        port=SITE_PORT,
        log_dir=f"{SITE_ROOT}/log",
        php_ini=render_php_ini(key),
        modules=modules,
        session_dir=PHP_SESSION_DIR,
    )
    return _image(f"php:{key}", spec.debian, base, text)


def caddy_image(settings: Settings) -> ImageBuild:
    """The front proxy's image (also static sites'): Caddy from Debian ``pic:proxy.debian``."""
    base = base_image(settings, settings.proxy.debian)
    text = render("Dockerfile.caddy.j2", debian=settings.proxy.debian, base=base)
    return _image("caddy:2", settings.proxy.debian, base, text)


def phpmyadmin_image(settings: Settings) -> ImageBuild:
    """phpMyAdmin's image: Debian's phpmyadmin package of ``pic:phpmyadmin.debian``."""
    if settings.phpmyadmin is None:
        raise ValueError(f"stack {settings.stack}: pic:phpmyadmin is not set")
    release = settings.phpmyadmin.debian
    base = base_image(settings, release)
    return _image("phpmyadmin:5", release, base, render("Dockerfile.phpmyadmin.j2", debian=release, base=base))


def render_image_build_script(image: ImageBuild) -> str:
    """Build an image on the host with its own engine; idempotent (skips an existing tag).

    Fails, naming scripts/build-base-image, when the base image is missing.
    """
    return render("image-build.sh.j2", tag=image.tag, base=image.base, debian=image.debian, dockerfile=image.dockerfile)


def debian_releases(settings: Settings) -> list[str]:
    """The Debian releases the stack's images are built on, sorted (:meth:`Settings.debian_releases`)."""
    return settings.debian_releases()


def logrotate_path(slug: str) -> str:
    """Where a member's logrotate rules go (formerly ``pic-member-<slug>``, written by ``<slug>-logrotate``)."""
    return f"/etc/logrotate.d/pic-site-{slug}"


def render_member_logrotate(member: Member, settings: Settings, *, log_dir: str | None = None) -> str:
    """logrotate rules for a member's log/, run as the member (never as root in its directory)."""
    return render("logrotate-member.j2", slug=member.slug, log_dir=log_dir or member_path(settings, member.slug, "log"))


# --- accounts, sshd, host setup ---------------------------------------------------------------


def member_groups(member: Member) -> str:
    """The supplementary group that decides the member's ssh access (see sshd_config.j2)."""
    if member.status != "active":
        return GROUP_LOCKED
    return GROUP_SSH if member.access.ssh else GROUP_SFTP


def render_member_space_script(
    member: Member, settings: Settings, *, keys_dir: str = KEYS_DIR, former_keys_dir: str = FORMER_KEYS_DIR
) -> str:
    """Create or update a member's unix account and its directories; never removes anything.

    Also notes, in ``$ended``, the access it takes away from an active member (its shell, a key sshd reads
    now in ``keys_dir`` or ``former_keys_dir`` that the member's keys no longer hold), which
    :func:`render_member_sessions_end`, run after the keys file is written, ends the sessions of.
    """
    active = member.status == "active"
    kept = [" ".join(key.split(" ", 2)[:2]) for key in member.access.sftp_keys]
    return render(
        "member-space.sh.j2",
        slug=member.slug,
        uid=member.uid,
        name=member.spec.name,
        root=settings.members_root,
        dirs=MEMBER_DIRS,
        shell="/bin/bash" if active and member.access.ssh else "/usr/sbin/nologin",
        group=member_groups(member),
        all_groups=(GROUP_SFTP, GROUP_SSH, GROUP_LOCKED),
        active=active,
        group_ssh=GROUP_SSH,
        shell_kept=member.access.ssh,
        kept_keys="".join(f"\n{k}" for k in kept) + "\n",
        keys_files=(f"{keys_dir}/{member.slug}", f"{former_keys_dir}/{member.slug}"),
    )


def render_member_sessions_end(member: Member) -> str:
    """The end of the member's space script: ends the member's processes in the host's PID namespace or in a
    user namespace of their own (its ssh and sftp sessions, what it left running from them) when
    :func:`render_member_space_script` found access taken away; never those of its site's container."""
    return render("member-sessions-end.sh.j2", slug=member.slug, uid=member.uid)


def render_authorized_keys(member: Member) -> str:
    """The member's keys as sshd reads them; empty unless the member is active."""
    if member.status != "active":
        return f"# {member.slug}: {member.status}, no login\n"
    return "".join(f"{key}\n" for key in member.access.sftp_keys) or f"# {member.slug}: no key yet\n"


def render_sshd_config(
    settings: Settings,
    host: str,
    *,
    listen: Sequence[str] = (),
    host_keys: Sequence[str] = ("/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"),
    pid_file: str = "/run/sshd.pid",
    keys_dir: str = KEYS_DIR,
    former_keys_dir: str | None = FORMER_KEYS_DIR,
    members_root: str | None = None,
) -> str:
    """The web host's whole sshd_config: keys only; members chrooted to sftp unless in the shell group.

    sshd listens on ``pic:hosts.<host>.ssh_port``, the port the host's firewall
    opens (:func:`render_web_host_setup`): one setting for both.
    """
    return render(
        "sshd_config.j2",
        port=settings.hosts[host].ssh_port,
        listen=listen,
        host_keys=host_keys,
        pid_file=pid_file,
        keys_dir=keys_dir,
        former_keys_dir=former_keys_dir,
        members_root=members_root or settings.members_root,
        group_sftp=GROUP_SFTP,
        group_ssh=GROUP_SSH,
        group_locked=GROUP_LOCKED,
    )


def render_sshd_install_script(config: str, *, target: str = SSHD_CONFIG) -> str:
    """Install an sshd_config only if ``sshd -t`` accepts it, then reload sshd."""
    return render("sshd-install.sh.j2", config=config, target=target)


def render_members_root_check(members_root: str) -> str:
    """The part of the host setup that makes every directory on the path of ``members_root`` safe for sshd.

    sshd (``ChrootDirectory``, sshd_config(5)) refuses a chroot whose path has a
    component not owned by root or writable by group or others: sftp would fail
    for every member. A root-owned component writable by group or others is
    fixed (``chmod go-w``, printed); one owned by another user, or a sticky
    shared directory, is refused (exit 1) with a message naming it.
    """
    return "#!/bin/sh\nset -eu\n" + render("_members-root-check.j2", members_root=members_root)


def render_host_cpus_check(host: str, cpus: int | None) -> str:
    """The part of the host setup that stops unless the host has the CPUs ``pic:hosts.<host>.cpus`` declares
    (``nproc``, the count Docker checks a container's limit against); nothing when it declares none."""
    return "#!/bin/sh\nset -eu\n" + render("_host-cpus-check.j2", host=host, cpus=cpus)


def render_site_isolation() -> str:
    """The nftables ruleset (bridge family) that keeps the containers of the platform's network apart.

    Only the front proxy talks to the sites: IPv4 between two other addresses
    of :data:`NETWORK_SUBNET` is dropped, bridged IPv6 too. Docker's own
    inter-container setting is not relied on (it needs Docker's iptables rules).
    """
    return render("site-isolation.nft.j2", network=NETWORK, subnet=NETWORK_SUBNET, proxy=PROXY_ADDRESS)


def nsd_addresses(settings: Settings, host: str) -> tuple[list[str], list[str]]:
    """The addresses NSD answers on at ``host`` (``pic:dns.listen``, each once, as the settings
    check), IPv4 then IPv6, compressed; none unless it serves zones there."""
    dns = settings.dns
    if dns.backend != "zonefile" or not dns.zones or host != settings.dns_server:
        return [], []
    addresses = {ipaddress.ip_address(text) for text in dns.listen}
    v4 = sorted(a for a in addresses if isinstance(a, ipaddress.IPv4Address))
    v6 = sorted(a for a in addresses if isinstance(a, ipaddress.IPv6Address))
    return [str(a) for a in v4], [str(a) for a in v6]


def render_web_host_setup(settings: Settings, host: str) -> str:
    """The base setup of a web host: Docker engine, firewall, directories, groups. Idempotent.

    The firewall lets in from outside ssh, http and https; SMTP on the mail host alone (the
    lists' mail); DNS over UDP and TCP to NSD's addresses on the DNS server alone
    (:func:`nsd_addresses`); nothing else.

    It first makes the path of ``members_root`` safe for sshd's chroot or stops
    (:func:`render_members_root_check`), before ``<h>-sshd`` installs and reloads sshd; and it stops
    when the host has fewer CPUs than ``pic:hosts.<host>.cpus`` says (:func:`render_host_cpus_check`).

    With an ACME CA (``pic:tls.ca`` letsencrypt or staging) it also installs
    certbot from Debian, its deploy hook, and the renewal (``pic-cert-renew.timer``
    in place of certbot.timer): renewals happen on the host, with no ``pulumi up``.
    On remote hosts it also installs the nightly disk usage measurement
    (:mod:`pic.render.disk`).
    """
    from pic import diskusage
    from pic.render import disk, sitemail, tls

    spec = settings.hosts[host]
    acme = settings.tls.ca != "internal"
    dns_v4, dns_v6 = nsd_addresses(settings, host)
    return render(
        "web-host-setup.sh.j2",
        host=host,
        cpus=spec.cpus,
        ssh_port=spec.ssh_port,
        smtp=host == settings.mail_host,
        smtp_port=SMTP_PORT,
        dns_v4=dns_v4,
        dns_v6=dns_v6,
        dns_port=DNS_PORT,
        members_root=settings.members_root,
        caddy_dir=CADDY_DIR,
        caddy_data=CADDY_DATA,
        caddy_config=CADDY_CONFIG,
        keys_dir=KEYS_DIR,
        groups=(GROUP_SFTP, GROUP_SSH, GROUP_LOCKED),
        local=spec.connection == "local",
        certs_dir=CERTS_DIR,
        acme_webroot=ACME_WEBROOT,
        acme=acme,
        deploy_hook=tls.DEPLOY_HOOK,
        deploy_hook_text=tls.render_cert_deploy_hook() if acme else "",
        renew_script=tls.RENEW_SCRIPT,
        renew_script_text=tls.render_cert_renew_script(settings) if acme else "",
        renew_units=tls.render_cert_renew_units(),
        lib_dir=tls.RENEW_SCRIPT.rsplit("/", 1)[0],
        disk_script=disk.SCRIPT,
        disk_script_text=disk.render_disk_usage_script(settings, host),
        disk_units=disk.render_disk_usage_units(settings),
        disk_output=diskusage.HOST_FILE,
        isolation=render_site_isolation(),
        network_subnet=NETWORK_SUBNET,
        network_gateway=NETWORK_GATEWAY,
        endpoint_port=ENDPOINT_PORT,
        subnet=NETWORK_SUBNET,
        relay=sitemail.RELAY_ADDRESS,
        relay_port=sitemail.RELAY_PORT,
        member_uids=f"{UID_MIN}-{UID_MAX}",
    )


def render_proxy_reload_script(
    caddyfile: str, *, container: str = PROXY_CONTAINER, certificates: Sequence[str] = ()
) -> str:
    """Reload the proxy after its Caddyfile or a certificate it loads changed.

    The hash of both is in the script, so that a change makes it run again;
    ``certificates`` are the PEM texts placed by Pulumi (internal CA).
    """
    h = hashlib.sha256(caddyfile.encode())
    for pem in certificates:
        h.update(b"\0" + pem.encode())
    return render("proxy-reload.sh.j2", container=container, digest=h.hexdigest())


def render_phpmyadmin_config(settings: Settings, *, ca_file: str | None) -> str:
    """phpMyAdmin's own settings (conf.d/pic.php): the db host over TLS, verified when a CA is given."""
    if settings.phpmyadmin is None:
        raise ValueError(f"stack {settings.stack}: pic:phpmyadmin is not set")
    db = settings.hosts[settings.db_host]
    return render(
        "phpmyadmin-config.php.j2",
        host=db.private_address,
        port=settings.db.port,
        ca_file=ca_file,
        domain=settings.phpmyadmin.domain,
    )


def phpmyadmin_host(settings: Settings) -> str | None:
    """The web host that runs phpMyAdmin, or None when the stack has none."""
    if settings.phpmyadmin is None:
        return None
    return settings.phpmyadmin.host or settings.default_host


def proxy_extra_blocks(settings: Settings) -> dict[str, list[str]]:
    """The extra site blocks of each web host's front proxy that the web part knows of (phpMyAdmin).

    Other parts append their own (the lists' web interface) before the proxies are built.
    """
    blocks: dict[str, list[str]] = {h: [] for h in settings.web_hosts}
    host = phpmyadmin_host(settings)
    if host is not None:
        blocks[host].append(render_phpmyadmin_block(settings))
    return blocks
