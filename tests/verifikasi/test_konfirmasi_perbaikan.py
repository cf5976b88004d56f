"""Issue 14: confirmation before irreversible steps (item 7) on the pembina side — kirim
penilaian, putuskan sidang — and the rest of the perbaikan loop (item 4): a resubmission with
nothing changed is confirmed and recorded "tanpa perubahan", the verifier sees "tidak ada
perubahan"; the next round starts from the previous round's verdicts; the dashboards count a
resubmission once."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.pengusulan import services as pic_services
from apps.pengusulan.domain import Status
from apps.referensi.models import Kompetensi, PersyaratanDokumen
from apps.rekap import selectors as rekap_selectors
from apps.rekap.models import RekapHarian
from apps.rekap.services import rekap_bangun_ulang
from apps.verifikasi import services
from apps.verifikasi.models import Pemeriksaan, PemeriksaanDokumen, PenugasanPenilai, Sidang
from tests.pengusulan.conftest import pdf_upload
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _isian(response) -> dict:
    """The hidden fields of a confirmation page: the input it carries to the next POST."""
    isian: dict = {}
    for nama, nilai in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()):
        isian.setdefault(nama, []).append(html.unescape(nilai))
    return isian


def _kembalikan(usulan, v, *, tidak_sesuai=("ijazah",)):
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        hasil = {
            p.pk: (p.kode not in tidak_sesuai, "" if p.kode not in tidak_sesuai else "Belum dilegalisasi")
            for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
        }
        services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=hasil)
        services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="perbaikan", catatan="Lengkapi legalisasi.")


# --------------------------------------------------------------------------- kirim penilaian


def _tugas_penilai(diajukan, staf, tim):
    """A dossier in penilaian assigned to penilai1, who has declared no conflict of interest:
    (usulan, the penilai, the assignment)."""
    from tests.verifikasi.conftest import lulus_administrasi

    usulan = diajukan(1)[0]
    lulus_administrasi(usulan, staf)
    p1 = staf["penilai1"]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[p1])
    with as_user(p1):
        tugas = PenugasanPenilai.objects.get(usulan=usulan, penilai=p1)
        services.penugasan_bebas_konflik(actor=p1, penugasan=tugas)
    return usulan, p1, tugas


def test_sending_the_scores_shows_them_first_and_keeps_them_on_ubah(client, diajukan, staf, tim):
    usulan, p1, tugas = _tugas_penilai(diajukan, staf, tim)
    standar = list(Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).order_by("nomor"))
    isian = {f"level_{k.pk}": str(k.level) for k in standar} | {f"bukti_{standar[0].pk}": "Laporan & notulen 2025"}
    isian |= {"rekomendasi": "lulus", "catatan": "Layak.", "kirim": ""}
    client.force_login(p1)
    url = reverse("verifikasi:nilai", args=[tugas.pk])

    periksa = client.post(url, isian)
    body = periksa.content.decode()
    assert periksa.status_code == 200 and "Periksa sebelum mengirim penilaian" in body
    k = standar[0]
    assert f"{k.nomor}. {k.nama}: level {k.level} (dibutuhkan level {k.level})" in html.unescape(body)
    assert f"{len(standar)} dari {len(standar)}" in body and "dikunci" in body
    with as_user(p1):
        tugas.refresh_from_db()
        assert tugas.selesai_at is None and not tugas.nilai.exists()  # nothing sent, nothing saved

    ubah = client.post(url, {**_isian(periksa), "ubah": "1"}).content.decode()
    assert 'data-testid="bukti">Laporan &amp; notulen 2025</textarea>' in ubah
    assert '<option value="lulus" selected' in ubah

    done = client.post(url, {**_isian(periksa), "konfirmasi": "ya"})
    assert done.status_code == 302
    with as_user(p1):
        tugas.refresh_from_db()
        assert tugas.selesai_at is not None and tugas.rekomendasi == "lulus"
        assert tugas.nilai.get(kompetensi=k).catatan_bukti == "Laporan & notulen 2025"


def test_a_refused_send_is_explained_before_any_confirmation(client, diajukan, staf, tim):
    _usulan, p1, tugas = _tugas_penilai(diajukan, staf, tim)
    client.force_login(p1)
    response = client.post(reverse("verifikasi:nilai", args=[tugas.pk]), {"rekomendasi": "lulus", "kirim": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "halaman-konfirmasi" not in body and "alert-danger" in body


# --------------------------------------------------------------------------- putuskan sidang


def test_deciding_the_sidang_shows_the_decisions_first(client, sidang_terbuka, staf):
    sidang = sidang_terbuka
    with tenancy.all_tenants(reason="test"):
        anggota = list(sidang.tim.anggota.order_by("pk"))
        row = sidang.usulan.select_related("usulan").get()
    client.force_login(staf["ketua"])
    url = reverse("verifikasi:sidang", args=[sidang.pk])
    isian = {f"hadir_{a.pk}": "on" for a in anggota} | {
        f"keputusan_{row.usulan_id}": "tidak_lulus", f"alasan_{row.usulan_id}": "Portofolio kurang", "putuskan": "1",
    }  # fmt: skip
    periksa = client.post(url, isian)
    body = periksa.content.decode()
    assert periksa.status_code == 200 and "Periksa sebelum memutuskan sidang" in body
    assert "3 dari 3 anggota" in body and "0 lulus, 1 tidak lulus" in body
    assert f"{row.usulan.pegawai_nama} ({row.usulan.nomor}): Tidak lulus — Portofolio kurang" in body
    with tenancy.all_tenants(reason="test"):
        sidang.refresh_from_db()
        assert sidang.status != Sidang.Status.SELESAI and not sidang.hadir.exists()
        assert not AuditLog.objects.filter(action__startswith="usulan.", data__ke="tidak_lulus").exists()

    ubah = client.post(url, {**_isian(periksa), "ubah": "1"}).content.decode()
    assert '<option value="tidak_lulus" selected>' in ubah and 'value="Portofolio kurang"' in ubah
    assert f'id="h{anggota[2].pk}" checked' in ubah

    assert client.post(url, {**_isian(periksa), "konfirmasi": "ya"}).status_code == 302
    with tenancy.all_tenants(reason="test"):
        sidang.refresh_from_db()
        row.usulan.refresh_from_db()
    assert sidang.status == Sidang.Status.SELESAI and row.usulan.status == Status.TIDAK_LULUS


# --------------------------------------------------------------------------- the perbaikan loop


def test_a_resubmission_without_changes_is_confirmed_recorded_and_shown(client, diajukan, staf, pic_pk):
    usulan = diajukan(1)[0]
    _kembalikan(usulan, staf["verifikator"])
    client.force_login(pic_pk)
    url = reverse("pengusulan:usulan_ajukan", args=[usulan.pk])
    periksa = client.post(url, {"pengantar_nomor": "", "pengantar_tanggal": ""})
    body = periksa.content.decode()
    assert "Periksa sebelum mengajukan ulang" in body and 'data-testid="peringatan-konfirmasi"' in body
    assert "diajukan ulang tanpa perubahan" in body
    with tenancy.scope(pic_pk.instansi):
        usulan.refresh_from_db()
    assert usulan.status == Status.PERBAIKAN

    client.post(url, {**_isian(periksa), "konfirmasi": "ya"})
    with tenancy.all_tenants(reason="test"):
        usulan.refresh_from_db()
        ulang = AuditLog.objects.get(action="usulan.diajukan_ulang")
    assert usulan.status == Status.DIAJUKAN
    assert ulang.data["tanpa_perubahan"] is True and "Tanpa perubahan sejak dikembalikan" in ulang.message
    timeline = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    assert "Tanpa perubahan sejak dikembalikan untuk perbaikan." in timeline

    client.force_login(staf["verifikator"])
    page = client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode()
    assert 'data-testid="tidak-ada-perubahan"' in page and "Tidak ada perubahan" in page
    # the verifier's notice says there is no change (not "periksa dokumen yang berubah")
    isi = _pemberitahuan_ulang(usulan, staf["verifikator"])
    assert "tanpa perubahan" in isi and "tidak ada dokumen atau data pegawai yang diubah" in isi
    assert "yang berubah" not in isi


def _pemberitahuan_ulang(usulan, user) -> str:
    import uuid

    from apps.notifikasi.models import Notifikasi
    from apps.pengusulan.tasks import kabari_transisi

    kabari_transisi.apply(
        kwargs={"usulan_id": usulan.pk, "aksi": "ajukan", "dari": "perbaikan"}, task_id=str(uuid.uuid4())
    )
    with tenancy.all_tenants(reason="test"):
        notice = Notifikasi.objects.filter(user=user, jenis="usulan.ajukan").order_by("-id").first()
    assert notice.judul.startswith("Usulan diperbaiki")
    return notice.isi


def test_a_resubmission_with_a_new_version_is_not_marked_unchanged(client, diajukan, staf, pic_pk):
    usulan = diajukan(1)[0]
    _kembalikan(usulan, staf["verifikator"])
    ijazah = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="ijazah")
    with tenancy.scope(pic_pk.instansi):
        pic_services.dokumen_upload(
            actor=pic_pk, jf=usulan.jf, persyaratan=ijazah, upload=pdf_upload("ijazah-legalisir.pdf"), usulan=usulan
        )
    client.force_login(pic_pk)
    url = reverse("pengusulan:usulan_ajukan", args=[usulan.pk])
    periksa = client.post(url, {})
    body = periksa.content.decode()
    assert "Ijazah" in body and "(v2)" in body and 'data-testid="peringatan-konfirmasi"' not in body
    client.post(url, {**_isian(periksa), "konfirmasi": "ya"})
    with tenancy.all_tenants(reason="test"):
        ulang = AuditLog.objects.get(action="usulan.diajukan_ulang")
    assert "tanpa_perubahan" not in ulang.data and "Tanpa perubahan" not in ulang.message
    client.force_login(staf["verifikator"])
    page = client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode()
    assert 'data-testid="tidak-ada-perubahan"' not in page and 'data-testid="perubahan"' in page
    isi = _pemberitahuan_ulang(usulan, staf["verifikator"])
    assert "Periksa dokumen yang berubah" in isi and "tanpa perubahan" not in isi


def test_the_next_round_starts_from_the_previous_verdicts(client, diajukan, staf, pic_pk):
    usulan = diajukan(1)[0]
    v = staf["verifikator"]
    _kembalikan(usulan, v)
    wajib = list(PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True))
    ijazah = next(p for p in wajib if p.kode == "ijazah")
    with tenancy.scope(pic_pk.instansi):
        pic_services.dokumen_upload(
            actor=pic_pk, jf=usulan.jf, persyaratan=ijazah, upload=pdf_upload("ijazah-legalisir.pdf"), usulan=usulan
        )
        usulan.refresh_from_db()
        pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan)
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        kedua = Pemeriksaan.objects.get(usulan=usulan, putaran=2)
        temuan = {d.persyaratan_id: d for d in kedua.dokumen.all()}
    # every unchanged document carries its verdict; the changed ijazah has none
    assert set(temuan) == {p.pk for p in wajib} - {ijazah.pk}
    assert all(d.dibawa and d.sesuai for d in temuan.values())

    client.force_login(v)
    page = client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode()
    assert page.count('data-testid="putusan-dibawa"') == len(wajib) - 1
    card = page.split('data-persyaratan="ijazah"')[1].split('data-persyaratan="')[0]
    assert 'data-testid="perlu-diperiksa"' in card and 'data-testid="putusan-dibawa"' not in card

    # memenuhi needs only the changed document's verdict
    with as_user(v), pytest.raises(Exception, match="Dokumen belum diperiksa: Ijazah"):
        services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="memenuhi")
    with as_user(v):
        services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil={ijazah.pk: (True, "")})
        services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="memenuhi")
        usulan.refresh_from_db()
        assert usulan.status == Status.LULUS_ADMINISTRASI
        # a verdict the verifier changes is no longer "carried"
        assert not PemeriksaanDokumen.objects.get(pemeriksaan=kedua, persyaratan=ijazah).dibawa


def test_a_resubmission_is_counted_once_on_the_dashboard(diajukan, staf, pic_pk, pk):
    made = diajukan(2)
    for usulan in made:
        _kembalikan(usulan, staf["verifikator"])
        with tenancy.scope(pic_pk.instansi):
            usulan.refresh_from_db()
            pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan)
    with as_user(staf["admin"]):
        r = rekap_selectors.nasional([pk.pk])
    assert r["total"] == 2  # the card
    assert sum(r["throughput"]["diajukan"]) == 2  # the chart (was 4)


def test_the_rebuild_splits_old_resubmission_counts(diajukan, staf, pic_pk, pk):
    """Counts written before the fix (a resubmission as "ajukan") are split by the rebuild (and by
    migration rekap 0002) from the resubmissions' audit entries."""
    made = diajukan(2)
    for usulan in made:
        _kembalikan(usulan, staf["verifikator"])
        with tenancy.scope(pic_pk.instansi):
            usulan.refresh_from_db()
            pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan)
    hari_ini = timezone.localdate()
    RekapHarian.objects.filter(jf=pk, aksi="ajukan_ulang").delete()
    RekapHarian.objects.filter(jf=pk, aksi="ajukan").update(jumlah=4)  # as the old code counted
    RekapHarian.objects.create(jf=pk, tanggal=hari_ini - timedelta(days=3), aksi="ajukan", jumlah=5)
    with tenancy.all_tenants(reason="test rebuild"):
        rekap_bangun_ulang()
        rekap_bangun_ulang()  # idempotent
    counts = dict(RekapHarian.objects.filter(jf=pk, tanggal=hari_ini).values_list("aksi", "jumlah"))
    assert counts["ajukan"] == 2 and counts["ajukan_ulang"] == 2
    assert RekapHarian.objects.get(jf=pk, tanggal=hari_ini - timedelta(days=3), aksi="ajukan").jumlah == 5
