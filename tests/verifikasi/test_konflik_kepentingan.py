"""Issue 13 §4 (a fresh-eye walk of JF Pengantar Kerja): a penilai declares a conflict of
interest on the penilaian page, with the reason; the ketua hears of it and replaces him or her
from the team page with a qualified member (seed 001 E.7), audited and notified."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.core.models import AuditLog, OutboxMessage
from apps.verifikasi import services
from apps.verifikasi.models import PenugasanPenilai
from tests.factories import gol_penilai
from tests.verifikasi.conftest import MULAI, SELESAI, as_user, lulus_administrasi

pytestmark = pytest.mark.django_db


@pytest.fixture
def ditugaskan(diajukan, staf, pk):
    with as_user(staf["admin"]):
        tim = services.tim_bentuk(
            actor=staf["admin"], jf=pk, nama="Tim", mulai=MULAI, selesai=SELESAI,
            anggota=[(staf[k], p, True, gol_penilai()) for k, p in
                     (("ketua", "ketua"), ("penilai1", "sekretaris"), ("penilai2", "anggota"),
                      ("penilai3", "anggota"), ("penilai4", "anggota"))],
        )  # fmt: skip
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    with as_user(staf["admin"]):
        services.penilai_tugaskan(
            actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"], staf["penilai2"]]
        )
    with tenancy.all_tenants(reason="test"):
        return tim, usulan, PenugasanPenilai.objects.get(usulan=usulan, penilai=staf["penilai2"])


def test_a_penilai_declares_a_conflict_and_the_ketua_replaces_them(client, staf, ditugaskan):
    tim, usulan, penugasan = ditugaskan
    url = reverse("verifikasi:nilai", args=[penugasan.pk])
    client.force_login(staf["penilai2"])
    page = client.get(url).content.decode()
    assert "Saya memiliki konflik kepentingan" in page and "Saya menyatakan tidak ada konflik kepentingan" in page

    # No reason: refused with a message, nothing recorded.
    client.post(url, {"konflik": "1", "alasan_konflik": "  "})
    with tenancy.all_tenants(reason="test"):
        penugasan.refresh_from_db()
    assert penugasan.konflik_at is None
    response = client.post(
        url, {"konflik": "1", "alasan_konflik": "Atasan langsung pegawai yang dinilai."}, follow=True
    )
    assert response.status_code == 200
    with tenancy.all_tenants(reason="test"):
        penugasan.refresh_from_db()
    assert penugasan.konflik_at is not None and penugasan.konflik_alasan == "Atasan langsung pegawai yang dinilai."
    body = response.content.decode()
    assert 'data-testid="konflik-dicatat"' in body and 'data-testid="portofolio"' not in body
    with tenancy.all_tenants(reason="test"):
        assert AuditLog.objects.filter(action="penilai.konflik", object_id=str(usulan.pk)).exists()
        assert OutboxMessage.objects.filter(
            task_name="verifikasi.kabari_penilaian", kwargs__jenis="konflik", kwargs__penugasan_id=penugasan.pk
        ).exists()

    # The ketua sees it on the team page, with the members who can take it (not those assigned).
    client.force_login(staf["ketua"])
    page = client.get(reverse("verifikasi:tim_detail", args=[tim.pk])).content.decode()
    assert 'data-testid="ganti-penilai"' in page and "Atasan langsung pegawai yang dinilai." in page
    form = page[page.index('data-testid="ganti-penilai"') :]
    form = form[: form.index("</form>")]
    assert f'value="{staf["penilai3"].pk}"' in form and f'value="{staf["ketua"].pk}"' not in form

    response = client.post(
        reverse("verifikasi:tim_tugaskan", args=[tim.pk]),
        {"ganti": "1", "penugasan": penugasan.pk, "pengganti": staf["penilai3"].pk, "alasan": "Konflik kepentingan"},
    )
    assert response.status_code == 302
    with tenancy.all_tenants(reason="test"):
        assert set(PenugasanPenilai.objects.filter(usulan=usulan).values_list("penilai", flat=True)) == {
            staf["ketua"].pk,
            staf["penilai3"].pk,
        }
        baru = PenugasanPenilai.objects.get(usulan=usulan, penilai=staf["penilai3"])
        assert AuditLog.objects.filter(action="usulan.penilai_diganti", object_id=str(usulan.pk)).exists()
        assert OutboxMessage.objects.filter(
            task_name="verifikasi.kabari_penilaian", kwargs__jenis="ditugaskan", kwargs__penugasan_id=baru.pk
        ).exists()


def test_only_the_ketua_replaces_and_only_with_a_team_member(client, staf, ditugaskan):
    tim, _usulan, penugasan = ditugaskan
    with as_user(staf["penilai2"]):
        services.penugasan_nyatakan_konflik(actor=staf["penilai2"], penugasan=penugasan, alasan="Rekan satu unit.")
    url = reverse("verifikasi:tim_tugaskan", args=[tim.pk])
    client.force_login(staf["admin"])  # the admin pembina is not the ketua (seed 001 E.7)
    client.post(url, {"ganti": "1", "penugasan": penugasan.pk, "pengganti": staf["penilai3"].pk, "alasan": "x"})
    client.force_login(staf["ketua"])
    client.post(url, {"ganti": "1", "penugasan": penugasan.pk, "pengganti": staf["verifikator"].pk, "alasan": "x"})
    with tenancy.all_tenants(reason="test"):
        assert PenugasanPenilai.objects.filter(pk=penugasan.pk, penilai=staf["penilai2"]).exists()


def test_fe13_a_reason_ending_with_a_full_stop_is_not_doubled(client, staf, ditugaskan):
    """Fresh-eye walk, item 5: "… kakak ipar saya.. Ketua tim akan …" on the penilai's page and in
    the ketua's notification."""
    from apps.notifikasi.models import Notifikasi
    from apps.verifikasi.tasks import kabari_penilaian

    _tim, _usulan, penugasan = ditugaskan
    url = reverse("verifikasi:nilai", args=[penugasan.pk])
    client.force_login(staf["penilai2"])
    response = client.post(url, {"konflik": "1", "alasan_konflik": "Pegawai yang dinilai adalah kakak ipar saya."})
    body = client.get(url).content.decode()
    assert response.status_code == 302 and 'data-testid="konflik-dicatat"' in body
    assert "kakak ipar saya. Ketua tim" in body and "saya.." not in body
    kabari_penilaian.run(jenis="konflik", penugasan_id=penugasan.pk)
    with tenancy.all_tenants(reason="test"):
        isi = Notifikasi.objects.get(user=staf["ketua"], jenis="penilaian.konflik").isi
    assert "kakak ipar saya. Ganti" in isi and "saya.." not in isi
