import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from openpyxl import load_workbook
from rest_framework.test import APIClient

from civicgrid import audit
from civicgrid.audit.models import AppendOnlyError, AuditEvent
from civicgrid.organizations.choices import Role
from testsupport import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(district):
    client = Client()
    client.force_login(make_user("office", Role.ADMIN))
    return client


def test_it_records_who_from_where_and_what(db):
    user = make_user("street")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user = user
    event = audit.record("export", request=request, target="ledger shops", rows=3)
    assert (event.actor, event.actor_username, event.address, event.target, event.detail) == (
        user, "street", "192.0.2.7", "ledger shops", {"rows": 3})


def test_events_cannot_be_changed_or_deleted(db):
    event = audit.record("export", target="x")
    event.target = "y"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(target="y")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).target == "x"


def test_an_event_keeps_the_username_when_the_account_is_deleted(db):
    user = make_user("street")
    event = audit.record("export", actor=user)
    user.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor is None and event.actor_username == "street"


def test_the_office_reads_the_audit_page_newest_first_with_filters(office):
    with time_machine.travel(dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)):
        audit.record("export", actor=get_user_model().objects.get(username="office"), target="旧导出")
    audit.record("import", target="新导入", username="street")
    page = office.get("/audit/").content.decode()
    assert page.index("新导入") < page.index("旧导出")
    assert "旧导出" not in office.get("/audit/", {"kind": "import"}).content.decode()
    assert "新导入" not in office.get("/audit/", {"user": "office", "kind": "export"}).content.decode()
    assert "旧导出" in office.get("/audit/", {"start": "2026-11-01", "end": "2026-11-01"}).content.decode()
    assert "新导入" not in office.get("/audit/", {"start": "2026-11-01", "end": "2026-11-01"}).content.decode()


def test_others_get_404_for_the_audit_page_and_403_from_the_api(db, district):
    client = Client()
    user = make_user("community", Role.COMMUNITY_STAFF, region=district["210112001001"])
    client.force_login(user)
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/?format=xlsx").status_code == 404
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/audit-events/").status_code == 403


def test_the_office_reads_the_api(office):
    audit.record("publication", target="简报 1", username="office")
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="office"))
    body = api.get("/api/v1/audit-events/", {"kind": "publication"}).json()
    assert body["count"] == 1 and body["results"][0]["target"] == "简报 1"
    assert api.delete(f"/api/v1/audit-events/{body['results'][0]['id']}/").status_code == 405


def test_the_export_writes_formula_like_text_as_text(office):
    audit.record("login_failure", target="=HYPERLINK(\"http://x\")", username="=1+1")
    response = office.get("/audit/", {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    [row] = [r for r in rows if r[1] == "登录失败"]
    assert row[2] == "=1+1" and row[4].startswith("=HYPERLINK")  # shown as typed, never run
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)


def test_the_trail_is_gated_where_it_is_read_not_only_in_the_views(office, district):
    audit.record("export", target="x")
    street = make_user("street2", Role.STREET_STAFF, region=district["210112001"])
    assert AuditEvent.objects.restrict(street).count() == 0
    assert AuditEvent.objects.restrict(None).count() == 0
    assert AuditEvent.objects.filter(target="x").count() == 1


def test_the_audit_page_reads_targets_and_details_in_words(office, district):
    """It showed `{'change': 'added', 'role': 'grid_worker', 'unit': None}` and `briefing:3`."""
    make_user("worker", Role.GRID_WORKER, region=district["210112001001001"])  # a grant is audited as added
    audit.record("publication", target="briefing:3", audience="public")
    page = office.get("/audit/").content.decode()
    assert "<td>worker</td><td class=\"small\">变更：新增；角色：网格员；区域：210112001001网格1（210112001001001）" in page
    assert "None" not in page and "grid_worker" not in page
    assert "<td>简报 3</td>" in page and "公开范围：公众" in page
