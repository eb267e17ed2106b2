"""Importing and exporting ledgers, the same for every ledger (the columns live in civicgrid.ledgers.specs).

An import reads every row, resolves its references, checks that the row lies in the user's territory, and
answers with a report: each bad row with its column and reason. With any bad row nothing is written, unless
the user asks to import only the good rows. Rows are upserted by the ledger's natural key, so importing the
same file twice creates nothing twice. It all happens in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from civicgrid import audit
from civicgrid.core import excel
from civicgrid.core.scoping import prefix_q, scope_for
from civicgrid.ledgers.specs import LEDGERS, LedgerSpec, Record, References, RowError


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
    """An empty workbook with the ledger's Chinese headers."""
    spec = spec_for(slug)
    return excel.write(spec.columns, [], title=spec.title)


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
    report.problems = sorted(problems, key=lambda p: (p.row, p.column))
    bad_rows = {p.row for p in report.problems}
    report.skipped = len(bad_rows)
    if bad_rows and not good_rows_only:
        return report
    if not records:
        return report
    with transaction.atomic():
        report.created, report.updated = spec.save(records)
    report.unchanged = max(len(seen) - report.created - report.updated, 0)
    report.written = True
    audit.record("import", actor=actor, target=f"ledger:{slug}", created=report.created, updated=report.updated)
    return report


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
