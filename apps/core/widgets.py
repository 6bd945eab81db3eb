"""The home page's notices panel: the user's unread notifications.

Read through the reverse relation `request.user.notifications` only, so `core` needs no
import of the app that stores them (notifications move to their own app).
"""

SHOWN = 5


def notices(request) -> dict | None:
    """The latest unread notifications and how many there are (two queries)."""
    unread = request.user.notifications.filter(read_at__isnull=True)
    items = list(unread.order_by("-created_at", "-id")[:SHOWN])
    total = len(items) if len(items) < SHOWN else unread.count()
    return {"items": items, "total": total}
