"""A throwaway PostgreSQL server for benchmarks (initdb into a temporary directory, a free local port)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile


def _bin(name: str) -> str:
    """The server binary itself (Debian's /usr/bin wrappers pick the program from their own name)."""
    found = (sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [None])[-1] or shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: install PostgreSQL")
    return found


@contextlib.contextmanager
def server():
    """Yield a DATABASE_URL for a fresh database; the server and its files are removed afterwards."""
    data = tempfile.mkdtemp(prefix="civicgrid-bench-pg-")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(data, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = lambda *cmd: subprocess.run([*as_postgres, *cmd], check=True, capture_output=True)  # noqa: E731
    run(_bin("initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
    run(_bin("pg_ctl"), "-D", data, "-w", "-l", f"{data}/server.log", "-o",
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200", "start")
    try:
        run(_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "civicgrid")
        yield f"postgres://postgres@127.0.0.1:{port}/civicgrid"
    finally:
        subprocess.run([*as_postgres, _bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)
