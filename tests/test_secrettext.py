"""Secret text in a command, read as the shell and the programs read it: the kind ``secret_kind`` names for a
password given to a program that reads it, and none where the word reaches no such program.

The readers without an option saying so (passwd, kinit, cryptsetup, sudo -S, occ user:add...) read their
standard input only where they run as a command: at a line's start or after a separator, in a group or a
subshell, after variables assigned, through the programs that run the command given as their arguments (sudo,
env, timeout, nice, docker exec -i, chroot, xargs -a...) or as one string (sh -c, su -c, ssh HOST), by a path,
their name quoted. A word that is an option's value (sudo -u NAME, timeout's DURATION) is no command.

A password in the commands given to an FTP client (user NAME PASSWORD) or sent by expect at a password's
prompt is found too. mysql -p given a here-document reads its first line as the password where no terminal is
(a job's): checked with the real client against a real MariaDB.
"""

from __future__ import annotations

import subprocess
import urllib.parse
from collections.abc import Iterator

import pytest

from pic import errors, secrettext
from tests.conftest import require_program, require_root
from tests.mariadb_server import MariaDB, cleanup, start_mariadb

PW = "Zt8kq2LmW9"
PIPED = "a password piped to a program"


@pytest.mark.parametrize(
    "command",
    [
        # a program that runs the command given as one string
        f"sh -c 'echo {PW} | passwd alice'",
        f'bash -c "echo {PW} | kinit alice"',
        f"echo {PW} | sh -c 'kinit alice'",
        f"echo {PW} | bash -eu -o pipefail -c 'LANG=C kinit alice'",
        f"echo {PW} | /bin/sh -ec -- 'passwd alice'",
        f"sh -c 'kinit alice' <<< {PW}",
        f"echo {PW} | su -c passwd",
        f"echo {PW} | su alice -c 'kinit alice'",
        f"echo {PW} | su - alice -s /bin/sh -c kinit",
        f"echo {PW} | runuser -l alice -c passwd",
        f"echo {PW} | ssh backup@nas.example.org passwd",
        f"echo {PW} | ssh -p 2222 -i ../priv/id backup@nas.example.org 'kinit alice'",
        f"echo {PW} | flock -n ../lock -c 'kinit alice'",
        f"echo {PW} | env -S 'kinit alice'",
        # a program that runs the command given as its arguments
        f"echo {PW} | docker exec -i db passwd",
        f"echo {PW} | docker exec -u root -it -w /srv db kinit alice",
        f"echo {PW} | podman exec --interactive db passwd",
        f"echo {PW} | docker compose exec web passwd",
        f"echo {PW} | kubectl exec -n prod -i web-0 -- kinit alice",
        f"echo {PW} | chroot ../root passwd",
        f"echo {PW} | chroot --userspec=alice:alice ../root kinit",
        f"echo {PW} | xargs -a ../priv/users passwd",
        f"echo {PW} | flock ../lock kinit alice",
        f"echo {PW} | sudo -u root -H passwd alice",
        f"echo {PW} | doas -u root passwd alice",
        f"echo {PW} | env -u LANG -C .. kinit alice",
        f"echo {PW} | timeout -s KILL 30 kinit alice",
        f"echo {PW} | nice -n 5 ionice -c 3 kinit alice",
        f"echo {PW} | stdbuf -o L setsid kinit alice",
        f"echo {PW} | exec -a renew kinit alice",
        f"echo {PW} | time -p kinit alice",
        f"echo {PW} | eval kinit alice",
        f"echo {PW} | command -p passwd",
        f"echo {PW} | sudo -u root sudo -S true",
        # a group, a subshell, a reserved word, variables assigned
        f"echo {PW} | {{ kinit alice; }}",
        f"echo {PW} | (kinit alice)",
        f"echo {PW} | ( cd .. && kinit alice )",
        f"echo {PW} | if kinit alice; then echo ok; fi",
        f"echo {PW} | ! kinit alice",
        f"LANG=C kinit alice <<< {PW}",
        f"cd .. && KRB5CCNAME=../tmp/cc LC_ALL=C kinit alice <<< {PW}",
        f"x=$(kinit alice <<< {PW})",
        # its name quoted, by a path
        f"echo {PW} | 'passwd'",
        f'echo {PW} | "kinit" alice',
        f"echo {PW} | bin/passwd",
        f"echo {PW} | ./kinit alice",
        f"echo {PW} | ../tools/kinit alice",
        f'echo {PW} | "$HOME"/bin/kinit alice',
        f"echo {PW} | /usr/local/sbin/cryptsetup open ../x x",
        # separators: |&, a pipe through other programs, quoted arguments holding one before the reader
        f"echo {PW} |& passwd",
        f"echo {PW} | tee -a ../log/x.log | passwd",
        f"echo {PW} | tr -d '\\r' | grep -v '^#' | kinit alice",
        f"echo {PW} | env 'A=b;c' mysql -u asso -p",
        f"echo {PW} | env A='b|c' kinit alice",
        # options given their value after '=', a cluster of short ones whose last takes a value
        f"echo {PW} | docker exec --env=LANG=C --interactive=true --user=root db passwd",
        f"echo {PW} | timeout --signal=KILL --kill-after=5 30 kinit alice",
        f"echo {PW} | docker exec -iu 1000 db passwd",
        f"echo {PW} | docker exec -tiw /srv db kinit alice",
        f"echo {PW} | kubectl exec -ic app web-0 -- kinit alice",
        f"echo {PW} | sudo -iu alice passwd",
        f"echo {PW} | docker run -iu 1000 registry.example.org/krb kinit alice",
        # '--' ending the options
        f"echo {PW} | env -- kinit alice",
        f"echo {PW} | env -i -- kinit alice",
        f"echo {PW} | timeout -s KILL -- 30 kinit alice",
        f"echo {PW} | nice -n 5 -- kinit alice",
        f"echo {PW} | nohup -- kinit alice",
        f"echo {PW} | stdbuf -oL -- kinit alice",
        f"echo {PW} | chroot -- ../root kinit alice",
        f"echo {PW} | flock -- ../lock kinit alice",
        f"echo {PW} | command -- passwd",
        f"echo {PW} | xargs -a ../users -- passwd",
        f"echo {PW} | docker exec -i -- db passwd",
        f"echo {PW} | ssh -- nas.example.org kinit",
        # more programs that run another: docker|podman run -i IMAGE, chrt, taskset, unshare, nsenter, systemd-run
        # -P|--pipe|-t, sg GROUP [-c] COMMAND
        f"echo {PW} | docker run -i registry.example.org/krb kinit alice",
        f"echo {PW} | docker run --rm --name renew -v ../krb:/etc/krb -i registry.example.org/krb kinit alice",
        f"echo {PW} | docker container run -it --rm --network=host registry.example.org/krb kinit alice",
        f"echo {PW} | podman run --interactive registry.example.org/krb passwd",
        f"echo {PW} | chrt -b 0 kinit alice",
        f"echo {PW} | taskset -c 0 kinit alice",
        f"echo {PW} | unshare -rn --propagation private kinit alice",
        f"echo {PW} | nsenter -t 1 -m/proc/1/ns/mnt -n kinit alice",
        f"echo {PW} | systemd-run --user --pipe --wait kinit alice",
        f"echo {PW} | systemd-run -P -u renew kinit alice",
        f"echo {PW} | sg staff -c 'kinit alice'",
        f"echo {PW} | sg - staff passwd",
        f"docker run -i registry.example.org/krb kinit alice <<< {PW}",
        f"taskset -c 0 kinit alice <<< {PW}",
        # a here-string or here-document given to a shell whose string starts with a reader, more commands after it
        f"sh -c 'kinit; klist' <<< {PW}",
        f'bash -c "kinit alice && klist -s" <<< {PW}',
        f"sh -c 'passwd alice; echo \"done\"' <<< {PW}",
        f"sh -c 'kinit alice && klist' <<EOF\n{PW}\nEOF",
        f"su -c 'kinit alice; klist' alice <<< {PW}",
        f"docker exec -i db sh -c 'passwd alice; echo ok' <<< {PW}",
        f"ssh nas.example.org 'kinit alice; klist' <<< {PW}",
        f"sh -c 'mysql -u asso -p asso; echo done' <<< {PW}",
        # a program reading it because of an option, at the start of the string, more commands after it
        f"sh -c 'docker login -u a --password-stdin reg.example.org; docker pull x' <<< {PW}",
        f"sh -c 'podman login -u a --password-stdin reg.example.org && podman pull x' <<< {PW}",
        f'bash -c "helm registry login -u a --password-stdin reg.example.org; helm pull x" <<< {PW}',
        f"sh -c 'gpg --batch --passphrase-fd 0 -d x.gpg > x; rm x.gpg' <<EOF\n{PW}\nEOF",
        # docker's, podman's and nerdctl's own options before exec or run
        f"docker --context x exec -i ctr kinit alice <<< {PW}",
        f"docker -H tcp://h:2375 run -i img passwd <<< {PW}",
        f"docker --host=unix:///run/docker.sock -D exec -i ctr kinit <<< {PW}",
        f"docker --tls --tlscacert ca.pem -l error exec -i ctr passwd <<< {PW}",
        f"docker -c prod container exec -i ctr kinit <<< {PW}",
        f"podman --remote exec -i ctr kinit <<< {PW}",
        f"podman --url ssh://h/run/podman.sock --connection h run -i img passwd <<< {PW}",
        f"nerdctl -n k8s.io exec -i ctr kinit <<< {PW}",
        f"echo {PW} | docker --context x exec -i ctr kinit alice",
    ],
)
def test_a_password_given_to_a_program_run_as_a_command_is_found(command: str) -> None:
    assert secrettext.secret_kind(command) == PIPED


@pytest.mark.parametrize(
    "command",
    [
        # a word that is an option's value, not the command: a user, a group, a duration, a niceness, a variable
        "sudo -u passwd logger hello",
        f"echo {PW} | sudo -u passwd logger hello",
        f"echo {PW} | sudo --user passwd logger hello",
        f"echo {PW} | sudo -g kinit logger hello",
        f"echo {PW} | doas -u kinit logger hello",
        f"echo {PW} | timeout passwd logger hello",
        f"echo {PW} | timeout -k kinit 5 logger hello",
        f"echo {PW} | nice -n passwd logger hello",
        f"echo {PW} | env -u kinit logger hello",
        f"echo {PW} | runuser -u passwd -- logger hello",
        f"echo {PW} | chroot passwd logger hello",
        f"echo {PW} | flock kinit logger hello",
        f"echo {PW} | docker exec -i -u passwd db logger hello",
        f"echo {PW} | su kinit -c 'logger hello'",
        f"echo {PW} | ssh -l passwd nas.example.org logger hello",
        f"echo {PW} | ssh passwd logger hello",
        # the reader's name as another program's argument, a quoted pattern, a string no program runs
        f"echo {PW} | logger -t passwd",
        f"echo {PW} | sh -c 'logger -t kinit'",
        f"echo {PW} | su -c 'logger -t passwd' alice",
        f"echo {PW} | mail -s 'sh -c passwd' root",
        f"echo {PW} | grep -E 'a|passwd' ../log/x.log",
        f"echo {PW} | awk '/^(passwd|kinit)/' | tee -a ../log/x.log",
        f"echo {PW} | command -v passwd",
        f"echo {PW} | tee -a ../log/passwd.log | mail -s 'kinit report' root",
        # a reader given no standard input: xargs gives its words as arguments and /dev/null to the command,
        # docker exec without -i and ssh -n none, kubectl exec without -i none; || runs it only on a failure
        # and with the job's own standard input
        f"echo {PW} | xargs passwd -S",
        f"echo {PW} | docker exec db passwd",
        f"echo {PW} | ssh -n nas.example.org passwd",
        f"echo {PW} | kubectl exec web-0 -- kinit alice",
        f"echo {PW} || kinit alice",
        # a word in a file name, a path, a variable
        "echo started | tee -a ../log/kinit.log",
        'echo "$PW" | sudo -u root passwd alice',
        "echo started; sudo -u root passwd -S alice",
        # an option's value, the wrapper's own word (a duration, an image, a priority, a mask, a group), after '--'
        f"echo {PW} | docker exec -iu passwd db logger hello",
        f"echo {PW} | docker run --name kinit -i registry.example.org/x logger hello",
        f"echo {PW} | docker run -i -v passwd:/x registry.example.org/x logger hello",
        f"echo {PW} | docker run -i passwd logger hello",
        f"echo {PW} | chrt -b passwd logger hello",
        f"echo {PW} | taskset -c passwd logger hello",
        f"echo {PW} | systemd-run -u kinit -P logger hello",
        f"echo {PW} | nsenter -t passwd logger hello",
        f"echo {PW} | unshare -S passwd logger hello",
        f"echo {PW} | sg passwd logger hello",
        f"echo {PW} | timeout -- passwd logger hello",
        f"echo {PW} | env -- logger -t kinit",
        # given no standard input: docker|podman run without -i, systemd-run without -P|--pipe|-t; chrt -p and
        # taskset -p run nothing
        f"echo {PW} | docker run --rm registry.example.org/krb kinit alice",
        f"echo {PW} | podman run registry.example.org/krb passwd",
        f"echo {PW} | systemd-run --user --wait kinit alice",
        f"echo {PW} | chrt -p 0 1234",
        f"echo {PW} | taskset -p 0x1 1234",
        # the usual commands through them
        "docker run --rm -v /x:/x image backup.sh",
        "docker --context prod ps",
        "docker -H unix:///x exec ctr php cron.php",
        "docker --context prod exec -i ctr php cron.php",
        f"echo {PW} | docker --context prod exec ctr passwd",
        f"echo {PW} | docker -H tcp://h:2375 run --rm img passwd",
        f"echo {PW} | docker --context passwd exec -i ctr logger hello",
        "podman --remote exec ctr php occ background:job:worker",
        "sh -c 'docker pull x; docker login -u a --password-stdin reg' < ../secrets/reg.txt",
        f"sh -c 'docker pull x; docker ps' <<< {PW}",
        "taskset -c 0 php cron.php",
        "chrt -i 0 nice -n 19 php cron.php",
        "systemd-run --user --pipe --wait php bin/sync.php",
        "echo started | docker run -i --rm -v \"$PWD\":/w -w /w image sh -c 'cat > x'",
        "sg www-data -c 'php occ background:cron'",
        "unshare -rn php bin/offline-check.php",
        "echo done | nsenter -t 1 -n logger -t passwd",
        # the here-string given to another program than the shell whose string starts with the reader
        f"sh -c 'kinit alice'; logger <<< {PW}",
        f"sh -c 'kinit alice' && logger 'x' <<< {PW}",
        f"kinit alice; echo 'x' <<< {PW}",
        f"sh -c 'klist; logger -t x' <<< {PW}",
        f"sh -c \"logger 'kinit'; x\" <<< {PW}",
        # a variable as SQL's password, which the shell expands inside the double quotes around the statement
        "mysql -e \"CREATE USER x IDENTIFIED BY '${DB_PASSWORD}'\"",
        "mysql -e \"ALTER USER x IDENTIFIED WITH mysql_native_password BY '$DB_PASSWORD'\"",
    ],
)
def test_a_word_no_reader_takes_as_its_password_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    "command",
    [
        f"mysql -u asso -p asso <<EOF\n{PW}\nOPTIMIZE TABLE wp_options;\nEOF",
        f"mariadb -u asso -p asso <<'SQL'\n{PW}\nSELECT 1;\nSQL",
        f"mariadb-dump -u asso --password asso <<-EOF > ../db/x.sql\n\t{PW}\n\tEOF",
        f"cd .. && mysql -u asso -p <<EOF\n  {PW}\nSELECT 1;\nEOF",
    ],
)
def test_the_first_line_of_mysql_p_s_here_document_is_its_password(command: str) -> None:
    assert secrettext.secret_kind(command) == PIPED


@pytest.mark.parametrize(
    "command",
    [
        # SQL or a client's command alone on the first line, more than one word, a variable
        "mysql -u asso -p asso <<EOF\nSELECT\n  id\nFROM t;\nEOF",
        "mysql -u asso -p asso <<EOF\noptimize\nTABLE wp_options;\nEOF",
        "mysql -u asso -p asso <<EOF\nDELIMITER\nEOF",
        "mysql -u asso -p asso <<EOF\nOPTIMIZE TABLE wp_options;\nEOF",
        "mysql -u asso -p asso <<EOF\nSELECT 1;\nEOF",
        "mysql -u asso -p asso <<EOF\n$DB_PASSWORD\nSELECT 1;\nEOF",
        # no -p: the here-document is SQL
        "mysql --defaults-extra-file=../priv/db.cnf asso <<EOF\nOPTIMIZE\nEOF",
    ],
)
def test_sql_in_mysql_p_s_here_document_is_no_password(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.fixture(scope="module")
def mariadb() -> Iterator[MariaDB]:
    for program in ("mariadbd", "mariadb", "mariadb-install-db", "mariadb-admin"):
        require_program(program)
    require_root("mariadbd runs as root here")
    server = start_mariadb(tls=False)
    server.root_sql(f"CREATE USER 'cron'@'localhost' IDENTIFIED BY '{PW}';")
    yield server
    cleanup(server)


@pytest.mark.daemon
def test_mariadb_p_without_a_terminal_reads_the_here_document_s_first_line_as_its_password(mariadb: MariaDB) -> None:
    """What the rule above stands on: the client, given -p and no terminal (as in a job), takes the first line of
    its standard input as the password; a wrong one is refused as a password given."""

    def run(first_line: str) -> subprocess.CompletedProcess[str]:
        command = f"mariadb --no-defaults -S {mariadb.socket_path} -u cron -p -e 'SELECT 1' <<EOF\n{first_line}\nEOF\n"
        return subprocess.run(
            ["sh", "-c", command], stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
        )

    right = run(PW)
    assert right.returncode == 0, right.stderr
    wrong = run("not-the-password")
    assert wrong.returncode != 0 and "(using password: YES)" in wrong.stderr, wrong.stderr
    assert secrettext.secret_kind(f"mariadb -u cron -p -e 'SELECT 1' <<EOF\n{PW}\nEOF") == PIPED


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        # an FTP client's commands: user NAME PASSWORD (ftp -n's login), quote PASS PASSWORD
        (f"ftp -n ftp.example.org <<EOF\nuser asso {PW}\nbinary\nput ../db/x.sql\nquit\nEOF", "a password argument"),
        (f"ftp -inv ftp.example.org <<'END'\n  user asso {PW} acct\n  put x\nEND", "a password argument"),
        (f"ftp -n <<EOF\nopen ftp.example.org\nquote USER asso\nquote PASS {PW}\nEOF", "a password argument"),
        (f"printf 'open ftp.example.org\\nuser asso {PW}\\nput x\\nbye\\n' | ftp -n", "a password argument"),
        (f"echo 'user asso {PW}' | ftp -n ftp.example.org", "a password argument"),
        (f"(echo user asso {PW}; echo put ../db/x.sql) | /usr/bin/ftp -n ftp.example.org", "a password argument"),
        (f"lftp -e 'user asso {PW}; mirror -R ../db /backup; quit' ftp.example.org", "a password argument"),
        (f'lftp -c "open ftp.example.org; user asso {PW}; put x"', "a password argument"),
        # user NAME alone, the password alone on the next line, read at the client's prompt
        (f"ftp -n ftp.example.org <<EOF\nuser asso\n{PW}\nput x\nEOF", "a password argument"),
        (f"ftp -n <<'END'\nopen ftp.example.org\n  user asso\n  {PW}\n  binary\nEND", "a password argument"),
        (f"printf 'open ftp.example.org\\nuser asso\\n{PW}\\nput x\\nbye\\n' | ftp -n", "a password argument"),
        (f"(echo user asso; echo {PW}; echo put x) | ftp -n ftp.example.org", "a password argument"),
        (f"(echo 'user asso'; echo '{PW}') | ftp -n ftp.example.org", "a password argument"),
        # expect answering a password's prompt
        (
            f'expect -c \'spawn sftp asso@nas; expect "assword:"; send "{PW}\\r"; expect "sftp>"\'',
            "a password sent by expect",
        ),
        (
            f'expect <<\'EOF\'\nspawn ssh asso@nas\nexpect "*password*"\nsend -- "{PW}\\r"\ninteract\nEOF',
            "a password sent by expect",
        ),
        (
            f'expect -c \'spawn kinit asso; expect {{"*code:" {{send "$c\\r"}} -re "[Pp]assword.*:" '
            f'{{send "{PW}\\n"}}}}\'',
            "a password sent by expect",
        ),
    ],
)
def test_a_password_in_the_commands_given_to_ftp_or_expect_is_found(command: str, kind: str) -> None:
    assert secrettext.secret_kind(command) == kind


@pytest.mark.parametrize(
    "command",
    [
        # an anonymous login (its password is an address), a password read from a variable, a user alone, the
        # words user NAME ... given to no FTP client
        "ftp -n ftp.example.org <<EOF\nuser anonymous guest@example.org\nget x\nEOF",
        "ftp -n ftp.example.org <<EOF\nuser asso $FTP_PASSWORD\nput x\nEOF",
        "echo 'user asso created-today' | mail -s report root",
        "echo 'user asso removed-today' | logger; curl -fsS ftp://ftp.example.org/x",
        "ftp -n ftp.example.org <<EOF\nput x\nEOF\necho user asso created-today",
        # user NAME then one of the client's commands, a variable, an anonymous login's address on the next line
        "ftp -n ftp.example.org <<EOF\nuser asso\nbinary\nput x\nEOF",
        "ftp -n ftp.example.org <<EOF\nuser asso\nverbose\nput x\nEOF",
        "ftp -n ftp.example.org <<EOF\nuser asso\n$FTP_PASSWORD\nput x\nEOF",
        "ftp -n ftp.example.org <<EOF\nuser anonymous\nguest@example.org\nget x\nEOF",
        "printf 'user asso\\nbinary\\nput x\\n' | ftp -n ftp.example.org",
        '(echo user asso; echo "$FTP_PASSWORD"; echo put x) | ftp -n ftp.example.org',
        # expect sending what is no literal password, or at another prompt; send_user writes to the job's output
        'expect -c \'spawn sftp asso@nas; expect "assword:"; send "$env(FTP_PASSWORD)\\r"\'',
        'expect -c \'spawn sftp asso@nas; expect "assword:"; send "[exec cat ../priv/pw]\\r"\'',
        'expect -c \'spawn sftp asso@nas; expect "login:"; send "asso-backup\\r"\'',
        'expect -c \'spawn sftp asso@nas; expect "assword:"; send_user "password-sent\\r"\'',
    ],
)
def test_ftp_s_and_expect_s_commands_without_a_password_are_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        # rclone obscure PASSWORD, - reading it on the standard input; config create|update NAME ... KEY VALUE
        # with a KEY naming a secret; config password NAME KEY VALUE (each value a password)
        (f"rclone obscure {PW}", "a password argument"),
        (f"rclone obscure '{PW}' > ../priv/obscured", "a password argument"),
        (f"echo {PW} | rclone obscure -", PIPED),
        (f"rclone config create nas sftp host nas.example.org user asso pass {PW}", "a password argument"),
        (
            f"rclone --config ../priv/rclone.conf config create box crypt remote nas:b password2 {PW}",
            "a password argument",
        ),
        (f"rclone config update nas pass {PW} --obscure", "a password argument"),
        (f"rclone config create s3 s3 provider AWS secret_access_key {PW}", "a password argument"),
        (f"rclone config password nas pass {PW}", "a password argument"),
        (f"rclone config password nas fieldname={PW}", "a password argument"),
        # unixODBC's isql DSN USER PASSWORD; Sybase's isql, FreeTDS's tsql -P PASSWORD
        (f"isql asso-dsn asso {PW} -b < ../db/x.sql", "a password argument"),
        (f"iusql -v asso-dsn asso {PW}", "a password argument"),
        (f"isql -b asso-dsn -w asso '{PW}'", "a password argument"),
        (f"isql asso {PW[:5]}x {PW}", "a password argument"),
        (f"fisql -S server -U sa -P {PW}", "a password option"),
        (f"tsql -H db -p 1433 -U asso -P {PW}", "a password option"),
        # InfluxDB's influx -password (1.x), -t TOKEN (2.x)
        (f"influx -username admin -password {PW} -execute 'SHOW DATABASES'", "a password option"),
        (f"influx query -t {PW} 'from(bucket: \"x\")'", "a password option"),
    ],
)
def test_a_password_given_to_rclone_isql_or_influx_is_found(command: str, kind: str) -> None:
    assert secrettext.secret_kind(command) == kind


@pytest.mark.parametrize(
    "command",
    [
        "rclone obscure -",
        'echo "$PW" | rclone obscure -',
        "rclone config create nas sftp host nas.example.org user asso key_file ../priv/id_nas",
        'rclone config create nas sftp host nas.example.org user asso pass "$(cat ../priv/nas-pass)"',
        "rclone config update nas host nas2.example.org",
        "rclone sync ../db nas:backup --password-command 'cat ../priv/rclone-pass'",
        "isql asso-dsn asso -b < ../db/x.sql",
        'isql asso-dsn asso "$DB_PASS" -b < ../db/x.sql',
        "isql asso-dsn",
        "influx -username admin -password '' -execute 'SHOW DATABASES'",
        'influx query -t "$INFLUX_TOKEN" -f ../q.flux',
        "influx -precision rfc3339 -database telegraf -execute 'SHOW MEASUREMENTS'",
    ],
)
def test_rclone_isql_and_influx_without_a_password_are_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        # a registry's login, a Java key store's, an Oracle connection, MEGA's login
        (f"docker login -u asso -p {PW} registry.example.org", "a password option"),
        (f"podman login -u asso -p{PW} registry.example.org", "a password option"),
        (f"helm registry login registry.example.org -u asso -p {PW}", "a password option"),
        (f"keytool -importcert -keystore ../priv/ks -storepass {PW} -file x.pem", "a password option"),
        (f"keytool -storepasswd -new {PW} -storepass:env KS_PASS", "a password option"),
        (f"jarsigner -keystore ../priv/ks -storepass {PW} x.jar asso", "a password option"),
        (f"sqlplus -s asso/{PW}@orcl @../db/x.sql", "a password argument"),
        (f"mega-login asso@example.org {PW}", "a password argument"),
        # readers of the standard input named by an option: sshfs -o password_stdin, openconnect
        (f"echo {PW} | sshfs -o reconnect,password_stdin asso@nas:/ ../nas", PIPED),
        (f"echo {PW} | openconnect --user=asso --passwd-on-stdin vpn.example.org", PIPED),
        # script -c runs the command on a terminal whose input is its own
        (f"echo {PW} | script -qc 'kinit asso' /dev/null", PIPED),
        # a reader's name behind a backslash; output redirected around the pipe or the here-string
        (f"echo {PW} | \\kinit asso", PIPED),
        (f"echo {PW} 2>/dev/null | passwd", PIPED),
        (f"echo {PW} 2>&1 | kinit asso", PIPED),
        (f"kinit asso 2>&1 <<< {PW}", PIPED),
        (f"mysql -u asso -p asso &>> ../log/x.log <<< {PW}", PIPED),
        # cat given the word as a here-string writes it, as echo does
        (f"cat <<< {PW} | passwd --stdin asso", PIPED),
        (f"cat <<< '{PW}' | mysql -u asso -p asso", PIPED),
        (f"cat <<< {PW} | pulumi config set --secret pic:dbAdminPassword", PIPED),
    ],
)
def test_a_password_given_to_more_programs_is_found(command: str, kind: str) -> None:
    assert secrettext.secret_kind(command) == kind


@pytest.mark.parametrize(
    "command",
    [
        "docker login -u asso --password-stdin registry.example.org < ../priv/registry-pass",
        'docker login -u asso -p "$(cat ../priv/registry-pass)" registry.example.org',
        "docker run --rm -p 8080:80 nginx",
        "keytool -list -keystore ../priv/ks -storepass:env KS_PASS",
        "keytool -list -keystore ../priv/ks -storepass:file ../priv/ks-pass",
        "sqlplus -s / as sysdba @../db/x.sql",
        "sqlplus -s asso@orcl @../db/x.sql < ../priv/oracle-pass",
        "echo started | script -q ../log/session.log",
        # the word written to a file, not to the pipe
        f"echo {PW} > ../tmp/x.txt | passwd -S asso",
    ],
)
def test_more_programs_without_a_password_are_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    "text",
    [
        f"echo {PW} | " + "sudo -u x " * 20_000 + "logger",
        f"echo {PW} | " + "env A='b c' " * 20_000 + "logger",
        f"echo {PW} | " + "sh -c '" * 30_000 + "logger",
        f"echo {PW} | " + "su a " * 40_000 + "-c logger",
        f"echo {PW} | " + "ssh -p 1 " * 20_000 + "h logger",
        f"echo {PW} | " + "( { " * 30_000 + "logger",
        f"echo {PW} | " + "x/" * 100_000 + "logger",
        f"echo {PW} | " + "tee x | " * 20_000 + "logger",
        f"echo {PW} | kubectl " + "exec " * 40_000 + "-- logger",
        f"echo {PW} | docker exec " + "-e a " * 40_000 + "-i c logger",
        f"echo {PW} | " + "timeout 5 " * 20_000 + "logger",
        f"echo {PW} | (" + "cd x && " * 30_000 + "logger",
        f"echo {PW} | (" * 30_000,
        (f"echo {PW} | " + "tee x | " * 3 + "(cd; ") * 10_000,
        f"logger <<< {PW}; " * 20_000,
        "A=';' " * 30_000 + f"logger <<< {PW}",
        "| sudo -u 'x;' " * 20_000 + f"<<< {PW}",
        "$(" * 50_000 + "sudo -u x " * 10_000 + f"<<< {PW}",
        "x\n" + "sudo -u x kinit <<EOF\n" * 20_000,
        "'user a bbbbbbbb " * 20_000 + "| ftp",
        "ftp <<E\n" + "user a\n" * 50_000,
        "lftp " * 40_000 + "'user a",
        "assword" + "{;" * 100_000 + "send",
        "\\nuser a bbbbbbb" * 30_000 + " ftp",
        "kinit " + "2>&1 " * 50_000 + f"<<< {PW}",
        f"echo {PW}" + " 2>x" * 50_000 + " | logger",
        "docker login " * 30_000 + "-p",
        f"echo {PW} | docker run " + "--name x " * 20_000 + "-i c logger",
        f"echo {PW} | systemd-run " + "-u x " * 20_000 + "--pipe logger",
        f"echo {PW} | nsenter " + "-t 1 -m/x " * 20_000 + "logger",
        f"echo {PW} | " + "env -- " * 20_000 + "logger",
        f"echo {PW} | " + "sg a " * 30_000 + "-c logger",
        f"echo {PW} | docker exec " + "-iu 1 " * 30_000 + "c logger",
        "xargs -I " * 40_000,
        "xargs " * 40_000 + f"<<< {PW}",
        "a/xargs " * 40_000,
        f"echo {PW} | xargs " * 20_000,
        f"echo {PW} | xargs -I{{}} " + "{}" * 100_000,
        ("kinit 2>&1 &>x " * 5 + "| ") * 10_000 + f"<<< {PW}",
        # variables assigned, then used
        "a=b " * 40_000 + "mysql -p$a",
        f"a={PW}; " * 20_000 + "mysql -p$a " * 20_000,
        "a='b" * 40_000 + "$a",
        "; a=b$a" * 30_000,
        # pulumi config set's flags with their value after '=' (--stack=NAME, -s=NAME, --type=TYPE), before the key
        # and after it: 24 of them took 20 s, each one more twice as long
        "pulumi config set " + "--stack=a " * 24 + "k",
        "pulumi config set k " + "--stack=a " * 24,
        "pulumi config set " + "--type=x -s=y " * 10_000 + "k",
        "pulumi config set k " + "--config-file=a --cwd=b " * 10_000,
    ],
)
def test_a_long_command_is_read_in_linear_time(text: str) -> None:
    """CPU time of this process: a scan of these texts from each of their words would take minutes."""
    import time

    start = time.process_time()
    secrettext.secret_kind(text)
    assert time.process_time() - start < 3


@pytest.mark.parametrize(
    "name",
    [
        f"Club pass: {PW}",
        "Club pass: S3cretPw9",
        f"Amis du vélo (mot de passe : {PW})",
        f"Club MDP={PW}",
        f"Atelier pwd = {PW}",
        f"Chorale secret: '{PW}'",
        f"Échecs Token: {PW.lower()}",
        f"Club password: {PW}",
    ],
)
def test_a_name_holding_a_label_then_a_password_is_found(name: str) -> None:
    """A word naming a password among other words (pass, password, pwd, mdp, mot de passe, secret, token), then
    ':' or '=' and a value that reads as a password: letters and digits, a letter after a digit or a capital
    after a small letter."""
    assert secrettext.secret_kind(name) == "a password assignment"


@pytest.mark.parametrize(
    "name",
    [
        "Club de passe-temps",
        "Passerelle",
        "Passerelle: Lyon2024",
        "Les Pass'sport",
        "Les Pass'sport: 2024",
        "Club Pass’Sport 2024",
        "Association Pass: 2024",
        "Pass Culture: Lyon 7",
        "Le Jardin Secret : Saison 2",
        "Atelier du Secret: Saison2",
        "Théâtre mdp: Édition2024",
        "Les Amis du Rhône — Lyon 7ᵉ",
        "Club (token: Lyon)",
        "Compagnie Mot de passe : théâtre",
        "Secrets d'Histoire: Vélo2000",
    ],
)
def test_an_ordinary_name_with_such_a_word_is_none(name: str) -> None:
    assert secrettext.secret_kind(name) is None


@pytest.mark.parametrize(
    "command",
    [
        f"docker exec --env=DB_PASSWORD={PW} db php bin/sync.php",
        f"docker run --rm --env=SMTP_PASS={PW} registry.example.org/mailer",
        f"podman run -e=API_TOKEN={PW} registry.example.org/sync",
        f"systemd-run --user --setenv=DB_PASS={PW} php bin/sync.php",
        f"kubectl run sync --image=registry.example.org/sync --env=SECRET_KEY={PW}",
        f"kubectl create secret generic db --from-literal=password={PW}",
    ],
)
def test_an_assignment_given_as_an_option_s_value_is_found(command: str) -> None:
    assert secrettext.secret_kind(command) == "a password assignment"


@pytest.mark.parametrize(
    "command",
    [
        "docker run --rm --env=LANG=C.UTF-8 --label=pic.role=backup -v /x:/x image backup.sh",
        "docker run --rm -e=TZ=Europe/Paris image backup.sh",
        'docker exec --env=DB_PASSWORD="$(cat ../priv/db-pass)" db php bin/sync.php',
        "php bin/console app:users --filter=status=active --sort=created_at",
        # kubectl create secret's --from-file=KEY=FILE: the value is read from the file
        "kubectl create secret generic db --from-file=password=priv/db-pass",
        "kubectl create secret generic api -n asso --from-file=api-token=priv/token --dry-run=client -o yaml",
    ],
)
def test_an_option_s_value_assigning_no_password_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        # xargs gives the word it reads to its command: in place of -I's replacement string, else as its last argument
        (f"echo {PW} | xargs -I{{}} sh -c 'echo {{}} | kinit alice'", PIPED),
        (f"echo {PW} | xargs -I {{}} sh -c 'kinit alice <<< {{}}'", PIPED),
        (f"echo {PW} | xargs -i sh -c 'echo {{}} | passwd --stdin alice'", PIPED),
        (f"printf '%s' {PW} | xargs -0 -I{{}} sh -c 'echo {{}} | kinit'", PIPED),
        (f"xargs -I{{}} sh -c 'echo {{}} | kinit alice' <<< {PW}", PIPED),
        (f"echo {PW} | xargs -I% mysql -u asso -p% asso", "a password option"),
        (f"echo {PW} | xargs --replace=XX htpasswd -b ../priv/h alice XX", "a password argument"),
        (f"echo {PW} | /usr/bin/xargs htpasswd -nb alice > ../priv/h", "a password argument"),
    ],
)
def test_a_password_xargs_gives_its_command_is_found(command: str, kind: str) -> None:
    assert secrettext.secret_kind(command) == kind


@pytest.mark.parametrize(
    "command",
    [
        # -a FILE: xargs reads its arguments from the file; a variable; words that make no password of the command's
        f"echo {PW} | xargs -a ../users -I{{}} sh -c 'echo {{}} | kinit alice'",
        "echo \"$PW\" | xargs -I{} sh -c 'echo {} | kinit alice'",
        "echo alice | xargs getent passwd",
        "echo alice-smith | xargs passwd -S",
        "echo started | xargs -I{} logger -t kinit {}",
        "echo asso_main | xargs -I{} mysqldump {} > ../db/x.sql",
        "find ../tmp -name '*.log' | xargs rm -f",
        f"echo {PW} | xargs -I{{}} logger {{}}",
    ],
)
def test_a_word_xargs_gives_no_reader_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (f"php console core:archive --url=https://stats.asso.org --token-auth={PW}", "", "a password option"),
        (f"php console core:archive --token_auth {PW} --url=https://stats.asso.org", "", "a password option"),
        (f"MATOMO_TOKEN_AUTH={PW} php console core:archive", "", "a password assignment"),
        (f"token_auth: {PW}", "", "a password assignment"),
        (PW, "matomo_token_auth", "a value named matomo_token_auth"),
        ("curl 'https://stats.asso.org/index.php?module=API&token_auth=anonymous'", "", None),
        ("php console core:archive --token-auth=anonymous", "", None),
        ('php console core:archive --token-auth="$(cat ../priv/matomo-token)"', "", None),
    ],
)
def test_matomo_s_token_is_found_in_every_form_its_urls_one_is(text: str, name: str, kind: str | None) -> None:
    """Matomo's token_auth, a secret in its URLs' query, is one as its archiver's option and as a variable too;
    its value anonymous (the API's public access) is none."""
    assert secrettext.secret_kind(text, name) == kind


# The labels in French (mdp, mot de passe in any spelling) and the usual abbreviations (pw, pswd) name a password as
# password, passwd and pwd do: KEY: VALUE on a line of its own, KEY=VALUE in a command, in a name among other words
@pytest.mark.parametrize(
    "text",
    [
        "mdp: Azerty123",
        "MDP = Azerty123",
        "mot de passe : Azerty123",
        "Mot de passe: Azerty123",
        "mot-de-passe: Azerty123",
        "mot_de_passe=Azerty123",
        "motDePasse: Azerty123",
        "DB_MDP=Azerty123 php bin/sync.php",
        "pw: Azerty123",
        "DB_PW=Azerty123 php bin/sync.php",
        "pswd: Azerty123",
        "wifi:\n  ssid: asso\n  mdp: Azerty123",
        "export SMTP_MDP='Azerty123'",
        f"Club mot_de_passe: {PW}",
        f"Club pw: {PW}",
        f"Club pswd = {PW}",
    ],
)
def test_a_password_under_a_french_or_abbreviated_label_is_found(text: str) -> None:
    assert secrettext.secret_kind(text) == "a password assignment"


@pytest.mark.parametrize(
    "text",
    [
        # a placeholder in French, a file holding the password, a word (no digit) after the label
        "mdp: votre_mot_de_passe",
        "mot de passe: ../priv/db-pass",
        "MDP=$(cat ../priv/mdp) php bin/sync.php",
        "Compagnie Mot de passe : théâtre",
        "Théâtre mdp: Édition2024",
        "Les Amis du PW: Lyon 7",
        "pwgen 12 1 > ../priv/x",
        "php bin/console app:mdp --length=12",
    ],
)
def test_a_french_or_abbreviated_label_without_a_password_is_none(text: str) -> None:
    assert secrettext.secret_kind(text) is None


OWM = "0123abcd4567ef890123abcd4567ef89"  # the shape of an OpenWeatherMap key: 32 hexadecimal digits


@pytest.mark.parametrize(
    "command",
    [
        # an API key given in a URL's query: by a name that says so whatever its value, or by one that may name
        # anything (key, appid, auth, a name ending in key) with a value shaped like a key
        f'curl -fsS "https://api.openweathermap.org/data/2.5/weather?q=Lyon&appid={OWM}" -o ../www/meteo.json',
        f"wget -qO ../www/meteo.json 'https://api.openweathermap.org/data/2.5/forecast?APPID={OWM}&units=metric'",
        f"curl 'https://api.example.org/v1/events?app_id={OWM}'",
        f"curl 'https://api.example.org/v1/events?apikey={PW}'",
        f"curl 'https://api.example.org/v1/events?lang=fr&api_key={PW}'",
        f"curl 'https://api.example.org/v1/events?apiKey={PW}'",
        f"curl 'https://maps.example.org/geocode/json?address=Lyon&key=AIzaSyD-{PW}abcdef'",
        f"curl 'https://api.example.org/v1/events?key={OWM}'",
        f"curl 'https://graph.example.org/v19.0/me/feed?fields=id&access_token={PW}'",
        f"curl 'https://asso.firebaseio.example.org/events.json?auth={OWM}'",
        f"curl 'https://api.example.org/v1/licence?license_key={OWM}'",
        f"curl 'https://api.example.org/v1/x?subscription-key={OWM}'",
        f"curl 'https://api.example.org/v1/x?consumerKey={OWM}&consumer_secret=x'",
    ],
)
def test_an_api_key_in_a_url_s_query_is_found(command: str) -> None:
    assert secrettext.secret_kind(command) == "a secret in a URL's query"


@pytest.mark.parametrize(
    "command",
    [
        # words after key=, a variable or a file, a value no key is shaped like (no digit; a word then a number)
        "curl -fsS 'https://asso.org/wiki/index.php?key=Special_Pages'",
        "curl -fsS 'https://asso.org/search?key=bonjour&lang=fr'",
        "curl -fsS 'https://asso.org/api/events?sort=date&key=section2024'",
        "curl -fsS 'https://asso.org/cron.php?sort_key=created_at&monkey=banana1'",
        'curl -fsS "https://api.openweathermap.org/data/2.5/weather?q=Lyon&appid=$(cat ../priv/owm-key)"',
        'curl -fsS "https://api.example.org/v1/events?key=${API_KEY}"',
        "curl -fsS 'https://asso.org/agenda?auth=required&appid=demo'",
        "curl -fsS 'https://asso.org/agenda?client_id=0123abcd4567ef890123&scope=read'",
        "curl -fsS 'https://asso.org/cron.php?key=YOUR_API_KEY'",
    ],
)
def test_a_query_naming_no_key_or_holding_no_key_s_value_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    "text",
    [
        # among other words, a label that names nothing but a password (password, passwd, passphrase, pwd, pw, pswd,
        # mdp, mot de passe) takes any value of letters and digits: Azerty123 as S3cretPw9
        "Club passwd: Azerty123",
        "Club password = Azerty123",
        "Club mdp : Azerty123",
        "Amis du vélo (mot de passe : azerty123)",
        "marie@laptop pwd:Azerty123",
        "ssh-ed25519 marie passwd: Azerty123",
        "Atelier pw: 123azerty",
        "Chorale passphrase: Soleil42",
        # plurals too
        "Club passwords: Azerty123",
        "Club mots de passe : Azerty123",
    ],
)
def test_a_password_label_among_words_takes_any_value_of_letters_and_digits(text: str) -> None:
    assert secrettext.secret_kind(text) == "a password assignment"


@pytest.mark.parametrize(
    "text",
    [
        # the other labels (pass, secret, token) name other things too: their value still reads as a password
        "Association Pass: Saison2",
        "Le Jardin secret: Lyon2024",
        # a word, then a year: an edition's name, as a password label's value too
        "Théâtre mdp: Édition2024",
        "Club PW: Lyon2024",
        # digits alone, no letter
        "Club mdp : 2024-2025",
    ],
)
def test_a_label_among_words_before_a_word_and_a_year_or_a_number_is_none(text: str) -> None:
    assert secrettext.secret_kind(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "AKIA2OGYBAH6RTX5QW3M",
        "ASIA2OGYBAH6RTX5QW3M",
        "ghp_4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5Fh",
        "github_pat_11ABCDEFG0123456789abc_4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5FhJkLm",
        "glpat-4f8Gk2ZqvLmN9pQr7sTu",
        "xoxb-2401234567-4h8GkZqv2LmN",
        "xoxe-1-4h8GkZqv2LmN9pQr",
        "xapp-1-A0123456789-4h8GkZqv2LmN",
        "sk_live_4f8Gk2ZqvLmN9pQr7sTu1VwX",
        "rk_live_4f8Gk2ZqvLmN9pQr7sTu1VwX",
        "AIzaSyD4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3-",
        "0123456789abcdef0123456789abcdef-us21",
        "xkeysib-" + "0123456789abcdef" * 4 + "-4h8GkZqv2LmN9pQr",
        "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",
        "sk-proj-4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5FhJkLmNoP_x-4f8Gk2Zqv",
        "sk-svcacct-4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5FhJkLmNoP",
        "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",
        "sk-ant-api03-4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5FhJkLmNoP-x_4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5FhJkLmNoPAA",
    ],
)
def test_an_access_key_of_a_known_shape_is_found_alone_and_among_words(text: str) -> None:
    """The services' keys an association's site sends mail or takes payments with: a secret wherever they
    appear, in a command, an input or an admin's notes."""
    assert secrettext.secret_kind(text) == "an access key"
    assert secrettext.secret_kind(f"export X={text}; curl https://api.example.org") is not None
    assert secrettext.prose_secret(f"clé du service : {text} (demandée en mars)") == ("an access key", 17)


@pytest.mark.parametrize(
    "text",
    [
        "ASIA PACIFIC 2024",
        "Pass Culture AIza",
        "sk_live_demo",
        "glpat-example",
        "0123456789abcdef-us21",
        "SG.example.org",
        "Voyage en ASIA2026 prévu",
        "sk-proj-example",
        "task-proj-4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5FhJkLmNoP",
        "desk-ant-api03-réunion",
    ],
)
def test_words_shaped_partly_like_an_access_key_are_none(text: str) -> None:
    assert secrettext.secret_kind(text) is None
    assert secrettext.prose_secret(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "curl -fsS https://asso%3AZt8kq2LmW9@example.org/cron.php",
        "lftp -e mirror ftp://asso%3aZt8kq2LmW9@ftp.example.org",
        "mysql://velo%253AZt8kq2LmW9@db.example.org/velo",
        "redis://%3AZt8kq2LmW9@127.0.0.1:6379",
    ],
)
def test_credentials_in_a_url_whose_colon_is_percent_encoded_are_found(text: str) -> None:
    """Was: none. ``user%3Apassword@`` (RFC 3986 §2.1: %3A, a colon) reads as a user alone to a URL's parser, but
    no login name holds a colon, and curl and lftp decode it: the part after it is the password, encoded once or
    more."""
    assert secrettext.secret_kind(text) == "credentials in a URL"
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "credentials in a URL", found


@pytest.mark.parametrize(
    "text",
    [
        "https://jean%40asso.org@example.org/dav/",  # an address as the user, its @ encoded: no password
        "https://asso%3A@example.org/",  # an empty password
        "https://example.org/wiki/Cat%C3%A9gorie:Accueil@v2",
    ],
)
def test_a_urls_user_holding_no_encoded_colon_is_none(text: str) -> None:
    assert secrettext.secret_kind(text) is None
    assert secrettext.prose_secret(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "curl -fsS HTTPS://asso:Zt8kq2LmW9@example.org/cron.php",
        "lftp -e mirror FTP://asso:Zt8kq2LmW9@ftp.example.org",
        "Sftp://asso:Zt8kq2LmW9@sftp.example.org/backup",
    ],
)
def test_credentials_in_a_url_whose_scheme_is_in_capitals_are_found(text: str) -> None:
    """A URL's scheme is read in any case (RFC 3986, 3.1): curl and lftp log in with HTTPS://user:pw@ as well."""
    assert secrettext.secret_kind(text) == "credentials in a URL"
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "credentials in a URL", found


@pytest.mark.parametrize(
    ("command", "holder"),
    [
        ("php bin/sync.php --jeton=Zt8kq2LmW9xR", ("--jeton", "=")),
        ("php bin/sync.php --jeton-acces Zt8kq2LmW9xR", ("--jeton-acces", " ")),
        ("JETON=Zt8kq2LmW9xR php bin/sync.php", ("JETON", "=")),
        ("CLE_API=Zt8kq2LmW9xR php bin/sync.php", ("CLE_API", "=")),
        ("php bin/sync.php --cle-api=Zt8kq2LmW9xR", ("--cle-api", "=")),
        ("php bin/sync.php --api-cle Zt8kq2LmW9xR", ("--api-cle", " ")),
        ('curl -fsS "https://velo-lyon.org/cron.php?jeton=zt8kq2lmw9xr"', None),
        ('curl -fsS "https://velo-lyon.org/cron.php?cle_api=Zt8kq2LmW9xR"', None),
        ('curl -fsS "https://velo-lyon.org/cron.php?cle=Zt8kq2LmW9xR"', None),
    ],
)
def test_french_names_of_a_token_or_a_key_hold_a_secret_as_the_english_ones(
    command: str, holder: tuple[str, str] | None
) -> None:
    """jeton is token, clé API is API key: --jeton= and ?jeton= are read as --token= and ?token= are."""
    assert secrettext.secret_kind(command) is not None, command
    assert secrettext.secret_holder(command) == holder


@pytest.mark.parametrize(
    "command",
    [
        "ARTICLE_API=Zt8kq2LmW9xR php bin/sync.php",
        'curl -fsS "https://velo-lyon.org/?article=Zt8kq2LmW9xR"',
        'curl -fsS "https://velo-lyon.org/?cle=section2024"',
        "php bin/jetons.php --jetons-presence=12",
    ],
)
def test_words_ending_in_those_names_hold_no_secret(command: str) -> None:
    assert secrettext.secret_kind(command) is None, command


@pytest.mark.parametrize(
    "command",
    [
        f"printf '[client]\\nuser=asso\\npassword={PW}\\n' > ../tmp/my.cnf; mysqldump --defaults-file=../tmp/my.cnf m",
        f"echo 'user=asso\\npassword={PW}' > ../priv/my.cnf",
        f"printf 'user=asso\\tpassword={PW}' > ../tmp/f",
        f"printf 'user=asso\\012password={PW}' > ../tmp/f",
        f"echo 'user=asso\\0012password={PW}' > ../tmp/f",
        f"printf 'machine ftp.example.org\\r\\nmdp: {PW}' > ../tmp/f",
    ],
)
def test_a_password_printf_or_echo_writes_on_a_line_of_its_own_is_found(command: str) -> None:
    """printf's format and dash's echo turn \\n, \\t, \\r and their octal forms into a line break or a tab: the
    password they write after one is on a line of its own in the file, as a program reads it."""
    assert secrettext.secret_kind(command) == "a password assignment", command


@pytest.mark.parametrize(
    "command",
    [
        "printf '[client]\\nuser=asso\\n' > ../priv/my.cnf",
        "printf 'done\\n' >> ../log/x.log",
        'printf \'%s\\tpassword=%s\\n\' "$USER" "$(cat ../priv/pw)" > ../tmp/f',
    ],
)
def test_printf_s_escapes_writing_no_password_are_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None, command


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        # a variable of no telling name given a password, then used where a password goes: the shell gives the
        # program the value written in the file (p=PW; mysql -p$p), after ';', '&&', export, other variables
        (f"p={PW}; mysql -u asso -p$p asso_main", "a password option"),
        (f"p='{PW}'; mysqldump -u asso -p\"$p\" asso_main > ../db/x.sql", "a password option"),
        (f"p={PW}; mysql -u asso -p${{p}} asso_main", "a password option"),
        (f"p={PW}; mysqldump -u asso --password=$p asso_main", "a password assignment"),
        (f"p={PW}; PGPASSWORD=$p pg_dump asso", "a password assignment"),
        (f"u=asso p={PW}; mysql -u $u -p$p asso_main", "a password option"),
        (f"export P={PW}; curl -fsS -u asso:$P https://asso.example.org/cron", "a password option"),
        (f'cd .. && p={PW} && sshpass -p "$p" ssh asso@nas.example.org ls', "a password option"),
        (f"p={PW}\nmysql -u asso -p$p asso_main", "a password option"),
        # at the start of a string a shell runs
        (f"sh -c 'p={PW}; mysqldump -u asso -p$p asso_main > ../db/x.sql'", "a password option"),
        (f'bash -c "export P={PW}; curl -fsS -u asso:$P https://asso.example.org/cron"', "a password option"),
    ],
)
def test_a_password_given_through_a_variable_assigned_in_the_command_is_found(command: str, kind: str) -> None:
    """The value the variable is assigned is written in the file: the program it is given to reads it as written."""
    assert secrettext.secret_kind(command) == kind, command


@pytest.mark.parametrize(
    "command",
    [
        # a variable the command does not assign (the job's environment), one read from a file, or computed
        'mysqldump -u asso -p"$MYSQL_PWD" asso_main > ../db/x.sql',
        'p="$(cat ../priv/db-password)"; mysql -u asso -p"$p" asso_main',
        "p=$(cat ../priv/db-password); mysql -u asso -p$p asso_main",
        "f=../priv/my.cnf; mysqldump --defaults-extra-file=$f asso_main > ../db/x.sql",
        "d=$(date +%F); mysqldump --defaults-extra-file=../priv/my.cnf asso_main > ../db/main-$d.sql",
        # assigned words that give no password where they go
        "n=5; sleep $n; php cron.php",
        "dir=../db; tar czf $dir/www.tgz . && find $dir -mtime +7 -delete",
        "u=asso; curl -fsS -u $u https://asso.example.org/cron",
        # a reference before its assignment is not its value
        f"mysql -u asso -p$p asso_main; p={PW}",
        # a word in quotes that is no assignment
        f"echo 'p={PW}' >> ../log/x.log; mysql -u asso -p$p asso_main",
    ],
)
def test_a_variable_that_gives_no_password_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None, command


@pytest.mark.parametrize(
    "command",
    [
        # smbclient //SERVER/SHARE PASSWORD: the word after the service is its password (smbclient(1)), its options
        # before or after, the service in quotes or written with backslashes
        f"smbclient //nas.example.org/backup {PW} -U asso -c 'put ../db/x.sql x.sql'",
        f"smbclient -U asso '//nas.example.org/backup' {PW} -c ls",
        f"smbclient '\\\\nas\\backup' '{PW}' -U asso -c ls",
        f"cd ../db && smbclient -W ASSO //nas/backup {PW} -c 'put x.sql'",
    ],
)
def test_smbclient_s_password_after_the_service_is_found(command: str) -> None:
    assert secrettext.secret_kind(command) == "a password argument", command


@pytest.mark.parametrize(
    "command",
    [
        # no password after the service: an option, its file of credentials, a variable, a redirection
        "smbclient //nas.example.org/backup -A ../priv/smb.cred -c ls",
        "smbclient //nas.example.org/backup -N -c ls 2>>../log/smb.log",
        "smbclient -L //nas.example.org -U asso%$SMB_PASS",
        "smbclient //nas.example.org/backup < ../tmp/commands.txt",
        'smbclient //nas.example.org/backup "$SMB_PASS" -U asso',
        "smbclient //nas.example.org/backup -U asso -c ls | grep x.sql",
    ],
)
def test_smbclient_given_no_password_after_the_service_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None, command


@pytest.mark.parametrize(
    "command",
    [
        # a variable named for a key given a value shaped like one (a digit, and a letter after a digit or a capital
        # after a small letter; a licence key's groups), as a URL's ?key=
        "LICENSE_KEY=4f9a2c7e1b3d8f60 php bin/check-licence.php",
        "KEY=abcd1234efgh php bin/sync.php",
        "export STRIPE_KEY=abcd1234efgh; php bin/payouts.php",
        "cd .. && Licence_Key='ABCD-1234-EFGH-5678' php bin/check-licence.php",
        "env MATOMO_KEY=xK9mPq2RtY7w php bin/sync.php",
        # the keys that are secrets, whatever word names them, a word of the names that are none among them
        "ENCRYPTION_KEY=4f9a2c7e1b3d8f60 php bin/sync.php",
        "PRIVATE_KEY=Zt8kq2LmW9xR php bin/sign.php",
        "SIGNING_KEY=Zt8kq2LmW9xR php bin/sign.php",
        "CRON_KEY=a8F3kL9mQ2 php cron.php",
        "RECAPTCHA_KEY=Zt8kq2LmW9xR php bin/check.php",
        "SITE_SECRET_KEY=Zt8kq2LmW9xR php bin/check.php",
        "CACHE_PUBLIC_SIGNING_KEY=Zt8kq2LmW9xR php bin/warm.php",
        "MONKEY_KEY=abcd1234efgh php bin/zoo.php",
        "KEY=Zt8k/q2Lm+W9xR== php bin/sync.php",
    ],
)
def test_a_variable_named_for_a_key_given_a_key_is_found(command: str) -> None:
    assert secrettext.secret_kind(command) == "a password assignment", command


@pytest.mark.parametrize(
    "command",
    [
        # a key's name given a word, a number, a name with a year, a path, a value read from a file; an option
        "KEY=true php bin/sync.php",
        "PASS=1 php bin/sync.php",
        "SORT_KEY=created_at php bin/export.php",
        "CACHE_KEY=site2024 php bin/warm.php",
        "CACHE_KEY=homepage-v2 php bin/warm.php",
        "SSH_KEY=../priv/id_ed25519 php bin/deploy.php",
        "GPG_KEY=~/priv/backup2024.asc php bin/backup.php",
        "KEY_FILE=/home/asso/priv/key php bin/sync.php",
        "TOKEN=$(cat ../priv/token) php bin/sync.php",
        'API_KEY="$(cat ../priv/api-key)" php bin/sync.php',
        "MONKEY=abcd1234efgh php bin/zoo.php",
        "curl -fsS --key ../priv/client.key --cert ../priv/client.crt https://asso.example.org/cron",
        "php -d memory_limit=256M bin/import.php",
        "mysql --password-file=/home/asso/priv/pw asso_main",
        "mysql -p asso_main < ../db/x.sql",
        "mysqldump --defaults-extra-file=priv/my.cnf asso_main > ../db/x.sql",
        # a public key or a key's identifier: an OpenPGP key's id or fingerprint, a captcha's site key (reCAPTCHA,
        # Turnstile: in every page), Web Push's VAPID public key, Stripe's publishable key
        "GPG_KEY=0xA1B2C3D4E5F60718 duplicity --encrypt-key $GPG_KEY ../db sftp://backup@nas.example.org/asso",
        "PGP_KEY=3AA5C34371567BD2 sh backup.sh",
        "RECAPTCHA_SITE_KEY=6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI php bin/console app:check-forms",
        "TURNSTILE_SITE_KEY=1x00000000000000000000AA php bin/check.php",
        "VAPID_PUBLIC_KEY=BEl62iUYgUivxIkv69yViEuiBIa40HI8 php bin/console webpush:send",
        "PUBLIC_KEY=BEl62iUYgUivxIkv69yViEuiBIa40HI8 php bin/console webpush:send",
        "STRIPE_PUBLISHABLE_KEY=pk_test_51Hx0aBcD2eFgH php bin/check.php",
        # a key naming a record, a lock, a message's route, a setting: no secret
        "LOCK_KEY=cronJob1 php cron.php",
        "PARTITION_KEY=Y2024M03 php bin/archive.php",
        "ROUTING_KEY=asso.newsV2 php bin/consume.php",
        "META_KEY=_wpLastSeen2 wp user list --meta_key=$META_KEY",
        "IDEMPOTENCY_KEY=run-2024-03v2 php bin/pay.php",
        "export SORT_KEY=dateDebut2024; php bin/export.php",
        # a path to a file (an object's key in a bucket, a key's file)
        "S3_KEY=backups/asso2024db.sql.gz php bin/upload.php",
        "SSL_KEY=priv/web1asso.key php bin/check-cert.php",
    ],
)
def test_a_variable_named_for_a_key_given_no_key_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None, command


@pytest.mark.parametrize(
    "command",
    [
        # user:password@host without a scheme: MySQL Shell's connection, lftp's open, any program given it
        f"mysqlsh asso:{PW}@db.example.org:3306 --sql -f ../db/purge.sql",
        f"mysqlsh --uri asso:{PW}@db.example.org/asso_main -e 'x'",
        f"lftp -e 'open asso:{PW}@ftp.example.org; mirror; quit'",
        f"php bin/sync.php --db asso_main:{PW}@localhost",
        "php bin/sync.php asso:Velo!pass@db.example.org",
        "php bin/sync.php asso:veloPass@db.example.org",
        # the web hosts' database endpoint (pic-db, a member's priv/ file's host), a host of no dot before a port
        f"mysqlsh asso:{PW}@pic-db:3306 --sql -f ../db/purge.sql",
        f"mysqlsh --uri=asso:{PW}@pic-db --sql -e 'select 1'",
        f"php bin/sync.php --db asso:{PW}@mariadb:3306",
        # a login named as a scheme is read as one where none is (ssh:, ftp:, sftps:)
        f"lftp -e 'open sftps:{PW}@ftp.example.org; mirror; quit'",
        f"mysqlsh acct2:{PW}@db.example.org --sql -f ../db/purge.sql",
    ],
)
def test_credentials_before_a_host_name_without_a_scheme_are_found(command: str) -> None:
    assert secrettext.secret_kind(command) == "credentials before a host name", command


@pytest.mark.parametrize(
    "command",
    [
        # a user and no password, an address after mailto: or a label, an image's digest, ssh's and rsync's forms
        "rsync -a ../db/ ssh://asso@nas.example.org/backup",
        "rsync -a ../db/ asso@nas.example.org:/backup",
        "scp asso@nas.example.org:/backup/x.sql ../db/",
        "git clone git@github.com:asso/site.git ../tmp/site",
        "mysqlsh asso@db.example.org:3306 --sql -f ../db/purge.sql",
        "php bin/notify.php --to mailto:tresorier2026@asso.example.org",
        "php bin/notify.php --from From:tresorier2026@asso.example.org",
        "php bin/notify.php --to liste:marie.dupont@asso.example.org",
        "docker run --rm php:8.2-cli@sha256:0123abcd php -v",
        "mysqlsh asso:$DB_PASS@db.example.org --sql -f ../db/purge.sql",
        "echo 12:30@home >> ../log/x.log",
        "docker pull nextcloud:28-apache@sha256:0123456789abcdef0123456789abcdef",
        "logger -t cron note:Velo2024@web1",
        # restic's sftp: repository (a user, its host and path: a Hetzner Storage Box's u123456), a URI naming an
        # account at a host without // (WebFinger's acct:, XMPP's, SIP's), a bounce address's header
        "restic -r sftp:u123456@u123456.your-storagebox.de:/restic --password-file ../priv/restic backup ../db",
        "restic -r sftp:u123456-sub1@u123456.your-storagebox.de:/restic --password-file ../priv/restic snapshots",
        "RESTIC_REPOSITORY=sftp:backup2@nas.example.org:/srv/restic restic --password-file ../priv/r check",
        "curl -fsS 'https://mastodon.social/.well-known/webfinger?resource=acct:asso2024@mastodon.social'",
        "php bin/notify.php --jid xmpp:alertes2024@jabber.example.org",
        "php bin/notify.php --sip sip:accueil2024@voip.example.org --fallback sips:accueil2024@voip.example.org",
        'echo ok | mail -s test -a "Return-Path:bounce2024@asso.example.org" bob@asso.example.org',
        "php bin/call.php --to tel:0612345678@sip.example.org:5060",
    ],
)
def test_a_user_or_an_address_before_a_host_name_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None, command


@pytest.mark.parametrize(
    "text",
    [
        # a token in a URL's fragment (OAuth's answer to a page), read as in its query
        f"curl -fsS 'https://asso.example.org/cb#access_token={PW}'",
        f"curl -fsS 'https://asso.example.org/cb#state=x&id_token={PW}'",
        f"wget -qO- https://asso.example.org/app/#/sync?x=1#token={PW}",
        f"curl -fsS 'https://asso.example.org/map#key={OWM}'",
        f"Ancienne appli : https://asso.example.org/cb#access_token={PW}",
    ],
)
def test_a_secret_in_a_url_s_fragment_is_found(text: str) -> None:
    assert secrettext.secret_kind(text) == "a secret in a URL's fragment", text
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a secret in a URL's fragment", found


@pytest.mark.parametrize(
    "text",
    [
        "curl -fsS 'https://asso.example.org/page#section2'",
        "curl -fsS 'https://asso.example.org/wiki#key=Special_Pages'",
        "curl -fsS 'https://asso.example.org/cb#access_token=$(cat ../priv/token)'",
        "php cron.php # token=see ../priv/token",
        "Voir https://asso.example.org/faq#mot-de-passe-oublie",
    ],
)
def test_a_url_s_fragment_naming_no_secret_is_none(text: str) -> None:
    assert secrettext.secret_kind(text) is None, text
    assert secrettext.prose_secret(text) is None, text


@pytest.mark.parametrize(
    "command",
    [
        # a variable naming a secret assigned before the command, a program given it as an option or argument
        f"MYSQL_PWD={PW} mysqldump -u asso asso_main > ../db/x.sql",
        f"PGPASSWORD={PW} pg_dump -U asso asso > ../db/x.sql",
        f"API_TOKEN={PW} php bin/sync.php",
        f"cd .. && SECRET={PW} php bin/sync.php",
        f"export PASS={PW}; php bin/sync.php",
        f"sshpass -p {PW} ssh asso@nas.example.org ls",
        f"curl -fsS -u asso:{PW} https://asso.example.org/cron",
        f"wget -q --password={PW} https://asso.example.org/cron",
        f"lftp -u asso,{PW} ftp.example.org",
        f"mysqladmin -u asso -p{PW} status",
        f"php bin/sync.php --dsn mysql://asso:{PW}@db.example.org/asso_main",
    ],
)
def test_a_password_written_in_a_job_s_usual_ways_is_found(command: str) -> None:
    assert secrettext.secret_kind(command) is not None, command


CHARSET_WORDS = 'use an IANA name in lowercase such as utf-8, iso-8859-1, iso-8859-15 or windows-1252, or "none"'


@pytest.mark.parametrize(
    "value",
    ["utf-8 mdp:Azerty123 iso-8859-1", ["mdp : Azerty123", "windows-1252"], {"mdp : Azerty123": "utf-8"}],
)
def test_redacted_keeps_what_the_message_allows_though_the_value_holds_it(value: object) -> None:
    """The allowed values a message lists come from no value: they stay whole, though the hidden value holds one."""
    message = f"the value (not shown: it may be a secret) is not a charset name: {CHARSET_WORDS}"
    assert secrettext.redacted(message, value, [CHARSET_WORDS]) == message


@pytest.mark.parametrize(
    ("message", "value", "secret"),
    [
        # a hint quoting the value, lowercased: its words out, a password of letters alone too
        ("has uppercase letters: write it in lowercase ('mdp:azerty123.org')", "mdp:Azerty123.org", "azerty123"),
        ("has uppercase letters: write it in lowercase ('mdp:velosolex.org')", "mdp:Velosolex.org", "velosolex"),
        ("has uppercase letters: write it in lowercase ('mdp:az.er.ty.12.org')", "MDP:Az.er.ty.12.org", "ty.12"),
        ('is not allowed here: a name; did you mean "mot de passe soleil"?', "Mot de passe : Soleil", "soleil"),
        # written in other forms of its letters than the value's (full-width), and the hint in plain letters
        ("write 'mdp:azerty123@example.org'", "ｍｄｐ:Ａｚｅｒｔｙ１２３@example.org", "azerty123"),
        ("stands for ｍｄｐ:Ａｚｅｒｔｙ１２３", "mdp:Azerty123", "ａｚｅｒｔｙ"),
        # a separator in full-width form (U+FF1A) in the value, the message quoting a piece of its ASCII form
        ("in ASCII '...' port \"Lilas2024x\" is not a port", "ｓｍｔｐ.example.org：Lilas2024x", "lilas2024x"),
        ('port "velo75paris" is not a port', "smtp.example.org\uff1avelo75paris", "velo75paris"),
        ("port 'Lilas2024x' is not a port", "smtp.example.org\uff0fLilas2024x", "lilas2024x"),
        # the value quoted inside the message's own text is still its own: only where the own text stands whole
        (f"{CHARSET_WORDS}; did you mean 'utf-8 mdp:azerty123'?", "UTF-8 mdp:Azerty123", "azerty123"),
    ],
)
def test_redacted_hides_a_hint_quoting_the_value(message: str, value: str, secret: str) -> None:
    shown = secrettext.redacted(message, value, [CHARSET_WORDS])
    assert secret not in shown.casefold(), shown
    assert CHARSET_WORDS not in message or CHARSET_WORDS in shown, shown


def test_redacted_leaves_the_message_s_own_quotes_and_words() -> None:
    """A quoted part holding no piece of the value stays (another field's value, an example), and so do the
    message's words, an apostrophe in a word opening no quote."""
    message = "the member's domain 'asso-lyon.org' is taken (e.g. \"velo-lyon.fr\"); did you mean 'x'?"
    assert secrettext.redacted(message, "mdp : Azerty123") == message


@pytest.mark.parametrize(
    ("message", "value", "told"),
    [
        ("host 'smtp1.example.org' has uppercase letters: write 'smtp1.example.org:25'", "Smtp1.Example.Org:25", ""),
        ("has uppercase letters: write it in lowercase ('mdp:azerty123.org')", "mdp:Azerty123.org", "in lowercase"),
        ("is not a name; did you mean 'mdp:azerty123'?", "mdp:Azerty123", "not a name"),
        ("is in square brackets: give the address alone ('mdp:azerty123')", "[mdp:Azerty123]", "address alone"),
    ],
)
def test_redacted_offers_no_value_it_hides(message: str, value: str, told: str) -> None:
    """A hint offering the value mended (``write 'smtp1.example.org:25'``, ``did you mean '...'?``) was written
    ``write '...'`` once the value was hidden: '...' read as the value to write, which the field then refuses. The
    hint says what to do without quoting it, no quote of three dots left to copy."""
    shown = secrettext.redacted(message, value)
    assert not any(offer in shown for offer in ("write '...'", "('...')", "mean '...'")), shown
    assert "azerty" not in shown.casefold() and "smtp1" not in shown, shown
    assert told in shown, shown


TELEGRAM = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        # a bot's token in its API's URL, or alone; a chat's webhook
        (f'wget -qO- "https://api.telegram.org/bot{TELEGRAM}/sendMessage?chat_id=1"', "an access key"),
        (f"curl -s https://api.telegram.org/file/bot{TELEGRAM}/photos/1.jpg", "an access key"),
        (f"php notify.php --bot {TELEGRAM}", "an access key"),
        (
            "curl https://hooks.slack.com/triggers/T0123ABCD/1234567890123/abcdef0123456789abcdef0123456789",
            "a webhook URL",
        ),
        (
            "curl -d @m.json https://asso.webhook.office.com/webhookb2/3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7b@"
            "3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7c/IncomingWebhook/0123456789abcdef0123456789abcdef/"
            "3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7d",
            "a webhook URL",
        ),
        (
            'curl -X POST "https://prod-12.westeurope.logic.azure.com:443/workflows/0123abcd/triggers/manual/paths/'
            'invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zt8kq2LmW9xRcV4bN7mQ1pL0sD3fG6hJ8kL"',
            "a webhook URL",
        ),
        # a password written by a command substitution of a word written there
        ("mysqldump -uasso -p$(echo S3cr3tPw) asso_main", "a password option"),
        ("mysqldump -uasso -p\"$(echo -n 'S3cr3tPw')\" asso_main", "a password option"),
        ("mysql -uasso -p`echo S3cr3tPw` asso_main", "a password option"),
        ('mysql -uasso -p"$(printf %s S3cr3tPw)" asso_main', "a password option"),
        ("mysql -uasso -p$(printf '%s\\n' S3cr3tPw) asso_main", "a password option"),
        ("p=$(echo S3cr3tPw); mysql -uasso -p$p asso_main", "a password option"),
        ("PGPASSWORD=$(echo S3cr3tPw) pg_dump -h pic-db asso_main", "a password assignment"),
        # a here-document or a here-string cat writes, a base64 literal decoded
        ('mysqldump -uasso -p"$(cat <<EOF\nS3cr3tPw\nEOF\n)" asso_main', "a password option"),
        ("mysqldump -uasso -p\"$(cat <<'EOF'\nS3cr3tPw\nEOF\n)\" asso_main", "a password option"),
        ('mysqldump -uasso -p"$(cat <<-EOF\n\tS3cr3tPw\n\tEOF\n)" asso_main', "a password option"),
        ('PGPASSWORD="$(cat <<EOF\nS3cr3tPw\nEOF\n)" pg_dump -h pic-db asso_main', "a password assignment"),
        ('mysqldump -uasso -p"$(cat <<< S3cr3tPw)" asso_main', "a password option"),
        ('mysqldump -uasso -p"$(echo UzNjcjN0UHc= | base64 -d)" asso_main', "a password option"),
        ("mysqldump -uasso -p$(echo 'UzNjcjN0UHc=' | base64 --decode) asso_main", "a password option"),
        ('mysqldump -uasso -p"$(printf %s UzNjcjN0UHc= | base64 -d)" asso_main', "a password option"),
        ('mysqldump -uasso -p"$(base64 -d <<< UzNjcjN0UHc=)" asso_main', "a password option"),
        ("mysqldump -uasso -p`echo UzNjcjN0UHc= | base64 -d` asso_main", "a password option"),
        # a password as a literal argument of a connector in a script given inline
        ('php -r \'mysqli_connect("pic-db","asso","S3cr3tPw");\'', "a password argument"),
        ('php -r \'$db = new PDO("mysql:host=pic-db", "asso", "S3cr3tPw");\'', "a password argument"),
        ('php -r \'$m = new mysqli("pic-db", "asso", "S3cr3tPw", "asso_main");\'', "a password argument"),
        ("php -r \"mysqli_real_connect(\\$l, 'pic-db', 'asso', 'S3cr3tPw');\"", "a password argument"),
        # PHP 8's named arguments (php.net: "Named arguments"), the password holding a blank or a comma; one in
        # quotes holding a blank and a digit is read first as KEY: VALUE (password: "Velo 2024"), as a shell's
        # assignment in quotes is
        (
            'php -r \'new PDO(dsn: "mysql:host=pic-db", username: "asso", password: "Le Velo 2024");\'',
            "a password assignment",
        ),
        (
            'php -r \'new PDO(dsn: "mysql:host=pic-db", username: "asso", password: "Le Velo Rouge");\'',
            "a password argument",
        ),
        (
            'php -r \'new PDO(dsn: "mysql:host=pic-db", username: "asso", password: "S3cr,3tPw");\'',
            "a password argument",
        ),
        (
            'php -r \'mysqli_connect(hostname: "pic-db", username: "asso", password: "Velo 2024", database: "a");\'',
            "a password assignment",
        ),
        (
            "php -r \"\\$m = new mysqli(password: 'Velo 2024', hostname: 'pic-db', username: 'asso');\"",
            "a password assignment",
        ),
        (
            "php -r \"\\$m = new mysqli(password: 'Velo Rouge', hostname: 'pic-db', username: 'asso');\"",
            "a password argument",
        ),
        ('php -r \'ftp_login(ftp: $c, username: "asso", password: "Velo 2024");\'', "a password assignment"),
        ('php -r \'ftp_login($c, "asso", "S3cr3tPw");\'', "a password argument"),
        ('perl -MDBI -e \'DBI->connect("DBI:mysql:asso;host=pic-db", "asso", "S3cr3tPw")\'', "a password argument"),
        ('python3 -c \'import pymysql; pymysql.connect("pic-db", "asso", "S3cr3tPw")\'', "a password argument"),
        (
            'python3 -c \'import smtplib; s = smtplib.SMTP_SSL("mail.example.org"); s.login("asso", "S3cr3tPw")\'',
            "a password argument",
        ),
    ],
)
def test_a_token_in_a_bots_url_and_a_password_made_by_a_command_are_secrets(command: str, kind: str) -> None:
    assert secrettext.secret_kind(command) == kind


@pytest.mark.parametrize(
    "command",
    [
        # a substitution reading a file or a variable: the file holds no secret
        'mysqldump -uasso -p"$(cat ~/priv/pw)" asso_main',
        "mysqldump -uasso -p$(cat ../priv/db-password) asso_main",
        'mysqldump -uasso -p"$(echo "$PW")" asso_main',
        # a here-document holding a variable, a file or a variable decoded, a base64 literal given to no reader
        'mysqldump -uasso -p"$(cat <<EOF\n$DB_PASSWORD\nEOF\n)" asso_main',
        'mysqldump -uasso -p"$(base64 -d < ~/priv/key)" asso_main',
        'mysqldump -uasso -p"$(echo "$B64" | base64 -d)" asso_main',
        "echo aGVsbG8gd29ybGQ= | base64 -d > ../tmp/greeting",
        'logger "$(cat <<EOF\nS3cr3tPw\nEOF\n)"',
        "echo $(date +%F) > ../log/last",
        "tar czf backup-$(date +%F).tgz www",
        # a connector given no literal password: a variable, a call, none
        'php -r \'mysqli_connect("pic-db", "asso", getenv("DB_PASSWORD"));\'',
        'php -r \'$m = new mysqli("pic-db", "asso", $pw, "asso_main");\'',
        'php -r \'new PDO("mysql:host=pic-db", "asso", "$pw");\'',
        'php -r \'new PDO("mysql:host=pic-db;dbname=asso", "asso", "");\'',
        'php -r \'new PDO(dsn: "mysql:host=pic-db", username: "asso", password: getenv("DB_PASSWORD"));\'',
        'php -r \'new PDO(dsn: "mysql:host=pic-db", username: "asso", password: $pw);\'',
        'php -r \'new PDO(dsn: "mysql:host=pic-db", username: "asso", password: "$pw");\'',
        'php -r \'mysqli_connect("pic-db", "asso", trim(file_get_contents("../priv/pw")));\'',
        'python3 -c \'import pymysql; pymysql.connect("pic-db", "asso", read_default_file="../priv/my.cnf")\'',
        "php bin/console app:login --user asso",
        # a bot's id without its token, a Telegram channel's URL, a time with seconds
        "curl -s https://api.telegram.org/bot$(cat ../priv/telegram-token)/sendMessage",
        "curl -s https://t.me/asso_velo",
        "logger 'done at 12:34:56'",
    ],
)
def test_no_literal_secret_given_in_these_commands_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None


def test_the_texts_of_a_large_mapping_read_are_those_a_message_can_show() -> None:
    """A mapping of 15,000 keys (a member file's PHP settings pasted from a php.ini) refused for its length had each
    key and value read for a secret (seconds of CPU for one error); only the items starting within the first
    TEXTS_READ characters are, each whole, and a secret among them is still found."""
    settings: dict[str, object] = {f"k{i}": i for i in range(15_000)}
    texts = secrettext.texts_of(settings)
    assert 0 < len(texts) <= secrettext.TEXTS_READ, len(texts)
    assert texts[:3] == ["k0", "k0: 0", "k1"], texts[:3]
    assert secrettext.reads_as_secret({"mot de passe": "Azerty123", **settings})
    nested = {"a": [{"password": "Velo2024x", "n": list(range(10_000))}], "b": "x" * 10_000, "c": "mdp: Azerty123"}
    assert secrettext.texts_of(nested)[:3] == ["a", "password", "Velo2024x"]
    assert "c" not in secrettext.texts_of(nested)  # starts after 10,000 characters of "b": never shown
    assert secrettext.texts_of(["mdp: Azerty123"]) == ["mdp: Azerty123"]


@pytest.mark.parametrize(
    "command",
    [
        # a label and its value percent-encoded (RFC 3986 §2.1) in a URL's query, which the server reads decoded
        f"curl -fsS 'https://asso.example.org/cron.php?key%3D{OWM}'",
        f"curl -fsS 'https://asso.example.org/cron.php?pwd%3D{PW}'",
        f"wget -q -O /dev/null 'https://asso.example.org/cron?mdp%3D{PW}&lang=fr'",
        f"curl -fsS 'https://asso.example.org/cron?x=1&token%3d{OWM}'",  # lower-case hexadecimal digits
        f"echo mdp%3D{PW} > ../www/x.txt",
        f"curl -fsS 'https://asso.example.org/cron?pass\u2060word%3D{PW}'",  # a character printing as nothing too
    ],
)
def test_a_percent_encoded_secret_is_read_decoded_as_prose_is(command: str) -> None:
    """secret_kind reads a text percent-decoded too, as prose_secret does (one reading, shared): a cron command's
    URL writing its key as ``key%3D...`` passed."""
    decoded = secrettext.visible(urllib.parse.unquote(command))
    assert secrettext.secret_kind(decoded) is not None, decoded
    assert secrettext.secret_kind(command) == secrettext.secret_kind(decoded)
    assert secrettext.prose_secret(command) is not None


@pytest.mark.parametrize(
    "command",
    [
        "curl -fsS 'https://asso.example.org/caf%C3%A9?page=2'",
        "curl -fsS 'https://asso.example.org/search?q=mot%20de%20passe%20oubli%C3%A9'",
        "date +%Y%m%d > ../www/last-run.txt",
        "printf '%02d\\n' 7 > ../www/x.txt",
    ],
)
def test_percent_encoded_text_without_a_secret_is_none(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    "text",
    [
        "mdp: lyon:supersecret",
        "password=admin:mypassword",
        "DB_PASSWORD=admin:secrettoken",
        "mysql -u root -padmin:supersecret db",
        "sshpass -p club:secretgarden ssh x",
    ],
)
def test_a_password_of_a_word_a_colon_and_a_secret_s_name_is_one(text: str) -> None:
    """A value shaped as a configuration key named for a secret (``admin:mypassword``) is a password where a password
    goes: taking such values for a key's name (``pulumi config set --secret pic:dbAdminPassword``) let these pass."""
    assert secrettext.secret_kind(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "pulumi config set --secret pic:dbAdminPassword S3cretPw9",
        "pulumi config set pic:dbAdminPassword S3cretPw9",  # a key named for a secret, set in clear
        "pulumi config set --secret --path pic:hosts.db1.password S3cretPw9",
        "pulumi -C infra config set -s prod --secret mysql:password Hunter2xx",
        "pulumi config set --plaintext mysql:password Hunter2xx",
        "pulumi config set pic:notes_token Hunter2xx --secret",  # --secret after the value
        "pulumi config set-all --secret pic:dbAdminPassword=S3cretPw9",  # set-all's --secret takes KEY=VALUE
        "pulumi config set --secret pic:x; tool --secret Hunter2xx",  # another command's option
        "pulumi config set --path 'pic:hosts[\"db1\"].password' S3cretPw9",  # a quoted path
        'pulumi config set pic:x "$(tool --secret S3cretPw9)"',  # another command's, in a substitution
        "pulumi config set --secret=true pic:x S3cretPw9",
        "pulumi config set pic:vault.secret_id 4f1c2b3a-9d8e-4c7b-a6f5-1e2d3c4b5a69",  # Vault AppRole's SecretID
        # config's flags before set (cobra reads a flag of the command anywhere on its line)
        "pulumi config -s prod set --secret pic:x S3cretPw9",
        "pulumi config --stack=prod set pic:dbPassword S3cretPw9",
        "echo S3cretPw9 | pulumi config -s prod set --secret pic:x",
        "pulumi config -s prod set-all --plaintext pic:dbAdminPassword=S3cretPw9",
        # the value on the standard input, which pulumi config set KEY reads when no value follows the key
        "echo S3cretPw9 | pulumi config set --secret pic:dbAdminPassword",
        "echo -n S3cretPw9 | pulumi config set pic:dbAdminPassword",  # a key named for a secret
        "printf '%s' S3cretPw9 | pulumi config set --secret pic:dbAdminPassword",
        "printf S3cretPw9 | pulumi -C infra config set -s prod pic:x --secret",
        "echo S3cretPw9 | sudo pulumi config set --secret pic:x",
        "pulumi config set --secret pic:dbAdminPassword <<< S3cretPw9",
        "pulumi config set pic:dbAdminPassword <<< 'S3cretPw9'",
        "pulumi config set --secret pic:dbAdminPassword <<EOF\nS3cretPw9\nEOF",
        # '--' ends the flags (cobra's rule): the key and the value after it, a value starting with '-' too
        "pulumi config set --secret -- pic:dbAdminPassword S3cretPw9",
        "pulumi config set pic:dbAdminPassword -- -S3cretPw9",
        "pulumi config set --secret pic:x -- S3cretPw9",
        # KEY=VALUE as config set's one argument: the value written in clear as the key's name
        "pulumi config set --secret pic:dbAdminPassword=S3cretPw9",
        "pulumi config set pic:dbAdminPassword=S3cretPw9",
        # set-all: each --secret or --plaintext takes KEY=VALUE; a key named for a secret given in plaintext
        "pulumi config set-all --plaintext pic:dbAdminPassword=S3cretPw9",
        "pulumi config set-all --plaintext=pic:dbAdminPassword=S3cretPw9",
        "pulumi config set-all --plaintext pic:host=web1 --plaintext pic:smtpPassword=S3cretPw9",
        "pulumi config set-all --plaintext pic:host=web1-prod --secret pic:x=S3cretPw9",
        "pulumi config set-all --path --plaintext pic:hosts.db1.password=S3cretPw9",
        "pulumi config set-all --plaintext 'pic:dbAdminPassword'=S3cretPw9",
        # the command after other words of its line
        "old: pulumi config set --secret pic:dbAdminPassword S3cretPw9",
        "Avant : `pulumi config set --secret pic:dbAdminPassword S3cretPw9`",
    ],
)
def test_a_value_set_by_pulumi_config_set_as_a_secret_is_one(text: str) -> None:
    assert secrettext.secret_kind(text) is not None, text
    assert secrettext.prose_secret(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        # --secret is a flag of pulumi config set: the word after it is the key, the value typed at the prompt
        "pulumi config set --secret pic:dbAdminPassword",
        "Secrets never go here in clear: `pulumi config set --secret pic:dbAdminPassword`.",
        "pulumi config set --secret pic:sshPrivateKey < ~/.ssh/deploy",
        "cat ~/.ssh/deploy | pulumi config set --secret pic:sshPrivateKey",
        "pulumi config set --secret pic:dbAdminPassword\nProduction stack, checked by pic check",  # the next line
        "pulumi config set pic:default_web_host web1-prod",  # no secret's key, no --secret
        "pulumi config set mysql:endpoint db1.example.org:3306",
        'pulumi config set --secret pic:dbAdminPassword "$(pass show asso/db)"',
        "Nothing secret goes here in clear: `pulumi config set --secret KEY` encrypts it.",  # the command's end
        # words after the key in prose, a placeholder, a URL: no value shaped as a password
        "Run pulumi config set --secret pic:dbAdminPassword yourself, the value is in the vault.",
        "DB password rotated with pulumi config set --secret pic:dbAdminPassword yesterday.",
        'Rotate via "pulumi config set --secret pic:smtpPassword" monthly.',
        "Rotate via *pulumi config set --secret pic:smtpPassword* monthly.",
        "Use pulumi config set --secret pic:dbAdminPassword VALUE.",
        "pulumi config set pic:tokenUrl https://auth.example.org/oauth/token",
        "pulumi config set --secret pic:dbAdminPassword then run pulumi up",
        "pulumi config -s prod set --secret pic:dbAdminPassword",  # config's flags before set
        'pulumi config --stack prod set-all --secret pic:dbAdminPassword="$DB_PASSWORD"',
        "pulumi config set --secret pic:dbAdminPassword '<password>'",
        "pulumi config set --secret pic:dbAdminPassword changeme",
        'pulumi config set --secret pic:dbAdminPassword "$DB_PASSWORD"',
        # the standard input given no password in clear: a variable, a placeholder, a file (< FILE after the pipe
        # replaces it), no secret's key and no --secret
        'echo "$DB_PASSWORD" | pulumi config set --secret pic:dbAdminPassword',
        "echo VALUE | pulumi config set --secret pic:dbAdminPassword",
        "echo changeme | pulumi config set --secret pic:dbAdminPassword",
        "echo S3cretPw9 | pulumi config set --secret pic:dbAdminPassword < ~/pw.txt",
        "echo web1-prod | pulumi config set pic:default_web_host",
        "pulumi config set pic:default_web_host <<< web1-prod",
        'pulumi config set --secret pic:dbAdminPassword <<< "$DB_PASSWORD"',
        "pulumi config set -- pic:default_web_host web1-prod",
        "pulumi config set --secret -- pic:dbAdminPassword",
        "pulumi config set pic:default_web_host=web1-prod",
        # set-all: a key named for no secret in plaintext, a variable, a placeholder
        "pulumi config set-all --plaintext pic:default_web_host=web1-prod",
        "pulumi config set-all --plaintext pic:dbAdminPassword=changeme",
        'pulumi config set-all --secret pic:dbAdminPassword="$DB_PASSWORD"',
        "pulumi config set-all --plaintext pic:host=web1-prod --secret pic:dbAdminPassword=$DB_PASSWORD",
    ],
)
def test_a_key_pulumi_config_set_names_is_no_secret(text: str) -> None:
    assert secrettext.secret_kind(text) is None, text
    assert secrettext.prose_secret(text) is None, text


# The client tools of MySQL and MariaDB take --password's value only after '=' (--password=VALUE); --password alone,
# or followed by a space, prompts for it, and the next word is an argument: a database, a table, a command (MySQL
# manual, "End-User Guidelines for Password Security"; mariadb --help: "-p, --password[=name]").
MYSQL_TOOLS = [
    "mysql",
    "mysqldump",
    "mariadb",
    "mariadb-dump",
    "mysqladmin",
    "mariadb-admin",
    "mysqlimport",
    "mariadb-import",
    "mysqlcheck",
    "mariadb-check",
    "mysqlshow",
    "mariadb-show",
]


@pytest.mark.parametrize(
    "command",
    [
        *[f"{tool} --password amicale_db" for tool in MYSQL_TOOLS],
        "mysql -u root --password ma_base",
        "mysqldump --single-transaction --password amicale_db > ../db/amicale.sql",
        "/usr/bin/mysqldump -u amis --password amicale_db | gzip > ../db/amicale.sql.gz",
        "mariadb --pass amicale_db -e 'OPTIMIZE TABLE wp_options'",
        "mysqldump -u amis \\\n  --password amicale_db > ../db/x.sql",
        "sh -c 'mysqldump --password amicale_db > ../db/x.sql'",
        "sudo -u amis mariadb-dump --password amicale_db",
        "mysqldump --password asso2024",  # a database's name holding digits
    ],
)
def test_mysql_s_password_option_followed_by_a_word_prompts_and_gives_no_password(command: str) -> None:
    """``mysqldump --password amicale_db`` prompts for the password and dumps amicale_db: it was read as the password
    ``amicale_db`` given on the command line, and a member's cron job or notes refused for a secret they do not
    hold."""
    assert secrettext.secret_kind(command) is None
    assert secrettext.prose_secret(f"Sauvegarde : {command}") is None


@pytest.mark.parametrize(
    "command",
    [
        *[f"{tool} --password={PW} amicale_db" for tool in MYSQL_TOOLS],
        *[f"{tool} -p{PW} amicale_db" for tool in MYSQL_TOOLS],
        f"mysqldump -u amis --password='{PW}' amicale_db",
        f"mysqldump --password amicale_db && curl --pass {PW} --key k.pem https://x.org/",  # curl's takes the next
        f"php cli/create-user.php --user bob --password {PW} --language fr",
        f"mysqlsh --password {PW}",  # not one of the tools above: read as before
        f"mysqldump amicale_db | ssh backup mydumper --password {PW}",
    ],
)
def test_a_password_the_tools_grammar_gives_is_still_found(command: str) -> None:
    assert secrettext.secret_kind(command) is not None


@pytest.mark.parametrize(
    "command",
    [
        *[f"{tool} --password {PW}" for tool in MYSQL_TOOLS],
        "mysql -u root --password S3cretPw9 velo",
        "mysql --password p@ssw0rd! amicale_db",
    ],
)
def test_a_word_written_as_a_password_after_mysql_s_prompting_option_is_one(command: str) -> None:
    """The tool would prompt and take the word for a database, but a word with a capital or a sign is no name of the
    platform's databases: it is the password the writer meant to give, in the text in clear."""
    assert secrettext.secret_kind(command) is not None, command
    assert secrettext.prose_secret(f"Sauvegarde : {command}") is not None


def test_a_password_mysql_s_prompt_reads_on_its_standard_input_is_still_found() -> None:
    """``--password`` followed by a word prompts: a password written to the tool's standard input is read there."""
    assert secrettext.secret_kind(f"echo {PW} | mysql --password amicale_db") == PIPED
    assert secrettext.secret_kind(f"mysqldump --password amicale_db <<< {PW}") == PIPED


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ('DB_PASSWORD="Lilas 2024!" wp db export', "a password assignment"),
        ("export DB_PASSWORD='Lilas 2024!'", "a password assignment"),
        ("redis-cli -a 'Lilas 2024!' ping", "a password option"),
        ("mysqldump -uasso -p'Lilas 2024!' asso_main", "a password option"),
        ("htpasswd -b .htpasswd marie 'Lilas 2024!'", "a password argument"),
    ],
)
def test_a_password_in_quotes_holding_a_blank_is_read_whole(command: str, kind: str) -> None:
    """The shell gives a text in quotes as one word, its blanks included (POSIX sh, 2.2 Quoting)."""
    assert secrettext.secret_kind(command) == kind


@pytest.mark.parametrize(
    "command",
    [
        'DB_PASSWORD="voir le coffre" wp db export',
        'DB_PASSWORD="$PW 2024" wp db export',
        "DB_PASSWORD='Lilas 2024!",
        'logger "backup 2024 done"',
    ],
)
def test_words_in_quotes_without_a_digit_an_expansion_or_an_open_quote_are_no_password(command: str) -> None:
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize("value", ["rotated on 2025-03-01", "generated by ssh-keygen -t ed25519", "voir le coffre 2"])
def test_words_after_a_password_s_name_are_no_password_though_they_hold_a_digit(value: str) -> None:
    """A comment's or a key's words (pic:dbAdminPassword: rotated on 2025-03-01) are no password, where the same in
    a command's quotes is one argument."""
    assert not secrettext.labelled_password(value)


_ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIKgn4+KEIcVzFFiuOh4a57af6hgtHus94qvvVwh3ZeG+"
_ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEkKKvAqbyVZ8e/bkxxIyZTS0bDUe+4wzaNMw+HxnWcK"
_HASHED_NAME = "|1|Ftj1x6DXx/2T5fWpW6BDrrzUcpk=|kHKxK+0fWmPwN1sMj2yYcLRcVuE="


@pytest.mark.parametrize(
    "value",
    [
        "8.2 Lilas2024x!",
        "03:15 Lilas2024x!",
        "/srv/members Lilas2024x!",
        "admin!Lilas2024x@example.org",
        "Lilas2024x!@example.org",
        ["a", "Lilas2024x!"],
        [{"domain.fr": "S3cretPw9"}],
        {"S3cretPw9": "domain.fr"},
        f"ssh-ed25519 {_ED25519} Lilas2024x!",
        # base64 that is no key's data: its head names no key type
        "ssh-ed25519 AAAAhunter2Lilas2024xWq9 x",
        "ssh-ed25519 AAAAB3NjcmV0UHc5AAAAAAAAAAAA x",
        # a password holding a version's shape, beside a word
        "8.3 Lilas12.5-X",
        "PHP Velo8.3-Lyon",
        "8.3 8.3-Lilas2024x",
        # a password holding an offset's shape
        "Etc/GMT+13x",
        "Paris Utc+2024!",
        # a password shaped as a host's name in capitals (a name written so holds three labels at least, its last
        # in small letters or all in capitals), beside a host or in an address's zone id (an interface's name is
        # in small letters)
        "smtp.example.org Velo2024.Paris",
        "admin Velo2024.Org",
        "smtp.example.org Lilas2024.fr",
        "relay [::1%Lilas2024]",
        "[fe80::1%Soleil2024Azur]:25 x",
        "[2001:db8::1%25Lilas2024]:25 x",
        # a zone id in small letters shaped as no interface's name: a run of digits no interface's number is (a
        # year), or longer than Linux's 15 characters
        "[::1%lilas2024]:25 x",
        "[fe80::1%25soleil2024azur]:25 x",
        "[fe80::1%2024soleil]:25 x",
        "[fe80::1%velo75lilasparis]:25 x",
        # a word, digits and a word, as a password is made and no interface is named (a name's number ends it)
        "[fe80::1%velo75paris]:25 x",
        "[2001:db8::1%25soleil12azur]:25 x",
        # a word and a number, as a password is made, the word no interface's (eth0, wlan0, docker0 are)
        "[fe80::1%lilas75]:25 x",
        "[fe80::1%azur12]:25 x",
        "fe80::1%lilas123 x",
        # a capital third, as systemd's P (enP4p65s0), in no shape of systemd's
        "[fe80::1%enPass2024]:25 x",
        "[fe80::1%enP2024lilas]:25 x",
        # a name in capitals whose label is a word in capitals and a year, as a password is made
        "Lilas2024.Velo.org:25 x",
        "smtp.example.org Velo2024.Paris.org",
        "Lilas2024.Velo.org",
        # hexadecimal no IPv4 address inet_aton reads (more than 32 bits: a key's), or a password before an address
        "0x4c0883a69102937d6231471b5dbb6204fe512961708279f2 x",
        "sftp:restic@0x4c0883a69102937d:/srv",
        "sftp:Lilas2024@0x0a.0.0.11:/srv/r",
        # hexadecimal mixing capitals and small letters, as a password is typed and no address is written
        "pass 0xDeadBeef",
        "password: 0xCafe1234",
        "sftp:restic@0xDeadBeef:/srv/restic",
        # typed in full-width forms (a Japanese or Chinese keyboard's), read as in ASCII (NFKC)
        "sftp:restic@\uff10\uff58\uff23\uff41\uff46\uff45\uff11\uff12\uff13\uff14:/srv/restic",
        "sftp:\uff2c\uff49\uff4c\uff41\uff53\uff12\uff10\uff12\uff14\uff58@vault.example.org:/srv/restic",
        "pass \uff2c\uff49\uff4c\uff41\uff53\uff12\uff10\uff12\uff14\uff58",
        # a key's comment shaped as a password (a word, digits and a word; words and a number): no machine's name
        f"{_ED25519} velo75paris",
        f"no-X11-forwarding {_ED25519} soleil12azur",
        f"{_ED25519} marie@velo75paris",
        f"{_ED25519} velo75paris@pc",
        f"{_ED25519} velo-75-Paris",
        f"{_ED25519} marie@laptop Soleil-Azur-75",
        f"restrict {_ED25519} Lilas.Azur.75",
        f"{_ED25519} velo75-paris",
    ],
)
def test_a_password_beside_a_refused_value_is_found(value: object) -> None:
    assert secrettext.password_beside(value)


@pytest.mark.parametrize(
    "value",
    [
        "8.9",
        "php8.4",  # one word: a value mistyped, unless shaped as a password (below)
        "PHP8.4",
        "Asso-Case2024.org",
        "backupS3SecretAccesKey",  # an identifier, a key misspelt
        "S3cretPw9",  # no sign: not told from an identifier
        "main wiki!",
        "8.4 final",
        "jean.dupont75@example.org x",
        "socks5://127.0.0.1:70000",
        "s3:https://s3.example.net/",
        "~/.ssh/id_ed25519.pub",
        f"ssh-ed25519 {_ED25519} marie@laptop",
        f"ssh-ed25519 {_ED25519[:-8]} marie@laptop",  # cut short: its head still names its type
        f"ssh-dss {_ED25519}",
        f"{_HASHED_NAME} ssh-ed25519 {_ED25519}",
        f"[vault.example.net]:2222,{_HASHED_NAME} ssh-ed25519 {_ED25519}",
        ["contact@asso-case.org", "autre@asso-case.org"],
        {"asso-case.org": "www.asso-case.org"},
        # a version and the name of its build or package beside words (a runtime as Debian names its package)
        "PHP 8.3-FPM (Debian 12)",
        "PHP 8.3-FPM",
        "php8.3-fpm (bookworm)",
        "MariaDB 10.11.6-MariaDB",
        "PHP 8.2.28-1~deb12u1",
        # a zone of the tz database's Etc/ area, or an offset from UTC, as clocks write them
        "Etc/GMT+13",
        "etc/gmt+13",
        "Etc/GMT-15",
        "Europe/Paris GMT+1",
        "UTC+05:30 Asia/Kolkata",
        # a host's name in capitals, an interface's name as a zone id
        "Smtp1.Example.org:25 x",
        "SMTP1.EXAMPLE.ORG:25 x",
        "smtp1.example.org.:25 x",
        "[fe80::1%enp3s0]:25 x",
        "[2001:db8::1%25wlp2s0]:25 x",
        "[fe80::1%enp0s31f6]:25 x",
        "[fe80::1%eth0.1000]:25 x",
        "[fe80::1%vlan4094]:25 x",
        "[fe80::1%br-0a1b2c3d4e5f]:25 x",
        "[fe80::1%enx00e04c680001]:25 x",
        "[fe80::1%wlx00c0ca123456]:25 x",  # systemd's name of a Wi-Fi device by its MAC address
        "[fe80::1%wwx0c5b8f2790a4]:25 x",
        "[fe80::1%enP4p65s0]:25 x",  # systemd's P: a PCI domain other than 0, its one capital
        "[fe80::1%tap1001i0]:25 x",
        "[fe80::1%veth1a2b3c4]:25 x",
        "[fe80::1%vnet1024]:25 x",
        "[fe80::1%docker0]:25 x",
        "[fe80::1%wg0]:25 x",
        "[fe80::1%wlan0]:25 x",
        "[fe80::1%vmbr0]:25 x",
        "fe80::1%bond1 x",
        "fe80::1%virbr0 x",
        "Mail2.Example.org:25 x",
        "Web01.Example.org",
        "Srv12.Example.org:25 x",
        "lilas2024.velo.org:25 x",
        "smtp1.example.org..:25 x",
        "smtp1..example.org:25 x",
        ".smtp1.example.org:25 x",
        # an IPv4 address in a form inet_aton reads (hexadecimal, octal, fewer parts), alone or a user's host
        "sftp:restic@0x0a.0.0.11:/srv/restic",
        "sftp://restic@0x0A.0x0.0.0xB/srv/restic",
        "sftp:restic@0xa00000b:/srv/restic",
        "0x0a.0.0.11 x",
        "0xDEADBEEF x",
        "sftp:restic@0x0a.0.011:/srv/restic",
        "sftp:restic@0xC0.0xA8.0.1:/srv/restic",
        # a key's comment naming a machine, its number apart or one word with a letter or two
        f"{_ED25519} marie@laptop-2",
        f"{_ED25519} me@X11pc",
        f"{_ED25519} marie@DESKTOP-4F7G2K1",
        f"{_ED25519} Marie-X11-laptop",
    ],
)
def test_a_refused_value_holding_no_password_beside_it_is_told_so(value: object) -> None:
    """The key material of SSH keys and known_hosts lines (their base64 data, a hashed name), host and file names
    and a URL's scheme read as passwords do, and are none."""
    assert not secrettext.password_beside(value)


@pytest.mark.parametrize(
    "value",
    [
        "Lilas2024x!",
        "S3cretPw9!",
        "velo!2024x",
        # a word in capitals and a year as a label of a name of two labels, as of three (Lilas2024.Velo.org)
        "Lilas2024.fr",
        "Velo2024.Paris",
        "Soleil2024Azur.example",
        "mail.Lilas2024",
    ],
)
def test_a_password_alone_as_a_refused_value_is_told_so(value: str) -> None:
    """A password pasted alone at a value's line (site.php: "Lilas2024x!") was shown by the message refusing it, one
    word being read as a value mistyped; one shaped as a password is not."""
    assert secrettext.password_beside(value)


def test_a_key_is_read_at_its_blanks_alone() -> None:
    """A key's signs join its parts (mysql:passw0rd, a key misspelt; \x1b[2J.org, a name after an escape: both
    shown); a blank does not (main Lilas2024x! is a name and a password)."""
    assert not secrettext.password_beside("mysql:passw0rd", key=True)
    assert not secrettext.password_beside("\x1b[2J.org", key=True)
    assert secrettext.password_beside("main Lilas2024x!", key=True)


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("Lucie =?utf-8?b?QWRtaW4=?= Moreau", False),  # Lucie Admin Moreau
        ("=?utf-8?q?x=0D=0ABcc:_evil@example.net?=", False),  # x, a line break, Bcc: evil@example.net
        ("Lucie =?utf-8?b?TGlsYXMyMDI0eCE=?= Moreau", True),  # a password encoded is one
        ("Lucie =?utf-8?q?Lilas2024x=21?= Moreau", True),
    ],
)
def test_an_encoded_word_of_mail_headers_is_read_as_the_text_it_decodes_to(value: str, found: bool) -> None:
    """A name refused for holding an encoded word (RFC 2047) is shown, its charset and encoding no password; what it
    encodes is read as any text beside the name is."""
    assert secrettext.password_beside(value) is found


@pytest.mark.parametrize(
    "value",
    [
        "0xCafe1234",
        "marie@0xCafe1234",
        "\uff10\uff58\uff23\uff41\uff46\uff45\uff11\uff12\uff13\uff14",
        "0xCa.0xfe.0x12.0x34",
    ],
)
def test_a_hidden_value_s_address_as_inet_aton_reads_it_is_hidden_too(value: str) -> None:
    """--domain 0xCafe1234 (a password in hexadecimal, hidden) was told 'it is 202.254.18.52 written with a number
    in hexadecimal (...)': the address inet_aton reads it as writes the password again, in decimal, and is hidden."""
    message = (
        f"{value!r} is 202.254.18.52 written with a number in hexadecimal, as inet_aton reads it: give 202.254.18.52"
    )
    shown = secrettext.redacted(message, value)
    assert "202.254.18.52" not in shown and "Cafe" not in shown, shown
    assert "written with a number in hexadecimal" in shown, shown


@pytest.mark.parametrize("value", ["0xCafe1234", "\uff10\uff58\uff23\uff41\uff46\uff45\uff11\uff12\uff13\uff14"])
def test_a_hidden_value_s_number_in_decimal_is_hidden_too(value: str) -> None:
    """memory_limit: '0xCafe1234' (hidden as a possible secret) was told 'PHP reads 0x as a hexadecimal number's
    prefix: ... is 3405648436 bytes to PHP', uid: '0xCafe1234' 'it reads as 3405648436': the number a hidden value's
    word writes in hexadecimal is the password written again, in decimal, and is hidden with it."""
    shown = secrettext.redacted(f"{value!r} is not a size: it is 3405648436 bytes to PHP", value)
    assert "3405648436" not in shown and "Cafe" not in shown, shown
    assert "bytes to PHP" in shown, shown


# A password (Lilas2024x, 0xCafe1234, velo75paris) with another part around it, and values that hold none
_SSH_ED25519_DATA = "AAAAC3NzaC1lZDI1NTE5AAAAIKgn4+KEIcVzFFiuOh4a57af6hgtHus94qvvVwh3ZeG+"


@pytest.mark.parametrize(
    "value",
    [
        "0xCafe1234.1",
        "1.0xCafe1234",
        "udp://Lilas2024x",
        "Lilas2024x\u200b",
        "\u2060Lilas2024x",
        "-Lilas2024x",
        "--Lilas2024x",
        "+Lilas2024x",
        "web1:Lilas2024x",
        "\uff10xCafe1234",
        "\uff10xCafe1234.1",
        f"{_SSH_ED25519_DATA} Lilas2024x",
        # words in small letters around a number, as a password is made
        "velo75paris",
        "soleil12azur",
        "-velo75paris",
        "mail.velo75paris",
        # capitalised words joined to a number, as a passphrase is made
        "Soleil-Azur-75",
        "a.Soleil-Azur-75",
        "Soleil-Azur-75\u200b",
        "\uff33\uff4f\uff4c\uff45\uff49\uff4c\uff0d\uff21\uff5a\uff55\uff52\uff0d\uff17\uff15",
        "Soleil.Azur.75",
        "web1:Soleil-Azur-75",
        # hexadecimal mixing capitals and small letters as a label of a name (refused as "a password's shape")
        "0xCafe1234.org",
        "www.0xCafe1234.fr",
        "marie@0xCafe1234.fr",
        # capitals and digits alone, 3 capitals or more and 2 digits or more, a number between capitals
        *["LILAS2024X", "AB12CD34", "--LILAS2024X", "LILAS2024X.", "web1:AB12CD34EF", "SOLEIL75AZUR"],
    ],
)
def test_a_password_shaped_part_with_more_around_it_is_refused_unseen(value: str) -> None:
    """--resolver 0xCafe1234.1 (1.0xCafe1234, -Lilas2024x, udp://Lilas2024x, Lilas2024x then a zero width space)
    and velo75paris were shown, where Lilas2024x and 0xCafe1234 alone are hidden: a value refused is read in its
    parts, split at the signs that join a name's, an address's or an option's (. : / @ - + blanks, characters that
    print as nothing), each as the value alone is, and words in small letters around a number are a password's
    shape too."""
    assert errors.shaped_as_password(value), value
    assert errors.refused_may_be_secret(value), value


@pytest.mark.parametrize(
    "value",
    [
        *["Web1", "MySQL8", "PHP8.4", "Velo_Cite", "web-1", "256Mo", "8.40", "Europe/Pariss", "eth0", "fe80::1%eth0"],
        *["2026-12-07", "2026-W48-1", "web-01", "db1.example.org", "10.0.0.11", "::1", "127.0.0.1", "0x7f.1"],
        *["marie@DESKTOP-4F7G2K1", "Asso-Case2024.org", "velo75paris.fr", "php8.3-fpm", "enp0s31f6", "web01"],
        *["utf8mb4", "x86_64", "Etc/GMT+13", "8.2.28-1~deb12u1", "2001:db8::1"],
        *["Europe/Paris-2", "Etc/GMT-14", "chorale-saint-jean-2024", "Web-Server-1", "Amis-du-Rhone"],
        # names in capitals and digits: shorter than 8, a number after the letters alone, or fewer than 3 capitals
        *["PHP84", "UTF8MB4", "A1", "ISO8859", "ISO88591", "H2O", "X25519", "RSA4096", "MD5", "WINDOWS1252"],
        *["2027W133", "20261130T023004", "U0001F600", "Y2024M03", "LATIN1", "KOI8R", "GB18030", "DESKTOP-4F7G2K1"],
        "15058500A0235D97F5D10063B188E2B695BD4743",  # a key's fingerprint: hexadecimal of 16 digits or more
        f"ssh-ed25519 {_SSH_ED25519_DATA} marie@laptop",
        f"ssh-ed25519 {_SSH_ED25519_DATA} marie@DESKTOP-4F7G2K1",
        _HASHED_NAME,
    ],
)
def test_a_value_whose_parts_hold_no_password_s_shape_is_shown(value: str) -> None:
    """Reading a refused value's parts hides none of a value mistyped, a name, an address, a date or a key's line
    whose comment names a machine: the key's data (base64, its parts mixing capitals and digits) is no part read,
    nor a name's labels ending in letters (Asso-Case2024.org)."""
    assert not errors.shaped_as_password(value), value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Soleil-Azur-75", "is not allowed here: a short name; did you mean 'soleil_azur_75'?"),
        ("Lilas-Velo-2024x", "is not allowed here: a short name; did you mean 'lilas_velo_2024x'?"),
        ("\uff33oleil-Azur-75", "is not allowed here: a short name; did you mean 'soleil_azur_75'?"),
    ],
)
def test_a_hidden_value_offered_mended_at_its_separators_is_not_shown(value: str, message: str) -> None:
    """databases: [Soleil-Azur-75] was hidden, then offered mended, its - written _ and its letters small
    ('soleil_azur_75'): a quote holding a part of the hidden value (between its separators, 4 characters or more)
    is hidden whole."""
    shown = secrettext.redacted(message, value)
    assert "soleil" not in shown.casefold() and "lilas" not in shown.casefold(), shown
    assert "is not allowed here: a short name" in shown, shown
