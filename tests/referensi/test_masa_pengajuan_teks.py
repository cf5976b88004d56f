"""Issue 13 (fresh-eye walk): JF Pengantar Kerja's page showed "Masa pengajuan 1 Februari – 15
Desember 2026" while its edit form held 5 January – 31 December 2026, and neither said why. The
form's two dates are the JF's overall window; the masa pengajuan (what the page shows and "ajukan"
enforces) is that window narrowed to the "Pengajuan peserta" stage. Both pages now say so."""

from __future__ import annotations

import html
from datetime import date

from django.urls import reverse

from apps.referensi.models import Tahapan
from tests.factories import UserFactory


def _teks(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def test_the_jf_page_says_the_window_is_narrowed_by_the_pengajuan_stage(client, referensi, kemnaker):
    jf = referensi["pengantar-kerja"]
    tahap = Tahapan.objects.get(jf=jf, kode=Tahapan.Kode.PENGAJUAN)
    assert (jf.jendela_buka, jf.jendela_tutup) == (date(2026, 1, 5), date(2026, 12, 31))
    assert (tahap.mulai, tahap.selesai) == (date(2026, 2, 1), date(2026, 12, 15))
    admin = UserFactory(instansi=kemnaker, roles=["admin_pembina"])
    client.force_login(admin)
    page = _teks(client.get(reverse("referensi:jf_detail", args=[jf.kode])))
    masa = page.split('data-testid="masa-pengajuan">', 1)[1].split("</td>", 1)[0]
    assert masa.startswith("1 Februari 2026 – 15 Desember 2026")
    assert (
        "Jendela pengajuan JF 5 Januari 2026 – 31 Desember 2026, dipersempit oleh tahapan «Pengajuan peserta» "
        "1 Februari 2026 – 15 Desember 2026 (tab Jadwal); masa pengajuan yang berlaku adalah irisan keduanya."
    ) in masa
    form = _teks(client.get(reverse("referensi:jf_edit", args=[jf.kode])))
    assert "Jendela pengajuan JF dibuka" in form and "Jendela pengajuan JF ditutup" in form
    assert (
        "Masa pengajuan yang berlaku adalah jendela ini dipersempit oleh tahapan «Pengajuan peserta» "
        "(1 Februari 2026 – 15 Desember 2026, diubah di tab Jadwal halaman JF)."
    ) in form
    # Without the stage the window is the masa pengajuan, and the pages say that instead.
    tahap.delete()
    page = _teks(client.get(reverse("referensi:jf_detail", args=[jf.kode])))
    masa = page.split('data-testid="masa-pengajuan">', 1)[1].split("</td>", 1)[0]
    assert masa.startswith("5 Januari 2026 – 31 Desember 2026") and "dipersempit" not in masa
    assert "Jendela pengajuan JF (diatur di «Atur persyaratan»)." in masa
    form = _teks(client.get(reverse("referensi:jf_edit", args=[jf.kode])))
    assert "tanpa tahapan «Pengajuan peserta» inilah masa pengajuan yang berlaku" in form
