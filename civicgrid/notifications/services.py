"""One notification service: a message becomes one Delivery per channel and address, written in the
transaction of what it announces, then sent after commit — in a thread of this process, or on the queue when
configured, so a slow provider never holds a page — and retried with growing pauses until it goes through or
is given up. Quiet hours defer everything but codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from civicgrid.core import tasks
from civicgrid.notifications import channels
from civicgrid.notifications.models import Channel, Delivery, GroupRobot, Preference, Status

# Pauses before the 2nd, 3rd … attempt; after the last one the delivery is given up.
RETRY_PAUSES = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120)]


@dataclass(frozen=True)
class Message:
    kind: str
    body: str
    case_number: str = ""
    params: dict | None = None  # an SMS template's parameters
    urgent: bool = False  # a one-time code: never deferred by quiet hours


def to_staff(users, message: Message, *, unit_ids=()) -> list[Delivery]:
    """A message to staff: recorded in-app, and on each one's chosen channels; posted to the group robots of
    the given units."""
    now = timezone.now()
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in users])}
    rows = []
    for user in users:
        rows.append(_delivery(message, Channel.INAPP, user.get_username(), now, user=user))
        preference = preferences.get(user.pk)
        if preference is None:
            continue
        later = _after_quiet_hours(now, preference.quiet_start, preference.quiet_end, message.urgent)
        if Channel.SMS in preference.channels and preference.phone:
            rows.append(_delivery(message, Channel.SMS, preference.phone, later, user=user))
        if Channel.EMAIL in preference.channels and preference.email:
            rows.append(_delivery(message, Channel.EMAIL, preference.email, later, user=user))
    for robot in GroupRobot.objects.filter(unit_id__in=unit_ids, active=True):
        if not robot.kinds or message.kind in robot.kinds:
            # The robot's provider names its channel; its signing secret stays on the robot, not in the record.
            rows.append(_delivery(message, Channel(robot.provider), robot.webhook_url, now))
    return _record(rows)


def to_citizen(message: Message, *, phone: str) -> list[Delivery]:
    """A message to a member of the public, by SMS to a verified phone (citizens' quiet hours from the settings).
    A citizen's account shows its reports' state on its own page; there is no in-app message to record."""
    if not phone:
        return []
    start, end = settings.NOTIFY_CITIZEN_QUIET_HOURS
    return _record([_delivery(message, Channel.SMS, phone, _after_quiet_hours(timezone.now(), start, end,
                                                                              message.urgent))])


def _delivery(message: Message, channel: str, address: str, when: dt.datetime, *, user=None) -> Delivery:
    now = timezone.now()
    sent = channel == Channel.INAPP  # the in-app row is the message itself
    return Delivery(kind=message.kind, channel=channel, user=user, address=address, body=message.body,
                    case_number=message.case_number, params=dict(message.params or {}), urgent=message.urgent,
                    status=Status.SENT if sent else (Status.DEFERRED if when > now else Status.PENDING),
                    attempts=1 if sent else 0, sent_at=now if sent else None, next_attempt_at=when,
                    provider_reference="inapp" if sent else "")


def _record(rows: list[Delivery]) -> list[Delivery]:
    created = Delivery.objects.bulk_create(rows)
    if any(d.status == Status.PENDING for d in created):
        tasks.enqueue_background("civicgrid.notifications.services.send_due")
    return created


def _after_quiet_hours(now: dt.datetime, start: dt.time | None, end: dt.time | None, urgent: bool) -> dt.datetime:
    """`now`, or the end of the quiet hours when `now` falls in them (a span may cross midnight)."""
    if urgent or start is None or end is None or start == end:
        return now
    local = timezone.localtime(now)
    clock = local.time()
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return now
    wake = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if wake <= local:
        wake += dt.timedelta(days=1)
    return wake


def send_due(now: dt.datetime | None = None) -> int:
    """Send every delivery whose time has come; each is claimed by a conditional update, so two runners
    never send one twice. Returns how many went through."""
    now = now or timezone.now()
    sent = 0
    due = Delivery.objects.filter(status__in=[Status.PENDING, Status.DEFERRED, Status.FAILED],
                                  next_attempt_at__lte=now).order_by("next_attempt_at", "id")
    for delivery in list(due[:500]):
        claimed_until = now + dt.timedelta(minutes=10)  # a runner that dies mid-send leaves it for a retry
        if not Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts,
                                       status=delivery.status).update(attempts=F("attempts") + 1,
                                                                      next_attempt_at=claimed_until):
            continue
        delivery.attempts += 1
        sent += _attempt(delivery, now)
    return sent


def _attempt(delivery: Delivery, now: dt.datetime) -> int:
    try:
        reference = channels.send(delivery)
    except channels.SendFailed as exc:
        given_up = delivery.attempts > len(RETRY_PAUSES)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Status.ABANDONED if given_up else Status.FAILED, last_error=str(exc)[:500],
            next_attempt_at=now if given_up else now + RETRY_PAUSES[delivery.attempts - 1])
        return 0
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.SENT, sent_at=timezone.now(),
                                                   provider_reference=reference[:100], last_error="")
    return 1


def outbox(user, *, channel: str = "", status: str = "", case_number: str = "", address: str = ""):
    """The office's reading of every send (the demo's SMS are read here)."""
    rows = Delivery.objects.restrict(user, "view").select_related("user")
    if channel:
        rows = rows.filter(channel=channel)
    if status:
        rows = rows.filter(status=status)
    if case_number:
        rows = rows.filter(case_number=case_number.strip())
    if address:
        rows = rows.filter(Q(address__contains=address.strip()))
    return rows


def resend(delivery_id: int, user) -> bool:
    """The office sends an abandoned delivery again."""
    with transaction.atomic():
        changed = Delivery.objects.restrict(user, "change").filter(
            pk=delivery_id, status=Status.ABANDONED).update(status=Status.PENDING, next_attempt_at=timezone.now())
        if changed:
            tasks.enqueue_background("civicgrid.notifications.services.send_due")
    return bool(changed)
