"""One FilterSet per model, shared by the API and the pages."""

import django_filters

from civicgrid.core.filters import PrefixFilter
from civicgrid.territory.choices import Level
from civicgrid.territory.models import Place, Region


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, help_text="district, street, community or grid")
    parent = django_filters.CharFilter(field_name="parent__code", help_text="the parent region's code")
    code = django_filters.CharFilter(field_name="code", help_text="exact region code")
    within = PrefixFilter(
        field_name="code", help_text="a region code: that region and its whole subtree"
    )
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["level", "parent", "code", "within", "name", "area_class"]


class PlaceFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__slug", help_text="place kind slug, e.g. market, shop, road")
    region = PrefixFilter(
        field_name="region_code", help_text="any region code; matches places in its whole subtree",
    )
    category = django_filters.CharFilter(field_name="category__slug", help_text="category slug, e.g. small_restaurant")
    chief = django_filters.UUIDFilter(field_name="chief__uid", help_text="the chief's person id")
    responsible_unit = django_filters.CharFilter(field_name="responsible_unit__code", help_text="unit code")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    is_old_compound = django_filters.BooleanFilter()

    class Meta:
        model = Place
        fields = ["kind", "category", "region", "chief", "responsible_unit", "name", "is_old_compound"]
