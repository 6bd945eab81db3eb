"""What `education` contributes to the whole, one module per part (plans and activities, bulletin
boards, smoke-free places), joined into one registration."""

from apps.core.registry import register_parts

from . import activities, boards, policy, smokefree

register_parts(
    "education",
    (policy, activities, boards, smokefree),
    urls=[("education/", "apps.education.urls")],
    access_world="apps.education.tests.world.extend",
)
