"""Strict filters of the operations, campaigns and movements lists (pages, .xlsx, API).

`jurisdiction=<id>&start=&end=` select the operations recorded in the jurisdiction's subtree in
the period, so every figure links to exactly the records it counts."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, DateFilter, ScopedModelChoiceFilter, SearchFilter, StrictFilterSet
from apps.organization.models import Jurisdiction

from ..choices import CampaignKind, CampaignStatus, MovementKind, OperationKind, Pest
from ..models import Operation, PestCampaign, Product, StockMovement, Store


def _jurisdictions(request):
    return Jurisdiction.objects.restrict(request.user, "view")


def _campaigns(request):
    return PestCampaign.objects.restrict(request.user, "view")


def _stores(request):
    return Store.objects.restrict(request.user, "view")


def _products(request):
    return Product.objects.all()


class OperationFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("place", "team", "notes"))
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_area")
    start = DateFilter(label=_("开始日期"), field_name="performed_on", lookup_expr="gte")
    end = DateFilter(label=_("结束日期"), field_name="performed_on", lookup_expr="lte")
    pest = ChoiceFilter(label=_("防制对象"), choices=Pest.choices, method="filter_pest")
    campaign = ScopedModelChoiceFilter(label=_("所属行动"), queryset=_campaigns)
    kind = ChoiceFilter(label=_("作业类型"), choices=OperationKind.choices)

    date_ranges = (("start", "end"),)

    class Meta:
        model = Operation
        fields = []

    def filter_area(self, qs, name, value):
        return qs.filter(jurisdiction__path__startswith=value.path)

    def filter_pest(self, qs, name, value):
        return qs.filter(pests__icontains=f'"{value}"')  # portable: SQLite has no JSON containment


class CampaignFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("title", "standard"))
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_area")
    start = DateFilter(label=_("开始日期"), field_name="start_date", lookup_expr="gte")
    end = DateFilter(label=_("结束日期"), field_name="start_date", lookup_expr="lte")
    kind = ChoiceFilter(label=_("行动类型"), choices=CampaignKind.choices)
    status = ChoiceFilter(label=_("状态"), choices=CampaignStatus.choices)

    date_ranges = (("start", "end"),)

    class Meta:
        model = PestCampaign
        fields = []

    def filter_area(self, qs, name, value):
        return qs.filter(jurisdiction__path__startswith=value.path)


class MovementFilterSet(StrictFilterSet):
    store = ScopedModelChoiceFilter(label=_("库房"), queryset=_stores)
    product = ScopedModelChoiceFilter(label=_("药物"), queryset=_products)
    kind = ChoiceFilter(label=_("类型"), choices=MovementKind.choices)
    start = DateFilter(label=_("开始日期"), field_name="moved_on", lookup_expr="gte")
    end = DateFilter(label=_("结束日期"), field_name="moved_on", lookup_expr="lte")

    date_ranges = (("start", "end"),)

    class Meta:
        model = StockMovement
        fields = []
