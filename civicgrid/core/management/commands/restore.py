"""civicgrid restore FILE — bring a backup back into an empty instance (then `civicgrid migrate` as usual)."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from civicgrid.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a `civicgrid backup` archive into an empty instance (database and media)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        connection.close()  # SQLite: the file is replaced, no connection may hold the old one
        try:
            manifest = restore(file, storage=default_storage, progress=lambda step: self.stdout.write(f"… {step}"))
        except (BackupError, OSError, KeyError) as exc:
            raise CommandError(f"cannot restore {file}: {exc}") from None
        self.stdout.write(self.style.SUCCESS(
            f"Restored the {manifest['database']} database of {manifest['created_at']} "
            f"({sum(manifest['tables'].values()):,} rows) and {len(manifest['media']):,} media files."))
