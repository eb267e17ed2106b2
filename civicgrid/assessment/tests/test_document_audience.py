"""Published bulletins and briefings name units, shops and case numbers: staff read them; citizens and place
chiefs only once the office makes them public. A bulletin edit never reverts a publication."""

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from civicgrid.assessment import bulletins
from civicgrid.assessment.models import Bulletin
from civicgrid.assessment.tests.test_indicators import NOV, month  # noqa: F401  (the fixture)
from civicgrid.briefings import services as briefings
from civicgrid.briefings.models import Briefing
from civicgrid.core.exceptions import Conflict
from civicgrid.organizations.choices import Role
from civicgrid.territory.models import Region
from testsupport import make_user


@pytest.fixture
def people(month):  # noqa: F811
    district = Region.objects.get(code="210112")
    return {"office": make_user("admin", Role.ADMIN), "public": make_user("citizen", Role.PUBLIC),
            "chief": make_user("chief", Role.PLACE_CHIEF),
            "street": make_user("street", Role.STREET_STAFF, region=Region.objects.get(code="210112001")),
            "leader": make_user("leader", Role.LEADER, region=district)}


@pytest.fixture
def published(people):
    office = people["office"]
    bulletin = bulletins.publish(office, bulletins.draft(office, level="street", start=NOV[0], end=NOV[1]))
    briefing = briefings.publish(office, Briefing.objects.create(
        title="十一月简报", region=Region.objects.get(code="210112"), start=dt.date(2026, 11, 1),
        end=dt.date(2026, 11, 30), template="一、概况\n本月。", created_by=office))
    return bulletin, briefing


def pages(user, bulletin, briefing) -> list[int]:
    client = Client()
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return [client.get(f"/bulletins/{bulletin.pk}/").status_code,
            client.get(f"/bulletins/{bulletin.pk}/document.docx").status_code,
            client.get(f"/briefings/{briefing.pk}/").status_code,
            client.get(f"/briefings/{briefing.pk}/document.docx").status_code,
            api.get(f"/api/v1/briefings/{briefing.pk}/").status_code,
            api.get(f"/api/v1/briefings/{briefing.pk}/document.docx").status_code]


@pytest.mark.parametrize("persona", ["public", "chief"])
def test_citizens_and_place_chiefs_do_not_read_published_documents_until_made_public(people, published, persona):
    bulletin, briefing = published
    user = people[persona]
    assert set(pages(user, bulletin, briefing)) == {404}
    assert not Bulletin.objects.restrict(user).exists() and not Briefing.objects.restrict(user).exists()
    bulletins.make_public(people["office"], bulletin)
    briefings.make_public(people["office"], briefing)
    assert set(pages(user, bulletin, briefing)) == {200}


@pytest.mark.parametrize("persona", ["street", "leader"])
def test_staff_read_every_published_document(people, published, persona):
    assert set(pages(people[persona], *published)) == {200}


def test_only_the_office_makes_a_document_public_and_only_once(people, published):
    from django.core.exceptions import PermissionDenied

    bulletin, briefing = published
    with pytest.raises(PermissionDenied):
        bulletins.make_public(people["street"], bulletin)
    assert bulletins.make_public(people["office"], bulletin).public_at is not None
    with pytest.raises(Conflict):
        bulletins.make_public(people["office"], bulletin)
    draft = bulletins.draft(people["office"], level="street", start=NOV[0], end=NOV[1])
    with pytest.raises(Conflict):  # a draft is not public material
        bulletins.make_public(people["office"], draft)
    api = APIClient()
    api.force_authenticate(people["office"])
    assert api.post(f"/api/v1/briefings/{briefing.pk}/make-public/").status_code == 200
    assert api.post(f"/api/v1/briefings/{briefing.pk}/make-public/").status_code == 409


def test_the_office_page_makes_a_bulletin_public_with_a_confirmation(people, published):
    bulletin, _briefing = published
    client = Client()
    client.force_login(people["office"])
    page = client.get(f"/bulletins/{bulletin.pk}/").content.decode()
    assert 'id="make-public"' in page and "data-confirm" in page
    client.post(f"/bulletins/{bulletin.pk}/make-public/")
    assert Bulletin.objects.get(pk=bulletin.pk).public_at is not None


def test_an_edit_racing_a_publication_is_refused_instead_of_reverting_it(people):
    office = people["office"]
    draft = bulletins.draft(office, level="street", start=NOV[0], end=NOV[1])
    stale = Bulletin.objects.get(pk=draft.pk)  # the editor's copy, read while it was a draft
    bulletins.publish(office, draft)  # meanwhile someone publishes
    with pytest.raises(Conflict):
        bulletins.update(office, stale, body="编辑者的改写")
    fresh = Bulletin.objects.get(pk=draft.pk)
    assert fresh.status == "published" and fresh.body == draft.body
