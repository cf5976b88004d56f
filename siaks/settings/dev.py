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


# Electronic signatures in `make run`: the development CA, TSA and fake BSrE that run_portal starts
# (manage.py ttd_layanan_uji) on loopback. Production sets the real ones (docs/ttd-elektronik.md).
# Without the variables, the ports the running run_portal of this checkout chose (it writes them
# to .data/ttd-uji-alamat.json and removes the file on stop): `manage.py ttd_demo` and the other
# commands then sign with this portal's TSA, not with another portal's on 8781 (another CA).
def _alamat_ttd_uji() -> dict:
    import json

    try:
        alamat = json.loads((embedded.data_dir() / "ttd-uji-alamat.json").read_text())  # noqa: F405
    except (OSError, ValueError):
        return {}
    return alamat if isinstance(alamat, dict) else {}


_ALAMAT_TTD = _alamat_ttd_uji()
SIAKS_TTD_TSA_URL = env("SIAKS_TTD_TSA_URL", _ALAMAT_TTD.get("tsa") or "http://127.0.0.1:8781/tsa")  # noqa: F405
SIAKS_TTD_BSRE_URL = env("SIAKS_TTD_BSRE_URL", _ALAMAT_TTD.get("bsre") or "http://127.0.0.1:8782")  # noqa: F405
SIAKS_TTD_BSRE_DAFTAR_UJI = True  # the fake BSrE enrols new officials (docs/ttd-elektronik.md)
# Set SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA=1 to register a self-signed test .p12 with a warning.
SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA = env_bool("SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA", False)  # noqa: F405
SIAKS_TTD_TRUST_ROOTS = [str(SIAKS_TTD_DEV_DIR / "root.pem")]  # noqa: F405
SIAKS_TTD_INTERMEDIATES = [str(SIAKS_TTD_DEV_DIR / "intermediate.pem")]  # noqa: F405
SIAKS_TTD_PKCS12_PASSPHRASE = env("SIAKS_TTD_PKCS12_PASSPHRASE", "siaks-dev-pkcs12")  # noqa: F405
