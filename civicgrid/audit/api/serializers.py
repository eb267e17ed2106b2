from rest_framework import serializers

from civicgrid.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="actor_username", read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "kind", "username", "address", "target", "detail"]
        read_only_fields = fields
