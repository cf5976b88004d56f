"""Forming a Tim Penilai angka kredit in Chromium (issue 19): the PIC of Kota Bandung invites a
member account from the team form (set-password e-mail), fills the team form and forms the
kabupaten/kota team. Screenshots go to docs/screenshots for docs/panduan-angka-kredit.md (under
`make dokumentasi`)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from apps.accounts.models import Membership, User
from apps.core import tenancy
from apps.core.models import OutboxMessage
from apps.penetapan import pembentukan
from apps.penetapan.models import AnggotaTimAK, SekretariatTimAK, TimPenilaiAK
from apps.referensi.models import JabatanFungsional
from tests.ui.conftest import as_, lingkup_pengguna, shot, submit_and_wait

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]


def test_the_pic_invites_members_and_forms_the_kota_team(page):
    call_command("load_referensi")
    call_command("demo_data")
    pic = User.objects.get(username="pic.bandung")
    jf = JabatanFungsional.objects.get(kode="pengantar-kerja")

    # 1. From the team form, the PIC invites a member account of Kota Bandung.
    as_(page, "pic.bandung")
    page.goto("/angka-kredit/tim/baru/")
    page.get_by_role("link", name="Undang akun anggota tim penilai").click()
    page.fill("#id_nama_lengkap", "Dra. Ratna Dewi, M.M.")
    page.fill("#id_email", "ratna.dewi@bandung.go.id")
    page.fill("#id_nip", "197805122003122002")
    shot(page, "ak-tim-undang")
    submit_and_wait(page, page.get_by_role("button", name="Kirim undangan"))
    page.get_by_text("Undangan dikirim ke ratna.dewi@bandung.go.id").wait_for()
    ratna = User.objects.get(username="197805122003122002")
    assert list(Membership.objects.filter(user=ratna).values_list("instansi__kode", "role")) == [
        ("KOTA-BANDUNG", "penilai_ak")
    ]
    assert OutboxMessage.objects.filter(task_name="accounts.kirim_email_akun_baru", kwargs__user_id=ratna.pk).exists()
    # Two more members and a sekretariat, through the same service (shorter journey).
    with lingkup_pengguna(pic):
        lain = [
            pembentukan.akun_undang(actor=pic, peran="penilai_ak", nama_lengkap=n, email=e)
            for n, e in (("Iwan Setiawan, S.E.", "iwan@bandung.go.id"), ("Nia Kurniasih", "nia@bandung.go.id"))
        ]
        stp = pembentukan.akun_undang(
            actor=pic, peran="sekretariat_tim", nama_lengkap="Dodi Permana", email="dodi@bandung.go.id"
        )

    # 2. The team form: JF, name, term, each account's place, the certified ones, the sekretariat.
    page.goto("/angka-kredit/tim/baru/")
    page.select_option("#id_jf", str(jf.pk))
    page.fill("#id_nama", "Tim Penilai Kota Bandung JF Pengantar Kerja")
    page.fill("#id_nomor_sk", "800/1234/BKPSDM/2026")
    page.fill("#id_masa_mulai", "2027-01-01")
    for user, peran, sertifikat in ((ratna, "ketua", True), (lain[0], "sekretaris", True), (lain[1], "anggota", False)):
        page.select_option(f"select[name=peran_{user.pk}]", peran)
        if sertifikat:
            page.check(f"input[name=sertifikat_{user.pk}]")
    page.check(f"#stp_{stp.pk}")
    shot(page, "ak-tim-bentuk")
    submit_and_wait(page, page.get_by_role("button", name="Bentuk tim"))
    page.get_by_text("Tim Penilai Kota Bandung JF Pengantar Kerja dibentuk.").wait_for()
    shot(page, "ak-tim-detail")
    with tenancy.scope(pic.instansi):
        tim = TimPenilaiAK.objects.get(instansi=pic.instansi)
        assert (tim.tingkat, tim.masa_mulai, tim.masa_selesai) == ("kabupaten_kota", date(2027, 1, 1),
                                                                   date(2029, 12, 31))  # fmt: skip
        assert sorted(AnggotaTimAK.objects.filter(tim=tim).values_list("peran", flat=True)) == [
            "anggota", "ketua", "sekretaris",
        ]  # fmt: skip
        assert SekretariatTimAK.objects.get(tim=tim).user_id == stp.pk
