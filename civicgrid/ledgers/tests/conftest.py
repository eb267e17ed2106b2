"""A small world for ledgers: the test district with compounds, shops, a market and users per role."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from civicgrid.organizations.choices import Role, UnitKind
from testsupport import grid_center, make_place, make_unit, make_user


def workbook(headers, rows, merge: str | None = None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "ledger.xlsx"
    return buffer


def with_cached_values(file: io.BytesIO, values: dict[str, str]) -> io.BytesIO:
    """Give formula cells the value Excel would have saved with them (openpyxl writes none)."""
    source = zipfile.ZipFile(io.BytesIO(file.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, value in values.items():
                    text = re.sub(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v\s*(?:/>|></v>)', rf"\1\2<v>{value}</v>", text)
                data = text.encode()
            target.writestr(item, data)
    out.seek(0)
    out.name = "ledger.xlsx"
    return out


@pytest.fixture
def town(district):
    d = district
    first, second = grid_center("210112001001001"), grid_center("210112002001001")
    from civicgrid.territory.models import PlaceCategory

    places = {
        "shop1": make_place("shop", *first, name="老王小吃", code="SHOP-1"),
        "shop2": make_place("shop", first[0] + 0.001, first[1], name="丽人美发", code="SHOP-2"),
        "shop3": make_place("shop", *second, name="西街小吃", code="SHOP-3"),
        "compound1": make_place("compound", *first, name="阳光小区", code="CPD-1"),
        "compound2": make_place("compound", *second, name="月亮小区", code="CPD-2"),
        "market": make_place("market", *first, name="东风农贸市场", code="MKT-1"),
    }
    operator = make_unit("MKT-OP", UnitKind.MARKET_OPERATOR, d["210112001001"])
    users = {
        "admin": make_user("admin", Role.ADMIN),
        "street": make_user("street", Role.STREET_STAFF, region=d["210112001"]),
        "other_street": make_user("other_street", Role.STREET_STAFF, region=d["210112002"]),
        "community": make_user("community", Role.COMMUNITY_STAFF, region=d["210112001001"]),
        "public": make_user("public", Role.PUBLIC),
        "leader": make_user("leader", Role.LEADER, region=d["210112"]),
    }
    categories = {c.slug: c for c in PlaceCategory.objects.filter(kind__slug="shop")}
    return {"regions": d, "places": places, "users": users, "operator": operator, "categories": categories}
