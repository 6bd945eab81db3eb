"""The desk's home panel of pest control: this month's operations of the user's area (count,
households, kg and L of drugs), the pooled follow-up rates, and the batches in its stores that
expire within PEST_STOCK_EXPIRY_WARN_DAYS or have expired. Four aggregate queries; None when
there is nothing to show."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from ..models import FollowUpCheck, Operation, StockMovement
from ..selectors.operations import drug_totals
from ..services.drugs import batch_totals
from ..services.operations import followup_rates


def month(request, *, always: bool = False) -> dict | None:
    user = request.user
    today = timezone.localdate()
    start = today.replace(day=1)
    ops = Operation.objects.restrict(user).filter(performed_on__gte=start, performed_on__lte=today)
    base = ops.aggregate(households=Sum("households_covered"), count=Count("pk"))
    count = base["count"]
    checks = FollowUpCheck.objects.filter(operation__in=ops.order_by().values("pk")).aggregate(
        checked=Sum("households_checked"), bought=Sum("households_bought"), retained=Sum("households_retained")
    )
    horizon = today + timedelta(days=settings.PEST_STOCK_EXPIRY_WARN_DAYS)
    expiring = batch_totals(StockMovement.objects.restrict(user)).filter(expires_on__lte=horizon).count()
    if not count and not expiring and not always:
        return None  # the home page leaves the panel out; the pest-control overview shows zeros
    drugs = drug_totals(ops) if count else {"kg": 0, "litres": 0}
    params = {"start": start.isoformat(), "end": today.isoformat()}
    if user.jurisdiction_id:
        params["jurisdiction"] = user.jurisdiction_id
    return {
        "count": count,
        "households": base["households"] or 0,
        **drugs,
        **followup_rates(checks["checked"] or 0, checks["bought"] or 0, checks["retained"] or 0),
        "expiring": expiring,
        "start": start,
        "today": today,
        "list_url": f"{reverse('pestcontrol:operation_list')}?{urlencode(params)}",
        "stores_url": reverse("pestcontrol:store_list"),
    }
