"""Tim Penilai rules (seed 001), conflict of interest, guardian access, scoring and the sidang quorum."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.referensi.models import Kompetensi
from apps.verifikasi import domain, selectors, services
from apps.verifikasi.models import AnggotaTim, BeritaAcara, TimPenilai
from tests.factories import UserFactory, gol_penilai
from tests.verifikasi.conftest import MULAI, SELESAI, as_user, lulus_administrasi, nilai_semua, spec

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- pure rules


def test_a_valid_team_passes():
    assert domain.validasi_tim([spec(1, "ketua"), spec(2, "sekretaris"), spec(3)], MULAI, SELESAI, {}) == []


@pytest.mark.parametrize(
    ("anggota", "selesai", "message"),
    [
        ([spec(1, "ketua"), spec(2, "sekretaris"), spec(3), spec(4)], SELESAI, "harus ganjil (sekarang 4)"),
        (
            [spec(1, "ketua", False), spec(2, "sekretaris", False), spec(3)],
            SELESAI,
            "bersertifikat bimtek penilai (sekarang 1)",
        ),
        ([spec(1), spec(2, "sekretaris"), spec(3)], SELESAI, "tepat satu ketua (sekarang 0)"),
        ([spec(1, "ketua"), spec(2, "ketua"), spec(3, "sekretaris")], SELESAI, "tepat satu ketua (sekarang 2)"),
        ([spec(1, "ketua"), spec(2, "sekretaris"), spec(3)], date(2029, 1, 2), "paling lama 3 tahun"),
        ([spec(1, "ketua"), spec(2, "sekretaris"), spec(2)], SELESAI, "lebih dari sekali"),
    ],
)
def test_team_rules_give_clear_errors(anggota, selesai, message):
    """Seed 001: ganjil, ketua dan sekretaris, ≥2 bersertifikat, masa jabatan 3 tahun."""
    errors = domain.validasi_tim(anggota, MULAI, selesai, {})
    assert any(message in e for e in errors), errors


def test_a_third_consecutive_term_is_refused_after_a_gap_it_is_allowed():
    """Seed 001 D.2: setelah 2 masa jabatan berturut-turut, jeda 1 masa jabatan."""
    two_terms = {1: [(date(2020, 1, 1), date(2022, 12, 31)), (date(2023, 1, 1), date(2025, 12, 31))]}
    team = [spec(1, "ketua"), spec(2, "sekretaris"), spec(3)]
    errors = domain.validasi_tim(team, MULAI, SELESAI, two_terms)
    assert any("2 masa jabatan berturut-turut" in e for e in errors)
    after_gap = {1: [(date(2017, 1, 1), date(2019, 12, 31)), (date(2020, 1, 1), date(2022, 12, 31))]}
    assert domain.validasi_tim(team, MULAI, SELESAI, after_gap) == []
    one_term = {1: [(date(2023, 1, 1), date(2025, 12, 31))]}
    assert domain.validasi_tim(team, MULAI, SELESAI, one_term) == []


@pytest.mark.parametrize(
    ("part", "total", "ok"),
    [(2, 3, True), (1, 3, False), (4, 6, True), (3, 6, False), (4, 5, True), (3, 5, False), (0, 0, False)],
)
def test_two_thirds_quorum_edges(part, total, ok):
    """Seed 001 D.3/D.4: exactly 2/3 passes, one short fails."""
    assert domain.dua_pertiga(part, total) is ok


def test_conflict_of_interest():
    base = {
        "penilai_instansi_id": 1,
        "penilai_nip": "1",
        "usulan_instansi_id": 2,
        "pegawai_nip": "2",
        "boleh_instansi_sendiri": False,
    }
    assert domain.konflik_kepentingan(**base) is None
    assert "dirinya sendiri" in domain.konflik_kepentingan(**{**base, "pegawai_nip": "1"})
    assert "instansinya sendiri" in domain.konflik_kepentingan(**{**base, "usulan_instansi_id": 1})
    assert domain.konflik_kepentingan(**{**base, "usulan_instansi_id": 1, "boleh_instansi_sendiri": True}) is None


# ---------------------------------------------------------------- services


def test_the_team_must_be_formed_by_the_jfs_admin_from_its_penilai(pk, staf, referensi):
    outsider = UserFactory(username="luar", instansi=referensi["aks"].instansi_pembina, roles=["penilai"])
    with as_user(staf["admin"]), pytest.raises(ValidationError) as exc:
        services.tim_bentuk(
            actor=staf["admin"],
            jf=pk,
            nama="X",
            mulai=MULAI,
            selesai=SELESAI,
            anggota=[
                (staf["ketua"], "ketua", True, gol_penilai()),
                (outsider, "sekretaris", True),
                (staf["penilai2"], "anggota", True, gol_penilai()),
            ],
        )
    # Another instansi's account is "not found", never named (issue 15, finding 6).
    assert exc.value.messages == [f"Pengguna dengan ID {outsider.pk} tidak ditemukan."]
    bukan_penilai = staf["verifikator"]  # the own instansi, but not a penilai: named
    anggota = [(staf["ketua"], "ketua", True), (bukan_penilai, "sekretaris", True), (staf["penilai2"], "anggota", True)]
    with as_user(staf["admin"]), pytest.raises(ValidationError) as exc:
        services.tim_bentuk(actor=staf["admin"], jf=pk, nama="X", mulai=MULAI, selesai=SELESAI, anggota=anggota)
    assert any("bukan penilai di instansi pembina" in m for m in exc.value.messages)
    with as_user(staf["ketua"]), pytest.raises(PermissionDenied):
        services.tim_bentuk(actor=staf["ketua"], jf=pk, nama="X", mulai=MULAI, selesai=SELESAI, anggota=[])


def test_assignment_grants_per_object_access_and_refuses_conflicts(diajukan, staf, tim, pk, kemnaker):
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    with as_user(staf["admin"]):
        assert (
            services.penilai_tugaskan(
                actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"], staf["penilai1"]]
            )
            == 2
        )
    with tenancy.all_tenants(reason="test"):
        usulan = Usulan.objects.get(pk=usulan.pk)
    assert usulan.status == Status.PENILAIAN
    assert staf["penilai1"].has_perm("pengusulan.view_usulan", usulan)
    assert not staf["penilai2"].has_perm("pengusulan.view_usulan", usulan)
    with as_user(staf["penilai2"]):
        assert list(selectors.usulan_penilai(staf["penilai2"])) == []
    with as_user(staf["penilai1"]):
        assert [u.pk for u in selectors.usulan_penilai(staf["penilai1"])] == [usulan.pk]
    # A member whose own dossier it is: refused.
    staf["penilai2"].nip = usulan.data_pegawai["nip"]
    staf["penilai2"].save()
    with as_user(staf["admin"]), pytest.raises(ValidationError, match="dirinya sendiri"):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai2"]])


def test_a_penilai_of_the_usulans_own_instansi_is_refused(pk, staf, tim, kemnaker):
    """Kemnaker proposes its own staff: a Kemnaker penilai may not assess them (unless the JF allows)."""
    from apps.pengusulan import services as pic_services
    from apps.referensi.models import Jenjang
    from tests.pengusulan.conftest import ON, pegawai_data, upload_all_mandatory

    pic = UserFactory(username="pic.kemnaker", instansi=kemnaker, roles=["pic_instansi"])
    with tenancy.scope(kemnaker):
        pic_services.formasi_simpan(
            actor=pic, jf=pk, jenjang=Jenjang.objects.get(jf=pk, kode="ahli_muda"), unit_kerja="", jumlah=5
        )
        pegawai = pic_services.pegawai_create(actor=pic, data=pegawai_data(nip="19800101 200501 1 001"))
        usulan = pic_services.usulan_create(actor=pic, pegawai=pegawai, jf=pk)
    upload_all_mandatory(pic, usulan)
    with tenancy.scope(kemnaker):
        usulan = pic_services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)
    usulan = lulus_administrasi(usulan, staf)
    with as_user(staf["admin"]), pytest.raises(ValidationError, match="instansinya sendiri"):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai1"]])
    pk.penilai_boleh_instansi_sendiri = True
    pk.save()
    usulan.jf.refresh_from_db()
    with as_user(staf["admin"]):
        assert (
            services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai1"]])
            == 1
        )


def test_scoring_needs_the_no_conflict_declaration_and_every_competency(diajukan, staf, tim):
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai1"]])
    p1 = staf["penilai1"]
    with as_user(p1):
        penugasan = selectors.penugasan_saya(p1).get(usulan=usulan)
        with pytest.raises(ValidationError, match="konflik kepentingan"):
            services.nilai_simpan(actor=p1, penugasan=penugasan, nilai={})
        services.penugasan_bebas_konflik(actor=p1, penugasan=penugasan)
        first = Kompetensi.objects.filter(jenjang=usulan.jenjang).first()
        services.nilai_simpan(actor=p1, penugasan=penugasan, nilai={first.pk: (3, "cukup")})
        with pytest.raises(ValidationError, match="belum dinilai"):
            services.nilai_simpan(actor=p1, penugasan=penugasan, nilai={}, rekomendasi="lulus", selesai=True)
        other_jenjang = Kompetensi.objects.exclude(jenjang=usulan.jenjang).first()
        with pytest.raises(ValidationError, match="bukan bagian dari standar"):
            services.nilai_simpan(actor=p1, penugasan=penugasan, nilai={other_jenjang.pk: (3, "")})
    done = nilai_semua(p1, usulan)
    assert done.selesai_at is not None
    with as_user(p1):
        # Ahli Muda of JF Pengantar Kerja: 8 manajerial + perekat bangsa + 5 teknis
        assert done.nilai.count() == Kompetensi.objects.filter(jenjang=usulan.jenjang).count() == 14
    with as_user(staf["penilai2"]), pytest.raises(PermissionDenied):
        services.nilai_simpan(actor=staf["penilai2"], penugasan=penugasan, nilai={})


def test_the_sidang_needs_two_thirds_scored_then_two_thirds_present(diajukan, staf, tim):
    a, b = (lulus_administrasi(u, staf) for u in diajukan(2))
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[a, b], tim=tim, penilai=members)
    for user in members[:2]:
        nilai_semua(user, a)
    nilai_semua(members[0], b, rekomendasi="tidak_lulus")
    ketua = staf["ketua"]
    with as_user(ketua):
        with pytest.raises(ValidationError, match="baru dinilai 1 dari 3 anggota"):  # one short of 2/3
            services.sidang_buka(
                actor=ketua, tim=tim, usulan_list=[a, b], tanggal=date(2026, 7, 1), tempat="Ruang Rapat Tim Penilai"
            )
        with pytest.raises(PermissionDenied):
            services.sidang_buka(
                actor=staf["penilai1"],
                tim=tim,
                usulan_list=[a],
                tanggal=date(2026, 7, 1),
                tempat="Ruang Rapat Tim Penilai",
            )
        sidang = services.sidang_buka(
            actor=ketua, tim=tim, usulan_list=[a], tanggal=date(2026, 7, 1), tempat="Ruang Rapat Tim Penilai"
        )  # exactly 2/3
        anggota = {x.user_id: x for x in AnggotaTim.objects.filter(tim=tim)}
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=[anggota[ketua.pk]])
        with pytest.raises(ValidationError, match="Kuorum tidak tercapai: hadir 1 dari 3"):
            services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={a.pk: ("lulus", "")})
        services.sidang_catat_kehadiran(
            actor=ketua, sidang=sidang, hadir=[anggota[ketua.pk], anggota[staf["penilai1"].pk]]
        )
        with pytest.raises(ValidationError, match="Belum ada keputusan"):
            services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={})
        berita = services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={a.pk: ("lulus", "")})
    with tenancy.all_tenants(reason="test"):
        assert Usulan.objects.get(pk=a.pk).status == Status.LULUS
    assert isinstance(berita, BeritaAcara)
    assert berita.isi["kuorum"] == {"hadir": 2, "anggota": 3}
    assert berita.isi["hasil"][0]["keputusan"] == "lulus" and berita.isi["hasil"][0]["nip"] == a.data_pegawai["nip"]
    assert [m["hadir"] for m in berita.isi["anggota"]].count(True) == 2
    with as_user(ketua), pytest.raises(ValidationError, match="Sidang sudah ditutup"):
        services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={a.pk: ("lulus", "")})


def test_tidak_lulus_needs_a_reason(diajukan, staf, tim):
    a = lulus_administrasi(diajukan(1)[0], staf)
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[a], tim=tim, penilai=members)
    for user in members:
        nilai_semua(user, a, rekomendasi="tidak_lulus")
    ketua = staf["ketua"]
    with as_user(ketua):
        sidang = services.sidang_buka(
            actor=ketua, tim=tim, usulan_list=[a], tanggal=date(2026, 7, 1), tempat="Ruang Rapat Tim Penilai"
        )
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=list(AnggotaTim.objects.filter(tim=tim)))
        with pytest.raises(ValidationError, match="alasan tidak lulus"):
            services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={a.pk: ("tidak_lulus", "")})
        services.sidang_putuskan(
            actor=ketua, sidang=sidang, keputusan={a.pk: ("tidak_lulus", "Bukti kompetensi teknis kurang.")}
        )
    with tenancy.all_tenants(reason="test"):
        assert Usulan.objects.get(pk=a.pk).status == Status.TIDAK_LULUS
        assert TimPenilai.objects.count() == 1


def test_scoring_against_an_empty_standard_is_refused(referensi, instansi_a):
    """JF AKS ships without a competency standard: scoring waits until the admin pembina adds one."""
    from apps.referensi.models import Jenjang

    aks = referensi["aks"]
    assert not Kompetensi.objects.filter(jenjang__jf=aks).exists()
    ketua = UserFactory(username="k.setneg", instansi=aks.instansi_pembina, roles=["ketua_tim", "penilai"])
    with tenancy.all_tenants(reason="test"):
        from tests.factories import PegawaiFactory

        pegawai = PegawaiFactory(instansi=instansi_a)
        usulan = Usulan.objects.create(
            instansi=instansi_a,
            pegawai=pegawai,
            pegawai_nip=pegawai.nip,
            pegawai_nama=pegawai.nama,
            jf=aks,
            jenjang=Jenjang.objects.get(jf=aks, kode="ahli_muda"),
            diajukan_at=timezone.now(),
        )
        Usulan.objects.filter(pk=usulan.pk).update(status=Status.PENILAIAN)
        tim = TimPenilai.objects.create(jf=aks, nama="T", periode_mulai=MULAI, periode_selesai=SELESAI)
        from apps.verifikasi.models import PenugasanPenilai

        penugasan = PenugasanPenilai.objects.create(
            usulan=usulan,
            instansi=instansi_a,
            jf=aks,
            tim=tim,
            penilai=ketua,
            ditugaskan_oleh=ketua,
            bebas_konflik_at=timezone.now(),
        )
    with as_user(ketua), pytest.raises(ValidationError, match="Standar kompetensi jenjang ini belum diisi"):
        services.nilai_simpan(actor=ketua, penugasan=penugasan, nilai={}, rekomendasi="lulus", selesai=True)


def test_the_ketua_sees_the_scores_aggregated_per_competency(diajukan, staf, tim):
    a = lulus_administrasi(diajukan(1)[0], staf)
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[a], tim=tim, penilai=members)
    nilai_semua(members[0], a)
    nilai_semua(members[1], a)
    with as_user(members[2]):
        penugasan = selectors.penugasan_saya(members[2]).get(usulan=a)
        services.penugasan_bebas_konflik(actor=members[2], penugasan=penugasan)
        low = {k.pk: (1, "kurang bukti") for k in Kompetensi.objects.filter(jenjang=a.jenjang)}
        services.nilai_simpan(actor=members[2], penugasan=penugasan, nilai=low, rekomendasi="tidak_lulus", selesai=True)
    with as_user(staf["ketua"]):
        rekap = selectors.rekap_nilai(a, tim.pk)
    integritas = next(r for r in rekap if r.nama == "Integritas")
    assert integritas.level_dibutuhkan == 3 and sorted(integritas.levels) == [1, 3, 3]
    assert integritas.rata_rata == 2.33 and integritas.di_bawah == 1
    assert len(rekap) == 14
