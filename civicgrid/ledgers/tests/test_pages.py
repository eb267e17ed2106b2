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


def test_the_small_business_page_breaks_down_by_trade_in_the_readers_scope(town, client):
    """Issue 14: the article counts 3,759 businesses in eight trades; the page shows the trades of what it lists."""
    from civicgrid.ledgers.models import SmallBusiness

    categories = list(town["categories"].values())
    for n, key in enumerate(("shop1", "shop2", "shop3")):
        place = town["places"][key]
        SmallBusiness.objects.create(place=place, category=categories[0 if n < 2 else 1], name=f"店{n}",
                                     licence_number=f"L-{n}", region_code=place.region_code)
    client.force_login(town["users"]["street"])
    page = client.get("/ledgers/small-businesses/").content.decode()
    section = page[page.index('id="by-category"'):page.index("</section>", page.index('id="by-category"'))]
    assert f"<td>{categories[0].name}</td><td>2</td>" in section and categories[1].name not in section
