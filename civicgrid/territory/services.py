"""Every change to regions and places goes through these functions (pages, API and commands alike)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, Value, When
from django.dispatch import Signal
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import mapping

from civicgrid import audit
from civicgrid.core.scoping import ensure_in_scope, require_office
from civicgrid.territory import locator
from civicgrid.territory.choices import AreaClass, Level
from civicgrid.territory.codes import code_problem, level_of_code, parent_code
from civicgrid.territory.geometry import (
    AREA_TYPES,
    PLACE_TYPES,
    GeometryError,
    approx_area_m2,
    from_stored,
    meters_to_degrees,
    parse_geometry,
    representative_point,
)
from civicgrid.territory.models import BoundaryVersion, Place, Region, RegionCoded


@dataclass
class RegionProblem:
    """One broken rule of one feature of an import."""

    feature: int | None
    code: str
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"feature {self.feature}" if self.feature is not None else "existing region"
        return f"{where} ({self.code or 'no code'}): [{self.rule}] {self.message}"


class RegionImportError(Exception):
    """The file breaks at least one rule; nothing was imported."""

    def __init__(self, problems: list[RegionProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass
class RegionImportResult:
    created: int = 0
    updated: int = 0
    places_relocated: int = 0
    codes: list[str] = field(default_factory=list)


@dataclass
class _Candidate:
    feature: int | None
    code: str
    name: str
    level: Level
    geom: object
    area_class: str


def _read_features(collection) -> tuple[list[_Candidate], list[RegionProblem]]:
    """Parse a FeatureCollection into candidates, reporting every unreadable feature."""
    problems: list[RegionProblem] = []
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        return [], [RegionProblem(None, "", "format", _("文件须为 GeoJSON FeatureCollection"))]
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        return [], [RegionProblem(None, "", "format", _("FeatureCollection 中没有要素"))]
    candidates, seen = [], set()
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            problems.append(RegionProblem(number, "", "format", _("要素须为带 properties 对象的 GeoJSON Feature")))
            continue
        props = feature.get("properties") or {}
        code = str(props.get("code") or "").strip()
        name = str(props.get("name") or "").strip()
        problem = _feature_problem(code, name, props, seen)
        if problem:
            problems.append(RegionProblem(number, code, *problem))
            continue
        seen.add(code)
        try:
            geom = parse_geometry(feature.get("geometry"), AREA_TYPES)
        except GeometryError as exc:
            problems.append(RegionProblem(number, code, "valid_polygon", str(exc)))
            continue
        area_class = str(props.get("area_class") or AreaClass.B)
        if area_class not in AreaClass.values:
            problems.append(RegionProblem(number, code, "area_class",
                                          _("area_class 须为 A、B、C 之一，而不是“%s”") % area_class))
            continue
        candidates.append(_Candidate(number, code, name, level_of_code(code), geom, area_class))
    return candidates, problems


def _feature_problem(code: str, name: str, props: dict, seen: set[str]) -> tuple[str, str] | None:
    if not code:
        return "code", _("要素缺少 code 属性")
    if not name:
        return "name", _("要素缺少 name 属性")
    if code in seen:
        return "unique_code", _("代码 %s 在文件中出现多次") % code
    level = level_of_code(code)
    if level is None:
        return "code_format", _("代码“%s”的长度不对应任何区域层级") % code
    declared = props.get("level")
    if declared and declared != level:
        return "code_format", _("层级“%(declared)s”与 %(digits)d 位代码（%(level)s）不符") % {
            "declared": declared, "digits": len(code), "level": level}
    declared_parent = props.get("parent")
    if declared_parent and str(declared_parent) != parent_code(code):
        return "parent", _("上级“%(parent)s”不是代码的前缀“%(prefix)s”") % {
            "parent": declared_parent, "prefix": parent_code(code)}
    problem = code_problem(code, level, parent_code(code))
    return ("code_format", problem) if problem else None


def validate_regions(candidates: list[_Candidate]) -> list[RegionProblem]:
    """Check candidates against each other and the stored regions.

    Rules: the parent exists; a child lies within its parent (tolerance REGION_TOLERANCE_METERS);
    siblings do not overlap beyond the tolerance; stored children still fit a changed parent.
    """
    tolerance = meters_to_degrees(settings.REGION_TOLERANCE_METERS)
    final = {c: from_stored(b) for c, b in Region.objects.values_list("code", "boundary")}
    incoming = {c.code: c for c in candidates}
    final.update({c.code: c.geom for c in candidates})
    problems: list[RegionProblem] = []
    for cand in candidates:
        parent = parent_code(cand.code)
        if parent is not None and parent not in final:
            problems.append(RegionProblem(cand.feature, cand.code, "parent", _("上级区域 %s 不存在") % parent))
        elif parent is not None and not final[parent].buffer(tolerance).covers(cand.geom):
            outside = approx_area_m2(cand.geom.difference(final[parent]))
            problems.append(RegionProblem(
                cand.feature, cand.code, "within_parent",
                _("超出上级区域 %(parent)s 约 %(area)s 平方米") % {"parent": parent, "area": f"{outside:,.0f}"},
            ))
    problems += _stored_children_outside(incoming, final, tolerance)
    problems += _sibling_overlaps(incoming, final, tolerance)
    return problems


def _stored_children_outside(incoming, final, tolerance) -> list[RegionProblem]:
    """A changed parent must still contain the children that are stored and not re-imported."""
    children: dict[str, list[str]] = defaultdict(list)
    for code in final:
        parent = parent_code(code)
        if parent in incoming and code not in incoming:
            children[parent].append(code)
    problems = []
    for parent, kids in children.items():
        grown = final[parent].buffer(tolerance)
        problems += [
            RegionProblem(incoming[parent].feature, parent, "within_parent",
                          _("新边界不再包含已有的下级区域 %s") % kid)
            for kid in kids if not grown.covers(final[kid])
        ]
    return problems


def _sibling_overlaps(incoming, final, tolerance) -> list[RegionProblem]:
    """Siblings overlap when they still intersect after both shrink by the tolerance."""
    groups: dict[str | None, list[str]] = defaultdict(list)
    for code in final:
        groups[parent_code(code)].append(code)
    problems, reported = [], set()
    for code, cand in incoming.items():
        siblings = [s for s in groups[parent_code(code)] if s != code]
        if not siblings:
            continue
        shrunk = cand.geom.buffer(-tolerance)
        tree = STRtree([final[s] for s in siblings])
        for i in tree.query(shrunk, predicate="intersects"):
            other = siblings[int(i)]
            pair = tuple(sorted((code, other)))
            if pair in reported or not shrunk.intersects(final[other].buffer(-tolerance)):
                continue
            reported.add(pair)
            overlap = approx_area_m2(cand.geom.intersection(final[other]))
            problems.append(RegionProblem(
                cand.feature, code, "siblings_overlap",
                _("与同级区域 %(other)s 重叠约 %(area)s 平方米") % {"other": other, "area": f"{overlap:,.0f}"}
            ))
    return problems


def import_regions(collection: dict, actor=None) -> RegionImportResult:
    """Validate a GeoJSON FeatureCollection of regions and upsert it atomically (the office only).

    Any broken rule raises RegionImportError listing every problem, and nothing is written.
    Places are re-located afterwards because their grids may have moved.
    """
    require_office(actor, _("导入区域边界"))
    candidates, problems = _read_features(collection)
    if not problems:
        problems = validate_regions(candidates)
    if problems:
        raise RegionImportError(problems)
    result = RegionImportResult(codes=[c.code for c in candidates])
    with transaction.atomic():
        wanted = set(result.codes) | {parent_code(c) for c in result.codes if parent_code(c)}
        by_code = {r.code: r for r in Region.objects.select_for_update().filter(code__in=wanted)}
        for cand in sorted(candidates, key=lambda c: len(c.code)):  # parents before children
            region = by_code.get(cand.code) or Region(code=cand.code)
            result.updated += bool(region.pk)
            result.created += not region.pk
            region.name, region.level, region.area_class = cand.name, cand.level, cand.area_class
            region.boundary = mapping(cand.geom)
            region.parent = by_code[parent_code(cand.code)] if parent_code(cand.code) else None
            region.save()
            by_code[cand.code] = region
        bump_boundary_version()
        result.places_relocated = relocate_places(locator.build_index())
    audit.record("import", actor=actor, target="regions", created=result.created, updated=result.updated)
    return result


def bump_boundary_version() -> None:
    """Record that boundaries changed; every process rebuilds its index on its next check."""
    updated = BoundaryVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        BoundaryVersion.objects.create(pk=1, version=1)
    transaction.on_commit(locator.invalidate)


def export_regions(queryset) -> dict:
    """A FeatureCollection of the given regions (properties: code, name, level, parent, area_class)."""
    rows = queryset.order_by("code").values_list("code", "name", "level", "area_class", "boundary")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "code": code, "name": name, "level": level,
                    "parent": parent_code(code), "area_class": area_class,
                },
                "geometry": boundary,
            }
            for code, name, level, area_class, boundary in rows
        ],
    }


def grid_numbering(grids: list[tuple[str, object]]) -> list[str]:
    """Order grid codes west→east within rows, rows north→south (domain.md §2).

    Rows are bands of half the median grid height, counted from the northernmost centroid,
    so grids whose centres differ by a little in latitude still read as one row.
    """
    if not grids:
        return []
    heights = sorted(g.bounds[3] - g.bounds[1] for _, g in grids)
    band = max(heights[len(heights) // 2] / 2, 1e-9)
    top = max(g.centroid.y for _, g in grids)
    keyed = [(int((top - g.centroid.y) // band), g.centroid.x, code) for code, g in grids]
    return [code for _, _, code in sorted(keyed)]


def number_grids(community_code: str) -> dict[str, str]:
    """Renumber a community's grids in reading order; returns {old code: new code} for changed ones."""
    width = settings.GRID_SEQUENCE_WIDTH
    with transaction.atomic():
        grids = list(Region.objects.select_for_update().filter(parent__code=community_code, level=Level.GRID))
        ordered = grid_numbering([(g.code, g.geometry) for g in grids])
        mapping_ = {old: f"{community_code}{n:0{width}d}" for n, old in enumerate(ordered, start=1)}
        changed = {old: new for old, new in mapping_.items() if old != new}
        if not changed:
            return {}
        by_code = {g.code: g for g in grids}
        for old in changed:  # two phases keep the unique index satisfied while codes swap
            Region.objects.filter(pk=by_code[old].pk).update(code=f"~{by_code[old].pk}")
        for old, new in changed.items():
            Region.objects.filter(pk=by_code[old].pk).update(code=new)
        _recode_region_references(changed)
        bump_boundary_version()
    return changed


grids_renumbered = Signal()  # sent with changed={old code: new code} inside the renumbering transaction


def region_coded_models() -> list[type[models.Model]]:
    """Every model that stores a region code in a `region_code` column (places, cases, inspections, assignments,
    plans, ledgers, contracts, routing rules, accountability…), found in the app registry, so a new table that
    stores a grid code follows renumbering without having to remember to."""
    return [model for model in apps.get_models()
            if issubclass(model, RegionCoded) and not model._meta.proxy and model._meta.managed]


def _recode_region_references(changed: dict[str, str]) -> None:
    """Rows that store a grid code follow the renumbering. Two statements per table: old codes to marked
    temporary ones, then to the new codes — databases check unique constraints row by row, so codes that swap
    between two grids would collide in one statement (e.g. an operation's date, title and region). Other apps
    may react to `grids_renumbered` (inside the transaction)."""
    def recode(pairs) -> Case:
        return Case(*[When(region_code=old, then=Value(new)) for old, new in pairs], output_field=models.CharField())

    marked = {new: f"~{new}" for new in changed.values()}
    for model in region_coded_models():
        rows = model._base_manager.all()
        if rows.filter(region_code__in=list(changed)).update(
                region_code=recode((old, marked[new]) for old, new in changed.items())):
            rows.filter(region_code__in=list(marked.values())).update(
                region_code=recode((mark, new) for new, mark in marked.items()))
    grids_renumbered.send(sender=Region, changed=changed)


def locate_place_fields(geometry: dict, index: locator.GridIndex | None = None) -> dict:
    """Derive a place's representative point, its grid code and every grid it touches."""
    geom = parse_geometry(geometry, PLACE_TYPES)
    index = index or locator.get_index()
    lng, lat = representative_point(geom)
    return {
        "lng": lng, "lat": lat,
        "region_code": index.locate_code(lng, lat) or "",
        "grid_codes": index.grids_touching(geom),
    }


def save_place(place: Place, actor=None) -> Place:
    """Create or update a place: derive its point and grids, then re-check the actor's scope.

    The scope check runs after the write inside the transaction, so moving a place out of
    one's own territory is refused and rolled back (NetBox's pattern).
    """
    action = "change" if place.pk else "add"
    with transaction.atomic():
        derived = locate_place_fields(place.geometry)
        grid_codes = derived.pop("grid_codes")
        for name, value in derived.items():
            setattr(place, name, value)
        place.full_clean(exclude=["grids"])
        place.save()
        place.grids.set(Region.objects.filter(code__in=grid_codes))
        if actor is not None:
            ensure_in_scope(place, actor, action)
    return place


def relocate_places(index: locator.GridIndex) -> int:
    """Recompute every place's grid and the grids it touches after boundaries changed.

    Returns how many places now have another primary grid.
    """
    places = list(Place.objects.only("id", "lng", "lat", "region_code", "geometry"))
    if not places:
        return 0
    found = index.locate_indices([p.lng for p in places], [p.lat for p in places])
    moved = []
    for place, i in zip(places, found, strict=True):
        code = index.codes[i] if i != locator.OUTSIDE else ""
        if code != place.region_code:
            place.region_code = code
            moved.append(place)
    Place.objects.bulk_update(moved, ["region_code"], batch_size=500)
    region_ids = dict(Region.objects.filter(level=Level.GRID).values_list("code", "id"))
    through = Place.grids.through
    through.objects.all().delete()
    through.objects.bulk_create(
        [through(place_id=place.pk, region_id=region_ids[code])
         for place in places for code in index.grids_touching(from_stored(place.geometry))],
        batch_size=2000,
    )
    return len(moved)


def issuing_office() -> str:
    """Who signs the campaign's documents: `ISSUING_OFFICE`, or the district's campaign office by name."""
    if settings.ISSUING_OFFICE:
        return settings.ISSUING_OFFICE
    district = Region.objects.filter(level=Level.DISTRICT).order_by("code").values_list("name", flat=True).first()
    return f"{district or ''}创城办"


def places_near(places, lat: float, lng: float, metres: float, limit: int = 10) -> list[tuple[int, Place]]:
    """(distance in metres, place) of the given places within `metres` of a WGS-84 point, nearest first: a
    bounding box the (lat, lng) columns narrow, then true distances."""
    from civicgrid.territory.crs import distance_m

    span = metres / 111_000  # degrees of latitude; a degree of longitude is shorter, so the box is widened
    widen = 1 / max(math.cos(math.radians(lat)), 0.2)
    candidates = places.filter(lat__range=(lat - span, lat + span),
                               lng__range=(lng - span * widen, lng + span * widen))[:500]
    measured = sorted(((round(float(distance_m(lng, lat, p.lng, p.lat))), p) for p in candidates),
                      key=lambda pair: pair[0])
    return [(distance, place) for distance, place in measured if distance <= metres][:limit]
