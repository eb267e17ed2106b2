"""civicgrid export_regions [--within CODE] [-o FILE] — boundaries as a GeoJSON FeatureCollection."""

import json
import sys

from django.core.management.base import BaseCommand

from civicgrid.territory.models import Region
from civicgrid.territory.services import export_regions


class Command(BaseCommand):
    help = "Export regions as a GeoJSON FeatureCollection (the format import_regions reads)."

    def add_arguments(self, parser):
        parser.add_argument("--within", default="", help="a region code: export that subtree only")
        parser.add_argument("--level", choices=["district", "street", "community", "grid"])
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, within, level, output, **options):
        queryset = Region.objects.within(within)
        if level:
            queryset = queryset.filter(level=level)
        text = json.dumps(export_regions(queryset), ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stdout.write(self.style.SUCCESS(f"Wrote {queryset.count()} regions to {output}"))
        else:
            sys.stdout.write(text + "\n")
