"""Pages of the control levels (GB/T 27770–27773 as versioned data) and the grade page: the
standards with their versions, a version's limits (badged 示例值 when they are examples), the
office's edit (a used version becomes a new one), and the grades of an area's places."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.filters import InvalidFilters
from apps.core.selectors import audit_events_for
from apps.core.views_base import get_scoped_or_404, requires
from apps.organization.models import Jurisdiction
from apps.worktime.periods import period_bounds, period_label

from ..choices import Grade, Pest, PlaceType
from ..filters.surveys import PERIODS, GradeFilterSet
from ..forms.surveys import ThresholdsForm
from ..grading import ThresholdCache
from ..models import ControlVersion, Survey
from ..selectors import grades as grading_selectors
from ..selectors import surveys as selectors
from ..services import levels as services


@requires("pestcontrol.controlstandard")
def standard_list(request):
    context = {"standards": selectors.standards(), "today": timezone.localdate()}
    return TemplateResponse(request, "pestcontrol/levels/standard_list.html", context)


def _version(request, pk, action="view") -> ControlVersion:
    return get_scoped_or_404(
        ControlVersion, request.user, pk, action, queryset=ControlVersion.objects.select_related("standard")
    )


@requires("pestcontrol.controlversion")
def version_detail(request, pk):
    version = _version(request, pk)
    following = services.next_version(version)
    context = {
        "version": version,
        "rows": selectors.threshold_table(version),
        "used": services.version_used(version),
        "following": following,
        "can_edit": request.user.can("pestcontrol.controlversion", "change"),
        "audit_events": audit_events_for(user=request.user, obj=version).order_by("-occurred_at")[:30],
    }
    return TemplateResponse(request, "pestcontrol/levels/version_detail.html", context)


@requires("pestcontrol.controlversion", "change")
def version_edit(request, pk):
    """Edit a version's limits: a version that has graded a survey is copied into a new version
    in force from the date given; an unused one is changed in place."""
    version = _version(request, pk, "change")
    used = services.version_used(version)
    rows = selectors.threshold_table(version)
    status = 200
    if request.method == "POST":
        form = ThresholdsForm(request.POST, version=version, rows=rows)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.thresholds_update(
                    actor=request.user,
                    version=version,
                    limits=form.limits(),
                    expected_version=data.get("version"),
                    effective_from=data.get("effective_from"),
                    label=data.get("label") or "",
                    note=data.get("note") or "",
                    is_example=bool(data.get("is_example")),
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                if result.pk != version.pk:
                    messages.success(
                        request,
                        _("已生成新版本「{label}」，自 {day} 起实施；原版本未改动。").format(
                            label=result.label, day=result.effective_from
                        ),
                    )
                else:
                    messages.success(request, _("限值已保存。"))
                return redirect("pestcontrol:version_detail", result.pk)
        status = 400
    else:
        form = ThresholdsForm(version=version, rows=rows, initial={"version": version.version})
    context = {"version": version, "form": form, "rows": rows, "used": used}
    return TemplateResponse(request, "pestcontrol/levels/version_edit.html", context, status=status)


# Grades --------------------------------------------------------------------------------------


def _list_url(node, start, end, **extra) -> str:
    from django.urls import reverse

    params = {"jurisdiction": node.pk, "start": start.isoformat(), "end": end.isoformat(), **extra}
    return f"{reverse('pestcontrol:survey_list')}?{urlencode({k: v for k, v in params.items() if v})}"


@requires("pestcontrol.survey")
def grades(request):
    """The grade page: for a jurisdiction (default: the user's own) and a period (default: this
    year; month or quarter containing `on`), one row per child jurisdiction and one per place
    type, with the grade per pest, the place that decides it, and links to the child's page and
    to the surveys behind each figure. A handful of queries whatever the number of surveys."""
    user = request.user
    try:
        params = GradeFilterSet(request.GET, Survey.objects.none(), user=user).params()
    except InvalidFilters as error:
        return TemplateResponse(
            request, "pestcontrol/levels/grades.html", {"filter_errors": error.messages, "rows": []}, status=400
        )
    kind = params.get("period") or "year"
    on = params.get("on") or timezone.localdate()
    start, end = period_bounds(kind, on)
    node = params.get("jurisdiction") or user.jurisdiction
    if node is None:
        node = Jurisdiction.objects.restrict(user).order_by("depth", "path").first()
    if node is None:
        raise Http404
    cache = ThresholdCache()
    compare = params.get("version")
    overrides = {compare.standard.pest: compare} if compare else {}
    thresholds = grading_selectors.period_thresholds(cache, end, overrides)
    children = list(Jurisdiction.objects.restrict(user).filter(parent=node).order_by("path"))
    table = grading_selectors.grade_table(
        node=node, children=children, start=start, end=end, thresholds=thresholds, base=Survey.objects.restrict(user)
    )
    pests = Pest.choices
    for row in table["rows"]:
        row["url"] = _list_url(row["node"], start, end)
        row["drill"] = f"?{urlencode({'jurisdiction': row['node'].pk, 'period': kind, 'on': on.isoformat()})}"
        row["cells"] = [
            (row["grades"][pest], _list_url(row["node"], start, end, pest=pest), label) for pest, label in pests
        ]
    for row in table["type_rows"]:
        row["label"] = (
            PlaceType(row["place_type"]).label if row["place_type"] in PlaceType.values else row["place_type"]
        )
        row["cells"] = [
            (row["grades"][pest], _list_url(node, start, end, pest=pest, place_type=row["place_type"]), label)
            for pest, label in pests
        ]
    versions = {pest: cache.version_on(pest, end) for pest in Pest.values}
    in_use = [(label, overrides.get(pest) or versions[pest]) for pest, label in pests]
    all_versions = list(ControlVersion.objects.select_related("standard").order_by("standard__code", "-effective_from"))
    context = {
        "node": node,
        "parent": Jurisdiction.objects.restrict(user).filter(pk=node.parent_id).first(),
        "kind": kind,
        "on": on,
        "start": start,
        "end": end,
        "period_label": period_label(kind, start, end),
        "periods": PERIODS,
        "pests": pests,
        "rows": table["rows"],
        "type_rows": table["type_rows"],
        "in_use": in_use,
        "compare": compare,
        "all_versions": all_versions,
        "grades": Grade.choices,
    }
    return TemplateResponse(request, "pestcontrol/levels/grades.html", context)
