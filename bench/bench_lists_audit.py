"""How long `pic lists audit` takes on large exports, against reading them only (the baseline).

Prints, for exports of growing size: addresses, seconds to read, seconds to read and audit,
the ratio, and addresses audited per second. Run: .venv/bin/python bench/bench_lists_audit.py
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from pic import lists_audit

DOMAINS = ["gmail.com", "free.fr", "orange.fr", "laposte.net", "yahoo.fr", "hotmail.fr", "sfr.fr", "wanadoo.fr"]
DEAD = ["gmail.fr", "voila.fr", "hotmial.com"]


def export(path: Path, n: int, rng: random.Random) -> None:
    """A Sympa dump of n subscribers, 1 % of them at dead domains."""
    lines = []
    for i in range(n):
        domain = rng.choice(DEAD) if rng.random() < 0.01 else rng.choice(DOMAINS)
        lines += [f"email user{i}.{rng.randrange(10**6)}@{domain}", f"gecos User {i}", "reception mail", ""]
    path.write_text("\n".join(lines))


def best_of(runs: int, fn: object) -> float:
    assert callable(fn)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = random.Random(42)
    domains = lists_audit.load_domains()
    print(f"{'addresses':>10} {'read s':>8} {'audit s':>8} {'ratio':>6} {'addr/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 10_000, 50_000):
            path = Path(tmp) / f"{n}.dump"
            export(path, n, rng)
            read = best_of(3, lambda p=path: lists_audit.read_export(p))
            full = best_of(3, lambda p=path: lists_audit.audit(lists_audit.read_export(p), domains))
            print(f"{n:>10} {read:>8.3f} {full:>8.3f} {full / read:>6.1f} {n / full:>9.0f}")


if __name__ == "__main__":
    main()
