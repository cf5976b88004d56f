"""Every bad file gets a clear Indonesian error; a good one is stored as a new version."""

from __future__ import annotations

import hashlib
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from apps.core.files import check_upload
from tests import pdfs

LIMIT = 2 * 1024 * 1024


def _check(content: bytes, name: str = "berkas.pdf", max_bytes: int = LIMIT):
    return check_upload(SimpleUploadedFile(name, content), allowed_extensions=["pdf"], max_bytes=max_bytes)


def test_a_clean_pdf_passes_with_its_sha256_and_pages():
    content = pdfs.valid_pdf(pages=3)
    checked = _check(content, "SK CPNS.pdf")
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert (checked.nama_asli, checked.ekstensi, checked.ukuran, checked.jumlah_halaman) == (
        "SK CPNS.pdf", "pdf", len(content), 3,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (pdfs.exe_bytes(), "sk_pns.pdf", "bukan PDF yang sah"),
        (pdfs.valid_pdf(), "ijazah.docx", "Jenis berkas .docx tidak diizinkan"),
        (pdfs.valid_pdf(), "ijazah", "Jenis berkas .? tidak diizinkan"),
        (b"", "kosong.pdf", "kosong (0 byte)"),
        (pdfs.encrypted_pdf(), "rahasia.pdf", "terenkripsi"),
        (pdfs.javascript_open_action_pdf(), "js.pdf", "memuat"),
        (pdfs.javascript_in_annotation_pdf(), "annot.pdf", "memuat JavaScript"),
        (pdfs.launch_pdf(), "launch.pdf", "memuat Launch"),
        (pdfs.corrupt_pdf(), "rusak.pdf", "rusak atau tidak dapat dibaca"),
    ],
)
def test_bad_files_are_refused_with_a_clear_reason(content, name, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        _check(content, name)


def test_an_oversized_file_names_its_size_and_the_limit():
    content = pdfs.valid_pdf(padding=LIMIT + 10)
    with pytest.raises(ValidationError, match=r"berukuran 2,0 MB, melebihi batas 2,0 MB"):
        _check(content)


def test_the_extension_check_ignores_case():
    assert _check(pdfs.valid_pdf(), "SCAN.PDF").ekstensi == "pdf"


def test_memory_stays_flat_for_a_20_mb_upload(tmp_path):
    """Django spools uploads over 1 MB to disk; the checks read it in chunks."""
    content = pdfs.valid_pdf(padding=20 * 1024 * 1024)
    upload = TemporaryUploadedFile("besar.pdf", "application/pdf", len(content), None)
    upload.write(content)
    upload.flush()
    del content
    tracemalloc.start()
    try:
        checked = check_upload(upload, allowed_extensions=["pdf"], max_bytes=50 * 1024 * 1024)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()
    assert checked.ukuran > 20 * 1024 * 1024
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"
