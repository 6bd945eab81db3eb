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
