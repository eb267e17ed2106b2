"""`Authorization: Field <key>`: the installed field app's calls, valid while its session lives."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from civicgrid.field import services

KEYWORD = "Field"


class FieldSessionAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace") != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("外勤会话密钥格式不对。"))
        session = services.authenticate(parts[1].decode(errors="replace"))
        if session is None:
            # The app reads this code: it clears the device and asks the worker to sign in again.
            raise exceptions.AuthenticationFailed(_("外勤会话已过期或已被撤销，请重新登录。"), code="field_session_ended")
        return session.user, session

    def authenticate_header(self, request):
        return KEYWORD


class FieldSessionScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names the device key (drf-spectacular finds this subclass by its target class)."""

    target_class = "civicgrid.field.authentication.FieldSessionAuthentication"
    name = "fieldAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'A field device\'s session key with the prefix "Field" (POST /field/session/)'}
