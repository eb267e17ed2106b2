"""Small geometry helpers over Shapely: parsing GeoJSON, representative points, metre tolerances."""

from __future__ import annotations

import json
import math

import numpy
import shapely
from django.utils.translation import gettext as _
from shapely import make_valid
from shapely.geometry import LineString, MultiLineString, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

METERS_PER_DEGREE = 111_320.0
AREA_TYPES = ("Polygon", "MultiPolygon")
PLACE_TYPES = ("Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


class GeometryError(ValueError):
    """A GeoJSON geometry that cannot be used, with the reason."""


def parse_geometry(geojson, allowed: tuple[str, ...]) -> BaseGeometry:
    """Parse a GeoJSON geometry dict and check its type, validity and WGS-84 range."""
    if not isinstance(geojson, dict) or "type" not in geojson:
        raise GeometryError(_("几何须为带 type 的 GeoJSON 对象"))
    if geojson["type"] not in allowed:
        raise GeometryError(_("几何类型 %(type)s 不在 %(allowed)s 之中") % {"type": geojson["type"], "allowed": "、".join(allowed)})
    try:
        geom = shape(geojson)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError,
            shapely.errors.ShapelyError) as exc:
        raise GeometryError(_("无法读取几何：%s") % exc.__class__.__name__) from None
    if geom.is_empty:
        raise GeometryError(_("几何为空"))
    if not numpy.isfinite(shapely.get_coordinates(geom)).all():
        raise GeometryError(_("坐标中有非数值（NaN 或无穷大）"))
    if not geom.is_valid:
        raise GeometryError(_("几何无效：%s") % explain_validity(geom))
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise GeometryError(_("坐标超出 WGS-84 经纬度范围（应为经度、纬度顺序）"))
    return geom


def from_stored(value) -> BaseGeometry:
    """A geometry from a JSON column (a dict, or a string on backends that return text)."""
    return shapely.from_geojson(value if isinstance(value, str) else json.dumps(value))


def representative_point(geom: BaseGeometry) -> tuple[float, float]:
    """A point on the geometry: the point itself, a line's midpoint, a polygon's interior point."""
    if geom.geom_type == "Point":
        return geom.x, geom.y
    if isinstance(geom, LineString | MultiLineString):
        point = geom.interpolate(0.5, normalized=True)
    else:
        point = geom.representative_point()
    return point.x, point.y


def meters_to_degrees(meters: float) -> float:
    """A length in degrees of latitude (conservative for longitude at our latitudes)."""
    return meters / METERS_PER_DEGREE


def approx_area_m2(geom: BaseGeometry) -> float:
    """Area in square metres, by scaling degrees at the geometry's latitude (good to ~1 % at district size)."""
    lat = geom.centroid.y
    return geom.area * METERS_PER_DEGREE**2 * math.cos(math.radians(lat))


def repaired(geom: BaseGeometry) -> BaseGeometry:
    """A valid version of `geom` (used only for measurements in error messages)."""
    return geom if geom.is_valid else make_valid(geom)
