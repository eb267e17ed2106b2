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
        parser.add_argument("--history-days", type=int, default=365,
                            help="days of case history to generate when there are no cases yet (0: none)")

    def handle(self, *args, seed, history_days, **options):
        from django.conf import settings

        started = time.monotonic()
        quiet = options["verbosity"] == 0
        from civicgrid.demo.history import CASES_PER_DAY

        with (tqdm(total=len(DemoBuilder.STEPS), desc="district", unit="step", disable=quiet) as bar,
              tqdm(total=history_days * CASES_PER_DAY, desc="case history", unit="case", disable=quiet) as cases,
              tqdm(desc="inspections (a month)", unit="inspection", disable=quiet) as inspections):
            def progress(label: str) -> None:
                bar.set_postfix_str(label)
                bar.update(1)

            report = seed_demo(seed=seed, progress=progress, history_days=history_days,
                               history_progress=cases.update, inspection_progress=inspections.update)
        elapsed = time.monotonic() - started
        if options["verbosity"] == 0:
            return
        if report.created or report.ledgers_created or report.cases_created or report.inspections_created:
            self.stdout.write(self.style.SUCCESS(
                f"Demo loaded in {elapsed:.1f} s ({report.cases_created} cases of history, {report.inspections_created} inspections)."))
        else:
            self.stdout.write("Demo district already present: nothing changed.")
        if options["verbosity"] > 1:
            for key, value in report.counts.items():
                self.stdout.write(f"  {key}: {value}")
        if settings.DEMO_MODE:
            self.stdout.write(describe_logins())
