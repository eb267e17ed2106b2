"""Long exports do not block: above EXPORT_BACKGROUND_ROWS a job writes the file while the page shows progress."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from civicgrid.cases.services import report_case
from civicgrid.core import exports
from civicgrid.core.exports import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    lng, lat = world["point"]
    return [report_case(world["users"]["gridworker"], case_class=world["garbage"], description=f"第{n}处",
                        lng=lng, lat=lat).case for n in range(5)]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))


def test_a_small_export_is_answered_at_once(world, cases, settings):
    settings.EXPORT_BACKGROUND_ROWS = 100
    response = client_for(world["users"]["admin"]).get("/cases/export.xlsx")
    assert response.status_code == 200 and len(rows_of(response.content)) == 5
    assert not ExportJob.objects.exists()


def test_a_large_export_becomes_a_job_with_progress_and_a_download(world, cases, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.EXPORT_BACKGROUND_ROWS = 2
    office = client_for(world["users"]["admin"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = office.get("/cases/export.xlsx?state=reported")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.uid}/"
    assert (job.status, job.rows_total, job.params) == ("pending", 5, {"state": ["reported"]}) and len(queued) == 1

    page = office.get(f"/exports/{job.uid}/").content.decode()
    assert 'data-status="pending"' in page and 'hx-trigger="every 1s"' in page and "export-download" not in page
    exports.run(job.pk)  # what the worker or the thread does
    partial = office.get(f"/exports/{job.uid}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in partial and "hx-trigger" not in partial and "export-download" in partial
    download = office.get(f"/exports/{job.uid}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    content = b"".join(download.streaming_content) if download.streaming else download.content
    assert sorted(r[0] for r in rows_of(content)) == sorted(c.number for c in cases)


def test_a_job_is_its_owners_alone(world, cases, settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    client_for(world["users"]["admin"]).get("/cases/export.xlsx")
    job = ExportJob.objects.get()
    exports.run(job.pk)
    other = client_for(world["users"]["inspector"])
    assert other.get(f"/exports/{job.uid}/").status_code == 404
    assert other.get(f"/exports/{job.uid}/download/").status_code == 404


def test_the_job_exports_only_what_its_owner_may_see(world, cases):
    job = exports.start(world["users"]["other_community"], "cases", {}, total=5)
    exports.run(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == 0


def test_progress_is_recorded_while_writing_and_a_job_runs_once(world, cases, settings, monkeypatch):
    settings.EXPORT_BACKGROUND_ROWS = 0
    client_for(world["users"]["admin"]).get("/cases/export.xlsx")
    job = ExportJob.objects.get()
    seen = []
    write_to = exports.excel.write_to
    monkeypatch.setattr(exports.excel, "write_to", lambda target, sheets, progress, **kw: write_to(
        target, sheets, progress=lambda n: (progress(n), seen.append(ExportJob.objects.get(pk=job.pk).rows_done)),
        every=2))
    exports.run(job.pk)
    exports.run(job.pk)  # queued twice: written once
    assert seen == [2, 4]
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.percent) == ("done", 5, 100)


def test_every_case_export_is_in_the_audit_log(world, cases, settings):
    from civicgrid.audit.models import AuditEvent

    settings.EXPORT_BACKGROUND_ROWS = 100
    client_for(world["users"]["community"]).get("/cases/export.xlsx?state=reported")
    settings.EXPORT_BACKGROUND_ROWS = 0
    client_for(world["users"]["admin"]).get("/cases/export.xlsx")
    events = list(AuditEvent.objects.filter(kind="export", target="cases").order_by("id"))
    assert [(e.actor_username, e.detail["rows"]) for e in events] == [("community", 5), ("admin", 5)]
    assert events[0].detail["filters"] == {"state": ["reported"]}


def test_a_worker_process_knows_the_export_kind_without_loading_the_pages():
    import subprocess
    import sys

    script = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'civicgrid.settings'; django.setup(); "
              "import sys; from civicgrid.core.exports import KINDS; "
              "sys.exit(0 if 'cases' in KINDS and 'civicgrid.cases.views' not in sys.modules else 1)")
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 0


def test_a_job_of_an_unknown_kind_fails_visibly_instead_of_running_forever(world):
    job = ExportJob.objects.create(kind="nothing", owner=world["users"]["admin"], filename="x.xlsx")
    exports.run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "KeyError")


def test_a_job_whose_process_died_says_so_and_tick_records_it(world):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    job = ExportJob.objects.create(kind="cases", owner=world["users"]["admin"], filename="x.xlsx", status="running")
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    page = client_for(world["users"]["admin"]).get(f"/exports/{job.uid}/").content.decode()
    assert "hx-trigger" not in page and 'role="alert"' in page  # polling stops, the failure is shown
    assert ExportJob.objects.get(pk=job.pk).status == "running"  # reading the page writes nothing
    call_command("tick", verbosity=0)
    assert ExportJob.objects.get(pk=job.pk).status == "failed"
