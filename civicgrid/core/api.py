"""API building blocks shared by every app: scoped viewsets."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from civicgrid.core.validators import supported_date

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedViewSetMixin:
    """Every API read goes through the model's `restrict(user, action)`.

    The action follows the HTTP method, so an object outside the user's scope answers 404.
    """

    scoped_queryset = None

    def get_queryset(self):
        action = METHOD_ACTIONS.get(self.request.method, "view")
        queryset = self.scoped_queryset if self.scoped_queryset is not None else self.queryset
        return queryset.all().restrict(self.request.user, action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only API over a scoped model."""


class RegionPeriodSerializer(serializers.Serializer):
    """Query parameters of reports: a region (default: the district) and a period of local dates."""

    region = serializers.CharField(required=False, help_text="region code (default: the district)")
    start = serializers.DateField(validators=[supported_date])
    end = serializers.DateField(validators=[supported_date])
    max_days: int | None = None

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": "the end is before the start"})
        if self.max_days is not None and (data["end"] - data["start"]).days >= self.max_days:
            raise serializers.ValidationError({"end": f"at most {self.max_days} days"})
        return data
