from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RekapConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.rekap"
    verbose_name = _("Rekap dan ekspor")
