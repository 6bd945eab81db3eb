"""Filters of the ledger page: section, ready or not, area."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, ScopedModelChoiceFilter, StrictFilterSet
from apps.organization.models import Jurisdiction
from apps.standards.models import StandardItem, StandardSection


def _sections(request):
    campaign = getattr(request, "ledger_campaign", None)
    if campaign is None:
        return StandardSection.objects.none()
    return StandardSection.objects.filter(version_id=campaign.standard_version_id)


def _areas(request):
    campaign = getattr(request, "ledger_campaign", None)
    if campaign is None:
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.restrict(request.user, "view").filter(path__within=campaign.jurisdiction.path)


class LedgerFilterSet(StrictFilterSet):
    section = ScopedModelChoiceFilter(label=_("大项"), queryset=_sections, method="noop")
    ready = ChoiceFilter(label=_("完备情况"), choices=[("1", _("已完备")), ("0", _("未完备"))], method="noop")
    area = ScopedModelChoiceFilter(label=_("区域"), queryset=_areas, method="noop")

    class Meta:
        model = StandardItem
        fields = []

    def noop(self, qs, name, value):
        return qs
