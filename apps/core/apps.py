from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Inti platform"

    def ready(self) -> None:
        from apps.core import signals

        post_migrate.connect(signals.grant_app_role_privileges, sender=self)

        from celery.signals import task_postrun, task_prerun

        from apps.core import logs

        logs.configure()
        task_prerun.connect(logs.task_mulai, dispatch_uid="siaks-log-task-mulai")
        task_postrun.connect(logs.task_selesai, dispatch_uid="siaks-log-task-selesai")

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from apps.core import metrik

        task_postrun.connect(metrik.tugas_selesai, dispatch_uid="siaks-metrik-tugas")
        user_login_failed.connect(metrik.login_gagal, dispatch_uid="siaks-metrik-login-gagal")
        user_locked_out.connect(metrik.login_terkunci, dispatch_uid="siaks-metrik-terkunci")

        from apps.core import drf_pesan

        drf_pesan.pasang()  # Indonesian for the DRF messages its own catalog leaves in English

        from apps.core import pesan_model

        pesan_model.pasang()  # Django's "… already exists" of a repeated unique_together, in Indonesian

        from siaks import observability

        observability.aktifkan()  # Sentry / OpenTelemetry when their variables are set
