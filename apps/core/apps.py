from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import checks, lookups  # noqa: F401 - registers the `within` lookup and the registry checks

        # Every installed app's `entries.py` declares what it contributes (see registry.py).
        autodiscover_modules("entries")

        post_migrate.connect(create_cache_tables, sender=self)


def create_cache_tables(sender, using="default", verbosity=1, **kwargs):
    """`migrate` also creates the database cache's table (rate limits without Redis), so no
    deployment can forget `createcachetable`; it does nothing when the table is there."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
