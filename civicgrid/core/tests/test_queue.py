"""Background work on a real queue: Redis as the broker and a Celery worker in its own process.

Run by .ci/queue.sh, which starts redis-server and sets CELERY_BROKER_URL and CIVICGRID_TEST_DATABASE_FILE (the
worker must open the same database as the test); `make test` leaves these out.
"""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from civicgrid.cases.models import Case, Notification
from civicgrid.cases.services import perform, report_case
from civicgrid.cases.tests.conftest import world  # noqa: F401  (fixture)

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def worker():
    """A Celery worker on the configured broker, reading and writing the test database."""
    if not settings.CELERY_BROKER_URL or connection.vendor != "sqlite" or \
            connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        pytest.fail("run through .ci/queue.sh: it starts Redis and puts the test database in a file")
    celery = Path(sys.executable).with_name("celery")
    log = Path(connection.settings_dict["NAME"]).with_suffix(".worker.log")
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
                   "CIVICGRID_TEST_DATABASE_FILE": ""}
    with log.open("w") as output:
        process = subprocess.Popen([str(celery), "-A", "civicgrid", "worker", "--pool", "solo", "--loglevel", "INFO",
                                    "--without-gossip", "--without-mingle", "--without-heartbeat"],
                                   env=environment, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    yield log
    process.terminate()
    process.wait(timeout=20)


def wait_for(condition, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker did not do the work in time"
        time.sleep(0.2)


def test_a_dispatch_notification_is_written_with_the_dispatch_not_queued(world, worker):  # noqa: F811
    """The department hears of a case when it becomes theirs: a row of the dispatch's own transaction, whether
    or not a broker is configured (docs/deployment.md: what the queue carries)."""
    u = world["users"]
    lng, lat = world["point"]
    case = report_case(u["gridworker"], case_class=world["garbage"], description="门前垃圾", lng=lng, lat=lat).case
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    assert Notification.objects.filter(case=case, kind="dispatched").exists()


def test_the_periodic_tick_runs_on_the_worker(world, worker):  # noqa: F811
    u = world["users"]
    lng, lat = world["point"]
    case = report_case(u["gridworker"], case_class=world["garbage"], description="超期", lng=lng, lat=lat).case
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    Case.objects.filter(pk=case.pk).update(handle_due=case.reported_at - dt.timedelta(hours=1),
                                           handle_warn_at=case.reported_at - dt.timedelta(hours=2))
    from civicgrid.celery import run_task

    run_task.delay("civicgrid.cases.services.tick", [])
    wait_for(lambda: Case.objects.get(pk=case.pk).escalated_at is not None)


def test_a_photos_thumbnail_is_drawn_by_the_worker(world, worker):  # noqa: F811
    from django.test import Client

    from civicgrid.cases.models import Photo
    from civicgrid.cases.photos import store_photo
    from civicgrid.cases.tests.conftest import jpeg, upload

    photo = store_photo(upload(jpeg()), world["users"]["gridworker"])
    client = Client()
    client.force_login(world["users"]["gridworker"])
    assert client.get(f"/photos/{photo.uid}/thumb/").status_code == 200  # the public copy stands in meanwhile
    wait_for(lambda: bool(Photo.objects.get(pk=photo.pk).thumbnail))
    assert "Task civicgrid.run[" in worker.read_text() and "succeeded" in worker.read_text()  # it ran there
    photo.refresh_from_db()
    assert photo.thumbnail.name.startswith("photos/thumbs/")
