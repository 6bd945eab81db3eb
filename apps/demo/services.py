"""Building the demo street from every app's demo builder."""

from django.db import transaction

from apps.core.registry import registry

from .context import Demo


@transaction.atomic
def demo_build(*, case_count: int = 150, inspection_months: int = 2, seed: int | None = None) -> Demo:
    """Run every registered demo builder in dependency order, in one transaction.

    Each app declares `DemoBuilder(key, build, after=...)` in its `entries.py`; `build(demo)`
    reads what the builders before it left in the shared `Demo` and adds its own part.
    """
    options = {"case_count": case_count, "inspection_months": inspection_months}
    demo = Demo(**options) if seed is None else Demo(seed=seed, **options)
    for builder in registry.demo_builders():
        builder.build(demo)
    return demo
