from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuratConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.surat"
    verbose_name = _("Surat")
