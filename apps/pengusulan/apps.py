from django.apps import AppConfig


class PengusulanConfig(AppConfig):
    name = "apps.pengusulan"
    label = "pengusulan"
    verbose_name = "Pengusulan"
