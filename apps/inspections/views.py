"""Inspection pages: checklists, plans and rounds, the phone score sheet (saved item by item),
findings, corrections, appeals, rankings with publication, the 通报 and the public wall."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.roles import Role
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, ServiceFormView, get_scoped_or_404, require_permission, submit_form
from apps.documents.docx import docx_response
from apps.organization.models import Jurisdiction
from apps.photos.views import photo_response

from . import selectors, services
from .choices import AppealStatus, InspectionStatus, PeriodKind
from .forms import (
    AdHocInspectionForm,
    AppealDecisionForm,
    AppealForm,
    CorrectionForm,
    ItemForm,
    PlanForm,
    PublishForm,
    RankingFilterForm,
    RoundForm,
    SchemeForm,
    SectionForm,
    SubmitForm,
    TemplateForm,
)
from .models import (
    Appeal,
    ChecklistItem,
    ChecklistTemplate,
    FlagAward,
    Inspection,
    InspectionPhoto,
    InspectionPlan,
    InspectionResult,
    InspectionRound,
    PublishedRanking,
)


def _page(request, template: str, context: dict, status: int = 200):
    return TemplateResponse(request, template, context, status=status)


# Checklists ----------------------------------------------------------------------------------


@login_required
def template_list(request):
    require_permission(request.user, "inspections.checklisttemplate")
    templates = (
        ChecklistTemplate.objects.restrict(request.user, "view")
        .select_related("current_version", "level")
        .prefetch_related("unit_types")
        .annotate(item_count=Count("current_version__items"))
    )
    return _page(
        request,
        "inspections/template_list.html",
        {"templates": templates, "can_edit": request.user.can("inspections.checklisttemplate", "add")},
    )


class TemplateCreate(ServiceFormView):
    model = ChecklistTemplate
    action = "add"
    form_class = TemplateForm
    title = _("新建检查表")

    def perform(self, form, data):
        return services.checklist_create(actor=self.request.user, data=data)


class TemplateUpdate(ServiceFormView):
    model = ChecklistTemplate
    action = "change"
    form_class = TemplateForm
    title = _("修改检查表")

    def perform(self, form, data):
        return services.checklist_update(
            actor=self.request.user, template=self.get_object(), data=data, expected_version=data.get("version")
        )


@login_required
def template_detail(request, pk):
    template = get_scoped_or_404(ChecklistTemplate, request.user, pk)
    versions = list(template.versions.annotate(sheets=Count("inspections")).order_by("-number"))
    shown = template.current_version
    if str(request.GET.get("version", "")).isdigit():
        shown = next((v for v in versions if v.number == int(request.GET["version"])), None) or shown
    sections = (
        shown.sections.prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.select_related("category")))
        if shown
        else []
    )
    can_edit = request.user.can("inspections.checklisttemplate", "change")
    return _page(
        request,
        "inspections/template_detail.html",
        {
            "template": template,
            "versions": versions,
            "shown": shown,
            "sections": sections,
            "is_current": shown is not None and shown.pk == template.current_version_id,
            "in_use": any(v.sheets for v in versions if shown and v.pk == shown.pk),
            "can_edit": can_edit,
            "section_form": SectionForm(),
            "audit_events": audit_events_for(user=request.user, obj=template)[:30],
        },
    )


@login_required
@require_POST
def section_add(request, pk):
    template = get_scoped_or_404(ChecklistTemplate, request.user, pk, "change")
    form = SectionForm(request.POST)
    submit_form(
        form, lambda data: services.checklist_section_add(actor=request.user, template=template, name=data["name"])
    )
    for error in form.errors.get("__all__", []) + form.errors.get("name", []):
        messages.error(request, error)
    return redirect(template)


@login_required
def item_edit(request, pk, item_id=None):
    template = get_scoped_or_404(ChecklistTemplate, request.user, pk, "change")
    version = template.current_version
    item = get_object_or_404(ChecklistItem, pk=item_id, version=version) if item_id else None
    if not version.sections.exists():
        messages.error(request, _("请先添加检查项目大类。"))
        return redirect(template)
    form = ItemForm(request.POST or None, instance=item, version=version, template_version=template.version)
    if request.method == "POST":
        saved = submit_form(
            form,
            lambda data: services.checklist_item_save(actor=request.user, template=template, data=data, item=item),
        )
        if saved is not None:
            messages.success(request, _("检查项目已保存。"))
            return redirect(template)
    title = _("修改检查项目") if item else _("新增检查项目")
    return _page(
        request,
        "core/form.html",
        {"form": form, "title": title, "object": template, "cancel_url": template.get_absolute_url()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def item_delete(request, pk, item_id):
    template = get_scoped_or_404(ChecklistTemplate, request.user, pk, "change")
    item = get_object_or_404(ChecklistItem, pk=item_id, version=template.current_version)
    try:
        services.checklist_item_delete(actor=request.user, template=template, item=item)
        messages.success(request, _("检查项目已删除。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(template)


# Plans and rounds ----------------------------------------------------------------------------


@login_required
def plan_list(request):
    require_permission(request.user, "inspections.inspectionplan")
    plans = selectors.plan_list(user=request.user).annotate(round_count=Count("rounds"))
    return _page(
        request,
        "inspections/plan_list.html",
        {"plans": plans, "can_add": request.user.can("inspections.inspectionplan", "add")},
    )


class PlanCreate(ServiceFormView):
    model = InspectionPlan
    action = "add"
    form_class = PlanForm
    title = _("新建检查计划")

    def get_initial(self):
        return {"jurisdiction": self.request.user.jurisdiction}

    def perform(self, form, data):
        return services.plan_create(actor=self.request.user, data=data)


class PlanUpdate(ServiceFormView):
    model = InspectionPlan
    action = "change"
    form_class = PlanForm
    title = _("修改检查计划")

    def perform(self, form, data):
        return services.plan_update(
            actor=self.request.user, plan=self.get_object(), data=data, expected_version=data.get("version")
        )


@login_required
def plan_detail(request, pk):
    plan = get_scoped_or_404(
        InspectionPlan, request.user, pk, queryset=InspectionPlan.objects.select_related("template", "jurisdiction")
    )
    rounds = plan.rounds.annotate(
        sheets=Count("inspections"),
        done=Count("inspections", filter=Q(inspections__status=InspectionStatus.SUBMITTED)),
    )
    return _page(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "rounds": rounds,
            "can_change": request.user.can("inspections.inspectionplan", "change"),
            "audit_events": audit_events_for(user=request.user, obj=plan)[:20],
        },
    )


@login_required
def round_open(request, pk):
    plan = get_scoped_or_404(InspectionPlan, request.user, pk, "change")
    start, end, deadline = services.default_round_dates(plan.kind, timezone.localdate())
    form = RoundForm(request.POST or None, initial={"period_start": start, "period_end": end, "deadline": deadline})
    if request.method == "POST":
        opened = submit_form(
            form,
            lambda data: services.round_open(
                actor=request.user,
                plan=plan,
                period_start=data["period_start"],
                period_end=data["period_end"],
                deadline=data["deadline"],
                seed=data.get("seed"),
            ),
        )
        if opened is not None:
            messages.success(request, _("已开启第{n}轮检查。").format(n=opened.number))
            return redirect(opened)
    return _page(
        request,
        "core/form.html",
        {"form": form, "title": _("开启一轮检查"), "object": plan, "cancel_url": plan.get_absolute_url()},
        status=400 if form.errors else 200,
    )


@login_required
def round_detail(request, pk):
    round_ = get_scoped_or_404(
        InspectionRound, request.user, pk, queryset=InspectionRound.objects.select_related("plan__template")
    )
    sheets = (
        Inspection.objects.restrict(request.user, "view")
        .filter(round=round_)
        .select_related("target_unit", "target_jurisdiction", "inspector")
        .order_by("target_jurisdiction__path", "id")
    )
    return _page(
        request,
        "inspections/round_detail.html",
        {"round": round_, "sheets": sheets, "audit_events": audit_events_for(user=request.user, obj=round_)[:10]},
    )


# Inspections ---------------------------------------------------------------------------------


class InspectionListView(FilteredListView):
    """My open sheets on top, then every sheet in scope (filtered, paginated, exportable as a ledger)."""

    model = Inspection
    template_name = "inspections/inspection_list.html"
    export_source = "inspections"

    def get_rows(self):
        return selectors.inspection_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self) -> dict:
        user = self.request.user
        return {
            "mine": selectors.my_open_inspections(user)[:50],
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
    return _page(
        request,
        "core/form.html",
        {"form": form, "title": _("现场检查（不在计划内）"), "cancel_url": reverse("inspections:inspection_list")},
        status=400 if form.errors else 200,
    )


def _sheet(user, pk, action="view") -> Inspection:
    return get_scoped_or_404(
        Inspection,
        user,
        pk,
        action,
        queryset=Inspection.objects.select_related(
            "checklist__template", "target_unit", "target_jurisdiction", "inspector", "round__plan"
        ),
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
    inspection = _sheet(request.user, pk)
    user = request.user
    is_unit = user.role == Role.UNIT_CONTACT
    may_appeal = (
        is_unit
        and inspection.is_submitted
        and inspection.appeal_until is not None
        and timezone.localdate() <= inspection.appeal_until
    )
    return _page(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "sections": _sections(inspection),
            "may_fill": not inspection.is_submitted
            and user.role in services.INSPECTORS
            and inspection.inspector_id in (None, user.pk),
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
    inspection = _sheet(request.user, pk, "change")
    if inspection.is_submitted:
        return redirect(inspection)
    try:
        inspection = services.inspection_start(actor=request.user, inspection=inspection)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(inspection)
    inspection = _sheet(request.user, pk, "change")
    form = SubmitForm(initial={"version": inspection.version, "open_cases": True})
    return _page(
        request,
        "inspections/inspection_fill.html",
        {"inspection": inspection, "sections": _sections(inspection), "form": form},
    )


def _json_error(message, status=400):
    return JsonResponse({"error": str(message)}, status=status)


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
    inspection = _sheet(request.user, pk, "change")
    try:
        # JSON from inspection.js; plain form fields work too (no-script fallback, tests).
        is_json = request.content_type == "application/json"
        body = json.loads(request.body or b"{}") if is_json else request.POST.dict()
        if not is_json and "passed" in body:
            body["passed"] = body["passed"] not in ("0", "false", "")
        occurrences, passed = int(body.get("occurrences") or 0), bool(body.get("passed", True))
        stamp, note = int(body.get("stamp") or 0), str(body.get("note") or "")[:2000]
    except (ValueError, TypeError):
        return _json_error(_("提交的数据格式不正确。"))
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
        return _json_error(error.message, status=409 if inspection.is_submitted else 400)
    return JsonResponse(_result_json(result, inspection, applied))


@login_required
@require_POST
def inspection_photo_upload(request, pk, item_id):
    inspection = _sheet(request.user, pk, "change")
    upload = request.FILES.get("photo")
    if upload is None:
        return _json_error(_("请选择照片。"))
    try:
        photo = services.inspection_add_photo(
            actor=request.user,
            inspection=inspection,
            item_id=item_id,
            upload=upload,
            client_key=request.POST.get("key", ""),
        )
    except DomainError as error:
        return _json_error(error.message)
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
    _sheet(request.user, photo.result.inspection_id, "change")
    try:
        services.inspection_delete_photo(actor=request.user, photo=photo)
    except DomainError as error:
        return _json_error(error.message)
    return JsonResponse({"deleted": pk})


@login_required
@require_POST
def inspection_submit(request, pk):
    inspection = _sheet(request.user, pk, "change")
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


def _result_of(inspection: Inspection, result_id) -> InspectionResult:
    return get_object_or_404(InspectionResult.objects.select_related("item"), pk=result_id, inspection=inspection)


@login_required
def inspection_correct(request, pk, item_id):
    if request.user.role not in services.REVIEWERS | {Role.INSPECTOR}:
        raise PermissionDenied
    inspection = _sheet(request.user, pk)
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
    return _page(
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
    inspection = _sheet(request.user, pk)
    result = _result_of(inspection, result_id)
    try:
        case = services.finding_open_case(actor=request.user, result=result)
        messages.success(request, _("已生成整改案件 {code}。").format(code=case.code))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(inspection)


# Appeals -------------------------------------------------------------------------------------


@login_required
def appeal_create(request, pk, result_id):
    require_permission(request.user, "inspections.appeal", "add")
    inspection = _sheet(request.user, pk)
    result = _result_of(inspection, result_id)
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        appeal = submit_form(
            form,
            lambda data: services.appeal_submit(
                actor=request.user, result=result, reason=data["reason"], photos=data["photos"]
            ),
        )
        if appeal is not None:
            messages.success(request, _("申诉已提交，等待复核。"))
            return redirect(appeal)
    return _page(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("申诉扣分：{item}（扣{deduction}分）").format(item=result.item, deduction=result.deduction),
            "cancel_url": inspection.get_absolute_url(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def appeal_list(request):
    require_permission(request.user, "inspections.appeal")
    status = request.GET.get("status", "")
    return _page(
        request,
        "inspections/appeal_list.html",
        {
            "appeals": selectors.appeal_list(user=request.user, status=status)[:200],
            "status": status,
            "statuses": AppealStatus.choices,
        },
    )


@login_required
def appeal_detail(request, pk):
    appeal = get_scoped_or_404(
        Appeal,
        request.user,
        pk,
        queryset=Appeal.objects.select_related("result__item", "inspection__target_unit", "submitted_by", "reviewer"),
    )
    may_decide = (
        appeal.status == AppealStatus.PENDING
        and request.user.role in services.REVIEWERS
        and request.user.pk != appeal.inspection.inspector_id
    )
    form = AppealDecisionForm(request.POST or None, initial={"version": appeal.version})
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        decided = submit_form(
            form,
            lambda data: services.appeal_decide(
                actor=request.user,
                appeal=appeal,
                overturn=data["decision"] == "overturn",
                note=data["note"],
                expected_version=data.get("version"),
            ),
        )
        if decided is not None:
            messages.success(request, _("申诉已复核：{status}。").format(status=decided.get_status_display()))
            return redirect(decided)
    return _page(
        request,
        "inspections/appeal_detail.html",
        {
            "appeal": appeal,
            "photos": appeal.photos.all(),
            "result_photos": appeal.result.photos.all(),
            "form": form if may_decide else None,
            "audit_events": audit_events_for(user=request.user, obj=appeal)[:20],
        },
        status=400 if form.errors else 200,
    )


# Rankings ------------------------------------------------------------------------------------


def _ranking_params(request, form) -> dict | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    node = data["jurisdiction"] or request.user.jurisdiction
    if node is None:
        node = Jurisdiction.objects.filter(parent__isnull=True).order_by("id").first()
    return {
        "node": node,
        "period_kind": data["period_kind"],
        "day": data["day"] or timezone.localdate(),
        "level_key": data["level"],
    }


@login_required
def ranking(request):
    """Live ranking for a period, level and scope; reviewers publish it from here."""
    require_permission(request.user, "inspections.publishedranking")
    if request.user.role == Role.UNIT_CONTACT:
        return redirect("inspections:wall")
    levels = selectors.ranking_levels()
    data = request.GET.copy()
    data.setdefault("period_kind", PeriodKind.MONTH)
    data.setdefault("level", levels[1][0] if len(levels) > 1 else levels[0][0])
    form = RankingFilterForm(data, user=request.user, levels=levels)
    result, error = None, None
    params = _ranking_params(request, form)
    if params is not None:
        try:
            result = selectors.ranking_compute(**params)
        except DomainError as exc:
            error = exc.message
    can_publish = request.user.can("inspections.publishedranking", "add")
    publish_form = PublishForm(initial={"issuer": str(params["node"]) if params else ""}) if can_publish else None
    published = None
    if result is not None:
        published = (
            PublishedRanking.objects.restrict(request.user, "view")
            .filter(
                jurisdiction=result.node,
                period_kind=result.period_kind,
                period_start=result.start,
                level_key=result.level_key,
            )
            .first()
        )
    return _page(
        request,
        "inspections/ranking.html",
        {
            "form": form,
            "result": result,
            "error": error,
            "publish_form": publish_form,
            "published": published,
            "querystring": data.urlencode(),
        },
    )


@login_required
@require_POST
def ranking_publish(request):
    require_permission(request.user, "inspections.publishedranking", "add")
    levels = selectors.ranking_levels()
    form = RankingFilterForm(request.POST, user=request.user, levels=levels)
    publish_form = PublishForm(request.POST)
    params = _ranking_params(request, form)
    if params is None or not publish_form.is_valid():
        messages.error(request, _("请检查评比条件。"))
        return redirect("inspections:ranking")
    data = publish_form.cleaned_data
    try:
        published = services.ranking_publish(
            actor=request.user,
            title=data["title"],
            issuer=data["issuer"],
            number=data["number"],
            requirements=data["requirements"],
            is_public=data["is_public"],
            **params,
        )
    except (DomainError, ValidationError) as error:
        messages.error(request, error.message if isinstance(error, DomainError) else "；".join(error.messages))
        query = {name: request.POST.get(name, "") for name in form.fields}  # the filters only, never the CSRF token
        return redirect(f"{reverse('inspections:ranking')}?{urlencode(query)}")
    messages.success(request, _("评比结果已发布。"))
    return redirect(published)


def _published(user, pk) -> PublishedRanking:
    return get_scoped_or_404(
        PublishedRanking, user, pk, queryset=PublishedRanking.objects.select_related("jurisdiction", "published_by")
    )


@login_required
def published_detail(request, pk):
    published = _published(request.user, pk)
    return _page(
        request,
        "inspections/published_detail.html",
        {
            "published": published,
            "flags": published.flags.all(),
            "period": selectors.period_label(published.period_kind, published.period_start, published.period_end),
            "audit_events": audit_events_for(user=request.user, obj=published)[:20],
        },
    )


@login_required
def published_docx(request, pk):
    """通报 as .docx, generated from the published ranking and the sheets behind it."""
    from .documents import bulletin_docx

    published = _published(request.user, pk)
    return docx_response(bulletin_docx(published), f"{published.title}.docx")


@login_required
def wall(request):
    """公布上墙: the public results published for the user's area (units see their community's and above)."""
    require_permission(request.user, "inspections.publishedranking")
    rankings = selectors.published_list(user=request.user).filter(is_public=True)[:60]
    return _page(request, "inspections/wall.html", {"rankings": rankings})


@login_required
def flag_history(request):
    require_permission(request.user, "inspections.publishedranking")
    visible = selectors.published_list(user=request.user)
    flags = FlagAward.objects.filter(ranking__in=visible).select_related("ranking")[:500]
    return _page(request, "inspections/flag_history.html", {"flags": flags})


@login_required
def scheme_edit(request):
    require_permission(request.user, "inspections.rankingscheme", "change")
    node = request.user.jurisdiction
    if node is None:
        raise Http404
    form = SchemeForm(request.POST or None, instance=selectors.scheme_for_editing(node))
    if request.method == "POST":
        saved = submit_form(form, lambda data: services.scheme_save(actor=request.user, node=node, data=data))
        if saved is not None:
            messages.success(request, _("评比规则已保存。"))
            return redirect("inspections:ranking")
    return _page(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("评比规则：{node}").format(node=node),
            "cancel_url": reverse("inspections:ranking"),
        },
        status=400 if form.errors else 200,
    )
