from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts import services


class LoginForm(AuthenticationForm):
    """Django's login form; a locked account is told to ask the office instead of "wrong password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if services.is_locked(self.cleaned_data.get("username")):
                raise ValidationError(services.LOCKED_MESSAGE, code="locked") from None
            raise


class CodeForm(forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=12,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError(_("请输入 6 位数字验证码。"))
        return code


class RemoveTwoFactorForm(CodeForm):
    """Turning two-factor off asks again for what logging in asks: the password and a current code."""

    field_order = ["password", "code"]
    password = forms.CharField(label=_("当前密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
