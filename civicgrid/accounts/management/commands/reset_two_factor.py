from django.core.management.base import BaseCommand, CommandError

from civicgrid.accounts import services


class Command(BaseCommand):
    help = ("Remove the two-factor device of someone who lost it; they log in with their password and enrol "
            "a new one (recorded in the audit log).")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = services.account_named(username)
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        if not services.reset_devices(user):
            self.stdout.write(f"{user.get_username()} had no two-factor device.")
            return
        self.stdout.write(self.style.SUCCESS(f"{user.get_username()}'s two-factor device removed."))
