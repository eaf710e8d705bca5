"""Each policy of the pack, called directly: it reports a violating resource and passes a good one."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel

from pic import eol, secrettext
from policy import pack, rules
from tests.policy_support import resource_args, stack_args, validate

CONTAINER = "docker:index/container:Container"
ON = {"on": "2026-11-28"}


def site(
    member: str = "amis", php: str = "8.3", eol: str = "2027-12-31", until: str = "", **more: str
) -> dict[str, Any]:
    labels = {
        "pic.member": member,
        "pic.role": "site",
        "pic.php": php,
        "pic.php.eol": eol,
        "pic.php.exception_until": until,
        "pic.https": more.get("https", "true"),
        "pic.domains": more.get("domains", f"{member}.org,www.{member}.org"),
    }
    return {
        "name": f"{member}-site",
        "image": "php:8.3-apache",
        "labels": [{"label": k, "value": v} for k, v in labels.items()],
    }


# --- runtime-end-of-life ---------------------------------------------------------------------


def test_eol_violation_without_exception() -> None:
    found = validate(pack.runtime_end_of_life, resource_args(CONTAINER, site(php="7.4", eol="2022-11-28"), config=ON))
    assert len(found) == 1, found
    assert "amis" in found[0][0] and "7.4" in found[0][0] and "2022-11-28" in found[0][0]


def test_eol_violation_with_expired_exception() -> None:
    props = site(php="7.4", eol="2022-11-28", until="2026-11-27")
    found = validate(pack.runtime_end_of_life, resource_args(CONTAINER, props, config=ON))
    assert len(found) == 1 and "2026-11-27" in found[0][0], found


@pytest.mark.parametrize(
    "props",
    [
        site(php="8.3", eol="2027-12-31"),  # supported
        site(php="7.4", eol="2022-11-28", until="2026-11-28"),  # exception valid through today
        site(php="none", eol=""),  # static site
    ],
    ids=["supported", "valid-exception", "static"],
)
def test_eol_passes(props: dict[str, Any]) -> None:
    assert validate(pack.runtime_end_of_life, resource_args(CONTAINER, props, config=ON)) == []


def test_eol_ignores_containers_that_are_not_sites() -> None:
    proxy = {"name": "pic-proxy", "labels": [{"label": "pic.role", "value": "proxy"}]}
    assert validate(pack.runtime_end_of_life, resource_args(CONTAINER, proxy, config=ON)) == []


def test_eol_uses_today_without_config() -> None:
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert validate(pack.runtime_end_of_life, resource_args(CONTAINER, site(php="7.4", eol=past)))
    assert not validate(
        pack.runtime_end_of_life, resource_args(CONTAINER, site(php="8.4", eol=dt.date.today().isoformat()))
    )


def test_eol_names_an_exception_date_it_cannot_read() -> None:
    props = site(php="7.4", eol="2022-11-28", until="31/12/2027")
    found = validate(pack.runtime_end_of_life, resource_args(CONTAINER, props, config=ON))
    assert len(found) == 1 and "pic.php.exception_until '31/12/2027' is not a date" in found[0][0], found
    props = site(php="7.4", eol="28.11.2022")
    found = validate(pack.runtime_end_of_life, resource_args(CONTAINER, props, config=ON))
    assert len(found) == 1 and "pic.php.eol '28.11.2022'" in found[0][0], found


def test_eol_reads_a_date_among_spaces() -> None:
    props = site(php="7.4", eol=" 2022-11-28", until="2026-12-31 ")
    assert validate(pack.runtime_end_of_life, resource_args(CONTAINER, props, config=ON)) == []


def test_eol_refuses_site_facts_without_a_runtime() -> None:
    """Facts that do not say what the site runs: nothing would tell a PHP 7.4 site from a static one."""
    facts_json = json.dumps({"pic.role": "site", "pic.member": "amis", "pic.php.eol": "2022-11-28"})
    found = validate(
        pack.runtime_end_of_life, resource_args("command:remote:Command", {"stdin": facts_json}, config=ON)
    )
    assert len(found) == 1 and "no pic.php" in found[0][0], found


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2027-02-30", "is no day of the calendar"),
        # forms date.fromisoformat reads (Python 3.11) but the config does not promise
        ("20270331", "is not a date written YYYY-MM-DD"),
        ("2027-W13-3", "is not a date written YYYY-MM-DD"),
        ("２０２７-03-31", "is not a date written YYYY-MM-DD"),  # fullwidth digits
    ],
)
def test_eol_config_day_that_is_not_one_is_named(day: str, why: str) -> None:
    with pytest.raises(ValueError, match=rf"runtime-end-of-life.on: '{day}' {why}"):
        validate(pack.runtime_end_of_life, resource_args(CONTAINER, site(), config={"on": day}))


@pytest.mark.parametrize("until", ["20271231", "2027-W52-5", "2027-12-31T00:00", "２０２７-12-31"])
def test_eol_reads_only_dates_written_as_pic_writes_them(until: str) -> None:
    """An exception date in another form is no date: the site past its end of life is refused, naming it."""
    props = site(php="7.4", eol="2022-11-28", until=until)
    found = validate(pack.runtime_end_of_life, resource_args(CONTAINER, props, config=ON))
    assert len(found) == 1 and f"pic.php.exception_until {until!r} is not a date" in found[0][0], found
    found = validate(pack.runtime_end_of_life, resource_args(CONTAINER, site(php="7.4", eol="20221128"), config=ON))
    assert len(found) == 1 and "pic.php.eol '20221128' is missing or not a date" in found[0][0], found


@pytest.mark.parametrize(
    ("until", "refused"),
    [("2027-11-29", False), ("2027-11-30", True), ("2099-12-31", True)],  # ON + 366 days, + 367, years ahead
)
def test_eol_exception_of_more_than_12_months_is_refused(until: str, refused: bool) -> None:
    """As pic check (pic.eol.MAX_EXCEPTION_DAYS): a site past its end of life may run on an exception of at most
    12 months; a longer one (a registry whose check was bypassed) is no exception."""
    found = validate(
        pack.runtime_end_of_life, resource_args(CONTAINER, site(php="7.4", eol="2022-11-28", until=until), config=ON)
    )
    if refused:
        assert len(found) == 1 and f"exception until {until}" in found[0][0] and "at most 12 months" in found[0][0]
    else:
        assert found == []


def test_the_policy_cap_is_pic_checks() -> None:
    assert rules.MAX_EXCEPTION_DAYS == eol.MAX_EXCEPTION_DAYS


# --- database-protected ----------------------------------------------------------------------


def test_unprotected_database_is_refused() -> None:
    args = resource_args("mysql:index/database:Database", {"name": "amis_main"}, protect=False)
    found = validate(pack.database_protected, args)
    assert len(found) == 1 and "amis_main" in found[0][0], found


@pytest.mark.parametrize(
    "delete",
    [
        "mariadb -e 'DROP DATABASE amis_main'",
        "sudo -n sh -eu -c 'mariadb -e '\"'\"'drop schema if exists `amis_main`'\"'\"''",
        "mariadb-admin --force drop amis_main",
    ],
)
def test_a_command_dropping_a_database_when_it_goes_away_is_refused(delete: str) -> None:
    args = resource_args("command:remote:Command", {"create": "true", "delete": delete})
    found = validate(pack.database_protected, args)
    assert len(found) == 1 and "input delete drops a database" in found[0][0], found


def test_a_command_dropping_a_database_as_it_runs_passes() -> None:
    """The restore script drops its scratch databases as it runs: not on the command's deletion."""
    props = {"create": "sh", "stdin": "mariadb -e 'DROP DATABASE IF EXISTS scratch'", "delete": "rm -f /x"}
    assert validate(pack.database_protected, resource_args("command:remote:Command", props)) == []


def test_protected_database_passes() -> None:
    args = resource_args("mysql:index/database:Database", {"name": "amis_main"}, protect=True)
    assert validate(pack.database_protected, args) == []


# --- mysql-user-not-from-anywhere ------------------------------------------------------------


FROM_ANYWHERE = [
    "%",
    "%.%",
    " % ",
    "",  # MariaDB stores an empty host part as '%'
    " ",
    "%%",
    "_%",
    "%_",
    "1%",  # every address that begins with 1
    "%1",
    "1__.0.0.1",
    "%:%",  # every IPv6 client
    "::%",
    "172.%",  # 172.0.0.0/8 is mostly public
    "10.0.0.1%",
    "%.example.org",
    "web_1.example.org",  # '_' is a wildcard
    "0.0.0.0/0.0.0.0",
    "0.0.0.0/0",
    "0.0.0.0/128.0.0.0",
    "203.0.113.0/255.255.255.0",
    "10.0.0.0/255.0.255.0",  # a mask with a gap
    "::/0",
    "100.%",  # 100.0.0.0/8: 100.64.0.0/10 is the shared space, the rest public
    "100.128.0.0/255.255.0.0",
    "100.0.0.0/255.128.0.0",
]


@pytest.mark.parametrize("host", FROM_ANYWHERE)
def test_mysql_user_from_anywhere_is_refused(host: str) -> None:
    args = resource_args("mysql:index/user:User", {"user": "amis_main", "host": host})
    found = validate(pack.mysql_user_host, args)
    assert len(found) == 1 and "amis_main" in found[0][0] and repr(host) in found[0][0], found


def test_mysql_grant_from_anywhere_is_refused() -> None:
    args = resource_args("mysql:index/grant:Grant", {"user": "amis_main", "host": "%", "database": "amis_main"})
    assert validate(pack.mysql_user_host, args)
    args = resource_args("mysql:index/grant:Grant", {"user": "amis_main", "host": "1%", "database": "amis_main"})
    assert validate(pack.mysql_user_host, args)


@pytest.mark.parametrize(
    "host",
    [
        "10.0.0.11",
        "web1.example.org",
        "localhost",
        "10.0.0.%",
        "192.168.%",
        "172.29.57.0/255.255.255.0",  # the dev stack's clients
        "10.0.0.0/8",
        "fd00::11",
        "web\\_1.example.org",
        "100.64.0.%",  # RFC 6598's shared space: a WireGuard or Tailscale mesh between the hosts
        "100.64.0.0/255.192.0.0",
        "100.100.7.0/24",
    ],
)
def test_mysql_user_from_named_host_passes(host: str) -> None:
    args = resource_args("mysql:index/user:User", {"user": "amis_main", "host": host})
    assert validate(pack.mysql_user_host, args) == []


@pytest.mark.parametrize(
    ("resource_type", "props", "account"),
    [
        ("command:remote:Command", {"stdin": "CREATE USER 'bob' IDENTIFIED BY 'x';\n"}, "'bob'@'%'"),
        ("command:remote:Command", {"stdin": "CREATE USER IF NOT EXISTS 'bob'@'' REQUIRE SSL;"}, "'bob'@''"),
        ("command:remote:Command", {"create": "mariadb -e \"GRANT SELECT ON amis.* TO bob@'1%'\""}, "'bob'@'1%'"),
        ("command:local:Command", {"stdin": "grant all on *.* to `root`@`%` with grant option;"}, "'root'@'%'"),
        (
            CONTAINER,
            {"uploads": [{"file": "/docker-entrypoint-initdb.d/u.sql", "content": "CREATE USER bob;"}]},
            "bob'@'%",
        ),
    ],
)
def test_sql_account_from_anywhere_is_refused(resource_type: str, props: dict[str, Any], account: str) -> None:
    found = validate(pack.mysql_user_host, resource_args(resource_type, props))
    assert len(found) == 1 and account in found[0][0], found


@pytest.mark.parametrize(
    "text",
    [
        "CREATE USER IF NOT EXISTS 'pic_admin'@'10.0.0.10' IDENTIFIED BY 'x' REQUIRE SSL;\n"
        "GRANT ALL PRIVILEGES ON *.* TO 'pic_admin'@'10.0.0.10' WITH GRANT OPTION;\n",
        "GRANT r TO CURRENT_USER;",
        "CREATE USER $account IDENTIFIED BY '$pw';",
        "Members may create user accounts in the panel; we grant access to members who ask.",
    ],
    ids=["addresses", "current-user", "shell-variable", "prose"],
)
def test_sql_accounts_bound_to_hosts_pass(text: str) -> None:
    assert validate(pack.mysql_user_host, resource_args("command:remote:Command", {"stdin": text})) == []


def test_the_server_matches_the_hosts_refused_as_mariadb_reads_them(tmp_path: Path) -> None:
    """The rule's premises, on the real server: an empty host is '%', '%' and '_' are wildcards
    matched against the client's address, an address/netmask a network; '\\%' is a plain '%'."""
    from tests.mariadb_server import cleanup, start_mariadb

    server = start_mariadb(tmp_path, secure_transport=False, tls=False)
    try:
        lets_in = ["", "1%", "%1", "_%", "1__.0.0.1", "%.%.%.%", "127.0.0.0/255.0.0.0"]
        for i, host in enumerate([*lets_in, "\\%"]):
            server.root_sql(f"CREATE USER 'u{i}'@'{host.replace(chr(92), chr(92) * 2)}' IDENTIFIED BY 'pw{i}';")
        assert server.root_sql("SELECT host FROM mysql.user WHERE user = 'u0'").strip() == "%"
        for i, host in enumerate([*lets_in, "\\%"]):
            done = subprocess.run(
                ["mariadb", "--no-defaults", "-h127.0.0.1", f"-P{server.port}", f"-uu{i}", f"-ppw{i}", "-e", "DO 1"],
                capture_output=True,
                text=True,
                check=False,
            )
            assert (done.returncode == 0) == (host in lets_in), (host, done.stderr)
    finally:
        cleanup(server)
    for host in lets_in[:-1]:
        assert rules.host_from_anywhere(host) is not None, host
    assert rules.host_from_anywhere("\\%") is None


def test_every_network_a_private_address_is_taken_in_is_one_the_policy_lets_in() -> None:
    """The settings take a host's private_address in the private networks (pic:hosts.*.private_address), and the
    program grants the web hosts' accounts from there: the policy pack lets in an account's host part over each
    of those networks, and over no network larger, from one list both read."""
    import ipaddress

    from pic.networks import PRIVATE_NETWORKS

    assert PRIVATE_NETWORKS
    for block in PRIVATE_NETWORKS:
        network = ipaddress.ip_network(str(block))
        assert rules.host_from_anywhere(f"{network.network_address}/{network.prefixlen}") is None, network
        wider = network.supernet()
        assert rules.host_from_anywhere(f"{wider.network_address}/{wider.prefixlen}") is not None, wider


# --- https-domains-certified -----------------------------------------------------------------

CADDY_GOOD = """{
\temail admin@example.org
}

# member amis: running
amis.org, www.amis.org {
\treverse_proxy pic-amis:8080
}

# member plain: running
http://plain.org {
\treverse_proxy pic-plain:8080
}
"""


def _stack(caddyfile: str, *sites: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = [
        (
            "command:remote:Command",
            "urn:pulumi:prod::pic::command:remote:Command::web1-proxy-config",
            {"stdin": caddyfile},
        )
    ]
    for i, props in enumerate(sites):
        out.append((CONTAINER, f"urn:pulumi:prod::pic::{CONTAINER}::site{i}", props))
    return out


def test_https_site_covered_by_caddy_block_passes() -> None:
    resources = _stack(CADDY_GOOD, site("amis"), site("plain", https="false", domains="plain.org"))
    assert validate(pack.https_domains_certified, stack_args(resources)) == []


def test_https_site_missing_a_domain_is_refused() -> None:
    resources = _stack(CADDY_GOOD, site("amis", domains="amis.org,www.amis.org,blog.amis.org"))
    found = validate(pack.https_domains_certified, stack_args(resources))
    assert len(found) == 1, found
    message, urn = found[0]
    assert "blog.amis.org" in message and urn is not None and urn.endswith("::site0")


def test_https_site_served_over_http_only_is_refused() -> None:
    caddy = CADDY_GOOD.replace("amis.org, www.amis.org {", "http://amis.org, http://www.amis.org {")
    found = validate(pack.https_domains_certified, stack_args(_stack(caddy, site("amis"))))
    assert len(found) == 1 and "amis.org" in found[0][0], found


def test_https_site_with_auto_https_off_is_refused() -> None:
    caddy = CADDY_GOOD.replace("email admin@example.org", "email admin@example.org\n\tauto_https off")
    assert validate(pack.https_domains_certified, stack_args(_stack(caddy, site("amis"))))


def test_https_site_covered_by_a_tls_certificate_passes() -> None:
    cert = ("tls:index/selfSignedCert:SelfSignedCert", "urn:c", {"dnsNames": ["amis.org", "*.amis.org"]})
    resources = [cert, (CONTAINER, "urn:s", site("amis"))]
    assert validate(pack.https_domains_certified, stack_args(resources)) == []
    other = ("tls:index/selfSignedCert:SelfSignedCert", "urn:c", {"dnsNames": ["amis.org"]})
    assert validate(pack.https_domains_certified, stack_args([other, (CONTAINER, "urn:s", site("amis"))]))


def test_domains_split_over_two_certificates_are_refused() -> None:
    """'its certificate': one certificate must cover all the site's domains."""
    caddy = CADDY_GOOD.replace("amis.org, www.amis.org {", "amis.org {\n}\nwww.amis.org {")
    assert validate(pack.https_domains_certified, stack_args(_stack(caddy, site("amis"))))


CERTBOT = """#!/bin/sh
set -eu
certbot certonly --non-interactive --agree-tos --email admin@example.org \\
	--webroot --webroot-path /srv/pic/acme \\
	--cert-name amis \\
	--domain amis.org \\
	--domain www.amis.org \\
	--keep-until-expiring --deploy-hook "$hook"
"""
CADDY_FILES = """amis.org, www.amis.org {
\ttls /etc/pic/certs/amis/fullchain.pem /etc/pic/certs/amis/privkey.pem {
\t\tissuer internal
\t}
\treverse_proxy pic-site-amis:8080
}
"""


def _member_cert(stdin: str) -> tuple[str, str, dict[str, Any]]:
    return ("command:remote:Command", "urn:pulumi:prod::pic::command:remote:Command::amis-tls-cert", {"stdin": stdin})


def test_https_site_with_its_certbot_certificate_passes() -> None:
    resources = [*_stack(CADDY_FILES, site("amis")), _member_cert(CERTBOT)]
    assert validate(pack.https_domains_certified, stack_args(resources)) == []


def test_https_site_whose_certbot_certificate_misses_a_domain_is_refused() -> None:
    resources = [
        *_stack(CADDY_FILES, site("amis", domains="amis.org,www.amis.org,blog.amis.org")),
        _member_cert(CERTBOT),
    ]
    found = validate(pack.https_domains_certified, stack_args(resources))
    assert len(found) == 1, found
    assert "amis-tls-cert does not cover blog.amis.org" in found[0][0]


def test_a_block_loading_certificate_files_is_no_certificate_by_itself() -> None:
    """With `tls <cert> <key>`, Caddy obtains nothing: the files' certificate must be declared."""
    assert rules.caddy_certified_names(CADDY_FILES) == []
    assert validate(pack.https_domains_certified, stack_args(_stack(CADDY_FILES, site("amis"))))


def test_internal_ca_certificate_is_read_from_its_request() -> None:
    names = ["amis.org"]
    csr: tuple[str, str, dict[str, Any]] = (
        "tls:index/certRequest:CertRequest",
        "urn:x::amis-tls-csr",
        {"dnsNames": names},
    )
    cert: tuple[str, str, dict[str, Any]] = (
        "tls:index/locallySignedCert:LocallySignedCert",
        "urn:x::amis-tls-cert",
        {},
    )
    container = (CONTAINER, "urn:x::amis-container", site("amis"))
    found = validate(pack.https_domains_certified, stack_args([csr, cert, container]))
    assert len(found) == 1 and "www.amis.org" in found[0][0], found
    names.append("www.amis.org")
    assert validate(pack.https_domains_certified, stack_args([csr, cert, container])) == []


def test_a_common_name_covers_nothing() -> None:
    """Browsers check the subject alternative names (dnsNames) only, never the subject's commonName."""
    cert = {"dnsNames": ["www.amis.org"], "subject": {"commonName": "amis.org"}}
    resources = [("tls:index/selfSignedCert:SelfSignedCert", "urn:c", cert), (CONTAINER, "urn:s", site("amis"))]
    found = validate(pack.https_domains_certified, stack_args(resources))
    assert len(found) == 1 and "amis.org" in found[0][0], found


@pytest.mark.parametrize(
    "caddy",
    [
        CADDY_GOOD.replace("amis.org, www.amis.org {", "amis.org:80, www.amis.org:80 {"),
        "{\n\thttp_port 8080\n}\n"
        + CADDY_GOOD.replace("amis.org, www.amis.org {", "amis.org:8080, www.amis.org:8080 {"),
        CADDY_GOOD.replace("amis.org, www.amis.org {", "amis.org, *.amis.org {"),
    ],
    ids=["http-port", "own-http-port", "wildcard-without-dns-challenge"],
)
def test_a_caddy_block_caddy_obtains_no_certificate_for_is_refused(caddy: str) -> None:
    found = validate(pack.https_domains_certified, stack_args(_stack(caddy, site("amis"))))
    assert len(found) == 1 and "www.amis.org" in found[0][0], found


def test_a_caddy_wildcard_with_the_dns_challenge_passes() -> None:
    caddy = CADDY_GOOD.replace(
        "amis.org, www.amis.org {", "amis.org, *.amis.org {\n\ttls {\n\t\tdns ovh {env.OVH_KEY}\n\t}"
    )
    assert validate(pack.https_domains_certified, stack_args(_stack(caddy, site("amis")))) == []


def test_a_certbot_dry_run_is_no_certificate() -> None:
    dry = CERTBOT.replace("--keep-until-expiring", "--dry-run --keep-until-expiring")
    resources = [*_stack(CADDY_FILES, site("amis")), _member_cert(dry)]
    found = validate(pack.https_domains_certified, stack_args(resources))
    assert len(found) == 1 and "amis-tls-cert does not cover amis.org" in found[0][0], found


@pytest.mark.parametrize(
    "flag", ["--staging", "--test-cert", "--server https://acme-staging-v02.api.letsencrypt.org/directory"]
)
def test_a_certificate_of_the_staging_ca_covers_its_names(flag: str) -> None:
    """pic:tls.ca staging asks Let's Encrypt's staging CA, which browsers trust no more than the internal CA's:
    the stack's choice (a rehearsal stack), whose certificates cover their names."""
    staging = CERTBOT.replace("--keep-until-expiring", f"{flag} --keep-until-expiring")
    resources = [*_stack(CADDY_FILES, site("amis")), _member_cert(staging)]
    assert validate(pack.https_domains_certified, stack_args(resources)) == []


def test_the_pack_passes_on_a_staging_stacks_program(tmp_path: Path) -> None:
    """The program of a stack whose certificates come from the staging CA (pic:tls.ca staging) can be deployed."""
    from pic.plan import engine
    from tests.conftest import ROOT
    from tests.policy_support import violations_of_program
    from tests.test_program_wiring import PROD_TLS, _project

    text = (ROOT / "Pulumi.prod.yaml").read_text()
    assert PROD_TLS in text
    project = _project(tmp_path, ROOT / "members", text.replace(PROD_TLS, PROD_TLS.replace("letsencrypt", "staging")))
    run = engine.run_program(project, "prod", project / "members")
    certs = [r for r in run.records if r.name.endswith("-tls-cert") and "--staging" in str(r.inputs.get("stdin"))]
    assert certs, "no certbot lineage of the staging CA"
    assert violations_of_program(run.records) == []


def test_a_certbot_wildcard_needs_the_dns_challenge() -> None:
    """certbot asks for all its names at once: a wildcard by webroot fails, and so the whole lineage."""
    wildcard = CERTBOT.replace("--domain www.amis.org", "--domain '*.amis.org'")
    resources = [*_stack(CADDY_FILES, site("amis")), _member_cert(wildcard)]
    found = validate(pack.https_domains_certified, stack_args(resources))
    assert len(found) == 1 and "does not cover amis.org, www.amis.org" in found[0][0], found
    by_dns = wildcard.replace("--webroot --webroot-path /srv/pic/acme", "--dns-ovh --dns-ovh-credentials /etc/ovh.ini")
    resources = [*_stack(CADDY_FILES, site("amis")), _member_cert(by_dns)]
    assert validate(pack.https_domains_certified, stack_args(resources)) == []


def test_domains_compare_as_certificates_hold_them() -> None:
    """An IDN in Unicode or punycode, upper case, a trailing dot: the same name."""
    idn = CERTBOT.replace("--domain amis.org", "--domain xn--caf-dma.org").replace("www.amis.org", "WWW.Amis.org.")
    resources = [*_stack(CADDY_FILES, site("amis", domains="café.org,www.amis.org")), _member_cert(idn)]
    assert validate(pack.https_domains_certified, stack_args(resources)) == []


# --- no-plaintext-secret ---------------------------------------------------------------------

PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
B64_KEY = base64.b64encode(b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n").decode()


@pytest.mark.parametrize(
    ("resource_type", "props"),
    [
        ("command:remote:Command", {"create": "sh", "stdin": PEM, "logging": "stdoutAndStderr"}),
        ("command:local:Command", {"create": "sh", "stdin": "[client]\nuser=amis\npassword=Zt8kq2LmW9\n"}),
        ("command:remote:Command", {"create": "mysql", "stdin": "CREATE USER x IDENTIFIED BY 'Zt8kq2LmW9';"}),
        ("command:local:Command", {"create": "sh", "environment": {"DB_PASSWORD": "Zt8kq2LmW9"}}),
        ("docker:index/container:Container", {"envs": ["DATABASE_URL=mysql://amis:Zt8kq2LmW9@db/amis"]}),
        ("docker:index/container:Container", {"envs": ["DB_PASSWORD=Zt8kq2LmW9"]}),
        ("command:local:Command", {"stdin": "export SECRET_KEY='Zt8kq2LmW9xx'\n"}),
        ("docker:index/container:Container", {"uploads": [{"content": "define('DB_PASSWORD', 'Zt8kq2LmW9');"}]}),
        ("command:remote:Command", {"stdin": "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF\n"}),
        (
            "command:remote:Command",
            {"stdin": "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\n"},
        ),
        ("command:remote:Command", {"stdin": f"echo {B64_KEY} | base64 -d > /root/.ssh/id_ed25519\n"}),
        ("command:local:Command", {"stdin": '{"user": "amis", "password": "Zt8kq2LmW9"}'}),
        ("command:local:Command", {"stdin": "$db_password = 'Zt8kq2LmW9';\n"}),
        ("command:local:Command", {"stdin": "return ['user' => 'amis', 'password' => 'Zt8kq2LmW9'];\n"}),
        ("command:remote:Command", {"create": "mariadb --password=Zt8kq2LmW9 -e 'DO 1'"}),
        ("command:remote:Command", {"update": "mydumper --user amis --password Zt8kq2LmW9 -B amis"}),
        ("command:remote:Command", {"create": "mysql -uroot -pZt8kq2LmW9 -e 'DO 1'"}),
        ("command:remote:Command", {"delete": "env DB_PASSWORD=Zt8kq2LmW9 /usr/local/sbin/drop"}),
        ("command:remote:Command", {"create": "sshpass -p Zt8kq2LmW9 ssh web1"}),
        ("command:remote:Command", {"create": "curl -fsS -u amis:Zt8kq2LmW9 https://dav.example.org/"}),
        ("command:remote:Command", {"create": "echo 'amis:Zt8kq2LmW9' | chpasswd"}),
        ("command:remote:Command", {"stdin": "curl -H 'Authorization: Basic YW1pczpadDhrcTJMbVc5' https://x/"}),
        ("command:remote:Command", {"stdin": "SET PASSWORD FOR 'a'@'10.0.0.11' = PASSWORD('Zt8kq2LmW9');"}),
        ("command:remote:Command", {"stdin": "CREATE USER a@'10.0.0.11' IDENTIFIED BY \"Zt8kq2LmW9\";"}),
        ("docker:index/container:Container", {"envs": ["DB_PASS=Zt8kq2LmW9"]}),
        ("command:local:Command", {"environment": {"AWS_SECRET_ACCESS_KEY": "Zt8kq2LmW9"}}),
        ("command:local:Command", {"environment": {"SMTP_PWD": "Zt8kq2LmW9"}}),
        ("docker:index/container:Container", {"labels": [{"label": "db.password", "value": "Zt8kq2LmW9"}]}),
        ("command:local:Command", {"stdin": "[client]\npassword=Zt8kq2(LmW9\n"}),
        ("command:remote:Command", {"stdin": "set -eu\necho Zt8kq2LmW9 | mysql -u amis -p amis < /tmp/x.sql\n"}),
        ("command:remote:Command", {"create": "http -a amis:Zt8kq2LmW9 https://dav.example.org/"}),
        ("command:remote:Command", {"create": "smbclient //nas/b -U amis%Zt8kq2LmW9 -c ls"}),
        ("command:remote:Command", {"create": "zip -qrP Zt8kq2LmW9 /srv/b/www.zip ."}),
        ("command:remote:Command", {"create": "curl -fsS https://amis.org/cron/" + "Zt8kq2LmW9" * 5}),
        ("command:local:Command", {"environment": {"APP_KEY": "base64:Zt8kq2LmW9Zt8kq2LmW9Zt8kq2LmW9Zt8kq="}}),
        ("docker:index/container:Container", {"envs": ["RAILS_MASTER_KEY=Zt8kq2LmW9Zt8kq2LmW9Zt8kq2LmW9ab"]}),
        ("command:remote:Command", {"create": "redis-cli -h redis -a Zt8kq2LmW9 ping"}),
        ("command:remote:Command", {"create": "sshpass -v -p Zt8kq2LmW9 ssh web1 true"}),
        ("command:remote:Command", {"create": "redis-cli -u redis://:Zt8kq2LmW9@redis:6379 ping"}),
        ("command:remote:Command", {"stdin": "set -eu\npasswd amis <<EOF\nZt8kq2LmW9\nZt8kq2LmW9\nEOF\n"}),
        ("command:remote:Command", {"stdin": "smbpasswd -a -s amis <<-'END'\n\tZt8kq2LmW9\n\tZt8kq2LmW9\n\tEND\n"}),
        ("command:remote:Command", {"stdin": "chpasswd <<EOF\namis:Zt8kq2LmW9\nEOF\n"}),
        ("command:remote:Command", {"create": "yes Zt8kq2LmW9 | passwd amis"}),
    ],
    ids=[
        "pem",
        "mycnf",
        "sql",
        "env-name",
        "url",
        "env-list",
        "shell-export",
        "php",
        "pgp",
        "putty",
        "base64-key",
        "json",
        "php-variable",
        "php-array",
        "option=",
        "option-space",
        "mysql-p",
        "env-word",
        "sshpass",
        "curl-user",
        "chpasswd",
        "basic-auth",
        "sql-password()",
        "sql-double-quotes",
        "env-pass",
        "aws-secret-name",
        "pwd-name",
        "label-value-named",
        "parenthesis-in-a-password",
        "piped-password",
        "httpie-auth",
        "smbclient-user%password",
        "zip-cluster",
        "drupal-cron-key",
        "app-key-name",
        "rails-master-key",
        "redis-cli-a",
        "sshpass-after-an-option",
        "url-without-user",
        "passwd-here-document",
        "smbpasswd-here-document",
        "chpasswd-here-document",
        "yes-piped-to-passwd",
    ],
)
def test_plaintext_secret_is_refused(resource_type: str, props: dict[str, Any]) -> None:
    found = validate(pack.no_plaintext_secret, resource_args(resource_type, props))
    assert len(found) >= 1, found
    assert not any("Zt8kq2LmW9" in m or "MIIEvQ" in m for m, _ in found), "a violation must not print the secret"


@pytest.mark.parametrize(
    "create",
    [
        "curl -fsS 'https://asso.example.org/cron.php?pwd%3DZt8kq2LmW9'",
        "curl -fsS 'https://asso.example.org/cron.php?key%3D0123abcd4567ef890123abcd4567ef89'",
    ],
)
def test_a_percent_encoded_secret_in_a_command_is_refused(create: str) -> None:
    """The pack reads a command percent-decoded too (pic.secrettext.percent_decoded), as its server reads a URL."""
    found = validate(pack.no_plaintext_secret, resource_args("command:remote:Command", {"create": create}))
    assert len(found) == 1, found
    assert "Zt8kq2LmW9" not in found[0][0] and "0123abcd" not in found[0][0], "a violation must not print the secret"


@pytest.mark.parametrize(
    ("resource_type", "props", "declared"),
    [
        ("command:remote:Command", {"create": "sh", "stdin": PEM, "logging": "none"}, ()),
        ("command:local:Command", {"create": "sh", "stdin": "password=Zt8kq2LmW9\n"}, ("stdin",)),
        ("mysql:index/user:User", {"user": "amis", "host": "10.0.0.11", "plaintextPassword": "Zt8kq2LmW9"}, ()),
        ("command:remote:Command", {"create": "sh", "stdin": "PasswordAuthentication no\nPermitRootLogin no\n"}, ()),
        ("command:local:Command", {"create": "sh", "stdin": "password_file=/srv/members/amis/priv/db.cnf\n"}, ()),
        ("command:local:Command", {"stdin": "Password: required for the admin area\nToken: xxxxxxxx\n"}, ()),
        (
            "command:local:Command",
            {"stdin": "usage: mysql --password=YOUR_PASSWORD\n-- CREATE USER x IDENTIFIED BY 'your-password';"},
            (),
        ),
        ("command:remote:Command", {"create": 'mysqldump -p"$pw" db; mkdir -p /srv/x; docker run -p 8080:80 img'}, ()),
        (
            "command:remote:Command",
            {"create": 'restic --password-file /etc/pic/restic.pw backup; curl -u "$u:$p" x'},
            (),
        ),
        (
            "command:remote:Command",
            {"stdin": "Authorization: Bearer $TOKEN\nbypass: something123\ncompass=northward1\n"},
            (),
        ),
        ("command:local:Command", {"stdin": '{"password": "${DB_PASSWORD}"}'}, ()),
        ("docker:index/container:Container", {"envs": ["DB_PASSWORD=Zt8kq2LmW9"]}, ("envs",)),
        ("docker:index/container:Container", {"labels": [{"label": "pic.role", "value": "site-secret-free"}]}, ()),
        (
            "docker:index/container:Container",
            {
                "uploads": [
                    {"content": "<?php\nreturn [\n    'password' => getenv('DB_PASSWORD'),\n    'port' => 3306,\n];\n"}
                ]
            },
            (),
        ),
        ("command:local:Command", {"stdin": "$token = bin2hex(random_bytes(16));\n$pass = Str::random(40);\n"}, ()),
        ("command:remote:Command", {"stdin": "postconf \\\n\t'pic_site_x_pass = check_sender_access inline:{}'\n"}, ()),
        (
            "command:remote:Command",
            {
                "stdin": "wp user update alice --reset-password alice@example.org\n"
                "curl -H 'X-Cache-Key: nightly-2026-12' -H 'Idempotency-Key: 5f1b2c3d4e5f6a7b' "
                "'https://x.org:8443?to=bureau@example.org'\n"
                "echo 'OPTIMIZE TABLE wp_options' | mysql -u amis -p amis\n"
            },
            (),
        ),
        (
            "command:remote:Command",
            {
                "stdin": "curl -b 'XSRF-TOKEN=eyJpdiI6Ik5aY2xnQ2ZzQT09In0' -H 'X-CSRF-Token: Zt8kq2LmW9' x.org\n"
                "CSRF_TOKEN=Zt8kq2LmW9\n"
            },
            (),
        ),
        (
            "command:remote:Command",
            {
                "stdin": "mysql -u amis -p amis <<EOF\nSELECT\n  id\nFROM t;\nEOF\n"
                "passwd amis <<EOF\n$NEWPASS\n$NEWPASS\nEOF\ncat <<EOF > /etc/motd\nWelcome\nEOF\n"
                "getent passwd amis | cut -d: -f6\nyes | apt-get install -y zstd\n"
            },
            (),
        ),
    ],
    ids=[
        "logging-off",
        "declared-secret",
        "schema-secret",
        "sshd-config",
        "path-not-secret",
        "documentation",
        "usage-placeholders",
        "variables",
        "files-and-variables",
        "not-secret-names",
        "json-variable",
        "declared-envs",
        "harmless-label",
        "read-from-the-environment",
        "computed",
        "a-settings-list",
        "look-alikes",
        "anti-forgery-tokens",
        "here-documents",
    ],
)
def test_declared_or_harmless_values_pass(resource_type: str, props: dict[str, Any], declared: tuple[str, ...]) -> None:
    args = resource_args(resource_type, props, additional_secret_outputs=declared)
    assert validate(pack.no_plaintext_secret, args) == []


@pytest.mark.parametrize("value", ["mysecretpassword", "hunter2password", "supersecret", "changeme1"])
def test_a_password_made_of_secret_words_is_no_placeholder(value: str) -> None:
    """Only a secret's name itself (YOUR_PASSWORD, db_password) reads as a placeholder."""
    assert secrettext.secret_kind(f"password={value}") == "a password assignment"
    assert secrettext.secret_kind(f"mydumper --password {value}") == "a password option"
    assert secrettext.secret_kind("password=YOUR_PASSWORD") is None


def test_secret_kind_names_what_it_found() -> None:
    assert secrettext.secret_kind(PEM) == "a private key"
    assert secrettext.secret_kind("hello world") is None
    assert secrettext.secret_kind("Zt8kq2LmW9", "dbPassword") == "a value named dbPassword"
    assert secrettext.secret_kind("${DB_PASSWORD}", "password") is None


def test_every_policy_is_mandatory_and_named() -> None:
    names = [p.name for p in pack.POLICIES]
    assert len(set(names)) == len(names) == 6
    assert all(p.enforcement_level is EnforcementLevel.MANDATORY for p in pack.POLICIES)


# --- the pack as the Pulumi CLI runs it ------------------------------------------------------


@contextmanager
def running_pack(project_root: Path) -> Iterator[Any]:
    """The pack started as `pulumi preview --policy-pack policy` starts it, and a stub of its analyzer."""
    import grpc
    from pulumi.runtime.proto import analyzer_pb2_grpc

    proc = subprocess.Popen(
        [sys.executable, "-u", "."],
        cwd=project_root / "policy",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_pack_answers_the_analyzer_protocol(project_root: Path) -> None:
    """Start the pack like `pulumi preview --policy-pack policy` does, and ask it over gRPC."""
    from google.protobuf import empty_pb2, struct_pb2
    from pulumi.runtime.proto import analyzer_pb2

    with running_pack(project_root) as stub:
        info = stub.GetAnalyzerInfo(empty_pb2.Empty())
        assert {p.name for p in info.policies} == {p.name for p in pack.POLICIES}

        def analyze(typ: str, props: dict[str, Any], protect: bool) -> list[str]:
            struct = struct_pb2.Struct()
            struct.update(props)
            request = analyzer_pb2.AnalyzeRequest(
                type=typ,
                properties=struct,
                urn=f"urn:pulumi:prod::pic::{typ}::x",
                name="x",
                options=analyzer_pb2.AnalyzerResourceOptions(protect=protect),
            )
            return [d.policyName for d in stub.Analyze(request).diagnostics]

        assert analyze("mysql:index/database:Database", {"name": "amis_main"}, False) == ["database-protected"]
        assert analyze("mysql:index/database:Database", {"name": "amis_main"}, True) == []
        assert analyze("mysql:index/user:User", {"user": "amis_main", "host": "%"}, False) == [
            "mysql-user-not-from-anywhere"
        ]
        assert analyze("command:local:Command", {"stdin": PEM}, False) == ["no-plaintext-secret"]
        # nested values arrive as pulumi-policy's own Mapping and Sequence proxies
        envs = {"envs": ["APP_ENV=prod", "DB_PASSWORD=Zt8kq2LmW9"], "labels": [{"label": "a", "value": "b"}]}
        assert analyze(CONTAINER, envs, False) == ["no-plaintext-secret"]
        assert analyze(CONTAINER, {"envs": ["APP_ENV=prod"]}, False) == []

        struct = struct_pb2.Struct()
        struct.update(site("amis", domains="amis.org"))
        stack = analyzer_pb2.AnalyzeStackRequest(
            resources=[analyzer_pb2.AnalyzerResource(type=CONTAINER, properties=struct, urn="urn:s", name="s")]
        )
        assert [d.policyName for d in stub.AnalyzeStack(stack).diagnostics] == ["https-domains-certified"]


SECRET_SIG = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}


def secret(value: Any) -> dict[str, Any]:
    """A value as the engine sends a secret to a policy pack (plugin.MarshalProperties, KeepSecrets)."""
    return {**SECRET_SIG, "value": value}


def test_pack_reads_the_engines_secret_marks(project_root: Path) -> None:
    """A secret Output is no plaintext: the pack keeps the mark that pulumi-policy's arguments drop."""
    from google.protobuf import struct_pb2
    from pulumi.runtime.proto import analyzer_pb2

    with running_pack(project_root) as stub:

        def analyze(typ: str, props: dict[str, Any]) -> list[str]:
            struct = struct_pb2.Struct()
            struct.update(props)
            request = analyzer_pb2.AnalyzeRequest(
                type=typ, properties=struct, urn=f"urn:pulumi:prod::pic::{typ}::x", name="x"
            )
            return [d.message for d in stub.Analyze(request).diagnostics if d.policyName == "no-plaintext-secret"]

        cnf = "[client]\npassword=Zt8kq2LmW9\n"
        assert analyze(CONTAINER, {"uploads": [{"file": "/x.cnf", "content": secret(cnf)}]}) == []
        assert len(analyze(CONTAINER, {"uploads": [{"file": "/x.cnf", "content": cnf}]})) == 1
        assert analyze(CONTAINER, {"envs": secret(["DB_PASSWORD=Zt8kq2LmW9"])}) == []
        # a command given a secret runs with logging off, whatever the secret looks like
        quiet = {"create": "sh", "logging": "none"}
        assert analyze("command:local:Command", {**quiet, "stdin": secret(cnf)}) == []
        assert analyze("command:local:Command", {**quiet, "environment": {"K": secret("x")}}) == []
        found = analyze("command:local:Command", {"create": "sh", "environment": {"K": secret("x")}})
        assert len(found) == 1 and "logging none" in found[0], found
        # one element of a list secret, the other not: the other is reported, alone
        envs = {"envs": [secret("DB_PASSWORD=Zt8kq2LmW9"), "SMTP_PASSWORD=Zt8kq2LmW9"]}
        found = analyze(CONTAINER, envs)
        assert len(found) == 1 and "envs[1]" in found[0] and "Zt8kq2LmW9" not in found[0], found


def test_the_pack_refuses_to_start_without_the_engines_secret_marks() -> None:
    """A pulumi-policy whose servicer no longer deserializes through ``deserialize_properties`` would leave the
    pack's replacement unused: the pack stops, naming what it misses, instead of running without the marks."""
    import types

    from pulumi_policy import deserialize as wire
    from pulumi_policy import policy as servicer

    # the installed pulumi-policy: its servicer now deserializes with the pack's function
    assert servicer.deserialize_properties is pack.deserialize_keeping_secret_marks  # type: ignore[attr-defined]

    def reading_with(call: str) -> types.ModuleType:
        module = types.ModuleType("pulumi_policy.policy")
        code = f"def Analyze(self, request):\n    return {call}(request)\nAnalyzeStack = Analyze\n"
        namespace: dict[str, Any] = {}
        exec(code, namespace)  # a servicer whose analyses call `call`
        module._PolicyAnalyzerServicer = type(  # type: ignore[attr-defined]
            "_PolicyAnalyzerServicer", (), {"Analyze": namespace["Analyze"], "AnalyzeStack": namespace["AnalyzeStack"]}
        )
        module.deserialize_properties = wire.deserialize_properties  # type: ignore[attr-defined]
        return module

    moved = reading_with("deserialize_properties_v2")
    with pytest.raises(RuntimeError) as caught:
        pack.install_secret_marks(moved, wire)
    message = str(caught.value)
    assert "_PolicyAnalyzerServicer.Analyze calling deserialize_properties" in message, message
    assert "pulumi-policy 1." in message and "policy/requirements.txt" in message, message
    assert moved.deserialize_properties is wire.deserialize_properties
    renamed_wire = types.ModuleType("pulumi_policy.deserialize")
    renamed_wire.deserialize_properties = wire.deserialize_properties  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match=r"pulumi_policy\.deserialize\.SPECIAL_SECRET_SIG"):
        pack.install_secret_marks(reading_with("deserialize_properties"), renamed_wire)
    same = reading_with("deserialize_properties")
    pack.install_secret_marks(same, wire)
    assert same.deserialize_properties is pack.deserialize_keeping_secret_marks


# --- the site's facts, placed next to its container (labels say only what the container is) -------------

CMD = "command:remote:Command"


def facts(props: dict[str, Any]) -> dict[str, Any]:
    """The command placing /etc/pic/site-facts/<slug>.json with a site's facts, among its other files
    (what MemberSpace declares: components.hostcmd.place_files after the space script)."""
    from components.hostcmd import render_files_script

    labels = {item["label"]: item["value"] for item in props["labels"]}
    text = json.dumps(labels, indent=2, sort_keys=True) + "\n"
    files = [
        ("/etc/pic/ssh/keys/x", "ssh-ed25519 AAAA x\n", "0644", "root", None),
        ("/etc/pic/site-facts/x.json", text, "0644", "root", None),
    ]
    script = "#!/bin/sh\nprintf '%s\\n' 'the space'\n" + render_files_script(files, ["/etc/logrotate.d/pic-site-x"])
    return {"create": "sh -eu -s -- /etc/pic/ssh/keys/x /etc/pic/site-facts/x.json", "stdin": script}


def test_facts_are_read_from_a_command_placing_them_alone_too() -> None:
    """A command whose whole stdin is the facts (the former <slug>-site-facts) is read as well."""
    labels = {"pic.role": "site", "pic.member": "x", "pic.php": "8.4", "pic.php.eol": "2028-12-31"}
    assert rules.site_facts(CMD, {"stdin": json.dumps(labels)}) == labels
    placed = facts({"labels": [{"label": k, "value": v} for k, v in labels.items()]})
    assert rules.site_facts(CMD, placed) == labels


def identity_only(props: dict[str, Any]) -> dict[str, Any]:
    keep = {"pic.member", "pic.role", "pic.php"}
    return {**props, "labels": [item for item in props["labels"] if item["label"] in keep]}


def test_eol_reads_the_sites_facts() -> None:
    bad = site(php="7.4", eol="2022-11-28", until="2026-11-27")
    found = validate(pack.runtime_end_of_life, resource_args(CMD, facts(bad), config=ON))
    assert len(found) == 1 and "2026-11-27" in found[0][0], found
    good = site(php="7.4", eol="2022-11-28", until="2026-11-28")
    assert validate(pack.runtime_end_of_life, resource_args(CMD, facts(good), config=ON)) == []
    # The container, labelled with what it is only, is checked through its facts.
    assert validate(pack.runtime_end_of_life, resource_args(CONTAINER, identity_only(bad), config=ON)) == []


def test_a_command_that_is_no_sites_facts_is_ignored() -> None:
    for stdin in ("{not json", '{"pic.role": "proxy"}', "[1, 2]", "plain text"):
        assert validate(pack.runtime_end_of_life, resource_args(CMD, {"stdin": stdin}, config=ON)) == [], stdin


def test_https_coverage_reads_the_sites_facts() -> None:
    amis = site("amis", domains="amis.org,www.amis.org,blog.amis.org")
    resources = [
        *_stack(CADDY_GOOD, identity_only(amis)),
        (CMD, f"urn:pulumi:prod::pic::{CMD}::amis-site-facts", facts(amis)),
    ]
    found = validate(pack.https_domains_certified, stack_args(resources))
    assert len(found) == 1 and "blog.amis.org" in found[0][0], found
    assert found[0][1] is not None and found[0][1].endswith("::amis-site-facts")
    covered = site("amis")
    resources = [
        *_stack(CADDY_GOOD, identity_only(covered)),
        (CMD, f"urn:pulumi:prod::pic::{CMD}::amis-site-facts", facts(covered)),
    ]
    assert validate(pack.https_domains_certified, stack_args(resources)) == []


# --- the pack on the program of each stack -----------------------------------------------------


@pytest.mark.parametrize("stack", ["prod", "dev", "lab"])
def test_the_pack_passes_on_each_stacks_program(project_root: Path, stack: str) -> None:
    """No false alarm on what the program declares (the dev stack binds its accounts to a netmask)."""
    from pic.plan import engine
    from tests.policy_support import violations_of_program

    run = engine.run_program(project_root, stack, project_root / "members")
    users = [r for r in run.records if r.type == rules.MYSQL_USER]
    assert users, "no MySQL user to check"
    assert violations_of_program(run.records) == []


# Slugs and names that end in, or are, a word naming a secret: the platform's keys and values built from
# them (a Postfix class pic_site_<slug>..., a database <slug>_<short>, a list domain) are no password.
SECRET_WORD_SLUGS = ["club-pass", "asso-token", "amis-password", "les-pwd", "api-key", "credentials", "the-secret-key"]


@pytest.mark.parametrize("stack", ["prod", "dev", "lab"])
def test_the_pack_passes_on_members_named_like_secrets(project_root: Path, tmp_path: Path, stack: str) -> None:
    from pic.plan import engine
    from tests.helpers import member, write_members
    from tests.policy_support import violations_of_program

    members = {
        slug: member(
            11000 + i,
            name=f"Club {slug}",
            site={"domains": [f"{slug}.org", f"www.{slug}.org"], "php": "8.4"},
            databases=["main", "pass", "token", "secret"],
            lists={"domain": f"listes.{slug}.org"},
            cron=[{"schedule": "daily", "command": "php token.php"}],
        )
        for i, slug in enumerate(SECRET_WORD_SLUGS)
    }
    run = engine.run_program(project_root, stack, write_members(tmp_path / "members", members))
    assert violations_of_program(run.records) == []


@pytest.mark.parametrize(
    "text",
    [
        "--pass" * 35_000,
        "mysql " * 35_000,
        "curl " * 40_000,
        "a" * 200_000,
        "a:" * 100_000,
        "echo aaaaaa | " + "mysql " * 35_000,
        "echo aaaaaa |" * 20_000,
        "printf '%s' " * 30_000,
        "zip -" + "P" * 200_000,
        "sshpass" + " -f x" * 40_000,
        "sshpass" + " -v" * 60_000,
        "net " * 50_000,
        "smbclient " + "-U a" * 50_000,
        "http " * 40_000,
        "http -A bearer" * 20_000,
        "redis-cli -a" * 20_000,
        "/cron/" * 40_000,
        "/cron/" + "a1" * 100_000 + ".",
        "http://" * 30_000,
        "mysql -p <<<" * 40_000,
        "http -a aaaaaa " * 30_000,
        "http -a " + "a" * 200_000,
        "mysql -p " + "<<< a" * 40_000,
        "ldapsearch " * 30_000,
        "curl -U" * 30_000,
        "http X-Api-Key:" * 20_000,
        "-H " + "a-" * 100_000,
        "htpasswd" + " -a" * 60_000,
        "htpasswd -" + "a" * 200_000 + " x",
        "htpasswd -b " * 30_000,
        "drush upwd " * 30_000,
        "fos:user:create " + "-x " * 60_000,
        " fos:user:create -x" * 30_000,
        "openssl -k" * 30_000,
        "plugin login -p" * 20_000,
        "config set " * 30_000,
        "config set " + "a_" * 100_000,
        "option update x_pass " * 20_000,
        "cset" + " -a" * 60_000,
        "cset a" + " -a" * 60_000,
        "?hash=" + "a" * 200_000 + " RunSchedulerWebcron",
        "&hash=aaaaaa" * 30_000 + "RunSchedulerWebcron",
        "?plugin=RunSchedulerWebcron" * 20_000,
        "-H Cookie:" + "a=b;" * 50_000,
        "curl -b " + "sess" * 50_000 + "=",
        "curl -b " * 30_000,
        "-H Cookie: " + "token;" * 30_000,
        "lftp '" * 40_000,
        'net "' * 40_000 + "%",
        ("net '" + "a" * 190 + "' ") * 1_000 + "%",
        "net 'a;a' " * 25_000 + "%",
        "cli.php " * 30_000,
        "cli.php -p -e Job " * 12_000,
        "createAndPromote" + " -x" * 60_000,
        "hooks.slack.com/services/" + "A/" * 100_000,
        "/api/webhooks/" + "1" * 200_000,
        "/hooks/" + "a" * 200_000,
        "/hooks/" * 30_000,
        "ssh-keygen -N " * 20_000,
        "rar -p" * 30_000,
        "echo Zt8kq2LmW9 | " + "env A=b " * 30_000 + "timeout",
        "echo Zt8kq2LmW9 | sudo" + " -u x -H" * 30_000 + " nice",
        "echo Zt8kq2LmW9 | " + "/usr" * 50_000 + " kinit",
        "smbpasswd -s <<EOF " * 20_000,
        "smbpasswd -s <<" + "a" * 200_000,
        "passwd <<EOF\n" * 30_000,
        "chpasswd <<" * 40_000,
        "chpasswd <<" + "a" * 200_000,
        "yes aaaaaa " * 30_000,
        "printf '%s%s%s' aaaaaa aaaaaa aaaaaa " * 10_000,
        "echo " + "aaaaaa " * 60_000,
        "echo aaaaaa | sudo" + " -a" * 60_000,
        "echo aaaaaa | " + "a/" * 100_000 + "x",
        "echo aaaaaa | occ " * 20_000,
        "echo aaaaaa | mkpasswd " * 20_000,
        "docker login --password-stdin <<" * 10_000,
        "mysqladmin password " * 20_000,
        "openssl passwd" + " -salt x" * 30_000,
        "mosquitto_passwd" + " -b" * 60_000,
        "rabbitmqctl add_user a " * 20_000,
        "ejabberdctl register " * 20_000,
        "doveadm pw " * 30_000,
        "ALTER USER " * 30_000,
        "ALTER USER " + "a" * 200_000,
        "CREATE ROLE a PASSWORD '" * 20_000,
        "machine " * 30_000,
        "default login " * 30_000,
        "(echo aaaaaa; " * 20_000,
        "{ echo aaaaaa; echo aaaaaa; echo aaaaaa; } " * 10_000,
        "(echo " + "a" * 200_000,
        "smbpasswd -s <<< $'" * 20_000,
        "mysql '" * 40_000,
        ("mysql '" + "a" * 190 + "' ") * 1_000 + "-p",
        "mysql 'a;a' " * 25_000 + "-p",
        ("mysql " + ("'" + "a" * 199 + "'") * 200) * 20,
        "echo aaaaaa | " + ("mysql '" + "a" * 190 + "' ") * 1_000,
        ("mysql -p '" + "a" * 190 + "' ") * 1_000 + "<<<",
        ("curl '" + "a" * 190 + "' ") * 1_000 + "-b",
    ],
    ids=[
        "url-scheme-like",
        "mysql-words",
        "curl-words",
        "one-word",
        "colons",
        "a-pipe-to-mysql-words",
        "echo-pipes",
        "printf-words",
        "an-option-cluster",
        "sshpass-options",
        "sshpass-flags",
        "net-words",
        "samba-users",
        "http-words",
        "bearer-words",
        "redis-cli-words",
        "cron-paths",
        "a-cron-key-then-a-dot",
        "url-schemes",
        "here-strings",
        "here-string-words",
        "httpie-auths",
        "httpie-a-long-token",
        "ldapsearch-words",
        "curl-proxy-users",
        "header-items",
        "header-name-dashes",
        "htpasswd-options",
        "htpasswd-a-long-cluster",
        "htpasswd-words",
        "drush-words",
        "fos-user-options",
        "fos-user-words",
        "openssl-words",
        "grav-plugin-words",
        "config-set-words",
        "config-set-a-long-name",
        "option-update-names",
        "cset-options",
        "cset-a-word-then-options",
        "joomla-a-long-hash",
        "joomla-hashes",
        "joomla-plugins",
        "cookie-pairs",
        "a-long-cookie-name",
        "curl-cookie-words",
        "cookie-names",
        "lftp-quotes",
        "samba-quotes",
        "samba-long-quoted-words",
        "samba-quoted-separators",
        "cli-php-words",
        "civicrm-options",
        "create-and-promote-options",
        "slack-hook-parts",
        "discord-hook-a-long-id",
        "mattermost-hook-letters",
        "hooks-paths",
        "ssh-keygen-words",
        "rar-words",
        "env-assignments-before-a-reader",
        "sudo-options-before-a-reader",
        "path-parts-before-a-reader",
        "smbpasswd-here-documents",
        "a-here-document-a-long-delimiter",
        "passwd-here-document-lines",
        "chpasswd-here-documents",
        "chpasswd-a-long-delimiter",
        "yes-words",
        "printf-repeated-words",
        "echo-repeated-words",
        "sudo-options",
        "a-pipe-to-a-long-path",
        "occ-words",
        "mkpasswd-words",
        "password-stdin-here-documents",
        "mysqladmin-words",
        "openssl-passwd-options",
        "mosquitto-passwd-options",
        "rabbitmqctl-words",
        "ejabberdctl-words",
        "doveadm-words",
        "alter-user-words",
        "alter-user-a-long-name",
        "create-role-quotes",
        "netrc-machines",
        "netrc-defaults",
        "echo-groups",
        "echo-groups-of-three",
        "echo-group-a-long-word",
        "here-string-ansi-quotes",
        "mysql-quotes",
        "mysql-long-quoted-words",
        "mysql-quoted-separators",
        "mysql-adjacent-quoted-words",
        "a-pipe-to-mysql-quoted-words",
        "here-string-quoted-words",
        "curl-cookie-quoted-words",
    ],
)
def test_a_long_input_is_read_in_linear_time(text: str) -> None:
    """A long script or file must not stall the preview: no pattern scans the rest of the text from every word.

    CPU time of this process, not wall time: other jobs on the machine do not count, a quadratic scan
    of these texts (minutes) still does."""
    import time

    start = time.process_time()
    secrettext.secret_kind(text, "x")
    assert time.process_time() - start < 3


@pytest.mark.parametrize("text", ["GRANT x " * 15_000, "RENAME USER " * 10_000])
def test_sql_accounts_of_a_long_input_are_read_in_linear_time(text: str) -> None:
    import time

    start = time.process_time()  # CPU time, as above
    assert validate(pack.mysql_user_host, resource_args("command:remote:Command", {"stdin": text})) == []
    assert time.process_time() - start < 3


# --- site-facts-placed ---------------------------------------------------------------------------


def test_a_php_site_whose_facts_nobody_places_is_refused() -> None:
    """Its end of life would go unchecked: the container says what it runs, not until when."""
    amis, static = site("amis", php="7.4", eol="2022-11-28"), site("plain", php="none", eol="")
    resources = [(CONTAINER, "urn:x::amis-container", identity_only(amis)), (CONTAINER, "urn:x::plain", static)]
    found = validate(pack.site_facts_placed, stack_args(resources))
    assert found == [
        (
            "site of amis runs PHP 7.4 but no resource places its facts (/etc/pic/site-facts/amis.json): "
            "its end of life cannot be checked",
            "urn:x::amis-container",
        )
    ], found
    resources.append((CMD, "urn:x::amis-space", facts(amis)))
    assert validate(pack.site_facts_placed, stack_args(resources)) == []


def test_the_program_places_the_facts_of_each_php_site(project_root: Path) -> None:
    """Drop the facts from the program's commands: each PHP site is refused, so the check is not vacuous."""
    from pic.plan import engine

    run = engine.run_program(project_root, "prod", project_root / "members")
    resources = [rules.StackResource(r.urn, r.type, r.inputs) for r in run.records if r.custom]
    assert rules.sites_without_facts(resources) == []
    php_sites = {
        labels["pic.member"]
        for r in resources
        if r.type == CONTAINER
        and (labels := {i["label"]: i["value"] for i in r.props.get("labels", [])}).get("pic.role") == "site"
        and labels.get("pic.php") not in (None, "none")
    }
    assert php_sites
    cut = [
        rules.StackResource(r.urn, r.type, {**r.props, "stdin": ""}) if r.type.startswith("command:") else r
        for r in resources
    ]
    assert {m.split()[2] for _, m in rules.sites_without_facts(cut)} == php_sites


def test_the_pack_imports_no_module_of_the_command_line(project_root: Path) -> None:
    """The pack reads its days with pic.days (standard library only), not through pic.commands, the command line's
    package (was: policy.rules and policy.pack imported parse_day from there, so the pack loaded argparse and the
    command line's package to read a date)."""
    script = (
        "import json, sys; import policy.rules, policy.pack; "
        "print(json.dumps(sorted(m for m in sys.modules if m == 'pic' or m.startswith('pic.'))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=project_root, capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(proc.stdout)
    assert "pic.days" in loaded and not [m for m in loaded if m.partition(".")[2].startswith("commands")], loaded
