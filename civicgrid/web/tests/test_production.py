"""The product as deployed: every page of every demo role's navigation, on a desktop and a phone, served by
gunicorn with DEBUG=false and collected static files (started by .ci/production.sh, which sets
CIVICGRID_PRODUCTION_URL). Fails on any 5xx, any failed request for a page's files, any broken image and any
console error. `make test` leaves these out; .ci/run always runs them through that script.
"""

from __future__ import annotations

import os
import re

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.production

BASE = os.environ.get("CIVICGRID_PRODUCTION_URL", "")
# Each role's first screen at both sizes is kept as an artifact of the run (issue 16), for people to look at.
SCREENSHOTS = os.environ.get("CIVICGRID_SCREENSHOTS", "var/screenshots")
ROLES = ["admin", "leader", "acceptor", "shift_leader", "dispatcher", "inspector", "handler", "street", "community",
         "gridworker", "assessor", "chief", "public"]
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
# Pages that hand out files or leave the product rather than show a page.
NOT_PAGES = re.compile(r"/admin/|\.(xlsx|docx)$")


@pytest.fixture(scope="module")
def chromium():
    if not BASE:
        pytest.fail("CIVICGRID_PRODUCTION_URL is not set: run .ci/production.sh")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watch:
    """Everything that went wrong while the page loaded."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        # ERR_ABORTED is a request the browser cancelled because the test moved on (Swagger UI still fetching
        # the schema, say); a file that is missing or refused fails with its status or another error.
        page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
                and self.problems.append(f"failed request: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
                and self.problems.append(f"{r.status} for {r.url}"))


def broken_images(page) -> list[str]:
    return page.evaluate("""() => Array.from(document.images)
        .filter((img) => img.complete && img.naturalWidth === 0 && img.getAttribute('src'))
        .map((img) => img.src)""")


def visit(page, watch, url) -> list[str]:
    response = page.goto(url, wait_until="networkidle")
    found = []
    if response is None or response.status >= 500:
        found.append(f"{url}: status {response.status if response else 'none'}")
    page.evaluate("""() => Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => null)))""")
    found += [f"{url}: broken image {src}" for src in broken_images(page)]
    found += [f"{url}: {p}" for p in watch.problems]
    watch.problems.clear()
    return found


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_navigation_works_as_deployed(chromium, role, viewport):
    context = chromium.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    watch = Watch(page)
    problems = visit(page, watch, f"{BASE}/login/")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    # Staff land on the workbench; a citizen's account on its own reports, on the public side.
    page.wait_for_url(f"{BASE}/public/mine/" if role == "public" else f"{BASE}/")
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{role}-{viewport}.png"), full_page=True)
    links = page.eval_on_selector_all("nav.nav a, nav.public-nav a", "links => links.map((a) => a.href)")
    assert links, "the navigation is empty"
    for url in dict.fromkeys([f"{BASE}/", *links]):
        if not NOT_PAGES.search(url):
            problems += visit(page, watch, url)
    # A case with its photos, where the role may see one.
    page.goto(f"{BASE}/cases/", wait_until="networkidle")
    first = page.locator("table a[href*='/cases/']").first
    if first.count():
        problems += visit(page, watch, first.get_attribute("href") if first.get_attribute("href").startswith(
            "http") else BASE + first.get_attribute("href"))
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_citizen_reports_on_the_deployed_product(chromium, viewport, tmp_path):
    """The public side as deployed, without an account: its pages load cleanly, a report with a photo goes
    through (CSRF, storage, the locator), and its tracking page shows the photo's public copy."""
    from civicgrid.cases.tests.conftest import jpeg

    # No position from the phone: the citizen types a place instead.
    context = chromium.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    watch = Watch(page)
    problems = [p for url in ("/public/", "/public/?show=fixed", "/public/sign-in/")
                for p in visit(page, watch, BASE + url)]
    problems += visit(page, watch, f"{BASE}/public/report/")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg(size=(1800, 1200)))
    page.locator("#photo-input").set_input_files(str(photo))
    page.wait_for_selector("#photo-list img")
    page.fill("#place-search", "路")
    page.locator("#place-results button").first.click()
    page.wait_for_function("() => document.getElementById('id_lat').value !== ''")
    page.fill("#class-search", "垃圾")
    page.locator("#class-results button").first.click()
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/public/r/**")
    page.wait_for_selector("#timeline img")
    problems += visit(page, watch, page.url)
    context.close()
    assert problems == [], "\n".join(problems)


def test_photos_are_served_to_those_who_may_see_them_and_404_to_the_rest(chromium):
    """The demo's inspection photos through the API's links: the office gets the public copy, the thumbnail and the
    original; an anonymous reader gets the public copy of a publicly listed case but never the original."""
    context = chromium.new_context()
    token = context.request.post(f"{BASE}/api/v1/auth/token/", form={"username": "admin", "password": "demo"})
    assert token.status == 200, token.text()
    headers = {"Authorization": f"Token {token.json()['token']}"}
    cases = context.request.get(f"{BASE}/api/v1/cases/?source=inspection&ordering=-reported_at", headers=headers)
    photos = (p for case in cases.json()["results"]
              for e in context.request.get(f"{BASE}/api/v1/cases/{case['number']}/", headers=headers).json()["events"]
              for p in e["photos"])
    photo = next(photos, None)
    assert photo is not None, "no demo inspection case with a photo among the newest"
    original = photo["url"].replace("/public/", "/original/")
    for url in (photo["url"], photo["thumbnail_url"], original):
        response = context.request.get(url, headers=headers)
        assert response.status == 200 and response.headers["content-type"].startswith("image/"), url
    anonymous = chromium.new_context()
    assert anonymous.request.get(photo["url"]).status == 200
    assert anonymous.request.get(original).status == 404
    anonymous.close()
    context.close()
