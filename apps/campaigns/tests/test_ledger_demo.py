"""The demo's ledger builder works on whatever campaign exists."""

from datetime import date
from types import SimpleNamespace

import pytest

from apps.campaigns import demo_ledger
from apps.campaigns.models import EvidenceDocument, EvidenceLink, EvidenceRule
from apps.campaigns.tests.world_ledger import closed_case
from apps.documents.uploads import check_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_demo_builds_rules_uploads_and_links(camp):
    closed_case(camp, "D-1", date(2026, 7, 1))
    demo_ledger.build(SimpleNamespace(today=date(2026, 11, 30)))
    assert EvidenceRule.objects.filter(campaign=camp.campaign).count() == 2
    documents = EvidenceDocument.objects.filter(campaign=camp.campaign)
    assert documents.count() == 1  # one requirement without a source in the test standard
    with documents.get().file.open("rb") as handle:
        assert check_document(handle) == "application/pdf"
    assert EvidenceLink.objects.filter(campaign=camp.campaign, source="cases.closed").count() == 1
    demo_ledger.build(SimpleNamespace(today=date(2026, 11, 30)))  # a second run adds nothing
    assert EvidenceDocument.objects.filter(campaign=camp.campaign).count() == 1


def test_the_demo_links_the_records_built_after_the_ledger():
    """The rule sync is the demo's last builder: right after `demo_build` an item asking for
    meeting minutes (national item 1.1 工作例会会议记录) has them linked, no 立即关联 needed."""
    from apps.demo.services import demo_build
    from apps.standards.models import EvidenceRequirement

    demo_build(case_count=12, inspection_months=0)
    requirement = EvidenceRequirement.objects.filter(source="meetings.minutes", item__code="1.1").first()
    assert requirement is not None and "会议记录" in requirement.name
    links = EvidenceLink.objects.filter(item=requirement.item, source="meetings.minutes", is_active=True)
    assert links.exists()
    for source in ("agreements.signed", "activities.records"):
        assert EvidenceLink.objects.filter(source=source, is_active=True).exists(), source
