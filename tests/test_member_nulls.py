"""A key of a member file written without a value (``site:``, ``limits: ~``, ``notes: null``) is refused,
never taken as absent: an empty ``site:`` (everything under it commented out) would take the member's
site out of the plan without a word. Every optional field of the model, at any depth, is walked.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

from pic.modelerrors import _unwrap
from pic.registry import MemberSpec, validate_member
from pic.schema import member_schema
from pic.yamlsrc import format_loc, parse_yaml
from tests.conftest import ROOT
from tests.helpers import ED25519

Loc = tuple[str | int, ...]

# A valid member holding every part of the model (a field whose model is missing here fails the walk).
FULL: dict[str, Any] = {
    "name": "Null Probe",
    "contact": {"name": "Probe Contact", "email": "contact@null-probe.org", "language": "fr"},
    "uid": 10650,
    "status": "active",
    "host": "web1",
    "site": {
        "domains": ["null-probe.org"],
        "php": "8.4",
        "https": True,
        "charset": "utf-8",
        "php_settings": {"memory_limit": "128M"},
    },
    "access": {"sftp_keys": [ED25519], "ssh": False},
    "databases": ["main"],
    "database_charsets": {"main": "utf8mb4"},
    "lists": {"domain": "listes.null-probe.org", "dmarc": "none"},
    "exceptions": {"php_eol": {"until": dt.date(2027, 1, 31), "reason": "a move planned", "runtime": "8.4"}},
    "limits": {"memory_mb": 256, "cpus": 1.0, "pids": 128, "disk_soft_limit_mb": 1000},
    "cron": [{"schedule": "daily", "command": "php cron.php", "timeout": 60}],
    "notes": "a note",
}


def _fields(model: type[BaseModel], loc: Loc = ()) -> Iterator[tuple[Loc, bool]]:
    """Every field of ``model`` and its sub-models, with whether it is required (a list's item: index 0)."""
    for name, info in model.model_fields.items():
        here = (*loc, name)
        yield here, info.is_required()
        inner = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _fields(inner, (*here, 0) if typing.get_origin(info.annotation) is list else here)


FIELDS = list(_fields(MemberSpec))
OPTIONAL = [loc for loc, required in FIELDS if not required]
REQUIRED = [loc for loc, required in FIELDS if required]


def _with_null(loc: Loc) -> dict[str, Any]:
    data = copy.deepcopy(FULL)
    parent: Any = data
    for part in loc[:-1]:
        parent = parent[part]
    parent[loc[-1]] = None
    return data


def _problems(data: dict[str, Any], written: str = "") -> list[str]:
    """The problems of ``data`` written as YAML, each null written as ``written`` (nothing, ~ or null)."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).replace(" null\n", f" {written}".rstrip() + "\n")
    doc, problems = parse_yaml(text, "members/null-probe.yaml")
    assert doc is not None, problems
    spec, problems = validate_member(doc)
    return [str(p) for p in problems] if spec is None else []


def test_the_full_member_is_valid_and_holds_every_part() -> None:
    assert _problems(FULL) == []
    for loc, _ in FIELDS:
        parent: Any = FULL
        for part in loc[:-1]:
            parent = parent[part]
        assert loc[-1] in parent, f"FULL lacks {format_loc(loc)}: add it, so that its null is tested"


def test_the_walk_covers_the_keys_of_the_tester() -> None:
    keys = {format_loc(loc) for loc in OPTIONAL}
    assert {"site", "lists", "host", "limits", "access", "cron", "databases", "notes"} <= keys
    assert {"exceptions.php_eol", "site.charset", "limits.cpus", "cron[0].timeout", "contact.language"} <= keys


@pytest.mark.parametrize("written", ["", "~", "null"], ids=["nothing", "tilde", "null"])
@pytest.mark.parametrize("loc", OPTIONAL, ids=[format_loc(loc) for loc in OPTIONAL])
def test_an_optional_key_without_a_value_is_refused(loc: Loc, written: str) -> None:
    problems = _problems(_with_null(loc), written)
    assert len(problems) == 1, problems
    [line] = problems
    assert line.startswith("members/null-probe.yaml:"), line
    assert f" {format_loc(loc)}: is empty (null)" in line, line
    assert "remove the key to mean" in line and "or give its value" in line, line


@pytest.mark.parametrize("loc", REQUIRED, ids=[format_loc(loc) for loc in REQUIRED])
def test_a_required_key_without_a_value_says_so_once(loc: Loc) -> None:
    [line] = _problems(_with_null(loc))
    assert f" {format_loc(loc)}: is empty (null): give its value (the key is required)" in line, line


@pytest.mark.parametrize("written", ["", "~", "null"], ids=["nothing", "tilde", "null"])
@pytest.mark.parametrize(
    ("loc", "words"),
    [
        (("site", "domains", 0), "give a string, or remove the item"),
        (("access", "sftp_keys", 0), "give a string, or remove the item"),
        (("databases", 0), "give a string, or remove the item"),
        (("cron", 0), "give a mapping (key: value), or remove the item"),
    ],
    ids=lambda v: format_loc(v) if isinstance(v, tuple) else "",
)
def test_an_item_of_a_list_without_a_value_is_said_to_be_empty(loc: Loc, words: str, written: str) -> None:
    """``- `` with nothing after it in a list (was: "null is not a string")."""
    [line] = _problems(_with_null(loc), written)
    assert f" {format_loc(loc)}: is an empty item (null): {words}" in line, line


def test_every_null_of_a_file_is_told_with_the_other_problems() -> None:
    data = _with_null(("site",))
    data["limits"] = None
    data["uid"] = 5
    text = "\n".join(_problems(data))
    assert "site: is empty (null)" in text and "limits: is empty (null)" in text, text
    assert "uid: 5 is out of range" in text, text


def test_an_empty_site_fails_pic_check(tmp_path: Path) -> None:
    """The tester's case: everything under ``site:`` commented out."""
    members = tmp_path / "members"
    members.mkdir()
    shutil.copy(ROOT / "tests" / "corpus" / "_base.yaml", members / "base-member.yaml")
    (members / "probe-asso.yaml").write_text(
        "name: Probe\ncontact: {name: P, email: a@probe-asso.org}\nuid: 10099\nsite:\n"
        '#  domains: [probe-asso.org]\n#  php: "8.4"\n'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "check", "--project", str(ROOT), "--members", str(members), "--on", "2026-11-28"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1, proc
    assert f"{members}/probe-asso.yaml:4 site: is empty (null), which is never taken as absent" in proc.stderr


def test_the_schema_allows_no_null() -> None:
    schema = member_schema()
    assert "null" not in json.dumps(schema), "a null branch or default left in the schema"
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(_as_json(FULL)))
    for loc in OPTIONAL:
        assert list(validator.iter_errors(_as_json(_with_null(loc)))), f"the schema takes {format_loc(loc)}: null"


def _as_json(data: dict[str, Any]) -> Any:
    return json.loads(json.dumps(data, default=str))
