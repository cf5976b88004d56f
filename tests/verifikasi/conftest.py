from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apps.core import tenancy


def as_user(user):
    return tenancy.activate(tenancy.scope_for_user(user))


#: The term of the teams the tests form.
MULAI, SELESAI = date(2026, 1, 1), date(2028, 12, 31)


def bentuk_tim(staf, jf, *, nama: str = "Tim Penilai PK 2026", mulai=MULAI, selesai=SELESAI, sertifikat_anggota=False):
    """The team every pembina test uses: ketua, sekretaris (both certified) and one member,
    formed by the JF's admin through the service."""
    from apps.verifikasi import services
    from tests.factories import gol_penilai

    with as_user(staf["admin"]):
        return services.tim_bentuk(
            actor=staf["admin"],
            jf=jf,
            nama=nama,
            mulai=mulai,
            selesai=selesai,
            anggota=[
                (staf["ketua"], "ketua", True, gol_penilai()),
                (staf["penilai1"], "sekretaris", True, gol_penilai()),
                (staf["penilai2"], "anggota", sertifikat_anggota, gol_penilai()),
            ],
        )


def lulus_administrasi(usulan, staf):
    """Walk a submitted usulan through the seleksi administrasi to lulus administrasi."""
    from apps.referensi.models import PersyaratanDokumen
    from apps.verifikasi import services

    v = staf["verifikator"]
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        hasil = {
            p.pk: (True, "")
            for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
        }
        services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=hasil)
        return services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="memenuhi")


def nilai_semua(user, usulan, rekomendasi="lulus"):
    """The penilai declares no conflict and scores every competency at its standard level."""
    from apps.referensi.models import Kompetensi
    from apps.verifikasi import selectors, services

    with as_user(user):
        penugasan = selectors.penugasan_saya(user).get(usulan=usulan)
        services.penugasan_bebas_konflik(actor=user, penugasan=penugasan)
        nilai = {
            k.pk: (k.level, "Portofolio menunjukkan bukti.") for k in Kompetensi.objects.filter(jenjang=usulan.jenjang)
        }
        return services.nilai_simpan(
            actor=user, penugasan=penugasan, nilai=nilai, rekomendasi=rekomendasi, selesai=True
        )


#: The days (WIB) of the walks that lead to letters, in the order of the letters (issue 13: no
#: letter dated before the one it rests on): submitted on tests.pengusulan.conftest.ON (15 June
#: 2026), the seleksi administrasi decided and its berita acara on 22 June, scored from 23 June,
#: the sidang and its berita acara on 1 July; the rekomendasi (tests.surat.conftest.TANGGAL,
#: 3 August), the SK (20 August) and its TMT (1 September) follow. The clock is moved to each day
#: (``pada``), so the berita acara bear those dates.
WIB = ZoneInfo("Asia/Jakarta")
HARI_SELEKSI = datetime(2026, 6, 22, 9, tzinfo=WIB)
HARI_PENILAIAN = datetime(2026, 6, 23, 9, tzinfo=WIB)
HARI_SIDANG = datetime(2026, 7, 1, 9, tzinfo=WIB)


def pada(hari):
    """The clock moved to ``hari`` (a date: 09.00 WIB that day), ticking from there."""
    if not isinstance(hari, datetime):
        hari = datetime.combine(hari, time(9), tzinfo=WIB)
    return time_machine.travel(hari, tick=True)


def seleksi_lulus(usulan_list, staf, *, ba_seleksi: bool = True) -> list:
    """On HARI_SELEKSI: each usulan lulus administrasi, and (``ba_seleksi``) the verifier records
    the decisions in the berita acara seleksi administrasi (a rekomendasi needs it)."""
    from apps.verifikasi import services

    with pada(HARI_SELEKSI):
        usulan_list = [lulus_administrasi(u, staf) for u in usulan_list]
        if ba_seleksi:
            with as_user(staf["verifikator"]):
                services.berita_acara_seleksi_terbitkan(actor=staf["verifikator"], jf=usulan_list[0].jf)
    return usulan_list


def sidang_lulus(staf, tim, usulan_list, keputusan=None, *, hari=HARI_SIDANG):
    """From HARI_PENILAIAN: the three members of ``tim`` score each usulan; on ``hari`` the ketua
    holds the sidang with everyone present and decides (``keputusan``; default: all lulus), which
    issues its berita acara dated that day. Returns the sidang."""
    from apps.verifikasi import services
    from apps.verifikasi.models import AnggotaTim

    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with pada(HARI_PENILAIAN):
        with as_user(staf["admin"]):
            services.penilai_tugaskan(actor=staf["admin"], usulan_list=usulan_list, tim=tim, penilai=members)
        for u in usulan_list:
            for m in members:
                nilai_semua(m, u)
    ketua = staf["ketua"]
    with pada(hari), as_user(ketua):
        sidang = services.sidang_buka(
            actor=ketua, tim=tim, usulan_list=usulan_list, tanggal=hari.date() if isinstance(hari, datetime) else hari,
            tempat="Ruang Rapat Tim Penilai",
        )  # fmt: skip
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=list(AnggotaTim.objects.filter(tim=tim)))
        services.sidang_putuskan(
            actor=ketua, sidang=sidang, keputusan=keputusan or {u.pk: ("lulus", "") for u in usulan_list}
        )
    return sidang


TODAY = date(2026, 6, 20)


def spec(i, peran="anggota", sert=True):
    """A team member as the pure team rules see it (``verifikasi.domain.validasi_tim``)."""
    from apps.verifikasi import domain

    return domain.AnggotaSpec(i, f"Anggota {i}", peran, sert)


@pytest.fixture
def sidang_terbuka(diajukan, staf, pk):
    """A sidang opened by the ketua for one usulan scored by the ketua and the sekretaris (2 of 3)."""
    from datetime import date

    from apps.verifikasi import services

    usulan = diajukan(1)[0]
    lulus_administrasi(usulan, staf)
    tim = bentuk_tim(staf, pk, nama="Tim")
    with as_user(staf["admin"]):
        services.penilai_tugaskan(
            actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"], staf["penilai1"]]
        )
    for user in (staf["ketua"], staf["penilai1"]):
        nilai_semua(user, usulan)
    with as_user(staf["ketua"]):
        return services.sidang_buka(
            actor=staf["ketua"],
            tim=tim,
            usulan_list=[usulan],
            tanggal=date(2026, 7, 1),
            tempat="Ruang Rapat Tim Penilai",
        )
