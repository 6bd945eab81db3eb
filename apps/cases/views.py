"""Case pages: report (phone first), list, detail with timeline and actions, map, briefing,
the hotline entry. Public pages: public_views; statistics:
statistics_views."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.charts import pie_data
from apps.core.exceptions import DomainError
from apps.core.filters import InvalidFilters, parse_strict_int
from apps.core.selectors import audit_events_for
from apps.core.views_base import KeysetListView, get_scoped_or_404, require_permission, requires
from apps.documents.docx import docx_response
from apps.organization.models import Jurisdiction
from apps.photos import pending
from apps.photos.views import photo_response

from . import selectors, services, workflow
from .choices import OPEN_STATUSES, CaseSource, CaseStatus
from .forms import DispatchForm, HotlineForm, NoteForm, ReportForm, SuspendForm
from .models import Case, Category
from .routing import suggest_assignees

# Reporting ---------------------------------------------------------------------------------


def report_kwargs(form) -> dict:
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


def kept_photo_tokens(request) -> list[str]:
    """The photos of an earlier, refused submission of this form (apps.photos.pending)."""
    return pending.valid_tokens(request.POST.getlist(pending.FIELD), owner=pending.owner_of(request))


def add_kept_photos(request, form, tokens) -> None:
    """After `form.is_valid()`: the kept photos first (taken earlier), then the new ones."""
    kept = pending.load_kept(tokens, owner=pending.owner_of(request))
    form.cleaned_data["photos"] = [*kept, *form.cleaned_data["photos"]]


def photos_to_show_again(request, tokens, *, keep_new: bool = True) -> list[dict]:
    """The form comes back (an error, a duplicate warning): keep this submission's photos too,
    so the person need not choose them again; thumbnails and tokens for the template."""
    owner = pending.owner_of(request)
    if request.method == "POST" and keep_new:
        room = pending.max_kept() - len(tokens)
        tokens = [*tokens, *pending.keep_uploads(request.FILES.getlist("photos"), owner=owner, room=room)]
    return pending.previews(tokens, owner=owner)


@login_required
def case_report(request):
    """上报 on a phone: photo, place (GPS, map or address), category, note — one screen."""
    if request.user.role not in workflow.REPORTERS:
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None, user=request.user)
    duplicates = []
    kept = kept_photo_tokens(request)
    if request.method == "POST" and form.is_valid():
        add_kept_photos(request, form, kept)
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
                pending.discard(kept, owner=pending.owner_of(request))
                messages.success(request, _("照片已补充到案件 {code}。").format(code=target.code))
                return redirect(target)
            if not duplicates or data["not_duplicate"]:
                case = services.case_report(
                    actor=request.user, source=workflow.default_source(request.user), **report_kwargs(form)
                )
                pending.discard(kept, owner=pending.owner_of(request))
                messages.success(request, _("已上报，案件编号 {code}。").format(code=case.code))
                return redirect(case)
        except DomainError as error:
            form.add_error(None, str(error.message))
        if duplicates and not form.errors:
            messages.warning(request, _("附近已有同类问题尚未办结，请确认是否为同一问题。"))
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "duplicates": duplicates,
        "picker_data": picker_data(request.user),
        "kept_photos": photos_to_show_again(request, kept),
    }
    return TemplateResponse(request, "cases/report.html", context, status=status)


def picker_data(user) -> dict:
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
    kept = kept_photo_tokens(request)
    if request.method == "POST" and form.is_valid():
        add_kept_photos(request, form, kept)
        data = form.cleaned_data
        try:
            case = services.case_report(
                actor=request.user,
                source=CaseSource.HOTLINE,
                hotline_ticket=data["hotline_ticket"],
                reporter_phone=data["reporter_phone"],
                reporter_name=data["reporter_name"],
                received_at=data["received_at"],
                **report_kwargs(form),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            pending.discard(kept, owner=pending.owner_of(request))
            messages.success(request, _("热线工单已登记，案件编号 {code}。").format(code=case.code))
            return redirect(case)
    return TemplateResponse(
        request,
        "cases/hotline.html",
        {"form": form, "picker_data": picker_data(request.user), "kept_photos": photos_to_show_again(request, kept)},
        status=400 if form.errors else 200,
    )


# List, detail, actions ------------------------------------------------------------------------


class CaseListView(KeysetListView):
    """Numbered pages for the first 1,000 cases in scope, then pages by key (apps/core/keyset.py)."""

    model = Case
    template_name = "cases/case_list.html"
    export_source = "cases"

    def get_rows(self):
        return selectors.case_list(user=self.request.user, filters=self.get_filters())

    def load_rows(self, ids):
        return selectors.case_list_rows(ids)

    def paginate(self, rows, page_number) -> dict:
        paging = super().paginate(rows, page_number)
        _label_rows(paging["rows"])
        return paging

    def get_extra_context(self):
        return {
            "statuses": CaseStatus.choices,
            "sources": CaseSource.choices,
            "categories": [(str(c.pk), _category_label(c)) for c in selectors.category_choices()],
            "now": timezone.now(),
            "can_report": self.request.user.role in workflow.REPORTERS,
            "can_hotline": self.request.user.role in workflow.DISPATCHERS,
        }


def _category_label(category: Category) -> str:
    """ "大类/小类" in the user's language (category names are translated like source strings)."""
    name = _(category.name)
    return f"{_(category.parent.name)}/{name}" if category.parent_id else name


DEADLINE_BADGES = {"overdue": "badge-bad", "due_soon": "badge-warn"}  # else badge-ok


def _short_time(moment) -> str:
    """A moment as the template's |date:"m-d H:i" shows it, in the current time zone."""
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def _label_rows(rows) -> None:
    """Each row of a list page as its table row (`case.row_html`), built once per page here
    rather than by the template: for 50 rows the template's per-row work (get_FOO_display(),
    which hashes every translated choice on each call, reverse(), {% translate %}, the date
    filters and some twenty variable lookups per row) was half the page. Every value is escaped
    (format_html); the markup is the one the template wrote."""
    statuses = {value: str(label) for value, label in Case._meta.get_field("status").flatchoices}
    sources = {value: str(label) for value, label in Case._meta.get_field("source").flatchoices}
    marker = 2**62  # a pk no case has: the link is the detail URL with the row's pk in its place
    url = reverse("cases:case_detail", args=[marker]).replace(str(marker), "{}")
    recurrence = format_html(' <span class="badge badge-warn">{}</span>', _("重复"))
    categories: dict[int, str] = {}
    now = timezone.now()
    for case in rows:
        if case.category_id not in categories:
            categories[case.category_id] = _category_label(case.category)
        state = case.deadline_state(now)
        if case.deadline_at and state:
            deadline = format_html(
                '<span class="badge {}" data-deadline="{}">{}</span>',
                DEADLINE_BADGES.get(state, "badge-ok"),
                state,
                _short_time(case.deadline_at),
            )
        else:
            deadline = "—"
        case.row_html = format_html(
            '<tr>\n    <td><a href="{}">{}</a>{}<div class="muted">{} · {}</div></td>\n'
            '    <td>{}</td><td>{}<div class="muted">{}</div></td>\n'
            '    <td><span class="badge status-{}">{}</span></td>\n'
            "    <td>{}</td>\n"
            "    <td>{}</td>\n"
            "  </tr>",
            url.format(case.pk),
            case.code,
            recurrence if case.is_recurrence else "",
            sources.get(case.source, case.source),
            _short_time(case.created_at),
            categories[case.category_id],
            case.jurisdiction.name,
            case.address,
            case.status,
            statuses.get(case.status, case.status),
            case.assignee or "—",
            deadline,
        )


# Steps whose page form takes photos (after-photos of the fix, photos of the check).
PHOTO_STEPS = {"handle", "verify_pass", "verify_fail"}


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
    steps = workflow.CASE_WORKFLOW.available(case, request.user)
    actions = [t.name for t in steps]
    events = case.events.select_related("actor__staff_record").prefetch_related("photos")
    photos = list(case.photos.all())
    context = {
        "case": case,
        "object": case,
        "events": events,
        "actions": actions,
        "steps": [{"transition": t, "photos": t.name in PHOTO_STEPS} for t in steps],
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
    }
    return TemplateResponse(request, "cases/case_detail.html", context)


def _form_data(form) -> dict:
    if not form.is_valid():
        raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
    return form.cleaned_data


# The page's input of each step of CASE_WORKFLOW (keyed by the table's names; a test checks
# that every step has one) and of the two page actions that are not status changes.
STEP_CALLS = {
    "register": lambda r, case, v, note, photos: services.case_register(
        actor=r.user, case=case, expected_version=v, note=note
    ),
    "reject": lambda r, case, v, note, photos: services.case_reject(
        actor=r.user, case=case, reason=note, expected_version=v
    ),
    "merge": lambda r, case, v, note, photos: services.case_merge(
        actor=r.user, case=case, into=get_scoped_or_404(Case, r.user, r.POST.get("into")), expected_version=v
    ),
    "dispatch": lambda r, case, v, note, photos: services.case_dispatch(
        actor=r.user, case=case, expected_version=v, **_dispatch_data(DispatchForm(r.POST, user=r.user, case=case))
    ),
    "handle": lambda r, case, v, note, photos: services.case_handle(
        actor=r.user, case=case, note=note, photos=photos, expected_version=v
    ),
    "dispute": lambda r, case, v, note, photos: services.case_dispute(
        actor=r.user, case=case, reason=note, expected_version=v
    ),
    "verify_pass": lambda r, case, v, note, photos: services.case_verify(
        actor=r.user, case=case, passed=True, note=note, photos=photos, expected_version=v
    ),
    "verify_fail": lambda r, case, v, note, photos: services.case_verify(
        actor=r.user, case=case, passed=False, note=note, photos=photos, expected_version=v
    ),
    "suspend": lambda r, case, v, note, photos: services.case_suspend(
        actor=r.user, case=case, expected_version=v, **_suspend_data(SuspendForm(r.POST))
    ),
    "void": lambda r, case, v, note, photos: services.case_void(
        actor=r.user, case=case, reason=note, expected_version=v
    ),
}
PAGE_CALLS = {
    "answer": (
        _("答复"),
        lambda r, case, v, note, photos: services.case_hotline_answer(actor=r.user, case=case, answer=note),
    ),
    "photo": (
        _("补充照片"),
        lambda r, case, v, note, photos: services.case_add_photos(actor=r.user, case=case, photos=photos, note=note),
    ),
}


def _dispatch_data(form) -> dict:
    data = _form_data(form)
    return {name: data[name] for name in ("unit", "staff", "deadline_at", "note")}


def _suspend_data(form) -> dict:
    data = _form_data(form)
    return {"plan": data["note"], "review_on": data["review_on"]}


@login_required
@require_POST
def case_action(request, pk, action):
    """One step from the case page, by its name in CASE_WORKFLOW (or a page action such as
    答复): errors come back as messages, nothing half-saved."""
    case = get_scoped_or_404(Case, request.user, pk)
    if action in workflow.CASE_WORKFLOW:
        label, call = workflow.CASE_WORKFLOW[action].label, STEP_CALLS[action]
    elif action in PAGE_CALLS:
        label, call = PAGE_CALLS[action]
    else:
        raise Http404
    post, files = request.POST, request.FILES
    version = None
    if action in workflow.CASE_WORKFLOW:
        if not post.get("version"):
            messages.error(request, _("页面已过期，请刷新后重试。"))
            return redirect(case)
        try:
            version = parse_strict_int(post["version"], label=_("版本号"))
        except ValidationError as error:
            return TemplateResponse(
                request,
                "errors/error.html",
                {"code": 400, "title": _("请求有误"), "text": " ".join(error.messages)},
                status=400,
            )
    try:
        photos = NoteForm(post, files).fields["photos"].clean(files.getlist("photos"))
        call(request, case, version, post.get("note", "").strip(), photos)
    except DomainError as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已{action}。").format(action=label))
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
            "context_data": picker_data(request.user),
        },
    )


@login_required
def case_map_data(request):
    """Open cases with a location, as points for the map (at most 2,000, newest first)."""
    try:
        rows = selectors.case_map_points(user=request.user, filters=request.GET)[:2000]
    except InvalidFilters as error:
        return JsonResponse({"detail": error.message, "code": "invalid"}, status=400)
    now = timezone.now()
    points = [
        {
            "lat": float(c.lat),
            "lng": float(c.lng),
            "code": c.code,
            "status": c.status,
            "label": f"{c.code} {c.category.label} · {c.get_status_display()}",
            "url": c.get_absolute_url(),
            "overdue": c.deadline_state(now) == "overdue",
        }
        for c in rows
    ]
    return JsonResponse({"points": points})


@requires("cases.case")
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
    # Seeded category names have catalogue entries (categories.py); typed ones stay as typed.
    by_category = pie_data(context["by_category"], "category__name")
    context["chart_data"] = [{**row, "name": _(row["name"])} for row in by_category]
    return TemplateResponse(request, "cases/briefing.html", context)


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
