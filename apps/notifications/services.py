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
    recipients, *, kind: str, message: Message | str, target=None, link: str = "", title: Message | str = ""
) -> list[Notification]:
    """In-app rows now (they roll back with the change); SMS/e-mail only once the change is committed.

    `message` is a `Message` (a `gettext_noop` key and its parameters, see messages.py): each
    reader sees it in their language, and `Notification.message` keeps it in the default language.
    A lazy text without parameters is kept by its key too; a plain string is stored as it is.
    `target` is the object the message is about (any model); its page (`get_absolute_url()`)
    and name are stored as the link and title unless given (a `Message` title is shown in the
    reader's language too). No write to `target` happens.
    """
    message, title = _as_message(message), _as_message(title)
    key, params = (message.key, message.params) if isinstance(message, Message) else ("", {})
    title_key, title_params = (title.key, title.params) if isinstance(title, Message) else ("", {})
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
        title = str(title) or (str(target) if target is not None else "")
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
                title_key=title_key,
                title_params=title_params,
                link=link[:200],
            )
            for user in set(recipients)
        ]
    )
    if created and settings.NOTIFY_BACKENDS:
        transaction.on_commit(lambda: _send(created))
    return created


def _as_message(text):
    """A lazy text without parameters is kept by its key; a plain string stays as it is."""
    if isinstance(text, Promise) and "context" not in term(text):
        return Message(text)
    return str(text) if isinstance(text, Promise) else text


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
