from django.apps import AppConfig


class PengusulanConfig(AppConfig):
    name = "apps.pengusulan"
    label = "pengusulan"
    verbose_name = "Pengusulan"

    def ready(self) -> None:
        from apps.core import metrik

        metrik.SUMBER_STATUS.append(_usulan_per_status)


def _usulan_per_status():
    """(status, count) of every usulan, for the metrics scrape (inside its all-tenants scope)."""
    from django.db.models import Count

    from apps.pengusulan.models import Usulan

    return list(Usulan.objects.values_list("status").annotate(n=Count("id")).order_by())
