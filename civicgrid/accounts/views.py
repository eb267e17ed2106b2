"""Login (password, then a code when enrolled), two-factor enrolment, password change, locked accounts."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid import audit
from civicgrid.accounts import services
from civicgrid.accounts.forms import CodeForm, LoginForm, RemoveTwoFactorForm
from civicgrid.audit.models import AuditKind
from civicgrid.core.scoping import is_office

# Between the password and the code the session holds only this; the user is not logged in yet.
PENDING = "accounts.pending_login"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Step one: throttled, then the password; an enrolled user goes on to the code step."""

    template_name = "registration/login.html"
    form_class = LoginForm

    def post(self, request, *args, **kwargs):
        wait = services.check_login_allowed(request, request.POST.get("username", ""))
        if wait is not None:
            form = self.get_form()
            form.add_error(None, services.THROTTLED_MESSAGE)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if services.has_device(user):
            self.request.session[PENDING] = {"user": user.pk, "backend": user.backend,
                                             "next": self.get_success_url(), "until": time.time() + PENDING_SECONDS}
            return redirect("login-code")
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_mode"] = settings.DEMO_MODE
        return context


def login_code(request):
    """Step two: the six-digit code. A wrong code counts toward the throttle and the account's lockout."""
    pending = request.session.get(PENDING)
    user = get_user_model().objects.filter(pk=pending["user"]).first() if pending else None
    if user is None or pending["until"] < time.time():
        request.session.pop(PENDING, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        wait = services.check_login_allowed(request, user.get_username())
        if wait is not None:
            form.add_error(None, services.THROTTLED_MESSAGE)
            status = 429
        elif form.is_valid() and (device := services.verify_code(user, form.cleaned_data["code"])):
            if services.is_user_locked(user):  # locked by someone else's guesses since the password step
                request.session.pop(PENDING, None)
                form.add_error(None, services.LOCKED_MESSAGE)
            else:
                request.session.pop(PENDING, None)
                user.otp_device = device  # django-otp marks the session verified on login
                login(request, user, backend=pending["backend"])
                return redirect(_safe_next(request, pending["next"]))
        else:
            if services.record_failure(user.get_username(), request, reason="otp"):
                request.session.pop(PENDING, None)
                form.add_error(None, services.LOCKED_MESSAGE)
            elif not form.errors:
                form.add_error("code", _("验证码不正确或已使用，请输入应用中当前显示的验证码。"))
    response = render(request, "accounts/login_code.html", {"form": form}, status=status)
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


def _safe_next(request, url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                              require_https=request.is_secure())
    return url if allowed else settings.LOGIN_REDIRECT_URL


@login_required
def two_factor(request):
    """Enrol a TOTP device (QR code and secret, confirmed by a first code), or see that one is enrolled."""
    user = request.user
    if services.has_device(user):
        return render(request, "accounts/two_factor.html", {"enrolled": True, "remove_form": RemoveTwoFactorForm()})
    device = services.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_device(user, device, form.cleaned_data["code"], request=request):
            from django_otp import login as otp_login

            otp_login(request, device)
            messages.success(request, _("两步验证已启用，今后登录时需输入验证码。"))
            return redirect("account-two-factor")
        form.add_error("code", _("验证码不正确，请确认手机时间准确后重试。"))
    return render(request, "accounts/two_factor.html", {
        "enrolled": False, "form": form, "qr_svg": services.qr_svg(device), "secret": services.secret_text(device),
        "required": services.must_enrol(user),
    })


@login_required
@require_POST
def two_factor_remove(request):
    form = RemoveTwoFactorForm(request.POST)
    if form.is_valid():
        if services.remove_devices(request.user, password=form.cleaned_data["password"],
                                   code=form.cleaned_data["code"], request=request):
            messages.success(request, _("两步验证已停用。"))
            return redirect("account-two-factor")
        if services.is_user_locked(request.user):  # the lock has ended this session
            messages.error(request, services.LOCKED_MESSAGE)
            return redirect("login")
        form.add_error(None, _("密码或验证码不正确（每个验证码只能使用一次），两步验证仍然启用。"))
    return render(request, "accounts/two_factor.html", {"enrolled": True, "remove_form": form}, status=400)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, so AUTH_PASSWORD_VALIDATORS apply; the change is audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditKind.PASSWORD_CHANGED, request=self.request, target=self.request.user.get_username())
        messages.success(self.request, _("密码已修改。"))
        return response


def _office_only(request) -> None:
    if not is_office(request.user):
        raise Http404


@login_required
def locked_accounts(request):
    _office_only(request)
    return render(request, "accounts/locked.html", {"lockouts": services.locked_accounts()})


@login_required
@require_POST
def unlock_account(request, user_id: int):
    _office_only(request)
    user = get_object_or_404(get_user_model(), pk=user_id)
    if services.unlock(user, actor=request.user, request=request):
        messages.success(request, _("账号 %(username)s 已解锁。") % {"username": user.get_username()})
    return redirect("accounts-locked")
