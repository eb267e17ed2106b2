"""Standards: the shipped checklist, Excel out and in, and a standard in use is never changed in place."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from civicgrid.inspections import standards
from civicgrid.inspections.choices import StandardStatus
from civicgrid.inspections.defaults import CHECKLIST
from civicgrid.inspections.models import PointType, Standard
from civicgrid.inspections.tests.test_inspections import run

REQUIRED = ["farmers_market", "main_road", "back_lane", "compound", "square_park", "school_area",
            "construction_site", "small_business"]


@pytest.mark.django_db
def test_the_shipped_checklist_covers_eight_point_types_with_eight_items_each():
    standard = Standard.objects.get(code="wmcs-local", version=1)
    for slug in REQUIRED:
        items = standard.items.filter(point_type__slug=slug)
        assert items.count() >= 8, slug
        assert sum(i.points for i in items) == 100, slug
        assert all(i.case_class_id and i.criterion_id for i in items), slug
    assert PointType.objects.get(slug="farmers_market").place_kinds.filter(slug="market").exists()
    assert set(CHECKLIST) >= set(REQUIRED)


def test_export_then_import_round_trips_and_a_used_standard_gets_a_new_version(field):
    admin = field["users"]["admin"]
    standard = field["standard"]
    data = standards.export(standard)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:4] == ["点位类型", "检查项代码", "检查内容", "检查方法"]
    assert sheet.max_row == 1 + standard.items.count()
    # Not used yet: the import replaces its items in place.
    same = standards.import_file(io.BytesIO(data), code=standard.code, name=standard.name, actor=admin)
    assert same.problems == [] and not same.new_version and same.standard.pk == standard.pk
    run(field["users"]["inspector"], field["places"]["market"], {"NM01": 1})
    used = Standard.objects.get(code="wmcs-local", version=1)
    result = standards.import_file(io.BytesIO(data), code=used.code, name="本区版（2027年修订）", actor=admin)
    assert result.new_version and result.standard.version == 2 and result.standard.previous == used
    used.refresh_from_db()
    assert used.status == StandardStatus.RETIRED and used.items.count() == result.items
    item = used.items.first()
    item.points = 99
    with pytest.raises(ValidationError):
        item.save()  # the model itself refuses, whatever the path (admin, shell, import)
    with pytest.raises(ValidationError):
        item.delete()


def test_a_bad_sheet_is_reported_row_by_row_and_imports_nothing(field):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in standards.COLUMNS])
    sheet.append(["农贸市场", "X1", "公平秤", "实地察看", "10", "5", "", "否", "E0602", ""])
    sheet.append(["外星点位", "X2", "…", "实地察看", "10", "5", "", "否", "", ""])
    sheet.append(["农贸市场", "X3", "…", "闻气味", "abc", "5", "", "也许", "E9999", ""])
    sheet.append(["农贸市场", "X1", "重复", "询问", "=2*5", "1", "", "是", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    result = standards.import_file(io.BytesIO(buffer.getvalue()), code="new-std", name="新标准",
                                   actor=field["users"]["admin"])
    found = {(p.row, p.column) for p in result.problems}
    assert {(3, "点位类型"), (4, "检查方法"), (4, "分值"), (4, "否决项")} <= found
    assert any(p.row == 5 and p.column in ("检查项代码", "分值") for p in result.problems)
    assert not Standard.objects.filter(code="new-std").exists()


def test_only_the_office_changes_standards(field):
    with pytest.raises(PermissionDenied):
        standards.new_version(field["standard"], actor=field["users"]["street"])
    successor = standards.new_version(field["standard"], actor=field["users"]["admin"])
    assert successor.version == 2 and successor.items.count() == field["standard"].items.count()
