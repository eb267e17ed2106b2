"""Excel in and out from one declaration of columns.

A sheet declares its columns (Chinese header, key, parser, required) once; the template, the
validated import with its per-row report, and the export all come from that declaration.
Reading handles formulas (their cached values), merged cells (the top-left value fills the range),
blank rows, numbers stored as text (the parsers take strings), a title row above the header (as
government templates have), dates as offices type them (2025-03-05, 2025/3/5, 2025年6月1日, or Excel's
date serial numbers), full-width commas in numbers and percentages formatted as such in Excel (0.6 shown as
60%). Files over MAX_BYTES or with more than MAX_ROWS data rows are refused before parsing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from civicgrid.core.text import FORMULA_START, strip_xml_illegal

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# What a workbook may unpack to: one part (a sheet, the shared strings) and all parts together.
MAX_MEMBER_BYTES = 40 * 1024 * 1024
MAX_UNPACKED_BYTES = 120 * 1024 * 1024
MAX_MEMBERS = 500
DTD_SCAN_BYTES = 64 * 1024  # a DTD precedes the root element


class ExcelError(Exception):
    """The whole file is unusable (not a workbook, too large, headers missing)."""


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[object], object] = lambda v: v
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class Accepts:
    """What a column's parser accepts, for the template's data validation and its instructions sheet."""

    kind: str  # list, whole, decimal, date, yes_no
    choices: tuple[str, ...] = ()
    maximum: Decimal | int | None = None


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


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# Excel's date serial numbers of 2000-01-01 and 2099-12-31: a number in this range in a date column is a date
# whose cell lost its date format (a copy from another sheet, a CSV opened in Excel).
_SERIALS = (36526, 73415)


def date(value) -> dt.date:
    """A date as offices write it: 2025-03-05, 2025/3/5, 2025.3.5, 2025年6月1日, or an Excel serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    if isinstance(value, int | float) or raw.isdigit():
        serial = float(raw) if not isinstance(value, int | float) else value
        if _SERIALS[0] <= serial <= _SERIALS[1]:
            return from_excel(serial).date()
    found = _DATE.fullmatch(raw)
    if found:
        try:
            return dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            pass
    raise ValueError(_("“%s”不是日期（如 2025-03-05、2025/3/5 或 2025年3月5日）") % value)


date.accepts = Accepts("date")


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

    parse.accepts = Accepts("decimal", maximum=limit)
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

    parse.accepts = Accepts("whole", maximum=maximum)
    return parse


YES_NO = {"是": True, "否": False, "有": True, "无": False, "Y": True, "N": False, "1": True, "0": False}


def yes_no(value) -> bool:
    key = text(value).upper()
    if key not in YES_NO:
        raise ValueError(_("“%s”：请填“是”或“否”") % value)
    return YES_NO[key]


yes_no.accepts = Accepts("list", choices=("是", "否"))


def choice(mapping: dict[str, object]) -> Callable[[object], object]:
    """Accept one of the mapping's keys (e.g. Chinese labels) and return its value."""

    def parse(value):
        key = str(value).strip()
        if key not in mapping:
            # Name what a person writes (the labels), never the codes a mapping also accepts.
            raise ValueError(_("“%(value)s”不在可选值中：%(choices)s") % {
                "value": key, "choices": "、".join(getattr(mapping, "shown", mapping))})
        return mapping[key]

    # The drop-down offers what the mapping says a person writes (labels() also accepts the codes).
    parse.accepts = Accepts("list", choices=tuple(getattr(mapping, "shown", mapping)))
    return parse


_PERCENT = bounded_count(100)


def percent(value) -> int:
    return _PERCENT(str(value).strip().rstrip("%"))


percent.accepts = Accepts("percent")


class Accepted(dict):
    """A `choice` mapping that accepts more keys than a template's drop-down offers (`shown`)."""

    shown: tuple[str, ...] = ()


def labels(choices) -> dict[str, str]:
    """Labels (and the codes themselves) of a TextChoices, for `choice`; the drop-down offers the labels."""
    mapping = Accepted({str(label): value for value, label in choices.choices} | {v: v for v in choices.values})
    mapping.shown = tuple(str(label) for _value, label in choices.choices)
    return mapping


def split_list(value) -> list[str]:
    raw = text(value)
    for separator in ("，", "、", ";", "；", "\n"):
        raw = raw.replace(separator, ",")
    return [part.strip() for part in raw.split(",") if part.strip()]


HEADER_ROWS_SCANNED = 5  # a title (and a subtitle or a date line) may stand above the header


def read(file, columns: list[Column]) -> tuple[list[tuple[int, dict]], list[RowProblem]]:
    """Parse the first sheet: ([(row number, values)], problems). Row numbers are Excel's.

    The header is the first of the top rows that holds every required column; rows above it (a merged
    title, as government templates have) are skipped. A header cell merged across columns is refused with
    a message naming it, since its columns cannot be told apart."""
    data = file.read() if hasattr(file, "read") else file
    if len(data) > MAX_BYTES:
        raise ExcelError(_("文件大小为 %(size).1f MB，最大接受 %(limit)d MB") % {
            "size": len(data) / 1048576, "limit": MAX_BYTES // 1048576})
    check_archive(data)
    _count_rows(data)
    book = _load(data, data_only=True)
    sheet = book.worksheets[0]
    formulas = _FormulaLookup(data)
    _refuse_merged_headers(sheet, columns)
    header_row, positions = _find_header(sheet, columns)
    _fill_merged(sheet)
    parsed, problems = [], []
    rows = sheet.iter_rows(min_row=header_row + 1)
    for number, cells in enumerate(rows, start=header_row + 1):
        values = [_percent_as_shown(cell) for cell in cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # blank and trailing rows
        record, row_problems = _parse_row(number, values, positions, columns, formulas)
        problems += row_problems
        if not row_problems:
            parsed.append((number, record))
    return parsed, problems


def check_archive(data: bytes) -> None:
    """Refuse a workbook whose parts would unpack beyond the limits, before any XML is parsed.

    An .xlsx is a zip archive: a 200 KB file can hold a 200 MB cell. The sizes are read from the archive's
    directory, and Python's zipfile never inflates a member past its declared size (it fails the CRC
    instead), so nothing large is ever held in memory.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExcelError(_("不是 Excel .xlsx 工作簿（无法解压）")) from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ExcelError(_("工作簿包含 %(count)d 个部件，最多接受 %(limit)d 个") % {
            "count": len(members), "limit": MAX_MEMBERS})
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES:
            raise ExcelError(_("工作簿的部件 %(name)s 解压后为 %(size).1f MB，最大接受 %(limit)d MB") % {
                "name": member.filename, "size": member.file_size / 1048576, "limit": MAX_MEMBER_BYTES // 1048576})
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise ExcelError(_("工作簿解压后为 %(size).1f MB，最大接受 %(limit)d MB") % {
            "size": total / 1048576, "limit": MAX_UNPACKED_BYTES // 1048576})
    for member in members:
        if _declares_a_dtd(archive, member):
            raise ExcelError(_("工作簿的部件 %s 含有文档类型定义（DTD），不予接受") % member.filename)


def _declares_a_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether an XML part carries a DTD. Office never writes one; a DTD is how entity attacks begin, and
    some parts are read by a parser that would merely ignore it, so it is refused for every part."""
    if not member.filename.endswith((".xml", ".rels", ".vml")):
        return False
    try:
        with archive.open(member) as part:
            head = part.read(DTD_SCAN_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise ExcelError(_("不是 Excel .xlsx 工作簿（无法解压 %s）") % member.filename) from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode()
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def _load(data: bytes, **options):
    """Open the workbook; whatever the parser raises on a hostile or broken file is the file's problem.

    openpyxl parses through defusedxml (installed for this), so a DTD or an entity declaration is
    refused instead of expanded; malformed XML, missing parts and wrong types surface as many
    exception classes, all of which mean "not a usable workbook".
    """
    try:
        return load_workbook(io.BytesIO(data), **options)
    except (InvalidFileException, zipfile.BadZipFile) as exc:
        raise ExcelError(_("不是 Excel .xlsx 工作簿（%s）") % exc.__class__.__name__) from None
    except Exception as exc:  # untrusted input: any parser failure is a refusal, not a 500
        raise ExcelError(_("工作簿已损坏或含有不允许的内容（%s）") % exc.__class__.__name__) from None


def _count_rows(data: bytes) -> None:
    """Stream the first sheet (read-only mode) and stop as soon as it has more rows than accepted."""
    book = _load(data, read_only=True, data_only=True)
    try:
        if not book.worksheets:
            raise ExcelError(_("工作簿没有工作表"))
        for rows, _row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if rows - 1 > MAX_ROWS:
                raise ExcelError(_("工作表的数据行数超过上限：最多接受 %(limit)d 行") % {"limit": MAX_ROWS})
    except ExcelError:
        raise
    except Exception as exc:  # see _load
        raise ExcelError(_("工作簿已损坏或含有不允许的内容（%s）") % exc.__class__.__name__) from None
    finally:
        book.close()


def _fill_merged(sheet) -> None:
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in sheet.iter_rows(min_row=merged.min_row, max_row=merged.max_row,
                                   min_col=merged.min_col, max_col=merged.max_col):
            for cell in row:
                cell.value = value


def _find_header(sheet, columns: list[Column]) -> tuple[int, dict[str, int]]:
    """The header's row number and each header's column index."""
    fewest_missing = None
    for number, values in enumerate(sheet.iter_rows(max_row=HEADER_ROWS_SCANNED, values_only=True), start=1):
        header = [text(h) if h is not None else "" for h in values]
        positions = {h: i for i, h in enumerate(header) if h}
        missing = [c.header for c in columns if c.required and c.header not in positions]
        if not missing:
            return number, positions
        if fewest_missing is None or len(missing) < len(fewest_missing):
            fewest_missing = missing
    raise ExcelError(_("缺少列：%s（表头须在前%d行内，每列一个表头）") % (
        "、".join(fewest_missing or [c.header for c in columns if c.required]), HEADER_ROWS_SCANNED))


def _refuse_merged_headers(sheet, columns: list[Column]) -> None:
    """A column header merged across columns hides the columns after it; a merged title is fine."""
    headers = {c.header for c in columns}
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > HEADER_ROWS_SCANNED or merged.max_col == merged.min_col:
            continue
        value = sheet.cell(merged.min_row, merged.min_col).value
        if value is not None and text(value) in headers:
            raise ExcelError(_("表头单元格 %(range)s（“%(text)s”）是跨列合并的单元格：请取消合并，每列一个表头") % {
                "range": merged.coord, "text": text(value) if value is not None else ""})


def _percent_as_shown(cell):
    """A number Excel shows as a percentage (0.6 formatted 0% reads 60%) is read as the text it shows."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return f"{Decimal(str(value)) * 100:f}%"
    return value


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
            self.sheet = _load(self.data).worksheets[0]
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


TEMPLATE_ROWS = 2000  # rows of the template that carry the columns' data validation


def template(columns: list[Column], title: str) -> bytes:
    """The empty template of an import: the header row; drop-down lists and number and date checks on the first
    TEMPLATE_ROWS rows (what Excel refuses while typing, the import would refuse anyway); and a second sheet,
    填写说明, that explains each column: required or not, what to write, the allowed values or range."""
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = strip_xml_illegal(title)[:31]
    lists = book.create_sheet("可选值")
    lists.sheet_state = "hidden"
    guide = book.create_sheet("填写说明")
    guide.append([_("列"), _("必填"), _("填写要求"), _("说明")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(1, index, strip_xml_illegal(column.header))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FCE4D6")
        sheet.column_dimensions[letter].width = max(10, len(column.header) * 2 + 4)
        accepts = getattr(column.parse, "accepts", None)
        rule = _validation(accepts, lists, index, DataValidation)
        if rule is not None:
            rule.allow_blank = not column.required
            rule.error = _describe(accepts)
            rule.errorTitle = column.header
            rule.showErrorMessage = True
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        guide.append([column.header, _("是") if column.required else _("否"), _describe(accepts), column.help])
    for letter, width in zip("ABCD", (24, 8, 60, 40), strict=True):
        guide.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _validation(accepts: Accepts | None, lists, index: int, DataValidation):
    if accepts is None:
        return None
    if accepts.kind == "list":
        # The values stand in a hidden sheet: a list written into the rule itself may not exceed 255 characters.
        for row, choice in enumerate(accepts.choices, start=1):
            lists.cell(row, index, choice).data_type = "s"
        letter = get_column_letter(index)
        return DataValidation(type="list", formula1=f"'可选值'!${letter}$1:${letter}${len(accepts.choices)}")
    if accepts.kind in ("whole", "decimal"):
        return DataValidation(type=accepts.kind, operator="between", formula1="0", formula2=str(accepts.maximum))
    if accepts.kind == "date":
        return DataValidation(type="date", operator="between", formula1="36526", formula2="73415")  # 2000–2099
    return None


def _describe(accepts: Accepts | None) -> str:
    if accepts is None:
        return _("文字")
    if accepts.kind == "list":
        return _("从下拉列表中选择：%s") % "、".join(accepts.choices)
    if accepts.kind == "whole":
        return _("0～%s 的整数") % f"{accepts.maximum:,}"
    if accepts.kind == "percent":
        return _("0～100 的百分比，如 60 或 60%")
    if accepts.kind == "decimal":
        return _("0～%s 的数，最多两位小数") % f"{accepts.maximum:,}"
    return _("日期，如 2025-03-05、2025/3/5 或 2025年3月5日")


def write(columns: list[Column], rows: Iterable[Iterable[object]], title: str = "Sheet1") -> bytes:
    """A workbook with a bold header row (the template when `rows` is empty)."""
    return write_sheets([(title, columns, rows)])


def write_sheets(sheets: list[tuple[str, list[Column], Iterable[Iterable[object]]]]) -> bytes:
    """A workbook of several sheets, each (title, columns, rows) with a bold, frozen header row."""
    buffer = io.BytesIO()
    write_to(buffer, sheets)
    return buffer.getvalue()


def write_to(target, sheets: list[tuple[str, list[Column], Iterable[Iterable[object]]]],
             progress: Callable[[int], None] | None = None, every: int = 2000) -> int:
    """Write the workbook to a file (a path or a binary file object); returns the number of data rows.

    Written in openpyxl's streaming mode, row by row, so memory does not grow with the rows; `progress(rows)` is
    called every `every` rows. Text is always written as text: a value that starts like a formula
    (= + - @, tab, CR) never becomes one, and characters XML cannot carry are dropped.
    """
    written = 0
    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(strip_xml_illegal(title)[:31])
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, len(column.header) * 2 + 4)
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = _text_cell(sheet, column.header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="FCE4D6")
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(sheet, v) for v in row])
            written += 1
            if progress is not None and written % every == 0:
                progress(written)
    book.save(target)
    return written


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, strip_xml_illegal(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _cell(sheet, value):
    if isinstance(value, str):
        return _text_cell(sheet, value) if value.startswith(FORMULA_START) else strip_xml_illegal(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo:
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no zones: show the office's time
    return value
