"""The case statistics page: KPIs per jurisdiction, unit, category or period, each figure
linking to its cases; long tails folded, the .xlsx export complete."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.core.filters import InvalidFilters
from apps.core.rollups import rollup_as_of
from apps.core.views_base import requires
from apps.organization.models import Jurisdiction

from . import rollups
from .filters import StatisticsFilterSet
from .models import Case

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Statistics ---------------------------------------------------------------------------------


@requires("cases.case")
def case_statistics_page(request):
    """KPIs per jurisdiction, unit, category or period; every figure links to its cases."""
    from urllib.parse import urlencode

    from . import statistics

    today = timezone.localdate()
    try:
        params = StatisticsFilterSet(request.GET, Case.objects.none(), request=request).params()
    except InvalidFilters as error:
        params, filter_errors = {}, error.messages
    else:
        filter_errors = []
    start = params.get("start") or today.replace(day=1)
    end = params.get("end") or today
    group_by = params.get("group_by") or "jurisdiction"
    node = params.get("jurisdiction")
    rows = []
    try:
        if not filter_errors:
            rows = statistics.case_statistics(
                user=request.user, start=start, end=end, group_by=group_by, jurisdiction=node
            )
    except DomainError as error:
        messages.error(request, str(error.message))
    if request.GET.get("export") == "xlsx" and not filter_errors:
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

    def links(row) -> list[str | None]:
        """Each metric's link of a row: the row's filters encoded once, each metric's own added
        (a district's table has ~600 linked cells: encoding each whole query was a tenth of the page)."""
        if row.key == FOLDED_KEY:
            return [None] * len(metrics)  # the folded rows have no single filter; the export lists them
        base = statistics.case_filter_for(row.key, group_by, "reported", start=start, end=end, jurisdiction=node)
        prefix = list_url + "?" + urlencode(base)
        found = []
        for metric in metrics:
            filters = statistics.case_filter_for(row.key, group_by, metric, start=start, end=end, jurisdiction=node)
            extra = {key: value for key, value in filters.items() if base.get(key) != value}
            found.append(prefix + ("&" + urlencode(extra) if extra else ""))
        return found

    table = [
        {"row": row, "cells": list(zip([getattr(row, metric) for metric in metrics], links(row), strict=True))}
        for row in rows
    ]
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
            "jurisdictions": _node_choices(request.user, node),
            "drill_down": group_by == "jurisdiction",
            "as_of": rollup_as_of(rollups.NAME),
            "export_query": query.urlencode(),
            "folded": folded,
            "filter_errors": filter_errors,
        },
        status=400 if filter_errors else 200,
    )


def _node_choices(user, node):
    """The jurisdictions offered in the filter: the user's own level and the one below, and
    around a chosen node its ancestors and children (deeper levels are reached by clicking a
    row of the jurisdiction table), not every community of a district at once."""
    nodes = Jurisdiction.objects.restrict(user).filter(level__rank__lte=50)
    depth = user.jurisdiction.depth if user.jurisdiction_id else 0
    near = Q(depth__lte=depth + 1)
    if isinstance(node, Jurisdiction):
        near |= Q(pk__in=node.ancestor_ids) | Q(parent=node)
    return nodes.filter(near).select_related("level").only("id", "name", "path", "level__name")


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
