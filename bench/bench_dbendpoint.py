"""Cost of the web hosts' database endpoint (pic/dbendpoint.py) against a direct TLS connection.

Starts a real MariaDB on 127.0.0.1 (TLS on, the platform's server settings, a member account
REQUIRE SSL) and the endpoint as installed (Debian's python3 running the file), then times with
PHP's mysqli, side by side and in alternation:

- baseline: mysqli straight to MariaDB with TLS and the certificate verified (``ssl_set`` +
  ``MYSQLI_CLIENT_SSL``: what an application would need TLS code for);
- endpoint: mysqli in plain to the endpoint, which opens the verified TLS connection.

Two workloads: connect + ``SELECT 1`` + close (per connection), and one query returning a
10 MB result (100 rows of 100 kB). Prints the median of each and the ratio endpoint / baseline.

Run as root (mariadbd runs with --user=root):  .venv/bin/python bench/bench_dbendpoint.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pic.render import db as rdb
from tests.mariadb_server import BACKUP_PASSWORD, LOOPBACK, cleanup, make_member, start_endpoint, start_mariadb

PHP = r"""<?php
[$_, $host, $port, $user, $password, $database, $ca, $mode, $n] = $argv;
function connect() {
    global $host, $port, $user, $password, $database, $ca;
    $m = mysqli_init();
    if ($ca !== '-') {
        $m->ssl_set(null, null, $ca, null, null);
        $m->options(MYSQLI_OPT_SSL_VERIFY_SERVER_CERT, true);
        $m->real_connect($host, $user, $password, $database, (int) $port, null, MYSQLI_CLIENT_SSL);
    } else {
        $m->real_connect($host, $user, $password, $database, (int) $port);
    }
    return $m;
}
$times = [];
if ($mode === 'connect') {
    for ($i = 0; $i < (int) $n; $i++) {
        $t = hrtime(true);
        $m = connect();
        $m->query('SELECT 1')->fetch_row();
        $m->close();
        $times[] = (hrtime(true) - $t) / 1e6;
    }
} else {
    $m = connect();
    for ($i = 0; $i < (int) $n; $i++) {
        $t = hrtime(true);
        $bytes = 0;
        foreach ($m->query('SELECT v FROM big') as $row) { $bytes += strlen($row['v']); }
        $times[] = (hrtime(true) - $t) / 1e6;
        if ($bytes !== 10000000) { fwrite(STDERR, "got $bytes bytes\n"); exit(1); }
    }
}
echo json_encode($times);
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--queries", type=int, default=5)
    a = parser.parse_args()
    server = start_mariadb()
    endpoint = None
    try:
        server.root_sql(rdb.backup_account_sql(LOOPBACK, BACKUP_PASSWORD))
        base = Path(tempfile.mkdtemp(dir=server.base))
        m = make_member(server, base, "asso-bench", 24001)
        password = f"pw-{m.database}"
        server.root_sql(
            "CREATE TABLE big (v LONGBLOB); INSERT INTO big SELECT REPEAT('x', 100000) FROM seq_1_to_100;",
            database=m.database,
        )
        endpoint = start_endpoint(server, base / "endpoint.log")
        script = base / "bench.php"
        script.write_text(PHP)
        targets = {
            "direct TLS": ("127.0.0.1", server.port, server.ca),
            "endpoint": (endpoint.host, endpoint.port, "-"),
        }
        for mode, n, unit in (
            ("connect", a.connections, "ms per connection"),
            ("result", a.queries, "ms per 10 MB result"),
        ):
            samples: dict[str, list[float]] = {k: [] for k in targets}
            for _ in range(a.rounds):
                for name, (host, port, ca) in targets.items():
                    done = subprocess.run(
                        ["php", str(script), host, str(port), m.database, password, m.database, ca, mode, str(n)],
                        capture_output=True, text=True, check=True,
                    )  # fmt: skip
                    samples[name] += json.loads(done.stdout)
            medians = {k: statistics.median(v) for k, v in samples.items()}
            for name, value in medians.items():
                print(f"{mode:8} {name:11} {value:8.2f} {unit} (median of {len(samples[name])})")
            print(f"{mode:8} ratio endpoint / direct TLS: {medians['endpoint'] / medians['direct TLS']:.2f}")
    finally:
        if endpoint is not None:
            endpoint.stop()
        cleanup(server)


if __name__ == "__main__":
    main()
