"""Ledger and briefing pages per role, in Chinese and English."""

from civicgrid.ledgers import services
from civicgrid.ledgers.specs import LEDGERS
from civicgrid.ledgers.tests.conftest import workbook
from civicgrid.ledgers.tests.test_imports import BUSINESS_HEADERS, business_row


def test_every_ledger_page_renders_for_each_role(town, client):
    services.import_ledger("small-businesses", workbook(BUSINESS_HEADERS, [business_row()]), town["users"]["admin"])
    for name in ("admin", "street", "other_street", "community", "public", "leader"):
        client.force_login(town["users"][name])
        assert client.get("/ledgers/").status_code == 200
        assert client.get("/ledgers/certificates/").status_code == 200
        assert client.get("/briefings/").status_code == 200
        for slug in LEDGERS:
            assert client.get(f"/ledgers/{slug}/").status_code == 200, (name, slug)
    client.force_login(town["users"]["other_street"])
    assert "老王小吃" not in client.get("/ledgers/small-businesses/").content.decode()
    assert 'id="import-form"' in client.get("/ledgers/small-businesses/").content.decode()
    client.force_login(town["users"]["public"])
    assert 'id="import-form"' not in client.get("/ledgers/small-businesses/").content.decode()


def test_pages_in_english(town, client):
    client.force_login(town["users"]["admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Campaign ledgers" in client.get("/ledgers/").content.decode()
    assert "Download the template" in client.get("/ledgers/publicity/").content.decode()
    assert "Briefings" in client.get("/briefings/").content.decode()
