from .base import *  # noqa: F403

DEBUG = True
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")  # noqa: F405
EMAIL_FILE_PATH = str(embedded.data_dir() / "mail")  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The demo accounts log in with a password only; set SIAKS_2FA_WAJIB=1 to try the production rule.
SIAKS_2FA_WAJIB = env_bool("SIAKS_2FA_WAJIB", False)  # noqa: F405
# Readable log lines in `make run`; SIAKS_LOG_FORMAT=json for what production writes.
SIAKS_LOG_FORMAT = env("SIAKS_LOG_FORMAT", "konsol")  # noqa: F405
LOGGING["formatters"]["siaks"]["fmt"] = SIAKS_LOG_FORMAT  # noqa: F405
