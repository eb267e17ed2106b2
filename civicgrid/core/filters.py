"""Filter building blocks shared by the FilterSets."""

import django_filters
from django import forms

from civicgrid.core.scoping import prefix_q

# The largest id a database key column holds (bigint); larger values are a 400, never an overflow.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number from 1 to MAX_ID ('1e30', '1.5' and '-1' are refused with a reason)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class PrefixFilter(django_filters.CharFilter):
    """Values starting with the given text (a region code's subtree), as an index-friendly range."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        region_q = getattr(qs, "region_q", None)
        condition = region_q(self.field_name, value.strip()) if region_q else prefix_q(self.field_name, value.strip())
        return qs.filter(condition)
