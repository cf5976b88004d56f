from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The portal shell: the home page of each role, the navigation, the platform pages (instansi,
    audit log) and the demo data. It sits above every other app and composes them; nothing
    imports it."""

    name = "apps.portal"
    label = "portal"
    verbose_name = "Portal"
