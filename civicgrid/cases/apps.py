from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "civicgrid.cases"
    verbose_name = _("案件")

    def ready(self):
        from django.db.models.signals import post_save

        from civicgrid.cases import checks, exports, reference  # noqa: F401  (checks, the export kind, receivers)
        from civicgrid.workcal.models import CalendarYear

        post_save.connect(_calendar_year_entered, sender=CalendarYear, dispatch_uid="cases-calendar-year-entered")


def _calendar_year_entered(sender, instance, created, **kwargs):
    """The office entered a year's official schedule: provisional deadlines reaching into it are recomputed once
    the entry commits (in the background: it may touch many cases)."""
    if created:
        from civicgrid.core.tasks import enqueue

        enqueue("civicgrid.cases.services.calendar.recompute_provisional_deadlines", instance.year)
