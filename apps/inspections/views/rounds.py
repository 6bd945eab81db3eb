"""Plan and round pages: plans, opening a round, a round's sheets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.selectors import audit_events_for
from apps.core.views_base import ServiceFormView, get_scoped_or_404, require_permission, submit_form

from .. import selectors, services
from ..choices import InspectionStatus
from ..forms import (
    PlanForm,
    RoundForm,
)
from ..models import (
    Inspection,
    InspectionPlan,
    InspectionRound,
)
from .common import page

# Plans and rounds ----------------------------------------------------------------------------


@login_required
def plan_list(request):
    require_permission(request.user, "inspections.inspectionplan")
    plans = selectors.plan_list(user=request.user).annotate(round_count=Count("rounds"))
    return page(
        request,
        "inspections/plan_list.html",
        {"plans": plans, "can_add": request.user.can("inspections.inspectionplan", "add")},
    )


class PlanCreate(ServiceFormView):
    model = InspectionPlan
    action = "add"
    form_class = PlanForm
    title = gettext_lazy("新建检查计划")

    def get_initial(self):
        return {"jurisdiction": self.request.user.jurisdiction}

    def perform(self, form, data):
        return services.plan_create(actor=self.request.user, data=data)


class PlanUpdate(ServiceFormView):
    model = InspectionPlan
    action = "change"
    form_class = PlanForm
    title = gettext_lazy("修改检查计划")

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
    return page(
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
    return page(
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
    return page(
        request,
        "inspections/round_detail.html",
        {"round": round_, "sheets": sheets, "audit_events": audit_events_for(user=request.user, obj=round_)[:10]},
    )
