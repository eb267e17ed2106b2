"""The case list as an export kind (core.exports): the same filter and scope as the list page and the API.

Registered when the app is ready, so a Celery worker that never loads the pages knows it too.
"""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from civicgrid.cases.choices import ClassType, Source, State
from civicgrid.cases.filters import CaseFilter
from civicgrid.cases.models import Case
from civicgrid.core import excel, exports

EXPORT_COLUMNS = [
    excel.Column("案件编号", "number"), excel.Column("状态", "state"), excel.Column("来源", "source"),
    excel.Column("类别", "class"), excel.Column("问题描述", "description"), excel.Column("网格", "grid"),
    excel.Column("地址", "address"), excel.Column("责任单位", "unit"), excel.Column("上报时间", "reported"),
    excel.Column("处置期限", "due"), excel.Column("结案时间", "closed"), excel.Column("返工次数", "rework"),
]


def export_cases(user, params: dict):
    """The cases of the list's filter ({name: [values]}, as a query string holds them) that the user may see,
    newest first."""
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values if isinstance(values, list) else [values])
    filterset = CaseFilter(query, queryset=Case.objects.restrict(user, "view"))
    return (filterset.qs if filterset.is_valid() else Case.objects.none()).select_related(
        "case_class", "responsible_unit").order_by("-reported_at")


def _case_rows(queryset):
    """The export's cells, read as plain values: a year's cases are ~51,000 rows, and building a model per row
    and translating its labels one by one took most of the export's time (bench/export.py)."""
    states, sources, types = ({value: str(label) for value, label in choices.choices}
                              for choices in (State, Source, ClassType))
    for (number, state, source, class_type, major, minor, description, grid, address, unit, reported, due, closed,
         rework) in queryset.values_list(
            "number", "state", "source", "case_class__type", "case_class__major_name", "case_class__minor_name",
            "description", "region_code", "address", "responsible_unit__name", "reported_at", "handle_due",
            "closed_at", "rework_count").iterator(chunk_size=2000):
        yield (number, states.get(state, state), sources.get(source, source),
               f"{types.get(class_type, class_type)}·{major}·{minor}", description, grid, address, unit or "",
               reported, due, closed, rework)


exports.register("cases", exports.ExportKind(
    title="案件", columns=EXPORT_COLUMNS, select=export_cases, read=_case_rows,
    filename=lambda params: f"cases-{timezone.localdate():%Y%m%d}.xlsx"))
