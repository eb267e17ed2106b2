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


# The base of every API viewset: its queryset passes the model's `restrict(user, action)` (the one gate), the
# action following the HTTP method, so an object outside the user's reach answers 404. `initial()` fixes the
# action before any handler runs; a viewset whose writes are actions on rows the user only has to see (a
# case's transitions, whose service checks the role and re-checks scope in its transaction) says so in
# `method_actions`. (Comments, not a docstring: drf-spectacular would print a docstring on every operation.)
class GatedViewSet(viewsets.GenericViewSet):
    method_actions: dict[str, str] = {}
    scope_action = "view"  # the schema generator builds querysets without a request cycle

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.scope_action = self.method_actions.get(request.method) or METHOD_ACTIONS.get(request.method, "view")

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.scope_action)


# A read-only API over a gated model.
class GatedReadOnlyViewSet(GatedViewSet, viewsets.ReadOnlyModelViewSet):
    pass


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
