"""Load the demo district (浑南区): deterministic, idempotent, with a progress bar."""

import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from civicgrid.demo.logins import describe_logins
from civicgrid.demo.seed import DemoBuilder, seed_demo


class Command(BaseCommand):
    help = "Build the demo district once; a second run changes nothing. Logins only in DEMO_MODE."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2018, help="random seed (same seed, same district)")

    def handle(self, *args, seed, **options):
        from django.conf import settings

        started = time.monotonic()
        with tqdm(total=len(DemoBuilder.STEPS), desc="seed_demo", unit="step", disable=options["verbosity"] == 0) as bar:
            def progress(label: str) -> None:
                bar.set_postfix_str(label)
                bar.update(1)

            report = seed_demo(seed=seed, progress=progress)
        elapsed = time.monotonic() - started
        if options["verbosity"] == 0:
            return
        if report.created:
            self.stdout.write(self.style.SUCCESS(f"Demo district loaded in {elapsed:.1f} s."))
        else:
            self.stdout.write("Demo district already present: nothing changed.")
        if options["verbosity"] > 1:
            for key, value in report.counts.items():
                self.stdout.write(f"  {key}: {value}")
        if settings.DEMO_MODE:
            self.stdout.write(describe_logins())
