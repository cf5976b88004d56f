"""Issue 17, fresh-eye walk item 5 (helper i17d): the paraf chain accepted an approver without a
name — an account chosen with its "sebutan" left empty — and a signer with no portal account.
Each is refused with a clear message on the page, by the service, and by ``ttd_alur``; nothing
is saved."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.core.models import AuditLog
from apps.ttd import alur as alur_mod
from apps.ttd.models import AlurParaf, Pejabat
from apps.ttd.services import TtdError
from tests.factories import UserFactory
from tests.ttd.conftest import all_tenants
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def kabag(instansi_a):
    return UserFactory(
        username="kabag.a", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Kabag Kepegawaian A"
    )


def _alur(client, user) -> AlurParaf:
    client.force_login(user)
    assert client.post(reverse("ttd:alur"), {"jenis": "sk"}).status_code == 302
    with all_tenants():
        return AlurParaf.objects.get(instansi=user.instansi, jenis="sk")


def _tidak_tersimpan(alur):
    with all_tenants():
        alur.refresh_from_db()
        assert not alur.langkah.exists() and alur.penanda_id is None and not alur.aktif
        assert not AuditLog.objects.filter(action="ttd.alur_diubah").exists()


def test_an_approver_without_a_sebutan_is_refused_on_the_page_and_by_the_service(client, ppk_pk, kabag):
    alur = _alur(client, ppk_pk)
    url = reverse("ttd:alur_ubah", args=[alur.pk])
    for sebutan in ("", "   "):
        r = client.post(url, {"paraf_1": kabag.pk, "sebutan_1": sebutan})
        body = r.content.decode()
        assert r.status_code == 200 and 'data-testid="ringkasan-galat"' in body
        assert "Isi sebutan pemberi paraf ke-1 (mis. Kabag Kepegawaian)" in body
        assert f'<option value="{kabag.pk}" selected>' in body  # the chosen approver is kept
    _tidak_tersimpan(alur)
    with as_user(ppk_pk), pytest.raises(TtdError, match="Isi sebutan pemberi paraf ke-1"):
        alur_mod.alur_simpan(actor=ppk_pk, alur=alur, langkah=[(kabag, " ")], penanda=None)
    with as_user(ppk_pk), pytest.raises(TtdError, match="Pilih pemberi paraf ke-1"):
        alur_mod.alur_simpan(actor=ppk_pk, alur=alur, langkah=[(None, "Kabag")], penanda=None)
    _tidak_tersimpan(alur)
    # With its sebutan the same approver is saved.
    assert client.post(url, {"paraf_1": kabag.pk, "sebutan_1": "Kabag Kepegawaian"}).status_code == 302
    with all_tenants():
        assert [(s.user_id, s.sebutan) for s in alur.langkah.all()] == [(kabag.pk, "Kabag Kepegawaian")]


def test_a_signer_without_a_portal_account_is_refused(client, ppk_pk, kabag, pejabat_ppk):
    alur = _alur(client, ppk_pk)
    with all_tenants():
        Pejabat.objects.filter(pk=pejabat_ppk.pk).update(user=None)
    url = reverse("ttd:alur_ubah", args=[alur.pk])
    r = client.post(url, {"paraf_1": kabag.pk, "sebutan_1": "Kabag", "penanda": pejabat_ppk.pk})
    body = r.content.decode()
    assert r.status_code == 200 and f"{pejabat_ppk.nama} belum terhubung dengan akun portal" in body
    _tidak_tersimpan(alur)
    with all_tenants():
        pejabat_ppk.refresh_from_db()
    with as_user(ppk_pk), pytest.raises(TtdError, match="belum terhubung dengan akun portal"):
        alur_mod.alur_simpan(actor=ppk_pk, alur=alur, langkah=[(kabag, "Kabag")], penanda=pejabat_ppk)
    _tidak_tersimpan(alur)


def test_the_operator_command_refuses_an_approver_without_a_sebutan_or_an_account(instansi_a, kabag):
    for item in ("kabag.a", "kabag.a=", "=Kabag Kepegawaian"):
        with pytest.raises(CommandError, match="tulis akun dan sebutannya"):
            call_command("ttd_alur", instansi="KEMENHUB", jenis="sk", paraf=[item])
    with all_tenants():
        assert not AlurParaf.objects.filter(instansi=instansi_a, jenis="sk").exists()
    call_command("ttd_alur", instansi="KEMENHUB", jenis="sk", paraf=["kabag.a=Kabag Kepegawaian"])
    with all_tenants():
        assert AlurParaf.objects.get(instansi=instansi_a, jenis="sk").langkah.get().sebutan == "Kabag Kepegawaian"
