"""The inspector's task list: grouped by round, overdue sheets marked, paged; the phone sheet's
fixed-deduction switch; the confirmation questions of irreversible steps."""

import json
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.inspections import services
from apps.inspections.views import sheets as sheet_views
from apps.inspections.workflow import APPEAL_WORKFLOW, SHEET_WORKFLOW
from apps.organization import services as org_services
from apps.organization.models import UnitType

from .test_services import make_plan

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def _sheet(pk, round_id, deadline, status="planned"):
    round_ = SimpleNamespace(pk=round_id, deadline=deadline) if round_id else None
    return SimpleNamespace(pk=pk, round_id=round_id, round=round_, status=status)


def test_sheets_are_grouped_by_round_and_overdue_ones_counted():
    yesterday, tomorrow = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
    sheets = [
        _sheet(1, 7, yesterday),
        _sheet(2, 7, yesterday, status="in_progress"),
        _sheet(3, 8, TODAY),  # due today: not overdue yet
        _sheet(4, 9, tomorrow),
        _sheet(5, None, None, status="in_progress"),  # ad hoc: no deadline
    ]
    groups = sheet_views.group_tasks(sheets, today=TODAY)
    assert [g["round_id"] for g in groups] == [7, 8, 9, None]
    assert [len(g["rows"]) for g in groups] == [2, 1, 1, 1]
    assert [g["overdue"] for g in groups] == [2, 0, 0, 0]
    assert [r["overdue"] for r in groups[0]["rows"]] == [True, True]
    assert groups[3]["deadline"] is None


def test_a_submitted_sheet_is_never_overdue():
    assert not sheet_views.is_overdue(_sheet(1, 7, TODAY - timedelta(days=3), status="submitted"), TODAY)
    assert sheet_views.is_overdue(_sheet(1, 7, TODAY - timedelta(days=3)), TODAY)


@pytest.fixture
def two_rounds(org, checklist):
    """Two rounds for the inspector: one past its deadline, one due next week (3 shops each)."""
    shops = UnitType.objects.get(code="shop")
    for n in range(3):
        org_services.unit_create(actor=None, unit_type=shops, name=f"任务门店{n}", jurisdiction=org.comm_a2)
    plan = make_plan(org, checklist, unit_types=[shops])
    today = timezone.localdate()
    late = services.round_open(
        actor=org.street,
        plan=plan,
        period_start=today - timedelta(days=9),
        period_end=today - timedelta(days=2),
        deadline=today - timedelta(days=2),
        seed=1,
    )
    due = services.round_open(
        actor=org.street,
        plan=plan,
        period_start=today,
        period_end=today + timedelta(days=7),
        deadline=today + timedelta(days=7),
        seed=1,
    )
    return late, due


def test_task_list_groups_marks_overdue_and_pages(client, org, two_rounds, monkeypatch):
    late, due = two_rounds
    late_count = late.inspections.filter(inspector=org.inspector).count()
    due_count = due.inspections.filter(inspector=org.inspector).count()
    assert late_count >= 3 and due_count >= 3
    monkeypatch.setattr(sheet_views, "TASKS_PER_PAGE", late_count + 1)
    client.force_login(org.inspector)
    response = client.get(reverse("inspections:inspection_list"))
    html = response.content.decode()
    groups = response.context["task_groups"]
    # Earliest deadline first: the late round fills the page, the next round starts on it.
    assert [g["round_id"] for g in groups] == [late.pk, due.pk]
    assert groups[0]["overdue"] == late_count and groups[1]["overdue"] == 0
    # The round cut by the page's end says how many are left in all.
    assert groups[1]["total"] == due_count and len(groups[1]["rows"]) == 1 and "本页 1 项" in html
    assert html.count('data-testid="overdue"') == late_count and "已超期" in html
    assert response.context["task_page"].paginator.num_pages == 2
    assert 'data-testid="task-pagination"' in html and "tasks_page=2" in html

    second = client.get(reverse("inspections:inspection_list") + "?tasks_page=2&status=planned")
    groups = second.context["task_groups"]
    assert [g["round_id"] for g in groups] == [due.pk] and groups[0]["overdue"] == 0
    # The ledger below keeps its own filter and its own page; the task page is not a filter.
    assert second.context["filters"] == {"status": "planned"}
    assert "tasks_page=" not in second.context["tasks_querystring"]


def test_no_task_section_without_tasks(client, org, two_rounds):
    client.force_login(org.street)
    response = client.get(reverse("inspections:inspection_list"))
    assert response.status_code == 200 and 'data-testid="my-inspections"' not in response.content.decode()


def test_fixed_item_is_a_switch_on_the_phone_sheet(client, org, two_rounds):
    late, _ = two_rounds
    sheet = late.inspections.filter(inspector=org.inspector).first()
    client.force_login(org.inspector)
    html = client.get(reverse("inspections:inspection_fill", args=[sheet.pk])).content.decode()
    assert html.count('data-testid="fixed-toggle"') == 1  # item B only
    assert html.count('name="occurrences"') == 1  # item A keeps the stepper
    assert html.count('name="failed"') == 1  # item C keeps its pass/fail switch
    assert f'data-confirm="{SHEET_WORKFLOW["submit"].confirm}"' in html
    # The switch saves as one occurrence, the same payload as before.
    item = sheet.checklist.items.get(code="B")
    response = client.post(
        reverse("inspections:inspection_item_save", args=[sheet.pk, item.pk]),
        {"occurrences": 1, "passed": "false", "note": "有问题", "stamp": 1},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["deduction"] == "3.0"
    html = client.get(reverse("inspections:inspection_fill", args=[sheet.pk])).content.decode()
    assert 'name="found" role="switch" checked' in html


def test_deciding_an_appeal_asks_first():
    for step in APPEAL_WORKFLOW.transitions:
        assert step.confirm, step.name
    assert SHEET_WORKFLOW["submit"].confirm


def test_appeal_decision_and_ranking_publication_ask_first(client, org):
    from .factories import build_inspections

    world = build_inspections(org)
    client.force_login(world.street)
    html = client.get(world.appeal.get_absolute_url()).content.decode()
    assert 'data-confirm-choice="decision"' in html and 'data-confirm-map="decision-confirms"' in html
    script = re.search(r'<script id="decision-confirms" type="application/json">(.*?)</script>', html).group(1)
    assert json.loads(script) == {t.name: str(t.confirm) for t in APPEAL_WORKFLOW.transitions}
    page = client.get(reverse("inspections:ranking"), {"period_kind": "month", "level": "unit:property"})
    publish = re.search(r'<form[^>]*data-testid="publish-form"[^>]*>', page.content.decode()).group(0)
    assert "data-confirm=" in publish
