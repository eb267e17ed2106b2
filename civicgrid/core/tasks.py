"""Background work after commit: in-process by default, on Celery (Redis) when CELERY_BROKER_URL is set.

A task is a dotted path to a plain function taking JSON-able arguments, so the same function runs
in either place and services never depend on the queue.
"""

from __future__ import annotations

import importlib
import logging
import threading

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def run(path: str, args: list) -> None:
    """Import and call the function at `path`."""
    module, _, name = path.rpartition(".")
    getattr(importlib.import_module(module), name)(*args)


def enqueue(path: str, *args) -> None:
    """Run `path(*args)` once the current transaction commits (never for a rolled-back change)."""
    transaction.on_commit(lambda: _dispatch(path, list(args)))


def _dispatch(path: str, args: list) -> None:
    if settings.CELERY_BROKER_URL:
        from django.utils.module_loading import import_string

        import_string(settings.TASK_QUEUE_APP).tasks["civicgrid.run"].delay(path, args)
        return
    try:
        run(path, args)
    except Exception:  # a failed side effect is logged; the committed change stands
        log.exception("background task %s failed", path)


def enqueue_background(path: str, *args) -> None:
    """Like `enqueue`, for work too long to run in the request: on Celery when configured, otherwise in a
    thread of this process, so the page answers at once (the work's own rows say how far it got)."""
    transaction.on_commit(lambda: _dispatch_background(path, list(args)))


def _dispatch_background(path: str, args: list) -> None:
    if settings.CELERY_BROKER_URL:
        _dispatch(path, args)
        return

    def work():
        from django.db import connection

        try:
            run(path, args)
        except Exception:
            log.exception("background task %s failed", path)
        finally:
            connection.close()  # the thread's own connection

    threading.Thread(target=work, name=f"civicgrid:{path}", daemon=True).start()
