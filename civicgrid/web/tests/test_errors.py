"""Errors look like the product: pages with the navigation in the reader's language, JSON for the API."""

import pytest
from django.test import Client
from django.urls import include, path

from civicgrid.organizations.choices import Role
from testsupport import make_user

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/boom/", boom),
    path("boom/", boom),
    path("", include("civicgrid.urls")),
]
handler400 = "civicgrid.web.errors.bad_request"
handler403 = "civicgrid.web.errors.permission_denied"
handler404 = "civicgrid.web.errors.page_not_found"
handler500 = "civicgrid.web.errors.server_error"


@pytest.fixture
def signed_in(district):
    client = Client(raise_request_exception=False)
    client.force_login(make_user("street", Role.STREET_STAFF, region=district["210112001"]))
    return client


def test_a_missing_page_has_the_navigation_and_a_way_back_in_chinese(signed_in):
    response = signed_in.get("/cases/NO-SUCH-CASE/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "返回工作台" in page and 'class="nav"' in page


def test_the_english_session_gets_english_error_pages(signed_in):
    signed_in.cookies["django_language"] = "en"
    page = signed_in.get("/cases/NO-SUCH-CASE/").content.decode()
    assert "Page not found" in page and "页面不存在" not in page


def test_the_api_answers_an_unknown_path_in_json(signed_in):
    response = signed_in.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_a_server_error_is_json_for_the_api_and_a_product_page_elsewhere(signed_in, settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    api = signed_in.get("/api/v1/boom/")
    assert api.status_code == 500 and api.json() == {"detail": "服务器出错"}
    page = signed_in.get("/boom/")
    assert page.status_code == 500 and "服务器出错" in page.content.decode() and 'class="nav"' in page.content.decode()


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(settings):
    from django.test import RequestFactory

    from civicgrid.core.middleware import TrustedProxyMiddleware

    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]

    factory = RequestFactory()
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    middleware = TrustedProxyMiddleware(view)
    middleware(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"))
    assert seen["address"] == "203.0.113.9"  # the hop nginx appended; what the client wrote before it is ignored
    middleware(factory.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="6.6.6.6"))
    assert seen["address"] == "198.51.100.1"  # not from a trusted proxy: the header is not believed
    settings.TRUSTED_PROXIES = []
    TrustedProxyMiddleware(view)(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6"))
    assert seen["address"] == "127.0.0.1"


def test_every_page_carries_a_content_security_policy_without_inline_scripts(signed_in):
    response = signed_in.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()  # every script is a file of this site
