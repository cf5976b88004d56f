"""The perbaikan loop (issue 14, item 5): the PIC page highlights the documents to fix and the
wajib badge turns green once a file is there; the perbaikan notice (and its e-mail) carries the
verifier's notes; a resubmission is announced as "Usulan diperbaiki", not as a new usulan."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.notifikasi.models import Notifikasi
from apps.pengusulan import services as pic_services
from apps.pengusulan.tasks import kabari_transisi
from apps.referensi.models import PersyaratanDokumen
from apps.verifikasi import services
from tests.pengusulan.conftest import ON, pdf_upload
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _kabari(usulan, aksi, dari):
    kabari_transisi.apply(kwargs={"usulan_id": usulan.pk, "aksi": aksi, "dari": dari}, task_id=str(uuid.uuid4()))


def test_the_perbaikan_round_trip_says_what_to_fix_and_what_changed(client, diajukan, staf, pic_pk):
    usulan = diajukan(1)[0]
    v = staf["verifikator"]
    ijazah = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="ijazah")
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        hasil = {
            p.pk: (True, "")
            for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
        }
        hasil[ijazah.pk] = (False, "Belum dilegalisasi")
        services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=hasil)
        services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="perbaikan", catatan="Lengkapi legalisasi.")
    _kabari(usulan, "kembalikan", "verifikasi")
    with tenancy.all_tenants(reason="test"):
        notice = Notifikasi.objects.get(user=pic_pk, jenis="usulan.kembalikan")
    assert "Belum dilegalisasi" in notice.isi and "Lengkapi legalisasi." in notice.isi

    client.force_login(pic_pk)
    html = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    card = html.split('data-persyaratan="ijazah"')[1].split('data-persyaratan="')[0]
    assert 'data-perlu-perbaikan="1"' in card and "perlu diperbaiki" in card and "Belum dilegalisasi" in card
    assert 'data-testid="wajib-ada"' in card  # a file is there: the wajib badge is green
    with tenancy.scope(pic_pk.instansi):
        pic_services.dokumen_upload(
            actor=pic_pk, jf=usulan.jf, persyaratan=ijazah, upload=pdf_upload("ijazah-legalisir.pdf"), usulan=usulan
        )
    html = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    card = html.split('data-persyaratan="ijazah"')[1].split('data-persyaratan="')[0]
    assert "sudah diperbarui" in card

    with tenancy.scope(pic_pk.instansi):
        pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan, on=ON)
    _kabari(usulan, "ajukan", "perbaikan")
    with tenancy.all_tenants(reason="test"):
        titles = list(Notifikasi.objects.filter(user=v, jenis="usulan.ajukan").values_list("judul", flat=True))
    assert titles and all(t.startswith("Usulan diperbaiki") for t in titles)
