from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalConfig(AppConfig):
    name = "civicgrid.workcal"
    verbose_name = _("工作日历")

    def ready(self):
        from civicgrid.workcal import signals  # noqa: F401
