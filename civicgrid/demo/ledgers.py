"""The demo district's ledgers, filled so that the demo briefing states the seed article's figures
(domain.md §1): 276 compounds with 457 bulletin columns and 11,256 boards, 50,000-odd people mobilised,
6 markets renovated with ¥4.17 M from their operators and ¥1.18 M of awards, 3,759 small businesses,
3,000-odd health certificates, 200-odd mosquito lamps, 3,500 bins in 33 old compounds, the cleanup of 19
compounds with its quantities, 66 compounds' roads repaired, 50 replanted, 14 streets upgraded,
200,000 m² of facades, and 14,000 illegal structures (525,800 m²) demolished.

Every total is split over many records (deterministically, by seed), so the briefing really adds them up.
Dates fall in the campaign year (CAMPAIGN_START onwards); health certificates expire relative to today, so
the expiry lists always have something to show.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from civicgrid.demo.seed import CAMPAIGN_START
from civicgrid.ledgers import models as m
from civicgrid.organizations.models import Unit
from civicgrid.territory.choices import Level
from civicgrid.territory.codes import code_length
from civicgrid.territory.models import Place, Region

MATERIALS = [("致浑南区居民的一封“家书”", 100_000), ("三城联创致浑南区居民一封信", 50_000)]
CLEANUP_TOTALS = {"person_times": 1449, "vehicle_trips": 3026, "garbage": 8330, "debris_piles": 626,
                  "small_posters": 3674, "weeds": 54_000, "illegal_plots": 139, "abandoned_vehicles": 88}
FRINGE = ["前榆村", "张纱布", "古城子", "304国道沿线"]


def split(total: int, parts: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """`parts` positive integers (at least `minimum` each) adding up to `total`."""
    spare = total - parts * minimum
    cuts = sorted(rng.randint(0, spare) for _ in range(parts - 1))
    return [minimum + b - a for a, b in zip([0, *cuts], [*cuts, spare], strict=True)]


def day(rng: random.Random, first: int = 0, last: int = 300) -> dt.date:
    return CAMPAIGN_START + dt.timedelta(days=rng.randint(first, last))


class LedgerBuilder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed + 6)
        self.district = Region.objects.get(level="district")
        self.streets = list(Region.objects.filter(level="street").order_by("code"))
        self.kinds = {k.slug: k for k in m.WorkKind.objects.all()}

    def run(self) -> None:
        self.publicity()
        self.mobilisation()
        self.markets()
        self.small_businesses()
        self.health()
        self.old_compounds()
        self.demolitions()

    def publicity(self) -> None:
        compounds = list(Place.objects.filter(kind__slug="compound").order_by("code"))
        extra_columns = set(self.rng.sample(range(len(compounds)), 457 - len(compounds)))
        boards = split(11_256, len(compounds), self.rng, minimum=30)
        assets = []
        for n, compound in enumerate(compounds):
            installed = day(self.rng, 10, 120)
            assets.append(m.PublicityAsset(place=compound, kind=m.AssetKind.COLUMN, region_code=compound.region_code,
                                           count=2 if n in extra_columns else 1, installed_on=installed))
            assets.append(m.PublicityAsset(place=compound, kind=m.AssetKind.BOARD, region_code=compound.region_code,
                                           count=boards[n], installed_on=installed))
        for slug, kind in (("square", m.AssetKind.LED), ("construction_site", m.AssetKind.HOARDING),
                           ("road", m.AssetKind.ROAD_FLAG), ("station", m.AssetKind.TRAM_STATION)):
            for place in Place.objects.filter(kind__slug=slug).order_by("code"):
                assets.append(m.PublicityAsset(place=place, kind=kind, region_code=place.region_code,
                                               count=self.rng.randint(1, 6), installed_on=day(self.rng, 10, 150)))
        m.PublicityAsset.objects.bulk_create(assets, batch_size=1000)

    def mobilisation(self) -> None:
        titles = [("“三城联创”进社区宣传", m.MobilisationKind.DISTRIBUTION), ("创城诗歌千字文巡回展演", m.MobilisationKind.PERFORMANCE),
                  ("志愿者清洁家园行动", m.MobilisationKind.VOLUNTEERING), ("“三城联创”主题快闪", m.MobilisationKind.CAMPAIGN_EVENT),
                  ("万步有约健走激励大赛", m.MobilisationKind.CAMPAIGN_EVENT), ("电子版“家书”与微信H5转发", m.MobilisationKind.ONLINE)]
        count = 45
        people = split(50_368, count, self.rng, minimum=200)
        views = split(500_000, 9, self.rng, minimum=10_000)
        events = []
        for n in range(count):
            street = self.streets[n % len(self.streets)]
            title, kind = titles[n % len(titles)]
            group = split(people[n], 4, self.rng, minimum=10)
            events.append(m.MobilisationEvent(
                date=day(self.rng, 20, 280), title=f"{street.name}{title}（第{n // len(self.streets) + 1}场）", kind=kind,
                region_code=street.code, organiser=f"{street.name}办事处", volunteers=group[0],
                community_workers=group[1], officials=group[2], students=group[3],
                online_views=views.pop() if kind == m.MobilisationKind.ONLINE and views else 0))
        m.MobilisationEvent.objects.bulk_create(events)
        events = list(m.MobilisationEvent.objects.filter(kind=m.MobilisationKind.DISTRIBUTION).order_by("id"))
        if views:  # whatever was not given to online events goes to the district-wide one
            events[0].online_views += sum(views)
            events[0].save(update_fields=["online_views"])
        materials = []
        for name, total in MATERIALS:
            for event, amount in zip(events, split(total, len(events), self.rng, minimum=100), strict=True):
                materials.append(m.Material(event=event, name=name, count=amount))
        m.Material.objects.bulk_create(materials)

    def markets(self) -> None:
        operator_funds = split(4_170_000 // 1000, 6, self.rng, minimum=300)
        awards = split(1_180_000 // 1000, 6, self.rng, minimum=100)
        for n, place in enumerate(Place.objects.filter(kind__slug="market").order_by("code")):
            market = m.Market.objects.create(
                place=place, operator=place.responsible_unit, region_code=place.region_code,
                area=Decimal(self.rng.randrange(2500, 9000, 50)), stalls=self.rng.randint(80, 260),
                zones="蔬菜、肉类、水产、熟食、粮油、活禽", testing_room=True)
            started = day(self.rng, 30, 90)
            renovation = m.Renovation.objects.create(
                market=market, name=f"{place.name}升级改造", region_code=place.region_code,
                budget=Decimal((operator_funds[n] + awards[n]) * 1000), started_on=started,
                progress=self.rng.choice([60, 75, 90, 100]),
                milestones=f"{started} 开工\n{started + dt.timedelta(days=45)} 主体完工\n"
                           f"{started + dt.timedelta(days=60)} 食品快检室投入使用")
            city = awards[n] * 1000 // 2
            m.Funding.objects.bulk_create([
                m.Funding(renovation=renovation, source=m.FundingSource.OPERATOR, amount=operator_funds[n] * 1000,
                          received_on=started, region_code=place.region_code),
                m.Funding(renovation=renovation, source=m.FundingSource.CITY_AWARD, amount=city,
                          received_on=started + dt.timedelta(days=60), region_code=place.region_code),
                m.Funding(renovation=renovation, source=m.FundingSource.DISTRICT_AWARD, amount=awards[n] * 1000 - city,
                          received_on=started + dt.timedelta(days=75), region_code=place.region_code),
            ])

    def small_businesses(self) -> None:
        today = timezone.localdate()
        shops = list(Place.objects.filter(kind__slug="shop").select_related("category", "chief").order_by("code"))
        food = {"small_restaurant", "small_food_shop"}
        businesses = []
        for n, shop in enumerate(shops):
            permit = m.PermitKind.FOOD if shop.category and shop.category.slug in food else m.PermitKind.HYGIENE
            businesses.append(m.SmallBusiness(
                place=shop, category=shop.category, name=shop.name, licence_number=f"91210112MA{n:07d}",
                region_code=shop.region_code, permit_kind=permit, permit_number=f"JY2101120{n:06d}",
                permit_expires_on=today + dt.timedelta(days=self.rng.randint(-30, 900)),
                floor_area=Decimal(self.rng.randint(12, 180)),
                letter_signed_on=day(self.rng, 40, 100) if self.rng.random() < 0.985 else None,
                vector_control=self.rng.random() < 0.93,
                rectification=self.rng.choices(list(m.Rectification.values), weights=[80, 6, 6, 8])[0]))
        m.SmallBusiness.objects.bulk_create(businesses, batch_size=1000)
        staff = []
        from civicgrid.demo import names

        for business in m.SmallBusiness.objects.only("id", "region_code").order_by("id"):
            for _ in range(self.rng.randint(1, 3)):
                expires = today + dt.timedelta(days=self.rng.randint(-40, 360)) if self.rng.random() < 0.97 else None
                staff.append(m.StaffMember(business=business, region_code=business.region_code,
                                           name=names.person_name(self.rng), certificate_expires_on=expires,
                                           certificate_number=f"JK{self.rng.randrange(10**9):09d}" if expires else ""))
        m.StaffMember.objects.bulk_create(staff, batch_size=2000, ignore_conflicts=True)

    def health(self) -> None:
        certificates = split(3046, 12, self.rng, minimum=120)
        lamps = split(215, 5, self.rng, minimum=20)
        services = []
        for n, amount in enumerate(certificates):
            street = self.streets[n]
            services.append(m.HealthService(date=day(self.rng, 60, 200), kind=m.HealthService.Kind.CERTIFICATE_DRIVE,
                                            item="健康证", count=amount, region_code=street.code,
                                            organiser="区卫生健康局（体检车上门）"))
        for n, amount in enumerate(lamps):
            street = self.streets[-1 - n]
            services.append(m.HealthService(date=day(self.rng, 120, 220), kind=m.HealthService.Kind.HANDOUT,
                                            item="防蚊灯", count=amount, region_code=street.code,
                                            organiser="区爱国卫生运动委员会办公室"))
        m.HealthService.objects.bulk_create(services)

    def _operation(self, title, kind, region_code, date, places=(), units=(), quantities=()) -> m.Operation:
        operation = m.Operation.objects.create(title=title, kind=kind, region_code=region_code, date=date)
        operation.places.add(*places)
        operation.units.add(*units)
        m.Quantity.objects.bulk_create([m.Quantity(operation=operation, kind=self.kinds[slug], amount=Decimal(amount))
                                        for slug, amount in quantities])
        return operation

    def old_compounds(self) -> None:
        old = list(Place.objects.filter(kind__slug="compound", is_old_compound=True).order_by("code"))
        for place, bins in zip(old, split(3500, len(old), self.rng, minimum=40), strict=True):
            self._operation(f"{place.name}配置封闭式垃圾桶", m.OperationKind.DELIVERY, place.region_code,
                            day(self.rng, 30, 90), [place], quantities=[("bins_delivered", bins)])
        cleaned = self.rng.sample(old, 19)
        shares = {slug: split(total, len(cleaned), self.rng) for slug, total in CLEANUP_TOTALS.items()}
        enforcement = Unit.objects.filter(name__endswith="城市管理行政执法局").first()
        traffic = Unit.objects.filter(name__endswith="交通警察大队").first()
        for n, place in enumerate(cleaned):
            self._operation(f"{place.name}环境卫生集中清理", m.OperationKind.CLEANUP, place.region_code,
                            day(self.rng, 60, 200), [place], [u for u in (enforcement, traffic) if u],
                            [(slug, shares[slug][n]) for slug in CLEANUP_TOTALS])
        compounds = list(Place.objects.filter(kind__slug="compound").order_by("code"))
        for slug, total, title in (("roads_repaired", 66, "老旧弃管小区路面修补"), ("replanted", 50, "小区绿化补植")):
            chosen = self.rng.sample(compounds, total)
            for street in self.streets:
                here = [p for p in chosen if p.region_code.startswith(street.code)]
                if here:
                    self._operation(f"{street.name}{title}", m.OperationKind.RENOVATION, street.code,
                                    day(self.rng, 90, 260), here, quantities=[(slug, len(here))])
        roads = list(Place.objects.filter(kind__slug="road").order_by("code"))
        upgraded = self.rng.sample(roads, 14)
        facades = split(200_000, 14, self.rng, minimum=5000)
        for place, area in zip(upgraded, facades, strict=True):
            self._operation(f"{place.name}街路提升改造", m.OperationKind.RENOVATION, place.region_code[:code_length(Level.STREET)],
                            day(self.rng, 100, 280), [place], quantities=[("streets_upgraded", 1), ("facades", area)])

    def demolitions(self) -> None:
        counts = split(14_000, len(FRINGE), self.rng, minimum=1500)
        areas = split(525_800 // 100, len(FRINGE), self.rng, minimum=600)
        units = list(Unit.objects.filter(name__regex=r"(城市管理行政执法局|交通运输局|自然资源分局|公安分局|交通警察大队)$"))
        for n, name in enumerate(FRINGE):
            street = self.streets[(n * 4) % len(self.streets)]
            self._operation(f"{name}违法建设联合拆除", m.OperationKind.JOINT_ENFORCEMENT, street.code,
                            day(self.rng, 30, 290), units=units,
                            quantities=[("demolished", counts[n]), ("demolished_area", areas[n] * 100)])


def generate_ledgers(seed: int) -> bool:
    """Fill the ledgers once (when no small business is registered yet); True when it did."""
    if m.SmallBusiness.objects.exists() or not Place.objects.filter(kind__slug="shop").exists():
        return False
    with transaction.atomic():
        LedgerBuilder(seed).run()
    return True
