from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from civicgrid.audit.api.serializers import AuditEventSerializer
from civicgrid.audit.filters import AuditEventFilter
from civicgrid.audit.models import AuditEvent
from civicgrid.core.api import GatedViewSet
from civicgrid.core.scoping import is_office


class IsOffice(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and is_office(request.user))


@extend_schema_view(
    list=extend_schema(summary="Security audit events, newest first (the campaign office only)"),
    retrieve=extend_schema(summary="One audit event"),
)
class AuditEventViewSet(GatedViewSet, viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    permission_classes = [permissions.IsAuthenticated, IsOffice]  # 403 for others; the queryset gates too

    queryset = AuditEvent.objects.order_by("-at", "-id")
