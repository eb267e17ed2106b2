"""Security events reach the audit log from every login path and from grant changes."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from civicgrid.audit.models import AuditEvent
from civicgrid.organizations.choices import Role
from civicgrid.organizations.services import grant_role
from testsupport import make_user

pytestmark = pytest.mark.django_db


def test_logins_failures_and_logouts_are_recorded_for_every_login_path(db):
    make_user("street")
    client = Client()
    client.post("/login/", {"username": "street", "password": "bad"}, REMOTE_ADDR="192.0.2.1")
    client.post("/login/", {"username": "nobody", "password": "bad"})
    client.post("/login/", {"username": "street", "password": "pw"})
    client.post("/logout/")
    APIClient().post("/api/v1/auth/token/", {"username": "street", "password": "pw"}, format="json")
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", "actor_username"))
    assert kinds == [("login_failure", "street"), ("login_failure", "nobody"), ("login_success", "street"),
                     ("logout", "street"), ("login_success", "street")]
    assert AuditEvent.objects.filter(kind="login_failure", address="192.0.2.1").exists()


def test_grant_changes_are_recorded(db, district):
    user = make_user("street")
    grant = grant_role(user, Role.STREET_STAFF, region=district["210112001"])
    grant.delete()
    changes = list(AuditEvent.objects.filter(kind="grant_changed").order_by("id").values_list("detail__change", flat=True))
    assert changes == ["added", "removed"]


def test_exports_imports_and_publications_are_recorded(district):
    import datetime as dt

    from civicgrid.briefings import services as briefings
    from civicgrid.ledgers import services as ledgers

    office = make_user("office", Role.ADMIN)
    assert AuditEvent.objects.filter(kind="import", target="regions").exists()  # the district's boundaries
    ledgers.export("small-businesses", office)
    briefing = briefings.create_briefing(office, title="周报", region=district["210112"],
                                         start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 7))
    briefings.publish(office, briefing)
    rows = set(AuditEvent.objects.filter(actor=office).values_list("kind", "target"))
    assert rows == {("export", "ledger:small-businesses"), ("publication", f"briefing:{briefing.pk}")}
