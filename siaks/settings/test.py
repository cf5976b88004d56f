from .base import *  # noqa: F403

DEBUG = False
# Tests make and drop their own database; the pool is per process and adds nothing there.
DATABASES["default"]["OPTIONS"].pop("pool", None)  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = embedded.data_dir() / "test-media"  # noqa: F405
STORAGES["default"]["OPTIONS"]["location"] = str(MEDIA_ROOT)  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SIAKS_GRANT_TRUNCATE_TO_APP = True
CELERY_TASK_ALWAYS_EAGER = False
# The test suite has a Redis of its own, so fault tests can stop and start it freely.
TEST_REDIS_DIR = embedded.data_dir() / "test-redis"  # noqa: F405
TEST_REDIS_SOCKET = TEST_REDIS_DIR / "redis.sock"
if not env("REDIS_URL"):  # noqa: F405
    embedded.ensure_redis(TEST_REDIS_SOCKET, TEST_REDIS_DIR)  # noqa: F405
    CELERY_BROKER_URL = celery_url(embedded.redis_url(TEST_REDIS_SOCKET))  # noqa: F405
# A worker started by a test (a separate process) is pointed at the test database by name.
if env("SIAKS_TEST_DB_NAME"):  # noqa: F405
    DATABASES["default"]["NAME"] = env("SIAKS_TEST_DB_NAME")  # noqa: F405
SIAKS_2FA_WAJIB = False  # the 2FA tests switch it on; the rest log in with a password only
# Tests run Celery workers in threads of the test process (celery.contrib.testing): a connection
# kept between tasks (CELERY_DB_REUSE_MAX, base.py) would outlive the worker's thread and keep
# the test database from being dropped. Close it at every task boundary, as Celery did before.
CELERY_DB_REUSE_MAX = None
