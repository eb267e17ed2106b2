"""Settings for bench/intake.py: the product plus one baseline endpoint."""

from civicgrid.settings import *  # noqa: F403

ROOT_URLCONF = "intake_urls"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
