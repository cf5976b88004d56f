from django.apps import AppConfig


class ReferensiConfig(AppConfig):
    name = "apps.referensi"
    label = "referensi"
    verbose_name = "Referensi jabatan fungsional"
