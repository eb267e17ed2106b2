from civicgrid.accounts import services
from civicgrid.accounts.management.commands._account import AccountCommand


class Command(AccountCommand):
    help = "Unlock an account locked after too many failed logins (recorded in the audit log)."
    done, unchanged = "{username} unlocked.", "{username} was not locked."

    def act(self, user) -> bool:
        return services.unlock(user)
