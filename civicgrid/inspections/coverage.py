"""Coverage (三个全覆盖) and results of inspections for a period and a region, always within the viewer's scope.

Every count reads through `restrict(user)`, so undercover work before publication never shows to the
inspected, and a street sees only its own territory.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from civicgrid.core import excel
from civicgrid.core.scoping import prefix_q
from civicgrid.inspections.choices import InspectionKind, Outcome
from civicgrid.inspections.models import Assignment, Inspection, InspectionResult, PointType
from civicgrid.territory.choices import Level
from civicgrid.territory.codes import code_length
from civicgrid.territory.models import Place, Region
from civicgrid.workcal.calendar import tz
from civicgrid.workcal.periods import period_bounds

WINDOW_KINDS = (InspectionKind.MORNING, InspectionKind.NIGHT)
CONTRACT_KINDS = (InspectionKind.MORNING, InspectionKind.NIGHT, InspectionKind.SPECIAL)
CHIEF_KINDS = (InspectionKind.CHIEF_PATROL, InspectionKind.SELF_CHECK)


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


@dataclass
class Coverage:
    region: Region
    start: dt.date
    end: dt.date
    by_point_type: list[dict] = field(default_factory=list)  # name, places, inspected, rate
    grids_total: int = 0
    uncovered_grids: list[Region] = field(default_factory=list)
    windows: list[dict] = field(default_factory=list)  # per street: days, morning days, night days
    missed: list[dict] = field(default_factory=list)  # contracted leaders and departments with missed checks
    chief_patrols: list[dict] = field(default_factory=list)  # per chief title: assigned, done, rate

    @property
    def grids_covered(self) -> int:
        return self.grids_total - len(self.uncovered_grids)

    def uncovered_geojson(self) -> dict:
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": g.boundary, "properties": {"code": g.code, "name": g.name}}
            for g in self.uncovered_grids]}

    def as_dict(self) -> dict:
        return {
            "region": {"code": self.region.code, "name": self.region.name},
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "by_point_type": self.by_point_type,
            "grids": {"total": self.grids_total, "covered": self.grids_covered,
                      "uncovered": [{"code": g.code, "name": g.name} for g in self.uncovered_grids]},
            "windows": self.windows, "missed": self.missed, "chief_patrols": self.chief_patrols,
        }


def counts_by_point_type(places, matched: Q) -> list[tuple[PointType, int, int]]:
    """(point type, places, places matching) for every point type that names place kinds — one grouped query
    by kind, summed per point type."""
    by_kind = {kind: (total, hits) for kind, total, hits in places.order_by().values_list("kind_id").annotate(
        total=Count("id"), hits=Count("id", filter=matched)).values_list("kind_id", "total", "hits")}
    rows = []
    for point_type in PointType.objects.prefetch_related("place_kinds").order_by("sort_order"):
        kinds = [k.pk for k in point_type.place_kinds.all()]
        if kinds:
            rows.append((point_type, sum(by_kind.get(k, (0, 0))[0] for k in kinds),
                         sum(by_kind.get(k, (0, 0))[1] for k in kinds)))
    return rows


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def coverage(user, region: Region, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> Coverage:
    """What was inspected in `region` between `start` and `end` (local dates, inclusive)."""
    now = now or timezone.now()
    begin, finish = period_bounds(start, end)
    inspections = Inspection.objects.restrict(user).between(begin, finish).filter(prefix_q("region_code", region.code))
    places = Place.objects.restrict(user).filter(prefix_q("region_code", region.code))
    result = Coverage(region, start, end)
    # Places of each point type inspected vs total.
    inspected = Q(Exists(inspections.filter(place=OuterRef("pk"))))
    result.by_point_type = [{"point_type": t.slug, "name": t.name, "places": total, "inspected": done,
                             "rate": _rate(done, total)} for t, total, done in counts_by_point_type(places, inspected)]
    # Grids with no inspection.
    grids = Region.objects.restrict(user).filter(level=Level.GRID).filter(prefix_q("code", region.code))
    seen = set(inspections.values_list("region_code", flat=True).distinct())
    grid_list = list(grids.order_by("code"))
    result.grids_total = len(grid_list)
    result.uncovered_grids = [g for g in grid_list if g.code not in seen]
    # Morning and night windows per street: days with at least one check of each kind.
    days = _days(start, end)
    covered: dict[tuple[str, str], set[dt.date]] = defaultdict(set)
    for street, kind, started in inspections.filter(kind__in=WINDOW_KINDS).values_list(
            "street_code", "kind", "started_at"):
        covered[(street, kind)].add(timezone.localtime(started, tz()).date())
    streets = Region.objects.restrict(user).filter(level=Level.STREET).filter(
        prefix_q("code", region.code[:code_length(Level.STREET)]) if region.level != Level.DISTRICT else Q()).order_by("code")
    for street in streets:
        morning = len(covered[(street.code, InspectionKind.MORNING)])
        night = len(covered[(street.code, InspectionKind.NIGHT)])
        result.windows.append({"street": street.code, "name": street.name, "days": len(days),
                               "morning_days": morning, "night_days": night,
                               "morning_rate": _rate(morning, len(days)), "night_rate": _rate(night, len(days))})
    # Contracted leaders and departments who missed their checks (windows already closed).
    assignments = (Assignment.objects.restrict(user).filter(day__gte=start, day__lte=end, window_end__lt=now)
                   .filter(prefix_q("region_code", region.code)))
    tally: dict[tuple, Counter] = defaultdict(Counter)
    for person_id, person_name, unit_id, unit_name, done in (
            assignments.filter(kind__in=CONTRACT_KINDS, plan__contracted=True)
            .values_list("assignee_id", "assignee__name", "assignee_unit_id", "assignee_unit__name", "inspection")):
        key = ("person", person_id, person_name) if person_id else ("unit", unit_id, unit_name)
        tally[key]["assigned"] += 1
        tally[key]["done"] += done is not None
    for (kind, _id, name), counts in sorted(tally.items(), key=lambda kv: (kv[0][0], kv[0][2] or "")):
        missed = counts["assigned"] - counts["done"]
        if missed:
            result.missed.append({"who": name, "kind": kind, "assigned": counts["assigned"], "done": counts["done"],
                                  "missed": missed})
    # Chiefs' patrols: completeness per chief title (楼长, 路长, 店长 …).
    chiefs: dict[str, Counter] = defaultdict(Counter)
    for title, done in assignments.filter(kind__in=CHIEF_KINDS).values_list("place__kind__chief_title", "inspection"):
        chiefs[title]["assigned"] += 1
        chiefs[title]["done"] += done is not None
    result.chief_patrols = [{"chief": title, "assigned": c["assigned"], "done": c["done"],
                             "rate": _rate(c["done"], c["assigned"])} for title, c in sorted(chiefs.items())]
    return result


def coverage_workbook(report: Coverage) -> bytes:
    """The coverage report as Excel: one sheet per figure."""
    c = excel.Column
    return excel.write_sheets([
        ("点位覆盖", [c("点位类型", "t"), c("点位总数", "n"), c("已检查", "d"), c("覆盖率", "r")],
         [(r["name"], r["places"], r["inspected"], r["rate"]) for r in report.by_point_type]),
        ("未覆盖网格", [c("网格代码", "code"), c("网格名称", "name")],
         [(g.code, g.name) for g in report.uncovered_grids]),
        ("晨检夜查时段", [c("街道", "s"), c("天数", "d"), c("晨检天数", "m"), c("夜查天数", "n")],
         [(w["name"], w["days"], w["morning_days"], w["night_days"]) for w in report.windows]),
        ("未按时检查", [c("包保领导/部门", "w"), c("应检", "a"), c("已检", "d"), c("漏检", "m")],
         [(m["who"], m["assigned"], m["done"], m["missed"]) for m in report.missed]),
        ("五长巡查", [c("负责人", "c"), c("应巡", "a"), c("已巡", "d"), c("完成率", "r")],
         [(p["chief"], p["assigned"], p["done"], p["rate"]) for p in report.chief_patrols]),
    ])


# -- results ------------------------------------------------------------------------------------------------
ROLLUP_LEVELS = {"grid": "region_code", "community": "community_code", "street": "street_code",
                 "point_type": "point_type__name"}


def rollup(user, level: str, start: dt.date, end: dt.date, region_code: str = "", round_id: int | None = None):
    """Inspections, average score rate and failed items grouped by grid, community, street or point type."""
    column = ROLLUP_LEVELS[level]
    begin, finish = period_bounds(start, end)
    inspections = Inspection.objects.restrict(user).between(begin, finish)
    if region_code:
        inspections = inspections.filter(prefix_q("region_code", region_code))
    if round_id:
        inspections = inspections.filter(round_id=round_id)
    # Failed items are counted on the inspections themselves (failed_items), so no join multiplies the rows.
    rows = (inspections.values(column).annotate(
        inspection_count=Count("id"), places=Count("place", distinct=True), average_rate=Avg("score_rate"),
        failed_total=Sum("failed_items"), with_problems=Count("id", filter=Q(failed_items__gt=0))).order_by(column))
    names = {}
    if level != "point_type":
        names = dict(Region.objects.filter(code__in=[r[column] for r in rows]).values_list("code", "name"))
    return [{"key": r[column], "name": names.get(r[column], r[column]), "inspections": r["inspection_count"],
             "places": r["places"], "with_problems": r["with_problems"],
             "average_rate": round(r["average_rate"], 4) if r["average_rate"] is not None else None,
             "failed_items": r["failed_total"] or 0} for r in rows]


def frequent_failures(user, start: dt.date, end: dt.date, region_code: str = "", limit: int = 20):
    """The checklist items failed most often in the period (by item across versions)."""
    begin, finish = period_bounds(start, end)
    inspections = Inspection.objects.restrict(user).between(begin, finish)
    if region_code:
        inspections = inspections.filter(prefix_q("region_code", region_code))
    return list(InspectionResult.objects.filter(inspection__in=inspections, outcome=Outcome.FAIL)
                .values("item__code", "item__text", "item__point_type__name")
                .annotate(failures=Count("id"), places=Count("inspection__place", distinct=True))
                .order_by("-failures", "item__code")[:limit])


def compare_rounds(user, first, second) -> list[dict]:
    """Two undercover rounds side by side per point type: points surveyed, points with problems, score rate."""
    table: dict[str, dict] = {}
    for label, round_ in (("first", first), ("second", second)):
        rows = (Inspection.objects.restrict(user).submitted().filter(round=round_)
                .values("point_type__name").annotate(points=Count("place", distinct=True),
                                                     problems=Count("place", distinct=True, filter=Q(failed_items__gt=0)),
                                                     rate=Avg("score_rate")))
        for r in rows:
            entry = table.setdefault(r["point_type__name"], {"point_type": r["point_type__name"]})
            entry[label] = {"points": r["points"], "with_problems": r["problems"],
                            "average_rate": round(r["rate"], 4) if r["rate"] is not None else None}
    return [table[k] for k in sorted(table)]


def place_results(user, place) -> dict:
    """A place's latest score, its inspection history and its open cases (as the user may see them)."""
    from civicgrid.cases.models import Case

    history = list(Inspection.objects.restrict(user).submitted().filter(place=place)
                   .select_related("point_type").order_by("-submitted_at")[:50])
    cases = list(Case.objects.restrict(user).open().filter(place=place).select_related("case_class")
                 .order_by("-reported_at")[:50])
    return {"latest": history[0] if history else None, "history": history, "open_cases": cases}
