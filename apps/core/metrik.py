"""Prometheus metrics (prometheus_client), correct with several processes.

Counters and histograms are recorded in the process where things happen — gunicorn workers,
Celery pool children, the relay. With ``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn.conf.py sets it
for the web; siaks/celery.py for a worker serving ``SIAKS_METRICS_PORT``) each process writes
its samples to files there and a scrape adds them up, so a scrape answered by any one worker
shows the whole server. Gauges that describe the data (outbox lag, pending and dead messages,
the relay's heartbeat, usulan per status) are read from the database at scrape time.

``GET /metrics`` needs ``Authorization: Bearer $SIAKS_METRICS_TOKEN``; without that setting the
endpoint does not exist (404). Worker and relay processes serve their own on
``SIAKS_METRICS_PORT`` when it is set (inside the pod only; no token there — do not expose it).
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
SLOW_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 180)

HTTP_REQUESTS = Counter("siaks_http_requests", "HTTP requests by view, method and status", ["view", "method", "status"])
HTTP_LATENCY = Histogram(
    "siaks_http_request_duration_seconds", "HTTP request latency by view", ["view", "method"], buckets=LATENCY_BUCKETS
)
OUTBOX_PUBLISHED = Counter("siaks_outbox_published", "Outbox messages published to the broker")
OUTBOX_PUBLISH_ERRORS = Counter("siaks_outbox_publish_errors", "Outbox publish attempts the broker refused")
TASKS = Counter("siaks_celery_tasks", "Celery tasks by name and outcome", ["task", "outcome"])
TASK_LATENCY = Histogram("siaks_celery_task_duration_seconds", "Celery task run time", ["task"], buckets=SLOW_BUCKETS)
PDF_RENDER = Histogram(
    "siaks_pdf_render_seconds", "Letter PDF render time (WeasyPrint)", ["jenis"], buckets=SLOW_BUCKETS
)
SIGNING = Histogram("siaks_pdf_signing_seconds", "Letter signing time (pyHanko)", ["jenis"], buckets=SLOW_BUCKETS)
LOGIN_FAILURES = Counter("siaks_login_failures", "Failed logins (pages and API token)")
LOGIN_LOCKOUTS = Counter("siaks_login_lockouts", "Logins locked out by django-axes")

UNKNOWN_VIEW = "tidak_dikenal"


@contextlib.contextmanager
def ukur(histogram: Histogram, **labels):
    started = time.perf_counter()
    try:
        yield
    finally:
        histogram.labels(**labels).observe(time.perf_counter() - started)


def ukur_render(jenis: str):
    """``with metrik.ukur_render(versi.surat.jenis): …`` around a PDF render."""
    return ukur(PDF_RENDER, jenis=jenis or "-")


def ukur_tanda_tangan(jenis: str = "-"):
    """The hook for signing code: ``with metrik.ukur_tanda_tangan(jenis): sign(...)``."""
    return ukur(SIGNING, jenis=jenis or "-")


def catat_tanda_tangan(detik: float, jenis: str = "-") -> None:
    SIGNING.labels(jenis=jenis or "-").observe(detik)


# --------------------------------------------------------------------------- signals


def login_gagal(sender=None, **kwargs) -> None:
    LOGIN_FAILURES.inc()


def login_terkunci(sender=None, **kwargs) -> None:
    LOGIN_LOCKOUTS.inc()


def tugas_selesai(task_id=None, task=None, state=None, **kwargs) -> None:
    name = getattr(task, "name", None) or "-"
    TASKS.labels(task=name, outcome=(state or "UNKNOWN").lower()).inc()
    started = getattr(getattr(task, "request", None), "siaks_mulai", None)
    if started:
        TASK_LATENCY.labels(task=name).observe(time.perf_counter() - started)


# --------------------------------------------------------------------------- requests


class MetrikMiddleware:
    """Requests by view (the URL name: bounded, never the raw path), method and status, with latency."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            match = getattr(request, "resolver_match", None)
            view = (match.view_name or UNKNOWN_VIEW) if match else _path_view(request.path)
            method = request.method if request.method in {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"} else "LAIN"
            HTTP_REQUESTS.labels(view=view, method=method, status=str(status)).inc()
            HTTP_LATENCY.labels(view=view, method=method).observe(time.perf_counter() - started)


def _path_view(path: str) -> str:
    if path.startswith("/sehat/"):
        return "sehat"
    if path.startswith("/static/"):
        return "static"
    if path.rstrip("/") == "/metrics":
        return "metrics"
    return UNKNOWN_VIEW


# --------------------------------------------------------------------------- scrape


#: Functions yielding gauge families read from the database at scrape time, registered by the
#: apps that own the data (core sits below them: apps.pengusulan registers usulan per status).
DATA: list = []


def daftarkan_data(fungsi):
    """Decorator: ``fungsi()`` yields prometheus metric families; it runs in a transaction with
    every tenant in scope (counts over all instansi)."""
    DATA.append(fungsi)
    return fungsi


class DataCollector:
    """Gauges read from the database when scraped."""

    def collect(self):
        from django.db import transaction
        from django.db.models import Count, Min
        from django.utils import timezone

        from apps.core import sehat, tenancy
        from apps.core.models import OutboxMessage

        families = []
        try:
            with tenancy.all_tenants(reason="metrics: counts over every instansi"), transaction.atomic():
                pending = OutboxMessage.objects.filter(published_at__isnull=True, dead_at__isnull=True).aggregate(
                    n=Count("id"), oldest=Min("created_at")
                )
                dead = OutboxMessage.objects.filter(dead_at__isnull=False).count()
                for fungsi in DATA:
                    families.extend(fungsi())
        except Exception:
            logger.warning("metrics: database figures unavailable", exc_info=True)
            return
        lag = 0.0 if pending["oldest"] is None else (timezone.now() - pending["oldest"]).total_seconds()
        yield GaugeMetricFamily("siaks_outbox_lag_seconds", "Age of the oldest unpublished outbox message", value=lag)
        yield GaugeMetricFamily("siaks_outbox_pending", "Outbox messages waiting to be published", value=pending["n"])
        yield GaugeMetricFamily("siaks_outbox_dead", "Outbox messages in the dead-letter state", value=dead)
        age = sehat.status_outbox_denyut()
        if age is not None:
            yield GaugeMetricFamily(
                "siaks_outbox_relay_heartbeat_age_seconds", "Seconds since the relay's last round", value=age
            )
        yield from families


def registry() -> CollectorRegistry:
    """The process's own metrics, or every process's when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        reg = CollectorRegistry()
        multiprocess.MultiProcessCollector(reg)
        return reg
    from prometheus_client import REGISTRY

    return REGISTRY


def metrics_view(request):
    from django.conf import settings
    from django.http import Http404, HttpResponse
    from prometheus_client import CONTENT_TYPE_LATEST

    token = getattr(settings, "SIAKS_METRICS_TOKEN", None)
    if not token:
        raise Http404
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("token metrik salah atau tidak ada\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = "Bearer"
        return response
    reg = registry()
    body = generate_latest(reg)
    data = CollectorRegistry()
    data.register(DataCollector())
    body += generate_latest(data)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def mulai_server_http() -> None:
    """Worker and relay: serve this process's (and its children's) metrics on SIAKS_METRICS_PORT."""
    port = os.environ.get("SIAKS_METRICS_PORT")
    if not port:
        return
    from prometheus_client import start_http_server

    start_http_server(int(port), addr=os.environ.get("SIAKS_METRICS_ADDR", "0.0.0.0"), registry=registry())  # noqa: S104
    logger.info("metrics served on port %s", port)
