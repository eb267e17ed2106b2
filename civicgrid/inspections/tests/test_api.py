"""The REST contract: start, results (photos uploaded first), submit, list; retries create nothing twice."""

import datetime as dt

from rest_framework.test import APIClient

from civicgrid.cases.models import Case
from civicgrid.cases.tests.conftest import jpeg, upload
from civicgrid.inspections.models import Inspection, InspectionResult


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_whole_inspection_through_the_api(field):
    api = client_for(field["users"]["inspector"])
    market = field["places"]["market"]
    started = api.post("/api/v1/inspections/", {"place": "MKT-1", "standard": field["standard"].pk, "kind": "morning",
                                                "lng": market.lng, "lat": market.lat}, format="json",
                       HTTP_IDEMPOTENCY_KEY="start-1")
    assert started.status_code == 201, started.content
    body = started.json()
    assert len(body["items"]) == 10 and body["items"][0]["code"] == "NM01" and body["distance_m"] == 0
    again = api.post("/api/v1/inspections/", {"place": "MKT-1", "standard": field["standard"].pk, "kind": "morning",
                                              "lng": market.lng, "lat": market.lat}, format="json",
                     HTTP_IDEMPOTENCY_KEY="start-1")
    assert again.json()["id"] == body["id"] and Inspection.objects.count() == 1
    photo = api.post("/api/v1/photos/", {"file": upload(jpeg())}, format="multipart").json()["id"]
    results = [{"item": i["code"], "outcome": "pass"} for i in body["items"]]
    results[2] = {"item": "NM03", "outcome": "fail", "findings": 2, "note": "活禽未分离", "photo_ids": [photo]}
    recorded = api.post(f"/api/v1/inspections/{body['id']}/results/", results, format="json")  # a plain list
    assert recorded.status_code == 200, recorded.content
    submitted = api.post(f"/api/v1/inspections/{body['id']}/submit/", HTTP_IDEMPOTENCY_KEY="submit-1")
    assert submitted.status_code == 200, submitted.content
    data = submitted.json()
    assert data["inspection"]["score"] == "90.00" and data["inspection"]["status"] == "submitted"
    assert len(data["cases_opened"]) == 1 and data["cases_opened"][0]["case_class"] == "E0608"
    replay = api.post(f"/api/v1/inspections/{body['id']}/submit/", HTTP_IDEMPOTENCY_KEY="submit-1")
    assert replay.json() == data and replay["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    assert api.post(f"/api/v1/inspections/{body['id']}/submit/").status_code == 409
    listed = api.get("/api/v1/inspections/?place=MKT-1&kind=morning").json()
    assert listed["count"] == 1 and listed["results"][0]["failed_items"] == 1
    assert api.get("/api/v1/inspections/?kind=night").json()["count"] == 0


def test_bad_input_gets_field_messages_and_writes_nothing(field):
    api = client_for(field["users"]["inspector"])
    assert api.post("/api/v1/inspections/", {"place": "NOPE", "kind": "morning"}, format="json").json() == {
        "place": ["unknown place NOPE"]}
    assert "kind" in api.post("/api/v1/inspections/", {"place": "MKT-1", "kind": "nap"}, format="json").json()
    inspection = api.post("/api/v1/inspections/", {"place": "MKT-1", "kind": "morning"}, format="json").json()
    bad = api.post(f"/api/v1/inspections/{inspection['id']}/results/", {"results": [
        {"item": "NM01", "outcome": "pass"}, {"item": "NM02", "outcome": "fail", "findings": 1}]}, format="json")
    assert bad.status_code == 400 and "results[1].photo_ids" in bad.json()
    assert not InspectionResult.objects.exists()
    unanswered = api.post(f"/api/v1/inspections/{inspection['id']}/submit/")
    assert unanswered.status_code == 400 and "NM01" in str(unanswered.json())


def test_other_users_cannot_fill_someone_elses_inspection(field):
    inspection = client_for(field["users"]["inspector"]).post(
        "/api/v1/inspections/", {"place": "MKT-1", "kind": "morning"}, format="json").json()
    other = client_for(field["users"]["street"])
    answer = other.post(f"/api/v1/inspections/{inspection['id']}/results/",
                        {"results": [{"item": "NM01", "outcome": "pass"}]}, format="json")
    assert answer.status_code == 403
    far = client_for(field["users"]["other_street"])
    assert far.get(f"/api/v1/inspections/{inspection['id']}/").status_code == 404


def test_rounds_plans_and_assignments_through_the_api(field):
    admin = client_for(field["users"]["admin"])
    today = dt.date.today()
    made = admin.post("/api/v1/assessment-rounds/", {"name": "暗访一轮", "firm": "FIRM-T",
                                                      "standard": field["standard"].pk, "starts_on": today,
                                                      "ends_on": today}, format="json")
    assert made.status_code == 201, made.content
    refused = client_for(field["users"]["street"]).post("/api/v1/assessment-rounds/", {
        "name": "x", "firm": "FIRM-T", "standard": field["standard"].pk, "starts_on": today, "ends_on": today},
        format="json")
    assert refused.status_code == 403
    plan = admin.post("/api/v1/plans/", {"name": "市场晨检", "kind": "morning", "standard": field["standard"].pk,
                                         "region_code": "210112", "starts_on": today, "selection": "type_in_region",
                                         "point_types": ["farmers_market"], "inspectors": [],
                                         "recurrence": "daily"}, format="json")
    assert plan.status_code == 201, plan.content
    assert plan.json()["window_start"] == "06:00:00" and plan.json()["window_end"] == "09:00:00"
    generated = admin.post(f"/api/v1/plans/{plan.json()['id']}/generate/",
                           {"start": today, "end": today + dt.timedelta(days=2)}, format="json")
    assert generated.json() == {"created": 6}  # two markets × three days
    assert admin.post(f"/api/v1/plans/{plan.json()['id']}/generate/",
                      {"start": today, "end": today}, format="json").json() == {"created": 0}
    assert admin.get("/api/v1/assignments/?day=" + today.isoformat()).json()["count"] == 2
    street = client_for(field["users"]["street"]).get("/api/v1/assignments/").json()
    assert street["count"] == 3  # only the market in its own street


def test_a_place_outside_ones_reach_is_as_unknown_as_one_that_does_not_exist(field):
    street = client_for(field["users"]["street"])
    outside = street.post("/api/v1/inspections/", {"place": "MKT-2", "kind": "morning"}, format="json")
    missing = street.post("/api/v1/inspections/", {"place": "MKT-9", "kind": "morning"}, format="json")
    assert (outside.status_code, missing.status_code) == (400, 400)
    assert outside.json() == {"place": ["unknown place MKT-2"]} and missing.json() == {"place": ["unknown place MKT-9"]}
    own = street.post("/api/v1/inspections/", {"place": "MKT-1", "kind": "morning"}, format="json")
    assert own.status_code == 201, own.content
    assert Inspection.objects.filter(place__code="MKT-2").count() == 0
