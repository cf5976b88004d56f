"""Issue 13 (fresh-eye walk, finding 1): who signs the PAK is the rule the usulan was submitted
under, never the JF's setting at the time the SK is issued or corrected. A change of the JF's
setting between issue and correction rewrote KETIGA ("… ditetapkan dengan Penetapan Angka Kredit
yang bersangkutan", citing no PAK), and an usulan submitted with a PAK signed by the atasan
langsung got a second PAK from the portal."""

from __future__ import annotations

import re

import pytest

from apps.pengusulan.models import Usulan
from apps.referensi import services as referensi_services
from apps.referensi.models import JabatanFungsional, PakPenandatangan
from apps.surat import services as surat_services
from apps.surat.models import JenisSurat, Surat
from tests.surat.conftest import (
    all_tenants,
    layout_text,
    render_antrean,
    terbitkan_rekomendasi,
    terbitkan_sk,
    versi_berlaku,
)
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

ATASAN = (
    "Penetapan Angka Kredit yang telah ditandatangani oleh atasan langsung dan dilampirkan pada usulan "
    "penyesuaian yang bersangkutan"
)


def _ketiga(surat) -> str:
    """KETIGA's basis as pdftotext reads the version in force."""
    text = " ".join(layout_text(versi_berlaku(surat)).split())
    found = re.search(r"Angka kredit pada Diktum KESATU ditetapkan dengan (.+?) dan diperhitungkan", text)
    assert found, text
    return found.group(1)


def _jumlah_pak(usulan) -> int:
    with all_tenants():
        return Surat.objects.filter(jenis=JenisSurat.PAK, baris__usulan__in=usulan).count()


def _ubah_aturan(admin, jf, aturan) -> None:
    """The admin pembina changes the JF's PAK signer through the service (audited, documents follow)."""
    with as_user(admin):
        referensi_services.referensi_update(obj=jf, jf=jf, changes={"pak_penandatangan": aturan}, actor=admin)
    assert JabatanFungsional.objects.get(pk=jf.pk).pak_penandatangan == aturan


def _koreksi(ppk, surat):
    with as_user(ppk):
        surat_services.surat_koreksi(actor=ppk, surat=surat, alasan="Salah ketik unit kerja.")
    render_antrean()


def test_the_usulan_keeps_the_pak_rule_it_was_submitted_under(diajukan, pk, staf):
    pk.pak_penandatangan = PakPenandatangan.ATASAN_LANGSUNG
    pk.save(update_fields=["pak_penandatangan"])
    (usulan,) = diajukan(1)
    _ubah_aturan(staf["admin"], pk, PakPenandatangan.PEJABAT_SK)
    with all_tenants():
        usulan = Usulan.objects.select_related("jf").get(pk=usulan.pk)
    assert usulan.pak_penandatangan == PakPenandatangan.ATASAN_LANGSUNG
    assert not usulan.pak_bersama_sk


def test_atasan_rule_a_later_jf_change_issues_no_pak_and_the_correction_keeps_ketiga(
    diputuskan, staf, pk, instansi_a, ppk_pk
):
    pk.pak_penandatangan = PakPenandatangan.ATASAN_LANGSUNG
    pk.save(update_fields=["pak_penandatangan"])
    lulus, _t, _s = diputuskan(2, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    # Changed before the SK: the usulan carry the atasan's PAK already; the portal issues none.
    _ubah_aturan(staf["admin"], pk, PakPenandatangan.PEJABAT_SK)
    sk = terbitkan_sk(ppk_pk, lulus[:1])
    assert [s.jenis for s in sk] == [JenisSurat.SK]
    render_antrean()
    v1 = _ketiga(sk[0])
    assert v1 == ATASAN
    # Changed back and forth between issue and correction: v2 keeps v1's basis, still no PAK.
    _ubah_aturan(staf["admin"], pk, PakPenandatangan.ATASAN_LANGSUNG)
    _ubah_aturan(staf["admin"], pk, PakPenandatangan.PEJABAT_SK)
    _koreksi(ppk_pk, sk[0])
    assert versi_berlaku(sk[0]).versi == 2
    assert _ketiga(sk[0]) == v1
    assert _jumlah_pak(lulus) == 0
    # The PPK's page says what issuing the other one makes: an SK, no PAK.
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:ppk")).content.decode()
    assert '<strong data-testid="judul-terbitkan">Terbitkan SK</strong>' in page


def test_sk_signer_rule_a_later_jf_change_keeps_the_one_pak_and_its_citation(diputuskan, staf, pk, instansi_a, ppk_pk):
    assert pk.pak_penandatangan == PakPenandatangan.PEJABAT_SK
    lulus, _t, _s = diputuskan(2, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    # Changed before the SK: these usulan were submitted without a signed PAK; the SK's signer issues it.
    _ubah_aturan(staf["admin"], pk, PakPenandatangan.ATASAN_LANGSUNG)
    issued = terbitkan_sk(ppk_pk, lulus[:1])
    assert sorted(s.jenis for s in issued) == [JenisSurat.PAK, JenisSurat.SK]
    render_antrean()
    sk = next(s for s in issued if s.jenis == JenisSurat.SK)
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    v1 = _ketiga(sk)
    assert v1.startswith(f"Penetapan Angka Kredit Nomor {pak.nomor} tanggal ")
    _ubah_aturan(staf["admin"], pk, PakPenandatangan.PEJABAT_SK)
    _ubah_aturan(staf["admin"], pk, PakPenandatangan.ATASAN_LANGSUNG)
    _koreksi(ppk_pk, sk)
    assert versi_berlaku(sk).versi == 2
    assert _ketiga(sk) == v1
    assert _jumlah_pak(lulus[:1]) == 1


def test_a_collective_sk_does_not_mix_the_two_rules(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(2, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    with all_tenants():
        Usulan.objects.filter(pk=lulus[0].pk).update(pak_penandatangan=PakPenandatangan.ATASAN_LANGSUNG)
    with pytest.raises(surat_services.SuratError, match="aturan PAK yang sama"):
        terbitkan_sk(ppk_pk, lulus, kolektif=True)
    assert _jumlah_pak(lulus) == 0


def test_a_resubmitted_usulan_keeps_the_atasan_pak_it_carries_after_the_jf_switch(diajukan, pk, staf, pic_pk):
    """Submitted with the PAK signed by the atasan langsung, returned for perbaikan after the JF
    switched to "PAK issued with the SK", resubmitted: the attached PAK stays the one in force, so
    the SK issues no second PAK (it took the JF's new rule, and the SK issued a second PAK)."""
    from apps.core import tenancy
    from apps.pengusulan import services as pic_services
    from apps.pengusulan.domain import Status
    from tests.pengusulan.conftest import ON

    pk.pak_penandatangan = PakPenandatangan.ATASAN_LANGSUNG
    pk.save(update_fields=["pak_penandatangan"])
    referensi_services.pak_dokumen_sesuaikan(pk)
    (usulan,) = diajukan(1)
    _ubah_aturan(staf["admin"], pk, PakPenandatangan.PEJABAT_SK)
    with all_tenants():
        Usulan.objects.filter(pk=usulan.pk).update(status=Status.PERBAIKAN)  # returned by the verifier
    with tenancy.scope(pic_pk.instansi):
        usulan = pic_services.usulan_ajukan(actor=pic_pk, usulan=Usulan.objects.get(pk=usulan.pk), on=ON)
    with all_tenants():
        usulan = Usulan.objects.select_related("jf").get(pk=usulan.pk)
    assert usulan.status == Status.DIAJUKAN
    assert usulan.pak_penandatangan == PakPenandatangan.ATASAN_LANGSUNG and not usulan.pak_bersama_sk


def test_switching_the_pak_signer_says_what_happens_to_usulan_in_progress(client, diajukan, pk, staf):
    """The JF page's message agrees with the usulan's rule: the new rule is for later submissions;
    the usulan already submitted keep theirs (one PAK each)."""
    from django.urls import reverse

    from tests.referensi.test_views import _jf_form_data

    pk.pak_penandatangan = PakPenandatangan.ATASAN_LANGSUNG
    pk.save(update_fields=["pak_penandatangan"])
    referensi_services.pak_dokumen_sesuaikan(pk)
    diajukan(2)
    admin = staf["admin"]
    client.force_login(admin)
    url = reverse("referensi:jf_edit", args=[pk.kode])
    versi = client.get(url).context["versi"]
    response = client.post(
        url, {**_jf_form_data(pk, pak_penandatangan=PakPenandatangan.PEJABAT_SK), "versi": versi}, follow=True
    )
    teks = " ".join(str(m) for m in response.context["messages"])
    assert "PAK kini diterbitkan bersama SK" in teks
    assert "2 usulan yang sudah diajukan tetap mengikuti aturan saat diajukan" in teks
    with all_tenants():
        assert set(Usulan.objects.filter(jf=pk).values_list("pak_penandatangan", flat=True)) == {
            PakPenandatangan.ATASAN_LANGSUNG
        }


def _aturan(html: str) -> str:
    start = html.index('data-testid="aturan-pak"')
    return " ".join(html[start : start + 900].split("</div>")[0].split())


def test_the_usulan_pages_say_which_pak_rule_the_usulan_keeps(client, diputuskan, diajukan, staf, pk, instansi_a,
                                                               pic_pk, ppk_pk):  # fmt: skip
    """Fresh-eye L5: after the JF switched its PAK rule, the PIC's usulan page, the verifier's page
    and the PPK's page say which rule each usulan keeps (the one it was submitted under), and that
    the JF's rule today is another."""
    from django.urls import reverse

    pk.pak_penandatangan = PakPenandatangan.ATASAN_LANGSUNG
    pk.save(update_fields=["pak_penandatangan"])
    referensi_services.pak_dokumen_sesuaikan(pk)
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    (baru,) = diajukan(1, nip_prefix="19870101 201505 1 ")
    _ubah_aturan(staf["admin"], pk, PakPenandatangan.PEJABAT_SK)
    atasan = "Aturan PAK untuk usulan ini: PAK ditandatangani atasan langsung sebelum usulan diajukan"
    kini = "Aturan JF kini: Pejabat yang menetapkan SK, diterbitkan bersama SK"

    client.force_login(pic_pk)
    teks = _aturan(client.get(reverse("pengusulan:usulan_detail", args=[baru.pk])).content.decode())
    assert atasan in teks and "(aturan saat diajukan)" in teks and kini in teks, teks

    client.force_login(staf["verifikator"])
    teks = _aturan(client.get(reverse("verifikasi:periksa", args=[baru.pk])).content.decode())
    assert atasan in teks and "(aturan saat diajukan)" in teks and kini in teks, teks

    client.force_login(ppk_pk)
    page = client.get(reverse("surat:ppk")).content.decode()
    row = page[page.index(f'value="{lulus[0].pk}"') :].split("</tr>")[0]
    teks = _aturan(row)
    assert atasan in teks and "(aturan saat diajukan)" in teks and kini in teks, teks

    # Submitted after the switch: the new rule, and no "Aturan JF kini" (they agree).
    (sesudah,) = diajukan(1, nip_prefix="19880101 201505 1 ")
    client.force_login(pic_pk)
    teks = _aturan(client.get(reverse("pengusulan:usulan_detail", args=[sesudah.pk])).content.decode())
    assert "Aturan PAK untuk usulan ini: PAK diterbitkan bersama SK" in teks and "Aturan JF kini" not in teks, teks
