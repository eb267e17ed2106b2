"""Imports never move, lose or poison records: scope of existing rows, parts that add up, unique rules, ranges."""

from decimal import Decimal

import pytest

from civicgrid.ledgers import services
from civicgrid.ledgers.models import Operation, Quantity, SmallBusiness
from civicgrid.ledgers.tests.conftest import workbook
from civicgrid.ledgers.tests.test_imports import BUSINESS_HEADERS, business_row

OPERATION_HEADERS = ["日期", "名称", "类型", "区域代码", "涉及点位", "参与单位", "工作量类型", "数量", "备注"]


def operation_row(kind="拆除违建", amount="3", title="春季拆违"):
    return ["2026-04-01", title, "联合执法", "210112001", "", "", kind, amount, ""]


def test_a_key_held_by_another_streets_record_is_a_row_problem_and_nothing_moves(town):
    services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, [business_row("SHOP-3", licence="LIC-9")]),
                           town["users"]["admin"])
    # The first street imports one of its own shops under the licence number of the second street's business.
    report = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, [business_row("SHOP-1",
                                                                 licence="LIC-9")]), town["users"]["street"])
    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [(2, "营业执照号")]
    business = SmallBusiness.objects.get(licence_number="LIC-9")
    assert business.place == town["places"]["shop3"] and business.region_code.startswith("210112002")


def test_two_rows_of_the_same_quantity_kind_are_parts_that_add_up(town):
    rows = [operation_row(amount="3"), operation_row(amount="2"),
            operation_row(kind="清理垃圾", amount="100.5"), operation_row(kind="清理垃圾", amount="200.25")]
    report = services.import_ledger("operations", workbook(OPERATION_HEADERS, rows), town["users"]["admin"])
    assert report.problems == [] and report.written and report.created == 1
    amounts = {q.kind.name: q.amount for q in Quantity.objects.select_related("kind")}
    assert amounts == {"拆除违建": Decimal("5"), "清理垃圾": Decimal("300.75")}
    again = services.import_ledger("operations", workbook(OPERATION_HEADERS, rows), town["users"]["admin"])
    assert again.written and Operation.objects.count() == 1  # the file's totals replace, never add to, the stored
    assert {q.kind.name: q.amount for q in Quantity.objects.select_related("kind")} == amounts


def test_a_shop_that_already_has_a_business_under_another_licence_is_a_row_problem(town):
    admin = town["users"]["admin"]
    services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, [business_row()]), admin)
    report = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, [
        business_row("SHOP-2", licence="LIC-2"), business_row("SHOP-1", licence="LIC-NEW")]), admin)
    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [(3, "店铺编码或名称")]
    assert "LIC-1" in report.problems[0].reason
    assert list(SmallBusiness.objects.values_list("licence_number", flat=True)) == ["LIC-1"]


def test_two_rows_for_one_shop_under_different_licences_are_a_row_problem(town):
    report = services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, [
        business_row(licence="LIC-1"), business_row(licence="LIC-2")]), town["users"]["admin"])
    assert [(p.row, p.column) for p in report.problems] == [(3, "店铺编码或名称")]
    assert not SmallBusiness.objects.exists()


@pytest.mark.parametrize("ledger,headers,row,column", [
    ("small-businesses", BUSINESS_HEADERS, business_row(area="1e20"), "经营面积（平方米）"),
    ("small-businesses", BUSINESS_HEADERS, business_row(area="123456789012345.5"), "经营面积（平方米）"),
    ("operations", OPERATION_HEADERS, operation_row(amount="123456789012345.5"), "数量"),
    ("operations", OPERATION_HEADERS, operation_row(amount="1e20"), "数量"),
    ("operations", OPERATION_HEADERS, operation_row(amount="NaN"), "数量"),
    ("operations", OPERATION_HEADERS, operation_row(amount="Infinity"), "数量"),
    ("small-businesses", BUSINESS_HEADERS, business_row(name="名" * 201), "名称"),
])
def test_numbers_beyond_a_columns_range_and_overlong_text_are_row_problems(town, ledger, headers, row, column):
    report = services.import_ledger(ledger, workbook(headers, [row]), town["users"]["admin"])
    assert [(p.row, p.column) for p in report.problems] == [(2, column)], report.problems
    assert not report.written and not SmallBusiness.objects.exists() and not Operation.objects.exists()


def test_parts_whose_sum_leaves_the_range_are_refused(town):
    rows = [operation_row(amount="900000000"), operation_row(amount="900000000")]
    report = services.import_ledger("operations", workbook(OPERATION_HEADERS, rows), town["users"]["admin"])
    assert [(p.row, p.column) for p in report.problems] == [(3, "数量")] and not report.written
