"""Which earlier open case does a new one probably repeat? The acceptor's merge queue, its rows, the case page's
merge targets and the report's possible duplicates answer with one definition of "near" (CaseQuerySet.near).
They once used two (SQL on a plane, Python on the sphere): at the radius a case could wait in the queue with
"—" beside it."""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.cases.selectors import earlier_repeats, queue
from civicgrid.cases.services import report_case
from civicgrid.cases.tests.test_pages import client_for

pytestmark = pytest.mark.django_db


def report_at(world, metres: float, bearing: float, description: str = "同一处垃圾"):
    """A report of the same class `metres` from the world's point, `bearing` degrees clockwise from north."""
    lng, lat = world["point"]
    north = metres * math.cos(math.radians(bearing)) / 111_320
    east = metres * math.sin(math.radians(bearing)) / (111_320 * math.cos(math.radians(lat)))
    return report_case(world["users"]["gridworker"], case_class=world["garbage"], description=description,
                       lng=lng + east, lat=lat + north)


@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 200, 270, 315])
@pytest.mark.parametrize(("metres", "repeats"), [(49.8, True), (50.2, False)])
def test_every_answer_agrees_at_the_edge_of_the_radius(world, settings, bearing, metres, repeats):
    settings.DUPLICATE_RADIUS_METERS = 50
    first = report_at(world, 0, 0, "第一次上报").case
    later = report_at(world, metres, bearing)
    acceptor = world["users"]["acceptor"]
    assert (later.possible_duplicates == [first]) is repeats
    assert (list(earlier_repeats(acceptor, later.case)) == [first]) is repeats
    merge = queue(acceptor, "merge")
    assert [(c.number, c.repeats_number) for c in merge.cases] == ([(later.case.number, first.number)] if repeats
                                                                   else [])


def test_the_merge_queue_names_each_rows_repeat_in_a_fixed_number_of_queries(world):
    """Each row once cost two queries of its own (up to a hundred on a full page)."""
    client = client_for(world["users"]["acceptor"])
    report_at(world, 0, 0, "第一次上报")

    def queries_with(repeats: int) -> int:
        for n in range(repeats):
            report_at(world, 5 + n, 90)
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/cases/queues/").content.decode()
        section = page[page.index('id="queue-merge"'):]
        assert section[:section.index("</section>")].count('data-label="疑似重复于"><a') >= repeats
        return len(captured)

    assert queries_with(2) == queries_with(6)


def test_the_case_page_offers_the_first_report_first(world):
    first = report_at(world, 30, 0, "第一次上报").case
    second = report_at(world, 0, 0, "第二次上报").case
    third = report_at(world, 1, 90, "第三次上报").case  # nearer the second than the first is
    assert list(earlier_repeats(world["users"]["acceptor"], third)) == [first, second]
    page = client_for(world["users"]["acceptor"]).get(f"/cases/{third.number}/").content.decode()
    assert page.index(first.number) < page.index(second.number)


def test_a_reporter_is_offered_only_the_repeats_they_may_see(world, settings):
    """The report's answer lists possible duplicates in full: an embargoed undercover finding at the same spot,
    or another community's case, must not be among them (they once were)."""
    from civicgrid.cases.tests.test_embargo import undercover_finding
    from civicgrid.organizations.choices import Role
    from testsupport import make_user

    finding = undercover_finding(world, make_user("assessor", Role.ASSESSOR, region=world["regions"]["210112"]))
    seen = report_at(world, 0, 0, "网格员上报").case
    later = report_at(world, 2, 90)
    assert later.possible_duplicates == [seen]  # the grid worker's: the finding is hidden from them
    office = report_case(world["users"]["admin"], case_class=world["garbage"], description="创城办上报",
                         lng=later.case.lng, lat=later.case.lat)
    assert set(office.possible_duplicates) == {seen, later.case, finding}
