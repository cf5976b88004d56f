"""A dossier from diajukan through perbaikan, resubmission, scoring by three penilai and a sidang
to lulus, in Chromium. Screenshots go to docs/screenshots for the pembina guide."""

from __future__ import annotations

import pytest
from django.conf import settings

from apps.accounts.models import User
from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from tests.pdfs import valid_pdf
from tests.ui.conftest import as_, demo_usulan_diajukan, shot, submit_and_wait

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]
PASSWORD = settings.SIAKS_DEMO_PASSWORD


def test_a_dossier_goes_from_diajukan_to_lulus(page, tmp_path):
    _jf, usulan = demo_usulan_diajukan("Sri Wahyuni, S.Psi.")
    pdf = tmp_path / "ijazah-legalisir.pdf"
    pdf.write_bytes(valid_pdf())

    # 1. The verifier asks for a perbaikan of the ijazah.
    as_(page, "verifikator.kemnaker")
    page.get_by_role("link", name="Kotak masuk").click()
    shot(page, "pembina-kotak-masuk")
    page.get_by_role("link", name=usulan.nomor).click()
    submit_and_wait(page, page.get_by_test_id("mulai-verifikasi"))
    for card in page.locator("[data-persyaratan]").all():
        kode = card.get_attribute("data-persyaratan")
        if card.locator("input[value=sesuai]").count():
            if kode == "ijazah":
                card.locator("label.btn-outline-danger").click()
                card.locator("input[name^=catatan_]").fill("Ijazah belum dilegalisasi.")
            else:
                card.locator("label.btn-outline-success").click()
    page.select_option("#keputusan", "perbaikan")
    page.fill("#catatan", "Mohon unggah ijazah yang telah dilegalisasi.")
    shot(page, "pembina-seleksi-administrasi")
    submit_and_wait(page, page.get_by_test_id("simpan-pemeriksaan"))
    assert "Keputusan disimpan: Perlu perbaikan." in page.content()

    # 2. The PIC sees the notes, uploads a new version and resubmits.
    as_(page, "pic.kemenhub")
    page.goto(f"/usulan/{usulan.pk}/")
    notes = page.get_by_test_id("catatan-perbaikan").inner_text()
    assert "Ijazah belum dilegalisasi." in notes
    shot(page, "pic-perbaikan")
    card = page.locator("[data-persyaratan=ijazah]")
    card.locator("input[type=file]").set_input_files(str(pdf))
    submit_and_wait(page, card.locator("button[type=submit]"))
    assert "v2" in page.locator("[data-persyaratan=ijazah]").inner_text()
    submit_and_wait(page, page.get_by_test_id("tombol-ajukan"))
    assert "Usulan telah diajukan" in page.content()

    # 3. The verifier sees what changed and declares it memenuhi syarat.
    as_(page, "verifikator.kemnaker")
    page.goto(f"/pembina/usulan/{usulan.pk}/")
    assert "Berubah sejak pemeriksaan terakhir" in page.content() and "(v2)" in page.content()
    submit_and_wait(page, page.get_by_test_id("mulai-verifikasi"))
    for label in page.locator("label.btn-outline-success").all():
        label.click()
    page.select_option("#keputusan", "memenuhi")
    submit_and_wait(page, page.get_by_test_id("simpan-pemeriksaan"))
    assert "Lulus administrasi" in page.content()

    # 4. The admin pembina forms a team and assigns the three penilai.
    as_(page, "admin.kemnaker")
    page.get_by_role("link", name="Tim penilai").click()
    page.fill("#nama", "Tim Penilai Pengantar Kerja 2026")
    page.fill("#mulai", "2026-01-01")
    page.fill("#selesai", "2028-12-31")
    for username, peran in (
        ("ketua.kemnaker", "ketua"),
        ("penilai1.kemnaker", "sekretaris"),
        ("penilai2.kemnaker", "anggota"),
    ):
        user = User.objects.get(username=username)
        page.select_option(f"select[name=peran_{user.pk}]", peran)
        page.select_option(f"select[name=golongan_{user.pk}]", label="Pembina (IV/a)")
        if peran != "anggota":
            page.check(f"input[name=sertifikat_{user.pk}]")
    submit_and_wait(page, page.get_by_role("button", name="Bentuk tim"))
    assert "dibentuk" in page.content()
    page.check(f"#u{usulan.pk}")
    for username in ("ketua.kemnaker", "penilai1.kemnaker", "penilai2.kemnaker"):
        page.check(f"#p{User.objects.get(username=username).pk}")
    submit_and_wait(page, page.get_by_test_id("tugaskan-penilai"))
    assert "3 penugasan penilai dibuat" in page.content()
    shot(page, "pembina-tim")

    # 5. Each penilai declares no conflict and scores every competency.
    for i, username in enumerate(("ketua.kemnaker", "penilai1.kemnaker", "penilai2.kemnaker")):
        as_(page, username)
        page.get_by_role("link", name="Penilaian saya").click()
        page.get_by_role("link", name="Sri Wahyuni, S.Psi.").click()
        submit_and_wait(page, page.get_by_test_id("bebas-konflik"))
        for select in page.locator("select[name^=level_]").all():
            select.select_option("3")
        page.select_option("#rekomendasi", "lulus")
        if i == 0:
            shot(page, "penilai-skor")
        submit_and_wait(page, page.get_by_test_id("kirim-penilaian"))
        assert "Penilaian dikirim." in page.content()

    # 6. The ketua opens the sidang, records attendance and decides: lulus.
    as_(page, "ketua.kemnaker")
    page.get_by_role("link", name="Tim penilai").click()
    page.get_by_role("link", name="Tim Penilai Pengantar Kerja 2026").click()
    assert "3 / 3" in page.get_by_test_id("progres-penilaian").inner_text()
    page.check(f"input[name=usulan][value='{usulan.pk}']")
    submit_and_wait(page, page.get_by_test_id("buka-sidang"))
    page.get_by_text("Rekap nilai per kompetensi").click()
    rekap = page.get_by_test_id("rekap-nilai").inner_text()
    assert "Integritas" in rekap and "Perekat bangsa" in rekap
    for box in page.locator("input[name^=hadir_]").all():
        box.check()
    page.select_option(f"select[name=keputusan_{usulan.pk}]", "lulus")
    submit_and_wait(page, page.get_by_test_id("putuskan-sidang"))
    berita = page.get_by_test_id("berita-acara").inner_text()
    assert "Hadir 3 dari 3 anggota" in berita and "198609262015051001" in berita and "Lulus" in berita
    shot(page, "pembina-berita-acara")

    with tenancy.all_tenants(reason="test assertion"):
        assert Usulan.objects.get(pk=usulan.pk).status == Status.LULUS
