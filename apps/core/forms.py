from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class BootstrapMixin:
    """Give every widget the Bootstrap class it needs; errors mark the field invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                # Each option is its own input (includes/form_fields.html renders them as form-check).
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        # Mark invalid fields after cleaning (never in __init__: that would clean too early).
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class LinesField(forms.CharField):
    """A list of strings edited as one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(_("Isi paling sedikit satu baris."), code="required")


class DesimalField(forms.DecimalField):
    """A decimal as Indonesians type it: "77,5" (decimal comma: scripts, other browsers) as well as
    "77.5" (what Chromium's number input sends). Exactly one decimal mark and no thousands
    separator: "7,7,5" or "abc" is refused with a message that says how to write it (Django's own
    field refuses "77,5", and its ``localize`` reading would take "77.5" for 775)."""

    default_error_messages = {
        "invalid": _("Masukkan angka dengan satu tanda desimal, misalnya 77,5 atau 77.5, tanpa pemisah ribuan."),
    }
    # A text input with the decimal keypad, not ``type=number``: Chromium's number input silently
    # drops a typed comma ("25,5" reached the server as 255 and was saved — fresh-eye walk, issue
    # 13), so the browser must send what the user typed and this field reads it.
    widget = forms.TextInput

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
        return attrs

    def prepare_value(self, value):
        """Shown as Indonesians write it: 77,5 (not 77.500)."""
        from decimal import Decimal

        if isinstance(value, Decimal):
            return f"{value.normalize():f}".replace(".", ",")
        return value

    def to_python(self, value):
        from apps.core.format import baca_desimal

        if isinstance(value, str) and value.strip() not in self.empty_values:
            try:
                value = baca_desimal(value)
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NipField(forms.RegexField):
    """A NIP as printed ("19700512 199503 1 001") or typed (18 digits): kept as 18 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("18 angka; boleh dengan spasi seperti tercetak: 19700512 199503 1 001"))
        kwargs.setdefault("error_messages", {"invalid": _("NIP terdiri atas 18 angka (spasi boleh).")})
        super().__init__(regex=r"^\d{18}$", max_length=30, **kwargs)

    def to_python(self, value):
        return "".join(str(value or "").split())
