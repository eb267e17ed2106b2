import datetime as dt
import hashlib
import json
import random

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from civicgrid.core.scoping import scope_for
from civicgrid.demo import geography, names
from civicgrid.demo.logins import DEMO_LOGINS
from civicgrid.demo.seed import demo_counts, seed_demo
from civicgrid.organizations.models import Contract
from civicgrid.territory.models import Place, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction that is rolled back afterwards (seeding takes seconds)."""
    fast_hash = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(DEMO_MODE=True, PASSWORD_HASHERS=fast_hash), \
            transaction.atomic():
        seed_demo(seed=2018)
        yield demo_counts()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db, settings):
    settings.DEMO_MODE = True
    return seeded_once


def test_the_demo_district_has_the_articles_shape(seeded):
    assert seeded["regions:district"] == 1 and seeded["regions:street"] == 15
    assert seeded["regions:community"] >= 100 and seeded["regions:grid"] >= 1000
    assert seeded["places:compound"] == 276 and seeded["old_compounds"] == 33
    assert seeded["places:road"] >= 150 and seeded["places:river"] >= 3
    assert seeded["places:market"] == 6 and seeded["places:shop"] == 3759
    assert seeded["departments"] == 59 and seeded["leader_contracts"] == 15
    assert Region.objects.get(level="district").code == "210112"
    assert all(len(code) == 15 for code in Region.objects.grids().values_list("code", flat=True))


def test_every_place_has_a_grid_and_a_chief(seeded):
    assert not Place.objects.filter(region_code="").exists()
    assert not Place.objects.filter(chief__isnull=True).exists()
    assert set(Place.objects.filter(kind__slug="market").values_list("name", flat=True)) == set(names.MARKETS)
    shops = Place.objects.filter(kind__slug="shop")
    assert shops.filter(category__isnull=True).count() == 0
    assert shops.values("category").distinct().count() == 8
    buildings = Place.objects.filter(kind__slug="building")
    assert buildings.filter(parent__kind__slug="compound").count() == buildings.count()
    assert Place.objects.filter(is_old_compound=True, build_year__gt=2000).count() == 0


def test_every_grid_has_a_grid_worker(seeded):
    from civicgrid.organizations.models import Person

    assert Person.objects.filter(title="网格员").count() == seeded["regions:grid"]


def test_leaders_are_contracted_one_to_each_street(seeded):
    contracts = Contract.objects.filter(person__isnull=False, region__level="street")
    assert contracts.values("region").distinct().count() == 15
    assert contracts.values("person").distinct().count() == 15
    assert all(c.letter_signed_on for c in contracts)


def test_a_second_run_changes_nothing(seeded):
    before = demo_counts()
    newest = Place.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    call_command("seed_demo", history_days=0, verbosity=0)
    assert demo_counts() == before
    assert Place.objects.order_by("-updated_at").values_list("updated_at", flat=True).first() == newest


def test_every_demo_login_works_with_password_demo(seeded):
    for username, _, _ in DEMO_LOGINS:
        assert authenticate(username=username, password="demo") is not None, username


def test_demo_logins_have_the_promised_scopes(seeded):
    users = {u.username: u for u in get_user_model().objects.all()}
    first_street = Region.objects.filter(level="street").order_by("code").first()
    first_community = first_street.children.order_by("code").first()
    first_grid = first_community.children.order_by("code").first()
    assert scope_for(users["admin"], "change").everything
    assert scope_for(users["street"], "view").region_prefixes == (first_street.code,)
    assert scope_for(users["community"], "view").region_prefixes == (first_community.code,)
    assert scope_for(users["gridworker"], "view").region_prefixes == (first_grid.code,)
    public = scope_for(users["public"], "view")
    assert public.region_prefixes == () and public.unit_ids == frozenset()  # only what they report themselves
    assert not Place.objects.restrict(users["public"]).exists()
    assert not Region.objects.restrict(users["public"]).exists()
    leader_contract = Contract.objects.get(person__user=users["leader"])
    assert leader_contract.region == first_street
    chief_places = Place.objects.restrict(users["chief"])
    assert chief_places.count() == 1
    assert chief_places.get().kind.slug == "shop" and chief_places.get().region_code.startswith(first_community.code)
    handler_places = Place.objects.restrict(users["handler"])
    assert handler_places.exists() and {p.kind.slug for p in handler_places} <= {"road"}


def _layout_digest(seed: int) -> str:
    _, specs, _ = geography.build("210112", "浑南区", random.Random(seed), names.STREETS,
                                  names.community_names(120))
    return hashlib.sha256(json.dumps([s.feature() for s in specs]).encode()).hexdigest()


def test_the_layout_is_deterministic_per_seed():
    assert _layout_digest(7) == _layout_digest(7)
    assert _layout_digest(7) != _layout_digest(8)


def test_case_history_follows_the_state_machine_and_the_shares(seeded):
    from collections import Counter

    from civicgrid.cases.choices import SOURCES_NEEDING_VERIFICATION
    from civicgrid.cases.models import Case
    from civicgrid.cases.workflow import replay
    from civicgrid.demo.history import CASES_PER_DAY, generate_history

    made = generate_history(days=10, seed=5)
    assert made == 10 * CASES_PER_DAY == Case.objects.count()
    assert generate_history(days=10, seed=5) == 0  # never twice
    groups = Counter(Case.objects.values_list("case_class__major_name", "case_class__type"))
    assert 0.55 < groups[("市容环境", "event")] / made < 0.75
    assert 0.17 < groups[("街面秩序", "event")] / made < 0.32
    for case in Case.objects.prefetch_related("events")[:300]:
        events = sorted(case.events.all(), key=lambda e: e.seq)
        assert len(events) == case.version
        assert replay(events, case.source in SOURCES_NEEDING_VERIFICATION) == case.state
        assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False))
    closed = Case.objects.filter(state="closed")
    assert closed.filter(close_type="overdue").exists() and closed.filter(rework_count__gt=0).exists()


def test_demo_inspections_run_through_the_services(seeded):
    from civicgrid.cases.choices import OPEN_STATES, State
    from civicgrid.cases.models import Case
    from civicgrid.cases.workflow import replay
    from civicgrid.demo.inspections import generate_inspections
    from civicgrid.inspections import coverage
    from civicgrid.inspections.models import AssessmentRound, Inspection

    made = generate_inspections(seed=3, days=4)
    assert made == Inspection.objects.count() > 100
    assert generate_inspections(seed=3, days=4) == 0  # never twice
    kinds = set(Inspection.objects.values_list("kind", flat=True))
    assert kinds == {"morning", "night", "chief_patrol", "undercover"}
    assert sorted(AssessmentRound.objects.values_list("status", flat=True)) == ["open", "published"]
    hidden = Case.objects.filter(embargoed=True)
    assert hidden.exists() and set(hidden.values_list("state", flat=True)) == {State.REPORTED}
    assert not Inspection.objects.filter(round__status="published", embargoed=True).exists()
    findings = Case.objects.exclude(finding_key="").prefetch_related("events")
    assert findings.filter(embargoed=False, state=State.HANDLING).exists()
    for case in findings:
        assert replay(sorted(case.events.all(), key=lambda e: e.seq), False) == case.state
    open_keys = list(findings.filter(state__in=OPEN_STATES).values_list("place_id", "finding_key"))
    assert len(open_keys) == len(set(open_keys))
    from django.utils import timezone

    admin = get_user_model().objects.get(username="admin")
    report = coverage.coverage(admin, Region.objects.get(code="210112"), timezone.localdate() - dt.timedelta(days=4),
                               timezone.localdate())
    assert report.missed and report.chief_patrols and any(w["morning_days"] for w in report.windows)


def test_the_demo_briefing_states_the_seed_articles_figures(seeded):
    from django.utils import timezone

    from civicgrid.briefings import services
    from civicgrid.demo.seed import CAMPAIGN_START

    values = services.figure_values(None, "210112", CAMPAIGN_START, timezone.localdate())
    text = "\n".join(t for _heading, t in services.render_text(services.DEFAULT_TEMPLATE, values))
    for sentence in ("15名区级领导包15个街道办事处", "59个职能部门",
                     "全区276个小区累计设置社区宣传栏457个、宣传板11256个", "共计5万余人", "网络累计浏览量达到50万次",
                     "对区内的6家农贸市场升级改造", "由市场经营主体出资417万元，市、区两级“以奖代补”118万元",
                     "对“八小”行业3759家进行全面监管", "办理健康证3000余个", "配发防蚊灯等物品200余个",
                     "购置封闭式垃圾桶3500个，安装到区内33个老旧小区", "组织对19个老旧小区进行清理",
                     "共出动1449人次，各类车辆3000余台，清理小区内的垃圾8330立方米，清理杂物堆626处、小招贴3674处，"
                     "平整杂草5.4万平方米，清理小开荒139处，清理各类僵尸车辆88辆",
                     "共对66个老旧小区路面展开修补，对50个小区进行绿化补植，对14条街路进行提升改造，"
                     "对20万平方米陈旧的楼体外立面进行修补粉饰", "累计拆除违建1.4万处52.58万平方米"):
        assert sentence in text, sentence


def test_no_indicator_of_the_demo_is_degenerate(seeded):
    """Issue 14: the demo history set no filing deadline, so 按时立案率 was about 0 % for every street. Over a
    demo month, every rate must vary between streets or stand strictly between 0 and 100 % somewhere."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from civicgrid.assessment import services as assessment
    from civicgrid.cases.indicators import INDICATORS
    from civicgrid.demo.history import generate_history

    generate_history(days=45, seed=7)
    today = timezone.localdate()
    office = get_user_model().objects.get(username="admin")
    table = assessment.compute(office, "street", today - dt.timedelta(days=30), today)
    for indicator in INDICATORS:
        rates = [unit["indicators"][indicator.key]["value"] for unit in table["units"]
                 if unit["indicators"][indicator.key]["value"] is not None]
        assert rates, indicator.key
        everywhere_zero = all(r < 0.005 for r in rates)
        everywhere_full = all(r == 1 for r in rates)
        assert not everywhere_zero or indicator.key in {"extension_rate", "rework_rate"}, indicator.key
        assert not everywhere_full, indicator.key


def test_the_demo_shows_the_whole_loop_of_the_article(seeded):
    """Issue 14: a newcomer finds a published briefing, two published bulletins (one criticising units) and
    accountability records; seeding again adds none of them twice."""
    from django.utils.html import strip_tags

    from civicgrid.assessment.models import Accountability, Bulletin, BulletinStatus
    from civicgrid.briefings.models import Briefing, BriefingStatus
    from civicgrid.demo.documents import generate_documents
    from civicgrid.demo.history import generate_history
    from civicgrid.demo.seed import CAMPAIGN_START

    generate_history(days=70, seed=11)
    assert generate_documents(CAMPAIGN_START, "210112") == 5
    published = Bulletin.objects.filter(status=BulletinStatus.PUBLISHED)
    assert published.count() == 2 and any("予以通报批评" in b.body for b in published)
    assert Accountability.objects.count() == 2
    briefing = Briefing.objects.get()
    assert briefing.status == BriefingStatus.PUBLISHED and briefing.public_at is not None
    assert "15名区级领导包15个街道办事处" in strip_tags(briefing.published_html)
    assert generate_documents(CAMPAIGN_START, "210112") == 0
