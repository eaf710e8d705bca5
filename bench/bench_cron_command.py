"""The cost of reading one member's cron command (``pic.cron.check_command``: quotes, bash's forms, grammar).

The corpus: the commands of tests/test_render_cron.py (as the applications' documentation writes them, and the
ones refused as never closed, of bash's, or as syntax errors), and commands built from its pieces of sh with a
fixed seed, a few hundred in all. Prints the CPU time per command, in microseconds: the least of several runs
(the others are the same work slowed by what else the machine runs), beside the baseline measured in the same
run: the standard library's reading of the same commands as sh words (``shlex.split``, which checks quotes only),
and their ratio.

    .venv/bin/python bench/bench_cron_command.py [--runs 7]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import random
import shlex
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pic import cron  # noqa: E402
from tests import test_render_cron as corpus  # noqa: E402


def commands(generated: int = 300) -> list[str]:
    """The corpus's commands, written ones first, then ``generated`` built from its pieces."""
    written = [*corpus.DOCUMENTED]
    written += [str(case[0]) for case in (*corpus.NEVER_CLOSED, *corpus.BASH_ONLY, *corpus.SYNTAX_ERRORS)]
    rng = random.Random(20261128)
    pieces = [*corpus.SYNTAX_PIECES, *corpus.SH_PIECES]
    built = ["echo " + rng.choice([" ", ";"]).join(rng.choices(pieces, k=rng.randint(1, 9))) for _ in range(generated)]
    return written + built


def check_all(texts: list[str]) -> None:
    for text in texts:
        with contextlib.suppress(ValueError):
            cron.check_command(text)


def split_all(texts: list[str]) -> None:
    for text in texts:
        with contextlib.suppress(ValueError):
            shlex.split(text)


def per_command(check: Callable[[list[str]], None], part: list[str], runs: int) -> float:
    """Microseconds of CPU time per command of ``part`` for ``check`` (least of ``runs``)."""
    times = timeit.repeat(functools.partial(check, part), number=20, repeat=runs, timer=time.process_time)
    return min(times) / 20 / len(part) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    texts = commands()
    written = len(texts) - 300
    for label, part in (("written", texts[:written]), ("built", texts[written:]), ("all", texts)):
        per, base = per_command(check_all, part, args.runs), per_command(split_all, part, args.runs)
        print(
            f"{label:8} {len(part):4d} commands: {per:7.1f} us per command, baseline shlex.split {base:6.1f} us, "
            f"ratio {per / base:5.2f} (least of {args.runs} runs)"
        )


if __name__ == "__main__":
    main()
