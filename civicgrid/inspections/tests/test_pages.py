"""The inspection pages, per role: what each sees, and the office's forms going through the services."""

import datetime as dt
import io

from django.utils import timezone
from openpyxl import Workbook

from civicgrid.cases.choices import State
from civicgrid.cases.models import Case
from civicgrid.cases.services import perform
from civicgrid.inspections.models import AssessmentRound, Assignment, Inspection, Plan, Standard
from civicgrid.inspections.tests.conftest import photo_of
from civicgrid.inspections.tests.test_inspections import run

PAGES = ["/inspections/", "/inspections/start/?q=市场", "/inspections/coverage/", "/inspections/results/",
         "/inspections/rounds/", "/inspections/standards/", "/inspections/plans/", "/inspections/assignments/"]


def test_every_page_renders_for_each_role(field, client):
    run(field["users"]["inspector"], field["places"]["market"], {"NM01": 1})
    for name in ("admin", "street", "other_street", "market_staff", "chief", "public", "assessor"):
        client.force_login(field["users"][name])
        for url in PAGES:
            assert client.get(url).status_code == 200, (name, url)


def test_a_street_sees_its_own_inspections_only(field, client):
    ours = run(field["users"]["inspector"], field["places"]["market"], {}).inspection
    theirs = run(field["users"]["inspector"], field["places"]["far_market"], {}).inspection
    client.force_login(field["users"]["street"])
    page = client.get("/inspections/").content.decode()
    assert "东风农贸市场" in page and "西山农贸市场" not in page
    assert client.get(f"/inspections/{ours.uid}/").status_code == 200
    assert client.get(f"/inspections/{theirs.uid}/").status_code == 404
    search = client.get("/inspections/start/?q=农贸市场").content.decode()
    assert "东风农贸市场" in search and "西山农贸市场" not in search


def test_a_place_shows_its_latest_score_and_open_cases(field, client):
    outcome = run(field["users"]["inspector"], field["places"]["market"], {"NM04": 1})
    client.force_login(field["users"]["admin"])
    page = client.get("/inspections/?place=MKT-1").content.decode()
    assert "97.00" in page and outcome.opened[0].number in page  # NM04: 15 − 3


def test_the_office_makes_a_plan_and_its_assignments_on_the_page(field, client):
    today = timezone.localdate()
    form = {"name": "市场晨检", "kind": "morning", "standard": field["standard"].pk, "region_code": "210112",
            "selection": "listed", "places": "MKT-1, MKT-2", "recurrence": "daily",
            "starts_on": today.isoformat(), "draw_per_type": "0"}
    client.force_login(field["users"]["street"])
    client.post("/inspections/plans/", form)
    assert not Plan.objects.exists()  # only the office plans
    client.force_login(field["users"]["admin"])
    assert "NOPE" in client.post("/inspections/plans/", {**form, "places": "MKT-1, NOPE"}).content.decode()
    assert client.post("/inspections/plans/", form).status_code == 302
    plan = Plan.objects.get()
    assert (plan.window_start, plan.window_end) == (dt.time(6), dt.time(9))
    client.post(f"/inspections/plans/{plan.pk}/generate/",
                {"start": today.isoformat(), "end": (today + dt.timedelta(days=1)).isoformat()})
    assert Assignment.objects.count() == 4
    page = client.get(f"/inspections/assignments/?day={today.isoformat()}").content.decode()
    assert "东风农贸市场" in page and "西山农贸市场" in page


def test_the_office_commissions_and_publishes_a_round_on_the_page(field, client):
    today = timezone.localdate()
    client.force_login(field["users"]["admin"])
    client.post("/inspections/rounds/", {"name": "第一轮", "firm": field["firm"].pk, "standard": field["standard"].pk,
                                          "starts_on": today.isoformat(), "ends_on": today.isoformat()}, follow=True)
    round_ = AssessmentRound.objects.get()
    outcome = run(field["users"]["assessor"], field["places"]["market"], {"NM01": 1}, kind="undercover",
                  round_=round_)
    client.force_login(field["users"]["street"])
    assert "第一轮" not in client.get("/inspections/rounds/").content.decode()
    client.force_login(field["users"]["admin"])
    client.post(f"/inspections/rounds/{round_.pk}/publish/", follow=True)
    assert Case.objects.get(pk=outcome.opened[0].pk).state == State.HANDLING
    client.force_login(field["users"]["street"])
    assert "第一轮" in client.get("/inspections/rounds/").content.decode()


def test_a_bad_checklist_upload_lists_each_bad_row(field, client):
    book = Workbook()
    sheet = book.active
    sheet.append(["点位类型", "检查项代码", "检查内容", "检查方法", "分值", "每处扣分"])
    sheet.append(["农贸市场", "Q1", "公平秤", "实地察看", "十", "2"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "bad.xlsx"
    buffer.seek(0)
    client.force_login(field["users"]["admin"])
    page = client.post("/inspections/standards/", {"code": "q-std", "name": "Q", "file": buffer}).content.decode()
    assert "第 2 行「分值」" in page and not Standard.objects.filter(code="q-std").exists()


def test_a_recheck_from_the_inspection_page_closes_the_handled_case(field, client):
    first = run(field["users"]["inspector"], field["places"]["market"], {"NM04": 1})
    case = first.opened[0]
    perform(field["users"]["market_staff"], case.number, "handle", photos=[photo_of(field["users"]["market_staff"])])
    client.force_login(field["users"]["assessor"])
    assert "复查该点位" in client.get(f"/inspections/{first.inspection.uid}/").content.decode()
    response = client.post("/inspections/start/", {"place": "MKT-1", "kind": "recheck",
                                                   "recheck_of": str(first.inspection.uid)})
    recheck = Inspection.objects.get(kind="recheck")
    assert response.url == f"/inspections/{recheck.uid}/"
    answers = {f"outcome_{code}": "pass" for code in
               recheck.standard.items.filter(point_type=recheck.point_type).values_list("code", flat=True)}
    client.post(f"/inspections/{recheck.uid}/", answers)
    case.refresh_from_db()
    assert case.state == State.CLOSED


def test_a_failure_without_photo_is_refused_on_the_page_and_nothing_is_saved(field, client):
    client.force_login(field["users"]["inspector"])
    response = client.post("/inspections/start/", {"place": "MKT-1", "kind": "morning"})
    inspection = Inspection.objects.get()
    answers = {f"outcome_{code}": "pass" for code in
               inspection.standard.items.filter(point_type=inspection.point_type).values_list("code", flat=True)}
    answers.update({"outcome_NM01": "fail", "findings_NM01": "2"})
    page = client.post(response.url, answers).content.decode()
    assert "不合格须上传至少一张照片" in page
    inspection.refresh_from_db()
    assert not inspection.submitted and not inspection.results.exists() and not Case.objects.exists()


def test_the_pages_in_english(field, client):
    outcome = run(field["users"]["inspector"], field["places"]["market"], {"NM01": 1})
    client.force_login(field["users"]["admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in [*PAGES, f"/inspections/{outcome.inspection.uid}/"]:
        page = client.get(url).content.decode()
        assert 'lang="en"' in page, url
    assert "Places inspected by point type" in client.get("/inspections/coverage/").content.decode()
    assert "Morning check" in client.get("/inspections/").content.decode()


def test_the_home_page_lists_todays_checks_for_the_assignee(field, client):
    from civicgrid.inspections import planning

    today = timezone.localdate()
    plan = planning.create_plan(field["users"]["admin"], name="店长自查", kind="self_check", standard=field["standard"],
                                region_code="210112", starts_on=today, selection="listed",
                                places=[field["places"]["shop"]])
    planning.generate_assignments(plan, today, today)
    client.force_login(field["users"]["chief"])
    assert "小吃店" in client.get("/").content.decode()
    client.force_login(field["users"]["street"])
    assert 'id="checks-today"' not in client.get("/").content.decode()


def test_the_start_page_offers_the_places_near_the_phone_within_reach(field, client):
    """Issue 16: the places within 300 m, nearest first; another street's place is not offered even when near."""
    market, far = field["places"]["market"], field["places"]["far_market"]
    client.force_login(field["users"]["street"])
    near = client.get("/inspections/start/nearby/", {"lat": market.lat + 0.0005, "lng": market.lng}).content.decode()
    assert "东风农贸市场" in near and "约 56 米" in near
    assert "西山农贸市场" not in client.get("/inspections/start/nearby/",
                                        {"lat": far.lat, "lng": far.lng}).content.decode()
    assert client.get("/inspections/start/nearby/", {"lat": "x"}).content.decode().strip() == ""
