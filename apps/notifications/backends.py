"""Outbound channels besides the inbox, chosen by settings.NOTIFY_BACKENDS (CHUANGWEI_NOTIFY_BACKENDS)."""

import logging
from abc import ABC, abstractmethod

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
