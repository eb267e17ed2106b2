"""The Celery app, used only when CELERY_BROKER_URL is set.

    celery -A civicgrid worker -B        # a worker, plus beat for the periodic tick
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicgrid.settings")

app = Celery("civicgrid")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = {
    "tick": {"task": "civicgrid.run", "schedule": 60.0, "args": ["civicgrid.cases.services.tick", []]},
    # Deferred (quiet hours) and failed notifications; new ones are sent as soon as they are committed.
    "notifications": {"task": "civicgrid.run", "schedule": 60.0,
                      "args": ["civicgrid.notifications.services.send_due", []]},
    "abandoned_exports": {"task": "civicgrid.run", "schedule": 3600.0,
                          "args": ["civicgrid.core.exports.abandon_stale", []]},
    "plan_assignments": {"task": "civicgrid.run", "schedule": 3600.0,
                         "args": ["civicgrid.inspections.planning.generate_upcoming", []]},
}


@app.task(name="civicgrid.run", acks_late=True)
def run_task(path: str, args: list) -> None:
    from civicgrid.core.tasks import run

    run(path, args)
