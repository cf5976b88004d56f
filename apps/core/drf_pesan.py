"""Indonesian for the DRF messages its own Indonesian catalog leaves in English.

DRF ships ``rest_framework/locale/id`` and the API answers in Indonesian through it (the portal
speaks only Indonesian: ``LANGUAGES``), but that catalog lacks some messages an officer meets,
e.g. "Expected available in 53 seconds." after "Permintaan ini telah dibatasi." and "Object with
kode=X does not exist." from a ``SlugRelatedField``. ``pasang()`` (called once from
``CoreConfig.ready``) puts our texts on the DRF classes that declare them: field error messages,
exception details, validators and pagination. Messages DRF builds inside functions without
gettext (the parsers' "JSON parse error - …", "CSRF Failed: …") are replaced by
``apps.core.api.exception_handler``. tests/core/test_drf_pesan.py fails for any DRF message
that is still English under Indonesian."""

from __future__ import annotations

import inspect

from django.utils.translation import gettext_lazy as _

#: DRF's English text → ours (same placeholders: DRF fills them with ``str.format``).
PESAN = {
    # fields and relations
    "Expected a datetime but got a date.": _("Harus berupa tanggal dan waktu, bukan tanggal saja."),
    "Expected a date but got a datetime.": _("Harus berupa tanggal, bukan tanggal dan waktu."),
    "Invalid hyperlink - Object does not exist.": _("Tautan tidak sah: datanya tidak ditemukan."),
    "Object with {slug_name}={value} does not exist.": _(
        "Data dengan {slug_name} \u201c{value}\u201d tidak ditemukan."
    ),
    "This dictionary may not be empty.": _("Isian ini tidak boleh kosong."),
    "This list may not be empty.": _("Daftar ini tidak boleh kosong."),
    "Invalid hyperlink - Incorrect URL match.": _("Tautan tidak sah: alamatnya tidak cocok."),
    "Incorrect type. Expected URL string, received {data_type}.": _(
        "Jenis isian salah: harus berupa alamat (URL), bukan {data_type}."
    ),
    "Incorrect type. Expected pk value, received {data_type}.": _(
        "Jenis isian salah: harus berupa nomor ID, bukan {data_type}."
    ),
    "A valid biginteger is required.": _("Harus berupa bilangan bulat yang sah."),
    "A valid number is required.": _("Harus berupa angka yang sah."),
    "Invalid data. Expected a dictionary, but got {datatype}.": _(
        "Data tidak sah: harus berupa objek JSON, bukan {datatype}."
    ),
    "Invalid value.": _("Nilai tidak sah."),
    "Must be a valid UUID.": _("Harus berupa UUID yang sah."),
    "Must be a valid boolean.": _("Harus berupa nilai benar/salah (true/false)."),
    "Not a valid string.": _("Harus berupa teks."),
    "The submitted data was not a file. Check the encoding type on the form.": _(
        "Yang dikirim bukan berkas. Periksa jenis penyandian (encoding) formulir."
    ),
    "This value does not match the required pattern.": _("Nilai ini tidak sesuai dengan pola yang diminta."),
    '"{input}" is not a valid path choice.': _("\u201c{input}\u201d bukan pilihan path yang sah."),
    'Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.': _(
        "Masukkan slug yang sah: huruf, angka, garis bawah atau tanda hubung."
    ),
    'Invalid datetime for the timezone "{timezone}".': _("Tanggal dan waktu tidak sah untuk zona waktu {timezone}."),
    "Ensure this field has no more than {max_length} elements.": _("Isian ini paling banyak {max_length} butir."),
    "String value too large.": _("Teks angka terlalu panjang."),
    "Ensure this field has at least {min_length} elements.": _("Isian ini paling sedikit {min_length} butir."),
    "Invalid hyperlink - No URL match.": _("Tautan tidak sah: alamat tidak dikenal."),
    "No filename could be determined.": _("Nama berkas tidak dapat ditentukan."),
    'Expected a list of items but got type "{input_type}".': _("Harus berupa daftar, bukan {input_type}."),
    "Datetime value out of range.": _("Tanggal dan waktu di luar rentang."),
    "Integer value too large to convert to float": _("Bilangan terlalu besar."),
    # exceptions
    "Expected available in {wait} second.": _("Coba lagi dalam {wait} detik."),
    "Expected available in {wait} seconds.": _("Coba lagi dalam {wait} detik."),
    'Method "{method}" not allowed.': _("Metode {method} tidak diizinkan."),
    "Malformed request.": _("Permintaan tidak dapat dibaca."),
    "Invalid input.": _("Masukan tidak sah."),
    # validators
    "Surrogate characters are not allowed: U+{code_point:X}.": _(
        "Karakter surrogate tidak diizinkan: U+{code_point:X}."
    ),
    'This field must be unique for the "{date_field}" date.': _("Isian ini harus unik untuk tanggal {date_field}."),
    'This field must be unique for the "{date_field}" month.': _("Isian ini harus unik untuk bulan {date_field}."),
    'This field must be unique for the "{date_field}" year.': _("Isian ini harus unik untuk tahun {date_field}."),
    "The fields {field_names} must make a unique set.": _("Gabungan isian {field_names} sudah ada."),
    "This field must be unique.": _("Nilai ini sudah dipakai."),
    # pagination
    "Invalid cursor": _("Kursor halaman tidak sah."),
    "Invalid page.": _("Halaman tidak ditemukan."),
}

# Class attributes that hold a message (besides ``default_error_messages``).
ATRIBUT = ("default_detail", "extra_detail_singular", "extra_detail_plural", "message", "invalid_page_message",
           "invalid_cursor_message")  # fmt: skip


def _asli(value) -> str | None:
    """The English msgid of a lazy gettext proxy or a plain string."""
    args = getattr(value, "_args", None) or getattr(value, "_proxy____args", None)
    if args:
        return args[0]
    return value if isinstance(value, str) else None


def kelas_drf() -> list[type]:
    """Every class of DRF's modules that declares messages."""
    from rest_framework import exceptions, fields, pagination, relations, serializers, validators

    found = []
    for module in (fields, relations, serializers, exceptions, validators, pagination):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__.startswith("rest_framework") and cls not in found:
                found.append(cls)
    return found


def pasang() -> int:
    """Put the Indonesian texts on the DRF classes; returns how many messages were replaced."""
    n = 0
    for cls in kelas_drf():
        own = vars(cls)
        messages = own.get("default_error_messages")
        if isinstance(messages, dict):
            for key, value in list(messages.items()):
                if _asli(value) in PESAN:
                    messages[key] = PESAN[_asli(value)]
                    n += 1
        for attr in ATRIBUT:
            if attr in own and _asli(own[attr]) in PESAN:
                setattr(cls, attr, PESAN[_asli(own[attr])])
                n += 1
    return n
