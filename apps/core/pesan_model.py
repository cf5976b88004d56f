"""Indonesian for Django's own model validation message that its Indonesian catalog gets wrong.

Django translates "%(model_name)s with this %(field_labels)s already exists." (a repeated
``unique_together`` / ``UniqueConstraint`` of several fields) as "… ini tidak ada." — "does not
exist", the opposite. Every model form, ``full_clean()`` and the admin build that message in
``Model.unique_error_message``; ``pasang()`` (called once from ``CoreConfig.ready``) wraps it so
the message reads "… yang sama sudah ada." for every model at once. A model may still say it its
own way (``Kompetensi.unique_error_message``). DRF's validators: ``apps.core.drf_pesan``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import get_text_list
from django.utils.translation import gettext as _


def _label(field) -> str:
    """A field as a sentence names it: a foreign key without its own verbose name ("jf") by its
    model's ("jabatan fungsional")."""
    nama = str(field.verbose_name)
    if field.is_relation and field.related_model is not None and nama == field.name.replace("_", " "):
        nama = str(field.related_model._meta.verbose_name)
    return nama.lower()


def pasang() -> None:
    asli = models.Model.unique_error_message
    if getattr(asli, "_siaks", False):
        return

    def unique_error_message(self, model_class, unique_check):
        error = asli(self, model_class, unique_check)
        if getattr(error, "code", None) != "unique_together":
            return error
        opts = model_class._meta
        params = {
            **(error.params or {}),
            "field_labels": get_text_list([_label(opts.get_field(f)) for f in unique_check], _("dan")),
        }
        return ValidationError(
            _("%(model_name)s dengan %(field_labels)s yang sama sudah ada."), code="unique_together", params=params
        )

    unique_error_message._siaks = True
    models.Model.unique_error_message = unique_error_message
