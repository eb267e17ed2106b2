from django.core.management.base import BaseCommand, CommandError

from civicgrid.accounts import services


class AccountCommand(BaseCommand):
    """The operator acts on one account by name: `act(user)` says whether anything changed; the service audits."""

    done = unchanged = ""  # "{username} …"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def act(self, user) -> bool:
        raise NotImplementedError

    def handle(self, username, **options):
        user = services.account_named(username)
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        if self.act(user):
            self.stdout.write(self.style.SUCCESS(self.done.format(username=user.get_username())))
        else:
            self.stdout.write(self.unchanged.format(username=user.get_username()))
