"""Data for the map and chart widgets, passed to templates through `json_script`."""


def _num(value):
    return float(value) if value is not None else None


def map_data(*, node=None, points=(), boundaries=()) -> dict:
    """A Leaflet map: the node's boundary and centre, child boundaries and labelled points."""
    return {
        "center": [_num(node.center_lat), _num(node.center_lng)] if node is not None and node.center_lat else None,
        "boundary": node.boundary if node is not None else None,
        "boundaries": [
            {"label": b.name, "url": b.get_absolute_url(), "geometry": b.boundary} for b in boundaries if b.boundary
        ],
        "points": [
            {
                "lat": _num(p.center_lat if hasattr(p, "center_lat") else p.lat),
                "lng": _num(p.center_lng if hasattr(p, "center_lng") else p.lng),
                "label": str(p),
                "url": p.get_absolute_url(),
            }
            for p in points
            if (getattr(p, "center_lat", None) or getattr(p, "lat", None)) is not None
        ],
    }


def pie_data(rows, name_key: str, value_key: str = "n") -> list[dict]:
    return [{"name": row[name_key], "value": row[value_key]} for row in rows]
