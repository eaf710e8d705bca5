"""Web host components under Pulumi mocks, for the example registry.

Each test builds the web part exactly as ``__main__.py`` does (through
``build_web`` below, kept in step with it by ``test_program_builds_the_same``),
lets the mock engine finish, then reads the recorded registrations.
"""

from __future__ import annotations

import datetime as dt
import json
import runpy
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pulumi
import pytest

from components import member
from components.front_proxy import FrontProxy, FrontProxyArgs
from components.hostcmd import script_files
from components.internal_ca import InternalCa, InternalCaArgs
from components.member_credentials import MemberCredentials, MemberCredentialsArgs
from components.member_site import MemberSite, MemberSiteArgs
from components.member_space import MemberSpace, MemberSpaceArgs
from components.php_runtime import PhpRuntime, PhpRuntimeArgs
from components.phpmyadmin import PhpMyAdmin, PhpMyAdminArgs
from components.site_mail import SiteMailRelay, SiteMailRelayArgs
from components.web_host import WebHost, WebHostArgs
from pic import eol
from pic.check import check
from pic.registry import Member, MemberSpec, Registry
from pic.render import sitemail, web
from pic.settings import Settings
from tests.conftest import MEMBERS, ROOT
from tests.pulumi_mocks import RecordingMonitor, Registration, is_secret, unwrap

ON = dt.date(2026, 11, 28)
REMOTE = "command:remote:Command"
CONTAINER = "docker:index/container:Container"


def example() -> tuple[Settings, Registry]:
    checked = check(ROOT, "prod", MEMBERS, ON)
    return checked.settings, checked.registry


def build_web(settings: Settings, registry: Registry, on: dt.date) -> None:
    """The web block of __main__.py, with the day as a parameter."""
    hosts = {h: WebHost(h, WebHostArgs(settings, h)) for h in settings.web_hosts}
    runtimes = {
        (h, key): PhpRuntime(f"{h}-php-{key}", PhpRuntimeArgs(settings, key, hosts[h]))
        for h in settings.web_hosts
        for key in web.runtimes_in_use(registry, settings, h, on)
    }
    spaces = {m.slug: MemberSpace(m.slug, MemberSpaceArgs(settings, m, hosts[m.host], on)) for m in registry}
    for m in registry:
        if m.site is not None:
            runtime = runtimes.get((m.host, m.runtime or ""))
            runs = eol.site_state(m, settings, on) == "running"
            credentials = None
            if m.runtime is not None and runs:  # the web part: the site's msmtprc (the databases add theirs)
                args = MemberCredentialsArgs(m, hosts[m.host].access, settings.members_root, runs)
                credentials = MemberCredentials(args).command
            site = MemberSiteArgs(settings, m, hosts[m.host], spaces[m.slug], runtime, on, credentials=credentials)
            MemberSite(m.slug, site)
    for h in settings.web_hosts:
        SiteMailRelay(f"{h}-mail-relay", SiteMailRelayArgs(settings, h, hosts[h], web.members_on(registry, h), on))
    pma_host = web.phpmyadmin_host(settings)
    if pma_host is not None:
        PhpMyAdmin("phpmyadmin", PhpMyAdminArgs(settings, hosts[pma_host]))
    blocks = web.proxy_extra_blocks(settings)
    ca = InternalCa("tls-ca", InternalCaArgs(settings)) if settings.tls.ca == "internal" else None
    for h in settings.web_hosts:
        FrontProxy(f"{h}-proxy", FrontProxyArgs(settings, hosts[h], web.members_on(registry, h), on, blocks[h], ca))


def run(monitor: RecordingMonitor, program: Callable[[], object]) -> dict[str, Registration]:
    """Run ``program`` under the mocks until every registration is done; registrations by name."""
    pulumi.runtime.set_all_config(
        {"pic:dbAdminPassword": "mock-admin-password", "pic:sshPrivateKey": "mock-ssh-key"},
        ["pic:dbAdminPassword", "pic:sshPrivateKey"],
    )

    member.forget()

    @pulumi.runtime.test
    def go() -> None:
        program()

    go()
    by_name: dict[str, Registration] = {}
    for reg in monitor.registrations.values():
        key = reg.name if reg.name not in by_name else f"{reg.type}:{reg.name}"
        by_name[key] = reg
    return by_name


def with_member(registry: Registry, slug: str, **spec_changes: Any) -> Registry:
    def change(m: Member) -> Member:
        return replace(m, spec=m.spec.model_copy(update=spec_changes)) if m.slug == slug else m

    return Registry(tuple(change(m) for m in registry))


def placed(regs: dict[str, Registration], slug: str) -> dict[str, str]:
    """The files ``<slug>-space`` writes besides the space itself: path -> content."""
    return {path: content for path, (content, _) in script_files(unwrap(regs[f"{slug}-space"].inputs["stdin"])).items()}


def children(regs: dict[str, Registration], parent_name: str, parent_type: str) -> set[str]:
    parent = next(r for r in regs.values() if r.name == parent_name and r.type == parent_type)
    return {r.name for r in regs.values() if r.parent == parent.urn}


# What each example member gets on 2026-11-28 besides <slug>-space (README "Web host", resources per
# member): keys, log rotation and site facts are files of <slug>-space.
EXPECTED_SITE_CHILDREN = {
    "amicale-laique-ainay": set(),  # archived: data only
    "amis-du-rhone": {"amis-du-rhone-container", "amis-du-rhone-credentials", "amis-du-rhone-cron"},
    "bibliotheque-libre": {"bibliotheque-libre-container"},  # static: Caddy rolls its own log
    "cine-club-lumiere": set(),  # suspended: the proxy answers 503
    "jardins-partages": {"jardins-partages-container", "jardins-partages-credentials"},  # 7.4, valid exception
    "velo-cite": {"velo-cite-container", "velo-cite-credentials"},
}
# The files <slug>-space writes besides the keys (PHP sites: log rotation; sites that run: facts).
EXPECTED_SPACE_FILES = {
    "amicale-laique-ainay": {"logrotate"},
    "amis-du-rhone": {"logrotate", "facts"},
    "bibliotheque-libre": {"facts"},
    "chorale-saint-jean": set(),
    "cine-club-lumiere": {"logrotate"},
    "jardins-partages": {"logrotate", "facts"},
    "velo-cite": {"logrotate", "facts"},
}


def test_each_member_gets_exactly_the_documented_resources(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    assert not {r.type for r in regs.values()} & {"pic:index:MemberSpace", "pic:index:MemberSite"}
    for m in registry:
        # One component per member holds its space, its site and its certificate (components.member).
        got = {n for n in children(regs, m.slug, "pic:index:Member") if "-tls-" not in n}
        expected = {f"{m.slug}-space"} | EXPECTED_SITE_CHILDREN.get(m.slug, set())
        assert got == expected, f"Member {m.slug}: {got}"
        files = script_files(unwrap(regs[f"{m.slug}-space"].inputs["stdin"]))
        kinds = {"/etc/logrotate.d/": "logrotate", web.SITES_DIR: "facts"}
        written = {kind for path in files for prefix, kind in kinds.items() if path.startswith(prefix)}
        assert f"{web.KEYS_DIR}/{m.slug}" in files, m.slug
        assert written == EXPECTED_SPACE_FILES[m.slug], f"{m.slug}: {sorted(files)}"
        if m.site is None:
            assert m.slug not in EXPECTED_SITE_CHILDREN
    per_host = children(regs, "web1", "pic:index:WebHost")
    assert per_host == {"web1-setup", "web1-sshd", "web1-docker", "web1-network", "web1-caddy-build"}
    runtimes = {r.name for r in regs.values() if r.type == "pic:index:PhpRuntime"}
    # 8.2 only has a suspended member, 8.5 none: nothing is built for them.
    assert runtimes == {"web1-php-7.4", "web1-php-8.3", "web1-php-8.4"}
    assert children(regs, "web1-proxy", "pic:index:FrontProxy") == {
        "web1-proxy-caddyfile",
        "web1-proxy-certs",  # prod: ACME, placeholders until the first issuance
        "web1-proxy-container",
        "web1-proxy-reload",
    }
    certified = {r.name.removesuffix("-tls-cert") for r in regs.values() if r.name.endswith("-tls-cert")}
    # amicale-laique-ainay is archived: its certificate is kept for re-activation
    assert certified == {"amicale-laique-ainay", "amis-du-rhone", "cine-club-lumiere", "jardins-partages", "velo-cite"}
    for slug in certified:
        assert {n for n in children(regs, slug, "pic:index:Member") if "-tls-" in n} == {f"{slug}-tls-cert"}, slug
    assert children(regs, "phpmyadmin", "pic:index:PhpMyAdmin") == {"phpmyadmin-build", "phpmyadmin-container"}
    names = [(r.type, r.name, r.parent) for r in pulumi_env.registrations.values()]
    assert len(names) == len(set(names))


def test_containers_mount_only_their_own_member_and_run_as_its_uid(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    sites = [
        r for r in regs.values() if r.type == CONTAINER and r.name.endswith("-container") and "proxy" not in r.name
    ]
    sites = [r for r in sites if r.name != "phpmyadmin-container"]
    assert len(sites) == 4
    for reg in sites:
        slug = reg.name.removesuffix("-container")
        uid = registry.get(slug).uid
        mounts = reg.inputs["mounts"]
        own = (f"/srv/members/{slug}/", f"/etc/pic/mail/sites/{slug}")
        assert all(mnt["source"].startswith(own) for mnt in mounts), f"{reg.urn}: {mounts}"
        by_target = {mnt["target"]: mnt for mnt in mounts}
        member_dirs = {"/srv/site/www", "/srv/site/priv", "/srv/site/log"}
        php = registry.get(slug).runtime is not None
        assert set(by_target) == member_dirs | ({"/etc/pic-mail"} if php else set()), reg.urn
        if php:
            assert by_target["/etc/pic-mail"]["readOnly"] is True, reg.urn
            msmtprc = script_files(unwrap(regs[f"{slug}-credentials"].inputs["stdin"]))[
                f"{sitemail.host_config_dir(slug)}/msmtprc"
            ][0]
            assert f"from {sitemail.envelope_sender(registry.get(slug))}\n" in msmtprc, reg.urn
        assert reg.inputs["networksAdvanced"][0]["ipv4Address"] == sitemail.site_address(registry.get(slug)), reg.urn
        assert by_target["/srv/site/priv"]["readOnly"] is True, reg.urn
        assert reg.inputs["user"] == f"{uid}:{uid}", reg.urn
        assert "ports" not in reg.inputs, f"{reg.urn} publishes a port"
        labels = {lab["label"]: lab["value"] for lab in reg.inputs["labels"]}
        assert (labels["pic.member"], labels["pic.role"]) == (slug, "site"), reg.urn
        space = regs[f"{slug}-space"]
        facts = json.loads(script_files(unwrap(space.inputs["stdin"]))[f"/etc/pic/site-facts/{slug}.json"][0])
        assert facts["pic.domains"] == ",".join(registry.get(slug).site.domains), reg.urn  # type: ignore[union-attr]
        assert f"/etc/pic/site-facts/{slug}.json" in space.inputs["create"]
        assert reg.inputs["capabilities"] == {"drops": ["ALL"]}, reg.urn


def test_limits_come_from_settings_with_member_override(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    velo, amis = regs["velo-cite-container"].inputs, regs["amis-du-rhone-container"].inputs
    assert (velo["memory"], velo["cpus"]) == (512, "1.5")  # members/velo-cite.yaml limits:
    assert velo["ulimits"] == [{"name": "nproc", "soft": 128, "hard": 128}]  # stack default
    assert (amis["memory"], amis["cpus"]) == (256, "1.0")


def test_site_facts_carry_runtime_eol_and_exception_and_labels_only_what_the_container_is(
    pulumi_env: RecordingMonitor,
) -> None:
    settings, registry = example()
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    labels = {lab["label"]: lab["value"] for lab in regs["jardins-partages-container"].inputs["labels"]}
    assert labels == {"pic.member": "jardins-partages", "pic.role": "site", "pic.php": "7.4"}
    jardins = json.loads(placed(regs, "jardins-partages")[f"{web.SITES_DIR}/jardins-partages.json"])
    assert {**jardins, **labels} == jardins
    assert jardins["pic.php.eol"] == "2022-11-28"
    assert jardins["pic.php.exception_until"] == "2027-03-31"
    assert jardins["pic.https"] == "true"
    biblio = json.loads(placed(regs, "bibliotheque-libre")[f"{web.SITES_DIR}/bibliotheque-libre.json"])
    assert (biblio["pic.php"], biblio["pic.php.eol"], biblio["pic.https"]) == ("none", "", "false")


def test_routine_edits_change_no_container(pulumi_env: RecordingMonitor) -> None:
    """Renewing an exception, adding a domain, changing https or memory: no replace-forcing input of any
    container changes (terraform-provider-docker: labels, uploads, ulimits, cpus are ForceNew)."""
    from pic.plan.diff import REPLACE_RULES

    settings, registry = example()
    before = run(pulumi_env, lambda: build_web(settings, registry, ON))
    slug = "jardins-partages"
    member = registry.get(slug)
    site, exc = member.site, member.spec.exceptions
    assert site is not None and exc.php_eol is not None
    from pic.registry import Limits

    limits = member.spec.limits or Limits()
    edits: dict[str, dict[str, Any]] = {
        "exception renewed": {
            "exceptions": exc.model_copy(
                update={"php_eol": exc.php_eol.model_copy(update={"until": exc.php_eol.until + dt.timedelta(days=90)})}
            )
        },
        "domain added": {"site": site.model_copy(update={"domains": [*site.domains, f"new.{site.domains[0]}"]})},
        "https off": {"site": site.model_copy(update={"https": not site.https})},
    }
    edits["memory"] = {"limits": limits.model_copy(update={"memory_mb": 384})}
    rule = REPLACE_RULES[CONTAINER]
    for what, update in edits.items():
        pulumi_env.registrations.clear()
        edited = with_member(registry, slug, **update)

        def program(edited: Registry = edited) -> None:
            build_web(settings, edited, ON)

        after = run(pulumi_env, program)
        for name, reg in after.items():
            if reg.type != CONTAINER or name not in before:
                continue
            old, new = unwrap(before[name].inputs), unwrap(reg.inputs)
            forced = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k) and rule.forces(k))
            assert forced == [], f"{what}: {reg.urn} would be replaced ({forced})"


def test_no_site_past_end_of_life_without_valid_exception(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    after = dt.date(2027, 4, 1)  # jardins-partages' exception ended on 2027-03-31
    regs = run(pulumi_env, lambda: build_web(settings, registry, after))
    assert "jardins-partages-container" not in regs
    assert "web1-php-7.4" not in regs, "a runtime past end of life with no allowed site is still built"
    assert "amis-du-rhone-container" in regs
    caddyfile = unwrap(regs["web1-proxy-caddyfile"].inputs["stdin"])
    block = caddyfile.split("# member jardins-partages: refused\n", 1)[1].split("\n}\n", 1)[0]
    assert "respond" in block
    assert "503" in block
    assert "reverse_proxy" not in block


def test_a_stopped_runtime_runs_nothing(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    runtimes = dict(settings.runtimes)
    runtimes["8.4"] = runtimes["8.4"].model_copy(update={"stopped": True})
    stopped = settings.model_copy(update={"runtimes": runtimes})
    regs = run(pulumi_env, lambda: build_web(stopped, registry, ON))
    assert "velo-cite-container" not in regs
    assert "web1-php-8.4" not in regs
    assert "velo-cite-space" in regs, "the member's space must stay"


def test_member_directories_are_retained_and_never_deleted(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    for m in registry:
        space = regs[f"{m.slug}-space"]
        assert space.type == REMOTE
        # Its delete script, and its script, remove the platform's files of the member only (keys, log
        # rotation, site facts), never the account nor anything under the members' root.
        platform = [f"{web.KEYS_DIR}/{m.slug}", web.logrotate_path(m.slug), web.site_facts_path(m.slug)]
        assert space.inputs["delete"] == f"sudo -n sh -eu -c 'rm -f {' '.join(platform)}'", space.urn
        script = unwrap(space.inputs["stdin"])
        removals = [line for line in script.splitlines() if "rm " in line]
        assert all(line.startswith("rm -f /etc/") for line in removals), removals
        assert settings.members_root not in "".join(removals), space.urn
        assert "userdel" not in script, space.urn
        for sub in ("www", "priv", "db", "log"):
            assert f'"$home/{sub}"' in script, f"{space.urn} does not create {sub}/"


def test_the_space_ends_sessions_after_writing_the_keys(pulumi_env: RecordingMonitor) -> None:
    """The space's script ends the sessions of access it takes away once the new keys are written (ended before,
    a removed key could log in again meanwhile), in the same shell as the space script that noted them."""
    settings, registry = example()
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    for m in registry:
        space = regs[f"{m.slug}-space"]
        script = unwrap(space.inputs["stdin"])
        end = web.render_member_sessions_end(m)
        assert script.startswith(web.render_member_space_script(m, settings)), space.urn
        assert script.endswith(end), f"{space.urn}: the sessions' end is not the script's end"
        keys = script_files(script)[f"{web.KEYS_DIR}/{m.slug}"][1]
        assert script.index(keys) < script.index(end), space.urn


def test_changing_php_version_replaces_the_container_only(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    site = registry.get("amis-du-rhone").site
    assert site is not None
    assert site.php == "8.3"
    before = run(pulumi_env, lambda: build_web(settings, registry, ON))
    pulumi_env.registrations.clear()
    moved = with_member(registry, "amis-du-rhone", site=site.model_copy(update={"php": "8.4"}))
    after = run(pulumi_env, lambda: build_web(settings, moved, ON))

    old, new = before["amis-du-rhone-container"], after["amis-du-rhone-container"]
    assert old.inputs["image"].startswith("pic/php:8.3-")
    assert new.inputs["image"].startswith("pic/php:8.4-")
    # The image is an input that replaces the container; its fixed name needs the old one gone first.
    assert "image" in new.replace_on_changes
    assert new.delete_before_replace
    facts = f"{web.SITES_DIR}/amis-du-rhone.json"
    assert placed(before, "amis-du-rhone")[facts] != placed(after, "amis-du-rhone")[facts]
    assert old.urn == new.urn
    # Data side: the space's script changes only by the site's facts (it runs again, idempotent).
    unchanged = {p: c for p, c in placed(before, "amis-du-rhone").items() if p != facts}
    assert unchanged == {p: c for p, c in placed(after, "amis-du-rhone").items() if p != facts}
    assert new.inputs["mounts"] == old.inputs["mounts"]
    changed = [n for n in before if n in after and unwrap(before[n].inputs) != unwrap(after[n].inputs)]
    assert sorted(changed) == ["amis-du-rhone-container", "amis-du-rhone-space"]


def test_suspended_and_archived_members_cannot_log_in(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    for slug in ("cine-club-lumiere", "amicale-laique-ainay"):
        script = unwrap(regs[f"{slug}-space"].inputs["stdin"])
        assert "--groups pic-locked" in script, slug
        assert "--expiredate 1" in script, slug
        keys = placed(regs, slug)[f"{web.KEYS_DIR}/{slug}"]
        assert "ssh-" not in keys, slug
    velo = unwrap(regs["velo-cite-space"].inputs["stdin"])
    assert "--groups pic-ssh" in velo
    assert "--shell /bin/bash" in velo
    amis = unwrap(regs["amis-du-rhone-space"].inputs["stdin"])
    assert "--groups pic-sftp" in amis
    assert "--shell /usr/sbin/nologin" in amis
    assert placed(regs, "amis-du-rhone")[f"{web.KEYS_DIR}/amis-du-rhone"].startswith("ssh-ed25519 ")


def test_ssh_key_of_the_hosts_stays_secret(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    remote = [r for r in regs.values() if r.type == REMOTE]
    assert remote
    for reg in remote:
        assert is_secret(reg.inputs["connection"]), f"{reg.urn}: connection (with the key) is not secret"
    assert "mock-ssh-key" not in str([r.inputs for r in regs.values() if r.type != REMOTE])


def test_proxy_gets_caddyfile_as_stdin_and_reloads(pulumi_env: RecordingMonitor) -> None:
    settings, registry = example()
    regs = run(pulumi_env, lambda: build_web(settings, registry, ON))
    placed = regs["web1-proxy-caddyfile"]
    assert "/etc/pic/caddy/Caddyfile" in placed.inputs["create"]
    text = unwrap(placed.inputs["stdin"])
    assert "pma.example.org {" in text
    assert "amicale-ainay.fr" not in text
    reload = unwrap(regs["web1-proxy-reload"].inputs["stdin"])
    assert "caddy reload" in reload
    proxy = regs["web1-proxy-container"]
    assert {(p["internal"], p["external"]) for p in proxy.inputs["ports"]} == {(80, 80), (443, 443)}
    assert placed.urn in proxy.dependencies


def test_dev_stack_uses_the_local_engine(pulumi_env: RecordingMonitor) -> None:
    checked = check(ROOT, "dev", MEMBERS, ON)
    regs = run(pulumi_env, lambda: build_web(checked.settings, checked.registry, ON))
    assert regs["web1-docker"].inputs["host"] == "unix:///var/run/docker.sock"
    assert "web1-sshd" not in regs, "dev must not rewrite the admin's own sshd_config"
    assert regs["web1-setup"].type == "command:local:Command"


def test_program_builds_the_same(pulumi_env: RecordingMonitor, monkeypatch: pytest.MonkeyPatch) -> None:
    """__main__.py builds the same web resources as ``build_web`` (same day)."""
    settings, registry = example()
    expected = run(pulumi_env, lambda: build_web(settings, registry, ON))
    pulumi_env.registrations.clear()

    class Day(dt.date):
        @classmethod
        def today(cls) -> Day:
            return cls(ON.year, ON.month, ON.day)

    monkeypatch.setattr(dt, "date", Day)
    monkeypatch.chdir(ROOT)
    program = run(pulumi_env, lambda: runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__"))
    web_types = {"pic:index:WebHost", "pic:index:PhpRuntime", "pic:index:FrontProxy", "pic:index:PhpMyAdmin"}
    web_types |= {"pic:index:InternalCa"}
    ours = {(r.type, r.name) for r in expected.values()}
    theirs = {(r.type, r.name) for r in program.values()}
    assert ours <= theirs, ours - theirs
    web_top = {(t, n) for t, n in theirs if t in web_types}
    assert web_top == {(t, n) for t, n in ours if t in web_types}
    # The program's Member components hold the databases' resources too: the web part's are a subset.
    assert {n for t, n in ours if t == "pic:index:Member"} == {n for t, n in theirs if t == "pic:index:Member"}


@pytest.mark.parametrize(
    ("address", "url"),
    [("web2.example.org", "ssh://deploy@web2.example.org:22"), ("2001:db8::2", "ssh://deploy@[2001:db8::2]:22")],
)
def test_second_web_host_gets_its_own_set(pulumi_env: RecordingMonitor, address: str, url: str) -> None:
    settings, registry = example()
    hosts = dict(settings.hosts)
    hosts["web2"] = hosts["web1"].model_copy(update={"address": address, "private_address": "10.0.0.12"})
    two = settings.model_copy(update={"hosts": hosts})
    moved = Registry(tuple(replace(m, host="web2") if m.slug == "velo-cite" else m for m in registry))
    regs = run(pulumi_env, lambda: build_web(two, moved, ON))
    assert children(regs, "web2", "pic:index:WebHost") == {
        "web2-setup",
        "web2-sshd",
        "web2-docker",
        "web2-network",
        "web2-caddy-build",
    }
    assert regs["web2-docker"].inputs["host"] == url  # an IPv6 address in brackets (RFC 3986)
    runtimes = {r.name for r in regs.values() if r.type == "pic:index:PhpRuntime"}
    assert runtimes == {"web1-php-7.4", "web1-php-8.3", "web2-php-8.4"}
    container = regs["velo-cite-container"]
    assert container.provider.startswith(regs["web2-docker"].urn), container.provider
    web1 = unwrap(regs["web1-proxy-caddyfile"].inputs["stdin"])
    web2 = unwrap(regs["web2-proxy-caddyfile"].inputs["stdin"])
    assert "velo-cite-lyon.fr" in web2
    assert "velo-cite-lyon.fr" not in web1
    assert "pma.example.org" in web1  # phpMyAdmin stays on the first web host
    assert "pma.example.org" not in web2
    # The mail host's relay lets the Internet deliver to the lists (tests/test_daemons_sitemail.py); web2's
    # refuses any client but its sites.
    assert two.mail_host == "web1"
    relay1 = unwrap(regs["web1-mail-relay-setup"].inputs["stdin"])
    relay2 = unwrap(regs["web2-mail-relay-setup"].inputs["stdin"])
    assert "reject_unauth_destination" in relay1 and "reject_unauth_destination" not in relay2
    assert "inet_protocols = all" in relay1 and "inet_protocols = ipv4" in relay2
    # The mail name is a name: web2's own, or the mail exchanger's when web2's address is an IP.
    assert "postfix/mailname string 'web1.example.org" in relay1
    mailname = "web1.example.org" if address == "2001:db8::2" else address
    assert f"postfix/mailname string '{mailname}" in relay2, relay2


def generated(count: int) -> list[Member]:
    """Members of every kind, spread over two web hosts."""
    statuses = ["active", "active", "active", "suspended", "archived"]
    phps = ["8.3", "8.4", "none", "8.2", "7.4"]
    out = []
    for i in range(count):
        slug = f"gen-{i:04d}"
        data: dict[str, Any] = {
            "name": slug,
            "contact": {"name": "Gen", "email": "gen@example.org"},
            "uid": 20000 + i,
            "status": statuses[i % len(statuses)],
        }
        if i % 7 != 0:  # every seventh member has lists only
            data["site"] = {"domains": [f"{slug}.org", f"www.{slug}.org"], "php": phps[i % len(phps)]}
        out.append(Member(slug, f"members/{slug}.yaml", MemberSpec.model_validate(data), ("web1", "web2")[i % 2]))
    return out


def test_generated_registry_counts(pulumi_env: RecordingMonitor) -> None:
    settings, _ = example()
    hosts = dict(settings.hosts)
    hosts["web2"] = hosts["web1"].model_copy(update={"address": "web2.example.org", "private_address": "10.0.0.12"})
    two = settings.model_copy(update={"hosts": hosts})
    members = generated(150)
    regs = run(pulumi_env, lambda: build_web(two, Registry(tuple(members)), ON))
    names = [(r.type, r.name) for r in pulumi_env.registrations.values()]
    assert len(names) == len(set(names)), "two resources share a type and a name"
    states = [eol.site_state(m, two, ON) for m in members]
    sites = [m for m in members if m.site is not None]
    running = [m for m, st in zip(members, states, strict=True) if st == "running"]
    runtimes = {(m.host, m.runtime) for m in running if m.runtime is not None}
    per_host = 2 * (1 + 5 + 1 + 4 + 2)  # WebHost and its 5 children, FrontProxy and its 4, SiteMailRelay and its 1
    expected = per_host + 2 * len(runtimes) + 3  # PhpRuntime + build; phpMyAdmin + 2
    expected += 2 * len(members)  # the Member component, -space
    expected += len(running)  # -container
    expected += len([m for m in running if m.runtime is not None])  # -credentials (its msmtprc)
    certified = [m for m in sites if m.site is not None and m.site.https]  # archived ones keep theirs
    expected += len(certified)  # its certbot command (prod: ACME)
    assert len(pulumi_env.registrations) == expected
    for reg in regs.values():
        if reg.type == CONTAINER and reg.name.startswith("gen-"):
            slug = reg.name.removesuffix("-container")
            sources = {m["source"] for m in reg.inputs["mounts"]} - {sitemail.host_config_dir(slug)}
            assert {src.rsplit("/", 1)[0] for src in sources} == {f"/srv/members/{slug}"}, reg.urn
    addresses = [
        r.inputs["networksAdvanced"][0]["ipv4Address"]
        for r in regs.values()
        if r.name.startswith("gen-") and r.type == CONTAINER
    ]
    assert len(addresses) == len(set(addresses)), "two sites share an address"


def test_phpmyadmin_block_matches_its_component(pulumi_env: RecordingMonitor) -> None:
    settings, _ = example()
    blocks = web.proxy_extra_blocks(settings)
    box: list[PhpMyAdmin] = []

    def program() -> None:
        box.append(PhpMyAdmin("phpmyadmin", PhpMyAdminArgs(settings, WebHost("web1", WebHostArgs(settings, "web1")))))

    regs = run(pulumi_env, program)
    assert blocks == {"web1": [box[0].caddy_block]}
    config = regs["phpmyadmin-container"].inputs["uploads"][0]
    assert config["file"] == "/etc/phpmyadmin/conf.d/pic.php"
    assert "'10.0.0.10'" in config["content"]
    no_pma = settings.model_copy(update={"phpmyadmin": None})
    assert web.proxy_extra_blocks(no_pma) == {"web1": []}
