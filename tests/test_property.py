"""Property: whatever the member files hold, loading yields a registry or the project's own error.

Hypothesis builds valid registries, then breaks them at random (a value replaced by junk of any
type, a key removed or misspelt, a file replaced by random text or bytes, duplicated uids and
domains) and loads them from disk as `pic check` does.
"""

from __future__ import annotations

import re
import string
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pic import names
from pic.errors import PicError
from pic.registry import Registry, load_registry
from pic.settings import Settings, load_settings
from pic.validators import check_free_text, check_robot_title
from tests.conftest import ROOT
from tests.helpers import ed25519_key

SETTINGS: Settings = load_settings(ROOT, "prod")
RUNTIMES = [*SETTINGS.runtime_keys(), "none"]

# Free text the loader accepts: any character but controls, invisible formatting and separators.
printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=40
)
label = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)
# The names the platform holds (system accounts such as tss or ntp, its containers, its resources' prefixes) are
# refused as slugs by the checks across files, which tests/test_inputs.py tests: a valid registry draws none.
_PLATFORM = names.platform_names(SETTINGS, "Pulumi.prod.yaml")
_RESOURCES = names.ResourcePrefixes(_PLATFORM)


def _free_slug(slug: str) -> bool:
    taken = any((space, slug) in _PLATFORM for space in ("unix", "resource", "label"))
    return not taken and _RESOURCES.owner_of_prefix(slug) is None


slug = st.from_regex(r"[a-z][a-z0-9-]{1,12}[a-z0-9]", fullmatch=True).filter(_free_slug)
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


# A run of the characters a password is typed with, three letters among them, 8 or more (docs/REGISTRY.md, "name"):
# an association's name holding one is refused (AAA0000=, a draw of this generator), so a valid name holds none.
# Wider than the rule (any run, whatever is around it), so that no valid draw is one the rule may refuse.
_TYPED_AS_A_PASSWORD = re.compile(r"(?<![\x21-\x7e])(?=[\x21-\x7e]{8})(?:[^A-Za-z\s]*+[A-Za-z]){3}")


def _shows_as_text(name: str) -> bool:
    """Free text as a person writes it: visible, no mark without its letter, no invisible filler; and no ``<``,
    which a member's name, the title of its Sympa robot, may not hold; and no word typed as a password."""
    try:
        check_robot_title(check_free_text(name))
    except ValueError:
        return False
    return _TYPED_AS_A_PASSWORD.search(name) is None


@st.composite
def valid_member(draw: st.DrawFn, uid: int, index: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": draw(printable.map(str.strip).filter(_shows_as_text)),
        "contact": {"name": "Contact", "email": f"c{index}@{draw(label)}.org"},
        "uid": uid,
        "status": draw(st.sampled_from(["active", "suspended", "archived"])),
    }
    if draw(st.booleans()):
        domains = [f"{draw(label)}{index}-{i}.asso-exemple.fr" for i in range(draw(st.integers(1, 3)))]
        data["site"] = {"domains": domains, "php": draw(st.sampled_from(RUNTIMES[1:])), "https": draw(st.booleans())}
    if draw(st.booleans()):
        data["access"] = {"sftp_keys": [ed25519_key(index)], "ssh": draw(st.booleans())}
    if draw(st.booleans()):
        data["databases"] = draw(
            st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), max_size=3, unique=True)
        )
    if draw(st.booleans()):
        data["lists"] = {"domain": f"listes{index}.{draw(label)}.org"}
    return data


# Plain scalars that YAML 1.2's core schema (the loader's) reads as numbers but PyYAML's 1.1
# dumper leaves unquoted (e.g. 0E0, 1e5): quote them, as a person writing such a name must.
_YAML12_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+")


class _Dumper(yaml.SafeDumper):
    def represent_str(self, data: str) -> yaml.ScalarNode:
        if _YAML12_NUMBER.fullmatch(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style='"')
        return super().represent_str(data)


_Dumper.add_representer(str, _Dumper.represent_str)


def _dump(data: object, **kwargs: Any) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, **kwargs))


@st.composite
def registry_files(draw: st.DrawFn, broken: bool) -> dict[str, str | bytes]:
    slugs = draw(st.lists(slug, min_size=1, max_size=5, unique=True))
    files: dict[str, str | bytes] = {}
    for i, s in enumerate(slugs):
        files[f"{s}.yaml"] = _dump(draw(valid_member(10000 + i, i)))
    if broken:
        target = draw(st.sampled_from(sorted(files)))
        data = yaml.safe_load(files[target])
        how = draw(st.sampled_from(["replace", "delete", "misspell", "text", "bytes", "dup-uid", "rename"]))
        if how == "replace":
            key = draw(st.sampled_from(sorted(data)))
            data[key] = draw(junk)
        elif how == "delete":
            del data[draw(st.sampled_from(sorted(data)))]
        elif how == "misspell":
            key = draw(st.sampled_from(sorted(data)))
            data[key + draw(st.sampled_from(["s", "_", "x"]))] = data.pop(key)
        elif how == "dup-uid":
            data["uid"] = 10000 if data["uid"] != 10000 else 10001
        if how == "text":
            files[target] = draw(st.text(max_size=200))
        elif how == "bytes":
            files[target] = draw(st.binary(max_size=200))
        elif how == "rename":
            files[draw(st.sampled_from(["Bad_Name.yaml", "1x.yaml", "ab.yaml"]))] = files.pop(target)
        else:
            files[target] = _dump(data, default_flow_style=draw(st.booleans()))
    return files


def _load(files: dict[str, str | bytes]) -> Registry | PicError:
    with tempfile.TemporaryDirectory() as tmp:
        members = Path(tmp)
        for name, content in files.items():
            path = members / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        try:
            return load_registry(members, SETTINGS)
        except PicError as exc:
            return exc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry_files(broken=False))
def test_valid_registries_load(files: dict[str, str | bytes]) -> None:
    result = _load(files)
    assert isinstance(result, Registry), str(result)
    assert len(result) == len(files)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry_files(broken=True))
def test_broken_registries_give_a_registry_or_our_error(files: dict[str, str | bytes]) -> None:
    result = _load(files)  # any other exception fails the test
    assert isinstance(result, Registry | PicError)
    if isinstance(result, PicError):
        assert result.problems
        for problem in result.problems:
            assert problem.file.endswith(".yaml") and problem.message
