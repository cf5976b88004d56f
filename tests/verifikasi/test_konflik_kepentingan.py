"""Issue 13 §4 (a fresh-eye walk of JF Pengantar Kerja): a penilai declares a conflict of
interest on the penilaian page, with the reason; the ketua hears of it and replaces him or her
from the team page with a qualified member (seed 001 E.7), audited and notified."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
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


def test_the_ketua_is_offered_only_members_who_may_assess_and_every_refusal_is_said(client, staf, ditugaskan):
    """Issue 13 §4, the ketua's replacement beyond the happy path: a member whose pangkat is below the
    one assessed is shown but cannot be chosen (and why); one forced through the form, one already
    assigned, or a replacement after the team's term ended is refused with a message, nothing
    changed, never a 500; with no member left who may assess, the ketua is told what to do."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine
    from django.core.exceptions import ValidationError

    from apps.referensi.models import Golongan
    from apps.verifikasi.models import AnggotaTim

    tim, _usulan, penugasan = ditugaskan
    with as_user(staf["penilai2"]):
        services.penugasan_nyatakan_konflik(actor=staf["penilai2"], penugasan=penugasan, alasan="Rekan satu unit.")
    with tenancy.all_tenants(reason="test"):
        AnggotaTim.objects.filter(tim=tim, user=staf["penilai4"]).update(golongan=Golongan.objects.get(kode="III/b"))
    client.force_login(staf["ketua"])
    page = client.get(reverse("verifikasi:tim_detail", args=[tim.pk])).content.decode()
    form = page[page.index('data-testid="ganti-penilai"') :]
    form = form[: form.index("</form>")]
    assert f'value="{staf["penilai3"].pk}">' in form
    assert f'value="{staf["penilai4"].pk}" disabled>' in form
    assert "golongan III/b, paling rendah III/c untuk menilai pegawai ini" in form
    assert 'data-testid="tanpa-calon"' not in form

    url = reverse("verifikasi:tim_tugaskan", args=[tim.pk])
    detail = reverse("verifikasi:tim_detail", args=[tim.pk])

    def ganti(pengganti):
        data = {"ganti": "1", "penugasan": penugasan.pk, "pengganti": pengganti.pk, "alasan": "Konflik"}
        response = client.post(url, data, follow=True)
        assert response.status_code == 200 and response.redirect_chain[-1][0] == detail
        with tenancy.all_tenants(reason="test"):
            assert PenugasanPenilai.objects.filter(pk=penugasan.pk, penilai=staf["penilai2"]).exists()
        return response.content.decode()

    assert "tidak dapat menilai" in ganti(staf["penilai4"])  # forced past the disabled option
    assert "sudah ditugaskan pada usulan ini" in ganti(staf["ketua"])
    selesai = datetime(2029, 1, 2, 9, tzinfo=ZoneInfo("Asia/Jakarta"))  # the team's term ended 31 Dec 2028
    with time_machine.travel(selesai, tick=False), as_user(staf["ketua"]), pytest.raises(ValidationError) as lewat:
        services.penugasan_ganti_penilai(
            actor=staf["ketua"], penugasan=penugasan, pengganti=staf["penilai3"], alasan="x"
        )
    assert "tidak mencakup 2 Januari 2029" in " ".join(lewat.value.messages)

    # No member left who may assess: the ketua is told, and the button is off.
    with tenancy.all_tenants(reason="test"):
        AnggotaTim.objects.filter(tim=tim, user__in=[staf["penilai1"], staf["penilai3"]]).update(
            golongan=Golongan.objects.get(kode="III/a")
        )
    page = client.get(detail).content.decode()
    form = page[page.index('data-testid="ganti-penilai"') :]
    form = form[: form.index("</form>")]
    assert 'data-testid="tanpa-calon"' in form and "tim penilai lain JF ini" in form
    assert 'type="submit" disabled>' in form


def test_fe13_the_replacement_needs_a_reason_the_ketua_writes(client, staf, ditugaskan):
    """Fresh-eye walk: the form came filled in, so the replacement went through with no reason the
    ketua wrote; the field starts empty and an empty reason is refused, nothing replaced."""
    tim, _usulan, penugasan = ditugaskan
    with as_user(staf["penilai2"]):
        services.penugasan_nyatakan_konflik(actor=staf["penilai2"], penugasan=penugasan, alasan="Rekan satu unit.")
    client.force_login(staf["ketua"])
    page = client.get(reverse("verifikasi:tim_detail", args=[tim.pk])).content.decode()
    form = page[page.index('data-testid="ganti-penilai"') :]
    field = form[form.index('name="alasan"') :]
    field = field[: field.index(">")]
    assert "required" in field and "value=" not in field
    response = client.post(
        reverse("verifikasi:tim_tugaskan", args=[tim.pk]),
        {"ganti": "1", "penugasan": penugasan.pk, "pengganti": staf["penilai3"].pk, "alasan": " "},
        follow=True,
    )
    assert "Tuliskan alasan penggantian" in response.content.decode()
    with tenancy.all_tenants(reason="test"):
        assert PenugasanPenilai.objects.filter(pk=penugasan.pk, penilai=staf["penilai2"]).exists()


def test_fe13_the_conflicted_member_is_not_assigned_again_and_is_told_why(client, staf, ditugaskan):
    """Fresh-eye walk: assigning the member who declared a conflict said "0 penugasan penilai
    dibuat." with no reason; the refusal names the declared conflict — also once replaced."""
    tim, usulan, penugasan = ditugaskan
    with as_user(staf["penilai2"]):
        services.penugasan_nyatakan_konflik(actor=staf["penilai2"], penugasan=penugasan, alasan="Rekan satu unit.")
    client.force_login(staf["admin"])
    response = client.post(
        reverse("verifikasi:tim_tugaskan", args=[tim.pk]),
        {"usulan": [usulan.pk], "penilai": [staf["penilai2"].pk]},
        follow=True,
    )
    body = response.content.decode()
    assert "telah menyatakan memiliki konflik kepentingan atas usulan" in body and "0 penugasan" not in body
    with as_user(staf["ketua"]):
        services.penugasan_ganti_penilai(
            actor=staf["ketua"], penugasan=penugasan, pengganti=staf["penilai3"], alasan="Konflik kepentingan."
        )
    with as_user(staf["admin"]), pytest.raises(ValidationError, match="konflik kepentingan"):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai2"]])
    with tenancy.all_tenants(reason="test"):
        assert not PenugasanPenilai.objects.filter(usulan=usulan, penilai=staf["penilai2"]).exists()


def test_assigning_a_member_again_says_who_already_holds_the_dossier(client, staf, ditugaskan):
    """A fresh-eye walk of issue 13: re-assigning a member to a dossier they already hold said
    "0 penugasan penilai dibuat." with no reason. The refusal now names who holds which dossier,
    and a partly new choice says which part was not assigned again."""
    tim, usulan, _penugasan = ditugaskan
    url = reverse("verifikasi:tim_tugaskan", args=[tim.pk])
    client.force_login(staf["admin"])
    body = client.post(url, {"usulan": usulan.pk, "penilai": staf["penilai2"].pk}, follow=True).content.decode()
    assert "0 penugasan" not in body
    assert "Tidak ada penugasan baru" in body and f"sudah ditugaskan menilai usulan {usulan.nomor}" in body
    assert str(staf["penilai2"]) in body
    with as_user(staf["admin"]), pytest.raises(ValidationError) as refused:
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"]])
    assert f"{staf['ketua']} sudah ditugaskan menilai usulan {usulan.nomor}" in refused.value.messages[0]

    both = {"usulan": usulan.pk, "penilai": [staf["penilai2"].pk, staf["penilai3"].pk]}
    body = client.post(url, both, follow=True).content.decode()
    assert "1 penugasan penilai dibuat." in body and "Tidak ditugaskan ulang" in body
    assert f"{staf['penilai2']} sudah ditugaskan menilai usulan {usulan.nomor}" in body
    with tenancy.all_tenants(reason="test"):
        assert PenugasanPenilai.objects.filter(usulan=usulan).count() == 3
