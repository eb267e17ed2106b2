import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.core.scoping import _successor, prefix_q
from civicgrid.territory.models import Region

codes = st.text(alphabet="0123456789", min_size=0, max_size=15)


@given(prefix=st.text(alphabet="0189", min_size=1, max_size=6), value=st.text(alphabet="0189", max_size=9))
def test_the_range_matches_exactly_the_strings_that_start_with_the_prefix(prefix, value):
    upper = _successor(prefix)
    in_range = prefix <= value and (upper is None or value < upper)
    assert in_range == value.startswith(prefix)


def test_successor_increments_the_last_character():
    assert _successor("210112003") == "210112004"
    assert _successor("2101120039") == "210112004"
    assert _successor("999") is None
    assert _successor("") is None


@pytest.mark.django_db
def test_prefix_q_selects_a_subtree(district):
    assert Region.objects.filter(prefix_q("code", "210112001")).count() == 11
    assert Region.objects.filter(prefix_q("code", "2101120019")).count() == 0
    assert "LIKE" not in str(Region.objects.filter(prefix_q("code", "210112001")).query)
