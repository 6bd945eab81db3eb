"""Strict filters of the activity and volunteer lists (pages, .xlsx exports, API lists).

`jurisdiction=<id>&start=&end=` select by the roll-up rule of totals.py (owner or covered area
in the subtree), so every figure links to exactly the records it counts."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.filters import (
    ChoiceFilter,
    DateFilter,
    FlagFilter,
    ScopedModelChoiceFilter,
    SearchFilter,
    StrictFilterSet,
)
from apps.core.personal import Part, PersonKind
from apps.organization.models import Jurisdiction

from .choices import NOT_DRIVES, ActivityKind, ActivityStatus
from .models import Activity, OutputMeasure, Volunteer, VolunteerTeam
from .totals import in_area_q


def _jurisdictions(request):
    return Jurisdiction.objects.restrict(request.user, "view")


def _teams(request):
    return VolunteerTeam.objects.restrict(request.user, "view")


def measure_choices():
    return [(m.code, str(m)) for m in OutputMeasure.objects.order_by("sort", "id")]


class ActivityFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("title", "place", "organiser", "outputs__material"))
    kind = ChoiceFilter(label=_("活动类型"), choices=ActivityKind.choices)
    status = ChoiceFilter(label=_("状态"), choices=ActivityStatus.choices)
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_area")
    start = DateFilter(label=_("开始日期"), field_name="held_on", lookup_expr="gte")
    end = DateFilter(label=_("结束日期"), field_name="held_on", lookup_expr="lte")
    measure = ChoiceFilter(label=_("成效计量项"), choices=measure_choices, method="filter_measure")
    # 活动次数 counts drives only (not 设施配备 records): its figure's link carries drives=1.
    drives = FlagFilter(label=_("只含开展的活动（不含设施配备）"), method="filter_drives")

    date_ranges = (("start", "end"),)

    class Meta:
        model = Activity
        fields = []

    def filter_queryset(self, queryset):
        # The keyword may match several output lines of one activity: keep each activity once.
        qs = super().filter_queryset(queryset)
        return Activity.objects.filter(pk__in=qs.order_by().values("pk")) if self.form.cleaned_data.get("q") else qs

    def filter_area(self, qs, name, value):
        return qs.filter(in_area_q(value.path))

    def filter_measure(self, qs, name, value: str):
        # The activities that add to the measure's figure: a line cleared to 0 adds nothing.
        lines = Activity.objects.filter(outputs__measure__code=value, outputs__quantity__gt=0)
        return qs.filter(pk__in=lines.values("pk"))

    def filter_drives(self, qs, name, value):
        return qs.exclude(kind__in=NOT_DRIVES)


class VolunteerFilterSet(StrictFilterSet):
    # The name and phone are searched only by roles that may 显示 them (apps/core/filters.SearchFilter).
    q = SearchFilter(
        label=_("关键词"),
        search_fields=("skills",),
        personal_fields=(("full_name", PersonKind.VOLUNTEER, Part.NAME), ("phone", PersonKind.VOLUNTEER, Part.PHONE)),
    )
    team = ScopedModelChoiceFilter(label=_("志愿服务队"), queryset=_teams)
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_subtree")
    inactive = FlagFilter(label=_("含不在册"), method="filter_nothing")

    class Meta:
        model = Volunteer
        fields = []

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        return qs if self.form.cleaned_data.get("inactive") else qs.filter(is_active=True)

    def filter_subtree(self, qs, name, value):
        return qs.filter(Q(jurisdiction__path__within=value.path))

    def filter_nothing(self, qs, name, value):
        return qs


class TotalsFilterSet(StrictFilterSet):
    """The totals page: a node (default: the user's own) and a period."""

    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_nothing")
    start = DateFilter(label=_("开始日期"), method="filter_nothing")
    end = DateFilter(label=_("结束日期"), method="filter_nothing")

    date_ranges = (("start", "end"),)

    class Meta:
        model = Activity
        fields = []

    def filter_nothing(self, qs, name, value):
        return qs
