"""Rendered certificate files and scripts, checked by the programs that read or run them.

caddy validate / caddy adapt (the Caddyfile loads each member's one certificate),
shellcheck (every script), and the scripts run for real: the placeholder script
with openssl, the deploy hook with a certbot-shaped lineage and a stand-in
docker CLI. certbot against a real ACME server is in tests/test_daemons_acme.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from pic.check import check
from pic.registry import Registry
from pic.render import tls, web
from pic.settings import Settings
from tests.conftest import MEMBERS, ROOT, require_program
from tests.test_render_web import shellcheck, with_tls
from tests.tlsutil import dns_names, load_cert, make_ca, member_cert, write_member_cert

ON = dt.date(2026, 11, 28)
HTTPS_MEMBERS = ("amis-du-rhone", "cine-club-lumiere", "jardins-partages", "velo-cite")


@pytest.fixture(scope="module")
def example() -> tuple[Settings, Registry]:
    checked = check(ROOT, "prod", MEMBERS, ON)
    return checked.settings, checked.registry


def test_only_https_members_that_are_not_archived_need_a_certificate(example: tuple[Settings, Registry]) -> None:
    assert tuple(m.slug for m in example[1] if web.needs_certificate(m)) == HTTPS_MEMBERS


def test_caddyfile_loads_each_members_certificate_files(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    """caddy adapt: exactly one certificate pair per https member, at its own path; none for the others."""
    exe = require_program("caddy")
    settings, registry = example
    certs = tmp_path / "certs"
    ca = make_ca()
    for m in registry:
        if web.needs_certificate(m) and m.site is not None:
            write_member_cert(ca, certs, m.slug, list(m.site.domains))
    text = web.render_caddyfile(settings, registry, on=ON, certs_dir=str(certs), acme_webroot="/srv/acme-test")
    (tmp_path / "Caddyfile").write_text(text)
    proc = subprocess.run(
        [exe, "adapt", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
        env={"HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    config = json.loads(proc.stdout)
    loaded = sorted((f["certificate"], f["key"]) for f in config["apps"]["tls"]["certificates"]["load_files"])
    assert loaded == sorted((f"{certs}/{s}/fullchain.pem", f"{certs}/{s}/privkey.pem") for s in HTTPS_MEMBERS)
    # Names a certificate does not cover never go to an outside CA: the stop-gap issuer is Caddy's own.
    policies = config["apps"]["tls"]["automation"]["policies"]
    for m in registry:
        if m.slug in HTTPS_MEMBERS and m.site is not None:
            policy = next(p for p in policies if m.site.domains[0] in p.get("subjects", []))
            assert [i["module"] for i in policy["issuers"]] == ["internal"], m.slug
    # The http server answers ACME challenges from the webroot, for every https domain.
    http = next(s for s in config["apps"]["http"]["servers"].values() if s["listen"] == [":80"])
    text_http = json.dumps(http)
    assert '"root": "/srv/acme-test"' in text_http
    for m in registry:
        if m.slug in HTTPS_MEMBERS and m.site is not None:
            for d in m.site.domains:
                assert f'"{d}"' in text_http, f"{d} has no http route"


def test_caddyfile_refuses_to_load_without_a_members_certificate(
    example: tuple[Settings, Registry], tmp_path: Path
) -> None:
    """The placeholder script exists because of this: a missing certificate stops the whole proxy."""
    exe = require_program("caddy")
    settings, registry = example
    text = web.render_caddyfile(settings, registry, on=ON, certs_dir=str(tmp_path / "empty"))
    (tmp_path / "Caddyfile").write_text(text)
    proc = subprocess.run(
        [exe, "validate", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
        env={"HOME": str(tmp_path)},
    )
    assert proc.returncode != 0
    assert f"{tmp_path}/empty/" in proc.stderr, proc.stderr


def test_http_only_and_archived_members_get_no_certificate_block(example: tuple[Settings, Registry]) -> None:
    settings, registry = example
    text = web.render_caddyfile(settings, registry, on=ON)
    assert "/etc/pic/certs/bibliotheque-libre" not in text
    assert "amicale-laique-ainay" not in text
    assert "http://biblio-libre.fr {" in text
    for slug in HTTPS_MEMBERS:
        assert text.count(f"\ttls /etc/pic/certs/{slug}/fullchain.pem /etc/pic/certs/{slug}/privkey.pem {{") == 1


@pytest.mark.parametrize("ca", ["letsencrypt", "staging"])
def test_issue_script(example: tuple[Settings, Registry], ca: str, tmp_path: Path) -> None:
    settings, registry = example
    settings = with_tls(settings, ca)
    for slug in HTTPS_MEMBERS:
        script = tls.render_cert_issue_script(registry.get(slug), settings)
        shellcheck(script, tmp_path, f"issue-{slug}.sh")
        assert ("--staging" in script) == (ca == "staging")
    test_form = tls.render_cert_issue_script(
        registry.get("velo-cite"),
        settings,
        acme_server="https://localhost:14000/dir",
        certbot_dirs=("/tmp/w", "/tmp/l"),
    )
    shellcheck(test_form, tmp_path, "issue-test.sh")
    assert "--staging" not in test_form, "a given ACME server replaces the stack's"


def test_issue_script_refuses_what_has_no_acme_certificate(example: tuple[Settings, Registry]) -> None:
    settings, registry = example
    with pytest.raises(ValueError, match=r"pic:tls\.ca is internal"):
        tls.render_cert_issue_script(registry.get("velo-cite"), with_tls(settings, "internal"))
    with pytest.raises(ValueError, match="no https site"):
        tls.render_cert_issue_script(registry.get("bibliotheque-libre"), settings)
    # An archived member keeps its certificate (re-activation reuses it): its script still renders.
    assert "--cert-name amicale-laique-ainay" in tls.render_cert_issue_script(
        registry.get("amicale-laique-ainay"), settings
    )


def test_host_setup_installs_certbot_and_the_hook(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    settings = example[0]
    acme = web.render_web_host_setup(settings, "web1")
    shellcheck(acme, tmp_path, "setup.sh")
    assert " certbot openssl" in acme
    # Renewals by pic-cert-renew.timer, which drops a failing name and reports; not certbot.timer.
    assert "systemctl enable --now pic-cert-renew.timer" in acme
    assert "systemctl disable --now certbot.timer" in acme
    hook = acme.split("<<'PIC_HOOK_EOF'\n", 1)[1].split("PIC_HOOK_EOF\n", 1)[0]
    assert hook == tls.render_cert_deploy_hook()
    renew = acme.split("<<'PIC_RENEW_EOF'\n", 1)[1].split("PIC_RENEW_EOF\n", 1)[0]
    assert renew == tls.render_cert_renew_script(settings)
    internal = web.render_web_host_setup(with_tls(settings, "internal"), "web1")
    assert "certbot" not in internal
    assert "/etc/pic/certs" in internal


# --- placeholders, run for real with openssl ------------------------------------------------------


def run_script(script: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", **(env or {})}
    return subprocess.run(["sh", "-eu", "-s"], input=script, text=True, capture_output=True, env=full_env, check=False)


def test_bootstrap_puts_placeholders_and_never_touches_a_real_certificate(
    example: tuple[Settings, Registry], tmp_path: Path
) -> None:
    require_program("openssl")
    registry = example[1]
    certs = tmp_path / "certs"
    script = tls.render_cert_bootstrap_script(registry, certs_dir=str(certs))
    shellcheck(script, tmp_path, "bootstrap.sh")
    proc = run_script(script)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in certs.iterdir()) == sorted(HTTPS_MEMBERS)
    for slug in HTTPS_MEMBERS:
        site = registry.get(slug).site
        assert site is not None
        cert = load_cert(certs / slug / "fullchain.pem")
        assert dns_names(cert) == site.domains, slug
        assert (certs / slug / "privkey.pem").stat().st_mode & 0o777 == 0o600, slug
        assert (certs / slug).stat().st_mode & 0o777 == 0o700, slug
    before = {s: (certs / s / "fullchain.pem").read_bytes() for s in HTTPS_MEMBERS}
    # Again: nothing changes.
    assert run_script(script).returncode == 0
    assert {s: (certs / s / "fullchain.pem").read_bytes() for s in HTTPS_MEMBERS} == before
    # A real certificate (no placeholder mark) is never replaced, even when the domains change.
    real, _ = member_cert(make_ca(), ["velo-cite-lyon.fr"])
    (certs / "velo-cite" / "fullchain.pem").write_bytes(real)
    (certs / "velo-cite" / ".placeholder").unlink()
    site = registry.get("jardins-partages").site
    assert site is not None
    grown = [*site.domains, "potager.jardins-partages.org"]
    grown_site = site.model_copy(update={"domains": grown})
    more = [
        replace(m, spec=m.spec.model_copy(update={"site": grown_site})) if m.slug == "jardins-partages" else m
        for m in registry
    ]
    proc = run_script(tls.render_cert_bootstrap_script(more, certs_dir=str(certs)))
    assert proc.returncode == 0, proc.stderr
    assert (certs / "velo-cite" / "fullchain.pem").read_bytes() == real
    # A placeholder follows the domains.
    assert dns_names(load_cert(certs / "jardins-partages" / "fullchain.pem")) == grown
    assert (certs / "amis-du-rhone" / "fullchain.pem").read_bytes() == before["amis-du-rhone"]
    assert not list(certs.rglob(".new.*")), "temporary files left behind"


# --- deploy hook, run for real -------------------------------------------------------------------

DOCKER_STUB = """#!/bin/sh
echo "docker $*" >> "$CALLS"
[ "$1" = inspect ] && echo true
exit 0
"""


def test_deploy_hook_installs_a_renewed_lineage_and_reloads(tmp_path: Path) -> None:
    certs, live = tmp_path / "certs", tmp_path / "letsencrypt" / "live"
    hook = tls.render_cert_deploy_hook(certs_dir=str(certs), letsencrypt_dir=str(tmp_path / "letsencrypt"))
    shellcheck(hook, tmp_path, "hook.sh")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(DOCKER_STUB)
    (bin_dir / "docker").chmod(0o755)
    calls = tmp_path / "calls"
    domains = ["velo-cite-lyon.fr", "www.velo-cite-lyon.fr", "atelier.velo-cite-lyon.fr"]
    # certbot's layout: live/<name>/*.pem are symlinks into archive/<name>/.
    archive = tmp_path / "letsencrypt" / "archive" / "velo-cite"
    archive.mkdir(parents=True)
    cert_pem, key_pem = member_cert(make_ca(), domains)
    (archive / "fullchain1.pem").write_bytes(cert_pem)
    (archive / "privkey1.pem").write_bytes(key_pem)
    (live / "velo-cite").mkdir(parents=True)
    for name in ("fullchain", "privkey"):
        (live / "velo-cite" / f"{name}.pem").symlink_to(archive / f"{name}1.pem")
    # The proxy's directory holds a placeholder.
    (certs / "velo-cite").mkdir(parents=True)
    (certs / "velo-cite" / "fullchain.pem").write_text("placeholder")
    (certs / "velo-cite" / "privkey.pem").write_text("placeholder")
    (certs / "velo-cite" / ".placeholder").write_text(" ".join(domains) + "\n")

    def deploy(lineage: Path) -> subprocess.CompletedProcess[str]:
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CALLS": str(calls), "RENEWED_LINEAGE": str(lineage)}
        return subprocess.run(["sh", "-eu", "-s"], input=hook, text=True, capture_output=True, env=env, check=False)

    proc = deploy(live / "velo-cite")
    assert proc.returncode == 0, proc.stderr
    placed = certs / "velo-cite"
    assert (placed / "fullchain.pem").read_bytes() == cert_pem
    assert (placed / "privkey.pem").read_bytes() == key_pem
    assert not (placed / "fullchain.pem").is_symlink(), (
        "the proxy's container cannot follow links into /etc/letsencrypt"
    )
    assert (placed / "privkey.pem").stat().st_mode & 0o777 == 0o600
    assert (placed / "fullchain.pem").stat().st_mode & 0o777 == 0o644
    assert not (placed / ".placeholder").exists()
    assert sorted(p.name for p in placed.iterdir()) == ["fullchain.pem", "privkey.pem"]
    assert calls.read_text().splitlines()[-1] == (
        "docker exec pic-proxy caddy reload --force --config /etc/caddy/Caddyfile --adapter caddyfile"
    )
    calls.unlink()
    # Lineages that are not a member's of this proxy are left alone, and nothing reloads.
    (live / "someone-else").mkdir()
    elsewhere = tmp_path / "elsewhere" / "velo-cite"
    elsewhere.mkdir(parents=True)
    for lineage in (live / "someone-else", elsewhere):
        proc = deploy(lineage)
        assert proc.returncode == 0, proc.stderr
        assert "left alone" in proc.stderr
    assert not calls.exists()
    assert not (certs / "someone-else").exists()
    assert (placed / "fullchain.pem").read_bytes() == cert_pem
    assert os.listdir(certs) == ["velo-cite"]


def test_bootstrap_names_placeholders_by_san_whatever_the_domain_length(
    example: tuple[Settings, Registry], tmp_path: Path
) -> None:
    """A first domain longer than a CN may be (64 characters) still gets its placeholder, and so do the others."""
    require_program("openssl")
    registry = example[1]
    long_domain = f"{'a' * 63}.{'b' * 63}.example.org"  # 139 characters, a valid name
    first = next(m for m in registry if m.slug in HTTPS_MEMBERS)
    site = first.site
    assert site is not None
    longer = [
        replace(first, spec=first.spec.model_copy(update={"site": site.model_copy(update={"domains": [long_domain]})}))
    ]
    members = longer + [m for m in registry if m.slug != first.slug]
    certs = tmp_path / "certs"
    proc = run_script(tls.render_cert_bootstrap_script(members, certs_dir=str(certs)))
    assert proc.returncode == 0, proc.stderr
    assert dns_names(load_cert(certs / first.slug / "fullchain.pem")) == [long_domain]
    assert sorted(p.name for p in certs.iterdir()) == sorted(HTTPS_MEMBERS)


def test_bootstrap_goes_on_after_one_member_fails(example: tuple[Settings, Registry], tmp_path: Path) -> None:
    """One member's failure (its directory cannot be made) leaves every other member's placeholder made."""
    require_program("openssl")
    registry = example[1]
    certs = tmp_path / "certs"
    certs.mkdir()
    blocked = sorted(HTTPS_MEMBERS)[0]
    (certs / blocked).write_text("not a directory\n")
    proc = run_script(tls.render_cert_bootstrap_script(registry, certs_dir=str(certs)))
    assert proc.returncode == 1
    assert f"no placeholder certificate in {certs / blocked}" in proc.stderr
    for slug in HTTPS_MEMBERS:
        if slug != blocked:
            assert (certs / slug / "fullchain.pem").is_file(), slug
