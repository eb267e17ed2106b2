"""CivicGrid (创城网格管理平台).

The Celery app is loaded with the package, as Celery's Django guide does it, so that code which hands work to
the queue (core.tasks, the health check) finds it as `celery.current_app` without importing the project's
wiring from below; it is used only when CELERY_BROKER_URL is set.
"""

from civicgrid.celery import app as celery_app

__all__ = ["celery_app"]
