"""`seed_demo`: a deterministic demo district modelled on the seed article (浑南区, 210112).

Steps run in order, each in bulk; the regions go through the real import service so the
demo boundaries pass every rule a user's file must pass. The whole load is one transaction:
an interrupted run leaves nothing behind, and a second run finds the district and stops.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from civicgrid.cases.models import Case
from civicgrid.cases.rulebook import load_default_rulebook
from civicgrid.demo import geography, names
from civicgrid.demo.logins import DEMO_PASSWORD
from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.organizations.models import Contract, Person, Unit
from civicgrid.organizations.services import grant_role
from civicgrid.territory import locator
from civicgrid.territory.choices import Level
from civicgrid.territory.models import Place, PlaceCategory, PlaceKind, Region
from civicgrid.territory.services import import_regions

DISTRICT_NAME = "浑南区"
COMPOUNDS, OLD_COMPOUNDS, SHOPS = 276, 33, 3759
CAMPAIGN_START = dt.date(2026, 1, 1)
CITY_APPEARANCE_DEPARTMENT = "城市管理局"


@dataclass
class SeedReport:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    cases_created: int = 0
    inspections_created: int = 0
    documents_created: int = 0
    ledgers_created: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # how long each part took


class DemoBuilder:
    """Builds the district step by step; `progress(label)` is called after each step."""

    def __init__(self, seed: int, progress: Callable[[str], None] = lambda label: None):
        self.rng = random.Random(seed)
        self.progress = progress
        self.district_code = settings.DISTRICT_CODE
        self.kinds = {k.slug: k for k in PlaceKind.objects.all()}
        self.persons: list[Person] = []
        self.places: list[Place] = []
        self.grid_codes: dict[str, list[str]] = {}
        self.place_seq: dict[str, int] = {}

    STEPS = ["regions", "units", "people", "places", "grids of places", "contracts"]

    def run(self) -> None:
        self.build_regions()
        self.progress("regions")
        self.build_units()
        load_default_rulebook()  # attach the shipped classes to the departments that now exist
        self.progress("units")
        self.build_people()
        self.progress("people")
        self.build_places()
        self.progress("places")
        self.link_place_grids()
        self.progress("grids of places")
        self.build_contracts()
        self.progress("contracts")

    # -- territory -------------------------------------------------------------------------------
    def build_regions(self) -> None:
        self.lattice, specs, self.cells = geography.build(
            self.district_code, DISTRICT_NAME, self.rng, names.STREETS,
            names.community_names(geography.STREET_COLS * geography.STREET_ROWS
                                  * geography.COMMUNITY_COLS * geography.COMMUNITY_ROWS),
            settings.GRID_SEQUENCE_WIDTH,
        )
        import_regions({"type": "FeatureCollection", "features": [s.feature() for s in specs]})
        self.regions = {r.code: r for r in Region.objects.all()}
        self.index = locator.build_index()

    # -- organisations ---------------------------------------------------------------------------
    def build_units(self) -> None:
        district = self.regions[self.district_code]
        self.government = Unit.objects.create(code="GOV", name=f"{DISTRICT_NAME}人民政府", kind=UnitKind.LEADERSHIP,
                                              region=district)
        units = [
            Unit(code="CCB", name=f"{DISTRICT_NAME}创城办", kind=UnitKind.CAMPAIGN_OFFICE, parent=self.government,
                 region=district, responsibilities="统筹创建工作，受理、立案、派遣、核查、考核"),
            Unit(code="JKB", name=f"{DISTRICT_NAME}绩考办", kind=UnitKind.ASSESSMENT_OFFICE, parent=self.government,
                 region=district),
            Unit(code="FIRM01", name="辽宁明鉴第三方评估咨询有限公司", kind=UnitKind.ASSESSMENT_FIRM),
        ]
        units += [Unit(code=f"DEPT{n:02d}", name=f"{DISTRICT_NAME}{name}", kind=UnitKind.DEPARTMENT,
                       parent=self.government) for n, name in enumerate(names.DEPARTMENTS, start=1)]
        Unit.objects.bulk_create(units)
        streets = [r for r in self.regions.values() if r.level == Level.STREET]
        Unit.objects.bulk_create([
            Unit(code=f"ST{r.code}", name=f"{r.name}办事处", kind=UnitKind.STREET_OFFICE, parent=self.government,
                 region=r) for r in streets
        ])
        street_units = {u.region_id: u for u in Unit.objects.filter(kind=UnitKind.STREET_OFFICE)}
        Unit.objects.bulk_create([
            Unit(code=f"CM{r.code}", name=f"{r.name}居委会", kind=UnitKind.COMMUNITY_COMMITTEE,
                 parent=street_units[r.parent_id], region=r)
            for r in self.regions.values() if r.level == Level.COMMUNITY
        ])
        Unit.objects.bulk_create([
            Unit(code=f"PM{n:03d}", name=f"{self.rng.choice(names.COMMUNITY_WORDS)}物业服务有限公司（{n}）",
                 kind=UnitKind.PROPERTY_COMPANY) for n in range(1, 41)
        ])
        Unit.objects.bulk_create([
            Unit(code=f"MK{n:02d}", name=market.replace("农贸市场", "市场管理有限公司"), kind=UnitKind.MARKET_OPERATOR)
            for n, market in enumerate(names.MARKETS, start=1)
        ])
        self.units = {u.code: u for u in Unit.objects.all()}
        self.department_by_name = {u.name.removeprefix(DISTRICT_NAME): u for u in self.units.values()
                                   if u.kind == UnitKind.DEPARTMENT}
        self.street_units = {u.region.code: u for u in Unit.objects.filter(kind=UnitKind.STREET_OFFICE)
                             .select_related("region")}
        self.community_units = {u.region.code: u for u in Unit.objects.filter(kind=UnitKind.COMMUNITY_COMMITTEE)
                                .select_related("region")}

    def person(self, unit: Unit | None, title: str) -> Person:
        """Queue a person for bulk insertion (the list keeps insertion order for later lookups)."""
        record = Person(name=names.person_name(self.rng), phone=names.phone(self.rng), title=title, unit=unit)
        self.persons.append(record)
        return record

    def build_people(self) -> None:
        self.leaders = [self.person(self.government, title) for title in names.LEADER_TITLES]
        self.grid_workers = {c.grid_code: self.person(self.community_units[c.community_code], "网格员")
                             for c in self.cells}
        self.community_staff = {code: self.person(unit, "社区书记") for code, unit in self.community_units.items()}
        self.street_staff = {code: self.person(unit, "城建科科长") for code, unit in self.street_units.items()}
        self.office_staff = [self.person(self.units["CCB"], t) for t in ("受理员", "值班长", "派遣员", "监督员")]
        self.handler = self.person(self.department_by_name[CITY_APPEARANCE_DEPARTMENT], "市容科科员")
        self.assessor = self.person(self.units["FIRM01"], "评估员")
        Person.objects.bulk_create(self.persons)
        self.persons = []

    # -- places ----------------------------------------------------------------------------------
    def place(self, slug: str, name: str, geometry: dict, *, unit: Unit | None, chief: Person | None,
              address: str = "", **extra) -> Place:
        self.place_seq[slug] = self.place_seq.get(slug, 0) + 1
        record = Place(code=f"{slug.upper()}-{self.place_seq[slug]:05d}", kind=self.kinds[slug], name=name,
                       address=address, geometry=geometry, responsible_unit=unit, chief=chief, **extra)
        self.places.append(record)
        return record

    def random_cell(self):
        return self.rng.choice(self.cells)

    def point(self, cell) -> tuple[float, float]:
        return self.lattice.point_in_cell(cell.i, cell.j, self.rng)

    def build_places(self) -> None:
        self.build_compounds()
        self.build_lines()
        self.build_markets()
        self.build_shops()
        self.build_other_sites()
        Person.objects.bulk_create(self.persons)
        for place in self.places:  # chiefs now have primary keys
            place.chief_id = place.chief.pk if place.chief else None
            place.lng, place.lat = _representative(place.geometry)
            place.region_code = self.index.locate_code(place.lng, place.lat) or ""
        parents = [p for p in self.places if p.parent is None]
        children = [p for p in self.places if p.parent is not None]
        Place.objects.bulk_create(parents, batch_size=1000)
        for child in children:
            child.parent_id = child.parent.pk
        Place.objects.bulk_create(children, batch_size=1000)

    def build_compounds(self) -> None:
        companies = [u for u in self.units.values() if u.kind == UnitKind.PROPERTY_COMPANY]
        old = set(self.rng.sample(range(COMPOUNDS), OLD_COMPOUNDS))
        used: set[str] = set()
        for n in range(COMPOUNDS):
            cell = self.random_cell()
            lng, lat = self.point(cell)
            is_old = n in old
            types = names.OLD_COMPOUND_TYPES if is_old else names.COMPOUND_TYPES
            name = self._unique_name(
                used, lambda t=types: self.rng.choice(names.COMMUNITY_WORDS) + self.rng.choice(t))
            # Some old compounds have no property company: the community takes them (属地兜底).
            unit = (self.community_units[cell.community_code] if is_old and self.rng.random() < 0.6
                    else self.rng.choice(companies))
            compound = self.place(
                "compound", name, _rectangle(lng, lat, 0.0012, 0.0008), unit=unit,
                chief=self.person(self.community_units[cell.community_code], "小区长"),
                address=f"{self.regions[cell.street_code].name}{name}", is_old_compound=is_old,
                build_year=self.rng.randint(1985, 2000) if is_old else self.rng.randint(2001, 2020),
            )
            for b in range(1, self.rng.randint(4, 8) + 1):
                self.place(
                    "building", f"{name}{b}号楼",
                    {"type": "Point", "coordinates": [round(lng + self.rng.uniform(-0.0005, 0.0005), 7),
                                                      round(lat + self.rng.uniform(-0.0003, 0.0003), 7)]},
                    unit=unit, chief=self.person(self.community_units[cell.community_code], "楼长"),
                    address=f"{name}{b}号楼", parent=compound,
                )

    def build_lines(self) -> None:
        """Roads and back lanes follow lattice lines; rivers cross the district west to east."""
        lat_cols, lat_rows = self.lattice.cols, self.lattice.rows
        used: set[str] = set()
        segments = [("h", j, a, b) for j in range(1, lat_rows) for a, b in _split(lat_cols, self.rng)]
        segments += [("v", i, a, b) for i in range(1, lat_cols) for a, b in _split(lat_rows, self.rng)]
        self.rng.shuffle(segments)
        roads = segments[:160]
        lanes = segments[160:]
        appearance = self.department_by_name[CITY_APPEARANCE_DEPARTMENT]
        for orientation, k, a, b in roads:
            name = self._unique_name(used, lambda: self.rng.choice(names.ROAD_WORDS) + self.rng.choice(names.ROAD_TYPES))
            coords = self._lattice_line(orientation, k, a, b)
            street_code = self.index.locate_code(*coords[len(coords) // 2]) or ""
            street = self.street_units.get(street_code[:9])
            self.place("road", name, {"type": "LineString", "coordinates": coords}, unit=appearance,
                       chief=self.person(street, "路长"))
        for orientation, k, a, b in lanes:
            coords = self._lattice_line(orientation, k, a, b)
            mid = self.index.locate_code(*coords[len(coords) // 2]) or ""
            name = self._unique_name(used, lambda: self.rng.choice(names.COMMUNITY_WORDS) + "巷")
            self.place("back_lane", name, {"type": "LineString", "coordinates": coords},
                       unit=self.community_units.get(mid[:12]), chief=self.person(self.community_units.get(mid[:12]), "巷长"))
        water = self.department_by_name["水利局"]
        for n, river in enumerate(names.RIVERS):
            j = 2 + n * (lat_rows - 4) // max(len(names.RIVERS) - 1, 1)
            coords = [[p[0], round(p[1] + self.rng.uniform(-0.3, 0.3) * geography.CELL_DY, 7)]
                      for p in self._lattice_line("h", j, 0, lat_cols)]
            coords[0][0] += 0.002  # start and end just inside the district
            coords[-1][0] -= 0.002
            self.place("river", river, {"type": "LineString", "coordinates": coords}, unit=water,
                       chief=self.leaders[(n + 3) % len(self.leaders)])

    def _lattice_line(self, orientation: str, k: int, a: int, b: int) -> list[list[float]]:
        pts = self.lattice.points
        seq = [pts[(k, t)] if orientation == "v" else pts[(t, k)] for t in range(a, b + 1)]
        return [[x, y] for x, y in seq]

    def build_markets(self) -> None:
        for n, market in enumerate(names.MARKETS, start=1):
            cell = self.random_cell()
            lng, lat = self.point(cell)
            operator = self.units[f"MK{n:02d}"]
            self.place("market", market, _rectangle(lng, lat, 0.0009, 0.0006), unit=operator,
                       chief=self.person(operator, "场长"), address=f"{self.regions[cell.street_code].name}{market}")

    def build_shops(self) -> None:
        categories = list(PlaceCategory.objects.filter(kind__slug="shop").order_by("sort_order"))
        by_slug = {c.slug: c for c in categories}
        slugs = list(names.SHOP_CATEGORIES)
        businesses, shops = [], []
        for n in range(1, SHOPS + 1):
            slug = self.rng.choices(slugs, weights=names.SHOP_WEIGHTS)[0]
            cell = self.random_cell()
            lng, lat = self.point(cell)
            label = self.rng.choice(names.SURNAMES) + "记" + self.rng.choice(names.SHOP_CATEGORIES[slug][1])
            name = f"{label}（{self.regions[cell.community_code].name.removesuffix('社区')}店）"
            business = Unit(code=f"BIZ{n:05d}", name=name, kind=UnitKind.BUSINESS,
                            region=self.regions[cell.grid_code])
            businesses.append(business)
            shops.append((business, slug, name, lng, lat, cell))
        Unit.objects.bulk_create(businesses, batch_size=1000)
        for business, slug, name, lng, lat, cell in shops:
            self.place("shop", name, {"type": "Point", "coordinates": [lng, lat]}, unit=business,
                       chief=self.person(business, "店长"), category=by_slug.get(slug),
                       address=f"{self.regions[cell.street_code].name}{self.regions[cell.community_code].name}")

    def build_other_sites(self) -> None:
        """Squares and parks, school surroundings, construction sites and toilets for inspections."""
        sites = [("square", 15, "广场", "园林绿化中心"), ("school_area", 40, "学校周边", "教育局"),
                 ("construction_site", 30, "项目工地", "住房和城乡建设局"), ("toilet", 80, "公厕", "环境卫生管理中心")]
        used: set[str] = set()
        for slug, count, suffix, department in sites:
            unit = self.department_by_name[department]
            for _ in range(count):
                cell = self.random_cell()
                lng, lat = self.point(cell)
                name = self._unique_name(used, lambda s=suffix: self.rng.choice(names.COMMUNITY_WORDS) + s)
                geometry = ({"type": "Point", "coordinates": [lng, lat]} if slug == "toilet"
                            else _rectangle(lng, lat, 0.0008, 0.0006))
                self.place(slug, name, geometry, unit=unit, chief=self.person(unit, self.kinds[slug].chief_title))

    def link_place_grids(self) -> None:
        from shapely.geometry import shape

        through = Place.grids.through
        region_ids = {code: r.pk for code, r in self.regions.items()}
        rows = []
        for place in Place.objects.only("id", "geometry"):
            for code in self.index.grids_touching(shape(place.geometry)):
                rows.append(through(place_id=place.pk, region_id=region_ids[code]))
        through.objects.bulk_create(rows, batch_size=2000)

    # -- contracting -----------------------------------------------------------------------------
    def build_contracts(self) -> None:
        """15 district leaders contracted to the 15 streets; departments to streets too."""
        streets = sorted((r for r in self.regions.values() if r.level == Level.STREET), key=lambda r: r.code)
        contracts = [
            Contract(person=leader, region=street, region_code=street.code, starts_on=CAMPAIGN_START,
                     letter_signed_on=CAMPAIGN_START + dt.timedelta(days=self.rng.randint(3, 20)),
                     note="三城联创区级领导包保街道")
            for leader, street in zip(self.leaders, streets, strict=True)
        ]
        departments = [u for u in self.units.values() if u.kind == UnitKind.DEPARTMENT]
        contracts += [
            Contract(unit=dept, region=streets[n % len(streets)], region_code=streets[n % len(streets)].code,
                     starts_on=CAMPAIGN_START, letter_signed_on=CAMPAIGN_START + dt.timedelta(days=15),
                     note="职能部门包保街道")
            for n, dept in enumerate(sorted(departments, key=lambda u: u.code))
        ]
        Contract.objects.bulk_create(contracts)

    def _unique_name(self, used: set[str], make: Callable[[], str]) -> str:
        for _ in range(50):
            candidate = make()
            if candidate not in used:
                used.add(candidate)
                return candidate
        candidate = f"{make()}{len(used)}"
        used.add(candidate)
        return candidate


def _rectangle(lng: float, lat: float, dx: float, dy: float) -> dict:
    ring = [[lng - dx / 2, lat - dy / 2], [lng + dx / 2, lat - dy / 2], [lng + dx / 2, lat + dy / 2],
            [lng - dx / 2, lat + dy / 2], [lng - dx / 2, lat - dy / 2]]
    return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}


def _representative(geometry: dict) -> tuple[float, float]:
    from shapely.geometry import shape

    from civicgrid.territory.geometry import representative_point

    return representative_point(shape(geometry))


def _split(length: int, rng: random.Random) -> list[tuple[int, int]]:
    """Cut a lattice line of `length` cells into 3–4 segments (roads change name at junctions)."""
    cuts = sorted(rng.sample(range(3, length - 2), rng.randint(2, 3)))
    bounds = [0, *cuts, length]
    return list(zip(bounds, bounds[1:], strict=False))


def seed_demo(seed: int = 2018, progress: Callable[[str], None] = lambda label: None, history_days: int = 0,
              history_progress: Callable[[int], None] = lambda n: None,
              inspection_progress: Callable[[int], None] = lambda n: None) -> SeedReport:
    """Load the demo district unless it is there already; add demo logins in demo mode; fill the ledgers; then,
    when no case exists yet, `history_days` of case history, and with any history a month of inspections."""
    from civicgrid.demo.documents import generate_documents
    from civicgrid.demo.history import generate_history
    from civicgrid.demo.inspections import generate_inspections
    from civicgrid.demo.ledgers import generate_ledgers

    report = SeedReport(created=False)
    started = time.perf_counter()
    if not Region.objects.filter(code=settings.DISTRICT_CODE).exists():
        with transaction.atomic():
            DemoBuilder(seed, progress).run()
        report.created = True
    if settings.DEMO_MODE:
        ensure_demo_logins()
    report.seconds["district"] = time.perf_counter() - started
    started = time.perf_counter()
    report.ledgers_created = generate_ledgers(seed)
    report.seconds["ledgers"] = time.perf_counter() - started
    started = time.perf_counter()
    report.cases_created = generate_history(history_days, seed, history_progress)
    report.seconds["history"] = time.perf_counter() - started
    started = time.perf_counter()
    if history_days:
        report.inspections_created = generate_inspections(seed, inspection_progress)
    report.seconds["inspections"] = time.perf_counter() - started
    if Case.objects.exists():  # bulletins rank the streets on their cases
        report.documents_created = generate_documents(CAMPAIGN_START, settings.DISTRICT_CODE)
    report.counts = demo_counts()
    return report


def demo_counts() -> dict[str, int]:
    counts = {f"regions:{level}": Region.objects.filter(level=level).count() for level in Level}
    counts.update({f"places:{k.slug}": k.places.count() for k in PlaceKind.objects.all()})
    counts.update({
        "old_compounds": Place.objects.filter(is_old_compound=True).count(),
        "departments": Unit.objects.filter(kind=UnitKind.DEPARTMENT).count(),
        "people": Person.objects.count(),
        "leader_contracts": Contract.objects.filter(person__isnull=False, region__level=Level.STREET).count(),
        "users": get_user_model().objects.count(),
    })
    return counts


def ensure_demo_logins() -> None:
    """One login per role, password `demo`; existing logins are left as they are."""
    User = get_user_model()
    if User.objects.filter(username="admin").exists():
        return
    password = make_password(DEMO_PASSWORD)  # hashed once: thirteen PBKDF2 runs would take seconds
    district = Region.objects.get(code=settings.DISTRICT_CODE)
    street = Region.objects.filter(level=Level.STREET).order_by("code").first()
    community = street.children.order_by("code").first()
    grid = community.children.order_by("code").first()
    shop = Place.objects.filter(kind__slug="shop", region_code__startswith=community.code).order_by("code").first()
    leader = Contract.objects.filter(region=street, person__isnull=False).order_by("starts_on").first().person
    appearance = Unit.objects.get(name=f"{DISTRICT_NAME}{CITY_APPEARANCE_DEPARTMENT}")
    grid_worker = Person.objects.filter(unit__region=community, title="网格员").order_by("id").first()
    office = Unit.objects.get(code="CCB")

    def login(username: str, person: Person | None, role: Role, **anchor) -> None:
        user = User.objects.create(username=username, password=password,
                                   is_staff=username == "admin", is_superuser=username == "admin")
        if person is None:
            person = Person.objects.create(name=username, title=role.label)
        person.user = user
        person.save(update_fields=["user"])
        grant_role(user, role, **anchor)

    login("admin", Person.objects.create(name="赵明远", title="创城办主任", unit=office, phone="13900000001"),
          Role.ADMIN)
    login("leader", leader, Role.LEADER, region=district)
    for username, role in (("acceptor", Role.ACCEPTOR), ("shift_leader", Role.SHIFT_LEADER),
                           ("dispatcher", Role.DISPATCHER), ("inspector", Role.INSPECTOR)):
        person = Person.objects.filter(unit=office, title=role.label, user__isnull=True).first()
        login(username, person, role, region=district)
    login("handler", Person.objects.filter(unit=appearance, title="市容科科员").first(), Role.HANDLER, unit=appearance)
    login("street", Person.objects.filter(unit__region=street, title="城建科科长").first(), Role.STREET_STAFF,
          region=street)
    login("community", Person.objects.filter(unit__region=community, title="社区书记").first(),
          Role.COMMUNITY_STAFF, region=community)
    login("gridworker", grid_worker, Role.GRID_WORKER, region=grid)
    login("assessor", Person.objects.filter(unit__code="FIRM01").first(), Role.ASSESSOR, region=district)
    login("chief", shop.chief, Role.PLACE_CHIEF)
    login("public", None, Role.PUBLIC)
    from civicgrid.open311.models import ApiKey

    ApiKey.objects.get_or_create(key="demo-open311-key", defaults={"name": "演示门户（demo portal）"})
