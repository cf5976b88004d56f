"""Password rules and the set-password forms in one voice ("Kata sandi Anda …").

Django's Indonesian catalogue mixes "Sandi anda …" (help texts) with "Kata sandi …" (errors); these
validators (``AUTH_PASSWORD_VALIDATORS``) say both the rule and the refusal our way. The forms
report every problem at once: the rules on the new password, the mismatch on its confirmation
(Django stops at the mismatch, so "too short" and "too common" only showed on the next try)."""

from __future__ import annotations

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation as pv
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


class PanjangMinimal(pv.MinimumLengthValidator):
    def get_error_message(self):
        return _("Kata sandi Anda terlalu pendek: sedikitnya %(n)d karakter.") % {"n": self.min_length}

    def get_help_text(self):
        return _("Kata sandi Anda harus memuat sedikitnya %(n)d karakter.") % {"n": self.min_length}


class TidakMiripDataPribadi(pv.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("Kata sandi Anda terlalu mirip dengan %(verbose_name)s Anda.")

    def get_help_text(self):
        return _("Kata sandi Anda tidak boleh mirip dengan nama, nama pengguna atau e-mail Anda.")


class TidakUmum(pv.CommonPasswordValidator):
    def get_error_message(self):
        return _("Kata sandi Anda terlalu umum dan mudah ditebak.")

    def get_help_text(self):
        return _("Kata sandi Anda tidak boleh kata sandi yang umum dipakai.")


class TidakHanyaAngka(pv.NumericPasswordValidator):
    def get_error_message(self):
        return _("Kata sandi Anda hanya berisi angka.")

    def get_help_text(self):
        return _("Kata sandi Anda tidak boleh hanya berisi angka.")


class _SemuaGalat:
    pass

    def _label(self):
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = _("Ketik kata sandi yang sama sekali lagi.")

    def clean(self):
        # The mismatch goes on the confirmation; the rules are checked on the new password itself,
        # which the mismatch does not remove, so both kinds are shown together.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


class FormSandiBaru(_SemuaGalat, auth_forms.SetPasswordForm):
    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_mismatch": _lazy("Kedua isian kata sandi Anda tidak sama."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label()


class FormUbahSandi(_SemuaGalat, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,  # keeps password_incorrect
        "password_mismatch": _lazy("Kedua isian kata sandi Anda tidak sama."),
        "password_incorrect": _lazy("Kata sandi lama Anda salah. Ketik sekali lagi."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label()
        self.fields["old_password"].label = _("Kata sandi lama")
