"""Excel in and out from one declaration of columns.

A sheet declares its columns (Chinese header, key, parser, required) once; the template, the
validated import with its per-row report, and the export all come from that declaration.
Reading handles formulas (their cached values), merged cells (the top-left value fills the range),
blank rows, and numbers stored as text (the parsers take strings). Files over MAX_BYTES or with
more than MAX_ROWS data rows are refused before parsing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000


class ExcelError(Exception):
    """The whole file is unusable (not a workbook, too large, headers missing)."""


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[object], object] = lambda v: v
    required: bool = True
    help: str = ""


@dataclass
class RowProblem:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


# -- parsers: each takes a cell value (possibly text) and returns the clean value or raises ValueError --
def text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # codes typed as numbers: 1 → "1", not "1.0"
    return str(value).strip()


def integer(value) -> int:
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValueError(_("“%s”不是整数") % value) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(_("“%s”不是整数") % value)
    return int(number)


def date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(_("“%s”不是日期（年-月-日）") % value) from None


def decimal(value) -> Decimal:
    """A number that is not negative (areas, amounts, points); thousands separators allowed."""
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValueError(_("“%s”不是数字") % value) from None
    if not number.is_finite():
        raise ValueError(_("“%s”不是数字") % value)
    if number < 0:
        raise ValueError(_("“%s”是负数") % value)
    return number


def bounded_decimal(maximum: int | str, places: int = 2) -> Callable[[object], Decimal]:
    """A non-negative number of at most `maximum`, rounded half up to `places` decimals.

    Every numeric column declares its range, so a typo such as 1e20 is a row problem, not a stored
    value that breaks every page, export and briefing that reads it afterwards.
    """
    limit = Decimal(maximum)
    step = Decimal(1).scaleb(-places)

    def parse(value) -> Decimal:
        number = decimal(value)
        if number > limit:
            raise ValueError(_("“%(value)s”超出范围（0～%(max)s）") % {"value": value, "max": f"{limit:,}"})
        return number.quantize(step, rounding=ROUND_HALF_UP)

    return parse


def bounded_count(maximum: int) -> Callable[[object], int]:
    """A whole number from 0 to `maximum` (people, items, stalls)."""

    def parse(value) -> int:
        number = integer(value)
        if number < 0:
            raise ValueError(_("“%s”是负数") % value)
        if number > maximum:
            raise ValueError(_("“%(value)s”超出范围（0～%(max)s）") % {"value": value, "max": f"{maximum:,}"})
        return number

    return parse


YES_NO = {"是": True, "否": False, "有": True, "无": False, "Y": True, "N": False, "1": True, "0": False}


def yes_no(value) -> bool:
    key = text(value).upper()
    if key not in YES_NO:
        raise ValueError(_("“%s”：请填“是”或“否”") % value)
    return YES_NO[key]


def choice(mapping: dict[str, object]) -> Callable[[object], object]:
    """Accept one of the mapping's keys (e.g. Chinese labels) and return its value."""

    def parse(value):
        key = str(value).strip()
        if key not in mapping:
            raise ValueError(_("“%(value)s”不在可选值中：%(choices)s") % {"value": key, "choices": "、".join(mapping)})
        return mapping[key]

    return parse


def read(file, columns: list[Column]) -> tuple[list[tuple[int, dict]], list[RowProblem]]:
    """Parse the first sheet: ([(row number, values)], problems). Row numbers are Excel's (header = 1)."""
    data = file.read() if hasattr(file, "read") else file
    if len(data) > MAX_BYTES:
        raise ExcelError(_("文件大小为 %(size).1f MB，最大接受 %(limit)d MB") % {
            "size": len(data) / 1048576, "limit": MAX_BYTES // 1048576})
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExcelError(_("不是 Excel .xlsx 工作簿（%s）") % exc.__class__.__name__) from None
    sheet = book.worksheets[0]
    formulas = _FormulaLookup(data)
    if sheet.max_row - 1 > MAX_ROWS:
        raise ExcelError(_("工作表有 %(rows)d 行，最多接受 %(limit)d 行") % {"rows": sheet.max_row - 1, "limit": MAX_ROWS})
    _fill_merged(sheet)
    rows = sheet.iter_rows(values_only=True)
    header = [text(h) if h is not None else "" for h in next(rows, ())]
    positions = _positions(header, columns)
    parsed, problems = [], []
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # blank and trailing rows
        record, row_problems = _parse_row(number, values, positions, columns, formulas)
        problems += row_problems
        if not row_problems:
            parsed.append((number, record))
    return parsed, problems


def _fill_merged(sheet) -> None:
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in sheet.iter_rows(min_row=merged.min_row, max_row=merged.max_row,
                                   min_col=merged.min_col, max_col=merged.max_col):
            for cell in row:
                cell.value = value


def _positions(header: list[str], columns: list[Column]) -> dict[str, int]:
    positions = {h: i for i, h in enumerate(header) if h}
    missing = [c.header for c in columns if c.required and c.header not in positions]
    if missing:
        raise ExcelError(_("缺少列：%s（第一行须为表头）") % "、".join(missing))
    return positions


class _FormulaLookup:
    """Tells whether an empty cell is really a formula whose value was never saved.

    Read with data_only, such a cell is empty; the workbook is loaded a second time (formulas kept)
    only when a required cell turns out empty, which is rare.
    """

    def __init__(self, data: bytes):
        self.data = data
        self.sheet = None

    def is_formula(self, row: int, column: int) -> bool:
        if self.sheet is None:
            self.sheet = load_workbook(io.BytesIO(self.data)).worksheets[0]
        value = self.sheet.cell(row, column).value
        return isinstance(value, str) and value.startswith("=")


def _parse_row(number, values, positions, columns, formulas: _FormulaLookup):
    record, problems = {}, []
    for column in columns:
        index = positions.get(column.header)
        raw = values[index] if index is not None and index < len(values) else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if column.required and index is not None and formulas.is_formula(number, index + 1):
                problems.append(RowProblem(number, column.header,
                                           _("公式没有保存的计算结果：请用 Excel 打开并保存文件")))
            elif column.required:
                problems.append(RowProblem(number, column.header, _("必填")))
            record[column.key] = None
            continue
        try:
            record[column.key] = column.parse(raw)
        except ValueError as exc:
            problems.append(RowProblem(number, column.header, str(exc)))
    return record, problems


def write(columns: list[Column], rows: Iterable[Iterable[object]], title: str = "Sheet1") -> bytes:
    """A workbook with a bold header row (the template when `rows` is empty)."""
    return write_sheets([(title, columns, rows)])


def write_sheets(sheets: list[tuple[str, list[Column], Iterable[Iterable[object]]]]) -> bytes:
    """A workbook of several sheets, each (title, columns, rows) with a bold, frozen header row."""
    book = Workbook()
    book.remove(book.active)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append([c.header for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="FCE4D6")
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(10, len(column.header) * 2 + 4)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo:
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no zones: show the office's time
    return value
