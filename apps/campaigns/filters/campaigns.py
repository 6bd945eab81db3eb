"""The campaign list's filters (page and API)."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, ScopedModelChoiceFilter, SearchFilter, StrictFilterSet
from apps.organization.models import Jurisdiction

from ..choices import CampaignLevel, CampaignStatus
from ..models import Campaign


class CampaignFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("title",))
    status = ChoiceFilter(label=_("状态"), choices=CampaignStatus.choices)
    level = ChoiceFilter(label=_("创建目标"), choices=CampaignLevel.choices)
    jurisdiction = ScopedModelChoiceFilter(
        label=_("创建辖区"),
        queryset=lambda request: Jurisdiction.objects.restrict(request.user, "view"),
        method="filter_jurisdiction",
    )

    class Meta:
        model = Campaign
        fields = []

    def filter_jurisdiction(self, qs, name, value):
        return qs.filter(jurisdiction__path__startswith=value.path) if value else qs
