"""Issue 17, "quick": 50 inspections recorded offline, each with one failed item and its photo, then synced on
DevTools' "Fast 3G" profile (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up, through the DevTools protocol).
Each photo is a 4000×3000 camera-like JPEG, picked in the form and resized by the app (≤ 1600 px) as on a phone.
Times from the network coming back until all 50 are sent (photo, start, results, submit each). Target: ≤ 60 s.

    .venv/bin/python bench/field_sync.py [--inspections 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time

import _field


def camera_photo(path: str) -> None:
    """A photo-like picture: smooth light, some shapes, sensor noise (JPEG quality 90, as phones save)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(17)
    image = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(4000), rng.randrange(3000)
        draw.rectangle([x, y, x + rng.randrange(100, 900), y + rng.randrange(100, 700)],
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(3))
    noise = Image.effect_noise((4000, 3000), 12).convert("RGB")
    Image.blend(image, noise, 0.08).save(path, "JPEG", quality=90)


def assignments(user, grid, count: int) -> None:
    from django.utils import timezone

    from civicgrid.inspections.models import Assignment, Plan, Standard
    from civicgrid.inspections.services import point_type_for
    from civicgrid.territory.models import Place

    standard = Standard.objects.get(code="wmcs-local", version=1)
    places = [p for p in Place.objects.filter(region_code__startswith=grid.code[:9]).order_by("code")
              if point_type_for(p, standard)][:count]
    plan = Plan.objects.create(name="基准检查", kind="special", standard=standard, region_code=grid.code[:9],
                               starts_on=timezone.localdate(), selection="listed",
                               window_start=dt.time(0, 0), window_end=dt.time(23, 59))
    start = timezone.now().replace(hour=0, minute=0)
    for place in places:
        Assignment.objects.create(plan=plan, day=timezone.localdate(), kind="special", place=place,
                                  point_type=point_type_for(place, standard), assignee=user.person,
                                  window_start=start, window_end=start + dt.timedelta(hours=23),
                                  region_code=place.region_code)
    assert len(places) == count, f"only {len(places)} places to inspect near {grid.code}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inspections", type=int, default=50)
    args = parser.parse_args()
    _field.setup()
    from playwright.sync_api import sync_playwright

    from civicgrid.inspections.models import Inspection

    user, grid = _field.field_worker()
    from civicgrid.organizations.choices import Role
    from civicgrid.organizations.services import grant_role
    from civicgrid.territory.models import Region

    grant_role(user, Role.INSPECTOR, region=Region.objects.get(code=grid.code[:9]))  # the street's places
    assignments(user, grid, args.inspections)
    photo = tempfile.mktemp(suffix=".jpg")
    camera_photo(photo)
    url = _field.live_server()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_field.CHROMIUM, headless=True, args=_field.ARGS)
        context = browser.new_context(geolocation={"latitude": 41.8, "longitude": 123.4}, **_field.PHONE)
        page = context.new_page()
        page.set_default_timeout(60_000)
        _field.log_in(page, url, user.username)
        _field.open_and_sync(page, url)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {**_field.FAST_3G, "offline": True})
        for _ in range(args.inspections):
            page.goto(f"{url}/field/#inspect")
            page.locator("#assignments a").first.click()
            item = page.locator("fieldset.item").first
            item.locator("label.outcome-fail").click()
            item.locator("input[type=file]").set_input_files(photo)
            item.locator(".previews img").wait_for()
            page.click("#inspect-form button[type=submit]")
            page.wait_for_url("**#outbox")
        waiting = page.locator(".outbox-item[data-status=waiting]").count()
        photo_bytes = page.evaluate("""async () => {
            const uid = JSON.parse(document.getElementById('field-config').textContent).user_id;
            const db = await idb.openDB('civicgrid-field-' + uid);
            const blobs = await db.getAll('blobs'); db.close();
            return blobs.reduce((n, b) => n + b.size, 0) / blobs.length;
        }""")
        started = time.perf_counter()
        cdp.send("Network.emulateNetworkConditions", _field.FAST_3G)  # back online, on Fast 3G: the app syncs
        page.wait_for_function(f"() => document.querySelectorAll('.outbox-item[data-status=sent]').length === "
                               f"{args.inspections}", timeout=600_000, polling=250)
        seconds = time.perf_counter() - started
        browser.close()
    submitted = Inspection.objects.filter(inspector=user, status="submitted").count()
    print(json.dumps({"scenario": "field_sync_fast3g", "inspections": args.inspections, "queued": waiting,
                      "submitted_on_server": submitted, "mean_photo_bytes": round(photo_bytes),
                      "seconds": round(seconds, 1), "target_s": 60, "met": seconds <= 60}))


if __name__ == "__main__":
    main()
