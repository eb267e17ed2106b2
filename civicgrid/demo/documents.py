"""The demo's documents, so a newcomer sees the whole loop of the seed article: accountability decisions, two
published monthly bulletins on the streets (the later one criticising the last-ranked), and the campaign
briefing published from the ledgers — all made through the same services the office uses."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicgrid.assessment import bulletins
from civicgrid.assessment.models import AccountabilityKind, Bulletin
from civicgrid.briefings import services as briefings
from civicgrid.organizations.models import Unit
from civicgrid.territory.choices import Level
from civicgrid.territory.models import Region


def generate_documents(campaign_start: dt.date, district_code: str) -> int:
    """Bulletins, decisions and the briefing, once (nothing when any bulletin exists); returns how many."""
    office = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    if office is None or Bulletin.objects.exists():  # the demo logins (demo mode) include the office's
        return 0
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    month_before = (last_month - dt.timedelta(days=1)).replace(day=1)
    made = 0
    streets = list(Region.objects.filter(level=Level.STREET).order_by("code"))
    department = Unit.objects.filter(kind="department").order_by("code").first()
    for kind, subject, reason in (
            (AccountabilityKind.INTERVIEW, {"region_code": streets[-1].code},
             "暗访发现背街小巷垃圾积存问题反复出现，约谈街道分管负责人，限期整改。"),
            (AccountabilityKind.CRITICISM, {"unit": department},
             "派遣案件连续超期未处置，予以通报批评。")):
        bulletins.record_accountability(office, kind=kind, decided_on=last_month + dt.timedelta(days=20),
                                        reason=reason, **subject)
        made += 1
    for start in (month_before, last_month):
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        bulletin = bulletins.draft(office, level="street", start=start, end=end)
        bulletins.publish(office, bulletin)
        made += 1
    briefing = briefings.create_briefing(office, title="创建全国文明城市工作进展情况", region=Region.objects.get(
        code=district_code), start=campaign_start, end=today - dt.timedelta(days=1))
    briefings.publish(office, briefing)
    briefings.make_public(office, briefing)  # the public reads it too
    return made + 1
