"""China's statutory public holidays (全体公民放假的节日), computed for any year — what a deadline can rely on in a year
whose official schedule (the State Council's notice with its bridged days and adjusted workdays) is not known yet.

元旦 1 January; 春节 the lunar new year's day and the two days after it, and from 2025 the eve (除夕) too; 清明 the
solar term; 劳动节 1 May, and from 2025 2 May too; 端午 the fifth day of the fifth lunar month; 中秋 the fifteenth day
of the eighth; 国庆 1–3 October (《全国年节及纪念日放假办法》, revised 2024). Lunar dates and solar terms come from
lunar-python. The official notice adds bridging days and moves weekends; those cannot be computed.
"""

from __future__ import annotations

import datetime as dt
import functools

from lunar_python import Lunar, Solar

REVISED = 2025  # the 2024 revision added 除夕 and 2 May


@functools.cache
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The year's statutory holidays: date → name."""
    days = {dt.date(year, 1, 1): "元旦"}
    new_year = _solar(Lunar.fromYmd(year, 1, 1).getSolar())
    spring = [new_year + dt.timedelta(days=n) for n in range(-1 if year >= REVISED else 0, 3)]
    days.update(dict.fromkeys(spring, "春节"))
    days[_solar(Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"])] = "清明节"
    days.update(dict.fromkeys([dt.date(year, 5, 1), *([dt.date(year, 5, 2)] if year >= REVISED else [])], "劳动节"))
    days[_solar(Lunar.fromYmd(year, 5, 5).getSolar())] = "端午节"
    days[_solar(Lunar.fromYmd(year, 8, 15).getSolar())] = "中秋节"
    days.update(dict.fromkeys([dt.date(year, 10, n) for n in (1, 2, 3)], "国庆节"))
    return days


def _solar(solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
