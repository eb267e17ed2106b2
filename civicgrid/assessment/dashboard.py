"""The command dashboard's figures, in the viewer's scope, each with the case list behind it.

Every query uses an index (open states, deadlines, reporting, closing and due times); the whole payload is
cached per viewer under the same data version as the indicators, so it is recomputed only after a change.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicgrid.assessment import indicators as ind
from civicgrid.assessment import services
from civicgrid.cases.choices import HANDLING_STATES, OPEN_STATES, Source, State
from civicgrid.cases.models import Case, due_today_query
from civicgrid.core.cache import TimedCache
from civicgrid.territory.geometry import from_stored
from civicgrid.territory.models import BoundaryVersion, Region
from civicgrid.workcal.calendar import tz
from civicgrid.workcal.periods import period_bounds

CACHE_SECONDS = 600
MAP_POINTS = 3000
LATEST = 20  # cases in the command view's scrolling list
_grid_shapes = TimedCache(600)  # simplified grid outlines, per process


def cases_link(**params) -> str:
    return f"{reverse('case-list')}?{urlencode(params, doseq=True)}"


def data(user, today: dt.date | None = None) -> dict:
    """KPIs, trends, shares, rankings, the latest cases and map layers for the dashboard (cached until something
    changes)."""
    today = today or timezone.localdate()
    # The payload holds labels in the viewer's language: one entry per language.
    key = f"dashboard:{services.data_version()}:{user.pk}:{today}:{translation.get_language()}"
    payload = cache.get(key)
    if payload is None:
        payload = _data(user, today)
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def _data(user, today: dt.date) -> dict:
    now = timezone.now()
    cases = Case.objects.restrict(user)
    week_start = period_bounds(today - dt.timedelta(days=today.weekday()), today)[0]
    month_start = today.replace(day=1)
    month_begin, month_end = period_bounds(month_start, today)
    trend_begin = period_bounds(today - dt.timedelta(days=29), today)[0]
    open_cases = cases.filter(state__in=sorted(OPEN_STATES))
    overdue = cases.overdue(now)
    due_today = cases.due_today(now)  # as the home pages and the area queues count it
    # Closed cases are the ones with a close type: filtering on it (not on state) lets the closed_at index serve.
    closed_week = cases.filter(closed_at__gte=week_start).exclude(close_type="")
    # The month's on-time closure rate, by the indicator's own definition (assessment.indicators).
    on_time = ind.BY_KEY["on_time_closure_rate"]
    month_counts = cases.filter(on_time.denominator(month_begin, month_end, month_end)).aggregate(
        due=Count("id"), on_time=Count("id", filter=on_time.numerator(month_begin, month_end, month_end)))
    iso = {"start": month_start.isoformat(), "end": today.isoformat()}
    kpis = [
        {"key": "open", "label": _("未结案件"), "value": open_cases.count(),
         "link": cases_link(state=sorted(OPEN_STATES))},
        {"key": "overdue", "label": _("超期案件"), "value": overdue.count(), "link": cases_link(overdue="true")},
        {"key": "due_today", "label": _("今日到期"), "value": due_today.count(),
         "link": cases_link(**due_today_query(now))},
        {"key": "closed_week", "label": _("本周结案"), "value": closed_week.count(),
         "link": cases_link(state="closed", closed_after=week_start.isoformat())},
        {"key": "on_time_closure_rate", "label": _("本月按期结案率"),
         "value": round(month_counts["on_time"] / month_counts["due"], 4) if month_counts["due"] else None,
         "numerator": month_counts["on_time"], "denominator": month_counts["due"],
         "link": cases_link(indicator="on_time_closure_rate", part="numerator", **iso)},
    ]
    reported = dict(cases.filter(reported_at__gte=trend_begin).annotate(day=TruncDate("reported_at", tzinfo=tz()))
                    .values_list("day").annotate(n=Count("id")).values_list("day", "n"))
    closed = dict(cases.filter(closed_at__gte=trend_begin).exclude(close_type="")
                  .annotate(day=TruncDate("closed_at", tzinfo=tz())).values_list("day").annotate(n=Count("id"))
                  .values_list("day", "n"))
    days = [today - dt.timedelta(days=n) for n in range(29, -1, -1)]
    trend = {"days": [d.isoformat() for d in days], "reported": [reported.get(d, 0) for d in days],
             "closed": [closed.get(d, 0) for d in days]}
    month_reported = cases.filter(reported_at__gte=month_begin, reported_at__lt=month_end)
    classes = [{"name": name, "value": n, "link": cases_link(case_class=code, created_after=month_begin.isoformat())}
               for code, name, n in month_reported.values_list("case_class__code", "case_class__minor_name")
               .annotate(n=Count("id")).order_by("-n")[:10]]
    labels = dict(Source.choices)
    sources = [{"name": str(labels.get(source, source)), "value": n,
                "link": cases_link(source=source, created_after=month_begin.isoformat())}
               for source, n in month_reported.values_list("source").annotate(n=Count("id")).order_by("-n")]
    ranking = services.compute(user, "street", month_start, today)
    # Grouping or sorting a filtered set: find the rows through their own index first (pk__in a subquery);
    # otherwise SQLite walks a whole index in the grouping or sorting order.
    open_ids = Case.objects.filter(state__in=sorted(OPEN_STATES)).values("pk")
    points = [{"number": number, "lng": lng, "lat": lat, "overdue": due is not None and due < now}
              for number, lng, lat, due in cases.filter(pk__in=open_ids).order_by("-reported_at")
              .values_list("number", "lng", "lat", "handle_due")[:MAP_POINTS]]
    overdue_ids = Case.objects.filter(state__in=sorted(HANDLING_STATES), handle_due__lt=now).values("pk")
    by_grid = dict(cases.filter(pk__in=overdue_ids).values_list("region_code").annotate(n=Count("id"))
                   .values_list("region_code", "n"))
    return {"today": today.isoformat(), "kpis": kpis, "trend": trend, "classes": classes, "sources": sources,
            "ranking": [{"rank": u["rank"], "name": u["unit"]["name"], "code": u["unit"]["code"], "score": u["score"],
                         "grade": u["grade"], "cases": u["cases"],
                         "on_time_closure_rate": u["indicators"]["on_time_closure_rate"]["value"],
                         "link": u["indicators"]["on_time_closure_rate"]["cases"]} for u in ranking["units"]],
            "scheme": ranking["scheme"]["name"], "points": points, "overdue_by_grid": by_grid,
            "total_points": open_cases.count(), "latest": latest(cases, now)}


def latest(cases, now: dt.datetime) -> list[dict]:
    """The newest cases of a (scoped) case queryset, newest first, as the command view's scrolling list shows them."""
    rows = list(cases.select_related("case_class").order_by("-reported_at", "-pk")[:LATEST])
    names = dict(Region.objects.filter(code__in={c.region_code for c in rows}).values_list("code", "name"))
    return [{"number": c.number, "class_name": c.case_class.minor_name, "region_name": names.get(c.region_code, ""),
             "state": str(State(c.state).label),
             "reported": timezone.localtime(c.reported_at, tz()).strftime("%m-%d %H:%M"),
             "overdue": c.state in HANDLING_STATES and c.handle_due is not None and c.handle_due < now,
             "link": reverse("case-detail", args=[c.number])} for c in rows]


# Outlines drawn on the dashboard maps, coarse to fine, and how much each is simplified (degrees).
OUTLINE_LEVELS = {"street": 0.0001, "community": 0.00008, "grid": 0.00005}


def grid_outlines(user) -> dict:
    """The outlines in the user's scope for the dashboard maps (simplified, cached per process): grids for the
    choropleth, streets and communities for their borders and name labels; each feature says its level."""
    visible = set(Region.objects.restrict(user).filter(level__in=list(OUTLINE_LEVELS)).values_list("code", flat=True))

    def load():
        features = []
        for level, tolerance in OUTLINE_LEVELS.items():
            for code, name, boundary in Region.objects.filter(level=level).order_by("code").values_list(
                    "code", "name", "boundary"):
                shape = from_stored(boundary).simplify(tolerance, preserve_topology=True)
                features.append({"type": "Feature", "geometry": shape.__geo_interface__,
                                 "properties": {"code": code, "name": name, "level": level}})
        return features

    version = BoundaryVersion.objects.values_list("version", flat=True).first()
    regions = Region.objects.filter(level__in=list(OUTLINE_LEVELS)).aggregate(n=Count("id"), last=Max("id"))
    features = _grid_shapes.get((version, regions["n"], regions["last"]), load)
    return {"type": "FeatureCollection", "features": [f for f in features if f["properties"]["code"] in visible]}
