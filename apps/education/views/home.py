"""健康教育 home: this year's 开课率 of the user's jurisdiction by quarter, the year's totals
(activities held, 人次, materials by title), the upcoming planned activities and the tabs."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from apps.core.views_base import requires

from ..selectors import activities as selectors


@requires("education.educationactivity")
def home(request):
    user = request.user
    node = selectors.home_node(user)
    if node is None:
        raise Http404
    year = timezone.localdate().year
    table = selectors.rate_table(user=user, node=node, year=year)
    context = {
        "tab": "home",
        "node": node,
        "year": year,
        "quarters": table["quarters"],
        "year_rate": table["year"],
        "has_plan": selectors.has_plan(user=user, node=node, year=year),
        "totals": selectors.year_totals(user=user, node=node, year=year),
        "upcoming": selectors.upcoming(user=user, node=node),
        "can_add": user.can("education.educationactivity", "add"),
    }
    return TemplateResponse(request, "education/home.html", context)
