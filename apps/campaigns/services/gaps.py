"""Turning a gap of the self-assessment (缺什么、补什么) into work in one step: a task of the
campaign's breakdown, or a case in the cases app (through its services: the case loop of
上报 → 立案 → 派遣 → 处置 → 核查 → 结案 does the rest)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.cases import services as case_services
from apps.cases.choices import CaseSource
from apps.cases.models import Case, Category
from apps.core.audit import audit_record
from apps.core.exceptions import DomainError

from ..choices import TaskOrigin
from ..models import Campaign, ItemAssessment, Task
from ..selectors.assessment import gap_description, item_row
from .assessment import campaign_item
from .common import ensure_area, ensure_sees
from .tasks import task_create


def _gap_text(campaign: Campaign, item, actor) -> str:
    row = item_row(campaign=campaign, item=item, user=actor)
    return gap_description(row)


@transaction.atomic
def gap_task_create(
    *, actor, campaign: Campaign, item, jurisdiction, deadline: date | None = None, title: str = ""
) -> Task:
    """A task for the gap of `item`: what is missing as its description, the item's text and
    evidence requirements as the evidence it must produce, in `jurisdiction` (inside the
    campaign and the actor's subtree; task_create checks both). Audited on the task
    (campaigns.task.created) and on the campaign (campaigns.campaign.gap_task_created)."""
    campaign_item(campaign, item)
    gap = _gap_text(campaign, item, actor)
    requirements = [str(r) for r in item.requirements.all()]
    evidence = item.text
    if requirements:
        evidence = _("{text}\n应有资料：{names}").format(
            text=item.text, names=pgettext("separator", "、").join(requirements)
        )
    task = task_create(
        actor=actor,
        campaign=campaign,
        item=item,
        jurisdiction=jurisdiction,
        title=(title or _("补齐 {code} {text}").format(code=item.code, text=item.text))[:200],
        description=gap,
        evidence_required=evidence,
        deadline=deadline,
        origin=TaskOrigin.GAP,
        origin_note=_("自查缺项 {code}").format(code=item.code)[:200],
    )
    audit_record(
        actor=actor,
        obj=campaign,
        action="campaigns.campaign.gap_task_created",
        data={"after": {"item": item.code, "task": task.title, "area": str(jurisdiction)}},
    )
    return task


@transaction.atomic
def gap_case_open(*, actor, campaign: Campaign, item, category: Category, jurisdiction, description: str = "") -> Case:
    """A case for the gap of `item` at a place of the campaign (a community or 小区 inside the
    campaign and the actor's subtree), of `category`, reported through the cases services with
    the source 检查发现 (the cases app checks the reporter's role and scope). Audited on the
    campaign as campaigns.campaign.gap_case_opened with the case's code."""
    ensure_sees(actor, campaign, ItemAssessment, "change")
    campaign_item(campaign, item)
    ensure_area(actor, campaign, jurisdiction)
    if category.photo_required:
        raise DomainError(_("该类问题必须拍照上报，请到案件上报页面上报。"))
    text = (description or "").strip() or _gap_text(campaign, item, actor)
    case = case_services.case_report(
        actor=actor,
        category=category,
        source=CaseSource.INSPECTION,
        description=_("【自查缺项】{code} {item}：{text}").format(code=item.code, item=item.text[:60], text=text)[
            :1000
        ],
        jurisdiction=jurisdiction,
    )
    audit_record(
        actor=actor,
        obj=campaign,
        action="campaigns.campaign.gap_case_opened",
        data={"after": {"item": item.code, "case": case.code, "category": str(category), "area": str(jurisdiction)}},
    )
    return case
