"""The public side as a citizen and the office use it: report with or without a phone, follow the link, rate,
and the office's review and moderation. Every step's notifications are recorded."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from civicgrid.cases.models import Case, CaseEvent, Photo
from civicgrid.cases.services import perform
from civicgrid.cases.tests.conftest import SH, jpeg, upload
from civicgrid.citizens import categories, public, services
from civicgrid.citizens.models import Block, PublicReport, Review
from civicgrid.notifications.models import Channel, Delivery
from civicgrid.notifications.services import send_due

pytestmark = pytest.mark.django_db
REPORT = "/public/report/"


def post_report(world, client=None, **fields):
    lng, lat = world["point"]
    data = {"case_class": "E0102", "description": "小区门口垃圾两天没人清", "lat": lat, "lng": lng,
            "contact": "anonymous", "photos": [upload(jpeg()), upload(jpeg(pattern=1), "b.jpg")]}
    data.update(fields)
    return (client or Client()).post(REPORT, {k: v for k, v in data.items() if v is not None})


def code_sent_to(phone: str) -> str:
    return Delivery.objects.filter(kind="code", address=phone).latest("id").params["code"]


def take_to_closed(world, number):
    u = world["users"]
    perform(u["inspector"], number, "verify")
    perform(u["shift_leader"], number, "file")
    perform(u["dispatcher"], number, "dispatch")
    perform(u["handler"], number, "handle", photos=[Photo.objects.create(
        file="x.jpg", public_file="x.jpg", sha256="0" * 64, perceptual_hash="0" * 16, width=1, height=1)],
        note="已联系保洁员张三清运", public_note="垃圾已清运")
    perform(u["inspector"], number, "check_pass")
    perform(u["shift_leader"], number, "close")


def test_an_anonymous_report_with_photos_becomes_a_public_case_followed_by_its_link(world):
    response = post_report(world)
    assert response.status_code == 201, response.content
    answer = response.json()
    case = Case.objects.get(number=answer["number"])
    report = case.public_report
    assert case.source == "public_report" and case.reporter is None and report.phone == ""
    assert answer["track"] == f"/public/r/{case.number}/{report.secret}/"
    assert CaseEvent.objects.get(case=case).photos.count() == 2
    page = Client().get(answer["track"])
    assert page.status_code == 200
    assert "已收到您的反映" in page.content.decode() and case.number in page.content.decode()
    # A wrong secret is a 404, not a hint that the number exists.
    assert Client().get(f"/public/r/{case.number}/{report.secret}x/").status_code == 404
    # Anonymous: nobody is told anything; the link is the only way.
    assert not Delivery.objects.filter(case_number=case.number).exists()


@pytest.mark.parametrize("where, message", [
    ({"lat": "", "lng": ""}, "请在地图上标出问题的位置"),
    ({"lat": "10.0", "lng": "10.0"}, "不在本区范围内"),
])
def test_without_a_location_or_outside_the_district_the_citizen_is_told_and_nothing_is_kept(world, where, message):
    photos_before = Photo.objects.count()
    response = post_report(world, **where)
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"]["location"])
    assert Photo.objects.count() == photos_before and not Case.objects.exists()


def test_a_report_without_a_category_names_the_field(world):
    response = post_report(world, case_class="")
    assert response.status_code == 400 and response.json()["errors"]["case_class"] == ["请选择问题类型。"]


def test_a_phone_is_verified_by_a_text_message_code_and_then_hears_of_every_step(world):
    client = Client()
    assert client.post("/public/report/code/", {"phone": "123"}).status_code == 400
    assert client.post("/public/report/code/", {"phone": "+86 138-0013-8000"}).status_code == 200
    sms = Delivery.objects.get(kind="code")
    assert sms.status == "pending"  # sent after the commit (in-process, or on the queue)
    assert send_due() == 1
    sms.refresh_from_db()
    assert sms.channel == Channel.SMS and sms.address == "13800138000" and sms.status == "sent"  # outbox backend
    wrong = post_report(world, client, contact="phone", phone="13800138000", code="000000"
                        if code_sent_to("13800138000") != "000000" else "111111")
    assert wrong.status_code == 400 and wrong.json()["errors"]["code"] == ["验证码不正确。"]
    ok = post_report(world, client, contact="phone", phone="13800138000", code=code_sent_to("13800138000"))
    assert ok.status_code == 201
    number = ok.json()["number"]
    # The code is used: the same code cannot make a second verified report.
    again = post_report(world, client, contact="phone", phone="13800138000", code=code_sent_to("13800138000"))
    assert again.status_code == 400
    take_to_closed(world, number)
    kinds = list(Delivery.objects.filter(case_number=number, address="13800138000").order_by("id")
                 .values_list("kind", flat=True))
    assert kinds == ["ack", "progress", "rate"]
    body = Delivery.objects.get(case_number=number, kind="rate").body
    assert "满意" in body and PublicReport.objects.get(case__number=number).secret in body


def test_the_timeline_speaks_plain_words_without_staff_names_or_internal_notes(world):
    number = post_report(world).json()["number"]
    take_to_closed(world, number)
    report = PublicReport.objects.get(case__number=number)
    page = Client().get(services.tracking_path(report)).content.decode()
    for words in ("已收到您的反映", "已受理", "已派至", "已处理完毕", "垃圾已清运", "已办结"):
        assert words in page
    for internal in ("张三", "shift_leader", "dispatcher", "处置中", world["users"]["handler"].username):
        assert internal not in page
    assert [e.status for e in public.timeline(report.case)][-1] == "FIXED"


def test_dissatisfied_within_the_window_goes_to_the_office_which_reopens_or_keeps(world):
    number = post_report(world).json()["number"]
    take_to_closed(world, number)
    report = PublicReport.objects.get(case__number=number)
    client = Client()
    response = client.post(services.tracking_path(report), {"form": "rating", "rating": "dissatisfied",
                                                            "comment": "还是很脏"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.rating == "dissatisfied" and report.review == Review.PENDING
    assert report.case.events.filter(action="feedback").get().data["rating"] == "dissatisfied"
    admin = world["users"]["admin"]
    assert admin.notifications.filter(kind="review", case=report.case).exists()
    # Once only.
    assert client.post(services.tracking_path(report), {"form": "rating", "rating": "satisfied"}).status_code == 200
    report.refresh_from_db()
    assert report.rating == "dissatisfied"
    staff = Client()
    staff.force_login(admin)
    staff.post(f"/public/office/{number}/review/", {"decision": "reopen", "note": "复查仍有垃圾"})
    case = Case.objects.get(number=number)
    assert case.state == "handling" and case.closed_at is None and case.events.filter(action="reopen").exists()
    page = Client().get(services.tracking_path(report)).content.decode()
    assert "重新处理" in page


def test_the_office_may_keep_a_case_closed_and_others_may_not_review(world):
    number = post_report(world).json()["number"]
    take_to_closed(world, number)
    report = PublicReport.objects.get(case__number=number)
    services.rate(report, "dissatisfied", "不满意")
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.review(report, world["users"]["dispatcher"], reopen=False, note="x")
    services.review(report, world["users"]["admin"], reopen=False, note="已按标准清理")
    case = Case.objects.get(number=number)
    assert case.state == "closed" and case.events.filter(action="review_keep").exists()


def test_dissatisfied_after_the_window_is_recorded_but_not_sent_for_review(world, settings):
    settings.CITIZEN_REVIEW_WINDOW_DAYS = 7
    number = post_report(world).json()["number"]
    take_to_closed(world, number)
    report = PublicReport.objects.get(case__number=number)
    with time_machine.travel(report.case.closed_at + dt.timedelta(days=8)):
        services.rate(report, "dissatisfied")
    report.refresh_from_db()
    assert report.rating == "dissatisfied" and report.review == Review.NONE


def test_hidden_text_and_photos_stay_on_the_case_but_leave_the_public_side(world):
    number = post_report(world).json()["number"]
    case = Case.objects.get(number=number)
    photo = public.photos(case)[0]
    services.moderate(case, world["users"]["admin"], hide_text=True, hide_photo=str(photo.uid), note="含个人信息")
    case = Case.objects.get(number=number)
    assert public.description(case) == "（描述已由工作人员隐藏）" and case.description == "小区门口垃圾两天没人清"
    assert photo not in public.photos(case) and len(public.photos(case)) == 1
    assert case.events.filter(action="moderate").exists()
    page = Client().get(services.tracking_path(case.public_report)).content.decode()
    assert "小区门口垃圾两天没人清" not in page and str(photo.uid) not in page
    see = Client().get("/public/").content.decode()
    assert "小区门口垃圾两天没人清" not in see


def test_blocked_numbers_and_addresses_and_too_many_reports_are_refused(world, settings):
    Block.objects.create(kind="phone", value="13900000000", reason="辱骂")
    with pytest.raises(Exception, match="停止提交"):
        services.send_code("13900000000", client_address="10.0.0.1")
    settings.PUBLIC_REPORTS_PER_ADDRESS_PER_DAY = 2
    assert post_report(world).status_code == 201
    assert post_report(world).status_code == 201
    third = post_report(world)
    assert third.status_code == 400 and "上限" in third.json()["errors"]["__all__"][0]
    Block.objects.create(kind="address", value=__import__("civicgrid.citizens.models", fromlist=["x"])
                         .address_digest("127.0.0.1"), reason="刷单")
    settings.PUBLIC_REPORTS_PER_ADDRESS_PER_DAY = 20
    assert post_report(world).status_code == 403


def test_searching_a_category_offers_choices_instead_of_picking_one(world):
    found = [c.minor_name for c in categories.search("垃圾")]
    assert {"暴露垃圾", "垃圾箱", "积存垃圾渣土"} <= set(found) and len(found) > 3
    response = Client().get("/public/report/suggest/", {"mode": "search", "text": "垃圾"}).json()
    assert len(response["classes"]) > 3
    assert categories.suggest("路灯不亮")[0].minor_name == "路灯"
    groups = categories.grouped()
    assert 12 <= len(groups) <= 14 and sum(len(m) for _g, m in groups) == Case._meta.apps.get_model(
        "cases", "CaseClass").objects.filter(active=True).count()


def test_private_classes_are_shown_at_their_grids_centre(world):
    number = post_report(world, case_class="E0607").json()["number"]
    case = Case.objects.get(number=number)
    assert case.case_class.location_blurred
    lat, lng = public.position(case)
    assert (lat, lng) != (case.lat, case.lng)
    features = Client().get("/public/reports.geojson").json()["features"]
    assert [f["geometry"]["coordinates"] for f in features if f["properties"]["number"] == number] == [[lng, lat]]


def test_the_public_list_carries_no_personal_data(world):
    client = Client()
    client.post("/public/report/code/", {"phone": "13800138000"})
    post_report(world, client, contact="phone", phone="13800138000", code=code_sent_to("13800138000"))
    for url in ("/public/", "/public/reports.geojson", "/public/?show=fixed"):
        body = Client().get(url).content.decode()
        assert "13800138000" not in body


def test_a_citizen_signs_in_with_a_code_and_lists_their_reports(world):
    client = Client()
    client.post("/public/report/code/", {"phone": "13700137000"})
    number = post_report(world, client, contact="phone", phone="13700137000",
                         code=code_sent_to("13700137000")).json()["number"]
    other = post_report(world).json()["number"]
    with time_machine.travel(dt.datetime.now(SH) + dt.timedelta(minutes=2)):
        client.post("/public/report/code/", {"phone": "13700137000"})
        response = client.post("/public/sign-in/", {"phone": "13700137000", "code": code_sent_to("13700137000")})
        assert response.status_code == 302 and response["Location"] == reverse("public-mine")
        page = client.get("/public/mine/").content.decode()
    assert number in page and other not in page


def test_satisfaction_joins_the_assessment_with_the_cases_behind_it(world):
    from civicgrid.assessment import services as assessment
    from civicgrid.cases.indicators import cases_behind

    ratings = ["satisfied", "fairly", "dissatisfied"]
    numbers = [post_report(world).json()["number"] for _ in ratings]
    for number, rating in zip(numbers, ratings, strict=True):
        take_to_closed(world, number)
        services.rate(PublicReport.objects.get(case__number=number), rating)
    today = dt.date.today()
    table = assessment.compute(world["users"]["admin"], "department", today - dt.timedelta(days=1),
                               today + dt.timedelta(days=1))
    [unit] = [u for u in table["units"] if u["indicators"]["satisfaction_rate"]["denominator"]]
    figure = unit["indicators"]["satisfaction_rate"]
    assert (figure["numerator"], figure["denominator"]) == (2, 3)
    begin = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(), tzinfo=SH)
    finish = begin + dt.timedelta(days=3)
    behind = Case.objects.filter(cases_behind("satisfaction_rate", "numerator", begin, finish))
    assert sorted(behind.values_list("number", flat=True)) == sorted(numbers[:2])


def test_only_the_office_reviews_unblocks_and_resends(world):
    from civicgrid.notifications.models import Status

    number = post_report(world).json()["number"]
    take_to_closed(world, number)
    report = PublicReport.objects.get(case__number=number)
    services.rate(report, "dissatisfied")
    block = Block.objects.create(kind="phone", value="13900000000", reason="辱骂")
    delivery = Delivery.objects.create(kind="ack", channel="sms", address="13800138000", body="x",
                                       status=Status.ABANDONED, next_attempt_at=report.created_at)
    for role in ("dispatcher", "community", "public"):
        client = Client()
        client.force_login(world["users"][role])
        assert client.post(f"/public/office/{number}/review/", {"decision": "reopen", "note": "x"}).status_code == 403
        assert client.post(f"/public/office/blocks/{block.pk}/unblock/").status_code == 403
        client.post(f"/notifications/outbox/{delivery.pk}/resend/")
    report.refresh_from_db()
    block.refresh_from_db()
    delivery.refresh_from_db()
    assert report.review == Review.PENDING and block.active and delivery.status == Status.ABANDONED
    assert Case.objects.get(number=number).state == "closed"


def test_a_report_takes_a_few_updates_a_day_not_a_flood(world):
    number = post_report(world).json()["number"]
    case = Case.objects.get(number=number)
    for i in range(services.UPDATES_PER_CASE_PER_DAY):
        services.add_update(case, text=f"补充{i}")
    with pytest.raises(ValidationError, match="上限"):
        services.add_update(case, text="再补充")
    assert case.events.filter(action="citizen_update").count() == services.UPDATES_PER_CASE_PER_DAY
    assert "举报人补充：补充0" in [e.text for e in public.timeline(case)]


def test_refusals_keep_their_reason_after_later_events_and_many_cases_cost_one_query(world, django_assert_num_queries):
    """The reason of a refusal is its own event's, even when moderation follows it; a page of cases asks for
    the reasons once, not once per case (the public list, the map and Open311 list up to 1,000)."""
    u = world["users"]
    numbers = [post_report(world).json()["number"] for _ in range(3)]
    for number in numbers:
        perform(u["shift_leader"], number, "reject", note="内部：非本区", public_note="该路段属市政公司管理")
    services.moderate(Case.objects.get(number=numbers[0]), u["admin"], hide_text=True)
    cases = list(Case.objects.filter(number__in=numbers).select_related("public_report"))
    with django_assert_num_queries(1):
        statuses = public.case_statuses(cases)
    assert {statuses[c.pk] for c in cases} == {
        ("closed", "NOT_COUNCILS_RESPONSIBILITY", "不予受理：该路段属市政公司管理")}


def test_private_classes_are_placed_from_the_in_memory_grid_index(world, django_assert_max_num_queries, settings):
    """A grid's centre comes from the locator's index: no boundary is read per case (a map lists up to 1,000)."""
    settings.LOCATOR_VERSION_CHECK_SECONDS = 60  # as deployed (2 s): tests check the version on every call
    numbers = [post_report(world, case_class="E0607").json()["number"] for _ in range(4)]
    cases = list(Case.objects.select_related("case_class").filter(number__in=numbers))
    with django_assert_max_num_queries(1):  # at most the locator's version check
        positions = [public.position(case) for case in cases]
    assert all(position != (case.lat, case.lng) for position, case in zip(positions, cases, strict=True))


def test_the_office_moderates_only_photos_of_the_case(world):
    first, second = (Case.objects.get(number=post_report(world).json()["number"]) for _ in range(2))
    foreign = public.photos(second)[0]
    with pytest.raises(ValidationError, match="不属于"):
        services.moderate(first, world["users"]["admin"], hide_photo=str(foreign.uid))
    with pytest.raises(ValidationError, match="不属于"):
        services.moderate(first, world["users"]["admin"], hide_photo="not-a-uid")
    assert foreign in public.photos(second) and not first.events.filter(action="moderate").exists()


def test_only_the_office_lifts_a_block_and_reads_the_office_lists(world):
    block = Block.objects.create(kind="phone", value="13900000000", reason="辱骂")
    post_report(world)
    assert not services.unblock(world["users"]["dispatcher"], block.pk)
    assert not PublicReport.objects.restrict(world["users"]["dispatcher"], "view").exists()
    assert services.unblock(world["users"]["admin"], block.pk)
    block.refresh_from_db()
    assert not block.active and PublicReport.objects.restrict(world["users"]["admin"], "view").count() == 1
