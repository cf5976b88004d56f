"""Issue 13 §4: Tim Penilai rules of seed 001 — the full-term gap after 2 consecutive terms, no
work for a team outside its term, the member's pangkat at least the assessed one, and the
ketua replacing a member who has a conflict."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from guardian.shortcuts import get_perms

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.verifikasi import domain, services
from apps.verifikasi.models import PenugasanPenilai, TimPenilai
from tests.factories import gol_penilai
from tests.verifikasi.conftest import MULAI, SELESAI, as_user, lulus_administrasi, spec

pytestmark = pytest.mark.django_db


def test_a_two_month_gap_does_not_reset_two_consecutive_terms():
    """Seed 001 D.2: "dapat diangkat kembali setelah melampaui masa tenggang yaitu 1 kali masa jabatan"."""
    team = [spec(1, "ketua"), spec(2, "sekretaris"), spec(3)]
    two_then_short_gap = {1: [(date(2020, 1, 1), date(2022, 12, 31)), (date(2023, 1, 1), date(2025, 10, 31))]}
    errors = domain.validasi_tim(team, MULAI, SELESAI, two_then_short_gap)  # a 2-month gap before 2026
    assert any("2 masa jabatan berturut-turut" in e for e in errors)
    gap_of_a_term = {1: [(date(2017, 1, 1), date(2019, 12, 31)), (date(2020, 1, 1), date(2022, 12, 31))]}
    assert domain.validasi_tim(team, date(2026, 1, 1), date(2028, 12, 31), gap_of_a_term) == []
    almost = {1: [(date(2017, 6, 1), date(2020, 5, 31)), (date(2020, 6, 1), date(2023, 5, 31))]}
    assert domain.validasi_tim(team, date(2026, 5, 31), date(2029, 5, 30), almost)  # gap one day short of 3 years


def _tim(staf, pk, mulai, selesai, golongan="IV/a", nama="Tim"):
    with as_user(staf["admin"]):
        return services.tim_bentuk(
            actor=staf["admin"], jf=pk, nama=nama, mulai=mulai, selesai=selesai,
            anggota=[
                (staf["ketua"], "ketua", True, gol_penilai()),
                (staf["penilai1"], "sekretaris", True, gol_penilai()),
                (staf["penilai2"], "anggota", False, gol_penilai(golongan)),
            ],
        )  # fmt: skip


def test_a_member_needs_a_golongan(staf, pk):
    with as_user(staf["admin"]), pytest.raises(ValidationError) as refused:
        services.tim_bentuk(
            actor=staf["admin"], jf=pk, nama="T", mulai=MULAI, selesai=SELESAI,
            anggota=[(staf["ketua"], "ketua", True), (staf["penilai1"], "sekretaris", True, gol_penilai()),
                     (staf["penilai2"], "anggota", False, gol_penilai())],
        )  # fmt: skip
    assert "Isi pangkat/golongan" in " ".join(refused.value.messages)


def test_a_team_whose_term_has_ended_is_neither_assigned_nor_holds_a_sidang(diajukan, staf, pk):
    today = timezone.localdate()
    ended = _tim(staf, pk, today - timedelta(days=3 * 365), today + timedelta(days=1), nama="Tim lama")
    with tenancy.all_tenants(reason="test: the term has ended since the team was formed"):
        TimPenilai.objects.filter(pk=ended.pk).update(periode_selesai=today - timedelta(days=1))
        ended.refresh_from_db()
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]), pytest.raises(ValidationError) as refused:
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=ended, penilai=members)
    assert "tidak dapat ditugaskan atau bersidang" in " ".join(refused.value.messages)
    # A dossier assigned while the term ran cannot be taken to a sidang after it ended.
    with tenancy.all_tenants(reason="test: the term changes"):
        TimPenilai.objects.filter(pk=ended.pk).update(periode_selesai=today + timedelta(days=30))
        ended.refresh_from_db()
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=ended, penilai=members)
    with tenancy.all_tenants(reason="test: the term changes"):
        TimPenilai.objects.filter(pk=ended.pk).update(periode_selesai=today - timedelta(days=1))
        ended.refresh_from_db()
    with as_user(staf["ketua"]), pytest.raises(ValidationError) as no_sidang:
        services.sidang_buka(
            actor=staf["ketua"], tim=ended, usulan_list=[usulan], tanggal=today, tempat="Ruang Rapat Tim Penilai"
        )
    assert "tidak dapat ditugaskan atau bersidang" in " ".join(no_sidang.value.messages)


def test_a_member_below_the_assessed_pangkat_cannot_assess(diajukan, staf, pk):
    """Seed 001 C.2: "paling rendah sama dengan jabatan/pangkat ... yang dinilai" — the pegawai is III/c."""
    tim = _tim(staf, pk, MULAI, SELESAI, golongan="III/b")
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    with as_user(staf["admin"]), pytest.raises(ValidationError) as refused:
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai2"]])
    assert "golongan III/b" in " ".join(refused.value.messages) and "golongan III/c" in " ".join(refused.value.messages)
    # The refusal names the ways out that obey the rules (issue 13: an usulan stuck with no qualified member).
    assert "tim penilai lain JF ini yang memiliki anggota bergolongan paling rendah III/c" in refused.value.messages[0]
    assert "setelah jeda satu masa jabatan" in refused.value.messages[0]
    with as_user(staf["admin"]):
        assert services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"]])


def test_the_ketua_replaces_a_member_who_has_a_conflict(diajukan, staf, pk):
    """Seed 001 E.7: "dengan usulan ketua tim penilai dapat digantikan oleh anggota pengganti"."""
    with as_user(staf["admin"]):
        tim = services.tim_bentuk(
            actor=staf["admin"], jf=pk, nama="Tim", mulai=MULAI, selesai=SELESAI,
            anggota=[(staf[k], p, True, gol_penilai()) for k, p in
                     (("ketua", "ketua"), ("penilai1", "sekretaris"), ("penilai2", "anggota"),
                      ("penilai3", "anggota"), ("penilai4", "anggota"))],
        )  # fmt: skip
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    with as_user(staf["admin"]):
        services.penilai_tugaskan(
            actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"], staf["penilai2"]]
        )
    with tenancy.all_tenants(reason="test"):
        konflik = PenugasanPenilai.objects.get(usulan=usulan, penilai=staf["penilai2"])
    with as_user(staf["penilai1"]), pytest.raises(PermissionDenied):
        services.penugasan_ganti_penilai(
            actor=staf["penilai1"], penugasan=konflik, pengganti=staf["penilai3"], alasan="x"
        )
    with as_user(staf["ketua"]):
        with pytest.raises(ValidationError):
            services.penugasan_ganti_penilai(
                actor=staf["ketua"], penugasan=konflik, pengganti=staf["penilai3"], alasan=" "
            )
        baru = services.penugasan_ganti_penilai(
            actor=staf["ketua"], penugasan=konflik, pengganti=staf["penilai3"],
            alasan="Atasan langsung pegawai yang dinilai.",
        )  # fmt: skip
    assert baru.penilai == staf["penilai3"]
    with tenancy.all_tenants(reason="test"):
        assert not PenugasanPenilai.objects.filter(usulan=usulan, penilai=staf["penilai2"]).exists()
        entry = AuditLog.objects.get(action="usulan.penilai_diganti", object_id=str(usulan.pk))
    assert "Atasan langsung" in entry.message
    assert "view_usulan" not in get_perms(staf["penilai2"], usulan)
    assert "view_usulan" in get_perms(staf["penilai3"], usulan)


def test_a_jenjang_without_competency_standard_cannot_be_assigned_and_the_admin_sees_it(
    client, diajukan, staf, pk, referensi
):
    """Issue 13 §7: JF AKS ships with no competency standard; assignment is refused with a clear
    message until the admin pembina enters it, and the JF page shows the gap."""
    from django.urls import reverse

    from apps.referensi.models import Kompetensi

    tim = _tim(staf, pk, MULAI, SELESAI)
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    with tenancy.all_tenants(reason="test"):
        Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).delete()
    with as_user(staf["admin"]), pytest.raises(ValidationError) as refused:
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"]])
    assert "Standar kompetensi JF Pengantar Kerja jenjang Ahli Muda belum diisi" in " ".join(refused.value.messages)
    client.force_login(staf["admin"])
    page = client.get(reverse("referensi:jf_detail", args=["pengantar-kerja"])).content.decode()
    assert 'data-testid="standar-kosong"' in page and "jenjang Ahli Muda belum diisi" in page
    # JF AKS: every jenjang is flagged; JF Pengantar Kerja carries the PermenPANRB 21/2025 check.
    aks = client.get(reverse("referensi:jf_detail", args=["aks"])).content.decode()
    assert aks.count('data-testid="standar-kosong"') == 4
    assert "PermenPANRB Nomor 21 Tahun 2025" in page and 'data-testid="periksa-peraturan"' in page


def test_a_jenjang_without_standard_is_flagged_on_the_admins_home_and_the_verifiers_page(
    client, diajukan, staf, pk, referensi
):
    """Fresh-eye finding 7: the PIC could submit and the verifier pass a dossier nobody could score;
    the admin only learned it at "Tugaskan". The admin pembina's home lists the jenjang without a
    standard, and the verifier's page says it for the dossier at hand."""
    from django.urls import reverse

    from apps.referensi.models import Kompetensi

    usulan = diajukan(1)[0]
    client.force_login(staf["verifikator"])
    url = reverse("verifikasi:periksa", args=[usulan.pk])
    assert 'data-testid="tanpa-standar"' not in client.get(url).content.decode()
    with tenancy.all_tenants(reason="test"):
        Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).delete()
    page = client.get(url).content.decode()
    assert 'data-testid="tanpa-standar"' in page
    assert "Standar kompetensi jenjang Ahli Muda JF Pengantar Kerja belum diisi" in page
    client.force_login(staf["admin"])
    home = client.get(reverse("portal:beranda")).content.decode()
    assert 'data-testid="tanpa-standar-beranda"' in home and "Pengantar Kerja — Ahli Muda" in home
    assert "Analis Kerja Sama" not in home.split('data-testid="tanpa-standar-beranda"')[1].split("</div>")[0]
