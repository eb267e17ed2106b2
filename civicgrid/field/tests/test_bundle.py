"""The offline bundle holds only what the device's user may see: another community's cases, places, tasks and
grids never reach their phone (issue 17)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from civicgrid.cases.services import perform, report_case
from civicgrid.cases.tests.conftest import world  # noqa: F401  (the fixture, reused)
from civicgrid.field import selectors, services
from civicgrid.inspections.choices import InspectionKind, Selection
from civicgrid.inspections.models import Assignment, Standard
from civicgrid.inspections.planning import create_plan
from civicgrid.organizations.choices import Role
from civicgrid.organizations.models import Person
from testsupport import make_place, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communities(world):  # noqa: F811
    """A case, a place and a morning task in each of two communities; the department handles both cases."""
    u, d = world["users"], world["regions"]
    near = report_case(u["gridworker"], case_class=world["garbage"], description="本社区垃圾",
                       lng=world["point"][0], lat=world["point"][1]).case
    far = report_case(u["other_community"], case_class=world["garbage"], description="外社区垃圾",
                      lng=world["far_point"][0], lat=world["far_point"][1]).case
    for case in (near, far):
        perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], near.number, "dispatch")
    places = {"near": make_place("market", *world["point"], name="本社区市场", code="MKT-N"),
              "far": make_place("market", *world["far_point"], name="外社区市场", code="MKT-F")}
    standard = Standard.objects.get(code="wmcs-local", version=1)
    today = timezone.localdate()
    people = {"near": Person.objects.create(name="近", user=make_user("inspector_near", Role.INSPECTOR,
                                                                       region=d["210112001001"])),
              "far": Person.objects.create(name="远", user=make_user("inspector_far", Role.INSPECTOR,
                                                                      region=d["210112002001"]))}
    plan = create_plan(u["admin"], name="晨检", kind=InspectionKind.MORNING, standard=standard, region_code="210112",
                       starts_on=today, selection=Selection.LISTED, places=list(places.values()))
    start = timezone.now()
    point_type = standard.items.filter(point_type__place_kinds__slug="market").first().point_type
    tasks = {key: Assignment.objects.create(plan=plan, day=today + dt.timedelta(days=1), kind=InspectionKind.MORNING,
                                            place=places[key], point_type=point_type, assignee=people[key],
                                            window_start=start, window_end=start + dt.timedelta(hours=3),
                                            region_code=places[key].region_code) for key in places}
    return {**world, "near": near, "far": far, "places": places, "tasks": tasks, "people": people}


def numbers(bundle):
    return {c["number"] for c in bundle["cases"]}


def test_a_grid_worker_gets_their_own_reports_and_their_grids_only(two_communities):
    w = two_communities
    bundle = selectors.bundle(w["users"]["gridworker"])
    assert numbers(bundle) == {w["near"].number}
    assert bundle["cases"][0]["queue"] == "reported"
    assert {p["code"] for p in bundle["places"]} == {"MKT-N"}
    assert {g["code"] for g in bundle["grids"]} == {"210112001001001"}
    assert bundle["assignments"] == []
    assert any(c["code"] == "E0102" for c in bundle["classes"])


def test_another_community_sees_its_own_rows_only(two_communities):
    w = two_communities
    bundle = selectors.bundle(w["users"]["other_community"])
    assert numbers(bundle) == {w["far"].number}
    assert {p["code"] for p in bundle["places"]} == {"MKT-F"}
    assert all(g["code"].startswith("210112002001") for g in bundle["grids"])


def test_a_handler_gets_the_cases_to_handle_and_another_department_none(two_communities):
    w = two_communities
    bundle = selectors.bundle(w["users"]["handler"])
    assert numbers(bundle) == {w["near"].number}  # the far case is filed, not yet dispatched
    assert bundle["cases"][0]["queue"] == "handle"
    assert numbers(selectors.bundle(w["users"]["other_handler"])) == set()


def test_an_inspector_gets_their_own_tasks_with_the_checklist(two_communities):
    w = two_communities
    bundle = selectors.bundle(w["people"]["near"].user)
    assert [a["id"] for a in bundle["assignments"]] == [w["tasks"]["near"].pk]
    items = bundle["checklists"][bundle["assignments"][0]["checklist"]]
    assert len(items) == 10 and items[0]["code"] == "NM01"
    assert "MKT-F" not in {p["code"] for p in bundle["places"]}
    far = selectors.bundle(w["people"]["far"].user)
    assert [a["id"] for a in far["assignments"]] == [w["tasks"]["far"].pk]
    assert w["near"].number not in numbers(far)


def test_the_bundle_answers_a_device_key_and_refuses_it_once_revoked(two_communities):
    w = two_communities
    user = w["users"]["gridworker"]
    session, key = services.start_session(user, "phone")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Field {key}")
    response = client.get("/api/v1/field/bundle/")
    assert response.status_code == 200 and numbers(response.json()) == {w["near"].number}
    services.revoke(w["users"]["admin"], session)
    refused = client.get("/api/v1/field/bundle/")
    assert refused.status_code == 401 and "外勤会话已过期或已被撤销" in refused.json()["detail"]
    assert APIClient().get("/api/v1/field/bundle/").status_code in (401, 403)


def test_the_cases_thumbnails_cost_the_same_queries_however_many_photos(two_communities):
    """Each photo link once fetched its event on its own: a grid worker's 200 cases of photos, a query each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civicgrid.cases.photos import store_photo
    from civicgrid.cases.tests.conftest import jpeg, upload

    w = two_communities
    worker = w["users"]["gridworker"]

    def queries_and_thumbnails(photos: int):
        for n in range(photos):
            report_case(worker, case_class=w["garbage"], description=f"带照片{n}", lng=w["point"][0] + 0.001 * n,
                        lat=w["point"][1], photos=[store_photo(upload(jpeg(pattern=n)), worker)])
        selectors.bundle(worker)  # the first read fills caches (reference data) that the second does not need
        with CaptureQueriesContext(connection) as captured:
            bundle = selectors.bundle(worker)
        return len(captured), sum(len(c["thumbnails"]) for c in bundle["cases"])

    few, many = queries_and_thumbnails(1), queries_and_thumbnails(4)
    assert (few[1], many[1]) == (1, 5) and few[0] == many[0]
