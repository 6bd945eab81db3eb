"""The campaigns' part of the access-matrix world: the base (factories.build_campaigns), then one
part per concept."""

from apps.campaigns.tests import world_assessment, world_binder, world_ledger, world_tasks
from apps.campaigns.tests.factories import build_campaigns


def extend(o) -> None:
    build_campaigns(o)
    for part in (world_tasks, world_ledger, world_assessment, world_binder):
        part.extend(o)
