"""Text that holds a secret in plain text: what the policy pack's ``no-plaintext-secret`` refuses in an input,
and what ``pic check`` refuses in a member's cron command (the same rules, so that a member file
``pic check`` accepts is never refused by the pack).

Standard library only: the policy pack (``policy/rules.py``) imports it from the project's directory.
"""

from __future__ import annotations

import base64
import itertools
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from pic.lazyre import LazyPattern, compile_cached

# A key whose name says it is no secret, the last word before _KEY: a public one, given to anyone (PUBLIC_KEY,
# VAPID_PUBLIC_KEY, Stripe's PUBLISHABLE_KEY, a captcha's SITE_KEY: reCAPTCHA's, hCaptcha's, Turnstile's, in every
# page of the site), an OpenPGP key's id or fingerprint (GPG_KEY=0xA1B2C3D4E5F60718: the key a backup is encrypted
# for), or a key in data (SORT_KEY, CACHE_KEY, LOCK_KEY, PARTITION_KEY, ROUTING_KEY, META_KEY, OBJECT_KEY...).
_PUBLIC_OR_DATA_KEY = (
    r"(?:public|pub|publishable|site|gpg|pgp|sort|cache|lock|partition|primary|foreign|index|routing|meta|option"
    r"|object|idempotency|dedup|group|order|lookup|row|field|translation|i18n|cursor)"
)
# A token that is no credential: an anti-forgery token (Laravel's and Angular's XSRF-TOKEN cookie, Django's
# csrftoken, X-CSRF-Token, ASP.NET's __RequestVerificationToken), which a page gives any visitor to send back
# with a form: it opens no session (read with re.IGNORECASE). The lookbehinds follow the word, so that they
# are tried only where it is.
_NOT_CSRF = r"(?<![cx]srftoken)(?<![cx]srf[^a-z0-9]token)(?<!requestverificationtoken)"
# Words that name a secret, at the end of a key or option name (``DB_PASSWORD``, ``api-key``); French's mot de
# passe in any spelling (MOT_DE_PASSE, mot-de-passe, motDePasse, "mot de passe": one character or none between
# its words; no '_' written here, which the header patterns turn into '[_-]?'); French's jeton (token), clé API,
# clé secrète, clé privée (CLE_API, --cle-api, api_cle; a word of its own: not ARTICLE_API).
_CONFIDENTIAL_WORDS = (
    r"(?:password|passwd|passphrase|mot.?de.?passe|secret(?:_?access)?(?:_?key)?|"
    rf"token{_NOT_CSRF}|api_?key|private_?key|credentials?|(?<![a-z0-9])jeton(?:_?(?:api|acc[eè]s))?"
    r"|(?<![a-z0-9])cl(?:e|é|ef)_?(?:api|secr[eè]te|priv[eé]e)|api_?cl(?:e|é|ef)(?![a-z0-9]))"
)
# Words that name nothing but a password (pass, secret and token name other things too: Pass Culture, Jardin
# secret, a CSRF token): password, passwd, passphrase, passcode, pwd, pw, pswd, French mdp and mot de passe, plurals
# too
_PASSWORD_ONLY = (
    r"(?:pass(?:words?|wd|phrases?|codes?)|pwd|pw|pswd|mdp|mots?(?:[^\S\r\n]|[_-])*de(?:[^\S\r\n]|[_-])*passe)"  # noqa: S105 - the words
)
# Short words that name one only after a separator or alone (``DB_PASS``, ``pwd``, ``DB_PW``, ``pswd``, French's
# ``mdp``; not ``bypass``).
_CONFIDENTIAL_SHORT = r"(?:(?<![a-z0-9])|(?<=[_.-]))(?:pass|pwd|pw|pswd|mdp)"
# Names of a secret that hold none of those words: Laravel's APP_KEY, Rails' RAILS_MASTER_KEY and
# SECRET_KEY_BASE, redis-cli's REDISCLI_AUTH, sshpass -e's SSHPASS, Matomo's token_auth (MATOMO_TOKEN_AUTH).
_CONFIDENTIAL_NAMES = r"(?<![a-z0-9])(?:app_key|master_key|secret_key_base|rediscli_auth|sshpass|token_auth)"
_KEY = rf"[\w.-]*?(?:{_CONFIDENTIAL_WORDS}|{_CONFIDENTIAL_SHORT}|{_CONFIDENTIAL_NAMES})"
# A literal value (group v): not a variable, a path (../priv/x, ~/priv/x, curl's @file), a template or a
# placeholder's brackets, nor a call that
# computes it (getenv('DB_PASSWORD'), bin2hex(random_bytes(16)), Str::random(40): a name, then an argument
# that starts with a quote, a variable, a digit or another call; Zt8kq2(LmW9 stays a literal). A word; or in quotes,
# which the shell gives as one argument with its blanks (POSIX sh, 2.2 Quoting), the whole text up to the closing one
# when it holds a blank and a digit ('Lilas 2024!', "Lilas 2024!"; not "voir le coffre"), in double quotes no '$', '`'
# nor '\\' (an expansion: "$PW 2024").
_QUOTED_BLANK = (
    r"(?<=')(?=[^'\n]*?[ \t])(?=[^'\n]*?[0-9])[^'\n]{6,}+(?=')"
    r"|(?<=\")(?=[^\"\n]*?[ \t])(?=[^\"\n]*?[0-9])[^\"\n$`\\]{6,}+(?=\")"
)
_VALUE = (
    r"[\"']*(?P<v>(?![\s$%{<*/\\(\[])(?!@?(?:\.\.?|~)?/)"
    r"(?![A-Za-z_\\][\w.:\\]*\((?:[\"'$)\d]|[A-Za-z_][\w.:]*\())"
    rf"(?:{_QUOTED_BLANK}|[^\s\"'`,;]{{6,}}))"
)
# A program run by name: at the start, after a space, a path's /, a quote or a shell separator.
_COMMAND = r"(?<![^\s/;&|(`\"'])"
# Pulumi's ciphertext of a secret under the passphrase secrets provider (v1:NONCE:CIPHERTEXT, base64), which a stack
# file holds under secure: and a note or a commented-out line may show after a password's label: no secret in clear
PULUMI_CIPHERTEXT = LazyPattern(r"v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+(?![A-Za-z0-9+/=:])")
# What documentation writes where a secret would go: no secret; stars too, a password as a form or a password
# manager masks it (********; not a hash MySQL keeps, *94BD..., nor **Lilas2024**); a key in French (VOTRE_CLE,
# votre-clé, as YOUR_KEY).
_PLACEHOLDER = LazyPattern(
    r"(?i)^(?:x+|\.+|-+|_+|\?+|\*+|(?:(?:your|my|the|some|new|old|db|database|mysql|user|admin|root"
    r"|votre|ton|mon|le|nouveau|ancien)[_-]?)*"
    rf"(?:{_CONFIDENTIAL_WORDS}|pass|pwd|pw|mdp|key|cl(?:e|é|ef))s?(?:[_-]?(?:here|ici))?"
    r"|required|optional|redacted|hidden|unset|example|placeholder|secret-value|none|null|false|true"
    # Matomo's token_auth=anonymous: its API's public access, no account's
    r"|anonymous)$"
)

# A program's arguments up to an option (mysql -e 'SELECT 1; SELECT 2' -p..., lftp -e 'mirror; quit' -u ...,
# smbclient -c 'cd x; put y' -U ...): when a quote comes before a shell separator, it starts a quoted argument,
# read whole, a separator in it included (the job's script quoting the command, '"'"'...'"'"', reads as quoted
# arguments too); else, or if that finds no option, the arguments as plain text up to a separator (without a
# quote the two readings are the same; a quote left open, --comment=it's, ends no argument there). Each
# argument is read one way only, up to 200 of them: no text is read in more than two ways from a start.
_QUOTED_ARGS = r"(?:[^\n|;&'\"]|'[^'\n]{0,200}'|\"[^\"\n]{0,200}\"){0,200}?"
_ARGS = rf"(?:(?=[^\n|;&'\"]{{0,200}}+['\"]){_QUOTED_ARGS}|[^\n|;&]{{0,200}}?)"

# A program reading a password on its standard input: mysql -p (or --password, no value); docker login
# --password-stdin (podman's, helm registry's...); gpg --passphrase-fd 0; openssl -pass stdin (-passin, fd:0);
# --password-file - (or /dev/stdin); passwd --stdin, passwd itself run without a terminal (a job's), sudo -S;
# smbpasswd -s, pdbedit -t, htpasswd -i, saslpasswd2 -p, vncpasswd -f, openssl passwd -stdin, mkpasswd -s;
# kinit, cryptsetup, pure-pw useradd|passwd, vault login -; Nextcloud's occ user:add and user:resetpassword
# (asked twice; --password-from-env names the variable to read, but the password written is as plain);
# wp-cli's --prompt=...pass; sshpass with none of -f, -d, -p, -e; rclone obscure - (its first line); sshfs -o
# password_stdin; openconnect --passwd-on-stdin.
# Those named by an option or an option of their own each start a word, after a character that is none of a
# word's, with one of the characters they start with: a text is tried from there only (elsewhere the first
# look fails, not each of the programs in turn).
# Those without an option saying so (passwd, kinit, cryptsetup, pure-pw, vault login -, occ user:add, sudo -S)
# read it only where they run as a command (_AT_COMMAND): kinit, passwd or vault written as a word of another
# program's arguments (logger -t kinit, mail -s "passwd report") reads no password.

# A shell word: plain characters and quoted parts ('...', "..."), read whole (the job's script quoting the
# command, '"'"'...'"'"', reads as one word too)
_WORD = r"(?:[^\s;&|'\"<>()`]|'[^'\n]{0,200}'|\"[^\"\n]{0,200}\")++"
# A directory before a program's name (/usr/bin/, bin/, ./, ../tools/, "$HOME"/bin/), read to its last / (possessive)
_PATH = r"(?:[^\s;&|<>()`/]*+/)*+"


# '--', the end of a program's options (env -- kinit, timeout -- 30 kinit, docker exec -i -- db passwd)
_END_OF_OPTIONS = r"(?:[ \t]+--(?![^\s;&|)'\"]))?"


def _options(flags: str, valued: str = "", long_valued: str = "", not_long: str = "", words: bool = False) -> str:
    """A program's options as getopt reads them, each after blanks: a cluster of the ``flags`` letters whose last
    may be one of ``valued`` taking a value (attached or the next word), a long option (those of ``long_valued``
    taking one after '=' or as the next word; ``not_long`` are none of its options), and with ``words`` the
    words that are no option among them (su's USER); then '--', the end of the options, if given. As first read
    (possessive): an option's value (sudo -u NAME, env -u NAME, nice -n N) is never read as the command."""
    cluster = f"-[{flags}]*" if flags else "-"
    if valued:
        cluster += rf"(?:[{valued}][ \t]*{_WORD})?"
    long_value = rf"|--(?:{long_valued})(?:=|[ \t]+){_WORD}" if long_valued else ""
    other_long = rf"--(?!(?:{not_long})(?![\w-]))[\w-]+" if not_long else r"--[\w-]+"
    word = rf"|(?!-){_WORD}" if words else ""
    options = rf"(?:[ \t]+(?:{cluster}(?![^\s;&|)'\"]){long_value}|{other_long}(?:={_WORD})?(?![^\s;&|)'\"]){word}))*+"
    return rf"{options}{_END_OF_OPTIONS}"


# sudo's options but -S (--stdin: sudo itself reads a password there); su's and runuser's long ones taking a
# value; flock's
_SUDO_OPTIONS = _options(
    "ABbEeHhiKklNnPsVv",
    "aCcDgpRrTtUu",
    "auth-type|close-from|chdir|group|host|prompt|chroot|role|type|command-timeout|other-user|user",
    "stdin",
)
_SU_LONG = "group|supp-group|shell|whitelist-environment"
_FLOCK_OPTIONS = _options("sxenuoF", "wE", "timeout|conflict-exit-code", "command")
# docker|podman|nerdctl run's long options without a value (any other takes one: --name NAME, --network NET...)
_RUN_FLAGS = (
    "rm|rmi|init|privileged|read-only|read-only-tmpfs|tty|interactive|detach|no-healthcheck|no-hosts|oom-kill-disable"
    "|publish-all|sig-proxy|disable-content-trust|quiet|help|replace|passwd|http-proxy|env-host|tls-verify|rootfs"
    "|use-api-socket"
)
_RUN_VALUED = rf"(?!(?:{_RUN_FLAGS})(?![\w-]))[\w-]+"
# systemd-run's long options without a value (any other takes one: --unit NAME, --property P, --setenv V...)
_SYSTEMD_RUN_FLAGS = (
    "user|system|scope|remain-after-exit|send-sighup|collect|pipe|pty|pty-late|quiet|wait|no-block|no-ask-password"
    "|same-dir|shell|help|version|verbose"
)
_SYSTEMD_RUN_VALUED = rf"(?!(?:{_SYSTEMD_RUN_FLAGS})(?![\w-]))[\w-]+"
# nsenter's namespaces take a file only attached (-m/proc/1/ns/mnt, --mount=FILE)
_NSENTER_OPTIONS = (
    r"(?:[ \t]+(?:-[aFZeNcmuinpUCTrw]*(?:[tSGW][ \t]*" + _WORD + r"|[muinpUCTrw]/[^\s;&|)'\"]*)?(?![^\s;&|)'\"])"
    r"|--(?:target|setuid|setgid|wdns)(?:=|[ \t]+)"
    + _WORD
    + r"|--[\w-]+(?:="
    + _WORD
    + r")?(?![^\s;&|)'\"])))*+"
    + _END_OF_OPTIONS
)
# docker's, podman's and nerdctl's own options, before their command (docker --context prod exec, docker -H
# tcp://h:2375 run, podman --remote exec): those taking a value (-H|--host, -c|--context or podman's --connection,
# --config, -l|--log-level, --tlscacert..., podman's --url, --identity, --root..., nerdctl's -n|--namespace,
# -a|--address...), the others none (-D|--debug, --tls, --tlsverify, podman's -r|--remote)
_CONTAINER_GLOBAL = _options(
    "Dr",
    "Hclan",
    "host|context|config|log-level|tlscacert|tlscert|tlskey|url|connection|identity|root|runroot|storage-driver"
    "|storage-opt|cgroup-manager|events-backend|conmon|runtime|runtime-flag|tmpdir|hooks-dir|module"
    "|network-cmd-path|network-config-dir|volumepath|imagestore|db-backend|ssh|namespace|address|snapshotter"
    "|data-root|cni-path|cni-netconfpath|hosts-dir",
)
# The programs that run a command given as their arguments, with their options and the words they take before
# it (each followed by the command, a word that is no option): sudo and doas (not sudo -S, itself a reader),
# env (and its -u NAME), timeout (and its DURATION), nice (-n N), nohup, command (-p: not -v, which runs
# nothing), exec, time, stdbuf, ionice, setsid, chroot (and its NEWROOT), flock (and its FILE), eval, runuser
# -u USER; xargs -a FILE (without -a, xargs reads its arguments from the standard input and gives the command
# /dev/null); docker, podman and nerdctl exec -i CONTAINER (-i in a cluster too: -iu 1000), docker compose exec
# SERVICE, kubectl exec -i POD --; each one's options given their value after '=' or as the next word, a cluster
# of short ones whose last takes a value (sudo -iu bob), '--' ending them (env -- kinit)
_RUNS_ARGUMENTS = (
    rf"(?:sudo{_SUDO_OPTIONS}|doas{_options('Lns', 'aCu')}"
    rf"|env{_options('i0v', 'uCP', 'unset|chdir', 'split-string')}"
    rf"|timeout{_options('fpv', 'ks', 'kill-after|signal')}[ \t]+{_WORD}"
    rf"|nice(?:[ \t]+(?:-n[ \t]*{_WORD}|-\d+|--adjustment(?:=|[ \t]+){_WORD}|--[\w-]+))*+{_END_OF_OPTIONS}"
    rf"|nohup{_END_OF_OPTIONS}|command(?:[ \t]+-p)*+{_END_OF_OPTIONS}"
    rf"|exec{_options('cl', 'a')}|time{_options('apqv', 'fo', 'format|output')}"
    rf"|stdbuf{_options('', 'ioe', 'input|output|error')}|ionice{_options('t', 'cn', 'class|classdata')}"
    rf"|setsid{_options('cfw')}|chroot{_options('', '', 'userspec|groups')}[ \t]+{_WORD}"
    rf"|flock{_FLOCK_OPTIONS}[ \t]+{_WORD}|eval{_END_OF_OPTIONS}"
    rf"|runuser{_options('flmpP', 'gGsw', _SU_LONG, 'user')}"
    rf"[ \t]+(?:-[flmpP]*u[ \t]*|--user(?:=|[ \t]+)){_WORD}{_options('flmpP', 'gGsw')}"
    rf"|xargs{_options('0oprtx', 'dEILnPs', 'delimiter|max-[a-z]+|process-slot-var', 'arg-file')}"
    rf"[ \t]+(?:-[0oprtx]*a[ \t]*|--arg-file(?:=|[ \t]+)){_WORD}"
    rf"{_options('0oprtx', 'adEILnPs', 'arg-file|delimiter|max-[a-z]+')}"
    rf"|(?:docker|podman|nerdctl){_CONTAINER_GLOBAL}(?:[ \t]+container)?[ \t]+exec"
    rf"{_options('dt', 'euw', 'detach-keys|env(?:-file)?|user|workdir', 'interactive')}"
    rf"[ \t]+(?:-[dt]*i[dt]*(?:[euw][ \t]*{_WORD})?|--interactive(?:=true)?)(?![^\s;&|)])"
    rf"{_options('dit', 'euw', 'detach-keys|env(?:-file)?|user|workdir')}"
    rf"[ \t]+{_WORD}|(?:docker[ \t]+compose|docker-compose){_options('', 'fp', 'file|project-[a-z]+|env-file|profile')}"
    rf"[ \t]+exec{_options('dT', 'euw', 'env|user|workdir|index')}[ \t]+{_WORD}"
    rf"|kubectl{_options('', 'ns', 'namespace|context|cluster|kubeconfig|server|user')}[ \t]+exec"
    rf"{_options('tq', 'cfn', 'container|filename|namespace|context|pod-running-timeout', 'stdin', words=True)}"
    rf"[ \t]+(?:-[tq]*i[tq]*(?:[cfn][ \t]*{_WORD})?|--stdin(?:=true)?)(?![^\s;&|)])"
    rf"{_options('itq', 'cfn', 'container|filename|namespace|context|pod-running-timeout', words=True)}[ \t]+--"
    # docker|podman|nerdctl run -i IMAGE (its options before and after -i; without -i the command's standard input
    # is none)
    rf"|(?:docker|podman|nerdctl){_CONTAINER_GLOBAL}(?:[ \t]+container)?[ \t]+run"
    rf"{_options('dtPq', 'acehlmpuvw', _RUN_VALUED, 'interactive')}"
    rf"[ \t]+(?:-[dtPq]*i[dtPq]*(?:[acehlmpuvw][ \t]*{_WORD})?|--interactive(?:=true)?)(?![^\s;&|)])"
    rf"{_options('dtiPq', 'acehlmpuvw', _RUN_VALUED)}[ \t]+(?!-){_WORD}"
    # chrt [options] PRIORITY (not -p PID, which runs nothing), taskset [options] MASK|LIST (not -p), unshare,
    # nsenter, systemd-run -P|--pipe or -t|--pty (without either, the command's standard input is none)
    rf"|chrt{_options('abdfiorRv', 'TPD', 'sched-[a-z]+', 'pid')}[ \t]+(?!-){_WORD}"
    rf"|taskset{_options('ac', '', '', 'pid')}[ \t]+(?!-){_WORD}"
    rf"|unshare{_options('muinpUCTfrc', 'SGRw', 'propagation|setgroups|map-users?|map-groups?|setuid|setgid|root|wd')}"
    rf"|nsenter{_NSENTER_OPTIONS}"
    rf"|systemd-run{_options('rGqdSTvh', 'upEMHC', _SYSTEMD_RUN_VALUED, 'pipe|pty(?:-late)?')}"
    rf"[ \t]+(?:-[rGqdSTvh]*[Pt][rGPtqdSTvh]*(?:[upEMHC][ \t]*{_WORD})?|--(?:pipe|pty(?:-late)?))(?![^\s;&|)])"
    rf"{_options('rGPtqdSTvh', 'upEMHC', _SYSTEMD_RUN_VALUED)})"
    # followed by the command
    r"(?=[ \t]+[^\s-])"
)
# The programs that run a command given as one string (after the quote that opens it, the command starts):
# sh, bash... -c STRING; su and runuser [USER] -c STRING; flock FILE -c STRING; env -S STRING; script -c STRING
# (its terminal's input is the standard input); ssh [options]
# HOST COMMAND (without -n, -f or -N, which give it no standard input or run none); sg GROUP [-c] COMMAND
_RUNS_STRING = (
    r"(?:(?:sh|bash|dash|zsh|ksh|mksh|ash|busybox[ \t]+sh)"
    rf"(?:[ \t]+(?:[-+][abd-zA-Z]*o[ \t]+{_WORD}|[-+][abd-zA-Z]+(?![^\s;&|)])|--[\w-]+))*+"
    r"[ \t]+-[abd-zA-Z]*c[a-zA-Z]*(?:[ \t]+(?:--|[-+][a-zA-Z]+)(?![^\s;&|)]))*+[ \t]+"
    rf"|(?:su|runuser){_options('flmpP', 'gGsw', _SU_LONG, 'command|session-command', words=True)}"
    r"[ \t]+(?:-[flmpP]*c[ \t]*|--(?:session-)?command(?:=|[ \t]+))"
    rf"|flock{_FLOCK_OPTIONS}[ \t]+{_WORD}[ \t]+(?:-c[ \t]*|--command(?:=|[ \t]+))"
    rf"|env{_options('i0v', 'uCP', 'unset|chdir', 'split-string')}[ \t]+(?:-[i0v]*S[ \t]*|--split-string(?:=|[ \t]+))"
    rf"|script{_options('aefqkw', 'EIOBTmo', 'echo|log-[a-z]+|logging-format|output-limit', 'command')}"
    r"[ \t]+(?:-[aefqkw]*c[ \t]*|--command(?:=|[ \t]+))"
    rf"|ssh{_options('46AaCGgKkMqsTtVvXxYy', 'BbcDEeFIiJLlmOoPpQRSWw')}[ \t]+(?!-){_WORD}(?:[ \t]+--)?[ \t]+"
    rf"|sg(?:[ \t]+-)?[ \t]+(?!-){_WORD}[ \t]+(?:-c[ \t]+)?)"
    # the quote that opens the string, its last (a quoted script's '"'"'), as group sq or dq
    r"(?:[\"']*(?:(?P<sq>')|(?P<dq>\")))?"
)
# The rest of that string after a reader that starts it (sh -c 'kinit alice; klist' <<< PW: the here-string is
# the standard input of the shell, which kinit reads first), up to the quote that closes it
_STRING_REST = r"(?:(?(sq)[^'\n]{0,400}+'|(?(dq)[^\"\n]{0,400}+\"|(?!))))?"
# Where a program runs as a command: at the start of a line, after a separator (; & && | || |&) or $(, at the start
# of a member's cron command as the job's install script writes it (printf '%s\n' 'COMMAND' | put ...), after a
# subshell's '(' or a group's '{' there, a reserved word (if, then, do, while, !...), variables assigned
# (LANG=C kinit), the programs above; its name quoted too ('passwd', "kinit", \kinit), by a path (/usr/bin/kinit,
# bin/passwd, ./kinit). Not after "(" or "`" elsewhere, which a quoted pattern holds as often as a subshell
# (grep '(kinit', awk '/^(passwd|kinit)/').
_AT_COMMAND = (
    r"(?:(?m:^)|(?<=[;&|])|(?<=\$\()|(?<=printf '%s\\n' '))"
    r"(?:[ \t]*(?:\(|[{!](?=[ \t])|(?:if|then|else|elif|do|while|until)(?=[ \t])"
    rf"|(?=[\"']*[A-Za-z_]\w*=){_WORD}|{_PATH}{_RUNS_STRING}|{_PATH}{_RUNS_ARGUMENTS}))*+"
    rf"[ \t]*[\"']*\\?{_PATH}"
)
# The same without the programs that run another, for a text naming none of them (_RUNNERS): a third as long to
# compile
_AT_COMMAND_ALONE = (
    r"(?:(?m:^)|(?<=[;&|])|(?<=\$\()|(?<=printf '%s\\n' '))"
    r"(?:[ \t]*(?:\(|[{!](?=[ \t])|(?:if|then|else|elif|do|while|until)(?=[ \t])"
    rf"|(?=[\"']*[A-Za-z_]\w*=){_WORD}))*+"
    rf"[ \t]*[\"']*\\?{_PATH}"
)
# Where one of the programs above (or sudo -S) can be read: its name after none of a word's characters, a '.'
# or a '-', then a blank
_RUNNERS = LazyPattern(
    r"(?<![\w.-])(?:sudo|doas|env|timeout|nice|nohup|command|exec|time|stdbuf|ionice|setsid|chroot|flock|eval"
    r"|runuser|xargs|docker|docker-compose|podman|nerdctl|kubectl|sh|bash|dash|zsh|ksh|mksh|ash|su|ssh|script|chrt"
    r"|taskset|unshare|nsenter|systemd-run|sg)(?=[ \t])"
)
_READER_START = r"(?<!\w)(?=[-/. \tcdhkmoprsv])"
# (read from _READER_START)
_OPTION_READER = (
    r"(?:(?<![\w-])--password-stdin\b|(?<![\w-])--passphrase-fd[\s=]+0\b"
    r"|(?<![\w-])-pass(?:in|out)?\s+[\"']?(?:stdin|fd:0|file:/dev/stdin)\b"
    r"|(?<![\w-])--pass(?:word|phrase)-file[\s=]+[\"']?(?:-|/dev/stdin|/dev/fd/0)(?=[\"']?(?:\s|$|[;&|)]))"
    rf"|\bpasswd\s(?:{_ARGS}\s)?--stdin\b"
    rf"|\bsmbpasswd\s(?:{_ARGS}\s)?-[a-z]*s\b|{_COMMAND}pdbedit\s(?:{_ARGS}\s)?(?:-[A-Za-z]*t\b|--password-from-stdin\b)"
    rf"|\bhtpasswd\s(?:{_ARGS}\s)?-[a-zA-Z]*i|{_COMMAND}saslpasswd2?\s(?:{_ARGS}\s)?-[a-z]*p(?![\w-])"
    rf"|{_COMMAND}vncpasswd\s(?:{_ARGS}\s)?-f(?![\w-])|{_COMMAND}openssl\s+passwd\s(?:{_ARGS}\s)?-stdin(?![\w-])"
    rf"|{_COMMAND}mkpasswd\s(?:{_ARGS}\s)?(?:-[A-Za-z]*s(?![\w-])|--stdin\b)"
    rf"|{_COMMAND}rclone\s(?:{_ARGS}\s)?obscure\s+-(?=\s|$|[;&|)])"
    r"|(?<![\w-])--password-from-env\b|(?<![\w-])password_stdin\b|(?<![\w-])--passwd-on-stdin\b"
    r"|(?<![\w-])--prompt[=\s]+[\"']?[\w,-]*?pass(?![\w-])"
    r"|(?<![^\s/;&|(`\"'])sshpass(?:\s+-[vhV]+|\s+-[vhV]*P\s*\S+)*\s+(?=[^\s-]))"
)
_COMMAND_NAMES = (
    r"(?:passwd|kinit|cryptsetup)(?![\w.-])|pure-pw\s+(?:useradd|passwd)(?![\w-])"
    rf"|vault\s+login\s(?:{_ARGS}\s)?-(?=\s|$|[;&|)])"
    rf"|(?:php[\w.]*[ \t]+(?:-\S+[ \t]+)*{_PATH})?occ\s(?:{_ARGS}\s)?user:(?:add|resetpassword)(?![\w:-])"
)
# mysql -p as a command too: the start of a string run by a shell (sh -c 'mysql -p db; x' <<< PW)
_MYSQL_READER = rf"\b(?:mysql|mariadb)[\w-]*\s(?:{_ARGS}\s)?(?:-p|--password)(?=[\"']*(?:\s|$|[;&|)]))"
# A program reading it because of an option (docker login --password-stdin, gpg --passphrase-fd 0) as a command
# too: the start of a string run by a shell, the rest of the string after it (sh -c 'docker login -u a
# --password-stdin reg; docker pull x' <<< PW), its option among its arguments up to a separator or a quote
_COMMAND_READER = (
    rf"{_AT_COMMAND}(?:{_COMMAND_NAMES}|{_MYSQL_READER}"
    rf"|sudo{_SUDO_OPTIONS}[ \t]+(?:-[A-Za-z]*S[A-Za-z]*|--stdin)(?![\w-])"
    rf"|(?(sq)|(?(dq)|(?!)))(?=[^\n|;&'\"]{{0,200}}?{_READER_START}{_OPTION_READER}))"
)
_STDIN_READER = rf"(?:{_READER_START}(?:{_MYSQL_READER}|{_OPTION_READER})|{_COMMAND_READER})"
_STDIN_READER_ALONE = _STDIN_READER.replace(
    _COMMAND_READER, rf"{_AT_COMMAND_ALONE}(?:{_COMMAND_NAMES}|{_MYSQL_READER})"
)
# A program writing its arguments: echo, printf with a format that writes each as a line; cat writing its here-string
_ECHO = r"(?:echo(?:\s+-[neE]+)*|printf(?:\s+--)?(?:\s+[\"']*%s(?:\\n)?[\"']*)?|cat[ \t]*<<<)"
# The one word it is given (group v): not a variable, an option, a path; in quotes holding a blank and a digit, the
# whole text up to the closing one, as the shell gives it (_QUOTED_BLANK: echo 'Lilas 2024!')
_STDIN_WORD = rf"(?P<v>(?![$%{{<*\\(\[-])(?!(?:\.\.?|~)?/)(?:{_QUOTED_BLANK}|[^\s\"'`,;|&<>()]{{6,}}))"
# The first words of MariaDB's and MySQL's statements and of their client's commands, which a here-document
# given to mysql -p may hold alone on its first line
_SQL_WORDS = (
    r"select|insert|update|delete|replace|create|alter|drop|truncate|rename|optimize|analyze|check|checksum|repair"
    r"|grant|revoke|set|show|use|begin|start|commit|rollback|savepoint|release|lock|unlock|flush|purge|reset|kill"
    r"|load|call|do|handler|with|values|table|explain|describe|desc|help|prepare|execute|deallocate|declare|install"
    r"|uninstall|backup|shutdown|change|binlog|signal|resignal|source|delimiter|charset|connect|status|warnings"
    r"|nowarning|pager|nopager|tee|notee|prompt|rehash|system|print|go|ego|exit|quit|clear"
)
# The commands of an FTP client that a line may hold alone (not a password)
_FTP_COMMANDS = (
    r"ascii|binary|bin|image|passive|prompt|verbose|status|system|hash|bell|glob|debug|trace|sunique|runique|epsv[46]?"
    r"|restart|rename|delete|mdelete|append|newer|reget|mkdir|rmdir|chmod|umask|lcd|cd|cdup|ls|dir|nlist|mls|mdir|get"
    r"|mget|put|mput|recv|send|close|disconnect|bye|quit|exit|open|account|site|quote|literal|idle|modtime|size|type"
    r"|mode|struct|form|case|ntrans|nmap|macdef|proxy|sendport|preserve|progress|rate|rstatus|rhelp|help|features"
    r"|lpwd|pwd|user|pass"
)
# An FTP client's login command and its password (group v): user NAME PASSWORD (not anonymous), quote PASS PASSWORD;
# user NAME alone, then the password alone on the next line, which the client reads at its prompt (a here-document's
# line, printf's \n, the next echo of a group), unless that line is one of its commands
_FTP_LOGIN = (
    r"(?:user[ \t]+(?!(?:anonymous|ftp)\s)[^\s\"'\\;]+"
    r"(?:[ \t]+|(?P<nl>)[\"']?[ \t]*(?:\n|\\n|;[ \t]*echo[ \t]+)[ \t]*(?!(?:" + _FTP_COMMANDS + r")(?![^\s\"';\\])))"
    r"|(?:quote|literal)[ \t]+pass[ \t]+)"
    r"[\"']*(?P<v>(?![\s$%{<*\\(\[])[^\s\"'`,;\\]{6,}+)(?(nl)(?=[\"']*[ \t]*(?:\n|\\n|$|[;)])))"
)
# Then a pipe (| or |&, not ||), through up to three programs (echo PW | tee x | passwd; their quoted arguments
# read whole: a | in awk '/^(a|b)/' is none), to the arguments before the reader (quoted ones read whole too:
# env 'A=b;c' mysql -p)
_PIPED = (
    r"\s*\|(?!\|)&?(?:(?:[^\n|;&'\"]|'[^'\n]{0,200}'|\"[^\"\n]{0,200}\"){0,200}+\|(?!\|)&?){0,3}?"
    # a group's or a subshell's commands before the reader, which reads the same standard input: (cd .. && kinit)
    r"(?:[ \t]*[({](?:[^\n|;&'\"()]|'[^'\n]{0,200}'|\"[^\"\n]{0,200}\"|;|&&|\|\|){0,200}?(?<=[;&|]))?"
    rf"{_ARGS}"
)


# A character at or above U+3000 (a negated class of one range: re sets each of the 12,288 characters below in a
# bitmap to compile it, where [\u3000-\U0010ffff] costs 53,000; 0.7 µs a search of a note, max() took 3 µs)
_AT_OR_ABOVE_U3000 = LazyPattern("[^\x00-\u2fff]")


class _Pattern:
    """A regular expression compiled when first used: most texts hold none of the words a pattern needs, and
    most runs (``pic check`` of members without cron jobs) try none, so compiling them all at import
    (about 10 ms for these) is mostly wasted. ``search`` and ``finditer`` are ``re.Pattern``'s.

    With ``alone``, the same expression without the programs that run another (sudo, sh -c...), for a text
    naming none of them (_RUNNERS), where both find the same: the usual command compiles the shorter. With
    ``gate``, an expression found in the lines of any match of the pattern (the match's lines holding the gate's
    match, or holding a part of it), which re finds faster (it starts with a sign, where the pattern starts with
    any word): the pattern is searched for only in the lines the gate is found in, and the ``before`` lines before
    them (a match's first line, where the gate may be found on its next). With ``marks``, strings one of which any
    text the pattern matches holds (a quote), looked for first: a form that needs a label's word (its needs) and a
    sign is compiled only for a text holding both.

    For a text holding no character of the scripts written without spaces (_PROSE_WRITTEN_WITHOUT_SPACES: none at or
    above U+3000, as in most notes), the expression is compiled without their ranges in its classes, which then match
    the same characters of that text: re compiles a class of ranges by setting each of its 39,000 characters in a
    bitmap, about 3 ms a class, and the prose patterns hold it about 130 times.

    With ``reach`` (and a gate, no ``before``), a match starts at most that many runs of blanks before its gate's match
    (or before the first ASCII digit it holds), on its line: the line is searched from the word that many runs before
    the gate's match rather than from its start, so that a long line of labels (300 KB of ``mdp mdp ...`` before a
    value, each label tried for about 20 µs) is searched only near where a value may be.

    With ``digit``, every match of the expression holds an ASCII digit (``[0-9]``: a value of letters and digits, a
    card's number, a door's code), so that a text holding none (_DIGIT) is not searched, nor the expression compiled
    for it: most notes and comments that name a password's label say where it is kept, in words.
    tests/test_fields_fast.py proves it of each expression from its parse tree, and that no other needs one."""

    __slots__ = ("_compiled", "alone", "before", "digit", "gate", "marks", "pattern", "reach", "valid")

    def __init__(
        self,
        pattern: str,
        alone: str | None = None,
        gate: LazyPattern | None = None,
        before: int = 0,
        valid: Callable[[re.Match[str]], bool] | None = None,
        *,
        digit: bool = False,
        marks: tuple[str, ...] = (),
        reach: int = 0,
    ) -> None:
        assert not (reach and before), "reach counts the words on the gate's line"
        self.pattern = pattern
        self.reach = reach
        self.marks = marks
        self.alone = alone
        self.gate = gate
        self.before = before
        self.valid = valid
        self.digit = digit
        # compiled by form: [pattern, alone] for a text holding those scripts, then the same for one holding none
        self._compiled: list[re.Pattern[str] | None] = [None, None, None, None]

    def _regex(self, text: str) -> re.Pattern[str]:
        alone = self.alone is not None and _RUNNERS.search(text) is None
        spaced = text.isascii() or _AT_OR_ABOVE_U3000.search(text) is None
        form = 2 * spaced + alone
        compiled = self._compiled[form]
        if compiled is None:
            source = self.alone if alone and self.alone is not None else self.pattern
            if spaced:
                source = source.replace(_PROSE_WRITTEN_WITHOUT_SPACES, "")
            compiled = self._compiled[form] = compile_cached(source)
        return compiled

    def search(self, text: str) -> re.Match[str] | None:
        if self.gate is not None or self.valid is not None or self.marks:
            return next(self.finditer(text), None)
        return self._regex(text).search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches in ``text``; with ``valid``, only those it holds valid (a check a regular expression cannot
        make: a card number's Luhn digit); with ``marks``, none in a text holding none of them, which is then neither
        searched nor compiled for."""
        if self.marks and not any(mark in text for mark in self.marks):
            return iter(())
        found = self._gated(text) if self.gate is not None else self._regex(text).finditer(text)
        if self.valid is None:
            return found
        valid = self.valid
        return (m for m in found if valid(m))

    def _gated(self, text: str) -> Iterator[re.Match[str]]:
        """The matches in the lines each match of the gate starts and ends on, in order, as ``finditer`` finds them
        in the whole text: each search starts at the line's start or the last match's end."""
        assert self.gate is not None
        regex = None  # compiled at the first match of the gate: a text the gate finds nothing in costs no compilation
        done = -1
        last = 0
        for gate in self.gate.finditer(text):
            if gate.end() <= done:
                continue
            if regex is None:
                regex = self._regex(text)
            end = text.find("\n", gate.end())
            done = end = len(text) if end < 0 else end
            start = text.rfind("\n", 0, gate.start()) + 1
            for _ in range(self.before):
                start = text.rfind("\n", 0, max(start - 1, 0)) + 1
            if self.reach:
                start = _words_before(text, start, gate.start(), self.reach)
            for m in regex.finditer(text, max(last, start), end):
                last = m.end()
                yield m


# An ASCII digit: a text holding none holds no match of a _Pattern whose ``digit`` says so
_DIGIT = re.compile("[0-9]")
_DIGIT_SIGN = LazyPattern("[0-9]")  # (the same, as a gate)


@lru_cache(maxsize=4)
def _runs_back(reach: int) -> re.Pattern[str]:
    """Up to ``reach`` runs of blanks and the words before each, read in a line written backwards."""
    return re.compile(rf"(?:\S*[^\S\n]+){{0,{reach}}}\S*")


def _words_before(text: str, start: int, at: int, reach: int) -> int:
    """Where the word starts that ``reach`` runs of blanks stand between and ``at`` in ``text``, not before ``start``
    (its line's start)."""
    found = _runs_back(reach).match(text[start:at][::-1])
    assert found is not None  # (it matches the empty text)
    return at - found.end()


# A flag of pulumi config set, with its value when it takes one (-s/--stack NAME, --config-file FILE, -C/--cwd DIR,
# --type TYPE, as pulumi config set --help lists them), read one way only: one of those followed by a value (after
# '=' or a blank, a word not starting with '-') is read with it, never as a flag alone whose value is the next word
# too (the key: a line of -s a flags was read in as many ways as it held, 10,000 characters in 1.7 s)
_PULUMI_VALUED = r"(?:-s|-C|--stack|--config-file|--cwd|--type)"
_PULUMI_FLAG = (
    rf"(?:{_PULUMI_VALUED}(?:=|[^\S\n]+)[^\s-]\S*"
    rf"|(?!{_PULUMI_VALUED}(?:=|[^\S\n]+)[^\s-])--?[A-Za-z][\w-]*(?:=\S*)?)"
)
# Flags, each read once (possessive: the words read as flags are not read again as a key or a value)
_PULUMI_FLAGS = rf"(?:[^\S\n]+{_PULUMI_FLAG})*+"
# config's flags before set (pulumi config -s prod set ...: cobra reads a command's flags anywhere on its line)
_PULUMI_CONFIG_FLAGS = rf"config(?:[^\S\n]+{_PULUMI_FLAG})*+[^\S\n]+"
# pulumi [global flags] config [flags] set (group cmd: where the command starts, after echo ... | in a pipe)
_PULUMI_SET = rf"{_COMMAND}(?P<cmd>)pulumi[^\S\n]{_ARGS}(?<=[^\S\n]){_PULUMI_CONFIG_FLAGS}set"
# The key of config set (group key), read whole: quoted, or a word not starting with '-'
_PULUMI_KEY = r"(?P<key>'[^'\n]*'|\"[^\"\n]*\"|[^\s\"'`-][^\s\"'`]*+)[\"']*"
# --secret among the words of a pulumi command, up to the end of its line or a shell separator
_PULUMI_SECRET_FLAG = LazyPattern(r"(?i)(?<!\S)--secret(?:=(?:true|t|1))?(?=\s|$)")


def _pulumi_secret_set(m: re.Match[str]) -> bool:
    """Whether the value of ``pulumi config set`` matched in ``m`` is a secret: one read as prose reads a value after
    a password's label (:func:`labelled_password`: ``S3cretPw9``, not ``yesterday.``, ``VALUE`` nor a URL), and the
    command says --secret (before the key or after the value, Pulumi's ``--secret=true`` too), or its key is named for
    one (:func:`_secret_key`: ``pic:dbAdminPassword``, ``mysql:password``, ``pic:hosts.db1.password``; not
    ``pic:tokenExpiry``)."""
    if not _quoted_password(m.group("v")):
        return False

    end = len(m.string)
    for stop in ("\n", ";", "&", "|"):
        found = m.string.find(stop, m.end())
        if found >= 0:
            end = min(end, found)
    if _PULUMI_SECRET_FLAG.search(m.string, m.start("cmd"), end) is not None:
        return True
    return _secret_key(m.group("key"))


def _secret_key(key: str) -> bool:
    """Whether the configuration key ``key`` (``pic:dbAdminPassword``, ``'pic:hosts["db1"].password'``) holds a
    secret: a part of it after its namespace, along its path, named for one (:func:`pic.yamlsrc.secret_value_name`:
    not ``pic:tokenExpiry``)."""
    from pic.yamlsrc import secret_value_name

    return any(secret_value_name(part) for part in re.split(r"[:.\[\]\"']+", key) if part)


def labelled_password(value: str) -> bool:
    """Whether ``value``, found after a name that says it is a password (a configuration key named for one, a
    command's option), reads as one as prose reads a value after a password's label (:func:`prose_secret` of
    ``password: VALUE``): ``S3cretPw9``, ``Hunter2``, not words (``stored in Bitwarden``, ``yesterday.``), a
    placeholder (``VALUE``, ``changeme``), a URL, a file's name or a date."""
    return _prose_secret_as_written(f"password: {value}") is not None


def _quoted_password(value: str) -> bool:
    """:func:`labelled_password` of ``value``, a command's argument (_VALUE's group v): one holding a blank was
    given in quotes (_QUOTED_BLANK), and is read so (``password: «Lilas 2024!»``), as one word."""
    if " " in value or "\t" in value:
        return _prose_secret_as_written(f"password: «{value}»") is not None
    return labelled_password(value)


# pulumi config set before a word of its line (not set-all, whose --secret takes KEY=VALUE); pulumi config set-all.
# Its global flags up to 200 characters, as _PULUMI_SET reads them: each option of a line of them is looked at from
# the line's start, and a gap read to its end each time made a line of n options cost n times its length.
_PULUMI_CONFIG_SET_BEFORE = LazyPattern(
    rf"(?i)(?<![^\s/;&|(`\"'*_])pulumi\s(?:[^\n;&|]{{0,200}}?\s)?{_PULUMI_CONFIG_FLAGS}set\s"
)
_PULUMI_CONFIG_SET_ALL_BEFORE = LazyPattern(
    rf"(?i)(?<![^\s/;&|(`\"'*_])pulumi\s(?:[^\n;&|]{{0,200}}?\s)?{_PULUMI_CONFIG_FLAGS}set-all\s"
)


def _in_pulumi_command(m: re.Match[str], before: LazyPattern) -> bool:
    """Whether the word matched in ``m`` is an argument of the pulumi command ``before`` reads: the first such
    command of its line (up to a shell separator) ends before the word."""
    line_start = max(m.string.rfind(stop, 0, m.start()) for stop in "\n;&|(`") + 1
    end = _command_end(before, m.string, line_start)
    return end is not None and end <= m.start()


@lru_cache(maxsize=16)
def _command_end(before: LazyPattern, text: str, line_start: int) -> int | None:
    """Where the first command ``before`` reads ends on the line of ``text`` starting at ``line_start`` (up to a
    shell separator), or None: found once for all the words of the line, each of which was looked for it from the
    line's start (a line of n --secret pairs without pulumi cost n times its length)."""
    line_end = min((found for stop in "\n;&|(`" if (found := text.find(stop, line_start)) >= 0), default=len(text))
    command = before.search(text, line_start, line_end)
    return None if command is None else command.end()


def _pulumi_set_flag(m: re.Match[str]) -> bool:
    """Whether the option matched in ``m`` is ``--secret`` of ``pulumi config set-all``, whose value is KEY=VALUE
    (read by the last pattern of _PULUMI_CONFIG_SETS, the value after the key); or ``--secret`` of ``pulumi config
    set``, a flag: the word after it is the key, not a value (read by _PULUMI_CONFIG_SET)."""
    if m.group(0)[:9].lower().rstrip("= \t") != "--secret":
        return False
    if _in_pulumi_command(m, _PULUMI_CONFIG_SET_ALL_BEFORE):
        return True
    return m.group(0)[8:9] != "=" and _in_pulumi_command(m, _PULUMI_CONFIG_SET_BEFORE)


def _pulumi_set_all_secret(m: re.Match[str]) -> bool:
    """Whether the pair matched in ``m`` (``--secret KEY=VALUE``, ``--plaintext KEY=VALUE``) is one of ``pulumi config
    set-all`` giving a secret in clear: a value read as a password (:func:`labelled_password`) given to --secret, or
    to --plaintext under a key named for a secret (:func:`_secret_key`): written in clear in the stack file then."""
    if not _quoted_password(m.group("v")):
        return False
    if m.group("flag").lower() != "secret" and not _secret_key(m.group("key")):
        return False
    return _in_pulumi_command(m, _PULUMI_CONFIG_SET_ALL_BEFORE)


# pulumi config set [flags] KEY VALUE (Pulumi's CLI, pkg/cmd/pulumi/config/config.go: "set <key> [flags] [--]
# [value]", the value stored as the key's, encrypted with --secret, a flag of set that takes no value; flags before
# '--' only, cobra's rule, and after it a value starting with '-' too): a value after --secret, or after a key named for
# a secret (pic:dbAdminPassword, mysql:password; with --plaintext too, the value is written in clear here); the key
# alone (the value then typed at the prompt or read from the standard input, < FILE) is none, and so are the words
# after a '`' closing the command in prose. Read in prose too: a note or a comment saying how a secret was set may hold
# it. The same value given otherwise: as the key's own one argument, KEY=VALUE (config set then takes the whole word
# as the key's name and writes it in clear in the stack file); on the standard input of config set KEY, which
# reads it there when no value follows the key (echo PW | pulumi config set ..., printf '%s' PW | ..., a here-string
# <<< PW or a here-document's one line, as _PIPED and _STDIN_READER read the other readers' standard input); or
# by config set-all, whose --secret and --plaintext each take KEY=VALUE (its --help: "Each key-value pair must be
# preceded by either the `--secret` or the `--plaintext` flag"; its --path too): a value given to --secret, or to
# --plaintext under a key named for a secret.
_PULUMI_CONFIG_SET: tuple[str, _Pattern, tuple[str, ...]] = (
    "a password argument",
    _Pattern(
        rf"(?i){_PULUMI_SET}{_PULUMI_FLAGS}(?:[^\S\n]+(?P<dd>--))?[^\S\n]+{_PULUMI_KEY}"
        rf"(?(dd)|{_PULUMI_FLAGS}(?:[^\S\n]+(?P<de>--))?)[^\S\n]+(?(dd)|(?(de)|(?![\"']*-)))"
        r"(?![0-9]*[<>&|])"
        rf"{_VALUE}",
        valid=_pulumi_secret_set,
    ),
    ("pulumi",),
)
_PULUMI_CONFIG_SETS: tuple[tuple[str, _Pattern, tuple[str, ...]], ...] = (
    _PULUMI_CONFIG_SET,
    # KEY=VALUE, config set's one argument
    (
        "a password argument",
        _Pattern(
            rf"(?i){_PULUMI_SET}{_PULUMI_FLAGS}(?:[^\S\n]+--)?[^\S\n]+"
            r"(?P<key>'[^'\n=]*'|\"[^\"\n=]*\"|[\"']?[^\s\"'`=-][^\s\"'`=]*+)[\"']*=(?![0-9]*[<>&|])"
            rf"{_VALUE}",
            valid=_pulumi_secret_set,
        ),
        ("pulumi",),
    ),
    # a word written to the standard input of config set KEY, nothing after the key sending it another (< FILE)
    (
        "a password piped to a program",
        _Pattern(
            rf"(?i)\b{_ECHO}\s+[\"']*{_STDIN_WORD}[\"']*(?:\s*[2-9]>>?(?:&[0-9-]|[^\s|;&<>]+))*"
            rf"{_PIPED}{_PULUMI_SET}{_PULUMI_FLAGS}(?:[^\S\n]+--)?[^\S\n]+{_PULUMI_KEY}{_PULUMI_FLAGS}"
            r"(?![^\S\n]*[0-9]*<(?!<))",
            valid=_pulumi_secret_set,
        ),
        ("pulumi",),
    ),
    # a here-string, or a here-document whose first line is one word
    (
        "a password piped to a program",
        _Pattern(
            rf"(?i){_PULUMI_SET}{_PULUMI_FLAGS}(?:[^\S\n]+--)?[^\S\n]+{_PULUMI_KEY}{_PULUMI_FLAGS}"
            r"[^\S\n]*<<(?:<[^\S\n]*(?:\$(?='))?(?P<q>[\"']+)?|(?!<)-?[ \t]*[\"']?[\w.-]++[\"']?[ \t]*\n[ \t]*(?P<h>))"
            rf"{_STDIN_WORD}"
            r"(?(h)[ \t]*(?=\n|$)|(?(q)[\"']+(?=[\s;&|)]|$)|(?=[\s;&|)\"']|$)))",
            valid=_pulumi_secret_set,
        ),
        ("pulumi",),
    ),
    # set-all's --secret|--plaintext KEY=VALUE, each pair read on its own (_pulumi_set_all_secret: after pulumi
    # config set-all on its line)
    (
        "a password argument",
        _Pattern(
            r"(?i)(?<![^\s\"'])--(?P<flag>secret|plaintext)(?:=|[^\S\n]+)"
            r"(?P<key>'[^'\n=]*'|\"[^\"\n=]*\"|[\"']?[^\s\"'`=-][^\s\"'`=]*+)[\"']*=(?![0-9]*[<>&|])"
            rf"{_VALUE}",
            valid=_pulumi_set_all_secret,
        ),
        ("set-all",),
    ),
)


def _reading(pattern: str) -> _Pattern:
    """A pattern holding the readers of a password on the standard input, with its form for a text naming no
    program that runs another."""
    alone = pattern.replace(_STDIN_READER, _STDIN_READER_ALONE).replace(_STRING_REST, "")
    return _Pattern(pattern, alone=alone)


# An access key of a known shape, a secret wherever it appears: AWS's (AKIA..., ASIA... a temporary one), GitHub's
# tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), GitLab's (glpat-), Slack's (xoxb-, xoxp-, xoxa-, xoxr-, xoxe-,
# xapp-), Stripe's secret and restricted keys (sk_live_, rk_live_), Google's API keys (AIza...), Mailchimp's
# (HEX-usN), Brevo's (xkeysib-), SendGrid's (SG.ID.KEY): the services associations' sites send mail and take
# payments through; OpenAI's (sk-proj-, sk-svcacct-, sk-admin-, the older sk-...T3BlbkFJ...) and Anthropic's
# (sk-ant-api03-), which a site's assistant plug-in holds. ACCESS_KEY_NEEDS: the words in lower case one of which
# each holds.
ACCESS_KEY = (
    r"\b(?:A(?:KI|SI)A[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|glpat-[A-Za-z0-9_-]{20,}"
    r"|xox[abepr]-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,}|[rs]k_live_[A-Za-z0-9]{24,}|[0-9a-f]{32}-us[0-9]{1,2}"
    r"|xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16}|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"
    r"|sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"
    r"|sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{40,})\b"
    r"|\bAIza[0-9A-Za-z_-]{35}(?![\w-])"
    # a Telegram bot's token, alone or in its API's URL (api.telegram.org/botID:TOKEN/sendMessage)
    r"|(?<=/bot)[0-9]{5,12}:[A-Za-z0-9_-]{30,}|(?<![\w:-])[0-9]{8,10}:AA[A-Za-z0-9_-]{31,34}(?![\w-])"
)
ACCESS_KEY_NEEDS = (
    "akia",
    "asia",
    "gh",
    "github_pat_",
    "glpat-",
    "xox",
    "xapp-",
    "_live_",
    "-us",
    "xkeysib-",
    "sg.",
    "aiza",
    "sk-",
    ":aa",
    "/bot",
)

# The start of a value of letters and digits both (one of each at least) after a password's label: not a
# variable, a path nor a call (bin2hex(...))
_LETTERS_AND_DIGITS = r"(?![$%{<*/\\(\[~.])(?![^\s\"'`,;()]*\()(?=[^\s\"'`,;()]*?[0-9])(?=[^\s\"'`,;()]*?[^\W\d_])"

# A parameter of a URL's query or fragment naming a secret, and its value (group v): a name that says so whatever its
# value (token, cron_key, securitykey, Matomo's token_auth, apikey, access_token)
_QUERY_NAMED = (
    rf"(?:[\w.-]*?(?:{_CONFIDENTIAL_WORDS}|{_CONFIDENTIAL_SHORT}|(?:cron|security|secure|auth|access|app)[_-]?key)"
    r"|token_auth)="
    r"(?P<v>(?![$%{<*\\(\[])[^\s\"'`&#;|<>]{6,})"
)
# a name that may name anything, given a value shaped like a key: key (Google's), a name ending in key (license_key,
# subscription-key, consumerKey), French's cle, OpenWeatherMap's appid, Firebase's auth; a key is 8 characters or
# more holding a digit, and a letter after a digit or a capital after a small letter (0123abcd..., AIzaSy...; not
# key=Special_Pages, key=section2024)
_QUERY_KEY_SHAPED = (
    r"(?:(?:[\w.-]*?[_.-])?(?:key|cl(?:e|é|ef))|[\w.-]*?[a-z](?-i:K)ey|app[_-]?id|auth)="
    r"(?P<v>(?![$%{<*\\(\[])(?=[^\s\"'`&#;|<>]*?[0-9])"
    r"(?=[^\s\"'`&#;|<>]*?(?:[0-9][^\W\d_]|(?-i:[a-z][A-Z])))[^\s\"'`&#;|<>]{8,})"
)

# A URL's userinfo (RFC 3986) login:password@ written without a scheme (MySQL Shell's asso:PW@db.example.org:3306),
# the password in group v: a login starting a word, not a scheme or a mail header's name before an address (mailto:,
# Return-Path:, restic's sftp:, WebFinger's acct:, xmpp:, sip:, tel:), a password of 6 characters or more holding a
# digit, a sign or a capital after a small letter (an address after a label, note:marie.dupont@example.org, holds none)
_USERINFO_AT = (
    r"(?<![\w.%+:/@-])(?!(?i:mailto|mail|e-?mail|from|to|cc|bcc|reply-to|sender|contact|return-path|errors-to"
    r"|sftp|acct|xmpp|sips?|tel):)"
    r"[\w.%+-]++:(?P<v>(?![$\s])(?=[^@\s/?#:\"'`]*?(?:[0-9]|[^\w.+@\s/?#$:\"'`-]|(?-i:[a-z][A-Z])))[^@\s/?#$:\"'`]{6,}+)@"
)

# The '@' before a host, in a line where credentials may be written before it (_USERINFO_AT)
_AT_SIGN = LazyPattern("@")
# (and the line break after it, which then ends its line: the host on the next line)
_AT_SIGN_BROKEN = LazyPattern(r"@(?:[^\S\n]*\n)?")

# USER:PASSWORD given as an option's value (curl -u, --user, -U; after '=' or blanks), the password in group v: a
# word, or in quotes holding a blank and a digit, as the shell gives it (POSIX sh, 2.2 Quoting): the quote opening
# the argument before the user (group uq: curl -u "asso:Lilas 2024!") or the password (curl -u asso:'Lilas 2024!'),
# read up to the closing one (_QUOTED_BLANK's rule); no expansion in it ("asso:$PW 2024"). USER alone makes curl
# prompt for the password: none.
_USER_COLON_PASSWORD = (
    r"[\s=]*(?:(?P<uq>[\"'])[\"']*)?[^\s:\"'$]*:[\"']*"
    r"(?P<v>(?![\s$])(?:(?(uq)(?=[^\"'\n]*?[ \t])(?=[^\"'\n]*?[0-9])[^\"'\n$`\\]{6,}+(?=[\"'])|(?!))"
    rf"|{_QUOTED_BLANK}|[^\s\"']{{6,}}))"
)

# A line of chpasswd, USER:PASSWORD, the password in group v: a word, or, the line in quotes holding a blank and a
# digit after the user (group cq: echo "marie:Lilas 2024!" | chpasswd), the rest up to the closing quote, no
# expansion in it (_QUOTED_BLANK's rule)
_CHPASSWD_LINE = (
    r"(?:(?<=[\"'])(?P<cq>)|(?<![\"']))[\w.-]+:"
    r"(?P<v>(?![\s$])(?:(?(cq)(?=[^\"'\n]*?[ \t])(?=[^\"'\n]*?[0-9])[^\"'\n:$`\\]{6,}+(?=[\"'])|(?!))"
    r"|[^\s\"':]{6,}))"
)

# Text that is a secret wherever it appears: (kind, pattern, needs); a pattern's group v, when it has
# one, is the value, which is no secret when it reads as a placeholder. ``needs``: words in lower case one
# of which any text the pattern matches holds (a program's name, a sign), so that a text holding none of
# them is not searched (tests/test_fields_fast.py checks that this changes no verdict).
_CALL_ARG = r"(?:(?>'[^'\n]*'|\\?\"[^\"\n]*\\?\"|[^,()'\"\n\\]++|\\)++,)"
# The client tools of MySQL and MariaDB (their MariaDB names too), which take --password's value only after '=':
# --password alone, or followed by a space, makes them prompt for it, and the next word is an argument of theirs (a
# database, a table, mysqladmin's command); -pVALUE only attached (MySQL 8.0 manual, "End-User Guidelines for
# Password Security"; mariadb --help: "-p, --password[=name] Password to use when connecting to server. If password
# is not given it's asked from the tty."). An option may be written shorter while it stays unambiguous (--pass).
_MYSQL_TOOLS = r"(?:mysql(?:dump|admin|import|check|show)?|mariadb(?:-(?:dump|admin|import|check|show))?)"
# Such a tool run by name (or path) in the command that ends where the text does: nothing between it and the
# end that ends a command (a line, unless continued with a backslash; ;, &, |, a subshell's or substitution's mark)
_MYSQL_TOOL_BEFORE = LazyPattern(
    rf"(?:^|(?<=[\s\"'(`;&|]))(?:/[^\s\"';&|()`]*/)?{_MYSQL_TOOLS}[ \t](?:[^\n;&|()`\\]|\\.|\\\n)*\Z"
)
_MYSQL_PROMPTING_OPTION = LazyPattern(r"--pass(?:w(?:o(?:r(?:d)?)?)?)?(?=\s)")
_MYSQL_ARGUMENT = LazyPattern(r"[a-z0-9_$]+")


def _not_a_mysql_prompt(m: re.Match[str]) -> bool:
    """False for a match of a long password option that is MySQL's or MariaDB's ``--password`` (or ``--pass``)
    followed by a space and a word written as the platform's databases and tables are (small letters, digits, '_'
    and '$': _MYSQL_ARGUMENT), given to one of their client tools (_MYSQL_TOOLS): the tool prompts for the password
    and that word is its argument, no password (``mysqldump --password amicale_db``); True for any other. A word
    holding a capital or another sign (``mysql --password S3cretPw9``) is the password the writer meant to give,
    whatever the tool makes of it: it stands in the text in clear."""
    text = m.string
    if _MYSQL_PROMPTING_OPTION.match(text, m.start()) is None or _MYSQL_ARGUMENT.fullmatch(m.group("v")) is None:
        return True
    return _MYSQL_TOOL_BEFORE.search(text[max(0, m.start() - 2000) : m.start()]) is None


# HTTP's Authorization header (RFC 9110 §11.6.2), its scheme optional in a command; in prose, where "Authorization:"
# also labels a board's or a parent's consent (Authorization: requested on 2026-03-03), only after a scheme and with a
# digit in the credentials, as base64 and tokens hold (_PROSE_AUTHORIZATION_HEADER)
_AUTHORIZATION_HEADER = (
    "an authorization header",
    _Pattern(r"(?i)\bAuthorization:\s*[\"']*(?:(?:Basic|Bearer|Token|Digest)\s+)?(?P<v>(?![\s$%{<\"'])[\w.~+/=-]{8,})"),
    ("authorization",),
)
_PROSE_AUTHORIZATION_HEADER = (
    "an authorization header",
    _Pattern(
        r"(?i)\bAuthorization:\s*[\"']*(?:Basic|Bearer|Token|Digest)\s+(?P<v>(?=[\w.~+/=-]*?[0-9])[\w.~+/=-]{8,})"
        r"(?![\w.~+/=-])",
        digit=True,
    ),
    ("authorization",),
)

_SECRET_TEXT: list[tuple[str, _Pattern, tuple[str, ...]]] = [
    (
        "a private key",
        _Pattern(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
            r"|(?s:PuTTY-User-Key-File-\d+:.*?Private-Lines:)"  # PuTTY's .ppk
        ),
        ("private key", "putty-user-key-file"),
    ),
    # a line, a shell command after ';', an entry of a JSON object or PHP array, a PHP variable
    # KEY=VALUE, KEY: VALUE (a shell assignment, YAML, JSON)
    (
        "a password assignment",
        _Pattern(rf"(?im)(?:^|[;{{,(])\s*(?:export\s+|\$)?[\"']?{_KEY}[\"']?(?:=>?|:)\s*{_VALUE}"),
        ("=", ":"),
    ),
    # KEY = VALUE, KEY => VALUE (ini, PHP, main.cf): VALUE is the rest of the line; one followed by more
    # words is a setting's list (pic_site_club_pass = check_sender_access inline:{...}), no password
    (
        "a password assignment",
        _Pattern(
            rf"(?im)(?:^|[;{{,(])\s*(?:export\s+|\$)?[\"']?{_KEY}[\"']?[ \t]+(?:=>?|:)[ \t]*"
            rf"{_VALUE}(?![^\s\"'`,;])(?![ \t]+[^\s#;])"
        ),
        ("=", ":"),
    ),
    # a shell word (env DB_PASSWORD=..., docker run -e ...), quoted too ('DB_PASSWORD=...'), or an option's value
    # (docker run --env=DB_PASSWORD=..., -e=..., systemd-run --setenv=...); HTTPie's query item, token==VALUE, too.
    # Not kubectl create secret's --from-file=password=FILE: a key, then the file it reads the value from
    (
        "a password assignment",
        _Pattern(rf"(?i)(?<=[\s\"'])(?:--(?!from-file=)[\w-]+=|-[A-Za-z]=)?{_KEY}(?:==|=(?!=)){_VALUE}"),
        ("=",),
    ),
    # a variable named for a key (KEY, LICENSE_KEY, STRIPE_KEY; a key names other things too: SORT_KEY, CACHE_KEY)
    # given a value shaped like one, as a URL's ?key=: 8 characters or more holding a digit, and a letter after a digit
    # or a capital after a small letter (abcd1234efgh; not site2024, created_at), or a licence key's groups of capitals
    # and digits (ABCD-1234-EFGH); not an option (curl --key FILE), a path (priv/web1.key, backups/x2024.sql.gz: a
    # '/' and a '.', which no key's base64 or hex holds), a variable or a call; nor a key whose name says it is no
    # secret (_PUBLIC_OR_DATA_KEY)
    (
        "a password assignment",
        _Pattern(
            rf"(?i)(?:^|(?<=[\s;(\"']))(?!(?:\w*_)?{_PUBLIC_OR_DATA_KEY}_key=)(?:\w*_)?key=[\"']*"
            r"(?P<v>(?![$%{<*/\\(\[~.])(?![^\s\"'`,;|&<>()]*\()"
            r"(?![^\s\"'`,;|&<>()]*(?:/[^\s\"'`,;|&<>()]*\.|\.[^\s\"'`,;|&<>()]*/))"
            r"(?:(?=[^\s\"'`,;|&<>()]*?[0-9])(?=[^\s\"'`,;|&<>()]*?(?:[0-9][^\W\d_]|(?-i:[a-z][A-Z])))"
            r"[^\s\"'`,;|&<>()]{8,}"
            r"|(?-i:(?=[A-Z0-9-]*[0-9])(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{4,8}(?:-[A-Z0-9]{4,8}){2,}))"
            r"(?![^\s\"'`,;|&<>()]))",
            digit=True,
        ),
        ("key",),
    ),
    (
        "a password option",
        _Pattern(
            # not an option that says there is none or asks for it (pg_dump --no-password DB, --skip-password,
            # restic --insecure-no-password, --ask-pass), nor one that acts on the password of the account
            # it names (wp-cli's --reset-password alice@example.org, --send-reset-password, --expire-password):
            # the next word is no value of it
            r"(?i)(?<![\w-])--(?!(?:[\w-]*?-)?(?:no|skip|ask|prompt|disable|without|reset|forgot|lost|expire)[_-])"
            # wp-cli's --user_pass, --dbpass (wp config create), --adminpass; Matomo's --token-auth
            # a bearer token (curl --oauth2-bearer); an option after it (--show-password --porcelain) is the next
            # option, not its value
            rf"[\w-]*?(?:{_CONFIDENTIAL_WORDS.replace('_', '[_-]')}|(?<=[_-])pass|(?<=--)(?:db|admin)pass|(?<=-)bearer"
            # Matomo's core:archive --token-auth=..., as its URLs' ?token_auth=
            r"|token[_-]auth)"
            rf"(?:=|\s+(?![\"']*-)){_VALUE}",
            valid=lambda m: not _pulumi_set_flag(m) and _not_a_mysql_prompt(m),
        ),
        ("--",),
    ),
    # -p'...', -p"...": the quotes are the shell's (and a quoted script's '"'"'), a blank in them too
    (
        "a password option",
        _Pattern(rf"\b(?:mysql|mariadb)[\w-]*\s{_ARGS}(?<=\s)-p[\"']*(?P<v>(?![\s\"'$])(?:{_QUOTED_BLANK}|\S{{6,}}))"),
        ("mysql", "mariadb"),
    ),
    # sshpass's own options come before the command it runs (getopt "+f:d:p:P:heVv": sshpass -v -p ...,
    # -vp ...); a -p after the command (ssh -p 2222) is the command's
    (
        "a password option",
        _Pattern(rf"{_COMMAND}sshpass(?:\s+-[vhVe]*[fdP]\s*[^\s-]\S*|\s+-[vhVe]+)*\s+-[vhVe]*p\s*{_VALUE}"),
        ("sshpass",),
    ),
    # redis-cli -a PASSWORD (a word of its own; --pass is read above), smbtar -p PASSWORD
    (
        "a password option",
        _Pattern(rf"{_COMMAND}(?:redis|valkey|keydb)-cli\s{_ARGS}(?<=\s)-a\s+{_VALUE}"),
        ("-cli",),
    ),
    ("a password option", _Pattern(rf"{_COMMAND}smbtar\s{_ARGS}(?<=\s)-p\s*{_VALUE}"), ("smbtar",)),
    # Samba's clients: -U|--user=[DOMAIN\]USER[%PASSWORD] (smbclient, smbget, rpcclient, net...)
    (
        "a password option",
        _Pattern(
            rf"{_COMMAND}(?:smbclient|smbget|smbcacls|smbcquotas|smbtree|rpcclient|mdsearch|net)\s{_ARGS}"
            r"(?<=\s)(?:-U|--user(?=[\s=\"']))[\s=\"']*[^\s%\"'$]*%(?P<v>(?![\s$])[^\s\"']{6,})"
        ),
        ("%",),
    ),
    # smbclient //SERVER/SHARE PASSWORD (smbclient(1): the word after the service is its password; its options may
    # come first): not an option, a variable, a redirection (2>>../log/x.log), a file's content
    (
        "a password argument",
        _Pattern(
            rf"{_COMMAND}smbclient\s{_ARGS}(?<=\s)[\"']*(?://|\\\\)[^\s\"']+[\"']*\s+(?![\"']*-)(?![0-9]*[<>&|])"
            rf"{_VALUE}"
        ),
        ("smbclient",),
    ),
    # HTTPie (http, https) and xh: --auth, -a USER:PASS; -A bearer -a TOKEN, -a TOKEN -A bearer
    (
        "a password option",
        _Pattern(rf"{_COMMAND}(?:https?|xhs?)\s{_ARGS}(?<=\s)(?:-a|--auth(?=[\s=\"'])){_USER_COLON_PASSWORD}"),
        ("-a",),
    ),
    (
        "a password option",
        _Pattern(
            rf"(?i){_COMMAND}(?:https?|xhs?)\s{_ARGS}(?<=\s)(?:-A|--auth-type)[\s=\"']*bearer\b"
            rf"{_ARGS}(?<=\s)(?:-a|--auth(?=[\s=\"']))[\s=\"']*{_VALUE}"
        ),
        ("bearer",),
    ),
    # -a TOKEN -A bearer (the first -a and its token as first read: atomic groups, not each -a of a long line
    # nor each shorter start of the token tried in turn)
    (
        "a password option",
        _Pattern(
            rf"(?i)(?>{_COMMAND}(?:https?|xhs?)\s{_ARGS}(?<=\s)(?:-a|--auth(?=[\s=\"'])))[\s=\"']*(?>{_VALUE})"
            rf"{_ARGS}(?<=\s)(?:-A|--auth-type)[\s=\"']*bearer\b"
        ),
        ("bearer",),
    ),
    # Dolibarr's scheduled jobs: scripts/cron/cron_run_jobs.php SECURITYKEY USERLOGIN
    ("a password option", _Pattern(rf"\bcron_run_jobs\.php\s+(?![\"']?-){_VALUE}"), ("cron_run_jobs.php",)),
    # a password given as an argument, by the documented syntax of: htpasswd -b (FILE USER PASSWORD, -n: USER
    # PASSWORD; options come first, a cost or rounds after -C, -r), drush user:password USER PASSWORD,
    # Symfony's FOSUserBundle fos:user:change-password USER PASSWORD and fos:user:create USER EMAIL PASSWORD,
    # security:hash-password PASSWORD; not an option (drush upwd alice --password="$(cat ...)")
    (
        "a password argument",
        _Pattern(
            rf"{_COMMAND}htpasswd(?>(?:\s+-[A-Za-z0-9]+|\s+\d+)*?\s+-[A-Za-z0-9]*?b[A-Za-z0-9]*(?:\s+-[A-Za-z0-9]+|\s+\d+)*)"
            rf"(?:\s+[\"']*[^\s\"'-][^\s\"']*){{1,2}}\s+(?![\"']*-){_VALUE}[\"']*(?=[ \t]*(?:[\n;&|)<>]|$))"
        ),
        ("htpasswd",),
    ),
    (
        "a password argument",
        _Pattern(
            rf"(?i){_COMMAND}drush\s{_ARGS}(?<=\s)(?:user:password|user-password|upwd)"
            rf"\s+[\"']*[^\s\"'-]\S*\s+(?![\"']*-){_VALUE}"
        ),
        ("drush",),
    ),
    (
        "a password argument",
        _Pattern(
            rf"(?i)(?<=[\s\"'])(?:fos:user:change-password|fos:user:create(?:\s+-\S+)*\s+[^\s-]\S*)"
            rf"(?:\s+-\S+)*\s+[\"']*[^\s\"'-]\S*\s+(?![\"']*-){_VALUE}"
        ),
        ("fos:user:",),
    ),
    (
        "a password argument",
        _Pattern(rf"(?i)(?<=[\s\"'])security:(?:hash|encode)-password\s+(?![\"']*-){_VALUE}"),
        ("security:",),
    ),
    # MediaWiki's createAndPromote USER PASSWORD (maintenance/createAndPromote.php, run.php createAndPromote)
    (
        "a password argument",
        _Pattern(
            rf"(?i)(?<=[\s\"'/])createAndPromote(?:\.php)?(?>(?:\s+-\S+)*)\s+[\"']*[^\s\"'-]\S*\s+(?![\"']*-){_VALUE}"
        ),
        ("createandpromote",),
    ),
    *_PULUMI_CONFIG_SETS,
    # mysqladmin password NEW (mariadb-admin); openssl passwd [options] PASSWORD; mosquitto_passwd -b FILE USER
    # PASSWORD; rabbitmqctl add_user|change_password|authenticate_user USER PASSWORD; ejabberdctl
    # register|change_password|check_password USER HOST PASSWORD, prosodyctl register USER HOST PASSWORD
    (
        "a password argument",
        _Pattern(rf"{_COMMAND}(?:mysql|mariadb-)admin\s{_ARGS}(?<=\s)password\s+(?![\"']*-){_VALUE}"),
        ("mysqladmin", "mariadb-admin"),
    ),
    (
        "a password argument",
        _Pattern(
            # the options as read (an atomic group: -salt's value is no password); -stdin, -in FILE leave none
            rf"{_COMMAND}openssl\s+passwd"
            r"(?>(?:\s+-(?:salt|in|rand|writerand|provider|provider-path|propquery)\s+\S+|\s+-\S+)*)"
            rf"\s+(?![\"']*-){_VALUE}"
        ),
        ("openssl",),
    ),
    (
        "a password argument",
        _Pattern(
            rf"{_COMMAND}mosquitto_passwd(?>(?:\s+-[A-Za-z]*[HI]\s+\S+|\s+-[A-Za-z]+)*?\s+-[A-Za-z]*b[A-Za-z]*"
            r"(?:\s+-[A-Za-z]*[HI]\s+\S+|\s+-[A-Za-z]+)*)"
            rf"(?:\s+[\"']*[^\s\"'-][^\s\"']*){{2}}\s+(?![\"']*-){_VALUE}"
        ),
        ("mosquitto_passwd",),
    ),
    (
        "a password argument",
        _Pattern(
            rf"{_COMMAND}(?:rabbitmqctl\s{_ARGS}(?<=\s)(?:add_user|change_password|authenticate_user)"
            rf"|(?:ejabberdctl\s{_ARGS}(?<=\s)(?:register|change_password|check_password)"
            rf"|prosodyctl\s{_ARGS}(?<=\s)register)\s+[\"']*[^\s\"'-]\S*)"
            rf"\s+[\"']*[^\s\"'-]\S*\s+(?![\"']*-){_VALUE}"
        ),
        ("rabbitmqctl", "ejabberdctl", "prosodyctl"),
    ),
    # the commands an FTP client reads (ftp, pftp, lftp): user NAME PASSWORD [ACCOUNT] (ftp -n's login; not an
    # anonymous one, whose password is an address), quote|literal PASS PASSWORD; in a here-document given to it,
    # in the lines piped to it (echo, printf's lines, a group), in lftp's -e or -c commands
    (
        "a password argument",
        _Pattern(
            rf"(?i){_COMMAND}[lp]?ftp(?:[ \t][^\n]{{0,200}}?)?<<-?[ \t]*[\"']?(?P<d>[\w.-]++)[\"']?[^\n]{{0,200}}+\n"
            rf"(?:(?![ \t]*(?P=d)[ \t]*\n)[^\n]{{0,200}}+\n){{0,30}}?[ \t]*{_FTP_LOGIN}"
        ),
        ("ftp",),
    ),
    (
        "a password argument",
        _Pattern(
            rf"(?i)(?:(?<=[\"'(;])|(?<=\\n)|(?<=echo[ \t]))[ \t]*{_FTP_LOGIN}"
            rf"(?=[^\n|]{{0,400}}+\|(?!\|)&?[ \t]*{_PATH}[lp]?ftp(?![\w.:/-]))"
        ),
        ("ftp",),
    ),
    (
        "a password argument",
        _Pattern(rf"(?i){_COMMAND}lftp[ \t][^\n|]{{0,400}}?(?:[\"';]|\\n)[ \t]*{_FTP_LOGIN}"),
        ("ftp",),
    ),
    # expect sending a password at a password's prompt: expect "*assword:*" then send "PASSWORD\r" (on the next
    # line, after a ';', in the prompt's branch { send ... })
    (
        "a password sent by expect",
        _Pattern(
            r"(?i:assword|passphrase)[^\n\"'{};]{0,100}+[\"'}]?[ \t]*(?:[{;][ \t]*|\n[ \t]*|\\n[ \t]*)*+"
            r"send(?:[ \t]+(?:--|-[a-z]+|-i[ \t]+\S+))*[ \t]+[\"{]?(?P<v>(?![$\[\\])[^\s\"{}\\$\[]{6,})\\[rn]"
        ),
        ("send",),
    ),
    # unixODBC's isql|iusql DSN [USER [PASSWORD]] (options anywhere, their values attached)
    (
        "a password argument",
        _Pattern(
            rf"{_COMMAND}iu?sql(?>(?:\s+-\S+)*)\s+[\"']*[^\s\"'-][^\s\"']*[\"']*(?>(?:\s+-\S+)*)"
            rf"\s+[\"']*[^\s\"'-][^\s\"']*[\"']*(?>(?:\s+-\S+)*)\s+(?![\"']*-){_VALUE}"
        ),
        ("isql", "iusql"),
    ),
    # rclone obscure PASSWORD (- reads it on the standard input); rclone config create|update NAME [TYPE] KEY VALUE
    # with a KEY naming a secret (pass, password2, client_secret, token, key...), rclone config password NAME KEY
    # VALUE or KEY=VALUE (each value a password, written in clear)
    (
        "a password argument",
        _Pattern(
            rf"{_COMMAND}rclone\s{_ARGS}(?<=\s)(?:obscure|config\s+(?:(?:create|update)\s{_ARGS}(?<=\s)[\"']*"
            rf"(?:{_KEY}\d*|key)[\"']*\s|password\s+[\"']*[^\s\"'-]\S*\s+[\"']*[^\s\"'=-][^\s\"'=]*(?:[\"']*\s|=)))"
            rf"\s*(?![\"']*-){_VALUE}"
        ),
        ("rclone",),
    ),
    # docker login -p PASSWORD (podman's, buildah's, skopeo's, nerdctl's, helm registry login's); Java's keytool and
    # jarsigner -storepass, -keypass (-srcstorepass...), -new PASSWORD (not -storepass:env VAR, :file FILE)
    (
        "a password option",
        _Pattern(
            rf"{_COMMAND}(?:(?:docker|podman|buildah|skopeo|nerdctl)\s+|helm\s+registry\s+)login\s{_ARGS}(?<=\s)-p"
            rf"\s*(?![\"']*-){_VALUE}"
        ),
        ("login",),
    ),
    (
        "a password option",
        _Pattern(
            rf"{_COMMAND}(?:keytool|jarsigner)\s{_ARGS}(?<=\s)-(?:(?:src|dest)?(?:store|key)pass|new)\s+(?![\"']*-){_VALUE}"
        ),
        ("keytool", "jarsigner"),
    ),
    # Oracle's sqlplus USER/PASSWORD[@DATABASE]; MEGAcmd's mega-login EMAIL PASSWORD
    (
        "a password argument",
        _Pattern(rf"{_COMMAND}sqlplus(?:\s+-\S+)*\s+[\"']*[^\s/@\"'-][^\s/@\"']*/(?P<v>(?![$\s])[^\s@\"'/]{{6,}})"),
        ("sqlplus",),
    ),
    (
        "a password argument",
        _Pattern(rf"{_COMMAND}mega-login(?:\s+-\S+)*\s+[\"']*[^\s\"'-]\S*\s+(?![\"']*-){_VALUE}"),
        ("mega-login",),
    ),
    # (an argument of a call, the ',' after it: in quotes, \" in a shell's double quotes, or anything but a bracket)
    # a password as a literal argument of a database's or a server's connector called in a script given inline
    # (php -r, python3 -c, perl -e): PHP's mysqli_connect(HOST, USER, PASSWORD...), new mysqli(...), mysql_connect,
    # mysqli_real_connect(LINK, HOST, USER, PASSWORD), new PDO(DSN, USER, PASSWORD), ftp_login(FTP, USER, PASSWORD),
    # ssh2_auth_password(SSH, USER, PASSWORD), ldap_bind(LDAP, DN, PASSWORD), imap_open(MAILBOX, USER, PASSWORD);
    # Perl's DBI->connect(DSN, USER, PASSWORD); Python's pymysql.connect(HOST, USER, PASSWORD) (MySQLdb's,
    # mariadb's, mysql.connector's) and a client's .login(USER, PASSWORD) (ftplib, smtplib, imaplib). The password
    # in quotes, holding no variable ("$pw" in PHP's double quotes is one); not a call nor a variable
    # (getenv('DB_PASSWORD'), $pw: each argument before it holds no bracket).
    (
        "a password argument",
        _Pattern(
            r"(?i)(?:\b(?:mysqli_connect|mysql_p?connect|new\s+\\?mysqli|new\s+\\?pdo|dbi\s*->\s*connect(?:_cached)?"
            r"|(?:pymysql|mysqldb|mariadb|mysql\.connector)\.connect|ftp_login|ssh2_auth_password|ldap_bind|imap_open)"
            rf"\s*\({_CALL_ARG}{{2}}|\bmysqli_real_connect\s*\({_CALL_ARG}{{3}}"
            rf"|(?:\.|->)login\s*\({_CALL_ARG}"
            # PHP 8's named arguments, in any order (php.net: Function arguments, "Named Arguments")
            rf"|\b(?:mysqli_connect|mysql_p?connect|new\s+\\?mysqli|new\s+\\?pdo|pdo::connect|mysqli_real_connect"
            rf"|ftp_login|ssh2_auth_password|ldap_bind|imap_open)\s*\({_CALL_ARG}{{0,6}}?[^\S\n]*password[^\S\n]*:(?!:))"
            r"[^\S\n]*(?P<q>'|\\?\")(?P<v>(?![^'\"\n]*\$)[^'\"\n\\]{6,})(?P=q)[^\S\n]*[,)]"
        ),
        ("connect", "pdo", "mysqli", "login", "ldap_bind", "imap_open", "ssh2_auth"),
    ),
    # InfluxDB's influx -password PASSWORD (1.x, options of one dash), -t TOKEN (2.x)
    (
        "a password option",
        _Pattern(rf"{_COMMAND}influx\s{_ARGS}(?<=\s)-(?:password|t)(?:=|\s+)(?![\"']*-){_VALUE}"),
        ("influx",),
    ),
    # CiviCRM's bin/cli.php -u USER -p PASSWORD -e Job -a execute (its scheduled jobs)
    (
        "a password option",
        _Pattern(
            rf"{_COMMAND}cli\.php\s(?=[^\n|;&]{{0,300}}?\s-e\s*[\"']*Job\b){_ARGS}(?<=\s)-p\s*(?![\"']*-){_VALUE}"
        ),
        ("cli.php",),
    ),
    # a setting named like a password given its value: wp config set DB_PASSWORD ..., wp option update|add
    # mailserver_pass ..., occ config:system:set|config:app:set APP mail_smtppassword --value=..., drush
    # config:set|cset CONFIG smtp_password ..., state:set|sset KEY ..., aws configure set aws_secret_access_key ...
    (
        "a password setting",
        _Pattern(
            r"(?i)(?<![\w:-])(?:(?:config(?:ure)?|option)\s+(?:set|update|add)|config:(?:system:|app:)?set|cset|state:set|sset)"
            # the name: the first or second word (drush cset CONFIG NAME, occ config:app:set APP NAME), options
            # around; then its value, or occ's --type=... --value=...
            r"(?>(?:\s+-\S+)*)(?:\s+[\"']*[^\s\"'-][^\s\"']*)?(?>(?:\s+-\S+)*)"
            # (the name a word of its own, its quotes closed after it: not blogname 'Pass Culture Lyon')
            rf"\s+(?P<q>[\"']+)?{_KEY}(?(q)[\"']+)(?:\s+--type[=\s]+\S+)?\s+(?:--value(?:=|\s+))?(?![\"']*-){_VALUE}"
        ),
        ("set", "option"),
    ),
    # openssl enc's -k PASSWORD, -K KEY (hex); Grav's bin/plugin login new-user|change-password -p PASSWORD
    ("a password option", _Pattern(rf"{_COMMAND}openssl\s{_ARGS}(?<=\s)-[kK]\s+{_VALUE}"), ("openssl",)),
    (
        "a password option",
        _Pattern(rf"{_COMMAND}plugin\s+login\s{_ARGS}(?<=\s)-p\s*(?![\"']*-){_VALUE}"),
        ("plugin",),
    ),
    # openssl enc -pass pass:..., -passin/-passout pass:...; zip -P ...; 7z -p...; lftp -u user,...
    ("a password option", _Pattern(rf"(?<![\w-])-pass(?:in|out)?\s+[\"']*pass:{_VALUE}"), ("pass:",)),
    # the program, not a word ending a file name or URL (a.zip -P imports/: wget's directory) nor a number (+7);
    # -P alone or last of a cluster of short options (zip -rP ..., unzip -qoP...)
    (
        "a password option",
        _Pattern(rf"{_COMMAND}(?:un)?zip\s{_ARGS}(?<=\s)-[A-Za-z0-9]{{0,20}}?P\s*{_VALUE}"),
        ("zip",),
    ),
    # 7-Zip's and RAR's -pPASSWORD (rar's -p- says none)
    (
        "a password option",
        _Pattern(rf"{_COMMAND}(?:7z[ar]?|(?:un)?rar)\s{_ARGS}(?<=\s)-p[\"']*{_VALUE}"),
        ("7z", "rar"),
    ),
    # ssh-keygen's new and old passphrases: -N ..., -P ... (-N '' is none)
    (
        "a password option",
        _Pattern(rf"{_COMMAND}ssh-keygen\s{_ARGS}(?<=\s)-[NP]\s*(?![\"']*-){_VALUE}"),
        ("ssh-keygen",),
    ),
    (
        "a password option",
        _Pattern(rf"\blftp\b{_ARGS}\s-u\s+[\"']*[^\s,\"'$]*,(?P<v>(?![\s$])[^\s\"']{{6,}})"),
        ("lftp",),
    ),
    (
        "a password option",
        _Pattern(rf"\b(?:curl|wget)\b{_ARGS}\s(?:-u|--(?:proxy-)?user(?=[\s=\"'])){_USER_COLON_PASSWORD}"),
        ("curl", "wget"),
    ),
    # curl's -U USER:PASS, the proxy's (wget's -U is its user agent)
    (
        "a password option",
        _Pattern(rf"\bcurl\b{_ARGS}\s-U{_USER_COLON_PASSWORD}"),
        ("curl",),
    ),
    # Dovecot's doveadm pw -p PASSWORD, MIT Kerberos' kadmin -w PASSWORD, SQL Server's sqlcmd, bcp, osql -P
    # PASSWORD, Sybase's isql and fisql, FreeTDS's tsql -P PASSWORD
    (
        "a password option",
        _Pattern(
            rf"{_COMMAND}(?:doveadm\s+pw\s{_ARGS}(?<=\s)-p|kadmin(?:\.local)?\s{_ARGS}(?<=\s)-w"
            rf"|(?:sqlcmd|bcp|osql|f?isql|tsql)\s{_ARGS}(?<=\s)-P)\s*(?![\"']*-){_VALUE}"
        ),
        ("doveadm", "kadmin", "sqlcmd", "bcp", "osql", "isql", "tsql"),
    ),
    # OpenLDAP's clients: -w PASSWORD (-W asks for it, -y reads a file); ldappasswd's -a OLD, -s NEW;
    # MongoDB's tools and ncftp's: -p PASSWORD
    ("a password option", _Pattern(rf"{_COMMAND}ldap[a-z]*\s{_ARGS}(?<=\s)-x?w\s*{_VALUE}"), ("ldap",)),
    (
        "a password option",
        _Pattern(rf"{_COMMAND}ldappasswd\s{_ARGS}(?<=\s)-[as]\s*{_VALUE}"),
        ("ldappasswd",),
    ),
    (
        "a password option",
        _Pattern(rf"{_COMMAND}(?:mongo[a-z]*|ncftp[a-z]*)\s{_ARGS}(?<=\s)-p\s*{_VALUE}"),
        ("mongo", "ncftp"),
    ),
    # USER:PASSWORD lines of chpasswd (chgpasswd: GROUP:PASSWORD), piped, in a here-string or a here-document
    (
        "a password for chpasswd",
        _Pattern(rf"(?<![\w.-]){_CHPASSWD_LINE}[\"']?\s*\|\s*(?:sudo\s+)?chg?passwd"),
        ("chpasswd", "chgpasswd"),
    ),
    (
        "a password for chpasswd",
        _Pattern(
            rf"{_COMMAND}chg?passwd(?![\w.-])[^\n|;&]{{0,200}}?"
            r"<<(?:<[ \t]*|-?[ \t]*[\"']?[\w.-]++[\"']?[^\n]{0,200}+\n[ \t]*)"
            rf"[\"']*{_CHPASSWD_LINE}"
        ),
        ("chpasswd", "chgpasswd"),
    ),
    # a password written to the standard input of a program that reads it there (echo PW | mysql -p,
    # printf '%s' PW | docker login --password-stdin, yes PW | passwd): one word, which SQL given to mysql is
    # not; twice or three times the same word (printf '%s\n%s\n' PW PW | passwd, which asks for it again), or
    # lines of it (printf 'PW\nPW\n'); or lines written one by one in a group: (echo OLD; echo NEW; echo NEW) |
    # passwd, { echo PW; echo PW; } | ... (one pattern: the readers' expression, the longest here, compiled once)
    (
        "a password piped to a program",
        _reading(
            # yes run as a program (the lookbehind after the word: tried only where the word is)
            r"(?P<g>[({][ \t]*)?"
            rf"(?:\becho(?:\s+-[neE]+)*|yes(?<![^\s/;&|(`\"']yes)|\bprintf(?:\s+--)?(?:\s+[\"']*(?:%s(?:\\n)?){{1,3}}[\"']*)?"
            # cat given the word as a here-string writes it as echo does (cat <<< PW | passwd --stdin)
            r"|\bcat[ \t]*<<<)"
            rf"\s+[\"']*{_STDIN_WORD}[\"']*"
            rf"(?(g)(?:\s*;\s*{_ECHO}\s+[\"']*[^\s\"'`,;|&<>()]+[\"']*){{0,2}}\s*;?\s*[)}}]|(?:\s+[\"']*(?P=v)[\"']*){{0,2}})"
            # its standard error sent elsewhere (2>/dev/null, 2>&1)
            r"(?:\s*[2-9]>>?(?:&[0-9-]|[^\s|;&<>]+))*"
            rf"{_PIPED}{_STDIN_READER}"
        ),
        ("echo", "yes", "printf", "cat"),
    ),
    # a here-string (mysql -p <<< PW), or a here-document whose first line is one word (passwd <<EOF, then the
    # password twice; mysql -p <<EOF, which reads its first line as the password where no terminal is, as in a
    # job, and the rest as SQL: a first line SELECT, the columns below it, is none), given to a program that
    # reads a password on its standard input (one pattern: the readers' expression compiled once for both)
    (
        "a password piped to a program",
        _reading(
            # the reader as first found (an atomic group: not each -p of a long line tried in turn); bash's
            # $'...' quotes too
            # its output sent elsewhere between (2>&1, &>/dev/null)
            # the rest of the string it starts, run by a shell (sh -c 'kinit alice; klist' <<< PW)
            rf"(?>{_STDIN_READER}){_STRING_REST}(?:{_ARGS}(?:[0-9]*>&[0-9-]|&>>?)){{0,4}}?{_ARGS}<<(?:<\s*(?:\$(?='))?(?P<q>[\"']+)?"
            rf"|(?!<)-?[ \t]*[\"']?[\w.-]++[\"']?[^\n]{{0,200}}+\n[ \t]*(?P<h>)(?!(?i:{_SQL_WORDS})[ \t]*(?:\n|$)))"
            rf"{_STDIN_WORD}"
            # a here-document's line holds it alone; quoted, the quotes end the word (as in a quoted script's
            # '"'"'...'"'"'): 'SELECT 1' is no word
            r"(?(h)[ \t]*(?=\n|$)|(?(q)[\"']+(?=[\s;&|)]|$)|(?=[\s;&|)\"']|$)))"
        ),
        ("<<",),
    ),
    (
        "a PHP password constant",
        _Pattern(r"(?i)['\"]\w*PASSWORD['\"]\s*,\s*['\"](?P<v>[^'\"$]{6,})['\"]"),
        ("password",),
    ),
    (
        "an SQL password",
        _Pattern(r"(?i)\bIDENTIFIED\s+(?:(?:WITH|VIA)\s+\S+\s+)?BY\s+(['\"])(?P<v>(?![$%{<])(?:(?!\1).){6,})\1"),
        ("identified",),
    ),
    (
        "an SQL password",
        _Pattern(r"(?i)\bPASSWORD\s*\(\s*(['\"])(?P<v>(?![$%{<])(?:(?!\1).){6,})\1\s*\)"),
        ("password",),
    ),
    # PostgreSQL's CREATE|ALTER USER|ROLE NAME [WITH] [options] PASSWORD '...'; MySQL's SET PASSWORD [FOR
    # ACCOUNT] = '...' (PASSWORD('...') is read above)
    (
        "an SQL password",
        _Pattern(
            r"(?i)\b(?:(?:CREATE|ALTER)\s+(?:USER|ROLE)(?:\s+\S+){1,12}?\s+PASSWORD|SET\s+PASSWORD(?:\s+FOR\s+\S+)?\s*=)"
            # the quotes as the job's script quotes them too ('"'"'...'"'"')
            r"\s*[\"']+(?P<v>(?![$%{<:])[^\"'\n]{6,})[\"']"
        ),
        ("create", "alter", "set"),
    ),
    # a .netrc's entry: machine HOST (or default) login USER password PASSWORD (curl --netrc, ftp, git)
    (
        "a password in a .netrc entry",
        _Pattern(rf"(?i)\b(?:machine\s+\S+|default)\s+(?:login\s+\S+\s+)?password\s+{_VALUE}"),
        ("machine", "default"),
    ),
    # a URL's fragment, read as its query is (below): OAuth's answer to a page, #access_token=..., #id_token=... (after
    # other parameters too: #state=x&access_token=...), a page's own #token=...
    (
        "a secret in a URL's fragment",
        _Pattern(rf"(?i)#(?:[^\s\"'`#;|<>]{{0,300}}?&)?{_QUERY_NAMED}"),
        ("#",),
    ),
    (
        "a secret in a URL's fragment",
        _Pattern(rf"(?i)#(?:[^\s\"'`#;|<>]{{0,300}}?&)?{_QUERY_KEY_SHAPED}", digit=True),
        ("#",),
    ),
    # a URL's query (cron.php?token=..., ?cron_key=..., ?securitykey=..., Matomo's ?token_auth=..., ?apikey=...,
    # &access_token=...)
    ("a secret in a URL's query", _Pattern(rf"(?i)[?&]{_QUERY_NAMED}"), ("=",)),
    # a name that may name anything, given a value shaped like a key (_QUERY_KEY_SHAPED)
    ("a secret in a URL's query", _Pattern(rf"(?i)[?&]{_QUERY_KEY_SHAPED}", digit=True), ("=",)),
    # Joomla's web cron, ?plugin=RunSchedulerWebcron&...&hash=KEY, the two in either order
    (
        "a secret in a URL's query",
        _Pattern(
            r"(?i)[?&]plugin=RunSchedulerWebcron\b[^\s\"'`#;|<>]{0,300}?&hash="
            r"(?P<v>(?![$%{<*\\(\[])[^\s\"'`&#;|<>]{6,})"
        ),
        ("runschedulerwebcron",),
    ),
    (
        "a secret in a URL's query",
        _Pattern(
            # the key as read (possessive: not each shorter start tried against the rest)
            r"(?i)[?&]hash=(?P<v>(?![$%{<*\\(\[])[^\s\"'`&#;|<>]{6,}+)"
            r"(?=[^\s\"'`#;|<>]{0,300}?&plugin=RunSchedulerWebcron\b)"
        ),
        ("runschedulerwebcron",),
    ),
    # a label among other words: a word naming a password alone (pass, password, passwd, pwd, pw, pswd, French mdp
    # and mot de passe, secret, token), then ':' or '=' and a value that reads as a password (a member's name Club
    # pass: S3cretPw9; not Les Pass'sport: 2024, Jardin secret: Saison2). A label that names nothing but a password
    # (password, passwd, passphrase, pwd, pw, pswd, mdp, mot de passe) takes any value of letters and digits (Club
    # passwd: Azerty123), but a word then a year (Théâtre mdp: Édition2024); pass, secret and token, which name other
    # things too (Pass Culture, Jardin secret), a digit, and a letter after a digit or a capital after a small letter
    # (S3cret, abc123xyz, Pw9; not Saison2, Lyon2024). No call (bin2hex(...)).
    (
        "a password assignment",
        _Pattern(
            # (first its first letters: a position holding none is left at once)
            rf"(?i)(?=[pm])(?<![\w'’.-]){_PASSWORD_ONLY}[ \t]*[:=][ \t]*[\"']*"
            rf"(?P<v>{_LETTERS_AND_DIGITS}(?![^\W\d_]+(?:19|20)[0-9]{{2}}(?![^\s\"'`,;()]))[^\s\"'`,;()]{{6,}})",
            digit=True,
        ),
        ("pass", "pw", "pswd", "mdp"),
    ),
    (
        "a password assignment",
        _Pattern(
            r"(?i)(?=[pst])(?<![\w'’.-])(?:pass|secret|token)[ \t]*[:=][ \t]*[\"']*"
            r"(?P<v>(?![$%{<*/\\(\[~.])(?![^\s\"'`,;()]*\()(?=[^\s\"'`,;()]*?[0-9])"
            r"(?=[^\s\"'`,;()]*?(?:[0-9][^\W\d_]|(?-i:[a-z][A-Z])))[^\s\"'`,;()]{6,})",
            digit=True,
        ),
        ("pass", "secret", "token"),
    ),
    # a header that carries a credential (curl -H 'X-Api-Key: ...', --header 'PRIVATE-TOKEN: ...', X-Auth-Key),
    # after curl's short options bundled too (-sH, -fsSH: curl(1), OPTIONS), not any header naming a key
    # (X-Cache-Key, Idempotency-Key)
    (
        "an authorization header",
        _Pattern(
            r"(?i)(?<![\w-])(?:-H|(?-i:-[a-zA-Z]+H)|--header)[\s=\"']*[\w-]*?"
            rf"(?:{_CONFIDENTIAL_WORDS.replace('_', '[_-]?')}|(?<![a-z0-9])(?:auth|access|app)-?key):[ \t]*"
            r"(?P<v>(?![\s$%{<\"'])[\w.~+/=-]{8,})"
        ),
        ("-h", "curl"),
    ),
    # a session cookie (a browser's "copy as cURL"): -H 'Cookie: ...', curl's -b|--cookie NAME=VALUE (without =, a
    # file), the cookie among others; a name holding sess, logged_in, token, auth (not author), remember,
    # passphrase (PHPSESSID, wordpress_logged_in_..., laravel_session, Drupal's SESS..., nc_session_id); not an
    # anti-forgery token (XSRF-TOKEN, csrftoken), sent beside the session cookie, which is found after it
    (
        "a session cookie",
        _Pattern(
            r"(?i)(?:(?<![\w-])(?:-H|--header)[\s=\"']*Cookie:[ \t]*"
            rf"|\bcurl\b{_ARGS}\s(?:-b|--cookie)(?:=|\s+)[\"']*)"
            r"(?:[^\s=;\"']+=[^\s;\"']*;[ \t]*)*?"
            rf"(?=[^\s=;\"']{{0,200}}?(?:sess|logged_in|token{_NOT_CSRF}|auth(?!or)|remember|passphrase))(?>[^\s=;\"']+)="
            r"(?P<v>(?![$%{<])[^\s;\"'$]{8,})"
        ),
        ("cookie", "curl"),
    ),
    # HTTPie's and xh's header items, NAME:VALUE: the same headers
    (
        "an authorization header",
        _Pattern(
            rf"(?i){_COMMAND}(?:https?|xhs?)\s{_ARGS}(?<=[\s\"'])(?=[\w-]+:)[\w-]*?"
            rf"(?:{_CONFIDENTIAL_WORDS.replace('_', '[_-]?')}|(?<![a-z0-9])(?:auth|access|app)-?key):[\"']*"
            r"(?P<v>(?![\s$%{<\"'])[\w.~+/=-]{8,})"
        ),
        ("http", "xh"),
    ),
    # user:password@ before the host, the scheme in either case (HTTPS://, FTP://): none of / ? # in them
    # (https://x.org:8443?to=a@b.org is a port, a query); the user may be empty (redis://:password@host), then the
    # password holds no colon (cvs's :pserver:user@host is a method and a user); the colon may be percent-encoded,
    # once or more (user%3Apassword@, %253A: RFC 3986 §2.1), as no login name holds one and curl decodes it; a note's
    # line may break before the '@' (sftp://marie:Lilas2024x⏎@sftp.asso.org), as it may after it
    (
        "credentials in a URL",
        _Pattern(
            r"(?i)(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://(?:[^/?#\s:@]+:|:(?=[^@\s/?#$:]{6,}@)|[^/?#\s:@]*?%(?:25)*3a)"
            r"(?P<v>[^@\s/?#$]{6,}+)(?:[^\S\n]*\n[^\S\n]*)?@"
        ),
        ("://",),
    ),
    # user:password@host without a scheme (MySQL Shell's asso:PW@db.example.org:3306, lftp's open asso:PW@host):
    # _USERINFO_AT, then a host name holding a dot, localhost, the web hosts' database endpoint pic-db, or any name
    # before a port (db:3306; not an image's digest, php:8.2-cli@sha256:...). Prose reads it before fewer hosts
    # (_PROSE_TEXT), where a label then an address (Inscriptions:benevoles2026@asso.org) is as likely.
    (
        "credentials before a host name",
        _Pattern(
            rf"{_USERINFO_AT}"
            r"(?:localhost|pic-db|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[A-Za-z][A-Za-z0-9-]*(?=:[0-9]{1,5}(?![\w.:-])))"
            r"(?![\w.-]*@)",
            # (searched only in the lines holding an '@': re tries the login's start at every place of a text)
            gate=_AT_SIGN,
        ),
        # (the ':' between the login and the password, which _USERINFO_AT needs: every address holds an '@')
        (":",),
    ),
    # a chat's incoming webhook, whose URL is its secret (a job's "tell us it failed"): Slack's
    # hooks.slack.com/services/T.../B.../TOKEN (its workflows' /triggers/T.../ID/TOKEN, /workflows/...), Discord's
    # /api/webhooks/ID/TOKEN, Mattermost's /hooks/ID (26 letters and digits, a digit among them), Rocket.Chat's
    # /hooks/ID/TOKEN, Microsoft Teams' .webhook.office.com/webhookb2/.../IncomingWebhook/KEY/... and its
    # workflows' ...logic.azure.com/workflows/...?...&sig=SIGNATURE
    (
        "a webhook URL",
        _Pattern(
            r"(?i)\bhooks\.slack\.com/(?:services|triggers|workflows)/[A-Z0-9]+/[A-Z0-9]+/(?P<v>[A-Za-z0-9]{16,})"
        ),
        ("hooks",),
    ),
    (
        "a webhook URL",
        _Pattern(r"(?i)/IncomingWebhook/(?P<v>[0-9a-f]{32})/"),
        ("incomingwebhook",),
    ),
    (
        "a webhook URL",
        _Pattern(r"(?i)\.logic\.azure\.com(?::443)?/workflows/[^\s?#\"']+\?[^\s#\"']*?(?<=[?&])sig=(?P<v>[\w%-]{20,})"),
        ("logic.azure",),
    ),
    ("a webhook URL", _Pattern(r"/api/webhooks/\d+/(?P<v>[\w-]{30,})"), ("hooks",)),
    (
        "a webhook URL",
        _Pattern(r"/hooks/(?P<v>(?=[a-z]{0,25}[0-9])[a-z0-9]{26}(?:/[A-Za-z0-9]{20,})?)(?![\w.~%-])", digit=True),
        ("hooks",),
    ),
    # a cron monitor's ping URL, whose path is the check's secret (whoever reads it can report the job done and hide
    # its failures; Healthchecks' author: "treat each ping URL as a secret"): Healthchecks' hc-ping.com/UUID or
    # /PING_KEY/SLUG, its /ping/... where it runs at home, Checkly's ping.checklyhq.com/UUID; Uptime Kuma's
    # /api/push/TOKEN, Better Stack's /api/v1/heartbeat/TOKEN, Cronitor's cronitor.link/p/KEY/, Dead Man's Snitch's
    # nosnch.in/TOKEN. Not a placeholder (hc-ping.com/your-uuid-here), nor a UUID in another path
    (
        "a monitoring ping URL",
        _Pattern(
            r"(?i)(?:\bhc-ping\.com/|/ping/|\bping\.checklyhq\.com/)"
            r"(?P<v>[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(?![\w-])|[\w-]{22}(?=/[\w-]))"
        ),
        ("hc-ping", "/ping/", "checklyhq"),
    ),
    (
        "a monitoring ping URL",
        _Pattern(
            r"(?:/api/push/|/api/v1/heartbeat/(?=[A-Za-z0-9]{16})|(?i:\bcronitor\.link)/p/(?=[A-Za-z0-9]{16,}/)"
            r"|(?i:\bnosnch\.in)/(?=[0-9a-f]{10}(?![\w-])))"
            # a random token holds a digit or a capital, which a word of the member's own path does not
            # (/api/push/notifications.php, /api/push/subscriptions)
            r"(?P<v>(?=[a-z]*[0-9A-Z])[A-Za-z0-9]{8,})(?![\w-])"
        ),
        ("/api/push/", "heartbeat", "cronitor", "nosnch"),
    ),
    # Drupal's cron URL, https://SITE/cron/KEY: a random key of 43 or more letters, digits, - and _ (a digit
    # among them), which no word of a path or a script's name is
    (
        "a cron key in a URL",
        _Pattern(r"(?i)/cron/(?P<v>(?=[a-z_-]*[0-9])[a-z0-9_-]{43,})(?![a-z0-9_.~%-])", digit=True),
        ("/cron/",),
    ),
    _AUTHORIZATION_HEADER,
    ("an access key", _Pattern(ACCESS_KEY), ACCESS_KEY_NEEDS),
]
# Input names whose value is a secret when it is a non-empty literal.
_SECRET_NAME = LazyPattern(
    rf"(?i)(?:(?:^|[_.-]|(?<=[a-z])){_CONFIDENTIAL_WORDS}|{_CONFIDENTIAL_SHORT}|{_CONFIDENTIAL_NAMES})$"
)
# Base64 long enough to hold a key's first line, or an assignment.
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}")


# The escapes printf's format and dash's echo write as a tab or a line break (\t, \n, \v, \f, \r, and their octal
# forms: printf's \NNN, echo's \0NNN): printf '[client]\npassword=...' > my.cnf writes the password on a line
# of its own, where the program that reads the file finds it
_ESCAPED_BREAK = re.compile(r"\\(?:[ntvfr]|0{0,2}1[1-5])")


def _decoded(value: str) -> Iterator[str]:
    """The text of each base64 run in ``value`` (``base64 -d`` of a key, say)."""
    for m in _BASE64.finditer(value):
        run = m.group(0).rstrip("=")
        try:
            data = base64.b64decode(run[: len(run) // 4 * 4], validate=True)
        except ValueError:
            continue
        yield data.decode("latin-1")


# The characters outside ASCII that re, ignoring case, matches with an ASCII letter: İ and the dotless ı
# (i), the long s (s), the Kelvin sign (k).
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _folded(text: str) -> str:
    """``text`` in lower case, with the letters re reads as ASCII ones when ignoring case folded to them: the text
    the words a pattern needs are looked for in. (Translating only a text holding one: translate costs more than
    the search.)"""
    if not text.isascii() and _FOLDED_SIGN.search(text) is not None:
        text = text.translate(_ASCII_FOLD)
    return text.lower()


def _text_kind(value: str) -> str | None:
    # the text in which the words each pattern needs are looked for: whatever a pattern reads as an ASCII
    # letter, in either case, is that letter in lower case here
    folded = _folded(value)
    digit = _DIGIT.search(value) is not None
    for kind, pattern, needs in _SECRET_TEXT:
        if pattern.digit and not digit:
            continue
        if needs:  # (a loop: a generator made for each pattern and text cost more than the look itself)
            for word in needs:
                if word in folded:
                    break
            else:
                continue
        for m in pattern.finditer(value):
            found = m.groupdict().get("v")
            if found is None or not _PLACEHOLDER.match(found):
                return kind
    return None


# What gives a value found its name, just before it: a long option (--token-auth=, --api-key followed by a space),
# a variable (DB_PASSWORD=, export X=, env X=, --env=X=)
_HOLDER = LazyPattern(
    r"(?:(?<![\w-])(?P<o>--[A-Za-z][\w.-]*)(?P<s>=|[ \t]+)|(?<![^\s;&|(\"'=])(?P<n>[A-Za-z_]\w*)=)[\"']*\Z"
)


def secret_holder(value: str) -> tuple[str, str] | None:
    """The long option or the variable given the first secret :func:`secret_kind` finds in ``value``, as written
    (``--token-auth``, ``DB_PASSWORD``), and what separates it from the value ('=' or a space); None when the
    secret is given otherwise (a URL, a program's argument, a short option such as mysql's ``-pPW``) or none is
    found."""
    for _kind, pattern, _needs in _SECRET_TEXT:
        for m in pattern.finditer(value):
            found = m.groupdict().get("v")
            if found is None or _PLACEHOLDER.match(found):
                continue
            holder = _HOLDER.search(value, m.start(), m.start("v"))
            if holder is None:
                return None
            if holder.group("o"):
                return holder.group("o"), "=" if holder.group("s") == "=" else " "
            return holder.group("n"), "="
    return None


# Words of letters and digits, none of 20 characters or more, between spaces: no pattern above can match (each
# needs punctuation, an access key 20 characters in a row, base64 40), so no secret text; unless they name a
# program or a word of the forms that need none: openssl passwd PW, mysqladmin password PW, drush upwd USER PW,
# rabbitmqctl|ejabberdctl|prosodyctl register USER HOST PW, createAndPromote USER PW, config|option set NAME PW,
# cset, sset, a .netrc line (machine HOST ... password PW, default ...), rclone obscure PW, isql DSN USER PW
# (tests/test_fields_fast.py builds plain words from every pattern's own words to check that these are all)
_PLAIN_WORDS = re.compile(r"[^\W_]{1,19}(?:[ ]+[^\W_]{1,19})*")
_PLAIN_FORMS = frozenset(
    (
        "openssl",
        "mysqladmin",
        "drush",
        "rabbitmqctl",
        "ejabberdctl",
        "prosodyctl",
        "createandpromote",
        "config",
        "configure",
        "option",
        "cset",
        "sset",
        "machine",
        "default",
        "rclone",
        "isql",
        "iusql",
    )
)


# xargs's options before its command: -I R (the replacement string), -i[R] and --replace[=R] ({} by default), the
# others with their values
_XARGS_OPTIONS = (
    rf"(?:[ \t]+(?:-[0oprtx]*(?:[adEILnPs][ \t]*{_WORD}|[ie][^\s;&|)]*)?(?![^\s;&|)])"
    rf"|--(?:arg-file|delimiter|max-[a-z]+|process-slot-var)(?:=|[ \t]+){_WORD}|--[\w-]+(?:=[^\s;&|)]*)?))*+"
)
# Where xargs runs (its options, then its command: groups o and c, to the line's end), the word it reads on its
# standard input (group v) written to it before (echo WORD | xargs ..., printf) or as its here-string (xargs ...
# <<< WORD)
_XARGS_AT = LazyPattern(r"(?<![\w.-])xargs(?=[ \t])")
_XARGS_CALL = LazyPattern(rf"(?P<o>{_XARGS_OPTIONS})[ \t]+(?P<c>[^\n]*)")
_XARGS_WRITER = LazyPattern(
    rf"(?:\becho(?:\s+-[neE]+)*|\bprintf(?:\s+--)?(?:\s+[\"']*%s(?:\\n)?[\"']*)?)\s+[\"']*{_STDIN_WORD}[\"']*"
    rf"\s*\|(?!\|)&?[ \t]*{_PATH}\Z"
)
_XARGS_HERE_STRING = LazyPattern(rf"[ \t]*<<<[ \t]*[\"']*{_STDIN_WORD}")
_XARGS_REPLACE = LazyPattern(
    rf"(?<![^\s])(?:-[0oprtx]*I[ \t]*(?P<r>{_WORD})|-[0oprtx]*i(?P<i>[^\s;&|)]*)|--replace(?:=(?P<l>[^\s;&|)]+))?)"
)
# A command's arguments, up to a redirection or a separator (quoted ones read whole)
_COMMAND_ARGS = LazyPattern(r"(?:[^\n|;&<>'\"]|'[^'\n]*'|\"[^\"\n]*\")*")


def _through_xargs(value: str) -> Iterator[str]:
    """The command xargs runs given a word written to it: the word in place of -I's replacement string (echo PW |
    xargs -I{} sh -c 'echo {} | kinit'), else as its last argument (echo PW | xargs htpasswd -nb alice); not with
    -a FILE, where it reads its arguments from the file. Each xargs is read up to the next one (at most 1,000
    characters) and its writer in the 300 before it: linear in ``value``."""
    found = [m.end() for m in _XARGS_AT.finditer(value)]
    for i, at in enumerate(found):
        stop = min(found[i + 1] - 5 if i + 1 < len(found) else len(value), at + 1000)
        call = _XARGS_CALL.match(value, at, stop)
        if call is None or re.search(r"(?<![^\s])(?:-[0oprtx]*a|--arg-file)", call.group("o")):
            continue
        command = call.group("c")
        line = value.rfind("\n", 0, at - 5) + 1
        writer = _XARGS_WRITER.search(value, max(line, at - 305), at - 5)
        here = _XARGS_HERE_STRING.search(command)
        if writer is not None:
            word = writer.group("v")
        elif here is not None:
            word, command = here.group("v"), command[: here.start()]
        else:
            continue
        replace = _XARGS_REPLACE.search(call.group("o"))
        if replace is None:
            args = _COMMAND_ARGS.match(command)
            end = args.end() if args else 0
            yield f"{command[:end].rstrip()} {word} {command[end:]}"
            continue
        string = (replace.group("r") or replace.group("i") or replace.group("l") or "{}").strip("'\"")
        if string:
            yield command.replace(string, word)


# Variables given a literal value where a command starts (at a line's start, after ; & | or '(', at the start of a
# string a shell runs, sh -c 'p=PW; ...', and of a member's cron command as the job's install script writes it, printf
# '%s\n' 'p=PW; ...': after a blank and a quote), after export, readonly or local; several in a row:
# u=asso p=PW): group a, each one read by _ONE_ASSIGNED. A value is words in quotes (single, or double holding no
# expansion) and plain ones holding none ($, a backquote, a backslash), as many as are joined (the job's script
# quoting the command writes p='PW' as p='"'"'PW'"'"')
_LITERAL = r"(?:'[^'\n]*+'|\"[^\"\n$`\\]*+\"|[^\s;&|()<>\"'`$\\]++)*+"
_ASSIGNED = LazyPattern(
    r"(?:(?m:^)|(?<=[;&|(])|(?<=[ \t]['\"]))[ \t]*+(?:(?:export|readonly|local)[ \t]++)?+"
    rf"(?P<a>(?:[A-Za-z_]\w*+={_LITERAL}(?:[ \t]++|(?=[;&|)\n]|$)))++)"
)
_ONE_ASSIGNED = LazyPattern(rf"(?P<n>[A-Za-z_]\w*+)=(?P<v>{_LITERAL})")
_LITERAL_PART = LazyPattern(r"'([^']*)'|\"([^\"]*)\"|([^'\"]+)")
# A reference to a variable: $NAME, ${NAME}
_REFERENCE = LazyPattern(r"\$(?:\{(?P<b>[A-Za-z_]\w*+)\}|(?P<n>[A-Za-z_]\w*+))")


def _expanded(value: str) -> str | None:
    """``value`` with each reference to a variable it assigns a literal value (p=PW; mysql -p$p) replaced by that
    value, as the shell gives it to the program (the last assignment before the reference); None when no reference
    is to one. The value is written in the file whatever the variable's name: the program it goes to says it is a
    password. One pass over the references, in order: linear in ``value``."""
    assigned: list[tuple[int, str, str]] = []
    for m in _ASSIGNED.finditer(value):
        for one in _ONE_ASSIGNED.finditer(m.group("a")):
            literal = "".join(part.group(part.lastindex or 0) for part in _LITERAL_PART.finditer(one.group("v")))
            assigned.append((m.start("a") + one.end(), one.group("n"), literal))
    if not assigned:
        return None
    values: dict[str, str] = {}
    next_one = 0

    def replace(ref: re.Match[str]) -> str:
        nonlocal next_one
        while next_one < len(assigned) and assigned[next_one][0] <= ref.start():
            _end, name, literal = assigned[next_one]
            values[name] = literal
            next_one += 1
        return values.get(ref.group("b") or ref.group("n"), ref.group(0))

    expanded = _REFERENCE.sub(replace, value)
    return None if expanded == value else expanded


# A command substitution that writes a word written in the command, which the shell gives in its place as written
# there: $(echo WORD), $(echo -n WORD), $(printf %s WORD), $(printf '%s\n' 'WORD'), `echo WORD` (mysqldump
# -p$(echo S3cr3tPw), -p"$(printf %s S3cr3tPw)", p=`echo S3cr3tPw`; mysql -p$p); cat given the word as a here-string
# ($(cat <<< WORD)) or as the one line of a here-document ($(cat <<EOF⏎WORD⏎EOF⏎), <<'EOF', <<-EOF: POSIX's
# "Here-Document", its delimiter alone on the line ending it, its tabs stripped with <<-); and a base64 literal
# written so and decoded ($(echo UzNjcjN0UHc= | base64 -d), --decode, printf %s WORD | base64 -d, base64 -d <<< WORD:
# coreutils' base64), in its place the word it decodes to (groups e and i, :func:`_output_word`). Not one reading a
# file or a variable ($(cat ../priv/db-password), $(echo "$PW"), $(base64 -d < ../priv/key)), whose value the file
# does not hold, nor a here-document holding an expansion ($DB_PASSWORD).
_OUTPUT_WORD = r"'[^'\n]*'|\"[^\"\n$`\\]*\"|[^\s'\"$`\\();&|<>]+"
_BASE64_DECODE = r"base64[^\S\n]+(?:-d|-D|--decode)"
_LITERAL_OUTPUT = LazyPattern(
    rf"\$\([^\S\n]*{_ECHO}[^\S\n]+(?P<w>{_OUTPUT_WORD})[^\S\n]*\)"
    rf"|`[^\S\n]*{_ECHO}[^\S\n]+(?P<b>{_OUTPUT_WORD})[^\S\n]*`"
    rf"|\$\([^\S\n]*cat[^\S\n]*<<<[^\S\n]*(?P<s>{_OUTPUT_WORD})[^\S\n]*\)"
    r"|\$\([^\S\n]*cat[^\S\n]*<<(?P<strip>-?)[^\S\n]*(?P<q>['\"]?)(?P<t>\w+)(?P=q)[^\S\n]*\n"
    r"(?(strip)\t*)(?P<h>[^\s$`\\]+)[^\S\n]*\n(?(strip)\t*)(?P=t)[^\S\n]*\n[^\S\n]*\)"
    # a base64 literal decoded
    rf"|(?:\$\(|(?P<bq>`))[^\S\n]*(?:{_ECHO}[^\S\n]+(?P<e>{_OUTPUT_WORD})[^\S\n]*\|[^\S\n]*{_BASE64_DECODE}"
    rf"|{_BASE64_DECODE}[^\S\n]*<<<[^\S\n]*(?P<i>{_OUTPUT_WORD}))[^\S\n]*(?(bq)`|\))"
)


def _output_word(m: re.Match[str]) -> str:
    """The word _LITERAL_OUTPUT's substitution ``m`` writes, without its quotes: for a base64 literal decoded, the
    word it decodes to (RFC 4648's alphabet, its padding), or the substitution as written when it decodes to no
    word of printable ASCII (no blank: a password written so is one word)."""
    word = m.group("w") or m.group("b") or m.group("s") or m.group("h")
    if word:
        return word[1:-1] if word[:1] in "'\"" else word
    encoded = m.group("e") or m.group("i") or ""
    encoded = encoded[1:-1] if encoded[:1] in "'\"" else encoded
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("ascii").rstrip("\n")
    except ValueError:
        return m.group(0)
    return decoded if decoded and all("!" <= c <= "~" for c in decoded) else m.group(0)


def _run_or_written(value: str) -> Iterator[str]:
    """``value`` with each command substitution writing a word it holds replaced by that word (_LITERAL_OUTPUT),
    when it holds one; the commands xargs runs in it (:func:`_through_xargs`), it with printf's and echo's escapes
    of a tab or a line break written as one (_ESCAPED_BREAK), when it holds any, and with the variables it assigns
    a literal value given where they are used (:func:`_expanded`)."""
    if "$(" in value or "`" in value:
        substituted = _LITERAL_OUTPUT.sub(_output_word, value)
        if substituted != value:
            yield substituted
            value = substituted
    if "xargs" in value:
        yield from _through_xargs(value)
    if "\\" in value:
        written = _ESCAPED_BREAK.sub("\n", value)
        if written != value:
            yield written
    if "$" in value and "=" in value:
        expanded = _expanded(value)
        if expanded is not None:
            yield expanded


def secret_kind(value: str, name: str = "") -> str | None:
    """What secret ``value`` looks like (``name``: the input or key it is held in), or None. Read as written, as a
    command runs it (a variable expanded, a word printed), base64-decoded, percent-decoded (RFC 3986 §2.1:
    :func:`percent_decoded`, as :func:`prose_secret` reads it) and as a reader sees it (:func:`visible`, without
    the characters that print as nothing)."""
    if not name and _PLAIN_WORDS.fullmatch(value):
        # the usual name of an association: no pattern to try, unless a word is one of _PLAIN_FORMS in any case (as
        # the patterns read them: the letters re reads as ASCII ones folded)
        folded = value
        if not value.isascii() and ("\u0130" in value or "\u0131" in value or "\u017f" in value or "\u212a" in value):
            folded = value.translate(_ASCII_FOLD)
        if _PLAIN_FORMS.isdisjoint(folded.lower().split()):
            return None
    kind = _text_kind(value)
    if kind is not None:
        return kind
    for text in _run_or_written(value):
        kind = _text_kind(text)
        if kind is not None:
            return kind
    for text in _decoded(value):
        kind = _text_kind(text)
        if kind is not None:
            return f"{kind} in base64"
    decoded = percent_decoded(value)  # a URL's query as its server reads it (?key%3D...), as prose_secret reads it
    kind = secret_kind(decoded[0]) if decoded is not None else None
    if kind is not None:
        return kind
    shown = visible(value)
    # a form read through the characters that print as nothing (pass\u200bword=..., :func:`visible`)
    kind = secret_kind(shown) if shown != value else None
    return kind if kind is not None else _named_secret(value, name)


def _named_secret(value: str, name: str) -> str | None:
    """``a value named NAME`` when ``name`` names a secret and ``value`` is a literal of 6 characters or more (no
    variable, path or placeholder), else None."""
    literal = value.strip()
    if (
        name
        and _SECRET_NAME.search(name)
        and len(literal) >= 6
        and not literal.startswith(("$", "/", "%"))
        and not _PLACEHOLDER.match(literal)
    ):
        return f"a value named {name}"
    return None


# The forms above that are a secret in any prose too, an admin's notes say: a private key, a URL holding its
# credentials, its key (a webhook's, a cron monitor's ping URL, a query's ?token=...) and an access key of a known
# shape; and a command's forms anchored to the program, statement or header that takes a password (below). Not the
# others: KEY: VALUE reads any word after a colon as a secret (Token: renouvelé en mars), a PHP constant's or a
# setting's form reads a word of prose as a value.
_PROSE_KINDS = frozenset(
    (
        "a private key",
        "credentials in a URL",
        "a webhook URL",
        "a monitoring ping URL",
        "a cron key in a URL",
        "a secret in a URL's query",
        "a secret in a URL's fragment",
        "an access key",
        # a command pasted into a note: each form is read after the program, the SQL statement or the header that
        # takes the password (mysql -pS3cr3tPw, sshpass -p ..., htpasswd -b FILE USER PASSWORD, IDENTIFIED BY
        # '...', echo PW | passwd --stdin, echo USER:PW | chpasswd, curl -H 'X-Api-Key: ...', curl -b COOKIE)
        "a password option",
        "a password argument",
        "an SQL password",
        "a password for chpasswd",
        "a password piped to a program",
        "an authorization header",
        "a session cookie",
    )
)


def _secret_assignment(m: re.Match[str]) -> bool:
    """Whether the shell's assignment matched in ``m`` (NAME=VALUE) gives a variable named for a secret (_SECRET_NAME,
    as an input's name is read: ``DB_PASSWORD``, ``MYSQL_PWD``, ``API_TOKEN``, ``APP_KEY``; not ``DB_HOST``) a value
    read as a password after its label (:func:`_quoted_password`: ``Lilas2024x!``, ``"Lilas 2024!"``; not ``"voir le
    coffre"``, a placeholder)."""
    return _SECRET_NAME.search(m.group("n")) is not None and _quoted_password(m.group("v"))


# A shell's assignment pasted into prose (export DB_PASSWORD="Lilas 2024!", MYSQL_PWD='Lilas 2024!' mysqldump ...,
# in a note or a comment): a variable's name starting a word, '=' right after it, and a value in quotes holding a
# blank and a digit, read whole as the shell gives it (_QUOTED_BLANK; not "$(cat ~/priv/db)", "$PW 2024"); the name
# and the value judged by _secret_assignment. A value without a blank is read after the name as after a label
# (_PROSE_NAMED: DB_PASSWORD='Lilas2024x!', STRIPE_SECRET_KEY=...). ("=": the sign any such text holds.)
_PROSE_SHELL_ASSIGNMENT = (
    "a password assignment",
    _Pattern(
        rf"(?<![\w.$/-])(?P<n>[A-Za-z_]\w*+)=[\"']+(?P<v>{_QUOTED_BLANK})",
        valid=_secret_assignment,
        digit=True,
    ),
    ("=",),
)
_PROSE_TEXT = [
    *(
        entry
        for entry in _SECRET_TEXT
        if entry[0] in _PROSE_KINDS and entry is not _AUTHORIZATION_HEADER and entry not in _PULUMI_CONFIG_SETS
    ),
    _PROSE_AUTHORIZATION_HEADER,
    *_PULUMI_CONFIG_SETS,
    _PROSE_SHELL_ASSIGNMENT,
    # login:password@host in prose (its line broken before or after its '@' too: marie:Lilas2024x⏎@sftp.asso.org, as
    # a note's lines wrapped at a width may), where a label then an address (Inscriptions:benevoles2026@asso.org) is
    # as likely as credentials: only before a host and its port (bob:Soleil2024x@sftp.example.org:22), localhost or
    # pic-db, a host named for a service that takes a login (ftp., sftp., ssh., db., mysql., smtp., imap., nas.) or
    # an IP address (bob:Soleil2024x@192.168.1.10, bob:Soleil2024x@[2001:db8::1]), which no mail address ends with
    (
        "credentials before a host name",
        _Pattern(
            _USERINFO_AT.removesuffix("@") + r"(?:[^\S\n]*\n[^\S\n]*@|@(?:[^\S\n]*\n[^\S\n]*)?)"
            r"(?:(?:localhost|pic-db|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?=:[0-9]{1,5}(?![\w.:-]))|localhost|pic-db"
            r"|(?i:s?ftps?|ssh|scp|db|sql|mysql|mariadb|postgres(?:ql)?|pg|smtp|imap|pop3?|webdav|dav|nas)"
            r"[0-9]*\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
            r"|[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?![\w.-])|\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\])"
            r"(?![\w.-]*@)",
            # (as the command's form above, and the line before the '@' and the one after)
            gate=_AT_SIGN_BROKEN,
            before=1,
        ),
        (":",),
    ),
]
# A label that names nothing but a password, up to six words of letters saying whose (mdp phpMyAdmin, mot de
# passe du compte FTP, password for the admin), then ':', '=', an arrow (->, =>, →) or est, c'est, était, sera, is,
# was (now, maintenant, désormais...), and a value of letters and digits (mdp phpMyAdmin : Azerty123, Le mot de
# passe est Soleil2024!, le mdp c'est Azerty123); or the label then the value alone (mdp Azerty123, login veloasso
# password Azerty123), a value holding no '.' there (mot de passe PHP8.2, password v2.0.1 name a version). A word
# then a year too; not an e-mail address or a URL. French puts a space, often a non-breaking one, before ':'.
# Markdown's marks may enclose the label and the value (**mdp** : `Azerty123`). Words after the label that are no
# value (mot de passe envoyé par mail, mdp changé le 12/03/2026, Password: see the manager) are none, nor where it
# is kept (mdp : Bitwarden/Membres/Velo2024, a path of words; Password: 1Password, a manager's name), a ticket
# (password: ticket#4521, mdp : RT#1187), a date or an algorithm's name (mot de passe WPA2-PSK, mdp argon2id).
# The label in the other languages an association's admin or member may paste (Passwort: Geheim2024, la contraseña
# es Velo2024x, 我的密码：Azerty123: _PASSWORD_ABROAD, _PASSWORD_CJK), with their copulas.
# Japanese quotes (「Azerty123」) may open the value too, and brackets, round, square or curly, as quotes do (mot de
# passe : (Lilas2024x), Token : [0123...]).
# Markdown's strikethrough (~~Azerty1~~ Lilas2024x!: an old password struck, the new after it) opens one too: the
# struck value is read as any, its closing '~~' a sign of it; HTML's (<s>, <del>, <strike>: mot de passe :
# <s>Azerty1</s> Lilas2024x!) as markdown's, its closing tag read with the value.
_PROSE_OPENING = r"[^\S\n]*+(?:<(?:s|del|strike)>)?[\"'«“‘「『`*_(\[{~]*[^\S\n]*+"
# Labels in the other languages of Europe and of the associations' members, each naming nothing but a password,
# plurals, inflections and the spellings without their accents too: German Passwort and Kennwort, Spanish contraseña
# and clave (not in palabra clave, a keyword), Catalan contrasenya, Galician contrasinal, Portuguese senha and
# palavra-passe, Dutch wachtwoord, Polish hasło (hasła, hasłem), Czech and Slovak heslo, Slovenian geslo, Croatian,
# Serbian and Bosnian lozinka (лозинка), Swedish lösenord, Danish and Norwegian adgangskode, kodeord and passord,
# Icelandic lykilorð, Finnish salasana (salasanani, salasanasi: my, your password; with on, is, or oli, was, and nyt,
# now, after them: on reads as a preposition in English and is no copula of every label's), Estonian parool and
# salasõna (with on or oli, and nüüd), Lithuanian slaptažodis, Hungarian jelszó (with most, now: Hungarian says no
# copula in the present's third person), Romanian parolă (with its
# accent, or before este, at most three words saying whose between them: parola is Italian's word, and este no
# Italian one; Romanian is often typed without its diacritics, parola noua este), Russian and Ukrainian пароль,
# Bulgarian парола, Greek κωδικός πρόσβασης
# (κωδικός alone is any code), Italian parola d'ordine (parola alone is a word, parola chiave a keyword), Albanian
# fjalëkalim, Welsh cyfrinair, Irish pasfhocal, Basque pasahitza, Turkish şifre (şifresi: its password), Arabic
# كلمة المرور and كلمة السر, Persian رمز عبور (its words joined by a zero width non-joiner, رمز‌عبور, read
# without it: رمزعبور) and گذرواژه, Hebrew סיסמה (הסיסמה: the password), Hindi पासवर्ड,
# Vietnamese mật khẩu, Indonesian kata sandi and Malay kata laluan.
_PASSWORD_ABROAD = (
    r"(?:passw(?:ort|orte|örter|orter)|kennw(?:ort|orte|örter|orter)|contrase(?:ñ|n)as?|senhas?"  # noqa: S105 - the words
    r"|wachtwoord(?:en)?"
    r"|has(?:ł|l)(?:o|a|em)|l(?:ö|o)senord(?:et|en)?|salasana(?:[nt]|ni|si|mme|nne)?(?:[^\S\r\n]+(?:on|oli)(?:[^\S\r\n]+nyt)?)?|парол(?:ь|я|и|ем|ю|і|а)"
    r"|κωδικ(?:ός|ος|οί|οι)[^\S\r\n]+πρ(?:ό|ο)σβασης|parol[ae][^\S\r\n]+d['’][^\S\r\n]*ordine)"
)
# (The others, rarer in these notes, are read by a pattern of their own, _PROSE_PASSWORD_FURTHER, tried only on a
# text holding one of their words: the labels above are tried wherever a text holds one of theirs.)
_PASSWORD_FURTHER = (
    r"(?:(?<!palabra[^\S\r\n])(?<!palabras[^\S\r\n])claves?|contrasenyes|contrasenya|contrasinal(?:es)?"  # noqa: S105 - the words
    r"|palavras?[^\S\r\n]*-?[^\S\r\n]*passe|hesl(?:o|a|em|u)|gesl(?:o|a|om)|lozink(?:a|e|om|u)|лозинк(?:а|е|ом|у)"
    r"|adgangskode(?:n|r|rne)?|kodeord(?:et|ene)?|passord(?:et|ene)?|lykilor(?:ð|d)(?:ið|id)?|parool(?:i|id)?(?:[^\S\r\n]+(?:on|oli)(?:[^\S\r\n]+n(?:üü|uu)d)?)?|salas(?:õ|o)na(?:[^\S\r\n]+(?:on|oli)(?:[^\S\r\n]+n(?:üü|uu)d)?)?"
    r"|slapta(?:ž|z)od(?:is|(?:ž|z)io|(?:į|i)|(?:ž|z)iai)|jelsz(?:ó|o|ót|ot|ava|avak|avát|avat|avam|avad)(?:[^\S\r\n]+most)?"
    r"|parol(?:ă|a)(?=(?:[^\S\r\n]+[^\W\d_]+){0,3}?[^\S\r\n]+este(?![\w’-]))|parolă|fjal(?:ë|e)kalim(?:i|et)?|cyfrinair|pasfhocal|pasahitz(?:a|ak)?"
    r"|(?:ş|s)ifre(?:si|ler|leri|niz|m|n)?"
    r"|كلمة[^\S\r\n]+(?:المرور|السر|مرور|سر)|رمز[^\S\r\n]*(?:عبور|المرور)|گذرواژه|ה?סיסמ(?:ה|א|ות)|पासवर्ड"
    r"|m(?:ậ|a)t[^\S\r\n]+kh(?:ẩ|a)u|kata[^\S\r\n]+(?:sandi|laluan))"
)
# Labels in the scripts written without spaces between words: Chinese 密码 (密碼 in traditional characters),
# Japanese パスワード, Korean 비밀번호 and 패스워드. One may follow other letters (我的密码: my password; 管理员密码:
# the administrator's), and its copula may follow it directly (密码是, 密码为, パスワードは, 비밀번호는).
_PASSWORD_CJK = r"(?:密[码碼]|パスワード|비밀번호|패스워드)"  # noqa: S105 - the words, no password
# Where a label starts: after no word, or as the last word of a name written with '_' (DB_PASSWORD=, MYSQL_PWD=,
# smtp_pass:, STRIPE_SECRET_KEY=: a variable or a setting copied from a configuration, where pass alone names a
# password too), or in quotes ('password' =>). Then its end: nothing of a word, but a quote that closes a name given
# in quotes.
_PROSE_NAMED = r"(?<=[^\W_]_)"
_PROSE_QUOTED = r"(?<=['\"])(?<![\w’.-]['\"])"
# A name in quotes given its value as code gives it: define('DB_PASSWORD', '...') in PHP (wp-config.php),
# 'password' => '...' in an array, $cfg['Servers'][$i]['password'] = '...' (phpMyAdmin's config.inc.php), JSON's
# "password": "...".
_PROSE_QUOTED_NAME = r"['\"]\]?[^\S\n]*+(?:[,:]|=>?)"
# The copulas after the labels of _PASSWORD_FURTHER: Danish, Norwegian and Icelandic er, Czech, Slovak, Slovenian,
# Croatian and Bosnian je (Serbian је), Romanian este, Catalan és, Lithuanian yra, Albanian është (eshte); their past
# in Danish, Norwegian, Swedish and Icelandic (var), Czech and Slovak (bylo, byla, byl), and Polish's (było). (Finnish
# and Estonian on and oli are read with their labels, _PASSWORD_ABROAD's and _PASSWORD_FURTHER's: on is an English
# word.)
_COPULAS_FURTHER = "er|je|је|este|és|yra|është|eshte|var|bylo|byla|byl|było|był|była"
# The signs pointing right that a note writes between a label and its value (as -> and => are): the arrows (→, ⇒,
# ⇨, ⇢, ⇾, ↦, ⟶, ⟹, ⟾, the wave's and the squiggle's ↝, ⇝, ⟿, ⤳, the two-headed ↠, ↣ with a tail, ↪ with a hook,
# the harpoons ⇀, ⇁, the paired and the triple ⇉, ⇶, ⇛, ⭆, ⇥ to a bar, ⇰ from a wall, the dashed ⤍, ⤏, ⤑, ⭬,
# ⥤, ⭲), the dingbats' (➔, ➜, ➤...) and the supplemental ones' (⮕, ⭢, ⮚, ⮞, 🠂... 🢫), the triangles and pointers
# (▶, ▷, ▸, ▹, ►, ▻, ⏵, ⯈, 🞂), the guillemets (», ›, ❯) and a hand pointing right (☛, ☞, 👉); not an arrow
# crossed by a stroke (↛: none), pointing both ways or turning (↔, ⤴)
_ARROWS = (
    "→⇒⇨⇢⇾↦⟶⟹⟼⟾↝⇝⟿⤳↠↣↪⇀⇁⇉⇶⇛⭆⇥⇰⤍⤏⤑⭬⥤⭲"
    "➔➙➛➜➝➞➟➠➡➢➣➤➥➦➧➨➩➪➫➬➭➮➯➱➲➳➵➸➺➻➼➽➾⮕⭢⮚⮞"
    "🠂🠆🠊🠒🠖🠚🠞🠢🠦🠪🠮🠲🠶🠺🠾🡂🡆🡒🡢🡪🡲🡺🢂🢒🢖🢚🢡🢣🢥🢧🢩🢫"
    "▶▷▸▹►▻⏵⯈🞂»›❯☛☞👉"
)
# A sign between a label and its value: ':' (fullwidth ：too), '=', '::' and ':=' (a label written as code: Go's,
# Pascal's, a C++ or PHP scope's), an arrow of signs (->, =>, ~>, each with more of its first sign: -->, ==>, ~~>),
# '>>' (or more) and one of _ARROWS. A run of one sign is tried only where its run starts (a lookbehind refusing its
# sign before it) and read whole where it ends the sign (possessive): tried from each place inside a run, a run read
# then given back is quadratic (mdp and 64,000 '>' in a comment).
# (one of _ARROWS first, the others after a look at their first sign: a gate tries this at each place of a text)
_SEPARATOR_SIGN = rf"(?:[{_ARROWS}]|(?=[:=：~>-])(?::[:=]|[:=：]|(?<!-)-+>|(?<!=)=+>|(?<!~)~+>|(?<!>)>>++))"
# The arrows folded to '>' in the text a form's words are looked for in (_folded): a form that needs '>' finds them
# so, and _PROSE_NEEDS stays a search for ASCII's words and signs (its search slowed sixfold holding the arrows).
_ASCII_FOLD.update({ord(arrow): ">" for arrow in _ARROWS})
_FOLDED_SIGN = re.compile(f"[\u0130\u0131\u017f\u212a{_ARROWS}]")
# The sign each of _SEPARATOR_SIGN's ends with (what a gate looks for)
_SEPARATOR_LAST = rf"[:=：>{_ARROWS}]"
# A table's cell separator, one or more (mot de passe | Azerty123, mdp || Azerty123), read as a run of one sign is
_BAR = r"(?<!\|)\|++"
# What stands between a label (and the words saying whose) and its value: ':' (fullwidth ：too), '=', an arrow
# (->, =>, one of _ARROWS), a dash between spaces (mot de passe - Azerty123, -- for a dash typed without one, and
# the other dashes read as these: _PROSE_DASHES), a table's cell separator (mot de passe | Azerty123, a markdown
# table's | mdp | Azerty123 |), a name in quotes given its value as code gives it,
# or a copula: French est, c'est, était, sera, sont, English is, was, are (now, maintenant, désormais, jetzt, ahora,
# agora, adesso, ora, nu, teraz...), German ist and war, Spanish es, Portuguese é, Italian è (and their era), Swedish
# är, Polish jest, Greek είναι, and _COPULAS_FURTHER's; a CJK label's own right after it.
_PROSE_SEPARATOR = (
    rf"(?:[^\S\n]*+(?:{_SEPARATOR_SIGN}|{_BAR})|[^\S\n]++(?:--|[-–—])[^\S\n]++|{_PROSE_QUOTED_NAME}"
    rf"|[^\S\n]++(?:c['’])?(?:est|était|sera|sont|is|was|are|ist|es|é|è|är|jest|war|era|είναι|{_COPULAS_FURTHER})"
    r"(?:[^\S\n]++(?:now|still|maintenant|désormais|toujours|actuellement|jetzt|nun|ahora|agora|adesso|ora|nu|teraz))?(?=[^\S\n])"
    r"|(?<=[码碼ド호드])(?:是|为|為|は|는))"
)
# A label ending its line with ':', '=', an arrow or a table's '|', the value alone on the next line (a list's item may
# be, after '-' or '•'; a table's row after '|' ending the label's line, the value its one cell: mot de passe |⏎|
# Lilas2024x! |, group row), as notes written one field a line give it (mdp :⏎Soleil2024x, Mot de passe FTP :⏎
# Velo2024x, in a YAML block scalar too; one or two lines blank or only '#' between too, whatever the value's line
# holds: mdp :⏎⏎Lilas2024x!, Identifiants FTP :⏎⏎asso / Velo2024x), or the separator starting the value's line (mot de
# passe⏎: Lilas2024x!, but no '|' there: a table's row), one or two lines blank or only '#' between the label's and it
# too (mot de passe⏎⏎: Lilas2024x!, _BARE_LINES: a value alone under a blank line is a paragraph's, Mot de
# passe⏎⏎Azerty123; the separator starting its line says it is the label's); group nl says so, and _PROSE_LINE_END then
# ends the value's line: the value, the marks closing it (and the row's '|'), then the line's end or a remark after '(',
# ',', ';' or a dash (Velo2024x (depuis mars)). A value followed by other words on its line is the start of a sentence,
# none (Mot de passe :⏎WordPress6 mis à jour).
_LINE_START_SIGN = _SEPARATOR_SIGN
_LINE_END_SIGN = rf"(?:{_LINE_START_SIGN}|{_BAR})"
# (each line read whole, up to two: _BARE_LINES_BETWEEN's count)
_BARE_LINES = r"(?:[^\S\n]*+#*+[^\S\n]*+\n){0,2}"
_PROSE_NEXT_LINE = (
    rf"[^\S\n]*+(?:{_LINE_START_SIGN}[^\S\n]*+\n{_BARE_LINES}[^\S\n]*+(?:[-•][^\S\n]++)?"
    rf"|{_BAR}[^\S\n]*+\n[^\S\n]*+(?:[-•][^\S\n]++|\|[^\S\n]*+(?P<row>))?"
    rf"|\n{_BARE_LINES}[^\S\n]*+{_LINE_START_SIGN}[^\S\n]*+)"
    r"[\"'«“‘「『`*_(\[{]*[^\S\n]*+(?P<nl>)"
)
_PROSE_LINE_END = r"[\"'»”’」』`*_)\]}]*(?=[^\S\n]*+(?(row)(?:\|[^\S\n]*+)?)(?:\n|$|[(,;]|[-–—][^\S\n]))"
# What a value after a label holds none of: a blank, a quote, ',', ';', '(' or ')'; nor a letter or a sign of the
# scripts written without spaces between words (CJK's punctuation, Japanese kana, Chinese characters, Korean
# syllables, the fullwidth forms), where the value ends as their text resumes (密码是Azerty123。, パスワードは
# Azerty123です, 비밀번호: Azerty123입니다): else a sentence in them is a value (密码是在2026年3月修改的: the password
# was changed in March 2026; パスワードは12文字以上です: it has 12 characters or more).
_PROSE_WRITTEN_WITHOUT_SPACES = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
_PROSE_NOT_VALUE = r"\s\"'`,;()" + _PROSE_WRITTEN_WITHOUT_SPACES
# One character of a value, written for re to compile at a little cost: the prose patterns are case-insensitive
# and hold this class about 130 times, and re compiles a class of ranges by setting each of its characters in a
# bitmap, under re.IGNORECASE each one folded to lower case first (39,000 here: about 9 ms a class, 1.4 s for all the
# patterns; 3 ms without folding). The class has no cased character but the fullwidth letters, both of whose cases it
# holds, so matching it with case or without is the same.
_PROSE_VALUE_CHAR = f"(?-i:[^{_PROSE_NOT_VALUE}])"
_PROSE_VALUE_CHAR_NOT_SLASH = f"(?-i:[^/{_PROSE_NOT_VALUE}])"
_PROSE_VALUE_CHAR_NOT_COLON = f"(?-i:[^:{_PROSE_NOT_VALUE}])"
_PROSE_VALUE_CHAR_NOT_SLASH_COLON = f"(?-i:[^/:{_PROSE_NOT_VALUE}])"
_PROSE_LETTERS_AND_DIGITS = _LETTERS_AND_DIGITS.replace(r"[^\s\"'`,;()]", _PROSE_VALUE_CHAR)
# A value shaped like an e-mail address whose part before '@' is shaped like a password, a capital, a small letter
# and a digit in it (mdp Azerty123@gmail.com: an address is written in small letters), not followed by ':' or '='
# (mdp JDupont75@asso.org : voir coffre names whose): a password, where another address is none.
_PASSWORD_AT = (
    r"(?-i:(?=[^\s@.]*[A-Z])(?=[^\s@.]*[a-z])(?=[^\s@.]*[0-9]))[^\s@.\"'`,;()]++@[^\s@\"'`,;()]++"  # noqa: S105 - a shape
    r"(?![^\S\n]*[:=])"
)
# The signs ending a sentence, which a word no value is may end with in a note (Réunion : 18h30!, mot de passe mis à
# jour en SHA256!): a value no password is is that word, those signs after it or not.
_SENTENCE_END = r"[!?.…]*+"
_PROSE_VALUE = (
    rf"{_PROSE_LETTERS_AND_DIGITS}(?![^\s@]+@[^\s@]+\.)(?![a-z][a-z0-9+.-]*://)"
    # a path of words in a password manager, a ticket's reference
    rf"(?![^\W\d_][\w.’'-]{{2,}}(?:/[^\W\d_][\w.’'-]{{2,}})+/?(?!{_PROSE_VALUE_CHAR}))"
    rf"(?!(?:tickets?|rt|r[ée]f|ref|issue|bug|demande|incident)[ #°.:-]*[0-9]+{_SENTENCE_END}(?!{_PROSE_VALUE_CHAR}))"
    # a date, a time after it (2026-03-12T10:00Z)
    rf"(?![0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(?:[T ][0-9:.]+Z?)?{_SENTENCE_END}(?!{_PROSE_VALUE_CHAR}))"
    # a length, a count or a factor as a compound word (Passwort ist 12-stellig, Password: 16-chars minimum, 2FA-only
    # account, mot de passe : 8-caractères): a number of up to three digits, up to two letters or '%' after it, then
    # words in small letters after '-' or '+', the sentence's full stop after them; not 2024-Velo (a year),
    # 12-Soleil-2024, 8-caracteres-2024!
    r"(?![0-9]{1,3}(?:[^\W\d_]{1,2}|%)?(?:[-+](?-i:[a-zß-öø-ÿ]+))+"
    rf"{_SENTENCE_END}(?!{_PROSE_VALUE_CHAR}))"
    # a length written with its unit joined (Mot de passe : 16car., 12caractères, 12chars, 20signes)
    r"(?![0-9]{1,3}(?:car(?:act(?:[eè]res?)?)?|chars?|characters?|signes?|lettres?|chiffres?|digits?|stellig)"
    rf"{_SENTENCE_END}(?!{_PROSE_VALUE_CHAR}))"
    # the name of an algorithm, a protocol, a key's type or a character set (mot de passe WPA2-PSK, AES-256, mdp
    # argon2id, Mot de passe : SHA256, mdp : OAuth2 or SAML2, where the login is another site's, SFTP :
    # ssh-rsa/ssh-ed25519, phpMyAdmin : velo_wp / utf8mb4_unicode_ci)
    r"(?!(?:(?:ssh-)?(?:ed25519|ed448|rsa|dss)|ecdsa(?:-sha2-nistp[0-9]+)?|sha-?[0-9]+(?:crypt)?|md5(?:crypt)?|rsa-?[0-9]*"
    r"|aes-?[0-9]+(?:-[a-z]+)?|argon2(?:id|i|d)?"
    r"|bcrypt\w*|scrypt|pbkdf2\w*|yescrypt|wpa[0-9](?:-[a-z0-9]+)?|wep[0-9]*|totp|hotp|u2f|fido2|webauthn"
    r"|oauth[12](?:\.[0-9])?|saml[12](?:\.[0-9])?|cas[1-3]|ldaps?v?[23]"
    rf"|kerberos5?|ntlmv?[0-9]|pgp|gpg|utf-?8(?:mb[34])?(?:_[a-z0-9]+)*|latin1(?:_[a-z0-9]+)*)"
    rf"{_SENTENCE_END}(?!{_PROSE_VALUE_CHAR}))"
    # a password manager whose name holds a digit, where the password is kept (Password: 1Password, mdp : KeePass2)
    rf"(?!(?:1password[0-9]*|keepass(?:xc|dx|2android|[0-9]+)?){_SENTENCE_END}(?!{_PROSE_VALUE_CHAR}))"
)
# (after a password's label, a value as _PROSE_VALUE's or shaped as _PASSWORD_AT)
_PROSE_PASSWORD_VALUE = _PROSE_VALUE.replace(r"(?![^\s@]+@[^\s@]+\.)", rf"(?!(?!{_PASSWORD_AT})[^\s@]+@[^\s@]+\.)", 1)
# A product named with a digit, whose account a password's label then names (mdp Office365 : voir coffre, Mot de passe
# Windows10 réinitialisé, Passwort Office365 vergessen, mot de passe Livebox5 au dos de la box; a space before the
# number too: Office 365, Windows 11, Livebox 5): the suites, systems
# (Windows11, macOS14, iOS17, Android14, Debian12), boxes and sites' software an association's members use: a word
# saying whose (mdp Office365 : Velo2024x and mdp Office365 Velo2024x are read), not the value alone; after a separator
# it is read as any (Password: Office365 may be the password).
_PROSE_PRODUCT = (
    r"(?:(?:office|microsoft|outlook)[^\S\n]?365|m365|win(?:dows)?[^\S\n]?[0-9]+"
    r"|(?:macos|ios|android|ubuntu|debian)[^\S\n]?[0-9]+|(?:live|free|b)box[^\S\n]?[0-9]\w*|i(?:phone|pad)[^\S\n]?[0-9]+"
    r"|(?:drupal|joomla|moodle|dolibarr|wordpress|nextcloud|owncloud|spip|prestashop|typo|zimbra|sympa)[^\S\n]?[0-9]+"
    # the platform's databases and their admin tool, and the sites' applications, by their major version alone
    # (MariaDB10, MySQL8, phpMyAdmin5, Matomo5): a year after them is no version (mdp Mysql2024 is a password)
    r"|(?:mariadb|mysql|postgres(?:ql)?|phpmyadmin|matomo|piwigo|mediawiki|dokuwiki|odoo|galette|paheko|mailman)"
    r"[^\S\n]?[0-9]{1,2}(?![0-9])"
    # (and the hardware keys a token's label may name: token YubiKey5C)
    r"|yubikey[^\S\n]?[0-9]\w*)"
)
# A word saying whose after a label: letters (and an apostrophe, a dot, a hyphen), or a product's name with its digit
# (Identifiants Livebox5 : admin / ..., Clé API Office365 : ...)
_PROSE_WHOSE_WORD = rf"(?:(?:[^\W\d_]|['’.-])+|{_PROSE_PRODUCT}(?![\w’-]))"
# The words saying whose may be given in brackets, round, square or curly (Mot de passe (FTP) : Azerty123, Password
# [admin]: ..., identifiants {compte OVH} : admin / Azerty123, Token (Matomo) : ...): an opening one before a word, a
# closing one after it.
_PROSE_WHOSE_OPEN = r"[(\[{]?"
_PROSE_WHOSE_CLOSE = r"[)\]}]?"
# The words of an access code's label (a door's, a meeting's, a service's: a secret as a PIN is), casefolded and
# without their accents, as pic lists audit reads a column's name (pic.lists_audit.names_a_password) and prose reads a
# label (_ACCESS_CODE): a code's word (French, English, Italian, Spanish, Portuguese, Catalan: code, codice, código,
# codi), the words naming it an access's (Code d'accès, code accès, Access code, Codice d'accesso, Código de acceso,
# Code de connexion, a PIN, a login's code), the words between them (d', de, of...); and the labels written as one
# word (German Zugangscode, Dutch toegangscode, accesscode, pincode). A code naming another thing (Code postal, Zip
# code, Code adhérent, Code promo) is none, nor a code alone (a postcode, a group, a member's number as often).
ACCESS_CODE_CODES = ("code", "codes", "codice", "codigo", "codi")
ACCESS_CODE_ACCESS = (
    *("acces", "access", "accesso", "acceso", "acesso", "connexion", "connection", "connessione", "conexion"),
    *("login", "logon", "entree", "entry", "pin", "secret", "secreto", "segreto", "confidentiel", "personnel"),
    *("confidential", "personal", "prive", "private", "ingresso", "accede", "acceder"),
)
ACCESS_CODE_FILLERS = ("d", "de", "du", "di", "del", "da", "do", "of", "l", "the", "to")
ACCESS_CODE_JOINED = ("zugangscode", "toegangscode", "accesscode", "pincode", "codepin", "codeacces")
# (each letter that a word written without its accents stands for: é, è... for e)
_UNACCENTED = {"a": "[aàáâä]", "e": "[eéèêë]", "i": "[iíìîï]", "o": "[oóòôö]", "u": "[uúùûü]", "c": "[cç]", "n": "[nñ]"}


def _with_accents(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words`` (casefolded, without their accents) written with or without
    them, the longer first where one starts another (codice before codi)."""
    return "|".join(
        "".join(_UNACCENTED.get(ch, re.escape(ch)) for ch in word) for word in sorted(words, key=len, reverse=True)
    )


# An access code's label: a code's word, words between (an elided d' or l' too), then an access's (code d'accès,
# código de acceso, codice di accesso, code de connexion; plurals too), an access's word then a code's (access code,
# login code, PIN code), or one word (Zugangscode).
_ACCESS_CODE_LABEL = (
    rf"(?:(?:{_with_accents(ACCESS_CODE_CODES)})[^\S\n]+"
    rf"(?:(?:{_with_accents(w for w in ACCESS_CODE_FILLERS if len(w) > 1)})[^\S\n]+)?"
    rf"(?:(?:{_with_accents(w for w in ACCESS_CODE_FILLERS if len(w) == 1)})['’][^\S\n]*)?"
    rf"(?:{_with_accents(ACCESS_CODE_ACCESS)})s?"
    rf"|(?:{_with_accents(ACCESS_CODE_ACCESS)})[^\S\n]+(?:{_with_accents(ACCESS_CODE_CODES)})"
    rf"|(?:{_with_accents(ACCESS_CODE_JOINED)})s?)"
)
# A password's label: a word of _PASSWORD_ONLY's or _PASSWORD_ABROAD's after no word, as the last word of a name
# written with '_' (where pass alone is one too) or in quotes, and ending a word; or a CJK one, anywhere.
# An access code's label (_ACCESS_CODE_LABEL: a code alone is a postcode, a source, a door's).
_ACCESS_CODE = _ACCESS_CODE_LABEL
# (the letters its words start with, which a search for a label looks for first)
_ACCESS_CODE_FIRST = "".join(sorted({w[0] for w in (*ACCESS_CODE_CODES, *ACCESS_CODE_ACCESS, *ACCESS_CODE_JOINED)}))
# A Wi-Fi network's password as French names it: clé Wi-Fi, clé WPA (WPA2, WPA2-PSK), clé WEP, Windows's clé de
# sécurité réseau (du réseau, du Wi-Fi, sans fil), code Wi-Fi; clef and plurals too (a clé alone is a door's, a
# USB stick, a clé de sécurité alone a FIDO key).
_WIFI_KEY = (
    r"(?:(?:cl(?:é|e|ef)s?|codes?)[^\S\n]+(?:du[^\S\n]+)?(?:wi-?fi|wpa[0-9]?(?:-psk)?|wep"
    r"|de[^\S\n]+s[ée]curit[ée][^\S\n]+(?:du[^\S\n]+)?(?:r[ée]seau|wi-?fi|sans[^\S\n]+fil)))"
)
# French's phrase de passe (a passphrase, plurals and its words joined by '-' or '_' too) and mdp abbreviated with its
# full stops (m.d.p., M.D.P, m. d. p.).
_PASSPHRASE_FR = r"(?:phrases?(?:[^\S\r\n]|[_-])*de(?:[^\S\r\n]|[_-])*passe)"  # noqa: S105 - the words, no password
_MDP_DOTTED = r"(?:m\.[^\S\n]?d\.[^\S\n]?p\.?)"
_PROSE_PASSWORD_BASE = (
    rf"(?:{_PASSWORD_ONLY}|{_PASSPHRASE_FR}|{_MDP_DOTTED}|{_PASSWORD_ABROAD}|{_ACCESS_CODE}|{_WIFI_KEY})"
)
_PROSE_PASSWORD_LABEL = rf"(?:{_PROSE_PASSWORD_BASE}|{_PASSWORD_FURTHER})"
# A label naming a PIN: code PIN, PIN code, code confidentiel (a bank card's, in French), code secret, PIN alone in
# capitals (pin in lower case is a pine tree in French), plurals too; or an access code (code d'accès, code accès,
# access code: a door's, a meeting's, a service's, a secret as a PIN is, as a CSV's column so named is read). These
# name nothing but a secret, whose value is often 4 or 5 digits: after them such a number is one too (code PIN : 4821,
# code confidentiel de la carte : 4821, Code d'accès : 4821),
# where after any other label it is not (mdp : 2024 is a year or a count, and a password of 4 digits is rare: a
# site's form asks 8 characters or more). A PIN opens a card or a phone's SIM, not a site, but written in a member
# file it stays in the repository's history as any secret. A SIM's PUK (code PUK : 12345678: it sets a new PIN) is read
# as a password's label (_PUK_LABEL), 8 digits right after it too (code PUK 12345678); 4 after it are an operator's
# number (PUK : 3244).
# Not the PINs a card or a phone is sold with, which anyone knows (PIN par défaut : 0000, code PIN : 1234 (usine)):
# _PIN_DEFAULT.
_PIN_LABEL = rf"(?:{_ACCESS_CODE_LABEL}|(?-i:PIN)(?:[^\S\n]+codes?)?)"
_PUK_LABEL = r"(?:codes?[^\S\n]+puk|(?-i:PUK)(?:[^\S\n]+codes?)?|puk[^\S\n]+codes?)"
_PIN_DEFAULT = r"(?!(?:" + "|".join(f"{digit}{{4}}" for digit in "0123456789") + rf"|1234)(?!{_PROSE_VALUE_CHAR}))"


# (the words naming what a text in quotes after a password's label and its words saying whose may be instead)
_NOT_NAMED_IN_QUOTES = (
    r"(?!(?:comptes?|accounts?|utilisateurs?|users?|logins?|identifiants?|r[ée]seaux?|networks?|ssid|fichiers?|files?"
    r"|dossiers?|folders?|coffres?|vaults?|entr[ée]es?|entry)(?![\w’-]))"
)


def _password_pattern(first: str, label: str, further: bool = False) -> str:
    """_PROSE_PASSWORD's expression for the labels ``label``, whose first letters (either case) are ``first``; with
    ``further``, those labels only (no PIN's, PUK's, CJK's, nor pass at the end of a name: _PROSE_PASSWORD's)."""
    puk, pin, named, cjk = (
        ("(?!)", "(?!)", label, "(?!)") if further else (_PUK_LABEL, _PIN_LABEL, f"{label}|pass", _PASSWORD_CJK)
    )
    return (
        rf"(?i)(?=[{first}])"
        rf"(?:(?:(?<![\w'’.-])(?:{label}|(?P<puk>{puk})|(?P<pin>{pin}))|{_PROSE_NAMED}(?:{named})"
        rf"|{_PROSE_QUOTED}{label})(?![\w’-]|'[\w’-])|{cjk})[`*_]*"
        r"(?:"
        rf"(?:[^\S\n]+{_PROSE_WHOSE_OPEN}(?:(?:[^\W\d_]|['’.-])+|{_PROSE_PRODUCT}(?![\w’-])){_PROSE_WHOSE_CLOSE}){{0,6}}?"
        rf"(?:{_PROSE_SEPARATOR}|{_PROSE_NEXT_LINE})"
        # a value of letters and digits, or of 6 digits or more alone (mot de passe : 19061985, a birthday; not a
        # length, a year, a phone number in pairs or in one block, a date written as ISO 8601's basic form: 12
        # caractères, 2026, 06 12 34 56 78, mdp : 0478123456 (appeler la présidente), mot de passe modifié : 20240619)
        # a product's name after a dash is a heading saying whose (mot de passe - Office365 : voir coffre, mdp -
        # Windows10), not its value
        rf"{_PROSE_OPENING}(?P<v>(?:(?<![-–—][^\S\n])|(?!{_PROSE_PRODUCT}(?!{_PROSE_VALUE_CHAR}|:))){_PROSE_PASSWORD_VALUE}"
        rf"{_PROSE_VALUE_CHAR}{{6,}}"
        r"|(?!(?:0|0033)[1-9][0-9]{8}(?![0-9])|20[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?![0-9]))"
        rf"[0-9]{{6,}}(?!{_PROSE_VALUE_CHAR})"
        # after a PIN's label, 4 digits or more (_PIN_LABEL)
        rf"|(?(pin){_PIN_DEFAULT}[0-9]{{4,8}}(?!{_PROSE_VALUE_CHAR})|(?!)))"
        rf"(?(nl){_PROSE_LINE_END})"
        # the label, then the value alone, in quotes or not (mdp Velo2024x, mdp "Velo2024x"), which names no
        # product; a product's name may come first, saying whose (mdp Office365 Velo2024x); after a PIN's label, 4
        # digits or more that are no year (code PIN 4821; not code PIN 2026). Up to six words saying whose may come
        # between the label and a value in quotes (group cq), the value then closing them, not before ':' or '='
        # (mot de passe wifi "Velo2024x", mdp du wifi « Velo2024x », password for the router "Velo2024x"), the last
        # word none naming what the quotes may name instead: an account, a network, a file, a vault (mot de passe du
        # compte "admin2024" changé, mot de passe du réseau "Livebox-A1B2" au dos de la box); in brackets as in quotes
        # (groups cb and cr: mot de passe (Lilas2024x), mot de passe wifi [Lilas2024x]), the bracket closing it and no
        # ':' or '=' after it (Mot de passe (FTP2024) : voir le coffre names whose)
        rf"|(?:[^\S\n]+(?:[`*_\"'«“‘「『]+[^\S\n]*|<(?:s|del|strike)>|[(\[{{][^\S\n]*+(?P<cb>))?"
        rf"|(?:[^\S\n]+(?:[^\W\d_]|['’.-])+){{0,5}}?[^\S\n]+{_NOT_NAMED_IN_QUOTES}"
        rf"(?:[^\W\d_]|['’.-])+[^\S\n]+(?:[\"'«“‘「『`]+[^\S\n]*(?P<cq>)|[(\[{{][^\S\n]*+(?P<cr>)))"
        rf"(?:{_PROSE_PRODUCT}[^\S\n]+[`*_]*)?(?P<w>{_PROSE_PASSWORD_VALUE}(?!{_PROSE_PRODUCT}(?!{_PROSE_VALUE_CHAR_NOT_COLON}))"
        rf"(?!(?!{_PASSWORD_AT}){_PROSE_VALUE_CHAR}*\.{_PROSE_VALUE_CHAR}){_PROSE_VALUE_CHAR}{{6,}}"
        rf"|(?(pin)(?!(?:19|20)[0-9]{{2}}(?![0-9])){_PIN_DEFAULT}[0-9]{{4,8}}(?!{_PROSE_VALUE_CHAR})|(?!))"
        rf"|(?(puk)[0-9]{{8}}(?!{_PROSE_VALUE_CHAR})|(?!)))"
        r"(?(cq)[^\S\n]*[\"'»”’」』`](?![^\S\n]*[:=：])|)"
        r"(?(cb)[^\S\n]*+[)\]}](?![^\S\n]*[:=：])|)(?(cr)[^\S\n]*+[)\]}](?![^\S\n]*[:=：])|)"
        r")"
    )


# The lines a password after its label is on (_password_pattern): its value holds a digit (_Pattern.digit) and is on
# the label's line, or alone on the next one after a line ending with ':', '=' or an arrow (up to two bare lines
# between), or on a line starting with one, up to two bare lines under the label's (_PROSE_NEXT_LINE); no other part
# of it holds a line break. A note
# naming where a password is kept, in words, with a digit on another line (mot de passe dans le coffre /
# DB_HOST=db1.lan) is searched on that line alone: the label's words that follow are each tried as a value, a separator
# and a word saying whose, about 35 µs a line.
_VALUE_LINES = LazyPattern(
    rf"{_LINE_END_SIGN}[^\S\n]*\n{_BARE_LINES}[^\n]*?[0-9]|\n{_BARE_LINES}[^\S\n]*{_LINE_START_SIGN}[^\n]*?[0-9]|[0-9]"
)
# Between a match's start and its value's first digit, or its separator ending the label's line (the gate's match),
# stand at most 20 runs of blanks: 4 in the label (clés de sécurité du réseau), 12 in six words saying whose (each a
# product's name of two words: Office 365), 2 in the separator (c'est maintenant, a dash between blanks) and 2 around
# the opening quote; the value holds none (or 8 words in quotes and 2 in a product's name before the value alone):
# searched from 32 runs before (_Pattern.reach).
_PASSWORD_REACH = 32
_PROSE_PASSWORD = _Pattern(
    _password_pattern("pmkcswhlaпκ密パ비패" + _ACCESS_CODE_FIRST, _PROSE_PASSWORD_BASE),
    gate=_VALUE_LINES,
    digit=True,
    reach=_PASSWORD_REACH,
)
_PROSE_PASSWORD_FURTHER = _Pattern(
    _password_pattern("cphglлakjpfşsكرگסהपm", _PASSWORD_FURTHER, further=True),
    gate=_VALUE_LINES,
    digit=True,
    reach=_PASSWORD_REACH,
)

# A password's sign: a character of a value that is no letter, digit, '_', '-', '.', '/', ':' nor '#', which a
# reference, a version, a path or a ticket holds too (FR-2024, ab12345-ovh, Lyon_2024/v2, PROMO#2024), but one a
# site's form asks a password for (Lilas2024x!, Velo$2024)
_PASSWORD_SIGN = r"[!?$%&*+=@^~|<>§£€\\]"  # noqa: S105 - the signs, no password
# A login's label (login, user, utilisateur, identifiant, compte, id; plurals too)
_PROSE_LOGIN = r"(?:logins?|user(?:name)?s?|utilisateurs?|identifiants?|comptes?|ids?)"
# pass alone, a password's label in English and French notes (pass : Azerty123, PASS= S3cr3tPw), but also a ticket
# or a card (Pass Culture, pass Navigo 2024/2025, Les Pass'Sport : 2025): only right before a separator's sign (':',
# '=', '::', an arrow...: _SEPARATOR_SIGN, as the other labels take) and a value of letters and digits as a
# password's, no word saying whose between them (Pass Navigo : Velo2024x is a card's name). Or pass after a login's
# label and the login, each after a blank, as a password's label is read there (login marie pass Azerty123, as login
# marie mdp Azerty123; a separator after the login's label, a comma, ';' or a dash after the login too: user: marie pass
# Soleil2024, login admin, pass Soleil2024): the value right after it (user marie pass à renouveler is none); the
# login read up to 200 characters, so that each login's label of a text reads a bounded part of it.
_PROSE_PASS = _Pattern(
    rf"(?i)(?:p(?<![\w'’.-]p)ass(?![\w’-]|'[\w’-])[`*_]*[^\S\n]*+{_SEPARATOR_SIGN}"
    rf"|(?<![\w'’.-]){_PROSE_LOGIN}[`*_]*(?:[^\S\n]*+{_SEPARATOR_SIGN}[^\S\n]*+|[^\S\n]++){_PROSE_VALUE_CHAR}{{1,200}}+"
    # (a comma, ';', '/' or a dash between blanks after the login too: login admin, pass Soleil2024; user: marie pass
    # ...)
    r"(?:[^\S\n]*+[,;/]|[^\S\n]++(?:--|[-–—]))?[^\S\n]++"
    rf"pass(?![\w’-]|'[\w’-])[`*_]*[^\S\n]++"
    # or after a word (a service's name: db pass Lilas2024x!, FTP pass Velo2024x) and a blank, the value right after
    # it shaped as a password (a letter after a digit, a capital after a small letter, or a password's sign: not wifi
    # pass Culture2024, Pass Navigo 2024)
    rf"|p(?<=[^\W\d_][^\S\n]p)ass(?![\w’-]|'[\w’-])[`*_]*[^\S\n]++(?P<sv>))"
    rf"{_PROSE_OPENING}(?P<v>{_PROSE_VALUE}"
    rf"(?(sv)(?={_PROSE_VALUE_CHAR}*?(?:[0-9][^\W\d_]|(?-i:[a-z][A-Z])|{_PASSWORD_SIGN}))|){_PROSE_VALUE_CHAR}{{6,}})",
    digit=True,
)
# A password's label glued to what it opens, as a configuration, a spreadsheet's column or a list of accounts names
# it: joined by '_' or '-' to a service's name or a word before or after it, or followed by a number (mdp_wp, pwd_ftp,
# wp-password, MDP-NAS2, mdp1, password2, mot_de_passe_ftp), pass so only after or before a '_' or before a digit
# (pass_ftp, pass2; not Pass-Sport, pass-culture, passe-partout: a card's, a tool's name), French's and English's
# passphrase written in two words joined (pass-phrase, pass_phrase); then a separator's sign (':', '=', an arrow:
# _SEPARATOR_SIGN, no copula nor blank: a word joined so may be a field's name in a sentence) and a value as after
# the label alone. Not the words naming what is said of a password rather than it (password-reset, mdp_oublie,
# password_policy, a hash, a length, a hint). _PROSE_NAMED's forms (DB_PASSWORD=, smtp_pass:) are
# _PROSE_PASSWORD's.
_GLUED_NOT_WHOSE = (
    r"(?!(?:reset|policy|policies|hash|hint|length|len|min|max|expir\w*|rules?|change|oubli\w*|forgot|lost|field"
    r"|form|page|url|lien|link|manager|strength|protected|less)(?![^\W_]))"
)
# The services a short label is joined to with nothing between (mdpwp, ftppass, wppwd, passwdftp, adminpass: a
# spreadsheet's column, a list of accounts), and the labels so joined; not other words, which pass ends (compass,
# bypass) or starts (passport, passwordless).
_GLUED_SERVICES = (
    r"(?:wp|wordpress|s?ftps?|ssh|db|bdd|sql|mysql|pma|nas|wi-?fi|smtp|imap|mail|webmail|admin|root|vpn|box|nc"
    r"|nextcloud|ovh|cpanel|git|site|web|user|compte|cloud)"
)
_GLUED_LABELS = r"(?:mdp|pwd|pw|pswd|passwd|password|pass)"
_PROSE_PASSWORD_GLUED = _Pattern(
    r"(?i)(?<![\w'’.-])(?:(?P<gp>(?:" + _GLUED_NOT_WHOSE + r"[^\W_]+?[_-])+?))?"
    rf"(?:pass[_-]phrases?|{_PASSWORD_ONLY}(?(gp)|(?=[_-]|[0-9]))|(?(gp)(?<=_)|)pass(?=_|[0-9])"
    rf"|(?(gp)(?!)|(?:{_GLUED_SERVICES}{_GLUED_LABELS}|{_GLUED_LABELS}{_GLUED_SERVICES})))"
    rf"(?:[_-]{_GLUED_NOT_WHOSE}[^\W_]++|[0-9]++)*+(?![\w’-]|'[\w’-])[`*_]*"
    # (or a blank, then a value shaped as a password: a letter after a digit, a capital after a small letter, or a
    # password's sign: mdpwp Lilas2024x!, mdp_wp Velo2024x; not password-reset Ticket4521)
    rf"(?:[^\S\n]*+{_SEPARATOR_SIGN}{_PROSE_OPENING}"
    rf"|[^\S\n]++(?={_PROSE_VALUE_CHAR}*?(?:[0-9][^\W\d_]|(?-i:[a-z][A-Z])|{_PASSWORD_SIGN})))"
    rf"(?P<v>{_PROSE_PASSWORD_VALUE}{_PROSE_VALUE_CHAR}{{6,}})",
    # (a label's word joined to another by '_', '-' or a digit, or to a service's name with nothing between, on the
    # value's line)
    gate=LazyPattern(
        rf"(?i)[_-](?:pass|pw|pswd|mdp|mots?(?:[^\S\r\n]|[_-])*de(?:[^\S\r\n]|[_-])*passe)"
        r"|(?:pass|pw|pswd|mdp)[a-z]*[_0-9-]"
        rf"|{_GLUED_SERVICES}(?:pass|pw|pswd|mdp)|(?:mdp|pw|pswd|pass)[wdor]*{_GLUED_SERVICES}"
    ),
    digit=True,
)

# code alone, which names a postcode, a reference, a class (code : 75001, Code : FR-2024, code : 9499Z) as often as
# a password: only right before a separator's sign, as pass, and a value shaped as a password and as no reference:
# letters, a digit and a password's sign (_PASSWORD_SIGN), which no reference holds (code: Lilas2024x!,
# Code = Velo$2024; not code : ab12345-ovh, code: PROMO#2024, code : Lyon_2024/v2).
_PROSE_CODE = _Pattern(
    rf"(?i)c(?<![\w'’.-]c)odes?(?![\w’-]|'[\w’-])[`*_]*[^\S\n]*+{_SEPARATOR_SIGN}"
    rf"{_PROSE_OPENING}(?P<v>{_PROSE_VALUE}(?={_PROSE_VALUE_CHAR}*?{_PASSWORD_SIGN})"
    rf"{_PROSE_VALUE_CHAR}{{6,}})",
    digit=True,
)

# A label naming a token or a key (token, jeton, secret, API key, clé API, clé secrète, access key), up to four
# words saying whose, a separator as a password's, and a value as a password's after its label, but of 8 characters
# or more (a secret, a token and a key name other things too: Secret : AG2024 reportée is an event): letters and a
# digit, one of them next to a letter (Token Matomo : 0123456789abcdef..., jeton d'accès : Zt8kq2LmW9xR, secret :
# Soleil2024, api key: Azerty123); not Token: renouvelé en mars, Token API Matomo : renouvelé le 2026-02-01,
# Secret : ne pas annoncer la fusion avant juin 2026.
_KEY_LABEL = (
    r"(?:tokens?|jetons?|secrets?|(?:api|access|secret)[ _-]?keys?"
    r"|cl(?:é|e|ef)s?[^\S\n]+(?:d['’][^\S\n]*)?(?:api|acc[èe]s|secr[èe]tes?|priv[ée]es?))"
)
_PROSE_KEY = _Pattern(
    rf"(?i)(?=[tjsackl])(?:(?<![\w'’.-])|{_PROSE_NAMED}|{_PROSE_QUOTED})"
    rf"{_KEY_LABEL}(?![\w’-]|'[\w’-])[`*_]*"
    rf"(?:[^\S\n]+{_PROSE_WHOSE_OPEN}{_PROSE_WHOSE_WORD}{_PROSE_WHOSE_CLOSE}){{0,4}}?"
    rf"(?:{_PROSE_SEPARATOR}{_PROSE_OPENING}|{_PROSE_NEXT_LINE}"
    # or right after the label and a blank, a value of letters and digits only, mixed, a letter after a digit and a
    # digit after a letter (token ab12Cd, api key ab12Cd34; not Token Matomo2024 renouvelé, jeton 2FA envoyé; a key of a
    # known shape, ghp_..., is an access key)
    rf"|[^\S\n]++(?=[^\W_]++(?!{_PROSE_VALUE_CHAR}))(?=[^\W_]*?[0-9][^\W\d_])(?=[^\W_]*?[^\W\d_][0-9])"
    # (no product's name: token YubiKey5C remis)
    rf"(?!{_PROSE_PRODUCT}(?!{_PROSE_VALUE_CHAR})))"
    rf"(?P<v>{_PROSE_VALUE}"
    rf"(?={_PROSE_VALUE_CHAR}*?(?:[0-9][^\W\d_]|[^\W\d_][0-9]|(?-i:[a-z][A-Z]))){_PROSE_VALUE_CHAR}{{8,}}"
    # or 5 to 7 letters and digits mixed, a letter after a digit and a digit after a letter, ending its clause
    # (token: ab12Cd, secret: x9Kq2; not Secret : AG2024, Token : Lyon69, token: v2, api key: v2.3.1)
    r"|(?=[^\W\d_]*+[0-9]++[^\W\d_])(?=[0-9]*+[^\W\d_]++[0-9])[^\W_]{5,7}+"
    rf"(?!{_PROSE_VALUE_CHAR})(?=[^\S\n]*+(?:$|\n|[,;)]|\.(?!\S))))"
    rf"(?(nl){_PROSE_LINE_END})",
    digit=True,
)
# A login and its password given as a pair: a label pairing a login's word (login, user, utilisateur, identifiant,
# compte, id) with a password's (login/pass: , user/mdp : , identifiant et mot de passe =), one naming both
# (identifiants, credentials, creds), or a service that takes a login and a password (_PROSE_SERVICE: FTP : asso /
# Velo2024x, Nextcloud : asso / Velo2024x, BDD : asso_main / Xk29pLm3), up to four words saying whose, a separator as a
# password's (or the line's end, the pair alone on the next line; after a service's name, nothing but a space before a
# pair written with '/'), then the login, '/' (spaces around it or none) or ':', and the password: a value as a
# password's, holding no '/' (identifiants : admin / Azerty123, credentials: admin:Azerty123). Not a login that names
# where the password is kept (identifiants : priv/ftp2024.txt, coffre/Velo2024, Bitwarden/Membres2024), nor a path of
# three words (Bitwarden/Membres/Velo2024), nor a key's fingerprint (Clé SSH : SHA256:uNiV...); nor two of a kind after
# a service's name (_PROSE_PAIR_NOT_VALUE).
# (a login's words: _PROSE_LOGIN, defined before _PROSE_PASS, which reads pass after one)
# The services whose name before a pair says it is a login and its password, each in the singular (Admins : marie /
# paul2 lists two accounts): those a web host's members log in to (FTP, SFTP, SSH, webmail, phpMyAdmin, WordPress,
# wp-admin, a database: MySQL, MariaDB, PostgreSQL, BDD, DB, base de données), the applications an association's
# site runs (Nextcloud, Dolibarr, Joomla, Drupal, SPIP, PrestaShop, Matomo, Galette, Paheko, CiviCRM...), its
# registrar's or host's account (OVH, Gandi, Infomaniak, o2switch, IONOS...), its mailboxes (Gmail, Outlook, mail,
# messagerie, SMTP, IMAP), its network (Wi-Fi, VPN, NAS, a box) and the sites it keeps an account on (Google, Zoom,
# HelloAsso, Canva, Facebook, Mailchimp, PayPal, Microsoft's Office365 or Office 365, iCloud...); and the words for
# an account or an access (compte, account, accès, admin, back-office, espace membre, identifiant, login, connexion,
# Zugangsdaten).
_PROSE_SERVICE_WORDS = (
    *("ftp", "ftps", "sftp", "sftps", "ssh", "webmail", "phpmyadmin", "wordpress", "wp-admin", "mysql", "mariadb"),
    *("postgres", "postgresql", "bdd", "db", "database", "base de données", "base de donnees", "nextcloud"),
    *("owncloud", "dolibarr", "joomla", "drupal", "spip", "prestashop", "moodle", "matomo", "piwik", "mediawiki"),
    *("discourse", "galette", "garradin", "paheko", "civicrm", "roundcube", "zimbra", "sympa", "cpanel", "plesk"),
    *("webmin", "yunohost", "ovh", "gandi", "infomaniak", "o2switch", "ionos", "hostinger", "alwaysdata", "gmail"),
    *("google", "outlook", "hotmail", "yahoo", "proton", "protonmail", "smtp", "imap", "pop", "pop3", "messagerie"),
    *("e-mail", "email", "mail", "wi-fi", "wifi", "vpn", "nas", "routeur", "router", "box", "livebox", "freebox"),
    *("bbox", "zoom", "helloasso", "canva", "facebook", "instagram", "twitter", "linkedin", "youtube", "mailchimp"),
    *("brevo", "sendinblue", "paypal", "stripe", "qonto", "sumup", "dropbox", "github", "gitlab", "discord", "slack"),
    *("mastodon", "framasoft", "assoconnect", "weezevent", "compte", "account", "accès", "acces", "admin"),
    *("office365", "office 365", "microsoft", "microsoft365", "microsoft 365", "m365", "onedrive", "icloud"),
    *("administrateur", "administrator", "back-office", "backoffice", "espace membre", "espace membres"),
    *("espace adhérent", "espace adhérents", "espace adherent", "espace adherents", "espace client", "espace admin"),
    # a login's word in the singular, and the words for the pair in German, Spanish, Italian and Dutch (Login :
    # marie / Lilas2024, Username: marie / Lilas2024, Zugangsdaten : ...); not identifiant, user, utilisateur or
    # connexion alone, which name other things with a '/' after them (Identifiant SIRET : 12345678900012 / APE9499Z,
    # User agent: Mozilla / Firefox128, Utilisateur : WordPress / PHP8.2, Connexion : Zoom / Teams2024)
    *("login", "zugangsdaten", "anmeldedaten", "credenciales", "credenziali", "inloggegevens", "username"),
    "benutzername",
)


def _any_word(words: list[str] | tuple[str, ...]) -> str:
    """A regular expression that matches any of ``words`` whole (a space in one matches any blanks but a line
    break), those with a common start grouped under it, as :func:`_any_of` does: at a word's start, re tries one
    alternative of each first character, not each word (the longer first where one word starts another)."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[0], []).append(word[1:])
    alternatives = []
    for first, rests in by_first.items():
        first_re = r"[^\S\n]+" if first == " " else re.escape(first)
        longer = [rest for rest in rests if rest]
        if not longer:
            alternatives.append(first_re)
        elif len(rests) == 1:  # one word: written whole
            alternatives.append(first_re + _any_word(longer))
        else:
            optional = "?" if "" in rests else ""
            alternatives.append(f"{first_re}(?:{_any_word(longer)}){optional}")
    return "|".join(alternatives)


_PROSE_SERVICE = f"(?:{_any_word(_PROSE_SERVICE_WORDS)})"
# A password's label (or pass), then its value where no separator stands between them but other words do, the value
# shaped as a password then (a letter after a digit, a capital after a small letter, or a password's sign: _SAID_SHAPED)
# and no product's name:
# - the service whose password it is, after up to two words saying so (mdp wp Velo2024!, pass ftp Lilas2024x!, mot de
#   passe de l'admin Velo$2024; not mot de passe wifi Culture2024, pass wifi Culture2024, mdp admin Windows10), or any
#   word or two after a label naming nothing but a password (mdp asso Velo2024!, mot de passe président Lilas2024x!;
#   after pass, a service's name only: Pass Culture 18ans! is a card's);
# - a verb saying it was changed to it, an auxiliary before it (password changed to Lilas2024x!, mot de passe changé en
#   Lilas2024x!, le mot de passe a été changé en Velo2024x, remplacé par, set to, reset to, devient; the old one between
#   too: changed from Azerty1 to Lilas2024x!, changé de Azerty1 en Lilas2024x!; not le mot de passe a été changé en
#   mars 2024, mot de passe changé en Janvier2024);
# or, after a separator's sign, a value of two words ending its line or clause, the first starting with a capital and
# no word saying where or when, the second holding a digit and a password's sign: a password typed with a blank (mdp :
# Velo 2024!; not Mot de passe : Janvier 2024, Mot de passe : 12 caractères!, mdp : Bonjour 2024 !).
_SAID_SERVICE = rf"(?:{_PROSE_SERVICE}|wp|pma|sql|root|web|site|cloud|git|nc)"
_SAID_FILLER = r"(?:du|de|des|la|le|les|the|for|of|pour|au|my|mon|ma|notre|our)"
_SAID_AUXILIARY = r"(?:a|avait|aura|est|était|sera|has|have|had|was|is|been|été|wurde)"
_SAID_VERB = (
    r"(?:(?:chang|modifi|remplac|r[ée]initialis|red[ée]fini|d[ée]fini|fix|renouvel|pass)[ée]e?s?"
    r"|mise?s?[^\S\n]+[àa][^\S\n]+jour)(?:[^\S\n]+d(?:e[^\S\n]+|['’])\S{1,64}+)?[^\S\n]+(?:en|à|a|par|pour|sur|avec|vers)"
    r"|(?:changed|set|reset|updated|switched|rotated|renewed)(?:[^\S\n]+from[^\S\n]+\S{1,64}+)?[^\S\n]+to"
    r"|devien[ts]|devenue?"
)
# A quantity, a time (500Go, 1920x1080, 18h30, 9h, 45min)
_PROSE_QUANTITY = r"[0-9]+(?:[.,][0-9]+)?(?:x[0-9]+)?(?:[kmgtp]i?[bo]|[kmgt]o|h(?:[0-9]{2})?|min|px|ms|s|j)?"
_SAID_SHAPED = (
    # (a sign inside the value, or only '!' or '?' ending it as a sentence ends, a capital, a small letter and a digit
    # in it then: mot de passe changé en Velo2024!; not mdp changé pour Paul2!, mdp modifié pour marie2!)
    rf"(?:(?={_PROSE_VALUE_CHAR}*?(?:[0-9][^\W\d_]|(?-i:[a-z][A-Z])|(?![!?]){_PASSWORD_SIGN}|[!?]++{_PROSE_VALUE_CHAR}))"
    rf"|(?={_PROSE_VALUE_CHAR}*?[!?])(?={_PROSE_VALUE_CHAR}*?(?-i:[A-ZÀ-ÖØ-Þ]))(?={_PROSE_VALUE_CHAR}*?(?-i:[a-zß-öø-ÿ]))"
    rf"(?={_PROSE_VALUE_CHAR}*?[0-9])(?={_PROSE_VALUE_CHAR}{{6}}(?<![!?])))"
    # (no time nor quantity, a sentence's sign after it or not: mot de passe changé à 18h30!)
    rf"(?!{_PROSE_QUANTITY}(?:[-–à]{_PROSE_QUANTITY})*{_SENTENCE_END}(?!{_PROSE_VALUE_CHAR}))"
    # (a word a separator follows says whose, no value: mot de passe root MariaDB10 : géré par Ansible)
    rf"(?!{_PROSE_VALUE_CHAR}*+[^\S\n]*+{_SEPARATOR_SIGN})"
    rf"(?!{_PROSE_PRODUCT}{_SENTENCE_END}(?!{_PROSE_VALUE_CHAR})){_PROSE_PASSWORD_VALUE}{_PROSE_VALUE_CHAR}{{6,}}"
)
_SAID_NOT_WORD = (
    r"(?!(?:voir|see|cf|dans|in|min|max|au|aux|le|la|les|du|des|de|depuis|since|avant|après|before|after|until"
    r"|jusqu\w*|plus|moins|at|least|chang\w*|modifi\w*|envoy\w*|chiffres?|caract\w*|signes?|coffre|vault|bitwarden"
    r"|keepass\w*|lastpass|dashlane|passbolt|versions?|niveaux?|levels?|[ée]tapes?|steps?|pages?"
    # (where it is written: Mot de passe : Dossier B12!, mdp : Ticket 1187!, Password: Entry 42!)
    r"|dossiers?|folders?|entr[ée]es?|entry|entries|tickets?|annexes?|appendix|chapitres?|chapters?|sections?"
    r"|articles?|lignes?|lines?|onglets?|tabs?|fiches?|classeurs?|salles?|rooms?|bureaux?|offices?|casiers?"
    r"|armoires?|tiroirs?|enveloppes?|carnets?|cahiers?|locaux|local"
    # (when: mdp : Mars 2024!, Mot de passe : Noël 2024!, mdp : AG 2024!)
    r"|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|january"
    r"|february|march|april|may|june|july|august|september|october|november|december|lundi|mardi|mercredi|jeudi"
    r"|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday|no[eë]l|p[âa]ques"
    r"|christmas|easter|[ée]t[ée]|hiver|automne|printemps|summer|winter|autumn|spring|ag|age|agm)(?![\w’-]))"
    rf"(?!{_PROSE_PRODUCT}(?![\w’-]))"
)
_SAID_SPACED = (
    rf"{_SAID_NOT_WORD}(?-i:[A-Z])[^\W_]{{1,19}}[^\S\n](?![0-9]{{1,2}}[/.:h][0-9])"
    rf"(?={_PROSE_VALUE_CHAR}*?[0-9])(?={_PROSE_VALUE_CHAR}*?{_PASSWORD_SIGN}){_PROSE_VALUE_CHAR}{{2,20}}+"
    r"(?=[^\S\n]*+(?:$|\n|[(,;]|[-–—][^\S\n]))"
)
# (a word saying whose: no filler, preposition or word of a length, which a count follows: mot de passe de
# 12caractères!, password with 8chars!)
_SAID_WORD = (
    rf"(?!(?:{_SAID_FILLER}|à|a|en|par|avec|sans|with|without|min|minimum|max|maximum|moins|plus|least|at|than|que"
    r"|d|l|aux)(?![\w’-]))(?:[^\W\d_]|['’.-])+"
)
_PROSE_PASSWORD_SAID = _Pattern(
    rf"(?i)(?=[pm])(?<![\w'’.-])(?:{_PASSWORD_ONLY}(?P<own>)|pass)(?![\w’-]|'[\w’-])[`*_]*"
    rf"(?:(?:[^\S\n]+{_SAID_FILLER}(?=[^\S\n])|[^\S\n]+[ld]['’](?=[^\W\d_])){{0,2}}"
    rf"(?:(?<=['’])|[^\S\n]+)(?:{_SAID_SERVICE}(?![\w’-]|'[\w’-])"
    rf"|(?(own){_SAID_WORD}(?:[^\S\n]+{_SAID_WORD})?|(?!)))[`*_]*[^\S\n]++"
    rf"|(?:[^\S\n]+{_PROSE_WHOSE_WORD}){{0,3}}?(?:[^\S\n]+{_SAID_AUXILIARY}){{0,2}}[^\S\n]+(?:{_SAID_VERB})[^\S\n]++"
    rf"|(?:[^\S\n]+{_PROSE_WHOSE_OPEN}{_PROSE_WHOSE_WORD}{_PROSE_WHOSE_CLOSE}){{0,6}}?[^\S\n]*+{_SEPARATOR_SIGN}"
    r"[^\S\n]*+(?P<sp>))"
    rf"(?P<v>(?(sp){_SAID_SPACED}|{_SAID_SHAPED}))",
    gate=_DIGIT_SIGN,
    reach=_PASSWORD_REACH,
    digit=True,
)

# What a login and a value after a service's name may be that is no login and password: a quantity or a range of
# them (Nextcloud : 500Go / 1000Go, Accès : 9h-12h / 14h-18h30, 1920x1080), a product named with a digit (Box :
# Livebox5 / Freebox6), a host name (Gandi : velo.org / velo2024.org), a Wi-Fi network's two bands (Wi-Fi : asso /
# asso-5G), an IPv6 or a MAC address (VPN : 10.8.0.1 / fd00:ab12::1), an identifier of capitals after a prefix
# (Google : UA-1234567-1 / G-AB12CD34EF, the Analytics tags); after a service's name, a value starting with the
# login's first word and its '_', '-' or '.' (BDD : asso_main / asso_test2, Wi-Fi : velo-asso / velo-asso-invites2:
# two of a kind, where identifiants : asso_main / asso_main2024 says login and password).
# (a character that goes on with a value read by these: not '/', nor a closing bracket, which ends the pair it
# opened: Box [Livebox4 / Livebox5], Nextcloud {500Go / 1000Go})
_PROSE_PAIR_CHAR = f"(?-i:[^/\\]}}{_PROSE_NOT_VALUE}])"
_PROSE_PAIR_NOT_VALUE = (
    rf"(?!{_PROSE_QUANTITY}(?:[-–à]{_PROSE_QUANTITY})*{_SENTENCE_END}(?!{_PROSE_PAIR_CHAR}))"
    rf"(?!{_PROSE_PRODUCT}{_SENTENCE_END}(?!{_PROSE_PAIR_CHAR}))"
    rf"(?![\w-]+(?:\.[\w-]+)*\.[^\W\d_]{{2,6}}\.?{_SENTENCE_END}(?!{_PROSE_PAIR_CHAR}))"
    rf"(?!{_PROSE_PAIR_CHAR}*?(?<![0-9.,])(?:2[.,]?4|5|6)g(?:hz)?{_SENTENCE_END}(?!{_PROSE_PAIR_CHAR}))"
    rf"(?!(?:[0-9a-f]{{0,4}}:){{2,}}[0-9a-f]{{0,4}}{_SENTENCE_END}(?!{_PROSE_PAIR_CHAR}))"
    rf"(?!(?-i:[A-Z]{{1,4}}-[A-Z0-9-]+){_SENTENCE_END}(?!{_PROSE_PAIR_CHAR}))"
    # a version, after a product's name too (Version : stable / 6.5beta2, Nextcloud : 28 / 29.0.1rc2, WordPress :
    # Yoast / WooCommerce8.5, thème Astra / Elementor3.2, PHP-8.2: letters, then numbers of up to three digits
    # joined by dots; Lilas2024.1 and Marie1.2024, which hold a year, and Lilas.2024 are none), a Linux disk's or
    # partition's name, a network interface's (Disque : sda / nvme0n1, Partition : sda1 / nvme0n1p2, Interface : eth0 /
    # enp3s0, wlp2s0)
    # (a sentence's end after the numbers alone: Version : 6.4.2b!; Lilas12.5! may be a password)
    r"(?!(?:[^\W\d_]+[_-]?[0-9]{1,3}(?:\.[0-9]{1,3})+(?P<vl>)|v?[0-9]+(?:\.[0-9]+)+)"
    r"(?:[-.~+]?(?:alpha|beta|rc|dev|pre|preview|snapshot|lts|final|stable|p|a|b)[0-9]*)*"
    rf"(?(vl)|{_SENTENCE_END})(?!{_PROSE_PAIR_CHAR}))"
    r"(?!(?:nvme[0-9]+n[0-9]+(?:p[0-9]+)?|mmcblk[0-9]+(?:p[0-9]+)?|(?:[sv]|xv)d[a-z]{1,2}[0-9]*"
    r"|(?:en|wl|ww)(?:[ops][0-9]+|x[0-9a-f]{12})[\w-]*|(?:eth|wlan|br|bond|veth|docker|virbr|wg|tun|tap)[0-9]+)"
    rf"{_SENTENCE_END}(?!{_PROSE_PAIR_CHAR}))"
)
# The login after a pair's label, then '/' or ':': not where a password is kept, a key's fingerprint, a version, a
# product's name and its version (WordPress : 6.5.3 / PHP8.2, WordPress : php8.2/mariadb10.11, SSH : OpenSSH_9.2p1 /
# Debian-2), a host named by three words or more (FTP : ftp.cluster021.hosting.ovh.net / asso2019: the host, then the
# login); its first word and its '_', '-' or '.' in group stem, the letters before its first digit in group model
# (DS220j, AX58U), its '@' and what comes before in group at (a handle: @velolyon, an account on a host: asso@web01).
_PROSE_PAIR_LOGIN = (
    r"(?!(?:priv|bitwarden|vaultwarden|keepass\w*|1password|lastpass|dashlane|passbolt|coffre|vault)\W*/)"
    r"(?!(?:sha(?:1|224|256|384|512)?|md5)[^\S\n]*:)"
    r"(?!(?:[^\W\d_]+[_-]?)?v?[0-9]+(?:\.[0-9]+)+[^\W_]*(?:[^\S\n]*\n)?[^\S\n]*[/:])"
    r"(?![\w-]+(?:\.[\w-]+)+\.[^\W\d_]{2,4}(?:[^\S\n]*\n)?[^\S\n]*[/:])"
    r"(?=(?P<stem>[^\W_]+[_.-])?)(?=(?:(?P<model>[^\W\d_]+)(?=[0-9]))?)(?=(?P<at>[^\s/:@]*@)?)"
    r"(?=(?P<addr>[^\s/:@\"'`,;()]++@[\w-]++(?:\.[\w-]++)++(?![^\s/:\"'`,;()]))?)"
    r"[^\s/:\"'`,;()]++[\"'`*_»”’」』]*"
)
# After a label's ':' or '=' (group co: a separator starting with one), the password after its login and a blank in
# brackets, round, square or curly (group lb: wp: paul (Lilas2024x), Nextcloud : asso [Velo2024x!]), or after a login
# that is an e-mail address and a blank (group sp: identifiants : paul@amis-du-rhone.org Lilas2024x); the bracket
# then closing it, no ':' or '=' after it (Nextcloud : marie (AG2024) : voir coffre).
_PROSE_PAIR_CLOSE = r"|(?(co)[^\S\n]++(?:[(\[{][^\S\n]*+(?P<lb>)|(?(addr)(?P<sp>)|(?!)))|(?!))"
# (a sign: a character of a value that is no letter, digit, '_', '/', '.', '-', '@' nor a closing bracket)
_PROSE_PAIR_SHAPE = rf"(?={_PROSE_PAIR_CHAR}*?(?:[0-9][^\W\d_]|(?-i:[a-z][A-Z])|(?-i:[^\w/.@\]}}{_PROSE_NOT_VALUE}-])))"
_PROSE_PAIR_CLOSED = (
    rf"(?(lb){_PROSE_PAIR_SHAPE}(?={_PROSE_PAIR_CHAR}{{6,}}+[^\S\n]*+[)\]}}](?![^\S\n]*[:=：]))"
    rf"|(?(sp){_PROSE_PAIR_SHAPE}|))"
)
# (what the gates of _PROSE_PAIR and _PROSE_PAIR_ANY find of such a pair: a bracket after a blank, a letter and a digit
# in the word it opens; an address's '@', its host, a blank, then a word holding a letter and a digit)
_PAIR_CLOSE_GATE = (
    r"[(\[{](?<=[^\S\n][(\[{])[^\S\n]*+(?=[^\s()\[\]{}]*?[^\W\d_])[^\s()\[\]{}]*?[0-9]"
    r"|@[\w-]++(?:\.[\w-]++)++[^\S\n]++(?=[^\s/:]*?[^\W\d_])[^\s/:]*?[0-9]"
)
# (group co: set where a label's separator starts with ':' or '=')
_PROSE_PAIR_COLON = rf"(?:(?=[^\S\n]*+{_SEPARATOR_SIGN})(?P<co>))?"
# A value of the login's kind: starting with its first word and its '_', '-' or '.' (BDD : asso_main / asso_test2),
# with its letters and a digit (models: NAS : DS220j / DS923plus, Routeur : AX58U / AX86Uv2), or holding '@' after a
# login holding one (handles: Instagram : @velolyon / @velo_lyon2, Mastodon : @asso@piaille.fr / @velo2@mastodon.social;
# accounts on hosts: SSH : asso@web01 / asso@web02): two of a kind, no login and its password.
_PROSE_PAIR_TWINS = r"(?!(?(stem)(?P=stem)|(?!)))(?!(?(model)(?P=model)[0-9]|(?!)))(?!(?(at)[^\s/:@]*@|(?!)))"
# The names of a field, which after a service's name and a dash are no login before ':' (Wi-Fi - réseau :
# Livebox-A1B2, FTP - serveur : ftp2.asso.org, Nextcloud - version : 28.0.1, Zoom - salle : B204x), in the singular
# and the plural
_PROSE_FIELD_NOT_LOGIN = (
    r"(?!(?:r[ée]seau|network|ssid|wi-?fi|salle|room|serveur|server|h[ôo]te|host(?:name)?|ports?|versions?|url|uri"
    r"|liens?|links?|adresses?|address(?:es)?|e-?mails?|mails?|courriels?|ip|dns|domaines?|domains?|noms?|names?|ids?"
    r"|identifiants?|logins?|users?|usernames?|utilisateurs?|comptes?|accounts?|num[ée]ros?|numbers?|num|codes?"
    r"|mod[èe]les?|models?|quotas?|espaces?|disques?|disks?|offres?|plans?|formules?|abonnements?|clients?"
    r"|contrats?|r[ée]f[ée]rences?|r[ée]fs?|objets?|sujets?|subjects?|dates?|jours?|heures?|horaires?|bases?|bdd"
    r"|databases?|db|sch[ée]mas?|tables?|pr[ée]fixes?|prefix(?:es)?|dossiers?|folders?|r[ée]pertoires?|chemins?"
    r"|paths?|fichiers?|files?|th[èe]mes?|themes?|plugins?|extensions?|licences?|licenses?|s[ée]ries?|serials?"
    r"|imei|iccid|mac|types?|statuts?|status|tarifs?|prix|price|langues?|languages?|pays|country|ville|city"
    r"|r[ée]unions?|meetings?|s[ée]ances?|[ée]v[ée]nements?|events?)"
    r"(?![\w’-]))"
)
_PROSE_PAIR = _Pattern(
    r"(?i)(?<![\w'’.-])"
    rf"(?:{_PROSE_LOGIN}(?:[^\S\n]*[/+&,][^\S\n]*|[^\S\n]+(?:et|and)[^\S\n]+)(?:{_PROSE_PASSWORD_LABEL}|pass(?:es)?)"
    rf"|(?P<ids>identifiants|credentials?|creds)|(?P<svc>{_PROSE_SERVICE})(?:(?P<tagged>)(?=:[^\s/:]))?+)"
    r"(?![\w’-]|'[\w’-])[`*_]*"
    rf"(?:[^\S\n]+{_PROSE_WHOSE_OPEN}{_PROSE_WHOSE_WORD}{_PROSE_WHOSE_CLOSE}){{0,4}}?"
    # after a service's name, a dash, then LOGIN : PASSWORD (group dash: FTP amicale - marie : Lilas2024), the login
    # no field's name (Wi-Fi - réseau : Livebox-A1B2, FTP - serveur : ..., Réunion - salle : B204)
    r"(?:(?(svc)[^\S\n]+(?:--|[-–—])[^\S\n]+(?P<dash>)"
    rf"(?={_PROSE_FIELD_NOT_LOGIN}[^\W\d_][^\s/:\"'`,;()]*+[^\S\n]*:[^\S\n]*[^\s/:])|(?!))"
    rf"|{_PROSE_PAIR_COLON}(?:{_PROSE_SEPARATOR}{_PROSE_OPENING}|{_PROSE_NEXT_LINE})"
    # after a service's name, the pair without a separator (group bare) or after a comma (blanks around it or
    # none), '/' between its two, the login starting with a letter, in round, square or curly brackets or not, the
    # bracket against the name or blanks inside it too (FTP amicale / Velo2024x, wp-admin marie / Lilas2024, FTP
    # amicale, marie / Lilas2024, compte admin (marie / Lilas2024), Nextcloud [marie / Lilas2024], Nextcloud {marie /
    # Lilas2024}, Nextcloud{marie / Lilas2024}, Nextcloud { marie / Lilas2024 })
    # (after identifiants, credentials or creds and words saying whose, the pair after a comma or ';' too:
    # Identifiants Windows 11, admin / Lilas2024)
    r"|(?:(?(svc)(?:[^\S\n]*[,;][^\S\n]*(?:[([{][^\S\n]*)?|[^\S\n]*[([{][^\S\n]*|[^\S\n]+)"
    r"|(?(ids)[^\S\n]*[,;][^\S\n]*|(?!)))"
    r"(?P<bare>)(?=[^\W\d_][^\s/:\"'`,;()]*+[\"'`*_»”’」』]*[^\S\n]*/)))"
    rf"{_PROSE_PAIR_LOGIN}"
    # (the line broken after '/', the password alone on the next: group pl)
    # (or before it, a blank after it: a line starting with '/' and a word is a path)
    r"(?:[^\S\n]*(?:/[^\S\n]*\n|\n[^\S\n]*/(?=[^\S\n]))[^\S\n]*(?P<pl>)|[^\S\n]*/[^\S\n]*|:"
    rf"|(?(dash)[^\S\n]*:[^\S\n]*|(?!)){_PROSE_PAIR_CLOSE})[\"'`*_«“‘「『]*{_PROSE_PAIR_CLOSED}"
    # without a separator, a value holding two digits in a row or a sign, as a password does, a closing bracket none
    # (not two of a kind told apart by a digit: accès web / mobile2, admin site / forum2, admin [site / forum2])
    rf"(?(bare)(?={_PROSE_VALUE_CHAR_NOT_SLASH}*?(?:[0-9]{{2}}|(?-i:[^\w/\]}}{_PROSE_NOT_VALUE}]))))"
    # a service's name joined to its ':', a value a name and ':' too: images and their tags, services and their
    # ports (Image : nextcloud:28-apache / nextcloud:29-apache, Ports : smtp:587 / imap:993)
    rf"(?(svc){_PROSE_PAIR_NOT_VALUE}{_PROSE_PAIR_TWINS}(?(tagged)(?![^\W\d_][\w.-]*:)))"
    rf"(?P<v>{_PROSE_VALUE}{_PROSE_VALUE_CHAR_NOT_SLASH}{{6,}}+)(?!{_PROSE_VALUE_CHAR})(?(nl){_PROSE_LINE_END})"
    rf"(?(pl){_PROSE_LINE_END})",
    # (the '/' or ':' between the login and the password, a character of each around it; the label on its line or
    # the line before)
    # (or a dash between blanks, a word and ':', after a service's name)
    # (or a '/' ending its line, then the line after it)
    # (or the separator starting a line after bare ones, from the label's line: the '/' or ':' is on its line)
    gate=LazyPattern(
        r"[/:](?<=[^\s/:][/:]|[^\S\n]/)(?=[^\S\n]*[^\s/:])"
        r"|(?<=[^\S\n])(?:--|[-–—])[^\S\n]+[^\s/:]+[^\S\n]*:(?=[^\S\n]*[^\s/:])"
        r"|/(?<=[^\s/:]/|[^\S\n]/)[^\S\n]*\n(?=[^\S\n]*[^\s/:])"
        # (or a line starting with '/' and a blank, from the line before it)
        r"|(?<=[^\s/:])[^\S\n]*\n[^\S\n]*/(?=[^\S\n]+[^\s/:])"
        rf"|\n(?:[^\S\n]*+#*+[^\S\n]*+\n){{1,2}}[^\S\n]*{_LINE_START_SIGN}"
        # (or a bracket or an address before the password: _PROSE_PAIR_CLOSE's; or the separator ending the label's
        # line over bare ones, from the label's line: its last sign, which one of _SEPARATOR_SIGN's ends with, a
        # class re tries at once where the whole separator is tried sign by sign)
        rf"|{_PAIR_CLOSE_GATE}"
        rf"|{_SEPARATOR_LAST}[^\S\n]*+\n(?:[^\S\n]*+#*+[^\S\n]*+\n){{1,2}}[^\S\n]*+[^\s/:]"
    ),
    before=1,
    digit=True,
)
# A pair after the name of a service _PROSE_SERVICE does not name (Pipedrive : asso / Xk29pLm3): any word of letters
# (a capital or not, joined by '-'), in the singular (Serveurs : web01a / web02b lists two), up to two words saying
# whose, a separator's sign (':', '=', '::', an arrow...: _SEPARATOR_SIGN; or the line's end), LOGIN / PASSWORD (or
# after ':' or '=', _PROSE_PAIR_CLOSE's LOGIN (PASSWORD) or ADDRESS PASSWORD) (not ':' between them: Réunion :
# salle:B12x), where the
# password is shaped like a key, as _PROSE_KEY's (8 characters or more... here 6: a digit, and a letter after a
# digit or a capital after a small letter: Velo2024x, Xk29pLm3; not Soleil2024, which the services named take), holds
# no ':' and starts otherwise than the login (Modèle : iPhone12 / iPhone13x); the login is no number in hexadecimal
# (a commit, a snapshot: Restic : 3f2a9c1e / 8b4d4e6f); nor any of _PROSE_PAIR_NOT_VALUE. Horaires : lundi / mardi,
# Version : 8.2 / 8.3, Contact : Marie / Paul, Offre : Perso2019 / Pro2024 are none.
_PROSE_PAIR_ANY = _Pattern(
    r"(?i)(?<![\w'’.@/-])(?=[^\W\d_])(?![^\W\d_-]*[sx](?![\w’-]))[^\W\d_]++(?:-[^\W\d_]++)*+(?![\w’-]|'[\w’-])[`*_]*"
    rf"(?:[^\S\n]+(?:[^\W\d_]|['’.-])+){{0,2}}?"
    rf"(?:{_PROSE_PAIR_COLON}[^\S\n]*+{_SEPARATOR_SIGN}[^\S\n]*+[\"'«“‘「『`*_]*[^\S\n]*+(?=[^\s/:])|{_PROSE_NEXT_LINE})"
    r"(?![0-9a-f]*[0-9][0-9a-f]*(?:[^\S\n]*\n)?[^\S\n]*/)"
    r"(?=(?P<p3>[^\W\d_]{3})?)"
    rf"{_PROSE_PAIR_LOGIN}(?:[^\S\n]*(?:/[^\S\n]*\n|\n[^\S\n]*/(?=[^\S\n]))[^\S\n]*(?P<pl>)|[^\S\n]*/[^\S\n]*"
    rf"{_PROSE_PAIR_CLOSE})[\"'`*_«“‘「『]*{_PROSE_PAIR_CLOSED}"
    rf"{_PROSE_PAIR_NOT_VALUE}{_PROSE_PAIR_TWINS}(?!(?(p3)(?P=p3)|(?!)))"
    rf"(?P<v>{_PROSE_VALUE}(?={_PROSE_VALUE_CHAR_NOT_SLASH_COLON}*?(?:[0-9][^\W\d_]|(?-i:[a-z][A-Z]))){_PROSE_VALUE_CHAR_NOT_SLASH_COLON}{{6,}}+)"
    rf"(?!{_PROSE_VALUE_CHAR})(?(nl){_PROSE_LINE_END})(?(pl){_PROSE_LINE_END})",
    # (the separator, the login and its '/' on the same line, or a separator ending its line and a '/' on the next;
    # and the line after a '/' ending its line)
    gate=LazyPattern(
        # (a sign starting the login's line or ending the label's: the last of its separator's, one class re tries at
        # once; the login read up to 200 characters, so that each sign of a run of them, or of signs and words, reads
        # a bounded part of it: a time in the length of the text)
        rf"{_SEPARATOR_LAST}[^\S\n]*(?:[\"'«“‘「『`*_]*[^\S\n]*[^\s/:]{{1,200}}+(?:[^\S\n]*\n)?[^\S\n]*/"
        rf"|\n{_BARE_LINES}[^\n]*/)(?:[^\S\n]*\n)?"
        rf"|\|[^\S\n]*\n{_BARE_LINES}[^\n]*/(?:[^\S\n]*\n)?|\n{_BARE_LINES}[^\S\n]*{_LINE_START_SIGN}[^\n]*/(?:[^\S\n]*\n)?"
        rf"|{_PAIR_CLOSE_GATE}"
    ),
    digit=True,
)
# A login and its password after a login's label (login, user, username, utilisateur, identifiant, compte; or
# identifiants, credentials, creds) and a blank (a space or a tab after user), no separator: the login, then ':'
# against both (credentials marie:Azerty123; not user www-data:www-data, a value holding no digit; nor compte
# asso:asso2024, a value starting with the login: a user and its group), or a comma or ';' then a value holding a
# password's sign (login marie, Azerty123!; not login marie, paul2024 nor utilisateurs marie, paul2024 et jean,
# lists of logins). The login read up to 200 characters, so that each label of a text reads a bounded part of it.
_PROSE_LOGIN_PAIR = _Pattern(
    r"(?i)(?=[luic])(?<![\w'’.-])"
    r"(?:login|username|user(?=[ \t])|utilisateur|identifiants?|compte|credentials?|creds)(?![\w’-]|'[\w’-])[`*_]*"
    r"[^\S\n]++"
    r"(?=(?P<lg>[^\W\d_][\w.@+-]{0,199}+))(?P=lg)"
    r"(?::|[^\S\n]*[,;][^\S\n]*+(?P<cm>))(?!(?P=lg))"
    rf"(?P<v>{_PROSE_VALUE}(?(cm)(?={_PROSE_VALUE_CHAR}*?{_PASSWORD_SIGN})|){_PROSE_VALUE_CHAR_NOT_COLON}{{6,}}+)"
    rf"(?!{_PROSE_VALUE_CHAR})",
    digit=True,
)
# A login and its password in a row of a markdown table whose header names no column (or that has none: | wp |
# marie | Lilas2024x! |, |admin|Lilas2024x!|): cells or none, then the login's (a word), then a cell holding only a
# password holding a sign a password's form asks for and no price, reference nor version holds (! ? $ % & * = ^ ~ @ \:
# not €, £, #, +, <, >: | Offre | Pro | 12€/mois2 |, | Code | promo | PROMO#2024 |, | PHP | 8.2 | >=8.1 |; nor a
# price's digit and currency: | Adhésion | 15€/an! |), as after a service's name and its login
# (_PROSE_SERVICE_BLANK_PAIR). The login read up to 100 characters.
_ROW_PASSWORD_SIGN = r"[!?$%&*=^~@\\]"  # noqa: S105 - the signs, no password
_PROSE_ROW_PAIR = _Pattern(
    r"(?im)^[^\S\n]*+\|(?:[^|\n]*+\|)*?[^\S\n]*+[^\W\d_][\w.@+-]{0,99}+[^\S\n]*+\|[^\S\n]*+"
    # (the cell's own lookaheads first, each bounded by its '|': _PROSE_VALUE's read on to the line's end, for each
    # cell of a long row: | a | a | ... in a time of its square)
    rf"(?P<v>(?=[^\s|]*?[0-9])(?=[^\s|]*?[^\W\d_])(?=[^\s|]*?{_ROW_PASSWORD_SIGN}){_PROSE_VALUE}"
    # (no quantity, a time or a range of them ending a sentence: | lundi | 9h-12h! |)
    rf"(?!{_PROSE_QUANTITY}(?:[-–à]{_PROSE_QUANTITY})*{_SENTENCE_END}[^\S\n]*+\|)"
    # (no price: | Adhésion | 15€/an! |)
    r"(?![^\s|]*?[0-9][€£])[^\s|\"'`,;()]{6,}+)[^\S\n]*+\|",
    # (a password's sign in a cell between two bars)
    gate=LazyPattern(rf"\|[^|\n]*?{_ROW_PASSWORD_SIGN}[^|\n]*\|"),
    digit=True,
)
# A login and its password after a service's name (_PROSE_SERVICE) and its separator's sign, a blank between them,
# the password holding a password's sign (wp-admin: marie Azerty123!, Nextcloud = asso Velo$2024); not Zoom : lundi
# 18h30, WordPress : thème Astra2 + Elementor, whose words hold none; nor a field's name and its value, which a
# sentence's '!' may end (Wi-Fi : réseau Asso-5G!, VPN : serveur Asso-2!, Box : modèle Livebox-6!), nor a value no
# password is after a service's name (_PROSE_PAIR_NOT_VALUE's: Wi-Fi : asso Asso-5G!). The login read up to 200
# characters.
# (the names of a field naming a thing, not an account: no login, user, compte nor code, after which a password's
# word may follow as the login's, FTP : login Lilas2024x!)
_SERVICE_FIELD_NOT_LOGIN = (
    r"(?!(?:r[ée]seau|network|ssid|salle|room|serveur|server|h[ôo]te|host(?:name)?|versions?|noms?|names?"
    r"|mod[èe]les?|models?|volumes?|partages?|shares?|disques?|disks?|offres?|plans?|formules?|th[èe]mes?|themes?"
    r"|plugins?|extensions?|bases?|bdd|databases?|dossiers?|folders?|r[ée]pertoires?)(?![\w’-]))"
)
_PROSE_SERVICE_BLANK_PAIR = _Pattern(
    rf"(?i)(?<![\w'’.-])(?:{_PROSE_SERVICE})(?![\w’-]|'[\w’-])[`*_]*[^\S\n]*+{_SEPARATOR_SIGN}[^\S\n]*+"
    rf"{_SERVICE_FIELD_NOT_LOGIN}[^\W\d_][\w.@+-]{{0,199}}+[^\S\n]++{_PROSE_PAIR_NOT_VALUE}"
    rf"(?P<v>{_PROSE_VALUE}(?={_PROSE_VALUE_CHAR}*?{_PASSWORD_SIGN}){_PROSE_VALUE_CHAR}{{6,}}+)"
    rf"(?!{_PROSE_VALUE_CHAR})",
    digit=True,
    # its value holds a password's sign, on its line: a note's lines holding none (most, whose ':' or '=' it needs)
    # are not searched
    gate=LazyPattern(_PASSWORD_SIGN),
)
# A login that is an e-mail address and its password after it, no label before them (marie@asso.org Lilas2024x!,
# marie@asso.org / Lilas2024x!, paul@asso.org → Velo2024!): a blank, '/' or a separator's sign between them, the
# password holding a sign a password's form asks for and no price, reference nor version holds (_ROW_PASSWORD_SIGN's:
# not 12€/mois2, PROMO#2024), nor another address or a handle (paul@asso.org → jean2@asso.org!, @velo2@mastodon.social),
# nor a time (18h30!). A word after an address is else a name, a role or a date, and passes.
_PROSE_ADDRESS_PAIR = _Pattern(
    r"(?i)(?<![\w.+@-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++[^\S\n]*+"
    rf"(?:/[^\S\n]*+|{_SEPARATOR_SIGN}[^\S\n]*+|(?<=[^\S\n]))"
    r"(?![0-9]{1,2}[h:][0-9]{2}(?![^\W\d_]))(?![^\s@]*+@[\w-]++\.)"
    rf"(?P<v>{_PROSE_VALUE}(?={_PROSE_VALUE_CHAR}*?{_ROW_PASSWORD_SIGN}){_PROSE_VALUE_CHAR}{{6,}}+)"
    rf"(?!{_PROSE_VALUE_CHAR})",
    digit=True,
    # a password's sign on the address's line: most lines holding an address hold none
    gate=LazyPattern(_ROW_PASSWORD_SIGN),
)
# A login and its password alone on their line, no label before them (admin / Lilas2024x!, - marie / Velo$2024; a
# list's mark or markdown's before them): a word, '/' and a password holding a sign a password's form asks for and no
# price, reference nor version holds (_ROW_PASSWORD_SIGN's), a letter and a digit, nor a time (réunion / 18h30!); or a
# login in small letters (no word a note puts before ':' to say what follows: note, rappel, info...), ':' and such a
# password, shaped as one too (a letter after a digit or a capital after a small letter: marie : Lilas2024x!; not
# note : Top2024!, Rappel : AG2024!). Admins / éditeurs, lundi / mardi 2024, site / forum2 hold no such sign.
_LINE_PAIR_NOT_LOGIN = (
    r"(?!(?:notes?|nb|ps|rappels?|remarques?|attention|infos?|objectifs?|todo|statut|status|r[ée]sultats?|total"
    r"|bilan|prix|tarifs?|slogan|devise|motto|titre|title|th[èe]me|theme|message|r[ée]ponse|answer|question|codes?"
    # (secure: Pulumi's key of a secret's ciphertext in a stack file, a commented-out line's as a note's)
    r"|r[ée]f|ref|important|urgent|nouveau|new|ancien|old|exemple|example|ex|mot|mdp|password|pass|pwd|secure)"
    r"(?![\w’-]))"
)
# (a character of its password: no '/', ':' nor '@', which a login:password@host's is read by its own form)
_LINE_PAIR_CHAR = f"(?-i:[^/:@{_PROSE_NOT_VALUE}])"
# A password holding one of _ROW_PASSWORD_SIGN's inside it, or only '!' or '?' ending it as they end a sentence
# (prod / staging2!, - mac / win11!, horaires : 9h-12h!): then a capital, a small letter and a digit in its first 6
# characters and more, as the forms asking for the sign ask (admin / Velo2024!); nor a quantity, a time, a product, a
# version, a Wi-Fi's band or any value _PROSE_PAIR_NOT_VALUE says is no password after a service's name, nor a price.
_LINE_PAIR_SHAPE = (
    rf"(?={_LINE_PAIR_CHAR}*?(?:[$%&*=^~@\\]|[!?]++{_LINE_PAIR_CHAR}))"
    rf"|(?={_LINE_PAIR_CHAR}*?(?-i:[A-ZÀ-ÖØ-Þ]))(?={_LINE_PAIR_CHAR}*?(?-i:[a-zß-öø-ÿ]))(?={_LINE_PAIR_CHAR}*?[0-9])"
    rf"(?={_LINE_PAIR_CHAR}{{6}}(?<![!?]))"
)
_PROSE_LINE_PAIR = _Pattern(
    r"(?im)^[^\S\n]*+(?:[-*•][^\S\n]++)?[`*_]*"
    r"(?:[^\W\d_][\w.@+-]{0,39}+[`*_]*[^\S\n]*+/[^\S\n]*+"
    rf"|{_LINE_PAIR_NOT_LOGIN}(?-i:[a-z][a-z0-9._-]{{1,39}}+)[`*_]*[^\S\n]*+:[^\S\n]*+(?P<lc>))[`*_]*"
    rf"(?![0-9]{{1,2}}[h:][0-9]{{2}}(?![^\W\d_])){_PROSE_PAIR_NOT_VALUE}(?![^\s/]*?[0-9][€£])"
    rf"(?P<v>{_PROSE_VALUE}(?=[^\s/]*?{_ROW_PASSWORD_SIGN})(?:{_LINE_PAIR_SHAPE})"
    rf"(?(lc)(?={_LINE_PAIR_CHAR}*?(?:[0-9][^\W\d_]|(?-i:[a-z][A-Z])))|)"
    rf"{_LINE_PAIR_CHAR}{{6,}}+)[`*_]*[^\S\n]*+$(?!\n[^\S\n]*@)",
    digit=True,
    # a password's sign on the pair's line (most lines holding '/' or ':' hold none), and the next line when it
    # starts with '@' (asso:Velo2024x!⏎@localhost: credentials before a host name, their line broken)
    gate=LazyPattern(rf"{_ROW_PASSWORD_SIGN}(?:[^\n]*\n[^\S\n]*@)?"),
)
# The words in lower case one of which any text _PROSE_PASSWORD matches holds (mots de passe and phrase de passe
# hold pass, Passwort too; m.d.p. holds m.d, PIN pin; пар: the о of пароль matches ᲂ ignoring case, which lower()
# keeps; ωδ: the κ of κωδικός matches ϰ), those of _PROSE_PAIR and _PROSE_PAIR_ANY (the '/' or ':' between a login
# and its password) and _PROSE_KEY's (api key, clé API...); _PROSE_NEEDS: those of every form prose is read for, so
# that a text holding none (an association's or a contact's usual name, most notes) is searched no further
# (tests/test_fields_fast.py checks that this changes no verdict).
_PROSE_PASSWORD_NEEDS = (
    "code",
    "codi",  # codice, codigo, codi (_ACCESS_CODE_LABEL)
    "códi",
    "clé",
    "cle",
    "pass",
    "pw",
    "pswd",
    "mdp",
    "m.d",
    "m. d",
    "pin",
    "puk",
    "kennw",
    "contrase",
    "senha",
    "wachtwoord",
    "hasł",
    "hasl",
    "senord",
    "salasan",
    "пар",
    "ωδ",
    "ordine",
    "密码",
    "密碼",
    "パスワード",
    "비밀번호",
    "패스워드",
)
# _PROSE_PAIR's: the '/' or ':' between the login and the password (which _PROSE_PAIR's gate finds first)
# _PROSE_PASSWORD_FURTHER's
# (зинк: the о of лозинка matches ᲂ ignoring case, which lower() keeps.) They are looked for only in a text holding a
# digit (_PROSE_NEEDS_FURTHER), which any value after them holds, as any password's after its label does.
_PROSE_PASSWORD_FURTHER_NEEDS = (
    *("clave", "contrasenya", "contrasinal", "palavra", "hesl", "gesl", "lozink", "зинк", "adgangskode", "kodeord"),
    *(
        "passord",
        "lykilor",
        "parool",
        "salas",
        "slapta",
        "jelsz",
        "parolă",
        "parola",
        "kalim",
        "cyfrinair",
        "pasfhocal",
    ),
    *("pasahitz", "ifre", "كلمة", "رمز", "گذرواژه", "סיסמ", "पासवर्ड", "khẩu", "khau", "sandi", "laluan"),
)
# _PROSE_PASSPHRASE's: every password's label (a passphrase holds no digit: the words of _PROSE_PASSWORD_FURTHER's are
# looked for in a text holding none of the others' only where _PASSPHRASE_GATE or a line break is found)
_PROSE_PASSPHRASE_NEEDS = (*_PROSE_PASSWORD_NEEDS, *_PROSE_PASSWORD_FURTHER_NEEDS)
# (or an arrow: a separator's sign, _SEPARATOR_SIGN's, before a login and its password in brackets or after its
# address: '>', which the other arrows are folded to, _ASCII_FOLD)
_PROSE_PAIR_NEEDS = ("/", ":", "=", ">")
# _PROSE_LOGIN_PAIR's: its labels' words (user with the space or tab after it, which the label takes there: a line
# of an export holding user1.123456@gmail.com is searched no further)
_PROSE_LOGIN_PAIR_NEEDS = (
    *("login", "username", "user ", "user\t", "utilisateur", "identifiant", "compte", "credential", "creds"),
)
# _PROSE_PAIR_ANY's: the '/' between the login and the password, or the ':' or '=' after the label before a password
# in brackets or after an address (_PROSE_PAIR_CLOSE)
_PROSE_PAIR_ANY_NEEDS = ("/", ":", "=")
_PROSE_KEY_NEEDS = ("token", "jeton", "secret", "key", "cle", "clé")


# The other secrets a label names, read as a password after its label (up to four words saying whose in between, then
# a separator; or the value right after the label): the value's group v, its form its own.
_LABELLED_WHOSE = rf"(?:[^\S\n]+{_PROSE_WHOSE_OPEN}{_PROSE_WHOSE_WORD}{_PROSE_WHOSE_CLOSE}){{0,4}}?"


def _labelled(label: str, value: str, direct: bool = True) -> str:
    """A label (``label``, a whole word or words), words saying whose, a separator (or, with ``direct``, none: the
    value right after the label), and a value (``value``) in group v, alone on its line when it is on the next."""
    alone = r"|(?=[^\S\n])" if direct else ""
    return (
        rf"(?i)(?<![\w'’.-])(?:{label})(?![\w’-]|'[\w’-])[`*_]*"
        rf"(?:{_LABELLED_WHOSE}(?:{_PROSE_SEPARATOR}|{_PROSE_NEXT_LINE}){alone})"
        rf"{_PROSE_OPENING}(?P<v>{value})(?(nl){_PROSE_LINE_END})"
    )


def _luhn(match: re.Match[str]) -> bool:
    """Whether the card number in ``match``'s group v has 13 to 19 digits that pass the Luhn check (ISO/IEC 7812-1's
    check digit), and not one digit repeated (0000 0000 0000 0000, a placeholder)."""
    digits = [int(c) for c in match.group("v") if c.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        total += (digit * 2 - 9 if digit > 4 else digit * 2) if i % 2 else digit
    return total % 10 == 0


# A payment card's number after a card's label (carte, carte bancaire, carte bleue, CB, card, credit card, Visa,
# Mastercard, Amex, numéro de carte): 13 to 19 digits, in one block or in groups (of 4, Amex's 4-6-5) separated by
# a space or '-', that pass the Luhn check (ISO/IEC 7812), as a card's number does (Carte : 4970 1234 5678 9013); not
# the cards that are no payment card (carte adhérent, carte SIM, whose ICCID passes the Luhn check too, carte
# Vitale, carte grise, carte cadeau, carte d'identité...), nor a number without a card's label (a SIRET passes the
# Luhn check: SIRET : 73282932000074). A card's expiry date (Carte : expire 12/2027) and its last digits (CB : se
# termine par 9013) are no number.
_CARD_NOT_PAYMENT = (
    r"(?![^\S\n]+(?:d['’][^\S\n]*)?(?:adh[ée]rents?|membres?|de[^\S\n]+membre|member|fid[ée]lit[ée]|loyalty|sim|vitale"
    r"|grise|cadeau|gift|identit[ée]|id|r[ée]seau|network|m[èe]re|son|sound|graphique|graphics|wi-?fi|sd|micro-?sd"
    r"|de[^\S\n]+visite|business|postale|jeune|senior|famille|transport|navigo|tcl|bus|pro(?:fessionnelle)?|presse"
    r"|d['’][^\S\n]*(?:adh[ée]rent|identit[ée]|acc[èe]s|[ée]tudiant|électeur|electeur))(?![\w’-]))"
)
_CARD_LABEL = (
    r"(?:num[ée]ros?[^\S\n]+de[^\S\n]+(?:la[^\S\n]+)?(?:carte|cb)|(?:carte|card)s?"
    + _CARD_NOT_PAYMENT
    + r"|cb|credit[^\S\n]+card|debit[^\S\n]+card|visa|master[^\S\n]?card|amex|american[^\S\n]+express)"
    # its number's abbreviation after it (Visa n° 4970..., CB no. 4970...)
    r"(?:[^\S\n]+(?:n[°º]|no\.|num\.|num[ée]ro))?"
)
_PROSE_CARD = _Pattern(
    _labelled(_CARD_LABEL, r"[0-9]{4}(?:[ -]?[0-9]{2,7}){1,4}|[0-9]{13,19}", direct=True)
    + r"(?![0-9]|[ -][0-9]|[.,/][0-9])",
    valid=_luhn,
    digit=True,
)
_PROSE_CARD_NEEDS = ("carte", "card", "cb", "visa", "amex", "american")
# A card's security code (CVV, CVC, CVV2, CVC2, cryptogramme (visuel), code de sécurité de la carte, card security
# code): 3 or 4 digits (CVV : 123, cryptogramme visuel : 123; not CVV : 3 chiffres au dos).
_PROSE_CVV = _Pattern(
    _labelled(
        r"cv[cv]2?|cvn|cryptogrammes?(?:[^\S\n]+visuels?)?"
        r"|codes?[^\S\n]+de[^\S\n]+s[ée]curit[ée][^\S\n]+(?:de[^\S\n]+la[^\S\n]+|du[^\S\n]+)?(?:carte|cb)"
        r"|(?:card[^\S\n]+)?security[^\S\n]+codes?",
        r"[0-9]{3,4}",
    )
    + r"(?![\w’'/@-]|[.:,][0-9])",
    digit=True,
)
_PROSE_CVV_NEEDS = ("cvv", "cvc", "cvn", "cryptogramme", "curit")
# A Wi-Fi network's key after its label in the words a router's page, hostapd or a note gives it (WPA2: ..., WPA
# key=..., wpa_passphrase=..., PSK: ..., WEP key, Wi-Fi key, WLAN key; French's sésame, a password's word too), words
# saying whose, then a separator (WPA2 obligatoire, WPA2-PSK : activé, WPA : WPA2-PSK, WPA2 : AES256 pass) and a value
# as a password's after its label. (French's clé Wi-Fi, clé WPA, code Wi-Fi are _WIFI_KEY's, a password's label.)
# (no standard, cipher, band nor box a router's page names after WPA2, a sentence's end after it or not: WPA2 :
# 802.11ac!, WPA2-PSK : AES-CCMP128, WPA2: 2.4GHz / 5GHz, WPA2 : Livebox5!; _PROSE_VALUE's algorithms: WPA2 : AES256!)
_WIFI_NOT_KEY = (
    r"(?!(?:802\.11[a-z]{0,2}|(?:aes-?)?(?:ccmp|gcmp)(?:-?[0-9]+)?|tkip|[0-9]+(?:[.,][0-9]+)?[^\S\n]?[gm]hz"
    rf"|{_PROSE_PRODUCT}){_SENTENCE_END}(?!{_PROSE_VALUE_CHAR}))"
)
_PROSE_WIFI_KEY = _Pattern(
    _labelled(
        r"wpa[0-9]?(?:[-_](?:psk|personal|passphrase|key))?(?:[^\S\n]+(?:keys?|passphrase|psk))?"
        r"|wep(?:[^\S\n]+keys?)?|psk|(?:wi-?fi|wlan)[^\S\n]+keys?|s[ée]sames?",
        rf"{_WIFI_NOT_KEY}{_PROSE_PASSWORD_VALUE}{_PROSE_VALUE_CHAR}{{6,}}",
        direct=False,
    ),
    digit=True,
)
_PROSE_WIFI_KEY_NEEDS = ("wpa", "wep", "psk", "sésame", "sesame", "wifi", "wi-fi", "wlan")
# A two-factor seed (TOTP, 2FA, A2F, OTP, MFA, clé 2FA, secret TOTP, seed; words saying whose may follow: TOTP
# Gandi, clé secrète 2FA...): base32 of 16 characters or more (JBSWY3DPEHPK3PXP), in capitals or in small letters,
# in one block or in groups of 4 separated by a space (jbsw y3dp ehpk 3pxp), one of base32's digits (2 to 7) in it:
# not words (2FA : activée sur le compte OVH, TOTP : application FreeOTP, MFA : AUTHENTIFICATIONOBLIGATOIRE). (A
# seed of 16 random characters holds none of those digits once in 28: that one is missed.)
_BASE32_GROUPS = r"{0}{{4}}(?:[^\S\n]{0}{{4}}){{3,}}"
# How far a seed's digit is looked for: a seed's length (a 512-bit key is 103 characters of base32, 129 in groups of
# 4), not to the end of the text at each label (otp otp otp ...: a time in the square of its length).
_TOTP_LOOKAHEAD = 200
_PROSE_TOTP = _Pattern(
    _labelled(
        r"(?:(?:cl(?:é|e|ef)s?|secrets?|codes?|graines?)[^\S\n]+)?(?:t?otp|2fa|a2f|mfa)|seeds?",
        rf"(?-i:(?=[A-Z2-7]{{0,{_TOTP_LOOKAHEAD}}}[2-7])[A-Z2-7]{{16,}}|(?=[a-z2-7]{{0,{_TOTP_LOOKAHEAD}}}[2-7])[a-z2-7]{{16,}}"
        rf"|(?=[A-Z2-7 ]{{0,{_TOTP_LOOKAHEAD}}}[2-7]){_BASE32_GROUPS.format('[A-Z2-7]')}"
        rf"|(?=[a-z2-7 ]{{0,{_TOTP_LOOKAHEAD}}}[2-7]){_BASE32_GROUPS.format('[a-z2-7]')})=*",
    )
    + r"(?![\w’'/@-]|[.:,]\w)",
    digit=True,
)
_PROSE_TOTP_NEEDS = ("otp", "2fa", "a2f", "mfa", "seed")
# Two-factor recovery codes (codes de secours, codes de récupération, recovery codes, backup codes): two codes or
# more of 4 to 12 letters and digits, each with a digit (48213 92817, a1b2-c3d4, 4821 3928 5061), or one of 6 or
# more; not words (codes de secours : dans le coffre), a date, years (codes de sauvegarde : 2026 2027) or a phone
# number.
_RECOVERY_CODE = r"(?=[a-z]{0,11}[0-9])[a-z0-9]{4,12}"
_RECOVERY_SEPARATOR = r"(?:-|[^\S\n]*[,;]?[^\S\n]*)"
_PROSE_RECOVERY = _Pattern(
    _labelled(
        r"codes?[^\S\n]+(?:de[^\S\n]+)?(?:secours|r[ée]cup[ée]ration|r[ée]cup|backup|sauvegarde)"
        r"|(?:recovery|backup)[^\S\n]+codes?",
        rf"(?!(?:19|20)[0-9]{{2}}(?:{_RECOVERY_SEPARATOR}(?:19|20)[0-9]{{2}})*"
        rf"(?!{_RECOVERY_SEPARATOR}{_RECOVERY_CODE})(?![\w’'/@-]|[.:,]\w))"
        rf"(?:{_RECOVERY_CODE}(?:{_RECOVERY_SEPARATOR}{_RECOVERY_CODE})+|(?=[a-z]{{0,11}}[0-9])[a-z0-9]{{6,12}})",
    )
    + r"(?![\w’'/@-]|[.:,]\w)",
    digit=True,
)
_PROSE_RECOVERY_NEEDS = ("secours", "cup", "backup", "sauvegarde", "recovery")
# A security question's answer (réponse secrète, réponse à la question secrète, réponse de sécurité, secret answer,
# security answer; réponse after a question secrète on its line: question secrète : nom du chien ; réponse : Médor)
# after a separator: any word (an answer is a name, a place, a word: Médor, Rex), but one saying there is none yet
# or where it is (question secrète : à définir, réponse secrète : voir le coffre, dans Bitwarden, inconnue).
_ANSWER_NOT_VALUE = (
    r"(?!(?:[àa]|voir|cf|dans|chez|sur|en|le|la|les|l['’]|un|une|des|aucune?|inconnue?|non|none|n/?a|tbd|todo|idem"
    r"|see|in|on|at|stored|ask|the|not|no|pas|vide|empty|d[ée]fini[er]?e?|chang[ée]e?|modifi[ée]e?|oubli[ée]e?|perdue?"
    r"|envoy[ée]e?|donn[ée]e?|connue?|enregistr[ée]e?|demander|same|identique|m[êe]me|bitwarden|vaultwarden|keepass\w*"
    r"|1password|coffre|gestionnaire|vault|priv)(?![\w’-]))"
)
_PROSE_ANSWER = _Pattern(
    _labelled(
        r"r[ée]ponses?[^\S\n]+(?:secr[èe]tes?|de[^\S\n]+s[ée]curit[ée]|(?:[àa][^\S\n]+la[^\S\n]+)?questions?"
        r"[^\S\n]+secr[èe]tes?)|(?:secret|security)[^\S\n]+answers?|answers?[^\S\n]+to[^\S\n]+(?:the[^\S\n]+)?"
        r"(?:secret|security)[^\S\n]+questions?"
        r"|questions?[^\S\n]+(?:secr[èe]tes?|de[^\S\n]+s[ée]curit[ée]|secr[èe]te)[^\n]{0,120}?(?<![\w'’.-])r[ée]ponses?"
        r"|(?:secret|security)[^\S\n]+questions?[^\n]{0,120}?(?<![\w'’.-])answers?",
        rf"{_ANSWER_NOT_VALUE}[^\W_]{_PROSE_VALUE_CHAR}*",
        direct=False,
    )
)
_PROSE_ANSWER_NEEDS = ("ponse", "answer")
# A passphrase after a password's label (any of _PROSE_PASSWORD's and _PROSE_PASSWORD_FURTHER's, in every language,
# and the CJK ones) and ':', '=', an arrow or a copula (est, is, ist, es, è...: _PROSE_SEPARATOR's; not a dash, which
# starts headings): two to four words of letters each starting with a capital, ending the line or its clause (Mot de
# passe : Velosolex Jean, mdp = Cheval Bleu Marteau, Le mot de passe est Velosolex Jean, şifre: Velosolex Jean), none
# saying where the password is or that there is none (Mot de passe : Voir Coffre, Password: See Bitwarden:
# _ANSWER_NOT_VALUE); or in quotes, words holding a digit or each a capital (mdp : "Velo 2024", Mot de passe :
# « Velosolex Jean »; not mot de passe : "voir le coffre", « trop court »). Words in small letters after the label are
# a sentence (Mot de passe : trop court pour OVH, Le mot de passe est dans le coffre).
# (nor one saying whom to ask, how it was given, what it is like, or naming another password manager)
_PASSPHRASE_NOT_VALUE = (
    _ANSWER_NOT_VALUE
    + r"(?!(?:appeler|contacter|contact|call|email|e-mail|mail|sms|t[ée]l[ée]phone|phone|oral(?:ement)?|papier|paper"
    r"|enveloppe|envelope|post-it|check|lire|read|regarder|look|inchang[ée]e?|unchanged|personnel(?:le)?|perso"
    r"|habituel(?:le)?|usual|default|d[ée]faut|standard|temporaire|temporary|provisoire|fourni|provided"
    r"|communiqu[ée]e?|r[ée]initialis[ée]e?|reset|expir[ée]e?|expired|bloqu[ée]e?|locked|dashlane|lastpass|passbolt"
    # how it reached someone or when it was renewed (mot de passe "reçu par SMS le 3", password "sent on May 4")
    r"|re[çc]ue?|received|transmise?|transmitted|sent|renouvel[ée]e?|renewed"
    r"|nordpass|proton|enpass|keeper|psono|teampass|roboform|google|apple|icloud|firefox|chrome|trousseau|keychain"
    # where it is written or which account it opens (Mot de passe : Étiquette Livebox, Compte Google, Connexion SSO)
    r"|livebox|freebox|bbox|box|orange|free|sfr|bouygues|[ée]tiquette|label|autocollant|sticker|dos|verso|compte"
    r"|account|connexion|login|sso|oauth|ldap|active|annuaire|directory)"
    r"(?![\w’-]))"
    # a count in quotes, a number of up to three digits then words in small letters (mot de passe "12 caractères"
    # minimum, mdp : "8 signes au moins")
    r"(?![0-9]{1,3}(?:[^\S\n]+(?-i:[a-zß-öø-ÿ]+)[.,]?)+[^\S\n]*[\"”»’'])"
)
# After a copula, a first word saying what the password is like or where (The password is Case Sensitive, Still
# Valid; Das Passwort ist Im Tresor, Le mot de passe est Toujours Le Même)
_COPULA_NOT_VALUE = (
    r"(?!(?:case|sensitive|valid|invalid|required|mandatory|obligatoire|strong|weak|fort|faible|secure"
    r"|s[ée]curis[ée]e?|wrong|faux|fausse|mauvais|mauvaise|nouveau|nouvelle|new|ancien|ancienne|old|different"
    r"|diff[ée]rent|still|now|maintenant|toujours|encore|d[ée]j[àa]|already|im|beim|bei|auf|unter|nicht|kein|keine"
    r"|gleich|neu|alt|geheim|affich[ée]e?|[ée]crite?|not[ée]e?|coll[ée]e?|written|posted|shown|displayed"
    # German's same, new, old after its article (Das Passwort ist Das Gleiche, Der Alte): the article alone starts
    # many a passphrase (Das Passwort ist Der Hund Bello)
    r"|dasselbe|dieselbe|derselbe|gleiche|(?:das|der|die)[^\S\n]+(?:gleiche|selbe|alte|neue))(?![\w’-]))"
)
# After the copulas of _COPULAS_FURTHER (the group further of _PHRASE_COPULA) and theirs alone, a first word saying
# the password is the same, new, old, unchanged or where it is (Passordet er Det Samme Som Før, Heslo je Stejné
# Jako Loni, Parola este Aceeași, Parola este Pe Hârtie): Danish, Norwegian, Icelandic, Czech, Slovak, Slovenian,
# Croatian, Romanian, Catalan, Lithuanian, Albanian; an article only before such a word (Det Samme, Den Nye), as a
# passphrase may start with one (Passordet er Det Blå Huset).
_FURTHER_NOT_VALUE = (
    r"(?!(?:(?:det|den)[^\S\n]+(?:samme|nye|gamle)|samme|ny|nyt|nytt|nye|gammel|gamle|gamalt|uændret|uendret"
    r"|hos|på|það|sama|nýtt|stejn[ée]|stejn[áa]|rovnak[ée]|nov[ée]|nov[áa]|star[ée]|jin[ée]|in[ée]|isto|isti|ista"
    r"|novo|staro|aceea(?:ș|s|ş)i|acela(?:ș|s|ş)i|nou|nou[ăa]|vechi|pe|mateixa|mateix|antiga|igual|diferent"
    r"|tas|pats|naujas|senas|nj[ëe]jt[ëe]|e[^\S\n]+(?:re|vjetër|vjeter))(?![\w’-]))"
)
# After Finnish's and Estonian's on (read with their labels: salasana on, parool on) and Hungarian's label alone (its
# copula left unsaid, A jelszó ...), a first word saying the password is the same, new, old, changed, too short or
# where it is or whom it is with (Salasana on Sama Kuin Ennen, Vaihdettu, Kassakaapissa, Puheenjohtajalla; Parool on
# Sama Mis Enne, Muudetud, Seifis; A jelszó Ugyanaz, Megváltozott, A Széfben: Hungarian's article is read as none);
# a Finnish word of 7 letters or more in the inessive or the adessive (-ssa, -llä: where, with whom) is no
# passphrase's start (Villa Kulla may be one), nor Estonian's words for where it is kept or with whom (seifis,
# esimehel).
_ON_NOT_VALUE = (
    r"(?!(?:sama|samat|uusi|uus|vanha|vana|vaihdettu|vaihtunut|muutettu|muuttunut|muudetud|vahetatud|muutunud"
    r"|liian|liiga|lyhyt|lühike|voimassa|kehvä|tallessa|hallussa|kirjattu|kirjoitettu|lähetetty|saatetud|kirjas"
    r"|[^\W\d_]{4,}(?:ssa|ssä|lla|llä)|seifis|kapis|arvutis|kontoris|ümbrikus|esimehel|juhatusel|laekuril"
    r"|ugyanaz|ugyanazt|új|uj|régi|regi|megváltozott|megvaltozott|megváltoztatva|változatlan|valtozatlan|lejárt"
    r"|lejart|túl|tul|visszaállítása|visszaallitasa|visszaállítás|módosítása|modositasa|módosítás|emlékeztető"
    r"|kezelő|kezelo|a|az|egy|nem|nincs|rossz|jó|jo|lent|fent|itt|ott|van|volt|lesz)(?![\w’-]))"
)
# After on (or Hungarian's label), a Finnish word of a sentence among the capitalised ones: where, with whom
# (Wifin salasana on Toimiston Seinällä)
_ON_NOT_WORD = r"(?![^\W\d_]{4,}(?:ssa|ssä|lla|llä)(?![\w’-])|[^\W\d_]{3,}(?:nél|nál|ban|ben)(?![\w’-]))"
# After a copula, a word of a sentence between the capitalised ones (Le mot de passe est Affiché Au Local)
_COPULA_NOT_WORD = r"(?!(?:au|aux|du|des|de|par|avec|pour|with|by|for|of|to|from|mit|von|zu|und|et|and)(?![\w’-]))"
_PHRASE_WORD = r"(?-i:[A-ZÀ-ÖØ-Þ])[^\W\d_]{1,19}(?:['’-][^\W\d_]{1,19})?"
_PHRASE_OPEN = r"[\"“«‘']"
_PHRASE_CLOSE = r"[\"”»’']"
# Every password's label, as _PROSE_PASSWORD and _PROSE_PASSWORD_FURTHER read them (after no word, ending a word),
# or a CJK one anywhere; the letters they start with.
_PASSPHRASE_LABEL = (
    rf"(?:(?<![\w'’.-])(?:{_PROSE_PASSWORD_BASE}|{_PASSWORD_FURTHER})(?![\w’-]|'[\w’-])|{_PASSWORD_CJK})[`*_]*"
)
_PHRASE_LABEL_FIRST = "pmkcswhlпκghлajfşكرگסהप密パ비패"
# The copulas of _PROSE_SEPARATOR, and a CJK label's own right after it
_PHRASE_COPULA = (
    rf"(?:[^\S\n]+(?:c['’])?(?:est|était|sera|sont|is|was|are|ist|es|é|è|är|jest|war|era|είναι|(?:{_COPULAS_FURTHER})(?P<further>))"
    r"(?:[^\S\n]++(?:now|still|maintenant|désormais|toujours|actuellement|jetzt|nun|ahora|agora|adesso|ora|nu|teraz))?(?=[^\S\n])"
    r"|(?<=[码碼ド호드])(?:是|为|為|は|는))"
)
# After a copula the label is the subject of a sentence: not another's complement (le gardien du mot de passe est
# Jean Dupont, the keeper of the password is John Smith, el dueño de la contraseña es...), and the words between it and
# the copula say whose, no verb nor conjunction among them (Le mot de passe a été changé et le responsable est Jean
# Dupont).
_NOT_COMPLEMENT = (
    r"(?<!\bdu[^\S\n])(?<!\bde[^\S\n])(?<!\bdes[^\S\n])(?<!\bd['’])(?<!\bau[^\S\n])"
    r"(?<!\baux[^\S\n])(?<!\bà[^\S\n])(?<!\bof[^\S\n])(?<!\bfor[^\S\n])"
    r"(?<!\bpour[^\S\n])(?<!\bdel[^\S\n])(?<!\bvom[^\S\n])(?<!\bvon[^\S\n])"
    r"(?<!\bdem[^\S\n])(?<!\bdella[^\S\n])(?<!\bdo[^\S\n])(?<!\bda[^\S\n])"
    r"(?<!\bof[^\S\n]the[^\S\n])(?<!\bfor[^\S\n]the[^\S\n])(?<!\bde[^\S\n]la[^\S\n])"
    r"(?<!\bde[^\S\n]l['’])"
)
_SUBJECT_WHOSE = (
    rf"(?:[^\S\n]+{_PROSE_WHOSE_OPEN}(?!(?:et|and|und|y|e|ou|or|oder|o|mais|but|aber|pero|a|ai|as|ont|été|has|have"
    r"|had|been|hat|haben|wurde|est|sont|is|was|are|ist|es|é|è|qui|que|who|which|that|dont|où|where|il|elle|on|nous"
    r"|vous|ils|elles|he|she|it|we|they|er|sie|donc|so|puis|then|car|because|weil|le|la|les|the|der|die|das|el|lo"
    # what is said of passwords, not one (the password policy is..., la règle du mot de passe...)
    r"|policy|policies|rules?|requirements?|length|manager|reset|hint|format|strength|expiry|politique|r[èe]gles?"
    r"|longueur|gestionnaire|richtlinie|regeln?|l[äa]nge|pol[ií]tica|regla|longitud)"
    rf"(?![\w’-]))(?:[^\W\d_]|['’.-])+{_PROSE_WHOSE_CLOSE}){{0,3}}?"
)
# Hungarian's label in the nominative, its own or its owner's (jelszó, jelszava, jelszavam...), before its value with
# no copula (Hungarian says none in the present's third person: A jelszó Velosolex Jean), most (now) may follow it.
# The bare label only after its article (a jelszó): alone it is a column's name among others (Email Jelszó Utolsó
# Belépés, a header of title-case words), its owner's forms (jelszavam: my password) wherever.
_HUNGARIAN_LABEL = (
    r"(?:(?<![\w'’.-])(?<=(?<![\w'’.-])a[^\S\n])jelsz(?:ó|o)|(?<![\w'’.-])jelsz(?:ava|avam|avad|avunk|avuk))"
    r"(?:[^\S\n]+most)?(?![\w’-])[`*_]*"
)
# (where a separator or a copula is followed by a capital or a quote; Finnish's and Estonian's on, Hungarian's label)
_PASSPHRASE_GATE = LazyPattern(
    rf"(?:[:=：>{_ARROWS}是为為は는]|(?i:jelsz)[^\W\d_]*"
    rf"|[^\S\n](?:[cC]['’])?(?i:est|était|sera|sont|is|was|are|ist|es|é|è|är|jest|war|era|είναι|on|oli|nyt|n[üu][üu]d|most|{_COPULAS_FURTHER}"
    r"|now|still|maintenant|désormais|toujours|actuellement|jetzt|nun|ahora|agora|adesso|ora|nu|teraz))[^\S\n]*"
    # (or ending its line, a quote opening the next; or signs starting a line under bare ones before a quote: from the
    # label's line)
    rf"(?:[`*_]*(?:[A-ZÀ-ÖØ-Þ]|[\"“«‘'])|\n{_BARE_LINES}[^\S\n]*[`*_]*{_PHRASE_OPEN})"
    rf"|\n{_BARE_LINES}[^\S\n]*[:=：~>{_ARROWS}-][:=~>-]*[^\S\n]*[`*_]*{_PHRASE_OPEN}"
)
_PROSE_PASSPHRASE = _Pattern(
    rf"(?i)(?=[{_PHRASE_LABEL_FIRST}])"
    rf"(?:{_PASSPHRASE_LABEL}(?:[^\S\n]+{_PROSE_WHOSE_OPEN}(?:[^\W\d_]|['’.-])+{_PROSE_WHOSE_CLOSE}){{0,6}}?"
    # (the separator ending the label's line, or starting the value's up to two bare lines under it: group pn, the
    # value then in quotes, alone on its line)
    rf"[^\S\n]*+(?:(?:{_SEPARATOR_SIGN}[^\S\n]*+\n{_BARE_LINES}|\n{_BARE_LINES}[^\S\n]*+{_SEPARATOR_SIGN})(?P<pn>)|{_SEPARATOR_SIGN})"
    rf"|{_NOT_COMPLEMENT}{_PASSPHRASE_LABEL}{_SUBJECT_WHOSE}{_PHRASE_COPULA}(?P<copula>)"
    # a Finnish or Estonian label read with its on (salasana on, parool on), Hungarian's alone (A jelszó Kék Ház)
    rf"|{_NOT_COMPLEMENT}(?:{_PASSPHRASE_LABEL}(?:(?<=[^\S\n]on)|(?<=[^\S\n]oli)|(?<=[^\S\n]nyt)|(?<=[^\S\n]n[üu][üu]d))|{_HUNGARIAN_LABEL})(?P<on>))[^\S\n]*[`*_]*"
    rf"(?:(?(pn)(?!))(?P<v>(?(copula){_COPULA_NOT_VALUE})(?(further){_FURTHER_NOT_VALUE})(?(on){_ON_NOT_VALUE})"
    rf"{_PASSPHRASE_NOT_VALUE}{_PHRASE_WORD}"
    rf"(?:[^\S\n](?(copula){_COPULA_NOT_WORD})(?(on){_ON_NOT_WORD}){_PASSPHRASE_NOT_VALUE}{_PHRASE_WORD}){{1,3}})"
    r"[`*_]*[^\S\n]*(?=$|\n|[.;,(!?]|[-–—][^\S\n])"
    rf"|{_PHRASE_OPEN}[^\S\n]*+(?P<w>{_PASSPHRASE_NOT_VALUE}(?=[^\"”»’'\s]*+[^\S\n][^\"”»’'\n]*+{_PHRASE_CLOSE})"
    rf"(?:(?=[^\"”»’'\n]*[0-9])[^\W_][^\"”»’'\n]{{4,60}}?"
    rf"|{_PHRASE_WORD}(?:[^\S\n]{_PHRASE_WORD}){{1,5}}))[^\S\n]*{_PHRASE_CLOSE}"
    r"(?(pn)(?=[^\S\n]*+(?:\n|$|[(,;]|[-–—][^\S\n]))))",
    # (searched only in the lines where a separator or a copula is followed by a capital or a quote)
    gate=_PASSPHRASE_GATE,
)

# A passphrase in quotes right after a password's label, no separator between them (mot de passe "Lilas 2024!", mdp
# « Lilas 2024! », password 'Lilas 2024!'), or after words saying whose (mot de passe du wifi "Lilas 2024!"), the
# last of them none naming what the quotes may name instead (_NOT_NAMED_IN_QUOTES: mot de passe du compte "admin
# 2024"): the text in quotes holding a blank and a digit, read whole as a shell reads a quoted argument
# (_QUOTED_BLANK's rule; a value without a blank is _PROSE_PASSWORD's), its first word none saying where it is or
# that it is to change (_PASSPHRASE_NOT_VALUE: mot de passe "changé le 12 mars"), and no ':' or '=' after it (mot de
# passe du wifi "Box 5G" : voir l'étiquette). Words without a digit are as likely a title or a button's name (mot de
# passe "Mot de passe oublié", "voir le coffre", "à changer"): none. (Searched only in a text holding a quote.)
# (words after the label saying what became of the password or where a form asks for it, not whose: the text in
# quotes after them is a subject, a title, a step: mot de passe oublié "Réunion du 12 mars", Password reset
# "Ticket 4521 closed")
_NOT_WHOSE_BEFORE_QUOTES = (
    r"(?!(?:oubli[ée]e?s?|chang[ée]e?s?|modifi[ée]e?s?|r[ée]initialis[ée]e?s?|envoy[ée]e?s?|perdue?s?|expir[ée]e?s?"
    r"|bloqu[ée]e?s?|reset|forgot(?:ten)?|changed|sent|lost|expired|locked|bouton|button|lien|link|page|menu|onglet"
    r"|champ|field|rubrique|section|objet|subject|sujet)(?![\w’-]))"
)
_PROSE_QUOTED_PHRASE = _Pattern(
    rf"(?i)(?=[{_PHRASE_LABEL_FIRST}]){_PASSPHRASE_LABEL}"
    rf"(?:(?:[^\S\n]+{_NOT_WHOSE_BEFORE_QUOTES}(?:[^\W\d_]|['’.-])+){{0,5}}?"
    rf"[^\S\n]+{_NOT_WHOSE_BEFORE_QUOTES}{_NOT_NAMED_IN_QUOTES}(?:[^\W\d_]|['’.-])+)?"
    rf"[^\S\n]+{_PHRASE_OPEN}[^\S\n]*"
    rf"(?P<v>{_PASSPHRASE_NOT_VALUE}(?=[^\"”»’'\n]*?[^\S\n][^\"”»’'\n]*?{_PHRASE_CLOSE})(?=[^\"”»’'\n]*?[0-9])"
    rf"[^\W_][^\"”»’'\n]{{4,60}}?)[^\S\n]*{_PHRASE_CLOSE}(?![^\S\n]*[:=：])",
    digit=True,
    marks=('"', "'", "«", "“", "‘"),
    # (on one line, its first digit in the 61 characters in quotes, at most 30 runs of blanks there, and 12 before
    # them: the label's 4, six words saying whose, the opening quote's; searched from 64 runs before the line's first
    # digit)
    gate=_DIGIT_SIGN,
    reach=64,
)

# A door's or an alarm's code (digicode, code porte, code de la porte, code d'entrée, code de l'immeuble, code
# alarme, code du portail, code du garage, code de la boîte à clés, door code, alarm code...): 3 to 8 digits and the
# letters a keypad has (A to D, # and *), a digit in them (Digicode : 4821B, code porte : 4821); not words
# (Digicode : voir gardien, code porte : changé en mars). Other codes are none: code postal, code APE or NAF, code
# client (a customer's number, which a supplier asks to be told: no secret).
_PROSE_DOOR = _Pattern(
    _labelled(
        r"digicodes?|codes?[^\S\n]+(?:(?:de|du|des)[^\S\n]+(?:la[^\S\n]+|l['’][^\S\n]*)?|d['’][^\S\n]*)?"
        r"(?:portes?|portails?|porche|entr[ée]es?|immeubles?|b[âa]timents?|r[ée]sidences?|alarmes?|garages?|parkings?"
        r"|interphones?|cadenas|bo[îi]tes?[^\S\n]+(?:[àa]|aux)[^\S\n]+cl(?:[ée]s?|efs?)|grilles?|barri[èe]res?"
        r"|acc[èe]s[^\S\n]+(?:au|du)[^\S\n]+(?:local|b[âa]timent|parking|garage))"
        r"|(?:door|gate|entry|alarm|keypad|lockbox|key[^\S\n]?box)[^\S\n]+codes?",
        r"(?=[0-9a-d#*]*[0-9])[#*]?[0-9a-d]{3,8}[#*]?",
    )
    + r"(?![\w’'/@-]|[.:,][0-9a-z])",
    digit=True,
)
_PROSE_DOOR_NEEDS = ("code",)


def _any_of(words: list[str]) -> str:
    """A regular expression that finds any of ``words``, those with a common start grouped under it: re tries the
    alternatives of a group one by one at each place of a text, so it tries one of each first character here (about
    a third fewer instructions for these words than their plain alternation)."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[0], []).append(word[1:])
    alternatives = []
    for first, rests in by_first.items():
        if "" in rests:  # the character is a word: any other starting with it holds it
            alternatives.append(re.escape(first))
        elif len(rests) == 1:
            alternatives.append(re.escape(first + rests[0]))
        else:
            alternatives.append(f"{re.escape(first)}(?:{_any_of(rests)})")
    return "|".join(alternatives)


# A password's label after a verb saying it was changed to the value, the verb first (Karim a changé le mot de passe en
# Velo2024!, mis le mdp à Lilas2024x, réinitialisé son mot de passe à Velo2024x, modifié le mdp du wifi en ...): the
# value shaped as after the label then the verb (_SAID_SHAPED; not changé le mot de passe en mars 2024, en Janvier2024).
_SAID_VERB_FIRST = (
    r"(?:(?:chang|modifi|remplac|r[ée]initialis|red[ée]fini|d[ée]fini|renouvel)[ée]e?s?|(?:re)?mise?s?)"
    r"[^\S\n]+(?:le|la|les|son|sa|ses|leur|leurs|notre|nos|mon|ma|mes|votre|vos|ton|ta|un|une)"
    r"(?:[^\S\n]+nouveau)?[^\S\n]+"
)
_PROSE_PASSWORD_CHANGED = _Pattern(
    rf"(?i)(?<![\w'’.-]){_SAID_VERB_FIRST}{_PASSWORD_ONLY}(?![\w’-]|'[\w’-])[`*_]*"
    rf"(?:(?:[^\S\n]+{_SAID_FILLER}(?=[^\S\n])|[^\S\n]+[ld]['’](?=[^\W\d_])){{0,2}}"
    rf"(?:(?<=['’])|[^\S\n]+){_SAID_SERVICE}(?![\w’-]|'[\w’-]))?"
    rf"[^\S\n]+(?:en|à|a|par|pour|sur|avec)[^\S\n]++(?P<v>{_SAID_SHAPED})",
    gate=_DIGIT_SIGN,
    reach=_PASSWORD_REACH,
    digit=True,
)


# The forms read after a label: (kind, pattern, needs), the value in the pattern's group v, or w (_PROSE_PASSWORD's
# value alone after its label), which is no secret when it reads as a placeholder.
_PROSE_LABELLED: tuple[tuple[str, _Pattern, tuple[str, ...]], ...] = (
    ("a password", _PROSE_PASSWORD, _PROSE_PASSWORD_NEEDS),
    ("a password", _PROSE_PASSWORD_FURTHER, _PROSE_PASSWORD_FURTHER_NEEDS),
    ("a password", _PROSE_PASS, ("pass",)),
    ("a password", _PROSE_PASSWORD_GLUED, _PROSE_PASSWORD_NEEDS),
    ("a password", _PROSE_PASSWORD_SAID, ("pass", "pw", "pswd", "mdp")),
    ("a password", _PROSE_PASSWORD_CHANGED, ("pass", "pw", "pswd", "mdp")),
    ("a password", _PROSE_WIFI_KEY, _PROSE_WIFI_KEY_NEEDS),
    ("a password", _PROSE_CODE, ("code",)),
    ("a password", _PROSE_LOGIN_PAIR, _PROSE_LOGIN_PAIR_NEEDS),
    ("a password", _PROSE_SERVICE_BLANK_PAIR, _PROSE_PAIR_NEEDS),
    ("a password", _PROSE_ROW_PAIR, ("|",)),
    ("a password", _PROSE_ADDRESS_PAIR, ("@",)),
    ("a password", _PROSE_LINE_PAIR, _PROSE_PAIR_ANY_NEEDS),
    ("a password", _PROSE_PAIR, _PROSE_PAIR_NEEDS),
    ("a password", _PROSE_PAIR_ANY, _PROSE_PAIR_ANY_NEEDS),
    ("a token or key", _PROSE_KEY, _PROSE_KEY_NEEDS),
    ("a payment card's number", _PROSE_CARD, _PROSE_CARD_NEEDS),
    ("a payment card's security code", _PROSE_CVV, _PROSE_CVV_NEEDS),
    ("a two-factor secret", _PROSE_TOTP, _PROSE_TOTP_NEEDS),
    ("two-factor recovery codes", _PROSE_RECOVERY, _PROSE_RECOVERY_NEEDS),
    ("a password", _PROSE_PASSPHRASE, _PROSE_PASSPHRASE_NEEDS),
    ("a password", _PROSE_QUOTED_PHRASE, _PROSE_PASSPHRASE_NEEDS),
    ("a security question's answer", _PROSE_ANSWER, _PROSE_ANSWER_NEEDS),
    ("a door or alarm code", _PROSE_DOOR, _PROSE_DOOR_NEEDS),
)
# (Every form of prose names the words it needs: one that named none would be tried on every text, and this
# search, which knows only the words named, would skip it; tests/test_fields_fast.py checks that none does.)
_PROSE_NEEDS = compile_cached(
    _any_of(
        [
            *(word for _kind, _pattern, needs in _PROSE_TEXT for word in needs),
            *(
                word
                for _kind, _pattern, needs in _PROSE_LABELLED
                if needs is not _PROSE_PASSWORD_FURTHER_NEEDS and needs is not _PROSE_PASSPHRASE_NEEDS
                for word in needs
            ),
        ]
    )
)
# The words of _PROSE_PASSWORD_FURTHER's labels, looked for in a text holding none of the others' only when it holds
# a digit (_DIGIT), as the value after them does: the usual name of an association is searched for them no more.
_PROSE_NEEDS_FURTHER = compile_cached(_any_of(list(_PROSE_PASSWORD_FURTHER_NEEDS)))
# What secret_kind reads besides its forms' words: the signs before which _run_or_written writes a text anew (a
# command's output, xargs's command, an escaped line break, a variable), and base64 (_BASE64), decoded.
_RUN_OR_WRITTEN_NEEDS = ("$", "`", "xargs", "\\")
# Every word any form of secret_kind or prose_secret needs, whatever else the text holds (no_secret_word): compiled
# when pic lists audit first asks, not at every command's import (about 3 ms, a seventh of this module's import).
_ANY_NEED = LazyPattern(
    _any_of(
        [
            *(
                word
                for _kind, _pattern, needs in (*_SECRET_TEXT, *_PROSE_TEXT, *_PROSE_LABELLED)
                for word in needs
                if word != "@"
            ),
            *_RUN_OR_WRITTEN_NEEDS,
        ]
    )
)
# What _PROSE_ADDRESS_PAIR needs besides an address's '@', left out of _ANY_NEED (every subscriber's line holds one):
# an ASCII digit, and a password's sign of its value (_ROW_PASSWORD_SIGN's: another '@', or one of these)
_ADDRESS_PAIR_SIGN = re.compile(r"[!?$%&*=^~\\]")


# The words of the labels prose_secret reads a value after (_PROSE_LABELLED's needs, but the signs ':' and '/' of a
# login and its password, a table's '|' and an address's '@', which no label holds: the forms that need them start
# once a row, once an address): each of their places is tried in a time of its own, tens to hundreds of microseconds
# (:func:`label_words`).
_LABEL_WORDS = LazyPattern(
    _any_of(
        [
            word
            for _kind, _pattern, needs in _PROSE_LABELLED
            for word in needs
            if word not in _PROSE_PAIR_NEEDS and word not in ("|", "@")
        ]
    )
)


def label_words(text: str, at_most: int) -> int:
    """How many places of ``text`` hold a word of a secret's label (_LABEL_WORDS: ``mdp``, ``pass``, ``token``,
    ``otp``...; in lower case, the letters re reads as ASCII ones folded, and in NFKC without the characters that print
    as nothing as prose_secret reads it too),
    counted up to ``at_most + 1``: prose_secret's time grows with them (400 KB of ``mdp mdp ...``: seconds), which a
    caller may bound by reading no text that holds more."""
    count = sum(1 for _ in itertools.islice(_LABEL_WORDS.finditer(_folded(text)), at_most + 1))
    if count <= at_most and not text.isascii():
        shown = _folded(unicodedata.normalize("NFKC", visible(text)))
        count = max(count, sum(1 for _ in itertools.islice(_LABEL_WORDS.finditer(shown), at_most + 1)))
    return count


def no_secret_word(text: str) -> bool:
    """Whether ``text`` surely reads as no secret to :func:`secret_kind` (given no name) and :func:`prose_secret`,
    found without trying their forms: it holds none of the words any of their forms needs (in lower case, the letters
    re reads as ASCII ones folded), no sign before which secret_kind reads it anew (``$``, a backquote, ``\\``,
    ``xargs``), no base64 run (40 characters or more), no percent-encoded octet (``%3D``), and, outside ASCII, it
    reads the same in its NFKC form and holds no character that prints as nothing nor another script's digit (as
    prose_secret reads it too).
    The usual line of a subscriber export (an address, a name) is one: an ``@`` is no such word. False does not mean
    that it holds one (tests/test_fields_fast.py checks that True changes no verdict)."""
    if _ANY_NEED.search(_folded(text)) is not None or _BASE64.search(text) is not None:
        return False
    if (
        "@" in text
        and _DIGIT.search(text) is not None
        and (text.count("@") > 1 or _ADDRESS_PAIR_SIGN.search(text) is not None)
    ):
        return False  # an address and a password after it (_PROSE_ADDRESS_PAIR)
    if "%" in text and _PERCENT.search(text) is not None:
        return False
    return text.isascii() or _shown_as_written(text)


# A line that is only a label (a password's, a PIN's, a token's or a key's: _PROSE_PASSWORD's and _PROSE_KEY's, pass
# too), a list's or a heading's mark before it, up to six words saying whose after it (a dash may end it: mot de passe
# -), then a line holding one word, the value alone (mot de passe⏎Azerty123, Password⏎S3cr3tPw, Mot de passe du wifi⏎
# Velo2024x, as notes written one field a line give it), or a passphrase alone (_PHRASE_WORD's: Mot de passe⏎
# Velosolex Jean): read as the label, ':' and the value (_prose_secret_as_written), so that the value is read as after
# any label (Mot de passe⏎voir coffre, Mot de passe⏎1Password pass, Mot de passe⏎Voir Coffre). A label's line ending
# with ':', '=', an arrow or '|' (_LINE_SEPARATOR) may have one or two lines blank or only '#' between it and the
# value's (mdp :⏎⏎Azerty123, _BARE_LINE); without one, a blank line ends a heading (Mot de passe⏎⏎Réunion2024 is a
# paragraph).
_LABEL_LINE = LazyPattern(
    r"(?i)[^\S\n]*(?:(?:[-*•#>]+|[0-9]+[.)])[^\S\n]+)?[`*_]*"
    rf"(?:(?:{_PROSE_PASSWORD_LABEL}|{_PUK_LABEL}|{_PIN_LABEL}|{_KEY_LABEL}|pass)(?![\w’-]|'[\w’-])|{_PASSWORD_CJK})"
    rf"[`*_]*(?P<whose>(?:[^\S\n]+{_PROSE_WHOSE_OPEN}(?:(?:[^\W\d_]|['’.-])+|{_PROSE_PRODUCT}){_PROSE_WHOSE_CLOSE}){{0,6}}?)"
    r"[`*_]*(?:[^\S\n]+(?:--|[-–—]))?[^\S\n]*"
)
# A word that makes a label's line a sentence, among its words after the label: a copula or a verb, a preposition
# saying where the password is, what became of it or who has it (mot de passe dans le coffre, Password is in the
# vault, mdp changé hier, mot de passe à demander à Marie, Passwort ist im Tresor, code PIN chez la trésorière). Such
# a line ending without a separator awaits no value on the next (mot de passe dans le coffre⏎DB_HOST=db1.lan); the
# words saying whose do not make one (du compte FTP, de la box, for the admin, pour l'admin).
_LABEL_LINE_SENTENCE = LazyPattern(
    r"(?i)(?<![\w-])(?:[cn]['’])?(?:dans|sur|sous|chez|en|à|a|au|aux|est|sont|était|sera|ont|été|voir|cf|ici|là|par"
    r"|avec|dont|qui|que|où|pas|ne|jamais|toujours|encore|(?:oubli|chang|modifi|envoy|donn|not|gard|rang|stock|conserv"
    r"|enregistr|expir|bloqu|r[ée]initialis|renouvel|demand|inchang|partag|imprim|communiqu|affich|coll)[ée]e?s?"
    r"|[ée]crite?s?|perdue?s?|re[çc]ue?s?|transmise?s?"
    r"|is|are|was|were|be|been|has|have|had|in|inside|into|on|at|under|within|with|by|via|see|stored|kept|saved"
    r"|written|noted|sent|given|changed|reset|forgotten|forgot|lost|expired|locked|renewed|received|unchanged|shared"
    r"|printed|managed|held|not|never|here|there|elsewhere|ist|sind|war|im|bei|auf|unter|siehe|liegt|steht|nicht"
    r"|gespeichert|geändert|vergessen|está|esta|es|ver|véase|é|è|fica|nel|nella|sta)(?![\w’-])"
)
# (searched in a line, these start only where a run of blanks starts and read it whole: tried from each place of a
# long run, a run read then given back is quadratic, 3 s for a note of mdp and 4,000 blanks)
_LINE_SEPARATOR = LazyPattern(rf"(?<![^\S\n])[^\S\n]*+{_LINE_END_SIGN}[^\S\n]*+$")
# A copula ending a label's line (Password is, Le mot de passe est, mot de passe c'est, Das Passwort ist jetzt:
# _PROSE_SEPARATOR's, a sentence broken before its complement), which awaits the value on the next line as ':' does,
# an article or a possessive before the label then (Le, The, Das, mon...); the words between the label and the copula
# still make the line a sentence (Le mot de passe a été changé et le responsable est⏎Marie75 awaits none).
_LINE_COPULA = LazyPattern(
    rf"(?i)(?<![^\S\n])[^\S\n]++(?:c['’])?(?:est|était|sera|sont|is|was|are|ist|es|é|è|är|jest|war|era|είναι"
    rf"|{_COPULAS_FURTHER})"
    r"(?:[^\S\n]++(?:now|still|maintenant|désormais|toujours|actuellement|jetzt|nun|ahora|agora|adesso|ora|nu|teraz))?"
    r"[^\S\n]*+$"
)
_LINE_ARTICLE = LazyPattern(
    r"(?i)(?P<mark>[^\S\n]*(?:(?:[-*•#>]+|[0-9]+[.)])[^\S\n]+)?)"
    r"(?:(?:le|la|the|das|der|die|el|il|lo|o|a|mon|ton|son|notre|votre|leur|my|our|your|its|their|unser|mein)[^\S\n]+"
    r"|l['’])"
)
# (a line of one word or of a passphrase, which few lines of notes are, found first: its lines before are then read
# for a label)
_WORD_LINE = LazyPattern(
    r"\n[^\S\n]*(?:[-•][^\S\n]+)?(?P<value>[^\s:=]\S*"
    rf"|{_PHRASE_WORD}(?:[^\S\n]{_PHRASE_WORD}){{1,3}}[.!]?)[^\S\n]*(?=\n|$)"
)


# A line that is blank or only '#' (a comment's or a heading's mark alone), up to two of which may stand between a
# label's line ending with a separator and its value's (mdp :⏎⏎⏎Lilas2024x!, mdp :⏎#⏎Lilas2024x!: a YAML comment's
# lines, a note's paragraphs)
_BARE_LINE = LazyPattern(r"[^\S\n]*#*[^\S\n]*")
_BARE_LINES_BETWEEN = 2


def _label_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each of _LABEL_LINE's lines in ``text`` with the value on the line after it (or after one or two lines blank
    or only '#', _BARE_LINE's, under a label ending with a separator), as the text :func:`_label_line_secrets`
    reads (``label : value``), with where the label's line starts. A copula ending the label's line (_LINE_COPULA:
    ``Le mot de passe est``) stands for the separator. A label's line ending without a separator whose words after
    the label make it a sentence (_LABEL_LINE_SENTENCE) has none."""
    for m in _WORD_LINE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        label = text[start : m.start()]
        between = 0
        # (lines between, at most one more than may be looked at: the label's then ends with a separator)
        while start > 0 and between <= _BARE_LINES_BETWEEN and _BARE_LINE.fullmatch(label) is not None:
            between += 1
            end = start - 1
            start = text.rfind("\n", 0, end) + 1
            label = text[start:end]
        separator = _LINE_SEPARATOR.search(label)
        copula = None if separator is not None else _LINE_COPULA.search(label)
        if between and ((separator is None and copula is None) or between > _BARE_LINES_BETWEEN):
            continue
        if separator is not None:
            label = label[: separator.start()]
        elif copula is not None:
            article = _LINE_ARTICLE.match(label)
            label = label[: copula.start()]
            if article is not None and _LABEL_LINE.fullmatch(label) is None:
                label = article.group("mark") + label[article.end() :]
        line = _LABEL_LINE.fullmatch(label)
        if line is None or (separator is None and _LABEL_LINE_SENTENCE.search(line.group("whose")) is not None):
            continue
        # (a dash ending the label's line, which _LABEL_LINE reads, is the separator the pair's ':' stands for: 'mot
        # de passe — : Lilas2024x!' is read as no label's)
        yield start, f"{label.strip().rstrip('-–—').rstrip()} : {m.group('value')}"


def _label_line_secrets(text: str) -> Iterator[tuple[int, str]]:
    """The secrets of :func:`_label_lines` in ``text``: where the label's line starts, and the kind."""
    for start, pair in _label_lines(text):
        found = _prose_secret_as_written(pair)
        if found is not None:
            yield start, found[0]


def label_alone(text: str) -> bool:
    """Whether ``text`` is only a secret's label, as a line of one (_LABEL_LINE's: ``mdp``, ``Mot de passe du wifi``,
    ``password``, ``Token Matomo``, ``şifre``, ``密码``), a separator ending it or not (``mdp :``)."""
    text = visible(text)
    if not text.strip():
        return False
    separator = _LINE_SEPARATOR.search(text)
    return _LABEL_LINE.fullmatch(text[: separator.start()] if separator else text) is not None


# Unicode's other hyphens and dashes, which NFKC keeps and a reader takes as '-' or '—' (a word processor's
# non-breaking hyphen in Wi‑Fi, a minus sign, a figure dash, a horizontal bar between a label and its value): one
# character for one, so that a place in the text read is the same in the text written.
_PROSE_DASHES = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2043": "-", "\u2212": "-", "\u2015": "—"}
)
_PROSE_DASH = re.compile(f"[{''.join(map(chr, _PROSE_DASHES))}]")  # one of them, which NFKC may keep

# The characters that print as nothing: Unicode's Default_Ignorable_Code_Point (UAX #44, DerivedCoreProperties.txt,
# as of Unicode 16: the soft hyphen, the zero width space, joiner and non-joiner, the directional marks, embeddings
# and isolates, the word joiner, the variation selectors, the byte order mark...), and U+2800 BRAILLE PATTERN
# BLANK. Written out, as pic.errors.BLANK_LOOKING is (tests/test_fields_fast.py compares it with the property of the
# ``regex`` package on every code point). A reader sees a label through them (m\u00addp, pass\u2060word,
# Persian رمز\u200cعبور) and a password after it: :func:`visible` drops them.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# (those of them drawn as an empty space, the Hangul fillers and the braille blank, read as a space)
_BLANK = re.compile("[\u115f\u1160\u2800\u3164\uffa0]")
# A decimal digit of another script than ASCII's that NFKC keeps (Arabic-Indic ١٢٣, Persian's ۱۲۳, Devanagari's १२३...;
# not the fullwidth ones, which it maps to ASCII's): a reader and a login form take it as a digit, and prose_secret
# reads it as the ASCII one of its value (_ascii_digits), so that a value's digits hold one for the forms that need
# one (_Pattern.digit, _DIGIT, [0-9] in their values).
_OTHER_DIGIT = re.compile(r"[^\D0-9]")


def _shown_as_written(text: str) -> bool:
    """Whether prose_secret reads ``text`` as shown as it is written: in NFKC's form, without one of the other dashes,
    a character that prints as nothing or another script's digit (three searches of one class each: one of their
    alternation cost a note outside ASCII three times as much)."""
    return (
        _PROSE_DASH.search(text) is None
        and _INVISIBLE.search(text) is None
        and unicodedata.is_normalized("NFKC", text)
        and _OTHER_DIGIT.search(text) is None
    )


def _ascii_digits(text: str) -> str:
    """``text`` with each decimal digit of another script written as the ASCII one (one character for one)."""
    if _OTHER_DIGIT.search(text) is None:
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


def visible(text: str) -> str:
    """``text`` as a reader sees it: without its characters that print as nothing (:data:`_INVISIBLE`: Unicode's
    Default_Ignorable_Code_Point), those drawn as an empty space (the Hangul fillers, U+2800) read as a space. No
    line break is dropped or added: a place's line is the same in both."""
    if text.isascii() or _INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub(lambda m: " " if _BLANK.match(m.group()) else "", text)


# A percent-encoded octet (RFC 3986 §2.1): a URL's query may write a label and its value so (?subject=pwd%3DAzerty123)
_PERCENT = re.compile("%[0-9A-Fa-f]{2}")
_PERCENT_RUN = re.compile("(?:%[0-9A-Fa-f]{2})+")  # a run of them: the octets of one character or more


def percent_decoded(text: str) -> tuple[str, list[int]] | None:
    """``text`` with its percent-encoded octets decoded (RFC 3986 §2.1; each run of them read as UTF-8, an octet
    that is none as U+FFFD: :func:`urllib.parse.unquote`), and for each character of it, its offset in ``text``
    (a character decoded: the offset of the run it comes from, so that a line break decoded, ``%0A``, is on the line
    of ``text`` that holds it); None when ``text`` holds no percent-encoded octet. The reading :func:`secret_kind`
    and :func:`prose_secret` both make: a server reads a URL's query decoded (``?key%3D...``, ``pwd%3DAzerty123``)."""
    if "%" not in text or _PERCENT.search(text) is None:
        return None
    pieces: list[str] = []
    offsets: list[int] = []
    at = 0
    for m in _PERCENT_RUN.finditer(text):
        pieces.append(text[at : m.start()])
        offsets.extend(range(at, m.start()))
        character = urllib.parse.unquote(m.group())
        pieces.append(character)
        offsets.extend([m.start()] * len(character))
        at = m.end()
    pieces.append(text[at:])
    offsets.extend(range(at, len(text)))
    return "".join(pieces), offsets


def prose_secret(text: str) -> tuple[str, int] | None:
    """The first secret found in ``text`` written by people for people (an admin's notes about a member, a
    contact's name, the reason of an exception), as its kind and where it starts in ``text``; None when there is
    none. Stricter than :func:`secret_kind`, which reads a command: the forms that are a secret in any prose
    (_PROSE_TEXT), a password after a label that names nothing else (_PROSE_PASSWORD) or after its login, given
    as a pair (_PROSE_PAIR), and a value shaped like a key after a token's or a key's label (_PROSE_KEY).

    A text written with compatibility characters (fullwidth ``ＭＤＰ Ａｚｅｒｔｙ１２３``, the mathematical
    alphanumerics ``𝗺𝗱𝗽``, ligatures such as ``ﬁ``) is read as it shows too: in its NFKC form (Unicode's
    compatibility decomposition, UAX #15), which a reader and a copy-paste into a login form take as the plain
    letters, its other hyphens and dashes (``Wi‑Fi`` with a non-breaking hyphen, ``mdp ― Azerty123``) read as
    ``-`` and ``—``, and without the characters that print as nothing (:func:`visible`: ``m\u00addp``,
    ``pass\u2060word``, a right-to-left mark after ``סיסמה``), its digits of other scripts read as ASCII's
    (``mdp : Azerty١٢٣٤``: :func:`_ascii_digits`). A text holding percent-encoded octets (RFC 3986 §2.1, a
    URL's ``?subject=pwd%3DAzerty123``) is read decoded too (:func:`percent_decoded`, as :func:`secret_kind` reads
    it). A secret found only in such a form starts, in ``text``, at the start of the line that holds it as written
    (NFKC keeps line breaks: it maps no character to one; a line break decoded, ``%0A``, is inside its line)."""
    found = _prose_secret_shown(text)
    if found is not None:
        return found
    decoded = percent_decoded(text)
    if decoded is None:
        return None
    found = _prose_secret_shown(decoded[0])
    if found is None:
        return None
    kind, start = found
    offsets = decoded[1]
    return kind, text.rfind("\n", 0, offsets[min(start, len(offsets) - 1)]) + 1


def _prose_secret_shown(text: str) -> tuple[str, int] | None:
    """:func:`prose_secret` on ``text`` as written, then as shown (its NFKC form, without the characters that print
    as nothing), not percent-decoded."""
    found = _prose_secret_as_written(text)
    if found is not None or text.isascii():
        return found
    if _shown_as_written(text):
        return None  # read as it shows, the text is the same (the usual name with an accent: a look, no copy)
    shown = _ascii_digits(unicodedata.normalize("NFKC", visible(text)).translate(_PROSE_DASHES))
    if shown == text:
        return None
    found = _prose_secret_as_written(shown)
    if found is None:
        return None
    kind, start = found
    return kind, _line_start(text, shown.count("\n", 0, start))


def _line_start(text: str, line: int) -> int:
    """Where line ``line`` (from 0) of ``text`` starts."""
    line_start = 0
    for _ in range(line):
        line_start = text.index("\n", line_start) + 1
    return line_start


def _holds_one(folded: str, needs: tuple[str, ...]) -> bool:
    """Whether ``folded`` holds one of the words ``needs`` (a loop, as _text_kind's: a generator made for each form
    cost more than the look itself)."""
    for word in needs:  # noqa: SIM110 - faster than any() of a generator
        if word in folded:
            return True
    return False


# Every word one of _PROSE_TEXT's forms needs (its third item), looked for once in a text rather than once for each
# form that needs it (79 forms, most needing one word: a call for each cost a note about 20 µs), with the forms that
# need it, by their place in _PROSE_TEXT: a text is searched for the forms of the words it holds, not asked of every
# form whether it holds one (a note holding '=' or ':' asked 79 forms, about 25 µs)
_PROSE_TEXT_WORDS: dict[str, tuple[int, ...]] = {
    word: tuple(i for i, (_kind, _pattern, needs) in enumerate(_PROSE_TEXT) if word in needs)
    for word in sorted({word for _, _, needs in _PROSE_TEXT for word in needs})
}


def _forms_held(folded: str) -> list[int]:
    """The places in _PROSE_TEXT of the forms one of whose words (:data:`_PROSE_TEXT_WORDS`) ``folded`` holds, in
    order: the others are not looked for (as :func:`_holds_one` tells for one form)."""
    places: set[int] = set()
    for word, forms in _PROSE_TEXT_WORDS.items():
        if word in folded:
            places.update(forms)
    return sorted(places)


def _prose_secret_as_written(text: str) -> tuple[str, int] | None:
    """:func:`prose_secret` on ``text`` as written, character by character."""
    folded = _folded(text)
    # (whether the text holds a digit is asked past the words' search alone: the usual name, holding none of the
    # words, is not searched for one, a tenth of its reading)
    if _PROSE_NEEDS.search(folded) is None and (
        _PROSE_NEEDS_FURTHER.search(folded) is None
        or (_DIGIT.search(text) is None and "\n" not in text and _PASSPHRASE_GATE.search(text) is None)
    ):
        return None
    digit = _DIGIT.search(text) is not None
    found: list[tuple[int, str]] = []
    for place in _forms_held(folded):
        kind, pattern, _needs = _PROSE_TEXT[place]
        if pattern.digit and not digit:
            continue
        for m in pattern.finditer(text):
            value = m.groupdict().get("v")
            if value is None or not (_PLACEHOLDER.match(value) or _ssh_key_data(value)):
                found.append((m.start(), kind))
                break
    held = _labelled_secrets(text, folded, found, digit)
    if "|" in text:
        found.extend(_table_secrets(text))
    # a label alone on its line: a password's, a PIN's (_PROSE_PASSWORD_NEEDS), a token's or a key's
    if "\n" in text and (
        held[id(_PROSE_PASSWORD_NEEDS)]
        or held[id(_PROSE_PASSWORD_FURTHER_NEEDS)]
        or held[id(_PROSE_PASSPHRASE_NEEDS)]
        or held[id(_PROSE_KEY_NEEDS)]
    ):
        found.extend(_label_line_secrets(text))
    if not found:
        return None
    start, kind = min(found)
    return kind, start


def _labelled_secrets(text: str, folded: str, found: list[tuple[int, str]], digit: bool) -> dict[int, bool]:
    """The first secret of each of _PROSE_LABELLED's forms in ``text`` added to ``found`` (where it starts, its
    kind), those whose every match holds a digit (``_Pattern.digit``) only when ``digit`` says the text holds one;
    whether the text holds a word of each tuple of needs, by the tuple's id (forms that share one look once;
    _PROSE_PASSWORD_FURTHER's with a digit only, _PROSE_NEEDS_FURTHER)."""
    held: dict[int, bool] = {}
    for kind, pattern, needs in _PROSE_LABELLED:
        hit = held.get(id(needs))
        if hit is None:
            if needs is _PROSE_PASSWORD_FURTHER_NEEDS:
                hit = digit and _PROSE_NEEDS_FURTHER.search(folded) is not None
            else:
                hit = _holds_one(folded, needs)
            held[id(needs)] = hit
        if hit and (digit or not pattern.digit):
            for m in pattern.finditer(text):
                value = m.group("v") or m.groupdict().get("w") or ""
                # (an SSH key's data is public: a security key's, after its type's @openssh.com, reads as an address
                # and a password ending with base64's '=')
                if not _PLACEHOLDER.match(value) and not PULUMI_CIPHERTEXT.match(value) and not _ssh_key_data(value):
                    found.append((m.start(), kind))
                    break
    return held


# A markdown table's row (| a | b |, its first and last '|' optional) and the row under its header (|---|:--:|)
_TABLE_ROW = re.compile(r"[^\S\n]*+\|?(?P<cells>[^\n]*\|[^\n]*?)\|?[^\S\n]*+")
_TABLE_RULE = re.compile(r"[^\S\n]*+\|?[^\S\n]*+:?-++:?[^\S\n]*+(?:\|[^\S\n]*+:?-++:?[^\S\n]*+)*+\|?[^\S\n]*+")


def _table_secrets(text: str, read: Callable[[str], tuple[str, int] | None] | None = None) -> Iterator[tuple[int, str]]:
    """The secrets of a markdown table's cells, each read after its column's header as after a label (a column
    ``Mot de passe`` whose row holds ``Velo2024x`` reads as ``Mot de passe : Velo2024x``, a column ``PIN`` as
    ``PIN : ...``) by ``read`` (default: :func:`_prose_secret_as_written`): where each row starts in ``text``, and
    the kind. Only a table whose header has its rule under it (``|---|---|``), as markdown writes one. (A secret
    found so needs a word of _PROSE_NEEDS in ``text``: the header's label, or the '/' or ':' of a pair in the cell.)"""
    read = read or _prose_secret_as_written
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    i = 0
    while i + 1 < len(lines):
        header = _TABLE_ROW.fullmatch(lines[i])
        if header is None or _TABLE_RULE.fullmatch(lines[i + 1]) is None:
            i += 1
            continue
        names = [cell.strip() for cell in header.group("cells").split("|")]
        i += 2
        while i < len(lines) and (row := _TABLE_ROW.fullmatch(lines[i])) is not None:
            cells = [cell.strip() for cell in row.group("cells").split("|")]
            for name, cell in zip(names, cells, strict=False):
                if name and cell:
                    found = read(f"{name} : {cell}")
                    if found is not None:
                        yield starts[i], found[0]
                        break
            i += 1


# What a message can show of a list or a mapping, in characters of its texts: show_value's 80 (pic.errors), and a
# hint quoting an item further on; no more is read for a secret (a mapping of 15,000 PHP settings took seconds).
TEXTS_READ = 4096


def texts_of(value: object) -> list[str]:
    """The texts in ``value`` as a message could show them: itself, those in a list, and in a mapping its keys,
    its values and each ``key: value`` (``{password: Azerty123}``, a list item YAML read as a mapping), at any depth;
    of a list or a mapping, those of the items that start within its first :data:`TEXTS_READ` characters, each
    whole (a message shows the first 80)."""
    if isinstance(value, str):
        return [value]
    out: list[str] = []
    _texts_into(value, out, [TEXTS_READ])
    return out


def _texts_into(value: object, out: list[str], budget: list[int]) -> None:
    """:func:`texts_of` of ``value`` added to ``out`` while ``budget[0]`` (characters left) is above 0."""
    if isinstance(value, str):
        out.append(value)
        budget[0] -= len(value)
    elif isinstance(value, list | tuple):
        for item in value:
            if budget[0] <= 0:
                return
            _texts_into(item, out, budget)
    elif isinstance(value, dict):
        for key, item in value.items():
            if budget[0] <= 0:
                return
            _texts_into(key, out, budget)
            _texts_into(item, out, budget)
            if isinstance(key, str) and isinstance(item, str | int):
                out.append(f"{key}: {item}")
            budget[0] -= 4  # the separators


def reads_as_secret(value: object) -> bool:
    """Whether a value a message would show holds a secret as :func:`secret_kind` (a command's) or
    :func:`prose_secret` (prose's) reads one, in any of its texts (:func:`texts_of`)."""
    return any(secret_kind(t) is not None or prose_secret(t) is not None for t in texts_of(value))


# What stands between a value (an address, a number, a name, a path...) and what a line pasted whole holds beside
# it: blanks, a '/', ',', ';', '|', '#', '=', brackets of any kind, a ':' (not a URL's ://) and an IPv6 zone's '%'
BESIDE = LazyPattern(r"[\s/,;|%#=()\[\]{}<>]+|:(?!//)")
# The key material of an SSH key's or a known_hosts line (each word as written, between blanks or ','): a key's
# data (base64 of its wire form, RFC 4253 §6.6: a uint32 length, which starts it with AAAA, then its type's name,
# checked by :func:`_ssh_key_data`) and a hashed host name (|1|salt|hash, ssh-keygen -H). Long runs of letters and
# digits, each reads as a password does, and is none: a key's public half, a host's name hashed.
_KEY_MATERIAL = LazyPattern(
    r"(?<![^\s,])(?:\|1\|[A-Za-z0-9+/]{4,}={0,2}\|[A-Za-z0-9+/]{4,}={0,2}|AAAA[A-Za-z0-9+/]{12,}={0,2})(?![^\s,])"
)
# The name of a key's type at the head of its data: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, sk-ssh-ed25519@...,
# their certificates (ssh-ed25519-cert-v01@openssh.com) and x509v3-* (RFC 6187)
_KEY_TYPE_NAME = LazyPattern(r"(?:ssh|ecdsa|sk|x509v3)-[a-z0-9][a-z0-9@.+-]*")
# A local part of an address as most are written (letters, digits, . _ + -): read with its address as one word; one
# holding another sign (admin!Lilas2024x@, Lilas2024x!@) is read alone, as a word beside the domain
_PLAIN_LOCAL_PART = LazyPattern(r"[^\W_]+(?:[._+-]+[^\W_]+)*")
# What the words of a mapping's key are split at: blanks alone (main Lilas2024x!), a key's signs joining its parts
# (mysql:password, a Pulumi key's namespace and name; \x1b[2J.org, a name and the escape written before it)
_KEY_BESIDE = LazyPattern(r"\s+")
# A word in capitals then a year (Lilas2024, Velo2024, Soleil2024Azur), as passwords are made and no host is
# named (Smtp1, Web01, Mail2: a word and a host's number), in a name written in capitals, of two labels or more
# (Lilas2024.fr, Lilas2024.Velo.org)
_YEAR_WORD = r"(?<![A-Za-z0-9_-])[A-Z][a-z]+(?:19|20)[0-9]{2}(?![0-9])"
_YEAR_NAME = LazyPattern(rf"(?=[A-Za-z0-9_.-]*?{_YEAR_WORD})[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+\.?")
# A word that names a thing rather than hides one, though it reads as a password (:func:`labelled_password`): a
# host's or a file's name, with the root's dot or not, in small letters with an empty label too (web1.example.org,
# smtp1.example.org., smtp1.example.org.., smtp1..example.org, s3.example.net, id_ed25519.pub: a setting's host
# mistyped so is told, its name to write shown), in capitals a name of three labels
# at least, its last in small letters or the whole in capitals (Smtp1.Example.org, SMTP1.EXAMPLE.ORG), as a host's
# name is written (a password of a word and a name's ending, Velo2024.Paris, Velo2024.Org, Lilas2024.fr, is none),
# no label of it a word in capitals then a year (:data:`_YEAR_WORD`: Lilas2024.Velo.org is a password's shape);
# a URL's scheme before its // (socks5:); a version and the name of its build or package (8.3-FPM, php8.3-fpm,
# 10.11.6-MariaDB,
# 8.2.28-1~deb12u1: a program's name in small letters or in capitals, numbers joined by dots, then words of letters
# or of small letters and digits; not Lilas12.5-X nor 8.3-Lilas2024x); an offset from GMT or UTC as the tz database's
# Etc/ zones and clocks write it (Etc/GMT+13, UTC+05:30: GMT+13 and UTC+05 between the signs; not GMT+13x)
_NAME_WORD = LazyPattern(
    rf"(?:\.*[a-z0-9_-]+(?:\.+[a-z0-9_-]+)*\.+[a-z]{{2,63}}|(?![A-Za-z0-9_.-]*?{_YEAR_WORD})"
    r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+\.[a-z]{2,63}"
    r"|[A-Z0-9_-]+(?:\.[A-Z0-9_-]+)+\.[A-Z]{2,63})\.*|[A-Za-z][A-Za-z0-9+.-]*:"
    r"|(?:[a-z]+|[A-Z]+)?[-_]?[0-9]+(?:\.[0-9]+)+(?:[-+~.](?:[A-Za-z]+|[a-z0-9]+))*"
    r"|(?i:gmt|utc)[+-][0-9]{1,2}"
)
# An encoded word of mail headers (RFC 2047 §2: =?charset?B or Q?text?=), which a value refused for it holds: read
# as the text it decodes to (Lucie =?utf-8?b?QWRtaW4=?= Moreau is Lucie Admin Moreau; a password encoded is one)
_ENCODED_WORD = LazyPattern(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_QUOTED_OCTET = LazyPattern(r"=([0-9A-Fa-f]{2})")
# Characters of a value read for a password beside the rest: a message shows its first 80 (pic.errors), a hint
# quoting it a little more
BESIDE_READ = 400
# A key's fingerprint or long id as gpg prints it, public: hexadecimal digits in groups of four between blanks (two
# in the middle of a full one), 0x before them or not; four groups at least, which no word of a password is
_FINGERPRINT_GROUPS = LazyPattern(
    r"(?<![\w-])(?:0[xX])?(?:[0-9A-F]{4}(?:[^\S\n]{1,2}[0-9A-F]{4}){3,}|[0-9a-f]{4}(?:[^\S\n]{1,2}[0-9a-f]{4}){3,})"
    r"(?![\w-])"
)


def fingerprint_groups(text: str) -> bool:
    """Whether ``text`` is a key's fingerprint or long id written in groups (:data:`_FINGERPRINT_GROUPS`:
    ``0x1505 8500 A023 5D97 ...``), no secret."""
    return _FINGERPRINT_GROUPS.fullmatch(text.strip()) is not None


def _ssh_key_data(word: str) -> bool:
    """Whether ``word``, base64, decodes to an SSH key's wire form: a length, then a key type's name that long."""
    head = word.rstrip("=")[:64]
    try:
        data = base64.b64decode(head[: len(head) // 4 * 4], validate=True)
    except ValueError:
        return False
    size = int.from_bytes(data[:4], "big")
    name = data[4 : 4 + size]
    return 0 < size == len(name) and name.isascii() and _KEY_TYPE_NAME.fullmatch(name.decode("ascii")) is not None


def _not_key_material(m: re.Match[str]) -> str:
    """What :func:`password_beside` reads of a word :data:`_KEY_MATERIAL` found: nothing when it is key material,
    else the word."""
    word = m.group()
    return " " if word.startswith("|") or _ssh_key_data(word) else word


def _encoded_text(m: re.Match[str]) -> str:
    """The text the encoded word ``m`` (:data:`_ENCODED_WORD`) decodes to, between blanks; its own text when it
    decodes to none."""
    encoded = m.group(3)
    try:
        if m.group(2) in "bB":
            data = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        else:  # Q: '_' a blank, =XX an octet (RFC 2047 §4.2)
            octets = _QUOTED_OCTET.compiled().sub(lambda o: chr(int(o.group(1), 16)), encoded.replace("_", " "))
            data = octets.encode("latin-1")
    except ValueError:
        return f" {encoded} "
    return f" {data.decode('utf-8', 'replace')} "


# The zone id of an IPv6 address in brackets (RFC 4007 §11, written %25 in a URL by RFC 6874), no word read when
# an interface's name (:func:`interface_name`), %25eth0 read otherwise as a word of digits and letters
_ZONE_ID = LazyPattern(r"(\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)%(?:25)?([^\]\s]*)\]")
# The zone id of an IPv6 address written alone, without brackets (fe80::1%eth0, pic:smtp.host's), read alike
_BARE_ZONE_ID = LazyPattern(
    r"(?<![\w:.%\[])([0-9A-Fa-f]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)%(?:25)?([A-Za-z0-9_.-]+)(?![\w%\]])"
)
# An interface's name as Linux writes one: 15 characters at most (IFNAMSIZ less its NUL), in small letters as the
# kernel and udev name them (eth0, enp3s0, wlp2s0); a zone holding a capital ([::1%Lilas2024]) is none
_INTERFACE_CHARACTERS = LazyPattern(r"[a-z0-9_.-]{1,15}")
# A run of four digits or more, which an interface's number is only in the shapes below; a word and a year
# (lilas2024, soleil2024azur) is a password's
_LONG_DIGIT_RUN = LazyPattern(r"[0-9]{4}")
# Interfaces numbered so: a VLAN's (802.1Q ids up to 4094: eth0.1000, vlan1000), a predictable name's parts
# (systemd.net-naming-scheme: ens1234, enp0s31f6, enP4p65s0 on PCI domain 4, enx or wlx + a MAC address), Proxmox
# VE's (a VM's id then its network's index: tap1001i0, fwpr1001p0), counters of libvirt, tun/tap and PPP (vnet1024),
# ids in hexadecimal (Docker's br-0a1b2c3d4e5f, veth..., Calico's cali..., OpenStack's tap/qvb/qvo/qbr), ZeroTier's
# zt + its network's id
_NUMBERED_INTERFACE = LazyPattern(
    r"[a-z][a-z0-9_-]*\.[0-9]{1,4}|vlan[0-9]{1,4}"
    r"|(?:en|wl|ww|ib|sl)(?:P[0-9]+)?(?:[a-z][0-9]+)+(?:n[a-z]+[0-9]+)?|(?:en|wl|ww|ib|sl)x[0-9a-f]{12}"
    r"|(?:tap|veth|fwbr|fwpr|fwln)[0-9]+[ip][0-9]+|(?:vnet|tun|tap|ppp)[0-9]+"
    r"|(?:br-|veth|cali|tap|qvb|qvo|qbr|qr-|qg-)[0-9a-f]+(?:-[0-9a-f]{2})?|zt[0-9a-z]{8}"
)


# An interface named by a word and its number, the word one the kernel, udev or a daemon gives (the kernel's eth, wlan,
# lo, bond, team, tun, tap, ppp, dummy...; systemd's eno/ens/em; Docker's docker, libvirt's virbr and vnet, LXC's and
# LXD's lxcbr/lxdbr, Proxmox VE's vmbr, WireGuard's wg, VirtualBox's and VMware's vboxnet/vmnet): another word and a
# number (lilas75, azur12) is a password's shape as a word, digits and a word again (velo75paris) is
_NAMED_INTERFACE = LazyPattern(
    r"(?:eth|eno|ens|em|wlan|wwan|lo|bond|team|br|bridge|vlan|tun|tap|ppp|dummy|ifb|sit|gre|ipip|vxlan|macvlan|veth"
    r"|docker|virbr|vnet|lxcbr|lxdbr|vmbr|wg|vboxnet|vmnet|podman|cni|flannel|ib|usb|can|zt)[0-9]{1,3}"
)


def interface_name(zone: str) -> bool:
    """Whether ``zone``, an address's zone id (after its ``%``, RFC 4007 §11), is shaped as a Linux interface's
    name (:data:`_INTERFACE_CHARACTERS`, or systemd's name on a PCI domain, whose ``P`` is its one capital:
    enP4p65s0), its digits a number of a known shape (:data:`_NUMBERED_INTERFACE`) when they run four or more:
    eth0, enp0s31f6, eth0.1000, br-0a1b2c3d4e5f, wlx00c0ca123456; of another shape, one no password's is (read as the
    zone of an address alone is, :func:`labelled_password`); not Lilas2024, lilas2024, soleil2024azur nor
    velo75paris, passwords pasted there."""
    if zone[2:3] == "P" and len(zone) <= 15 and _NUMBERED_INTERFACE.fullmatch(zone) is not None:
        return True  # systemd's shape (enP4p65s0) alone has it small letters aside; in capitals (ENP3S0) read below
    if zone != zone.lower() and _INTERFACE_CHARACTERS.fullmatch(zone.lower()) is not None:
        # Linux's names are case-sensitive and take capitals (ip link add Eth0): a known shape in them (Eth0, ETH0,
        # Enp3s0); another (Lilas, LILAS2024X) may be a password
        lower = zone.lower()
        return _NUMBERED_INTERFACE.fullmatch(lower) is not None or _NAMED_INTERFACE.fullmatch(lower) is not None
    if _INTERFACE_CHARACTERS.fullmatch(zone) is None:
        return False
    if _NUMBERED_INTERFACE.fullmatch(zone) is not None or _NAMED_INTERFACE.fullmatch(zone) is not None:
        return True
    # another shape: one a password's is (velo75paris, lilas2024) is none, as the address alone reads its zone
    return _LONG_DIGIT_RUN.search(zone) is None and not labelled_password(zone)


def _zone_unread(m: re.Match[str]) -> str:
    """The address in brackets ``m`` (:data:`_ZONE_ID`) without its zone id when that is an interface's name."""
    return f"{m[1]}]" if interface_name(m[2]) else m.group()


def _bare_zone_unread(m: re.Match[str]) -> str:
    """The address alone ``m`` (:data:`_BARE_ZONE_ID`) without its zone id when that is an interface's name, as
    :func:`_zone_unread` reads one in brackets."""
    return m[1] if interface_name(m[2]) else m.group()


def _words_beside(text: str, beside: LazyPattern = BESIDE) -> list[str]:
    """The words of ``text`` (its first :data:`BESIDE_READ` characters) as :func:`password_beside` reads them,
    split at ``beside``."""
    text = text[:BESIDE_READ]
    if _DIGIT.search(text) is not None:  # a fingerprint in groups (0x1505 8500 ...) is no word read
        text = _FINGERPRINT_GROUPS.compiled().sub(" ", text)
    if "AAAA" in text or "|1|" in text:
        text = _KEY_MATERIAL.compiled().sub(_not_key_material, text)
    if "=?" in text:
        text = _ENCODED_WORD.compiled().sub(_encoded_text, text)
    if "%" in text:  # an IPv6 address's zone id ([2001:db8::1%25eth0]) is no word read: an interface's name
        text = _BARE_ZONE_ID.compiled().sub(_bare_zone_unread, _ZONE_ID.compiled().sub(_zone_unread, text))
    words: list[str] = []
    for word in beside.compiled().split(text):
        local, at, domain = word.rpartition("@")
        if at and local and _PLAIN_LOCAL_PART.fullmatch(local) is None:
            words += [local, domain]
        elif at and local and (address := _ipv4_read(domain)) is not None:
            # an address inet_aton reads (restic@0x0a.0.0.11): read as its dotted form is, which is no password
            words += [f"{local}@{address}", domain]
        elif at and local:  # a user's plain name, then a host read as any (sftp://restic@Lilas2024.Velo.org)
            words += [word, domain]
        elif word:
            words.append(word)
    return words


# The options of an authorized_keys line, whose names sshd reads in any case (sshd(8), AUTHORIZED_KEYS FILE FORMAT;
# OpenSSH's auth-options.c): names, no secret (an option's value, command="...", is read as any text)
_SSHD_KEY_OPTIONS = frozenset(
    {
        "agent-forwarding",
        "cert-authority",
        "command",
        "environment",
        "expiry-time",
        "from",
        "no-agent-forwarding",
        "no-port-forwarding",
        "no-pty",
        "no-touch-required",
        "no-user-rc",
        "no-x11-forwarding",
        "permitlisten",
        "permitopen",
        "port-forwarding",
        "principals",
        "pty",
        "restrict",
        "tunnel",
        "user-rc",
        "verify-required",
        "x11-forwarding",
    }
)
_OPTION_NAME = LazyPattern(r"(?<![^\s,])[A-Za-z0-9-]+(?=[=,\s]|\Z)")
# A machine's name as a key's comment writes it (ssh-keygen's user@host: me@X11pc, marie@DESKTOP-4F7G2K1,
# Marie-X11-laptop): a user's plain name and @, then parts of letters and digits joined by '-', '.' or '_'
_MACHINE_WORD = LazyPattern(r"(?:[^\W_]+(?:[._+-][^\W_]+)*@)?[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")
_MACHINE_PART = LazyPattern(r"[A-Za-z0-9]+")
_YEAR_IN = LazyPattern(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
# Two words joined by a number, as a password is made and no machine is named (velo75paris, soleil12azur,
# velo75-paris), where a name's number follows a letter or two (X11pc) or ends it (laptop-2)
_WORDS_AROUND_NUMBER = LazyPattern(r"[A-Za-z]{3}[._-]?[0-9]+[._-]?[A-Za-z]{3}")
_NUMBER_PART = LazyPattern(r"[0-9]+")
_WORD_PART = LazyPattern(r"[A-Za-z]{3,}")
# A part shaped as a password (pic.errors.shaped_as_password's shape): a capital, a small letter and a digit, 8 or more
_PART_AS_PASSWORD = LazyPattern(r"(?=[^A-Z]*[A-Z])(?=[^a-z]*[a-z])(?=[^0-9]*[0-9])[A-Za-z0-9]{8,64}")


def _key_line_names(text: str) -> set[str]:
    """The words of an SSH public key's line (``text``, its data a key's, :func:`_ssh_key_data`) that are names, no
    secret, though they mix capitals and digits: the names of the authorized_keys options before its type
    (no-X11-forwarding, in any case), and the words of its comment that name a machine (:data:`_MACHINE_WORD`:
    me@X11pc, marie@DESKTOP-4F7G2K1, Marie-X11-laptop) with no part of them a year or shaped as a password
    (Velo-2024-Lyon, marie@Lilas2024x are read), nor words joined by a number (velo75paris, Soleil-Azur-75,
    :data:`_WORDS_AROUND_NUMBER`, :func:`_words_and_number`); empty for a text holding no key."""
    words = text[:BESIDE_READ].split()
    at = next((i for i, w in enumerate(words) if _KEY_MATERIAL.fullmatch(w) and _ssh_key_data(w)), None)
    if at is None or at == 0:
        return set()
    names = {
        name for name in _OPTION_NAME.compiled().findall(" ".join(words[: at - 1])) if name.lower() in _SSHD_KEY_OPTIONS
    }
    for word in words[at + 1 :]:
        if _MACHINE_WORD.fullmatch(word) is None:
            continue
        parts = _MACHINE_PART.compiled().findall(word)
        if any(_YEAR_IN.search(part) or _PART_AS_PASSWORD.fullmatch(part) for part in parts):
            continue
        if _WORDS_AROUND_NUMBER.search(word) or any(_words_and_number(side) for side in word.split("@")):
            continue
        names |= {word, word.rpartition("@")[2]}
    return names


# What a value refused is split at to read its parts, a password standing among them with more around it
# (0xCafe1234.1, 1.0xCafe1234, -Lilas2024x, udp://Lilas2024x, web1:Lilas2024x): blanks, the signs that join the parts
# of a name, an address, a URL or an option (. : / @ - +), those standing beside a value (:data:`BESIDE`'s), and the
# characters that print as nothing (:data:`_INVISIBLE`: Lilas2024x then a zero width space)
_PART_SEPARATOR = LazyPattern(rf"[\s.:/@+\-,;|%#=()\[\]{{}}<>'\"`{_INVISIBLE.pattern[1:-1]}]+")
# A word of a value refused (between blanks, or :data:`BESIDE`'s signs) that names a host, an address or a file:
# its last label letters (Asso-Case2024.org, web1.example.org, marie@example.org), its labels no part read
_NAME_ENDING = LazyPattern(r"[^\s]*\.[A-Za-z]{2,63}\.?")
# Words in small letters around a number, as a password is made (velo75paris, soleil12azur) and no host, version
# or interface is named (web01, php84, eth0, enp0s31f6, utf8mb4: a word and its number, a letter or two after it)
# 8 characters or more, as a password is typed (a note of one word is read so: web2day, an event's name, is a word)
_SMALL_WORDS_AROUND_NUMBER = LazyPattern(r"(?=[a-z0-9]{8})[a-z]{3,}[0-9]+[a-z]{3,}")
# Capitals and digits alone, as a password typed with Caps Lock on is (LILAS2024X, AB12CD34): 8 characters or more,
# 3 capitals or more and 2 digits or more, a number between two capitals. No name so written is read: shorter
# (PHP84, UTF8MB4, H2O, MD5, A1), its number after its letters alone (ISO8859, RSA4096, WINDOWS1252, GB18030), with
# fewer capitals (X25519, 2027W133, U0001F600, Y2024M03), or hexadecimal of 16 digits or more (a key's fingerprint,
# 15058500A0235D97F5D1...: :data:`_LONG_HEXADECIMAL`)
_CAPITALS_AROUND_NUMBER = LazyPattern(
    r"(?=(?:[0-9]*[A-Z]){3})(?=(?:[A-Z]*[0-9]){2})(?=[A-Z0-9]{8,64}$)[A-Z0-9]*[A-Z][0-9]+[A-Z][A-Z0-9]*"
)
_LONG_HEXADECIMAL = LazyPattern(r"[0-9A-F]{16,}")
# What stands before a passphrase in a word: a name and its dot, a host and its colon, an address's @ (a.Soleil-Azur-75)
_PIECE_BEFORE_PASSPHRASE = LazyPattern(r"[:@/]|(?<=[a-z0-9])\.(?=[A-Z])")
# A word of parts joined by - . _ or + (Soleil-Azur-75, Lilas.Azur.75), read by :func:`_passphrase`
_PASSPHRASE_JOIN = LazyPattern(r"[-._+]")
_CAPITALISED_PART = LazyPattern(r"[A-Z][a-z]{2,}")
_NUMBER_OF_TWO = LazyPattern(r"[0-9]{2,}")
# A number written in another base, a size's unit after it or not (0x15058500A0235D97..., 0b1000000M, 0o777): its x,
# o or b no small letter of a password's, which one in hexadecimal mixing capitals and small letters is
# (:data:`_MIXED_CASE_HEX`: 0xCafe1234)
_BASED_NUMBER_PART = LazyPattern(r"0[xXoObB][0-9A-Fa-f]+[KkMmGg]?")


def password_part(value: str) -> bool:
    """Whether ``value``, a value refused where no secret goes, holds a part shaped as a password, alone or with
    more around it: split at :data:`_PART_SEPARATOR` (``0xCafe1234.1``, ``1.0xCafe1234``, ``-Lilas2024x``,
    ``udp://Lilas2024x``, ``Lilas2024x`` then a zero width space), in its compatibility form (NFKC) too
    (``０xCafe1234``), a part of 8 characters or more mixing capitals, small letters and digits
    (:data:`_PART_AS_PASSWORD`, :func:`pic.errors.shaped_as_password`'s shape), words in small letters around a
    number (:data:`_SMALL_WORDS_AROUND_NUMBER`: ``velo75paris``) or capitals and digits as a password typed with Caps
    Lock on (:func:`_capitals_around_number`: ``LILAS2024X``, ``AB12CD34``; ``PHP84``, ``ISO8859`` are names). Not
    read: the key material of an SSH key's or a
    known_hosts line (:data:`_KEY_MATERIAL`: base64, whose parts mix capitals and digits), and a word naming a host,
    an address or a file (:data:`_NAME_ENDING`: ``Asso-Case2024.org``, ``velo75paris.fr``), shown as before, unless a
    label is hexadecimal mixing capitals and small letters (``0xCafe1234.org``: :data:`_MIXED_CASE_HEX`)."""
    text = value[:BESIDE_READ]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if not _may_hold_part(text):
        return False
    if "AAAA" in text or "|1|" in text:
        text = _KEY_MATERIAL.compiled().sub(_not_key_material, text)
    name_ending = _NAME_ENDING.compiled()
    shaped = _PART_AS_PASSWORD.compiled()
    for word in BESIDE.compiled().split(text):
        if not word:
            continue
        if name_ending.fullmatch(word):
            # a name's labels are not read, but for one of hexadecimal mixing capitals and small letters
            # (0xCafe1234.org, marie@0xCafe1234.fr): no label's shape, a password's
            parts = _PART_SEPARATOR.compiled().split(word)
            if any(_BASED_NUMBER_PART.fullmatch(part) and _MIXED_CASE_HEX.match(part) for part in parts):
                return True
            continue
        if _passphrase(word) or any(_passphrase(piece) for piece in _PIECE_BEFORE_PASSPHRASE.compiled().split(word)):
            return True
        for part in _PART_SEPARATOR.compiled().split(word):
            if _BASED_NUMBER_PART.fullmatch(part):
                if _MIXED_CASE_HEX.match(part):
                    return True
            elif shaped.fullmatch(part) or _capitals_around_number(part) or _small_words_around(part):
                return True
    return False


def _small_words_around(part: str) -> bool:
    """Whether ``part`` is words in small letters around a number (:data:`_SMALL_WORDS_AROUND_NUMBER`: velo75paris),
    not a disk's, an interface's or a program's name (:func:`technical_name`: sha256sum, base64url)."""
    return _SMALL_WORDS_AROUND_NUMBER.fullmatch(part) is not None and not technical_name(part)


# A part of a public name (a domain's label, a host's, a user's, a database's, a stack's) that is a word then its
# number of two digits or more, as such names are made (Prod2024, Deploy2024, Lyon2024, Web01, Asso2024), a capital
# first or not: no password's shape there, though :data:`_PART_AS_PASSWORD`'s (pic.registry reads a name's word so);
# a password's capitals inside, digit alone, run of the keyboard's digits or letters after its number are not so
# written (PassWord2024, Password1, Azerty123, Soleil1234, Lilas2024x)
_NAME_THEN_NUMBER = LazyPattern(r"[A-Z]?[a-z]+([0-9]{2,})")
_KEYBOARD_DIGITS = ("0123456789", "1234567890")


def _name_then_number(part: str) -> bool:
    """Whether ``part`` is a word then its number, as a public name's part is (:data:`_NAME_THEN_NUMBER`): not a run
    of the keyboard's digits of three or more (Azerty123, Soleil1234, as pic.registry reads a name's word)."""
    found = _NAME_THEN_NUMBER.fullmatch(part)
    if found is None:
        return False
    number = found.group(1)
    return not (len(number) >= 3 and any(number in run for run in _KEYBOARD_DIGITS))


# The products a site, its admins or a note name by their release alone (PrestaShop8, MySQL8, Drupal10): the
# platform's applications and databases, the languages and servers they run on, the systems and devices their users
# name, the password managers a note says a password is kept in (KeePass2), in lowercase (as the labels of prose read
# them, _PROSE_PRODUCT, and more)
PRODUCTS = frozenset(
    ["wordpress", "drupal", "joomla", "prestashop", "nextcloud", "owncloud", "moodle", "dolibarr", "spip", "typo",
     "zimbra", "sympa", "mariadb", "mysql", "postgres", "postgresql", "phpmyadmin", "matomo", "piwigo", "mediawiki",
     "dokuwiki", "odoo", "galette", "paheko", "mailman", "civicrm", "woocommerce", "magento", "peertube", "mastodon",
     "roundcube", "squirrelmail", "glpi", "redmine", "gitlab", "gitea", "discourse", "keycloak", "onlyoffice",
     "yubikey", "php", "python", "perl", "ruby", "node", "nodejs", "java", "redis", "memcached", "nginx", "apache",
     "caddy", "haproxy", "traefik", "openssl", "openssh", "symfony", "laravel", "composer", "debian", "ubuntu",
     "windows", "win", "macos", "ios", "android", "iphone", "ipad", "livebox", "freebox", "bbox", "office", "outlook",
     "libreoffice", "thunderbird", "firefox", "chrome", "mysqlworkbench", "filezilla", "winscp", "wine", "proxmox",
     "pve", "truenas", "pfsense", "opnsense", "centos", "fedora", "rhel", "freebsd", "synology", "dsm", "esxi",
     "keepass", "keepassxc", "bitwarden", "vaultwarden", "passbolt", "dashlane", "lastpass", "enpass"]
)  # fmt: skip
# A product's name then its release: a major version of one or two digits (PrestaShop8, Drupal10; Mysql2024, a year,
# is no release) or three at most after a name its releases are so counted (Office365, Thunderbird115); an edition
# its editor writes capitalised before the release or after it (ProxmoxVE8, Windows11Pro, iPhone15ProMax)
_EDITIONS = (
    "Pro|Max|Mini|Plus|Ultra|Air|Home|Server|Enterprise|Business|Education|Standard|Datacenter|Core|Lite|SE|VE|LTS"
)
# Its update after it (debian12u1, Java's 8u392), the architecture it is built for (win10x64, Windows11x64)
_PRODUCT_RELEASE = LazyPattern(
    rf"([A-Za-z]+?)((?:{_EDITIONS})?)([0-9]{{1,3}})(?:u[0-9]{{1,3}})?((?:{_EDITIONS}){{0,2}})"
    r"(?:[_-]?(?:x86[_-]64|x64|x86|amd64|arm64|aarch64|i[3-6]86))?"
)


# The names programs give the things a note, a host's or a database's name writes, digits between their letters by a
# grammar of their own, no password's shape: a disk and its partition (Linux's sd, vd, xvd, nvme, mmcblk: sda1,
# nvme0n1p1, mmcblk0p1), a network interface (systemd's predictable names, systemd.net-naming-scheme(7): enp0s31f6,
# wlp2s0, ens18; the kernel's eth0, wlan0), an architecture (x86_64, aarch64, i686; Docker's arm64v8, arm32v7), a
# checksum's or an encoding's program (coreutils' sha256sum, md5sum, b2sum; RFC 4648's base64url, base32hex), a
# cipher, a curve, a key derivation (OpenSSL's aes256gcm, secp256r1; argon2id, chacha20poly1305). Each grammar is
# fixed letters around the numbers: a password a generator writes falls in none (tests/test_fields_password_words.py
# reads 36,000)
_ARCHITECTURES = r"x86[_-]64|x64|x86|i[3-6]86|amd64|arm64|aarch64|armhf|armel|ppc64le|s390x|riscv64|mips64el"
_TECHNICAL_NAME = LazyPattern(
    r"(?:[shv]|xv)d[a-z]{1,2}[0-9]{0,3}|nvme[0-9]{1,3}n[0-9]{1,3}(?:p[0-9]{1,3})?"
    r"|mmcblk[0-9]{1,3}(?:p[0-9]{1,3}|boot[0-9])?|(?:loop|md|nbd|dm-)[0-9]{1,3}(?:p[0-9]{1,3})?"
    r"|(?:en|wl|ww|ib)(?:o[0-9]{1,5}|s[0-9]{1,5}(?:f[0-9]{1,3})?|(?:P[0-9]{1,5})?p[0-9]{1,3}s[0-9]{1,3}(?:f[0-9]{1,3})?"
    r"(?:u[0-9]{1,3})*(?:c[0-9]{1,3})?(?:i[0-9]{1,3})?|x[0-9a-f]{12})(?:[nd][0-9]{1,3})?"
    r"|(?:eth|wlan|wwan|bond|br|tun|tap|wg|veth|vlan|lo)[0-9]{1,4}"
    rf"|{_ARCHITECTURES}|arm(?:32|64)?v[5-9]l?"
    r"|(?:sha(?:1|224|256|384|512)|md5|b2|sha3-?(?:224|256|384|512))sum|base(?:16|32|58|64|85)(?:url|hex)?"
    r"|aes-?(?:128|192|256)(?:-?(?:gcm|cbc|ctr|ccm|xts|ecb|ofb|cfb))?|secp(?:192|224|256|384|521)[rk]1"
    r"|argon2(?:id|i|d)|chacha20(?:-?poly1305)?"
)


def technical_name(word: str) -> bool:
    """Whether ``word`` is a disk's, a partition's, a network interface's, an architecture's, a checksum's or an
    encoding's program's or a cipher's name as its program writes it (:data:`_TECHNICAL_NAME`: ``nvme0n1p1``,
    ``enp0s31f6``, ``x86_64``, ``sha256sum``, ``base64url``, ``secp256r1``), no password however its digits and
    letters mix."""
    return _TECHNICAL_NAME.fullmatch(word) is not None


def product_release(word: str) -> bool:
    """Whether ``word`` is a known product's name (:data:`PRODUCTS`, in any case) then its release, an edition, an
    update or an architecture beside it (:data:`_PRODUCT_RELEASE`: PrestaShop8, MySQL8, phpMyAdmin5, ProxmoxVE8,
    Windows11Pro, debian12u1, win10x64; not Mysql2024 nor PassWord1)."""
    found = _PRODUCT_RELEASE.fullmatch(word)
    return found is not None and found.group(1).lower() in PRODUCTS


# A word in capitals inside (ÉcoLogis, iPhone, MaxiCycle) then its number of two digits or more: a name's, but a
# number typed as passwords end (a digit alone, 123, 0123, 1234...); or then a version in dots (WordPress6.4,
# MariaDB10.11, PrestaShop1.7.8): a product's name and its release, as a note names what a site runs
_CAPITALS_THEN_NUMBER = LazyPattern(r"[^\W\d_]+(?:([0-9]{2,})|[0-9]+(?:\.[0-9]+)+)")
_KEYBOARD_RUNS = ("0123456789", "1234567890")


def named_with_a_number(word: str) -> bool:
    """Whether ``word``, holding a capital after a lowercase letter, is letters then a number of their own at its end
    (ÉcoLogis2024, iPhone12, MaxiCycle2000): two digits or more, not a run typed as passwords end (123, 1234); or
    then a version in dots (WordPress6.4, MariaDB10.11)."""
    found = _CAPITALS_THEN_NUMBER.fullmatch(word)
    if found is None:
        return False  # PassWord1, Pass1Word
    number = found.group(1)
    if number is None:
        return True  # a version in dots: WordPress6.4
    return not (len(number) >= 3 and any(number in run for run in _KEYBOARD_RUNS))  # PassWord123


_TWO_WORDS_BY_A_DIGIT = LazyPattern(r"([^\W\d_]{2,})[24]([^\W\d_]{2,})")


def joined_by_to_or_for(word: str) -> bool:
    """Whether ``word`` is two words each written with a capital then small letters, joined by 2 or 4 (Tech4Good,
    Up2You, Resto2Cœur; not Tech4good, Velo24Lyon)."""
    found = _TWO_WORDS_BY_A_DIGIT.fullmatch(word)
    return found is not None and all(part[0].isupper() and part[1:].islower() for part in found.groups())


# The words the commonest passwords are made of, as the lists of leaked passwords rank them (the NCSC's 100,000 most
# used, NordPass's and SplashData's yearly lists, French ones: azerty, doudou, loulou, motdepasse): a password with a
# number or a sign after it (hunter2, Welcome2024, Azerty123, Password1!) or its letters written as digits and signs
# (P@ssw0rd, m0tdep@sse, W3lc0me). Words that name things too (soleil, marseille, dragon, football, master: a
# Master2) are left out: a note or a name holds them with a number (Soleil2024, an event's)
_COMMON_PASSWORD_WORDS = frozenset(
    ["password", "passwd", "passwort", "passw", "motdepasse", "welcome", "bienvenue", "letmein", "iloveyou",
     "jetaime", "trustno", "changeme", "hunter", "azerty", "azertyuiop", "qwerty", "qwertyuiop", "qwertz", "qazwsx",
     "asdfgh", "zxcvbn", "abc", "abcd", "abcdef", "admin", "administrator", "secret", "login", "sunshine", "princess",
     "doudou", "loulou", "chouchou"]
)  # fmt: skip
# A word then its number and signs (hunter2, Password1!, Admin@2024), the word's letters maybe written as digits and
# signs (P@ssw0rd, Pa$$w0rd, m0tdep@sse)
_WORD_THEN_NUMBER = LazyPattern(r"([A-Za-z@$0-9!]*?[A-Za-z][A-Za-z@$0-9!]*?)([0-9!?#$%&*+=@^~._-]*)")
# The letters a password writes as digits and signs, a 1 read as an i and as an l
_LEET = (str.maketrans("@4310$5!7", "aaeiossit"), str.maketrans("@4310$5!7", "aaelossit"))


def common_password(word: str) -> bool:
    """Whether ``word`` is a common password's word (:data:`_COMMON_PASSWORD_WORDS`, in any case) with a number or a
    sign after it, or its letters written as digits and signs (:data:`_LEET`): ``hunter2``, ``Welcome2024``,
    ``P@ssw0rd``, ``m0tdep@sse``; not the word alone (``Welcome``), nor a word passwords are not made of
    (``Soleil2024``)."""
    # a word without a digit, @, $ or ! (the usual word of a name: Vélo-Cité, Lyon) compiles no pattern
    if not (word.isascii() and any(c.isdigit() or c in "@$!" for c in word)):
        return False
    found = _WORD_THEN_NUMBER.fullmatch(word)
    if found is None:
        return False
    stem, end = found.groups()
    if stem.isalpha() and not any(c.isdigit() for c in end):
        return False  # the word alone, or a sign after it as prose writes one (password=, **login**)
    lower = stem.lower()
    return any(lower.translate(leet) in _COMMON_PASSWORD_WORDS for leet in _LEET)


# A word of small letters and digits as a generator writes one (pwgen -A -n, a password manager's): 8 characters or
# more, digits between letters twice or more (8kq2mz7wpx, x7k2p9qm), not hexadecimal (deadbeef12cafe, a hash's)
_SMALL_LETTERS_AND_DIGITS = LazyPattern(r"[a-z0-9]{8,}")
_DIGITS_INSIDE = LazyPattern(r"(?<=[a-z])[0-9]+(?=[a-z])")
_SMALL_HEXADECIMAL = LazyPattern(r"[0-9a-f]+")


def generated_in_small_letters(word: str) -> bool:
    """Whether ``word`` is small letters and digits as a password generator writes them
    (:data:`_SMALL_LETTERS_AND_DIGITS`: ``8kq2mz7wpx``, ``x7k2p9qm``), no hash (``deadbeef12cafe``), nor a slug,
    whose words are joined by dashes (``pict-a1b2c3-a``)."""
    if _SMALL_LETTERS_AND_DIGITS.fullmatch(word) is None or _SMALL_HEXADECIMAL.fullmatch(word) is not None:
        return False
    return len(_DIGITS_INSIDE.compiled().findall(word)) >= 2


def public_name_hidden(value: str) -> bool:
    """Whether ``value``, refused where a public name goes (a domain, a host's name or address, a user's name, a
    database's, a list's, a stack's: names the platform publishes or the admins say aloud), is not to be shown: it
    reads as a secret (:func:`reads_as_secret`), holds a word shaped as a password with its sign
    (:func:`_password_alone`: ``Lilas2024x!``), or a part (a label, between the signs :data:`_PART_SEPARATOR`
    splits at) shaped as a password as :func:`password_part` reads one, a domain's labels too (``Lilas2024x.fr``,
    ``Soleil-Azur-75.org``, ``LILAS2024X.fr``; not one in small letters, as names are written: ``velo75paris.fr``).
    A word then its number (:data:`_NAME_THEN_NUMBER`: ``Prod2024``,
    ``Deploy2024``, ``Lyon2024.fr``) is such a name's part, shown, and the name to write offered; the rest of the
    value is read as any value refused is for a password pasted whole (:func:`_password_alone`: ``xK9#mQ2$``) or a
    password's word beside the rest (:func:`password_beside`: ``P@ssw0rd``), such a part read as written in small
    letters."""
    if reads_as_secret(value):
        return True
    text = value[:BESIDE_READ]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    zoned = _ADDRESS_AND_ZONE.fullmatch(text)
    if zoned is not None:  # 10.0.0.11%eth0, fe80::1%, fe80::1%eth0/64: its zone, an interface's name, read alone
        return bool(zoned.group(1)) and _public_word_hidden(zoned.group(1))
    named = _names_in_small_letters(text)
    if _password_alone(text) or (_USER_AT_HOST.fullmatch(named) is None and password_beside(named)):
        return True
    if not _may_hold_part(text) and not any(c in text for c in "!#$%&*=?^~|§£€<>"):
        return False
    return any(_public_word_hidden(word) for word in BESIDE.compiled().split(text) if word)


# An address and a zone id after its '%' (10.0.0.11%eth0, fe80::1%enp3s0; empty, or a prefix's length after it):
# an interface's name, no password's sign
_ADDRESS_AND_ZONE = LazyPattern(r"[0-9A-Fa-f:.]+%([A-Za-z0-9_.-]{0,15})(?:/[0-9]{1,3})?")
# A user's name at a host's, as ssh takes them (deploy@web1, root@web01, pic_deploy@203.0.113.10): a name of small
# letters with its number at its end (no digit between letters: m0tdep@sse), then a host's name (a letter first:
# not soleil@2024) or IPv4 address, whose parts :func:`_public_word_hidden` reads (deploy@Lilas2024x is hidden)
_USER_AT_HOST = LazyPattern(r"[a-z_][a-z_-]*[0-9]*@(?:[A-Za-z][A-Za-z0-9.-]*|[0-9]{1,3}(?:\.[0-9]{1,3}){3})")


def _names_in_small_letters(text: str) -> str:
    """``text`` with each part of it that is a word then its number (:func:`_name_then_number`: ``Lyon2024``, between
    the signs :data:`_PART_SEPARATOR` splits at) in small letters, as a name is written, which no password's word
    beside it is read as."""
    pieces = compile_cached(f"({_PART_SEPARATOR.pattern})").split(text)
    return "".join(piece.lower() if _name_then_number(piece) else piece for piece in pieces)


# A domain's label as DNS names are written, in small letters (velo75paris, welcome2024, asso-lyon)
_SMALL_LABEL = LazyPattern(r"[a-z0-9-]+")


def _public_word_hidden(word: str) -> bool:
    """Whether ``word``, a word of a public name refused (:func:`public_name_hidden`), is shaped as a password: the
    shapes :func:`password_part` reads, a common password (:func:`common_password`: ``Welcome2024``, ``P@ssw0rd``,
    read whole in a label, not cut at its ``@``), save a name's word as a free-text field reads one (capitals inside
    then their number, two words joined by 2 or 4, a product's release: ``iPhone12``, ``Tech4Good``, ``PrestaShop8``,
    :func:`_name_s_word`)."""
    if _password_alone(word):
        return True
    labels = _LABEL_SEPARATOR.compiled().split(word)
    small = word.islower() and _NAME_ENDING.fullmatch(word) is not None
    if any(common_password(label) and not (small and _SMALL_LABEL.fullmatch(label)) for label in labels):
        return True  # Welcome2024, P@ssw0rd.fr, m0tdep@sse.fr (not welcome2024.fr, in small letters)
    # a name written as names are, in small letters (velo75paris.fr), is shown, as before
    return not small and _part_hidden(word)


def _part_hidden(word: str) -> bool:
    """Whether ``word``, a word of a public name refused, not one written as names are, holds a part shaped as a
    password (:func:`_public_word_hidden`)."""
    if _passphrase(word) or any(_passphrase(piece) for piece in _PIECE_BEFORE_PASSPHRASE.compiled().split(word)):
        return True
    shaped = _PART_AS_PASSWORD.compiled()
    for part in _PART_SEPARATOR.compiled().split(word):
        if _BASED_NUMBER_PART.fullmatch(part):
            if _MIXED_CASE_HEX.match(part):
                return True
        elif (
            (shaped.fullmatch(part) and not _name_then_number(part) and not _name_s_word(part))
            or _capitals_around_number(part)
            or _small_words_around(part)
        ):
            return True
    return False


# What a public name's word is split at to read its labels whole (a domain's, a path's), a common password's @ and
# $ kept in its label (P@ssw0rd.fr)
_LABEL_SEPARATOR = LazyPattern(r"[\s.:/]+")


def _name_s_word(part: str) -> bool:
    """Whether ``part``, mixing capitals, small letters and digits, is a name's word as a free-text field reads one
    (pic.registry): capitals inside then their number (:func:`named_with_a_number`: ``iPhone12``,
    ``EcoLogis2024``), two words joined by 2 or 4 (:func:`joined_by_to_or_for`: ``Tech4Good``), a product's release
    (:func:`product_release`: ``PrestaShop8``, ``phpMyAdmin5``, ``ProxmoxVE8``)."""
    return named_with_a_number(part) or joined_by_to_or_for(part) or product_release(part)


def passphrase_or_capitals(word: str) -> str | None:
    """Whether ``word``, a word of a person's name, is shaped as a passphrase (:func:`_passphrase`:
    ``Soleil-Azur-75``: ``"passphrase"``) or as a password typed with Caps Lock on (:func:`_capitals_around_number`:
    ``LILAS2024X``: ``"capitals"``), two shapes no person's name has (pic.registry reads the others, a name's own
    rules); with more joined to it, the passphrase after a scheme, a host or an address's ``@``
    (``https://Soleil-Azur-75``), the capitals between any separators (``a-LILAS2024X``). None for another word."""
    if _passphrase(word) or any(_passphrase(piece) for piece in _PIECE_BEFORE_PASSPHRASE.compiled().split(word)):
        return "passphrase"
    if any(_capitals_around_number(part) for part in _PART_SEPARATOR.compiled().split(word)):
        return "capitals"
    return None


def _capitals_around_number(part: str) -> bool:
    """Whether ``part`` is capitals and digits written as a password with Caps Lock on (:data:`_CAPITALS_AROUND_NUMBER`:
    ``LILAS2024X``, ``AB12CD34``), not a key's fingerprint (:data:`_LONG_HEXADECIMAL`)."""
    return _CAPITALS_AROUND_NUMBER.fullmatch(part) is not None and _LONG_HEXADECIMAL.fullmatch(part) is None


def _may_hold_part(text: str) -> bool:
    """Whether ``text`` may hold a part :func:`password_part` reads, told without a pattern (a member's usual values,
    ``256M``, ``8.2``, ``Europe/Paris``, shown in its warnings, compile none): each shape holds a letter and a digit,
    and 7 characters or more (``velo7paris``'s words around a number) but a number in hexadecimal (``0xaB``)."""
    if not any(ch.isdigit() for ch in text) or not any(ch.isalpha() for ch in text):
        return False
    return len(text) >= 7 or "0x" in text or "0X" in text


def _passphrase(word: str) -> bool:
    """Whether ``word``, a word of a value refused (its characters printing as nothing dropped), is parts joined by
    - . _ or + of which two or more are capitalised words and one a number of two digits or more, as a passphrase
    is made (Soleil-Azur-75, Lilas.Azur.75), each part letters or digits alone; a name's (Web-Server-1, Amis-du-Rhone,
    chorale-saint-jean-2024) and a time zone's (Europe/Paris, Etc/GMT-14) are not so made. The signs at its ends are
    none of its parts (a name's final dot, an option's dash: ``Soleil-Azur-75.``, ``--Soleil-Azur-75``)."""
    parts = _PASSPHRASE_JOIN.compiled().split(_INVISIBLE.sub("", word).strip("-._+"))
    if len(parts) < 3 or not all(part.isascii() and part.isalnum() for part in parts):
        return False
    words = sum(1 for part in parts if _CAPITALISED_PART.fullmatch(part))
    return words >= 2 and any(_NUMBER_OF_TWO.fullmatch(part) for part in parts)


def _words_and_number(name: str) -> bool:
    """Whether ``name``, a user's or a machine's name in a key's comment, is parts of which two or more are words
    (three letters or more) and one a number alone: Soleil-Azur-75, Lilas.Azur.75, a password's shape, where a
    machine's name holds one word and its number (laptop-2, web01)."""
    parts = _MACHINE_PART.compiled().findall(name)
    words = sum(1 for part in parts if _WORD_PART.fullmatch(part))
    return words >= 2 and any(_NUMBER_PART.fullmatch(part) for part in parts)


def password_beside(value: object, *, key: bool = False) -> bool:
    """Whether ``value``, a value a field refused, holds a word that reads as a password (:func:`labelled_password`)
    beside the rest: a text of more than one word (split at blanks and at the signs that stand between a value and
    what is pasted beside it, :data:`BESIDE`: ``8.2 Lilas2024x!``, ``03:15 Lilas2024x!``, ``admin@velo-asso.fr /
    Lilas2024x``, the part before an address's @ holding a sign most do not, ``Lilas2024x!@example.org``), or any
    text of a list or a mapping, its keys too (``[a, Lilas2024x!]``, ``{domain.fr: S3cretPw9}``). A text of one word
    is a password pasted at the wrong line when shaped as one (:func:`_password_alone`: ``Lilas2024x!``), else a value
    mistyped (``php8.4``), shown unless it reads as a secret by itself (:func:`reads_as_secret`). The key
    material of SSH keys and known_hosts lines (:data:`_KEY_MATERIAL`) is no word read: a key's line refused is shown
    as before; nor is a key's fingerprint written in groups (:data:`_FINGERPRINT_GROUPS`: ``0x1505 8500 A023
    5D97 ...``), public; nor is a word that names a thing (:data:`_NAME_WORD`: web1.example.org, socks5:). ``key``:
    ``value`` is a mapping's key, read at its blanks alone (:data:`_KEY_BESIDE`). A text in full-width forms is
    read in its compatibility form (NFKC) too: sftp:restic@０ｘＣａｆｅ１２３４:/srv/restic."""
    # typed in full-width forms (a Japanese or Chinese keyboard's): read as in ASCII too, as a message may say it
    ascii_form = unicodedata.normalize("NFKC", value) if isinstance(value, str) and not value.isascii() else None
    if ascii_form is not None and ascii_form != value and password_beside(ascii_form, key=key):
        return True
    if isinstance(value, str):
        words = _words_beside(value, _KEY_BESIDE if key else BESIDE)
        if not key and "AAAA" in value and (names := _key_line_names(value)):  # an SSH key's line
            words = [word for word in words if word not in names]
        if len(words) < 2:
            return len(words) == 1 and (_password_alone(words[0]) or _YEAR_NAME.fullmatch(words[0]) is not None)
    else:
        words = []
        budget = BESIDE_READ
        for text in texts_of(value):
            if budget <= 0:
                break
            words += _words_beside(text)
            budget -= len(text)
    named = _NAME_WORD.compiled()
    return any(
        named.fullmatch(word) is None and _ipv4_read(word) is None and labelled_password(word)
        for word in dict.fromkeys(words)
    )


# An IPv4 address in a form the C library's inet_aton reads (man inet_aton(3)): one to four numbers, each in
# decimal, octal or hexadecimal, the last filling the bytes left (0x0a.0.0.11, 0xa00000b, 10.11)
_INET_ATON = LazyPattern(r"(?:0[xX][0-9A-Fa-f]+|[0-9]+)(?:\.(?:0[xX][0-9A-Fa-f]+|[0-9]+)){0,3}")
# A number in hexadecimal whose letters mix capitals and small ones (0xDeadBeef, 0xCafe1234): a password's shape,
# never an address's as a program or a person writes one (0xDEADBEEF, 0x0a.0.0.11)
_MIXED_CASE_HEX = LazyPattern(r"0[xX][0-9A-Fa-f]*(?:[A-F][0-9A-Fa-f]*[a-f]|[a-f][0-9A-Fa-f]*[A-F])")


def mixed_case_hex(text: str) -> bool:
    """Whether ``text`` holds a number in hexadecimal whose letters mix capitals and small ones (0xDeadBeef,
    :data:`_MIXED_CASE_HEX`): a password's shape, never read as an address written in a form inet_aton reads."""
    return _MIXED_CASE_HEX.search(text) is not None


def _ipv4_read(word: str) -> str | None:
    """The IPv4 address, dotted, that ``word`` writes in a form inet_aton reads (:data:`_INET_ATON`,
    :func:`socket.inet_aton`): a host's address (sftp:restic@0x0a.0.0.11:/srv/restic), no password, though its
    letters and digits read as one; None for another word, a longer run of hexadecimal (a key's, of more than 32
    bits) and one mixing capitals and small letters (0xDeadBeef, :data:`_MIXED_CASE_HEX`) too."""
    if _INET_ATON.fullmatch(word) is None or _MIXED_CASE_HEX.search(word):
        return None
    import socket  # a refused value's path: not imported for every check

    try:
        return socket.inet_ntoa(socket.inet_aton(word))
    except OSError:
        return None


# A word shaped as a password, not as a value mistyped nor a name (php8.4, PHP8.4, mariadb-10.11, 512MB,
# backupS3SecretAccessKey): letters, a digit and a sign no version, size, identifier nor path holds
_STRONG_WORD = LazyPattern(r"(?=[^A-Za-z]*[A-Za-z])(?=[^0-9]*[0-9])(?=[^!#$%&*=?^~|§£€<>]*[!#$%&*=?^~|§£€<>])\S+")
# A name: a domain's or a file's (a dot then letters at its end), an address (an @)
_NAMED_WORD = LazyPattern(r".*\.[A-Za-z]{2,}|.*@.*")


def password_alone(word: str) -> bool:
    """:func:`_password_alone`, for a note of one word (pic.registry)."""
    return _password_alone(word)


def _password_alone(word: str) -> bool:
    """Whether ``word``, the whole of a value a field refused, is a password pasted at the wrong line
    (``site.php: "Lilas2024x!"``, ``databases: [main, Lilas2024x!]``): one :func:`labelled_password` reads so, shaped
    as a password (:data:`_STRONG_WORD`), not a name (:data:`_NAMED_WORD`: ``Asso-Case2024.org``); a value mistyped
    (``php8.4``, ``PHP8.4``, ``512MB``) is shown, its hint useful."""
    return _STRONG_WORD.fullmatch(word) is not None and _NAMED_WORD.fullmatch(word) is None and labelled_password(word)


def redacted(message: str, value: object, own: Iterable[str] = ()) -> str:
    """``message`` without what it would show of ``value``, a value that reads as a secret and is not shown: a hint
    may quote it, lowercased or mended (``write it in lowercase ('...')``, ``did you mean ...?``), and a PHP
    setting's name is said in words.

    ``own``: texts of the message that come from no value (what the field allows, its examples: ``such as utf-8,
    iso-8859-1, iso-8859-15 or windows-1252``), kept whole where they stand, though a word of the value be among
    them. Elsewhere:

    - a quoted part (``'...'``, ``"..."``, as ``repr`` and JSON write them) holding a piece of the value (a word of 4
      characters or more, letters alone included, or a run of it between blanks), in any letter case or in its
      compatibility form (NFKC: ``ｍｄｐ`` is ``mdp``), is written ``'...'`` whole: a hint quoting the value shows
      none of it, a password of letters alone (``mdp:Velosolex.org`` lowercased) included, and so is one holding a
      part of it between its separators (``Soleil-Azur-75`` offered ``'soleil_azur_75'``);
    - every word of the value that could be a secret or part of one (4 characters or more holding a digit or a
      sign; a message's own words are letters alone) is written ``...``, in any letter case, and so is a word between
      blanks shaped as a password whole (:func:`password_part`: ``Soleil.Azur.75``, whose parts are letters alone).

    The value's words are read as written and in its compatibility form (NFKC), whose separators may be full-width
    ones (``smtp.example.org：Lilas2024x``: a message quoting its ASCII form's port)."""
    texts = texts_of(value)
    # and in its compatibility form, split at its separators so written (smtp.example.org：Lilas2024x, U+FF1A)
    texts += [folded for t in texts if not t.isascii() and (folded := unicodedata.normalize("NFKC", t)) != t]
    words = {w for t in texts for w in _WORDS.findall(t) if len(w) >= 4 and not w.isalpha()}
    # a word between blanks shaped as a password whole, whose parts between dots are letters alone or short
    # (Soleil.Azur.75: Soleil, Azur, 75), each no word read above
    words |= {w for t in texts for w in t.split() if "." in w and password_part(w)}
    words |= {_folded_form(w) for w in words}
    words |= _addresses_read(texts)
    pieces = {
        _folded_form(piece)
        for t in texts
        for piece in (*_WORDS.findall(t), *t.split())
        if len(piece) >= 4 or (len(piece) >= 3 and not piece.isalpha())
    }
    # its parts between the signs a hint mends (Soleil-Azur-75 offered 'soleil_azur_75'): a quote holding one is hidden
    pieces |= {
        _folded_form(part)
        for t in texts
        for part in _PART_SEPARATOR.compiled().split(unicodedata.normalize("NFKC", t))
        if len(part) >= 4
    }
    kept = _spans_of(message, own)
    out: list[str] = []
    done = 0
    for start, end in [*kept, (len(message), len(message))]:
        out += [_without(message[done:start], words, pieces), message[start:end]]
        done = end
    return "".join(out)


# What parts the words of a value where an address may stand among them (0xCafe1234 in marie@0xCafe1234)
_ADDRESS_BESIDE = LazyPattern(r"[\s:/@=,;'\"()\[\]{}<>|]+")


# A number in hexadecimal, as PHP's sizes, YAML and inet_aton read one (of 256 bits at most: a key's, no longer)
_HEXADECIMAL = LazyPattern(r"0[xX][0-9A-Fa-f]{1,64}")


def _addresses_read(texts: list[str]) -> set[str]:
    """The IPv4 addresses, dotted, that the words of ``texts`` (a hidden value's) write in another form inet_aton
    reads (:data:`_INET_ATON`, in their compatibility form: ０ｘＣａｆｅ１２３４), and the number in decimal a word in
    hexadecimal writes: a message telling the address one is (202.254.18.52 for 0xCafe1234) or the number (``0xCafe1234
    is 3405648436 bytes to PHP``) writes the value again, in decimal."""
    import socket  # a refused value's path: not imported for every check

    out: set[str] = set()
    for text in texts:
        for word in _ADDRESS_BESIDE.compiled().split(unicodedata.normalize("NFKC", text)):
            if len(word) < 4 or _INET_ATON.fullmatch(word) is None:
                continue
            if _HEXADECIMAL.fullmatch(word):  # the number it writes (0xCafe1234 is 3405648436 to PHP and YAML)
                out.add(str(int(word, 16)))
            try:
                dotted = socket.inet_ntoa(socket.inet_aton(word))
            except OSError:
                continue
            if dotted != word:
                out.add(dotted)
    return out


def _folded_form(text: str) -> str:
    """``text`` as :func:`redacted` compares it: in its compatibility form (NFKC), case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def _spans_of(message: str, texts: Iterable[str]) -> list[tuple[int, int]]:
    """Where each of ``texts`` stands in ``message`` (every time), the longest first where two overlap, in order."""
    taken: list[tuple[int, int]] = []
    for text in sorted({t for t in texts if t}, key=len, reverse=True):
        at = message.find(text)
        while at >= 0:
            end = at + len(text)
            if not any(start < end and at < stop for start, stop in taken):
                taken.append((at, end))
            at = message.find(text, end)
    return sorted(taken)


def _without(text: str, words: set[str], pieces: set[str]) -> str:
    """``text``, a part of a message that is not its own (:func:`redacted`), without its quotes of the value's
    ``pieces`` and the value's ``words``."""

    def quote(m: re.Match[str]) -> str:
        folded = _folded_form(m.group())
        return _HIDDEN_QUOTE if any(piece in folded for piece in pieces) else m.group()

    text = _QUOTED.sub(quote, text)
    if _HIDDEN_QUOTE in text:  # a hint offering the value mended offers no '...' to write
        text = _HIDDEN_OFFER.compiled().sub(_offer_unquoted, text).replace(_HIDDEN_QUOTE, "'...'")
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(re.escape(word), "...", text, flags=re.IGNORECASE)
    if not text.isascii():  # a word written in another form (full-width letters) than the value's
        folded = unicodedata.normalize("NFKC", text)
        if folded != text and any(word in folded.casefold() for word in words):
            return _without(folded, words, pieces)
    return text


# A quote :func:`_without` hides, until the hints offering it are told otherwise
_HIDDEN_QUOTE = "\x00"
# A hint offering a hidden quote as the value to write: "write '...'", "did you mean '...'?", "... ('...')"
_HIDDEN_OFFER = LazyPattern(r"(?P<write>\bwrite \x00)|;? did you mean \x00\?| \(\x00\)")


def _offer_unquoted(m: re.Match[str]) -> str:
    """The hint ``m`` (:data:`_HIDDEN_OFFER`) without the quote it offers, hidden: its words alone, what to write
    not shown either (a quote of three dots copied would be refused in turn)."""
    if m["write"]:
        return "write the value so mended (not shown either)"
    return ""


_WORDS = re.compile(r"[^\s:/@=,;'\"()\[\]{}<>|.]+")
# A quoted part of a message, as repr ('...', or "..." around a text holding a quote) and JSON ("...", its quotes
# escaped \") write it: its opening quote after no letter or digit, its closing one before none (an apostrophe in
# a word, "the member's", opens none).
_QUOTED = re.compile(r"""(?<!\w)(?:'[^'\n]*'|"(?:[^"\\\n]|\\.)*")(?!\w)""")
