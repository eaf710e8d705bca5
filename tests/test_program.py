"""The whole program (``__main__.py``) under mocks, for the example registry and a generated one of 49.

It runs through the plan engine (the same code as ``pic plan``), whose mock
monitor returns the outputs a provider declares secret as secrets, as the
engine does, so that a secret's path through the components is the real one.
Checked: every URN is unique; every registered input and output, and every
export, is free of plaintext secrets (both secret-looking text and the exact
values of the program's own secrets); the policy pack passes on the program;
every member's resources are the ones the README documents.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from components.hostcmd import script_files
from pic import secrettext
from pic.check import check
from pic.eol import exception_valid
from pic.plan import engine
from pic.plan.diff import removed_paths
from pic.plan.engine import Record, is_secret
from pic.plan.model import PLATFORM, Attribution, Rendering
from pic.registry import Member, Registry
from pic.settings import Settings, load_settings
from policy import rules
from tests.conftest import ROOT
from tests.generated_registry import generate
from tests.policy_support import violations_of_program


@dataclass
class Program:
    records: list[Record]
    run: engine.Run
    registry: Registry
    settings: Settings
    rendering: Rendering

    def by_member(self) -> dict[str, list[Record]]:
        attr = Attribution(self.rendering, self.registry, self.settings)
        out: dict[str, list[Record]] = {}
        for r in self.records:
            if r.custom:
                out.setdefault(attr.member(self.rendering.resources[r.urn]), []).append(r)
        return out


def evaluate(members: Path, project: Path = ROOT) -> Program:
    checked = check(project, "prod", members, dt.date.today())
    run = engine.run_program(project, "prod", members, secret_keys=("pic:dbAdminPassword", "pic:sshPrivateKey"))
    rendering = Rendering.from_json(engine.redacted_json(run, b"test"))
    return Program(run.records, run, checked.registry, checked.settings, rendering)


@pytest.fixture(scope="module")
def examples() -> Program:
    return evaluate(ROOT / "members")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Program:
    directory = tmp_path_factory.mktemp("generated") / "members"
    generate(directory, 49, load_settings(ROOT, "prod"))
    return evaluate(directory)


PROGRAMS = ["examples", "generated"]
CONNECTION_SECRETS = {"privateKey", "password", "privateKeyPassword"}


@pytest.fixture(params=PROGRAMS)
def program(request: pytest.FixtureRequest) -> Program:
    result: Program = request.getfixturevalue(request.param)
    return result


def test_every_urn_is_unique(program: Program) -> None:
    assert program.run.duplicates == []
    urns = [r.urn for r in program.records]
    assert len(urns) == len(set(urns))


def test_generated_registry_has_every_kind_of_member(generated: Program) -> None:
    """The generator is what makes the 49-member test worth having: check it does cover the cases."""
    members = list(generated.registry)
    assert len(members) == 49
    assert {m.status for m in members} == {"active", "suspended", "archived"}
    assert any(m.site is None for m in members) and any(m.site and m.site.static for m in members)
    assert any(m.site and not m.site.https for m in members) and any(m.spec.exceptions.php_eol for m in members)
    assert {len(m.databases) for m in members} == {0, 1, 2, 3}


def _leaves(value: Any, path: str, secret: bool = False) -> Iterator[tuple[str, str, bool]]:
    """(path, string, under a secret mark) of every string of a wire value."""
    if is_secret(value):
        yield from _leaves(value.get("value"), path, True)
    elif isinstance(value, str):
        yield path, value, secret
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{path}.{k}", secret)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]", secret)


def _plain_strings(program: Program) -> Iterator[tuple[str, str]]:
    for r in program.records:
        for where, values in (("inputs", r.inputs), ("outputs", r.outputs)):
            for path, text, secret in _leaves(values, f"{r.urn} {where}"):
                if not secret:
                    yield path, text
    for path, text, secret in _leaves(program.run.exports, "stack exports"):
        if not secret:
            yield path, text


def secret_looking(program: Program) -> list[str]:
    found = []
    for path, text in _plain_strings(program):
        name = path.rsplit(".", 1)[-1].split("[", 1)[0]
        kind = secrettext.secret_kind(text, name)
        if kind:
            found.append(f"{path}: {kind}")
    return found


def program_secrets(program: Program) -> set[str]:
    """Every value the program holds as a secret: passwords, private keys, config secrets, and what is
    made of them (credential files), as marked on the wire."""
    secrets = {engine.PLACEHOLDER}
    for r in program.records:
        for values in (r.inputs, r.outputs):
            for path, text, secret in _leaves(values, ""):
                # A command's whole connection is a secret (it may carry the key); its address is not.
                blanket = path.startswith(".connection.") and path.rsplit(".", 1)[-1] not in CONNECTION_SECRETS
                if secret and len(text) >= 8 and not blanket:
                    secrets.add(text)
    return secrets


def leaked_secrets(program: Program) -> list[str]:
    """Plain strings that contain a value the program holds as a secret (passwords, keys, config secrets)."""
    secrets = program_secrets(program)
    return [path for path, text in _plain_strings(program) if any(s in text for s in secrets)]


def test_no_secret_looking_value_in_plain_text(program: Program) -> None:
    assert secret_looking(program) == []


def test_no_secret_value_of_the_program_leaks_into_plain_text(program: Program) -> None:
    assert leaked_secrets(program) == []


def test_component_outputs_made_of_a_secret_are_secret(program: Program) -> None:
    """What each component registers (kept in the stack's state): every output that holds a secret,
    or text made from one, is itself secret."""
    components = [r for r in program.records if not r.custom and not r.type.startswith("pulumi:")]
    assert components
    assert [r.urn for r in components if not r.outputs] == [], "a component whose outputs were not recorded"
    secrets = program_secrets(program)
    made_of_secrets: dict[tuple[str, str], bool] = {}
    plain: list[str] = []
    for r in components:
        for path, text, secret in _leaves(r.outputs, ""):
            if any(s in text for s in secrets):
                made_of_secrets[(r.type, path)] = True
                if not secret:
                    plain.append(f"{r.urn} output {path}")
    assert plain == []
    # the outputs that must be found, so that the check above is not vacuous
    assert {("pic:index:DbHost", ".backup_password")} <= set(made_of_secrets)


LEAKY = """
import pulumi, pulumi_random as random, pulumi_tls as tls, pulumi_command as command
pw = random.RandomPassword("pw", length=20)
key = tls.PrivateKey("key", algorithm="ED25519")
admin = pulumi.Config("pic").require_secret("dbAdminPassword")
command.local.Command("conf", create="cat", stdin=pulumi.Output.unsecret(pw.result).apply(lambda p: "user " + p))
command.local.Command("admin", create="cat", environment={"X": pulumi.Output.unsecret(admin)})
pulumi.export("key", pulumi.Output.unsecret(key.private_key_pem))
"""


def test_the_secret_checks_catch_a_leaky_program(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Pulumi.prod.yaml", tmp_path)
    shutil.copytree(ROOT / "members", tmp_path / "members")
    (tmp_path / "__main__.py").write_text(LEAKY, encoding="utf-8")
    program = evaluate(tmp_path / "members", tmp_path)
    assert [p for p in secret_looking(program) if p.startswith("stack exports")] == ["stack exports.key: a private key"]
    leaks = leaked_secrets(program)
    assert any("::conf inputs.stdin" in p for p in leaks), leaks
    assert any("::admin inputs.environment.X" in p for p in leaks), leaks
    assert "stack exports.key" in leaks


def test_policy_pack_passes_on_the_program(program: Program) -> None:
    assert violations_of_program(program.records) == []


def test_every_resource_is_a_members_or_the_platforms(program: Program) -> None:
    by_member = program.by_member()
    slugs = {m.slug for m in program.registry}
    assert set(by_member) <= slugs | {PLATFORM}


def test_program_runs_the_registry_checks_first(tmp_path: Path) -> None:
    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    path = members / "amis-du-rhone.yaml"
    path.write_text(path.read_text().replace('php: "8.3"', 'php: "5.5"'), encoding="utf-8")
    with pytest.raises(engine.ProgramError, match=r'amis-du-rhone\.yaml:13 site\.php: "5\.5" is not a runtime'):
        engine.run_program(ROOT, "prod", members)


# --- resources per member, as the README sections of the web, database and mail parts document them ---

CMD = "command:remote:Command"


def documented_web(member: Member, settings: Settings, on: dt.date) -> Counter[tuple[str, str]]:
    """README, "Web host", "Resources" (certificates: the member's one certificate)."""
    slug = member.slug
    out: Counter[tuple[str, str]] = Counter()
    # <slug>-space also writes the keys, the log rotation (PHP sites) and the site's facts (sites that run)
    out.update([("pic:index:Member", slug), (CMD, f"{slug}-space")])
    site = member.site
    if site is not None:
        if site_runs(member, settings, on):
            out[("docker:index/container:Container", f"{slug}-container")] += 1
            if not site.static:
                out[(CMD, f"{slug}-credentials")] += 1  # its msmtprc (and its databases' files)
            if member.spec.cron:
                out[(CMD, f"{slug}-cron")] += 1
        if site.https:  # archived members keep theirs, for re-activation
            if settings.tls.ca == "internal":
                out.update(
                    [
                        ("tls:index/privateKey:PrivateKey", f"{slug}-tls-key"),
                        ("tls:index/certRequest:CertRequest", f"{slug}-tls-csr"),
                        ("tls:index/locallySignedCert:LocallySignedCert", f"{slug}-tls-cert"),
                        (CMD, f"{slug}-tls-key-file"),
                        (CMD, f"{slug}-tls-cert-file"),
                    ]
                )
            else:
                out[(CMD, f"{slug}-tls-cert")] += 1
    return out


def documented_db(member: Member, settings: Settings, on: dt.date) -> Counter[tuple[str, str]]:
    """README, "Database host": per database, what it creates (in the member's component)."""
    out: Counter[tuple[str, str]] = Counter()
    if member.databases and not (site_runs(member, settings, on) and member.site and not member.site.static):
        out[(CMD, f"{member.slug}-credentials")] += 1  # its databases' files (with a PHP site's msmtprc: web part)
    for db in member.databases:
        name = f"{member.slug}-db-{db.short}"
        out.update(
            [
                ("mysql:index/database:Database", f"{name}-database"),
                ("random:index/randomPassword:RandomPassword", f"{name}-password"),
            ]
        )
        for web in settings.web_hosts:
            out.update(
                [
                    ("mysql:index/user:User", f"{name}-user-{web}"),
                    ("mysql:index/grant:Grant", f"{name}-grant-{web}"),
                    ("mysql:index/grant:Grant", f"{name}-backup-grant-{web}"),
                ]
            )
        if member.status in ("suspended", "archived"):
            out[(CMD, f"{name}-lock")] += 1
    return out


def documented_mail(member: Member, settings: Settings, on: dt.date) -> Counter[tuple[str, str]]:
    """README, "Mailing lists", Resources: per member list domain D (archived members' lists do not run,
    their DKIM keys stay)."""
    out: Counter[tuple[str, str]] = Counter()
    if member.lists is not None and member.status == "archived":
        d = member.lists.domain  # the lists do not run; the DKIM key stays for re-activation
        out.update([("tls:index/privateKey:PrivateKey", f"sympa-dkim-{d}"), (CMD, f"sympa-dkim-file-{d}")])
    if member.lists is not None and member.status != "archived":
        d = member.lists.domain
        out.update(
            [
                ("tls:index/privateKey:PrivateKey", f"sympa-dkim-{d}"),
                (CMD, f"sympa-dkim-file-{d}"),
                (CMD, f"sympa-robot-{d}"),
                ("pic:index:DmarcPolicy", f"dmarc-{d}"),
            ]
        )
    return out


PARTS = [documented_web, documented_db, documented_mail]


def documented(member: Member, settings: Settings, on: dt.date) -> Counter[tuple[str, str]]:
    """The (type, name) of every resource the README lists for one member (prod stack: remote commands)."""
    out: Counter[tuple[str, str]] = Counter()
    for part in PARTS:
        out.update(part(member, settings, on))
    return out


def site_runs(member: Member, settings: Settings, on: dt.date) -> bool:
    """README, web host: a site runs when active, on a runtime neither stopped nor past end of life
    without a valid exception."""
    if member.site is None or member.status != "active":
        return False
    key = member.runtime
    if key is None:
        return True
    spec = settings.runtimes[key]
    past = spec.eol < on and not exception_valid(member, on)
    return not spec.stopped and not past


def test_resources_per_member_are_the_documented_ones(program: Program) -> None:
    attr = Attribution(program.rendering, program.registry, program.settings)
    actual: dict[str, Counter[tuple[str, str]]] = {m.slug: Counter() for m in program.registry}
    for r in program.records:
        member = attr.member(program.rendering.resources[r.urn])
        if member in actual:
            actual[member][(r.type, r.name)] += 1
    on = dt.date.today()
    for m in program.registry:
        assert actual[m.slug] == documented(m, program.settings, on), m.slug


def test_stateful_resources_are_kept(program: Program) -> None:
    for r in program.records:
        if r.type == "mysql:index/database:Database":
            assert r.protect and r.retain_on_delete, r.urn
        if r.type == CMD and r.name.endswith("-space") and r.parent.endswith("Member::" + r.name[: -len("-space")]):
            # its delete script removes platform files only, never the member's (README, web host)
            assert removed_paths(program.rendering.resources[r.urn]), r.urn
            assert not any(
                p.startswith(program.settings.members_root) for p in removed_paths(program.rendering.resources[r.urn])
            ), r.urn


def test_site_containers_carry_the_contract_labels(program: Program) -> None:
    on = dt.date.today()
    containers = {r.name: r for r in program.records if r.type == "docker:index/container:Container"}
    facts = {r.name: r for r in program.records if r.name.endswith("-space")}
    running = [m for m in program.registry if site_runs(m, program.settings, on)]
    assert running, "the registry runs no site: the test would check nothing"
    for m in running:
        assert m.site is not None
        r = containers[f"{m.slug}-container"]
        labels = {item["label"]: item["value"] for item in r.inputs["labels"]}
        # What the container is; what routine edits change is in its facts, so that they never replace it.
        assert labels == {"pic.member": m.slug, "pic.role": "site", "pic.php": m.runtime or "none"}, m.slug
        placed = facts[f"{m.slug}-space"]
        assert f"/etc/pic/site-facts/{m.slug}.json" in placed.inputs["create"], placed.urn
        exc = m.spec.exceptions.php_eol
        written = script_files(placed.inputs["stdin"])[f"/etc/pic/site-facts/{m.slug}.json"][0]
        assert json.loads(written) == {
            **labels,
            "pic.php.eol": program.settings.runtimes[m.runtime].eol.isoformat() if m.runtime else "",
            "pic.php.exception_until": exc.until.isoformat() if exc else "",
            "pic.https": "true" if m.site.https else "false",
            "pic.domains": ",".join(m.site.domains),
        }, m.slug


def test_mysql_users_come_from_the_web_hosts_only(program: Program) -> None:
    addresses = {str(h.private_address) for h in program.settings.hosts.values() if h.role == "web"}
    users = [r for r in program.records if r.type == "mysql:index/user:User"]
    assert users
    for r in users:
        assert r.inputs["host"] in addresses, r.urn


def test_dkim_keys_are_secret_end_to_end(program: Program) -> None:
    keys = [r for r in program.records if r.type == "tls:index/privateKey:PrivateKey" and "dkim" in r.name]
    assert keys
    for r in keys:
        assert all(is_secret(r.outputs[k]) for k in ("privateKeyPem", "privateKeyOpenssh")), r.urn


def test_the_https_policy_reads_the_programs_own_certificates(program: Program) -> None:
    """Drop a domain from one member's certificate: the policy must notice, so it is not passing vacuously."""
    from tests.policy_support import plain

    resources = [rules.StackResource(r.urn, r.type, plain(r.inputs)) for r in program.records if r.custom]
    assert rules.https_coverage(resources) == []
    https = [m for m in program.registry if site_runs(m, program.settings, dt.date.today()) and m.site and m.site.https]
    assert https
    member = https[0]
    assert member.site is not None
    dropped = member.site.domains[-1]
    cut = []
    for r in resources:
        props = dict(r.props)
        if r.name == f"{member.slug}-tls-cert" and isinstance(props.get("stdin"), str):
            props["stdin"] = props["stdin"].replace(f"--domain {dropped}", "")
        if r.name == f"{member.slug}-tls-csr":
            props["dnsNames"] = [d for d in props["dnsNames"] if d != dropped]
        cut.append(rules.StackResource(r.urn, r.type, props))
    found = rules.https_coverage(cut)
    assert len(found) == 1 and dropped in found[0][1], found
