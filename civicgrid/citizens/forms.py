from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.cases.models import CaseClass
from civicgrid.citizens.models import BlockKind, Rating


class PublicReportForm(forms.Form):
    """What a citizen sends; the location is judged by the service, so its message can be a citizen's."""

    case_class = forms.ModelChoiceField(CaseClass.objects.filter(active=True), to_field_name="code",
                                        label=_("问题类型"), error_messages={
                                            "required": _("请选择问题类型。"),
                                            "invalid_choice": _("请从列表中选择问题类型。")})
    description = forms.CharField(label=_("问题描述"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    place = forms.IntegerField(required=False, widget=forms.HiddenInput)
    contact = forms.ChoiceField(choices=[("anonymous", _("匿名")), ("phone", _("手机号"))], initial="anonymous")
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    code = forms.CharField(label=_("验证码"), max_length=8, required=False)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(choices=Rating.choices, label=_("评价"), widget=forms.RadioSelect,
                               error_messages={"required": _("请选择满意、基本满意或不满意。")})
    comment = forms.CharField(label=_("意见"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("补充说明"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SignInForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20)
    code = forms.CharField(label=_("验证码"), max_length=8)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("reopen", _("重新处置")), ("keep", _("维持结案"))], label=_("复核结论"))
    note = forms.CharField(label=_("复核意见"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class BlockForm(forms.Form):
    kind = forms.ChoiceField(choices=BlockKind.choices, label=_("类型"))
    value = forms.CharField(label=_("手机号或账号"), max_length=150)
    reason = forms.CharField(label=_("原因"), max_length=200)
