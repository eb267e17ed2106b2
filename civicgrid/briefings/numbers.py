"""Numbers the way a Chinese progress report writes them (docs/briefing.md states the rules with examples).

Exact figures below 10,000 keep their digits (8330, 3759). From 10,000 up a figure reads in 万, from 100
million in 亿, with at most two decimals rounded half up and trailing zeros dropped (14000 → "1.4万",
31234 m² → "3.12万", 447652次 → "44.77万", 1883333.29元 → "188.33万", 123450000 → "1.23亿"). A count of
things (`counted`: boards, shops, cases) keeps its digits below 100,000 unless it is a whole number of
hundreds, as the article writes "宣传板11256个" next to "1.4万处".

Approximate figures ("5万余人", "3000余台", "200余个") are rounded down as a careful writer would: to the fewest
leading digits whose remainder, the part 余 stands for, is less than a tenth of what is written — so the
written figure is never below 90 % of the true one (2987 → "2900余", 25496 → "2.5万余", 9999 → "9900余",
215 → "200余"); 余 is added only when something was dropped.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
CENT = Decimal("0.01")


def _trim(value: Decimal) -> str:
    text = f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}".rstrip("0").rstrip(".")
    return text or "0"


def cn_number(value, approx: bool = False, counted: bool = False) -> str:
    """Format a non-negative number (int, float or Decimal) for a Chinese report."""
    number = Decimal(str(value))
    if number < 0:
        return "-" + cn_number(-number, approx, counted)
    if approx and number >= 100:
        written = written_down(number)
        return cn_number(written) + ("余" if written < number else "")
    if number >= YI:
        return _trim(number / YI) + "亿"
    if counted and number < 10 * WAN and number % 100 and number == number.to_integral_value():
        return str(int(number))
    if number >= WAN:
        return _trim(number / WAN) + "万"
    if number == number.to_integral_value():
        return str(int(number))
    return _trim(number)


def written_down(number: Decimal) -> Decimal:
    """The figure an approximate statement writes: `number` rounded down to the fewest leading digits whose
    remainder is less than a tenth of the result (never below 90 % of `number`)."""
    whole = int(number)
    digits = len(str(whole))
    for kept in range(1, digits + 1):
        step = Decimal(10) ** (digits - kept)
        floored = (number // step) * step
        if (number - floored) * 10 < floored:
            return floored
    return Decimal(whole)


# Units of things counted one by one (their figures keep their digits below 100,000; see `cn_number`).
COUNTED_UNITS = frozenset("个家处名件辆条份台人张所")


def cn_percent(fraction) -> str:
    """0.7582 → "75.82%"."""
    return _trim(Decimal(str(fraction)) * 100) + "%"
