import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from civicgrid.env import env_bool, env_float, env_int, env_list, env_storage


@pytest.mark.parametrize("raw,expected", [("true", True), ("1", True), ("YES", True), ("off", False), ("0", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_a_misspelt_boolean_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='ture' is not a boolean"):
        env_bool("DEBUG", False)


def test_numbers_are_checked(monkeypatch):
    monkeypatch.setenv("N", "3")
    assert env_int("N", 1, minimum=2, maximum=4) == 3
    monkeypatch.setenv("N", "9")
    with pytest.raises(ImproperlyConfigured, match="outside"):
        env_int("N", 1, minimum=2, maximum=4)
    monkeypatch.setenv("N", "x")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("N", 1)
    monkeypatch.setenv("F", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least"):
        env_float("F", 1.0)


def test_lists_drop_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, ,b.example")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.delenv("HOSTS")
    assert env_list("HOSTS", ["x"]) == ["x"]



def test_without_a_storage_url_media_stays_on_this_machine(monkeypatch):
    monkeypatch.delenv("STORAGE_URL", raising=False)
    assert env_storage("STORAGE_URL") is None


def test_a_storage_url_names_an_s3_compatible_store(monkeypatch):
    monkeypatch.setenv("STORAGE_URL", "s3://evidence?endpoint=https://oss-cn-shenyang.aliyuncs.com&region=cn-shenyang"
                                      "&prefix=/media/&expire=120&addressing=virtual")
    storage = env_storage("STORAGE_URL")
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "evidence", "endpoint_url": "https://oss-cn-shenyang.aliyuncs.com",
        "region_name": "cn-shenyang", "location": "media", "querystring_auth": True, "querystring_expire": 120,
        "default_acl": None, "file_overwrite": False, "addressing_style": "virtual", "signature_version": "s3v4"}


def test_a_bare_bucket_gets_private_five_minute_links_and_path_addressing(monkeypatch):
    monkeypatch.setenv("STORAGE_URL", "s3://evidence")
    options = env_storage("STORAGE_URL")["OPTIONS"]
    assert options["querystring_expire"] == 300 and options["addressing_style"] == "path"
    assert options["endpoint_url"] is None and options["location"] == ""


@pytest.mark.parametrize("raw,reason", [
    ("file:///srv/media", "only s3://"),
    ("s3://key:secret@evidence", "credentials do not belong in the URL"),
    ("s3://evidence/media", "prefix="),
    ("s3://evidence?endpint=https://x", "unknown parameter endpint"),
    ("s3://evidence?expire=5&expire=6", "more than once"),
    ("s3://evidence?expire=soon", "not a number"),
    ("s3://evidence?expire=1000000", "outside"),
    ("s3://evidence?addressing=dns", "path or virtual"),
    ("s3://evidence?endpoint=minio:9000", "http"),
])
def test_a_storage_url_it_cannot_understand_is_refused_with_its_name(monkeypatch, raw, reason):
    monkeypatch.setenv("STORAGE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match=f"STORAGE_URL.*{reason}"):
        env_storage("STORAGE_URL")


def load_settings(tmp_path, **env):
    """Import the settings in a fresh interpreter with only the given variables set."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    clean.update(VAR_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", "import civicgrid.settings as s; print(s.DATABASES['default']['ENGINE'])"],
                          env=clean, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = load_settings(tmp_path, DEBUG="false", ALLOWED_HOSTS="grid.example")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = load_settings(tmp_path, DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "ALLOWED_HOSTS must list" in result.stderr


def test_development_generates_a_secret_key_and_uses_sqlite(tmp_path):
    result = load_settings(tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"
    assert len((tmp_path / "secret_key").read_text()) > 40


def test_database_url_selects_postgresql(tmp_path):
    result = load_settings(tmp_path, DEBUG="true", DATABASE_URL="postgres://u:p@127.0.0.1:5432/civicgrid")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_the_file_database_is_in_wal_mode(tmp_path):
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='civicgrid.settings'; django.setup();"
            "from django.db import connection; c=connection.cursor(); c.execute('PRAGMA journal_mode');"
            "print(c.fetchone()[0])")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(VAR_DIR=str(tmp_path), DEBUG="true")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "wal", result.stderr


def test_json_logs_carry_the_request_and_the_exception():
    import json
    import logging

    from django.test import RequestFactory

    from civicgrid.core.logging import JsonFormatter

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                                   ("/cases/",), sys.exc_info())
    record.request = RequestFactory().get("/cases/")
    record.status_code = 500
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "Internal Server Error: /cases/" and entry["level"] == "ERROR"
    assert entry["path"] == "/cases/" and entry["status_code"] == 500 and "ValueError: boom" in entry["exception"]


def test_with_a_storage_url_the_default_storage_signs_urls_for_the_bucket(tmp_path):
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='civicgrid.settings'; django.setup();"
            "from django.core.files.storage import default_storage as s;"
            "bucket = s.bucket_name; print(type(s._wrapped).__name__, bucket, s.url('photos/a.jpg'))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    # Signing happens locally: no server is asked.
    env.update(VAR_DIR=str(tmp_path), DEBUG="true", AWS_ACCESS_KEY_ID="key", AWS_SECRET_ACCESS_KEY="secret",
               STORAGE_URL="s3://evidence?endpoint=https://minio.example:9000&region=cn-north-1&prefix=media/"
                           "&expire=120")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    kind, bucket, url = result.stdout.split()
    assert (kind, bucket) == ("S3Storage", "evidence"), result.stderr
    assert url.startswith("https://minio.example:9000/evidence/media/photos/a.jpg?")
    assert "X-Amz-Expires=120" in url and "X-Amz-Signature=" in url and "secret" not in url
