"""civicgrid import_calendar YEAR FILE.xlsx — enter a year's official holidays and adjusted workdays."""

from django.core.management.base import BaseCommand, CommandError

from civicgrid.core.excel import ExcelError
from civicgrid.workcal.services import import_calendar


class Command(BaseCommand):
    help = "Import a year's holidays (休) and adjusted workdays (班) from Excel (columns 日期, 类型, 名称)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("file")

    def handle(self, *args, year, file, **options):
        try:
            with open(file, "rb") as handle:
                result = import_calendar(handle, year)
        except (OSError, ExcelError) as exc:
            raise CommandError(str(exc)) from None
        if result.problems:
            for p in result.problems:
                self.stderr.write(f"row {p.row}, {p.column}: {p.reason}")
            raise CommandError(f"{len(result.problems)} bad row(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{year}: {result.days} days entered; the year is now official."))
