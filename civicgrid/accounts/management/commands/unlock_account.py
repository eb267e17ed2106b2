from django.core.management.base import BaseCommand, CommandError

from civicgrid.accounts import services


class Command(BaseCommand):
    help = "Unlock an account locked after too many failed logins (recorded in the audit log)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = services.account_named(username)
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        if not services.unlock(user):
            self.stdout.write(f"{user.get_username()} was not locked.")
            return
        self.stdout.write(self.style.SUCCESS(f"{user.get_username()} unlocked."))
