"""Set up Django for a benchmark on a fresh database (a temporary SQLite file unless DATABASE_URL is set)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def setup(seed_demo: bool = True, history_days: int = 365) -> None:
    """Point the settings at a scratch directory, migrate and (optionally) load the demo district."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="civicgrid-bench-"))
    os.environ.setdefault("DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "civicgrid.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if seed_demo:
        call_command("seed_demo", verbosity=0, history_days=history_days)
