"""civicgrid number_grids COMMUNITY_CODE… | --all — renumber grids west→east, north→south."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from civicgrid.territory.choices import Level
from civicgrid.territory.models import Region
from civicgrid.territory.services import number_grids


class Command(BaseCommand):
    help = "Renumber each community's grids in reading order (rows north→south, west→east within a row)."

    def add_arguments(self, parser):
        parser.add_argument("communities", nargs="*", help="community codes (12 digits)")
        parser.add_argument("--all", action="store_true", help="every community")

    def handle(self, *args, communities, **options):
        if options["all"]:
            communities = list(Region.objects.filter(level=Level.COMMUNITY).values_list("code", flat=True))
        if not communities:
            raise CommandError("name at least one community code, or --all")
        unknown = set(communities) - set(Region.objects.filter(code__in=communities, level=Level.COMMUNITY)
                                         .values_list("code", flat=True))
        if unknown:
            raise CommandError(f"not community codes: {', '.join(sorted(unknown))}")
        changed = 0
        for code in tqdm(communities, desc="number_grids", disable=len(communities) < 5 or options["verbosity"] == 0):
            for old, new in number_grids(code).items():
                changed += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"{old} → {new}")
        self.stdout.write(self.style.SUCCESS(f"{changed} grid code(s) changed."))
