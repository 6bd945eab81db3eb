"""Appeal pages: submitting an appeal, the list, the decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.core.filters import InvalidFilters
from apps.core.selectors import audit_events_for
from apps.core.views_base import get_scoped_or_404, require_permission, submit_form

from .. import selectors, services
from ..choices import AppealStatus
from ..forms import (
    AppealDecisionForm,
    AppealForm,
)
from ..models import (
    Appeal,
)
from ..workflow import APPEAL_WORKFLOW
from .common import page, result_of, scoped_sheet

# Appeals -------------------------------------------------------------------------------------


@login_required
def appeal_create(request, pk, result_id):
    require_permission(request.user, "inspections.appeal", "add")
    inspection = scoped_sheet(request.user, pk)
    result = result_of(inspection, result_id)
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
    return page(
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
    try:
        appeals, errors = selectors.appeal_list(user=request.user, filters=request.GET)[:200], []
    except InvalidFilters as error:
        appeals, errors = [], error.messages
    return page(
        request,
        "inspections/appeal_list.html",
        {"appeals": appeals, "status": status, "statuses": AppealStatus.choices, "filter_errors": errors},
        status=400 if errors else 200,
    )


@login_required
def appeal_detail(request, pk):
    appeal = get_scoped_or_404(
        Appeal,
        request.user,
        pk,
        queryset=Appeal.objects.select_related("result__item", "inspection__target_unit", "submitted_by", "reviewer"),
    )
    may_decide = bool(APPEAL_WORKFLOW.available(appeal, request.user))
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
    return page(
        request,
        "inspections/appeal_detail.html",
        {
            "appeal": appeal,
            "photos": appeal.photos.all(),
            "result_photos": appeal.result.photos.all(),
            "form": form if may_decide else None,
            # The question each decision (a step of the table) asks before it is sent.
            "decision_confirms": {t.name: str(t.confirm) for t in APPEAL_WORKFLOW.transitions if t.confirm},
            "audit_events": audit_events_for(user=request.user, obj=appeal)[:20],
        },
        status=400 if form.errors else 200,
    )
