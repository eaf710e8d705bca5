"""The script that retires a member from the web host it left (``pic move-script SLUG --retire-from HOST``).

A move (README "Moving a member to another web host") runs the member's commands on the new
host: ``pulumi up`` updates them there, and no delete step runs on the former host. There the
member's keys, account, cron timers, log rotation, site facts, mail settings and certbot's
renewal of its certificate would stay live: the member could still log in to a stale copy of
its space (with a key removed since), its timers would fire into a container that is gone, and
certbot would try to renew names that now point elsewhere. This script, run once the site
answers from its new host, ends all of that on the former one, with the same steps as the
delete scripts of the member's commands (components.member_space, member_site's cron,
member_credentials), and locks the account. The member's files and certificate files stay
until an admin removes them by hand.
"""

from __future__ import annotations

import shlex

from pic.registry import Member
from pic.render import cron, render, sitemail, web
from pic.settings import Settings, not_a_web_host


def render_retire_script(
    settings: Settings, member: Member, former: str, letsencrypt_dir: str = "/etc/letsencrypt"
) -> str:
    """The shell script that retires ``member`` from web host ``former``, run from the admin's machine over ssh.

    Raises ValueError when ``former`` is not a web host of the stack, is the member's host in the
    registry (its commands run there: retiring it would cut the live site's access), or is a host of
    ``connection: local``: the admin's own machine, where every host of such a stack is (README "Settings"),
    so the member's account and keys there are those of its new host too.
    """
    if former not in settings.web_hosts:
        raise ValueError(f"{former!r} {not_a_web_host(settings, former)}")
    if former == member.host:
        raise ValueError(
            f"{member.file}: member {member.slug} is on {former}: retire it from the host it left, once its "
            "file names the new one and pulumi up has run"
        )
    slug = member.slug
    host = settings.hosts[former]
    if host.connection == "local":
        raise ValueError(
            f"{former!r} is a host of connection: local, the admin's own machine, as every host of stack "
            f"{settings.stack} is: the member's account, keys and jobs there are the ones it keeps on "
            f"{member.host}; nothing to retire"
        )
    platform = [
        f"{web.KEYS_DIR}/{slug}",
        f"{web.FORMER_KEYS_DIR}/{slug}",
        web.logrotate_path(slug),
        web.site_facts_path(slug),
        f"{sitemail.host_config_dir(slug)}/msmtprc",
    ]
    if settings.tls.ca != "internal":
        # The renewal job renews every <certs>/<slug>/domains it finds, certbot its renewal settings;
        # the certificate and the lineage's files stay.
        platform += [f"{web.cert_dir(slug)}/domains", f"{letsencrypt_dir}/renewal/{slug}.conf"]
    return render(
        "retire-member.sh.j2",
        slug=slug,
        former=former,
        now_on=member.host,
        login=f"{host.ssh_user}@{host.address}",
        port=host.ssh_port,
        account=(
            f"rm -f {' '.join(shlex.quote(p) for p in platform)}\n"
            f"if id -u {slug} >/dev/null 2>&1; then\n"
            f"\tusermod --lock --expiredate 1 --groups {web.GROUP_LOCKED} {slug}\n"
            f"\tpkill -KILL -u {slug} || true\n"  # its open sftp and ssh sessions
            "fi\n"
        ),
        space=web.member_path(settings, slug),
        remove_cron=cron.render_remove_script(member),
    )
