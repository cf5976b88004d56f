from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from apps.accounts import schema, signals  # noqa: F401 - schema registers the OpenAPI auth extension

        user_logged_in.connect(signals.catat_masuk, dispatch_uid="siaks_catat_masuk")
        user_logged_out.connect(signals.catat_keluar, dispatch_uid="siaks_catat_keluar")
        user_login_failed.connect(signals.catat_gagal, dispatch_uid="siaks_catat_gagal")

        from django.db.models.signals import post_delete, post_save, pre_save

        from apps.accounts.models import Membership, User

        pre_save.connect(signals.cabut_token_bila_kata_sandi_berubah, sender=User, dispatch_uid="siaks_token_sandi")
        post_save.connect(signals.cabut_token_bila_peran_berubah, sender=Membership, dispatch_uid="siaks_token_peran")
        post_save.connect(signals.undang_pengguna_baru, sender=User, dispatch_uid="siaks_undang_pengguna")
        post_delete.connect(
            signals.cabut_token_bila_peran_berubah, sender=Membership, dispatch_uid="siaks_token_peran_h"
        )
