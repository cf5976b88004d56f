""" "Periksa sebelum melanjutkan": a server-rendered confirmation step before an irreversible
step (ajukan, kirim penilaian, putuskan sidang, terbitkan rekomendasi, terbitkan SK).

The pattern (GOV.UK "check your answers"), with no script, so it works under our CSP:

1. The form posts as before. Without ``konfirmasi=ya`` the view does **not** take the step: it
   tries it in a savepoint that is always rolled back (:func:`uji_coba`), so a refusal is shown
   at once, on the form, with the user's input (the usual :class:`apps.core.pesan.penolakan`);
2. when the try succeeds, the view answers with :func:`halaman`: a summary of what will happen
   (who, what, how many, the consequences) and a form that carries every posted value in hidden
   fields, with two buttons: ``konfirmasi=ya`` (take the step) and ``ubah`` (back to the form,
   filled with the same input);
3. the POST with ``konfirmasi=ya`` takes the step for real (the rules are checked again there).

Only the browser pages ask; the API endpoints take the step on their single call (a client that
calls ``POST …/ajukan/`` has decided), see docs/architecture.md.
"""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

#: The posted flag that takes the step; the button on the confirmation page sends it.
KUNCI = "konfirmasi"
NILAI = "ya"
#: The posted flag of the "Ubah" button: back to the form with the same input.
UBAH = "ubah"
_BUKAN_MASUKAN = {"csrfmiddlewaretoken", KUNCI, UBAH}


def dikonfirmasi(request) -> bool:
    """The user has seen the summary and confirmed the step."""
    return request.method == "POST" and request.POST.get(KUNCI) == NILAI


def diubah(request) -> bool:
    """The user came back from the summary to change the input."""
    return request.method == "POST" and UBAH in request.POST


class _Urungkan(Exception):
    pass


def uji_coba(langkah):
    """Run ``langkah()`` in a savepoint and undo everything it wrote (rows, audit entries,
    outbox messages, on-commit callbacks); return its result. A ``ValidationError`` (or a
    ``PermissionDenied``) propagates as if the step had been taken, so the caller shows the
    refusal the way it always does. The returned objects describe what *would* happen; they
    are not in the database."""
    hasil = None
    try:
        with transaction.atomic():
            hasil = langkah()
            raise _Urungkan
    except _Urungkan:
        pass
    return hasil


def halaman(
    request,
    *,
    judul: str,
    pengantar: str = "",
    ringkasan: list[tuple[str, object]],
    rincian: list[str] | None = None,
    rincian_judul: str = "",
    akibat: list[str],
    peringatan: str = "",
    tombol: str,
    kembali: str,
    tombol_ubah: str = "",
):
    """The confirmation page: ``ringkasan`` (label, value) rows, an optional list ``rincian``
    (the pegawai, the scores…), the consequences ``akibat``, an optional ``peringatan``, and the
    form that re-posts the user's input to the same URL with the confirmation flag."""
    tersembunyi = [(k, v) for k, values in request.POST.lists() if k not in _BUKAN_MASUKAN for v in values]
    context = {
        "judul": judul,
        "pengantar": pengantar,
        "ringkasan": ringkasan,
        "rincian": rincian or [],
        "rincian_judul": rincian_judul,
        "akibat": akibat,
        "peringatan": peringatan,
        "tombol": tombol,
        "tombol_ubah": tombol_ubah or _("Kembali dan ubah"),
        "kembali": kembali,
        "tersembunyi": tersembunyi,
        "kunci": KUNCI,
        "nilai": NILAI,
        "ubah": UBAH,
    }
    return render(request, "konfirmasi.html", context)
