"""The totals page's query string (数据汇总): a strict filterset and the `Query` it becomes."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.filters import ChoiceFilter, DateFilter, IntegerFilter, StrictFilterSet
from apps.worktime import periods

from . import totals


def _group_choices():
    return [(group.slug, group.slug) for group in totals.figure_groups(None)]


class TotalsFilterSet(StrictFilterSet):
    """The page's query: `jurisdiction` (an id; outside the user's subtree → 404, in
    `totals_query`), `period` with a day `on` inside it, or `start` and `end` (both), and a
    `group` to compute."""

    jurisdiction = IntegerFilter(label=gettext_lazy("辖区"), method="keep")
    period = ChoiceFilter(label=gettext_lazy("周期"), choices=totals.PERIOD_CHOICES, method="keep")
    on = DateFilter(label=gettext_lazy("所在日期"), method="keep")
    start = DateFilter(label=gettext_lazy("开始日期"), method="keep")
    end = DateFilter(label=gettext_lazy("结束日期"), method="keep")
    group = ChoiceFilter(label=gettext_lazy("分组"), choices=_group_choices, method="keep")

    date_ranges = (("start", "end"),)

    def get_form_class(self):
        base = super().get_form_class()

        class Form(base):
            def clean(self):
                cleaned = super().clean()
                if bool(cleaned.get("start")) != bool(cleaned.get("end")) and not self.errors:
                    message = _("自定义期间请同时填写「开始日期」和「结束日期」。")
                    raise ValidationError(message, code="incomplete_range")
                return cleaned

        return Form

    def keep(self, qs, name, value):
        return qs


def totals_query(user, data) -> totals.Query:
    """The page's query from GET `data`: InvalidFilters (400) for malformed input, Http404 for a
    jurisdiction outside the user's subtree (the same answer as a missing one). Without a period
    or a range it is the current month of the user's own jurisdiction."""
    params = TotalsFilterSet(data, totals.jurisdictions_for(user), user=user).params()
    if params.get("jurisdiction") is not None:
        node = totals.jurisdictions_for(user).filter(pk=params["jurisdiction"]).first()
    else:
        node = totals.default_node(user)
    if node is None:
        raise Http404
    group = params.get("group") or ""
    if params.get("start") and params.get("end"):
        return totals.Query(node, totals.CUSTOM, params["start"], params["end"], group)
    return totals.query_for(
        node, params.get("period") or periods.MONTH, params.get("on") or timezone.localdate(), group
    )
