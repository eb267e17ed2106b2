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
# action following the request: GET view, POST on a list add, POST on one row (publish, generate…) or PUT/PATCH
# change, DELETE delete — so a row outside the user's reach answers 404. `initial()` fixes the action before
# the permission checks and any handler run. A viewset whose actions are work on rows the user only has to see
# (a case's transitions, an inspection's results), whose services check the role and re-check the scope in
# their own transaction, names them in `action_scopes`. (Comments, not a docstring: drf-spectacular would print
# a docstring on every operation.)
class GatedViewSet(viewsets.GenericViewSet):
    action_scopes: dict[str, str] = {}
    scope_action = "view"  # the schema generator builds querysets without a request cycle

    def initial(self, request, *args, **kwargs):
        self.scope_action = self.action_scopes.get(self.action) or scope_action_for(request.method, self.detail)
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.scope_action)


def scope_action_for(method: str, detail: bool | None) -> str:
    if method == "POST" and detail:
        return "change"
    return METHOD_ACTIONS.get(method, "view")


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
