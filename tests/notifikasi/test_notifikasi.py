"""Notifications (issue 7): who hears of each transition, in the portal and by e-mail, the
digest, the reminders (with a frozen clock) and the pages/API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import OutboxMessage
from apps.notifikasi.models import Notifikasi
from apps.notifikasi.services import ringkasan_kirim
from apps.pengusulan.tasks import kabari_transisi
from tests.factories import UserFactory
from tests.surat.conftest import sk_terbit
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def kirim_semua() -> int:
    """Run every pending transition notice in the outbox, as the worker would."""
    done = 0
    for m in OutboxMessage.objects.filter(task_name="pengusulan.kabari_transisi", published_at__isnull=True).order_by(
        "created_at"
    ):
        kabari_transisi.apply(kwargs=m.kwargs, task_id=str(m.id), throw=True)
        OutboxMessage.objects.filter(pk=m.pk).update(published_at=timezone.now())
        done += 1
    return done


def penerima(jenis: str) -> set[str]:
    return set(Notifikasi.objects.filter(jenis=jenis).values_list("user__username", flat=True))


def test_each_transition_notifies_the_right_people(diputuskan, staf, pk, instansi_a, ppk_pk, pic_pk):
    mail.outbox.clear()
    lulus, _tidak, _s = diputuskan(1, 1)
    sk_terbit(admin=staf["admin"], ppk=ppk_pk, jf=pk, instansi=instansi_a, usulan=lulus[0])
    assert kirim_semua() > 10

    pembina_team = {"verif.kemnaker", "verif2.kemnaker", "admin.kemnaker"}
    assert penerima("usulan.ajukan") == pembina_team
    assert penerima("usulan.mulai_verifikasi") == {"pic.pk"}  # the verifier who started is not told
    assert penerima("usulan.loloskan_administrasi") == {"pic.pk", "admin.kemnaker"}
    assert penerima("usulan.mulai_penilaian") == {"pic.pk"}
    assert penerima("usulan.nyatakan_lulus") == {"pic.pk", "ppk.pk", "admin.kemnaker"}
    assert penerima("usulan.nyatakan_tidak_lulus") == {"pic.pk", "ppk.pk"}
    assert penerima("usulan.rekomendasikan") == {"pic.pk", "ppk.pk"}
    assert penerima("usulan.terbitkan_sk") == {"pic.pk", "admin.kemnaker"}  # the PPK who uploaded is not told

    started = Notifikasi.objects.get(jenis="usulan.mulai_verifikasi", usulan_id=lulus[0].pk)
    assert "Status usulan menjadi: Verifikasi administrasi." in started.isi  # the move's, not today's status
    n = Notifikasi.objects.get(jenis="usulan.rekomendasikan", user=ppk_pk)
    assert n.url == reverse("surat:ppk") and lulus[0].pegawai_nama in n.judul
    n = Notifikasi.objects.get(jenis="usulan.ajukan", user=staf["verifikator"], usulan_id=lulus[0].pk)
    assert n.url == reverse("verifikasi:periksa", args=[lulus[0].pk]) and instansi_a.nama in n.judul
    # Immediate e-mails: one per recipient and notice, Indonesian, HTML + text, no other recipients visible.
    for m in mail.outbox:
        assert len(m.to) == 1 and m.subject.startswith("[SIAKS] ") and m.alternatives[0][1] == "text/html"
    to_ppk = [m for m in mail.outbox if m.to == [ppk_pk.email]]
    assert any("Rekomendasi terbit" in m.subject for m in to_ppk)
    assert any("Tidak lulus uji kompetensi" in m.subject for m in to_ppk)
    assert len(mail.outbox) == Notifikasi.objects.filter(email=Notifikasi.Email.TERKIRIM).count()


def test_perbaikan_and_tolak_and_batalkan(diajukan, staf, pk, pic_pk):
    from apps.pengusulan import services as pic_services
    from apps.referensi.models import PersyaratanDokumen
    from apps.verifikasi import services as pembina_services

    a, b = diajukan(2)
    v = staf["verifikator"]
    with as_user(v):
        for u in (a, b):
            pembina_services.pemeriksaan_mulai(actor=v, usulan=u)
        p = PersyaratanDokumen.objects.untuk_usulan(pk, "penyesuaian").filter(wajib=True).first()
        pembina_services.pemeriksaan_catat_dokumen(actor=v, usulan=a, hasil={p.pk: (False, "Buram")})
        pembina_services.pemeriksaan_putuskan(actor=v, usulan=a, keputusan="perbaikan", catatan="Unggah ulang.")
        pembina_services.pemeriksaan_catat_dokumen(actor=v, usulan=b, hasil={p.pk: (False, "Palsu")})
        pembina_services.pemeriksaan_putuskan(actor=v, usulan=b, keputusan="tidak_memenuhi", catatan="Tidak sah.")
    kirim_semua()
    kembali = Notifikasi.objects.get(jenis="usulan.kembalikan")
    assert kembali.user == pic_pk and "Perlu perbaikan" in kembali.judul and "tenggat" in kembali.judul
    assert kembali.url == reverse("pengusulan:usulan_detail", args=[a.pk])
    assert penerima("usulan.tolak") == {"pic.pk"}  # no PPK account in this instansi
    with tenancy.scope(pic_pk.instansi):
        from apps.pengusulan.models import Usulan

        draft = Usulan.objects.filter(status="draft").first()
        assert draft is None
    with tenancy.scope(pic_pk.instansi):
        c = diajukan(1, nip_prefix="19900101 201501 1 ")[0]
        pic_services.usulan_batalkan(actor=pic_pk, usulan=c, alasan="Salah JF")
    kirim_semua()
    assert penerima("usulan.batalkan") == {"verif.kemnaker", "verif2.kemnaker", "admin.kemnaker"}


def test_digest_and_no_email_preferences(instansi_a):
    from apps.notifikasi.services import notifikasi_buat

    segera = UserFactory(username="segera", instansi=instansi_a, roles=["pic_instansi"])
    harian = UserFactory(username="harian", instansi=instansi_a, roles=["pic_instansi"], pengiriman_email="harian")
    mati = UserFactory(username="mati", instansi=instansi_a, roles=["pic_instansi"], pengiriman_email="mati")
    mail.outbox.clear()
    for i in range(3):
        notifikasi_buat([segera, harian, mati], jenis="uji", judul=f"Pemberitahuan {i}", isi="Isi", url_for="/beranda/")
    assert [m.to for m in mail.outbox] == [[segera.email]] * 3
    assert Notifikasi.objects.filter(user=mati).count() == 3  # still in the portal
    mail.outbox.clear()
    assert ringkasan_kirim() == 1
    assert [m.to for m in mail.outbox] == [[harian.email]]
    digest = mail.outbox[0]
    assert "3 pemberitahuan" in digest.subject and all(f"Pemberitahuan {i}" in digest.body for i in range(3))
    assert "http://" in digest.body and "/beranda/" in digest.body
    assert ringkasan_kirim() == 0  # nothing twice


def _frozen(monkeypatch, day: date) -> dict:
    """Run the daily reminder task as if it were 06.00 WIB on ``day``."""
    at = datetime(day.year, day.month, day.day, 6, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    monkeypatch.setattr(timezone, "now", lambda: at)
    from apps.notifikasi.tasks import pengingat_harian

    result = pengingat_harian.apply().get()
    monkeypatch.undo()
    return result


def test_perbaikan_deadline_reminders_with_a_frozen_clock(diajukan, staf, pk, pic_pk, monkeypatch):
    from apps.referensi.models import PersyaratanDokumen
    from apps.verifikasi import services as pembina_services

    a = diajukan(1)[0]
    v = staf["verifikator"]
    with as_user(v):
        pembina_services.pemeriksaan_mulai(actor=v, usulan=a)
        p = PersyaratanDokumen.objects.untuk_usulan(pk, "penyesuaian").filter(wajib=True).first()
        pembina_services.pemeriksaan_catat_dokumen(actor=v, usulan=a, hasil={p.pk: (False, "Buram")})
        pembina_services.pemeriksaan_putuskan(actor=v, usulan=a, keputusan="perbaikan", catatan="Unggah ulang.")
    with tenancy.all_tenants(reason="test"):
        a.refresh_from_db()
    tenggat = a.tenggat_perbaikan
    assert _frozen(monkeypatch, tenggat - timedelta(days=5))["perbaikan"] == 0
    assert _frozen(monkeypatch, tenggat - timedelta(days=3))["perbaikan"] == 1
    assert _frozen(monkeypatch, tenggat - timedelta(days=3))["perbaikan"] == 0  # once per reminder
    assert _frozen(monkeypatch, tenggat - timedelta(days=1))["perbaikan"] == 1
    assert _frozen(monkeypatch, tenggat + timedelta(days=1))["perbaikan"] == 0
    reminders = list(Notifikasi.objects.filter(jenis="pengingat.perbaikan", user=pic_pk).order_by("id"))
    assert [r.judul.split(":")[0] for r in reminders] == [
        "Tenggat perbaikan 3 hari lagi",
        "Tenggat perbaikan 1 hari lagi",
    ]
    assert reminders[0].url == reverse("pengusulan:usulan_detail", args=[a.pk])


def test_pending_scores_remind_the_penilai_weekly(diajukan, staf, tim, monkeypatch):
    from apps.verifikasi import services as pembina_services
    from tests.verifikasi.conftest import lulus_administrasi

    b = lulus_administrasi(diajukan(1)[0], staf)
    with as_user(staf["admin"]):
        pembina_services.penilai_tugaskan(actor=staf["admin"], usulan_list=[b], tim=tim, penilai=[staf["penilai1"]])
    today = timezone.localdate()
    assert _frozen(monkeypatch, today + timedelta(days=3))["penilaian"] == 0
    assert _frozen(monkeypatch, today + timedelta(days=8))["penilaian"] == 1
    assert _frozen(monkeypatch, today + timedelta(days=8))["penilaian"] == 0
    assert _frozen(monkeypatch, today + timedelta(days=15))["penilaian"] == 1  # a week later, again
    n = Notifikasi.objects.filter(jenis="pengingat.penilaian", user=staf["penilai1"])
    assert n.count() == 2 and n.first().url == reverse("verifikasi:penilaian_saya")


def test_closing_stage_reminds_pics_with_unsent_drafts(pk, pic_pk, monkeypatch):
    from apps.pengusulan import services as pic_services
    from tests.pengusulan.conftest import pegawai_data

    with tenancy.scope(pic_pk.instansi):
        pegawai = pic_services.pegawai_create(actor=pic_pk, data=pegawai_data())
        pic_services.usulan_create(actor=pic_pk, pegawai=pegawai, jf=pk)
    tutup = pk.jendela_tutup
    tahap = pk.tahapan.filter(kode="pengajuan").first()
    if tahap:
        tutup = min(tutup, tahap.selesai)
    assert _frozen(monkeypatch, tutup - timedelta(days=8))["tahap"] == 0
    assert _frozen(monkeypatch, tutup - timedelta(days=7))["tahap"] == 1
    assert _frozen(monkeypatch, tutup - timedelta(days=7))["tahap"] == 0
    n = Notifikasi.objects.get(jenis="pengingat.tahap", user=pic_pk)
    assert n.judul == f"Pengajuan JF {pk.nama} ditutup 7 hari lagi" and "1 usulan draf" in n.isi


def test_pages_and_api_show_only_ones_own(client, instansi_a, instansi_b):
    from rest_framework.test import APIClient

    from apps.notifikasi.services import notifikasi_buat

    me = UserFactory(username="saya", instansi=instansi_a, roles=["pic_instansi"])
    other = UserFactory(username="lain", instansi=instansi_b, roles=["pic_instansi"])
    mine = notifikasi_buat([me], jenis="uji", judul="Untuk saya", url_for=reverse("pengusulan:dashboard"))[0]
    theirs = notifikasi_buat([other], jenis="uji", judul="Bukan untuk saya", url_for="/")[0]
    notifikasi_buat([me], jenis="uji", judul="Kedua", url_for="https://contoh.example/phish")
    client.force_login(me)
    home = client.get("/beranda/").content.decode()
    assert 'data-testid="jumlah-notifikasi">2<' in home
    page = client.get(reverse("notifikasi:daftar")).content.decode()
    assert "Untuk saya" in page and "Bukan untuk saya" not in page
    assert client.get(reverse("notifikasi:buka", args=[theirs.pk])).status_code == 404
    follow = client.get(reverse("notifikasi:buka", args=[mine.pk]))
    assert follow.status_code == 302 and follow.url == reverse("pengusulan:dashboard")
    mine.refresh_from_db()
    assert mine.dibaca_at is not None
    phish = Notifikasi.objects.get(judul="Kedua")
    assert client.get(reverse("notifikasi:buka", args=[phish.pk])).url == reverse("notifikasi:daftar")
    assert 'data-testid="jumlah-notifikasi"' not in client.get("/beranda/").content.decode()

    api = APIClient()
    api.force_authenticate(me)
    listed = api.get("/api/v1/notifikasi/").json()["results"]
    assert {n["judul"] for n in listed} == {"Untuk saya", "Kedua"}
    assert api.get(f"/api/v1/notifikasi/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifikasi/{theirs.pk}/baca/").status_code == 404
    notifikasi_buat([me], jenis="uji", judul="Ketiga", url_for="/")
    assert api.get("/api/v1/notifikasi/jumlah/").json() == {"belum_dibaca": 1}
    assert api.post("/api/v1/notifikasi/baca-semua/").json() == {"ditandai": 1}
    theirs.refresh_from_db()
    assert theirs.dibaca_at is None

    client.post(reverse("notifikasi:pengaturan"), {"pengiriman_email": "harian"})
    me.refresh_from_db()
    assert me.pengiriman_email == "harian"
