"""Sidang dead ends (issue 14, fresh-eye finding 4): the date is required (no silent "today"), a
dossier already in an open sidang cannot be put in a second one, an open sidang can be cancelled
(the ketua or the admin pembina, with a reason, audited; its dossiers become free), and a refused
move reads as an Indonesian sentence."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.core.transisi import TransitionError
from apps.pengusulan import domain as pengusulan_domain
from apps.verifikasi.models import Sidang
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _tim_dan_usulan(sidang):
    with tenancy.all_tenants(reason="test"):
        return sidang.tim, sidang.usulan.select_related("usulan").get().usulan


def test_an_empty_date_is_refused_not_replaced_by_today(client, sidang_terbuka, staf):
    tim, usulan = _tim_dan_usulan(sidang_terbuka)
    client.force_login(staf["ketua"])
    isian = {"usulan": [str(usulan.pk)], "tanggal": "", "tempat": "Aula Garuda"}
    body = client.post(reverse("verifikasi:sidang_buka", args=[tim.pk]), isian).content.decode()
    assert "Isi tanggal sidang; berita acara mencantumkannya." in body
    assert 'name="tempat" value="Aula Garuda"' in body
    with tenancy.all_tenants(reason="test"):
        assert Sidang.objects.filter(tim=tim).count() == 1


def test_a_dossier_in_an_open_sidang_is_refused_until_that_sidang_is_cancelled(client, sidang_terbuka, staf):
    tim, usulan = _tim_dan_usulan(sidang_terbuka)
    client.force_login(staf["ketua"])
    isian = {"usulan": [str(usulan.pk)], "tanggal": "2026-07-02", "tempat": "Aula Garuda"}
    body = client.post(reverse("verifikasi:sidang_buka", args=[tim.pk]), isian).content.decode()
    assert f"Usulan {usulan.nomor} sudah masuk sidang 1 Juli 2026 yang masih dibuka" in body
    with tenancy.all_tenants(reason="test"):
        assert Sidang.objects.filter(tim=tim).count() == 1
    # cancel: the reason is required and kept when missing
    url = reverse("verifikasi:sidang", args=[sidang_terbuka.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="batalkan-sidang"' in page
    refused = client.post(url, {"batalkan": "1", "alasan_batal": "  "})
    assert refused.status_code == 200 and "Tuliskan alasan pembatalan sidang." in refused.content.decode()
    assert (
        client.post(url, {"batalkan": "1", "alasan_batal": "Jadwal bentrok dengan rapat pimpinan"}).status_code == 302
    )
    with tenancy.all_tenants(reason="test"):
        sidang_terbuka.refresh_from_db()
        [entry] = AuditLog.objects.filter(action="sidang.dibatalkan")
    assert sidang_terbuka.status == Sidang.Status.DIBATALKAN and sidang_terbuka.dibatalkan_oleh == staf["ketua"]
    assert entry.data["alasan"] == "Jadwal bentrok dengan rapat pimpinan" and entry.data["usulan"] == [usulan.nomor]
    shown = client.get(url).content.decode()
    assert 'data-testid="sidang-dibatalkan"' in shown and "Jadwal bentrok" in shown
    assert 'data-testid="putuskan-sidang"' not in shown and 'data-testid="batalkan-sidang"' not in shown
    # the dossier is free: a new sidang takes it
    assert client.post(reverse("verifikasi:sidang_buka", args=[tim.pk]), isian).status_code == 302
    with tenancy.all_tenants(reason="test"):
        assert Sidang.objects.filter(tim=tim, status="dibuka").count() == 1
    # a cancelled sidang cannot be cancelled or decided again
    again = client.post(url, {"batalkan": "1", "alasan_batal": "lagi"}, follow=True).content.decode()
    assert "hanya sidang yang masih dibuka dapat dibatalkan" in again


def test_the_admin_pembina_may_cancel_a_penilai_may_not(client, sidang_terbuka, staf):
    url = reverse("verifikasi:sidang", args=[sidang_terbuka.pk])
    client.force_login(staf["penilai1"])
    assert client.post(url, {"batalkan": "1", "alasan_batal": "x"}).status_code == 403
    client.force_login(staf["admin"])
    assert client.post(url, {"batalkan": "1", "alasan_batal": "Ketua berhalangan"}).status_code == 302
    with tenancy.all_tenants(reason="test"):
        sidang_terbuka.refresh_from_db()
    assert sidang_terbuka.status == Sidang.Status.DIBATALKAN


def test_every_refused_move_reads_as_a_sentence():
    from apps.penetapan import domain as penetapan_domain

    for modul in (pengusulan_domain, penetapan_domain):
        assert set(modul.FRASA_TOLAK) == set(modul.TRANSITIONS)
    with pytest.raises(TransitionError) as refused:
        pengusulan_domain.transition_for("nyatakan_tidak_lulus", "sk_terbit", {"ketua_tim"})
    assert str(refused.value) == "Usulan berstatus SK terbit tidak dapat diputuskan tidak lulus."
    with pytest.raises(TransitionError) as refused:
        pengusulan_domain.transition_for("batalkan", "sk_terbit", {"pic_instansi"})
    assert str(refused.value) == "Usulan berstatus SK terbit tidak dapat dibatalkan."
    assert "di-" not in str(refused.value)


def test_the_api_service_refuses_a_missing_date(sidang_terbuka, staf):
    from apps.pengusulan.alur import UsulanError
    from apps.verifikasi import services

    tim, usulan = _tim_dan_usulan(sidang_terbuka)
    with as_user(staf["ketua"]), pytest.raises(UsulanError) as refused:
        services.sidang_buka(actor=staf["ketua"], tim=tim, usulan_list=[usulan], tanggal=None, tempat="Aula")
    assert "Isi tanggal sidang; berita acara mencantumkannya." in refused.value.messages
