from collections.abc import Mapping

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from civicgrid.accounts.serializers import TokenRequestSerializer
from civicgrid.accounts.services import THROTTLED_MESSAGE, check_login_allowed, record_success


class TokenView(ObtainAuthToken):
    """POST username, password and (when enrolled) `otp`, receive a token for `Authorization: Token …`.

    Throttled and locked out by the same rules as the login page (civicgrid.accounts).
    """

    serializer_class = TokenRequestSerializer
    # ObtainAuthToken's empty tuple means the same, but only AllowAny tells the schema that no login is needed.
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenRequestSerializer})
    def post(self, request, *args, **kwargs):
        if not isinstance(request.data, Mapping):  # a JSON list, number or string is not a login
            return Response({"non_field_errors": ["请求体须为含 username 和 password 的对象。"]},
                            status=status.HTTP_400_BAD_REQUEST)
        username = request.data.get("username", "")
        wait = check_login_allowed(request, username if isinstance(username, str) else "")
        if wait is not None:
            return Response({"detail": THROTTLED_MESSAGE}, status=status.HTTP_429_TOO_MANY_REQUESTS,
                            headers={"Retry-After": str(wait)})
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        record_success(user, request, via="token")
        return Response({"token": token.key})
