"""Score sheet pages: the list, ad-hoc sheets, the phone sheet (saved item by item), photos,
submission, corrections and findings → cases."""

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.roles import Role
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, get_scoped_or_404, submit_form
from apps.photos.views import photo_response

from .. import selectors, services
from ..choices import AppealStatus, InspectionStatus
from ..forms import (
    AdHocInspectionForm,
    CorrectionForm,
    SubmitForm,
)
from ..models import (
    ChecklistItem,
    Inspection,
    InspectionPhoto,
    InspectionResult,
)
from ..workflow import SHEET_WORKFLOW
from .common import json_error, page, result_of, scoped_sheet

# Inspections ---------------------------------------------------------------------------------


OPEN_SHEET_STATUSES = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)
TASKS_PER_PAGE = 50  # sheets per page of the task list (its groups are cut where the page ends)


def is_overdue(sheet: Inspection, today: date) -> bool:
    """A sheet still to do (待检查/检查中) whose round's deadline has passed; ad-hoc sheets have none."""
    return (
        sheet.status in OPEN_SHEET_STATUSES
        and sheet.round_id is not None
        and sheet.round.deadline is not None
        and sheet.round.deadline < today
    )


def group_tasks(sheets, *, today: date) -> list[dict]:
    """An inspector's open sheets grouped by round, in the order given (earliest deadline first).

    A round is one deadline and one stretch of work, so it is the natural heading; sheets
    outside any plan (ad-hoc) form one group of their own. Each group says how many of its
    sheets are overdue.
    """
    groups: list[dict] = []
    for sheet in sheets:
        if not groups or groups[-1]["round_id"] != sheet.round_id:
            groups.append(
                {
                    "round_id": sheet.round_id,
                    "round": sheet.round,
                    "deadline": sheet.round.deadline if sheet.round_id else None,
                    "rows": [],
                    "overdue": 0,
                }
            )
        overdue = is_overdue(sheet, today)
        groups[-1]["rows"].append({"sheet": sheet, "overdue": overdue})
        groups[-1]["overdue"] += overdue
    return groups


class InspectionListView(FilteredListView):
    """My open sheets on top (grouped by round, overdue marked, paged by `tasks_page`), then every
    sheet in scope (filtered, paginated, exportable as a ledger)."""

    model = Inspection
    template_name = "inspections/inspection_list.html"
    export_source = "inspections"

    def get_rows(self):
        return selectors.inspection_list(user=self.request.user, filters=self.get_filters())

    def get_filters(self) -> dict:
        return {k: v for k, v in super().get_filters().items() if k != "tasks_page"}

    def get_extra_context(self) -> dict:
        user = self.request.user
        today = selectors.today()
        tasks = (
            selectors.my_open_inspections(user)
            .select_related("round__plan")
            .order_by(F("round__deadline").asc(nulls_last=True), "round_id", "id")
        )
        task_page = Paginator(tasks, TASKS_PER_PAGE).get_page(self.request.GET.get("tasks_page"))
        groups = group_tasks(task_page.object_list, today=today)
        # A round cut by the page's end still says how many of its sheets are left in all.
        totals = dict(
            tasks.order_by()
            .filter(round_id__in=[g["round_id"] for g in groups if g["round_id"]])
            .values_list("round_id")
            .annotate(n=Count("id"))
        )
        for group in groups:
            group["total"] = totals.get(group["round_id"], len(group["rows"]))
        query = self.request.GET.copy()
        query.pop("tasks_page", None)
        return {
            "task_page": task_page,
            "task_groups": groups,
            "tasks_querystring": query.urlencode(),
            "today": today,
            "statuses": InspectionStatus.choices,
            "can_inspect": user.role in services.INSPECTORS,
            "pending_appeals": selectors.appeal_list(user=user, status=AppealStatus.PENDING).count(),
        }


@login_required
def inspection_create(request):
    if request.user.role not in services.INSPECTORS:
        raise PermissionDenied
    form = AdHocInspectionForm(request.POST or None, user=request.user)
    if request.method == "POST":
        sheet = submit_form(
            form,
            lambda data: services.inspection_create(
                actor=request.user, template=data["template"], unit=data["unit"], jurisdiction=data["jurisdiction"]
            ),
        )
        if sheet is not None:
            return redirect("inspections:inspection_fill", pk=sheet.pk)
    return page(
        request,
        "core/form.html",
        {"form": form, "title": _("现场检查（不在计划内）"), "cancel_url": reverse("inspections:inspection_list")},
        status=400 if form.errors else 200,
    )


def _sections(inspection: Inspection) -> list[dict]:
    """Sections with their items and this sheet's results (photos, case, appeals) for the pages."""
    results = {r.item_id: r for r in inspection.results.select_related("case").prefetch_related("photos", "appeals")}
    sections = []
    for section in inspection.checklist.sections.prefetch_related("items"):
        rows = [{"item": item, "result": results.get(item.pk)} for item in section.items.all()]
        sections.append({"section": section, "rows": rows})
    return sections


@login_required
def inspection_detail(request, pk):
    inspection = scoped_sheet(request.user, pk)
    user = request.user
    is_unit = user.role == Role.UNIT_CONTACT
    may_appeal = (
        is_unit
        and inspection.is_submitted
        and inspection.appeal_until is not None
        and timezone.localdate() <= inspection.appeal_until
    )
    return page(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "sections": _sections(inspection),
            "may_fill": bool(SHEET_WORKFLOW.available(inspection, user)),
            "may_correct": inspection.is_submitted
            and (user.role in services.REVIEWERS or user.pk == inspection.inspector_id),
            "may_open_case": inspection.is_submitted and user.role in services.INSPECTORS and not is_unit,
            "may_appeal": may_appeal,
            "score_changes": inspection.score_changes.select_related("result__item", "actor"),
            "audit_events": audit_events_for(user=user, obj=inspection)[:30],
        },
    )


@login_required
def inspection_fill(request, pk):
    """The phone score sheet. Every change is saved item by item by inspection.js (queued offline)."""
    inspection = scoped_sheet(request.user, pk, "change")
    if inspection.is_submitted:
        return redirect(inspection)
    try:
        inspection = services.inspection_start(actor=request.user, inspection=inspection)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(inspection)
    inspection = scoped_sheet(request.user, pk, "change")
    form = SubmitForm(initial={"version": inspection.version, "open_cases": True})
    return page(
        request,
        "inspections/inspection_fill.html",
        {
            "inspection": inspection,
            "sections": _sections(inspection),
            "form": form,
            "submit_confirm": SHEET_WORKFLOW["submit"].confirm,
        },
    )


def _result_json(result: InspectionResult, inspection: Inspection, applied: bool) -> dict:
    return {
        "item": result.item_id,
        "deduction": str(result.deduction),
        "occurrences": result.occurrences,
        "passed": result.passed,
        "note": result.note,
        "applied": applied,
        "total": str(inspection.total),
        "max_total": str(inspection.max_total),
        "percent": str(inspection.percent),
        "vetoed": inspection.vetoed,
    }


@login_required
@require_POST
def inspection_item_save(request, pk, item_id):
    """One item's finding as JSON: {occurrences, passed, note, stamp}. Replays are idempotent."""
    inspection = scoped_sheet(request.user, pk, "change")
    try:
        # JSON from inspection.js; plain form fields work too (no-script fallback, tests).
        is_json = request.content_type == "application/json"
        body = json.loads(request.body or b"{}") if is_json else request.POST.dict()
        if not is_json and "passed" in body:
            body["passed"] = body["passed"] not in ("0", "false", "")
        occurrences, passed = int(body.get("occurrences") or 0), bool(body.get("passed", True))
        stamp, note = int(body.get("stamp") or 0), str(body.get("note") or "")[:2000]
    except (ValueError, TypeError):
        return json_error(_("提交的数据格式不正确。"))
    try:
        result, inspection, applied = services.inspection_save_item(
            actor=request.user,
            inspection=inspection,
            item_id=item_id,
            occurrences=occurrences,
            passed=passed,
            note=note,
            stamp=stamp,
        )
    except DomainError as error:
        return json_error(error.message, status=409 if inspection.is_submitted else 400)
    return JsonResponse(_result_json(result, inspection, applied))


@login_required
@require_POST
def inspection_photo_upload(request, pk, item_id):
    inspection = scoped_sheet(request.user, pk, "change")
    upload = request.FILES.get("photo")
    if upload is None:
        return json_error(_("请选择照片。"))
    try:
        photo = services.inspection_add_photo(
            actor=request.user,
            inspection=inspection,
            item_id=item_id,
            upload=upload,
            client_key=request.POST.get("key", ""),
        )
    except DomainError as error:
        return json_error(error.message)
    return JsonResponse({"id": photo.pk, "thumbnail": photo.thumbnail_url, "image": photo.image_url})


@login_required
def photo(request, pk, size):
    """A sheet or appeal photo for someone who may see the sheet (media files are never public)."""
    photo = get_object_or_404(InspectionPhoto.objects.select_related("result", "appeal"), pk=pk)
    sheet_id = photo.result.inspection_id if photo.result_id else photo.appeal.inspection_id
    get_scoped_or_404(Inspection, request.user, sheet_id)
    return photo_response(photo, size)


@login_required
@require_POST
def photo_delete(request, pk):
    photo = get_object_or_404(InspectionPhoto.objects.select_related("result"), pk=pk, result__isnull=False)
    scoped_sheet(request.user, photo.result.inspection_id, "change")
    try:
        services.inspection_delete_photo(actor=request.user, photo=photo)
    except DomainError as error:
        return json_error(error.message)
    return JsonResponse({"deleted": pk})


@login_required
@require_POST
def inspection_submit(request, pk):
    inspection = scoped_sheet(request.user, pk, "change")
    form = SubmitForm(request.POST)
    done = submit_form(
        form,
        lambda data: services.inspection_submit(
            actor=request.user,
            inspection=inspection,
            representative_name=data["representative_name"],
            representative_confirmed=data["representative_confirmed"],
            summary=data["summary"],
            open_cases=data["open_cases"],
            expected_version=data.get("version"),
        ),
    )
    if done is None:
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("inspections:inspection_fill", pk=pk)
    messages.success(request, _("检查已提交，得分 {total}。").format(total=done.total))
    return redirect(done)


@login_required
def inspection_correct(request, pk, item_id):
    if request.user.role not in services.REVIEWERS | {Role.INSPECTOR}:
        raise PermissionDenied
    inspection = scoped_sheet(request.user, pk)
    item = get_object_or_404(ChecklistItem, pk=item_id, version_id=inspection.checklist_id)
    result = InspectionResult.objects.filter(inspection=inspection, item=item).first()
    form = CorrectionForm(
        request.POST or None,
        initial={"occurrences": result.occurrences if result else 0, "passed": result.passed if result else True},
    )
    if request.method == "POST":
        done = submit_form(
            form,
            lambda data: services.inspection_correct(
                actor=request.user,
                inspection=inspection,
                item=item,
                occurrences=data["occurrences"] or 0,
                passed=data["passed"],
                reason=data["reason"],
            ),
        )
        if done is not None:
            messages.success(
                request, _("已更正，得分 {before} → {after}。").format(before=done.total_before, after=done.total_after)
            )
            return redirect(inspection)
    return page(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("更正检查结果：{item}").format(item=item),
            "cancel_url": inspection.get_absolute_url(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def finding_case(request, pk, result_id):
    if request.user.role not in services.INSPECTORS:
        raise PermissionDenied
    inspection = scoped_sheet(request.user, pk)
    result = result_of(inspection, result_id)
    try:
        case = services.finding_open_case(actor=request.user, result=result)
        messages.success(request, _("已生成整改案件 {code}。").format(code=case.code))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(inspection)
