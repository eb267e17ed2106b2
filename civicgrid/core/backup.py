"""A consistent copy of a CivicGrid instance — the database and the media — in one .tar.gz, and its restore.

SQLite is copied with its online backup API: a consistent snapshot while the product keeps running (WAL
readers and writers are not stopped). PostgreSQL is dumped with `pg_dump --format=custom` (the server's own
consistent snapshot) and restored with `pg_restore`. Media comes through the storage API, so the same command
works for local files; with object storage the bucket keeps its own versions (see docs/deployment.md).

The archive holds `manifest.json` (when, what, row counts per table, file count), `database.sqlite3` or
`database.pgdump`, and `media/…`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.files.storage import Storage
from django.db import connection as default_connection

FORMAT = 1


class BackupError(Exception):
    """The backup or restore cannot be done as asked (wrong database, not empty, a broken archive)."""


def table_counts(connection) -> dict[str, int]:
    """Rows per table, the check that a restore brought everything back."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _walk(storage: Storage, directory: str = ""):
    directories, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _walk(storage, f"{directory}/{sub}" if directory else sub)


def backup(target: Path, *, storage: Storage, connection=default_connection,
           progress: Callable[[str], None] = lambda step: None) -> dict:
    """Write the archive to `target`; returns its manifest."""
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        progress("database")
        if connection.vendor == "sqlite":
            if connection.in_atomic_block:  # SQLite's backup cannot read a database its own connection is writing
                raise BackupError("a backup cannot run inside a transaction")
            database = work / "database.sqlite3"
            connection.ensure_connection()
            destination = sqlite3.connect(database)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        elif connection.vendor == "postgresql":
            database = work / "database.pgdump"
            _run_pg("pg_dump", connection, ["--format=custom", "--no-owner", f"--file={database}"])
        else:
            raise BackupError(f"backups of {connection.vendor} are not supported")
        manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(),
                    "database": connection.vendor, "tables": table_counts(connection), "media": []}
        progress("media")
        with tarfile.open(target, "w:gz") as archive:
            archive.add(database, arcname=database.name)
            for name in _walk(storage):
                if name.startswith("health/"):
                    continue
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(f"media/{name}")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                manifest["media"].append(name)
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return manifest


def restore(source: Path, *, storage: Storage, connection=default_connection, sqlite_path: Path | None = None,
            progress: Callable[[str], None] = lambda step: None) -> dict:
    """Bring an archive back into an empty instance; returns its manifest.

    SQLite: the snapshot becomes the database file at `sqlite_path` (the instance's, by default), which must
    not hold data yet. PostgreSQL: `pg_restore` into the configured, empty database.
    """
    with tarfile.open(source, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown archive format {manifest.get('format')!r}")
        progress("database")
        with tempfile.TemporaryDirectory() as work:
            if manifest["database"] == "sqlite":
                target = Path(sqlite_path or connection.settings_dict["NAME"])
                if target.exists() and _has_data(target):
                    raise BackupError(f"{target} already holds data; restore into an empty instance")
                archive.extract("database.sqlite3", work, filter="data")
                for suffix in ("-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
                shutil.move(os.path.join(work, "database.sqlite3"), target)
            elif manifest["database"] == "postgresql":
                if connection.vendor != "postgresql":
                    raise BackupError("this archive holds a PostgreSQL dump: configure DATABASE_URL for PostgreSQL")
                if any(table_counts(connection).values()):
                    raise BackupError("the database already holds data; restore into an empty database")
                archive.extract("database.pgdump", work, filter="data")
                _run_pg("pg_restore", connection, ["--no-owner", "--clean", "--if-exists",
                                                   os.path.join(work, "database.pgdump")], dbname_flag=True)
            else:
                raise BackupError(f"unknown database {manifest['database']!r}")
        progress("media")
        for name in manifest["media"]:
            member = archive.extractfile(f"media/{name}")
            if storage.exists(name):
                storage.delete(name)
            storage.save(name, member)
    return manifest


def _has_data(path: Path) -> bool:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return any(db.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in tables
                   if t not in ("django_migrations", "sqlite_sequence"))


def _run_pg(program: str, connection, arguments: list[str], dbname_flag: bool = False) -> None:
    settings = connection.settings_dict
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (apt-get install postgresql-client)")
    environment = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [program, f"--host={settings.get('HOST') or 'localhost'}", f"--port={settings.get('PORT') or 5432}",
               f"--username={settings.get('USER') or ''}"]
    command += [*arguments[:-1], f"--dbname={settings['NAME']}", arguments[-1]] if dbname_flag else \
        [*arguments, settings["NAME"]]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[-500:]}")
