"""Running inspections: start at a place, record item results, submit (score + cases), rechecks, rounds.

The same functions serve the phone page, the API and the demo. Every write runs in a transaction;
submitting is a conditional update (a second submit of the same inspection changes nothing), and
each failed item goes through cases.services.record_finding, where the database keeps one open
case per place and item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Point
from shapely.ops import nearest_points

from civicgrid import audit
from civicgrid.cases.choices import OPEN_STATES, Source
from civicgrid.cases.models import Case, Photo
from civicgrid.cases.photos import MAX_PHOTOS_PER_STEP
from civicgrid.cases.services import record_finding, settle_by_recheck
from civicgrid.core.exceptions import Conflict
from civicgrid.core.scoping import require_office
from civicgrid.inspections import scoring
from civicgrid.inspections.choices import (
    InspectionKind,
    InspectionStatus,
    Outcome,
    RoundStatus,
    StandardStatus,
)
from civicgrid.inspections.models import (
    AssessmentRound,
    Assignment,
    Inspection,
    InspectionResult,
    Plan,
    PointType,
    Standard,
    StandardItem,
)
from civicgrid.organizations.access import held_roles
from civicgrid.organizations.choices import Role
from civicgrid.territory.choices import Level
from civicgrid.territory.codes import code_length
from civicgrid.territory.crs import distance_m
from civicgrid.territory.models import Place

# Roles that inspect places (leaders and departments' staff run morning and night checks).
INSPECTING_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.INSPECTOR, Role.ASSESSOR, Role.STREET_STAFF,
                              Role.COMMUNITY_STAFF, Role.GRID_WORKER, Role.HANDLER, Role.PLACE_CHIEF})
# Roles that re-inspect failed places and run undercover rounds.
ASSESSING_ROLES = frozenset({Role.ADMIN, Role.ASSESSOR})
CHIEF_KINDS = frozenset({InspectionKind.SELF_CHECK, InspectionKind.CHIEF_PATROL})


class InspectionConflict(Conflict):
    """The inspection is no longer in progress (submitted already)."""


# -- standards and point types -----------------------------------------------------------------------------
def current_standard() -> Standard | None:
    """The newest active standard (the default when a plan or the inspector names none)."""
    return Standard.objects.filter(status=StandardStatus.ACTIVE).order_by("-issued_on", "-version", "-id").first()


def point_type_for(place: Place, standard: Standard | None = None) -> PointType | None:
    """The point type a place is inspected as: the first type naming its kind (that has items in `standard`)."""
    types = PointType.objects.filter(place_kinds=place.kind_id).order_by("sort_order", "slug")
    if standard is not None:
        types = types.filter(items__standard=standard).distinct()
    return types.first()


def checklist(standard: Standard, point_type: PointType):
    return (StandardItem.objects.filter(standard=standard, point_type=point_type)
            .select_related("case_class", "criterion", "point_type", "standard").order_by("sort_order", "code"))


# -- who may inspect --------------------------------------------------------------------------------------
def _person_id(user) -> int | None:
    person = getattr(user, "person", None)
    return person.pk if person else None


def reachable(user, place: Place) -> bool:
    """The place is in the user's territory, or the user has been assigned to inspect it."""
    if Place.objects.restrict(user, "view").filter(pk=place.pk).exists():
        return True
    return Assignment.objects.restrict(user, "view").filter(place=place).exists()


def _check_may_start(user, place: Place, kind: str, round_: AssessmentRound | None, recheck_of) -> None:
    if user is None:
        return  # the server's own operator (management commands, the demo) is trusted
    roles = held_roles(user)
    if not roles & INSPECTING_ROLES:
        raise PermissionDenied(_("您的角色不能开展检查。"))
    if (kind == InspectionKind.UNDERCOVER or round_ is not None) and not roles & ASSESSING_ROLES:
        raise PermissionDenied(_("只有创城办和第三方评估员可以开展暗访。"))
    if kind == InspectionKind.RECHECK and not roles & ASSESSING_ROLES:
        raise PermissionDenied(_("只有创城办和第三方评估员可以复查。"))
    if kind in CHIEF_KINDS and Role.ADMIN not in roles and place.chief_id != _person_id(user):
        raise PermissionDenied(_("自查和五长巡查由该点位的负责人进行。"))
    if not reachable(user, place):
        raise PermissionDenied(_("该点位不在您的检查范围内。"))


# -- starting ---------------------------------------------------------------------------------------------
def start_inspection(actor, *, place: Place, kind: str, standard: Standard | None = None,
                     point_type: PointType | None = None, round_: AssessmentRound | None = None,
                     lng: float | None = None, lat: float | None = None, assignment: Assignment | None = None,
                     recheck_of: Inspection | None = None, now: dt.datetime | None = None,
                     inspector_name: str = "") -> Inspection:
    """Start an inspection of `place`; the position (WGS-84) is recorded and flagged when far from the place.

    `actor` None is the server's operator recording on someone's behalf (`inspector_name`), e.g. the demo.
    """
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if kind not in InspectionKind.values:
        errors["kind"] = [_("未知检查类型。")]
    if kind == InspectionKind.UNDERCOVER and round_ is None:
        errors["round"] = [_("暗访须属于一个暗访轮次。")]
    if round_ is not None:
        if round_.published:
            errors["round"] = [_("该暗访轮次已发布，不能再新增检查。")]
        elif kind not in (InspectionKind.UNDERCOVER, InspectionKind.RECHECK):
            errors["kind"] = [_("暗访轮次中的检查类型应为暗访或复查。")]
    if kind == InspectionKind.RECHECK:
        if recheck_of is None:
            errors["recheck_of"] = [_("复查须指明被复查的检查记录。")]
        elif recheck_of.place_id != place.pk or not recheck_of.submitted:
            errors["recheck_of"] = [_("被复查的检查须是该点位已提交的检查。")]
    if (lng is None) != (lat is None):
        errors["position"] = [_("经度和纬度须同时提供。")]
    if errors:
        raise ValidationError(errors)
    _check_may_start(actor, place, kind, round_, recheck_of)
    if recheck_of is not None:
        standard = standard or recheck_of.standard
        point_type = point_type or recheck_of.point_type
        round_ = round_ or (recheck_of.round if recheck_of.round and not recheck_of.round.published else None)
    if assignment is not None:
        standard = standard or assignment.plan.standard
        point_type = point_type or assignment.point_type
    standard = standard or (round_.standard if round_ else None) or current_standard()
    if standard is None:
        raise ValidationError({"standard": [_("尚无施行中的测评标准。")]})
    point_type = point_type or point_type_for(place, standard)
    if point_type is None or not StandardItem.objects.filter(standard=standard, point_type=point_type).exists():
        raise ValidationError({"point_type": [_("该标准没有适用于此点位的检查项。")]})
    distance = None
    if lng is not None:
        distance = _distance_to(place, float(lng), float(lat))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            place=place, point_type=point_type, standard=standard, kind=kind, round=round_, recheck_of=recheck_of,
            inspector=actor if actor and actor.is_authenticated else None, inspector_name=inspector_name or _name(actor),
            started_at=now, lng=lng, lat=lat, distance_m=distance,
            far_from_place=distance is not None and distance > settings.INSPECTION_MAX_DISTANCE_METERS,
            region_code=place.region_code, community_code=place.region_code[:code_length(Level.COMMUNITY)],
            street_code=place.region_code[:code_length(Level.STREET)],
            responsible_unit_id=place.responsible_unit_id,
            embargoed=round_ is not None and not round_.published,
        )
        if assignment is not None:
            if assignment.place_id != place.pk:
                raise ValidationError({"assignment": [_("检查任务的点位与所选点位不一致。")]})
            if not Assignment.objects.filter(pk=assignment.pk, inspection__isnull=True).update(inspection=inspection):
                raise ValidationError({"assignment": [_("该检查任务已完成。")]})
    return inspection


def _distance_to(place: Place, lng: float, lat: float) -> float:
    """Metres from a position to the place's geometry (0 inside a polygon)."""
    try:
        nearest = nearest_points(place.shape, Point(lng, lat))[0]
    except Exception:  # an unusable stored geometry: fall back on the representative point
        return float(distance_m(lng, lat, place.lng, place.lat))
    return float(distance_m(lng, lat, nearest.x, nearest.y))


def _name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


# -- recording results ------------------------------------------------------------------------------------
@dataclass
class ResultEntry:
    item: str  # the item's code
    outcome: str
    findings: int = 0
    note: str = ""
    photos: list[Photo] = field(default_factory=list)


def may_fill(actor, inspection: Inspection) -> bool:
    """Whether the actor fills in this inspection: its inspector, or the office (or the server's operator)."""
    return actor is None or inspection.inspector_id == actor.pk or Role.ADMIN in held_roles(actor)


def _editable(actor, inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise InspectionConflict(_("该检查已提交，不能再修改。"))
    if not may_fill(actor, inspection):
        raise PermissionDenied(_("只有检查人本人可以填写该检查。"))


def record_results(actor, inspection: Inspection, entries: list[ResultEntry]) -> list[InspectionResult]:
    """Record (or correct) item results of an inspection in progress; all entries or none.

    A failure needs at least one finding and at least one photo; a pass or not-applicable has no findings.
    Errors come back per entry and field (results[n].field), n counting the entries as given.
    """
    _editable(actor, inspection)
    items = {i.code: i for i in checklist(inspection.standard, inspection.point_type)}
    errors, seen = [], set()
    for entry in entries:
        problems: dict[str, list[str]] = {}
        if entry.item not in items:
            problems["item"] = [_("该检查没有检查项 %s。") % entry.item]
        elif entry.item in seen:
            problems["item"] = [_("检查项 %s 重复。") % entry.item]
        seen.add(entry.item)
        if entry.outcome not in Outcome.values:
            problems["outcome"] = [_("结果应为 pass、fail 或 na。")]
        elif entry.outcome == Outcome.FAIL:
            if entry.findings < 1:
                problems["findings"] = [_("不合格须填写问题处数（至少1处）。")]
            if not entry.photos:
                problems["photo_ids"] = [_("不合格须上传至少一张照片。")]
        elif entry.findings:
            problems["findings"] = [_("合格或不适用的检查项不记问题处数。")]
        if len(entry.photos) > MAX_PHOTOS_PER_STEP:
            problems["photo_ids"] = [_("每一步最多9张照片。")]
        if len(entry.note) > 1000:
            problems["note"] = [_("说明不能超过1000字。")]
        errors.append(problems)
    if any(errors):
        # One key per entry and field, e.g. "results[2].photo_ids", so every bad entry is named.
        raise ValidationError({f"results[{n}].{name}": messages for n, problems in enumerate(errors)
                               for name, messages in problems.items()})
    with transaction.atomic():
        if not Inspection.objects.filter(pk=inspection.pk, status=InspectionStatus.IN_PROGRESS).exists():
            raise InspectionConflict(_("该检查已提交，不能再修改。"))
        existing = {r.item_id: r for r in InspectionResult.objects.filter(inspection=inspection)}
        saved, new = [], []
        for entry in entries:
            item = items[entry.item]
            result = existing.get(item.pk) or InspectionResult(inspection=inspection, item=item)
            result.outcome, result.findings, result.note = entry.outcome, entry.findings, entry.note.strip()
            (saved if result.pk else new).append(result)
        InspectionResult.objects.bulk_update(saved, ["outcome", "findings", "note"])
        saved += InspectionResult.objects.bulk_create(new)
        # Photos of the entries given replace what those items had (one delete, one insert).
        links = InspectionResult.photos.through
        links.objects.filter(inspectionresult__in=saved).delete()
        photos_by_item = {items[e.item].pk: e.photos for e in entries}
        links.objects.bulk_create([links(inspectionresult_id=r.pk, photo_id=photo.pk)
                                   for r in saved for photo in photos_by_item[r.item_id]], ignore_conflicts=True)
    return saved


# -- submitting -------------------------------------------------------------------------------------------
@dataclass
class SubmitOutcome:
    inspection: Inspection
    opened: list[Case] = field(default_factory=list)  # new cases
    added: list[Case] = field(default_factory=list)  # open cases the finding was added to
    settled: dict[str, list[Case]] = field(default_factory=dict)  # recheck: closed / rework / unchanged …
    without_class: list[str] = field(default_factory=list)  # failed items that name no case class


def submit_inspection(actor, inspection: Inspection, now: dt.datetime | None = None) -> SubmitOutcome:
    """Score the inspection and open (or add to) a case for every failed item; a recheck settles the
    cases of the place it re-inspects. Every item must have a result."""
    now = now or timezone.now()
    _editable(actor, inspection)
    items = list(checklist(inspection.standard, inspection.point_type))
    results = {r.item_id: r for r in inspection.results.select_related("item").prefetch_related("photos")}
    missing = [i.code for i in items if i.pk not in results]
    if missing:
        raise ValidationError({"results": [_("以下检查项尚未填写：%s") % "、".join(missing)]})
    outcome = SubmitOutcome(inspection)
    with transaction.atomic():
        if not Inspection.objects.filter(pk=inspection.pk, status=InspectionStatus.IN_PROGRESS).update(
                status=InspectionStatus.SUBMITTED, submitted_at=now):
            raise InspectionConflict(_("该检查已提交。"))
        score = scoring.total((results[i.pk].item, results[i.pk].outcome, results[i.pk].findings) for i in items)
        for item in items:
            results[item.pk].score = scoring.item_score(item, results[item.pk].outcome, results[item.pk].findings)
        InspectionResult.objects.bulk_update(list(results.values()), ["score"])
        Inspection.objects.filter(pk=inspection.pk).update(
            score=score.score, max_score=score.max_score, score_rate=score.rate, failed_items=score.failed_items,
            critical_failed=score.critical_failed)
        if inspection.kind == InspectionKind.RECHECK:
            _settle_recheck(actor, inspection, items, results, outcome, now)
        else:
            for item in items:
                if results[item.pk].outcome == Outcome.FAIL:
                    _open_or_add(actor, inspection, item, results[item.pk], outcome, now)
    inspection.refresh_from_db()
    return outcome


def _finding_key(inspection: Inspection, item: StandardItem) -> str:
    # An undercover round's findings stand apart: the round reports its own "points with problems".
    prefix = f"round{inspection.round_id}/" if inspection.round_id else ""
    return prefix + item.finding_key


def _open_or_add(actor, inspection, item, result, outcome: SubmitOutcome, now) -> None:
    if item.case_class_id is None:
        outcome.without_class.append(item.code)
        return
    place = inspection.place
    description = _("%(kind)s发现%(type)s「%(place)s」不合格：%(text)s（%(n)d处）") % {
        "kind": inspection.get_kind_display(), "type": inspection.point_type.name, "place": place.name,
        "text": item.text, "n": result.findings}
    if result.note:
        description += f"。{result.note}"
    found = record_finding(
        actor, place=place, case_class=item.case_class, criterion=item.criterion,
        finding_key=_finding_key(inspection, item), description=description, photos=list(result.photos.all()),
        source=Source.UNDERCOVER if inspection.round_id else Source.INSPECTION, embargoed=inspection.embargoed,
        now=now)
    result.case, result.case_opened = found.case, found.opened
    result.save(update_fields=["case", "case_opened"])
    (outcome.opened if found.opened else outcome.added).append(found.case)


def _settle_recheck(actor, inspection, items, results, outcome: SubmitOutcome, now) -> None:
    """Pass closes the place's open case for the item through the check step; fail sends it to rework."""
    for item in items:
        result = results[item.pk]
        if result.outcome == Outcome.NA:
            continue
        case = (Case.objects.filter(place=inspection.place, finding_key=_finding_key(inspection, item),
                                    state__in=OPEN_STATES).first())
        if case is None:
            if result.outcome == Outcome.FAIL:
                _open_or_add(actor, inspection, item, result, outcome, now)
            continue
        what = settle_by_recheck(case, actor, passed=result.outcome == Outcome.PASS, note=result.note,
                                 photos=list(result.photos.all()), now=now)
        outcome.settled.setdefault(what, []).append(case)
        result.case = case
        result.save(update_fields=["case"])


# -- assessment rounds ------------------------------------------------------------------------------------
def create_round(actor, *, name: str, firm, standard: Standard, starts_on: dt.date, ends_on: dt.date,
                 note: str = "") -> AssessmentRound:
    """The campaign office commissions a third-party undercover round."""
    require_office(actor, _("安排暗访轮次"))
    errors = {}
    if firm.kind != "assessment_firm":
        errors["firm"] = [_("暗访轮次须由第三方评估机构承担。")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("结束日期不能早于开始日期。")]
    if errors:
        raise ValidationError(errors)
    return AssessmentRound.objects.create(name=name.strip(), firm=firm, standard=standard, starts_on=starts_on,
                                          ends_on=ends_on, note=note)


@dataclass
class PublishOutcome:
    round: AssessmentRound
    inspections: int
    cases: int


def publish_round(actor, round_: AssessmentRound, now: dt.datetime | None = None) -> PublishOutcome:
    """Make a round's inspections, findings and cases visible to the inspected, and dispatch its cases at
    once, so their deadlines start now. Publishing twice is refused."""
    from civicgrid.cases.services import publish_findings

    require_office(actor, _("发布暗访结果"))
    now = now or timezone.now()
    with transaction.atomic():
        if not AssessmentRound.objects.filter(pk=round_.pk, status=RoundStatus.OPEN).update(
                status=RoundStatus.PUBLISHED, published_at=now, published_by=actor):
            raise Conflict(_("该暗访轮次已发布。"))
        inspections = Inspection.objects.filter(round=round_).update(embargoed=False)
        Plan.objects.filter(round=round_).update(embargoed=False)
        Assignment.objects.filter(plan__round=round_).update(embargoed=False)
        cases = list(Case.objects.filter(embargoed=True, inspection_results__inspection__round=round_)
                     .distinct().order_by("id"))
        published = publish_findings(actor, cases, dispatch=True, now=now)
    audit.record("publication", actor=actor, target=f"assessment round:{round_.pk}", cases=published)
    round_.refresh_from_db()
    return PublishOutcome(round_, inspections, published)
