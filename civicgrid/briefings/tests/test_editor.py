"""The briefing editor: Chinese placeholders picked from a list, a live preview that is the printed document."""

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from civicgrid.briefings import figures, services
from civicgrid.briefings.tests.test_briefings import END, START, records  # noqa: F401  (the fixture)
from civicgrid.ledgers.tests.conftest import town  # noqa: F401  (the fixture records builds on)

pytestmark = pytest.mark.django_db


def test_every_figure_has_one_chinese_name_and_both_spellings_fill_the_same_number(records):  # noqa: F811
    assert set(figures.PLACEHOLDER_NAMES) == set(figures.BY_KEY)
    assert len(set(figures.PLACEHOLDER_NAMES.values())) == len(figures.PLACEHOLDER_NAMES)
    admin = records["users"]["admin"]
    values = services.figure_values(admin, "210112", START, END)
    chinese = services.render_text("拆除违建{{拆除违建面积}}，即{{拆除违建面积.数字}}", values)
    english = services.render_text("拆除违建{{demolished_area}}，即{{demolished_area.number}}", values)
    assert chinese == english == [(False, "拆除违建52.58万平方米，即52.58万")]


def test_the_default_text_is_written_in_chinese_names(records):  # noqa: F811
    assert "{{包保区领导人数}}" in services.DEFAULT_TEMPLATE and "{{leaders" not in services.DEFAULT_TEMPLATE
    assert set(services.placeholders(services.DEFAULT_TEMPLATE)) <= set(figures.BY_KEY)


def test_an_unknown_chinese_name_is_refused_by_its_name(records):  # noqa: F811
    with pytest.raises(ValidationError, match="违建总数"):
        services.check_template("拆除{{违建总数}}")


def test_the_editor_offers_every_name_and_previews_the_text_being_typed(records, client):  # noqa: F811
    admin = records["users"]["admin"]
    briefing = services.create_briefing(admin, title="进展", region=records["regions"]["210112"], start=START,
                                        end=END)
    client.force_login(admin)
    page = client.get(f"/briefings/{briefing.pk}/").content.decode()
    for name in figures.PLACEHOLDER_NAMES.values():
        assert f'data-insert="{{{{{name}}}}}"' in page
    assert 'class="paper"' in page and "paper-signature" in page and 'data-print' in page
    preview = client.post(f"/briefings/{briefing.pk}/preview/", {"template": "一、拆违\n累计拆除违建{{拆除违建处数}}。"})
    html = preview.content.decode()
    assert '<h2 class="paper-heading level-1">一、拆违</h2>' in html and "累计拆除违建1.4万处。" in html
    briefing.refresh_from_db()
    assert briefing.template == services.DEFAULT_TEMPLATE  # a preview saves nothing
    refused = client.post(f"/briefings/{briefing.pk}/preview/", {"template": "{{不存在}}"}).content.decode()
    assert "未知的数字：不存在" in refused


def test_the_preview_is_what_the_word_file_holds(records, client):  # noqa: F811
    admin = records["users"]["admin"]
    briefing = services.create_briefing(admin, title="进展", region=records["regions"]["210112"], start=START,
                                        end=END)
    document = services.document(briefing, admin)
    written = [p.text for p in Document(io.BytesIO(document.bytes())).paragraphs if p.text]
    shown = []
    for block in document.blocks:
        shown += {"title": lambda b: [b["text"], b["subtitle"]], "signature": lambda b: [b["issuer"], b["date"]]}.get(
            block["kind"], lambda b: [b["text"]])(block)
    assert written == shown


def test_only_the_office_previews_a_draft(records, client):  # noqa: F811
    admin = records["users"]["admin"]
    briefing = services.create_briefing(admin, title="进展", region=records["regions"]["210112"], start=START,
                                        end=END)
    client.force_login(records["users"]["street"])
    assert client.post(f"/briefings/{briefing.pk}/preview/", {"template": "x"}).status_code == 404  # not visible
    services.publish(admin, briefing)
    assert client.post(f"/briefings/{briefing.pk}/preview/", {"template": "x"}).status_code == 403
