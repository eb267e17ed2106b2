from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civicgrid.notifications"
    verbose_name = _("消息通知")

    def ready(self):
        from civicgrid.notifications import receivers  # noqa: F401  (staff notices reach their chosen channels)
