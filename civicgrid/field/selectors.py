"""What a field device keeps for offline work: one read, every row through the user's `restrict()` querysets.

The bundle holds the rulebook's classes, the user's inspection assignments for today and the next
BUNDLE_DAYS days with their places, chiefs and checklists, the cases the user must act on in the field or
reported and which are still open (with their photos' thumbnails), the places of the user's area and the grid
outlines that cover all of these.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from civicgrid.cases.choices import OPEN_STATES
from civicgrid.cases.models import Case, CaseClass, EventPhoto
from civicgrid.cases.photos import Variant
from civicgrid.cases.selectors import work_queues
from civicgrid.inspections.models import Assignment
from civicgrid.inspections.services import checklist
from civicgrid.territory.choices import Level
from civicgrid.territory.models import Place, Region

BUNDLE_DAYS = 7
# Queues whose step a field worker takes on the spot (the desk queues — file, dispatch, close — stay in the office).
FIELD_QUEUES = ("verify", "handle", "check")
MAX_CASES = 200
MAX_PLACES = 500
MAX_GRIDS = 400


def bundle(user, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    assignments = _assignments(user, today)
    cases = _cases(user)
    places = _places(user, assignments)
    codes = {a.region_code for a in assignments} | {c["grid"] for c in cases} | {p["grid"] for p in places}
    return {
        "generated_at": timezone.now().isoformat(),
        "classes": list(CaseClass.objects.filter(active=True).order_by("code").values(
            "code", "major_name", "minor_name")),
        "assignments": [_assignment(a) for a in assignments],
        "checklists": _checklists(assignments),
        "places": places,
        "cases": cases,
        "grids": _grids(user, codes),
    }


def _assignments(user, today: dt.date) -> list[Assignment]:
    person = getattr(user, "person", None)
    if person is None:
        return []
    return list(Assignment.objects.restrict(user)
                .filter(assignee=person, inspection__isnull=True,
                        day__range=(today, today + dt.timedelta(days=BUNDLE_DAYS)))
                .select_related("place__chief", "place__kind", "point_type", "plan__standard")
                .order_by("day", "window_start", "id"))


def _assignment(a: Assignment) -> dict:
    return {"id": a.pk, "day": a.day.isoformat(), "kind": a.kind, "kind_name": a.get_kind_display(),
            "place": a.place.code, "place_name": a.place.name, "point_type": a.point_type.slug,
            "point_type_name": a.point_type.name, "checklist": f"{a.plan.standard_id}/{a.point_type_id}",
            "window_start": a.window_start.isoformat(), "window_end": a.window_end.isoformat()}


def _checklists(assignments: list[Assignment]) -> dict[str, list[dict]]:
    """The items of each (standard, point type) the assignments need, keyed as the assignments name them."""
    wanted = {(a.plan.standard, a.point_type) for a in assignments}
    return {f"{standard.pk}/{point_type.pk}": [
        {"code": i.code, "text": i.text, "method": i.method, "points": str(i.points), "critical": i.critical}
        for i in checklist(standard, point_type)] for standard, point_type in wanted}


def _cases(user) -> list[dict]:
    """Open cases in the user's field queues, then open cases the user reported; each once."""
    rows: dict[int, dict] = {}
    for queue in work_queues(user):
        if queue.key in FIELD_QUEUES:
            for case in queue.cases[:MAX_CASES]:
                rows.setdefault(case.pk, _case(case, queue.key))
    reported = (Case.objects.restrict(user).filter(reporter=user, state__in=OPEN_STATES)
                .select_related("case_class").order_by("-reported_at")[:MAX_CASES])
    for case in reported:
        rows.setdefault(case.pk, _case(case, "reported"))
    rows = dict(list(rows.items())[:MAX_CASES])
    thumbs: dict[int, list[str]] = {}
    links = (EventPhoto.objects.filter(event__case_id__in=rows).order_by("event__seq", "id")
             .values_list("event__case_id", "photo__uid"))
    for case_id, uid in links:  # one query (the event of each link was once fetched on its own)
        thumbs.setdefault(case_id, []).append(reverse("photo", args=[uid, Variant.THUMBNAIL]))
    for pk, row in rows.items():
        row["thumbnails"] = thumbs.get(pk, [])[:6]
    return list(rows.values())


def _case(case: Case, queue: str) -> dict:
    return {"number": case.number, "queue": queue, "state": case.state, "state_name": case.get_state_display(),
            "class_name": case.case_class.minor_name, "description": case.description, "address": case.address,
            "lat": case.lat, "lng": case.lng, "grid": case.region_code,
            "reported_at": case.reported_at.isoformat(),
            "handle_due": case.handle_due.isoformat() if case.handle_due else None, "version": case.version}


def _places(user, assignments: list[Assignment]) -> list[dict]:
    chosen = {a.place_id: a.place for a in assignments}
    for place in Place.objects.restrict(user).select_related("chief", "kind").order_by("code")[:MAX_PLACES]:
        chosen.setdefault(place.pk, place)
    return [{"code": p.code, "name": p.name, "kind": p.kind.name, "address": p.address, "lng": p.lng, "lat": p.lat,
             "grid": p.region_code, "chief": p.chief.name if p.chief_id else "",
             "chief_title": p.kind.chief_title, "chief_phone": p.chief.phone if p.chief_id else ""}
            for p in chosen.values()]


def _grids(user, codes: set[str]) -> list[dict]:
    """Grid outlines of the user's territory, and of the grids their cases, tasks and places lie in."""
    grids = (Region.objects.filter(level=Level.GRID)
             .filter(Q(pk__in=Region.objects.restrict(user).values("pk")) | Q(code__in=codes))
             .order_by("code")[:MAX_GRIDS])
    return [{"code": g.code, "name": g.name, "boundary": g.boundary} for g in grids]
