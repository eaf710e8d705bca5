"""Rendering for the members' TLS certificates: one certificate per member, all its domains.

Pure functions from settings and members to the text of the scripts that put
each member's certificate where the front proxy loads it,
``<certs_dir>/<slug>/fullchain.pem`` and ``privkey.pem`` (see
``Caddyfile.j2``):

- :func:`render_cert_bootstrap_script`: a self-signed placeholder for every
  https member that has no certificate yet, so that the proxy's configuration
  always loads; never touches an existing certificate.
- :func:`render_cert_issue_script` (``pic:tls.ca`` letsencrypt or staging):
  certbot issues one lineage per member, named after its slug, holding all
  its domains, through the ACME HTTP-01 challenge answered from the webroot
  the proxy serves on http.
- :func:`render_cert_deploy_hook`: certbot's deploy hook, run after every
  issuance and renewal: copies the lineage to the proxy's directory and
  reloads the proxy.
- :func:`render_cert_renew_script` and its systemd units (twice a day, in
  place of Debian's certbot.timer): renews every lineage; a name the CA
  cannot validate is dropped from the renewal so that the others stay valid;
  every failure and every certificate with fewer than
  :data:`CERT_WARNING_DAYS` days left is mailed to the admins.

With ``pic:tls.ca: internal`` the certificates come from a CA made with
pulumi-tls (components/member_certificate.py) and none of the certbot
scripts are used.
"""

from __future__ import annotations

from collections.abc import Iterable

from pic.registry import Member
from pic.render import render
from pic.render.web import (
    ACME_WEBROOT,
    CERT_FILE,
    CERTS_DIR,
    KEY_FILE,
    PROXY_CONTAINER,
    cert_dir,
    cert_paths,
    keeps_certificate,
    needs_certificate,
)
from pic.settings import Settings

__all__ = [
    "ACME_WEBROOT",
    "CERTS_DIR",
    "DEPLOY_HOOK",
    "LETSENCRYPT_DIR",
    "cert_paths",
    "needs_certificate",
    "render_cert_bootstrap_script",
    "render_cert_deploy_hook",
    "render_cert_issue_script",
    "render_cert_renew_script",
    "render_cert_renew_units",
]

DEPLOY_HOOK = "/usr/local/lib/pic/certbot-deploy-hook"
RENEW_SCRIPT = "/usr/local/lib/pic/cert-renew"
# Let's Encrypt's clients renew 30 days before expiry: 20 days left means ten days of failed renewals.
CERT_WARNING_DAYS = 20
LETSENCRYPT_DIR = "/etc/letsencrypt"


def domains_of(member: Member) -> list[str]:
    if member.site is None:
        raise ValueError(f"{member.file}: member {member.slug} has no site")
    return list(member.site.domains)


def render_cert_bootstrap_script(members: Iterable[Member], *, certs_dir: str = CERTS_DIR) -> str:
    """Put a self-signed placeholder for each https member that has no certificate yet.

    Idempotent; an existing certificate (placeholder or real) is never touched.
    """
    certs = [(m.slug, domains_of(m)) for m in members if needs_certificate(m)]
    return render("cert-bootstrap.sh.j2", certs_dir=certs_dir, certs=certs, cert_file=CERT_FILE, key_file=KEY_FILE)


def render_cert_deploy_hook(
    *, certs_dir: str = CERTS_DIR, container: str = PROXY_CONTAINER, letsencrypt_dir: str = LETSENCRYPT_DIR
) -> str:
    """certbot's deploy hook: copy ``$RENEWED_LINEAGE`` to the proxy's directory, then reload the proxy."""
    return render(
        "cert-deploy-hook.sh.j2",
        certs_dir=certs_dir,
        container=container,
        live_dir=f"{letsencrypt_dir}/live",
        cert_file=CERT_FILE,
        key_file=KEY_FILE,
    )


def render_cert_issue_script(
    member: Member,
    settings: Settings,
    *,
    certs_dir: str = CERTS_DIR,
    webroot: str = ACME_WEBROOT,
    hook: str = DEPLOY_HOOK,
    letsencrypt_dir: str = LETSENCRYPT_DIR,
    acme_server: str | None = None,
    certbot_dirs: tuple[str, str] | None = None,
) -> str:
    """Issue (or re-issue with new names) the member's one certificate with certbot.

    ``acme_server`` replaces the CA of ``pic:tls.ca`` (tests: a local ACME
    server); ``certbot_dirs`` is (work dir, logs dir) when not certbot's own.
    Running it again with the same domains does nothing until renewal is due.
    """
    if settings.tls.ca == "internal":
        raise ValueError(f"stack {settings.stack}: pic:tls.ca is internal, certificates do not come from ACME")
    if not keeps_certificate(member):
        raise ValueError(f"{member.file}: member {member.slug} has no https site to certify")
    return render(
        "cert-issue.sh.j2",
        slug=member.slug,
        domains=domains_of(member),
        email=settings.tls.acme_email,
        staging=settings.tls.ca == "staging" and acme_server is None,
        server=acme_server,
        live=cert_dir(member.slug, certs_dir),
        webroot=webroot,
        hook=hook,
        config_dir=letsencrypt_dir,
        certbot_dirs=certbot_dirs,
        cert_file=CERT_FILE,
    )


def render_cert_renew_script(
    settings: Settings,
    *,
    certs_dir: str = CERTS_DIR,
    webroot: str = ACME_WEBROOT,
    hook: str = DEPLOY_HOOK,
    letsencrypt_dir: str = LETSENCRYPT_DIR,
    acme_server: str | None = None,
    certbot_dirs: tuple[str, str] | None = None,
    relay: str | None = None,
    warn_days: int = CERT_WARNING_DAYS,
) -> str:
    """Renew every member lineage of the host; report failures and expiring certificates to the admins.

    Reads the wanted names from ``<certs_dir>/<slug>/domains`` (written by the
    issuance script). A name the CA reports as failed (certbot's ``Domain:``
    lines) is dropped and the lineage renewed with the others. The report goes
    to ``pic:admin_email`` over SMTP through ``relay`` (default
    ``pic:smtp.host_relay``, else ``localhost:25``) with curl; the script exits
    1 whenever it reported something. ``acme_server``/``certbot_dirs`` as for
    :func:`render_cert_issue_script`.
    """
    sender = settings.smtp.sender if settings.smtp and settings.smtp.sender else settings.admin_email
    return render(
        "cert-renew.sh.j2",
        certs_dir=certs_dir,
        email=settings.tls.acme_email,
        staging=settings.tls.ca == "staging" and acme_server is None,
        server=acme_server,
        config_dir=letsencrypt_dir,
        certbot_dirs=certbot_dirs,
        webroot=webroot,
        hook=hook,
        warn_days=warn_days,
        admin_email=settings.admin_email,
        sender=sender,
        relay=relay or (settings.smtp.host_relay if settings.smtp else "localhost:25"),
        cert_file=CERT_FILE,
    )


def render_cert_renew_units(*, script: str = RENEW_SCRIPT) -> dict[str, str]:
    """``pic-cert-renew.service`` and ``.timer`` (twice a day), by file name."""
    return {
        "pic-cert-renew.service": render("pic-cert-renew.service.j2", script=script),
        "pic-cert-renew.timer": render("pic-cert-renew.timer.j2"),
    }
