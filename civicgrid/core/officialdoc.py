"""Word documents laid out as official documents (党政机关公文格式, GB/T 9704-2012).

- A4; margins 37 mm top, 35 mm bottom, 28 mm inside (left), 26 mm outside (right): a 156 × 225 mm text block.
- Title in 方正小标宋简体 二号 (22 pt), centred.
- Body in 仿宋_GB2312 三号 (16 pt), 22 lines of 28 characters to the page (an exact line pitch of 225 mm / 22),
  first lines indented two characters; first-level headings (一、) in 黑体, second-level (（一）) in 楷体_GB2312.
- Page numbers "— 1 —" in 宋体 四号 (14 pt), odd pages at the right and even pages at the left, one character in.
- The issuing office and the date at the end, right-aligned four characters in.

Fonts are named, not embedded: the machines that open these documents have them (and Word substitutes otherwise).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import re

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from civicgrid.core.text import strip_xml_illegal

TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_NUMBER_FONT = (
    "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体")
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = Pt(22), Pt(16), Pt(14)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINES_PER_PAGE = 22
# 225 mm / 22 = 28.99 pt, rounded down to Word's twentieths of a point, or the 22nd line would not fit.
LINE_PITCH = Pt(math.floor(Mm(225).pt / LINES_PER_PAGE * 20) / 20)  # 28.95 pt
FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]+、")
SECOND_LEVEL = re.compile(r"^（[一二三四五六七八九十]+）")


class OfficialDocument:
    """Build one document: `title`, then `heading`/`paragraph`/`table`/`picture`, then `sign` and `bytes`.
    `blocks` keeps what was written, in order, for the page's print preview (web/_paper.html): the preview and the
    file come from the same calls."""

    def __init__(self):
        self.blocks: list[dict] = []
        self.document = Document()
        section = self.document.sections[0]
        section.start_type = WD_SECTION_START.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
        section.footer_distance = Mm(28) - Mm(7)  # the number 7 mm below the text block
        normal = self.document.styles["Normal"]
        _font(normal, BODY_FONT, BODY_SIZE)
        pf = normal.paragraph_format
        pf.line_spacing = LINE_PITCH
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.space_before = pf.space_after = Pt(0)
        self.document.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    def title(self, text: str, subtitle: str = "") -> None:
        self.blocks.append({"kind": "title", "text": text, "subtitle": subtitle})
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, TITLE_FONT, TITLE_SIZE)
        paragraph.paragraph_format.line_spacing = Pt(35)  # a two-line title keeps its lines apart
        if subtitle:
            below = self.document.add_paragraph()
            below.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(below, subtitle, BODY_FONT, BODY_SIZE)
        self.document.add_paragraph()  # one empty line between the title and the body

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append({"kind": "heading", "text": text, "level": level})
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
        _run(paragraph, text, HEADING_FONT if level == 1 else SUBHEADING_FONT, BODY_SIZE)

    def paragraph(self, text: str) -> None:
        """A body paragraph; a line opening with 一、 or （一） becomes the heading of its level."""
        text = strip_xml_illegal(text).strip()
        if FIRST_LEVEL.match(text):
            self.heading(text, 1)
        elif SECOND_LEVEL.match(text):
            self.heading(text, 2)
        elif text:
            self.blocks.append({"kind": "paragraph", "text": text})
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
            _run(paragraph, text, BODY_FONT, BODY_SIZE)

    def table(self, header: list[str], rows: list[list]) -> None:
        self.blocks.append({"kind": "table", "header": header, "rows": rows})
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            _cell(cell, text, HEADING_FONT)
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                _cell(cell, strip_xml_illegal(str(value)), BODY_FONT)

    def picture(self, data: bytes, caption: str = "", width_mm: int = 80) -> None:
        if caption:
            self.paragraph(caption)
        self.blocks.append({"kind": "picture", "src": _data_uri(data), "width_mm": width_mm})
        self.document.add_picture(io.BytesIO(data), width=Mm(width_mm))
        self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def sign(self, issuer: str, day: dt.date) -> None:
        """The issuing office and the date, right-aligned four characters in, after an empty line."""
        self.blocks.append({"kind": "signature", "issuer": issuer, "date": f"{day.year}年{day.month}月{day.day}日"})
        self.document.add_paragraph()
        for text in (issuer, f"{day.year}年{day.month}月{day.day}日"):
            paragraph = self.document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = BODY_SIZE * 4
            _run(paragraph, text, BODY_FONT, BODY_SIZE)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _data_uri(data: bytes) -> str:
    kind = "png" if data.startswith(b"\x89PNG") else "webp" if data[8:12] == b"WEBP" else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def _font(style_or_run, name: str, size) -> None:
    """Name the face for Latin and East Asian text alike (Word picks the East Asian one for Chinese)."""
    font = style_or_run.font
    font.name, font.size = name, size
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _run(paragraph, text: str, font: str, size):
    run = paragraph.add_run(strip_xml_illegal(text))
    _font(run, font, size)
    return run


def _cell(cell, text: str, font: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _run(paragraph, text, font, Pt(12))


def _page_number(paragraph, alignment) -> None:
    """"— N —" with a PAGE field, one character in from the outside edge."""
    paragraph.alignment = alignment
    paragraph.paragraph_format.first_line_indent = Pt(0)
    indent = PAGE_NUMBER_SIZE
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    _run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    run = _run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    _run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
