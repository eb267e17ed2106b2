"""Open311 GeoReport v2 over cases (domain.md §6; docs/open311.md): discovery, services, service definitions,
requests, tokens, and FixMyStreet's servicerequestupdates extension.

What a case shows is its public face (`civicgrid.citizens.public`): open/closed, `status_notes` in plain words
with the reason a closed case is closed, the description and photos after moderation, a blurred position for
private classes; updates are the public events in FixMyStreet's status words. `agency_responsible` names the
routed unit and `expected_datetime` the handling deadline. Reading needs no key and may be done from any web page (CORS); posting needs a key.
Undercover findings are never listed here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from civicgrid.cases.choices import TERMINAL_STATES, Action, PhotoRole, Source
from civicgrid.cases.models import Case, CaseClass, CaseEvent, EventPhoto, FilingCriterion
from civicgrid.cases.photos import MAX_PHOTOS_PER_STEP, Variant, discard, photos_for_step
from civicgrid.cases.reference import active_class
from civicgrid.cases.services import CaseConflict, report_case
from civicgrid.citizens import public
from civicgrid.citizens.services import add_update
from civicgrid.core.cache import TimedCache
from civicgrid.open311 import media
from civicgrid.open311.formats import errors, format_of, render, render_object
from civicgrid.open311.idempotency import HEADER, MAX_KEY_LENGTH, Answer, KeyReused, fingerprint, once, stored
from civicgrid.open311.models import ApiKey
from civicgrid.open311.submission import full_name, uploads, with_title
from civicgrid.territory.models import Place

# The most rows one answer carries. More matching rows are never dropped silently: the answer says so in
# headers (TRUNCATED, and where the next page starts) — docs/open311.md.
MAX_REQUESTS = 1000
MAX_UPDATES = 1000
# An explicit service_request_id list is answered in full up to this many ids; a longer one is a 400.
MAX_IDS = 1000
_ID_BATCH = 500  # ids per query: well under every database's limit on bound parameters
DEFAULT_WINDOW = dt.timedelta(days=90)
DEFAULT_UPDATES_WINDOW = dt.timedelta(days=7)
TRUNCATED = "X-Open311-Truncated"
NEXT_END_DATE = "X-Open311-Next-End-Date"
NEXT_START_DATE = "X-Open311-Next-Start-Date"
# The longest text each field may carry (the case's columns); longer is a 400, never a database error.
TEXT_LIMITS = {"description": 4000, "title": 200, "address_string": 300, "first_name": 50, "last_name": 50,
               "phone": 40, "email": 59, "account_id": 100, "device_id": 100, "update_id": 100}
HIDDEN_SOURCES = [Source.UNDERCOVER]  # embargoed assessment findings never reach the public face
READING = ("GET", "HEAD")

# A revoked key stops working in this process at once and in the others within the ttl.
_keys = TimedCache(ttl=30.0, max_entries=256)
post_save.connect(_keys.clear, sender=ApiKey, dispatch_uid="open311-key-cache")
post_delete.connect(_keys.clear, sender=ApiKey, dispatch_uid="open311-key-cache-del")


def api_key(value: str) -> ApiKey | None:
    if not value:
        return None
    return _keys.get(value, lambda: ApiKey.objects.filter(key=value, active=True).select_related("user").first())


# -- the frame of every endpoint: methods, CORS, errors in the asked format ---------------------------------
def with_cors(response: HttpResponse, preflight: bool = False) -> HttpResponse:
    """Reading is public, so any web page may read; posting is not offered to browsers (it needs a key)."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = f"{TRUNCATED}, {NEXT_START_DATE}, {NEXT_END_DATE}"
    if preflight:
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
        response["Access-Control-Max-Age"] = "86400"
    return response


def endpoint(*methods: str):
    """An Open311 view: answers OPTIONS (CORS preflight), refuses other methods with an <errors> answer,
    and lets any origin read what GET answers."""
    allowed = ", ".join((*methods, "OPTIONS"))

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def answer(request, *args, **kwargs):
            if request.method == "OPTIONS":
                response = with_cors(HttpResponse(status=204), preflight=True)
            elif request.method not in methods:
                response = errors(kwargs["fmt"], 405, f"{request.method} is not allowed here (allowed: {allowed})")
            else:
                response = view(request, *args, **kwargs)
                if request.method in READING:
                    with_cors(response)
            response["Allow"] = allowed
            return response

        return answer

    return wrap


# Known endpoints, to tell "wrong format" from "no such endpoint".
_ENDPOINT = re.compile(r"^(discovery|services|requests|servicerequestupdates|(services|requests|tokens)/[^/]+)"
                       r"\.(?P<ext>[^./]*)$")


@csrf_exempt
def unknown(request, path):
    """Anything else under /open311/v2/: the spec's <errors>, never the site's HTML page."""
    fmt = format_of(path)
    known = _ENDPOINT.match(path)
    if known and known["ext"] in ("xml", "json"):  # a known endpoint, with an id no case or class can have
        message = f"{known[1]} not found"
    elif known:
        message = f"format '{known['ext']}' is not offered: ask for .xml or .json"
    else:
        message = f"/open311/v2/{path} is not an Open311 endpoint: see /open311/v2/discovery.xml"
    return with_cors(errors(fmt, 404, message))


# -- arguments -----------------------------------------------------------------------------------------------
def _arg(query, name: str) -> str | None:
    """A query or form argument; empty counts as absent (clients send `?start_date=&status=`)."""
    return query.get(name, "").strip() or None


def _parse(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date-time with a zone. A '+' sent unencoded arrives as a space; it is read as the '+'."""
    if value is None:
        return None
    parsed = parse_datetime(value) or parse_datetime(value.replace(" ", "+"))
    return parsed if parsed and parsed.tzinfo else None


def _window(query) -> tuple[dt.datetime | None, dt.datetime | None, str | None]:
    start_arg, end_arg = _arg(query, "start_date"), _arg(query, "end_date")
    start, end = _parse(start_arg), _parse(end_arg)
    if (start_arg and start is None) or (end_arg and end is None):
        return None, None, "start_date and end_date must be ISO 8601 date-times with a zone, e.g. 2026-11-29T08:00:00+08:00"
    if start and end and start > end:
        return None, None, "start_date is later than end_date"
    return start, end, None


def _ids(query) -> tuple[list[str], str | None]:
    raw = _arg(query, "service_request_id")
    ids = list(dict.fromkeys(i.strip() for i in raw.split(",") if i.strip())) if raw else []
    if len(ids) > MAX_IDS:
        return [], f"at most {MAX_IDS:,} service_request_id per call ({len(ids):,} given): split the list"
    return ids, None


def _batches(items: list, size: int = _ID_BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _iso(value: dt.datetime | None) -> str | None:
    """W3C date-time to the second, in the district's zone (FixMyStreet parses it with DateTime::Format::W3CDTF)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _exact(value: dt.datetime) -> str:
    """A moment for a paging header: to the microsecond, so the next page misses nothing."""
    return timezone.localtime(value).isoformat()


# -- discovery and services ----------------------------------------------------------------------------------
@endpoint(*READING)
def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    return render_object(fmt, "discovery", {
        "changeset": "2026-11-29T00:00:00+08:00",
        "contact": "创城办 (campaign office)",
        "key_service": "API keys are issued by the campaign office in the admin.",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-29T00:00:00+08:00", "type": "production",
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


@endpoint(*READING)
def services(request, fmt):
    return render(fmt, "services", "service", [_service(c) for c in CaseClass.objects.filter(active=True)])


@endpoint(*READING)
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


# -- requests --------------------------------------------------------------------------------------------------
@endpoint(*READING, "POST")
def requests_(request, fmt):
    return _create(request, fmt) if request.method == "POST" else _list(request, fmt)


def _public_cases():
    return (Case.objects.exclude(source__in=HIDDEN_SOURCES)
            .select_related("case_class", "responsible_unit", "place", "public_report")
            .annotate(updated=Max("events__at")))


def _list(request, fmt):
    query = request.GET
    ids, problem = _ids(query)
    if problem:
        return errors(fmt, 400, problem)
    if ids:  # the spec: an id list overrides every other argument, and each listed id is answered
        rows = [c for batch in _batches(ids) for c in _public_cases().filter(number__in=batch)]
        rows.sort(key=lambda c: c.reported_at, reverse=True)
        return render(fmt, "service_requests", "request", _requests(request, rows))
    start, end, problem = _window(query)
    if problem:
        return errors(fmt, 400, problem)
    statuses = {s.strip().lower() for s in (_arg(query, "status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        return errors(fmt, 400, "status must be open, closed, or both (open,closed)")
    cases = _public_cases().filter(reported_at__gte=start or (end or timezone.now()) - DEFAULT_WINDOW)
    if end:
        cases = cases.filter(reported_at__lte=end)
    codes = [c.strip() for c in (_arg(query, "service_code") or "").split(",") if c.strip()]
    if codes:
        cases = cases.filter(case_class__code__in=codes)
    if statuses == {"open"}:
        cases = cases.exclude(state__in=TERMINAL_STATES)
    elif statuses == {"closed"}:
        cases = cases.filter(state__in=TERMINAL_STATES)
    rows = list(cases.order_by("-reported_at", "-id")[:MAX_REQUESTS + 1])
    truncated = len(rows) > MAX_REQUESTS
    rows = rows[:MAX_REQUESTS]
    response = render(fmt, "service_requests", "request", _requests(request, rows))
    if truncated:  # newest first: the next page ends where this one stopped
        response[TRUNCATED] = "true"
        response[NEXT_END_DATE] = _exact(rows[-1].reported_at)
    return response


def _photo_url(request, uid) -> str:
    return request.build_absolute_uri(reverse("photo", args=[uid, Variant.PUBLIC]))


def _requests(request, cases: list[Case]) -> list[dict]:
    # public.photos(case) per case, in one query for the page: the report's 处置前 photos, moderation applied.
    hidden = {c.pk: public.hidden_photo_uids(c) for c in cases}
    media_urls = {}
    for case_id, uid in (EventPhoto.objects.filter(event__case__in=cases, role=PhotoRole.BEFORE)
                         .order_by("event__seq", "id").values_list("event__case_id", "photo__uid")):
        if str(uid) not in hidden[case_id]:
            media_urls.setdefault(case_id, _photo_url(request, uid))
    answer = []
    statuses = public.case_statuses(cases)
    for c in cases:
        open_closed, _status, notes = statuses[c.pk]
        lat, lng = public.position(c)
        answer.append(_request(c, open_closed, notes, public.description(c), lat, lng, media_urls.get(c.pk)))
    return answer


def _request(c: Case, open_closed: str, notes: str, description: str, lat: float, lng: float,
             media_url: str | None) -> dict:
    return {
        "service_request_id": c.number,
        "status": open_closed,
        "status_notes": notes,
        "service_name": c.case_class.minor_name,
        "service_code": c.case_class.code,
        "description": description,
        "agency_responsible": c.responsible_unit.name if c.responsible_unit_id else None,
        "service_notice": c.routing_note or None,
        "requested_datetime": _iso(c.reported_at),
        "updated_datetime": _iso(getattr(c, "updated", None) or c.reported_at),
        "expected_datetime": _iso(c.handle_due),
        "address": c.address or None,
        "address_id": c.place.code if c.place_id else None,
        "zipcode": None,
        "lat": lat,
        "long": lng,
        "media_url": media_url,
    }


@endpoint(*READING)
def request_detail(request, number, fmt):
    case = _public_cases().filter(number=number).first()
    if case is None:
        return errors(fmt, 404, f"service_request_id {number} not found")
    return render(fmt, "service_requests", "request", _requests(request, [case]))


@endpoint(*READING)
def token(request, token_id, fmt):
    """Requests are created synchronously, so a token is simply the request id it became."""
    if not Case.objects.exclude(source__in=HIDDEN_SOURCES).filter(number=token_id).exists():
        return errors(fmt, 404, f"token {token_id} not found")
    return render(fmt, "service_requests", "request", [{"service_request_id": token_id, "token": token_id}])


# -- posting: shared by requests and updates ---------------------------------------------------------------------
def _key(request) -> ApiKey | None:
    """The key from the form, or from the query string (several clients put it there for POST too)."""
    return api_key(request.POST.get("api_key") or request.GET.get("api_key", ""))


def _text_problems(data) -> list[str]:
    return [f"{field} is longer than {limit:,} characters" for field, limit in TEXT_LIMITS.items()
            if len(data.get(field, "")) > limit]


def _photo_problems(urls: list[str], files: list) -> list[str]:
    problems = [p for p in (media.url_problem(u) for u in urls) if p]
    if len(urls) + len(files) > MAX_PHOTOS_PER_STEP:
        problems.append(f"at most {MAX_PHOTOS_PER_STEP} photos (files and media_url together)")
    return problems


def _submit(request, fmt, key: ApiKey, idempotency_key: str, files: list, work, root: str, item: str):
    """Store the photos, then run `work(photos) -> Answer` once per idempotency key (when there is one)."""
    print_ = fingerprint(request)
    try:
        if idempotency_key:
            found = stored(key, idempotency_key, print_)
            if found is not None:
                return _answer(fmt, root, item, found)
        with photos_for_step(key.user, uploads=files) as photos:
            answer = (once(key, idempotency_key, print_, lambda: work(photos)) if idempotency_key
                      else work(photos))
        if answer.replayed:  # a concurrent twin won: the photos stored for this copy are not needed
            discard(photos)
    except KeyReused as exc:
        return errors(fmt, 422, str(exc))
    except CaseConflict as exc:
        return errors(fmt, 409, str(exc))
    except ValidationError as exc:
        return errors(fmt, 400, *exc.messages)
    return _answer(fmt, root, item, answer)


def _answer(fmt, root: str, item: str, answer: Answer) -> HttpResponse:
    response = render(fmt, root, item, answer.rows, status=answer.status)
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _idempotency_key(request) -> tuple[str, str | None]:
    key = request.headers.get(HEADER, "").strip()
    if len(key) > MAX_KEY_LENGTH:
        return "", f"{HEADER} is longer than {MAX_KEY_LENGTH} characters"
    return key, None


def _create(request, fmt):
    data = request.POST
    key = _key(request)
    if key is None:
        return errors(fmt, 403, "api_key is missing or not valid")
    idempotency_key, problem = _idempotency_key(request)
    problems = [problem] if problem else []
    code = data.get("service_code", "").strip()
    case_class = active_class(code) if code else None
    if not code:
        problems.append("service_code is required")
    elif case_class is None:
        return errors(fmt, 404, f"service_code {code} not found")
    description = with_title(data.get("title", ""), data.get("description", ""))
    problems += _text_problems(data)
    if data.get("title") and len(description) > TEXT_LIMITS["description"]:
        problems.append(f"title and description together are longer than {TEXT_LIMITS['description']:,} characters")
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
    urls = [u.strip() for u in data.getlist("media_url") if u.strip()]
    files = uploads(request.FILES)
    problems += _photo_problems(urls, files)
    name = full_name(data.get("first_name", ""), data.get("last_name", ""))
    contact = " ".join(p for p in (data.get("phone", "").strip(), data.get("email", "").strip()) if p)
    if len(name) > 100 or len(contact) > 100:
        problems.append("first_name and last_name, or phone and email, together exceed 100 characters")
    if problems:
        return errors(fmt, 400, *problems)

    def work(photos) -> Answer:
        case = report_case(
            key.user, case_class=case_class, criterion=criterion,
            description=description or case_class.minor_name, lng=position[0], lat=position[1],
            source=Source.PUBLIC_REPORT, address=data.get("address_string", "") or (place.address if place else ""),
            place=place, reporter_name=name, reporter_contact=contact, photos=photos,
        ).case
        media.attach_later(case.events.get(seq=1), urls, key.user_id)
        return Answer(201, [{"service_request_id": case.number, "service_notice": case.routing_note,
                             "account_id": data.get("account_id")}])

    return _submit(request, fmt, key, idempotency_key, files, work, "service_requests", "request")


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


# -- updates (FixMyStreet's servicerequestupdates extension) -------------------------------------------------------
@endpoint(*READING, "POST")
def updates(request, fmt):
    return _post_update(request, fmt) if request.method == "POST" else _list_updates(request, fmt)


def _list_updates(request, fmt):
    """The public history of public cases in a window (default: the last 7 days), oldest first."""
    query = request.GET
    start, end, problem = _window(query)
    ids, id_problem = _ids(query)
    if problem or id_problem:
        return errors(fmt, 400, *(p for p in (problem, id_problem) if p))
    end = end or timezone.now()
    start = start or end - DEFAULT_UPDATES_WINDOW
    # The report itself is the request, not an update of it; internal steps are never public.
    events = (CaseEvent.objects.filter(case__in=Case.objects.publicly_listed(), at__gte=start, at__lte=end)
              .exclude(action__in=[Action.REPORT, *public.INTERNAL_ACTIONS]))
    if ids:
        events = events.filter(case__number__in=ids)
    # The page is cut on the events the public reads, so a full page holds MAX_UPDATES updates.
    page = list(events.order_by("at", "id").values_list("pk", "at")[:MAX_UPDATES + 1])
    truncated = len(page) > MAX_UPDATES
    page = page[:MAX_UPDATES]
    rows = [{
        "update_id": entry.event_id,
        "service_request_id": entry.number,
        "status": entry.status,
        "updated_datetime": _iso(entry.at),
        "description": entry.text,
        "media_url": _photo_url(request, entry.photos[0].uid) if entry.photos else None,
        "external_status_code": entry.state,
    } for entry in sorted(public.entries(CaseEvent.objects.filter(pk__in=[pk for pk, _at in page])),
                          key=lambda e: (e.at, e.event_id))]
    response = render(fmt, "service_request_updates", "request_update", rows)
    if truncated:
        response[TRUNCATED] = "true"
        response[NEXT_START_DATE] = _exact(page[-1][1])
    return response


def _post_update(request, fmt):
    """A citizen's update (FixMyStreet's post_service_request_update) becomes an event on the case."""
    data = request.POST
    key = _key(request)
    if key is None:
        return errors(fmt, 403, "api_key is missing or not valid")
    idempotency_key, problem = _idempotency_key(request)
    number = _arg(data, "service_request_id")
    if not number:
        return errors(fmt, 400, "service_request_id is required")
    case = Case.objects.publicly_listed().filter(number=number).first()
    if case is None:
        return errors(fmt, 404, f"service_request_id {number} not found")
    problems = [problem] if problem else []
    problems += _text_problems(data)
    text = with_title(data.get("title", ""), data.get("description", ""))
    if data.get("title") and len(text) > TEXT_LIMITS["description"]:
        problems.append(f"title and description together are longer than {TEXT_LIMITS['description']:,} characters")
    urls = [u.strip() for u in data.getlist("media_url") if u.strip()]
    files = uploads(request.FILES)
    problems += _photo_problems(urls, files)
    if not (text or urls or files):
        problems.append("description is required (or a photo: media, photo1… or media_url)")
    name = full_name(data.get("first_name", ""), data.get("last_name", ""))
    contact = " ".join(p for p in (data.get("phone", "").strip(), data.get("email", "").strip()) if p)
    if problems:
        return errors(fmt, 400, *problems)
    client_id = _arg(data, "update_id")
    # FixMyStreet retries an update whose answer it did not get, with the same update_id: that id guards it too.
    idempotency_key = idempotency_key or (f"update_id:{client_id}" if client_id else "")

    def work(photos) -> Answer:
        # A photo sent by address arrives after the event is written; until then the words say one is coming.
        words = text or ("" if photos else "（补充照片）")
        event = add_update(case, text=words, photos=photos, name=name, contact=contact, via="open311",
                           actor=key.user)
        media.attach_later(event, urls, key.user_id)
        return Answer(201, [{"update_id": event.pk}])

    return _submit(request, fmt, key, idempotency_key, files, work, "service_request_updates", "request_update")
