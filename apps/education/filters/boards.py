"""Strict filters of the bulletin-board list."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, FlagFilter, ScopedModelChoiceFilter, SearchFilter, StrictFilterSet
from apps.organization.models import Jurisdiction

from .. import punctuality
from ..choices import Cadence
from ..models import Board


def _jurisdictions(request):
    return Jurisdiction.objects.restrict(request.user, "view")


def overdue_q(today) -> Q:
    """Boards overdue on `today` (punctuality.overdue_period) as one condition on the stored
    `last_updated_on`: for each cadence, the last complete period was due and the newest update
    is older than its first day (so none in it nor in the current period)."""
    q = Q(pk__in=[])
    for cadence in Cadence.values:
        last = punctuality.previous(cadence, punctuality.period_of(cadence, today))
        q |= Q(cadence=cadence, installed_on__lte=last.start) & (
            Q(last_updated_on__isnull=True) | Q(last_updated_on__lt=last.start)
        )
    return Q(is_active=True) & q


class BoardFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("name", "place"))
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_subtree")
    cadence = ChoiceFilter(label=_("更换周期"), choices=Cadence.choices)
    overdue = FlagFilter(label=_("只看逾期"), method="filter_overdue")

    class Meta:
        model = Board
        fields = []

    def filter_subtree(self, qs, name, value):
        return qs.filter(jurisdiction__path__startswith=value.path)

    def filter_overdue(self, qs, name, value):
        return qs.filter(overdue_q(timezone.localdate()))
