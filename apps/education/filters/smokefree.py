"""Strict filters of the smoke-free place list (the result of the last check is annotated by
the selector as `last_result`; "none" = never checked)."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, ScopedModelChoiceFilter, SearchFilter, StrictFilterSet
from apps.organization.models import Jurisdiction

from ..choices import CheckResult, PlaceKind
from ..models import SmokeFreePlace

NEVER_CHECKED = "none"
LAST_RESULTS = [*CheckResult.choices, (NEVER_CHECKED, _("未检查"))]


def _jurisdictions(request):
    return Jurisdiction.objects.restrict(request.user, "view")


class PlaceFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("name", "address"))
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_subtree")
    kind = ChoiceFilter(label=_("场所类型"), choices=PlaceKind.choices)
    last_result = ChoiceFilter(label=_("最近检查结果"), choices=LAST_RESULTS, method="filter_last_result")

    class Meta:
        model = SmokeFreePlace
        fields = []

    def filter_subtree(self, qs, name, value):
        return qs.filter(jurisdiction__path__startswith=value.path)

    def filter_last_result(self, qs, name, value):
        if value == NEVER_CHECKED:
            return qs.filter(last_result__isnull=True)
        return qs.filter(last_result=value)
