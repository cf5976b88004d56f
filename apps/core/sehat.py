"""Health: liveness and readiness for load balancers, Kubernetes and docker-compose.

* ``/sehat/hidup/`` (liveness): the process answers. Touches no dependency, so a database or
  Redis outage never makes the orchestrator kill healthy web processes.
* ``/sehat/siap/`` (readiness, also ``/sehat/``): every dependency a request needs answers —
  the database *as the application role* (and that role is neither superuser nor BYPASSRLS, or
  row-level security would not apply), Redis (cache and broker), the file storage (a small probe
  object is written, read and deleted) and every migration applied. 503 names what failed. It
  also reports the outbox relay's heartbeat and lag (the oldest unpublished message); those are
  information, not readiness conditions: a late relay delays e-mails and PDFs but every page
  still works, and the alert on the lag belongs to the metrics (docs/operasi.md).

Worker and relay liveness for container probes are files touched by the processes themselves,
checked by ``python -m siaks.probe worker|relay`` (see siaks/probe.py).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

RELAY_HEARTBEAT_KEY = "siaks:outbox:relay-heartbeat"
_migrations_ok = False


class TidakSiap(Exception):
    """A readiness check failed; the message says what (no secrets: it is shown to the prober)."""


def cek_database() -> str:
    conn = connections["default"]
    with conn.cursor() as cursor:
        cursor.execute("SELECT current_user, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user")
        user, superuser, bypassrls = cursor.fetchone()
    expected = settings.DATABASES["default"].get("USER")
    if expected and user != expected:
        raise TidakSiap(f"terhubung sebagai {user}, bukan {expected}")
    if superuser or bypassrls:
        raise TidakSiap(f"peran {user} melewati row-level security (superuser/BYPASSRLS)")
    return "ok"


def _redis_client(url: str):
    import redis

    if url.startswith("redis+socket://"):
        url = "unix://" + url[len("redis+socket://") :]
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def cek_redis() -> str:
    urls = {"broker": settings.CELERY_BROKER_URL}
    cache_conf = settings.CACHES["default"]
    if "redis" in cache_conf["BACKEND"].lower():
        location = cache_conf["LOCATION"]
        urls["cache"] = location[0] if isinstance(location, list | tuple) else location
    for name, url in urls.items():
        try:
            _redis_client(url).ping()
        except Exception as exc:
            raise TidakSiap(f"{name}: {type(exc).__name__}") from exc
    return "ok"


def cek_penyimpanan() -> str:
    from django.core.files.storage import default_storage

    name = f".sehat/{socket.gethostname()}-{os.getpid()}-{time.monotonic_ns()}.txt"
    payload = b"siaks"
    saved = default_storage.save(name, ContentFile(payload))
    try:
        with default_storage.open(saved, "rb") as fh:
            if fh.read() != payload:
                raise TidakSiap("berkas uji terbaca berbeda")
    finally:
        default_storage.delete(saved)
    return "ok"


def cek_migrasi() -> str:
    """Every migration applied; a success is remembered for the life of the process."""
    global _migrations_ok
    if _migrations_ok:
        return "ok"
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise TidakSiap(f"{len(plan)} migrasi belum dijalankan")
    _migrations_ok = True
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": cek_database,
    "redis": cek_redis,
    "penyimpanan": cek_penyimpanan,
    "migrasi": cek_migrasi,
}


def catat_denyut_relay() -> None:
    """Called by the relay on each round: the time of its last heartbeat, in the shared cache."""
    from django.core.cache import cache

    try:
        cache.set(RELAY_HEARTBEAT_KEY, time.time(), timeout=24 * 3600)
    except Exception:  # the cache is down: the file heartbeat (siaks.probe) still works
        logger.debug("relay heartbeat not stored in the cache", exc_info=True)


def status_outbox_denyut() -> float | None:
    """Seconds since the relay's last round, or None when unknown."""
    from django.core.cache import cache

    try:
        beat = cache.get(RELAY_HEARTBEAT_KEY)
    except Exception:
        return None
    return None if beat is None else round(time.time() - float(beat), 1)


def status_outbox() -> dict:
    """The relay's last heartbeat (seconds ago) and the outbox lag: the age in seconds of the
    oldest message not yet published, with how many wait."""
    from django.db.models import Count, Min

    from apps.core.models import OutboxMessage

    info: dict = {"relay_denyut_detik": status_outbox_denyut()}
    agg = OutboxMessage.objects.filter(published_at__isnull=True, dead_at__isnull=True).aggregate(
        n=Count("id"), oldest=Min("created_at")
    )
    info["menunggu"] = agg["n"]
    info["lag_detik"] = 0.0 if agg["oldest"] is None else round((timezone.now() - agg["oldest"]).total_seconds(), 1)
    return info


def wajib() -> set[str]:
    """The checks that decide readiness (``SIAKS_SEHAT_WAJIB``; default all). The others are
    still run and reported. The web keeps serving with Redis down (the cache fails open), so an
    operator may leave ``redis`` out: then a Redis outage does not take every web pod out of
    the load balancer at once."""
    value = getattr(settings, "SIAKS_SEHAT_WAJIB", None)
    if not value:
        return set(CHECKS)
    return {name.strip() for name in value.split(",") if name.strip() in CHECKS}


def jalankan_cek() -> tuple[bool, dict]:
    results: dict[str, str] = {}
    ready = True
    required = wajib()
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:
            ready = ready and name not in required
            detail = str(exc) if isinstance(exc, TidakSiap) else type(exc).__name__
            results[name] = f"gagal: {detail}"
            logger.warning("readiness: %s failed: %s", name, detail)
            # A failed query leaves the connection unusable: start the next check afresh.
            if name in ("database", "migrasi"):
                connections["default"].close_if_unusable_or_obsolete()
    return ready, results


@never_cache
@require_GET
@transaction.non_atomic_requests
def hidup(request):
    """Liveness: the web process answers. Checks no dependency on purpose."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
@transaction.non_atomic_requests
def siap(request):
    """Readiness: 200 when every dependency answers, else 503 naming the failures."""
    ready, results = jalankan_cek()
    body: dict = {"status": "ok" if ready else "tidak siap", "cek": results}
    if results.get("database") == "ok":
        try:
            body["outbox"] = status_outbox()
        except Exception as exc:  # informational only
            body["outbox"] = {"galat": type(exc).__name__}
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "10"
    return response


class SehatMiddleware:
    """Outermost: answers the health paths before sessions, authentication, host validation and
    the HTTPS redirect. A probe carries no cookie and calls the pod by its IP address; a stale
    session cookie or a database outage must not turn liveness into an error page."""

    def __init__(self, get_response):
        self.get_response = get_response
        from apps.core.metrik import metrics_view

        # /metrics too: Prometheus scrapes the pod by its IP address, with a token (apps/core/metrik.py).
        self.routes = {"/sehat/": siap, "/sehat/siap/": siap, "/sehat/hidup/": hidup, "/metrics": metrics_view}

    def __call__(self, request):
        view = self.routes.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
