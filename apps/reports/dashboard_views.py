"""驾驶舱 (issue 15 §6): the dashboard page of a jurisdiction (dashboard.py computes it).

`?jurisdiction=<id>&period=month|quarter|year&on=<date>&sort=<league column>`; a jurisdiction
outside the user's subtree is 404, malformed input a 400 with the reason. The page comes with its
KPIs; the trends and the children (league table and map) are loaded by htmx from
`?…&part=trends|children` as it opens; `part=all` (the placeholders' link without htmx) computes
every part in one page. Charts and the map are drawn by static/js/dashboard.js from json_script
data (no inline script: CSP).
"""

from django.template.response import TemplateResponse

from apps.core.filters import InvalidFilters
from apps.core.rollups import record_rollups_behind
from apps.core.views_base import requires

from . import dashboard, totals

# Desk roles, leaders and inspectors read the dashboard (the permission of the reports they read);
# grid workers and unit contacts do not.
PERMISSION = "reports.report"
PARTIALS = {
    dashboard.TRENDS_PART: "reports/_dashboard_trends.html",
    dashboard.CHILDREN_PART: "reports/_dashboard_children.html",
}


@requires(PERMISSION)
def dashboard_page(request):
    try:
        query = dashboard.dashboard_query(request.user, request.GET)
    except InvalidFilters as error:
        context = {"filter_errors": error.messages, "period_choices": totals.PERIOD_CHOICES}
        return TemplateResponse(request, "reports/dashboard.html", context, status=400)
    if query.part in PARTIALS and request.htmx:
        context = {"query": query, **dashboard.dashboard(request.user, query, parts=(query.part,))}
        return TemplateResponse(request, PARTIALS[query.part], context)
    parts = dashboard.PARTS if query.part else (dashboard.KPIS_PART,)
    context = {
        "query": query,
        "period": query.period,
        "period_choices": totals.PERIOD_CHOICES,
        "jurisdictions": totals.jurisdictions_for(request.user).order_by("path"),
        "as_of": record_rollups_behind(),
        "part_urls": {part: query.url(part=part) for part in PARTIALS},
        "all_url": query.url(part=dashboard.ALL),
        **dashboard.dashboard(request.user, query, parts=parts),
        **dashboard.period_links(query),
    }
    return TemplateResponse(request, "reports/dashboard.html", context)
