"""Views: the task breakdown (任务分解表) — a campaign's table with quick progress and bulk assign,
the one-click generation, the area roll-up (区域任务表), my tasks, a task's page, edit, progress,
status steps, and the .docx of the table."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.filters import parse_strict_int
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, form_error_messages, get_scoped_or_404, requires
from apps.documents.docx import docx_response

from .. import exports
from ..areas import areas_for
from ..choices import TaskOrigin, TaskStatus
from ..filters.tasks import status_choices
from ..forms.tasks import BulkAssignForm, ProgressForm, StepForm, TaskForm, parse_selection
from ..models import Campaign, Task
from ..selectors import tasks as selectors
from ..selectors.campaigns import task_summary
from ..selectors.ledger import ledger_item_ids
from ..services import tasks as services
from ..workflow import MANAGER_ROLES, NOTE_REQUIRED, TASK_WORKFLOW, manages_area, manages_campaign, works_on


def _campaign(request, pk) -> Campaign:
    return get_scoped_or_404(
        Campaign, request.user, pk, queryset=Campaign.objects.select_related("jurisdiction", "standard_version")
    )


def may_assign(user) -> bool:
    """Whether the table shows the row checkboxes and the 批量分配 form (managers of areas)."""
    return user.can("campaigns.task", "change") and user.role in MANAGER_ROLES


class CampaignTasksView(FilteredListView):
    """The 任务分解表 of one campaign: filters, quick progress, bulk assign, exports."""

    model = Task
    template_name = "campaigns/task/table.html"
    export_source = "campaign_tasks"

    def campaign(self) -> Campaign:
        if not hasattr(self, "_campaign"):
            self._campaign = _campaign(self.request, self.kwargs["pk"])
        return self._campaign

    def get_filters(self):
        return {**super().get_filters(), "campaign": str(self.campaign().pk)}

    def get_rows(self):
        return selectors.task_table(user=self.request.user, campaign=self.campaign(), filters=self.request.GET)

    def get_extra_context(self):
        user, campaign = self.request.user, self.campaign()
        sections = campaign.standard_version.sections.order_by("sort", "code")
        can_assign = may_assign(user)
        return {
            "campaign": campaign,
            "tab": "tasks",
            "sections": sections,
            "areas": areas_for(user, campaign),
            "statuses": status_choices(),
            "origins": TaskOrigin.choices,
            "can_generate": user.can("campaigns.task", "add") and manages_campaign(campaign, user),
            "can_assign": can_assign,
            "assign_form": BulkAssignForm(user=user, campaign=campaign) if can_assign else None,
            "today": timezone.localdate(),
        }


@require_POST
@requires("campaigns.task", "add")
def tasks_generate(request, pk):
    campaign = _campaign(request, pk)
    if not manages_campaign(campaign, request.user):
        raise PermissionDenied  # visible (a district's campaign), but not the user's to change
    try:
        count = services.tasks_generate(actor=request.user, campaign=campaign)
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if count:
            messages.success(request, _("已按标准生成 {n} 项任务。").format(n=count))
        else:
            messages.info(request, _("标准的每一小项都已有任务，没有新增。"))
    return redirect("campaigns:campaign_tasks", pk=campaign.pk)


@require_POST
@requires("campaigns.task", "change")
def tasks_assign(request, pk):
    """批量分配 from the table: the checked rows ("id:version") get the chosen fields, all or none."""
    campaign = _campaign(request, pk)
    form = BulkAssignForm(request.POST, user=request.user, campaign=campaign)
    back = reverse("campaigns:campaign_tasks", args=[campaign.pk])
    query = request.POST.get("back_query", "")
    if query and len(query) < 1000 and query.isascii():
        back = f"{back}?{query}"
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(back)
    try:
        versions = parse_selection(request.POST.getlist("task"))
        tasks = Task.objects.filter(pk__in=list(versions), campaign=campaign)
        if tasks.count() != len(versions):
            raise Http404
        done = services.task_bulk_assign(actor=request.user, versions=versions, changes=form.changes())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已分配 {n} 项任务。").format(n=len(done)))
    return redirect(back)


@requires("campaigns.task")
def area_tasks(request, pk):
    campaign = _campaign(request, pk)
    today = timezone.localdate()
    rows = selectors.area_rollup(user=request.user, campaign=campaign, today=today)
    children = list(campaign.children.restrict(request.user, "view").select_related("jurisdiction"))
    context = {
        "campaign": campaign,
        "rows": rows,
        "children": children,
        "summary": task_summary(user=request.user, campaigns=selectors.rollup_campaigns(campaign), today=today),
        "tab": "areas",
    }
    return TemplateResponse(request, "campaigns/task/areas.html", context)


class TaskListView(FilteredListView):
    """My tasks across campaigns (`mine=1`, the default for people who have tasks) or all in scope."""

    model = Task
    template_name = "campaigns/task/list.html"
    export_source = "campaign_tasks"

    def get_rows(self):
        return selectors.task_list(user=self.request.user, filters=self.request.GET)

    def get_extra_context(self):
        return {"statuses": status_choices(), "today": timezone.localdate()}


@requires("campaigns.task")
def task_detail(request, pk):
    user = request.user
    task = get_scoped_or_404(
        Task,
        user,
        pk,
        queryset=Task.objects.select_related(
            "campaign__jurisdiction", "item__section", "jurisdiction", "group", "unit", "assignee"
        ),
    )
    steps = TASK_WORKFLOW.available(task, user)
    context = {
        "task": task,
        "steps": steps,
        "note_required": NOTE_REQUIRED,
        "can_edit": user.can("campaigns.task", "change") and manages_area(task, user),
        "can_progress": user.can("campaigns.task", "change") and not task.is_finished and works_on(task, user),
        # The ledger's upload page for this task (views/ledger.task_evidence_upload lets in the same people).
        "can_upload": bool(task.item_id)
        and user.can("campaigns.evidencedocument", "add")
        and (manages_area(task, user) or works_on(task, user)),
        "documents": task.documents.filter(is_current=True).order_by("-created_at"),
        "ledger_url": _ledger_url(user, task),
        "audit_events": audit_events_for(user=user, obj=task).order_by("-occurred_at")[:30],
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "campaigns/task/detail.html", context)


def _ledger_url(user, task: Task) -> str | None:
    """The task's item in the campaign's ledger (where records are linked), when the user may open
    it: views/ledger.ledger_item lets in who sees the campaign and, for a community in a larger
    campaign, the items concerning its area."""
    if not task.item_id or not user.can("campaigns.evidencelink", "view"):
        return None
    if not Campaign.objects.restrict(user, "view").filter(pk=task.campaign_id).exists():
        return None
    allowed = ledger_item_ids(user, task.campaign)
    if allowed is not None and task.item_id not in allowed:
        return None
    return reverse("campaigns:ledger_item", args=[task.campaign_id, task.item_id])


@requires("campaigns.task", "change")
def task_edit(request, pk):
    user = request.user
    task = get_scoped_or_404(
        Task, user, pk, "change", queryset=Task.objects.select_related("campaign__jurisdiction", "jurisdiction")
    )
    if not manages_area(task, user):
        raise PermissionDenied
    fields = services.EDIT_FIELDS
    if request.method == "POST":
        form = TaskForm(request.POST, user=user, task=task)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.task_update(
                    actor=user,
                    task=task,
                    changes={name: data[name] for name in fields},
                    expected_version=data.get("version"),
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, _("任务已保存。"))
                return redirect(saved)
    else:
        form = TaskForm(
            user=user, task=task, initial={name: getattr(task, name) for name in fields} | {"version": task.version}
        )
    context = {"form": form, "title": _("编辑任务"), "object": task, "cancel_url": task.get_absolute_url()}
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "core/form.html", context, status=status)


def _version(request):
    try:
        return parse_strict_int(request.POST.get("version", ""), label=_("版本号"), min_value=1)
    except ValidationError:
        return None


@require_POST
@requires("campaigns.task", "change")
def task_progress(request, pk):
    """Quick progress from the table (HTMX swaps the row) or the task page."""
    task = get_scoped_or_404(Task, request.user, pk, queryset=Task.objects.select_related("jurisdiction", "campaign"))
    form = ProgressForm(request.POST)
    error = None
    if not form.is_valid():
        error = " ".join(m for errors in form.errors.values() for m in errors)
    else:
        try:
            task = services.task_progress(
                actor=request.user,
                task=task,
                progress=form.cleaned_data["progress"],
                expected_version=form.cleaned_data.get("version"),
                note=form.cleaned_data.get("note", ""),
            )
        except PermissionDeniedForRole:
            raise PermissionDenied from None
        except DomainError as exc:
            error = str(exc.message)
    if request.headers.get("HX-Request"):
        task = Task.objects.select_related("item__section", "jurisdiction", "group", "unit", "assignee").get(pk=task.pk)
        context = {"t": task, "row_error": error, "today": timezone.localdate(), "can_assign": may_assign(request.user)}
        return TemplateResponse(request, "campaigns/task/_row.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("进度已更新。"))
    if request.POST.get("next") == "table":
        return redirect("campaigns:campaign_tasks", pk=task.campaign_id)
    return redirect(task)


@require_POST
@requires("campaigns.task", "change")
def task_transition(request, pk, name):
    task = get_scoped_or_404(Task, request.user, pk, queryset=Task.objects.select_related("jurisdiction"))
    if name not in TASK_WORKFLOW:
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(task)
    try:
        services.task_transition(
            actor=request.user,
            task=task,
            name=name,
            expected_version=form.cleaned_data.get("version") or _version(request),
            note=form.cleaned_data.get("note", ""),
        )
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已{action}。").format(action=TASK_WORKFLOW[name].label))
    return redirect(task)


@requires("campaigns.task")
def campaign_tasks_docx(request, pk):
    campaign = _campaign(request, pk)
    rows = selectors.task_table(user=request.user, campaign=campaign, filters=None).exclude(status=TaskStatus.CANCELLED)
    content = exports.tasks_docx(campaign, rows)
    return docx_response(content, _("{title}任务分解表.docx").format(title=campaign.title))
