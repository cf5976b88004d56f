"""Optional error reporting (Sentry) and tracing (OpenTelemetry), switched on by environment
variables. Neither is a dependency of siaks: install the packages in the image that uses them
(``pip install sentry-sdk`` / ``pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http
opentelemetry-instrumentation-django opentelemetry-instrumentation-celery
opentelemetry-instrumentation-psycopg``). A variable set without its package logs a warning and
the portal runs on.

* ``SENTRY_DSN`` (with ``SENTRY_ENVIRONMENT``, ``SENTRY_TRACES_SAMPLE_RATE``, default 0): errors of
  the web and the workers; no personal data is sent (``send_default_pii=False``) and event
  strings go through the log redaction (passwords, tokens, NIP/NIK).
* ``OTEL_EXPORTER_OTLP_ENDPOINT`` (with the standard ``OTEL_*`` variables, ``OTEL_SERVICE_NAME``
  default ``siaks``): traces of requests, Celery tasks and SQL, exported over OTLP/HTTP.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)
_done = False


def _scrub(event, hint):
    from apps.core.logs import redaksi

    return redaksi(None, None, event)


def aktifkan() -> dict[str, bool]:
    """Start what the environment asks for; return what started. Idempotent."""
    global _done
    started = {"sentry": False, "otel": False}
    if _done:
        return started
    _done = True
    dsn = os.environ.get("SENTRY_DSN")
    if dsn:
        try:
            import sentry_sdk
            from sentry_sdk.integrations.celery import CeleryIntegration
            from sentry_sdk.integrations.django import DjangoIntegration
        except ImportError:
            logger.warning("SENTRY_DSN is set but sentry-sdk is not installed: error reporting is off")
        else:
            sentry_sdk.init(
                dsn=dsn,
                environment=os.environ.get("SENTRY_ENVIRONMENT"),
                traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
                send_default_pii=False,
                integrations=[DjangoIntegration(), CeleryIntegration()],
                before_send=_scrub,
            )
            started["sentry"] = True
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        try:
            from opentelemetry import trace
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.instrumentation.django import DjangoInstrumentor
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor
        except ImportError:
            logger.warning("OTEL_EXPORTER_OTLP_ENDPOINT is set but the OpenTelemetry packages are not installed")
        else:
            provider = TracerProvider(
                resource=Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "siaks")})
            )
            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            trace.set_tracer_provider(provider)
            DjangoInstrumentor().instrument()
            for module, name in (
                ("opentelemetry.instrumentation.celery", "CeleryInstrumentor"),
                ("opentelemetry.instrumentation.psycopg", "PsycopgInstrumentor"),
            ):
                try:
                    instrumentor = getattr(__import__(module, fromlist=[name]), name)
                except ImportError:
                    continue
                instrumentor().instrument()
            started["otel"] = True
    return started
