"""pic dns check: a site SPF record whose terms need lookups is evaluated as receivers do (RFC 7208 check_host),
against a real NSD on 127.0.0.1 (tests/nsd_server.py) serving the zone ``test`` (RFC 2606: no resolver of the
machine knows it, so a record judged present was looked up through the resolver given).

Before, ``include:``, ``redirect=``, ``mx``, ``a`` of another name and ``exists`` were taken as not matching: a
record that includes the web host (``include:spf.platform.test``) or whose MX is the web host was said different,
and an include of a record letting anyone send was not seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pic import dns_check
from pic.render import dns as records
from tests.helpers import silent_resolver
from tests.nsd_server import Nsd, running_nsd

pytestmark = pytest.mark.daemon

WEB1 = "a:web1.platform.test"
WEB1_AT = "198.51.100.10"


def _txt(name: str, value: str) -> records.Record:
    return records.Record(name, "TXT", value)


INCLUDES = " ".join(f"include:i{n}.test" for n in range(1, 12))  # 11 terms causing lookups, RFC 7208 allows 10
ZONE = [
    records.Record("web1.platform.test", "A", WEB1_AT),
    _txt("spf.platform.test", f"v=spf1 {WEB1} -all"),
    # include chains
    _txt("include.test", "v=spf1 include:spf.platform.test -all"),
    _txt("chain.test", "v=spf1 include:c1.test -all"),
    _txt("c1.test", "v=spf1 include:c2.test -all"),
    _txt("c2.test", f"v=spf1 ip4:{WEB1_AT} -all"),
    _txt("loose.test", "v=spf1 +all"),
    _txt("include-loose.test", f"v=spf1 {WEB1} include:loose.test -all"),
    _txt("neutral.test", "v=spf1 ?all"),
    _txt("include-neutral.test", f"v=spf1 include:neutral.test {WEB1} -all"),
    _txt("include-none.test", f"v=spf1 include:nothing.test {WEB1} -all"),
    _txt("include-away.test", f"v=spf1 include:spf.elsewhere.invalid {WEB1} -all"),
    # redirect=
    _txt("redirect.test", "v=spf1 redirect=_spf.other.test"),
    _txt("_spf.other.test", f"v=spf1 {WEB1} -all"),
    _txt("redirect-loose.test", "v=spf1 redirect=loose2.test"),
    _txt("loose2.test", f"v=spf1 {WEB1} ?all"),
    _txt("redirect-none.test", f"v=spf1 {WEB1} redirect=nothing.test"),
    # mx, a of another name, exists
    _txt("mx.test", "v=spf1 mx -all"),
    records.Record("mx.test", "MX", "10 web1.platform.test."),
    _txt("mx-other.test", "v=spf1 mx -all"),
    records.Record("mx-other.test", "MX", "10 mail.other.test."),
    records.Record("mail.other.test", "A", "203.0.113.50"),
    _txt("mx-refused.test", f"v=spf1 -mx {WEB1} -all"),
    records.Record("mx-refused.test", "MX", "10 web1.platform.test."),
    _txt("a-other.test", "v=spf1 a:alias.other.test -all"),
    records.Record("alias.other.test", "A", WEB1_AT),
    _txt("exists.test", "v=spf1 exists:%{i}.allow.test -all"),
    # ptr and the %{p} macro: the reverse zones are not NSD's, their PTR lookups refused
    _txt("ptr.test", f"v=spf1 ptr {WEB1} -all"),
    _txt("ptr-macro.test", f"v=spf1 exists:%{{p}}.allow.test {WEB1} -all"),
    records.Record(f"{WEB1_AT}.allow.test", "A", "127.0.0.2"),
    # RFC 7208 §4.6.4's limits
    _txt("many.test", f"v=spf1 {INCLUDES} {WEB1} -all"),
    *[_txt(f"i{n}.test", "v=spf1 -all") for n in range(1, 12)],
    _txt("loop.test", f"v=spf1 include:loop-a.test {WEB1} -all"),
    _txt("loop-a.test", "v=spf1 include:loop-b.test -all"),
    _txt("loop-b.test", "v=spf1 include:loop-a.test -all"),
    _txt("include-two.test", f"v=spf1 include:two.test {WEB1} -all"),
    _txt("two.test", f"v=spf1 {WEB1} -all"),
    _txt("two.test", "v=spf1 -all"),
    _txt("void.test", f"v=spf1 a:gone1.test a:gone2.test a:gone3.test {WEB1} -all"),
    _txt("two-void.test", f"v=spf1 a:gone1.test a:gone2.test ip4:{WEB1_AT} -all"),
    # a host known by its addresses, IPv6 among them
    _txt("spf6.test", f"v=spf1 ip4:{WEB1_AT} ip6:2001:db8:1::/48 -all"),
    _txt("six.test", "v=spf1 include:spf6.test -all"),
    _txt("four.test", "v=spf1 include:c2.test -all"),
    # records receivers discard (RFC 7208 §4.5: v=spf1 then a space or the end), alone or beside the one they read
    _txt("discarded.test", " v=spf1 include:spf.platform.test -all"),
    _txt("discarded-beside.test", " v=spf1 +all"),
    _txt("discarded-beside.test", "v=spf1 include:spf.platform.test -all"),
    # wide networks beside an include: the documentation addresses (192.0.2.1 in 192.0.0.0/3) do not all pass
    _txt("wide.test", "v=spf1 include:spf.platform.test ip4:0.0.0.0/1 ip4:128.0.0.0/2 ?ip4:224.0.0.0/3 -all"),
    _txt("wide6.test", "v=spf1 include:spf.platform.test ip6:::/1 ip6:8000::/1 -all"),
    # a redirect= to the domain itself, through a macro: a loop
    _txt("redirect-self.test", f"v=spf1 {WEB1} redirect=%{{d}}"),
    # softfail reached through a redirect=, or an include's ~all, which does not match (RFC 7208 §5.2)
    _txt("redirect-soft.test", "v=spf1 redirect=soft.test"),
    _txt("soft.test", f"v=spf1 {WEB1} ~all"),
    _txt("include-soft.test", "v=spf1 include:soft.test -all"),
    _txt("soft-unreached.test", "v=spf1 include:spf.platform.test -all ~all"),
    # the sender's local part: the platform's sites send from no-reply@<domain>
    _txt("local.test", "v=spf1 exists:%{i}.%{l}.senders.test -all"),
    records.Record(f"{WEB1_AT}.no-reply.senders.test", "A", "127.0.0.2"),
    # records an admin might publish
    _txt("exp-local.test", "v=spf1 include:spf.platform.test -all exp=%{l}.exp.test"),  # exp= reads no sender
    _txt("local-exp.test", "v=spf1 exists:%{i}.%{l}.senders.test -all exp=%{i}.%{l}.senders.test"),  # both
    _txt("upper.test", "V=SPF1 INCLUDE:spf.platform.test -ALL"),
    _txt("include-self.test", f"v=spf1 {WEB1} include:%{{d}} -all"),
    _txt("exists-ip.test", "v=spf1 exists:%{i}.x.%{d} -all"),
    _txt("a0.test", "v=spf1 a/0 -all"),
    records.Record("a0.test", "A", "203.0.113.99"),
    _txt("mx0.test", f"v=spf1 {WEB1} mx/0 -all"),
    records.Record("mx0.test", "MX", "10 web1.platform.test."),
    # IPv4-mapped IPv6 addresses: pyspf, as RFC 7208 §5 has it, matches an IPv4 sender against ip4 terms only
    _txt("mapped.test", "v=spf1 include:spf.platform.test ip6:::ffff:0:0/96 -all"),
    _txt("mapped-host.test", f"v=spf1 ip6:::ffff:{WEB1_AT} include:i1.test -all"),  # the web host only mapped
    _txt("refused-then-all.test", f"v=spf1 -ip4:{WEB1_AT} include:spf.platform.test ip4:0.0.0.0/0 -all"),
    # macros pyspf read otherwise than RFC 7208 §7.1 and §7.3, in a record included: a transformer "R" (ABNF is
    # case-insensitive: a reversal), a digit transformer of 0 (a permerror)
    _txt("reversed.test", "v=spf1 exists:%{i}.%{dR}.x.test -all"),
    records.Record(f"{WEB1_AT}.test.reversed.x.test", "A", "127.0.0.2"),
    _txt("include-zero.test", f"v=spf1 include:zero.inc.test {WEB1} -all"),
    _txt("zero.inc.test", "v=spf1 redirect=%{d0}"),
    _txt("inc.test", f"v=spf1 {WEB1} -all"),
    # no lookup terms, but networks that only the web host's address can place it in or out of
    _txt("refused-by-address.test", f"v=spf1 -ip4:{WEB1_AT} ip4:0.0.0.0/0 -all"),
    _txt("network.test", "v=spf1 ip4:198.51.100.0/24 -all"),
    _txt("network-soft.test", "v=spf1 ~ip4:198.51.100.0/24 a:web1.platform.test -all"),
]


@pytest.fixture(scope="module")
def nsd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nsd]:
    with running_nsd(tmp_path_factory.mktemp("spf") / "nsd", ["test"], ["ns1.test"]) as server:
        server.publish("test", ZONE)
        yield server


def _checked(nsd: Nsd, domain: str, mechanism: str = WEB1) -> dns_check.Finding:
    """The finding of ``pic dns check`` for the site SPF record of ``domain``, the web host at ``mechanism``."""
    expected = dns_check.Expected(domain, "TXT", dns_check.SITE_SPF, mechanism, "its web host")
    resolver = dns_check.make_resolver("127.0.0.1", nsd.port, 3)
    [finding] = dns_check.check({domain: [expected]}, resolver)
    return finding


@pytest.mark.parametrize(
    "domain",
    [
        "include.test",  # the record the platform publishes, included
        "chain.test",  # an include of an include naming the address
        "include-neutral.test",  # an include answering neutral matches nothing: the web host passes after it
        "redirect.test",
        "mx.test",  # its MX is the web host
        "a-other.test",  # another name of the web host's address
        "exists.test",
        "two-void.test",  # two lookups finding nothing: RFC 7208 allows two
        "discarded-beside.test",  # the record read is evaluated, not the one receivers discard
        # a PTR lookup in error: ptr does not match (RFC 7208 §5.5), %{p} is "unknown" (§7.3), not a temperror
        "ptr.test",
        "ptr-macro.test",
        "local.test",  # %{l} of the sender the platform gives its sites, no-reply
    ],
)
def test_a_site_spf_record_letting_the_web_host_pass_through_its_lookups_is_present(nsd: Nsd, domain: str) -> None:
    import spf

    finding = _checked(nsd, domain)
    assert finding.status == "present", finding.line()
    assert spf.DNSLookup is spf.DNSLookup_dnspython  # the library's own lookup back in place once evaluated


@pytest.mark.parametrize(
    ("domain", "said"),
    [
        (
            "mx-other.test",
            f"answers fail for the web host {WEB1} ({WEB1_AT}) at -all, evaluated as receivers do (RFC 7208 §4): "
            f"let it pass before that ({WEB1})",
        ),
        ("mx-refused.test", f"answers fail for the web host {WEB1} ({WEB1_AT}) at -mx,"),
        # an include of +all lets any host pass; a redirect= to ?all leaves them neutral
        (
            "include-loose.test",
            "lets any host send as include-loose.test (the IPv4 documentation addresses: 192.0.2.1 pass at "
            "include:loose.test, 198.51.100.1 pass at include:loose.test, 203.0.113.1 pass at include:loose.test): "
            "end it, and the records it includes or redirects to, with -all",
        ),
        ("redirect-loose.test", "(the IPv4 documentation addresses: 192.0.2.1 neutral at ?all,"),
        # permerrors, with pyspf's explanation
        (
            "many.test",
            "is a permerror for receivers (evaluated for the web host's 198.51.100.10: SPF Permanent Error: "
            "Too many DNS lookups",
        ),
        ("loop.test", "SPF Permanent Error: Too many DNS lookups"),
        ("void.test", "SPF Permanent Error: Void lookup limit of 2 exceeded"),
        ("include-none.test", "for included domain: nothing.test: include:nothing.test, RFC 7208 §2.6.7)"),
        # an include of a name with two SPF records: RFC 7208 §4.5, not a limit of §4.6.4
        ("include-two.test", "SPF Permanent Error: Two or more type TXT spf records found., RFC 7208 §2.6.7)"),
        # the web host passes before the redirect=, other hosts reach it: a permerror for them
        ("redirect-none.test", "(evaluated for 192.0.2.1: SPF Permanent Error: redirect domain has no SPF record"),
        # the record's own networks let most of the address space send, whatever the documentation addresses get
        (
            "wide.test",
            "lets any host send as wide.test (ip4:0.0.0.0/1 ip4:128.0.0.0/2 ?ip4:224.0.0.0/3: 87.5% of the IPv4 "
            "addresses pass or stay neutral):",
        ),
        ("wide6.test", "lets any host send as wide6.test (ip6:::/1 ip6:8000::/1):"),
        # an include of itself: a permerror (RFC 7208 §4.6.4 would end the loop, pyspf stops at once)
        (
            "include-self.test",
            "is a permerror for receivers (evaluated for the web host's 198.51.100.10: SPF "
            "Permanent Error: include has trivial recursion: include:%{d}, RFC 7208 §2.6.7)",
        ),
        # no name for the web host's address: it fails
        ("exists-ip.test", f"answers fail for the web host {WEB1} ({WEB1_AT}) at -all,"),
        # a prefix length of 0 on a and mx: every address of the family, through the name's address
        ("a0.test", "lets any host send as a0.test (the IPv4 documentation addresses: 192.0.2.1 pass at a/0,"),
        ("mx0.test", "lets any host send as mx0.test (the IPv4 documentation addresses: 192.0.2.1 pass at mx/0,"),
        # the web host's IPv4 address written IPv4-mapped in ip6: matches no IPv4 sender (i1.test names none)
        ("mapped-host.test", f"answers fail for the web host {WEB1} ({WEB1_AT}) at -all,"),
        # the web host refused first, whatever passes every other address after it
        ("refused-then-all.test", f"answers fail for the web host {WEB1} ({WEB1_AT}) at -ip4:{WEB1_AT},"),
        # a redirect= to itself, through its macro: a loop, which pyspf ends at the limit of lookups
        (
            "redirect-self.test",
            "redirects to itself (redirect=%{d}, which reads redirect-self.test): a loop, a permerror for receivers "
            "(evaluated for 192.0.2.1: SPF Permanent Error: Too many DNS lookups, RFC 7208 §4.6.4)",
        ),
    ],
)
def test_a_site_spf_record_refusing_the_web_host_letting_anyone_send_or_erring_is_different(
    nsd: Nsd, domain: str, said: str
) -> None:
    finding = _checked(nsd, domain)
    line = finding.line()
    assert finding.status == "different", line
    assert said in line and "(its web host)" in line, line


@pytest.mark.parametrize(
    ("domain", "note"),
    [
        # the softfail of the record redirected to is what other hosts get
        ("redirect-soft.test", ": other hosts get softfail (192.0.2.1 softfail at ~all"),
        # an include ending at ~all matches nothing for them: the record's own -all fails them
        ("include-soft.test", ""),
        ("soft-unreached.test", ""),  # a ~all after -all is never reached
        # the record reads the sender's local part: evaluated for the one the platform's sites send from
        ("local.test", ": its terms read the sender (%{l}, %{s}): evaluated for no-reply@local.test"),
        # exp= only words a failure's explanation: what it reads is no term of the evaluation
        ("exp-local.test", ""),
        # a term reading the sender, beside an exp= written alike: the term reads it
        ("local-exp.test", ": its terms read the sender (%{l}, %{s}): evaluated for no-reply@local-exp.test"),
        ("upper.test", ""),  # RFC 7208 §4.5, §12: the version and terms in any case
        ("mapped.test", ""),  # ::ffff:0:0/96 holds no IPv4 sender: the documentation addresses fail
    ],
)
def test_the_note_of_a_present_site_spf_record_says_what_its_evaluation_gives(nsd: Nsd, domain: str, note: str) -> None:
    finding = _checked(nsd, domain)
    line = finding.line()
    assert finding.status == "present", line
    assert (note in line) if note else line.endswith(f"{domain} TXT"), line


def test_an_spf_evaluation_asks_the_resolver_once_per_name_and_type(nsd: Nsd) -> None:
    """The records of a run share their answers: the web host's address, the included record and its address are
    asked once, not once per address evaluated (the web host's and 5 documentation addresses) and per domain."""
    asked: list[tuple[str, str]] = []
    resolver = dns_check.make_resolver("127.0.0.1", nsd.port, 3)
    resolve = resolver.resolve

    def counted(name: str, rtype: str, *args: object, **kwargs: object) -> object:
        asked.append((str(name).lower().rstrip("."), str(rtype)))
        return resolve(name, rtype, *args, **kwargs)  # type: ignore[arg-type]

    resolver.resolve = counted  # type: ignore[method-assign,assignment]
    domains = ("include.test", "wide.test", "chain.test")
    expected = {d: [dns_check.Expected(d, "TXT", dns_check.SITE_SPF, WEB1, "its web host")] for d in domains}
    findings = dns_check.check(expected, resolver)
    assert [f.status for f in findings] == ["present", "different", "present"], [f.line() for f in findings]
    twice = sorted({q for q in asked if asked.count(q) > 1})
    assert twice == [], asked
    assert ("spf.platform.test", "TXT") in asked and ("c2.test", "TXT") in asked, asked


def test_the_records_checked_and_those_their_evaluations_read_share_their_answers(nsd: Nsd) -> None:
    """A name checked itself (its TXT records looked up for its own expected records) and read by another's
    evaluation (an include of it), or checked for two expected records, is asked once: check() asked the resolver
    for each expected record, apart from the answers its SPF evaluations shared."""
    asked: list[tuple[str, str]] = []
    resolver = dns_check.make_resolver("127.0.0.1", nsd.port, 3)
    resolve = resolver.resolve

    def counted(name: str, rtype: str, *args: object, **kwargs: object) -> object:
        asked.append((str(name).lower().rstrip("."), str(rtype)))
        return resolve(name, rtype, *args, **kwargs)  # type: ignore[arg-type]

    resolver.resolve = counted  # type: ignore[method-assign,assignment]
    expected = {
        d: [dns_check.Expected(d, "TXT", dns_check.SITE_SPF, WEB1, "its web host")]
        for d in ("spf.platform.test", "include.test", "chain.test")
    }
    expected["c2.test"] = [dns_check.Expected("c2.test", "TXT", dns_check.SITE_SPF, f"ip4:{WEB1_AT}", "its web host")]
    # one name told a list domain's record and a site's: looked up once for both
    expected["mx.test"] = [
        dns_check.Expected("mx.test", "TXT", "SPF", "v=spf1 mx -all"),
        dns_check.Expected("mx.test", "MX", "MX", "10 web1.platform.test."),
        dns_check.Expected("mx.test", "TXT", dns_check.SITE_SPF, WEB1, "its web host"),
    ]
    findings = dns_check.check(expected, resolver)
    assert {f.status for f in findings} == {"present"}, [f.line() for f in findings]
    twice = sorted({q for q in asked if asked.count(q) > 1})
    assert twice == [], asked
    assert ("spf.platform.test", "TXT") in asked and ("mx.test", "MX") in asked, asked


def test_a_site_spf_record_whose_lookups_go_unanswered_is_not_checked(nsd: Nsd) -> None:
    """NSD refuses a name outside its zone: the include's lookup is a temperror, said, not a verdict."""
    finding = _checked(nsd, "include-away.test")
    line = finding.line()
    assert finding.status == "unanswered", line
    assert "not checked, its lookups went unanswered (evaluated for the web host's 198.51.100.10): " in line, line
    assert "the resolver answered spf.elsewhere.invalid TXT REFUSED: the resolver does not resolve for" in line, line
    assert "All nameservers failed" not in line and "SPF Temporary Error" not in line, line


def test_a_web_host_name_without_address_leaves_a_record_with_lookups_unchecked(nsd: Nsd) -> None:
    finding = _checked(nsd, "include.test", "a:nohost.platform.test")
    line = finding.line()
    assert finding.status == "unanswered", line
    assert "nohost.platform.test has no address (A, AAAA): the web host's is needed to evaluate " in line, line
    assert "include:spf.platform.test" in line, line


def test_each_address_of_a_web_host_known_by_address_is_evaluated(nsd: Nsd) -> None:
    both = f"ip4:{WEB1_AT} ip6:2001:db8:1::10"
    assert _checked(nsd, "six.test", both).status == "present"
    finding = _checked(nsd, "four.test", both)
    assert finding.status == "different", finding.line()
    assert "answers fail for the web host ip6:2001:db8:1::10 (2001:db8:1::10) at -all" in finding.line()


def test_a_macro_is_expanded_as_rfc_7208_writes_it(nsd: Nsd) -> None:
    """pyspf ignored a transformer "R" in capitals (``%{dR}`` read as ``%{d}``: RFC 7208's ABNF is case-insensitive,
    RFC 5234 §2.3, so it reverses) and read a digit transformer of 0 (``%{d0}``, which §7.3 says must be nonzero)
    as every label but the first: a record it includes with one was evaluated on another name."""
    finding = _checked(nsd, "reversed.test")
    assert finding.status == "present", finding.line()
    finding = _checked(nsd, "include-zero.test")
    assert finding.status == "different", finding.line()
    assert "is a permerror for receivers" in finding.line() and "a digit transformer of 0" in finding.line()


def test_a_web_host_known_by_name_is_placed_in_the_networks_of_a_record_by_its_address(nsd: Nsd) -> None:
    """A record without lookup terms whose ``ip4:``/``ip6:`` networks decide for the web host known by name is
    evaluated for the host's address: its network alone was "ends at -all before naming" it, and a refusal of
    its address before ``ip4:0.0.0.0/0`` was only "lets any host send" (both are said, the refusal first)."""
    assert _checked(nsd, "network.test").status == "present", _checked(nsd, "network.test").line()
    finding = _checked(nsd, "network-soft.test")
    assert finding.status == "different", finding.line()
    assert f"answers softfail for the web host {WEB1} ({WEB1_AT}) at ~ip4:198.51.100.0/24," in finding.line()
    finding = _checked(nsd, "refused-by-address.test")
    line = finding.line()
    assert finding.status == "different", line
    refused = f"which answers fail for the web host {WEB1} ({WEB1_AT}) at -ip4:{WEB1_AT}, evaluated as receivers"
    wide = (
        "; it also lets any host send as refused-by-address.test (ip4:0.0.0.0/0: all the IPv4 addresses but 1 pass "
        "or stay neutral)"
    )
    assert refused in line and wide in line and line.index(refused) < line.index(wide), line


def test_a_site_spf_record_without_lookup_terms_is_read_without_a_query(tmp_path: Path) -> None:
    """The record the platform publishes, and any naming the web host without lookups, is judged as written:
    a resolver that never answers is never asked."""
    expected = dns_check.Expected("asso.test", "TXT", dns_check.SITE_SPF, WEB1, "its web host")
    with silent_resolver() as (port, asked):
        resolver = dns_check.make_resolver("127.0.0.1", port, 0.2)
        assert dns_check.judgement(expected, [f"v=spf1 {WEB1} -all"], resolver) == ("present", "")
        assert dns_check.judgement(expected, [f"v=spf1 ip4:192.0.2.7 {WEB1} ~all"], resolver) == ("present", "")
        # a network letting pass before the host is named: whether it holds the host or not, the host passes
        assert dns_check.judgement(expected, [f"v=spf1 ip4:192.0.2.0/24 {WEB1} -all"], resolver) == ("present", "")
        # a refused network after it is never reached for the host
        assert dns_check.judgement(expected, [f"v=spf1 {WEB1} -ip4:192.0.2.0/24 -all"], resolver) == ("present", "")
        assert dns_check.judgement(expected, [f"v=spf1 -all {WEB1}"], resolver) == ("different", "")
        assert asked() == []


def test_the_terms_needing_lookups_are_those_the_record_cannot_say_alone() -> None:
    record = "v=spf1 ip4:192.0.2.7 a:web1.platform.test/24 A:Web1.Platform.Test. a a/24 a:other.test mx -Exists:X.test"
    record += " ptr include:i.test exp=why.test redirect=r.test -all"
    assert dns_check.spf_lookup_terms(record, WEB1) == [
        "a",
        "a/24",
        "a:other.test",
        "mx",
        "-Exists:X.test",  # as written
        "ptr",
        "include:i.test",
        "redirect=r.test",
    ]


def test_a_site_spf_record_receivers_discard_is_not_evaluated(nsd: Nsd) -> None:
    """A record receivers discard (a space before v=spf1) is different, whatever its include would give: it is
    never evaluated, though the web host would pass through its lookups."""
    finding = _checked(nsd, "discarded.test")
    assert finding.status == "different", finding.line()
