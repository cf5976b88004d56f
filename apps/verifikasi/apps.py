from django.apps import AppConfig


class VerifikasiConfig(AppConfig):
    name = "apps.verifikasi"
    label = "verifikasi"
    verbose_name = "Verifikasi dan penilaian"
