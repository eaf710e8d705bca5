"""The shortcuts of the checks made once every member file is read give the verdicts of the full checks.

- ``member_grant_covers`` answering from the prefix alone where the pattern's ``_`` cannot be wildcards,
  ``member_grant_escaped`` and ``system_schema_covered`` asking the pattern only of a long prefix,
  against the pattern matched character by character.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from pic import names

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
