"""The organisation lists' filters (pages, exports and API lists alike; apps/core/filters.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.filters import ChoiceFilter, ScopedModelChoiceFilter, SearchFilter, StrictFilterSet, TextFilter
from apps.core.personal import Part, PersonKind

from .choices import UnitStatus, ZoneKind
from .models import Jurisdiction, JurisdictionLevel, Staff, Unit, UnitType, Zone


def jurisdictions_in_scope(request):
    return Jurisdiction.objects.restrict(request.user, "view")


class SubtreeFilter(ScopedModelChoiceFilter):
    """A jurisdiction in scope; the rows of its whole subtree."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", jurisdictions_in_scope)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(jurisdiction__path__within=value.path) if value else qs


class UnitFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("name", "address", "contact_name"))
    unit_type = ScopedModelChoiceFilter(label=_("单位类型"), queryset=lambda request: UnitType.objects.all())
    status = ChoiceFilter(label=_("经营状态"), choices=UnitStatus.choices)
    jurisdiction = SubtreeFilter(label=_("辖区"))

    class Meta:
        model = Unit
        fields = []


class JurisdictionFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("name", "code"))
    level = ScopedModelChoiceFilter(label=_("层级"), queryset=lambda request: JurisdictionLevel.objects.all())
    parent = ScopedModelChoiceFilter(label=_("上级辖区"), queryset=jurisdictions_in_scope)

    class Meta:
        model = Jurisdiction
        fields = []


class StaffFilterSet(StrictFilterSet):
    q = SearchFilter(
        label=_("关键词"),
        search_fields=("name", "post"),
        personal_fields=(("phone", PersonKind.STAFF, Part.PHONE),),
    )
    jurisdiction = SubtreeFilter(label=_("辖区"))

    class Meta:
        model = Staff
        fields = []


class ZoneFilterSet(StrictFilterSet):
    q = SearchFilter(label=_("关键词"), search_fields=("name",))
    kind = ChoiceFilter(label=_("类别"), choices=ZoneKind.choices)

    class Meta:
        model = Zone
        fields = []


class MapSearchFilterSet(StrictFilterSet):
    """The map's place search (`?q=`): bounded text like every list's search."""

    q = TextFilter(label=_("关键词"), method="filter_nothing")

    def filter_nothing(self, qs, name, value):
        return qs  # views_map searches units, addresses and areas itself
