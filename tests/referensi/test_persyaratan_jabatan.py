"""Issue 13 §7: seed 002's persyaratan jabatan per jenjang (pangkat, pendidikan, pelatihan,
pengalaman, indikator kinerja) are reference data, loaded and shown on the JF page; the Ahli Utama
"Pengambilan keputusan" keeps the text the source prints, flagged as doubtful, not Ahli Madya's."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse

from apps.referensi.models import Jenjang, Kompetensi
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MADYA_INDIKATOR_2 = (
    "Menghasilkan solusi dari berbagai masalah yang kompleks, terkait dengan bidang kerjanya yang berdampak pada "
    "pihak lain; dan"
)


def _jenjang(kode):
    return Jenjang.objects.get(jf__kode="pengantar-kerja", kode=kode)


def test_each_jenjang_has_its_persyaratan_from_seed_002(referensi):
    pertama, muda, madya, utama = (_jenjang(k) for k in ("ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama"))
    assert pertama.persyaratan["pangkat"] == ["III/a (Penata Muda)", "III/b (Penata Muda Tk. I)"]
    assert muda.persyaratan["pangkat"] == ["III/c (Penata)", "III/d (Penata Tk. I)"]
    assert madya.persyaratan["pangkat"][-1] == "IV/c (Pembina Utama Muda)"
    assert utama.persyaratan["pangkat"] == ["IV/d (Pembina Utama Madya)", "IV/e (Pembina Utama)"]
    assert utama.persyaratan["pendidikan"]["jenjang"] == "Berijazah paling rendah magister"
    assert pertama.persyaratan["pendidikan"]["jenjang"] == "Berijazah paling rendah sarjana atau diploma empat"
    assert pertama.persyaratan["indikator_kinerja"].startswith("Kualitas penyiapan, penyusunan dan pelaksanaan")
    assert madya.persyaratan["indikator_kinerja"].endswith("dan pengembangan antar kerja.")
    fungsional = [p for p in pertama.persyaratan["pelatihan"] if p["jenis"] == "Fungsional" and p["kelompok"] == "PNS"]
    assert fungsional == [
        {"kelompok": "PNS", "jenis": "Fungsional", "nama": "Pendidikan & pelatihan dasar Pengantar Kerja",
         "tingkat": "mutlak"}
    ]  # fmt: skip
    assert pertama.persyaratan["pengalaman"][0]["teks"].startswith("Mengikuti dan lulus Pelatihan Dasar")
    # ticks the OCR lost stay unknown, never guessed
    assert {p["tingkat"] for p in muda.persyaratan["pelatihan"]} == {None}
    assert "KepmenPANRB Nomor SKJ.1 Tahun 2022" in utama.persyaratan["sumber"]


def test_ahli_utama_pengambilan_keputusan_keeps_the_source_text_flagged(referensi):
    utama = Kompetensi.objects.get(jenjang=_jenjang("ahli_utama"), nama="Pengambilan keputusan")
    madya = Kompetensi.objects.get(jenjang=_jenjang("ahli_madya"), nama="Pengambilan keputusan")
    assert utama.indikator != madya.indikator
    assert MADYA_INDIKATOR_2 in madya.indikator and MADYA_INDIKATOR_2 not in utama.indikator
    assert utama.indikator[0].startswith("Menyusun dan/atau memutuskan konsep penyelesaian masalah")
    assert (
        utama.indikator[1]
        == "Memastikan perubahan sudah diterapkan secara aktif di lingkup unit kerjanya secara berkala;"
    )
    assert utama.catatan.startswith("Belum terverifikasi") and "Mengelola perubahan" in utama.catatan
    assert madya.catatan == ""


def test_the_jf_page_shows_the_persyaratan_and_the_doubt(client, referensi, instansi_a):
    client.force_login(UserFactory(instansi=instansi_a, roles=["pic_instansi"]))
    body = client.get(reverse("referensi:jf_detail", args=["pengantar-kerja"])).content.decode()
    assert body.count("Persyaratan jabatan</h3>") == 4
    assert 'data-testid="persyaratan-ahli_utama"' in body
    assert "Berijazah paling rendah magister" in body
    assert "IV/d (Pembina Utama Madya); IV/e (Pembina Utama)" in body
    assert "Indikator kinerja jabatan" in body and "Kualitas penyiapan, penyusunan dan pelaksanaan" in body
    assert "tingkat tidak terbaca pada sumber (belum terverifikasi)" in body
    assert 'data-testid="catatan-kompetensi"' in body
    assert "Seed 0" not in body and "seed 0" not in body and "[V" not in body


def test_a_database_loaded_before_gets_them_through_the_migration(referensi):
    utama = _jenjang("ahli_utama")
    Jenjang.objects.filter(jf__kode="pengantar-kerja").update(persyaratan={})
    row = Kompetensi.objects.get(jenjang=utama, nama="Pengambilan keputusan")
    madya = Kompetensi.objects.get(jenjang=_jenjang("ahli_madya"), nama="Pengambilan keputusan")
    Kompetensi.objects.filter(pk=row.pk).update(deskripsi=madya.deskripsi, indikator=madya.indikator, catatan="")
    migration = importlib.import_module("apps.referensi.migrations.0009_persyaratan_jabatan")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.isi(django_apps, editor)
    utama.refresh_from_db()
    row.refresh_from_db()
    assert utama.persyaratan["pangkat"] == ["IV/d (Pembina Utama Madya)", "IV/e (Pembina Utama)"]
    assert row.catatan.startswith("Belum terverifikasi") and MADYA_INDIKATOR_2 not in row.indikator


def test_the_demo_standard_says_on_the_row_that_ahli_utama_takes_ahli_madyas_text(client, referensi, instansi_a):
    """JF AKS and Analis Kebijakan have no SKJ in the seeds: the demo gives Ahli Utama "Pengambilan
    keputusan" the level-4 text Ahli Madya uses. That copy is flagged on the row itself (JF page), not
    only by the general demo note; a database an earlier demo run filled gets the flag too."""
    from apps.portal.demo_standar import CATATAN_MANAJERIAL, standar_demo

    assert standar_demo() > 0
    client.force_login(UserFactory(instansi=instansi_a, roles=["pic_instansi"]))
    for kode in ("aks", "analis-kebijakan"):
        utama = Kompetensi.objects.get(jenjang__jf__kode=kode, jenjang__kode="ahli_utama", nama="Pengambilan keputusan")
        madya = Kompetensi.objects.get(jenjang__jf__kode=kode, jenjang__kode="ahli_madya", nama="Pengambilan keputusan")
        assert utama.indikator == madya.indikator  # the copy, said so below
        assert "disalin dari jenjang Ahli Madya" in utama.catatan and utama.catatan.startswith("Belum terverifikasi")
        assert "disalin" not in madya.catatan and madya.catatan == CATATAN_MANAJERIAL.format(jf=madya.jenjang.jf.nama)
        others = Kompetensi.objects.filter(jenjang=utama.jenjang).exclude(pk=utama.pk)
        assert not others.filter(catatan__contains="disalin").exists()
        body = client.get(reverse("referensi:jf_detail", args=[kode])).content.decode()
        assert body.count("disalin dari jenjang Ahli Madya") == 1

    # An earlier demo run left the general note on the copied row: the next run flags it.
    row = Kompetensi.objects.get(jenjang__jf__kode="aks", jenjang__kode="ahli_utama", nama="Pengambilan keputusan")
    Kompetensi.objects.filter(pk=row.pk).update(catatan=CATATAN_MANAJERIAL.format(jf=row.jenjang.jf.nama))
    assert standar_demo() == 0
    row.refresh_from_db()
    assert "disalin dari jenjang Ahli Madya" in row.catatan
    # An admin's own text is never overwritten.
    Kompetensi.objects.filter(pk=row.pk).update(catatan="", deskripsi="Teks SKJ resmi.")
    standar_demo()
    row.refresh_from_db()
    assert row.catatan == ""
