"""Mock assessments: reproducible sampling inside the scope, scoring, submit freezes the score,
tasks from the weakest items."""

from datetime import date
from decimal import Decimal as D

import pytest

from apps.campaigns.models import EvidenceLink, MockAssessment, Task
from apps.campaigns.services.mock import draw_sample, mock_create, mock_score, mock_submit, mock_tasks_create
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def closed_case(o, object_id, jurisdiction, day=date(2026, 9, 20)):
    return EvidenceLink.objects.create(
        campaign=o.campaign,
        item=o.standard_version.items_by_code["2.2"],
        kind="rule",
        source="cases.closed",
        object_id=object_id,
        title=f"案件{object_id}",
        url=f"/cases/{object_id}/",
        occurred_on=day,
        jurisdiction_path=jurisdiction.path,
    )


def test_draw_sample_is_reproducible_and_takes_turns():
    candidates = {
        "unit": [{"kind": "unit", "id": n} for n in range(10)],
        "place": [{"kind": "place", "id": n} for n in range(3)],
        "case": [],
    }
    first = draw_sample(candidates, 5, seed=42)
    assert first == draw_sample(candidates, 5, seed=42)
    assert [row["kind"] for row in first] == ["place", "unit", "place", "unit", "place"]
    assert draw_sample(candidates, 50, seed=1) and len(draw_sample(candidates, 50, seed=1)) == 13
    assert {r["id"] for r in draw_sample(candidates, 13, 1) if r["kind"] == "unit"} == set(range(10))


def test_mock_create_samples_only_inside_its_scope(camp):
    closed_case(camp, "11", camp.estate_a1)
    closed_case(camp, "12", camp.comm_a2)
    closed_case(camp, "13", camp.comm_a1, day=date(2026, 1, 5))  # too old
    mock = mock_create(
        actor=camp.street,
        campaign=camp.campaign,
        jurisdiction=camp.comm_a1,
        conducted_on=date(2026, 10, 1),
        sample_size=20,
        seed=9,
    )
    names = {(row["kind"], row["name"]) for row in mock.sample}
    assert names == {("unit", "幸福物业"), ("unit", "甲一面馆"), ("place", "幸福小区"), ("case", "案件11")}
    unit = next(row for row in mock.sample if row["name"] == "幸福物业")
    assert unit["lat"] == pytest.approx(31.467) and unit["id"] == camp.unit_a1.pk
    again = mock_create(
        actor=camp.street,
        campaign=camp.campaign,
        jurisdiction=camp.comm_a1,
        conducted_on=date(2026, 10, 1),
        sample_size=2,
        seed=9,
    )
    third = mock_create(
        actor=camp.office,
        campaign=camp.campaign,
        jurisdiction=camp.comm_a1,
        conducted_on=date(2026, 10, 1),
        sample_size=2,
        seed=9,
    )
    assert again.sample == third.sample and len(again.sample) == 2
    assert AuditEvent.objects.filter(action="campaigns.mockassessment.created").count() == 3


def test_mock_create_permissions_and_scope(camp):
    kwargs = {"campaign": camp.campaign, "conducted_on": date(2026, 10, 1)}
    with pytest.raises(PermissionDeniedForRole):
        mock_create(actor=camp.community, jurisdiction=camp.comm_a1, **kwargs)
    with pytest.raises(OutsideJurisdiction):
        mock_create(actor=camp.street_other, jurisdiction=camp.street_b, **kwargs)
    with pytest.raises(DomainError):
        mock_create(actor=camp.office, jurisdiction=camp.street_b, **kwargs)  # outside the campaign
    with pytest.raises(DomainError):
        mock_create(actor=camp.street, jurisdiction=camp.street_a, sample_size=0, **kwargs)
    assert not MockAssessment.objects.exists()


@pytest.fixture
def mock(camp):
    return mock_create(
        actor=camp.street, campaign=camp.campaign, jurisdiction=camp.street_a, conducted_on=date(2026, 10, 1), seed=3
    )


def test_score_submit_freezes_projection(camp, mock):
    items = camp.standard_version.items_by_code
    mock_score(actor=camp.street, mock=mock, item=items["1.1"], result="met", expected_version=1)
    mock_score(actor=camp.street, mock=mock, item=items["2.1"], result="partly", score=D("6"), expected_version=2)
    with pytest.raises(ConcurrentEdit):
        mock_score(actor=camp.street, mock=mock, item=items["2.2"], result="met", expected_version=2)
    mock_score(actor=camp.inspector, mock=mock, item=items["2.2"], result="met")
    with pytest.raises(PermissionDeniedForRole):
        mock_score(actor=camp.community, mock=mock, item=items["2.2"], result="met")
    mock = mock_submit(actor=camp.street, mock=MockAssessment.objects.get(pk=mock.pk))
    # 6 + 6 of 10 + 6; the one prerequisite is met
    assert (mock.status, mock.projected_score, mock.max_score, mock.prerequisites_met) == (
        "submitted",
        D("12"),
        D("16"),
        True,
    )
    assert mock.submitted_at is not None
    with pytest.raises(DomainError):
        mock_score(actor=camp.street, mock=mock, item=items["2.2"], result="unmet")
    mock.refresh_from_db()
    assert mock.projected_score == D("12")
    assert AuditEvent.objects.filter(action="campaigns.mockassessment.submitted").exists()


def test_failed_prerequisite_is_frozen_too(camp, mock):
    mock_score(actor=camp.street, mock=mock, item=camp.standard_version.items_by_code["1.1"], result="unmet")
    mock = mock_submit(actor=camp.street, mock=mock)
    assert mock.prerequisites_met is False and mock.projected_score == D("0")


def test_tasks_from_the_weakest_items(camp, mock):
    items = camp.standard_version.items_by_code
    mock_score(actor=camp.street, mock=mock, item=items["1.1"], result="partly", note="文件未盖章")
    mock_score(actor=camp.street, mock=mock, item=items["2.1"], result="partly", score=D("8"))  # lost 2
    mock_score(actor=camp.street, mock=mock, item=items["2.2"], result="partly", score=D("3"))  # lost 3
    tasks = mock_tasks_create(actor=camp.street, mock=mock, count=2, deadline=date(2026, 11, 1))
    assert [t.item.code for t in tasks] == ["1.1", "2.2"]
    assert all(t.origin == "mock" and t.jurisdiction == camp.street_a for t in tasks)
    assert "文件未盖章" in tasks[0].description
    again = mock_tasks_create(actor=camp.street, mock=mock, count=2)
    assert [t.item.code for t in again] == ["2.1"]  # the two above are not repeated
    assert Task.objects.filter(origin="mock").count() == 3
    with pytest.raises(PermissionDeniedForRole):
        mock_tasks_create(actor=camp.inspector, mock=mock)


def test_tasks_from_a_mock_are_not_repeated_in_another_language(camp, mock):
    from django.utils import translation

    items = camp.standard_version.items_by_code
    mock_score(actor=camp.street, mock=mock, item=items["2.2"], result="partly", score=D("3"))
    with translation.override("en"):
        first = mock_tasks_create(actor=camp.street, mock=mock, count=3)
    with translation.override("zh-hans"):
        again = mock_tasks_create(actor=camp.street, mock=mock, count=3)
    assert [t.item.code for t in first] == ["2.2"] and again == []
    assert first[0].origin_note == f"#{mock.pk}"  # read as 来源 模拟考核：#<id>
