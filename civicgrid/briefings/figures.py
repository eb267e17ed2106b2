"""The briefing's figures: each computed from the ledgers, inspections and cases when asked for, within the
asker's scope, for a region and a period, with a stable key, a unit and a link to the records behind it.

Registries (compounds, small businesses, markets) count what exists in the region; dated ledgers count what
happened between `start` and `end` (inclusive).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils.translation import gettext_noop

from civicgrid.briefings.numbers import COUNTED_UNITS, cn_number, cn_percent
from civicgrid.core.scoping import prefix_q


@dataclass
class Context:
    user: object  # None: the server's operator (everything)
    region: str
    start: dt.date
    end: dt.date

    def scoped(self, queryset, field_name: str = "region_code"):
        if self.user is not None:
            queryset = queryset.restrict(self.user, "view")
        return queryset.filter(prefix_q(field_name, self.region))

    def within(self, queryset, field_name: str):
        return queryset.filter(**{f"{field_name}__gte": self.start, f"{field_name}__lte": self.end})

    def link(self, name: str, *args, dated: bool = True, **params) -> str:
        query = {"region": self.region, **params}
        if dated:
            query |= {"start": self.start.isoformat(), "end": self.end.isoformat()}
        return f"{reverse(name, args=args)}?{urlencode(query)}"


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    unit: str
    compute: Callable[[Context], Decimal | int | float | None]
    link: Callable[[Context], str]
    approx: bool = False
    percent: bool = False
    # 累计: counted from the campaign's start (settings.CAMPAIGN_START) to the period's end, not within the period.
    cumulative: bool = False
    # What the briefing says instead of the sentence holding this figure when it is 0 (e.g. no contract yet).
    when_zero: str = ""


@dataclass
class Figure:
    key: str
    label: str
    value: Decimal | int | float | None
    unit: str
    text: str  # as it reads in the briefing, with its unit: "52.58万平方米"
    number: str  # the number alone: "52.58万"
    link: str

    def as_dict(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        return {"key": self.key, "label": self.label, "value": value, "unit": self.unit, "text": self.text,
                "number": self.number, "link": self.link}


# -- the computations ----------------------------------------------------------------------------------------
def _ledger(ctx: Context, slug: str, dated: bool = True, **params) -> str:
    return ctx.link("ledger-list", slug, dated=dated, **params)


def _compounds(ctx):
    from civicgrid.territory.models import Place

    return ctx.scoped(Place.objects.filter(kind__slug="compound")).count()


def _assets(kind: str):
    def compute(ctx):
        from civicgrid.ledgers.models import PublicityAsset

        assets = ctx.within(ctx.scoped(PublicityAsset.objects.filter(kind=kind, place__kind__slug="compound")),
                            "installed_on")
        return assets.aggregate(n=Sum("count"))["n"] or 0

    return compute


def _events(ctx):
    from civicgrid.ledgers.models import MobilisationEvent

    return ctx.within(ctx.scoped(MobilisationEvent.objects), "date")


def _mobilised(ctx):
    totals = _events(ctx).aggregate(n=Sum(F("volunteers") + F("community_workers") + F("officials") + F("students")))
    return totals["n"] or 0


def _materials(ctx):
    from civicgrid.ledgers.models import Material

    materials = ctx.within(ctx.scoped(Material.objects, "event__region_code"), "event__date")
    return materials.aggregate(n=Sum("count"))["n"] or 0


def _online_views(ctx):
    return _events(ctx).aggregate(n=Sum("online_views"))["n"] or 0


def _renovations(ctx):
    from civicgrid.ledgers.models import Renovation

    return ctx.within(ctx.scoped(Renovation.objects), "started_on")


def _markets_renovated(ctx):
    return _renovations(ctx).values("market").distinct().count()


def _testing_rooms(ctx):
    from civicgrid.ledgers.models import Market

    return ctx.scoped(Market.objects.filter(testing_room=True)).count()


def _funds(*sources):
    def compute(ctx):
        from civicgrid.ledgers.models import Funding

        funding = ctx.within(ctx.scoped(Funding.objects.filter(source__in=sources)), "received_on")
        return funding.aggregate(n=Sum("amount"))["n"] or Decimal(0)

    return compute


def _small_businesses(ctx):
    from civicgrid.ledgers.models import SmallBusiness

    return ctx.scoped(SmallBusiness.objects).count()


def _letters_signed(ctx):
    from civicgrid.ledgers.models import SmallBusiness

    return ctx.scoped(SmallBusiness.objects.filter(letter_signed_on__lte=ctx.end)).count()


def _health(kind: str):
    def compute(ctx):
        from civicgrid.ledgers.models import HealthService

        services = ctx.within(ctx.scoped(HealthService.objects.filter(kind=kind)), "date")
        return services.aggregate(n=Sum("count"))["n"] or 0

    return compute


def _operations(ctx, kinds=()):
    from civicgrid.ledgers.models import Operation

    operations = ctx.within(ctx.scoped(Operation.objects), "date")
    return operations.filter(kind__in=kinds) if kinds else operations


def _quantity(work_kind: str, kinds=()):
    def compute(ctx):
        from civicgrid.ledgers.models import Quantity

        quantities = Quantity.objects.filter(operation__in=_operations(ctx, kinds), kind__slug=work_kind)
        return quantities.aggregate(n=Sum("amount"))["n"] or Decimal(0)

    return compute


def _places_of_operations(work_kind: str, kinds=()):
    def compute(ctx):
        from civicgrid.territory.models import Place

        operations = _operations(ctx, kinds).filter(quantities__kind__slug=work_kind)
        # The briefing speaks of 老旧小区: the compounds the office marked old (Place.is_old_compound).
        return Place.objects.filter(operations__in=operations, kind__slug="compound",
                                    is_old_compound=True).distinct().count()

    return compute


def _inspections(ctx, kinds):
    from civicgrid.inspections.models import Inspection
    from civicgrid.workcal.periods import period_bounds

    begin, finish = period_bounds(ctx.start, ctx.end)
    return ctx.scoped(Inspection.objects.between(begin, finish).filter(kind__in=kinds))


def _contracted(what: str):
    def compute(ctx):
        from civicgrid.organizations.models import Contract

        contracts = Contract.objects.active_on(ctx.end).filter(region__level="street")
        contracts = ctx.scoped(contracts)
        if what == "leaders":
            return contracts.filter(person__isnull=False).values("person").distinct().count()
        return contracts.filter(person__isnull=False).values("region").distinct().count()

    return compute


def _departments(ctx):
    from civicgrid.organizations.models import Unit

    return Unit.objects.filter(kind="department").count()


def _cases(ctx):
    from civicgrid.cases.models import Case
    from civicgrid.workcal.periods import period_bounds

    begin, finish = period_bounds(ctx.start, ctx.end)
    return ctx.scoped(Case.objects).filter(reported_at__gte=begin, reported_at__lt=finish)


def _cases_closed(ctx):
    return _cases(ctx).filter(state="closed").count()


def _on_time_closure(ctx):
    """The evaluation's 按期结案率 (cases.indicators), not a rate of its own: closed on time / due to close (应结案)
    in the period."""
    from civicgrid.cases.indicators import cases_behind
    from civicgrid.cases.models import Case
    from civicgrid.workcal.periods import period_bounds

    begin, finish = period_bounds(ctx.start, ctx.end)
    counts = ctx.scoped(Case.objects).aggregate(
        due=Count("id", filter=cases_behind("on_time_closure_rate", "denominator", begin, finish)),
        on_time=Count("id", filter=cases_behind("on_time_closure_rate", "numerator", begin, finish)))
    return Decimal(counts["on_time"]) / counts["due"] if counts["due"] else None


def _reported_in_period(ctx) -> dict:
    """The case list's filter for the period's reports (local days start..end)."""
    from civicgrid.workcal.periods import period_bounds

    begin, finish = period_bounds(ctx.start, ctx.end)
    return {"created_after": begin.isoformat(), "created_before": finish.isoformat()}


CLEANUP = ("cleanup", "joint_enforcement")
WORKS = ("renovation",)

DEFINITIONS: list[Definition] = [
    # Supervision and coverage
    Definition("leaders_contracted", gettext_noop("包保区级领导"), "名", _contracted("leaders"),
               lambda c: c.link("contracts", dated=False), when_zero="本期尚无区级领导包保街道办事处"),
    Definition("streets_contracted", gettext_noop("包保街道"), "个", _contracted("streets"), lambda c: c.link("contracts", dated=False)),
    Definition("departments", gettext_noop("职能部门"), "个", _departments, lambda c: c.link("contracts", dated=False)),
    Definition("morning_night_checks", gettext_noop("晨检夜查"), "次", lambda c: _inspections(c, ("morning", "night")).count(),
               lambda c: c.link("inspection-list", dated=False)),
    Definition("undercover_points", gettext_noop("暗访点位"), "个",
               lambda c: _inspections(c, ("undercover",)).values("place").distinct().count(),
               lambda c: c.link("inspection-list", dated=False, kind="undercover")),
    # Publicity and mobilisation
    Definition("compounds", gettext_noop("小区"), "个", _compounds, lambda c: c.link("places", dated=False, kind="compound")),
    Definition("bulletin_columns", gettext_noop("社区宣传栏"), "个", _assets("column"),
               lambda c: _ledger(c, "publicity", kind="column"), cumulative=True),
    Definition("publicity_boards", gettext_noop("宣传板"), "个", _assets("board"), lambda c: _ledger(c, "publicity", kind="board"), cumulative=True),
    Definition("mobilised_people", gettext_noop("动员人数"), "人", _mobilised, lambda c: _ledger(c, "mobilisation"), approx=True, cumulative=True),
    Definition("materials_distributed", gettext_noop("发放宣传材料"), "份", _materials, lambda c: _ledger(c, "materials"), cumulative=True),
    Definition("online_views", gettext_noop("网络浏览量"), "次", _online_views, lambda c: _ledger(c, "mobilisation"), cumulative=True),
    # Long-term mechanisms
    Definition("markets_renovated", gettext_noop("升级改造农贸市场"), "家", _markets_renovated, lambda c: _ledger(c, "renovations")),
    Definition("markets_with_testing_room", gettext_noop("设置快检室的市场"), "家", _testing_rooms,
               lambda c: _ledger(c, "markets", dated=False)),
    Definition("operator_funds", gettext_noop("经营主体出资"), "元", _funds("operator"), lambda c: _ledger(c, "funding")),
    Definition("award_funds", gettext_noop("市区两级以奖代补"), "元", _funds("city_award", "district_award"),
               lambda c: _ledger(c, "funding")),
    Definition("small_businesses", gettext_noop("八小经营户"), "家", _small_businesses,
               lambda c: _ledger(c, "small-businesses", dated=False)),
    Definition("letters_signed", gettext_noop("签订责任状"), "家", _letters_signed,
               lambda c: _ledger(c, "small-businesses", dated=False)),
    Definition("health_certificates", gettext_noop("办理健康证"), "个", _health("certificate_drive"),
               lambda c: _ledger(c, "health", kind="certificate_drive"), approx=True),
    Definition("handouts", gettext_noop("配发物品"), "个", _health("handout"), lambda c: _ledger(c, "health", kind="handout"),
               approx=True),
    # Old compounds
    Definition("bins_delivered", gettext_noop("配发垃圾桶"), "个", _quantity("bins_delivered"),
               lambda c: _ledger(c, "operations", work_kind="bins_delivered")),
    Definition("bins_compounds", gettext_noop("配发垃圾桶的小区"), "个", _places_of_operations("bins_delivered"),
               lambda c: _ledger(c, "operations", work_kind="bins_delivered")),
    Definition("cleanup_compounds", gettext_noop("清理整治小区"), "个", _places_of_operations("person_times", CLEANUP),
               lambda c: _ledger(c, "operations", kind="cleanup")),
    *[Definition(slug, name, unit, _quantity(slug, CLEANUP), lambda c, s=slug: _ledger(c, "operations", work_kind=s),
                 approx=slug == "vehicle_trips")
      for slug, name, unit in (("person_times", gettext_noop("出动人次"), "人次"), ("vehicle_trips", gettext_noop("出动车辆"), "台"),
                               ("garbage", gettext_noop("清理垃圾"), "立方米"), ("debris_piles", gettext_noop("清理杂物堆"), "处"),
                               ("small_posters", gettext_noop("清理小招贴"), "处"), ("weeds", gettext_noop("平整杂草"), "平方米"),
                               ("illegal_plots", gettext_noop("清理小开荒"), "处"), ("abandoned_vehicles", gettext_noop("清理僵尸车辆"), "辆"))],
    *[Definition(slug, name, unit, _quantity(slug, WORKS), lambda c, s=slug: _ledger(c, "operations", work_kind=s))
      for slug, name, unit in (("roads_repaired", gettext_noop("路面修补小区"), "个"), ("replanted", gettext_noop("绿化补植小区"), "个"),
                               ("streets_upgraded", gettext_noop("提升改造街路"), "条"), ("facades", gettext_noop("外立面修补"), "平方米"))],
    # Demolitions
    Definition("demolished", gettext_noop("拆除违建"), "处", _quantity("demolished"),
               lambda c: _ledger(c, "operations", work_kind="demolished"), cumulative=True),
    Definition("demolished_area", gettext_noop("拆除违建面积"), "平方米", _quantity("demolished_area"),
               lambda c: _ledger(c, "operations", work_kind="demolished_area"), cumulative=True),
    # Cases
    Definition("cases_reported", gettext_noop("受理问题"), "件", lambda c: _cases(c).count(),
               lambda c: c.link("case-list", dated=False, **_reported_in_period(c))),
    Definition("cases_closed", gettext_noop("结案"), "件", _cases_closed,
               lambda c: c.link("case-list", dated=False, state="closed", **_reported_in_period(c))),
    Definition("on_time_closure_rate", gettext_noop("按期结案率"), "", _on_time_closure,
               lambda c: c.link("case-list", indicator="on_time_closure_rate", part="numerator"), percent=True),
]
BY_KEY = {d.key: d for d in DEFINITIONS}
# The Chinese name a briefing's text uses for each figure: `{{包保区领导人数}}`. The English keys stay valid (the
# API and older drafts use them); a name says which number it is, where the label only names the subject.
PLACEHOLDER_NAMES = {
    "leaders_contracted": "包保区领导人数", "streets_contracted": "包保街道数", "departments": "职能部门数",
    "morning_night_checks": "晨检夜查次数", "undercover_points": "暗访点位数", "compounds": "小区数",
    "bulletin_columns": "社区宣传栏数", "publicity_boards": "宣传板数", "mobilised_people": "动员人数",
    "materials_distributed": "发放宣传材料数", "online_views": "网络浏览量",
    "markets_renovated": "升级改造农贸市场数", "markets_with_testing_room": "设快检室市场数",
    "operator_funds": "经营主体出资额", "award_funds": "以奖代补资金", "small_businesses": "八小经营户数",
    "letters_signed": "签订责任状户数", "health_certificates": "办理健康证数", "handouts": "配发物品数",
    "bins_delivered": "配发垃圾桶数", "bins_compounds": "配发垃圾桶小区数", "cleanup_compounds": "清理整治小区数",
    "person_times": "出动人次", "vehicle_trips": "出动车辆台次", "garbage": "清理垃圾量",
    "debris_piles": "清理杂物堆数", "small_posters": "清理小招贴数", "weeds": "平整杂草面积",
    "illegal_plots": "清理小开荒数", "abandoned_vehicles": "清理僵尸车辆数", "roads_repaired": "路面修补小区数",
    "replanted": "绿化补植小区数", "streets_upgraded": "提升改造街路数", "facades": "外立面修补面积",
    "demolished": "拆除违建处数", "demolished_area": "拆除违建面积", "cases_reported": "受理问题数",
    "cases_closed": "结案数", "on_time_closure_rate": "按期结案率",
}
BY_NAME = {name: key for key, name in PLACEHOLDER_NAMES.items()}


def figure(definition: Definition, ctx: Context) -> Figure:
    if definition.cumulative:
        ctx = Context(ctx.user, ctx.region, min(settings.CAMPAIGN_START, ctx.start), ctx.end)
    value = definition.compute(ctx)
    if value is None:
        number = "—"
    elif definition.percent:
        number = cn_percent(value)
    else:
        number = cn_number(value, approx=definition.approx, counted=definition.unit in COUNTED_UNITS)
    return Figure(definition.key, definition.label, value, definition.unit, number + definition.unit, number,
                  definition.link(ctx))


def compute(user, region: str, start: dt.date, end: dt.date, keys=None) -> dict[str, Figure]:
    """Every figure (or those of `keys`) for the region and period, as the user may see them."""
    ctx = Context(user, region, start, end)
    wanted = DEFINITIONS if keys is None else [BY_KEY[k] for k in keys if k in BY_KEY]
    return {d.key: figure(d, ctx) for d in wanted}
