"""civicgrid backup [-o FILE] — a consistent copy of the database and the media in one .tar.gz."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from civicgrid.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent backup (database and media) to a .tar.gz; `civicgrid restore` brings it back."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="archive to write (default: var/backups/civicgrid-<time>.tar.gz)")

    def handle(self, *args, output=None, **options):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(output) if output else Path(settings.VAR_DIR) / "backups" / f"civicgrid-{stamp}.tar.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            manifest = backup(target, storage=default_storage,
                              progress=lambda step: self.stdout.write(f"… {step}"))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"{target}: {manifest['database']} database, {rows:,} rows in {len(manifest['tables'])} tables, "
            f"{len(manifest['media']):,} media files"))
