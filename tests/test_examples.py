"""The example registry in members/ stays valid and, together, uses every field."""

from __future__ import annotations

import datetime as dt
import os
import re
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

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


def _member_block_fields(text: str) -> dict[str, str]:
    """docs/REGISTRY.md's member file: each field's path (``cron[].timeout``; a key commented out, ``# charset:``,
    too) and the words of its comments, the lines of comment under it included."""
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    stack: list[tuple[int, str]] = []  # (indent, key) of the fields holding the line
    fields: dict[str, str] = {}
    last = ""
    for line in block.splitlines():
        key = re.match(r"^( *)(?:# )?(- )?([a-z_.]+):(?: |$)(.*)$", line)
        if key is None or len(key.group(1)) > 20:  # a comment's line under a field's
            if last and line.strip().startswith("#"):
                fields[last] += " " + line.strip().lstrip("#").strip()
            continue
        indent = len(key.group(1))
        if key.group(2):  # an item of a list: its keys are those of the list's field with []
            stack = [(i, n) for i, n in stack if i < indent]
            stack[-1] = (stack[-1][0], stack[-1][1].removesuffix("[]") + "[]")
            indent += 2
        stack = [(i, n) for i, n in stack if i < indent]
        last = ".".join([n for _, n in stack] + [key.group(3)])
        comment = key.group(4).split("#", 1)[1].strip() if "#" in key.group(4) else ""
        fields[last] = f"{fields.get(last, '')} {comment}".strip()
        stack.append((indent, key.group(3)))
    return fields


def _schema_fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each field of the member file's JSON Schema by its path (``cron[].timeout``), with its schema."""
    defs = schema.get("$defs", {})
    out: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        if "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[1]]
        for alt in node.get("anyOf", []):
            walk(alt, prefix)
        if isinstance(node.get("items"), dict):
            walk(node["items"], prefix + "[]")
        for name, sub in node.get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            out[path] = sub
            walk(sub, path)

    walk(schema, "")
    return out


def _bounds(node: dict[str, Any]) -> tuple[object, object] | None:
    """A field's bounds in its schema: of its value, its length or its number of items."""
    for low, high in (("minimum", "maximum"), ("minItems", "maxItems"), ("minLength", "maxLength")):
        if high in node:
            return node.get(low, 0), node[high]
    return None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_every_field_of_the_member_schema_is_in_docs_registry_with_its_default_and_bounds() -> None:
    """Every field of the member file's schema (pic schema) is in docs/REGISTRY.md's member file, or for
    php_settings' keys in their table, or for limits' in the sentence of their bounds; a field there is one of the
    schema; a default its comment says (``default 300``, ``fr (default)``) is the schema's, and each default of the
    schema is said; bounds it says (``1..3600``, ``at most 1000 characters``) are the schema's."""
    from pic.phpini import DEFAULTS, RULES
    from pic.schema import member_schema

    text = (ROOT / "docs" / "REGISTRY.md").read_text(encoding="utf-8")
    documented = _member_block_fields(text)
    schema = _schema_fields(member_schema())
    table = {
        key: (allowed, default)
        for key, allowed, default in re.findall(r"^\| `([a-z_.]+)` \| (.*?) \| (.*?) \|", text, flags=re.MULTILINE)
    }
    bounds = text.split("Bounds, for the member's and the stack's:", 1)[1].split("\n\n", 1)[0]
    for path, node in schema.items():
        if path.startswith("site.php_settings."):
            assert path.removeprefix("site.php_settings.") in table, path
        elif path.startswith("limits."):
            name = path.removeprefix("limits.")
            said = re.search(rf"`{name}` ([0-9.,]+)\.\.([0-9.,]+)", bounds)
            assert said is not None, f"docs/REGISTRY.md gives no bounds of a member's {path}"
            assert tuple(map(_number, said.groups())) == _bounds(node), (path, said.groups(), _bounds(node))
        elif path != "limits":
            assert path in documented, f"docs/REGISTRY.md's member file has no {path}"
    assert "`limits:`" in text and "limits" in documented, "docs/REGISTRY.md's member file has no limits"
    assert not [p for p in documented if p not in schema and not p.startswith("database_charsets.")], documented
    for path, comment in documented.items():
        node = schema.get(path, {})
        said = re.search(r"(?:default (\S+?)[):,;]|(\S+) \(default\))", comment + ";")
        default = node.get("default")
        if isinstance(default, (bool, int, str)):
            shown = str(default).lower() if isinstance(default, bool) else str(default)
            assert said is not None, f"docs/REGISTRY.md: {path}'s default ({shown}) is not said"
            assert shown in said.groups(), (path, said.group(0), shown)
        told = re.search(r"(?<![\w.])([0-9][0-9,]*)\.\.([0-9][0-9,]*)|(?:at most|up to) ([0-9][0-9,]*) ", comment)
        schema_bounds = _bounds(node)
        if told is not None and schema_bounds is not None:
            low, high, most = told.groups()
            assert (_number(low) if low else schema_bounds[0], _number(high or most)) == schema_bounds, (path, told)
    for key, rule in RULES.items():  # the table of php_settings: bounds and default
        allowed, default = table[key]
        if rule.kind in ("seconds", "count"):
            assert allowed.startswith(f"{rule.low}..{rule.high}"), (key, allowed)
        assert default.startswith(DEFAULTS.get(key, "false")), (key, default)


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _settings_fields(model: type[BaseModel], prefix: str = "") -> dict[str, FieldInfo]:
    """Each setting of pic by its path under ``pic:`` (``hosts.*.ssh_port``: ``*`` a key of a mapping)."""
    out: dict[str, FieldInfo] = {}
    for name, info in model.model_fields.items():
        if info.exclude:
            continue
        path = prefix + name
        out[path] = info
        held = typing.get_args(info.annotation)[1] if typing.get_origin(info.annotation) is dict else info.annotation
        for sub in _models(held):
            out |= _settings_fields(sub, path + (".*." if held is not info.annotation else "."))
    return out


def test_every_setting_is_in_docs_registry_with_its_default() -> None:
    """Every setting of pic (pic.settings.Settings, at any depth) is named in docs/REGISTRY.md: as `pic:...` (with
    ``<name>`` for a key of a mapping), as a key of its YAML blocks, or in a row of its table (``keep_weekly`` beside
    ``pic:backup.offsite.keep_daily``, ``memory_mb`` in ``pic:limits``'s); a `pic:` name or a key of a block is one of
    the settings (or a secret's, in camelCase); a default of the table (``7; 1..366``) is the model's, as are its
    bounds."""
    from pic.settings import Settings

    fields = _settings_fields(Settings)
    text = (ROOT / "docs" / "REGISTRY.md").read_text(encoding="utf-8")
    part = text[text.index("## Pulumi.<stack>.yaml") :]
    named = {re.sub(r"<[a-z]+>", "*", name) for name in re.findall(r"`pic:([a-z_.<>]+)`", text)}

    def keys(value: object, path: str) -> set[str]:
        held = path in fields and _models(fields[path].annotation)
        if not isinstance(value, dict) or not (path == "" or path.endswith(".*") or held):
            return set()
        out: set[str] = set()
        for key in value:
            sub = f"{path}.{key}" if path else str(key).removeprefix("pic:")
            sub = f"{path}.*" if f"{path}.*" in {p.rsplit(".", 1)[0] for p in fields} else sub
            out |= {sub} | keys(value[key], sub)
        return out

    for block in re.findall(r"```yaml\n(.*?)```", part, flags=re.DOTALL):
        doc = yaml.safe_load(block)
        named |= keys(doc.get("config", doc), "")
    unknown = sorted(n for n in named if n not in fields and n == n.lower() and not n.endswith(".*"))
    assert not unknown, f"docs/REGISTRY.md names settings pic has not: {unknown}"
    rows = re.findall(r"^\| `pic:([a-z_.<>]+)`((?:, `[a-z_]+`)*) \| (.*?) \| (.*?) \|$", part, flags=re.MULTILINE)
    for first, others, meaning, cell in rows:
        name = re.sub(r"<[a-z]+>", "*", first)
        parent = name.rpartition(".")[0]
        names = [name] + [f"{parent}.{n}".lstrip(".") for n in re.findall(r"`([a-z_]+)`", others)]
        if name in fields and _models(fields[name].annotation):
            subs = [f"{name}.{n}" for n in re.findall(r"`([a-z_]+)`", meaning) if f"{name}.{n}" in fields]
            names += subs
            if isinstance(fields[name].default, BaseModel):
                names = subs
        named |= set(names)
        defaults, _, bounds = cell.partition("; ")
        shown = [d.strip("`") for d in defaults.split(", ")]
        for path, default, bound in zip(
            names, shown, bounds.split(", ") if bounds else [""] * len(names), strict=False
        ):
            value = fields[path].default
            if isinstance(value, (bool, int, float, str)) and len(shown) == len(names):
                assert default == (str(value).lower() if isinstance(value, bool) else str(value)), (path, cell)
            if re.fullmatch(r"[0-9.]+\.\.[0-9.]+", bound):
                limits = {type(m).__name__: m for m in fields[path].metadata}
                low, high = (getattr(limits.get(k), k.lower(), None) for k in ("Ge", "Le"))
                assert bound == f"{low}..{high}", (path, bound, low, high)
    missing = [p for p in fields if p not in named and not any(n.startswith(p + ".") for n in named)]
    assert not missing, f"settings in no table nor block of docs/REGISTRY.md: {missing}"


def test_the_errors_readme_and_docs_registry_quote_are_what_pic_check_says(tmp_path: Path) -> None:
    """README and docs/REGISTRY.md quote pic check on the example registry with site.php "5.5" in amis-du-rhone
    and velo-cite's second domain amis-du-rhone's: each line quoted is one pic check prints, its file and line,
    the runtimes it lists and the field of the other file."""
    import shutil
    import subprocess
    import sys

    project = tmp_path / "project"
    shutil.copytree(MEMBERS, project / "members")
    shutil.copy(ROOT / "Pulumi.prod.yaml", project / "Pulumi.prod.yaml")
    for name, old, new in [
        ("amis-du-rhone", '  php: "8.3"\n', '  php: "5.5"\n'),
        ("velo-cite", "    - www.velo-cite-lyon.fr\n", "    - www.amis-du-rhone.org\n"),
    ]:
        path = project / "members" / f"{name}.yaml"
        assert path.read_text(encoding="utf-8").count(old) == 1, (name, old)
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "check"], cwd=project, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1, proc.stderr
    told = (proc.stdout + proc.stderr).splitlines()
    for doc, after in [("README.md", "a required key left out to be missing"), ("docs/REGISTRY.md", "## Errors")]:
        text = (ROOT / doc).read_text(encoding="utf-8")
        quoted = text.split(after, 1)[1].split("```\n", 1)[1].split("```", 1)[0].splitlines()
        assert len(quoted) == 2, (doc, quoted)
        assert not [line for line in quoted if line not in told], (doc, quoted, told)


def test_the_readme_layout_names_what_the_repository_holds() -> None:
    """README's Layout: each path it names is in the repository (notices.yaml, which pic notify writes, aside), and
    each module of pic/commands/ and file of pic/data/ is named on its line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout\n", 1)[1].split("```\n", 1)[1].split("```", 1)[0]
    lines: dict[str, str] = {}
    path = ""
    for line in block.splitlines():
        said = line
        if not line.startswith(" "):
            path, _, said = line.partition(" ")
        lines[path] = f"{lines.get(path, '')} {said.strip()}"
    for path in lines:
        if path != "notices.yaml":
            assert list(ROOT.glob(path)), f"README's Layout names {path}, which the repository does not hold"
    for directory in ("pic/commands/", "pic/data/"):
        held = [p.name for p in (ROOT / directory).iterdir() if p.is_file() and p.name != "__init__.py"]
        named = [
            n for n in held if n in lines[directory] or n.removesuffix(".py").replace("_", "-") in lines[directory]
        ]
        assert sorted(named) == sorted(held), f"README's Layout: {directory} holds {sorted(set(held) - set(named))}"


def test_the_keys_of_pic_report_json_are_those_of_the_readme(tmp_path: Path) -> None:
    """README's table of ``pic report --format json`` (a stable interface) names each key the report writes, at
    each level (``runtimes[]``' ``image``, ``contact``'s ``smtputf8``, ``counts``' ``by_status``), and no other
    (the keys its row lists after its first colon):
    the report of the example registry, a member measured on web1 (a disk usage file of 2 lines)."""
    import json
    import subprocess
    import sys

    from tests.test_diskusage import header

    disk = tmp_path / "disk-usage"
    disk.mkdir()
    (disk / "web1.tsv").write_text(header("web1") + "velo-cite\t10\t2\t3\nnobody\t1\t2\t3\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "report", "--format", "json", "--disk-usage", str(disk)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### `pic report --format json`", 1)[1].split("\n\n###", 1)[0]
    rows = re.findall(r"^\| (.*?) \| (.*) \|$", table, flags=re.MULTILINE)[1:]  # the header's row aside
    said = {first.strip("`"): meaning for first, meaning in rows}
    top = [k.strip("`") for first, _ in rows for k in first.split(", ")]
    assert sorted(k.removesuffix("[]") for k in top) == sorted(report), (top, list(report))

    def named(meaning: str) -> set[str]:
        """The keys a row's meaning names at its first level: `a` (`b`, `c`) names a alone, b and c being a's."""
        return set(re.findall(r"`([a-z0-9_]+)`", re.sub(r"(`[a-z0-9_]+`) \([^)]*\)", r"\1", meaning)))

    levels = {
        "runtimes[]": report["runtimes"][0],
        "members_to_contact[]": report["members_to_contact"][0],
        "disk_usage[]": report["disk_usage"][0],
        "counts": report["counts"],
    }
    for key, value in levels.items():
        keys = set(value)
        listed = named(said[key].split(": ", 1)[1] if key != "counts" else said[key])
        assert keys == listed, (key, keys ^ listed)
        for inner, held in value.items():
            if isinstance(held, dict):
                inside = re.findall(rf"`{inner}` \(([^)]*)\)", said[key])
                assert inside and set(held) <= set(re.findall(r"`([a-z0-9_]+)`", inside[0])), (key, inner, list(held))
    assert report["disk_usage_warnings"] and report["disk_usage_warnings"][0].startswith("warning: "), report


def test_the_charsets_docs_registry_allows_are_the_schemas() -> None:
    """docs/REGISTRY.md lists the charsets of a static site (``iso-8859-2`` to ``iso-8859-16`` (not 9, 11, 12),
    ``windows-1250`` to ``windows-1258``, each other named) and of a database's connection: each list is the
    schema's, ``none`` aside."""
    from pic.schema import member_schema

    schema = _schema_fields(member_schema())
    site = set(schema["site.charset"]["enum"]) - {"none"}
    [database] = schema["database_charsets"]["patternProperties"].values()
    text = (ROOT / "docs" / "REGISTRY.md").read_text(encoding="utf-8")
    said = text.split("### Charset of a static site", 1)[1].split("Allowed:", 1)[1].split("Refused on", 1)[0]
    ranges = re.findall(r"`([a-z]+-?(?:8859-)?)(\d+)`\s+to\s+`[a-z]+-?(?:8859-)?(\d+)`(?:\s+\(not ([\d, ]+)\))?", said)
    listed = set(re.findall(r"`([a-z0-9_\-]+)`", said))
    for prefix, low, high, not_ in ranges:
        skipped = {int(n) for n in re.findall(r"\d+", not_)}
        listed |= {f"{prefix}{n}" for n in range(int(low), int(high) + 1) if n not in skipped}
    assert listed == site, (sorted(site - listed), sorted(listed - site))
    said = text.split("### Connection charset of a database", 1)[1].split("Allowed:", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r"`([a-z0-9]+)`", said.split("(", 1)[0])) == set(database["enum"]), said


def test_the_plan_comment_readme_shows_is_what_pic_plan_writes(tmp_path: Path) -> None:
    """README's pull-request comment of pic plan (amis-du-rhone moved to PHP 8.4 and potager.jardins-partages.org
    added to jardins-partages, against HEAD~1) has the sections, counts, moves and table pic plan writes for that
    change, in its order; the diffs inside each member's block are left out of the comparison (the rendered files'
    own lines), the revision's commit too."""
    import shutil
    import subprocess
    import sys

    from tests.conftest import require_program
    from tests.test_plan import GIT_ENV

    require_program("git")
    work = tmp_path / "repo"
    skipped = (".git", ".venv", "*_cache", "__pycache__", "tests", "bench", "docs", "lab", "disk-usage", "notices.yaml")
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(*skipped))

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=work, env={**os.environ, **GIT_ENV}, capture_output=True, check=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "start")
    for name, old, new in [
        ("amis-du-rhone", '  php: "8.3"\n', '  php: "8.4"\n'),
        (
            "jardins-partages",
            "    - jardins-partages.org\n",
            "    - jardins-partages.org\n    - potager.jardins-partages.org\n",
        ),
    ]:
        path = work / "members" / f"{name}.yaml"
        assert path.read_text(encoding="utf-8").count(old) == 1, (name, old)
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    git("commit", "-qam", "the README's change")
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--against", "HEAD~1", "--format", "markdown", "--on", ON.isoformat()],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr

    def outside_diffs(text: str) -> list[str]:
        text = re.sub(r"\n```diff\n.*?\n```\n", "\n", text, flags=re.DOTALL)
        return re.sub(r"\(([0-9a-f]{10})\)", "(REV)", text).splitlines()

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("````markdown\n", 1)[1].split("\n````", 1)[0]
    assert outside_diffs(shown) == outside_diffs(proc.stdout.rstrip("\n"))


def test_the_forms_docs_registry_gives_of_a_slug_and_a_database_are_the_codes() -> None:
    """docs/REGISTRY.md writes out the slug's form (``[a-z][a-z0-9-]{1,30}[a-z0-9]``) and a database's short name's
    (``^[a-z][a-z0-9_]{0,15}$``): each is the one pic checks, the schema's for a database."""
    from pic.schema import member_schema
    from pic.validators import SLUG_PATTERN

    text = (ROOT / "docs" / "REGISTRY.md").read_text(encoding="utf-8")
    slug = re.search(r"member's slug: `([^`]+)`", text)
    assert slug is not None and slug.group(1) == SLUG_PATTERN, (slug, SLUG_PATTERN)
    short = re.search(r"short names: (\^\S+\$);", text)
    pattern = _schema_fields(member_schema())["databases"]["items"]["pattern"]
    assert short is not None and f"^(?:{short.group(1)[1:-1]})$" == pattern, (short, pattern)


def test_the_architecture_names_every_component() -> None:
    """docs/ARCHITECTURE.md's layer of components lists the ComponentResources of components/ (it named 4 of
    the 13, the hosts' and what runs on them left out: FrontProxy, PhpMyAdmin, the dump and off-site jobs, the
    internal CA, the sites' mail relay, the zones) and the classes a Member is built by."""
    architecture = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    layer = " ".join(architecture.split("\ncomponents/", 1)[1].split("\n        |", 1)[0].split())
    classes = re.findall(
        r"^class (\w+)(?:\(pulumi\.ComponentResource\))?:",
        "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "components").glob("*.py"))),
        flags=re.MULTILINE,
    )
    components = [c for c in classes if not c.endswith("Args") and c not in ("HostAccess", "HostFile", "HostEngine")]
    assert len(components) >= 17, components
    assert not [c for c in components if not re.search(rf"\b{c}\b", layer)], (layer, components)


def test_the_layers_import_what_the_architecture_says() -> None:
    """docs/ARCHITECTURE.md: the registry and render layers never import Pulumi, components never parse YAML; README's
    Layout: pic/ has no Pulumi import, pic/plan/ imports it lazily (inside its functions), for pic plan alone."""
    import ast

    def imports(path: Path, *, top_only: bool) -> set[str]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = tree.body if top_only else list(ast.walk(tree))
        names: set[str] = set()
        for node in nodes:
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
                names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        return names

    for path in sorted((ROOT / "pic").rglob("*.py")):
        plan = path.is_relative_to(ROOT / "pic" / "plan")
        found = {n for n in imports(path, top_only=plan) if n.split(".")[0].startswith("pulumi")}
        assert not found, f"{path.relative_to(ROOT)} imports {found}" + (" at its top" if plan else "")
    for path in sorted((ROOT / "components").glob("*.py")):
        found = imports(path, top_only=False) & {"yaml", "pic.yamlsrc", "pic.yamlloader", "ruamel.yaml"}
        assert not found, f"{path.relative_to(ROOT)} imports {found}"


def test_the_versions_lab_readme_gives_are_the_builds_and_the_pins() -> None:
    """lab/README.md gives the toolchain's versions (the Pulumi release, the docker provider's upstream and bridge)
    and each plugin's version as its SDK requests it: the first are lab/toolchain/build's, the others those of the
    installed SDKs' pulumi-plugin.json (pyproject.toml pins each SDK exactly)."""
    import importlib.resources
    import json

    text = (ROOT / "lab" / "README.md").read_text(encoding="utf-8")
    build = (ROOT / "lab" / "toolchain" / "build").read_text(encoding="utf-8")
    for name in ("pulumi_version", "docker_upstream", "bridge_version"):
        value = re.search(rf"^{name}=(\S+)$", build, flags=re.MULTILINE)
        assert value is not None and value.group(1) in text, (name, value)
    said = re.search(r"at its own\s+version \(`pulumi-plugin.json`\): (.*?)\.\n", text, flags=re.DOTALL)
    assert said is not None, "lab/README.md gives no plugin versions"
    versions = dict(re.findall(r"(\w+) (\d+\.\d+\.\d+)", said.group(1)))
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for plugin in ("docker", "command", "tls", "random", "mysql"):
        plugin_json = importlib.resources.files(f"pulumi_{plugin}").joinpath("pulumi-plugin.json")
        assert versions.get(plugin) == json.loads(plugin_json.read_text())["version"], (plugin, versions)
        assert re.search(rf'"pulumi-{plugin}==[0-9.]+"', pyproject), f"pyproject.toml does not pin pulumi-{plugin}"


def test_the_settings_docs_registry_shows_with_their_defaults_hold_the_models() -> None:
    """docs/REGISTRY.md's blocks of the web hosts' settings (all optional, their defaults), of pic:db (every key
    optional) and of the mail and DNS settings show each key that has a default with that default (pic:db.port
    3306, dump_jobs 2, dev_port 13306, pic:dns.resolver_port 53...); a key without one (a domain, report_to) is an
    example."""
    from pydantic_core import PydanticUndefined

    from pic.settings import Settings

    fields = _settings_fields(Settings)
    text = (ROOT / "docs" / "REGISTRY.md").read_text(encoding="utf-8")
    for heading in ("### Settings of the web hosts", "### `pic:db`", "## Mail and DNS settings"):
        block = text.split(heading, 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
        doc = yaml.safe_load(block)
        shown = {}
        for key, value in doc.get("config", doc).items():
            for sub, held in value.items() if isinstance(value, dict) else [("", value)]:
                shown[f"{key.removeprefix('pic:')}.{sub}".rstrip(".")] = held
        assert len(shown) >= 5, (heading, shown)
        for path, value in shown.items():
            default = fields[path].default
            if default is not None and default is not PydanticUndefined:
                assert str(value) == str(default), (heading, path, value, default)
