import django_filters
from django.db.models import Q

from civicgrid.core.filters import PrefixFilter
from civicgrid.organizations.choices import UnitKind
from civicgrid.organizations.models import Contract, Unit


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    parent = django_filters.CharFilter(field_name="parent__code", help_text="the parent unit's code")
    region = PrefixFilter(
        field_name="region__code", help_text="units whose territory lies in this region's subtree"
    )
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Unit
        fields = ["kind", "parent", "region", "name"]


class ContractFilter(django_filters.FilterSet):
    region = PrefixFilter(
        field_name="region_code", help_text="contracts whose target lies in this subtree"
    )
    person = django_filters.UUIDFilter(field_name="person__uid")
    unit = django_filters.CharFilter(field_name="unit__code")
    active_on = django_filters.DateFilter(method="filter_active_on", help_text="contracts in force on this date")

    class Meta:
        model = Contract
        fields = ["region", "person", "unit", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=value))
