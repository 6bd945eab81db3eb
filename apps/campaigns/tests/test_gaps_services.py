"""A gap becomes a task or a case in one step."""

from datetime import date

import pytest

from apps.campaigns.models import Task
from apps.campaigns.services.assessment import item_assess
from apps.campaigns.services.gaps import gap_case_open, gap_task_create
from apps.cases.categories import ensure_categories
from apps.cases.models import Case, Category
from apps.cases.selectors import case_list
from apps.core.exceptions import DomainError, OutsideJurisdiction
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(db):
    ensure_categories()
    return Category.objects.get(code="inspection_finding")


def test_gap_task_in_the_chosen_area(camp):
    item = camp.standard_version.items_by_code["2.1"]
    item_assess(actor=camp.street, campaign=camp.campaign, item=item, result="unmet", note="背街小巷有暴露垃圾")
    task = gap_task_create(
        actor=camp.street, campaign=camp.campaign, item=item, jurisdiction=camp.comm_a2, deadline=date(2026, 9, 30)
    )
    assert (task.origin, task.jurisdiction, task.item, task.deadline) == ("gap", camp.comm_a2, item, date(2026, 9, 30))
    assert "未达标" in task.description and "背街小巷有暴露垃圾" in task.description
    assert "检查记录" in task.description and "检查记录" in task.evidence_required  # missing evidence, requirement
    event = AuditEvent.objects.get(action="campaigns.campaign.gap_task_created")
    assert event.object_id == str(camp.campaign.pk) and event.data["after"]["item"] == "2.1"


def test_gap_task_only_in_own_area(camp):
    item = camp.standard_version.items_by_code["2.1"]
    with pytest.raises(OutsideJurisdiction):
        gap_task_create(actor=camp.community, campaign=camp.campaign, item=item, jurisdiction=camp.comm_a2)
    task = gap_task_create(actor=camp.community, campaign=camp.campaign, item=item, jurisdiction=camp.comm_a1)
    assert task.origin == "gap"
    with pytest.raises(DomainError):  # outside the campaign's area
        gap_task_create(actor=camp.office, campaign=camp.campaign, item=item, jurisdiction=camp.comm_b1)
    assert Task.objects.filter(origin="gap").count() == 1


def test_gap_case_opens_a_case_visible_in_the_cases_list(camp, category):
    item = camp.standard_version.items_by_code["2.1"]
    case = gap_case_open(
        actor=camp.street,
        campaign=camp.campaign,
        item=item,
        category=category,
        jurisdiction=camp.comm_a1,
        description="幸福小区门口暴露垃圾",
    )
    assert case.source == "inspection" and case.jurisdiction == camp.comm_a1
    assert "【自查缺项】2.1" in case.description and "幸福小区门口暴露垃圾" in case.description
    assert case in case_list(user=camp.community)
    event = AuditEvent.objects.get(action="campaigns.campaign.gap_case_opened")
    assert event.data["after"]["case"] == case.code


def test_gap_case_scope(camp, category):
    item = camp.standard_version.items_by_code["2.1"]
    with pytest.raises(OutsideJurisdiction):
        gap_case_open(
            actor=camp.street_other, campaign=camp.campaign, item=item, category=category, jurisdiction=camp.comm_a1
        )
    photo_needed = Category.objects.filter(photo_required=True, parent__isnull=False).first()
    with pytest.raises(DomainError):
        gap_case_open(
            actor=camp.street, campaign=camp.campaign, item=item, category=photo_needed, jurisdiction=camp.comm_a1
        )
    assert not Case.objects.exists()
