"""The operations part's demo builds through the real services (a tiny demo, as the browser
tests build)."""

import pytest

from apps.pestcontrol.models import Operation, PestCampaign, StockMovement
from apps.pestcontrol.services import drugs

pytestmark = pytest.mark.django_db


def test_tiny_demo_builds_operations_campaigns_and_store():
    from apps.demo.services import demo_build

    demo_build(case_count=12, inspection_months=0)
    assert PestCampaign.objects.filter(status="held").count() == 2
    assert Operation.objects.filter(campaign__kind="unified").exists()
    assert StockMovement.objects.filter(kind="issue").exists()
    store = StockMovement.objects.first().store
    assert any(row["expiring"] for row in drugs.balances(store))
