from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.briefings.numbers import cn_number, cn_percent, written_down


@pytest.mark.parametrize("value, text", [
    (14000, "1.4万"), (525800, "52.58万"), (4170000, "417万"), (1180000, "118万"),
    (8330, "8330"), (3759, "3759"), (54000, "5.4万"), (200000, "20万"), (500000, "50万"), (10000, "1万"),
    (300000000, "3亿"), (1250000000, "12.5亿"), (0, "0"),
    (Decimal("8330.00"), "8330"), (Decimal("2.50"), "2.5"), (457, "457"),
    # Non-round totals from 10,000 up: 万 or 亿 with two decimals, half up (issue 14).
    (31234, "3.12万"), (Decimal("1883333.29"), "188.33万"), (447652, "44.77万"), (123450000, "1.23亿"),
    (11256, "1.13万"), (10050, "1.01万"), (123456789, "1.23亿"), (Decimal("2.345"), "2.35"),
])
def test_exact_figures(value, text):
    assert cn_number(value) == text


@pytest.mark.parametrize("value, text", [
    (11256, "11256"), (14000, "1.4万"), (99999, "99999"), (100000, "10万"), (447652, "44.77万"), (3759, "3759"),
])
def test_a_count_of_things_keeps_its_digits_below_a_hundred_thousand(value, text):
    """As the article writes "宣传板11256个" next to "1.4万处"."""
    assert cn_number(value, counted=True) == text


@pytest.mark.parametrize("value, text", [
    (50213, "5万余"), (50000, "5万"), (3012, "3000余"), (3000, "3000"), (215, "200余"), (3046, "3000余"),
    (99, "99"), (1449, "1400余"), (14500, "1.4万余"), (187, "180余"), (100, "100"),
    # Never below 90 % of the true value (issue 14).
    (2987, "2900余"), (25496, "2.5万余"), (9999, "9900余"), (50368, "5万余"),
])
def test_approximate_figures(value, text):
    assert cn_number(value, approx=True) == text


@given(st.integers(100, 10**12))
def test_an_approximate_figure_keeps_at_least_nine_tenths(n):
    written = written_down(Decimal(n))
    assert written <= n and written * 10 > n * 9


def test_percentages():
    assert cn_percent(Decimal("0.7582")) == "75.82%" and cn_percent(0.9372) == "93.72%" and cn_percent(1) == "100%"


@given(st.integers(0, 10**12))
def test_a_wan_figure_reads_back_to_within_half_a_unit_of_its_last_digit(n):
    text = cn_number(n)
    if text.endswith("万"):
        assert abs(Decimal(text[:-1]) * 10_000 - n) <= 50
    elif text.endswith("亿"):
        assert abs(Decimal(text[:-1]) * 100_000_000 - n) <= 500_000
    else:
        assert int(text) == n and n < 10_000
