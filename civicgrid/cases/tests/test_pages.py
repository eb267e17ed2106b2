import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from civicgrid.cases.models import Case
from civicgrid.cases.services import perform, report_case
from civicgrid.cases.tests.conftest import jpeg, upload

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def a_case(world, who="gridworker", point=None):
    lng, lat = point or world["point"]
    return report_case(world["users"][who], case_class=world["garbage"], description="路边垃圾", lng=lng,
                       lat=lat).case


def test_the_report_form_creates_a_case_with_photos(world):
    lng, lat = world["point"]
    response = client_for(world["users"]["gridworker"]).post("/cases/report/", {
        "case_class": "E0102", "description": "垃圾", "lat": lat, "lng": lng, "urgency": "normal",
        "source": "inspector_patrol", "photos": [upload(jpeg())]})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert case.events.get().photos.count() == 1


def test_the_report_form_explains_a_position_outside_the_district(world):
    response = client_for(world["users"]["gridworker"]).post("/cases/report/", {
        "case_class": "E0102", "description": "垃圾", "lat": 30, "lng": 100, "urgency": "normal",
        "source": "inspector_patrol"})
    assert response.status_code == 200 and "不在本区任何网格内" in response.content.decode()
    assert not Case.objects.exists()


def test_each_role_sees_its_queue(world):
    case = a_case(world)
    u = world["users"]
    assert case.number in client_for(u["shift_leader"]).get("/cases/queues/").content.decode()
    assert case.number not in client_for(u["dispatcher"]).get("/cases/queues/").content.decode()
    perform(u["shift_leader"], case.number, "file")
    assert case.number in client_for(u["dispatcher"]).get("/cases/queues/").content.decode()
    assert "待派遣" in client_for(u["dispatcher"]).get("/").content.decode()


def test_the_detail_page_offers_only_the_allowed_actions_and_they_work(world):
    case = a_case(world)
    client = client_for(world["users"]["shift_leader"])
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert 'data-action="file"' in page and 'data-action="dispatch"' not in page
    response = client.post(f"/cases/{case.number}/act/file/", {"note": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == "filed"
    again = client.post(f"/cases/{case.number}/act/file/", {"note": ""}, follow=True)
    assert "不能“立案”" in again.content.decode()


def test_the_detail_page_is_404_out_of_scope(world):
    case = a_case(world)
    assert client_for(world["users"]["other_community"]).get(f"/cases/{case.number}/").status_code == 404


def test_the_list_filters_and_exports_what_the_user_may_see(world):
    mine = a_case(world)
    far = a_case(world, point=world["far_point"])
    client = client_for(world["users"]["community"])
    page = client.get("/cases/").content.decode()
    assert mine.number in page and far.number not in page
    export = client.get("/cases/export.xlsx?state=reported")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "案件编号" and [r[0] for r in rows[1:]] == [mine.number]
    table = client_for(world["users"]["admin"]).get("/cases/?region=210112002", HTTP_HX_REQUEST="true")
    assert far.number in table.content.decode() and "<html" not in table.content.decode()


def test_the_detail_page_shows_photo_capture_time_and_position(world):
    import datetime as dt

    from civicgrid.cases.photos import store_photo
    from civicgrid.cases.tests.conftest import SH

    photo = store_photo(upload(jpeg(taken=dt.datetime(2026, 11, 20, 9, 30, tzinfo=SH), gps=(41.8, 123.4))),
                        world["users"]["gridworker"])
    lng, lat = world["point"]
    case = report_case(world["users"]["gridworker"], case_class=world["garbage"], description="有照片", lng=lng,
                       lat=lat, photos=[photo]).case
    page = client_for(world["users"]["gridworker"]).get(f"/cases/{case.number}/").content.decode()
    assert "拍摄于 11-20 09:30" in page and "GPS 41.80000, 123.40000" in page


def test_the_list_filters_by_source_and_unit(world):
    mine = a_case(world)
    client = client_for(world["users"]["admin"])
    assert mine.number in client.get("/cases/?source=inspector_patrol").content.decode()
    assert mine.number not in client.get("/cases/?source=hotline_12345").content.decode()
    assert mine.number in client.get(f"/cases/?unit={world['department'].code}").content.decode()


def test_queues_follow_each_roles_own_territory_through_the_indexed_columns(world):
    from civicgrid.cases.selectors import work_queues
    from civicgrid.organizations.choices import Role
    from testsupport import make_user

    mine, far = a_case(world), a_case(world, point=world["far_point"])
    street_leader = make_user("street_shift", Role.SHIFT_LEADER, region=world["regions"]["210112001"])
    queue = {q.key: q.cases for q in work_queues(street_leader)}["file"]
    assert list(queue) == [mine] and far not in queue
    assert "street_code" in str(queue.query) and "LIKE" not in str(queue.query)


def test_actions_that_end_a_case_look_different_and_ask_first(world):
    """Issue 16: 不予立案 and 作废 are red and confirm; filing is an everyday button."""
    case = a_case(world)
    page = client_for(world["users"]["shift_leader"]).get(f"/cases/{case.number}/").content.decode()
    reject = page[page.index('data-action="reject"') - 200:page.index('data-action="reject"') + 400]
    assert 'class="button danger"' in reject and "data-confirm=" in reject and "不能撤回" in reject
    filing = page[page.index('data-action="file"') - 200:page.index('data-action="file"') + 300]
    assert "data-confirm" not in filing and 'class="button"' in filing


def test_the_home_page_says_what_needs_me_now_and_each_number_opens_its_list(world):
    """Issue 16: a community's overdue and returned cases lead its home page, each count linking to its cases."""
    import datetime as dt
    import re

    from django.utils import timezone

    overdue, returned, elsewhere = a_case(world), a_case(world), a_case(world, point=world["far_point"])
    Case.objects.filter(pk__in=[overdue.pk, elsewhere.pk]).update(
        state="handling", handle_due=timezone.now() - dt.timedelta(hours=2))
    Case.objects.filter(pk=returned.pk).update(state="returned")
    client = client_for(world["users"]["community"])
    page = client.get("/").content.decode()
    lines = {label: (int(count), href.replace("&amp;", "&")) for href, count, label in re.findall(
        r'<a class="stat stat-\w+[^"]*" href="([^"]+)"><b>(\d+)</b><span>([^<]+)</span>', page)}
    assert lines["超期"][0] == 1 and lines["已退回"][0] == 1  # the other community's overdue case is not mine
    for count, href in lines.values():
        listing = client.get(href).content.decode()
        assert f"共 {count} 件" in listing, href


def test_notifications_read_as_one_line_per_kind(world):
    """Issue 16: a leader with twenty overdue notices sees one line with the count, not twenty identical lines."""
    from civicgrid.cases.services import notify

    leader = world["users"]["leader"]
    for _ in range(5):
        notify([leader], a_case(world), "overdue", "包保街道案件已超期")
    notify([leader], a_case(world), "dispatched", "新派遣案件")
    page = client_for(leader).get("/").content.decode()
    section = page[page.index('id="notifications"'):]
    assert section.count('class="notification-group"') == 2
    assert "包保街道超期案件</b> <span class=\"badge\">5</span>" in section
    assert section.count("包保街道案件已超期") == 3  # the newest three of the five


def test_notifications_are_marked_read_a_kind_at_a_time_or_all_at_once(world):
    """Issue 16: "mark read" is a bulk action; it touches only the user's own notifications."""
    from civicgrid.cases.models import Notification
    from civicgrid.cases.services import notify

    leader, dispatcher = world["users"]["leader"], world["users"]["dispatcher"]
    case = a_case(world)
    notify([leader, dispatcher], case, "overdue", "包保街道案件已超期")
    notify([leader], case, "dispatched", "新派遣案件")
    client = client_for(leader)
    response = client.post("/notifications/read/", {"kind": "overdue"}, follow=True)
    page = response.content.decode()
    assert "已将 1 条通知标为已读" in page and "包保街道超期案件</b>" not in page and "新派遣案件</b>" in page
    client.post("/notifications/read/")
    assert not Notification.objects.filter(user=leader, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=dispatcher, read_at__isnull=True).count() == 1
    assert client.get("/notifications/read/").status_code == 405


def test_a_queue_files_the_ticked_cases_at_once_and_says_what_happened_to_each(world):
    """Issue 16: bulk actions where the rules allow, with a per-case result."""
    mine = [a_case(world) for _ in range(3)]
    taken = a_case(world)
    perform(world["users"]["shift_leader"], taken.number, "file")  # filed meanwhile by someone else
    client = client_for(world["users"]["shift_leader"])
    response = client.post("/cases/queues/file/bulk/", {"numbers": [c.number for c in mine] + [taken.number]},
                           follow=True)
    page = response.content.decode()
    assert all(Case.objects.get(pk=c.pk).state == "filed" for c in mine)
    assert "已立案 3 件" in page and f"未能立案 {taken.number}" in page
    assert client_for(world["users"]["handler"]).post("/cases/queues/file/bulk/",
                                                      {"numbers": [mine[0].number]}).status_code == 404
    # A shift leader of one street cannot reach another street's case by naming it.
    from civicgrid.organizations.choices import Role
    from testsupport import make_user

    outside = a_case(world, point=world["far_point"])
    street_leader = make_user("street_leader", Role.SHIFT_LEADER, region=world["regions"]["210112001"])
    page = client_for(street_leader).post("/cases/queues/file/bulk/", {"numbers": [outside.number]},
                                          follow=True).content.decode()
    assert f"未能立案 {outside.number}" in page and Case.objects.get(pk=outside.pk).state == "reported"


def test_after_an_action_from_a_queue_the_next_case_opens(world):
    """Issue 16: working through a queue takes one page per case, not three."""
    first, second = a_case(world), a_case(world)
    client = client_for(world["users"]["shift_leader"])
    page = client.get(f"/cases/{first.number}/?queue=file").content.decode()
    assert '<input type="hidden" name="queue" value="file">' in page
    response = client.post(f"/cases/{first.number}/act/file/", {"queue": "file"})
    assert response["Location"] == f"/cases/{second.number}/?queue=file"
    response = client.post(f"/cases/{second.number}/act/file/", {"queue": "file"})
    assert response["Location"] == "/cases/queues/#queue-file"


def test_the_case_list_searches_words_and_filters_by_names_not_codes(world):
    """Issue 16: search by number, address or words; region, class and unit menus show names."""
    lng, lat = world["point"]
    wanted = report_case(world["users"]["gridworker"], case_class=world["garbage"], description="井盖旁堆放建筑垃圾",
                         lng=lng, lat=lat, address="幸福路88号").case
    other = a_case(world)
    client = client_for(world["users"]["community"])
    for words in ("幸福路88", "建筑垃圾", wanted.number[:-1]):
        page = client.get("/cases/", {"q": words}).content.decode()
        assert wanted.number in page, words
        assert other.number not in page or words == wanted.number[:-1], words
    page = client.get("/cases/").content.decode()
    assert ">210112001001<" not in page and ">E0102<" not in page  # codes are values, never what is shown
    assert "第1街道第1社区</option>" in page and ">暴露垃圾（市容环境）</option>" in page
    assert "第2街道第1社区" not in page  # another community is not offered


def test_every_menu_of_the_case_list_names_a_filter_that_filters(world):
    """The class menu used to send `class`, which the FilterSet ignores: choosing a class changed nothing."""
    import re

    from civicgrid.cases.filters import CaseFilter

    page = client_for(world["users"]["community"]).get("/cases/").content.decode()
    form = page[page.index('id="case-filters"'):page.index("</form>", page.index('id="case-filters"'))]
    names = set(re.findall(r'<(?:select|input)[^>]* name="(\w+)"', form))
    assert {"state", "q", "region", "case_class", "unit", "overdue"} <= names
    assert names <= set(CaseFilter.base_filters)
    a_case(world)
    client = client_for(world["users"]["community"])
    assert "暴露垃圾" in client.get("/cases/", {"case_class": "E0102"}).content.decode()
    assert "暴露垃圾" not in client.get("/cases/", {"case_class": "E0101"}).content.decode().split('id="case-table"')[1]


def test_a_leaders_home_sets_the_contracted_street_against_the_district(world):
    """Issue 16: the leader's home leads with the contracted street's month beside the district's."""
    import datetime as dt

    from django.utils import timezone

    ours = a_case(world)
    theirs = a_case(world, point=world["far_point"])
    u = world["users"]
    for case in (ours, theirs):
        perform(u["shift_leader"], case.number, "file")
        perform(u["dispatcher"], case.number, "dispatch")
    late = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk__in=[ours.pk, theirs.pk]).update(handle_due=late, due_at=late)
    Case.objects.filter(pk=theirs.pk).update(first_handled_at=late - dt.timedelta(hours=1))
    page = client_for(u["leader"]).get("/").content.decode()
    section = page[page.index('id="standing"'):page.index("</section>", page.index('id="standing"'))]
    assert "第1街道" in section and "全区" in section and "按期结案率" in section
    overdue_row = section[section.index("超期待处置率"):]
    assert overdue_row.split("<td>")[1].count("100%") == 1 and overdue_row.split("<td>")[2].startswith("50%")
    community = client_for(u["community"]).get("/").content.decode()
    assert "第1街道第1社区 · 本月" in community  # street and community staff see their own unit
    # … set against the whole district, not against itself (its scope held only itself: 100% beside 100%).
    mine = community[community.index('id="standing"'):]
    overdue_row = mine[mine.index("超期待处置率"):]
    assert overdue_row.split("<td>")[1].count("100%") == 1 and overdue_row.split("<td>")[2].startswith("50%")


def test_the_acceptors_queue_holds_the_repeats_to_merge_and_the_case_page_offers_the_earlier_one(world):
    """Issue 16: the acceptor's queue was empty. A later report of the same class within the duplicate radius
    waits there, next to the case it probably repeats; a case of another class or far away does not."""
    lng, lat = world["point"]
    first = a_case(world)
    repeat = report_case(world["users"]["gridworker"], case_class=world["garbage"], description="同一处垃圾",
                         lng=lng + 0.0001, lat=lat).case  # about 8 m east
    far = a_case(world, point=world["far_point"])
    client = client_for(world["users"]["acceptor"])
    page = client.get("/cases/queues/").content.decode()
    section = page[page.index('id="queue-merge"'):]
    section = section[:section.index("</section>")]
    assert repeat.number in section and f"/cases/{first.number}/" in section
    assert f">{first.number}</a></td>" not in section and far.number not in section  # the earliest repeats nothing
    detail = client.get(f"/cases/{repeat.number}/?queue=merge").content.decode()
    assert f'name="target" required list="merge-targets" value="{first.number}"' in detail
    response = client.post(f"/cases/{repeat.number}/act/merge/", {"target": first.number, "queue": "merge"})
    assert response.status_code == 302
    after = client.get("/cases/queues/").content.decode()
    assert "已合并为重复案件" in after and repeat.number not in after.split('id="queue-merge"')[1]


def test_a_repeat_beyond_the_radius_is_not_offered_for_merging(world, settings):
    settings.DUPLICATE_RADIUS_METERS = 5
    lng, lat = world["point"]
    a_case(world)
    report_case(world["users"]["gridworker"], case_class=world["garbage"], description="隔壁", lng=lng + 0.0001,
                lat=lat)
    page = client_for(world["users"]["acceptor"]).get("/cases/queues/").content.decode()
    assert '<span id="queue-merge">疑似重复待合并</span>' in page  # named among the empty queues
    assert '<section class="card queue" id="queue-merge">' not in page


def test_a_queue_sorts_filters_and_pages(world):
    """Issue 16: queues sort, search by words and filter by names, 50 to a page with each queue paging alone."""
    import re

    lng, lat = world["point"]
    cases = [report_case(world["users"]["gridworker"], case_class=world["garbage"], description=f"垃圾{i}",
                         lng=lng, lat=lat, address="幸福路1号" if i == 7 else "").case for i in range(53)]
    client = client_for(world["users"]["shift_leader"])

    def numbers(page):
        section = page[page.index('id="queue-file"'):]
        return re.findall(r'value="([\d-]+)" aria-label', section[:section.index("</section>")])

    oldest = numbers(client.get("/cases/queues/").content.decode())
    assert oldest == [c.number for c in cases[:50]]
    second = client.get("/cases/queues/", {"file_page": 2}).content.decode()
    assert numbers(second) == [c.number for c in cases[50:]]
    newest = numbers(client.get("/cases/queues/", {"sort": "newest"}).content.decode())
    assert newest[:3] == [c.number for c in reversed(cases[-3:])]
    found = client.get("/cases/queues/", {"q": "幸福路1号"}).content.decode()
    assert numbers(found) == [cases[7].number] and "共 53 件" in found
    other_class = client.get("/cases/queues/", {"case_class": "E0101"}).content.decode()
    assert numbers(other_class) == [] and "没有符合筛选条件的案件" in other_class
    refused = client.get("/cases/queues/", {"region": "21x"})
    assert refused.status_code == 200


def test_a_leaders_home_groups_the_contracted_streets_overdue_cases_by_unit(world):
    """Issue 16: the street's 46 overdue cases were a wall of numbers, and the leader's counts were the whole
    district's. The contracted street's overdue cases read as one line per unit handling them, with the count,
    how many were escalated, the first few and a link to all of them; the counts are the street's."""
    import datetime as dt

    from django.utils import timezone

    u = world["users"]
    cases = [a_case(world) for _ in range(5)] + [a_case(world, point=world["far_point"])]
    for case in cases:
        perform(u["shift_leader"], case.number, "file")
        perform(u["dispatcher"], case.number, "dispatch")
    late = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(handle_due=late, due_at=late)
    Case.objects.filter(pk=cases[0].pk).update(escalated_at=late)
    page = client_for(u["leader"]).get("/").content.decode()
    section = page[page.index('id="escalated"'):page.index("</section>", page.index('id="escalated"'))]
    assert "第1街道 超期案件" in section and section.count("<li>") == 1 and "单位DEPT-HW" in section
    assert "超期 5 件" in section and "已升级 1 件" in section and cases[5].number not in section
    assert sum(case.number in section for case in cases) == 3 and "…" in section
    assert "/cases/?overdue=true&amp;region=210112001&amp;unit=DEPT-HW" in section
    attention = page[page.index('id="attention"'):page.index("</section>", page.index('id="attention"'))]
    assert "<b>5</b><span>超期</span>" in attention  # the street's, not the district's 6
    assert "region=210112001" in attention


def test_streets_communities_and_grid_workers_have_their_areas_late_cases_as_a_queue(world, time_machine):
    """Issue 16 review: their home counted 35 overdue cases while 待办 said they had no work."""
    import datetime as dt

    from django.utils import timezone

    time_machine.move_to(dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))

    u = world["users"]
    ours, theirs, today = a_case(world), a_case(world, point=world["far_point"]), a_case(world)
    for case in (ours, theirs, today):
        perform(u["shift_leader"], case.number, "file")
        perform(u["dispatcher"], case.number, "dispatch")
    late = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk__in=[ours.pk, theirs.pk]).update(handle_due=late, due_at=late)
    Case.objects.filter(pk=today.pk).update(handle_due=timezone.now() + dt.timedelta(hours=3))
    for who in ("community", "gridworker"):
        page = client_for(u[who]).get("/cases/queues/").content.decode()
        overdue = page[page.index('id="queue-area_overdue"'):]
        overdue = overdue[:overdue.index("</section>")]
        assert ours.number in overdue and theirs.number not in overdue and today.number not in overdue, who
        due = page[page.index('id="queue-area_due_today"'):]
        assert today.number in due[:due.index("</section>")], who
    assert "本辖区超期案件" in client_for(u["community"]).get("/").content.decode()
