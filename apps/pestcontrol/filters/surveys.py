"""Strict filters of the survey list (the page, its .xlsx export and the API list), and of the
grade page. `jurisdiction=<id>&start=&end=` select the surveys of a subtree dated in the period,
so every figure links to exactly the surveys it pools."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, DateFilter, FlagFilter, ScopedModelChoiceFilter, StrictFilterSet
from apps.organization.models import Jurisdiction

from .. import methods
from ..choices import Pest, PlaceType, SurveyPhase
from ..models import ControlVersion, MethodSetting, PestCampaign, Survey

PERIODS = [("month", _("月")), ("quarter", _("季度")), ("year", _("年"))]


def _jurisdictions(request):
    return Jurisdiction.objects.restrict(request.user, "view")


def _campaigns(request):
    return PestCampaign.objects.restrict(request.user, "view")


def _versions(request):
    return ControlVersion.objects.restrict(request.user, "view")


def below_minimum_q(minimums: dict[str, int]) -> Q:
    """Surveys whose sample is under their method's minimum."""
    below = Q(pk__in=[])
    for code, minimum in minimums.items():
        below |= Q(method=code, sample_size__lt=minimum)
    return below


class SurveyFilterSet(StrictFilterSet):
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_area")
    pest = ChoiceFilter(label=_("病媒种类"), choices=Pest.choices)
    method = ChoiceFilter(label=_("监测方法"), choices=methods.method_choices)
    place_type = ChoiceFilter(label=_("场所类型"), choices=PlaceType.choices)
    campaign = ScopedModelChoiceFilter(label=_("所属行动"), queryset=_campaigns)
    phase = ChoiceFilter(label=_("防制前后"), choices=[c for c in SurveyPhase.choices if c[0]])
    start = DateFilter(label=_("开始日期"), field_name="surveyed_on", lookup_expr="gte")
    end = DateFilter(label=_("结束日期"), field_name="surveyed_on", lookup_expr="lte")
    below = FlagFilter(label=_("只看样本量不足"), method="filter_below")

    date_ranges = (("start", "end"),)

    class Meta:
        model = Survey
        fields = []

    def filter_area(self, qs, name, value):
        return qs.filter(jurisdiction__path__within=value.path)

    def filter_below(self, qs, name, value):
        return qs.filter(below_minimum_q(MethodSetting.minimums()))


class GradeFilterSet(StrictFilterSet):
    """The grade page: a node (default: the user's own), a period (month, quarter or year
    containing `on`, default this year) and optionally a version to compare."""

    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_nothing")
    period = ChoiceFilter(label=_("统计周期"), choices=PERIODS, method="filter_nothing")
    on = DateFilter(label=_("日期"), method="filter_nothing")
    version = ScopedModelChoiceFilter(label=_("比较版本"), queryset=_versions, method="filter_nothing")

    class Meta:
        model = Survey
        fields = []

    def filter_nothing(self, qs, name, value):
        return qs
