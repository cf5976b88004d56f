"""The validation report of a signed copy, on real signed PDFs: a broken signature is reported as
that alone (no invented certificate failure), the name on the certificate must be the official's
the letter names (titles, case and spaces aside), and the public page lists every check on its own
line with its result."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.ttd import pades, validasi
from tests.ttd.conftest import all_tenants, baca

pytestmark = pytest.mark.django_db

NAMA, NIP = "Ir. Budi Santoso, M.T.", "196805121993031002"  # the SK's signer (tests.surat.conftest)


def _tandatangani(data: bytes, identitas, tsa, *, alasan: str = "Penetapan SK") -> bytes:
    """A copy signed outside the portal (e.g. in the BSrE app)."""
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    signer = signers.SimpleSigner.load_pkcs12_data(identitas.pkcs12(b"x"), [], passphrase=b"x")
    return pades.tandatangani(
        data, signer, tampilan=pades.Tampilan("X", "", "Jabatan", "https://siaks.example/v/X/"), field_name="Luar",
        timestamper=HTTPTimeStamper(tsa.url), alasan=alasan,
    )  # fmt: skip


def _laporan(data: bytes, versi, terbit: bytes):
    with all_tenants():
        return validasi.validasi(data, versi, terbit=terbit)


def _cek(baris: dict) -> dict:
    return {c["kode"]: c["lulus"] for c in baris["pemeriksaan"]}


@pytest.mark.parametrize("tempat", ["isi surat", "revisi tanda tangan"])
def test_one_changed_byte_is_reported_as_a_broken_signature_only(tempat, sk_siap, sertifikat_ppk, tsa):
    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    signed = bytearray(_tandatangani(terbit, sertifikat_ppk, tsa))
    assert _laporan(bytes(signed), versi, terbit).sah  # the copy as signed is good
    # A byte of the issued letter, or of the signature's own /Reason (signed too).
    posisi = len(terbit) // 2 if tempat == "isi surat" else signed.index(b"Penetapan SK", len(terbit)) + 1
    signed[posisi] ^= 0x01
    laporan = _laporan(bytes(signed), versi, terbit)
    assert not laporan.sah
    (alasan,) = laporan.alasan  # one reason: the real one
    assert "rusak: isi berkas berubah setelah ditandatangani" in alasan
    for palsu in ("akar tepercaya", "tidak dipercaya", "kedaluwarsa", "cap waktu", "bukan pejabat", "tidak identik"):
        assert palsu not in " ".join(laporan.alasan)
    (baris,) = laporan.tanda_tangan
    assert not baris["terpercaya"] and not baris["utuh"]
    # The certificate, time and signer are "not checked", not "failed".
    assert _cek(baris) == {
        "utuh": False, "penandatangan": None, "rantai": None, "waktu": None, "tidak_diubah": False,
    }  # fmt: skip
    # "identik" is a byte comparison whatever the signature: a byte of the letter changed is "not
    # identical" (false, as the API's ``identik``), a byte of the signature's revision leaves the
    # issued bytes identical.
    assert [c["lulus"] for c in laporan.pemeriksaan] == [tempat != "isi surat"]
    assert laporan.identik is (tempat != "isi surat")
    _koheren(laporan)  # no "nama cocok" beside a signer "not checked"
    assert baris["nama_cocok"] is None and baris["pejabat_cocok"] is None


def _koheren(laporan) -> None:
    """The report's fields of each signature say what its lines say (fresh-eye walk of issue 17:
    a tampered copy read ``nama_cocok`` true beside ``pejabat_cocok`` false and the signer line
    "not checked"); a refused copy says why."""
    for baris in laporan.tanda_tangan:
        pen = _cek(baris)["penandatangan"]
        assert baris["pejabat_cocok"] is pen, baris
        assert (baris["nama_cocok"] is None) is (pen is None), baris
        assert baris["diubah_setelah_ttd"] is (_cek(baris)["tidak_diubah"] is False), baris
        assert baris["utuh"] is _cek(baris)["utuh"], baris
        if not baris["utuh"]:
            assert not baris["terpercaya"] and not baris["waktu_terpercaya"] and baris["diubah_setelah_ttd"]
    assert laporan.sah is (not laporan.alasan)
    assert laporan.sah or laporan.ringkasan.startswith("Tidak sah: ")


def test_a_copy_changed_after_signing_has_a_coherent_report_and_is_refused(
    client, sk_siap, ppk_pk, sertifikat_ppk, tsa
):
    """An incremental update appended after the signature (the page's content replaced): the
    signature itself is intact and the signer is the official, but the copy is refused, with that
    reason alone; the PPK's upload and the public page say the same."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from apps.ttd import services
    from tests.verifikasi.conftest import as_user

    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    signed = _tandatangani(terbit, sertifikat_ppk, tsa)
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = w.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (PALSU) Tj ET"))
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    laporan = _laporan(out.getvalue(), versi, terbit)
    _koheren(laporan)
    (baris,) = laporan.tanda_tangan
    assert baris["utuh"] and baris["pejabat_cocok"] is True and baris["nama_cocok"] is True
    assert baris["diubah_setelah_ttd"] and not laporan.sah
    (alasan,) = laporan.alasan
    assert alasan == f"Berkas diubah setelah ditandatangani {NAMA} (NIP {NIP})."
    with as_user(ppk_pk), pytest.raises(services.TtdError) as err:
        services.unggah_salinan(
            actor=ppk_pk,
            versi=versi,
            upload=SimpleUploadedFile("s.pdf", out.getvalue(), content_type="application/pdf"),
        )
    assert alasan in " ".join(err.value.messages)
    api = client.post(
        reverse("api:ttd-publik-validasi", args=[versi.kode]), {"berkas": SimpleUploadedFile("x.pdf", out.getvalue())}
    )
    (dari_api,) = api.json()["tanda_tangan"]
    assert (dari_api["pejabat_cocok"], dari_api["nama_cocok"], dari_api["diubah_setelah_ttd"]) == (True, True, True)


@pytest.mark.parametrize(
    "nama_sertifikat, sah",
    [
        ("BUDI SANTOSO", True),  # no titles, upper case: the same person
        ("Ir.  Budi   Santoso,  M.T.", True),
        ("Dr. Ir. Budi Santoso, S.T., M.T.", True),  # another title
        ("Drs. Andi Wijaya, M.M.", False),  # the same NIP, another name
        ("Budi", False),  # one word is not enough to call it the same name
    ],
)
def test_the_name_in_the_certificate_must_be_the_officials(nama_sertifikat, sah, sk_siap, ppk_pk, ca, tsa):
    from apps.ttd import services

    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    data = _tandatangani(terbit, ca.pejabat(nama_sertifikat, nip=NIP), tsa)
    laporan = _laporan(data, versi, terbit)
    (baris,) = laporan.tanda_tangan
    assert baris["nip"] == NIP  # the NIP matches either way
    assert laporan.sah is sah and baris["nama_cocok"] is sah and _cek(baris)["penandatangan"] is sah
    if not sah:
        (alasan,) = laporan.alasan
        assert alasan.startswith("Nama berbeda: sertifikat atas nama " + nama_sertifikat)
        assert NAMA in alasan
        # The PPK's upload of such a copy is refused with that reason.
        from tests.verifikasi.conftest import as_user

        with as_user(ppk_pk), pytest.raises(services.TtdError) as err:
            services.unggah_salinan(
                actor=ppk_pk, versi=versi, upload=SimpleUploadedFile("s.pdf", data, content_type="application/pdf")
            )
        assert "Nama berbeda" in str(err.value.messages[0])


def test_a_certificate_registered_for_the_official_under_another_name_is_valid_but_flagged(
    sk_siap, instansi_a, ppk_pk, ca, tsa
):
    """The admin registered this very certificate (its fingerprint) for the official: the name was
    vetted then, so the copy is valid, and the report says the names differ."""
    from tests.ttd.conftest import PENANDATANGAN_PPK, daftar_pejabat

    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    identitas = ca.pejabat("Drs. Andi Wijaya, M.M.", nip=NIP)
    nama, jabatan, _nip = PENANDATANGAN_PPK
    data = _tandatangani(terbit, identitas, tsa)
    assert not _laporan(data, versi, terbit).sah  # not registered: refused ("Nama berbeda")
    daftar_pejabat(instansi=instansi_a, user=ppk_pk, identitas=identitas, nama=nama, nip=NIP, jabatan=jabatan)
    laporan = _laporan(data, versi, terbit)
    assert laporan.sah and not laporan.alasan
    (baris,) = laporan.tanda_tangan
    assert baris["pejabat_cocok"] and not baris["nama_cocok"]
    (cek,) = [c for c in baris["pemeriksaan"] if c["kode"] == "penandatangan"]
    assert cek["lulus"] is True and cek["keterangan"].startswith("Nama berbeda: sertifikat Drs. Andi Wijaya")
    assert "— sah. Nama berbeda: sertifikat Drs. Andi Wijaya, M.M., surat Ir. Budi Santoso, M.T." in laporan.ringkasan


def test_names_are_compared_without_titles_case_or_spaces():
    assert validasi.nama_inti("Prof. Dr. Ir. Hj. Siti  Nurhaliza, M.Sc., Ph.D.") == ["siti", "nurhaliza"]
    assert validasi.nama_sama("drg. Queen Firmansyah, M.Ak", "QUEEN FIRMANSYAH")
    assert validasi.nama_sama("Budi Santoso S.H.", "budi santoso")
    assert not validasi.nama_sama("Raden Mas Haryo Adinegoro", "Dr. Raden Mas Haryo Wicaksono Adinegoro, S.E.")
    assert not validasi.nama_sama("Budi Santoso", "Budi Susanto")
    assert not validasi.nama_sama("", "Budi Santoso")


def _baris_cek(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li class="mb-1" data-cek="(\w+)" data-lulus="([^"]+)">', html)


def test_the_public_page_lists_each_check_with_its_result(client, sk_siap, sertifikat_ppk, ca, tsa):
    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    data = _tandatangani(terbit, sertifikat_ppk, tsa)
    url = reverse("surat:verifikasi", args=[versi.kode])
    page = client.post(url, {"berkas": SimpleUploadedFile("x.pdf", data)}).content.decode()
    assert 'data-testid="hasil-tte"' in page and 'data-testid="laporan-tte"' in page
    assert _baris_cek(page) == [
        ("utuh", "ya"), ("penandatangan", "ya"), ("rantai", "ya"), ("waktu", "ya"), ("tidak_diubah", "ya"),
        ("identik", "ya"),
    ]  # fmt: skip
    for label in (
        "Tanda tangan utuh",
        "Penandatangan sesuai dengan pejabat pada surat",
        "Sertifikat berantai ke akar tepercaya",
        "Cap waktu (timestamp) tepercaya",
        "Tidak diubah setelah ditandatangani",
        "Identik dengan PDF yang diterbitkan portal",
    ):
        assert label in page
    assert "Lulus" in page and "Gagal" not in page
    # Fresh-eye finding (issue 17): the trust line named the intermediate CA as if it were the root.
    rantai = re.search(r'data-cek="rantai".*?</li>', page, re.S).group(0)
    assert (
        'Sertifikat berantai ke akar tepercaya <span class="small text-muted">— Root CA Uji SIAKS, melalui CA '
        "Penanda Tangan Uji</span>" in rantai
    ), rantai
    # A copy signed by someone else under the official's NIP: that line fails, the others pass.
    lain = _tandatangani(terbit, ca.pejabat("Drs. Andi Wijaya, M.M.", nip=NIP), tsa)
    page = client.post(url, {"berkas": SimpleUploadedFile("x.pdf", lain)}).content.decode()
    assert 'data-testid="hasil-tte-ditolak"' in page
    assert dict(_baris_cek(page))["penandatangan"] == "tidak" and dict(_baris_cek(page))["rantai"] == "ya"
    # One changed byte: "utuh" fails, the certificate and time are not checked; the file is not
    # identical to the issued PDF — the page says so as the API does (identik: false), not "Tidak
    # diperiksa" (fresh-eye walk i17k).
    broken = bytearray(data)
    broken[len(terbit) // 2] ^= 1
    page = client.post(url, {"berkas": SimpleUploadedFile("x.pdf", bytes(broken))}).content.decode()
    assert _baris_cek(page) == [
        ("utuh", "tidak"), ("penandatangan", "-"), ("rantai", "-"), ("waktu", "-"), ("tidak_diubah", "tidak"),
        ("identik", "tidak"),
    ]  # fmt: skip
    assert "Tidak diperiksa" in page and "akar tepercaya (diterbitkan" not in page
    # The API's report carries the same lines.
    api = client.post(
        reverse("api:ttd-publik-validasi", args=[versi.kode]), {"berkas": SimpleUploadedFile("x.pdf", bytes(broken))}
    )
    assert api.status_code == 200, api.content
    body = api.json()
    assert body["identik"] is False and body["sah"] is False
    (baris,) = body["tanda_tangan"]
    assert {c["kode"]: c["lulus"] for c in baris["pemeriksaan"]} == {
        "utuh": False, "penandatangan": None, "rantai": None, "waktu": None, "tidak_diubah": False,
    }  # fmt: skip
    assert body["pemeriksaan"] == [
        {"kode": "identik", "label": "Identik dengan PDF yang diterbitkan portal", "lulus": False,
         "keterangan": "Isi berkas berbeda dari PDF yang diterbitkan portal (berkas diubah)."},
    ]  # fmt: skip


# --------------------------------------------------------------------------- plain words for users


def test_users_read_plain_indonesian_not_pkcs12(client, ppk_pk, pejabat_ppk):
    """The official whose certificate the portal holds reads "sertifikat yang disimpan portal";
    the technical term stays in the admins' documentation (docs/ttd-elektronik.md) and commands."""
    from pathlib import Path

    from django.conf import settings

    client.force_login(ppk_pk)
    page = client.get(reverse("ttd:antrean")).content.decode()
    assert "Sertifikat yang disimpan portal" in page and "PKCS" not in page.upper()
    # No page template and no translated text of the apps says it.
    apps = Path(settings.BASE_DIR) / "apps"
    for path in apps.glob("*/templates/**/*.html"):
        assert "PKCS" not in path.read_text().upper(), path
    terjemahan = re.compile(r"""_l?\(\s*(?:"[^"]*"|'[^']*')""")
    for path in apps.glob("*/*.py"):
        for teks in terjemahan.findall(path.read_text()):
            assert "PKCS" not in teks.upper(), (path, teks)


def test_an_expected_validation_failure_is_logged_as_one_line_without_a_traceback(client, sk_siap, ca, tsa, caplog):
    """Fresh-eye finding (issue 17): an untrusted or expired certificate on /v/<kode>/ left pyHanko's
    full PathBuildingError / ExpiredError traceback in the run log, although the page answers 200
    with the reason. One structured warning line each; an unexpected error keeps its traceback."""
    import logging

    from apps.core.logs import formatter

    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    url = reverse("surat:verifikasi", args=[versi.kode])
    caplog.set_level(logging.WARNING, logger="pyhanko")
    for identitas, galat in (
        (ca.pejabat(NAMA, nip=NIP, asing=True), "PathBuildingError"),
        (ca.pejabat(NAMA, nip=NIP, kedaluwarsa=True), "ExpiredError"),
    ):
        caplog.clear()
        page = client.post(url, {"berkas": SimpleUploadedFile("x.pdf", _tandatangani(terbit, identitas, tsa))})
        assert page.status_code == 200 and 'data-testid="hasil-tte-ditolak"' in page.content.decode()
        rows = [r for r in caplog.records if r.name.startswith("pyhanko")]
        assert [r.penolakan_validasi for r in rows if hasattr(r, "penolakan_validasi")] == [galat], rows
        for r in rows:
            assert r.exc_info is None and not r.exc_text
            baris = formatter().format(r)
            assert "Traceback" not in baris and "\n" not in baris, baris
        (r,) = [r for r in rows if hasattr(r, "penolakan_validasi")]
        assert r.levelno == logging.WARNING and r.alasan and "\n" not in r.alasan
    # An unexpected exception keeps its traceback.
    log = logging.getLogger("pyhanko.sign.validation.generic_cms")
    caplog.clear()
    try:
        raise RuntimeError("bukan penolakan validasi")
    except RuntimeError as exc:
        log.warning("Processing error", exc_info=exc)
    (r,) = caplog.records
    assert r.exc_info is not None and "Traceback" in formatter().format(r)


def test_the_identity_from_an_untrusted_certificate_is_not_shown_as_passed(client, sk_siap, tsa):
    """Fresh-eye finding (issue 17, second walk): a forged self-signed certificate naming the
    official (her name, her NIP) was reported "Lulus" for "Penandatangan sesuai dengan pejabat pada
    surat" (the verdict was "Tidak sah"). Anyone can write a name into a certificate: on an
    untrusted chain the identity line is "Tidak diperiksa" with the reason — on the public page,
    in the public API and in the report the PPK's upload uses."""
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    from tests.ttd.test_pejabat_rantai import _swatanda

    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    blob, _pem = _swatanda(NAMA, NIP, b"x")
    signer = signers.SimpleSigner.load_pkcs12_data(blob, [], passphrase=b"x")
    palsu = pades.tandatangani(
        terbit, signer, tampilan=pades.Tampilan(NAMA, NIP, "Jabatan", "https://siaks.example/v/X/"),
        field_name="Luar", timestamper=HTTPTimeStamper(tsa.url),
    )  # fmt: skip
    sebab = "identitas dari sertifikat yang tidak tepercaya tidak dapat dipastikan"
    laporan = _laporan(palsu, versi, terbit)
    (baris,) = laporan.tanda_tangan
    assert not laporan.sah and not baris["pejabat_cocok"]
    assert _cek(baris)["penandatangan"] is None and _cek(baris)["rantai"] is False
    _koheren(laporan)
    (pen,) = [c for c in baris["pemeriksaan"] if c["kode"] == "penandatangan"]
    assert sebab in pen["keterangan"]
    url = reverse("surat:verifikasi", args=[versi.kode])
    page = client.post(url, {"berkas": SimpleUploadedFile("x.pdf", palsu)}).content.decode()
    assert 'data-testid="hasil-tte-ditolak"' in page
    assert dict(_baris_cek(page))["penandatangan"] == "-" and dict(_baris_cek(page))["rantai"] == "tidak"
    assert sebab in page
    api = client.post(
        reverse("api:ttd-publik-validasi", args=[versi.kode]), {"berkas": SimpleUploadedFile("x.pdf", palsu)}
    )
    (baris,) = api.json()["tanda_tangan"]
    assert {c["kode"]: c["lulus"] for c in baris["pemeriksaan"]}["penandatangan"] is None
