"""今日到期 — still being handled and falling due before the local day ends — is counted by one definition
(CaseQuerySet.due_today) on the home page, the dashboard and the area queue, and their links list the same cases.
The home page once stopped at 23:59:59, so a case due in the day's last second was the dashboard's and not its."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from civicgrid.assessment import dashboard
from civicgrid.cases.models import Case
from civicgrid.cases.services import perform
from civicgrid.cases.tests.test_pages import a_case, client_for
from civicgrid.web.selectors import attention

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_every_count_of_the_cases_due_today_agrees(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
    u = world["users"]
    dues = {"last second": dt.datetime(2026, 11, 30, 23, 59, 59, 500_000, tzinfo=SHANGHAI),
            "midnight": dt.datetime(2026, 12, 1, 0, 0, tzinfo=SHANGHAI),
            "an hour ago": dt.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)}
    cases = {}
    for name, due in dues.items():
        case = a_case(world)
        perform(u["shift_leader"], case.number, "file")
        perform(u["dispatcher"], case.number, "dispatch")
        Case.objects.filter(pk=case.pk).update(handle_due=due)
        cases[name] = case.number
    due_today = cases["last second"]
    assert list(Case.objects.due_today().values_list("number", flat=True)) == [due_today]

    office = u["admin"]
    line = next(a for a in attention(office) if a.label == "今日到期")
    kpi = next(k for k in dashboard.data(office)["kpis"] if k["key"] == "due_today")
    assert line.count == kpi["value"] == 1
    for link in (line.url, kpi["link"]):
        listed = client_for(office).get(link).content.decode()
        assert due_today in listed and cases["midnight"] not in listed and cases["an hour ago"] not in listed, link
        assert parse_qs(urlsplit(link).query)["due_before"] == ["2026-12-01T00:00:00+08:00"]

    page = client_for(u["community"]).get("/cases/queues/").content.decode()
    queue = page[page.index('id="queue-area_due_today"'):]
    queue = queue[:queue.index("</section>")]
    assert due_today in queue and cases["midnight"] not in queue and cases["an hour ago"] not in queue
