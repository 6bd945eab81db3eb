"""Home-page panels of the organisation: the user's area in figures, or the user's own unit."""

from django.utils.translation import gettext

from apps.core.charts import map_data, pie_data

from .models import Unit
from .selectors import jurisdiction_children_with_counts, jurisdiction_summary


def area(request) -> dict | None:
    """Population, households, units and the areas below, for staff bound to a jurisdiction."""
    user = request.user
    if not user.jurisdiction_id:
        return None
    node = user.jurisdiction
    summary = jurisdiction_summary(user=user, node=node)
    children = jurisdiction_children_with_counts(user=user, node=node)
    return {
        "summary": summary,
        "children": children,
        # Seeded type names have catalogue entries (defaults.py); typed ones stay as typed.
        "chart_data": [
            {**row, "name": gettext(row["name"])} for row in pie_data(summary["units_by_type"], "unit_type__name")
        ],
        "map_data": map_data(node=node, points=children, boundaries=children),
    }


def own_unit(request) -> dict | None:
    """The unit a unit contact speaks for (one query, with its type and place)."""
    user = request.user
    if not user.unit_id:
        return None
    unit = Unit.objects.select_related("unit_type", "jurisdiction").filter(pk=user.unit_id).first()
    return {"unit": unit} if unit is not None else None
