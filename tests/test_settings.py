"""Stack settings: Pulumi.<stack>.yaml's pic: keys, their valid and invalid forms, secrets kept opaque."""

from __future__ import annotations

from pathlib import Path

import pytest

from pic.errors import PicError
from pic.settings import SecretRef, load_settings
from tests.conftest import ROOT
from tests.helpers import project_copy


def _edit(project: Path, old: str, new: str, stack: str = "prod") -> None:
    path = project / f"Pulumi.{stack}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in the stack file"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(project: Path) -> str:
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    return str(info.value)


def test_prod_and_dev_load() -> None:
    prod = load_settings(ROOT, "prod")
    assert prod.web_hosts == ["web1"] and prod.db_host == "db"
    assert prod.runtime_keys() == ["7.4", "8.2", "8.3", "8.4", "8.5"]
    assert all(r.pinned for r in prod.runtimes.values())
    dev = load_settings(ROOT, "dev")
    assert {h.connection for h in dev.hosts.values()} == {"local"}
    assert dev.tls.ca == "internal"


def test_secure_values_stay_opaque(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    with (project / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write("  pic:dbAdminPassword:\n    secure: v1:AAAAciphertext==\n")
    settings = load_settings(project, "prod")
    assert settings.secrets == {"dbAdminPassword": SecretRef("dbAdminPassword")}
    assert "ciphertext" not in repr(settings) and "ciphertext" not in settings.model_dump_json()


def test_plain_secret_is_refused(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    with (project / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write("  pic:dbAdminPassword: hunter2\n")
    text = _errors(project)
    assert "pic:dbAdminPassword" in text and "--secret" in text
    assert "hunter2" not in text, "the secret itself must never be echoed"


def test_other_namespaces_are_left_to_their_providers(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    with (project / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write("  docker:host: ssh://deploy@web1.example.org\n")
    load_settings(project, "prod")


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("pic:eol_warning_days: 365", "pic:eol_warnings_days: 365", "pic:eol_warnings_days"),
        ("ca: letsencrypt}", "ca: zerossl}", "pic:tls.ca"),
        ('time: "03:15"', 'time: "25:00"', "pic:backup.time"),
        ("keep_days: 7", "keep_days: 0", "pic:backup.keep_days"),
        ("role: db,", "role: web,", "pic:hosts"),
        ("private_address: 10.0.0.11", "private_address: 10.0.0.300", "pic:hosts.web1.private_address"),
        ('"8.2": {image', '"8.x": {image', "pic:runtimes.8.x"),
        ("eol: 2027-12-31", "eol: 2027-02-30", "pic:runtimes.8.3.eol"),
        ("php:8.4-apache@sha256:5f80", "PHP 8.4@sha256:5f80", "pic:runtimes.8.4.image"),
        ("sympa_domain: listes.example.org", "sympa_domain: Listes.example.org", "pic:mail.sympa_domain"),
        ("pic:admin_email: admin@example.org", "pic:admin_email: admin", "pic:admin_email"),
        ("ssh_user: deploy}", "ssh_user: deploy, port: 2222}", "pic:hosts.web1.port"),
    ],
)
def test_invalid_setting_names_file_line_and_field(tmp_path: Path, old: str, new: str, expect: str) -> None:
    project = project_copy(tmp_path)
    _edit(project, old, new)
    text = _errors(project)
    line = next((ln for ln in text.splitlines() if expect in ln), None)
    assert line is not None, text
    assert line.startswith(str(project / "Pulumi.prod.yaml") + ":"), f"no file:line in {line!r}"


def test_missing_stack_file_lists_known_stacks() -> None:
    with pytest.raises(PicError) as info:
        load_settings(ROOT, "staging")
    assert "Pulumi.staging.yaml" in str(info.value) and "dev, lab, prod" in str(info.value)


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    _edit(project, "ca: letsencrypt}", "ca: zerossl}")
    _edit(project, "keep_days: 7", "keep_days: 0")
    assert len(_errors(project).splitlines()) == 2
