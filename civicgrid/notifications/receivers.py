"""Staff notices the case loop raises (dispatch, return, due soon, overdue) reach each person's chosen
channels and the responsible unit's group robots."""

from django.dispatch import receiver

from civicgrid.cases.signals import staff_notified
from civicgrid.notifications.services import Message, to_staff


@receiver(staff_notified, dispatch_uid="notifications-staff")
def _staff_notified(sender, *, users, case, kind, message, **kwargs):
    units = [case.responsible_unit_id] if case.responsible_unit_id and kind in ("dispatched", "due_soon") else []
    to_staff(users, Message(kind=kind, body=f"【创城网格】{message}", case_number=case.number,
                            params={"number": case.number}), unit_ids=units)
