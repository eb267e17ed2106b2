"""civicgrid send_notifications — send the deliveries whose time has come and retry the failed ones."""

from django.core.management.base import BaseCommand

from civicgrid.notifications.services import send_due


class Command(BaseCommand):
    help = "Send pending and deferred notifications, retry failed ones (idempotent; cron or a timer)."

    def handle(self, *args, **options):
        sent = send_due()
        if options["verbosity"]:
            self.stdout.write(f"sent: {sent}")
