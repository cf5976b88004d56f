from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from apps.accounts import signals

        user_logged_in.connect(signals.catat_masuk, dispatch_uid="siaks_catat_masuk")
        user_logged_out.connect(signals.catat_keluar, dispatch_uid="siaks_catat_keluar")
        user_login_failed.connect(signals.catat_gagal, dispatch_uid="siaks_catat_gagal")
