"""The case list's filters: the page, its .xlsx export, the map data, the statistics' links and
the API list all read the same parameters through CaseFilterSet (apps/core/filters.py)."""

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.core.filters import (
    ChoiceFilter,
    DateFilter,
    DateTimeFilter,
    FlagFilter,
    MultipleChoiceFilter,
    ScopedModelChoiceField,
    ScopedModelChoiceFilter,
    SearchFilter,
    StrictFilterSet,
    invalid,
)
from apps.organization.models import Jurisdiction, Unit

from .choices import OPEN_STATUSES, CaseSource, CaseStatus
from .models import Case, Category


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def status_choices():
    return [("open", _("未办结")), ("overdue", _("已超期")), *CaseStatus.choices]


def _jurisdictions(request):
    return Jurisdiction.objects.restrict(request.user, "view")


def _units(request):
    return Unit.objects.restrict(request.user, "view")


class UnitOrNoneField(ScopedModelChoiceField):
    """A unit in scope, or "none" for cases not yet assigned to any unit."""

    def to_python(self, value):
        return "none" if value == "none" else super().to_python(value)


class UnitOrNoneFilter(ScopedModelChoiceFilter):
    field_class = UnitOrNoneField

    def filter(self, qs, value):
        if value == "none":
            return qs.filter(assignee_unit__isnull=True)
        return qs.filter(assignee_unit=value) if value else qs


class CaseFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("code", "address", "description"))
    status = ChoiceFilter(label=_("状态"), choices=status_choices, method="filter_status")
    source = ChoiceFilter(label=_("来源"), choices=CaseSource.choices)
    category = ScopedModelChoiceFilter(
        label=_("问题类别"), queryset=lambda request: Category.objects.all(), method="filter_category"
    )
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_subtree")
    jurisdiction_only = ScopedModelChoiceFilter(
        label=_("所在辖区（不含下级）"), queryset=_jurisdictions, field_name="jurisdiction"
    )
    unit = UnitOrNoneFilter(label=_("责任单位"), queryset=_units)
    created_from = DateFilter(label=_("上报日期起"), method="filter_created_from")
    created_to = DateFilter(label=_("上报日期止"), method="filter_created_to")
    registered = FlagFilter(label=_("已立案"), field_name="registered_at", method="filter_not_null")
    dispatched = FlagFilter(label=_("已派遣"), field_name="dispatched_at", method="filter_not_null")
    handled_on_time = FlagFilter(label=_("按期处置"))
    closed_on_time = FlagFilter(label=_("按期结案"))
    reworked = FlagFilter(label=_("返工"), method="filter_reworked")
    due = FlagFilter(label=_("应结案"), method="filter_due")
    due_by = DateFilter(label=_("应结案截止日期"), method="filter_nothing")
    recurrence = FlagFilter(label=_("重复发生"), field_name="is_recurrence")

    date_ranges = (("created_from", "created_to"),)

    class Meta:
        model = Case
        fields = []

    def filter_status(self, qs, name, value):
        if value == "open":
            return qs.filter(status__in=OPEN_STATUSES)
        if value == "overdue":
            return qs.filter(status=CaseStatus.DISPATCHED, deadline_at__lt=timezone.now())
        return qs.filter(status=value)

    def filter_category(self, qs, name, value):
        return qs.filter(Q(category=value) | Q(category__parent=value))

    def filter_subtree(self, qs, name, value):
        return qs.filter(jurisdiction__path__within=value.path)

    def filter_created_from(self, qs, name, value):
        return qs.filter(created_at__gte=_midnight(value))

    def filter_created_to(self, qs, name, value):
        return qs.filter(created_at__lt=_midnight(value + timedelta(days=1)))

    def filter_not_null(self, qs, name, value):
        return qs.filter(**{f"{name}__isnull": False})

    def filter_reworked(self, qs, name, value):
        return qs.filter(rework_count__gt=0)

    def filter_due(self, qs, name, value):
        # Closed, or past its deadline before the end of `due_by` (and never after now).
        due_by = self.form.cleaned_data.get("due_by")
        limit = min(_midnight(due_by + timedelta(days=1)), timezone.now()) if due_by else timezone.now()
        return qs.filter(Q(status=CaseStatus.CLOSED) | Q(deadline_at__lt=limit))

    def filter_nothing(self, qs, name, value):
        return qs  # read by filter_due


class CaseMapFilterSet(CaseFilterSet):
    """The map's points: the list's filters, open cases unless a status is chosen."""

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        return super().filter_queryset(queryset)


class StatisticsFilterSet(StrictFilterSet):
    """The statistics page's period, grouping and area (its .xlsx export takes the same)."""

    start = DateFilter(label=_("开始日期"))
    end = DateFilter(label=_("结束日期"))
    group_by = ChoiceFilter(
        label=_("统计维度"),
        choices=[(key, key) for key in ("jurisdiction", "unit", "category", "day", "week", "month")],
    )
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions)

    date_ranges = (("start", "end"),)

    class Meta:
        model = Case
        fields = []


# Open311 (GeoReport v2) -----------------------------------------------------------------------

CASE_CODE_FORMAT = re.compile(r"[A-Za-z0-9-]+")


class CaseCodeListField(forms.Field):
    """Comma-separated case codes (`service_request_id`): letters, digits and "-", each within the
    code's length, at most MAX_CODES of them."""

    MAX_CODES = 100

    def to_python(self, value):
        if value in self.empty_values:
            return []
        codes = [part.strip() for part in str(value).split(",") if part.strip()]
        max_length = Case._meta.get_field("code").max_length
        if len(codes) > self.MAX_CODES or any(
            len(code) > max_length or not CASE_CODE_FORMAT.fullmatch(code) for code in codes
        ):
            raise invalid(self.label, _("应为逗号分隔的案件编号（最多 {n} 个）").format(n=self.MAX_CODES))
        return codes


@extend_schema_field(OpenApiTypes.STR)
class CaseCodeListFilter(django_filters.Filter):
    field_class = CaseCodeListField


def _service_codes():
    """The codes of services.json (selectors.category_choices: active 小类)."""
    codes = Category.objects.filter(is_active=True, parent__isnull=False).values_list("code", flat=True)
    return [(code, code) for code in codes]


class Open311RequestFilterSet(StrictFilterSet):
    """GeoReport's request filters; the parameter names are the labels (clients read them)."""

    service_request_id = CaseCodeListFilter(label="service_request_id", method="filter_nothing")
    service_code = MultipleChoiceFilter(label="service_code", choices=_service_codes, method="filter_nothing")
    start_date = DateTimeFilter(label="start_date", method="filter_nothing")
    end_date = DateTimeFilter(label="end_date", method="filter_nothing")
    status = MultipleChoiceFilter(
        label="status", choices=[("open", "open"), ("closed", "closed")], method="filter_nothing"
    )

    date_ranges = (("start_date", "end_date"),)

    class Meta:
        model = Case
        fields = []

    def filter_nothing(self, qs, name, value):
        return qs  # the view applies GeoReport's rules (codes first, a default window)
