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
