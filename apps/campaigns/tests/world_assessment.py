"""The assessment part of the campaigns access world: a self-assessed item of 甲街道's campaign,
a category a gap may become a case of, and a mock assessment of 甲街道 being scored."""

from datetime import date
from decimal import Decimal

from apps.campaigns.models import MockAssessment
from apps.campaigns.services.assessment import item_assess
from apps.cases.categories import ensure_categories
from apps.cases.models import Category


def extend(o) -> None:
    ensure_categories()
    o.gap_category = Category.objects.get(code="inspection_finding")
    o.assess_item = o.standard_version.items_by_code["2.1"]
    o.assessment = item_assess(
        actor=o.street, campaign=o.campaign, item=o.assess_item, result="partly", score=Decimal("7")
    )
    o.mock = MockAssessment.objects.create(
        campaign=o.campaign,
        jurisdiction=o.street_a,
        assessor=o.inspector,
        conducted_on=date(2026, 10, 20),
        seed=7,
        sample=[{"kind": "place", "id": o.comm_a1.pk, "name": o.comm_a1.name, "why": "社区"}],
    )
