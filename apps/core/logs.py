"""Structured logs: one JSON object per line (structlog), with a request id that follows the work.

* :class:`RequestIdMiddleware` (outermost) takes the request id from ``X-Request-ID`` when the
  proxy sends a sane one, else makes one; binds it for every log line of the request; logs one
  ``permintaan`` line (method, path without query string, view, status, duration); and returns
  it in the ``X-Request-ID`` response header.
* :class:`LogUserMiddleware` (after authentication) adds ``user_id``, ``instansi_id`` and
  ``peran`` (roles) to the lines of that request.
* :func:`apps.core.outbox.enqueue` stores the request id with the message, the relay sends it as
  a Celery message header, and the worker binds it around the task (signals in
  :mod:`apps.core.apps`): a request's lines and its tasks' lines share ``request_id``. A task
  that enqueues further work passes the id on.
* :func:`redaksi` runs last before rendering: values of keys that name a password, token,
  passphrase, secret, OTP, cookie or session are replaced; 16- and 18-digit numbers (NIK, NIP —
  also a NIP written with spaces) are masked, in every string of the line, the message and the
  traceback included; so are 40-hex API tokens and ``password=…``-style pairs.

Standard-library loggers (Django, Celery, ours) go through the same formatter, so every line is
JSON. ``SIAKS_LOG_FORMAT=konsol`` renders the same lines for humans (the default of ``make run``).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

import structlog

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
HIDDEN = "[disamarkan]"

_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?|kata_?sandi|sandi|token|secret|rahasia|frasa|otp|authori[sz]ation|cookie|session|"
    r"api_?key|private_?key|csrf",
    re.IGNORECASE,
)
_ID_KEY = re.compile(r"^(nip|nik|nip_\w+|nik_\w+)$", re.IGNORECASE)
# 16 (NIK) or 18 (NIP) digits, alone; and the NIP as printed: 8 6 1 3 digits with spaces.
_DIGITS = re.compile(r"(?<![\d.])(\d{18}|\d{16})(?![\d])")
_NIP_SPACED = re.compile(r"(?<!\d)(\d{8}) (\d{6}) (\d) (\d{3})(?!\d)")
_HEX_TOKEN = re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{40}(?![0-9a-fA-F])")
_PAIR = re.compile(
    r"(?i)\b(password|passwd|passphrase|kata_sandi|token|secret|otp|authorization)(\"?\s*[:=]\s*\"?|\s+)"
    r"(Token\s+|Bearer\s+)?([^\s\"',&;]+)"
)


def _mask_digits(match: re.Match) -> str:
    digits = match.group(0)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def samarkan(text: str) -> str:
    """Mask NIP/NIK numbers, API tokens and ``secret=value`` pairs in free text."""
    text = _PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3) or ''}{HIDDEN}", text)
    text = _NIP_SPACED.sub(lambda m: f"{m.group(1)[:4]}**** ****** * **{m.group(4)[-1]}", text)
    text = _DIGITS.sub(_mask_digits, text)
    return _HEX_TOKEN.sub(HIDDEN, text)


def _redact_value(key: str, value):
    if _SECRET_KEY.search(key):
        return HIDDEN
    if _ID_KEY.match(key) and value not in (None, ""):
        return _DIGITS.sub(_mask_digits, re.sub(r"\s", "", str(value)))
    if isinstance(value, str):
        return samarkan(value)
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, v) for v in value]
    return value


def redaksi(logger, method_name, event_dict):
    """structlog processor: no password, token, passphrase or full NIP/NIK leaves the process."""
    return {key: _redact_value(key, value) for key, value in event_dict.items()}


def _drop_private(logger, method_name, event_dict):
    event_dict.pop("_record", None)
    event_dict.pop("_from_structlog", None)
    return event_dict


PRE_CHAIN = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def formatter(fmt: str = "json") -> structlog.stdlib.ProcessorFormatter:
    renderer = (
        structlog.dev.ConsoleRenderer(colors=False)
        if fmt == "konsol"
        else structlog.processors.JSONRenderer(ensure_ascii=False, default=str)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=PRE_CHAIN,
        processors=[_drop_private, structlog.processors.format_exc_info, redaksi, renderer],
    )


def configure() -> None:
    """structlog's own loggers hand their events to the standard library's handlers."""
    structlog.configure(
        processors=[*PRE_CHAIN, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def request_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("request_id")


def new_request_id() -> str:
    return uuid.uuid4().hex


logger = logging.getLogger("siaks.permintaan")
QUIET_PATHS = ("/sehat/", "/static/", "/metrics")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(REQUEST_ID_HEADER, "")
        rid = incoming if _SANE_ID.match(incoming) else new_request_id()
        request.request_id = rid
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except Exception:
            logger.exception("permintaan gagal", extra={"method": request.method, "path": request.path})
            structlog.contextvars.clear_contextvars()
            raise
        response["X-Request-ID"] = rid
        if "user_id" not in structlog.contextvars.get_contextvars():
            bind_user(getattr(request, "user", None))  # DRF sets it on the request after token auth
        if not request.path.startswith(QUIET_PATHS) or response.status_code >= 500:
            match = getattr(request, "resolver_match", None)
            logger.info(
                "permintaan",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "durasi_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        structlog.contextvars.clear_contextvars()
        return response


def bind_user(user) -> None:
    """Add who is asking to the log context; never raises (a database outage must not turn a
    log line into an error)."""
    try:
        if user is None or not user.is_authenticated:
            return
    except Exception:
        return
    try:
        instansi = user.instansi
        structlog.contextvars.bind_contextvars(
            user_id=user.pk, instansi_id=instansi.pk if instansi else None, peran=sorted(user.roles)
        )
    except Exception:
        structlog.contextvars.bind_contextvars(user_id=user.pk)


class LogUserMiddleware:
    """After authentication: who is asking, on every line of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bind_user(getattr(request, "user", None))
        return self.get_response(request)


class DatabaseDownFilter(logging.Filter):
    """On ``django.request``: while the database is unreachable every request logs an "Internal
    Server Error" with a long traceback before DatabaseDownMiddleware answers its 503. One short
    warning per request says the same without flooding the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        from django.db import InterfaceError, OperationalError

        if isinstance(exc, OperationalError | InterfaceError):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "database unreachable (503): %s", (str(exc).splitlines()[0][:200],)
            record.exc_info, record.exc_text = None, None
        return True


# --------------------------------------------------------------------------- Celery


HEADER = "siaks_request_id"


def task_mulai(task_id=None, task=None, **kwargs):
    """task_prerun: bind the request id the relay sent, and the task's name and id."""
    structlog.contextvars.clear_contextvars()
    request = getattr(task, "request", None)
    rid = getattr(request, HEADER, None)
    if rid is None and request is not None and isinstance(getattr(request, "headers", None), dict):
        rid = request.headers.get(HEADER)
    structlog.contextvars.bind_contextvars(request_id=rid or f"tugas-{task_id}", task=task.name, task_id=task_id)
    request_started = getattr(request, "siaks_mulai", None)
    if request_started is None and request is not None:
        request.siaks_mulai = time.perf_counter()


def task_selesai(task_id=None, task=None, state=None, **kwargs):
    """task_postrun: one line per task with its outcome, then forget the context."""
    started = getattr(getattr(task, "request", None), "siaks_mulai", None)
    durasi = round((time.perf_counter() - started) * 1000, 1) if started else None
    logging.getLogger("siaks.tugas").info("tugas selesai", extra={"status": state, "durasi_ms": durasi})
    structlog.contextvars.clear_contextvars()
