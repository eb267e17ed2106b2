"""The locator: a point → its grid and the chain up to the district.

An in-memory Shapely STRtree over the grid polygons answers lookups without touching the
database. Each process keeps its own index and, at most every LOCATOR_VERSION_CHECK_SECONDS,
compares it with BoundaryVersion; a change made by any process is therefore picked up by all.
A point on an edge shared by two grids resolves to the grid with the smaller code, so answers
are deterministic. Points outside every grid are "outside", never an exception.
"""

from __future__ import annotations

import bisect
import threading
import time
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from shapely import STRtree

from civicgrid.territory.choices import Level
from civicgrid.territory.codes import code_length
from civicgrid.territory.crs import CRS, to_wgs84
from civicgrid.territory.geometry import from_stored

OUTSIDE = -1


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    level: str
    area_class: str = ""


@dataclass(frozen=True)
class Location:
    """The answer for one point: `inside` is False when no grid contains it."""

    lng: float
    lat: float
    grid: RegionRef | None
    community: RegionRef | None
    street: RegionRef | None
    district: RegionRef | None

    @property
    def inside(self) -> bool:
        return self.grid is not None


class GridIndex:
    """An immutable spatial index of grids, plus the names of every region for the chain."""

    def __init__(self, version: int, grid_codes: list[str], grid_geoms: list, regions: dict[str, RegionRef]):
        order = np.argsort(np.asarray(grid_codes, dtype=object)) if grid_codes else np.array([], dtype=int)
        self.version = version
        self.codes = [grid_codes[i] for i in order]
        self.geoms = np.asarray([grid_geoms[i] for i in order], dtype=object)
        self.tree = STRtree(self.geoms)
        self.regions = regions

    def __len__(self) -> int:
        return len(self.codes)

    def geometry(self, code: str):
        """The grid's geometry, or None for a code that is no grid (the codes are sorted)."""
        i = bisect.bisect_left(self.codes, code)
        return self.geoms[i] if i < len(self.codes) and self.codes[i] == code else None

    def locate_indices(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Index into `codes` of the grid covering each point, or OUTSIDE (vectorised)."""
        points = shapely.points(np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float))
        result = np.full(len(points), np.iinfo(np.int64).max, dtype=np.int64)
        if len(self.codes):
            point_idx, grid_idx = self.tree.query(points, predicate="intersects")
            np.minimum.at(result, point_idx, grid_idx)  # shared edge: smallest code wins
        result[result == np.iinfo(np.int64).max] = OUTSIDE
        return result

    def locate_code(self, lng: float, lat: float) -> str | None:
        """The grid code covering one point, or None."""
        hits = self.tree.query(shapely.Point(lng, lat), predicate="intersects")
        return self.codes[int(hits.min())] if len(hits) else None

    def grids_touching(self, geom) -> list[str]:
        """Codes of every grid a geometry intersects (a road crossing several grids)."""
        return sorted(self.codes[i] for i in self.tree.query(geom, predicate="intersects"))

    def chain(self, lng: float, lat: float, grid_code: str | None) -> Location:
        """Expand a grid code to the grid, community, street and district it belongs to."""
        if grid_code is None:
            return Location(lng, lat, None, None, None, None)
        parts = {
            level: self.regions.get(grid_code[: code_length(level)])
            for level in (Level.COMMUNITY, Level.STREET, Level.DISTRICT)
        }
        return Location(
            lng, lat, self.regions.get(grid_code),
            parts[Level.COMMUNITY], parts[Level.STREET], parts[Level.DISTRICT],
        )


_lock = threading.Lock()
_index: GridIndex | None = None
_checked_at = 0.0


def current_version() -> int:
    """The boundary version stored in the database (0 before any boundary exists)."""
    from civicgrid.territory.models import BoundaryVersion

    return BoundaryVersion.objects.values_list("version", flat=True).first() or 0


def build_index(version: int | None = None) -> GridIndex:
    """Read all regions from the database and index the grids."""
    from civicgrid.territory.models import Region

    if version is None:
        version = current_version()
    regions: dict[str, RegionRef] = {}
    codes, geoms = [], []
    rows = Region.objects.values_list("code", "name", "level", "area_class", "boundary")
    for code, name, level, area_class, boundary in rows:
        regions[code] = RegionRef(code, name, level, area_class)
        if level == Level.GRID:
            codes.append(code)
            geoms.append(from_stored(boundary))
    return GridIndex(version, codes, geoms, regions)


def get_index() -> GridIndex:
    """This process's index, rebuilt when the stored boundary version moved on."""
    global _index, _checked_at
    now = time.monotonic()
    index = _index
    if index is not None and now - _checked_at < settings.LOCATOR_VERSION_CHECK_SECONDS:
        return index
    version = current_version()
    with _lock:
        if _index is None or _index.version != version:
            _index = build_index(version)
        _checked_at = now
        return _index


def invalidate() -> None:
    """Forget this process's index (called after a boundary change commits)."""
    global _index
    with _lock:
        _index = None


def locate(lng: float, lat: float, crs: CRS | str = CRS.WGS84) -> Location:
    """Locate one point given in `crs`; the answer carries WGS-84 coordinates."""
    wlng, wlat = (float(v) for v in to_wgs84(lng, lat, crs))
    index = get_index()
    return index.chain(wlng, wlat, index.locate_code(wlng, wlat))


def locate_many(lngs, lats, crs: CRS | str = CRS.WGS84) -> list[str | None]:
    """Locate many points at once; each answer is a grid code or None (outside)."""
    wlngs, wlats = to_wgs84(np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float), crs)
    index = get_index()
    return [index.codes[i] if i != OUTSIDE else None for i in index.locate_indices(wlngs, wlats)]
