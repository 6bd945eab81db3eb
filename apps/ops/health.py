"""Health checks for the load balancer, on django-health-check's `HealthCheck` base.

The library ships the database, cache and storage checks; the broker check is ours because the
library's Celery check pings a worker (seconds, and the embedded default has no broker server to
ask). Ours opens a connection to the configured broker (Redis: a PING on a new channel) or, for
the embedded filesystem transport, checks that its queue folders exist and are writable. No
message is sent and nothing is written into the queue.

Messages never carry host names or credentials: the library logs the cause, the detailed view
(administrators only) shows the message, the public body only the check's name and "ok"/"failing".
"""

import dataclasses
import datetime
import os
from pathlib import Path

from celery import current_app
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (or, filesystem transport: its folders are usable)."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self):
        app = current_app
        with app.connection_for_write() as connection:
            if connection.transport.driver_type == "filesystem":
                options = app.conf.broker_transport_options or {}
                for key in ("data_folder_in", "data_folder_out"):
                    folder = Path(options.get(key) or ".")
                    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
                        raise ServiceUnavailable("Broker queue folder missing or not writable")
                return
            try:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=self.timeout.total_seconds())
            except Exception as error:
                raise ServiceUnavailable("Broker unreachable") from error


CHECKS = (
    "health_check.checks.Database",
    "health_check.checks.Cache",
    ("health_check.checks.Cache", {"alias": "shared"}),  # the rate limits' cache
    "apps.ops.health.Broker",
    "health_check.checks.Storage",
)
