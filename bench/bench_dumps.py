"""Wall time of the nightly dump job against a plain sequential mariadb-dump of the same databases.

Starts a real MariaDB on 127.0.0.1 (TLS on, the platform's server settings), creates N member
databases of about M MB each, then times, side by side and in alternation:

- baseline: ``mariadb-dump --single-transaction DB > DB.sql`` for each database, one after the
  other, uncompressed, with the same backup account over the same TLS connection (and, for
  reference, the same piped through ``gzip -3``: the cost of compression alone);
- the job: ``pic-db-dump`` as installed on a web host (``--single-transaction``, zstd -1,
  written as each member's uid, checked on the way, renamed, pruned, state and report), with
  ``--jobs`` databases at a time, once with one at a time, and once with gzip -1 (the
  ``pic:backup.compression: gzip`` choice) to state the trade-off.

Run as root (the job writes as the members' uids):  .venv/bin/python bench/bench_dumps.py
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pic.render import db as rdb
from tests.mariadb_server import (
    BACKUP_PASSWORD,
    LOOPBACK,
    MariaDB,
    Platform,
    cleanup,
    make_member,
    start_mariadb,
)

ROW_BYTES = 330


def fill(server: MariaDB, database: str, mb: float) -> None:
    rows = int(mb * 1024 * 1024 / ROW_BYTES)
    server.root_sql(
        f"""
        CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(120), body TEXT, at DATETIME) ENGINE=InnoDB;
        INSERT INTO posts SELECT seq, CONCAT('Article ', seq, ' — ', LEFT(MD5(seq), 12)),
               CONCAT_WS(' ', SHA2(seq, 256), MD5(seq * 7), 'Lorem ipsum dolor sit amet, consectetur',
                         LEFT(SHA2(seq * 13, 512), 1 + seq % 100), 'adipiscing elit, sed do eiusmod tempor'),
               '2026-01-01' + INTERVAL seq MINUTE
          FROM seq_1_to_{rows};
        CREATE TABLE comments (id INT PRIMARY KEY, post INT, author VARCHAR(60), body TEXT, KEY (post)) ENGINE=InnoDB;
        INSERT INTO comments SELECT seq, 1 + seq % {rows}, CONCAT('user', seq % 997), REPEAT(MD5(seq), 2)
          FROM seq_1_to_{rows // 4};
        """,
        database=database,
    )


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def baseline(platform: Platform, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    start = time.perf_counter()
    for m in platform.members:
        with (out / f"{m.database}.sql").open("wb") as f:
            subprocess.run(
                ["mariadb-dump", f"--defaults-extra-file={platform.base / 'backup.cnf'}", "--single-transaction",
                 m.database],
                stdout=f, check=True,
            )  # fmt: skip
    return time.perf_counter() - start


def baseline_gzip(platform: Platform, out: Path) -> float:
    """The same, each dump piped through gzip -3 as the job does: what compression alone costs."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    start = time.perf_counter()
    for m in platform.members:
        subprocess.run(
            f"mariadb-dump --defaults-extra-file={platform.base / 'backup.cnf'} --single-transaction {m.database}"
            f" | gzip -3 > {out / m.database}.sql.gz",
            shell=True, check=True, executable="/bin/bash",
        )  # fmt: skip
    return time.perf_counter() - start


def job(platform: Platform, jobs: int, compression: str = "zstd") -> float:
    for m in platform.members:
        for f in m.dumps.iterdir():
            f.unlink()
    platform.write_job(compression=compression)
    conf = platform.conf.read_text()
    platform.conf.write_text(
        "".join(f"JOBS={jobs}\n" if line.startswith("JOBS=") else line + "\n" for line in conf.splitlines())
    )
    start = time.perf_counter()
    done = platform.dump()
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the dump job failed:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", type=int, default=50)
    parser.add_argument("--mb", type=float, default=3.0, help="approximate data per database")
    parser.add_argument("--jobs", type=int, default=2, help="databases dumped at a time (pic:db.dump_jobs)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    server = start_mariadb(buffer_pool="1G")
    try:
        server.root_sql(rdb.backup_account_sql(LOOPBACK, BACKUP_PASSWORD))
        server.root_sql("GRANT SELECT ON mysql.proc TO 'pic_backup'@'127.0.0.1';")
        base = server.base / "web1"
        (base / "members").mkdir(parents=True)
        for d in (base, base / "members"):
            d.chmod(0o755)
        print(f"creating {args.databases} databases of ~{args.mb} MB ...", flush=True)
        members = [make_member(server, base, f"member-{i:03d}", 30000 + i) for i in range(args.databases)]
        for m in members:
            fill(server, m.database, args.mb)
        platform = Platform(server, base, members)
        platform.write_job()
        data = int(
            server.root_sql(
                "SELECT SUM(data_length + index_length) FROM information_schema.tables "
                "WHERE table_schema LIKE 'member\\_%'"
            )
        )
        out = server.base / "baseline"
        baseline(platform, out)  # warm-up: buffer pool and page cache
        runs: dict[int, list[float]] = {0: [], -1: [], args.jobs: [], 1: []}  # 0: baseline, -1: with gzip
        gzip_runs: list[float] = []

        def job_size(ext: str) -> int:  # the dumps, without their -latest link
            return sum(du(m.dumps) for m in members) - sum(
                (m.dumps / f"{m.database}-latest.sql.{ext}").stat().st_size for m in members
            )

        for _ in range(args.rounds):
            runs[0].append(baseline(platform, out))
            runs[-1].append(baseline_gzip(platform, server.base / "baseline-gz"))
            gzip_runs.append(job(platform, args.jobs, "gzip"))
            gzip_out = job_size("gz")
            if args.jobs != 1:
                runs[1].append(job(platform, 1))
            runs[args.jobs].append(job(platform, args.jobs))
        job_out = job_size("zst")
        base_time = min(runs[0])
        print(
            f"\n{args.databases} databases, {data / 2**20:.0f} MB of tables (InnoDB data + indexes), "
            f"best of {args.rounds} rounds"
        )
        print(f"{'run':<34} {'wall s':>8} {'output MB':>10} {'ratio':>7}")
        print(f"{'plain sequential mariadb-dump':<34} {base_time:>8.2f} {du(out) / 2**20:>10.1f} {1:>7.2f}")
        gz = min(runs[-1])
        gz_size = du(server.base / "baseline-gz") / 2**20
        print(f"{'plain sequential, | gzip -3':<34} {gz:>8.2f} {gz_size:>10.1f} {gz / base_time:>7.2f}")
        for jobs in sorted(j for j in runs if j > 0):
            t = min(runs[jobs])
            name = f"pic-db-dump, {jobs} at a time"
            print(f"{name:<34} {t:>8.2f} {job_out / 2**20:>10.1f} {t / base_time:>7.2f}")
        t = min(gzip_runs)
        name = f"pic-db-dump gzip -1, {args.jobs} at a time"
        print(f"{name:<34} {t:>8.2f} {gzip_out / 2**20:>10.1f} {t / base_time:>7.2f}")
        print("\nratio = job wall time / plain sequential mariadb-dump wall time (lower is faster)")
    finally:
        cleanup(server)


if __name__ == "__main__":
    main()
