"""pic plan: the engine under mocks, the diff rules, and the command on a throw-away git repository.

The command tests run a small program that keeps the platform's resource
contracts (tests/fixtures/contract_program.py) in a temporary git
repository, commit a member change, and read what ``pic plan --against``
says about it. tests/test_program.py runs the plan on the real program.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pic.plan import engine
from pic.plan.diff import diff, stateful_changes
from pic.plan.model import Rendering, Resource
from pic.registry import Member
from pic.settings import Settings
from tests.conftest import ROOT, require_program

FIXTURE = ROOT / "tests" / "fixtures" / "contract_program.py"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "pic tests",
    "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "pic tests",
    "GIT_COMMITTER_EMAIL": "tests@example.org",
}


# --- diff rules on hand-made renderings --------------------------------------------------------


def res(typ: str, name: str, inputs: dict[str, Any] | None = None, **opts: Any) -> Resource:
    return Resource(
        urn=f"urn:pulumi:prod::pic::{typ}::{name}",
        type=typ,
        name=name,
        parent="",
        custom=opts.pop("custom", True),
        inputs=inputs or {},
        outputs={},
        **opts,
    )


def rendering(*resources: Resource) -> Rendering:
    return Rendering({r.urn: r for r in resources})


CMD = "command:remote:Command"
CONTAINER = "docker:index/container:Container"
DB = "mysql:index/database:Database"


def test_command_script_change_is_an_update_and_triggers_a_replacement() -> None:
    old = rendering(res(CMD, "a", {"stdin": "x", "triggers": ["1"]}))
    changes = diff(old, rendering(res(CMD, "a", {"stdin": "y", "triggers": ["1"]})))
    assert [(c.kind, [i.key for i in c.inputs]) for c in changes] == [("update", ["stdin"])]
    changes = diff(old, rendering(res(CMD, "a", {"stdin": "x", "triggers": ["2"]})))
    assert [c.kind for c in changes] == ["replace"]
    assert "triggers" in changes[0].reasons[0]


def test_container_memory_is_updated_in_place_but_image_replaces() -> None:
    old = rendering(res(CONTAINER, "s", {"image": "php:8.3", "memory": 256}))
    assert [c.kind for c in diff(old, rendering(res(CONTAINER, "s", {"image": "php:8.3", "memory": 512})))] == [
        "update"
    ]
    assert [c.kind for c in diff(old, rendering(res(CONTAINER, "s", {"image": "php:8.4", "memory": 256})))] == [
        "replace"
    ]


def test_replace_on_changes_option_forces_a_replacement() -> None:
    old = rendering(res(CMD, "a", {"stdin": "x"}))
    new = rendering(res(CMD, "a", {"stdin": "y"}, replace_on_changes=("stdin",)))
    (change,) = diff(old, new)
    assert change.kind == "replace" and "replace_on_changes" in change.reasons[0]


def test_database_rename_is_a_stateful_replacement() -> None:
    old = rendering(res(DB, "m-db-main", {"name": "m_main"}, protect=True))
    new = rendering(res(DB, "m-db-main", {"name": "m_other"}, protect=True))
    (change,) = diff(old, new)
    assert change.kind == "replace" and "a database" in change.stateful
    assert stateful_changes([change]) == [change]


def test_charset_change_of_a_database_is_an_update_and_not_stateful() -> None:
    old = rendering(res(DB, "d", {"name": "m", "defaultCharacterSet": "utf8"}, protect=True))
    new = rendering(res(DB, "d", {"name": "m", "defaultCharacterSet": "utf8mb4"}, protect=True))
    (change,) = diff(old, new)
    assert change.kind == "update" and not stateful_changes([change])


def test_lifting_protection_is_stateful() -> None:
    old = rendering(res(DB, "d", {"name": "m"}, protect=True))
    (change,) = diff(old, rendering(res(DB, "d", {"name": "m"}, protect=False)))
    assert change.options == ["protect: true -> false"] and change.stateful


def test_alias_makes_a_rename_not_a_removal() -> None:
    old = res(DB, "old-name", {"name": "m"}, protect=True)
    new = res(DB, "new-name", {"name": "m"}, protect=True, aliases=(old.urn,))
    assert [(c.kind, c.renamed_from, c.stateful) for c in diff(rendering(old), rendering(new))] == [
        ("rename", old.urn, "")
    ]


def test_removed_retained_directory_is_stateful_and_plain_removal_is_not() -> None:
    old = rendering(res(CMD, "m-space", {"create": "mkdir"}, retain_on_delete=True), res(CMD, "m-conf", {}))
    changes = diff(old, rendering())
    assert {c.resource.name: bool(c.stateful) for c in changes} == {"m-space": True, "m-conf": False}


def test_a_removed_command_without_delete_says_the_host_keeps_its_file() -> None:
    old = rendering(
        res(CMD, "kept", {"create": "install"}),
        res(CMD, "gone", {"create": "install", "delete": "rm"}),
        res(CMD, "keys", {"create": "install", "delete": "sudo -n rm -f /etc/pic/ssh/authorized_keys/m"}),
    )
    notes = {c.resource.name: c.note for c in diff(old, rendering())}
    assert "nothing is removed from the host" in notes["kept"] and notes["gone"] == ""
    # what a delete command removes is said, for the reviewer
    assert notes["keys"] == "its delete command removes /etc/pic/ssh/authorized_keys/m"


def test_secret_changes_are_compared_but_never_shown() -> None:
    from pic.plan.diff import describe

    old = rendering(res(CMD, "c", {"stdin": {"[secret]": "aaaa"}}))
    new = rendering(res(CMD, "c", {"stdin": {"[secret]": "bbbb"}}))
    (change,) = diff(old, new)
    assert describe(change.inputs[0]) == ["stdin: [secret] changed"]
    assert diff(old, old) == []


def test_a_type_without_replace_rule_is_an_update_with_a_note() -> None:
    typ = "acme:index/certificate:Certificate"
    (change,) = diff(
        rendering(res(typ, "c", {"commonName": "a.org"})), rendering(res(typ, "c", {"commonName": "b.org"}))
    )
    assert change.kind == "update" and typ in change.note
    (known,) = diff(rendering(res(CMD, "a", {"stdin": "x"})), rendering(res(CMD, "a", {"stdin": "y"})))
    assert known.note == ""


def test_ignore_changes_is_honoured() -> None:
    old = rendering(res(CONTAINER, "s", {"image": "a"}))
    assert diff(old, rendering(res(CONTAINER, "s", {"image": "b"}, ignore_changes=("image",)))) == []


def test_attribution_by_address_provider_name_and_list_domain() -> None:
    from pic.check import check
    from pic.plan.model import NO_HOST, PLATFORM, Attribution

    checked = check(ROOT, "prod", ROOT / "members", dt.date(2026, 11, 28))
    docker = res("pulumi:providers:docker", "web1-docker", {"host": "ssh://deploy@web1.example.org:22"})
    resources = [
        res(CMD, "velo-cite-space", {}, address="web1.example.org"),
        res(
            CONTAINER,
            "x",
            {"labels": [{"label": "pic.member", "value": "amis-du-rhone"}]},
            provider=docker.urn + "::id",
        ),
        docker,
        res("mysql:index/grant:Grant", "velo-cite-db-forum-grant-web1", {}),
        res("tls:index/privateKey:PrivateKey", "sympa-dkim-listes.amis-du-rhone.org", {}),
        res(CMD, "db-install", {}, address="db.example.org"),
        res("random:index/randomPassword:RandomPassword", "db-backup-password", {}),
    ]
    attr = Attribution(rendering(*resources), checked.registry, checked.settings)
    assert [(attr.member(r), attr.host(r)) for r in resources] == [
        ("velo-cite", "web1"),
        ("amis-du-rhone", "web1"),  # by its provider's host
        (PLATFORM, "web1"),
        ("velo-cite", "db"),  # MySQL lives on the db host
        ("amis-du-rhone", "web1"),  # a list domain's key: the member's web host
        (PLATFORM, "db"),
        (PLATFORM, "db"),  # named after the db host
    ]
    assert NO_HOST not in {attr.host(r) for r in resources}


def test_a_resource_named_after_phpmyadmin_is_on_the_default_web_host_when_its_host_is_unset(tmp_path: Path) -> None:
    """pic:phpmyadmin.host unset: phpMyAdmin runs on the default web host, and so does a resource named after it
    that nothing else places (was: no host from its name, then whatever came next)."""
    from pic.plan.model import Attribution
    from pic.registry import load_registry
    from pic.settings import load_settings

    text = (ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("  pic:phpmyadmin:\n    host: web1\n", "  pic:phpmyadmin:\n"),
        ("pic:default_web_host: web1", "pic:default_web_host: web2"),
        (
            "    db: {role: db,",
            "    web2: {role: web, address: web2.example.org, private_address: 10.0.0.12, ssh_user: deploy}\n"
            "    db: {role: db,",
        ),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / "Pulumi.prod.yaml").write_text(text, encoding="utf-8")
    settings = load_settings(tmp_path, "prod")
    secret = res("random:index/randomPassword:RandomPassword", "phpmyadmin-blowfish-secret", {})
    attr = Attribution(rendering(secret), load_registry(ROOT / "members", settings), settings)
    assert attr.host(secret) == "web2"


def test_a_resource_under_a_member_component_is_that_members_though_its_name_starts_another_slug(
    tmp_path: Path,
) -> None:
    """velo-cite's database forum is velo-cite-db-forum-database, -user-web1, ...: a member slugged
    velo-cite-db-forum (a valid slug, no database of its own) took them all by their names, so the plan listed
    velo-cite's database, its removal refused, under the other member."""
    import dataclasses

    from pic.check import check
    from pic.plan.model import Attribution

    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    (members / "velo-cite-db-forum.yaml").write_text(
        "name: Vélo forum\ncontact: {name: Anne Roux, email: anne@example.net}\nuid: 10500\n", encoding="utf-8"
    )
    checked = check(ROOT, "prod", members, dt.date(2026, 11, 28))
    velo_cite = res("pic:index:Member", "velo-cite", custom=False)
    other = res("pic:index:Member", "velo-cite-db-forum", custom=False)
    database = dataclasses.replace(res(DB, "velo-cite-db-forum-database"), parent=velo_cite.urn)
    grant = dataclasses.replace(res("mysql:index/grant:Grant", "velo-cite-db-forum-grant-web1"), parent=velo_cite.urn)
    space = dataclasses.replace(res(CMD, "velo-cite-db-forum-space"), parent=other.urn)
    attr = Attribution(rendering(velo_cite, other, database, grant, space), checked.registry, checked.settings)
    assert [attr.member(r) for r in (velo_cite, other, database, grant, space)] == [
        "velo-cite",
        "velo-cite-db-forum",
        "velo-cite",
        "velo-cite",
        "velo-cite-db-forum",
    ]


def test_a_changed_provider_replaces_the_resource_as_the_engine_does() -> None:
    """pkg/resource/deploy/step_generator.go: another provider resource than before means a replacement."""
    web1 = res("pulumi:providers:docker", "web1-docker", {"host": "ssh://deploy@web1.example.org:22"})
    web2 = res("pulumi:providers:docker", "web2-docker", {"host": "ssh://deploy@web2.example.org:22"})
    site = {"image": "php:8.3", "memory": 256}
    old = rendering(web1, web2, res(CONTAINER, "s-container", site, provider=web1.urn + "::id1"))
    new = rendering(web1, web2, res(CONTAINER, "s-container", site, provider=web2.urn + "::id2"))
    (change,) = diff(old, new)
    assert change.kind == "replace" and change.inputs == []
    assert change.provider_change == (web1.urn, web2.urn)
    assert change.reasons[0].startswith("provider")
    # pulumi-docker deletes a container before creating its replacement, whatever its own option says.
    assert "pulumi-docker" in change.delete_first
    # The same provider under a new id (a provider updated in place) is no replacement.
    same = rendering(web1, web2, res(CONTAINER, "s-container", site, provider=web1.urn + "::id9"))
    assert diff(old, same) == []
    # A command is created first unless it asks otherwise.
    cmd_old = rendering(res(CMD, "c", {"triggers": ["1"]}))
    (cmd,) = diff(cmd_old, rendering(res(CMD, "c", {"triggers": ["2"]})))
    assert cmd.delete_first == ""


def test_long_values_are_word_diffed_with_the_change_visible() -> None:
    from pic.plan.diff import InputChange, describe

    domains = ",".join(f"site{i}.example.org" for i in range(12))
    old = [{"label": "pic.domains", "value": domains}, {"label": "pic.member", "value": "m"}]
    new = [{"label": "pic.domains", "value": domains + ",nouveau.example.org"}, {"label": "pic.member", "value": "m"}]
    (line,) = describe(InputChange("labels", old, new, True))
    assert line.startswith("labels[pic.domains]: ") and "{+,nouveau.example.org+}" in line
    assert "..." in line and len(line) < 120, line  # the unchanged middle is elided, never the change
    uploads_old = [{"file": "/etc/a.conf", "content": "a\nb\nc\n"}]
    uploads_new = [{"file": "/etc/a.conf", "content": "a\nB\nc\n"}]
    lines = describe(InputChange("uploads", uploads_old, uploads_new, True))
    assert lines[0] == "uploads[/etc/a.conf].content: text changed (unified diff)"
    assert "    -b" in lines and "    +B" in lines


def test_a_value_added_or_removed_whole_is_shown_whole_not_word_diffed_against_none() -> None:
    # A site switched to php: none: its Apache vhost upload goes, a Caddyfile comes. Was: each a word diff of
    # its JSON against "(none)", marking "(nor the container)" in the old file as changed to "(none)".
    from pic.plan.diff import InputChange, describe

    vhost = "# Site of member m (nor the container).\n<VirtualHost *:8080>\n</VirtualHost>\n" * 3
    caddy = "# Static site container (php: none)\n:8080 {\n}\n" * 3
    old = [{"file": "/etc/apache2/site.conf", "content": vhost}]
    new = [{"file": "/etc/caddy/Caddyfile", "content": caddy}]
    lines = describe(InputChange("uploads", old, new, True))
    assert "[-" not in "".join(lines) and "{+" not in "".join(lines), lines
    assert "uploads[/etc/apache2/site.conf].content: text changed (unified diff)" in lines
    assert "    -# Site of member m (nor the container)." in lines
    assert "    +# Static site container (php: none)" in lines
    assert "uploads[/etc/caddy/Caddyfile].file: (none) -> /etc/caddy/Caddyfile" in lines
    mount = {"readOnly": True, "source": "/etc/pic/mail/sites/m", "target": "/etc/pic-mail", "type": "bind"}
    (line,) = describe(InputChange("mounts", {"a": mount}, {}, True))
    assert (
        line == "mounts.a: {readOnly: true, source: /etc/pic/mail/sites/m, target: /etc/pic-mail, type: bind} -> (none)"
    )
    long = "x" * 200
    (line,) = describe(InputChange("image", None, long, True))
    assert line.startswith("image: (none) -> xxx") and line.endswith("...") and "{+" not in line


def test_an_added_resource_shows_every_input_as_it_is_secrets_and_keys_never() -> None:
    # A new member's container, scripts and grants: was "+ add" and its name alone, so a pull request adding a
    # member showed nothing of what its container mounts or what its scripts run as root.
    from pic.plan.diff import describe

    script = "".join(f"echo step {i}\n" for i in range(50))
    privileges = ["ALTER", "ALTER ROUTINE", "CREATE", "CREATE ROUTINE", "CREATE TEMPORARY TABLES", "CREATE VIEW"] * 3
    create = "sudo -n sh -eu -s -- " + "  ".join(f"/srv/members/m/priv/file {i}.php" for i in range(12))
    mounts = [
        {"readOnly": False, "source": "/srv/members/m/www", "target": "/srv/site/www", "type": "bind"},
        {"readOnly": True, "source": "/srv/members/m/priv", "target": "/srv/site/priv", "type": "bind"},
    ]
    added = res(
        CMD,
        "m-space",
        {
            "connection": {"[secret]": "key"},
            "create": create,
            "update": create,
            "stdin": script,
            "environment": {"[secret]": "hunter2"},
            "envs": ["A=1", {"[secret]": "B=hunter3"}],
            "privileges": privileges,
            "mounts": mounts,
            "__defaults": [],
        },
        connection="deploy@web1.example.org:22",
    )
    (change,) = diff(rendering(), rendering(added))
    assert change.kind == "add"
    lines = [line for ic in change.inputs for line in describe(ic)]
    text = "\n".join(lines)
    assert "hunter" not in text and "key" not in text.replace("key material", ""), text
    assert "__defaults" not in text and "(none)" not in text and "changed" not in text, text
    assert "connection: deploy@web1.example.org:22 (key material not shown)" in lines
    assert "environment: [secret]" in lines
    assert "envs: [A=1, [secret]]" in lines
    # A script whole, as its lines (a change of one shows 40 lines of its diff); a long command and list whole,
    # over lines.
    start = lines.index("stdin: text of 50 lines") + 1
    assert lines[start : start + 50] == [f"    +echo step {i}" for i in range(50)]
    # A long string whole, its spaces kept where its lines break; a command's update, the same as its create, once.
    shown = "".join(
        line.removeprefix("    ") for line in lines[lines.index("create:") + 1 : lines.index("environment: [secret]")]
    )
    assert shown == f'"{create}"', shown  # as it is, quoted for its spaces
    assert "update: the same as create" in lines
    assert all(len(line) <= 140 for line in lines), [line for line in lines if len(line) > 140]
    # A long list broken between its items only: each privilege whole on a line.
    listed = lines[lines.index("privileges:") + 1 : lines.index("privileges:") + 4]
    items = [item.strip() for line in listed for item in line.split(",") if item.strip()]
    assert items == [f'"{p}"' if " " in p else p for p in privileges], listed
    # Mounts one by one, each by its target.
    assert (
        "mounts[/srv/site/priv]: {readOnly: true, source: /srv/members/m/priv, target: /srv/site/priv, type: bind}"
        in lines
    )
    assert any(line.startswith("mounts[/srv/site/www]: ") for line in lines)
    # A component added has no inputs of its own to show; a resource changed still shows old -> new.
    component = res("pic:index:Member", "m", {"name": "m"}, custom=False)
    (comp,) = diff(rendering(), rendering(component))
    assert comp.kind == "add" and comp.inputs == []


def test_a_value_is_shown_as_it_is_in_text_and_markdown_and_as_json_in_json() -> None:
    # A grant's SQL pattern theatre\_croix\_wiki% showed as JSON writes it, "theatre\\_croix\\_wiki%": a reviewer
    # read two backslashes where the grant has one.
    from pic.plan.model import Attribution
    from pic.plan.output import as_json, as_markdown, as_text

    pattern = "theatre\\_croix\\_wiki%"
    grant = "mysql:index/grant:Grant"
    inputs = {
        "database": pattern,
        "privileges": ["SELECT", "LOCK TABLES", "a,b"],
        "user": "t",
        "table": "*",
        "host": " %",
        "note": "8.3",
        "tab": "a\tb",
        "options": {"path": "c:\\x", "n": 2.0},
    }
    old = rendering(res(CMD, "t-x", {"create": "a\\_b%"}))
    new = rendering(res(grant, "t-grant", inputs), res(CMD, "t-x", {"create": "c\\_d%"}))
    changes = diff(old, new)
    attr, attr_old = Attribution(new, None, None), Attribution(old, None, None)
    text = as_text(new, attr, header="h", changes=changes, attr_old=attr_old, against="x")
    markdown = as_markdown(new, attr, title="t", changes=changes, attr_old=attr_old)
    expected = [
        "database: theatre\\_croix\\_wiki%",  # one backslash each, as the grant has them
        'privileges: [SELECT, "LOCK TABLES", "a,b"]',  # quoted where its spaces or commas would be lost
        'host: " %"',
        'note: "8.3"',  # a string, not the number
        'tab: "a\\tb"',  # a control character, seen only as an escape
        'options: {n: 2, path: "c:\\x"}',  # in an object, quoted for its colon
        "user: t",
        "create: a\\_b% -> c\\_d%",
    ]
    for line in expected:
        assert f"        {line}" in text.splitlines() or f"         {line}" in text.splitlines(), (line, text)
        assert f"        {line}" in markdown.splitlines(), (line, markdown)
    data = as_json(new, attr, meta={}, changes=changes, attr_old=attr_old)
    shown = {i["key"]: i for c in data["changes"] for i in c["inputs"]}
    assert json.loads(shown["database"]["new"]) == pattern  # json: JSON a tool reads
    assert json.loads(shown["create"]["old"]) == "a\\_b%" and shown["create"]["lines"] == [expected[-1]]


def test_an_added_resource_says_it_is_protected_or_retained_and_its_labels_by_value() -> None:
    # A new member's database: was "+ add" and its inputs, without a word of the protection that makes pulumi up
    # refuse its deletion later; a label was its whole {label, value} object, where a change shows the value.
    from pic.plan.diff import describe

    database = res(DB, "m-db-main-database", {"name": "m_main"}, protect=True, retain_on_delete=True)
    space = res(CMD, "m-space", {"create": "sh"}, retain_on_delete=True)
    first = res(CMD, "m-first", {"create": "sh"}, delete_before_replace=True)
    plain = res(CMD, "m-cron", {"create": "sh"})
    labels = [{"label": f"pic.label-{i}", "value": f"value of a label that makes the list long {i}"} for i in range(3)]
    container = res(CONTAINER, "m-container", {"labels": labels})
    changes = {c.resource.name: c for c in diff(rendering(), rendering(database, space, first, plain, container))}
    assert {name: c.options for name, c in changes.items()} == {
        "m-db-main-database": ["protect: true", "retain_on_delete: true"],
        "m-space": ["retain_on_delete: true"],
        "m-first": ["delete_before_replace: true"],
        "m-cron": [],
        "m-container": [],
    }
    lines = [line for ic in changes["m-container"].inputs for line in describe(ic)]
    assert lines == [f'labels[pic.label-{i}]: "value of a label that makes the list long {i}"' for i in range(3)]


def test_a_connection_change_shows_user_host_and_port_never_the_key() -> None:
    from pic.plan.diff import describe

    old = rendering(res(CMD, "c", {"connection": {"[secret]": "aaaa"}}, connection="deploy@web1.example.org:22"))
    new = rendering(res(CMD, "c", {"connection": {"[secret]": "bbbb"}}, connection="deploy@web2.example.org:22"))
    (change,) = diff(old, new)
    assert describe(change.inputs[0]) == [
        "connection: deploy@web1.example.org:22 -> deploy@web2.example.org:22 (key material not shown)"
    ]
    rotated = rendering(res(CMD, "c", {"connection": {"[secret]": "cccc"}}, connection="deploy@web1.example.org:22"))
    (key_only,) = diff(old, rotated)
    assert describe(key_only.inputs[0]) == [
        "connection: deploy@web1.example.org:22: settings other than host, port and user changed (not shown)"
    ]


def test_summary_counts_are_the_lines_listed_and_components_are_named_apart() -> None:
    from pic.check import check
    from pic.plan.model import Attribution
    from pic.plan.output import as_text

    checked = check(ROOT, "prod", ROOT / "members", dt.date(2026, 11, 28))
    comp = res("pic:index:MemberSite", "velo-cite", custom=False)
    old = rendering(comp, res(CMD, "velo-cite-logrotate", {"stdin": "x"}), res(CMD, "velo-cite-keys", {}))
    new = rendering(res(CMD, "velo-cite-keys", {"stdin": "k"}))
    attr_old = Attribution(old, checked.registry, checked.settings)
    attr = Attribution(new, checked.registry, checked.settings)
    text = as_text(new, attr, header="h", changes=diff(old, new), attr_old=attr_old, against="REV")
    listed = [line for line in text.splitlines() if line.strip().startswith(("- remove", "~ update", "+ add"))]
    assert len(listed) == 2, text
    summary = "0 to add, 1 to update, 0 to replace, 1 to remove (resources, as listed)"
    assert f"{summary}; components besides: 1 to remove" in text


# --- the engine --------------------------------------------------------------------------------

SECRET_PROGRAM = """
import pulumi, pulumi_random as random, pulumi_tls as tls, pulumi_command as command
pw = random.RandomPassword("pw", length=20)
key = tls.PrivateKey("key", algorithm="ED25519")
command.local.Command("conf", create="cat", stdin=pw.result.apply(lambda p: "password=" + p))
command.local.Command("pub", create="cat", stdin=key.public_key_openssh)
pulumi.export("n", 1)
"""


def _project(tmp_path: Path, program: str) -> Path:
    shutil.copy(ROOT / "Pulumi.prod.yaml", tmp_path / "Pulumi.prod.yaml")
    (tmp_path / "__main__.py").write_text(program, encoding="utf-8")
    return tmp_path


def test_engine_returns_provider_secret_outputs_as_secrets(tmp_path: Path) -> None:
    run = engine.run_program(_project(tmp_path, SECRET_PROGRAM), "prod")
    by_name = {r.name: r for r in run.records}
    assert engine.is_secret(by_name["pw"].outputs["result"])
    assert engine.is_secret(by_name["key"].outputs["privateKeyPem"])
    assert not engine.is_secret(by_name["key"].outputs["publicKeyOpenssh"])
    # A secret flows into what it is derived from: the file with the password is a secret input.
    assert engine.is_secret(by_name["conf"].inputs["stdin"])
    assert by_name["pub"].inputs["stdin"].startswith("ssh-ed25519 ")
    assert run.exports == {"n": 1}


def test_engine_is_deterministic_and_redaction_hides_values(tmp_path: Path) -> None:
    project = _project(tmp_path, SECRET_PROGRAM)
    one = engine.redacted_json(engine.run_program(project, "prod"), b"salt")
    two = engine.redacted_json(engine.run_program(project, "prod"), b"salt")
    assert one == two
    text = json.dumps(one)
    password = engine.mocked_outputs("random:index/randomPassword:RandomPassword", "pw", {"length": 20.0})["result"]
    assert password not in text and "PRIVATE KEY" not in text
    assert engine.redacted_json(engine.run_program(project, "prod"), b"other") != one  # keyed digests


def test_engine_reports_the_programs_own_error(tmp_path: Path) -> None:
    project = _project(tmp_path, "import pulumi\nraise pulumi.RunError('members/x.yaml: broken')\n")
    with pytest.raises(engine.ProgramError, match=r"members/x\.yaml: broken"):
        engine.run_program(project, "prod")


def test_engine_refuses_an_alias_of_the_stack_file_before_writing_the_config_out(tmp_path: Path) -> None:
    """A revision's stack file is read by the engine before its program checks it: nested aliases were written
    out whole for the program (json.dumps), a billion values for ten lines (was: ``pic plan --against REV``
    ran out of memory, printing a traceback)."""
    project = _project(tmp_path, SECRET_PROGRAM)
    bomb = ["  x:bomb:", "    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"    a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    stack = project / "Pulumi.prod.yaml"
    text = stack.read_text(encoding="utf-8")
    stack.write_text(text + "\n".join(bomb) + "\n", encoding="utf-8")
    line = len(text.splitlines()) + 3  # the first alias
    said = rf"^{re.escape(str(project))}/Pulumi\.prod\.yaml:{line}: an alias \(\*name\)"
    with pytest.raises(engine.ProgramError, match=said):
        engine.stack_config(project, "prod", ())
    # the program run on other member files (a staged copy of the project): named in the project all the same
    other = tmp_path / "other-members"
    other.mkdir()
    with pytest.raises(engine.ProgramError, match=said):
        engine.run_program(project, "prod", other)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"config:\n  x:y: [unclosed\n", r"^Pulumi\.prod\.yaml:3: cannot be read as YAML: expected ',' or ']'"),
        (b"config:\n  x:y: \xff\n", r"^Pulumi\.prod\.yaml:2: holds bytes that are not UTF-8"),
        (b"config:\n  x:y: !!python/object:os.system x\n", r"^Pulumi\.prod\.yaml:2: cannot be read as YAML: could not"),
        (b"config:\n  x:y: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", r"^Pulumi\.prod\.yaml: .* nested too deeply"),
    ],
)
def test_engine_says_a_stack_file_it_cannot_read_at_its_line(tmp_path: Path, content: bytes, said: str) -> None:
    """A revision's stack file is read by the engine before its program checks it: one that is no YAML, no UTF-8
    or nested too deeply is said with its line (was: a traceback from ``pic plan --against REV``)."""
    project = _project(tmp_path, SECRET_PROGRAM)
    (project / "Pulumi.prod.yaml").write_bytes(content)
    # named in --project's directory, as every other message names the stack file
    with pytest.raises(engine.ProgramError, match="^" + re.escape(f"{project}/") + said.removeprefix("^")):
        engine.stack_config(project, "prod", ())


@pytest.mark.parametrize("config", ["[a, b]", "some text", "42"])
def test_engine_hands_on_a_stack_file_config_that_is_no_mapping_as_none(tmp_path: Path, config: str) -> None:
    """``config:`` that is no mapping is the program's to refuse: the engine hands on no settings (was: a
    traceback, AttributeError on the list's or text's items)."""
    project = _project(tmp_path, SECRET_PROGRAM)
    (project / "Pulumi.prod.yaml").write_text(f"config: {config}\n", encoding="utf-8")
    assert engine.stack_config(project, "prod", ()) == ({}, [])


# --- the command on a git repository -----------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True
    )
    return proc.stdout


def pic(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pic", *args], cwd=repo, capture_output=True, text=True, check=False, timeout=300
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with the example registry and the contract program, one commit."""
    require_program("git")
    work = tmp_path / "repo"
    work.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.prod.yaml"):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "members", work / "members")
    shutil.copy(FIXTURE, work / "__main__.py")
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "start")
    return work


def expected_resources(repo: Path) -> dict[str, int]:
    """What the contract program declares per member, counted from the registry itself."""
    from pic.check import check

    checked = check(repo, "prod", repo / "members", dt.date.today())
    out = {}
    for m in checked.registry:
        site = 1 if m.site is not None and m.status != "archived" else 0
        out[m.slug] = 1 + site + 4 * len(m.databases)
    return out


def test_plan_lists_every_members_resources(repo: Path) -> None:
    proc = pic(repo, "plan", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    per_member: dict[str, list[dict[str, Any]]] = {}
    for r in data["resources"]:
        per_member.setdefault(r["member"], []).append(r)
    expected = expected_resources(repo)
    assert {m: len(per_member.get(m, [])) for m in expected} == expected
    assert data["counts"]["by_member"] == {**expected, "platform": len(per_member["platform"])}
    dbs = [r for r in data["resources"] if r["type"] == "mysql:index/database:Database"]
    assert dbs and all(r["host"] == "db" and r["protect"] for r in dbs)
    text = pic(repo, "plan")
    assert text.returncode == 0, text.stderr
    for slug in expected:
        assert f"  {slug}: " in text.stdout, slug


def test_php_change_replaces_exactly_that_container(repo: Path) -> None:
    path = repo / "members" / "amis-du-rhone.yaml"
    path.write_text(path.read_text().replace('php: "8.3"', 'php: "8.4"'), encoding="utf-8")
    git(repo, "commit", "-qam", "amis-du-rhone moves to PHP 8.4")
    proc = pic(repo, "plan", "--against", "HEAD~1", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    changes = json.loads(proc.stdout)["changes"]
    assert [(c["kind"], c["type"], c["member"]) for c in changes] == [
        ("replace", "docker:index/container:Container", "amis-du-rhone")
    ]
    assert {i["key"] for i in changes[0]["inputs"]} == {"image", "labels"}
    text = pic(repo, "plan", "--against", "HEAD~1")
    assert text.returncode == 0
    assert "nothing stateful is deleted or replaced" in text.stdout
    assert 'labels[pic.php]: "8.3" -> "8.4"' in text.stdout


def test_removing_a_member_flags_its_databases_and_directories(repo: Path) -> None:
    git(repo, "rm", "-q", "members/velo-cite.yaml")
    git(repo, "commit", "-qm", "velo-cite leaves")
    proc = pic(repo, "plan", "--against", "HEAD~1")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    flagged = [line for line in proc.stdout.splitlines() if line.startswith("!!!   ")]
    assert sorted(flagged) == sorted(
        [
            f"!!!   remove mysql:index/database:Database velo-cite-db-{db} (a database, protected)"
            for db in ("wordpress", "forum", "ateliers")
        ]
        + ["!!!   remove command:remote:Command velo-cite-space (retained on delete (member data))"]
    )
    data = json.loads(pic(repo, "plan", "--against", "HEAD~1", "--format", "json").stdout)
    assert {c["member"] for c in data["changes"] if c["kind"] == "remove"} == {"velo-cite"}
    assert len(data["stateful_changes"]) == 4


def test_a_change_of_a_working_tree_file_is_seen_against_head(repo: Path) -> None:
    path = repo / "members" / "velo-cite.yaml"
    path.write_text(path.read_text().replace("memory_mb: 512", "memory_mb: 768"), encoding="utf-8")
    proc = pic(repo, "plan", "--against", "HEAD", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    changes = json.loads(proc.stdout)["changes"]
    assert [(c["kind"], c["name"], [i["key"] for i in c["inputs"]]) for c in changes] == [
        ("update", "velo-cite-site", ["memory"])
    ]


def test_bad_registry_gives_the_registrys_own_error(repo: Path) -> None:
    path = repo / "members" / "amis-du-rhone.yaml"
    path.write_text(path.read_text().replace('php: "8.3"', 'php: "5.5"'), encoding="utf-8")
    proc = pic(repo, "plan", "--against", "HEAD")
    assert proc.returncode == 1
    assert 'members/amis-du-rhone.yaml:13 site.php: "5.5" is not a runtime of stack prod' in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_bad_registry_at_the_revision_is_named(repo: Path) -> None:
    path = repo / "members" / "amis-du-rhone.yaml"
    good = path.read_text()
    path.write_text(good.replace("uid: 10001", "uid: 10002"), encoding="utf-8")
    git(repo, "commit", "-qam", "duplicate uid")
    path.write_text(good, encoding="utf-8")
    proc = pic(repo, "plan", "--against", "HEAD")
    assert proc.returncode == 1
    assert "HEAD (" in proc.stderr and "10002 is already used by" in proc.stderr
    assert "Traceback" not in proc.stderr


def _revision_under_older_rules(repo: Path, edit: Any) -> None:
    """Commit, as HEAD, files that this revision's rules refuse but whose own program ran (one declaring nothing:
    an older program whose rules accepted them), then put back the good files in the working tree."""
    good = {p: p.read_bytes() for p in [*(repo / "members").glob("*.yaml"), repo / "Pulumi.prod.yaml"]}
    main = (repo / "__main__.py").read_bytes()
    (repo / "__main__.py").write_text("import pulumi\n", encoding="utf-8")
    edit(repo)
    git(repo, "commit", "-qam", "older rules")
    for path, data in good.items():
        path.write_bytes(data)
    (repo / "__main__.py").write_bytes(main)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_revision_refused_across_files_is_still_compared_member_by_member(repo: Path) -> None:
    # At REV two members share a key (a check across files added since): REV's members and settings are read all
    # the same, and what changes here is told (was: today's registry taken for REV's, so nothing compared).
    key = "AAAAC3NzaC1lZDI1NTE5AAAAIH5AgLacT2XREiUJekNVvBdjME81DM1yE4bq/ehdhOXC"
    other = "AAAAC3NzaC1lZDI1NTE5AAAAIEkKKvAqbyVZ8e/bkxxIyZTS0bDUe+4wzaNMw+HxnWcK"
    _revision_under_older_rules(repo, lambda r: _replace(r / "members" / "jardins-partages.yaml", key, other))
    _replace(repo / "members" / "bibliotheque-libre.yaml", "uid: 10007", "uid: 10017")
    _replace(repo / "members" / "jardins-partages.yaml", "  main: latin1", "  main: utf8mb4")
    _replace(repo / "Pulumi.prod.yaml", "keep_days: 7", "keep_days: 3")
    proc = pic(repo, "plan", "--against", "HEAD", "--format", "json")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["uid_changed"]["bibliotheque-libre"]["from"] == 10007
    assert [(c["member"], c["from"], c["to"]) for c in data["charsets_changed"]] == [
        ("jardins-partages", "latin1", "utf8mb4")
    ]
    assert [(c["setting"], c["from"], c["to"]) for c in data["retention_cut"]] == [("pic:backup.keep_days", 7, 3)]
    assert data["unread"] == []


def test_member_files_of_a_revision_that_this_one_cannot_read_are_named_and_exit_3(repo: Path) -> None:
    def older(r: Path) -> None:
        with (r / "members" / "jardins-partages.yaml").open("a", encoding="utf-8") as f:
            f.write("legacy_theme: green\n")

    _revision_under_older_rules(repo, older)
    _replace(repo / "members" / "jardins-partages.yaml", "  main: latin1", "  main: utf8mb4")
    proc = pic(repo, "plan", "--against", "HEAD")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "nothing stateful" not in proc.stdout
    assert "!!! UNREAD: files of the revision that the working tree's rules cannot read" in proc.stdout
    assert "!!!   members/jardins-partages.yaml:" in proc.stdout and " legacy_theme: unknown key" in proc.stdout
    assert "/tmp" not in proc.stdout and "Traceback" not in proc.stderr
    data = json.loads(pic(repo, "plan", "--against", "HEAD", "--format", "json").stdout)
    assert [u.split(":")[0] for u in data["unread"]] == ["members/jardins-partages.yaml"]
    md = pic(repo, "plan", "--against", "HEAD", "--format", "markdown")
    assert md.returncode == 3 and "#### :warning: Files of the revision not read" in md.stdout
    assert "Nothing stateful is deleted or replaced." not in md.stdout
    # the other members were read: a uid changed beside is still told
    _replace(repo / "members" / "bibliotheque-libre.yaml", "uid: 10007", "uid: 10017")
    data = json.loads(pic(repo, "plan", "--against", "HEAD", "--format", "json").stdout)
    assert list(data["uid_changed"]) == ["bibliotheque-libre"]


def test_stack_settings_of_a_revision_that_this_one_cannot_read_are_named(repo: Path) -> None:
    def older(r: Path) -> None:
        _replace(r / "Pulumi.prod.yaml", "  pic:admin_email:", "  pic:legacy_setting: 1\n  pic:admin_email:")

    _revision_under_older_rules(repo, older)
    _replace(repo / "members" / "bibliotheque-libre.yaml", "uid: 10007", "uid: 10017")
    proc = pic(repo, "plan", "--against", "HEAD", "--format", "json")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["unread"]) == 1 and data["unread"][0].startswith("its stack settings: Pulumi.prod.yaml:")
    assert "pic:legacy_setting" in data["unread"][0]
    assert list(data["uid_changed"]) == ["bibliotheque-libre"]  # the members are read all the same
    assert data["moves"] == {}  # their host is the stack file's default_web_host, as written


def test_a_revision_without_members_is_not_taken_for_the_working_trees_registry(repo: Path) -> None:
    # REV's registry is empty (the first members come in this change, with another members_root): nothing of
    # the members was under the old root (was: an empty registry, being false, was replaced by the working
    # tree's, and every member's data was said to stay under the old root).
    files = {p: p.read_bytes() for p in (repo / "members").glob("*.yaml")}
    for path in files:
        path.unlink()
    (repo / "members" / ".keep").write_text("", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "no members yet")
    for path, data in files.items():
        path.write_bytes(data)
    _replace(repo / "Pulumi.prod.yaml", "pic:members_root: /srv/members", "pic:members_root: /srv/assos")
    proc = pic(repo, "plan", "--against", "HEAD", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["members_root_changed"] is None and data["moves"] == {}
    assert {c["kind"] for c in data["changes"]} <= {"add", "update"}


def test_unknown_revision_is_a_clear_error(repo: Path) -> None:
    proc = pic(repo, "plan", "--against", "no-such-branch")
    assert proc.returncode == 1
    assert "--against: 'no-such-branch' is not a revision" in proc.stderr


def _gitlink(repo: Path, path: str) -> str:
    """A git submodule at ``path`` in the index (a gitlink to the repository's own HEAD), none in the tree."""
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},{path}")
    return head


@pytest.mark.parametrize("path", ["members/extra", "members/nouvelle-asso.yaml", "members/sub/deeper"])
def test_a_git_submodule_in_the_revisions_members_is_named_not_skipped(repo: Path, path: str) -> None:
    """A gitlink under members/ at REV: git archive writes it as an empty directory, so what it holds was silently
    missing from REV's registry (an empty directory, a stray entry nobody saw). Refused, as a link there is."""
    head = _gitlink(repo, path)
    git(repo, "commit", "-qm", "a submodule")
    git(repo, "rm", "-q", "--cached", path)  # the working tree has none: only REV holds it
    proc = pic(repo, "plan", "--against", "HEAD")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        "holds git submodules where the member files are, whose files are not in the revision (git archive "
        f"writes a submodule as an empty directory): {path} (a submodule, commit {head[:10]}); member files are "
        "regular files directly in members/, not a submodule's"
    ) in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("path", ["components/vendor", "vendor/lib", "pic", "deep/er/module"])
def test_a_git_submodule_elsewhere_in_the_revision_is_named_as_one_in_its_members(repo: Path, path: str) -> None:
    """A gitlink outside members/ at REV (components/vendor): git archive wrote it as an empty directory, and REV's
    program ran on it without a word (its components missing, or the plan of another program than REV's)."""
    head = _gitlink(repo, path)
    git(repo, "commit", "-qm", "a submodule elsewhere")
    git(repo, "rm", "-q", "--cached", path)  # the working tree has none: only REV holds it
    proc = pic(repo, "plan", "--against", "HEAD")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        "holds git submodules in the project, whose files are not in the revision (git archive writes a submodule "
        f"as an empty directory): {path} (a submodule, commit {head[:10]}); the revision's program would run on an "
        "empty directory in their place"
    ) in proc.stderr, proc.stderr
    assert "where the member files are" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_the_revisions_members_as_a_git_submodule_is_named(repo: Path) -> None:
    """members/ itself a submodule at REV: every member would have been taken for a new one (its directory empty)."""
    git(repo, "rm", "-q", "-r", "--cached", "members")
    head = _gitlink(repo, "members")
    git(repo, "commit", "-qm", "members as a submodule")
    git(repo, "rm", "-q", "--cached", "members")
    git(repo, "add", "members")
    proc = pic(repo, "plan", "--against", "HEAD")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"members (a submodule, commit {head[:10]})" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    "attributes", ["members/velo-cite.yaml export-ignore", "*.yaml export-ignore", "members/** export-ignore"]
)
def test_member_files_git_archive_leaves_out_are_read_as_committed(repo: Path, attributes: str) -> None:
    """REV's .gitattributes marks member files export-ignore: git archive leaves them out, and their members were
    planned as new, every resource added, exit 0 (a checkout has them). They are read as the commit holds them."""
    (repo / ".gitattributes").write_text(attributes + "\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "attributes")
    proc = pic(repo, "plan", "--against", "HEAD", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["changes"] == [], [c["urn"] for c in data["changes"]][:5]


def test_a_revisions_files_are_extracted_as_committed_whatever_its_export_attributes(repo: Path) -> None:
    """git archive leaves out what is marked export-ignore and replaces $Format:...$ in what is marked
    export-subst (REV's .gitattributes, or the repository's info/attributes); the revision's program, components
    and member files are read as the commit holds them, as a checkout has them."""
    from pic.plan.command import checkout

    (repo / "components").mkdir()
    (repo / "components" / "version.py").write_text('VERSION = "$Format:%H$"\n', encoding="utf-8")
    (repo / "tool.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    (repo / "tool.sh").chmod(0o755)
    (repo / ".gitattributes").write_text(
        "components/version.py export-subst\ncomponents/** export-ignore\n", encoding="utf-8"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "attributes")
    info = repo / git(repo, "rev-parse", "--git-path", "info").strip()  # the repository's own attributes too
    info.mkdir(exist_ok=True)
    (info / "attributes").write_text("tool.sh export-ignore\n", encoding="utf-8")
    with checkout(repo, "HEAD") as (where, _commit):
        assert (where / "components" / "version.py").read_text(encoding="utf-8") == 'VERSION = "$Format:%H$"\n'
        assert (where / "tool.sh").stat().st_mode & 0o777 == 0o755
        for path in git(repo, "ls-files").split():
            assert (where / path).read_bytes() == (repo / path).read_bytes(), path
    git(repo, "rm", "-q", ".gitattributes")
    git(repo, "commit", "-qm", "no attributes")
    (repo / "components" / "version.py").write_text('VERSION = "$Format:%h$"\n', encoding="utf-8")
    git(repo, "commit", "-qam", "another placeholder")
    (repo / ".gitattributes").write_text("components/version.py export-subst\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "substituted")
    with checkout(repo, "HEAD") as (where, _commit):
        assert (where / "components" / "version.py").read_text(encoding="utf-8") == 'VERSION = "$Format:%h$"\n'


def test_a_link_git_archive_leaves_out_is_refused_as_a_link_archived_is(repo: Path) -> None:
    """A link marked export-ignore at REV is not written as committed (a link could lead out of the extracted tree):
    refused in the words of any link there, naming why it was left out."""
    (repo / "shortcut").symlink_to("members")
    (repo / ".gitattributes").write_text("shortcut export-ignore\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a link left out")
    proc = pic(repo, "plan", "--against", "HEAD")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        "holds links or special files, which are not extracted: shortcut (left out by git archive: export-ignore)"
    ) in proc.stderr, proc.stderr


def test_no_secret_value_in_the_output(repo: Path) -> None:
    proc = pic(repo, "plan", "--format", "json")
    data = json.loads(proc.stdout)
    creds = [r for r in data["resources"] if r["name"].endswith("-credentials")]
    assert creds and all(r["inputs"]["stdin"] == "[secret]" for r in creds)
    for r in data["resources"]:
        if r["type"] == "random:index/randomPassword:RandomPassword":
            value = engine.mocked_outputs(r["type"], r["name"], {"length": 24.0, "special": False})["result"]
            assert value not in proc.stdout
    assert "password=" not in proc.stdout and "plan-placeholder" not in proc.stdout


def test_members_option_runs_the_program_on_another_directory(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-members"
    other.mkdir()
    shutil.copy(repo / "members" / "chorale-saint-jean.yaml", other)
    proc = pic(repo, "plan", "--members", str(other), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["members"] == 1
    assert {r["member"] for r in data["resources"]} == {"chorale-saint-jean", "platform"}


# --- the command on the real program ------------------------------------------------------------


TODAY = dt.date.today()


def _runs_php(m: Member, settings: Settings) -> bool:
    if m.status != "active" or m.runtime is None:
        return False
    spec = settings.runtimes[m.runtime]
    valid = m.spec.exceptions.php_eol is not None and m.spec.exceptions.php_eol.until >= TODAY
    return not spec.stopped and (spec.eol >= TODAY or valid)


def _php_move(repo: Path) -> tuple[Member, str, list[str]]:
    """A running PHP site, a runtime another running site uses, and the runtimes left unused by the move."""
    from pic.check import check

    checked = check(repo, "prod", repo / "members", TODAY)
    settings = checked.settings
    running = [m for m in checked.registry if _runs_php(m, settings)]
    for m in running:
        if m.spec.exceptions.php_eol is not None:
            continue
        for other in running:
            target = other.runtime
            if target is not None and target != m.runtime and settings.runtimes[target].eol >= TODAY:
                left = [o for o in running if o.slug != m.slug and o.runtime == m.runtime]
                return m, target, [] if left else [str(m.runtime)]
    pytest.fail("the example registry has no running PHP site that can move to another runtime in use")


def _move(repo: Path, member: Member, target: str) -> None:
    path = repo / "members" / f"{member.slug}.yaml"
    text = path.read_text(encoding="utf-8")
    assert f'php: "{member.runtime}"' in text
    path.write_text(text.replace(f'php: "{member.runtime}"', f'php: "{target}"'), encoding="utf-8")
    git(repo, "commit", "-qam", f"{member.slug} moves to PHP {target}")


def test_real_program_php_change_replaces_that_container_only(real_repo: Path) -> None:
    member, target, unused = _php_move(real_repo)
    _move(real_repo, member, target)
    proc = pic(real_repo, "plan", "--against", "HEAD~1", "--format", "json")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads(proc.stdout)
    changes = sorted((c["kind"], c["type"], c["name"], c["member"]) for c in data["changes"])
    # A runtime no running site uses any more is no longer built (README, web host).
    expected = [("replace", "docker:index/container:Container", f"{member.slug}-container", member.slug)]
    expected.append(("update", "command:remote:Command", f"{member.slug}-space", member.slug))  # its site facts
    expected += [("remove", "command:remote:Command", f"{member.host}-php-{key}-build", "platform") for key in unused]
    assert changes == sorted(expected)
    assert data["stateful_changes"] == []
    text = pic(real_repo, "plan", "--against", "HEAD~1")
    assert "nothing stateful is deleted or replaced" in text.stdout


def test_real_program_php_change_with_a_neighbour_replaces_exactly_that_container(real_repo: Path) -> None:
    member, target, _ = _php_move(real_repo)
    # Another site stays on the old runtime: then the container is the one and only change.
    neighbour = real_repo / "members" / "voisins-solidaires.yaml"
    neighbour.write_text(
        "name: Voisins solidaires\ncontact: {name: Ana, email: ana@voisins.org}\nuid: 19999\n"
        f'site: {{domains: [voisins-solidaires.org], php: "{member.runtime}"}}\n',
        encoding="utf-8",
    )
    git(real_repo, "add", "-A")
    git(real_repo, "commit", "-qm", "a neighbour on the same runtime")
    _move(real_repo, member, target)
    proc = pic(real_repo, "plan", "--against", "HEAD~1", "--format", "json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(proc.stdout)
    assert [(c["kind"], c["type"], c["name"]) for c in data["changes"]] == [
        ("replace", "docker:index/container:Container", f"{member.slug}-container"),
        ("update", "command:remote:Command", f"{member.slug}-space"),  # its site facts: runtime and end of life
    ]
    assert {i["key"] for i in data["changes"][0]["inputs"]} >= {"image", "labels"}
    assert data["stateful_changes"] == []


def test_real_program_member_removal_flags_what_is_at_stake(real_repo: Path) -> None:
    from pic.check import check

    registry = check(real_repo, "prod", real_repo / "members", TODAY).registry
    member = max(registry, key=lambda m: (m.lists is not None and m.status != "archived", len(m.databases)))
    git(real_repo, "rm", "-q", f"members/{member.slug}.yaml")
    git(real_repo, "commit", "-qm", f"{member.slug} leaves")
    proc = pic(real_repo, "plan", "--against", "HEAD~1", "--format", "json")
    assert proc.returncode == 3, proc.stderr[-3000:]
    data = json.loads(proc.stdout)
    at_stake = {(c["type"], c["name"]) for c in data["changes"] if c["stateful"]}
    # <slug>-space is removed too, but its delete script removes platform files only: not at stake
    expected = {("mysql:index/database:Database", f"{member.slug}-db-{db.short}-database") for db in member.databases}
    if member.lists is not None and member.status != "archived":
        expected.add(("tls:index/privateKey:PrivateKey", f"sympa-dkim-{member.lists.domain}"))
    assert at_stake == expected
    assert all(c["kind"] == "remove" for c in data["changes"] if c["stateful"])
    # the test is only worth it if the member holds each kind of state
    assert member.databases and member.lists is not None
    text = pic(real_repo, "plan", "--against", "HEAD~1")
    assert text.returncode == 3
    database = f"{member.slug}-db-{member.databases[0].short}-database"
    assert f"!!!   remove mysql:index/database:Database {database}" in text.stdout


def test_real_program_bad_registry_gives_its_own_error(real_repo: Path) -> None:
    path = real_repo / "members" / "amis-du-rhone.yaml"
    path.write_text(path.read_text().replace('php: "8.3"', 'php: "5.5"'), encoding="utf-8")
    proc = pic(real_repo, "plan")
    assert proc.returncode == 1
    assert 'members/amis-du-rhone.yaml:13 site.php: "5.5" is not a runtime of stack prod' in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_only_the_plan_loads_the_pulumi_sdk() -> None:
    """pic/ has no module-level `import pulumi`: check, report and the CLI itself never load it."""
    code = (
        "import sys\n"
        "import pic.cli, pic.plan.command, pic.plan.engine\n"
        "rc = pic.cli.main(['check', '--on', '2026-11-28'])\n"
        "print(rc, sorted(m for m in sys.modules if m == 'pulumi' or m.startswith('pulumi.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "0 []"


def test_plan_and_check_warn_of_cron_jobs_that_will_not_run_and_of_errors_shown(repo: Path) -> None:
    """A suspended or archived member's jobs get no timer: said by both commands, not dropped silently."""
    job = "cron:\n  - schedule: daily\n    command: php cron.php\n"
    for slug, uid, status in (("pause-member", 10901, "suspended"), ("old-member", 10902, "archived")):
        (repo / "members" / f"{slug}.yaml").write_text(
            f"name: {slug}\ncontact: {{name: A, email: a@{slug}.fr}}\nuid: {uid}\nstatus: {status}\n"
            f'site:\n  domains: [{slug}.fr]\n  php: "8.4"\n  php_settings:\n    display_errors: false\n' + job
        )
    (repo / "members" / "test-site.yaml").write_text(
        "name: Test site\ncontact: {name: A, email: a@test-site.fr}\nuid: 10903\n"
        'site:\n  domains: [test-site.fr]\n  php: "8.4"\n  php_settings:\n    display_errors: On\n' + job
    )
    expected = [
        f"warning: {Path('members') / 'old-member.yaml'}:10 cron: 1 cron job will not run: the member is archived "
        "(status: archived), so its site and jobs are stopped",
        f"warning: {Path('members') / 'pause-member.yaml'}:10 cron: 1 cron job will not run: the member is "
        "suspended (status: suspended), so its site and jobs are stopped",
        f"warning: {Path('members') / 'test-site.yaml'}:8 site.php_settings.display_errors: is on: PHP's errors, "
        "with the server's paths, are shown to every visitor; for a test site only (errors are in "
        "log/php-error.log either way)",
    ]
    for command in ("check", "plan"):
        proc = pic(repo, command)
        assert proc.returncode == 0, proc.stderr
        ours = ("old-member", "pause-member", "test-site")
        shown = [line for line in proc.stderr.splitlines() if any(f"members/{slug}.yaml" in line for slug in ours)]
        assert shown == expected, (command, proc.stderr)
    # the same member active: its jobs run, nothing to say about them
    active = (repo / "members" / "pause-member.yaml").read_text().replace("status: suspended", "status: active")
    (repo / "members" / "pause-member.yaml").write_text(active)
    assert "pause-member" not in pic(repo, "check").stderr


def test_a_resource_on_no_one_host_is_placed_or_said_in_words_a_reviewer_reads() -> None:
    """Hosts sharing an address (one machine), a key used on several hosts, a service's commands reaching no
    address: each placed where it is, or said so in words, never "(no host)" (was: "((no host))" after a change)."""
    from pic.check import check
    from pic.plan.model import NO_HOST, Attribution
    from pic.plan.output import as_text

    checked = check(ROOT, "dev", ROOT / "members", dt.date(2026, 11, 28))  # web1 and db both at localhost
    ca_key = res("tls:index/privateKey:PrivateKey", "tls-ca-key", {})
    signed = [
        res("tls:index/locallySignedCert:LocallySignedCert", f"{slug}-tls-signed", {}, dependencies=(ca_key.urn,))
        for slug in ("velo-cite", "db-server")
    ]
    files = [
        res(CMD, "velo-cite-tls-file", {}, address="localhost", dependencies=(signed[0].urn,)),
        res(CMD, "db-tls-file", {}, address="localhost", dependencies=(signed[1].urn,)),
    ]
    resources = [
        res(CMD, "nightly-check", {}, address="localhost"),  # named after nothing: either host of that machine
        res("command:local:Command", "sympa-apply", {}),  # the mail host, by the settings
        res("command:local:Command", "phpmyadmin-build", {}),  # phpMyAdmin's host
        ca_key,  # its certificates' files are on web1 and db
        res("random:index/randomPassword:RandomPassword", "lonely-password", {}),  # used by nothing
    ]
    old = rendering(*signed, *files)
    new = rendering(*resources, *signed, *files)
    attr = Attribution(new, checked.registry, checked.settings)
    assert [attr.host(r) for r in resources] == [
        "web1 or db, one address: localhost",
        checked.settings.mail_host,
        "web1",
        "shared by web1 and db",
        NO_HOST,
    ]
    text = as_text(new, attr, header="h", changes=diff(old, new), attr_old=Attribution(old, None, None), against="x")
    assert "((" not in text and "(no host)" not in text, text
    assert "nightly-check  (web1 or db, one address: localhost)" in text, text
    assert "tls-ca-key  (shared by web1 and db)" in text, text
    assert "lonely-password  (no host known)" in text, text
    assert "\nshared by web1 and db: 1 resource" in text, text


def test_a_revision_without_a_program_is_told_so_without_a_traceback(repo: Path) -> None:
    """A revision holding the stack file and the member files but no __main__.py (a registry committed before its
    program) stopped pic plan --against with the engine's traceback (FileNotFoundError): the revision is named,
    with the program it lacks, as the working tree's own is."""
    git(repo, "rm", "-q", "--cached", "__main__.py")
    git(repo, "commit", "-qm", "no program")
    proc = pic(repo, "plan", "--against", "HEAD")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "FileNotFoundError" not in proc.stderr, proc.stderr
    assert "HEAD (" in proc.stderr and "no Pulumi program (__main__.py)" in proc.stderr, proc.stderr
