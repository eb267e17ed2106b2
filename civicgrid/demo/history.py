"""A year of case history for the demo district, generated in memory and bulk-inserted.

Every case follows the state machine (its events replay to its state); class shares follow the
Beijing month in domain.md §2 (市容环境 65.2 %, 街面秩序 24.5 %, 宣传广告 3.2 %, 公用设施 2.1 %,
施工管理 2.0 %, the rest spread over the other classes); about 5 % of cases are reworked and
about 15 % overrun their handling deadline. Deadlines come from the rulebook through
add_working_time, like live cases.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civicgrid.cases import deadlines
from civicgrid.cases.choices import SOURCES_NEEDING_VERIFICATION, CloseType, Source, State, Urgency
from civicgrid.cases.deadlines import due_moment
from civicgrid.cases.models import Case, CaseClass, CaseCounter, CaseEvent
from civicgrid.organizations.choices import UnitKind
from civicgrid.organizations.models import Unit
from civicgrid.territory import locator
from civicgrid.territory.models import Region
from civicgrid.workcal.calendar import add_working_time

CASES_PER_DAY = 140  # ≈ 51,000 a year, the order of a district this size (domain.md §7)
CLASS_SHARES = [  # (type, major) → share
    (("event", "01"), 65.2), (("event", "05"), 24.5), (("event", "02"), 3.2), (("component", "01"), 2.1),
    (("event", "03"), 2.0), (("component", "03"), 1.0), (("component", "05"), 0.6), (("component", "04"), 0.5),
    (("component", "02"), 0.5), (("event", "04"), 0.4),
]
SOURCE_SHARES = [(Source.INSPECTOR_PATROL, 68), (Source.HOTLINE_12345, 15), (Source.PUBLIC_REPORT, 5),
                 (Source.INSPECTION, 6), (Source.LEADER_ASSIGNMENT, 2), (Source.DEPARTMENT_TRANSFER, 2),
                 (Source.MEDIA, 1), (Source.UNDERCOVER, 1)]
DESCRIPTIONS = {
    "暴露垃圾": ["路边暴露垃圾约2平方米", "绿化带内有生活垃圾", "小区门口垃圾未清运"],
    "店外经营": ["商户出店经营占用人行道", "水果摊摆放到店外"], "机动车乱停放": ["机动车占用人行道停放", "车辆堵塞消防通道"],
    "非法张贴小广告": ["电线杆上小广告多处", "楼道墙面小广告"], "路灯": ["路灯夜间不亮", "连续多盏路灯不亮"],
}


@dataclass
class Actor:
    user_id: int | None
    name: str


class HistoryBuilder:
    def __init__(self, days: int, seed: int, progress: Callable[[int], None]):
        self.rng = random.Random(seed)
        self.days = days
        self.progress = progress
        self.now = timezone.now()
        self.ratings: dict[str, tuple] = {}
        self.classes = list(CaseClass.objects.prefetch_related("criteria").select_related("default_department"))
        self.by_group: dict[tuple[str, str], list[CaseClass]] = {}
        for c in self.classes:
            if c.criteria.all():
                self.by_group.setdefault((c.type, c.major_code), []).append(c)
        self.community_units = dict(Unit.objects.filter(kind=UnitKind.COMMUNITY_COMMITTEE)
                                    .values_list("region__code", "id"))
        self.area_classes = dict(Region.objects.grids().values_list("code", "area_class"))
        users = {u.username: u.pk for u in get_user_model().objects.filter(
            username__in=["acceptor", "shift_leader", "dispatcher", "inspector", "handler", "gridworker", "admin"])}
        self.actor = {role: Actor(users.get(role), name) for role, name in [
            ("acceptor", "受理员"), ("shift_leader", "值班长"), ("dispatcher", "派遣员"), ("inspector", "监督员"),
            ("handler", "部门处置人员"), ("gridworker", "网格员"), ("admin", "创城办")]}
        self.citizen = Actor(None, "")

    def points(self, count: int) -> list[tuple[float, float, str]]:
        """Random points that fall inside a grid, with the grid's code (vectorised)."""
        index = locator.get_index()
        district = Region.objects.get(level="district").geometry
        minx, miny, maxx, maxy = district.bounds
        rng = np.random.default_rng(self.rng.randrange(2**32))
        found: list[tuple[float, float, str]] = []
        while len(found) < count:
            lngs, lats = rng.uniform(minx, maxx, count), rng.uniform(miny, maxy, count)
            for x, y, i in zip(lngs, lats, index.locate_indices(lngs, lats), strict=True):
                if i != locator.OUTSIDE:
                    found.append((round(float(x), 7), round(float(y), 7), index.codes[i]))
        return found[:count]

    def reported_times(self, count: int) -> list[dt.datetime]:
        start = self.now - dt.timedelta(days=self.days)
        times = []
        for _ in range(count):
            day = start + dt.timedelta(days=self.rng.random() * self.days)
            local = timezone.localtime(day).replace(hour=self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0],
                                                     minute=self.rng.randrange(60), second=self.rng.randrange(60))
            times.append(min(local, self.now - dt.timedelta(minutes=5)))
        return sorted(times)

    def run(self) -> int:
        count = CASES_PER_DAY * self.days
        times = self.reported_times(count)
        points = self.points(count)
        groups, weights = zip(*[(g, w) for g, w in CLASS_SHARES if g in self.by_group], strict=True)
        sources, source_weights = zip(*SOURCE_SHARES, strict=True)
        counters: Counter = Counter()
        cases, trails = [], []
        for i, reported in enumerate(times):
            case_class = self.rng.choice(self.by_group[self.rng.choices(groups, weights)[0]])
            lng, lat, grid = points[i]
            day = timezone.localtime(reported).date()
            counters[day] += 1
            case = Case(
                number=f"{settings.DISTRICT_CODE}-{day:%Y%m%d}-{counters[day]:05d}",
                source=self.rng.choices(sources, source_weights)[0], case_class=case_class,
                description=self.rng.choice(DESCRIPTIONS.get(case_class.minor_name, [case_class.minor_name])),
                lng=lng, lat=lat, area_class=self.area_classes.get(grid, "B"),
                urgency=Urgency.URGENT if self.rng.random() < 0.04 else Urgency.NORMAL, reported_at=reported,
                reporter_name="",
            )
            if case.source != Source.PUBLIC_REPORT:
                case.reporter_name = self.actor["gridworker"].name
            case.set_region(grid)
            trails.append(self.live(case))
            # Undercover findings still awaiting the office's decision stay embargoed; older ones were published.
            case.embargoed = case.source == Source.UNDERCOVER and case.state in (State.REPORTED, State.VERIFIED)
            cases.append(case)
            if len(cases) % 5000 == 0:
                self.progress(5000)
        self.save(cases, trails, counters)
        self.progress(len(cases) % 5000)
        return len(cases)

    def live(self, case: Case) -> list[tuple]:
        """Walk one case through the loop; returns its events as (action, at, from, to, actor, note, data)."""
        rng, t = self.rng, case.reported_at
        reporter = self.citizen if case.source == Source.PUBLIC_REPORT else self.actor["gridworker"]
        events = [("report", t, "", State.REPORTED, reporter, "", {})]
        state = State.REPORTED

        def step(action, to, role, minutes, note="", data=None):
            nonlocal t, state
            t = min(t + dt.timedelta(minutes=minutes), self.now - dt.timedelta(minutes=1))
            events.append((action, t, state, to, self.actor[role], note, data or {}))
            state = to
            return t

        age_days = (self.now - case.reported_at).total_seconds() / 86400

        def pause() -> bool:
            # The last two days' cases stop part-way, so every role's queue has work in the demo.
            return age_days < 0.04 or (age_days < 2 and rng.random() < 0.2)

        # The deadlines intake and the loop set (cases.effects, cases.deadlines): verify, file, dispatch.
        if case.source in SOURCES_NEEDING_VERIFICATION:
            case.verify_due = t + dt.timedelta(minutes=deadlines.check_minutes(case.area_class))
        else:
            case.file_due = t + dt.timedelta(minutes=deadlines.file_minutes(case.urgency))
        if case.source in SOURCES_NEEDING_VERIFICATION:
            if pause():
                return self.finish(case, events, state)
            case.verified_at = step("verify", State.VERIFIED, "inspector", rng.uniform(10, 80))
            case.file_due = t + dt.timedelta(minutes=deadlines.file_minutes(case.urgency))
        if pause():
            return self.finish(case, events, state)
        if rng.random() < 0.03:
            action = rng.choice(["reject", "void"])
            case.closed_at = step(action, State.REJECTED if action == "reject" else State.VOIDED, "shift_leader",
                                  rng.uniform(5, 40), note="不符合立案条件" if action == "reject" else "重复上报")
            return self.finish(case, events, state)
        case.criterion = rng.choice(list(case.case_class.criteria.all()))
        unit_id = case.case_class.default_department_id or self.community_units.get(case.region_code[:12])
        case.responsible_unit_id = unit_id
        case.routing_note = "按类别责任部门" if case.case_class.default_department_id else "属地社区"
        # Most filings come within minutes; some wait for a busy shift (a few percent late, as in real months).
        case.filed_at = step("file", State.FILED, "shift_leader",
                             rng.uniform(35, 150) if rng.random() < 0.06 else rng.uniform(3, 25))
        case.dispatch_due = t + dt.timedelta(minutes=deadlines.file_minutes(case.urgency))
        if rng.random() < 0.015:  # filed, then found to repeat a case already filed: voided (准确立案率 < 100 %)
            case.closed_at = step("void", State.VOIDED, "shift_leader", rng.uniform(5, 60), note="立案后发现重复")
            return self.finish(case, events, state)
        if pause():
            return self.finish(case, events, state)
        case.dispatched_at = step("dispatch", State.HANDLING, "dispatcher", rng.uniform(2, 20))
        limit = case.criterion.limit_for(case.area_class) * (0.5 if case.urgency == Urgency.URGENT else 1)
        deadline = add_working_time(case.dispatched_at, limit, case.criterion.unit)
        case.handle_due = deadline.at
        case.handle_warn_at = add_working_time(case.dispatched_at, limit * 0.8, case.criterion.unit).at
        if rng.random() < 0.02:
            step("return", State.RETURNED, "handler", rng.uniform(20, 120), note="非本单位职责")
            case.return_count += 1
            step("dispatch", State.HANDLING, "dispatcher", rng.uniform(10, 60))
        if rng.random() < 0.03:
            step("request_extension", State.EXTENSION_REQUESTED, "handler", rng.uniform(30, 240),
                 note="需协调施工车辆", data={"amount": 1})
            if pause():
                return self.finish(case, events, state)
            step("approve_extension", State.HANDLING, "dispatcher", rng.uniform(10, 60))
            case.handle_due = add_working_time(case.handle_due, 1, case.criterion.unit).at
            case.extension_count += 1
        window = (case.handle_due - case.dispatched_at).total_seconds() / 60
        overdue = rng.random() < 0.15
        handled_at = case.dispatched_at + dt.timedelta(
            minutes=window * (rng.uniform(1.05, 2.5) if overdue else rng.uniform(0.15, 0.95)))
        if handled_at >= self.now:
            return self.finish(case, events, state)  # still being handled (overdue or not, derived later)
        case.handled_at = case.first_handled_at = step(
            "handle", State.HANDLED, "handler", max((handled_at - t).total_seconds() / 60, 1), note="已处置完毕")
        case.due_at = due_moment(case.first_handled_at, case.handle_due)
        if rng.random() < 0.05:
            step("check_fail", State.HANDLING, "inspector", rng.uniform(20, 90), note="现场复核未整改到位")
            case.rework_count += 1
            if t + dt.timedelta(hours=4) >= self.now:
                return self.finish(case, events, state)
            case.handled_at = step("handle", State.HANDLED, "handler", rng.uniform(60, 240), note="已返工整改")
        if t + dt.timedelta(hours=2) >= self.now or pause():
            return self.finish(case, events, state)
        case.checked_at = step("check_pass", State.CHECKED, "inspector", rng.uniform(15, 100))
        if pause():
            return self.finish(case, events, state)
        case.closed_at = step("close", State.CLOSED, "shift_leader", rng.uniform(5, 60))
        case.close_type = CloseType.NORMAL if case.handled_at <= case.handle_due else CloseType.OVERDUE
        self.rate(case, events)
        return self.finish(case, events, state)

    def rate(self, case: Case, events: list[tuple]) -> None:
        """Citizens' reports and 12345 calls are asked for a rating once closed (civicgrid.citizens); most
        answer, mostly 满意, a late or reworked case less so; a recent 不满意 waits for the office's review,
        an older one was kept closed."""
        rng = self.rng
        if case.source not in (Source.PUBLIC_REPORT, Source.HOTLINE_12345) or rng.random() < 0.3:
            return
        at = case.closed_at + dt.timedelta(hours=rng.uniform(1, 48))
        if at >= self.now:
            return
        unhappy = 0.25 if case.close_type == CloseType.OVERDUE or case.rework_count else 0.06
        rating = rng.choices(RATINGS, weights=[1 - unhappy - 0.2, 0.2, unhappy])[0]
        pending = rating == "dissatisfied" and self.now - at < dt.timedelta(days=settings.CITIZEN_REVIEW_WINDOW_DAYS)
        review = "pending" if pending else ("kept" if rating == "dissatisfied" else "")
        comment = rng.choice(RATING_COMMENTS[rating])
        events.append(("feedback", at, State.CLOSED, State.CLOSED, self.citizen, comment,
                       {"rating": rating, "rating_label": RATING_LABELS[rating], "review": review}))
        if review == "kept":
            events.append(("review_keep", at + dt.timedelta(hours=rng.uniform(2, 30)), State.CLOSED, State.CLOSED,
                           self.actor["admin"], "复核：现场已按标准整改，维持结案", {}))
        self.ratings[case.number] = (rating, comment, at, review)

    @staticmethod
    def finish(case: Case, events: list[tuple], state: State) -> list[tuple]:
        if case.due_at is None:
            case.due_at = due_moment(case.first_handled_at, case.handle_due)
        case.state = state
        case.version = len(events)
        return events

    def save(self, cases: list[Case], trails: list[list[tuple]], counters: Counter) -> None:
        from civicgrid.citizens.models import PublicReport

        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=2000)  # primary keys come back (SQLite ≥ 3.35, PostgreSQL)
            reports = []
            for case in cases:
                if case.source != Source.PUBLIC_REPORT:
                    continue
                rating, comment, rated_at, review = self.ratings.get(case.number, ("", "", None, ""))
                phone = f"13{self.rng.randrange(10**9):09d}" if self.rng.random() < 0.6 else ""
                reports.append(PublicReport(case_id=case.pk, phone=phone, rating=rating, comment=comment,
                                            rated_at=rated_at, review=review, reviewed_at=rated_at if review == "kept" else None))
            PublicReport.objects.bulk_create(reports, batch_size=2000)
            rows = [
                CaseEvent(case_id=case.pk, seq=seq, action=a, at=at, from_state=f, to_state=to,
                          actor_id=actor.user_id, actor_name=actor.name, note=note, data=data)
                for case, trail in zip(cases, trails, strict=True)
                for seq, (a, at, f, to, actor, note, data) in enumerate(trail, start=1)
            ]
            CaseEvent.objects.bulk_create(rows, batch_size=5000)
            for day, last in counters.items():
                CaseCounter.objects.update_or_create(day=day, defaults={"last": last})


RATINGS = ["satisfied", "fairly", "dissatisfied"]
RATING_LABELS = {"satisfied": "满意", "fairly": "基本满意", "dissatisfied": "不满意"}
RATING_COMMENTS = {"satisfied": ["", "处理很快，谢谢", "已经清理干净了"], "fairly": ["", "处理了但有点慢"],
                   "dissatisfied": ["没有彻底解决", "过两天又一样了", "处理太慢"]}

# Reports cluster in working hours, with a smaller evening peak (night patrols, 12345 calls).
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 10, 9, 6, 8, 10, 10, 9, 8, 6, 6, 5, 4, 2, 1]


def generate_history(days: int, seed: int = 2018, progress: Callable[[int], None] = lambda n: None) -> int:
    """Create `days` of history unless cases exist already; returns how many cases were made."""
    if days <= 0 or Case.objects.exists():
        return 0
    return HistoryBuilder(days, seed, progress).run()
