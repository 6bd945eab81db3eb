"""Case pages: report (phone first), list, detail with timeline and actions, map, briefing,
the public report and tracking pages and the hotline entry."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.charts import pie_data
from apps.core.exceptions import DomainError
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, get_scoped_or_404, require_permission
from apps.documents.docx import docx_response
from apps.organization.models import Jurisdiction
from apps.photos.views import photo_response

from . import selectors, services, workflow
from .choices import OPEN_STATUSES, CaseSource, CaseStatus
from .forms import DispatchForm, HotlineForm, NoteForm, PublicReportForm, ReportForm, SuspendForm
from .models import Case, CaseEvent, Category
from .routing import suggest_assignees

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Reporting ---------------------------------------------------------------------------------


def _report_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        "category": data["category"],
        "description": data["description"],
        "address": data["address"],
        "lat": data["lat"],
        "lng": data["lng"],
        "jurisdiction": data.get("jurisdiction"),
        "photos": data["photos"],
    }


@login_required
def case_report(request):
    """上报 on a phone: photo, place (GPS, map or address), category, note — one screen."""
    if request.user.role not in workflow.REPORTERS:
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = selectors.case_possible_duplicates(
            user=request.user, category=data["category"], lat=data["lat"], lng=data["lng"]
        )
        merge_into = request.POST.get("add_to")
        try:
            if merge_into:
                target = get_scoped_or_404(Case, request.user, merge_into)
                services.case_add_photos(
                    actor=request.user, case=target, photos=data["photos"], note=data["description"]
                )
                messages.success(request, _("照片已补充到案件 {code}。").format(code=target.code))
                return redirect(target)
            if not duplicates or data["not_duplicate"]:
                case = services.case_report(
                    actor=request.user, source=workflow.default_source(request.user), **_report_kwargs(form)
                )
                messages.success(request, _("已上报，案件编号 {code}。").format(code=case.code))
                return redirect(case)
        except DomainError as error:
            form.add_error(None, str(error.message))
        if duplicates and not form.errors:
            messages.warning(request, _("附近已有同类问题尚未办结，请确认是否为同一问题。"))
    status = 400 if form.errors else 200
    context = {"form": form, "duplicates": duplicates, "picker_data": _picker_data(request.user)}
    return TemplateResponse(request, "cases/report.html", context, status=status)


def _picker_data(user) -> dict:
    """Outlines for the place picker: the reporter's own area, or the communities for residents."""
    nodes = Jurisdiction.objects.exclude(boundary__isnull=True)
    if user is not None and user.is_authenticated and user.jurisdiction_id:
        own = user.jurisdiction
        nodes = nodes.filter(path__within=own.path, depth__lte=own.depth + 1)
    else:
        nodes = nodes.filter(level__code="community")
    return {"boundaries": [{"label": n.name, "geometry": n.boundary} for n in nodes.order_by("path")[:300]]}


@login_required
def hotline_create(request):
    """A 12345 hotline record entered by staff, with its own answer clock."""
    if request.user.role not in workflow.DISPATCHERS:
        raise PermissionDenied
    form = HotlineForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_report(
                actor=request.user,
                source=CaseSource.HOTLINE,
                hotline_ticket=data["hotline_ticket"],
                reporter_phone=data["reporter_phone"],
                reporter_name=data["reporter_name"],
                received_at=data["received_at"],
                **_report_kwargs(form),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("热线工单已登记，案件编号 {code}。").format(code=case.code))
            return redirect(case)
    return TemplateResponse(
        request,
        "cases/hotline.html",
        {"form": form, "picker_data": _picker_data(request.user)},
        status=400 if form.errors else 200,
    )


# List, detail, actions ------------------------------------------------------------------------


class CaseListView(FilteredListView):
    model = Case
    template_name = "cases/case_list.html"
    export_source = "cases"

    def get_rows(self):
        return selectors.case_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        return {
            "statuses": CaseStatus.choices,
            "sources": CaseSource.choices,
            "categories": selectors.category_choices(),
            "now": timezone.now(),
            "can_report": self.request.user.role in workflow.REPORTERS,
            "can_hotline": self.request.user.role in workflow.DISPATCHERS,
        }


@login_required
def case_detail(request, pk):
    case = get_scoped_or_404(
        Case,
        request.user,
        pk,
        queryset=Case.objects.select_related(
            "category__parent", "jurisdiction", "assignee_unit", "assignee_staff", "recurrence_of", "merged_into"
        ),
    )
    services.case_hotline_viewed(actor=request.user, case=case)
    actions = workflow.allowed_actions(case, request.user)
    events = case.events.select_related("actor").prefetch_related("photos")
    photos = list(case.photos.all())
    context = {
        "case": case,
        "object": case,
        "events": events,
        "actions": actions,
        "before_photos": [p for p in photos if p.stage == "before"],
        "after_photos": [p for p in photos if p.stage == "after"],
        "deadline_state": case.deadline_state(),
        "note_form": NoteForm(initial={"version": case.version}),
        "suspend_form": SuspendForm(initial={"version": case.version}) if "suspend" in actions else None,
        "dispatch_form": DispatchForm(user=request.user, case=case, initial={"version": case.version})
        if "dispatch" in actions
        else None,
        "suggestions": suggest_assignees(case) if "dispatch" in actions else [],
        "duplicates": [
            c
            for c in selectors.case_possible_duplicates(
                user=request.user, category=case.category, lat=case.lat, lng=case.lng
            )
            if c.pk != case.pk
        ]
        if "merge" in actions
        else [],
        "audit_events": audit_events_for(user=request.user, obj=case)[:50],
        "map_data": {
            "center": [float(case.lat), float(case.lng)] if case.lat is not None else None,
            "boundary": case.jurisdiction.boundary,
            "boundaries": [],
            "points": [
                {"lat": float(case.lat), "lng": float(case.lng), "label": case.code, "url": case.get_absolute_url()}
            ]
            if case.lat is not None
            else [],
        },
        "can_answer": case.source == CaseSource.HOTLINE and request.user.role in workflow.DISPATCHERS,
        "show_reporter": workflow.may_see_reporter(request.user),
        # The caller's phone is for whoever answers: the dispatchers.
        "show_phone": request.user.role in workflow.DISPATCHERS,
    }
    return TemplateResponse(request, "cases/case_detail.html", context)


@login_required
@require_POST
def case_action(request, pk, action):
    """One lifecycle step from the case page; errors come back as messages, nothing half-saved."""
    case = get_scoped_or_404(Case, request.user, pk)
    if action not in workflow.TRANSITIONS and action not in ("answer", "photo"):
        raise Http404
    post, files = request.POST, request.FILES
    version = int(post["version"]) if post.get("version", "").isdigit() else None
    if version is None and action not in ("answer", "photo"):
        messages.error(request, _("页面已过期，请刷新后重试。"))
        return redirect(case)
    note = post.get("note", "").strip()
    try:
        photos = NoteForm(post, files).fields["photos"].clean(files.getlist("photos"))
        user = request.user
        if action == "register":
            services.case_register(actor=user, case=case, expected_version=version, note=note)
        elif action == "reject":
            services.case_reject(actor=user, case=case, reason=note, expected_version=version)
        elif action == "merge":
            target = get_scoped_or_404(Case, user, post.get("into"))
            services.case_merge(actor=user, case=case, into=target, expected_version=version)
        elif action == "dispatch":
            form = DispatchForm(post, user=user, case=case)
            if not form.is_valid():
                raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
            data = form.cleaned_data
            services.case_dispatch(
                actor=user,
                case=case,
                unit=data["unit"],
                staff=data["staff"],
                deadline_at=data["deadline_at"],
                note=data["note"],
                expected_version=version,
            )
        elif action == "handle":
            services.case_handle(actor=user, case=case, note=note, photos=photos, expected_version=version)
        elif action == "dispute":
            services.case_dispute(actor=user, case=case, reason=note, expected_version=version)
        elif action in ("verify_pass", "verify_fail"):
            services.case_verify(
                actor=user,
                case=case,
                passed=action == "verify_pass",
                note=note,
                photos=photos,
                expected_version=version,
            )
        elif action == "suspend":
            form = SuspendForm(post)
            if not form.is_valid():
                raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
            services.case_suspend(
                actor=user,
                case=case,
                plan=form.cleaned_data["note"],
                review_on=form.cleaned_data["review_on"],
                expected_version=version,
            )
        elif action == "void":
            services.case_void(actor=user, case=case, reason=note, expected_version=version)
        elif action == "answer":
            services.case_hotline_answer(actor=user, case=case, answer=note)
        elif action == "photo":
            services.case_add_photos(actor=user, case=case, photos=photos, note=note)
    except DomainError as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("已{action}。").format(action=workflow.label(action) if action != "answer" else _("答复"))
        )
    return redirect(case)


# Map and briefing -------------------------------------------------------------------------


@login_required
def case_map(request):
    return TemplateResponse(
        request,
        "cases/case_map.html",
        {
            "statuses": [(s, CaseStatus(s).label) for s in OPEN_STATUSES],
            "categories": selectors.category_choices(),
            "context_data": _picker_data(request.user),
        },
    )


@login_required
def case_map_data(request):
    """Open cases with a location, as points for the map (at most 2,000, newest first)."""
    filters = {k: v for k, v in request.GET.items() if v}
    filters.setdefault("status", "open")
    rows = selectors.case_list(user=request.user, filters=filters).filter(lat__isnull=False)[:2000]
    now = timezone.now()
    points = [
        {
            "lat": float(c.lat),
            "lng": float(c.lng),
            "code": c.code,
            "status": c.status,
            "label": f"{c.code} {c.category.name} · {c.get_status_display()}",
            "url": c.get_absolute_url(),
            "overdue": c.deadline_state(now) == "overdue",
        }
        for c in rows
    ]
    return JsonResponse({"points": points})


@login_required
def briefing(request):
    """晨会 page: yesterday's new cases by category and area, today's due, overdue, last week's recurrences."""
    user = request.user
    today = timezone.localdate()
    start_today = timezone.make_aware(datetime.combine(today, time.min))
    start_yesterday = start_today - timedelta(days=1)
    scope = Case.objects.restrict(user).select_related("category", "jurisdiction", "assignee_unit", "assignee_staff")
    yesterday = scope.filter(created_at__gte=start_yesterday, created_at__lt=start_today)
    context = {
        "today": today,
        "yesterday_total": yesterday.count(),
        "by_category": list(yesterday.values("category__name").annotate(n=Count("id")).order_by("-n")),
        "by_area": list(yesterday.values("jurisdiction__name").annotate(n=Count("id")).order_by("-n")),
        "due_today": scope.filter(
            status=CaseStatus.DISPATCHED,
            deadline_at__gte=timezone.now(),
            deadline_at__lt=start_today + timedelta(days=1),
        ).order_by("deadline_at"),
        "overdue": scope.filter(status=CaseStatus.DISPATCHED, deadline_at__lt=timezone.now()).order_by("deadline_at"),
        "recurrences": scope.filter(is_recurrence=True, created_at__gte=start_today - timedelta(days=7)),
        "to_check": scope.filter(status=CaseStatus.HANDLED).order_by("handled_at"),
    }
    context["chart_data"] = pie_data(context["by_category"], "category__name")
    return TemplateResponse(request, "cases/briefing.html", context)


# Public pages (no login) ------------------------------------------------------------------


def _client_address(request) -> str:
    """The caller's address, trusting X-Forwarded-For only for the configured number of proxies."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _over_public_limit(request) -> bool:
    """At most PUBLIC_REPORTS_PER_HOUR anonymous reports per address and hour."""
    key = f"public-report:{_client_address(request)}:{timezone.now():%Y%m%d%H}"
    count = cache.get_or_set(key, 0, timeout=3600)
    if count >= settings.PUBLIC_REPORTS_PER_HOUR:
        return True
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
    return False


def public_report(request):
    """A resident reports a problem: photo, place, description, optional phone; gets a tracking code."""
    form = PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _over_public_limit(request):
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请稍后再试。"))
    elif request.method == "POST" and form.is_valid():
        try:
            case = services.case_report(
                actor=None,
                source=CaseSource.RESIDENT,
                reporter_phone=form.cleaned_data["reporter_phone"],
                **_report_kwargs(form),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("public:public_track_code", code=case.tracking_code)
    return TemplateResponse(
        request,
        "cases/public_report.html",
        {"form": form, "picker_data": _picker_data(None)},
        status=400 if form.errors else 200,
    )


def public_track(request, code=None):
    """Public status only: no names, phones, notes or photos of the handling."""
    code = (code or request.GET.get("code", "")).strip().upper()
    case = Case.objects.filter(tracking_code=code).select_related("category").first() if code else None
    public_steps = []
    if case is not None:
        labels = {
            "report": _("已受理"),
            "register": _("已立案"),
            "dispatch": _("已派遣处理"),
            "handle": _("已整改，待核查"),
            "verify_fail": _("核查未通过，重新整改"),
            "verify_pass": _("已核查办结"),
            "reject": _("不予立案"),
            "void": _("已作废"),
            "suspend": _("列入计划整改"),
            "merge": _("与其他上报合并处理"),
        }
        public_steps = [
            (e.created_at, labels[e.action])
            for e in CaseEvent.objects.filter(case=case).order_by("created_at")
            if e.action in labels
        ]
    return TemplateResponse(
        request,
        "cases/public_track.html",
        {"case": case, "code": code, "steps": public_steps},
        status=404 if code and case is None else 200,
    )


# Photos and documents ---------------------------------------------------------------------


@login_required
def case_photo(request, pk, size):
    """A case photo for someone who may see the case (media files are never public)."""
    from .models import CasePhoto

    photo = get_object_or_404(CasePhoto.objects.select_related("case"), pk=pk)
    get_scoped_or_404(Case, request.user, photo.case_id)
    return photo_response(photo, size)


def _office_name(case) -> str:
    """The issuing office: the street (or higher) above the case's place, e.g. "城关街道创卫办"."""
    street = Jurisdiction.objects.filter(pk__in=case.jurisdiction.ancestor_ids, level__code="street").first()
    return _("{name}创卫办").format(name=(street or case.jurisdiction).name)


@login_required
def case_notice(request, pk):
    """整改通知书 as .docx, generated from the case."""
    from .documents import rectification_notice_docx

    case = get_scoped_or_404(Case, request.user, pk)
    if not case.dispatched_at:
        raise Http404
    return docx_response(
        rectification_notice_docx(case, office_name=_office_name(case)), f"整改通知书-{case.code}.docx"
    )


@login_required
def case_supervision_notice(request, pk):
    """效能督办告知书 as .docx, once the case has reached the 督办 level."""
    from .documents import supervision_notice_docx

    case = get_scoped_or_404(Case, request.user, pk)
    if case.escalation_level < 2:
        raise Http404
    try:
        content = supervision_notice_docx(case, office_name=_office_name(case))
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(case)
    return docx_response(content, f"督办告知书-{case.code}.docx")


# Statistics ---------------------------------------------------------------------------------


@login_required
def case_statistics_page(request):
    """KPIs per jurisdiction, unit, category or period; every figure links to its cases."""
    from urllib.parse import urlencode

    from . import statistics

    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("start") or today.replace(day=1).isoformat())
        end = date.fromisoformat(request.GET.get("end") or today.isoformat())
    except ValueError:
        start, end = today.replace(day=1), today
    group_by = request.GET.get("group_by") if request.GET.get("group_by") in statistics.GROUPINGS else "jurisdiction"
    node = None
    if str(request.GET.get("jurisdiction", "")).isdigit():
        node = get_scoped_or_404(Jurisdiction, request.user, request.GET["jurisdiction"])
    try:
        rows = statistics.case_statistics(user=request.user, start=start, end=end, group_by=group_by, jurisdiction=node)
    except DomainError as error:
        messages.error(request, str(error.message))
        rows = []
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(statistics.statistics_xlsx(rows, group_by=group_by), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename=case-statistics-{start}-{end}.xlsx"
        return response
    metrics = [
        "reported",
        "registered",
        "registration_rate",
        "dispatched",
        "handled_on_time",
        "on_time_handling_rate",
        "due",
        "closed",
        "closure_rate",
        "closed_on_time",
        "on_time_closure_rate",
        "returned_for_rework",
        "rework_rate",
        "avg_close_hours",
        "recurrences",
    ]
    rows, folded = _fold_long_tail(rows, statistics)
    list_url = reverse("cases:case_list")

    def link(row, metric):
        if row.key == FOLDED_KEY:
            return None  # the folded rows have no single filter; the export lists them one by one
        filters = statistics.case_filter_for(row.key, group_by, metric, start=start, end=end, jurisdiction=node)
        return list_url + "?" + urlencode(filters)

    table = [{"row": row, "cells": [(getattr(row, metric), link(row, metric)) for metric in metrics]} for row in rows]
    query = request.GET.copy()
    query["export"] = "xlsx"
    return TemplateResponse(
        request,
        "cases/statistics.html",
        {
            "table": table,
            "start": start,
            "end": end,
            "group_by": group_by,
            "node": node,
            "groupings": [
                ("jurisdiction", _("按辖区")),
                ("unit", _("按责任单位")),
                ("category", _("按问题类别")),
                ("day", _("按日")),
                ("week", _("按周")),
                ("month", _("按月")),
            ],
            "jurisdictions": Jurisdiction.objects.restrict(request.user)
            .filter(level__rank__lte=50)
            .select_related("level")
            .only("id", "name", "path", "level__name"),
            "export_query": query.urlencode(),
            "folded": folded,
        },
    )


FOLDED_KEY = "folded"
SHOWN_ROWS = 50


def _fold_long_tail(rows, statistics):
    """Past SHOWN_ROWS groups (a district has thousands of units) the page shows the busiest
    ones and one "其他 N 项" row; the .xlsx export keeps every row."""
    groups = [r for r in rows if not r.is_total]
    if len(groups) <= SHOWN_ROWS:
        return rows, 0
    groups.sort(key=lambda r: r.reported, reverse=True)
    shown, rest = groups[:SHOWN_ROWS], groups[SHOWN_ROWS:]
    other = statistics.StatRow(key=FOLDED_KEY, label=_("其他 {n} 项").format(n=len(rest)))
    for row in rest:
        other.add(row)
    return [*shown, other, *[r for r in rows if r.is_total]], len(rest)


# Categories -------------------------------------------------------------------------------------


@login_required
def category_list(request):
    require_permission(request.user, "cases.category", "view")
    groups = Category.objects.filter(parent__isnull=True).prefetch_related("children").order_by("sort", "id")
    return TemplateResponse(
        request,
        "cases/category_list.html",
        {"groups": groups, "can_edit": request.user.can("cases.category", "change")},
    )


@login_required
def category_edit(request, pk=None):
    from .forms import CategoryForm

    require_permission(request.user, "cases.category", "change" if pk else "add")
    category = get_object_or_404(Category, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(actor=request.user, category=category, data=form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form.add_error(None, str(getattr(error, "message", error)))
        else:
            messages.success(request, _("已保存。"))
            return redirect("cases:category_list")
    return TemplateResponse(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("编辑问题类别") if pk else _("新增问题类别"),
            "object": category,
            "cancel_url": reverse("cases:category_list"),
        },
        status=400 if form.errors else 200,
    )
