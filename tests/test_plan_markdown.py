"""pic plan --format markdown: every value from outside the program (the revision as given, a member's files, a
setting, an input's value, a file's contents) is shown in the pull request's comment as it is, and read as nothing
else: no HTML, no link or emphasis, no heading, table cell, code span or code block ended by it."""

from __future__ import annotations

import re
from pathlib import Path

from pic.plan.diff import diff
from pic.plan.markdown import cell, code, fenced, prose, text
from pic.plan.model import Attribution
from pic.plan.output import as_markdown
from tests.test_plan import git, rendering, res
from tests.test_plan_changes import commit, plan, two_hosts  # noqa: F401 (a fixture)

HOSTILE = "<img src=x onerror=alert(1)>"
# The HTML the plan writes itself: the members' collapsible blocks.
OWN_HTML = re.compile(r"</?(?:details|summary|b)>")


def _outside_code(markdown: str) -> str:
    """``markdown`` without its fenced code blocks and code spans (found as CommonMark finds them), whose text is
    shown as it is; and without the plan's own HTML."""
    kept, fence = [], ""
    for line in markdown.splitlines():
        m = re.match(r" {0,3}(`{3,})", line)
        if fence:
            if m is not None and len(m.group(1)) >= len(fence) and line.strip() == m.group(1):
                fence = ""
            continue
        if m is not None:
            fence = m.group(1)
            continue
        kept.append(line)
    assert not fence, f"a code block left open: {markdown[-2000:]}"
    out = []
    for line in kept:
        pos, at, parts = 0, 0, []
        while (opening := re.compile(r"(?<!\\)`+").search(line, at)) is not None:
            closing = next((c for c in re.finditer(r"`+", line[opening.end() :]) if c.group() == opening.group()), None)
            if closing is None:
                at = opening.end()
                continue
            parts.append(line[pos : opening.start()])
            pos = at = opening.end() + closing.end()
        parts.append(line[pos:])
        out.append("".join(parts))
    return OWN_HTML.sub("", "\n".join(out))


def _unescaped(markdown: str) -> list[str]:
    """The lines of ``markdown`` outside code that may hold HTML or an entity (``<``, ``&`` not escaped by a
    backslash), and the rows of its tables with more or fewer cells than their header."""
    pattern = re.compile(r"(?<!\\)(?:\\\\)*[<&]")
    lines = _outside_code(markdown).splitlines()
    wrong = [line for line in lines if pattern.search(line)]
    cells = 0
    for line in lines:
        if not line.startswith("|"):
            cells = 0
            continue
        n = len(re.findall(r"(?<!\\)(?:\\\\)*\|", line))
        cells = cells or n
        if n != cells:
            wrong.append(line)
    return wrong


def test_a_value_is_one_code_span_on_one_line_whatever_it_holds() -> None:
    assert code("HEAD~1") == "`HEAD~1`"
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"
    # A blank line would end the span and the paragraph: what follows would be Markdown, HTML included.
    assert code(f"x\n\n{HOSTILE}") == f"`x\\n\\n{HOSTILE}`"
    assert code("a\rb\tc\x00") == "`a\\rb\\tc\\u0000`"


def test_a_value_in_text_is_read_as_text() -> None:
    assert text(HOSTILE) == r"\<img src=x onerror=alert(1)>"
    assert text("*a* _b_ [c](d) &amp; ~~e~~ `f`") == r"\*a\* \_b\_ \[c\](d) \&amp; \~\~e\~\~ \`f\`"
    assert text("pic:mail.dkim_selector a -> b") == "pic:mail.dkim_selector a -> b"  # opens nothing
    assert text("# not a heading") == r"\# not a heading"
    assert text("1. not a list") == r"1\. not a list"
    assert text("velo-cite") == "velo-cite"  # a slug as it is
    assert "\n" not in text("a\n\n# b")


def test_prose_keeps_its_code_spans_and_escapes_the_rest() -> None:
    said = f"run `pulumi up` then `rsync -aHAX <old>/x/ <new>/x/`, for {HOSTILE} and *b*"
    assert prose(said) == (
        r"run `pulumi up` then `rsync -aHAX <old>/x/ <new>/x/`, for \<img src=x onerror=alert(1)> and \*b\*"
    )
    # A backtick without its pair is text, as CommonMark reads it: what follows it is escaped.
    assert prose(f"a ` {HOSTILE}") == r"a \` \<img src=x onerror=alert(1)>"
    assert prose("a\n\n<b>") == r"a\\n\\n\<b>"  # shown as a\n\n<b>, on one line


def test_a_table_cell_holds_its_pipes() -> None:
    assert cell(code("a|b")) == r"`a\|b`"
    assert cell(text("a|b")) == r"a\|b"
    assert cell(r"a\|b") == r"a\|b"  # escaped once


def test_a_code_block_is_closed_by_no_line_of_it() -> None:
    block = fenced(["x", "```", "````", "</details>", "a\rb"], "diff")
    assert block[0] == "`````diff" and block[-1] == "`````", block
    assert block[1:-1] == ["x", "```", "````", "</details>", "a\\rb"]
    assert fenced(["x"]) == ["```", "x", "```"]


def test_the_revisions_name_is_a_code_span_in_the_title(two_hosts: Path) -> None:  # noqa: F811
    """``--against`` takes any revision git names: a branch may be named as HTML, with backticks and pipes, and
    git's ``:/<text>`` any text. The title wrote it as it came (a branch ``<img-src=x-onerror=alert(1)>`` was an
    image in the pull request's comment)."""
    repo = two_hosts
    (repo / "README.note").write_text("x\n", encoding="utf-8")
    commit(repo, "a note")
    branch = "<img-src=x-onerror=alert(1)>`|_a_"
    git(repo, "branch", branch, "HEAD~1")
    for rev in (branch, ":/two web hosts"):
        proc = plan(repo, "--format", "markdown", rev=rev)
        assert proc.returncode == 0, proc.stderr[-3000:]
        title = proc.stdout.splitlines()[0]
        assert title.startswith(f"### pic plan: stack prod, against {code(rev)} ("), title
        assert _unescaped(proc.stdout) == [], proc.stdout[:3000]


def test_values_from_outside_are_escaped_or_fenced_in_every_section() -> None:
    """What the revision's files hold (a file the rules cannot read, named with its value), a resource's inputs and
    a script's text reach the comment escaped or in a code block that no line of theirs closes."""
    script = f"#!/bin/sh\n```\n{HOSTILE}\n</details>\n"
    old = rendering(res("command:remote:Command", "web1-x", {"create": "true", "stdin": "a\n"}))
    new = rendering(
        res("command:remote:Command", "web1-x", {"create": "true", "stdin": script}),
        res("command:remote:Command", "web1-y", {"create": f"echo '{HOSTILE}'", "stdin": script}),
    )
    unread = (f"members/x.yaml: line 3: name: '{HOSTILE} | *a*' is not a string",)
    attr_old = Attribution(old, None, None, unread=unread)
    md = as_markdown(new, Attribution(new, None, None), title="t", changes=diff(old, new), attr_old=attr_old)
    assert HOSTILE in md  # shown, in code
    assert _unescaped(md) == [], md
    assert r"- members/x.yaml: line 3: name: '\<img src=x onerror=alert(1)> | \*a\*' is not a string" in md, md
