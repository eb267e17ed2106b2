"""Shared set-up of the field app benchmarks: the demo district, a grid worker who also inspects and handles in
the busiest grid, a live server in a thread and Chromium driven by Playwright."""

from __future__ import annotations

import os

import _django

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN",
         "timezone_id": "Asia/Shanghai", "permissions": ["geolocation"]}
# DevTools' "Fast 3G" preset (bytes per second).
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
           "uploadThroughput": 750 * 1024 / 8 * 0.9}


def setup(history_days: int = 60):
    _django.setup(history_days=history_days)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def field_worker(username: str = "field_bench"):
    """A grid worker of the grid with the most open cases, who also inspects there and handles for the unit
    that holds most of that grid's cases: the fullest bundle a grid worker's phone would keep."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from civicgrid.cases.choices import OPEN_STATES
    from civicgrid.cases.models import Case
    from civicgrid.organizations.choices import Role
    from civicgrid.organizations.models import Person
    from civicgrid.organizations.services import grant_role
    from civicgrid.territory.models import Region

    busiest = (Case.objects.filter(state__in=OPEN_STATES).values("region_code").annotate(n=Count("id"))
               .order_by("-n").first())
    grid = Region.objects.get(code=busiest["region_code"])
    unit = (Case.objects.filter(region_code=grid.code, responsible_unit__isnull=False).values("responsible_unit")
            .annotate(n=Count("id")).order_by("-n").first())
    user = get_user_model().objects.create_user(username=username, password="bench-pw-1")
    grant_role(user, Role.GRID_WORKER, region=grid)
    grant_role(user, Role.INSPECTOR, region=grid)
    if unit:
        from civicgrid.organizations.models import Unit

        grant_role(user, Role.HANDLER, unit=Unit.objects.get(pk=unit["responsible_unit"]))
    Person.objects.create(name="测试网格员", user=user)
    return user, grid


def live_server():
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("localhost", StaticFilesHandler, connections_override=None, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    return f"http://localhost:{thread.port}"


def log_in(page, url: str, username: str, password: str = "bench-pw-1") -> None:
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def open_and_sync(page, url: str, timeout: int = 120_000) -> None:
    page.goto(f"{url}/field/")
    page.wait_for_function("() => document.body.dataset.sync === 'done'", timeout=timeout)
