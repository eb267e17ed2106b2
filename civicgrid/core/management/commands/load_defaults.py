"""civicgrid load_defaults — create the shipped default rows that are missing (decision 0009).

The loaders are found, not imported by name: every installed app whose module `<app>.defaults` defines
`load_defaults(using)` takes part, after the apps named in that module's `DEPENDS_ON` (app labels). Each
loader creates what is missing by natural key and never changes an existing row, so running this again (or
after every `migrate`, which does so through a post_migrate receiver, see civicgrid.core.apps) is harmless.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, transaction


def loaders() -> list[tuple[str, object]]:
    """(app label, defaults module) of every installed app that ships defaults, dependencies first."""
    found = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.defaults"
        if find_spec(name) is None:
            continue
        module = import_module(name)
        if callable(getattr(module, "load_defaults", None)):
            found[config.label] = module
    ordered: list[str] = []

    def visit(label: str, path: tuple[str, ...] = ()) -> None:
        if label in ordered:
            return
        if label in path:
            raise RuntimeError(f"defaults depend on each other in a cycle: {' → '.join((*path, label))}")
        for dependency in getattr(found[label], "DEPENDS_ON", []):
            if dependency not in found:
                raise RuntimeError(f"{label}.defaults depends on {dependency}, which ships no defaults")
            visit(dependency, (*path, label))
        ordered.append(label)

    for label in found:  # INSTALLED_APPS order where dependencies leave a choice
        visit(label)
    return [(label, found[label]) for label in ordered]


def load_all(using: str = DEFAULT_DB_ALIAS) -> list[tuple[str, list[str]]]:
    """Run every loader against the database `using`; (app label, what it created) per loader."""
    results = []
    for label, module in loaders():
        with transaction.atomic(using=using):
            results.append((label, module.load_defaults(using=using)))
    return results


def report(results, write, verbosity: int = 1) -> None:
    """Print what was created: a line per app, and each row at verbosity 2."""
    total = sum(len(created) for _label, created in results)
    if not total:
        write("Defaults: nothing to create, every default row is present.")
        return
    for label, created in results:
        if created:
            write(f"Defaults of {label}: created {len(created)}")
            if verbosity >= 2:
                for row in created:
                    write(f"  + {row}")
    write(f"Defaults: {total} rows created.")


class Command(BaseCommand):
    help = ("Create the shipped default rows (place kinds, rulebook, checklist, work kinds, scoring schemes) "
            "that are missing; rows that exist are never changed.")

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, database, verbosity=1, **options):
        report(load_all(using=database), self.stdout.write, verbosity)
