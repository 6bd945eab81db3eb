"""What a map shows when there is no tile server: named outlines and named places to find.

Without tiles a Leaflet map is an empty grey box; these layers give it the landmarks a
person knows (the names of communities and estates, the units on their street), so they
can find where to tap. Everything is read through `restrict()`: a map shows no more than
the lists do. Unit contacts and phones are never included.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from .choices import UnitStatus
from .models import Jurisdiction, Unit

# Enough for a street with every estate and grid, and a few hundred units, in well under
# a megabyte; a city-wide account gets the upper levels first (ordered by depth).
MAX_AREAS = 400
MAX_UNITS = 1500
MAX_RESULTS = 20


def _geometry(boundary):
    """The bare geometry of a stored boundary (the validator also accepts a Feature)."""
    if isinstance(boundary, dict) and boundary.get("type") == "Feature":
        return boundary.get("geometry")
    return boundary


def _positions(coordinates):
    """Every [lng, lat] position of a (Multi)Polygon's nested coordinate lists."""
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield coordinates
        return
    for part in coordinates or ():
        yield from _positions(part)


def geometry_bounds(geometry) -> list[list[float]] | None:
    """[[south, west], [north, east]] of a GeoJSON geometry, or None when it has no positions."""
    points = [p for p in _positions((geometry or {}).get("coordinates")) if len(p) >= 2]
    if not points:
        return None
    lngs, lats = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return [[min(lats), min(lngs)], [max(lats), max(lngs)]]


def _area(node) -> dict | None:
    geometry = _geometry(node.boundary)
    bounds = geometry_bounds(geometry)
    if bounds is None:
        return None
    if node.center_lat is not None and node.center_lng is not None:
        label_at = [float(node.center_lat), float(node.center_lng)]
    else:
        label_at = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    return {
        "id": node.pk,
        "name": node.name,
        "level": gettext(node.level.name),
        "depth": node.depth,
        "geometry": geometry,
        "bounds": bounds,
        "label_at": label_at,
    }


def _unit(unit) -> dict:
    return {
        "id": unit.pk,
        "name": unit.name,
        "type": gettext(unit.unit_type.name),
        "address": unit.address,
        "jurisdiction_id": unit.jurisdiction_id,
        "lat": float(unit.lat),
        "lng": float(unit.lng),
        "url": reverse("organization:unit_detail", args=[unit.pk]),
    }


def _areas_qs(user):
    return (
        Jurisdiction.objects.restrict(user, "view")
        .exclude(boundary__isnull=True)
        .select_related("level")
        .only("id", "name", "depth", "path", "boundary", "center_lat", "center_lng", "level__name")
    )


def _units_qs(user):
    return (
        Unit.objects.restrict(user, "view")
        .filter(lat__isnull=False, lng__isnull=False)
        .exclude(status=UnitStatus.CANCELLED)
        .select_related("unit_type")
        .only("id", "name", "address", "jurisdiction_id", "lat", "lng", "unit_type__name")
    )


def map_layers(*, user) -> dict:
    """Outlines (upper levels first) and unit points in the user's scope, capped; `truncated` says so."""
    nodes = list(_areas_qs(user).order_by("depth", "path")[: MAX_AREAS + 1])
    units = list(_units_qs(user).order_by("name", "id")[: MAX_UNITS + 1])
    areas = [a for a in (_area(n) for n in nodes[:MAX_AREAS]) if a is not None]
    return {
        "areas": areas,
        "units": [_unit(u) for u in units[:MAX_UNITS]],
        "truncated": len(nodes) > MAX_AREAS or len(units) > MAX_UNITS,
    }


def map_search(*, user, text: str) -> list[dict]:
    """Places matching `text`: jurisdictions by name, units by name or address (at most MAX_RESULTS)."""
    text = text.strip()
    if not text:
        return []
    results = []
    # Half the list at most for areas, so a common word ("幸福") still finds the units.
    for node in _areas_qs(user).filter(name__icontains=text).order_by("depth", "path")[: MAX_RESULTS // 2]:
        area = _area(node)
        if area is not None:
            area.pop("geometry")
            results.append({"kind": "area", **area})
    units = _units_qs(user).filter(Q(name__icontains=text) | Q(address__icontains=text))
    for unit in units.order_by("name", "id")[: MAX_RESULTS - len(results)]:
        results.append({"kind": "unit", **_unit(unit)})
    return results
