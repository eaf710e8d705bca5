"""Property: every field of a member file, given any text, is refused with the project's own error, or
what reaches a host still passes the real program that reads it.

Hypothesis writes arbitrary text (control characters, line breaks, bidi and zero-width characters, the
line and paragraph separators, quotes, braces, backticks, very long values) into one field at a time
next to a valid member, and loads the files from disk as `pic check` does. What is accepted is then
rendered and checked by the program of the host: `caddy validate` (the shared Caddyfile), `apache2 -t`
(the member vhost), `ssh-keygen -l` (authorized_keys, line by line as sshd reads it), `postmap`
(Postfix's maps), `nsd-checkzone` (the zone of a list domain), Sympa's own check (robot.conf), and the
certificate placeholder script run with openssl. Terminal output never holds a raw control character.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from pic.errors import PicError
from pic.registry import Registry, load_registry
from pic.render import dns, mail, tls, web
from pic.settings import Settings, load_settings
from pic.validators import refused_character
from tests.conftest import ROOT, require_program
from tests.helpers import ED25519
from tests.mailfixtures import layout_in
from tests.test_daemons_mail import _sympa_check
from tests.test_render_web import apache_main_config, caddy_validate

SETTINGS: Settings = load_settings(ROOT, "prod")
ON = dt.date(2026, 11, 28)
BASE: dict[str, Any] = yaml.safe_load((ROOT / "tests" / "corpus" / "_base.yaml").read_text())
# Real programs are slow: fewer examples, and a failure is reported as found (no shrinking).
FEW = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
MANY = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))

# Characters that break config files and terminals, mixed into ordinary text.
NASTY = (
    "\n\r\t\x00\x07\x1b\x7f\x85\u00a0\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069\ufeff"
    "`'\"${}#;:\\ <>|&*"
    # joiners, a virama, emoji parts and tag characters, and the flag of Scotland whole
    "\u200c\u200d\u09cd\ufe0f\U0001f3f4\U000e0067\U000e007f"
)
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
nasty_text = st.lists(st.sampled_from([*NASTY, SCOTLAND]) | st.characters(), max_size=60).map("".join) | st.text(
    max_size=3000
)
label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
near_domain = st.builds(
    lambda a, b, junk, where: f"{a}.{b}.org"[:where] + junk + f"{a}.{b}.org"[where:],
    label,
    label,
    st.sampled_from(["", "", "\n", "\r", "\t", " ", ".", "\u2028", "`", "{", "\x00", "-", "_", "A"]),
    st.integers(0, 40),
)
domain_text = near_domain | nasty_text | st.from_regex(r"([a-z0-9]{1,63}\.){1,3}[a-z]{2,10}", fullmatch=True)


def _load(members: dict[str, dict[str, Any]], names: dict[str, str] | None = None) -> Registry | PicError:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for slug, data in members.items():
            text = yaml.safe_dump(data, allow_unicode=True)
            (directory / f"{(names or {}).get(slug, slug)}.yaml").write_text(text, encoding="utf-8")
        try:
            return load_registry(directory, SETTINGS)
        except PicError as exc:
            return exc


def _case(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["uid"], data["site"]["domains"], data["lists"]["domain"] = 10600, ["case-asso.fr"], "l.case-asso.fr"
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


FIELDS: list[tuple[str | int, ...]] = [
    ("name",),
    ("contact", "name"),
    ("contact", "email"),
    ("site", "domains", 0),
    ("site", "php"),
    ("lists", "domain"),
    ("access", "sftp_keys", 0),
    ("databases", 0),
    ("notes",),
    ("host",),
    ("status",),
]


@pytest.mark.parametrize("path", FIELDS, ids=[".".join(map(str, p)) for p in FIELDS])
@MANY
@given(value=nasty_text | domain_text)
def test_any_text_in_a_field_is_accepted_clean_or_refused_by_us(path: tuple[str | int, ...], value: str) -> None:
    result = _load({"base-member": copy.deepcopy(BASE), "case-member": _case(path, value)})
    if isinstance(result, PicError):
        assert result.problems
        for p in result.problems:
            assert p.file.endswith("case-member.yaml"), p
            assert refused_character(str(p), newlines=False) is None, f"unescaped: {p!s}"
        return
    accepted = result.get("case-member")
    got: Any = accepted.spec.model_dump()
    for part in path:
        got = got[part]
    newlines = path == ("notes",)
    free = path in (("name",), ("contact", "name"), ("notes",))  # free text: marks of direction allowed
    assert refused_character(got, newlines=newlines, marks=free) is None, repr(got)


@MANY
@given(value=nasty_text)
@example(value="caf\udce9")  # "café" in latin1: a file name that is not UTF-8
def test_any_file_name_is_a_slug_or_refused(value: str) -> None:
    name = value.replace("/", "_").replace("\x00", "_")[:200] or "_"
    if name in (".", ".."):
        return
    try:
        # A Linux file name is bytes: \udc80-\udcff stand for bytes that are not UTF-8 and are
        # kept; any other lone surrogate names no file at all.
        encoded = os.fsencode(name)
    except UnicodeEncodeError:
        assume(False)
    # ... and at most 255 bytes (NAME_MAX), ".yaml" included: 200 characters may be 800 bytes.
    assume(len(encoded) + len(".yaml") <= 255)
    result = _load({"case-member": _case(("uid",), 10600)}, {"case-member": name})
    if isinstance(result, PicError):
        for p in result.problems:
            assert refused_character(str(p)) is None, f"unescaped: {p!s}"


# --- what is accepted still passes the host's program --------------------------------------------


def _accepted(path: tuple[str | int, ...], values: list[str]) -> list[Registry]:
    out = []
    for value in values:
        result = _load({"case-member": _case(path, value)})
        if isinstance(result, Registry):
            out.append(result)
    return out


@pytest.mark.daemon
@FEW
@given(values=st.lists(domain_text, min_size=1, max_size=6))
@example(values=["a.example.org", f"{'a' * 63}.{'b' * 63}.example.org", "x\n.com", "x.com\n", "a{b}.org"])
def test_accepted_site_domains_pass_caddy_and_apache(values: list[str]) -> None:
    apache = require_program("apache2")
    for registry in _accepted(("site", "domains", 0), values):
        member = registry.get("case-member")
        site = member.spec.site
        assert site is not None
        plain = member.spec.model_copy(update={"site": site.model_copy(update={"https": False})})
        member = type(member)(member.slug, member.file, plain, member.host, member.lines)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            caddy_validate(web.render_caddyfile(SETTINGS, Registry((member,)), on=ON), root)
            for sub in web.MEMBER_DIRS:
                (root / "site" / sub).mkdir(parents=True)
            vhost = root / "vhost.conf"
            vhost.write_text(web.render_member_vhost(member, root=str(root / "site"), port=18081))
            out = subprocess.run(
                [apache, "-t", "-f", str(apache_main_config(root, 18081, vhost))],
                check=False,
                capture_output=True,
                text=True,
            )
            assert out.returncode == 0, out.stderr


@pytest.mark.daemon
@FEW
@given(values=st.lists(domain_text, min_size=1, max_size=4))
@example(values=[f"{'a' * 63}.{'b' * 63}.example.org", "x\n.com"])
def test_accepted_site_domains_get_their_placeholder_certificate(values: list[str]) -> None:
    require_program("openssl")
    for registry in _accepted(("site", "domains", 0), values):
        with tempfile.TemporaryDirectory() as tmp:
            script = tls.render_cert_bootstrap_script(registry, certs_dir=f"{tmp}/certs")
            out = subprocess.run(["sh", "-eu", "-s"], input=script, check=False, capture_output=True, text=True)
            assert out.returncode == 0, out.stderr
            assert (Path(tmp) / "certs" / "case-member" / "fullchain.pem").is_file()


@pytest.mark.daemon
@FEW
@given(values=st.lists(domain_text, min_size=1, max_size=6))
@example(values=["listes.a.org", "x\n.com", f"{'l' * 63}.{'m' * 63}.example.org"])
def test_accepted_list_domains_pass_postmap_and_nsd_checkzone(values: list[str]) -> None:
    postmap, checkzone = require_program("postmap"), require_program("nsd-checkzone")
    domains = [r.get("case-member").lists.domain for r in _accepted(("lists", "domain"), values)]  # type: ignore[union-attr]
    domains = list(dict.fromkeys(domains))  # a list domain is one member's (the registry refuses it twice)
    if not domains:
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "main.cf").write_text("compatibility_level = 3.6\n")
        for name, text in [
            ("transport", mail.transport_map(domains)),
            ("virtual", mail.virtual_map(domains, postmaster="a@example.org")),
        ]:
            (root / name).write_text(text)
            out = subprocess.run(
                [postmap, "-c", str(root), f"hash:{root / name}"], check=False, capture_output=True, text=True
            )
            assert out.returncode == 0 and "warning" not in out.stderr, out.stderr
            assert len(text.splitlines()) >= len(domains)
        for domain in domains:
            records = dns.mail_records(
                domain,
                policy="none",
                selector="pic",
                public_key_pem="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                mail_exchanger=SETTINGS.mail_exchanger,
                reports=SETTINGS.dmarc_reports,
            )
            inside = [r for r in records if dns.zone_of(r.name, [domain])]  # the rest is in the platform's zone
            zone = dns.zone_file(
                domain, inside, nameservers=["ns1.example.org"], hostmaster="admin@example.org", serial="1"
            )
            (root / "zone").write_text(zone)
            out = subprocess.run([checkzone, domain, str(root / "zone")], check=False, capture_output=True, text=True)
            assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.daemon
@FEW
@given(values=st.lists(nasty_text, min_size=1, max_size=3))
@example(values=["`id`", "Les `amis` du Rhône", "a\nb", "  #x  ", "€ % $HOME"])
def test_accepted_names_pass_sympas_check(values: list[str]) -> None:
    require_program("sympa")
    accepted = _accepted(("name",), values)
    if not accepted:
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        layout = layout_in(root)
        for directory in (layout.home, layout.dkim_dir, layout.maps_dir, str(Path(layout.config).parent)):
            Path(directory).mkdir(parents=True, exist_ok=True)
        Path(layout.config).write_text(
            mail.sympa_conf(SETTINGS.mail.sympa_domain, listmaster="a@example.org", selector="pic", layout=layout)
        )
        for i, registry in enumerate(accepted):
            domain = f"l{i}.case-asso.fr"
            robot = Path(layout.robot_conf(domain))
            robot.parent.mkdir(parents=True)
            title = registry.get("case-member").spec.name
            robot.write_text(
                mail.robot_conf(
                    domain,
                    sympa_domain=SETTINGS.mail.sympa_domain,
                    listmaster="a@example.org",
                    selector="pic",
                    title=title,
                    layout=layout,
                )
            )
        out = _sympa_check(root, layout.config)
        assert out.returncode == 0, out.stderr[-2000:]


@pytest.mark.daemon
@MANY
@given(comment=nasty_text, key=st.sampled_from([ED25519]) | nasty_text)
@example(comment="marie@laptop", key=ED25519)
@example(comment="x\ncert-authority ssh-ed25519 AAAA", key=ED25519)
@example(comment='a\u2028command="/bin/sh"', key=ED25519)
def test_accepted_keys_are_one_line_each_for_sshd(comment: str, key: str) -> None:
    keygen = require_program("ssh-keygen")
    line = key if key != ED25519 else f"{' '.join(ED25519.split()[:2])} {comment}"
    for registry in _accepted(("access", "sftp_keys", 0), [line]):
        member = registry.get("case-member")
        text = web.render_authorized_keys(member)
        assert text.count("\n") == len(member.access.sftp_keys) == 1
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "authorized_keys"
            path.write_text(text)
            out = subprocess.run([keygen, "-l", "-f", str(path)], check=False, capture_output=True, text=True)
            assert out.returncode == 0, out.stderr
            assert len(out.stdout.splitlines()) == 1, out.stdout
