from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from civicgrid.accounts import services


@extend_schema_serializer(component_name="AuthToken")
class TokenRequestSerializer(AuthTokenSerializer):
    """Username and password, plus the current six-digit code for accounts with two-factor login."""

    otp = serializers.CharField(label="otp", required=False, allow_blank=True, write_only=True, max_length=12,
                                help_text="The six-digit code from the authenticator app; required when the "
                                          "account has enrolled a two-factor device.")

    def validate(self, attrs):
        request = self.context.get("request")
        username, password = attrs.get("username"), attrs.get("password")
        # Failures are counted by the user_login_failed signal that authenticate() sends.
        user = authenticate(request=request, username=username, password=password)
        if user is None:
            message = services.LOCKED_MESSAGE if services.is_locked(username) else _("用户名或密码不正确。")
            raise serializers.ValidationError(message, code="authorization")
        if services.has_device(user):
            if services.verify_code(user, attrs.get("otp")) is None:
                services.record_failure(username, request, reason="otp")
                raise serializers.ValidationError({"otp": [_("验证码缺失、不正确或已使用。")]}, code="authorization")
        elif settings.REQUIRE_2FA_FOR_OFFICE and services.must_enrol(user):
            raise serializers.ValidationError({"otp": [_("请先在网页上启用两步验证。")]}, code="authorization")
        attrs["user"] = user
        return attrs

