from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid.accounts import services


class RequireTwoFactorMiddleware:
    """With REQUIRE_2FA_FOR_OFFICE, an office user without a confirmed device reaches only the enrolment page
    (and logging out, and choosing the language) until they enrol."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (settings.REQUIRE_2FA_FOR_OFFICE and request.user.is_authenticated and not self._exempt(request.path)
                and services.must_enrol(request.user)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("请先启用两步验证。")}, status=403)
            return redirect("account-two-factor")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        return path in {reverse("account-two-factor"), reverse("logout")} or path.startswith(
            (settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}", "/i18n/"))
