"""Seleksi administrasi: claim, per-document findings, the three decisions, the perbaikan round
trip with new versions, overdue handling, and two deciders at once."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from apps.core import tenancy
from apps.pengusulan import services as pic_services
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.referensi.models import PersyaratanDokumen
from apps.verifikasi import selectors, services
from apps.verifikasi.models import Pemeriksaan
from tests.pengusulan.conftest import ON, pdf_upload
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _all_sesuai(usulan):
    return {
        p.pk: (True, "") for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
    }


def test_a_verifier_of_another_pembina_cannot_touch_it(diajukan, referensi):
    from tests.factories import UserFactory

    usulan = diajukan(1)[0]
    lan = UserFactory(username="v.lan", instansi=referensi["analis-kebijakan"].instansi_pembina, roles=["verifikator"])
    with as_user(lan), pytest.raises(PermissionDenied):
        services.pemeriksaan_mulai(actor=lan, usulan=usulan)


def test_claims_do_not_collide(diajukan, staf):
    usulan = diajukan(1)[0]
    with as_user(staf["verifikator"]):
        services.usulan_klaim(actor=staf["verifikator"], usulan=usulan)
    with as_user(staf["verifikator2"]), pytest.raises(ValidationError, match="sudah ditangani"):
        services.usulan_klaim(actor=staf["verifikator2"], usulan=usulan)


def test_memenuhi_syarat_needs_every_document_sesuai_and_every_warning_decided(diajukan, staf):
    usulan = diajukan(1)[0]
    v = staf["verifikator"]
    with as_user(v):
        pemeriksaan = services.pemeriksaan_mulai(actor=v, usulan=usulan)
        assert pemeriksaan.putaran == 1
        with pytest.raises(ValidationError) as exc:
            services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="memenuhi")
        assert any("Dokumen belum diperiksa" in m for m in exc.value.messages)
        services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=_all_sesuai(usulan))
        done = services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="memenuhi")
    assert done.status == Status.LULUS_ADMINISTRASI


def test_tidak_sesuai_needs_a_note(diajukan, staf):
    usulan = diajukan(1)[0]
    v = staf["verifikator"]
    ijazah = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="ijazah")
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        with pytest.raises(ValidationError, match="Tulis catatan untuk dokumen yang tidak sesuai"):
            services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil={ijazah.pk: (False, " ")})


def test_the_perbaikan_round_trip_with_new_versions(diajukan, staf, pic_pk):
    usulan = diajukan(1)[0]
    v = staf["verifikator"]
    ijazah = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="ijazah")
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        hasil = _all_sesuai(usulan) | {ijazah.pk: (False, "Ijazah belum dilegalisasi.")}
        services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=hasil)
        kembali = services.pemeriksaan_putuskan(
            actor=v, usulan=usulan, keputusan="perbaikan", catatan="Lengkapi legalisasi."
        )
    assert kembali.status == Status.PERBAIKAN
    assert kembali.tenggat_perbaikan == timezone.localdate() + timedelta(days=usulan.jf.perbaikan_hari)

    # The PIC sees the notes, uploads a new version and resubmits.
    with tenancy.scope(pic_pk.instansi):
        notes = selectors.catatan_perbaikan(usulan)
        assert notes["catatan"] == "Lengkapi legalisasi."
        assert notes["dokumen"] == [("Ijazah terakhir (dilegalisasi)", "Ijazah belum dilegalisasi.")]
        v2 = pic_services.dokumen_upload(
            actor=pic_pk, jf=usulan.jf, persyaratan=ijazah, upload=pdf_upload(), usulan=usulan
        )
        assert v2.versi == 2
        again = pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan, on=ON)
    assert again.status == Status.DIAJUKAN and again.tenggat_perbaikan is None

    # The verifier sees what changed since the last review.
    with as_user(v):
        changed = selectors.perubahan_sejak_pemeriksaan(usulan)
        assert [(d.persyaratan.kode, d.versi) for d in changed] == [("ijazah", 2)]
        round2 = services.pemeriksaan_mulai(actor=v, usulan=usulan)
        assert round2.putaran == 2
        services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=_all_sesuai(usulan))
        assert (
            services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="memenuhi").status
            == Status.LULUS_ADMINISTRASI
        )
    with tenancy.all_tenants(reason="test"):
        finding = Pemeriksaan.objects.get(usulan=usulan, putaran=2).dokumen.get(persyaratan=ijazah)
        assert finding.dokumen.versi == 2  # the review is of the new version


def test_tidak_memenuhi_syarat_needs_a_reason_and_frees_the_position(diajukan, staf):
    usulan = diajukan(1)[0]
    v = staf["verifikator"]
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        with pytest.raises(ValidationError, match="Tuliskan alasan"):
            services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="tidak_memenuhi")
        done = services.pemeriksaan_putuskan(
            actor=v, usulan=usulan, keputusan="tidak_memenuhi", catatan="Bukan jabatan di bidang antar kerja."
        )
    assert done.status == Status.TIDAK_MEMENUHI_SYARAT


def test_an_overdue_perbaikan_is_flagged_and_handled_by_the_jf_rule(diajukan, staf, pk):
    usulan = diajukan(1)[0]
    v = staf["verifikator"]
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="perbaikan", catatan="Perbaiki SKP.",
                                       tenggat=timezone.localdate() + timedelta(days=3))  # fmt: skip
        later = timezone.localdate() + timedelta(days=4)
        assert [u.pk for u in selectors.perbaikan_lewat_tenggat(on=later)] == [usulan.pk]
        assert selectors.perbaikan_lewat_tenggat(on=timezone.localdate()) == []
    # The JF keeps the default rule (flag only): nothing changes.
    from apps.verifikasi.tasks import proses_perbaikan_lewat_tenggat

    assert proses_perbaikan_lewat_tenggat(on=later) == 0
    pk.perbaikan_lewat_tenggat = "tidak_memenuhi"
    pk.save()
    assert proses_perbaikan_lewat_tenggat(on=later) == 1
    with tenancy.all_tenants(reason="test"):
        assert Usulan.objects.get(pk=usulan.pk).status == Status.TIDAK_MEMENUHI_SYARAT


@pytest.mark.django_db(transaction=True)
def test_two_deciders_at_once_one_wins_the_other_is_told(referensi, instansi_a, staf, diajukan):
    usulan = diajukan(1)[0]
    v, admin = staf["verifikator"], staf["admin"]
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
    barrier = threading.Barrier(2)
    results = []

    def decide(actor, keputusan, catatan):
        try:
            with as_user(actor):
                barrier.wait(timeout=10)
                services.pemeriksaan_putuskan(actor=actor, usulan=usulan, keputusan=keputusan, catatan=catatan)
            results.append("menang")
        except ValidationError as exc:
            results.append(" ".join(exc.messages))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(v, "perbaikan", "Perbaiki dokumen.")),
        threading.Thread(target=decide, args=(admin, "tidak_memenuhi", "Tidak sesuai bidang.")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 2 and results.count("menang") == 1
    loser = next(r for r in results if r != "menang")
    assert "sudah diputuskan" in loser and "Muat ulang halaman" in loser
    with tenancy.all_tenants(reason="test"):
        assert Usulan.objects.get(pk=usulan.pk).status in (Status.PERBAIKAN, Status.TIDAK_MEMENUHI_SYARAT)
        assert Pemeriksaan.objects.filter(usulan=usulan).exclude(keputusan="").count() == 1


def test_only_the_admin_assigns_and_only_to_verifiers(diajukan, staf):
    a, b = diajukan(2)
    with as_user(staf["admin"]):
        assert (
            services.usulan_tugaskan_verifikator(
                actor=staf["admin"], usulan_ids=[a.pk, b.pk], verifikator=staf["verifikator2"]
            )
            == 2
        )
        with pytest.raises(ValidationError, match="bukan verifikator"):
            services.usulan_tugaskan_verifikator(actor=staf["admin"], usulan_ids=[a.pk], verifikator=staf["penilai1"])
    with as_user(staf["verifikator"]), pytest.raises(PermissionDenied):
        services.usulan_tugaskan_verifikator(
            actor=staf["verifikator"], usulan_ids=[a.pk], verifikator=staf["verifikator"]
        )
    with tenancy.all_tenants(reason="test"):
        assert set(Usulan.objects.filter(pk__in=[a.pk, b.pk]).values_list("verifikator", flat=True)) == {
            staf["verifikator2"].pk
        }
    _ = date


def test_a_document_that_was_not_uploaded_cannot_be_judged(diajukan, staf):
    usulan = diajukan(1)[0]
    spt = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="spt")  # optional, not uploaded
    with as_user(staf["verifikator"]):
        services.pemeriksaan_mulai(actor=staf["verifikator"], usulan=usulan)
        with pytest.raises(ValidationError, match="Dokumen belum diunggah, tidak dapat dinilai"):
            services.pemeriksaan_catat_dokumen(actor=staf["verifikator"], usulan=usulan, hasil={spt.pk: (True, "")})
