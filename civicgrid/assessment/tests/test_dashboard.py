"""The dashboard's latest-cases list and map outlines: in the viewer's scope, newest first, in the viewer's language."""

import datetime as dt

import pytest
from django.utils import translation

from civicgrid.assessment import dashboard
from civicgrid.assessment.tests.test_indicators import Factory, at
from civicgrid.organizations.choices import Role
from civicgrid.territory.models import Region
from testsupport import make_user

pytestmark = pytest.mark.django_db

COMMUNITY_A = "210112001001"
COMMUNITY_B = "210112002002"


@pytest.fixture
def cases(district):
    """Three cases in community A and two in community B, reported an hour apart (B's last is the newest)."""
    f = Factory(district)
    for n, grid in enumerate([f"{COMMUNITY_A}001", f"{COMMUNITY_B}004", f"{COMMUNITY_A}002", f"{COMMUNITY_A}003",
                              f"{COMMUNITY_B}001"]):
        f.case(grid=grid, state="handling", due=at(5), deadline=at(5))
        f.rows[-1].reported_at = at(20, 8) + dt.timedelta(hours=n)
    f.save()
    return f


def test_the_latest_cases_are_newest_first(cases):
    office = make_user("office", Role.ADMIN)
    latest = dashboard.data(office, dt.date(2026, 11, 29))["latest"]
    assert [c["number"] for c in latest] == ["T-000005", "T-000004", "T-000003", "T-000002", "T-000001"]
    first = latest[0]
    assert first | {"link": None} == {
        "number": "T-000005", "class_name": cases.garbage.minor_name, "region_name": f"{COMMUNITY_B}网格1",
        "state": "处置中", "reported": "11-20 12:00", "overdue": True, "link": None}
    assert first["link"] == "/cases/T-000005/"


def test_a_community_worker_never_sees_another_communitys_cases(cases):
    worker = make_user("worker", Role.COMMUNITY_STAFF, region=Region.objects.get(code=COMMUNITY_A))
    latest = dashboard.data(worker, dt.date(2026, 11, 29))["latest"]
    assert [c["number"] for c in latest] == ["T-000004", "T-000003", "T-000001"]
    assert all(c["region_name"].startswith(COMMUNITY_A) for c in latest)


def test_the_list_is_capped(district):
    f = Factory(district)
    for _ in range(dashboard.LATEST + 5):
        f.case(state="handling", due=at(5), deadline=at(5))
    f.save()
    assert len(dashboard.data(make_user("office", Role.ADMIN), dt.date(2026, 11, 29))["latest"]) == dashboard.LATEST


def test_labels_follow_the_viewers_language(cases):
    office = make_user("office", Role.ADMIN)
    chinese = dashboard.data(office, dt.date(2026, 11, 29))
    with translation.override("en"):
        english = dashboard.data(office, dt.date(2026, 11, 29))
    assert chinese["kpis"][0]["label"] == "未结案件" and chinese["latest"][0]["state"] == "处置中"
    assert english["latest"][0]["state"] != "处置中"  # not served from the Chinese entry of the cache


def test_the_map_outlines_name_their_level_and_stay_in_scope(cases):
    worker = make_user("worker", Role.COMMUNITY_STAFF, region=Region.objects.get(code=COMMUNITY_A))
    features = dashboard.grid_outlines(worker)["features"]
    assert {(f["properties"]["level"], f["properties"]["code"]) for f in features if f["properties"]["level"] != "grid"} \
        == {("community", COMMUNITY_A)}
    assert sorted(f["properties"]["code"] for f in features if f["properties"]["level"] == "grid") \
        == [f"{COMMUNITY_A}{g:03d}" for g in range(1, 5)]
