"""Indicators per unit and period, scored and ranked by a scheme — within the viewer's scope.

One grouped query over the cases of the period (each indicator part a conditional count, see indicators.py),
one over the inspections, one over supervision findings. Results are cached per viewer, scheme and period
under a key that includes the newest case event and the newest submitted inspection, so any change to a case
or a new inspection makes the next request recompute — in every process, since the key comes from the database.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid.assessment import indicators as ind
from civicgrid.assessment import scoring
from civicgrid.assessment.models import SchemeChoice, ScoringScheme
from civicgrid.cases.choices import OPEN_STATES
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.inspections.models import Inspection
from civicgrid.organizations.choices import UnitKind
from civicgrid.organizations.models import Grant, Unit
from civicgrid.territory.choices import Level
from civicgrid.territory.codes import code_length
from civicgrid.territory.models import Region
from civicgrid.workcal.periods import period_bounds

CACHE_SECONDS = 600
TIERS = {"undercover": "city", "inspection": "district"}  # who found a supervision problem, by case source


def scheme_for(start: dt.date, slug: str | None = None) -> ScoringScheme:
    """The scheme asked for, else the one the office picked for the period, else the first preset."""
    if slug:
        found = ScoringScheme.objects.filter(slug=slug).first()
        if found is None:
            raise ValidationError({"scheme": [_("未知计分方案：%s") % slug]})
        return found
    choice = SchemeChoice.objects.filter(starts_on__lte=start, ends_on__gte=start).select_related("scheme").first()
    return choice.scheme if choice else ScoringScheme.objects.order_by("slug").first()


def data_version() -> str:
    """Changes whenever a case changes (every change appends an event) or an inspection is submitted."""
    last_event = CaseEvent.objects.aggregate(n=Max("id"))["n"]
    last_inspection = Inspection.objects.submitted().aggregate(t=Max("submitted_at"))["t"]
    return f"{last_event}:{last_inspection.timestamp() if last_inspection else 0}"


def _cache_key(user, level, start, end, scheme) -> str:
    return (f"assessment:{data_version()}:{user.pk if user else 'district'}:{level}:{start}:{end}:{scheme.pk}:"
            f"{scheme.updated_at.timestamp()}")


def compute(user, level: str, start: dt.date, end: dt.date, scheme_slug: str | None = None) -> dict:
    """{"scheme", "level", "start", "end", "units": [...]} — cached until a case changes. `user` None: the whole
    district, for standings among peers (a home page's rank); never for a page or API listing units' cases."""
    if level not in ind.LEVELS:
        raise ValidationError({"level": [_("层级应为 street、community、department 或 post。")]})
    if end < start:
        raise ValidationError({"end": [_("结束日期不能早于开始日期。")]})
    scheme = scheme_for(start, scheme_slug)
    key = _cache_key(user, level, start, end, scheme)
    result = cache.get(key)
    if result is None:
        result = _compute(user, level, start, end, scheme)
        cache.set(key, result, CACHE_SECONDS)
    return result


def _visible(queryset, user):
    """The rows the user may see; all of them for the whole district's figures (user None)."""
    return queryset.all() if user is None else queryset.restrict(user)


def _units(user, level: str) -> dict:
    """key → (code, name) of the units of a level the user may see."""
    if level in ("street", "community"):
        regions = _visible(Region.objects, user).filter(level=level).order_by("code")
        return {r.code: (r.code, r.name) for r in regions.only("code", "name")}
    if level == "department":
        units = _visible(Unit.objects, user).filter(kind=UnitKind.DEPARTMENT).order_by("code")
        return {u.pk: (u.code, u.name) for u in units.only("id", "code", "name")}
    grants = Grant.objects.filter(role__in=ind.POST_ROLES).select_related("user__person")
    if not _sees_everything(user):
        grants = grants.filter(user=user)  # a post sees its own figures
    return {g.user_id: (g.user.username, getattr(getattr(g.user, "person", None), "name", g.user.username))
            for g in grants}


def _sees_everything(user) -> bool:
    from civicgrid.core.scoping import scope_for

    return user is None or scope_for(user, "view").everything


CASE_KEYS = {"street": "street_code", "community": "community_code", "department": "responsible_unit_id"}
POST_ACTIONS = ind.POST_ACTIONS


def _compute(user, level, start, end, scheme) -> dict:
    begin, finish = period_bounds(start, end)
    cutoff = ind.cutoff_for(finish, scheme.config.get("grace_days", 0))
    units = _units(user, level)
    cases = _visible(Case.objects, user)
    rows: dict = {k: {} for k in units}
    if level in CASE_KEYS:
        column = CASE_KEYS[level]
        # The period's cases are found through their own indexes first; grouping the whole table by street
        # instead (SQLite's choice for a plain GROUP BY) reads every row.
        period = Case.objects.filter(ind.in_period(begin, finish)).values("pk")
        for row in (cases.filter(pk__in=period).values(column)
                    .annotate(**ind.case_aggregates(begin, finish, cutoff)).order_by()):
            if row[column] in rows:
                rows[row[column]] = row
        for row in (_visible(Inspection.objects, user).between(begin, finish).values(column)
                    .annotate(**ind.inspection_aggregates()).order_by()):
            if row[column] in rows:
                rows[row[column]].update(row)
        findings = _findings(cases, column, begin, finish)
        achievements = _achievements(user, level, start, end)
    else:
        for action, keys in POST_ACTIONS.items():
            for row in _post_rows(cases, action, keys, begin, finish, cutoff, list(units)):
                rows.setdefault(row["events__actor_id"], {}).update(row)
        findings, achievements = {}, {}
    config = scheme.config
    workload = _workload(config.get("normalise_by"), level, units, rows)
    entries = []
    for key, (code, name) in units.items():
        row = rows.get(key, {})
        values, figures = {}, {}
        for indicator in ind.INDICATORS:
            numerator, denominator = row.get(f"{indicator.key}__n", 0), row.get(f"{indicator.key}__d", 0)
            value = round(numerator / denominator, 4) if denominator else None
            values[indicator.key] = value
            figures[indicator.key] = {"value": value, "numerator": numerator, "denominator": denominator,
                                      "cases": _link(level, code, indicator.key, start, end, cutoff)}
        points, possible = row.get("score__sum"), row.get("max__sum")
        rate = round(float(points) / float(possible), 4) if possible else None
        values[ind.INSPECTION_SCORE] = rate
        figures[ind.INSPECTION_SCORE] = {"value": rate, "numerator": float(points or 0),
                                         "denominator": float(possible or 0), "cases": None}
        average = row.get("handling__avg")
        found = findings.get(key, {})
        achieved = achievements.get(key, {})
        total = scoring.score(config, values, found, workload.get(key, 1.0), achieved)
        entries.append({
            "unit": {"code": code, "name": name}, "indicators": figures,
            "average_handling_hours": round(average.total_seconds() / 3600, 2) if average else None,
            "undercover_findings": row.get("undercover__n", 0), "supervision_findings": found,
            "achievements": achieved,
            "cases": row.get("closure_rate__d", 0) if level != "post" else sum(
                row.get(f"{k}__d", 0) for keys in POST_ACTIONS.values() for k in keys),
            "workload_factor": round(workload[key], 3) if key in workload else None,
            "score": total, "grade": scoring.grade(config, total)})
    scoring.rank(entries, config.get("min_cases", 0))
    entries.sort(key=lambda e: (e["rank"] is None, e["rank"] or 0, e["unit"]["code"]))
    return {"scheme": {"slug": scheme.slug, "name": scheme.name}, "level": level, "start": start.isoformat(),
            "end": end.isoformat(), "cutoff": cutoff.isoformat(), "min_cases": config.get("min_cases", 0),
            "units": entries}


LARGE_DEMOLITION_M2 = 300


def _achievements(user, level: str, start: dt.date, end: dt.date) -> dict:
    """Per unit: illegal structures demolished in the period, and demolitions of at least 300 m² (works ledger).
    A street or community is credited by where the operation was; a department by taking part in it."""
    from civicgrid.ledgers.models import Operation

    operations = _visible(Operation.objects, user).filter(date__gte=start, date__lte=end,
                                                         quantities__kind__slug="demolished").distinct()
    found: dict = {}
    for operation in operations.prefetch_related("units", "quantities__kind"):
        amounts = {q.kind.slug: float(q.amount) for q in operation.quantities.all()}
        if level == "department":
            keys = [u.pk for u in operation.units.all()]
        else:
            width = code_length(Level.STREET if level == "street" else Level.COMMUNITY)
            keys = [operation.region_code[:width]] if len(operation.region_code) >= width else []
        for key in keys:
            entry = found.setdefault(key, {"demolished": 0, "large_demolitions": 0})
            entry["demolished"] += amounts.get("demolished", 0)
            entry["large_demolitions"] += amounts.get("demolished_area", 0) >= LARGE_DEMOLITION_M2
    return found


def _workload(basis: str | None, level: str, units: dict, rows: dict) -> dict:
    """With a scheme's "normalise_by" (grids or places): how much a unit's supervision deductions are scaled —
    the average workload (cases due per grid or place) over the unit's own, kept within 0.5–2, so a unit with
    many cases on little ground is not punished twice for its volume (docs/assessment.md)."""
    if basis not in ("grids", "places") or level == "post":
        return {}
    from civicgrid.territory.models import Place

    if level == "department":
        sizes = dict(Place.objects.filter(responsible_unit_id__in=list(units)).values_list("responsible_unit_id")
                     .annotate(n=Count("id")).values_list("responsible_unit_id", "n")) if basis == "places" else {}
    else:
        width = code_length(Level.STREET if level == "street" else Level.COMMUNITY)
        counted = (Region.objects.filter(level="grid") if basis == "grids" else Place.objects.all())
        field = "code" if basis == "grids" else "region_code"
        sizes = {}
        for code in counted.values_list(field, flat=True):
            sizes[code[:width]] = sizes.get(code[:width], 0) + 1
    loads = {k: rows.get(k, {}).get("closure_rate__d", 0) / sizes[k] for k in units if sizes.get(k)}
    positive = [v for v in loads.values() if v > 0]
    if not positive:
        return {}
    average = sum(positive) / len(positive)
    return {k: min(2.0, max(0.5, average / v)) for k, v in loads.items() if v > 0}


def _post_rows(cases, action, keys, begin, finish, cutoff, user_ids):
    """Per actor: the parts of the indicators their post answers for (who reported, filed, dispatched)."""
    aggregates = {}
    for key in keys:
        indicator = ind.BY_KEY[key]
        denominator = indicator.denominator(begin, finish, cutoff)
        aggregates[f"{key}__d"] = Count("id", distinct=True, filter=denominator)
        aggregates[f"{key}__n"] = Count("id", distinct=True,
                                        filter=denominator & indicator.numerator(begin, finish, cutoff))
    return (cases.filter(events__action=action, events__actor_id__in=user_ids, events__at__gte=begin,
                         events__at__lt=finish)
            .values("events__actor_id").annotate(**aggregates).order_by())


def _findings(cases, column, begin, finish) -> dict:
    """Supervision problems per unit and tier: found in the period, not fixed in time, found again."""
    found: dict = {}
    supervised = cases.filter(source__in=list(TIERS), reported_at__gte=begin, reported_at__lt=finish,
                              embargoed=False)
    late = Q(due_at=F("handle_due")) & Q(due_at__lt=finish)
    for row in supervised.values(column, "source").annotate(problems=Count("id"), late=Count("id", filter=late)):
        found.setdefault(row[column], {})[TIERS[row["source"]]] = {"problems": row["problems"], "late": row["late"],
                                                                   "again": 0}
    # Findings are only ever added to open cases: those still open, or closed since the period began.
    candidates = cases.filter(source__in=list(TIERS), embargoed=False).filter(
        Q(state__in=sorted(OPEN_STATES)) | Q(closed_at__gte=begin)).values("pk")
    again = (CaseEvent.objects.filter(case_id__in=candidates, action="finding", at__gte=begin, at__lt=finish)
             .values(f"case__{column}", "case__source").annotate(n=Count("id")))
    for row in again:
        tier = TIERS[row["case__source"]]
        found.setdefault(row[f"case__{column}"], {}).setdefault(tier, {"problems": 0, "late": 0, "again": 0})
        found[row[f"case__{column}"]][tier]["again"] = row["n"]
    return found


def _link(level: str, code: str, key: str, start: dt.date, end: dt.date, cutoff: dt.datetime) -> str:
    """The case list behind an indicator's denominator (add part=numerator for the numerator), as of the cut-off."""
    unit = {"street": {"region": code}, "community": {"region": code}, "department": {"unit": code},
            "post": {"actor": code}}[level]
    query = {**unit, "indicator": key, "start": start.isoformat(), "end": end.isoformat(), "cutoff": cutoff.isoformat()}
    return f"{reverse('case-list')}?{urlencode(query)}"

