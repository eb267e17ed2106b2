"""Briefing figures equal independent sums over the records; sentences read as a district report does;
publication freezes; Word and HTML; scope."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from docx import Document
from rest_framework.test import APIClient

from civicgrid.briefings import services
from civicgrid.briefings.models import Briefing
from civicgrid.core.exceptions import Conflict
from civicgrid.ledgers import models as m
from civicgrid.ledgers.tests.conftest import town  # noqa: F401  (the fixture)

START, END = dt.date(2026, 1, 1), dt.date(2026, 10, 31)


@pytest.fixture
def records(town):  # noqa: F811
    p = town["places"]
    kinds = {k.slug: k for k in m.WorkKind.objects.all()}
    assets = [(p["compound1"], "column", 300, dt.date(2026, 2, 1)), (p["compound2"], "column", 157, dt.date(2026, 3, 1)),
              (p["compound1"], "board", 6000, dt.date(2026, 2, 1)), (p["compound2"], "board", 5256, dt.date(2026, 3, 1)),
              (p["compound2"], "board", 999, dt.date(2025, 12, 31))]  # before the period
    for place, kind, count, installed in assets:
        m.PublicityAsset.objects.create(place=place, kind=kind, count=count, installed_on=installed,
                                        region_code=place.region_code)

    def operation(title, region, quantities, date=dt.date(2026, 6, 1), kind="joint_enforcement", places=()):
        op = m.Operation.objects.create(title=title, kind=kind, region_code=region, date=date)
        op.places.add(*places)
        for slug, amount in quantities:
            m.Quantity.objects.create(operation=op, kind=kinds[slug], amount=Decimal(amount))
        return op

    operation("前榆村拆违", "210112001", [("demolished", 9000), ("demolished_area", 325800)])
    operation("古城子拆违", "210112002", [("demolished", 5000), ("demolished_area", 200000)])
    operation("去年拆违", "210112002", [("demolished", 77)], date=dt.date(2025, 6, 1))
    operation("阳光小区清理", "210112001", [("person_times", 1449), ("vehicle_trips", 3026)], kind="cleanup",
              places=[p["compound1"]])
    operation("月亮小区清理", "210112002", [("person_times", 0), ("weeds", 20)], kind="cleanup",
              places=[p["compound2"]])
    type(p["compound1"]).objects.filter(pk=p["compound1"].pk).update(is_old_compound=True)  # 老旧小区: only this one
    for region, people in (("210112001", (30000, 100, 200, 300)), ("210112002", (19000, 500, 200, 68))):
        m.MobilisationEvent.objects.create(date=dt.date(2026, 5, 1), title="宣传", kind="distribution",
                                           region_code=region, volunteers=people[0], community_workers=people[1],
                                           officials=people[2], students=people[3], online_views=250000)
    return town


def values(user, region="210112"):
    return services.figure_values(user, region, START, END)


def test_figures_equal_independent_sums(records):
    admin = records["users"]["admin"]
    figures = values(admin)
    columns = sum(a.count for a in m.PublicityAsset.objects.filter(kind="column", installed_on__gte=START))
    boards = sum(a.count for a in m.PublicityAsset.objects.filter(kind="board", installed_on__gte=START))
    demolished = sum(q.amount for q in m.Quantity.objects.filter(kind__slug="demolished", operation__date__gte=START))
    people = sum(e.participants for e in m.MobilisationEvent.objects.all())
    assert (figures["bulletin_columns"]["value"], figures["publicity_boards"]["value"]) == (columns, boards) == (457, 11256)
    assert figures["demolished"]["value"] == demolished == 14000
    assert figures["demolished_area"]["value"] == 525800
    assert figures["mobilised_people"]["value"] == people == 50368
    assert figures["compounds"]["value"] == 2 and figures["cleanup_compounds"]["value"] == 1  # the old one only


def test_the_article_sentences(records):
    values_ = values(records["users"]["admin"])
    text = "\n".join(t for _heading, t in services.render_text(services.DEFAULT_TEMPLATE, values_))
    assert "全区2个小区累计设置社区宣传栏457个、宣传板11256个" in text
    assert "累计拆除违建1.4万处52.58万平方米" in text
    assert "共计5万余人" in text and "网络累计浏览量达到50万次" in text
    assert "共出动1449人次，各类车辆3000余台" in text


def test_the_figures_api_gives_keys_values_units_and_sentences(records):
    api = APIClient()
    api.force_authenticate(records["users"]["admin"])
    answer = api.get("/api/v1/briefings/figures/?region=210112&start=2026-01-01&end=2026-10-31")
    assert answer.status_code == 200
    by_key = {f["key"]: f for f in answer.json()}
    assert by_key["demolished_area"] | {"link": ""} == {
        "key": "demolished_area", "label": "拆除违建面积", "value": 525800, "unit": "平方米", "text": "52.58万平方米",
        "number": "52.58万", "link": "", "sentence": "组织多部门联合执法，累计拆除违建1.4万处52.58万平方米。"}
    assert by_key["publicity_boards"]["sentence"] == "全区2个小区累计设置社区宣传栏457个、宣传板11256个。"
    assert by_key["demolished_area"]["link"].startswith("/ledgers/operations/?")
    assert api.get("/api/v1/briefings/figures/?start=2026-02-01&end=2026-01-01").status_code == 400


def test_figures_of_another_street_are_not_found_rather_than_zeros(records):
    """Issue 14: a street asking for another street's figures gets 404; its own, the district's (in its scope)
    and those of its communities answer."""
    api = APIClient()
    api.force_authenticate(records["users"]["street"])
    period = "start=2026-01-01&end=2026-10-31"
    assert api.get(f"/api/v1/briefings/figures/?region=210112002&{period}").status_code == 404
    assert api.get(f"/api/v1/briefings/figures/?region=210112002001&{period}").status_code == 404
    for reachable in ("210112001", "210112", "210112001001"):
        assert api.get(f"/api/v1/briefings/figures/?region={reachable}&{period}").status_code == 200, reachable
    assert api.get(f"/api/v1/briefings/figures/?{period}").status_code == 200  # the district by default


def test_a_street_gets_its_own_figures(records):
    street = values(records["users"]["street"], "210112")
    assert street["publicity_boards"]["value"] == 6000 and street["demolished"]["value"] == 9000
    assert street["mobilised_people"]["value"] == 30600


def test_publication_freezes_and_corrections_are_new_versions(records):
    admin = records["users"]["admin"]
    briefing = services.create_briefing(admin, title="进展", region=records["regions"]["210112"], start=START, end=END)
    services.publish(admin, briefing)
    m.PublicityAsset.objects.filter(kind="board").update(count=1)
    briefing.refresh_from_db()
    assert "宣传板11256个" in strip_tags(services.html_for(briefing, admin))
    with pytest.raises(Conflict):
        services.update_briefing(admin, briefing, template="改")
    with pytest.raises(Conflict):
        services.publish(admin, briefing)
    draft = services.correct(admin, briefing)
    assert draft.previous == briefing and not draft.published
    assert "宣传板2个" in strip_tags(services.html_for(draft, admin))  # live figures in the correction


def test_unknown_placeholders_are_refused(records):
    with pytest.raises(ValidationError, match="nonsense"):
        services.create_briefing(records["users"]["admin"], title="x", region=records["regions"]["210112"],
                                 start=START, end=END, template="共{{nonsense}}")


def test_only_the_office_drafts_and_others_see_published_only(records, client):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_briefing(records["users"]["street"], title="x", region=records["regions"]["210112"],
                                 start=START, end=END)
    briefing = services.create_briefing(records["users"]["admin"], title="草稿", region=records["regions"]["210112"],
                                        start=START, end=END)
    client.force_login(records["users"]["street"])
    assert client.get(f"/briefings/{briefing.pk}/").status_code == 404
    services.publish(records["users"]["admin"], briefing)
    assert client.get(f"/briefings/{briefing.pk}/").status_code == 200


def test_word_and_html_documents(records, client):
    admin = records["users"]["admin"]
    briefing = services.create_briefing(admin, title="三城联创工作进展", region=records["regions"]["210112"],
                                        start=START, end=END)
    client.force_login(admin)
    response = client.get(f"/briefings/{briefing.pk}/document.docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "三城联创工作进展" in text and "累计拆除违建1.4万处52.58万平方米" in text
    # Sections are first-level headings of an official document (GB/T 9704: 黑体; core/tests/test_officialdoc.py).
    from docx.oxml.ns import qn

    assert any(p.text.startswith("五、") and p.runs[0].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
               for p in document.paragraphs)
    html = client.get(f"/api/v1/briefings/{briefing.pk}/document.html").content.decode()
    assert '<a class="figure" data-key="demolished_area" href="/ledgers/operations/?' in html
    assert Briefing.objects.count() == 1


def test_date_fields_render_as_iso_dates_browsers_accept(records, client):
    """A date input shows nothing for 2026/01/01 (the zh-hans format), so the form could never be sent."""
    import re

    client.force_login(records["users"]["admin"])
    page = client.get("/briefings/").content.decode()
    values = re.findall(r'type="date" name="(?:start|end)" value="([^"]*)"', page)
    assert len(values) == 2 and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in values)


def test_the_briefings_on_time_closure_rate_is_the_indicators(district):
    """Issue 14: 按期结案率 divides by 应结案 (cases due in the period), as the evaluation does — not by the
    closures among cases reported in the period — and its link lists the cases behind it."""
    from civicgrid.assessment.tests.test_indicators import Factory, at
    from civicgrid.organizations.choices import Role
    from testsupport import make_user

    f = Factory(district)
    f.case(due=at(5), handled=at(4), deadline=at(6))  # A: reported in October, due and closed on time in November
    f.rows[-1].reported_at = at(20, month=10)
    f.case(due=at(10), handled=at(11), deadline=at(10), close_type="overdue")  # B: closed late
    f.case(state="handling", due=at(12), deadline=at(12))  # C: due, still being handled
    f.save()
    admin = make_user("office", Role.ADMIN)
    figure = services.figure_values(admin, "210112", dt.date(2026, 11, 1), dt.date(2026, 11, 30),
                                    ["on_time_closure_rate"])["on_time_closure_rate"]
    assert figure["text"] == "33.33%"  # A of A, B, C; the old rate said 0 % (B, the one closure reported in November)
    assert "indicator=on_time_closure_rate" in figure["link"] and "start=2026-11-01" in figure["link"]
    reported = services.figure_values(admin, "210112", dt.date(2026, 11, 1), dt.date(2026, 11, 30),
                                      ["cases_reported"])["cases_reported"]
    assert reported["value"] == 2 and "created_after=2026-11-01T00" in reported["link"]


def test_cumulative_figures_count_from_the_campaigns_start_and_the_others_within_the_period(records):
    """Issue 14: 累计 means since the campaign began (CAMPAIGN_START), not in the period."""
    july = services.figure_values(records["users"]["admin"], "210112", dt.date(2026, 7, 1), dt.date(2026, 7, 31))
    assert july["publicity_boards"]["value"] == 11256  # installed in February and March: 累计设置
    assert july["mobilised_people"]["value"] == 50368  # May's events: 累计动员
    assert july["demolished"]["value"] == 14000  # June's operations: 累计拆除违建; last year's 77 are not the campaign's
    assert july["cleanup_compounds"]["value"] == 0  # 组织对…进行清理: within the period (June's cleanup is not July's)


def test_a_period_before_any_contract_says_so(records):
    """Issue 14: no "0名区级领导包0个街道办事处" when no leader is contracted yet."""
    values = services.figure_values(records["users"]["admin"], "210112", START, END)
    assert values["leaders_contracted"]["value"] == 0
    text = "\n".join(t for _heading, t in services.render_text(services.DEFAULT_TEMPLATE, values))
    assert "实行专项包保机制，本期尚无区级领导包保街道办事处。" in text and "0名区级领导" not in text
    assert "本期尚无区级领导包保街道办事处" in strip_tags(services.render_html(services.DEFAULT_TEMPLATE, values))
