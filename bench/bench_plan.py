"""Benchmark: ``pic plan --against REV`` against ``pic plan`` alone, side by side, on the examples.

A throw-away git repository holds this project (program, components, pic package, stack files,
members) with two commits: the examples, then one member change (a PHP version). In fresh
processes, as a reviewer runs them:
- baseline: ``pic plan`` (checks, then the program of the working tree under mocks);
- against: ``pic plan --against HEAD~1`` (the same, plus the program of HEAD~1 in a second process
  at the same time, and the diff).

Printed: the median wall time of each over ``--runs`` runs and the ratio against / baseline
(target: at most 1.2 on a machine with two free cores), the median CPU time (user + system of
the processes) of each, and the load average meanwhile: on a busy machine the second process
waits for a core and the wall ratio tends to the CPU ratio.

    .venv/bin/python bench/bench_plan.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.org"}
GIT_ENV |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.org"}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def make_repo(where: Path) -> Path:
    repo = where / "project"
    repo.mkdir()
    for name in ("__main__.py", "Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.dev.yaml", "pyproject.toml"):
        shutil.copy(ROOT / name, repo / name)
    for name in ("members", "components", "pic", "schema"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "examples")
    path = repo / "members" / "amis-du-rhone.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('php: "8.3"', 'php: "8.4"'), encoding="utf-8")
    _git(repo, "commit", "-qam", "a PHP version change")
    return repo


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(repo: Path, *args: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its subprocesses)."""
    cpu, start = _cpu(), time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pic", "plan", *args], cwd=repo, capture_output=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 3, 4):
        raise SystemExit(f"pic plan {' '.join(args)} failed:\n{proc.stderr.decode()[-2000:]}")
    return wall, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"# pic plan benchmark: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cpus"
    )
    with tempfile.TemporaryDirectory(prefix="pic-bench-plan-") as tmp:
        repo = make_repo(Path(tmp))
        timed(repo)  # warm the file cache and the bytecode of both revisions
        timed(repo, "--against", "HEAD~1")
        base, against = [], []
        load = os.getloadavg()[0]
        for _ in range(args.runs):  # interleaved, so that both see the same machine
            base.append(timed(repo))
            against.append(timed(repo, "--against", "HEAD~1"))
        load = max(load, os.getloadavg()[0])
    b, a = statistics.median(w for w, _ in base), statistics.median(w for w, _ in against)
    bc, ac = statistics.median(c for _, c in base), statistics.median(c for _, c in against)
    print(f"{'runs':>4} | {'pic plan s':>10} | {'--against s':>11} | {'ratio':>5} | {'cpu s':>5} | {'cpu s':>5} | load")
    print(f"{args.runs:>4} | {b:>10.2f} | {a:>11.2f} | {a / b:>5.2f} | {bc:>5.2f} | {ac:>5.2f} | {load:.1f}")


if __name__ == "__main__":
    main()
