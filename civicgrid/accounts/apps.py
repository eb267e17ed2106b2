from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civicgrid.accounts"
    verbose_name = _("账号安全")

    def ready(self):
        from civicgrid.accounts import signals  # noqa: F401  (connects the login and grant receivers)
        from civicgrid.audit.models import VALUE_LABELS
        from civicgrid.organizations.choices import Role

        VALUE_LABELS["role"] = dict(Role.choices)  # a grant change's role, by its name in the audit log
