"""Who should fix it: "部件先属主、后属地；事件先属地、后属主".

For a facility (部件) the owner comes first: the unit holding a responsibility zone
(包干区域/门前三包) that contains the point, then the property company of the 小区.
For an event (事件) the territory comes first: the 小区's property company, then zone
holders. The community's own staff are the last resort. The dispatcher may override.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.organization.choices import UnitStatus
from apps.organization.models import Unit, Zone

from .choices import CategoryKind
from .geo import contains


@dataclass
class Suggestion:
    unit: Unit
    reason: str


def _zone_holders(case) -> list[Suggestion]:
    if case.lat is None:
        return []
    zones = (
        Zone.objects.filter(jurisdiction__path__within=_community_path(case))
        .exclude(boundary__isnull=True)
        .prefetch_related("assignments__unit")
    )
    found = []
    for zone in zones:
        if contains(zone.boundary, case.lat, case.lng):
            holder = zone.current_assignment.unit if zone.current_assignment else None
            if holder and holder.status == UnitStatus.OPERATING:
                found.append(Suggestion(holder, _("责任区“{zone}”的责任单位").format(zone=zone.name)))
    return found


def _community_path(case) -> str:
    """The community level and below: zones and property companies are looked up there."""
    parts = case.jurisdiction.path.strip("/").split("/")
    return "/".join(parts[: min(len(parts), 4)]) + "/"


def _property_companies(case) -> list[Suggestion]:
    estate_path = case.jurisdiction.path
    if case.jurisdiction.level.rank > 50:  # a grid or building: look at its 小区
        parts = estate_path.strip("/").split("/")
        estate_path = "/".join(parts[:5]) + "/"
    units = Unit.objects.filter(
        unit_type__code="property", status=UnitStatus.OPERATING, jurisdiction__path__within=estate_path
    )
    return [Suggestion(u, _("所在小区的物业公司")) for u in units[:3]]


def suggest_assignees(case) -> list[Suggestion]:
    owners, territory = _zone_holders(case), _property_companies(case)
    ordered = owners + territory if case.category.kind == CategoryKind.COMPONENT else territory + owners
    seen, result = set(), []
    for suggestion in ordered:
        if suggestion.unit.pk not in seen:
            seen.add(suggestion.unit.pk)
            result.append(suggestion)
    return result
