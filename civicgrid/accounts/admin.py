from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts import services
from civicgrid.accounts.models import AccountLockout


@admin.register(AccountLockout)
class AccountLockoutAdmin(admin.ModelAdmin):
    """Lockout state is changed only through `services.unlock`, so every unlock is audited."""

    list_display = ["user", "failures", "locked_at", "last_failure_at", "last_failure_address"]
    list_filter = [("locked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username"]
    readonly_fields = list_display
    actions = ["unlock_selected"]

    @admin.action(description=_("解锁所选账号"))
    def unlock_selected(self, request, queryset):
        count = sum(services.unlock(lockout.user, actor=request.user, request=request)
                    for lockout in queryset.select_related("user"))
        self.message_user(request, _("已解锁 %(count)d 个账号。") % {"count": count}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None  # the list and its action, but no edit form

    def has_delete_permission(self, request, obj=None):
        return False
