import pytest

from civicgrid.core import tasks

calls = []


def record(*args):
    calls.append(args)


@pytest.fixture(autouse=True)
def _clear():
    calls.clear()


@pytest.mark.django_db
def test_tasks_run_in_process_after_commit(django_capture_on_commit_callbacks, settings):
    settings.CELERY_BROKER_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue("civicgrid.core.tests.test_tasks.record", 1, "a")
        assert calls == []  # nothing before the commit
    assert calls == [(1, "a")]


@pytest.mark.django_db
def test_tasks_never_run_for_a_rolled_back_change(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        tasks.enqueue("civicgrid.core.tests.test_tasks.record", 2)
        transaction.set_rollback(True)
    assert callbacks == [] and calls == []


@pytest.mark.django_db
def test_tasks_go_through_celery_when_a_broker_is_configured(django_capture_on_commit_callbacks, settings,
                                                            monkeypatch):
    from civicgrid.celery import app, run_task

    sent = []
    original = run_task.delay
    monkeypatch.setattr(run_task, "delay", lambda *args: sent.append(args) or original(*args))
    settings.CELERY_BROKER_URL = "memory://"
    app.conf.task_always_eager = True  # executes through Celery's task machinery without a worker
    try:
        with django_capture_on_commit_callbacks(execute=True):
            tasks.enqueue("civicgrid.core.tests.test_tasks.record", 3)
    finally:
        app.conf.task_always_eager = False
    assert sent == [("civicgrid.core.tests.test_tasks.record", [3])]  # handed to Celery, not run in-process
    assert calls == [(3,)]


@pytest.mark.django_db
def test_without_a_broker_celery_is_never_used(django_capture_on_commit_callbacks, settings, monkeypatch):
    from civicgrid.celery import run_task

    monkeypatch.setattr(run_task, "delay", lambda *args: pytest.fail("sent to Celery without a broker"))
    settings.CELERY_BROKER_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue("civicgrid.core.tests.test_tasks.record", 4)
    assert calls == [(4,)]


def test_a_failing_in_process_task_is_logged_not_raised(settings, caplog):
    settings.CELERY_BROKER_URL = ""
    tasks._dispatch("civicgrid.core.tests.test_tasks.missing_function", [])
    assert "background task" in caplog.text


def test_a_timed_cache_keeps_at_most_its_bound_of_entries():
    from civicgrid.core.cache import TimedCache

    cache = TimedCache(ttl=60, max_entries=3)
    for n in range(1000):  # a million wrong API keys would be no different
        cache.get(f"key-{n}", lambda: None)
    assert len(cache) == 3
    loads = []
    assert cache.get("key-999", lambda: loads.append(1)) is None and loads == []  # the newest are kept
