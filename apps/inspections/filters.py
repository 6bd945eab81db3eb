"""The inspection lists' filters: sheets (page, export, API list), appeals, published rankings
(apps/core/filters.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import (
    ChoiceFilter,
    DateFilter,
    FlagFilter,
    ScopedModelChoiceFilter,
    SearchFilter,
    StrictFilterSet,
)
from apps.organization.models import Jurisdiction

from .choices import AppealStatus, InspectionStatus
from .models import Appeal, Inspection, InspectionRound


def rounds_in_scope(request):
    """The rounds the user has sheets of: an id of any other round is an unknown value."""
    return InspectionRound.objects.filter(pk__in=Inspection.objects.restrict(request.user, "view").values("round_id"))


def jurisdictions_in_scope(request):
    return Jurisdiction.objects.restrict(request.user, "view")


class InspectionFilterSet(StrictFilterSet):
    """`jurisdiction` takes the target's whole subtree and `start`/`end` bound the inspection day,
    as the ledger's 检查平均得分 figure counts them (its 数据来源 link uses these names)."""

    q = SearchFilter(label=_("关键词"), search_fields=("target_unit__name", "target_jurisdiction__name"))
    status = ChoiceFilter(label=_("状态"), choices=InspectionStatus.choices)
    mine = FlagFilter(label=_("我的检查"), method="filter_mine")
    round = ScopedModelChoiceFilter(label=_("检查轮次"), queryset=rounds_in_scope)
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=jurisdictions_in_scope, method="filter_subtree")
    start = DateFilter(label=_("开始日期"), field_name="inspected_on", lookup_expr="gte")
    end = DateFilter(label=_("结束日期"), field_name="inspected_on", lookup_expr="lte")

    date_ranges = (("start", "end"),)

    class Meta:
        model = Inspection
        fields = []

    def filter_mine(self, qs, name, value):
        return qs.filter(inspector=self.request.user)

    def filter_subtree(self, qs, name, value):
        return qs.filter(target_jurisdiction__path__within=value.path)


class AppealFilterSet(StrictFilterSet):
    status = ChoiceFilter(label=_("状态"), choices=AppealStatus.choices)

    class Meta:
        model = Appeal
        fields = []
