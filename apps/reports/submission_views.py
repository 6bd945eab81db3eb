"""报送 pages: the receiver's list of its senders with the roll-up of their figures, the sender's
panel, and the small POSTs (submit, return, accept, a call). Thin: each parses, calls one
service of submissions.py and redirects back with a message."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.views_base import get_scoped_or_404, requires

from . import submissions, totals
from .models import Report, Submission
from .submission_forms import CallForm, DecisionForm, PeriodForm
from .submission_workflow import SUBMISSION_WORKFLOW


def _run(request, call):
    """A role refused answers 403; a refused input or step becomes an error message."""
    try:
        return call()
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except DomainError as error:
        messages.error(request, str(error.message))
    return None


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _receiver(request):
    """The user's own jurisdiction, or `?jurisdiction=` in their subtree (a level above reads a
    street's list); outside it answers 404."""
    wanted = request.GET.get("jurisdiction")
    if not wanted:
        return totals.default_node(request.user)
    try:
        return totals.jurisdictions_for(request.user).get(pk=int(wanted))
    except (ValueError, TypeError, totals.Jurisdiction.DoesNotExist):
        raise Http404 from None


@requires("reports.submission")
def submissions_page(request):
    """报送 for a kind and period (?kind=&start=&end=; default: the latest call, or this year's
    年度工作总结): the user's own reports with their 报送 panel, then, for a node with senders, a
    row per sender with the steps the table allows, the call form, and the roll-up, one group
    of figures per lazy request (?group=<slug>) rendered like 数据汇总's."""
    user = request.user
    receiver = _receiver(request)
    if receiver is None:
        raise Http404
    form = PeriodForm(request.GET if "kind" in request.GET else None)
    status = 200
    if form.is_bound and form.is_valid():
        period = submissions.Period(form.cleaned_data["kind"], form.cleaned_data["start"], form.cleaned_data["end"])
    else:
        if form.is_bound:
            status = 400
        period = submissions.default_period(user)
        if not form.is_bound:
            form = PeriodForm(initial={"kind": period.kind, "start": period.start, "end": period.end})
    groups = submissions.rollup_groups(user)
    senders = submissions.senders_of(receiver)
    wanted_group = request.GET.get("group")
    if wanted_group:
        group = next((g for g in groups if g.slug == wanted_group), None)
        if group is None or not senders:
            raise Http404
        return TemplateResponse(
            request,
            "reports/_totals_group.html",
            {"section": _section(receiver, period, group, submissions.rollup_rows(user, receiver, period, group))},
        )
    own = user.jurisdiction_id == receiver.pk
    call = submissions.call_for(receiver, period)
    context = {
        "receiver": receiver,
        "period": period,
        "period_form": form,
        "rows": submissions.sender_rows(user, receiver, period) if senders else [],
        "senders": senders,
        "call": call,
        "calls": submissions.visible_calls(user).order_by("-deadline", "-id")[:12],
        "call_form": CallForm(
            initial={
                "kind": period.kind,
                "period_start": period.start,
                "period_end": period.end,
            }
        )
        if own and senders and call is None and user.can("reports.reportcall", "add")
        else None,
        "sections": [_section(receiver, period, group, None) for group in groups] if senders else [],
        "panels": [
            submissions.submission_panel(user, report) for report in submissions.own_reports(user, receiver, period)[:5]
        ]
        if receiver.parent_id
        else [],
        "may_draft": own and user.can("reports.report", "add"),
    }
    return TemplateResponse(request, "reports/submissions.html", context, status=status)


def _section(receiver, period, group, rows):
    base = {"jurisdiction": receiver.pk, "kind": period.kind, "start": period.start, "end": period.end}
    export = {"jurisdiction": receiver.pk, "start": period.start, "end": period.end, "group": group.slug}
    return {
        "group": group,
        "url": reverse("reports:submissions") + "?" + urlencode({**base, "group": group.slug}),
        "export_url": reverse("reports:totals") + "?" + urlencode({**export, "export": "xlsx"}),
        "rows": rows,
    }


@require_POST
@requires("reports.submission", "add")
def submission_submit(request, pk):
    report = get_scoped_or_404(Report, request.user, pk, queryset=Report.objects.select_related("jurisdiction"))
    done = _run(request, lambda: submissions.submit(request.user, report))
    if done is not None:
        messages.success(request, _("已报送{receiver}。").format(receiver=done.receiver.name))
    return _back(request, submissions.page_url(report.kind, report.period_start, report.period_end))


def _decide(request, pk, name):
    submission = get_scoped_or_404(Submission, request.user, pk, "change")
    form = DecisionForm(request.POST)
    fallback = submissions.page_url(submission.kind, submission.period_start, submission.period_end)
    if not form.is_valid():
        messages.error(request, _("页面已过期，请刷新后重试。"))
        return _back(request, fallback)
    version = form.cleaned_data["version"]
    if name == "return":
        done = _run(
            request,
            lambda: submissions.return_submission(request.user, submission, form.cleaned_data["reason"], version),
        )
    else:
        done = _run(request, lambda: submissions.accept(request.user, submission, version))
    if done is not None:
        messages.success(request, _("已{action}。").format(action=SUBMISSION_WORKFLOW[name].label))
    return _back(request, fallback)


@require_POST
@requires("reports.submission", "change")
def submission_return(request, pk):
    return _decide(request, pk, "return")


@require_POST
@requires("reports.submission", "change")
def submission_accept(request, pk):
    return _decide(request, pk, "accept")


@require_POST
@requires("reports.reportcall", "add")
def submission_call_create(request):
    form = CallForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return _back(request, reverse("reports:submissions"))
    data = form.cleaned_data
    done = _run(
        request,
        lambda: submissions.create_call(
            request.user, data["kind"], data["period_start"], data["period_end"], data["deadline"], data["note"]
        ),
    )
    if done is not None:
        messages.success(request, _("报送要求已发出。"))
    return redirect(submissions.page_url(data["kind"], data["period_start"], data["period_end"]))
