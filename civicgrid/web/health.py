"""GET /health/ for the load balancer and monitoring: is every part this process needs reachable?

Each check is small and bounded; the answer names which part failed but nothing about the data. 200 when all
pass, 503 otherwise, so a balancer takes the instance out of rotation.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def _storage() -> None:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise RuntimeError("the storage did not return what was stored")
    finally:
        default_storage.delete(name)


def _queue() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return "in-process"
    from django.utils.module_loading import import_string

    with import_string(settings.TASK_QUEUE_APP).connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=2)
    return None


CHECKS = {"database": _database, "cache": _cache, "storage": _storage, "queue": _queue}


@never_cache
def health(request):
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            note = check()
        except Exception as exc:  # any failure of a part is the answer, never a 500
            healthy = False
            results[name] = {"ok": False, "error": exc.__class__.__name__}
        else:
            results[name] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1),
                             **({"mode": note} if note else {})}
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503)
