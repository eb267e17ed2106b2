from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.briefings.numbers import cn_number, cn_percent


@pytest.mark.parametrize("value, text", [
    (11256, "11256"), (14000, "1.4万"), (525800, "52.58万"), (4170000, "417万"), (1180000, "118万"),
    (8330, "8330"), (3759, "3759"), (54000, "5.4万"), (200000, "20万"), (500000, "50万"), (10000, "1万"),
    (10050, "10050"), (123456789, "123456789"), (300000000, "3亿"), (1250000000, "12.5亿"), (0, "0"),
    (Decimal("8330.00"), "8330"), (Decimal("2.50"), "2.5"), (457, "457"),
])
def test_exact_figures(value, text):
    assert cn_number(value) == text


@pytest.mark.parametrize("value, text", [
    (50213, "5万余"), (50000, "5万"), (3012, "3000余"), (3000, "3000"), (215, "200余"), (3046, "3000余"),
    (99, "99"), (1449, "1400余"), (14500, "1.4万余"), (187, "180余"), (100, "100"),
])
def test_approximate_figures(value, text):
    assert cn_number(value, approx=True) == text


def test_percentages():
    assert cn_percent(Decimal("0.7582")) == "75.82%" and cn_percent(0.9372) == "93.72%" and cn_percent(1) == "100%"


@given(st.integers(0, 10**12))
def test_a_wan_figure_reads_back_to_the_same_number(n):
    text = cn_number(n)
    if text.endswith("万"):
        assert Decimal(text[:-1]) * 10_000 == n
    elif text.endswith("亿"):
        assert Decimal(text[:-1]) * 100_000_000 == n
    else:
        assert int(text) == n
