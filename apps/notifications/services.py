"""Sending notifications and marking them read."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from .messages import Message, term
from .models import Notification

logger = logging.getLogger(__name__)


def notify(
    recipients, *, kind: str, message: Message | str, target=None, link: str = "", title: str = ""
) -> list[Notification]:
    """In-app rows now (they roll back with the change); SMS/e-mail only once the change is committed.

    `message` is a `Message` (a `gettext_noop` key and its parameters, see messages.py): each
    reader sees it in their language, and `Notification.message` keeps it in the default language.
    A lazy text without parameters is kept by its key too; a plain string is stored as it is.
    `target` is the object the message is about (any model); its page (`get_absolute_url()`)
    and name are stored as the link and title unless given. No write to `target` happens.
    """
    if isinstance(message, Promise):
        found = term(message)
        message = Message(found["term"]) if "context" not in found else str(message)
    key, params = (message.key, message.params) if isinstance(message, Message) else ("", {})
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
        if target is not None:
            title = title or str(target)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    if target is not None:
        link = link or (target.get_absolute_url() if hasattr(target, "get_absolute_url") else "")
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                target_type=target_type,
                target_id=target.pk if target is not None else None,
                kind=kind,
                title=str(title)[:100],
                message=text[:255],
                message_key=key,
                params=params,
                link=link[:200],
            )
            for user in set(recipients)
        ]
    )
    if created and settings.NOTIFY_BACKENDS:
        transaction.on_commit(lambda: _send(created))
    return created


def _send(notifications: list[Notification]) -> None:
    for path in settings.NOTIFY_BACKENDS:
        backend = import_string(path)()
        for notification in notifications:
            try:
                backend.send(notification)
            except Exception:
                logger.exception("notification backend %s failed", path)


@transaction.atomic
def notification_mark_read(*, user, ids=None) -> int:
    """Mark the user's unread notifications (all, or those in `ids`) read; only their own."""
    qs = user.notifications.filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
