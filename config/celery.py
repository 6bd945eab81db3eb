"""Celery application.

Production points ``CELERY_BROKER_URL`` at Redis and runs ``celery worker`` and
``celery beat``. The embedded default uses kombu's filesystem transport under
``var/broker`` so a worker started beside the web server needs no other service.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("chuangwei")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
