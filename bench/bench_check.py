"""Benchmark: `pic check` on a generated registry of 5,000 members (target: well under 2 s on one core).

Prints, for the same generated registry and side by side:
- `pic check` as an admin runs it (a new process: interpreter start, imports, load, checks);
- the baseline: a process that only parses the same files with libyaml (no validation);
- the ratio of the two, i.e. what validation costs on top of reading the files.
Each is run several times pinned to one core (taskset when available); the median is reported.

    .venv/bin/python bench/bench_check.py [--members 5000] [--runs 5]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

ROOT = Path(__file__).resolve().parent.parent


def key(n: int) -> str:
    """A distinct ed25519 public key per member (the registry refuses one key for two members)."""
    seed = hashlib.sha256(f"pic bench key {n}".encode()).digest()
    public = ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key()
    text = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    return f"{text} bench@pc"


RUNTIMES = ["8.3", "8.4", "8.5", "none"]

BASELINE = """
import sys, yaml
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
for p in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def generate(directory: Path, count: int) -> None:
    for i in range(count):
        slug = f"asso-{i:05d}"
        lines = [
            f'name: "Association numéro {i}"',
            "contact:",
            f"  name: Contact {i}",
            f"  email: contact{i}@asso-{i}.org",
            f"uid: {10000 + i}",
            f"status: {'active' if i % 10 else 'suspended'}",
            "site:",
            "  domains:",
            f"    - asso-{i}.org",
            f"    - www.asso-{i}.org",
            f'  php: "{RUNTIMES[i % len(RUNTIMES)]}"',
            "access:",
            "  sftp_keys:",
            f"    - {key(i)}",
            f"  ssh: {'true' if i % 7 == 0 else 'false'}",
            "databases: [main, wiki]" if i % 3 == 0 else "databases: [main]",
        ]
        if i % 5 == 0:
            lines += ["lists:", f"  domain: listes.asso-{i}.org", "  dmarc: quarantine"]
        (directory / f"{slug}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(cmd: list[str], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    with tempfile.TemporaryDirectory() as tmp:
        members = Path(tmp)
        generate(members, args.members)
        check_cmd = [*pin, sys.executable, "-m", "pic", "check", "--members", str(members), "--on", "2026-11-28"]
        base_cmd = [*pin, sys.executable, "-c", BASELINE, str(members)]
        check_median, check_all = timed(check_cmd, args.runs)
        base_median, base_all = timed(base_cmd, args.runs)
    print(
        f"registry: {args.members} generated members, {args.runs} runs each, "
        f"{'pinned to one core' if pin else 'not pinned (no taskset)'}"
    )
    print(f"{'what':<34}{'median s':>10}{'min s':>9}{'max s':>9}")
    print(f"{'pic check (whole command)':<34}{check_median:>10.3f}{min(check_all):>9.3f}{max(check_all):>9.3f}")
    print(f"{'baseline: libyaml parse only':<34}{base_median:>10.3f}{min(base_all):>9.3f}{max(base_all):>9.3f}")
    print(f"ratio pic check / baseline: {check_median / base_median:.2f}")
    print(
        f"per member: {check_median / args.members * 1e6:.0f} µs; target for 5,000: < 2 s "
        f"({'met' if check_median < 2 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
