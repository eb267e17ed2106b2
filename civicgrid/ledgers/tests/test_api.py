"""The ledger endpoints: the import contract (400 with the report, good rows only on request), records, export."""

import io

from openpyxl import load_workbook
from rest_framework.test import APIClient

from civicgrid.ledgers.models import SmallBusiness
from civicgrid.ledgers.specs import LEDGERS
from civicgrid.ledgers.tests.conftest import workbook
from civicgrid.ledgers.tests.test_imports import BUSINESS_HEADERS, business_row


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_import_answers_with_the_report(town):
    api = client_for(town["users"]["street"])
    rows = [business_row(), business_row("NO-SUCH-SHOP", licence="LIC-2")]
    bad = api.post("/api/v1/ledgers/small-businesses/import/", {"file": workbook(BUSINESS_HEADERS, rows)},
                   format="multipart")
    assert bad.status_code == 400
    assert bad.json()["problems"][0] | {"reason": ""} == {"row": 3, "column": "店铺编码或名称", "reason": ""}
    assert not SmallBusiness.objects.exists()
    good = api.post("/api/v1/ledgers/small-businesses/import/",
                    {"file": workbook(BUSINESS_HEADERS, rows), "good_rows_only": "true"}, format="multipart")
    assert good.status_code == 200 and good.json()["created"] == 1 and good.json()["skipped"] == 1
    not_excel = api.post("/api/v1/ledgers/small-businesses/import/",
                         {"file": io.BytesIO(b"name,area\n")}, format="multipart")
    assert not_excel.status_code == 400 and "Excel" in not_excel.json()["file"][0]
    forbidden = client_for(town["users"]["public"]).post(
        "/api/v1/ledgers/small-businesses/import/", {"file": workbook(BUSINESS_HEADERS, rows[:1])}, format="multipart")
    assert forbidden.status_code == 403


def test_records_and_export_respect_scope(town):
    admin = client_for(town["users"]["admin"])
    rows = [business_row(), business_row("SHOP-3", "小餐饮", "西街小吃", "LIC-3")]
    admin.post("/api/v1/ledgers/small-businesses/import/", {"file": workbook(BUSINESS_HEADERS, rows)},
               format="multipart")
    listed = client_for(town["users"]["street"]).get("/api/v1/ledgers/small-businesses/").json()
    assert listed["count"] == 1 and listed["results"][0]["营业执照号"] == "LIC-1"
    assert client_for(town["users"]["other_street"]).get("/api/v1/ledgers/small-businesses/").json()["count"] == 1
    assert admin.get("/api/v1/ledgers/small-businesses/?region=210112002").json()["count"] == 1
    exported = client_for(town["users"]["street"]).get("/api/v1/ledgers/small-businesses/export.xlsx")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert [row[3].value for row in sheet.iter_rows(min_row=2)] == ["LIC-1"]


def test_the_ledgers_are_listed_with_their_records_in_scope_and_the_eight_trades(town):
    """Issue 14: GET /api/v1/ledgers/ answered 404; the small-business ledger breaks down by 八小 trade."""
    categories = list(town["categories"].values())
    for n, place in enumerate((town["places"]["shop1"], town["places"]["shop2"], town["places"]["shop3"])):
        SmallBusiness.objects.create(place=place, category=categories[0 if n < 2 else 1], name=f"店{n}",
                                     licence_number=f"L-{n}", region_code=place.region_code)
    api = APIClient()
    api.force_authenticate(town["users"]["street"])
    answer = api.get("/api/v1/ledgers/")
    assert answer.status_code == 200
    ledgers = {entry["slug"]: entry for entry in answer.json()}
    assert set(ledgers) == set(LEDGERS)
    shops = ledgers["small-businesses"]
    assert shops["records"] == 2 and shops["breakdown"] == {categories[0].name: 2}  # the other street's is not counted
    assert shops["links"]["template"] == "/api/v1/ledgers/small-businesses/template.xlsx"
    assert [c["header"] for c in shops["columns"]][:2] == ["店铺编码或名称", "行业分类"]
