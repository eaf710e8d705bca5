"""SympaServer, DmarcPolicy and DnsZones under Pulumi's mocks: resources, parents, secrets, records."""

from __future__ import annotations

import shlex
from typing import Any

import pulumi
import pytest

from components.dmarc_policy import DmarcPolicy, DmarcPolicyArgs
from components.dns_zones import DnsZones, DnsZonesArgs
from components.hostcmd import HostAccess
from components.sympa_server import SympaServer, SympaServerArgs
from pic.render import dns, mail
from pic.settings import HostSpec
from tests.mailfixtures import example, example_domains
from tests.pulumi_mocks import RecordingMonitor, Registration, is_secret, unwrap

SSH_HOST = HostAccess(
    "web1",
    HostSpec(role="web", address="web1.example.org", private_address="10.0.0.11"),
    pulumi.Output.secret("-----BEGIN OPENSSH PRIVATE KEY-----\nMOCK\n"),
)


def _sympa() -> SympaServer:
    settings, _ = example()
    return SympaServer(
        "sympa",
        SympaServerArgs(
            host=SSH_HOST,
            sympa_domain=settings.mail.sympa_domain,
            listmaster=settings.admin_email,
            selector=settings.mail.dkim_selector,
            mail_exchanger=settings.mail_exchanger,
            robots=[d for d in example_domains() if d.member is not None],
        ),
    )


def _by_name(monitor: RecordingMonitor) -> dict[str, Registration]:
    return {r.name: r for r in monitor.registrations.values()}


@pulumi.runtime.test
def test_sympa_server_resources_per_domain(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    server = _sympa()
    domains = [d.domain for d in example_domains()]

    def check(_: Any) -> None:
        regs = _by_name(pulumi_env)
        root = regs["sympa"]
        assert root.type == "pic:index:SympaServer"
        expected = {"sympa-setup", "sympa-config", "sympa-transport", "sympa-virtual", "sympa-resolver", "sympa-apply"}
        for d in domains:
            expected |= {f"sympa-dkim-{d}", f"sympa-dkim-file-{d}"}
        expected |= {f"sympa-robot-{d}" for d in domains[1:]}
        assert set(regs) - {"sympa"} == expected, sorted(set(regs) ^ (expected | {"sympa"}))
        for name in expected:
            assert regs[name].parent == root.urn, f"{name} is not a child of {root.urn}"
        # The main domain is the default robot: it has a key but no robot.conf.
        assert "sympa-robot-listes.example.org" not in regs

    return server.ready.apply(check)


@pulumi.runtime.test
def test_dkim_keys_are_rsa_and_secret_end_to_end(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    server = _sympa()

    def check(_: Any) -> None:
        regs = _by_name(pulumi_env)
        for d in example_domains():
            key = regs[f"sympa-dkim-{d.domain}"]
            assert key.type == "tls:index/privateKey:PrivateKey", key.urn
            assert key.inputs["algorithm"] == "RSA"
            assert key.inputs["rsaBits"] == 2048
            assert {"privateKeyPem", "privateKeyOpenssh"} <= set(key.additional_secret_outputs), key.urn
            placed = regs[f"sympa-dkim-file-{d.domain}"]
            assert placed.type == "command:remote:Command"
            assert is_secret(placed.inputs["stdin"]), f"{placed.urn}: the private key travels in clear"
            assert unwrap(placed.inputs["stdin"]).startswith("-----BEGIN PRIVATE KEY-----\nMOCK-sympa-dkim-")
            assert placed.inputs["logging"] == "none", placed.urn
            create = unwrap(placed.inputs["create"])
            assert f"/etc/sympa/dkim/{d.domain}.pem" in create
            assert "chmod 0640" in create
            assert "chown root:sympa" in create
            # No other resource carries this private key.
            marker = f"PRIVATE KEY-----\nMOCK-sympa-dkim-{d.domain}\n"
            carriers = [r.name for r in regs.values() if marker in str(unwrap(r.inputs)).replace("\\n", "\n")]
            assert carriers == [placed.name], carriers

    return server.ready.apply(check)


@pulumi.runtime.test
def test_robot_configuration_per_member_list_domain(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    server = _sympa()

    def check(_: Any) -> None:
        regs = _by_name(pulumi_env)
        for d in example_domains()[1:]:
            robot = regs[f"sympa-robot-{d.domain}"]
            text = unwrap(robot.inputs["stdin"])
            assert f"dkim_parameters.signer_domain\t{d.domain}\n" in text, robot.urn
            assert f"dkim_parameters.private_key_path\t/etc/sympa/dkim/{d.domain}.pem\n" in text
            assert f"title\t{d.title}\n" in text
            assert f"/etc/sympa/{d.domain}/robot.conf" in unwrap(robot.inputs["create"])
            assert robot.dependencies, f"{robot.urn} must wait for the packages"
        transport = unwrap(regs["sympa-transport"].inputs["stdin"])
        for d in example_domains():
            assert f"sympa@{d.domain}\tsympa:sympa@{d.domain}" in transport
        apply = regs["sympa-apply"]
        # The apply step runs after every placed file, and Sympa's check is part of it.
        assert {regs[n].urn for n in regs if n.startswith(("sympa-robot-", "sympa-dkim-file-"))} <= set(
            apply.dependencies
        )
        assert "Sympa::CLI->run('check')" in unwrap(apply.inputs["stdin"])

    return server.ready.apply(check)


def test_duplicate_robot_is_refused(pulumi_env: RecordingMonitor) -> None:
    settings, _ = example()
    robots = [d for d in example_domains() if d.member is not None]
    with pytest.raises(ValueError, match="must be unique"):
        SympaServer(
            "bad",
            SympaServerArgs(
                host=SSH_HOST,
                sympa_domain=settings.mail.sympa_domain,
                listmaster=settings.admin_email,
                selector="pic",
                mail_exchanger="web1.example.org",
                robots=[*robots, robots[0]],
            ),
        )


def _policy(name: str, domain: mail.ListDomain, key: pulumi.Input[str], zone: str | None) -> DmarcPolicy:
    settings, _ = example()
    return DmarcPolicy(
        name,
        DmarcPolicyArgs(
            domain=domain.domain,
            policy=domain.policy,
            selector=settings.mail.dkim_selector,
            dkim_public_key_pem=key,
            mail_exchanger=settings.mail_exchanger,
            reports=settings.dmarc_reports,
            zone=zone,
        ),
    )


@pulumi.runtime.test
def test_dmarc_policy_records_use_the_domain_key(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    server = _sympa()
    policies = {
        d.domain: _policy(f"dmarc-{d.domain}", d, server.dkim_public_keys[d.domain], None) for d in example_domains()
    }

    def check(values: list[Any]) -> None:
        regs = _by_name(pulumi_env)
        by_domain = dict(zip(policies, values, strict=True))
        for d in example_domains():
            assert regs[f"dmarc-{d.domain}"].type == "pic:index:DmarcPolicy"
            recs = {r["name"]: r for r in by_domain[d.domain]}
            dkim_record = recs[f"pic._domainkey.{d.domain}"]
            assert dkim_record["value"] == f"v=DKIM1; k=rsa; p=MOCKPUBsympa-dkim-{d.domain}", d.domain
            assert recs[f"_dmarc.{d.domain}"]["value"].startswith(
                f"v=DMARC1; p={d.policy}; rua=mailto:dmarc@example.org"
            )
            assert recs[d.domain]["type"] in {"MX", "TXT"}

    return pulumi.Output.all(*(p.records for p in policies.values())).apply(check)


@pulumi.runtime.test
def test_dmarc_policy_export_for_a_member_zone(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    pem = "-----BEGIN PUBLIC KEY-----\nQUJD\n-----END PUBLIC KEY-----\n"
    d = example_domains()[1]
    policy = _policy("dmarc-x", d, pem, None)

    def check(values: list[Any]) -> None:
        published, export = values
        assert published is False
        assert f"_dmarc.{d.domain}.\t3600\tIN\tTXT\t" in export
        assert f'pic._domainkey.{d.domain}.\t3600\tIN\tTXT\t"v=DKIM1; k=rsa; p=QUJD"' in export

    return pulumi.Output.all(policy.published, policy.export).apply(check)


def test_dmarc_policy_refuses_a_bad_policy(pulumi_env: RecordingMonitor) -> None:
    d = mail.ListDomain("listes.x.org", "X", "monitor", "x")
    with pytest.raises(ValueError, match="not one of"):
        _policy("bad", d, "", None)


@pulumi.runtime.test
def test_dns_zones_publish_the_records_of_their_zone(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    server = _sympa()
    zones = ["example.org", "amis-du-rhone.org", "sub.example.org"]  # the last one delegated by the first
    policies = [
        _policy(f"dmarc-{d.domain}", d, server.dkim_public_keys[d.domain], dns.zone_of(d.domain, zones))
        for d in example_domains()
    ]
    dz = DnsZones(
        "dns",
        DnsZonesArgs(
            host=SSH_HOST,
            zones=zones,
            records=[p.record_list for p in policies],
            addresses=[
                dns.Record("pma.example.org", "A", "192.0.2.10"),
                dns.Record("pma.example.org", "AAAA", "2001:db8::10"),
            ],
            nameservers=["ns1.example.org"],
            hostmaster="admin@example.org",
            listen=["192.0.2.53"],
        ),
    )

    def check(_: Any) -> None:
        regs = _by_name(pulumi_env)
        assert {"dns-server", "dns-zone-example.org", "dns-zone-amis-du-rhone.org"} <= set(regs)
        for name in ("dns-server", "dns-zone-example.org", "dns-zone-amis-du-rhone.org"):
            assert regs[name].parent == regs["dns"].urn
        example_zone = unwrap(regs["dns-zone-example.org"].inputs["stdin"])
        assert "nsd-checkzone example.org" in example_zone
        assert '_dmarc.listes\tIN\tTXT\t"v=DMARC1; p=none;' in example_zone
        # The other domains' report authorizations live in the reports mailbox's zone.
        assert 'listes.chorale-saint-jean.fr._report._dmarc\tIN\tTXT\t"v=DMARC1"' in example_zone
        amis = unwrap(regs["dns-zone-amis-du-rhone.org"].inputs["stdin"])
        assert 'pic._domainkey.listes\tIN\tTXT\t"v=DKIM1; k=rsa; p=MOCKPUBsympa-dkim-listes.amis-du-rhone.org"' in amis
        assert "chorale" not in amis
        assert "sub\tIN\tNS\tns1.example.org." in example_zone.splitlines()
        # the platform's names in the zone have their addresses; other zones do not hold them
        assert {"pma\tIN\tA\t192.0.2.10", "pma\tIN\tAAAA\t2001:db8::10"} <= set(example_zone.splitlines())
        assert "192.0.2.10" not in amis
        assert "\tNS\t" not in unwrap(regs["dns-zone-sub.example.org"].inputs["stdin"]).replace("@\tIN\tNS", "")
        assert regs["dns-server"].urn in regs["dns-zone-example.org"].dependencies
        # A zone that leaves the settings, or pic:dns as a whole, takes the platform's files with it.
        for zone in zones:
            script = dns.zone_remove_script(zone, zonesdir="/etc/nsd/pic")
            assert regs[f"dns-zone-{zone}"].inputs["delete"] == f"sudo -n sh -eu -c {shlex.quote(script)}", zone
        server_removal = dns.nsd_server_remove_script(zonesdir="/etc/nsd/pic")
        assert regs["dns-server"].inputs["delete"] == f"sudo -n sh -eu -c {shlex.quote(server_removal)}"

    return dz.zones.apply(check)


@pulumi.runtime.test
def test_program_builds_the_mail_part_for_the_example_registry(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    """__main__.py under mocks (stack prod): one SympaServer, one DmarcPolicy per mail domain, no zone (export)."""
    import runpy

    from tests.mailfixtures import ROOT

    pulumi.runtime.set_all_config(
        {"pic:dbAdminPassword": "mock-admin-password", "pic:sshPrivateKey": "mock-ssh-key"},
        ["pic:dbAdminPassword", "pic:sshPrivateKey"],
    )
    namespace = runpy.run_path(str(ROOT / "__main__.py"), run_name="__pulumi__")
    sympa: SympaServer = namespace["sympa"]

    def check(_: Any) -> None:
        regs = list(pulumi_env.registrations.values())
        kinds = [r.type for r in regs]
        assert kinds.count("pic:index:SympaServer") == 1
        assert kinds.count("pic:index:DmarcPolicy") == len(example_domains()) == 3
        assert kinds.count("pic:index:DnsZones") == 0  # prod publishes nothing itself: backend export
        sympa_urn = next(r.urn for r in regs if r.type == "pic:index:SympaServer")
        dkim_keys = [r for r in regs if r.type == "tls:index/privateKey:PrivateKey" and r.parent == sympa_urn]
        assert len(dkim_keys) == 3, [r.name for r in dkim_keys]
        urns = [r.urn for r in regs]
        assert len(urns) == len(set(urns)), "resource URNs must be unique"
        # The secrets do reach the commands (so the checks below look at the right values)...
        assert any("mock-ssh-key" in str(unwrap(r.inputs)) for r in regs)
        for r in regs:
            if r.name.startswith("sympa-dkim-file-"):
                assert is_secret(r.inputs["stdin"]), r.urn
            if r.custom:
                # The ssh key and the DKIM private keys never appear in clear in any input.
                plain = str({k: v for k, v in r.inputs.items() if not is_secret(v)})
                assert "mock-ssh-key" not in plain, r.urn
                assert "PRIVATE KEY-----\\nMOCK" not in plain, r.urn

    return sympa.ready.apply(check)
