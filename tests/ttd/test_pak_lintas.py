"""A provincial Tim Penilai AK's PAK of a kabupaten holder is filed under the kabupaten (the holder's
tenant) and issued by the province: the PYB it names, a signing official of the province, reads
and e-signs it here (a real PAdES signature the test CA trusts) — and reaches nothing else of the
kabupaten: not its other letters, not a letter naming someone else."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from apps.core import tenancy
from apps.penetapan import selectors, services
from apps.surat.models import Surat, VersiSurat
from apps.ttd import validasi
from apps.ttd.models import TandaTangan
from apps.ttd.pades import konteks_validasi
from tests.factories import InstansiFactory, UserFactory
from tests.penetapan.conftest import as_user, bentuk_tim, buat_pejabat, periode_seed_001, usulan_diajukan
from tests.surat.conftest import render_antrean
from tests.ttd.conftest import baca, daftar_pejabat, ttd_antrean

pytestmark = pytest.mark.django_db

PYB = ("Dr. Sekretaris Daerah, M.Si.", "Sekretaris Daerah Provinsi Jawa Tengah", "197001011990031001")


def _pak_dan_hapak(pic_kab, kab, jfak, prov):
    """Budi (62,5 AK) gets a PAK signed by the PYB, Ani (40 AK) a HAPAK signed by the ketua."""
    tim = bentuk_tim(prov, jfak, "provinsi", n=3)
    budi = buat_pejabat(kab, jfak, nip="198701012010011003", nama="Budi Santoso", ak_awal=Decimal("62.5"))
    ani = buat_pejabat(kab, jfak, ak_awal=Decimal("40"))
    ids = []
    for p in (budi, ani):
        u = usulan_diajukan(pic_kab, p)
        with as_user(tim["sekretariat"]):
            services.sekretariat_periksa(actor=tim["sekretariat"], usulan=selectors.usulan(u.pk), lengkap=True)
        for a in tim["anggota"]:
            with as_user(a.user):
                services.penilaian_simpan(actor=a.user, usulan=selectors.usulan(u.pk), rekomendasi="setuju")
        ids.append(u.pk)
    with as_user(tim["sekretariat"]):
        sidang = services.sidang_buka(actor=tim["sekretariat"], tim=tim["tim"], tanggal=timezone.localdate(),
                                      usulan_ids=ids)  # fmt: skip
    ketua = tim["anggota"][0].user
    with as_user(ketua):
        hasil = services.sidang_putuskan(actor=ketua, sidang=sidang, pyb=PYB,
                                         hadir_ids=[a.pk for a in tim["anggota"]])  # fmt: skip
    render_antrean()
    with tenancy.all_tenants(reason="test"):
        by = {h.pejabat_nama: Surat.objects.get(pk=h.surat_id) for h in hasil}
        versi = {
            n: VersiSurat.objects.select_related("surat").get(surat=s, diganti_at__isnull=True) for n, s in by.items()
        }
    return versi["Budi Santoso"], versi["Ani Wulandari"]


def test_the_provinces_pyb_signs_the_kabupaten_holders_pak_and_sees_nothing_else(client, ca, referensi):
    jfak = periode_seed_001(referensi["analis-kebijakan"])
    prov = InstansiFactory(kode="PROV-JATENG", nama="Pemerintah Provinsi Jawa Tengah", jenis="provinsi")
    kab = InstansiFactory(kode="KAB-BANYUMAS", nama="Pemerintah Kabupaten Banyumas", jenis="kabupaten", parent=prov)
    pic_kab = UserFactory(username="pic.banyumas", instansi=kab, roles=["pic_instansi"])
    pak, hapak = _pak_dan_hapak(pic_kab, kab, jfak, prov)
    assert (pak.surat.penerbit_id, pak.surat.instansi_id) == (prov.pk, kab.pk)
    sekda = UserFactory(username="sekda.jateng", instansi=prov, roles=["ppk"], nip=PYB[2])
    identitas = ca.pejabat(PYB[0], nik="3374011201700001", nip=PYB[2], instansi="Pemerintah Provinsi Jawa Tengah")
    pejabat = daftar_pejabat(instansi=prov, user=sekda, identitas=identitas, nama=PYB[0], nip=PYB[2], jabatan=PYB[1])
    client.force_login(sekda)
    # The PAK naming the PYB is in the queue, readable; the HAPAK (the ketua's) is not.
    antrean = client.get(reverse("ttd:antrean")).content.decode()
    assert pak.surat.nomor in antrean and hapak.surat.nomor not in antrean
    pdf = client.get(reverse("ttd:baca", args=[pak.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:4] == b"%PDF"
    assert client.get(reverse("ttd:baca", args=[hapak.pk])).status_code == 404
    # Another letter of the kabupaten: not signable, not readable, and the batch is refused whole.
    r = client.post(reverse("ttd:tandatangani"), {"versi": [pak.pk, hapak.pk]})
    assert r.status_code == 404
    assert client.get(reverse("surat:detail", args=[hapak.surat_id])).status_code == 404
    r = client.post(reverse("ttd:tandatangani"), {"versi": [pak.pk]})
    assert r.status_code == 302
    assert ttd_antrean() == 1
    with tenancy.all_tenants(reason="test assertion"):
        tt = TandaTangan.objects.get(versi=pak)
        assert (tt.status, tt.pejabat_id, tt.instansi_id, tt.penandatangan_nip) == ("selesai", pejabat.pk, kab.pk,
                                                                                     PYB[2])  # fmt: skip
        versi = VersiSurat.objects.select_related("surat").get(pk=pak.pk)
        assert not TandaTangan.objects.filter(versi=hapak).exists()
    terbit, signed = baca(versi.berkas), baca(versi.ttd_berkas)
    assert signed.startswith(terbit) and len(signed) > len(terbit)
    (sig,) = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures
    vc = konteks_validasi(validasi.trust_roots(), validasi.intermediates())
    status = validate_pdf_signature(sig, signer_validation_context=vc)
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.signing_cert.subject.native["common_name"] == PYB[0]
    # The batch page shows the kabupaten's letter to the one who signed it.
    batch = client.get(reverse("ttd:batch", args=[tt.batch_id])).content.decode()
    assert pak.surat.nomor in batch and "Ditandatangani" in batch
    # The kabupaten's PIC downloads the signed PAK; the holder's letter list has it.
    client.force_login(pic_kab)
    assert client.get(reverse("surat:unduh_ttd", args=[pak.pk])).status_code == 200
