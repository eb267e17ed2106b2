"""Every login path (pages, the admin, the token endpoint) goes through Django's auth signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from civicgrid import audit
from civicgrid.accounts import services
from civicgrid.audit.models import AuditKind
from civicgrid.organizations.models import Grant


@receiver(user_login_failed, dispatch_uid="accounts-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    services.record_failure(credentials.get("username", ""), request)


@receiver(user_logged_in, dispatch_uid="accounts-logged-in")
def _logged_in(sender, request, user, **kwargs):
    services.record_success(user, request)


@receiver(user_logged_out, dispatch_uid="accounts-logged-out")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditKind.LOGOUT, actor=user, request=request, target=user.get_username())


def _grant_detail(grant: Grant) -> dict:
    """Where the grant reaches, by name and code (the region or unit may be going away with it: then its id)."""
    from django.core.exceptions import ObjectDoesNotExist

    detail = {"role": grant.role}
    for name in ("region", "unit"):
        if getattr(grant, f"{name}_id"):
            try:
                target = getattr(grant, name)
                detail[name] = f"{target.name}（{target.code}）"
            except ObjectDoesNotExist:
                detail[name] = getattr(grant, f"{name}_id")
    return detail


def _username(grant: Grant) -> str:
    return grant.user.get_username()


# Signals rather than a call in organizations.services.grant_role: grants also change in the Django admin
# and disappear with their user or region, and each of those is a change of someone's rights.
@receiver(post_save, sender=Grant, dispatch_uid="accounts-grant-saved")
def _grant_saved(sender, instance, created, **kwargs):
    audit.record(AuditKind.GRANT_CHANGED, target=_username(instance), change="added" if created else "changed",
                 **_grant_detail(instance))


@receiver(post_delete, sender=Grant, dispatch_uid="accounts-grant-deleted")
def _grant_deleted(sender, instance, **kwargs):
    audit.record(AuditKind.GRANT_CHANGED, target=_username(instance), change="removed", **_grant_detail(instance))
