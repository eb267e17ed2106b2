"""civicgrid backup / restore: a consistent copy of the database and the media, restored into an empty instance."""

import json
import sqlite3
import subprocess
import tarfile

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection

from civicgrid.cases.photos import store_photo
from civicgrid.cases.services import report_case
from civicgrid.cases.tests.conftest import jpeg, upload, world  # noqa: F401  (fixture)
from civicgrid.core.backup import BackupError, backup, restore, table_counts

# SQLite's online backup reads the database through its own connection, outside any test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def instance(world, tmp_path, settings, media):  # noqa: F811
    """Some cases with photos in a media directory (or, against S3, a bucket prefix) of their own."""
    if not media.s3:
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    storage = default_storage
    lng, lat = world["point"]
    for n in range(3):
        photo = store_photo(upload(jpeg(pattern=n)), world["users"]["gridworker"])
        report_case(world["users"]["gridworker"], case_class=world["garbage"], description=f"第{n}处",
                    lng=lng, lat=lat, photos=[photo])
    return storage


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip; PostgreSQL below")
def test_a_backup_restored_into_an_empty_instance_has_every_row_and_file(instance, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    manifest = backup(archive, storage=default_storage)
    assert manifest["tables"]["cases_case"] == 3 and len(manifest["media"]) == 9  # original, public, thumbnail
    target_db, target_media = tmp_path / "restored.sqlite3", FileSystemStorage(location=tmp_path / "restored-media")
    restore(archive, storage=target_media, sqlite_path=target_db)

    with sqlite3.connect(target_db) as restored:
        counts = {table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                  for table in manifest["tables"]}
    assert counts == table_counts(connection)
    for name in manifest["media"]:
        with default_storage.open(name, "rb") as source, target_media.open(name, "rb") as copy:
            assert source.read() == copy.read()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite files")
def test_a_restore_never_overwrites_an_instance_that_holds_data(instance, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup(archive, storage=default_storage)
    target_db = tmp_path / "busy.sqlite3"
    with sqlite3.connect(target_db) as busy:
        busy.execute("CREATE TABLE cases_case (id integer)")
        busy.execute("INSERT INTO cases_case VALUES (1)")
    with pytest.raises(BackupError, match="already holds data"):
        restore(archive, storage=FileSystemStorage(location=tmp_path / "m"), sqlite_path=target_db)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump")
def test_on_postgresql_the_backup_is_a_dump_pg_restore_reads(instance, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup(archive, storage=default_storage)
    with tarfile.open(archive) as tar:
        tar.extract("database.pgdump", tmp_path, filter="data")
    listing = subprocess.run(["pg_restore", "--list", str(tmp_path / "database.pgdump")], capture_output=True,
                             text=True, check=True).stdout
    assert "cases_case" in listing
    with pytest.raises(BackupError, match="already holds data"):
        restore(archive, storage=FileSystemStorage(location=tmp_path / "m"))


def test_the_commands_report_what_they_did(instance, tmp_path, capsys):
    archive = tmp_path / "cli.tar.gz"
    call_command("backup", output=str(archive))
    assert "9 media files" in capsys.readouterr().out  # each photo has three files
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["database"] == connection.vendor and len(manifest["media"]) == 9
