"""Each ledger declared once: its Excel columns (Chinese headers), how a row becomes a record (references by
code or exact name, a natural key so a re-import updates instead of duplicating), and how records export.

The import itself (civicgrid.ledgers.services.import_ledger) is the same for all of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civicgrid.core import excel
from civicgrid.ledgers import models as m
from civicgrid.organizations.models import Unit
from civicgrid.territory.models import Place, PlaceCategory, Region

Column = excel.Column


class RowError(Exception):
    """One or more cells of a row refer to something that does not exist (column → reason)."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


# -- cell parsers (text in, clean value out; ValueError with a reason) -------------------------------------
# Each numeric column's range: wide enough for any real district, narrow enough that a typo is caught.
AREA_M2 = excel.bounded_decimal(1_000_000)  # a shop's or a market's floor area
YUAN = excel.bounded_decimal(10_000_000_000)  # a budget or a transfer (100亿元)
AMOUNT_LIMIT = 1_000_000_000
AMOUNT = excel.bounded_decimal(AMOUNT_LIMIT)  # an operation's quantity (people, tonnes, m², items)
PEOPLE = excel.bounded_count(10_000_000)  # people mobilised for one event
ITEMS = excel.bounded_count(1_000_000)  # stalls, boards, leaflets, services
VIEWS = excel.bounded_count(2_000_000_000)  # online views of one event (the column's own limit)


_PERCENT = excel.bounded_count(100)


def percent(value) -> int:
    return _PERCENT(str(value).strip().rstrip("%"))


def labels(choices) -> dict[str, str]:
    """Chinese labels (and the codes themselves) of a TextChoices."""
    return {str(label): value for value, label in choices.choices} | {value: value for value in choices.values}


def split_list(value) -> list[str]:
    raw = excel.text(value)
    for separator in ("，", "、", ";", "；", "\n"):
        raw = raw.replace(separator, ",")
    return [part.strip() for part in raw.split(",") if part.strip()]


# -- references ----------------------------------------------------------------------------------------------
class References:
    """Places, units and regions by code or exact name, loaded once per import."""

    def __init__(self):
        self._places = None
        self._units = None
        self._regions = None
        self._lookups: dict[str, dict] = {}

    @staticmethod
    def _index(rows) -> tuple[dict, dict]:
        by_code, by_name = {}, defaultdict(list)
        for obj in rows:
            by_code[obj.code] = obj
            by_name[obj.name].append(obj)
        return by_code, by_name

    def place(self, value: str, kinds: tuple[str, ...] = ()) -> Place:
        if self._places is None:
            self._places = self._index(Place.objects.select_related("kind").only(
                "id", "code", "name", "region_code", "kind__slug", "chief_id"))
        return self._lookup(self._places, value, pgettext("lookup", "点位"), lambda p: not kinds or p.kind.slug in kinds)

    def unit(self, value: str) -> Unit:
        if self._units is None:
            self._units = self._index(Unit.objects.only("id", "code", "name"))
        return self._lookup(self._units, value, pgettext("lookup", "单位"))

    def _table(self, name: str, load):
        """A lookup table loaded on first use (once per import, not once per row)."""
        if name not in self._lookups:
            self._lookups[name] = load()
        return self._lookups[name]

    def category(self, value: str) -> PlaceCategory:
        shop = self._table("categories", lambda: {key: c for c in PlaceCategory.objects.filter(kind__slug="shop")
                                                  for key in (c.name, c.slug)})
        if value not in shop:
            names = "、".join(sorted({c.name for c in shop.values()}))
            raise ValueError(_("“%(value)s”不在行业分类字典中（%(names)s）") % {"value": value, "names": names})
        return shop[value]

    def business(self, licence: str) -> m.SmallBusiness:
        businesses = self._table("businesses", lambda: {
            b.licence_number: b for b in m.SmallBusiness.objects.only("id", "licence_number", "region_code")})
        if licence not in businesses:
            raise ValueError(_("没有营业执照号为“%s”的八小经营户") % licence)
        return businesses[licence]

    def market(self, value: str) -> m.Market:
        place = self.place(value, ("market",))
        markets = self._table("markets", lambda: {k.place_id: k for k in m.Market.objects.all()})
        if place.pk not in markets:
            raise ValueError(_("“%s”尚未列入农贸市场台账") % value)
        return markets[place.pk]

    def renovation(self, market: m.Market, name: str) -> m.Renovation:
        renovations = self._table("renovations", lambda: {(r.market_id, r.name): r for r in m.Renovation.objects.all()})
        if (market.pk, name) not in renovations:
            raise ValueError(_("“%s”不是该市场的改造项目") % name)
        return renovations[(market.pk, name)]

    def event(self, date, title: str, region: str) -> m.MobilisationEvent:
        events = self._table("events", lambda: {(e.date, e.title, e.region_code): e
                                                for e in m.MobilisationEvent.objects.all()})
        if (date, title, region) not in events:
            raise ValueError(_("没有该日期、名称和区域的动员活动"))
        return events[(date, title, region)]

    def work_kind(self, value: str) -> m.WorkKind:
        kinds = self._table("work_kinds", lambda: {key: k for k in m.WorkKind.objects.all() for key in (k.name, k.slug)})
        if value not in kinds:
            raise ValueError(_("“%s”不在工作类别字典中") % value)
        return kinds[value]

    def region(self, code: str) -> Region:
        if self._regions is None:
            self._regions = {r.code: r for r in Region.objects.only("id", "code", "name", "level")}
        if code not in self._regions:
            raise ValueError(_("没有代码为“%s”的区域") % code)
        return self._regions[code]

    @staticmethod
    def _lookup(index, value: str, what: str, accept=lambda obj: True):
        by_code, by_name = index
        value = value.strip()
        found = by_code.get(value)
        if found is None:
            named = [o for o in by_name.get(value, []) if accept(o)]
            if len(named) > 1:
                raise ValueError(_("有 %(count)d 个%(what)s名为“%(value)s”：请填写代码") % {
                    "count": len(named), "what": what, "value": value})
            found = named[0] if named else None
        if found is None or not accept(found):
            raise ValueError(_("没有代码或名称为“%(value)s”的%(what)s") % {"value": value, "what": what})
        return found


def attempt(problems: dict[str, str], column: str, lookup, *args):
    """Call `lookup(*args)`; a ValueError becomes the problem of `column` (and None is returned)."""
    try:
        return lookup(*args)
    except ValueError as exc:
        problems[column] = str(exc)
        return None


@dataclass
class Record:
    """A row turned into model values, with its natural key and the region it belongs to."""

    key: tuple
    region_code: str
    values: dict
    extra: dict = field(default_factory=dict)  # what the spec saves itself (m2m, child rows)
    row: int = 0


class LedgerSpec:
    """A ledger: columns, row → Record, save, export. Subclasses fill in the blanks."""

    slug: str
    title: str
    model: type[models.Model]
    columns: list[Column]
    key_fields: tuple[str, ...]
    date_field: str | None = None  # the date the period filter applies to (None: a registry, not dated)
    region_field = "region_code"  # where a record's region is (materials: their event's)
    rows_per_record = False  # True: several rows of a file make one record (an operation's quantities)

    def resolve(self, row: dict, refs: References) -> Record:
        raise NotImplementedError

    def place_code(self, obj) -> str | None:
        """The place a record is about (its inspections and cases are one click away), if any."""
        place = getattr(obj, "place", None)
        return place.code if place is not None else None

    def queryset(self):
        return self.model.objects.all()

    def export_row(self, obj) -> Iterable[object]:
        raise NotImplementedError

    def export_rows(self, obj) -> Iterable[Iterable[object]]:
        """A record as rows of the template (one, unless the ledger spreads a record over several)."""
        return [self.export_row(obj)]

    def save(self, records: list[Record], within) -> tuple[int, int]:
        """Upsert by natural key in bulk, matching existing rows only `within` the importer's scope;
        returns (created, updated)."""
        created, updated, _objects = upsert(within, records, self.key_fields)
        return created, updated

    def merge(self, records: list[Record]) -> tuple[list[Record], list[excel.RowProblem]]:
        """The records to write — one per row, unless the ledger spreads a record over several rows — and
        the problems found in combining them."""
        return records, []


def existing_by_key(queryset, records: list[Record], key_fields: tuple[str, ...]) -> dict[tuple, models.Model]:
    """The rows of `queryset` that the records' natural keys name, by key."""
    first = key_fields[0]
    wanted = list({r.values[first] for r in records})
    existing = {}
    for start in range(0, len(wanted), 900):  # SQLite's parameter limit
        for obj in queryset.filter(**{f"{first}__in": wanted[start:start + 900]}):
            existing[tuple(getattr(obj, f) for f in key_fields)] = obj
    return existing


def upsert(queryset, records: list[Record], key_fields: tuple[str, ...]) -> tuple[int, int, dict]:
    """Create or update rows from records in a few statements; returns (created, updated, key → obj).

    Existing rows are read through `queryset` — the importer's scope — so a record of another street is
    never matched and moved (the import reports such keys as row problems before it writes anything).
    A row whose values are already stored is left alone, so re-importing a file writes nothing.
    """
    model = queryset.model
    existing = existing_by_key(queryset, records, key_fields)
    now = timezone.now()
    own_region = any(f.name == "region_code" for f in model._meta.concrete_fields)
    stamped = any(f.name == "updated_at" for f in model._meta.concrete_fields)
    new, changed, fields = [], {}, set()
    for record in records:
        values = {**record.values, "region_code": record.region_code} if own_region else record.values
        obj = existing.get(record.key)
        if obj is None:
            obj = model(**values)
            new.append(obj)
            existing[record.key] = obj
            continue
        differing = [name for name, value in values.items() if not _same(getattr(obj, name), value)]
        if not differing or obj.pk is None:
            continue
        for name in differing:
            setattr(obj, name, values[name])
        obj.updated_at = now
        changed[obj.pk] = obj
        fields.update(differing)
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        # Only the columns that changed, in small batches: each batch is one UPDATE with a CASE per column,
        # which SQLite evaluates row by row.
        model.objects.bulk_update(list(changed.values()), [*sorted(fields), *(["updated_at"] if stamped else [])],
                                  batch_size=100)
    return len(new), len(changed), existing


def _same(stored, incoming) -> bool:
    if isinstance(stored, Decimal) or isinstance(incoming, Decimal):
        return stored is not None and incoming is not None and Decimal(stored) == Decimal(incoming)
    return stored == incoming


# -- the ledgers ---------------------------------------------------------------------------------------------
PLACE = "店铺编码或名称"


class SmallBusinesses(LedgerSpec):
    slug, title, model = "small-businesses", "八小经营户", m.SmallBusiness
    key_fields = ("licence_number",)
    columns = [
        Column(PLACE, "place", excel.text), Column("行业分类", "category", excel.text),
        Column("名称", "name", excel.text), Column("营业执照号", "licence_number", excel.text),
        Column("许可类型", "permit_kind", excel.choice(labels(m.PermitKind)), required=False),
        Column("许可证号", "permit_number", excel.text, required=False),
        Column("许可证有效期至", "permit_expires_on", excel.date, required=False),
        Column("经营面积（平方米）", "floor_area", AREA_M2, required=False),
        Column("责任状签订日期", "letter_signed_on", excel.date, required=False),
        Column("防蝇防鼠设施齐全", "vector_control", excel.yes_no, required=False),
        Column("整改状态", "rectification", excel.choice(labels(m.Rectification)), required=False),
        Column("备注", "note", excel.text, required=False),
    ]

    def resolve(self, row, refs):
        problems = {}
        place = attempt(problems, PLACE, refs.place, row["place"], ("shop",))
        category = attempt(problems, "行业分类", refs.category, row["category"])
        if problems:
            raise RowError(problems)
        values = {"place_id": place.pk, "category_id": category.pk, "name": row["name"],
                  "licence_number": row["licence_number"], "permit_kind": row["permit_kind"] or m.PermitKind.NONE,
                  "permit_number": row["permit_number"] or "", "permit_expires_on": row["permit_expires_on"],
                  "floor_area": row["floor_area"], "letter_signed_on": row["letter_signed_on"],
                  "vector_control": bool(row["vector_control"]),
                  "rectification": row["rectification"] or m.Rectification.NONE, "note": row["note"] or ""}
        return Record((row["licence_number"],), place.region_code, values)

    def queryset(self):
        return self.model.objects.select_related("place", "category")

    def export_row(self, b):
        return (b.place.code, b.category.name, b.name, b.licence_number, b.get_permit_kind_display(),
                b.permit_number, b.permit_expires_on, b.floor_area, b.letter_signed_on,
                "是" if b.vector_control else "否", b.get_rectification_display(), b.note)


class Staff(LedgerSpec):
    slug, title, model = "staff", "从业人员健康证", m.StaffMember
    key_fields = ("business_id", "name")
    columns = [Column("营业执照号", "licence", excel.text), Column("姓名", "name", excel.text),
               Column("健康证号", "certificate_number", excel.text, required=False),
               Column("健康证有效期至", "certificate_expires_on", excel.date, required=False)]

    def resolve(self, row, refs):
        problems = {}
        business = attempt(problems, "营业执照号", refs.business, row["licence"])
        if problems:
            raise RowError(problems)
        values = {"business_id": business.pk, "name": row["name"],
                  "certificate_number": row["certificate_number"] or "",
                  "certificate_expires_on": row["certificate_expires_on"]}
        return Record((business.pk, row["name"]), business.region_code, values)

    def queryset(self):
        return self.model.objects.select_related("business")

    def export_row(self, s):
        return (s.business.licence_number, s.name, s.certificate_number, s.certificate_expires_on)


MARKET = "市场编码或名称"


class Markets(LedgerSpec):
    slug, title, model = "markets", "农贸市场", m.Market
    key_fields = ("place_id",)
    columns = [Column(MARKET, "place", excel.text), Column("经营主体", "operator", excel.text, required=False),
               Column("面积（平方米）", "area", AREA_M2, required=False),
               Column("摊位数", "stalls", ITEMS, required=False),
               Column("经营分区", "zones", excel.text, required=False),
               Column("食品快检室", "testing_room", excel.yes_no, required=False)]

    def resolve(self, row, refs):
        problems = {}
        place = attempt(problems, MARKET, refs.place, row["place"], ("market",))
        operator = attempt(problems, "经营主体", refs.unit, row["operator"]) if row["operator"] else None
        if problems:
            raise RowError(problems)
        values = {"place_id": place.pk, "operator_id": operator.pk if operator else None, "area": row["area"],
                  "stalls": row["stalls"], "zones": row["zones"] or "", "testing_room": bool(row["testing_room"])}
        return Record((place.pk,), place.region_code, values)

    def queryset(self):
        return self.model.objects.select_related("place", "operator")

    def export_row(self, k):
        return (k.place.code, k.operator.code if k.operator else "", k.area, k.stalls, k.zones,
                "是" if k.testing_room else "否")


class Renovations(LedgerSpec):
    slug, title, model = "renovations", "市场改造项目", m.Renovation
    key_fields = ("market_id", "name")
    date_field = "started_on"
    columns = [Column(MARKET, "market", excel.text), Column("项目名称", "name", excel.text),
               Column("预算（元）", "budget", YUAN, required=False),
               Column("开工日期", "started_on", excel.date, required=False),
               Column("进度（%）", "progress", percent, required=False),
               Column("节点", "milestones", excel.text, required=False),
               Column("验收日期", "accepted_on", excel.date, required=False)]

    def resolve(self, row, refs):
        problems = {}
        market = attempt(problems, MARKET, refs.market, row["market"])
        if problems:
            raise RowError(problems)
        values = {"market_id": market.pk, "name": row["name"], "budget": row["budget"] or 0,
                  "started_on": row["started_on"], "progress": row["progress"] or 0,
                  "milestones": row["milestones"] or "", "accepted_on": row["accepted_on"]}
        return Record((market.pk, row["name"]), market.region_code, values)

    def queryset(self):
        return self.model.objects.select_related("market__place")

    def export_row(self, r):
        return (r.market.place.code, r.name, r.budget, r.started_on, r.progress, r.milestones, r.accepted_on)


class Fundings(LedgerSpec):
    slug, title, model = "funding", "改造资金", m.Funding
    key_fields = ("renovation_id", "source", "received_on")
    date_field = "received_on"
    columns = [Column(MARKET, "market", excel.text), Column("项目名称", "project", excel.text),
               Column("资金来源", "source", excel.choice(labels(m.FundingSource))),
               Column("金额（元）", "amount", YUAN), Column("到位日期", "received_on", excel.date)]

    def resolve(self, row, refs):
        problems = {}
        market = attempt(problems, MARKET, refs.market, row["market"])
        renovation = attempt(problems, "项目名称", refs.renovation, market, row["project"]) if market else None
        if problems:
            raise RowError(problems)
        values = {"renovation_id": renovation.pk, "source": row["source"], "amount": row["amount"],
                  "received_on": row["received_on"]}
        return Record((renovation.pk, row["source"], row["received_on"]), market.region_code, values)

    def queryset(self):
        return self.model.objects.select_related("renovation__market__place")

    def export_row(self, f):
        return (f.renovation.market.place.code, f.renovation.name, f.get_source_display(), f.amount, f.received_on)


REGION = "区域代码"


class Operations(LedgerSpec):
    """One row per quantity; rows with the same date, name and region are one operation."""

    slug, title, model = "operations", "整治行动", m.Operation
    key_fields = ("date", "title", "region_code")
    date_field = "date"
    rows_per_record = True
    columns = [Column("日期", "date", excel.date), Column("名称", "title", excel.text),
               Column("类型", "kind", excel.choice(labels(m.OperationKind))), Column(REGION, "region", excel.text),
               Column("涉及点位", "places", split_list, required=False),
               Column("参与单位", "units", split_list, required=False),
               Column("工作量类型", "work_kind", excel.text), Column("数量", "amount", AMOUNT),
               Column("备注", "note", excel.text, required=False)]

    def resolve(self, row, refs):
        problems = {}
        region = attempt(problems, REGION, refs.region, row["region"])
        places = [attempt(problems, "涉及点位", refs.place, name) for name in row["places"] or []]
        units = [attempt(problems, "参与单位", refs.unit, name) for name in row["units"] or []]
        kind = attempt(problems, "工作量类型", refs.work_kind, row["work_kind"])
        if problems:
            raise RowError(problems)
        values = {"date": row["date"], "title": row["title"], "kind": row["kind"], "note": row["note"] or ""}
        return Record((row["date"], row["title"], region.code), region.code, values,
                      extra={"places": places, "units": units, "quantity": (kind, row["amount"])})

    def merge(self, records):
        # Rows of one operation are its parts: places and units add up, and so do two rows of the same
        # quantity kind (3 + 2 demolitions are 5). A re-import replaces the stored amounts with the file's.
        merged: dict[tuple, Record] = {}
        problems = []
        for record in records:
            kept = merged.setdefault(record.key, Record(record.key, record.region_code, dict(record.values),
                                                        {"places": [], "units": [], "quantities": {}},
                                                        row=record.row))
            kind, amount = record.extra["quantity"]
            total = kept.extra["quantities"].get(kind.pk, 0) + amount
            if total > AMOUNT_LIMIT:  # the row is refused; its parts are not added
                problems.append(excel.RowProblem(record.row, "数量", _(
                    "同一行动的“%(kind)s”合计 %(total)s，超出范围（0～%(max)s）") % {
                    "kind": kind.name, "total": f"{total:,}", "max": f"{AMOUNT_LIMIT:,}"}))
                continue
            kept.extra["quantities"][kind.pk] = total
            kept.extra["places"] += record.extra["places"]
            kept.extra["units"] += record.extra["units"]
        return list(merged.values()), problems

    def save(self, records, within):
        created, updated, objects = upsert(within, records, self.key_fields)
        merged = {record.key: record for record in records}
        quantities = [m.Quantity(operation=objects[key], kind_id=kind_id, amount=amount)
                      for key, record in merged.items() for kind_id, amount in record.extra["quantities"].items()]
        m.Quantity.objects.bulk_create(quantities, update_conflicts=True, unique_fields=["operation", "kind"],
                                       update_fields=["amount"], batch_size=500)
        for key, record in merged.items():
            if record.extra["places"]:
                objects[key].places.add(*record.extra["places"])
            if record.extra["units"]:
                objects[key].units.add(*record.extra["units"])
        return created, updated

    def queryset(self):
        return self.model.objects.prefetch_related("quantities__kind", "places", "units")

    def export_rows(self, operation):
        places = "、".join(p.code for p in operation.places.all())
        units = "、".join(u.code for u in operation.units.all())
        for quantity in operation.quantities.all():
            yield (operation.date, operation.title, operation.get_kind_display(), operation.region_code, places,
                   units, quantity.kind.name, quantity.amount, operation.note)


ASSET_PLACE = "点位编码或名称"


class Publicity(LedgerSpec):
    slug, title, model = "publicity", "宣传设施", m.PublicityAsset
    key_fields = ("place_id", "kind", "installed_on")
    date_field = "installed_on"
    columns = [Column(ASSET_PLACE, "place", excel.text), Column("类型", "kind", excel.choice(labels(m.AssetKind))),
               Column("数量", "count", ITEMS), Column("设置日期", "installed_on", excel.date)]

    def resolve(self, row, refs):
        problems = {}
        place = attempt(problems, ASSET_PLACE, refs.place, row["place"])
        if problems:
            raise RowError(problems)
        values = {"place_id": place.pk, "kind": row["kind"], "count": row["count"], "installed_on": row["installed_on"]}
        return Record((place.pk, row["kind"], row["installed_on"]), place.region_code, values)

    def queryset(self):
        return self.model.objects.select_related("place")

    def export_row(self, a):
        return (a.place.code, a.get_kind_display(), a.count, a.installed_on)


class Mobilisation(LedgerSpec):
    slug, title, model = "mobilisation", "宣传动员", m.MobilisationEvent
    key_fields = ("date", "title", "region_code")
    date_field = "date"
    columns = [Column("日期", "date", excel.date), Column("名称", "title", excel.text),
               Column("类型", "kind", excel.choice(labels(m.MobilisationKind))), Column(REGION, "region", excel.text),
               Column("组织单位", "organiser", excel.text, required=False),
               Column("志愿者", "volunteers", PEOPLE, required=False),
               Column("社区工作者", "community_workers", PEOPLE, required=False),
               Column("机关干部", "officials", PEOPLE, required=False), Column("学生", "students", PEOPLE, required=False),
               Column("网络浏览量", "online_views", VIEWS, required=False)]

    def resolve(self, row, refs):
        problems = {}
        region = attempt(problems, REGION, refs.region, row["region"])
        if problems:
            raise RowError(problems)
        values = {"date": row["date"], "title": row["title"], "kind": row["kind"], "organiser": row["organiser"] or "",
                  **{k: row[k] or 0 for k in ("volunteers", "community_workers", "officials", "students",
                                              "online_views")}}
        return Record((row["date"], row["title"], region.code), region.code, values)

    def export_row(self, e):
        return (e.date, e.title, e.get_kind_display(), e.region_code, e.organiser, e.volunteers, e.community_workers,
                e.officials, e.students, e.online_views)


class Materials(LedgerSpec):
    slug, title, model = "materials", "宣传材料", m.Material
    key_fields = ("event_id", "name")
    date_field = "event__date"
    region_field = "event__region_code"  # a material's region is its event's
    columns = [Column("活动日期", "date", excel.date), Column("活动名称", "title", excel.text),
               Column(REGION, "region", excel.text), Column("材料", "name", excel.text), Column("数量", "count", ITEMS)]

    def resolve(self, row, refs):
        problems = {}
        event = attempt(problems, "活动名称", refs.event, row["date"], row["title"], row["region"])
        if problems:
            raise RowError(problems)
        return Record((event.pk, row["name"]), event.region_code,
                      {"event_id": event.pk, "name": row["name"], "count": row["count"]})

    def queryset(self):
        return self.model.objects.select_related("event")

    def export_row(self, x):
        return (x.event.date, x.event.title, x.event.region_code, x.name, x.count)


class Health(LedgerSpec):
    slug, title, model = "health", "卫生服务", m.HealthService
    key_fields = ("date", "kind", "item", "region_code")
    date_field = "date"
    columns = [Column("日期", "date", excel.date), Column("类型", "kind", excel.choice(labels(m.HealthService.Kind))),
               Column("项目", "item", excel.text), Column("数量", "count", ITEMS), Column(REGION, "region", excel.text),
               Column("地点", "place", excel.text, required=False),
               Column("组织单位", "organiser", excel.text, required=False)]

    def resolve(self, row, refs):
        problems = {}
        region = attempt(problems, REGION, refs.region, row["region"])
        place = attempt(problems, "地点", refs.place, row["place"]) if row["place"] else None
        if problems:
            raise RowError(problems)
        values = {"date": row["date"], "kind": row["kind"], "item": row["item"], "count": row["count"],
                  "place_id": place.pk if place else None, "organiser": row["organiser"] or ""}
        return Record((row["date"], row["kind"], row["item"], region.code), region.code, values)

    def queryset(self):
        return self.model.objects.select_related("place")

    def export_row(self, h):
        return (h.date, h.get_kind_display(), h.item, h.count, h.region_code, h.place.code if h.place else "",
                h.organiser)


LEDGERS: dict[str, type[LedgerSpec]] = {spec.slug: spec for spec in (
    SmallBusinesses, Staff, Markets, Renovations, Fundings, Operations, Publicity, Mobilisation, Materials, Health)}

