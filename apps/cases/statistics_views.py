"""The case statistics page: KPIs per jurisdiction, unit, category or period, each figure
linking to its cases; long tails folded, the .xlsx export complete."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
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


# The page's columns, in order.
PAGE_METRICS = [
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


@requires("cases.case")
def case_statistics_page(request):
    """KPIs per jurisdiction, unit, category or period; every figure links to its cases."""
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
    metrics = PAGE_METRICS
    rows, folded = _fold_long_tail(rows, statistics)
    links = _row_links(statistics, metrics, group_by, start=start, end=end, node=node)
    # A jurisdiction row's name opens the same statistics one level down.
    drill = f"?group_by=jurisdiction&jurisdiction={{}}&start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    table = []
    for row in rows:
        values = [getattr(row, metric) for metric in metrics]
        urls, escaped_urls = links(row)
        drillable = group_by == "jurisdiction" and not row.is_total and row.key[:1].isdigit()
        table.append(
            {
                "row": row,
                "cells": list(zip(values, urls, strict=True)),
                "cells_html": _cells_html(values, escaped_urls),
                "drill_url": drill.format(row.key) if drillable else "",
            }
        )
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
            "jurisdictions": [(j.pk, f"{j.name} ({_(j.level.name)})") for j in _node_choices(request.user, node)],
            "as_of": rollup_as_of(rollups.NAME),
            "export_query": query.urlencode(),
            "folded": folded,
            "filter_errors": filter_errors,
        },
        status=400 if filter_errors else 200,
    )


def _row_links(statistics, metrics: list[str], group_by: str, *, start, end, node):
    """`links(row)`: each metric's link of a row, as is and HTML-escaped (None for the folded
    rows, which have no single filter; the export lists them). A row's own filters are encoded
    and escaped once; each metric's own filters (METRIC_FILTERS, never a row's keys) once per
    page, not once per cell (a district's table has ~600 linked cells). Escaping is per
    character, so the escaped pieces joined are the escaped link."""
    list_url = reverse("cases:case_list")
    total_key = statistics.TOTAL_KEY
    total = statistics.case_filter_for(total_key, group_by, "reported", start=start, end=end, jurisdiction=node)
    suffixes = []
    for metric in metrics:
        filters = statistics.case_filter_for(total_key, group_by, metric, start=start, end=end, jurisdiction=node)
        extra = {key: value for key, value in filters.items() if total.get(key) != value}
        suffixes.append("&" + urlencode(extra) if extra else "")
    escaped_suffixes = [escape(suffix) for suffix in suffixes]
    none = [None] * len(metrics)

    def links(row) -> tuple[list[str | None], list[str | None]]:
        if row.key == FOLDED_KEY:
            return none, none
        base = statistics.case_filter_for(row.key, group_by, "reported", start=start, end=end, jurisdiction=node)
        prefix = list_url + "?" + urlencode(base)
        escaped_prefix = escape(prefix)
        return [prefix + suffix for suffix in suffixes], [escaped_prefix + suffix for suffix in escaped_suffixes]

    return links


def _cells_html(values, escaped_urls) -> str:
    """The figures of a row as table cells, each a link to its cases (`escaped_urls`, already
    HTML-escaped): built here rather than by the template's loop, which cost more than the
    figures themselves (~600 cells on a district's page, several template nodes each). A figure
    shows as the template's {{ value }} would (formats.localize: "—" for None, the counts as they
    are, a rate's decimal separator of the language; no grouping unless USE_THOUSAND_SEPARATOR)."""
    grouping = settings.USE_THOUSAND_SEPARATOR
    decimal_sep = formats.get_format("DECIMAL_SEPARATOR")
    parts = []
    for value, url in zip(values, escaped_urls, strict=True):
        if value is None:
            text = "—"
        elif grouping:
            text = escape(formats.localize(value))
        elif isinstance(value, int):
            text = str(value)
        else:  # a Decimal: what formats.localize writes without grouping, for a fraction of its time
            text = escape(format(value, "f").replace(".", decimal_sep))
        if url:
            parts.append(f'<td class="num"><a href="{url}">{text}</a></td>')
        else:
            parts.append(f'<td class="num">{text}</td>')
    return mark_safe("".join(parts))  # every part escaped above


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
