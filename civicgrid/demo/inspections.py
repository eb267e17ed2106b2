"""A month of demo inspections, run through the same services as the phone page.

Plans: the contracted leaders' and departments' morning checks and night patrols (a random draw of
places per point type each day, each place checked by whoever is contracted to its street, in turn),
the chiefs' daily patrols of the markets and a dozen main roads, and two undercover rounds (a point per type a day) by the
third-party firm (each lasting up to a week) — the earlier one published (its cases dispatched), the later one not. About one in
twelve assignments is missed, so coverage has something to show. Failed items open cases (or add to
the open case of the same place and item), exactly as in the field.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from civicgrid.cases.photos import store_photo
from civicgrid.inspections import planning, services
from civicgrid.inspections.choices import InspectionKind, Selection
from civicgrid.inspections.models import Assignment, Inspection, PointType
from civicgrid.inspections.services import ResultEntry
from civicgrid.organizations.models import Unit
from civicgrid.territory.models import Place

DAYS = 30
FAIL_SHARE = 0.07  # of items, in routine checks
UNDERCOVER_FAIL_SHARE = 0.12  # assessors find more
MISSED_SHARE = 0.08
ROUTINE_TYPES = ["main_road", "back_lane", "farmers_market", "compound", "square_park", "school_area",
                 "construction_site", "small_business"]


def _demo_photos(count: int = 6) -> list:
    """A few small photos shared by the demo's failed items (drawn, not downloaded)."""
    import io

    from PIL import Image, ImageDraw

    photos = []
    for n in range(count):
        image = Image.new("RGB", (320, 240), (90 + 25 * n, 120, 100))
        ImageDraw.Draw(image).rectangle((40 + 10 * n, 60, 200, 180), outline=(255, 255, 255), width=6)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG")
        photos.append(store_photo(SimpleUploadedFile(f"demo{n}.jpg", buffer.getvalue(), "image/jpeg"), None))
    return photos


class InspectionHistory:
    def __init__(self, seed: int, progress: Callable[[int], None], days: int = DAYS):
        self.rng = random.Random(seed + 4)
        self.progress = progress
        self.today = timezone.localdate()
        self.first_day = self.today - dt.timedelta(days=days)
        self.round_days = max(1, min(6, days // 3))
        self.last_day = self.today - dt.timedelta(days=1)
        self.photos = _demo_photos()
        self.standard = services.current_standard()
        self.assessor = get_user_model().objects.filter(username="assessor").first()
        self.done = 0

    def run(self) -> int:
        routine = list(PointType.objects.filter(slug__in=ROUTINE_TYPES))
        for kind, name in ((InspectionKind.MORNING, "包保领导和部门晨检"), (InspectionKind.NIGHT, "包保领导和部门夜查")):
            plan = planning.create_plan(None, name=name, kind=kind, standard=self.standard, region_code="210112",
                                        starts_on=self.first_day, selection=Selection.RANDOM_DRAW, draw_per_type=1,
                                        draw_seed=2018, contracted=True, point_types=routine)
            self._work(plan, FAIL_SHARE)
        patrolled = list(Place.objects.filter(kind__slug="market")) + list(
            Place.objects.filter(kind__slug="road").order_by("code")[:12])
        plan = planning.create_plan(None, name="五长每日巡查（场长、路长）", kind=InspectionKind.CHIEF_PATROL,
                                    standard=self.standard, region_code="210112", starts_on=self.first_day,
                                    selection=Selection.LISTED, places=patrolled)
        self._work(plan, FAIL_SHARE / 2)
        firm = Unit.objects.filter(kind="assessment_firm").order_by("code").first()
        span = dt.timedelta(days=self.round_days)
        for number, (start, published) in enumerate(((self.first_day, True),
                                                     (self.today - span - dt.timedelta(days=1), False)), start=1):
            round_ = services.create_round(None, name=f"第三方暗访第{number}轮", firm=firm, standard=self.standard,
                                           starts_on=start, ends_on=start + span, note="随机抽取点位，实地暗访")
            plan = planning.create_plan(None, name=f"暗访第{number}轮点位", kind=InspectionKind.UNDERCOVER,
                                        standard=self.standard, region_code="210112", starts_on=start,
                                        ends_on=start + span, round_=round_,
                                        selection=Selection.RANDOM_DRAW, draw_per_type=1, draw_seed=number,
                                        window_start=dt.time(9), window_end=dt.time(17), point_types=routine)
            self._work(plan, UNDERCOVER_FAIL_SHARE, round_=round_, missed_share=0.0)
            if published:
                services.publish_round(None, round_, now=timezone.make_aware(
                    dt.datetime.combine(round_.ends_on + dt.timedelta(days=1), dt.time(10))))
        return self.done

    def _work(self, plan, fail_share: float, round_=None, missed_share: float = MISSED_SHARE) -> None:
        planning.generate_assignments(plan, plan.starts_on, plan.ends_on or self.last_day)
        for assignment in (Assignment.objects.filter(plan=plan).select_related("place", "point_type", "assignee")
                           .order_by("day", "id")):
            if self.rng.random() < missed_share:
                continue
            span = (assignment.window_end - assignment.window_start).total_seconds()
            at = assignment.window_start + dt.timedelta(seconds=self.rng.uniform(0.05, 0.7) * span)
            place = assignment.place
            name = assignment.assignee.name if assignment.assignee else (
                assignment.assignee_unit.name if assignment.assignee_unit else "")
            with transaction.atomic():
                inspection = services.start_inspection(
                    self.assessor if round_ else None, place=place, kind=plan.kind, assignment=assignment,
                    round_=round_, lng=place.lng + self.rng.uniform(-0.0004, 0.0004),
                    lat=place.lat + self.rng.uniform(-0.0003, 0.0003), now=at, inspector_name=name)
                entries = []
                for item in services.checklist(inspection.standard, inspection.point_type):
                    if self.rng.random() < fail_share:
                        entries.append(ResultEntry(item.code, "fail", self.rng.choice((1, 1, 1, 2, 3)),
                                                   "", [self.rng.choice(self.photos)]))
                    else:
                        entries.append(ResultEntry(item.code, "pass"))
                services.record_results(None, inspection, entries)
                services.submit_inspection(None, inspection, now=at + dt.timedelta(minutes=self.rng.randint(8, 25)))
            self.done += 1
            self.progress(1)


def generate_inspections(seed: int, progress: Callable[[int], None] = lambda n: None, days: int = DAYS) -> int:
    """`days` (default a month) of inspections when there are none yet; returns how many were made."""
    if Inspection.objects.exists() or services.current_standard() is None:
        return 0
    return InspectionHistory(seed, progress, days).run()
