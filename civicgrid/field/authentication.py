"""`Authorization: Field <key>`: the installed field app's calls, valid while its session lives."""

from django.utils.translation import gettext_lazy as _
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
