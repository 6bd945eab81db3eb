"""Strict filters of the health-education activity list (page, .xlsx export, API)."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, IntegerFilter, ScopedModelChoiceFilter, SearchFilter, StrictFilterSet
from apps.organization.models import Jurisdiction

from ..choices import EduKind, EduStatus
from ..models import EducationActivity

MONTHS = [(str(m), _("{m}月").format(m=m)) for m in range(1, 13)]


def _jurisdictions(request):
    return Jurisdiction.objects.restrict(request.user, "view")


class EducationActivityFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("topic", "place", "speaker"))
    kind = ChoiceFilter(label=_("活动类型"), choices=EduKind.choices)
    status = ChoiceFilter(label=_("状态"), choices=EduStatus.choices)
    # Years a date can hold in this product (a plan year is 2000–2100): year=0 is refused, not a 500.
    year = IntegerFilter(label=_("年度"), field_name="held_on__year", min_value=2000, max_value=2100)
    month = ChoiceFilter(label=_("月份"), choices=MONTHS, method="filter_month")
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_subtree")

    class Meta:
        model = EducationActivity
        fields = []

    def filter_month(self, qs, name, value):
        return qs.filter(held_on__month=int(value))

    def filter_subtree(self, qs, name, value):
        return qs.filter(jurisdiction__path__startswith=value.path)
