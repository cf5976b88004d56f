"""Production: servers named by DATABASE_URL / REDIS_URL, S3 storage, hardened HTTP."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # noqa: F405 - required, no default
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
# Rotation (docs/operasi.md): the previous key(s), comma-separated, still accepted for sessions
# and signed links until they expire.
SECRET_KEY_FALLBACKS = [k for k in (env("DJANGO_SECRET_KEY_FALLBACKS") or "").split(",") if k]  # noqa: F405

if env("AWS_STORAGE_BUCKET_NAME"):  # noqa: F405
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "apps.core.storage.S3Storage",  # S3Storage whose errors read clearly
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),  # noqa: F405
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),  # noqa: F405
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }

# The Django admin is not mounted in production unless asked for (and then superadmins with 2FA only).
SIAKS_ADMIN_AKTIF = env_bool("SIAKS_ADMIN_AKTIF", False)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)  # noqa: F405
# Probes (kubelet, docker healthcheck) speak plain HTTP to the pod or container: the health paths
# answer there instead of redirecting to https (which a probe counts as a failure or follows
# to a port nobody listens on). Patterns match the path without its leading slash.
SECURE_REDIRECT_EXEMPT = [r"^sehat/", r"^metrics/?$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
