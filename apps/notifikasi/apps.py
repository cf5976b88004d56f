from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifikasiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.notifikasi"
    verbose_name = _("Notifikasi")
