"""How a ledger is imported and exported: the spec every ledger declares (civicgrid.ledgers.specs), the
references a row may name by code or exact name, and the scope-restricted upsert by natural key."""

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
