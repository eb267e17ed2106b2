from civicgrid.accounts import services
from civicgrid.accounts.management.commands._account import AccountCommand


class Command(AccountCommand):
    help = ("Remove the two-factor device of someone who lost it; they log in with their password and enrol "
            "a new one (recorded in the audit log).")
    done, unchanged = "{username}'s two-factor device removed.", "{username} had no two-factor device."

    def act(self, user) -> bool:
        return services.reset_devices(user)
