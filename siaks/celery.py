"""Celery application. Requests never publish to the broker: services write to the outbox
(apps.core.outbox) and the relay publishes (see docs/architecture.md)."""

import os

from celery import Celery, bootsteps

from siaks import probe

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaks.settings.dev")

app = Celery("siaks")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class LivenessProbe(bootsteps.StartStopStep):
    """Touch the worker's liveness file from a timer of the worker's own event loop: when the
    main process hangs, the file grows old and ``python -m siaks.probe worker`` fails."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        probe.touch("worker")
        self.tref = worker.timer.call_repeatedly(probe.interval(), probe.touch, ("worker",), priority=10)

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
        probe.remove("worker")


app.steps["worker"].add(LivenessProbe)
