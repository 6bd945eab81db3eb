"""What `surveys` contributes to the whole, one module per part (the builder with the sampling
plan; results with the answers export, figures and evidence; answering: the public page, the QR
code and the interviewer mode), joined into one registration."""

from apps.core.registry import register_parts

from . import answering, builder, policy, results

register_parts(
    "surveys",
    (policy, builder, results, answering),
    urls=[("surveys/", "apps.surveys.urls")],
    access_world="apps.surveys.tests.world.extend",
)
