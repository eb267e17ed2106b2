import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.territory.crs import (
    bd09_to_gcj02,
    distance_m,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    to_wgs84,
    wgs84_to_gcj02,
)

china_lng = st.floats(min_value=73.5, max_value=134.7, allow_nan=False)
china_lat = st.floats(min_value=18.2, max_value=53.5, allow_nan=False)


def test_gcj02_offset_in_shenyang_is_a_few_hundred_metres():
    lng, lat = 123.43, 41.80
    glng, glat = wgs84_to_gcj02(lng, lat)
    shift = float(distance_m(lng, lat, glng, glat))
    assert 200 < shift < 800  # the published offset is of this order across mainland China


def test_outside_china_nothing_is_shifted():
    lng, lat = wgs84_to_gcj02(2.35, 48.85)
    assert (float(lng), float(lat)) == (2.35, 48.85)


@given(china_lng, china_lat)
def test_wgs84_to_gcj02_and_back_is_within_one_metre(lng, lat):
    back_lng, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lng, lat))
    assert float(distance_m(lng, lat, back_lng, back_lat)) < 1.0


@given(china_lng, china_lat)
def test_gcj02_to_bd09_and_back_is_within_one_metre(lng, lat):
    back_lng, back_lat = bd09_to_gcj02(*gcj02_to_bd09(lng, lat))
    assert float(distance_m(lng, lat, back_lng, back_lat)) < 1.0


@given(china_lng, china_lat)
def test_to_wgs84_inverts_from_wgs84_for_every_crs(lng, lat):
    for crs in ("wgs84", "gcj02", "bd09"):
        back_lng, back_lat = to_wgs84(*from_wgs84(lng, lat, crs), crs)
        assert float(distance_m(lng, lat, back_lng, back_lat)) < 1.0


def test_conversion_is_vectorised():
    lngs, lats = np.array([123.40, 123.50, 2.0]), np.array([41.7, 41.8, 48.0])
    glngs, glats = wgs84_to_gcj02(lngs, lats)
    assert glngs.shape == (3,)
    assert glngs[2] == 2.0 and glats[2] == 48.0
    assert np.all(distance_m(lngs[:2], lats[:2], glngs[:2], glats[:2]) > 100)
