"""Issue 14 (walk): the PIC's usulan page was 394 px wide at a 390 px viewport. In Chromium: a
draft (upload forms, the Ajukan form) and a submitted usulan fit a phone without scrolling sideways."""

from __future__ import annotations

import pytest

from tests.ui.conftest import as_, demo_usulan_diajukan

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

TERLEBAR = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > 391)
    .slice(0, 5)
    .map(e => e.tagName + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_the_pics_usulan_page_fits_a_phone(page):
    from apps.accounts.models import User
    from apps.core import tenancy
    from apps.pengusulan import services
    from apps.referensi.models import PersyaratanDokumen
    from tests.pengusulan.conftest import pdf_upload, pegawai_data, surat_pak

    jf, diajukan = demo_usulan_diajukan("Raden Ajeng Kusumawardhani Setyaningrum")
    pic = User.objects.get(username="pic.kemenhub")
    with tenancy.scope(pic.instansi):
        pegawai = services.pegawai_create(
            actor=pic, data=pegawai_data(nip="19860926 201505 1 009", nama="Bambang Sutrisno Wicaksono")
        )
        draft = services.usulan_create(actor=pic, pegawai=pegawai, jf=jf)
        # a scanner's long file name, in one piece
        p = PersyaratanDokumen.objects.filter(jf=jf, wajib=True, level="usulan").first()
        nama = "SK_Pangkat_Terakhir_Bambang_Sutrisno_Wicaksono_198609262015051009_scan_ulang.pdf"
        services.dokumen_upload(actor=pic, jf=jf, persyaratan=p, upload=pdf_upload(nama), usulan=draft, **surat_pak(p))
    # and one returned for perbaikan with a long note on a document and a long general note
    from apps.verifikasi import services as v_services
    from tests.verifikasi.conftest import as_user

    verifikator = User.objects.get(username="verifikator.kemnaker")
    with as_user(verifikator):
        v_services.pemeriksaan_mulai(actor=verifikator, usulan=diajukan)
        p1 = PersyaratanDokumen.objects.filter(jf=jf, wajib=True, level="usulan").first()
        catatan_dok = "Halaman_2_tidak_terbaca_mohon_unggah_ulang_dengan_resolusi_lebih_tinggi"
        v_services.pemeriksaan_simpan(
            actor=verifikator, usulan=diajukan, hasil={p1.pk: (False, catatan_dok)}, keputusan="perbaikan",
            catatan="https://jdih.setneg.go.id/viewpdf/PermenPANRB_1_2023_lampiran_halaman_12",
        )  # fmt: skip
    as_(page, "pic.kemenhub")
    page.set_viewport_size({"width": 390, "height": 844})
    for usulan in (draft, diajukan):
        url = f"/usulan/{usulan.pk}/"
        assert page.goto(url).status == 200
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width, page.evaluate(TERLEBAR))
