"""The navigation: the menu entries the apps registered, each shown when the user's role may
open its page (`MenuEntry.visible_to`)."""

from django.conf import settings
from django.urls import reverse

from .registry import registry


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "map_tile_url": settings.MAP_TILE_URL}
    items = [
        {"key": entry.key, "label": entry.label, "url": reverse(entry.url_name)}
        for entry in registry.menu()
        if entry.visible_to(user)
    ]
    # The active entry is the one whose address is the longest prefix of this page's.
    matches = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    active = max(matches, key=lambda item: len(item["url"]))["key"] if matches else "home"
    for item in items:
        item["active"] = item["key"] == active
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "map_tile_url": settings.MAP_TILE_URL, "unread_notifications": unread}
