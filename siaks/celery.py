"""Celery application. Requests never publish to the broker: services write to the outbox
(apps.core.outbox) and the relay publishes (see docs/architecture.md)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaks.settings.dev")

app = Celery("siaks")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
