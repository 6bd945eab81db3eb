"""Reads of the organisation, always restricted to what the user may see."""

from django.db.models import Count, QuerySet, Sum

from .choices import UnitStatus
from .filters import JurisdictionFilterSet, StaffFilterSet, UnitFilterSet, ZoneFilterSet
from .models import Jurisdiction, JurisdictionLevel, Staff, Unit, UnitType, WorkGroup, Zone


def unit_list(*, user, filters=None) -> QuerySet[Unit]:
    """Units the user may see, filtered by type, status, jurisdiction subtree and text (UnitFilterSet)."""
    qs = Unit.objects.restrict(user, "view").select_related("unit_type", "jurisdiction")
    return UnitFilterSet.apply(qs, filters, user=user).order_by("name", "id")


def jurisdiction_list(*, user, filters=None) -> QuerySet[Jurisdiction]:
    qs = Jurisdiction.objects.restrict(user, "view").select_related("level", "parent")
    return JurisdictionFilterSet.apply(qs, filters, user=user).order_by("path")


def jurisdiction_children_with_counts(*, user, node: Jurisdiction) -> list[Jurisdiction]:
    """Direct children of `node`, each annotated with its subtree's unit count.

    Two queries whatever the fan-out: units are counted per jurisdiction in one
    aggregate and folded onto the child whose id follows `node.path`.
    """
    children = list(
        Jurisdiction.objects.restrict(user, "view").filter(parent=node).select_related("level").order_by("code")
    )
    if not children:
        return []
    per_path = (
        Unit.objects.restrict(user, "view")
        .filter(jurisdiction__path__within=node.path)
        .exclude(jurisdiction=node)
        .values_list("jurisdiction__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, int] = {}
    for path, n in per_path:
        child_id = int(path[len(node.path) :].split("/", 1)[0])
        counts[child_id] = counts.get(child_id, 0) + n
    for child in children:
        child.unit_count = counts.get(child.pk, 0)
    return children


def jurisdiction_summary(*, user, node: Jurisdiction) -> dict:
    """Real counts for a subtree: sub-jurisdictions per level, units per type, people, zones."""
    subtree = Jurisdiction.objects.filter(path__within=node.path)
    levels = (
        subtree.exclude(pk=node.pk).values("level__name", "level__rank").annotate(n=Count("id")).order_by("level__rank")
    )
    units = Unit.objects.restrict(user, "view").filter(jurisdiction__path__within=node.path)
    by_type = list(units.values("unit_type__name").annotate(n=Count("id")).order_by("-n"))
    status_counts = dict(units.values_list("status").annotate(n=Count("id")))
    # Population is recorded once per node; sum only the leaves-most level that has it
    # would double count, so the node's own figure is the source of truth when set.
    child_population = subtree.filter(parent=node).aggregate(p=Sum("population"), h=Sum("households"))
    return {
        "node": node,
        "levels": list(levels),
        "unit_total": sum(row["n"] for row in by_type),
        "units_by_type": by_type,
        "units_operating": status_counts.get(UnitStatus.OPERATING, 0),
        "population": node.population or child_population["p"] or 0,
        "households": node.households or child_population["h"] or 0,
        "staff_total": Staff.objects.restrict(user, "view").filter(jurisdiction__path__within=node.path).count(),
        "zone_total": Zone.objects.restrict(user, "view").filter(jurisdiction__path__within=node.path).count(),
        "group_total": WorkGroup.objects.restrict(user, "view").filter(jurisdiction__path__within=node.path).count(),
    }


def jurisdiction_choices(*, user, action: str = "view", levels_below: int | None = None) -> QuerySet[Jurisdiction]:
    """Jurisdictions a user may pick in a form (dropdowns show only what may be chosen); with
    `levels_below`, only down to that many levels under the user's own (a record of a community
    is not filed on a building)."""
    qs = Jurisdiction.objects.restrict(user, action)
    if levels_below is not None and user.jurisdiction is not None:
        qs = qs.filter(depth__lte=user.jurisdiction.depth + levels_below)
    return qs.select_related("level").order_by("path")


def unit_type_choices() -> QuerySet[UnitType]:
    return UnitType.objects.filter(is_active=True)


def level_choices() -> QuerySet[JurisdictionLevel]:
    return JurisdictionLevel.objects.all()


def staff_list(*, user, filters=None) -> QuerySet[Staff]:
    qs = Staff.objects.restrict(user, "view").select_related("jurisdiction", "unit")
    return StaffFilterSet.apply(qs, filters, user=user).order_by("jurisdiction__path", "name")


def zone_list(*, user, filters=None) -> QuerySet[Zone]:
    qs = Zone.objects.restrict(user, "view").select_related("jurisdiction")
    qs = ZoneFilterSet.apply(qs, filters, user=user)
    return qs.prefetch_related("assignments__unit", "assignments__staff").order_by("jurisdiction__path", "name")


def group_list(*, user) -> QuerySet[WorkGroup]:
    return (
        WorkGroup.objects.restrict(user, "view")
        .select_related("jurisdiction", "parent")
        .annotate(member_count=Count("members"))
        .order_by("jurisdiction__path", "kind", "name")
    )
