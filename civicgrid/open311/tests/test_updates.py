"""FixMyStreet's servicerequestupdates extension: case events read as updates, a citizen's update becomes an event,
and every closed case says why it is closed in FixMyStreet's words."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.cases.choices import Action, State
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.tests.test_embargo import undercover_finding
from civicgrid.cases.tests.test_loop import after_photo
from civicgrid.open311.tests.conftest import new_request, post_update, rows, walk

pytestmark = pytest.mark.django_db

UPDATE_FIELDS = {"update_id", "service_request_id", "status", "updated_datetime", "description", "media_url",
                 "external_status_code"}


def updates(fmt, **query):
    response = Client().get(f"/open311/v2/servicerequestupdates.{fmt}", query)
    assert response.status_code == 200, response.content
    return rows(response, "service_request_updates", "request_update")


def test_case_events_read_as_updates_with_fixmystreet_fields(world, key, fmt):
    number = new_request(world)
    walk(world, number, "verify", "file", "dispatch")
    found = updates(fmt)
    assert all(set(u) == UPDATE_FIELDS for u in found)
    # The report itself is the request, not an update: FixMyStreet would import it as a first comment.
    assert [(u["service_request_id"], u["status"], u["external_status_code"]) for u in found] == [
        (number, "INVESTIGATING", "verified"), (number, "ACTION_SCHEDULED", "filed"), (number, "IN_PROGRESS", "handling")]
    ids = list(CaseEvent.objects.filter(case__number=number).exclude(action="report").order_by("seq")
               .values_list("pk", flat=True))
    assert [int(u["update_id"]) for u in found] == ids
    assert found[2]["description"] == f"已派至{world['department'].name}处理。"
    assert found[2]["updated_datetime"].endswith("+08:00")


@pytest.mark.parametrize("actions,params,status,open_closed,notes", [
    (["verify", "file", "dispatch", "handle", "check_pass", "close"], {}, "FIXED", "closed", "已办结"),
    (["reject"], {"reject": {"note": "内部：非本区职责", "public_note": "该路段由市政公司管理，已告知对方"}},
     "NOT_COUNCILS_RESPONSIBILITY", "closed", "不予受理：该路段由市政公司管理，已告知对方"),
    (["void"], {"void": {"note": "内部：误报"}}, "NO_FURTHER_ACTION", "closed", "不予受理：经核实，该问题无需处置。"),
])
def test_closed_cases_say_why_and_updates_use_fixmystreet_words(world, key, fmt, actions, params, status,
                                                               open_closed, notes):
    number = new_request(world)
    if "handle" in actions:
        params = {**params, "handle": {"photos": [after_photo(world)], "note": "已清理"}}
    walk(world, number, *actions, **params)
    assert updates(fmt)[-1]["status"] == status
    [request] = rows(Client().get(f"/open311/v2/requests/{number}.{fmt}"))
    assert request["status"] == open_closed and request["status_notes"].startswith(notes)
    assert "内部" not in request["status_notes"]  # the staff's own note stays internal


def test_a_merged_case_is_a_duplicate_naming_the_case_it_joined(world, key, fmt):
    original, duplicate = new_request(world), new_request(world)
    walk(world, duplicate, "merge", merge={"target": Case.objects.get(number=original)})
    assert updates(fmt, service_request_id=duplicate)[-1]["status"] == "DUPLICATE"
    [request] = rows(Client().get(f"/open311/v2/requests/{duplicate}.{fmt}"))
    assert request["status"] == "closed" and original in request["status_notes"]


def test_updates_are_read_in_a_window(world, key, fmt):
    number = new_request(world)
    walk(world, number, "verify")
    verified = CaseEvent.objects.get(case__number=number, action=Action.VERIFY)
    CaseEvent.objects.filter(pk=verified.pk).update(at=timezone.now() - dt.timedelta(days=10))
    walk(world, number, "file")
    CaseEvent.objects.filter(case__number=number, action=Action.REPORT).update(
        at=timezone.now() - dt.timedelta(days=30))
    assert [u["status"] for u in updates(fmt)] == ["ACTION_SCHEDULED"]  # default: the last 7 days
    old = (timezone.now() - dt.timedelta(days=11)).isoformat()
    older = (timezone.now() - dt.timedelta(days=9)).isoformat()
    assert [u["status"] for u in updates(fmt, start_date=old, end_date=older)] == ["INVESTIGATING"]
    bad = Client().get(f"/open311/v2/servicerequestupdates.{fmt}", {"start_date": "yesterday"})
    assert bad.status_code == 400 and "ISO 8601" in rows(bad)[0]["description"]


def test_undercover_findings_have_no_updates(world, key, fmt):
    hidden = undercover_finding(world, world["users"]["admin"])
    assert updates(fmt, service_request_id=hidden.number) == []
    assert post_update(hidden.number, fmt).status_code == 404


def test_a_posted_update_becomes_an_event_and_reads_back(world, key, fmt):
    number = new_request(world)
    walk(world, number, "verify", "file")
    response = post_update(number, fmt, description="垃圾还在，越堆越多", update_id="fms-77",
                           updated_datetime="2026-11-29T10:00:00Z")
    assert response.status_code == 201, response.content
    [answer] = rows(response, "service_request_updates", "request_update")
    event = CaseEvent.objects.get(pk=answer["update_id"])
    assert event.action == Action.CITIZEN_UPDATE and event.note == "垃圾还在，越堆越多"
    assert event.from_state == event.to_state == State.FILED and event.case.state == State.FILED
    assert event.data["name"] == "王小明" and event.data["via"] == "open311"
    assert event.seq == event.case.version  # appended under the case's version, like any action
    [listed] = [u for u in updates(fmt) if u["update_id"] == str(event.pk) or u["update_id"] == event.pk]
    assert "垃圾还在，越堆越多" in listed["description"] and listed["status"] == "ACTION_SCHEDULED"


def test_fixmystreet_retrying_the_same_update_id_records_it_once(world, key, fmt):
    number = new_request(world)
    first = post_update(number, fmt, update_id="fms-9")
    again = post_update(number, fmt, update_id="fms-9")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert rows(first) == rows(again)
    assert CaseEvent.objects.filter(case__number=number, action=Action.CITIZEN_UPDATE).count() == 1


@pytest.mark.parametrize("data,status,text", [
    ({"api_key": "wrong"}, 403, "api_key"),
    ({"service_request_id": ""}, 400, "service_request_id is required"),
    ({"service_request_id": "210112-20990101-00001"}, 404, "not found"),
    ({"description": ""}, 400, "description is required"),
    ({"description": "字" * 4001}, 400, "4,000"),
    ({"media_url": "file:///etc/passwd"}, 400, "http or https"),
])
def test_update_errors(world, key, fmt, data, status, text):
    number = new_request(world)
    data = {"service_request_id": number, **data}
    response = post_update(data.pop("service_request_id"), fmt, **data)
    assert response.status_code == status
    [error] = rows(response, "errors", "error")
    assert int(error["code"]) == status and text in error["description"]
    assert not CaseEvent.objects.filter(action=Action.CITIZEN_UPDATE).exists()


def test_an_update_to_a_case_no_longer_handled_is_refused_with_the_reason(world, key, fmt, media):
    from civicgrid.cases.models import Photo
    from civicgrid.cases.tests.conftest import jpeg, upload

    number = new_request(world)
    walk(world, number, "reject", reject={"note": "重复"})
    response = post_update(number, fmt, photo1=upload(jpeg(), "p.jpg"))
    assert response.status_code == 400 and "重新提交" in rows(response, "errors", "error")[0]["description"]
    assert not CaseEvent.objects.filter(action=Action.CITIZEN_UPDATE).exists()
    assert not Photo.objects.exists()  # the refused update's photo was not kept
