from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.core.validators import supported_date
from civicgrid.inspections.choices import InspectionKind, Recurrence, Selection
from civicgrid.inspections.models import AssessmentRound, PointType, Standard
from civicgrid.organizations.models import Unit

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class PlanForm(forms.Form):
    """The office's plan form; the service (planning.create_plan) checks the rules."""

    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("检查类型"), choices=InspectionKind.choices)
    standard = forms.ModelChoiceField(Standard.objects.filter(status="active"), label=_("标准"))
    round = forms.ModelChoiceField(AssessmentRound.objects.filter(status="open"), label=_("暗访轮次"), required=False)
    region_code = forms.CharField(label=_("区域代码"), max_length=20)
    selection = forms.ChoiceField(label=_("点位选取"), choices=Selection.choices, initial=Selection.TYPE_IN_REGION)
    point_types = forms.ModelMultipleChoiceField(PointType.objects.all(), label=_("点位类型"), required=False,
                                                 to_field_name="slug")
    places = forms.CharField(label=_("指定点位"), required=False, help_text=_("点位编码，用逗号或换行分隔"),
                             widget=forms.Textarea(attrs={"rows": 2}))
    draw_per_type = forms.IntegerField(label=_("每类抽取数"), min_value=0, initial=0, required=False)
    contracted = forms.BooleanField(label=_("由包保领导和包保部门检查"), required=False)
    recurrence = forms.ChoiceField(label=_("周期"), choices=Recurrence.choices, initial=Recurrence.DAILY)
    weekday = forms.IntegerField(label=_("每周几"), min_value=0, max_value=6, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, validators=[supported_date])
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False, validators=[supported_date])
    window_start = forms.TimeField(label=_("时段开始"), widget=TIME, required=False)
    window_end = forms.TimeField(label=_("时段结束"), widget=TIME, required=False)

    def place_codes(self) -> list[str]:
        raw = self.cleaned_data.get("places") or ""
        return [c.strip() for c in raw.replace("，", ",").replace("\n", ",").split(",") if c.strip()]


class GenerateForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=DATE, validators=[supported_date])
    end = forms.DateField(label=_("结束日期"), widget=DATE, validators=[supported_date])


class RoundForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    firm = forms.ModelChoiceField(Unit.objects.filter(kind="assessment_firm"), label=_("第三方机构"))
    standard = forms.ModelChoiceField(Standard.objects.filter(status="active"), label=_("标准"))
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, validators=[supported_date])
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, validators=[supported_date])
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StandardImportForm(forms.Form):
    code = forms.SlugField(label=_("标准代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=200)
    file = forms.FileField(label=_("Excel文件"))
