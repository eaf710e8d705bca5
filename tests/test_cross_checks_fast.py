"""The shortcuts of the checks made once every member file is read give the verdicts of the full checks.

- ``member_grant_covers`` answering from the prefix alone where the pattern's ``_`` cannot be wildcards,
  ``member_grant_escaped`` and ``system_schema_covered`` asking the pattern only of a long prefix,
  against the pattern matched character by character;
- ``_Cross.wildcard_grants`` asking a grant that keeps wildcards only of the names its head could reach,
  against every pair asked;
- ``_Cross.public_name`` asking each top-level domain once, and ``_Cross.over_the_platform`` asking
  only of a member's names that are over one of the platform's, against the checks of every name: on
  registries whose members take each other's names and the platform's (tests/generated_registry.py),
  under stacks of every kind, the problems are the same, in the same order.
"""

from __future__ import annotations

import bisect
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pic import crosschecks, names, registry
from pic.crosschecks import cross_checks
from pic.errors import show_value
from pic.registry import Member
from pic.settings import TLS_CA_NAMES, Settings, load_settings
from pic.validators import public_name_problem
from tests.conftest import ROOT
from tests.generated_registry import clashing

NAME_CHARS = "ab_%\\-"
database_names = st.one_of(
    st.text(NAME_CHARS, max_size=80),
    st.builds(
        lambda slug, short: f"{slug.replace('-', '_')}_{short}", st.text("a_-", max_size=40), st.text("a_", max_size=16)
    ),
    st.builds(
        lambda schema, cut, more: schema[:cut] + more,
        st.sampled_from(names.MARIADB_SCHEMAS),
        st.integers(0, 20),
        st.text("_as", max_size=3),
    ),
)


def _member_grant_covers_by_pattern(database: str, other: str) -> bool:
    """Whether the grant of ``database`` covers ``other``, from its pattern (pic.names.member_grant_pattern)."""
    prefix = names.member_grant_prefix(database)
    if len(other) < len(prefix):
        return False
    if names.member_grant_pattern(database) != prefix + "%":
        return other.startswith(prefix)
    return all(p in ("_", c) for p, c in zip(prefix, other, strict=False))


def _member_grant_escaped_by_pattern(database: str) -> bool:
    return names.member_grant_pattern(database) == names.escape_grant(names.member_grant_prefix(database)) + "%"


def _system_schema_covered_by_each(database: str) -> str | None:
    return next((s for s in names.MARIADB_SCHEMAS if _member_grant_covers_by_pattern(database, s)), None)


@st.composite
def _others(draw: st.DrawFn, database: str) -> str:
    """A name near ``database``: its prefix with some characters changed (each ``_`` a wildcard may match), cut
    or followed by more."""
    chars = list(database)
    for i in draw(st.lists(st.integers(0, max(len(chars) - 1, 0)), max_size=4)):
        if chars:
            chars[i] = draw(st.sampled_from(NAME_CHARS + "z"))
    cut = draw(st.integers(0, len(chars)))
    return "".join(chars[:cut] if draw(st.booleans()) else chars) + draw(st.text(NAME_CHARS, max_size=12))


@settings(max_examples=1000, deadline=None)
@given(st.data(), database_names)
@example(None, "a" * 30 + "_" * 10)  # escaped: 50 + 1 characters, fits
@example(None, "a_" * 28)  # 56 characters: the prefix whole, escaped 84
@example(None, "a_" * 40)  # cut to 39 characters, escaped 59: fits
@example(None, "")
def test_member_grant_shortcuts_give_the_patterns_verdicts(data: st.DataObject | None, database: str) -> None:
    assert names.member_grant_escaped(database) == _member_grant_escaped_by_pattern(database), database
    assert names.system_schema_covered(database) == _system_schema_covered_by_each(database), database
    others = [*names.MARIADB_SCHEMAS, database, database.replace("_", "z"), database + "-restore"]
    if data is not None:
        others += [data.draw(_others(database)) for _ in range(5)]
    for other in others:
        assert names.member_grant_covers(database, other) == _member_grant_covers_by_pattern(database, other), (
            database,
            other,
        )


def _public_name_each_time(self: crosschecks._Cross, m: Member, loc: tuple[str | int, ...], domain: str) -> None:
    """_Cross.public_name asking every name."""
    if self.settings.tls.ca == "internal":
        return
    why = public_name_problem(domain, TLS_CA_NAMES[self.settings.tls.ca])
    if why is not None:
        self.at(m, loc, why)


def _over_the_platform_of_every_name(self: crosschecks._Cross, m: Member) -> None:
    """_Cross.over_the_platform asking of each of the member's names."""
    if not self.over_platform and not self.over_reports:
        return
    mine = [(loc, d, d) for loc, d in self.domains_of(m)]
    if m.site is not None:
        mine += [
            (loc, d.removeprefix("www."), d)
            for loc, d, _ in mine
            if d.startswith("www.")
            and d.removeprefix("www.") in m.sender_domains
            and not self.sends_as_the_platforms(m, d)
        ]
    told: set[str] = set()
    for loc, domain, written in mine:
        under = self.over_platform.get(domain) or self.over_reports.get(domain)
        if under is not None and under[0] not in told and under[0] != written:
            name, what = under
            told.add(name)
            whose = (
                show_value(domain)
                if domain == written
                else f"{show_value(domain)}, which its site {written} sends mail as,"
            )
            cookies = " and its site's cookies reach it" if m.site is not None else ""
            self.at(
                m,
                loc,
                f"{whose} has {show_value(name)} under it, which is the platform's: {what}; "
                f"the member holds this domain's DNS (it could send that name elsewhere){cookies}: give the "
                "platform a name outside the members' domains",
            )


def _wildcard_grants_of_every_pair(self: crosschecks._Cross, members: list[Member]) -> None:
    """_Cross.wildcard_grants asking each grant that keeps wildcards of every other database."""
    everything = sorted(((db.name, other) for other in members for db in other.databases), key=lambda e: e[0])
    names_only = [name for name, _ in everything]
    for m in members:
        for i, db in enumerate(m.databases):
            prefix = names.member_grant_prefix(db.name)
            candidates: list[tuple[str, Member]] = everything
            escaped = names.member_grant_escaped(db.name)
            if escaped:
                start = bisect.bisect_left(names_only, prefix)
                end = bisect.bisect_left(names_only, prefix + "\U0010ffff")
                candidates = everything[start:end]
            for name, other in candidates:
                if other is not m and name != db.name and names.member_grant_covers(db.name, name):
                    wildcard = (
                        ""
                        if escaped
                        else f"; _ is a wildcard where the escaped name would pass MariaDB's "
                        f"{names.MAX_GRANT_DATABASE} characters"
                    )
                    j = next(j for j, theirs in enumerate(other.databases) if theirs.name == name)
                    unlike = f"does not start with {show_value(db.name)}" if escaped else "it does not cover"
                    self.at(
                        m,
                        ("databases", i),
                        f"makes the database name {show_value(db.name)}, whose grant "
                        f"({show_value(names.member_grant_pattern(db.name))}: the database and the two a "
                        f"restore works in{wildcard}) would also cover {show_value(name)} of "
                        f"{self.place(other, ('databases', j))}; use a name that does not start another "
                        f"member's, or give {other.slug} a slug (or that database a short name) whose database "
                        f"name {unlike}: a database given another name is made anew, empty, its data left in the "
                        "one of the name it had",
                    )
                elif other is not m and name != db.name and not escaped:
                    self.shared_grant(m, i, db.name, other, name)


_SPEC = registry.MemberSpec.model_validate(
    {"name": "Club", "contact": {"name": "Contact", "email": "contact@club.example.org"}, "uid": 10600}
)
_PROD = load_settings(ROOT, "prod")


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        # slugs of a few letters (or -), then many - (a database's name turns them into _)
        st.builds(str.__add__, st.text("ab-", min_size=1, max_size=6), st.text("a-b-", max_size=40)),
        st.lists(st.text("a_b_", min_size=1, max_size=16), max_size=3, unique=True),
        max_size=10,
    )
)
@example(  # abc_e...'s grant covers abcde_..., which shares a name with it: its head abcde is not abc_e's
    {"abcde" + "-x" * 18: ["x_x_x_x"], "abc-e" + "-x" * 18: ["x_x_x_x"], "ab": ["c"], "abc": ["d_e"]}
)
@example({"a-" * 20 + "a": ["a_" * 8], "a-" * 19 + "b-a": ["a_a"], "a": ["a"], "a-a": ["a"], "aa-a-a-a": ["x"]})
@example({"-b" * 21: ["b_b_b_b"], "ab" + "-b" * 20: ["b_b_b_b"]})  # a head that is empty: _b_b... shares ab_b_b...
def test_wildcard_grants_asks_the_names_a_grant_could_reach(databases: dict[str, list[str]]) -> None:
    """Names of up to 63 characters, many of them _: grants that keep wildcards, covering, sharing a name or
    not with others of every length and head; the problems are those of every pair asked."""
    members = [
        Member(slug, f"members/{slug}.yaml", _SPEC.model_copy(update={"databases": shorts}), "web1")
        for slug, shorts in databases.items()
    ]
    fast, slow = crosschecks._Cross(_PROD, "Pulumi.prod.yaml"), crosschecks._Cross(_PROD, "Pulumi.prod.yaml")
    fast.wildcard_grants(members)
    _wildcard_grants_of_every_pair(slow, members)
    assert fast.problems == slow.problems


def _stack(project: Path, kind: str) -> str:
    """Write a stack file of ``kind`` into ``project``; return its name."""
    if kind in ("prod", "lab"):
        shutil.copy(ROOT / f"Pulumi.{kind}.yaml", project / f"Pulumi.{kind}.yaml")
        return kind
    text = (ROOT / "Pulumi.prod.yaml").read_text()
    if kind == "zones":  # NSD serves zones holding members' names; the admins' and the reports' under members'
        extra = (
            "  pic:dns: {backend: zonefile, zones: [example.org, asso1.org, zone.org], listen: [192.0.2.53], "
            "nameservers: [ns1.zone.org, ns.asso2.org]}\n"
            "  pic:smtp: {host: smtp.asso3.org, security: none, username: u, sender: admin@sub.asso4.org}\n"
        )
        text = text.replace("  pic:mail:", extra + "  pic:mail:", 1)
        text = text.replace("dmarc_reports: dmarc@example.org", "dmarc_reports: dmarc@sub.asso3.org")
    else:  # a host by address with its CPUs, a runtime stopped, one without mysql, the reports at a list domain
        text = text.replace(
            "web1: {role: web, address: web1.example.org,",
            "web1: {role: web, cpus: 2, address: 10.1.2.3, public_addresses: [192.0.2.7],",
        )
        text = text.replace("cpus: 1.0", "cpus: 3.0").replace(
            "dmarc_reports: dmarc@example.org", "dmarc_reports: sympa@listes.asso0.org, mx: mx.asso1.org"
        )
        text = text.replace(
            '"8.4": {debian: trixie, eol: 2028-12-31}',
            '"8.4": {debian: trixie, eol: 2028-12-31, without_extensions: [mysql]}',
        )
        text = text.replace(
            '"8.3": {debian: bookworm, eol: 2027-12-31,', '"8.3": {debian: bookworm, eol: 2027-12-31, stopped: true,'
        )
    (project / f"Pulumi.{kind}.yaml").write_text(text)
    return kind


def _members(directory: Path, settings: Settings) -> list[Member]:
    """The members whose files pass the checks of one file, as load_registry makes them."""
    out = []
    for path in registry.member_files(directory):
        doc, spec, more = registry._parse_member(path, "members")
        if doc is not None and spec is not None and not more:
            slug = path.name.removesuffix(".yaml")
            out.append(Member(slug, doc.file, spec, spec.host or settings.default_host, doc.lines, doc.written))
    return out


@pytest.mark.parametrize("kind", ["prod", "lab", "zones", "cpus"])
def test_cross_checks_of_clashing_members_tell_what_every_name_checked_tells(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = load_settings(tmp_path, _stack(tmp_path, kind))
    told = 0
    for seed in range(8):
        directory = clashing(tmp_path / f"members-{seed}", 10 + 10 * seed, seed, ["8.2", "8.4", "none", "7.4"])
        members = _members(directory, stack)
        fast = cross_checks(members, stack)
        with monkeypatch.context() as slow:
            slow.setattr(crosschecks._Cross, "public_name", _public_name_each_time)
            slow.setattr(crosschecks._Cross, "over_the_platform", _over_the_platform_of_every_name)
            slow.setattr(crosschecks._Cross, "wildcard_grants", _wildcard_grants_of_every_pair)
            slow.setattr(names, "member_grant_covers", _member_grant_covers_by_pattern)
            slow.setattr(names, "member_grant_escaped", _member_grant_escaped_by_pattern)
            slow.setattr(names, "system_schema_covered", _system_schema_covered_by_each)
            assert fast == cross_checks(members, stack), f"seed {seed}"
        told += len(fast)
    assert told > 100, "the registries clash"


def test_the_characters_a_name_is_not_split_for_are_of_latin_or_of_any_script() -> None:
    """validators.mixed_script_words skips a name of the characters below U+0250 and the accents U+0300 to U+0341:
    each is of the Latin script or of any (U+0342 and U+0345 are Greek)."""
    from pic import validators

    latin = [chr(c) for c in [*range(0x250), *range(0x300, 0x342)]]
    assert not [ch for ch in latin if validators._script_set(ch) != {"*"} and "Latn" not in validators._script_set(ch)]
    assert not validators.BEYOND_LATIN.search("".join(latin)) and validators.BEYOND_LATIN.search("\u0345")


# Letters of scripts written without spaces between words: Thai, Lao, Khmer, Myanmar, Chinese.
_SPACELESS = ["กขคงจชซฟมร", "ກຂຄງຈສະໂມ", "កខគងចឆជប", "ကခဂငစဆဇအ", "足球俱乐部会"]


@given(
    st.sampled_from(_SPACELESS).flatmap(lambda letters: st.text(letters, min_size=2, max_size=6)),
    st.text("ABCFKabcéÉ0129", min_size=1, max_size=5).filter(lambda t: not t.isdigit()),
    st.booleans(),
)
def test_a_script_written_without_spaces_beside_latin_is_one_word_of_a_name(run: str, latin: str, first: bool) -> None:
    """ชมรมฟุตบอลFC: a run of a script written without spaces and a run of Latin letters, in either order, is
    how such names are written; with Latin on both sides of a run of Thai, Lao, Khmer or Myanmar, the word mixes
    scripts."""
    from pic import validators

    assert validators.mixed_script_words(run + latin if first else latin + run) == []
    if run[0] not in _SPACELESS[-1]:  # Latin with Han is one writing (UTS #39), whatever the order
        [mixed] = validators.mixed_script_words(latin + run + latin)
        assert mixed.word == latin + run + latin and not mixed.alone


@given(
    st.sampled_from(["Club", "Vélo", "Amis", "Lyon", "Île"]),
    st.sampled_from([*"аоуеіхсрΑΟοαρΕ"]),
    st.sampled_from(["Lyon", "Club", "Saône", "de"]),
)
def test_a_cased_letter_alone_between_words_of_another_script_is_named(before: str, letter: str, after: str) -> None:
    from pic import validators

    [mixed] = validators.mixed_script_words(f"{before} {letter} {after}")
    assert mixed == validators.MixedWord(letter, "Latin", (letter,), alone=True)


@given(
    st.sampled_from(
        ["\u041a\u043b\u0443\u0431", "\u041c\u043e\u0441\u043a\u0432\u0430", "\u0434\u0440\u0443\u0437\u0435\u0439"]
    ),
    st.sampled_from([*"IaAeEoOcCpPxXyBHKMT"]),
    st.sampled_from(["\u041c\u043e\u0441\u043a\u0432\u0430", "\u0433\u043e\u0440\u043e\u0434\u0430"]),
)
def test_a_latin_letter_alone_between_cyrillic_words_it_looks_like_a_letter_of_is_named(
    before: str, letter: str, after: str
) -> None:
    """The converse of the test above: a Latin letter alone among Cyrillic words, each of these looking like a
    Cyrillic letter (confusables.txt maps Latin I and Cyrillic І to one prototype)."""
    from pic import validators

    [mixed] = validators.mixed_script_words(f"{before} {letter} {after}")
    assert mixed == validators.MixedWord(letter, "Cyrillic", (letter,), alone=True)


@given(
    st.sampled_from(
        [
            ("Club", "\u03a9\u03c0\u0394\u03bb\u03a6\u03a8\u0416\u0411\u0414\u0436\u03a3", "Lyon"),
            ("\u041a\u043b\u0443\u0431", "QRZNLFDGW", "\u041c\u043e\u0441\u043a\u0432\u0430"),
        ]
    ).flatmap(lambda case: st.sampled_from([*case[1]]).map(lambda letter: (case[0], letter, case[2])))
)
def test_a_letter_alone_that_looks_like_no_letter_of_the_words_around_it_is_not_named(
    case: tuple[str, str, str],
) -> None:
    """A letter of another cased script than the words around it that looks like none of their letters (a Greek
    letter as a symbol, ``Club Ω Lyon``; a team's letter) is read as what it is."""
    from pic import validators

    before, letter, after = case
    assert validators.mixed_script_words(f"{before} {letter} {after}") == []


@given(
    st.lists(st.sampled_from(["Club", "Lyon", "Vélo", "de", "Amis", "2024"]), min_size=1, max_size=3),
    st.text(
        "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425",
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 3),
)
def test_a_cyrillic_word_that_looks_latin_among_latin_words_is_named(latin: list[str], word: str, at: int) -> None:
    """A word of Cyrillic letters that each look like a Latin one (а, е, о, р, с, у, х; А, В, Е, К...), among
    words of Latin letters (a number with them), is named with its letters, wherever it stands; beside a word
    that looks like no Latin one (Лион), or among no Latin word, it is not."""
    from pic import validators

    if all(w.isdigit() for w in latin):
        latin = [*latin, "Club"]
    words = [*latin[:at], word, *latin[at:]]
    named = validators.mixed_script_words(" ".join(words))
    at = words.index(word)
    if len(word) == 1 and 0 < at < len(words) - 1 and not (words[at - 1].isdigit() or words[at + 1].isdigit()):
        assert [m.alone for m in named] == [True], named  # a letter alone between two words: named as one
        return
    if word in validators._LEGAL_FORMS:  # ООО Web Studio: a legal form's abbreviation, not named
        assert named == [], named
        return
    assert named == [validators.MixedWord(word, "Cyrillic", tuple(dict.fromkeys(word)), look_alike=True)], named
    assert validators.mixed_script_words(" ".join([*words, "\u041b\u0438\u043e\u043d"])) == []
    assert validators.mixed_script_words(f"{word} \u041a\u043b\u0443\u0431") == []


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("\u0391\u0395\u039a FC", False),  # AEK FC: abbreviations in capitals alone
        ("\u03a4\u039f\u03a1 FC", False),  # the trade-off: TOP FC so written passes
        ("\u0391\u0395\u039a F.C. 1924", False),
        ("\u0391\u0395\u039a FC Lyon", True),  # a word among them
        ("\u0391\u0395\u039a ATHENS", True),  # a Latin word of more than four letters: a word, not an abbreviation
        ("\u0391\u0395\u039a Fc", True),  # not in capitals
        ("\u0420\u043e\u0440\u0455 FC", True),  # the look-alike not in capitals
        ("\u0422\u041e\u0420\u0421\u041a FC", True),  # five letters: a word (TOPCK)
    ],
)
def test_a_look_alike_in_capitals_among_abbreviations_in_capitals_alone_is_not_named(name: str, named: bool) -> None:
    """A name made only of abbreviations in capitals of at most four letters (a Greek club's ΑΕΚ beside FC) is
    read letter by letter, not as Latin words: its word of Greek capitals that look Latin is not named. A Latin
    word among them, a longer one, or small letters make it words again."""
    from pic import validators

    found = validators.mixed_script_words(name)
    assert bool(found) == named, found
    assert all(m.look_alike for m in found), found


@given(
    st.text(alphabet=st.sampled_from("aéoÉ-' Lyon\u043e\u0421\u03bf\u65e5\u0391b\u0e01\u0e02F"), max_size=24)
    | st.text(max_size=24)
)
@example("V\u00e9l\u043e-Cit\u00e9 Lyon \u0421lub \u041b\u0438\u043e\u043d Club\u65e5\u672c")
@example("Club \u043e Lyon \u0e01\u0e02FC")
def test_mixed_script_words_shortcut_gives_every_words_verdict(text: str) -> None:
    """validators.mixed_script_words answers a text of Latin letters, accents and the characters of any script
    without asking each word: the words it names are those it names when it asks each word, each with
    characters of another script than the one it names; a word it names mixes scripts, or is a letter alone."""
    import re
    from unittest import mock

    import regex

    from pic import validators

    mixed = validators.mixed_script_words(text)
    with mock.patch.object(validators, "BEYOND_LATIN", re.compile("")):  # every text asked word by word
        assert validators.mixed_script_words(text) == mixed, text
    words = regex.findall(r"[\p{L}\p{M}\p{N}]+", text)
    assert all(m.word in words and (m.alone or m.look_alike or not validators.single_script(m.word)) for m in mixed), (
        text
    )
    assert all(m.others and all(ch in m.word for ch in m.others) for m in mixed), mixed


def test_a_name_the_stack_file_reserves_names_it_in_the_project_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member's domain that the stack file reserves (pic:mail.sympa_domain) names the stack file as pic check
    read it, in --project's directory (was: its bare name, Pulumi.prod.yaml, as if in the working directory)."""
    from pic.cli import main
    from pic.settings import display_path
    from tests.helpers import member, project_copy, write_members

    project = project_copy(tmp_path)
    site = {"php": "8.2", "domains": ["listes.example.org"]}
    members = write_members(tmp_path / "members", {"amis": member(10601, site=site)})
    monkeypatch.chdir(members)
    assert main(["check", "--project", str(project), "--members", str(members)]) == 1
    stack = display_path(project / "Pulumi.prod.yaml")
    assert stack != "Pulumi.prod.yaml", stack
    said = f'site.domains[0]: "listes.example.org" is reserved for {stack} (pic:mail.sympa_domain, the main list'
    assert said in capsys.readouterr().err
