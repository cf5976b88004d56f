"""Celery application. Requests never publish to the broker: services write to the outbox
(apps.core.outbox) and the relay publishes (see docs/architecture.md)."""

import os
import tempfile

from celery import Celery, bootsteps, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaks.settings.dev")
if os.environ.get("SIAKS_METRICS_PORT") and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # The pool children record task metrics; the main process serves them all (apps/core/metrik.py).
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="siaks-prometheus-worker-")

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
        from siaks import probe  # imported here: `python -m siaks.probe` must not find it loaded

        probe.touch("worker")
        self.tref = worker.timer.call_repeatedly(probe.interval(), probe.touch, ("worker",), priority=10)

    def stop(self, worker):
        from siaks import probe

        if self.tref is not None:
            self.tref.cancel()
        probe.remove("worker")


app.steps["worker"].add(LivenessProbe)


@signals.worker_ready.connect
def _serve_metrics(sender=None, **kwargs):
    from apps.core import metrik

    metrik.mulai_server_http()


@signals.worker_process_shutdown.connect
def _forget_dead_child(pid=None, **kwargs):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())


@signals.task_prerun.connect(dispatch_uid="siaks-db-lepas-mulai")
@signals.task_postrun.connect(dispatch_uid="siaks-db-lepas-selesai")
def _lepas_koneksi_db(sender=None, **kwargs):
    """Before and after each task, as Django does around each request: a connection that is
    unusable or past CONN_MAX_AGE is closed, i.e. with the pool returned to it (the pool stays;
    see CELERY_DB_REUSE_MAX). Not for a task run eagerly inside the caller's transaction."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
