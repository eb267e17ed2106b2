import datetime as dt

import pytest
from rest_framework.test import APIClient

from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.organizations.models import Person
from civicgrid.organizations.services import contract
from testsupport import make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


class TestToken:
    def test_username_and_password_give_a_token_that_authenticates(self, district, api):
        make_user("street", Role.STREET_STAFF, region=district["210112001"])
        response = api.post("/api/v1/auth/token/", {"username": "street", "password": "pw"}, format="json")
        assert response.status_code == 200
        token = response.json()["token"]
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/regions/").json()["count"] == 11

    def test_wrong_password_is_400_with_a_message(self, db, api):
        make_user("street")
        response = api.post("/api/v1/auth/token/", {"username": "street", "password": "nope"}, format="json")
        assert response.status_code == 400 and "non_field_errors" in response.json()

    def test_login_attempts_are_throttled(self, db, api, settings):
        make_user("street")
        statuses = [
            api.post("/api/v1/auth/token/", {"username": "street", "password": "nope"}, format="json").status_code
            for _ in range(12)
        ]
        assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]

    def test_a_bad_token_is_refused(self, db, api):
        api.credentials(HTTP_AUTHORIZATION="Token deadbeef")
        assert api.get("/api/v1/regions/").status_code == 401


class TestUnitsAndContracts:
    @pytest.fixture
    def setup(self, district):
        gov = make_unit("GOV", UnitKind.LEADERSHIP)
        dept = make_unit("DEPT01", parent=gov)
        make_unit("ST1", UnitKind.STREET_OFFICE, district["210112001"], parent=gov)
        make_unit("ST2", UnitKind.STREET_OFFICE, district["210112002"], parent=gov)
        leader = Person.objects.create(name="区领导甲", title="副区长", unit=gov)
        contract(target=district["210112001"], person=leader, starts_on=dt.date(2026, 1, 1),
                 letter_signed_on=dt.date(2026, 1, 10))
        contract(target=district["210112002"], unit=dept, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
        return district

    def test_units_are_scoped_and_filterable(self, setup, api):
        api.force_authenticate(make_user("street", Role.STREET_STAFF, region=setup["210112001"]))
        assert [u["code"] for u in api.get("/api/v1/units/").json()["results"]] == ["ST1"]
        api.force_authenticate(make_user("admin", Role.ADMIN))
        assert api.get("/api/v1/units/", {"kind": "street_office"}).json()["count"] == 2
        assert api.get("/api/v1/units/", {"parent": "GOV"}).json()["count"] == 3
        assert api.get("/api/v1/units/ST2/").json()["region"] == "210112002"

    def test_contracts_list_with_contractor_and_period(self, setup, api):
        api.force_authenticate(make_user("admin", Role.ADMIN))
        body = api.get("/api/v1/contracts/", {"active_on": "2026-03-01"}).json()
        assert body["count"] == 1
        [row] = body["results"]
        assert row["person"]["name"] == "区领导甲" and row["region"] == "210112001"
        assert row["letter_signed_on"] == "2026-01-10"
        assert api.get("/api/v1/contracts/", {"region": "210112002"}).json()["count"] == 1

    def test_a_street_sees_only_its_own_contracts(self, setup, api):
        api.force_authenticate(make_user("street", Role.STREET_STAFF, region=setup["210112002"]))
        rows = api.get("/api/v1/contracts/").json()["results"]
        assert [r["region"] for r in rows] == ["210112002"]

    def test_a_contract_needs_exactly_one_contractor(self, setup):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            contract(target=setup["210112001"], starts_on=dt.date(2026, 1, 1))
        with pytest.raises(ValidationError):
            contract(target=setup["210112001"], person=Person.objects.first(), starts_on=dt.date(2026, 2, 1),
                     ends_on=dt.date(2026, 1, 1))


def test_the_page_and_the_api_share_one_login_counter(db):
    from django.test import Client

    make_user("street")
    page, api = Client(), APIClient()
    for _ in range(5):
        page.post("/login/", {"username": "street", "password": "nope"})
    statuses = [api.post("/api/v1/auth/token/", {"username": "street", "password": "nope"}, format="json").status_code
                for _ in range(6)]
    assert statuses == [400] * 5 + [429]
