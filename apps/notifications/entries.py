"""What `notifications` contributes: the inbox page (every signed-in user has one)."""

from apps.core.registry import AccessRow, register

register(
    "notifications",
    urls=[("notifications/", "apps.notifications.urls")],
    access=[AccessRow("notifications:list", allowed="grid")],
)
