"""Forming a Tim Penilai angka kredit and its Sekretariat (seed 001 BAB II-III, domain.md §8): the
kabupaten's PIC forms the kabupaten team, the JF's admin pembina the pusat team; every broken rule
is listed at once with the input kept; a new sekretariat term is one year; the formed team is the
one that assesses the instansi's usulan."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.penetapan import domain, pembentukan, selectors
from apps.penetapan.models import AnggotaTimAK, SekretariatTimAK, TimPenilaiAK
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _akun(instansi, prefix, n, role):
    return [UserFactory(username=f"{prefix}.{i}", nama_lengkap=f"{prefix.title()} {i}", instansi=instansi,
                        roles=[role]) for i in range(n)]  # fmt: skip


def _data(jf, anggota, stp, **extra):
    """POST data: anggota = [(user, peran, bersertifikat)], stp = users."""
    data = {"jf": jf.pk, "nama": "Tim Penilai Kabupaten Banyumas", "masa_mulai": "2027-01-01", **extra}
    for u, peran, sert in anggota:
        data[f"peran_{u.pk}"] = peran
        if sert:
            data[f"sertifikat_{u.pk}"] = "on"
    for u in stp:
        data[f"stp_{u.pk}"] = "on"
    return data


def test_the_kabupaten_pic_forms_its_team_and_it_assesses_the_kabupatens_usulan(client, jfak, kab, pic_kab):
    penilai = _akun(kab, "penilai.bms", 4, "penilai_ak")
    stp = _akun(kab, "stp.bms", 2, "sekretariat_tim")
    client.force_login(pic_kab)
    assert client.get(reverse("penetapan:tim_baru")).status_code == 200
    anggota = [(penilai[0], "ketua", True), (penilai[1], "sekretaris", True), (penilai[2], "anggota", False),
               (penilai[3], "pengganti", False)]  # fmt: skip
    r = client.post(reverse("penetapan:tim_baru"), _data(jfak, anggota, stp[:1], nomor_sk="800/12/2026"))
    assert r.status_code == 302, r.content.decode()[:3000]
    with tenancy.scope(kab):
        tim = TimPenilaiAK.objects.get(instansi=kab)
        assert (tim.tingkat, tim.masa_mulai, tim.masa_selesai, tim.nomor_sk, tim.dibentuk_oleh_id) == (
            "kabupaten_kota",
            date(2027, 1, 1),
            date(2029, 12, 31),
            "800/12/2026",
            pic_kab.pk,
        )
        rows = {(a.user_id, a.peran, a.bersertifikat) for a in AnggotaTimAK.objects.filter(tim=tim)}
        assert rows == {(u.pk, p, s) for u, p, s in anggota}
        s = SekretariatTimAK.objects.get(tim=tim)
        assert (s.user_id, s.masa_mulai, s.masa_selesai) == (stp[0].pk, date(2027, 1, 1), date(2027, 12, 31))
        assert AuditLog.objects.filter(action="penetapan.tim_dibentuk", object_id=str(tim.pk)).exists()
    # The kabupaten's own team now assesses the kabupaten's usulan (seed 001 E.6: its own first).
    assert selectors.tim_untuk(kab, jfak, date(2027, 4, 3)).pk == tim.pk
    r = client.get(reverse("penetapan:tim_detail", args=[tim.pk]))
    assert r.status_code == 200 and "800/12/2026" in r.content.decode()
    daftar = client.get(reverse("penetapan:tim_daftar")).content.decode()
    assert reverse("penetapan:tim_detail", args=[tim.pk]) in daftar


def test_every_broken_rule_is_listed_at_once_and_the_input_kept(client, jfak, kab, pic_kab):
    penilai = _akun(kab, "penilai.bms", 4, "penilai_ak")
    _akun(kab, "stp.bms", 1, "sekretariat_tim")
    client.force_login(pic_kab)
    # Four regular members (even), two ketua, no sekretaris, one certificate, no sekretariat,
    # and the start date missing: every reason on one page.
    anggota = [(penilai[0], "ketua", True), (penilai[1], "ketua", False), (penilai[2], "anggota", False),
               (penilai[3], "anggota", False)]  # fmt: skip
    r = client.post(reverse("penetapan:tim_baru"), _data(jfak, anggota, [], masa_mulai="", nama="Tim Uji Genap"))
    assert r.status_code == 400
    html = r.content.decode()
    for pesan in ("harus ganjil", "tepat satu ketua", "tepat satu sekretaris", "bersertifikat bimtek",
                  "sekretariat tim penilai", "Masa jabatan tim mulai"):  # fmt: skip
        assert pesan in html, pesan
    assert 'value="Tim Uji Genap"' in html
    assert re.search(rf'name="peran_{penilai[1].pk}".*?<option value="ketua" selected', html, re.S)
    assert re.search(rf'name="sertifikat_{penilai[0].pk}" checked', html)
    with tenancy.scope(kab):
        assert not TimPenilaiAK.objects.exists()


def test_the_pusat_team_is_the_admin_pembinas_with_three_members_besides_ketua_and_sekretaris(
    client, jfak, admin_lan, admin_setneg, pic_kab
):
    lan = admin_lan.instansi
    penilai = _akun(lan, "penilai.lan", 5, "penilai_ak")
    stp = _akun(lan, "stp.lan", 1, "sekretariat_tim")
    client.force_login(admin_lan)
    tiga = [(penilai[0], "ketua", True), (penilai[1], "sekretaris", True), (penilai[2], "anggota", False)]
    r = client.post(reverse("penetapan:tim_baru"), _data(jfak, tiga, stp, nama="Tim Penilai Pusat JFAK"))
    assert r.status_code == 400 and "paling sedikit 3 anggota selain ketua dan sekretaris" in r.content.decode()
    lima = [*tiga, (penilai[3], "anggota", False), (penilai[4], "anggota", False)]
    r = client.post(reverse("penetapan:tim_baru"), _data(jfak, lima, stp, nama="Tim Penilai Pusat JFAK"))
    assert r.status_code == 302
    with tenancy.scope(lan):
        tim = TimPenilaiAK.objects.get(instansi=lan)
    assert tim.tingkat == "pusat"
    # Another pembina's admin cannot pick this JF; a kabupaten PIC does not see the pusat team.
    client.force_login(admin_setneg)
    r = client.post(reverse("penetapan:tim_baru"), _data(jfak, [], [], nama="Bukan JF Saya"))
    assert r.status_code == 400 and 'value="Bukan JF Saya"' in r.content.decode()
    assert client.get(reverse("penetapan:tim_detail", args=[tim.pk])).status_code == 404
    client.force_login(pic_kab)
    assert client.get(reverse("penetapan:tim_detail", args=[tim.pk])).status_code == 404
    assert client.post(reverse("penetapan:tim_sekretariat", args=[tim.pk]), {}).status_code == 404


def test_a_third_consecutive_term_and_an_overlapping_team_are_refused(jfak, kab, pic_kab):
    penilai = _akun(kab, "penilai.bms", 3, "penilai_ak")
    stp = _akun(kab, "stp.bms", 1, "sekretariat_tim")
    anggota = [(penilai[0], "ketua", True), (penilai[1], "sekretaris", True), (penilai[2], "anggota", False)]
    with tenancy.activate(tenancy.scope_for_user(pic_kab)):
        for mulai in (date(2021, 1, 1), date(2024, 1, 1)):
            pembentukan.tim_bentuk(actor=pic_kab, jf=jfak, nama=f"Tim {mulai.year}", mulai=mulai, anggota=anggota,
                                   sekretariat=stp)  # fmt: skip
        masalah = pembentukan.masalah(
            actor=pic_kab, jf=jfak, mulai=date(2027, 1, 1), anggota=anggota, sekretariat=stp, sekretariat_mulai=None
        )
        assert sum("masa jabatan berturut-turut" in m for m in masalah) == 3
        masalah = pembentukan.masalah(
            actor=pic_kab, jf=jfak, mulai=date(2026, 6, 1), anggota=anggota, sekretariat=stp, sekretariat_mulai=None
        )
        assert any("Tim 2024" in m and "masih berjalan" in m for m in masalah)
        # After a gap of one full term (2027-2029), the same people may serve again; not a day before.
        kurang = pembentukan.masalah(
            actor=pic_kab, jf=jfak, mulai=date(2029, 12, 31), anggota=anggota, sekretariat=stp, sekretariat_mulai=None
        )
        assert sum("masa jabatan berturut-turut" in m for m in kurang) == 3
        lagi = pembentukan.masalah(
            actor=pic_kab, jf=jfak, mulai=date(2030, 1, 1), anggota=anggota, sekretariat=stp, sekretariat_mulai=None
        )
        assert lagi == []


def test_a_new_sekretariat_term_is_one_year_within_the_teams_term(client, jfak, kab, pic_kab, pic_kab2):
    penilai = _akun(kab, "penilai.bms", 3, "penilai_ak")
    stp = _akun(kab, "stp.bms", 2, "sekretariat_tim")
    anggota = [(penilai[0], "ketua", True), (penilai[1], "sekretaris", True), (penilai[2], "anggota", False)]
    with tenancy.activate(tenancy.scope_for_user(pic_kab)):
        tim = pembentukan.tim_bentuk(actor=pic_kab, jf=jfak, nama="Tim", mulai=date(2027, 1, 1), anggota=anggota,
                                     sekretariat=stp[:1])  # fmt: skip
    client.force_login(pic_kab)
    url = reverse("penetapan:tim_sekretariat", args=[tim.pk])
    # The same person on overlapping dates, and a start outside the team's term: both reasons.
    r = client.post(url, {"mulai": "2027-06-01", "stp": [str(stp[0].pk)]})
    assert r.status_code == 400 and "sudah menjadi sekretariat tim ini" in r.content.decode()
    r = client.post(url, {"mulai": "2031-01-01", "stp": [str(stp[1].pk)]})
    assert r.status_code == 400 and "dalam masa jabatan tim" in r.content.decode()
    r = client.post(url, {"mulai": "2028-01-01", "stp": [str(stp[0].pk), str(stp[1].pk)]})
    assert r.status_code == 302
    with tenancy.scope(kab):
        rows = set(SekretariatTimAK.objects.filter(tim=tim, masa_mulai=date(2028, 1, 1)).values_list(
            "user_id", "masa_selesai"))  # fmt: skip
    assert rows == {(stp[0].pk, date(2028, 12, 31)), (stp[1].pk, date(2028, 12, 31))}
    # Another kabupaten's PIC: 404 on the page and the form.
    client.force_login(pic_kab2)
    assert client.get(reverse("penetapan:tim_detail", args=[tim.pk])).status_code == 404
    assert client.post(url, {"mulai": "2029-01-01", "stp": [str(stp[1].pk)]}).status_code == 404


def test_levels_follow_the_kind_of_instansi():
    assert [domain.tingkat_instansi(j) for j in ("provinsi", "kabupaten", "kota", "kementerian", "lembaga")] == [
        "provinsi", "kabupaten_kota", "kabupaten_kota", "instansi", "instansi"
    ]  # fmt: skip
    assert domain.masa_selesai(date(2028, 2, 29), 1) == date(2029, 2, 27)


def test_an_empty_post_and_a_far_date_are_refused_with_reasons(client, jfak, kab, pic_kab):
    penilai = _akun(kab, "penilai.bms", 3, "penilai_ak")
    stp = _akun(kab, "stp.bms", 1, "sekretariat_tim")
    client.force_login(pic_kab)
    r = client.post(reverse("penetapan:tim_baru"), {})
    assert r.status_code == 400 and "Pilih ketua, sekretaris dan anggota tim." in r.content.decode()
    anggota = [(penilai[0], "ketua", True), (penilai[1], "sekretaris", True), (penilai[2], "anggota", False)]
    r = client.post(reverse("penetapan:tim_baru"), _data(jfak, anggota, stp, masa_mulai="9999-12-31"))
    assert r.status_code == 400 and "di luar rentang tahun" in r.content.decode()
    with tenancy.activate(tenancy.scope_for_user(pic_kab)):
        tim = pembentukan.tim_bentuk(actor=pic_kab, jf=jfak, nama="Tim", mulai=date(2027, 1, 1), anggota=anggota,
                                     sekretariat=stp)  # fmt: skip
    r = client.post(reverse("penetapan:tim_sekretariat", args=[tim.pk]), {"mulai": "9999-12-31", "stp": [stp[0].pk]})
    assert r.status_code == 400 and "di luar rentang tahun" in r.content.decode()


def test_the_pic_reaches_the_team_pages_from_penetapan_ak_and_the_admin_from_kelola(client, pic_kab, admin_lan):
    client.force_login(pic_kab)
    assert reverse("penetapan:tim_daftar") in client.get(reverse("penetapan:daftar")).content.decode()
    client.force_login(admin_lan)
    r = client.get(reverse("penetapan:periode"))
    assert reverse("penetapan:tim_daftar") in [url for _label, url, _icon in r.context["nav_kelola"]]


def test_the_pic_invites_member_and_sekretariat_accounts_from_the_team_form(client, jfak, kab, kab2, pic_kab,
                                                                             mailoutbox):  # fmt: skip
    """Without the superadmin: the new accounts get the set-password e-mail, hold the role in the
    PIC's instansi only, are audited, and are offered in the team form at once."""
    from apps.accounts.models import Membership, User
    from apps.accounts.tasks import kirim_email_akun_baru
    from apps.core.models import OutboxMessage

    client.force_login(pic_kab)
    form = client.get(reverse("penetapan:tim_baru")).content.decode()
    url = reverse("penetapan:tim_undang")
    assert f'href="{url}?peran=penilai_ak"' in form and f'href="{url}?peran=sekretariat_tim"' in form
    assert "Mintalah akun kepada admin platform" not in form
    r = client.post(url, {"peran": "penilai_ak", "nama_lengkap": "Dr. Sri Lestari, M.Si.",
                          "email": "sri.lestari@banyumaskab.go.id", "nip": "19800101 200501 2 001"})  # fmt: skip
    assert r.status_code == 302 and r["Location"] == reverse("penetapan:tim_baru")
    r = client.post(url, {"peran": "sekretariat_tim", "nama_lengkap": "Rudi Hartono",
                          "email": "rudi@banyumaskab.go.id", "nip": ""})  # fmt: skip
    assert r.status_code == 302
    sri = User.objects.get(username="198001012005012001")
    rudi = User.objects.get(username="rudi@banyumaskab.go.id")
    assert not sri.has_usable_password() and sri.email == "sri.lestari@banyumaskab.go.id"
    peran = Membership.objects.filter(user__in=[sri, rudi]).values_list("user__username", "instansi_id", "role")
    assert set(peran) == {
        ("198001012005012001", kab.pk, "penilai_ak"),
        ("rudi@banyumaskab.go.id", kab.pk, "sekretariat_tim"),
    }
    with tenancy.scope(kab):
        entries = AuditLog.objects.filter(action="penetapan.akun_diundang").order_by("id")
        assert [(e.actor_id, e.object_id, e.instansi_id) for e in entries] == [
            (pic_kab.pk, str(sri.pk), kab.pk),
            (pic_kab.pk, str(rudi.pk), kab.pk),
        ]
    # The set-password e-mail, as every invitation.
    [m] = OutboxMessage.objects.filter(task_name="accounts.kirim_email_akun_baru", kwargs__user_id=sri.pk)
    kirim_email_akun_baru.apply(kwargs=m.kwargs, task_id=str(m.pk), throw=True)
    assert any("sri.lestari@banyumaskab.go.id" in m.to for m in mailoutbox)
    form = client.get(reverse("penetapan:tim_baru")).content.decode()
    assert f'name="peran_{sri.pk}"' in form and f'name="stp_{rudi.pk}"' in form


def test_an_invitation_stays_within_the_inviters_instansi(client, jfak, kab, kab2, pic_kab, pic_kab2):
    from apps.accounts.models import Membership

    lain = UserFactory(username="penilai.cilacap", email="penilai@cilacapkab.go.id", instansi=kab2,
                       roles=["penilai_ak"])  # fmt: skip
    client.force_login(pic_kab)
    url = reverse("penetapan:tim_undang")
    r = client.post(url, {"peran": "penilai_ak", "nama_lengkap": "Penilai Cilacap",
                          "email": "penilai@cilacapkab.go.id"})  # fmt: skip
    assert r.status_code == 400 and "terdaftar di instansi lain" in r.content.decode()
    assert not Membership.objects.filter(user=lain, instansi=kab).exists()
    # A role outside the team's, or a forged one, is refused; a PPK or a member cannot invite.
    r = client.post(url, {"peran": "ppk", "nama_lengkap": "X", "email": "x@banyumaskab.go.id"})
    assert r.status_code == 400 and not Membership.objects.filter(user__email="x@banyumaskab.go.id").exists()
    client.force_login(lain)
    assert client.get(url).status_code == 404
    # An account of the PIC's own instansi gets the role.
    pegawai = UserFactory(username="ppk.bms", email="ppk@banyumaskab.go.id", instansi=kab, roles=["ppk"])
    client.force_login(pic_kab)
    r = client.post(url, {"peran": "penilai_ak", "nama_lengkap": "PPK Banyumas", "email": "PPK@banyumaskab.go.id"})
    assert r.status_code == 302
    assert set(Membership.objects.filter(user=pegawai).values_list("role", flat=True)) == {"ppk", "penilai_ak"}
    # "kembali" leads back to the team pages only.
    r = client.post(url + "?kembali=https://contoh.example/", {"peran": "penilai_ak", "nama_lengkap": "A",
                                                                 "email": "a@banyumaskab.go.id"})  # fmt: skip
    assert r["Location"] == reverse("penetapan:tim_baru")


def test_the_admin_pembina_invites_for_the_pusat_team_in_the_pembina(client, jfak, admin_lan):
    from apps.accounts.models import Membership

    client.force_login(admin_lan)
    r = client.post(reverse("penetapan:tim_undang"), {"peran": "penilai_ak", "nama_lengkap": "Ahli Utama",
                                                       "email": "ahli.utama@lan.go.id"})  # fmt: skip
    assert r.status_code == 302
    assert list(Membership.objects.filter(user__email="ahli.utama@lan.go.id").values_list("instansi_id", "role")) == [
        (admin_lan.instansi.pk, "penilai_ak")
    ]
