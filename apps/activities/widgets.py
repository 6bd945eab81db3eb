"""The home-page panel: this month's activity totals of the user's area and the planned
activities of the next two weeks (volunteers to sign up). Five aggregate queries; None when
there is nothing this month and nothing planned."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .choices import ActivityStatus
from .models import Activity
from .selectors import upcoming
from .totals import totals_for

SHOWN = 5


def month(request) -> dict | None:
    user = request.user
    today = timezone.localdate()
    start = today.replace(day=1)
    held = Activity.objects.restrict(user).filter(status=ActivityStatus.HELD, held_on__gte=start, held_on__lte=today)
    totals = totals_for(held)
    planned = list(upcoming(user=user)[:SHOWN])
    if not totals.activities and not planned:
        return None
    params = {"status": ActivityStatus.HELD, "start": start.isoformat(), "end": today.isoformat()}
    return {
        "totals": totals,
        "planned": planned,
        "start": start,
        "today": today,
        "list_url": f"{reverse('activities:activity_list')}?{urlencode(params)}",
        "totals_url": reverse("activities:totals"),
    }
