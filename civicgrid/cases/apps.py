from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "civicgrid.cases"
    verbose_name = _("案件")

    def ready(self):
        from civicgrid.cases import checks, exports, reference  # noqa: F401  (checks, the export kind, receivers)
