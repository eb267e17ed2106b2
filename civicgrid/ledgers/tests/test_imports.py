"""Ledger imports: good files, bad rows, re-imports, numbers as text, formulas, merged cells, sizes, scope."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from civicgrid.core import excel
from civicgrid.ledgers import services
from civicgrid.ledgers.models import Operation, Quantity, SmallBusiness, StaffMember
from civicgrid.ledgers.specs import SmallBusinesses
from civicgrid.ledgers.tests.conftest import with_cached_values, workbook

BUSINESS_HEADERS = [c.header for c in SmallBusinesses.columns]


def business_row(place="SHOP-1", category="小餐饮", name="老王小吃", licence="LIC-1", area="35", signed="2026-03-01",
                 permit="食品经营许可证", vector="是", rectification="无需整改"):
    return [place, category, name, licence, permit, "JY001", "2027-06-30", area, signed, vector, rectification, ""]


def test_a_good_file_imports_and_a_second_import_changes_nothing_twice(town):
    rows = [business_row(), business_row("丽人美发", "小美容美发", "丽人美发", "LIC-2", permit="卫生许可证")]
    report = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows), town["users"]["admin"])
    assert report.problems == [] and (report.created, report.updated, report.written) == (2, 0, True)
    business = SmallBusiness.objects.get(licence_number="LIC-2")
    assert business.place == town["places"]["shop2"] and business.region_code == "210112001001001"
    assert business.permit_kind == "hygiene" and business.vector_control
    rows[0][7] = "40"  # the area changed since
    again = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows), town["users"]["admin"])
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1) and SmallBusiness.objects.count() == 2
    assert SmallBusiness.objects.get(licence_number="LIC-1").floor_area == 40


def test_bad_rows_are_each_reported_and_nothing_is_written(town):
    rows = [business_row(),
            business_row("NO-SUCH-SHOP", licence="LIC-2"),
            business_row("SHOP-3", category="小酒馆", licence="LIC-3", area="很大"),
            business_row("SHOP-2", licence="LIC-1", signed="2026-13-45"),
            business_row("SHOP-2", licence="LIC-1")]
    report = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows), town["users"]["admin"])
    found = {(p.row, p.column) for p in report.problems}
    assert {(3, "店铺编码或名称"), (4, "经营面积（平方米）"), (5, "责任状签订日期")} <= found
    assert any(p.row == 6 and "2" in p.reason for p in report.problems)  # the same licence as row 2
    assert not report.written and not SmallBusiness.objects.exists()


def test_only_the_good_rows_when_asked(town):
    rows = [business_row(), business_row("NO-SUCH-SHOP", licence="LIC-2")]
    report = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows), town["users"]["admin"],
                                    good_rows_only=True)
    assert report.written and report.created == 1 and report.skipped == 1
    assert [p.row for p in report.problems] == [3]
    assert list(SmallBusiness.objects.values_list("licence_number", flat=True)) == ["LIC-1"]


def test_numbers_as_text_formulas_with_saved_values_merged_cells_and_blank_rows(town):
    headers = ["日期", "名称", "类型", "区域代码", "涉及点位", "参与单位", "工作量类型", "数量", "备注"]
    rows = [["2026-04-01", "阳光小区清理", "清理整治", "210112001", "CPD-1", "", "出动人次", " 1,200 ", ""],
            [None, None, None, None, None, None, "清理垃圾", "=20*4", ""],
            [None, None, None, None, None, None, None, None, None],
            [None, None, None, None, None, None, None, None, None]]
    file = workbook(headers, rows, merge="A2:A3")  # one operation, two quantities: the shared cells merged
    book = load_workbook(io.BytesIO(file.getvalue()))
    sheet = book.active
    for column in "BCDE":
        sheet.merge_cells(f"{column}2:{column}3")
    buffer = io.BytesIO()
    book.save(buffer)
    file = with_cached_values(io.BytesIO(buffer.getvalue()), {"H3": "80"})
    report = services.import_ledger("operations", file, town["users"]["admin"])
    assert report.problems == [] and report.created == 1
    operation = Operation.objects.get()
    assert operation.date == dt.date(2026, 4, 1) and list(operation.places.all()) == [town["places"]["compound1"]]
    assert {q.kind.slug: q.amount for q in Quantity.objects.all()} == {"person_times": 1200, "garbage": 80}
    again = services.import_ledger("operations", with_cached_values(io.BytesIO(buffer.getvalue()), {"H3": "80"}),
                                   town["users"]["admin"])
    assert again.created == 0 and Operation.objects.count() == 1 and Quantity.objects.count() == 2


def test_a_formula_without_a_saved_value_is_a_bad_cell(town):
    rows = [business_row(area="=30+5")]
    report = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows), town["users"]["admin"])
    assert report.written  # the area is optional: an unsaved formula there leaves it empty …
    rows = [["2026-04-01", "清理", "清理整治", "210112001", "", "", "出动人次", "=1+1", ""]]
    headers = ["日期", "名称", "类型", "区域代码", "涉及点位", "参与单位", "工作量类型", "数量", "备注"]
    report = services.import_ledger("operations", workbook(headers, rows), town["users"]["admin"])
    assert [(p.row, p.column) for p in report.problems] == [(2, "数量")] and "公式" in report.problems[0].reason


def test_too_large_files_are_refused_with_a_clear_message(town, monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 3)
    rows = [business_row(licence=f"L{n}") for n in range(4)]
    with pytest.raises(excel.ExcelError, match="最多接受 3 行"):
        services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows), town["users"]["admin"])
    monkeypatch.setattr(excel, "MAX_BYTES", 1000)
    with pytest.raises(excel.ExcelError, match="MB"):
        services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows[:1]), town["users"]["admin"])


def test_street_staff_edit_only_their_own_streets_records(town):
    rows = [business_row(), business_row("SHOP-3", "小餐饮", "西街小吃", "LIC-3")]
    report = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows), town["users"]["street"])
    assert [p.row for p in report.problems] == [3] and "210112002" in report.problems[0].reason
    assert not report.written
    report = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows[:1]), town["users"]["street"])
    assert report.written
    # The other street cannot take over the first street's record by its licence either.
    other = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows[:1]),
                                   town["users"]["other_street"])
    assert not other.written and other.problems
    with pytest.raises(Exception, match="权限"):
        services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, rows[:1]), town["users"]["leader"])


def test_export_is_filtered_by_region_and_period_and_imports_back(town):
    admin = town["users"]["admin"]
    headers = ["点位编码或名称", "类型", "数量", "设置日期"]
    rows = [["CPD-1", "宣传栏", 2, "2026-02-01"], ["CPD-1", "宣传板", 40, "2026-02-01"],
            ["CPD-2", "宣传板", "35", "2026-05-01"]]
    services.import_ledger("publicity", workbook(headers, rows), admin)
    sheet = load_workbook(io.BytesIO(services.export("publicity", admin, region="210112001"))).active
    assert sheet.max_row == 3
    sheet = load_workbook(io.BytesIO(services.export("publicity", admin, start=dt.date(2026, 4, 1)))).active
    assert [c.value for c in sheet[2]][:3] == ["CPD-2", "宣传板", 35]
    street = load_workbook(io.BytesIO(services.export("publicity", town["users"]["street"]))).active
    assert street.max_row == 3  # the other street's compound is not theirs
    again = services.import_ledger("publicity", io.BytesIO(services.export("publicity", admin)), admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_staff_certificates_and_the_expiry_lists(town, client):
    admin = town["users"]["admin"]
    services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, [business_row()]), admin)
    from django.utils import timezone

    today = timezone.localdate()
    rows = [["LIC-1", "张三", "JK1", (today - dt.timedelta(days=3)).isoformat()],
            ["LIC-1", "李四", "JK2", (today + dt.timedelta(days=12)).isoformat()],
            ["LIC-1", "王五", "JK3", (today + dt.timedelta(days=200)).isoformat()],
            ["NOPE", "赵六", "JK4", today.isoformat()]]
    report = services.import_ledger("staff", workbook(["营业执照号", "姓名", "健康证号", "健康证有效期至"], rows), admin,
                                    good_rows_only=True)
    assert report.created == 3 and [p.row for p in report.problems] == [5]
    assert StaffMember.objects.get(name="张三").region_code == "210112001001001"
    client.force_login(admin)
    page = client.get("/ledgers/certificates/").content.decode()
    expired, expiring = page.split('id="expiring"')
    assert "张三" in expired and "李四" in expiring and "王五" not in page


def test_the_template_has_the_chinese_headers(town, client):
    client.force_login(town["users"]["street"])
    response = client.get("/api/v1/ledgers/small-businesses/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == BUSINESS_HEADERS and sheet.max_row == 1
    assert client.get("/api/v1/ledgers/nonsense/template.xlsx").status_code == 404


def test_publicity_coverage_per_compound_and_point_type(town, client):
    from civicgrid.ledgers.services import publicity_coverage

    admin = town["users"]["admin"]
    headers = ["点位编码或名称", "类型", "数量", "设置日期"]
    services.import_ledger("publicity", workbook(headers, [["CPD-1", "宣传栏", 1, "2026-02-01"],
                                                             ["CPD-2", "宣传板", 5, "2026-02-01"],
                                                             ["MKT-1", "宣传板", 2, "2026-06-01"]]), admin)
    coverage = publicity_coverage(admin)
    assert (coverage["compounds"], coverage["compounds_with_column"], coverage["compound_rate"]) == (2, 1, 0.5)
    by_type = {r["point_type"]: (r["places"], r["covered"]) for r in coverage["by_point_type"]}
    assert by_type["居民小区"] == (2, 2) and by_type["农贸市场"] == (1, 1) and by_type["小经营场所（八小）"] == (3, 0)
    assert publicity_coverage(admin, on=dt.date(2026, 3, 1))["by_point_type"][0]  # still computed
    assert {r["point_type"]: r["covered"] for r in publicity_coverage(admin, on=dt.date(2026, 3, 1))[
        "by_point_type"]}["农贸市场"] == 0
    assert publicity_coverage(town["users"]["street"])["compounds"] == 1
    client.force_login(admin)
    assert 'id="publicity-coverage"' in client.get("/ledgers/publicity/").content.decode()


def test_linked_ledgers_resolve_their_parents_and_reimport_cleanly(town):
    """Markets → renovations → funding, and mobilisation → materials (a ledger without a region of its own)."""
    from civicgrid.ledgers.models import Funding, Material

    admin = town["users"]["admin"]
    steps = [
        ("markets", ["市场编码或名称", "经营主体", "面积（平方米）", "摊位数", "经营分区", "食品快检室"],
         [["东风农贸市场", "MKT-OP", "5,000", "120", "蔬菜、肉类", "是"]]),
        ("renovations", ["市场编码或名称", "项目名称", "预算（元）", "开工日期", "进度（%）"],
         [["MKT-1", "升级改造", "1000000", "2026-03-01", "80%"]]),
        ("funding", ["市场编码或名称", "项目名称", "资金来源", "金额（元）", "到位日期"],
         [["MKT-1", "升级改造", "经营主体自筹", "700000", "2026-03-01"],
          ["MKT-1", "升级改造", "区级以奖代补", "300000", "2026-05-01"],
          ["MKT-1", "没有的项目", "区级以奖代补", "1", "2026-05-01"]]),
        ("mobilisation", ["日期", "名称", "类型", "区域代码", "志愿者"], [["2026-04-01", "进社区", "宣传品发放", "210112001", "120"]]),
        ("materials", ["活动日期", "活动名称", "区域代码", "材料", "数量"],
         [["2026-04-01", "进社区", "210112001", "一封信", "5000"], ["2026-04-02", "进社区", "210112001", "一封信", "1"]]),
    ]
    for slug, headers, rows in steps:
        report = services.import_ledger(slug, workbook(headers, rows), admin, good_rows_only=True)
        assert report.written, (slug, report.problems)
    assert [(p.row, p.column) for p in report.problems] == [(3, "活动名称")]
    assert sorted(Funding.objects.values_list("amount", flat=True)) == [300000, 700000]
    material = Material.objects.get()
    assert (material.name, material.count, material.event.title) == ("一封信", 5000, "进社区")
    again = services.import_ledger("materials", workbook(steps[-1][1], steps[-1][2][:1]), admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = services.import_ledger("materials", workbook(steps[-1][1], [["2026-04-01", "进社区", "210112001",
                                                                           "一封信", "6000"]]), admin)
    assert (changed.created, changed.updated) == (0, 1) and Material.objects.get().count == 6000
    street = services.records("materials", town["users"]["other_street"])
    assert not street.exists()  # the event is in the other street
