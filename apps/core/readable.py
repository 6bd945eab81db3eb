"""Values as people read them in the audit trail and timelines: labels, not codes.

Audit rows store plain JSON (services already store choice labels and related objects as
text); what is left to make readable here is the shape of a value: booleans, lists,
GeoJSON geometry (summarised, never printed as a dict), ISO dates and nested records.
"""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

# Keys written by shared services, labelled once here (apps add theirs as `audit_fields`).
COMMON_FIELD_LABELS = {
    "note": _("说明"),
    "reason": _("理由"),
    "changes": _("变更"),
    "after": _("内容"),
    "status": _("状态"),
}

GEOMETRY_TYPES = {
    "Point": _("点位"),
    "Polygon": _("范围（多边形）"),
    "MultiPolygon": _("范围（多个多边形）"),
    "LineString": _("线路"),
}


def _geometry_summary(value: dict) -> str:
    kind = GEOMETRY_TYPES.get(value.get("type"), _("地图图形"))
    coordinates = value.get("coordinates") or []
    points = 0
    if value.get("type") == "Polygon":
        points = sum(max(len(ring) - 1, 0) for ring in coordinates)
    elif value.get("type") == "MultiPolygon":
        points = sum(max(len(ring) - 1, 0) for polygon in coordinates for ring in polygon)
    if points:
        return ngettext("{kind}（{n} 个顶点）", "{kind}（{n} 个顶点）", points).format(kind=kind, n=points)
    return str(kind)


def _when(value: str):
    if len(value) == 10:
        parsed = parse_date(value)
        return formats.date_format(parsed, "Y-m-d") if parsed else None
    if len(value) >= 16 and value[4] == "-" and "T" in value:
        parsed = parse_datetime(value)
        if parsed is None:
            return None
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        return parsed.strftime("%Y-%m-%d %H:%M")
    return None


def readable_value(value):
    """One stored value as text a person can read."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, dict):
        if "type" in value and "coordinates" in value:
            return _geometry_summary(value)
        pair = pgettext("key and value", "{key}：{value}")
        parts = [
            pair.format(key=key, value=readable_value(item))
            for key, item in value.items()
            if item not in (None, "", [], {})
        ]
        return pgettext("separator", "；").join(parts) or "—"
    if isinstance(value, list):
        return pgettext("separator", "、").join(str(readable_value(item)) for item in value)
    if isinstance(value, (datetime, date)):
        return formats.date_format(value, "Y-m-d")
    if isinstance(value, str):
        when = _when(value)
        if when:
            return when
        # Labels are recorded in the writer's language (a status, a source, a seeded name): one
        # recorded in Chinese is its catalogue key, so it reads in English too; typed text stays.
        return gettext(value)
    return value


def qualified(name, qualifier) -> str:
    """A dropdown label such as a jurisdiction with its level or a person with their role:
    "name（qualifier）" in Chinese, "name (qualifier)" in English."""
    return pgettext("name and qualifier", "{name}（{qualifier}）").format(name=name, qualifier=qualifier)
