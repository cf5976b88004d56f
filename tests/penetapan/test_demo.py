"""The demo data's Tim Penilai angka kredit obeys the rules of the team form: it is formed by the
JF's admin pembina through ``apps.penetapan.pembentukan`` (seed 001 BAB II), not written directly."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.core import tenancy
from apps.core.models import AuditLog
from apps.penetapan import domain
from apps.penetapan.models import AnggotaTimAK, SekretariatTimAK, TimPenilaiAK

pytestmark = pytest.mark.django_db


def test_the_demo_team_is_formed_by_the_admin_pembina_through_the_service():
    call_command("load_referensi")
    call_command("demo_data")
    call_command("demo_data")  # safe to run again: no second team
    admin = User.objects.get(username="admin.kemnaker")
    with tenancy.activate(tenancy.scope_for_user(admin)):
        tim = TimPenilaiAK.objects.get(jf__kode="pengantar-kerja")
        anggota = list(AnggotaTimAK.objects.filter(tim=tim).select_related("user"))
        assert (tim.tingkat, tim.dibentuk_oleh_id, tim.instansi_id) == ("pusat", admin.pk, admin.instansi.pk)
        assert tim.masa_selesai == domain.masa_selesai(tim.masa_mulai, domain.MASA_TIM_TAHUN)
        specs = [domain.CalonAnggota(a.user_id, str(a.user), a.peran, a.bersertifikat) for a in anggota]
        assert domain.validasi_susunan("pusat", specs, tim.masa_mulai, {}) == []
        assert SekretariatTimAK.objects.filter(tim=tim, user__username="sekretariat.ak.kemnaker").count() == 1
        entry = AuditLog.objects.get(action="penetapan.tim_dibentuk", object_id=str(tim.pk))
    assert entry.actor_id == admin.pk


def test_the_demo_ketua_of_the_tim_penilai_ak_is_a_signing_official_of_kemnaker(settings, tmp_path):
    # The demo HAPAK names him as signer by NIP: without a registration he cannot sign it.
    from apps.portal.management.commands.demo_data import NIP
    from apps.ttd.models import Pejabat

    settings.DEBUG = True
    settings.SIAKS_TTD_DEV_DIR = tmp_path / "ttd-uji"
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = "uji-passphrase"
    call_command("load_referensi")
    call_command("demo_data")
    call_command("ttd_demo")
    with tenancy.all_tenants(reason="test assertion"):
        p = Pejabat.objects.select_related("instansi", "user").get(user__username="ketua.ak.kemnaker")
    assert (p.instansi.kode, p.nip, p.aktif, p.backend) == ("KEMNAKER", NIP["ketua.ak.kemnaker"], True, "pkcs12")
    assert p.nip == "197506172000031001" and bytes(p.pkcs12)


def test_the_demo_lets_a_jfak_holder_submit_their_own_usulan_end_to_end():
    """Issue 19 (fresh-eye walk): the self-submission could not be tried in the demo — JF Analis
    Kebijakan (the JF that lets its holders submit) had no periods, no admin pembina, no team and
    no holder with a login. The demo now has seed 001's two periods and a demo period open on the
    demo's date, LAN's admin, its central team and sekretariat, and ``analis.jabar``: the holder
    submits through the services, the sekretariat accepts, three members assess, the sidang
    issues the PAK and the holder reads it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from apps.penetapan import selectors, services
    from apps.penetapan.models import PeriodePenetapan, UsulanPenetapanAK
    from apps.surat.selectors import surat_untuk
    from tests.pdfs import pdf_dokumen

    call_command("load_referensi")
    call_command("demo_data")
    call_command("demo_data")  # safe to run again: no second period, team or record
    periode = {
        p.kode: (p.bulan_pengajuan, p.hari_mulai, p.hari_selesai, p.bulan_pak, p.bulan_kenaikan_pangkat)
        for p in PeriodePenetapan.objects.filter(jf__kode="analis-kebijakan")
    }
    bulan = timezone.localdate().month
    assert periode.pop("I") == (10, 1, 7, 1, 4) and periode.pop("IV") == (4, 1, 7, 7, 10)
    akhir = domain.hari_terbanyak(bulan)  # the whole month, never a day it does not have (issue 19)
    # The demo period's PAK month is this month (the demo's PAK is issued today, in its own
    # period's PAK month, never dated ahead of it), kenaikan pangkat three months on (seed 001).
    assert periode == {"DEMO": (bulan, 1, akhir, bulan, (bulan + 2) % 12 + 1)}
    hari = timezone.localdate()
    demo = PeriodePenetapan.objects.get(jf__kode="analis-kebijakan", kode="DEMO")
    jendela = domain.jendela(demo, hari.year)
    assert jendela.mulai <= hari <= jendela.selesai and jendela.pak == hari.replace(day=1)
    # Pengantar Kerja (no periods in its sources) gets the demo-only period too, so pic.kemenhub
    # can try the AK walk (fresh-eye re-walk, issue 19: "belum ada periode penilaian untuk JF ini").
    assert {p.kode: p.bulan_pengajuan for p in PeriodePenetapan.objects.filter(jf__kode="pengantar-kerja")} == {
        "DEMO": bulan
    }

    def sebagai(username):
        user = User.objects.get(username=username)
        return user, tenancy.activate(tenancy.scope_for_user(user))

    holder, scope = sebagai("analis.jabar")
    assert set(holder.roles) == {"pejabat_fungsional"}
    with scope:
        from apps.jabatan.models import PejabatFungsional

        pejabat = PejabatFungsional.objects.get(user=holder)
        assert (pejabat.jf.kode, pejabat.jf.instansi_pembina.kode) == ("analis-kebijakan", "LAN")
        u = services.usulan_buat(actor=holder, pejabat=pejabat)
        for jenis in services.DOKUMEN_WAJIB:
            services.dokumen_unggah(
                actor=holder,
                usulan=u,
                jenis=jenis,
                upload=SimpleUploadedFile(f"{jenis}.pdf", pdf_dokumen(jenis), "application/pdf"),
            )
        u = services.usulan_ajukan(actor=holder, usulan=u)
        assert (u.status, u.dibuat_oleh_id, u.periode.kode) == ("diajukan", holder.pk, "DEMO")
    stp, scope = sebagai("sekretariat.ak.lan")
    with scope:
        u = selectors.usulan(u.pk)
        assert u.tim.nama == "Tim Penilai Pusat JF Analis Kebijakan"
        services.sekretariat_periksa(actor=stp, usulan=u, lengkap=True)
    for username in ("ketua.ak.lan", "penilai1.ak.lan", "penilai2.ak.lan", "penilai3.ak.lan"):
        member, scope = sebagai(username)
        with scope:
            services.penilaian_simpan(actor=member, usulan=selectors.usulan(u.pk), rekomendasi="setuju")
    with sebagai("sekretariat.ak.lan")[1]:
        sidang = services.sidang_buka(actor=stp, tim=u.tim, tanggal=timezone.localdate(), usulan_ids=[u.pk])
    ketua, scope = sebagai("ketua.ak.lan")
    with scope:
        hadir = [a.pk for a in selectors.anggota_reguler(u.tim_id)]
        pyb = ("Dr. Kepala LAN", "Kepala Lembaga Administrasi Negara", "196801011990031001")
        (hasil,) = services.sidang_putuskan(actor=ketua, sidang=sidang, hadir_ids=hadir, pyb=pyb)
    assert (hasil.status, hasil.hasil) == ("pak", "pak")
    # Dated plausibly: the PAK on or after everything it rests on (the AK awal, every konversi
    # period, the sidang) and not in the future; the konversi periods all over before today and
    # none before the AK awal's date.
    from apps.jabatan.models import MutasiAK
    from apps.surat.models import Surat

    with tenancy.all_tenants(reason="test assertion"):
        pak = Surat.objects.get(pk=hasil.surat_id)
        buku = list(MutasiAK.objects.filter(pejabat=pejabat).exclude(jenis="penetapan"))
    (awal,) = [m for m in buku if m.jenis == "awal"]
    konversi = [m for m in buku if m.jenis == "konversi"]
    assert len(konversi) == 2 and all(awal.periode_mulai <= m.periode_mulai for m in konversi)
    assert all(m.periode_selesai < hari for m in konversi)
    assert max(m.periode_selesai for m in konversi) < pak.tanggal <= hari and sidang.tanggal <= pak.tanggal
    assert (pak.tanggal.year, pak.tanggal.month) == (jendela.pak.year, jendela.pak.month)
    with sebagai("analis.jabar")[1]:
        assert list(UsulanPenetapanAK.objects.values_list("pk", flat=True)) == [u.pk]
        assert list(surat_untuk(holder).values_list("pk", flat=True)) == [hasil.surat_id]


def test_lan_has_a_tim_penilai_for_the_uji_kompetensi_formed_through_the_service(client):
    """Issue 19 walk: no Analis Kebijakan holder could finish a kenaikan jenjang in the demo — LAN
    had no Tim Penilai for the uji kompetensi and no ketua. ``demo_data`` forms one as ``admin.lan``
    through ``apps.verifikasi.services.tim_bentuk``: ketua, sekretaris and a member, pangkat at
    least that of any dossier of the JF (IV/c, the top of Ahli Madya), in term today."""
    from django.urls import reverse
    from django.utils import timezone

    from apps.referensi.models import Jenjang
    from apps.verifikasi import domain as tim_domain
    from apps.verifikasi.models import AnggotaTim, TimPenilai

    call_command("load_referensi")
    call_command("demo_data")
    call_command("demo_data")  # safe to run again: no second team
    admin = User.objects.get(username="admin.lan")
    with tenancy.activate(tenancy.scope_for_user(admin)):
        (tim,) = TimPenilai.objects.filter(jf__kode="analis-kebijakan")
        anggota = list(AnggotaTim.objects.filter(tim=tim).select_related("user", "golongan"))
        entry = AuditLog.objects.get(action="tim.dibentuk", object_id=str(tim.pk))
        madya = Jenjang.objects.select_related("golongan_maks").get(jf=tim.jf, kode="ahli_madya")
    assert entry.actor_id == admin.pk
    assert {(a.user.username, a.peran) for a in anggota} == {
        ("ketua.lan", "ketua"), ("penilai1.lan", "sekretaris"), ("penilai2.lan", "anggota"),
    }  # fmt: skip
    specs = [tim_domain.AnggotaSpec(a.user_id, str(a.user), a.peran, a.bersertifikat) for a in anggota]
    assert tim_domain.validasi_tim(specs, tim.periode_mulai, tim.periode_selesai, {}) == []
    assert all(a.golongan.urutan >= madya.golongan_maks.urutan for a in anggota)
    assert tim_domain.tim_berlaku(tim.periode_mulai, tim.periode_selesai, timezone.localdate())
    assert all(a.user.instansi.kode == "LAN" for a in anggota)
    client.force_login(admin)
    html = client.get(reverse("verifikasi:tim_list")).content.decode()
    assert tim.nama in html
    assert "Belum ada penilai yang berperan ketua tim" not in html


def test_lans_rekomendasi_signer_and_uji_kompetensi_team_are_demo_signing_officials(settings, tmp_path):
    """The LAN team's berita acara and LAN's rekomendasi of an Analis Kebijakan kenaikan jenjang
    can be signed electronically in the demo: ``ttd_demo`` registers them over demo_data's NIPs."""
    from apps.portal.management.commands.demo_data import NIP, TIM_UJI_LAN
    from apps.ttd.models import Pejabat

    settings.DEBUG = True
    settings.SIAKS_TTD_DEV_DIR = tmp_path / "ttd-uji"
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = "uji-passphrase"
    call_command("load_referensi")
    call_command("demo_data")
    call_command("ttd_demo")
    with tenancy.all_tenants(reason="test assertion"):
        terdaftar = {
            p.user.username: (p.instansi.kode, p.nip, p.aktif)
            for p in Pejabat.objects.select_related("instansi", "user").filter(user__username__endswith=".lan")
        }
    for username in ["admin.lan", *(u for u, *_r in TIM_UJI_LAN)]:
        assert terdaftar[username][0::2] == ("LAN", True), username
    for username, *_r in TIM_UJI_LAN:
        assert terdaftar[username][1] == NIP[username]


def test_lans_hapak_is_endorsed_by_its_sekretariat_then_signed_by_its_ketua_in_the_demo(settings, tmp_path):
    """Seed 001 BAB IV E.4: LAN's central team decides a HAPAK (the members did not confirm the
    computed AK); ``sekretariat.ak.lan`` has it in the paraf queue — no chain configured at LAN —
    and once given, ``ketua.ak.lan``, a ``ttd_demo`` signing official over demo_data's NIP, has it
    in the signing queue."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from apps.jabatan.models import PejabatFungsional
    from apps.penetapan import selectors, services
    from apps.portal.management.commands.demo_data import NIP
    from apps.surat.models import VersiSurat
    from apps.ttd import services as ttd
    from tests.pdfs import pdf_dokumen
    from tests.surat.conftest import render_antrean

    settings.DEBUG = True
    settings.SIAKS_TTD_DEV_DIR = tmp_path / "ttd-uji"
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = "uji-passphrase"
    call_command("load_referensi")
    call_command("demo_data")
    call_command("ttd_demo")

    def sebagai(username):
        user = User.objects.get(username=username)
        return user, tenancy.activate(tenancy.scope_for_user(user))

    holder, scope = sebagai("analis.jabar")
    with scope:
        u = services.usulan_buat(actor=holder, pejabat=PejabatFungsional.objects.get(user=holder))
        for jenis in services.DOKUMEN_WAJIB:
            upload = SimpleUploadedFile(f"{jenis}.pdf", pdf_dokumen(jenis), "application/pdf")
            services.dokumen_unggah(actor=holder, usulan=u, jenis=jenis, upload=upload)
        u = services.usulan_ajukan(actor=holder, usulan=u)
    stp, scope = sebagai("sekretariat.ak.lan")
    with scope:
        services.sekretariat_periksa(actor=stp, usulan=selectors.usulan(u.pk), lengkap=True)
    for username in ("ketua.ak.lan", "penilai1.ak.lan", "penilai2.ak.lan", "penilai3.ak.lan"):
        member, scope = sebagai(username)
        with scope:
            services.penilaian_simpan(
                actor=member, usulan=selectors.usulan(u.pk), rekomendasi="tidak_setuju", catatan="Bukti SKP kurang"
            )
    with sebagai("sekretariat.ak.lan")[1]:
        sidang = services.sidang_buka(actor=stp, tim=u.tim, tanggal=timezone.localdate(), usulan_ids=[u.pk])
    ketua, scope = sebagai("ketua.ak.lan")
    with scope:
        hadir = [a.pk for a in selectors.anggota_reguler(u.tim_id)]
        # The PYB a registered official of LAN (ttd_demo registers LAN's admin).
        pyb = ("Nurul Fadilah", "Kepala Pusat Pembinaan Analis Kebijakan", "197106222000031001")
        (hasil,) = services.sidang_putuskan(actor=ketua, sidang=sidang, hadir_ids=hadir, pyb=pyb)
    assert hasil.hasil == "hapak"
    render_antrean()
    with tenancy.all_tenants(reason="test assertion"):
        versi = VersiSurat.objects.select_related("surat").get(surat_id=hasil.surat_id, diganti_at__isnull=True)
    assert versi.surat.penandatangan_nip == NIP["ketua.ak.lan"]
    with sebagai("ketua.ak.lan")[1]:
        assert ttd.antrean_ttd(ketua) == []
    with sebagai("sekretariat.ak.lan")[1]:
        assert [v.pk for v in ttd.antrean_paraf(stp)] == [versi.pk]
        ttd.paraf_beri(actor=stp, versi=versi)
    with sebagai("ketua.ak.lan")[1]:
        assert [v.pk for v in ttd.antrean_ttd(ketua)] == [versi.pk]
