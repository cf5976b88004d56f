import os

from siaks import embedded as _embedded

# A parallel run (pytest-xdist, `pytest -n 2`): each worker has a data folder of its own, so its own
# embedded PostgreSQL, Redis servers and media (siaks/embedded.py). Processes a test starts (a
# Celery worker, the portal) inherit the folder through the environment.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("SIAKS_XDIST_WORKER_DATA") != _worker:
    os.environ["SIAKS_DATA_DIR"] = str(_embedded.worker_data_dir(_worker))
    os.environ["SIAKS_XDIST_WORKER_DATA"] = _worker

from .base import *  # noqa: E402, F403

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
TEST_REDIS_DIR = embedded.test_redis_dir()  # noqa: F405
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
# Tests commit many small transactions (migrations, transactional tests, workers): none waits for
# its WAL to reach the disk. Only a crash of the server could lose the last commits, never their
# consistency (PostgreSQL's synchronous_commit; fsync stays on).
for _db in DATABASES.values():  # noqa: F405
    _db["OPTIONS"]["options"] = (_db["OPTIONS"].get("options", "") + " -c synchronous_commit=off").strip()
