"""Views: the self-assessment (自查) and the gap list (缺什么、补什么)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.views_base import form_error_messages, get_scoped_or_404, requires, submit_form

from ..forms.assessment import GapCaseForm, GapTaskForm, ItemAssessForm
from ..models import Campaign
from ..selectors.assessment import assessment_overview, campaign_item_or_none, gap_rows, item_row, scope_area
from ..selectors.ledger import ledger_item_ids
from ..services.assessment import item_assess
from ..services.gaps import gap_case_open, gap_task_create


def campaign_and_item(user, pk, item_pk):
    campaign = get_scoped_or_404(Campaign, user, pk)
    item = campaign_item_or_none(campaign, item_pk)
    if item is None:
        raise Http404
    return campaign, item


def may_assess(user, campaign) -> bool:
    return user.can("campaigns.itemassessment", "change") and (
        Campaign.objects.filter(Campaign.manage_q(user), pk=campaign.pk).exists()
    )


def assess_form(row, data=None):
    a = row.assessment
    initial = {"result": a.result, "score": a.score, "note": a.note, "version": a.version} if a else {"version": 0}
    return ItemAssessForm(data, initial=initial, item=row.item, auto_id=f"id_{row.item.pk}_%s")


@requires("campaigns.itemassessment", "view")
def assessment(request, pk):
    campaign = get_scoped_or_404(Campaign, request.user, pk)
    overview = assessment_overview(campaign=campaign, user=request.user)
    editable = may_assess(request.user, campaign)
    for row in overview["rows"]:
        row.form = assess_form(row) if editable else None
    return TemplateResponse(
        request,
        "campaigns/assessment/assessment.html",
        {
            "campaign": campaign,
            "editable": editable,
            "ledger_open": ledger_item_ids(request.user, campaign),
            **overview,
        },
    )


@requires("campaigns.itemassessment", "view")
def assessment_item(request, pk, item_pk):
    """One item's self-assessment: GET shows it (with its form), POST saves it and goes back to
    the assessment page at the item."""
    campaign, item = campaign_and_item(request.user, pk, item_pk)
    allowed = ledger_item_ids(request.user, campaign)
    if allowed is not None and item.pk not in allowed:
        raise Http404  # an item that does not concern the user's area, as on the ledger tab
    row = item_row(campaign=campaign, item=item, user=request.user)
    editable = may_assess(request.user, campaign)
    form = assess_form(row, request.POST if request.method == "POST" else None) if editable else None
    if request.method == "POST":
        if not request.user.can("campaigns.itemassessment", "change"):
            raise PermissionDenied
        if not editable:
            raise PermissionDenied  # visible, but the campaign is not the user's to change
        saved = submit_form(
            form,
            lambda data: item_assess(
                actor=request.user,
                campaign=campaign,
                item=item,
                result=data["result"],
                score=data.get("score"),
                note=data.get("note", ""),
                expected_version=data.get("version"),
            ),
        )
        if saved is not None:
            messages.success(request, _("已保存 {code} 的自查结果。").format(code=item.code))
            return redirect(reverse("campaigns:assessment", args=[campaign.pk]) + f"#item-{item.pk}")
    row.form = form
    return TemplateResponse(
        request,
        "campaigns/assessment/item.html",
        {"campaign": campaign, "row": row, "editable": editable},
        status=400 if form is not None and form.errors else 200,
    )


@requires("campaigns.itemassessment", "view")
def gaps(request, pk):
    campaign = get_scoped_or_404(Campaign, request.user, pk)
    rows = gap_rows(campaign=campaign, user=request.user)
    may_task = request.user.can("campaigns.task", "add")
    may_case = request.user.can("campaigns.itemassessment", "change") and request.user.can("cases.case", "add")
    # One form of each kind gives the choices, rendered once per row (not one query per row).
    task_form = GapTaskForm(campaign=campaign, user=request.user) if may_task else None
    case_form = GapCaseForm(campaign=campaign, user=request.user) if may_case else None
    choices = {
        "task_areas": list(task_form.fields["jurisdiction"].choices)[1:] if task_form else [],
        "case_areas": list(case_form.fields["jurisdiction"].choices)[1:] if case_form else [],
        "categories": list(case_form.fields["category"].choices)[1:] if case_form else [],
    }
    return TemplateResponse(
        request,
        "campaigns/assessment/gaps.html",
        {
            "campaign": campaign,
            "rows": rows,
            "scope_area": scope_area(request.user, campaign),
            "may_task": may_task and bool(choices["task_areas"]),
            "may_case": may_case and bool(choices["case_areas"]) and bool(choices["categories"]),
            "task_form": task_form,
            "case_form": case_form,
            **choices,
        },
    )


@require_POST
@requires("campaigns.task", "add")
def gap_task(request, pk, item_pk):
    campaign, item = campaign_and_item(request.user, pk, item_pk)
    form = GapTaskForm(request.POST, campaign=campaign, user=request.user)
    task = submit_form(
        form,
        lambda data: gap_task_create(
            actor=request.user,
            campaign=campaign,
            item=item,
            jurisdiction=data["jurisdiction"],
            deadline=data["deadline"],
        ),
    )
    if task is None:
        form_error_messages(request, form)
    else:
        messages.success(request, _("已为 {code} 生成任务“{title}”。").format(code=item.code, title=task.title))
    return redirect(reverse("campaigns:gaps", args=[campaign.pk]) + f"#gap-{item.pk}")


@require_POST
@requires("campaigns.itemassessment", "change")
def gap_case(request, pk, item_pk):
    campaign, item = campaign_and_item(request.user, pk, item_pk)
    form = GapCaseForm(request.POST, campaign=campaign, user=request.user)
    case = submit_form(
        form,
        lambda data: gap_case_open(
            actor=request.user,
            campaign=campaign,
            item=item,
            category=data["category"],
            jurisdiction=data["jurisdiction"],
            description=data["description"],
        ),
    )
    if case is None:
        form_error_messages(request, form)
    else:
        messages.success(request, _("已为 {code} 上报案件 {case}。").format(code=item.code, case=case.code))
    return redirect(reverse("campaigns:gaps", args=[campaign.pk]) + f"#gap-{item.pk}")
