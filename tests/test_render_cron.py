"""Members' cron jobs: the schedules pic check takes or refuses, and the units and scripts the web host gets.

The units are checked by ``systemd-analyze verify``, every calendar by
``systemd-analyze calendar`` (which also says when it next elapses), the
scripts by shellcheck. Running a job in a real container, as the member and
stopped at its time limit, is in tests/test_containers.py.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import itertools
import json
import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pic import cron, envsplit, shsyntax
from pic.check import check
from pic.errors import PicError
from pic.plan.diff import diff, removed_paths, stateful_changes, written_paths
from pic.plan.model import Rendering, Resource
from pic.registry import MAX_CRON_TIMEOUT, Member, MemberSpec
from pic.render import cron as membercron
from pic.render import web
from tests.conftest import MEMBERS, ROOT, require_program
from tests.helpers import member, project_copy, write_members
from tests.test_render_web import shellcheck

ON = dt.date(2026, 11, 28)
SITE = {"domains": ["asso-cron.org"], "php": "8.4"}


def _member(slug: str, jobs: list[dict[str, Any]], uid: int = 10700) -> Member:
    spec = MemberSpec.model_validate(member(uid, site=SITE, cron=jobs))
    return Member(slug, f"members/{slug}.yaml", spec, "web1")


def _errors(tmp_path: Path, jobs: Any, **fields: Any) -> list[str]:
    project = project_copy(tmp_path)
    members = write_members(tmp_path / "members", {"asso-cron": member(10700, cron=jobs, **fields)})
    with pytest.raises(PicError) as info:
        check(project, "prod", members, ON)
    return str(info.value).splitlines()


def _command_error(tmp_path: Path, command: str) -> str:
    """The one error ``pic check`` gives for a site's daily job running ``command``, which names the file, its line
    and the field ``cron[0].command``."""
    lines = _errors(tmp_path, [{"schedule": "daily", "command": command}], site=SITE)
    [line] = [x for x in lines if "cron[0].command" in x]
    assert re.match(r".*members/asso-cron\.yaml:\d+ cron\[0\]\.command: ", line), line
    return line


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("* * * * *", "runs more often than every 5 minutes"),
        ("*/2 * * * *", "runs more often than every 5 minutes"),
        ("0-59 * * * *", "runs more often than every 5 minutes"),
        ("60 * * * *", "the minute 60 is not between 0 and 59"),
        ("0 24 * * *", "the hour 24 is not between 0 and 23"),
        ("0 0 1 * 1", "restricts both the day of month and the day of week"),
        ("0 0 * * */2", "the day of week */2 is a step, which the days of week do not take here"),
        ("5 3-1 * * *", "the hour range 3-1 goes backwards"),
        ("@daily", "crontab's @daily"),
        ("0 0 * *", "has four fields, not five"),
        ("every day", "is not allowed here"),
    ],
)
def test_a_bad_schedule_is_refused_with_file_line_field_and_value(tmp_path: Path, schedule: str, message: str) -> None:
    lines = _errors(tmp_path, [{"schedule": schedule, "command": "php cron.php"}], site=SITE)
    [line] = [x for x in lines if "cron[0].schedule" in x]
    assert re.match(r".*members/asso-cron\.yaml:\d+ cron\[0\]\.schedule: ", line), line
    assert f'"{schedule}"' in line, line
    assert message in line, line


@pytest.mark.parametrize(
    ("schedule", "closest"),
    [
        ("*/7 * * * *", "at minutes 56 and 0 of the next hour, 4 minutes apart"),
        ("*/8 * * * *", "at minutes 56 and 0 of the next hour, 4 minutes apart"),
        ("0,58 * * * *", "at minutes 58 and 0 of the next hour, 2 minutes apart"),
        ("* * * * *", "at minutes 0 and 1, 1 minute apart"),
        ("0,3,30 * * * *", "at minutes 0 and 3, 3 minutes apart"),
    ],
)
def test_a_schedule_too_often_names_the_two_minutes_too_close(tmp_path: Path, schedule: str, closest: str) -> None:
    """*/7 runs every 7 minutes within an hour, but at :56 then at :00 of the next: 4 minutes apart, which the
    message said nothing of (runs more often than every 5 minutes, e.g. */5), leaving */7 refused for no reason
    seen."""
    lines = _errors(tmp_path, [{"schedule": schedule, "command": "php cron.php"}], site=SITE)
    [line] = [x for x in lines if "cron[0].schedule" in x]
    assert "runs more often than every 5 minutes" in line and closest in line, line


@pytest.mark.parametrize(
    "schedule", ["0,59 23 * * *", "0,58 1 * * *", "1,58 3 * * *", "59,0 3 * * 1", "0,58 1,3 * * *"]
)
def test_minutes_close_across_an_hour_the_job_does_not_run_in_are_taken(schedule: str) -> None:
    """0,59 23 * * * runs at 23:00 and 23:59, 59 minutes apart: the gap from :59 to :00 of the next hour is no gap
    when the job does not run in the next hour (it was refused as 1 minute apart)."""
    assert cron.check_expression(schedule) == schedule


@pytest.mark.parametrize(
    ("schedule", "closest"),
    [
        ("0,59 22,23 * * *", "at minutes 59 and 0 of the next hour, 1 minute apart"),
        ("0,59 * * * *", "at minutes 59 and 0 of the next hour, 1 minute apart"),
        ("0,58 23,0 * * *", "at minutes 58 and 0 of the next hour, 2 minutes apart"),
        ("0,58 8-9 * * 1", "at minutes 58 and 0 of the next hour, 2 minutes apart"),
    ],
)
def test_minutes_close_across_an_hour_the_job_runs_in_too_are_refused(schedule: str, closest: str) -> None:
    """Two hours in a row (23 and 0 counted so: two days in a row may be run): :58 then :00 is 2 minutes apart."""
    with pytest.raises(ValueError, match="runs more often than every 5 minutes") as info:
        cron.check_expression(schedule)
    assert closest in str(info.value), str(info.value)


def test_timeout_command_and_site_are_checked(tmp_path: Path) -> None:
    jobs = [{"schedule": "daily", "command": "", "timeout": MAX_CRON_TIMEOUT + 1}, {"schedule": "hourly"}]
    text = "\n".join(_errors(tmp_path, jobs, site=SITE))
    assert f"cron[0].timeout: {MAX_CRON_TIMEOUT + 1} is out of range (must be at most {MAX_CRON_TIMEOUT})" in text
    assert 'cron[0].command: "" is too short' in text
    assert "cron[1].command:" in text and "missing" in text
    (tmp_path / "nosite").mkdir()
    text = "\n".join(_errors(tmp_path / "nosite", [{"schedule": "daily", "command": "true"}]))
    assert "cron: cron jobs run in the member's site container: the member has no site" in text


# crontab(5)'s spellings the schedules do not take, each told by the field at fault and the schedule to write.
@pytest.mark.parametrize(
    ("schedule", "named", "write"),
    [
        ("0 0 * * mon", "day of week mon is a name", "0 0 * * 1"),
        ("0 0 * * Mon-Fri", "day of week Mon-Fri", "0 0 * * 1-5"),
        ("0 0 * * sun,sat", "day of week sun,sat", "0 0 * * 0,6"),
        ("0 0 * jan *", "month jan is a name", "0 0 * 1 *"),
        ("0 0 1 JAN,jul *", "month JAN,jul", "0 0 1 1,7 *"),
        ("0-59/5 * * * *", "minute 0-59/5 is a range with a step", "*/5 * * * *"),
        ("0 0 1-31/2 * *", "day of month 1-31/2 is a range with a step", "0 0 */2 * *"),
        ("0 2 * * 1-5/2", "day of week 1-5/2 is a range with a step", "0 2 * * 1,3,5"),
        ("10-50/20 * * * *", "minute 10-50/20", "10,30,50 * * * *"),
        ("0  0 * * *", "more than one blank", "0 0 * * *"),
        ("0\t0 * * *", "more than one blank", "0 0 * * *"),
        ("@hourly", "crontab's @hourly", "hourly"),
        ("@weekly", "crontab's @weekly", "weekly"),
        ("@monthly", "crontab's @monthly", "0 0 1 * *"),
        ("@midnight", "0 0 * * *", "daily"),
        ("5/10 * * * *", "minute 5/10 is a range with a step", "5,15,25,35,45,55 * * * *"),
        # a step the schedules take nowhere or not there: on the days of week, or */N among other parts
        ("0 0 * * */2", "day of week */2 is a step", "0 0 * * 0,2,4,6"),
        ("30 4 * * */3", "day of week */3 is a step", "30 4 * * 0,3,6"),
        ("*/20,5 * * * *", "minute */20,5 is a step", "0,20,40,5 * * * *"),
        ("0 0 */10,5 * *", "day of month */10,5 is a step", "0 0 1,11,21,31,5 * *"),
    ],
)
def test_a_crontab_spelling_is_told_by_its_field_and_the_schedule_to_write(
    tmp_path: Path, schedule: str, named: str, write: str
) -> None:
    lines = _errors(tmp_path, [{"schedule": schedule, "command": "php cron.php"}], site=SITE)
    [line] = [x for x in lines if "cron[0].schedule" in x]
    told = line.split("cron[0].schedule: ", 1)[1]
    assert "is not allowed here" not in told, line
    assert named in told, line
    assert f'write "{write}"' in told, line
    cron.check_expression(write)  # what is offered is taken


@pytest.mark.parametrize(
    ("schedule", "named"),
    [
        ("0 0 * * * *", "has six fields"),
        ("0 0 * *", "has four fields"),
        ("@reboot", "@reboot"),
        ("0 0 ? * MON", "day of month ?"),
        ("0 0 L * *", "day of month L is not *, */N or numbers and ranges (e.g. 1-5, 0,30): another tool's form"),
        ("0 0 LW * *", "day of month LW is not *, */N or numbers and ranges (e.g. 1-5, 0,30): another tool's form"),
        ("0 0 * * 1#2", "day of week 1#2"),
        ("0-99/5 * * * *", "not in order between 0 and 59"),
        ("5-1/2 * * * *", "not in order between 0 and 59"),
        ("0 0 * * * 2027", "has six fields"),
        # mended, refused for another reason: told so, nothing offered
        ("0 0 1 * */2", "day of week */2 is a step"),
    ],
)
def test_a_schedule_of_another_tool_is_told_by_its_part_at_fault(tmp_path: Path, schedule: str, named: str) -> None:
    lines = _errors(tmp_path, [{"schedule": schedule, "command": "php cron.php"}], site=SITE)
    [line] = [x for x in lines if "cron[0].schedule" in x]
    told = line.split("cron[0].schedule: ", 1)[1]
    assert "is not allowed here" not in told, line
    assert named in told, line


@pytest.mark.parametrize(
    ("schedule", "at"),
    [
        ("0 3 * * *\n30 4 * * *", 10),
        ("*/15 * * * *\r\n0 0 * * 1", 13),
        ("0 3 * *\n*\n*", 8),
        # the other line breaks str.splitlines reads as one (Unicode's, a vertical tab, a form feed)
        ("0 3 * * *\u2028 30 4 * * *", 10),
        ("0 3 * * *\u2029 30 4 * * *", 10),
        ("0 3 * * *\x0b30 4 * * *", 10),
        ("0 3 * * *\x0c30 4 * * *", 10),
    ],
)
def test_a_schedule_holding_a_line_break_is_told_so(tmp_path: Path, schedule: str, at: int) -> None:
    """Two schedules on two lines were told to have ten fields; a line break is said, and where (one at the end
    alone, "0 3 * * *\\n" of a | block, is offered the schedule without it)."""
    lines = _errors(tmp_path, [{"schedule": schedule, "command": "php cron.php"}], site=SITE)
    [line] = [x for x in lines if "cron[0].schedule" in x]
    assert f"holds a line break at character {at}: a schedule is one line" in line, line
    assert "fields" not in line.split("cron[0].schedule: ", 1)[1].split(": ", 1)[1], line


def test_a_name_mended_into_a_refused_schedule_is_not_offered(tmp_path: Path) -> None:
    """Mended, "0 0 1 * mon" still restricts both days: its faults are told, no schedule offered."""
    lines = _errors(tmp_path, [{"schedule": "0 0 1 * mon", "command": "php cron.php"}], site=SITE)
    [line] = [x for x in lines if "cron[0].schedule" in x]
    assert "day of week mon is a name" in line, line
    assert 'write "' not in line, line
    assert "restricts both the day of month and the day of week" in line, line


@pytest.mark.parametrize("command", ["-x", "--help", "+e php cron.php", "-"])
def test_a_command_sh_would_take_for_options_is_refused(tmp_path: Path, command: str) -> None:
    line = _command_error(tmp_path, command)
    assert f'"{command}" starts with {command[0]!r}, which sh reads as its own options' in line, line


@pytest.mark.parametrize("command", ["php wp-cron.php \\", "echo a\\\\\\", "\\", "php x.php 'a' \\"])
def test_a_command_ending_in_a_backslash_that_escapes_nothing_is_refused(tmp_path: Path, command: str) -> None:
    """``php wp-cron.php \\``: sh -c hands php one more argument, ``\\``, while the command file, read as a
    script, would join the line to the next: the real sh reads the two differently, so the command means nothing."""
    words = f"printf '[%s]' {command}"
    as_argument = subprocess.run(["sh", "-c", words], capture_output=True, text=True, check=True)
    script = tmp_path / "command.sh"
    script.write_text(f"{words}\n\n")
    as_script = subprocess.run(["sh", str(script)], capture_output=True, text=True, check=False)
    assert as_argument.stdout != as_script.stdout, (as_argument, as_script)
    line = _command_error(tmp_path, command)
    assert f"ends with a backslash (character {len(command)}) that escapes nothing" in line, line


@pytest.mark.parametrize("command", ["echo a\\\\", "echo 'a\\'", 'echo "a\\\\"', "printf '%s' \\\\"])
def test_a_command_ending_in_a_backslash_meant_as_text_is_accepted(command: str) -> None:
    assert cron.check_command(command) == command


# Spaces sh does not split words on, written where a plain space was meant (a word processor's no-break
# space before "?" or ":", a thin space, an ideographic space from an input method).
OTHER_SPACES = ["\u00a0", "\u202f", "\u2009", "\u3000"]


def _words(command: str) -> int:
    """How many words the real sh reads in ``command`` (its arguments, program included)."""
    done = subprocess.run(
        [require_program("sh"), "-c", f"set -- {command}; echo $#"], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


@pytest.mark.parametrize("space", OTHER_SPACES)
@pytest.mark.parametrize("template", ["php{s}cron.php", "php cron.php{s}--quiet", "wp cron event run{s}--due-now"])
def test_a_space_sh_does_not_split_on_outside_quotes_is_refused(tmp_path: Path, space: str, template: str) -> None:
    """The real sh reads the two words around such a space as one: the job would run another program or
    take two options for one. pic check names the character, at the command's line."""
    command = template.format(s=space)
    assert _words(command) == len(command.split(" ")) == len(template.split(" "))
    line = _command_error(tmp_path, command)
    assert f"holds U+{ord(space):04X} " in line and "outside quotes" in line, line


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("echo 'Réunion\u00a0: mardi'", 2),
        ('php notify.php --subject "Assemblée générale\u00a0?"', 4),
        ('php notify.php --subject "dit \\"oui\\"\u00a0!"', 4),
        ("php notify.php --subject Rendez-vous\\\u00a0!", 4),
    ],
)
def test_a_space_sh_does_not_split_on_inside_quotes_is_taken(tmp_path: Path, command: str, words: int) -> None:
    """Quoted (or escaped), the character is data the command passes on: taken as written."""
    assert _words(command) == words
    assert cron.check_command(command) == command
    project = project_copy(tmp_path)
    jobs = [{"schedule": "daily", "command": command}]
    members = write_members(tmp_path / "members", {"asso-cron": member(10700, cron=jobs, site=SITE)})
    check(project, "prod", members, ON)


SECRET = "Zt8kq2LmW9"


@pytest.mark.parametrize(
    "command",
    [
        f"curl -fsS -u cron:{SECRET} https://asso-cron.org/wp-cron.php",
        f"mysqldump -u asso_cron_main -p{SECRET} asso_cron_main > ../db/x.sql",
        f"DB_PASSWORD={SECRET} php bin/sync.php",
        f"php bin/console app:import --api-key {SECRET}",
        f"php bin/console app:user alice --new-password {SECRET} --no-password-mail",
        f"php bin/sync.php token=.{SECRET}",
        f"php ../htdocs/scripts/cron/cron_run_jobs.php {SECRET} cron",  # Dolibarr's security key
        # quoted by the shell, attached to the option, in a URL's query, in a header naming a key
        f"mysqldump -u asso_cron_main -p'{SECRET}' asso_cron_main > ../db/x.sql",
        f'mariadb -u asso_cron_main -p"{SECRET}" asso_cron_main',
        f"curl -fsS -ucron:{SECRET} https://asso-cron.org/wp-cron.php",
        f"curl -fsS 'https://asso-cron.org/cron.php?token={SECRET}'",
        f"wget -qO- https://asso-cron.org/cron.php?cron_key={SECRET}",
        f"curl -fsS 'https://asso-cron.org/cron.php?task=run&key={SECRET}'",
        f"curl -fsS 'https://api.openweathermap.org/data/2.5/weather?q=Lyon&appid={SECRET}' -o ../www/meteo.json",
        f"curl -fsS 'https://api.asso-cron.org/v1/events?lang=fr&access_token={SECRET}'",
        f"curl 'https://asso-cron.org/public/cron/cron_run_jobs_by_url.php?securitykey={SECRET}&userlogin=cron'",
        f"curl -s 'https://stats.asso-cron.org/index.php?module=API&method=X&token_auth={SECRET}'",
        f"curl -H 'X-Api-Key: {SECRET}' https://api.asso-cron.org/sync",
        f'curl --header "PRIVATE-TOKEN: {SECRET}" https://api.asso-cron.org/sync',
        f"curl -H 'X-Auth-Key: {SECRET}' -H 'X-Auth-Email: a@asso-cron.org' https://api.asso-cron.org/zones",
        f"curl -H 'DOLAPIKEY: {SECRET}' https://asso-cron.org/api/index.php/status",
        f"curl -H 'X-Vault-Token: {SECRET}' https://vault.asso-cron.org/v1/kv/x",
        f"php bin/console app:user alice@example.org --reset-password --new-password {SECRET}",
        f"curl -fsS 'https://cron:{SECRET}@asso-cron.org:8443?notify=bureau@asso-cron.org'",
        # an encrypted copy's or an upload's password
        f"tar czf - . | openssl enc -aes-256-cbc -pbkdf2 -pass pass:{SECRET} -out ../db/www.tgz.enc",
        f"zip -qr -P {SECRET} ../db/www.zip .",
        f"7z a -p{SECRET} ../db/www.7z .",
        f"lftp -u asso,{SECRET} ftp.asso-cron.org -e 'mirror -R ../db /backup; quit'",
        # a password written to a program that reads it on its standard input
        f"echo {SECRET} | mysql -u asso_cron_main -p asso_cron_main -e 'OPTIMIZE TABLE t'",
        f"printf '%s' {SECRET} | mariadb -u asso_cron_main -p asso_cron_main",
        f"printf '%s\\n' '{SECRET}' | docker login -u asso --password-stdin registry.asso-cron.org",
        f"echo -n {SECRET} | sshpass rsync -a ../db/ backup@nas.asso-cron.org:asso/",
        f"echo {SECRET} | gpg --batch --passphrase-fd 0 -c ../db/x.sql",
        f"echo {SECRET} | mysql -u asso_cron_main -p",  # the last word of the command
        f"mysql -u asso_cron_main -p asso_cron_main <<< {SECRET}",  # a here-string
        f"sshpass ssh backup@nas.asso-cron.org true <<< '{SECRET}'",
        # HTTPie's and xh's --auth, -a USER:PASS, and a bearer token
        f"http --auth cron:{SECRET} https://asso-cron.org/cron",
        f"http -a cron:{SECRET} POST https://asso-cron.org/cron",
        f"xh --auth=cron:{SECRET} https://asso-cron.org/cron",
        f"http -A bearer -a {SECRET} https://api.asso-cron.org/sync",
        f"http -a {SECRET} -A bearer https://api.asso-cron.org/sync",
        # Samba's clients: -U USER%PASSWORD; smbtar -p
        f"smbclient //nas/backup -U asso%{SECRET} -c 'put ../db/x.sql x.sql'",
        f"smbget -U 'asso%{SECRET}' smb://nas/backup/x.sql",
        f"smbclient //nas/backup --user=WORKGROUP\\asso%{SECRET} -c ls",
        f"smbtar -s nas -x backup -u asso -p {SECRET} -t ../db/www.tar",
        # zip's -P last of a cluster of short options, unzip's -P
        f"zip -qrP {SECRET} ../db/www.zip .",
        f"zip -r9P{SECRET} ../db/www.zip .",
        f"unzip -qoP {SECRET} ../db/www.zip -d ../restore",
        # Drupal's cron URL, with its key
        f"curl -fsS https://asso-cron.org/cron/{SECRET * 5}",
        f"wget -qO- 'https://asso-cron.org/cron/{SECRET * 5}?t=1'",
        # names of a secret that hold no word such as password, key alone or token
        f"APP_KEY=base64:{SECRET * 4}= php artisan schedule:run",
        f"RAILS_MASTER_KEY={SECRET * 3} bin/rails runner 'Job.run'",
        f"SECRET_KEY_BASE={SECRET * 3} bin/rails runner 'Job.run'",
        f"SSHPASS={SECRET} sshpass -e ssh backup@nas.asso-cron.org true",
        f"REDISCLI_AUTH={SECRET} redis-cli -h redis ping",
        # redis-cli -a, --pass, a URL with no user; sshpass's options before the command, clustered too
        f"redis-cli -h redis --no-auth-warning -a {SECRET} FLUSHDB",
        f"redis-cli -h redis --pass {SECRET} ping",
        f"redis-cli -u redis://:{SECRET}@redis:6379 ping",
        f"sshpass -v -p {SECRET} ssh backup@nas.asso-cron.org true",
        f"sshpass -vp{SECRET} ssh backup@nas.asso-cron.org true",
        f"sshpass -P assword: -p {SECRET} ssh backup@nas.asso-cron.org true",
        # the password options and variables of mysqladmin, pg_dump, wget, rsync
        f"mysqladmin -u asso_cron_main -p{SECRET} status",
        f"PGPASSWORD={SECRET} pg_dump -h db asso_cron_main > ../db/pg.sql",
        f"cd ../db && PGPASSWORD={SECRET} pg_dump -h db asso_cron_main > pg.sql",
        f"wget -q --http-user=cron --http-password={SECRET} https://asso-cron.org/cron",
        f"wget -q --user=cron --password={SECRET} https://asso-cron.org/cron",
        f"wget -q --ftp-user=asso --ftp-password {SECRET} ftp://ftp.asso-cron.org/x",
        f"RSYNC_PASSWORD={SECRET} rsync -a ../db/ rsync://backup@nas.asso-cron.org/asso",
        # curl's bearer token and proxy's password; HTTPie's header items; OpenLDAP's, MongoDB's, ncftp's passwords
        f"curl -fsS --oauth2-bearer {SECRET} https://api.asso-cron.org/sync",
        f"curl -fsS --proxy-user asso:{SECRET} -x proxy:3128 https://asso-cron.org/cron",
        f"curl -fsS -U asso:{SECRET} -x proxy:3128 https://asso-cron.org/cron",
        f"http https://api.asso-cron.org/sync X-Api-Key:{SECRET}",
        f"http https://api.asso-cron.org/sync Authorization:'Bearer {SECRET}'",
        f"http https://api.asso-cron.org/sync token=={SECRET}",
        f"ldapsearch -x -H ldap://ldap -D cn=cron,dc=asso -w {SECRET} -b dc=asso '(uid=*)'",
        f"ldapsearch -x -D cn=cron,dc=asso -w{SECRET} -b dc=asso",
        f"ldappasswd -x -D cn=cron,dc=asso -y ../priv/ldap-pass -s {SECRET} uid=alice,dc=asso",
        f"mongodump -u asso -p {SECRET} --db asso -o ../db/mongo",
        f"ncftpput -u asso -p {SECRET} ftp.asso-cron.org /backup ../db/x.sql",
        # a value in single quotes: the job's script carries the command quoted ('"'"'...'"'"')
        f"export MYSQL_PWD='{SECRET}'; mysqldump -u asso_cron_main asso_cron_main > ../db/x.sql",
        f"PGPASSWORD='{SECRET}' psql -h db -U asso -c 'VACUUM ANALYZE'",
        f"BORG_PASSPHRASE='{SECRET}' borg create ::'{{now}}' ../db",
        f"gpg --batch --pinentry-mode loopback --passphrase '{SECRET}' -c ../db/x.sql",
        f"sshpass -p '{SECRET}' rsync -a ../db/ backup@nas.asso-cron.org:asso/",
        f"php cli/create-user.php --user bob --password '{SECRET}' --language fr",
        f"curl -fsS -d 'login=cron' -d 'password={SECRET}' https://asso-cron.org/login",
        f"wp user create bob bob@asso-cron.org --role=author --user_pass='{SECRET}'",
        # a password as an argument: htpasswd -b, drush user:password, FOSUserBundle's commands
        f"htpasswd -b ../priv/.htpasswd alice {SECRET}",
        f"htpasswd -B -b -C 10 ../priv/.htpasswd alice '{SECRET}'",
        f"htpasswd -nbB alice {SECRET} >> ../priv/.htpasswd",
        f"htpasswd -cb ../priv/.htpasswd alice {SECRET} && chmod 640 ../priv/.htpasswd",
        f"drush upwd alice '{SECRET}'",
        f"vendor/bin/drush --uri=https://asso-cron.org -y user:password alice {SECRET}",
        f"php bin/console fos:user:change-password alice {SECRET}",
        f"php bin/console fos:user:create --super-admin bob bob@asso-cron.org {SECRET}",
        f"php bin/console security:hash-password {SECRET}",
        # wp-cli's --dbpass, --user_pass; openssl enc's -k and -K; Grav's bin/plugin login -p
        f"wp config create --dbname=asso --dbuser=asso --dbpass={SECRET} --skip-check",
        f"php bin/sync.php --db_pass {SECRET}",
        f"openssl enc -aes-256-cbc -pbkdf2 -k {SECRET} -in ../db/x.sql -out ../db/x.enc",
        f"openssl enc -aes-256-cbc -K {SECRET * 6} -iv 0011223344556677 -in ../db/x.sql -out ../db/x.enc",
        f"bin/plugin login change-password -u alice -p {SECRET}",
        # a setting named like a password given its value
        f"wp config set DB_PASSWORD {SECRET}",
        f"wp option update mailserver_pass '{SECRET}'",
        f"php occ config:system:set mail_smtppassword --value={SECRET}",
        f"php occ config:app:set user_ldap s01ldap_agent_password --value {SECRET}",
        f"php occ config:system:set mail_smtppassword --type=string --value={SECRET}",
        f"drush -y config:set smtp.settings smtp_password {SECRET}",
        f"aws configure set aws_secret_access_key {SECRET} --profile backup && aws s3 sync ../db s3://asso-backup/",
        # Joomla's web cron key, a PrestaShop module's secure_key
        f"curl -fsS 'https://asso-cron.org/component/ajax/?plugin=RunSchedulerWebcron&group=system&hash={SECRET}'",
        f"wget -qO- 'https://asso-cron.org/index.php?option=com_ajax&hash={SECRET}&plugin=RunSchedulerWebcron'",
        f"curl -fsS 'https://boutique.asso-cron.org/modules/x/cron.php?secure_key={SECRET}'",
        # a session cookie, as a browser's "copy as cURL" writes it
        f"curl -fsS -b 'lang=fr; PHPSESSID={SECRET * 2}' https://asso-cron.org/admin/cron",
        f"curl -fsS --cookie 'laravel_session={SECRET * 2}' https://asso-cron.org/admin/cron",
        f"wget -q --header='Cookie: SESS0123456789abcdef={SECRET * 2}' -O - https://asso-cron.org/admin/cron",
        f"curl -fsS -b 'XSRF-TOKEN={SECRET * 2}; laravel_session={SECRET * 2}' https://asso-cron.org/admin/cron",
        f"curl -fsS -H 'Cookie: csrftoken={SECRET * 2}; sessionid={SECRET * 2}' https://asso-cron.org/admin/cron",
        # after a quoted argument holding a shell separator (lftp's -e script, smbclient's -c commands)
        f"lftp -e 'mirror -R ../db /backup; quit' -u asso,{SECRET} ftp.asso-cron.org",
        f"smbclient //nas/backup -c 'cd asso; put ../db/x.sql x.sql' -U asso%{SECRET}",
        f"mysql -u asso_cron_main -e 'OPTIMIZE TABLE a; OPTIMIZE TABLE b' -p{SECRET} asso_cron_main",
        f'echo {SECRET} | mariadb -u asso_cron_main -e "OPTIMIZE TABLE a; OPTIMIZE TABLE b" -p asso_cron_main',
        f"mariadb -u asso_cron_main -e 'OPTIMIZE TABLE a; OPTIMIZE TABLE b' -p asso_cron_main <<< {SECRET}",
        f"curl -fsS -d 'a=1; b=2' -u cron:{SECRET} https://asso-cron.org/cron",
        f"ssh-keygen -q -t ed25519 -C 'backup; asso-cron' -N {SECRET} -f ../priv/id_backup",
        # a password written to a program that reads it on its standard input
        f"yes {SECRET} | smbpasswd -a -s asso",
        f"printf '{SECRET}\\n{SECRET}\\n' | passwd",
        f"printf '%s\\n%s\\n' {SECRET} {SECRET} | php occ user:resetpassword alice",
        f"php occ user:add --password-from-env --display-name=Alice alice <<< {SECRET}",
        f"echo {SECRET} | wp config create --dbname=asso --dbuser=asso --prompt=dbpass",
        f"echo {SECRET} | openssl passwd -6 -stdin >> ../priv/hashes",
        f"chpasswd <<< 'alice:{SECRET}'",
        f"(echo {SECRET}; echo {SECRET}) | smbpasswd -s -a asso",
        f"smbpasswd -s -a asso <<< $'{SECRET}\\n{SECRET}'",
        # a password as an argument or an option of more programs, in SQL, in a .netrc
        f"mysqladmin -u root -p password {SECRET}",
        f"openssl passwd -6 -salt 0123abcd {SECRET} >> ../priv/hashes",
        f"mosquitto_passwd -b ../priv/mosquitto.pw alice {SECRET}",
        f"rabbitmqctl add_user alice {SECRET}",
        f"ejabberdctl register alice asso-cron.org {SECRET}",
        f"doveadm pw -s SHA512-CRYPT -p {SECRET} >> ../priv/hashes",
        f"sqlcmd -S db -U asso -P {SECRET} -Q 'DBCC SHRINKDATABASE(asso)'",
        f"psql -h db -U asso -c \"ALTER ROLE asso WITH PASSWORD '{SECRET}'\"",
        f'mysql -u asso_cron_main -p"$(cat ../priv/db-pass)" -e "SET PASSWORD = \'{SECRET}\'"',
        f"printf 'machine ftp.asso-cron.org login asso password {SECRET}\\n' > ../priv/netrc",
        # CiviCRM's scheduled jobs, MediaWiki's createAndPromote
        f"php ../civicrm/bin/cli.php -s default -u admin -p {SECRET} -e Job -a execute",
        f"php maintenance/run.php createAndPromote alice {SECRET} --sysop",
        # a chat's incoming webhook URL, its own secret
        f"php bin/backup.php || curl -fsS -d '{{}}' https://hooks.slack.com/services/T0A1B2C3D/B4E5F6G7H/{SECRET * 2}",
        f"curl -fsS -d '{{}}' https://discord.com/api/webhooks/123456789012345678/{SECRET * 5}",
        "curl -fsS -d 'payload={}' https://chat.asso-cron.org/hooks/zt8kq2lmw9zt8kq2lmw9abcdef",
        # Matomo's token for its archiving (an option, a variable); a cron monitor's ping URL (Healthchecks' UUID or
        # ping key, at home too, Uptime Kuma's push token, Checkly's), whose path is the check's secret
        f"php console core:archive --url=https://stats.asso-cron.org --token-auth={SECRET}",
        f"MATOMO_TOKEN_AUTH={SECRET} php console core:archive --url=https://stats.asso-cron.org",
        "php backup.php; curl -fsS -m 10 --retry 5 -o /dev/null https://hc-ping.com/eb095278-f28d-448d-87fb-7b75c171a6aa/$?",
        "curl -fsS -m 10 --retry 5 -o /dev/null https://hc-ping.com/fqOOd6-F4MMNuCEnzTU01w/backup-db",
        "php wp-cron.php && curl -fsS https://hc.asso-cron.org/ping/eb095278-f28d-448d-87fb-7b75c171a6aa",
        f"curl -fsS 'https://status.asso-cron.org/api/push/{SECRET}?status=up&msg=OK&ping='",
        "wget -T 5 -t 3 -q -O /dev/null https://ping.checklyhq.com/87c05896-3b7d-49ae-83ff-5e81323a54c4",
        # RAR's -p, ssh-keygen's passphrases
        f"rar a -p{SECRET} ../db/www.rar .",
        f"unrar x -p'{SECRET}' ../db/www.rar ../restore/",
        f"ssh-keygen -q -t ed25519 -N '{SECRET}' -f ../priv/id_backup",
        f"ssh-keygen -p -P {SECRET} -N '' -f ../priv/id_backup",
        # a reader run through sudo with options taking values
        f"echo {SECRET} | sudo -u root -H passwd alice",
        f"echo {SECRET} | sudo -u www-data php occ user:add alice",
        # through the programs that run another
        f"echo {SECRET} | env LANG=C passwd alice",
        f"echo {SECRET} | timeout 5 kinit alice",
        f"echo {SECRET} | nice -n 10 passwd alice",
        f"echo {SECRET} | sudo env LC_ALL=C passwd alice",
        f"echo {SECRET} | /usr/bin/kinit alice",
        f"echo {SECRET} | sudo --user=alice kinit alice",
        f"echo {SECRET} | sudo -u alice timeout 5 kinit alice",
        f"echo {SECRET} | nohup kinit alice",
        # through the programs that run the command given as their arguments or as one string, in a group or a
        # subshell, its name quoted or by a relative path, after |& or other programs of the pipe, after
        # variables assigned
        f"echo {SECRET} | sh -c 'kinit alice'",
        f"echo {SECRET} | su alice -c passwd",
        f"echo {SECRET} | docker exec -i asso-db passwd",
        f"echo {SECRET} | chroot ../root passwd alice",
        f"echo {SECRET} | ssh backup@nas.asso-cron.org passwd",
        f"echo {SECRET} | xargs -a ../priv/users passwd",
        f"echo {SECRET} | {{ kinit alice; }}",
        f"echo {SECRET} | (cd .. && kinit alice)",
        f"echo {SECRET} | 'passwd'",
        f"echo {SECRET} | bin/passwd alice",
        f"echo {SECRET} |& ./kinit alice",
        f"echo {SECRET} | tee -a ../log/x.log | passwd",
        f"echo {SECRET} | env 'A=b;c' mysql -u asso_cron_main -p asso_cron_main",
        f"cd .. && LANG=C kinit alice <<< {SECRET}",
        f"cd .. && sh -c 'kinit alice' <<< {SECRET}",
        # an FTP client's login command, expect answering a password's prompt
        f"printf 'open ftp.asso-cron.org\\nuser asso {SECRET}\\nput ../db/x.sql x.sql\\nbye\\n' | ftp -n",
        f"lftp -e 'user asso {SECRET}; mirror -R ../db /backup; quit' ftp.asso-cron.org",
        f'expect -c \'spawn sftp asso@nas.asso-cron.org; expect "assword:"; send "{SECRET}\\r"; expect eof\'',
        # rclone's, unixODBC isql's, InfluxDB's passwords
        f"rclone config create nas sftp host nas.asso-cron.org user asso pass {SECRET} && rclone sync ../db nas:asso",
        f"rclone sync ../db nas:asso --sftp-pass $(rclone obscure {SECRET})",
        f"isql asso-dsn asso {SECRET} -b < ../db/optimize.sql",
        f"influx -username asso -password {SECRET} -execute 'SHOW DATABASES'",
        # a registry's login, a reader behind redirections of its output
        f"docker login -u asso -p {SECRET} registry.asso-cron.org && docker pull registry.asso-cron.org/x",
        f"cd .. && kinit alice 2>&1 <<< {SECRET}",
        # an assignment given as an option's value, after '='
        f"docker run --rm --env=DB_PASSWORD={SECRET} registry.asso-cron.org/backup",
        f"podman run --rm -e=SMTP_PASS={SECRET} registry.asso-cron.org/mailer",
        # a reader run through a cluster of options, after '--', through more programs that run another
        f"echo {SECRET} | docker exec -iu 1000 asso-krb kinit asso",
        f"echo {SECRET} | env -- kinit asso",
        f"echo {SECRET} | docker run --rm -i registry.asso-cron.org/krb kinit asso",
        f"echo {SECRET} | taskset -c 0 kinit asso",
        f"echo {SECRET} | systemd-run --user --pipe kinit asso",
        f"echo {SECRET} | sg staff -c 'kinit asso'",
        # ftp's user NAME, the password on the next line
        f"printf 'open ftp.asso-cron.org\\nuser asso\\n{SECRET}\\nput ../db/x.sql\\nbye\\n' | ftp -n",
        f"(echo user asso; echo {SECRET}; echo put ../db/x.sql) | ftp -n ftp.asso-cron.org",
        # a word xargs gives its command
        f"echo {SECRET} | xargs -I{{}} sh -c 'echo {{}} | kinit asso'",
        f"echo {SECRET} | xargs htpasswd -nbB asso >> ../priv/.htpasswd",
        # a reader at the command's start, given a here-string (the install script writes the command as printf's
        # quoted word)
        f"kinit asso <<< {SECRET}",
        f"taskset -c 0 kinit asso <<< {SECRET}",
        f"sh -c 'kinit asso; klist' <<< {SECRET}",
        f'bash -c "kinit asso && klist -s" <<< {SECRET}',
        f"xargs -I{{}} sh -c 'echo {{}} | kinit asso' <<< {SECRET}",
        # a variable named for a key given a value shaped like one
        f"STRIPE_KEY={SECRET} php bin/payouts.php",
        # a token in a URL's fragment
        f"curl -fsS 'https://asso-cron.org/sync#access_token={SECRET}'",
        # user:password@host without a scheme
        f"mysqlsh asso:{SECRET}@db.asso-cron.org:3306 --sql -f ../db/purge.sql",
        # smbclient's password after the service
        f"smbclient //nas.asso-cron.org/backup {SECRET} -U asso -c 'put ../db/x.sql x.sql'",
        # a variable assigned the password, then given it (p=PW; mysql -p$p), first in the command or after others
        f"p={SECRET}; mysqldump -u asso_cron_main -p$p asso_cron_main > ../db/x.sql",
        f"cd .. && p='{SECRET}' && PGPASSWORD=\"$p\" pg_dump -h db asso > db/x.sql",
        # a password given to pulumi config set on its standard input, after '--', by set-all
        f"echo {SECRET} | pulumi config set --secret pic:dbAdminPassword",
        f"pulumi config set pic:dbAdminPassword <<< {SECRET}",
        f"pulumi config set pic:dbAdminPassword -- -{SECRET}",
        f"pulumi config set-all --plaintext pic:dbAdminPassword={SECRET}",
    ],
)
def test_a_command_holding_a_secret_is_refused_as_the_policy_pack_would(tmp_path: Path, command: str) -> None:
    """The job's script carries its command: the policy pack (no-plaintext-secret) would refuse it and stop every
    preview; pic check refuses it first, at its line, without showing it."""
    from policy import pack
    from tests.policy_support import resource_args, validate

    # what the pack reads: the member's install script, with the command as it carries it
    script = membercron.render_install_script(_member("asso-cron", [{"schedule": "daily", "command": "true"}]))
    assert "printf '%s\\n' true |" in script
    script = script.replace("printf '%s\\n' true |", f"printf '%s\\n' {shlex.quote(command)} |")
    props = {"create": "sh", "stdin": script}
    assert validate(pack.no_plaintext_secret, resource_args("command:remote:Command", props)) != []
    line = _command_error(tmp_path, command)
    assert re.match(r".*members/asso-cron\.yaml:\d+ cron\[0\]\.command: the command \(not shown\) holds ", line), line
    assert "in plain text" in line and "priv/" in line and SECRET not in line, line


@pytest.mark.parametrize(
    ("command", "hint"),
    [
        # Matomo's archiver, an option given its token after '=' or as the next word, a variable of the command
        (
            f"php console core:archive --url=https://stats.asso-cron.org --token-auth={SECRET}",
            '--token-auth="$(cat ../priv/token-auth)"',
        ),
        (f"php console core:archive --token_auth {SECRET}", '--token_auth "$(cat ../priv/token-auth)"'),
        (f"php bin/console app:import --api-key '{SECRET}' -v", '--api-key "$(cat ../priv/api-key)"'),
        (f"DB_PASSWORD={SECRET} php bin/sync.php", 'DB_PASSWORD="$(cat ../priv/db-password)"'),
        (f"export MATOMO_TOKEN_AUTH={SECRET}; php console core:archive", 'MATOMO_TOKEN_AUTH="$(cat ../priv/'),
        (f"LICENSE_KEY={SECRET} php bin/check-licence.php", 'LICENSE_KEY="$(cat ../priv/license-key)"'),
        # a URL whose query or path is the secret: the whole URL in the file
        (f"curl -fsS 'https://asso-cron.org/cron.php?token={SECRET}'", 'curl -fsS "$(cat ../priv/cron-url)"'),
        (f"curl -fsS 'https://asso-cron.org/sync#access_token={SECRET}'", 'curl -fsS "$(cat ../priv/cron-url)"'),
        # no option or variable to give: the programs' own ways
        (f"mysqldump -u asso_cron_main -p{SECRET} asso_cron_main > ../db/x.sql", "mysql --defaults-extra-file"),
    ],
)
def test_a_secret_s_message_says_how_the_job_reads_it_from_priv(tmp_path: Path, command: str, hint: str) -> None:
    """The option or variable that held the secret is shown reading it from a file of priv/, named after it."""
    line = _command_error(tmp_path, command)
    assert hint in line and SECRET not in line, line


@pytest.mark.parametrize(
    "command",
    [
        "php wp-cron.php",
        "curl -fsS --netrc-file ../priv/netrc https://asso-cron.org/cron",
        "mysqldump --defaults-extra-file=../priv/backup.cnf asso_cron_main > ../db/x.sql",
        'php bin/console app:import --api-key "$(cat ../priv/api-key)"',
        "php bin/console app:purge-tokens --password-reset-days=30",
        'mysql -u asso_cron_main -p"$(cat ../priv/db-password)" asso_cron_main -e "OPTIMIZE TABLE t"',
        'curl -fsS "https://asso-cron.org/cron.php?token=$(cat ../priv/cron-token)"',
        "curl -fsS 'https://asso-cron.org/cron.php?key=YOUR_KEY'",
        # a ping URL read from a file, the documentation's placeholder, a UUID in another path; Matomo's public access
        'php backup.php; curl -fsS -m 10 --retry 5 -o /dev/null "$(cat ../priv/hc-url)/$?"',
        "wget -q -O /dev/null -i ../priv/cron-url",
        "curl -fsS -m 10 --retry 5 -o /dev/null https://hc-ping.com/your-uuid-here",
        "curl -fsS https://asso-cron.org/events/eb095278-f28d-448d-87fb-7b75c171a6aa.ics > ../log/agenda.ics",
        # the member's own web-push endpoints: a path's words, not a push token (which holds a digit or a capital)
        "curl -fsS https://asso-cron.org/api/push/notifications.php",
        # descriptors duplicated, by number, closed or from a variable
        "php cron.php >> ../log/cron.log 2>&1 3<&0 4>&- >&$LOG_FD",
        'php import.php --count "${#files}"',
        "php bin/console app:notify --endpoint=https://asso-cron.org/api/push/subscriptions",
        'php console core:archive --url=https://stats.asso-cron.org --token-auth="$(cat ../priv/matomo-token)"',
        "curl -fsS 'https://stats.asso-cron.org/index.php?module=API&method=VisitsSummary.get&idSite=1&period=day"
        "&date=yesterday&format=csv&token_auth=anonymous' > ../log/visits.csv",
        "curl -fsS https://asso-cron.org/wp-cron.php?doing_wp_cron",
        "curl -fsS 'https://asso-cron.org/cron.php?sort_key=created_at&monkey=banana1'",
        "curl -fsS 'https://asso-cron.org/wiki/index.php?key=Special_Pages' > ../log/pages.html",
        "wget -qO- 'https://asso-cron.org/index.php?page=password-reset&lang=fr'",
        'curl -H "X-Api-Key: $(cat ../priv/api-key)" -H "Accept: application/json" https://api.asso-cron.org',
        'curl -u "cron:$(cat ../priv/cron-pass)" https://asso-cron.org/cron',
        "php occ background:cron",
        "php artisan schedule:run >> /dev/null 2>&1",
        "vendor/bin/drush --root=. core:cron",
        'php scripts/cron/cron_run_jobs.php "$(cat ../priv/dolibarr-cron-key)" cron',
        "php scripts/cron/cron_run_jobs.php $DOLIBARR_CRON_KEY cron",
        "php scripts/cron/cron_run_jobs.php --help",
        "tar czf - . | openssl enc -aes-256-cbc -pbkdf2 -pass file:../priv/backup-key -out ../db/www.tgz.enc",
        'zip -qr -P "$(cat ../priv/zip-password)" ../db/www.zip . && gzip -9 ../log/old.log',
        "lftp -u asso,$(cat ../priv/ftp-password) ftp.asso-cron.org -e 'mirror -R ../db /backup; quit'",
        "mysqldump -P 33060 asso_cron_main | gzip > ../db/x.sql.gz",
        # a relative path or curl's @file names where the secret is, it is none
        "php bin/sync.php token=../priv/sync-token secret=./config/secret-name",
        "curl -fsS -F token=@../priv/upload-token -F 'file=@../db/x.sql' https://backup.asso-cron.org",
        "php bin/mount-check.php credentials=~/priv/smb-credentials",
        # options saying there is no password, or asking for it: the next word is no value of theirs
        "pg_dump --no-password asso_cron_main > ../db/pg.sql",
        "mariadb --skip-password asso_cron_main -e 'SELECT 1'",
        "restic --insecure-no-password -r ../db/restic backup .",
        # an option acting on the password of the account it names: the next word is that account
        "wp user update alice --reset-password alice@example.org",
        "php bin/console app:users --send-reset-password alice@example.org",
        "php bin/console app:users --expire-password alice@example.org --lost-password bob@example.org",
        # headers that name a key but carry no credential
        "curl -fsS -H 'X-Cache-Key: nightly-rebuild-2026' https://asso-cron.org/cache/warm",
        "curl -fsS -X POST -H 'Idempotency-Key: 5f1b2c3d4e5f6a7b' https://api.asso-cron.org/sync",
        'curl -fsS --header "Sort-Key: created_at_desc" https://api.asso-cron.org/events',
        # a port, no path, and an address in the query: no user:password@
        "curl -fsS 'https://asso-cron.org:8443?notify=bureau@asso-cron.org'",
        "curl -fsS https://asso-cron.org:8443#top@asso",
        # SQL, a message or a file's text piped, not a password; one read from a file
        "echo 'OPTIMIZE TABLE wp_options' | mysql -u asso_cron_main -p asso_cron_main",
        "echo finished | mail -s done bureau@asso-cron.org",
        # here-strings are bash's: given to bash -c (the containers' sh, dash, refuses them)
        """bash -c 'mysql -u asso_cron_main -p asso_cron_main <<< "OPTIMIZE TABLE wp_options"'""",
        """bash -c 'mysql -u asso_cron_main -p asso_cron_main <<< "$(cat ../priv/db-password)"'""",
        "bash -c 'tee -a ../log/x.log <<< started-backup'",
        "printf '%s' \"$DB_PASS\" | mysql -u asso_cron_main -p asso_cron_main",
        "docker login -u asso --password-stdin registry.asso-cron.org < ../priv/registry-password",
        # a user alone (HTTPie, smbclient then prompt, or read the password from a file)
        "http -a cron --auth-type digest https://asso-cron.org:8443/cron",
        'http -a "$(cat ../priv/api-token)" -A bearer https://api.asso-cron.org/sync',
        'http -a "cron:$(cat ../priv/cron-pass)" https://asso-cron.org/cron',
        'smbclient //nas/backup -U asso -A ../priv/smb-auth -c "put ../db/x.sql db-$(date +%F).sql"',
        'smbclient //nas/backup -U "asso%$(cat ../priv/smb-pass)" -c ls',
        # options of zip with no password, rsync -a, a path or a script's name under cron/
        "zip -qr9 ../db/www.zip . -x 'Private/*'",
        "unzip -qo ../db/www.zip -d ../restore",
        'zip -qrP "$(cat ../priv/zip-password)" ../db/www.zip .',
        "rsync -a backup@nas.asso-cron.org:/srv/asso/db/ ../db/",
        "curl -fsS https://asso-cron.org/cron/run-the-weekly-newsletter-queue-now-please-ok",
        'curl -fsS "https://asso-cron.org/cron/$(cat ../priv/drupal-cron-key)"',
        "php ../scripts/cron/cron_run_jobs_by_url_for_all_the_entities_of_2026.php",
        'APP_KEY="$(cat ../priv/app-key)" php artisan schedule:run',
        "MY_APP_KEYBOARD=azerty123 php bin/keyboard.php",
        # redis-cli's -p (a port), a password read from a file; ssh's -p after sshpass's options
        'redis-cli -h redis -p 6379 --no-auth-warning -a "$(cat ../priv/redis-pass)" ping',
        "redis-cli -h redis -n 2 --scan --pattern 'sess:*'",
        "sshpass -f ../priv/nas-pass ssh -p 22022 backup@nas.asso-cron.org 'ls -p archives-2026'",
        "sshpass -e ssh backup@nas.asso-cron.org true",
        # wget's -U (its user agent), --proxy-user (a user); a search scope; a port
        'wget -q -U "asso-cron:v1.2.3456" https://asso-cron.org/cron',
        'wget -q --proxy-user=asso --proxy-password="$(cat ../priv/proxy-pass)" https://asso-cron.org/cron',
        "ldapsearch -x -W -D cn=cron,dc=asso -b dc=asso -s sub '(uid=alice)'",
        "ldapsearch -x -y ../priv/ldap-pass -D cn=cron,dc=asso -b dc=asso",
        "mongodump --port 27017 --db asso -o ../db/mongo",
        "ncftpput -P 2121 -f ../priv/ncftp.cfg ftp.asso-cron.org /backup ../db/x.sql",
        'curl -fsS --oauth2-bearer "$(cat ../priv/api-token)" https://api.asso-cron.org/sync',
        "http https://api.asso-cron.org/sync X-Cache-Key:nightly-2026-12 User-Agent:asso-cron/1.2345",
        "http https://api.asso-cron.org/sync token==$(cat ../priv/api-token) name=alice",
        # a URL with an empty user whose password would hold a colon: cvs's :pserver:USER@HOST
        "git cvsimport -d cvs://:pserver:anoncvs@cvs.asso-cron.org:/cvs/src src",
        # htpasswd, drush, FOSUserBundle given the password from a file, a variable, or not at all
        'htpasswd -B -b -C 10 ../priv/.htpasswd alice "$(cat ../priv/alice-pass)"',
        'htpasswd -nbB alice "$ALICE_PASS" >> ../priv/.htpasswd',
        "htpasswd -i ../priv/.htpasswd alice < ../priv/alice-pass",
        "htpasswd -D ../priv/.htpasswd former-member",
        'drush upwd alice --password="$(cat ../priv/alice-pass)"',
        'drush user:password alice "$(cat ../priv/alice-pass)" -y',
        "drush user:information alice --fields=name,mail",
        'php bin/console fos:user:change-password alice "$(cat ../priv/alice-pass)"',
        "php bin/console fos:user:promote alice ROLE_ADMIN",
        "php bin/console security:hash-password --empty-salt < ../priv/new-pass",
        'wp config create --dbname=asso --dbuser=asso --dbpass="$(cat ../priv/db-pass)" --skip-check',
        "wp config create --dbname=asso --dbuser=asso --prompt=dbpass < ../priv/db-pass",
        "php bin/sync.php --bypass-cache --no-db-pass-check",
        'wp config set DB_PASSWORD "$(cat ../priv/db-pass)" && wp config get DB_PASSWORD',
        "wp option update default_password_nag 0",
        "wp option update blogname 'Pass Culture Lyon'",  # a word of the value, no setting's name
        'drush cset system.site name "Token Club Nantes" -y',
        "php occ config:app:set core shareapi_enforce_links_password --value=yes",
        "php occ config:app:set password_policy enforceNonCommonPassword --value=1",
        'php occ config:system:set mail_smtppassword --value="$(cat ../priv/smtp-pass)"',
        "drush cset user.settings password_reset_timeout 86400 -y",
        "drush cset user.settings password_strength true -y",
        "aws configure set region eu-west-3 --profile backup && aws s3 sync ../db s3://asso-backup/",
        'curl -fsS "https://asso-cron.org/?plugin=RunSchedulerWebcron&hash=$(cat ../priv/joomla-webcron-key)"',
        "curl -fsS 'https://asso-cron.org/photos/index.php?/category/12&hash=thumbnail-cache'",
        "curl -fsS -b ../priv/cookies.txt -c ../priv/cookies.txt https://asso-cron.org/admin/cron",
        "curl -fsS -b 'lang=fr; sidebar_state=collapsed; author_filter=everyone' https://asso-cron.org/",
        'curl -fsS -H "Cookie: PHPSESSID=$(cat ../priv/session-id)" https://asso-cron.org/admin/cron',
        # an anti-forgery token is no credential: a page gives it to any visitor
        "curl -fsS -b 'XSRF-TOKEN=eyJpdiI6Ik5aY2xnQ2ZzQT09In0; lang=fr' https://asso-cron.org/newsletter",
        "curl -fsS -b 'csrftoken=Zt8kq2LmW9Zt8kq2LmW9' https://asso-cron.org/agenda/export",
        "curl -fsS -H 'X-CSRF-Token: Zt8kq2LmW9Zt8kq2LmW9' https://asso-cron.org/agenda/export",
        'curl -fsS --header "X-XSRF-TOKEN: Zt8kq2LmW9Zt8kq2LmW9" https://asso-cron.org/agenda/export',
        "php bin/console app:warm --csrf_token=Zt8kq2LmW9Zt8kq2LmW9",
        "tar -b 20 -czf ../db/www.tgz . && curl -fsS https://asso-cron.org/cron",
        "lftp -e 'set ssl:verify-certificate yes; mirror -R ../db /backup; quit' -u asso ftp.asso-cron.org",
        'lftp -e "mirror -R ../db /backup; quit" -u "asso,$(cat ../priv/ftp-pass)" ftp.asso-cron.org',
        "smbclient //nas/backup -c 'cd asso; put ../db/x.sql x.sql' -U asso -A ../priv/smb-auth",
        "mysql -u asso_cron_main -e 'OPTIMIZE TABLE a; OPTIMIZE TABLE b' -p\"$(cat ../priv/db-pass)\" asso_cron_main",
        "mariadb -u asso_cron_main -e 'OPTIMIZE TABLE a; OPTIMIZE TABLE b' -P 3306 asso_cron_main",
        "bash -c \"mariadb -u asso_cron_main -p asso_cron_main -e 'SELECT 1; SELECT 2' <<< 'OPTIMIZE TABLE a'\"",
        "yes | php bin/console doctrine:migrations:migrate",
        "yes n | cp -i ../db/x.sql ../db/old/",
        "echo alice | xargs getent passwd",
        # a reader's name as a word of another program's arguments: a log tag, a mail's subject
        "kinit -R && echo renewed | logger -t kinit",
        "echo rotated | logger -t cryptsetup",
        'echo finished | mail -s "passwd report" admin@asso-cron.org',
        "echo finished | mail -s 'kinit renewal' admin@asso-cron.org",
        'echo Completed | mail -s "sudo -S check" root',
        "echo reminder | mail -s 'occ user:add done' admin@asso-cron.org",
        'echo weekly_report | mail -s "vault login - audit" admin@asso-cron.org',
        "echo rotated | logger -t pure-pw useradd",
        "echo done | tee -a ../log/passwd.log",
        "echo done | env LANG=C logger -t kinit",
        # a reader's name in a quoted pattern, after "(" or "`", or after sudo's "--" as an argument
        "echo started | awk '/^(passwd|kinit)/' ../log/x.log",
        "echo finished | sed -e 's/(cryptsetup)//'",
        "echo started | grep 'x`passwd'",
        "echo started | grep '(vault login -)'",
        # a word that is an option's value, not the command (a user, a group, a lock file, a variable); a reader
        # given no standard input (xargs gives the words it reads as arguments, and /dev/null to the command); as
        # timeout's duration, timeout refuses it and runs nothing (told so)
        "echo started | flock passwd logger hello",
        "echo started | env -u kinit logger hello",
        "echo alice-smith | xargs passwd -S",
        'echo finished | sh -c "logger -t kinit"',
        "echo finished | tee -a ../log/x.log | mail -s 'passwd report' admin@asso-cron.org",
        # an anonymous FTP login (its password an address), expect, rclone and isql given no password in clear
        "printf 'open ftp.asso-cron.org\\nuser anonymous bureau@asso-cron.org\\nget x.csv\\nbye\\n' | ftp -n",
        'expect -c \'spawn sftp asso@nas.asso-cron.org; expect "assword:"; send "$env(NAS_PASS)\\r"; expect eof\'',
        "rclone sync ../db nas:asso --password-command 'cat ../priv/rclone-pass'",
        "isql asso-dsn asso -b < ../db/optimize.sql",
        'OC_PASS="$(cat ../priv/alice-pass)" php occ user:add --password-from-env alice',
        'printf \'%s\\n%s\\n\' "$PW" "$PW" | passwd',
        "echo alice | php occ user:info --output=json",
        "{ echo 'SET FOREIGN_KEY_CHECKS=0;'; cat ../db/x.sql; } | mysql -u asso_cron_main -p asso_cron_main",
        '(echo "$PW"; echo "$PW") | smbpasswd -s -a asso',
        "(echo started; date) | tee -a ../log/x.log",
        "mysqladmin --defaults-extra-file=../priv/backup.cnf status",
        'mysqladmin --defaults-extra-file=../priv/backup.cnf password "$(cat ../priv/new-pass)"',
        "openssl passwd -6 -salt 0123abcd -stdin < ../priv/new-pass >> ../priv/hashes",
        "mosquitto_passwd -U ../priv/mosquitto.pw",
        "rabbitmqctl list_users",
        "ejabberdctl registered_users asso-cron.org",
        "doveadm pw -s SHA512-CRYPT < ../priv/new-pass",
        "sqlcmd -S db -E -Q 'DBCC SHRINKDATABASE(asso)'",
        "psql -h db -U asso -c \"ALTER ROLE asso VALID UNTIL 'infinity'\"",
        "curl -fsS --netrc-file ../priv/netrc ftp://ftp.asso-cron.org/x",
        "php bin/console app:notify --subject 'create user accounts' --default-locale fr",
        "curl -fsS -d 'a=1; b=2' -u \"cron:$(cat ../priv/cron-pass)\" https://asso-cron.org/cron",
        'php bin/cli.php -s default -u admin -p "$(cat ../priv/civi-pass)" -e Job -a execute',
        "php ../tools/cli.php -p 8080 --serve-once",
        "php maintenance/run.php createAndPromote --sysop alice --force < /dev/null",
        'php bin/backup.php || curl -fsS -d \'{"text":"failed"}\' "$(cat ../priv/slack-webhook)"',
        "curl -fsS https://asso-cron.org/wp-json/hooks/run-the-weekly-newsletter",
        "ssh-keygen -q -t ed25519 -N '' -C backup@asso-cron.org -f ../priv/id_backup",
        'ssh-keygen -q -t rsa -b 4096 -N "" -f ../priv/id_rsa_backup',
        'ssh-keygen -p -P "$(cat ../priv/old-pass)" -N "$(cat ../priv/new-pass)" -f ../priv/id_backup',
        "rar a -p- -r ../db/www.rar . && unrar t ../db/www.rar",
        "openssl enc -aes-256-cbc -pbkdf2 -kfile ../priv/backup-key -in ../db/x.sql -out ../db/x.enc",
        "openssl s_client -connect asso-cron.org:443 < /dev/null | openssl x509 -noout -enddate",
        'bin/plugin login new-user -u alice -p "$(cat ../priv/alice-pass)" -e alice@asso-cron.org -P b',
        # options given a value after '=' that assigns no password
        "docker run --rm --env=LANG=C.UTF-8 --label=pic.role=backup -v /x:/x image backup.sh",
        "docker run --rm -e=TZ=Europe/Paris --env-file=../priv/backup.env image backup.sh",
        # programs that run another, given no password
        "docker run --rm -v /x:/x image backup.sh",
        "taskset -c 0 php cron.php",
        "chrt -i 0 nice -n 19 -- php cron.php",
        "systemd-run --user --pipe --wait php bin/sync.php",
        "sg www-data -c 'php occ background:cron'",
        "echo done | env -- logger -t kinit",
        "find ../tmp -name '*.log' -mtime +7 | xargs -r rm -f",
        "echo asso_cron_main | xargs -I{} sh -c 'mysqldump --defaults-extra-file=../priv/db.cnf {} > ../db/{}.sql'",
        "smbclient //nas.asso-cron.org/backup -A ../priv/smb.cred -c 'put ../db/x.sql x.sql' 2>>../log/smb.log",
        "SORT_KEY=created_at CACHE_KEY=site2024 php bin/export.php",
        "rsync -a ../db/ asso@nas.asso-cron.org:/backup && mysqlsh asso@db.asso-cron.org --sql -f ../db/purge.sql",
        "restic -r sftp:u123456@u123456.your-storagebox.de:/restic --password-file ../priv/restic backup ../db",
        # variables assigned no password: a path, a date, the password read from a file
        "d=$(date +%F); f=../priv/db.cnf; mysqldump --defaults-extra-file=$f asso_cron_main > ../db/x-$d.sql",
        'p="$(cat ../priv/db-password)"; mysqldump -u asso_cron_main -p"$p" asso_cron_main > ../db/x.sql',
    ],
)
def test_a_command_reading_its_secret_from_a_file_is_taken(command: str) -> None:
    spec = _member("asso-cron", [{"schedule": "daily", "command": command}]).spec
    assert spec.cron[0].command == command


@pytest.mark.parametrize(
    "command",
    [
        "echo finished | sudo -u alice -- logger -t passwd",
        "sudo -u passwd logger hello",
        "echo started | sudo -g kinit logger hello",
        "echo started | sudo tee -a ../log/x.log",
    ],
)
def test_a_command_run_by_sudo_given_no_password_is_refused_for_sudo_alone(tmp_path: Path, command: str) -> None:
    """sudo's options taking a value (a reader's name there, passwd, kinit) hold no password: the command is
    refused as the runtime images have no sudo, never as reading a secret."""
    line = _command_error(tmp_path, command)
    assert "sudo, a program the runtime images do not have" in line, line
    assert "secret" not in line and "password" not in line, line


def _fake_docker(tmp_path: Path) -> Path:
    """A directory holding a ``docker`` that runs ``docker exec -u U -w DIR CONTAINER sh -c SCRIPT ARGS...``
    here, with dash as the container's sh, in DIR: the runner's shell part as the container runs it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    docker = bin_dir / "docker"
    docker.write_text(
        "#!/bin/sh\n"
        'set -eu\n[ "$1" = exec ] && [ "$2" = -u ] && [ "$4" = -w ] && [ "$7" = sh ] && [ "$8" = -c ]\n'
        'cd "$5"\nshift 8\nexec dash -c "$@"\n'
    )
    docker.chmod(0o755)
    return bin_dir


@pytest.mark.daemon
@pytest.mark.parametrize("command", ["echo ran", "-echo ran", "+x", "printf '%s\\n' \"$0\" -- ran"])
def test_the_runner_never_reads_a_command_as_sh_options(tmp_path: Path, command: str) -> None:
    """Run by dash (Debian's sh, the containers'), a command starting with - or + is the command, never
    options of sh (``sh -c "-x"``: "Illegal option -"): pic check refuses those, the runner is safe anyway."""
    dash = require_program("dash")
    require_program("timeout")
    www, log = tmp_path / "www", tmp_path / "cron.log"
    www.mkdir()
    runner = tmp_path / "member-cron"
    runner.write_text(membercron.render_runner(log_file=str(log), workdir=str(www)))
    command_file = tmp_path / "1.command"
    command_file.write_text(command + "\n")
    env = {"PATH": f"{_fake_docker(tmp_path)}:/usr/bin:/bin"}
    done = subprocess.run(
        [dash, str(runner), "pic-site-asso-cron", "10700", "30", "1", str(command_file)],
        capture_output=True, text=True, check=False, env=env, timeout=60,
    )  # fmt: skip
    text = log.read_text()
    assert "Illegal option" not in text + done.stderr, text
    assert "cron job 1: start" in text, text
    if command.startswith(("-", "+")):  # a program of that name: not found, and said so in the log
        assert done.returncode == 127 and "not found" in text and "cron job 1: exit 127" in text, text
    else:
        assert done.returncode == 0 and "ran" in text and "cron job 1: exit 0" in text, text


def test_spread_minutes_are_deterministic_and_differ_across_members() -> None:
    slugs = [f"asso-{i:03d}" for i in range(60)]
    first = [cron.calendar("hourly", s, 1).on_calendar for s in slugs]
    assert first == [cron.calendar("hourly", s, 1).on_calendar for s in slugs]
    assert len(set(first)) > 30, "60 members' hourly jobs spread over the hour"
    nightly = {cron.calendar("daily", s, 1).on_calendar.split(" ")[1][:2] for s in slugs}
    assert nightly <= {f"{h:02d}" for h in cron.NIGHT_HOURS}
    assert cron.calendar("hourly", "asso-000", 1) != cron.calendar("hourly", "asso-000", 2)


# Steps up to each field's largest (*/59, */23, */31, */12): one that leaves a single value has no
# repetition form in systemd (01/31 is refused).
FIELDS = st.sampled_from(
    ["*", "*/5", "*/10", "0", "7", "1-5", "1,15", "0,30", "*/3", "12", "2-4,6", "*/11", "*/12", "*/23", "*/30", "*/31"]
)


@pytest.mark.daemon
@given(st.tuples(FIELDS, FIELDS, FIELDS, FIELDS, FIELDS))
def test_every_accepted_schedule_is_a_calendar_systemd_reads(fields: tuple[str, ...]) -> None:
    analyze = require_program("systemd-analyze")
    text = " ".join(fields)
    try:
        cron.check_expression(text)
    except ValueError:
        return
    value = cron.calendar(text, "asso-cron", 1).on_calendar
    done = subprocess.run([analyze, "calendar", value], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{text} -> {value}: {done.stderr}"


def _cron_matches(schedule: str, when: dt.datetime) -> bool:
    """crontab(5) semantics of a checked expression whose day fields are not both restricted, or whose day of
    month starts with ``*`` (``*/2``: cron's DOM_STAR, where a day must match both fields)."""
    fields = schedule.split(" ")
    values = [cron._values(f, lo, hi) for f, (lo, hi) in zip(fields, cron.BOUNDS, strict=True)]
    weekday = when.isoweekday() % 7
    return (
        when.minute in values[0]
        and when.hour in values[1]
        and when.day in values[2]
        and when.month in values[3]
        and (weekday in values[4] or (weekday == 0 and 7 in values[4]))
    )


@pytest.mark.daemon
@pytest.mark.parametrize(
    "schedule",
    [
        "30 2 * * 1-5",
        "*/15 * * * *",
        "0 3 1,15 * *",
        "5 */6 * */2 *",
        "0 0 * * 0,7",
        "0 0 * 1 0-1",
        "0 0 */31 * *",
        "0 3 1 */12 *",
        "0 0 */30 * *",
        "*/59 */23 * */11 *",
        "0 3 */2 * 1",  # odd days that are Mondays: cron wants both when the day of month starts with *
        "30 4 */7 * 1,3",
    ],
)
def test_calendars_elapse_when_cron_would(schedule: str) -> None:
    analyze = require_program("systemd-analyze")
    value = cron.calendar(schedule, "asso-cron", 1).on_calendar
    out = subprocess.run(
        [analyze, "calendar", "--iterations=12", value], capture_output=True, text=True, check=True
    ).stdout
    times = re.findall(r"(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", out)
    assert len(times) == 12, out
    for text in times:
        assert _cron_matches(schedule, dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")), f"{value}: {text}"


def _cron_times(schedule: str, after: dt.datetime, count: int) -> list[dt.datetime]:
    """The next ``count`` minutes after ``after`` at which cron runs ``schedule`` (:func:`_cron_matches`)."""
    out: list[dt.datetime] = []
    when = after.replace(second=0) + dt.timedelta(minutes=1)
    while len(out) < count:
        if _cron_matches(schedule, when):
            out.append(when)
        when += dt.timedelta(minutes=1)
    return out


@pytest.mark.daemon
@pytest.mark.parametrize(
    ("schedule", "base"),
    [
        ("*/13 * * * *", "2026-12-02 23:30:00"),  # over midnight: systemd's *:00/13 skipped 00:00
        ("*/7 */5 * * *", "2026-12-02 19:50:00"),
        ("0 */5 * * *", "2026-12-02 12:00:00"),
        ("0 0 */2 * *", "2026-12-27 12:00:00"),  # odd days, over the month's and the year's end
        ("30 1 1 */5 *", "2026-09-15 00:00:00"),  # months 1, 6, 11, over the year's end
    ],
)
def test_calendars_elapse_every_time_cron_would(schedule: str, base: str) -> None:
    """Not only never when cron would not: each time cron would, in order, across the hour's, day's and year's
    end, from a fixed base time (``systemd-analyze calendar --base-time``)."""
    analyze = require_program("systemd-analyze")
    value = cron.calendar(schedule, "asso-cron", 1).on_calendar
    out = subprocess.run(
        [analyze, "calendar", "--iterations=12", f"--base-time={base} UTC", value],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "UTC"},
    ).stdout
    times = re.findall(r"(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", out)
    got = [dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S") for text in times]
    assert got == _cron_times(schedule, dt.datetime.strptime(base, "%Y-%m-%d %H:%M:%S"), 12), f"{value}:\n{out}"


@pytest.mark.daemon
def test_units_verify_and_scripts_pass_shellcheck(tmp_path: Path) -> None:
    analyze = require_program("systemd-analyze")
    m = _member(
        "asso-cron",
        [
            {"schedule": "daily", "command": "php wp-cron.php"},
            {"schedule": "*/10 * * * *", "command": "echo 'a $b' \"c\"", "timeout": 30},
        ],
    )
    runner = tmp_path / "member-cron"
    runner.write_text(membercron.render_runner())
    runner.chmod(0o755)
    names = []
    for job in membercron.jobs(m):
        (tmp_path / f"{job.unit}.service").write_text(membercron.render_service(m, job, runner=str(runner)))
        (tmp_path / f"{job.unit}.timer").write_text(membercron.render_timer(m, job))
        names += [f"{job.unit}.service", f"{job.unit}.timer"]
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in names)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stderr.splitlines() if "pic-cron" in line], done.stderr
    service = (tmp_path / "pic-cron-asso-cron-2.service").read_text()
    assert (
        f"ExecStart={runner} {web.site_container_name('asso-cron')} 10700 30 2 /etc/pic/cron/asso-cron/2.command\n"
        in service
    )
    assert f"TimeoutStartSec={30 + membercron.KILL_AFTER + membercron.SERVICE_MARGIN}\n" in service
    shellcheck(membercron.render_runner(), tmp_path, "member-cron")
    install = membercron.render_install_script(m)
    shellcheck(install, tmp_path, "cron-install")
    shellcheck(membercron.render_remove_script(m), tmp_path, "cron-remove")
    assert "printf '%s\\n' 'echo '\"'\"'a $b'\"'\"' \"c\"' | put /etc/pic/cron/asso-cron/2.command 0600" in install


NASTY = "\n\r\t\x00\x1b\x7f\u2028\u202e`'\"${}#;:\\ <>|&*%"
any_text = st.text(alphabet=st.sampled_from(NASTY) | st.characters(), max_size=80)


@pytest.mark.daemon
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(command=any_text, schedule=any_text | st.sampled_from(["hourly", "*/5 1 * * *", "0 0 * 2 0-6"]))
def test_any_accepted_job_renders_scripts_shellcheck_and_systemd_accept(command: str, schedule: str) -> None:
    try:
        m = _member("asso-cron", [{"schedule": schedule, "command": command}])
    except ValidationError:
        return
    with tempfile.TemporaryDirectory() as tmp:
        shellcheck(membercron.render_install_script(m), Path(tmp), "cron-install")
    [job] = membercron.jobs(m)
    done = subprocess.run(
        [require_program("systemd-analyze"), "calendar", job.calendar.on_calendar],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # The command file holds exactly the member's command: what printf writes in the script.
    line = next(x for x in membercron.render_install_script(m).splitlines() if x.startswith("printf '%s\\n' "))
    written = subprocess.run(["sh", "-c", line.split(" | put ")[0]], capture_output=True, text=True, check=True)
    assert written.stdout == command + "\n"


@pytest.mark.daemon
@pytest.mark.parametrize(
    "command",
    [
        "~/bin/sauvegarde.sh",  # SC2088: a tilde in quotes does not expand (it does when the job runs)
        "echo Rappel de l\\'atelier >> ../log/rappels.log",  # SC1003: a backslash before the closing quote
        "cp www/a.txt priv/ && ~/bin/b \\'x\\'",
        "echo Rappel de l\u2019atelier >> ../log/rappels.log",  # SC1112: a typographic apostrophe (a phone's, a Mac's)
    ],
)
def test_a_command_shellcheck_reads_in_its_literal_passes(tmp_path: Path, command: str) -> None:
    """A command pic check takes is a literal of the install script: shellcheck's warnings about the
    shell's quoting inside it (a tilde that a quote keeps, a backslash it reads as escaping the quote)
    are the member's command's, expanded when the job runs, not the script's."""
    m = _member("asso-cron", [{"schedule": "daily", "command": command}])
    install = membercron.render_install_script(m)
    shellcheck(install, tmp_path, "cron-install")
    line = next(x for x in install.splitlines() if x.startswith("printf '%s\\n' "))
    written = subprocess.run(["sh", "-c", line.split(" | put ")[0]], capture_output=True, text=True, check=True)
    assert written.stdout == command + "\n"


@pytest.mark.parametrize("schedule", ["0 3 */2 * 1", "30 4 */7 * 1,3", "0 0 */1 * 0"])
def test_a_day_of_month_step_with_days_of_week_is_accepted(schedule: str) -> None:
    """Was refused as "cron runs when either matches": for a day of month starting with ``*`` cron wants both."""
    assert cron.check_expression(schedule) == schedule


def _cron_command(m: Member) -> Resource:
    """The member's ``<slug>-cron`` command as the plan reads it: install script on stdin, removal as delete."""
    return Resource(
        urn=f"urn:pulumi:prod::pic::pic:index:Member$command:remote:Command::{m.slug}-cron",
        type="command:remote:Command",
        name=f"{m.slug}-cron",
        parent="",
        custom=True,
        inputs={
            "create": "sudo -n sh -eu -s",
            "stdin": membercron.render_install_script(m),
            "delete": f"sudo -n sh -eu -c {shlex.quote(membercron.render_remove_script(m))}",
        },
        outputs={},
    )


def test_job_globs_match_exactly_the_job_numbers() -> None:
    for first in range(1, 12):
        globs = membercron.job_globs(first, 10)
        for n in range(0, 101):
            matched = any(fnmatch.fnmatchcase(str(n), g) for g in globs)
            assert matched == (first <= n <= 10), (first, n, globs)


def test_a_member_s_jobs_are_removed_without_those_of_a_member_whose_slug_extends_its_slug(tmp_path: Path) -> None:
    """``asso`` and ``asso-b`` both have jobs: removing one's (a job dropped, the cron key removed, the member
    suspended) never names, nor removes on the host, the other's units (``pic-cron-asso-b-1`` is not job
    ``b-1`` of ``asso``); ``pic plan`` does not take it for a stateful change."""
    jobs = [{"schedule": "hourly", "command": f"php job{i}.php"} for i in range(3)]
    asso, asso_b = _member("asso", jobs, uid=10701), _member("asso-b", jobs[:1], uid=10702)
    asso_one = _member("asso", jobs[:1], uid=10701)
    mine, theirs, fewer = _cron_command(asso), _cron_command(asso_b), _cron_command(asso_one)
    other_units = [f"{membercron.UNITS_DIR}/pic-cron-asso-b-1.{kind}" for kind in ("timer", "service")]
    for path in removed_paths(mine) + [p for p in written_paths(fewer) if "pic-cron-" in p]:
        assert not any(fnmatch.fnmatchcase(unit, path) for unit in other_units), path
    for old, new in (([mine, theirs], [theirs]), ([mine, theirs], [mine]), ([mine, theirs], [fewer, theirs])):
        changes = diff(Rendering({r.urn: r for r in old}), Rendering({r.urn: r for r in new}))
        assert not stateful_changes(changes), [c.stateful for c in changes]

    # On a host: asso's jobs 1, 2, 3 and 10 (left by an older file) go, asso-b's job stays.
    root = tmp_path / "host"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "record"
    (bin_dir / "systemctl").write_text(f'#!/bin/sh\necho "systemctl $*" >> {record}\n')
    (bin_dir / "systemctl").chmod(0o755)
    units = root / membercron.UNITS_DIR.lstrip("/")
    units.mkdir(parents=True)
    commands = root / membercron.COMMANDS_DIR.lstrip("/")
    for slug, numbers in (("asso", (1, 2, 3, 10)), ("asso-b", (1,))):
        (commands / slug).mkdir(parents=True)
        for n in numbers:
            (commands / slug / f"{n}.command").write_text("x\n")
            for kind in ("timer", "service"):
                (units / f"pic-cron-{slug}-{n}.{kind}").write_text("[Unit]\n")

    def run(script: str) -> None:
        script = script.replace("/etc/", f"{root}/etc/")
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
        done = subprocess.run(["sh", "-eu", "-c", script], env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr

    # The install script's removal of the jobs beyond the current ones (asso keeps job 1).
    install = membercron.render_install_script(asso_one)
    run(install[install.index("# Jobs beyond the current ones") : install.index("systemctl daemon-reload")])
    assert sorted(p.name for p in units.iterdir()) == [
        "pic-cron-asso-1.service",
        "pic-cron-asso-1.timer",
        "pic-cron-asso-b-1.service",
        "pic-cron-asso-b-1.timer",
    ]
    assert sorted(p.name for p in (commands / "asso").iterdir()) == ["1.command"]
    # The removal of every job of asso.
    run(membercron.render_remove_script(asso))
    assert sorted(p.name for p in units.iterdir()) == ["pic-cron-asso-b-1.service", "pic-cron-asso-b-1.timer"]
    assert not (commands / "asso").exists() and (commands / "asso-b" / "1.command").exists()
    calls = record.read_text().splitlines()
    assert "systemctl disable --now pic-cron-asso-10.timer" in calls
    assert "systemctl disable --now pic-cron-asso-1.timer" in calls
    assert not [c for c in calls if "asso-b" in c], calls


def test_a_command_of_several_lines_says_how_to_write_it_on_one(tmp_path: Path) -> None:
    """YAML's block scalars, as a member writes them: | and > give line breaks (refused, saying how to write the
    command on one line), >- folds the lines into one (taken)."""
    project = project_copy(tmp_path)
    members = write_members(tmp_path / "members", {"asso-cron": member(10700, site=SITE)})
    path = members / "asso-cron.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "cron:\n"
        + "  - schedule: daily\n    command: |\n      cd ../priv\n      php sync.php\n"
        + "  - schedule: daily\n    command: >\n      php sync.php\n      --all\n"
        + "  - schedule: daily\n    command: >-\n      php sync.php\n      --all\n"
        + '  - schedule: daily\n    command: "php sync.php\\t--all"\n',
        encoding="utf-8",
    )
    with pytest.raises(PicError) as info:
        check(project, "prod", members, ON)
    lines = [x for x in str(info.value).splitlines() if ".command: " in x]
    at = [n for n, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "command:" in x]
    assert [re.sub(r".*yaml:(\d+) (cron\[\d\]).*", r"\1 \2", x) for x in lines] == [
        f"{at[0]} cron[0]",
        f"{at[1]} cron[1]",
        f"{at[3]} cron[3]",
    ]
    assert '"cd ../priv\\nphp sync.php\\n" holds a line break at character 11: a job\'s command is one line' in lines[0]
    assert '"php sync.php --all\\n" holds a line break at character 19' in lines[1]
    assert "joined by ; or &&" in lines[1] and "fold its lines with >- (joined by spaces" in lines[1]
    assert lines[2].endswith(
        '"php sync.php\\t--all" holds a tab (U+0009) at character 13, which a command may not hold: write a space'
    )


# Each opens something it never closes: sh refuses the whole line (a syntax error) and the job would never run.
NEVER_CLOSED = [
    ("php notify.php --subject 'Rappel AG", "a single quote (')", 26),
    ('php notify.php --subject "Rappel AG', 'a double quote (")', 26),
    ("php cron.php --since `date +%s", "a backquote (`)", 22),
    ("php cron.php --since $(date +%s", "a command substitution $(", 22),
    ('php cron.php --since "$(date +%s"', 'a double quote (")', 33),
    ("curl -fsS https://asso-cron.org/cron?since=${SINCE", "a parameter expansion ${", 44),
    ("php cron.php --limit $((10 + 5)", "an arithmetic expansion $((", 22),
    ("(cd ../priv && php sync.php", "a parenthesis (", 1),
    ('php x.php --at "$(date +%s', "a command substitution $(", 17),
    # in a backquote's command as sh reads it (its \\` a backquote): a quote, a backquote
    ("php x.php `printf '%s' 'a`", "a single quote (')", 24),
    ('php x.php --at `date "+\\`%s"`', "a backquote (`)", 25),
    ("php x.php `echo \\`echo 'a\\``", "a single quote (')", 24),
    # in an arithmetic expansion a quote is a character, a backquote is not
    ("php x.php --n $(( '`' ))", "a backquote (`)", 20),
]


@pytest.mark.parametrize(("command", "what", "at"), NEVER_CLOSED)
def test_a_command_sh_cannot_read_whole_is_refused(tmp_path: Path, command: str, what: str, at: int) -> None:
    """The real sh (dash, the containers') refuses each at every run; pic check names what is open and where."""
    done = subprocess.run([require_program("dash"), "-n", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "Syntax error" in done.stderr, done
    assert cron.unclosed(command) == (what, at)
    line = _command_error(tmp_path, command)
    assert f"opens {what} at character {at} that is never closed: sh refuses the whole command" in line, line


@pytest.mark.parametrize(
    "command",
    [
        "php x.php # it's done",  # a comment: its quote is text
        'php x.php --note "it\'s done"',  # a single quote in double quotes
        'php x.php --at "$(date +%s)" --pid $$ --args $# ${#HOME}',  # special parameters, a length
        'echo "$(echo \'a"b\')" > ../log/x.log',  # quotes inside a substitution inside quotes
        "echo `date` # at `date`",  # a backquote's comment ends at the backquote
        "php x.php --sum $((1 + (2 * 3)))",  # parentheses in arithmetic
        "case $(date +%u) in 1) php weekly.php;; esac",  # a case pattern's ) closes nothing
        'php x.php \\"',  # an escaped quote
        "php x.php ${LIMIT:-(none)}",
        'php x.php --sep `printf \'\\`\'` --at "`date \\"+%s\\"`"',  # \\` a backquote in the command, \\" a quote
        "php x.php `echo ) 'x`",  # sh reads a backquote's command as far as it goes: the rest is never read
        "php import.php <<`x",  # a here-document's end word: its $ and backquotes are characters
        'php import.php <<${x; php import.php <<- "$(x"',
        "sleep $(( `od -An -N1 -tu1 /dev/urandom` % 60 ))",
    ],
)
def test_a_command_that_closes_what_it_opens_is_taken(command: str) -> None:
    assert cron.unclosed(command) is None
    _dash_reads_and_pic_takes(command)


# Each holds a quote where dash reads it as a character, in an arithmetic expansion: dash -n takes the command, and
# dash refuses the expression when it runs; with the quote's place.
ARITHMETIC_QUOTES = [
    ('sleep $(( "$DELAY" * 60 )) && echo ran', '"', 11),
    ("echo $(( '7' * 60 )) > ../log/delay.log", "'", 10),
    ('echo "$(( "$N" + 1 ))" > ../log/n.log', '"', 11),  # quoted around, the inner quotes are still characters
    ('echo $(( \\"$N\\" + 1 ))', '"', 11),  # an escaped quote: the quote stays
    ("echo $(( ${COUNT:-'5'} + 1 ))", "'", 19),  # in ${...} there, a single quote is no quote either
    ('echo `echo $(( "$N" ))` > ../log/n.log', '"', 16),  # in a backquote's command
    ("echo $(( ' ))", "'", 10),  # alone
]


@pytest.mark.parametrize(("command", "quote", "at"), ARITHMETIC_QUOTES)
def test_a_quote_in_an_arithmetic_expansion_is_refused(tmp_path: Path, command: str, quote: str, at: int) -> None:
    """dash reads the whole command (-n), and fails at the expansion when it runs it (bash takes a double quote
    there, not a single one): pic check names the quote, where it is, and how to write the expression."""
    dash = require_program("dash")
    assert subprocess.run([dash, "-n", "-c", command], check=False).returncode == 0
    site = tmp_path / "site"
    (site / "log").mkdir(parents=True)
    (site / "www").mkdir()
    env = {"PATH": os.environ["PATH"], "DELAY": "0", "N": "5"}
    ran = subprocess.run([dash, "-c", command], capture_output=True, text=True, check=False, cwd=site / "www", env=env)
    # refused where the expansion is (a backquote's shell), the rest not run
    assert "arithmetic expression: expecting primary" in ran.stderr and "ran" not in ran.stdout, ran
    assert cron.unclosed(command) is None and cron.bash_only(command) is None
    assert cron.arithmetic_quote(command) == (cron._IN_ARITHMETIC[quote], at)
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {cron._IN_ARITHMETIC[quote]}: dash" in line and "$(( x + 1 ))" in line, line


@pytest.mark.parametrize(
    "command",
    [
        'echo "$(( N + 1 ))" $(( $N * 2 )) > ../log/n.log',
        'echo $(( ${N:-"5"} + 1 ))',  # a double quote in ${...}: a quote, removed
        'echo $(( $(printf "%s" "$N") + 1 )) $(( `echo "2"` + 1 ))',  # in a command's substitution: quotes
        'echo "$(( N ))" \'$(( "N" ))\'',  # the quotes around, and a quoted text
        "echo `: ) $(( '1' ))` done",  # in what sh leaves unread of a backquote's command
    ],
)
def test_quotes_around_or_in_a_command_of_an_arithmetic_expansion_are_taken(tmp_path: Path, command: str) -> None:
    """dash runs each: the quotes are around the expansion, or in what sh reads as quotes in it."""
    ran = _dash_in_www(tmp_path, command)
    assert ran.returncode == 0, ran
    assert cron.arithmetic_quote(command) is None
    _dash_reads_and_pic_takes(command)


# Each holds an operator of bash's arithmetic that dash does not have, with its kind and place: dash -n takes the
# command, and dash refuses the expression when it runs, or (++ before a name) changes nothing.
ARITHMETIC_OPERATORS = [
    ("echo $(( 2 ** 10 )) > ../log/n.log && echo ran", "power", 12),
    ("sleep $((16#1f)) && echo ran", "base", 12),
    ("echo $(( (#) )) && echo ran", "base", 11),  # a # is a character there, no comment: the expansion closes
    ("echo $(( N, N + 1 )) && echo ran", "comma", 11),
    ("echo $(( a[1] + 1 )) && echo ran", "array", 11),
    ("N=$(( N++ )) && echo ran", "post", 8),
    ("echo $(( (N--) * 2 )) && echo ran", "post", 12),
    ('echo "$(( $(date +%s) ** 2 ))" && echo ran', "power", 23),  # after a command's substitution, in quotes
    ("echo `echo $((2**3))`", "power", 16),  # in a backquote's command: its shell fails
]


@pytest.mark.parametrize(("command", "kind", "at"), ARITHMETIC_OPERATORS)
def test_an_operator_of_bash_s_arithmetic_is_refused(tmp_path: Path, command: str, kind: str, at: int) -> None:
    """dash reads the whole command (-n) and refuses the expression when it runs it (bash computes it): pic check
    names the operator, where it is, and the operators sh has."""
    dash = require_program("dash")
    assert subprocess.run([dash, "-n", "-c", command], check=False).returncode == 0
    ran = _dash_in_www(tmp_path, command)
    assert "arithmetic expression: expecting" in ran.stderr and "ran" not in ran.stdout, ran
    assert cron.unclosed(command) is None and cron.bash_only(command) is None and cron.arithmetic_quote(command) is None
    assert cron.arithmetic_operator(command) == (cron._ARITHMETIC_WORDS[kind], at)
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {cron._ARITHMETIC_WORDS[kind]}: the expression" in line, line


def test_plus_plus_before_a_name_is_refused_as_dash_changes_nothing(tmp_path: Path) -> None:
    """dash reads ++N as +(+N): no error, and N is never incremented (bash adds one)."""
    command = 'N=5; echo "$(( ++N ))" "$N"'
    ran = subprocess.run([require_program("dash"), "-c", command], capture_output=True, text=True, check=False)
    assert ran.stdout.split() == ["5", "5"], ran
    assert cron.arithmetic_operator(command) == (cron._ARITHMETIC_WORDS["pre"], 16)


@pytest.mark.parametrize(
    ("command", "found"),
    [
        ("sleep $((RANDOM % 300)) && php cron.php", (cron._ARITHMETIC_WORDS["random"], 10)),
        ("sleep $(( $RANDOM % 300 )) && php cron.php", (cron._ARITHMETIC_WORDS["random"], 12)),
        ('sleep "${RANDOM}" && php cron.php', (cron._BASH_ONLY["$RANDOM"], 8)),
        ("echo $RANDOM > ../log/seed.log", (cron._BASH_ONLY["$RANDOM"], 6)),
    ],
)
def test_bash_s_random_is_refused_as_dash_does_not_set_it(command: str, found: tuple[str, int]) -> None:
    """dash expands $RANDOM to nothing, RANDOM to 0 in $((...)): the job's delay is always 0 s (bash draws one)."""
    ran = subprocess.run(
        [require_program("dash"), "-c", "echo $((RANDOM % 300)) $(( $RANDOM + 1 ))x${RANDOM}x$RANDOM"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.stdout.split() == ["0", "1xx"], ran
    reading = cron._read(command)
    assert found in (reading.bash, reading.arithmetic_operator)
    with pytest.raises(ValueError, match=re.escape(f"holds at character {found[1]} {found[0]}")):
        cron.check_command(command)


@pytest.mark.parametrize(
    "command",
    [
        "echo $(( (N + 1) * 2 )) $(( N - -1 )) $(( N << 2 )) $(( N > 3 ? 1 : 0 )) $(( N += 1 )) > ../log/n.log",
        "echo $(( ${#N} + $# )) $(( $(echo 1,2 | cut -d, -f1) + 1 )) $(( `echo 2` * 2 ))",  # in substitutions
        "echo $(($((1 + 2)) * 3)) $(( 0x1f + 010 )) $(( N++ + 1 ))",  # N++ + 1: N + +(+1) in dash
        "echo '$(( 2 ** 3 ))' # $(( 16#ff ))",  # quoted, in a comment
        "echo '$RANDOM' $RANDOMX $(( MY_RANDOM + 1 ))",  # quoted, other names
    ],
)
def test_the_arithmetic_dash_has_is_taken(tmp_path: Path, command: str) -> None:
    ran = _dash_in_www(tmp_path, command)
    assert ran.returncode == 0 and not ran.stderr, ran
    assert cron.arithmetic_operator(command) is None
    _dash_reads_and_pic_takes(command)


# Each holds an arithmetic expansion whose expression dash refuses when it runs it, whatever its variables hold
# (dash -n takes the command): with the place where dash stops in it and what dash says.
ARITHMETIC_FAULTS = [
    ("echo $((1+)) > ../log/n.log && echo ran", 11, "expecting primary"),  # at its end
    ("sleep $((08 * 60)) && echo ran", 11, "expecting EOF"),  # 08: the number 0, then 8 (no octal digit)
    ("echo $(( N N )) && echo ran", 12, "expecting EOF"),
    ("echo $(( (N + 1 ) * )) && echo ran", 21, "expecting primary"),
    ("echo $(( N > 3 ? 1 )) && echo ran", 20, "expecting ':'"),
    ("echo $(( )) && echo ran", 10, "expecting primary"),
    ("echo $(( N / 0 )) && echo ran", 12, "division by zero"),
    ("echo $(( N % (2 - 2) )) && echo ran", 12, "division by zero"),
    ("echo $(( 1 2 $N )) && echo ran", 12, "expecting EOF"),  # before a substitution, whatever it holds
    ("echo `echo $((1 2))` && echo ran", 17, "expecting EOF"),  # in a backquote's command: its shell stops
]


@pytest.mark.parametrize(("command", "at", "says"), ARITHMETIC_FAULTS)
def test_an_arithmetic_expression_dash_refuses_when_it_runs_is_refused(
    tmp_path: Path, command: str, at: int, says: str
) -> None:
    """dash reads the whole command (-n) and stops at the expansion every time it runs it: pic check names where
    dash stops in it, the expansion, and what dash says."""
    assert subprocess.run([require_program("dash"), "-n", "-c", command], check=False).returncode == 0
    ran = _dash_in_www(tmp_path, command)
    assert f"arithmetic expression: {says}: " in ran.stderr, ran
    assert ("ran" in ran.stdout) == ("`" in command), ran
    assert cron.unclosed(command) is None and cron.bash_only(command) is None
    assert cron.arithmetic_operator(command) is None and cron.arithmetic_quote(command) is None
    found = cron.arithmetic_fault(command)
    assert found is not None and found[1] == at, found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} " in line and f"(arithmetic expression: {says}: " in line, line
    assert "whose expression dash, the containers' sh, refuses when it runs it" in line, line


@pytest.mark.parametrize(
    "command",
    [
        "echo $(( 9999999999999999999999 )) $(( 010 + 0x1f )) $(( N ? 1 : 1/0 )) $(( 0 && 1/0 )) $(( N || 1/0 ))",
        "echo $(( 100 / N )) $(( N / $N )) $(( (x = 2) * x )) > ../log/n.log",  # a variable's value decides
        "echo $(( $(echo 1 +) 1 )) $(( ${M:-1 +} 1 )) > ../log/n.log",  # a substitution may hold the rest
        "echo '$((1+))' \"\\$((1+))\" # $(( 1 2 ))",  # quoted, escaped, in a comment
    ],
)
def test_an_arithmetic_expression_dash_evaluates_is_taken(tmp_path: Path, command: str) -> None:
    ran = _dash_in_www(tmp_path, command)
    assert ran.returncode == 0 and not ran.stderr, ran
    assert cron.arithmetic_fault(command) is None
    _dash_reads_and_pic_takes(command)


# Each holds a parameter expansion dash reads (-n takes the command) and refuses when it expands it, "Bad
# substitution", stopping the command that holds it at every run; with the expansion as written and its place.
BAD_SUBSTITUTIONS = [
    ("php backup.php --to ${ BACKUP_DIR } && echo ran", "${ BACKUP_DIR }", 21),  # spaces, as in a template
    ('php cron.php --day "${date +%F}" && echo ran', "${date +%F}", 21),  # meant $(date +%F)
    ('echo "${1x}" && echo ran', "${1x}", 7),
    ("echo ${#N-} && echo ran", "${#N-}", 6),
    ("echo $(( ${=N} + 1 )) && echo ran", "${=N}", 10),  # in an arithmetic expansion
    ("echo `echo ${N N}` && echo ran", "${N N}", 12),  # in a backquote's command
    ('echo "$(echo ${%N})" && echo ran', "${%N}", 14),  # in a command's substitution
    ("echo ${#%} && echo ran", "${#%}", 6),  # dash's own: ${#%x} is $# less x, ${#%} is refused
]


@pytest.mark.parametrize(("command", "written", "at"), BAD_SUBSTITUTIONS)
def test_a_parameter_expansion_dash_refuses_when_it_runs_is_refused(
    tmp_path: Path, command: str, written: str, at: int
) -> None:
    """dash reads the whole command (-n) and, every time it runs it, stops at the expansion the command holding it
    (the job's, or a substitution's in it, whose output is then empty): pic check names the expansion, where it
    is, and the forms sh reads."""
    assert subprocess.run([require_program("dash"), "-n", "-c", command], check=False).returncode == 0
    ran = _dash_in_www(tmp_path, command)
    assert "Bad substitution" in ran.stderr, ran
    in_a_substitution = "`" in command or "$(echo" in command
    assert ("ran" in ran.stdout) == in_a_substitution, ran
    assert cron.unclosed(command) is None and cron.bash_only(command) is None
    assert cron.bad_substitution(command) == (written, at)
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {written}, a parameter expansion that dash" in line, line
    assert "(Bad substitution)" in line and "${HOME}" in line, line


@pytest.mark.parametrize(
    "command",
    [
        "echo ${N} ${1} ${10} ${#N} ${#} ${##} ${#-} ${@} ${*} ${?} ${$} ${!} ${-} ${0} > ../log/n.log",
        "echo ${N:-a b} ${N-x} ${N:=5} ${N=5} ${N:+y} ${N+y} ${N:?unset} ${N?unset} > ../log/n.log",
        "echo ${N%5} ${N%%5} ${N#5} ${N##5} ${#%5} ${##5} ${#-5} ${#+5} > ../log/n.log",
        "echo '${ N }' \\${ N } \"\\${ N }\" > ../log/n.log",  # quoted or escaped: text
        "echo ok > ../log/n.log # ${ N }",  # a comment: never expanded
    ],
)
def test_the_parameter_expansions_dash_has_are_taken(tmp_path: Path, command: str) -> None:
    ran = _dash_in_www(tmp_path, command)
    assert ran.returncode == 0 and not ran.stderr, ran
    assert cron.bad_substitution(command) is None
    _dash_reads_and_pic_takes(command)


EXPANSION_PIECES = ["", "N", "1", "10", "#", "-", ":", " ", "%", "=", "?", "@", "!", "$", "+", "x y", ":-", "_"]


def test_a_parameter_expansion_is_refused_exactly_when_dash_refuses_it() -> None:
    """Every ${...} of one to three pieces: refused by pic check as a bad substitution exactly when dash, run,
    says "Bad substitution" (an expansion that stops the shell otherwise, ${N?}, is not one)."""
    import itertools

    dash = require_program("dash")
    differ = []
    for pieces in itertools.product(EXPANSION_PIECES, repeat=3):
        expansion = "${" + "".join(pieces) + "}"
        ran = subprocess.run([dash, "-c", f"N=5; set -- a; : {expansion}"], capture_output=True, text=True, check=False)
        if ran.returncode != 0 and "Bad substitution" not in ran.stderr:
            continue  # ${N?}, ${x?}: stops as the member wrote it should
        if ("Bad substitution" in ran.stderr) != (cron.bad_substitution(f": {expansion}") is not None):
            differ.append((expansion, ran.stderr.strip()))
    assert differ == []


def _dash_in_www(tmp_path: Path, command: str) -> subprocess.CompletedProcess[str]:
    """``command`` run by dash as a job runs, in a site's www/ (log/ beside it), with N=5 in its environment."""
    site = tmp_path / "site"
    (site / "log").mkdir(parents=True)
    (site / "www").mkdir()
    env = {"PATH": os.environ["PATH"], "N": "5"}
    dash = require_program("dash")
    return subprocess.run([dash, "-c", command], capture_output=True, text=True, check=False, cwd=site / "www", env=env)


def _dash_reads_and_pic_takes(command: str) -> None:
    """dash reads ``command`` whole (``-n``: parsed, not run), and a member's cron job of it is taken."""
    done = subprocess.run([require_program("dash"), "-n", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done
    assert _member("asso-cron", [{"schedule": "daily", "command": command}]).spec.cron[0].command == command


SH_PIECES = [
    *("'", '"', "`", "$(", "${", "$((", "(", ")", "}", "))", "#", " ", "x", "\\", "$$", "$#", "'a'", '"b"', ";"),
    *("<<", "\\`"),
]


@pytest.mark.daemon
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(pieces=st.lists(st.sampled_from(SH_PIECES), min_size=1, max_size=8))
def test_a_command_refused_as_never_closed_is_one_sh_refuses(pieces: list[str]) -> None:
    """Never a command sh reads refused for what it would leave open (dash -n, which parses without running;
    a substitution it takes there and refuses when run, ${${x}, is no command a member means either)."""
    command = "echo " + "".join(pieces)
    if cron.unclosed(command) is None:
        return
    done = subprocess.run([require_program("dash"), "-n", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode != 0 or "${" in command or "$((" in command, command


# What bash reads and dash, the containers' sh, refuses (a syntax error), does not know, or reads otherwise; with
# what shows it, run by both (None: dash -n refuses the command itself).
BASH_ONLY = [
    ("mysql -u asso_cron_main -p asso_cron_main <<< 'OPTIMIZE TABLE a'", "a here-string (<<<)", 43, None),
    ("php bin/sync.php |& tee -a ../log/sync.log", "|& (bash's pipe of output and errors)", 18, None),
    ("diff <(ls ../db) ../log/db-list.txt", "a process substitution <(...)", 6, None),
    ("files=(../db/*.sql) && php import.php", "an array =(...)", 7, None),
    (
        "php artisan schedule:run &> ../log/schedule.log",
        "&> (bash's output and errors to a file)",
        26,
        "echo ran &> out.log; wait; wc -c < out.log",
    ),
    ("php notify.php --subject $'Rappel\\tAG'", "$'...' (bash's quoting with escapes)", 26, "printf '%s' $'a\\tb'"),
    ("[[ -f ../priv/enabled ]] && php cron.php", "[[ (bash's test)", 1, "[[ -n x ]] && echo ran"),
    ("if [[ -f ../priv/enabled ]]; then php cron.php; fi", "[[ (bash's test)", 4, "if [[ -n x ]]; then echo ran; fi"),
    ("source ../priv/env && php cron.php", "source (bash's name of the . command)", 1, "source /dev/null && echo ran"),
    ("function run { php cron.php; }; run", "function NAME (bash's way to define a function)", 1, None),
    (
        'php import.php --file "${FILE/.sql/.csv}"',
        "a parameter expansion of bash's",
        24,
        'FILE=a.sql; echo "${FILE/.sql/.csv}"',
    ),
    (
        "php import.php --day ${TODAY:0:10}",
        "a parameter expansion of bash's",
        22,
        "TODAY=2026-11-28T03; echo ${TODAY:0:10}",
    ),
    ('php import.php --count "${#files[@]}"', "a parameter expansion of bash's", 25, "echo ${#x[@]}"),
    ("php cron.php >& ../log/cron.log", ">& FILE (bash's output and errors to a file)", 14, "echo ran >& out.log"),
    ("php cron.php >&../log/cron.log", ">& FILE", 14, "echo ran >&out.log"),
    # bash's arithmetic command: dash runs its text as a command, in two subshells
    ("i=0; ((i++)); php cron.php --run $i", "an arithmetic command ((...))", 6, "i=0; ((i++)); echo $i"),
    ("(( $(date +%H) > 3 )) && php late.php", "an arithmetic command", 1, "x=5; (( x > 3 )) && echo big"),
    (
        "while ((n < 3)); do php a.php; n=$((n + 1)); done",
        "an arithmetic command",
        7,
        "n=0; while ((n < 3)); do echo $n; n=$((n + 1)); done",
    ),
    ("f() ((n+=1)); f", "an arithmetic command", 5, "n=1; f() ((n+=1)); f; echo $n"),
    ("((!RUNS)) && php first-run.php", "an arithmetic command", 1, "RUNS=0; ((!RUNS)) && echo first"),  # !RUNS: a word
    ("(( $H$M > 2330 )) && php late.php", "an arithmetic command", 1, "H=23; M=45; (( $H$M > 2330 )) && echo late"),
    # [[ and source where dash reads a command's name, though no ; | & ( or reserved word is before them
    (
        "case $(date +%u) in 7) [[ -f ../priv/on ]] && php cron.php;; esac",
        "[[ (bash's test)",
        24,
        "case x in x) [[ -n x ]] && echo ran;; esac",
    ),
    ("LC_ALL=C source ../priv/env && php cron.php", "source", 10, "x=1 source /dev/null && echo ran"),
    (
        "case $(date +%u) in 7) source ../priv/env;; esac; php cron.php",
        "source (bash's name of the . command)",
        24,
        "case x in x) source /dev/null && echo ran;; esac",
    ),
    (">/dev/null source ../priv/env && php cron.php", "source", 12, ">/dev/null source /dev/null && echo ran"),
    # a file read by $(< FILE), bash's; dash runs the redirection alone and gives nothing
    ('php notify.php --token "$(< ../priv/token)"', "$(< FILE)", 25, 'echo "[$(< /etc/hostname)]"'),
    ("TOKEN=$(<../priv/token) php notify.php", "$(< FILE)", 7, "echo $(</etc/hostname)x"),
    ('php a.php $( < "$HOME/.token" )', "$(< FILE)", 11, 'echo $( < "/etc/hostname" )x'),
    # bash's text translated by the locale; dash keeps the $
    ('echo $"Sauvegarde faite" >> ../log/x.log', '$"..."', 6, 'echo $"done"'),
    ("php notify.php --token `< ../priv/token`", "$(< FILE)", 24, 'echo "[`< /etc/hostname`]"'),
]


@pytest.mark.parametrize(("command", "what", "at", "probe"), BASH_ONLY)
def test_a_command_of_bash_that_dash_reads_otherwise_is_refused(
    tmp_path: Path, command: str, what: str, at: int, probe: str | None
) -> None:
    """Run as the runner runs it (sh -c, dash in the containers), each fails or does something else (with &>,
    the job goes to the background, past its time limit, and the log is emptied); bash runs it as written.
    pic check names it, where it is, and says what to do."""
    dash, bash = require_program("dash"), require_program("bash")
    if probe is None:
        refused = subprocess.run([dash, "-n", "-c", command], capture_output=True, text=True, check=False)
        assert refused.returncode == 2 and "Syntax error" in refused.stderr, refused
        assert subprocess.run([bash, "-n", "-c", command], check=False).returncode == 0
    else:
        runs = [
            subprocess.run([sh, "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path)
            for sh in (dash, bash)
        ]
        assert (runs[0].returncode, runs[0].stdout) != (runs[1].returncode, runs[1].stdout), runs
        assert runs[1].returncode == 0, runs[1]
    [words] = [w for w in cron._BASH_ONLY.values() if w.startswith(what)]
    assert cron.bash_only(command) == (words, at)
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {what}" in line and "dash in the site's container" in line, line


# bash's builtins and keywords that dash, the containers' sh, has not, as a command's name: dash does not find the
# command (exit 127) and the job goes on without what it was to do; with what shows it, run by both.
BASH_BUILTINS = [
    ("let n=n+1; php cron.php --run $n", "let", 1, "n=1; let n=n+1; echo $n"),
    ("declare -x APP_ENV=prod && php artisan schedule:run", "declare", 1, "declare -x X=1 && echo ran"),
    ("typeset -i n=3; php a.php", "typeset", 1, "typeset -i n=3 && echo $n"),
    (
        "shopt -s nullglob; for f in ../db/*.sql; do php import.php $f; done",
        "shopt",
        1,
        "shopt -s nullglob && echo ran",
    ),
    ("pushd ../priv && php sync.php && popd", "pushd", 1, "pushd / >/dev/null && echo ran"),
    ("cd ../db && php dump.php; popd", "popd", 27, "pushd / >/dev/null; popd >/dev/null && echo ran"),
    ("ls ../db | mapfile -t dumps; php clean.php", "mapfile", 12, "mapfile -t x < /dev/null && echo ran"),
    ("readarray -t ids < ../priv/ids; php a.php", "readarray", 1, "readarray -t x < /dev/null && echo ran"),
    ("coproc php worker.php", "coproc", 1, "coproc true && echo ran"),
    ("php worker.php & disown", "disown", 18, "sleep 1 >/dev/null 2>&1 & disown && echo ran"),
    ("if true; then builtin cd ../www; fi; php a.php", "builtin", 15, "builtin cd / && echo ran"),
    ("LC_ALL=C declare x=1; php a.php", "declare", 10, "x=1 declare y=2 && echo ran"),
]


@pytest.mark.parametrize(("command", "name", "at", "probe"), BASH_BUILTINS)
def test_a_builtin_of_bash_that_dash_has_not_is_refused(
    tmp_path: Path, command: str, name: str, at: int, probe: str
) -> None:
    """dash does not find the command (not found, exit 127) where bash runs it: pic check names it, where it
    is, and says what to do, as for [[ and source."""
    dash, bash = require_program("dash"), require_program("bash")
    runs = [
        subprocess.run([sh, "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path)
        for sh in (dash, bash)
    ]
    assert f"{name}: not found" in runs[0].stderr, runs[0]
    assert runs[1].returncode == 0 and runs[1].stdout and not runs[1].stderr, runs[1]
    assert (runs[0].returncode, runs[0].stdout) != (runs[1].returncode, runs[1].stdout), runs
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith(f"{name} (a builtin of bash's)"), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {name} (a builtin of bash's)" in line and "dash in the site's container" in line


def test_time_before_a_command_is_refused_as_the_containers_have_no_time_program(tmp_path: Path) -> None:
    """time is a keyword of bash's; dash looks for a program of that name, /usr/bin/time, which the runtime
    images do not have (debootstrap's minbase, then no package named time): the command after it never runs."""
    dash, bash = require_program("dash"), require_program("bash")
    _images_have_no_time_program()
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {"PATH": str(empty)}
    runs = [
        subprocess.run([sh, "-c", "time echo ran"], capture_output=True, text=True, env=env, check=False)
        for sh in (dash, bash)
    ]
    assert runs[0].returncode == 127 and "time: not found" in runs[0].stderr, runs[0]
    assert runs[1].returncode == 0 and runs[1].stdout == "ran\n", runs[1]
    command = "time php wp-cron.php"
    found = cron.bash_only(command)
    assert found is not None and found[1] == 1 and found[0].startswith("time (a builtin of bash's)"), found
    assert "holds at character 1 time (a builtin of bash's)" in _command_error(tmp_path, command)


def _images_have_no_time_program(package: str = "time") -> None:
    """The runtime images install no ``package`` (debootstrap's minbase has none of time and sudo): no program of
    its name."""
    settings = check(ROOT, "prod", MEMBERS, ON).settings
    for key in settings.runtimes:
        installs = re.findall(r"apt-get install [^;&|]*", web.php_image(settings, key).dockerfile)
        assert installs and not any(re.search(rf"(?<![\w.+-]){package}(?![\w.+-])", i) for i in installs), key


@pytest.mark.parametrize(
    ("command", "written", "at", "words"),
    [
        ("sudo -u www-data php wp-cron.php", "sudo", 1, "sudo, a program the runtime images do not have"),
        ("cd . && sudo php wp-cron.php", "sudo", 9, "sudo, a program the runtime images do not have"),
        ("nice -n 5 /usr/bin/sudo php wp-cron.php", "/usr/bin/sudo", 11, "after nice, which runs a program"),
        ("flock ../run/lock sudo -E php wp-cron.php", "sudo", 19, "after flock, which runs a program"),
        ("xargs -n 1 doas php wp-cron.php", "doas", 12, "after xargs, which runs a program"),
    ],
)
def test_sudo_is_refused_as_the_images_have_none(
    tmp_path: Path, command: str, written: str, at: int, words: str
) -> None:
    """sudo -u www-data php a.php was taken, though the runtime images have no sudo (nor doas): dash, or the command
    running it, does not find it (exit 127, flock's 69) and the job's work is never done; it is refused at its
    name, with the status the job ends with."""
    _images_have_no_time_program("sudo")
    _images_have_no_time_program("doas")
    ran = _dash_with_runners(tmp_path, command.replace("php wp-cron.php", "echo ran").replace("../run/", ""))
    assert "ran" not in ran.stdout.split(), ran
    found = re.search(
        r"\b(?:sudo|doas): not found|(?:execute |')(?:/usr/bin/)?sudo'?: No such|xargs: doas: No such", ran.stderr
    )
    assert found is not None, ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {written}" in line and words in line and "not found (exit" in line, line
    if "&&" not in command:
        assert f"not found (exit {ran.returncode})" in line, line


def test_a_function_named_sudo_is_taken(tmp_path: Path) -> None:
    command = 'sudo() { "$@"; }; sudo echo ran'
    ran = _dash_with_runners(tmp_path, command)
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran
    _dash_reads_and_pic_takes(command)


# The programs of the runtime images that run the command their words give (coreutils', util-linux's), without time.
RUNNERS = (
    *("env", "nice", "nohup", "timeout", "setsid", "stdbuf", "ionice", "flock", "chrt", "taskset", "xargs"),
    *("echo", "true"),
)


def _dash_with_runners(tmp_path: Path, command: str) -> subprocess.CompletedProcess[str]:
    """``command`` run by dash with a PATH of :data:`RUNNERS` alone, as in a runtime image (no program time)."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    for name in RUNNERS:
        if not (folder / name).exists():
            (folder / name).symlink_to(require_program(name))
    env = {"PATH": str(folder)}
    return subprocess.run(
        [require_program("dash"), "-c", command],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,  # xargs reads it
    )


# A name of bash's after a command that runs the command its words give, or as a path: dash, or the command it runs,
# looks for a program of that name (never a function), which the runtime images do not have; with the name, its
# place and the words of pic check.
WRAPPED = [
    ("command time php wp-cron.php", "time", 9, "after command"),
    ("exec time php wp-cron.php", "time", 6, "after exec"),
    ("exec 2>&1 let n=1", "let", 11, "after exec"),
    ("env time php wp-cron.php", "time", 5, "after env"),
    ("env -i -u LANG APP_ENV=prod let n=1", "let", 29, "after env"),
    ("nice -n 10 time php wp-cron.php", "time", 12, "after nice"),
    ("nice -5 nohup time php wp-cron.php", "time", 15, "after nohup"),
    ("timeout -s KILL 5m time php wp-cron.php", "time", 20, "after timeout"),
    ("setsid -w stdbuf -oL time php wp-cron.php", "time", 22, "after stdbuf"),
    ("ionice -c3 declare -x X=1", "declare", 12, "after ionice"),
    ("command source ../priv/env", "source", 9, "after command"),
    ("help() { echo hi; }; command help", "help", 30, "(never a function)"),
    ("help() { echo hi; }; exec help", "help", 27, "(never a function)"),
    # util-linux's flock, chrt and taskset, findutils' xargs: their options, then the operand before the command
    ("flock ../run/lock time php wp-cron.php", "time", 19, "after flock"),
    ("flock -n -w 5 -E 0 --verbose ../run/lock time php wp-cron.php", "time", 42, "after flock"),
    ("timeout 60 flock -xn ../run/lock nice time php wp-cron.php", "time", 39, "after nice"),
    ("chrt -i 0 time php wp-cron.php", "time", 11, "after chrt"),
    ("chrt --idle 0 let n=1", "let", 15, "after chrt"),
    ("taskset -c 0 time php wp-cron.php", "time", 14, "after taskset"),
    ("taskset 1 nice -n 5 time php wp-cron.php", "time", 21, "after nice"),
    ("xargs time php wp-cron.php", "time", 7, "after xargs"),
    ("xargs -0 -n 1 -P 2 -d , time php wp-cron.php", "time", 25, "after xargs"),
    ("xargs -l -e --eof time php wp-cron.php", "time", 19, "after xargs"),
    # env's signal options (coreutils 8.31 on), their value optional and glued (--block-signal=INT), and its list
    ("env --block-signal=INT time php wp-cron.php", "time", 24, "after env"),
    ("env --ignore-signal --default-signal=TERM --list-signal-handling let n=1", "let", 66, "after env"),
]


@pytest.mark.parametrize(("command", "name", "at", "words"), WRAPPED)
def test_a_name_of_bash_s_run_as_a_program_is_refused(
    tmp_path: Path, command: str, name: str, at: int, words: str
) -> None:
    """dash, or the program it runs, does not find the program (exit 127, flock's 69), whether a function of that
    name is defined or not: pic check names it, where it is, what runs it and the status it ends with."""
    ran = _dash_with_runners(tmp_path, command.replace("php wp-cron.php", "echo ran").replace("../run/", ""))
    assert ran.returncode in (127, 69) and "ran" not in ran.stdout.split(), ran
    assert re.search(
        rf"\b{name}: not found|'{name}': No such file|execute {name}: No such|xargs: {name}: No such",
        ran.stdout + ran.stderr,
    ), ran
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith(f"{name} (a "), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {name} (a " in line and words in line, line
    assert f"not found (exit {ran.returncode})" in line, line


@pytest.mark.parametrize(
    ("command", "written"),
    [
        ("/usr/bin/time php wp-cron.php", "/usr/bin/time"),
        ("nice -n 5 /usr/bin/time -v php wp-cron.php", "/usr/bin/time"),
        ("command -p time php wp-cron.php", "time"),  # -p: the default PATH, where the images have no time either
    ],
)
def test_a_time_program_is_refused_as_the_images_have_none(tmp_path: Path, command: str, written: str) -> None:
    """The runtime images have no program time, at /usr/bin or elsewhere: the command after it never runs."""
    _images_have_no_time_program()
    found = cron.bash_only(command)
    at = command.index(written, 1 if written == "time" else 0) + 1
    assert found is not None and found[1] == at and found[0].startswith(written), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {written}" in line and "the runtime images do not have" in line, line


# Each defines a function named as a builtin of bash's that dash has not, and calls it where dash runs the function
# (after its definition, or from another function called after it): dash runs it; with what it prints.
FUNCTIONS_NAMED_AS_BASH_S = [
    ("help() { echo hi; }; help", "hi\n"),
    ('time() { "$@"; }; time echo ran', "ran\n"),
    ('let() { echo "$1"; }; let n=1', "n=1\n"),
    ('source() { . "$1"; }; source /dev/null && echo ran', "ran\n"),
    ("f() { history; }; history() { echo ran; }; f", "ran\n"),
    ("if true; then declare() { echo ran; }; fi; declare", "ran\n"),
]


@pytest.mark.parametrize(("command", "output"), FUNCTIONS_NAMED_AS_BASH_S)
def test_a_function_named_as_a_builtin_of_bash_s_is_taken(tmp_path: Path, command: str, output: str) -> None:
    ran = _dash_with_runners(tmp_path, command)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, output, ""), ran
    assert cron.bash_only(command) is None
    _dash_reads_and_pic_takes(command)


def test_a_builtin_of_bash_s_called_before_a_function_of_its_name_is_refused(tmp_path: Path) -> None:
    """dash defines the function when it reaches it: the call before is not found."""
    command = "help; help() { echo hi; }"
    ran = _dash_with_runners(tmp_path, command)
    assert ran.returncode == 0 and "help: not found" in ran.stderr and not ran.stdout, ran
    assert "holds at character 1 help (a builtin of bash's)" in _command_error(tmp_path, command)


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("command -v time || echo none", "none\n"),  # -v: a look-up, nothing run
        ("command -V let >/dev/null || echo none", "none\n"),
        ("env -S 'echo ran'", "ran\n"),  # -S: the words are split by env, not read here
        ("nice -n 5 echo time", "time\n"),  # time as an argument
        ("env X=let echo declare", "declare\n"),
        ("timeout 5 echo let", "let\n"),
        ("exec echo ran", "ran\n"),
        # an option's value, or the operand before the command, is no command's name
        ("flock -w 5 -E 3 lock echo let", "let\n"),
        ("chrt --batch 0 echo time", "time\n"),
        ("taskset -c 0 echo time", "time\n"),
        ("xargs -0 -r -t echo time; xargs -i -I let echo time; xargs --replace -e echo time", ""),
        ("xargs -L 1 -s 100 echo time", "time\n"),
        ("xargs -n1 -- echo time", "time\n"),
        ("env --block-signal echo time", "time\n"),  # the value optional: the next word is the command
        # --max-lines takes its value glued alone (--max-lines=1), as -l: the next word is the command
        ("xargs --max-lines echo time", "time\n"),
        ("xargs --max-lines echo cd", "cd\n"),
    ],
)
def test_a_command_run_by_another_that_is_found_is_taken(tmp_path: Path, command: str, output: str) -> None:
    ran = _dash_with_runners(tmp_path, command)
    assert (ran.returncode, ran.stdout) == (0, output), ran
    assert cron.bash_only(command) is None
    _dash_reads_and_pic_takes(command)


# Each uses dash's test, echo, set, read, printf or trap as bash's is used, with what shows it (run by both: dash's
# output or status differs), the word told, its place and what pic check says of it.
TEST_AND_ECHO = [
    ('[ "$(date +%u)" == 7 ] && php weekly.php', "== in [", 17, '[ "$D" == 7 ] && echo ran'),
    ('if test "$ENV" == prod; then php cron.php; fi', "== in test", 16, 'if test "$D" == 7; then echo ran; fi'),
    ("[ ! -f ../priv/off ] && [ $D == 7 ] && php a.php", "== in [", 30, "[ ! -f off ] && [ $D == 7 ] && echo ran"),
    # == after a word of a dash, that word an operand (dash's test takes -7 as no operator, then stops at ==)
    ('[ -7 == "-$(date +%u)" ] && php weekly.php', "== in [", 6, '[ -7 == "-$D" ] && echo ran'),
    ("[ -v APP_ENV ] || php a.php", "-v in [", 3, "[ -v D ] && echo ran"),
    ("if test ! -v APP_ENV; then php a.php; fi", "-v in test", 11, "test ! -v E && echo ran"),
    ('echo -e "done\\t$(date)" >> ../log/cron.log', "echo -e", 6, 'echo -e "a\\tb"'),
    ('echo -n -e "x" > ../run/flag', "echo -e", 9, 'echo -n -e "x"'),
    ("echo -ne ok > ../run/flag", "echo -ne", 6, "echo -ne ok"),
    ('echo -E "C:\\temp" > ../log/path', "echo -E", 6, 'echo -E "C:\\temp"'),
    # set's options of bash's: dash stops the whole job (set: Illegal option, exit 2), set being a special builtin
    ("set -euo pipefail; php cron.php | tee ../log/cron.log", "set -o pipefail", 10, "set -euo pipefail; echo ran"),
    ("set -o pipefail && php a.php | gzip > ../log/a.gz", "set -o pipefail", 8, "set -o pipefail; echo ran"),
    ("set -eH; php a.php", "set -H", 5, "set -eH; echo ran"),
    # read's and printf's options and trap's conditions of bash's: dash refuses the command, and goes on
    ("read -a ids < ../priv/ids; php a.php", "read -a", 6, 'echo a b | { read -a x; echo "[$x]"; }'),
    ("read -r -t 30 line < ../run/fifo", "read -t", 9, 'echo a | { read -r -t 5 x; echo "[$x]"; }'),
    ('printf -v DAY %s "$(date +%F)"; php a.php --day $DAY', "printf -v", 8, 'printf -v x %s a; echo "[$x]"'),
    ('trap "rm -f ../run/lock" ERR; php a.php', "trap ... ERR", 26, 'trap "echo trapped" ERR; false; echo end'),
    ("php a.php & php b.php & wait -n", "wait -n", 30, "sleep 0 & wait -n; echo $?"),
    # export's and readonly's options of bash's: dash stops the whole job there (special builtins)
    ("export -n APP_ENV; php a.php", "export -n", 8, "export -n X; echo ran"),
    ("readonly -a DAYS; php a.php", "readonly -a", 10, "readonly -a x; echo ran"),
]


@pytest.mark.parametrize(("command", "what", "at", "probe"), TEST_AND_ECHO)
def test_builtins_used_as_bash_s_are_refused(tmp_path: Path, command: str, what: str, at: int, probe: str) -> None:
    """dash's test stops at == (unexpected operator, exit 2), dash's echo prints bash's options as text, dash's set
    stops the whole job at bash's options, dash's read, printf and trap refuse bash's: pic check names it, where it
    is, and what to write."""
    runs = [
        subprocess.run([require_program(sh), "-c", probe], capture_output=True, text=True, env={"D": "7"}, check=False)
        for sh in ("dash", "bash")
    ]
    assert (runs[0].returncode, runs[0].stdout) != (runs[1].returncode, runs[1].stdout), runs
    assert runs[1].returncode == 0 and not runs[1].stderr, runs[1]
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith(what), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {what}" in line and "dash, the containers' sh" in line, line
    told = {
        "-v": "${NAME+set}",
        "==": "write =",
        "echo": "printf",
        "set": "drop it",
        "read": "Illegal option",
        "printf": "Illegal option",
        "wait": "Illegal option",
        "export": "the whole job stops",
        "readonly": "the whole job stops",
    }
    assert told.get(what.partition(" ")[0], "trap it on EXIT") in line, line


# trap given bash's forms that dash's refuses: a signal named with SIG (bad trap: the action never set for it) and an
# option (Illegal option: trap, a special builtin, stops the whole job); with the word told, its place and the hint
TRAP_FORMS = [
    ('trap "rm -f ../run/lock" EXIT SIGTERM; php a.php', "trap ... SIGTERM", 31, "write TERM"),
    ("trap - sigint; php a.php", "trap ... sigint", 8, "write INT"),
    ("trap -p > ../log/traps; php a.php", "trap -p", 6, "the whole job stops there"),
]


@pytest.mark.parametrize(("command", "what", "at", "told"), TRAP_FORMS)
def test_trap_given_bash_s_forms_is_refused(tmp_path: Path, command: str, what: str, at: int, told: str) -> None:
    """trap "..." EXIT SIGTERM was taken, though dash's trap knows signals without SIG alone (bad trap: TERM never
    trapped), and trap -p though dash's has no option (Illegal option, the whole job stopping there): each is
    refused at its word, with what to write."""
    word = what.rpartition(" ")[2]
    probe = f"trap {word}; echo end" if word.startswith("-") else f"trap 'echo t' {word}; echo end"
    runs = [
        subprocess.run([require_program(sh), "-c", probe], capture_output=True, text=True, check=False)
        for sh in ("dash", "bash")
    ]
    assert runs[0].returncode != 0 or runs[0].stderr, runs[0]
    assert runs[1].returncode == 0 and not runs[1].stderr, runs[1]
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith(what), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {what}" in line and told in line, line


# kill given bash's forms that dash's builtin refuses (kill: Illegal option or invalid signal, exit 2: no signal sent)
KILL_FORMS = [
    ("kill -SIGTERM $(cat ../run/worker.pid)", "kill -SIGTERM", 6, "write -TERM"),
    ("kill -s SIGHUP $(cat ../run/worker.pid)", "kill -s SIGHUP", 9, "write HUP"),
    ("kill -n 15 $(cat ../run/worker.pid)", "kill -n", 6, "the command is refused when it runs"),
    ("kill -9 -- $(cat ../run/worker.pid)", "-- after kill -9", 9, "write kill -9 PID, without --"),
    ("kill -TERM -- $(cat ../run/worker.pid)", "-- after kill -TERM", 12, "without --"),
]


@pytest.mark.parametrize(("command", "at"), [("kill -l TERM > ../run/signal", 9), ("kill -l -- SIGHUP", 12)])
def test_kill_l_given_a_signal_s_name_is_refused(tmp_path: Path, command: str, at: int) -> None:
    """kill -l TERM (bash's kill gives the signal's number) was taken, though the kill of dash, the containers' sh,
    reads a number there alone (Illegal number, exit 2: nothing printed); it is refused at the name."""
    probe = f"{command.partition(' >')[0]} && echo ran"
    runs = [
        subprocess.run([require_program(sh), "-c", probe], capture_output=True, text=True, check=False, timeout=30)
        for sh in ("dash", "bash")
    ]
    assert runs[0].returncode == 2 and "Illegal number" in runs[0].stderr, runs[0]
    assert runs[1].returncode == 0 and runs[1].stdout.endswith("ran\n"), runs[1]
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith("kill -l "), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} kill -l " in line and "kill -l NUMBER" in line, line


@pytest.mark.parametrize(("command", "what", "at", "told"), KILL_FORMS)
def test_kill_given_bash_s_forms_is_refused(tmp_path: Path, command: str, what: str, at: int, told: str) -> None:
    """kill -SIGTERM PID, kill -s SIGHUP PID and kill -n 15 PID were taken, though the kill of dash, the containers'
    sh, knows a signal by its name alone and has no -n: it sends nothing (exit 2); each is refused at its word."""
    probe = f"sleep 5 & {command.partition(' $(')[0]} $! && echo ran"
    runs = [
        subprocess.run([require_program(sh), "-c", probe], capture_output=True, text=True, check=False, timeout=30)
        for sh in ("dash", "bash")
    ]
    assert runs[0].returncode != 0 and runs[0].stdout == "", runs[0]
    assert (runs[1].returncode, runs[1].stdout) == (0, "ran\n"), runs[1]
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith(what), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {what}" in line and told in line, line


@pytest.mark.parametrize(
    "command",
    [
        "sleep 5 & kill -TERM $!",
        "sleep 5 & kill -s term -- $!",
        "sleep 5 & kill -9 $!",
        "sleep 5 & kill -- $!",
        "kill -l > /dev/null",
        "kill -l 15 TERM > /dev/null",
        "kill -l -- 143 > /dev/null",
    ],
)
def test_kill_given_dash_s_forms_is_taken(command: str) -> None:
    ran = subprocess.run([require_program("dash"), "-c", command], capture_output=True, text=True, check=False)
    assert (ran.returncode, ran.stderr) == (0, ""), ran
    assert cron.bash_only(command) is None
    _dash_reads_and_pic_takes(command)


@pytest.mark.parametrize(
    ("command", "at", "directive"),
    [
        ("printf '%(%F)T\\n' -1 >> ../log/cron.log && php a.php", 8, "%(%F)T"),
        ('printf -- "run %q\\n" "$1" >> ../log/cron.log', 11, "%q"),
        ("printf '%s %-8Q' a b > ../run/last", 8, "%-8Q"),
    ],
)
def test_printf_given_bash_s_directives_is_refused(tmp_path: Path, command: str, at: int, directive: str) -> None:
    """printf '%(%F)T' -1 and printf '%q' were taken, though the printf of dash, the containers' sh, refuses them
    (invalid directive, exit 2): nothing printed, the job going on without it; each is refused at its format."""
    probe = f"printf '{directive}' {'-1' if 'T' in directive else 'x'} && echo ran"
    runs = [
        subprocess.run([require_program(sh), "-c", probe], capture_output=True, text=True, check=False)
        for sh in ("dash", "bash")
    ]
    assert runs[0].returncode != 0 and "invalid directive" in runs[0].stderr, runs[0]
    assert runs[1].returncode == 0 and runs[1].stdout.endswith("ran\n"), runs[1]
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith(f"printf {directive}"), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} printf {directive}" in line and "date +%F" in line, line


@pytest.mark.parametrize(
    ("command", "at", "directive", "meant"),
    [
        ("printf '%ld\\n' $(date +%s) > ../run/now", 8, "%ld", "%d"),
        ('printf "%s %-8zu|" a 5 >> ../log/cron.log', 8, "%-8zu", "%-8u"),
        ("printf '%lld %hhx' 1 2", 8, "%lld", "%d"),
    ],
)
def test_printf_given_a_length_modifier_is_refused(
    tmp_path: Path, command: str, at: int, directive: str, meant: str
) -> None:
    """printf '%ld' was taken, though the printf of dash, the containers' sh, has no length modifier (invalid
    directive, exit 2: nothing printed), where bash's reads %ld as %d; it is refused at its format, the directive
    without the length offered."""
    probe = f"printf '{directive}' 5 && echo ran"
    runs = [
        subprocess.run([require_program(sh), "-c", probe], capture_output=True, text=True, check=False)
        for sh in ("dash", "bash")
    ]
    assert runs[0].returncode != 0 and "invalid directive" in runs[0].stderr, runs[0]
    assert runs[1].returncode == 0 and runs[1].stdout.endswith("ran\n"), runs[1]
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith(f"printf {directive}"), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} printf {directive}" in line and f"write {meant}" in line, line


@pytest.mark.parametrize("command", ["printf '%%q %s %5.2f %b\\n' a 1 x", "printf -- '%-8s|%x\\n' a 255"])
def test_printf_given_dash_s_directives_is_taken(command: str) -> None:
    ran = subprocess.run([require_program("dash"), "-c", command], capture_output=True, text=True, check=False)
    assert ran.returncode == 0 and not ran.stderr, ran
    assert cron.bash_only(command) is None
    _dash_reads_and_pic_takes(command)


@pytest.mark.parametrize(
    ("command", "what", "at", "probe"),
    [
        ("exec -a cron-worker php worker.php", "exec -a", 6, "exec -a x echo ran"),
        ("exec -- php worker.php", "exec --", 6, "exec -- echo ran"),
        ("run() { local -r dir=../data; php a.php $dir; }; run", "local -r", 15, "f() { local -r x=1; }; f; echo ran"),
        ("run() { local -- d=../data; php a.php $d; }; run", "local --", 15, "f() { local -- x=1; }; f; echo ran"),
        # dash's eval reads no option either: it runs a command named -- (not found), never the script
        ("eval -- 'php a.php'", "eval --", 6, "eval -- 'echo ran'"),
        ('eval -- "$(cat ../priv/job)"', "eval --", 6, 'eval -- "$(echo echo ran)"'),
        # after command, which runs dash's builtins as written alone (command eval -- x was taken)
        ("command eval -- php a.php", "eval --", 14, "command eval -- 'echo ran'"),
        ("command -p exec -a w php a.php", "exec -a", 17, "command -p exec -a x echo ran"),
    ],
)
def test_exec_or_local_given_an_option_is_refused(tmp_path: Path, command: str, what: str, at: int, probe: str) -> None:
    """exec -a NAME PROGRAM and local -r NAME were taken, though dash's exec and local have no option, -- included:
    exec runs a program named -a (not found, exit 127), local stops the whole job (bad variable name); each is
    refused at its option."""
    runs = [
        subprocess.run([require_program(sh), "-c", probe], capture_output=True, text=True, check=False)
        for sh in ("dash", "bash")
    ]
    assert runs[0].returncode != 0 and runs[0].stdout == "", runs[0]
    assert (runs[1].returncode, runs[1].stdout) == (0, "ran\n"), runs[1]
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith(what), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {what}" in line and f"write {what.partition(' ')[0]}" in line, line


@pytest.mark.parametrize("command", ["exec echo ran", "f() { local - x=1 y; y=ran; echo $y; }; f"])
def test_exec_or_local_as_dash_reads_them_is_taken(command: str) -> None:
    ran = subprocess.run([require_program("dash"), "-c", command], capture_output=True, text=True, check=False)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "ran\n", ""), ran
    assert cron.bash_only(command) is None
    _dash_reads_and_pic_takes(command)


@pytest.mark.parametrize(
    "command", ["trap 'echo ran' TERM INT EXIT", "trap -- 'echo ran' term EXIT", "trap 'echo ran' 0 RTMIN 15"]
)
def test_trap_on_signals_named_as_dash_names_them_is_taken(command: str) -> None:
    ran = subprocess.run([require_program("dash"), "-c", command], capture_output=True, text=True, check=False)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "ran\n", ""), ran
    assert cron.bash_only(command) is None
    _dash_reads_and_pic_takes(command)


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ('[ "$D" = 7 ] && echo ran', "ran\n"),
        ("[ == = == ] && echo ran", "ran\n"),  # == as an operand
        ('[ -v ] && [ "$D" != -v ] && echo ran', "ran\n"),  # -v as a string
        ("test -n == && echo ran", "ran\n"),
        ("[ -n == ] && [ -z == -o -n x ] && echo ran", "ran\n"),  # == as the operand of -n, of -z
        ('[ -v != "$D" ] && [ ! -v = x ] && echo ran', "ran\n"),  # -v as the left operand of a binary test
        # -v as a string after ! or before -a, -o, ) in [, as it is in test
        ("[ ! -v ] || [ -v -a -v ] && [ \\( -v \\) ] && [ x = x -o ! -v ] && echo ran", "ran\n"),
        ("[ -v -o -v ] && [ -v -a \\( -v \\) ] && echo ran", "ran\n"),
        ("echo -n ran", "ran"),  # dash's echo takes -n first
        ("echo ran -e", "ran -e\n"),
        ("printf '%s\\n' -e", "-e\n"),
        ("echo 'a == b'", "a == b\n"),
        ("set -eu -o errexit -o noglob; echo ran", "ran\n"),  # dash's set's options
        ("set -- -o pipefail; echo ran $2", "ran pipefail\n"),  # the positional parameters
        ('echo a b | { read -r -p "" x y; echo "$y"; }', "b\n"),  # dash's read's options
        ("printf -- '%s\\n' -v", "-v\n"),
        ("export -p > /dev/null && export X=1 && readonly -p > /dev/null && echo ran", "ran\n"),
        ("trap 'echo ran' EXIT INT TERM", "ran\n"),
    ],
)
def test_builtins_used_as_dash_s_are_taken(tmp_path: Path, command: str, output: str) -> None:
    ran = subprocess.run(
        [require_program("dash"), "-c", command], capture_output=True, text=True, env={"D": "7"}, check=False
    )
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, output, ""), ran
    assert cron.bash_only(command) is None
    _dash_reads_and_pic_takes(command)


# Each holds a word bash's brace expansion makes several of, which dash, the containers' sh, passes as written; with
# the word, its place and the words written out.
BRACE_WORDS = [
    ("rm -f ../log/{a,b}.log", "../log/{a,b}.log", 7, "../log/a.log ../log/b.log"),
    ("for n in {1..3}; do php a.php --n $n; done", "{1..3}", 10, "1 2 3"),
    (
        "gzip -f ../log/access.log.{1..3}",
        "../log/access.log.{1..3}",
        9,
        "../log/access.log.1 ../log/access.log.2 ../log/access.log.3",
    ),
    ("cp ../priv/config.php{,.bak}", "../priv/config.php{,.bak}", 4, "../priv/config.php ../priv/config.php.bak"),
    ("mkdir -p ../priv/{cache,tmp}/s", "../priv/{cache,tmp}/s", 10, "../priv/cache/s ../priv/tmp/s"),
    ('php a.php --day "$D"{01..03}', '"$D"{01..03}', 17, '"$D"01 "$D"02 "$D"03'),
    ("echo `ls ../db/{a,b}.sql`", "../db/{a,b}.sql", 10, "../db/a.sql ../db/b.sql"),
    ("php a.php $(printf %s {x,y})", "{x,y}", 23, "x y"),
    ("f() { rm {a,{b,c}}.tmp; }; f", "{a,{b,c}}.tmp", 10, "a.tmp b.tmp c.tmp"),
    ("{ echo {a..e..2}; }", "{a..e..2}", 8, "a c e"),
]


@pytest.mark.parametrize(("command", "word", "at", "written"), BRACE_WORDS)
def test_a_word_bash_expands_braces_of_is_refused_with_each_word_written_out(
    tmp_path: Path, command: str, word: str, at: int, written: str
) -> None:
    """dash gives the word as written, one word; bash gives the words written out: pic check names the word, its
    place, and the words to write instead."""
    dash, bash = require_program("dash"), require_program("bash")
    env = {"D": "2026-11-"}

    def printed(sh: list[str], words: str) -> list[str]:
        ran = subprocess.run(
            [*sh, "-c", f"printf '%s\\n' {words}"], capture_output=True, text=True, env=env, check=True
        )
        return ran.stdout.splitlines()

    # dash prints the word as bash with no brace expansion (+B) does: one word, its braces in it
    assert printed([dash], word) == printed([bash, "+B"], word) and len(printed([dash], word)) == 1, word
    assert printed([bash], word) == printed([dash], written) and len(printed([bash], word)) > 1, word
    assert command[at - 1 :].startswith(word) or "`" in command, command
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} the word {word}, which bash's brace expansion makes" in line, line
    assert f"write each word out ({written})" in line and "dash, the containers' sh, has none" in line, line


@pytest.mark.parametrize(
    ("command", "file", "at"),
    [
        ("php cron.php > ../log/{out,err}.log", "../log/{out,err}.log", 16),
        ("php cron.php 2>>../log/cron.{1..2}.log", "../log/cron.{1..2}.log", 17),
    ],
)
def test_a_redirection_s_file_bash_expands_braces_of_is_refused(
    tmp_path: Path, command: str, file: str, at: int
) -> None:
    """bash refuses the command (ambiguous redirect); dash writes to a file named with the braces."""
    probe = command.replace("php cron.php", "echo ran").replace("../log/", "")
    dash = subprocess.run(
        [require_program("dash"), "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    bash = subprocess.run(
        [require_program("bash"), "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert dash.returncode == 0 and (tmp_path / file.removeprefix("../log/")).exists(), dash
    assert bash.returncode == 1 and "ambiguous redirect" in bash.stderr, bash
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} the file {file} of a redirection" in line and "ambiguous redirect" in line, line


@pytest.mark.parametrize(
    "command",
    [
        "rm -f '../log/{a,b}.log' \"../log/{c,d}.log\" ../log/\\{e,f}.log ../log/{g\\,h}.log",  # quoted braces
        'cp ../priv/app.ini "${HOME}/backup-${D}.ini"',  # ${...}
        "{ php a.php; php b.php; } > ../log/ab.log",  # a group
        "find ../tmp -name '*.tmp' -mtime +7 -exec rm {} \\;",  # find's {}
        "find ../tmp -type f -exec sh -c 'gzip \"$1\"' sh {} +",
        "awk '{ s += $1 } END { print s }' ../log/sizes.txt > ../log/total.txt",  # awk's program in quotes
        "sed -i 's/{a,b}/x/; s/[0-9]\\{2,3\\}//' ../priv/list.txt",  # sed's in quotes
        "x={a,b} php a.php",  # an assignment: bash expands no brace there
        "echo {a} {} {1..a} {aa..c} {!..#} a{b,c",  # no brace expansion of bash's
        "case $D in {a,b}) php a.php;; esac",  # a pattern: none either
    ],
)
def test_braces_bash_does_not_expand_are_taken(command: str) -> None:
    """bash and dash run each alike as far as braces go (printed the same); dash reads it and pic check takes it."""
    probe = command.split(" ", 1)[1] if command.startswith("echo ") else None
    if probe is not None:
        runs = [
            subprocess.run(
                [require_program(sh), "-c", f"printf '%s\\n' {probe}"], capture_output=True, text=True, check=False
            )
            for sh in ("dash", "bash")
        ]
        assert runs[0].stdout == runs[1].stdout and runs[0].returncode == 0, runs
    _dash_reads_and_pic_takes(command)


def test_brace_expansion_is_bash_s_on_every_word_of_braces_commas_and_sequences() -> None:
    """Every ninth word of up to five pieces of braces, commas, dots, letters, digits, quotes and substitutions:
    the words shsyntax.brace_expansion makes, written out and printed by dash, are those bash prints; None exactly
    when bash prints the word as dash does."""
    dash, bash = require_program("dash"), require_program("bash")
    pieces = ["{", "}", ",", "..", "a", "1", "'", "$x", "\\{", '"x,"', "$(echo a,b)"]
    words = sorted({"".join(p) for n in range(1, 6) for p in itertools.product(pieces, repeat=n)})
    words = [w for w in words if w.count("'") % 2 == 0 and "{" in w][::9]
    script = "".join(f"printf '%s|' {w}; echo\n" for w in words)
    outputs = [
        subprocess.run([sh], input=script, capture_output=True, text=True, env={"x": "v"}, check=True).stdout
        for sh in (dash, bash)
    ]
    mine_script = ""
    for w in words:
        found = shsyntax.brace_expansion(w)
        mine_script += f"printf '%s|' {' '.join(found[0]) if found else w}; echo\n"
    mine = subprocess.run([dash], input=mine_script, capture_output=True, text=True, env={"x": "v"}, check=True)
    for w, d, b, m in zip(words, *(o.splitlines() for o in (*outputs, mine.stdout)), strict=True):
        assert m == b, (w, m, b)
        assert (shsyntax.brace_expansion(w) is None) == (d == b), (w, d, b)


@pytest.mark.parametrize(
    "command",
    [
        "php x.php 2>&1 >> ../log/x.log",  # POSIX redirections
        "php x.php > ../log/x.log 2>&1 && echo [[ done ]]",  # [[ as an argument
        "echo '<<< &> |& <(x) ${X:1}' \"$'x\" ${X:-1} ${#X} ${X%.sql} ${X:=a}",  # quoted, or POSIX's
        "bash -c 'php x.php &> ../log/x.log; [[ -f y ]] && cat <<< \"${X/a/b}\"'",  # given to bash
        ". ../priv/env && echo source if [[ function x",  # POSIX's . command; the words as arguments
        "echo let declare shopt && php let.php --mode=declare",  # bash's builtins' names as arguments
        "php a.php; bash -c 'shopt -s nullglob; let n=1'",  # given to bash
        "run() { php cron.php --function f; }; run",  # POSIX's function definition
        "php queue.php & echo ${!} > ../run/queue.pid",  # ${!}: the special parameter !, as $! (not bash's ${!x})
        'php rappel.php "${MSG:-C\'est fait}"',  # a single quote in ${...} in double quotes is a character
        "php a.php &&>../log/b.log php b.php",  # && then a redirection, in dash as in bash (no &>)
        "sleep $(( (n=($(date +%s) % 7)) * 60 + (n<(3)) ))",  # parentheses of arithmetic: no array, no <(...)
        "x=$(((n + 1) * 2)) php cron.php",  # an arithmetic expansion, its parentheses first: no command
        'php a.php "$(cat < ../priv/token)" "$" \'$"x" $(< y)\'',  # a program reads it, or quoted
    ],
)
def test_a_command_of_posix_sh_is_taken(command: str) -> None:
    assert cron.bash_only(command) is None
    assert _member("asso-cron", [{"schedule": "daily", "command": command}]).spec.cron[0].command == command


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("( (cd .. && pwd) )", "/\n"),
        ("((cd .. && pwd))", "/\n"),
        ("((echo a) | tr a b)", "b\n"),
        ("((echo a) && (echo b))", "a\nb\n"),
        ("((true || echo no) && echo yes)", "yes\n"),
        ("((! false) && echo ran)", "ran\n"),
        ("((date -d @0 -u +%Y))", "1970\n"),
    ],
)
def test_nested_subshells_written_with_two_parentheses_are_taken(command: str, output: str) -> None:
    """dash runs each as written, two subshells (bash reads some as its arithmetic command): taken."""
    done = subprocess.run(
        [require_program("dash"), "-c", command], capture_output=True, text=True, cwd="/tmp", check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, output, ""), done
    assert cron.bash_only(command) is None
    _dash_reads_and_pic_takes(command)


# Each closes every quote and substitution, yet dash refuses it whole (a syntax error) at every run; with what
# pic check says of it.
SYNTAX_ERRORS = [
    ("php wp-cron.php &&", 'ends after "&&" at character 17, where sh expects a command', 'what "&&" wants'),
    ("php wp-cron.php |", 'ends after "|" at character 17, where sh expects a command', 'what "|" wants'),
    ("cd ~/www && && php cron.php", 'holds "&&" at character 13 where sh expects a command', "write it as sh"),
    ("; php cron.php", 'holds ";" at character 1 where sh expects a command', "write it as sh"),
    ("php a.php &; php b.php", 'holds ";" at character 12 where sh expects a command', "write it as sh"),
    ("php a.php ;; php b.php", 'holds ";;" at character 11, which goes with nothing open before it', "write it as sh"),
    ("php cron.php > ../log/cron.log 2>", 'ends after "2>" at character 32, where sh expects a file name', "2>"),
    ("php cron.php >>> ../log/cron.log", 'holds ">" at character 16 where sh expects a file name', "write it"),
    ("php cron.php >&1>../log/cron.log", 'holds "1>" at character 16 where sh expects a file name', "write it"),
    ("{ php a.php; php b.php }", 'ends where sh expects "}", the "}" at character 24 being an argument', "b.php; })"),
    ("if [ -f x ]; then php y.php fi", 'the "fi" at character 29 being an argument (the "if" at character 1', "; fi)"),
    ("if [ -f ../priv/on ]; then php cron.php", '"fi" (to go with the "if" at character 1)', "; fi)"),
    ("if [ -f ../priv/on ] then php cron.php; fi", 'holds "fi" at character 41 where sh expects "then"', "; then"),
    ("for f in ../log/*.log; do gzip $f", '"done" (to go with the "for" at character 1)', "; done)"),
    ("for f in ../log/*.log do gzip $f; done", 'holds "done" at character 35 where sh expects "do"', "; do"),
    ("while php queue.php; done", 'holds "done" at character 22 where sh expects "do"', "; do"),
    ("case $(date +%u) in 6|7) php weekend.php;;", 'where sh expects "esac"', ";; esac)"),
    ("case $(date +%u) in |7) php w.php;; esac", 'holds "|" at character 21 where sh expects a pattern', "write"),
    ("php cron.php; fi", 'holds "fi" at character 15, which goes with nothing open before it', "write it"),
    ("php cron.php )", 'holds ")" at character 14, which goes with nothing open before it', "write it"),
    ("{ php a.php; } php b.php", 'holds "php" at character 16 where sh expects a ";" or "&"', "write it"),
    ("php cron.php --at (now)", 'holds "(" at character 19 where sh expects a ";" or "&"', "quote or escape"),
    ("[ -f x ] && then php y.php", 'holds "then" at character 13 where sh expects a command', "write it"),
    ("! ! php check.php", 'holds "!" at character 3 where sh expects a command', "write it"),
    ("php a.php | ! php b.php", 'holds "!" at character 13 where sh expects a command', "write it"),
    ("( )", 'holds ")" at character 3 where sh expects a command', "write it"),
    ("run() { }; run", 'holds "}" at character 9 where sh expects a command', "write it"),
    (
        "backup-db() { php backup.php; }",
        'holds "backup-db" at character 1 where sh expects a function\'s name',
        "write",
    ),
    ("for 1 in a b; do php x.php; done", 'holds "1" at character 5 where sh expects a variable\'s name', "write"),
    ("echo $(php a.php &&) >> ../log/a.log", 'holds ")" at character 20 where sh expects a command', "write it"),
    ('echo "$(if [ -f x ]; then date)"', 'holds ")" at character 31 where sh expects "fi"', "; fi)"),
    (
        "echo `php a.php |` >> ../log/a.log",
        'ends where sh expects a command (to go with the "`" at character 6)',
        "write",
    ),
    ("x=1 if [ -f y ]; then php z.php; fi", 'holds "then" at character 18, which goes with nothing open', "write"),
    ("LANG=C (cd ../priv && php sync.php)", 'holds "(" at character 8 where sh expects a ";"', "write"),  # no function
    ("php x.php --pid $$(cat ../run/x.pid)", 'holds "(" at character 19 where sh expects a ";"', "write"),  # $$ then (
    ('php import.php <<"END\\\\" ; fi', 'holds "fi" at character 28, which goes with nothing open', "write"),
    ("echo $(( `echo '))'` )); fi", 'holds "fi" at character 26, which goes with nothing open', "write"),
]


@pytest.mark.parametrize(("command", "what", "hint"), SYNTAX_ERRORS)
def test_a_command_dash_refuses_as_a_syntax_error_is_refused(
    tmp_path: Path, command: str, what: str, hint: str
) -> None:
    """The real sh (dash, the containers') refuses each at every run; pic check says where and what sh wanted."""
    done = subprocess.run([require_program("dash"), "-n", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "Syntax error" in done.stderr, done
    assert cron.unclosed(command) is None and cron.bash_only(command) is None
    line = _command_error(tmp_path, command)
    assert what in line and "sh refuses the whole command (a syntax error)" in line, line
    assert hint in line, line


# Commands as the applications' documentation writes them (wp-cli, Drupal, Nextcloud, Matomo, Dolibarr, Moodle,
# Joomla, phpBB, Mautic, FreshRSS, Kanboard, Grav), and the shell around them: dash reads each whole.
DOCUMENTED = [
    "wp cron event run --due-now --path=/srv/site/www/wordpress >/dev/null 2>&1",
    "cd ~/www && wp cron event run --due-now",
    "wget -q -O - https://asso-cron.org/wp-cron.php?doing_wp_cron >/dev/null 2>&1",
    "wp db export - | gzip > ../backups/wp-$(date +\\%Y\\%m\\%d).sql.gz",
    "vendor/bin/drush --root=/srv/site/www/web --uri=https://asso-cron.org cron",
    "php -f /srv/site/www/nextcloud/cron.php --define apc.enable_cli=1",
    "/usr/local/bin/php matomo/console core:archive --url=https://stats.asso-cron.org >> ../log/matomo.log 2>&1",
    'php scripts/cron/cron_run_jobs.php "$(cat ../priv/dolibarr-key)" admin > ../log/dolibarr.log 2>&1',
    "php admin/cli/scheduled_task.php --execute='\\core\\task\\cache_cleanup_task'",
    "php cli/joomla.php scheduler:run --all",
    "php bin/phpbbcli.php cron:run --verbose >> ../log/phpbb-cron.log 2>&1",
    "php bin/console mautic:segments:update --batch-limit=900 --max-contacts=300",
    "cd /srv/site/www/FreshRSS && php ./app/actualize_script.php >> ../log/freshrss.log 2>&1",
    "cd /srv/site/www/kanboard && ./cli cronjob >/dev/null 2>&1",
    "cd /srv/site/www;/usr/local/bin/php bin/grav scheduler 1>> /dev/null 2>&1",
    "find ../backups/ -type f -mtime +7 -exec rm -f {} \\;",
    "flock -n ../tmp/cron.lock nice -n 19 ionice -c3 timeout 250 php occ files:scan --all",
    "HOME=/srv/site php occ maintenance:repair",
    "[ -f .maintenance ] || php wp-cron.php",
    "(cd wordpress && wp cron event run --due-now)",
    "case $(date +%u) in (6|7) php weekend.php ;; *) php weekday.php ;; esac",
    "case x in esac",
    'f() { php "$1"; }; f wp-cron.php',
    "f() php x.php; f",
    'for f in ../backups/*.sql; do gzip "$f"; done',
    "for site in blog forum; do php $site/cron.php; done >> ../log/sites.log 2>&1",
    'if [ "$(date +%d)" = 01 ]; then php monthly.php; elif [ -f x ]; then :; else php daily.php; fi',
    'while read -r f; do gzip "$f"; done < ../log/to-compress.txt',
    "until php check.php; do sleep 10; done",
    "{ php a.php; php b.php; } >> ../log/ab.log 2>&1",
    "php a.php & php b.php & wait",
    "! php check.php || php fix.php",
    "echo } { fi done esac then in ! >> ../log/words.log",  # reserved words as arguments
    "x=1 { ; >../log/x if",  # after an assignment or a redirection, no reserved word: a program named {
    "php cron.php 2>&1 >> ../log/x.log 3>&1 1>&2 2>&3 <&- 10>x",  # 10>x: an argument 10 and >x, as dash reads it
    "php cron.php >&12>../log/x.log",
    "echo $(case $(date +%u) in 1) echo lundi;; esac) `: f()` >> ../log/x.log",  # a backquote's rest is unread
    "cat <<EOF; echo x",
    'cat <<"$(x y )"',  # a here-document's end word holds no substitution
    "php cron.php # ; && fi",
]


@pytest.mark.parametrize("command", DOCUMENTED)
def test_a_command_dash_reads_whole_is_taken(command: str) -> None:
    assert shsyntax.fault(command) is None
    _dash_reads_and_pic_takes(command)


SYNTAX_PIECES = [
    *("if", "then", "else", "fi", "for", "in", "do", "done", "case", "esac", "while", "{", "}", "!", "f()"),
    *("(", ")", ";", ";;", "&", "&&", "||", "|", ">", "2>", "<<", ">&", "x=1", "a", "a)", "$(a", "`a", "`", "#"),
    *("\\`", "'", "$$", "$((", "))"),
]


@pytest.mark.daemon
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(pieces=st.lists(st.sampled_from(SYNTAX_PIECES), min_size=1, max_size=9), glue=st.sampled_from([" ", ";"]))
def test_a_command_refused_as_a_syntax_error_is_one_dash_refuses(pieces: list[str], glue: str) -> None:
    """Never a command dash reads whole refused for its grammar (dash -n, which parses without running)."""
    command = "echo " + glue.join(pieces)
    found = shsyntax.fault(command)
    if cron.unclosed(command) is not None or cron.bash_only(command) is not None or found is None:
        return
    done = subprocess.run([require_program("dash"), "-n", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "Syntax error" in done.stderr, (command, shsyntax.describe(found))


def test_a_command_nested_deeper_than_is_read_is_left_to_sh() -> None:
    """No verdict, and no error of Python's own stack, for a command nested past what is read."""
    deep = "(" * 300 + "php x.php" + ")" * 300
    assert shsyntax.fault(deep) is None
    assert shsyntax.fault("echo " + "$(" * 300 + "date" + ")" * 300) is None


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("curl -fsS https://hc-ping.com/eb095278-f28d-448d-87fb-7b75c171a6aa", 'curl -fsS "$(cat ../priv/cron-url)"'),
        (
            f"wget -q -O - 'https://asso-cron.org/cron.php?cron_key={SECRET}'",
            "wget -q -O /dev/null -i ../priv/cron-url",
        ),
        (f"mysqldump -u asso_cron_main -p{SECRET} asso_cron_main > ../db/x.sql", "mysql --defaults-extra-file"),
    ],
)
def test_a_command_refused_for_its_secret_says_how_to_read_it_from_a_file(
    tmp_path: Path, command: str, example: str
) -> None:
    """A secret in a URL is read with the URL, from a file: the hint says so; others name their programs' files."""
    line = _command_error(tmp_path, command)
    assert "from a file of the member's priv/ (e.g. " in line and example in line, line
    assert ("$(cat" in line) == ("URL" in line), line


def test_a_percent_sign_reaches_sh_as_written(tmp_path: Path) -> None:
    """No crontab reads the command: % is a plain character (crontab's end of the command and start of its
    standard input); a crontab's escaped \\% gives % outside quotes only, as sh reads it."""
    command = "printf '%s %s %s\\n' a-$(date -u -d @0 +%F) b-$(date -u -d @0 +\\%F) c-$(date -u -d @0 '+\\%F')"
    job = _member("asso-cron", [{"schedule": "daily", "command": command}])
    assert job.spec.cron[0].command == command
    script = membercron.render_install_script(job)
    assert f"printf '%s\\n' {shlex.quote(command)} |" in script
    done = subprocess.run([require_program("dash"), "-c", "--", command], capture_output=True, text=True, check=True)
    assert done.stdout == "a-1970-01-01 b-1970-01-01 c-\\1970-01-01\n"


@pytest.mark.parametrize(
    ("schedule", "named"),
    [
        ("0 0 * * 1,", "day of week 1, has an empty part"),
        ("0 0 1,,3 * *", "day of month 1,,3 has an empty part"),
        ("0 ,0 * * *", "hour ,0 has an empty part"),
        ("0 0 * * monday", "day of week monday"),
        ("0 0 * JULY *", "month JULY holds a name written whole (JULY): write its number"),
        ("0 0 * * Monday", "day of week Monday holds a name written whole"),
    ],
)
def test_a_slip_in_a_field_is_not_blamed_on_another_tool(tmp_path: Path, schedule: str, named: str) -> None:
    """A stray ',' (1,) or a word crontab does not read (monday) was told "another tool's form (Quartz's ?, L, W, #)",
    which it is not: an empty part is told as such, and another tool's signs are named only when the field holds
    one."""
    lines = _errors(tmp_path, [{"schedule": schedule, "command": "php cron.php"}], site=SITE)
    [line] = [x for x in lines if "cron[0].schedule" in x]
    told = line.split("cron[0].schedule: ", 1)[1]
    assert named in told and "Quartz" not in told, line


@pytest.mark.parametrize(
    ("schedule", "told"),
    [
        ("100 0 * * *", "the minute 100 is not between 0 and 59"),
        ("0 0 * * 007", "the day of week 007 has leading zeros: write 7"),
        ("00 000 * * *", "the hour 000 has leading zeros: write 0"),
        ("0 0 1-100 * *", "the day of month 1-100 holds 100, not between 1 and 31"),
        ("*/100 * * * *", "the minute */100 holds 100, not between 1 and 59"),
        ("0 0 * * 1-5/002", "the day of week 1-5/002 holds 002, with leading zeros: write 2"),
        ("0 0 1 0013 *", "the month 0013 is not between 1 and 12"),
        ("1" * 5000 + " 0 * * *", "the minute 11111111111111111111111111111111..."),
    ],
)
def test_a_number_of_more_than_two_digits_in_a_field_is_told_as_a_number(
    tmp_path: Path, schedule: str, told: str
) -> None:
    """A number of three digits or more (100, 007) was told as no number at all, "another tool's form (Quartz's ?,
    L, W, #)", and a field of 5,000 digits was written whole in the message: the number is told against the field's
    bounds or with its zeros to drop, the field shown by its first characters."""
    lines = _errors(tmp_path, [{"schedule": schedule, "command": "php cron.php"}], site=SITE)
    [line] = [x for x in lines if "cron[0].schedule" in x]
    assert told in line and "Quartz" not in line, line
    assert len(line) < 400, line


@pytest.mark.parametrize(
    ("schedule", "meant"),
    [("0 0 * * *\u00a0", "0 0 * * *"), ("30 2 * * 1-5\n", "30 2 * * 1-5"), ("\t*/15 * * * *", "*/15 * * * *")],
)
def test_a_blank_at_an_end_of_a_schedule_is_not_told_to_be_between_its_fields(
    tmp_path: Path, schedule: str, meant: str
) -> None:
    """A schedule ending with a no-break space or a line break (YAML's | keeps it) was told to have "more than one
    blank (spaces, a tab) between two fields", which it has not: the blank at its end is named, the schedule to
    write offered."""
    lines = _errors(tmp_path, [{"schedule": schedule, "command": "php cron.php"}], site=SITE)
    [line] = [x for x in lines if "cron[0].schedule" in x]
    assert "between two fields" not in line and "at its start or end" in line and f'write "{meant}"' in line, line


# Each runs a command dash reads as a command of its own, a trap's action, the script of sh -c or dash -c (by name
# or path, run by another), eval's text, which holds what dash refuses or reads otherwise than bash; with the quoted
# word, what it is and the first words told of what it holds.
NESTED_SCRIPTS = [
    ("trap 'printf \"%q\\n\" done' EXIT; php a.php", "'printf \"%q\\n\" done'", "the action of trap", "printf %q"),
    ("trap 'kill -l TERM' EXIT INT", "'kill -l TERM'", "the action of trap", "kill -l TERM"),
    ("trap -- 'echo $((2 ** 3))' EXIT", "'echo $((2 ** 3))'", "the action of trap", "** (bash's power"),
    ("sh -c 'printf \"%q\" x'", "'printf \"%q\" x'", "the script of sh -c", "printf %q"),
    ('sh -c "echo -e x"', '"echo -e x"', "the script of sh -c", "echo -e"),
    ("timeout 60 /bin/sh -ec 'let n=1'", "'let n=1'", "the script of /bin/sh -c", "let (a builtin of bash's)"),
    ("flock ../run/lock dash -c '[[ x ]] && echo ran'", "'[[ x ]] && echo ran'", "the script of dash -c", "[["),
    ("cd ../www && sh -o errexit -c 'echo -n -e x'", "'echo -n -e x'", "the script of sh -c", "echo -e"),
    ("eval 'echo -e x'", "'echo -e x'", "the text of eval", "echo -e"),
    ("flock -n ../run/lock -c 'printf \"%q\" x'", "'printf \"%q\" x'", "the script of flock FILE -c", "printf %q"),
    ("sh -c 'sh -c \"echo -e y\"'", "'sh -c \"echo -e y\"'", "the script of sh -c", 'the script of sh -c "echo -e y"'),
    # chrt -b (--batch, SCHED_BATCH, a policy a site's user may set) and its priority, then the command it runs
    ("chrt -b 0 sh -c 'echo -e x'", "'echo -e x'", "the script of sh -c", "echo -e"),
    ("ionice --ignore -c3 sh -c 'echo -e x'", "'echo -e x'", "the script of sh -c", "echo -e"),  # -t's long name
]


@pytest.mark.parametrize(("command", "word", "what", "told"), NESTED_SCRIPTS)
def test_a_command_in_a_quoted_string_dash_runs_is_read_as_the_job_s_own(
    tmp_path: Path, command: str, word: str, what: str, told: str
) -> None:
    """trap 'printf "%q" x' EXIT and sh -c "echo -e x" were taken, the quoted string never read, though dash runs it
    as a command of its own (the trap's action when it is set off, the script of sh -c): what dash reads otherwise
    than bash there goes as wrong as in the job's own words; it is refused at the string, with what is told of it
    written alone."""
    script = shsyntax.literal(word)
    assert script is not None
    runs = [
        subprocess.run([require_program(sh), "-c", script], capture_output=True, text=True, check=False, cwd=tmp_path)
        for sh in ("dash", "bash")
    ]
    if "sh -c" not in script:
        assert (runs[0].returncode, runs[0].stdout) != (runs[1].returncode, runs[1].stdout), runs
        assert runs[1].returncode == 0, runs[1]
    (tmp_path / "alone").mkdir()
    alone = _command_error(tmp_path / "alone", script)
    assert told in alone, alone
    _dash_reads_and_pic_takes(command.replace(word, "'echo ran'"))
    at = command.index(word) + 1
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {what} {word}, a command that dash" in line and told in line, line


@pytest.mark.parametrize(
    "command",
    [
        "trap 'rm -f ../run/lock' EXIT INT TERM; touch ../run/lock; php a.php",
        "sh -c 'cd ../www && php wp-cron.php' >> ../log/cron.log 2>&1",
        'timeout 600 sh -ec "php a.php; php b.php"',
        "bash -c 'echo -e \"a\\tb\"; [[ -f x ]] || let n=1'",  # bash's own script
        "trap \"rm -f $LOCK; printf '%q' $x\" EXIT",  # an expansion in it: left to when it runs
        "sh -c \"printf '%q' $1\" sh x",
        "echo asso | xargs -I{} sh -c 'php dump.php {} > ../db/{}.sql'",
        "trap - EXIT; trap 15; eval 'php a.php' ; eval echo -e",
        "sh -c",
        "sh -e -- a.sh 'echo -e x'",  # no -c: a file's script, its argument a word
        "flock ../run/lock -c 'php a.php && php b.php'",
        "flock -c ../run/lock echo -e x",  # -c before the file: flock refuses it (invalid option), no script
    ],
)
def test_a_command_in_a_quoted_string_dash_reads_as_bash_does_is_taken(command: str) -> None:
    _dash_reads_and_pic_takes(command)


@pytest.mark.parametrize(
    "command",
    [
        "sh -c 'echo done \\' >> ../log/a.log",
        "trap 'echo done\\' EXIT; php a.php",
        "eval 'echo a \\'",
        "flock -n ../run/lock -c 'echo a\\'",
        "timeout 60 dash -ec 'echo a\\'",
    ],
)
def test_a_quoted_script_ending_with_a_backslash_is_taken(tmp_path: Path, command: str) -> None:
    """sh -c 'echo a\\' (a backslash ending a trap's action, eval's text, the script of sh -c or flock -c) was refused
    as ending with a backslash that escapes nothing, told the job's command file would join it to the next line:
    that is so of the job's own command alone, whose file a script could read; the string dash runs as a command of
    its own ends where the string does, dash and bash alike giving the backslash to the program as text."""
    script = shsyntax.literal(next(w for w in shlex.split(command, posix=False) if w.startswith("'")))
    assert script is not None and script.endswith("\\")
    runs = [
        subprocess.run([require_program(sh), "-c", script], capture_output=True, text=True, check=False, cwd=tmp_path)
        for sh in ("dash", "bash")
    ]
    assert runs[0].returncode == runs[1].returncode == 0 and runs[0].stdout == runs[1].stdout, runs
    assert runs[0].stdout.rstrip("\n").endswith("\\"), runs[0]
    _dash_reads_and_pic_takes(command)


# Each is read by bash and refused or read otherwise by dash when it runs, the command going on in dash, with what
# shows it (run by both), the word told, its place and what pic check says of it.
DASH_READS_OTHERWISE = [
    ("kill -s EXIT $(cat ../run/worker.pid) || php start.php", "kill -s EXIT", 9, "kill -s EXIT $$ && echo ran"),
    ("kill -EXIT $! 2>/dev/null && echo up", "kill -EXIT", 6, "kill -EXIT $$ && echo ran"),
    ("kill -sexit $PPID", "kill -sexit", 6, "kill -sexit $$ && echo ran"),
    ("type -p php > ../run/php-path", "type -p", 6, "type -p echo >/dev/null && echo ran"),
    ("type -t wp >/dev/null || php a.php", "type -t", 6, "type -t echo >/dev/null && echo ran"),
    ("type -a php", "type -a", 6, "type -a echo >/dev/null && echo ran"),
    ("cd ../www && php ~+/wp-cron.php", "~+ (bash's tilde", 18, "cd / && echo ~+"),
    ("cd ../www; cd ../priv; tar czf ../db/www.tgz ~-", "~- (bash's tilde", 46, "cd / && cd /tmp && echo ~-/x"),
]


@pytest.mark.parametrize(("command", "what", "at", "probe"), DASH_READS_OTHERWISE)
def test_what_dash_s_builtins_and_tilde_read_otherwise_is_refused(
    tmp_path: Path, command: str, what: str, at: int, probe: str
) -> None:
    """kill -s EXIT (bash's signal 0), type -p (dash's type has no option: -p: not found) and ~+ (bash's $PWD, dash's
    two characters) were taken; each is refused at its word."""
    runs = [
        subprocess.run([require_program(sh), "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path)
        for sh in ("dash", "bash")
    ]
    assert (runs[0].returncode, runs[0].stdout) != (runs[1].returncode, runs[1].stdout), runs
    assert runs[1].returncode == 0 and runs[1].stdout, runs[1]
    found = cron.bash_only(command)
    assert found is not None and found[1] == at and found[0].startswith(what), found
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {what}" in line, line


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("kill -0 $$ && kill -s 0 $$ && echo up", "up\n"),
        ("type echo >/dev/null && command -v echo", "echo\n"),
        ("echo '~+' a~+ ~+x \\~- \"~-\"", "~+ a~+ ~+x ~- ~-\n"),
    ],
)
def test_dash_s_kill_type_and_tilde_are_taken(command: str, output: str) -> None:
    ran = subprocess.run([require_program("dash"), "-c", command], capture_output=True, text=True, check=False)
    assert (ran.returncode, ran.stdout) == (0, output), ran
    assert cron.bash_only(command) is None
    _dash_reads_and_pic_takes(command)


@pytest.mark.parametrize(
    ("command", "builtin", "at"),
    [
        ("env cd /tmp && php a.php", "cd", 5),
        ("nice -n 5 export APP_ENV=prod; php a.php", "export", 11),
        ("timeout 5 read line < /dev/null", "read", 11),
        ("flock ../run/lock export APP_ENV=prod", "export", 19),
        ("xargs -n 1 unset < /dev/null", "unset", 12),
        ("xargs --max-lines unset < /dev/null", "unset", 19),  # its value glued alone: unset is the command
        ("exec cd ../www", "cd", 6),  # dash's exec runs a program alone
    ],
)
def test_a_builtin_of_dash_s_run_as_a_program_is_refused(tmp_path: Path, command: str, builtin: str, at: int) -> None:
    """env cd /tmp was taken, though env runs a program cd, which the images do not have (env: 'cd': No such file or
    directory, exit 127; flock's 69): refused at the builtin, with the status."""
    ran = _dash_with_runners(tmp_path, command.replace("../run/", "").replace("../priv/", ""))
    assert ran.returncode in (127, 69) or "No such file" in ran.stderr, ran
    assert re.search(
        rf"'{re.escape(builtin)}': No such|execute {re.escape(builtin)}: No such|: {builtin}: No|exec: {builtin}: not",
        ran.stderr,
    )
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {builtin} (a builtin of dash's, the containers' sh) after" in line, line
    if ran.returncode in (127, 69):
        assert f"not found (exit {ran.returncode})" in line, line
    # after exec the job ends there (exec, a special builtin, failing stops dash); after another, it goes on
    local = command.replace("../run/", "").replace("../www", "/").split(" < ")[0]
    after = _dash_with_runners(tmp_path, f"{local} < /dev/null; echo after")
    goes_on = after.stdout.endswith("after\n")
    assert ("the job goes on without it" if goes_on else "the job ends there") in line, (after, line)


@pytest.mark.parametrize(
    ("command", "at"),
    [
        ("env . ../priv/env && php a.php", 5),
        ("nice -n 5 . ../priv/env", 11),
        ("flock ../run/lock . ../priv/env", 19),
        ("exec . ../priv/env", 6),
    ],
)
def test_dash_s_dot_run_as_a_program_is_refused(tmp_path: Path, command: str, at: int) -> None:
    """env . ../priv/env was taken: env runs a program named '.', which it finds as a folder of the PATH and cannot
    run (Permission denied, exit 126; flock's 69), the file never read: refused at the dot, with the status."""
    ran = _dash_with_runners(tmp_path, command.replace("../run/", "").replace("../priv/env", "/dev/null"))
    assert ran.returncode in (126, 69) and "Permission denied" in ran.stderr, ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} . (a builtin of dash's, the containers' sh) after" in line, line
    assert f"(permission denied, exit {ran.returncode})" in line and "write . FILE alone" in line, line


def test_dot_run_by_command_is_taken() -> None:
    """command runs dash's builtins: command . FILE reads the file."""
    command = "command . /dev/null && echo ran"
    ran = subprocess.run([require_program("dash"), "-c", command], capture_output=True, text=True, check=False)
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran
    _dash_reads_and_pic_takes(command)


def test_select_is_refused_as_bash_s_loop(tmp_path: Path) -> None:
    """select was refused with the general words of a syntax error (the do going with nothing open); it is named as
    bash's, with for to write."""
    command = "select f in ../log/*.log; do gzip $f; break; done"
    dash = subprocess.run([require_program("dash"), "-n", "-c", command], capture_output=True, text=True, check=False)
    assert dash.returncode == 2 and "Syntax error" in dash.stderr, dash
    bash = subprocess.run([require_program("bash"), "-n", "-c", command], capture_output=True, text=True, check=False)
    assert bash.returncode == 0, bash
    line = _command_error(tmp_path, command)
    assert "holds at character 1 select NAME in ... (bash's menu loop)" in line and "write for NAME in" in line, line


def test_braces_a_program_expands_itself_are_told_to_be_quoted(tmp_path: Path) -> None:
    """curl expands a URL's braces itself: the words say to quote them for it, both shells then passing them."""
    line = _command_error(tmp_path, "curl -fsS https://asso-cron.org/{a,b}.txt")
    assert "or for the program to read itself (curl" in line, line
    quoted = "curl -fsS 'https://asso-cron.org/{a,b}.txt'"
    runs = [
        subprocess.run(
            [require_program(sh), "-c", f"printf '%s\\n' {quoted[10:]}"], capture_output=True, text=True, check=False
        )
        for sh in ("dash", "bash")
    ]
    assert runs[0].stdout == runs[1].stdout == "https://asso-cron.org/{a,b}.txt\n", runs
    _dash_reads_and_pic_takes(quoted)


# Strings given to GNU env's -S, with how env splits them (coreutils' rules: quotes, escapes, comments, ${NAME}) or
# refuses them (exit 125): pic.envsplit is compared with the real env on each.
SPLIT_STRINGS = [
    "", " ", "a ", "'' x", "a''b", "a\\_b", "'a\\_b'", '"a\\_b"', "a#b #c", "#x", "'x'#y", "a\\_#b", "a\\cb c",
    "'\\c' x", "'a\\'b'", '"a\'b"', "x\\$y", "'a\\qb'", '"a\\tb"', "\"a\"'b'c", "a\tb\nc", "'${HOME}'", "${HOME}x",
    "${NOPE} y", '"a\\cb"', "$HOME", "${1}", "a\\qb", "a\\", "'a", "a\\ b", '"a', "a \\c", "\\c",
]  # fmt: skip


def _split_by_env_and_pic(printer: Path, text: str, environment: dict[str, str]) -> tuple[envsplit.Split, list[str]]:
    """``text`` split by the real env (``env -S``, running a program that prints its arguments, in ``environment``)
    and by envsplit: the split and the words env made; none when env refused the string (exit 125) as envsplit did,
    with env's words."""
    if not printer.exists():
        printer.write_text("#!/usr/bin/python3\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
        printer.chmod(0o755)
    ran = subprocess.run(
        [require_program("env"), "-S", f"{printer} {text}"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    split = envsplit.split(text)
    if ran.returncode == 125:
        assert split.refused is not None and ran.stderr.endswith(f"env: {split.refused}\n"), (ran, split)
        return split, []
    assert ran.returncode == 0 and split.refused is None, (ran, split)
    made = json.loads(ran.stdout)
    if all(w is not None for w, _ in split.words):
        assert [w for w, _ in split.words] == made, (ran, split)
    return split, made


@pytest.mark.parametrize("text", SPLIT_STRINGS)
def test_env_split_string_is_split_as_env_splits_it(tmp_path: Path, text: str) -> None:
    split, made = _split_by_env_and_pic(tmp_path / "argv", text, {})
    if split.refused is None and any(w is None for w, _ in split.words):
        # a word holding ${NAME} (unset here: none, or the rest of its word) is known when env runs
        rest = iter(made)
        assert all(any(w in m for m in rest) for w, _ in split.words if w is not None), (made, split)
    # each word starts where the string has its first character (a quote, or the character itself)
    for word, at in split.words:
        assert word is None or text[at] in "'\"\\" or text[at] == word[:1], (text, split)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(alphabet=" \t'\"\\#$_{}cntqaZ=-", max_size=14))
def test_any_split_string_is_split_or_refused_as_env_does(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    """Strings of what env reads specially (quotes, backslashes, #, ${...}): envsplit makes the words env makes, or
    refuses what env refuses (exit 125), with env's words."""
    split, made = _split_by_env_and_pic(tmp_path_factory.getbasetemp() / "argv", text, {"Z": "z"})
    if split.refused is None and any(w is None for w, _ in split.words):
        assert len(made) <= len(split.words), (made, split)


# env -S STRING runs the words env splits the string into: dash's builtins and bash's names there are refused as
# after env itself, with the place of the word in the command.
SPLIT_RUN = [
    ("env -S 'cd /tmp' && php a.php", "cd", 9),
    ("env -S'. ../priv/env'", ".", 8),
    ("env -iS'cd ../www' php a.php", "cd", 9),
    ("env --split-string='export A=1 B=2'", "export", 21),
    ("env --split-string 'eval x'", "eval", 21),
    ('nice -n 5 env -S "-u LANG cd /tmp"', "cd", 27),
    ("env -S 'X=1 time php a.php'", "time", 13),
    ("env -S '-S\"cd /tmp\"'", "cd", 12),
    ("env --split 'cd /tmp'", "cd", 14),  # getopt_long's abbreviation of --split-string
]


@pytest.mark.parametrize(("command", "name", "at"), SPLIT_RUN)
def test_what_env_runs_of_its_split_string_is_read(tmp_path: Path, command: str, name: str, at: int) -> None:
    """env -S 'cd /tmp' was taken, the string not read: env runs a program cd (not found, exit 127)."""
    local = command.replace("../priv/env", "/dev/null").replace("../www", "/").replace("php a.php", "echo ran")
    ran = _dash_with_runners(tmp_path, local.split(" && ")[0])
    assert ran.returncode in (126, 127) and "ran" not in ran.stdout.split(), ran
    assert f"'{name}'" in ran.stderr or f"‘{name}’" in ran.stderr, ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {at} {name} (a " in line and "after env" in line, line


@pytest.mark.parametrize(
    ("command", "told"),
    [
        ("env -S 'php a.php --home=$HOME'", "only ${VARNAME} expansion is supported"),
        ("env -S 'php a.php C:\\data'", "invalid sequence '\\d' in -S"),
        ('env -S "\'php a.php"', "no terminating quote in -S string"),
        ("env -S 'php a.php \\'", "invalid backslash at end of string in -S"),
    ],
)
def test_a_split_string_env_refuses_is_refused(tmp_path: Path, command: str, told: str) -> None:
    """A string env refuses (exit 125) runs nothing: told with env's words, and how env reads the string."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode == 125 and told in ran.stderr and not ran.stdout, ran
    line = _command_error(tmp_path, command)
    assert f"(env: {told}" in line and "exit 125)" in line and "never runs" in line and "${NAME}" in line, line


@pytest.mark.parametrize(
    ("command", "mended", "fix"),
    [
        ("env -S 'php a.php \\q'", "env -S 'php a.php \\\\q'", "a backslash as text written \\\\"),
        ("env -S 'php a.php C:\\data'", "env -S 'php a.php C:\\\\data'", "a backslash as text written \\\\"),
        ("env -S 'php a.php --home=$HOME'", "env -S 'php a.php --home=${HOME}'", "a variable of env's as ${NAME}"),
        ("env -S 'php a.php ${X'", "env -S 'php a.php ${X}'", "a variable of env's as ${NAME}"),
        ("env -S 'php a.php ${}'", "env -S 'php a.php \\${}'", "a $ as text written \\$"),
        ("env -S 'php a.php $'", "env -S 'php a.php \\$'", "a $ as text written \\$"),
        ("env -S 'php a.php \"x'", "env -S 'php a.php \"x\"'", "its quote closed"),
        ("env -S 'php a.php \\'", "env -S 'php a.php \\\\'", "a backslash as text written \\\\"),
        ("nice -n 5 env -i -S 'php a.php \\q' x", "nice -n 5 env -i -S 'php a.php \\\\q' x", "as text written \\\\"),
        ("env -S 'php a.php \\q $X'", "env -S 'php a.php \\\\q ${X}'", "text written \\\\, a variable of env's"),
        ("env --split-string='php a.php $X'", "env --split-string='php a.php ${X}'", "a variable of env's as"),
    ],
)
def test_a_split_string_env_refuses_is_offered_mended(tmp_path: Path, command: str, mended: str, fix: str) -> None:
    """env -S 'php a.php \\q' was told env refuses it (invalid sequence '\\q' in -S, exit 125), then how env
    splits a string, with no command to write: the whole command is offered with the string mended as coreutils'
    env reads it (the backslash doubled, $X as ${X}, the quote closed), which pic takes and env runs."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode == 125 and not ran.stdout, ran
    line = _command_error(tmp_path, command)
    assert f"write {mended} (" in line, line
    assert fix in line.partition(f"write {mended} (")[2].partition("), env splitting it so: ")[0], line
    assert "\\t \\n \\f \\r \\v" in line, line  # the escapes env reads, all of them
    assert cron.check_command(mended)
    ran = _dash_with_runners(tmp_path, mended.replace("php a.php", "echo ran"))
    assert ran.returncode == 0 and ran.stdout.startswith("ran"), ran


@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("env -S 'echo ran # a comment'", "ran\n"),
        ("env -vS'echo ran' 2>/dev/null", "ran\n"),
        ("env -S 'echo ${D}' | grep -q 7 && echo ran", "ran\n"),
        ("env --split-string='sh -c \"echo ran\"'", "ran\n"),
        ("env -S 'echo' ran", "ran\n"),
    ],
)
def test_a_split_string_env_runs_is_taken(tmp_path: Path, command: str, output: str) -> None:
    ran = subprocess.run(
        [require_program("dash"), "-c", command], capture_output=True, text=True, check=False, env={"D": "7"}
    )
    assert (ran.returncode, ran.stdout) == (0, output), ran
    _dash_reads_and_pic_takes(command)


def test_a_script_in_a_split_string_is_read(tmp_path: Path) -> None:
    """The script of sh -c that env -S runs is dash's, read as the job's own."""
    command = "env -S 'sh -c \"set -o pipefail; php a.php\"'"
    line = _command_error(tmp_path, command)
    assert "the script of sh -c" in line and "set -o pipefail" in line, line


@pytest.mark.parametrize(
    ("command", "builtin", "inner"),
    [
        ("nice -n 5 eval -- x", "eval", "eval -- (an option of bash's eval)"),
        ("env set -o pipefail; php a.php", "set", "set -o pipefail (an option of bash's set)"),
        ("timeout 60 exec -a worker php a.php", "exec", "exec -a (an option of bash's exec)"),
        ("env -S 'eval -- php\\_a.php'", "eval", "eval -- (an option of bash's eval)"),
        ("flock ../run/lock read -t 5 x", "read", "read -t (an option of bash's read)"),
    ],
)
def test_a_builtin_run_as_a_program_is_told_all_that_is_wrong(
    tmp_path: Path, command: str, builtin: str, inner: str
) -> None:
    """nice -n 5 eval -- x was told to write eval alone, then eval -- x refused for its --: one message tells both,
    the builtin written alone read as the job's command."""
    line = _command_error(tmp_path, command)
    assert f"{builtin} (a builtin of dash's, the containers' sh) after" in line, line
    assert f"write {builtin} alone" in line and "it is refused too" in line and inner in line, line
    alone = line.partition("written alone (")[2].partition("), it is refused too")[0]
    with pytest.raises(ValueError, match=re.escape(inner)):
        cron.check_command(alone)


def test_a_builtin_run_as_a_program_taken_alone_is_told_once(tmp_path: Path) -> None:
    line = _command_error(tmp_path, "nice -n 5 eval 'php a.php'")
    assert "write eval alone" in line and "refused too" not in line, line
    assert cron.check_command("eval 'php a.php'")


@pytest.mark.parametrize(
    ("command", "word", "written", "more"),
    [
        ("env --block-signal TERM cd /tmp", "TERM", "env --block-signal=TERM cd /tmp", "cd (a builtin of dash's"),
        ("env --ignore-signal INT,HUP php a.php", "INT,HUP", "env --ignore-signal=INT,HUP php a.php", ""),
        ("nice env --default-sig sigterm php a.php", "sigterm", "nice env --default-sig=sigterm php a.php", ""),
        ("xargs -l 1 php a.php", "1", "xargs -l1 php a.php", ""),
        ("xargs -r --max-lines 2 php a.php", "2", "xargs -r --max-lines=2 php a.php", ""),
        ("xargs -0i {} php a.php {}", "{}", "xargs -0i{} php a.php {}", ""),
        ("xargs -e END php a.php", "END", "xargs -eEND php a.php", ""),
        ("xargs -r --eof EOF_1 php a.php", "EOF_1", "xargs -r --eof=EOF_1 php a.php", ""),
    ],
)
def test_an_optional_value_given_apart_is_told_where_it_goes(
    tmp_path: Path, command: str, word: str, written: str, more: str
) -> None:
    """env --block-signal TERM cd /tmp was taken: env takes the signals only after '=', and runs a program TERM
    (not found, exit 127); xargs -l 1 likewise runs a program 1. Told where the value goes, and what the command so
    written is told."""
    (tmp_path / "in").write_text("a\n")
    ran = _dash_with_runners(tmp_path, f"{command.replace('php a.php', 'echo ran')} < in")
    assert ran.returncode == 127 and "ran" not in ran.stdout and word in ran.stderr, ran
    line = _command_error(tmp_path, command)
    at = command.index(f" {word} ") + 2
    assert f"holds at character {at} {word} after" in line and "runs a program named" in line, line
    assert f"write {written}" in line, line
    assert ("it is refused too" in line and more in line) if more else "refused too" not in line, line
    if not more:
        ran = _dash_with_runners(tmp_path, f"{written.replace('php a.php', 'echo ran')} < in")
        assert (ran.returncode, ran.stdout.split()[:1]) == (0, ["ran"]), ran
        assert cron.check_command(written)


@pytest.mark.parametrize(
    ("command", "runner", "instead"),
    [
        ("env source ../priv/env", "env", "write . FILE"),
        ("nice -n 5 pushd ../www", "nice", "write cd DIR"),
        ("timeout 60 declare -x APP_ENV=prod", "timeout", "export X=1"),
        ("exec source ../priv/env", "exec", "write . FILE"),
    ],
)
def test_what_sh_does_instead_of_a_name_of_bash_s_after_a_runner_is_told_alone(
    tmp_path: Path, command: str, runner: str, instead: str
) -> None:
    """env source ../priv/env was told to write . FILE, then env . ../priv/env refused (a program named '.'): told
    once, the builtin of dash's written as the shell's own command."""
    line = _command_error(tmp_path, command)
    assert f"{instead}" in line and f"(as the shell's own command, not after {runner}, which runs a program" in line
    # what the first message offered, kept after the runner, is refused in turn: the reason it is told at once
    builtin = {"write . FILE": ". ../priv/env", "write cd DIR": "cd ../www", "export X=1": "export APP_ENV=prod"}
    with pytest.raises(ValueError, match="a builtin of dash's"):
        cron.check_command(re.sub(r"(source|pushd|declare) .*", builtin[instead], command))


def test_what_sh_does_instead_after_command_is_told_as_before(tmp_path: Path) -> None:
    """command runs dash's builtins: command cd DIR is taken, nothing more told."""
    line = _command_error(tmp_path, "command pushd ../www")
    assert "write cd DIR" in line and "not after command" not in line, line
    assert cron.check_command("command cd ../www")


@pytest.mark.parametrize(
    ("command", "dropped", "inner"),
    [
        ("time eval -- php a.php", "eval -- php a.php", "eval -- (an option of bash's eval)"),
        ("nice time cd ../www", "nice cd ../www", "cd (a builtin of dash's, the containers' sh) after nice"),
        ("sudo eval -- php a.php", "eval -- php a.php", "eval -- (an option of bash's eval)"),
        ("builtin set -o pipefail", "set -o pipefail", "set -o pipefail (an option of bash's set)"),
    ],
)
def test_a_command_told_to_be_written_alone_is_told_what_it_is_then(
    tmp_path: Path, command: str, dropped: str, inner: str
) -> None:
    """time eval -- x was told to write the command alone, then eval -- x refused for its --: told at once."""
    line = _command_error(tmp_path, command)
    assert "write the command alone" in line and f"written so ({dropped}), it is refused too" in line, line
    assert inner in line, line
    with pytest.raises(ValueError, match=re.escape(inner)):
        cron.check_command(dropped)


def test_a_command_told_to_be_written_alone_that_is_taken_so_is_told_once(tmp_path: Path) -> None:
    line = _command_error(tmp_path, "nice -n 5 time php a.php")
    assert "write the command alone" in line and "refused too" not in line, line
    assert cron.check_command("nice -n 5 php a.php")


def test_offers_holding_offers_are_told_in_a_few_words(tmp_path: Path) -> None:
    """time time ... eval -- x: each command offered (the command alone) holds the next; what is told of them is
    read two deep, not once per time (a message of 170,000 characters for 190 of them); the times are left out
    together now, eval -- x told once."""
    command = "time " * 190 + "eval -- x"
    line = _command_error(tmp_path, command)
    assert line.count("it is refused too") == 1 and len(line) < 5000, line[:300]
    assert "written so (eval -- x), it is refused too" in line, line[:300]


@pytest.mark.parametrize(
    ("command", "option", "written"),
    [
        ("timeout 5m -s KILL php a.php", "-s", "timeout -s KILL 5m php a.php"),
        ("flock ../run/lock -n php a.php", "-n", "flock -n ../run/lock php a.php"),
        ("taskset 1 --all-tasks php a.php", "--all-tasks", "taskset --all-tasks 1 php a.php"),
        ("env APP_ENV=prod -u LANG php a.php", "-u", "env -u LANG APP_ENV=prod php a.php"),
        ("nice timeout 60 -k 5 cd ../www", "-k", "nice timeout -k 5 60 cd ../www"),
        # the options after it together, moved in one offer
        ("timeout 5m -s KILL -k 5 php a.php", "-s", "timeout -s KILL -k 5 5m php a.php"),
        ("flock ../run/lock -n -w 5 php a.php", "-n", "flock -n -w 5 ../run/lock php a.php"),
        # '--' after the operand: the program, not the end of the options
        ("timeout 5m -- php a.php", "--", "timeout -- 5m php a.php"),
        ("flock ../run/lock -- php a.php", "--", "flock -- ../run/lock php a.php"),
        ("taskset 1 -- php a.php", "--", "taskset -- 1 php a.php"),
        ("env APP_ENV=prod -- php a.php", "--", "env -- APP_ENV=prod php a.php"),
        # an option after the operand of a '--' ending the options: moved before the '--'
        ("timeout -- 5m -s KILL php a.php", "-s", "timeout -s KILL -- 5m php a.php"),
    ],
)
def test_an_option_after_a_runner_s_operand_is_told_where_it_goes(
    tmp_path: Path, command: str, option: str, written: str
) -> None:
    """timeout 5m -s KILL php a.php was taken, though timeout reads its options before the duration alone and runs a
    program named -s (not found, exit 127; flock's 69): told, with the options moved before it."""
    local = command.replace("../run/", "").replace("php a.php", "echo ran").replace("../www", "/")
    ran = _dash_with_runners(tmp_path, local)
    assert ran.returncode in (127, 69) and option in ran.stderr and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    at = command.index(f" {option} ") + 2
    assert f"holds at character {at} {option} after" in line and f"write {written}" in line, line
    if "cd" in command:
        assert "it is refused too" in line and "cd (a builtin of dash's" in line, line
    else:
        assert "refused too" not in line, line
        mended = _dash_with_runners(tmp_path, written.replace("../run/", "").replace("php a.php", "echo ran"))
        assert (mended.returncode, mended.stdout) == (0, "ran\n"), mended
        assert cron.check_command(written)


@pytest.mark.parametrize(
    ("command", "option", "written"),
    [
        ("chrt 0 --other php a.php", "--other", "chrt --other 0 php a.php"),
        ("nice chrt 0 -o -v php a.php", "-o", "nice chrt -o -v 0 php a.php"),
    ],
)
def test_an_option_after_chrt_s_priority_is_told_where_it_goes(
    tmp_path: Path, command: str, option: str, written: str
) -> None:
    """chrt 0 --other php a.php was taken, though util-linux's chrt reads its options before the priority alone
    (getopt's "+"): the job never runs (its default policy, round-robin, refuses the priority 0, exit 1; a priority
    it takes set, it runs a program named --other, exit 127). Told, with the options moved before it."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode != 0 and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    at = command.index(f" {option} ") + 2
    assert f"holds at character {at} {option} after" in line and f"write {written}" in line, line
    assert "round-robin" in line and "refused too" not in line, line
    mended = _dash_with_runners(tmp_path, written.replace("php a.php", "echo ran"))
    assert (mended.returncode, mended.stdout) == (0, "ran\n"), mended
    assert cron.check_command(written)


@pytest.mark.parametrize(
    ("command", "policy", "written"),
    [
        ("chrt -b 0 -- php a.php", "-b", "chrt -b -- 0 php a.php"),
        ("chrt --idle 0 -- php a.php", "--idle", "chrt --idle -- 0 php a.php"),
    ],
)
def test_the_end_of_chrt_s_options_after_its_priority_tells_the_policy_given(
    tmp_path: Path, command: str, policy: str, written: str
) -> None:
    """chrt -b 0 -- php a.php was told 'chrt sets its default policy, round-robin, at that priority first (a priority
    0, or none of the right to set it: exit 1, the job ends there)', though -b is given: chrt sets SCHED_BATCH at 0,
    then fails to run a program named -- (exit 127). The policy given is told."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode == 127 and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    assert f"chrt sets the policy {policy} gives at that priority first (refused, exit 1: the job ends there)" in line
    assert "round-robin" not in line and f"write {written}" in line, line


def test_flock_s_script_after_its_file_is_taken(tmp_path: Path) -> None:
    command = "flock lock -c 'echo ran'"
    ran = _dash_with_runners(tmp_path, command)
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran
    _dash_reads_and_pic_takes(command)


@pytest.mark.parametrize(
    ("command", "number", "written"),
    [
        ("nice 5 php a.php", "5", "write nice -n 5 php a.php"),
        ("nice +5 php a.php", "+5", "write nice -n 5 php a.php"),
        ("timeout 60 nice 10 php a.php", "10", "write timeout 60 nice -n 10 php a.php"),
        ("timeout 5m 10 php a.php", "10", "write the program to run there"),
        ("env X=1 5 php a.php", "5", "write the program to run there"),
        # the same twice in a chain of runners: both mended in one offer, not one then 'refused too'
        ("nice 5 nice 5 php a.php", "5", "write nice -n 5 nice -n 5 php a.php"),
        (
            "timeout 60 nice +5 timeout 5m nice 19 php a.php",
            "+5",
            "write timeout 60 nice -n 5 timeout 5m nice -n 19 php a.php",
        ),
        ("cd .. && nice 5 nice 5 nice 5 php a.php", "5", "write cd .. && nice -n 5 nice -n 5 nice -n 5 php a.php"),
    ],
)
def test_a_number_where_a_runner_s_program_goes_is_told(
    tmp_path: Path, command: str, number: str, written: str
) -> None:
    """nice 5 php a.php was taken, though GNU nice takes its adjustment as -n 5 or -5 and runs a program named 5
    (not found, exit 127): told, with nice's adjustment where nice reads it. nice 5 nice 5 php a.php was offered
    nice -n 5 nice 5 php a.php, then told that one was refused too: each nice of the chain is mended in the one
    offer, which the real nice runs under dash."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran").replace("cd .. && ", ""))
    assert ran.returncode == 127 and number in ran.stderr and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    at = command.index(f" {number} ") + 2
    assert f"holds at character {at} {number} after" in line and "not found (exit 127)" in line, line
    assert written in line and "refused too" not in line, line
    if "nice -n" in written:
        mended = written.removeprefix("write ")
        done = _dash_with_runners(tmp_path, mended.replace("php a.php", "echo ran").replace("cd .. && ", ""))
        assert (done.returncode, done.stdout) == (0, "ran\n"), done
        assert cron.check_command(mended)
        assert subprocess.run([require_program("dash"), "-n", "-c", mended], check=False).returncode == 0


@pytest.mark.parametrize("command", ["nice -5 php a.php", "nice --5 php a.php", "nice -+5 php a.php"])
def test_nice_s_adjustment_as_an_option_is_taken(tmp_path: Path, command: str) -> None:
    """coreutils' nice reads -N, --N and -+N as its adjustment (nice.c), then runs the program."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.stdout == "ran\n", ran
    assert cron.check_command(command)
    assert cron.bash_only(command.replace("php a.php", "time php a.php")) is not None  # the program after it read


@pytest.mark.parametrize(
    ("command", "option", "given", "without"),
    [
        ("env -C php a.php", "-C", "env -C DIR php a.php", "env php a.php"),
        ("env --chdir php a.php", "--chdir", "env --chdir DIR php a.php", "env php a.php"),
        ("env -i -u php a.php", "-u", "env -i -u NAME php a.php", "env -i php a.php"),
        (
            "nice -n 5 env -C sh ../priv/a.sh",
            "-C",
            "nice -n 5 env -C DIR sh ../priv/a.sh",
            "nice -n 5 env sh ../priv/a.sh",
        ),
        ("xargs -a php a.php", "-a", "xargs -a FILE php a.php", "xargs php a.php"),
        # an option taking a number or a mode: the runner refuses the program's name there, and runs nothing
        ("nice -n php a.php", "-n", "nice -n N php a.php", "nice php a.php"),
        ("nice --adjustment php a.php", "--adjustment", "nice --adjustment N php a.php", "nice php a.php"),
        ("xargs -0 -n php a.php", "-n", "xargs -0 -n N php a.php", "xargs -0 php a.php"),
        ("stdbuf -oL -e php a.php", "-e", "stdbuf -oL -e MODE php a.php", "stdbuf -oL php a.php"),
        ("ionice -c sh ../priv/a.sh", "-c", "ionice -c CLASS sh ../priv/a.sh", "ionice sh ../priv/a.sh"),
        # the program named by its path (nice: invalid adjustment '/usr/bin/php')
        ("nice -n /usr/bin/php a.php", "-n", "nice -n N /usr/bin/php a.php", "nice /usr/bin/php a.php"),
        ("env -u /bin/sh ../priv/a.sh", "-u", "env -u NAME /bin/sh ../priv/a.sh", "env /bin/sh ../priv/a.sh"),
    ],
)
def test_a_program_s_name_taken_for_an_option_s_value_is_told(
    tmp_path: Path, command: str, option: str, given: str, without: str
) -> None:
    """env -C php a.php was taken, though -C takes a directory: env reads php as one, and runs a.php as the program
    (php never runs); nice -n php a.php, though nice refuses php for its adjustment (exit 125). Told, with the
    command meant: the value given, or the option left out."""
    local = command.replace("php a.php", "echo ran").replace("php", "echo").replace(" sh ", " echo ")
    ran = _dash_with_runners(tmp_path, local)
    assert ran.returncode != 0 and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    value = command.split(f" {option} ")[1].split(maxsplit=1)[0]
    at = command.index(f" {option} {value}") + len(option) + 3
    assert f"holds at character {at} {value} after " in line and f"{option}, which takes" in line, line
    assert f"write {given}" in line and f", or {without}" in line, line


@pytest.mark.parametrize(
    ("command", "without", "mended"),
    [
        ("xargs -0n php a.php", "xargs -0 php a.php", "xargs -0 echo ran"),
        ("ionice -tc sh ../priv/a.sh", "ionice -t sh ../priv/a.sh", "ionice -t echo ran"),
        ("env -iC php a.php", "env -i php a.php", None),
    ],
)
def test_flags_glued_before_an_option_missing_its_value_are_kept_in_the_offer(
    tmp_path: Path, command: str, without: str, mended: str | None
) -> None:
    """xargs -0n php a.php was offered xargs php a.php, the -0 glued before -n dropped (its arguments then read as
    blank-separated words): the option missing its value is left out alone, the letters before it kept."""
    line = _command_error(tmp_path, command)
    assert line.endswith(f", or {without}"), line
    assert cron.check_command(without)
    if mended is not None:
        ran = _dash_with_runners(tmp_path, mended)
        assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


@pytest.mark.parametrize(
    ("command", "given", "example", "refused"),
    [
        ("timeout php a.php", "timeout DURATION php a.php", "timeout 5m php a.php", True),
        ("timeout -k 10 php a.php", "timeout -k 10 DURATION php a.php", "timeout -k 10 5m php a.php", True),
        (
            "timeout --signal=KILL sh ../priv/a.sh",
            "timeout --signal=KILL DURATION sh ../priv/a.sh",
            "timeout --signal=KILL 5m sh ../priv/a.sh",
            True,
        ),
        ("chrt php a.php", "chrt PRIORITY php a.php", "chrt -i 0 php a.php", True),
        ("chrt -b php a.php", "chrt -b PRIORITY php a.php", "chrt -b 0 php a.php", True),
        ("taskset php a.php", "taskset MASK php a.php", "taskset 1 php a.php", True),
        (
            "nice -n 5 taskset -a php8.4 a.php",
            "nice -n 5 taskset -a MASK php8.4 a.php",
            "nice -n 5 taskset -a 1 php8.4 a.php",
            True,
        ),
        ("flock php a.php", "flock FILE php a.php", "flock ../run/cron.lock php a.php", False),
    ],
)
def test_a_program_s_name_where_a_runner_s_operand_goes_is_told(
    tmp_path: Path, command: str, given: str, example: str, refused: bool
) -> None:
    """timeout php a.php (chrt, taskset alike) was taken, though timeout reads php as its duration and runs nothing
    (invalid time interval 'php', exit 125); flock php a.php runs a.php, php read as its lock file. Told, with the
    operand written where it goes."""
    programs = r"php8\.4 a\.php|php a\.php|sh \.\./priv/a\.sh"
    ran = _dash_with_runners(tmp_path, re.sub(programs, "echo ran", command))
    assert "ran" not in ran.stdout and ran.returncode != 0, ran
    line = _command_error(tmp_path, command)
    assert f"write {given} (e.g. {example})" in line, line
    assert ("runs nothing" in line) is refused, line
    at = command.index(" php" if " php" in command else " sh ") + 2
    assert f"holds at character {at} " in line, line
    assert cron.check_command(example)
    programs = r"php8\.4 a\.php|php a\.php|sh \.\./priv/a\.sh"
    meant = _dash_with_runners(tmp_path, re.sub(programs, "echo ran", example.replace("../run/", "")))
    assert (meant.returncode, meant.stdout) == (0, "ran\n"), meant


@pytest.mark.parametrize(
    ("command", "refused"),
    [
        ("xargs -d php a.php", True),
        ("xargs --delimiter php a.php", True),
        ("xargs -E php a.php", False),
        ("xargs -I php a.php", False),
        ("xargs --process-slot-var php a.php", False),
    ],
)
def test_a_program_s_name_taken_for_xargs_other_values_is_told(tmp_path: Path, command: str, refused: bool) -> None:
    """xargs -d php a.php (a delimiter of one character, refused: exit 1) and xargs -E php a.php (an end-of-file
    string, -I's replacement, --process-slot-var's name: a.php run) were taken, as xargs -n php a.php is not."""
    local = command.replace("php a.php", "echo ran")
    ran = _dash_with_runners(tmp_path, local)
    assert ran.stdout == "", ran
    line = _command_error(tmp_path, command)
    option = command.split(" ")[1]
    assert f"holds at character {len(option) + 8} php after xargs {option}, which takes" in line, line
    assert ("runs nothing" in line) is refused, line
    assert line.endswith(", or xargs php a.php"), line


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        ("nice -n -- php a.php", "-n", "--"),
        ("nice --adjustment -- php a.php", "--adjustment", "--"),
        ("env -C -- php a.php", "-C", "--"),
        ("xargs -a -- php a.php", "-a", "--"),
        ("xargs -0 -n -- php a.php", "-n", "--"),
        ("xargs -d -- php a.php", "-d", "--"),
        ("stdbuf -o -- php a.php", "-o", "--"),
        ("ionice -c - php a.php", "-c", "-"),
        ("timeout -s -- 5m php a.php", "-s", "--"),
        ("timeout -k - 5m php a.php", "-k", "-"),
        ("flock -w -- ../run/lock php a.php", "-w", "--"),
        ("chrt -T -- 0 php a.php", "-T", "--"),
        ("nice -n 5 timeout --signal -- 5m php a.php", "--signal", "--"),
    ],
)
def test_an_end_of_options_taken_for_an_option_s_value_is_told(
    tmp_path: Path, command: str, option: str, value: str
) -> None:
    """nice -n -- php a.php was taken, though getopt takes the word after an option that takes a value whatever it
    is: nice reads -- as its adjustment, refuses it and runs nothing (exit 125); env -C -- runs nothing either (no
    directory --), timeout -s -- no signal --. Told, with the command meant: the value given before the end."""
    local = command.replace("../run/", "").replace("php a.php", "echo ran")
    ran = _dash_with_runners(tmp_path, local)
    assert ran.returncode != 0 and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    at = command.index(f" {option} {value} ") + len(option) + 3
    assert f"holds at character {at} {value} after " in line and f"{option}, which takes" in line, line
    assert f"reads {value} as that" in line and "runs nothing" in line, line
    written = command.replace(f" {option} {value} ", f" {option} ", 1)
    assert f"write {written.split(f' {option} ')[0]} {option} " in line, line


@pytest.mark.parametrize("command", ["env -u -- php a.php", "xargs -d - php a.php", "xargs -I -- php a.php"])
def test_an_end_of_options_that_is_a_value_the_runner_takes_is_taken(tmp_path: Path, command: str) -> None:
    """env -u -- unsets a variable named --, xargs -d - splits at -: they run php."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode == 0, ran
    assert cron.check_command(command)


def _first_said(stderr: str) -> str:
    """The first line a runner wrote refusing its options, its quotes (GNU's ‘...’) written '...', a process's id
    written PID."""
    line = stderr.splitlines()[0].replace("\u2018", "'").replace("\u2019", "'")
    return re.sub(r"\bpid [0-9]+'s", "pid PID's", line)


@pytest.mark.parametrize(
    ("command", "value", "given"),
    [
        ("nice -n 5x php a.php", "5x", "nice -n N php a.php"),
        ("nice -n x php a.php", "x", "nice -n N php a.php"),
        ("nice --adjustment 0x5 php a.php", "0x5", "nice --adjustment N php a.php"),
        ("xargs -n 0 php a.php", "0", "xargs -n N php a.php"),
        ("xargs -0 -P x php a.php", "x", "xargs -0 -P N php a.php"),
        ("xargs -L 1k php a.php", "1k", "xargs -L N php a.php"),
        ("timeout 5M php a.php", "5M", "timeout DURATION php a.php"),
        ("timeout 1,5 php a.php", "1,5", "timeout DURATION php a.php"),
        ("timeout 5ms php a.php", "5ms", "timeout DURATION php a.php"),
        ("timeout -k 5x 5m php a.php", "5x", "timeout -k DURATION 5m php a.php"),
        ("nice -n 5 timeout 2H php a.php", "2H", "nice -n 5 timeout DURATION php a.php"),
        # util-linux's: taskset's mask (in hexadecimal, or with -c a list of CPUs), chrt's priority
        ("taskset xyz php a.php", "xyz", "taskset MASK php a.php"),
        ("taskset -c 0x1 php a.php", "0x1", "taskset -c CPU-LIST php a.php"),
        ("chrt -i x php a.php", "x", "chrt -i PRIORITY php a.php"),
        ("chrt 0x0 php a.php", "0x0", "chrt PRIORITY php a.php"),
        ("taskset 0 php a.php", "0", "taskset MASK php a.php"),
        ("taskset 0x0,00 php a.php", "0x0,00", "taskset MASK php a.php"),
        # util-linux 2.38's cpulist_parse: a range upwards, a stride (:N) after a range alone, not 0
        ("taskset -c 3-1 php a.php", "3-1", "taskset -c CPU-LIST php a.php"),
        ("taskset -c 0-3:0 php a.php", "0-3:0", "taskset -c CPU-LIST php a.php"),
        ("taskset -c 1:2 php a.php", "1:2", "taskset -c CPU-LIST php a.php"),
        ("taskset -c 0-1x php a.php", "0-1x", "taskset -c CPU-LIST php a.php"),
        ("taskset -c 0,1-3-5 php a.php", "0,1-3-5", "taskset -c CPU-LIST php a.php"),
        ("taskset -c 0-3:2:1 php a.php", "0-3:2:1", "taskset -c CPU-LIST php a.php"),
        # stdbuf's modes, xargs' delimiter, env's name to unset
        ("stdbuf -o x php a.php", "x", "stdbuf -o MODE php a.php"),
        ("stdbuf -o 1Q php a.php", "1Q", "stdbuf -o MODE php a.php"),
        ("stdbuf --input L php a.php", "L", "stdbuf --input MODE php a.php"),
        ("xargs -d ab php a.php", "ab", "xargs -d CHARACTER php a.php"),
        ("xargs -0 -d '\\q' php a.php", "'\\q'", "xargs -0 -d CHARACTER php a.php"),
        ("env -u A=B php a.php", "A=B", "env -u NAME php a.php"),
    ],
)
def test_a_value_the_runner_refuses_is_told(tmp_path: Path, command: str, value: str, given: str) -> None:
    """nice -n 5x php a.php (timeout 5M ..., xargs -n 0 ...: a number or a duration the runner does not read) was
    taken, though the runner refuses it and runs nothing at every run (nice: invalid adjustment '5x', exit 125;
    timeout: invalid time interval '5M'; xargs 1): told, with the command meant."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode in (1, 125) and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    at = command.index(f" {value} ") + 2
    said = _first_said(ran.stderr)
    assert f"holds at character {at} {value} after " in line, line
    assert f"refuses {value} there ({said}) and runs nothing" in line and f"write {given} (e.g. " in line, line


@pytest.mark.parametrize(
    "command",
    [
        "nice -n +5 php a.php",
        "nice -n ' 5' php a.php",
        "xargs -P 0 php a.php",
        "xargs -n +1 php a.php",
        "timeout 1.5m php a.php",
        "timeout .5 php a.php",
        "timeout 1e1 php a.php",
        "timeout inf php a.php",
        "timeout 0x10 php a.php",
        "timeout -k 10s 5m php a.php",
        "taskset ff php a.php",
        "taskset -c 0-1 php a.php",
        "taskset -c 0-3:2 php a.php",
        "taskset -c 01-02,00 php a.php",
        "taskset -c 1:2,0 php a.php",  # cpulist_parse reads no stride after a CPU alone, nor what ends a part
        "taskset -c 0-1x,1 php a.php",
        "chrt -b 00 php a.php",
        "chrt -i +0 php a.php",
        "stdbuf -o 1KiB -e 0 -i 4kB php a.php",
        "stdbuf -oL php a.php",
        "xargs -d '\\x41' php a.php",
        "xargs -d '\\n' php a.php",
        "xargs -d , php a.php",
        "env -u LANG php a.php",
        "nice -n 100 php a.php",
        "timeout 1e3s php a.php",
    ],
)
def test_a_value_the_runner_reads_is_taken(tmp_path: Path, command: str) -> None:
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran
    assert cron.check_command(command)


@pytest.mark.parametrize(
    ("command", "written", "given"),
    [
        ("nice --adjustment=5x php a.php", "--adjustment=5x", "nice --adjustment=N php a.php"),
        ("nice -n5x php a.php", "-n5x", "nice -nN php a.php"),
        ("xargs -0n0 php a.php", "-0n0", "xargs -0nN php a.php"),
        ("xargs --max-args=0 php a.php", "--max-args=0", "xargs --max-args=N php a.php"),
        ("timeout --kill-after=5x 5m php a.php", "--kill-after=5x", "timeout --kill-after=DURATION 5m php a.php"),
        ("timeout -k5x 5m php a.php", "-k5x", "timeout -kDURATION 5m php a.php"),
    ],
)
def test_a_value_glued_to_its_option_the_runner_refuses_is_told(
    tmp_path: Path, command: str, written: str, given: str
) -> None:
    """nice --adjustment=5x php a.php (-n5x, xargs -n0, timeout -k5x: the value glued to its option) was taken, as
    nice -n 5x php a.php is not: the runner refuses it and runs nothing. Told, with the command meant."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode in (1, 125) and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {command.index(written) + 1} {written} after " in line, line
    assert f"there ({_first_said(ran.stderr)}) and runs nothing" in line and f"write {given} (e.g. " in line, line
    mended = line.rpartition("(e.g. ")[2].rstrip(")")
    assert cron.check_command(mended)
    ran = _dash_with_runners(tmp_path, mended.replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


@pytest.mark.parametrize(
    "command",
    ["nice -n+5 php a.php", "nice --adjustment=5 php a.php", "xargs -0n1 php a.php", "timeout -k10s 5m php a.php"],
)
def test_a_value_glued_to_its_option_the_runner_reads_is_taken(tmp_path: Path, command: str) -> None:
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran
    assert cron.check_command(command)


@pytest.mark.parametrize(
    ("command", "written", "said"),
    [
        ("timeout -s FOO 5m php a.php", "FOO", "timeout: 'FOO': invalid signal"),
        ("timeout --signal=FOO 5m php a.php", "--signal=FOO", "timeout: 'FOO': invalid signal"),
        ("timeout -sFOO 5m php a.php", "-sFOO", "timeout: 'FOO': invalid signal"),
        ("timeout -s 65 5m php a.php", "65", "timeout: '65': invalid signal"),
        ("timeout -s WINDOW 5m php a.php", "WINDOW", "timeout: 'WINDOW': invalid signal"),
        ("timeout --sig=+15 5m php a.php", "--sig=+15", "timeout: '+15': invalid signal"),
        ("nice -n 5 timeout -vsSIGFOO 5m php a.php", "-vsSIGFOO", "timeout: 'SIGFOO': invalid signal"),
        ("env --ignore-signal=x php a.php", "--ignore-signal=x", "env: 'x': invalid signal"),
        ("env --default-signal=x php a.php", "--default-signal=x", "env: 'x': invalid signal"),
        ("env --block-signal=x php a.php", "--block-signal=x", "env: 'x': invalid signal"),
        ("env --block-signal=TERM,FOO php a.php", "--block-signal=TERM,FOO", "env: 'FOO': invalid signal"),
        ("env --ignore-signal=0 php a.php", "--ignore-signal=0", "env: '0': invalid signal"),
        ("env --ignore-signal=EXIT php a.php", "--ignore-signal=EXIT", "env: 'EXIT': invalid signal"),
        (
            "env --default-sig=HUP,KILL php a.php",
            "--default-sig=HUP,KILL",
            "env: failed to set signal action for signal",
        ),
        ("env --ignore-signal=STOP php a.php", "--ignore-signal=STOP", "env: failed to set signal action for signal"),
    ],
)
def test_a_signal_the_runner_refuses_is_told(tmp_path: Path, command: str, written: str, said: str) -> None:
    """timeout -s FOO 5m php a.php (--signal=FOO, -sFOO; env --ignore-signal=x, --default-signal=x,
    --block-signal=x) was taken, though the runner refuses the signal and runs nothing at every run (timeout: 'FOO':
    invalid signal, exit 125; env refuses 0 and EXIT too, and sets no action of KILL or STOP): told with the runner's
    words, and a command meant that pic takes and that runs."""
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode == 125 and "ran" not in ran.stdout, ran
    assert said in _first_said(ran.stderr), ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {command.index(written) + 1} {written} after " in line, line
    assert f"there ({said}" in line and "and runs nothing (exit 125)" in line, line
    mended = line.rpartition("(e.g. ")[2].removesuffix(")")
    assert cron.check_command(mended)
    ran = _dash_with_runners(tmp_path, mended.replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


@pytest.mark.parametrize(
    "command",
    [
        "timeout -s term 5m php a.php",
        "timeout -s SIGKILL 5m php a.php",
        "timeout --signal=sig15 5m php a.php",
        "timeout -s 0 5m php a.php",
        "timeout -s 137 5m php a.php",
        "timeout -s RTMIN+1 5m php a.php",
        "timeout -sRTMAX-2 5m php a.php",
        "env --ignore-signal=TERM,HUP php a.php",
        "env --ignore-signal= php a.php",
        "env --block-signal=KILL,9 php a.php",
        "env --default-signal=SIGPIPE php a.php",
        "env --default-signal php a.php",
    ],
)
def test_a_signal_the_runner_reads_is_taken(tmp_path: Path, command: str) -> None:
    ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran
    assert cron.check_command(command)


def _dash_as_a_site_s_user(tmp_path: Path, command: str) -> subprocess.CompletedProcess[str]:
    """``command`` run as :func:`_dash_with_runners` runs it, as a user without capabilities, as a site's user runs
    in its container (CapEff 0): nobody, when the tests run as root."""
    if os.geteuid() != 0:
        return _dash_with_runners(tmp_path, command)
    tmp_path.chmod(0o777)  # its lock files
    drop = "--reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
    # the runners of /usr/bin, which nobody reaches (the tests' folders are root's alone)
    return _dash_with_runners(
        tmp_path, f"exec {require_program('setpriv')} {drop} /usr/bin/env PATH=/usr/bin {command}"
    )


@pytest.mark.parametrize(
    ("command", "written", "said"),
    [
        ("flock -w php ../run/lock php a.php", "php", "flock: invalid timeout value: 'php'"),
        ("flock -w 5s ../run/lock php a.php", "5s", "flock: invalid timeout value: '5s'"),
        ("flock --timeout=0,5 ../run/lock php a.php", "--timeout=0,5", "flock: invalid timeout value: '0,5'"),
        ("flock -w -1 ../run/lock php a.php", "-1", "flock: cannot set up timer: Invalid argument"),
        ("flock -nw inf ../run/lock php a.php", "inf", "flock: cannot set up timer: Invalid argument"),
        ("flock -E 300 ../run/lock php a.php", "300", "flock: exit code out of range (expected 0 to 255)"),
        ("flock -E0x5 ../run/lock php a.php", "-E0x5", "flock: invalid exit code: '0x5'"),
        ("chrt -T php -b 0 php a.php", "php", "chrt: invalid runtime argument: 'php'"),
        ("chrt -T 5 -i 0 php a.php", "5", "chrt: --sched-{runtime,deadline,period} options are supported for"),
        ("chrt -i -P5 0 php a.php", "-P5", "chrt: --sched-{runtime,deadline,period} options are supported for"),
        ("chrt -T 5 1 php a.php", "5", "chrt: --sched-{runtime,deadline,period} options are supported for"),
        ("chrt --sched-deadline=x -i 0 php a.php", "--sched-deadline=x", "chrt: invalid deadline argument: 'x'"),
        ("ionice -c x php a.php", "x", "ionice: unknown scheduling class: 'x'"),
        ("ionice -c 0x3 php a.php", "0x3", "ionice: invalid class argument: '0x3'"),
        ("ionice -c 9 php a.php", "9", "ionice: unknown prio class 9"),
        ("ionice -c 1 php a.php", "1", "ionice: ioprio_set failed: Operation not permitted"),
        ("ionice --class=realtime php a.php", "--class=realtime", "ionice: ioprio_set failed: Operation not permitted"),
        ("ionice -c4 php a.php", "-c4", "ionice: unknown prio class 4"),
        ("ionice -n x php a.php", "x", "ionice: invalid class data argument: 'x'"),
        ("ionice -n -1 php a.php", "-1", "ionice: ioprio_set failed: Invalid argument"),
        ("ionice -n 100000 -c 2 php a.php", "100000", "ionice: ioprio_set failed: Invalid argument"),
    ],
)
def test_a_number_or_a_class_the_runner_refuses_is_told(tmp_path: Path, command: str, written: str, said: str) -> None:
    """flock -w php ../run/lock a.php (chrt -T php 1 a.php, ionice -c 9 php a.php) was taken, though the runner
    refuses the value (flock: invalid timeout value: 'php', exit 64; chrt's --sched-runtime is for SCHED_DEADLINE
    alone; a site's user may set no real-time I/O class, the kernel reading class 9 as 1) and runs nothing at every
    run: told with the runner's words, and a command meant that pic takes and that runs."""
    local = command.replace("../run/", "").replace("php a.php", "echo ran")
    ran = _dash_as_a_site_s_user(tmp_path, local)
    assert ran.returncode in (1, 64, 71) and "ran" not in ran.stdout and said in _first_said(ran.stderr), ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {command.index(f' {written}') + 2} {written} after " in line, line
    assert f"({said}" in line and f"and runs nothing (exit {ran.returncode})" in line, line
    assert "it is refused too" not in line, line  # what is offered is taken
    tail = line.rpartition("write ")[2]
    mended = tail.rpartition("(e.g. ")[2].removesuffix(")") if "(e.g. " in tail else tail.rpartition(": ")[2]
    assert cron.check_command(mended)
    ran = _dash_as_a_site_s_user(tmp_path, mended.replace("../run/", "").replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


@pytest.mark.parametrize(
    "command",
    [
        "flock -w 0.5 ../run/lock php a.php",
        "flock -w 0x1p3 ../run/lock php a.php",
        "flock -w ' +.5e1' ../run/lock php a.php",
        "flock -E 255 ../run/lock php a.php",
        "chrt -T 0 -i 0 php a.php",
        "ionice -c idle php a.php",
        "ionice -c Best-Effort -n 7 php a.php",
        "ionice -c 3 -n 9 php a.php",
        "ionice -c 02 php a.php",
        "ionice -t -c 1 php a.php",
        "ionice -n 0 -c 8 php a.php",
    ],
)
def test_a_number_or_a_class_the_runner_reads_is_taken(tmp_path: Path, command: str) -> None:
    ran = _dash_as_a_site_s_user(tmp_path, command.replace("../run/", "").replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran
    assert cron.check_command(command)


@pytest.mark.parametrize(
    ("command", "written", "level"),
    [
        ("ionice -n 9 php a.php", "9", 1),
        ("ionice -c 2 -n 8 php a.php", "8", 0),
        ("ionice --class=best-effort --classdata=15 php a.php", "--classdata=15", 7),
        ("ionice -c2 -n15 php a.php", "-n15", 7),
        ("nice -n 5 ionice -n 12 php a.php", "12", 4),
    ],
)
def test_an_io_priority_beyond_7_is_told(tmp_path: Path, command: str, written: str, level: int) -> None:
    """ionice -n 9 php a.php was taken, as the kernel of this machine (Linux 6.18) takes it: ionice(1) documents
    0 to 7 for the best-effort and real-time classes; bookworm's Linux 6.1 refuses more (ioprio_set failed: Invalid
    argument, exit 1: the job never runs), Linux 6.5 and later read the 3 low bits as the priority (9: 1, higher
    than the default 4) and the others as an I/O hint. Told so, 7 (the lowest) offered, which pic takes and runs."""
    ran = _dash_as_a_site_s_user(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode == 0 or "ioprio_set failed: Invalid argument" in ran.stderr, ran  # 6.5 and later; 6.1
    line = _command_error(tmp_path, command)
    assert f"holds at character {command.index(f' {written}') + 2} {written} after " in line, line
    assert "a priority level, 0 (the highest) to 7 (the lowest)" in line, line
    assert "(ionice: ioprio_set failed: Invalid argument, on bookworm's Linux 6.1" in line, line
    assert f"Linux 6.5 and later read it as priority {level}, its 3 low bits, and an I/O hint" in line, line
    mended = line.rpartition("(e.g. ")[2].removesuffix(")")
    assert "7" in mended.split() or "-n7" in mended.split() or "--classdata=7" in mended.split(), line
    assert cron.check_command(mended)
    ran = _dash_as_a_site_s_user(tmp_path, mended.replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


@pytest.mark.parametrize(
    ("command", "written", "said", "mended"),
    [
        ("chrt 1 php a.php", "1", "failed to set pid 0's policy: Operation not permitted", "chrt -b 0 php a.php"),
        ("chrt -f 50 php a.php", "50", "failed to set pid 0's policy: Operation not permitted", "chrt -b 0 php a.php"),
        ("chrt --rr 1 php a.php", "1", "failed to set pid 0's policy: Operation not permitted", "chrt -b 0 php a.php"),
        ("chrt -d 0 php a.php", "0", "failed to set pid 0's policy: Invalid argument", "chrt -b 0 php a.php"),
        ("chrt 0 php a.php", "0", "unsupported priority value for the policy: 0", "chrt -b 0 php a.php"),
        ("chrt -f 100 php a.php", "100", "unsupported priority value for the policy: 100", "chrt -b 0 php a.php"),
        ("chrt -i 1 php a.php", "1", "unsupported priority value for the policy: 1", "chrt -i 0 php a.php"),
        ("chrt -R -o 5 php a.php", "5", "unsupported priority value for the policy: 5", "chrt -R -o 0 php a.php"),
    ],
)
def test_a_priority_chrt_refuses_for_a_site_s_user_is_told(
    tmp_path: Path, command: str, written: str, said: str, mended: str
) -> None:
    """chrt 1 php a.php (SCHED_RR, its default; -f, -d) was taken, though a site's user, with no capability, may set
    no real-time policy (failed to set pid 0's policy: Operation not permitted, exit 1), and chrt -i 1 php a.php,
    though SCHED_IDLE's priority is 0 alone: chrt runs nothing at every run. Told with chrt's words, and a policy
    a site's user may set."""
    ran = _dash_as_a_site_s_user(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode == 1 and "ran" not in ran.stdout and said in ran.stderr, ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {command.rindex(f' {written} ') + 2} {written} after " in line, line
    assert f"(chrt: {said}" in line and "and runs nothing (exit 1)" in line and line.endswith(f"write {mended}"), line
    assert cron.check_command(mended)
    ran = _dash_as_a_site_s_user(tmp_path, mended.replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


@pytest.mark.parametrize(
    ("command", "said", "why"),
    [
        ("chrt -d 0 php a.php", "Invalid argument", "no deadline (--sched-deadline) nor period (--sched-period)"),
        (
            "chrt -d --sched-runtime 1000000 0 php a.php",
            "Invalid argument",
            "no deadline (--sched-deadline) nor period (--sched-period)",
        ),
        (
            "chrt -d --sched-runtime 5000000 --sched-deadline 1000000 --sched-period 2000000 0 php a.php",
            "Invalid argument",
            "its runtime, 5000000 ns, is more than its deadline, 1000000 ns",
        ),
        (
            "chrt -d -T 1000000 -D 2000000 -P 1000000 0 php a.php",
            "Invalid argument",
            "its deadline, 2000000 ns, is more than its period, 1000000 ns",
        ),
        ("chrt -d -T 1000 -D 2000000 0 php a.php", "Invalid argument", "its runtime, 1000 ns, is less than 1024 ns"),
        ("chrt -d -T 1024 -D 5000 -P 0 0 php a.php", "Invalid argument", "its period, 5000 ns (its deadline: no"),
        ("chrt -d -P 5000000000 0 php a.php", "Invalid argument", "ns, is more than the kernel takes"),
        ("chrt -d --sched-period 2000000 0 php a.php", "Operation not permitted", ""),
        ("chrt -d -T 1024 -D 100000 0 php a.php", "Operation not permitted", ""),
        ("chrt -d -T 1000000 -D 2000000 -P 3000000 0 php a.php", "Operation not permitted", ""),
    ],
)
def test_sched_deadline_s_times_are_told_as_the_kernel_reads_them(
    tmp_path: Path, command: str, said: str, why: str
) -> None:
    """chrt -d --sched-runtime 5000000 --sched-deadline 1000000 ... 0 php a.php was told 'failed to set pid 0's
    policy: Invalid argument', whatever its times: the kernel refuses them (Invalid argument) unless runtime <=
    deadline <= period (nanoseconds; chrt takes the deadline from the period, the runtime from the deadline, when
    not given), the runtime at least 1024 ns, the period from 100 us to 4.194304 s; times it takes, it refuses a
    site's user the policy (Operation not permitted), as chrt run here as nobody says. Told so, chrt -b 0 offered."""
    ran = _dash_as_a_site_s_user(tmp_path, command.replace("php a.php", "echo ran"))
    assert ran.returncode == 1 and f"chrt: failed to set pid 0's policy: {said}" in ran.stderr, ran
    line = _command_error(tmp_path, command)
    assert f"(chrt: failed to set pid 0's policy: {said})" in line, line
    assert why in line, line
    if not why:
        assert "runtime <= deadline <= period" not in line, line
    else:
        assert "runtime <= deadline <= period, in nanoseconds" in line, line
    assert line.endswith("write chrt -b 0 php a.php"), line


def test_a_real_time_policy_missing_its_priority_is_offered_one_a_site_s_user_may_set(tmp_path: Path) -> None:
    """chrt -f php a.php was offered chrt -f 1 php a.php, which chrt refuses a site's user (failed to set pid 0's
    policy: Operation not permitted): offered chrt -b 0 php a.php, which pic takes and which runs."""
    line = _command_error(tmp_path, "chrt -f php a.php")
    assert "holds at character 9 php after chrt -f, where chrt reads its priority: chrt refuses php there" in line, line
    assert line.endswith("write chrt -b 0 php a.php (chrt's real-time policies are not a site's user's to set)"), line
    assert cron.check_command("chrt -b 0 php a.php")
    ran = _dash_as_a_site_s_user(tmp_path, "chrt -b 0 echo ran")
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


SIGNAL_WORDS = (
    *("TERM", "term", "SigTerm", "SIGKILL", "sig15", "SIG0", "EXIT", "SIGEXIT", "CLD", "IOT", "POLL", "STKFLT"),
    *("RTMIN", "RTMIN+30", "RTMIN+31", "RTMIN1", "RTMIN 1", "RTMIN ", "RTMAX-30", "RTMAX-31", "RTMAX+1", "rtmax-0"),
    *("0", "015", "64", "65", "127", "128", "137", "192", "200", "256", "1029", "4294967305", " 15", "+15", "-15"),
    *("0x10", "15x", "", "UNUSED", "FOO", "TERM,HUP", "\u0661\u0665", "\uff11\uff15", "32", "SIG33"),
    *(str(n) for n in (*range(60, 70), *range(120, 133), *range(190, 196), *range(250, 260), 384, 385, 768, 65537)),
)


STDBUF_MODES = (
    *("L", "l", "0", "1", "+5", " 5", "-1", "1K", "1k", "1KB", "1kB", "1KiB", "1kiB", "1M", "1G", "1T", "1P", "1E"),
    *("1Z", "1Y", "1Q", "1R", "1b", "1B", "1iB", "0x10", "010", "1K ", "", "99999999999999999999", "\u0661"),
)
XARGS_DELIMITERS = (
    *(",", "ab", "", "\\", "\\n", "\\t", "\\a", "\\v", "\\f", "\\r", "\\b", "\\q", "\\0", "\\00"),
    *("\\0101", "\\101", "\\x41", "\\x4", "\\x", "\\x411", "\\xg", "\\0400", "\\\\", "\u00e9", "-", " "),
)


def test_modes_and_delimiters_are_read_as_the_runners_read_them(tmp_path: Path) -> None:
    """Every word of :data:`STDBUF_MODES` and :data:`XARGS_DELIMITERS`: pic refuses it exactly where stdbuf -o
    (coreutils' xstrtoumax) and xargs -d refuse it."""
    for option, words in (("stdbuf -o", STDBUF_MODES), ("xargs -d", XARGS_DELIMITERS)):
        for word in words:
            command = f"{option} {shlex.quote(word)} echo ran"
            ran = _dash_with_runners(tmp_path, command)
            refused = cron._value_said(option.split()[0], option[-1], word, list[str | None](shlex.split(command)), 0)
            assert (ran.returncode == 0) == (refused is None), (command, ran, refused)
            if refused is not None and word.isascii():  # the C locale writes other characters in octal escapes
                assert refused == _first_said(ran.stderr), (command, ran)


def test_signals_are_read_as_coreutils_reads_them(tmp_path: Path) -> None:
    """Every word of :data:`SIGNAL_WORDS`: pic reads a signal in it exactly where timeout sends one (coreutils'
    operand2sig)."""
    for word in SIGNAL_WORDS:
        done = subprocess.run(
            [require_program("timeout"), "-s", word, "5", "true"], capture_output=True, text=True, check=False
        )
        assert (done.returncode == 0) == (cron.coreutils_signal(word) is not None), (word, done)


@pytest.mark.parametrize(
    ("command", "written"),
    [
        ("xargs --max-chars=1 echo ran", "--max-chars=1"),
        ("xargs -s 8 echo ran", "8"),
        ("xargs -0s8 echo ran", "-0s8"),
        ("xargs --max-c=5 -0 echo ran", "--max-c=5"),
        ("xargs -s 0 echo ran", "0"),
        ("xargs -s x echo ran", "x"),
        ("xargs -s 4 -r", "4"),  # xargs' own command, echo, 5 bytes
        ("nice -n 5 xargs -s 12 echo abc-def", "12"),
    ],
)
def test_a_size_xargs_cannot_fit_its_command_in_is_told(tmp_path: Path, command: str, written: str) -> None:
    """xargs --max-chars=1 php a.php was taken, though xargs counts its command's own words in that size (each with
    the NUL ending it, echo ran: 9 bytes) and, unable to fit them, runs nothing (exit 1) at every run: told with
    xargs' words, and a command meant that pic takes and that runs."""
    ran = _dash_with_runners(tmp_path, command)
    assert ran.returncode == 1 and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {command.index(f' {written}') + 2} {written} after " in line, line
    assert f"there ({_first_said(ran.stderr)}) and runs nothing (exit 1)" in line, line
    mended = line.rpartition("(e.g. ")[2].removesuffix(")")
    assert cron.check_command(mended)
    ran = _dash_with_runners(tmp_path, mended)
    assert ran.returncode == 0, ran


@pytest.mark.parametrize(
    "command",
    ["xargs -s 9 echo ran", "xargs --max-chars=+9 echo ran", "xargs -I{} -s 5 echo ran {}", "xargs -s 5 -r"],
)
def test_a_size_xargs_fits_its_command_in_is_taken(tmp_path: Path, command: str) -> None:
    ran = _dash_with_runners(tmp_path, command)
    assert ran.returncode == 0 and ran.stderr == "", ran
    assert cron.check_command(command)


@pytest.mark.parametrize("command", ["env -C ../www php a.php", "env -u LANG php a.php", "xargs -a ../priv/list php"])
def test_an_option_s_value_that_is_no_program_s_name_is_taken(command: str) -> None:
    _dash_reads_and_pic_takes(command)


@pytest.mark.parametrize(
    ("command", "option", "written"),
    [
        # env's '-' (its -i) is read before the variables alone: after them, it is the program
        ("env X=1 - php a.php", "-", "env - X=1 php a.php"),
        ("env -- X=1 - php a.php", "-", "env -- - X=1 php a.php"),
        # a second '--' after the operand: the first ends the options already
        ("env -- X=1 -- php a.php", "--", "env -- X=1 php a.php"),
        ("timeout -- 5m -- php a.php", "--", "timeout -- 5m php a.php"),
        ("flock -- ../run/lock -- php a.php", "--", "flock -- ../run/lock php a.php"),
        # env's '-' ends its options too: a '--', another '-' or an option after it
        ("env - X=1 -- php a.php", "--", "env - X=1 php a.php"),
        ("env - -- X=1 php a.php", "--", "env - X=1 php a.php"),
        ("env -u LANG - X=1 - php a.php", "-", "env -u LANG - X=1 php a.php"),
        ("env - X=1 -u LANG php a.php", "-u", "env -u LANG - X=1 php a.php"),
    ],
)
def test_env_s_dash_and_a_second_end_of_options_after_the_operand_are_told(
    tmp_path: Path, command: str, option: str, written: str
) -> None:
    """env X=1 - php a.php was taken, env running a program named - (exit 127); env -- X=1 -- php a.php was offered
    env -- -- X=1 php a.php, which runs a program named -- in turn."""
    local = command.replace("../run/", "").replace("php a.php", "echo ran")
    ran = _dash_with_runners(tmp_path, local)
    assert ran.returncode in (127, 69) and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    at = command.rindex(f" {option} ") + 2
    assert f"holds at character {at} {option} after" in line and f"write {written};" not in line, line
    assert line.endswith(f"write {written}"), line
    mended = _dash_with_runners(tmp_path, written.replace("../run/", "").replace("php a.php", "echo ran"))
    assert (mended.returncode, mended.stdout) == (0, "ran\n"), mended
    assert cron.check_command(written)


def _long_options_of(program: str) -> set[str]:
    """The long options the real ``program`` lists in its --help."""
    shown = subprocess.run([require_program(program), "--help"], capture_output=True, text=True, check=False)
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", shown.stdout + shown.stderr))


@pytest.mark.parametrize(
    "name", ["env", "nice", "timeout", "setsid", "stdbuf", "ionice", "flock", "chrt", "taskset", "xargs"]
)
def test_abbreviated_long_options_are_read_as_the_real_runner_reads_them(tmp_path: Path, name: str) -> None:
    """Every abbreviation of every long option of the runner (as its --help lists them, and as pic knows them): pic
    reads it as naming several options exactly where the real program refuses it as ambiguous, and names the same
    ones (getopt_long(3) takes a prefix naming one option, or several names of one: flock's --nb, --nonblocking)."""
    wrapper = cron._WRAPPERS[name]
    names = _long_options_of(name) | set(cron._long_names(wrapper))
    prefixes = {n[:k] for n in names for k in range(3, len(n) + 1)}
    for prefix in sorted(prefixes):
        done = subprocess.run(
            [require_program(name), prefix],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            timeout=10,
        )
        real = set(re.findall(r"'(--[a-z-]+)'", done.stderr.partition("possibilities:")[2]))
        assert ("is ambiguous" in done.stderr) == bool(real), done
        assert set(cron._ambiguous(wrapper, prefix)) == real, (prefix, done.stderr)
        if not real and "unrecognized option" not in done.stderr:
            assert cron._long_option(wrapper, prefix) in names, (prefix, done.stderr)


@pytest.mark.parametrize(
    ("command", "option", "names", "written"),
    [
        ("env --i php a.php", "--i", "(--ignore-environment, --ignore-signal)", "env --ignore-environment php a.php"),
        ("timeout --v 5m php a.php", "--v", "(--verbose, --version)", "write the option whole: timeout --verbose 5m"),
        ("nice -n 5 flock --n ../run/lock php a.php", "--n", "(--nonblocking, --no-fork)", "flock --no-fork"),
        ("xargs --max=1 php a.php", "--max=1", "--max-args", "xargs --max-args=1 php a.php"),
    ],
)
def test_an_abbreviation_of_several_long_options_is_told(
    tmp_path: Path, command: str, option: str, names: str, written: str
) -> None:
    """env --i php a.php was taken, though --i starts --ignore-environment and --ignore-signal: env refuses it as
    ambiguous and runs nothing (exit 125; util-linux's and findutils' runners 1, flock 64)."""
    ran = _dash_with_runners(tmp_path, command.replace("../run/", "").replace("php a.php", "echo ran"))
    assert ran.returncode in (125, 64, 1) and "is ambiguous" in ran.stderr and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    at = command.index(f" {option}") + 2
    assert f"holds at character {at} {option} after" in line and names in line, line
    assert f"refuses it as ambiguous and runs nothing (exit {ran.returncode})" in line and written in line, line
    assert "version" not in line.partition("write")[2], line


@pytest.mark.parametrize(
    ("command", "option", "written"),
    [
        ("nice --x php a.php", "--x", "nice php a.php"),
        ("taskset --x 1 php a.php", "--x", "taskset 1 php a.php"),
        ("nice --adjustement=5 php a.php", "--adjustement=5", "nice --adjustment=5 php a.php"),
        ("timeout --kil-after=5 5m php a.php", "--kil-after=5", "timeout --kill-after=5 5m php a.php"),
        ("nohup --quiet php a.php", "--quiet", "nohup php a.php"),
        ("flock -n --wiat=5 ../run/lock php a.php", "--wiat=5", "flock -n --wait=5 ../run/lock php a.php"),
        ("nice -n 5 xargs --nulls php a.php", "--nulls", "nice -n 5 xargs --null php a.php"),
        ("env --chdri ../www php a.php", "--chdri", "env --chdir ../www php a.php"),
        ("setsid --x php a.php", "--x", "setsid php a.php"),
    ],
)
def test_a_long_option_the_runner_does_not_have_is_told(
    tmp_path: Path, command: str, option: str, written: str
) -> None:
    """nice --x php a.php (taskset --x 1 php a.php) was taken, though the runner refuses an option it does not have
    (nice: unrecognized option '--x', exit 125; util-linux's 1) and runs nothing at every run: told with the
    runner's words, and the option meant when one is near, or the command without it."""
    local = command.replace("../run/", "").replace("../www", ".").replace("php a.php", "echo ran")
    ran = _dash_with_runners(tmp_path, local)
    assert ran.returncode in (1, 64, 125) and "ran" not in ran.stdout, ran
    said = _first_said(ran.stderr)
    assert said.endswith(f"unrecognized option '{option}'"), ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {command.index(f' {option}') + 2} {option} after " in line, line
    assert f"refuses it ({said}) and runs nothing (exit {ran.returncode})" in line, line
    assert line.endswith(f"write {written}"), line
    assert cron.check_command(written)
    local = written.replace("../run/", "").replace("../www", ".").replace("php a.php", "echo ran")
    ran = _dash_with_runners(tmp_path, local)
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


@pytest.mark.parametrize(
    ("command", "option", "name", "written"),
    [
        ("setsid --fork=1 php a.php", "--fork=1", "--fork", "setsid --fork php a.php"),
        ("taskset --cpu-list=0 php a.php", "--cpu-list=0", "--cpu-list", "taskset --cpu-list 0 php a.php"),
        ("taskset --cpu=0 1 php a.php", "--cpu=0", "--cpu-list", "taskset --cpu 1 php a.php"),
        (
            "env --ignore-environment=1 php a.php",
            "--ignore-environment=1",
            "--ignore-environment",
            "env --ignore-environment php a.php",
        ),
        ("timeout --verbose=yes 5m php a.php", "--verbose=yes", "--verbose", "timeout --verbose 5m php a.php"),
        ("flock --nb=1 ../run/lock php a.php", "--nb=1", "--nb", "flock --nb ../run/lock php a.php"),
        ("nice -n 5 xargs --null=1 php a.php", "--null=1", "--null", "nice -n 5 xargs --null php a.php"),
    ],
)
def test_a_long_option_of_no_value_given_one_is_told(
    tmp_path: Path, command: str, option: str, name: str, written: str
) -> None:
    """setsid --fork=1 php a.php (taskset --cpu-list=0, env --ignore-environment=1) was taken without a word, though
    the runner refuses a value given to an option that takes none (setsid: option '--fork' doesn't allow an
    argument, exit 1; coreutils' 125) and runs nothing at every run: told with the runner's words, and the command
    with the option alone when it is taken, else with its value as the next word (taskset --cpu-list php a.php
    would read php as its mask: taskset --cpu-list 0 php a.php is offered)."""
    local = command.replace("../run/", "").replace("php a.php", "echo ran")
    ran = _dash_with_runners(tmp_path, local)
    assert ran.returncode in (1, 64, 125) and "ran" not in ran.stdout, ran
    said = _first_said(ran.stderr)
    assert said.endswith(f"option '{name}' doesn't allow an argument"), ran
    line = _command_error(tmp_path, command)
    assert f"holds at character {command.index(f' {option}') + 2} {option} after " in line, line
    assert f"refuses it ({said}) and runs nothing (exit {ran.returncode})" in line, line
    assert line.endswith(f"write {written}"), line
    assert cron.check_command(written)
    local = written.replace("../run/", "").replace("php a.php", "echo ran")
    ran = _dash_with_runners(tmp_path, local)
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


@pytest.mark.parametrize(
    "command",
    [
        "env --argv0=php php a.php",  # coreutils 9.7's (trixie's runtime images)
        "env --argv php a.php",
        "flock --fcntl ../run/lock php a.php",  # util-linux 2.41's
        "nice --5 php a.php",
        "nice --adj=5 php a.php",
    ],
)
def test_a_long_option_of_a_newer_release_or_read_is_taken(command: str) -> None:
    assert cron.check_command(command)


@pytest.mark.parametrize(
    ("command", "offered"),
    [
        ("xargs --max=1 echo ran", [f"xargs --max-{n}=1 echo ran" for n in ("args", "procs", "lines")]),
        ("xargs --max=9 echo ran", [f"xargs --max-{n}=9 echo ran" for n in ("args", "procs", "chars", "lines")]),
        ("env --i=x echo ran", []),
        ("env --i=TERM echo ran", ["env --ignore-signal=TERM echo ran"]),
        ("nice -n 5 env --i=KILL echo ran", []),
    ],
)
def test_an_abbreviation_is_offered_only_as_options_that_run_the_command(
    tmp_path: Path, command: str, offered: list[str]
) -> None:
    """xargs --max=1 php a.php was offered xargs --max-chars=1 php a.php among others, which xargs refuses (cannot fit
    its command in 1 byte), and env --i=x php a.php env --ignore-signal=x php a.php ('x': invalid signal): each
    option offered is one whose command is taken and runs."""
    line = _command_error(tmp_path, command)
    assert "refuses it as ambiguous and runs nothing" in line, line
    told = line.partition("write the option whole")[2].removeprefix(": ")
    assert (told.split(" or ") if told else []) == offered, line
    for whole in offered:
        assert cron.check_command(whole)
        ran = _dash_with_runners(tmp_path, whole)
        assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


@pytest.mark.parametrize(
    ("command", "written"),
    [
        ("taskset 1 --all-tasks php a.php Lilas2024x", "write taskset --all-tasks 1 php a.php ..."),
        ("timeout 5m --kill-after=5 php a.php Lilas2024x", "write timeout --kill-after=5 5m php a.php ..."),
        ("env --i php a.php Lilas2024x", "(--ignore-environment, --ignore-signal)"),
        ("nice -n 5 env Lilas2024x=1 -- php a.php", "write nice -n 5 env -- ...=1 php a.php"),
        # the name of a variable set is no secret, but one holding the password in another case
        ("env APP_ENV=prod -u LANG php a.php Lilas2024x", "write env -u LANG APP_ENV=prod php a.php ..."),
        ("env LILAS2024X=1 -- php a.php Lilas2024x", "write env -- ...=1 php a.php ..."),
    ],
)
def test_a_runner_s_options_are_shown_where_another_word_is_hidden_as_a_secret(
    tmp_path: Path, command: str, written: str
) -> None:
    """taskset 1 --all-tasks php a.php Lilas2024x was told to write taskset ... 1 php a.php ...: the runner's options
    were hidden with the password. A runner's option is no secret: shown, the password alone hidden."""
    line = _command_error(tmp_path, command)
    assert "(not shown: it may be a secret)" in line and "lilas2024x" not in line.lower() and written in line, line


@pytest.mark.parametrize(
    ("command", "cpus", "told"),
    [
        ("taskset -c 999 php a.php", 2, "names CPU 999 at least (taskset -c 999)"),
        ("nice -n 5 taskset -c 2-3 php a.php", 2, "names CPU 2 at least (taskset -c 2-3)"),
        ("timeout 5m taskset 4 php a.php", 2, "names CPU 2 at least (taskset 4)"),
        ("taskset -c 999 php a.php", None, "names CPU 999 at least (taskset -c 999)"),
        ("taskset -c 1 php a.php", None, "names CPU 1 at least (taskset -c 1)"),
    ],
)
def test_a_cpu_the_web_host_does_not_have_is_warned(tmp_path: Path, command: str, cpus: int | None, told: str) -> None:
    """taskset -c 999 php a.php was taken, though taskset refuses a mask naming no CPU the host has (failed to set
    pid ...'s affinity: Invalid argument, exit 1, as here, where CPU 999 is none): its check cannot know the host's
    CPUs; pic check says what it knows: the web host's, when it declares them (pic:hosts.web1.cpus), and the
    least CPU a host needs otherwise, CPU 0 alone being on every host."""
    ran = _dash_as_a_site_s_user(tmp_path, "taskset -c 999 echo ran")
    assert ran.returncode == 1 and "failed to set pid PID's affinity: Invalid argument" in _first_said(ran.stderr)
    project = project_copy(tmp_path)
    if cpus is not None:
        settings = project / "Pulumi.prod.yaml"
        text = settings.read_text()
        assert text.count("ssh_user: deploy}") >= 1
        settings.write_text(text.replace("ssh_user: deploy}", f"ssh_user: deploy, cpus: {cpus}}}", 1))
    members = write_members(
        tmp_path / "members",
        {"asso-cron": member(10700, site=SITE, cron=[{"schedule": "daily", "command": command}])},
    )
    warnings = [w for w in check(project, "prod", members, ON).warnings if w.path == "cron[0].command"]
    [warning] = warnings
    assert warning.file.endswith("asso-cron.yaml") and told in warning.message, warning
    assert "(taskset: failed to set pid PID's affinity: Invalid argument) and runs nothing (exit 1)" in warning.message
    if cpus is not None:
        assert f"web host web1 has {cpus} CPUs (pic:hosts.web1.cpus), numbered 0 to {cpus - 1}" in warning.message
    else:
        assert "web host web1 declares no number of CPUs (pic:hosts.web1.cpus)" in warning.message, warning


def test_a_cpu_every_web_host_has_is_not_warned(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    jobs = [{"schedule": "daily", "command": c} for c in ("taskset -c 0 php a.php", "taskset 1 php a.php")]
    jobs.append({"schedule": "weekly", "command": "taskset -c 3,0-1 php a.php"})
    members = write_members(tmp_path / "members", {"asso-cron": member(10700, site=SITE, cron=jobs)})
    assert not [w for w in check(project, "prod", members, ON).warnings if w.path.startswith("cron")]


@pytest.mark.parametrize("command", ["taskset -c 3-1 php a.php", "nice -n 5 taskset -a -c 1,,2 php a.php"])
def test_a_cpu_list_refused_is_offered_cpu_0(tmp_path: Path, command: str) -> None:
    """taskset -c 3-1 php a.php was offered taskset -c 1, CPU 1, which a host of one CPU does not have (failed to
    set pid ...'s affinity: Invalid argument), and which pic check then warns of: CPU 0 is offered, every host's."""
    line = _command_error(tmp_path, command)
    offered = line.rpartition("(e.g. ")[2].removesuffix(")")
    assert offered == re.sub(r"-c \S+", "-c 0", command), line
    assert cron.taskset_cpus(offered) == [(offered[offered.index("taskset") : offered.index(" php")], 0)]
    ran = _dash_as_a_site_s_user(tmp_path, offered.replace("php a.php", "echo ran"))
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran


# A command refused within a longer line, and what is offered for it: the whole line, the part at fault alone
# replaced (its placeholder kept), then the example that fills it when there is one.
_WHOLE_LINE_OFFERS = [
    (
        "cd /tmp && nice -n 5 timeout -s FOO 5m php x.php",
        "cd /tmp && nice -n 5 timeout -s SIGNAL 5m php x.php",
        "cd /tmp && nice -n 5 timeout -s TERM 5m php x.php",
    ),
    ("php a.php | timeout 1x cat", "php a.php | timeout DURATION cat", "php a.php | timeout 5m cat"),
    (
        "cd ../www; timeout php a.php 2>&1",
        "cd ../www; timeout DURATION php a.php 2>&1",
        "cd ../www; timeout 5m php a.php 2>&1",
    ),
    ("cd .. && nice -n5x php a.php", "cd .. && nice -nN php a.php", "cd .. && nice -n10 php a.php"),
    ("nice 5 >/dev/null php a.php; echo ok", "nice -n 5 >/dev/null php a.php; echo ok", None),
    ("echo $(nice 5 php a.php) > ../log/x", "echo $(nice -n 5 php a.php) > ../log/x", None),
    ("timeout 5m -s KILL php a.php >> ../log/a.log", "timeout -s KILL 5m php a.php >> ../log/a.log", None),
    ("echo x; nice --adjustement=5 php a.php", "echo x; nice --adjustment=5 php a.php", None),
    ("env --block-signal TERM php a.php | cat", "env --block-signal=TERM php a.php | cat", None),
    ("cd .. && chrt -f 1 php a.php", "cd .. && chrt -b 0 php a.php", None),
    ("env -C php a.php && echo done", "env -C DIR php a.php && echo done", "env php a.php && echo done"),
    (
        "cd .. && timeout -s -- 5m php a.php",
        "cd .. && timeout -s SIGNAL -- 5m php a.php",
        "cd .. && timeout -- 5m php a.php",
    ),
    # a word of env -S's string mended in it, where sh and env read it alike
    ("cd .. && env -S 'nice 5' php a.php", "cd .. && env -S 'nice -n 5' php a.php", None),
    (
        'cd .. && env -S"timeout 1x" php a.php',
        'cd .. && env -S"timeout DURATION" php a.php',
        'cd .. && env -S"timeout 5m" php a.php',
    ),
    # a script run by sh -c, trap, flock -c: the whole line, the script mended inside its quotes
    ("sh -c 'nice 5 php a.php' >> ../log/a.log 2>&1", "sh -c 'nice -n 5 php a.php' >> ../log/a.log 2>&1", None),
    (
        'true && sh -c "cd ../www && timeout 1x php a.php"',
        "true && sh -c 'cd ../www && timeout DURATION php a.php'",
        "true && sh -c 'cd ../www && timeout 5m php a.php'",
    ),
    ("trap 'nice 5 rm -f ../run/lock' EXIT; php a.php", "trap 'nice -n 5 rm -f ../run/lock' EXIT; php a.php", None),
    (
        "cd .. && flock ../run/lock -c 'nice 5 php a.php' | cat",
        "cd .. && flock ../run/lock -c 'nice -n 5 php a.php' | cat",
        None,
    ),
    (
        "sh -c \"printf '%s' x; nice 5 php a.php\" && echo done",
        "sh -c 'printf '\"'\"'%s'\"'\"' x; nice -n 5 php a.php' && echo done",
        None,
    ),
    (
        "sh -c \"sh -c 'nice 5 php a.php'\"; echo done",
        "sh -c 'sh -c '\"'\"'nice -n 5 php a.php'\"'\"''; echo done",
        None,
    ),
]


@pytest.mark.parametrize(("command", "offered", "example"), _WHOLE_LINE_OFFERS)
def test_a_command_refused_within_a_line_is_offered_as_the_whole_line(
    tmp_path: Path, command: str, offered: str, example: str | None
) -> None:
    """cd /tmp && nice -n 5 timeout -s FOO 5m php x.php was offered nice -n 5 timeout -s SIGNAL 5m php x.php, and
    php a.php | timeout 1x cat timeout DURATION cat, the script of sh -c '...' its own command: the rest of the line
    lost to whoever copies it. The whole line is offered, the part at fault alone replaced, the rest as written;
    dash reads it (sh -n), and it is taken (its placeholder filled)."""
    line = _command_error(tmp_path, command)
    assert f"write {offered}" in line, line
    if example is not None:
        assert example in line, line
    dash = require_program("dash")
    for text in (offered, example):
        if text is None:
            continue
        assert subprocess.run([dash, "-n", "-c", text], check=False).returncode == 0, text
        shlex.split(text)
    filled = example if example is not None and "DURATION" not in example else offered
    for placeholder, value in (("SIGNAL", "TERM"), ("DURATION", "5m"), ("-nN", "-n10"), ("DIR", "../www")):
        filled = filled.replace(placeholder, value)
    assert cron.check_command(filled) == filled


def test_a_mended_line_runs_as_meant(tmp_path: Path) -> None:
    """The line offered for cd bin && nice -n 5 timeout -s FOO 5m echo ran > ../out (and for env -S 'nice 5' ...),
    run by dash with coreutils' nice, timeout and env: the cd and the redirection kept, the file is written where
    meant (the offer of the command alone would have lost both)."""
    line = _command_error(tmp_path, "cd bin && nice -n 5 timeout -s FOO 5m echo ran > ../out")
    offered = line.rpartition("(e.g. ")[2].removesuffix(")")
    assert offered == "cd bin && nice -n 5 timeout -s TERM 5m echo ran > ../out", line
    ran = _dash_with_runners(tmp_path, offered)
    assert ran.returncode == 0, ran
    assert (tmp_path / "out").read_text() == "ran\n"
    (tmp_path / "second").mkdir()
    line = _command_error(tmp_path / "second", "cd bin && env -S 'nice 5' echo ran > ../out2")
    offered = line.rpartition("write ")[2]
    assert offered == "cd bin && env -S 'nice -n 5' echo ran > ../out2", line
    ran = _dash_with_runners(tmp_path, offered)
    assert ran.returncode == 0, ran
    assert (tmp_path / "out2").read_text() == "ran\n"


@pytest.mark.parametrize(
    ("command", "written"),
    [
        ("cd .. && time eval -- x; echo ok", "written so (cd .. && eval -- x; echo ok), it is refused too"),
        ("cd .. && nice -n 5 eval -- x | cat", "written alone (cd .. && eval -- x | cat), it is refused too"),
    ],
)
def test_a_command_told_to_be_written_alone_is_shown_in_its_line(tmp_path: Path, command: str, written: str) -> None:
    """cd .. && time eval -- x; echo ok, told to write the command alone, showed that command refused too as
    eval -- x, the rest of the line lost: shown as the whole line, the word told of alone left out."""
    line = _command_error(tmp_path, command)
    assert written in line, line
    shown = written.partition("(")[2].partition(")")[0]
    assert subprocess.run([require_program("dash"), "-n", "-c", shown], check=False).returncode == 0


@pytest.mark.parametrize("cpus", [None, 1])
def test_a_cpu_warned_of_on_a_host_of_one_cpu_is_told_in_the_singular(tmp_path: Path, cpus: int | None) -> None:
    """taskset -c 1 php a.php was warned 'taskset refuses it on a host of 1 CPUs or fewer', and with
    pic:hosts.web1.cpus: 1 'web host web1 has 1 CPUs (...), numbered 0 to 0': told of one CPU as one."""
    project = project_copy(tmp_path)
    if cpus is not None:
        settings = project / "Pulumi.prod.yaml"
        settings.write_text(settings.read_text().replace("ssh_user: deploy}", "ssh_user: deploy, cpus: 1}", 1))
    jobs = [{"schedule": "daily", "command": "taskset -c 1 php a.php"}]
    members = write_members(tmp_path / "members", {"asso-cron": member(10700, site=SITE, cron=jobs)})
    [warning] = [w for w in check(project, "prod", members, ON).warnings if w.path.startswith("cron")]
    assert "taskset refuses it on a host of one CPU (taskset: failed" in warning.message, warning.message
    assert "1 CPUs" not in warning.message and "0 to 0" not in warning.message, warning.message
    if cpus is not None:
        assert "web host web1 has one CPU (pic:hosts.web1.cpus), CPU 0: name it" in warning.message, warning.message


_BASH_HINT = "write it for sh (POSIX), or run bash -c '...' (the images have bash)"


@pytest.mark.parametrize(
    "command",
    [
        "cd .. && time eval -- x; echo ok",
        "time let x=1 | cat",
        "cd .. && time set -o pipefail",
        "time [[ a ]]; echo ok",
        "time echo -e x",
        "time source a",
    ],
)
def test_the_bash_hint_is_given_once_per_line(tmp_path: Path, command: str) -> None:
    """cd .. && time eval -- x; echo ok was told of bash's time, then of eval --, the line written without time
    being refused too, each ending with the same hint (write it for sh, or run bash -c '...'): the hint twice. One
    hint of a kind per command line, after what is told of both."""
    line = _command_error(tmp_path, command)
    assert line.count(_BASH_HINT) == 1, line
    assert line.endswith(_BASH_HINT), line


@pytest.mark.parametrize(
    ("command", "value", "told"),
    [
        # cpulist_parse counts a range in an unsigned int: to 4294967295, or by a stride passing it back below the
        # range's end, it never ends (timeout 5 stops it here, exit 124)
        ("taskset -c 0-4294967295 php a.php", "0-4294967295", "never ends"),
        ("cd .. && taskset -c 0,4294967295 php a.php; echo ok", "0,4294967295", "never ends"),
        ("taskset -c 0-8589934591 php a.php", "0-8589934591", "never ends"),
        ("taskset -c 4294967290-4294967294:2 php a.php", "4294967290-4294967294:2", "never ends"),
        # no CPU a kernel numbers: taskset sets none (Invalid argument, exit 1) on every host
        ("taskset -c 100000 php a.php", "100000", "failed to set pid PID's affinity: Invalid argument"),
        ("taskset -c 8192 php a.php", "8192", "failed to set pid PID's affinity: Invalid argument"),
        ("nice -n 5 taskset -c 4294967294 php a.php", "4294967294", "failed to set pid PID's affinity"),
        # the CPUs past the kernel's skipped, the range counted to its end first (0-4294967294: 16 s here)
        ("taskset -c 0-4294967294 php a.php", "0-4294967294", "skips"),
        ("taskset -c 0,99999 php a.php", "0,99999", "skips"),
    ],
)  # fmt: skip
def test_a_cpu_no_kernel_numbers_is_refused(tmp_path: Path, command: str, value: str, told: str) -> None:
    """taskset -c 0-4294967295 php a.php was taken (taskset -c 100000 warned of a host of 100000 CPUs or fewer, as
    if one had more): util-linux's taskset (2.38, run here as a site's user would, nobody, with timeout 5) never
    ends reading a list counted to 4294967295, and sets no CPU past those a kernel numbers (8192 at most, NR_CPUS's
    limit). Refused, what taskset does told, the line offered with CPU 0, which every host has."""
    if "never ends" in told:
        ran = _dash_as_a_site_s_user(tmp_path, f"timeout 5 taskset -c {value} echo ran")
        assert ran.returncode == 124 and "ran" not in ran.stdout, ran
    elif "Invalid" in told:
        ran = _dash_as_a_site_s_user(
            tmp_path, command.partition("taskset")[1] + command.partition("taskset")[2].replace("php a.php", "echo ran")
        )
        assert ran.returncode == 1 and told in _first_said(ran.stderr), ran
    line = _command_error(tmp_path, command)
    at = command.index(f" {value} ") + 2
    assert f"holds at character {at} {value} after taskset" in line, line
    assert "no kernel numbers a CPU so (8191 at most)" in line and told in line, line
    offered = line.rpartition("(e.g. ")[2].removesuffix(")")
    assert offered == command.replace(f" {value} ", " 0 " if " -c " in command else " 1 "), line
    assert cron.check_command(offered) == offered


@pytest.mark.parametrize(
    ("command", "written"),
    [
        # a builtin run by env from its -S string: told to be written alone, the line without env shown
        ("cd .. && env -S 'eval -- x' 2>&1 | cat; echo ok", "written alone (cd .. && eval -- x 2>&1 | cat; echo ok)"),
        ("cd .. && env -S'nice -n 5 eval -- x' | cat", "written alone (cd .. && eval -- x | cat)"),
        ("cd .. && env -vS 'exec cd x' a b; echo ok", "written alone (cd .. && exec cd x a b; echo ok)"),
        ("cd .. && env --split-string='eval -- x' > /dev/null", "written alone (cd .. && eval -- x > /dev/null)"),
        ("cd .. && nice -n 5 env -S 'eval -- x' | cat", "written alone (cd .. && eval -- x | cat)"),
        ('cd .. && env -S"eval -- x"; echo ok', "written alone (cd .. && eval -- x; echo ok)"),
        ("true && env -S 'exec cd \"a b\"' && echo ok", "written alone (true && exec cd 'a b' && echo ok)"),
    ],
)
def test_a_command_of_env_s_told_to_be_written_alone_is_shown_in_its_line(
    tmp_path: Path, command: str, written: str
) -> None:
    """cd .. && env -S 'eval -- x' 2>&1 | cat; echo ok, told to write eval alone as the shell's command, showed it
    refused too as eval -- x, the rest of the line lost (its env -S string's words were not the line's words):
    shown as the whole line, the runners and the string's quotes left out, the rest as written; dash reads it."""
    line = _command_error(tmp_path, command)
    assert f"{written}, it is refused too" in line, line
    shown = written.partition("(")[2].rpartition(")")[0]
    assert subprocess.run([require_program("dash"), "-n", "-c", shown], check=False).returncode == 0


@pytest.mark.parametrize(
    ("command", "told"),
    [
        ('cd .. && env -S "nice 5 $X" | cat', 'write cd .. && env -S "nice -n 5 $X" | cat'),
        ('env -S "timeout 1x php $X"', 'write env -S "timeout DURATION php $X"'),
        ('env -S "time $X"', "time (a keyword of bash's) after env"),
    ],
)
def test_the_words_of_env_s_before_an_expansion_are_read(tmp_path: Path, command: str, told: str) -> None:
    """env -S "nice 5 $X" was taken whole, its string holding an expansion of sh's: the words before it are env's
    whatever $X gives (a blank ends each), as coreutils' env run here by dash shows, with X set two ways: nice runs
    a program named 5, and nothing else. They are read, and told in the line as written."""
    for value in ("php a.php", "'a b' c"):
        ran = _dash_with_runners(tmp_path, f"X={shlex.quote(value)}; {command.replace('cd .. && ', '')}")
        assert ran.returncode in (125, 127) and "ran" not in ran.stdout, ran
    line = _command_error(tmp_path, command)
    assert told in line, line


@pytest.mark.parametrize(
    "command", ['env -S "$CMD"', 'env -S "php $X"', 'env -S "php${X}"', "env -S \"php '$X'\"", 'env -S "timeout 1x $X"']
)
def test_what_env_s_makes_of_an_expansion_is_left_to_the_run(tmp_path: Path, command: str) -> None:
    """env -S "$CMD" (env -S "php $X") is taken: sh expands $CMD when the job runs and env splits what it gives
    then, which pic check cannot know (coreutils' env, run here by dash, runs CMD='echo ran' and prints the
    variables for CMD='', exit 0), as timeout "$T" php a.php and sh -c "$X" are taken; a word glued to it (php${X}),
    or in a quote of env's open before it (php '$X'), is known then too; timeout 1x $X is taken as timeout 1x "$X"
    is, the words after the duration unknown (a program, or options)."""
    ran = _dash_with_runners(tmp_path, "CMD='echo ran'; env -S \"$CMD\"")
    assert (ran.returncode, ran.stdout) == (0, "ran\n"), ran
    ran = _dash_with_runners(tmp_path, 'CMD=; env -S "$CMD"')
    assert ran.returncode == 0 and "PATH=" in ran.stdout, ran
    assert cron.check_command(command) == command


@pytest.mark.parametrize(
    ("command", "hint"),
    [
        ("cd .. && time time php a.php; echo ok", "write the command alone (the job's log has"),
        ("time sudo php a.php | cat", "write the command alone"),
        ("cd .. && time time eval -- x", "write the command alone (the job's log has"),
    ],
)
def test_words_told_to_be_left_out_are_left_out_together(tmp_path: Path, command: str, hint: str) -> None:
    """cd .. && time time php a.php; echo ok was told to write the command alone, then shown written without the
    first time, refused too for the second, the same hint given again: the words told to be left out (time, sudo,
    builtin, doas) that follow one another are left out together, the hint given once."""
    line = _command_error(tmp_path, command)
    assert line.count(hint) == 1, line
    if "eval" in command:
        assert "written so (cd .. && eval -- x), it is refused too" in line, line
    else:
        assert "it is refused too" not in line, line


@pytest.mark.parametrize(
    ("command", "what", "given", "filled"),
    [
        # taskset(1): -c, --cpu-list reads the mask "as numerical list of processors"; usage: [mask | cpu-list]
        ("taskset -c php a.php", "its list of CPUs", "taskset -c CPU-LIST php a.php", "0"),
        ("taskset -c 0x3 php a.php", "its list of CPUs", "taskset -c CPU-LIST php a.php", "0"),
        ("taskset --cpu-list 3-1 php a.php", "its list of CPUs", "taskset --cpu-list CPU-LIST php a.php", "0"),
        ("taskset php a.php", "its mask", "taskset MASK php a.php", "1"),
        # ionice(1): -n, --classdata level; flock(1): -w seconds, -E number; chrt(1): -T, -P, -D nanoseconds
        ("ionice -c 2 -n x php a.php", "a priority level", "ionice -c 2 -n LEVEL php a.php", "7"),
        ("flock -w x F php a.php", "a time to wait, in seconds", "flock -w SECONDS F php a.php", "60"),
        ("flock -E x F php a.php", "an exit code, a number", "flock -E NUMBER F php a.php", "0"),
        # an option after the list of CPUs (util-linux's taskset reads its options before it alone)
        ("taskset -c 0 -a php a.php", "before its list of CPUs alone", "taskset -c -a 0 php a.php", ""),
        # env(1) of coreutils: -C, --chdir=DIR; --block-signal[=SIG] (SIG a signal's name or number, or several)
        ("env -C php a.php", "the directory to run the program in", "env -C DIR php a.php", "../www"),
        ("env --block-signal=FOO php a.php", "its signals", "env --block-signal=SIG php a.php", "TERM"),
    ],
)
def test_a_runners_placeholder_is_its_manuals(tmp_path: Path, command: str, what: str, given: str, filled: str) -> None:
    """taskset -c 0x3 php a.php was told 'taskset -c, which takes its mask', offered taskset -c MASK, though -c
    takes a list of CPUs (util-linux's taskset(1), run here: taskset -c 0x3 says 'failed to parse CPU list'): each
    runner's value is told by the name its manual gives it (ionice -n LEVEL, flock -w SECONDS, -E NUMBER), and the
    offer, its placeholder filled, is taken, dash -n reading it, and run by the real programs under dash."""
    if "taskset -c 0x3" in command:
        ran = _dash_with_runners(tmp_path, command.replace("php a.php", "echo ran"))
        assert "failed to parse CPU list" in ran.stderr and "ran" not in ran.stdout, ran
    with pytest.raises(ValueError) as info:
        cron.check_command(command)
    said = str(info.value)
    assert what in said and f"write {given}" in said, said
    placeholder = next((w for w in re.findall(r"[A-Z][A-Z-]*[A-Z]", given) if w not in command), "")
    offer = given.replace(placeholder, filled) if placeholder else given
    assert cron.check_command(offer) == offer
    assert subprocess.run([require_program("dash"), "-n", "-c", offer], check=False).returncode == 0
    if not offer.startswith(("flock", "ionice", "env -C")):
        ran = _dash_with_runners(tmp_path, offer.replace("php a.php", "echo ran"))
        assert ran.stdout == "ran\n", ran


@pytest.mark.parametrize(
    ("command", "alone"),
    [
        ('env -S "eval -- ${HOME}"', "eval -- ${HOME}"),  # sh's ${HOME}, in its double quotes: as written
        ("env -S 'exec nice 5 ${SCRIPT} -q'", 'exec nice 5 "${SCRIPT}" -q'),
        ("cd .. && env -S 'exec nice 5 php${V}.php' && echo ok", 'cd .. && exec nice 5 php"${V}".php && echo ok'),
    ],
)
def test_env_s_variables_keep_their_names_in_offers(tmp_path: Path, command: str, alone: str) -> None:
    """env -S "eval -- ${HOME}" was told 'written alone (eval -- ${X})', a name the member never wrote (sh's ${HOME}
    there, kept as written): env's own ${NAME} in its string ('...') is kept in the command offered, in sh's double
    quotes, which give one word as env gives it
    (coreutils' env, run here by dash: env -S 'printf [%s] ${V}' with V='a b' prints [a b], as
    printf [%s] "${V}" does); the offer, its runner's fault mended, is taken and dash -n reads it."""
    env = {"PATH": os.environ["PATH"], "V": "a b"}
    dash = require_program("dash")
    by_env, by_sh = (
        subprocess.run([dash, "-c", line], env=env, capture_output=True, text=True, check=False)
        for line in ("env -S 'printf [%s] ${V}'", 'printf [%s] "${V}"')
    )
    assert by_env.stdout == by_sh.stdout == "[a b]", (by_env, by_sh)
    with pytest.raises(ValueError) as info:
        cron.check_command(command)
    said = str(info.value)
    assert "${X}" not in said and f"written alone ({alone})" in said, said
    if "nice 5" in alone:
        mended = alone.replace("nice 5", "nice -n 5")
        assert f"write {mended}" in said, said
        assert cron.check_command(mended) == mended
        assert subprocess.run([dash, "-n", "-c", mended], check=False).returncode == 0


@pytest.mark.parametrize(
    ("command", "alone", "mended"),
    [
        (
            "env 2>&1 -S 'exec nice 5 php a.php'; echo ok",
            "exec nice 5 php a.php 2>&1; echo ok",
            "exec nice -n 5 php a.php 2>&1; echo ok",
        ),
        (
            "cd .. && env >/dev/null -i 2>&1 -S 'exec nice 5 php a.php' | cat",
            "cd .. && exec nice 5 php a.php >/dev/null 2>&1 | cat",
            None,
        ),
        ("env 2> ../log/e -S 'eval -- a' && echo ok", "eval -- a 2> ../log/e && echo ok", None),
    ],
)
def test_a_redirection_before_env_s_is_kept_in_the_line_offered(
    tmp_path: Path, command: str, alone: str, mended: str | None
) -> None:
    """env 2>&1 -S 'exec nice 5 php a.php'; echo ok was told 'written alone (exec nice 5 php a.php)', the command
    alone, where env -S 'exec ...'; echo ok gets the whole line: a redirection between env's words is kept, after
    the words written again, where sh reads it alike (dash, run here: 2>&1 eval 'echo x >&2' and eval 'echo x >&2'
    2>&1 both print x on the output); the line mended is taken, and dash -n reads it."""
    dash = require_program("dash")
    for line in ("2>&1 eval 'echo x >&2'", "eval 'echo x >&2' 2>&1"):
        done = subprocess.run([dash, "-c", line], capture_output=True, text=True, check=False)
        assert (done.stdout, done.stderr) == ("x\n", ""), done
    with pytest.raises(ValueError) as info:
        cron.check_command(command)
    said = str(info.value)
    assert f"written alone ({alone})" in said, said
    assert subprocess.run([dash, "-n", "-c", alone], check=False).returncode == 0
    if mended is not None:
        assert f"write {mended}" in said, said
        assert cron.check_command(mended) == mended


@pytest.mark.parametrize(
    ("command", "given", "mended"),
    [
        ("nice -n 5x nice -n 5x php a.php", "nice -n N nice -n N php a.php", "nice -n 10 nice -n 10 php a.php"),
        (
            "timeout 5M nice timeout 5M php a.php",
            "timeout DURATION nice timeout DURATION php a.php",
            "timeout 5m nice timeout 5m php a.php",
        ),
        (
            "cd .. && taskset -c 0x3 taskset -c 0x3 php a.php | cat",
            "cd .. && taskset -c CPU-LIST taskset -c CPU-LIST php a.php | cat",
            "cd .. && taskset -c 0 taskset -c 0 php a.php | cat",
        ),
    ],
)
def test_a_value_refused_twice_in_a_chain_is_mended_in_one_offer(
    tmp_path: Path, command: str, given: str, mended: str
) -> None:
    """nice -n 5x nice -n 5x php a.php was offered nice -n N nice -n 5x php a.php, then told that one was refused
    too: a runner of the same name after it in the chain refusing its value alike has it mended in the same offer
    (timeout 5M ... timeout 5M, taskset -c 0x3 ... taskset -c 0x3: coreutils' and util-linux's, run here by dash,
    refuse each, and run the line offered)."""
    ran = _dash_with_runners(
        tmp_path, command.replace("php a.php", "echo ran").removeprefix("cd .. && ").removesuffix(" | cat")
    )
    assert ran.returncode in (1, 125) and "ran" not in ran.stdout, ran
    with pytest.raises(ValueError) as info:
        cron.check_command(command)
    said = str(info.value)
    assert f"write {given} (e.g. {mended})" in said and "refused too" not in said, said
    assert cron.check_command(mended) == mended
    assert subprocess.run([require_program("dash"), "-n", "-c", mended], check=False).returncode == 0
    run = mended.replace("php a.php", "echo ran").removeprefix("cd .. && ").removesuffix(" | cat")
    done = _dash_with_runners(tmp_path, run)
    assert (done.returncode, done.stdout) == (0, "ran\n"), done


@pytest.mark.parametrize(
    ("command", "given", "mended", "wrong"),
    [
        (
            "flock -w php a.php",
            "flock -w SECONDS FILE php a.php",
            "flock -w 60 ../run/cron.lock php a.php",
            "flock -w 60 a.php",
        ),
        ("timeout -k php a.php", "timeout -k DURATION DURATION php a.php", "timeout -k 10 5m php a.php", None),
        ("timeout -s php a.php", "timeout -s SIGNAL DURATION php a.php", "timeout -s TERM 5m php a.php", None),
    ],
)
def test_a_program_as_an_option_s_value_before_an_operand_keeps_the_program(
    tmp_path: Path, command: str, given: str, mended: str, wrong: str | None
) -> None:
    """flock -w php a.php was offered flock -w 60 a.php, which pic takes though util-linux's flock, run here, refuses
    it (bad file descriptor: 'a.php', exit 64: a file and no command is read as a descriptor's number), php dropped
    (timeout -k php a.php: timeout -k 10 a.php, a.php read as the duration): the program named there is the one
    meant, the value and the operand both missing: each written before it, and the offer runs under dash."""
    if wrong is not None:
        done = _dash_with_runners(tmp_path, wrong)
        assert done.returncode == 64 and "bad file descriptor" in done.stderr, done
    with pytest.raises(ValueError) as info:
        cron.check_command(command)
    said = str(info.value)
    assert f"write {given} (e.g. {mended})" in said, said
    assert cron.check_command(mended) == mended
    assert subprocess.run([require_program("dash"), "-n", "-c", mended], check=False).returncode == 0
    (tmp_path / "run").mkdir()
    work = tmp_path / "www"
    work.mkdir()
    run = mended.replace("php a.php", "echo ran").replace("../run", str(tmp_path / "run"))
    done = _dash_with_runners(work, run)
    assert (done.returncode, done.stdout) == (0, "ran\n"), done


@pytest.mark.parametrize(
    ("command", "said", "given"),
    [
        ("nice -n 5", "nice: a command must be given with an adjustment", "nice -n 5 COMMAND"),
        ("timeout 5m", "", "timeout 5m COMMAND"),
        ("taskset -c 0", "taskset: bad usage", "taskset -c 0 COMMAND"),
        ("chrt -b 0", "chrt: bad usage", "chrt -b 0 COMMAND"),
        ("ionice -c 3", "ionice: bad usage", "ionice -c 3 COMMAND"),
        (
            "cd .. && flock ../run/l; echo ok",
            "flock: bad file descriptor: '../run/l'",
            "cd .. && flock ../run/l COMMAND; echo ok",
        ),
        ("nohup", "nohup: missing operand", "nohup COMMAND"),
        ("stdbuf -oL", "stdbuf: missing operand", "stdbuf -oL COMMAND"),
        ("setsid -w", "setsid: no command specified", "setsid -w COMMAND"),
    ],
)
def test_a_runner_given_no_program_is_told(tmp_path: Path, command: str, said: str, given: str) -> None:
    """nice -n 5 (timeout 5m, flock FILE, taskset -c 0 ...) was taken, though the runner, given no program, refuses
    its words and runs nothing (coreutils', util-linux's, run here by dash: exit 125, 1, flock's 64, with what each
    says): told, the program to write after its words, the line offered taken with it and read by dash -n."""
    run = command.removeprefix("cd .. && ").removesuffix("; echo ok")
    ran = _dash_with_runners(tmp_path, run)
    assert ran.returncode in (1, 64, 125) and said in _first_said(ran.stderr), ran
    with pytest.raises(ValueError) as info:
        cron.check_command(command)
    told = str(info.value)
    assert (
        f"runs nothing (exit {ran.returncode})" in told and f"write the program after them, {given} (e.g. " in told
    ), told
    if said:
        assert f"({said})" in told, told
    mended = given.replace("COMMAND", "php a.php")
    assert cron.check_command(mended) == mended
    assert subprocess.run([require_program("dash"), "-n", "-c", mended], check=False).returncode == 0


@pytest.mark.parametrize("command", ["nice", "ionice", "ionice -t", "env -i", "flock -n 9", 'timeout 5m "$@"'])
def test_a_runner_that_runs_nothing_of_its_own_accord_is_taken(tmp_path: Path, command: str) -> None:
    """nice, ionice alone print what they would set (exit 0), env -i its environment, flock 9 locks a descriptor
    the shell opened (flock(1)'s third form): taken, as a runner given no program is refused."""
    if "$@" not in command and "9" not in command:
        assert _dash_with_runners(tmp_path, command).returncode == 0
    assert cron.check_command(command) == command


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("env -C php a.php", "env -C ../www php a.php"),
        ("cd .. && ionice -n php a.php | cat", "cd .. && ionice -n 7 php a.php | cat"),
        ("nice -n -- php a.php; echo ok", "nice -n 10 -- php a.php; echo ok"),
    ],
)
def test_an_option_s_value_is_exemplified_in_the_whole_line(tmp_path: Path, command: str, example: str) -> None:
    """env -C php a.php was offered 'env -C DIR php a.php (e.g. ../www)', the example a value alone, where every
    other offer's example is the whole line: it is (e.g. env -C ../www php a.php), which pic takes, dash -n reads,
    and coreutils' env and nice, util-linux's ionice run under dash."""
    with pytest.raises(ValueError) as info:
        cron.check_command(command)
    said = str(info.value)
    assert f"(e.g. {example})" in said, said
    assert cron.check_command(example) == example
    assert subprocess.run([require_program("dash"), "-n", "-c", example], check=False).returncode == 0
    (tmp_path / "www").mkdir()
    run = example.replace("php a.php", "echo ran").removeprefix("cd .. && ").removesuffix(" | cat")
    done = _dash_with_runners(tmp_path / "www", run.replace("../www", str(tmp_path / "www")))
    assert done.returncode == 0 and done.stdout.startswith("ran\n"), done


@pytest.mark.parametrize(
    ("command", "alone"),
    [
        ('cd .. && env -S "exec nice 5 $CMD"; echo ok', "cd .. && exec nice 5 $CMD; echo ok"),
        ('env -S "exec nice 5 ${CMD} -q" | cat', "exec nice 5 ${CMD} -q | cat"),
    ],
)
def test_env_s_written_alone_keeps_the_line_and_sh_s_expansion(tmp_path: Path, command: str, alone: str) -> None:
    """cd .. && env -S "exec nice 5 $CMD"; echo ok was told 'written alone (exec nice 5 "$CMD")', the command alone
    and $CMD quoted, which sh gives as one word where env splits what it gives: the whole line, the expansion as
    written, which sh splits as env does (dash, run here: with CMD='echo ran', env -S "nice $CMD" and nice $CMD both
    print ran); the line mended is taken and dash -n reads it."""
    for line in ('env -S "nice $CMD"', "nice $CMD"):
        done = _dash_with_runners(tmp_path, f"CMD='echo ran'; {line}")
        assert (done.returncode, done.stdout) == (0, "ran\n"), done
    with pytest.raises(ValueError) as info:
        cron.check_command(command)
    said = str(info.value)
    assert f"written alone ({alone})" in said, said
    mended = alone.replace("nice 5", "nice -n 5")
    assert f"write {mended}" in said, said
    assert cron.check_command(mended) == mended
    assert subprocess.run([require_program("dash"), "-n", "-c", mended], check=False).returncode == 0
