"""Notifications: always in the app inbox; SMS or e-mail through pluggable backends (off by default)."""

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .models import Notification

logger = logging.getLogger(__name__)


class NotificationBackend(ABC):
    """Interface for outbound channels (SMS gateway, e-mail). Delivery failures are logged, not raised."""

    @abstractmethod
    def send(self, notification: Notification) -> None: ...


class LogBackend(NotificationBackend):
    """Writes each notification to the log: a stand-in for an SMS gateway while setting one up."""

    def send(self, notification: Notification) -> None:
        logger.info("notify %s: %s", notification.recipient.username, notification.message)


def notify(recipients, *, case, kind: str, message: str, link: str = "") -> list[Notification]:
    """In-app rows now (they roll back with the change); SMS/e-mail only once the change is committed.

    `link` is the page the message is about when it is not a case (an inspection sheet, an appeal).
    """
    created = Notification.objects.bulk_create(
        [
            Notification(recipient=user, case=case, kind=kind, message=str(message)[:255], link=link)
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
