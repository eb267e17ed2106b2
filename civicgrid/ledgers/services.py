"""Importing and exporting ledgers, the same for every ledger (the columns live in civicgrid.ledgers.specs).

An import reads every row, resolves its references, checks that the row lies in the user's territory, and
answers with a report: each bad row with its column and reason. With any bad row nothing is written, unless
the user asks to import only the good rows. Rows are upserted by the ledger's natural key, so importing the
same file twice creates nothing twice. It all happens in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid import audit
from civicgrid.core import excel
from civicgrid.core.scoping import prefix_q, scope_for
from civicgrid.ledgers.imports import LedgerSpec, Record, References, RowError, existing_by_key
from civicgrid.ledgers.specs import LEDGERS


def spec_for(slug: str) -> LedgerSpec:
    if slug not in LEDGERS:
        raise Http404(f"no ledger {slug!r}")
    return LEDGERS[slug]()


@dataclass
class ImportReport:
    ledger: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # rows whose record already held these values
    skipped: int = 0
    written: bool = False
    problems: list[excel.RowProblem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"ledger": self.ledger, "rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "skipped": self.skipped, "written": self.written, "problems": [p.as_dict() for p in self.problems]}


def template(slug: str) -> bytes:
    """The ledger's empty template: Chinese headers, drop-downs and checks per column, and an instructions sheet."""
    spec = spec_for(slug)
    return excel.template(spec.columns, spec.title)


def import_ledger(slug: str, file, actor, *, good_rows_only: bool = False) -> ImportReport:
    """Validate every row, then write all of them — or none, unless `good_rows_only`. Raises ExcelError for a
    file that is not usable at all (not a workbook, too large, headers missing)."""
    spec = spec_for(slug)
    scope = scope_for(actor, "change") if actor is not None else None
    if scope is not None and scope.is_empty:
        raise PermissionDenied(_("您没有修改台账的权限。"))
    rows, problems = excel.read(file, spec.columns)
    report = ImportReport(spec.slug, rows=len(rows) + len({p.row for p in problems}))
    refs = References()
    records: list[Record] = []
    seen: dict[tuple, int] = {}
    for number, row in rows:
        try:
            record = spec.resolve(row, refs)
        except RowError as exc:
            problems += [excel.RowProblem(number, column, reason) for column, reason in exc.problems.items()]
            continue
        record.row = number
        if scope is not None and not scope.covers_region(record.region_code):
            problems.append(excel.RowProblem(number, "", _("该记录在 %s，不在您的辖区内") % record.region_code))
            continue
        if record.key in seen and not spec.rows_per_record:
            problems.append(excel.RowProblem(number, "", _("与第 %d 行重复") % seen[record.key]))
            continue
        seen.setdefault(record.key, number)
        records.append(record)
    records, merge_problems = spec.merge(records)
    problems += merge_problems
    # Existing rows are matched only within the importer's scope; a key held by a record outside it is refused.
    within = spec.model.objects.all() if actor is None else spec.model.objects.restrict(actor, "change")
    problems += _field_problems(spec, records)
    problems += _keys_held_elsewhere(spec, records, within)
    problems += _unique_conflicts(spec, records, within)
    report.problems = sorted(problems, key=lambda p: (p.row, p.column))
    bad_rows = {p.row for p in report.problems}
    report.skipped = len(bad_rows)
    if bad_rows and not good_rows_only:
        return report
    records = [r for r in records if r.row not in bad_rows]
    if not records:
        return report
    with transaction.atomic():
        report.created, report.updated = spec.save(records, within)
    report.unchanged = max(len(records) - report.created - report.updated, 0)
    report.written = True
    audit.record("import", actor=actor, target=f"ledger:{slug}", created=report.created, updated=report.updated)
    return report


def _column_for(spec: LedgerSpec, field: models.Field) -> str:
    """The header of the column a model field comes from (its label when no column has its name)."""
    for column in spec.columns:
        if column.key in (field.name, field.attname):
            return column.header
    return str(field.verbose_name)


def _field_problems(spec: LedgerSpec, records: list[Record]) -> list[excel.RowProblem]:
    """Values the database column cannot hold: text longer than the column, numbers beyond its digits or the
    backend's integer range — the model fields' own validators, which `save()` never runs.

    The columns' own ranges catch typos; this catches what they do not declare, so nothing reaches the
    database that SQLite would store and PostgreSQL refuse.
    """
    problems = []
    for record in records:
        for name, value in record.values.items():
            try:
                field = spec.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if value is None:
                continue
            try:
                field.run_validators(value)
            except ValidationError as exc:
                problems.append(excel.RowProblem(record.row, _column_for(spec, field), "；".join(exc.messages)))
    return problems


def _keys_held_elsewhere(spec: LedgerSpec, records: list[Record], within) -> list[excel.RowProblem]:
    """Rows whose natural key names a record the importer may not change (another street's)."""
    everywhere = existing_by_key(spec.model.objects.all(), records, spec.key_fields)
    mine = existing_by_key(within, records, spec.key_fields)
    return [excel.RowProblem(r.row, _key_column(spec), _("已有相同编号的记录属于您辖区之外，不能在此导入修改"))
            for r in records if r.key in everywhere and r.key not in mine]


def _key_column(spec: LedgerSpec) -> str:
    return _column_for(spec, spec.model._meta.get_field(spec.key_fields[0]))


def _unique_sets(spec: LedgerSpec) -> list[tuple[str, ...]]:
    """The model's unique field sets other than its natural key (e.g. one business per shop)."""
    meta = spec.model._meta
    sets = [(f.attname,) for f in meta.concrete_fields if f.unique and not f.primary_key]
    sets += [tuple(meta.get_field(n).attname for n in c.fields) for c in meta.constraints
             if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None]
    key = {meta.get_field(n).attname for n in spec.key_fields}
    return [fields for fields in dict.fromkeys(sets) if set(fields) != key]


def _unique_conflicts(spec: LedgerSpec, records: list[Record], within) -> list[excel.RowProblem]:
    """Rows that would break a unique rule other than the natural key: against another row of the file, or
    against a stored record under another key. Reported per row instead of failing the whole write."""
    problems = []
    for fields in _unique_sets(spec):
        def values_of(record, fields=fields):
            full = {**record.values, "region_code": record.region_code}
            return tuple(full.get(f) for f in fields) if all(f in full for f in fields) else None

        header = _column_for(spec, spec.model._meta.get_field(fields[0]))
        first_row: dict[tuple, Record] = {}
        wanted = []
        for record in records:
            values = values_of(record)
            if values is None or None in values:
                continue
            if values in first_row and first_row[values].key != record.key:
                problems.append(excel.RowProblem(record.row, header, _("与第 %d 行的记录冲突（不能重复）")
                                                 % first_row[values].row))
                continue
            first_row.setdefault(values, record)
            wanted.append((record, values))
        stored: dict[tuple, models.Model] = {}
        for start in range(0, len(wanted), 200):
            condition = models.Q()
            for _record, values in wanted[start:start + 200]:
                condition |= models.Q(**dict(zip(fields, values, strict=True)))
            for obj in spec.model.objects.filter(condition):
                stored[tuple(getattr(obj, f) for f in fields)] = obj
        visible = set(within.filter(pk__in=[o.pk for o in stored.values()]).values_list("pk", flat=True))
        for record, values in wanted:
            obj = stored.get(values)
            if obj is None or tuple(getattr(obj, f) for f in spec.key_fields) == record.key:
                continue
            if obj.pk in visible:
                held_by = "、".join(str(getattr(obj, f)) for f in spec.key_fields)
                reason = _("已登记在另一条记录下（%s），请先修改那条记录") % held_by
            else:
                reason = _("已登记在您辖区之外的另一条记录下")
            problems.append(excel.RowProblem(record.row, header, reason))
    return problems


def describe(slug: str, user) -> dict:
    """A ledger as the API lists it: its columns, how many records the user reaches, and where to get them."""
    spec = spec_for(slug)
    queryset = records(slug, user)
    entry = {
        "slug": slug, "title": spec.title, "dated": spec.date_field is not None, "records": queryset.count(),
        "columns": [{"header": c.header, "key": c.key, "required": c.required} for c in spec.columns],
        "links": {name: reverse(f"api-ledger-{name}", args=[slug])
                  for name in ("records", "template", "export", "import")},
    }
    if slug == "small-businesses":
        entry["breakdown"] = dict(by_category(queryset))
    return entry


def by_category(businesses) -> list[tuple[str, int]]:
    """Small businesses per 八小 trade, in the dictionary's order (the article: 3,759 businesses in eight trades)."""
    return list(businesses.order_by().values("category__name", "category__sort_order").annotate(n=Count("id"))
                .order_by("category__sort_order", "category__name").values_list("category__name", "n"))


def records(slug: str, user, *, region: str = "", start: dt.date | None = None, end: dt.date | None = None,
            kind: str = "", work_kind: str = ""):
    """The ledger's records the user may see, in a region (subtree) and, for dated ledgers, a period;
    `kind` narrows ledgers that have kinds, `work_kind` operations to those with that quantity."""
    spec = spec_for(slug)
    queryset = spec.queryset().restrict(user, "view")
    if region:
        queryset = queryset.filter(prefix_q(spec.region_field, region))
    if spec.date_field and start:
        queryset = queryset.filter(**{f"{spec.date_field}__gte": start})
    if spec.date_field and end:
        queryset = queryset.filter(**{f"{spec.date_field}__lte": end})
    field_names = {f.name for f in spec.model._meta.get_fields()}
    if kind and "kind" in field_names:
        queryset = queryset.filter(kind=kind)
    if work_kind and "quantities" in field_names:
        queryset = queryset.filter(quantities__kind__slug=work_kind)
    return queryset


def export(slug: str, user, **filters) -> bytes:
    """The ledger as Excel, in the template's columns, so an export can be edited and imported again."""
    spec = spec_for(slug)
    queryset = records(slug, user, **filters)
    rows = (row for obj in queryset.iterator(chunk_size=2000) for row in spec.export_rows(obj))
    audit.record("export", actor=user, target=f"ledger:{slug}")
    return excel.write(spec.columns, rows, title=spec.title)


def publicity_coverage(user, *, region: str = "", on: dt.date | None = None) -> dict:
    """How many places carry publicity assets installed by `on`: compounds with a bulletin column, and places
    of each point type with any asset, against the total in the region (within the user's scope)."""
    from django.db.models import Exists, OuterRef

    from civicgrid.inspections.coverage import counts_by_point_type
    from civicgrid.ledgers.models import AssetKind, PublicityAsset
    from civicgrid.territory.models import Place

    assets = PublicityAsset.objects.restrict(user, "view")
    if on is not None:
        assets = assets.filter(installed_on__lte=on)
    places = Place.objects.restrict(user, "view")
    if region:
        places = places.filter(prefix_q("region_code", region))
    compounds = places.filter(kind__slug="compound").aggregate(
        total=models.Count("id"),
        with_column=models.Count("id", filter=models.Q(Exists(assets.filter(place=OuterRef("pk"),
                                                                            kind=AssetKind.COLUMN)))))
    with_any = models.Q(Exists(assets.filter(place=OuterRef("pk"))))
    rows = [{"point_type": point_type.name, "places": total, "covered": covered, "rate": round(covered / total, 4)}
            for point_type, total, covered in counts_by_point_type(places, with_any) if total]
    return {"compounds": compounds["total"], "compounds_with_column": compounds["with_column"],
            "compound_rate": round(compounds["with_column"] / compounds["total"], 4) if compounds["total"] else None,
            "by_point_type": rows}
