"""The example registry in members/ stays valid and, together, uses every field."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pic.check import check
from pic.errors import PicError
from pic.registry import MemberSpec, member_files
from pic.settings import load_settings
from pic.yamlsrc import read_yaml
from tests.conftest import MEMBERS, ROOT

ON = dt.date(2026, 11, 28)
FILES = member_files(MEMBERS)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_example_file_is_valid(path: Path) -> None:
    doc, problems = read_yaml(path, path.name)
    assert doc is not None and not problems, problems
    MemberSpec.model_validate(doc.data)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/member.schema.json", f"{path.name}: no schema line"


@pytest.mark.parametrize("stack", ["prod", "dev"])
def test_example_registry_checks_on_both_stacks(stack: str) -> None:
    checked = check(ROOT, stack, MEMBERS, ON)
    assert [m.slug for m in checked.registry] == [p.stem for p in FILES]


def test_examples_use_every_field_and_form() -> None:
    settings = load_settings(ROOT, "prod")
    registry = check(ROOT, "prod", MEMBERS, ON).registry
    used: set[str] = set()
    for m in registry:
        used |= m.spec.model_fields_set
    assert used == set(MemberSpec.model_fields), f"unused fields: {set(MemberSpec.model_fields) - used}"
    assert {m.status for m in registry} == {"active", "suspended", "archived"}
    assert any(m.site is None and m.lists is not None for m in registry), "a member with lists only"
    assert any(len(m.databases) > 1 for m in registry), "a member with several databases"
    assert any(m.access.ssh for m in registry), "a member with an ssh shell"
    assert any(m.site is not None and m.site.static for m in registry), "a static site"
    assert any(m.site is not None and not m.site.https for m in registry), "a site without https"
    assert any(m.spec.exceptions.php_eol is not None for m in registry), "an end-of-life exception"
    on_eol = [m for m in registry if m.runtime and settings.runtimes[m.runtime].eol < ON]
    assert on_eol, "a member on a runtime past end of life"
    assert any(m.spec.lists is not None and m.spec.lists.dmarc == "reject" for m in registry)


def test_the_member_file_of_docs_registry_passes_pic_check(tmp_path: Path) -> None:
    """docs/REGISTRY.md's member file, every field with its comment, is one an admin copies: it passes pic check
    (its php_settings raised upload_max_filesize above post_max_size's default, and it gave a PHP site a charset,
    which only static sites take: two errors). Only its sftp key is a placeholder."""
    text = (ROOT / "docs" / "REGISTRY.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example.startswith("name: "), example[:80]
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    members = tmp_path / "members"
    members.mkdir()
    (members / "amis-du-rhone.yaml").write_text(example.replace("ssh-ed25519 AAAAC3Nza...", key), encoding="utf-8")
    checked = check(ROOT, "prod", members, ON)
    assert [m.slug for m in checked.registry] == ["amis-du-rhone"]


def test_every_key_of_the_backup_settings_is_in_docs_registry() -> None:
    """pic:backup.offsite and its keys (retention, drill, check_subset), with their defaults and bounds, were in
    no table of the settings' contract."""
    from pic.settings import BackupSpec, OffsiteSpec

    text = (ROOT / "docs" / "REGISTRY.md").read_text(encoding="utf-8")
    for field in BackupSpec.model_fields:
        assert f"`pic:backup.{field}`" in text, field
    for field in OffsiteSpec.model_fields:
        assert f"`pic:backup.offsite.{field}`" in text or f", `{field}`" in text, field


def test_the_cron_message_docs_registry_quotes_is_what_pic_check_says(tmp_path: Path) -> None:
    """docs/REGISTRY.md quotes pic check on a wrong job (``members/x.yaml:12 cron[1].schedule: "* * * * *" runs
    more often than every 5 minutes: ...``): the message went on with the minutes it runs at before its colon, so
    the quote was none an admin could find. The quote, up to its ``...``, is the start of what pic check says for
    that schedule in a member's second job."""
    text = (ROOT / "docs" / "REGISTRY.md").read_text(encoding="utf-8")
    quoted = re.search(r"`members/x\.yaml:\d+ (cron\[1\]\.schedule): (\"[^\"]*\")([^`]*)\.\.\.`", text)
    assert quoted is not None, "docs/REGISTRY.md quotes no message of pic check on a cron schedule"
    field, schedule, said = quoted.groups()
    members = tmp_path / "members"
    members.mkdir()
    base = (MEMBERS / "amis-du-rhone.yaml").read_text(encoding="utf-8")
    assert "    timeout: 600\n" in base, "the example's cron job moved: write the test's job after it"
    job = f"  - schedule: {schedule}\n    command: php bin/queue.php\n"
    (members / "amis-du-rhone.yaml").write_text(base.replace("    timeout: 600\n", "    timeout: 600\n" + job, 1))
    with pytest.raises(PicError) as refused:
        check(ROOT, "prod", members, ON)
    [told] = [p for p in refused.value.problems if p.path == field]
    assert str(told).split(f" {field}: ", 1)[1].startswith(f"{schedule}{said}"), (str(told), said)
