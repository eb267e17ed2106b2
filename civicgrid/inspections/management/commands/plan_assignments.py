"""civicgrid plan_assignments — produce the active plans' assignments for today and the coming days."""

from django.core.management.base import BaseCommand

from civicgrid.inspections.planning import generate_upcoming


class Command(BaseCommand):
    help = "Create today's and the next days' assignments of every active inspection plan. Safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=1, help="how many days ahead of today (default 1)")

    def handle(self, *args, days, **options):
        created = generate_upcoming(days)
        if options["verbosity"]:
            self.stdout.write(f"assignments created: {created}")
