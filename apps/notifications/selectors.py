"""Reading notifications."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import Notification


def notification_list(*, user, limit: int = 100) -> QuerySet[Notification]:
    """The user's inbox, newest first (only their own messages)."""
    return user.notifications.all()[:limit]


def notifications_about(obj) -> QuerySet[Notification]:
    """Every notification whose target is `obj`, whoever received it."""
    return Notification.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)
