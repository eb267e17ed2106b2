from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.cases.choices import Source, Urgency
from civicgrid.cases.models import CaseClass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > 9:
            raise forms.ValidationError(_("每一步最多9张照片。"))
        return files


class ReportForm(forms.Form):
    case_class = forms.ModelChoiceField(CaseClass.objects.filter(active=True), label=_("问题类别"),
                                        to_field_name="code")
    description = forms.CharField(label=_("问题描述"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(label=_("经度"), min_value=-180, max_value=180, widget=forms.HiddenInput)
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, initial=Source.INSPECTOR_PATROL)
    photos = MultipleFileField(label=_("照片"), required=False)

    def __init__(self, *args, sources: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the sources this user may report under; the service checks again.
        self.fields["source"].choices = [(value, Source(value).label) for value in sources]
        self.fields["source"].initial = sources[0]


class ActionForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    public_note = forms.CharField(label=_("对举报人的说明"), required=False, max_length=300)
    unit = forms.CharField(label=_("派遣单位代码"), required=False)
    amount = forms.IntegerField(label=_("延长时限"), required=False, min_value=1)
    target = forms.CharField(label=_("原案件编号"), required=False)
    photos = MultipleFileField(label=_("照片"), required=False)
