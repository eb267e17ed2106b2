"""Cases created per second through Open311 POST (locate, route, deadline, number, event) under gunicorn.

For each database (SQLite file, then a throwaway PostgreSQL), starts gunicorn on the product plus two
baseline endpoints of the same stack that only insert one row — into an empty one-column table, and one
case row with fixed values (same table and indexes, none of the work) — drives all three with concurrent
client processes in alternating rounds, and prints one JSON line with the rates and the ratios.

    .venv/bin/python bench/intake.py [--requests 3000] [--clients 8] [--workers 3] [--rounds 5] [--db sqlite,postgres]
        [--drop-case-indexes]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import _postgres

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


# An experiment, not the product: how far the share could rise if the case table had no secondary index.
DROP_CASE_INDEXES = (
    "from django.db import connection\n"
    "names = [n for (n,) in connection.cursor().execute(\"SELECT name FROM sqlite_master WHERE type = 'index' \"\n"
    "         \"AND tbl_name = 'cases_case' AND name NOT LIKE 'sqlite_autoindex%'\").fetchall()]\n"
    "for name in names: connection.cursor().execute(f'DROP INDEX \"{name}\"')\n"
)


def prepare(env: dict, drop_case_indexes: bool = False) -> list[dict]:
    """Migrate, load the demo district (no history), make a key and the baseline table; return payloads."""
    code = (
        "import django, json, random; django.setup()\n"
        "from django.core.management import call_command; from django.db import connection\n"
        "call_command('migrate', verbosity=0); call_command('seed_demo', history_days=0, verbosity=0)\n"
        "from civicgrid.open311.models import ApiKey; ApiKey.objects.get_or_create(key='bench', defaults={'name': 'bench'})\n"
        "from civicgrid.territory.models import Region; from civicgrid.cases.models import CaseClass\n"
        "pk = 'INTEGER PRIMARY KEY AUTOINCREMENT' if connection.vendor == 'sqlite' else 'SERIAL PRIMARY KEY'\n"
        "connection.cursor().execute(f'CREATE TABLE IF NOT EXISTS bench_baseline (id {pk}, payload TEXT)')\n"
        "rng = random.Random(1); grids = list(Region.objects.grids())\n"
        "codes = list(CaseClass.objects.values_list('code', flat=True))\n"
        "out = []\n"
        "for _ in range(500):\n"
        "    p = rng.choice(grids).geometry.representative_point()\n"
        "    out.append({'api_key': 'bench', 'service_code': rng.choice(codes), 'lat': round(p.y + rng.uniform(-1e-4, 1e-4), 7),\n"
        "                'long': round(p.x + rng.uniform(-1e-4, 1e-4), 7), 'description': '基准测试上报'})\n"
        + (DROP_CASE_INDEXES if drop_case_indexes else "")
        + "print(json.dumps(out))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def gunicorn(env: dict, workers: int):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--pythonpath", f"{ROOT / 'bench'},{ROOT}", "-w", str(workers), "-b",
         f"127.0.0.1:{port}", "--log-level", "warning", "intake_wsgi:application"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def _client(args) -> tuple[int, int]:
    port, path, payloads, count = args
    ok = failed = 0
    for i in range(count):
        body = urllib.parse.urlencode(payloads[i % len(payloads)])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        connection.close()
        ok, failed = (ok + 1, failed) if response.status == 201 else (ok, failed + 1)
    return ok, failed


def drive(port: int, paths: dict[str, str], payloads: list[dict], total: int, clients: int, rounds: int) -> dict:
    """Drive each endpoint in turn, `rounds` times, so a machine whose speed drifts (shared cores) favours none."""
    per_client = total // clients // rounds
    random.Random(2).shuffle(payloads)
    created = dict.fromkeys(paths, 0)
    failed = dict.fromkeys(paths, 0)
    seconds = dict.fromkeys(paths, 0.0)
    with multiprocessing.Pool(clients) as pool:
        for path in paths.values():  # warm-up: every worker builds its index and caches
            pool.map(_client, [(port, path, payloads, 5)] * clients)
        for _ in range(rounds):
            for name, path in paths.items():
                started = time.perf_counter()
                results = pool.map(_client, [(port, path, payloads, per_client)] * clients)
                seconds[name] += time.perf_counter() - started
                created[name] += sum(r[0] for r in results)
                failed[name] += sum(r[1] for r in results)
    return {name: {"requests": per_client * clients * rounds, "created": created[name], "failed": failed[name],
                   "per_s": round(created[name] / seconds[name], 1)} for name in paths}


def measure(database_url: str | None, args) -> dict:
    var = tempfile.mkdtemp(prefix="civicgrid-intake-")
    # Production settings over plain HTTP on the loopback, as behind the TLS-terminating proxy of deploy/nginx
    # (without SECURE_SSL_REDIRECT=false every POST would be answered with a redirect to https).
    env = {**os.environ, "VAR_DIR": var, "DEBUG": "false", "SECRET_KEY": "bench-" * 10,
           "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
           "ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "intake_settings",
           "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}", "LOCATOR_VERSION_CHECK_SECONDS": "5"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    payloads = prepare(env, drop_case_indexes=args.drop_case_indexes and not database_url)
    paths = {"open311": "/open311/v2/requests.json", "baseline": "/bench/baseline/",
             "baseline_case_row": "/bench/baseline-case/"}
    with gunicorn(env, args.workers) as port:
        out = drive(port, paths, payloads, args.requests, args.clients, args.rounds)
    rate = out["open311"]["per_s"]
    if not (rate and out["baseline"]["per_s"] and out["baseline_case_row"]["per_s"]):
        raise SystemExit(f"an endpoint created nothing (is the server answering 201?): {json.dumps(out)}")
    return {**out, "share_of_baseline": round(rate / out["baseline"]["per_s"], 3),
            "share_of_case_row_baseline": round(rate / out["baseline_case_row"]["per_s"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--drop-case-indexes", action="store_true",
                        help="SQLite only, an experiment: drop the case table's secondary indexes before measuring")
    args = parser.parse_args()
    out = {"bench": "intake", "workers": args.workers, "clients": args.clients, "rounds": args.rounds}
    for db in args.db.split(","):
        if db == "sqlite":
            out["sqlite"] = measure(None, args)
        elif db == "postgres":
            with _postgres.server() as url:
                out["postgres"] = measure(url, args)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
