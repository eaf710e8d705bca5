"""The off-site backup's rendered files, checked by the programs that read them: shellcheck (every
script), bash (the settings fragment), ssh -G (the sftp command), systemd-analyze (units and
calendars); and the settings' errors for repositories restic would not read or ssh not reach, and
for host keys ssh would never find (ssh-keygen -F looks them up as ssh does)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import shlex
import socket
import subprocess
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from pic.render import db as rdb
from pic.render import offsite as ro
from pic.settings import BackupSpec, OffsiteSpec, check_offsite_repository, known_hosts_matches, sftp_target
from tests.conftest import require_program, require_root
from tests.helpers import free_port

NASTY = 'it\'s a "pass" with $dollar `tick` and \\ backslash'


def _config(repository: str) -> ro.OffsiteConfig:
    return ro.OffsiteConfig(
        repository=repository,
        host_label="web1",
        report_to="admins@example.org",
        members_root="/srv/members",
        keep_daily=7,
        keep_weekly=5,
        keep_monthly=12,
        paths=[*ro.HOST_STATE_PATHS, *ro.SYMPA_PATHS],
    )


@pytest.mark.parametrize(
    "script", [ro.backup_script, ro.drill_script, ro.restore_script, lambda: ro.install_script("a", "b")]
)
def test_scripts_pass_shellcheck(script: object, tmp_path: Path) -> None:
    shellcheck = require_program("shellcheck")
    assert callable(script)
    path = tmp_path / "script.sh"
    path.write_text(script())
    done = subprocess.run([shellcheck, "-x", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    ("repository", "command"),
    [
        ("sftp:backup@vault.example.net:/srv/restic/pic", "-p 22 backup@vault.example.net -s sftp"),
        ("sftp://backup@vault.example.net:2222//srv/restic/pic", "-p 2222 backup@vault.example.net -s sftp"),
        ("s3:https://s3.example.net/pic-backups/web", ""),
    ],
)
def test_settings_fragment_reads_back_in_bash(repository: str, command: str, tmp_path: Path) -> None:
    conf = tmp_path / "offsite.conf"
    conf.write_text(ro.offsite_conf(_config(repository)))
    done = subprocess.run(
        ["bash", "-c", f'. {conf}; printf "%s\\n" "$REPOSITORY" "$SFTP_COMMAND" "${{#PATHS[@]}}" "${{PATHS[-1]}}"'],
        capture_output=True,
        text=True,
        check=True,
    )
    repo, sftp, count, last = done.stdout.splitlines()
    assert repo == repository
    assert sftp.endswith(command)
    assert ("StrictHostKeyChecking=yes" in sftp) == bool(command)
    assert int(count) == len(ro.HOST_STATE_PATHS) + len(ro.SYMPA_PATHS)
    assert last == ro.SYMPA_PATHS[-1]


def test_s3_credentials_file_reads_back(tmp_path: Path) -> None:
    env = tmp_path / "offsite.env"
    env.write_text(ro.s3_env("AKIDEXAMPLE", NASTY))
    done = subprocess.run(
        ["bash", "-c", f'set -a; . {env}; printf "%s\\n" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == ["AKIDEXAMPLE", NASTY]


def test_a_repository_restic_would_not_read_is_refused() -> None:
    with pytest.raises(ValueError, match="sftp:user@host:/path"):
        sftp_target("sftp:no-user-or-path")
    with pytest.raises(ValueError, match="known_hosts"):
        BackupSpec.model_validate({"offsite": {"repository": "sftp:b@vault.example.net:/srv/r"}})
    with pytest.raises(ValueError, match="repository"):
        BackupSpec.model_validate({"offsite": {"repository": "/a/local/path"}})
    with pytest.raises(ValueError, match="compression"):
        rdb.dump_conf(rdb.DumpConfig("/srv/members", 7, 2, "a@b.org", "web1", compression="xz"))


KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"


def _hashed(name: str, salt: bytes = b"pic-salt-of-20-bytes") -> str:
    """``name`` as ``ssh-keygen -H`` writes it: |1|base64(salt)|base64(HMAC-SHA1(salt, name))."""
    digest = hmac.new(salt, name.encode(), hashlib.sha1).digest()
    return f"|1|{base64.b64encode(salt).decode()}|{base64.b64encode(digest).decode()}"


# Every form the README and restic document, with the host and port ssh is given, and the name
# ssh then looks the host key up by.
SFTP_FORMS = [
    ("sftp:restic@vault.example.net:/srv/restic/pic", "vault.example.net", 22, "vault.example.net"),
    ("sftp:restic@192.0.2.7:/srv/restic", "192.0.2.7", 22, "192.0.2.7"),
    ("sftp://restic@vault.example.net:2222//srv/restic/pic", "vault.example.net", 2222, "[vault.example.net]:2222"),
    ("sftp://restic@vault.example.net//srv/restic", "vault.example.net", 22, "vault.example.net"),
    ("sftp://restic@vault.example.net:22//srv/restic", "vault.example.net", 22, "vault.example.net"),
    ("sftp://restic@vault.example.net:2222/restic", "vault.example.net", 2222, "[vault.example.net]:2222"),
    ("sftp://restic@[2001:db8::7]:2222//srv/restic", "2001:db8::7", 2222, "[2001:db8::7]:2222"),
    ("sftp://restic@[2001:db8::7]//srv/restic", "2001:db8::7", 22, "2001:db8::7"),
    # ssh looks an address up compressed, however written ("canonicalised address" in ssh -vvv)
    ("sftp://restic@[2001:0db8:0:0::7]:2222//srv/restic", "2001:db8::7", 2222, "[2001:db8::7]:2222"),
    ("sftp://restic@localhost:65535//srv/restic", "localhost", 65535, "[localhost]:65535"),
]


@pytest.mark.parametrize(("repository", "host", "port", "name"), SFTP_FORMS, ids=[f[0] for f in SFTP_FORMS])
def test_every_documented_sftp_form_is_accepted_and_reaches_its_server(
    repository: str, host: str, port: int, name: str, tmp_path: Path
) -> None:
    ssh = require_program("ssh")
    keygen = require_program("ssh-keygen")
    spec = OffsiteSpec.model_validate({"repository": repository, "known_hosts": f"{name} {KEY}"})
    for line in (f"{_hashed(name)} {KEY}", f"*.example.net,{name},!evil.example.net {KEY}"):
        assert OffsiteSpec.model_validate({"repository": repository, "known_hosts": line})
    conf = tmp_path / "offsite.conf"
    conf.write_text(ro.offsite_conf(_config(spec.repository)))
    done = subprocess.run(
        ["bash", "-c", f'. {conf}; printf "%s" "$SFTP_COMMAND"'], capture_output=True, text=True, check=True
    )
    command = shlex.split(done.stdout)
    assert command[0] == "ssh"
    seen = subprocess.run([ssh, "-G", *command[1:]], capture_output=True, text=True, check=True).stdout.splitlines()
    assert f"hostname {host}" in seen and f"port {port}" in seen and "user restic" in seen, seen
    # ssh-keygen -F finds the pinned line under the name ssh looks up, and no other
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"{name} {KEY}\n")
    assert (
        subprocess.run([keygen, "-F", name, "-f", str(known_hosts)], capture_output=True, check=False).returncode == 0
    )
    other = name.replace(f":{port}", ":2200") if port != 22 else f"[{host}]:2200"
    assert (
        subprocess.run([keygen, "-F", other, "-f", str(known_hosts)], capture_output=True, check=False).returncode != 0
    )


@pytest.mark.parametrize(("kind", "bits"), [("ecdsa", "384"), ("ecdsa", "521"), ("rsa", "3072"), ("ed25519", "")])
def test_every_host_key_type_of_openssh_is_pinned_comment_and_all(tmp_path: Path, kind: str, bits: str) -> None:
    keygen = require_program("ssh-keygen")
    key = tmp_path / "host_key"
    subprocess.run(
        [keygen, "-q", "-t", kind, *(["-b", bits] if bits else []), "-N", "", "-C", "", "-f", str(key)], check=True
    )
    line = f"vault.example.net {key.with_suffix('.pub').read_text().strip()} host key of 2026"
    OffsiteSpec.model_validate({"repository": "sftp:restic@vault.example.net:/srv/restic", "known_hosts": line})
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(line + "\n")  # and ssh finds the line as written
    found = subprocess.run(
        [keygen, "-F", "vault.example.net", "-f", str(known_hosts)], capture_output=True, text=True, check=False
    )
    assert found.returncode == 0, found.stderr


# A host key line, and whether ssh finds it for "[vault.example.net]:2222".
KNOWN_HOSTS_LINES = [
    ("[vault.example.net]:2222", True),
    ("vault.example.net", False),
    ("[vault.example.net]:22", False),
    ("[VAULT.example.net]:2222", True),
    ("[vault.example.net]:*", True),
    ("*.example.net", False),
    ("[*.example.net]:2222,!*evil*", True),
    ("[*.example.net]:2222,![vault.example.net]:2222", False),
    ("[vault.example.net]:222?", True),
    ("[vault.example.net]:22?", False),
    ("other.example.net,[vault.example.net]:2222", True),
    (_hashed("[vault.example.net]:2222"), True),
    (_hashed("vault.example.net"), False),
    ("|1|bm90IGJhc2U2NA|AAAA", False),
]


@pytest.mark.parametrize(("patterns", "found"), KNOWN_HOSTS_LINES, ids=[k[0] for k in KNOWN_HOSTS_LINES])
def test_host_key_lines_are_matched_as_openssh_does(patterns: str, found: bool, tmp_path: Path) -> None:
    keygen = require_program("ssh-keygen")
    name = "[vault.example.net]:2222"
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"{patterns} {KEY}\n")
    done = subprocess.run([keygen, "-F", name, "-f", str(known_hosts)], capture_output=True, text=True, check=False)
    assert (done.returncode == 0) == found, done.stdout + done.stderr
    assert known_hosts_matches(patterns, name) == found
    repository = "sftp://restic@vault.example.net:2222//srv/restic"
    if found:
        OffsiteSpec.model_validate({"repository": repository, "known_hosts": f"{patterns} {KEY}"})
    else:
        with pytest.raises(ValidationError, match=r"ssh looks the repository's server up as \"\[vault"):
            OffsiteSpec.model_validate({"repository": repository, "known_hosts": f"{patterns} {KEY}"})


# Repositories restic would not read, or ssh not reach, and the words that say why.
BAD_REPOSITORIES = [
    ("sftp:restic@vault.example.net", "is not sftp:user@host:/path"),
    ("sftp:restic@vault.example.net:srv/restic", "absolute path"),
    ("sftp:restic@vault.example.net:2222/srv/restic", "for a port or an IPv6 address write sftp://"),
    ("sftp:restic@[2001:db8::7]:/srv/restic", "for a port or an IPv6 address write sftp://"),
    ("sftp:vault.example.net:/srv/restic", "is not sftp:user@host:/path"),
    ("sftp://restic@vault.example.net", "is not sftp://user@host[:port]//path"),
    ("sftp://restic@vault.example.net:2222/", "has no path"),
    ("sftp://restic@vault.example.net:99999//srv", 'port "99999" is not a port'),
    ("sftp://restic@vault.example.net:0//srv", 'port "0" is not a port'),
    ("sftp://restic@vault.example.net:22x//srv", "is not a port"),
    ("sftp://restic@vault.example.net://srv", 'port "" is not a port'),
    ("sftp://restic@2001:db8::7:2222//srv", "IPv6 address without brackets"),
    ("sftp://restic@[2001:db8::7//srv", "does not close"),
    ("sftp://restic@[vault.example.net]:2222//srv", "a name in brackets, where only an IPv6 address is written"),
    ("sftp://restic@[fe80::1%eth0]:2222//srv", "zone"),
    ("sftp://restic@:2222//srv", "has no host"),
    ("sftp://restic@Vault.example.net//srv", "lowercase"),
    ("sftp://restic@vault.example.net//srv?x=1", "query"),
    ("sftp://restic@vault.example.net/~/restic", "'~'"),
    ("sftp://restic@vault.example.net//srv/a b", "holds a space at character 39"),
    ("sftp:restic@vault.example.net:/srv/sauvegardes-été", "holds the character 'é' (U+00E9) at character 48"),
    ("sftp://restic@coopé.example.net//srv", "xn-- form"),
    ("s3:https://s3.example.net/pic backups/web", "holds a space"),
    ("s3:https://s3.example.net/ab/web", "the bucket 'ab' of 2 characters"),
    (f"s3:https://s3.example.net/{'b' * 64}/web", "of 64 characters: an S3 bucket name has 3 to 63"),
    ("s3:https://s3.example.net/192.0.2.10/web", "shaped like an IPv4 address"),
    ("s3:https://s3.example.net/pic..backups/web", "holds no '..', '.-' nor '-.'"),
    ("s3:https://s3.example.net/pic-.backups", "holds no '..', '.-' nor '-.'"),
    ("s3:https://s3.example.net/-pic-backups/web", "starts and ends with a letter or a digit"),
    ("s3:https://s3.example.net/pic-backups_/web", "starts and ends with a letter or a digit"),
    ("s3:https://s3.example.net:99999/pic-backups/web", 'port "99999" is not a port'),
    ("s3:https://s3.example.net/", "has no bucket after the host s3.example.net"),
    ("s3:https:///pic-backups", "names no host after 'https://'"),
    ("s3:https://[2001:db8::9/pic-backups", "does not close"),
    ("/a/local/path", "is a directory of this machine"),
]


@pytest.mark.parametrize(("repository", "words"), BAD_REPOSITORIES, ids=[b[0] for b in BAD_REPOSITORIES])
def test_a_repository_that_would_fail_is_refused_by_the_settings_and_the_renderer(repository: str, words: str) -> None:
    """One parser: what the settings refuse, the renderer refuses (a traceback in `pic plan` otherwise)."""
    with pytest.raises(ValidationError, match="repository") as info:
        OffsiteSpec.model_validate({"repository": repository, "known_hosts": f"vault.example.net {KEY}"})
    assert words in str(info.value)
    if repository.startswith("sftp:"):
        with pytest.raises(ValueError) as rendered:
            ro.offsite_conf(_config(repository))
        assert words in str(rendered.value)


@pytest.mark.parametrize(
    "repository",
    [
        "s3:https://s3.example.net/pic-backups/web",
        "s3:http://127.0.0.1:9000/pic-backups",
        "s3:https://[2001:db8::9]:9000/bkp",
        "s3:https://s3.example.net/Pic_Backups.2026/web",  # minio-go's rule; Amazon's own wants lowercase
        f"s3:https://s3.example.net/{'b' * 63}",
        # the usual stores' endpoints, public suffixes (their buckets are names under them): restic's own example
        "s3:https://s3.amazonaws.com/asso-backups",
        "s3:https://s3.eu-west-3.amazonaws.com/asso-backups/web",
        "s3:https://s3.fr-par.scw.cloud/asso-backups",
        "s3:https://fra1.digitaloceanspaces.com/asso-backups",
        "s3:https://eu-central-1.linodeobjects.com/asso-backups",
    ],
)
def test_s3_repositories_are_accepted(repository: str) -> None:
    spec = OffsiteSpec.model_validate({"repository": repository})
    assert "SFTP_COMMAND=''" in ro.offsite_conf(_config(spec.repository))


def test_a_host_connected_to_may_be_a_public_suffix() -> None:
    """The Public Suffix List names service endpoints (s3.amazonaws.com): a host to reach, no one's site."""
    from pic.validators import check_host_address, is_public_suffix

    for host in ("s3.amazonaws.com", "s3.fr-par.scw.cloud", "fra1.digitaloceanspaces.com"):
        assert is_public_suffix(host) and check_host_address(host, public_suffix=True) == host
        with pytest.raises(ValueError, match="public suffix"):
            check_host_address(host)  # a host of the platform's own: a name of its own
    with pytest.raises(ValueError, match="at least two labels"):
        check_host_address("org", public_suffix=True)


@pytest.mark.daemon
def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = require_program("systemd-analyze")
    scripts = {}
    for name in ("pic-offsite-backup", "pic-offsite-drill"):
        scripts[name] = tmp_path / name
        scripts[name].write_text("#!/bin/sh\n")
        scripts[name].chmod(0o755)
    conf = str(tmp_path / "offsite.conf")
    units = {
        "pic-offsite-backup.service": ro.backup_service(str(scripts["pic-offsite-backup"]), conf),
        "pic-offsite-backup.timer": ro.backup_timer("04:30"),
        "pic-offsite-drill.service": ro.drill_service(str(scripts["pic-offsite-drill"]), conf),
        "pic-offsite-drill.timer": ro.drill_timer("Sun", "06:00"),
    }
    for name, text in units.items():
        (tmp_path / name).write_text(text)
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in units)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stderr.splitlines() if "pic-offsite" in line], done.stderr
    for spec in ("*-*-* 04:30:00", "Sun *-*-* 06:00:00"):
        cal = subprocess.run([analyze, "calendar", spec], capture_output=True, text=True, check=False)
        assert cal.returncode == 0, cal.stderr
    assert "OnCalendar=Sun *-*-* 06:00:00" in units["pic-offsite-drill.timer"]


# Repositories whose URL path restic reads otherwise than written: Go's url.Parse decodes %XX and refuses
# any other '%', and restic cleans the path before it refuses a leading '~'.
RESTIC_READS_OTHERWISE = [
    "sftp://restic@vault.example.net//srv/backup-100%",
    "sftp://restic@vault.example.net:2222//srv/100%zz/pic",
    "sftp://restic@vault.example.net//srv/restic%2Fpic",
    "sftp://restic@vault.example.net/./~restic",
    "s3:https://s3.example.net/bucket/pic-100%",
    "s3:https://s3.example.net/bucket/a%41b",
]


@pytest.mark.parametrize("repository", RESTIC_READS_OTHERWISE)
def test_a_url_path_restic_would_read_otherwise_is_refused(repository: str) -> None:
    with pytest.raises(ValueError, match=r"'%'|'~'"):
        check_offsite_repository(repository)
    key = f"[vault.example.net]:2222 {KEY}" if ":2222" in repository else f"vault.example.net {KEY}"
    known = {"known_hosts": key} if repository.startswith("sftp:") else {}
    with pytest.raises(ValueError, match=r"'%'|'~'"):
        OffsiteSpec.model_validate({"repository": repository, **known})


# restic decodes %41 and %2F without a word; a '%' of no escape it refuses.
REFUSED_BY_RESTIC = [r for r in RESTIC_READS_OTHERWISE if "%" in r and "%41" not in r and "%2F" not in r]


@pytest.mark.parametrize("repository", REFUSED_BY_RESTIC)
def test_restic_itself_refuses_those_repositories(repository: str, tmp_path: Path) -> None:
    restic = require_program("restic")
    password = tmp_path / "password"
    password.write_text("x\n")
    done = subprocess.run(
        [restic, "--repo", repository, "--password-file", str(password), "-o", "sftp.command=false", "cat", "config"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode != 0
    assert "invalid URL escape" in done.stderr, done.stderr


def test_the_short_sftp_form_keeps_a_percent_sign_as_written() -> None:
    target = sftp_target("sftp:restic@vault.example.net:/srv/backup-100%")
    assert target is not None and target.path == "/srv/backup-100%"


# A repository restic reads otherwise or not at all, or of a kind the platform does not use: the message names what is
# wrong, and the form to write (with the repository's own host and bucket where it has them)
NOT_THE_FORM = [
    ("S3:https://s3.example.net/bucket/pic", "'S3:'", "write s3:https://s3.example.net/bucket/pic"),
    ("SFTP:restic@vault.example.net:/srv", "'SFTP:'", "write sftp:restic@vault.example.net:/srv"),
    ("s3:https://s3.example.net/", "no bucket", "s3:https://s3.example.net/BUCKET"),
    ("s3:https://s3.example.net", "no bucket", "s3:https://s3.example.net/BUCKET"),
    ("s3:http://192.0.2.9:9000", "no bucket", "s3:http://192.0.2.9:9000/BUCKET"),
    ("s3:https://s3.example.net//bucket/pic", "empty bucket", "s3:https://s3.example.net/bucket/pic"),
    ("s3:s3.example.net/bucket/pic", "no scheme", "write s3:https://s3.example.net/bucket/pic"),
    ("s3://s3.example.net/bucket", "no scheme", "write s3:https://s3.example.net/bucket"),
    ("s3:HTTPS://s3.example.net/bucket", "'HTTPS'", "write s3:https://s3.example.net/bucket"),
    ("s3:ftp://s3.example.net/bucket", "'ftp'", "s3:https://host[:port]/bucket/path"),
    ("s3:https:/s3.example.net/bucket", "after 'https:'", "write s3:https://s3.example.net/bucket"),
    ("s3:https://s3.example.net/bucket?region=eu", "'?'", "s3:https://host[:port]/bucket/path"),
    ("s3:https://s3.example.net/b@ckup/pic", "'b@ckup'", "starts and ends with a letter or a digit"),
    ("rest:https://backup.example.net/pic", "restic's rest repository", "sftp:user@host:/path"),
    ("b2:bucket:pic", "restic's b2 repository", "s3:https://host[:port]/bucket/path"),
    ("/srv/restic", "a directory of this machine", "sftp:user@host:/path"),
    ("local:/srv/restic", "a directory of this machine", "sftp:user@host:/path"),
]


@pytest.mark.parametrize(("repository", "what", "form"), NOT_THE_FORM, ids=[f[0] for f in NOT_THE_FORM])
def test_a_repository_not_of_the_forms_says_what_is_wrong_and_the_form_to_write(
    repository: str, what: str, form: str
) -> None:
    with pytest.raises(ValueError) as info:
        check_offsite_repository(repository)
    message = str(info.value)
    assert what in message and form in message, message
    assert "is not a repository the platform can use" not in message, message


@pytest.mark.parametrize("repository", ["S3:https://s3.example.net/bucket", "SFTP:restic@vault.example.net:/srv"])
def test_restic_knows_no_kind_in_capitals(repository: str, tmp_path: Path) -> None:
    restic = require_program("restic")
    password = tmp_path / "password"
    password.write_text("x\n")
    done = subprocess.run(
        [restic, "--repo", repository, "--password-file", str(password), "cat", "config"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode != 0 and "invalid backend" in done.stderr, done.stderr


# A @cert-authority line (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT) trusts the host certificates its CA signed: ssh looks it
# up as it looks a key up ("[vault.example.net]:2222"), then, for a certificate, by the host without the port
CA_LINES = [
    ("[vault.example.net]:2222", True),
    ("vault.example.net", True),
    ("*.example.net", True),
    ("[vault.example.net]:2200", False),
    ("other.example.net", False),
]


@pytest.mark.parametrize(("patterns", "found"), CA_LINES, ids=[c[0] for c in CA_LINES])
def test_a_cert_authority_line_is_taken_where_ssh_finds_it(patterns: str, found: bool) -> None:
    repository = "sftp://restic@vault.example.net:2222//srv/restic"
    line = f"@cert-authority {patterns} {KEY}"
    if found:
        spec = OffsiteSpec.model_validate({"repository": repository, "known_hosts": line})
        assert spec.known_hosts == line
    else:
        with pytest.raises(ValidationError, match=r"for a certificate, as \"vault.example.net\""):
            OffsiteSpec.model_validate({"repository": repository, "known_hosts": line})


def test_a_revoked_line_is_refused_as_it_trusts_no_key() -> None:
    with pytest.raises(ValidationError, match="@revoked marks a key ssh refuses: it trusts none") as info:
        OffsiteSpec.model_validate(
            {
                "repository": "sftp:restic@vault.example.net:/srv/restic",
                "known_hosts": f"@revoked vault.example.net {KEY}",
            }
        )
    assert "the server's key line, or @cert-authority" in str(info.value)


@pytest.mark.daemon
def test_ssh_reaches_a_server_of_a_certificate_where_the_settings_take_its_authority(tmp_path: Path) -> None:
    """A real sshd presenting a host certificate: the settings take a @cert-authority line exactly where the backup's
    own ssh command (its options, the file holding the line) then reaches the server."""
    require_root("sshd runs as root")
    sshd, keygen, ssh = require_program("sshd"), require_program("ssh-keygen"), require_program("ssh")
    for name in ("ca", "host_key", "id_ed25519"):
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(tmp_path / name)], check=True)
    subprocess.run(
        [
            keygen,
            "-q",
            "-s",
            str(tmp_path / "ca"),
            "-I",
            "vault",
            "-h",
            "-n",
            "localhost",
            str(tmp_path / "host_key.pub"),
        ],
        check=True,
    )
    port = free_port()
    (tmp_path / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {tmp_path / 'host_key'}\n"
        f"HostCertificate {tmp_path / 'host_key-cert.pub'}\nAuthorizedKeysFile {tmp_path / 'id_ed25519.pub'}\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\nStrictModes no\nUsePAM no\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    server = subprocess.Popen([sshd, "-D", "-e", "-f", str(tmp_path / "sshd_config")], stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port)
        repository = f"sftp://root@localhost:{port}//srv/restic"
        target = sftp_target(repository)
        assert target is not None
        ca = (tmp_path / "ca.pub").read_text().strip()
        known_hosts = tmp_path / "known_hosts"
        command = shlex.split(ro.sftp_command(target, str(tmp_path / "id_ed25519"), str(known_hosts)))
        assert command[-2:] == ["-s", "sftp"]
        for patterns, taken in [(f"[localhost]:{port}", True), ("localhost", True), ("*", True), ("other.org", False)]:
            line = f"@cert-authority {patterns} {ca}"
            try:
                OffsiteSpec.model_validate({"repository": repository, "known_hosts": line})
                accepted = True
            except ValidationError:
                accepted = False
            known_hosts.write_text(line + "\n")
            done = subprocess.run(
                [ssh, *command[1:-2], "true"], capture_output=True, text=True, timeout=60, check=False
            )
            assert accepted == taken == (done.returncode == 0), (line, done.stderr)
        # a @revoked line for the server's own key: ssh refuses it, as the settings do
        known_hosts.write_text(f"@revoked [localhost]:{port} {(tmp_path / 'host_key.pub').read_text().strip()}\n")
        done = subprocess.run([ssh, *command[1:-2], "true"], capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode != 0 and "revoked" in done.stderr, done.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


@pytest.mark.parametrize("option", ["--at", "--from", "--target"])
@pytest.mark.parametrize("rest", [(), ("--from",), ("",)])
def test_an_option_of_the_restore_without_its_value_is_a_usage_error(
    tmp_path: Path, option: str, rest: tuple[str, ...]
) -> None:
    """``pic-offsite-restore files SLUG --at`` (last, empty, or followed by another option) exited 1 with bash's
    own 'line 127: 2: --at needs a date', or took the next option for its value: exit 2, naming the option,
    before the repository is read."""
    conf = tmp_path / "offsite.conf"
    conf.write_text(ro.offsite_conf(_config("sftp:backup@vault.example.net:/srv/restic/pic")))
    script = tmp_path / "pic-offsite-restore"
    script.write_text(ro.restore_script())
    argv = ["bash", str(script), "files", "velo-cite", option, *rest]
    done = subprocess.run(
        argv, capture_output=True, text=True, check=False, env={"PIC_OFFSITE_CONF": str(conf), "PATH": "/usr/bin:/bin"}
    )
    assert done.returncode == 2, (argv, done.stderr)
    assert done.stderr.startswith(f"pic-offsite-restore: {option} needs a"), done.stderr
    assert "line " not in done.stderr and "snapshot" not in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["files", "velo-cite", "www", "--target", "/var/tmp/aside"], "--target is for host only"),
        (["db", "velo-cite", "velo_cite_main", "--target", "/var/tmp/aside"], "--target is for host only"),
        (["snapshots", "--at", "2026-11-20"], "--at is for files, db and host only"),
        (["snapshots", "web2"], "snapshots takes no argument (web2): give --from HOST"),
        (["host", "web2", "--target", "/"], "host takes no argument (web2): give --from HOST"),
    ],
)
def test_an_option_or_argument_the_mode_does_not_read_is_a_usage_error(
    tmp_path: Path, argv: list[str], said: str
) -> None:
    """``files SLUG www --target /var/tmp/aside`` wrote the files back into the member's space, over its own, when
    the admin asked for them aside; ``host web2 --target /`` restored this host's snapshot, web2 dropped. What a
    mode does not read is refused (exit 2) before anything is read or written."""
    conf = tmp_path / "offsite.conf"
    conf.write_text(ro.offsite_conf(_config("sftp:backup@vault.example.net:/srv/restic/pic")))
    script = tmp_path / "pic-offsite-restore"
    script.write_text(ro.restore_script())
    done = subprocess.run(
        ["bash", str(script), *argv],
        capture_output=True,
        text=True,
        check=False,
        env={"PIC_OFFSITE_CONF": str(conf), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2, (argv, done.stderr)
    assert done.stderr.startswith(f"pic-offsite-restore: {said}"), done.stderr


@pytest.mark.parametrize(
    "repository",
    [
        "s3:https://s3.example.net/bucket/../x",
        "s3:https://s3.example.net/bucket/./x",
        "s3:https://s3.example.net/bucket/x/..",
    ],
)
def test_an_s3_path_with_a_dot_segment_is_refused(repository: str) -> None:
    """s3:https://s3.example.net/bucket/../x was taken: an S3 store has no folders, restic keeps its objects under the
    prefix '../x' as written, never the bucket's root nor x: refused, the path to write without it."""
    with pytest.raises(ValueError) as info:
        check_offsite_repository(repository)
    assert "holds '.' or '..' as a part of its path after the bucket" in str(info.value), info.value


@pytest.mark.parametrize(
    "repository",
    [
        "s3:https://s3.example.net/bucket/./x",
        "s3:https://s3.example.net/bucket/x/..",
        "s3:https://s3.example.net/bucket/y/../z",
    ],
)
def test_an_s3_path_with_a_dot_segment_is_told_without_another_s_prefix(repository: str) -> None:
    """s3:https://s3.example.net/bucket/./x was told restic keeps its objects under the prefix "as written (../x),
    neither the bucket's root nor x", words of bucket/../x alone, naming a prefix it does not hold: it is told the
    prefix as written, '.' and '..' included, without another's."""
    with pytest.raises(ValueError) as info:
        check_offsite_repository(repository)
    assert "../x" not in str(info.value) and "nor x" not in str(info.value), info.value
    assert "as written, '.' and '..' included" in str(info.value), info.value


@pytest.mark.parametrize(
    ("repository", "meant"),
    [
        ("sftp:restic@vault.example.net:/srv/../restic", "sftp:restic@vault.example.net:/restic"),
        ("sftp:restic@vault.example.net:/srv/./restic/", "sftp:restic@vault.example.net:/srv/restic"),
        ("sftp://restic@vault.example.net:2222//srv/restic/..", "sftp://restic@vault.example.net:2222//srv"),
    ],
)
def test_an_sftp_path_with_a_dot_segment_is_offered_as_restic_cleans_it(repository: str, meant: str) -> None:
    """sftp:restic@vault.example.net:/srv/../restic was taken as written: restic cleans the path (Go's path.Clean) and
    reaches /restic, a folder the setting does not show; refused, the path restic reaches offered, then taken."""
    with pytest.raises(ValueError) as info:
        check_offsite_repository(repository)
    said = str(info.value)
    assert "holds '.' or '..' as a part of its path, which restic cleans" in said and f"write {meant!r}" in said, said
    assert check_offsite_repository(meant) == meant


@pytest.mark.parametrize(
    ("repository", "reached"),
    [
        ("sftp://restic@vault.example.net/../x", "../x"),  # a path from the home folder, out of it: no path to offer
        ("sftp://restic@vault.example.net/x/../..", ".."),
        ("sftp:restic@vault.example.net://srv/./x", "/srv/x"),  # Go's path.Clean makes one '/' of two at the start
    ],
)
def test_a_dot_segment_is_told_as_restic_cleans_it_and_only_a_path_taken_is_offered(
    repository: str, reached: str
) -> None:
    """sftp://restic@vault.example.net/../x was offered itself, /x/../.. a path holding '..' (refused again), and
    ://srv/./x told restic reaches '//srv/x' (Python's normpath), where Go's path.Clean gives /srv/x: the path
    is told as Go cleans it, and offered only when the repository so written is taken."""
    with pytest.raises(ValueError) as info:
        check_offsite_repository(repository)
    said = str(info.value)
    assert f"reaching {reached!r}" in said, said
    if "write '" in said:
        meant = said.rpartition("write ")[2].strip("'")
        assert meant != repository and check_offsite_repository(meant) == meant, said
