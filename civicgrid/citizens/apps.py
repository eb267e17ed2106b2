from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "civicgrid.citizens"
    verbose_name = _("公众参与")

    def ready(self):
        from civicgrid.citizens import receivers  # noqa: F401  (case events reach the reporter)
