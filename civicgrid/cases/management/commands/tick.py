"""civicgrid tick — warn at 80 % of a limit and escalate overdue cases (idempotent; cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from civicgrid.cases.services import tick
from civicgrid.core import exports


class Command(BaseCommand):
    help = "Mark cases due soon and escalate overdue ones to the leader contracted to their street. Safe to repeat."

    def handle(self, *args, **options):
        result = tick()
        exports.abandon_stale()
        if options["verbosity"]:
            self.stdout.write(f"due soon: {result.due_soon}, escalated: {result.escalated}")
