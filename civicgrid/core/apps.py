from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civicgrid.core"
    verbose_name = _("基础")

    def ready(self):
        post_migrate.connect(load_defaults_after_migrate, dispatch_uid="civicgrid.core.load_defaults")


def load_defaults_after_migrate(sender, app_config, using, plan=None, verbosity=1, stdout=None, **kwargs):
    """After a `migrate` that applied migrations, create the missing default rows (decision 0009).

    post_migrate is sent once per app: this acts on the last one only, when every app is migrated. It does
    nothing after `flush` (which sends no plan): a TransactionTestCase with serialized_rollback restores
    its rows itself, and would collide with rows created here. Nor after a `migrate` that applied nothing,
    or one that left the database short of the latest migrations (a migration to an older state).
    """
    from django.apps import apps
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    if not plan or not any(not backwards for _migration, backwards in plan):
        return
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if app_config is not last:
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    from civicgrid.core.management.commands.load_defaults import load_all, report

    results = load_all(using=using)
    if verbosity >= 1 and stdout is not None:
        report(results, lambda line: stdout.write(f"  {line}"), verbosity)
