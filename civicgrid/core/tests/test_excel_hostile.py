"""Workbooks that attack their reader are refused before they are parsed; exports never write a formula."""

import io
import resource
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from civicgrid.core import excel

COLUMNS = [excel.Column("名称", "name", excel.text), excel.Column("数量", "count", excel.integer)]


def good_workbook() -> bytes:
    book = Workbook()
    book.active.append(["名称", "数量"])
    book.active.append(["甲", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change) -> bytes:
    """The same archive with one part's XML changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item.filename, change(content) if item.filename == part else content)
    return out.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def body(xml: bytes) -> bytes:
    """The XML without its declaration, so a DTD can be put in front."""
    return xml[xml.index(b"?>") + 2:] if xml.startswith(b"<?xml") else xml


@pytest.mark.parametrize("change", [
    lambda xml: xml[: len(xml) // 2],  # truncated: malformed XML
    lambda xml: b"not xml at all",
    lambda xml: BILLION_LAUGHS + body(xml).replace(b"<v>1</v>", b"<v>&lol3;</v>"),
    lambda xml: EXTERNAL + body(xml).replace(b"<v>1</v>", b"<v>&xxe;</v>"),
], ids=["truncated", "garbage", "entity-expansion", "external-entity"])
def test_a_hostile_or_broken_sheet_is_a_clear_refusal(change):
    data = rewrite(good_workbook(), "xl/worksheets/sheet1.xml", change)
    with pytest.raises(excel.ExcelError):
        excel.read(io.BytesIO(data), COLUMNS)


def test_a_dtd_in_the_shared_strings_is_refused():
    data = rewrite(good_workbook(), "xl/workbook.xml", lambda xml: EXTERNAL + body(xml))
    with pytest.raises(excel.ExcelError):
        excel.read(io.BytesIO(data), COLUMNS)


def bomb(cell_bytes: int) -> bytes:
    """A small file whose sheet unpacks to one enormous cell (zeroes compress ~1000:1)."""
    data = good_workbook()
    filler = b"A" * cell_bytes
    return rewrite(data, "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b"</sheetData>", b'<row r="3"><c r="A3" t="inlineStr"><is><t>' + filler
                                           + b"</t></is></c></row></sheetData>"))


def test_a_small_file_holding_a_200_mb_cell_is_refused_without_unpacking_it():
    data = bomb(200 * 1024 * 1024)
    assert len(data) < 400 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    with pytest.raises(excel.ExcelError, match="MB"):
        excel.read(io.BytesIO(data), COLUMNS)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50


def test_rows_are_counted_while_streaming(monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 3)
    book = Workbook()
    book.active.append(["名称", "数量"])
    for n in range(5):
        book.active.append([f"第{n}", n])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(excel.ExcelError, match="3"):
        excel.read(io.BytesIO(buffer.getvalue()), COLUMNS)


@pytest.mark.parametrize("text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://x","y")'])
def test_exported_text_that_looks_like_a_formula_stays_text(text):
    data = excel.write(COLUMNS, [[text, 1]])
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.data_type == "s" and cell.value == text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_exported_text_loses_characters_xml_cannot_carry():
    data = excel.write(COLUMNS, [["垃圾\x0b堆\x00放\ufffe", 1]])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "垃圾堆放"
