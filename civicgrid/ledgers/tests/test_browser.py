"""In a real browser: import a ledger file with a bad row, then only the good rows; then draft a briefing and
download it as Word."""

import io

import pytest
from docx import Document

from civicgrid.ledgers.models import PublicityAsset
from civicgrid.ledgers.tests.conftest import workbook
from civicgrid.organizations.choices import Role
from conftest import log_in
from testsupport import build_small_district, grid_center, make_place, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_import_a_ledger_and_download_the_briefing(live_server, browser, tmp_path):
    build_small_district()
    make_place("compound", *grid_center("210112001001001"), name="阳光小区", code="CPD-1")
    make_user("office", Role.ADMIN)
    rows = [["CPD-1", "宣传栏", 457, "2026-02-01"], ["CPD-1", "宣传板", "11,256", "2026-02-01"],
            ["CPD-404", "宣传板", 3, "2026-02-01"]]
    path = tmp_path / "publicity.xlsx"
    path.write_bytes(workbook(["点位编码或名称", "类型", "数量", "设置日期"], rows).getvalue())
    page = browser.new_context(accept_downloads=True).new_page()
    page.set_default_timeout(15_000)
    errors = []  # a refused inline style (the Content-Security-Policy) is one
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, live_server, "office")

    page.goto(f"{live_server.url}/ledgers/publicity/")
    page.set_input_files("#import-form input[name=file]", str(path))
    page.click("#import-form button[type=submit]")
    report = page.locator("#import-report").inner_text()
    assert "第 4 行" in report and "CPD-404" in report and not PublicityAsset.objects.exists()
    page.set_input_files("#import-form input[name=file]", str(path))
    page.check("#import-form input[name=good_rows_only]")
    page.click("#import-form button[type=submit]")
    assert "新增 2 条" in page.locator("#import-report").inner_text()
    assert "11256" in page.locator("#ledger-table").inner_text()

    page.goto(f"{live_server.url}/briefings/")
    page.fill("#briefing-form input[name=start]", "2026-01-01")
    page.click("#briefing-form button[type=submit]")
    page.wait_for_selector("#paper")  # a draft opens in its editor, beside the sheet as it will print
    assert "累计设置社区宣传栏457个、宣传板11256个" in page.locator("#paper").inner_text()
    # Issue 16: a figure is inserted by its Chinese name where the cursor is, and the sheet follows the typing.
    area = page.locator("#id_template")
    area.fill("一、宣传\n宣传板共")
    area.press("End")
    page.fill("[data-figure-search]", "宣传板")
    assert page.locator("#figure-picker button:visible").all_inner_texts() == ["宣传板数"]
    page.click("#figure-picker button:has-text('宣传板数')")
    assert area.input_value() == "一、宣传\n宣传板共{{宣传板数}}"
    page.locator("#paper", has_text="宣传板共11256个").wait_for()
    assert page.locator("#paper .paper-heading").inner_text() == "一、宣传"
    assert errors == []  # htmx once copied the scaled sheet's style attribute, which the policy refuses
    page.click("#template-form button[type=submit]")
    page.wait_for_selector("text=已保存")
    page.once("dialog", lambda dialog: dialog.accept())  # publishing asks first (it cannot be undone)
    page.click("#publish")
    page.wait_for_selector("text=已发布")
    with page.expect_download() as download:
        page.click("#download-docx")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    assert any("宣传板共11256个" in p.text for p in document.paragraphs)
