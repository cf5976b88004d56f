"""Issue 14: what a fresh-eye walk through the pembina's pages found — the ketua choice offers
only eligible members, a team that starts later says so, no "Tim Tim" or "M.Si..", one history
line for one assignment, labels instead of action codes, Indonesian dates in messages and on the
chart, and the PIC's draft uploads stay the instansi's own."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.format import daftar_nama, kalimat, tgl
from apps.core.models import AuditLog
from apps.verifikasi import services
from apps.verifikasi.models import TimPenilai
from tests.factories import gol_penilai
from tests.verifikasi.conftest import MULAI, as_user, bentuk_tim, lulus_administrasi

pytestmark = pytest.mark.django_db


def _pilihan_peran(page: str, user) -> list[str]:
    select = page.split(f'name="peran_{user.pk}"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)"', select)


def _form_tim(staf, pk, mulai, nama="Tim Penilai Kemnaker"):
    selesai = mulai + timedelta(days=900)
    data = {"jf": pk.kode, "nama": nama, "mulai": mulai.isoformat(), "selesai": selesai.isoformat()}
    gol = gol_penilai()
    for key, peran in (("ketua", "ketua"), ("penilai1", "sekretaris"), ("penilai2", "anggota")):
        user = staf[key]
        data |= {f"peran_{user.pk}": peran, f"sertifikat_{user.pk}": "on", f"golongan_{user.pk}": gol.pk}
    return data


def test_only_a_holder_of_the_ketua_role_is_offered_as_ketua(client, staf, pk):
    client.force_login(staf["admin"])
    page = client.get(reverse("verifikasi:tim_list")).content.decode()
    assert _pilihan_peran(page, staf["ketua"]) == ["", "ketua", "sekretaris", "anggota"]
    for key in ("penilai1", "penilai2"):  # penilai without the ketua tim role: no ketua choice
        assert _pilihan_peran(page, staf[key]) == ["", "sekretaris", "anggota"]
    assert "hanya dapat dipilih dari penilai yang berperan ketua tim" in html.unescape(page)
    # a team named without "Tim" is still called a team; one in its term shows no warning
    data = _form_tim(staf, pk, MULAI, nama="Kemnaker 2026")
    body = html.unescape(client.post(reverse("verifikasi:tim_list"), data, follow=True).content.decode())
    assert "Tim Kemnaker 2026 dibentuk." in body and 'data-testid="tim-belum-berlaku"' not in body


def test_a_team_that_starts_tomorrow_says_so_on_saving_and_on_its_page(client, staf, pk):
    besok = timezone.localdate() + timedelta(days=1)
    client.force_login(staf["admin"])
    response = client.post(reverse("verifikasi:tim_list"), _form_tim(staf, pk, besok), follow=True)
    body = html.unescape(response.content.decode())
    assert "Tim Penilai Kemnaker dibentuk." in body and "Tim Tim" not in body
    assert f"Tim Penilai Kemnaker berlaku mulai {tgl(besok)}" in body
    assert 'data-testid="tim-belum-berlaku"' in body  # the assignment page says it too
    with tenancy.all_tenants(reason="test reads the audit trail"):
        entry = AuditLog.objects.get(action="tim.dibentuk")
    assert entry.message == "Tim Penilai Kemnaker dibentuk dengan 3 anggota."


def test_one_assignment_of_three_penilai_is_one_line_naming_them(client, diajukan, staf, pk, pic_pk):
    tim = bentuk_tim(staf, pk)
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    anggota = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=anggota)
    with tenancy.all_tenants(reason="test reads the audit trail"):
        [entry] = AuditLog.objects.filter(action="usulan.penilai_ditugaskan")
    assert entry.message == f"Penilai {daftar_nama(anggota)} ditugaskan." and " dan " in entry.message
    client.force_login(staf["admin"])
    page = html.unescape(client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode())
    assert page.count("ditugaskan.") == 1 and entry.message in page
    client.force_login(pic_pk)  # the PIC reads one line too, without the names
    page = html.unescape(client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode())
    assert page.count("Penilai dari Tim Penilai ditugaskan.") == 1 and str(anggota[1]) not in page


def test_a_title_ending_with_a_dot_is_not_followed_by_a_second_dot(client, diajukan, staf):
    assert kalimat("Ditugaskan ke verifikator Dr. Ani, M.Si..") == "Ditugaskan ke verifikator Dr. Ani, M.Si."
    assert kalimat("Menunggu...") == "Menunggu..."
    assert kalimat("Ijazah diunggah (scan..pdf).") == "Ijazah diunggah (scan..pdf)."
    assert kalimat("Lulus (ketua Dr. Ani, M.Si.).") == "Lulus (ketua Dr. Ani, M.Si.)."
    assert kalimat("Oleh Dr. Ani, M.Si.. Lalu") == "Oleh Dr. Ani, M.Si. Lalu"
    verifikator = staf["verifikator2"]
    verifikator.nama_lengkap = "Dr. Ani Lestari, M.Si."
    verifikator.save(update_fields=["nama_lengkap"])
    usulan = diajukan(1)[0]
    client.force_login(staf["admin"])
    response = client.post(
        reverse("verifikasi:tugaskan"), {"usulan": [usulan.pk], "verifikator": verifikator.pk}, follow=True
    )
    with tenancy.all_tenants(reason="test reads the audit trail"):
        entry = AuditLog.objects.get(action="usulan.ditugaskan")
    assert entry.message == "Ditugaskan ke verifikator Dr. Ani Lestari, M.Si."
    assert "M.Si.." not in html.unescape(response.content.decode())


def test_audit_pages_show_labels_not_action_codes(client, diajukan, staf, pic_pk):
    usulan = diajukan(1)[0]
    with tenancy.all_tenants(reason="test: an entry without a message"):
        AuditLog.objects.create(
            instansi_id=usulan.instansi_id, jf_id=usulan.jf_id, action="usulan.ak_dihitung_ulang",
            object_type="pengusulan.usulan", object_id=str(usulan.pk), message="",
        )  # fmt: skip
    client.force_login(staf["admin"])
    log = client.get(reverse("portal:audit_log")).content.decode()
    assert "Usulan diajukan" in log and "Angka kredit dihitung ulang" in log
    assert not re.search(r">\s*usulan\.[a-z_]+\s*<", log)  # no code as visible text
    page = client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode()
    assert "Angka kredit dihitung ulang" in page and "usulan.ak_dihitung_ulang" not in page


def test_the_pic_s_draft_uploads_are_not_the_pembina_s_to_read(client, diajukan, staf, pic_pk):
    usulan = diajukan(1)[0]  # every mandatory document uploaded to the draft, then submitted
    with tenancy.all_tenants(reason="test reads the audit trail"):
        unggah = AuditLog.objects.filter(action="dokumen.diunggah")
        assert unggah.exists() and not unggah.exclude(jf=None).exists()
    client.force_login(staf["admin"])
    page = client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode()
    assert "versi 1 diunggah" not in page and "Usulan diajukan" in page
    log = client.get(reverse("portal:audit_log")).content.decode()
    assert 'data-aksi="dokumen.diunggah"' not in log and 'data-aksi="usulan.diajukan"' in log
    client.force_login(pic_pk)  # the PIC still reads its own uploads
    page = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    assert "versi 1 diunggah" in page


def test_messages_and_the_chart_read_dates_in_indonesian(client, diajukan, staf, pk):
    today = timezone.localdate()
    lama = bentuk_tim(staf, pk, nama="Tim lama", mulai=today - timedelta(days=900), selesai=today)
    with tenancy.all_tenants(reason="test: the term has ended since the team was formed"):
        TimPenilai.objects.filter(pk=lama.pk).update(periode_selesai=today - timedelta(days=1))
        lama.refresh_from_db()
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    with as_user(staf["admin"]), pytest.raises(Exception) as refused:
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=lama, penilai=[staf["ketua"]])
    text = " ".join(refused.value.messages)
    assert f"tidak mencakup {tgl(today)}" in text and not re.search(r"\d{2}-\d{2}-\d{4}", text)
    client.force_login(staf["admin"])
    page = client.get(reverse("rekap:nasional")).content.decode()
    data = json.loads(html.unescape(page.split('id="grafik-arus"')[1].split('data-nilai="')[1].split('"')[0]))
    assert len(data["minggu"]) == 13 and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", m) for m in data["minggu"])


def test_a_member_cannot_sit_in_two_overlapping_teams_of_the_same_jf(client, staf, pk):
    """Fresh-eye finding 6: a second team of the same JF with the same members and an overlapping
    term was accepted; a team that starts later says so once, not twice."""
    from apps.verifikasi.models import TimPenilai

    besok = timezone.localdate() + timedelta(days=1)
    client.force_login(staf["admin"])
    first = client.post(reverse("verifikasi:tim_list"), _form_tim(staf, pk, besok), follow=True)
    body = html.unescape(first.content.decode())
    assert body.count(f"berlaku mulai {tgl(besok)}") == 1
    again = client.post(reverse("verifikasi:tim_list"), _form_tim(staf, pk, besok + timedelta(days=30), nama="Kembar"))
    refused = html.unescape(again.content.decode())
    assert again.status_code == 200
    for key in ("ketua", "penilai1", "penilai2"):
        assert f"{staf[key]} sudah menjadi anggota Tim Penilai Kemnaker" in refused
    assert "hanya dapat duduk di satu tim penilai JF yang sama pada satu waktu" in refused
    with tenancy.all_tenants(reason="test"):
        assert TimPenilai.objects.filter(jf=pk).count() == 1
