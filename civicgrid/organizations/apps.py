from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "civicgrid.organizations"
    verbose_name = _("单位与人员")
