"""The home-page panel `education.overview` for the desk: this year's 开课率 of the user's area,
the activities held and their 人次, the next planned activity. A few aggregate queries; None
when the year has neither a plan nor an activity."""

from django.urls import reverse
from django.utils import timezone

from ..selectors import activities as selectors


def overview(request) -> dict | None:
    user = request.user
    node = selectors.home_node(user)
    if node is None:
        return None
    year = timezone.localdate().year
    table = selectors.rate_table(user=user, node=node, year=year)
    totals = selectors.year_totals(user=user, node=node, year=year)
    if not table["planned"] and not totals["held"]:
        return None
    return {
        "year": year,
        "rate": table["year"],
        "totals": totals,
        "next": selectors.upcoming(user=user, node=node, limit=1).first(),
        "home_url": reverse("education:home"),
    }
