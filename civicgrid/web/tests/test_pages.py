import json
import re

import pytest
from django.test import Client

from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.organizations.models import Person
from testsupport import grid_center, make_place, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(district):
    committee = make_unit("CM1", UnitKind.COMMUNITY_COMMITTEE, district["210112001001"])
    chief_person = Person.objects.create(name="店长丙", unit=committee)
    make_place("shop", *grid_center("210112001001001"), name="本社区小店", unit=committee, chief=chief_person)
    make_place("shop", *grid_center("210112002002004"), name="外街道小店")
    return {
        "admin": make_user("admin", Role.ADMIN, superuser=True),
        "community": make_user("community", Role.COMMUNITY_STAFF, region=district["210112001001"]),
        "chief": make_user("chief", Role.PLACE_CHIEF, person=chief_person),
        "public": make_user("public", Role.PUBLIC),
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_pages_require_login(db):
    for url in ["/", "/map/", "/regions/", "/places/", "/contracts/"]:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_login_page_is_in_chinese_and_logs_in(people):
    client = Client()
    assert "登录" in client.get("/login/").content.decode()
    response = client.post("/login/", {"username": "community", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_login_page_is_throttled(people):
    client = Client()
    codes = [client.post("/login/", {"username": "community", "password": "x"}).status_code for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    assert "过于频繁" in client.post("/login/", {"username": "community", "password": "pw"}).content.decode()


@pytest.mark.parametrize("persona,expected", [
    ("admin", ["创城办管理员", "后台管理"]),
    ("community", ["社区工作人员", "第1街道第1社区"]),
    ("chief", ["责任对象负责人", "本社区小店"]),
    ("public", ["我的反映"]),  # a citizen's account lands on the public side
])
def test_each_role_has_a_home_page(people, persona, expected):
    page = client_for(people[persona]).get("/", follow=True).content.decode()
    for text in expected:
        assert text in page


def test_places_page_shows_only_what_the_user_may_see(people):
    page = client_for(people["community"]).get("/places/").content.decode()
    assert "本社区小店" in page and "外街道小店" not in page
    page = client_for(people["public"]).get("/places/").content.decode()
    assert "没有符合条件的责任对象" in page


def test_places_page_answers_htmx_with_the_table_only(people):
    response = client_for(people["admin"]).get("/places/?kind=shop", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "<html" not in html


def test_region_pages_are_scoped(people):
    client = client_for(people["community"])
    assert client.get("/regions/210112001001/").status_code == 200
    assert client.get("/regions/210112002/").status_code == 404
    top = client.get("/regions/").content.decode()
    assert "210112001001" in top and "210112002" not in top


def test_map_data_is_scoped(people):
    data = json.loads(client_for(people["community"]).get("/map/places.geojson?kind=shop").content)
    assert [f["properties"]["name"] for f in data["features"]] == ["本社区小店"]


def test_the_map_page_loads_only_local_scripts(people):
    html = client_for(people["admin"]).get("/map/").content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_the_english_interface_is_available(people):
    client = client_for(people["admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Workbench" in page and 'lang="en"' in page


def test_the_language_menu_names_each_language_in_itself(people):
    """Django's catalogue translates "English" to 英语 on a Chinese page: the menu names languages in their own."""
    page = client_for(people["admin"]).get("/").content.decode()
    assert '<option value="en" lang="en">English</option>' in page and "英语" not in page
    assert 'lang="zh-hans" selected>简体中文</option>' in page


def test_the_admin_lists_every_model_in_chinese(people):
    page = client_for(people["admin"]).get("/admin/").content.decode()
    for name in ["区域", "责任对象", "责任对象类型", "单位", "人员", "角色授权", "包保关系"]:
        assert name in page


def test_the_interface_is_chinese_even_when_the_browser_asks_for_english(db):
    response = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert 'lang="zh-hans"' in html and "用户名" in html
    assert response["Content-Language"] == "zh-hans"


def test_the_menu_follows_the_role(people):
    """Issue 16: a handler sees its queue first; the API documentation and the office's pages are the office's;
    nobody's menu names a page that would refuse them."""
    def menu(persona):
        page = client_for(people[persona]).get("/", follow=True).content.decode()
        return re.findall(r'<nav class="nav">(.*?)</nav>', page, flags=re.S)[0] if '<nav class="nav">' in page else ""

    admin = menu("admin")
    assert "接口文档" in admin and "发送记录" in admin and "看板" in admin
    community = menu("community")
    assert "待办" in community and "台账" in community
    assert "接口文档" not in community and "发送记录" not in community and "包保" not in community
    chief = menu("chief")
    assert "看板" not in chief and "台账" not in chief and "考核" not in chief and "接口文档" not in chief
    assert menu("public") == ""  # a citizen's account has the public side's menu
    for persona in ("admin", "community", "chief"):
        client = client_for(people[persona])
        for url in re.findall(r'href="([^"]+)"', menu(persona)):
            if not url.startswith("/admin/"):
                assert client.get(url).status_code == 200, (persona, url)
