"""The one gate, proved from the outside: for every role, every registered API viewset and every page URL.

A small world holds three kinds of rows a role may not reach, each carrying a marker string:
OUTSIDE rows lie in the second street (another territory, another unit), EMBARGO rows are an unpublished
undercover round's findings inside the first street, DRAFT rows are the office's unpublished documents.
Each role walks every list, page and export (no marker may appear), asks for each hidden row's detail (404)
and tries every write on it (refused, nothing changed). The office walks the same URLs and must meet every
marker, so a walk that reaches nothing cannot pass.

A URL pattern added later fails `test_every_url_is_walked` until it is walked here or exempted with a reason.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from civicgrid.api_urls import router
from civicgrid.assessment import bulletins
from civicgrid.briefings import services as briefings
from civicgrid.cases import services as cases
from civicgrid.cases.models import Case, CaseClass
from civicgrid.cases.tests.conftest import world  # noqa: F401  (fixtures, reused)
from civicgrid.core.api import GatedViewSet
from civicgrid.inspections import planning
from civicgrid.inspections.models import AssessmentRound, Inspection, Plan
from civicgrid.inspections.tests.conftest import field, photo_of  # noqa: F401
from civicgrid.inspections.tests.test_embargo import undercover  # noqa: F401
from civicgrid.inspections.tests.test_inspections import run
from civicgrid.ledgers.models import SmallBusiness
from civicgrid.ledgers.specs import LEDGERS
from civicgrid.organizations.models import Person, Unit
from civicgrid.organizations.services import contract
from civicgrid.territory.models import Place, PlaceCategory
from testsupport import make_place, make_user

TODAY = timezone.localdate()
OUTSIDE, EMBARGO, DRAFT = "OUTSIDE7Q", "EMBARGO7Q", "DRAFT7Q"
PERIOD = {"start": (TODAY - dt.timedelta(days=7)).isoformat(), "end": (TODAY + dt.timedelta(days=1)).isoformat(),
          "level": "street"}

# Which markers each role must never meet. The office (admin) meets them all.
DISTRICT_VIEWERS = ("leader", "acceptor", "shift_leader", "dispatcher", "inspector")
TERRITORIAL = ("street", "community", "gridworker", "handler", "market_staff", "chief", "public")
FORBIDDEN = {
    **{role: {EMBARGO, DRAFT} for role in DISTRICT_VIEWERS},
    "assessor": {DRAFT},
    **{role: {OUTSIDE, EMBARGO, DRAFT} for role in TERRITORIAL},
    "anonymous": {OUTSIDE, EMBARGO, DRAFT},  # the public face lists public cases to anyone: OUTSIDE is allowed there
}
# Open311 and the citizens' pages list every street's public cases to anyone (never an embargoed one).
PUBLIC_FACE = ("/open311/", "/public/")

# Pages that hold no territory-bound rows, with the reason; everything else is walked.
EXEMPT = {
    "login": "the sign-in form", "logout": "signs out", "login-code": "the second sign-in step",
    "set_language": "switches the language", "health": "the load balancer's probe",
    "api-schema": "the OpenAPI document", "api-docs": "the API's documentation page",
    "api-token": "issues the caller's own token", "account-two-factor": "the caller's own authenticator",
    "account-two-factor-remove": "the caller's own authenticator", "account-password": "the caller's own password",
    "accounts-unlock": "an account, not a territory row (office only: accounts/tests)",
    "open311-token": "a citizen's submission token (open311/tests)",
    "api-standard-export": "reference data", "inspection-standard-export": "reference data",
    "api-rulebook-import": "reference data (office only)", "api-photos": "uploads the caller's own photo",
    "api-locate": "locates a point (no rows)",
    "api-ledger-import": "a write: imports match rows only in the importer's reach (ledgers/tests/test_import_integrity)", "export-job": "its owner's alone (Owned gate; cases/tests/test_export_jobs: 404 for anyone else)",
    "export-download": "its owner's alone (Owned gate; cases/tests/test_export_jobs: 404 for anyone else)",
    "open311-service": "reference data (the case classes)",
    "case-class-detail": "reference data", "point-type-detail": "reference data", "standard-detail": "reference data",
    "standard-new-version": "reference data (office only: inspections/tests)",
    "audit-event-detail": "the office's own records (audit/tests: 404 for everyone else)",
    "open311-unknown": "answers Open311's <errors> for any other path under /open311/v2/ (no rows)",
    "case-queue-bulk": "acts only on the named cases the caller may act on (cases/tests/test_pages.py: another street's case is refused)",
    "public-track": "one report, behind its secret link (citizens/tests: 404 without the secret)",
    "public-office-review": "the office's review of a rating (citizens/tests: refused for anyone else)",
    "public-office-unblock": "the office's blocks, not territory rows (citizens/tests: refused for anyone else)",
    "notification-resend": "the office's outbox (OfficeOnly gate; notifications/tests: refused for anyone else)",
    "field-session-revoke": "a device's field session: the office's or its user's own (field/tests: 404 for others)",
    "briefing-preview": "the office's draft as edited (briefings/tests/test_editor: 403 for anyone else)",
    "bulletin-preview": "the office's draft as edited (assessment/tests/test_bulletins: 403 for anyone else)",
}
# Lists behind a format suffix, walked as a client asks for them.
SUFFIXED = {"open311-discovery": "/open311/v2/discovery.json", "open311-services": "/open311/v2/services.json",
            "open311-requests": "/open311/v2/requests.json",
            "open311-updates": "/open311/v2/servicerequestupdates.json"}


@pytest.fixture
def hidden(undercover):  # noqa: F811
    """The world of the undercover tests plus rows of every kind that some role may not reach."""
    users = undercover["users"]
    admin = users["admin"]
    d = undercover["regions"]
    round_ = undercover["round"]
    AssessmentRound.objects.filter(pk=round_.pk).update(name=f"{EMBARGO} 暗访")
    embargoed = [case.pk for case in undercover["outcome"].opened]
    Case.objects.filter(pk__in=embargoed).update(description=f"{EMBARGO} 暗访发现")

    far = undercover["far_point"]
    # Every hidden row carries a marker where lists show it: the far market's name (its inspection, plan and
    # assignments), the other street's committee, the undercover inspection's id (its place is in reach).
    Place.objects.filter(pk=undercover["places"]["far_market"].pk).update(name=f"{OUTSIDE} 农贸市场")
    Unit.objects.filter(pk=undercover["committees"]["210112002001"].pk).update(name=f"{OUTSIDE} 居委会")
    outside_place = make_place("shop", far[0] + 0.002, far[1], name=f"{OUTSIDE} 商店", code="OUT-1")
    garbage_elsewhere = CaseClass.objects.exclude(code="E0102").filter(active=True).order_by("code").first()
    outside_case = cases.report_case(
        admin, case_class=garbage_elsewhere, description=f"{OUTSIDE} 乱堆物料", lng=far[0], lat=far[1],
        address=f"{OUTSIDE} 西街1号", photos=[photo_of(admin)]).case
    outside_inspection = run(admin, undercover["places"]["far_market"], {"NM01": 1}).inspection
    outside_plan = planning.create_plan(admin, name=f"{OUTSIDE} 计划", kind="morning",
                                        standard=undercover["standard"], region_code="210112002",
                                        starts_on=TODAY, recurrence="once", selection="listed",
                                        places=[undercover["places"]["far_market"]])
    planning.generate_assignments(outside_plan, TODAY, TODAY)
    SmallBusiness.objects.create(
        place=outside_place, category=PlaceCategory.objects.filter(kind__slug="shop").first(),
        name=f"{OUTSIDE} 小吃", licence_number="OUT-LIC-1", region_code=outside_place.region_code)
    outside_contract = contract(target=d["210112002"], person=Person.objects.create(name=f"{OUTSIDE} 领导"),
                                starts_on=TODAY - dt.timedelta(days=30))
    briefing = briefings.create_briefing(admin, title=f"{DRAFT} 简报", region=d["210112"],
                                         start=TODAY - dt.timedelta(days=7), end=TODAY,
                                         template=f"{DRAFT} {{{{cases_reported}}}}")
    bulletin = bulletins.draft(admin, level="street", start=TODAY - dt.timedelta(days=7), end=TODAY)
    bulletins.update(admin, bulletin, title=f"{DRAFT} 通报")
    embargoed_case = Case.objects.get(pk=embargoed[0])
    IDENTIFIERS.clear()
    IDENTIFIERS.update({str(undercover["outcome"].inspection.uid): EMBARGO, embargoed_case.number: EMBARGO,
                        outside_case.number: OUTSIDE, str(outside_inspection.uid): OUTSIDE})
    return {
        **undercover, "outside_case": outside_case, "outside_inspection": outside_inspection,
        "outside_plan": outside_plan, "outside_region": d["210112002"], "briefing": briefing,
        "outside_contract": outside_contract, "outside_unit": undercover["committees"]["210112002001"],
        "bulletin": bulletin, "embargoed_case": embargoed_case,
        "embargoed_inspection": undercover["outcome"].inspection,
    }


# -- finding markers in whatever a URL answers -------------------------------------------------------------
def text_of(response) -> str:
    """The answer as text: HTML, JSON, XML, and the cells of Excel workbooks and Word documents."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                            if name.endswith(".xml"))
    return body.decode("utf-8", "replace")


IDENTIFIERS: dict[str, str] = {}  # identifier of a hidden row → its marker, filled by the fixture


def markers_in(text: str) -> set[str]:
    found = {m for m in (OUTSIDE, EMBARGO, DRAFT) if m in text}
    return found | {marker for identifier, marker in IDENTIFIERS.items() if identifier in text}


def query(address: str) -> dict | None:
    """The period for URLs without a query of their own (the test client replaces a URL's query by `data`)."""
    return None if "?" in address else PERIOD


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# -- the URL patterns -----------------------------------------------------------------------------------------
def url_patterns(patterns=None, prefix=""):
    """(route, name, pattern) of every URL the product serves, the admin excepted (office and superusers)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name or "", entry


def plain_urls() -> list[str]:
    """Every URL without parameters (format suffixes left out), as a client would ask for it."""
    urls = []
    for route, name, _pattern in url_patterns():
        if name in EXEMPT or "(?P<" in route or "<" in route:
            continue
        urls.append("/" + route.replace("^", "").replace("$", ""))
    return sorted(set(urls))


def test_every_registered_viewset_passes_the_gate():
    assert router.registry
    ungated = [prefix for prefix, viewset, _ in router.registry if not issubclass(viewset, GatedViewSet)]
    assert ungated == []


def test_a_user_without_grants_lists_nothing_but_dictionaries(hidden):
    """Every registered viewset's list, asked by a signed-in user who holds no role: only reference data."""
    from civicgrid.core.scoping import ReferenceData

    nobody = make_user("nobody")
    api = APIClient()
    api.force_authenticate(nobody)
    for prefix, viewset, _basename in router.registry:
        response = api.get(f"/api/v1/{prefix}/", PERIOD)
        rows = response.json() if response.status_code == 200 else []
        rows = rows.get("results", rows) if isinstance(rows, dict) else rows
        gates = viewset.queryset.query.model.objects.all().gates if viewset.queryset is not None else ()
        if any(isinstance(gate, ReferenceData) for gate in gates):
            continue
        assert response.status_code in (200, 403) and rows == [], prefix


def test_every_url_is_walked():
    """Each URL with parameters is one the walks below fill in, or is exempt with a reason."""
    walked = set(DETAIL_URLS) | set(WRITE_URLS) | set(SUFFIXED) | {
        "ledger-list", "api-ledger-template", "api-ledger-export", "api-ledger-records"}
    # The router serves every route also behind a format suffix (.json): the plain route is walked.
    plain_names = {name for route, name, _ in url_patterns() if "<" not in route}
    missing = sorted({name for route, name, _ in url_patterns()
                      if "<" in route and name not in EXEMPT.keys() | walked | plain_names})
    assert missing == []


# Detail URLs of hidden rows: name → (marker the row carries, how to build the URL from the world).
DETAIL_URLS = {
    "public-case-panel": [(OUTSIDE, lambda w: f"/public/office/{w['outside_case'].number}/"),
                          (EMBARGO, lambda w: f"/public/office/{w['embargoed_case'].number}/")],
    "case-detail": [(OUTSIDE, lambda w: f"/cases/{w['outside_case'].number}/"),
                    (EMBARGO, lambda w: f"/cases/{w['embargoed_case'].number}/"),
                    (OUTSIDE, lambda w: f"/api/v1/cases/{w['outside_case'].number}/"),
                    (EMBARGO, lambda w: f"/api/v1/cases/{w['embargoed_case'].number}/")],
    "inspection-detail": [(OUTSIDE, lambda w: f"/inspections/{w['outside_inspection'].uid}/"),
                          (EMBARGO, lambda w: f"/inspections/{w['embargoed_inspection'].uid}/"),
                          (OUTSIDE, lambda w: f"/api/v1/inspections/{w['outside_inspection'].uid}/"),
                          (EMBARGO, lambda w: f"/api/v1/inspections/{w['embargoed_inspection'].uid}/")],
    "region": [(OUTSIDE, lambda w: f"/regions/{w['outside_region'].code}/")],
    # The public copy of a publicly listed case's photo is anyone's (Open311); the original is the staff's.
    "photo": [(OUTSIDE, lambda w: f"/photos/{w['outside_case'].events.first().photos.first().photo.uid}/original/")],
    "briefing-detail": [(DRAFT, lambda w: f"/briefings/{w['briefing'].pk}/"),
                        (DRAFT, lambda w: f"/api/v1/briefings/{w['briefing'].pk}/")],
    "briefing-docx": [(DRAFT, lambda w: f"/briefings/{w['briefing'].pk}/document.docx")],
    "api-briefing-docx": [(DRAFT, lambda w: f"/api/v1/briefings/{w['briefing'].pk}/document.docx")],
    "api-briefing-html": [(DRAFT, lambda w: f"/api/v1/briefings/{w['briefing'].pk}/document.html")],
    "bulletin-detail": [(DRAFT, lambda w: f"/bulletins/{w['bulletin'].pk}/")],
    "bulletin-docx": [(DRAFT, lambda w: f"/bulletins/{w['bulletin'].pk}/document.docx")],
    "open311-request": [(EMBARGO, lambda w: f"/open311/v2/requests/{w['embargoed_case'].number}.json")],
    "plan-detail": [(OUTSIDE, lambda w: f"/api/v1/plans/{w['outside_plan'].pk}/"),
                    (EMBARGO, lambda w: f"/api/v1/plans/{w['plan'].pk}/")],
    "assignment-detail": [(OUTSIDE, lambda w: f"/api/v1/assignments/{w['outside_plan'].assignments.first().pk}/"),
                          (EMBARGO, lambda w: f"/api/v1/assignments/{w['plan'].assignments.first().pk}/")],
    "assessment-round-detail": [(EMBARGO, lambda w: f"/api/v1/assessment-rounds/{w['round'].pk}/")],
    "assessment-round-compare": [(EMBARGO, lambda w: f"/api/v1/assessment-rounds/{w['round'].pk}/compare/?other={w['round'].pk}")],
    "unit-detail": [(OUTSIDE, lambda w: f"/api/v1/units/{w['outside_unit'].code}/")],
    "contract-detail": [(OUTSIDE, lambda w: f"/api/v1/contracts/{w['outside_contract'].uid}/")],
    "place-detail": [(OUTSIDE, lambda w: "/api/v1/places/OUT-1/")],
    "region-detail": [(OUTSIDE, lambda w: f"/api/v1/regions/{w['outside_region'].code}/")],
}

# Writes on hidden rows: name → (marker, URL builder, how to read the row's state before and after).
WRITE_URLS = {
    "public-office-moderate": [
        (OUTSIDE, lambda w: f"/public/office/{w['outside_case'].number}/moderate/",
         lambda w: w["outside_case"].events.filter(action="moderate").count()),
        (EMBARGO, lambda w: f"/public/office/{w['embargoed_case'].number}/moderate/",
         lambda w: w["embargoed_case"].events.filter(action="moderate").count())],
    "case-act": [
        (OUTSIDE, lambda w: f"/cases/{w['outside_case'].number}/act/close/",
         lambda w: Case.objects.get(pk=w["outside_case"].pk).state),
        (OUTSIDE, lambda w: f"/api/v1/cases/{w['outside_case'].number}/actions/close/",
         lambda w: Case.objects.get(pk=w["outside_case"].pk).state),
        (EMBARGO, lambda w: f"/api/v1/cases/{w['embargoed_case'].number}/actions/close/",
         lambda w: Case.objects.get(pk=w["embargoed_case"].pk).state)],
    "inspection-round-publish": [
        (EMBARGO, lambda w: f"/inspections/rounds/{w['round'].pk}/publish/",
         lambda w: AssessmentRound.objects.get(pk=w["round"].pk).status)],
    "inspection-results": [
        (OUTSIDE, lambda w: f"/api/v1/inspections/{w['outside_inspection'].uid}/results/",
         lambda w: list(w["outside_inspection"].results.values_list("outcome", "findings").order_by("id"))),
        (EMBARGO, lambda w: f"/api/v1/inspections/{w['embargoed_inspection'].uid}/results/",
         lambda w: list(w["embargoed_inspection"].results.values_list("outcome", "findings").order_by("id")))],
    "inspection-submit": [
        (OUTSIDE, lambda w: f"/api/v1/inspections/{w['outside_inspection'].uid}/submit/",
         lambda w: Inspection.objects.get(pk=w["outside_inspection"].pk).submitted_at)],
    "plan-generate": [
        (OUTSIDE, lambda w: f"/api/v1/plans/{w['outside_plan'].pk}/generate/",
         lambda w: Plan.objects.get(pk=w["outside_plan"].pk).assignments.count())],
    "assessment-round-publish": [
        (EMBARGO, lambda w: f"/api/v1/assessment-rounds/{w['round'].pk}/publish/",
         lambda w: AssessmentRound.objects.get(pk=w["round"].pk).status)],
    "inspection-plan-generate": [
        (OUTSIDE, lambda w: f"/inspections/plans/{w['outside_plan'].pk}/generate/",
         lambda w: Plan.objects.get(pk=w["outside_plan"].pk).assignments.count())],
    "briefing-publish": [(DRAFT, lambda w: f"/briefings/{w['briefing'].pk}/publish/",
                          lambda w: type(w["briefing"]).objects.get(pk=w["briefing"].pk).status),
                         (DRAFT, lambda w: f"/api/v1/briefings/{w['briefing'].pk}/publish/",
                          lambda w: type(w["briefing"]).objects.get(pk=w["briefing"].pk).status)],
    "briefing-make-public": [(DRAFT, lambda w: f"/briefings/{w['briefing'].pk}/make-public/",
                              lambda w: type(w["briefing"]).objects.get(pk=w["briefing"].pk).public_at),
                             (DRAFT, lambda w: f"/api/v1/briefings/{w['briefing'].pk}/make-public/",
                              lambda w: type(w["briefing"]).objects.get(pk=w["briefing"].pk).public_at)],
    "briefing-correct": [(DRAFT, lambda w: f"/briefings/{w['briefing'].pk}/correct/",
                          lambda w: type(w["briefing"]).objects.count()),
                         (DRAFT, lambda w: f"/api/v1/briefings/{w['briefing'].pk}/correct/",
                          lambda w: type(w["briefing"]).objects.count())],
    "bulletin-publish": [(DRAFT, lambda w: f"/bulletins/{w['bulletin'].pk}/publish/",
                          lambda w: type(w["bulletin"]).objects.get(pk=w["bulletin"].pk).status)],
    "bulletin-make-public": [(DRAFT, lambda w: f"/bulletins/{w['bulletin'].pk}/make-public/",
                              lambda w: type(w["bulletin"]).objects.get(pk=w["bulletin"].pk).public_at)],
    "bulletin-correct": [(DRAFT, lambda w: f"/bulletins/{w['bulletin'].pk}/correct/",
                          lambda w: type(w["bulletin"]).objects.count())],
}


def ledger_urls() -> list[str]:
    urls = []
    for slug in LEDGERS:
        urls += [f"/ledgers/{slug}/", f"/api/v1/ledgers/{slug}/", f"/api/v1/ledgers/{slug}/export.xlsx",
                 f"/api/v1/ledgers/{slug}/template.xlsx"]
    return urls


def walk(user) -> dict[str, set[str]]:
    """Every list, page and export the user can ask for → the markers found in each answer."""
    web, api = client_for(user), APIClient()
    if user is not None:
        api.force_authenticate(user)
    found = {}
    for url in plain_urls() + ledger_urls() + list(SUFFIXED.values()):
        client = api if url.startswith(("/api/", "/open311/")) else web
        response = client.get(url, PERIOD)
        assert response.status_code < 500, (url, response.status_code)
        if 300 <= response.status_code < 400 and "/exports/" in response.get("Location", ""):
            response = web.get(response["Location"].rstrip("/") + "/download/")
        found[url] = markers_in(text_of(response))
    return found


# Where the office must meet the hidden rows: the walk proves nothing about a list that never shows them.
OFFICE_SEES = {
    "/cases/": {OUTSIDE, EMBARGO}, "/api/v1/cases/": {OUTSIDE, EMBARGO}, "/cases/queues/": {OUTSIDE},
    "/cases/export.xlsx": {OUTSIDE, EMBARGO}, "/inspections/": {OUTSIDE, EMBARGO},
    "/api/v1/inspections/": {OUTSIDE, EMBARGO}, "/api/v1/assignments/": {OUTSIDE},
    "/api/v1/plans/": {OUTSIDE}, "/inspections/plans/": {OUTSIDE}, "/api/v1/assessment-rounds/": {EMBARGO},
    "/inspections/rounds/": {EMBARGO}, "/api/v1/units/": {OUTSIDE}, "/api/v1/contracts/": {OUTSIDE},
    "/contracts/": {OUTSIDE}, "/places/": {OUTSIDE}, "/api/v1/places/": {OUTSIDE},
    "/ledgers/small-businesses/": {OUTSIDE}, "/api/v1/ledgers/small-businesses/": {OUTSIDE},
    "/api/v1/ledgers/small-businesses/export.xlsx": {OUTSIDE}, "/briefings/": {DRAFT},
    "/api/v1/briefings/": {DRAFT}, "/bulletins/": {DRAFT},
}


def test_the_office_meets_every_marker(hidden):
    """The walk reaches the hidden rows: the office, who may see them, finds them where they are listed."""
    found = walk(hidden["users"]["admin"])
    assert set().union(*found.values()) == {OUTSIDE, EMBARGO, DRAFT}
    missing = {url: sorted(expected - found.get(url, set())) for url, expected in OFFICE_SEES.items()
               if expected - found.get(url, set())}
    assert missing == {}
    admin = hidden["users"]["admin"]
    web, api = client_for(admin), APIClient()
    api.force_authenticate(admin)
    for name, entries in DETAIL_URLS.items():
        if name == "open311-request":
            continue  # undercover findings never reach the public face, not even for the office
        for _marker, url in entries:
            address = url(hidden)
            assert (api if address.startswith("/api/") else web).get(address, query(address)).status_code == 200, name


@pytest.mark.parametrize("role", sorted(FORBIDDEN))
def test_no_role_meets_a_row_outside_its_reach(hidden, role):
    user = None if role == "anonymous" else hidden["users"][role]
    forbidden = FORBIDDEN[role]
    leaks = {url: found & forbidden for url, found in walk(user).items()
             if found & forbidden and not (url.startswith(PUBLIC_FACE) and not url.startswith("/public/office/")
                                           and found & forbidden == {OUTSIDE})}
    assert leaks == {}

    web, api = client_for(user), APIClient()
    if user is not None:
        api.force_authenticate(user)
    for name, entries in DETAIL_URLS.items():
        for marker, url in entries:
            if marker not in forbidden:
                continue
            address = url(hidden)
            client = api if address.startswith(("/api/", "/open311/")) else web
            response = client.get(address, query(address))
            assert response.status_code in (401, 403, 404) or (
                response.status_code == 302 and "/login" in response["Location"]), (name, address)

    for name, entries in WRITE_URLS.items():
        for marker, url, state in entries:
            if marker not in forbidden:
                continue
            address, before = url(hidden), state(hidden)
            client = api if address.startswith("/api/") else web
            response = client.post(address, {"note": "越权"})
            assert response.status_code in (302, 401, 403, 404), (name, address, response.status_code)
            assert state(hidden) == before, (name, address)


def test_the_outside_rows_exist_where_the_walk_looks(hidden):
    """Guards the fixture: the hidden rows are where the roles would look for them."""
    assert hidden["outside_case"].region_code.startswith("2101120020")
    assert hidden["embargoed_case"].embargoed and hidden["embargoed_case"].region_code.startswith("210112001")
    assert re.fullmatch(r"[0-9-]+", hidden["outside_case"].number)
