"""Filter building blocks shared by the FilterSets."""

import django_filters

from civicgrid.core.scoping import prefix_q


class PrefixFilter(django_filters.CharFilter):
    """Values starting with the given text (a region code's subtree), as an index-friendly range."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        region_q = getattr(qs, "region_q", None)
        condition = region_q(self.field_name, value.strip()) if region_q else prefix_q(self.field_name, value.strip())
        return qs.filter(condition)
