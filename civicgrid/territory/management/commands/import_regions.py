"""civicgrid import_regions FILE — import boundaries from a GeoJSON FeatureCollection, all or nothing."""

import json

from django.core.management.base import BaseCommand, CommandError

from civicgrid.territory.services import RegionImportError, import_regions


class Command(BaseCommand):
    help = "Import regions (district/street/community/grid) from a GeoJSON FeatureCollection."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a .geojson file (properties: code, name, [level, parent, area_class])")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                collection = json.load(handle)
        except (OSError, ValueError, RecursionError) as exc:
            raise CommandError(f"cannot read {file}: {exc.__class__.__name__}: {exc}") from None
        try:
            result = import_regions(collection)
        except RegionImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS(
            f"Imported {result.created} new and {result.updated} updated regions; "
            f"{result.places_relocated} places moved to another grid."
        ))
