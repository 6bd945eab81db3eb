"""The task lists' filters: a campaign's 任务分解表, my tasks, the .xlsx export and the API list."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filters import (
    ChoiceFilter,
    FlagFilter,
    IntegerFilter,
    ScopedModelChoiceFilter,
    SearchFilter,
    StrictFilterSet,
)
from apps.organization.models import Jurisdiction

from ..choices import TaskOrigin, TaskStatus
from ..models import Task
from ..workflow import mine_q


def status_choices():
    return [("open", _("未办结")), *TaskStatus.choices]


class TaskFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("title", "item__code"))
    campaign = IntegerFilter(label=_("创建项目"), field_name="campaign_id")
    section = IntegerFilter(label=_("大项"), field_name="item__section_id")
    item = IntegerFilter(label=_("标准小项"), field_name="item_id")
    area = ScopedModelChoiceFilter(
        label=_("责任区域"),
        queryset=lambda request: Jurisdiction.objects.restrict(request.user, "view"),
        method="filter_area",
    )
    status = ChoiceFilter(label=_("状态"), choices=status_choices, method="filter_status")
    assignee = IntegerFilter(label=_("责任人"), field_name="assignee_id")
    unassigned = FlagFilter(label=_("未分配"), method="filter_unassigned")
    overdue = FlagFilter(label=_("已逾期"), method="filter_overdue")
    origin = ChoiceFilter(label=_("来源"), choices=TaskOrigin.choices)
    mine = FlagFilter(label=_("我的任务"), method="filter_mine")

    class Meta:
        model = Task
        fields = []

    def filter_area(self, qs, name, value):
        return qs.filter(jurisdiction__path__startswith=value.path) if value else qs

    def filter_status(self, qs, name, value):
        if value == "open":
            return qs.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
        return qs.filter(status=value) if value else qs

    def filter_unassigned(self, qs, name, value):
        return qs.filter(assignee__isnull=True, unit__isnull=True, group__isnull=True)

    def filter_overdue(self, qs, name, value):
        return qs.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS], deadline__lt=timezone.localdate())

    def filter_mine(self, qs, name, value):
        """The tasks given to me: one definition with the home widget (workflow.mine_q)."""
        return qs.filter(mine_q(self.request.user))
