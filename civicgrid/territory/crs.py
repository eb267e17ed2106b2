"""Coordinate conversion between WGS-84 and the Chinese web-map systems (domain.md §8).

GCJ-02 (AMap, Tencent) is WGS-84 with a published, deterministic offset; BD-09 (Baidu)
is a further rotation of GCJ-02. The forward formulas are the widely published ones; the
inverse of GCJ-02 has no closed form, so it is solved by fixed-point iteration to well
under a centimetre. Everything is vectorised over numpy arrays so batch location stays fast.
Outside mainland China the offset is not applied (as the maps themselves do).

The PyPI packages for this (eviltransform, coord-convert) are unmaintained since 2018/2019
and not vectorised; see docs/decisions/0003-crs-conversion.md.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0


class CRS(StrEnum):
    """Coordinate systems accepted at the edge; WGS-84 is what we store."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


def _outside_china(lng: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lng < 72.004) | (lng > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _offset(lng: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 offset in degrees at a WGS-84 position."""
    x, y = lng - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlng += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlng += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlng += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = _outside_china(lng, lat)
    return np.where(outside, 0.0, dlng), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02(lng, lat):
    """WGS-84 → GCJ-02 (arrays or scalars)."""
    lng, lat = np.asarray(lng, dtype=float), np.asarray(lat, dtype=float)
    dlng, dlat = _offset(lng, lat)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng, lat, iterations: int = 6):
    """GCJ-02 → WGS-84 by fixed-point iteration (error < 1e-9° after 6 rounds)."""
    glng, glat = np.asarray(lng, dtype=float), np.asarray(lat, dtype=float)
    wlng, wlat = glng.copy(), glat.copy()
    for _ in range(iterations):
        tlng, tlat = wgs84_to_gcj02(wlng, wlat)
        wlng, wlat = wlng - (tlng - glng), wlat - (tlat - glat)
    return wlng, wlat


def gcj02_to_bd09(lng, lat):
    """GCJ-02 → BD-09."""
    lng, lat = np.asarray(lng, dtype=float), np.asarray(lat, dtype=float)
    z = np.sqrt(lng * lng + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lng) + 0.000003 * np.cos(lng * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lng, lat):
    """BD-09 → GCJ-02."""
    x, y = np.asarray(lng, dtype=float) - 0.0065, np.asarray(lat, dtype=float) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def to_wgs84(lng, lat, crs: CRS | str = CRS.WGS84):
    """Convert coordinates given in `crs` to WGS-84."""
    crs = CRS(crs)
    if crs is CRS.WGS84:
        return np.asarray(lng, dtype=float), np.asarray(lat, dtype=float)
    if crs is CRS.GCJ02:
        return gcj02_to_wgs84(lng, lat)
    return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))


def from_wgs84(lng, lat, crs: CRS | str):
    """Convert WGS-84 coordinates to `crs`."""
    crs = CRS(crs)
    if crs is CRS.WGS84:
        return np.asarray(lng, dtype=float), np.asarray(lat, dtype=float)
    gcj = wgs84_to_gcj02(lng, lat)
    return gcj if crs is CRS.GCJ02 else gcj02_to_bd09(*gcj)


def distance_m(lng1, lat1, lng2, lat2):
    """Great-circle distance in metres (haversine on the WGS-84 mean radius)."""
    r = 6371008.8
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lng2) - np.asarray(lng1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * r * np.arcsin(np.sqrt(h))
