"""One filter for the audit page, its export and the API."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.audit.models import AuditEvent, AuditKind


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AuditKind.choices, label=_("类型"))
    user = django_filters.CharFilter(method="filter_user", label=_("用户名"))
    # Whole days in the office's time zone, both ends included.
    start = django_filters.DateFilter(method="filter_start", label=_("起始日期"))
    end = django_filters.DateFilter(method="filter_end", label=_("截止日期"))

    class Meta:
        model = AuditEvent
        fields = ["kind"]

    def filter_user(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(actor_username__iexact=value) | Q(target__icontains=value)) if value else queryset

    def filter_start(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of(value))

    def filter_end(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of(value + dt.timedelta(days=1)))
