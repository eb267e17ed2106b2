"""Numbers the way a Chinese progress report writes them.

Exact figures below 10,000 keep their digits (8330, 3759); so does a larger figure that 万 would blur
(11256 stays "11256"). A figure that is a whole number of hundreds from 10,000 up reads in 万 with at most
two decimals (14000 → "1.4万", 525800 → "52.58万", 4170000 → "417万"); from 100 million, in 亿 likewise.
Approximate figures ("5万余人", "3000余台", "200余个") keep the leading digit — two when it is a 1, so
1449 reads "1400余" — rounded down, and add 余 when something was dropped.
"""

from __future__ import annotations

from decimal import Decimal

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def _trim(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def cn_number(value, approx: bool = False) -> str:
    """Format a non-negative number (int, float or Decimal) for a Chinese report."""
    number = Decimal(str(value))
    if number < 0:
        return "-" + cn_number(-number, approx)
    if approx and number >= 100:
        leading = str(int(number))
        kept = 2 if leading[0] == "1" else 1
        step = Decimal(10) ** (len(leading) - kept)
        floored = (number // step) * step
        return cn_number(floored) + ("余" if floored < number else "")
    if number >= YI and number % 1_000_000 == 0:
        return _trim(number / YI) + "亿"
    if number >= WAN and number % 100 == 0:
        return _trim(number / WAN) + "万"
    if number == number.to_integral_value():
        return str(int(number))
    return _trim(number)


def cn_percent(fraction) -> str:
    """0.7582 → "75.82%"."""
    return _trim(Decimal(str(fraction)) * 100) + "%"
