"""What `pestcontrol` contributes to the whole. The app is large, so each part declares its own
entries in a module of this package (operations and the drug ledger, surveys and control levels,
the Aedes household survey, the overview); this module joins them into the one registration."""

from apps.core.registry import register_parts

from . import aedes, home, operations, policy, surveys

register_parts(
    "pestcontrol",
    (policy, home, operations, surveys, aedes),
    urls=[("pestcontrol/", "apps.pestcontrol.urls")],
    access_world="apps.pestcontrol.tests.world.extend",
)
