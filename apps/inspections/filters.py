"""The inspection lists' filters: sheets (page, export, API list), appeals, published rankings
(apps/core/filters.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, FlagFilter, ScopedModelChoiceFilter, SearchFilter, StrictFilterSet

from .choices import AppealStatus, InspectionStatus
from .models import Appeal, Inspection, InspectionRound


def rounds_in_scope(request):
    """The rounds the user has sheets of: an id of any other round is an unknown value."""
    return InspectionRound.objects.filter(pk__in=Inspection.objects.restrict(request.user, "view").values("round_id"))


class InspectionFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("target_unit__name", "target_jurisdiction__name"))
    status = ChoiceFilter(label=_("状态"), choices=InspectionStatus.choices)
    mine = FlagFilter(label=_("我的检查"), method="filter_mine")
    round = ScopedModelChoiceFilter(label=_("检查轮次"), queryset=rounds_in_scope)

    class Meta:
        model = Inspection
        fields = []

    def filter_mine(self, qs, name, value):
        return qs.filter(inspector=self.request.user)


class AppealFilterSet(StrictFilterSet):
    status = ChoiceFilter(label=_("状态"), choices=AppealStatus.choices)

    class Meta:
        model = Appeal
        fields = []
