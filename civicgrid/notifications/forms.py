from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.notifications.models import Channel, Preference


class PreferenceForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("站内消息之外，还通过"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(Channel.SMS, Channel.SMS.label), (Channel.EMAIL, Channel.EMAIL.label)])

    class Meta:
        model = Preference
        fields = ["channels", "phone", "email", "quiet_start", "quiet_end"]
        widgets = {"quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def clean(self):
        data = super().clean()
        if Channel.SMS in data.get("channels", []) and not data.get("phone"):
            self.add_error("phone", _("选择短信时请填写手机号。"))
        if Channel.EMAIL in data.get("channels", []) and not data.get("email"):
            self.add_error("email", _("选择电子邮件时请填写邮箱。"))
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            self.add_error("quiet_end", _("免打扰时段请同时填写开始和结束时间。"))
        return data
