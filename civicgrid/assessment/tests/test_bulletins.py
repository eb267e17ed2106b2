"""Bulletins: drafted from the rankings, immutable once published, corrected as new versions, in Word, on the
home page of the units they name; accountability records per unit; the dashboard in scope."""

import io

import pytest
from docx import Document

from civicgrid.assessment import bulletins, dashboard
from civicgrid.assessment.models import Accountability, Bulletin
from civicgrid.assessment.tests.test_indicators import NOV, at, month  # noqa: F401  (the fixture)
from civicgrid.core.exceptions import Conflict
from civicgrid.organizations.choices import Role
from civicgrid.territory.models import Region
from testsupport import make_user


@pytest.fixture
def office(month):  # noqa: F811
    return make_user("admin", Role.ADMIN)


def test_a_draft_states_rankings_praise_and_criticism(office, settings):
    draft = bulletins.draft(office, level="street", start=NOV[0], end=NOV[1], scheme="chengdu")
    assert draft.status == "draft" and draft.version == 1
    assert "一、总体情况" in draft.body and "第1名 第1街道" in draft.body
    assert "第1街道有20件案件超期未处置" in draft.body and "第1街道有40件案件返工" in draft.body
    assert set(draft.named_units) == {"210112001", "210112002"}
    ranked = [u for u in draft.rankings if u["rank"]]
    assert ranked[0]["unit"]["code"] == "210112001"


def test_published_bulletins_are_immutable_and_corrected_as_new_versions(office):
    draft = bulletins.draft(office, level="street", start=NOV[0], end=NOV[1])
    bulletins.update(office, draft, body=draft.body + "\n补充说明")
    published = bulletins.publish(office, draft)
    with pytest.raises(Conflict):
        bulletins.update(office, published, body="改写")
    with pytest.raises(Conflict):
        bulletins.publish(office, published)
    correction = bulletins.correct(office, published)
    assert (correction.version, correction.previous, correction.status) == (2, published, "draft")
    assert Bulletin.objects.get(pk=published.pk).body.endswith("补充说明")


def test_word_and_the_home_pages_of_the_units_named(office, client):
    draft = bulletins.draft(office, level="street", start=NOV[0], end=NOV[1])
    document = Document(io.BytesIO(bulletins.docx(draft)))
    assert document.paragraphs[0].text == draft.title and document.tables
    street = make_user("street", Role.STREET_STAFF, region=Region.objects.get(code="210112001"))
    client.force_login(street)
    assert 'id="bulletins"' not in client.get("/").content.decode()  # a draft names nobody yet
    assert client.get(f"/bulletins/{draft.pk}/").status_code == 404
    bulletins.publish(office, draft)
    assert draft.title in client.get("/").content.decode()
    assert client.get(f"/bulletins/{draft.pk}/document.docx").status_code == 200


def test_accountability_is_listed_per_unit(office, client):
    Accountability.objects.create(kind="interview", decided_on=NOV[1], region_code="210112001", reason="超期案件多")
    Accountability.objects.create(kind="criticism", decided_on=NOV[1], region_code="210112002", reason="返工")
    street = make_user("street", Role.STREET_STAFF, region=Region.objects.get(code="210112001"))
    client.force_login(street)
    page = client.get("/accountability/").content.decode()
    assert "超期案件多" in page and "返工" not in page
    draft = bulletins.draft(office, level="street", start=NOV[0], end=NOV[1])
    assert "约谈" in draft.body and "超期案件多" in draft.body


def test_the_dashboard_respects_scope(office, client):
    whole = dashboard.data(office, NOV[1])
    assert {k["key"]: k["value"] for k in whole["kpis"]}["on_time_closure_rate"] == 0.7582
    other = make_user("other", Role.STREET_STAFF, region=Region.objects.get(code="210112002"))
    theirs = dashboard.data(other, NOV[1])
    assert {k["key"]: k["value"] for k in theirs["kpis"]}["open"] == 0
    assert [r["code"] for r in theirs["ranking"]] == ["210112002"] and theirs["points"] == []
    client.force_login(other)
    for url in ("/dashboard/", "/dashboard/command/", "/dashboard/data.json", "/dashboard/grids.geojson",
                "/assessment/", "/bulletins/", "/accountability/"):
        assert client.get(url).status_code == 200, url
    grids = client.get("/dashboard/grids.geojson").json()["features"]
    assert grids and all(f["properties"]["code"].startswith("210112002") for f in grids)


def test_every_kpi_links_to_exactly_the_cases_it_counts(office):
    from django.utils import timezone
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(office)
    for kpi in dashboard.data(office, timezone.localdate())["kpis"]:
        listed = api.get(kpi["link"].replace("/cases/", "/api/v1/cases/")).json()["count"]
        expected = kpi["numerator"] if kpi["key"] == "on_time_closure_rate" else kpi["value"]
        assert listed == expected, kpi["key"]


def test_only_the_office_records_accountability(office, client):
    import datetime as dt

    from django.core.exceptions import PermissionDenied, ValidationError

    street = make_user("street", Role.STREET_STAFF, region=Region.objects.get(code="210112001"))
    with pytest.raises(PermissionDenied):
        bulletins.record_accountability(street, kind="interview", decided_on=dt.date(2026, 11, 30),
                                        region_code="210112001", reason="自己记")
    with pytest.raises(ValidationError):  # neither a unit nor a region
        bulletins.record_accountability(office, kind="interview", decided_on=dt.date(2026, 11, 30), reason="无对象")
    client.force_login(street)
    client.post("/accountability/", {"kind": "interview", "decided_on": "2026-11-30", "region_code": "210112001",
                                     "reason": "页面"})
    assert not Accountability.objects.exists()
    client.force_login(office)
    client.post("/accountability/", {"kind": "interview", "decided_on": "2026-11-30", "region_code": "210112001",
                                     "reason": "页面"})
    assert Accountability.objects.get().reason == "页面"


def test_typical_problems_carry_their_first_before_photo(office):
    from civicgrid.cases.models import Case
    from civicgrid.cases.photos import store_photo
    from civicgrid.cases.services import add_finding, report_case
    from civicgrid.cases.tests.conftest import jpeg, upload
    from testsupport import grid_center

    first = store_photo(upload(jpeg(pattern=1)), office)
    later = store_photo(upload(jpeg(pattern=2)), office)
    case = report_case(office, case_class=Case.objects.first().case_class, description="典型", photos=[first],
                       lng=grid_center("210112001001001")[0], lat=grid_center("210112001001001")[1]).case
    add_finding(case, office, note="再次发现", photos=[later])
    Case.objects.filter(pk=case.pk).update(due_at=at(29))  # the latest due of the month: first in the list
    typical = bulletins._typical_cases(office, "street", ["210112001"], *NOV)
    mine = next(t for t in typical if t["number"] == case.number)
    assert mine["photo"] == first.thumbnail.name
    assert all(t["photo"] == "" for t in typical if t["number"] != case.number)


def test_a_refused_edit_says_why_in_words_on_the_page(office, client):
    draft = bulletins.draft(office, level="street", start=NOV[0], end=NOV[1])
    client.force_login(office)
    page = client.post(f"/bulletins/{draft.pk}/", {"title": draft.title, "body": "  "}, follow=True).content.decode()
    assert "正文不能为空。" in page and "{&#x27;body&#x27;" not in page
    assert Bulletin.objects.get(pk=draft.pk).body == draft.body


def test_the_bulletin_editor_previews_the_text_being_typed_as_it_will_print(office, client):
    draft = bulletins.draft(office, level="street", start=NOV[0], end=NOV[1])
    client.force_login(office)
    page = client.get(f"/bulletins/{draft.pk}/").content.decode()
    assert 'class="paper"' in page and 'class="paper-table"' in page and "data-print" in page
    html = client.post(f"/bulletins/{draft.pk}/preview/", {"body": "一、总体情况\n本月表扬第1街道。"}).content.decode()
    assert '<h2 class="paper-heading level-1">一、总体情况</h2>' in html and "本月表扬第1街道。" in html
    assert Bulletin.objects.get(pk=draft.pk).body == draft.body  # a preview saves nothing
    published = client.post(f"/bulletins/{draft.pk}/publish/", follow=True).content.decode()
    assert "已发布：被点名的单位现在可在首页看到这份通报。" in published
    street = make_user("street", Role.STREET_STAFF, region=Region.objects.get(code="210112001"))
    client.force_login(street)
    assert client.post(f"/bulletins/{draft.pk}/preview/", {"body": "x"}).status_code == 403
