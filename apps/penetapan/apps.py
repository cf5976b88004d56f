from django.apps import AppConfig


class PenetapanConfig(AppConfig):
    name = "apps.penetapan"
    label = "penetapan"
    verbose_name = "Penetapan angka kredit"
