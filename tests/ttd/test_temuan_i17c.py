"""Issue 17, second fresh-eye walk (helper i17c): the advice and the docs agree with the chain a
letter keeps; the officials page refuses what the chain page refuses; a correction to a signer
without an account is warned of; ttd_demo signs its rekomendasi; small wording fixes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.urls import reverse

from apps.surat import services as surat_services
from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.models import AlurParaf, AlurVersi, LangkahParaf
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants, render_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SARAN = "Perbaiki surat (versi baru mengikuti alur paraf yang berlaku)"


def _teks(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_a_letter_stuck_on_its_issued_chain_is_told_to_be_corrected_and_the_correction_follows_the_new_chain(
    client, sk_siap, ppk_pk, pejabat_ppk, instansi_a
):
    """Finding 1: the advice said only "minta pengelola mengganti pemberi paraf", and the docs
    promised the waiting letter would follow the new chain; it keeps the chain it was issued with,
    so the advice names "Perbaiki surat" and the corrected version follows the chain in force."""
    (versi,) = sk_siap(1)
    with all_tenants():
        alur = AlurParaf.objects.create(instansi=instansi_a, jenis="sk")
        AlurVersi.objects.filter(versi=versi).update(langkah=[{"urutan": 1, "user": ppk_pk.pk, "sebutan": "PPK"}])
    client.force_login(ppk_pk)
    detail = _teks(client.get(reverse("surat:detail", args=[versi.surat_id])))
    assert "juga tercantum sebagai pemberi paraf ke-1" in detail and SARAN in detail
    with as_user(ppk_pk), pytest.raises(services.TtdError, match=re.escape(SARAN)):
        services.paraf_beri(actor=ppk_pk, versi=versi)
    # The chain in force has another approver; the correction picks it up, the old letter did not.
    kabag = UserFactory(username="kabag.c", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Kabag C")
    with all_tenants():
        LangkahParaf.objects.create(instansi=instansi_a, alur=alur, urutan=1, user=kabag, sebutan="Kabag")
    with as_user(kabag):
        assert services.antrean_paraf(kabag) == []
    with as_user(ppk_pk):
        surat_services.surat_koreksi(actor=ppk_pk, surat=versi.surat, alasan="Alur paraf diganti")
    render_antrean()
    with all_tenants():
        baru = VersiSurat.objects.get(surat_id=versi.surat_id, versi=2)
    with as_user(kabag):
        assert [v.pk for v in services.antrean_paraf(kabag)] == [baru.pk]
    for dok in ("docs/ttd-elektronik.md", "docs/panduan-ppk.md"):
        teks = re.sub(r"\s+", " ", (ROOT / dok).read_text())
        assert "menunggu paraf pemberi yang baru" not in teks, dok
        assert "Perbaiki surat" in teks and "versi baru mengikuti alur paraf yang berlaku" in teks, dok


def test_the_officials_page_refuses_linking_the_signer_to_an_approver_of_its_own_chain(
    client, pic_pk, ppk_pk, pejabat_ppk, instansi_a
):
    """Finding 2: linking the chain's signing official to an account that gives paraf in that
    chain was saved silently on the officials page, while the chain page refuses it."""
    from apps.ttd.models import Pejabat
    from tests.surat.conftest import PENANDATANGAN_PPK

    kabag = UserFactory(username="kabag.c", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Kabag C")
    with all_tenants():
        alur = AlurParaf.objects.create(instansi=instansi_a, jenis="sk", aktif=True, penanda=pejabat_ppk)
        LangkahParaf.objects.create(instansi=instansi_a, alur=alur, urutan=1, user=kabag, sebutan="Kabag")
    nama, jabatan, nip = PENANDATANGAN_PPK
    data = {"user": kabag.pk, "nama": nama, "nip": nip, "jabatan": jabatan, "backend": "pkcs12"}
    client.force_login(pic_pk)
    r = client.post(reverse("ttd:pejabat_ubah", args=[pejabat_ppk.pk]), data)
    assert r.status_code == 400
    assert "adalah pemberi paraf ke-1 dalam alur paraf" in _teks(r)
    assert "penanda tangan tidak sekaligus memberi paraf" in _teks(r)
    with all_tenants():
        assert Pejabat.objects.get(pk=pejabat_ppk.pk).user_id == ppk_pk.pk
    # Another account (not in the chain) is still accepted.
    r = client.post(reverse("ttd:pejabat_ubah", args=[pejabat_ppk.pk]), {**data, "user": ppk_pk.pk})
    assert r.status_code == 302


def test_a_correction_for_a_signer_without_a_portal_account_is_warned_of(client, sk_siap, ppk_pk, pejabat_ppk):
    """Finding 3: "Perbaiki surat" for a registered signer with no account ("Akun —") made a
    version no one's queue held, with no warning."""
    from apps.ttd.models import Pejabat

    (versi,) = sk_siap(1)
    with all_tenants():
        Pejabat.objects.filter(pk=pejabat_ppk.pk).update(user=None)
    client.force_login(ppk_pk)
    r = client.post(reverse("surat:koreksi", args=[versi.surat_id]), {"alasan": "Salah ketik"}, follow=True)
    page = _teks(r)
    assert r.status_code == 200 and "Versi 2 sedang dibuat" in page
    assert "belum terhubung dengan akun portal" in page and "/ttd/pejabat/" in page
    # With the account linked, no warning.
    with all_tenants():
        Pejabat.objects.filter(pk=pejabat_ppk.pk).update(user=ppk_pk)
    r = client.post(reverse("surat:koreksi", args=[versi.surat_id]), {"alasan": "Salah ketik lagi"}, follow=True)
    assert "Versi 3 sedang dibuat" in _teks(r) and "belum terhubung dengan akun portal" not in _teks(r)


def test_a_version_made_by_no_user_says_sistem_not_none(client, sk_siap, ppk_pk):
    """Finding 5: a version made by ttd_demo (no actor) showed "None" under "Dibuat"."""
    (versi,) = sk_siap(1)
    with all_tenants():
        VersiSurat.objects.filter(pk=versi.pk).update(dibuat_oleh=None)
    client.force_login(ppk_pk)
    tabel = _teks(client.get(reverse("surat:detail", args=[versi.surat_id]))).split('data-testid="versi-surat"')[1]
    tabel = tabel.split("</table>")[0]
    assert "None" not in tabel and "sistem" in tabel


def test_a_deactivated_signer_is_said_to_be_deactivated_not_unregistered(sk_siap, pejabat_ppk):
    """Finding 5: after "Nonaktifkan" the letters said the signer was "belum terdaftar"."""
    from apps.ttd.models import Pejabat

    (versi,) = sk_siap(1)
    with all_tenants():
        Pejabat.objects.filter(pk=pejabat_ppk.pk).update(aktif=False)
        pesan = services.peringatan_penanda_surat(versi.surat)
    assert "sudah dinonaktifkan" in pesan and "belum terdaftar" not in pesan
