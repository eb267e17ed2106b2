"""Each ledger declared once: its Excel columns (Chinese headers), how a row becomes a record (references by
code or exact name, a natural key so a re-import updates instead of duplicating), and how records export.

The framework they fill in is civicgrid.ledgers.imports; the import itself (civicgrid.ledgers.services.
import_ledger) is the same for all of them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop  # headers stay Chinese in files; pages translate them

from civicgrid.core import excel
from civicgrid.core.excel import labels, percent, split_list
from civicgrid.ledgers import models as m
from civicgrid.ledgers.imports import Column, LedgerSpec, Record, RowError, attempt, upsert

# -- column ranges ---------------------------------------------------------------------------------------------
# Each numeric column's range: wide enough for any real district, narrow enough that a typo is caught.
AREA_M2 = excel.bounded_decimal(1_000_000)  # a shop's or a market's floor area
YUAN = excel.bounded_decimal(10_000_000_000)  # a budget or a transfer (100亿元)
AMOUNT_LIMIT = 1_000_000_000
AMOUNT = excel.bounded_decimal(AMOUNT_LIMIT)  # an operation's quantity (people, tonnes, m², items)
PEOPLE = excel.bounded_count(10_000_000)  # people mobilised for one event
ITEMS = excel.bounded_count(1_000_000)  # stalls, boards, leaflets, services
VIEWS = excel.bounded_count(2_000_000_000)  # online views of one event (the column's own limit)


# -- the ledgers ---------------------------------------------------------------------------------------------
PLACE = gettext_noop("店铺编码或名称")


class SmallBusinesses(LedgerSpec):
    slug, title, model = "small-businesses", gettext_noop("八小经营户"), m.SmallBusiness
    key_fields = ("licence_number",)
    columns = [
        Column(PLACE, "place", excel.text), Column(gettext_noop("行业分类"), "category", excel.text),
        Column(gettext_noop("名称"), "name", excel.text), Column(gettext_noop("营业执照号"), "licence_number", excel.text),
        Column(gettext_noop("许可类型"), "permit_kind", excel.choice(labels(m.PermitKind)), required=False),
        Column(gettext_noop("许可证号"), "permit_number", excel.text, required=False),
        Column(gettext_noop("许可证有效期至"), "permit_expires_on", excel.date, required=False),
        Column(gettext_noop("经营面积（平方米）"), "floor_area", AREA_M2, required=False),
        Column(gettext_noop("责任状签订日期"), "letter_signed_on", excel.date, required=False),
        Column(gettext_noop("防蝇防鼠设施齐全"), "vector_control", excel.yes_no, required=False),
        Column(gettext_noop("整改状态"), "rectification", excel.choice(labels(m.Rectification)), required=False),
        Column(gettext_noop("备注"), "note", excel.text, required=False),
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
    slug, title, model = "staff", gettext_noop("从业人员健康证"), m.StaffMember
    key_fields = ("business_id", "name")
    columns = [Column(gettext_noop("营业执照号"), "licence", excel.text), Column(gettext_noop("姓名"), "name", excel.text),
               Column(gettext_noop("健康证号"), "certificate_number", excel.text, required=False),
               Column(gettext_noop("健康证有效期至"), "certificate_expires_on", excel.date, required=False)]

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


MARKET = gettext_noop("市场编码或名称")


class Markets(LedgerSpec):
    slug, title, model = "markets", gettext_noop("农贸市场"), m.Market
    key_fields = ("place_id",)
    columns = [Column(MARKET, "place", excel.text), Column(gettext_noop("经营主体"), "operator", excel.text, required=False),
               Column(gettext_noop("面积（平方米）"), "area", AREA_M2, required=False),
               Column(gettext_noop("摊位数"), "stalls", ITEMS, required=False),
               Column(gettext_noop("经营分区"), "zones", excel.text, required=False),
               Column(gettext_noop("食品快检室"), "testing_room", excel.yes_no, required=False)]

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
    slug, title, model = "renovations", gettext_noop("市场改造项目"), m.Renovation
    key_fields = ("market_id", "name")
    date_field = "started_on"
    columns = [Column(MARKET, "market", excel.text), Column(gettext_noop("项目名称"), "name", excel.text),
               Column(gettext_noop("预算（元）"), "budget", YUAN, required=False),
               Column(gettext_noop("开工日期"), "started_on", excel.date, required=False),
               Column(gettext_noop("进度（%）"), "progress", percent, required=False),
               Column(gettext_noop("节点"), "milestones", excel.text, required=False),
               Column(gettext_noop("验收日期"), "accepted_on", excel.date, required=False)]

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
    slug, title, model = "funding", gettext_noop("改造资金"), m.Funding
    key_fields = ("renovation_id", "source", "received_on")
    date_field = "received_on"
    columns = [Column(MARKET, "market", excel.text), Column(gettext_noop("项目名称"), "project", excel.text),
               Column(gettext_noop("资金来源"), "source", excel.choice(labels(m.FundingSource))),
               Column(gettext_noop("金额（元）"), "amount", YUAN), Column(gettext_noop("到位日期"), "received_on", excel.date)]

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


REGION = gettext_noop("区域代码")


class Operations(LedgerSpec):
    """One row per quantity; rows with the same date, name and region are one operation."""

    slug, title, model = "operations", gettext_noop("整治行动"), m.Operation
    key_fields = ("date", "title", "region_code")
    date_field = "date"
    rows_per_record = True
    columns = [Column(gettext_noop("日期"), "date", excel.date), Column(gettext_noop("名称"), "title", excel.text),
               Column(gettext_noop("类型"), "kind", excel.choice(labels(m.OperationKind))), Column(REGION, "region", excel.text),
               Column(gettext_noop("涉及点位"), "places", split_list, required=False),
               Column(gettext_noop("参与单位"), "units", split_list, required=False),
               Column(gettext_noop("工作量类型"), "work_kind", excel.text), Column(gettext_noop("数量"), "amount", AMOUNT),
               Column(gettext_noop("备注"), "note", excel.text, required=False)]

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


ASSET_PLACE = gettext_noop("点位编码或名称")


class Publicity(LedgerSpec):
    slug, title, model = "publicity", gettext_noop("宣传设施"), m.PublicityAsset
    key_fields = ("place_id", "kind", "installed_on")
    date_field = "installed_on"
    columns = [Column(ASSET_PLACE, "place", excel.text), Column(gettext_noop("类型"), "kind", excel.choice(labels(m.AssetKind))),
               Column(gettext_noop("数量"), "count", ITEMS), Column(gettext_noop("设置日期"), "installed_on", excel.date)]

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
    slug, title, model = "mobilisation", gettext_noop("宣传动员"), m.MobilisationEvent
    key_fields = ("date", "title", "region_code")
    date_field = "date"
    columns = [Column(gettext_noop("日期"), "date", excel.date), Column(gettext_noop("名称"), "title", excel.text),
               Column(gettext_noop("类型"), "kind", excel.choice(labels(m.MobilisationKind))), Column(REGION, "region", excel.text),
               Column(gettext_noop("组织单位"), "organiser", excel.text, required=False),
               Column(gettext_noop("志愿者"), "volunteers", PEOPLE, required=False),
               Column(gettext_noop("社区工作者"), "community_workers", PEOPLE, required=False),
               Column(gettext_noop("机关干部"), "officials", PEOPLE, required=False), Column(gettext_noop("学生"), "students", PEOPLE, required=False),
               Column(gettext_noop("网络浏览量"), "online_views", VIEWS, required=False)]

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
    slug, title, model = "materials", gettext_noop("宣传材料"), m.Material
    key_fields = ("event_id", "name")
    date_field = "event__date"
    region_field = "event__region_code"  # a material's region is its event's
    columns = [Column(gettext_noop("活动日期"), "date", excel.date), Column(gettext_noop("活动名称"), "title", excel.text),
               Column(REGION, "region", excel.text), Column(gettext_noop("材料"), "name", excel.text), Column(gettext_noop("数量"), "count", ITEMS)]

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
    slug, title, model = "health", gettext_noop("卫生服务"), m.HealthService
    key_fields = ("date", "kind", "item", "region_code")
    date_field = "date"
    columns = [Column(gettext_noop("日期"), "date", excel.date), Column(gettext_noop("类型"), "kind", excel.choice(labels(m.HealthService.Kind))),
               Column(gettext_noop("项目"), "item", excel.text), Column(gettext_noop("数量"), "count", ITEMS), Column(REGION, "region", excel.text),
               Column(gettext_noop("地点"), "place", excel.text, required=False),
               Column(gettext_noop("组织单位"), "organiser", excel.text, required=False)]

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

