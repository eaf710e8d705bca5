"""The lab's pieces that need no engine: the translation of recorded inputs, the apt proxy's refusals."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from lab.apt_proxy import AptProxy
from lab.docker_inputs import INPUTS_LABEL, UnknownInput, container_spec
from lab.platform import CONTAINER, by_type
from pic import phpini
from pic.plan.engine import Run, run_program
from pic.render import web
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def prod_run() -> Run:
    return run_program(ROOT, "prod")


def _inputs(run: Run, name: str) -> dict[str, object]:
    return next(r.inputs for r in by_type(run, CONTAINER) if r.inputs["name"] == name)


def test_site_container_inputs_become_sdk_arguments(prod_run: Run) -> None:
    inputs = _inputs(prod_run, web.site_container_name("velo-cite"))
    spec = container_spec(inputs, host_path=lambda p: "/lab" + p)
    kw = spec.kwargs
    assert kw["user"] == "10002:10002"
    assert kw["mem_limit"] == kw["memswap_limit"] == 512 * 1024 * 1024  # the member's own limit, MiB
    assert kw["nano_cpus"] == 1_500_000_000
    assert [(u["Name"], u["Soft"], u["Hard"]) for u in kw["ulimits"]] == [("nproc", 128, 128)]
    assert kw["cap_drop"] == ["ALL"]
    assert kw["security_opt"] == ["no-new-privileges:true"]
    assert kw["restart_policy"] == {"Name": "unless-stopped"}
    # the size pic check's warning of upload_max_filesize names (an upload in flight is written there)
    assert (
        kw["tmpfs"] == {"/tmp": f"rw,noexec,nosuid,size={phpini.SITE_TMP_MB}m"} == {"/tmp": "rw,noexec,nosuid,size=64m"}
    )
    assert [(m["Target"], m["Source"], m["ReadOnly"]) for m in kw["mounts"]] == [
        ("/srv/site/www", "/lab/srv/members/velo-cite/www", False),
        ("/srv/site/priv", "/lab/srv/members/velo-cite/priv", True),
        ("/srv/site/log", "/lab/srv/members/velo-cite/log", False),
        ("/etc/pic-mail", "/lab/etc/pic/mail/sites/velo-cite", True),
    ]
    assert kw["labels"]["pic.member"] == "velo-cite"
    assert kw["labels"][INPUTS_LABEL] == spec.digest
    assert spec.extra_networks == [(web.NETWORK, "172.30.1.2")]  # fixed: 172.30.1.0 + uid 10002 - 10000
    # the vhost, and the member's php_settings for PHP's command line (its cron jobs)
    assert [path for path, _ in spec.uploads] == [
        "/etc/apache2/sites-enabled/pic-site.conf",
        web.member_cli_ini_path("8.4"),
    ]


def test_proxy_inputs_keep_the_fixed_address_and_ports(prod_run: Run) -> None:
    spec = container_spec(_inputs(prod_run, web.PROXY_CONTAINER))
    assert spec.extra_networks == [(web.NETWORK, web.PROXY_ADDRESS)]
    assert spec.kwargs["ports"] == {"80/tcp": ("0.0.0.0", 80), "443/tcp": ("0.0.0.0", 443), "443/udp": ("0.0.0.0", 443)}


def test_same_inputs_same_digest_and_a_changed_input_another(prod_run: Run) -> None:
    inputs = _inputs(prod_run, web.site_container_name("velo-cite"))
    assert container_spec(inputs).digest == container_spec(dict(inputs)).digest
    assert container_spec({**inputs, "image": "pic/php:8.2-x"}).digest != container_spec(inputs).digest
    assert container_spec(inputs, host_path=lambda p: "/elsewhere" + p).digest != container_spec(inputs).digest


def test_an_unknown_input_is_an_error() -> None:
    with pytest.raises(UnknownInput, match="privileged"):
        container_spec({"name": "x", "image": "y", "privileged": True})


@pytest.fixture
def proxy() -> Iterator[AptProxy]:
    # Its own namespace: the proxy listens where the test runs.
    p = AptProxy("/proc/self/ns/net", port=0)
    yield p
    p.stop()


@pytest.mark.parametrize(
    "url", ["http://example.org/", "http://deb.debian.org.example.org/debian/", "http://127.0.0.1:2375/info"]
)
def test_apt_proxy_refuses_anything_but_the_debian_mirrors(proxy: AptProxy, url: str) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy.url}))
    with pytest.raises(urllib.error.HTTPError) as info:
        opener.open(url, timeout=10)
    assert info.value.code == 403
