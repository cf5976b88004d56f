"""The usulan penetapan AK end to end through the services: period windows with the BUP
exception, the sekretariat's return loop, team fallback, self-assessment refused with a
substitute stepping in, the quorum edges, PAK vs HAPAK (PDF text), and the tenant boundary."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import AuditLog, OutboxMessage
from apps.jabatan.models import MutasiAK
from apps.penetapan import selectors, services
from apps.penetapan.alur import PenetapanError
from apps.penetapan.models import PenilaianAK, SidangAK, UsulanPenetapanAK
from apps.surat.models import JenisSurat, Surat, VersiSurat
from tests.penetapan.conftest import (
    DALAM_PERIODE,
    PYB,
    as_user,
    bentuk_tim,
    buat_pejabat,
    ke_penilaian,
    lengkapi,
    nilai_ak,
    sidang_ani_dan_budi,
    usulan_diajukan,
)
from tests.surat.conftest import render_antrean

pytestmark = pytest.mark.django_db


@pytest.fixture
def tim_pusat(jfak):
    return bentuk_tim(jfak.instansi_pembina, jfak, "pusat", n=3, prefix="tpp")


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize("pada", [date(2026, 9, 30), date(2026, 10, 8)])
def test_outside_the_period_is_refused_with_the_next_window(pic_kab, ani, tim_prov, pada):
    with as_user(pic_kab), pytest.raises(PenetapanError) as exc:
        services.usulan_buat(actor=pic_kab, pejabat=ani, pada=pada)
    pesan = exc.value.messages[0]
    assert "hanya dapat diajukan pada periode" in pesan
    assert "batas usia pensiun (58 tahun" in pesan
    with as_user(pic_kab):
        assert not UsulanPenetapanAK.objects.exists()


@pytest.mark.parametrize("pada", [date(2026, 10, 1), date(2026, 10, 7)])
def test_inside_the_window_edges_the_usulan_is_made_for_that_period(pic_kab, ani, tim_prov, pada):
    with as_user(pic_kab):
        u = services.usulan_buat(actor=pic_kab, pejabat=ani, pada=pada)
    assert (u.periode.kode, u.tahun, u.luar_periode_bup, u.status) == ("I", 2026, False, "draft")


@pytest.mark.parametrize(
    ("lahir", "boleh"),
    [
        (date(1968, 11, 30), True),  # 58 today: "telah memasuki batas usia pensiun"
        (date(1968, 11, 1), True),  # 58 this month, TMT pensiun 1 December: still in service
        (date(1968, 12, 1), False),  # 58 tomorrow: not yet reached
        (date(1969, 7, 1), False),  # 58 on the next PAK month (1 July 2027): not yet reached
    ],
)
def test_bup_exception_at_its_edge(pic_kab, kab, jfak, tim_prov, lahir, boleh):
    """30 November 2026 is outside both windows. Seed 001 BAB IV C: outside a period only a JFAK
    who "telah memasuki batas usia pensiun" — an Ahli Pertama (BUP 58) who is 58 today or since
    earlier this month (TMT pensiun 1 December) may; one who turns 58 tomorrow or next July may not
    (the portal let the latter through before: issue 19 fresh-eye walk)."""
    p = buat_pejabat(kab, jfak, nip="196907012000011001", nama="Pensiun Segera", lahir=lahir)
    pada = date(2026, 11, 30)
    with as_user(pic_kab):
        if boleh:
            u = services.usulan_buat(actor=pic_kab, pejabat=p, pada=pada)
            assert u.luar_periode_bup and u.periode_id is None
            lengkapi(pic_kab, u)
            u = services.usulan_ajukan(actor=pic_kab, usulan=u, pada=pada)
            assert u.status == "diajukan"
        else:
            with pytest.raises(PenetapanError) as exc:
                services.usulan_buat(actor=pic_kab, pejabat=p, pada=pada)
            assert "telah memasuki batas usia pensiun (58 tahun: bagi pejabat ini mulai" in exc.value.messages[0]
            assert not UsulanPenetapanAK.objects.filter(pejabat=p).exists()


def test_a_jf_without_periods_refuses_the_usulan_unless_the_holder_has_reached_the_bup(pic_kab, kab, referensi):
    """No period configured: a holder decades from pension is refused with a clear message (not
    filed 'di luar periode (batas usia pensiun)'), and so is one who reaches the BUP next January;
    a holder who has reached it (seed 001: "telah memasuki batas usia pensiun") and is still in
    service may."""
    from apps.penetapan.models import PeriodePenetapan

    jf = referensi["analis-kebijakan"]
    assert not PeriodePenetapan.objects.filter(jf=jf).exists()
    muda = buat_pejabat(kab, jf, nip="199001012015011001", nama="Muda Sekali", lahir=date(1990, 1, 1))
    pada = date(2026, 11, 30)
    with as_user(pic_kab), pytest.raises(PenetapanError) as exc:
        services.usulan_buat(actor=pic_kab, pejabat=muda, pada=pada)
    assert "belum ada periode penilaian untuk JF ini" in exc.value.messages[0]
    assert "telah memasuki batas usia pensiun, mulai 1 Januari 2048" in exc.value.messages[0]
    tua = buat_pejabat(kab, jf, nip="196811052000011001", nama="Pensiun Bulan Ini", lahir=date(1968, 11, 5))
    with as_user(pic_kab):
        assert not UsulanPenetapanAK.objects.filter(pejabat=muda).exists()
        u = services.usulan_buat(actor=pic_kab, pejabat=tua, pada=pada)
    assert u.luar_periode_bup and u.periode_id is None
    # Reaching the BUP next January (5 January 2027) is not "telah memasuki": refused until then.
    segera = buat_pejabat(kab, jf, nip="196901052000031002", nama="Pensiun Januari", lahir=date(1969, 1, 5))
    with as_user(pic_kab):
        assert "belum ada periode penilaian" in services.alasan_tidak_bisa_buat(segera, pada)
        with pytest.raises(PenetapanError):
            services.usulan_buat(actor=pic_kab, pejabat=segera, pada=pada)
        u2 = services.usulan_buat(actor=pic_kab, pejabat=segera, pada=date(2027, 1, 5))
    assert u2.luar_periode_bup and u2.periode_id is None


def test_a_draft_from_a_closed_window_cannot_be_submitted_later(pic_kab, ani, tim_prov):
    with as_user(pic_kab):
        u = services.usulan_buat(actor=pic_kab, pejabat=ani, pada=DALAM_PERIODE)
        lengkapi(pic_kab, u)
        with pytest.raises(PenetapanError, match="hanya dapat diajukan pada periode"):
            services.usulan_ajukan(actor=pic_kab, usulan=u, pada=date(2026, 10, 8))
        assert UsulanPenetapanAK.objects.get(pk=u.pk).status == "draft"


def test_missing_documents_are_named(pic_kab, ani, tim_prov):
    with as_user(pic_kab):
        u = services.usulan_buat(actor=pic_kab, pejabat=ani, pada=DALAM_PERIODE)
        with pytest.raises(PenetapanError) as exc:
            services.usulan_ajukan(actor=pic_kab, usulan=u, pada=DALAM_PERIODE)
    assert "SK jabatan fungsional terakhir" in exc.value.messages[0]
    assert "PAK terakhir" in exc.value.messages[0]


# --------------------------------------------------------------------------- sekretariat, return loop


def test_the_sekretariat_return_loop(pic_kab, ani, tim_prov):
    u = usulan_diajukan(pic_kab, ani)
    assert (u.tim_id, u.instansi_penilai_id, u.putaran) == (tim_prov["tim"].pk, tim_prov["tim"].instansi_id, 1)
    stp = tim_prov["sekretariat"]
    with as_user(stp):
        u = selectors.usulan(u.pk)  # the province's sekretariat sees the kabupaten's usulan
        with pytest.raises(PenetapanError, match="Tuliskan catatan"):
            services.sekretariat_periksa(actor=stp, usulan=u, lengkap=False, catatan="  ")
        u = services.sekretariat_periksa(actor=stp, usulan=u, lengkap=False, catatan="SKP 2025 belum dilegalisir.")
    assert u.status == "dikembalikan"
    with as_user(pic_kab):
        # The PIC replaces the document and resubmits; the period is kept even after the window.
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.pdfs import valid_pdf

        services.dokumen_unggah(
            actor=pic_kab,
            usulan=u,
            jenis="skp",
            upload=SimpleUploadedFile("skp-legalisir.pdf", valid_pdf(2), "application/pdf"),
        )
        u = services.usulan_ajukan(actor=pic_kab, usulan=u, pada=date(2026, 10, 20))
        assert (u.status, u.putaran, u.periode.kode) == ("diajukan", 2, "I")
        assert u.dokumen.filter(jenis="skp").count() == 2
        assert u.dokumen.filter(jenis="skp", diganti_at__isnull=True).get().nama_asli == "skp-legalisir.pdf"
    with as_user(stp):
        u = services.sekretariat_periksa(actor=stp, usulan=u, lengkap=True)
    assert u.status == "penilaian"
    with tenancy.all_tenants(reason="test"):
        aksi = list(
            AuditLog.objects.filter(object_id=str(u.pk), action__startswith="penetapan.")
            .order_by("id")
            .values_list("action", flat=True)
        )
        notices = set(OutboxMessage.objects.filter(task_name="penetapan.kabari").values_list("kwargs__aksi", flat=True))
    assert aksi == [
        "penetapan.dibuat",
        *["penetapan.dokumen_diunggah"] * 4,
        "penetapan.diajukan",
        "penetapan.dikembalikan",
        "penetapan.dokumen_diunggah",
        "penetapan.dokumen_diganti",  # the SKP replaced: before → after (issue 19, fresh-eye walk 2)
        "penetapan.diajukan_ulang",
        "penetapan.lengkap",
    ]
    assert notices == {"ajukan", "kembalikan", "nyatakan_lengkap"}


def test_the_notice_of_a_return_reaches_the_pic_with_the_notes(pic_kab, ani, tim_prov):
    from apps.notifikasi.models import Notifikasi
    from apps.penetapan.tasks import kabari

    u = usulan_diajukan(pic_kab, ani)
    stp = tim_prov["sekretariat"]
    with as_user(stp):
        services.sekretariat_periksa(actor=stp, usulan=u, lengkap=False, catatan="SK pangkat tidak terbaca.")
    assert kabari.apply(kwargs={"usulan_id": u.pk, "aksi": "kembalikan", "oleh": stp.pk}).get() == 1
    n = Notifikasi.objects.get(user=pic_kab)
    assert "perlu dilengkapi" in n.judul and "SK pangkat tidak terbaca." in n.isi


def test_a_sekretariat_out_of_term_or_of_another_team_cannot_check(pic_kab, ani, tim_prov, jfak, prov, kab2):
    u = usulan_diajukan(pic_kab, ani)
    lama = bentuk_tim(
        prov,
        jfak,
        "provinsi",
        n=3,
        prefix="lama",
        sekretariat_mulai=timezone.localdate().replace(year=timezone.localdate().year - 2),
    )
    stp_lama = lama["sekretariat"]
    with tenancy.all_tenants(reason="test"):
        # The old sekretariat member also sits in this team, but the term ended a year ago.
        from apps.penetapan.models import SekretariatTimAK

        SekretariatTimAK.objects.filter(user=stp_lama).update(tim=tim_prov["tim"])
    with as_user(stp_lama):
        u = selectors.usulan(u.pk)
        with pytest.raises(PenetapanError, match="Peran Anda"):
            services.sekretariat_periksa(actor=stp_lama, usulan=u, lengkap=True)
    with as_user(pic_kab), pytest.raises(PenetapanError, match="Peran Anda"):
        services.sekretariat_periksa(actor=pic_kab, usulan=u, lengkap=True)


# --------------------------------------------------------------------------- team fallback


def test_the_pusat_team_assesses_when_neither_instansi_nor_province_has_one(pic_kab, ani, tim_pusat):
    u = usulan_diajukan(pic_kab, ani)
    assert u.tim_id == tim_pusat["tim"].pk and u.instansi_penilai_id == tim_pusat["tim"].instansi_id


def test_the_instansi_own_team_comes_first(pic_kab, ani, tim_prov, tim_pusat, kab, jfak):
    own = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpk")
    u = usulan_diajukan(pic_kab, ani)
    assert u.tim_id == own["tim"].pk


def test_no_team_at_all_is_a_clear_refusal(pic_kab, ani, jfak):
    with as_user(pic_kab):
        u = services.usulan_buat(actor=pic_kab, pejabat=ani, pada=DALAM_PERIODE)
        lengkapi(pic_kab, u)
        with pytest.raises(PenetapanError, match="Belum ada tim penilai"):
            services.usulan_ajukan(actor=pic_kab, usulan=u, pada=DALAM_PERIODE)


# --------------------------------------------------------------------------- assessment, quorum


def test_a_member_never_assesses_their_own_usulan_and_a_substitute_steps_in(pic_kab, kab, jfak, prov):
    tim = bentuk_tim(prov, jfak, "provinsi", n=5, pengganti=1, nips={2: "198609262015052001"})
    sendiri = buat_pejabat(kab, jfak)  # NIP 198609262015052001: the third member of the team
    u = ke_penilaian(pic_kab, sendiri, tim)
    ketua, _sek, dia, *_rest, pengganti = tim["anggota"]
    with as_user(dia.user), pytest.raises(PenetapanError, match="atas nama dirinya sendiri"):
        services.penilaian_simpan(actor=dia.user, usulan=u, rekomendasi="setuju")
    # The substitute may not assess until the ketua names them for this usulan.
    with as_user(pengganti.user), pytest.raises(PenetapanError, match="bukan anggota pengganti"):
        services.penilaian_simpan(actor=pengganti.user, usulan=u, rekomendasi="setuju")
    with as_user(ketua.user):
        with pytest.raises(PenetapanError, match="anggota pengganti tidak diperlukan"):
            services.pengganti_tunjuk(actor=ketua.user, usulan=u, diganti=_sek, pengganti=pengganti)
        services.pengganti_tunjuk(actor=ketua.user, usulan=u, diganti=dia, pengganti=pengganti)
    with as_user(_sek.user), pytest.raises(PermissionDenied):
        services.pengganti_tunjuk(actor=_sek.user, usulan=u, diganti=dia, pengganti=pengganti)
    row = nilai_ak(pengganti, u)
    assert row.menggantikan_id == dia.pk and row.selesai_at is not None
    with tenancy.all_tenants(reason="test"):
        assert not PenilaianAK.objects.filter(usulan=u, anggota=dia).exists()
    with as_user(tim["sekretariat"]):
        assert selectors.jumlah_dinilai([u.pk]) == {u.pk: 1}


def test_sidang_opens_at_two_thirds_assessed_and_is_valid_at_two_thirds_attending(pic_kab, ani, tim_prov):
    """5 members: 3 assessed is short, 4 opens the sidang; 3 attending is short, 4 is valid."""
    u = ke_penilaian(pic_kab, ani, tim_prov)
    anggota = tim_prov["anggota"][:5]
    stp = tim_prov["sekretariat"]
    tim = tim_prov["tim"]
    for a in anggota[:3]:
        nilai_ak(a, u)
    with as_user(stp):
        with pytest.raises(PenetapanError, match=r"3 dari 5 anggota menilai \(perlu 4\)"):
            services.sidang_buka(actor=stp, tim=tim, tanggal=timezone.localdate(), usulan_ids=[u.pk])
        assert not SidangAK.objects.exists()
    nilai_ak(anggota[3], u)
    with as_user(stp):
        sidang = services.sidang_buka(
            actor=stp, tim=tim, tanggal=timezone.localdate(), usulan_ids=[u.pk], tempat="Semarang"
        )
        assert selectors.usulan(u.pk).status == "sidang"
    ketua = anggota[0].user
    with as_user(ketua):
        with pytest.raises(PenetapanError, match="hadir 3 dari 5, perlu 4"):
            services.sidang_putuskan(actor=ketua, sidang=sidang, hadir_ids=[a.pk for a in anggota[:3]], pyb=PYB)
        assert SidangAK.objects.get(pk=sidang.pk).status == "dibuka"
    # A non-ketua member cannot decide it.
    with as_user(anggota[1].user), pytest.raises(PermissionDenied):
        services.sidang_putuskan(actor=anggota[1].user, sidang=sidang, hadir_ids=[a.pk for a in anggota], pyb=PYB)
    with as_user(ketua):
        hasil = services.sidang_putuskan(actor=ketua, sidang=sidang, hadir_ids=[a.pk for a in anggota[:4]], pyb=PYB)
        assert [h.status for h in hasil] == ["hapak"]
        assert SidangAK.objects.get(pk=sidang.pk).hadir.count() == 4


# --------------------------------------------------------------------------- PAK vs HAPAK


def _pdf_text(surat) -> str:
    with tenancy.all_tenants(reason="test"):
        versi = VersiSurat.objects.get(surat=surat, diganti_at__isnull=True)
        assert versi.status == "selesai", versi.galat
        data = versi.berkas.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_pak_for_the_holder_who_meets_the_requirement_hapak_for_the_other(pic_kab, ani, budi, tim_prov):
    """Ani has 40 AK (Ahli Pertama needs 50 for the next pangkat): HAPAK with the ketua's covering
    letter, endorsed by the sekretariat. Budi has 62,5: a PAK signed by the PYB with seed 001's
    tembusan, appended to his ledger with the letter as source."""
    hasil = sidang_ani_dan_budi(pic_kab, ani, budi, tim_prov)
    ketua = tim_prov["anggota"][0]
    by_nama = {h.pejabat_nama: h for h in hasil}
    ani_u, budi_u = by_nama["Ani Wulandari"], by_nama["Budi Santoso"]
    assert (ani_u.status, ani_u.hasil, ani_u.ak_kumulatif, ani_u.ak_syarat) == (
        "hapak",
        "hapak",
        Decimal("40"),
        Decimal("50"),
    )
    assert (budi_u.status, budi_u.hasil, budi_u.ak_kumulatif) == ("pak", "pak", Decimal("62.5"))
    assert render_antrean() == 2
    with tenancy.all_tenants(reason="test"):
        pak = Surat.objects.get(pk=budi_u.surat_id)
        hapak = Surat.objects.get(pk=ani_u.surat_id)
        assert (pak.jenis, pak.penerbit_id, pak.instansi_id) == (
            JenisSurat.PAK_AK,
            tim_prov["tim"].instansi_id,
            budi_u.instansi_id,
        )
        assert pak.penandatangan_nama == PYB[0] and "/PAK/" in pak.nomor
        assert hapak.jenis == JenisSurat.HAPAK and "/HAPAK/" in hapak.nomor
        assert hapak.penandatangan_nama == ketua.user.nama_lengkap
        ledger = list(MutasiAK.objects.filter(pejabat=budi).order_by("id").values_list("jenis", "nilai", "surat_id"))
        assert ledger == [("awal", Decimal("62.500"), None), ("penetapan", Decimal("0.000"), pak.pk)]
        assert not MutasiAK.objects.filter(pejabat=ani, jenis="penetapan").exists()
    teks = " ".join(_pdf_text(pak).split())
    assert "PENETAPAN ANGKA KREDIT" in teks and "Budi Santoso" in teks and "Angka kredit kumulatif 62,5" in teks
    assert "tidak dapat diajukan keberatan" in teks
    # Seed 001 BAB IV E.3, from the JF's own data: its pembina's head and unit, never a placeholder;
    # item c as the seed words it (it does not choose between Biro, BKD and Badan Kepegawaian).
    assert "Kepala Instansi Pembina" not in teks and "unit pembina jabatan fungsional" not in teks
    for t in (
        "Kepala Lembaga Administrasi Negara u.p. Kepala Pusat Pembinaan Analis Kebijakan",
        "Sekretaris Tim Penilai",
        "Kepala Biro/Badan Kepegawaian Daerah/Badan Kepegawaian Pemerintah Kabupaten Banyumas",
        "Pejabat lain yang berkepentingan",
        "Arsip",
    ):
        assert t in teks
    assert PYB[1] in teks
    teks = " ".join(_pdf_text(hapak).split())
    assert "HASIL PENILAIAN ANGKA KREDIT (HAPAK)" in teks.upper() and "Ani Wulandari" in teks
    # The threshold is named (issue 19 fresh-eye walk: "yang dipersyaratkan" alone left it open).
    assert "Angka kredit yang dipersyaratkan untuk 50 kenaikan pangkat setingkat lebih tinggi" in teks
    assert "Kekurangan angka kredit untuk kenaikan 10 pangkat setingkat lebih tinggi" in teks
    assert "Belum memenuhi angka kredit yang dipersyaratkan untuk kenaikan pangkat setingkat lebih tinggi." in teks
    assert f"Ketua {tim_prov['tim'].nama}" in teks
    # The endorsement is the sekretariat's paraf, given after the PDF is rendered (bound to its
    # hash): the letter states the rule, true for every version, not a name or date it cannot know.
    assert (
        f"Pengesahan Sekretariat Tim Penilai: surat ini ditandatangani Ketua {tim_prov['tim'].nama} hanya setelah "
        "diparaf secara elektronik oleh anggota Sekretariat Tim Penilai pada versi surat ini." in teks
    )
    assert "Disahkan oleh" not in teks


def test_a_pak_correction_is_a_new_version_with_the_same_number(pic_kab, budi, tim_prov):
    u = ke_penilaian(pic_kab, budi, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, u)
    stp, ketua = tim_prov["sekretariat"], tim_prov["anggota"][0]
    with as_user(stp):
        sidang = services.sidang_buka(actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk])
    with as_user(ketua.user):
        (u,) = services.sidang_putuskan(
            actor=ketua.user, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in tim_prov["anggota"][:4]]
        )
    with as_user(stp):
        with pytest.raises(ValidationError, match="alasan"):
            services.surat_koreksi(actor=stp, usulan=u, alasan=" ")
        services.surat_koreksi(actor=stp, usulan=u, alasan="Nama instansi keliru.")
    with as_user(ketua.user), pytest.raises(PermissionDenied):
        services.surat_koreksi(actor=ketua.user, usulan=u, alasan="x")
    with tenancy.all_tenants(reason="test"):
        surat = Surat.objects.get(pk=u.surat_id)
    with tenancy.all_tenants(reason="test"):
        versi = list(VersiSurat.objects.filter(surat=surat).order_by("versi"))
        assert [v.versi for v in versi] == [1, 2] and versi[0].diganti_at is not None
        assert versi[1].isi["nomor"] == versi[0].isi["nomor"] and versi[1].isi["ak_kumulatif"] == "62,5"
        # The PYB is not typed in a correction: the one the sidang named stays (test_koreksi_hak).
        assert versi[1].isi["penandatangan"]["nip"] == PYB[2]


# --------------------------------------------------------------------------- tenant boundary


def test_another_instansi_sees_nothing_manager_and_rls(pic_kab, pic_kab2, ani, tim_prov, tim_pusat):
    u = usulan_diajukan(pic_kab, ani)
    for user in (pic_kab2, tim_pusat["sekretariat"], tim_pusat["anggota"][0].user):
        with as_user(user):
            with pytest.raises(Http404):
                selectors.usulan(u.pk)
            with connection.cursor() as c:
                c.execute("SELECT count(*) FROM penetapan_usulanpenetapanak")
                assert c.fetchone() == (0,)
                c.execute("SELECT count(*) FROM penetapan_dokumenpenetapan")
                assert c.fetchone() == (0,)
    with as_user(tim_prov["anggota"][2].user), connection.cursor() as c:
        c.execute("SELECT count(*) FROM penetapan_usulanpenetapanak")
        assert c.fetchone() == (1,)
    # The PIC of another kabupaten cannot start an usulan for this holder.
    with as_user(pic_kab2), pytest.raises(PermissionDenied):
        services.usulan_buat(actor=pic_kab2, pejabat=ani, pada=DALAM_PERIODE)


def test_the_pembina_sees_submitted_usulan_of_its_jf_only_once_submitted(pic_kab, ani, kab, jfak, admin_lan, tim_prov):
    with as_user(pic_kab):
        draft = services.usulan_buat(actor=pic_kab, pejabat=ani, pada=DALAM_PERIODE)
    with as_user(admin_lan), pytest.raises(Http404):
        selectors.usulan(draft.pk)
    with as_user(pic_kab):
        lengkapi(pic_kab, draft)
        services.usulan_ajukan(actor=pic_kab, usulan=draft, pada=DALAM_PERIODE)
    with as_user(admin_lan):
        assert selectors.usulan(draft.pk).pk == draft.pk
        rekap = selectors.rekap_periode()
    assert rekap == [
        {
            "jf__nama": jfak.nama,
            "tahun": 2026,
            "periode__nama": "Periode I",
            "diajukan": 1,
            "pak": 0,
            "hapak": 0,
            "proses": 1,
        }
    ]


def test_the_holder_sees_their_own_usulan_and_nobody_elses(pic_kab, kab, ani, budi, tim_prov):
    from tests.factories import UserFactory

    u_ani = usulan_diajukan(pic_kab, ani)
    u_budi = usulan_diajukan(pic_kab, budi)
    holder = UserFactory(username="ani.holder", instansi=kab, roles=["pejabat_fungsional"])
    with tenancy.all_tenants(reason="test"):
        type(ani).objects.filter(pk=ani.pk).update(user=holder)
    holder = type(holder).objects.get(pk=holder.pk)
    with as_user(holder):
        assert list(selectors.terlihat(holder).values_list("pk", flat=True)) == [u_ani.pk]
        with pytest.raises(Http404):
            selectors.usulan(u_budi.pk)
        with connection.cursor() as c:
            c.execute("SELECT id FROM penetapan_usulanpenetapanak")
            assert c.fetchall() == [(u_ani.pk,)]


def test_a_tpi_pak_waits_for_the_pyb_signature_and_verifies_publicly(client, pic_kab, kab, jfak, budi):
    """The instansi's own team: the PAK's signer (the PYB's NIP) finds it in the TTE queue, and
    its printed code opens the public verification page."""
    from apps.ttd.models import Pejabat
    from apps.ttd.services import antrean_ttd
    from tests.factories import UserFactory

    tim = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpk")
    u = ke_penilaian(pic_kab, budi, tim)
    for a in tim["anggota"][:2]:
        nilai_ak(a, u)
    with as_user(tim["sekretariat"]):
        sidang = services.sidang_buka(actor=tim["sekretariat"], tim=tim["tim"], tanggal=timezone.localdate(),
                                      usulan_ids=[u.pk])  # fmt: skip
    ketua = tim["anggota"][0].user
    with as_user(ketua):
        (u,) = services.sidang_putuskan(actor=ketua, sidang=sidang, pyb=PYB,
                                        hadir_ids=[a.pk for a in tim["anggota"][:2]])  # fmt: skip
    assert render_antrean() == 1
    pyb = UserFactory(username="pyb.banyumas", instansi=kab, roles=["ppk"], nip=PYB[2])
    with tenancy.all_tenants(reason="test fixture"):
        Pejabat.objects.create(instansi=kab, user=pyb, nama=PYB[0], jabatan=PYB[1], nip=PYB[2], backend="pkcs12")
        versi = VersiSurat.objects.get(surat_id=u.surat_id)
    with as_user(pyb):
        assert [v.pk for v in antrean_ttd(pyb)] == [versi.pk]
    page = client.get(f"/v/{versi.kode}/")
    assert page.status_code == 200 and u.surat_nomor in page.content.decode()


def test_the_pyb_must_be_the_registered_signing_official_it_names(pic_kab, budi, tim_prov, prov):
    """The PAK printed 'Dr. Hendra Gunawan' with the NIP of Rahmat Hidayat, the instansi's
    registered signing official, and landed in his TTE queue: a PYB whose NIP is not registered,
    or whose name is not that official's, is refused and nothing is issued; the registered
    official's name with other titles/case is accepted."""
    from apps.ttd.models import Pejabat

    with tenancy.all_tenants(reason="test"):
        Pejabat.objects.create(
            instansi=prov, nama="Rahmat Hidayat", nip="197505052000031002", jabatan="Sekretaris Daerah",
            backend="pkcs12",
        )  # fmt: skip
    ub = ke_penilaian(pic_kab, budi, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, ub)
    stp, ketua = tim_prov["sekretariat"], tim_prov["anggota"][0]
    with as_user(stp):
        sidang = services.sidang_buka(actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[ub.pk])
    hadir = [a.pk for a in tim_prov["anggota"][:5]]
    with as_user(ketua.user):
        with pytest.raises(PenetapanError, match="tidak sesuai dengan pejabat penanda tangan terdaftar"):
            services.sidang_putuskan(
                actor=ketua.user, sidang=sidang, hadir_ids=hadir,
                pyb=("Dr. Hendra Gunawan, M.Si.", "Sekretaris Daerah", "197505052000031002"),
            )  # fmt: skip
        with pytest.raises(PenetapanError, match="tidak terdaftar"):
            services.sidang_putuskan(actor=ketua.user, sidang=sidang, hadir_ids=hadir, pyb=PYB)
        assert SidangAK.objects.get(pk=sidang.pk).status == "dibuka"
        assert not Surat.objects.filter(jenis=JenisSurat.PAK_AK).exists()
        (u,) = services.sidang_putuskan(
            actor=ketua.user, sidang=sidang, hadir_ids=hadir,
            pyb=("DR. IR. RAHMAT HIDAYAT, M.Si.", "Sekretaris Daerah", "197505052000031002"),
        )  # fmt: skip
    assert u.hasil == "pak"
    with tenancy.all_tenants(reason="test"):
        surat = Surat.objects.get(jenis=JenisSurat.PAK_AK)
    assert surat.penandatangan_nip == "197505052000031002"
