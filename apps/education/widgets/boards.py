"""The home-page panel `education.boards_pending` for the street and community desks: the
overdue boards of the user's area (punctuality.py), to update. Two queries (the count, the
first few); None when none is overdue."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from ..selectors import boards as selectors

SHOWN = 5


def boards_pending(request) -> dict | None:
    today = timezone.localdate()
    overdue = selectors.overdue_boards(user=request.user, today=today)
    count = overdue.count()
    if not count:
        return None
    rows = selectors.with_status(
        overdue.select_related("jurisdiction").order_by("last_updated_on", "installed_on", "id")[:SHOWN], today
    )
    return {
        "count": count,
        "boards": rows,
        "list_url": f"{reverse('education:board_list')}?{urlencode({'overdue': '1'})}",
    }
