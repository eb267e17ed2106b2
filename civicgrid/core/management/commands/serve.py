"""Serve CivicGrid on 127.0.0.1 (development server with static files)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve on 127.0.0.1:PORT and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--tick-every", type=float, default=60.0,
                            help="seconds between in-process runs of `civicgrid tick` (0 turns them off)")

    def handle(self, *args, host, port, tick_every, **options):
        self.stdout.write(self.style.SUCCESS(f"CivicGrid: http://{host}:{port}/"))
        if settings.DEMO_MODE:
            self.stdout.write("Demo mode: log in as admin, leader, street, community, gridworker … with password demo.")
        if tick_every > 0:
            from civicgrid.core.periodic import start

            start(["tick", "send_notifications"], tick_every)
            # Inspection plans' assignments for today and tomorrow: now, then hourly (idempotent).
            call_command("plan_assignments", verbosity=0)
            start(["plan_assignments"], 3600)
        call_command("runserver", f"{host}:{port}", use_reloader=False)
