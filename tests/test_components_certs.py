"""Members' certificates under Pulumi mocks: ONE certificate per https member, with all its domains.

Built exactly as ``__main__.py`` builds the web part (``build_web`` of
tests/test_components_web.py), for the example registry, with each value of
``pic:tls.ca``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import runpy
from dataclasses import replace
from typing import Any

import pulumi
import pytest

from pic.check import check
from pic.registry import Registry
from pic.render import web
from pic.settings import Settings
from tests.conftest import MEMBERS, ROOT
from tests.pulumi_mocks import RecordingMonitor, Registration, is_secret, unwrap
from tests.test_components_web import build_web, children, run, with_member

ON = dt.date(2026, 11, 28)
CERT = "tls:index/locallySignedCert:LocallySignedCert"
CSR = "tls:index/certRequest:CertRequest"
KEY = "tls:index/privateKey:PrivateKey"
CA_CERT = "tls:index/selfSignedCert:SelfSignedCert"
REMOTE = "command:remote:Command"
# Example members with an https site: each gets one certificate (an archived member's is kept, unused).
CERTIFIED = {
    "amicale-laique-ainay": ["amicale-ainay.fr"],  # archived: kept for re-activation
    "amis-du-rhone": ["amis-du-rhone.org", "www.amis-du-rhone.org", "xn--amis-du-rhne-nib.org"],
    "cine-club-lumiere": ["cineclub-lumiere.fr"],  # suspended: keeps its certificate, 503 over https
    "jardins-partages": ["jardins-partages.org", "www.jardins-partages.org"],
    "velo-cite": ["velo-cite-lyon.fr", "www.velo-cite-lyon.fr", "atelier.velo-cite-lyon.fr"],
}
ARCHIVED = ("amicale-laique-ainay",)  # its certificate is kept, the proxy loads it no more
# No certificate: http only (bibliotheque-libre), no site (chorale).
UNCERTIFIED = ("bibliotheque-libre", "chorale-saint-jean")


def example(ca: str) -> tuple[Settings, Registry]:
    checked = check(ROOT, "prod", MEMBERS, ON)
    settings = checked.settings
    return settings.model_copy(update={"tls": settings.tls.model_copy(update={"ca": ca})}), checked.registry


def of_type(regs: dict[str, Registration], typ: str) -> list[Registration]:
    return [r for r in regs.values() if r.type == typ]


def by_urn(regs: dict[str, Registration], urn: str) -> Registration:
    return next(r for r in regs.values() if r.urn == urn)


def test_internal_ca_one_certificate_per_member_with_all_its_domains(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example("internal")
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    certs = of_type(regs, CERT)
    assert sorted(c.name for c in certs) == sorted(f"{s}-tls-cert" for s in CERTIFIED)
    for cert in certs:
        slug = cert.name.removesuffix("-tls-cert")
        owner = by_urn(regs, cert.parent)
        assert (owner.type, owner.name) == ("pic:index:Member", slug), cert.urn
        assert owner.parent.endswith("::pic-prod"), f"{owner.urn} must be parented to the stack"
        csr = by_urn(regs, next(d for d in cert.dependencies if d.endswith(f"::{slug}-tls-csr")))
        assert csr.type == CSR, csr.urn
        assert csr.inputs["dnsNames"] == CERTIFIED[slug], f"{csr.urn}: {csr.inputs['dnsNames']}"
        assert csr.inputs["dnsNames"] == registry.get(slug).site.domains  # type: ignore[union-attr]
        assert "server_auth" in cert.inputs["allowedUses"], cert.urn
        assert {n for n in children(regs, slug, "pic:index:Member") if "-tls-" in n} == {
            f"{slug}-tls-key",
            f"{slug}-tls-csr",
            f"{slug}-tls-cert",
            f"{slug}-tls-key-file",
            f"{slug}-tls-cert-file",
        }, slug
    # Signed by the stack's one CA.
    ca = of_type(regs, CA_CERT)
    assert [c.name for c in ca] == ["tls-ca-cert"]
    assert ca[0].inputs["isCaCertificate"] is True
    assert by_urn(regs, ca[0].parent).type == "pic:index:InternalCa"
    for cert in certs:
        assert ca[0].urn in cert.dependencies, cert.urn
    for slug in UNCERTIFIED:
        assert f"{slug}-tls-cert" not in regs, slug
        assert not [r for r in regs.values() if "-tls-" in r.name and r.name.startswith(f"{slug}-")], slug
    assert "web1-proxy-certs" not in regs, "no placeholder is needed with the internal CA"


def test_internal_ca_keys_stay_secret_and_files_land_where_the_proxy_loads_them(
    pulumi_env: RecordingMonitor,
) -> None:
    settings, registry = example("internal")
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    for key in of_type(regs, KEY):
        assert "privateKeyPem" in key.additional_secret_outputs, f"{key.urn}: private key not a secret output"
    # Whatever takes a private key as input receives it as a secret.
    for csr in of_type(regs, CSR):
        assert is_secret(csr.inputs["privateKeyPem"]), f"{csr.urn}: the member's key reaches it in clear"
    for cert in of_type(regs, CERT):
        assert is_secret(cert.inputs["caPrivateKeyPem"]), f"{cert.urn}: the CA's key reaches it in clear"
    assert is_secret(regs["tls-ca-cert"].inputs["privateKeyPem"])
    caddyfile = unwrap(regs["web1-proxy-caddyfile"].inputs["stdin"])
    proxy, reload = regs["web1-proxy-container"], regs["web1-proxy-reload"]
    for slug in CERTIFIED:
        key_file, cert_file = regs[f"{slug}-tls-key-file"], regs[f"{slug}-tls-cert-file"]
        assert is_secret(key_file.inputs["stdin"]), f"{key_file.urn}: the key travels in clear"
        assert key_file.inputs["logging"] == "none", key_file.urn
        assert "MOCK-" in unwrap(key_file.inputs["stdin"])
        assert f"/etc/pic/certs/{slug}/privkey.pem" in key_file.inputs["create"], key_file.urn
        assert "chmod 0600" in key_file.inputs["create"], key_file.urn
        assert f"/etc/pic/certs/{slug}/fullchain.pem" in cert_file.inputs["create"], cert_file.urn
        assert "delete" not in key_file.inputs, f"{key_file.urn} deletes a member's certificate"
        assert "delete" not in cert_file.inputs, cert_file.urn
        assert (
            unwrap(cert_file.inputs["stdin"])
            == f"-----BEGIN CERTIFICATE-----\nMOCK-{slug}-tls-cert\n-----END CERTIFICATE-----\n"
        )
        loads = f"tls /etc/pic/certs/{slug}/fullchain.pem /etc/pic/certs/{slug}/privkey.pem" in caddyfile
        assert loads == (slug not in ARCHIVED), slug
        # The proxy starts and reloads only once both files are there.
        for placed in (key_file, cert_file):
            assert placed.urn in proxy.dependencies, f"{proxy.urn} does not wait for {placed.urn}"
            assert placed.urn in reload.dependencies, f"{reload.urn} does not wait for {placed.urn}"
    mounts = {m["target"]: m for m in proxy.inputs["mounts"]}
    assert mounts["/etc/pic/certs"] == {
        "type": "bind",
        "source": "/etc/pic/certs",
        "target": "/etc/pic/certs",
        "readOnly": True,
    }
    secret_texts = [unwrap(regs[f"{s}-tls-key-file"].inputs["stdin"]) for s in CERTIFIED]
    plain = str([r.inputs for r in regs.values() if r.name.endswith("-tls-cert-file") or r.name.startswith("web1-")])
    assert not any(text in plain for text in secret_texts), "a member's private key appears in plain inputs"


def test_internal_certificate_change_reloads_the_proxy(pulumi_env: RecordingMonitor) -> None:
    """A re-signed certificate changes the reload script, so the proxy picks it up without a new Caddyfile."""
    settings, registry = example("internal")
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    reload = unwrap(regs["web1-proxy-reload"].inputs["stdin"])
    caddyfile = unwrap(regs["web1-proxy-caddyfile"].inputs["stdin"])
    pems = [unwrap(regs[f"{s}-tls-cert-file"].inputs["stdin"]) for s in sorted(CERTIFIED) if s not in ARCHIVED]
    assert reload == web.render_proxy_reload_script(caddyfile, certificates=pems)
    assert reload != web.render_proxy_reload_script(caddyfile, certificates=[*pems[:-1], "renewed"])
    assert "caddy reload --force" in reload


@pytest.mark.parametrize("ca", ["letsencrypt", "staging"])
def test_acme_one_issuance_per_member_with_every_domain(pulumi_env: RecordingMonitor, ca: str) -> None:
    settings, registry = example(ca)
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    assert not [r for r in regs.values() if r.type.startswith("tls:")], "no pulumi-tls resource with ACME"
    issues = [r for r in regs.values() if r.name.endswith("-tls-cert")]
    assert sorted(r.name for r in issues) == sorted(f"{s}-tls-cert" for s in CERTIFIED)
    reload = regs["web1-proxy-reload"]
    for reg in issues:
        slug = reg.name.removesuffix("-tls-cert")
        assert reg.type == REMOTE, reg.urn
        owner = by_urn(regs, reg.parent)
        assert (owner.type, owner.name) == ("pic:index:Member", slug), reg.urn
        script = unwrap(reg.inputs["stdin"])
        lines = [line.strip().rstrip("\\").strip() for line in script.splitlines()]
        assert [ln.removeprefix("--domain ") for ln in lines if ln.startswith("--domain ")] == CERTIFIED[slug], reg.urn
        assert "certbot certonly --non-interactive --agree-tos --email admin@example.org" in script
        assert f"--cert-name {slug}" in lines, reg.urn
        assert "--webroot --webroot-path /srv/pic/acme" in lines, reg.urn
        assert ("--staging" in lines) == (ca == "staging"), reg.urn
        assert '--deploy-hook "$hook"' in lines
        assert "hook=/usr/local/lib/pic/certbot-deploy-hook" in lines
        assert "delete" not in reg.inputs, f"{reg.urn} deletes a member's certificate"
        # HTTP-01: the proxy answers the member's challenges before certbot asks for them.
        assert reload.urn in reg.dependencies, f"{reg.urn} runs before the proxy knows its domains"
    boot = unwrap(regs["web1-proxy-certs"].inputs["stdin"])
    placeholders = re.findall(r"^placeholder (\S+) (.+)$", boot, flags=re.M)
    assert {p: d.split() for p, d in placeholders} == {
        f"/etc/pic/certs/{s}": d for s, d in CERTIFIED.items() if s not in ARCHIVED
    }
    assert regs["web1-proxy-certs"].urn in regs["web1-proxy-container"].dependencies
    setup = unwrap(regs["web1-setup"].inputs["stdin"])
    assert " certbot openssl" in setup
    assert "systemctl enable --now pic-cert-renew.timer" in setup
    assert "caddy reload --force" in setup.split("PIC_HOOK_EOF", 1)[1]


def test_acme_new_domain_reruns_issuance_only(pulumi_env: RecordingMonitor) -> None:
    """Adding a domain re-runs that member's certbot with every name, same resource, nothing else of it changes."""
    settings, registry = example("letsencrypt")
    before = run(pulumi_env, lambda: build_web(settings, registry, ON))
    pulumi_env.registrations.clear()
    site = registry.get("jardins-partages").site
    assert site is not None
    more = with_member(
        registry,
        "jardins-partages",
        site=site.model_copy(update={"domains": [*site.domains, "potager.jardins-partages.org"]}),
    )
    after = run(pulumi_env, lambda: build_web(settings, more, ON))
    old, new = before["jardins-partages-tls-cert"], after["jardins-partages-tls-cert"]
    assert old.urn == new.urn
    assert "--domain potager.jardins-partages.org" not in unwrap(old.inputs["stdin"])
    assert "--domain potager.jardins-partages.org" in unwrap(new.inputs["stdin"])
    assert new.inputs["update"] == new.inputs["create"], "a changed script must run again"
    changed = sorted(n for n in before if n in after and unwrap(before[n].inputs) != unwrap(after[n].inputs))
    assert changed == [
        "jardins-partages-space",  # the container keeps running: its facts (in -space) list the domains
        "jardins-partages-tls-cert",
        "web1-mail-relay-setup",  # the sites' relay accepts the new domain as a sender
        "web1-proxy-caddyfile",
        "web1-proxy-certs",
        "web1-proxy-reload",
    ]


def test_certificate_follows_its_member_to_another_host(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example("letsencrypt")
    hosts = dict(settings.hosts)
    hosts["web2"] = hosts["web1"].model_copy(update={"address": "web2.example.org", "private_address": "10.0.0.12"})
    two = settings.model_copy(update={"hosts": hosts})
    before = run(pulumi_env, lambda: build_web(two, registry, ON))
    pulumi_env.registrations.clear()
    moved = Registry(tuple(replace(m, host="web2") if m.slug == "velo-cite" else m for m in registry))
    after = run(pulumi_env, lambda: build_web(two, moved, ON))
    old, new = before["velo-cite-tls-cert"], after["velo-cite-tls-cert"]
    assert old.urn == new.urn, "moving a member must not replace its certificate resources"
    assert unwrap(new.inputs["connection"])["host"] == "web2.example.org"
    assert after["web2-proxy-reload"].urn in new.dependencies
    assert "velo-cite" in unwrap(after["web2-proxy-certs"].inputs["stdin"])
    assert "velo-cite" not in unwrap(after["web1-proxy-certs"].inputs["stdin"])


def test_dev_stack_uses_the_internal_ca(pulumi_env: RecordingMonitor) -> None:
    checked = check(ROOT, "dev", MEMBERS, ON)
    regs = run(pulumi_env, lambda: build_web(checked.settings, checked.registry, ON))
    assert sorted(r.name for r in of_type(regs, CERT)) == sorted(f"{s}-tls-cert" for s in CERTIFIED)
    assert regs["velo-cite-tls-key-file"].type == "command:local:Command"
    assert regs["velo-cite-tls-key-file"].inputs["logging"] == "none"


def _without_secrets(value: Any) -> Any:
    if is_secret(value):
        return "<secret>"
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    return value


def test_dev_program_builds_the_internal_ca_and_keeps_every_private_key_secret(
    pulumi_env: RecordingMonitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """__main__.py for stack dev (pic:tls.ca internal): the CA, one certificate per https member, no key in clear."""
    pulumi.runtime.set_mocks(pulumi_env.mocks, project="pic", stack="dev", preview=False, monitor=pulumi_env)

    class Day(dt.date):
        @classmethod
        def today(cls) -> Day:
            return cls(ON.year, ON.month, ON.day)

    monkeypatch.setattr(dt, "date", Day)
    monkeypatch.chdir(ROOT)
    regs = run(pulumi_env, lambda: runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__"))
    assert [r.name for r in of_type(regs, "pic:index:InternalCa")] == ["tls-ca"]
    member_certs = [r for r in of_type(regs, CERT) if r.name.endswith("-tls-cert")]  # the db host has its own
    assert sorted(r.name for r in member_certs) == sorted(f"{s}-tls-cert" for s in CERTIFIED)
    plain = json.dumps([_without_secrets(r.inputs) for r in pulumi_env.registrations.values()])
    assert "PRIVATE KEY" not in plain, "a private key appears in plain inputs"
    assert "PRIVATE KEY" in json.dumps([unwrap(r.inputs) for r in pulumi_env.registrations.values()])


def test_a_common_name_fits_in_64_characters(pulumi_env: RecordingMonitor) -> None:
    """X.509 bounds a common name to 64 characters (RFC 5280, ub-common-name): a first domain longer than
    that leaves the common name to the next that fits, or none; every domain stays in the names."""
    settings, registry = example("internal")
    label = "festival-des-cultures-numeriques-et-solidaires.croix-rousse"  # labels of at most 63
    velo = [f"{label}.velo-cite-lyon.fr", "velo-cite-lyon.fr"]
    jardins = [f"{label}.jardins-partages.org"]

    def with_domains(registry: Registry, slug: str, domains: list[str]) -> Registry:
        site = registry.get(slug).spec.site
        assert site is not None
        return with_member(registry, slug, site=site.model_copy(update={"domains": domains}))

    changed = with_domains(with_domains(registry, "velo-cite", velo), "jardins-partages", jardins)
    regs = run(pulumi_env, lambda: build_web(settings, changed, ON))
    csr = regs["velo-cite-tls-csr"].inputs
    assert csr["dnsNames"] == velo
    assert csr["subject"]["commonName"] == "velo-cite-lyon.fr"
    alone = regs["jardins-partages-tls-csr"].inputs
    assert alone["dnsNames"] == jardins
    assert "commonName" not in alone["subject"], alone["subject"]
    # The stack's CA: its name cut to fit, for the longest stack names Pulumi takes (100 characters).
    long_stack = settings.model_copy(update={"stack": "association-" * 8 + "abcd"})
    pulumi_env.registrations.clear()
    regs = run(pulumi_env, lambda: build_web(long_stack, registry, ON))
    ca_name = of_type(regs, CA_CERT)[0].inputs["subject"]["commonName"]
    assert ca_name.startswith("pic association-association-")
    assert ca_name.endswith(" CA")
    assert len(ca_name) == 64
