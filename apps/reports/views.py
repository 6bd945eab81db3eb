"""数据汇总 (issue 11 §4): the registered figures for a jurisdiction and a period, rolled up.

The page shows one section per group of figures; each section is computed by its own request
(`?group=<slug>`, loaded by htmx as the page opens), so a slow or failing app delays or marks
only its own section. `?export=xlsx` downloads the roll-up tables (every group, or one).
"""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse

from apps.core.filters import InvalidFilters
from apps.core.rollups import record_rollups_behind
from apps.core.views_base import requires

from . import totals
from .filters import totals_query

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires(totals.JURISDICTION)
def totals_page(request):
    try:
        query = totals_query(request.user, request.GET)
    except InvalidFilters as error:
        return TemplateResponse(
            request,
            "reports/totals.html",
            {"filter_errors": error.messages, "groups": [], "period_choices": totals.PERIOD_CHOICES},
            status=400,
        )
    groups = totals.figure_groups(request.user)
    if query.group:
        groups = [group for group in groups if group.slug == query.group]
        if not groups:
            raise Http404
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(totals.totals_xlsx(request.user, query), content_type=XLSX)
        name = f"totals-{query.node.pk}-{query.start}-{query.end}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    sections = [
        {
            "group": group,
            "url": "?" + urlencode(query.params(group=group.slug)),
            "export_url": "?" + urlencode(query.params(group=group.slug, export="xlsx")),
            "rows": totals.group_table(request.user, query, group) if query.group else None,
        }
        for group in groups
    ]
    if query.group and request.htmx:
        return TemplateResponse(request, "reports/_totals_group.html", {"section": sections[0], "query": query})
    previous, following = query.step(-1), query.step(+1)
    children = totals.children_of(request.user, query.node)
    parent = totals.jurisdictions_for(request.user).filter(pk=query.node.parent_id).first()
    context = {
        "query": query,
        "sections": sections,
        "jurisdictions": totals.jurisdictions_for(request.user).order_by("path"),
        "period_choices": totals.PERIOD_CHOICES,
        "previous_url": "?" + urlencode(previous) if previous else "",
        "next_url": "?" + urlencode(following) if following else "",
        "export_url": "?" + urlencode(query.params(export="xlsx")),
        "kinds": [
            (kind, label, "?" + urlencode({"jurisdiction": query.node.pk, "period": kind, "on": query.start}))
            for kind, label in totals.PERIOD_CHOICES
        ],
        "child_links": [(child, "?" + urlencode(query.params(jurisdiction=str(child.pk)))) for child in children],
        "parent_url": "?" + urlencode(query.params(jurisdiction=str(parent.pk))) if parent else "",
        "parent": parent,
        # Figures read from record rollups: their "as of" time when changes are still pending.
        "as_of": record_rollups_behind(),
    }
    return TemplateResponse(request, "reports/totals.html", context)
