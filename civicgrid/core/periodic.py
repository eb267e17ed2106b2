"""Periodic jobs run in-process for `make run` (production runs `civicgrid tick` from cron or a timer)."""

from __future__ import annotations

import logging
import threading

from django.core.management import call_command
from django.db import close_old_connections

log = logging.getLogger(__name__)


def start(commands: list[str], every_seconds: float) -> threading.Event:
    """Run each management command every `every_seconds` in a daemon thread; set the event to stop."""
    stop = threading.Event()

    def loop():
        while not stop.wait(every_seconds):
            for command in commands:
                try:
                    close_old_connections()
                    call_command(command, verbosity=0)
                except Exception:  # a failed run is logged and retried next time, never kills the server
                    log.exception("periodic %s failed", command)
                finally:
                    close_old_connections()

    threading.Thread(target=loop, name="civicgrid-periodic", daemon=True).start()
    return stop
