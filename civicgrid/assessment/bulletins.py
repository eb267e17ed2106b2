"""Bulletins (通报): drafted from a period's ranked indicators, edited and published by the office.

A draft names the top units for praise and the bottom ones — plus repeated overdue, rework and undercover
findings — for criticism, lists typical problems with their photos and the period's accountability decisions.
Publishing freezes it; a correction is a new version. A published bulletin shows on the home page of every
unit it names.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid import audit
from civicgrid.assessment import services
from civicgrid.assessment.models import Accountability, Bulletin, BulletinStatus
from civicgrid.cases.choices import PhotoRole
from civicgrid.cases.models import Case, EventPhoto
from civicgrid.core.exceptions import Conflict
from civicgrid.core.scoping import require_office
from civicgrid.workcal.periods import period_bounds

LEVEL_NAMES = {"street": "街道", "community": "社区", "department": "职能部门", "post": "岗位"}
PRAISED = 3
CRITICISED = 3
REPEATED_OVERDUE = 3  # overdue pending cases that make a unit "repeatedly overdue"


def _percent(figure: dict) -> str:
    return "—" if figure["value"] is None else f"{figure['value'] * 100:.2f}%"


def draft(actor, *, level: str, start: dt.date, end: dt.date, scheme: str | None = None,
          title: str = "") -> Bulletin:
    """Generate a draft bulletin for a period and level (the office)."""
    require_office(actor, _("起草通报"))
    result = services.compute(actor, level, start, end, scheme)
    units = result["units"]
    ranked = [u for u in units if u["rank"] is not None]
    praised = ranked[:PRAISED]
    criticised = list(reversed(ranked[-CRITICISED:])) if len(ranked) > PRAISED else []
    overdue = [u for u in units if u["indicators"]["overdue_pending_rate"]["numerator"] >= REPEATED_OVERDUE]
    reworked = [u for u in units if u["indicators"]["rework_rate"]["numerator"] >= REPEATED_OVERDUE]
    undercover = [u for u in units if u["undercover_findings"]]
    typical = _typical_cases(actor, level, [u["unit"]["code"] for u in criticised], start, end)
    decisions = list(Accountability.objects.filter(decided_on__gte=start, decided_on__lte=end)
                     .select_related("unit", "person"))
    kind = LEVEL_NAMES.get(level, level)
    lines = [
        _("一、总体情况"),
        _("%(start)s至%(end)s，按“%(scheme)s”对%(n)d个%(kind)s进行考核，其中%(ranked)d个达到最少案件数参与排名"
          "（最少%(min)d件）。") % {"start": f"{start:%Y年%m月%d日}", "end": f"{end:%Y年%m月%d日}",
                                 "scheme": result["scheme"]["name"], "n": len(units), "kind": kind,
                                 "ranked": len(ranked), "min": result["min_cases"]},
        _("二、排名"),
        *[f"第{u['rank']}名 {u['unit']['name']}：{u['score']}分（{u['grade']}），按期结案率"
          f"{_percent(u['indicators']['on_time_closure_rate'])}，结案率{_percent(u['indicators']['closure_rate'])}"
          for u in ranked],
        _("三、通报表扬"),
        "、".join(u["unit"]["name"] for u in praised) + _("考核得分位居前列，予以通报表扬。") if praised else _("无。"),
        _("四、通报批评"),
    ]
    criticism = []
    if criticised:
        criticism.append("、".join(u["unit"]["name"] for u in criticised) + _("考核得分排名靠后，予以通报批评，限期整改。"))
    criticism += [_("%(name)s有%(n)d件案件超期未处置。") % {
        "name": u["unit"]["name"], "n": u["indicators"]["overdue_pending_rate"]["numerator"]} for u in overdue]
    criticism += [_("%(name)s有%(n)d件案件返工。") % {
        "name": u["unit"]["name"], "n": u["indicators"]["rework_rate"]["numerator"]} for u in reworked]
    criticism += [_("第三方暗访在%(name)s发现问题%(n)d个。") % {
        "name": u["unit"]["name"], "n": u["undercover_findings"]} for u in undercover]
    lines += criticism or [_("无。")]
    lines.append(_("五、典型问题"))
    lines += [f"{c['number']} {c['class']}：{c['description']}（{c['unit']}）" for c in typical] or [_("无。")]
    lines.append(_("六、问责情况"))
    lines += [f"{d.decided_on:%m月%d日} {d.get_kind_display()}：{d.unit or d.region_code}"
              f"{('（' + d.person.name + '）') if d.person else ''}——{d.reason}" for d in decisions] or [_("无。")]
    named = sorted({u["unit"]["code"] for u in units} | {d.unit.code for d in decisions if d.unit}
                   | {d.region_code for d in decisions if d.region_code})
    return Bulletin.objects.create(
        title=title or _("%(start)s至%(end)s%(kind)s考核情况通报") % {"start": f"{start:%Y年%m月%d日}",
                                                                "end": f"{end:%m月%d日}", "kind": kind},
        level=level, starts_on=start, ends_on=end, scheme_id=services.scheme_for(start, scheme).pk,
        body="\n".join(lines), rankings=units, typical_cases=typical, named_units=named)


def _typical_cases(actor, level: str, codes: list[str], start: dt.date, end: dt.date, limit: int = 6) -> list[dict]:
    """Overdue or reworked cases of the criticised units in the period, with their "before" photos."""
    if not codes:
        return []
    begin, finish = period_bounds(start, end)
    column = {"street": "street_code", "community": "community_code", "department": "responsible_unit__code",
              "post": "reporter__username"}[level]
    cases = list(Case.objects.restrict(actor)
                 .filter(Q(rework_count__gt=0) | Q(handled_at__isnull=True), **{f"{column}__in": codes},
                         due_at__gte=begin, due_at__lt=finish)
                 .select_related("case_class", "responsible_unit").order_by("-due_at")[:limit])
    photos = dict(  # each case's first "before" photo, in one query (later rows overwrite earlier ones)
        EventPhoto.objects.filter(event__case__in=cases, role=PhotoRole.BEFORE).order_by("-id")
        .values_list("event__case_id", "photo__thumbnail"))
    return [{"number": case.number, "class": case.case_class.minor_name, "description": case.description[:120],
             "unit": str(case.responsible_unit or ""), "photo": photos.get(case.pk, "")} for case in cases]


def update(actor, bulletin: Bulletin, *, title: str | None = None, body: str | None = None) -> Bulletin:
    """Edit a draft. The write is conditional on the draft status, so a publication that happens between
    reading and saving is never reverted (the edit is refused instead)."""
    require_office(actor, _("修改通报"))
    changes = {}
    if title is not None:
        changes["title"] = title
    if body is not None:
        if not body.strip():
            raise ValidationError({"body": [_("正文不能为空。")]})
        changes["body"] = body
    for name, value in changes.items():
        setattr(bulletin, name, value)
    bulletin.full_clean(exclude=[f.name for f in Bulletin._meta.fields if f.name not in changes])
    if changes and not Bulletin.objects.filter(pk=bulletin.pk, status=BulletinStatus.DRAFT).update(
            **changes, updated_at=timezone.now()):
        raise Conflict(_("已发布的通报不能修改，请生成更正版本。"))
    bulletin.refresh_from_db()
    return bulletin


def publish(actor, bulletin: Bulletin) -> Bulletin:
    require_office(actor, _("发布通报"))
    if not Bulletin.objects.filter(pk=bulletin.pk, status=BulletinStatus.DRAFT).update(
            status=BulletinStatus.PUBLISHED, published_at=timezone.now(), published_by=actor):
        raise Conflict(_("该通报已发布。"))
    audit.record("publication", actor=actor, target=f"bulletin:{bulletin.pk}")
    bulletin.refresh_from_db()
    return bulletin


def make_public(actor, bulletin: Bulletin) -> Bulletin:
    """Let citizens and place chiefs read a published bulletin (staff read every published one)."""
    require_office(actor, _("向公众公开通报"))
    if not Bulletin.objects.filter(pk=bulletin.pk, status=BulletinStatus.PUBLISHED, public_at__isnull=True).update(
            public_at=timezone.now()):
        raise Conflict(_("只有已发布且尚未公开的通报可以向公众公开。"))
    audit.record("publication", actor=actor, target=f"bulletin:{bulletin.pk}", audience="public")
    bulletin.refresh_from_db()
    return bulletin


def correct(actor, bulletin: Bulletin) -> Bulletin:
    """A new draft version of a published bulletin (the published one stays as it was)."""
    require_office(actor, _("更正通报"))
    return Bulletin.objects.create(
        title=bulletin.title, level=bulletin.level, starts_on=bulletin.starts_on, ends_on=bulletin.ends_on,
        scheme=bulletin.scheme, body=bulletin.body, rankings=bulletin.rankings, typical_cases=bulletin.typical_cases,
        named_units=bulletin.named_units, version=bulletin.version + 1, previous=bulletin)


def for_user(user, limit: int = 5):
    """Published bulletins that name the user's units or territory (for the home page)."""
    from civicgrid.organizations.models import Grant

    codes = set()
    for grant in Grant.objects.filter(user=user).select_related("region", "unit"):
        if grant.region_id:
            codes.add(grant.region.code)
        if grant.unit_id:
            codes.add(grant.unit.code)
    published = Bulletin.objects.restrict(user).filter(status=BulletinStatus.PUBLISHED).order_by("-published_at")
    return [b for b in published[:200] if codes & set(b.named_units)][:limit]


def preview(actor, bulletin: Bulletin, body: str):
    """The draft as it would print with an edited text, not saved: the office's editor only."""
    require_office(actor, _("预览通报草稿"))
    return document(bulletin, body=body)


def document(bulletin: Bulletin, body: str | None = None):
    """The bulletin as an official document (GB/T 9704, core.officialdoc): title, text, the ranking table,
    typical problems with their photos, the issuing office and the date. `body`: an edited text not yet saved
    (the editor's preview)."""
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from civicgrid.core.officialdoc import OfficialDocument
    from civicgrid.territory.services import issuing_office

    document = OfficialDocument()
    document.title(bulletin.title, "" if bulletin.published else _("（草稿）"))
    for line in (bulletin.body if body is None or bulletin.published else body).splitlines():
        document.paragraph(line)
    ranked = [u for u in bulletin.rankings if u.get("rank") is not None]
    if ranked:
        document.heading(_("排名表"))
        document.table([_("名次"), _("单位"), _("得分"), _("等级"), _("按期结案率")], [
            [unit["rank"], unit["unit"]["name"], unit["score"], unit["grade"],
             _percent(unit["indicators"]["on_time_closure_rate"])] for unit in ranked])
    for case in bulletin.typical_cases:
        if case.get("photo") and default_storage.exists(case["photo"]):
            with default_storage.open(case["photo"], "rb") as image:
                document.picture(image.read(), caption=f"{case['number']} {case['class']}")
    day = timezone.localtime(bulletin.published_at).date() if bulletin.published_at else timezone.localdate()
    document.sign(issuing_office(), day)
    return document


def docx(bulletin: Bulletin) -> bytes:
    return document(bulletin).bytes()


def record_accountability(actor, **fields) -> Accountability:
    """The office records an accountability decision (约谈, 通报批评, 问责) about a unit or a territory."""
    require_office(actor, _("记录问责"))
    decision = Accountability(**fields)
    decision.full_clean()
    decision.save()
    return decision
