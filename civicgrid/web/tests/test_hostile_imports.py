"""Every import endpoint refuses a hostile or broken workbook with a 400 naming the file, and writes nothing."""

import functools
import io

import pytest
from django.db import connection
from rest_framework.test import APIClient

from civicgrid.core.tests.test_excel_hostile import EXTERNAL, body, bomb, good_workbook, rewrite
from civicgrid.ledgers.specs import LEDGERS
from civicgrid.organizations.choices import Role
from testsupport import make_user

pytestmark = pytest.mark.django_db

ENDPOINTS = [*(f"/api/v1/ledgers/{slug}/import/" for slug in LEDGERS), "/api/v1/rulebook/import/",
             "/api/v1/standards/import/"]
PAYLOADS = {
    "malformed": lambda: rewrite(good_workbook(), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2]),
    "dtd": lambda: rewrite(good_workbook(), "xl/worksheets/sheet1.xml", lambda xml: EXTERNAL + body(xml)),
    "bomb": functools.cache(lambda: bomb(60 * 1024 * 1024)),
    "not-a-zip": lambda: b"PK\x03\x04 truncated",
}


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            if table.startswith(("ledgers_", "cases_case", "inspections_standard", "inspections_item")):
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    return counts


def test_there_are_twelve_import_endpoints():
    assert len(ENDPOINTS) == 12


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_hostile_workbook_is_a_400_and_nothing_is_written(district, url, payload):
    api = APIClient()
    api.force_authenticate(make_user("office", Role.ADMIN))
    before = row_counts()
    upload = io.BytesIO(PAYLOADS[payload]())
    upload.name = "hostile.xlsx"
    response = api.post(url, {"file": upload, "code": "T1", "name": "测试"}, format="multipart")
    assert response.status_code == 400, response.content
    assert "file" in response.json()
    assert row_counts() == before
