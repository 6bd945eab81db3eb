"""Views: campaigns (创建项目) — the list, the create/edit form with its phases and groups, the
campaign page and its status steps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.filters import parse_strict_int
from apps.core.views_base import FilteredListView, get_scoped_or_404, requires

from ..choices import CampaignLevel, CampaignStatus
from ..forms.campaigns import CampaignForm, GroupFormSet, PhaseFormSet, formset_lines
from ..models import Campaign, Task
from ..selectors import campaigns as selectors
from ..services import campaigns as services
from ..workflow import CAMPAIGN_WORKFLOW, manages_campaign


class CampaignListView(FilteredListView):
    model = Campaign
    template_name = "campaigns/campaign/list.html"

    def get_rows(self):
        return selectors.campaign_list(user=self.request.user, filters=self.request.GET)

    def get_extra_context(self):
        return {"statuses": CampaignStatus.choices, "levels": CampaignLevel.choices}


def _plan_forms(request, campaign=None, initial_phases=None):
    user = request.user
    if request.method == "POST":
        form = CampaignForm(request.POST, user=user, campaign=campaign)
        phases = PhaseFormSet(request.POST, prefix="phases")
        groups = GroupFormSet(request.POST, prefix="groups", form_kwargs={"user": user})
        return form, phases, groups
    if campaign is None:
        today = timezone.localdate()
        start, end = today, today.replace(year=today.year + 1)
        form = CampaignForm(user=user, initial={"starts_on": start, "ends_on": end})
        phases = PhaseFormSet(prefix="phases", initial=services.default_phases(start, end))
        groups = GroupFormSet(prefix="groups", form_kwargs={"user": user})
        return form, phases, groups
    form = CampaignForm(
        user=user,
        campaign=campaign,
        initial={name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS} | {"version": campaign.version},
    )
    phases = PhaseFormSet(
        prefix="phases",
        initial=[
            {"kind": p.kind, "name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on, "work": p.work}
            for p in campaign.phases.all()
        ],
    )
    groups = GroupFormSet(
        prefix="groups",
        form_kwargs={"user": user},
        initial=[{"group": g.group, "role": g.role, "duties": g.duties} for g in campaign.groups.all()],
    )
    return form, phases, groups


def _save_plan(request, form, phases, groups, call):
    if not (form.is_valid() and phases.is_valid() and groups.is_valid()):
        return None
    try:
        return call(form.cleaned_data, formset_lines(phases), formset_lines(groups))
    except DomainError as error:
        form.add_error(None, str(error.message))
    except ValidationError as error:
        for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
            form.add_error(field if field in form.fields else None, errors)
    return None


def _render_plan(request, form, phases, groups, campaign=None):
    title = _("编辑创建项目") if campaign else _("新建创建项目")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "phases": phases, "groups": groups, "title": title, "object": campaign}
    return TemplateResponse(request, "campaigns/campaign/form.html", context, status=status)


@requires("campaigns.campaign", "add")
def campaign_create(request):
    form, phases, groups = _plan_forms(request)
    if request.method == "POST":

        def call(data, phase_lines, group_lines):
            fields = {k: v for k, v in data.items() if k != "version"}
            return services.campaign_create(actor=request.user, phases=phase_lines, groups=group_lines, **fields)

        campaign = _save_plan(request, form, phases, groups, call)
        if campaign is not None:
            messages.success(request, _("创建项目已保存。"))
            return redirect(campaign)
    return _render_plan(request, form, phases, groups)


@requires("campaigns.campaign", "change")
def campaign_edit(request, pk):
    campaign = get_scoped_or_404(Campaign, request.user, pk, "change")
    if not manages_campaign(campaign, request.user):
        raise PermissionDenied
    form, phases, groups = _plan_forms(request, campaign)
    if request.method == "POST":

        def call(data, phase_lines, group_lines):
            changes = {k: v for k, v in data.items() if k != "version"}
            return services.campaign_update(
                actor=request.user,
                campaign=campaign,
                changes=changes,
                phases=phase_lines,
                groups=group_lines,
                expected_version=data.get("version"),
            )

        saved = _save_plan(request, form, phases, groups, call)
        if saved is not None:
            messages.success(request, _("创建项目已保存。"))
            return redirect(saved)
    return _render_plan(request, form, phases, groups, campaign)


@requires("campaigns.campaign")
def campaign_detail(request, pk):
    user = request.user
    get_scoped_or_404(Campaign, user, pk)
    campaign = selectors.campaign_detail(user=user, pk=pk)
    today = timezone.localdate()
    children = list(selectors.children_of(user=user, campaign=campaign))
    context = {
        "campaign": campaign,
        "phases": list(campaign.phases.all()),
        "current_phase": selectors.current_phase(campaign, today),
        "groups": list(campaign.groups.all()),
        "children": children,
        "summary": selectors.task_summary(user=user, campaigns=[campaign.pk], today=today),
        "steps": CAMPAIGN_WORKFLOW.available(campaign, user),
        "can_edit": user.can("campaigns.campaign", "change") and manages_campaign(campaign, user),
        "can_generate": user.can("campaigns.task", "add") and manages_campaign(campaign, user),
        "can_view_tasks": user.can("campaigns.task", "view"),
        "today": today,
        "tab": "overview",
    }
    if user.can("campaigns.task", "view"):
        context["has_tasks"] = Task.objects.filter(campaign=campaign).exists()
    return TemplateResponse(request, "campaigns/campaign/detail.html", context)


@require_POST
@requires("campaigns.campaign", "change")
def campaign_transition(request, pk, name):
    campaign = get_scoped_or_404(Campaign, request.user, pk)
    if name not in CAMPAIGN_WORKFLOW:
        raise Http404
    try:
        version = parse_strict_int(request.POST.get("version", ""), label=_("版本号"))
    except ValidationError:
        messages.error(request, _("页面已过期，请刷新后重试。"))
        return redirect(campaign)
    try:
        services.campaign_transition(actor=request.user, campaign=campaign, name=name, expected_version=version)
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已{action}。").format(action=CAMPAIGN_WORKFLOW[name].label))
    return redirect(campaign)
