"""Documents read back as GB/T 9704 lays them out: page, margins, faces and sizes, page numbers, signature."""

import datetime as dt
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from civicgrid.core.officialdoc import OfficialDocument


def east_asian_font(run) -> str:
    return run.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def build() -> Document:
    document = OfficialDocument()
    document.title("关于2026年11月创城工作情况的通报")
    document.paragraph("一、总体情况")
    document.paragraph("本月全区共受理案件1.2万余件。")
    document.paragraph("（一）表扬")
    document.table(["名次", "单位"], [[1, "五三街道"]])
    document.sign("浑南区创城办", dt.date(2026, 11, 30))
    return Document(io.BytesIO(document.bytes()))


def test_the_page_is_a4_with_the_standards_margins_and_22_lines():
    section = build().sections[0]
    measured = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin)
    # Word keeps lengths in twentieths of a point: equal to a tenth of a millimetre.
    assert all(abs(got - Mm(want)) < Mm(0.1) for got, want in zip(measured, (210, 297, 37, 35, 28, 26), strict=True))
    normal = build().styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    # 22 lines fill the 225 mm text block, and a 23rd would not fit.
    assert 22 * normal.line_spacing.pt <= Mm(225).pt < 23 * normal.line_spacing.pt
    assert normal.line_spacing == Pt(28.95)


def test_title_body_and_headings_use_the_standards_faces_and_sizes():
    paragraphs = [p for p in build().paragraphs if p.text]
    title, first, body, second = paragraphs[:4]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (east_asian_font(title.runs[0]), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))
    assert (east_asian_font(first.runs[0]), first.runs[0].font.size) == ("黑体", Pt(16))
    assert (east_asian_font(body.runs[0]), body.runs[0].font.size) == ("仿宋_GB2312", Pt(16))
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    assert (east_asian_font(second.runs[0]), second.runs[0].font.size) == ("楷体_GB2312", Pt(16))


def test_page_numbers_sit_outside_with_dashes_and_the_office_signs_with_the_date():
    document = build()
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    for footer in (odd, even):
        assert footer.text == "— 1 —" and "PAGE" in footer._p.xml
        assert footer.runs[0].font.size == Pt(14)
    issuer, date = [p for p in document.paragraphs if p.text][-2:]
    assert (issuer.text, date.text) == ("浑南区创城办", "2026年11月30日")
    assert issuer.alignment == WD_ALIGN_PARAGRAPH.RIGHT and issuer.paragraph_format.right_indent == Pt(64)
