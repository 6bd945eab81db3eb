from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import audit_guard, checks, lookups  # noqa: F401 - registers the `within` lookup and the registry checks

        # The audit table refuses UPDATE/DELETE in the database itself (audit_guard.py).
        connection_created.connect(audit_guard.register_sqlite_function, dispatch_uid="core.audit_guard")
        post_migrate.connect(audit_guard.reinstall_after_migrate, sender=self, dispatch_uid="core.audit_guard")

        # Every installed app's `entries.py` declares what it contributes (see registry.py).
        autodiscover_modules("entries")

        # Saves and deletes of the models a record rollup watches log the records to recompute.
        from .rollups import connect_signals

        connect_signals()

        post_migrate.connect(create_cache_tables, sender=self)


def create_cache_tables(sender, using="default", verbosity=1, **kwargs):
    """`migrate` also creates the database cache's table (rate limits without Redis), so no
    deployment can forget `createcachetable`; it does nothing when the table is there."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
