"""Open311 GeoReport v2 over cases (domain.md §6): discovery, services, service definitions, requests, tokens.

The rich loop maps onto open/closed; `status_notes` names the internal state, `agency_responsible`
the routed unit and `expected_datetime` the handling deadline. Reading needs no key; posting does.
Undercover findings are never listed here.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from civicgrid.cases.choices import TERMINAL_STATES, PhotoRole, Source
from civicgrid.cases.models import Case, CaseClass, EventPhoto, FilingCriterion
from civicgrid.cases.photos import Variant
from civicgrid.cases.reference import active_class
from civicgrid.cases.services import report_case
from civicgrid.core.cache import TimedCache
from civicgrid.open311.formats import errors, render, render_object
from civicgrid.open311.models import ApiKey
from civicgrid.territory.models import Place

MAX_REQUESTS = 1000
# The longest text each field may carry (the case's columns); longer is a 400, never a database error.
TEXT_LIMITS = {"description": 4000, "address_string": 300, "first_name": 50, "last_name": 50, "phone": 40,
               "email": 59, "account_id": 100, "device_id": 100}
# A revoked key stops working in this process at once and in the others within the ttl.
_keys = TimedCache(ttl=30.0, max_entries=256)
post_save.connect(_keys.clear, sender=ApiKey, dispatch_uid="open311-key-cache")
post_delete.connect(_keys.clear, sender=ApiKey, dispatch_uid="open311-key-cache-del")


def api_key(value: str) -> ApiKey | None:
    if not value:
        return None
    return _keys.get(value, lambda: ApiKey.objects.filter(key=value, active=True).select_related("user").first())
DEFAULT_WINDOW = dt.timedelta(days=90)
HIDDEN_SOURCES = [Source.UNDERCOVER]  # embargoed assessment findings never reach the public face


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    return render_object(fmt, "discovery", {
        "changeset": "2026-11-28T00:00:00+08:00",
        "contact": "创城办 (campaign office)",
        "key_service": "API keys are issued by the campaign office in the admin.",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-28T00:00:00+08:00", "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    })


def _service(case_class: CaseClass) -> dict:
    return {
        "service_code": case_class.code,
        "service_name": case_class.minor_name,
        "description": f"{case_class.get_type_display()}·{case_class.major_name}·{case_class.minor_name}",
        "metadata": True,
        "type": "realtime",
        "keywords": f"{case_class.major_name},{case_class.minor_name}",
        "group": case_class.major_name,
    }


def services(request, fmt):
    return render(fmt, "services", "service", [_service(c) for c in CaseClass.objects.filter(active=True)])


def service_definition(request, code, fmt):
    case_class = CaseClass.objects.filter(code=code, active=True).first()
    if case_class is None:
        return errors(fmt, 404, f"service_code {code} not found")
    criteria = [{"key": c.pk, "name": c.text} for c in case_class.criteria.all()]
    return render_object(fmt, "service_definition", {
        "service_code": case_class.code,
        "attributes": [{
            "variable": True, "code": "criterion", "datatype": "singlevaluelist", "required": False,
            "datatype_description": "立案条件 (filing criterion)", "order": 1, "description": "立案条件",
            "values": criteria,
        }],
    })


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_(request, fmt):
    return _create(request, fmt) if request.method == "POST" else _list(request, fmt)


def _list(request, fmt):
    cases = Case.objects.exclude(source__in=HIDDEN_SOURCES)
    ids = request.GET.get("service_request_id")
    if ids:
        cases = cases.filter(number__in=[i.strip() for i in ids.split(",") if i.strip()])
    else:
        now = timezone.now()
        start = _parse(request.GET.get("start_date"))
        end = _parse(request.GET.get("end_date"))
        if "start_date" in request.GET and start is None or "end_date" in request.GET and end is None:
            return errors(fmt, 400, "start_date and end_date must be ISO 8601 date-times with a zone")
        cases = cases.filter(reported_at__gte=start or (end or now) - DEFAULT_WINDOW)
        if end:
            cases = cases.filter(reported_at__lte=end)
        if request.GET.get("service_code"):
            cases = cases.filter(case_class__code__in=request.GET["service_code"].split(","))
        status = request.GET.get("status")
        if status not in (None, "", "open", "closed"):
            return errors(fmt, 400, "status must be open or closed")
        if status == "open":
            cases = cases.exclude(state__in=TERMINAL_STATES)
        elif status == "closed":
            cases = cases.filter(state__in=TERMINAL_STATES)
    rows = list(cases.select_related("case_class", "responsible_unit", "place")
                .annotate(updated=Max("events__at")).order_by("-reported_at")[:MAX_REQUESTS])
    return render(fmt, "service_requests", "request", _requests(request, rows))


def _parse(value):
    if not value:
        return None
    parsed = parse_datetime(value)
    return parsed if parsed and parsed.tzinfo else None


def _requests(request, cases: list[Case]) -> list[dict]:
    media = {}
    for case_id, uid in (EventPhoto.objects.filter(event__case__in=cases, role=PhotoRole.BEFORE)
                         .order_by("event__seq", "id").values_list("event__case_id", "photo__uid")):
        media.setdefault(case_id, request.build_absolute_uri(reverse("photo", args=[uid, Variant.PUBLIC])))
    return [{
        "service_request_id": c.number,
        "status": "closed" if c.state in TERMINAL_STATES else "open",
        "status_notes": c.get_state_display(),
        "service_name": c.case_class.minor_name,
        "service_code": c.case_class.code,
        "description": c.description,
        "agency_responsible": c.responsible_unit.name if c.responsible_unit_id else None,
        "service_notice": c.routing_note or None,
        "requested_datetime": _iso(c.reported_at),
        "updated_datetime": _iso(getattr(c, "updated", None) or c.reported_at),
        "expected_datetime": _iso(c.handle_due),
        "address": c.address or None,
        "address_id": c.place.code if c.place_id else None,
        "zipcode": None,
        "lat": c.lat,
        "long": c.lng,
        "media_url": media.get(c.pk),
    } for c in cases]


def request_detail(request, number, fmt):
    case = (Case.objects.exclude(source__in=HIDDEN_SOURCES).select_related("case_class", "responsible_unit", "place")
            .annotate(updated=Max("events__at")).filter(number=number).first())
    if case is None:
        return errors(fmt, 404, f"service_request_id {number} not found")
    return render(fmt, "service_requests", "request", _requests(request, [case]))


def token(request, token_id, fmt):
    """Requests are created synchronously, so a token is simply the request id it became."""
    if not Case.objects.exclude(source__in=HIDDEN_SOURCES).filter(number=token_id).exists():
        return errors(fmt, 404, f"token {token_id} not found")
    return render(fmt, "service_requests", "request", [{"service_request_id": token_id, "token": token_id}])


def _create(request, fmt):
    data = request.POST
    key = api_key(data.get("api_key", ""))
    if key is None:
        return errors(fmt, 403, "api_key is missing or not valid")
    problems = []
    code = data.get("service_code", "")
    case_class = active_class(code) if code else None
    if not code:
        problems.append("service_code is required")
    elif case_class is None:
        return errors(fmt, 404, f"service_code {code} not found")
    description = data.get("description", "")
    for field, limit in TEXT_LIMITS.items():
        if len(data.get(field, "")) > limit:
            problems.append(f"{field} is longer than {limit:,} characters")
    position, place, problem = _position(data)
    if problem:
        problems.append(problem)
    criterion = None
    if data.get("attribute[criterion]") and case_class:
        raw = data["attribute[criterion]"].strip()
        criterion = (FilingCriterion.objects.filter(pk=int(raw), case_class=case_class).first()
                     if raw.isascii() and raw.isdigit() and len(raw) < 10 else None)
        if criterion is None:
            problems.append("attribute[criterion] is not a criterion of this service")
    if problems:
        return errors(fmt, 400, *problems)
    name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p)
    contact = " ".join(p for p in (data.get("phone", ""), data.get("email", "")) if p)
    if len(name) > 100 or len(contact) > 100:
        return errors(fmt, 400, "first_name and last_name, or phone and email, together exceed 100 characters")
    try:
        result = report_case(
            key.user, case_class=case_class, criterion=criterion,
            description=description or case_class.minor_name, lng=position[0], lat=position[1],
            source=Source.PUBLIC_REPORT, address=data.get("address_string", "") or (place.address if place else ""),
            place=place, reporter_name=name, reporter_contact=contact,
        )
    except ValidationError as exc:
        return errors(fmt, 400, *exc.messages)
    case = result.case
    return render(fmt, "service_requests", "request", [{
        "service_request_id": case.number, "service_notice": case.routing_note, "account_id": data.get("account_id"),
    }], status=201)


def _position(data) -> tuple[tuple[float, float] | None, Place | None, str | None]:
    """lat+long, or address_id (a place code), or address_string naming a place exactly."""
    if data.get("lat") and data.get("long"):
        try:
            lat, lng = float(data["lat"]), float(data["long"])
        except ValueError:
            return None, None, "lat and long must be numbers"
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            return None, None, "lat and long are out of range"
        return (lng, lat), None, None
    place = None
    if data.get("address_id"):
        place = Place.objects.filter(code=data["address_id"]).first()
    elif data.get("address_string"):
        text = data["address_string"].strip()
        place = Place.objects.filter(name=text).first() or Place.objects.filter(address=text).first()
    if place is None:
        return None, None, "a location is required: lat and long, or address_id / address_string naming a known place"
    return (place.lng, place.lat), place, None
