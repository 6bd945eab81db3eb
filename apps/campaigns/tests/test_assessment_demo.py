"""The demo builder of the assessment concept works with whatever campaigns exist."""

from types import SimpleNamespace

import pytest

from apps.campaigns import demo_assessment
from apps.campaigns.models import ItemAssessment, MockAssessment, Task

pytestmark = pytest.mark.django_db


def test_demo_assesses_part_of_each_campaign_and_submits_one_mock(camp):
    demo_assessment.build(SimpleNamespace())
    for campaign in (camp.campaign, camp.campaign_b):
        rows = ItemAssessment.objects.filter(campaign=campaign)
        assert 0 < rows.count() < 4  # part of the 4 items
        assert rows.get(item__code="1.1").result == "met"  # the prerequisite is met
    mock = MockAssessment.objects.get()
    assert mock.status == "submitted" and mock.projected_score is not None and mock.sample
    assert Task.objects.filter(origin="mock").exists()
    demo_assessment.build(SimpleNamespace())  # a second run adds nothing
    assert MockAssessment.objects.count() == 1


def test_demo_without_campaigns_does_nothing(org):
    demo_assessment.build(SimpleNamespace())
    assert not ItemAssessment.objects.exists()
