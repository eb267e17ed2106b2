import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.db.models import TextChoices
from openpyxl import Workbook, load_workbook

from civicgrid.core import excel

COLUMNS = [excel.Column("名称", "name", excel.text), excel.Column("数量", "count", excel.integer)]


def workbook(rows, merge=None, headers=("名称", "数量")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_numbers_stored_as_text_and_blank_rows_are_handled():
    data = workbook([["甲", "1,200"], ["乙", 3.0], [None, None], ["丙", "7"], [None, None]])
    rows, problems = excel.read(io.BytesIO(data), COLUMNS)
    assert problems == []
    assert rows == [(2, {"name": "甲", "count": 1200}), (3, {"name": "乙", "count": 3}),
                    (5, {"name": "丙", "count": 7})]


def test_a_merged_cell_fills_its_range():
    data = workbook([["甲", 1], [None, 2]], merge="A2:A3")
    rows, problems = excel.read(io.BytesIO(data), COLUMNS)
    assert problems == [] and [r["name"] for _, r in rows] == ["甲", "甲"]


def test_a_formula_without_a_saved_value_is_named_as_such():
    data = workbook([["甲", "=1+1"]])  # openpyxl stores the formula and no cached value, as a script would
    rows, problems = excel.read(io.BytesIO(data), COLUMNS)
    assert rows == [] and [(p.row, p.column) for p in problems] == [(2, "数量")]
    assert "公式" in problems[0].reason


def test_missing_headers_and_non_workbooks_are_refused():
    with pytest.raises(excel.ExcelError, match="数量"):
        excel.read(io.BytesIO(workbook([], headers=("名称",))), COLUMNS)
    with pytest.raises(excel.ExcelError, match="不是 Excel"):
        excel.read(io.BytesIO(b"plain text"), COLUMNS)


def test_aware_datetimes_are_written_in_local_time():
    moment = dt.datetime(2026, 11, 28, 1, 30, tzinfo=dt.UTC)
    data = excel.write([excel.Column("时间", "t")], [(moment,)])
    cell = load_workbook(io.BytesIO(data)).active["A2"].value
    assert cell == moment.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)


def test_an_import_report_speaks_the_readers_language():
    from django.utils import translation

    data = workbook([["甲", "十二"], [None, 3]])
    with translation.override("zh-hans"):
        _, chinese = excel.read(io.BytesIO(data), COLUMNS)
    with translation.override("en"):
        _, english = excel.read(io.BytesIO(data), COLUMNS)
        with pytest.raises(excel.ExcelError, match="Missing column"):
            excel.read(io.BytesIO(workbook([["甲"]], headers=("名称",))), COLUMNS)
    assert [p.as_dict() for p in chinese] == [{"row": 2, "column": "数量", "reason": "“十二”不是整数"},
                                              {"row": 3, "column": "名称", "reason": "必填"}]
    assert [p.reason for p in english] == ["“十二” is not a whole number", "Required"]
    assert excel.decimal("1,200.5") == excel.decimal("1，200.5") and excel.yes_no("有") is True
    for bad in ("-1", "NaN", "abc"):
        with pytest.raises(ValueError):
            excel.decimal(bad)


# -- Excel as offices write it (issue 14) ---------------------------------------------------------------------
@pytest.mark.parametrize("value, day", [
    ("2025/3/5", dt.date(2025, 3, 5)), ("2025年6月1日", dt.date(2025, 6, 1)), ("2025.3.5", dt.date(2025, 3, 5)),
    ("2025-03-05", dt.date(2025, 3, 5)), (" 2025 年 12 月 31 日 ", dt.date(2025, 12, 31)),
    (45717, dt.date(2025, 3, 1)), (45717.0, dt.date(2025, 3, 1)), ("45717", dt.date(2025, 3, 1)),
    (dt.datetime(2025, 3, 5, 8, 0), dt.date(2025, 3, 5)),
])
def test_dates_as_offices_type_them(value, day):
    assert excel.date(value) == day


@pytest.mark.parametrize("value", ["2025/2/30", "3/5/2025", "明天", 12, "2025年13月1日"])
def test_what_is_not_a_date_says_how_to_write_one(value):
    with pytest.raises(ValueError, match="2025/3/5"):
        excel.date(value)


def test_full_width_commas_in_numbers():
    assert excel.integer("1，234，567") == 1234567 and excel.decimal("12，345.5") == 12345.5


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_excels_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(["某街道八小经营户台账（2025年）"])
    sheet.merge_cells("A1:B1")
    sheet.append(["名称", "数量"])
    sheet.append(["甲", "2"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, problems = excel.read(io.BytesIO(buffer.getvalue()), COLUMNS)
    assert problems == [] and rows == [(3, {"name": "甲", "count": 2})]


def test_a_header_cell_merged_across_columns_is_named():
    data = workbook([["甲", 1]], merge="A1:B1", headers=("名称", "数量"))
    with pytest.raises(excel.ExcelError, match="A1:B1"):
        excel.read(io.BytesIO(data), COLUMNS)


def test_a_percentage_formatted_cell_reads_as_shown():
    columns = [excel.Column("名称", "name", excel.text), excel.Column("完成比例", "share", excel.percent)]
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "完成比例"])
    sheet.append(["甲", 0.6])
    sheet["B2"].number_format = "0%"
    sheet.append(["乙", "75%"])
    sheet.append(["丙", 80])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, problems = excel.read(io.BytesIO(buffer.getvalue()), columns)
    assert problems == [] and [r["share"] for _, r in rows] == [60, 75, 80]


class PermitKind(TextChoices):
    HYGIENE = "hygiene", "卫生许可证"
    NONE = "none", "无需许可"


def test_a_template_carries_drop_downs_checks_and_an_instructions_sheet():
    """Issue 14: templates say what each column takes, and Excel refuses a wrong value while it is typed."""
    columns = [excel.Column("名称", "name", excel.text, help="营业执照上的名称"),
               excel.Column("类型", "kind", excel.choice(excel.labels(PermitKind))),
               excel.Column("面积", "area", excel.bounded_decimal(1_000_000), required=False),
               excel.Column("人数", "people", excel.bounded_count(500)),
               excel.Column("签订日期", "signed", excel.date, required=False),
               excel.Column("完成比例", "share", excel.percent, required=False)]
    book = load_workbook(io.BytesIO(excel.template(columns, "八小经营户")))
    assert book.sheetnames == ["八小经营户", "可选值", "填写说明"] and book["可选值"].sheet_state == "hidden"
    sheet = book["八小经营户"]
    assert [c.value for c in sheet[1]] == ["名称", "类型", "面积", "人数", "签订日期", "完成比例"]
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    assert rules["B2:B2001"].type == "list" and rules["B2:B2001"].formula1 == "'可选值'!$B$1:$B$2"
    assert [book["可选值"].cell(row, 2).value for row in (1, 2)] == ["卫生许可证", "无需许可"]
    assert (rules["C2:C2001"].type, rules["C2:C2001"].formula2, rules["C2:C2001"].allow_blank) == ("decimal", "1000000", True)
    assert (rules["D2:D2001"].type, rules["D2:D2001"].formula2, rules["D2:D2001"].allow_blank) == ("whole", "500", False)
    assert rules["E2:E2001"].type == "date" and "F2:F2001" not in rules  # Excel keeps 60% as 0.6: no whole check
    guide = [[c.value for c in row] for row in book["填写说明"].iter_rows(min_row=2)]
    assert guide[0] == ["名称", "是", "文字", "营业执照上的名称"]
    assert guide[1][2] == "从下拉列表中选择：卫生许可证、无需许可" and guide[3][2] == "0～500 的整数"
    assert guide[2][1] == "否" and "2025/3/5" in guide[4][2] and "60%" in guide[5][2]


def test_a_filled_template_imports():
    columns = [excel.Column("名称", "name", excel.text), excel.Column("人数", "people", excel.bounded_count(500))]
    book = load_workbook(io.BytesIO(excel.template(columns, "台账")))
    book.active.append(["甲", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, problems = excel.read(io.BytesIO(buffer.getvalue()), columns)
    assert problems == [] and rows == [(2, {"name": "甲", "people": 12})]


def test_a_refused_choice_names_the_labels_not_the_codes():
    """Issue 16: a Chinese import report said 可选值：…、none、pending、in_progress、done."""
    import pytest
    from django.db import models

    from civicgrid.core import excel

    class Progress(models.TextChoices):
        NONE = "none", "无需整改"
        PENDING = "pending", "待整改"

    parse = excel.choice(excel.labels(Progress))
    assert parse("待整改") == "pending" and parse("pending") == "pending"
    with pytest.raises(ValueError) as refused:
        parse("整改完了")
    assert str(refused.value) == "“整改完了”不在可选值中：无需整改、待整改"
