"""JF Analis Kerja Sama had two submission windows: the JF's own (11 December 2025 – 31 December
2026) on the JF page, the JF list and the messages, and its "Pengajuan peserta" stage (5 January –
15 December 2026) on the Jadwal tab, which ``ajukan`` also enforced. One window now
(``JabatanFungsional.masa_pengajuan``): every page and message shows it, and ``ajukan`` enforces it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.pengusulan import services
from apps.referensi.models import JabatanFungsional, Tahapan

pytestmark = pytest.mark.django_db

JENDELA = "5 Januari 2026 – 15 Desember 2026"


def _rentang(teks: str) -> set[str]:
    return set(re.findall(r"\d{1,2} [A-Z][a-z]+ \d{4} – \d{1,2} [A-Z][a-z]+ \d{4}", teks))


def test_every_page_shows_the_one_window_of_jf_aks(client, pic, aks):
    aks = JabatanFungsional.objects.get(pk=aks.pk)
    assert (aks.jendela_buka, aks.jendela_tutup) == (date(2025, 12, 11), date(2026, 12, 31))  # the JF's own
    assert (aks.masa_pengajuan.buka, aks.masa_pengajuan.tutup) == (date(2026, 1, 5), date(2026, 12, 15))
    client.force_login(pic)
    page = client.get(reverse("referensi:jf_detail", args=["aks"])).content.decode()
    persyaratan = page.split('data-testid="masa-pengajuan">', 1)[1].split("</td>", 1)[0]
    berlaku, asal = persyaratan.split('<div class="small text-muted" data-testid="masa-pengajuan-asal">', 1)
    assert berlaku == JENDELA  # the window in force, first
    # … then where it comes from: the JF's own window narrowed by the stage (issue 13 walk 2)
    assert "Jendela pengajuan JF 11 Desember 2025 – 31 Desember 2026" in asal
    assert f"dipersempit oleh tahapan «Pengajuan peserta» {JENDELA}" in asal
    jadwal = page.split('id="jadwal" role="tabpanel"', 1)[1]
    baris = jadwal.split("Pengajuan peserta", 1)[1].split("</tr>", 1)[0]
    assert "5 Januari 2026" in baris and "15 Desember 2026" in baris
    daftar = client.get(reverse("referensi:jf_list")).content.decode()
    kartu = daftar.split("Analis Kerja Sama</a>", 1)[1].split("</div>", 1)[0]
    assert _rentang(kartu) == {JENDELA}
    # The JF's own dates appear only in that explanation, never as the window.
    assert "11 Desember 2025 – 31 Desember 2026" not in page.replace(asal, "") + daftar


def test_the_refusal_and_the_usulan_page_show_the_same_window_and_ajukan_enforces_it(client, pic, aks, usulan_lengkap):
    # The stage is moved: every place follows it, not the JF's own dates.
    Tahapan.objects.filter(jf=aks, kode="pengajuan").update(selesai=date(2026, 11, 20))
    baru = "5 Januari 2026 – 20 November 2026"
    with tenancy.scope(pic.instansi), pytest.raises(Exception) as refused:
        services.usulan_ajukan(actor=pic, usulan=usulan_lengkap, on=date(2026, 11, 25))
    assert f"Masa pengajuan JF Analis Kerja Sama ditutup ({baru})." in refused.value.messages
    client.force_login(pic)
    usulan_page = client.get(reverse("pengusulan:usulan_detail", args=[usulan_lengkap.pk])).content.decode()
    assert f"Masa pengajuan JF Analis Kerja Sama sedang ditutup ({baru}" in usulan_page  # today is 30 Nov 2026
    jf_page = client.get(reverse("referensi:jf_detail", args=["aks"])).content.decode()
    assert jf_page.split('data-testid="masa-pengajuan">', 1)[1].startswith(baru)
    with tenancy.scope(pic.instansi):  # inside the one window, it is open
        services.usulan_ajukan(actor=pic, usulan=usulan_lengkap, on=date(2026, 11, 20))
