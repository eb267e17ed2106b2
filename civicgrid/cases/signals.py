"""What the case loop announces to the apps above it (notifications, the public side), inside the transaction
of the change, so that a rolled-back change announces nothing that sticks."""

from django.dispatch import Signal

# A transition or a stateless event was recorded: kwargs case, event.
case_changed = Signal()
# Staff were told something in the app (dispatch, return, due soon, overdue): kwargs users, case, kind, message.
staff_notified = Signal()
