"""The meeting and decision lists' filters: the pages, their .xlsx exports, the API lists and
the figures' links read the same parameters (`jurisdiction`, `start`, `end` among them)."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
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

from . import campaign_link
from .choices import DecisionKind, DecisionStatus, MeetingKind, MeetingStatus
from .models import Attendee, Decision, Meeting

CONDUCTED = "conducted"  # held or archived: what 会议召开次数 counts


def midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def period_q(start, end, prefix: str = "") -> Q:
    """Meetings whose day (held, else planned) lies in [start, end]."""
    q = Q()
    held, planned = f"{prefix}held_at", f"{prefix}starts_at"
    if start:
        q &= Q(**{f"{held}__gte": midnight(start)}) | Q(**{f"{held}__isnull": True, f"{planned}__gte": midnight(start)})
    if end:
        limit = midnight(end + timedelta(days=1))
        q &= Q(**{f"{held}__lt": limit}) | Q(**{f"{held}__isnull": True, f"{planned}__lt": limit})
    return q


def meeting_status_choices():
    return [(CONDUCTED, _("已召开（含已归档）")), *MeetingStatus.choices]


def _jurisdictions(request):
    return Jurisdiction.objects.restrict(request.user, "view")


def _campaigns(request):
    return campaign_link.campaign_queryset().restrict(request.user, "view")


class MeetingFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("topic", "place", "points"))
    kind = ChoiceFilter(label=_("会议类型"), choices=MeetingKind.choices)
    status = ChoiceFilter(label=_("状态"), choices=meeting_status_choices, method="filter_status")
    campaign = ScopedModelChoiceFilter(label=_("创建项目"), queryset=_campaigns)
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_subtree")
    start = DateFilter(label=_("开始日期"), method="filter_nothing")
    end = DateFilter(label=_("结束日期"), method="filter_nothing")
    mine = FlagFilter(label=_("我参加的"), method="filter_mine")

    date_ranges = (("start", "end"),)

    class Meta:
        model = Meeting
        fields = []

    def filter_status(self, qs, name, value):
        if value == CONDUCTED:
            return qs.filter(status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED])
        return qs.filter(status=value)

    def filter_subtree(self, qs, name, value):
        return qs.filter(jurisdiction__path__within=value.path)

    def filter_nothing(self, qs, name, value):
        return qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        start, end = self.form.cleaned_data.get("start"), self.form.cleaned_data.get("end")
        if start or end:
            qs = qs.filter(period_q(start, end))
        return qs

    def filter_mine(self, qs, name, value):
        user = self.request.user
        return qs.filter(pk__in=Attendee.objects.filter(user_id=user.pk, invited=True).values("meeting_id"))


def decision_status_choices():
    return [*DecisionStatus.choices, ("overdue", _("已逾期"))]


class DecisionFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("text", "meeting__topic"))
    kind = ChoiceFilter(label=_("类别"), choices=DecisionKind.choices)
    status = ChoiceFilter(label=_("状态"), choices=decision_status_choices, method="filter_status")
    campaign = ScopedModelChoiceFilter(label=_("创建项目"), queryset=_campaigns, field_name="meeting__campaign")
    jurisdiction = ScopedModelChoiceFilter(label=_("辖区"), queryset=_jurisdictions, method="filter_subtree")
    start = DateFilter(label=_("开始日期"), method="filter_nothing")
    end = DateFilter(label=_("结束日期"), method="filter_nothing")
    on_time = FlagFilter(label=_("按期落实"), method="filter_on_time")
    due = FlagFilter(label=_("已到期或已落实"), method="filter_due")
    mine = FlagFilter(label=_("我负责的"), method="filter_mine")
    counted = FlagFilter(label=_("计入会议统计"), method="filter_counted")

    date_ranges = (("start", "end"),)

    class Meta:
        model = Decision
        fields = []

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        start, end = self.form.cleaned_data.get("start"), self.form.cleaned_data.get("end")
        if start or end:
            qs = qs.filter(period_q(start, end, prefix="meeting__"))
        return qs

    def filter_nothing(self, qs, name, value):
        return qs

    def filter_status(self, qs, name, value):
        if value == DecisionStatus.OPEN:
            return qs.filter(campaign_link.open_q())
        if value == DecisionStatus.DONE:
            return qs.filter(campaign_link.done_q())
        if value == DecisionStatus.CANCELLED:
            return qs.filter(campaign_link.cancelled_q())
        return qs.filter(campaign_link.open_q(), deadline__lt=timezone.localdate())

    def filter_subtree(self, qs, name, value):
        return qs.filter(meeting__jurisdiction__path__within=value.path)

    def filter_counted(self, qs, name, value):
        """What the figures count: decisions of held (or archived) meetings, cancelled ones left
        out, so a figure's link lists exactly its records (evidence.decision_counts)."""
        return qs.filter(meeting__status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED]).exclude(
            campaign_link.cancelled_q()
        )

    def filter_on_time(self, qs, name, value):
        return qs.filter(campaign_link.done_on_time_q())

    def filter_due(self, qs, name, value):
        return (
            qs.filter(deadline__isnull=False)
            .filter(campaign_link.done_q() | Q(deadline__lt=timezone.localdate()))
            .exclude(campaign_link.cancelled_q())
        )

    def filter_mine(self, qs, name, value):
        user = self.request.user
        mine = Q(owner_user_id=user.pk)
        if getattr(user, "unit_id", None):
            mine |= Q(owner_unit_id=user.unit_id)
        return qs.filter(mine)
