"""A refused save explains itself and keeps the input (issue 14, items 1 and 2).

Each of these ended in ``TransactionManagementError`` (a 500) or lost what the user typed: the
refusal rolled the whole request back, then the page rendered and queried a broken transaction."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.referensi.models import Jenjang, Kompetensi, PersyaratanDokumen
from apps.verifikasi.models import Pemeriksaan
from tests.factories import UserFactory
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def test_a_repeated_competency_number_is_explained_on_the_form(client, referensi):
    pk = referensi["pengantar-kerja"]
    admin = UserFactory(username="admin.pk", instansi=pk.instansi_pembina, roles=["admin_pembina"])
    jenjang = Jenjang.objects.filter(jf=pk, kompetensi__isnull=False).first()
    taken = Kompetensi.objects.filter(jenjang=jenjang).first()
    client.force_login(admin)
    url = reverse("referensi:row_add", kwargs={"kode": pk.kode, "bagian": "kompetensi"}) + f"?jenjang={jenjang.pk}"
    response = client.post(
        url,
        {"versi": "", "jenis": taken.jenis, "nomor": taken.nomor, "nama": "Kompetensi Kembar", "level": 3,
         "deskripsi": "Uraian yang diketik", "indikator": "Satu\nDua"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="ringkasan-galat"' in html  # the error summary at the top of the form
    summary = html[html.index("ringkasan-galat-judul") :][:600]
    assert "nomor" in summary.lower(), summary
    assert 'value="Kompetensi Kembar"' in html and "Uraian yang diketik" in html
    assert Kompetensi.objects.filter(nama="Kompetensi Kembar").count() == 0


def test_a_refused_decision_keeps_every_verdict_and_note(client, diajukan, staf):
    usulan = diajukan(1)[0]
    client.force_login(staf["verifikator"])
    client.post(reverse("verifikasi:klaim", args=[usulan.pk]))
    docs = list(PersyaratanDokumen.objects.filter(jf=usulan.jf, wajib=True, level="usulan")[:2])
    data = {
        f"hasil_{docs[0].pk}": "tidak", f"catatan_{docs[0].pk}": "Cap basah belum ada",
        f"hasil_{docs[1].pk}": "sesuai",
        "keputusan": "tidak_memenuhi", "catatan": "", "tenggat": "2026-07-01",
    }  # fmt: skip
    response = client.post(reverse("verifikasi:simpan_pemeriksaan", args=[usulan.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tuliskan alasan tidak memenuhi syarat." in html
    assert re.search(rf'id="t{docs[0].pk}" value="tidak" checked', html)
    assert re.search(rf'id="s{docs[1].pk}" value="sesuai" checked', html)
    assert 'value="Cap basah belum ada"' in html
    assert '<option value="tidak_memenuhi" selected>' in html and 'value="2026-07-01"' in html
    # the groups are named after their document (screen readers)
    assert f'aria-label="Hasil pemeriksaan {docs[0].nama}"' in html
    with as_user(staf["verifikator"]):
        aktif = Pemeriksaan.objects.get(usulan=usulan, keputusan="")
        assert not aktif.dokumen.exists()  # nothing half-saved


def test_a_refused_review_lists_every_problem_at_once_linked_to_its_field(client, diajukan, staf):
    """Two missing notes and a past tenggat: all three in the error summary of one pass, each
    linking to its field (it showed one plain alert per submit, the tenggat only after the notes)."""
    usulan = diajukan(1)[0]
    client.force_login(staf["verifikator"])
    client.post(reverse("verifikasi:klaim", args=[usulan.pk]))
    docs = list(PersyaratanDokumen.objects.filter(jf=usulan.jf, wajib=True, level="usulan")[:2])
    data = {
        f"hasil_{docs[0].pk}": "tidak", f"catatan_{docs[0].pk}": "",
        f"hasil_{docs[1].pk}": "tidak", f"catatan_{docs[1].pk}": "  ",
        "keputusan": "perbaikan", "catatan": "Lengkapi", "tenggat": "2020-01-01",
    }  # fmt: skip
    response = client.post(reverse("verifikasi:simpan_pemeriksaan", args=[usulan.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index('data-testid="ringkasan-galat"') :]
    summary = summary[: summary.index("</div>")]
    assert "Ada yang perlu diperbaiki" in summary
    for d in docs:
        assert f'href="#catatan_{d.pk}"' in summary and d.nama in summary
        assert f'id="catatan_{d.pk}"' in html
    assert 'href="#tenggat"' in summary and "Tenggat perbaikan harus setelah hari ini." in summary
    assert 'value="2020-01-01"' in html and "Lengkapi" in html  # input kept
    with as_user(staf["verifikator"]):
        aktif = Pemeriksaan.objects.get(usulan=usulan, keputusan="")
        assert not aktif.dokumen.exists()


def test_the_verifiers_required_badge_turns_green_once_uploaded(client, diajukan, staf):
    usulan = diajukan(1)[0]
    client.force_login(staf["verifikator"])
    client.post(reverse("verifikasi:klaim", args=[usulan.pk]))
    html = client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode()
    assert 'data-testid="wajib-ada"' in html


def test_a_refused_sidang_keeps_attendance_and_decisions(client, sidang_terbuka, staf):
    sidang = sidang_terbuka
    with tenancy.all_tenants(reason="test"):
        anggota = list(sidang.tim.anggota.order_by("pk"))
        row = sidang.usulan.get()
    client.force_login(staf["ketua"])
    data = {
        f"hadir_{anggota[0].pk}": "on",  # 1 of 3: no quorum
        f"keputusan_{row.usulan_id}": "tidak_lulus", f"alasan_{row.usulan_id}": "Portofolio kurang",
        "putuskan": "1",
    }  # fmt: skip
    response = client.post(reverse("verifikasi:sidang", args=[sidang.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "alert-danger" in html
    assert f'id="h{anggota[0].pk}" checked' in html and f'id="h{anggota[1].pk}" checked' not in html
    assert '<option value="tidak_lulus" selected>' in html and 'value="Portofolio kurang"' in html
