from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from civicgrid.workcal.calendar import PACKAGE_YEARS
from civicgrid.workcal.models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "published_on", "note"]

    def changelist_view(self, request, extra_context=None):
        from django.utils import timezone

        year = timezone.localdate().year
        for candidate in (year, year + 1):
            if candidate not in PACKAGE_YEARS and not CalendarYear.objects.filter(year=candidate).exists():
                messages.warning(request, _("%(year)s 年的法定节假日和调休尚未录入：期限暂按周一至周五计算。")
                                 % {"year": candidate})
        return super().changelist_view(request, extra_context)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
