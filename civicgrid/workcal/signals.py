"""Drop the cached calendar when the office edits it."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from civicgrid.workcal.calendar import entries
from civicgrid.workcal.models import CalendarDay, CalendarYear


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def calendar_changed(**kwargs):
    # Forget now (this transaction sees the change) and again after commit (others may have
    # reloaded the old rows meanwhile); a rollback is caught by the cache's time limit.
    entries.forget()
    transaction.on_commit(entries.forget)
