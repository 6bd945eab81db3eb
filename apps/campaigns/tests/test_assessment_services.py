"""The self-assessment service and its selectors: defaults, versions, scope, audit, figures."""

from datetime import date
from decimal import Decimal as D

import pytest

from apps.campaigns.models import EvidenceLink, ItemAssessment
from apps.campaigns.selectors.assessment import assessment_overview, gap_rows
from apps.campaigns.services.assessment import item_assess
from apps.core.evidence import FigureSource, FigureValue
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.core.registry import AppEntries, registry
from apps.standards.models import StandardIndicator

pytestmark = pytest.mark.django_db


def items(o):
    return o.standard_version.items_by_code


@pytest.fixture
def on_time_rate(monkeypatch):
    """A figure source as the cases app registers it (the test registers its own)."""
    calls = []

    def compute(path, start, end):
        calls.append((path, start, end))
        return FigureValue(D("85.0"), D("17"), D("20"), url="/cases/statistics/")

    source = FigureSource("cases.on_time_rate", "按期结案率", "%", compute)
    monkeypatch.setitem(registry.apps, "test_figures", AppEntries(label="test_figures", figures=[source]))
    return calls


def test_item_assess_defaults_and_audit(camp):
    a = item_assess(actor=camp.street, campaign=camp.campaign, item=items(camp)["2.1"], result="met")
    assert a.score == D("10") and a.version == 1 and a.assessed_by == camp.street
    event = AuditEvent.objects.get(action="campaigns.itemassessment.created")
    assert event.jurisdiction_path == camp.street_a.path
    a = item_assess(
        actor=camp.street,
        campaign=camp.campaign,
        item=items(camp)["2.1"],
        result="partly",
        score=D("6"),
        note="两处暴露垃圾",
        expected_version=1,
    )
    assert (a.result, a.score, a.version) == ("partly", D("6.0"), 2)
    changed = AuditEvent.objects.get(action="campaigns.itemassessment.changed")
    assert changed.data["changes"]["score"][0] in ("10.0", "10", 10.0)


def test_item_assess_refuses_a_stale_version(camp):
    item = items(camp)["2.1"]
    item_assess(actor=camp.street, campaign=camp.campaign, item=item, result="met")
    with pytest.raises(ConcurrentEdit):
        item_assess(actor=camp.street, campaign=camp.campaign, item=item, result="unmet", expected_version=0)
    item_assess(actor=camp.street, campaign=camp.campaign, item=item, result="unmet", expected_version=1)
    with pytest.raises(ConcurrentEdit):
        item_assess(actor=camp.street, campaign=camp.campaign, item=item, result="met", expected_version=1)
    assert ItemAssessment.objects.get(item=item).result == "unmet"


def test_item_assess_scope_and_role(camp):
    item = items(camp)["1.1"]
    with pytest.raises(OutsideJurisdiction):  # a community reads the street's campaign, changes only its own
        item_assess(actor=camp.community, campaign=camp.campaign, item=item, result="met")
    with pytest.raises(OutsideJurisdiction):
        item_assess(actor=camp.street_other, campaign=camp.campaign, item=item, result="met")
    with pytest.raises(PermissionDeniedForRole):
        item_assess(actor=camp.grid, campaign=camp.campaign, item=item, result="met")
    with pytest.raises(DomainError):  # partly on a scored item needs a score
        item_assess(actor=camp.street, campaign=camp.campaign, item=items(camp)["2.2"], result="partly")
    assert not ItemAssessment.objects.exists()


def test_overview_totals_prerequisites_first_and_figures(camp, on_time_rate):
    c = camp.campaign
    item_assess(actor=camp.street, campaign=c, item=items(camp)["1.1"], result="unmet", note="未发文")
    item_assess(actor=camp.street, campaign=c, item=items(camp)["2.1"], result="partly", score=D("7"))
    item_assess(actor=camp.street, campaign=c, item=items(camp)["2.2"], result="met")
    overview = assessment_overview(campaign=c, user=camp.street, today=date(2026, 9, 1))
    t = overview["totals"]
    assert (t.score, t.max_score, t.percent) == (D("13"), D("16"), D("81.3"))  # 13/16 = 81.25 → 81.3
    assert t.prerequisites == "failed" and t.failed_prerequisites == ["1.1"]
    assert overview["rows"][0].item.code == "1.1"
    [indicator] = next(row for row in overview["rows"] if row.item.code == "2.2").indicators
    assert indicator.value.value == D("85.0") and indicator.meets is False and indicator.shortfall == D("5.0")
    assert on_time_rate == [(camp.street_a.path, date(2026, 6, 1), date(2026, 9, 1))]


def test_unknown_figure_key_does_not_break(camp):
    StandardIndicator.objects.filter(figure_key="cases.on_time_rate").update(figure_key="nobody.registers_this")
    overview = assessment_overview(campaign=camp.campaign, user=camp.street)
    [indicator] = next(row for row in overview["rows"] if row.item.code == "2.2").indicators
    assert indicator.known is False and indicator.meets is None


def test_gap_rows(camp, on_time_rate):
    c = camp.campaign
    for code in ("1.1", "1.2", "2.1"):
        item_assess(actor=camp.street, campaign=c, item=items(camp)[code], result="met")
    EvidenceLink.objects.create(
        campaign=c,
        item=items(camp)["1.2"],
        kind="upload",
        source="upload",
        object_id="1",
        title="例会记录",
        occurred_on=date(2026, 7, 1),
        jurisdiction_path=camp.street_a.path,
    )
    rows = {row.item.code: row for row in gap_rows(campaign=c, user=camp.street)}
    # 1.1: met but its 领导小组成立文件 is missing; 1.2 met with a piece: no gap; 2.1 short of evidence;
    # 2.2 unassessed and its 按期结案率 85 < 90.
    assert list(rows) == ["1.1", "2.1", "2.2"]
    assert rows["1.1"].open_tasks == [camp.task]
