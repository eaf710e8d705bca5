"""How the front proxy's configuration scales with the number of members.

For registries of 50 (the baseline, about today's size), 500 and 2000
generated members on one web host: the time to render the Caddyfile and the
time `caddy validate` takes to read it (loading each member's certificate
files, generated beforehand), each as a ratio to the baseline.
Run: .venv/bin/python bench/bench_render_web.py
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pic.check import check  # noqa: E402
from pic.registry import Member, MemberSpec  # noqa: E402
from pic.render import web  # noqa: E402
from tests.tlsutil import make_ca, write_member_cert  # noqa: E402

ON = dt.date(2026, 11, 28)
SIZES = (50, 500, 2000)


def members(count: int) -> list[Member]:
    out = []
    for i in range(count):
        slug = f"member-{i:05d}"
        spec = MemberSpec.model_validate(
            {
                "name": slug,
                "contact": {"name": "Bench", "email": "bench@example.org"},
                "uid": 10000 + i,
                "site": {"domains": [f"{slug}.org", f"www.{slug}.org"], "php": "8.4"},
            }
        )
        out.append(Member(slug, f"members/{slug}.yaml", spec, "web1"))
    return out


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    settings = check(ROOT, "prod", ROOT / "members", ON).settings
    caddy = shutil.which("caddy")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "HOME": tmp, "XDG_DATA_HOME": tmp, "XDG_CONFIG_HOME": tmp}
        certs = Path(tmp) / "certs"
        ca = make_ca("bench CA")
        for m in members(max(SIZES)):
            write_member_cert(ca, certs, m.slug, [f"{m.slug}.org", f"www.{m.slug}.org"])
        for size in SIZES:
            regs = members(size)
            render = functools.partial(web.render_caddyfile, settings, regs, on=ON, certs_dir=str(certs))
            render_s = best_of(5, render)
            path = Path(tmp) / f"Caddyfile-{size}"
            path.write_text(render())
            validate_s = float("nan")
            if caddy:
                cmd = [caddy, "validate", "--config", str(path), "--adapter", "caddyfile"]
                validate_s = best_of(
                    3, functools.partial(subprocess.run, cmd, env=env, capture_output=True, check=True)
                )
            rows.append((size, render_s, validate_s))
    base_render, base_validate = rows[0][1], rows[0][2]
    print(f"{'members':>8} {'render ms':>10} {'ratio':>6} {'caddy validate ms':>18} {'ratio':>6}")
    for size, render_s, validate_s in rows:
        print(
            f"{size:>8} {render_s * 1000:>10.2f} {render_s / base_render:>6.1f} "
            f"{validate_s * 1000:>18.1f} {validate_s / base_validate:>6.1f}"
        )
    if not caddy:
        print("caddy is not installed: validate times not measured")


if __name__ == "__main__":
    main()
